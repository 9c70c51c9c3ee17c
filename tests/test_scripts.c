/* Script tests: every .ons file in tests/scripts runs through the real binary and
 * what a user would see is compared with the expectations in its comments:
 *
 *   print(1 kt + 1 t)     # expect: 1.001 kt        one line of stdout, in order
 *   # expect error: x.ons:3:5: error: ...           a line stderr must contain, in order
 *   # expect exit: 2                                 the exit status (default 0, or 1 with errors)
 *   # expect only these errors                       stderr is exactly the expected lines
 *   # args: --seed 7                                 extra command-line arguments
 *   # stdin: text                                    a line of standard input
 *
 * A test runs with tests/scripts as its working directory, so diagnostics
 * name the file without a path. */
#include "tests.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct Lines {
    char **items;
    int n, cap;
} Lines;

static void lines_add(Lines *l, const char *s, size_t n)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = realloc(l->items, (size_t)l->cap * sizeof(char *));
    }
    char *c = malloc(n + 1);
    memcpy(c, s, n);
    c[n] = '\0';
    while (n > 0 && (c[n - 1] == ' ' || c[n - 1] == '\r')) c[--n] = '\0';
    l->items[l->n++] = c;
}

static void lines_free(Lines *l)
{
    for (int i = 0; i < l->n; i++) free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static void split_lines(const char *text, Lines *out)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        lines_add(out, p, n);
        p += n + (nl ? 1 : 0);
    }
}

static char *join(const Lines *l)
{
    size_t n = 1;
    for (int i = 0; i < l->n; i++) n += strlen(l->items[i]) + 1;
    char *s = malloc(n), *p = s;
    for (int i = 0; i < l->n; i++) p += sprintf(p, "%s\n", l->items[i]);
    *p = '\0';
    return s;
}

/* ---- the list of scripts ---- */

static char **scripts;
static int nscripts;

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void find_scripts(void)
{
    DIR *d = opendir(tu_path("tests/scripts"));
    if (!d) return;
    struct dirent *e;
    int cap = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".ons") != 0) continue;
        if (nscripts == cap) {
            cap = cap ? cap * 2 : 64;
            scripts = realloc(scripts, (size_t)cap * sizeof(char *));
        }
        scripts[nscripts++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(scripts, (size_t)nscripts, sizeof(char *), by_name);
}

static const char *after(const char *line, const char *marker)
{
    const char *p = strstr(line, marker);
    return p ? p + strlen(marker) : NULL;
}

START_TEST(script)
{
    const char *name = scripts[_i];
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", tu_path("tests/scripts"), name);
    char *text = tu_read_file(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    Lines src = {0}, want_out = {0}, want_err = {0}, stdin_lines = {0};
    split_lines(text, &src);
    int want_exit = -1;
    bool errors_exact = false;
    const char *args[32];
    int nargs = 0;
    char *argbuf = NULL;
    for (int i = 0; i < src.n; i++) {
        const char *l = src.items[i], *v;
        if ((v = after(l, "# expect error: "))) lines_add(&want_err, v, strlen(v));
        else if ((v = after(l, "# expect exit: "))) want_exit = atoi(v);
        else if (strstr(l, "# expect only these errors")) errors_exact = true;
        else if ((v = after(l, "# expect: "))) lines_add(&want_out, v, strlen(v));
        else if ((v = after(l, "# expect:"))) lines_add(&want_out, v, strlen(v)); /* an empty line */
        else if ((v = after(l, "# stdin: "))) lines_add(&stdin_lines, v, strlen(v));
        else if ((v = after(l, "# args: ")) && !argbuf) {
            argbuf = strdup(v);
            for (char *tok = strtok(argbuf, " "); tok && nargs < 28; tok = strtok(NULL, " ")) args[nargs++] = tok;
        }
    }
    if (want_exit < 0) want_exit = want_err.n ? 1 : 0;
    bool uses_stdin = false;
    for (int i = 0; i < nargs; i++) uses_stdin |= strcmp(args[i], "-") == 0;
    if (!uses_stdin) args[nargs++] = name;
    args[nargs] = NULL;

    char cwd[4096];
    ck_assert(getcwd(cwd, sizeof cwd) != NULL);
    ck_assert_int_eq(chdir(tu_path("tests/scripts")), 0);
    char *input = stdin_lines.n ? join(&stdin_lines) : NULL;
    TuResult r;
    tu_run(args, input, NULL, &r);
    ck_assert_int_eq(chdir(cwd), 0);

    char *want = join(&want_out);
    /* CRLF (CSV reports) compares as a line end; tests/test_reports.c checks the CRs */
    char *o = r.out;
    for (char *i = r.out; *i; i++)
        if (!(i[0] == '\r' && i[1] == '\n')) *o++ = *i;
    *o = '\0';
    if (strcmp(r.out, want) != 0) {
        /* the first line that differs, and the output around it (Check limits message size) */
        const char *a = want, *b = r.out;
        int line = 1;
        while (*a && *a == *b) {
            if (*a == '\n') line++;
            a++, b++;
        }
        while (a > want && a[-1] != '\n') a--, b--;
        ck_abort_msg("%s: stdout differs at line %d\n--- expected\n%.600s\n--- got\n%.600s\n--- stderr\n%.1000s", name,
                     line, a, b, r.err);
    }
    Lines got_err = {0};
    split_lines(r.err, &got_err);
    int at = 0;
    for (int i = 0; i < want_err.n; i++) {
        while (at < got_err.n && strcmp(got_err.items[at], want_err.items[i]) != 0) at++;
        ck_assert_msg(at < got_err.n, "%s: stderr lacks the line\n  %s\n--- stderr was\n%s", name, want_err.items[i],
                      r.err);
        at++;
    }
    if (want_err.n == 0)
        ck_assert_msg(r.err[0] == '\0', "%s: unexpected stderr:\n%s", name, r.err);
    if (errors_exact)
        ck_assert_msg(got_err.n == want_err.n, "%s: stderr has %d lines, expected only the %d pinned:\n%s", name,
                      got_err.n, want_err.n, r.err);
    ck_assert_msg(r.status == want_exit, "%s: exit status %d, expected %d\n--- stderr\n%s", name, r.status,
                  want_exit, r.err);
    free(want);
    free(input);
    free(argbuf);
    free(text);
    tu_result_free(&r);
    lines_free(&src);
    lines_free(&want_out);
    lines_free(&want_err);
    lines_free(&stdin_lines);
    lines_free(&got_err);
}
END_TEST

Suite *make_scripts_suite(void)
{
    find_scripts();
    Suite *s = suite_create("scripts");
    TCase *tc = tcase_create("golden");
    tcase_set_timeout(tc, 30);
    if (nscripts > 0) tcase_add_loop_test(tc, script, 0, nscripts);
    suite_add_tcase(s, tc);
    return s;
}
