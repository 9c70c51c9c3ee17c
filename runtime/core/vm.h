/* The virtual machine: state of one Onshore session (a script run or a REPL
 * session).  No globals: everything hangs off an OnsVM passed explicitly. */
#ifndef ONS_RUNTIME_VM_H
#define ONS_RUNTIME_VM_H

#include "object.h"
#include "output.h"

#include <signal.h>

/* Limits (docs/limits.md). */
#ifndef ONS_STACK_SLOTS
#define ONS_STACK_SLOTS (1u << 20)   /* registers of all active calls */
#endif
#ifndef ONS_MAX_FRAMES
#define ONS_MAX_FRAMES 20000         /* nested calls ("deep recursion") */
#endif
#define ONS_MAX_NATIVE_DEPTH 180     /* natives calling back into the VM */
#ifndef ONS_MAX_LIST                 /* the fuzz build lowers these two */
#define ONS_MAX_LIST (1u << 26)      /* elements in one list or map */
#endif
#ifndef ONS_MAX_STRING
#define ONS_MAX_STRING (1u << 28)    /* bytes in one string */
#endif

typedef enum OnsGlobalKind {
    ONS_GLOBAL_VAR,     /* let, x = e, fn */
    ONS_GLOBAL_ENTITY   /* a declared entity: read-only */
} OnsGlobalKind;

typedef struct OnsGlobal {
    OnsString *name;
    uint8_t kind;       /* OnsGlobalKind */
    bool is_fn;
    bool watched;       /* read by a watched computation (watch.h): a write moves inputs_version */
    uint32_t watch_stamp; /* the watch that last logged a read of it */
    bool skipped;       /* unset because the statement that sets it was skipped (vm_skip) */
    bool preset;        /* set by -D NAME=VALUE: a file's top-level `let NAME` keeps it */
    OnsSource *src;     /* where it was declared (notes), may be NULL */
    OnsSpan span;
} OnsGlobal;

typedef struct OnsFrame {
    OnsClosure *closure;
    const uint32_t *pc;  /* next instruction */
    OnsValue *base;      /* R[0]; the callee itself sits at base[-1] */
    bool c_boundary;     /* entered from C (vm_call): RETURN leaves the loop */
} OnsFrame;

/* One frame of a runtime error's trace. */
typedef struct OnsTraceEntry {
    OnsSource *src;
    OnsSpan span;
    char *fn_name;
    int repeats;         /* the same call this many times in a row (recursion) */
} OnsTraceEntry;

typedef struct OnsError {
    bool set;
    char *msg;
    OnsSource *src;      /* where, or NULL */
    OnsSpan span;
    OnsTraceEntry *trace; /* callers, innermost first */
    int ntrace;
    int omitted;         /* callers left out between the innermost and the outermost kept */
    int omitted_at;      /* the trace index the left-out ones would stand before */
    bool interrupted;
    bool io;             /* a file could not be written: exit status 2, as for other I/O */
    bool skip;           /* vm_skip: the statement is left out, the program goes on (vm->skipping) */
    int32_t script_pc;   /* the instruction of the file's top level running then, or -1 */
} OnsError;

/* ---- the host: what the VM needs from the layer above it ----
 * The VM runs bytecode over values, entity references among them, but knows
 * no model.  The model registers itself at start-up (model_attach): its GC
 * roots, entity names, `entity.property`, and the operations of the HOST
 * instruction (run, report, explain), numbered by the layer that emits them.
 * Without a host, entities print as "?" and HOST is an error. */
typedef OnsStatus (*OnsHostOpFn)(OnsVM *vm, OnsValue *args, int nargs); /* the result goes in args[0] */
typedef struct OnsHostOp {
    const char *name;     /* in disassembly: "run" */
    const char *action;   /* in a trace, what was being done: "the run" */
    OnsHostOpFn fn;
} OnsHostOp;

typedef struct OnsHost {
    void *ctx;                                     /* the host's state (the model) */
    void (*mark)(OnsVM *vm);                       /* marks the values the host holds */
    const char *(*entity_name)(const OnsVM *vm, OnsEntityKind kind, uint32_t index);
    OnsStatus (*get_property)(OnsVM *vm, OnsValue entity, OnsString *name, OnsValue *out);
    void (*free)(OnsVM *vm);                       /* frees ctx, at vm_free */
    const OnsHostOp *ops;
    uint32_t nops;
} OnsHost;

typedef struct OnsVM {
    /* registers and calls */
    OnsValue *stack;
    OnsValue *stack_end;
    OnsValue *top;            /* first register not in use by any active frame */
    OnsFrame *frames;
    int nframes;
    int native_depth;
    OnsUpvalue *open_upvalues;

    /* globals: values in a flat array indexed by slot, names in a hash */
    OnsValue *gvals;
    OnsGlobal *globals;
    uint32_t nglobals, globals_cap;
    int32_t *gindex;
    uint32_t gindex_cap;
    OnsMap *builtins;         /* name string -> native */

    /* interned strings: open addressing, NULL empty, TOMB deleted */
    OnsString **strings;
    uint32_t nstrings, strings_cap, strings_tombs;

    /* collector */
    OnsObj *objects;
    size_t bytes_allocated, next_gc;
    OnsObj **gray;
    size_t ngray, gray_cap;
    OnsValue *roots;          /* temporary roots pushed by natives and the compiler */
    size_t nroots, roots_cap;

    /* the session */
    OnsHost host;             /* the model, registered by model_attach */
    OnsSource **sources;      /* every source compiled in this session, owned */
    size_t nsources, sources_cap;
    OnsValue year;            /* nil, or the year `year` reads */
    OnsOut *out;              /* program output */
    OnsOut *err;              /* diagnostics */
    OnsOut *print_out;        /* where print() writes, when not out (--format json: err) */
    OnsError error;

    /* what watched computations (runs) read: watch.h */
    uint64_t inputs_version;  /* moves when something a watched computation read is written */
    uint32_t *read_log;       /* globals read while watching, in order of first read */
    size_t nread_log, read_log_cap;
    uint32_t watching;        /* > 0 while one runs */
    uint32_t watch_stamp;     /* the innermost one's number */
    uint32_t watch_serial;    /* the last number given */

    /* limits and interrupts */
    uint64_t steps, max_steps;        /* max_steps 0: unlimited */
    uint64_t check_at;                /* steps at which to poll interrupt and budget next */
    volatile sig_atomic_t *interrupt; /* set by a SIGINT handler, or NULL */
    uint64_t seed, rng;
    long jobs;                        /* --jobs: workers of a sweep (0: ONSHORE_JOBS, else every core) */
    const char *default_format;       /* --format */
    const char *sweep_dir;            /* --sweep-dir: where sweep parts are written (--shard) or read */
    uint32_t shard_k, shard_n;        /* --shard K/N (shard_n 0: no shard) */

    /* skipping statements (sharded sweeps): a statement whose work cannot be
     * done in this process raises vm_skip; when `skipping` (below) is on,
     * vm_run leaves the rest of that top-level statement out, unsets the
     * globals it would set, and goes on with the next */
    uint32_t *skipped_lines;          /* the first line of each statement left out */
    size_t skipped_cap;
    uint32_t nskipped;
    int script_frame;                 /* the frame of the running file's top level, or -1 */

    /* modules: where `import` looks, and which are loaded (name -> true while
     * loading, name -> false once loaded) */
    char **module_dirs;
    size_t nmodule_dirs;
    OnsMap *modules;

    /* flags, together so the struct packs */
    bool gc_paused;
    bool watch_volatile;              /* the watched run read what no write can be seen to change */
    bool seed_given;                  /* --seed was given: sweeps that name no seed use it */
    bool skipping;                    /* --shard: skip statements that raise vm_skip */
    bool announce_writes;             /* say what a `to FILE` wrote (the REPL) */
    uint32_t records_over;            /* a text table wider than this prints as records (:set wide off); 0: never */
} OnsVM;

OnsVM *vm_new(OnsOut *out, OnsOut *err);
void vm_free(OnsVM *vm);
/* Starts the stream of random() for a seed (--seed N; 0 by default). */
void vm_seed(OnsVM *vm, uint64_t seed);
/* Keeps a source alive for the session (spans in protos point into it). */
void vm_adopt_source(OnsVM *vm, OnsSource *src);

/* Runs a compiled top-level function. */
OnsStatus vm_run(OnsVM *vm, OnsClosure *main, OnsValue *result);
/* Calls any callable value from C (natives, the simulation engine). */
OnsStatus vm_call(OnsVM *vm, OnsValue fn, const OnsValue *args, int nargs, OnsValue *out);
/* Calls fn with `year` set to year (property evaluation). */
OnsStatus vm_call_at_year(OnsVM *vm, OnsValue fn, double year, OnsValue *out);

/* Records a runtime error located at the instruction running now. */
OnsStatus vm_error(OnsVM *vm, const char *fmt, ...) ONS_PRINTF(2, 3);
/* vm_error for work this process leaves to another (a sharded sweep's
 * results): with vm->skipping the statement is skipped, else an error. */
OnsStatus vm_skip(OnsVM *vm, const char *fmt, ...) ONS_PRINTF(2, 3);
/* vm_error for a file the program could not write (a report's `to`). */
OnsStatus vm_io_error(OnsVM *vm, const char *fmt, ...) ONS_PRINTF(2, 3);
/* Records a runtime error at a given place (property of an entity). */
OnsStatus vm_error_at(OnsVM *vm, OnsSource *src, OnsSpan span, const char *fmt, ...)
    ONS_PRINTF(4, 5);
#ifdef __clang_analyzer__
/* All three always return ONS_ERR_RUNTIME; saying so lets clang-tidy's
 * analyzer see that `return vm_error(...)` never falls through as success. */
#define vm_error(...) (vm_error(__VA_ARGS__), ONS_ERR_RUNTIME)
#define vm_error_at(...) (vm_error_at(__VA_ARGS__), ONS_ERR_RUNTIME)
#define vm_io_error(...) (vm_io_error(__VA_ARGS__), ONS_ERR_RUNTIME)
#define vm_skip(...) (vm_skip(__VA_ARGS__), ONS_ERR_RUNTIME)
#endif
void vm_render_error(OnsVM *vm, OnsOut *out);
void vm_clear_error(OnsVM *vm);
/* Resets registers, calls and `year` after an error (REPL keeps going). */
void vm_reset(OnsVM *vm);

/* An entity's name as the host knows it ("?" without a host). */
const char *vm_entity_name(const OnsVM *vm, OnsEntityKind kind, uint32_t index);

/* Where print() writes: print_out, or out. */
static inline OnsOut *vm_print_sink(const OnsVM *vm)
{
    return vm->print_out ? vm->print_out : vm->out;
}

/* Globals. */
int32_t vm_global_find(OnsVM *vm, const char *name, size_t len);
uint32_t vm_global_add(OnsVM *vm, const char *name, size_t len, OnsGlobalKind kind);
/* Forgets the globals from slot n on (a compilation that failed added them). */
void vm_globals_truncate(OnsVM *vm, uint32_t n);
/* Builtins (natives registered by builtins.c); NULL when absent. */
OnsNative *vm_builtin(OnsVM *vm, const char *name, size_t len);
/* Registers a module's built-ins: one row each, with name, arity and the
 * static result type the compiler checks with. */
void vm_register_natives(OnsVM *vm, const OnsNativeDef *defs, size_t n);

/* Temporary roots for values held only by C code across allocations. */
void vm_push_root(OnsVM *vm, OnsValue v);
void vm_pop_roots(OnsVM *vm, size_t n);

/* Evaluates a value where a plain value is needed: a series at `year`. */
OnsStatus vm_force(OnsVM *vm, OnsValue *v);

#endif
