/* The lessons and the battery library they rest on.
 *
 * golden:     every examples/NAME.ons runs through the binary from the
 *             checkout root, exits 0 (its asserts hold) and prints exactly
 *             examples/NAME.out (in a UTF-8 locale: charts draw in
 *             braille).  Regenerate a golden with
 *             LANG=C.UTF-8 ./onshore examples/NAME.ons > examples/NAME.out
 *             and read the diff before committing it.
 * provenance: every number in the .ons files of stdlib/ sits in a
 *             declaration that carries `source:`, or in a `let` with a
 *             `source:` comment on its line or in the comment lines right
 *             above it (a `let` cannot carry properties).  A function may use the plain
 *             numbers 0 and 1 (a zero to start a sum, an identity); any
 *             other number in a function or a statement fails.  The check
 *             walks the parser's AST. */
#include "script_check.h"
#include "tests.h"

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "parse.h"
#include "output.h"
#include "source.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The files of dir ending in suffix, sorted; *n gets their count. */
static char **list_files(const char *dir, const char *suffix, int *n)
{
    char **names = NULL;
    int cap = 0;
    *n = 0;
    DIR *d = opendir(tu_path(dir));
    if (!d) return NULL;
    struct dirent *e;
    size_t sl = strlen(suffix);
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= sl || strcmp(e->d_name + l - sl, suffix) != 0) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, (size_t)cap * sizeof(char *));
        }
        names[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    if (*n) qsort(names, (size_t)*n, sizeof(char *), by_name);
    return names;
}

/* ---- golden outputs ---- */

static char **examples;
static int nexamples;

/* The first line where a and b differ, for a readable failure. */
static void first_difference(const char *a, const char *b, char *out, size_t n)
{
    int line = 1;
    const char *la = a, *lb = b;
    while (*a && *a == *b) {
        if (*a == '\n') {
            line++;
            la = a + 1;
            lb = b + 1;
        }
        a++;
        b++;
    }
    int wa = (int)strcspn(la, "\n"), wb = (int)strcspn(lb, "\n");
    snprintf(out, n, "line %d\n  expected: %.*s\n  got:      %.*s", line, wb, lb, wa, la);
}

START_TEST(golden)
{
    const char *name = examples[_i];
    char rel[512], golden_rel[512];
    snprintf(rel, sizeof rel, "examples/%s", name);
    snprintf(golden_rel, sizeof golden_rel, "examples/%.*s.out", (int)(strlen(name) - 4), name);
    char golden_path[4096];
    snprintf(golden_path, sizeof golden_path, "%s", tu_path(golden_rel));
    char *want = tu_read_file(golden_path, NULL);
    ck_assert_msg(want != NULL, "%s has no golden output %s", rel, golden_rel);

    char cwd[4096];
    ck_assert(getcwd(cwd, sizeof cwd) != NULL);
    ck_assert_int_eq(chdir(tu_root()), 0);
    const char *args[] = {rel, NULL};
    /* charts (spec 13) draw in braille in a UTF-8 locale: the goldens are */
    const char *env[] = {"LANG=C.UTF-8", "LC_ALL=", "LC_CTYPE=", "TERM=xterm", "COLUMNS=", NULL};
    TuResult r;
    tu_run(args, NULL, env, &r);
    ck_assert_int_eq(chdir(cwd), 0);

    ck_assert_msg(r.status == 0, "%s: exit status %d, expected 0\n--- stderr\n%s", rel, r.status, r.err);
    if (strcmp(r.out, want) != 0) {
        char diff[2048];
        first_difference(r.out, want, diff, sizeof diff);
        ck_abort_msg("%s: stdout differs from %s at %s\n--- stderr\n%s", rel, golden_rel, diff, r.err);
    }
    ck_assert_msg(r.err[0] == '\0', "%s: unexpected stderr:\n%s", rel, r.err);
    free(want);
    tu_result_free(&r);
}
END_TEST

/* Every golden belongs to an example: a renamed lesson leaves no stale .out. */
START_TEST(no_orphan_goldens)
{
    int n;
    char **outs = list_files("examples", ".out", &n);
    for (int i = 0; i < n; i++) {
        char ons[512];
        snprintf(ons, sizeof ons, "%.*s.ons", (int)(strlen(outs[i]) - 4), outs[i]);
        bool found = false;
        for (int k = 0; k < nexamples; k++) found |= strcmp(examples[k], ons) == 0;
        ck_assert_msg(found, "examples/%s has no examples/%s", outs[i], ons);
        free(outs[i]);
    }
    free(outs);
}
END_TEST

/* ---- provenance of the standard library's numbers ---- */

typedef struct Findings {
    char text[8192];
    size_t len;
    int count;
} Findings;

static void finding(Findings *f, OnsSource *src, const OnsNode *num, const char *where)
{
    uint32_t line, col;
    source_locate(src, num->span.start, &line, &col);
    uint32_t len;
    const char *l = source_line(src, line, &len);
    f->count++;
    if (f->len < sizeof f->text - 256)
        f->len += (size_t)snprintf(f->text + f->len, sizeof f->text - f->len,
                                   "%s:%u:%u: a number %s without `source:`\n   %u | %.*s\n", src->name, line, col,
                                   where, line, (int)(len > 120 ? 120 : len), l);
}

/* A plain 0 or 1, no unit: in a function it is arithmetic (a zero to start
 * a sum, an identity), not a figure that needs a source.  So are 0% and
 * 100%: `x * 100%` is x, printed as a share. */
static bool is_plain_0_or_1(const OnsNode *n)
{
    bool unitless = !n->text || !n->text[0] || (n->flags & AST_PERCENT);
    return (n->num == 0 || n->num == 1) && unitless;
}

/* The first NUM node in a subtree, or NULL; with arith, plain 0 and 1 pass. */
static const OnsNode *find_num(const OnsNode *n, bool arith)
{
    if (!n) return NULL;
    if (n->kind == AST_NUM) return arith && is_plain_0_or_1(n) ? NULL : n;
    const OnsNode *kids[5];
    ast_kids(n, kids);
    for (int i = 0; i < 5; i++) {
        const OnsNode *x = find_num(kids[i], arith);
        if (x) return x;
    }
    for (const OnsNode *k = ast_list_first(n); k; k = k->next) {
        const OnsNode *x = find_num(k, arith);
        if (x) return x;
    }
    return NULL;
}

static bool is_decl(const OnsNode *n)
{
    switch ((OnsNodeKind)n->kind) {
    case AST_STAGES: case AST_CLASSES: case AST_REGION: case AST_GROUP: case AST_MATERIAL:
    case AST_FACILITY: case AST_LANE: case AST_DEMAND: case AST_POLICY: case AST_SCENARIO:
        return true;
    default:
        return false;
    }
}

static bool decl_has_source(const OnsNode *n)
{
    for (const OnsNode *it = n->list.head; it; it = it->next)
        if (it->kind == AST_PROP && it->text && strcmp(it->text, "source") == 0) return true;
    return false;
}

static bool is_comment_line(const char *l, uint32_t len)
{
    uint32_t i = 0;
    while (i < len && (l[i] == ' ' || l[i] == '\t')) i++;
    return i < len && l[i] == '#';
}

static bool has_text(const char *l, uint32_t len, const char *what)
{
    size_t w = strlen(what);
    for (uint32_t i = 0; i + w <= len; i++)
        if (memcmp(l + i, what, w) == 0) return true;
    return false;
}

/* A `let`'s source: `source:` on its own line, or in the comment block that
 * ends right above it. */
static bool let_has_source(OnsSource *src, const OnsNode *let)
{
    uint32_t line, col, len;
    source_locate(src, let->span.start, &line, &col);
    const char *l = source_line(src, line, &len);
    if (has_text(l, len, "source:")) return true;
    for (uint32_t k = line - 1; k >= 1; k--) {
        l = source_line(src, k, &len);
        if (!is_comment_line(l, len)) break;
        if (has_text(l, len, "source:")) return true;
    }
    return false;
}

/* Checks one source; returns false when it does not parse. */
static bool check_provenance(OnsSource *src, Findings *f, char *diag_text, size_t diag_n)
{
    OnsArena arena;
    arena_init(&arena);
    OnsDiags diags;
    diags_init(&diags);
    OnsNodeList items;
    bool ok = ons_parse(src, &arena, &diags, &items);
    if (!ok) {
        OnsOut o;
        out_init_buffer(&o);
        diags_render(&o, &diags);
        char *t = out_take(&o, NULL);
        snprintf(diag_text, diag_n, "%s", t);
        free(t);
        out_free(&o);
    }
    for (const OnsNode *n = ok ? items.head : NULL; n; n = n->next) {
        const OnsNode *num = find_num(n, n->kind == AST_FN);
        if (!num) continue;
        if (is_decl(n)) {
            if (!decl_has_source(n)) finding(f, src, num, "in a declaration");
        } else if (n->kind == AST_LET) {
            if (!let_has_source(src, n)) finding(f, src, num, "in a `let`");
        } else {
            finding(f, src, num, n->kind == AST_FN ? "in a function" : "in a statement");
        }
    }
    diags_free(&diags);
    arena_free(&arena);
    return ok;
}

START_TEST(stdlib_numbers_have_sources)
{
    int n;
    char **mods = list_files("stdlib", ".ons", &n);
    ck_assert_msg(n > 0, "no stdlib/*.ons found under %s", tu_root());
    Findings f = {0};
    for (int i = 0; i < n; i++) {
        char rel[512];
        snprintf(rel, sizeof rel, "stdlib/%s", mods[i]);
        size_t len;
        char *text = tu_read_file(tu_path(rel), &len);
        ck_assert_msg(text != NULL, "cannot read %s", rel);
        OnsSource *src = source_new(rel, text, len);
        char diag[2048] = "";
        bool parsed = check_provenance(src, &f, diag, sizeof diag);
        ck_assert_msg(parsed, "%s does not parse:\n%s", rel, diag);
        source_free(src);
        free(text);
        free(mods[i]);
    }
    free(mods);
    ck_assert_msg(f.count == 0, "%d number(s) in the standard library without a source:\n%s", f.count, f.text);
}
END_TEST

/* The check itself catches what it should, and only that. */
START_TEST(provenance_check_catches)
{
    static const char *text =
        "material a { unit: t, price: 5 $/t }\n"                 /* 1: no source */
        "material b { unit: t, price: 5 $/t, source: \"S1\" }\n"  /* fine */
        "# source: S4\n"
        "# (a comment block)\n"
        "let K = 5.323\n"                                        /* fine */
        "let J = 2\n"                                            /* 6: no source */
        "let L = 3   # source: S7\n"                             /* fine */
        "fn f(x) = x * 2 + 0 * x\n"                              /* 8: 2 in a function; 0 is fine */
        "region US\n"                                            /* fine: no number */
        "let M = K * 2\n";                                       /* 10: bare let */
    OnsSource *src = source_new("t.ons", text, strlen(text));
    Findings f = {0};
    char diag[1024] = "";
    ck_assert_msg(check_provenance(src, &f, diag, sizeof diag), "%s", diag);
    ck_assert_msg(f.count == 4, "expected 4 findings, got %d:\n%s", f.count, f.text);
    ck_assert_msg(strstr(f.text, "t.ons:1:30: a number in a declaration") != NULL, "%s", f.text);
    ck_assert_msg(strstr(f.text, "t.ons:6:9: a number in a `let`") != NULL, "%s", f.text);
    ck_assert_msg(strstr(f.text, "t.ons:8:15: a number in a function") != NULL, "%s", f.text);
    ck_assert_msg(strstr(f.text, "t.ons:10:13: a number in a `let`") != NULL, "%s", f.text);
    source_free(src);
}
END_TEST

Suite *make_examples_suite(void)
{
    examples = list_files("examples", ".ons", &nexamples);
    Suite *s = suite_create("examples");
    TCase *tc = tcase_create("golden");
    tcase_set_timeout(tc, 30);
    if (nexamples > 0) tcase_add_loop_test(tc, golden, 0, nexamples);
    script_require_cases(tc, "examples", nexamples);
    tcase_add_test(tc, no_orphan_goldens);
    suite_add_tcase(s, tc);
    TCase *tp = tcase_create("provenance");
    tcase_add_test(tp, stdlib_numbers_have_sources);
    tcase_add_test(tp, provenance_check_catches);
    suite_add_tcase(s, tp);
    return s;
}
