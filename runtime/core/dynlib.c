/* dlopen of the optional libraries: dynlib.h. */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

/* The handles opened, closed at exit: the loader's records are freed too
 * (memcheck counts a handle never closed as lost memory). */
static void *opened[4];
static size_t nopened;

static void close_all(void)
{
    while (nopened) dlclose(opened[--nopened]);
}

void *dynlib_open(const char *const *names, size_t count, bool keep, char *why, size_t n)
{
    void *lib = NULL;
    const char *err = NULL;
    for (size_t i = 0; i < count && !lib; i++) {
        lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib) err = dlerror(); /* one call: it clears what it returns */
    }
    if (!lib) {
        snprintf(why, n, "%s", err ? err : "not found");
        return NULL;
    }
    if (!keep && nopened < sizeof opened / sizeof opened[0]) {
        if (nopened == 0) atexit(close_all);
        opened[nopened++] = lib;
    }
    return lib;
}
