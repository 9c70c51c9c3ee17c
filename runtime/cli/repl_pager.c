/* Long or wide output at the REPL goes through a pager, as psql's does:
 * the entry's output is held, and shown through $ONSHORE_PAGER, $PAGER or
 * `less -FRSX` when it would not fit the terminal. */
#include "repl_internal.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* $COLUMNS and $LINES first, as less and the shells read them, then the
 * terminal's own size. */
void repl_terminal_size(unsigned *rows, unsigned *cols)
{
    struct winsize ws;
    *rows = *cols = 0;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    }
    const char *c = getenv("COLUMNS"), *l = getenv("LINES");
    if (c && atoi(c) > 0) *cols = (unsigned)atoi(c);
    if (l && atoi(l) > 0) *rows = (unsigned)atoi(l);
}

/* Lines and the widest line, in characters (UTF-8 continuation bytes and
 * ANSI colour sequences take no column). */
static void measure(const char *text, size_t len, size_t *lines, size_t *widest)
{
    size_t w = 0;
    *lines = *widest = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            (*lines)++;
            if (w > *widest) *widest = w;
            w = 0;
        } else if (ch == 0x1b) {
            while (i < len && !(text[i] >= '@' && text[i] <= '~' && text[i] != '[')) i++;
        } else if ((ch & 0xC0) != 0x80) {
            w++;
        }
    }
    if (w > *widest) *widest = w;
}

void repl_show_output(OnsRepl *r, const char *text, size_t len)
{
    if (len == 0) return;
    unsigned rows, cols;
    repl_terminal_size(&rows, &cols);
    size_t lines, widest;
    measure(text, len, &lines, &widest);
    const char *pager = getenv("ONSHORE_PAGER");
    if (!pager) pager = getenv("PAGER");
    if (!pager) pager = "less -FRSX";
    bool fits = !rows || !cols || (lines < rows - 1 && widest <= cols);
    if (r->no_pager || fits || !*pager) {
        fwrite(text, 1, len, stdout);
        fflush(stdout);
        return;
    }
    fflush(stdout);
    /* quitting the pager early closes the pipe: no SIGPIPE for the REPL */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    FILE *p = popen(pager, "w");
    if (p) {
        fwrite(text, 1, len, p);
        pclose(p);
    } else {
        fwrite(text, 1, len, stdout);
    }
    signal(SIGPIPE, old);
    fflush(stdout);
}
