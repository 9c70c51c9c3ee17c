/* The session behind the REPL: running entries and expressions in it,
 * loading files into it, replacing it by a fresh one (:reset, :reload), and
 * telling its own sources from imported modules' (for :save). */
#include "repl_internal.h"
#include "chunk.h"
#include "frontend.h"
#include "mem.h"
#include "session.h"
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- which sources are the session's own ---- */

static bool is_own(const OnsSource *s, OnsSource *const *own, size_t nown)
{
    for (size_t i = 0; i < nown; i++)
        if (own[i] == s) return true;
    return false;
}

/* Sources the VM adopted since the last look that are not own came from
 * `import`: :save writes the import, not the module's declarations. */
static void classify_sources(OnsRepl *r, OnsSource *const *own, size_t nown)
{
    OnsVM *vm = r->vm;
    for (size_t i = r->nsources_seen; i < vm->nsources; i++) {
        if (is_own(vm->sources[i], own, nown)) continue;
        ONS_GROW(r->modules, r->modules_cap, r->nmodules + 1);
        r->modules[r->nmodules++] = vm->sources[i];
    }
    r->nsources_seen = vm->nsources;
}

void repl_note_sources(OnsRepl *r, const OnsSource *own)
{
    OnsSource *o = (OnsSource *)own;
    classify_sources(r, &o, own ? 1 : 0);
}

bool repl_is_module_source(const OnsRepl *r, const OnsSource *src)
{
    for (size_t i = 0; i < r->nmodules; i++)
        if (r->modules[i] == src) return true;
    return false;
}

/* Before the REPL, main ran the -i files and -e code: those sources are
 * ours (named by their path, or <-e>), the rest are modules. */
void repl_classify_initial(OnsRepl *r)
{
    OnsVM *vm = r->vm;
    OnsSource **own = ons_calloc(vm->nsources + 1, sizeof *own);
    size_t nown = 0;
    for (size_t i = 0; i < vm->nsources; i++) {
        OnsSource *s = vm->sources[i];
        bool mine = s->name[0] == '<';
        for (int f = 0; f < r->nfiles && !mine; f++) mine = strcmp(s->name, r->files[f]) == 0;
        if (mine) own[nown++] = s;
    }
    classify_sources(r, own, nown);
    ons_free(own);
}

/* ---- running code ---- */

OnsStatus repl_eval(OnsRepl *r, const char *text, size_t len)
{
    char name[32];
    snprintf(name, sizeof name, "<repl:%u>", ++r->entry);
    OnsSource *src = source_new(name, text, len);
    OnsRunOptions opts = {true, false};
    struct timespec t0, t1;
    /* on a terminal, the entry's output is held: it may need the pager */
    bool hold = r->tty && isatty(STDOUT_FILENO);
    OnsOut held, *real_out = r->vm->out;
    if (hold) {
        out_flush(real_out);
        out_init_buffer(&held);
        r->vm->out = &held;
    }
    unsigned rows, cols;
    repl_terminal_size(&rows, &cols);
    r->vm->records_over = r->narrow && cols ? cols : 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    repl_signals(true);
    OnsStatus st = session_run(r->vm, src, &opts);
    repl_signals(false);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (hold) {
        r->vm->out = real_out;
        repl_show_output(r, held.buf, held.len);
        out_free(&held);
    }
    repl_note_sources(r, src);
    if (r->timing) /* as psql's \timing: after the entry's output */
        out_printf(r->vm->out, "time: %.3f ms\n",
                   (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    out_flush(r->vm->out);
    if (st != ONS_OK) r->failures++;
    return st;
}

/* Compiles an expression as a REPL entry; the closure is rooted. */
static OnsClosure *compile_expr(OnsRepl *r, const char *what, const char *text)
{
    OnsVM *vm = r->vm;
    size_t len = strlen(text);
    if (len == 0 || !frontend_is_expression(text, len)) {
        if (len && frontend_is_incomplete(text, len))
            out_printf(vm->err, "%s: the expression is unfinished\n", what);
        else if (len)
            out_printf(vm->err, "%s takes one expression, not a statement or declaration\n", what);
        else
            out_printf(vm->err, "%s needs an expression (:help %s)\n", what, what + 1);
        r->failures++;
        return NULL;
    }
    char name[32];
    snprintf(name, sizeof name, "<repl:%u>", ++r->entry);
    OnsSource *src = source_new(name, text, len);
    OnsDiags diags;
    diags_init(&diags);
    OnsCompileOptions copts = {.repl = true, .warnings = false};
    OnsCompileResult res;
    OnsStatus st = frontend_compile(vm, src, &copts, &diags, &res);
    repl_note_sources(r, src);
    diags_render(vm->err, &diags);
    diags_free(&diags);
    OnsClosure *main = st == ONS_OK ? res.main : NULL;
    if (main) vm_push_root(vm, ons_obj_value(&main->obj));
    else r->failures++;
    frontend_result_free(&res);
    return main;
}

OnsStatus repl_value_of(OnsRepl *r, const char *what, const char *text, OnsValue *out)
{
    OnsVM *vm = r->vm;
    OnsClosure *main = compile_expr(r, what, text);
    if (!main) return ONS_ERR_COMPILE;
    OnsValue v = ons_nil();
    OnsStatus st = vm_run(vm, main, &v);
    if (st != ONS_OK) {
        out_flush(vm->out);
        vm_render_error(vm, vm->err);
        vm_clear_error(vm);
        r->failures++;
        return st;
    }
    vm_push_root(vm, v);
    *out = v;
    return ONS_OK;
}

void repl_dis_expr(OnsRepl *r, const char *text)
{
    size_t roots = r->vm->nroots;
    OnsClosure *main = compile_expr(r, ":dis", text);
    if (main) disasm_proto(r->vm, r->vm->out, main->proto, true);
    vm_pop_roots(r->vm, r->vm->nroots - roots);
}

/* ---- files and fresh sessions ---- */

void repl_remember_file(OnsRepl *r, const char *path)
{
    for (int i = 0; i < r->nfiles; i++)
        if (strcmp(r->files[i], path) == 0) return;
    if (r->nfiles == r->files_cap) {
        r->files_cap = r->files_cap ? r->files_cap * 2 : 4;
        r->files = ons_realloc(r->files, (size_t)r->files_cap * sizeof(char *));
    }
    r->files[r->nfiles++] = ons_strdup(path);
}

void repl_forget_files(OnsRepl *r)
{
    for (int i = 0; i < r->nfiles; i++) ons_free(r->files[i]);
    r->nfiles = 0;
}

/* Loads path into vm; on success *src is its source. */
static OnsStatus load_into(OnsVM *vm, const char *path, OnsLoadStats *stats, OnsSource **src)
{
    OnsStatus st = session_load_file(vm, path, src);
    if (st != ONS_OK) return st;
    return session_load(vm, *src, stats);
}

static char *expand_home(const char *path)
{
    const char *home = getenv("HOME");
    if (path[0] != '~' || path[1] != '/' || !home) return ons_strdup(path);
    size_t n = strlen(home) + strlen(path);
    char *p = ons_malloc(n);
    snprintf(p, n, "%s%s", home, path + 1);
    return p;
}

OnsStatus repl_load(OnsRepl *r, const char *arg, bool remember)
{
    char *path = expand_home(arg);
    OnsSource *src = NULL;
    OnsStatus st = session_load_file(r->vm, path, &src);
    if (st == ONS_OK) {
        if (remember) repl_remember_file(r, path); /* even if it fails below: fix it, then :reload */
        OnsLoadStats stats;
        st = session_load(r->vm, src, &stats);
        repl_note_sources(r, src);
        out_flush(r->vm->out);
        if (st == ONS_OK) {
            out_printf(r->vm->out, "loaded %s: %d declaration%s", path, stats.declared, stats.declared == 1 ? "" : "s");
            if (stats.replaced) out_printf(r->vm->out, " (%d replacing earlier ones)", stats.replaced);
            out_putc(r->vm->out, '\n');
        }
    }
    if (st != ONS_OK) r->failures++;
    ons_free(path);
    return st;
}

/* After :reload: each variable that held a run typed at the prompt holds the
 * same scenario's run on the reloaded model (pairs of variable, scenario). */
static void rerun_runs(OnsRepl *r, char **pairs, size_t n)
{
    OnsVM *vm = r->vm;
    for (size_t i = 0; i + 1 < n; i += 2) {
        const char *var = pairs[i], *scen = pairs[i + 1];
        int32_t g = vm_global_find(vm, scen, strlen(scen));
        if (g < 0 || vm->globals[g].kind != ONS_GLOBAL_ENTITY || vm->gvals[g].hint != ONS_ENT_SCENARIO) {
            out_printf(vm->out, "%s: scenario %s is no longer declared; %s is gone\n", var, scen, var);
            continue;
        }
        OnsValue v;
        repl_signals(true);
        OnsStatus st = sim_run_value(vm, vm->gvals[g].as.index, &v);
        repl_signals(false);
        if (st != ONS_OK) {
            out_flush(vm->out);
            vm_render_error(vm, vm->err);
            vm_clear_error(vm);
            vm_reset(vm);
            r->failures++;
            continue;
        }
        uint32_t slot = vm_global_add(vm, var, strlen(var), ONS_GLOBAL_VAR);
        vm->gvals[slot] = v;
        out_printf(vm->out, "%s = run %s, again\n", var, scen);
    }
}

OnsStatus repl_fresh_session(OnsRepl *r, bool reload)
{
    OnsVM *fresh = session_vm_like(r->vm);
    OnsSource **own = ons_calloc((size_t)r->nfiles + 1, sizeof *own);
    size_t nown = 0;
    OnsLoadStats total = {0, 0};
    OnsStatus st = ONS_OK;
    for (int i = 0; reload && i < r->nfiles && st == ONS_OK; i++) {
        OnsLoadStats stats = {0, 0};
        OnsSource *src = NULL;
        st = load_into(fresh, r->files[i], &stats, &src);
        if (src) own[nown++] = src;
        total.declared += stats.declared;
    }
    out_flush(r->vm->out);
    if (st != ONS_OK) {
        out_printf(r->vm->err, "reload failed: the session is as it was\n");
        vm_free(fresh);
        ons_free(own);
        r->failures++;
        return st;
    }
    /* the runs typed at the prompt (`r = run base`): their variable and
     * scenario, to run again in the fresh session */
    OnsVM *old = r->vm;
    char **rerun = ons_calloc(old->nglobals * 2 + 2, sizeof(char *));
    size_t nrerun = 0;
    for (uint32_t g = 0; reload && g < old->nglobals; g++) {
        OnsRun *run = old->globals[g].kind == ONS_GLOBAL_VAR ? sim_run_of(old->gvals[g]) : NULL;
        const OnsString *name = old->globals[g].name;
        if (!run || vm_global_find(fresh, name->chars, name->len) >= 0) continue; /* a file's own stays */
        rerun[nrerun++] = ons_strdup(name->chars);
        rerun[nrerun++] = ons_strdup(model_name(model_of(old), ONS_ENT_SCENARIO, run->scenario));
    }
    vm_free(r->vm);
    r->vm = fresh;
    r->nmodules = 0;
    r->nsources_seen = 0;
    classify_sources(r, own, nown);
    ons_free(own);
    if (!reload) {
        repl_forget_files(r);
        out_printf(r->vm->out, "a fresh session: nothing is declared\n");
    } else if (r->nfiles == 1) {
        out_printf(r->vm->out, "reloaded %s into a fresh session: %d declaration%s\n", r->files[0], total.declared,
                   total.declared == 1 ? "" : "s");
    } else {
        out_printf(r->vm->out, "reloaded %d files into a fresh session: %d declaration%s\n", r->nfiles,
                   total.declared, total.declared == 1 ? "" : "s");
    }
    rerun_runs(r, rerun, nrerun);
    for (size_t i = 0; i < nrerun; i++) ons_free(rerun[i]);
    ons_free(rerun);
    return ONS_OK;
}
