/* Warnings of `onshore check`. */
#include "lint.h"
#include "model.h"

static bool material_made(const OnsModel *m, uint32_t mat)
{
    for (uint32_t i = 0; i < m->nfacilities; i++)
        if (m->facilities[i].e.name && m->facilities[i].makes == mat) return true;
    return false;
}

static bool material_wanted(const OnsModel *m, uint32_t mat)
{
    for (uint32_t i = 0; i < m->ndemands; i++)
        if (m->demands[i].e.name && m->demands[i].material == mat) return true;
    for (uint32_t i = 0; i < m->nmaterials; i++)
        for (uint32_t j = 0; j < m->materials[i].nneeds; j++)
            if (m->materials[i].needs[j].material == mat && material_made(m, i)) return true;
    for (uint32_t s = 0; s < m->nscenarios; s++)
        for (uint32_t o = 0; o < m->scenarios[s].noverrides; o++)
            if (m->scenarios[s].overrides[o].kind == ONS_ENT_DEMAND && m->scenarios[s].overrides[o].material == mat)
                return true;
    return false;
}

static bool policy_used(const OnsModel *m, uint32_t pol)
{
    for (uint32_t s = 0; s < m->nscenarios; s++)
        for (uint32_t u = 0; u < m->scenarios[s].nuse; u++)
            if (m->scenarios[s].use[u] == pol) return true;
    return false;
}

void lint_model(OnsVM *vm, OnsSource *src, OnsDiags *diags)
{
    OnsModel *m = vm->model;
    for (uint32_t i = 0; i < m->nmaterials; i++) {
        OnsMaterial *mat = &m->materials[i];
        if (!mat->e.name || mat->e.src != src) continue;
        bool made = material_made(m, i), wanted = material_wanted(m, i);
        if (!made && wanted)
            diag_add(diags, ONS_SEV_WARNING, src, mat->e.name_span,
                     "no facility makes %s: all demand for it will be short", mat->e.name->chars);
        else if (!made && !wanted)
            diag_add(diags, ONS_SEV_WARNING, src, mat->e.name_span,
                     "material %s is neither made nor needed", mat->e.name->chars);
    }
    for (uint32_t i = 0; i < m->nfacilities; i++) {
        OnsFacility *f = &m->facilities[i];
        if (!f->e.name || f->e.src != src) continue;
        if (!material_wanted(m, f->makes))
            diag_add(diags, ONS_SEV_WARNING, src, f->e.name_span,
                     "nothing buys from %s: no demand and no facility needs %s", f->e.name->chars,
                     m->materials[f->makes].e.name->chars);
    }
    for (uint32_t i = 0; i < m->npolicies; i++) {
        OnsPolicy *p = &m->policies[i];
        if (!p->e.name || p->e.src != src || policy_used(m, i)) continue;
        diag_add(diags, ONS_SEV_WARNING, src, p->e.name_span,
                 "no scenario uses policy %s (add it to a scenario's `use:`)", p->e.name->chars);
    }
    for (uint32_t i = 0; i < m->ndemands; i++) {
        OnsDemand *d = &m->demands[i];
        if (!d->e.name || d->e.src != src || material_made(m, d->material)) continue;
        diag_add(diags, ONS_SEV_WARNING, src, d->e.span, "no facility anywhere makes %s, so this demand cannot be met",
                 m->materials[d->material].e.name->chars);
    }
}
