/* The scanner (spec §1-§2), seen through the AST dump: quantity literals of
 * every unit, numbers, strings, comments, the `t` rule, and the scanner's
 * own error messages with their exact carets. */
#include "tests.h"

#include "fe_util.h"

typedef struct Case {
    const char *src, *want;
} Case;

#define N_CASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Every unit of the §2 table, in base units: t, kWh, $, yr, km. */
static const Case units[] = {
    {"x = 40 g", "(assign (ident x) (num 0.00004 [t]))"},
    {"x = 40 kg", "(assign (ident x) (num 0.04 [t]))"},
    {"x = 40 t", "(assign (ident x) (num 40 [t]))"},
    {"x = 40 kt", "(assign (ident x) (num 40000 [t]))"},
    {"x = 40 Mt", "(assign (ident x) (num 40000000 [t]))"},
    {"x = 40 Wh", "(assign (ident x) (num 0.04 [kWh]))"},
    {"x = 40 kWh", "(assign (ident x) (num 40 [kWh]))"},
    {"x = 40 MWh", "(assign (ident x) (num 40000 [kWh]))"},
    {"x = 40 GWh", "(assign (ident x) (num 40000000 [kWh]))"},
    {"x = 40 TWh", "(assign (ident x) (num 40000000000 [kWh]))"},
    {"x = 40 $", "(assign (ident x) (num 40 [$]))"},
    {"x = 40 USD", "(assign (ident x) (num 40 [$]))"},
    {"x = 40 k$", "(assign (ident x) (num 40000 [$]))"},
    {"x = 40 M$", "(assign (ident x) (num 40000000 [$]))"},
    {"x = 40 B$", "(assign (ident x) (num 40000000000 [$]))"},
    {"x = 73 d", "(assign (ident x) (num 0.2 [yr]))"},
    {"x = 6 mo", "(assign (ident x) (num 0.5 [yr]))"},
    {"x = 40 yr", "(assign (ident x) (num 40 [yr]))"},
    {"x = 40 km", "(assign (ident x) (num 40 [km]))"},
    {"x = 40 %", "(assign (ident x) (num 0.4 %))"},
    {"x = 40 ppm", "(assign (ident x) (num 0.00004))"},
};

START_TEST(every_unit)
{
    fe_ast_is(units[_i].src, units[_i].want);
}
END_TEST

/* Compound units of §2, and the spec's own examples of §1. */
static const Case compounds[] = {
    {"x = 40 kt/yr", "(assign (ident x) (num 40000 [t/yr]))"},
    {"x = 35 $/kWh", "(assign (ident x) (num 35 [$/kWh]))"},
    {"x = 3 %/yr", "(assign (ident x) (num 0.03 [1/yr] %))"}, /* a share per year: prints 3%/yr */
    {"x = 1.55 kt/GWh", "(assign (ident x) (num 0.00155 [t/kWh]))"},
    {"x = 5 t*km", "(assign (ident x) (num 5 [t*km]))"},
    {"x = 11 k$/t", "(assign (ident x) (num 11000 [$/t]))"},
    {"x = 80 kt/yr", "(assign (ident x) (num 80000 [t/yr]))"},
    {"x = 1.6 TWh", "(assign (ident x) (num 1600000000 [kWh]))"},
    {"x = 2 yr", "(assign (ident x) (num 2 [yr]))"},
    {"x = 100 GWh/yr", "(assign (ident x) (num 100000000 [kWh/yr]))"},
    /* t/t cancels to a dimensionless ratio */
    {"x = 1.1 t/t", "(assign (ident x) (num 1.1))"},
    /* no space needed, and a tab is a space */
    {"x = 40kt/yr", "(assign (ident x) (num 40000 [t/yr]))"},
    {"x = 40\tkt", "(assign (ident x) (num 40000 [t]))"},
    /* a unit then an operator: the operator is not part of the unit */
    {"x = 3 $ + 1", "(assign (ident x) (binary + (num 3 [$]) (num 1)))"},
    {"x = 4 kt / 2 yr", "(assign (ident x) (binary / (num 4000 [t]) (num 2 [yr])))"},
};

START_TEST(compound_units)
{
    fe_ast_is(compounds[_i].src, compounds[_i].want);
}
END_TEST

START_TEST(numbers)
{
    fe_ast_is("x = 42", "(assign (ident x) (num 42))");
    fe_ast_is("x = 1.6", "(assign (ident x) (num 1.6))");
    fe_ast_is("x = 80_000", "(assign (ident x) (num 80000))");
    fe_ast_is("x = 2.5e3", "(assign (ident x) (num 2500))");
    fe_ast_is("x = 1e-6", "(assign (ident x) (num 1e-6))");
    fe_ast_is("x = 2.5E+3", "(assign (ident x) (num 2500))");
    fe_ast_is("x = 1_000.000_5", "(assign (ident x) (num 1000.0005))");
    fe_ast_is("x = 0", "(assign (ident x) (num 0))");
    /* a year is just a number */
    fe_ast_is("y = 2030", "(assign (ident y) (num 2030))");
}
END_TEST

START_TEST(range_is_not_a_float)
{
    fe_ast_is("r = 2024..2030", "(assign (ident r) (binary .. (num 2024) (num 2030)))");
    fe_ast_is("r = 1.5..2", "(assign (ident r) (binary .. (num 1.5) (num 2)))");
    fe_ast_is("r = 2024 .. 2030", "(assign (ident r) (binary .. (num 2024) (num 2030)))");
    fe_ast_is("r = a..b", "(assign (ident r) (binary .. (ident a) (ident b)))");
}
END_TEST

START_TEST(strings)
{
    fe_ast_is("s = \"plain\"", "(assign (ident s) (str \"plain\"))");
    fe_ast_is("s = \"\"", "(assign (ident s) (str \"\"))");
    /* the dump writes the four escapes back the way they were written */
    fe_ast_is("s = \"a\\nb\"", "(assign (ident s) (str \"a\\nb\"))");
    fe_ast_is("s = \"a\\tb\"", "(assign (ident s) (str \"a\\tb\"))");
    fe_ast_is("s = \"say \\\"hi\\\"\"", "(assign (ident s) (str \"say \\\"hi\\\"\"))");
    fe_ast_is("s = \"C:\\\\dir\"", "(assign (ident s) (str \"C:\\\\dir\"))");
    fe_ast_is("s = \"a\\nb\\tc\\\"d\\\\e\"", "(assign (ident s) (str \"a\\nb\\tc\\\"d\\\\e\"))");
    /* '#' and '%' inside a string are text; so is UTF-8 */
    fe_ast_is("s = \"# 25% é\"", "(assign (ident s) (str \"# 25% é\"))");
}
END_TEST

START_TEST(comments)
{
    fe_ast_is("# a whole line\nx = 1 # after code\n  # indented\ny = 2 #",
              "(assign (ident x) (num 1))\n(assign (ident y) (num 2))\n");
    /* nothing in a comment is scanned: quotes, '%', '!' and UTF-8 */
    fe_ast_is("x = 1 # \"unclosed % ! && é\n", "(assign (ident x) (num 1))");
    /* a comment ends a quantity's line: the unit is not looked for further */
    fe_ast_is("x = 5 # kt\n", "(assign (ident x) (num 5))");
    fe_ast_is("", "");
    fe_ast_is("# only a comment", "");
    fe_ast_is("\n\n   \n", "");
}
END_TEST

/* `t` is a unit only right after a number, on its line (§1). */
START_TEST(t_is_a_unit_only_after_a_number)
{
    fe_ast_is("x = 2 t", "(assign (ident x) (num 2 [t]))");
    fe_ast_is("t = 5", "(assign (ident t) (num 5))");
    fe_ast_is("let t = 2 t", "(let t (num 2 [t]))");
    fe_ast_is("x = t * 2 t", "(assign (ident x) (binary * (ident t) (num 2 [t])))");
    fe_ast_is("f(2 t, t)", "(expr (call (ident f) (arg (num 2 [t])) (arg (ident t))))");
    /* on the next line, t is a name again */
    fe_ast_is("x = 2\nt = 3", "(assign (ident x) (num 2))\n(assign (ident t) (num 3))\n");
    fe_ast_is("x = 2\nkt", "(assign (ident x) (num 2))\n(expr (ident kt))\n");
    /* the same for a word that follows and starts the next item */
    fe_ast_is("x = 1 y = 2", "(assign (ident x) (num 1))\n(assign (ident y) (num 2))\n");
    fe_ast_is("m = {a: 1 b: 2}",
              "(assign (ident m) (map (pair (ident a) (num 1)) (pair (ident b) (num 2))))");
    /* keywords are never units */
    fe_ast_is("x = 5 mod 2", "(assign (ident x) (binary mod (num 5) (num 2)))");
    fe_ast_is("x = y at 2030", "(assign (ident x) (binary at (ident y) (num 2030)))");
}
END_TEST

START_TEST(tons_is_not_t)
{
    fe_diags_are("x = 2 tons",
                 "test.ons:1:7: error: unknown unit 'tons'; did you mean 't'?\n"
                 "    1 | x = 2 tons\n"
                 "      |       ^~~~\n");
}
END_TEST

START_TEST(percent)
{
    fe_ast_is("x = 25%", "(assign (ident x) (num 0.25 %))");
    fe_ast_is("x = 25 %", "(assign (ident x) (num 0.25 %))");
    fe_ast_is("x = 100%", "(assign (ident x) (num 1 %))");
    /* a percentage followed by a map key or a keyword is still one */
    fe_ast_is("s = step {2024: 50% 2025: 60%}",
              "(assign (ident s) (series step (pair (num 2024) (num 0.5 %)) (pair (num 2025) (num 0.6 %))))");
    fe_ast_is("m = {a: 5% b: 2}",
              "(assign (ident m) (map (pair (ident a) (num 0.05 %)) (pair (ident b) (num 2))))");
}
END_TEST

START_TEST(percent_alone)
{
    fe_diags_are("x = a % b",
                 "test.ons:1:7: error: '%' is a unit and needs a number before it (25%); the remainder operator is 'mod'\n"
                 "    1 | x = a % b\n"
                 "      |       ^\n");
    fe_diags_are("x = %",
                 "test.ons:1:5: error: '%' is a unit and needs a number before it (25%); the remainder operator is 'mod'\n"
                 "    1 | x = %\n"
                 "      |     ^\n");
}
END_TEST

/* `7 % 3` would silently be 7 percent followed by a statement `3`. */
START_TEST(percent_as_remainder)
{
    fe_diags_are("x = 7 % 3",
                 "test.ons:1:7: error: '%' is a unit, so '7 %' means 7 percent; the remainder operator is 'mod'\n"
                 "    1 | x = 7 % 3\n"
                 "      |       ^\n");
    fe_diags_are("x = 10% n",
                 "test.ons:1:7: error: '%' is a unit, so '10 %' means 10 percent; the remainder operator is 'mod'\n"
                 "    1 | x = 10% n\n"
                 "      |       ^\n");
    fe_diags_are("x = 7 % (a + 1)",
                 "test.ons:1:7: error: '%' is a unit, so '7 %' means 7 percent; the remainder operator is 'mod'\n"
                 "    1 | x = 7 % (a + 1)\n"
                 "      |       ^\n");
}
END_TEST

static const Case unknown_units[] = {
    {"x = 40 kts",
     "test.ons:1:8: error: unknown unit 'kts'; did you mean 'kt'?\n"
     "    1 | x = 40 kts\n"
     "      |        ^~~\n"},
    {"x = 5 mt",
     "test.ons:1:7: error: unknown unit 'mt'; did you mean 'Mt'?\n"
     "    1 | x = 5 mt\n"
     "      |       ^~\n"},
    {"x = 3 kwh",
     "test.ons:1:7: error: unknown unit 'kwh'; did you mean 'kWh'?\n"
     "    1 | x = 3 kwh\n"
     "      |       ^~~\n"},
    {"x = 40 kt/yrs",
     "test.ons:1:11: error: unknown unit 'yrs'; did you mean 'yr'?\n"
     "    1 | x = 40 kt/yrs\n"
     "      |           ^~~\n"},
    {"x = 3 years",
     "test.ons:1:7: error: unknown unit 'years'; did you mean 'yr'?\n"
     "    1 | x = 3 years\n"
     "      |       ^~~~~\n"},
    {"x = 5 banana",
     "test.ons:1:7: error: unknown unit 'banana' after a number (units are listed by :help units)\n"
     "    1 | x = 5 banana\n"
     "      |       ^~~~~~\n"},
    {"capacity = 5 GWH/yr + 1",
     "test.ons:1:14: error: unknown unit 'GWH'; did you mean 'GWh'?\n"
     "    1 | capacity = 5 GWH/yr + 1\n"
     "      |              ^~~\n"},
};

START_TEST(unknown_unit_did_you_mean)
{
    fe_diags_are(unknown_units[_i].src, unknown_units[_i].want);
}
END_TEST

START_TEST(eur_hint)
{
    fe_diags_are("x = 10 EUR",
                 "test.ons:1:8: error: unsupported unit 'EUR': Onshore has one currency, USD: convert "
                 "euros to $ at the rate you assume (e.g. 100 EUR at 1.08 is 108 $)\n"
                 "    1 | x = 10 EUR\n"
                 "      |        ^~~\n");
    fe_diags_are("p = 10 EUR/t",
                 "test.ons:1:8: error: unsupported unit 'EUR': Onshore has one currency, USD: convert "
                 "euros to $ at the rate you assume (e.g. 100 EUR at 1.08 is 108 $)\n"
                 "    1 | p = 10 EUR/t\n"
                 "      |        ^~~\n");
    fe_diags_are("p = 10 k$/EUR",
                 "test.ons:1:11: error: unsupported unit 'EUR': Onshore has one currency, USD: convert "
                 "euros to $ at the rate you assume (e.g. 100 EUR at 1.08 is 108 $)\n"
                 "    1 | p = 10 k$/EUR\n"
                 "      |           ^~~\n");
}
END_TEST

START_TEST(string_errors)
{
    fe_diags_are("s = \"a\\qb\"",
                 "test.ons:1:7: error: unknown escape '\\q' in a string (known: \\n \\t \\\" \\\\)\n"
                 "    1 | s = \"a\\qb\"\n"
                 "      |       ^~\n");
    fe_diags_are("s = \"abc\ny = 2",
                 "test.ons:1:5: error: unterminated string: a string must end with '\"' on the same "
                 "line (write \\n for a line break)\n"
                 "    1 | s = \"abc\n"
                 "      |     ^~~~\n");
    /* a backslash at the very end does not escape the end of input */
    fe_diags_are("s = \"abc\\",
                 "test.ons:1:5: error: unterminated string: a string must end with '\"' on the same "
                 "line (write \\n for a line break)\n"
                 "    1 | s = \"abc\\\n"
                 "      |     ^~~~~\n");
}
END_TEST

START_TEST(non_ascii_outside_strings)
{
    /* the caret counts characters, not bytes */
    fe_diags_are("s = \"é\" + café",
                 "test.ons:1:14: error: unexpected non-ASCII text outside a string or comment\n"
                 "    1 | s = \"é\" + café\n"
                 "      |              ^\n");
    fe_diags_are("x = 40 → 50",
                 "test.ons:1:8: error: unexpected non-ASCII text outside a string or comment\n"
                 "    1 | x = 40 → 50\n"
                 "      |        ^\n");
    fe_diags_are("x = \"\xff\"",
                 "test.ons:1:6: error: invalid UTF-8 byte 0xff: Onshore source must be UTF-8\n"
                 "    1 | x = \"?\"\n" /* a bad byte is quoted as '?', never raw */
                 "      |      ^\n");
}
END_TEST

START_TEST(c_operators)
{
    fe_diags_are("x = !a",
                 "test.ons:1:5: error: unexpected '!': write 'not' for negation, '!=' for 'not equal'\n"
                 "    1 | x = !a\n"
                 "      |     ^\n");
    fe_diags_are("x = a && b",
                 "test.ons:1:7: error: unexpected '&&': write 'and'\n"
                 "    1 | x = a && b\n"
                 "      |       ^~\n");
    fe_diags_are("x = a || b",
                 "test.ons:1:7: error: unexpected '||': write 'or'\n"
                 "    1 | x = a || b\n"
                 "      |       ^~\n");
    fe_ast_is("x = a != b", "(assign (ident x) (binary != (ident a) (ident b)))");
}
END_TEST

START_TEST(other_lexical_errors)
{
    fe_diags_are("x = 1 @ 2",
                 "test.ons:1:7: error: unexpected character '@'\n"
                 "    1 | x = 1 @ 2\n"
                 "      |       ^\n");
    fe_diags_are("x = \x01",
                 "test.ons:1:5: error: unexpected control character 0x01\n"
                 "    1 | x = ?\n"
                 "      |     ^\n");
    fe_diags_are("x = 1e999",
                 "test.ons:1:5: error: number 1e999 is too large\n"
                 "    1 | x = 1e999\n"
                 "      |     ^~~~~\n");
    fe_diags_are("x = 80_000_",
                 "test.ons:1:5: error: a '_' in a number must stand between two digits (80_000)\n"
                 "    1 | x = 80_000_\n"
                 "      |     ^~~~~~~\n");
    fe_diags_are("x = 1__0",
                 "test.ons:1:5: error: a '_' in a number must stand between two digits (80_000)\n"
                 "    1 | x = 1__0\n"
                 "      |     ^~~~\n");
    /* a tab before the error is copied into the caret line; the column
     * counts a tab to the next multiple of 8 (GCC's display column, Vim's %v) */
    fe_diags_are("\tx = 1 +\t@",
                 "test.ons:1:17: error: unexpected character '@'\n"
                 "    1 | \tx = 1 +\t@\n"
                 "      | \t       \t^\n");
}
END_TEST

/* Scanner errors are reported once and parsing goes on at the next line. */
START_TEST(lexical_errors_recover)
{
    fe_diags_are("x = 1 @ 2\ny = 3\nz = $\n",
                 "test.ons:1:7: error: unexpected character '@'\n"
                 "    1 | x = 1 @ 2\n"
                 "      |       ^\n"
                 "test.ons:3:5: error: unexpected character '$'\n"
                 "    3 | z = $\n"
                 "      |     ^\n");
}
END_TEST

Suite *make_lexer_suite(void)
{
    Suite *s = suite_create("lexer");
    TCase *tc = tcase_create("literals");
    tcase_add_loop_test(tc, every_unit, 0, N_CASES(units));
    tcase_add_loop_test(tc, compound_units, 0, N_CASES(compounds));
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, range_is_not_a_float);
    tcase_add_test(tc, strings);
    tcase_add_test(tc, comments);
    tcase_add_test(tc, t_is_a_unit_only_after_a_number);
    tcase_add_test(tc, percent);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, tons_is_not_t);
    tcase_add_test(tc, percent_alone);
    tcase_add_test(tc, percent_as_remainder);
    tcase_add_loop_test(tc, unknown_unit_did_you_mean, 0, N_CASES(unknown_units));
    tcase_add_test(tc, eur_hint);
    tcase_add_test(tc, string_errors);
    tcase_add_test(tc, non_ascii_outside_strings);
    tcase_add_test(tc, c_operators);
    tcase_add_test(tc, other_lexical_errors);
    tcase_add_test(tc, lexical_errors_recover);
    suite_add_tcase(s, tc);
    return s;
}
