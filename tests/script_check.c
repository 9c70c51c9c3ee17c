/* The per-script check shared by the script suites (see script_check.h). */
#include "script_check.h"
#include "tests.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static const char *after(const char *line, const char *marker)
{
    const char *p = strstr(line, marker);
    return p ? p + strlen(marker) : NULL;
}

/* What the directives ask for. */
typedef struct Expect {
    Lines out, err, stdin_lines;
    int exit;
    bool errors_exact, add_file;
    const char *args[32];
    int nargs;
    char *argbuf;
    char *stdout_path; /* `# stdout: /dev/full`: output goes there, not compared */
} Expect;

static void expect_parse(const char *directives, Expect *e)
{
    memset(e, 0, sizeof *e);
    e->exit = -1;
    e->add_file = true;
    Lines src = {0};
    split_lines(directives, &src);
    for (int i = 0; i < src.n; i++) {
        const char *l = src.items[i], *v;
        if ((v = after(l, "# expect error: "))) lines_add(&e->err, v, strlen(v));
        else if ((v = after(l, "# expect exit: "))) e->exit = atoi(v);
        else if (strstr(l, "# expect only these errors")) e->errors_exact = true;
        else if ((v = after(l, "# expect: "))) lines_add(&e->out, v, strlen(v));
        else if ((v = after(l, "# expect:"))) lines_add(&e->out, v, strlen(v)); /* an empty line */
        else if ((v = after(l, "# stdin: "))) lines_add(&e->stdin_lines, v, strlen(v));
        else if ((v = after(l, "# stdout: ")) && !e->stdout_path) e->stdout_path = strdup(v);
        else if (((v = after(l, "# args only: ")) || (v = after(l, "# args: "))) && !e->argbuf) {
            e->add_file = strstr(l, "# args only: ") == NULL;
            e->argbuf = strdup(v);
            for (char *tok = strtok(e->argbuf, " "); tok && e->nargs < 28; tok = strtok(NULL, " "))
                e->args[e->nargs++] = tok;
        }
    }
    lines_free(&src);
    if (e->exit < 0) e->exit = e->err.n ? 1 : 0;
    for (int i = 0; i < e->nargs; i++) e->add_file &= strcmp(e->args[i], "-") != 0;
}

static void expect_free(Expect *e)
{
    lines_free(&e->out);
    lines_free(&e->err);
    lines_free(&e->stdin_lines);
    free(e->argbuf);
    free(e->stdout_path);
}

/* CRLF (CSV reports) compares as a line end; tests/test_reports.c checks the CRs */
static void drop_crs(char *s)
{
    char *o = s;
    for (char *i = s; *i; i++)
        if (!(i[0] == '\r' && i[1] == '\n')) *o++ = *i;
    *o = '\0';
}

static void compare_stdout(const char *name, const char *want, const TuResult *r)
{
    if (strcmp(r->out, want) == 0) return;
    /* the first line that differs, and the output around it (Check limits message size) */
    const char *a = want, *b = r->out;
    int line = 1;
    while (*a && *a == *b) {
        if (*a == '\n') line++;
        a++, b++;
    }
    while (a > want && a[-1] != '\n') a--, b--;
    ck_abort_msg("%s: stdout differs at line %d\n--- expected\n%.600s\n--- got\n%.600s\n--- stderr\n%.1000s", name,
                 line, a, b, r->err);
}

static void compare_stderr(const char *name, const Expect *e, const TuResult *r)
{
    Lines got = {0};
    split_lines(r->err, &got);
    int at = 0;
    for (int i = 0; i < e->err.n; i++) {
        while (at < got.n && strcmp(got.items[at], e->err.items[i]) != 0) at++;
        ck_assert_msg(at < got.n, "%s: stderr lacks the line\n  %s\n--- stderr was\n%.3000s", name, e->err.items[i],
                      r->err);
        at++;
    }
    if (e->err.n == 0) ck_assert_msg(r->err[0] == '\0', "%s: unexpected stderr:\n%.3000s", name, r->err);
    if (e->errors_exact)
        ck_assert_msg(got.n == e->err.n, "%s: stderr has %d lines, expected only the %d pinned:\n%.3000s", name,
                      got.n, e->err.n, r->err);
    lines_free(&got);
}

void script_check_with(const char *dir, const char *name, const char *directives)
{
    Expect e;
    expect_parse(directives, &e);
    if (e.add_file) e.args[e.nargs++] = name;
    e.args[e.nargs] = NULL;

    char cwd[4096];
    ck_assert(getcwd(cwd, sizeof cwd) != NULL);
    ck_assert_msg(chdir(dir) == 0, "cannot enter %s", dir);
    char *input = e.stdin_lines.n ? join(&e.stdin_lines) : NULL;
    TuResult r;
    tu_run_to(e.stdout_path, e.args, input, NULL, &r);
    ck_assert_int_eq(chdir(cwd), 0);

    char *want = join(&e.out);
    drop_crs(r.out);
    compare_stdout(name, want, &r);
    compare_stderr(name, &e, &r);
    ck_assert_msg(r.status == e.exit, "%s: exit status %d, expected %d\n--- stderr\n%.3000s", name, r.status, e.exit,
                  r.err);
    free(want);
    free(input);
    tu_result_free(&r);
    expect_free(&e);
}

void script_check(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.expect", dir, name);
    char *text = tu_read_file(path, NULL);
    if (!text) {
        snprintf(path, sizeof path, "%s/%s", dir, name);
        text = tu_read_file(path, NULL);
    }
    ck_assert_msg(text != NULL, "cannot read %s", path);
    script_check_with(dir, name, text);
    free(text);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void add_name(char ***names, int *n, int *cap, char *name)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *names = realloc(*names, (size_t)*cap * sizeof(char *));
    }
    (*names)[(*n)++] = name;
}

/* The cases of one folder, sorted, each as prefix + its name. */
static void list_folder(const char *dir, const char *prefix, bool with_sidecars, char ***names, int *n, int *cap)
{
    DIR *d = opendir(dir);
    if (!d) return;
    int first = *n;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *s = e->d_name;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, s);
        /* a folder named like a script is a test input (a module that is a folder) */
        bool wanted = ends_with(s, ".ons") && stat(path, &st) == 0 && S_ISREG(st.st_mode);
        if (!wanted && with_sidecars && s[0] != '.' && !ends_with(s, ".expect")) {
            snprintf(path, sizeof path, "%s/%s.expect", dir, s);
            wanted = stat(path, &st) == 0;
        }
        if (!wanted) continue;
        size_t len = strlen(prefix) + strlen(s) + 1;
        char *name = malloc(len);
        snprintf(name, len, "%s%s", prefix, s);
        add_name(names, n, cap, name);
    }
    closedir(d);
    if (*n > first) qsort(*names + first, (size_t)(*n - first), sizeof(char *), by_name);
}

/* Keeps this process's shard of names; returns how many are left. */
static int keep_shard(char **names, int n)
{
    int kept = 0;
    for (int i = 0; i < n; i++) {
        if (script_in_shard(i)) names[kept++] = names[i];
        else free(names[i]);
    }
    return kept;
}

int script_list(const char *dir, bool with_sidecars, char ***names, int *total)
{
    *names = NULL;
    int n = 0, cap = 0;
    list_folder(dir, "", with_sidecars, names, &n, &cap);
    *total = n;
    return keep_shard(*names, n);
}

int script_list_areas(const char *root, char ***names, int *total)
{
    *names = NULL;
    int n = 0, cap = 0;
    char **areas = NULL;
    int nareas = 0, acap = 0;
    DIR *d = opendir(root);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            char path[4096];
            struct stat st;
            snprintf(path, sizeof path, "%s/%s", root, e->d_name);
            if (e->d_name[0] == '.' || strcmp(e->d_name, "lib") == 0 || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
                continue;
            add_name(&areas, &nareas, &acap, strdup(e->d_name));
        }
        closedir(d);
    }
    if (nareas) qsort(areas, (size_t)nareas, sizeof(char *), by_name);
    for (int i = 0; i < nareas; i++) {
        char dir[4096], prefix[600];
        snprintf(dir, sizeof dir, "%s/%s", root, areas[i]);
        snprintf(prefix, sizeof prefix, "%s/", areas[i]);
        list_folder(dir, prefix, false, names, &n, &cap);
        free(areas[i]);
    }
    free(areas);
    *total = n;
    return keep_shard(*names, n);
}

/* the empty folders, by the loop index of their failing test */
static const char *empty_folders[16];
static int nempty;

START_TEST(folder_has_cases)
{
    ck_abort_msg("%s holds no test case: a suite that tests nothing must not pass", empty_folders[_i]);
}
END_TEST

void script_require_cases(TCase *tc, const char *dir, int total)
{
    if (total > 0 || nempty == (int)(sizeof empty_folders / sizeof empty_folders[0])) return;
    empty_folders[nempty] = dir;
    tcase_add_loop_test(tc, folder_has_cases, nempty, nempty + 1);
    nempty++;
}

/* ONS_TEST_SHARD=K/N keeps every Nth case from the Kth: `make -j valgrind`
 * splits a long suite over processes this way. */
bool script_in_shard(int i)
{
    const char *shard = getenv("ONS_TEST_SHARD");
    int k, of;
    if (!shard || sscanf(shard, "%d/%d", &k, &of) != 2 || of < 2 || k < 0 || k >= of) return true;
    return i % of == k;
}
