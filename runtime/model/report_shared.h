/* What reports (report.c) share with plots (plot.c): the run a statement is
 * about, its years, its header line, names of selectors, the latest sweep's
 * header and quantiles, and writing a file whole or not at all. */
#ifndef ONS_RUNTIME_REPORT_SHARED_H
#define ONS_RUNTIME_REPORT_SHARED_H

#include "report.h"
#include "sim.h"
#include "sweep.h"

/* The latest run, run again if anything it read changed; or the only
 * scenario's run; an error when there is none. */
OnsStatus report_current_run(OnsVM *vm, OnsRun **out);
/* The years of an `in` clause (nil: the run's), checked against the run. */
OnsStatus report_years(OnsVM *vm, const OnsRun *run, OnsValue years, int32_t **out, size_t *n);
/* "scenario NAME (title) · years A..B · model HASH" */
void report_header_line(OnsVM *vm, const OnsRun *run, char *buf, size_t n);
/* "sweep NAME (title) · N runs · seed S · years A..B · model HASH" */
void report_sweep_header(OnsVM *vm, const OnsSweep *sw, char *buf, size_t n);
/* "stage cell", "class c", "[a, b and 3 more]", "*" */
void report_selector_text(const OnsModel *m, const OnsSelector *s, char *buf, size_t n);
/* "share of stage active from north_america >=", "quota on ... from CN to *" */
void report_rule_text(const OnsModel *m, const OnsRule *r, char *buf, size_t n);
/* A selector as the value figure queries take (a GC object for a list). */
OnsValue report_selector_value(OnsVM *vm, const OnsSelector *sel);
/* Writes text to path through a temporary file renamed into place. */
OnsStatus report_write_file(OnsVM *vm, const char *path, const char *text, size_t len);
/* qsort order of doubles, and the type 7 quantile of sorted xs (n > 0). */
int report_cmp_num(const void *a, const void *b);
double report_quantile7(const double *xs, size_t n, double q);

/* The plan of a planned run (report_plan.c), for region spec->region. */
struct OnsTable;
OnsStatus report_plan(OnsVM *vm, const OnsReportSpec *spec, OnsRun *run, const int32_t *years, size_t ny,
                      struct OnsTable *t);

/* Draws a plot statement (plot.c): spec filled in, years and file as
 * evaluated (nil when absent). */
OnsStatus plot_execute(OnsVM *vm, const OnsReportSpec *spec, OnsValue years, OnsValue file);

#endif
