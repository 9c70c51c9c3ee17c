/* :save: the session as a script that rebuilds it.  The report header's
 * model hash (sim_model_hash) covers each declaration's text and each
 * global's value as printed, in order, so the script holds exactly those:
 * declaration texts as typed, kind by kind in model order; variables in
 * slot order with numbers written so they read back bit for bit; functions
 * by their text.  Loading it into a fresh session gives the same reports. */
#include "repl_internal.h"
#include "mem.h"
#include "model.h"
#include "sim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Does v hold a run result anywhere (it is then written last, after every
 * variable a run's hash covers)? */
static bool holds_run(OnsValue v, int depth)
{
    if (depth > 40 || v.type != ONS_T_OBJ) return false;
    if (sim_run_of(v)) return true;
    if (ons_is_obj(v, ONS_OBJ_LIST)) {
        for (uint32_t i = 0; i < ONS_AS_LIST(v)->len; i++)
            if (holds_run(ONS_AS_LIST(v)->items[i], depth + 1)) return true;
    } else if (ons_is_obj(v, ONS_OBJ_MAP)) {
        for (uint32_t i = 0; i < ONS_AS_MAP(v)->len; i++)
            if (holds_run(ONS_AS_MAP(v)->entries[i].value, depth + 1)) return true;
    }
    return false;
}

/* ---- the script ---- */

static bool own_entity(OnsRepl *r, const OnsEntityInfo *e)
{
    return e->name && e->src && !repl_is_module_source(r, e->src);
}

/* `stages a, b` and `class x, y`: their entities' spans are the names alone. */
static int write_namespace(OnsRepl *r, OnsOut *out, OnsEntityKind kind)
{
    OnsModel *m = r->vm->model;
    int n = 0;
    for (uint32_t i = 0; i < model_count(m, kind); i++) {
        OnsEntityInfo *e = model_info(m, kind, i);
        if (!own_entity(r, e)) continue;
        size_t len;
        const char *text = repl_span_text(e->src, e->span, &len);
        out_puts(out, n++ ? ", " : kind == ONS_ENT_STAGE ? "stages " : "class ");
        if (text) out_write(out, text, len);
        else out_puts(out, e->name->chars);
    }
    if (n) out_puts(out, "\n\n");
    return n;
}

static int write_declarations(OnsRepl *r, OnsOut *out, OnsEntityKind kind)
{
    OnsModel *m = r->vm->model;
    int n = 0;
    for (uint32_t i = 0; i < model_count(m, kind); i++) {
        OnsEntityInfo *e = model_info(m, kind, i);
        size_t len;
        const char *text = own_entity(r, e) ? repl_span_text(e->src, e->span, &len) : NULL;
        if (!text) continue;
        out_write(out, text, len);
        out_putc(out, '\n');
        n++;
    }
    if (n) out_putc(out, '\n');
    return n;
}

/* A variable of the session (not of an imported module) that has a value. */
static bool saved_global(OnsRepl *r, uint32_t g)
{
    OnsGlobal *gl = &r->vm->globals[g];
    if (gl->kind != ONS_GLOBAL_VAR || r->vm->gvals[g].type == ONS_T_UNDEF) return false;
    return !(gl->src && repl_is_module_source(r, gl->src));
}

/* A function declared by `fn name`, whose text is its declaration. */
static bool declared_function(OnsVM *vm, uint32_t g, const char **text, size_t *len)
{
    OnsValue v = vm->gvals[g];
    if (!ons_is_obj(v, ONS_OBJ_CLOSURE)) return false;
    OnsProto *p = ONS_AS_CLOSURE(v)->proto;
    if (!p->name || strcmp(p->name->chars, vm->globals[g].name->chars) != 0) return false;
    *text = repl_span_text(p->src, p->span, len);
    return *text && *len > 3 && strncmp(*text, "fn", 2) == 0;
}

void repl_save_script(OnsRepl *r, OnsOut *out, int *ndecls, int *nvars, int *nfns, OnsOut *skipped)
{
    OnsVM *vm = r->vm;
    *ndecls = *nvars = *nfns = 0;
    out_puts(out, "# An Onshore session written by :save: its declarations, then its variables.\n"
                  "# Open it with `onshore -i FILE` or `:load FILE` in the REPL.\n\n");
    int imports = 0;
    for (uint32_t i = 0; i < vm->modules->len; i++) {
        OnsMapEntry *me = &vm->modules->entries[i];
        if (!ons_is_obj(me->key, ONS_OBJ_STRING) || !ONS_IS_BOOL(me->value) || me->value.as.b) continue;
        out_printf(out, "import %s\n", ONS_AS_STRING(me->key)->chars);
        imports++;
    }
    if (imports) out_putc(out, '\n');
    *ndecls += write_namespace(r, out, ONS_ENT_STAGE);
    *ndecls += write_namespace(r, out, ONS_ENT_CLASS);
    for (int k = ONS_ENT_REGION; k < ONS_ENT_KIND_COUNT; k++) *ndecls += write_declarations(r, out, (OnsEntityKind)k);

    /* Variables in slot order, as the hash takes them.  A variable holding
     * a run is set last, when every variable a run may read is set; if one
     * comes after it, `name = nil` keeps its place in the order. */
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t g = 0; g < vm->nglobals; g++) {
            if (!saved_global(r, g)) continue;
            OnsGlobal *gl = &vm->globals[g];
            OnsValue v = vm->gvals[g];
            bool run = holds_run(v, 0);
            if (pass == 0 && run) {
                bool later = false;
                for (uint32_t k = g + 1; k < vm->nglobals && !later; k++)
                    later = saved_global(r, k) && !holds_run(vm->gvals[k], 0);
                if (later) out_printf(out, "%s = nil   # set at the end, after the variables a run reads\n", gl->name->chars);
                continue;
            }
            if (pass == 1 && !run) continue;
            const char *text;
            size_t len;
            if (declared_function(vm, g, &text, &len)) {
                out_write(out, text, len);
                out_putc(out, '\n');
                (*nfns)++;
                continue;
            }
            OnsOut val;
            out_init_buffer(&val);
            if (repl_write_value(vm, &val, v)) {
                out_printf(out, "%s = %s\n", gl->name->chars, val.buf ? val.buf : "");
                (*nvars)++;
            } else {
                out_printf(skipped, "%s\n", gl->name->chars);
                out_printf(out, "# %s: not saved (a closure over local variables, or a value with no text)\n",
                           gl->name->chars);
            }
            out_free(&val);
        }
    }
    /* reports use the most recent run: make it the most recent one again */
    OnsRun *last = sim_run_of(vm->last_run);
    if (last && last->scenario < vm->model->nscenarios && vm->model->scenarios[last->scenario].e.name)
        out_printf(out, "run %s   # the most recent run, which reports and :show use\n",
                   model_name(vm->model, ONS_ENT_SCENARIO, last->scenario));
}

/* Writes text to path through a temporary file in the same folder and a
 * rename, so the old file stays whole if anything fails. */
static int write_atomically(const char *path, const char *text, size_t len)
{
    size_t n = strlen(path) + sizeof ".XXXXXX";
    char *tmp = ons_malloc(n);
    snprintf(tmp, n, "%s.XXXXXX", path);
    int err = 0;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        err = errno;
        ons_free(tmp);
        return err;
    }
    mode_t mask = umask(0); /* mkstemp made it 0600; a script is as readable as any new file */
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) err = errno;
    size_t done = 0;
    while (!err && done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) err = w < 0 ? errno : EIO;
        else done += (size_t)w;
    }
    if (close(fd) != 0 && !err) err = errno;
    if (!err && rename(tmp, path) != 0) err = errno;
    if (err) unlink(tmp);
    ons_free(tmp);
    return err;
}

void repl_cmd_save(OnsRepl *r, const char *arg)
{
    OnsVM *vm = r->vm;
    char *path = ons_strdup(arg);
    size_t pl = strlen(path);
    if (pl >= 2 && (path[0] == '"' || path[0] == '\'') && path[pl - 1] == path[0]) {
        memmove(path, path + 1, pl - 2);
        path[pl - 2] = '\0';
    }
    const char *home = getenv("HOME");
    if (path[0] == '~' && path[1] == '/' && home) {
        size_t n = strlen(home) + strlen(path);
        char *full = ons_malloc(n);
        snprintf(full, n, "%s%s", home, path + 1);
        ons_free(path);
        path = full;
    }
    OnsOut text, skipped;
    out_init_buffer(&text);
    out_init_buffer(&skipped);
    int ndecls, nvars, nfns;
    repl_save_script(r, &text, &ndecls, &nvars, &nfns, &skipped);
    int err = write_atomically(path, text.buf ? text.buf : "", text.len);
    if (err) {
        out_printf(vm->err, "cannot save to %s: %s\n", path, strerror(err));
        r->failures++;
    } else {
        out_printf(vm->out, "saved %d declaration%s, %d variable%s and %d function%s to %s\n", ndecls,
                   ndecls == 1 ? "" : "s", nvars, nvars == 1 ? "" : "s", nfns, nfns == 1 ? "" : "s", path);
        if (skipped.len) {
            out_printf(vm->err, "not saved (a closure over local variables, or a value with no text): ");
            for (char *p = skipped.buf; *p; p++)
                if (*p != '\n') out_putc(vm->err, *p);
                else out_puts(vm->err, p[1] ? ", " : "\n");
        }
    }
    out_free(&text);
    out_free(&skipped);
    ons_free(path);
}
