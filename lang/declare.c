/* Declarations (spec §4-§6): from AST to model entities.
 *
 * Three passes over a file's declarations:
 *   names    every declared name enters the namespaces, so a facility may
 *            name a material declared below it;
 *   bodies   each declaration is checked against the property schema of its
 *            kind (model.h) and filled in: references resolved, dimensions
 *            checked, per-year properties compiled to constants, series or
 *            small functions;
 *   commit   on success the new and replaced entities become the model.
 * A new entity is filled in place in the model (rollback truncates it); a
 * REPL redeclaration is filled in a staged copy and swapped in at commit. */
#include "compiler.h"
#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool declare_is_declaration(const OnsNode *n)
{
    switch ((OnsNodeKind)n->kind) {
    case AST_STAGES: case AST_CLASSES: case AST_REGION: case AST_GROUP: case AST_MATERIAL:
    case AST_FACILITY: case AST_LANE: case AST_DEMAND: case AST_POLICY: case AST_SCENARIO: case AST_PARAM_DECL:
    case AST_TABLE:
        return true;
    default:
        return false;
    }
}

static size_t entity_size(OnsEntityKind k)
{
    switch (k) {
    case ONS_ENT_STAGE: return sizeof(OnsStage);
    case ONS_ENT_CLASS: return sizeof(OnsClass);
    case ONS_ENT_REGION: return sizeof(OnsRegion);
    case ONS_ENT_GROUP: return sizeof(OnsGroup);
    case ONS_ENT_MATERIAL: return sizeof(OnsMaterial);
    case ONS_ENT_FACILITY: return sizeof(OnsFacility);
    case ONS_ENT_LANE: return sizeof(OnsLane);
    case ONS_ENT_DEMAND: return sizeof(OnsDemand);
    case ONS_ENT_POLICY: return sizeof(OnsPolicy);
    case ONS_ENT_SCENARIO: return sizeof(OnsScenario);
    case ONS_ENT_PARAM: return sizeof(OnsParam);
    default: return 0;
    }
}

static OnsEntityKind kind_of_node(const OnsNode *n)
{
    switch ((OnsNodeKind)n->kind) {
    case AST_REGION: return ONS_ENT_REGION;
    case AST_GROUP: return ONS_ENT_GROUP;
    case AST_MATERIAL: return ONS_ENT_MATERIAL;
    case AST_FACILITY: return ONS_ENT_FACILITY;
    case AST_LANE: return ONS_ENT_LANE;
    case AST_DEMAND: return ONS_ENT_DEMAND;
    case AST_POLICY: return ONS_ENT_POLICY;
    case AST_SCENARIO: return ONS_ENT_SCENARIO;
    case AST_PARAM_DECL: return (n->flags & AST_REVERSED) ? ONS_ENT_KIND_COUNT : ONS_ENT_PARAM;
    default: return ONS_ENT_KIND_COUNT;
    }
}

static OnsPending *add_pending(OnsCompiler *c, OnsEntityKind kind, uint32_t index, bool replaces,
                               const OnsNode *node)
{
    ONS_GROW(c->pending, c->pending_cap, c->npending + 1);
    OnsPending *p = &c->pending[c->npending++];
    memset(p, 0, sizeof *p);
    p->kind = (uint8_t)kind;
    p->index = index;
    p->replaces = replaces;
    p->node = node;
    p->src = c->src;
    p->clears = -1;
    if (replaces) {
        p->staged = ons_calloc(1, entity_size(kind));
        c->nstaged++;
        OnsEntityInfo *old = model_info(c->model, kind, index);
        ((OnsEntityInfo *)p->staged)->name = old->name;
    }
    return p;
}

/* The struct a declaration fills in: its model slot, or the staged copy. */
static OnsEntityInfo *target(OnsCompiler *c, OnsPending *p)
{
    return p->staged ? (OnsEntityInfo *)p->staged : model_info(c->model, (OnsEntityKind)p->kind, p->index);
}

/* An entity as this compilation sees it: a pending redeclaration wins. */
static void *entity_for(OnsCompiler *c, OnsEntityKind kind, uint32_t index)
{
    if (c->nstaged == 0) return model_entity(c->model, kind, index); /* no redeclaration: the usual case */
    for (size_t i = 0; i < c->npending; i++)
        if (c->pending[i].kind == kind && c->pending[i].index == index && c->pending[i].staged)
            return c->pending[i].staged;
    return model_entity(c->model, kind, index);
}

static void set_info(OnsCompiler *c, OnsEntityInfo *e, const OnsNode *n)
{
    e->src = c->src;
    e->span = n->span;
    e->name_span = n->text ? n->text_span : n->span;
    if (n->text2) e->title = ons_strdup(n->text2);
}

/* ---- pass 1: names ---- */

static void declare_in_namespace(OnsCompiler *c, const OnsNode *n, OnsEntityKind kind)
{
    for (const OnsNode *nm = n->list.head; nm; nm = nm->next) {
        int32_t found = kind == ONS_ENT_STAGE ? model_find_stage(c->model, nm->text, nm->text_len)
                                              : model_find_class(c->model, nm->text, nm->text_len);
        if (found >= 0) {
            OnsEntityInfo *e = model_info(c->model, kind, (uint32_t)found);
            if (c->opts->repl) continue; /* declaring a stage again changes nothing */
            compile_error(c, nm->span, "%s '%s' is already declared", ons_entity_kind_name(kind), nm->text);
            if (e->src) compile_note(c, e->src, e->name_span, "the first declaration is here");
            continue;
        }
        uint32_t idx = model_append(c->model, kind);
        OnsEntityInfo *e = model_info(c->model, kind, idx);
        e->name = string_new(c->vm, nm->text, nm->text_len);
        e->src = c->src;
        e->span = nm->span;
        e->name_span = nm->span;
        if (kind == ONS_ENT_STAGE && c->opts->repl) {
            char note[160];
            snprintf(note, sizeof note, "stage %s (number %u of the chain)", nm->text, idx + 1);
            compile_add_note(c, note);
        }
    }
}

static void declare_named(OnsCompiler *c, const OnsNode *n, OnsEntityKind kind)
{
    int32_t g = vm_global_find(c->vm, n->text, n->text_len);
    if (g >= 0) {
        OnsGlobal *gl = &c->vm->globals[g];
        OnsValue v = c->vm->gvals[g];
        bool same_kind = gl->kind == ONS_GLOBAL_ENTITY && v.hint == kind;
        bool from_this = (uint32_t)g >= c->globals_mark;
        if (c->opts->repl && same_kind && !from_this) {
            add_pending(c, kind, v.as.index, true, n);
            return;
        }
        if (gl->kind == ONS_GLOBAL_ENTITY)
            compile_error(c, n->text_span, "'%s' is already declared as a %s", n->text,
                    ons_entity_kind_name((OnsEntityKind)v.hint));
        else
            compile_error(c, n->text_span, "'%s' is already declared as a variable", n->text);
        if (gl->src) compile_note(c, gl->src, gl->span, "the first declaration is here");
        return;
    }
    if (strcmp(n->text, "year") == 0) {
        compile_error(c, n->text_span, "'year' is a predeclared name; choose another");
        return;
    }
    uint32_t idx = model_append(c->model, kind);
    OnsEntityInfo *e = model_info(c->model, kind, idx);
    e->name = string_new(c->vm, n->text, n->text_len);
    uint32_t slot = vm_global_add(c->vm, n->text, n->text_len, ONS_GLOBAL_ENTITY);
    c->vm->gvals[slot] = ons_entity(kind, idx);
    c->vm->globals[slot].src = c->src;
    c->vm->globals[slot].span = n->text_span;
    if (vm_builtin(c->vm, n->text, n->text_len))
        compile_warning(c, n->text_span, "%s '%s' hides the built-in function of that name", ons_entity_kind_name(kind),
                  n->text);
    add_pending(c, kind, idx, false, n);
}

void declare_node(OnsCompiler *c, const OnsNode *n, OnsEntityKind kind)
{
    if (kind == ONS_ENT_LANE || kind == ONS_ENT_DEMAND) /* named by what they connect */
        add_pending(c, kind, model_append(c->model, kind), false, n);
    else
        declare_named(c, n, kind);
}

void declare_names(OnsCompiler *c, const OnsNodeList *items)
{
    declare_tables(c, items); /* rows of CSV files (declare_table.c) */
    size_t counts[ONS_ENT_KIND_COUNT + 1] = {0}; /* a large file's entities, room made at once */
    for (const OnsNode *n = items->head; n; n = n->next) counts[kind_of_node(n)]++;
    for (int k = 0; k < ONS_ENT_KIND_COUNT; k++)
        if (counts[k] > 1) model_reserve(c->model, (OnsEntityKind)k, counts[k]);
    for (const OnsNode *n = items->head; n; n = n->next) {
        switch ((OnsNodeKind)n->kind) {
        case AST_STAGES: declare_in_namespace(c, n, ONS_ENT_STAGE); break;
        case AST_CLASSES: declare_in_namespace(c, n, ONS_ENT_CLASS); break;
        case AST_REGION: case AST_GROUP: case AST_MATERIAL: case AST_FACILITY: case AST_POLICY:
        case AST_SCENARIO: case AST_PARAM_DECL:
            declare_named(c, n, kind_of_node(n));
            break;
        default: break;
        }
    }
    /* lanes and demands are named by what they connect, which may be declared anywhere */
    for (const OnsNode *n = items->head; n; n = n->next) {
        if (n->kind != AST_LANE && n->kind != AST_DEMAND) continue;
        OnsEntityKind kind = kind_of_node(n);
        uint32_t idx = model_append(c->model, kind);
        add_pending(c, kind, idx, false, n);
    }
}

/* ---- helpers of pass 2 ---- */

static const char *prop_list(OnsEntityKind kind, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0;; i++) {
        const OnsPropDef *d = model_prop_nth(kind, i);
        if (!d) break;
        len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s", i ? ", " : "", d->name);
        if (len >= n) break;
    }
    return buf;
}

/* "facility", or "option" and "plan" for the property kinds of spec 12. */
static const char *props_kind_name(OnsEntityKind kind)
{
    if ((int)kind == ONS_ENT_OPTION) return "option";
    if ((int)kind == ONS_ENT_PLAN) return "plan";
    return ons_entity_kind_name(kind);
}

static const OnsPropDef *find_prop(OnsCompiler *c, OnsEntityKind kind, const OnsNode *item)
{
    const OnsPropDef *d = model_prop_find(kind, item->text);
    if (d) return d;
    if ((int)kind == ONS_ENT_OPTION && strcmp(item->text, "capacity") == 0) {
        compile_error(c, item->text_span, "an option has no capacity: the plan decides what to build; give its "
                      "`capex` (and `max` or `size` if it has limits)");
        return NULL;
    }
    char list[256];
    prop_list(kind, list, sizeof list);
    OnsClosest near;
    diag_closest_init(&near, item->text, item->text_len);
    for (int i = 0;; i++) {
        const OnsPropDef *p = model_prop_nth(kind, i);
        if (!p) break;
        diag_closest_offer(&near, p->name, strlen(p->name));
    }
    const char *best = near.best;
    if (best)
        compile_error(c, item->text_span, "%s %s has no property '%s'; did you mean '%s'? (its properties: %s)",
                (int)kind == ONS_ENT_OPTION ? "an" : "a", props_kind_name(kind), item->text, best, list);
    else
        compile_error(c, item->text_span, "%s %s has no property '%s' (its properties: %s)",
                (int)kind == ONS_ENT_OPTION ? "an" : "a", props_kind_name(kind), item->text, list);
    return NULL;
}

/* Checks each block item is a property (not a rule or override) known for
 * this kind and given once; returns the properties by id in props[]. */
static void collect_props(OnsCompiler *c, OnsEntityKind kind, const OnsNode *decl, const OnsNode **props)
{
    for (int i = 0; i < ONS_PROP__COUNT; i++) props[i] = NULL;
    for (const OnsNode *it = decl->list.head; it; it = it->next) {
        if (it->kind != AST_PROP) {
            const char *what = it->kind == AST_OVERRIDE ? "a property override (`x.p: v`)"
                             : it->kind == AST_DEMAND ? "a demand"
                             : it->kind == AST_PLAN ? "a plan block"
                             : "a policy rule";
            bool in_scenario = it->kind == AST_OVERRIDE || it->kind == AST_DEMAND || it->kind == AST_PLAN;
            compile_error(c, it->span, "%s belongs in a %s, not in %s %s", what, in_scenario ? "scenario" : "policy",
                    (int)kind == ONS_ENT_OPTION ? "an" : "a", props_kind_name(kind));
            continue;
        }
        const OnsPropDef *d = find_prop(c, kind, it);
        if (!d) continue;
        if (props[d->id]) {
            compile_error(c, it->text_span, "property '%s' is given twice", it->text);
            compile_note(c, c->src, props[d->id]->text_span, "the first one is here");
            continue;
        }
        props[d->id] = it;
    }
}

static char *text_prop(OnsCompiler *c, const OnsNode *prop)
{
    if (!prop) return NULL;
    if (prop->a->kind != AST_STR) {
        compile_error(c, prop->a->span, "'%s' takes a string, like \"IEA 2024\"", prop->text);
        return NULL;
    }
    return ons_strndup(prop->a->text, prop->a->text_len);
}

static void common_props(OnsCompiler *c, OnsEntityInfo *e, const OnsNode **props)
{
    e->source = text_prop(c, props[ONS_PROP_SOURCE]);
    e->note = text_prop(c, props[ONS_PROP_NOTE]);
}

/* A wanted dimension for a message: in the user's units when the caller
 * knows them ("GWh/yr" for a material counted in GWh), else in base units. */
static const char *dim_text_in(OnsDim d, const char *user_units, char *buf, size_t n)
{
    char units[48], words[64];
    if (dim_is_none(d)) {
        snprintf(buf, n, "a plain number or a share");
        return buf;
    }
    snprintf(buf, n, "%s (%s)", user_units ? user_units : dim_base_units(d, units, sizeof units),
             dim_describe(d, words, sizeof words));
    return buf;
}

/* What a value is ("the capacity of f"), for messages and for the name of
 * the function compiled from it; formatted only when one is needed. units:
 * the wanted dimensions in the user's units, where known (or NULL). */
typedef struct What {
    const char *fmt;
    const char *a, *b;
    const char *units[2];
} What;

/* "GWh/yr", "$/GWh", "t/GWh": a unit of the user's material over another. */
static const char *unit_over(char *buf, size_t n, const char *num, const char *den)
{
    /* every property of every declaration names its unit, in case it is
     * wrong: copied, as snprintf cost a twentieth of `import battery` */
    size_t a = strlen(num), b = strlen(den);
    if (a + 1 + b < n) {
        memcpy(buf, num, a);
        buf[a] = '/';
        memcpy(buf + a + 1, den, b);
        buf[a + 1 + b] = '\0';
    } else {
        snprintf(buf, n, "%s/%s", num, den);
    }
    return buf;
}

static const char *what_text(What w, char *buf, size_t n)
{
    snprintf(buf, n, w.fmt, w.a, w.b);
    return buf;
}

/* A per-year property value: a constant, a constant series, or a small
 * function evaluated each simulated year.  want: the dimensions it may have
 * (up to two); nwant 0 when it must be a boolean. */
static OnsValue prop_value(OnsCompiler *c, const OnsNode *e, What w, const OnsDim *want, int nwant,
                           bool boolean)
{
    char what[256];
    OnsSType t = compile_static_type(c, e);
    bool numeric = t.kind == ST_NUM || t.kind == ST_SERIES;
    if (boolean) {
        if (t.kind != ST_ANY && t.kind != ST_BOOL)
            compile_error(c, e->span, "%s must be true or false", what_text(w, what, sizeof what));
    } else if (t.kind != ST_ANY && !numeric) {
        char x[96];
        compile_error(c, e->span, "%s must be a number, not %s", what_text(w, what, sizeof what),
                stype_describe(&t, x, sizeof x));
    } else if (numeric && t.dim_known) {
        bool ok = false;
        for (int i = 0; i < nwant; i++) ok |= dim_eq(t.dim, want[i]);
        if (!ok && nwant > 0) {
            char x[96], y[96], z[96];
            what_text(w, what, sizeof what);
            if (nwant == 2)
                compile_error(c, e->span, "%s must be %s or %s, not %s", what,
                        dim_text_in(want[0], w.units[0], y, sizeof y), dim_text_in(want[1], w.units[1], z, sizeof z),
                        stype_describe(&t, x, sizeof x));
            else
                compile_error(c, e->span, "%s must be %s, not %s", what, dim_text_in(want[0], w.units[0], y, sizeof y),
                        stype_describe(&t, x, sizeof x));
        }
    }
    OnsValue v;
    if (compile_fold_constant(c, e, &v)) return v;
    what_text(w, what, sizeof what);
    /* compile `e` as a function of no arguments, outside any enclosing function */
    OnsFnState *saved = c->fs;
    c->fs = NULL;
    OnsFnState fs;
    compile_fn_begin(c, &fs, what, e->span, false);
    int r = compile_expr_reg(c, e, NULL);
    compile_emit(c, ins_abc(OP_RETURN, (unsigned)r, 0, 0), e->span);
    OnsProto *p = compile_fn_end(c, e->span);
    c->fs = saved;
    return ons_obj_value(&closure_new(c->vm, p)->obj);
}

static OnsDim per_unit(OnsDim top, OnsDim unit)
{
    OnsDim d;
    if (!dim_div(top, unit, &d)) return dim_none();
    return d;
}

static OnsMaterial *material_at(OnsCompiler *c, uint32_t i) { return entity_for(c, ONS_ENT_MATERIAL, i); }

/* ---- materials ---- */

static void material_structure(OnsCompiler *c, OnsPending *p)
{
    OnsMaterial *m = (OnsMaterial *)target(c, p);
    const OnsNode *n = p->node, *props[ONS_PROP__COUNT];
    collect_props(c, ONS_ENT_MATERIAL, n, props);
    set_info(c, &m->e, n);
    common_props(c, &m->e, props);
    const OnsNode *u = props[ONS_PROP_UNIT];
    if (!u) {
        compile_error(c, n->text_span, "material '%s' needs a unit (unit: t, or unit: GWh)", n->text);
    } else if (u->a->kind != AST_IDENT || !unit_is_name(u->a->text, u->a->text_len)) {
        const char *sug = u->a->kind == AST_IDENT ? unit_suggest(u->a->text, u->a->text_len) : NULL;
        if (sug) compile_error(c, u->a->span, "unknown unit '%s'; did you mean '%s'?", u->a->text, sug);
        else compile_error(c, u->a->span, "'unit' takes a unit name such as t or GWh");
    } else {
        bool pct;
        const char *bad;
        unit_parse(u->a->text, u->a->text_len, &m->unit_dim, &m->unit_factor, &pct, &bad);
        snprintf(m->unit, sizeof m->unit, "%s", u->a->text);
        if (dim_is_none(m->unit_dim)) compile_error(c, u->a->span, "a material's unit must measure something (t, GWh)");
    }
    const OnsNode *st = props[ONS_PROP_STAGE];
    if (!st) {
        compile_error(c, n->text_span, "material '%s' needs a stage (stage: refining)", n->text);
    } else if (st->a->kind != AST_IDENT && st->a->kind != AST_STAGE_REF) {
        compile_error(c, st->a->span, "'stage' takes the name of a stage");
    } else {
        int32_t s = model_find_stage(c->model, st->a->text, st->a->text_len);
        if (s < 0) {
            char names[256] = "";
            size_t len = 0;
            for (uint32_t i = 0; i < c->model->nstages && len < sizeof names; i++)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
                                        c->model->stages[i].e.name->chars);
            if (c->model->nstages)
                compile_error(c, st->a->span, "unknown stage '%s' (the stages are: %s)", st->a->text, names);
            else
                compile_error(c, st->a->span, "unknown stage '%s': declare the chain first, e.g. `stages mining, refining`",
                        st->a->text);
        } else {
            m->stage = (uint32_t)s;
        }
    }
    const OnsNode *cl = props[ONS_PROP_CLASSES];
    if (cl) {
        const OnsNode *single = cl->a->kind == AST_IDENT ? cl->a : NULL;
        uint32_t count = single ? 1 : cl->a->kind == AST_LIST ? cl->a->list.len : 0;
        if (!single && cl->a->kind != AST_LIST) compile_error(c, cl->a->span, "'classes' takes a class name or a list of them");
        m->classes = ons_calloc(count ? count : 1, sizeof(uint32_t));
        const OnsNode *it = single ? single : cl->a->list.head;
        for (; it; it = single ? NULL : it->next) {
            int32_t k = it->kind == AST_IDENT ? model_find_class(c->model, it->text, it->text_len) : -1;
            if (k < 0) compile_error(c, it->span, "unknown class '%s'", it->kind == AST_IDENT ? it->text : "?");
            else m->classes[m->nclasses++] = (uint32_t)k;
        }
    }
}

static void material_values(OnsCompiler *c, OnsPending *p)
{
    OnsMaterial *m = (OnsMaterial *)target(c, p);
    const OnsNode *n = p->node, *props[ONS_PROP__COUNT];
    for (int i = 0; i < ONS_PROP__COUNT; i++) props[i] = NULL;
    for (const OnsNode *it = n->list.head; it; it = it->next) {
        const OnsPropDef *d = it->kind == AST_PROP ? model_prop_find(ONS_ENT_MATERIAL, it->text) : NULL;
        if (d && !props[d->id]) props[d->id] = it;
    }
    m->price = ons_nil();
    if (props[ONS_PROP_PRICE]) {
        OnsDim want = per_unit(dim_base(ONS_DIM_MONEY), m->unit_dim);
        char u[64];
        What w = {"the price of %s", n->text, NULL, {m->unit[0] ? unit_over(u, sizeof u, "$", m->unit) : NULL, NULL}};
        /* a material whose unit is wrong has had its error: no second one */
        m->price = prop_value(c, props[ONS_PROP_PRICE]->a, w, &want, dim_is_none(m->unit_dim) ? 0 : 1, false);
    }
    const OnsNode *needs = props[ONS_PROP_NEEDS];
    if (!needs) return;
    if (needs->a->kind != AST_MAP) {
        compile_error(c, needs->a->span, "'needs' takes a map of inputs, like {lithium_hydroxide: 0.7 kt/GWh}");
        return;
    }
    m->needs = ons_calloc(needs->a->list.len ? needs->a->list.len : 1, sizeof(OnsNeed));
    for (const OnsNode *pair = needs->a->list.head; pair; pair = pair->next) {
        uint32_t in;
        if (!compile_resolve_entity(c, pair->a, ONS_ENT_MATERIAL, ONS_ENT_MATERIAL, &in, NULL)) continue;
        for (uint32_t i = 0; i < m->nneeds; i++)
            if (m->needs[i].material == in) compile_error(c, pair->a->span, "input '%s' is listed twice", pair->a->text);
        OnsMaterial *input = material_at(c, in);
        OnsDim want = per_unit(input->unit_dim, m->unit_dim);
        char u[64];
        What w = {"what %s needs of %s", n->text, pair->a->text,
                  {input->unit[0] && m->unit[0] ? unit_over(u, sizeof u, input->unit, m->unit) : NULL, NULL}};
        bool units_known = !dim_is_none(input->unit_dim) && !dim_is_none(m->unit_dim);
        OnsValue v = prop_value(c, pair->b, w, &want, units_known ? 1 : 0, false);
        m->needs[m->nneeds++] = (OnsNeed){in, v};
    }
}

/* needs must point upstream; a cycle is reported as such first. */
static bool needs_path(OnsCompiler *c, uint32_t from, uint32_t to, int depth, uint32_t *path, int *len)
{
    if (depth > 64) return false;
    OnsMaterial *m = material_at(c, from);
    for (uint32_t i = 0; i < m->nneeds; i++) {
        uint32_t next = m->needs[i].material;
        path[depth] = next;
        if (next == to) {
            *len = depth + 1;
            return true;
        }
        if (needs_path(c, next, to, depth + 1, path, len)) return true;
    }
    return false;
}

static void check_needs(OnsCompiler *c, OnsPending *p)
{
    OnsMaterial *m = (OnsMaterial *)target(c, p);
    uint32_t path[70];
    int len = 0;
    if (needs_path(c, p->index, p->index, 0, path, &len)) {
        char text[512];
        size_t n = (size_t)snprintf(text, sizeof text, "%s", m->e.name->chars);
        for (int i = 0; i < len && n < sizeof text; i++)
            n += (size_t)snprintf(text + n, sizeof text - n, " -> %s", material_at(c, path[i])->e.name->chars);
        compile_error(c, m->e.name_span, "'needs' forms a cycle: %s", text);
        return;
    }
    for (uint32_t i = 0; i < m->nneeds; i++) {
        OnsMaterial *in = material_at(c, m->needs[i].material);
        if (in->e.name && in->stage >= m->stage && c->model->nstages) {
            compile_error(c, m->e.name_span,
                    "'needs' must point upstream: %s (stage %s) cannot be an input of %s (stage %s)",
                    in->e.name->chars, c->model->stages[in->stage].e.name->chars, m->e.name->chars,
                    c->model->stages[m->stage].e.name->chars);
        }
    }
}

/* ---- facilities ---- */

static void facility_structure(OnsCompiler *c, OnsPending *p)
{
    OnsFacility *f = (OnsFacility *)target(c, p);
    const OnsNode *n = p->node, *props[ONS_PROP__COUNT];
    bool option = (n->flags & AST_OPTION) != 0;
    const char *kind = option ? "option" : "facility";
    collect_props(c, option ? (OnsEntityKind)ONS_ENT_OPTION : ONS_ENT_FACILITY, n, props);
    set_info(c, &f->e, n);
    common_props(c, &f->e, props);
    f->is_option = option;
    f->makes = UINT32_MAX;
    if (!props[ONS_PROP_REGION]) compile_error(c, n->text_span, "%s '%s' needs a region (region: US)", kind, n->text);
    else compile_resolve_entity(c, props[ONS_PROP_REGION]->a, ONS_ENT_REGION, ONS_ENT_REGION, &f->region, NULL);
    if (!props[ONS_PROP_MAKES]) compile_error(c, n->text_span, "%s '%s' needs to say what it makes (makes: ...)", kind, n->text);
    else if (!compile_resolve_entity(c, props[ONS_PROP_MAKES]->a, ONS_ENT_MATERIAL, ONS_ENT_MATERIAL, &f->makes, NULL))
        f->makes = UINT32_MAX;
    if (option && !props[ONS_PROP_CAPEX])
        compile_error(c, n->text_span, "option '%s' needs its capex, money per unit of yearly capacity "
                      "(capex: 900 M$ / (50 kt/yr))", n->text);
    if (!option && !props[ONS_PROP_CAPACITY]) compile_error(c, n->text_span, "facility '%s' needs a capacity (capacity: 40 kt/yr)", n->text);
}

/* A facility's own recipe (spec 10.1) as a map input material -> amount per
 * unit of output (a constant, series or expression), with the checks of §4:
 * each amount in unit(input)/unit(output), each input upstream of the
 * output (which rules out cycles).  `needs: {}` is an empty map: no inputs. */
static OnsValue facility_recipe_value(OnsCompiler *c, const char *fname, uint32_t makes, const OnsNode *e)
{
    if (e->kind != AST_MAP) {
        compile_error(c, e->span, "'needs' takes a map of inputs, like {black_mass: 2.2 t/t}, or {} for none");
        return ons_nil();
    }
    OnsMap *map = map_new(c->vm);
    OnsValue result = ons_obj_value(&map->obj);
    if (makes == UINT32_MAX) return result; /* what it makes has had its error */
    OnsMaterial *out = material_at(c, makes);
    for (const OnsNode *pair = e->list.head; pair; pair = pair->next) {
        uint32_t in;
        if (!compile_resolve_entity(c, pair->a, ONS_ENT_MATERIAL, ONS_ENT_MATERIAL, &in, NULL)) continue;
        OnsValue key = ons_entity(ONS_ENT_MATERIAL, in), old;
        if (map_get(map, key, &old)) compile_error(c, pair->a->span, "input '%s' is listed twice", pair->a->text);
        OnsMaterial *input = material_at(c, in);
        if (input->e.name && out->e.name && c->model->nstages && input->stage >= out->stage)
            compile_error(c, pair->a->span,
                          "'needs' must point upstream: %s (stage %s) cannot be an input of %s's %s (stage %s)",
                          input->e.name->chars, c->model->stages[input->stage].e.name->chars, fname,
                          out->e.name->chars, c->model->stages[out->stage].e.name->chars);
        OnsDim want = per_unit(input->unit_dim, out->unit_dim);
        char u[64];
        What w = {"what %s needs of %s", fname, pair->a->text,
                  {input->unit[0] && out->unit[0] ? unit_over(u, sizeof u, input->unit, out->unit) : NULL, NULL}};
        bool units_known = !dim_is_none(input->unit_dim) && !dim_is_none(out->unit_dim);
        map_set(map, key, prop_value(c, pair->b, w, &want, units_known ? 1 : 0, false));
    }
    return result;
}

/* Compiles a per-year property of a facility (also used by overrides),
 * checking its dimension by the rule props.def gives it. */
static OnsValue facility_prop_value(OnsCompiler *c, const char *fname, uint32_t makes, const OnsPropDef *d,
                                    const OnsNode *e)
{
    What what = {"the %s of %s", d->name, fname, {NULL, NULL}};
    const char *uname = makes != UINT32_MAX && material_at(c, makes)->unit[0] ? material_at(c, makes)->unit : NULL;
    char u[64];
    OnsDim unit = makes != UINT32_MAX ? material_at(c, makes)->unit_dim : dim_none();
    OnsDim time = dim_base(ONS_DIM_TIME), want;
    bool know_unit = makes != UINT32_MAX && !dim_is_none(unit);
    switch ((OnsPropRule)d->rule) {
    case ONS_PR_RATE:
        want = per_unit(unit, time);
        if (uname) what.units[0] = unit_over(u, sizeof u, uname, "yr");
        return prop_value(c, e, what, &want, know_unit ? 1 : 0, false);
    case ONS_PR_SHARE:
        want = dim_none();
        return prop_value(c, e, what, &want, 1, false);
    case ONS_PR_MONEY_PER_UNIT:
        want = per_unit(dim_base(ONS_DIM_MONEY), unit);
        if (uname) what.units[0] = unit_over(u, sizeof u, "$", uname);
        return prop_value(c, e, what, &want, know_unit ? 1 : 0, false);
    case ONS_PR_TIME:
        return prop_value(c, e, what, &time, 1, false);
    case ONS_PR_BOOL:
        return prop_value(c, e, what, NULL, 0, true);
    case ONS_PR_NEEDS_MAP:
        return facility_recipe_value(c, fname, makes, e);
    case ONS_PR_CAPEX:
        want = per_unit(dim_base(ONS_DIM_MONEY), per_unit(unit, time));
        if (uname) {
            char den[48];
            snprintf(den, sizeof den, "(%s/yr)", uname);
            what.units[0] = unit_over(u, sizeof u, "$", den);
        }
        return prop_value(c, e, what, &want, know_unit ? 1 : 0, false);
    case ONS_PR_YEAR: {
        OnsDim none = dim_none();
        OnsValue v = prop_value(c, e, what, &none, 1, false);
        if (v.type == ONS_T_NUM && (v.as.num != floor(v.as.num) || v.as.num < 1 || v.as.num > 9999))
            compile_error(c, e->span, "%s must be a year, like 2026", what_text(what, u, sizeof u));
        return v;
    }
    default:
        return ons_nil();
    }
}

/* An option's own values (spec 12): capex, lead, max, from, size. */
static void option_values(OnsCompiler *c, OnsFacility *f, const OnsNode *n)
{
    OnsValue *slot[] = {&f->option.capex, &f->option.lead, &f->option.max, &f->option.from, &f->option.size};
    const uint8_t ids[] = {ONS_PROP_CAPEX, ONS_PROP_LEAD, ONS_PROP_MAX, ONS_PROP_FROM_YEAR, ONS_PROP_SIZE};
    for (size_t k = 0; k < ONS_ARRAY_LEN(slot); k++) *slot[k] = ons_nil();
    for (const OnsNode *it = n->list.head; it; it = it->next) {
        const OnsPropDef *d = it->kind == AST_PROP ? model_prop_find((OnsEntityKind)ONS_ENT_OPTION, it->text) : NULL;
        if (!d) continue;
        for (size_t k = 0; k < ONS_ARRAY_LEN(slot); k++)
            if (d->id == ids[k]) *slot[k] = facility_prop_value(c, n->text, f->makes, d, it->a);
        if (d->id == ONS_PROP_LEAD && f->option.lead.type == ONS_T_NUM &&
            (f->option.lead.as.num != floor(f->option.lead.as.num) || f->option.lead.as.num < 0))
            compile_error(c, it->a->span, "the lead time of option %s must be whole years (lead: 2 yr)", n->text);
    }
}

/* feeds: the facilities a facility supplies first (spec 10.3), resolved
 * now and checked once every facility has its recipe (check_feeds). */
static void facility_feeds(OnsCompiler *c, OnsFacility *f, const OnsNode *e)
{
    const OnsNode *single = e->kind == AST_IDENT ? e : NULL;
    if (!single && e->kind != AST_LIST) {
        compile_error(c, e->span, "'feeds' takes a facility or a list of facilities");
        return;
    }
    uint32_t n = single ? 1 : e->list.len;
    ons_free(f->feeds);
    f->feeds = ons_calloc(n ? n : 1, sizeof(uint32_t));
    f->nfeeds = 0;
    for (const OnsNode *it = single ? single : e->list.head; it; it = single ? NULL : it->next) {
        uint32_t idx;
        if (!compile_resolve_entity(c, it, ONS_ENT_FACILITY, ONS_ENT_FACILITY, &idx, NULL)) continue;
        for (uint32_t k = 0; k < f->nfeeds; k++)
            if (f->feeds[k] == idx) compile_error(c, it->span, "'%s' is fed twice", it->text);
        f->feeds[f->nfeeds++] = idx;
    }
}

static void facility_values(OnsCompiler *c, OnsPending *p)
{
    OnsFacility *f = (OnsFacility *)target(c, p);
    const OnsNode *n = p->node;
    for (int k = 0; k < ONS_FP_COUNT; k++) f->per_year[k] = ons_nil();
    for (const OnsNode *it = n->list.head; it; it = it->next) {
        const OnsPropDef *d = it->kind == AST_PROP ? model_prop_find(ONS_ENT_FACILITY, it->text) : NULL;
        if (d && d->slot >= 0) f->per_year[d->slot] = facility_prop_value(c, n->text, f->makes, d, it->a);
        if (d && d->id == ONS_PROP_FEEDS) facility_feeds(c, f, it->a);
    }
    if (f->is_option) option_values(c, f, n);
}

/* Does facility g's recipe (its own, or its material's) take material m? */
static bool recipe_takes(OnsCompiler *c, const OnsFacility *g, uint32_t m)
{
    OnsValue own = g->per_year[ONS_FP_RECIPE], v;
    if (ons_is_obj(own, ONS_OBJ_MAP)) return map_get(ONS_AS_MAP(own), ons_entity(ONS_ENT_MATERIAL, m), &v);
    if (g->makes >= c->model->nmaterials) return false;
    const OnsMaterial *out = material_at(c, g->makes);
    for (uint32_t i = 0; i < out->nneeds; i++)
        if (out->needs[i].material == m) return true;
    return false;
}

/* Only a facility whose recipe takes the feeder's material can be fed. */
static void check_feeds(OnsCompiler *c, OnsPending *p)
{
    OnsFacility *f = (OnsFacility *)target(c, p);
    if (f->makes >= c->model->nmaterials) return;
    const char *made = material_at(c, f->makes)->e.name->chars;
    for (const OnsNode *it = p->node->list.head; it; it = it->next) {
        const OnsPropDef *d = it->kind == AST_PROP ? model_prop_find(ONS_ENT_FACILITY, it->text) : NULL;
        if (!d || d->id != ONS_PROP_FEEDS) continue;
        const OnsNode *single = it->a->kind == AST_IDENT ? it->a : NULL;
        const OnsNode *first = single ? single : ast_list_first(it->a); /* not a list: reported already */
        for (const OnsNode *x = first; x; x = single ? NULL : x->next) {
            uint32_t idx;
            if (!compile_resolve_entity(c, x, ONS_ENT_FACILITY, ONS_ENT_FACILITY, &idx, NULL)) continue;
            OnsFacility *g = entity_for(c, ONS_ENT_FACILITY, idx);
            if (!recipe_takes(c, g, f->makes))
                compile_error(c, x->span, "%s cannot feed %s: %s's recipe takes no %s", f->e.name->chars,
                              g->e.name->chars, g->e.name->chars, made);
        }
    }
}

/* ---- regions, groups ---- */

static void region_decl(OnsCompiler *c, OnsPending *p)
{
    OnsRegion *r = (OnsRegion *)target(c, p);
    const OnsNode *props[ONS_PROP__COUNT];
    collect_props(c, ONS_ENT_REGION, p->node, props);
    set_info(c, &r->e, p->node);
    common_props(c, &r->e, props);
}

static void group_add(OnsGroup *g, uint32_t region, uint32_t cap)
{
    for (uint32_t i = 0; i < g->nmembers; i++)
        if (g->members[i] == region) return;
    if (g->nmembers < cap) g->members[g->nmembers++] = region;
}

static void group_decl(OnsCompiler *c, OnsPending *p)
{
    OnsGroup *g = (OnsGroup *)target(c, p);
    const OnsNode *n = p->node, *props[ONS_PROP__COUNT];
    collect_props(c, ONS_ENT_GROUP, n, props);
    set_info(c, &g->e, n);
    common_props(c, &g->e, props);
    if (!n->a || n->a->kind != AST_LIST) {
        compile_error(c, n->a ? n->a->span : n->span, "a group is a list of regions, like [US, CA, MX]");
        return;
    }
    uint32_t cap = c->model->nregions + 1;
    g->members = ons_calloc(cap, sizeof(uint32_t));
    for (const OnsNode *it = n->a->list.head; it; it = it->next) {
        uint32_t idx;
        OnsEntityKind got;
        if (!compile_resolve_entity(c, it, ONS_ENT_REGION, ONS_ENT_GROUP, &idx, &got)) continue;
        if (got == ONS_ENT_REGION) {
            group_add(g, idx, cap);
        } else if (idx == p->index) {
            compile_error(c, it->span, "group '%s' cannot contain itself", n->text);
        } else {
            OnsGroup *other = entity_for(c, ONS_ENT_GROUP, idx);
            if (!other->members) { /* declared below, or its own declaration failed */
                if (idx > p->index)
                    compile_error(c, it->span, "group '%s' is declared below; declare it before '%s'", it->text, n->text);
                continue;
            }
            for (uint32_t i = 0; i < other->nmembers; i++) group_add(g, other->members[i], cap);
        }
    }
}

/* ---- lanes and demands ---- */

static int32_t endpoint(OnsCompiler *c, const OnsNode *e)
{
    if (e->kind == AST_STAR) return ONS_ANY_REGION;
    uint32_t idx;
    if (!compile_resolve_entity(c, e, ONS_ENT_REGION, ONS_ENT_REGION, &idx, NULL)) return ONS_ANY_REGION;
    return (int32_t)idx;
}

static void lane_decl(OnsCompiler *c, OnsPending *p)
{
    OnsLane *l = (OnsLane *)target(c, p);
    const OnsNode *n = p->node, *props[ONS_PROP__COUNT];
    collect_props(c, ONS_ENT_LANE, n, props);
    set_info(c, &l->e, n);
    common_props(c, &l->e, props);
    l->from = endpoint(c, n->a);
    l->to = endpoint(c, n->b);
    char name[160];
    snprintf(name, sizeof name, "%s -> %s", l->from < 0 ? "*" : model_name(c->model, ONS_ENT_REGION, (uint32_t)l->from),
             l->to < 0 ? "*" : model_name(c->model, ONS_ENT_REGION, (uint32_t)l->to));
    l->e.name = string_cstr(c->vm, name);
    for (uint32_t i = 0; i < c->model->nlanes; i++) {
        OnsLane *o = &c->model->lanes[i];
        if (i == p->index || !o->e.name || o->from != l->from || o->to != l->to) continue;
        if (c->opts->repl && i < c->model_mark.n[ONS_ENT_LANE]) {
            p->clears = (int64_t)i; /* the REPL replaces: the old lane goes at commit */
            continue;
        }
        if (i < p->index) {
            compile_error(c, n->span, "lane %s is already declared", name);
            if (o->e.src) compile_note(c, o->e.src, o->e.span, "the first declaration is here");
        }
    }
    What what = {"the cost of lane %s", name, NULL, {NULL, NULL}};
    OnsDim none = dim_none(), time = dim_base(ONS_DIM_TIME), days[2] = {none, time};
    l->cost = props[ONS_PROP_LANE_COST] ? prop_value(c, props[ONS_PROP_LANE_COST]->a, what, &none, 1, false) : ons_nil();
    what.fmt = "the transit time of lane %s";
    l->days = props[ONS_PROP_DAYS] ? prop_value(c, props[ONS_PROP_DAYS]->a, what, days, 2, false) : ons_nil();
}

static OnsValue demand_value(OnsCompiler *c, const OnsNode *e, uint32_t region, uint32_t material)
{
    const char *uname = material_at(c, material)->unit[0] ? material_at(c, material)->unit : NULL;
    char u[64];
    What what = {"the demand of %s for %s", model_name(c->model, ONS_ENT_REGION, region),
                 material_at(c, material)->e.name->chars, {uname, uname ? unit_over(u, sizeof u, uname, "yr") : NULL}};
    OnsDim unit = material_at(c, material)->unit_dim, rate = per_unit(unit, dim_base(ONS_DIM_TIME));
    OnsDim want[2] = {unit, rate};
    return prop_value(c, e, what, want, dim_is_none(unit) ? 0 : 2, false);
}

static void demand_decl(OnsCompiler *c, OnsPending *p)
{
    OnsDemand *d = (OnsDemand *)target(c, p);
    const OnsNode *n = p->node, *props[ONS_PROP__COUNT];
    collect_props(c, ONS_ENT_DEMAND, n, props);
    set_info(c, &d->e, n);
    common_props(c, &d->e, props);
    bool ok = compile_resolve_entity(c, n->a, ONS_ENT_REGION, ONS_ENT_REGION, &d->region, NULL);
    ok &= compile_resolve_entity(c, n->b, ONS_ENT_MATERIAL, ONS_ENT_MATERIAL, &d->material, NULL);
    if (!ok) return;
    char name[160];
    snprintf(name, sizeof name, "%s %s", n->a->text, n->b->text);
    d->e.name = string_cstr(c->vm, name);
    for (uint32_t i = 0; i < c->model->ndemands; i++) {
        OnsDemand *o = &c->model->demands[i];
        if (i == p->index || !o->e.name || o->region != d->region || o->material != d->material) continue;
        if (c->opts->repl && i < c->model_mark.n[ONS_ENT_DEMAND]) {
            p->clears = (int64_t)i;
            continue;
        }
        if (i < p->index) {
            compile_error(c, n->span, "the demand of %s for %s is already declared", n->a->text, n->b->text);
            if (o->e.src) compile_note(c, o->e.src, o->e.span, "the first declaration is here");
        }
    }
    d->amount = demand_value(c, n->c, d->region, d->material);
}

/* ---- policies ---- */

static bool region_set(OnsCompiler *c, const OnsNode *e, OnsRegionSet *out)
{
    memset(out, 0, sizeof *out);
    if (!e || e->kind == AST_STAR) {
        out->kind = ONS_RSET_ALL;
        return true;
    }
    if (e->kind == AST_IDENT) {
        uint32_t idx;
        OnsEntityKind got;
        if (!compile_resolve_entity(c, e, ONS_ENT_REGION, ONS_ENT_GROUP, &idx, &got)) return false;
        out->kind = got == ONS_ENT_GROUP ? ONS_RSET_GROUP : ONS_RSET_REGION;
        out->index = idx;
        return true;
    }
    out->kind = ONS_RSET_LIST;
    out->list = ons_calloc(e->list.len ? e->list.len : 1, sizeof(uint32_t));
    out->list_is_group = ons_calloc(e->list.len ? e->list.len : 1, 1);
    for (const OnsNode *it = e->list.head; it; it = it->next) {
        uint32_t idx;
        OnsEntityKind got;
        if (!compile_resolve_entity(c, it, ONS_ENT_REGION, ONS_ENT_GROUP, &idx, &got)) return false;
        out->list_is_group[out->n] = got == ONS_ENT_GROUP;
        out->list[out->n++] = idx;
    }
    return true;
}

static void bounds(OnsCompiler *c, OnsRule *r, const OnsNode *b)
{
    if (!b) return;
    if (b->flags & AST_HAS_FROM) {
        r->has_from = true;
        r->year_from = (int32_t)b->num;
    }
    if (b->flags & AST_HAS_UNTIL) {
        r->has_until = true;
        r->year_until = (int32_t)b->num2;
    }
    if (r->has_from && r->has_until && r->year_until < r->year_from)
        compile_error(c, b->span, "this rule ends (%d) before it starts (%d)", r->year_until, r->year_from);
}

/* Per-unit amounts (a tariff of 5 $/t) must fit every material selected. */
static OnsValue rule_amount(OnsCompiler *c, const OnsNode *e, const OnsSelector *sel, What w)
{
    char what[256];
    OnsSType t = compile_static_type(c, e);
    if ((t.kind == ST_NUM || t.kind == ST_SERIES) && t.dim_known && !dim_is_none(t.dim)) {
        for (uint32_t m = 0; m < c->model->nmaterials; m++) {
            OnsMaterial *mat = material_at(c, m);
            if (!mat->e.name || dim_is_none(mat->unit_dim) || !model_selector_matches(c->model, sel, m)) continue;
            OnsDim want = per_unit(dim_base(ONS_DIM_MONEY), mat->unit_dim);
            if (!dim_eq(want, t.dim)) {
                char x[96], y[96];
                char u[64];
                compile_error(c, e->span, "%s is %s, but %s is counted in %s: a per-unit amount must be %s",
                        what_text(w, what, sizeof what), stype_describe(&t, x, sizeof x), mat->e.name->chars, mat->unit,
                        dim_text_in(want, mat->unit[0] ? unit_over(u, sizeof u, "$", mat->unit) : NULL, y, sizeof y));
                return ons_nil();
            }
        }
        return prop_value(c, e, w, &t.dim, 1, false);
    }
    OnsDim none = dim_none();
    return prop_value(c, e, w, &none, (t.kind == ST_ANY) ? 0 : 1, false);
}

/* A quota's rate (spec 10.2): a rate in the unit of the materials it covers,
 * which must share one unit family; *unit gets that family.  Nil after an
 * error. */
static OnsValue quota_rate(OnsCompiler *c, const OnsNode *e, const OnsSelector *sel, What w, OnsDim *unit)
{
    const OnsMaterial *first = NULL;
    for (uint32_t m = 0; m < c->model->nmaterials; m++) {
        OnsMaterial *mat = material_at(c, m);
        if (!mat->e.name || !model_selector_matches(c->model, sel, m)) continue;
        if (!first) first = mat;
        else if (!dim_eq(first->unit_dim, mat->unit_dim)) {
            compile_error(c, e->span, "a quota caps one amount, so the materials it covers must share a unit: "
                                      "%s is counted in %s, %s in %s",
                          first->e.name->chars, first->unit, mat->e.name->chars, mat->unit);
            return ons_nil();
        }
    }
    if (!first) {
        compile_error(c, e->span, "this quota covers no material");
        return ons_nil();
    }
    *unit = first->unit_dim;
    OnsDim want = per_unit(first->unit_dim, dim_base(ONS_DIM_TIME));
    char u[64];
    if (first->unit[0]) w.units[0] = unit_over(u, sizeof u, first->unit, "yr");
    return prop_value(c, e, w, &want, 1, false);
}

static void policy_decl(OnsCompiler *c, OnsPending *p)
{
    OnsPolicy *pol = (OnsPolicy *)target(c, p);
    const OnsNode *n = p->node;
    set_info(c, &pol->e, n);
    pol->rules = ons_calloc(n->list.len ? n->list.len : 1, sizeof(OnsRule));
    for (const OnsNode *it = n->list.head; it; it = it->next) {
        if (it->kind == AST_PROP) {
            const OnsPropDef *d = model_prop_find(ONS_ENT_POLICY, it->text);
            if (d && d->id == ONS_PROP_SOURCE) pol->e.source = text_prop(c, it);
            else if (d && d->id == ONS_PROP_NOTE) pol->e.note = text_prop(c, it);
            else compile_error(c, it->text_span, "a policy holds rules (tariff, credit, ban, quota, require) and "
                                                 "source/note, not '%s'", it->text);
            continue;
        }
        if (it->kind != AST_TARIFF && it->kind != AST_CREDIT && it->kind != AST_BAN && it->kind != AST_REQUIRE &&
            it->kind != AST_QUOTA) {
            compile_error(c, it->span, "a policy holds rules: tariff, credit, ban, quota or require");
            continue;
        }
        OnsRule *r = &pol->rules[pol->nrules++];
        r->src = c->src;
        r->span = it->span;
        r->value = ons_nil();
        bool ok = compile_selector(c, it->b, &r->sel);
        bounds(c, r, it->e);
        What what = {"the %s rate in policy %s", ast_kind_name((OnsNodeKind)it->kind), n->text, {NULL, NULL}};
        switch ((OnsNodeKind)it->kind) {
        case AST_TARIFF:
            r->kind = ONS_RULE_TARIFF;
            bool from_ok = region_set(c, it->c, &r->from); /* both, so both errors show */
            bool to_ok = region_set(c, it->d, &r->to);
            ok = ok && from_ok && to_ok;
            if (ok) r->value = rule_amount(c, it->a, &r->sel, what);
            break;
        case AST_CREDIT:
            r->kind = ONS_RULE_CREDIT;
            what = (What){"the credit in policy %s", n->text, NULL, {NULL, NULL}};
            ok &= region_set(c, it->c, &r->from);
            region_set(c, NULL, &r->to);
            if (ok) r->value = rule_amount(c, it->a, &r->sel, what);
            break;
        case AST_BAN:
            r->kind = ONS_RULE_BAN;
            region_set(c, it->c, &r->from);
            region_set(c, it->d, &r->to);
            break;
        case AST_QUOTA: {
            r->kind = ONS_RULE_QUOTA;
            bool q_from = region_set(c, it->c, &r->from), q_to = region_set(c, it->d, &r->to);
            what = (What){"the quota in policy %s", n->text, NULL, {NULL, NULL}};
            if (ok && q_from && q_to) r->value = quota_rate(c, it->a, &r->sel, what, &r->unit);
            /* every quota of a policy shares one unit family: quota_used adds them up */
            for (uint32_t k = 0; k + 1 < pol->nrules && !ONS_IS_NIL(r->value); k++) {
                const OnsRule *q = &pol->rules[k];
                if (q->kind == ONS_RULE_QUOTA && !ONS_IS_NIL(q->value) && !dim_eq(q->unit, r->unit)) {
                    char a[48], b[48];
                    compile_error(c, it->a->span, "the quotas of one policy must share a unit: an earlier quota "
                                                  "of %s counts %s, this one %s",
                                  n->text, dim_describe(q->unit, a, sizeof a), dim_describe(r->unit, b, sizeof b));
                    break;
                }
            }
            break;
        }
        default: {
            r->kind = ONS_RULE_REQUIRE;
            r->metric = it->op == AST_M_SHARE ? ONS_METRIC_SHARE : it->op == AST_M_RECYCLED ? ONS_METRIC_RECYCLED
                      : it->op == AST_M_TOP_ORIGIN ? ONS_METRIC_TOP_ORIGIN : ONS_METRIC_LOCALIZATION;
            switch ((OnsOp)it->op2) {
            case AST_EQ: r->cmp = ONS_CMP_EQ; break;
            case AST_NE: r->cmp = ONS_CMP_NE; break;
            case AST_LT: r->cmp = ONS_CMP_LT; break;
            case AST_LE: r->cmp = ONS_CMP_LE; break;
            case AST_GT: r->cmp = ONS_CMP_GT; break;
            default: r->cmp = ONS_CMP_GE; break;
            }
            if (r->metric == ONS_METRIC_SHARE) region_set(c, it->c, &r->from);
            else region_set(c, NULL, &r->from);
            region_set(c, NULL, &r->to);
            compile_resolve_entity(c, it->d, ONS_ENT_REGION, ONS_ENT_REGION, &r->region, NULL);
            OnsDim none = dim_none();
            what = (What){"the target of a require rule in policy %s", n->text, NULL, {NULL, NULL}};
            r->value = prop_value(c, it->a, what, &none, 1, false);
            break;
        }
        }
    }
}

/* ---- scenarios ---- */

static void scenario_years(OnsCompiler *c, OnsScenario *s, const OnsNode *e)
{
    OnsValue a, b;
    if (e->kind != AST_BINARY || e->op != AST_RANGE || !compile_fold_constant(c, e->a, &a) ||
        !compile_fold_constant(c, e->b, &b) || a.type != ONS_T_NUM || b.type != ONS_T_NUM ||
        !dim_is_none(a.dim) || !dim_is_none(b.dim) || a.as.num != floor(a.as.num) || b.as.num != floor(b.as.num)) {
        compile_error(c, e->span, "'years' takes a range of whole years, like 2024..2035");
        return;
    }
    if (b.as.num < a.as.num) {
        compile_error(c, e->span, "the years run backwards: %g..%g", a.as.num, b.as.num);
        return;
    }
    if (a.as.num < 1 || b.as.num > 9999 || b.as.num - a.as.num >= 500) {
        compile_error(c, e->span, "'years' must lie within 1..9999 and span at most 500 years");
        return;
    }
    s->has_years = true;
    s->year_from = (int32_t)a.as.num;
    s->year_until = (int32_t)b.as.num;
}

static void scenario_use(OnsCompiler *c, OnsScenario *s, const OnsNode *e)
{
    const OnsNode *single = e->kind == AST_IDENT ? e : NULL;
    if (!single && e->kind != AST_LIST) {
        compile_error(c, e->span, "'use' takes a policy or a list of policies");
        return;
    }
    uint32_t n = single ? 1 : e->list.len;
    s->use = ons_calloc(n ? n : 1, sizeof(uint32_t));
    for (const OnsNode *it = single ? single : e->list.head; it; it = single ? NULL : it->next) {
        uint32_t idx;
        if (compile_resolve_entity(c, it, ONS_ENT_POLICY, ONS_ENT_POLICY, &idx, NULL)) s->use[s->nuse++] = idx;
    }
}

static void add_override(OnsScenario *s, OnsOverride o)
{
    size_t cap = s->noverrides;
    /* overrides arrays are exact-size: grow by one */
    OnsOverride *arr = ons_realloc(s->overrides, (cap + 1) * sizeof(OnsOverride));
    arr[cap] = o;
    s->overrides = arr;
    s->noverrides++;
}

static void scenario_override(OnsCompiler *c, OnsScenario *s, const OnsNode *it)
{
    uint32_t idx;
    OnsEntityKind got;
    if (!compile_resolve_entity(c, it->a, ONS_ENT_FACILITY, ONS_ENT_MATERIAL, &idx, &got)) return;
    const OnsPropDef *d = model_prop_find(got, it->text);
    if (!d || !d->per_year || d->id == ONS_PROP_NEEDS) {
        compile_error(c, it->text_span, "a scenario can change %s of a %s, not '%s'",
                got == ONS_ENT_FACILITY ? "capacity, utilization, cost, qualify, recycled or needs" : "the price",
                ons_entity_kind_name(got), it->text);
        return;
    }
    OnsOverride o;
    memset(&o, 0, sizeof o);
    o.kind = (uint8_t)got;
    o.prop = d->id;
    o.index = idx;
    o.src = c->src;
    o.span = it->span;
    if (got == ONS_ENT_FACILITY) {
        OnsFacility *f = entity_for(c, ONS_ENT_FACILITY, idx);
        o.value = facility_prop_value(c, f->e.name->chars, f->makes, d, it->b);
    } else {
        OnsMaterial *m = material_at(c, idx);
        OnsDim want = per_unit(dim_base(ONS_DIM_MONEY), m->unit_dim);
        char u[64];
        What w = {"the price of %s", m->e.name->chars, NULL, {m->unit[0] ? unit_over(u, sizeof u, "$", m->unit) : NULL, NULL}};
        o.value = prop_value(c, it->b, w, &want, dim_is_none(m->unit_dim) ? 0 : 1, false);
    }
    add_override(s, o);
}

/* ---- params (spec 11) ---- */

/* A constant argument of a distribution (evaluated once, here). */
static bool dist_arg(OnsCompiler *c, const OnsNode *e, double *out, OnsDim *dim, uint8_t *hint)
{
    OnsValue v;
    if (!compile_fold_constant(c, e, &v) || v.type != ONS_T_NUM) {
        compile_error(c, e->span, "a distribution's arguments are numbers known where it is written (they may "
                                  "not read params or variables)");
        return false;
    }
    *out = v.as.num;
    *dim = v.dim;
    if (hint) *hint = v.hint;
    return true;
}

/* A param's distribution: uniform(a, b), triangular(low, mode, high),
 * normal(mean, sd), lognormal(median, s), choice {v: p, ...}; with
 * allow_fixed (a scenario's `param p: 2 yr`), a plain value too.  `want`
 * is the param's dimension when known (a scenario's must match it). */
static bool compile_dist(OnsCompiler *c, const OnsNode *e, bool allow_fixed, const OnsDim *want, OnsDist *d)
{
    memset(d, 0, sizeof *d);
    static const struct { const char *name; uint8_t kind; uint32_t nargs; } kinds[] = {
        {"uniform", ONS_DIST_UNIFORM, 2}, {"triangular", ONS_DIST_TRIANGULAR, 3},
        {"normal", ONS_DIST_NORMAL, 2}, {"lognormal", ONS_DIST_LOGNORMAL, 2},
    };
    int kind = -1;
    for (size_t i = 0; i < ONS_ARRAY_LEN(kinds) && e->kind == AST_CALL && e->a->kind == AST_IDENT; i++)
        if (strcmp(e->a->text, kinds[i].name) == 0) kind = (int)i;
    if (kind >= 0) {
        if (e->list.len != kinds[kind].nargs) {
            compile_error(c, e->span, "%s takes %u arguments", kinds[kind].name, kinds[kind].nargs);
            return false;
        }
        double v[3] = {0, 0, 0};
        OnsDim dims[3] = {dim_none(), dim_none(), dim_none()};
        uint8_t hint = 0;
        uint32_t i = 0;
        for (const OnsNode *a = e->list.head; a; a = a->next, i++)
            if (!dist_arg(c, a->a, &v[i], &dims[i], i == 0 ? &hint : NULL)) return false;
        d->kind = kinds[kind].kind;
        d->a = v[0];
        d->b = v[1];
        d->c = v[2];
        d->dim = dims[0];
        d->hint = hint;
        uint32_t same = d->kind == ONS_DIST_LOGNORMAL ? 1 : kinds[kind].nargs; /* lognormal's s is a plain number */
        for (i = 1; i < same; i++)
            if (!dim_eq(dims[i], dims[0])) {
                compile_error(c, e->span, "the arguments of %s must share one dimension", kinds[kind].name);
                return false;
            }
        const char *bad = NULL;
        if (d->kind == ONS_DIST_UNIFORM && !(d->a <= d->b)) bad = "uniform(a, b) needs a <= b";
        if (d->kind == ONS_DIST_TRIANGULAR && !(d->a <= d->b && d->b <= d->c && d->a < d->c))
            bad = "triangular(low, mode, high) needs low <= mode <= high and low < high";
        if (d->kind == ONS_DIST_NORMAL && !(d->b >= 0)) bad = "normal(mean, sd) needs sd >= 0";
        if (d->kind == ONS_DIST_LOGNORMAL && !(dim_is_none(dims[1]) && d->b >= 0))
            bad = "lognormal(median, s) needs a plain s >= 0";
        if (bad) {
            compile_error(c, e->span, "%s", bad);
            return false;
        }
    } else if (e->kind == AST_CHOICE) {
        d->kind = ONS_DIST_CHOICE;
        d->values = ons_calloc(e->list.len + 1, sizeof(double));
        d->probs = ons_calloc(e->list.len + 1, sizeof(double));
        double sum = 0;
        for (const OnsNode *pair = e->list.head; pair; pair = pair->next) {
            OnsDim vd, pd;
            uint8_t hint = 0;
            double v, prob;
            if (!dist_arg(c, pair->a, &v, &vd, &hint) || !dist_arg(c, pair->b, &prob, &pd, NULL)) return false;
            if (d->n == 0) {
                d->dim = vd;
                d->hint = hint;
            } else if (!dim_eq(vd, d->dim)) {
                compile_error(c, pair->a->span, "the values of a choice must share one dimension");
                return false;
            }
            if (!dim_is_none(pd) || prob < 0 || prob > 1) {
                compile_error(c, pair->b->span, "a probability is a share from 0%% to 100%%");
                return false;
            }
            d->values[d->n] = v;
            d->probs[d->n++] = prob;
            sum += prob;
        }
        if (d->n == 0 || fabs(sum - 1) > 1e-9) {
            compile_error(c, e->span, "the probabilities of a choice must add up to 100%% (they add up to %.10g%%)",
                          sum * 100);
            return false;
        }
    } else if (allow_fixed) {
        d->kind = ONS_DIST_FIXED;
        if (!dist_arg(c, e, &d->a, &d->dim, &d->hint)) return false;
    } else {
        compile_error(c, e->span, "a param is a distribution: uniform(a, b), triangular(low, mode, high), "
                                  "normal(mean, sd), lognormal(median, s) or choice {v: p, ...}");
        return false;
    }
    if (want && !dim_eq(*want, d->dim)) {
        char a[64], b[64];
        compile_error(c, e->span, "this param is %s, so its distribution must be too, not %s",
                      dim_describe(*want, a, sizeof a), dim_describe(d->dim, b, sizeof b));
        return false;
    }
    return true;
}

static void param_decl(OnsCompiler *c, OnsPending *p)
{
    OnsParam *pa = (OnsParam *)target(c, p);
    const OnsNode *n = p->node, *props[ONS_PROP__COUNT];
    collect_props(c, ONS_ENT_PARAM, n, props);
    set_info(c, &pa->e, n);
    common_props(c, &pa->e, props);
    if (!compile_dist(c, n->a, false, NULL, &pa->dist)) model_dist_free(&pa->dist);
}

/* A scenario's `param NAME: DIST` replaces the distribution, keeping the
 * param's number; `param NAME: value` fixes it (spec 11.1). */
static void scenario_param(OnsCompiler *c, OnsScenario *s, const OnsNode *it)
{
    OnsNode id = ast_copy(it);
    id.kind = AST_IDENT;
    id.span = it->text_span;
    uint32_t idx;
    if (!compile_resolve_entity(c, &id, ONS_ENT_PARAM, ONS_ENT_PARAM, &idx, NULL)) return;
    const OnsParam *pa = entity_for(c, ONS_ENT_PARAM, idx);
    OnsDist d;
    if (!compile_dist(c, it->a, true, &pa->dist.dim, &d)) {
        model_dist_free(&d);
        return;
    }
    for (uint32_t i = 0; i < s->nparams; i++)
        if (s->params[i].param == idx) {
            compile_error(c, it->text_span, "param '%s' is changed twice in this scenario", it->text);
            model_dist_free(&d);
            return;
        }
    s->params = ons_realloc(s->params, (s->nparams + 1) * sizeof *s->params);
    s->params[s->nparams++] = (OnsParamOverride){idx, d};
}

/* A list of entities of one kind for a plan block: a name or a list. */
static uint32_t *plan_list(OnsCompiler *c, const OnsNode *e, OnsEntityKind kind, const char *what, uint32_t *n)
{
    const OnsNode *single = e->kind == AST_IDENT ? e : NULL;
    *n = 0;
    if (!single && e->kind != AST_LIST) {
        compile_error(c, e->span, "'%s' takes a %s or a list of them", what, kind == ONS_ENT_POLICY ? "policy" : "option");
        return NULL;
    }
    uint32_t *out = ons_calloc((single ? 1 : e->list.len) + 1, sizeof(uint32_t));
    for (const OnsNode *it = single ? single : e->list.head; it; it = single ? NULL : it->next) {
        uint32_t idx;
        if (!compile_resolve_entity(c, it, kind, kind, &idx, NULL)) continue;
        if (kind == ONS_ENT_FACILITY && !((OnsFacility *)entity_for(c, ONS_ENT_FACILITY, idx))->is_option) {
            compile_error(c, it->span, "'%s' is a facility, not an option: a plan builds only what is declared "
                          "with `option`", it->text);
            continue;
        }
        bool twice = false;
        for (uint32_t k = 0; k < *n; k++) twice |= out[k] == idx;
        if (twice) compile_error(c, it->span, "'%s' is listed twice", it->text);
        else out[(*n)++] = idx;
    }
    return out;
}

/* A scenario's `plan { options: [...], enforce: [...], discount: 7% }` (spec 12). */
static void scenario_plan(OnsCompiler *c, OnsScenario *s, const OnsNode *block)
{
    OnsPlan *plan = ons_calloc(1, sizeof *plan);
    plan->discount = plan->shortage_cost = plan->time_limit = ons_nil();
    plan->src = c->src;
    plan->span = block->span;
    s->plan = plan;
    const OnsNode *props[ONS_PROP__COUNT];
    collect_props(c, (OnsEntityKind)ONS_ENT_PLAN, block, props);
    if (props[ONS_PROP_OPTIONS]) plan->options = plan_list(c, props[ONS_PROP_OPTIONS]->a, ONS_ENT_FACILITY, "options", &plan->noptions);
    if (props[ONS_PROP_ENFORCE]) plan->enforce = plan_list(c, props[ONS_PROP_ENFORCE]->a, ONS_ENT_POLICY, "enforce", &plan->nenforce);
    OnsDim none = dim_none();
    struct { uint8_t id; OnsValue *into; OnsDim want; const char *what; } nums[] = {
        {ONS_PROP_DISCOUNT, &plan->discount, none, "the discount rate"},
        {ONS_PROP_SHORTAGE_COST, &plan->shortage_cost, none, "the shortage cost"},
        {ONS_PROP_TIME_LIMIT, &plan->time_limit, none, "the time limit"},
    };
    for (size_t k = 0; k < ONS_ARRAY_LEN(nums); k++) {
        const OnsNode *it = props[nums[k].id];
        if (!it) continue;
        OnsValue v;
        if (!compile_fold_constant(c, it->a, &v) || v.type != ONS_T_NUM || !dim_eq(v.dim, nums[k].want)) {
            compile_error(c, it->a->span, "%s of a plan must be a constant %s", nums[k].what,
                          nums[k].into == &plan->time_limit ? "number of seconds, like 60" : "share, like 7%");
            continue;
        }
        if (v.as.num < 0) {
            compile_error(c, it->a->span, "%s of a plan cannot be negative", nums[k].what);
            continue;
        }
        *nums[k].into = v;
    }
    if (props[ONS_PROP_WRITE]) plan->write = text_prop(c, props[ONS_PROP_WRITE]);
}

static void scenario_decl(OnsCompiler *c, OnsPending *p)
{
    OnsScenario *s = (OnsScenario *)target(c, p);
    const OnsNode *n = p->node;
    set_info(c, &s->e, n);
    s->parent = -1;
    s->sourcing = ONS_SOURCING_INHERIT;
    s->shortage = ONS_SHORTAGE_INHERIT;
    if (n->a) {
        uint32_t parent;
        if (compile_resolve_entity(c, n->a, ONS_ENT_SCENARIO, ONS_ENT_SCENARIO, &parent, NULL)) {
            if (parent == p->index) compile_error(c, n->a->span, "scenario '%s' cannot extend itself", n->text);
            else s->parent = (int32_t)parent;
        }
    }
    bool seen[ONS_PROP__COUNT] = {false};
    for (const OnsNode *it = n->list.head; it; it = it->next) {
        if (it->kind == AST_OVERRIDE) {
            scenario_override(c, s, it);
            continue;
        }
        if (it->kind == AST_PARAM_DECL) {
            scenario_param(c, s, it);
            continue;
        }
        if (it->kind == AST_PLAN) {
            if (s->plan) {
                compile_error(c, it->span, "scenario '%s' has two plan blocks", n->text);
                compile_note(c, c->src, s->plan->span, "the first one is here");
                continue;
            }
            scenario_plan(c, s, it);
            continue;
        }
        if (it->kind == AST_DEMAND) {
            uint32_t r, m;
            if (!compile_resolve_entity(c, it->a, ONS_ENT_REGION, ONS_ENT_REGION, &r, NULL) ||
                !compile_resolve_entity(c, it->b, ONS_ENT_MATERIAL, ONS_ENT_MATERIAL, &m, NULL))
                continue;
            OnsOverride o;
            memset(&o, 0, sizeof o);
            o.kind = ONS_ENT_DEMAND;
            o.index = r;
            o.material = m;
            o.src = c->src;
            o.span = it->span;
            o.value = demand_value(c, it->c, r, m);
            add_override(s, o);
            continue;
        }
        if (it->kind != AST_PROP) {
            compile_error(c, it->span, "a policy rule belongs in a policy; a scenario takes it with `use: [...]`");
            continue;
        }
        const OnsPropDef *d = find_prop(c, ONS_ENT_SCENARIO, it);
        if (!d) continue;
        if (seen[d->id]) {
            compile_error(c, it->text_span, "property '%s' is given twice", it->text);
            continue;
        }
        seen[d->id] = true;
        switch (d->id) {
        case ONS_PROP_YEARS: scenario_years(c, s, it->a); break;
        case ONS_PROP_USE: scenario_use(c, s, it->a); break;
        case ONS_PROP_SOURCING:
            if (it->a->kind == AST_IDENT && strcmp(it->a->text, "cheapest") == 0) s->sourcing = ONS_SOURCING_CHEAPEST;
            else if (it->a->kind == AST_IDENT && (strcmp(it->a->text, "local_first") == 0 || strcmp(it->a->text, "local") == 0))
                s->sourcing = ONS_SOURCING_LOCAL_FIRST;
            else compile_error(c, it->a->span, "'sourcing' is either cheapest or local_first");
            break;
        case ONS_PROP_SHORTAGE:
            if (it->a->kind == AST_IDENT && strcmp(it->a->text, "propagates") == 0) s->shortage = ONS_SHORTAGE_PROPAGATES;
            else if (it->a->kind == AST_IDENT && strcmp(it->a->text, "stays") == 0) s->shortage = ONS_SHORTAGE_STAYS;
            else compile_error(c, it->a->span, "'shortage' is either stays or propagates");
            break;
        case ONS_PROP_SOURCE: s->e.source = text_prop(c, it); break;
        case ONS_PROP_NOTE: s->e.note = text_prop(c, it); break;
        default: break;
        }
    }
}

static void check_scenario_chain(OnsCompiler *c, OnsPending *p)
{
    OnsScenario *s = (OnsScenario *)target(c, p);
    int32_t cur = s->parent;
    for (int steps = 0; cur >= 0; steps++) {
        if ((uint32_t)cur == p->index || steps > 1000) {
            compile_error(c, p->node->a ? p->node->a->span : p->node->span,
                    "scenario '%s' extends itself through its parents", p->node->text);
            return;
        }
        OnsScenario *parent = entity_for(c, ONS_ENT_SCENARIO, (uint32_t)cur);
        cur = parent->parent;
    }
}

/* Every require rule of an enforced policy must be linear (spec 12): not
 * `==` or `!=`, and a top origin share only bounded from above. */
static void check_plan(OnsCompiler *c, OnsPending *p)
{
    const OnsPlan *plan = ((OnsScenario *)target(c, p))->plan;
    if (!plan) return;
    for (uint32_t k = 0; k < plan->nenforce; k++) {
        const OnsPolicy *pol = entity_for(c, ONS_ENT_POLICY, plan->enforce[k]);
        uint32_t nreq = 0;
        for (uint32_t i = 0; i < pol->nrules; i++) {
            const OnsRule *r = &pol->rules[i];
            if (r->kind != ONS_RULE_REQUIRE) continue;
            nreq++;
            const char *why = NULL;
            if (r->cmp == ONS_CMP_EQ || r->cmp == ONS_CMP_NE)
                why = r->cmp == ONS_CMP_EQ ? "an `==` rule cannot be enforced (write >= or <=)"
                                           : "a `!=` rule cannot be enforced (write >= or <=)";
            else if (r->metric == ONS_METRIC_TOP_ORIGIN && (r->cmp == ONS_CMP_GE || r->cmp == ONS_CMP_GT))
                why = "a `top origin share` rule can be enforced only with <= (the largest origin bounded from "
                      "below is not linear)";
            if (!why) continue;
            compile_error(c, plan->span, "scenario '%s' enforces policy %s, whose require rule %u cannot be a "
                          "constraint: %s", p->node->text, pol->e.name ? pol->e.name->chars : "?", nreq, why);
            if (r->src) compile_note(c, r->src, r->span, "the rule is here");
        }
    }
}

/* ---- passes 2 and 3 ---- */

void declare_bodies(OnsCompiler *c)
{
    OnsSource *file = c->src; /* each pending is checked against its own source (a table's CSV file) */
    /* structure first (units, stages, references), then values that depend on it */
    for (size_t i = 0; i < c->npending; i++) {
        OnsPending *p = &c->pending[i];
        c->src = p->src;
        switch ((OnsEntityKind)p->kind) {
        case ONS_ENT_REGION: region_decl(c, p); break;
        case ONS_ENT_MATERIAL: material_structure(c, p); break;
        case ONS_ENT_FACILITY: facility_structure(c, p); break;
        case ONS_ENT_PARAM: param_decl(c, p); break; /* before the scenarios that change them */
        default: break;
        }
    }
    for (size_t i = 0; i < c->npending; i++)
        if (c->pending[i].kind == ONS_ENT_GROUP) {
            c->src = c->pending[i].src;
            group_decl(c, &c->pending[i]);
        }
    for (size_t i = 0; i < c->npending; i++) {
        OnsPending *p = &c->pending[i];
        c->src = p->src;
        switch ((OnsEntityKind)p->kind) {
        case ONS_ENT_MATERIAL: material_values(c, p); break;
        case ONS_ENT_FACILITY: facility_values(c, p); break;
        case ONS_ENT_LANE: lane_decl(c, p); break;
        case ONS_ENT_DEMAND: demand_decl(c, p); break;
        case ONS_ENT_POLICY: policy_decl(c, p); break;
        case ONS_ENT_SCENARIO: scenario_decl(c, p); break;
        default: break;
        }
    }
    for (size_t i = 0; i < c->npending; i++) {
        OnsPending *p = &c->pending[i];
        c->src = p->src;
        if (p->kind == ONS_ENT_MATERIAL && !compile_failed(c)) check_needs(c, p);
        if (p->kind == ONS_ENT_FACILITY && !compile_failed(c)) check_feeds(c, p);
        if (p->kind == ONS_ENT_SCENARIO) check_scenario_chain(c, p);
        if (p->kind == ONS_ENT_SCENARIO) check_plan(c, p);
    }
    c->src = file;
}

/* The one-line acknowledgement the REPL prints for a declaration. */
static void describe(OnsCompiler *c, OnsPending *p, char *buf, size_t n)
{
    OnsModel *m = c->model;
    OnsEntityInfo *e = model_info(m, (OnsEntityKind)p->kind, p->index);
    const char *name = e->name ? e->name->chars : "?";
    size_t len = 0;
    switch ((OnsEntityKind)p->kind) {
    case ONS_ENT_MATERIAL: {
        OnsMaterial *mat = (OnsMaterial *)e;
        len = (size_t)snprintf(buf, n, "material %s: %s, stage %s", name, mat->unit,
                               mat->stage < m->nstages ? m->stages[mat->stage].e.name->chars : "?");
        break;
    }
    case ONS_ENT_FACILITY: {
        OnsFacility *f = (OnsFacility *)e;
        len = (size_t)snprintf(buf, n, "%s %s: %s, makes %s", f->is_option ? "option" : "facility", name,
                               model_name(m, ONS_ENT_REGION, f->region), model_name(m, ONS_ENT_MATERIAL, f->makes));
        break;
    }
    case ONS_ENT_GROUP: {
        OnsGroup *g = (OnsGroup *)e;
        len = (size_t)snprintf(buf, n, "group %s:", name);
        for (uint32_t i = 0; i < g->nmembers && len < n; i++)
            len += (size_t)snprintf(buf + len, n - len, "%s %s", i ? "," : "", model_name(m, ONS_ENT_REGION, g->members[i]));
        break;
    }
    case ONS_ENT_POLICY:
        len = (size_t)snprintf(buf, n, "policy %s: %u rule%s", name, ((OnsPolicy *)e)->nrules,
                               ((OnsPolicy *)e)->nrules == 1 ? "" : "s");
        break;
    case ONS_ENT_SCENARIO: {
        OnsScenario *s = (OnsScenario *)e;
        if (s->has_years) len = (size_t)snprintf(buf, n, "scenario %s: %d..%d", name, s->year_from, s->year_until);
        else len = (size_t)snprintf(buf, n, "scenario %s", name);
        break;
    }
    default:
        len = (size_t)snprintf(buf, n, "%s %s", ons_entity_kind_name((OnsEntityKind)p->kind), name);
        if (e->title && len < n) len += (size_t)snprintf(buf + len, n - len, " (%s)", e->title);
        break;
    }
    bool option = p->kind == ONS_ENT_FACILITY && ((OnsFacility *)e)->is_option;
    if (p->replaces && len < n) snprintf(buf + len, n - len, " (replaces the earlier %s)",
                                         option ? "option" : ons_entity_kind_name((OnsEntityKind)p->kind));
}

void declare_commit(OnsCompiler *c)
{
    for (size_t i = 0; i < c->npending; i++) {
        OnsPending *p = &c->pending[i];
        if (p->clears >= 0) { /* a lane or demand declared again: the old one stops counting */
            model_clear_entity(c->model, (OnsEntityKind)p->kind, (uint32_t)p->clears);
            p->replaces = true;
        }
        if (p->staged) {
            OnsEntityKind k = (OnsEntityKind)p->kind;
            OnsString *name = model_info(c->model, k, p->index)->name;
            model_clear_entity(c->model, k, p->index);
            memcpy(model_entity(c->model, k, p->index), p->staged, entity_size(k));
            OnsEntityInfo *e = model_info(c->model, k, p->index);
            e->name = name;
            e->replaced = true;
            ons_free(p->staged);
            p->staged = NULL;
        }
        if (c->opts->repl) {
            char line[256];
            describe(c, p, line, sizeof line);
            compile_add_note(c, line);
        }
    }
    for (size_t i = 0; i < c->ntables; i++) model_note_table(c->model, c->tables[i]);
    if (c->npending) c->model->generation++;
}

static void free_staged(OnsPending *p)
{
    model_entity_free_parts((OnsEntityKind)p->kind, p->staged);
    ons_free(p->staged);
    p->staged = NULL;
}

void declare_rollback(OnsCompiler *c)
{
    for (size_t i = 0; i < c->npending; i++)
        if (c->pending[i].staged) free_staged(&c->pending[i]);
}
