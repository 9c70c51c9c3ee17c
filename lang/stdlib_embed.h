/* The standard library modules compiled into the binary (tools/embed.c). */
#ifndef ONS_RUNTIME_STDLIB_EMBED_H
#define ONS_RUNTIME_STDLIB_EMBED_H

#include <stddef.h>

typedef struct OnsEmbeddedModule {
    const char *name;   /* "battery" for `import battery` */
    const char *path;   /* shown in diagnostics: "stdlib/battery.ons" */
    const char *text;
    size_t len;
} OnsEmbeddedModule;

/* Terminated by an entry whose name is NULL. */
extern const OnsEmbeddedModule ons_stdlib_modules[];

#endif
