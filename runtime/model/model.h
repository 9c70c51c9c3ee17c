/* The model (spec §4-§6): stages, classes, regions, groups, materials,
 * facilities, lanes, demands, policies and scenarios, as the declarations of
 * a session built them.  Entities are referred to by (kind, index); a
 * redeclaration in the REPL replaces an entity in place, so references
 * stay valid.  Numeric properties are OnsValues evaluated per year: a
 * constant, a series, or a closure compiled from the property expression. */
#ifndef ONS_RUNTIME_MODEL_H
#define ONS_RUNTIME_MODEL_H

#include "object.h"
#include "vm.h"

/* ---- the property schema (props.def) ---- */

/* The rows of props.def: ONS_PROP_SOURCE, ... */
typedef enum OnsPropId {
#define PROP(kind, id, rule, per_year, slot, dflt, name, doc) ONS_PROP_##id,
#include "props.def"
#undef PROP
    ONS_PROP__COUNT
} OnsPropId;

/* The facility properties with a slot in props.def, numbered from 0 in row
 * order: ONS_FP_CAPACITY, ...  Each row adds its slot flag to a running
 * count, so ONS_FP_ID is the slot of a row that has one (and means nothing
 * for a row that has none); ONS_FP_COUNT is how many there are. */
enum {
    ONS_FP__BEFORE = -1,
#define PROP(kind, id, rule, per_year, slot, dflt, name, doc) ONS_FP_##id, ONS_FP__AFTER_##id = ONS_FP_##id - 1 + (slot),
#include "props.def"
#undef PROP
    ONS_FP_COUNT
};

/* The kind of a property every declaration takes (source, note). */
#define ONS_ENT_COMMON ONS_ENT_KIND_COUNT
/* The property kinds of an option (spec 12: a facility's properties but
 * capacity, and its own) and of a scenario's `plan { ... }` block. */
#define ONS_ENT_OPTION (ONS_ENT_KIND_COUNT + 1)
#define ONS_ENT_PLAN (ONS_ENT_KIND_COUNT + 2)


typedef struct OnsEntityInfo {
    OnsString *name;
    char *title, *source, *note;   /* owned, may be NULL */
    OnsSource *src;                /* the declaration, for notes, :show and :save */
    OnsSpan span, name_span;
    bool replaced;                 /* declared again in this session (REPL) */
} OnsEntityInfo;

typedef struct OnsStage { OnsEntityInfo e; } OnsStage;
typedef struct OnsClass { OnsEntityInfo e; } OnsClass;
typedef struct OnsRegion { OnsEntityInfo e; } OnsRegion;

typedef struct OnsGroup {
    OnsEntityInfo e;
    uint32_t *members;             /* region indices, groups flattened, no repeats */
    uint32_t nmembers;
} OnsGroup;

typedef struct OnsNeed {
    uint32_t material;
    OnsValue per_unit;             /* unit(input)/unit(output) */
} OnsNeed;

typedef struct OnsMaterial {
    OnsEntityInfo e;
    char unit[8];                  /* as declared: "t", "GWh" */
    OnsDim unit_dim;
    double unit_factor;            /* base units in one declared unit */
    uint32_t stage;
    uint32_t *classes;
    uint32_t nclasses;
    OnsValue price;                /* money/unit; nil when not given */
    OnsNeed *needs;
    uint32_t nneeds;
} OnsMaterial;

/* What an option (spec 12) has beside a facility's properties; nil: the
 * default.  capex is evaluated in each decision year, the others once, in
 * the scenario's first year. */
typedef struct OnsOptionValues {
    OnsValue capex;                /* money/(unit(makes)/yr) */
    OnsValue lead, max, from, size;
} OnsOptionValues;

typedef struct OnsFacility {
    OnsEntityInfo e;
    bool is_option;                /* declared with `option`: exists only in the plans that list it */
    OnsOptionValues option;
    uint32_t region, makes;
    uint32_t *feeds;               /* facilities it supplies first (spec 10.3), in the order listed */
    uint32_t nfeeds;
    OnsValue per_year[ONS_FP_COUNT]; /* capacity, utilization, ... (props.def); nil: its default */
} OnsFacility;

#define ONS_ANY_REGION (-1)

typedef struct OnsLane {
    OnsEntityInfo e;               /* name is "A -> B" */
    int32_t from, to;              /* region index or ONS_ANY_REGION */
    OnsValue cost;                 /* dimensionless, ad valorem */
    OnsValue days;
} OnsLane;

typedef struct OnsDemand {
    OnsEntityInfo e;               /* name is "US cell" */
    uint32_t region, material;
    OnsValue amount;               /* unit(material), or per year */
} OnsDemand;

typedef enum OnsSelectorKind { ONS_SEL_ALL, ONS_SEL_MATERIAL, ONS_SEL_LIST, ONS_SEL_STAGE, ONS_SEL_CLASS } OnsSelectorKind;
typedef struct OnsSelector {
    uint8_t kind;
    uint32_t index;
    uint32_t *list;
    uint32_t n;
} OnsSelector;

typedef enum OnsRegionSetKind { ONS_RSET_ALL, ONS_RSET_REGION, ONS_RSET_GROUP, ONS_RSET_LIST } OnsRegionSetKind;
typedef struct OnsRegionSet {
    uint8_t kind;
    uint32_t index;
    uint32_t *list;                /* region or group indices, tagged: see rset_matches */
    uint8_t *list_is_group;
    uint32_t n;
} OnsRegionSet;

typedef enum OnsRuleKind { ONS_RULE_TARIFF, ONS_RULE_CREDIT, ONS_RULE_BAN, ONS_RULE_REQUIRE, ONS_RULE_QUOTA } OnsRuleKind;
typedef enum OnsMetric { ONS_METRIC_SHARE, ONS_METRIC_RECYCLED, ONS_METRIC_TOP_ORIGIN, ONS_METRIC_LOCALIZATION } OnsMetric;
typedef enum OnsCmp { ONS_CMP_EQ, ONS_CMP_NE, ONS_CMP_LT, ONS_CMP_LE, ONS_CMP_GT, ONS_CMP_GE } OnsCmp;

typedef struct OnsRule {
    uint8_t kind, metric, cmp;
    OnsSelector sel;
    OnsRegionSet from, to;         /* tariff, ban: lanes; credit: `in` is from; share: `from SET` */
    uint32_t region;               /* require ... for REGION */
    OnsValue value;                /* tariff rate, credit amount, require target, quota rate */
    OnsDim unit;                   /* quota: the unit family of its materials (t, GWh) */
    bool has_from, has_until;
    int32_t year_from, year_until;
    OnsSource *src;
    OnsSpan span;
} OnsRule;

typedef struct OnsPolicy {
    OnsEntityInfo e;
    OnsRule *rules;
    uint32_t nrules;
} OnsPolicy;

/* A distribution (spec 11): its kind and arguments in base units, all of one
 * dimension (the param's). */
typedef enum OnsDistKind {
    ONS_DIST_FIXED,          /* a value, every sample (a scenario's `param p: 2 yr`) */
    ONS_DIST_UNIFORM,        /* a, b */
    ONS_DIST_TRIANGULAR,     /* a low, b mode, c high */
    ONS_DIST_NORMAL,         /* a mean, b sd */
    ONS_DIST_LOGNORMAL,      /* a median, b s (dimensionless) */
    ONS_DIST_CHOICE          /* values[i] with probs[i] */
} OnsDistKind;

typedef struct OnsDist {
    uint8_t kind;            /* OnsDistKind */
    uint8_t hint;            /* ONS_HINT_PERCENT when written in % */
    OnsDim dim;
    double a, b, c;
    double *values, *probs;  /* choice; owned */
    uint32_t n;
} OnsDist;

typedef struct OnsParam {
    OnsEntityInfo e;
    OnsDist dist;
} OnsParam;

/* A scenario's `param NAME: DIST` (replace) or `param NAME: value` (fix). */
typedef struct OnsParamOverride {
    uint32_t param;
    OnsDist dist;
} OnsParamOverride;

typedef enum OnsSourcing { ONS_SOURCING_INHERIT = -1, ONS_SOURCING_LOCAL_FIRST, ONS_SOURCING_CHEAPEST } OnsSourcing;
/* spec 10.4: whether a shortage of inputs stops the output that needs them */
typedef enum OnsShortage { ONS_SHORTAGE_INHERIT = -1, ONS_SHORTAGE_STAYS, ONS_SHORTAGE_PROPAGATES } OnsShortage;

/* A scenario's change to one property of one entity, or to a demand. */
typedef struct OnsOverride {
    uint8_t kind;                  /* ONS_ENT_FACILITY, ONS_ENT_MATERIAL or ONS_ENT_DEMAND */
    uint8_t prop;                  /* OnsPropId (not for demands) */
    uint32_t index;                /* entity; for demands the region */
    uint32_t material;             /* demands: the material */
    OnsValue value;
    OnsSource *src;
    OnsSpan span;
} OnsOverride;

/* A scenario's `plan { ... }` (spec 12). */
typedef struct OnsPlan {
    uint32_t *options;             /* facilities declared as options */
    uint32_t noptions;
    uint32_t *enforce;             /* policies */
    uint32_t nenforce;
    OnsValue discount, shortage_cost, time_limit; /* nil: 0%, 1000%, none */
    char *write;                   /* the LP file to write, or NULL; owned */
    OnsSource *src;
    OnsSpan span;
} OnsPlan;

typedef struct OnsScenario {
    OnsEntityInfo e;
    OnsPlan *plan;                 /* its own plan block, or NULL (a child inherits its parent's) */
    int32_t parent;                /* scenario index or -1 */
    bool has_years;
    int32_t year_from, year_until;
    int8_t sourcing;               /* OnsSourcing */
    int8_t shortage;               /* OnsShortage */
    uint32_t *use;                 /* policies added by this scenario */
    uint32_t nuse;
    OnsOverride *overrides;
    uint32_t noverrides;
    OnsParamOverride *params;      /* spec 11.1 */
    uint32_t nparams;
} OnsScenario;

/* ---- the property schema: which properties each kind of entity takes ---- */



/* What a property's value must be; the compiler checks, the engine relies on it. */
typedef enum OnsPropRule {
    ONS_PR_TEXT,             /* a string literal */
    ONS_PR_UNIT_NAME,        /* a unit name: t, GWh */
    ONS_PR_STAGE_REF,        /* a stage name */
    ONS_PR_CLASS_LIST,       /* a class name or a list of them */
    ONS_PR_MONEY_PER_UNIT,   /* money/unit(material) */
    ONS_PR_NEEDS_MAP,        /* {material: unit(input)/unit(output)} */
    ONS_PR_REGION_REF,
    ONS_PR_MATERIAL_REF,
    ONS_PR_RATE,             /* unit(makes)/yr */
    ONS_PR_SHARE,            /* dimensionless */
    ONS_PR_TIME,             /* a time */
    ONS_PR_BOOL,
    ONS_PR_DAYS,             /* dimensionless days, or a time */
    ONS_PR_YEAR_RANGE,       /* A..B */
    ONS_PR_POLICY_LIST,      /* a policy name or a list of them */
    ONS_PR_SOURCING,         /* cheapest | local_first */
    ONS_PR_FACILITY_LIST,    /* a facility name or a list of them */
    ONS_PR_SHORTAGE,         /* stays | propagates */
    ONS_PR_CAPEX,            /* money/(unit(makes)/yr) */
    ONS_PR_YEAR              /* a whole year: 2026 */
} OnsPropRule;

typedef struct OnsPropDef {
    uint8_t kind;              /* OnsEntityKind */
    uint8_t id;                /* OnsPropId */
    uint8_t rule;              /* OnsPropRule */
    bool per_year;             /* evaluated each simulated year: may use `year` */
    int8_t slot;               /* ONS_FP_* of a facility's overridable value, or -1 */
    const char *name;
    const char *doc;           /* one line for :show and the reference */
} OnsPropDef;

/* Looks up a property of an entity kind by name; NULL when it has none. */
const OnsPropDef *model_prop_find(OnsEntityKind kind, const char *name);
/* The nth property of a kind (n from 0), NULL past the last. */
const OnsPropDef *model_prop_nth(OnsEntityKind kind, int n);
/* What `f.NAME` reads when the property was left out (props.def DEFAULT). */
OnsValue model_prop_default(OnsPropId id);
/* The facility property of a slot (ONS_FP_*). */
const OnsPropDef *model_facility_prop(int slot);

/* The values a scenario puts in force (its overrides over the declared
 * values), which entity.property reads while that scenario runs. */
typedef struct OnsScenarioValues {
    const OnsValue *facility;   /* [facility][ONS_FP_*] (nil: the default) */
    const OnsValue *price;      /* [material] */
    uint32_t nfacilities, nmaterials;
    uint32_t scenario;          /* the running scenario, whose overrides these are */
} OnsScenarioValues;

/* A model property being evaluated (model_props.c): which entity and
 * property, and which value of it (the scenario's, an ancestor's override,
 * or the declared one), so a value that reads itself reads what it replaces. */
enum { ONS_EVALUATING_MAX = 32 };
typedef struct OnsPropRef {
    uint32_t index;     /* the entity */
    uint8_t kind;       /* ONS_ENT_FACILITY (slot: ONS_FP_*) or ONS_ENT_MATERIAL (its price) */
    uint8_t slot;
    int16_t level;      /* ONS_LEVEL_*, or the override that many scenarios up from the running one */
} OnsPropRef;

/* OnsPropRef.level: the value in force (the running scenario's, or the
 * declared one outside a run), or the declared value beneath every override. */
enum { ONS_LEVEL_IN_FORCE = -1, ONS_LEVEL_DECLARED = 0x7fff };

/* The ONS_FP_* slot of a facility property a scenario can override, or -1. */
int model_facility_slot(OnsPropId prop);

/* model_eval of the value `ref` names, marked as being evaluated meanwhile:
 * reading the same property inside it gives the value it replaces (a
 * scenario's `x.capacity: x.capacity * 2` doubles the inherited capacity),
 * and a declared value that reads itself is an error, not endless recursion.
 * ref may be NULL (nothing to mark). */
OnsStatus model_eval_prop(OnsVM *vm, const OnsPropRef *ref, OnsValue prop, double year, OnsValue *out);

/* ---- the model ---- */

typedef struct OnsModel {
    OnsStage *stages;        uint32_t nstages, cap_stages;
    OnsClass *classes;       uint32_t nclasses, cap_classes;
    OnsRegion *regions;      uint32_t nregions, cap_regions;
    OnsGroup *groups;        uint32_t ngroups, cap_groups;
    OnsMaterial *materials;  uint32_t nmaterials, cap_materials;
    OnsFacility *facilities; uint32_t nfacilities, cap_facilities;
    OnsLane *lanes;          uint32_t nlanes, cap_lanes;
    OnsDemand *demands;      uint32_t ndemands, cap_demands;
    OnsPolicy *policies;     uint32_t npolicies, cap_policies;
    OnsScenario *scenarios;  uint32_t nscenarios, cap_scenarios;
    OnsParam *params;        uint32_t nparams, cap_params;
    uint64_t generation;     /* bumped on every change: cached runs are stale */
    uint64_t runs_made;      /* numbers the runs in the order they were made */

    /* the session's runs, and what a run evaluating properties is doing */
    OnsValue last_run;       /* the most recent run result, for report/explain */
    OnsValue last_sweep;     /* the most recent sweep, for report spread/drivers */
    OnsMap *runs;            /* scenario -> its latest run (reused while nothing it read changed) */
    const OnsScenarioValues *in_scenario;      /* while a run evaluates properties, its values */
    OnsPropRef evaluating[ONS_EVALUATING_MAX]; /* model properties being evaluated, innermost last */
    uint32_t nevaluating;                      /* may exceed the array: deeper ones go unrecorded */
    const double *sample_draws;                /* in a sweep's sample, each param's draw (base units); else NULL */

    /* shards (sweep_parts.c): the sweeps made of each scenario so far (which
     * part names a sweep has), and the part files this process wrote */
    uint32_t *sweeps_made;   size_t cap_sweeps_made;
    char **parts_written;    uint32_t nparts_written; size_t cap_parts_written;

    /* `facility from "FILE"` and the like the session declared, each once,
     * with the file's absolute path: what :save writes for their rows */
    char **tables;           uint32_t ntables; size_t cap_tables;
} OnsModel;

/* ---- params (params.c, spec 11) ---- */

void model_dist_free(OnsDist *d);
/* u of sample `sample` of a sweep with seed `seed`, for param number `param`:
 * (mix(mix(mix(S) ^ i) ^ k) >> 11) x 2^-53, mix SplitMix64's finaliser. */
double model_draw_u(uint64_t seed, uint64_t sample, uint64_t param);
/* The normal quantile (AS 241, PPND16). */
double model_normal_quantile(double p);
/* A distribution's value at u, and its nominal value (outside sweeps). */
double model_dist_map(const OnsDist *d, double u);
double model_dist_nominal(const OnsDist *d);
bool model_dist_has_spread(const OnsDist *d);
/* The distribution of a param in force in a scenario (its own, or one a
 * scenario up its chain replaced or fixed). */
const OnsDist *model_param_dist(const OnsModel *m, uint32_t scenario, uint32_t param);

/* The model of a VM (its host context, model_attach). */
static inline OnsModel *model_of(const OnsVM *vm)
{
    return (OnsModel *)vm->host.ctx;
}

/* The operations of the HOST instruction (model_host.c), numbered here for
 * the compiler that emits them. */
enum { ONS_HOST_RUN, ONS_HOST_REPORT, ONS_HOST_EXPLAIN, ONS_HOST_PARAM, ONS_HOST_SWEEP, ONS_HOST_OP_COUNT };

/* The model's built-in functions (builtins_model.c, builtins_query.c). */
void builtins_register_model(OnsVM *vm);
void builtins_register_queries(OnsVM *vm);
void builtins_register_plans(OnsVM *vm);

/* Gives vm a fresh, empty model: registers it as the VM's host (GC roots,
 * entity names and properties, the run/report/explain operations) and adds
 * the model's built-in functions.  Every VM that compiles Onshore has one. */
void model_attach(OnsVM *vm);

/* Counts of each kind, to undo a compilation that failed. */
typedef struct OnsModelMark {
    uint32_t n[ONS_ENT_KIND_COUNT];
} OnsModelMark;

OnsModel *model_new(void);
void model_free(OnsModel *m);
void model_mark(OnsVM *vm, OnsModel *m);

uint32_t model_count(const OnsModel *m, OnsEntityKind kind);
OnsEntityInfo *model_info(OnsModel *m, OnsEntityKind kind, uint32_t index);
const char *model_name(OnsModel *m, OnsEntityKind kind, uint32_t index);

/* Appends a zeroed entity of a kind and returns its index. */
uint32_t model_append(OnsModel *m, OnsEntityKind kind);
/* Room for `more` entities of the kind beyond those there, so declaring a
 * large file's entities does not copy the array as it doubles. */
void model_reserve(OnsModel *m, OnsEntityKind kind, size_t more);
/* The entity struct itself (OnsMaterial *, ...). */
void *model_entity(OnsModel *m, OnsEntityKind kind, uint32_t index);
/* Frees what an entity struct owns (not the struct). */
void model_entity_free_parts(OnsEntityKind kind, void *entity);
/* Frees what an entity owns and zeroes it (before a replacement). */
void model_clear_entity(OnsModel *m, OnsEntityKind kind, uint32_t index);

OnsModelMark model_checkpoint(const OnsModel *m);
void model_rollback(OnsModel *m, OnsModelMark mark);

/* Stage and class namespaces (names not in the global namespace). */
int32_t model_find_stage(const OnsModel *m, const char *name, size_t len);
int32_t model_find_class(const OnsModel *m, const char *name, size_t len);

/* Membership tests used by policies and aggregates. */
bool model_material_in_class(const OnsModel *m, uint32_t material, uint32_t cls);
bool model_selector_matches(const OnsModel *m, const OnsSelector *sel, uint32_t material);
bool model_region_set_matches(const OnsModel *m, const OnsRegionSet *set, uint32_t region);
bool model_group_has(const OnsModel *m, uint32_t group, uint32_t region);

/* Evaluates a property value (constant, series or closure) at a year. */
OnsStatus model_eval(OnsVM *vm, OnsValue prop, double year, OnsValue *out);
/* entity.name as the language reads it (at the current year). */
OnsStatus model_get_property(OnsVM *vm, OnsValue entity, OnsString *name, OnsValue *out);

void model_free_selector(OnsSelector *s);
void model_plan_free(OnsPlan *p);
/* Records a table declaration's line (once). */
void model_note_table(OnsModel *m, const char *line);
void model_free_region_set(OnsRegionSet *s);

#endif
