/* The one Check runner: every suite of tests/suites.def in one SRunner, so
 * there is a single closing "Checks: N" line.  Fails when no test ran. */
#include "tests.h"

#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    SRunner *sr = srunner_create(NULL);
#define SUITE(fn, name, valgrind) srunner_add_suite(sr, fn());
#include "suites.def"
#undef SUITE
    srunner_run_all(sr, CK_ENV);
    int run = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (run == 0) {
        fprintf(stderr, "check_all: no test ran (is CK_RUN_SUITE or CK_RUN_CASE misspelt?)\n");
        return EXIT_FAILURE;
    }
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
