/* Compile-and-run of one source in a session. */
#include "session.h"
#include "frontend.h"
#include "lint.h"
#include "model.h"
#include "mem.h"
#include "watch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* `_` is the last value the REPL echoed (as in Python and lua -i's
 * habits); a run that read it is stale once it changes, like any global. */
static void remember_last(OnsVM *vm, OnsValue v)
{
    int32_t g = vm_global_find(vm, "_", 1);
    if (g < 0) g = (int32_t)vm_global_add(vm, "_", 1, ONS_GLOBAL_VAR);
    vm_note_global_write(vm, (uint32_t)g, v);
    vm->gvals[g] = v;
}

/* The one compile-and-run path.  quiet: no acknowledgements and no echo;
 * stats (optional) receives what the declarations did. */
static OnsStatus run_source(OnsVM *vm, OnsSource *src, const OnsRunOptions *opts, bool quiet,
                            OnsLoadStats *stats)
{
    uint32_t classes_before = model_count(model_of(vm), ONS_ENT_CLASS);
    OnsDiags diags;
    diags_init(&diags);
    /* warnings: under `onshore check`, and at the REPL, where a declaration
     * that hides a built-in should be seen when it is typed */
    OnsCompileOptions copts = {opts && opts->repl, opts && (opts->check_only || opts->repl)};
    OnsCompileResult res;
    OnsStatus st = frontend_compile(vm, src, &copts, &diags, &res);
    if (st == ONS_OK && opts && opts->check_only) lint_model(vm, src, &diags);
    diags_render(vm->err, &diags);
    diags_free(&diags);
    if (stats && st == ONS_OK) {
        /* one note per stage and per named declaration; classes have none */
        stats->declared += res.nnotes + (int)(model_count(model_of(vm), ONS_ENT_CLASS) - classes_before);
        for (int i = 0; i < res.nnotes; i++)
            if (strstr(res.notes[i], "(replaces the earlier ")) stats->replaced++;
    }
    if (!quiet)
        for (int i = 0; i < res.nnotes; i++) out_printf(vm->out, "%s\n", res.notes[i]);
    if (st != ONS_OK || (opts && opts->check_only)) {
        frontend_result_free(&res);
        return st;
    }
    OnsValue result = ons_nil();
    vm_push_root(vm, ons_obj_value(&res.main->obj));
    st = vm_run(vm, res.main, &result);
    vm_pop_roots(vm, vm->nroots);
    if (st != ONS_OK) {
        if (vm->error.io) st = ONS_ERR_IO;
        out_flush(vm->out);
        vm_render_error(vm, vm->err);
        vm_clear_error(vm);
    } else if (!quiet && res.has_value && result.type != ONS_T_NIL) {
        value_repr(vm, vm->out, result);
        out_putc(vm->out, '\n');
        if (opts && opts->repl) remember_last(vm, result);
    }
    frontend_result_free(&res);
    return st;
}

OnsStatus session_run(OnsVM *vm, OnsSource *src, const OnsRunOptions *opts)
{
    return run_source(vm, src, opts, false, NULL);
}

OnsStatus session_load(OnsVM *vm, OnsSource *src, OnsLoadStats *stats)
{
    OnsRunOptions opts = {true, false};
    if (stats) memset(stats, 0, sizeof *stats);
    return run_source(vm, src, &opts, true, stats);
}

OnsVM *session_vm_new(OnsOut *out, OnsOut *err)
{
    OnsVM *vm = vm_new(out, err);
    model_attach(vm);
    return vm;
}

OnsVM *session_vm_like(const OnsVM *vm)
{
    OnsVM *fresh = session_vm_new(vm->out, vm->err);
    if (vm->nmodule_dirs) {
        fresh->module_dirs = ons_calloc(vm->nmodule_dirs, sizeof(char *));
        for (size_t i = 0; i < vm->nmodule_dirs; i++) fresh->module_dirs[i] = ons_strdup(vm->module_dirs[i]);
        fresh->nmodule_dirs = vm->nmodule_dirs;
    }
    vm_seed(fresh, vm->seed); /* the same random() stream as the session it replaces */
    fresh->seed_given = vm->seed_given;
    fresh->jobs = vm->jobs;
    fresh->max_steps = vm->max_steps;
    fresh->default_format = vm->default_format;
    if (vm->print_out == vm->err) fresh->print_out = fresh->err;
    fresh->interrupt = vm->interrupt;
    fresh->announce_writes = vm->announce_writes;
    return fresh;
}

OnsStatus session_load_file(OnsVM *vm, const char *path, OnsSource **out)
{
    size_t n;
    errno = 0;
    char *buf = source_read_file(path, &n);
    if (!buf) {
        int err = errno;
        if (err == EISDIR) out_printf(vm->err, "onshore: %s is a directory, not a file\n", path);
        else if (err == EFBIG)
            out_printf(vm->err, "onshore: %s is larger than %zu MB, the most Onshore reads\n", path,
                       ONS_MAX_SOURCE_BYTES / ((size_t)1024 * 1024));
        else if (err == ENOENT || err == EACCES || err == ENOTDIR || err == ELOOP || err == ENAMETOOLONG)
            out_printf(vm->err, "onshore: cannot open %s: %s\n", path, strerror(err));
        else out_printf(vm->err, "onshore: cannot read %s: %s\n", path, strerror(err));
        return ONS_ERR_IO;
    }
    *out = source_adopt(strcmp(path, "-") == 0 ? "<stdin>" : path, buf, n);
    return ONS_OK;
}

int session_exit_code(OnsStatus st)
{
    switch (st) {
    case ONS_OK: return 0;
    case ONS_ERR_IO: return 2;
    default: return 1;
    }
}

void session_add_module_dirs(OnsVM *vm, const char *list)
{
    if (!list) return;
    const char *p = list;
    while (*p) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (len) {
            ONS_GROW(vm->module_dirs, *(size_t[]){vm->nmodule_dirs}, vm->nmodule_dirs + 1);
            vm->module_dirs[vm->nmodule_dirs++] = ons_strndup(p, len);
        }
        p += len;
        if (*p == ':') p++;
    }
}
