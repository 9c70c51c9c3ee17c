/* Reports (spec §7): gap, imports, compliance, compare, sources, explain. */
#ifndef ONS_RUNTIME_REPORT_H
#define ONS_RUNTIME_REPORT_H

#include "model.h"
#include "vm.h"

/* Runs a `report` statement: spec is the compiled description (a data
 * object); regs hold the values of its `in` and `to` clauses (nil when
 * absent), then the region and the materials when variables name them. */
OnsStatus report_execute(OnsVM *vm, OnsValue spec, const OnsValue *regs);
/* Runs an `explain` statement: regs as for a report, the year first and
 * the material in place of the materials. */
OnsStatus report_explain(OnsVM *vm, OnsValue spec, const OnsValue *regs);

/* The rows of reports.def (ONS_REPORT_GAP, ...), then explain, which is a
 * statement of its own. */
typedef enum OnsReportKind {
#define REPORT(id, name, region, selector, scenarios, needs, doc) ONS_REPORT_##id,
#include "reports.def"
#undef REPORT
    ONS_REPORT_EXPLAIN,
    ONS_REPORT_KIND_COUNT = ONS_REPORT_EXPLAIN
} OnsReportKind;

/* What a kind of report does with `on SEL` (reports.def). */
enum { ONS_SEL_NONE, ONS_SEL_OPTIONAL, ONS_SEL_NEEDED };

typedef struct OnsReportDef {
    const char *name;
    const char *needs;      /* "report NAME needs ..." */
    const char *doc;
    uint8_t kind;           /* OnsReportKind */
    bool region;            /* needs `for R` */
    uint8_t selector;       /* `on SEL`: ONS_SEL_NONE, ONS_SEL_OPTIONAL or ONS_SEL_NEEDED */
    uint8_t scenarios;      /* scenario names it needs, 0: takes none */
} OnsReportDef;

/* The report called name, or NULL; the nth (from 0), NULL past the last. */
const OnsReportDef *report_def_find(const char *name);
const OnsReportDef *report_def_nth(int n);

typedef enum OnsFormat { ONS_FMT_DEFAULT = -1, ONS_FMT_TABLE, ONS_FMT_CSV, ONS_FMT_JSON, ONS_FMT_MARKDOWN, ONS_FMT_TSV, ONS_FMT_LONG } OnsFormat;

/* What a `plot` statement draws (spec 13). */
typedef enum OnsPlotKind {
    ONS_PLOT_NONE,          /* a report */
    ONS_PLOT_LINES,         /* plot FIGURE for R on SEL in YEARS: a line a selector */
    ONS_PLOT_COMPARE,       /* plot compare S1, S2: FIGURE ...: a line a scenario */
    ONS_PLOT_IMPORTS,       /* plot imports for R on SEL in YEAR: a bar an origin */
    ONS_PLOT_SPREAD         /* plot spread FIGURE ...: the latest sweep's p10-p90 band and p50 */
} OnsPlotKind;

/* What a `report`, `plot` or `explain` statement asks for, resolved at compile time;
 * the years and the file are evaluated when it runs. */
typedef struct OnsReportSpec {
    uint8_t kind;           /* OnsReportKind */
    int8_t format;          /* OnsFormat */
    bool has_region;
    uint32_t region;
    bool has_sel;
    OnsSelector sel;
    uint32_t *scenarios;    /* compare */
    uint32_t nscenarios;
    uint32_t material;      /* explain */
    char figure[32];        /* spread, drivers, plots: the figure's name */
    uint8_t plot;           /* OnsPlotKind: ONS_PLOT_NONE for a report */
    OnsSelector *sels;      /* a plot's `on [stage cell, stage active]`: a line each (else sel) */
    uint32_t nsels;
    bool has_years, has_file;
    /* named by a variable: its value, in the registers after years and file */
    bool region_in_reg, sel_in_reg, material_in_reg;
    OnsSource *src;
    OnsSpan span;
} OnsReportSpec;

/* Frees a spec and what it owns (selectors, scenarios). */
void report_spec_free(OnsReportSpec *spec);
/* Wraps a spec in a value (the VM owns it from then on). */
OnsValue report_spec_value(OnsVM *vm, OnsReportSpec *spec);
const char *report_format_name(OnsFormat f);
/* Parses "table", "csv", "tsv", "long", "json" (or "jsonl"), "markdown" (or "md"); ONS_FMT_DEFAULT if unknown. */
OnsFormat report_format_parse(const char *name);

#endif
