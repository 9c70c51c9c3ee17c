/* Figures over run results (spec §6 table and §6.2 aggregates). */
#include "figures.h"
#include "arith.h"
#include "mem.h"

#include <math.h>
#include <string.h>

void figures_scope_free(OnsScope *s)
{
    ons_free(s->regions);
    ons_free(s->materials);
    memset(s, 0, sizeof *s);
}

static OnsStatus scope_regions(OnsVM *vm, const OnsRun *run, const char *fn, OnsValue region, bool *out)
{
    OnsModel *m = model_of(vm);
    if (ons_is_entity(region, ONS_ENT_REGION) && region.as.index < run->nregions) {
        out[region.as.index] = true;
        return ONS_OK;
    }
    if (ons_is_entity(region, ONS_ENT_GROUP)) {
        OnsGroup *g = &m->groups[region.as.index];
        for (uint32_t i = 0; i < g->nmembers; i++)
            if (g->members[i] < run->nregions) out[g->members[i]] = true;
        return ONS_OK;
    }
    char d[96];
    return vm_error(vm, "%s: the second argument must be a region or a group, not %s", fn,
                    arith_describe(vm, region, d, sizeof d));
}

static OnsStatus scope_materials(OnsVM *vm, const OnsRun *run, const char *fn, OnsValue sel, bool *out)
{
    OnsModel *m = model_of(vm);
    if (ons_is_entity(sel, ONS_ENT_MATERIAL) && sel.as.index < run->nmaterials) {
        out[sel.as.index] = true;
        return ONS_OK;
    }
    if (ons_is_entity(sel, ONS_ENT_STAGE) || ons_is_entity(sel, ONS_ENT_CLASS)) {
        OnsSelector s = {sel.hint == ONS_ENT_STAGE ? ONS_SEL_STAGE : ONS_SEL_CLASS, sel.as.index, NULL, 0};
        for (uint32_t i = 0; i < run->nmaterials; i++)
            if (m->materials[i].e.name && model_selector_matches(m, &s, i)) out[i] = true;
        return ONS_OK;
    }
    if (ons_is_obj(sel, ONS_OBJ_LIST)) {
        OnsList *l = ONS_AS_LIST(sel);
        for (uint32_t i = 0; i < l->len; i++) ONS_TRY(scope_materials(vm, run, fn, l->items[i], out));
        return ONS_OK;
    }
    char d[96];
    return vm_error(vm, "%s: the third argument must be a material, `stage NAME`, `class NAME` or a list of "
                        "materials, not %s",
                    fn, arith_describe(vm, sel, d, sizeof d));
}

OnsStatus figures_scope(OnsVM *vm, const OnsRun *run, const char *fn, OnsValue region, OnsValue sel,
                        OnsScope *out)
{
    out->regions = ons_calloc(run->nregions + 1, sizeof(bool));
    out->materials = ons_calloc(run->nmaterials + 1, sizeof(bool));
    out->nmat_selected = 0;
    OnsStatus st = scope_regions(vm, run, fn, region, out->regions);
    if (st == ONS_OK) st = scope_materials(vm, run, fn, sel, out->materials);
    if (st != ONS_OK) {
        figures_scope_free(out);
        return st;
    }
    for (uint32_t i = 0; i < run->nmaterials; i++) out->nmat_selected += out->materials[i];
    return ONS_OK;
}

void figures_scope_from(const OnsModel *m, const OnsRun *run, uint32_t region, const OnsSelector *sel,
                        OnsScope *out)
{
    out->regions = ons_calloc(run->nregions + 1, sizeof(bool));
    out->materials = ons_calloc(run->nmaterials + 1, sizeof(bool));
    out->nmat_selected = 0;
    if (region < run->nregions) out->regions[region] = true;
    for (uint32_t i = 0; i < run->nmaterials; i++) {
        out->materials[i] = m->materials[i].e.name && model_selector_matches(m, sel, i);
        out->nmat_selected += out->materials[i];
    }
}

OnsStatus figures_year(OnsVM *vm, const OnsRun *run, const char *fn, OnsValue year, uint32_t *yi)
{
    ONS_TRY(vm_force(vm, &year));
    if (year.type != ONS_T_NUM || !dim_is_none(year.dim) || year.as.num != floor(year.as.num)) {
        char d[96];
        return vm_error(vm, "%s: the year must be a whole number like 2030, not %s", fn,
                        arith_describe(vm, year, d, sizeof d));
    }
    if (year.as.num < run->year_from || year.as.num > run->year_until)
        return vm_error(vm, "%s: %g is outside the years of this run (%d..%d)", fn, year.as.num, run->year_from,
                        run->year_until);
    *yi = (uint32_t)(year.as.num - run->year_from);
    return ONS_OK;
}

OnsStatus figures_sum(OnsVM *vm, const OnsRun *run, const OnsScope *scope, uint32_t yi, bool by_value,
                      bool want_origins, OnsFigures *out)
{
    OnsModel *m = model_of(vm);
    memset(out, 0, sizeof *out);
    /* amounts add up only within one unit family; otherwise by value */
    bool first = true;
    for (uint32_t i = 0; i < run->nmaterials; i++) {
        if (!scope->materials[i]) continue;
        if (first) out->dim = m->materials[i].unit_dim;
        else if (!dim_eq(out->dim, m->materials[i].unit_dim)) out->units_mixed = true;
        first = false;
    }
    out->by_value = by_value || out->units_mixed;
    if (out->by_value) out->dim = dim_base(ONS_DIM_MONEY);
    if (want_origins) out->by_origin = ons_calloc(run->nregions + 1, sizeof(double));
    for (uint32_t mat = 0; mat < run->nmaterials; mat++) {
        if (!scope->materials[mat]) continue;
        double w = 1;
        if (out->by_value) {
            w = run->price[(size_t)yi * run->nmaterials + mat];
            if (isnan(w)) {
                figures_free(out);
                return vm_error(vm, "material %s has no price, and this figure weighs materials by value "
                                    "(give it `price:`)",
                                model_name(m, ONS_ENT_MATERIAL, mat));
            }
        }
        double mat_demand = 0, mat_capacity = 0;
        for (uint32_t r = 0; r < run->nregions; r++) {
            const OnsCell *c = &run->cells[sim_cell_index(run, yi, mat, r)];
            size_t k = sim_cell_index(run, yi, mat, r), from = run->recv_start[k], until = run->recv_start[k + 1];
            if (scope->regions[r]) {
                mat_demand += c->demand;
                mat_capacity += c->local_capacity;
                out->demand += c->demand * w;
                out->derived += c->derived * w;
                out->local_capacity += c->local_capacity * w;
                out->shortage += c->shortage * w;
                out->recycled += c->recycled * w;
                out->output += c->output * w;
                out->stopped += c->stopped * w;
                out->landed_total += c->landed_total;
                out->tariffs_paid += c->tariffs_paid;
                out->credits += c->credits;
                for (size_t e = from; e < until; e++) {
                    uint32_t o = run->recv_origin[e];
                    double got = run->recv_amount[e];
                    if (scope->regions[o]) out->local += got * w;
                    else out->imports += got * w;
                    out->units_received += got;
                    if (out->by_origin) out->by_origin[o] += got * w;
                }
            } else {
                /* what the scope's regions shipped to this one */
                for (size_t e = from; e < until; e++)
                    if (scope->regions[run->recv_origin[e]]) out->exports += run->recv_amount[e] * w;
            }
        }
        /* capacity for one material cannot make another: each gap on its own */
        if (mat_demand > mat_capacity) out->capacity_gap += (mat_demand - mat_capacity) * w;
    }
    return ONS_OK;
}

void figures_free(OnsFigures *f)
{
    ons_free(f->by_origin);
    f->by_origin = NULL;
}

OnsValue figures_amount(const OnsFigures *f, double v) { return ons_quantity(v, f->dim, 0); }

int32_t figures_top_origin(const OnsRun *run, const OnsScope *scope, const OnsFigures *f)
{
    int32_t best = -1;
    for (uint32_t o = 0; o < run->nregions; o++) {
        if (scope->regions[o] || f->by_origin[o] <= 0) continue;
        if (best < 0 || f->by_origin[o] > f->by_origin[best]) best = (int32_t)o;
    }
    return best;
}

double figures_hhi(const OnsRun *run, const OnsFigures *f)
{
    double supply = f->local + f->imports;
    if (!(supply > 0)) return NAN;
    double h = 0;
    for (uint32_t o = 0; o < run->nregions; o++) {
        double share = f->by_origin[o] / supply * 100;
        h += share * share;
    }
    return h;
}

OnsStatus figures_metric(OnsVM *vm, const OnsRun *run, const OnsRule *rule, uint32_t yi, double *out)
{
    OnsScope scope;
    figures_scope_from(model_of(vm), run, rule->region, &rule->sel, &scope);
    OnsFigures f;
    /* a `share of` is always by value, as sourcing laws measure value */
    OnsStatus st = figures_sum(vm, run, &scope, yi, rule->metric == ONS_METRIC_SHARE, true, &f);
    if (st != ONS_OK) {
        figures_scope_free(&scope);
        return st;
    }
    double supply = f.local + f.imports;
    *out = NAN;
    switch ((OnsMetric)rule->metric) {
    case ONS_METRIC_SHARE:
        if (supply > 0) {
            double from = 0;
            for (uint32_t o = 0; o < run->nregions; o++)
                if (model_region_set_matches(model_of(vm), &rule->from, o)) from += f.by_origin[o];
            *out = from / supply;
        }
        break;
    case ONS_METRIC_RECYCLED:
        if (supply > 0) *out = f.recycled / supply;
        break;
    case ONS_METRIC_TOP_ORIGIN: {
        int32_t top = figures_top_origin(run, &scope, &f);
        if (supply > 0) *out = top >= 0 ? f.by_origin[top] / supply : 0;
        break;
    }
    case ONS_METRIC_LOCALIZATION:
        if (f.demand > 0) *out = f.local / f.demand;
        break;
    }
    figures_free(&f);
    figures_scope_free(&scope);
    return ONS_OK;
}

OnsStatus figures_require(OnsVM *vm, const OnsRun *run, const OnsRule *rule, uint32_t yi, bool *holds,
                          double *value, double *target)
{
    ONS_TRY(figures_metric(vm, run, rule, yi, value));
    OnsValue t;
    ONS_TRY(model_eval(vm, rule->value, run->year_from + (int32_t)yi, &t));
    if (t.type != ONS_T_NUM || !dim_is_none(t.dim))
        return vm_error_at(vm, rule->src, rule->span, "the target of this rule must be a share");
    *target = t.as.num;
    if (isnan(*value)) {
        *holds = true; /* an undefined share holds (spec §6.2) */
        return ONS_OK;
    }
    double v = *value, x = *target;
    switch ((OnsCmp)rule->cmp) {
    case ONS_CMP_EQ: *holds = ons_num_close(v, x); break;
    case ONS_CMP_NE: *holds = !ons_num_close(v, x); break;
    case ONS_CMP_LT: *holds = v < x; break;
    case ONS_CMP_LE: *holds = v <= x || ons_num_close(v, x); break;
    case ONS_CMP_GT: *holds = v > x; break;
    case ONS_CMP_GE: *holds = v >= x || ons_num_close(v, x); break;
    }
    return ONS_OK;
}
