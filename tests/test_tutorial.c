/* docs/tutorial.md, docs/answers.md and the README, replayed: every ```repl block is typed
 * into the real binary on a pseudo-terminal (tests/pty.h) and what the
 * terminal shows must be the block, line for line.
 *
 * The rule for the blocks (docs/tutorial.md says it to teachers too):
 *
 *   - A block whose first line is `$ ./onshore ARGS` starts a new session:
 *     the binary under test ($ONSHORE_BIN) runs with ARGS (split at spaces)
 *     and everything it prints, the banner included, is part of the block.
 *     The session before it ends with Ctrl-D.
 *   - Every other block continues the session of the block before it, as a
 *     class types one session from part to part.
 *   - A line starting with the prompt `onshore> ` or the continuation prompt
 *     `   ...> ` is typed (what follows the prompt, then Enter); every other
 *     line is output.  A block ends where the next prompt appears, so that
 *     prompt belongs to the next block.
 *   - All the sessions run in order in one fresh folder, the way a class
 *     works in one folder: a file a session writes (`:save tiny.ons`) is
 *     there for a later one (`$ ./onshore -i tiny.ons`).  `examples` in that
 *     folder is the checkout's examples/, so `-i examples/NAME.ons` works.
 *     HOME is the folder, no history is kept and ONSHORE_PATH is unset.
 *
 * Lines are compared without trailing blanks (Markdown editors drop them);
 * everything else must match exactly, including error messages and the
 * model hashes of report headers, which are stable: they hash the model's
 * text and values, nothing of the machine or the run.
 *
 * Why a pseudo-terminal rather than piping lines to `onshore -i`: only on a
 * terminal does onshore print its prompts and echo, so a transcript shows
 * what a student sees and a block can be compared as a whole.  It stays
 * robust the way tests/test_repl.c does: each line is typed only once
 * libedit reads the terminal in raw mode, and a reply is complete when the
 * echoed line has ended and the text ends in a prompt. */
#include "pty.h"
#include "tests.h"

#include "common.h"
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROMPT "onshore> "
#define MORE "   ...> "
#define START "$ ./onshore"
#define MAX_REPORTED 5 /* differences shown in full; the rest are counted */
#define MAX_REPORT_BYTES 3000

/* A document split into lines (in place), and its ```repl blocks. */
typedef struct Block {
    size_t first, n; /* lines[first .. first+n): the block's content */
} Block;

typedef struct Doc {
    const char *name; /* for messages: docs/tutorial.md */
    char *text;
    char **lines;
    size_t nlines;
    Block *blocks;
    size_t nblocks;
} Doc;

static void doc_parse(Doc *d, const char *name, const char *text)
{
    memset(d, 0, sizeof *d);
    d->name = name;
    d->text = strdup(text);
    size_t cap = 0;
    for (char *s = d->text; s;) {
        char *nl = strchr(s, '\n');
        if (nl) *nl = '\0';
        if (d->nlines == cap) d->lines = realloc(d->lines, (cap = cap ? cap * 2 : 256) * sizeof *d->lines);
        d->lines[d->nlines++] = s;
        s = nl ? nl + 1 : NULL;
    }
    for (size_t i = 0; i < d->nlines; i++) {
        if (strncmp(d->lines[i], "```repl", 7) != 0 || d->lines[i][7 + strspn(d->lines[i] + 7, " \t")] != '\0')
            continue;
        size_t end = i + 1;
        while (end < d->nlines && strncmp(d->lines[end], "```", 3) != 0) end++;
        d->blocks = realloc(d->blocks, (d->nblocks + 1) * sizeof *d->blocks);
        d->blocks[d->nblocks++] = (Block){i + 1, end - i - 1};
        i = end;
    }
}

static void doc_free(Doc *d)
{
    free(d->text);
    free(d->lines);
    free(d->blocks);
}

/* What a transcript line types, or NULL for an output line.  A prompt
 * whose trailing blank an editor dropped types an empty line. */
static const char *typed(const char *line)
{
    if (strncmp(line, PROMPT, strlen(PROMPT)) == 0) return line + strlen(PROMPT);
    if (strncmp(line, MORE, strlen(MORE)) == 0) return line + strlen(MORE);
    if (strcmp(line, "onshore>") == 0 || strcmp(line, "   ...>") == 0) return "";
    return NULL;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static bool ends_with(const Pty *p, const char *s)
{
    size_t n = strlen(s);
    return p->text_len >= n && memcmp(p->text + p->text_len - n, s, n) == 0;
}

/* Waits for the reply to a line typed when the text was since bytes long
 * (0 at the start of a session: there is no echo to wait for).  The reply
 * is complete when the echoed line has ended, the text ends with a prompt
 * and libedit reads the terminal again.  1: a prompt; 0: onshore exited;
 * -1: nothing within the time. */
static int wait_reply(Pty *p, size_t since, bool echo)
{
    long end = now_ms() + pty_ms(30000);
    for (;;) {
        bool line_ended = !echo || (p->text_len > since && memchr(p->text + since, '\n', p->text_len - since));
        if (line_ended && (ends_with(p, PROMPT) || ends_with(p, MORE)) && pty_wait_editing(p, 0)) return 1;
        if (now_ms() > end) return -1;
        if (!pty_read(p, 20)) return 0;
    }
}

/* Compares the block's lines from `from` with what onshore printed; on the
 * first difference, describes it into report and returns false. */
static bool compare(const Doc *d, const Block *b, size_t from, const char *got, OnsOut *report)
{
    const char *g = got;
    size_t i = from;
    for (;; i++) {
        bool more_want = i < b->first + b->n, more_got = *g != '\0';
        if (!more_want && !more_got) return true;
        const char *nl = more_got ? strchr(g, '\n') : NULL;
        size_t glen = more_got ? (nl ? (size_t)(nl - g) : strlen(g)) : 0;
        if (more_want && more_got) {
            const char *w = d->lines[i];
            size_t wlen = tu_trimmed(w, strlen(w));
            if (wlen == tu_trimmed(g, glen) && memcmp(w, g, wlen) == 0) {
                g += glen + (nl ? 1 : 0);
                continue;
            }
        }
        out_printf(report, "%s:%zu: the transcript and onshore differ\n", d->name, i + 1);
        if (more_want) out_printf(report, "  transcript: %s\n", d->lines[i]);
        else out_printf(report, "  transcript: (the block has ended)\n");
        if (more_got) out_printf(report, "  onshore:    %.*s\n", (int)glen, g);
        else out_printf(report, "  onshore:    (nothing more before the next prompt)\n");
        out_printf(report, "  what onshore printed for the block at %s:%zu:\n%s", d->name, b->first + 1, got);
        if (*got && got[strlen(got) - 1] != '\n') out_putc(report, '\n');
        return false;
    }
}

typedef struct Replay {
    size_t blocks, lines; /* replayed */
    int differences;
    OnsOut report; /* the first MAX_REPORTED differences, then a count */
} Replay;

/* Counts a difference; its text goes to the report while it is short. */
static void add_problem(Replay *r, const char *text)
{
    if (++r->differences <= MAX_REPORTED) out_printf(&r->report, "%s\n", text);
}

/* A difference that is not in a block's text: what went wrong at a line of
 * d, with the end of the terminal when there is one. */
static void problem(Replay *r, const Doc *d, size_t line, const char *what, Pty *p)
{
    OnsOut o;
    out_init_buffer(&o);
    out_printf(&o, "%s:%zu: %s", d->name, line, what);
    if (p) out_printf(&o, "; the terminal shows:\n%s", pty_tail(p, 2000));
    add_problem(r, o.buf);
    out_free(&o);
}

/* Starts a session for `$ ./onshore ARGS`; false when the line is not one. */
static bool start_session(Pty *p, const char *line, const char *dir)
{
    size_t n0 = strlen(START);
    if (strncmp(line, START, n0) != 0 || (line[n0] && line[n0] != ' ')) return false;
    static char buf[512];
    snprintf(buf, sizeof buf, "%s", line + n0);
    const char *args[16];
    int n = 0;
    for (char *tok = strtok(buf, " "); tok && n < 15; tok = strtok(NULL, " ")) args[n++] = tok;
    args[n] = NULL;
    char home[600];
    snprintf(home, sizeof home, "HOME=%s", dir);
    /* no progress line: a slow machine (valgrind) would show one where a
     * fast one shows none, and the transcript is what stays on the screen */
    const char *env[] = {home, "ONSHORE_HISTORY=", "ONSHORE_PATH", "ONSHORE_PROGRESS=0", "ONSHORE_PAGER=", /* no pager */
                         "LANG=C.UTF-8", "LC_ALL=", "LC_CTYPE=", /* charts draw in braille, */
                         "COLUMNS=72", "NO_COLOR=1", NULL};      /* 72 columns wide, no colour codes */
    pty_start(p, args, env);
    return true;
}

/* Leaves a session with Ctrl-D at its prompt; line: where it ends in d. */
static void end_session(Pty *p, Replay *r, const Doc *d, size_t line)
{
    pty_send(p, "\x04");
    int st = pty_finish(p, pty_ms(10000));
    if (st != 0) problem(r, d, line, "the session that ends here exited with a failure", p);
    pty_free(p);
}

/* Replays every block of d in order, with the folder dir as the current
 * directory. */
static void replay(const Doc *d, const char *dir, Replay *r)
{
    memset(r, 0, sizeof *r);
    out_init_buffer(&r->report);
    char old_cwd[4096];
    ck_assert_msg(getcwd(old_cwd, sizeof old_cwd) != NULL, "getcwd: %s", strerror(errno));
    ck_assert_msg(chdir(dir) == 0, "chdir %s: %s", dir, strerror(errno));
    Pty p;
    bool live = false;
    size_t at = 0; /* where the current block starts in p.text */
    for (size_t k = 0; k < d->nblocks; k++) {
        const Block *b = &d->blocks[k];
        size_t from = b->first; /* the first line compared */
        if (b->n > 0 && strncmp(d->lines[b->first], "$ ", 2) == 0) {
            if (live) end_session(&p, r, d, b->first);
            live = start_session(&p, d->lines[b->first], dir);
            if (!live) {
                problem(r, d, b->first + 1, "a session starts with `" START " ARGS`", NULL);
                continue;
            }
            at = 0;
            from++;
            if (wait_reply(&p, 0, false) != 1) {
                problem(r, d, b->first + 1, "onshore showed no prompt", &p);
                pty_free(&p);
                live = false;
                continue;
            }
        } else if (!live) {
            problem(r, d, b->first + 1, "this block continues no session: start one with `" START "`", NULL);
            continue;
        }
        r->blocks++;
        int state = 1;
        for (size_t i = from; i < b->first + b->n && state == 1; i++) {
            const char *keys = typed(d->lines[i]);
            if (!keys) continue;
            size_t since = p.text_len;
            pty_send(&p, keys);
            pty_send(&p, "\n");
            r->lines++;
            state = wait_reply(&p, since, true);
            if (state < 0) problem(r, d, i + 1, "no prompt came back after this line", &p);
        }
        if (state < 0) { /* out of step with the transcript: give up the session */
            pty_free(&p);
            live = false;
            continue;
        }
        /* the block is everything up to the prompt waiting for the next line */
        size_t end = p.text_len;
        if (state == 1) end -= ends_with(&p, PROMPT) ? strlen(PROMPT) : strlen(MORE);
        char *got = strndup(p.text + at, end - at);
        at = end;
        OnsOut diff;
        out_init_buffer(&diff);
        if (!compare(d, b, from, got, &diff)) add_problem(r, diff.buf);
        out_free(&diff);
        free(got);
        if (state == 0) { /* the transcript quit onshore itself */
            pty_finish(&p, pty_ms(10000));
            pty_free(&p);
            live = false;
        }
    }
    if (live) end_session(&p, r, d, d->nlines);
    if (r->differences > MAX_REPORTED)
        out_printf(&r->report, "... and %d more differences\n", r->differences - MAX_REPORTED);
    /* Check carries a failure's message in a buffer of a few kilobytes */
    if (r->report.len > MAX_REPORT_BYTES) {
        r->report.buf[MAX_REPORT_BYTES] = '\0';
        r->report.len = MAX_REPORT_BYTES;
        out_puts(&r->report, "\n... (the report is cut here)\n");
    }
    ck_assert_msg(chdir(old_cwd) == 0, "chdir back: %s", strerror(errno));
}

/* A fresh folder for a replay, with examples/ of the checkout in it. */
static char dir[512];

static void setup(void)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(dir, sizeof dir, "%s/onshore-tutorial-XXXXXX", tmp);
    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
    char link[600];
    snprintf(link, sizeof link, "%s/examples", dir);
    ck_assert_msg(symlink(tu_path("examples"), link) == 0, "symlink: %s", strerror(errno));
    snprintf(link, sizeof link, "%s/docs", dir);
    ck_assert_msg(symlink(tu_path("docs"), link) == 0, "symlink: %s", strerror(errno));
}

static void teardown(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

/* Replays every ```repl block of a document of docs/ (see the top). */
static void replay_document(const char *rel)
{
    char *text = tu_read_file(tu_path(rel), NULL);
    ck_assert_msg(text != NULL, "cannot read %s", rel);
    Doc d;
    doc_parse(&d, rel, text);
    free(text);
    ck_assert_msg(d.nblocks > 0, "%s has no ```repl block", rel);
    Replay r;
    replay(&d, dir, &r);
    ck_assert_msg(r.differences == 0, "%s (%zu transcripts) does not replay: %d difference%s\n%s", rel, d.nblocks,
                  r.differences, r.differences == 1 ? "" : "s", r.report.buf);
    ck_assert_msg(r.blocks == d.nblocks, "only %zu of %zu blocks were replayed", r.blocks, d.nblocks);
    out_free(&r.report);
    doc_free(&d);
}

START_TEST(the_tutorial_replays)
{
    replay_document("docs/tutorial.md");
}
END_TEST

/* docs/answers.md, the answer key, is tested the same way: each answer's
 * commands print what the key says. */
START_TEST(the_answers_replay)
{
    replay_document("docs/answers.md");
}
END_TEST

/* The replay itself: a right transcript passes, a wrong line is caught
 * with its line number, and a block outside a session is an error. */
/* The README's REPL transcript is a real session too. */
START_TEST(the_readme_replays)
{
    replay_document("README.md");
}
END_TEST

START_TEST(a_wrong_transcript_fails)
{
    static const char text[] = "# A lesson\n"
                               "```repl\n"
                               START "\n"
                               "Onshore " ONS_VERSION "  (:help for help, :quit or Ctrl-D to leave)\n"
                               "onshore> 1.6 TWh / 2\n"
                               "800 GWh\n"
                               "onshore> [1,\n"
                               "   ...> 2]\n"
                               "[1, 2]\n"
                               "```\n"
                               "Then:\n"
                               "```repl\n"
                               "onshore> 2 + 2\n"
                               "5\n" /* line 14: wrong */
                               "onshore> 3 * 3\n"
                               "9\n"
                               "```\n";
    Doc d;
    doc_parse(&d, "lesson.md", text);
    ck_assert_int_eq((int)d.nblocks, 2);
    Replay r;
    replay(&d, dir, &r);
    ck_assert_msg(r.differences == 1 && r.blocks == 2 && r.lines == 5, "%d differences, %zu blocks, %zu lines:\n%s",
                  r.differences, r.blocks, r.lines, r.report.buf);
    ck_assert_msg(strstr(r.report.buf, "lesson.md:14: the transcript and onshore differ\n"
                                       "  transcript: 5\n"
                                       "  onshore:    4\n"),
                  "the report:\n%s", r.report.buf);
    out_free(&r.report);
    doc_free(&d);

    doc_parse(&d, "lesson.md", "```repl\nonshore> 1\n1\n```\n");
    replay(&d, dir, &r);
    ck_assert_msg(r.differences == 1 && strstr(r.report.buf, "lesson.md:2: this block continues no session"),
                  "the report:\n%s", r.report.buf);
    out_free(&r.report);
    doc_free(&d);
}
END_TEST

Suite *make_tutorial_suite(void)
{
    Suite *s = suite_create("tutorial");
    TCase *tc = tcase_create("replay");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, the_tutorial_replays);
    tcase_add_test(tc, the_answers_replay);
    tcase_add_test(tc, the_readme_replays);
    tcase_add_test(tc, a_wrong_transcript_fails);
    suite_add_tcase(s, tc);
    return s;
}
