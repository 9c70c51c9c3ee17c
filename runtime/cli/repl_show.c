/* :show: every property of one declaration, evaluated in a year, beside
 * the series or expression it comes from; a variable's value; a
 * function's text.  Values are read through model_get_property and
 * model_eval, as the language reads them. */
#include "repl_internal.h"
#include "mem.h"
#include "model.h"
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the stored form of properties ---- */

bool repl_entity_prop(OnsVM *vm, OnsValue ent, const char *p, OnsValue *raw)
{
    if (ent.type != ONS_T_ENTITY) return false;
    void *e = model_entity(model_of(vm), (OnsEntityKind)ent.hint, ent.as.index);
    if (!e) return false;
    switch ((OnsEntityKind)ent.hint) {
    case ONS_ENT_MATERIAL:
        if (strcmp(p, "price") == 0) return *raw = ((OnsMaterial *)e)->price, true;
        return false;
    case ONS_ENT_FACILITY: {
        const OnsPropDef *d = model_prop_find(ONS_ENT_FACILITY, p);
        if (!d || d->slot < 0) return false;
        *raw = ((OnsFacility *)e)->per_year[d->slot];
        return true;
    }
    case ONS_ENT_LANE:
        if (strcmp(p, "cost") == 0) *raw = ((OnsLane *)e)->cost;
        else if (strcmp(p, "days") == 0) *raw = ((OnsLane *)e)->days;
        else return false;
        return true;
    case ONS_ENT_DEMAND:
        if (strcmp(p, "amount") == 0) return *raw = ((OnsDemand *)e)->amount, true;
        return false;
    default:
        return false;
    }
}

/* How a stored property reads: a series as written, an expression by its
 * source text, nothing for a constant; "default" when it was left out. */
static void stored_form(OnsVM *vm, OnsValue raw, char *buf, size_t n)
{
    buf[0] = '\0';
    if (ONS_IS_NIL(raw)) snprintf(buf, n, "default");
    else if (ons_is_obj(raw, ONS_OBJ_SERIES)) value_to_cstr(vm, raw, buf, n);
    else if (ons_is_obj(raw, ONS_OBJ_CLOSURE)) {
        OnsProto *p = ONS_AS_CLOSURE(raw)->proto;
        size_t len;
        const char *text = repl_span_text(p->src, p->span, &len);
        if (text && len < n) snprintf(buf, n, "%.*s", (int)len, text);
        else if (text) snprintf(buf, n, "%.*s...", (int)(n - 4), text); /* too long: say it was cut */
        for (char *c = buf; *c; c++)
            if (*c == '\n' || *c == '\t') *c = ' ';
    }
}

/* A value as a cell: text without quotes, declarations by name, a list
 * of them joined; an evaluation error becomes its message. */
static void value_cell(OnsVM *vm, OnsStatus st, OnsValue v, char *buf, size_t n)
{
    if (st == ONS_OK && ons_is_obj(v, ONS_OBJ_STRING)) { /* a unit, a title */
        snprintf(buf, n, "%s", ONS_AS_STRING(v)->chars);
        return;
    }
    if (st == ONS_OK && v.type == ONS_T_ENTITY) { /* `stage cell` reads as cell here */
        snprintf(buf, n, "%s", model_name(model_of(vm), (OnsEntityKind)v.hint, v.as.index));
        return;
    }
    if (st == ONS_OK && ons_is_obj(v, ONS_OBJ_LIST)) {
        OnsList *l = ONS_AS_LIST(v);
        size_t len = 0;
        snprintf(buf, n, "none");
        for (uint32_t i = 0; i < l->len && len < n; i++) {
            char item[128];
            value_cell(vm, ONS_OK, l->items[i], item, sizeof item);
            len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", item);
        }
        return;
    }
    if (st == ONS_OK && ons_is_obj(v, ONS_OBJ_MAP) && ONS_AS_MAP(v)->len == 0) {
        snprintf(buf, n, "none");
        return;
    }
    if (st == ONS_OK) {
        value_to_cstr(vm, v, buf, n);
        return;
    }
    snprintf(buf, n, "error: %s", vm->error.msg ? vm->error.msg : "?");
    vm_clear_error(vm);
    vm_reset(vm);
}

/* A per-year property read through the language (defaults included). */
static void prop_row(OnsVM *vm, OnsRows *t, OnsValue ent, const char *prop, double year)
{
    char val[160], form[160];
    OnsValue v = ons_nil(), raw;
    vm->year = ons_num(year);
    OnsStatus st = model_get_property(vm, ent, string_cstr(vm, prop), &v);
    value_cell(vm, st, v, val, sizeof val);
    vm->year = ons_nil();
    form[0] = '\0';
    if (repl_entity_prop(vm, ent, prop, &raw)) stored_form(vm, raw, form, sizeof form);
    repl_rows_add(t, prop, val, form);
}

/* A stored per-year value evaluated directly (lanes, demands). */
static void eval_row(OnsVM *vm, OnsRows *t, const char *label, OnsValue raw, OnsValue dflt, double year)
{
    char val[160], form[160];
    OnsValue v = ons_nil();
    OnsStatus st = model_eval(vm, ONS_IS_NIL(raw) ? dflt : raw, year, &v);
    value_cell(vm, st, v, val, sizeof val);
    stored_form(vm, raw, form, sizeof form);
    repl_rows_add(t, label, val, form);
}

/* Appends the names of entities of kind for which keep() holds. */
static void names_where(OnsModel *m, OnsEntityKind kind, bool (*keep)(OnsModel *, uint32_t, uint32_t),
                        uint32_t arg, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < model_count(m, kind) && len < n; i++) {
        if (!model_info(m, kind, i)->name || !keep(m, i, arg)) continue;
        len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", model_name(m, kind, i));
    }
    if (!buf[0]) snprintf(buf, n, "none");
}

static bool fac_in_region(OnsModel *m, uint32_t f, uint32_t reg) { return m->facilities[f].region == reg; }
static bool fac_makes(OnsModel *m, uint32_t f, uint32_t mat) { return m->facilities[f].makes == mat; }
static bool mat_at_stage(OnsModel *m, uint32_t mat, uint32_t st) { return m->materials[mat].stage == st; }
static bool mat_in_class(OnsModel *m, uint32_t mat, uint32_t c) { return model_material_in_class(m, mat, c); }

static void text_rows(OnsRows *t, const char *label, OnsSource *src, OnsSpan span)
{
    size_t len;
    const char *text = repl_span_text(src, span, &len);
    if (!text) return;
    /* one row a line of the declaration text */
    while (len > 0) {
        size_t k = 0;
        while (k < len && text[k] != '\n') k++;
        char *line = ons_strndup(text, k);
        repl_rows_add(t, label, line, NULL);
        ons_free(line);
        label = "";
        text += k + (k < len);
        len -= k + (k < len);
    }
}

/* A scenario as it runs: years and sourcing from the nearest scenario in
 * its chain that sets them, policies from the root down, each noted with
 * where it comes from. */
static void scenario_rows(OnsModel *m, const OnsScenario *s, OnsRows *t)
{
    enum { MAX_CHAIN = 1024 };
    const OnsScenario *chain[MAX_CHAIN];
    int depth = 0;
    for (const OnsScenario *c = s; depth < MAX_CHAIN; c = &m->scenarios[c->parent]) {
        chain[depth++] = c;
        if (c->parent < 0) break;
    }
    char buf[512], note[160];
    const OnsScenario *from = NULL;
    for (int i = 0; i < depth && !from; i++)
        if (chain[i]->has_years) from = chain[i];
    if (from) snprintf(buf, sizeof buf, "%d..%d", from->year_from, from->year_until);
    else snprintf(buf, sizeof buf, "none (a run needs `years: A..B`)");
    snprintf(note, sizeof note, "from %s", from ? from->e.name->chars : "");
    repl_rows_add(t, "years", buf, from && from != s ? note : NULL);
    if (s->parent >= 0) repl_rows_add(t, "extends", model_name(m, ONS_ENT_SCENARIO, (uint32_t)s->parent), NULL);
    /* policies: the root's first, each once, as a run adds them */
    size_t len = 0;
    int n = 0, inherited = 0;
    buf[0] = '\0';
    for (int i = depth - 1; i >= 0; i--)
        for (uint32_t u = 0; u < chain[i]->nuse && len < sizeof buf; u++) {
            bool seen = false;
            for (int j = depth - 1; j > i && !seen; j--)
                for (uint32_t k = 0; k < chain[j]->nuse && !seen; k++) seen = chain[j]->use[k] == chain[i]->use[u];
            for (uint32_t k = 0; k < u && !seen; k++) seen = chain[i]->use[k] == chain[i]->use[u];
            if (seen) continue;
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", n++ ? ", " : "",
                                    model_name(m, ONS_ENT_POLICY, chain[i]->use[u]));
            inherited += i > 0;
        }
    snprintf(note, sizeof note, "%d inherited", inherited);
    repl_rows_add(t, "use", n ? buf : "none", inherited ? note : NULL);
    from = NULL;
    for (int i = 0; i < depth && !from; i++)
        if (chain[i]->sourcing != ONS_SOURCING_INHERIT) from = chain[i];
    snprintf(note, sizeof note, "from %s", from ? from->e.name->chars : "");
    repl_rows_add(t, "sourcing", from && from->sourcing == ONS_SOURCING_CHEAPEST ? "cheapest" : "local first",
                  !from ? "default" : from != s ? note : NULL);
    for (uint32_t i = 0; i < s->noverrides; i++)
        text_rows(t, i ? "" : "overrides", s->overrides[i].src, s->overrides[i].span);
}

/* uniform(70%, 130%), choice {0 yr: 50%, ...}: a distribution as written */
static void dist_text(OnsVM *vm, const OnsDist *d, char *buf, size_t n)
{
    static const char *const names[] = {"fixed", "uniform", "triangular", "normal", "lognormal", "choice"};
    char a[64], b[64], c[64];
    value_to_cstr(vm, ons_quantity(d->a, d->dim, d->hint), a, sizeof a);
    value_to_cstr(vm, ons_quantity(d->b, d->kind == ONS_DIST_LOGNORMAL ? dim_none() : d->dim,
                                   d->kind == ONS_DIST_LOGNORMAL ? 0 : d->hint), b, sizeof b);
    value_to_cstr(vm, ons_quantity(d->c, d->dim, d->hint), c, sizeof c);
    switch ((OnsDistKind)d->kind) {
    case ONS_DIST_FIXED: snprintf(buf, n, "%s in every sample", a); return;
    case ONS_DIST_TRIANGULAR: snprintf(buf, n, "triangular(%s, %s, %s)", a, b, c); return;
    case ONS_DIST_CHOICE: {
        size_t len = (size_t)snprintf(buf, n, "choice {");
        for (uint32_t i = 0; i < d->n && len < n; i++) {
            value_to_cstr(vm, ons_quantity(d->values[i], d->dim, d->hint), a, sizeof a);
            value_to_cstr(vm, ons_percent(d->probs[i]), b, sizeof b);
            len += (size_t)snprintf(buf + len, n - len, "%s%s: %s", i ? ", " : "", a, b);
        }
        if (len < n) snprintf(buf + len, n - len, "}");
        return;
    }
    default: snprintf(buf, n, "%s(%s, %s)", names[d->kind], a, b); return;
    }
}

static void show_entity(OnsRepl *r, OnsEntityKind kind, uint32_t idx, double year)
{
    OnsVM *vm = r->vm;
    OnsModel *m = model_of(vm);
    OnsEntityInfo *e = model_info(m, kind, idx);
    OnsValue ent = ons_entity(kind, idx);
    OnsOut *out = vm->out;
    OnsRows t = {0};
    char buf[512];
    bool per_year = kind == ONS_ENT_MATERIAL || kind == ONS_ENT_FACILITY || kind == ONS_ENT_LANE ||
                    kind == ONS_ENT_DEMAND;
    out_printf(out, "%s %s", ons_entity_kind_name(kind), e->name->chars);
    if (e->title) out_printf(out, " \"%s\"", e->title);
    if (e->src) {
        uint32_t line, col;
        source_locate(e->src, e->span.start, &line, &col);
        out_printf(out, ", declared at %s:%u", e->src->name, line);
    }
    if (per_year) out_printf(out, ", in %.0f", year);
    out_putc(out, '\n');
    switch (kind) {
    case ONS_ENT_STAGE:
        snprintf(buf, sizeof buf, "%u of %u, upstream first", idx + 1, m->nstages);
        repl_rows_add(&t, "number", buf, NULL);
        names_where(m, ONS_ENT_MATERIAL, mat_at_stage, idx, buf, sizeof buf);
        repl_rows_add(&t, "materials", buf, NULL);
        break;
    case ONS_ENT_CLASS:
        names_where(m, ONS_ENT_MATERIAL, mat_in_class, idx, buf, sizeof buf);
        repl_rows_add(&t, "materials", buf, NULL);
        break;
    case ONS_ENT_REGION:
        names_where(m, ONS_ENT_FACILITY, fac_in_region, idx, buf, sizeof buf);
        repl_rows_add(&t, "facilities", buf, NULL);
        break;
    case ONS_ENT_PARAM: {
        const OnsDist *d = &((OnsParam *)e)->dist;
        dist_text(vm, d, buf, sizeof buf);
        repl_rows_add(&t, "distribution", buf, NULL);
        char v[96];
        value_to_cstr(vm, ons_quantity(model_dist_nominal(d), d->dim, d->hint), v, sizeof v);
        repl_rows_add(&t, "nominal", v, "its value outside a sweep");
        snprintf(buf, sizeof buf, "%u", idx);
        repl_rows_add(&t, "number", buf, "k of the draws (declaration order)");
        break;
    }
    case ONS_ENT_GROUP: {
        OnsGroup *g = (OnsGroup *)e;
        size_t len = 0;
        buf[0] = '\0';
        for (uint32_t i = 0; i < g->nmembers && len < sizeof buf; i++)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? ", " : "",
                                    model_name(m, ONS_ENT_REGION, g->members[i]));
        repl_rows_add(&t, "members", buf, NULL);
        break;
    }
    case ONS_ENT_MATERIAL:
    case ONS_ENT_FACILITY:
        for (int i = 0; model_prop_nth(kind, i); i++) {
            const OnsPropDef *d = model_prop_nth(kind, i);
            if (d->id == ONS_PROP_SOURCE || d->id == ONS_PROP_NOTE) continue;
            prop_row(vm, &t, ent, d->name, year);
        }
        if (kind == ONS_ENT_MATERIAL) {
            names_where(m, ONS_ENT_FACILITY, fac_makes, idx, buf, sizeof buf);
            repl_rows_add(&t, "made by", buf, NULL);
        }
        break;
    case ONS_ENT_LANE: {
        OnsLane *l = (OnsLane *)e;
        eval_row(vm, &t, "cost", l->cost, ons_percent(0), year);
        eval_row(vm, &t, "days", l->days, ons_num(0), year);
        break;
    }
    case ONS_ENT_DEMAND: {
        OnsDemand *d = (OnsDemand *)e;
        repl_rows_add(&t, "region", model_name(m, ONS_ENT_REGION, d->region), NULL);
        repl_rows_add(&t, "material", model_name(m, ONS_ENT_MATERIAL, d->material), NULL);
        eval_row(vm, &t, "amount", d->amount, ons_nil(), year);
        break;
    }
    case ONS_ENT_POLICY: {
        OnsPolicy *p = (OnsPolicy *)e;
        for (uint32_t i = 0; i < p->nrules; i++) text_rows(&t, i ? "" : "rules", p->rules[i].src, p->rules[i].span);
        if (!p->nrules) repl_rows_add(&t, "rules", "none", NULL);
        break;
    }
    case ONS_ENT_SCENARIO:
        scenario_rows(m, (OnsScenario *)e, &t);
        break;
    default:
        break;
    }
    repl_rows_add(&t, "source", e->source ? e->source : "—", NULL);
    repl_rows_add(&t, "note", e->note ? e->note : "—", NULL);
    repl_rows_print(&t, out, "  ");
}

/* A global that is not an entity: a variable, a function, a built-in. */
static bool show_global(OnsRepl *r, const char *name)
{
    OnsVM *vm = r->vm;
    OnsOut *out = vm->out;
    int32_t g = vm_global_find(vm, name, strlen(name));
    if (g >= 0 && vm->globals[g].kind == ONS_GLOBAL_VAR) {
        OnsValue v = vm->gvals[g];
        OnsGlobal *gl = &vm->globals[g];
        if (ons_is_obj(v, ONS_OBJ_CLOSURE)) {
            OnsProto *p = ONS_AS_CLOSURE(v)->proto;
            uint32_t line = 0, col;
            if (p->src) source_locate(p->src, p->span.start, &line, &col);
            out_printf(out, "function %s, declared at %s:%u\n", name, p->src ? p->src->name : "?", line);
            OnsRows t = {0};
            text_rows(&t, "", p->src, p->span);
            repl_rows_print(&t, out, "  ");
            return true;
        }
        char buf[400];
        if (v.type == ONS_T_UNDEF) snprintf(buf, sizeof buf, "not set yet");
        else value_to_cstr(vm, v, buf, sizeof buf);
        uint32_t line = 0, col;
        if (gl->src) source_locate(gl->src, gl->span.start, &line, &col);
        out_printf(out, "variable %s = %s", name, buf);
        if (gl->src) out_printf(out, ", declared at %s:%u", gl->src->name, line);
        out_putc(out, '\n');
        return true;
    }
    if (g < 0 && vm_builtin(vm, name, strlen(name))) {
        out_printf(out, "%s is a built-in function (docs/reference.md describes it)\n", name);
        return true;
    }
    return false;
}

static void squeeze(const char *in, char *out, size_t n, bool drop_spaces)
{
    size_t k = 0;
    bool space = false;
    for (; *in && k + 1 < n; in++) {
        if (*in == ' ' || *in == '\t') {
            space = true;
            continue;
        }
        if (space && k && !drop_spaces) out[k++] = ' ';
        space = false;
        if (k + 1 < n) out[k++] = *in;
    }
    out[k] = '\0';
}

/* The year :show evaluates in when none is given. */
static double default_year(OnsVM *vm)
{
    OnsRun *run = sim_run_of(model_of(vm)->last_run);
    if (run) return run->year_from;
    /* no run yet: the first year any scenario declares, so the same session
     * shows the same numbers on any day; with no scenario, this year */
    const OnsModel *m = model_of(vm);
    int32_t first = INT32_MAX;
    for (uint32_t i = 0; i < m->nscenarios; i++)
        if (m->scenarios[i].e.name && m->scenarios[i].has_years && m->scenarios[i].year_from < first)
            first = m->scenarios[i].year_from;
    if (first != INT32_MAX) return first;
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm)) return 1900 + tm.tm_year;
    return 2025;
}

void repl_cmd_show(OnsRepl *r, const char *args)
{
    OnsVM *vm = r->vm;
    OnsModel *m = model_of(vm);
    char name[256] = "", flat[256] = "", cand[256];
    squeeze(args, name, sizeof name, false);
    double year = default_year(vm);
    char *last = strrchr(name, ' ');
    if (last && last[1]) {
        bool digits = true;
        for (char *c = last + 1; *c; c++) digits = digits && *c >= '0' && *c <= '9';
        if (digits && strlen(last + 1) <= 6) {
            year = atof(last + 1);
            *last = '\0';
        }
    }
    int only = -1; /* `stage cell`, `class critical_mineral` */
    const char *want = name;
    if (strncmp(name, "stage ", 6) == 0) only = ONS_ENT_STAGE, want = name + 6;
    else if (strncmp(name, "class ", 6) == 0) only = ONS_ENT_CLASS, want = name + 6;
    squeeze(want, flat, sizeof flat, true);
    int shown = 0;
    for (int pass = 0; pass < 2 && !shown; pass++) /* exact spelling first, then ignoring spaces */
        for (int k = 0; k < ONS_ENT_KIND_COUNT; k++) {
            if (only >= 0 && k != only) continue;
            if (only < 0 && (k == ONS_ENT_STAGE || k == ONS_ENT_CLASS) && pass == 0 &&
                vm_global_find(vm, want, strlen(want)) >= 0)
                continue; /* a material `cell` hides the stage `cell` unless asked for */
            for (uint32_t i = 0; i < model_count(m, (OnsEntityKind)k); i++) {
                OnsEntityInfo *e = model_info(m, (OnsEntityKind)k, i);
                if (!e->name) continue;
                if (pass == 0 ? strcmp(e->name->chars, want) != 0
                              : (squeeze(e->name->chars, cand, sizeof cand, true), strcmp(cand, flat) != 0))
                    continue;
                if (shown++) out_putc(vm->out, '\n');
                show_entity(r, (OnsEntityKind)k, i, year);
            }
        }
    if (shown || show_global(r, want)) return;
    /* nothing by that name: suggest the closest declared name */
    size_t n = 0, cap = 0;
    const char **names = NULL;
    for (int k = 0; k < ONS_ENT_KIND_COUNT; k++)
        for (uint32_t i = 0; i < model_count(m, (OnsEntityKind)k); i++)
            if (model_info(m, (OnsEntityKind)k, i)->name) {
                ONS_GROW(names, cap, n + 1);
                names[n++] = model_name(m, (OnsEntityKind)k, i);
            }
    for (uint32_t g = 0; g < vm->nglobals; g++) {
        ONS_GROW(names, cap, n + 1);
        names[n++] = vm->globals[g].name->chars;
    }
    const char *near = diag_closest(want, names, n);
    if (near) out_printf(vm->err, "nothing is called '%s'; did you mean '%s'?\n", want, near);
    else out_printf(vm->err, "nothing is called '%s' (:list shows what is declared)\n", want);
    ons_free(names);
    r->failures++;
}
