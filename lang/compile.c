/* The compiler's driver and its statements.
 *
 * frontend_compile runs the pipeline for one source: parse, load imports,
 * register the names the file declares (so any part of it can use any
 * other), check and stage the declarations, compile the top-level code,
 * then either commit everything to the model or roll it all back. */
#include "compiler.h"
#include "gc.h"
#include "mem.h"
#include "parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- diagnostics ---- */

void compile_error(OnsCompiler *c, OnsSpan span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(c->diags, ONS_SEV_ERROR, c->src, span, fmt, ap);
    va_end(ap);
}

void compile_note(OnsCompiler *c, OnsSource *src, OnsSpan span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(c->diags, ONS_SEV_NOTE, src, span, fmt, ap);
    va_end(ap);
}

void compile_warning(OnsCompiler *c, OnsSpan span, const char *fmt, ...)
{
    if (!c->opts->warnings) return; /* warnings are for `onshore check` */
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(c->diags, ONS_SEV_WARNING, c->src, span, fmt, ap);
    va_end(ap);
}

bool compile_failed(const OnsCompiler *c) { return c->diags->errors > c->errors_before; }

/* ---- functions, registers, code ---- */

void compile_fn_begin(OnsCompiler *c, OnsFnState *fs, const char *name, OnsSpan span, bool is_main)
{
    /* the scalars only: the tables (23 KB) are read below their counts, and
     * zeroing them for every function was a quarter of `import battery` */
    fs->nlocals = fs->depth = fs->freereg = fs->nupvals = 0;
    fs->too_many_regs = fs->too_many_locals = false;
    fs->enclosing = c->fs;
    fs->is_main = is_main;
    fs->proto = proto_new(c->vm, c->src);
    fs->proto->name = string_cstr(c->vm, name);
    fs->proto->span = span;
    fs->kcache = map_new(c->vm);
    /* keep the proto and its constant cache alive: the GC may run while we compile */
    vm_push_root(c->vm, ons_obj_value(&fs->proto->obj));
    vm_push_root(c->vm, ons_obj_value(&fs->kcache->obj));
    c->fs = fs;
}

OnsProto *compile_fn_end(OnsCompiler *c, OnsSpan span)
{
    OnsFnState *fs = c->fs;
    compile_emit(c, ins_abc(OP_RETURNNIL, 0, 0, 0), span);
    OnsProto *p = fs->proto;
    p->nupvals = (uint16_t)fs->nupvals;
    if (fs->nupvals) {
        p->upvals = ons_malloc((size_t)fs->nupvals * sizeof(OnsUpvalDesc));
        memcpy(p->upvals, fs->upvals, (size_t)fs->nupvals * sizeof(OnsUpvalDesc));
    }
    c->fs = fs->enclosing;
    vm_pop_roots(c->vm, 2);
    return p;
}

static void note_maxregs(OnsFnState *fs)
{
    if (fs->freereg > fs->proto->maxregs) fs->proto->maxregs = (uint8_t)fs->freereg;
}

int compile_reg_alloc(OnsCompiler *c, OnsSpan span)
{
    OnsFnState *fs = c->fs;
    if (fs->freereg >= ONS_MAX_REGS - 1) {
        if (!fs->too_many_regs)
            compile_error(c, span, "this function is too complex: it needs more than %d registers "
                             "(split it into smaller functions)", ONS_MAX_REGS);
        fs->too_many_regs = true;
        return ONS_MAX_REGS - 2;
    }
    int r = fs->freereg++;
    note_maxregs(fs);
    return r;
}

void compile_reg_reserve(OnsCompiler *c, int n, OnsSpan span)
{
    for (int i = 0; i < n; i++) compile_reg_alloc(c, span);
}

uint32_t compile_emit(OnsCompiler *c, uint32_t ins, OnsSpan span) { return proto_emit(c->fs->proto, ins, span); }

uint32_t compile_code_here(OnsCompiler *c) { return c->fs->proto->ncode; }

uint32_t compile_emit_jump(OnsCompiler *c, OnsSpan span) { return compile_emit(c, ins_sj(OP_JMP, 0), span); }

void compile_patch_jump_to(OnsCompiler *c, uint32_t at, uint32_t target)
{
    int64_t off = (int64_t)target - (int64_t)at - 1;
    if (off > ONS_MAX_sJ || off < -ONS_MAX_sJ) {
        compile_error(c, c->fs->proto->spans[at], "this function is too large to compile");
        return;
    }
    c->fs->proto->code[at] = ins_sj(OP_JMP, (int32_t)off);
}

void compile_patch_jump(OnsCompiler *c, uint32_t at) { compile_patch_jump_to(c, at, compile_code_here(c)); }

uint32_t compile_k_index(OnsCompiler *c, OnsValue v)
{
    OnsFnState *fs = c->fs;
    OnsValue found;
    bool cacheable = map_key_ok(v);
    if (cacheable && map_get(fs->kcache, v, &found)) {
        /* numbers equal as keys but printed differently (25% and 0.25) stay apart */
        if (found.type == ONS_T_NUM && fs->proto->k[(uint32_t)found.as.num].hdr == v.hdr)
            return (uint32_t)found.as.num;
    }
    uint32_t i = proto_add_k(fs->proto, v);
    if (cacheable) map_set(fs->kcache, v, ons_num(i));
    return i;
}

OnsValue compile_k_string(OnsCompiler *c, const char *s, size_t len)
{
    return ons_obj_value(&string_new(c->vm, s, len)->obj);
}

void compile_emit_loadk(OnsCompiler *c, int reg, OnsValue v, OnsSpan span)
{
    /* small whole numbers go in the instruction (range first: casting a
     * huge double to int is undefined) */
    if (v.type == ONS_T_NUM && v.hdr == ons_plain_num_hdr() && v.as.num >= -ONS_MAX_sBx &&
        v.as.num <= ONS_MAX_sBx && v.as.num == (int)v.as.num && !(v.as.num == 0 && signbit(v.as.num))) {
        compile_emit(c, ins_asbx(OP_LOADI, (unsigned)reg, (int)v.as.num), span);
        return;
    }
    if (v.type == ONS_T_NIL) {
        compile_emit(c, ins_abc(OP_LOADNIL, (unsigned)reg, 0, 0), span);
        return;
    }
    if (v.type == ONS_T_BOOL) {
        compile_emit(c, ins_abc(OP_LOADBOOL, (unsigned)reg, v.as.b, 0), span);
        return;
    }
    uint32_t k = compile_k_index(c, v);
    if (k <= ONS_MAX_Bx) {
        compile_emit(c, ins_abx(OP_LOADK, (unsigned)reg, k), span);
    } else {
        compile_emit(c, ins_abc(OP_LOADKX, (unsigned)reg, 0, 0), span);
        compile_emit(c, ins_ax(OP_EXTRA, k), span);
    }
}

/* ---- names ---- */

static bool same_name(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

static int find_local(OnsFnState *fs, const char *name, uint32_t len)
{
    for (int i = fs->nlocals - 1; i >= 0; i--)
        if (same_name(fs->locals[i].name, fs->locals[i].len, name, len)) return i;
    return -1;
}

static int add_upvalue(OnsCompiler *c, OnsFnState *fs, bool in_stack, int index, const char *name,
                       uint32_t len)
{
    for (int i = 0; i < fs->nupvals; i++)
        if (fs->upvals[i].in_stack == in_stack && fs->upvals[i].index == index) return i;
    if (fs->nupvals >= ONS_MAX_REGS) {
        compile_error(c, fs->proto->span, "this function captures too many variables");
        return 0;
    }
    fs->upvals[fs->nupvals] = (OnsUpvalDesc){in_stack, (uint8_t)index};
    fs->upnames[fs->nupvals] = (OnsUpvalName){name, len};
    return fs->nupvals++;
}

/* A variable of an enclosing function, captured by reference (Lua's scheme). */
static int resolve_upvalue(OnsCompiler *c, OnsFnState *fs, const char *name, uint32_t len)
{
    if (!fs->enclosing) return -1;
    OnsFnState *enc = fs->enclosing;
    int l = find_local(enc, name, len);
    if (l >= 0 && !(enc->is_main && enc->locals[l].depth == 0)) {
        enc->locals[l].captured = true;
        return add_upvalue(c, fs, true, enc->locals[l].reg, name, len);
    }
    int u = resolve_upvalue(c, enc, name, len);
    if (u >= 0) return add_upvalue(c, fs, false, u, name, len);
    return -1;
}

OnsNameRef compile_resolve_name(OnsCompiler *c, const char *name, uint32_t len)
{
    OnsNameRef r;
    memset(&r, 0, sizeof r);
    OnsFnState *fs = c->fs;
    if (fs) {
        int l = find_local(fs, name, len);
        if (l >= 0) {
            r.kind = NAME_LOCAL;
            r.index = fs->locals[l].reg;
            r.local = &fs->locals[l];
            return r;
        }
        int u = resolve_upvalue(c, fs, name, len);
        if (u >= 0) {
            r.kind = NAME_UPVAL;
            r.index = u;
            return r;
        }
    }
    if (same_name(name, len, "year", 4)) {
        r.kind = NAME_YEAR;
        return r;
    }
    int32_t g = vm_global_find(c->vm, name, len);
    if (g >= 0) {
        r.kind = NAME_GLOBAL;
        r.index = g;
        if (c->vm->globals[g].kind == ONS_GLOBAL_ENTITY) {
            r.is_entity = true;
            r.value = c->vm->gvals[g];
        }
        return r;
    }
    OnsNative *n = vm_builtin(c->vm, name, len);
    if (n) {
        r.kind = NAME_BUILTIN;
        r.value = ons_obj_value(&n->obj);
        return r;
    }
    int32_t s = model_find_stage(c->model, name, len);
    if (s >= 0) {
        r.kind = NAME_STAGE;
        r.value = ons_entity(ONS_ENT_STAGE, (uint32_t)s);
        return r;
    }
    int32_t k = model_find_class(c->model, name, len);
    if (k >= 0) {
        r.kind = NAME_CLASS;
        r.value = ons_entity(ONS_ENT_CLASS, (uint32_t)k);
        return r;
    }
    return r;
}

/* An undeclared name where entities of one kind (or alt) are wanted: the
 * suggestion is among those entities only (`extends nope` never suggests
 * the function `type`). */
static void report_undeclared_entity(OnsCompiler *c, const OnsNode *ident, OnsEntityKind want, OnsEntityKind alt)
{
    const char *name = ident->text;
    size_t len = ident->text_len;
    OnsClosest near;
    diag_closest_init(&near, name, len);
    for (uint32_t i = 0; i < c->vm->nglobals; i++) {
        OnsValue v = c->vm->gvals[i];
        if (v.type == ONS_T_ENTITY && (v.hint == want || v.hint == alt))
            diag_closest_offer(&near, c->vm->globals[i].name->chars, c->vm->globals[i].name->len);
    }
    const char *what = ons_entity_kind_name(want);
    if (near.best)
        compile_error(c, ident->span, "%s '%.*s' is not declared; did you mean '%.*s'?", what, (int)len, name,
                (int)near.best_len, near.best);
    else
        compile_error(c, ident->span, "%s '%.*s' is not declared", what, (int)len, name);
}

void compile_undeclared(OnsCompiler *c, const OnsNode *ident, const char *what)
{
    const char *name = ident->text;
    size_t len = ident->text_len;
    OnsClosest near;
    diag_closest_init(&near, name, len);
    for (OnsFnState *fs = c->fs; fs; fs = fs->enclosing)
        for (int i = 0; i < fs->nlocals; i++) diag_closest_offer(&near, fs->locals[i].name, fs->locals[i].len);
    for (uint32_t i = 0; i < c->vm->nglobals; i++)
        diag_closest_offer(&near, c->vm->globals[i].name->chars, c->vm->globals[i].name->len);
    OnsMap *b = c->vm->builtins;
    for (uint32_t i = 0; i < b->len; i++) {
        OnsString *s = ONS_AS_STRING(b->entries[i].key);
        diag_closest_offer(&near, s->chars, s->len);
    }
    if (near.best)
        compile_error(c, ident->span, "%s '%.*s' is not declared; did you mean '%.*s'?", what, (int)len, name,
                (int)near.best_len, near.best);
    else
        compile_error(c, ident->span, "%s '%.*s' is not declared", what, (int)len, name);
}

bool compile_names_variable(OnsCompiler *c, const OnsNode *ident)
{
    if (!ident || ident->kind != AST_IDENT) return false;
    OnsNameRef r = compile_resolve_name(c, ident->text, ident->text_len);
    return !r.is_entity && (r.kind == NAME_LOCAL || r.kind == NAME_UPVAL || r.kind == NAME_GLOBAL);
}

bool compile_resolve_entity(OnsCompiler *c, const OnsNode *ident, OnsEntityKind want, OnsEntityKind alt,
                    uint32_t *index, OnsEntityKind *got)
{
    if (!ident || ident->kind != AST_IDENT) {
        compile_error(c, ident ? ident->span : (OnsSpan){0, 0}, "expected the name of a %s here",
                ons_entity_kind_name(want));
        return false;
    }
    OnsNameRef r = compile_resolve_name(c, ident->text, ident->text_len);
    OnsValue v = r.value;
    if (r.kind == NAME_NONE) {
        report_undeclared_entity(c, ident, want, alt);
        return false;
    }
    if (!(r.is_entity || r.kind == NAME_STAGE || r.kind == NAME_CLASS) ||
        (v.hint != want && v.hint != alt)) {
        char what[64] = "a variable";
        if (r.is_entity || r.kind == NAME_STAGE || r.kind == NAME_CLASS)
            snprintf(what, sizeof what, "a %s", ons_entity_kind_name((OnsEntityKind)v.hint));
        else if (r.kind == NAME_BUILTIN)
            snprintf(what, sizeof what, "a built-in function");
        if (want != alt)
            compile_error(c, ident->span, "'%s' is %s, not a %s or %s", ident->text, what,
                    ons_entity_kind_name(want), ons_entity_kind_name(alt));
        else
            compile_error(c, ident->span, "'%s' is %s, not a %s", ident->text, what, ons_entity_kind_name(want));
        return false;
    }
    *index = v.as.index;
    if (got) *got = (OnsEntityKind)v.hint;
    return true;
}

/* ---- scopes and locals ---- */

static void scope_begin(OnsCompiler *c) { c->fs->depth++; }

static void scope_end(OnsCompiler *c, OnsSpan span)
{
    OnsFnState *fs = c->fs;
    int first_captured = -1;
    while (fs->nlocals > 0 && fs->locals[fs->nlocals - 1].depth >= fs->depth) {
        OnsLocal *l = &fs->locals[fs->nlocals - 1];
        if (l->captured) first_captured = l->reg;
        fs->nlocals--;
    }
    if (first_captured >= 0) compile_emit(c, ins_abc(OP_CLOSE, (unsigned)first_captured, 0, 0), span);
    fs->depth--;
    fs->freereg = fs->nlocals ? fs->locals[fs->nlocals - 1].reg + 1 : 0;
}

/* Declares a local in the current scope, occupying register reg. */
static OnsLocal *add_local(OnsCompiler *c, const char *name, uint32_t len, int reg, OnsSpan span)
{
    OnsFnState *fs = c->fs;
    if (fs->nlocals >= ONS_MAX_REGS - 2) {
        if (!fs->too_many_locals)
            compile_error(c, span, "too many local variables in one function (at most %d)", ONS_MAX_REGS - 2);
        fs->too_many_locals = fs->too_many_regs = true; /* one error for one cause */
        return &fs->locals[0];
    }
    OnsLocal *l = &fs->locals[fs->nlocals++];
    memset(l, 0, sizeof *l);
    l->name = name;
    l->len = len;
    l->reg = (uint8_t)reg;
    l->depth = fs->depth;
    return l;
}

/* Does this name, at this place, make a global? (top-level of the main chunk) */
static bool at_global_scope(OnsCompiler *c) { return c->fs->is_main && c->fs->depth == 0; }

static void check_not_year(OnsCompiler *c, const char *name, uint32_t len, OnsSpan span)
{
    if (same_name(name, len, "year", 4))
        compile_error(c, span, "'year' is read-only: it is the year being simulated (or set with `at`)");
}

static void store_global(OnsCompiler *c, uint32_t slot, int reg, OnsSpan span)
{
    if (slot <= ONS_MAX_Bx) {
        compile_emit(c, ins_abx(OP_SETGLOBAL, (unsigned)reg, slot), span);
    } else {
        compile_emit(c, ins_abc(OP_SETGLOBALX, (unsigned)reg, 0, 0), span);
        compile_emit(c, ins_ax(OP_EXTRA, slot), span);
    }
}

/* ---- statements ---- */

/* ---- static types of globals assigned once ---- */

/* Counts, for every name, the assignments (`x = e`, `let x`) anywhere in the
 * file, functions included: a global assigned once keeps one type. */
static void count_assignments(OnsCompiler *c, const OnsNode *n)
{
    for (; n; n = n->next) {
        const char *name = NULL;
        uint32_t len = 0;
        if (n->kind == AST_LET || n->kind == AST_FOR) {
            name = n->text;
            len = n->text_len;
        } else if (n->kind == AST_ASSIGN && n->a && n->a->kind == AST_IDENT) {
            name = n->a->text;
            len = n->a->text_len;
        }
        if (name) {
            OnsValue key = compile_k_string(c, name, len), count;
            double was = map_get(c->assign_counts, key, &count) ? count.as.num : 0;
            map_set(c->assign_counts, key, ons_num(was + 1));
        }
        const OnsNode *kids[5];
        ast_kids(n, kids);
        for (int i = 0; i < 5; i++)
            if (kids[i]) count_assignments(c, kids[i]);
        if (ast_list_first(n)) count_assignments(c, ast_list_first(n));
        if (n->kind == AST_PAIR || n->kind == AST_ARG) continue;
    }
}

static bool assigned_once(OnsCompiler *c, const char *name, uint32_t len)
{
    OnsValue count;
    return c->assign_counts && map_get(c->assign_counts, compile_k_string(c, name, len), &count) && count.as.num == 1;
}

static void set_global_type(OnsCompiler *c, int slot, OnsSType t)
{
    if (t.kind == ST_ANY || slot < 0) return;
    size_t need = (size_t)slot + 1;
    if (need > c->gtypes_cap) {
        size_t cap = c->gtypes_cap, cap2 = c->gtypes_cap;
        ONS_GROW(c->gtypes, cap, need);
        ONS_GROW(c->gtype_known, cap2, need);
        for (size_t i = c->gtypes_cap; i < cap; i++) c->gtype_known[i] = false;
        c->gtypes_cap = cap;
    }
    c->gtypes[slot] = t; /* unit_text lives in the arena, as long as this compilation */
    c->gtype_known[slot] = true;
}

bool compile_global_type(OnsCompiler *c, int slot, OnsSType *out)
{
    if (slot < 0 || (size_t)slot >= c->gtypes_cap || !c->gtype_known[slot]) return false;
    *out = c->gtypes[slot];
    return true;
}

static void compile_let(OnsCompiler *c, const OnsNode *n)
{
    check_not_year(c, n->text, n->text_len, n->text_span);
    if (at_global_scope(c)) {
        int32_t g = vm_global_find(c->vm, n->text, n->text_len);
        /* `onshore -D NAME=VALUE`: the command line's value wins over the
         * file's default, as make's command-line variables do */
        if (g >= 0 && c->vm->globals[g].preset && c->fs->enclosing == NULL) return;
        int mark = c->fs->freereg;
        int r = compile_reg_alloc(c, n->span);
        c->param_read = NULL;
        OnsSType t = compile_expr_into(c, n->a, r);
        /* spec 11: top-level code reads a param's nominal value, once */
        if (c->param_read && c->fs->enclosing == NULL)
            compile_warning(c, n->span, "'%.*s' reads param %s once, at its nominal value: a sweep does not vary it "
                                        "(use the param where the model reads it, or a function)",
                            (int)n->text_len, n->text, c->param_read);
        if (g >= 0) store_global(c, (uint32_t)g, r, n->span);
        if (g >= 0 && assigned_once(c, n->text, n->text_len)) set_global_type(c, g, t);
        c->fs->freereg = mark;
        return;
    }
    int r = compile_reg_alloc(c, n->span);
    OnsSType t = compile_expr_into(c, n->a, r);
    OnsLocal *l = add_local(c, n->text, n->text_len, r, n->text_span); /* visible after its value */
    l->type = t;
}

static void compile_assign_name(OnsCompiler *c, const OnsNode *target, const OnsNode *value, OnsSpan span)
{
    check_not_year(c, target->text, target->text_len, target->span);
    OnsNameRef r = compile_resolve_name(c, target->text, target->text_len);
    int mark = c->fs->freereg;
    switch (r.kind) {
    case NAME_LOCAL:
        compile_expr_into(c, value, r.index);
        r.local->assigned = true;
        r.local->type = stype_any();
        return;
    case NAME_UPVAL: {
        int t = compile_reg_alloc(c, span);
        compile_expr_into(c, value, t);
        compile_emit(c, ins_abc(OP_SETUPVAL, (unsigned)t, (unsigned)r.index, 0), span);
        c->fs->freereg = mark;
        return;
    }
    case NAME_GLOBAL:
        if (r.is_entity) {
            compile_error(c, target->span, "'%s' is a %s; it cannot be assigned", target->text,
                    ons_entity_kind_name((OnsEntityKind)r.value.hint));
            return;
        }
        {
            int t = compile_reg_alloc(c, span);
            OnsSType type = compile_expr_into(c, value, t);
            store_global(c, (uint32_t)r.index, t, span);
            if (at_global_scope(c) && assigned_once(c, target->text, target->text_len))
                set_global_type(c, r.index, type);
            c->fs->freereg = mark;
        }
        return;
    default:
        break;
    }
    /* a new name: a global at the top of a file, otherwise a local */
    if (c->fs->is_main && (c->fs->depth == 0 || c->fs->enclosing == NULL)) {
        uint32_t slot = vm_global_add(c->vm, target->text, target->text_len, ONS_GLOBAL_VAR);
        c->vm->globals[slot].src = c->src;
        c->vm->globals[slot].span = target->span;
        int t = compile_reg_alloc(c, span);
        compile_expr_into(c, value, t);
        store_global(c, slot, t, span);
        c->fs->freereg = mark;
        return;
    }
    int reg = compile_reg_alloc(c, span);
    OnsSType t = compile_expr_into(c, value, reg);
    OnsLocal *l = add_local(c, target->text, target->text_len, reg, target->span);
    l->type = t;
}

static void compile_assign(OnsCompiler *c, const OnsNode *n)
{
    const OnsNode *t = n->a;
    int mark = c->fs->freereg;
    switch (t->kind) {
    case AST_IDENT: compile_assign_name(c, t, n->b, n->span); return;
    case AST_INDEX: {
        int obj = compile_expr_reg(c, t->a, NULL);
        int key = compile_expr_reg(c, t->b, NULL);
        int val = compile_expr_reg(c, n->b, NULL);
        compile_emit(c, ins_abc(OP_SETINDEX, (unsigned)obj, (unsigned)key, (unsigned)val), n->span);
        break;
    }
    case AST_MEMBER: {
        int obj = compile_expr_reg(c, t->a, NULL);
        int name = compile_reg_alloc(c, t->span);
        compile_emit_loadk(c, name, compile_k_string(c, t->text, t->text_len), t->span);
        int val = compile_expr_reg(c, n->b, NULL);
        compile_emit(c, ins_abc(OP_SETPROP, (unsigned)obj, (unsigned)name, (unsigned)val), n->span);
        break;
    }
    default:
        compile_error(c, t->span, "cannot assign to this: the left of '=' must be a name, `x[key]` or `x.field`");
        break;
    }
    c->fs->freereg = mark;
}

static void compile_if(OnsCompiler *c, const OnsNode *n)
{
    OnsJumpList skip = {0};
    int mark = c->fs->freereg;
    compile_cond_jump(c, n->a, false, &skip);
    c->fs->freereg = mark;
    compile_block(c, n->b);
    if (n->c) {
        uint32_t end = compile_emit_jump(c, n->span);
        compile_jumps_patch_here(c, &skip);
        if (n->c->kind == AST_IF) compile_if(c, n->c);
        else compile_block(c, n->c);
        compile_patch_jump(c, end);
    } else {
        compile_jumps_patch_here(c, &skip);
    }
}

/* The test sits below the body, so each iteration runs one jump fewer:
 *     JMP test;  top: body;  test: if cond goto top
 * (`while true` needs no test: it enters the body straight away). */
static void compile_while(OnsCompiler *c, const OnsNode *n)
{
    bool forever = n->a->kind == AST_BOOL && (n->a->flags & AST_TRUE);
    uint32_t enter = forever ? 0 : compile_emit_jump(c, n->span);
    uint32_t top = compile_code_here(c);
    compile_block(c, n->b);
    if (!forever) compile_patch_jump_to(c, enter, compile_code_here(c));
    OnsJumpList again = {0};
    int mark = c->fs->freereg;
    compile_cond_jump(c, n->a, true, &again);
    c->fs->freereg = mark;
    for (int i = 0; i < again.n; i++) {
        compile_patch_jump_to(c, again.at[i], top);
        c->fs->proto->spans[again.at[i]] = n->span; /* a step limit stops "at the loop" */
    }
}

/* Closes the upvalues a loop body captured, so each iteration gets fresh ones. */
static void close_loop_body(OnsCompiler *c, int first_local, int reg, OnsSpan span)
{
    bool captured = false;
    for (int i = first_local; i < c->fs->nlocals; i++) captured |= c->fs->locals[i].captured;
    if (captured) compile_emit(c, ins_abc(OP_CLOSE, (unsigned)reg, 0, 0), span);
}

static void compile_for(OnsCompiler *c, const OnsNode *n)
{
    OnsFnState *fs = c->fs;
    check_not_year(c, n->text, n->text_len, n->text_span);
    scope_begin(c);
    int base = compile_reg_alloc(c, n->span);
    compile_reg_reserve(c, 2, n->span);
    /* base: counter or iterable, base+1: limit or index, base+2: the variable */
    add_local(c, "(for state)", 11, base, n->span);
    add_local(c, "(for limit)", 11, base + 1, n->span);
    bool numeric = n->a->kind == AST_BINARY && n->a->op == AST_RANGE;
    uint32_t prep;
    if (numeric) {
        compile_expr_into(c, n->a->a, base);
        compile_expr_into(c, n->a->b, base + 1);
        prep = compile_emit(c, ins_abc(OP_FORPREP, (unsigned)base, 0, 0), n->a->span);
    } else {
        compile_expr_into(c, n->a, base);
        compile_emit(c, ins_abc(OP_ITERPREP, (unsigned)base, 0, 0), n->a->span);
        prep = compile_emit(c, ins_abc(OP_ITERNEXT, (unsigned)base, 0, 0), n->a->span);
    }
    uint32_t exit_jump = compile_emit_jump(c, n->span);
    int first_local = fs->nlocals;
    OnsLocal *var = add_local(c, n->text, n->text_len, base + 2, n->text_span);
    var->type = numeric ? stype_num(dim_none(), false) : stype_any();
    compile_block(c, n->b);
    close_loop_body(c, first_local, base + 2, n->span);
    if (numeric) {
        compile_emit(c, ins_abc(OP_FORLOOP, (unsigned)base, 0, 0), n->span);
        uint32_t back = compile_emit_jump(c, n->span);
        compile_patch_jump_to(c, back, prep + 2); /* the first instruction of the body */
    } else {
        uint32_t back = compile_emit_jump(c, n->span);
        compile_patch_jump_to(c, back, prep);
    }
    compile_patch_jump(c, exit_jump);
    scope_end(c, n->span);
}

static void compile_return(OnsCompiler *c, const OnsNode *n)
{
    if (c->fs->is_main) {
        compile_error(c, n->span, "'return' belongs inside a function");
        return;
    }
    if (!n->a) {
        compile_emit(c, ins_abc(OP_RETURNNIL, 0, 0, 0), n->span);
        return;
    }
    int mark = c->fs->freereg;
    int r = compile_expr_reg(c, n->a, NULL);
    compile_emit(c, ins_abc(OP_RETURN, (unsigned)r, 0, 0), n->span);
    c->fs->freereg = mark;
}

static bool is_comparison(const OnsNode *e)
{
    return e->kind == AST_BINARY && (e->op == AST_EQ || e->op == AST_NE || e->op == AST_LT ||
                                     e->op == AST_LE || e->op == AST_GT || e->op == AST_GE);
}

/* assert: the message is the user's, or the condition as written; for a
 * comparison both sides are shown when it fails. */
static void compile_assert(OnsCompiler *c, const OnsNode *n)
{
    int mark = c->fs->freereg;
    int base = compile_reg_alloc(c, n->span);
    compile_reg_reserve(c, 3, n->span);
    unsigned flags = 1;
    const OnsNode *e = n->a;
    if (is_comparison(e)) {
        /* evaluate both sides once, keep them for the message */
        compile_expr_into(c, e->a, base + 2);
        compile_expr_into(c, e->b, base + 3);
        OnsOpcode op = OP_EQ;
        int x = base + 2, y = base + 3;
        switch ((OnsOp)e->op) {
        case AST_EQ: op = OP_EQ; break;
        case AST_NE: op = OP_NE; break;
        case AST_LT: op = OP_LT; break;
        case AST_LE: op = OP_LE; break;
        case AST_GT: op = OP_LT; x = base + 3; y = base + 2; break;
        case AST_GE: op = OP_LE; x = base + 3; y = base + 2; break;
        default: break;
        }
        compile_emit(c, ins_abc(op, (unsigned)base, (unsigned)x, (unsigned)y), e->span);
        flags |= 2;
    } else {
        compile_expr_into(c, e, base);
    }
    if (n->b) {
        compile_expr_into(c, n->b, base + 1);
    } else {
        const char *text = c->src->text + e->span.start;
        compile_emit_loadk(c, base + 1, compile_k_string(c, text, e->span.end - e->span.start), e->span);
    }
    compile_emit(c, ins_abc(OP_ASSERT, (unsigned)base, flags, 0), n->span);
    c->fs->freereg = mark;
}

OnsProto *compile_function(OnsCompiler *c, const char *name, const OnsNodeList *params,
                           const OnsNode *body, bool expr_body, OnsSpan span)
{
    OnsFnState fs;
    compile_fn_begin(c, &fs, name, span, false);
    OnsProto *p = fs.proto;
    if (params->len > ONS_MAX_REGS / 2) compile_error(c, span, "too many parameters (at most %d)", ONS_MAX_REGS / 2);
    p->nparams = (uint8_t)(params->len > ONS_MAX_REGS / 2 ? ONS_MAX_REGS / 2 : params->len);
    p->param_names = ons_calloc(params->len ? params->len : 1, sizeof(OnsString *));
    int i = 0;
    for (const OnsNode *prm = params->head; prm && i < p->nparams; prm = prm->next, i++) {
        check_not_year(c, prm->text, prm->text_len, prm->span);
        for (const OnsNode *q = params->head; q != prm; q = q->next)
            if (same_name(q->text, q->text_len, prm->text, prm->text_len))
                compile_error(c, prm->span, "parameter '%s' appears twice", prm->text);
        int r = compile_reg_alloc(c, prm->span);
        add_local(c, prm->text, prm->text_len, r, prm->span);
        p->param_names[i] = string_new(c->vm, prm->text, prm->text_len);
    }
    if (expr_body) {
        int mark = fs.freereg;
        int r = compile_expr_reg(c, body, NULL);
        compile_emit(c, ins_abc(OP_RETURN, (unsigned)r, 0, 0), body->span);
        fs.freereg = mark;
    } else {
        for (const OnsNode *s = body->list.head; s; s = s->next) compile_stmt(c, s);
    }
    return compile_fn_end(c, (OnsSpan){span.end, span.end});
}

/* Emits the closure of a nested function into register reg. */
static void emit_closure(OnsCompiler *c, OnsProto *p, int reg, OnsSpan span)
{
    uint32_t idx = proto_add_proto(c->fs->proto, p);
    if (idx > ONS_MAX_Bx) compile_error(c, span, "too many functions in one function");
    compile_emit(c, ins_abx(OP_CLOSURE, (unsigned)reg, idx & ONS_MAX_Bx), span);
}

static void compile_fn(OnsCompiler *c, const OnsNode *n)
{
    check_not_year(c, n->text, n->text_len, n->text_span);
    if (at_global_scope(c)) {
        /* top-level functions are hoisted: compile_program emitted them first */
        return;
    }
    int reg = compile_reg_alloc(c, n->span);
    add_local(c, n->text, n->text_len, reg, n->text_span); /* before the body: it may recurse */
    OnsProto *p = compile_function(c, n->text, &n->list, n->a, (n->flags & AST_EXPR_BODY) != 0, n->span);
    emit_closure(c, p, reg, n->span);
}

static void compile_expr_stmt(OnsCompiler *c, const OnsNode *n)
{
    int mark = c->fs->freereg;
    int r = compile_reg_alloc(c, n->span);
    compile_expr_into(c, n->a, r);
    c->fs->freereg = mark;
}

void compile_block(OnsCompiler *c, const OnsNode *block)
{
    scope_begin(c);
    for (const OnsNode *s = block->list.head; s; s = s->next) compile_stmt(c, s);
    scope_end(c, block->span);
}

void compile_stmt(OnsCompiler *c, const OnsNode *n)
{
    if (diags_full(c->diags)) {
        c->diags->too_many = true; /* statements are left unchecked: say so */
        return;
    }
    if (declare_is_declaration(n) || n->kind == AST_IMPORT) {
        if (!at_global_scope(c))
            compile_error(c, n->span, "%s declarations belong at the top level of a file, not inside a block",
                    ast_kind_name((OnsNodeKind)n->kind));
        return; /* handled by declare.c / the import pass */
    }
    switch ((OnsNodeKind)n->kind) {
    case AST_LET: compile_let(c, n); break;
    case AST_ASSIGN: compile_assign(c, n); break;
    case AST_EXPR_STMT: compile_expr_stmt(c, n); break;
    case AST_IF: compile_if(c, n); break;
    case AST_FOR: compile_for(c, n); break;
    case AST_WHILE: compile_while(c, n); break;
    case AST_RETURN: compile_return(c, n); break;
    case AST_FN: compile_fn(c, n); break;
    case AST_ASSERT: compile_assert(c, n); break;
    case AST_REPORT: compile_report(c, n); break;
    case AST_EXPLAIN: compile_explain(c, n); break;
    case AST_PLOT: compile_plot(c, n); break;
    case AST_BLOCK: compile_block(c, n); break;
    default: compile_error(c, n->span, "this cannot stand as a statement"); break;
    }
}

/* ---- the program ---- */

/* Registers the globals a file's top level defines, so every part of it can
 * refer to them (functions are hoisted; variables exist but are unset until
 * their statement runs). */
static void predeclare_globals(OnsCompiler *c, const OnsNodeList *items)
{
    for (const OnsNode *n = items->head; n; n = n->next) {
        const char *name = NULL;
        uint32_t len = 0;
        OnsSpan span = n->span;
        if (n->kind == AST_LET || n->kind == AST_FN) {
            name = n->text;
            len = n->text_len;
            span = n->text_span;
        } else if (n->kind == AST_ASSIGN && n->a->kind == AST_IDENT) {
            name = n->a->text;
            len = n->a->text_len;
            span = n->a->span;
        }
        if (!name || same_name(name, len, "year", 4)) continue;
        int32_t g = vm_global_find(c->vm, name, len);
        if (g >= 0) {
            OnsGlobal *gl = &c->vm->globals[g];
            bool redecl = n->kind != AST_ASSIGN;
            if (gl->kind == ONS_GLOBAL_ENTITY && !redecl) continue; /* compile_assign says it cannot be assigned */
            if (gl->kind == ONS_GLOBAL_ENTITY) {
                compile_error(c, span, "'%s' is already declared as a %s", gl->name->chars,
                        ons_entity_kind_name((OnsEntityKind)c->vm->gvals[g].hint));
                if (gl->src) compile_note(c, gl->src, gl->span, "'%s' is declared here", gl->name->chars);
            } else if (redecl && gl->src == c->src && !c->opts->repl && (uint32_t)g >= c->globals_mark) {
                compile_error(c, span, "'%s' is already declared in this file", gl->name->chars);
                compile_note(c, gl->src, gl->span, "the first declaration is here");
            }
            if (n->kind == AST_FN) gl->is_fn = true;
            continue;
        }
        uint32_t slot = vm_global_add(c->vm, name, len, ONS_GLOBAL_VAR);
        c->vm->globals[slot].src = c->src;
        c->vm->globals[slot].span = span;
        c->vm->globals[slot].is_fn = n->kind == AST_FN;
        if (vm_builtin(c->vm, name, len))
            compile_warning(c, span, "'%.*s' hides the built-in function of that name", (int)len, name);
    }
}

static void hoist_functions(OnsCompiler *c, const OnsNodeList *items)
{
    for (const OnsNode *n = items->head; n; n = n->next) {
        if (n->kind != AST_FN) continue;
        int32_t g = vm_global_find(c->vm, n->text, n->text_len);
        if (g < 0) continue;
        OnsProto *p = compile_function(c, n->text, &n->list, n->a, (n->flags & AST_EXPR_BODY) != 0, n->span);
        int mark = c->fs->freereg;
        int r = compile_reg_alloc(c, n->span);
        emit_closure(c, p, r, n->span);
        store_global(c, (uint32_t)g, r, n->span);
        c->fs->freereg = mark;
    }
}

static void add_note(OnsCompiler *c, const char *text)
{
    if (c->nnotes == c->notes_cap) {
        c->notes_cap = c->notes_cap ? c->notes_cap * 2 : 8;
        c->notes = ons_realloc(c->notes, (size_t)c->notes_cap * sizeof(char *));
    }
    c->notes[c->nnotes++] = ons_strdup(text);
}

void compile_add_note(OnsCompiler *c, const char *text) { add_note(c, text); }

static void compile_program(OnsCompiler *c, const OnsNodeList *items, OnsCompileResult *res)
{
    OnsFnState fs;
    compile_fn_begin(c, &fs, "<script>", (OnsSpan){0, c->src->len}, true);
    /* entities first: an error then lands on the variable that reuses an
     * entity's name, not on the entity declared above it */
    declare_names(c, items);
    predeclare_globals(c, items);
    c->assign_counts = map_new(c->vm);
    count_assignments(c, items->head);
    declare_bodies(c);
    hoist_functions(c, items);
    const OnsNode *last = items->tail;
    /* where each top-level statement's code starts, so one can be skipped
     * (vm_skip); declarations emit no code and start nothing */
    OnsProto *script = c->fs->proto;
    size_t stmts_cap = 0;
    for (const OnsNode *n = items->head; n; n = n->next) {
        if (!declare_is_declaration(n) && n->kind != AST_IMPORT) {
            ONS_GROW(script->stmts, stmts_cap, (size_t)script->nstmts + 2);
            script->stmts[script->nstmts++] = compile_code_here(c);
        }
        if (c->opts->repl && n == last && n->kind == AST_EXPR_STMT) {
            int mark = c->fs->freereg;
            int r = compile_reg_alloc(c, n->span);
            compile_expr_into(c, n->a, r);
            compile_emit(c, ins_abc(OP_RETURN, (unsigned)r, 0, 0), n->span);
            c->fs->freereg = mark;
            res->has_value = true;
            continue;
        }
        compile_stmt(c, n);
    }
    if (script->nstmts) script->stmts[script->nstmts++] = compile_code_here(c);
    /* the closing RETURNNIL belongs to the last item, not to the comments after it */
    uint32_t end = items->tail ? items->tail->span.end : 0;
    OnsProto *main = compile_fn_end(c, (OnsSpan){end, end});
    if (!compile_failed(c)) {
        vm_push_root(c->vm, ons_obj_value(&main->obj));
        res->main = closure_new(c->vm, main);
        vm_pop_roots(c->vm, 1);
    }
}


OnsStatus frontend_compile(OnsVM *vm, OnsSource *src, const OnsCompileOptions *opts, OnsDiags *diags,
                           OnsCompileResult *res)
{
    static const OnsCompileOptions defaults = {false, false};
    memset(res, 0, sizeof *res);
    vm_adopt_source(vm, src);
    OnsArena arena;
    arena_init(&arena);
    OnsNodeList items;
    int errors_before = diags->errors;
    if (!ons_parse(src, &arena, diags, &items)) {
        arena_free(&arena);
        return ONS_ERR_COMPILE;
    }
    /* imports first: their names must exist before this file is resolved */
    char import_notes[4][160];
    int nimport_notes = 0;
    for (const OnsNode *n = items.head; n; n = n->next) {
        if (n->kind != AST_IMPORT) continue;
        OnsDiags sub;
        diags_init(&sub);
        uint32_t names_before = vm->nglobals;
        OnsStatus ist = frontend_import(vm, n->text, src->name, &sub);
        if (ist == ONS_OK && nimport_notes < 4) {
            /* the REPL acknowledges an import as it does a declaration */
            uint32_t entities = 0, others = 0;
            for (uint32_t g = names_before; g < vm->nglobals; g++) {
                if (vm->globals[g].kind == ONS_GLOBAL_ENTITY) entities++;
                else others++;
            }
            if (entities + others)
                snprintf(import_notes[nimport_notes++], sizeof import_notes[0],
                         "import %s: %u declarations, %u constants and functions", n->text, entities, others);
            else snprintf(import_notes[nimport_notes++], sizeof import_notes[0], "import %s: already loaded", n->text);
        }
        if (ist != ONS_OK) {
            diag_add(diags, ONS_SEV_ERROR, src, n->span, "cannot import '%s'", n->text);
            for (size_t i = 0; i < sub.len; i++)
                diag_add(diags, sub.items[i].sev == ONS_SEV_ERROR ? ONS_SEV_NOTE : sub.items[i].sev,
                         sub.items[i].src, sub.items[i].span, "%s", sub.items[i].msg);
        }
        diags_free(&sub);
    }
    if (diags->errors > errors_before) {
        arena_free(&arena);
        return ONS_ERR_COMPILE;
    }

    OnsCompiler c;
    memset(&c, 0, sizeof c);
    c.vm = vm;
    c.model = model_of(vm);
    c.src = src;
    c.diags = diags;
    c.arena = &arena;
    c.opts = opts ? opts : &defaults;
    c.errors_before = errors_before;
    c.model_mark = model_checkpoint(model_of(vm));
    c.globals_mark = vm->nglobals;
    size_t roots = vm->nroots;
    /* the collector waits while the file compiles (docs/internals.md): protos,
     * constants and staged declarations are not reachable from roots yet */
    bool paused = vm->gc_paused;
    vm->gc_paused = true;
    if (c.opts->repl)
        for (int i = 0; i < nimport_notes; i++) add_note(&c, import_notes[i]);
    compile_program(&c, &items, res);

    OnsStatus st = ONS_OK;
    if (compile_failed(&c)) {
        declare_rollback(&c);
        model_rollback(model_of(vm), c.model_mark);
        vm_globals_truncate(vm, c.globals_mark);
        res->main = NULL;
        st = ONS_ERR_COMPILE;
    } else {
        declare_commit(&c);
    }
    vm->nroots = roots;
    vm->gc_paused = paused;
    ons_free(c.pending);
    for (size_t i = 0; i < c.ntables; i++) ons_free(c.tables[i]);
    ons_free(c.tables);
    ons_free(c.gtypes);
    ons_free(c.gtype_known);
    res->notes = c.notes;
    res->nnotes = c.nnotes;
    arena_free(&arena);
    return st;
}

void frontend_result_free(OnsCompileResult *res)
{
    for (int i = 0; i < res->nnotes; i++) ons_free(res->notes[i]);
    ons_free(res->notes);
    memset(res, 0, sizeof *res);
}
