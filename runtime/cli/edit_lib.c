/* Loading libedit on first use: edit_lib.h says why. */
#include "edit_lib.h"
#include "dynlib.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>

const OnsEditLib *edit_lib_load(const char **why)
{
    static OnsEditLib edit;
    static void *lib;
    static int state; /* 0: not tried, 1: loaded, -1: failed */
    static char reason[512];
    if (state == 0) {
        /* the runtime library, then the development link a build machine has */
        static const char *const names[] = {"libedit.so.2", "libedit.so"};
        char err[400];
        lib = dynlib_open(names, sizeof names / sizeof names[0], true, err, sizeof err);
        state = lib ? 1 : -1;
        if (!lib) snprintf(reason, sizeof reason, "libedit cannot be loaded: %s", err);
#define ONS_EDIT_LOAD(f)                                                                                           \
    if (state == 1) {                                                                                              \
        *(void **)(&edit.f) = dlsym(lib, #f);                                                                      \
        if (!edit.f) {                                                                                             \
            state = -1;                                                                                            \
            snprintf(reason, sizeof reason, "the libedit found has no %s", #f);                                    \
        }                                                                                                          \
    }
        ONS_EDIT_FUNCTIONS(ONS_EDIT_LOAD)
#undef ONS_EDIT_LOAD
    }
    if (state < 0) {
        *why = reason;
        return NULL;
    }
    return &edit;
}
