/* Script tests: every .ons file in the area folders of tests/scripts
 * (lang, units, values, model, policy, sim, report, errors, cli) runs through
 * the real binary in its folder, and what a user would see is compared with
 * the expectations in its comments (tests/README.md; the directives are
 * described in tests/script_check.h). */
#include "script_check.h"
#include "tests.h"

#include <stdio.h>
#include <string.h>

static char **scripts;
static int nscripts;

START_TEST(script)
{
    /* "area/name.ons": run in tests/scripts/area, as name.ons */
    char dir[4096];
    const char *slash = strchr(scripts[_i], '/');
    ck_assert(slash != NULL);
    snprintf(dir, sizeof dir, "%s/%.*s", tu_path("tests/scripts"), (int)(slash - scripts[_i]), scripts[_i]);
    script_check(dir, slash + 1);
}
END_TEST

Suite *make_scripts_suite(void)
{
    int total;
    nscripts = script_list_areas(tu_path("tests/scripts"), &scripts, &total);
    Suite *s = suite_create("scripts");
    TCase *tc = tcase_create("golden");
    script_require_cases(tc, "tests/scripts", total);
    tcase_set_timeout(tc, 30);
    if (nscripts > 0) tcase_add_loop_test(tc, script, 0, nscripts);
    suite_add_tcase(s, tc);
    return s;
}
