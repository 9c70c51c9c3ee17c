/* A planned run (spec 12): the scenario's years evaluated into a linear
 * program (plan.h), solved, and the year loop of sim.c made from its
 * shipments instead of steps 4-5 and captive supply, so every figure of §6
 * reads a planned run as any other. */
#include "report_shared.h"
#include "mem.h"
#include "sim_internal.h"

#include <math.h>
#include <string.h>

const OnsPlan *sim_plan_resolve(Sim *s, uint32_t scenario)
{
    OnsModel *m = s->m;
    const OnsPlan *plan = NULL;
    int depth = 0;
    for (int32_t cur = (int32_t)scenario; cur >= 0 && depth < 1024 && !plan; cur = m->scenarios[cur].parent, depth++)
        plan = m->scenarios[cur].plan;
    if (!plan) return NULL;
    for (uint32_t k = 0; k < plan->noptions; k++) {
        uint32_t f = plan->options[k];
        if (f < s->nfac && m->facilities[f].e.name && m->facilities[f].is_option) s->active[f] = true;
    }
    return plan;
}

double sim_plan_option_capacity(const Sim *s, uint32_t f, uint32_t yi, double util)
{
    const OnsPlanOutcome *p = s->planned;
    if (!p) return 0;
    for (uint32_t k = 0; k < p->noptions; k++)
        if (p->options[k] == f) return util * p->online[(size_t)k * s->run->nyears + yi];
    return 0;
}

/* A constant of an option (lead, max, from, size), evaluated in the first year. */
static OnsStatus option_number(Sim *s, uint32_t f, OnsValue v, OnsDim want, const char *what, double dflt, double *out)
{
    OnsFacility *fa = &s->m->facilities[f];
    if (ONS_IS_NIL(v)) {
        *out = dflt;
        return ONS_OK;
    }
    What w = {"the %s of option %s", what, fa->e.name->chars};
    ONS_TRY(sim_eval_number(s, NULL, v, s->run->year_from, want, NULL, w, &fa->e, out));
    if (*out < 0) return vm_error_at(s->vm, fa->e.src, fa->e.span, "the %s of option %s is negative", what, fa->e.name->chars);
    return ONS_OK;
}

/* Options' constants into the program. */
static OnsStatus collect_options(Sim *s, OnsPlanInput *in)
{
    OnsModel *m = s->m;
    OnsDim time = dim_base(ONS_DIM_TIME);
    for (uint32_t f = 0; f < s->nfac; f++) {
        in->max[f] = INFINITY;
        if (!s->active[f] || !m->facilities[f].is_option) continue;
        OnsFacility *fa = &m->facilities[f];
        OnsDim rate = sim_per(m->materials[fa->makes].unit_dim, time);
        double from;
        ONS_TRY(option_number(s, f, fa->option.lead, time, "lead time", 0, &in->lead[f]));
        if (in->lead[f] != floor(in->lead[f]))
            return vm_error_at(s->vm, fa->e.src, fa->e.span, "the lead time of option %s must be whole years, not %g yr",
                               fa->e.name->chars, in->lead[f]);
        ONS_TRY(option_number(s, f, fa->option.max, rate, "max", INFINITY, &in->max[f]));
        ONS_TRY(option_number(s, f, fa->option.size, rate, "size", 0, &in->size[f]));
        if (!ONS_IS_NIL(fa->option.size) && !(in->size[f] > 0))
            return vm_error_at(s->vm, fa->e.src, fa->e.span, "the size of option %s must be more than 0",
                               fa->e.name->chars);
        ONS_TRY(option_number(s, f, fa->option.from, dim_none(), "first decision year", s->run->year_from, &from));
        in->from[f] = (int32_t)from;
    }
    return ONS_OK;
}

/* Each enforced require rule, and its target in each year it is in force. */
static OnsStatus collect_rules(Sim *s, const OnsPlan *plan, OnsPlanInput *in)
{
    OnsModel *m = s->m;
    uint32_t n = 0;
    for (uint32_t k = 0; k < plan->nenforce; k++) {
        const OnsPolicy *pol = &m->policies[plan->enforce[k]];
        for (uint32_t i = 0; i < pol->nrules; i++) n += pol->rules[i].kind == ONS_RULE_REQUIRE;
    }
    in->rules = ons_calloc(n + 1, sizeof(OnsPlanRule));
    for (uint32_t k = 0; k < plan->nenforce; k++) {
        const OnsPolicy *pol = &m->policies[plan->enforce[k]];
        uint32_t number = 0;
        for (uint32_t i = 0; i < pol->nrules; i++) {
            const OnsRule *r = &pol->rules[i];
            if (r->kind != ONS_RULE_REQUIRE) continue;
            OnsPlanRule *pr = &in->rules[in->nrules++];
            pr->policy = plan->enforce[k];
            pr->number = ++number;
            pr->rule = r;
            pr->target = ons_calloc(in->nyears + 1, sizeof(double));
            for (uint32_t y = 0; y < in->nyears; y++) {
                int32_t year = in->year_from + (int32_t)y;
                pr->target[y] = NAN;
                if (!sim_rule_in_force(r, year)) continue;
                OnsValue v;
                ONS_TRY(model_eval(s->vm, r->value, year, &v));
                if (v.type != ONS_T_NUM || !dim_is_none(v.dim) || !isfinite(v.as.num))
                    return vm_error_at(s->vm, r->src, r->span, "the target of this rule must be a share in %d", year);
                pr->target[y] = v.as.num;
            }
        }
    }
    return ONS_OK;
}

static void collect_quotas(Sim *s, OnsPlanInput *in)
{
    OnsRun *run = s->run;
    uint32_t Q = run->nquotas;
    in->nquotas = Q;
    in->quota_mat = ons_calloc((size_t)Q * s->nmat + 1, sizeof(bool));
    in->quota_from = ons_calloc((size_t)Q * s->nreg + 1, sizeof(bool));
    in->quota_to = ons_calloc((size_t)Q * s->nreg + 1, sizeof(bool));
    in->quota_cap = ons_calloc((size_t)in->nyears * Q + 1, sizeof(double));
    for (uint32_t q = 0; q < Q; q++) {
        const OnsRule *r = &s->m->policies[run->quota_policy[q]].rules[run->quota_rule[q]];
        for (uint32_t mat = 0; mat < s->nmat; mat++)
            in->quota_mat[(size_t)q * s->nmat + mat] = s->m->materials[mat].e.name && model_selector_matches(s->m, &r->sel, mat);
        memcpy(&in->quota_from[(size_t)q * s->nreg], &s->quota_from[(size_t)q * s->nreg], s->nreg * sizeof(bool));
        memcpy(&in->quota_to[(size_t)q * s->nreg], &s->quota_to[(size_t)q * s->nreg], s->nreg * sizeof(bool));
    }
}

/* One year of the program: step 1, lanes, quotas, demand, prices, tariffs,
 * bans and recipes as the simulation would evaluate them. */
static OnsStatus collect_year(Sim *s, OnsPlanInput *in, int32_t y)
{
    OnsModel *m = s->m;
    uint32_t yi = (uint32_t)(y - in->year_from), R = s->nreg;
    ONS_TRY(sim_facilities_year(s, y));
    ONS_TRY(sim_lanes_year(s, y));
    ONS_TRY(sim_quotas_year(s, y));
    ONS_TRY(sim_declared_demand(s, y));
    for (uint32_t q = 0; q < in->nquotas; q++) in->quota_cap[(size_t)yi * in->nquotas + q] = s->quota_left[q];
    for (uint32_t f = 0; f < s->nfac; f++) {
        size_t k = (size_t)yi * s->nfac + f;
        in->recipe_at[k] = in->nrecipe;
        if (!s->active[f]) continue;
        OnsFacility *fa = &m->facilities[f];
        in->cap[k] = fa->is_option ? 0 : s->eff[f];
        in->util[k] = s->util_now[f];
        in->qualify[k] = s->qualify_now[f];
        in->net[k] = s->net[f];
        in->recycled[k] = s->recycled[f];
        if (fa->is_option) {
            OnsDim rate = sim_per(m->materials[fa->makes].unit_dim, dim_base(ONS_DIM_TIME));
            What w = {"the capex of option %s", fa->e.name->chars, NULL};
            ONS_TRY(sim_eval_number(s, NULL, fa->option.capex, y, sim_per(dim_base(ONS_DIM_MONEY), rate), NULL, w, &fa->e,
                                    &in->capex[k]));
        }
        const RecipeItem *items;
        uint32_t n;
        ONS_TRY(sim_recipe_of(s, f, y, &items, &n));
        ONS_GROW(in->recipe_input, in->recipe_cap, in->nrecipe + n + 1);
        in->recipe_amount = ons_realloc(in->recipe_amount, in->recipe_cap * sizeof(double));
        for (uint32_t i = 0; i < n; i++) {
            in->recipe_input[in->nrecipe] = items[i].input;
            in->recipe_amount[in->nrecipe++] = items[i].amount;
        }
    }
    in->recipe_at[(size_t)yi * s->nfac + s->nfac] = in->nrecipe;
    for (uint32_t mat = 0; mat < s->nmat; mat++) {
        OnsMaterial *mt = &m->materials[mat];
        double price = NAN;
        if (mt->e.name && !ONS_IS_NIL(s->price[mat])) {
            OnsPropRef ref = {mat, ONS_ENT_MATERIAL, 0, ONS_LEVEL_IN_FORCE};
            What w = {"the price of %s", mt->e.name->chars, NULL};
            ONS_TRY(sim_eval_number(s, &ref, s->price[mat], y, sim_per(dim_base(ONS_DIM_MONEY), mt->unit_dim), NULL, w,
                                    &mt->e, &price));
        }
        in->price[(size_t)yi * s->nmat + mat] = price;
        for (uint32_t r = 0; r < R; r++) in->demand[((size_t)yi * s->nmat + mat) * R + r] = s->dem[(size_t)mat * R + r];
        if (!mt->e.name) continue;
        ONS_TRY(sim_trade_rules(s, y, mat));
        size_t at = ((size_t)yi * s->nmat + mat) * R * R;
        memcpy(&in->lane[at], s->lane, (size_t)R * R * sizeof(double));
        memcpy(&in->adv[at], s->adv, (size_t)R * R * sizeof(double));
        memcpy(&in->per_unit[at], s->per_unit, (size_t)R * R * sizeof(double));
        memcpy(&in->ban[at], s->ban, (size_t)R * R * sizeof(bool));
    }
    return ONS_OK;
}

static void input_alloc(Sim *s, OnsPlanInput *in)
{
    size_t YF = (size_t)in->nyears * s->nfac + 1, YM = (size_t)in->nyears * s->nmat + 1;
    size_t YMR = YM * s->nreg + 1, YMRR = YMR * s->nreg + 1;
    in->active = ons_calloc(s->nfac + 1, sizeof(bool));
    memcpy(in->active, s->active, s->nfac * sizeof(bool));
    in->cap = ons_calloc(YF, sizeof(double));
    in->util = ons_calloc(YF, sizeof(double));
    in->qualify = ons_calloc(YF, sizeof(double));
    in->net = ons_calloc(YF, sizeof(double));
    in->capex = ons_calloc(YF, sizeof(double));
    in->recycled = ons_calloc(YF, sizeof(bool));
    in->recipe_at = ons_calloc(YF + 1, sizeof(size_t));
    in->price = ons_calloc(YM, sizeof(double));
    in->demand = ons_calloc(YMR, sizeof(double));
    in->lane = ons_calloc(YMRR, sizeof(double));
    in->adv = ons_calloc(YMRR, sizeof(double));
    in->per_unit = ons_calloc(YMRR, sizeof(double));
    in->ban = ons_calloc(YMRR, sizeof(bool));
    in->lead = ons_calloc(s->nfac + 1, sizeof(double));
    in->max = ons_calloc(s->nfac + 1, sizeof(double));
    in->size = ons_calloc(s->nfac + 1, sizeof(double));
    in->from = ons_calloc(s->nfac + 1, sizeof(int32_t));
}

/* A plan value (discount, shortage cost, time limit): its constant or a default. */
static double plan_number(OnsValue v, double dflt)
{
    return v.type == ONS_T_NUM ? v.as.num : dflt;
}

OnsStatus sim_plan_solve(Sim *s, const OnsPlan *plan)
{
    OnsRun *run = s->run;
    OnsModel *m = s->m;
    OnsPlanInput in;
    memset(&in, 0, sizeof in);
    in.m = m;
    in.scenario = m->scenarios[run->scenario].e.name->chars;
    in.year_from = run->year_from;
    in.nyears = run->nyears;
    in.nreg = s->nreg;
    in.nmat = s->nmat;
    in.nfac = s->nfac;
    in.propagates = run->propagates;
    in.discount = plan_number(plan->discount, 0);
    in.shortage_cost = plan_number(plan->shortage_cost, 10);
    in.time_limit = plan_number(plan->time_limit, 0);
    in.probe = -1;
    if (s->trace && s->trace->year >= run->year_from && s->trace->year <= run->year_until) /* explain's question */
        in.probe = (int64_t)((((size_t)(s->trace->year - run->year_from)) * s->nmat + s->trace->material) * s->nreg +
                             s->trace->region);
    input_alloc(s, &in);
    collect_quotas(s, &in);
    OnsStatus st = collect_options(s, &in);
    if (st == ONS_OK) st = collect_rules(s, plan, &in);
    for (int32_t y = run->year_from; y <= run->year_until && st == ONS_OK; y++) st = collect_year(s, &in, y);
    OnsPlanOutcome *out = ons_calloc(1, sizeof *out);
    out->options = ons_calloc(plan->noptions + 1, sizeof(uint32_t));
    for (uint32_t k = 0; k < plan->noptions; k++)
        if (s->active[plan->options[k]]) out->options[out->noptions++] = plan->options[k];
    OnsOut lp;
    out_init_buffer(&lp);
    if (st == ONS_OK) st = plan_solve(s->vm, &in, out, plan->write ? &lp : NULL);
    out->rules = in.rules;
    out->nrules = in.nrules;
    in.rules = NULL;
    if (st == ONS_OK && plan->write) st = report_write_file(s->vm, plan->write, lp.buf ? lp.buf : "", lp.len);
    out_free(&lp);
    plan_input_free(&in);
    run->plan = out;
    if (st == ONS_OK) s->planned = out;
    return st;
}

/* A planned shipment into the region explain asks about. */
static void trace_planned(Sim *s, uint32_t f, double amount, double landed, double tariff, double lane)
{
    OnsTrace *t = s->trace;
    ONS_GROW(t->events, t->cap, t->n + 1);
    OnsTraceEvent *e = &t->events[t->n++];
    memset(e, 0, sizeof *e);
    e->kind = ONS_TRACE_PLANNED;
    e->facility = f;
    e->amount = amount;
    e->landed = landed;
    e->net_cost = s->net[f];
    e->lane = lane;
    e->tariff = tariff;
    e->capacity_left = s->eff[f];
    e->quota = e->fed = -1;
}

void sim_plan_ship(Sim *s, int32_t y, uint32_t mat)
{
    OnsRun *run = s->run;
    OnsModel *m = s->m;
    const OnsPlanOutcome *p = s->planned;
    uint32_t yi = (uint32_t)(y - run->year_from), R = s->nreg;
    const uint32_t *facs = s->fac_order + s->mat_first[mat];
    uint32_t nf = s->mat_first[mat + 1] - s->mat_first[mat];
    for (uint32_t i = 0; i < nf; i++) {
        uint32_t f = facs[i], o = m->facilities[f].region;
        size_t at = (size_t)yi * s->nfac + f;
        for (size_t k = p->ship_at[at]; k < p->ship_at[at + 1]; k++) {
            const OnsPlanShip *sh = &p->ships[k];
            uint32_t r = sh->dest;
            size_t lane = (size_t)o * R + r;
            double tariff = o == r ? 0 : s->adv[lane] * s->net[f] + s->per_unit[lane];
            double landed = s->net[f] * (1 + (o == r ? 0 : s->lane[lane])) + tariff;
            sim_ship(s, yi, mat, f, r, sh->amount, landed, tariff, o == r);
            if (s->trace && s->trace->year == y && s->trace->material == mat && s->trace->region == r)
                trace_planned(s, f, sh->amount, landed, tariff, o == r ? 0 : s->lane[lane]);
            if (o != r) sim_count_quotas(s, yi, o, r, sh->amount);
            s->rem[r] -= sh->amount;
        }
    }
    if (s->trace && s->trace->year == y && s->trace->material == mat) {
        s->trace->planned = true;
        s->trace->marginal = p->probe_marginal;
    }
    /* the program's tolerance: what is left within a millionth of demand is none */
    for (uint32_t r = 0; r < R; r++) {
        double d = s->dem[(size_t)mat * R + r];
        if (fabs(s->rem[r]) <= 1e-6 * (d > 1 ? d : 1)) s->rem[r] = 0;
        if (s->rem[r] < 0) s->rem[r] = 0;
    }
}
