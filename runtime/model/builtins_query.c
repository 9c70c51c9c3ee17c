/* Query functions over run results (spec §7): every figure of §6 is also a
 * function, `localization(r, US, stage active, 2030)`. */
#include "arith.h"
#include "builtins.h"
#include "figures.h"
#include "model.h"
#include "sweep.h"

#include <math.h>
#include <string.h>

#define NATIVE(name) static OnsStatus name(OnsVM *vm, const OnsValue *args, int nargs, const OnsNamedArgs *named, OnsValue *out)
#define UNUSED_ARGS() ((void)named, (void)nargs)

static OnsStatus want_run(OnsVM *vm, const char *fn, OnsValue v, OnsRun **out)
{
    *out = sim_run_of(v);
    if (*out) return ONS_OK;
    char d[96];
    return vm_error(vm, "%s: the first argument must be a run result (r = run baseline), not %s", fn,
                    arith_describe(vm, v, d, sizeof d));
}

/* The rows of figures.def: FIG_DEMAND, ... */
typedef enum Figure {
#define FIGURE(id, name, result, origins, doc) FIG_##id,
#include "figures.def"
#undef FIGURE
    FIG_COUNT
} Figure;

static const bool figure_needs_origins[FIG_COUNT] = {
#define FIGURE(id, name, result, origins, doc) [FIG_##id] = (origins),
#include "figures.def"
#undef FIGURE
};

static OnsValue share_or_nil(double num, double den)
{
    return den > 0 ? ons_percent(num / den) : ons_nil();
}

/* figure(run, region, materials, year); on a sweep, the list of its samples' */
static OnsStatus query(OnsVM *vm, const char *fn, Figure fig, const OnsValue *args, OnsValue *out)
{
    if (sweep_of(args[0])) return sweep_query(vm, fn, args, 4, out);
    OnsRun *run;
    ONS_TRY(want_run(vm, fn, args[0], &run));
    uint32_t yi;
    ONS_TRY(figures_year(vm, run, fn, args[3], &yi));
    OnsScope scope;
    ONS_TRY(figures_scope(vm, run, fn, args[1], args[2], &scope));
    OnsFigures f;
    OnsStatus st = figures_sum(vm, run, &scope, yi, false, figure_needs_origins[fig], &f);
    if (st != ONS_OK) {
        figures_scope_free(&scope);
        return st;
    }
    double supply = f.local + f.imports;
    OnsDim money = dim_base(ONS_DIM_MONEY);
    switch (fig) {
    case FIG_DEMAND: *out = figures_amount(&f, f.demand); break;
    case FIG_DERIVED: *out = figures_amount(&f, f.derived); break;
    case FIG_LOCAL: *out = figures_amount(&f, f.local); break;
    case FIG_LOCAL_CAPACITY: *out = figures_amount(&f, f.local_capacity); break;
    case FIG_IMPORTS_TOTAL: *out = figures_amount(&f, f.imports); break;
    case FIG_SHORTAGE: *out = figures_amount(&f, f.shortage); break;
    case FIG_SUPPLY: *out = figures_amount(&f, supply); break;
    case FIG_OUTPUT: *out = figures_amount(&f, f.output); break;
    case FIG_STOPPED: *out = figures_amount(&f, f.stopped); break;
    case FIG_EXPORTS: *out = figures_amount(&f, f.exports); break;
    case FIG_GAP:
    case FIG_CAPACITY_GAP: *out = figures_amount(&f, f.capacity_gap); break;
    case FIG_LOCALIZATION: *out = share_or_nil(f.local, f.demand); break;
    case FIG_RECYCLED_SHARE: *out = share_or_nil(f.recycled, supply); break;
    case FIG_TARIFFS: *out = ons_quantity(f.tariffs_paid, money, 0); break;
    case FIG_CREDITS: *out = ons_quantity(f.credits, money, 0); break;
    case FIG_LANDED_COST:
        if (f.units_mixed) {
            st = vm_error(vm, "%s: a cost per unit needs materials counted in one unit", fn);
        } else if (f.units_received > 0 && !isnan(f.landed_total)) {
            OnsDim d;
            OnsDim unit = dim_none();
            for (uint32_t i = 0; i < run->nmaterials; i++)
                if (scope.materials[i]) unit = model_of(vm)->materials[i].unit_dim;
            dim_div(money, unit, &d);
            *out = ons_quantity(f.landed_total / f.units_received, d, 0);
        } else {
            *out = ons_nil();
        }
        break;
    case FIG_TOP_ORIGIN: {
        int32_t top = figures_top_origin(run, &scope, &f);
        *out = top >= 0 ? ons_entity(ONS_ENT_REGION, (uint32_t)top) : ons_nil();
        break;
    }
    case FIG_TOP_ORIGIN_SHARE: {
        int32_t top = figures_top_origin(run, &scope, &f);
        *out = supply > 0 ? ons_percent(top >= 0 ? f.by_origin[top] / supply : 0) : ons_nil();
        break;
    }
    case FIG_HHI: {
        double h = figures_hhi(run, &f);
        *out = isnan(h) ? ons_nil() : ons_num(h);
        break;
    }
    case FIG_IMPORTS_MAP: {
        /* origin -> amount, only origins that shipped something (spec §6.2) */
        OnsMap *map = map_new(vm);
        for (uint32_t o = 0; o < run->nregions; o++)
            if (!scope.regions[o] && f.by_origin[o] > 0)
                map_set(map, ons_entity(ONS_ENT_REGION, o), figures_amount(&f, f.by_origin[o]));
        *out = ons_obj_value(&map->obj);
        break;
    }
    case FIG_COUNT: break;
    }
    figures_free(&f);
    figures_scope_free(&scope);
    return st;
}

/* one function a figure: nat_DEMAND(r, region, sel, year), ... */
#define FIGURE(id, name, result, origins, doc) \
    NATIVE(nat_##id) { UNUSED_ARGS(); return query(vm, name, FIG_##id, args, out); }
#include "figures.def"
#undef FIGURE

/* share(r, region, materials, year, origins): the value share of supply from origins */
NATIVE(nat_share)
{
    UNUSED_ARGS();
    OnsRun *run;
    if (sweep_of(args[0])) return sweep_query(vm, "share", args, 5, out);
    ONS_TRY(want_run(vm, "share", args[0], &run));
    uint32_t yi;
    ONS_TRY(figures_year(vm, run, "share", args[3], &yi));
    OnsScope scope, from;
    ONS_TRY(figures_scope(vm, run, "share", args[1], args[2], &scope));
    OnsStatus st = figures_scope(vm, run, "share", args[4], args[2], &from);
    if (st != ONS_OK) {
        figures_scope_free(&scope);
        return st;
    }
    OnsFigures f;
    st = figures_sum(vm, run, &scope, yi, true, true, &f);
    if (st == ONS_OK) {
        double supply = f.local + f.imports, part = 0;
        for (uint32_t o = 0; o < run->nregions; o++)
            if (from.regions[o]) part += f.by_origin[o];
        *out = share_or_nil(part, supply);
        figures_free(&f);
    }
    figures_scope_free(&scope);
    figures_scope_free(&from);
    return st;
}

/* complies(r, policy, region, year): every require of the policy for the
 * region in force that year holds (an undefined value holds). */
NATIVE(nat_complies)
{
    UNUSED_ARGS();
    OnsRun *run;
    if (sweep_of(args[0])) return sweep_query(vm, "complies", args, 4, out);
    ONS_TRY(want_run(vm, "complies", args[0], &run));
    if (!ons_is_entity(args[1], ONS_ENT_POLICY)) {
        char d[96];
        return vm_error(vm, "complies: the second argument must be a policy, not %s",
                        arith_describe(vm, args[1], d, sizeof d));
    }
    if (!ons_is_entity(args[2], ONS_ENT_REGION)) {
        char d[96];
        return vm_error(vm, "complies: the third argument must be a region, not %s",
                        arith_describe(vm, args[2], d, sizeof d));
    }
    uint32_t yi;
    ONS_TRY(figures_year(vm, run, "complies", args[3], &yi));
    OnsPolicy *pol = &model_of(vm)->policies[args[1].as.index];
    int32_t year = run->year_from + (int32_t)yi;
    bool all = true;
    for (uint32_t i = 0; i < pol->nrules && all; i++) {
        OnsRule *r = &pol->rules[i];
        if (r->kind != ONS_RULE_REQUIRE || r->region != args[2].as.index) continue;
        if ((r->has_from && year < r->year_from) || (r->has_until && year > r->year_until)) continue;
        bool holds;
        double value, target;
        ONS_TRY(figures_require(vm, run, r, yi, &holds, &value, &target));
        all = holds;
    }
    *out = ons_bool(all);
    return ONS_OK;
}

/* quota_used(r, policy, year): what was shipped under the policy's quotas
 * that year, each shipment once however many of them cover it (spec 10.2);
 * 0 when none of its quotas is in force. */
NATIVE(nat_quota_used)
{
    UNUSED_ARGS();
    OnsRun *run;
    if (sweep_of(args[0])) return sweep_query(vm, "quota_used", args, 3, out);
    ONS_TRY(want_run(vm, "quota_used", args[0], &run));
    if (!ons_is_entity(args[1], ONS_ENT_POLICY)) {
        char d[96];
        return vm_error(vm, "quota_used: the second argument must be a policy, not %s",
                        arith_describe(vm, args[1], d, sizeof d));
    }
    uint32_t yi;
    ONS_TRY(figures_year(vm, run, "quota_used", args[2], &yi));
    const OnsPolicy *pol = &model_of(vm)->policies[args[1].as.index];
    OnsDim unit = dim_none();
    for (uint32_t i = 0; i < pol->nrules; i++)
        if (pol->rules[i].kind == ONS_RULE_QUOTA) unit = pol->rules[i].unit;
    double used = 0;
    for (uint32_t p = 0; p < run->npolicies; p++)
        if (run->policies[p] == args[1].as.index) used = run->quota_policy_use[(size_t)yi * run->npolicies + p];
    *out = ons_quantity(used, unit, 0);
    return ONS_OK;
}

/* draws(s, PARAM): the param's draw in each sample of the sweep, in order */
NATIVE(nat_draws)
{
    UNUSED_ARGS();
    OnsSweep *sw = sweep_of(args[0]);
    if (!sw) {
        char d[96];
        return vm_error(vm, "draws: the first argument must be a sweep (s = sweep NAME {...}), not %s",
                        arith_describe(vm, args[0], d, sizeof d));
    }
    if (!ons_is_entity(args[1], ONS_ENT_PARAM) || args[1].as.index >= sw->nparams) {
        char d[96];
        return vm_error(vm, "draws: the second argument must be a param, named as declared, not %s",
                        arith_describe(vm, args[1], d, sizeof d));
    }
    const OnsDist *dist = model_param_dist(model_of(vm), sw->scenario, args[1].as.index);
    OnsList *l = list_new(vm, sw->runs);
    for (uint32_t i = 0; i < sw->runs; i++)
        list_push(l, ons_quantity(sw->draws[(size_t)args[1].as.index * sw->runs + i], dist->dim, dist->hint));
    *out = ons_obj_value(&l->obj);
    return ONS_OK;
}

/* facility_output(r, facility, year): what a facility shipped */
NATIVE(nat_facility_output)
{
    UNUSED_ARGS();
    OnsRun *run;
    if (sweep_of(args[0])) return sweep_query(vm, "facility_output", args, 3, out);
    ONS_TRY(want_run(vm, "facility_output", args[0], &run));
    if (!ons_is_entity(args[1], ONS_ENT_FACILITY) || args[1].as.index >= run->nfacilities) {
        char d[96];
        return vm_error(vm, "facility_output: the second argument must be a facility, not %s",
                        arith_describe(vm, args[1], d, sizeof d));
    }
    uint32_t yi;
    ONS_TRY(figures_year(vm, run, "facility_output", args[2], &yi));
    OnsFacility *f = &model_of(vm)->facilities[args[1].as.index];
    *out = ons_quantity(run->fac_output[(size_t)yi * run->nfacilities + args[1].as.index],
                        model_of(vm)->materials[f->makes].unit_dim, 0);
    return ONS_OK;
}

/* Every figure of spec §6 as a function of (run, region, selector, year). */
void builtins_register_queries(OnsVM *vm)
{
    static const OnsNativeDef defs[] = {
#define FIGURE(id, name, result, origins, doc) {name, nat_##id, 4, 4, ONS_RES_##result, NULL},
#include "figures.def"
#undef FIGURE
        {"share", nat_share, 5, 5, ONS_RES_SHARE, NULL},
        {"complies", nat_complies, 4, 4, ONS_RES_BOOL, NULL},
        {"facility_output", nat_facility_output, 3, 3, ONS_RES_ANY, NULL},
        {"quota_used", nat_quota_used, 3, 3, ONS_RES_ANY, NULL},
        {"draws", nat_draws, 2, 2, ONS_RES_LIST, NULL},
    };
    vm_register_natives(vm, defs, ONS_ARRAY_LEN(defs));
}
