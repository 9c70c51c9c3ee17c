/* The figures of spec §6 over a run: per (region, material, year) and
 * summed per stage, class or list of materials -- amounts with amounts when
 * the materials share a unit family, otherwise by value (x price). */
#ifndef ONS_RUNTIME_FIGURES_H
#define ONS_RUNTIME_FIGURES_H

#include "sim.h"

typedef struct OnsFigures {
    bool by_value;          /* summed as money because units differ (or asked) */
    OnsDim dim;             /* of the amounts: the shared unit, or money */
    double demand, derived, local, local_capacity, imports, shortage, recycled, output, exports, stopped;
    double capacity_gap;    /* max(0, demand - local capacity) per material, then summed */
    double landed_total, tariffs_paid, credits;  /* money, never weighted */
    double units_received;  /* unweighted supply, for landed cost per unit */
    bool units_mixed;       /* materials of different units: no cost per unit */
    double *by_origin;      /* [region] what came from each origin (NULL unless asked) */
} OnsFigures;

/* Which regions and materials a figure is about. */
typedef struct OnsScope {
    bool *regions;          /* [region] in the set (a region, or a group's members) */
    bool *materials;        /* [material] selected */
    uint32_t nmat_selected;
} OnsScope;

/* Builds a scope from query arguments: a region or group, and a material,
 * stage, class or list of materials.  Errors name the function `fn`. */
OnsStatus figures_scope(OnsVM *vm, const OnsRun *run, const char *fn, OnsValue region, OnsValue sel,
                        OnsScope *out);
/* Scope from a selector of a rule or report. */
void figures_scope_from(const OnsModel *m, const OnsRun *run, uint32_t region, const OnsSelector *sel,
                        OnsScope *out);
void figures_scope_free(OnsScope *s);

/* Year index of a year in the run, or an error naming fn. */
OnsStatus figures_year(OnsVM *vm, const OnsRun *run, const char *fn, OnsValue year, uint32_t *yi);

/* Sums the figures of a scope in a year; by_value forces value weighting
 * (sourcing laws measure value); want_origins fills by_origin. */
OnsStatus figures_sum(OnsVM *vm, const OnsRun *run, const OnsScope *scope, uint32_t yi, bool by_value,
                      bool want_origins, OnsFigures *out);
void figures_free(OnsFigures *f);

/* An amount of the figures as a value (dimension of the sum). */
OnsValue figures_amount(const OnsFigures *f, double v);
/* The largest origin outside the scope's regions, -1 if none; ties go to the first declared. */
int32_t figures_top_origin(const OnsRun *run, const OnsScope *scope, const OnsFigures *f);
/* Herfindahl index of origins' shares of supply, 0..10000; NAN when nothing was received. */
double figures_hhi(const OnsRun *run, const OnsFigures *f);

/* The value of a `require` metric for a region in a year (value-weighted
 * where the spec says so); NAN when undefined. */
OnsStatus figures_metric(OnsVM *vm, const OnsRun *run, const OnsRule *rule, uint32_t yi, double *out);
/* Whether a require rule holds; *value and *target are set (value NAN: n/a). */
OnsStatus figures_require(OnsVM *vm, const OnsRun *run, const OnsRule *rule, uint32_t yi, bool *holds,
                          double *value, double *target);

#endif
