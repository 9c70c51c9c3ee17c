/* Script tests: every .ons file in tests/scripts runs through the real binary
 * and what a user would see is compared with the expectations in its comments
 * (the directives are described in tests/script_check.h). */
#include "script_check.h"
#include "tests.h"

static char **scripts;
static int nscripts;

START_TEST(script)
{
    script_check(tu_path("tests/scripts"), scripts[_i]);
}
END_TEST

Suite *make_scripts_suite(void)
{
    nscripts = script_list(tu_path("tests/scripts"), false, &scripts);
    Suite *s = suite_create("scripts");
    TCase *tc = tcase_create("golden");
    tcase_set_timeout(tc, 30);
    if (nscripts > 0) tcase_add_loop_test(tc, script, 0, nscripts);
    suite_add_tcase(s, tc);
    return s;
}
