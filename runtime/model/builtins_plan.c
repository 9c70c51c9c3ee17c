/* Queries of a planned run (spec 12): built, plan_cost, shadow_price and
 * compliance_cost. */
#include "arith.h"
#include "builtins.h"
#include "figures.h"
#include "model.h"
#include "plan.h"

#include <math.h>
#include <string.h>

#define NATIVE(name) static OnsStatus name(OnsVM *vm, const OnsValue *args, int nargs, const OnsNamedArgs *named, OnsValue *out)
#define UNUSED_ARGS() ((void)named, (void)nargs)

/* The plan of a run value, or an error naming fn. */
static OnsStatus want_plan(OnsVM *vm, const char *fn, OnsValue v, OnsRun **run, const OnsPlanOutcome **plan)
{
    *run = sim_run_of(v);
    if (!*run) {
        char d[96];
        return vm_error(vm, "%s: the first argument must be a run result (p = run least_cost), not %s", fn,
                        arith_describe(vm, v, d, sizeof d));
    }
    *plan = (*run)->plan;
    if (!*plan)
        return vm_error(vm, "%s: scenario %s has no plan (give it `plan { options: [...] }`)", fn,
                        model_name(model_of(vm), ONS_ENT_SCENARIO, (*run)->scenario));
    return ONS_OK;
}

static OnsValue money(double v) { return ons_quantity(v, dim_base(ONS_DIM_MONEY), 0); }

/* built(run, OPTION, YEAR): the capacity decided that year */
NATIVE(nat_built)
{
    UNUSED_ARGS();
    OnsRun *run;
    const OnsPlanOutcome *plan;
    ONS_TRY(want_plan(vm, "built", args[0], &run, &plan));
    OnsModel *m = model_of(vm);
    if (!ons_is_entity(args[1], ONS_ENT_FACILITY) || !m->facilities[args[1].as.index].is_option) {
        char d[96];
        return vm_error(vm, "built: the second argument must be an option, not %s",
                        arith_describe(vm, args[1], d, sizeof d));
    }
    uint32_t yi;
    ONS_TRY(figures_year(vm, run, "built", args[2], &yi));
    uint32_t f = args[1].as.index;
    for (uint32_t k = 0; k < plan->noptions; k++) {
        if (plan->options[k] != f) continue;
        OnsDim rate;
        dim_div(m->materials[m->facilities[f].makes].unit_dim, dim_base(ONS_DIM_TIME), &rate);
        *out = ons_quantity(plan->built[(size_t)k * run->nyears + yi], rate, 0);
        return ONS_OK;
    }
    return vm_error(vm, "built: the plan of scenario %s does not list option %s", model_name(m, ONS_ENT_SCENARIO, run->scenario),
                    m->facilities[f].e.name->chars);
}

/* plan_cost(run) or plan_cost(run, KIND) */
NATIVE(nat_plan_cost)
{
    (void)named;
    OnsRun *run;
    const OnsPlanOutcome *plan;
    ONS_TRY(want_plan(vm, "plan_cost", args[0], &run, &plan));
    if (nargs < 2) {
        *out = money(plan->cost_total);
        return ONS_OK;
    }
    static const char *const kinds[] = {"supply", "tariffs", "capex", "shortage"};
    const double parts[] = {plan->cost_supply, plan->cost_tariffs, plan->cost_capex, plan->cost_shortage};
    if (ons_is_obj(args[1], ONS_OBJ_STRING))
        for (size_t k = 0; k < ONS_ARRAY_LEN(kinds); k++)
            if (strcmp(ONS_AS_STRING(args[1])->chars, kinds[k]) == 0) {
                *out = money(parts[k]);
                return ONS_OK;
            }
    char d[96];
    if (ons_is_obj(args[1], ONS_OBJ_STRING)) snprintf(d, sizeof d, "\"%.80s\"", ONS_AS_STRING(args[1])->chars);
    else arith_describe(vm, args[1], d, sizeof d);
    return vm_error(vm, "plan_cost: the kind must be \"supply\", \"tariffs\", \"capex\" or \"shortage\", not %s", d);
}

/* shadow_price(run, POLICY, N, YEAR) */
NATIVE(nat_shadow_price)
{
    UNUSED_ARGS();
    OnsRun *run;
    const OnsPlanOutcome *plan;
    ONS_TRY(want_plan(vm, "shadow_price", args[0], &run, &plan));
    OnsModel *m = model_of(vm);
    if (!ons_is_entity(args[1], ONS_ENT_POLICY)) {
        char d[96];
        return vm_error(vm, "shadow_price: the second argument must be a policy, not %s",
                        arith_describe(vm, args[1], d, sizeof d));
    }
    OnsValue n = args[2];
    if (n.type != ONS_T_NUM || !dim_is_none(n.dim) || n.as.num != floor(n.as.num) || n.as.num < 1) {
        char d[96];
        return vm_error(vm, "shadow_price: the third argument is the rule's number, counting the policy's require "
                            "rules from 1, not %s",
                        arith_describe(vm, n, d, sizeof d));
    }
    uint32_t yi;
    ONS_TRY(figures_year(vm, run, "shadow_price", args[3], &yi));
    bool enforced = false;
    for (uint32_t k = 0; k < plan->nrules; k++) {
        const OnsPlanRule *r = &plan->rules[k];
        if (r->policy != args[1].as.index) continue;
        enforced = true;
        if (r->number != (uint32_t)n.as.num) continue;
        double v = plan->shadow[(size_t)k * run->nyears + yi];
        *out = isnan(v) ? ons_nil() : money(v);
        return ONS_OK;
    }
    const char *pol = m->policies[args[1].as.index].e.name->chars;
    if (!enforced)
        return vm_error(vm, "shadow_price: the plan of scenario %s does not enforce policy %s",
                        model_name(m, ONS_ENT_SCENARIO, run->scenario), pol);
    return vm_error(vm, "shadow_price: policy %s has no require rule %g", pol, n.as.num);
}

/* compliance_cost(run) */
NATIVE(nat_compliance_cost)
{
    UNUSED_ARGS();
    OnsRun *run;
    const OnsPlanOutcome *plan;
    ONS_TRY(want_plan(vm, "compliance_cost", args[0], &run, &plan));
    *out = money(plan->compliance);
    return ONS_OK;
}

void builtins_register_plans(OnsVM *vm)
{
    static const OnsNativeDef defs[] = {
        {"built", nat_built, 3, 3, ONS_RES_ANY, NULL},
        {"plan_cost", nat_plan_cost, 1, 2, ONS_RES_ANY, NULL},
        {"shadow_price", nat_shadow_price, 4, 4, ONS_RES_ANY, NULL},
        {"compliance_cost", nat_compliance_cost, 1, 1, ONS_RES_ANY, NULL},
    };
    vm_register_natives(vm, defs, ONS_ARRAY_LEN(defs));
}
