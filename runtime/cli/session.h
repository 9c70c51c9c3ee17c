/* Running source text in a session: compile, run, report errors.  Shared
 * by the command line, the REPL and the tests. */
#ifndef ONS_RUNTIME_SESSION_H
#define ONS_RUNTIME_SESSION_H

#include "vm.h"

typedef struct OnsRunOptions {
    bool repl;        /* a REPL entry: redeclare, echo the value of a final expression */
    bool check_only;  /* compile and check, do not run */
} OnsRunOptions;

/* Compiles and runs src (the VM takes it).  Diagnostics and runtime errors
 * are printed on vm->err; REPL acknowledgements and echoes on vm->out. */
OnsStatus session_run(OnsVM *vm, OnsSource *src, const OnsRunOptions *opts);

/* What loading a file into a session declared (session_load). */
typedef struct OnsLoadStats {
    int declared;     /* entities declared (stages, classes and named declarations) */
    int replaced;     /* of which replaced an earlier declaration */
} OnsLoadStats;

/* Runs a whole file in a session with REPL rules (declaring a name again
 * replaces it) but prints no acknowledgements and no echo: `:load`, `-i`. */
OnsStatus session_load(OnsVM *vm, OnsSource *src, OnsLoadStats *stats);


/* A fresh, empty session configured like vm: same output sinks, module
 * folders, seed, limits, report format and interrupt flag (:reset, :reload). */
OnsVM *session_vm_like(const OnsVM *vm);
/* A VM with an empty model attached (model_attach): what every session runs on. */
OnsVM *session_vm_new(OnsOut *out, OnsOut *err);

/* Reads a file (or "-" for stdin) into a new source. */
OnsStatus session_load_file(OnsVM *vm, const char *path, OnsSource **out);

/* The process exit status for a status (spec §8): 0, 1 for errors in the
 * program, 2 for usage and I/O. */
int session_exit_code(OnsStatus st);

/* Adds module folders from a colon-separated list (ONSHORE_PATH). */
void session_add_module_dirs(OnsVM *vm, const char *list);

#endif
