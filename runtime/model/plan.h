/* Least-cost plans (spec 12): a scenario's years as one linear program,
 * mixed-integer when an option has `size`, solved with COIN-OR Clp (Cbc for
 * the integer case).
 *
 * The simulation (sim.c) evaluates everything the program needs year by
 * year into an OnsPlanInput -- capacities, net costs, lanes, tariffs, bans,
 * recipes, demand, quotas, the enforced rules' targets -- and plan_solve
 * turns it into columns and rows, solves, and returns an OnsPlan result:
 * the shipments, the builds, the cost by kind, the duals.  The run is then
 * made from the shipments, so every figure of §6 works on it.
 *
 * Columns and rows are made in a fixed order (years, then facilities or
 * regions in declaration order), so the same program gives the same plan on
 * every machine with the same solver.  Inside the program each amount is in
 * its material's declared unit and money in millions of dollars, which keeps
 * the numbers of a battery model within a few orders of magnitude of 1. */
#ifndef ONS_RUNTIME_PLAN_H
#define ONS_RUNTIME_PLAN_H

#include "model.h"
#include "output.h"

/* An enforced require rule (spec 12), and its target each year. */
typedef struct OnsPlanRule {
    uint32_t policy;
    uint32_t number;          /* its place among the policy's require rules, from 1 */
    const OnsRule *rule;
    double *target;           /* [year]: NAN when not in force */
} OnsPlanRule;

/* What the program is made of, in base units; [y] arrays cover the run's
 * years, [f] every facility of the model (options included). */
typedef struct OnsPlanInput {
    const OnsModel *m;
    const char *scenario;
    int32_t year_from;
    uint32_t nyears, nreg, nmat, nfac;
    bool propagates;          /* shortage: propagates -- a shortage never exceeds declared demand */
    bool *active;             /* [f]: a facility, or an option the plan lists */
    double *cap;              /* [y][f]: a facility's effective capacity (options: 0) */
    double *util, *qualify;   /* [y][f]: an option's utilization and qualification (years) */
    double *net;              /* [y][f]: cost less credits, NAN when it has no cost */
    double *capex;            /* [y][f]: an option's capex, money per unit of yearly capacity */
    bool *recycled;           /* [y][f] */
    size_t *recipe_at;        /* [y][f] .. +1: its recipe's items in recipe_input/amount */
    uint32_t *recipe_input;
    double *recipe_amount;
    size_t nrecipe, recipe_cap;
    double *price;            /* [y][m]: NAN when none */
    double *lane, *adv, *per_unit; /* [y][m][o][d] */
    bool *ban;                /* [y][m][o][d] */
    double *demand;           /* [y][m][r]: declared demand */
    double *lead, *max, *size; /* [f]: options; max INFINITY and size 0 when not given */
    int32_t *from;            /* [f]: options' first decision year */
    uint32_t nquotas;
    bool *quota_mat, *quota_from, *quota_to; /* [q][m], [q][r], [q][r] */
    double *quota_cap;        /* [y][q]: NAN when not in force */
    OnsPlanRule *rules;
    uint32_t nrules;
    double discount, shortage_cost, time_limit; /* time_limit in seconds, 0: none */
    int64_t probe;            /* [y][m][r] whose marginal cost explain wants, or -1 */
} OnsPlanInput;

/* One shipment the plan decided. */
typedef struct OnsPlanShip {
    uint32_t facility, dest;
    double amount;
} OnsPlanShip;

/* The plan a run was made from. */
typedef struct OnsPlanOutcome {
    uint32_t *options;        /* the plan's options (facility indices), as listed */
    uint32_t noptions;
    double *built;            /* [option][y]: capacity decided that year */
    double *online;           /* [option][y]: capacity in service that year (before utilization) */
    int32_t *online_year;     /* [option][y]: the first year a decision of year y is in service, 0: after the years */
    double *capex_paid;       /* [option][y]: what that year's decision cost, in that year's money */
    OnsPlanShip *ships;       /* by year, then facility, then region */
    size_t nships;
    size_t *ship_at;          /* [y][f] .. +1 */
    double cost_supply, cost_tariffs, cost_capex, cost_shortage; /* discounted to the first year */
    double cost_total;
    double compliance;        /* cost_total less the plan's without `enforce` */
    double *shadow;           /* [rule][y]: NAN when not in force */
    OnsPlanRule *rules;       /* the enforced rules (target arrays owned) */
    uint32_t nrules;
    double probe_marginal;    /* at in->probe: what one more unit demanded costs, money of that year; NAN: none */
    double discount;          /* the plan's rate, for notes */
    bool mip, stopped_early;  /* a mixed-integer plan; stopped by its time limit */
    double gap;               /* relative gap when it stopped early */
    uint32_t ncols, nrows;
} OnsPlanOutcome;

/* Solves the plan: *out (zeroed, with its options set) filled in; an error (the VM's) names the
 * rule and year no plan can meet, or what the solver said.  lp_text, when
 * not NULL, receives the program in CPLEX LP format. */
OnsStatus plan_solve(OnsVM *vm, OnsPlanInput *in, OnsPlanOutcome *out, OnsOut *lp_text);
void plan_outcome_free(OnsPlanOutcome *o);
void plan_input_free(OnsPlanInput *in);

#endif
