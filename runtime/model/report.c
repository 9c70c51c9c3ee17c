/* Reports (spec §7): gap, imports, compliance, compare, sources and
 * explain.  Each builds an OnsTable (table.c renders the four formats);
 * `to "file"` writes through a temporary file renamed into place, so a
 * report file is complete or absent. */
#include "report.h"
#include "report_shared.h"
#include "arith.h"
#include "figures.h"
#include "file_write.h"
#include "mem.h"
#include "sim.h"
#include "sweep.h"
#include "table.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <string.h>
#include <sys/stat.h>

void report_spec_free(OnsReportSpec *s)
{
    model_free_selector(&s->sel);
    for (uint32_t i = 0; i < s->nsels; i++) model_free_selector(&s->sels[i]);
    ons_free(s->sels);
    ons_free(s->scenarios);
    ons_free(s);
}

static void spec_free(void *p)
{
    report_spec_free(p);
}

static const OnsDataClass spec_class = {"report", NULL, spec_free, NULL, NULL};

OnsValue report_spec_value(OnsVM *vm, OnsReportSpec *spec)
{
    return ons_obj_value(&data_new(vm, &spec_class, spec)->obj);
}

const char *report_format_name(OnsFormat f)
{
    switch (f) {
    case ONS_FMT_CSV: return "csv";
    case ONS_FMT_TSV: return "tsv";
    case ONS_FMT_LONG: return "long";
    case ONS_FMT_JSON: return "json";
    case ONS_FMT_MARKDOWN: return "markdown";
    default: return "table";
    }
}

OnsFormat report_format_parse(const char *name)
{
    if (strcmp(name, "table") == 0) return ONS_FMT_TABLE;
    if (strcmp(name, "csv") == 0) return ONS_FMT_CSV;
    if (strcmp(name, "tsv") == 0) return ONS_FMT_TSV;
    if (strcmp(name, "long") == 0) return ONS_FMT_LONG;
    /* one JSON object a line is what a .jsonl (NDJSON) file holds */
    if (strcmp(name, "json") == 0 || strcmp(name, "jsonl") == 0 || strcmp(name, "ndjson") == 0) return ONS_FMT_JSON;
    if (strcmp(name, "markdown") == 0 || strcmp(name, "md") == 0) return ONS_FMT_MARKDOWN;
    return ONS_FMT_DEFAULT;
}

/* ---- the kinds of report (reports.def) ---- */

static const OnsReportDef report_defs[] = {
#define REPORT(id, name, region, selector, scenarios, needs, doc) \
    {name, needs, doc, ONS_REPORT_##id, region, selector, scenarios},
#include "reports.def"
#undef REPORT
};

const OnsReportDef *report_def_find(const char *name)
{
    for (size_t i = 0; i < ONS_ARRAY_LEN(report_defs); i++)
        if (strcmp(report_defs[i].name, name) == 0) return &report_defs[i];
    return NULL;
}

const OnsReportDef *report_def_nth(int n)
{
    return n >= 0 && (size_t)n < ONS_ARRAY_LEN(report_defs) ? &report_defs[n] : NULL;
}

/* ---- which run, which years, where to ---- */

OnsStatus report_current_run(OnsVM *vm, OnsRun **out)
{
    OnsModel *m = model_of(vm);
    OnsRun *run = sim_run_of(model_of(vm)->last_run);
    if (run && !sim_run_is_current(vm, run)) {
        /* the model or a global it read changed since: run the same scenario again */
        OnsValue v;
        ONS_TRY(sim_run_value(vm, run->scenario, &v));
        model_of(vm)->last_run = v;
        run = sim_run_of(v);
    }
    if (run) {
        *out = run;
        return ONS_OK;
    }
    uint32_t only = 0, n = 0;
    for (uint32_t i = 0; i < m->nscenarios; i++)
        if (m->scenarios[i].e.name) {
            only = i;
            n++;
        }
    if (n != 1)
        return vm_error(vm, n ? "no scenario has run yet: write `run NAME` before this report"
                              : "there is no scenario to report on: declare one and `run` it");
    OnsValue v;
    ONS_TRY(sim_run_value(vm, only, &v));
    model_of(vm)->last_run = v;
    *out = sim_run_of(v);
    return *out ? ONS_OK : vm_error(vm, "internal error: a run without figures");
}

/* The years a report covers: those of the `in` clause, or the whole run. */
OnsStatus report_years(OnsVM *vm, const OnsRun *run, OnsValue years, int32_t **out, size_t *n)
{
    *n = 0;
    if (ONS_IS_NIL(years)) {
        *out = ons_calloc(run->nyears, sizeof(int32_t));
        for (uint32_t i = 0; i < run->nyears; i++) (*out)[(*n)++] = run->year_from + (int32_t)i;
        return ONS_OK;
    }
    OnsValue single[1] = {years};
    const OnsValue *items = single;
    uint32_t count = 1;
    if (ons_is_obj(years, ONS_OBJ_LIST)) {
        items = ONS_AS_LIST(years)->items;
        count = ONS_AS_LIST(years)->len;
    }
    *out = ons_calloc(count ? count : 1, sizeof(int32_t));
    for (uint32_t i = 0; i < count; i++) {
        uint32_t yi;
        OnsStatus st = figures_year(vm, run, "report", items[i], &yi);
        if (st != ONS_OK) {
            ons_free(*out);
            return st;
        }
        (*out)[(*n)++] = run->year_from + (int32_t)yi;
    }
    if (*n == 0) {
        ons_free(*out);
        return vm_error(vm, "report: no years to report on");
    }
    return ONS_OK;
}

void report_header_line(OnsVM *vm, const OnsRun *run, char *buf, size_t n)
{
    OnsScenario *s = &model_of(vm)->scenarios[run->scenario];
    if (s->e.title)
        snprintf(buf, n, "scenario %s (%s) · years %d..%d · model %s", s->e.name->chars, s->e.title,
                 run->year_from, run->year_until, run->hash);
    else
        snprintf(buf, n, "scenario %s · years %d..%d · model %s", s->e.name->chars, run->year_from,
                 run->year_until, run->hash);
}

/* The format a file's extension names, in any case (.CSV, .Md, .txt);
 * ONS_FMT_DEFAULT for an extension that names none; *has_ext false when
 * the name has no extension. */
static OnsFormat format_of_extension(const char *path, bool *has_ext)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    *has_ext = dot && (!slash || dot > slash) && dot[1];
    if (!*has_ext) return ONS_FMT_DEFAULT;
    char ext[16];
    size_t n = 0;
    for (const char *p = dot + 1; *p && n + 1 < sizeof ext; p++) ext[n++] = (char)tolower((unsigned char)*p);
    ext[n] = '\0';
    if (strcmp(ext, "txt") == 0 || strcmp(ext, "text") == 0) return ONS_FMT_TABLE;
    if (strcmp(ext, "markdown") == 0) return ONS_FMT_MARKDOWN;
    if (strcmp(ext, "table") == 0) return ONS_FMT_DEFAULT;
    return report_format_parse(ext);
}

/* `as` first, then the file's extension, then --format, then a table.  An
 * extension that names no format is ONS_FMT_DEFAULT: emit_table says so. */
static OnsFormat choose_format(OnsVM *vm, const OnsReportSpec *spec, OnsValue file)
{
    if (spec->format != ONS_FMT_DEFAULT) return (OnsFormat)spec->format;
    if (ons_is_obj(file, ONS_OBJ_STRING)) { /* by the file's extension */
        bool has_ext;
        OnsFormat f = format_of_extension(ONS_AS_STRING(file)->chars, &has_ext);
        if (has_ext) return f;
    }
    if (vm->default_format) return report_format_parse(vm->default_format);
    return ONS_FMT_TABLE;
}

static size_t count_lines(const char *text, size_t len)
{
    size_t lines = 0;
    for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
    return lines;
}

/* Writes a file whole (file_write.h), quietly. */
static OnsStatus write_file(OnsVM *vm, const char *path, const char *text, size_t len)
{
    int err = ons_write_file(path, text, len);
    if (err == EISDIR) return vm_io_error(vm, "cannot write %s: it is a folder; name a file in it", path);
    if (err) return vm_io_error(vm, "cannot write %s: %s", path, strerror(err));
    return ONS_OK;
}

/* The REPL says where a table went ("wrote gap.csv (5 lines)"), and where
 * its header and notes went when they have a file of their own. */
static void announce_write(OnsVM *vm, const char *path, const char *text, size_t len, const char *meta)
{
    if (!vm->announce_writes) return;
    size_t lines = count_lines(text, len);
    out_printf(vm->out, "wrote %s (%zu line%s)%s%s\n", path, lines, lines == 1 ? "" : "s",
               meta ? ", its header line and notes in " : "", meta ? meta : "");
}

/* Writes a report's, a plot's file whole; the REPL says where it went. */
OnsStatus report_write_file(OnsVM *vm, const char *path, const char *text, size_t len)
{
    OnsStatus st = write_file(vm, path, text, len);
    if (st == ONS_OK) announce_write(vm, path, text, len, NULL);
    return st;
}

static OnsStatus emit_table(OnsVM *vm, const OnsTable *t, OnsFormat f, OnsValue file)
{
    if (ONS_IS_NIL(file)) {
        if (f == ONS_FMT_TABLE && vm->records_over) table_render_fit(t, vm->records_over, vm->out);
        else table_render(t, f, vm->out);
        return ONS_OK;
    }
    if (!ons_is_obj(file, ONS_OBJ_STRING)) return vm_error(vm, "`to` takes a file name (a string)");
    if (ONS_AS_STRING(file)->len == 0) return vm_error(vm, "`to` takes a file name, not an empty string");
    if (f == ONS_FMT_DEFAULT)
        return vm_error(vm, "cannot tell the format of %s from its extension: name it .csv, .tsv, .json, .jsonl, "
                            ".md or .txt, or write `as csv`, `as tsv`, `as long`, `as json`, `as markdown` or `as table`",
                        ONS_AS_STRING(file)->chars);
    const char *path = ONS_AS_STRING(file)->chars;
    OnsOut buf;
    out_init_buffer(&buf);
    table_render_file(t, f, &buf);
    OnsStatus st = write_file(vm, path, buf.buf, buf.len);
    /* a spreadsheet reads line 1 as the column names: a CSV's header line
     * and notes go beside the file, in FILE.meta.json (not beside a device
     * or a pipe: /dev/null.meta.json is nobody's file) */
    struct stat sb;
    char *meta = NULL;
    if (st == ONS_OK && table_has_meta(f) && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
        size_t n = strlen(path) + sizeof ".meta.json";
        meta = ons_malloc(n);
        snprintf(meta, n, "%s.meta.json", path);
        OnsOut side;
        out_init_buffer(&side);
        table_render_meta(t, &side);
        st = write_file(vm, meta, side.buf, side.len);
        out_free(&side);
    }
    if (st == ONS_OK) announce_write(vm, path, buf.buf, buf.len, meta);
    ons_free(meta);
    out_free(&buf);
    return st;
}

/* ---- naming things in titles and rules ---- */

void report_selector_text(const OnsModel *m, const OnsSelector *s, char *buf, size_t n)
{
    switch ((OnsSelectorKind)s->kind) {
    case ONS_SEL_ALL: snprintf(buf, n, "*"); break;
    case ONS_SEL_MATERIAL: snprintf(buf, n, "%s", model_name((OnsModel *)m, ONS_ENT_MATERIAL, s->index)); break;
    case ONS_SEL_STAGE: snprintf(buf, n, "stage %s", model_name((OnsModel *)m, ONS_ENT_STAGE, s->index)); break;
    case ONS_SEL_CLASS: snprintf(buf, n, "class %s", model_name((OnsModel *)m, ONS_ENT_CLASS, s->index)); break;
    case ONS_SEL_LIST: {
        /* a long list reads as its first two and a count, so a table stays readable */
        uint32_t shown = s->n > 3 ? 2 : s->n;
        size_t len = (size_t)snprintf(buf, n, "[");
        for (uint32_t i = 0; i < shown && len < n; i++)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "",
                                    model_name((OnsModel *)m, ONS_ENT_MATERIAL, s->list[i]));
        if (shown < s->n && len < n) len += (size_t)snprintf(buf + len, n - len, " and %u more", s->n - shown);
        if (len < n) snprintf(buf + len, n - len, "]");
        break;
    }
    }
}

static void region_set_text(const OnsModel *m, const OnsRegionSet *s, char *buf, size_t n)
{
    switch ((OnsRegionSetKind)s->kind) {
    case ONS_RSET_ALL: snprintf(buf, n, "*"); break;
    case ONS_RSET_REGION: snprintf(buf, n, "%s", model_name((OnsModel *)m, ONS_ENT_REGION, s->index)); break;
    case ONS_RSET_GROUP: snprintf(buf, n, "%s", model_name((OnsModel *)m, ONS_ENT_GROUP, s->index)); break;
    case ONS_RSET_LIST: {
        size_t len = (size_t)snprintf(buf, n, "[");
        for (uint32_t i = 0; i < s->n && len < n; i++)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "",
                                    model_name((OnsModel *)m, s->list_is_group[i] ? ONS_ENT_GROUP : ONS_ENT_REGION,
                                               s->list[i]));
        if (len < n) snprintf(buf + len, n - len, "]");
        break;
    }
    }
}

/* The unit amounts of a scope are shown in: the first material's, or $ by value. */
static const char *scope_unit(const OnsModel *m, const OnsRun *run, const OnsScope *sc, const OnsFigures *f)
{
    if (f->by_value) return "$";
    for (uint32_t i = 0; i < run->nmaterials; i++)
        if (sc->materials[i]) return m->materials[i].unit;
    return NULL;
}

/* ---- gap ---- */

/* One row of figures; with_year puts the year first, name (or NULL) next. */
static OnsStatus gap_row(OnsVM *vm, OnsTable *t, const OnsRun *run, const OnsScope *sc, uint32_t yi,
                         bool with_year, const char *name)
{
    OnsFigures f;
    ONS_TRY(figures_sum(vm, run, sc, yi, false, true, &f));
    table_row(t, scope_unit(model_of(vm), run, sc, &f));
    if (with_year) table_number(t, run->year_from + (int32_t)yi, 0);
    if (name) table_text(t, name);
    double supply = f.local + f.imports;
    table_amount(t, f.demand, f.dim);
    table_amount(t, f.local_capacity, f.dim);
    table_amount(t, f.local, f.dim);
    table_share(t, f.demand > 0 ? f.local / f.demand : NAN);
    table_amount(t, f.imports, f.dim);
    int32_t top = figures_top_origin(run, sc, &f);
    if (top >= 0) {
        table_text(t, model_name(model_of(vm), ONS_ENT_REGION, (uint32_t)top));
        table_share(t, f.by_origin[top] / supply);
    } else { /* no origin outside: the share is 0%, undefined only without supply (as top_origin_share) */
        table_empty(t);
        table_share(t, supply > 0 ? 0 : NAN);
    }
    table_amount(t, f.capacity_gap, f.dim);
    table_amount(t, f.shortage, f.dim);
    figures_free(&f);
    return ONS_OK;
}

static void gap_columns(OnsTable *t)
{
    table_col(t, "demand", "demand", true);
    table_col(t, "local capacity", "local_capacity", true);
    table_col(t, "local", "local", true);
    table_col(t, "local %", "localization", true);
    table_col(t, "imports", "imports", true);
    table_col(t, "top origin", "top_origin", false);
    table_col(t, "its share", "top_origin_share", true);
    table_col(t, "gap", "capacity_gap", true);
    table_col(t, "shortage", "shortage", true);
}

static OnsStatus report_gap(OnsVM *vm, const OnsReportSpec *spec, OnsRun *run, const int32_t *years, size_t ny,
                            OnsTable *t)
{
    OnsModel *m = model_of(vm);
    const char *rname = model_name(m, ONS_ENT_REGION, spec->region);
    char title[256], sel[200] = "";
    if (spec->has_sel) report_selector_text(m, &spec->sel, sel, sizeof sel);
    if (ny == 1)
        snprintf(title, sizeof title, "gap for %s in %d%s%s", rname, years[0], spec->has_sel ? " on " : "", sel);
    else
        snprintf(title, sizeof title, "gap for %s in %d..%d%s%s", rname, years[0], years[ny - 1],
                 spec->has_sel ? " on " : "", sel);
    char header[512];
    report_header_line(vm, run, header, sizeof header);
    table_init(t, header, title);
    bool per_year = ny > 1, per_material = spec->has_sel && ny == 1;
    if (per_year) table_col(t, "year", "year", false);
    if (!spec->has_sel) table_col(t, "stage", "stage", false);
    else if (per_material) table_col(t, "material", "material", false);
    gap_columns(t);
    for (size_t i = 0; i < ny; i++) {
        uint32_t yi = (uint32_t)(years[i] - run->year_from);
        if (!spec->has_sel) {
            /* one row a stage, downstream first (the order of allocation) */
            for (int32_t st = (int32_t)m->nstages - 1; st >= 0; st--) {
                OnsSelector s = {ONS_SEL_STAGE, (uint32_t)st, NULL, 0};
                OnsScope sc;
                figures_scope_from(m, run, spec->region, &s, &sc);
                OnsStatus status = sc.nmat_selected
                                       ? gap_row(vm, t, run, &sc, yi, per_year, m->stages[st].e.name->chars)
                                       : ONS_OK;
                figures_scope_free(&sc);
                ONS_TRY(status);
            }
        } else if (per_material) {
            OnsScope all;
            figures_scope_from(m, run, spec->region, &spec->sel, &all);
            for (uint32_t mat = 0; mat < run->nmaterials; mat++) {
                if (!all.materials[mat]) continue;
                OnsSelector s = {ONS_SEL_MATERIAL, mat, NULL, 0};
                OnsScope sc;
                figures_scope_from(m, run, spec->region, &s, &sc);
                OnsStatus status = gap_row(vm, t, run, &sc, yi, false, m->materials[mat].e.name->chars);
                figures_scope_free(&sc);
                if (status != ONS_OK) {
                    figures_scope_free(&all);
                    return status;
                }
            }
            OnsStatus status = all.nmat_selected > 1 ? gap_row(vm, t, run, &all, yi, false, "total") : ONS_OK;
            figures_scope_free(&all);
            ONS_TRY(status);
        } else {
            OnsScope sc;
            figures_scope_from(m, run, spec->region, &spec->sel, &sc);
            OnsStatus status = gap_row(vm, t, run, &sc, yi, true, NULL);
            figures_scope_free(&sc);
            ONS_TRY(status);
        }
    }
    return ONS_OK;
}

/* ---- imports ---- */

typedef struct OriginSum {
    uint32_t origin;
    double amount, landed, tariffs, units;
} OriginSum;

static int origin_order(const void *a, const void *b)
{
    const OriginSum *x = a, *y = b;
    if (x->amount != y->amount) return x->amount > y->amount ? -1 : 1;
    return (x->origin > y->origin) - (x->origin < y->origin);
}

static OnsStatus report_imports(OnsVM *vm, const OnsReportSpec *spec, OnsRun *run, const int32_t *years,
                                size_t ny, OnsTable *t)
{
    OnsModel *m = model_of(vm);
    char title[256], sel[200];
    report_selector_text(m, &spec->sel, sel, sizeof sel);
    const char *rname = model_name(m, ONS_ENT_REGION, spec->region);
    if (ny == 1) snprintf(title, sizeof title, "imports of %s into %s in %d", sel, rname, years[0]);
    else snprintf(title, sizeof title, "imports of %s into %s in %d..%d", sel, rname, years[0], years[ny - 1]);
    char header[512];
    report_header_line(vm, run, header, sizeof header);
    table_init(t, header, title);
    if (ny > 1) table_col(t, "year", "year", false);
    table_col(t, "origin", "origin", false);
    table_col(t, "amount", "amount", true);
    table_col(t, "share", "share", true);
    table_col(t, "landed cost", "landed_cost", true);
    table_col(t, "tariffs paid", "tariffs_paid", true);
    table_col_data(t, "local");
    OnsScope sc;
    figures_scope_from(m, run, spec->region, &spec->sel, &sc);
    OriginSum *sums = ons_calloc(run->nregions + 1, sizeof(OriginSum));
    OnsStatus st = ONS_OK;
    for (size_t i = 0; i < ny && st == ONS_OK; i++) {
        uint32_t yi = (uint32_t)(years[i] - run->year_from);
        OnsFigures f;
        st = figures_sum(vm, run, &sc, yi, false, true, &f);
        if (st != ONS_OK) break;
        for (uint32_t o = 0; o < run->nregions; o++) sums[o] = (OriginSum){o, f.by_origin[o], 0, 0, 0};
        /* landed costs and tariffs by origin come from the shipments */
        for (uint32_t mat = 0; mat < run->nmaterials; mat++) {
            if (!sc.materials[mat]) continue;
            size_t k = (size_t)yi * run->nmaterials + mat;
            size_t end = run->nflows;
            for (size_t j = 0; j < (size_t)run->nyears * run->nmaterials; j++)
                if (run->flow_start[j] > run->flow_start[k] && run->flow_start[j] < end) end = run->flow_start[j];
            for (size_t fl = run->flow_start[k]; fl < end; fl++) {
                OnsFlow *flow = &run->flows[fl];
                if (flow->dest != spec->region) continue;
                uint32_t o = m->facilities[flow->facility].region;
                sums[o].landed += flow->landed * flow->amount;
                sums[o].tariffs += flow->tariff * flow->amount;
                sums[o].units += flow->amount;
            }
        }
        qsort(sums, run->nregions, sizeof(OriginSum), origin_order);
        double supply = f.local + f.imports;
        const char *unit = scope_unit(m, run, &sc, &f);
        OnsDim money = dim_base(ONS_DIM_MONEY), per_unit;
        dim_div(money, f.units_mixed ? dim_none() : (dim_is_none(f.dim) ? dim_none() : f.dim), &per_unit);
        if (f.by_value) per_unit = dim_none();
        for (uint32_t o = 0; o < run->nregions; o++) {
            if (sums[o].amount <= 0) continue;
            table_row(t, unit);
            if (ny > 1) table_number(t, years[i], 0);
            /* the text table says "US (local)"; data files say US and local true */
            bool local = sums[o].origin == spec->region;
            const char *oname = model_name(m, ONS_ENT_REGION, sums[o].origin);
            char name[96];
            snprintf(name, sizeof name, "%s%s", oname, local ? " (local)" : "");
            table_text_data(t, name, oname);
            table_amount(t, sums[o].amount, f.dim);
            table_share(t, supply > 0 ? sums[o].amount / supply : NAN);
            if (f.units_mixed || f.by_value || sums[o].units <= 0) table_empty(t);
            else table_amount(t, sums[o].landed / sums[o].units, per_unit);
            table_amount(t, sums[o].tariffs, money);
            table_bool(t, local, "yes", "no");
        }
        if (supply <= 0) table_note(t, "%s received no %s in %d", rname, sel, years[i]);
        if (f.shortage > 0) {
            char amt[64];
            ons_format_quantity(amt, sizeof amt, f.shortage, f.dim, false, 4);
            table_note(t, "short in %d: %s", years[i], amt);
        }
        figures_free(&f);
    }
    ons_free(sums);
    figures_scope_free(&sc);
    return st;
}

/* ---- compliance ---- */

static const char *cmp_text(uint8_t cmp)
{
    static const char *const t[] = {"==", "!=", "<", "<=", ">", ">="};
    return cmp < 6 ? t[cmp] : "?";
}

void report_rule_text(const OnsModel *m, const OnsRule *r, char *buf, size_t n)
{
    char sel[200], from[200];
    report_selector_text(m, &r->sel, sel, sizeof sel);
    if (r->kind == ONS_RULE_QUOTA) {
        char to[100];
        char qfrom[100];
        region_set_text(m, &r->from, qfrom, sizeof qfrom);
        region_set_text(m, &r->to, to, sizeof to);
        snprintf(buf, n, "quota on %.250s from %s to %s", sel, qfrom, to);
        return;
    }
    switch ((OnsMetric)r->metric) {
    case ONS_METRIC_SHARE:
        region_set_text(m, &r->from, from, sizeof from);
        snprintf(buf, n, "share of %s from %s %s", sel, from, cmp_text(r->cmp));
        break;
    case ONS_METRIC_RECYCLED: snprintf(buf, n, "recycled share of %s %s", sel, cmp_text(r->cmp)); break;
    case ONS_METRIC_TOP_ORIGIN: snprintf(buf, n, "top origin share of %s %s", sel, cmp_text(r->cmp)); break;
    case ONS_METRIC_LOCALIZATION: snprintf(buf, n, "localization of %s %s", sel, cmp_text(r->cmp)); break;
    }
}

/* The quotas of the scenario's policies, whatever region they cover: a row
 * a quota and year in force, what was shipped under it (value) against its
 * cap (target), and what was left (margin). */
static void compliance_quotas(OnsModel *m, const OnsRun *run, const int32_t *years, size_t ny, OnsTable *t)
{
    for (uint32_t q = 0; q < run->nquotas; q++) {
        const OnsPolicy *pol = &m->policies[run->quota_policy[q]];
        const OnsRule *r = &pol->rules[run->quota_rule[q]];
        const char *uname = NULL;
        for (uint32_t i = 0; i < m->nmaterials && !uname; i++)
            if (m->materials[i].e.name && model_selector_matches(m, &r->sel, i)) uname = m->materials[i].unit;
        char text[512];
        report_rule_text(m, r, text, sizeof text);
        for (size_t i = 0; i < ny; i++) {
            uint32_t yi = (uint32_t)(years[i] - run->year_from);
            double cap = run->quota_cap[(size_t)yi * run->nquotas + q];
            if (isnan(cap)) continue;
            double used = run->quota_use[(size_t)yi * run->nquotas + q];
            table_row(t, uname);
            table_text(t, pol->e.name->chars);
            table_text(t, text);
            table_number(t, years[i], 0);
            table_amount(t, used, r->unit);
            table_amount(t, cap, r->unit);
            table_text(t, used >= cap * (1 - 1e-9) ? "full" : "used");
            table_amount(t, cap - used > 0 ? cap - used : 0, r->unit);
        }
    }
}

static OnsStatus report_compliance(OnsVM *vm, const OnsReportSpec *spec, OnsRun *run, const int32_t *years,
                                   size_t ny, OnsTable *t)
{
    OnsModel *m = model_of(vm);
    const char *rname = model_name(m, ONS_ENT_REGION, spec->region);
    char title[256], header[512];
    snprintf(title, sizeof title, "compliance of %s", rname);
    report_header_line(vm, run, header, sizeof header);
    table_init(t, header, title);
    table_col(t, "policy", "policy", false);
    table_col(t, "rule", "rule", false);
    table_col(t, "year", "year", false);
    table_col(t, "value", "value", true);
    table_col(t, "target", "target", true);
    table_col(t, "result", "result", false);
    table_col(t, "margin", "margin", true);
    int rules = 0, failed = 0;
    for (uint32_t pi = 0; pi < run->npolicies; pi++) {
        OnsPolicy *pol = &m->policies[run->policies[pi]];
        for (uint32_t ri = 0; ri < pol->nrules; ri++) {
            OnsRule *r = &pol->rules[ri];
            if (r->kind != ONS_RULE_REQUIRE || r->region != spec->region) continue;
            rules++;
            char text[512];
            report_rule_text(m, r, text, sizeof text);
            for (size_t i = 0; i < ny; i++) {
                int32_t y = years[i];
                if ((r->has_from && y < r->year_from) || (r->has_until && y > r->year_until)) continue;
                bool holds;
                double value, target;
                ONS_TRY(figures_require(vm, run, r, (uint32_t)(y - run->year_from), &holds, &value, &target));
                table_row(t, NULL);
                table_text(t, pol->e.name->chars);
                table_text(t, text);
                table_number(t, y, 0);
                table_share(t, value);
                table_share(t, target);
                if (isnan(value)) {
                    table_text(t, "n/a");
                    table_empty(t);
                    continue;
                }
                table_text(t, holds ? "pass" : "FAIL");
                failed += !holds;
                double margin = (r->cmp == ONS_CMP_LT || r->cmp == ONS_CMP_LE) ? target - value
                              : (r->cmp == ONS_CMP_EQ) ? -fabs(value - target)
                              : (r->cmp == ONS_CMP_NE) ? fabs(value - target) : value - target;
                char mtext[32];
                snprintf(mtext, sizeof mtext, "%+.1f pts", table_tenths(margin * 100));
                if (strcmp(mtext, "-0.0 pts") == 0) snprintf(mtext, sizeof mtext, "+0.0 pts");
                table_number(t, margin, 4);
                ons_free(t->rows[t->nrows - 1].cells[t->ncols - 1].text);
                t->rows[t->nrows - 1].cells[t->ncols - 1].text = ons_strdup(mtext);
            }
        }
    }
    size_t checks = t->nrows;
    if (rules == 0) table_note(t, "no require rule of the policies this scenario uses is for %s", rname);
    else if (checks == 0) table_note(t, "no require rule for %s is in force in the years asked", rname);
    else table_note(t, "%d of %zu check%s fail%s", failed, checks, checks == 1 ? "" : "s", failed == 1 ? "s" : "");
    compliance_quotas(m, run, years, ny, t);
    return ONS_OK;
}

/* ---- compare ---- */

static OnsStatus report_compare(OnsVM *vm, const OnsReportSpec *spec, const int32_t *years, size_t ny,
                                OnsTable *t)
{
    OnsModel *m = model_of(vm);
    OnsRun **runs = ons_calloc(spec->nscenarios, sizeof(OnsRun *));
    size_t roots = vm->nroots;
    for (uint32_t i = 0; i < spec->nscenarios; i++) {
        OnsValue v;
        OnsStatus st = sim_run_value(vm, spec->scenarios[i], &v);
        if (st != ONS_OK) {
            ons_free(runs);
            vm_pop_roots(vm, vm->nroots - roots);
            return st;
        }
        vm_push_root(vm, v);
        runs[i] = sim_run_of(v);
    }
    const char *rname = model_name(m, ONS_ENT_REGION, spec->region);
    int32_t y = years[ny - 1];
    char title[512], header[1024];
    size_t len = (size_t)snprintf(header, sizeof header, "compare");
    for (uint32_t i = 0; i < spec->nscenarios && len < sizeof header; i++)
        len += (size_t)snprintf(header + len, sizeof header - len, "%s %s", i ? "," : "",
                                model_name(m, ONS_ENT_SCENARIO, spec->scenarios[i]));
    if (len < sizeof header)
        snprintf(header + len, sizeof header - len, " · years %d..%d · model %s", runs[0]->year_from,
                 runs[0]->year_until, runs[0]->hash);
    snprintf(title, sizeof title, "%s in %d", rname, y);
    table_init(t, header, title);
    table_col(t, spec->has_sel ? "material" : "stage", spec->has_sel ? "material" : "stage", false);
    table_col(t, "figure", "figure", false);
    for (uint32_t i = 0; i < spec->nscenarios; i++)
        table_col(t, model_name(m, ONS_ENT_SCENARIO, spec->scenarios[i]),
                  model_name(m, ONS_ENT_SCENARIO, spec->scenarios[i]), true);
    table_col(t, "difference", "difference", true);
    t->scenario_columns = true;
    OnsStatus st = ONS_OK;
    for (uint32_t i = 0; i < spec->nscenarios && st == ONS_OK; i++)
        if (y < runs[i]->year_from || y > runs[i]->year_until)
            st = vm_error(vm, "report compare: %d is outside the years of scenario %s (%d..%d)", y,
                          model_name(m, ONS_ENT_SCENARIO, runs[i]->scenario), runs[i]->year_from, runs[i]->year_until);
    /* the groups compared: stages (downstream first), or the materials asked for */
    uint32_t ngroups = spec->has_sel ? m->nmaterials : m->nstages;
    static const char *const figs[] = {"demand", "local", "local %", "imports", "gap", "shortage"};
    for (uint32_t gi = 0; gi < ngroups && st == ONS_OK; gi++) {
        uint32_t g = spec->has_sel ? gi : ngroups - 1 - gi;
        OnsSelector s = {spec->has_sel ? ONS_SEL_MATERIAL : ONS_SEL_STAGE, g, NULL, 0};
        if (spec->has_sel && !model_selector_matches(m, &spec->sel, g)) continue;
        OnsFigures *f = ons_calloc(spec->nscenarios, sizeof(OnsFigures));
        OnsScope sc;
        figures_scope_from(m, runs[0], spec->region, &s, &sc);
        if (sc.nmat_selected == 0) {
            figures_scope_free(&sc);
            ons_free(f);
            continue;
        }
        for (uint32_t i = 0; i < spec->nscenarios && st == ONS_OK; i++)
            st = figures_sum(vm, runs[i], &sc, (uint32_t)(y - runs[i]->year_from), false, false, &f[i]);
        const char *gname = spec->has_sel ? m->materials[g].e.name->chars : m->stages[g].e.name->chars;
        for (int fi = 0; fi < 6 && st == ONS_OK; fi++) {
            table_row(t, scope_unit(m, runs[0], &sc, &f[0]));
            table_text(t, gname);
            table_text_data(t, figs[fi], fi == 2 ? "localization" : figs[fi]);
            double first = NAN, last = NAN;
            for (uint32_t i = 0; i < spec->nscenarios; i++) {
                OnsFigures *x = &f[i];
                double v = fi == 0 ? x->demand : fi == 1 ? x->local
                         : fi == 2 ? (x->demand > 0 ? x->local / x->demand : NAN)
                         : fi == 3 ? x->imports : fi == 4 ? x->capacity_gap
                         : x->shortage;
                if (fi == 2) table_share(t, v);
                else table_amount(t, v, x->dim);
                if (i == 0) first = v;
                last = v;
            }
            double d = last - first;
            /* two sums of the same flows added in another order differ in
             * the last bits: that is no difference a reader should see */
            if (fabs(d) <= 1e-9 * fmax(fabs(first), fabs(last))) d = 0;
            if (fi == 2) {
                if (isnan(d)) table_empty(t);
                else {
                    char buf[32];
                    snprintf(buf, sizeof buf, "%+.1f pts", table_tenths(d * 100));
                    table_number(t, d, 4);
                    ons_free(t->rows[t->nrows - 1].cells[t->ncols - 1].text);
                    t->rows[t->nrows - 1].cells[t->ncols - 1].text = ons_strdup(buf);
                }
            } else {
                char buf[80], amt[64];
                ons_format_quantity(amt, sizeof amt, fabs(d), f[0].dim, false, 4);
                snprintf(buf, sizeof buf, "%s%s", d > 0 ? "+" : d < 0 ? "-" : "", amt);
                if (d == 0) snprintf(buf, sizeof buf, "0");
                table_amount(t, d, f[0].dim);
                ons_free(t->rows[t->nrows - 1].cells[t->ncols - 1].text);
                t->rows[t->nrows - 1].cells[t->ncols - 1].text = ons_strdup(buf);
            }
        }
        for (uint32_t i = 0; i < spec->nscenarios; i++) figures_free(&f[i]);
        ons_free(f);
        figures_scope_free(&sc);
    }
    if (spec->nscenarios > 2)
        table_note(t, "difference: %s minus %s", model_name(m, ONS_ENT_SCENARIO, spec->scenarios[spec->nscenarios - 1]),
                   model_name(m, ONS_ENT_SCENARIO, spec->scenarios[0]));
    vm_pop_roots(vm, vm->nroots - roots);
    ons_free(runs);
    return st;
}

/* ---- sources ---- */

static OnsStatus report_sources(OnsVM *vm, OnsRun *run, OnsTable *t)
{
    OnsModel *m = model_of(vm);
    char header[512];
    report_header_line(vm, run, header, sizeof header);
    table_init(t, header, "sources the numbers rest on");
    table_col(t, "kind", "kind", false);
    table_col(t, "name", "name", false);
    table_col(t, "source", "source", false);
    int without = 0, total = 0;
    static const OnsEntityKind kinds[] = {ONS_ENT_REGION, ONS_ENT_GROUP, ONS_ENT_MATERIAL, ONS_ENT_FACILITY,
                                          ONS_ENT_LANE, ONS_ENT_DEMAND, ONS_ENT_POLICY, ONS_ENT_SCENARIO};
    for (size_t k = 0; k < ONS_ARRAY_LEN(kinds); k++) {
        uint32_t n = model_count(m, kinds[k]);
        for (uint32_t i = 0; i < n; i++) {
            OnsEntityInfo *e = model_info(m, kinds[k], i);
            if (!e->name) continue;
            if (kinds[k] == ONS_ENT_POLICY) {
                bool used = false;
                for (uint32_t p = 0; p < run->npolicies; p++) used |= run->policies[p] == i;
                if (!used) continue;
            }
            if (kinds[k] == ONS_ENT_SCENARIO) { /* the run's scenario and those it extends */
                bool in_chain = false;
                int32_t cur = (int32_t)run->scenario;
                for (int steps = 0; cur >= 0 && steps < 1024 && !in_chain; steps++) {
                    in_chain = (uint32_t)cur == i;
                    cur = m->scenarios[cur].parent;
                }
                if (!in_chain) continue;
            }
            total++;
            if (!e->source) {
                without++;
                continue;
            }
            table_row(t, NULL);
            table_text(t, ons_entity_kind_name(kinds[k]));
            table_text(t, e->name->chars);
            table_text(t, e->source);
        }
    }
    table_note(t, "%d of %d declarations in this run give a source", total - without, total);
    return ONS_OK;
}

/* ---- the statement ---- */

/* An entity of one kind a variable must hold, or an error in the words of
 * the statement. */
static OnsStatus entity_arg(OnsVM *vm, OnsValue v, OnsEntityKind kind, const char *what, uint32_t *out)
{
    if (v.type == ONS_T_ENTITY && v.hint == kind) {
        *out = v.as.index;
        return ONS_OK;
    }
    char got[96];
    arith_describe(vm, v, got, sizeof got);
    return vm_error(vm, "%s needs a %s here, and the variable holds %s", what, ons_entity_kind_name(kind), got);
}

/* Materials a variable holds for `on`: a material, a stage, a class or a
 * list of materials. */
static OnsStatus selector_arg(OnsVM *vm, OnsValue v, const char *what, OnsSelector *out)
{
    memset(out, 0, sizeof *out);
    if (v.type == ONS_T_ENTITY && (v.hint == ONS_ENT_MATERIAL || v.hint == ONS_ENT_STAGE || v.hint == ONS_ENT_CLASS)) {
        out->kind = v.hint == ONS_ENT_MATERIAL ? ONS_SEL_MATERIAL : v.hint == ONS_ENT_STAGE ? ONS_SEL_STAGE : ONS_SEL_CLASS;
        out->index = v.as.index;
        return ONS_OK;
    }
    if (ons_is_obj(v, ONS_OBJ_LIST)) {
        OnsList *l = ONS_AS_LIST(v);
        out->kind = ONS_SEL_LIST;
        out->list = ons_calloc(l->len ? l->len : 1, sizeof(uint32_t));
        for (uint32_t i = 0; i < l->len; i++) {
            OnsStatus st = entity_arg(vm, l->items[i], ONS_ENT_MATERIAL, what, &out->list[out->n]);
            if (st != ONS_OK) {
                model_free_selector(out);
                return st;
            }
            out->n++;
        }
        return ONS_OK;
    }
    char got[96];
    arith_describe(vm, v, got, sizeof got);
    return vm_error(vm, "%s needs materials here (a material, a list of them, a stage or a class), and the "
                        "variable holds %s", what, got);
}

/* The spec with the parts named by variables filled in from args (region
 * in args[0], materials in args[1]); out->sel is owned when sel_in_reg. */
static OnsStatus spec_with_args(OnsVM *vm, const OnsReportSpec *spec, const OnsValue *args, const char *what,
                                OnsReportSpec *out)
{
    *out = *spec;
    if (spec->region_in_reg) ONS_TRY(entity_arg(vm, args[0], ONS_ENT_REGION, what, &out->region));
    if (spec->material_in_reg) ONS_TRY(entity_arg(vm, args[1], ONS_ENT_MATERIAL, what, &out->material));
    if (spec->sel_in_reg) ONS_TRY(selector_arg(vm, args[1], what, &out->sel));
    return ONS_OK;
}

static void spec_args_free(OnsReportSpec *s)
{
    if (s->sel_in_reg) model_free_selector(&s->sel);
}

static OnsStatus report_run(OnsVM *vm, const OnsReportSpec *spec, OnsValue years, OnsValue file);

OnsStatus report_execute(OnsVM *vm, OnsValue specv, const OnsValue *regs)
{
    OnsReportSpec filled;
    const OnsReportSpec *spec = ONS_AS_DATA(specv)->ptr;
    ONS_TRY(spec_with_args(vm, spec, regs + 2, spec->plot ? "plot" : "report", &filled));
    OnsStatus st = spec->plot ? plot_execute(vm, &filled, regs[0], regs[1]) : report_run(vm, &filled, regs[0], regs[1]);
    spec_args_free(&filled);
    return st;
}

/* ---- spread and drivers: the latest sweep (spec 11) ---- */

/* "sweep uncertain (title) · 500 runs · seed 7 · years 2024..2035 · model H" */
void report_sweep_header(OnsVM *vm, const OnsSweep *sw, char *buf, size_t n)
{
    const OnsScenario *s = &model_of(vm)->scenarios[sw->scenario];
    char title[300] = "";
    if (s->e.title) snprintf(title, sizeof title, " (%s)", s->e.title);
    snprintf(buf, n, "sweep %s%s · %u run%s · seed %llu · years %d..%d · model %s", s->e.name->chars, title, sw->runs,
             sw->runs == 1 ? "" : "s", (unsigned long long)sw->seed, sw->year_from, sw->year_until, sw->hash);
}

/* A report's selector as the value a sweep's record holds: `stage cell`, a
 * material, a class, a list of materials. */
OnsValue report_selector_value(OnsVM *vm, const OnsSelector *sel)
{
    switch ((OnsSelectorKind)sel->kind) {
    case ONS_SEL_MATERIAL: return ons_entity(ONS_ENT_MATERIAL, sel->index);
    case ONS_SEL_STAGE: return ons_entity(ONS_ENT_STAGE, sel->index);
    case ONS_SEL_CLASS: return ons_entity(ONS_ENT_CLASS, sel->index);
    case ONS_SEL_LIST: {
        OnsList *l = list_new(vm, sel->n);
        for (uint32_t i = 0; i < sel->n; i++) list_push(l, ons_entity(ONS_ENT_MATERIAL, sel->list[i]));
        return ons_obj_value(&l->obj);
    }
    default: return ons_nil();
    }
}

/* The recorded values of the report's figure in one year, one a sample. */
static OnsStatus sweep_values(OnsVM *vm, const OnsReportSpec *spec, OnsValue sweep, int32_t year, OnsValue *out)
{
    OnsValue args[4] = {sweep, ons_entity(ONS_ENT_REGION, spec->region), report_selector_value(vm, &spec->sel), ons_num(year)};
    vm_push_root(vm, args[2]);
    OnsStatus st = sweep_query(vm, spec->figure, args, 4, out);
    vm_pop_roots(vm, 1);
    return st;
}

int report_cmp_num(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Type 7 quantile of sorted xs (n > 0). */
double report_quantile7(const double *xs, size_t n, double q)
{
    double h = (double)(n - 1) * q, lo = floor(h);
    size_t i = (size_t)lo;
    return i + 1 < n ? xs[i] + (h - lo) * (xs[i + 1] - xs[i]) : xs[n - 1];
}

static OnsStatus report_spread(OnsVM *vm, const OnsReportSpec *spec, OnsValue sweep, OnsValue years, OnsTable *t)
{
    OnsSweep *sw = sweep_of(sweep);
    char header[600], title[256];
    report_sweep_header(vm, sw, header, sizeof header);
    char sel[200];
    report_selector_text(model_of(vm), &spec->sel, sel, sizeof sel);
    snprintf(title, sizeof title, "spread of %s for %s on %s", spec->figure,
             model_name(model_of(vm), ONS_ENT_REGION, spec->region), sel);
    table_init(t, header, title);
    static const char *const cols[] = {"p5", "p10", "p50", "p90", "p95", "mean"};
    static const double qs[] = {0.05, 0.10, 0.50, 0.90, 0.95};
    table_col(t, "year", "year", false);
    for (size_t c = 0; c < ONS_ARRAY_LEN(cols); c++) table_col(t, cols[c], cols[c], true);
    int32_t from = sw->year_from, until = sw->year_until;
    if (ons_is_obj(years, ONS_OBJ_LIST) && ONS_AS_LIST(years)->len) {
        const OnsList *l = ONS_AS_LIST(years);
        from = (int32_t)l->items[0].as.num;
        until = (int32_t)l->items[l->len - 1].as.num;
    } else if (years.type == ONS_T_NUM) {
        from = until = (int32_t)years.as.num;
    }
    double *xs = ons_malloc((sw->runs + 1) * sizeof(double));
    for (int32_t y = from; y <= until; y++) {
        OnsValue list;
        OnsStatus st = sweep_values(vm, spec, sweep, y, &list);
        if (st != ONS_OK) {
            ons_free(xs);
            return st;
        }
        const OnsList *l = ONS_AS_LIST(list);
        size_t n = 0;
        OnsValue like = ons_nil();
        double sum = 0;
        for (uint32_t i = 0; i < l->len; i++)
            if (l->items[i].type == ONS_T_NUM) {
                like = l->items[i];
                xs[n++] = l->items[i].as.num;
                sum += l->items[i].as.num;
            }
        qsort(xs, n, sizeof *xs, report_cmp_num);
        /* amounts in the base unit of their dimension, which the data
         * formats name in a unit column; shares are fractions */
        char unit[48] = "";
        if (n && like.hint != ONS_HINT_PERCENT && !dim_is_none(like.dim)) dim_base_units(like.dim, unit, sizeof unit);
        table_row(t, unit[0] ? unit : NULL);
        table_number(t, y, 0);
        for (size_t c = 0; c < ONS_ARRAY_LEN(cols); c++) {
            if (!n) {
                table_empty(t);
                continue;
            }
            double v = c < ONS_ARRAY_LEN(qs) ? report_quantile7(xs, n, qs[c]) : sum / (double)n;
            if (like.hint == ONS_HINT_PERCENT) table_share(t, v);
            else table_amount(t, v, like.dim);
        }
    }
    ons_free(xs);
    return ONS_OK;
}

/* Average ranks (ties share the mean of their ranks) of xs[0..n). */
static void average_ranks(const double *xs, size_t n, double *ranks)
{
    size_t *idx = ons_malloc((n + 1) * sizeof *idx);
    for (size_t i = 0; i < n; i++) idx[i] = i;
    for (size_t i = 1; i < n; i++) { /* insertion sort by value: stable, n is a sweep's runs */
        size_t x = idx[i], j = i;
        while (j > 0 && xs[idx[j - 1]] > xs[x]) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = x;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && xs[idx[j + 1]] == xs[idx[i]]) j++;
        double r = (double)(i + j) / 2 + 1;
        for (size_t k = i; k <= j; k++) ranks[idx[k]] = r;
        i = j + 1;
    }
    ons_free(idx);
}

/* Pearson's correlation of a and b; NAN when either has no spread. */
static double pearson(const double *a, const double *b, size_t n)
{
    double ma = 0, mb = 0;
    for (size_t i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= (double)n;
    mb /= (double)n;
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

typedef struct Driver {
    uint32_t param;
    double rho;
} Driver;

static int driver_order(const void *a, const void *b)
{
    const Driver *x = a, *y = b;
    bool xn = isnan(x->rho), yn = isnan(y->rho);
    if (xn != yn) return xn ? 1 : -1;
    if (!xn && fabs(x->rho) != fabs(y->rho)) return fabs(x->rho) > fabs(y->rho) ? -1 : 1;
    return (x->param > y->param) - (x->param < y->param); /* ties: declaration order */
}

static OnsStatus report_drivers(OnsVM *vm, const OnsReportSpec *spec, OnsValue sweep, OnsValue years, OnsTable *t)
{
    OnsSweep *sw = sweep_of(sweep);
    OnsModel *m = model_of(vm);
    int32_t year = sw->year_until;
    if (years.type == ONS_T_NUM) year = (int32_t)years.as.num;
    else if (ons_is_obj(years, ONS_OBJ_LIST) && ONS_AS_LIST(years)->len == 1) year = (int32_t)ONS_AS_LIST(years)->items[0].as.num;
    else if (!ONS_IS_NIL(years)) return vm_error(vm, "report drivers is for one year: `in 2030`");
    OnsValue list;
    ONS_TRY(sweep_values(vm, spec, sweep, year, &list));
    const OnsList *l = ONS_AS_LIST(list);
    char header[600], title[256], sel[200];
    report_sweep_header(vm, sw, header, sizeof header);
    report_selector_text(m, &spec->sel, sel, sizeof sel);
    snprintf(title, sizeof title, "drivers of %s for %s on %s in %d", spec->figure, model_name(m, ONS_ENT_REGION, spec->region),
             sel, year);
    table_init(t, header, title);
    table_col(t, "param", "param", false);
    table_col(t, "title", "title", false);
    table_col(t, "rank correlation", "spearman", true);
    /* the samples where the figure is defined */
    size_t n = 0;
    double *fig = ons_malloc((sw->runs + 1) * sizeof(double)), *draw = ons_malloc((sw->runs + 1) * sizeof(double));
    double *rf = ons_malloc((sw->runs + 1) * sizeof(double)), *rd = ons_malloc((sw->runs + 1) * sizeof(double));
    uint32_t *keep = ons_malloc((sw->runs + 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < l->len; i++)
        if (l->items[i].type == ONS_T_NUM || l->items[i].type == ONS_T_BOOL) {
            fig[n] = l->items[i].type == ONS_T_BOOL ? (double)l->items[i].as.b : l->items[i].as.num;
            keep[n++] = i;
        }
    Driver *ds = ons_calloc(sw->nparams + 1, sizeof(Driver));
    if (n) average_ranks(fig, n, rf);
    for (uint32_t k = 0; k < sw->nparams; k++) {
        ds[k].param = k;
        ds[k].rho = NAN;
        if (!n || !m->params[k].e.name) continue;
        for (size_t i = 0; i < n; i++) draw[i] = sw->draws[(size_t)k * sw->runs + keep[i]];
        average_ranks(draw, n, rd);
        ds[k].rho = pearson(rd, rf, n);
    }
    qsort(ds, sw->nparams, sizeof *ds, driver_order);
    for (uint32_t k = 0; k < sw->nparams; k++) {
        const OnsParam *pa = &m->params[ds[k].param];
        if (!pa->e.name) continue;
        table_row(t, NULL);
        table_text(t, pa->e.name->chars);
        if (pa->e.title) table_text(t, pa->e.title);
        else table_empty(t);
        if (isnan(ds[k].rho)) table_empty(t);
        else table_number(t, ds[k].rho, 3);
    }
    if (!n) table_note(t, "%s is undefined in every sample", spec->figure);
    ons_free(ds);
    ons_free(fig);
    ons_free(draw);
    ons_free(rf);
    ons_free(rd);
    ons_free(keep);
    return ONS_OK;
}

static OnsStatus report_sweep(OnsVM *vm, const OnsReportSpec *spec, OnsValue years, OnsValue file)
{
    OnsValue sweep = model_of(vm)->last_sweep;
    if (!sweep_of(sweep))
        return vm_error(vm, "report %s shows the latest sweep, and none has run: `let s = sweep NAME {...}` first",
                        spec->kind == ONS_REPORT_SPREAD ? "spread" : "drivers");
    if (sweep_of(sweep)->sharded) return sweep_skip_sharded(vm, sweep_of(sweep));
    OnsTable t;
    memset(&t, 0, sizeof t);
    OnsStatus st = spec->kind == ONS_REPORT_SPREAD ? report_spread(vm, spec, sweep, years, &t)
                                                   : report_drivers(vm, spec, sweep, years, &t);
    if (st == ONS_OK) st = emit_table(vm, &t, choose_format(vm, spec, file), file);
    table_free(&t);
    return st;
}

static OnsStatus report_run(OnsVM *vm, const OnsReportSpec *spec, OnsValue years, OnsValue file)
{
    const OnsReportKind kind = (OnsReportKind)spec->kind;
    if (kind == ONS_REPORT_SPREAD || kind == ONS_REPORT_DRIVERS) return report_sweep(vm, spec, years, file);
    OnsRun *run = NULL;
    OnsStatus st = ONS_OK;
    if (kind != ONS_REPORT_COMPARE) ONS_TRY(report_current_run(vm, &run));
    int32_t *ys = NULL;
    size_t ny = 0;
    if (kind != ONS_REPORT_COMPARE) {
        if (ONS_IS_NIL(years) && kind == ONS_REPORT_GAP && !spec->has_sel) {
            /* a stage table without a year: the run's last year */
            ys = ons_calloc(1, sizeof(int32_t));
            ys[ny++] = run->year_until;
        } else {
            ONS_TRY(report_years(vm, run, years, &ys, &ny));
        }
    } else {
        OnsValue v;
        ONS_TRY(sim_run_value(vm, spec->scenarios[0], &v));
        vm_push_root(vm, v);
        st = report_years(vm, sim_run_of(v), years, &ys, &ny);
        vm_pop_roots(vm, 1);
        if (st != ONS_OK) return st;
    }
    OnsTable t;
    memset(&t, 0, sizeof t);
    switch (kind) {
    case ONS_REPORT_GAP: st = report_gap(vm, spec, run, ys, ny, &t); break;
    case ONS_REPORT_IMPORTS: st = report_imports(vm, spec, run, ys, ny, &t); break;
    case ONS_REPORT_COMPLIANCE: st = report_compliance(vm, spec, run, ys, ny, &t); break;
    case ONS_REPORT_COMPARE: st = report_compare(vm, spec, ys, ny, &t); break;
    case ONS_REPORT_SOURCES: st = report_sources(vm, run, &t); break;
    case ONS_REPORT_PLAN: st = report_plan(vm, spec, run, ys, ny, &t); break;
    default: st = vm_error(vm, "internal error: unknown report"); break;
    }
    /* what the long layout repeats on each line */
    if (run) t.scenario = model_name(model_of(vm), ONS_ENT_SCENARIO, run->scenario);
    if (spec->has_region) t.region = model_name(model_of(vm), ONS_ENT_REGION, spec->region);
    if (ny == 1) t.year = ys[0];
    if (st == ONS_OK) st = emit_table(vm, &t, choose_format(vm, spec, file), file);
    table_free(&t);
    ons_free(ys);
    return st;
}

/* ---- explain ---- */

static const char *trace_step(uint8_t kind)
{
    switch ((OnsTraceKind)kind) {
    case ONS_TRACE_LOCAL: return "local";
    case ONS_TRACE_CAPTIVE: return "captive";
    case ONS_TRACE_IMPORT: return "import";
    case ONS_TRACE_PASSED: return "empty";
    case ONS_TRACE_BANNED: return "banned";
    case ONS_TRACE_LATER: return "not needed";
    case ONS_TRACE_PLANNED: return "plan";
    }
    return "?";
}

/* An amount for a note: zero reads best in the material's own unit ("0 GWh"). */
static void note_amount(char *buf, size_t n, double v, OnsDim dim, const char *unit)
{
    if (v == 0) snprintf(buf, n, "0 %s", unit);
    else ons_format_quantity(buf, n, v, dim, false, 4);
}

static OnsStatus explain_run(OnsVM *vm, const OnsReportSpec *spec, OnsValue year, OnsValue file);

OnsStatus report_explain(OnsVM *vm, OnsValue specv, const OnsValue *regs)
{
    OnsReportSpec filled;
    ONS_TRY(spec_with_args(vm, ONS_AS_DATA(specv)->ptr, regs + 2, "explain", &filled));
    OnsStatus st = explain_run(vm, &filled, regs[0], regs[1]);
    spec_args_free(&filled);
    return st;
}

/* "quota lic", or "quota 2 of lic" when the policy has several */
static void quota_name(OnsModel *m, const OnsRun *run, uint32_t q, char *buf, size_t n)
{
    const OnsPolicy *pol = &m->policies[run->quota_policy[q]];
    uint32_t nth = 0, count = 0;
    for (uint32_t i = 0; i < pol->nrules; i++)
        if (pol->rules[i].kind == ONS_RULE_QUOTA) {
            count++;
            if (i <= run->quota_rule[q]) nth = count;
        }
    if (count > 1) snprintf(buf, n, "quota %u of %s", nth, pol->e.name->chars);
    else snprintf(buf, n, "quota %s", pol->e.name->chars);
}

/* Under shortage: propagates (spec 10.4), each pass that lowered a
 * facility of the region, and why: the input its region got least of. */
static void explain_passes(OnsModel *m, const OnsTrace *tr, uint32_t region, OnsTable *t)
{
    if (tr->passes <= 1) return;
    size_t elsewhere = 0;
    table_note(t, "shortage propagates: %d passes; the figures are the last pass's", tr->passes);
    for (size_t i = 0; i < tr->nlowerings; i++) {
        const OnsTraceLowering *l = &tr->lowerings[i];
        const OnsFacility *f = &m->facilities[l->facility];
        if (f->region != region) {
            elsewhere++;
            continue;
        }
        const OnsMaterial *made = &m->materials[f->makes];
        char cap[64], share[32];
        note_amount(cap, sizeof cap, l->capacity, made->unit_dim, made->unit);
        double pct = table_tenths(l->fill * 100);
        snprintf(share, sizeof share, pct == floor(pct) ? "%.0f%%" : "%.1f%%", pct);
        table_note(t, "pass %d lowered %s to %s: %s got %s of the %s its plants need", l->pass, f->e.name->chars,
                   cap, model_name(m, ONS_ENT_REGION, region), share, model_name(m, ONS_ENT_MATERIAL, l->input));
    }
    if (elsewhere) table_note(t, "and %zu lowering%s in other regions", elsewhere, elsewhere == 1 ? "" : "s");
}

static OnsStatus explain_run(OnsVM *vm, const OnsReportSpec *spec, OnsValue year, OnsValue file)
{
    OnsModel *m = model_of(vm);
    OnsRun *run;
    ONS_TRY(report_current_run(vm, &run));
    uint32_t yi;
    ONS_TRY(figures_year(vm, run, "explain", year, &yi));
    int32_t y = run->year_from + (int32_t)yi;
    OnsTrace tr;
    ONS_TRY(sim_explain(vm, run->scenario, y, spec->region, spec->material, &tr));
    OnsMaterial *mat = &m->materials[spec->material];
    OnsDim unit = mat->unit_dim, money = dim_base(ONS_DIM_MONEY), per_unit;
    dim_div(money, unit, &per_unit);
    const char *rname = model_name(m, ONS_ENT_REGION, spec->region);
    char header[512], title[256];
    report_header_line(vm, run, header, sizeof header);
    snprintf(title, sizeof title, "how %s got %s in %d", rname, mat->e.name->chars, y);
    OnsTable t;
    table_init(&t, header, title);
    char a[64], b[64], c[64];
    note_amount(a, sizeof a, tr.declared + tr.derived, unit, mat->unit);
    note_amount(b, sizeof b, tr.declared, unit, mat->unit);
    note_amount(c, sizeof c, tr.derived, unit, mat->unit);
    table_note(&t, "demand %s = declared %s + derived %s (inputs of what %s makes downstream)", a, b, c, rname);
    note_amount(a, sizeof a, tr.local_capacity, unit, mat->unit);
    table_note(&t, "local capacity %s%s", a,
               run->cheapest ? "; sourcing: cheapest, so local plants compete on landed cost" : "");
    table_col(&t, "step", "step", false);
    table_col(&t, "facility", "facility", false);
    table_col(&t, "from", "origin", false);
    table_col(&t, "landed cost", "landed_cost", true);
    table_col(&t, "cost", "net_cost", true);
    table_col(&t, "lane", "lane", true);
    table_col(&t, "tariff", "tariff", true);
    table_col(&t, "had", "capacity_left", true);
    table_col(&t, "moved", "moved", true);
    int not_needed = 0;
    for (size_t i = 0; i < tr.n; i++) {
        OnsTraceEvent *e = &tr.events[i];
        if (e->kind == ONS_TRACE_LATER) { /* after demand was met: count, do not list */
            not_needed++;
            continue;
        }
        OnsFacility *f = &m->facilities[e->facility];
        table_row(&t, mat->unit);
        table_text(&t, trace_step(e->kind));
        table_text(&t, f->e.name->chars);
        table_text(&t, model_name(m, ONS_ENT_REGION, f->region));
        if (e->kind == ONS_TRACE_BANNED) table_empty(&t);
        else table_amount(&t, e->landed, per_unit);
        table_amount(&t, e->net_cost, per_unit);
        table_share(&t, e->lane);
        if (e->kind == ONS_TRACE_BANNED) table_text(&t, "banned");
        else table_amount(&t, e->tariff, per_unit);
        table_amount(&t, e->capacity_left, unit);
        table_amount(&t, e->amount, unit);
    }
    if (not_needed) table_note(&t, "demand was met; %d dearer offer%s not needed", not_needed, not_needed == 1 ? " was" : "s were");
    for (size_t i = 0; i < tr.n; i++) { /* captive supply (spec 10.3): who fed whom */
        const OnsTraceEvent *e = &tr.events[i];
        if (e->kind == ONS_TRACE_CAPTIVE && e->fed >= 0 && (uint32_t)e->fed < m->nfacilities)
            table_note(&t, "captive: %s feeds %s, before anyone else", m->facilities[e->facility].e.name->chars,
                       m->facilities[e->fed].e.name->chars);
    }
    for (size_t i = 0; i < tr.n; i++) { /* offers a quota held back (spec 10.2) */
        const OnsTraceEvent *e = &tr.events[i];
        if (e->quota < 0 || (uint32_t)e->quota >= run->nquotas) continue;
        char quota[160];
        quota_name(m, run, (uint32_t)e->quota, quota, sizeof quota);
        note_amount(a, sizeof a, e->quota_left, unit, mat->unit);
        table_note(&t, "%s left %s: %s moved %s of what it could", quota, a, m->facilities[e->facility].e.name->chars,
                   e->amount > 0 ? "only part" : "none");
    }
    note_amount(a, sizeof a, tr.shortage, unit, mat->unit);
    table_note(&t, tr.shortage > 0 ? "left short: %s" : "nothing was left short", a);
    if (tr.planned) {
        table_note(&t, "the least-cost plan decided these shipments over %d..%d (spec 12), not steps 4 and 5",
                   run->year_from, run->year_until);
        if (!isnan(tr.marginal)) {
            char per[64];
            if (tr.marginal == 0) snprintf(per, sizeof per, "nothing");
            else ons_format_quantity(per, sizeof per, tr.marginal, per_unit, false, 4);
            table_note(&t, "marginal cost: one more %s of %s demanded in %s in %d would cost %s (in %d's money)",
                       mat->unit, mat->e.name->chars, rname, y, per, y);
        }
    }
    explain_passes(m, &tr, spec->region, &t);
    OnsStatus st = emit_table(vm, &t, choose_format(vm, spec, file), file);
    table_free(&t);
    sim_trace_free(&tr);
    return st;
}
