/* The REPL (spec §8): reads an entry over as many lines as the parser says
 * it needs, runs it in the session and echoes its value; lines starting
 * with `:` are commands (repl_cmds.c).  On a terminal it edits with libedit
 * (repl_edit.c); otherwise it reads plain lines with no prompts, so
 * `onshore -i FILE < input` runs commands too.
 *
 * Ctrl-C is one sig_atomic_t flag, the only global: the VM polls it at
 * backward jumps and calls (vm->interrupt), the simulation once a year, and
 * libedit returns from reading when it is set at the prompt. */
#include "repl.h"
#include "repl_internal.h"
#include "chunk.h"
#include "frontend.h"
#include "mem.h"
#include "session.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t repl_sigint;

static void on_sigint_prompt(int sig)
{
    (void)sig;
    repl_sigint = 1;
}

/* While code runs, the first Ctrl-C asks the VM to stop at its next poll.
 * A second one before the VM noticed the first (a native or a simulation
 * year running long) ends the process, as in Lua: only async-signal-safe
 * calls here. */
static void on_sigint_eval(int sig)
{
    if (repl_sigint) {
        static const char msg[] = "\nonshore: interrupted twice; leaving\n";
        ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)ignored;
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    repl_sigint = 1;
    ssize_t ignored = write(STDERR_FILENO, "\n", 1); /* the error starts below the ^C the terminal echoed */
    (void)ignored;
}

void repl_signals(OnsRepl *r, bool evaluating)
{
    (void)r;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = evaluating ? on_sigint_eval : on_sigint_prompt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: a blocked read returns at once */
}

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
static void classify_initial(OnsRepl *r)
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
    OnsStatus st = session_run(r->vm, src, &opts);
    repl_note_sources(r, src);
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
    OnsCompileOptions copts = {true};
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

static void remember_file(OnsRepl *r, const char *path)
{
    for (int i = 0; i < r->nfiles; i++)
        if (strcmp(r->files[i], path) == 0) return;
    if (r->nfiles == r->files_cap) {
        r->files_cap = r->files_cap ? r->files_cap * 2 : 4;
        r->files = ons_realloc(r->files, (size_t)r->files_cap * sizeof(char *));
    }
    r->files[r->nfiles++] = ons_strdup(path);
}

static void forget_files(OnsRepl *r)
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
        if (remember) remember_file(r, path); /* even if it fails below: fix it, then :reload */
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
    vm_free(r->vm);
    r->vm = fresh;
    r->nmodules = 0;
    r->nsources_seen = 0;
    classify_sources(r, own, nown);
    ons_free(own);
    if (!reload) {
        forget_files(r);
        out_printf(r->vm->out, "a fresh session: nothing is declared\n");
    } else if (r->nfiles == 1) {
        out_printf(r->vm->out, "reloaded %s into a fresh session: %d declaration%s\n", r->files[0], total.declared,
                   total.declared == 1 ? "" : "s");
    } else {
        out_printf(r->vm->out, "reloaded %d files into a fresh session: %d declaration%s\n", r->nfiles,
                   total.declared, total.declared == 1 ? "" : "s");
    }
    return ONS_OK;
}

/* ---- reading entries ---- */

/* Off a terminal: plain lines, no prompt.  NULL at the end of input. */
static const char *read_plain(char **line, size_t *cap, bool *interrupted)
{
    errno = 0;
    ssize_t n = getline(line, cap, stdin);
    if (n < 0) {
        *interrupted = errno == EINTR;
        clearerr(stdin);
        return NULL;
    }
    if (n == 0 || (*line)[n - 1] != '\n') { /* a last line without its newline */
        if ((size_t)n + 2 > *cap) {
            *cap = (size_t)n + 2;
            *line = realloc(*line, *cap);
            if (!*line) return NULL;
        }
        (*line)[n] = '\n';
        (*line)[n + 1] = '\0';
    }
    return *line;
}

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return false;
    return true;
}

/* A `:` at the start of an entry (after blanks) makes the line a command:
 * no Onshore entry can start with a colon. */
static const char *command_start(const char *line)
{
    while (*line == ' ' || *line == '\t') line++;
    return *line == ':' ? line : NULL;
}

static void run_command(OnsRepl *r, const char *line, size_t n)
{
    char *cmd = ons_strndup(line, n);
    while (n > 0 && (cmd[n - 1] == '\n' || cmd[n - 1] == '\r' || cmd[n - 1] == ' ')) cmd[--n] = '\0';
    repl_signals(r, true);
    repl_command(r, cmd);
    repl_signals(r, false);
    out_flush(r->vm->out);
    ons_free(cmd);
}

static void loop(OnsRepl *r)
{
    char *plain = NULL;
    size_t plain_cap = 0;
    while (!r->quit) {
        bool continuing = r->len > 0, interrupted = false;
        repl_sigint = 0; /* a Ctrl-C that came after the last evaluation ended */
        out_flush(r->vm->out);
        const char *line = r->tty ? repl_edit_read(r, &interrupted)
                                  : read_plain(&plain, &plain_cap, &interrupted);
        if (!line) {
            if (interrupted) { /* Ctrl-C: drop the line and the entry */
                if (r->tty) fputs("\n", stdout);
                r->len = 0;
                continue;
            }
            if (r->len) { /* end of input inside an entry: say why it is unfinished */
                if (r->tty) fputs("\n", stdout);
                if (r->tty) repl_history_add(r, r->buf, r->len);
                repl_eval(r, r->buf, r->len);
                r->len = 0;
                if (r->tty) continue;
            } else if (r->tty) {
                fputs("\n", stdout);
            }
            break;
        }
        size_t n = strlen(line);
        const char *cmd = continuing ? NULL : command_start(line);
        if (cmd) {
            if (r->tty) repl_history_add(r, line, n);
            run_command(r, cmd, n - (size_t)(cmd - line));
            continue;
        }
        ONS_GROW(r->buf, r->cap, r->len + n + 1);
        memcpy(r->buf + r->len, line, n);
        r->len += n;
        r->buf[r->len] = '\0';
        if (frontend_is_incomplete(r->buf, r->len)) continue;
        if (is_blank(r->buf, r->len)) {
            r->len = 0;
            continue;
        }
        if (r->tty) repl_history_add(r, r->buf, r->len);
        repl_signals(r, true);
        repl_eval(r, r->buf, r->len);
        repl_signals(r, false);
        r->len = 0;
    }
    free(plain);
}

int repl_main(OnsVM **vmp, const char *const *files, int nfiles)
{
    OnsRepl r;
    memset(&r, 0, sizeof r);
    r.vm = *vmp;
    r.tty = isatty(STDIN_FILENO);
    r.interrupt = &repl_sigint;
    r.vm->interrupt = &repl_sigint;
    for (int i = 0; i < nfiles; i++) remember_file(&r, files[i]);
    classify_initial(&r);
    repl_signals(&r, false);
    if (r.tty) {
        repl_setup_locale();
        if (!repl_edit_open(&r)) {
            fprintf(stderr, "onshore: cannot set up line editing; reading plain lines\n");
            r.tty = false;
        }
    }
    if (r.tty) printf("Onshore %s  (:help for help, :quit or Ctrl-D to leave)\n", ONS_VERSION);
    loop(&r);
    out_flush(r.vm->out);
    if (r.el || r.hist) repl_edit_close(&r);
    signal(SIGINT, SIG_DFL);
    r.vm->interrupt = NULL;
    *vmp = r.vm;
    forget_files(&r);
    ons_free(r.files);
    ons_free(r.modules);
    ons_free(r.buf);
    ons_free(r.hist_path);
    return r.tty || r.failures == 0 ? 0 : 1;
}
