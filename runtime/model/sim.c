/* The simulation engine: spec §6, step by step.
 *
 *   1. effective capacity of each facility, and its qualification
 *   2. materials in reverse stage order, declaration order within a stage
 *   3. demand = declared demand + demand derived from downstream output
 *   4. local first, pro rata when local capacity exceeds local demand
 *   5. imports: all (facility, region) pairs by ascending landed cost
 *   6. what is left is shortage; output is what was shipped, and its
 *      inputs become derived demand upstream
 *   7. `sourcing: cheapest` skips step 4
 *
 * Native C throughout; the VM is called only to evaluate property
 * expressions.  Sums run in declaration order, so results are identical
 * on every machine. */
#include "sim_internal.h"
#include "arith.h"
#include "gc.h"
#include "mem.h"
#include "watch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A zeroed array of n items from the run's scratch arena (n + 1, so a model
 * with none of something still gets a valid pointer).  n counts declared
 * entities, or regions squared, which the run-size limit bounds. */
static void *scratch(Sim *s, size_t n, size_t size)
{
    return arena_alloc(&s->scratch, (n + 1) * size);
}

/* ---- evaluating properties with their dimensions checked ---- */

/* Where an error about a property's value points: at its expression when
 * there is one, else at the declaration. */
static void prop_place(OnsValue prop, const OnsEntityInfo *where, OnsSource **src, OnsSpan *span)
{
    *src = where ? where->src : NULL;
    *span = where ? where->span : (OnsSpan){0, 0};
    if (ons_is_obj(prop, ONS_OBJ_CLOSURE) && ONS_AS_CLOSURE(prop)->proto->src) {
        *src = ONS_AS_CLOSURE(prop)->proto->src;
        *span = ONS_AS_CLOSURE(prop)->proto->span;
    }
}

/* "the capacity of f is negative in 2024", at the property's expression:
 * the scenario override's when one is in force. */
static OnsStatus negative_in(Sim *s, OnsValue prop, const OnsOverride *ov, const OnsEntityInfo *where,
                             const char *what, const char *name, int year)
{
    OnsSource *src;
    OnsSpan span;
    prop_place(prop, where, &src, &span);
    if (ov && ov->src && !ons_is_obj(prop, ONS_OBJ_CLOSURE)) {
        src = ov->src;
        span = ov->span;
    }
    return vm_error_at(s->vm, src, span, "the %s of %s is negative in %d", what, name, year);
}

/* Evaluates a number-valued property at year and checks its dimension.
 * want_alt is a second accepted dimension (demand as amount or rate). */
OnsStatus sim_eval_number(Sim *s, const OnsPropRef *ref, OnsValue prop, double year, OnsDim want,
                             const OnsDim *want_alt, What w, OnsEntityInfo *where, double *out)
{
    OnsValue v;
    ONS_TRY(model_eval_prop(s->vm, ref, prop, year, &v));
    char what[256];
    OnsSource *src;
    OnsSpan span;
    prop_place(prop, where, &src, &span);
    if (v.type == ONS_T_NUM && (dim_eq(v.dim, want) || (want_alt && dim_eq(v.dim, *want_alt)))) {
        if (ONS_LIKELY(isfinite(v.as.num))) {
            *out = v.as.num;
            return ONS_OK;
        }
        snprintf(what, sizeof what, w.fmt, w.a, w.b);
        return vm_error_at(s->vm, src, span,
                           "%s is not a finite number in %g", what, year);
    }
    char got[96], units[48], words[64];
    snprintf(what, sizeof what, w.fmt, w.a, w.b);
    arith_describe(s->vm, v, got, sizeof got);
    if (dim_is_none(want))
        snprintf(units, sizeof units, "a plain number or a share");
    else
        snprintf(units, sizeof units, "%s", dim_base_units(want, words, sizeof words));
    dim_describe(want, words, sizeof words);
    return vm_error_at(s->vm, src, span,
                       "%s in %g is %s; it must be %s (%s)", what, year, got, units, words);
}

OnsDim sim_per(OnsDim a, OnsDim b)
{
    OnsDim d;
    return dim_div(a, b, &d) ? d : dim_none();
}

bool sim_rule_in_force(const OnsRule *r, int32_t y)
{
    return (!r->has_from || y >= r->year_from) && (!r->has_until || y <= r->year_until);
}

/* ---- resolving the scenario ---- */

static OnsStatus resolve_scenario(Sim *s, uint32_t scenario)
{
    OnsModel *m = s->m;
    OnsRun *run = s->run;
    uint32_t chain[1024];
    int depth = 0;
    for (int32_t cur = (int32_t)scenario; cur >= 0 && depth < 1024; cur = m->scenarios[cur].parent)
        chain[depth++] = (uint32_t)cur;
    /* years and sourcing: the nearest scenario that says */
    bool have_years = false;
    run->cheapest = false;
    run->propagates = false;
    bool have_sourcing = false, have_shortage = false;
    for (int i = 0; i < depth; i++) {
        OnsScenario *sc = &m->scenarios[chain[i]];
        if (!have_years && sc->has_years) {
            have_years = true;
            run->year_from = sc->year_from;
            run->year_until = sc->year_until;
        }
        if (!have_sourcing && sc->sourcing != ONS_SOURCING_INHERIT) {
            have_sourcing = true;
            run->cheapest = sc->sourcing == ONS_SOURCING_CHEAPEST;
        }
        if (!have_shortage && sc->shortage != ONS_SHORTAGE_INHERIT) {
            have_shortage = true;
            run->propagates = sc->shortage == ONS_SHORTAGE_PROPAGATES;
        }
    }
    OnsScenario *leaf = &m->scenarios[scenario];
    if (!have_years)
        return vm_error_at(s->vm, leaf->e.src, leaf->e.name_span,
                           "scenario %s has no years: add `years: 2024..2035`", leaf->e.name->chars);
    /* policies: the root's first, each added once */
    run->policies = ons_calloc(m->npolicies + 1, sizeof(uint32_t));
    for (int i = depth - 1; i >= 0; i--) {
        OnsScenario *sc = &m->scenarios[chain[i]];
        for (uint32_t u = 0; u < sc->nuse; u++) {
            uint32_t p = sc->use[u];
            if (p < m->npolicies && !s->policy_on[p] && m->policies[p].e.name) {
                s->policy_on[p] = true;
                run->policies[run->npolicies++] = p;
            }
        }
    }
    /* base values, then overrides from the root down to the leaf */
    for (uint32_t f = 0; f < s->nfac; f++) {
        OnsFacility *fa = &m->facilities[f];
        OnsValue *p = &s->fac_prop[(size_t)f * FP_COUNT];
        for (int k = 0; k < FP_COUNT; k++) p[k] = fa->per_year[k];
    }
    for (uint32_t i = 0; i < s->nmat; i++) s->price[i] = m->materials[i].price;
    for (uint32_t i = 0; i < m->ndemands; i++) {
        OnsDemand *d = &m->demands[i];
        if (!d->e.name) continue;
        size_t k = (size_t)d->material * s->nreg + d->region;
        s->demand[k] = d->amount;
        s->demand_src[k] = d->e.src;
        s->demand_span[k] = d->e.span;
    }
    for (int i = depth - 1; i >= 0; i--) {
        OnsScenario *sc = &m->scenarios[chain[i]];
        for (uint32_t o = 0; o < sc->noverrides; o++) {
            OnsOverride *ov = &sc->overrides[o];
            if (ov->kind == ONS_ENT_DEMAND) {
                size_t k = (size_t)ov->material * s->nreg + ov->index;
                s->demand[k] = ov->value;
                s->demand_src[k] = ov->src;
                s->demand_span[k] = ov->span;
            } else if (ov->kind == ONS_ENT_MATERIAL) {
                s->price[ov->index] = ov->value;
            } else {
                int slot = model_facility_slot((OnsPropId)ov->prop);
                if (slot >= 0) {
                    s->fac_prop[(size_t)ov->index * FP_COUNT + slot] = ov->value;
                    s->fac_ov[(size_t)ov->index * FP_COUNT + slot] = ov;
                }
            }
        }
    }
    return ONS_OK;
}

/* Facilities grouped by the material they make, and materials in the order
 * they are allocated: downstream stage first, declaration order within. */
static void index_model(Sim *s)
{
    OnsModel *m = s->m;
    uint32_t *count = ons_calloc(s->nmat + 1, sizeof(uint32_t));
    for (uint32_t f = 0; f < s->nfac; f++)
        if (m->facilities[f].e.name && s->active[f]) count[m->facilities[f].makes]++;
    s->mat_first[0] = 0;
    for (uint32_t i = 0; i < s->nmat; i++) s->mat_first[i + 1] = s->mat_first[i] + count[i];
    memset(count, 0, (s->nmat + 1) * sizeof(uint32_t));
    for (uint32_t f = 0; f < s->nfac; f++) {
        if (!m->facilities[f].e.name || !s->active[f]) continue;
        uint32_t mat = m->facilities[f].makes;
        s->fac_order[s->mat_first[mat] + count[mat]++] = f;
    }
    ons_free(count);
    uint32_t k = 0;
    for (int32_t st = (int32_t)m->nstages - 1; st >= 0; st--)
        for (uint32_t i = 0; i < s->nmat; i++)
            if (m->materials[i].e.name && m->materials[i].stage == (uint32_t)st) s->mat_order[k++] = i;
}

/* ---- step 1: effective capacity, cost and credits ---- */

OnsStatus sim_facilities_year(Sim *s, int32_t y)
{
    OnsModel *m = s->m;
    OnsRun *run = s->run;
    uint32_t yi = (uint32_t)(y - run->year_from);
    OnsDim time = dim_base(ONS_DIM_TIME), money = dim_base(ONS_DIM_MONEY), none = dim_none();
    for (uint32_t f = 0; f < s->nfac; f++) {
        OnsFacility *fa = &m->facilities[f];
        s->eff[f] = 0;
        s->cost[f] = s->credit[f] = s->net[f] = NAN;
        if (!fa->e.name || !s->active[f]) continue;
        OnsValue *p = &s->fac_prop[(size_t)f * FP_COUNT];
        OnsDim unit = m->materials[fa->makes].unit_dim;
        double cap = 0, util = 1, qualify = 0, cost = NAN;
        OnsPropRef ref[FP_COUNT];
        for (int k = 0; k < FP_COUNT; k++) ref[k] = (OnsPropRef){f, ONS_ENT_FACILITY, (uint8_t)k, ONS_LEVEL_IN_FORCE};
        OnsPropRef price_ref = {fa->makes, ONS_ENT_MATERIAL, 0, ONS_LEVEL_IN_FORCE};
        What what = {"the capacity of %s", fa->e.name->chars, NULL};
        const OnsOverride **ovs = &s->fac_ov[(size_t)f * FP_COUNT];
        if (!fa->is_option) { /* an option's capacity is what its plan built (below) */
            ONS_TRY(sim_eval_number(s, &ref[FP_CAPACITY], p[FP_CAPACITY], y, sim_per(unit, time), NULL, what, &fa->e, &cap));
            if (cap < 0) return negative_in(s, p[FP_CAPACITY], ovs[FP_CAPACITY], &fa->e, "capacity", fa->e.name->chars, y);
        }
        if (!ONS_IS_NIL(p[FP_UTILIZATION])) {
            what = (What){"the utilization of %s", fa->e.name->chars, NULL};
            ONS_TRY(sim_eval_number(s, &ref[FP_UTILIZATION], p[FP_UTILIZATION], y, none, NULL, what, &fa->e, &util));
            if (util < 0)
                return negative_in(s, p[FP_UTILIZATION], ovs[FP_UTILIZATION], &fa->e, "utilization",
                                   fa->e.name->chars, y);
        }
        if (!ONS_IS_NIL(p[FP_QUALIFY])) {
            what = (What){"the qualification time of %s", fa->e.name->chars, NULL};
            ONS_TRY(sim_eval_number(s, &ref[FP_QUALIFY], p[FP_QUALIFY], y, time, NULL, what, &fa->e, &qualify));
        }
        OnsValue costv = ONS_IS_NIL(p[FP_COST]) ? s->price[fa->makes] : p[FP_COST];
        if (!ONS_IS_NIL(costv)) {
            what = ONS_IS_NIL(p[FP_COST]) ? (What){"the price of %s (the cost of %s)", m->materials[fa->makes].e.name->chars, fa->e.name->chars}
                                          : (What){"the cost of %s", fa->e.name->chars, NULL};
            ONS_TRY(sim_eval_number(s, ONS_IS_NIL(p[FP_COST]) ? &price_ref : &ref[FP_COST], costv, y, sim_per(money, unit), NULL, what, &fa->e, &cost));
        }
        s->recycled[f] = false;
        if (!ONS_IS_NIL(p[FP_RECYCLED])) {
            OnsValue r;
            ONS_TRY(model_eval_prop(s->vm, &ref[FP_RECYCLED], p[FP_RECYCLED], y, &r));
            if (r.type != ONS_T_BOOL)
                return vm_error_at(s->vm, fa->e.src, fa->e.span, "recycled of %s must be true or false", fa->e.name->chars);
            s->recycled[f] = r.as.b;
        }
        /* qualification: buyers accept output only `qualify` after the first capacity */
        if (cap > 0 && isnan(s->first_year[f])) s->first_year[f] = y;
        bool qualified = !isnan(s->first_year[f]) &&
                         (s->first_year[f] == run->year_from || y >= s->first_year[f] + qualify);
        s->eff[f] = qualified ? cap * util : 0;
        s->util_now[f] = util;
        s->qualify_now[f] = qualify;
        if (fa->is_option) s->eff[f] = sim_plan_option_capacity(s, f, yi, util); /* qualified in the plan */
        s->avail[f] = s->eff[f];
        s->cost[f] = cost;
        /* credits: several add up; a share is a share of the unit cost */
        double credit = 0;
        for (uint32_t pi = 0; pi < run->npolicies; pi++) {
            OnsPolicy *pol = &m->policies[run->policies[pi]];
            for (uint32_t ri = 0; ri < pol->nrules; ri++) {
                OnsRule *r = &pol->rules[ri];
                if (r->kind != ONS_RULE_CREDIT || !sim_rule_in_force(r, y)) continue;
                if (!model_selector_matches(m, &r->sel, fa->makes) || !model_region_set_matches(m, &r->from, fa->region))
                    continue;
                OnsValue v;
                ONS_TRY(model_eval(s->vm, r->value, y, &v));
                if (v.type == ONS_T_NUM && dim_is_none(v.dim)) {
                    credit += v.as.num * cost;
                } else if (v.type == ONS_T_NUM && dim_eq(v.dim, sim_per(money, unit))) {
                    credit += v.as.num;
                } else {
                    char got[96], want[48];
                    return vm_error_at(s->vm, r->src, r->span, "this credit is %s in %d; for %s it must be a share or %s",
                                       arith_describe(s->vm, v, got, sizeof got), y, fa->e.name->chars,
                                       dim_base_units(sim_per(money, unit), want, sizeof want));
                }
            }
        }
        s->credit[f] = credit;
        s->net[f] = cost - credit;
        run->fac_capacity[(size_t)yi * s->nfac + f] = s->eff[f];
        run->fac_cost[(size_t)yi * s->nfac + f] = s->net[f];
    }
    return ONS_OK;
}

/* ---- lanes, tariffs and bans ---- */

/* Freight cost of every (origin, destination): the most specific lane
 * declared, A -> B, then A -> *, then * -> B, then * -> *; 0 within a region. */
OnsStatus sim_lanes_year(Sim *s, int32_t y)
{
    OnsModel *m = s->m;
    uint32_t R = s->nreg;
    /* level 0 exact, 1 A -> *, 2 * -> B, 3 * -> *; 4 none */
    uint8_t *level = s->lane_level;
    memset(level, 4, (size_t)R * R);
    for (size_t i = 0; i < (size_t)R * R; i++) s->lane[i] = 0;
    for (uint32_t li = 0; li < m->nlanes; li++) {
        OnsLane *l = &m->lanes[li];
        if (!l->e.name) continue;
        double cost = 0;
        if (!ONS_IS_NIL(l->cost)) {
            What what = {"the cost of lane %s", l->e.name->chars, NULL};
            ONS_TRY(sim_eval_number(s, NULL, l->cost, y, dim_none(), NULL, what, &l->e, &cost));
        }
        uint8_t lv = l->from >= 0 ? (l->to >= 0 ? 0 : 1) : (l->to >= 0 ? 2 : 3);
        for (uint32_t o = 0; o < R; o++) {
            if (l->from >= 0 && (uint32_t)l->from != o) continue;
            for (uint32_t d = 0; d < R; d++) {
                if (l->to >= 0 && (uint32_t)l->to != d) continue;
                size_t k = (size_t)o * R + d;
                if (lv < level[k]) {
                    level[k] = lv;
                    s->lane[k] = cost;
                }
            }
        }
    }
    for (uint32_t o = 0; o < R; o++) s->lane[(size_t)o * R + o] = 0;
    return ONS_OK;
}

/* ---- quotas (spec 10.2) ---- */

/* The quota rules of the run's policies, and which lanes each covers. */
static void quotas_index(Sim *s)
{
    OnsModel *m = s->m;
    OnsRun *run = s->run;
    uint32_t n = 0, R = s->nreg;
    for (uint32_t pi = 0; pi < run->npolicies; pi++) {
        OnsPolicy *pol = &m->policies[run->policies[pi]];
        for (uint32_t ri = 0; ri < pol->nrules; ri++) n += pol->rules[ri].kind == ONS_RULE_QUOTA;
    }
    run->nquotas = n;
    run->quota_policy = ons_calloc(n + 1, sizeof(uint32_t));
    run->quota_rule = ons_calloc(n + 1, sizeof(uint32_t));
    run->quota_cap = ons_calloc((size_t)run->nyears * n + 1, sizeof(double));
    run->quota_use = ons_calloc((size_t)run->nyears * n + 1, sizeof(double));
    run->quota_policy_use = ons_calloc((size_t)run->nyears * run->npolicies + 1, sizeof(double));
    s->quota_from = scratch(s, (size_t)n * R, sizeof(bool));
    s->quota_to = scratch(s, (size_t)n * R, sizeof(bool));
    s->quota_left = scratch(s, n, sizeof(double));
    s->covering = scratch(s, n, sizeof(uint32_t));
    s->quota_run_policy = scratch(s, n, sizeof(uint32_t));
    uint32_t q = 0;
    for (uint32_t pi = 0; pi < run->npolicies; pi++) {
        OnsPolicy *pol = &m->policies[run->policies[pi]];
        for (uint32_t ri = 0; ri < pol->nrules; ri++) {
            const OnsRule *r = &pol->rules[ri];
            if (r->kind != ONS_RULE_QUOTA) continue;
            run->quota_policy[q] = run->policies[pi];
            run->quota_rule[q] = ri;
            s->quota_run_policy[q] = pi;
            for (uint32_t g = 0; g < R; g++) {
                s->quota_from[(size_t)q * R + g] = model_region_set_matches(m, &r->from, g);
                s->quota_to[(size_t)q * R + g] = model_region_set_matches(m, &r->to, g);
            }
            q++;
        }
    }
}

/* Each quota's cap this year, Q x 1 yr, or NAN when it is not in force. */
OnsStatus sim_quotas_year(Sim *s, int32_t y)
{
    OnsRun *run = s->run;
    uint32_t yi = (uint32_t)(y - run->year_from);
    for (uint32_t q = 0; q < run->nquotas; q++) {
        OnsPolicy *pol = &s->m->policies[run->quota_policy[q]];
        const OnsRule *r = &pol->rules[run->quota_rule[q]];
        double cap = NAN;
        if (sim_rule_in_force(r, y) && !ONS_IS_NIL(r->value)) {
            What what = {"the quota in policy %s", pol->e.name->chars, NULL};
            ONS_TRY(sim_eval_number(s, NULL, r->value, y, sim_per(r->unit, dim_base(ONS_DIM_TIME)), NULL, what, &pol->e, &cap));
            if (cap < 0) return vm_error_at(s->vm, r->src, r->span, "this quota is negative in %d", y);
        }
        s->quota_left[q] = cap;
        run->quota_cap[(size_t)yi * run->nquotas + q] = cap;
        run->quota_use[(size_t)yi * run->nquotas + q] = isnan(cap) ? NAN : 0;
    }
    for (uint32_t p = 0; p < run->npolicies; p++) run->quota_policy_use[(size_t)yi * run->npolicies + p] = 0;
    return ONS_OK;
}

/* The quotas in force this year that cover a material. */
void sim_quotas_covering(Sim *s, uint32_t mat)
{
    OnsRun *run = s->run;
    s->ncovering = 0;
    for (uint32_t q = 0; q < run->nquotas; q++) {
        const OnsRule *r = &s->m->policies[run->quota_policy[q]].rules[run->quota_rule[q]];
        if (!isnan(s->quota_left[q]) && model_selector_matches(s->m, &r->sel, mat)) s->covering[s->ncovering++] = q;
    }
}

/* Tariffs (ad valorem and per unit, adding up) and bans on one material. */
OnsStatus sim_trade_rules(Sim *s, int32_t y, uint32_t mat)
{
    OnsModel *m = s->m;
    uint32_t R = s->nreg;
    size_t n = (size_t)R * R;
    for (size_t i = 0; i < n; i++) {
        s->adv[i] = s->per_unit[i] = 0;
        s->ban[i] = false;
    }
    OnsDim unit_money = sim_per(dim_base(ONS_DIM_MONEY), m->materials[mat].unit_dim);
    for (uint32_t pi = 0; pi < s->run->npolicies; pi++) {
        OnsPolicy *pol = &m->policies[s->run->policies[pi]];
        for (uint32_t ri = 0; ri < pol->nrules; ri++) {
            OnsRule *r = &pol->rules[ri];
            if ((r->kind != ONS_RULE_TARIFF && r->kind != ONS_RULE_BAN) || !sim_rule_in_force(r, y)) continue;
            if (!model_selector_matches(m, &r->sel, mat)) continue;
            double rate = 0;
            bool adv = false;
            if (r->kind == ONS_RULE_TARIFF) {
                OnsValue v;
                ONS_TRY(model_eval(s->vm, r->value, y, &v));
                if (v.type == ONS_T_NUM && dim_is_none(v.dim)) adv = true;
                else if (!(v.type == ONS_T_NUM && dim_eq(v.dim, unit_money))) {
                    char got[96], want[48];
                    return vm_error_at(s->vm, r->src, r->span,
                                       "this tariff is %s in %d; on %s it must be a share or %s",
                                       arith_describe(s->vm, v, got, sizeof got), y, m->materials[mat].e.name->chars,
                                       dim_base_units(unit_money, want, sizeof want));
                }
                rate = v.as.num;
            }
            for (uint32_t o = 0; o < R; o++) {
                if (!model_region_set_matches(m, &r->from, o)) continue;
                for (uint32_t d = 0; d < R; d++) {
                    /* a region's own supply is never tariffed or banned */
                    if (d == o || !model_region_set_matches(m, &r->to, d)) continue;
                    size_t k = (size_t)o * R + d;
                    if (r->kind == ONS_RULE_BAN) s->ban[k] = true;
                    else if (adv) s->adv[k] += rate;
                    else s->per_unit[k] += rate;
                }
            }
        }
    }
    return ONS_OK;
}

/* ---- recording shipments ---- */

static void trace_event(Sim *s, uint8_t kind, uint32_t f, double amount, const Pair *p, double cap_left,
                        double dem_left)
{
    OnsTrace *t = s->trace;
    ONS_GROW(t->events, t->cap, t->n + 1);
    OnsTraceEvent *e = &t->events[t->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->facility = f;
    e->amount = amount;
    e->net_cost = s->net[f];
    if (p) {
        e->landed = p->landed;
        e->lane = p->lane;
        e->tariff = p->tariff;
    } else {
        e->landed = s->net[f];
    }
    e->capacity_left = cap_left;
    e->demand_left = dem_left;
    e->quota = -1;
    e->fed = -1;
}

void sim_ship(Sim *s, uint32_t yi, uint32_t mat, uint32_t f, uint32_t dest, double amount, double landed,
                 double tariff, bool local)
{
    OnsRun *run = s->run;
    OnsModel *m = s->m;
    uint32_t origin = m->facilities[f].region;
    OnsCell *c = &run->cells[sim_cell_index(run, yi, mat, dest)];
    s->recv_year[((size_t)mat * s->nreg + dest) * s->nreg + origin] += amount;
    if (origin == dest) c->local += amount;
    else c->imports += amount;
    if (s->recycled[f]) c->recycled += amount;
    c->landed_total += landed * amount;
    c->tariffs_paid += tariff * amount;
    run->fac_output[(size_t)yi * s->nfac + f] += amount;
    /* huge costs or amounts: the caller says so (never an inf figure); a
     * cost nobody gave (no cost, no price: NaN) is unknown, not too large */
    if (isinf(c->landed_total) || isinf(c->tariffs_paid) || !isfinite(c->local + c->imports))
        s->overflowed = true;
    if (run->nflows == run->flows_cap) {
        size_t cap = run->flows_cap;
        ONS_GROW(run->flows, cap, run->nflows + 1);
        run->flows_cap = cap;
    }
    run->flows[run->nflows++] = (OnsFlow){f, dest, amount, landed, tariff, local};
}

static int pair_order(const void *a, const void *b)
{
    const Pair *x = a, *y = b;
    if (x->landed != y->landed) return x->landed < y->landed ? -1 : 1;
    if (x->facility != y->facility) return x->facility < y->facility ? -1 : 1; /* ties: facility order, */
    return (x->region > y->region) - (x->region < y->region);                  /* then region order */
}

static bool traced(const Sim *s, int32_t y, uint32_t mat, uint32_t region)
{
    return s->trace && s->trace->year == y && s->trace->material == mat && s->trace->region == region;
}

/* ---- recipes (spec 10.1) ---- */


/* The recipe facility f works to in year y: its own `needs` in force (the
 * scenario's or the declared), else its material's.  The material's is
 * evaluated once a material and year. */
OnsStatus sim_recipe_of(Sim *s, uint32_t f, int32_t y, const RecipeItem **items, uint32_t *n)
{
    OnsModel *m = s->m;
    OnsFacility *fa = &m->facilities[f];
    OnsMaterial *out = &m->materials[fa->makes];
    OnsValue own = s->fac_prop[(size_t)f * FP_COUNT + ONS_FP_RECIPE];
    if (ons_is_obj(own, ONS_OBJ_MAP)) {
        OnsMap *map = ONS_AS_MAP(own);
        ONS_GROW(s->own_recipe, s->own_recipe_cap, (size_t)map->len + 1);
        for (uint32_t k = 0; k < map->len; k++) {
            uint32_t in = map->entries[k].key.as.index;
            const OnsMaterial *input = &m->materials[in];
            What what = {"what %s needs of %s", fa->e.name->chars, input->e.name->chars};
            s->own_recipe[k].input = in;
            ONS_TRY(sim_eval_number(s, NULL, map->entries[k].value, y, sim_per(input->unit_dim, out->unit_dim), NULL, what,
                                &fa->e, &s->own_recipe[k].amount));
        }
        *items = s->own_recipe;
        *n = map->len;
        return ONS_OK;
    }
    if (s->mat_recipe_of != fa->makes || s->mat_recipe_year != y) {
        for (uint32_t k = 0; k < out->nneeds; k++) {
            const OnsMaterial *input = &m->materials[out->needs[k].material];
            What what = {"what %s needs of %s", out->e.name->chars, input->e.name->chars};
            s->mat_recipe[k].input = out->needs[k].material;
            ONS_TRY(sim_eval_number(s, NULL, out->needs[k].per_unit, y, sim_per(input->unit_dim, out->unit_dim), NULL, what,
                                &out->e, &s->mat_recipe[k].amount));
        }
        s->mat_recipe_of = fa->makes;
        s->mat_recipe_year = y;
    }
    *items = s->mat_recipe;
    *n = out->nneeds;
    return ONS_OK;
}

/* How much of material `in` facility f's recipe takes per unit of output. */
static OnsStatus recipe_amount(Sim *s, uint32_t f, int32_t y, uint32_t in, double *amount)
{
    const RecipeItem *items;
    uint32_t n;
    ONS_TRY(sim_recipe_of(s, f, y, &items, &n));
    *amount = 0;
    for (uint32_t k = 0; k < n; k++)
        if (items[k].input == in) *amount += items[k].amount;
    return ONS_OK;
}

/* A shipment from o to r the covering quotas count: each quota's remainder
 * falls by it, and each policy counts it once however many of its quotas
 * cover it. */
void sim_count_quotas(Sim *s, uint32_t yi, uint32_t o, uint32_t r, double amount)
{
    OnsRun *run = s->run;
    uint32_t last_policy = UINT32_MAX;
    for (uint32_t i = 0; i < s->ncovering; i++) {
        uint32_t q = s->covering[i];
        if (!s->quota_from[(size_t)q * s->nreg + o] || !s->quota_to[(size_t)q * s->nreg + r]) continue;
        s->quota_left[q] -= amount;
        run->quota_use[(size_t)yi * run->nquotas + q] += amount;
        uint32_t p = s->quota_run_policy[q];
        if (p != last_policy) { /* covering is in policy order: a policy's quotas are neighbours */
            run->quota_policy_use[(size_t)yi * run->npolicies + p] += amount;
            last_policy = p;
        }
    }
}

/* An amount from o to r cut to the remainder of every quota covering it;
 * *stopped_by is the quota that cut it, or -1.  Quotas never limit
 * shipments within a region. */
static double quota_limit(const Sim *s, uint32_t o, uint32_t r, double amount, int32_t *stopped_by)
{
    *stopped_by = -1;
    if (o == r) return amount;
    for (uint32_t i = 0; i < s->ncovering; i++) {
        uint32_t q = s->covering[i];
        if (!s->quota_from[(size_t)q * s->nreg + o] || !s->quota_to[(size_t)q * s->nreg + r]) continue;
        if (s->quota_left[q] < amount) {
            amount = s->quota_left[q] > 0 ? s->quota_left[q] : 0;
            *stopped_by = (int32_t)q;
        }
    }
    return amount;
}

/* One offer of step 5, taken: facility f ships to region r what it can,
 * min(remaining demand, remaining capacity, the remainder of every quota
 * that covers it).  The one place both orders of step 5 below move goods, so
 * a rule that limits a shipment is written here once.  Returns the amount
 * moved; *stopped_by is the quota that held it back, or -1. */
static double take_offer(Sim *s, uint32_t yi, uint32_t mat, uint32_t f, uint32_t r, double landed, double tariff,
                         int32_t *stopped_by)
{
    double amount = s->rem[r] < s->remcap[f] ? s->rem[r] : s->remcap[f];
    uint32_t o = s->m->facilities[f].region;
    amount = quota_limit(s, o, r, amount, stopped_by);
    if (amount <= 0) return 0;
    sim_ship(s, yi, mat, f, r, amount, landed, tariff, false);
    s->rem[r] -= amount;
    s->remcap[f] -= amount;
    if (o != r) sim_count_quotas(s, yi, o, r, amount);
    return amount;
}

/* Step 5 as the spec words it: build every (facility, region) pair, sort
 * them by landed cost (ties: facility, then region, in declaration order),
 * and let each take its offer.  The engine ranks by streams
 * (imports_by_streams); this literal version is the tests' oracle
 * (ONSHORE_SIM_LITERAL=1), so the two must agree to the bit. */
static OnsStatus imports_literal(Sim *s, int32_t y, uint32_t yi, uint32_t mat, const uint32_t *facs, uint32_t nf)
{
    OnsModel *m = s->m;
    OnsMaterial *mt = &m->materials[mat];
    uint32_t R = s->nreg;
    size_t np = 0;
    for (uint32_t i = 0; i < nf; i++) {
        uint32_t f = facs[i], o = m->facilities[f].region;
        if (s->remcap[f] <= 0) continue;
        for (uint32_t r = 0; r < R; r++) {
            if (s->rem[r] <= 0) continue;
            size_t k = (size_t)o * R + r;
            if (o != r && s->ban[k]) {
                if (traced(s, y, mat, r)) {
                    Pair p = {NAN, 0, s->lane[k], f, r};
                    trace_event(s, ONS_TRACE_BANNED, f, 0, &p, s->remcap[f], s->rem[r]);
                }
                continue;
            }
            if (isnan(s->net[f]))
                return vm_error_at(s->vm, m->facilities[f].e.src, m->facilities[f].e.span,
                                   "cannot rank %s from %s by landed cost in %d: give the facility a cost "
                                   "or %s a price",
                                   mt->e.name->chars, m->facilities[f].e.name->chars, y, mt->e.name->chars);
            double tariff = o == r ? 0 : s->adv[k] * s->net[f] + s->per_unit[k];
            double lane = o == r ? 0 : s->lane[k];
            if (np == s->pairs_cap) ONS_GROW(s->pairs, s->pairs_cap, np + 1);
            s->pairs[np++] = (Pair){s->net[f] * (1 + lane) + tariff, tariff, lane, f, r};
        }
    }
    if (np > 1) qsort(s->pairs, np, sizeof(Pair), pair_order); /* pairs is NULL before the first */
    for (size_t i = 0; i < np; i++) {
        Pair *p = &s->pairs[i];
        double had = s->remcap[p->facility], wanted = s->rem[p->region];
        int32_t quota;
        double amount = take_offer(s, yi, mat, p->facility, p->region, p->landed, p->tariff, &quota);
        if (traced(s, y, mat, p->region)) {
            trace_event(s, amount > 0 ? ONS_TRACE_IMPORT : wanted > 0 ? ONS_TRACE_PASSED : ONS_TRACE_LATER,
                        p->facility, amount, p, had, wanted);
            if (quota >= 0) {
                s->trace->events[s->trace->n - 1].quota = quota;
                s->trace->events[s->trace->n - 1].quota_left = s->quota_left[quota];
            }
        }
    }

    return ONS_OK;
}

/* Step 5 by streams.  For one origin region o and one destination r, a
 * facility's landed cost is
 *   net x (1 + lane) + (adv x net + per_unit)
 * which grows with its net cost when lane >= -1 and adv >= 0.  So the pairs of
 * (o, r) come in the order of o's facilities sorted by (net cost, index), and
 * merging those streams with a heap keyed by (landed, facility, region) gives
 * exactly the spec's sequence -- but stops as soon as demand or capacity is
 * gone, instead of ranking every pair of 5,000 facilities and 50 regions. */

/* A stream's place in its order: the heap moves only the small entries
 * below, the cursors stay put. */
typedef struct Cursor {
    uint32_t idx, end;      /* where the stream is in its order, and where it ends */
    uint32_t order_at;      /* its own order at s->lane_orders[order_at ..], or UINT32_MAX:
                             * keys[idx..end) as sorted */
} Cursor;

typedef struct Stream {
    double landed;          /* of the facility at the head */
    uint32_t facility;      /* the head's facility (keys[pos].facility, kept here for the comparisons) */
    uint32_t region;        /* destination */
    uint32_t pos;           /* the head: a position in keys */
    uint32_t cursor;        /* its Cursor in s->cursors */
} Stream;

typedef struct FacKey {
    double net;
    uint32_t facility, region;
} FacKey;

static int fackey_order(const void *a, const void *b)
{
    const FacKey *x = a, *y = b;
    if (x->region != y->region) return x->region < y->region ? -1 : 1;
    if (x->net != y->net) return x->net < y->net ? -1 : 1;
    return (x->facility > y->facility) - (x->facility < y->facility);
}

/* Does the landed cost into this lane grow with net cost, term by term, so
 * that (net, index) order is landed-cost order to the last bit?  (Each of
 * net x (1 + lane) and adv x net must not fall as net grows.) */
static bool lane_monotone(const Sim *s, size_t k)
{
    return s->lane[k] >= -1 && s->adv[k] >= 0;
}

/* The spec's order of offers: landed cost, then the facility, then the
 * region declared first -- a total order, so any heap pops the same
 * sequence. */
static inline bool stream_before(const Stream *a, const Stream *b)
{
    if (a->landed != b->landed) return a->landed < b->landed;
    if (a->facility != b->facility) return a->facility < b->facility;
    return a->region < b->region;
}

/* A 4-ary heap: half the depth of a binary one, and a node's children
 * share a cache line or two. */
#define HEAP_ARITY 4

static void heap_down(Stream *h, size_t n, size_t i)
{
    Stream moving = h[i];
    for (;;) {
        size_t first = HEAP_ARITY * i + 1;
        if (first >= n) break;
        size_t last = first + HEAP_ARITY < n ? first + HEAP_ARITY : n, best = first;
        for (size_t c = first + 1; c < last; c++)
            if (stream_before(&h[c], &h[best])) best = c;
        if (!stream_before(&h[best], &moving)) break;
        h[i] = h[best];
        i = best;
    }
    h[i] = moving;
}

static void heap_up(Stream *h, size_t i)
{
    Stream moving = h[i];
    while (i > 0) {
        size_t p = (i - 1) / HEAP_ARITY;
        if (!stream_before(&moving, &h[p])) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = moving;
}

/* The landed cost of the facility at keys[pos] into region r, computed with
 * the very expression imports_literal uses, so the two agree to the bit. */
static double landed_at(const Sim *s, const FacKey *keys, uint32_t pos, uint32_t r, double *tariff, double *lane)
{
    uint32_t o = keys[pos].region;
    size_t k = (size_t)o * s->nreg + r;
    double net = s->net[keys[pos].facility];
    *tariff = o == r ? 0 : s->adv[k] * net + s->per_unit[k];
    *lane = o == r ? 0 : s->lane[k];
    return net * (1 + *lane) + *tariff;
}

/* The order of one lane whose landed cost does not grow with net cost (a
 * negative ad valorem tariff, a lane below -100 %): its own sort of the
 * origin's facilities by (landed cost, index), kept in s->lane_orders. */
typedef struct Ranked {
    double landed;
    uint32_t facility, pos;
} Ranked;

static int ranked_order(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->landed != y->landed) return x->landed < y->landed ? -1 : 1;
    return (x->facility > y->facility) - (x->facility < y->facility);
}

static size_t lane_order(Sim *s, const FacKey *keys, uint32_t from, uint32_t to, uint32_t r)
{
    size_t at = s->nlane_orders, n = to - from;
    ONS_GROW(s->lane_orders, s->lane_orders_cap, at + n + 1);
    Ranked *tmp = ons_malloc((n + 1) * sizeof *tmp);
    for (uint32_t j = from; j < to; j++) {
        double tariff, lane;
        tmp[j - from] = (Ranked){landed_at(s, keys, j, r, &tariff, &lane), keys[j].facility, j};
    }
    qsort(tmp, n, sizeof *tmp, ranked_order);
    for (size_t j = 0; j < n; j++) s->lane_orders[at + j] = tmp[j].pos;
    ons_free(tmp);
    s->nlane_orders += n;
    return at;
}

static uint32_t cursor_pos(const Sim *s, const Cursor *c)
{
    return c->order_at != UINT32_MAX ? s->lane_orders[c->order_at + c->idx] : c->idx;
}

/* Step 5, every (facility, region) offer in the spec's order -- ascending
 * landed cost, ties to the facility then the region declared first --
 * without sorting every pair.  For one origin o and destination r, the
 * offers come in the order of o's facilities by (net cost, index) whenever
 * the lane's landed cost grows with net cost (lane_monotone; otherwise the
 * lane gets a sorted order of its own), so merging one stream per (o, r)
 * with a heap gives the whole sequence, and a stream stops as soon as its
 * region has what it needs.  For the region explain traces, every offer is
 * visited and recorded, as the spec lists them. */
static OnsStatus imports_by_streams(Sim *s, int32_t y, uint32_t yi, uint32_t mat, const uint32_t *facs, uint32_t nf)
{
    OnsModel *m = s->m;
    OnsMaterial *mt = &m->materials[mat];
    uint32_t R = s->nreg;
    /* a facility nobody can rank, named as the spec's order would meet it;
     * explain's banned lanes, in the same order (a pass only when needed) */
    bool unrankable = false;
    for (uint32_t i = 0; i < nf && !unrankable; i++) unrankable = s->remcap[facs[i]] > 0 && isnan(s->net[facs[i]]);
    bool tracing = s->trace && s->trace->year == y && s->trace->material == mat;
    for (uint32_t i = 0; i < nf && (unrankable || tracing); i++) {
        uint32_t f = facs[i], o = m->facilities[f].region;
        if (s->remcap[f] <= 0) continue;
        for (uint32_t r = 0; r < R; r++) {
            if (s->rem[r] <= 0) continue;
            size_t k = (size_t)o * R + r;
            if (o != r && s->ban[k]) {
                if (traced(s, y, mat, r)) {
                    Pair p = {NAN, 0, s->lane[k], f, r};
                    trace_event(s, ONS_TRACE_BANNED, f, 0, &p, s->remcap[f], s->rem[r]);
                }
                continue;
            }
            if (isnan(s->net[f]))
                return vm_error_at(s->vm, m->facilities[f].e.src, m->facilities[f].e.span,
                                   "cannot rank %s from %s by landed cost in %d: give the facility a cost "
                                   "or %s a price",
                                   mt->e.name->chars, m->facilities[f].e.name->chars, y, mt->e.name->chars);
        }
    }
    /* the facilities with capacity left, by origin then (net cost, index) */
    FacKey *keys = s->keys;
    uint32_t nk = 0;
    for (uint32_t i = 0; i < nf; i++) {
        uint32_t f = facs[i];
        if (s->remcap[f] <= 0) continue;
        keys[nk++] = (FacKey){s->net[f], f, m->facilities[f].region};
    }
    qsort(keys, nk, sizeof(FacKey), fackey_order);
    /* one stream per (origin, destination) with something to move */
    Stream *heap = s->heap;
    size_t nh = 0;
    s->nlane_orders = 0;
    Cursor *cursors = s->cursors;
    uint32_t *live = s->region_streams; /* [region]: its streams in the heap */
    memset(live, 0, R * sizeof *live);
    for (uint32_t i = 0; i < nk;) {
        uint32_t o = keys[i].region, end = i;
        while (end < nk && keys[end].region == o) end++;
        for (uint32_t r = 0; r < R; r++) {
            size_t k = (size_t)o * R + r;
            if (s->rem[r] <= 0 || (o != r && s->ban[k])) continue;
            Cursor c = {i, end, UINT32_MAX};
            if (o != r && !lane_monotone(s, k)) c = (Cursor){0, end - i, (uint32_t)lane_order(s, keys, i, end, r)};
            cursors[nh] = c;
            uint32_t pos = cursor_pos(s, &c);
            double tariff, lane;
            heap[nh] = (Stream){landed_at(s, keys, pos, r, &tariff, &lane), keys[pos].facility, r, pos, (uint32_t)nh};
            heap_up(heap, nh);
            nh++;
            live[r]++;
        }
        i = end;
    }
    /* A region that has what it needs leaves its streams behind in the
     * heap: `dead` counts them, and when they are half the heap they are
     * swept out and the heap rebuilt, instead of each costing a pop.  Any
     * heap pops the same sequence (the order is total), so the numbers are
     * the same to the bit. */
    size_t dead = 0;
    while (nh > 0) {
        Stream *top = &heap[0];
        uint32_t f = top->facility, r = top->region;
        bool trace_r = traced(s, y, mat, r);
        if (s->rem[r] <= 0 && !trace_r) { /* a dead stream: nothing more goes to r */
            heap[0] = heap[--nh];
            live[r]--;
            dead--;
            if (nh > 0) heap_down(heap, nh, 0);
            continue;
        }
        double tariff, lane, landed = top->landed;
        double had = s->remcap[f], wanted = s->rem[r], amount = 0;
        int32_t quota = -1;
        if (had > 0 || trace_r) {
            landed_at(s, keys, top->pos, r, &tariff, &lane);
            amount = take_offer(s, yi, mat, f, r, landed, tariff, &quota);
        }
        if (trace_r) {
            Pair p = {landed, tariff, lane, f, r};
            trace_event(s, amount > 0 ? ONS_TRACE_IMPORT : wanted > 0 ? ONS_TRACE_PASSED : ONS_TRACE_LATER, f, amount,
                        &p, had, wanted);
            if (quota >= 0) {
                s->trace->events[s->trace->n - 1].quota = quota;
                s->trace->events[s->trace->n - 1].quota_left = s->quota_left[quota];
            }
        }
        bool filled = wanted > 0 && s->rem[r] <= 0 && !trace_r;
        if (filled) dead += live[r]; /* this stream among them */
        /* the next offer of this stream: a facility with capacity left, while
         * the region wants some (the traced region hears every offer) */
        Cursor *c = &cursors[top->cursor];
        uint32_t next = c->idx + 1;
        if (!trace_r) {
            Cursor probe = *c;
            for (; next < c->end; next++) {
                probe.idx = next;
                if (s->remcap[keys[cursor_pos(s, &probe)].facility] > 0) break;
            }
        }
        if ((trace_r || s->rem[r] > 0) && next < c->end) {
            c->idx = next;
            top->pos = cursor_pos(s, c);
            top->facility = keys[top->pos].facility;
            top->landed = landed_at(s, keys, top->pos, r, &tariff, &lane);
        } else {
            heap[0] = heap[--nh];
            live[r]--;
            if (filled) dead--;
        }
        if (nh > 0) heap_down(heap, nh, 0);
        if (dead > 64 && 2 * dead > nh) { /* sweep the dead streams out */
            size_t kept = 0;
            for (size_t i = 0; i < nh; i++) {
                if (s->rem[heap[i].region] > 0 || traced(s, y, mat, heap[i].region)) heap[kept++] = heap[i];
                else live[heap[i].region]--;
            }
            nh = kept;
            dead = 0;
            for (size_t i = nh / HEAP_ARITY + 1; i-- > 0;)
                if (i < nh) heap_down(heap, nh, i);
        }
    }
    return ONS_OK;
}

/* ---- captive supply (spec 10.3) ---- */

/* Before step 4: each facility of the material that feeds others ships to
 * them, feeders in declaration order and each to its fed facilities in the
 * order it lists them, min(its capacity left, the fed facility's need left),
 * the need being the fed facility's output times its recipe's amount of the
 * material.  Between regions it is an import: the lane's cost and tariffs
 * apply, a ban stops it, a quota limits it. */
static OnsStatus captive_supply(Sim *s, int32_t y, uint32_t yi, uint32_t mat, const uint32_t *facs, uint32_t nf)
{
    OnsModel *m = s->m;
    uint32_t R = s->nreg;
    bool any = false;
    for (uint32_t i = 0; i < nf && !any; i++) any = m->facilities[facs[i]].nfeeds > 0;
    if (!any) return ONS_OK;
    for (uint32_t i = 0; i < nf; i++)
        for (uint32_t j = 0; j < m->facilities[facs[i]].nfeeds; j++) s->captive_got[m->facilities[facs[i]].feeds[j]] = 0;
    for (uint32_t i = 0; i < nf; i++) {
        uint32_t f = facs[i], o = m->facilities[f].region;
        const OnsFacility *fa = &m->facilities[f];
        for (uint32_t j = 0; j < fa->nfeeds && s->remcap[f] > 0; j++) {
            uint32_t g = fa->feeds[j], r = m->facilities[g].region;
            double per_unit;
            ONS_TRY(recipe_amount(s, g, y, mat, &per_unit));
            double need = s->run->fac_output[(size_t)yi * s->nfac + g] * per_unit - s->captive_got[g];
            if (need <= 0) continue;
            size_t k = (size_t)o * R + r;
            if (o != r && s->ban[k]) {
                if (traced(s, y, mat, r)) {
                    Pair p = {NAN, 0, s->lane[k], f, r};
                    trace_event(s, ONS_TRACE_BANNED, f, 0, &p, s->remcap[f], s->rem[r]);
                }
                continue;
            }
            double tariff = o == r ? 0 : s->adv[k] * s->net[f] + s->per_unit[k];
            double lane = o == r ? 0 : s->lane[k];
            double landed = o == r ? s->net[f] : s->net[f] * (1 + lane) + tariff;
            int32_t quota;
            double amount = quota_limit(s, o, r, s->remcap[f] < need ? s->remcap[f] : need, &quota);
            if (traced(s, y, mat, r)) {
                Pair p = {landed, tariff, lane, f, r};
                trace_event(s, ONS_TRACE_CAPTIVE, f, amount, &p, s->remcap[f], s->rem[r]);
                s->trace->events[s->trace->n - 1].fed = (int32_t)g;
                if (quota >= 0) {
                    s->trace->events[s->trace->n - 1].quota = quota;
                    s->trace->events[s->trace->n - 1].quota_left = s->quota_left[quota] - amount;
                }
            }
            if (amount <= 0) continue;
            sim_ship(s, yi, mat, f, r, amount, landed, tariff, o == r);
            s->rem[r] -= amount;
            s->remcap[f] -= amount;
            s->captive_got[g] += amount;
            if (o != r) sim_count_quotas(s, yi, o, r, amount);
        }
    }
    return ONS_OK;
}

/* ---- steps 3 to 6 for one material ---- */

static OnsStatus allocate(Sim *s, int32_t y, uint32_t mat)
{
    OnsModel *m = s->m;
    OnsRun *run = s->run;
    OnsMaterial *mt = &m->materials[mat];
    uint32_t yi = (uint32_t)(y - run->year_from), R = s->nreg;
    const uint32_t *facs = s->fac_order + s->mat_first[mat];
    uint32_t nf = s->mat_first[mat + 1] - s->mat_first[mat];
    double *dem = s->dem + (size_t)mat * R;

    /* the price, for value-weighted figures */
    double price = NAN;
    if (!ONS_IS_NIL(s->price[mat])) {
        OnsPropRef price_ref = {mat, ONS_ENT_MATERIAL, 0, ONS_LEVEL_IN_FORCE};
        What what = {"the price of %s", mt->e.name->chars, NULL};
        ONS_TRY(sim_eval_number(s, &price_ref, s->price[mat], y, sim_per(dim_base(ONS_DIM_MONEY), mt->unit_dim), NULL, what, &mt->e, &price));
    }
    run->price[(size_t)yi * s->nmat + mat] = price;
    ONS_TRY(sim_trade_rules(s, y, mat));
    sim_quotas_covering(s, mat);
    run->flow_start[(size_t)yi * s->nmat + mat] = run->nflows;

    /* step 3: the demand of each region (declared + derived, gathered already) */
    for (uint32_t r = 0; r < R; r++) {
        OnsCell *c = &run->cells[sim_cell_index(run, yi, mat, r)];
        c->demand = dem[r];
        c->derived = s->derived[(size_t)mat * R + r];
        s->rem[r] = dem[r];
    }
    for (uint32_t i = 0; i < nf; i++) {
        uint32_t f = facs[i];
        s->remcap[f] = s->avail[f];
        /* local capacity is step 1's, even when inputs run short (10.4) */
        run->cells[sim_cell_index(run, yi, mat, m->facilities[f].region)].local_capacity += s->eff[f];
    }

    if (s->planned) { /* spec 12: the plan's shipments replace steps 4-5 and 10.3 */
        sim_plan_ship(s, y, mat);
        goto shipped;
    }
    /* captive supply first (spec 10.3), under either sourcing */
    ONS_TRY(captive_supply(s, y, yi, mat, facs, nf));

    /* step 4: local first, pro rata to the capacity left when it exceeds the
     * demand left */
    if (!run->cheapest) {
        for (uint32_t r = 0; r < R; r++) s->local_avail[r] = 0;
        for (uint32_t i = 0; i < nf; i++) s->local_avail[m->facilities[facs[i]].region] += s->remcap[facs[i]];
        for (uint32_t i = 0; i < nf; i++) {
            uint32_t f = facs[i], r = m->facilities[f].region;
            double demand = s->rem[r], local = s->local_avail[r], had = s->remcap[f];
            if (demand <= 0 || had <= 0) continue;
            double amount = demand >= local ? had : demand * (had / local);
            if (traced(s, y, mat, r)) trace_event(s, ONS_TRACE_LOCAL, f, amount, NULL, had, demand);
            sim_ship(s, yi, mat, f, r, amount, s->net[f], 0, true);
            s->remcap[f] = demand >= local ? 0 : had - amount;
        }
        for (uint32_t r = 0; r < R; r++) {
            double local = s->local_avail[r];
            if (s->rem[r] > 0 && local > 0) s->rem[r] = s->rem[r] >= local ? s->rem[r] - local : 0;
        }
    }

    /* step 5: every (facility, region) pair, cheapest landed cost first
     * (the literal sort of every pair is the test oracle of the streams) */
    if (s->literal) ONS_TRY(imports_literal(s, y, yi, mat, facs, nf));
    else ONS_TRY(imports_by_streams(s, y, yi, mat, facs, nf));
shipped:
    if (s->overflowed)
        return vm_error_at(s->vm, mt->e.src, mt->e.span,
                           "the figures of %s in %d go beyond the largest number (1.8e308): check the amounts, "
                           "costs, lane costs and tariffs",
                           mt->e.name->chars, y);

    /* step 6: shortage; output feeds derived demand upstream */
    for (uint32_t r = 0; r < R; r++) {
        double left = s->rem[r];
        if (fabs(left) <= 1e-9 * (dem[r] > 1 ? dem[r] : 1)) left = 0; /* rounding of the last step */
        run->cells[sim_cell_index(run, yi, mat, r)].shortage = left;
    }
    for (uint32_t i = 0; i < nf; i++) {
        uint32_t f = facs[i], r = m->facilities[f].region;
        double out = run->fac_output[(size_t)yi * s->nfac + f];
        OnsCell *c = &run->cells[sim_cell_index(run, yi, mat, r)];
        c->output += out;
        c->credits += s->credit[f] * out;
        const RecipeItem *items;
        uint32_t n;
        ONS_TRY(sim_recipe_of(s, f, y, &items, &n)); /* its own recipe, or its material's (10.1) */
        for (uint32_t k = 0; k < n; k++) {
            size_t at = (size_t)items[k].input * R + r;
            s->dem[at] += out * items[k].amount;
            s->derived[at] += out * items[k].amount;
        }
    }
    if (nf == 0) { /* a material nobody makes still has its recipe judged, as before */
        OnsMaterial *out = mt;
        for (uint32_t k = 0; k < out->nneeds; k++) {
            const OnsMaterial *input = &m->materials[out->needs[k].material];
            What what = {"what %s needs of %s", out->e.name->chars, input->e.name->chars};
            double amount;
            ONS_TRY(sim_eval_number(s, NULL, out->needs[k].per_unit, y, sim_per(input->unit_dim, out->unit_dim), NULL, what,
                                &out->e, &amount));
        }
    }
    if (s->trace && s->trace->year == y && s->trace->material == mat) {
        OnsCell *c = &run->cells[sim_cell_index(run, yi, mat, s->trace->region)];
        s->trace->declared = c->demand - c->derived;
        s->trace->derived = c->derived;
        s->trace->local_capacity = c->local_capacity;
        s->trace->shortage = c->shortage;
    }
    return ONS_OK;
}

/* ---- shortage that propagates (spec 10.4) ---- */

/* The share of what region r's facilities need of material m that reached
 * r: its supply over its derived demand, at most 1 (declared demand bears
 * the shortage first). */
static double region_fill(const Sim *s, uint32_t yi, uint32_t m, uint32_t r)
{
    const OnsCell *c = &s->run->cells[sim_cell_index(s->run, yi, m, r)];
    if (c->derived <= 0) return 1;
    double supply = c->local + c->imports;
    return supply >= c->derived ? 1 : supply / c->derived;
}

/* At the end of year yi: what each region received this year, by origin,
 * into the run's sparse table (sim.h), origins ascending -- the order the
 * figures add them in, so their sums are those of the dense table. */
static void year_received(Sim *s, uint32_t yi)
{
    OnsRun *run = s->run;
    size_t RM = (size_t)s->nmat * s->nreg, k0 = (size_t)yi * RM;
    for (size_t cell = 0; cell < RM; cell++) {
        run->recv_start[k0 + cell] = run->nrecv;
        const double *row = &s->recv_year[cell * s->nreg];
        for (uint32_t o = 0; o < s->nreg; o++) {
            if (row[o] == 0) continue;
            if (run->nrecv == run->recv_cap) {
                run->recv_cap = run->recv_cap ? 2 * run->recv_cap : 1024;
                run->recv_origin = ons_realloc(run->recv_origin, run->recv_cap * sizeof(uint32_t));
                run->recv_amount = ons_realloc(run->recv_amount, run->recv_cap * sizeof(double));
            }
            run->recv_origin[run->nrecv] = o;
            run->recv_amount[run->nrecv++] = row[o];
        }
    }
    run->recv_start[k0 + RM] = run->nrecv;
}

/* Forgets a pass's allocation of year yi, so the next starts afresh. */
static void year_reset(Sim *s, uint32_t yi)
{
    OnsRun *run = s->run;
    size_t RM = (size_t)s->nmat * s->nreg;
    memset(&run->cells[(size_t)yi * RM], 0, RM * sizeof(OnsCell));
    memset(s->recv_year, 0, RM * s->nreg * sizeof(double));
    memset(&run->fac_output[(size_t)yi * s->nfac], 0, s->nfac * sizeof(double));
    run->nflows = s->year_flows;
    memcpy(s->dem, s->declared_dem, RM * sizeof(double));
    memset(s->derived, 0, RM * sizeof(double));
}

/* After a pass: each facility with output gets the least fill of the inputs
 * of its recipe (1 with none); one short of inputs has its capacity lowered
 * to output x fill for the rest of the year.  *again: some capacity fell by
 * more than 1e-9 relative, so the year is allocated once more. */
static OnsStatus lower_short_facilities(Sim *s, int32_t y, int pass, bool *again)
{
    OnsRun *run = s->run;
    OnsModel *m = s->m;
    uint32_t yi = (uint32_t)(y - run->year_from);
    *again = false;
    for (uint32_t f = 0; f < s->nfac; f++) {
        double out = run->fac_output[(size_t)yi * s->nfac + f];
        if (out <= 0 || !m->facilities[f].e.name) continue;
        const RecipeItem *items;
        uint32_t n;
        ONS_TRY(sim_recipe_of(s, f, y, &items, &n));
        double fill = 1;
        uint32_t short_of = UINT32_MAX;
        for (uint32_t k = 0; k < n; k++) {
            if (items[k].amount == 0) continue;
            double rf = region_fill(s, yi, items[k].input, m->facilities[f].region);
            if (rf < fill) {
                fill = rf;
                short_of = items[k].input;
            }
        }
        if (fill >= 1 - 1e-9) continue;
        double cap = out * fill;
        if (cap >= s->avail[f] * (1 - 1e-9)) continue; /* lowered by no more than 1e-9: it stays */
        s->avail[f] = cap;
        s->lowered[f] = true;
        *again = true;
        if (s->trace && s->trace->year == y) {
            OnsTrace *t = s->trace;
            ONS_GROW(t->lowerings, t->lowerings_cap, t->nlowerings + 1);
            t->lowerings[t->nlowerings++] = (OnsTraceLowering){pass, f, short_of, fill, cap};
        }
    }
    return ONS_OK;
}

/* The whole year again while shortages lower capacities, at most 100 passes;
 * the year's figures are its last pass's. */
static OnsStatus propagate_year(Sim *s, int32_t y, const uint32_t *mat_order, uint32_t nmat)
{
    OnsRun *run = s->run;
    uint32_t yi = (uint32_t)(y - run->year_from);
    for (uint32_t f = 0; f < s->nfac; f++) {
        s->first_output[f] = run->fac_output[(size_t)yi * s->nfac + f];
        s->lowered[f] = false;
    }
    int pass = 1;
    for (;; pass++) {
        bool again;
        ONS_TRY(lower_short_facilities(s, y, pass, &again));
        if (!again) break;
        if (pass == 100)
            return vm_error(s->vm, "in %d a shortage of inputs was still lowering output after 100 passes "
                                   "(shortage: propagates)", y);
        year_reset(s, yi);
        if (s->trace && s->trace->year == y) s->trace->n = 0; /* explain shows the last pass */
        ONS_TRY(sim_quotas_year(s, y));
        for (uint32_t k = 0; k < nmat; k++) ONS_TRY(allocate(s, y, mat_order[k]));
    }
    if (s->trace && s->trace->year == y) s->trace->passes = pass;
    for (uint32_t f = 0; f < s->nfac; f++) {
        if (!s->lowered[f]) continue;
        const OnsFacility *fa = &s->m->facilities[f];
        run->cells[sim_cell_index(run, yi, fa->makes, fa->region)].stopped +=
            s->first_output[f] - run->fac_output[(size_t)yi * s->nfac + f];
    }
    return ONS_OK;
}

/* Declared demand of every (material, region) in a year; an amount and a
 * rate (1.6 TWh and 1.6 TWh/yr) mean the same. */
OnsStatus sim_declared_demand(Sim *s, int32_t y)
{
    OnsModel *m = s->m;
    for (uint32_t mat = 0; mat < s->nmat; mat++) {
        OnsMaterial *mt = &m->materials[mat];
        OnsDim rate = sim_per(mt->unit_dim, dim_base(ONS_DIM_TIME));
        for (uint32_t r = 0; r < s->nreg; r++) {
            size_t k = (size_t)mat * s->nreg + r;
            s->dem[k] = s->derived[k] = 0;
            if (ONS_IS_NIL(s->demand[k])) continue;
            OnsEntityInfo where = {0};
            where.src = s->demand_src[k];
            where.span = s->demand_span[k];
            What what = {"the demand of %s for %s", m->regions[r].e.name->chars, mt->e.name->chars};
            ONS_TRY(sim_eval_number(s, NULL, s->demand[k], y, mt->unit_dim, &rate, what, &where, &s->dem[k]));
            if (s->dem[k] < 0)
                return vm_error_at(s->vm, where.src, where.span, "the demand of %s for %s is negative in %d",
                                   m->regions[r].e.name->chars, mt->e.name->chars, y);
        }
    }
    return ONS_OK;
}

/* ---- the run ---- */

static void sim_free_scratch(Sim *s)
{
    arena_free(&s->scratch);
    ons_free(s->pairs);
    ons_free(s->lane_orders);
    ons_free(s->own_recipe);
}

static void run_free(void *p)
{
    OnsRun *r = p;
    if (!r) return;
    ons_free(r->policies);
    ons_free(r->cells);
    ons_free(r->recv_start);
    ons_free(r->recv_origin);
    ons_free(r->recv_amount);
    ons_free(r->price);
    ons_free(r->fac_capacity);
    ons_free(r->fac_output);
    ons_free(r->fac_cost);
    ons_free(r->flows);
    ons_free(r->flow_start);
    ons_free(r->reads);
    ons_free(r->read_values);
    ons_free(r->quota_policy);
    ons_free(r->quota_rule);
    ons_free(r->quota_cap);
    ons_free(r->quota_use);
    ons_free(r->quota_policy_use);
    if (r->plan) plan_outcome_free(r->plan);
    ons_free(r->plan);
    ons_free(r);
}

static void run_mark(OnsVM *vm, void *p)
{
    OnsRun *r = p;
    for (uint32_t i = 0; i < r->nreads; i++) gc_mark_value(vm, r->read_values[i]);
}

static size_t run_footprint(void *p)
{
    OnsRun *r = p;
    size_t cells = (size_t)r->nyears * r->nmaterials * r->nregions;
    return cells * (sizeof(OnsCell) + r->nregions * sizeof(double)) + r->flows_cap * sizeof(OnsFlow) +
           (size_t)r->nyears * r->nfacilities * 3 * sizeof(double);
}

static void run_describe(OnsVM *vm, void *p, OnsOut *out)
{
    OnsRun *r = p;
    out_printf(out, "<run of %s, %d..%d>", model_name(model_of(vm), ONS_ENT_SCENARIO, r->scenario), r->year_from,
               r->year_until);
}

static const OnsDataClass run_class = {"run result", run_mark, run_free, run_footprint, run_describe};

OnsRun *sim_run_of(OnsValue v)
{
    if (!ons_is_obj(v, ONS_OBJ_DATA) || ONS_AS_DATA(v)->cls != &run_class) return NULL;
    return ONS_AS_DATA(v)->ptr;
}

/* Simulates a scenario into a new run (or fills trace for explain). */
static OnsStatus simulate(OnsVM *vm, uint32_t scenario, OnsTrace *trace, OnsRun **out)
{
    OnsModel *m = model_of(vm);
    if (scenario >= m->nscenarios || !m->scenarios[scenario].e.name)
        return vm_error(vm, "internal error: no such scenario");
    Sim s;
    memset(&s, 0, sizeof s);
    s.vm = vm;
    s.m = m;
    s.trace = trace;
    s.literal = getenv("ONSHORE_SIM_LITERAL") != NULL; /* tests compare the two ways of step 5 */
    s.nreg = m->nregions;
    s.nmat = m->nmaterials;
    s.nfac = m->nfacilities;
    OnsRun *run = ons_calloc(1, sizeof *run);
    s.run = run;
    run->scenario = scenario;
    run->generation = m->generation;
    run->serial = ++m->runs_made;
    run->inputs_version = vm->inputs_version;
    /* everything the run's code reads is noted, so the cache and the hash
     * are keyed on it (watch.h) */
    OnsWatch watch;
    vm_watch_begin(vm, &watch);
    run->nregions = s.nreg;
    run->nmaterials = s.nmat;
    run->nfacilities = s.nfac;
    size_t RM = (size_t)s.nreg * s.nmat, RR = (size_t)s.nreg * s.nreg;
    arena_init_sized(&s.scratch, (size_t)64 * 1024);
    s.fac_prop = scratch(&s, (size_t)s.nfac * FP_COUNT, sizeof(OnsValue));
    s.fac_ov = scratch(&s, (size_t)s.nfac * FP_COUNT, sizeof(const OnsOverride *));
    s.price = scratch(&s, s.nmat, sizeof(OnsValue));
    s.demand = scratch(&s, RM, sizeof(OnsValue));
    s.demand_src = scratch(&s, RM, sizeof(OnsSource *));
    s.demand_span = scratch(&s, RM, sizeof(OnsSpan));
    s.policy_on = scratch(&s, m->npolicies, sizeof(bool));
    OnsStatus st = resolve_scenario(&s, scenario);
    if (st == ONS_OK) {
        run->nyears = (uint32_t)(run->year_until - run->year_from + 1);
        size_t cells = (size_t)run->nyears * RM;
        if (cells > ONS_MAX_RUN_CELLS || cells * s.nreg > ONS_MAX_RUN_ORIGINS)
            st = vm_error(vm, "this run would need too much memory (%u year%s x %u material%s x %u region%s)",
                          run->nyears, run->nyears == 1 ? "" : "s", s.nmat, s.nmat == 1 ? "" : "s", s.nreg,
                          s.nreg == 1 ? "" : "s");
        else {
            run->cells = ons_calloc(cells + 1, sizeof(OnsCell));
            run->recv_start = ons_calloc(cells + 1, sizeof(size_t));
            run->price = ons_calloc((size_t)run->nyears * s.nmat + 1, sizeof(double));
            run->fac_capacity = ons_calloc((size_t)run->nyears * s.nfac + 1, sizeof(double));
            run->fac_output = ons_calloc((size_t)run->nyears * s.nfac + 1, sizeof(double));
            run->fac_cost = ons_calloc((size_t)run->nyears * s.nfac + 1, sizeof(double));
            run->flow_start = ons_calloc((size_t)run->nyears * s.nmat + 1, sizeof(size_t));
        }
    }
    if (st == ONS_OK) {
        s.fac_order = scratch(&s, s.nfac, sizeof(uint32_t));
        s.mat_first = scratch(&s, s.nmat + 1, sizeof(uint32_t));
        s.mat_order = scratch(&s, s.nmat, sizeof(uint32_t));
        s.first_year = scratch(&s, s.nfac, sizeof(double));
        for (uint32_t f = 0; f <= s.nfac; f++) s.first_year[f] = NAN;
        s.eff = scratch(&s, s.nfac, sizeof(double));
        s.remcap = scratch(&s, s.nfac, sizeof(double));
        s.cost = scratch(&s, s.nfac, sizeof(double));
        s.credit = scratch(&s, s.nfac, sizeof(double));
        s.net = scratch(&s, s.nfac, sizeof(double));
        s.recycled = scratch(&s, s.nfac, sizeof(bool));
        s.dem = scratch(&s, RM, sizeof(double));
        s.derived = scratch(&s, RM, sizeof(double));
        s.lane = scratch(&s, RR, sizeof(double));
        s.adv = scratch(&s, RR, sizeof(double));
        s.per_unit = scratch(&s, RR, sizeof(double));
        s.ban = scratch(&s, RR, sizeof(bool));
        s.rem = scratch(&s, s.nreg, sizeof(double));
        s.lane_level = scratch(&s, RR, sizeof(uint8_t));
        s.keys = scratch(&s, s.nfac, sizeof(struct FacKey));
        s.heap = scratch(&s, RR, sizeof(struct Stream));
        s.cursors = scratch(&s, RR, sizeof(struct Cursor));
        s.region_streams = scratch(&s, s.nreg, sizeof(uint32_t));
        s.recv_year = scratch(&s, RM * s.nreg, sizeof(double));
        uint32_t most_needs = 0;
        for (uint32_t i = 0; i < s.nmat; i++)
            if (m->materials[i].nneeds > most_needs) most_needs = m->materials[i].nneeds;
        s.mat_recipe = scratch(&s, most_needs, sizeof(struct RecipeItem));
        s.mat_recipe_of = UINT32_MAX;
        s.captive_got = scratch(&s, s.nfac, sizeof(double));
        s.local_avail = scratch(&s, s.nreg, sizeof(double));
        s.avail = scratch(&s, s.nfac, sizeof(double));
        s.util_now = scratch(&s, s.nfac, sizeof(double));
        s.qualify_now = scratch(&s, s.nfac, sizeof(double));
        if (run->propagates) {
            s.declared_dem = scratch(&s, RM, sizeof(double));
            s.first_output = scratch(&s, s.nfac, sizeof(double));
            s.lowered = scratch(&s, s.nfac, sizeof(bool));
        }
        s.active = scratch(&s, s.nfac, sizeof(bool));
        for (uint32_t f = 0; f < s.nfac; f++) s.active[f] = m->facilities[f].e.name && !m->facilities[f].is_option;
        const OnsPlan *plan = sim_plan_resolve(&s, scenario); /* marks the options it lists active */
        index_model(&s);
        quotas_index(&s);
        /* property reads during the run (`plant.capacity` in another
         * property) see this scenario's values, overrides included */
        OnsScenarioValues view = {s.fac_prop, s.price, s.nfac, s.nmat, scenario};
        const OnsScenarioValues *outer_view = model_of(vm)->in_scenario;
        uint32_t outer_evaluating = model_of(vm)->nevaluating; /* a run inside a property starts afresh */
        model_of(vm)->in_scenario = &view;
        model_of(vm)->nevaluating = 0;
        uint32_t nmat_live = 0;
        for (uint32_t i = 0; i < s.nmat; i++) nmat_live += m->materials[i].e.name != NULL;
        if (plan) {
            /* spec 12: the whole horizon is solved first; the year loop then ships the plan */
            st = sim_plan_solve(&s, plan);
            for (uint32_t f = 0; f <= s.nfac; f++) s.first_year[f] = NAN;
        }
        for (int32_t y = run->year_from; y <= run->year_until && st == ONS_OK; y++) {
            st = sim_facilities_year(&s, y);
            if (st == ONS_OK) st = sim_lanes_year(&s, y);
            if (st == ONS_OK) st = sim_quotas_year(&s, y);
            if (st == ONS_OK) st = sim_declared_demand(&s, y);
            if (st == ONS_OK && run->propagates) {
                memcpy(s.declared_dem, s.dem, RM * sizeof(double));
                s.year_flows = run->nflows;
            }
            for (uint32_t k = 0; k < nmat_live && st == ONS_OK; k++) st = allocate(&s, y, s.mat_order[k]);
            if (st == ONS_OK && run->propagates && !s.planned) st = propagate_year(&s, y, s.mat_order, nmat_live);
            if (st == ONS_OK) {
                year_received(&s, (uint32_t)(y - run->year_from));
                memset(s.recv_year, 0, RM * s.nreg * sizeof(double));
            }
            if (vm->interrupt && *vm->interrupt && st == ONS_OK) {
                *vm->interrupt = 0;
                vm_error(vm, "interrupted");
                vm->error.interrupted = true;
                st = ONS_ERR_INTERRUPT;
            }
        }
        model_of(vm)->in_scenario = outer_view;
        model_of(vm)->nevaluating = outer_evaluating;
    }
    sim_free_scratch(&s);
    run->cacheable = vm_watch_end(vm, &watch, &run->reads, &run->nreads);
    if (st != ONS_OK) {
        run_free(run);
        return st;
    }
    run->read_values = ons_calloc(run->nreads + 1, sizeof(OnsValue));
    for (uint32_t i = 0; i < run->nreads; i++) run->read_values[i] = vm->gvals[run->reads[i]];
    sim_model_hash(vm, run, run->hash);
    *out = run;
    return ONS_OK;
}

OnsStatus sim_run_value(OnsVM *vm, uint32_t scenario, OnsValue *out)
{
    /* a run is reused while nothing it read has changed */
    OnsValue key = ons_entity(ONS_ENT_SCENARIO, scenario), cached;
    if (!model_of(vm)->runs) model_of(vm)->runs = map_new(vm);
    if (map_get(model_of(vm)->runs, key, &cached)) {
        OnsRun *r = sim_run_of(cached);
        if (r && r->cacheable && sim_run_is_current(vm, r)) {
            *out = cached;
            return ONS_OK;
        }
    }
    OnsRun *run;
    ONS_TRY(simulate(vm, scenario, NULL, &run));
    OnsData *d = data_new(vm, &run_class, run);
    gc_account(vm, (ptrdiff_t)run_footprint(run));
    *out = ons_obj_value(&d->obj);
    map_set(model_of(vm)->runs, key, *out);
    return ONS_OK;
}

OnsStatus sim_run_fresh(OnsVM *vm, uint32_t scenario, OnsValue *out)
{
    OnsRun *run;
    ONS_TRY(simulate(vm, scenario, NULL, &run));
    OnsData *d = data_new(vm, &run_class, run);
    gc_account(vm, (ptrdiff_t)run_footprint(run));
    *out = ons_obj_value(&d->obj);
    return ONS_OK;
}

OnsStatus sim_explain(OnsVM *vm, uint32_t scenario, int32_t year, uint32_t region, uint32_t material,
                      OnsTrace *out)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    out->region = region;
    out->material = material;
    OnsRun *run;
    OnsStatus st = simulate(vm, scenario, out, &run);
    if (st == ONS_OK) run_free(run);
    return st;
}

void sim_trace_free(OnsTrace *t)
{
    ons_free(t->events);
    ons_free(t->lowerings);
    memset(t, 0, sizeof *t);
}

/* ---- the model hash of report headers ---- */

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* A value as the hash takes it: numbers by their bits and dimension,
 * lists and maps by their elements, functions by their text and what they
 * captured.  Depth and size are bounded (a list may hold itself). */
typedef struct HashWalk {
    uint64_t h;
    size_t budget;          /* values still to visit */
} HashWalk;

static void hash_value(OnsVM *vm, HashWalk *w, OnsValue v, int depth)
{
    if (w->budget == 0 || depth > 64) {
        w->h = fnv(w->h, "...", 3);
        return;
    }
    w->budget--;
    w->h = fnv(w->h, &v.type, 1);
    switch ((OnsType)v.type) {
    case ONS_T_NUM: {
        double x = v.as.num == 0 ? 0.0 : v.as.num; /* -0 is 0 */
        w->h = fnv(w->h, &v.dim, sizeof v.dim);
        w->h = fnv(w->h, &x, sizeof x);
        return;
    }
    case ONS_T_BOOL: w->h = fnv(w->h, &v.as.b, sizeof v.as.b); return;
    case ONS_T_ENTITY: {
        const char *name = model_name(model_of(vm), (OnsEntityKind)v.hint, v.as.index);
        w->h = fnv(w->h, &v.hint, 1);
        if (name) w->h = fnv(w->h, name, strlen(name));
        return;
    }
    case ONS_T_OBJ: break;
    default: return;
    }
    OnsObj *o = v.as.obj;
    w->h = fnv(w->h, &o->type, 1);
    switch ((OnsObjType)o->type) {
    case ONS_OBJ_STRING: w->h = fnv(w->h, ((OnsString *)o)->chars, ((OnsString *)o)->len); return;
    case ONS_OBJ_LIST: {
        OnsList *l = (OnsList *)o;
        w->h = fnv(w->h, &l->len, sizeof l->len);
        for (uint32_t i = 0; i < l->len; i++) hash_value(vm, w, l->items[i], depth + 1);
        return;
    }
    case ONS_OBJ_MAP: {
        OnsMap *m = (OnsMap *)o;
        w->h = fnv(w->h, &m->len, sizeof m->len);
        for (uint32_t i = 0; i < m->len; i++) {
            hash_value(vm, w, m->entries[i].key, depth + 1);
            hash_value(vm, w, m->entries[i].value, depth + 1);
        }
        return;
    }
    case ONS_OBJ_CLOSURE: {
        OnsClosure *c = (OnsClosure *)o;
        OnsProto *p = c->proto;
        if (p->src && p->span.end <= p->src->len) w->h = fnv(w->h, p->src->text + p->span.start, p->span.end - p->span.start);
        for (uint16_t i = 0; i < c->nupvals; i++)
            if (c->up[i]) hash_value(vm, w, *c->up[i]->loc, depth + 1);
        return;
    }
    case ONS_OBJ_SERIES: {
        OnsSeries *sr = (OnsSeries *)o;
        w->h = fnv(w->h, &sr->kind, 1);
        w->h = fnv(w->h, &sr->dim, sizeof sr->dim);
        w->h = fnv(w->h, sr->years, sr->n * sizeof(double));
        w->h = fnv(w->h, sr->vals, sr->n * sizeof(double));
        return;
    }
    case ONS_OBJ_NATIVE: w->h = fnv(w->h, ((OnsNative *)o)->name, strlen(((OnsNative *)o)->name)); return;
    case ONS_OBJ_DATA: {
        const OnsRun *r = sim_run_of(v);
        if (r) w->h = fnv(w->h, r->hash, strlen(r->hash));
        return;
    }
    default: return;
    }
}

/* Insertion sort of the reads by global name (a run reads a few globals):
 * the hash must not depend on slot numbers, which follow the order a
 * program first mentions its names. */
static void sort_reads_by_name(OnsVM *vm, const OnsRun *run, uint32_t *order)
{
    for (uint32_t i = 1; i < run->nreads; i++) {
        uint32_t x = order[i], j = i;
        const char *nx = vm->globals[run->reads[x]].name->chars;
        while (j > 0 && strcmp(vm->globals[run->reads[order[j - 1]]].name->chars, nx) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
}

/* Everything a run's numbers rest on: each declaration's text, the value of
 * each global the run read (so a variable it does not read leaves the hash
 * alone, and one it reads changes it whatever its type), and the options. */
void sim_model_hash(OnsVM *vm, const OnsRun *run, char out[17])
{
    uint64_t h = 14695981039346656037ULL;
    OnsModel *m = model_of(vm);
    for (int k = 0; k < ONS_ENT_KIND_COUNT; k++) {
        uint32_t n = model_count(m, (OnsEntityKind)k);
        for (uint32_t i = 0; i < n; i++) {
            OnsEntityInfo *e = model_info(m, (OnsEntityKind)k, i);
            if (!e->name) continue;
            h = fnv(h, &k, sizeof k);
            h = fnv(h, e->name->chars, e->name->len);
            if (e->src && e->span.end <= e->src->len) h = fnv(h, e->src->text + e->span.start, e->span.end - e->span.start);
        }
    }
    HashWalk w = {h, 1000000};
    uint32_t *by_name = ons_malloc((run->nreads + 1) * sizeof *by_name);
    for (uint32_t i = 0; i < run->nreads; i++) by_name[i] = i;
    sort_reads_by_name(vm, run, by_name);
    for (uint32_t k = 0; k < run->nreads; k++) {
        uint32_t i = by_name[k], g = run->reads[i];
        if (vm->globals[g].kind != ONS_GLOBAL_VAR) continue;
        w.h = fnv(w.h, vm->globals[g].name->chars, vm->globals[g].name->len);
        hash_value(vm, &w, run->read_values[i], 0);
    }
    ons_free(by_name);
    h = w.h;
    h = fnv(h, &vm->seed, sizeof vm->seed);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
    out[8] = '\0'; /* eight hex digits are enough to tell models apart */
}

bool sim_run_is_current(const OnsVM *vm, const OnsRun *run)
{
    return run->generation == model_of(vm)->generation && run->inputs_version == vm->inputs_version;
}
