/* `plot` statements (spec 13): the numbers a chart draws, from the latest
 * run, the compared scenarios' runs or the latest sweep, handed to chart.c
 * to draw in text or SVG.  A figure is asked for exactly as a program asks
 * for it, FIGURE(run, region, selector, year), so a plot shows what the
 * query functions and reports show. */
#include "chart.h"
#include "arith.h"
#include "mem.h"
#include "report_shared.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *copy_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = ons_malloc(n);
    memcpy(p, s, n);
    return p;
}

/* FIGURE(run, region, sel, year) */
static OnsStatus figure_at(OnsVM *vm, const char *figure, OnsValue run, uint32_t region, OnsValue sel, int32_t year,
                           OnsValue *out)
{
    OnsNative *fn = vm_builtin(vm, figure, strlen(figure));
    if (!fn) return vm_error(vm, "plot: '%s' is not a figure", figure);
    OnsValue args[4] = {run, ons_entity(ONS_ENT_REGION, region), sel, ons_num(year)};
    return vm_call(vm, ons_obj_value(&fn->obj), args, 4, out);
}

/* Stores v (a number, or nil for no point) at *slot; the first number sets
 * the chart's unit, and every other must share its dimension. */
static OnsStatus put_point(OnsVM *vm, OnsChart *c, bool *unit_set, const char *figure, OnsValue v, double *slot)
{
    if (v.type == ONS_T_NIL) return ONS_OK;
    if (v.type != ONS_T_NUM) {
        char got[96];
        return vm_error(vm, "plot draws numbers, and %s gives %s here%s", figure, arith_describe(vm, v, got, sizeof got),
                        strcmp(figure, "imports") == 0 ? ": `plot imports for R on SEL in YEAR` draws it as bars" : "");
    }
    if (!*unit_set) {
        c->dim = v.dim;
        c->percent = v.hint == ONS_HINT_PERCENT;
        *unit_set = true;
    } else if (!dim_eq(c->dim, v.dim)) {
        char a[64], b[64];
        return vm_error(vm, "plot cannot draw %s of %s and of %s on one axis: plot them apart", figure,
                        dim_describe(c->dim, a, sizeof a), dim_describe(v.dim, b, sizeof b));
    }
    *slot = v.as.num;
    return ONS_OK;
}

static const OnsSelector *nth_selector(const OnsReportSpec *spec, uint32_t i)
{
    return spec->nsels ? &spec->sels[i] : &spec->sel;
}

/* " on stage cell" when the plot has one selector, "" for several (the legend names them). */
static void on_text(OnsVM *vm, const OnsReportSpec *spec, char *buf, size_t n)
{
    char sel[200];
    buf[0] = '\0';
    if (spec->nsels > 1) return;
    report_selector_text(model_of(vm), nth_selector(spec, 0), sel, sizeof sel);
    snprintf(buf, n, " on %s", sel);
}

static void set_years_title(OnsChart *c, const char *fmt_head, const char *figure, const char *region, const char *on)
{
    char title[512];
    if (c->npoints > 1)
        snprintf(title, sizeof title, "%s%s for %s%s, %d..%d", fmt_head, figure, region, on, c->years[0],
                 c->years[c->npoints - 1]);
    else
        snprintf(title, sizeof title, "%s%s for %s%s in %d", fmt_head, figure, region, on, c->npoints ? c->years[0] : 0);
    c->title = copy_text(title);
}

/* plot FIGURE for R on SEL in YEARS: a line a selector, from the latest run */
static OnsStatus plot_lines(OnsVM *vm, const OnsReportSpec *spec, OnsValue years, OnsChart *c)
{
    OnsModel *m = model_of(vm);
    OnsRun *run;
    ONS_TRY(report_current_run(vm, &run));
    OnsValue runv = m->last_run;
    int32_t *ys;
    size_t ny;
    ONS_TRY(report_years(vm, run, years, &ys, &ny));
    chart_init(c, CHART_LINES, (uint32_t)ny);
    memcpy(c->years, ys, ny * sizeof *ys);
    ons_free(ys);
    char header[1024], on[220];
    report_header_line(vm, run, header, sizeof header);
    c->header = copy_text(header);
    on_text(vm, spec, on, sizeof on);
    set_years_title(c, "", spec->figure, model_name(m, ONS_ENT_REGION, spec->region), on);
    bool unit_set = false;
    uint32_t nsel = spec->nsels ? spec->nsels : 1;
    for (uint32_t s = 0; s < nsel; s++) {
        char name[200];
        report_selector_text(m, nth_selector(spec, s), name, sizeof name);
        OnsChartSeries *series = chart_add_series(c, name);
        OnsValue sel = report_selector_value(vm, nth_selector(spec, s));
        vm_push_root(vm, sel);
        for (uint32_t i = 0; i < c->npoints; i++) {
            OnsValue v;
            OnsStatus st = figure_at(vm, spec->figure, runv, spec->region, sel, c->years[i], &v);
            if (st == ONS_OK) st = put_point(vm, c, &unit_set, spec->figure, v, &series->y[i]);
            if (st != ONS_OK) {
                vm_pop_roots(vm, 1);
                return st;
            }
        }
        vm_pop_roots(vm, 1);
    }
    return ONS_OK;
}

/* plot compare S1, S2: FIGURE for R on SEL in YEARS: a line a scenario */
static OnsStatus plot_compare(OnsVM *vm, const OnsReportSpec *spec, OnsValue years, OnsChart *c)
{
    OnsModel *m = model_of(vm);
    size_t roots = vm->nroots;
    OnsStatus st = ONS_OK;
    OnsValue sel = report_selector_value(vm, &spec->sel);
    vm_push_root(vm, sel);
    char header[1024];
    size_t len = (size_t)snprintf(header, sizeof header, "compare");
    bool unit_set = false;
    const OnsRun *first = NULL;
    for (uint32_t k = 0; k < spec->nscenarios && st == ONS_OK; k++) {
        OnsValue runv;
        st = sim_run_value(vm, spec->scenarios[k], &runv);
        if (st != ONS_OK) break;
        vm_push_root(vm, runv);
        const OnsRun *run = sim_run_of(runv);
        if (k == 0) { /* the first scenario's years decide */
            int32_t *ys;
            size_t ny;
            st = report_years(vm, run, years, &ys, &ny);
            if (st != ONS_OK) break;
            chart_init(c, CHART_LINES, (uint32_t)ny);
            memcpy(c->years, ys, ny * sizeof *ys);
            ons_free(ys);
        }
        if (len < sizeof header)
            len += (size_t)snprintf(header + len, sizeof header - len, "%s %s", k ? "," : "",
                                    model_name(m, ONS_ENT_SCENARIO, spec->scenarios[k]));
        OnsChartSeries *series = chart_add_series(c, model_name(m, ONS_ENT_SCENARIO, spec->scenarios[k]));
        for (uint32_t i = 0; i < c->npoints && st == ONS_OK; i++) {
            if (c->years[i] < run->year_from || c->years[i] > run->year_until) continue; /* not in this scenario */
            OnsValue v;
            st = figure_at(vm, spec->figure, runv, spec->region, sel, c->years[i], &v);
            if (st == ONS_OK) st = put_point(vm, c, &unit_set, spec->figure, v, &series->y[i]);
        }
        if (k == 0) first = run;
    }
    if (st == ONS_OK && first) { /* the names, then the first scenario's years and model */
        if (len < sizeof header)
            snprintf(header + len, sizeof header - len, " · years %d..%d · model %s", first->year_from, first->year_until,
                     first->hash);
        c->header = copy_text(header);
        char on[220];
        on_text(vm, spec, on, sizeof on);
        set_years_title(c, "", spec->figure, model_name(m, ONS_ENT_REGION, spec->region), on);
    }
    vm_pop_roots(vm, vm->nroots - roots);
    return st;
}

typedef struct Bar {
    uint32_t origin;
    double amount;
} Bar;

static int bar_order(const void *a, const void *b)
{
    const Bar *x = a, *y = b;
    if (x->amount != y->amount) return x->amount > y->amount ? -1 : 1;
    return (x->origin > y->origin) - (x->origin < y->origin);
}

/* plot imports for R on SEL in YEAR: local supply, then a bar an origin, largest first */
static OnsStatus plot_imports(OnsVM *vm, const OnsReportSpec *spec, OnsValue years, OnsChart *c)
{
    OnsModel *m = model_of(vm);
    OnsRun *run;
    ONS_TRY(report_current_run(vm, &run));
    OnsValue runv = m->last_run;
    int32_t year = run->year_until;
    if (!ONS_IS_NIL(years)) {
        int32_t *ys;
        size_t ny;
        ONS_TRY(report_years(vm, run, years, &ys, &ny));
        year = ys[ny - 1];
        ons_free(ys);
        if (ny != 1) return vm_error(vm, "plot imports draws one year: write `in %d`", year);
    }
    OnsValue sel = report_selector_value(vm, &spec->sel);
    vm_push_root(vm, sel);
    OnsValue map, local;
    OnsStatus st = figure_at(vm, "imports", runv, spec->region, sel, year, &map);
    if (st == ONS_OK) {
        vm_push_root(vm, map);
        st = figure_at(vm, "local", runv, spec->region, sel, year, &local);
        vm_pop_roots(vm, 1);
    }
    vm_pop_roots(vm, 1);
    if (st != ONS_OK) return st;
    if (!ons_is_obj(map, ONS_OBJ_MAP)) return vm_error(vm, "plot imports: the imports figure gave no map");
    const OnsMap *mp = ONS_AS_MAP(map);
    Bar *bars = ons_calloc(mp->len + 2, sizeof(Bar));
    uint32_t n = 0;
    double total = local.type == ONS_T_NUM ? local.as.num : 0;
    for (uint32_t i = 0; i < mp->len; i++) {
        OnsValue k = mp->entries[i].key, v = mp->entries[i].value;
        if (k.type != ONS_T_ENTITY || v.type != ONS_T_NUM) continue;
        bars[n++] = (Bar){k.as.index, v.as.num};
        total += v.as.num;
    }
    qsort(bars, n, sizeof *bars, bar_order);
    chart_init(c, CHART_BARS, n + 1);
    c->labels = ons_calloc(n + 2, sizeof(char *));
    c->notes = ons_calloc(n + 2, sizeof(char *));
    c->first_is_local = true;
    OnsChartSeries *series = chart_add_series(c, "supply");
    const char *rname = model_name(m, ONS_ENT_REGION, spec->region);
    char text[200];
    for (uint32_t i = 0; i <= n; i++) {
        double v = i == 0 ? (local.type == ONS_T_NUM ? local.as.num : 0) : bars[i - 1].amount;
        if (i == 0) snprintf(text, sizeof text, "%s (local)", rname);
        else snprintf(text, sizeof text, "%s", model_name(m, ONS_ENT_REGION, bars[i - 1].origin));
        c->labels[i] = copy_text(text);
        series->y[i] = v;
        if (total > 0) {
            snprintf(text, sizeof text, "%.1f%%", v / total * 100);
            c->notes[i] = copy_text(text);
        }
    }
    if (local.type == ONS_T_NUM) {
        c->dim = local.dim;
        c->percent = false;
    }
    ons_free(bars);
    char header[1024], on[220], title[512];
    report_header_line(vm, run, header, sizeof header);
    c->header = copy_text(header);
    on_text(vm, spec, on, sizeof on);
    snprintf(title, sizeof title, "supply of %s%s in %d, by origin (share of supply)", rname, on, year);
    c->title = copy_text(title);
    return ONS_OK;
}

/* plot spread FIGURE for R on SEL in YEARS: the latest sweep's p10-p90 band and p50 */
static OnsStatus plot_spread(OnsVM *vm, const OnsReportSpec *spec, OnsValue years, OnsChart *c)
{
    OnsModel *m = model_of(vm);
    OnsSweep *sw = sweep_of(m->last_sweep);
    if (!sw) return vm_error(vm, "plot spread shows the latest sweep, and none has run: `let s = sweep NAME {...}` first");
    if (sw->sharded) return sweep_skip_sharded(vm, sw);
    int32_t from = sw->year_from, until = sw->year_until;
    if (ons_is_obj(years, ONS_OBJ_LIST) && ONS_AS_LIST(years)->len) {
        const OnsList *l = ONS_AS_LIST(years);
        from = (int32_t)l->items[0].as.num;
        until = (int32_t)l->items[l->len - 1].as.num;
    } else if (years.type == ONS_T_NUM) {
        from = until = (int32_t)years.as.num;
    }
    if (from < sw->year_from || until > sw->year_until || from > until)
        return vm_error(vm, "plot spread: the years must be the sweep's, %d..%d", sw->year_from, sw->year_until);
    chart_init(c, CHART_BAND, (uint32_t)(until - from + 1));
    static const char *const names[] = {"p10", "p50", "p90"};
    static const double qs[] = {0.10, 0.50, 0.90};
    OnsChartSeries *series[3];
    for (int k = 0; k < 3; k++) series[k] = chart_add_series(c, names[k]);
    OnsValue sel = report_selector_value(vm, &spec->sel);
    vm_push_root(vm, sel);
    double *xs = ons_malloc((sw->runs + 1) * sizeof(double));
    bool unit_set = false;
    OnsStatus st = ONS_OK;
    for (int32_t y = from; y <= until && st == ONS_OK; y++) {
        uint32_t i = (uint32_t)(y - from);
        c->years[i] = y;
        OnsValue args[4] = {m->last_sweep, ons_entity(ONS_ENT_REGION, spec->region), sel, ons_num(y)}, list;
        st = sweep_query(vm, spec->figure, args, 4, &list);
        if (st != ONS_OK) break;
        const OnsList *l = ONS_AS_LIST(list);
        size_t n = 0;
        for (uint32_t j = 0; j < l->len && st == ONS_OK; j++) {
            if (l->items[j].type != ONS_T_NUM) continue;
            double dummy;
            st = put_point(vm, c, &unit_set, spec->figure, l->items[j], &dummy);
            xs[n++] = l->items[j].as.num;
        }
        if (!n || st != ONS_OK) continue;
        qsort(xs, n, sizeof *xs, report_cmp_num);
        for (int k = 0; k < 3; k++) series[k]->y[i] = report_quantile7(xs, n, qs[k]);
    }
    ons_free(xs);
    vm_pop_roots(vm, 1);
    if (st != ONS_OK) return st;
    char header[1024], on[220];
    report_sweep_header(vm, sw, header, sizeof header);
    c->header = copy_text(header);
    on_text(vm, spec, on, sizeof on);
    set_years_title(c, "spread of ", spec->figure, model_name(m, ONS_ENT_REGION, spec->region), on);
    return ONS_OK;
}

static bool ends_with_svg(const char *path)
{
    size_t n = strlen(path);
    if (n < 4) return false;
    const char *e = path + n - 4;
    return e[0] == '.' && tolower((unsigned char)e[1]) == 's' && tolower((unsigned char)e[2]) == 'v' &&
           tolower((unsigned char)e[3]) == 'g';
}

OnsStatus plot_execute(OnsVM *vm, const OnsReportSpec *spec, OnsValue years, OnsValue file)
{
    OnsChart c;
    memset(&c, 0, sizeof c);
    OnsStatus st;
    switch ((OnsPlotKind)spec->plot) {
    case ONS_PLOT_COMPARE: st = plot_compare(vm, spec, years, &c); break;
    case ONS_PLOT_IMPORTS: st = plot_imports(vm, spec, years, &c); break;
    case ONS_PLOT_SPREAD: st = plot_spread(vm, spec, years, &c); break;
    default: st = plot_lines(vm, spec, years, &c); break;
    }
    if (st == ONS_OK && ONS_IS_NIL(file)) {
        /* a text chart is for people: with --format json it goes where
         * print does (stderr), so stdout stays a stream of JSON */
        OnsOut *sink = vm_print_sink(vm);
        OnsChartStyle style = chart_style_for(sink->file ? sink->file : stdout);
        chart_render_text(&c, &style, sink);
    } else if (st == ONS_OK) {
        if (!ons_is_obj(file, ONS_OBJ_STRING) || ONS_AS_STRING(file)->len == 0)
            st = vm_error(vm, "`to` takes a file name (a string)");
        else {
            const char *path = ONS_AS_STRING(file)->chars;
            OnsOut buf;
            out_init_buffer(&buf);
            if (ends_with_svg(path)) {
                chart_render_svg(&c, &buf);
            } else { /* a text chart, as on a terminal but without colour */
                OnsChartStyle style = chart_style_for(stdout);
                style.width = 72;
                style.colour = false;
                chart_render_text(&c, &style, &buf);
            }
            st = report_write_file(vm, path, buf.buf, buf.len);
            out_free(&buf);
        }
    }
    chart_free(&c);
    return st;
}
