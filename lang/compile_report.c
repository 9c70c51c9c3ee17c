/* `report` and `explain` statements: the static parts (kind, region,
 * selector, scenarios, format) are resolved here into a report spec; the
 * years and file name are expressions evaluated when the statement runs,
 * and so are a region, materials or a material named by a variable
 * (`for reg in regions() { report gap for reg }`). */
#include "compiler.h"
#include "mem.h"
#include "report.h"

#include <string.h>

bool compile_selector(OnsCompiler *c, const OnsNode *n, OnsSelector *out)
{
    memset(out, 0, sizeof *out);
    if (!n || n->kind == AST_STAR) {
        out->kind = ONS_SEL_ALL;
        return true;
    }
    switch ((OnsNodeKind)n->kind) {
    case AST_STAGE_REF: {
        int32_t s = model_find_stage(c->model, n->text, n->text_len);
        if (s < 0) {
            compile_error(c, n->text_span, "stage '%s' is not declared", n->text);
            return false;
        }
        out->kind = ONS_SEL_STAGE;
        out->index = (uint32_t)s;
        return true;
    }
    case AST_CLASS_REF: {
        int32_t k = model_find_class(c->model, n->text, n->text_len);
        if (k < 0) {
            compile_error(c, n->text_span, "class '%s' is not declared", n->text);
            return false;
        }
        out->kind = ONS_SEL_CLASS;
        out->index = (uint32_t)k;
        return true;
    }
    case AST_IDENT: {
        /* a material, or a stage or class named bare when no material has that name */
        OnsNameRef r = compile_resolve_name(c, n->text, n->text_len);
        if (r.kind == NAME_STAGE || r.kind == NAME_CLASS) {
            out->kind = r.kind == NAME_STAGE ? ONS_SEL_STAGE : ONS_SEL_CLASS;
            out->index = r.value.as.index;
            return true;
        }
        uint32_t idx;
        if (!compile_resolve_entity(c, n, ONS_ENT_MATERIAL, ONS_ENT_MATERIAL, &idx, NULL)) return false;
        out->kind = ONS_SEL_MATERIAL;
        out->index = idx;
        return true;
    }
    case AST_LIST: {
        out->kind = ONS_SEL_LIST;
        out->list = ons_calloc(n->list.len ? n->list.len : 1, sizeof(uint32_t));
        bool ok = true;
        for (const OnsNode *it = n->list.head; it; it = it->next) {
            uint32_t idx;
            if (compile_resolve_entity(c, it, ONS_ENT_MATERIAL, ONS_ENT_MATERIAL, &idx, NULL)) out->list[out->n++] = idx;
            else ok = false;
        }
        return ok;
    }
    default:
        compile_error(c, n->span, "expected materials here: a material, a list of them, `stage NAME`, `class NAME` or *");
        return false;
    }
}

/* The value of e into register r, or nil without e. */
static void load_or_nil(OnsCompiler *c, const OnsNode *e, int r, OnsSpan span)
{
    if (e) compile_expr_into(c, e, r);
    else compile_emit(c, ins_abc(OP_LOADNIL, (unsigned)r, 0, 0), span);
}

static const OnsReportDef *report_kind(OnsCompiler *c, const OnsNode *n)
{
    const OnsReportDef *def = report_def_find(n->text);
    if (def) return def;
    char list[256];
    size_t len = 0;
    int count = 0;
    while (report_def_nth(count)) count++;
    for (int i = 0; i < count && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i == 0 ? "" : i == count - 1 ? " and " : ", ",
                                report_def_nth(i)->name);
    compile_error(c, n->text_span, "unknown report '%s'; the reports are %s", n->text, list);
    return NULL;
}

static void emit_report(OnsCompiler *c, const OnsNode *n, OnsReportSpec *spec);

void compile_report(OnsCompiler *c, const OnsNode *n)
{
    const OnsReportDef *def = report_kind(c, n);
    if (!def) return;
    OnsReportSpec *spec = ons_calloc(1, sizeof *spec);
    spec->kind = def->kind;
    spec->format = ONS_FMT_DEFAULT;
    spec->src = c->src;
    spec->span = n->span;
    bool ok = true;
    if (n->a && compile_names_variable(c, n->a)) {
        spec->has_region = spec->region_in_reg = true;
    } else if (n->a) {
        if (n->a->kind != AST_IDENT) {
            compile_error(c, n->a->span, "a report is for one region");
            ok = false;
        } else {
            ok &= compile_resolve_entity(c, n->a, ONS_ENT_REGION, ONS_ENT_REGION, &spec->region, NULL);
            spec->has_region = true;
        }
    }
    if (n->c) {
        spec->has_sel = true;
        if (compile_names_variable(c, n->c)) spec->sel_in_reg = true;
        else ok &= compile_selector(c, n->c, &spec->sel);
    }
    if (n->text2) {
        OnsFormat f = report_format_parse(n->text2);
        if (f == ONS_FMT_DEFAULT) {
            compile_error(c, n->span, "unknown format '%s': write `as table`, `as csv`, `as tsv`, `as long`, `as json` or `as markdown`", n->text2);
            ok = false;
        }
        spec->format = (int8_t)f;
    }
    bool figure_report = def->kind == ONS_REPORT_SPREAD || def->kind == ONS_REPORT_DRIVERS;
    if (figure_report) {
        /* `report spread FIGURE ...`: the name after the kind is a figure */
        if (n->list.len > 1) {
            compile_error(c, n->list.head->next->span, "report %s takes one figure", def->name);
            ok = false;
        } else if (n->list.len == 1) {
            snprintf(spec->figure, sizeof spec->figure, "%s", n->list.head->text);
            spec->nscenarios = 1; /* what the report needs is there */
        }
    } else if (n->list.len) {
        if (!def->scenarios) {
            compile_error(c, n->list.head->span, "only `report compare` takes scenario names");
            ok = false;
        }
        spec->scenarios = ons_calloc(n->list.len, sizeof(uint32_t));
        for (const OnsNode *s = n->list.head; s; s = s->next) {
            uint32_t idx;
            if (compile_resolve_entity(c, s, ONS_ENT_SCENARIO, ONS_ENT_SCENARIO, &idx, NULL))
                spec->scenarios[spec->nscenarios++] = idx;
            else ok = false;
        }
    }
    /* what the report needs (reports.def); a scenario name already reported
     * as wrong says enough */
    bool few_scenarios = def->scenarios && spec->nscenarios < def->scenarios && spec->nscenarios == n->list.len;
    if (def->selector == ONS_SEL_NONE && spec->has_sel) { /* it would be ignored: say so */
        compile_error(c, n->c ? n->c->span : n->span, "report %s takes no `on`: it covers %s", def->name,
                      def->kind == ONS_REPORT_COMPLIANCE ? "every rule of the scenario's policies for the region"
                      : def->kind == ONS_REPORT_SOURCES ? "every declaration the run rests on"
                                                         : "every build of the plan for the region");
        ok = false;
    }
    if ((def->region && !spec->has_region) || (def->selector == ONS_SEL_NEEDED && !spec->has_sel) || few_scenarios) {
        compile_error(c, n->span, "report %s needs %s", def->name, def->needs);
        ok = false;
    }
    if (!ok || compile_failed(c)) {
        report_spec_free(spec);
        return;
    }
    emit_report(c, n, spec);
}

/* The statement's code: the spec in a register, then its years, file,
 * region and selector (those named by variables), and HOST report. */
static void emit_report(OnsCompiler *c, const OnsNode *n, OnsReportSpec *spec)
{
    spec->has_years = n->b != NULL;
    spec->has_file = n->d != NULL;
    int mark = c->fs->freereg;
    int spec_reg = compile_reg_alloc(c, n->span);
    int base = compile_reg_alloc(c, n->span);
    for (int i = 1; i < 4; i++) compile_reg_alloc(c, n->span);
    load_or_nil(c, spec->region_in_reg ? n->a : NULL, base + 2, n->span);
    load_or_nil(c, spec->sel_in_reg ? n->c : NULL, base + 3, n->span);
    if (n->b) compile_expr_into(c, n->b, base);
    else compile_emit(c, ins_abc(OP_LOADNIL, (unsigned)base, 0, 0), n->span);
    if (n->d) {
        OnsSType t = compile_expr_into(c, n->d, base + 1);
        if (t.kind != ST_ANY && t.kind != ST_STR) compile_error(c, n->d->span, "`to` takes a file name (a string)");
    } else {
        compile_emit(c, ins_abc(OP_LOADNIL, (unsigned)(base + 1), 0, 0), n->span);
    }
    compile_emit_loadk(c, spec_reg, report_spec_value(c->vm, spec), n->span);
    compile_emit(c, ins_abc(OP_HOST, (unsigned)spec_reg, ONS_HOST_REPORT, 5), n->span);
    c->fs->freereg = mark;
}

void compile_explain(OnsCompiler *c, const OnsNode *n)
{
    OnsReportSpec *spec = ons_calloc(1, sizeof *spec);
    spec->kind = ONS_REPORT_EXPLAIN;
    spec->format = ONS_FMT_DEFAULT;
    spec->src = c->src;
    spec->span = n->span;
    bool ok = true;
    spec->region_in_reg = compile_names_variable(c, n->a);
    spec->material_in_reg = compile_names_variable(c, n->b);
    if (!spec->region_in_reg) ok &= compile_resolve_entity(c, n->a, ONS_ENT_REGION, ONS_ENT_REGION, &spec->region, NULL);
    if (!spec->material_in_reg)
        ok &= compile_resolve_entity(c, n->b, ONS_ENT_MATERIAL, ONS_ENT_MATERIAL, &spec->material, NULL);
    spec->has_region = true;
    if (n->text2) {
        OnsFormat f = report_format_parse(n->text2);
        if (f == ONS_FMT_DEFAULT) {
            compile_error(c, n->span, "unknown format '%s': write `as table`, `as csv`, `as tsv`, `as long`, `as json` or `as markdown`", n->text2);
            ok = false;
        }
        spec->format = (int8_t)f;
    }
    if (!ok) {
        report_spec_free(spec);
        return;
    }
    /* like a report: the spec, then the year, the file name (or nil), the
     * region and the material */
    spec->has_file = n->d != NULL;
    int mark = c->fs->freereg;
    int spec_reg = compile_reg_alloc(c, n->span);
    int r = compile_reg_alloc(c, n->span);
    for (int i = 1; i < 4; i++) compile_reg_alloc(c, n->span);
    load_or_nil(c, spec->region_in_reg ? n->a : NULL, r + 2, n->span);
    load_or_nil(c, spec->material_in_reg ? n->b : NULL, r + 3, n->span);
    compile_expr_into(c, n->c, r);
    if (n->d) {
        OnsSType t = compile_expr_into(c, n->d, r + 1);
        if (t.kind != ST_ANY && t.kind != ST_STR) compile_error(c, n->d->span, "`to` takes a file name (a string)");
    } else {
        compile_emit(c, ins_abc(OP_LOADNIL, (unsigned)(r + 1), 0, 0), n->span);
    }
    compile_emit_loadk(c, spec_reg, report_spec_value(c->vm, spec), n->span);
    compile_emit(c, ins_abc(OP_HOST, (unsigned)spec_reg, ONS_HOST_EXPLAIN, 5), n->span);
    c->fs->freereg = mark;
}

/* ---- plot (spec 13) ---- */

/* The figures a plot can draw: those of figures.def that give numbers
 * (imports, a map, has `plot imports`; top_origin is a region). */
static const char *const plot_figures[] = {
#define FIGURE(id, name, result, origins, doc) name,
#include "figures.def"
#undef FIGURE
};

static bool plot_draws(const char *figure)
{
    return strcmp(figure, "imports") != 0 && strcmp(figure, "top_origin") != 0;
}

static bool plot_figure_known(OnsCompiler *c, const OnsNode *name, OnsReportSpec *spec)
{
    for (size_t i = 0; i < ONS_ARRAY_LEN(plot_figures); i++)
        if (strcmp(plot_figures[i], name->text) == 0 && plot_draws(name->text)) {
            snprintf(spec->figure, sizeof spec->figure, "%s", name->text);
            return true;
        }
    char list[600];
    size_t len = 0;
    for (size_t i = 0; i < ONS_ARRAY_LEN(plot_figures) && len < sizeof list; i++)
        if (plot_draws(plot_figures[i]))
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", plot_figures[i]);
    compile_error(c, name->text_span, "unknown figure '%s' to plot; the figures are %s (and `plot imports`, "
                                      "`plot compare`, `plot spread`)", name->text, list);
    return false;
}

/* The kind and figure from the names before the clauses: `localization`,
 * `compare a, b: localization`, `imports`, `spread localization`. */
static bool plot_kind(OnsCompiler *c, const OnsNode *n, OnsReportSpec *spec)
{
    const OnsNode *first = n->list.head;
    if (!first || first->op == REPORT_CLAUSE_COLON) {
        compile_error(c, n->span, "plot needs a figure: `plot localization for US on stage cell in 2024..2030`");
        return false;
    }
    const OnsNode *second = first->next;
    if (strcmp(first->text, "compare") == 0) {
        spec->plot = ONS_PLOT_COMPARE;
        const OnsNode *colon = second;
        uint32_t count = 0;
        for (; colon && colon->op != REPORT_CLAUSE_COLON; colon = colon->next) count++;
        if (!colon || !colon->next || colon->next->next || count == 0) {
            compile_error(c, n->span, "plot compare needs scenarios, ':' and one figure: "
                                      "`plot compare baseline, shock: localization for US on stage cell`");
            return false;
        }
        spec->scenarios = ons_calloc(count + 1, sizeof(uint32_t));
        bool ok = true;
        for (const OnsNode *it = second; it != colon; it = it->next) {
            uint32_t idx;
            if (compile_resolve_entity(c, it, ONS_ENT_SCENARIO, ONS_ENT_SCENARIO, &idx, NULL))
                spec->scenarios[spec->nscenarios++] = idx;
            else ok = false;
        }
        return plot_figure_known(c, colon->next, spec) && ok;
    }
    for (const OnsNode *s = first; s; s = s->next)
        if (s->op == REPORT_CLAUSE_COLON) {
            compile_error(c, s->span, "only `plot compare a, b: FIGURE` takes ':'");
            return false;
        }
    if (strcmp(first->text, "imports") == 0) {
        spec->plot = ONS_PLOT_IMPORTS;
        snprintf(spec->figure, sizeof spec->figure, "imports");
        if (second) compile_error(c, second->span, "plot imports takes no other name");
        return second == NULL;
    }
    if (strcmp(first->text, "spread") == 0) {
        spec->plot = ONS_PLOT_SPREAD;
        if (!second || second->next) {
            compile_error(c, second ? second->next->span : n->span, "plot spread takes one figure: "
                                                                    "`plot spread localization for US on stage cell`");
            return false;
        }
        return plot_figure_known(c, second, spec);
    }
    spec->plot = ONS_PLOT_LINES;
    if (second) {
        compile_error(c, second->span, "plot takes one figure; to compare scenarios write `plot compare a, b: FIGURE ...`");
        return false;
    }
    return plot_figure_known(c, first, spec);
}

void compile_plot(OnsCompiler *c, const OnsNode *n)
{
    OnsReportSpec *spec = ons_calloc(1, sizeof *spec);
    spec->kind = ONS_REPORT_GAP; /* unused: spec->plot says what to draw */
    spec->format = ONS_FMT_DEFAULT;
    spec->src = c->src;
    spec->span = n->span;
    bool ok = plot_kind(c, n, spec);
    if (n->text2) {
        compile_error(c, n->span, "a plot is drawn as text, or as SVG with `to \"FILE.svg\"`: it takes no `as`");
        ok = false;
    }
    if (n->a && compile_names_variable(c, n->a)) {
        spec->has_region = spec->region_in_reg = true;
    } else if (n->a) {
        if (n->a->kind != AST_IDENT) {
            compile_error(c, n->a->span, "a plot is for one region");
            ok = false;
        } else {
            ok &= compile_resolve_entity(c, n->a, ONS_ENT_REGION, ONS_ENT_REGION, &spec->region, NULL);
            spec->has_region = true;
        }
    }
    const OnsNode *on = n->c;
    if (on && on->kind == AST_LIST && spec->plot == ONS_PLOT_LINES) {
        /* a line a selector: `on [stage cell, stage active]` */
        spec->has_sel = true;
        spec->sels = ons_calloc(on->list.len + 1, sizeof(OnsSelector));
        for (const OnsNode *it = on->list.head; it; it = it->next) ok &= compile_selector(c, it, &spec->sels[spec->nsels++]);
    } else if (on && on->kind == AST_LIST) {
        /* one selector: a list of materials */
        spec->has_sel = true;
        bool plain = true;
        for (const OnsNode *it = on->list.head; it; it = it->next) plain &= it->kind == AST_IDENT;
        if (!plain) {
            compile_error(c, on->span, "this plot draws one selector: a material, a list of materials, `stage NAME` "
                                       "or `class NAME`");
            ok = false;
        } else {
            ok &= compile_selector(c, on, &spec->sel);
        }
    } else if (on) {
        spec->has_sel = true;
        if (compile_names_variable(c, on)) spec->sel_in_reg = true;
        else ok &= compile_selector(c, on, &spec->sel);
    }
    if (ok && (!spec->has_region || !spec->has_sel)) {
        compile_error(c, n->span, "plot needs a region and what to draw: `for US on stage cell`");
        ok = false;
    }
    if (!ok || compile_failed(c)) {
        report_spec_free(spec);
        return;
    }
    emit_report(c, n, spec);
}
