/* :save: the session as a script that rebuilds it.  A run's model hash
 * (sim_model_hash) covers each declaration's text and the value of each
 * global the run read, so the script holds exactly those: declaration
 * texts as typed, kind by kind in model order; variables with numbers
 * written so they read back bit for bit; functions by their text; and each
 * run after the globals it read are set back to the values it read, so a
 * run made before an edit is made again as it was.  Loading the script
 * into a fresh session gives the same runs and reports. */
#include "repl_internal.h"
#include "file_write.h"
#include "mem.h"
#include "model.h"
#include "sim.h"
#include "watch.h"

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
    OnsModel *m = model_of(r->vm);
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
    OnsModel *m = model_of(r->vm);
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
    if (repl_is_last_value(gl->name)) return false;
    return !(gl->src && repl_is_module_source(r, gl->src));
}

/* A function declared by `fn name`, whose text is its declaration. */
static bool declared_function(OnsVM *vm, uint32_t g, OnsValue v, const char **text, size_t *len)
{
    if (!ons_is_obj(v, ONS_OBJ_CLOSURE)) return false;
    OnsProto *p = ONS_AS_CLOSURE(v)->proto;
    if (!p->name || strcmp(p->name->chars, vm->globals[g].name->chars) != 0) return false;
    *text = repl_span_text(p->src, p->span, len);
    return *text && *len > 3 && strncmp(*text, "fn", 2) == 0;
}

/* Writes `name = value` (a function declared with `fn` as its text);
 * counts it in *nvars or *nfns when they are given.  False when the value
 * has no text (it is named in skipped). */
static bool write_assignment(OnsRepl *r, OnsOut *out, uint32_t g, OnsValue v, OnsOut *skipped, int *nvars,
                             int *nfns)
{
    OnsVM *vm = r->vm;
    const char *name = vm->globals[g].name->chars;
    const char *text;
    size_t len;
    if (declared_function(vm, g, v, &text, &len)) {
        out_write(out, text, len);
        out_putc(out, '\n');
        if (nfns) (*nfns)++;
        return true;
    }
    OnsOut val;
    out_init_buffer(&val);
    bool ok = repl_write_value(vm, &val, v);
    if (ok) {
        out_printf(out, "%s = %s\n", name, val.buf ? val.buf : "");
        if (nvars) (*nvars)++;
    } else {
        out_printf(skipped, "%s\n", name);
        out_printf(out, "# %s: not saved (a closure over local variables, or a value with no text)\n", name);
    }
    out_free(&val);
    return ok;
}

static void sort_by_run_serial(OnsVM *vm, uint32_t *slots, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        uint32_t x = slots[i], j = i;
        uint64_t sx = sim_run_of(vm->gvals[x])->serial;
        while (j > 0 && sim_run_of(vm->gvals[slots[j - 1]])->serial > sx) {
            slots[j] = slots[j - 1];
            j--;
        }
        slots[j] = x;
    }
}

/* A run the script can make again: the declarations it ran on are those of
 * the session, and what it read still hashes as it did (a list it read was
 * not changed since).  Its hash says both. */
static bool run_reproducible(OnsVM *vm, const OnsRun *run)
{
    char now[17];
    sim_model_hash(vm, run, now);
    return strcmp(now, run->hash) == 0 && run->scenario < model_of(vm)->nscenarios &&
           model_of(vm)->scenarios[run->scenario].e.name;
}

void repl_save_script(OnsRepl *r, OnsOut *out, int *ndecls, int *nvars, int *nfns, OnsOut *skipped,
                      OnsOut *stale)
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
    /* rows of tables (`facility from "plants.csv"`): the declaration, not the rows */
    OnsModel *m = model_of(vm);
    for (uint32_t i = 0; i < m->ntables; i++) out_printf(out, "%s\n%s", m->tables[i], i + 1 == m->ntables ? "\n" : "");
    *ndecls += (int)m->ntables;

    /* Variables that hold no run, as they are now; then each variable
     * holding a run, in the order the runs were made, each after the
     * globals it read are set back to what it read (a run made before an
     * edit is rebuilt as it was); then what was set back is set again. */
    OnsValue *written = ons_calloc(vm->nglobals + 1, sizeof *written);
    for (uint32_t g = 0; g < vm->nglobals; g++) written[g] = ons_undef();
    for (uint32_t g = 0; g < vm->nglobals; g++) {
        if (!saved_global(r, g) || holds_run(vm->gvals[g], 0)) continue;
        if (write_assignment(r, out, g, vm->gvals[g], skipped, nvars, nfns)) written[g] = vm->gvals[g];
    }
    uint32_t nruns = 0;
    uint32_t *runs = ons_calloc(vm->nglobals + 1, sizeof *runs);
    for (uint32_t g = 0; g < vm->nglobals; g++)
        if (saved_global(r, g) && sim_run_of(vm->gvals[g])) runs[nruns++] = g;
    sort_by_run_serial(vm, runs, nruns);
    for (uint32_t k = 0; k < nruns; k++) {
        uint32_t g = runs[k];
        const OnsRun *run = sim_run_of(vm->gvals[g]);
        const char *name = vm->globals[g].name->chars;
        if (!run_reproducible(vm, run)) {
            out_printf(stale, "%s\n", name);
            out_printf(out, "# %s: not saved (a run of declarations or values changed since)\n", name);
            continue;
        }
        for (uint32_t i = 0; i < run->nreads; i++) {
            uint32_t rg = run->reads[i];
            if (!saved_global(r, rg) || vm_same_value(written[rg], run->read_values[i])) continue;
            if (write_assignment(r, out, rg, run->read_values[i], skipped, NULL, NULL)) written[rg] = run->read_values[i];
        }
        out_printf(out, "%s = run %s\n", name, model_name(model_of(vm), ONS_ENT_SCENARIO, run->scenario));
        (*nvars)++;
    }
    for (uint32_t g = 0; g < vm->nglobals; g++)
        if (written[g].type != ONS_T_UNDEF && !vm_same_value(written[g], vm->gvals[g]))
            write_assignment(r, out, g, vm->gvals[g], skipped, NULL, NULL);
    /* lists and maps holding runs last, when every variable is as it is now */
    for (uint32_t g = 0; g < vm->nglobals; g++)
        if (saved_global(r, g) && holds_run(vm->gvals[g], 0) && !sim_run_of(vm->gvals[g]))
            write_assignment(r, out, g, vm->gvals[g], skipped, nvars, nfns);
    ons_free(runs);
    ons_free(written);
    /* reports use the most recent run: make it the most recent one again */
    OnsRun *last = sim_run_of(model_of(vm)->last_run);
    if (last && last->scenario < model_of(vm)->nscenarios && model_of(vm)->scenarios[last->scenario].e.name)
        out_printf(out, "run %s   # the most recent run, which reports and :show use\n",
                   model_name(model_of(vm), ONS_ENT_SCENARIO, last->scenario));
}

/* names: one a line */
static void say_not_saved(OnsOut *err, const OnsOut *names, const char *why)
{
    if (!names->len) return;
    out_printf(err, "not saved (%s): ", why);
    for (const char *p = names->buf; *p; p++)
        if (*p != '\n') out_putc(err, *p);
        else out_puts(err, p[1] ? ", " : "\n");
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
    OnsOut text, skipped, stale;
    out_init_buffer(&text);
    out_init_buffer(&skipped);
    out_init_buffer(&stale);
    int ndecls, nvars, nfns;
    repl_save_script(r, &text, &ndecls, &nvars, &nfns, &skipped, &stale);
    int err = ons_write_file(path, text.buf ? text.buf : "", text.len);
    if (err) {
        out_printf(vm->err, "cannot save to %s: %s\n", path, strerror(err));
        r->failures++;
    } else {
        out_printf(vm->out, "saved %d declaration%s, %d variable%s and %d function%s to %s\n", ndecls,
                   ndecls == 1 ? "" : "s", nvars, nvars == 1 ? "" : "s", nfns, nfns == 1 ? "" : "s", path);
        say_not_saved(vm->err, &skipped, "a closure over local variables, or a value with no text");
        say_not_saved(vm->err, &stale, "runs of declarations or values changed since: run them again");
    }
    out_free(&text);
    out_free(&skipped);
    out_free(&stale);
    ons_free(path);
}
