/* libedit, loaded with dlopen when the REPL first opens on a terminal.
 * Linked, it and what it brings (libtinfo, libbsd, libmd) cost every start
 * of onshore ~0.7 ms, a fifth of it, though a script never edits a line;
 * and a machine without libedit still runs scripts, and a REPL that reads
 * plain lines.  The header gives the types and the signatures. */
#ifndef ONS_CLI_EDIT_LIB_H
#define ONS_CLI_EDIT_LIB_H

#include <histedit.h>

#define ONS_EDIT_FUNCTIONS(X)                                                                                      \
    X(el_init) X(el_end) X(el_set) X(el_wset) X(el_get) X(el_gets) X(el_line) X(el_insertstr) X(el_source)          \
    X(history_init) X(history_end) X(history)

typedef struct OnsEditLib {
#define ONS_EDIT_POINTER(f) __typeof__(f) *f; /* NOLINT(bugprone-macro-parentheses): f names a member */
    ONS_EDIT_FUNCTIONS(ONS_EDIT_POINTER)
#undef ONS_EDIT_POINTER
} OnsEditLib;

/* libedit's functions, loaded once; NULL, with *why saying what is missing,
 * when the library cannot be loaded. */
const OnsEditLib *edit_lib_load(const char **why);

#endif
