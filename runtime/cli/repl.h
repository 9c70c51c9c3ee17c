/* The interactive REPL (spec §8, docs/repl.md). */
#ifndef ONS_RUNTIME_REPL_H
#define ONS_RUNTIME_REPL_H

#include "vm.h"

/* Runs the REPL on *vm until :quit or the end of input: with libedit on a
 * terminal, otherwise line by line with no prompts.  files are the files
 * already run (-i), which :reload reloads.  :reset and :reload replace the
 * session, so *vm is updated; the caller frees it.  Returns the exit status:
 * 0, or off a terminal 1 when an entry failed. */
int repl_main(OnsVM **vm, const char *const *files, int nfiles);

#endif
