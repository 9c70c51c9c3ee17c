/* Checks shared by the front-end suites (lexer, parser, syntax errors):
 * parse a string named "test.ons" in-process and compare the AST dump or
 * the complete rendered diagnostics. */
#ifndef ONS_TESTS_FE_UTIL_H
#define ONS_TESTS_FE_UTIL_H

#include <stdbool.h>

/* Fails the test unless src parses with no diagnostic and its AST dump (one
 * top-level item a line) is want; a missing final newline in want is added. */
void fe_ast_is(const char *src, const char *want);

/* Fails the test unless src has errors and their complete rendering
 * (message lines, quoted lines, carets, "too many errors") is want. */
void fe_diags_are(const char *src, const char *want);

/* Parses src with ons_parse directly; returns the number of errors and
 * stores OnsDiags.incomplete in *incomplete.  When dump is not NULL it gets
 * the AST dump of the items parsed, errors or not (free() it). */
int fe_parse_status(const char *src, bool *incomplete, char **dump);

#endif
