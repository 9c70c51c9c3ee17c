/* The simulation's working state, shared by the files of the engine:
 * sim.c (spec §6 and §10, year by year) and sim_plan.c (spec 12, the year
 * loop made from a least-cost plan).  Not for anything outside the engine:
 * the rest of the runtime reads runs through sim.h. */
#ifndef ONS_RUNTIME_SIM_INTERNAL_H
#define ONS_RUNTIME_SIM_INTERNAL_H

#include "arena.h"
#include "plan.h"
#include "sim.h"

/* Facility properties a scenario can override, in this order (model.h). */
enum { FP_CAPACITY = ONS_FP_CAPACITY, FP_UTILIZATION = ONS_FP_UTILIZATION, FP_COST = ONS_FP_COST,
       FP_QUALIFY = ONS_FP_QUALIFY, FP_RECYCLED = ONS_FP_RECYCLED, FP_COUNT = ONS_FP_COUNT };

typedef struct Pair {
    double landed, tariff, lane;
    uint32_t facility, region;
} Pair;

typedef struct RecipeItem {
    uint32_t input;
    double amount;          /* per unit of output, in base units */
} RecipeItem;

typedef struct Sim {
    OnsVM *vm;
    OnsModel *m;
    OnsRun *run;
    OnsTrace *trace;            /* explain: the allocation to record, or NULL */
    bool literal;               /* always rank imports by sorting every pair (ONSHORE_SIM_LITERAL) */
    uint32_t nreg, nmat, nfac;

    /* the scenario, resolved through its parents */
    OnsValue *fac_prop;         /* [facility][FP_*]: the value in force (nil: default) */
    const OnsOverride **fac_ov; /* [facility][FP_*]: the override in force, NULL: the declared value */
    OnsValue *price;            /* [material] */
    OnsValue *demand;           /* [material][region]: the declared demand value, or nil */
    OnsSource **demand_src;
    OnsSpan *demand_span;
    bool *policy_on;            /* [policy] */

    /* facilities */
    uint32_t *fac_order;        /* facilities grouped by material, declaration order within */
    uint32_t *mat_first;        /* [material] .. [material+1]: range in fac_order */
    double *first_year;         /* first scenario year with capacity, NAN before */
    double *eff, *remcap, *cost, *credit, *net;
    bool *recycled;

    /* per year */
    double *dem;                /* [material][region] demand this year */
    double *derived;            /* [material][region] */
    double *lane;               /* [origin][dest] */
    double *adv, *per_unit;     /* [origin][dest] tariffs of the material in hand */
    bool *ban;                  /* [origin][dest] */
    double *rem;                /* [region] unmet demand */
    uint32_t *mat_order;
    Pair *pairs;                /* step 5 as the spec words it (the oracle): grows as needed */
    size_t pairs_cap;
    uint32_t *lane_orders;      /* step 5 by streams: the orders of lanes that need their own */
    size_t nlane_orders, lane_orders_cap;
    bool overflowed;            /* a shipment's figures went beyond the largest number */

    /* quotas (spec 10.2): per quota, which origins and destinations it
     * covers, and what is left of it this year (NAN: not in force) */
    bool *quota_from, *quota_to;  /* [quota][region] */
    double *quota_left;           /* [quota] */
    uint32_t *covering;           /* the quotas in force on the material in hand */
    uint32_t ncovering;
    uint32_t *quota_run_policy;   /* [quota]: its policy's position in run->policies */

    /* recipes (spec 10.1): the one in force for the facility asked about */
    struct RecipeItem *mat_recipe; /* the material's, evaluated for mat_recipe_of in mat_recipe_year */
    uint32_t mat_recipe_of;
    int32_t mat_recipe_year;
    struct RecipeItem *own_recipe; /* a facility's own, evaluated (grows) */
    size_t own_recipe_cap;
    double *captive_got;          /* [facility]: what a fed facility has received of the material in hand */
    double *local_avail;          /* [region]: local capacity left for step 4 */
    double *avail;                /* [facility]: capacity it may ship this year (step 1, or lowered, 10.4) */

    /* shortage that propagates (spec 10.4) */
    double *declared_dem;         /* [material][region]: the year's declared demand, for each pass */
    double *first_output;         /* [facility]: its output in the year's first pass */
    bool *lowered;                /* [facility]: a pass lowered its capacity this year */
    size_t year_flows;            /* run->nflows when the year began */

    /* working space of one year, sized once for the whole run */
    uint8_t *lane_level;        /* [origin][dest] how specific the lane found is */
    struct FacKey *keys;        /* step 5 by streams: facilities with capacity left */
    struct Stream *heap;        /* step 5 by streams: one stream per (origin, dest) */
    struct Cursor *cursors;     /* step 5 by streams: where each stream is */
    double *recv_year;          /* [material][dest][origin] received this year, until year_received */
    uint32_t *region_streams;   /* step 5 by streams: [region] its streams in the heap */

    /* plans (spec 12) */
    bool *active;               /* [facility]: takes part in this run (an option only if the plan lists it) */
    double *util_now, *qualify_now; /* [facility]: step 1's utilization and qualification this year */
    const OnsPlanOutcome *planned;  /* the plan the year loop ships, or NULL */

    OnsArena scratch;           /* every array above but pairs, freed in one call */
} Sim;

/* What a value is, for messages; formatted only when there is an error. */
typedef struct What {
    const char *fmt;
    const char *a, *b;
} What;

/* ---- the steps of a year (sim.c), for sim_plan.c ---- */

/* A property value at a year, checked to be a finite number of dimension
 * want (or *want_alt); errors point at the value or at `where`. */
OnsStatus sim_eval_number(Sim *s, const OnsPropRef *ref, OnsValue prop, double year, OnsDim want,
                          const OnsDim *want_alt, What w, OnsEntityInfo *where, double *out);
OnsDim sim_per(OnsDim a, OnsDim b);
bool sim_rule_in_force(const OnsRule *r, int32_t y);
/* Step 1: effective capacity, cost, credits of every facility in year y. */
OnsStatus sim_facilities_year(Sim *s, int32_t y);
OnsStatus sim_lanes_year(Sim *s, int32_t y);
OnsStatus sim_quotas_year(Sim *s, int32_t y);
OnsStatus sim_declared_demand(Sim *s, int32_t y);
/* Tariffs and bans on one material this year, into s->adv, per_unit, ban. */
OnsStatus sim_trade_rules(Sim *s, int32_t y, uint32_t mat);
OnsStatus sim_recipe_of(Sim *s, uint32_t f, int32_t y, const RecipeItem **items, uint32_t *n);
void sim_ship(Sim *s, uint32_t yi, uint32_t mat, uint32_t f, uint32_t dest, double amount, double landed,
              double tariff, bool local);
void sim_quotas_covering(Sim *s, uint32_t mat);
void sim_count_quotas(Sim *s, uint32_t yi, uint32_t o, uint32_t r, double amount);

/* ---- plans (sim_plan.c) ---- */

/* The plan block in force for the scenario (its own, or the nearest
 * parent's), or NULL; marks s->active for the options it lists. */
const OnsPlan *sim_plan_resolve(Sim *s, uint32_t scenario);
/* Evaluates every year into the linear program, solves it and keeps the
 * outcome in s->planned (and the run); then the year loop ships the plan. */
OnsStatus sim_plan_solve(Sim *s, const OnsPlan *plan);
/* Steps 4-5 of a planned year: the plan's shipments of the material. */
void sim_plan_ship(Sim *s, int32_t y, uint32_t mat);
/* An option's effective capacity in year y of a planned run (0 otherwise). */
double sim_plan_option_capacity(const Sim *s, uint32_t f, uint32_t yi, double util);

#endif
