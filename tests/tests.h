/* Shared declarations of the Check suites and their helpers. */
#ifndef ONS_TESTS_TESTS_H
#define ONS_TESTS_TESTS_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#define SUITE(fn, name, valgrind) Suite *fn(void);
#include "suites.def"
#undef SUITE

/* The result of running the onshore binary. */
typedef struct TuResult {
    int status;      /* exit status, or 128+signal when killed */
    char *out, *err; /* captured stdout and stderr, NUL-terminated; free with tu_result_free */
} TuResult;

/* Path of the binary under test ($ONSHORE_BIN) and of the checkout ($ONSHORE_ROOT). */
const char *tu_bin(void);
const char *tu_root(void);
/* A path inside the checkout; the result is static storage of the helper, overwritten by the next call. */
const char *tu_path(const char *rel);

/* Runs the binary with argv (NULL-terminated, without argv[0]) and stdin_text
 * (NULL for /dev/null), with a 20 s limit; the environment gets env_extra
 * (NULL or "NAME=value" strings, NULL-terminated). */
void tu_run(const char *const *args, const char *stdin_text, const char *const *env_extra, TuResult *r);
/* The same with stdout sent to stdout_path (say /dev/full) rather than captured. */
void tu_run_to(const char *stdout_path, const char *const *args, const char *stdin_text,
               const char *const *env_extra, TuResult *r);
void tu_result_free(TuResult *r);

/* Reads a whole file; NULL when it cannot; free() the result. */
char *tu_read_file(const char *path, size_t *len);
/* The length of [s, s+n) without its trailing blanks, CRs and line ends
 * (a transcript compares lines as a Markdown editor keeps them). */
size_t tu_trimmed(const char *s, size_t n);
/* A fresh temporary folder named PREFIX-XXXXXX under $TMPDIR (or /tmp);
 * free it, and what is in it, with tu_remove_dir. */
char *tu_make_dir(const char *prefix);
void tu_remove_dir(char *dir);
/* Writes text to a fresh temporary file and returns its path (static buffer per call slot 0..3). */
const char *tu_temp_file(int slot, const char *suffix, const char *text);

/* Parses text as a source named "test.ons"; returns the AST dump (one item a
 * line) and the rendered diagnostics.  Free both with free(). */
bool tu_parse(const char *text, char **ast, char **diags);

#endif
