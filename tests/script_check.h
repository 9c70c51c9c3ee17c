/* Runs one script through the real binary and compares what a user would see
 * with the expectations written in comments (the directives):
 *
 *   print(1 kt + 1 t)     # expect: 1.001 kt        one line of stdout, in order
 *   # expect error: x.ons:3:5: error: ...           a line stderr must contain, in order
 *   # expect exit: 2                                 the exit status (default 0, or 1 with errors)
 *   # expect only these errors                       stderr is exactly the expected lines
 *   # args: --seed 7                                 extra arguments; the file name follows
 *   # args only: -e                                  the whole command line: no file name added
 *   # stdin: text                                    a line of standard input
 *   # stdout: /dev/full                              standard output goes to that file
 *
 * The script runs with its folder as the working directory, so diagnostics
 * name the file without a path.  Used by tests/test_scripts.c and tests/test_bad.c. */
#ifndef ONS_TESTS_SCRIPT_CHECK_H
#define ONS_TESTS_SCRIPT_CHECK_H

#include <check.h>
#include <stdbool.h>

/* Checks dir/name.  The directives come from dir/name.expect when that
 * sidecar exists (for inputs that cannot hold comments: binary files, a
 * folder), otherwise from the script itself. */
void script_check(const char *dir, const char *name);

/* Checks dir/name against the directives in the text `directives`. */
void script_check_with(const char *dir, const char *name, const char *directives);

/* The cases in dir, sorted: every *.ons file, and, when with_sidecars, every
 * other entry NAME that has a NAME.expect beside it (a folder named *.ons
 * without one is an input of other cases, not a case).  Returns how many;
 * *names holds them (never freed: the suites keep them for their loop tests).
 * With ONS_TEST_SHARD=K/N in the environment, only every Nth case from the
 * Kth (counting from 0) is listed. */
int script_list(const char *dir, bool with_sidecars, char ***names, int *total);
/* The cases of every area folder of root (tests/scripts/lang, ...; not lib/,
 * which holds modules), as "area/name.ons", sorted by area then name;
 * sharded like script_list; *total counts them all. */
int script_list_areas(const char *root, char ***names, int *total);
/* Adds a failing test to tc when a case folder holds no case at all (total
 * is the count before sharding): a suite that tests nothing fails. */
void script_require_cases(TCase *tc, const char *dir, int total);

/* Whether case number i belongs to this process's shard (ONS_TEST_SHARD). */
bool script_in_shard(int i);

#endif
