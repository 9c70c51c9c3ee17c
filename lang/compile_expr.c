/* Expressions: register code, constant folding, and the static types that
 * let dimension mistakes be reported at compile time with a caret
 * (`40 kt/yr + 2 GWh/yr`).  What is not known statically is checked when
 * the code runs. */
#include "compiler.h"
#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- static types ---- */

OnsSType stype_any(void)
{
    OnsSType t;
    memset(&t, 0, sizeof t);
    return t;
}

OnsSType stype_num(OnsDim d, bool percent)
{
    OnsSType t = stype_any();
    t.kind = ST_NUM;
    t.dim_known = true;
    t.dim = d;
    t.percent = percent;
    return t;
}

static OnsSType stype_of_kind(OnsSKind k)
{
    OnsSType t = stype_any();
    t.kind = (uint8_t)k;
    return t;
}

static bool is_numeric(const OnsSType *t) { return t->kind == ST_NUM || t->kind == ST_SERIES; }

const char *stype_describe(const OnsSType *t, char *buf, size_t n)
{
    if (is_numeric(t) && t->dim_known) {
        char words[64], units[48];
        if (dim_is_none(t->dim)) {
            snprintf(buf, n, t->percent ? "a share" : "a plain number");
            return buf;
        }
        const char *u = t->unit_text ? t->unit_text : dim_base_units(t->dim, units, sizeof units);
        snprintf(buf, n, "%s (%s)", u, dim_describe(t->dim, words, sizeof words));
        return buf;
    }
    switch ((OnsSKind)t->kind) {
    case ST_STR: return "a string";
    case ST_BOOL: return "a boolean";
    case ST_LIST: return "a list";
    case ST_MAP: return "a map";
    case ST_NIL: return "nil";
    case ST_FN: return "a function";
    case ST_ENTITY: snprintf(buf, n, "a %s", ons_entity_kind_name((OnsEntityKind)t->entity)); return buf;
    default: return "a value";
    }
}

/* ---- folding ---- */

/* Arithmetic on constants with the rules of arith.c; false when it cannot
 * (or should not) be done now, leaving the case to checks or run time. */
static bool fold_arith(OnsOp op, OnsValue a, OnsValue b, OnsValue *out)
{
    if (a.type != ONS_T_NUM || b.type != ONS_T_NUM) return false;
    OnsDim d = a.dim;
    double x = a.as.num, y = b.as.num, r;
    bool pa = a.hint == ONS_HINT_PERCENT, pb = b.hint == ONS_HINT_PERCENT;
    bool pct = false;
    switch (op) {
    case AST_ADD: case AST_SUB:
        if (!dim_eq(a.dim, b.dim)) return false;
        r = op == AST_ADD ? x + y : x - y;
        pct = pa || pb;
        break;
    case AST_MUL:
        if (!dim_mul(a.dim, b.dim, &d)) return false;
        r = x * y;
        pct = pa || pb;
        break;
    case AST_DIV:
        if (y == 0 || !dim_div(a.dim, b.dim, &d)) return false;
        r = x / y;
        pct = pa && !pb;
        break;
    case AST_POW:
        if (!dim_is_none(b.dim)) return false;
        if (y != floor(y) || (!dim_is_none(a.dim) && !dim_pow(a.dim, y, &d))) return false;
        r = pow(x, y);
        break;
    default:
        return false;
    }
    if (!isfinite(r)) return false;
    *out = ons_quantity(r, d, (uint8_t)(pct && dim_no_numerator(d) ? ONS_HINT_PERCENT : 0));
    return true;
}

static bool fold_series(OnsCompiler *c, const OnsNode *e, OnsValue *out)
{
    uint32_t n = e->list.len;
    if (n == 0) return false;
    double small[2 * 8], *pairs = n <= 8 ? small : ons_malloc((size_t)n * 2 * sizeof(double)); /* (year, value) */
    OnsDim d = dim_none();
    uint8_t hint = 0;
    uint32_t i = 0;
    bool ok = true;
    for (const OnsNode *p = e->list.head; p && ok; p = p->next, i++) {
        OnsValue k, v;
        ok = compile_fold_constant(c, p->a, &k) && compile_fold_constant(c, p->b, &v) && k.type == ONS_T_NUM &&
             dim_is_none(k.dim) && k.as.num == floor(k.as.num) && v.type == ONS_T_NUM;
        if (!ok) break;
        if (i == 0) {
            d = v.dim;
            hint = v.hint;
        } else if (!dim_eq(d, v.dim)) {
            ok = false;
            break;
        }
        pairs[(size_t)2 * i] = k.as.num;
        pairs[(size_t)2 * i + 1] = v.as.num;
    }
    /* a year given twice is left to the map literal, which reports it */
    if (ok && series_sort_pairs(pairs, n)) {
        OnsSeries *s = series_new(c->vm, e->op == AST_STEP ? ONS_SERIES_STEP : ONS_SERIES_LINEAR, n);
        for (i = 0; i < n; i++) {
            s->years[i] = pairs[(size_t)2 * i];
            s->vals[i] = pairs[(size_t)2 * i + 1];
        }
        s->dim = d;
        s->hint = hint;
        *out = ons_obj_value(&s->obj);
    } else {
        ok = false;
    }
    if (pairs != small) ons_free(pairs);
    return ok;
}

bool compile_fold_constant(OnsCompiler *c, const OnsNode *e, OnsValue *out)
{
    switch ((OnsNodeKind)e->kind) {
    case AST_NUM:
        *out = ons_quantity(e->num, e->dim, (e->flags & AST_PERCENT) ? ONS_HINT_PERCENT : 0);
        return true;
    case AST_BOOL: *out = ons_bool(e->flags & AST_TRUE); return true;
    case AST_NIL: *out = ons_nil(); return true;
    case AST_STR: *out = compile_k_string(c, e->text, e->text_len); return true;
    case AST_UNARY:
        if (e->op == AST_NEG && compile_fold_constant(c, e->a, out) && out->type == ONS_T_NUM) {
            out->as.num = -out->as.num;
            return true;
        }
        return false;
    case AST_BINARY: {
        OnsValue a, b;
        if (e->op > AST_POW) return false;
        return compile_fold_constant(c, e->a, &a) && compile_fold_constant(c, e->b, &b) &&
               fold_arith((OnsOp)e->op, a, b, out);
    }
    case AST_SERIES: return fold_series(c, e, out);
    default: return false;
    }
}

/* The unit a constant expression reads in, as the user wrote it: a
 * literal's, kept through negation, sums of the same unit and scaling by a
 * plain number (2 * 40 kt/yr is in kt/yr); NULL otherwise. */
static const char *literal_unit_text(const OnsNode *e)
{
    if (e->kind == AST_NUM) return e->text && strcmp(e->text, "%") != 0 ? e->text : NULL; /* a % scales */
    if (e->kind == AST_UNARY && e->op == AST_NEG) return literal_unit_text(e->a);
    if (e->kind != AST_BINARY) return NULL;
    const char *ua = literal_unit_text(e->a), *ub = literal_unit_text(e->b);
    switch (e->op) {
    case AST_ADD: case AST_SUB: return ua && ub && strcmp(ua, ub) == 0 ? ua : NULL;
    case AST_MUL: return !ua ? ub : !ub ? ua : NULL;
    case AST_DIV: return !ub ? ua : NULL;
    default: return NULL;
    }
}

static OnsSType type_of_constant(OnsValue v, const OnsNode *e)
{
    switch ((OnsType)v.type) {
    case ONS_T_NUM: {
        OnsSType t = stype_num(v.dim, v.hint == ONS_HINT_PERCENT);
        if (!dim_is_none(v.dim)) t.unit_text = literal_unit_text(e);
        return t;
    }
    case ONS_T_BOOL: return stype_of_kind(ST_BOOL);
    case ONS_T_NIL: return stype_of_kind(ST_NIL);
    case ONS_T_OBJ:
        if (ons_is_obj(v, ONS_OBJ_STRING)) return stype_of_kind(ST_STR);
        if (ons_is_obj(v, ONS_OBJ_SERIES)) {
            OnsSeries *s = ONS_AS_SERIES(v);
            OnsSType t = stype_num(s->dim, s->hint == ONS_HINT_PERCENT);
            t.kind = ST_SERIES;
            return t;
        }
        return stype_any();
    default: return stype_any();
    }
}

/* ---- checks of binary operators ---- */

static const char *op_verb(OnsOp op)
{
    switch (op) {
    case AST_ADD: return "add";
    case AST_SUB: return "subtract";
    case AST_MOD: return "take the remainder of";
    default: return "compare";
    }
}

/* Types a binary arithmetic or comparison; reports a dimension mismatch. */
/* The unit a result keeps in messages: a sum keeps its operands' unit and
 * a scaling by a plain number keeps the other side's (2 * 40 kt/yr is in
 * kt/yr); anything else is named in base units. */
static const char *scaled_unit_text(int op, const OnsSType *a, const OnsSType *b)
{
    if (op == AST_ADD || op == AST_SUB || op == AST_MOD)
        return a->unit_text && b->unit_text && strcmp(a->unit_text, b->unit_text) == 0 ? a->unit_text : NULL;
    if (op == AST_MUL && dim_is_none(a->dim) && !a->percent) return b->unit_text;
    if ((op == AST_MUL || op == AST_DIV) && dim_is_none(b->dim) && !b->percent) return a->unit_text;
    return NULL;
}

static OnsSType binary_type(OnsCompiler *c, const OnsNode *e, OnsSType a, OnsSType b)
{
    OnsOp op = (OnsOp)e->op;
    if (op == AST_ADD && (a.kind == ST_STR || b.kind == ST_STR)) return stype_of_kind(ST_STR);
    bool both = is_numeric(&a) && is_numeric(&b) && a.dim_known && b.dim_known;
    bool cmp = op == AST_EQ || op == AST_NE || op == AST_LT || op == AST_LE || op == AST_GT || op == AST_GE;
    if (cmp) {
        if (both && !dim_eq(a.dim, b.dim)) {
            char x[96], y[96];
            compile_error(c, e->b->span, "cannot compare %s and %s", stype_describe(&a, x, sizeof x),
                    stype_describe(&b, y, sizeof y));
        }
        return stype_of_kind(ST_BOOL);
    }
    if (!both) {
        if ((op == AST_ADD || op == AST_SUB || op == AST_MUL || op == AST_DIV) &&
            ((a.kind != ST_ANY && !is_numeric(&a) && a.kind != ST_LIST) ||
             (b.kind != ST_ANY && !is_numeric(&b) && b.kind != ST_LIST)) &&
            a.kind != ST_STR && b.kind != ST_STR) {
            const OnsSType *bad = (a.kind != ST_ANY && !is_numeric(&a)) ? &a : &b;
            char x[96];
            if (bad->kind != ST_LIST || op != AST_ADD)
                compile_error(c, (bad == &a ? e->a : e->b)->span, "cannot do arithmetic with %s",
                        stype_describe(bad, x, sizeof x));
        }
        return stype_any();
    }
    OnsDim d = a.dim;
    bool pct = false;
    switch (op) {
    case AST_ADD: case AST_SUB: case AST_MOD:
        if (!dim_eq(a.dim, b.dim)) {
            char x[96], y[96];
            stype_describe(&a, x, sizeof x);
            stype_describe(&b, y, sizeof y);
            if (op == AST_SUB) compile_error(c, e->b->span, "cannot subtract %s from %s", y, x);
            else compile_error(c, e->b->span, "cannot %s %s and %s", op_verb(op), x, y);
            return stype_any();
        }
        pct = (a.percent || b.percent) && op != AST_MOD;
        break;
    case AST_MUL:
        if (!dim_mul(a.dim, b.dim, &d)) {
            compile_error(c, e->span, "the units of this product are too complex");
            return stype_any();
        }
        pct = a.percent || b.percent;
        break;
    case AST_DIV:
        if (!dim_div(a.dim, b.dim, &d)) {
            compile_error(c, e->span, "the units of this quotient are too complex");
            return stype_any();
        }
        pct = a.percent && !b.percent;
        break;
    case AST_POW:
        if (!dim_is_none(b.dim)) {
            char y[96];
            compile_error(c, e->b->span, "an exponent must be a plain number, not %s", stype_describe(&b, y, sizeof y));
            return stype_any();
        }
        OnsValue ev;
        bool known = compile_fold_constant(c, e->b, &ev) && ev.type == ONS_T_NUM;
        if (known && (ev.as.num != floor(ev.as.num) || !isfinite(ev.as.num))) {
            compile_error(c, e->b->span, "an exponent must be a whole number, not %g (sqrt(x) is a square root; "
                                   "exp(y * ln(x)) any other power)", ev.as.num);
            return stype_any();
        }
        if (!dim_is_none(a.dim) && (!known || !dim_pow(a.dim, ev.as.num, &d))) return stype_any();
        break;
    default:
        return stype_any();
    }
    OnsSType r = stype_num(d, pct && dim_no_numerator(d));
    r.unit_text = scaled_unit_text(op, &a, &b);
    return r;
}

/* ---- helpers ---- */

static OnsSType load_constant(OnsCompiler *c, const OnsNode *e, OnsValue v, int dst)
{
    compile_emit_loadk(c, dst, v, e->span);
    return type_of_constant(v, e);
}

static OnsSType compile_ident(OnsCompiler *c, const OnsNode *e, int dst)
{
    OnsNameRef r = compile_resolve_name(c, e->text, e->text_len);
    switch (r.kind) {
    case NAME_LOCAL:
        if (r.index != dst) compile_emit(c, ins_abc(OP_MOVE, (unsigned)dst, (unsigned)r.index, 0), e->span);
        return r.local->assigned ? stype_any() : r.local->type;
    case NAME_UPVAL:
        compile_emit(c, ins_abc(OP_GETUPVAL, (unsigned)dst, (unsigned)r.index, 0), e->span);
        return stype_any();
    case NAME_GLOBAL:
        if (r.is_entity && r.value.hint == ONS_ENT_PARAM) {
            /* reading a param gives a number: its draw in a sweep's sample,
             * its nominal value everywhere else (spec 11) */
            compile_emit_loadk(c, dst, r.value, e->span);
            compile_emit(c, ins_abc(OP_HOST, (unsigned)dst, ONS_HOST_PARAM, 1), e->span);
            c->param_read = e->text;
            const OnsParam *pa = r.value.as.index < c->model->nparams ? &c->model->params[r.value.as.index] : NULL;
            return pa && pa->e.name ? stype_num(pa->dist.dim, pa->dist.hint == ONS_HINT_PERCENT) : stype_any();
        }
        if (r.is_entity) {
            compile_emit_loadk(c, dst, r.value, e->span);
            OnsSType t = stype_of_kind(ST_ENTITY);
            t.entity = r.value.hint;
            return t;
        }
        if ((uint32_t)r.index <= ONS_MAX_Bx) {
            compile_emit(c, ins_abx(OP_GETGLOBAL, (unsigned)dst, (uint32_t)r.index), e->span);
        } else {
            compile_emit(c, ins_abc(OP_GETGLOBALX, (unsigned)dst, 0, 0), e->span);
            compile_emit(c, ins_ax(OP_EXTRA, (uint32_t)r.index), e->span);
        }
        {
            OnsSType gt;
            if (compile_global_type(c, r.index, &gt)) return gt;
        }
        return c->vm->globals[r.index].is_fn ? stype_of_kind(ST_FN) : stype_any();
    case NAME_BUILTIN:
        compile_emit_loadk(c, dst, r.value, e->span);
        return stype_of_kind(ST_FN);
    case NAME_YEAR:
        compile_emit(c, ins_abc(OP_YEAR, (unsigned)dst, 0, 0), e->span);
        return stype_num(dim_none(), false);
    case NAME_STAGE:
    case NAME_CLASS: {
        compile_emit_loadk(c, dst, r.value, e->span);
        OnsSType t = stype_of_kind(ST_ENTITY);
        t.entity = r.value.hint;
        return t;
    }
    case NAME_NONE: break;
    }
    compile_undeclared(c, e, "name");
    return stype_any();
}

int compile_expr_reg(OnsCompiler *c, const OnsNode *e, OnsSType *type)
{
    if (e->kind == AST_IDENT) {
        OnsNameRef r = compile_resolve_name(c, e->text, e->text_len);
        if (r.kind == NAME_LOCAL) {
            if (type) *type = r.local->assigned ? stype_any() : r.local->type;
            return r.index;
        }
    }
    int r = compile_reg_alloc(c, e->span);
    OnsSType t = compile_expr_into(c, e, r);
    if (type) *type = t;
    return r;
}

/* Does reg hold a variable?  Code that writes its destination before it has
 * read all its operands (a map literal, a long list, `and`/`or`) must then
 * work in a temporary: in `x = {"a": x}` the new map must not replace x
 * before x is read. */
static bool reg_is_variable(OnsCompiler *c, int reg)
{
    for (int i = 0; i < c->fs->nlocals; i++)
        if (c->fs->locals[i].reg == reg) return true;
    return false;
}

static OnsSType compile_list(OnsCompiler *c, const OnsNode *e, int dst)
{
    int mark = c->fs->freereg;
    if (e->list.len <= 32) {
        int base = c->fs->freereg;
        for (const OnsNode *x = e->list.head; x; x = x->next) compile_expr_into(c, x, compile_reg_alloc(c, x->span));
        compile_emit(c, ins_abc(OP_NEWLIST, (unsigned)dst, (unsigned)base, e->list.len), e->span);
    } else {
        int l = reg_is_variable(c, dst) ? compile_reg_alloc(c, e->span) : dst;
        int inner = c->fs->freereg;
        compile_emit(c, ins_abc(OP_NEWLIST, (unsigned)l, 0, 0), e->span);
        for (const OnsNode *x = e->list.head; x; x = x->next) {
            int r = compile_expr_reg(c, x, NULL);
            compile_emit(c, ins_abc(OP_APPEND, (unsigned)l, (unsigned)r, 0), x->span);
            c->fs->freereg = inner;
        }
        if (l != dst) compile_emit(c, ins_abc(OP_MOVE, (unsigned)dst, (unsigned)l, 0), e->span);
    }
    c->fs->freereg = mark;
    return stype_of_kind(ST_LIST);
}

static void compile_pairs(OnsCompiler *c, const OnsNode *e, int map)
{
    int mark = c->fs->freereg;
    for (const OnsNode *p = e->list.head; p; p = p->next) {
        int k = compile_expr_reg(c, p->a, NULL);
        int v = compile_expr_reg(c, p->b, NULL);
        compile_emit(c, ins_abc(OP_MAPSET, (unsigned)map, (unsigned)k, (unsigned)v), p->span);
        c->fs->freereg = mark;
    }
}

static OnsSType compile_map(OnsCompiler *c, const OnsNode *e, int dst)
{
    int mark = c->fs->freereg;
    int m = reg_is_variable(c, dst) ? compile_reg_alloc(c, e->span) : dst;
    compile_emit(c, ins_abc(OP_NEWMAP, (unsigned)m, 0, 0), e->span);
    compile_pairs(c, e, m);
    if (m != dst) compile_emit(c, ins_abc(OP_MOVE, (unsigned)dst, (unsigned)m, 0), e->span);
    c->fs->freereg = mark;
    return stype_of_kind(ST_MAP);
}

static OnsSType compile_series(OnsCompiler *c, const OnsNode *e, int dst)
{
    OnsValue v;
    if (compile_fold_constant(c, e, &v)) return load_constant(c, e, v, dst);
    /* check what can be checked: keys plain numbers, values of one dimension */
    OnsSType first = stype_any();
    for (const OnsNode *p = e->list.head; p; p = p->next) {
        OnsSType kt = compile_static_type(c, p->a), vt = compile_static_type(c, p->b);
        if (is_numeric(&kt) && kt.dim_known && !dim_is_none(kt.dim))
            compile_error(c, p->a->span, "the keys of a series are years (plain numbers)");
        if (is_numeric(&vt) && vt.dim_known) {
            if (first.kind == ST_ANY) first = vt;
            else if (!dim_eq(first.dim, vt.dim)) {
                char x[96], y[96];
                compile_error(c, p->b->span, "the values of a series must share one dimension: %s and %s",
                        stype_describe(&first, x, sizeof x), stype_describe(&vt, y, sizeof y));
            }
        }
    }
    int mark = c->fs->freereg;
    int m = compile_reg_alloc(c, e->span);
    compile_emit(c, ins_abc(OP_NEWMAP, (unsigned)m, 0, 0), e->span);
    compile_pairs(c, e, m);
    compile_emit(c, ins_abc(OP_SERIES, (unsigned)dst, (unsigned)m, e->op == AST_STEP ? ONS_SERIES_STEP : ONS_SERIES_LINEAR),
         e->span);
    c->fs->freereg = mark;
    OnsSType t = first;
    t.kind = ST_SERIES;
    return t;
}

/* `x at y`: evaluates x with `year` = y, then a series in x at that year. */
static OnsSType compile_at(OnsCompiler *c, const OnsNode *e, int dst)
{
    int mark = c->fs->freereg;
    int saved = compile_reg_alloc(c, e->span);
    OnsSType yt;
    int y = compile_expr_reg(c, e->b, &yt);
    if (is_numeric(&yt) && yt.dim_known && !dim_is_none(yt.dim))
        compile_error(c, e->b->span, "`at` needs a year (a plain number like 2030)");
    compile_emit(c, ins_abc(OP_SETYEAR, (unsigned)saved, (unsigned)y, 0), e->span);
    OnsSType t = compile_expr_into(c, e->a, dst);
    compile_emit(c, ins_abc(OP_FORCE, (unsigned)dst, 0, 0), e->span);
    compile_emit(c, ins_abc(OP_RESTOREYEAR, (unsigned)saved, 0, 0), e->span);
    c->fs->freereg = mark;
    if (t.kind == ST_SERIES) t.kind = ST_NUM;
    return t;
}

static OnsSType compile_logical(OnsCompiler *c, const OnsNode *e, int dst)
{
    int mark = c->fs->freereg;
    int r = reg_is_variable(c, dst) ? compile_reg_alloc(c, e->span) : dst; /* x = y and x */
    compile_expr_into(c, e->a, r);
    /* and: stop at a false left side; or: stop at a true one */
    compile_emit(c, ins_abc(OP_TEST, (unsigned)r, e->op == AST_OR, 0), e->span);
    uint32_t end = compile_emit_jump(c, e->span);
    compile_expr_into(c, e->b, r);
    compile_patch_jump(c, end);
    if (r != dst) compile_emit(c, ins_abc(OP_MOVE, (unsigned)dst, (unsigned)r, 0), e->span);
    c->fs->freereg = mark;
    return stype_any();
}

static bool small_k(OnsCompiler *c, const OnsNode *e, uint32_t *k, OnsValue *v)
{
    if (!compile_fold_constant(c, e, v) || v->type != ONS_T_NUM) return false;
    *k = compile_k_index(c, *v);
    return *k <= 255;
}

static OnsSType compile_binary(OnsCompiler *c, const OnsNode *e, int dst)
{
    OnsOp op = (OnsOp)e->op;
    if (op == AST_AND || op == AST_OR) return compile_logical(c, e, dst);
    if (op == AST_AT) return compile_at(c, e, dst);
    OnsValue folded;
    if (compile_fold_constant(c, e, &folded)) return load_constant(c, e, folded, dst);
    int mark = c->fs->freereg;
    OnsSType ta, tb;
    int ra = compile_expr_reg(c, e->a, &ta);
    if (op == AST_RANGE) {
        int rb = compile_expr_reg(c, e->b, &tb);
        if ((is_numeric(&ta) && ta.dim_known && !dim_is_none(ta.dim)) ||
            (is_numeric(&tb) && tb.dim_known && !dim_is_none(tb.dim)))
            compile_error(c, e->span, "a range needs plain numbers, like 2024..2030");
        compile_emit(c, ins_abc(OP_RANGE, (unsigned)dst, (unsigned)ra, (unsigned)rb), e->span);
        c->fs->freereg = mark;
        return stype_of_kind(ST_LIST);
    }
    OnsOpcode kop = op == AST_ADD ? OP_ADDK : op == AST_SUB ? OP_SUBK : op == AST_MUL ? OP_MULK
                  : op == AST_DIV ? OP_DIVK : OP__COUNT;
    uint32_t k;
    OnsValue kv;
    if (kop != OP__COUNT && small_k(c, e->b, &k, &kv)) {
        tb = type_of_constant(kv, e->b);
        OnsSType t = binary_type(c, e, ta, tb);
        compile_emit(c, ins_abc(kop, (unsigned)dst, (unsigned)ra, k), e->span);
        c->fs->freereg = mark;
        return t;
    }
    int rb = compile_expr_reg(c, e->b, &tb);
    OnsSType t = binary_type(c, e, ta, tb);
    OnsOpcode o;
    int x = ra, y = rb;
    switch (op) {
    case AST_ADD: o = OP_ADD; break;
    case AST_SUB: o = OP_SUB; break;
    case AST_MUL: o = OP_MUL; break;
    case AST_DIV: o = OP_DIV; break;
    case AST_MOD: o = OP_MOD; break;
    case AST_POW: o = OP_POW; break;
    case AST_EQ: o = OP_EQ; break;
    case AST_NE: o = OP_NE; break;
    case AST_LT: o = OP_LT; break;
    case AST_LE: o = OP_LE; break;
    case AST_GT: o = OP_LT; x = rb; y = ra; break;
    case AST_GE: o = OP_LE; x = rb; y = ra; break;
    default: o = OP_ADD; compile_error(c, e->span, "internal error: unknown operator"); break;
    }
    compile_emit(c, ins_abc(o, (unsigned)dst, (unsigned)x, (unsigned)y), e->span);
    c->fs->freereg = mark;
    return t;
}

static OnsSType compile_unary(OnsCompiler *c, const OnsNode *e, int dst)
{
    OnsValue v;
    if (compile_fold_constant(c, e, &v)) return load_constant(c, e, v, dst);
    int mark = c->fs->freereg;
    OnsSType t;
    int r = compile_expr_reg(c, e->a, &t);
    if (e->op == AST_NEG) {
        if (t.kind != ST_ANY && !is_numeric(&t)) {
            char x[96];
            compile_error(c, e->a->span, "cannot negate %s", stype_describe(&t, x, sizeof x));
        }
        compile_emit(c, ins_abc(OP_NEG, (unsigned)dst, (unsigned)r, 0), e->span);
        if (t.kind == ST_SERIES) t.kind = ST_NUM;
    } else {
        compile_emit(c, ins_abc(OP_NOT, (unsigned)dst, (unsigned)r, 0), e->span);
        t = stype_of_kind(ST_BOOL);
    }
    c->fs->freereg = mark;
    return t;
}

static OnsSType compile_if_expr(OnsCompiler *c, const OnsNode *e, int dst)
{
    OnsJumpList to_else = {0};
    int mark = c->fs->freereg;
    compile_cond_jump(c, e->a, false, &to_else);
    c->fs->freereg = mark;
    OnsSType a = compile_expr_into(c, e->b, dst);
    uint32_t end = compile_emit_jump(c, e->span);
    compile_jumps_patch_here(c, &to_else);
    OnsSType b = compile_expr_into(c, e->c, dst);
    compile_patch_jump(c, end);
    if (a.kind == b.kind && (!is_numeric(&a) || (a.dim_known && b.dim_known && dim_eq(a.dim, b.dim)))) {
        a.unit_text = NULL;
        a.percent = a.percent && b.percent;
        return a;
    }
    return stype_any();
}

/* What some built-ins return, for static checks of what follows; args are
 * the static types of the first positional arguments (nargs of them). */
/* The static type of a built-in's result, from its row (OnsNativeDef). */
static OnsSType builtin_result(const OnsNative *fn, const OnsSType *args, uint32_t nargs)
{
    switch ((OnsResultType)fn->result) {
    case ONS_RES_ARG_UNIT:
    case ONS_RES_ARGS_UNIT: {
        bool pairwise = fn->result == ONS_RES_ARGS_UNIT;
        uint32_t n = pairwise ? nargs : (nargs ? 1 : 0);
        if (n == 0 || (pairwise && n < 2)) return stype_any(); /* min(list): unknown */
        for (uint32_t k = 0; k < n; k++)
            if (args[k].kind != ST_NUM || !args[k].dim_known || !dim_eq(args[k].dim, args[0].dim)) return stype_any();
        OnsSType t = stype_num(args[0].dim, args[0].percent);
        t.unit_text = args[0].unit_text;
        return t;
    }
    case ONS_RES_NUMBER: return stype_num(dim_none(), false);
    case ONS_RES_SHARE: return stype_num(dim_none(), true);
    case ONS_RES_STRING: return stype_of_kind(ST_STR);
    case ONS_RES_BOOL: return stype_of_kind(ST_BOOL);
    case ONS_RES_LIST: return stype_of_kind(ST_LIST);
    default: return stype_any();
    }
}

/* Does this call name a built-in (not shadowed by a variable)? */
static bool calls_builtin(OnsCompiler *c, const OnsNode *e, const char *name)
{
    if (e->a->kind != AST_IDENT || strcmp(e->a->text, name) != 0) return false;
    OnsNameRef r = compile_resolve_name(c, e->a->text, e->a->text_len);
    return r.kind == NAME_BUILTIN || r.kind == NAME_NONE;
}

/* delay(x, d) (spec 11): x evaluated at year `year - d / 1 yr`, d a time,
 * possibly negative or fractional; like `at`, but the year may be fractional. */
static OnsSType compile_delay(OnsCompiler *c, const OnsNode *e, int dst)
{
    if (e->list.len != 2 || e->list.head->text || e->list.head->next->text) {
        compile_error(c, e->span, "delay takes two arguments: delay(x, 2 yr)");
        return stype_any();
    }
    int mark = c->fs->freereg;
    int saved = compile_reg_alloc(c, e->span);
    int target = compile_reg_alloc(c, e->span);
    int fn = compile_reg_alloc(c, e->span);
    compile_emit_loadk(c, fn, ons_obj_value(&vm_builtin(c->vm, "%delay_year", 11)->obj), e->span);
    OnsSType dt = compile_expr_into(c, e->list.head->next->a, fn + 1);
    if (is_numeric(&dt) && dt.dim_known && !dim_eq(dt.dim, dim_base(ONS_DIM_TIME)))
        compile_error(c, e->list.head->next->a->span, "delay needs a time, like 2 yr or 6 mo");
    compile_emit(c, ins_abc(OP_CALL, (unsigned)fn, 1, 0), e->span);
    compile_emit(c, ins_abc(OP_MOVE, (unsigned)target, (unsigned)fn, 0), e->span);
    compile_emit(c, ins_abc(OP_SETYEAR, (unsigned)saved, (unsigned)target, 1), e->span);
    OnsSType t = compile_expr_into(c, e->list.head->a, dst);
    compile_emit(c, ins_abc(OP_FORCE, (unsigned)dst, 0, 0), e->span);
    compile_emit(c, ins_abc(OP_RESTOREYEAR, (unsigned)saved, 0, 0), e->span);
    c->fs->freereg = mark;
    if (t.kind == ST_SERIES) t.kind = ST_NUM;
    return t;
}

static OnsSType compile_call(OnsCompiler *c, const OnsNode *e, int dst)
{
    if (calls_builtin(c, e, "delay")) return compile_delay(c, e, dst);
    int mark = c->fs->freereg;
    bool param_arg = calls_builtin(c, e, "draws"); /* draws(s, PARAM) takes the param itself */
    /* when dst is the newest register the call can be built right there */
    bool in_place = dst == c->fs->freereg - 1 &&
                    (c->fs->nlocals == 0 || c->fs->locals[c->fs->nlocals - 1].reg < dst); /* not a variable */
    int base = in_place ? dst : compile_reg_alloc(c, e->span);
    OnsSType ft = compile_expr_into(c, e->a, base);
    if (ft.kind != ST_ANY && ft.kind != ST_FN) {
        char x[96];
        compile_error(c, e->a->span, "%s is not a function", stype_describe(&ft, x, sizeof x));
    }
    if (e->list.len > ONS_MAX_ARGS) {
        compile_error(c, e->span, "too many arguments in one call (at most %d)", ONS_MAX_ARGS);
        c->fs->too_many_regs = true; /* the registers they need are the same complaint */
    }
    uint32_t nargs = 0, nnamed = 0;
    OnsSType arg_types[4];
    OnsList *names = NULL;
    for (const OnsNode *a = e->list.head; a; a = a->next) {
        if (a->text) {
            if (!names) names = list_new(c->vm, 0);
            for (uint32_t i = 0; i < names->len; i++)
                if (strcmp(ONS_AS_STRING(names->items[i])->chars, a->text) == 0)
                    compile_error(c, a->span, "argument '%s' is given twice", a->text);
            list_push(names, compile_k_string(c, a->text, a->text_len));
            nnamed++;
        } else if (nnamed) {
            compile_error(c, a->span, "a positional argument cannot follow a named one");
        }
        int areg = compile_reg_alloc(c, a->span);
        OnsSType at;
        OnsNameRef pr = {0};
        if (param_arg && nargs == 1 && a->a->kind == AST_IDENT)
            pr = compile_resolve_name(c, a->a->text, a->a->text_len);
        if (pr.kind == NAME_GLOBAL && pr.is_entity && pr.value.hint == ONS_ENT_PARAM) {
            compile_emit_loadk(c, areg, pr.value, a->a->span);
            at = stype_of_kind(ST_ENTITY);
        } else {
            at = compile_expr_into(c, a->a, areg);
        }
        if (!a->text && nargs < ONS_ARRAY_LEN(arg_types)) arg_types[nargs] = at;
        nargs++;
    }
    if (nnamed) {
        uint32_t k = compile_k_index(c, ons_obj_value(&names->obj));
        compile_emit(c, ins_abc(OP_CALLN, (unsigned)base, nargs & 0xff, nnamed & 0xff), e->span);
        compile_emit(c, ins_ax(OP_EXTRA, k), e->span);
    } else {
        compile_emit(c, ins_abc(OP_CALL, (unsigned)base, nargs & 0xff, 0), e->span);
    }
    if (dst != base) compile_emit(c, ins_abc(OP_MOVE, (unsigned)dst, (unsigned)base, 0), e->span);
    c->fs->freereg = mark;
    if (e->a->kind == AST_IDENT) {
        OnsNameRef r = compile_resolve_name(c, e->a->text, e->a->text_len);
        if (r.kind == NAME_BUILTIN)
            return builtin_result(ONS_AS_NATIVE(r.value), arg_types, nargs - nnamed < 4 ? nargs - nnamed : 4);
    }
    return stype_any();
}

/* The static type of entity.property, when the entity is named literally. */
static OnsSType member_type(OnsCompiler *c, const OnsNode *e)
{
    if (e->a->kind != AST_IDENT) return stype_any();
    OnsNameRef r = compile_resolve_name(c, e->a->text, e->a->text_len);
    if (!r.is_entity) return stype_any();
    OnsModel *m = c->model;
    OnsEntityKind kind = (OnsEntityKind)r.value.hint;
    /* the material whose unit the property's rule is written in */
    uint32_t mat = UINT32_MAX;
    if (kind == ONS_ENT_FACILITY && r.value.as.index < m->nfacilities) mat = m->facilities[r.value.as.index].makes;
    else if (kind == ONS_ENT_MATERIAL) mat = r.value.as.index;
    const OnsPropDef *def = model_prop_find(kind, e->text);
    if (!def || !def->per_year || mat >= m->nmaterials || !m->materials[mat].e.name) return stype_any();
    OnsDim unit = m->materials[mat].unit_dim, time = dim_base(ONS_DIM_TIME), d;
    switch ((OnsPropRule)def->rule) {
    case ONS_PR_RATE: return dim_div(unit, time, &d) ? stype_num(d, false) : stype_any();
    case ONS_PR_MONEY_PER_UNIT: return dim_div(dim_base(ONS_DIM_MONEY), unit, &d) ? stype_num(d, false) : stype_any();
    case ONS_PR_SHARE: return stype_num(dim_none(), true);
    case ONS_PR_TIME: return stype_num(time, false);
    default: return stype_any();
    }
}

static OnsSType compile_member(OnsCompiler *c, const OnsNode *e, int dst)
{
    int mark = c->fs->freereg;
    int obj = compile_expr_reg(c, e->a, NULL);
    int name = compile_reg_alloc(c, e->span);
    compile_emit_loadk(c, name, compile_k_string(c, e->text, e->text_len), e->span);
    compile_emit(c, ins_abc(OP_GETPROP, (unsigned)dst, (unsigned)obj, (unsigned)name), e->span);
    c->fs->freereg = mark;
    return member_type(c, e);
}

static OnsSType compile_namespace_ref(OnsCompiler *c, const OnsNode *e, int dst, bool stage)
{
    int32_t i = stage ? model_find_stage(c->model, e->text, e->text_len)
                      : model_find_class(c->model, e->text, e->text_len);
    if (i < 0) {
        compile_error(c, e->text_span, "%s '%s' is not declared", stage ? "stage" : "class", e->text);
        return stype_any();
    }
    OnsValue v = ons_entity(stage ? ONS_ENT_STAGE : ONS_ENT_CLASS, (uint32_t)i);
    compile_emit_loadk(c, dst, v, e->span);
    OnsSType t = stype_of_kind(ST_ENTITY);
    t.entity = v.hint;
    return t;
}

static OnsSType compile_run(OnsCompiler *c, const OnsNode *e, int dst)
{
    OnsNode id = ast_copy(e);
    id.kind = AST_IDENT;
    id.span = e->text_span;
    uint32_t idx;
    if (compile_names_variable(c, &id)) {
        /* `for sc in [a, b] { run sc }`: the scenario the variable holds */
        compile_expr_into(c, &id, dst);
        compile_emit(c, ins_abc(OP_HOST, (unsigned)dst, ONS_HOST_RUN, 1), e->span);
    } else if (compile_resolve_entity(c, &id, ONS_ENT_SCENARIO, ONS_ENT_SCENARIO, &idx, NULL)) {
        compile_emit_loadk(c, dst, ons_entity(ONS_ENT_SCENARIO, idx), e->span);
        compile_emit(c, ins_abc(OP_HOST, (unsigned)dst, ONS_HOST_RUN, 1), e->span);
    }
    return stype_of_kind(ST_RUN);
}

/* A sweep's record: a list of entries [figure name, its arguments...], one
 * for each figure call written without the run and the year. */
static void compile_record(OnsCompiler *c, const OnsNode *e, int dst)
{
    if (e->kind != AST_LIST) {
        compile_error(c, e->span, "record takes a list of figures, like [localization(US, stage cell)]");
        return;
    }
    int mark = c->fs->freereg;
    int first = c->fs->freereg;
    uint32_t n = 0;
    for (const OnsNode *it = e->list.head; it; it = it->next, n++) {
        int entry = compile_reg_alloc(c, it->span);
        if (it->kind != AST_CALL || it->a->kind != AST_IDENT || !calls_builtin(c, it, it->a->text)) {
            compile_error(c, it->span, "record lists figures without the run and the year, like "
                                       "localization(US, stage cell)");
            continue;
        }
        int inner = c->fs->freereg;
        int name = compile_reg_alloc(c, it->span);
        compile_emit_loadk(c, name, compile_k_string(c, it->a->text, it->a->text_len), it->span);
        uint32_t k = 1;
        for (const OnsNode *a = it->list.head; a; a = a->next, k++) {
            if (a->text) compile_error(c, a->span, "a recorded figure takes its arguments in order, unnamed");
            compile_expr_into(c, a->a, compile_reg_alloc(c, a->span));
        }
        compile_emit(c, ins_abc(OP_NEWLIST, (unsigned)entry, (unsigned)name, k & 0xff), it->span);
        c->fs->freereg = inner;
    }
    if (n > 255) compile_error(c, e->span, "a record lists at most 255 figures");
    compile_emit(c, ins_abc(OP_NEWLIST, (unsigned)dst, (unsigned)first, n & 0xff), e->span);
    c->fs->freereg = mark;
}

/* sweep SCENARIO { runs, seed, record } (spec 11): the HOST operation on
 * the scenario, runs, seed and record (nil where not given). */
static OnsSType compile_sweep(OnsCompiler *c, const OnsNode *e, int dst)
{
    OnsNode id = ast_copy(e);
    id.kind = AST_IDENT;
    id.span = e->text_span;
    uint32_t idx;
    int mark = c->fs->freereg;
    int base = compile_reg_alloc(c, e->span);
    for (int i = 1; i < 4; i++) compile_reg_alloc(c, e->span);
    if (compile_names_variable(c, &id)) compile_expr_into(c, &id, base);
    else if (compile_resolve_entity(c, &id, ONS_ENT_SCENARIO, ONS_ENT_SCENARIO, &idx, NULL))
        compile_emit_loadk(c, base, ons_entity(ONS_ENT_SCENARIO, idx), e->span);
    const OnsNode *slot[3] = {NULL, NULL, NULL};
    static const char *const names[3] = {"runs", "seed", "record"};
    for (const OnsNode *it = e->list.head; it; it = it->next) {
        int which = -1;
        for (int i = 0; i < 3 && it->kind == AST_PROP; i++)
            if (strcmp(it->text, names[i]) == 0) which = i;
        if (which < 0) {
            compile_error(c, it->span, "a sweep takes runs, seed and record");
            continue;
        }
        if (slot[which]) compile_error(c, it->text_span, "'%s' is given twice", names[which]);
        slot[which] = it->a;
    }
    for (int i = 0; i < 3; i++) {
        if (!slot[i]) compile_emit(c, ins_abc(OP_LOADNIL, (unsigned)(base + 1 + i), 0, 0), e->span);
        else if (i == 2) compile_record(c, slot[i], base + 3);
        else compile_expr_into(c, slot[i], base + 1 + i);
    }
    compile_emit(c, ins_abc(OP_HOST, (unsigned)base, ONS_HOST_SWEEP, 4), e->span);
    if (dst != base) compile_emit(c, ins_abc(OP_MOVE, (unsigned)dst, (unsigned)base, 0), e->span);
    c->fs->freereg = mark;
    return stype_any();
}

OnsSType compile_expr_into(OnsCompiler *c, const OnsNode *e, int dst)
{
    OnsValue v;
    switch ((OnsNodeKind)e->kind) {
    case AST_NUM: case AST_STR: case AST_BOOL: case AST_NIL:
        compile_fold_constant(c, e, &v);
        return load_constant(c, e, v, dst);
    case AST_IDENT: return compile_ident(c, e, dst);
    case AST_LIST: return compile_list(c, e, dst);
    case AST_MAP: return compile_map(c, e, dst);
    case AST_SERIES: return compile_series(c, e, dst);
    case AST_UNARY: return compile_unary(c, e, dst);
    case AST_BINARY: return compile_binary(c, e, dst);
    case AST_IF_EXPR: return compile_if_expr(c, e, dst);
    case AST_CALL: return compile_call(c, e, dst);
    case AST_INDEX: {
        int mark = c->fs->freereg;
        int a = compile_expr_reg(c, e->a, NULL);
        int b = compile_expr_reg(c, e->b, NULL);
        compile_emit(c, ins_abc(OP_GETINDEX, (unsigned)dst, (unsigned)a, (unsigned)b), e->span);
        c->fs->freereg = mark;
        return stype_any();
    }
    case AST_MEMBER: return compile_member(c, e, dst);
    case AST_STAGE_REF: return compile_namespace_ref(c, e, dst, true);
    case AST_CLASS_REF: return compile_namespace_ref(c, e, dst, false);
    case AST_RUN: return compile_run(c, e, dst);
    case AST_SWEEP: return compile_sweep(c, e, dst);
    case AST_CHOICE:
        compile_error(c, e->span, "a distribution is the value of a param: `param p = choice {...}`");
        return stype_any();
    case AST_LAMBDA: {
        OnsProto *p = compile_function(c, "<lambda>", &e->list, e->a, (e->flags & AST_EXPR_BODY) != 0, e->span);
        uint32_t idx = proto_add_proto(c->fs->proto, p);
        compile_emit(c, ins_abx(OP_CLOSURE, (unsigned)dst, idx & ONS_MAX_Bx), e->span);
        return stype_of_kind(ST_FN);
    }
    case AST_STAR:
        compile_error(c, e->span, "'*' means \"every region\" or \"every material\" only in a policy rule");
        return stype_any();
    default:
        compile_error(c, e->span, "this is not an expression");
        return stype_any();
    }
}

/* ---- static types without code ---- */

OnsSType compile_static_type(OnsCompiler *c, const OnsNode *e)
{
    OnsValue v;
    /* a series literal's type is its first value's: folding it would make a
     * series object only to read its dimension (AST_SERIES below) */
    if (e->kind != AST_SERIES && compile_fold_constant(c, e, &v)) return type_of_constant(v, e);
    switch ((OnsNodeKind)e->kind) {
    case AST_BINARY: {
        if (e->op == AST_AND || e->op == AST_OR || e->op == AST_RANGE) return stype_any();
        if (e->op == AST_AT) {
            OnsSType t = compile_static_type(c, e->a);
            if (t.kind == ST_SERIES) t.kind = ST_NUM;
            return t;
        }
        /* a throwaway copy of diagnostics: static_type never reports */
        OnsSType a = compile_static_type(c, e->a), b = compile_static_type(c, e->b);
        if (is_numeric(&a) && is_numeric(&b) && a.dim_known && b.dim_known) {
            OnsDim d = a.dim;
            switch ((OnsOp)e->op) {
            case AST_ADD: case AST_SUB: case AST_MOD: {
                if (!dim_eq(a.dim, b.dim)) return stype_any();
                OnsSType r = stype_num(d, a.percent || b.percent);
                r.unit_text = scaled_unit_text(e->op, &a, &b);
                return r;
            }
            case AST_MUL: case AST_DIV: {
                if (!(e->op == AST_MUL ? dim_mul(a.dim, b.dim, &d) : dim_div(a.dim, b.dim, &d))) return stype_any();
                OnsSType r = stype_num(d, false);
                r.unit_text = scaled_unit_text(e->op, &a, &b);
                return r;
            }
            default: return stype_any();
            }
        }
        return stype_any();
    }
    case AST_UNARY:
        if (e->op == AST_NEG) {
            OnsSType t = compile_static_type(c, e->a);
            if (t.kind == ST_SERIES) t.kind = ST_NUM;
            return t;
        }
        return stype_of_kind(ST_BOOL);
    case AST_IF_EXPR: {
        OnsSType a = compile_static_type(c, e->b), b = compile_static_type(c, e->c);
        if (is_numeric(&a) && is_numeric(&b) && a.dim_known && b.dim_known && dim_eq(a.dim, b.dim))
            return stype_num(a.dim, false);
        return stype_any();
    }
    case AST_SERIES: {
        for (const OnsNode *p = e->list.head; p; p = p->next) {
            OnsSType t = compile_static_type(c, p->b);
            if (is_numeric(&t) && t.dim_known) {
                t.kind = ST_SERIES;
                t.unit_text = NULL;
                return t;
            }
        }
        return stype_any();
    }
    case AST_MEMBER: return member_type(c, e);
    case AST_STR: return stype_of_kind(ST_STR);
    case AST_LIST: return stype_of_kind(ST_LIST);
    case AST_MAP: return stype_of_kind(ST_MAP);
    case AST_IDENT: {
        OnsNameRef r = compile_resolve_name(c, e->text, e->text_len);
        if (r.kind == NAME_YEAR) return stype_num(dim_none(), false);
        if (r.kind == NAME_LOCAL && !r.local->assigned) return r.local->type;
        OnsSType gt;
        if (r.kind == NAME_GLOBAL && !r.is_entity && compile_global_type(c, r.index, &gt)) return gt;
        return stype_any();
    }
    case AST_CALL:
        if (e->a->kind == AST_IDENT) {
            OnsNameRef r = compile_resolve_name(c, e->a->text, e->a->text_len);
            if (r.kind == NAME_BUILTIN) {
                OnsSType args[4];
                uint32_t n = 0;
                for (const OnsNode *a = e->list.head; a && !a->text && n < 4; a = a->next) args[n++] = compile_static_type(c, a->a);
                return builtin_result(ONS_AS_NATIVE(r.value), args, n);
            }
        }
        return stype_any();
    default: return stype_any();
    }
}

/* ---- conditions ---- */

static void jump_add(OnsCompiler *c, OnsJumpList *list, uint32_t at, OnsSpan span)
{
    if (list->n >= (int)ONS_ARRAY_LEN(list->at)) {
        if (!list->overflow) compile_error(c, span, "this condition is too complex");
        list->overflow = true;
        return;
    }
    list->at[list->n++] = at;
}

void compile_jumps_patch_here(OnsCompiler *c, OnsJumpList *list)
{
    for (int i = 0; i < list->n; i++) compile_patch_jump(c, list->at[i]);
    list->n = 0;
}

static bool comparison_jump(OnsCompiler *c, const OnsNode *e, bool jump_when, OnsJumpList *list)
{
    OnsOp op = (OnsOp)e->op;
    int mark = c->fs->freereg;
    OnsSType ta, tb;
    int ra = compile_expr_reg(c, e->a, &ta);
    uint32_t k;
    OnsValue kv;
    if ((op == AST_LT || op == AST_LE || op == AST_GT || op == AST_GE) && small_k(c, e->b, &k, &kv)) {
        tb = type_of_constant(kv, e->b);
        binary_type(c, e, ta, tb);
        OnsOpcode o = op == AST_LT ? OP_JLTK : op == AST_LE ? OP_JLEK : op == AST_GT ? OP_JGTK : OP_JGEK;
        compile_emit(c, ins_abc(o, (unsigned)ra, k, jump_when), e->span);
    } else {
        int rb = compile_expr_reg(c, e->b, &tb);
        binary_type(c, e, ta, tb);
        switch (op) {
        case AST_EQ: compile_emit(c, ins_abc(OP_JEQ, (unsigned)ra, (unsigned)rb, jump_when), e->span); break;
        case AST_NE: compile_emit(c, ins_abc(OP_JEQ, (unsigned)ra, (unsigned)rb, !jump_when), e->span); break;
        case AST_LT: compile_emit(c, ins_abc(OP_JLT, (unsigned)ra, (unsigned)rb, jump_when), e->span); break;
        case AST_LE: compile_emit(c, ins_abc(OP_JLE, (unsigned)ra, (unsigned)rb, jump_when), e->span); break;
        case AST_GT: compile_emit(c, ins_abc(OP_JLT, (unsigned)rb, (unsigned)ra, jump_when), e->span); break;
        case AST_GE: compile_emit(c, ins_abc(OP_JLE, (unsigned)rb, (unsigned)ra, jump_when), e->span); break;
        default: break;
        }
    }
    jump_add(c, list, compile_emit_jump(c, e->span), e->span);
    c->fs->freereg = mark;
    return true;
}

void compile_cond_jump(OnsCompiler *c, const OnsNode *e, bool jump_when, OnsJumpList *list)
{
    if (e->kind == AST_UNARY && e->op == AST_NOT) {
        compile_cond_jump(c, e->a, !jump_when, list);
        return;
    }
    if (e->kind == AST_BOOL) {
        if (((e->flags & AST_TRUE) != 0) == jump_when) jump_add(c, list, compile_emit_jump(c, e->span), e->span);
        return;
    }
    if (e->kind == AST_BINARY && (e->op == AST_AND || e->op == AST_OR)) {
        bool is_and = e->op == AST_AND;
        if (is_and != jump_when) {
            /* and, jumping when false (or `or` jumping when true): either side decides */
            compile_cond_jump(c, e->a, jump_when, list);
            compile_cond_jump(c, e->b, jump_when, list);
        } else {
            OnsJumpList skip = {0};
            compile_cond_jump(c, e->a, !jump_when, &skip);
            compile_cond_jump(c, e->b, jump_when, list);
            compile_jumps_patch_here(c, &skip);
        }
        return;
    }
    if (e->kind == AST_BINARY && (e->op == AST_EQ || e->op == AST_NE || e->op == AST_LT ||
                                  e->op == AST_LE || e->op == AST_GT || e->op == AST_GE)) {
        comparison_jump(c, e, jump_when, list);
        return;
    }
    int mark = c->fs->freereg;
    int r = compile_expr_reg(c, e, NULL);
    compile_emit(c, ins_abc(OP_TEST, (unsigned)r, jump_when, 0), e->span);
    jump_add(c, list, compile_emit_jump(c, e->span), e->span);
    c->fs->freereg = mark;
}
