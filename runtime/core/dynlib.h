/* Libraries loaded with dlopen on first use (COIN-OR for plans, libedit for
 * the REPL), so that a program that needs neither does not pay for them at
 * every start.  Loaded ones stay open until the program ends. */
#ifndef ONS_RUNTIME_DYNLIB_H
#define ONS_RUNTIME_DYNLIB_H

#include <stdbool.h>
#include <stddef.h>

/* The first of names that loads (RTLD_NOW | RTLD_LOCAL); NULL, with what
 * the loader said of the last in why[0..n), when none does.  Closed at exit
 * unless `keep`: a library whose own allocations outlive its last call
 * (libedit's terminal data, in libtinfo's globals) must stay loaded, or a
 * leak checker running at exit finds them unreachable. */
void *dynlib_open(const char *const *names, size_t count, bool keep, char *why, size_t n);

#endif
