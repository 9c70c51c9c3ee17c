/* Loading COIN-OR Cbc (which brings Clp) on first use: coin.h says why. */
#include "coin.h"
#include "dynlib.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>

const OnsCoin *coin_load(const char **why)
{
    static OnsCoin coin;
    static void *lib;
    static int state; /* 0: not tried, 1: loaded, -1: failed */
    static char reason[512];
    if (state == 0) {
        /* the runtime library, then the development link a build machine has */
        static const char *const names[] = {"libCbcSolver.so.3", "libCbcSolver.so"};
        char err[300];
        lib = dynlib_open(names, sizeof names / sizeof names[0], false, err, sizeof err);
        state = lib ? 1 : -1;
        if (!lib)
            snprintf(reason, sizeof reason, "plans need COIN-OR Cbc and Clp, which cannot be loaded (%s): install "
                     "coinor-libcbc-dev (Debian), as `make` does", err);
#define ONS_COIN_LOAD(f)                                                                                           \
    if (state == 1) {                                                                                              \
        *(void **)(&coin.f) = dlsym(lib, #f);                                                                      \
        if (!coin.f) {                                                                                             \
            state = -1;                                                                                            \
            snprintf(reason, sizeof reason, "the COIN-OR library found has no %s: install coinor-libcbc-dev", #f); \
        }                                                                                                          \
    }
        ONS_COIN_FUNCTIONS(ONS_COIN_LOAD)
#undef ONS_COIN_LOAD
        /* the handle stays open until the program ends (dynlib.c closes it) */
    }
    if (state < 0) {
        *why = reason;
        return NULL;
    }
    return &coin;
}
