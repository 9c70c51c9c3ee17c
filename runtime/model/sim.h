/* The simulation of spec §6: a scenario run year by year, and the figures
 * it records per (year, material, region).
 *
 * A run is deterministic: every sum is taken in a fixed order (declaration
 * order of facilities and regions, ascending years), and ties in the import
 * ranking are broken by declaration order. */
#ifndef ONS_RUNTIME_SIM_H
#define ONS_RUNTIME_SIM_H

#include "model.h"
#include "vm.h"

/* What one region received of one material in one year (spec §6 figures). */
/* The most (year, material, region) cells one run may hold, and (cell,
 * origin) entries: 352 MB and 320 MB.  The fuzz build lowers them. */
#ifndef ONS_MAX_RUN_CELLS
#define ONS_MAX_RUN_CELLS ((size_t)4 * 1000 * 1000)
#endif
#ifndef ONS_MAX_RUN_ORIGINS
#define ONS_MAX_RUN_ORIGINS ((size_t)40 * 1000 * 1000)
#endif

typedef struct OnsCell {
    double demand;          /* declared + derived (step 3) */
    double derived;         /* the derived part */
    double local;           /* served by facilities in the region */
    double local_capacity;  /* effective capacity in the region */
    double imports;         /* served from other regions */
    double shortage;        /* unserved */
    double recycled;        /* received from recycled facilities */
    double landed_total;    /* sum of landed cost x amount received */
    double tariffs_paid;    /* on imports */
    double credits;         /* earned by facilities in the region making the material */
    double output;          /* shipped by facilities in the region, anywhere */
    double stopped;         /* output lost for want of inputs (spec 10.4): first pass minus last */
} OnsCell;

/* One shipment: facility -> region, in a (year, material). */
typedef struct OnsFlow {
    uint32_t facility, dest;
    double amount;
    double landed;          /* per unit */
    double tariff;          /* per unit */
    bool local;             /* step 4 (local first) rather than step 5 */
} OnsFlow;

typedef struct OnsRun {
    uint32_t scenario;
    int32_t year_from, year_until;
    uint32_t nyears, nregions, nmaterials, nfacilities;
    uint64_t generation;    /* the model generation it ran on */
    uint64_t serial;        /* runs are numbered in the order they were made */
    uint64_t inputs_version; /* vm->inputs_version when it ran (watch.h) */
    bool cacheable;         /* false when it read what no write can be seen to change */
    uint32_t *reads;        /* the globals it read, ascending slots */
    OnsValue *read_values;  /* their values as it read them (for :save) */
    uint32_t nreads;
    bool cheapest;
    bool propagates;        /* shortage: propagates (spec 10.4) */
    uint32_t *policies;     /* in force, parents' first */
    uint32_t npolicies;
    OnsCell *cells;         /* [year][material][region] */
    /* what each region received, by origin: for the cell k = sim_cell_index
     * (year, material, dest), entries recv_start[k] .. recv_start[k + 1] of
     * recv_origin and recv_amount, origins ascending, those that shipped
     * only (a dense [dest][origin] table a year and material was most of a
     * large run's memory) */
    size_t *recv_start;     /* [year][material][dest] + 1 */
    uint32_t *recv_origin;
    double *recv_amount;
    size_t nrecv, recv_cap;
    double *price;          /* [year][material], NAN when the material has no price */
    double *fac_capacity;   /* [year][facility] effective capacity */
    double *fac_output;     /* [year][facility] */
    double *fac_cost;       /* [year][facility] net of credits */
    OnsFlow *flows;         /* all shipments, grouped by (year, material) */
    size_t nflows, flows_cap;
    size_t *flow_start;     /* [year*nmaterials + material] .. [+1] */
    /* quotas (spec 10.2): the quota rules of the run's policies, in policy
     * order then written order; each year's cap and use (NAN: not in force) */
    uint32_t nquotas;
    uint32_t *quota_policy, *quota_rule;    /* [quota] */
    double *quota_cap, *quota_use;          /* [year][quota], amounts in base units */
    double *quota_policy_use;               /* [year][run policy]: covered by one or more of its quotas */
    struct OnsPlanOutcome *plan; /* a planned run's plan (spec 12), or NULL */
    char hash[17];          /* short hash of the model and options */
    double seconds;
} OnsRun;

/* Runs scenario `scenario` (or reuses the cached run when the model has not
 * changed since) and returns the run result value. */
OnsStatus sim_run_value(OnsVM *vm, uint32_t scenario, OnsValue *out);
/* A run made afresh, never cached nor reused (a sweep's sample). */
OnsStatus sim_run_fresh(OnsVM *vm, uint32_t scenario, OnsValue *out);
/* The run behind a run-result value, or NULL when v is not one. */
OnsRun *sim_run_of(OnsValue v);

static inline size_t sim_cell_index(const OnsRun *r, uint32_t y, uint32_t m, uint32_t reg)
{
    return ((size_t)y * r->nmaterials + m) * r->nregions + reg;
}


/* A short hash of everything a run's numbers depend on (report headers). */
void sim_model_hash(OnsVM *vm, const OnsRun *run, char out[17]);
/* Whether a run still reflects the model and every global it read (a run
 * that drew random numbers is current, but never reused by `run`). */
bool sim_run_is_current(const OnsVM *vm, const OnsRun *run);

/* ---- explain: the allocation of one (region, material, year), step by step ---- */

typedef enum OnsTraceKind {
    ONS_TRACE_LOCAL,       /* a local facility served the region (step 4) */
    ONS_TRACE_CAPTIVE,     /* a facility fed one of its own (spec 10.3), before step 4 */
    ONS_TRACE_IMPORT,      /* a (facility, region) pair moved an amount (step 5) */
    ONS_TRACE_PASSED,      /* the pair was reached but had nothing to move */
    ONS_TRACE_BANNED,      /* the lane is banned */
    ONS_TRACE_LATER,       /* demand was already met when the pair came up */
    ONS_TRACE_PLANNED      /* a shipment the least-cost plan decided (spec 12) */
} OnsTraceKind;

typedef struct OnsTraceEvent {
    uint8_t kind;
    uint32_t facility;
    double amount;         /* moved */
    double landed;         /* per unit */
    double net_cost, lane, tariff;
    double capacity_left;  /* the facility's capacity before this step */
    double demand_left;    /* the region's unmet demand before this step */
    int32_t quota;         /* the run's quota that held this offer back, or -1 */
    int32_t fed;           /* captive: the facility fed, or -1 */
    double quota_left;     /* what was left of it after this offer */
} OnsTraceEvent;

/* A facility a pass of a propagating year lowered (spec 10.4), for explain. */
typedef struct OnsTraceLowering {
    int pass;              /* the pass whose shortage lowered it (1: the first) */
    uint32_t facility;
    uint32_t input;        /* the input whose fill was least */
    double fill;           /* that fill */
    double capacity;       /* what it may ship in the next pass */
} OnsTraceLowering;

typedef struct OnsTrace {
    OnsTraceLowering *lowerings;
    size_t nlowerings, lowerings_cap;
    int passes;            /* of the traced year; 1 when it needed no second */
    int32_t year;
    uint32_t region, material;
    double declared, derived, local_capacity, shortage;
    bool planned;          /* a planned run: the events are the plan's shipments */
    double marginal;       /* planned: the cost of one more unit demanded, that year's money; NAN: none */
    OnsTraceEvent *events;
    size_t n, cap;
} OnsTrace;

/* Re-runs a scenario recording how one allocation came about. */
OnsStatus sim_explain(OnsVM *vm, uint32_t scenario, int32_t year, uint32_t region, uint32_t material,
                      OnsTrace *out);
void sim_trace_free(OnsTrace *t);

#endif
