/* The REPL.  Most cases drive the real binary through a pseudo-terminal
 * (tests/pty.h), typing keys and reading the screen as a person would:
 * completion, continuation lines, Ctrl-C, errors, history across sessions,
 * :save then :load, non-ASCII text, the commands.  A few check the parts
 * in-process: completion candidates, values written back exactly, the
 * help topics against docs/repl.md. */
#include "pty.h"
#include "tests.h"
#include "common.h"
#include "diag.h"

#include "frontend.h"
#include "repl_internal.h"
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char model_text[] =
    "stages refining, cell\n"
    "region US \"United States\"\n"
    "region CN\n"
    "material lih  { unit: t,   stage: refining, price: 10 k$/t }\n"
    "material cell { unit: GWh, stage: cell, price: 100 $/kWh, needs: {lih: 0.7 kt/GWh} }\n"
    "facility thacker_pass \"Thacker Pass\" {\n"
    "    region: US, makes: lih\n"
    "    capacity: step {2028: 40 kt/yr, 2031: 80 kt/yr}\n"
    "    utilization: 85%\n"
    "    source: \"illustrative\"\n"
    "}\n"
    "facility us_cells { region: US, makes: cell, capacity: 40 GWh/yr }\n"
    "facility cn_cells { region: CN, makes: cell, capacity: 500 GWh/yr, cost: 80 $/kWh }\n"
    "facility cn_lih   { region: CN, makes: lih,  capacity: 1 Mt/yr, cost: 9 k$/t }\n"
    "lane CN -> US { cost: 4%, days: 40 }\n"
    "demand US cell: 100 GWh\n"
    "demand CN cell: 300 GWh\n"
    "scenario s { years: 2030..2031 }\n";

#define PROMPT "onshore> "
#define MORE "   ...> "

/* A fresh folder per test (each runs in its own process) for the model,
 * the history file and saved sessions. */
static char dir[512];

static const char *in_dir(const char *name)
{
    static char buf[4][700];
    static int slot;
    slot = (slot + 1) % 4;
    snprintf(buf[slot], sizeof buf[slot], "%s/%s", dir, name);
    return buf[slot];
}

static void setup(void)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(dir, sizeof dir, "%s/onshore-repl-XXXXXX", tmp);
    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
    FILE *f = fopen(in_dir("model.ons"), "w");
    ck_assert(f != NULL);
    fputs(model_text, f);
    fclose(f);
}

static void teardown(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

/* Starts onshore with HOME and the history in the test's folder. */
static void start(Pty *p, const char *const *args, const char *extra_env)
{
    char home[600], hist[700];
    snprintf(home, sizeof home, "HOME=%s", dir);
    snprintf(hist, sizeof hist, "ONSHORE_HISTORY=%s", in_dir("history"));
    /* no pager, but where a test gives one (extra_env) */
    const char *env[] = {home, hist, "ONSHORE_PAGER=", extra_env, NULL};
    pty_start(p, args, env);
}

static void start_with_model(Pty *p)
{
    const char *args[] = {"-i", in_dir("model.ons"), NULL};
    start(p, args, NULL);
}

/* Waits for a prompt, then until libedit reads the keys typed next. */
#define READY(p, prompt)                                                                                  \
    do {                                                                                                  \
        EXPECT((p), (prompt));                                                                            \
        ck_assert_msg(pty_wait_editing((p), pty_ms(8000)), "no line editing after the prompt:\n%s",        \
                      pty_tail((p), 2000));                                                               \
    } while (0)

#define EXPECT(p, want)                                                                                   \
    ck_assert_msg(pty_expect((p), (want), pty_ms(8000)), "waited for \"%s\"; the terminal shows:\n%s", (want), \
                  pty_tail((p), 2000))

/* Types a line and waits for the next prompt after the given output. */
static void type_line(Pty *p, const char *line, const char *want)
{
    pty_send(p, line);
    pty_send(p, "\n");
    if (want) EXPECT(p, want);
    READY(p, PROMPT);
}

/* The text between the first `from` after the mark and the next prompt. */
static char *capture(Pty *p, const char *from)
{
    EXPECT(p, from);
    size_t start = p->mark - strlen(from);
    EXPECT(p, PROMPT);
    size_t end = p->mark - strlen(PROMPT);
    ck_assert(pty_wait_editing(p, pty_ms(8000)));
    char *s = malloc(end - start + 1);
    memcpy(s, p->text + start, end - start);
    s[end - start] = '\0';
    return s;
}

static void quit(Pty *p)
{
    pty_send(p, ":quit\n");
    int st = pty_finish(p, pty_ms(10000));
    ck_assert_msg(st == 0, "onshore exited with %d; the terminal shows:\n%s", st, pty_tail(p, 2000));
}

/* Ctrl-D on an empty line. */
static void leave(Pty *p)
{
    pty_send(p, "\x04");
    int st = pty_finish(p, pty_ms(10000));
    ck_assert_msg(st == 0, "Ctrl-D: onshore exited with %d; the terminal shows:\n%s", st, pty_tail(p, 2000));
}

/* ---- through a terminal ---- */

START_TEST(completes_a_facility_name)
{
    Pty p;
    start_with_model(&p);
    READY(&p, PROMPT);
    pty_send(&p, "thack\t");
    EXPECT(&p, "thacker_pass");
    pty_send(&p, ".capa\t");
    EXPECT(&p, "capacity");
    type_line(&p, " at 2031", "80 kt/yr");
    pty_send(&p, "cn_\t"); /* two candidates: listed */
    EXPECT(&p, "cn_cells  cn_lih");
    pty_send(&p, "\x15"); /* Ctrl-U: drop the line */
    pty_send(&p, ":rel\t");
    EXPECT(&p, ":reload ");
    pty_send(&p, "\x15");
    char line[800];
    snprintf(line, sizeof line, ":load %s/mod\t", dir);
    pty_send(&p, line);
    EXPECT(&p, "model.ons");
    pty_send(&p, "\x15");
    quit(&p);
    pty_free(&p);
}
END_TEST

START_TEST(continues_an_unfinished_entry)
{
    Pty p;
    start_with_model(&p);
    READY(&p, PROMPT);
    pty_send(&p, "facility f2 {\n");
    READY(&p, MORE);
    pty_send(&p, "region: US, makes: lih,\n");
    READY(&p, MORE);
    pty_send(&p, "capacity: 5 kt/yr }\n");
    EXPECT(&p, "facility f2: US, makes lih");
    READY(&p, PROMPT);
    type_line(&p, "facility f2 { region: CN, makes: lih, capacity: 6 kt/yr }",
              "facility f2: CN, makes lih (replaces the earlier facility)");
    type_line(&p, "f2.capacity", "6 kt/yr");
    quit(&p);
    pty_free(&p);
}
END_TEST

/* Spec 11: Ctrl-C stops a sweep, on every core, and returns to the prompt
 * with the session intact; the next sweep runs whole. */
START_TEST(ctrl_c_stops_a_sweep)
{
    Pty p;
    const char *args[] = {"--jobs", "2", "-i", in_dir("model.ons"), NULL};
    start(&p, args, NULL);
    READY(&p, PROMPT);
    pty_send(&p, "let w = sweep s { runs: 10000000, record: [localization(US, stage cell)] }\n");
    EXPECT(&p, "record: [localization(US, stage cell)] }");
    pty_drain(&p, 300);
    /* one Ctrl-C (a second would leave the REPL), and time for a slow
     * machine (valgrind) to finish the samples under way */
    pty_send(&p, "\x03");
    bool stopped = pty_expect(&p, "interrupted", pty_ms(30000));
    ck_assert_msg(stopped, "Ctrl-C did not stop the sweep:\n%s", pty_tail(&p, 2000));
    READY(&p, PROMPT);
    type_line(&p, "len(localization(sweep s { runs: 6, record: [localization(US, stage cell)] }, US, stage cell, 2030))",
              "6");
    quit(&p);
    pty_free(&p);
}
END_TEST

START_TEST(ctrl_c_interrupts_a_loop)
{
    Pty p;
    start_with_model(&p);
    READY(&p, PROMPT);
    type_line(&p, "n = 0", NULL);
    pty_send(&p, "while true { n = n + 1 }\n");
    EXPECT(&p, "while true { n = n + 1 }");
    pty_drain(&p, 300); /* let the loop start */
    bool stopped = false;
    for (int i = 0; i < 5 && !stopped; i++) { /* a Ctrl-C typed before the loop starts is not lost, but be patient */
        pty_send(&p, "\x03");
        stopped = pty_expect(&p, "interrupted", pty_ms(2000));
    }
    ck_assert_msg(stopped, "Ctrl-C did not stop the loop:\n%s", pty_tail(&p, 2000));
    READY(&p, PROMPT);
    type_line(&p, "1 kt + 1 t", "1.001 kt");
    type_line(&p, "n > 0", "true"); /* the session is intact */
    pty_send(&p, "abc def"); /* at the prompt: Ctrl-C drops the line (sent until seen, as below) */
    bool dropped = false;
    for (int i = 0; i < 5 && !dropped; i++) {
        pty_send(&p, "\x03");
        dropped = pty_expect(&p, PROMPT, pty_ms(2000));
    }
    ck_assert_msg(dropped, "Ctrl-C at the prompt did not drop the line:\n%s", pty_tail(&p, 2000));
    ck_assert(pty_wait_editing(&p, pty_ms(8000)));
    type_line(&p, "2 + 3", "5");
    pty_send(&p, "[1,\n");
    READY(&p, MORE);
    /* at a continuation prompt: the whole entry goes.  Under valgrind a
     * Ctrl-C can come before libedit reads again: send it until it is seen
     * (one more at an empty prompt changes nothing) */
    bool back = false;
    for (int i = 0; i < 5 && !back; i++) {
        pty_send(&p, "\x03");
        back = pty_expect(&p, PROMPT, pty_ms(2000));
    }
    ck_assert_msg(back, "Ctrl-C at a continuation prompt did not end the entry:\n%s", pty_tail(&p, 2000));
    ck_assert(pty_wait_editing(&p, pty_ms(8000)));
    type_line(&p, "7 * 6", "42");
    pty_send(&p, "{US: 1,\n");
    READY(&p, MORE);
    pty_send(&p, "\x04"); /* Ctrl-D there ends the entry and says why it was unfinished */
    EXPECT(&p, "is not closed");
    READY(&p, PROMPT);
    type_line(&p, "n >= 0", "true");
    quit(&p);
    pty_free(&p);
}
END_TEST

START_TEST(an_error_keeps_the_session)
{
    Pty p;
    start_with_model(&p);
    READY(&p, PROMPT);
    type_line(&p, "y = 2 t", NULL);
    type_line(&p, "1 kt + 2 GWh", "cannot add kt (mass) and GWh (energy)");
    type_line(&p, "y * 3", "6 t");
    type_line(&p, "[1, 2][7]", "error");
    type_line(&p, "facility broken { region: Nowhere, makes: lih, capacity: 1 kt/yr }", "error");
    type_line(&p, ":show broken", "nothing is called 'broken'");
    type_line(&p, "y + 1 t", "3 t");
    quit(&p);
    pty_free(&p);
}
END_TEST

/* Whether raw bytes hold a string (memmem is not POSIX). */
static bool raw_has(const Pty *p, const char *want)
{
    size_t n = strlen(want);
    for (size_t i = 0; i + n <= p->raw_len; i++)
        if (memcmp(p->raw + i, want, n) == 0) return true;
    return false;
}

/* Diagnostics in colour on a terminal (GCC's: bold place, red severity,
 * green caret), never with NO_COLOR (issue 18) */
START_TEST(errors_in_colour_on_a_terminal)
{
    Pty p;
    start_with_model(&p);
    READY(&p, PROMPT);
    type_line(&p, "1 kt + 2 GWh", "cannot add kt (mass) and GWh (energy)");
    static const char red[] = "\033[1;31merror:\033[0m cannot add";
    ck_assert_msg(raw_has(&p, red), "no colour in what the terminal got");
    quit(&p);
    pty_free(&p);
    const char *args[] = {"-i", in_dir("model.ons"), NULL};
    start(&p, args, "NO_COLOR=1");
    READY(&p, PROMPT);
    type_line(&p, "1 kt + 2 GWh", "1:8: error: cannot add kt (mass) and GWh (energy)");
    ck_assert_msg(!raw_has(&p, "\033[1;31m"), "colour with NO_COLOR set");
    quit(&p);
    pty_free(&p);
}
END_TEST

/* Output taller than the terminal goes through the pager (psql's habit);
 * :set pager off prints it straight; :set wide off prints a table wider
 * than the terminal as records (issue 18) */
START_TEST(pager_and_wide)
{
    Pty p;
    const char *args[] = {"-i", in_dir("model.ons"), NULL};
    char home[600], hist[700];
    snprintf(home, sizeof home, "HOME=%s", dir);
    snprintf(hist, sizeof hist, "ONSHORE_HISTORY=%s", in_dir("history"));
    const char *env[] = {home, hist, "ONSHORE_PAGER=sed s/^/paged:/", "COLUMNS=60", "LINES=40", NULL};
    pty_start(&p, args, env);
    READY(&p, PROMPT);
    type_line(&p, "for i in 1..60 { print(i) }", "paged:60");
    type_line(&p, ":set pager off", "pager is off");
    type_line(&p, "for i in 1..60 { print(i * 2) }", "120");
    ck_assert_msg(!raw_has(&p, "paged:120"), "the pager ran with :set pager off");
    type_line(&p, "print(7)", "7");
    type_line(&p, ":set wide off", "wide is off");
    type_line(&p, "report gap for US in 2030", "-[ 1 ]");
    type_line(&p, ":set", "wide off");
    type_line(&p, ":set colour on", ":set takes pager, wide or timing, then on or off");
    quit(&p);
    pty_free(&p);
}
END_TEST

START_TEST(history_survives_sessions)
{
    Pty p;
    start(&p, NULL, NULL);
    READY(&p, PROMPT);
    pty_send(&p, "fn h(a) {\n");
    READY(&p, MORE);
    pty_send(&p, "return a + 1\n");
    READY(&p, MORE);
    pty_send(&p, "}\n");
    READY(&p, PROMPT);
    leave(&p); /* Ctrl-D on an empty line */
    pty_free(&p);

    size_t len;
    char *hist = tu_read_file(in_dir("history"), &len);
    ck_assert_msg(hist != NULL, "no history file");
    ck_assert_msg(strncmp(hist, "_HiStOrY_V2_\n", 13) == 0, "not libedit's format:\n%s", hist);
    ck_assert_msg(strstr(hist, "fn\\040h(a)\\040{\\012return\\040a\\040+\\0401\\012}\n") != NULL,
                  "the entry is not one line:\n%s", hist);
    free(hist);

    start(&p, NULL, NULL);
    READY(&p, PROMPT);
    pty_send(&p, "\x1b[A"); /* Up: the whole function again */
    EXPECT(&p, "return a + 1");
    pty_send(&p, "\n");
    READY(&p, PROMPT);
    type_line(&p, "h(41)", "42");
    quit(&p);
    pty_free(&p);
}
END_TEST

START_TEST(non_ascii_text_round_trips)
{
    Pty p;
    start(&p, NULL, NULL); /* with no locale set: onshore falls back to C.UTF-8 */
    READY(&p, PROMPT);
    type_line(&p, "s = \"café ü – 東京\"", NULL);
    type_line(&p, "s + \"!\"", "\"café ü – 東京!\"");
    leave(&p);
    pty_free(&p);
    char *hist = tu_read_file(in_dir("history"), NULL);
    ck_assert_msg(hist && strstr(hist, "café") && strstr(hist, "東京"), "history lost the text:\n%s", hist);
    free(hist);

    start(&p, NULL, NULL);
    READY(&p, PROMPT);
    pty_send(&p, "\x1b[A\x1b[A\n"); /* the assignment, from the history */
    READY(&p, PROMPT);
    type_line(&p, "s", "\"café ü – 東京\"");
    quit(&p);
    pty_free(&p);
}
END_TEST

START_TEST(save_then_load_reproduces_a_report)
{
    Pty p;
    start_with_model(&p);
    READY(&p, PROMPT);
    type_line(&p, "third = 1 / 3", NULL);
    type_line(&p, "tenths = 0.1 + 0.2", NULL);
    type_line(&p, "fn twice(v) = v * 2", NULL);
    type_line(&p, "facility extra { region: US, makes: cell, capacity: twice(10 GWh/yr) * third }",
              "facility extra: US, makes cell");
    type_line(&p, "r = run s", NULL);
    pty_send(&p, "report gap for US in 2031\n");
    char *first = capture(&p, "scenario s ·");
    char line[800];
    snprintf(line, sizeof line, ":save %s", in_dir("saved.ons"));
    type_line(&p, line, "saved 15 declarations, 3 variables and 1 function");
    quit(&p);
    pty_free(&p);

    start(&p, NULL, NULL);
    READY(&p, PROMPT);
    snprintf(line, sizeof line, ":load %s", in_dir("saved.ons"));
    type_line(&p, line, "loaded");
    pty_send(&p, "report gap for US in 2031\n");
    char *second = capture(&p, "scenario s ·");
    ck_assert_msg(strcmp(first, second) == 0, "the reports differ:\n--- first\n%s--- after :load\n%s", first, second);
    quit(&p);
    pty_free(&p);
    free(first);
    free(second);
}
END_TEST

/* Issue 13: runs are never stale.  In one entry, a loop changes a global
 * a property reads and runs each time; across entries, runs made before
 * and after an edit keep their own numbers, and :save writes a script that
 * makes both again, with the same model hashes. */
START_TEST(runs_follow_the_globals_they_read)
{
    Pty p;
    start_with_model(&p);
    READY(&p, PROMPT);
    type_line(&p, "CAP = 10 GWh/yr", NULL);
    type_line(&p, "facility extra { region: US, makes: cell, capacity: CAP }", "facility extra: US, makes cell");
    pty_send(&p, "for c in [10, 30] { CAP = c * 1 GWh/yr; print(local(run s, US, cell, 2030)) }\n");
    EXPECT(&p, "\n50 GWh");
    EXPECT(&p, "\n70 GWh");
    READY(&p, PROMPT);
    type_line(&p, "CAP = 10 GWh/yr", NULL);
    type_line(&p, "a = run s", NULL);
    pty_send(&p, "report gap for US in 2030\n");
    char *report_a = capture(&p, "scenario s ·");
    type_line(&p, "CAP = 20 GWh/yr", NULL);
    type_line(&p, "b = run s", NULL);
    type_line(&p, "print(local(a, US, cell, 2030), local(b, US, cell, 2030))", "50 GWh 60 GWh");
    pty_send(&p, "report gap for US in 2030\n");
    char *report_b = capture(&p, "scenario s ·");
    ck_assert_msg(strcmp(report_a, report_b) != 0, "the two runs report alike:\n%s", report_a);
    char line[800];
    snprintf(line, sizeof line, ":save %s", in_dir("saved.ons"));
    type_line(&p, line, "saved ");
    quit(&p);
    pty_free(&p);

    const char *args[] = {"-i", in_dir("saved.ons"), NULL};
    start(&p, args, NULL);
    READY(&p, PROMPT);
    type_line(&p, "print(local(a, US, cell, 2030), local(b, US, cell, 2030), CAP)", "50 GWh 60 GWh 20 GWh/yr");
    pty_send(&p, "report gap for US in 2030\n");
    char *again_b = capture(&p, "scenario s ·");
    ck_assert_msg(strcmp(report_b, again_b) == 0, "the reports differ:\n--- before\n%s--- after :save\n%s", report_b,
                  again_b);
    type_line(&p, "CAP = 10 GWh/yr", NULL);
    pty_send(&p, "report gap for US in 2030\n");
    char *again_a = capture(&p, "scenario s ·");
    ck_assert_msg(strcmp(report_a, again_a) == 0, "the reports differ:\n--- before\n%s--- after :save\n%s", report_a,
                  again_a);
    quit(&p);
    pty_free(&p);
    free(report_a);
    free(report_b);
    free(again_a);
    free(again_b);
}
END_TEST

/* The section of docs/repl.md whose heading starts with heading, as :help prints it. */
static char *doc_section(const char *heading)
{
    char *doc = tu_read_file(tu_path("docs/repl.md"), NULL);
    ck_assert_msg(doc != NULL, "cannot read docs/repl.md");
    char key[64];
    snprintf(key, sizeof key, "\n## %s", heading);
    char *start = strstr(doc, key);
    ck_assert_msg(start != NULL, "docs/repl.md has no section %s", heading);
    start += 4;
    char *end = strstr(start, "\n## ");
    if (!end) end = start + strlen(start);
    while (end > start && end[-1] == '\n') end--;
    char *s = strndup(start, (size_t)(end - start) + 1);
    s[end - start] = '\n';
    free(doc);
    return s;
}

START_TEST(commands)
{
    Pty p;
    start_with_model(&p);
    READY(&p, PROMPT);
    type_line(&p, ":help", "Topics:");
    char *load = doc_section(":load");
    type_line(&p, ":help load", load); /* the help is docs/repl.md, so they cannot drift */
    free(load);
    char *units = doc_section("Units");
    type_line(&p, ":help units", units);
    free(units);
    type_line(&p, ":help nope", "no help on 'nope'");

    pty_send(&p, ":show thacker_pass 2030\n");
    EXPECT(&p, "facility thacker_pass \"Thacker Pass\", declared at ");
    EXPECT(&p, "capacity     40 kt/yr  step {2028: 40 kt/yr, 2031: 80 kt/yr}");
    EXPECT(&p, "utilization  85%");
    EXPECT(&p, "cost         10 k$/t   default");
    EXPECT(&p, "source       illustrative");
    READY(&p, PROMPT);
    type_line(&p, ":show CN -> US", "days    40");
    type_line(&p, ":show stage cell", "materials  cell");

    type_line(&p, ":type 1.6 TWh / 2 yr", "800 GWh/yr : energy/time, in kWh/yr");
    type_line(&p, ":type 25%", "25% : dimensionless (a share)");
    type_line(&p, ":type x = 1", "takes one expression");

    pty_send(&p, ":list facilities\n");
    EXPECT(&p, "thacker_pass  US, makes lih ");
    EXPECT(&p, "\"Thacker Pass\"");
    EXPECT(&p, "cn_lih        CN, makes lih");
    READY(&p, PROMPT);
    type_line(&p, ":list", "facilities (4): thacker_pass, us_cells, cn_cells, cn_lih");

    type_line(&p, "fn sq(x) = x * x", NULL);
    type_line(&p, ":dis sq", "MUL");

    type_line(&p, ":shwo thacker_pass", "unknown command ':shwo'; did you mean ':show'?");
    type_line(&p, ":re", "':re' could be :reload or :reset");
    type_line(&p, ":reset", "a fresh session");
    type_line(&p, ":list", "nothing declared yet");
    quit(&p);
    pty_free(&p);
}
END_TEST

START_TEST(reload_keeps_the_session_when_a_file_breaks)
{
    Pty p;
    start_with_model(&p);
    READY(&p, PROMPT);
    type_line(&p, ":reload", "reloaded");
    FILE *f = fopen(in_dir("model.ons"), "a");
    fputs("facility oops { region: US, makes: nothing, capacity: 1 kt/yr }\n", f);
    fclose(f);
    type_line(&p, ":reload", "reload failed: the session is as it was");
    type_line(&p, "thacker_pass.region", "US");
    quit(&p);
    pty_free(&p);
}
END_TEST

/* :reload runs again the runs typed at the prompt, on the reloaded files
 * (issue 18); what else was typed is gone, as the docs say */
START_TEST(reload_runs_again)
{
    Pty p;
    start_with_model(&p);
    READY(&p, PROMPT);
    type_line(&p, "r = run s", NULL);
    type_line(&p, "local(r, US, cell, 2030)", "40 GWh");
    /* the US cell plant grows to 60 GWh/yr in the file */
    char *text = tu_read_file(in_dir("model.ons"), NULL);
    char *at = strstr(text, "capacity: 40 GWh/yr");
    ck_assert(at != NULL);
    at[10] = '6';
    FILE *f = fopen(in_dir("model.ons"), "w");
    fputs(text, f);
    fclose(f);
    free(text);
    type_line(&p, "x = 7", NULL);
    type_line(&p, ":reload", "r = run s, again");
    type_line(&p, "local(r, US, cell, 2030)", "60 GWh");
    type_line(&p, "x", "name 'x' is not declared");
    quit(&p);
    pty_free(&p);
}
END_TEST

/* ---- off a terminal ---- */

START_TEST(piped_input_is_a_script)
{
    const char *none[] = {NULL};
    TuResult r;
    tu_run(none, "print(1 kt + 1 t)\n", NULL, &r);
    ck_assert_str_eq(r.out, "1.001 kt\n");
    ck_assert_int_eq(r.status, 0);
    tu_result_free(&r);
    /* with -i the REPL reads the pipe line by line: commands work, no prompts */
    const char *args[] = {"-i", in_dir("model.ons"), NULL};
    tu_run(args, ":type thacker_pass\n2 * 21\n", NULL, &r);
    ck_assert_str_eq(r.out, "thacker_pass : facility\n42\n");
    ck_assert_int_eq(r.status, 0);
    tu_result_free(&r);
    tu_run(args, "1 kt + 1 GWh\n:nope\n3\n", NULL, &r); /* errors go on, and the status says so */
    ck_assert_str_eq(r.out, "3\n");
    ck_assert_msg(strstr(r.err, "cannot add kt (mass) and GWh (energy)") && strstr(r.err, "unknown command ':nope'"),
                  "stderr:\n%s", r.err);
    ck_assert_int_eq(r.status, 1);
    tu_result_free(&r);
}
END_TEST

/* `_` is the last echoed value; :timing prints each entry's time; a
 * report written to a file says so (issue 18: the REPL) */
START_TEST(last_value_timing_and_written_files)
{
    const char *args[] = {"-i", in_dir("model.ons"), NULL};
    TuResult r;
    char script[1024];
    snprintf(script, sizeof script,
             "1 kt + 1 t\n_ * 2\nlet x = _\n:timing on\nx\n:timing off\n:timing maybe\n"
             "run s\nreport gap for US to \"%s\"\n",
             in_dir("gap.csv"));
    tu_run(args, script, NULL, &r);
    ck_assert_msg(strncmp(r.out, "1.001 kt\n2.002 kt\ntiming is on\n2.002 kt\ntime: ", 45) == 0, "stdout:\n%s", r.out);
    ck_assert_msg(strstr(r.out, " ms\ntiming is off\n") != NULL, "stdout:\n%s", r.out);
    char wrote[700];
    snprintf(wrote, sizeof wrote, "wrote %s (", in_dir("gap.csv"));
    ck_assert_msg(strstr(r.out, wrote) != NULL, "no 'wrote' line in:\n%s", r.out);
    snprintf(wrote, sizeof wrote, " lines), its header line and notes in %s.meta.json\n", in_dir("gap.csv"));
    ck_assert_msg(strstr(r.out, wrote) != NULL, "the 'wrote' line names no sidecar:\n%s", r.out);
    ck_assert_msg(strstr(r.err, ":timing takes on or off, not 'maybe'") != NULL, "stderr:\n%s", r.err);
    ck_assert_int_eq(r.status, 1);
    tu_result_free(&r);
    /* a script says nothing of the files it writes */
    snprintf(script, sizeof script, "report gap for US to \"%s\"", in_dir("gap2.csv"));
    char model[600];
    snprintf(model, sizeof model, "%s", in_dir("model.ons"));
    const char *file_args[] = {model, "-e", "run s", "-e", script, NULL};
    tu_run(file_args, NULL, NULL, &r);
    ck_assert_msg(r.status == 0 && strcmp(r.out, "") == 0, "status %d, stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
    tu_result_free(&r);
}
END_TEST

/* ---- in-process ---- */

/* A session with the model declared, as the REPL would hold it. */
static void repl_with_model(OnsRepl *r, OnsOut *out)
{
    memset(r, 0, sizeof *r);
    out_init_buffer(out);
    r->vm = session_vm_new(out, out);
    OnsSource *src = source_new("model.ons", model_text, strlen(model_text));
    ck_assert_int_eq(session_load(r->vm, src, NULL), ONS_OK);
}

static void completes(OnsRepl *r, const char *line, const char *want)
{
    OnsCompletions c;
    repl_complete(r, line, strlen(line), &c);
    OnsOut got;
    out_init_buffer(&got);
    for (size_t i = 0; i < c.n; i++) out_printf(&got, "%s%s", i ? " " : "", c.items[i]);
    ck_assert_msg(strcmp(got.buf ? got.buf : "", want) == 0, "completing '%s': got '%s', want '%s'", line,
                  got.buf ? got.buf : "", want);
    out_free(&got);
    repl_completions_free(&c);
}

START_TEST(completion_candidates)
{
    OnsRepl r;
    OnsOut out;
    repl_with_model(&r, &out);
    completes(&r, "thack", "thacker_pass");
    completes(&r, "report co", "compare  compliance ");   /* report kinds (issue 18) */
    completes(&r, "report gap for US as j", "json");      /* formats after `as` */
    completes(&r, "x = 40 k", "k$ kWh kg km kt");         /* units after a number */
    completes(&r, "x = 1.5 G", "GWh");
    completes(&r, "x = cn_", "cn_cells cn_lih");
    completes(&r, "thacker_pass.ca", "capacity");
    completes(&r, "thacker_pass.", "capacity cost feeds makes name needs note qualify recycled region source title utilization");
    completes(&r, "lih.pr", "price");
    completes(&r, "materials(stage: stage re", "refining");
    completes(&r, "material m { unit: t, stage: re", "refining");
    completes(&r, "material m { unit: t, stage: refining, classes: [", "");
    const char *classes = "class critical, component";
    ck_assert_int_eq(session_load(r.vm, source_new("classes.ons", classes, strlen(classes)), NULL), ONS_OK);
    completes(&r, "material m { classes: [crit", "critical");
    completes(&r, "material m { classes: [critical, comp", "component");
    completes(&r, "x = class c", "component critical");
    completes(&r, "scen", "scenario scenarios");
    completes(&r, "scenari", "scenario scenarios");
    completes(&r, "exte", "extends");
    completes(&r, "len", "len");
    completes(&r, ":s", ":save :set :show");
    completes(&r, ":help un", "units");
    completes(&r, ":list fac", "facilities");
    completes(&r, ":show thack", "thacker_pass");
    completes(&r, "3.5 kt + thac", "thacker_pass");
    vm_free(r.vm);
    out_free(&out);
}
END_TEST

/* Evaluates an expression in vm; the result is left on the temporary roots. */
static OnsValue eval(OnsVM *vm, const char *text)
{
    OnsDiags d;
    diags_init(&d);
    OnsCompileOptions o = {.repl = true};
    OnsCompileResult res;
    OnsStatus st = frontend_compile(vm, source_new("<t>", text, strlen(text)), &o, &d, &res);
    ck_assert_msg(st == ONS_OK && res.has_value, "cannot compile '%s'", text);
    diags_free(&d);
    OnsValue v = ons_nil();
    vm_push_root(vm, ons_obj_value(&res.main->obj));
    st = vm_run(vm, res.main, &v);
    ck_assert_msg(st == ONS_OK, "cannot run '%s': %s", text, vm->error.msg ? vm->error.msg : "?");
    vm_push_root(vm, v);
    frontend_result_free(&res);
    return v;
}

static bool same_bits(OnsValue a, OnsValue b)
{
    if (a.hdr != b.hdr) return false;
    if (a.type == ONS_T_NUM) return memcmp(&a.as.num, &b.as.num, sizeof a.as.num) == 0;
    return true;
}

START_TEST(values_are_written_back_exactly)
{
    OnsRepl r;
    OnsOut out;
    repl_with_model(&r, &out);
    static const char *const exprs[] = {
        "1 / 3", "1 kt / 3", "60%", "0.1 + 0.2", "(0.1 + 0.2) * 100%", "1.6 TWh / 7", "-2.5 GWh/yr",
        "5% / 1 yr", "1e-300 * 1 t", "123456789.123 $/kWh", "1 t * 1 km / 3 yr", "3 / (7 kWh)",
        "2 kt * 2 kt", "1e300", "0", "-0.07 * 1 M$",
    };
    for (size_t i = 0; i < ONS_ARRAY_LEN(exprs); i++) {
        OnsValue v = eval(r.vm, exprs[i]);
        OnsOut text;
        out_init_buffer(&text);
        ck_assert_msg(repl_write_value(r.vm, &text, v), "'%s' has no text", exprs[i]);
        OnsValue back = eval(r.vm, text.buf);
        ck_assert_msg(same_bits(v, back), "'%s' was written as '%s', which reads back differently", exprs[i], text.buf);
        out_free(&text);
    }
    static const char *const shown[][2] = {
        {"60%", "60%"},
        {"40 kt/yr", "40 kt/yr"},
        {"[1 kt, \"a\\\"b\", US, stage refining, nil, true]", "[1 kt, \"a\\\"b\", US, stage refining, nil, true]"},
        {"{US: 5 kt, \"k\": [1]}", "{US: 5 kt, \"k\": [1]}"},
        {"step {2028: 40 kt/yr, 2031: 80.5 kt/yr}", "step {2028: 40 kt/yr, 2031: 80.5 kt/yr}"},
        {"max", "max"},
        {"run s", "run s"},
    };
    for (size_t i = 0; i < ONS_ARRAY_LEN(shown); i++) {
        OnsValue v = eval(r.vm, shown[i][0]);
        OnsOut text;
        out_init_buffer(&text);
        ck_assert_msg(repl_write_value(r.vm, &text, v), "'%s' has no text", shown[i][0]);
        ck_assert_str_eq(text.buf, shown[i][1]);
        out_free(&text);
    }
    vm_free(r.vm);
    out_free(&out);
}
END_TEST

START_TEST(help_topics_are_the_docs)
{
    static const char *const topics[][2] = {{"load", ":load"}, {":save", ":save"}, {"units", "Units"},
                                            {"hist", "History"}, {"keys", "Keys"}};
    for (size_t i = 0; i < ONS_ARRAY_LEN(topics); i++) {
        const char *text;
        size_t len;
        ck_assert_msg(repl_help_text(topics[i][0], &text, &len), "no topic %s", topics[i][0]);
        char *want = doc_section(topics[i][1]);
        ck_assert_msg(len == strlen(want) && memcmp(text, want, len) == 0, "topic %s differs from docs/repl.md",
                      topics[i][0]);
        free(want);
    }
    const char *text;
    size_t len;
    ck_assert(!repl_help_text("re", &text, &len)); /* reload or reset */
    const char *cmds[] = {"help", "load", "reload", "list", "show", "type", "dis", "save", "reset", "quit"};
    for (size_t i = 0; i < ONS_ARRAY_LEN(cmds); i++)
        ck_assert_msg(repl_help_text(cmds[i], &text, &len), "docs/repl.md has no section on :%s", cmds[i]);
    const char *more[] = {"timing", "set"};
    for (size_t i = 0; i < ONS_ARRAY_LEN(more); i++)
        ck_assert_msg(repl_help_text(more[i], &text, &len), "docs/repl.md has no section on :%s", more[i]);
    /* the names completion and "did you mean" use are the table's commands */
    size_t nnames = 0;
    while (ons_repl_commands[nnames]) nnames++;
    size_t ncmds = 0;
    while (repl_command_nth(ncmds)) ncmds++;
    ck_assert_uint_eq(nnames, ncmds);
    for (size_t i = 0; i < ncmds; i++) {
        bool listed = false;
        for (size_t k = 0; k < nnames; k++) listed |= strcmp(ons_repl_commands[k], repl_command_nth(i)) == 0;
        ck_assert_msg(listed, "command :%s is not in ons_repl_commands", repl_command_nth(i));
    }
    ck_assert_str_eq(diag_closest("shwo", ons_repl_commands, 10), "show");
    ck_assert_str_eq(diag_closest("relaod", ons_repl_commands, 10), "reload");
    ck_assert_ptr_null(diag_closest("xyzzy", ons_repl_commands, 10));
}
END_TEST

/* :help WORD about the language answers from docs/reference.md: a section a
 * heading names, or the rows and bullets that name the word (issue 18) */
START_TEST(help_about_the_language)
{
    const char *none[] = {"-i", NULL};
    TuResult r;
    tu_run(none, ":help read_csv\n:help plot\n:help tariff\n:help zzzz\n", NULL, &r);
    ck_assert_msg(strstr(r.out, "10. Built-in functions\n| `read_csv(path)` |") != NULL, "read_csv:\n%s", r.out);
    ck_assert_msg(strstr(r.out, "Charts: plot (spec §13)\n") != NULL, "plot:\n%s", r.out);
    ck_assert_msg(strstr(r.out, "7. Policies\ntariff RATE on SEL from A to B") != NULL, "tariff:\n%s", r.out);
    ck_assert_msg(strstr(r.err, "no help on 'zzzz'") != NULL, "zzzz:\n%s", r.err);
    tu_result_free(&r);
}
END_TEST

/* Spec 8: --version prints the version (and the commit when built from
 * git) and exits 0 without running the file. */
START_TEST(version_line)
{
    const char *path = tu_temp_file(0, ".ons", "print(\"not run\")\n");
    const char *args[] = {"--version", path, NULL};
    TuResult r;
    tu_run(args, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strncmp(r.out, "onshore " ONS_VERSION, strlen("onshore " ONS_VERSION)) == 0, "%s", r.out);
    const char *rest = r.out + strlen("onshore " ONS_VERSION);
    ck_assert_msg(strcmp(rest, "\n") == 0 || (strncmp(rest, " (git ", 6) == 0 && strstr(rest, ")\n") != NULL &&
                                              strchr(rest, '\n')[1] == '\0'),
                  "one line: %s", r.out);
    ck_assert(strstr(r.out, "not run") == NULL);
    tu_result_free(&r);
}
END_TEST

Suite *make_repl_suite(void)
{
    Suite *s = suite_create("repl");
    TCase *tc = tcase_create("terminal");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, completes_a_facility_name);
    tcase_add_test(tc, continues_an_unfinished_entry);
    tcase_add_test(tc, ctrl_c_interrupts_a_loop);
    tcase_add_test(tc, ctrl_c_stops_a_sweep);
    tcase_add_test(tc, an_error_keeps_the_session);
    tcase_add_test(tc, errors_in_colour_on_a_terminal);
    tcase_add_test(tc, pager_and_wide);
    tcase_add_test(tc, reload_runs_again);
    tcase_add_test(tc, history_survives_sessions);
    tcase_add_test(tc, non_ascii_text_round_trips);
    tcase_add_test(tc, save_then_load_reproduces_a_report);
    tcase_add_test(tc, runs_follow_the_globals_they_read);
    tcase_add_test(tc, commands);
    tcase_add_test(tc, reload_keeps_the_session_when_a_file_breaks);
    tcase_add_test(tc, piped_input_is_a_script);
    tcase_add_test(tc, last_value_timing_and_written_files);
    tcase_add_test(tc, help_about_the_language);
    suite_add_tcase(s, tc);
    TCase *parts = tcase_create("parts");
    tcase_add_checked_fixture(parts, setup, teardown);
    tcase_add_test(parts, completion_candidates);
    tcase_add_test(parts, values_are_written_back_exactly);
    tcase_add_test(parts, help_topics_are_the_docs);
    tcase_add_test(parts, version_line);
    suite_add_tcase(s, parts);
    return s;
}
