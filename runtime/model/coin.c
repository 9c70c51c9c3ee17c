/* Loading COIN-OR Cbc (which brings Clp) on first use: coin.h says why. */
#include "coin.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

static void *lib;

/* At exit: the loader's records of the libraries are freed too (memcheck
 * counts a handle never closed as lost memory). */
static void coin_unload(void)
{
    if (lib) dlclose(lib);
    lib = NULL;
}

const OnsCoin *coin_load(const char **why)
{
    static OnsCoin coin;
    static int state; /* 0: not tried, 1: loaded, -1: failed */
    static char reason[512];
    if (state == 0) {
        /* the runtime library, then the development link a build machine has */
        static const char *const names[] = {"libCbcSolver.so.3", "libCbcSolver.so"};
        for (size_t i = 0; i < sizeof names / sizeof names[0] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        state = lib ? 1 : -1;
        if (lib) atexit(coin_unload);
        if (!lib)
            snprintf(reason, sizeof reason, "plans need COIN-OR Cbc and Clp, which cannot be loaded (%s): install "
                     "coinor-libcbc-dev (Debian), as `make` does", dlerror());
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
        /* the handle stays open until the program ends (coin_unload) */
    }
    if (state < 0) {
        *why = reason;
        return NULL;
    }
    return &coin;
}
