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

void repl_signals(bool evaluating)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = evaluating ? on_sigint_eval : on_sigint_prompt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: a blocked read returns at once */
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

/* `quit`, `exit` and `\q` alone leave, as :quit does (as in psql, sqlite3
 * and Python), unless the session has a variable of that name. */
static bool is_leave_word(OnsRepl *r, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    static const char *const words[] = {"quit", "exit", "\\q"};
    for (size_t i = 0; i < ONS_ARRAY_LEN(words); i++)
        if (n == strlen(words[i]) && memcmp(s, words[i], n) == 0)
            return i == 2 || vm_global_find(r->vm, s, n) < 0;
    return false;
}

static void run_command(OnsRepl *r, const char *line, size_t n)
{
    char *cmd = ons_strndup(line, n);
    while (n > 0 && (cmd[n - 1] == '\n' || cmd[n - 1] == '\r' || cmd[n - 1] == ' ')) cmd[--n] = '\0';
    repl_signals(true); /* commands run code too (:show, :load, :type) */
    repl_command(r, cmd);
    repl_signals(false);
    out_flush(r->vm->out);
    ons_free(cmd);
}

static void loop(OnsRepl *r)
{
    char *plain = NULL;
    size_t plain_cap = 0;
    while (!r->quit) {
        bool continuing = r->len > 0, interrupted = false;
        /* A write to the terminal cut short by Ctrl-C (EINTR: the handler has
         * no SA_RESTART, so a blocked read returns) marks stdout as failed;
         * that is the user's interrupt, not an output error for the exit
         * status (main's check of stdout at exit gave 2) */
        if (repl_sigint) clearerr(stdout);
        repl_sigint = 0; /* a Ctrl-C that came after the last evaluation ended */
        out_flush(r->vm->out);
        const char *line = r->tty ? repl_edit_read(r, &interrupted)
                                  : read_plain(&plain, &plain_cap, &interrupted);
        if (!line) {
            if (interrupted) { /* Ctrl-C: drop the line and the entry */
                clearerr(stdout); /* as above: libedit's redraw may have been cut short */
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
        if (is_leave_word(r, r->buf, r->len)) {
            r->quit = true;
            break;
        }
        repl_eval(r, r->buf, r->len);
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
    r.vm->announce_writes = true;
    for (int i = 0; i < nfiles; i++) repl_remember_file(&r, files[i]);
    repl_classify_initial(&r);
    repl_signals(false);
    if (r.tty) {
        repl_setup_locale();
        const char *why = "";
        if (!repl_edit_open(&r, &why)) {
            fprintf(stderr, "onshore: no line editing (%s); reading plain lines\n", why);
            r.tty = false;
        }
    }
    if (r.tty) printf("Onshore %s  (:help for help, :quit or Ctrl-D to leave)\n", ONS_VERSION);
    loop(&r);
    out_flush(r.vm->out);
    if (r.el || r.hist) repl_edit_close(&r);
    signal(SIGINT, SIG_DFL);
    r.vm->interrupt = NULL;
    r.vm->announce_writes = false;
    *vmp = r.vm;
    repl_forget_files(&r);
    ons_free(r.files);
    ons_free(r.modules);
    ons_free(r.buf);
    ons_free(r.hist_path);
    return r.tty || r.failures == 0 ? 0 : 1;
}
