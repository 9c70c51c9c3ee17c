/* Hostile programs: every case in tests/bad (a *.ons script, or any other
 * file or folder NAME with its directives in NAME.expect) pins its error text
 * and exit status, never a crash or a hang.  Inputs too big to commit (a
 * 10 MB line, 10,000-deep nesting, a source over 64 MB, ten million list
 * elements, more errors than are reported) are written at test time into a
 * temporary folder and checked the same way. */
#include "script_check.h"
#include "tests.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char **cases;
static int ncases;

START_TEST(bad_case)
{
    script_check(tu_path("tests/bad"), cases[_i]);
}
END_TEST

/* ---- generated inputs ---- */

static void repeat(FILE *f, const char *s, long times)
{
    for (long i = 0; i < times; i++) fputs(s, f);
}

enum { MEGABYTE = 1000 * 1000, DEEP = 10000 };

static void long_string_line(FILE *f)
{
    fputs("x = \"", f);
    repeat(f, "aaaaaaaaaa", MEGABYTE); /* 10 MB */
    fputs("\" * 2\n", f);
}

static void error_after_long_line(FILE *f)
{
    repeat(f, "          ", MEGABYTE);
    fputs("print(1 kt + 1 GWh)\n", f);
}

static void long_identifier(FILE *f)
{
    fputs("x = ", f);
    repeat(f, "abcdefghij", MEGABYTE);
    fputs(" + 1\n", f);
}

static void deep_parentheses(FILE *f)
{
    fputs("x = ", f);
    repeat(f, "(", DEEP);
    fputs("1", f);
    repeat(f, ")", DEEP);
    fputs("\n", f);
}

static void deep_lists(FILE *f)
{
    fputs("x = ", f);
    repeat(f, "[", DEEP);
    repeat(f, "]", DEEP);
    fputs("\n", f);
}

static void deep_calls(FILE *f)
{
    fputs("fn f(a) = a\nx = ", f);
    repeat(f, "f(", DEEP);
    fputs("1", f);
    repeat(f, ")", DEEP);
    fputs("\n", f);
}

static void deep_blocks(FILE *f)
{
    for (int i = 0; i < DEEP; i++) fputs("if true {\n", f);
    for (int i = 0; i < DEEP; i++) fputs("}\n", f);
}

static void deep_if_expressions(FILE *f)
{
    fputs("x = ", f);
    repeat(f, "if true then ", DEEP);
    fputs("1", f);
    repeat(f, " else 2", DEEP);
    fputs("\n", f);
}

static void deep_negation(FILE *f)
{
    fputs("x = ", f);
    repeat(f, "-", DEEP);
    fputs("1\n", f);
}

static void deep_not(FILE *f)
{
    fputs("x = ", f);
    repeat(f, "not ", DEEP);
    fputs("true\n", f);
}

static void deep_lambdas(FILE *f)
{
    fputs("x = ", f);
    repeat(f, "fn(a) = ", DEEP);
    fputs("1\n", f);
}

static void long_sum(FILE *f)
{
    fputs("x = 1", f);
    repeat(f, " + 1", 2 * DEEP);
    fputs("\n", f);
}

static void over_64_megabytes(FILE *f)
{
    /* 65 MB of comment lines */
    repeat(f, "# a comment line of exactly sixty-four bytes, padded to length.\n", 65 * 1024 * 16);
    fputs("print(1)\n", f);
}

static void ten_million_elements(FILE *f)
{
    fputs("x = []\nfor i in 1..10000000 { append(x, i) }\nprint(len(x))\nprint(x[10000000])\n", f);
}

static void many_unit_errors(FILE *f) { repeat(f, "print(1 kt + 1 GWh)\n", 25); }

static void many_syntax_errors(FILE *f) { repeat(f, "x = )\n", 25); }

static void error_on_line_a_million(FILE *f)
{
    repeat(f, "\n", 999999);
    fputs("print(1 kt + 1 GWh)\n", f);
}

/* A plan (spec 12) of more than two million shipment columns: 100 regions
 * that all need cells, 700 cell plants, 30 years. */
static void plan_too_large(FILE *f)
{
    fputs("stages cell\nmaterial cell { unit: GWh, stage: cell, price: 100 $/kWh }\n", f);
    for (int r = 0; r < 100; r++) fprintf(f, "region R%d\ndemand R%d cell: 1 GWh\n", r, r);
    for (int i = 0; i < 700; i++) fprintf(f, "facility f%d { region: R%d, makes: cell, capacity: 1 GWh/yr }\n", i, i % 100);
    fputs("scenario big { years: 2001..2030, plan { } }\nlet r = run big\n", f);
}

typedef struct Generated {
    const char *name;
    void (*write)(FILE *f);
    const char *directives;
} Generated;

/* The pinned text of an error on a long line is the excerpt diag.c clips
 * around the caret (160 bytes, "..." at a cut end). */
static const Generated generated[] = {
    {"long_string_line.ons", long_string_line,
     "# expect error: long_string_line.ons:1:5: error: cannot multiply a string and a plain number\n"
     "# expect error:     1 | x = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\n"
     "# expect error:       |     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"error_after_long_line.ons", error_after_long_line,
     "# expect error: error_after_long_line.ons:1:10000014: error: cannot add kt (mass) and GWh (energy)\n"
     "# expect error:     1 | ...                                                                   print(1 kt + 1 GWh)\n"
     "# expect error:       |                                                                                    ^~~~~\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"long_identifier.ons", long_identifier,
     "# expect error: long_identifier.ons:1:5: error: name 'abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd...\n"
     "# expect error:     1 | x = abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdef...\n"
     "# expect error:       |     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"deep_parentheses.ons", deep_parentheses,
     "# expect error: deep_parentheses.ons:1:205: error: brackets are nested more than 200 levels deep\n"
     "# expect error:     1 | ...((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((...\n"
     "# expect error:       |                                                                                    ^\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"deep_lists.ons", deep_lists,
     "# expect error: deep_lists.ons:1:205: error: brackets are nested more than 200 levels deep\n"
     "# expect error:     1 | ...[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...\n"
     "# expect error:       |                                                                                    ^\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"deep_calls.ons", deep_calls,
     "# expect error: deep_calls.ons:2:406: error: brackets are nested more than 200 levels deep\n"
     "# expect error:     2 | ...(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f(f...\n"
     "# expect error:       |                                                                                    ^\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"deep_blocks.ons", deep_blocks,
     "# expect error: deep_blocks.ons:201:9: error: brackets are nested more than 200 levels deep\n"
     "# expect error:   201 | if true {\n"
     "# expect error:       |         ^\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"deep_if_expressions.ons", deep_if_expressions,
     "# expect error: deep_if_expressions.ons:1:86650: error: the program is nested too deeply to parse\n"
     "# expect error:     1 | ...n if true then if true then if true then if true then if true then if true then if true then if true then if true then if true then if true then if true then if...\n"
     "# expect error:       |                                                                                    ^~\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"deep_negation.ons", deep_negation,
     "# expect error: deep_negation.ons:1:9004: error: expression is nested more than 1000 levels deep\n"
     "# expect error:     1 | ...----------------------------------------------------------------------------------------------------------------------------------------------------------------...\n"
     "# expect error:       |                                                                                    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"deep_not.ons", deep_not,
     "# expect error: deep_not.ons:1:36001: error: expression is nested more than 1000 levels deep\n"
     "# expect error:     1 | ...not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not ...\n"
     "# expect error:       |                                                                                    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"deep_lambdas.ons", deep_lambdas,
     "# expect error: deep_lambdas.ons:1:31997: error: the program is nested too deeply to parse\n"
     "# expect error:     1 | ...fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = fn(a) = ...\n"
     "# expect error:       |                                                                                    ^~\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"long_sum.ons", long_sum,
     "# expect error: long_sum.ons:1:5: error: expression is nested more than 1000 levels deep\n"
     "# expect error:     1 | x = 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + ...\n"
     "# expect error:       |     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"many_unit_errors.ons", many_unit_errors,
     "# expect error: many_unit_errors.ons:1:14: error: cannot add kt (mass) and GWh (energy)\n"
     "# expect error:     1 | print(1 kt + 1 GWh)\n"
     "# expect error:       |              ^~~~~\n"
     "# expect error: many_unit_errors.ons:20:14: error: cannot add kt (mass) and GWh (energy)\n"
     "# expect error:    20 | print(1 kt + 1 GWh)\n"
     "# expect error:       |              ^~~~~\n"
     "# expect error: onshore: error: too many errors (20); stopping here\n"
     "# expect exit: 1\n"},
    {"many_syntax_errors.ons", many_syntax_errors,
     "# expect error: many_syntax_errors.ons:1:5: error: unexpected ')'; expected an expression\n"
     "# expect error:     1 | x = )\n"
     "# expect error:       |     ^\n"
     "# expect error: many_syntax_errors.ons:20:5: error: unexpected ')'; expected an expression\n"
     "# expect error:    20 | x = )\n"
     "# expect error:       |     ^\n"
     "# expect error: onshore: error: too many errors (20); stopping here\n"
     "# expect exit: 1\n"},
    {"over_64_megabytes.ons", over_64_megabytes,
     "# expect error: onshore: over_64_megabytes.ons is larger than 64 MB, the most Onshore reads\n"
     "# expect exit: 2\n"
     "# expect only these errors\n"},
    {"ten_million_elements.ons", ten_million_elements,
     "# expect: 10000000\n"
     "# expect error: ten_million_elements.ons:4:7: error: index 10000000 is outside the list (it has 10000000 "
     "elements; the first is [0])\n"
     "# expect error:     4 | print(x[10000000])\n"
     "# expect error:       |       ^~~~~~~~~~~\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
    {"plan_too_large.ons", plan_too_large,
     "# expect error: plan_too_large.ons:904:9: error: the plan of scenario big is too large to solve here (more "
     "than 2000000 columns or 20000000 coefficients): plan fewer years, regions or facilities\n"
     "# expect exit: 1\n"},
    {"error_on_line_a_million.ons", error_on_line_a_million,
     "# expect error: error_on_line_a_million.ons:1000000:14: error: cannot add kt (mass) and GWh (energy)\n"
     "# expect error: 1000000 | print(1 kt + 1 GWh)\n"
     "# expect error:         |              ^~~~~\n"
     "# expect exit: 1\n"
     "# expect only these errors\n"},
};

enum { NGENERATED = (int)(sizeof generated / sizeof generated[0]) };

/* The folder of the generated inputs: made before the test case and removed
 * after it by the runner's own process, so a failed check (which ends a
 * forked test at once) leaves no 65 MB file behind. */
static char gen_dir[512];

static void gen_path(int i, char *buf, size_t n) { snprintf(buf, n, "%s/%s", gen_dir, generated[i].name); }

static void gen_dir_make(void)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(gen_dir, sizeof gen_dir, "%s/onshore-bad-XXXXXX", tmp);
    if (!mkdtemp(gen_dir)) ck_abort_msg("mkdtemp: %s", strerror(errno));
}

static void gen_dir_remove(void)
{
    char path[1024];
    for (int i = 0; i < NGENERATED; i++) {
        gen_path(i, path, sizeof path);
        unlink(path);
    }
    rmdir(gen_dir);
}

static int shard_generated[NGENERATED]; /* the cases of this shard (ONS_TEST_SHARD) */

START_TEST(generated_case)
{
    int i = shard_generated[_i];
    char path[1024];
    gen_path(i, path, sizeof path);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    generated[i].write(f);
    ck_assert_int_eq(fclose(f), 0);
    script_check_with(gen_dir, generated[i].name, generated[i].directives);
    unlink(path);
}
END_TEST

Suite *make_bad_suite(void)
{
    int total;
    ncases = script_list(tu_path("tests/bad"), true, &cases, &total);
    Suite *s = suite_create("bad");
    TCase *tc = tcase_create("hostile");
    script_require_cases(tc, "tests/bad", total);
    tcase_set_timeout(tc, 60);
    if (ncases > 0) tcase_add_loop_test(tc, bad_case, 0, ncases);
    suite_add_tcase(s, tc);
    TCase *big = tcase_create("generated");
    tcase_set_timeout(big, 120);
    int nshard = 0;
    for (int i = 0; i < NGENERATED; i++)
        if (script_in_shard(i)) shard_generated[nshard++] = i;
    tcase_add_unchecked_fixture(big, gen_dir_make, gen_dir_remove);
    tcase_add_loop_test(big, generated_case, 0, nshard);
    suite_add_tcase(s, big);
    return s;
}
