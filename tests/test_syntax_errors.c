/* Syntax errors (spec §9): the complete rendered diagnostic of malformed
 * inputs -- message, line, column, quoted line and caret -- plus recovery
 * (every error of a file, up to 20) and the `incomplete` flag the REPL
 * reads to ask for more lines. */
#include "tests.h"

#include "fe_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ErrCase {
    const char *src, *want;
} ErrCase;

#define N_CASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const ErrCase errors[] = {
    {/* a property without ':' */
     "facility f {\n  region: US\n  capacity 40 kt/yr\n}",
     "test.ons:3:12: error: expected ':' after property name 'capacity'\n"
     "    3 |   capacity 40 kt/yr\n"
     "      |            ^~~~~~~~\n"},
    {/* an unclosed '{' reaching the next declaration */
     "material m {\n  unit: t\n\nregion US",
     "test.ons:4:1: error: unexpected keyword 'region': the '{' opened at line 1, column 12 is not closed (expected '}')\n"
     "    4 | region US\n"
     "      | ^~~~~~\n"},
    {/* an unclosed '{' reaching a statement */
     "facility f {\n  region: US\nx = 5",
     "test.ons:3:1: error: unexpected name 'x': the '{' opened at line 1, column 12 is not closed (expected '}')\n"
     "    3 | x = 5\n"
     "      | ^\n"},
    {/* an unclosed '(' at the end of input */
     "x = max(1, 2",
     "test.ons:1:13: error: unexpected end of input: the '(' opened at line 1, column 8 is not closed (expected ')')\n"
     "    1 | x = max(1, 2\n"
     "      |             ^\n"},
    {/* an unclosed '(' reaching the next statement */
     "x = (1 +\ny = 2",
     "test.ons:2:1: error: unexpected name 'y': the '(' opened at line 1, column 5 is not closed (expected ')')\n"
     "    2 | y = 2\n"
     "      | ^\n"},
    {/* a missing expression after '=' at a line end */
     "x =\ny = 2",
     "test.ons:1:4: error: unexpected end of line; expected an expression\n"
     "    1 | x =\n"
     "      |    ^\n"},
    {/* a missing expression after '=' before a keyword */
     "let x =\nlet y = 2",
     "test.ons:2:1: error: unexpected keyword 'let'; expected an expression\n"
     "    2 | let y = 2\n"
     "      | ^~~\n"},
    {/* two operators in a row */
     "x = 1 +* 2",
     "test.ons:1:8: error: unexpected '*'; expected an expression\n"
     "    1 | x = 1 +* 2\n"
     "      |        ^\n"},
    {/* '=' for '==' in an if */
     "if x = 3 {\n  y = 1\n}",
     "test.ons:1:6: error: unexpected '='; expected 'then', '{' or an operator (to compare, write '==')\n"
     "    1 | if x = 3 {\n"
     "      |      ^\n"},
    {/* '=' for '==' in a while */
     "while x = 1 { }",
     "test.ons:1:9: error: unexpected '='; expected '{' or an operator (to compare, write '==')\n"
     "    1 | while x = 1 { }\n"
     "      |         ^\n"},
    {/* a missing name after material */
     "material {\n  unit: t\n}",
     "test.ons:1:10: error: unexpected '{'; expected a name\n"
     "    1 | material {\n"
     "      |          ^\n"},
    {/* a title where the name goes */
     "material \"Lithium\" { unit: t }",
     "test.ons:1:10: error: unexpected string \"Lithium\"; expected a name\n"
     "    1 | material \"Lithium\" { unit: t }\n"
     "      |          ^~~~~~~~~\n"},
    {/* a tariff without 'on' */
     "policy p {\n  tariff 25% from CN to US\n}",
     "test.ons:2:14: error: unexpected keyword 'from'; expected 'on' or an operator\n"
     "    2 |   tariff 25% from CN to US\n"
     "      |              ^~~~\n"},
    {/* a credit with 'from' for 'in' */
     "policy p {\n  credit 5% on x from US\n}",
     "test.ons:2:18: error: unexpected keyword 'from'; expected 'in'\n"
     "    2 |   credit 5% on x from US\n"
     "      |                  ^~~~\n"},
    {/* a share without 'from' */
     "policy p {\n  require share of x >= 5% for US\n}",
     "test.ons:2:22: error: unexpected '>='; expected 'from'\n"
     "    2 |   require share of x >= 5% for US\n"
     "      |                      ^~\n"},
    {/* recycled without 'share' */
     "policy p {\n  require recycled of x >= 5% for US\n}",
     "test.ons:2:20: error: unexpected keyword 'of'; expected 'share'\n"
     "    2 |   require recycled of x >= 5% for US\n"
     "      |                    ^~\n"},
    {/* an unknown metric */
     "policy p {\n  require bogus of x >= 5% for US\n}",
     "test.ons:2:11: error: unexpected name 'bogus'; expected 'share', 'recycled', 'top' or 'localization'\n"
     "    2 |   require bogus of x >= 5% for US\n"
     "      |           ^~~~~\n"},
    {/* 'in' for 'for' in a require */
     "policy p {\n  require localization of x >= 5% in US\n}",
     "test.ons:2:35: error: unexpected keyword 'in'; expected 'for' or an operator\n"
     "    2 |   require localization of x >= 5% in US\n"
     "      |                                   ^~\n"},
    {/* a misspelt rule */
     "policy p {\n  tarif 25% on x from CN to US\n}",
     "test.ons:2:9: error: expected ':' after property name 'tarif', or a rule (tariff, credit, ban, quota, require)\n"
     "    2 |   tarif 25% on x from CN to US\n"
     "      |         ^~~\n"},
    {/* a number as a selector */
     "policy p {\n  ban 5 from CN to US\n}",
     "test.ons:2:7: error: unexpected number 5; expected a name, 'stage', 'class', '*' or '['\n"
     "    2 |   ban 5 from CN to US\n"
     "      |       ^\n"},
    {/* 'stage' without a name */
     "policy p {\n  ban stage from CN to US\n}",
     "test.ons:2:13: error: unexpected keyword 'from'; expected a name\n"
     "    2 |   ban stage from CN to US\n"
     "      |             ^~~~\n"},
    {/* 'from' with a name for a year */
     "policy p {\n  ban x from CN to US from next year\n}",
     "test.ons:2:28: error: unexpected name 'next'; expected a year\n"
     "    2 |   ban x from CN to US from next year\n"
     "      |                            ^~~~\n"},
    {/* 'until' with a string for a year */
     "policy p {\n  ban x from CN to US until \"2030\"\n}",
     "test.ons:2:29: error: unexpected string \"2030\"; expected a year\n"
     "    2 |   ban x from CN to US until \"2030\"\n"
     "      |                             ^~~~~~\n"},
    {/* a fractional year */
     "policy p {\n  tariff 25% on x from CN to US from 2026.5\n}",
     "test.ons:2:38: error: a year after 'from' must be a whole number like 2027\n"
     "    2 |   tariff 25% on x from CN to US from 2026.5\n"
     "      |                                      ^~~~~~\n"},
    {/* a year with a unit */
     "policy p {\n  ban x from CN to US until 2 yr\n}",
     "test.ons:2:29: error: a year after 'until' must be a whole number like 2030\n"
     "    2 |   ban x from CN to US until 2 yr\n"
     "      |                             ^~~~\n"},
    {/* a block item that is no property or rule */
     "policy p { 5 }",
     "test.ons:1:12: error: unexpected number 5; expected a rule, a property name or '}'\n"
     "    1 | policy p { 5 }\n"
     "      |            ^\n"},
    {/* a material item that is no property */
     "material m { 5 }",
     "test.ons:1:14: error: unexpected number 5; expected a property name or '}'\n"
     "    1 | material m { 5 }\n"
     "      |              ^\n"},
    {/* report with a number for its kind */
     "report 2030",
     "test.ons:1:8: error: unexpected number 2030; expected a name\n"
     "    1 | report 2030\n"
     "      |        ^~~~\n"},
    {/* report for a number */
     "report gap for 5",
     "test.ons:1:16: error: unexpected number 5; expected a name, '*' or '['\n"
     "    1 | report gap for 5\n"
     "      |                ^\n"},
    {/* report in nothing */
     "report gap in",
     "test.ons:1:14: error: unexpected end of line; expected an expression\n"
     "    1 | report gap in\n"
     "      |              ^\n"},
    {/* report as a string */
     "report gap as \"csv\"",
     "test.ons:1:15: error: unexpected string \"csv\"; expected a name\n"
     "    1 | report gap as \"csv\"\n"
     "      |               ^~~~~\n"},
    {/* explain without a material */
     "explain US",
     "test.ons:1:11: error: unexpected end of line; expected a name\n"
     "    1 | explain US\n"
     "      |           ^\n"},
    {/* explain with its year on the next line */
     "explain US m\n  2030",
     "test.ons:1:13: error: unexpected end of line; expected an expression\n"
     "    1 | explain US m\n"
     "      |             ^\n"},
    {/* a list closed with ')' */
     "x = [1, 2)",
     "test.ons:1:10: error: unexpected ')'; expected ',', ']' or an operator\n"
     "    1 | x = [1, 2)\n"
     "      |          ^\n"},
    {/* a parenthesis closed with ']' */
     "x = (1 + 2]",
     "test.ons:1:11: error: unexpected ']'; expected ')' or an operator\n"
     "    1 | x = (1 + 2]\n"
     "      |           ^\n"},
    {/* a call closed with ']' */
     "x = f(a]",
     "test.ons:1:8: error: unexpected ']'; expected ',', ':', ')' or an operator\n"
     "    1 | x = f(a]\n"
     "      |        ^\n"},
    {/* '=>' for '->' */
     "lane A => B",
     "test.ons:1:8: error: unexpected '='; expected '->' or '<-'\n"
     "    1 | lane A => B\n"
     "      |        ^\n"},
    {/* a lane ending after '->' */
     "lane A -> ",
     "test.ons:1:10: error: unexpected end of input; expected a name or '*'\n"
     "    1 | lane A -> \n"
     "      |          ^\n"},
    {/* a group without '=' */
     "group g [US, CA]",
     "test.ons:1:9: error: unexpected '['; expected a string or '='\n"
     "    1 | group g [US, CA]\n"
     "      |         ^\n"},
    {/* a demand without a material */
     "demand US: 5 t",
     "test.ons:1:10: error: unexpected ':'; expected a name\n"
     "    1 | demand US: 5 t\n"
     "      |          ^\n"},
    {/* a demand without ':' */
     "demand US cell 5 t",
     "test.ons:1:16: error: unexpected number 5 t; expected ':'\n"
     "    1 | demand US cell 5 t\n"
     "      |                ^~~\n"},
    {/* extends without a parent */
     "scenario s extends { }",
     "test.ons:1:20: error: unexpected '{'; expected a name\n"
     "    1 | scenario s extends { }\n"
     "      |                    ^\n"},
    {/* a keyword property without ':' */
     "scenario s { years: 2024..2030\n  use [p]\n}",
     "test.ons:2:7: error: expected ':' after property name 'use'\n"
     "    2 |   use [p]\n"
     "      |       ^\n"},
    {/* parameters without ',' */
     "fn f(a b) = 1",
     "test.ons:1:8: error: unexpected name 'b'; expected ',' or ')'\n"
     "    1 | fn f(a b) = 1\n"
     "      |        ^\n"},
    {/* a number as a parameter */
     "fn f(1) = 1",
     "test.ons:1:6: error: unexpected number 1; expected a name or ')'\n"
     "    1 | fn f(1) = 1\n"
     "      |      ^\n"},
    {/* a function without a body */
     "fn f(a) a",
     "test.ons:1:9: error: unexpected name 'a'; expected '=' or '{'\n"
     "    1 | fn f(a) a\n"
     "      |         ^\n"},
    {/* for without 'in' */
     "for y 2024..2030 { }",
     "test.ons:1:7: error: unexpected number 2024; expected 'in'\n"
     "    1 | for y 2024..2030 { }\n"
     "      |       ^~~~\n"},
    {/* an if expression without else */
     "x = if a then b",
     "test.ons:1:16: error: unexpected end of input; expected 'else' or an operator\n"
     "    1 | x = if a then b\n"
     "      |                ^\n"},
    {/* an if statement used as a value */
     "x = if a { b } else { c }",
     "test.ons:1:10: error: unexpected '{'; expected 'then' or an operator (an 'if' expression reads 'if c then a else b'; an 'if' statement needs a block)\n"
     "    1 | x = if a { b } else { c }\n"
     "      |          ^\n"},
    {/* import of a string */
     "import \"battery\"",
     "test.ons:1:8: error: unexpected string \"battery\"; expected a name\n"
     "    1 | import \"battery\"\n"
     "      |        ^~~~~~~~~\n"},
    {/* a number after '.' */
     "x = a.5",
     "test.ons:1:7: error: unexpected number 5; expected a name\n"
     "    1 | x = a.5\n"
     "      |       ^\n"},
    {/* a map entry without ':' */
     "x = {a 1}",
     "test.ons:1:8: error: unexpected number 1; expected ':' or an operator\n"
     "    1 | x = {a 1}\n"
     "      |        ^\n"},
    {/* step without a map */
     "x = step [1, 2]",
     "test.ons:1:10: error: unexpected '['; expected '{'\n"
     "    1 | x = step [1, 2]\n"
     "      |          ^\n"},
    {/* return return */
     "return return",
     "test.ons:1:8: error: unexpected keyword 'return'; expected an expression\n"
     "    1 | return return\n"
     "      |        ^~~~~~\n"},
    {/* a stray '}' */
     "}",
     "test.ons:1:1: error: unexpected '}'\n"
     "    1 | }\n"
     "      | ^\n"},
    {/* a block open at the end of input */
     "region US {\n  note: \"x\"\n",
     "test.ons:2:12: error: unexpected end of input: the '{' opened at line 1, column 11 is not closed (expected '}')\n"
     "    2 |   note: \"x\"\n"
     "      |            ^\n"},
};

START_TEST(one_error)
{
    fe_diags_are(errors[_i].src, errors[_i].want);
}
END_TEST

/* Three independent errors are all reported, and the good declarations
 * between and after them are parsed, with no error of their own. */
START_TEST(three_independent_errors)
{
    const char *src = "region US\n"
                      "material m {\n"
                      "  unit t\n"
                      "}\n"
                      "facility f { region: US, makes: m, capacity: 5 kt/yr }\n"
                      "lane US -> CN { cost: 4%, days: }\n"
                      "scenario s { years: 2024..2030 }\n"
                      "x = max(1, 2\n"
                      "region CA\n";
    fe_diags_are(src,
                 "test.ons:3:8: error: expected ':' after property name 'unit'\n"
                 "    3 |   unit t\n"
                 "      |        ^\n"
                 "test.ons:6:33: error: unexpected '}'; expected an expression\n"
                 "    6 | lane US -> CN { cost: 4%, days: }\n"
                 "      |                                 ^\n"
                 "test.ons:9:1: error: unexpected keyword 'region': the '(' opened at line 8, column 8 is not closed (expected ')')\n"
                 "    9 | region CA\n"
                 "      | ^~~~~~\n");
    bool incomplete;
    char *dump;
    ck_assert_int_eq(fe_parse_status(src, &incomplete, &dump), 3);
    ck_assert(!incomplete);
    ck_assert_str_eq(dump, "(region US)\n"
                           "(facility f (prop region (ident US)) (prop makes (ident m)) "
                           "(prop capacity (num 5000 [t/yr])))\n"
                           "(scenario s (prop years (binary .. (num 2024) (num 2030))))\n"
                           "(region CA)\n");
    free(dump);
}
END_TEST

/* The declaration an unclosed block runs into is parsed, and its own
 * error reported. */
START_TEST(unclosed_block_then_an_error)
{
    const char *src = "material m {\n"
                      "  unit: t\n"
                      "\n"
                      "facility f {\n"
                      "  capacity 5 kt/yr\n"
                      "}\n"
                      "region US\n";
    fe_diags_are(src,
                 "test.ons:4:1: error: unexpected keyword 'facility': the '{' opened at line 1, column 12 is not closed (expected '}')\n"
                 "    4 | facility f {\n"
                 "      | ^~~~~~~~\n"
                 "test.ons:5:12: error: expected ':' after property name 'capacity'\n"
                 "    5 |   capacity 5 kt/yr\n"
                 "      |            ^~~~~~~\n");
    bool incomplete;
    char *dump;
    ck_assert_int_eq(fe_parse_status("material m {\n  unit: t\nregion US\nregion CA\n", &incomplete, &dump), 1);
    ck_assert_str_eq(dump, "(region US)\n(region CA)\n");
    free(dump);
    /* a statement swallowed as the value of `x =` is parsed on its own */
    ck_assert_int_eq(fe_parse_status("x =\ny = 2\n", &incomplete, &dump), 1);
    ck_assert_str_eq(dump, "(assign (ident y) (num 2))\n");
    free(dump);
}
END_TEST

/* Scanner and grammar errors mix; each is reported once. */
START_TEST(lexical_and_syntax_errors)
{
    fe_diags_are("x = 40 kts + )\ny = \"a\\q\" @\nz = (1 +\n",
                 "test.ons:1:8: error: unknown unit 'kts'; did you mean 'kt'?\n"
                 "    1 | x = 40 kts + )\n"
                 "      |        ^~~\n"
                 "test.ons:1:14: error: unexpected ')'; expected an expression\n"
                 "    1 | x = 40 kts + )\n"
                 "      |              ^\n"
                 "test.ons:2:7: error: unknown escape '\\q' in a string (known: \\n \\t \\\" \\\\)\n"
                 "    2 | y = \"a\\q\" @\n"
                 "      |       ^~\n"
                 "test.ons:2:11: error: unexpected character '@'\n"
                 "    2 | y = \"a\\q\" @\n"
                 "      |           ^\n"
                 "test.ons:3:9: error: unexpected end of input: the '(' opened at line 3, column 5 is not closed (expected ')')\n"
                 "    3 | z = (1 +\n"
                 "      |         ^\n");
}
END_TEST

/* 25 broken lines: 20 errors, then one line saying the rest was dropped. */
START_TEST(too_many_errors)
{
    char src[1024] = "", want[8192] = "";
    size_t sl = 0, wl = 0;
    for (int i = 1; i <= 25; i++) {
        char line[32];
        snprintf(line, sizeof line, "x%d = )", i);
        sl += (size_t)snprintf(src + sl, sizeof src - sl, "%s\n", line);
        if (i > 20) continue;
        int col = (int)strlen(line); /* the ')' ends the line */
        wl += (size_t)snprintf(want + wl, sizeof want - wl,
                               "test.ons:%d:%d: error: unexpected ')'; expected an expression\n"
                               "%5d | %s\n"
                               "      | %*s^\n",
                               i, col, i, line, col - 1, "");
    }
    snprintf(want + wl, sizeof want - wl, "onshore: error: too many errors (20); stopping here\n");
    fe_diags_are(src, want);
}
END_TEST

/* Input that ends inside an open bracket or after a binary operator tells
 * the REPL to read on; a complete erroneous line does not. */
START_TEST(incomplete_input)
{
    static const char *const incomplete[] = {
        "x = (1 +", "x = 1 +", "x = 1 +\n", "x = [1, 2", "x = f(a,\n", "x = {a: 1,",
        "material m {\n  unit: t\n", "fn f() {", "if x {\n  y = 1\n", "x = 1 and",
        "x = if a then b", "lane A ->", "policy p {\n  tariff 25% on",
    };
    static const char *const complete[] = {
        "x = 1 + )", "x = @", "x = )\n", "x = [1, 2)", "}", "x = \"abc",
        /* another error before the end: more lines cannot help */
        "x = )\ny = (1 +", "x = (40 kts +",
        /* a report ends at its line */
        "report gap for",
    };
    bool inc;
    for (size_t i = 0; i < sizeof incomplete / sizeof incomplete[0]; i++) {
        ck_assert_msg(fe_parse_status(incomplete[i], &inc, NULL) == 1, "%s: not one error", incomplete[i]);
        ck_assert_msg(inc, "not incomplete: %s", incomplete[i]);
    }
    for (size_t i = 0; i < sizeof complete / sizeof complete[0]; i++) {
        ck_assert_msg(fe_parse_status(complete[i], &inc, NULL) >= 1, "%s: no error", complete[i]);
        ck_assert_msg(!inc, "incomplete: %s", complete[i]);
    }
    ck_assert_int_eq(fe_parse_status("x = 1\n", &inc, NULL), 0);
    ck_assert(!inc);
}
END_TEST

/* Nesting beyond the limits is an error, never a crash. */
START_TEST(nesting_limits)
{
    size_t n = 5000;
    char *src = malloc(2 * n + 16);
    strcpy(src, "x = ");
    memset(src + 4, '(', n);
    strcpy(src + 4 + n, "1");
    memset(src + 5 + n, ')', n);
    src[5 + 2 * n] = '\0';
    char *ast, *diags;
    ck_assert(!tu_parse(src, &ast, &diags));
    ck_assert_msg(strncmp(diags, "test.ons:1:205: error: brackets are nested more than 200 levels deep\n", 69) == 0,
                  "%.200s", diags);
    free(ast);
    free(diags);
    /* no brackets: unary minus 30000 deep */
    memset(src + 4, '-', n);
    strcpy(src + 4 + n, "1");
    ck_assert(!tu_parse(src, &ast, &diags));
    ck_assert_msg(strstr(diags, "error: expression is nested more than 1000 levels deep\n") != NULL ||
                      strstr(diags, "error: the program is nested too deeply to parse\n") != NULL,
                  "%.200s", diags);
    free(ast);
    free(diags);
    free(src);
}
END_TEST

Suite *make_syntax_errors_suite(void)
{
    Suite *s = suite_create("syntax_errors");
    TCase *tc = tcase_create("messages");
    tcase_add_loop_test(tc, one_error, 0, N_CASES(errors));
    suite_add_tcase(s, tc);

    tc = tcase_create("recovery");
    tcase_add_test(tc, three_independent_errors);
    tcase_add_test(tc, unclosed_block_then_an_error);
    tcase_add_test(tc, lexical_and_syntax_errors);
    tcase_add_test(tc, too_many_errors);
    tcase_add_test(tc, incomplete_input);
    tcase_add_test(tc, nesting_limits);
    suite_add_tcase(s, tc);
    return s;
}
