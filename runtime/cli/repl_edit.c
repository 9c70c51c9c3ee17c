/* Line editing and history with libedit's native API (histedit.h): the
 * REPL state travels as EL_CLIENTDATA, so the prompt and completion
 * callbacks need no globals.  Facts about libedit on this machine are in
 * reference/code-anchors.md §1.4 and pitfalls P14-P20. */
#include "repl_internal.h"
#include "edit_lib.h"
#include "mem.h"

#include <errno.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void repl_setup_locale(void)
{
    const char *loc = setlocale(LC_CTYPE, "");
    /* Onshore source is UTF-8; under the C locale libedit would drop every
     * non-ASCII character typed, so prefer C.UTF-8 when it exists */
    if (!loc || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0) {
        if (!setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "C.utf8");
    }
}

char *repl_history_path(void)
{
    const char *env = getenv("ONSHORE_HISTORY");
    if (env) return *env ? ons_strdup(env) : NULL;
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home || !*home) return NULL;
    size_t n = strlen(home) + sizeof "/.onshore_history";
    char *p = ons_malloc(n);
    snprintf(p, n, "%s/.onshore_history", home);
    return p;
}

/* The REPL behind a callback; libedit is loaded, or el would not exist. */
static OnsRepl *repl_of(EditLine *el)
{
    const char *why = NULL;
    void *p = NULL;
    edit_lib_load(&why)->el_get(el, EL_CLIENTDATA, &p);
    return p;
}

/* libedit wants a char *; the two prompts live in the REPL state. */
static char *prompt_of(EditLine *el)
{
    OnsRepl *r = repl_of(el);
    static const char primary[] = "onshore> ", continuation[] = "   ...> ";
    const char *p = r && r->len ? continuation : primary;
    snprintf(r->prompt, sizeof r->prompt, "%s", p);
    return r->prompt;
}

bool repl_edit_open(OnsRepl *r, const char **why)
{
    const OnsEditLib *ed = edit_lib_load(why);
    if (!ed) return false;
    r->ed = ed;
    *why = "libedit could not start";
    r->el = ed->el_init("onshore", stdin, stdout, stderr);
    if (!r->el) return false;
    r->hist = ed->history_init();
    if (!r->hist) {
        ed->el_end(r->el);
        r->el = NULL;
        return false;
    }
    HistEvent ev;
    ed->history(r->hist, &ev, H_SETSIZE, ONS_HISTORY_SIZE);
    ed->history(r->hist, &ev, H_SETUNIQUE, 1);
    ed->el_set(r->el, EL_CLIENTDATA, (void *)r);
    ed->el_set(r->el, EL_EDITOR, "emacs");
    /* libedit restores the terminal around Ctrl-Z and resizes; it passes
     * SIGINT on to our handler, and el_gets returns */
    ed->el_set(r->el, EL_SIGNAL, 1);
    ed->el_set(r->el, EL_PROMPT, prompt_of);
    ed->el_set(r->el, EL_HIST, ed->history, r->hist);
    ed->el_set(r->el, EL_BIND, "^R", "em-inc-search-prev", NULL);
    ed->el_set(r->el, EL_BIND, "^W", "ed-delete-prev-word", NULL);
    repl_complete_install(r);
    ed->el_source(r->el, NULL); /* ~/.editrc, as every libedit program reads it */
    r->hist_path = repl_history_path();
    if (r->hist_path) {
        errno = 0;
        if (ed->history(r->hist, &ev, H_LOAD, r->hist_path) < 0 && errno && errno != ENOENT)
            fprintf(stderr, "onshore: cannot read the history %s: %s\n", r->hist_path, strerror(errno));
    }
    return true;
}

void repl_edit_close(OnsRepl *r)
{
    if (r->el) r->ed->el_end(r->el);
    if (r->hist) r->ed->history_end(r->hist);
    r->el = NULL;
    r->hist = NULL;
}

const char *repl_edit_read(OnsRepl *r, bool *interrupted)
{
    int count = 0; /* the prompt callback tells a continuation by r->len */
    const char *line = r->ed->el_gets(r->el, &count);
    if (line && count > 0) return line;
    /* Ctrl-C returns NULL with EINTR, like the end of input but for errno;
     * our own flag tells them apart (P17) */
    *interrupted = *r->interrupt != 0;
    *r->interrupt = 0;
    return NULL;
}

/* Writes the history to a temporary file beside it, then renames it over
 * the old one: a crash or a full disk never truncates the history.
 * libedit's H_SAVE_FP returns a count even when writing failed, so, as psql
 * does for write_history, errno is cleared before and looked at after. */
static int history_write(OnsRepl *r)
{
    size_t n = strlen(r->hist_path) + sizeof ".XXXXXX";
    char *tmp = ons_malloc(n);
    snprintf(tmp, n, "%s.XXXXXX", r->hist_path);
    int err = 0;
    int fd = mkstemp(tmp); /* mode 0600: the history is private */
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        err = errno;
        if (fd >= 0) close(fd);
    } else {
        HistEvent ev;
        errno = 0;
        r->ed->history(r->hist, &ev, H_SAVE_FP, f);
        err = errno;
        if (fflush(f) != 0 || ferror(f)) err = err ? err : (errno ? errno : EIO);
        if (fclose(f) != 0 && !err) err = errno ? errno : EIO;
        if (!err && rename(tmp, r->hist_path) != 0) err = errno;
        if (err) unlink(tmp);
    }
    ons_free(tmp);
    return err;
}

void repl_history_add(OnsRepl *r, const char *entry, size_t len)
{
    if (!r->hist) return;
    while (len > 0 && (entry[len - 1] == '\n' || entry[len - 1] == '\r')) len--;
    if (len == 0) return;
    char *text = ons_strndup(entry, len);
    HistEvent ev;
    r->ed->history(r->hist, &ev, H_ENTER, text); /* several lines stay one entry */
    ons_free(text);
    if (!r->hist_path) return;
    int err = history_write(r); /* after every entry: a killed session keeps its history */
    if (err && !r->hist_warned) {
        fprintf(stderr, "onshore: cannot save the history to %s: %s\n", r->hist_path, strerror(err));
        r->hist_warned = true;
    }
}
