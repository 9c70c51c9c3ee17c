/* `onshore check` warnings about likely mistakes: linear in the model's size. */
#include "lint.h"
#include "mem.h"
#include "model.h"

typedef struct Usage {
    bool *made;    /* [material] some facility makes it */
    bool *wanted;  /* [material] some demand, or a made material that needs it */
    bool *used;    /* [policy] some scenario uses it, or a plan enforces it */
    bool *listed;  /* [facility] an option some plan lists */
} Usage;

static void usage_build(const OnsModel *m, Usage *u)
{
    u->made = ons_calloc(m->nmaterials + 1, sizeof(bool));
    u->wanted = ons_calloc(m->nmaterials + 1, sizeof(bool));
    u->used = ons_calloc(m->npolicies + 1, sizeof(bool));
    u->listed = ons_calloc(m->nfacilities + 1, sizeof(bool));
    for (uint32_t i = 0; i < m->nfacilities; i++)
        if (m->facilities[i].e.name) u->made[m->facilities[i].makes] = true;
    for (uint32_t i = 0; i < m->ndemands; i++)
        if (m->demands[i].e.name) u->wanted[m->demands[i].material] = true;
    for (uint32_t i = 0; i < m->nmaterials; i++)
        if (u->made[i])
            for (uint32_t j = 0; j < m->materials[i].nneeds; j++) u->wanted[m->materials[i].needs[j].material] = true;
    for (uint32_t s = 0; s < m->nscenarios; s++) {
        for (uint32_t o = 0; o < m->scenarios[s].noverrides; o++)
            if (m->scenarios[s].overrides[o].kind == ONS_ENT_DEMAND) u->wanted[m->scenarios[s].overrides[o].material] = true;
        for (uint32_t k = 0; k < m->scenarios[s].nuse; k++) u->used[m->scenarios[s].use[k]] = true;
        const OnsPlan *plan = m->scenarios[s].plan;
        for (uint32_t k = 0; plan && k < plan->nenforce; k++) u->used[plan->enforce[k]] = true;
        for (uint32_t k = 0; plan && k < plan->noptions; k++) u->listed[plan->options[k]] = true;
    }
}

static void usage_free(Usage *u)
{
    ons_free(u->made);
    ons_free(u->wanted);
    ons_free(u->used);
    ons_free(u->listed);
}

void lint_model(OnsVM *vm, OnsSource *src, OnsDiags *diags)
{
    OnsModel *m = model_of(vm);
    Usage u;
    usage_build(m, &u);
    for (uint32_t i = 0; i < m->nmaterials; i++) {
        OnsMaterial *mat = &m->materials[i];
        if (!mat->e.name || mat->e.src != src) continue;
        if (!u.made[i] && u.wanted[i])
            diag_add(diags, ONS_SEV_WARNING, src, mat->e.name_span,
                     "no facility makes %s: all demand for it will be short", mat->e.name->chars);
        else if (!u.made[i] && !u.wanted[i])
            diag_add(diags, ONS_SEV_WARNING, src, mat->e.name_span,
                     "material %s is neither made nor needed", mat->e.name->chars);
    }
    for (uint32_t i = 0; i < m->nfacilities; i++) {
        OnsFacility *f = &m->facilities[i];
        if (!f->e.name || f->e.src != src || u.wanted[f->makes]) continue;
        diag_add(diags, ONS_SEV_WARNING, src, f->e.name_span,
                 "nothing buys from %s: no demand and no facility needs %s", f->e.name->chars,
                 m->materials[f->makes].e.name->chars);
    }
    for (uint32_t i = 0; i < m->nfacilities; i++) {
        OnsFacility *f = &m->facilities[i];
        if (!f->e.name || f->e.src != src || !f->is_option || u.listed[i]) continue;
        diag_add(diags, ONS_SEV_WARNING, src, f->e.name_span,
                 "no plan lists option %s: it is never built (add it to a scenario's `plan { options: [...] }`)",
                 f->e.name->chars);
    }
    for (uint32_t i = 0; i < m->npolicies; i++) {
        OnsPolicy *p = &m->policies[i];
        if (!p->e.name || p->e.src != src || u.used[i]) continue;
        diag_add(diags, ONS_SEV_WARNING, src, p->e.name_span,
                 "no scenario uses policy %s (add it to a scenario's `use:`, or a plan's `enforce:`)", p->e.name->chars);
    }
    for (uint32_t i = 0; i < m->ndemands; i++) {
        OnsDemand *d = &m->demands[i];
        if (!d->e.name || d->e.src != src || u.made[d->material]) continue;
        diag_add(diags, ONS_SEV_WARNING, src, d->e.span, "no facility anywhere makes %s, so this demand cannot be met",
                 m->materials[d->material].e.name->chars);
    }
    usage_free(&u);
}
