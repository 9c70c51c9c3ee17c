/* The interactive REPL (spec §8). */
#ifndef ONS_RUNTIME_REPL_H
#define ONS_RUNTIME_REPL_H

#include "vm.h"

/* Runs the REPL on a terminal until :quit or Ctrl-D; returns the exit status. */
int repl_main(OnsVM *vm);

#endif
