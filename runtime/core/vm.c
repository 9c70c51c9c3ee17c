/* The bytecode interpreter.  One dispatch loop (execute) over register
 * instructions, computed goto under GCC and a switch elsewhere
 * (-DONS_COMPUTED_GOTO=0 builds the switch; CI builds both).
 *
 * Calls between Onshore functions stay inside the loop: a CALL pushes a
 * frame and jumps, a RETURN pops it.  Only natives and the simulation engine
 * call back in from C (vm_call), which starts a nested loop that returns at
 * the frame it began with. */
#include "vm.h"
#include "arith.h"
#include "builtins.h"
#include "chunk.h"
#include "diag.h"
#include "gc.h"
#include "mem.h"
#include "watch.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifndef ONS_COMPUTED_GOTO
#if defined(__GNUC__)
#define ONS_COMPUTED_GOTO 1
#else
#define ONS_COMPUTED_GOTO 0
#endif
#endif

enum { STEP_CHUNK = 1024 };

/* ---- set-up ---- */

OnsVM *vm_new(OnsOut *out, OnsOut *err)
{
    OnsVM *vm = ons_calloc(1, sizeof *vm);
    vm->script_frame = -1;
    vm->stack = ons_calloc(ONS_STACK_SLOTS, sizeof(OnsValue));
    vm->stack_end = vm->stack + ONS_STACK_SLOTS;
    vm->top = vm->stack;
    vm->frames = ons_calloc(ONS_MAX_FRAMES, sizeof(OnsFrame));
    vm->next_gc = 1 << 20;
    vm->out = out;
    vm->err = err;
    vm->year = ons_nil();
    vm->gc_paused = true; /* nothing to collect until the builtins are rooted */
    vm->builtins = map_new(vm);
    vm->modules = map_new(vm);
    builtins_register(vm);
    vm->gc_paused = false;
    vm_seed(vm, 0); /* no --seed is --seed 0 */
    return vm;
}

void vm_seed(OnsVM *vm, uint64_t seed)
{
    vm->seed = seed;
    vm->rng = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
    if (!vm->rng) vm->rng = 1; /* xorshift never leaves 0 */
}

void vm_free(OnsVM *vm)
{
    if (!vm) return;
    vm_clear_error(vm);
    gc_free_all(vm);
    if (vm->host.free) vm->host.free(vm);
    for (size_t i = 0; i < vm->nsources; i++) source_free(vm->sources[i]);
    for (size_t i = 0; i < vm->nmodule_dirs; i++) ons_free(vm->module_dirs[i]);
    ons_free(vm->module_dirs);
    ons_free(vm->sources);
    ons_free(vm->stack);
    ons_free(vm->frames);
    ons_free(vm->gvals);
    ons_free(vm->globals);
    ons_free(vm->gindex);
    ons_free(vm->strings);
    ons_free(vm->roots);
    ons_free(vm->read_log);
    ons_free(vm->skipped_lines);
    ons_free(vm);
}

void vm_adopt_source(OnsVM *vm, OnsSource *src)
{
    ONS_GROW(vm->sources, vm->sources_cap, vm->nsources + 1);
    vm->sources[vm->nsources++] = src;
}

void vm_push_root(OnsVM *vm, OnsValue v)
{
    ONS_GROW(vm->roots, vm->roots_cap, vm->nroots + 1);
    vm->roots[vm->nroots++] = v;
}

void vm_pop_roots(OnsVM *vm, size_t n) { vm->nroots = n > vm->nroots ? 0 : vm->nroots - n; }

const char *vm_entity_name(const OnsVM *vm, OnsEntityKind kind, uint32_t index)
{
    const char *name = vm->host.entity_name ? vm->host.entity_name(vm, kind, index) : NULL;
    return name ? name : "?";
}

/* ---- globals ---- */

static void gindex_rebuild(OnsVM *vm, uint32_t cap)
{
    ons_free(vm->gindex);
    vm->gindex = ons_malloc(cap * sizeof(int32_t));
    memset(vm->gindex, 0xff, cap * sizeof(int32_t));
    vm->gindex_cap = cap;
    for (uint32_t i = 0; i < vm->nglobals; i++) {
        uint32_t j = vm->globals[i].name->hash & (cap - 1);
        while (vm->gindex[j] >= 0) j = (j + 1) & (cap - 1);
        vm->gindex[j] = (int32_t)i;
    }
}

int32_t vm_global_find(OnsVM *vm, const char *name, size_t len)
{
    if (!vm->gindex_cap) return -1;
    uint32_t h = string_hash(name, len);
    for (uint32_t j = h & (vm->gindex_cap - 1);; j = (j + 1) & (vm->gindex_cap - 1)) {
        int32_t g = vm->gindex[j];
        if (g < 0) return -1;
        OnsString *s = vm->globals[g].name;
        if (s->hash == h && s->len == len && memcmp(s->chars, name, len) == 0) return g;
    }
}

uint32_t vm_global_add(OnsVM *vm, const char *name, size_t len, OnsGlobalKind kind)
{
    OnsString *s = string_new(vm, name, len);
    /* two arrays grown side by side, each with its own counter for ONS_GROW */
    // cppcheck-suppress duplicateAssignExpression
    size_t cap = vm->globals_cap, cap2 = vm->globals_cap;
    ONS_GROW(vm->globals, cap, (size_t)vm->nglobals + 1);
    ONS_GROW(vm->gvals, cap2, (size_t)vm->nglobals + 1);
    vm->globals_cap = (uint32_t)cap;
    uint32_t slot = vm->nglobals++;
    memset(&vm->globals[slot], 0, sizeof vm->globals[slot]);
    vm->globals[slot].name = s;
    vm->globals[slot].kind = (uint8_t)kind;
    vm->gvals[slot] = ons_undef();
    if ((vm->nglobals + 1) * 2 > vm->gindex_cap) {
        gindex_rebuild(vm, vm->gindex_cap ? vm->gindex_cap * 2 : 64);
    } else {
        uint32_t j = s->hash & (vm->gindex_cap - 1);
        while (vm->gindex[j] >= 0) j = (j + 1) & (vm->gindex_cap - 1);
        vm->gindex[j] = (int32_t)slot;
    }
    return slot;
}

void vm_globals_truncate(OnsVM *vm, uint32_t n)
{
    if (n >= vm->nglobals) return;
    vm->nglobals = n;
    gindex_rebuild(vm, vm->gindex_cap ? vm->gindex_cap : 64);
}

OnsNative *vm_builtin(OnsVM *vm, const char *name, size_t len)
{
    OnsValue v;
    OnsString *s = string_new(vm, name, len);
    if (!map_get(vm->builtins, ons_obj_value(&s->obj), &v)) return NULL;
    return ONS_AS_NATIVE(v);
}

void vm_register_natives(OnsVM *vm, const OnsNativeDef *defs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        OnsNative *nat = native_new(vm, &defs[i]);
        OnsString *s = string_cstr(vm, defs[i].name);
        map_set(vm->builtins, ons_obj_value(&s->obj), ons_obj_value(&nat->obj));
    }
}

/* ---- errors ---- */

void vm_clear_error(OnsVM *vm)
{
    ons_free(vm->error.msg);
    for (int i = 0; i < vm->error.ntrace; i++) ons_free(vm->error.trace[i].fn_name);
    ons_free(vm->error.trace);
    memset(&vm->error, 0, sizeof vm->error);
}

static const char *proto_display_name(const OnsProto *p)
{
    return p->name ? p->name->chars : "?";
}

/* What native work the instruction at pc was doing when an error came
 * from inside it (a run, a report, a built-in function). */
static const char *native_action(const OnsVM *vm, const OnsProto *p, uint32_t pc)
{
    uint32_t ins = p->code[pc];
    switch (INS_OP(ins)) {
    case OP_HOST: return INS_B(ins) < vm->host.nops ? vm->host.ops[INS_B(ins)].action : "?";
    case OP_CALL: case OP_CALLN: return "a built-in function";
    default: return "?";
    }
}

/* Fills the trace from the active frames; the innermost frame gives the place. */
static void error_capture(OnsVM *vm, OnsSource *src, OnsSpan span, bool have_place)
{
    OnsError *e = &vm->error;
    e->set = true;
    e->script_pc = -1;
    if (vm->script_frame >= 0 && vm->script_frame < vm->nframes) {
        const OnsFrame *f = &vm->frames[vm->script_frame];
        e->script_pc = f->pc > f->closure->proto->code ? (int32_t)(f->pc - f->closure->proto->code - 1) : 0;
    }
    int first = vm->nframes - 1;
    if (have_place) {
        e->src = src;
        e->span = span;
    } else if (first >= 0) {
        OnsFrame *f = &vm->frames[first];
        OnsProto *p = f->closure->proto;
        uint32_t pc = f->pc > p->code ? (uint32_t)(f->pc - p->code - 1) : 0;
        if (pc >= p->ncode) pc = p->ncode ? p->ncode - 1 : 0;
        e->src = p->src;
        e->span = p->ncode ? p->spans[pc] : p->span;
    }
    /* callers: every frame below the innermost, innermost first; a call
     * repeated in a row (recursion) is one entry with a count.  A long
     * trace keeps its innermost entries (where it went wrong) and its
     * outermost (where the program started it), and counts the middle. */
    enum { KEEP_INNER = 8, KEEP_OUTER = 4 };
    int from = have_place ? first : first - 1;
    OnsTraceEntry *all = NULL;
    size_t cap = 0;
    int n = 0;
    for (int i = from; i >= 0; i--) {
        OnsFrame *f = &vm->frames[i];
        OnsProto *p = f->closure->proto;
        if (!p->ncode) continue;
        uint32_t pc = f->pc > p->code ? (uint32_t)(f->pc - p->code - 1) : 0;
        if (pc >= p->ncode) pc = p->ncode - 1;
        OnsProto *callee = i + 1 < vm->nframes ? vm->frames[i + 1].closure->proto : NULL;
        const char *name = callee ? proto_display_name(callee) : native_action(vm, p, pc);
        OnsTraceEntry *last = n ? &all[n - 1] : NULL;
        if (last && last->src == p->src && last->span.start == p->spans[pc].start &&
            last->span.end == p->spans[pc].end && strcmp(last->fn_name, name) == 0) {
            last->repeats++;
            continue;
        }
        ONS_GROW(all, cap, (size_t)n + 1);
        all[n++] = (OnsTraceEntry){p->src, p->spans[pc], (char *)name, 1};
    }
    int keep = n <= KEEP_INNER + KEEP_OUTER ? n : KEEP_INNER + KEEP_OUTER;
    e->omitted = n - keep;
    e->omitted_at = e->omitted ? KEEP_INNER : keep;
    e->trace = keep ? ons_calloc((size_t)keep, sizeof *e->trace) : NULL;
    for (int k = 0; k < keep; k++) {
        e->trace[k] = all[k < KEEP_INNER || !e->omitted ? k : k + e->omitted];
        e->trace[k].fn_name = ons_strdup(e->trace[k].fn_name); /* the names above point into protos */
    }
    e->ntrace = keep;
    ons_free(all);
}

static OnsStatus vm_verror(OnsVM *vm, OnsSource *src, OnsSpan span, bool have_place, const char *fmt,
                           va_list ap)
{
    if (vm->error.set) return ONS_ERR_RUNTIME; /* keep the first, innermost error */
    char buf[1024];
    diag_vformat(buf, sizeof buf, fmt, ap);
    vm->error.msg = ons_strdup(buf);
    error_capture(vm, src, span, have_place);
    return ONS_ERR_RUNTIME;
}

OnsStatus (vm_error)(OnsVM *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    OnsStatus st = vm_verror(vm, NULL, (OnsSpan){0, 0}, false, fmt, ap);
    va_end(ap);
    return st;
}

OnsStatus (vm_io_error)(OnsVM *vm, const char *fmt, ...)
{
    bool first = !vm->error.set;
    va_list ap;
    va_start(ap, fmt);
    OnsStatus st = vm_verror(vm, NULL, (OnsSpan){0, 0}, false, fmt, ap);
    va_end(ap);
    if (first) vm->error.io = true;
    return st;
}

OnsStatus (vm_skip)(OnsVM *vm, const char *fmt, ...)
{
    bool first = !vm->error.set;
    va_list ap;
    va_start(ap, fmt);
    OnsStatus st = vm_verror(vm, NULL, (OnsSpan){0, 0}, false, fmt, ap);
    va_end(ap);
    if (first) vm->error.skip = true;
    return st;
}

OnsStatus (vm_error_at)(OnsVM *vm, OnsSource *src, OnsSpan span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    OnsStatus st = vm_verror(vm, src, span, src != NULL, fmt, ap);
    va_end(ap);
    return st;
}

void vm_render_error(OnsVM *vm, OnsOut *out)
{
    OnsError *e = &vm->error;
    if (!e->set) return;
    OnsDiag d = {ONS_SEV_ERROR, e->src, e->span, e->msg};
    diag_render(out, &d);
    for (int i = 0; i < e->ntrace; i++) {
        if (i == e->omitted_at && e->omitted)
            out_printf(out, "  ... %d more caller%s ...\n", e->omitted, e->omitted == 1 ? "" : "s");
        OnsTraceEntry *t = &e->trace[i];
        uint32_t line, col;
        source_locate_display(t->src, t->span.start, &line, &col);
        out_printf(out, "  in %s, called from %s:%u:%u", t->fn_name, t->src->name, line, col);
        if (t->repeats > 1) out_printf(out, " (%d times in a row)", t->repeats);
        out_putc(out, '\n');
        diag_render_excerpt(out, t->src, t->span);
    }
}

void vm_reset(OnsVM *vm)
{
    while (vm->open_upvalues) { /* close whatever is still open */
        OnsUpvalue *u = vm->open_upvalues;
        u->closed = *u->loc;
        u->loc = &u->closed;
        vm->open_upvalues = u->next_open;
    }
    vm->nframes = 0;
    vm->native_depth = 0;
    vm->top = vm->stack;
    vm->year = ons_nil();
    vm->nroots = 0;
}

/* ---- helpers of the loop ---- */

OnsStatus vm_force(OnsVM *vm, OnsValue *v)
{
    if (!ons_is_obj(*v, ONS_OBJ_SERIES)) return ONS_OK;
    if (vm->year.type != ONS_T_NUM)
        return vm_error(vm, "a series has a value only in a given year: write `... at 2030`, "
                            "or use it in a scenario");
    OnsSeries *s = ONS_AS_SERIES(*v);
    *v = ons_quantity(series_at(s, vm->year.as.num), s->dim, s->hint);
    return ONS_OK;
}

static OnsUpvalue *capture_upvalue(OnsVM *vm, OnsValue *slot)
{
    OnsUpvalue **link = &vm->open_upvalues;
    while (*link && (*link)->loc > slot) link = &(*link)->next_open;
    // cppcheck-suppress identicalInnerCondition ; cppcheck 2.10 misreads this line
    if (*link && (*link)->loc == slot) return *link;
    OnsUpvalue *u = upvalue_new(vm, slot);
    u->next_open = *link;
    *link = u;
    return u;
}

static void close_upvalues(OnsVM *vm, OnsValue *level)
{
    while (vm->open_upvalues && vm->open_upvalues->loc >= level) {
        OnsUpvalue *u = vm->open_upvalues;
        u->closed = *u->loc;
        u->loc = &u->closed;
        vm->open_upvalues = u->next_open;
    }
}

static OnsStatus step_check(OnsVM *vm)
{
    if (vm->interrupt && *vm->interrupt) {
        *vm->interrupt = 0;
        vm_error(vm, "interrupted");
        vm->error.interrupted = true;
        return ONS_ERR_INTERRUPT;
    }
    if (vm->max_steps && vm->steps >= vm->max_steps) {
        vm_error(vm, "stopped after %llu steps (--max-steps)", (unsigned long long)vm->max_steps);
        vm->error.interrupted = true;
        return ONS_ERR_INTERRUPT;
    }
    return ONS_OK;
}

/* Binds named arguments to parameters of an Onshore function, in place. */
static OnsStatus bind_named(OnsVM *vm, OnsProto *p, OnsValue *args, int npos, int nnamed,
                            OnsList *names)
{
    OnsValue vals[ONS_MAX_REGS];
    bool set[ONS_MAX_REGS] = {false};
    for (int i = 0; i < npos; i++) {
        vals[i] = args[i];
        set[i] = true;
    }
    for (int i = 0; i < nnamed; i++) {
        OnsString *nm = ONS_AS_STRING(names->items[i]);
        int at = -1;
        for (int j = 0; j < p->nparams; j++)
            if (p->param_names && p->param_names[j] == nm) at = j;
        if (at < 0) return vm_error(vm, "%s has no parameter named '%s'", proto_display_name(p), nm->chars);
        if (set[at]) return vm_error(vm, "parameter '%s' of %s is given twice", nm->chars, proto_display_name(p));
        vals[at] = args[npos + i];
        set[at] = true;
    }
    for (int j = 0; j < p->nparams; j++) {
        if (!set[j])
            return vm_error(vm, "%s needs its parameter '%s'", proto_display_name(p),
                            p->param_names ? p->param_names[j]->chars : "?");
        args[j] = vals[j];
    }
    return ONS_OK;
}

static OnsStatus call_native(OnsVM *vm, OnsNative *n, OnsValue *args, int nargs, int nnamed,
                             OnsList *names, OnsValue *out)
{
    int npos = nargs - nnamed;
    OnsString *nm_arr[ONS_MAX_REGS];
    OnsNamedArgs named = {nnamed, nm_arr, args + npos};
    for (int i = 0; i < nnamed; i++) { /* a misspelt name says more than a count */
        nm_arr[i] = ONS_AS_STRING(names->items[i]);
        bool known = false;
        for (int j = 0; n->named && n->named[j]; j++)
            if (strcmp(n->named[j], nm_arr[i]->chars) == 0) known = true;
        if (!known) return vm_error(vm, "%s has no argument named '%s'", n->name, nm_arr[i]->chars);
    }
    if (npos < n->min_args || (n->max_args >= 0 && npos > n->max_args)) {
        if (n->min_args == n->max_args)
            return vm_error(vm, "%s takes %d argument%s, got %d", n->name, n->min_args,
                            n->min_args == 1 ? "" : "s", npos);
        if (npos < n->min_args)
            return vm_error(vm, "%s takes at least %d argument%s, got %d", n->name, n->min_args,
                            n->min_args == 1 ? "" : "s", npos);
        return vm_error(vm, "%s takes at most %d arguments, got %d", n->name, n->max_args, npos);
    }
    if (vm->native_depth >= ONS_MAX_NATIVE_DEPTH)
        return vm_error(vm, "calls nested too deeply through built-in functions");
    vm->native_depth++;
    OnsStatus st = n->fn(vm, args, npos, nnamed ? &named : NULL, out);
    vm->native_depth--;
    return st;
}

static OnsStatus unset_global(OnsVM *vm, uint32_t g)
{
    if (vm->globals[g].skipped)
        return vm_skip(vm, "'%s' has no value: the statement that sets it was skipped", vm->globals[g].name->chars);
    return vm_error(vm, "'%s' is used before it is given a value", vm->globals[g].name->chars);
}

static OnsStatus not_callable(OnsVM *vm, OnsValue v)
{
    char d[96];
    return vm_error(vm, "%s is not a function", arith_describe(vm, v, d, sizeof d));
}

/* Pushes a frame for closure c whose callee slot is fnslot and arguments follow it. */
static inline OnsStatus push_frame(OnsVM *vm, OnsClosure *c, OnsValue *fnslot, int nargs, bool boundary)
{
    OnsProto *p = c->proto;
    if (ONS_UNLIKELY(nargs != p->nparams))
        return vm_error(vm, "%s takes %d argument%s, got %d", proto_display_name(p), p->nparams,
                        p->nparams == 1 ? "" : "s", nargs);
    if (ONS_UNLIKELY(vm->nframes >= ONS_MAX_FRAMES))
        return vm_error(vm, "too deep recursion: more than %d nested calls", ONS_MAX_FRAMES);
    OnsValue *base = fnslot + 1;
    if (ONS_UNLIKELY(base + p->maxregs + 1 > vm->stack_end))
        return vm_error(vm, "too deep recursion: out of stack");
    for (int i = nargs; i < p->maxregs; i++) base[i] = ons_nil();
    OnsFrame *f = &vm->frames[vm->nframes++];
    f->closure = c;
    f->pc = p->code;
    f->base = base;
    f->c_boundary = boundary;
    vm->top = base + p->maxregs;
    return ONS_OK;
}

static OnsStatus execute(OnsVM *vm);

OnsStatus vm_call(OnsVM *vm, OnsValue fn, const OnsValue *args, int nargs, OnsValue *out)
{
    if (ons_is_obj(fn, ONS_OBJ_NATIVE))
        return call_native(vm, ONS_AS_NATIVE(fn), (OnsValue *)args, nargs, 0, NULL, out);
    if (!ons_is_obj(fn, ONS_OBJ_CLOSURE)) return not_callable(vm, fn);
    OnsValue *slot = vm->top;
    if (slot + nargs + 2 > vm->stack_end) return vm_error(vm, "too deep recursion: out of stack");
    if (vm->native_depth >= ONS_MAX_NATIVE_DEPTH)
        return vm_error(vm, "calls nested too deeply through built-in functions");
    OnsValue *saved_top = vm->top;
    slot[0] = fn;
    for (int i = 0; i < nargs; i++) slot[1 + i] = args[i];
    vm->top = slot + 1 + nargs;
    OnsStatus st = push_frame(vm, ONS_AS_CLOSURE(fn), slot, nargs, true);
    if (st == ONS_OK) {
        vm->native_depth++;
        st = execute(vm);
        vm->native_depth--;
    }
    if (st == ONS_OK) *out = slot[0];
    vm->top = saved_top;
    return st;
}

OnsStatus vm_call_at_year(OnsVM *vm, OnsValue fn, double year, OnsValue *out)
{
    OnsValue saved = vm->year;
    vm->year = ons_num(year);
    OnsStatus st = vm_call(vm, fn, NULL, 0, out);
    vm->year = saved;
    return st;
}

/* Runs main from instruction `from` (a statement's start) as vm_call does. */
static OnsStatus run_script_from(OnsVM *vm, OnsClosure *main, uint32_t from, OnsValue *out)
{
    OnsValue *slot = vm->top;
    slot[0] = ons_obj_value(&main->obj);
    vm->top = slot + 1;
    vm->script_frame = vm->nframes;
    OnsStatus st = push_frame(vm, main, slot, 0, true);
    if (st == ONS_OK) {
        vm->frames[vm->nframes - 1].pc = main->proto->code + from;
        vm->native_depth++;
        st = execute(vm);
        vm->native_depth--;
    }
    if (st == ONS_OK) *out = slot[0];
    vm->top = slot;
    return st;
}

/* After a vm_skip error in statement i of p's top level: the globals the
 * statement sets are unset and marked skipped, its first line noted; the
 * next statement's start, or UINT32_MAX when the error was not in one. */
static uint32_t skip_statement(OnsVM *vm, const OnsProto *p)
{
    int32_t pc = vm->error.script_pc;
    if (pc < 0 || !p->nstmts) return UINT32_MAX;
    uint32_t i = 0;
    while (i + 1 < p->nstmts && p->stmts[i + 1] <= (uint32_t)pc) i++;
    if (i + 1 >= p->nstmts) return UINT32_MAX;
    for (uint32_t at = p->stmts[i]; at < p->stmts[i + 1]; at++) {
        uint32_t ins = p->code[at], g;
        if (INS_OP(ins) == OP_SETGLOBAL) g = INS_Bx(ins);
        else if (INS_OP(ins) == OP_SETGLOBALX && at + 1 < p->ncode) g = INS_Ax(p->code[at + 1]);
        else continue;
        if (g >= vm->nglobals) continue;
        vm->gvals[g] = ons_undef();
        vm->globals[g].skipped = true;
    }
    ONS_GROW(vm->skipped_lines, vm->skipped_cap, (size_t)vm->nskipped + 1);
    uint32_t line = 0, col = 0;
    if (p->src) source_locate(p->src, p->spans[p->stmts[i]].start, &line, &col);
    vm->skipped_lines[vm->nskipped++] = line;
    return p->stmts[i + 1];
}

OnsStatus vm_run(OnsVM *vm, OnsClosure *main, OnsValue *result)
{
    vm_clear_error(vm);
    int outer = vm->script_frame;
    OnsValue r = ons_nil();
    uint32_t from = 0;
    OnsStatus st;
    for (;;) {
        st = run_script_from(vm, main, from, &r);
        if (st != ONS_ERR_RUNTIME || !vm->error.skip || !vm->skipping || outer >= 0) break;
        uint32_t next = skip_statement(vm, main->proto);
        if (next == UINT32_MAX) break;
        vm_reset(vm);
        vm_clear_error(vm);
        from = next;
    }
    vm->script_frame = outer;
    if (st != ONS_OK) {
        vm_reset(vm);
        return st;
    }
    if (result) *result = r;
    return ONS_OK;
}

/* The fast path of * and / on two numbers without percent hints: exponents
 * add (or subtract) inline.  False sends the case to arith_binary (hints,
 * series, division by zero, exponents out of range, other types). */
static inline bool quantity_product(const OnsValue *x, const OnsValue *y, bool divide, uint64_t *hdr, double *num)
{
    if (x->type != ONS_T_NUM || y->type != ONS_T_NUM || (x->hint | y->hint) != 0) return false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* The result is built in registers and stored by the caller as two
     * words: exponents written byte by byte into a value that is then copied
     * whole stall the CPU's store forwarding (a third of a unit-carrying
     * loop's time). */
    uint64_t h = x->hdr;
    for (int i = 0; i < ONS_NDIMS; i++) {
        int e = divide ? x->dim.e[i] - y->dim.e[i] : x->dim.e[i] + y->dim.e[i];
        if (e > ONS_DIM_MAX_EXP || e < -ONS_DIM_MAX_EXP) return false;
        unsigned shift = 8 * (unsigned)(offsetof(OnsValue, dim) + (size_t)i);
        h = (h & ~((uint64_t)0xFF << shift)) | (uint64_t)(uint8_t)e << shift;
    }
#else
    OnsValue r = *x;
    for (int i = 0; i < ONS_NDIMS; i++) {
        int e = divide ? x->dim.e[i] - y->dim.e[i] : x->dim.e[i] + y->dim.e[i];
        if (e > ONS_DIM_MAX_EXP || e < -ONS_DIM_MAX_EXP) return false;
        r.dim.e[i] = (int8_t)e;
    }
    uint64_t h = r.hdr;
#endif
    double n;
    if (divide) {
        if (y->as.num == 0) return false;
        n = x->as.num / y->as.num;
    } else {
        n = x->as.num * y->as.num;
    }
    if (!isfinite(n)) return false; /* overflow: arith_binary reports it */
    *hdr = h;
    *num = n;
    return true;
}

/* ---- the loop ---- */

#define R(i) (base[(i)])
#define RA R(INS_A(ins))
#define RB R(INS_B(ins))
#define RC R(INS_C(ins))
#define KB (k[INS_B(ins)])
#define KC (k[INS_C(ins)])
#define SAVE_PC() (frame->pc = pc)
#define LOAD_FRAME()                                                           \
    do {                                                                       \
        frame = &vm->frames[vm->nframes - 1];                                  \
        proto = frame->closure->proto;                                         \
        pc = frame->pc;                                                        \
        base = frame->base;                                                    \
        k = proto->k;                                                          \
    } while (0)
#define FAIL(expr)                                                             \
    do {                                                                       \
        SAVE_PC();                                                             \
        status = (expr);                                                       \
        goto fail;                                                             \
    } while (0)
#define TRY(expr)                                                              \
    do {                                                                       \
        SAVE_PC();                                                             \
        status = (expr);                                                       \
        if (ONS_UNLIKELY(status != ONS_OK)) goto fail;                         \
    } while (0)
/* The conditional jump protocol: the JMP after a test runs when cond == k. */
/* A backward conditional jump closes a `while` loop (its test is at the
 * bottom), so it counts a step like a backward JMP. */
#define COND_JUMP(cond, kflag)                                                 \
    do {                                                                       \
        if ((cond) == (kflag)) {                                               \
            int32_t off_ = INS_sJ(*pc++);                                      \
            if (off_ < 0) STEP(); /* located at the jump: the loop */          \
            pc += off_;                                                        \
        } else {                                                               \
            pc++;                                                              \
        }                                                                      \
    } while (0)
#define STEP()                                                                 \
    do {                                                                       \
        if (ONS_UNLIKELY(++vm->steps >= vm->check_at)) {                       \
            SAVE_PC();                                                         \
            vm->check_at = vm->steps + STEP_CHUNK;                             \
            if (vm->max_steps && vm->check_at > vm->max_steps) vm->check_at = vm->max_steps; \
            status = step_check(vm);                                           \
            if (status != ONS_OK) goto fail;                                   \
        }                                                                      \
    } while (0)

#if ONS_COMPUTED_GOTO
#define DISPATCH() goto *table[INS_OP(ins = *pc++)] /* NOLINT(bugprone-macro-parentheses): a statement */
#define CASE(name) L_##name:
#define LOOP_START DISPATCH();
#define LOOP_END
#else
#define DISPATCH() goto dispatch
#define CASE(name) case OP_##name:
#define LOOP_START                                                             \
    dispatch:                                                                  \
    ins = *pc++;                                                               \
    switch (INS_OP(ins)) {
#define LOOP_END                                                               \
    default: FAIL(vm_error(vm, "internal error: bad instruction"));            \
    }
#endif

/* Arithmetic: a fast path for two numbers of the same header (same
 * dimension and hint), otherwise arith_binary does it all. */
#define ARITH(name, OPC, lhs, rhs, expr)                                       \
    CASE(name) {                                                               \
        OnsValue *x = &(lhs), *y = &(rhs);                                     \
        if (ONS_LIKELY(x->hdr == y->hdr && x->type == ONS_T_NUM && ((OPC) == OP_ADD || (OPC) == OP_SUB || dim_is_none(x->dim)))) { \
            double a_ = x->as.num, b_ = y->as.num, n_ = (expr);                \
            if (ONS_LIKELY(isfinite(n_))) { /* else arith_binary says it overflowed */ \
                RA.hdr = x->hdr;                                               \
                RA.as.num = n_;                                                \
                DISPATCH();                                                    \
            }                                                                  \
        }                                                                      \
        OnsValue r_;                                                           \
        TRY(arith_binary(vm, OPC, *x, *y, &r_));                               \
        RA = r_;                                                               \
        DISPATCH();                                                            \
    }

/* * and /: the unit fast path (quantity_product), its result stored as two
 * words straight into the register; anything else goes to arith_binary. */
#define PRODUCT(name, OPC, rhs, divide)                                        \
    CASE(name) {                                                               \
        uint64_t h_;                                                           \
        double n_;                                                             \
        if (ONS_LIKELY(quantity_product(&RB, &(rhs), divide, &h_, &n_))) {     \
            RA.hdr = h_;                                                       \
            RA.as.num = n_;                                                    \
        } else {                                                               \
            OnsValue r_;                                                       \
            TRY(arith_binary(vm, OPC, RB, rhs, &r_));                          \
            RA = r_;                                                           \
        }                                                                      \
        DISPATCH();                                                            \
    }

static OnsStatus execute(OnsVM *vm)
{
#if ONS_COMPUTED_GOTO
    static void *const dispatch_table[OP__COUNT] = {
#define OP(name, fmt, doc) &&L_##name,
#include "opcodes.def"
#undef OP
    };
    /* While a run's reads are watched (watch.h), the three instructions that
     * read globals and upvalues go through a detour that notes the read:
     * the plain loop pays nothing for the watch. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#ifdef __clang__
#pragma GCC diagnostic ignored "-Winitializer-overrides"
#endif
    static void *const watched_table[OP__COUNT] = {
#define OP(name, fmt, doc) [OP_##name] = &&L_##name,
#include "opcodes.def"
#undef OP
        [OP_GETGLOBAL] = &&W_GETGLOBAL, [OP_GETGLOBALX] = &&W_GETGLOBALX, [OP_GETUPVAL] = &&W_GETUPVAL,
    };
#pragma GCC diagnostic pop
    void *const *const table = vm->watching ? watched_table : dispatch_table;
#endif
    int entry_frames = vm->nframes; /* the frame vm_call pushed is the last one we run */
    OnsFrame *frame;
    OnsProto *proto;
    const uint32_t *pc;
    OnsValue *base;
    OnsValue *k;
    uint32_t ins;
    OnsStatus status = ONS_OK;
#if !ONS_COMPUTED_GOTO
    /* whether a run's reads are being watched (watch.h): it changes only in
     * C around a nested vm_call, never while this loop runs */
    const bool watching = vm->watching != 0;
#endif
    if (vm->check_at <= vm->steps) vm->check_at = vm->steps + 1;
    LOAD_FRAME();
    (void)proto;

    LOOP_START

    CASE(MOVE) { RA = RB; DISPATCH(); }
    CASE(LOADK) { RA = k[INS_Bx(ins)]; DISPATCH(); }
    CASE(LOADKX) { RA = k[INS_Ax(*pc)]; pc++; DISPATCH(); }
    CASE(LOADI) { RA = ons_num((double)INS_sBx(ins)); DISPATCH(); }
    CASE(LOADNIL) {
        for (uint32_t i = 0; i <= INS_B(ins); i++) R(INS_A(ins) + i) = ons_nil();
        DISPATCH();
    }
    CASE(LOADBOOL) { RA = ons_bool(INS_B(ins) != 0); DISPATCH(); }
    CASE(GETGLOBAL) {
        OnsValue v = vm->gvals[INS_Bx(ins)];
        if (ONS_UNLIKELY(v.type == ONS_T_UNDEF))
            FAIL(unset_global(vm, INS_Bx(ins)));
#if !ONS_COMPUTED_GOTO
        if (ONS_UNLIKELY(watching)) vm_note_global_read(vm, INS_Bx(ins));
#endif
        RA = v;
        DISPATCH();
    }
    CASE(GETGLOBALX) {
        uint32_t g = INS_Ax(*pc);
        pc++;
        OnsValue v = vm->gvals[g];
        if (ONS_UNLIKELY(v.type == ONS_T_UNDEF))
            FAIL(unset_global(vm, g));
#if !ONS_COMPUTED_GOTO
        if (ONS_UNLIKELY(watching)) vm_note_global_read(vm, g);
#endif
        RA = v;
        DISPATCH();
    }
    CASE(SETGLOBAL) {
        vm_note_global_write(vm, INS_Bx(ins), RA);
        vm->gvals[INS_Bx(ins)] = RA;
        DISPATCH();
    }
    CASE(SETGLOBALX) {
        vm_note_global_write(vm, INS_Ax(*pc), RA);
        vm->gvals[INS_Ax(*pc)] = RA;
        pc++;
        DISPATCH();
    }
    CASE(GETUPVAL) {
        OnsUpvalue *up = frame->closure->up[INS_B(ins)];
#if !ONS_COMPUTED_GOTO
        if (ONS_UNLIKELY(watching)) vm_watch_upvalue_read(vm, up);
#endif
        RA = *up->loc;
        DISPATCH();
    }
    CASE(SETUPVAL) {
        OnsUpvalue *up = frame->closure->up[INS_B(ins)];
        if (ONS_UNLIKELY(up->obj.watched)) vm_note_store(vm, &up->obj, *up->loc, RA);
        *up->loc = RA;
        DISPATCH();
    }
    CASE(CLOSURE) {
        OnsProto *p = proto->protos[INS_Bx(ins)];
        SAVE_PC();
        OnsClosure *c = closure_new(vm, p);
        RA = ons_obj_value(&c->obj); /* rooted before capturing allocates */
        for (uint32_t i = 0; i < p->nupvals; i++) {
            OnsUpvalDesc d = p->upvals[i];
            c->up[i] = d.in_stack ? capture_upvalue(vm, base + d.index) : frame->closure->up[d.index];
        }
        DISPATCH();
    }
    CASE(CLOSE) { close_upvalues(vm, &RA); DISPATCH(); }

    ARITH(ADD, OP_ADD, RB, RC, a_ + b_)
    ARITH(SUB, OP_SUB, RB, RC, a_ - b_)
    PRODUCT(MUL, OP_MUL, RC, false)
    PRODUCT(DIV, OP_DIV, RC, true)
    CASE(MOD) {
        OnsValue *x = &RB, *y = &RC;
        if (ONS_LIKELY(x->hdr == ons_plain_num_hdr() && y->hdr == ons_plain_num_hdr() && y->as.num != 0)) {
            double a = x->as.num, b = y->as.num, r;
            /* whole numbers (the common case) without libm's slow fmod */
            if (fabs(a) < 9e15 && fabs(b) < 9e15 && a == (double)(int64_t)a && b == (double)(int64_t)b) {
                int64_t q = (int64_t)a % (int64_t)b;
                r = (double)q;
            } else {
                r = fmod(a, b);
            }
            if (r != 0 && (r < 0) != (b < 0)) r += b;
            RA = ons_num(r);
        } else {
            OnsValue r_;
            TRY(arith_binary(vm, OP_MOD, *x, *y, &r_));
            RA = r_;
        }
        DISPATCH();
    }
    CASE(POW) {
        OnsValue r_;
        TRY(arith_binary(vm, OP_POW, RB, RC, &r_));
        RA = r_;
        DISPATCH();
    }
    ARITH(ADDK, OP_ADD, RB, KC, a_ + b_)
    ARITH(SUBK, OP_SUB, RB, KC, a_ - b_)
    PRODUCT(MULK, OP_MUL, KC, false)
    PRODUCT(DIVK, OP_DIV, KC, true)
    CASE(NEG) {
        OnsValue *x = &RB;
        if (ONS_LIKELY(x->type == ONS_T_NUM)) {
            OnsValue r_ = *x;
            r_.as.num = -r_.as.num;
            RA = r_;
        } else {
            OnsValue r_;
            TRY(arith_negate(vm, *x, &r_));
            RA = r_;
        }
        DISPATCH();
    }
    CASE(NOT) { RA = ons_bool(!ons_truthy(RB)); DISPATCH(); }
    CASE(EQ) {
        bool r_;
        TRY(arith_compare(vm, OP_EQ, RB, RC, &r_));
        RA = ons_bool(r_);
        DISPATCH();
    }
    CASE(NE) {
        bool r_;
        TRY(arith_compare(vm, OP_NE, RB, RC, &r_));
        RA = ons_bool(r_);
        DISPATCH();
    }
    CASE(LT) {
        OnsValue *x = &RB, *y = &RC;
        if (ONS_LIKELY(x->type == ONS_T_NUM && x->hdr == y->hdr)) {
            RA = ons_bool(x->as.num < y->as.num);
        } else {
            bool r_;
            TRY(arith_compare(vm, OP_LT, *x, *y, &r_));
            RA = ons_bool(r_);
        }
        DISPATCH();
    }
    CASE(LE) {
        OnsValue *x = &RB, *y = &RC;
        if (ONS_LIKELY(x->type == ONS_T_NUM && x->hdr == y->hdr)) {
            RA = ons_bool(x->as.num <= y->as.num || ons_num_close(x->as.num, y->as.num));
        } else {
            bool r_;
            TRY(arith_compare(vm, OP_LE, *x, *y, &r_));
            RA = ons_bool(r_);
        }
        DISPATCH();
    }
    CASE(JEQ) {
        bool r_;
        TRY(arith_compare(vm, OP_EQ, RA, RB, &r_));
        COND_JUMP(r_, INS_C(ins) != 0);
        DISPATCH();
    }
#define CMP_JUMP(name, lhs, rhs, OPC, numexpr)                                 \
    CASE(name) {                                                               \
        OnsValue *x = &(lhs), *y = &(rhs);                                     \
        bool r_;                                                               \
        if (ONS_LIKELY(x->type == ONS_T_NUM && x->hdr == y->hdr)) {            \
            double a_ = x->as.num, b_ = y->as.num;                             \
            r_ = (numexpr);                                                    \
        } else if ((OPC) == OP_LT || (OPC) == OP_LE) {                             \
            TRY(arith_compare(vm, (OPC), *x, *y, &r_));                          \
        } else {                                                               \
            TRY(arith_compare(vm, (OPC) == OP_JGTK ? OP_LT : OP_LE, *y, *x, &r_)); \
        }                                                                      \
        COND_JUMP(r_, INS_C(ins) != 0);                                        \
        DISPATCH();                                                            \
    }
    CMP_JUMP(JLT, RA, RB, OP_LT, a_ < b_)
    CMP_JUMP(JLE, RA, RB, OP_LE, a_ <= b_ || ons_num_close(a_, b_))
    CMP_JUMP(JLTK, RA, KB, OP_LT, a_ < b_)
    CMP_JUMP(JLEK, RA, KB, OP_LE, a_ <= b_ || ons_num_close(a_, b_))
    CMP_JUMP(JGTK, RA, KB, OP_JGTK, a_ > b_)
    CMP_JUMP(JGEK, RA, KB, OP_JGEK, a_ >= b_ || ons_num_close(a_, b_))
    CASE(TEST) {
        COND_JUMP(ons_truthy(RA), INS_B(ins) != 0);
        DISPATCH();
    }
    CASE(JMP) {
        int32_t off = INS_sJ(ins);
        if (off < 0) STEP(); /* before jumping: a stop is reported at the loop, not at its target */
        pc += off;
        DISPATCH();
    }
    CASE(GETINDEX) {
        OnsValue *o = &RB, *key = &RC;
        if (ons_is_obj(*o, ONS_OBJ_LIST) && key->hdr == ons_plain_num_hdr()) {
            OnsList *l = ONS_AS_LIST(*o);
            double d = key->as.num;
            if (ONS_LIKELY(d >= 0 && d < l->len && d == (double)(uint32_t)d)) {
                RA = l->items[(uint32_t)d];
                DISPATCH();
            }
        } else if (ons_is_obj(*o, ONS_OBJ_MAP) && (key->type == ONS_T_NUM || key->type == ONS_T_ENTITY)) {
            OnsValue r_;
            bool found = key->type == ONS_T_NUM ? map_get_number(ONS_AS_MAP(*o), *key, &r_)
                                                : map_get(ONS_AS_MAP(*o), *key, &r_);
            if (!found) r_ = ons_nil();
            RA = r_;
            DISPATCH();
        }
        OnsValue r_;
        TRY(builtins_index(vm, RB, RC, &r_));
        RA = r_;
        DISPATCH();
    }
    CASE(SETINDEX) {
        TRY(builtins_set_index(vm, RA, RB, RC));
        DISPATCH();
    }
    CASE(GETPROP) {
        OnsValue r_;
        TRY(builtins_get_property(vm, RB, RC, &r_));
        RA = r_;
        DISPATCH();
    }
    CASE(SETPROP) {
        TRY(builtins_set_property(vm, RA, RB, RC));
        DISPATCH();
    }
    CASE(NEWLIST) {
        SAVE_PC();
        uint32_t n = INS_C(ins);
        OnsList *l = list_new(vm, n);
        for (uint32_t i = 0; i < n; i++) list_push(l, R(INS_B(ins) + i));
        RA = ons_obj_value(&l->obj);
        DISPATCH();
    }
    CASE(APPEND) {
        OnsList *l = ONS_AS_LIST(RA);
        if (ONS_UNLIKELY(l->len >= ONS_MAX_LIST))
            FAIL(vm_error(vm, "list too long (more than %u elements)", ONS_MAX_LIST));
        list_push(l, RB);
        DISPATCH();
    }
    CASE(NEWMAP) {
        SAVE_PC();
        OnsMap *m = map_new(vm);
        RA = ons_obj_value(&m->obj);
        DISPATCH();
    }
    CASE(MAPSET) {
        TRY(builtins_map_literal_set(vm, RA, RB, RC));
        DISPATCH();
    }
    CASE(SERIES) {
        OnsValue r_;
        TRY(builtins_make_series(vm, RB, (int)INS_C(ins), &r_));
        RA = r_;
        DISPATCH();
    }
    CASE(RANGE) {
        OnsValue r_;
        TRY(builtins_make_range(vm, RB, RC, &r_));
        RA = r_;
        DISPATCH();
    }
    CASE(CALLN)
    CASE(CALL) {
        OnsValue *fnslot = &RA;
        int nargs = (int)INS_B(ins);
        int nnamed = 0;
        OnsList *names = NULL;
        if (INS_OP(ins) == OP_CALLN) {
            nnamed = (int)INS_C(ins);
            names = ONS_AS_LIST(k[INS_Ax(*pc)]);
            pc++;
        }
        STEP();
        if (ONS_LIKELY(ons_is_obj(*fnslot, ONS_OBJ_CLOSURE))) {
            OnsClosure *c = ONS_AS_CLOSURE(*fnslot);
            SAVE_PC();
            if (nnamed) {
                status = bind_named(vm, c->proto, fnslot + 1, nargs - nnamed, nnamed, names);
                if (status != ONS_OK) goto fail;
                nargs = c->proto->nparams;
            }
            status = push_frame(vm, c, fnslot, nargs, false);
            if (ONS_UNLIKELY(status != ONS_OK)) goto fail;
            LOAD_FRAME();
            DISPATCH();
        }
        if (ons_is_obj(*fnslot, ONS_OBJ_NATIVE)) {
            SAVE_PC();
            OnsValue *saved_top = vm->top;
            if (fnslot + 1 + nargs > vm->top) vm->top = fnslot + 1 + nargs;
            OnsValue r_ = ons_nil();
            status = call_native(vm, ONS_AS_NATIVE(*fnslot), fnslot + 1, nargs, nnamed, names, &r_);
            vm->top = saved_top;
            if (status != ONS_OK) goto fail;
            *fnslot = r_;
            DISPATCH();
        }
        FAIL(not_callable(vm, *fnslot));
    }
    CASE(RETURNNIL)
    CASE(RETURN) {
        OnsValue ret = INS_OP(ins) == OP_RETURN ? RA : ons_nil();
        if (vm->open_upvalues && vm->open_upvalues->loc >= base) close_upvalues(vm, base);
        bool boundary = frame->c_boundary;
        vm->nframes--;
        base[-1] = ret;
        if (boundary) return ONS_OK;
        LOAD_FRAME();
        vm->top = base + proto->maxregs;
        DISPATCH();
    }
    CASE(FORPREP) {
        OnsValue *a = &RA, *b = &R(INS_A(ins) + 1);
        if (ONS_UNLIKELY(a->type != ONS_T_NUM || b->type != ONS_T_NUM || !dim_is_none(a->dim) ||
                         !dim_is_none(b->dim))) {
            TRY(vm_force(vm, a));
            TRY(vm_force(vm, b));
            if (a->type != ONS_T_NUM || b->type != ONS_T_NUM || !dim_is_none(a->dim) || !dim_is_none(b->dim))
                FAIL(vm_error(vm, "a range needs two plain numbers, like 2024..2030"));
        }
        a->hint = 0;
        R(INS_A(ins) + 2) = *a;
        COND_JUMP(a->as.num > b->as.num, true);
        DISPATCH();
    }
    CASE(FORLOOP) {
        OnsValue *a = &RA;
        a->as.num += 1;
        if (a->as.num <= R(INS_A(ins) + 1).as.num) {
            R(INS_A(ins) + 2) = *a;
            pc += INS_sJ(*pc) + 1;
            STEP();
        } else {
            pc++;
        }
        DISPATCH();
    }
    CASE(ITERPREP) {
        OnsValue r_;
        TRY(builtins_iterable(vm, RA, &r_));
        RA = r_;
        R(INS_A(ins) + 1) = ons_num(0);
        DISPATCH();
    }
    CASE(ITERNEXT) {
        OnsList *l = ONS_AS_LIST(RA);
        OnsValue *idx = &R(INS_A(ins) + 1);
        bool more = idx->as.num < l->len;
        if (more) {
            R(INS_A(ins) + 2) = l->items[(uint32_t)idx->as.num];
            idx->as.num += 1;
            STEP();
        }
        COND_JUMP(more, false);
        DISPATCH();
    }
    CASE(YEAR) { RA = vm->year; DISPATCH(); }
    CASE(SETYEAR) {
        OnsValue y = RB;
        if (ONS_UNLIKELY(y.type != ONS_T_NUM || !dim_is_none(y.dim) || (y.as.num != floor(y.as.num) && !INS_C(ins)))) {
            if (y.type == ONS_T_NUM && dim_is_none(y.dim))
                FAIL(vm_error(vm, "`at` needs a year, a whole number like 2030, not %g", y.as.num));
            char d[96];
            FAIL(vm_error(vm, "`at` needs a year, a whole plain number like 2030, not %s",
                          arith_describe(vm, y, d, sizeof d)));
        }
        RA = vm->year;
        vm->year = ons_num(y.as.num);
        DISPATCH();
    }
    CASE(RESTOREYEAR) { vm->year = RA; DISPATCH(); }
    CASE(FORCE) { TRY(vm_force(vm, &RA)); DISPATCH(); }
    CASE(HOST) {
        if (ONS_UNLIKELY(INS_B(ins) >= vm->host.nops)) FAIL(vm_error(vm, "internal error: no host operation %u", INS_B(ins)));
        SAVE_PC();
        TRY(vm->host.ops[INS_B(ins)].fn(vm, &RA, (int)INS_C(ins)));
        DISPATCH();
    }
    CASE(ASSERT) {
        if (ONS_LIKELY(ons_truthy(RA))) DISPATCH();
        SAVE_PC();
        OnsValue msg = R(INS_A(ins) + 1);
        char text[600];
        if (ons_is_obj(msg, ONS_OBJ_STRING)) snprintf(text, sizeof text, "%s", ONS_AS_STRING(msg)->chars);
        else value_to_cstr(vm, msg, text, sizeof text);
        if (INS_B(ins) & 2) { /* a failed comparison: show both sides */
            char l[160], r[160];
            value_to_cstr(vm, R(INS_A(ins) + 2), l, sizeof l);
            value_to_cstr(vm, R(INS_A(ins) + 3), r, sizeof r);
            FAIL(vm_error(vm, "assertion failed: %s (left: %s, right: %s)", text, l, r));
        }
        FAIL(vm_error(vm, "assertion failed: %s", text));
    }
    CASE(EXTRA) { FAIL(vm_error(vm, "internal error: stray operand")); }
#if ONS_COMPUTED_GOTO
    /* the watched detours (watched_table) */
W_GETGLOBAL:
    vm_note_global_read(vm, INS_Bx(ins));
    goto L_GETGLOBAL;
W_GETGLOBALX:
    vm_note_global_read(vm, INS_Ax(*pc));
    goto L_GETGLOBALX;
W_GETUPVAL:
    vm_watch_upvalue_read(vm, frame->closure->up[INS_B(ins)]);
    goto L_GETUPVAL;
#endif

    LOOP_END

fail:
    /* unwind the frames this loop ran; the caller of vm_call sees the error */
    while (vm->nframes >= entry_frames && vm->nframes > 0) {
        close_upvalues(vm, vm->frames[vm->nframes - 1].base);
        vm->nframes--;
    }
    if (status == ONS_OK) status = ONS_ERR_RUNTIME;
    return status;
}
