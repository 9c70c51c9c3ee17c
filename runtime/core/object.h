/* Heap objects.  Every object is allocated through gc_alloc_object, lives on
 * the VM's intrusive object list and is freed only by the collector. */
#ifndef ONS_RUNTIME_OBJECT_H
#define ONS_RUNTIME_OBJECT_H

#include "source.h"
#include "value.h"

typedef struct OnsVM OnsVM;

typedef enum OnsObjType {
    ONS_OBJ_STRING,
    ONS_OBJ_LIST,
    ONS_OBJ_MAP,
    ONS_OBJ_PROTO,
    ONS_OBJ_CLOSURE,
    ONS_OBJ_UPVALUE,
    ONS_OBJ_NATIVE,
    ONS_OBJ_SERIES,
    ONS_OBJ_DATA
} OnsObjType;

struct OnsObj {
    OnsObj *next;
    uint32_t size;      /* bytes of the object block itself */
    uint8_t type;
    bool marked;
    bool watched;       /* read by a watched computation (watch.h): a store into it moves inputs_version */
};

typedef struct OnsString {
    OnsObj obj;
    uint32_t len;
    uint32_t hash;
    char chars[];
} OnsString;

typedef struct OnsList {
    OnsObj obj;
    OnsValue *items;
    uint32_t len, cap;
} OnsList;

/* Insertion-ordered hash map: entries in order, an open-addressing index. */
typedef struct OnsMapEntry {
    OnsValue key, value;
} OnsMapEntry;

typedef struct OnsMap {
    OnsObj obj;
    OnsMapEntry *entries;
    uint32_t len, cap;
    int32_t *index;     /* entry number or -1; size index_cap (a power of two) */
    uint32_t index_cap;
} OnsMap;

typedef struct OnsUpvalDesc {
    bool in_stack;      /* captures a register of the enclosing function */
    uint8_t index;      /* that register, or an upvalue of the enclosing closure */
} OnsUpvalDesc;

/* A compiled function: bytecode, constants, nested functions, and for each
 * instruction the span of source it came from (runtime errors, `dis`). */
typedef struct OnsProto {
    OnsObj obj;
    uint32_t *code;
    OnsSpan *spans;
    uint32_t ncode, code_cap;
    OnsValue *k;
    uint32_t nk, k_cap;
    struct OnsProto **protos;
    uint32_t nprotos, protos_cap;
    OnsUpvalDesc *upvals;
    uint16_t nupvals;
    uint8_t nparams;
    uint8_t maxregs;
    OnsString *name;            /* "f", "<script>", "<lambda>", "capacity of f" */
    OnsString **param_names;
    OnsSource *src;             /* owned by the VM's source list */
    OnsSpan span;
    /* a file's top level only: where each statement's code starts, and the
     * end (so statement i is stmts[i]..stmts[i+1]); for skipping one */
    uint32_t *stmts;
    uint32_t nstmts;
} OnsProto;

typedef struct OnsUpvalue {
    OnsObj obj;
    OnsValue *loc;              /* the register while open, &closed after */
    OnsValue closed;
    struct OnsUpvalue *next_open;
} OnsUpvalue;

typedef struct OnsClosure {
    OnsObj obj;
    OnsProto *proto;
    uint16_t nupvals;
    OnsUpvalue *up[];
} OnsClosure;

typedef struct OnsNamedArgs {
    int n;
    OnsString *const *names;
    const OnsValue *values;
} OnsNamedArgs;

/* A native function.  On error it calls vm_error and returns ONS_ERR_RUNTIME. */
typedef OnsStatus (*OnsNativeFn)(OnsVM *vm, const OnsValue *args, int nargs,
                                 const OnsNamedArgs *named, OnsValue *out);

/* What the compiler knows of a built-in's result before it runs (its
 * static type, for dimension checks at compile time). */
typedef enum OnsResultType {
    ONS_RES_ANY,        /* unknown */
    ONS_RES_ARG_UNIT,   /* a number in the unit of the first argument: abs, round */
    ONS_RES_ARGS_UNIT,  /* in the unit all its arguments share: min(a, b), max */
    ONS_RES_NUMBER,     /* a plain number: len, exp */
    ONS_RES_SHARE,      /* a dimensionless share, printed as %: localization */
    ONS_RES_STRING,
    ONS_RES_BOOL,
    ONS_RES_LIST
} OnsResultType;

typedef struct OnsNative {
    OnsObj obj;
    const char *name;
    OnsNativeFn fn;
    int8_t min_args, max_args;  /* max -1: any number */
    uint8_t result;             /* OnsResultType */
    const char *const *named;   /* accepted argument names (NULL-terminated) or NULL */
} OnsNative;

/* One built-in function: a row of a module's table (vm_register_natives). */
typedef struct OnsNativeDef {
    const char *name;
    OnsNativeFn fn;
    int8_t min_args, max_args;  /* max -1: any number */
    uint8_t result;             /* OnsResultType */
    const char *const *named;   /* accepted argument names, or NULL */
} OnsNativeDef;

enum { ONS_SERIES_STEP, ONS_SERIES_LINEAR };

typedef struct OnsSeries {
    OnsObj obj;
    uint8_t kind;
    uint8_t hint;
    OnsDim dim;
    uint32_t n;
    double *years;              /* ascending: points[0..n) */
    double *vals;               /* base units: points[n..2n) */
    double points[];
} OnsSeries;

/* Native data the language passes around opaquely: run results, report
 * specifications.  The class says how to mark and free it. */
typedef struct OnsDataClass {
    const char *name;           /* "run result" */
    void (*mark)(OnsVM *vm, void *ptr);
    void (*free)(void *ptr);
    size_t (*footprint)(void *ptr);   /* bytes owned outside the object, or NULL */
    void (*describe)(OnsVM *vm, void *ptr, OnsOut *out); /* how print shows it, or NULL */
} OnsDataClass;

typedef struct OnsData {
    OnsObj obj;
    const OnsDataClass *cls;
    void *ptr;
} OnsData;

#define ONS_AS_OBJ(v) ((v).as.obj)
#define ONS_OBJ_TYPE(v) ((v).as.obj->type)
static inline bool ons_is_obj(OnsValue v, OnsObjType t)
{
    return v.type == ONS_T_OBJ && v.as.obj->type == t;
}
#define ONS_AS_STRING(v) ((OnsString *)(v).as.obj)
#define ONS_AS_LIST(v) ((OnsList *)(v).as.obj)
#define ONS_AS_MAP(v) ((OnsMap *)(v).as.obj)
#define ONS_AS_PROTO(v) ((OnsProto *)(v).as.obj)
#define ONS_AS_CLOSURE(v) ((OnsClosure *)(v).as.obj)
#define ONS_AS_NATIVE(v) ((OnsNative *)(v).as.obj)
#define ONS_AS_SERIES(v) ((OnsSeries *)(v).as.obj)
#define ONS_AS_DATA(v) ((OnsData *)(v).as.obj)

/* Hashing a number key (the rule of ons_value_hash, inline for the VM). */
static inline uint32_t ons_hash_number(double d, OnsDim dim)
{
    if (d == 0) d = 0.0; /* -0 and 0 are one key */
    uint64_t bits, dims = 0;
    __builtin_memcpy(&bits, &d, sizeof bits);
    __builtin_memcpy(&dims, &dim, sizeof dim);
    uint64_t x = bits ^ (dims << 3);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

/* Strings are interned: equal text means the same object. */
OnsString *string_new(OnsVM *vm, const char *s, size_t len);
OnsString *string_cstr(OnsVM *vm, const char *s);
uint32_t string_hash(const char *s, size_t len);
/* Characters (UTF-8 code points) in a string: what len() and s[i] count. */
uint32_t string_char_count(const OnsString *s);
/* Byte offset of character i (i < string_char_count), and its length in bytes. */
uint32_t string_char_offset(const OnsString *s, uint32_t i, uint32_t *nbytes);

OnsList *list_new(OnsVM *vm, uint32_t cap);
void list_push(OnsList *l, OnsValue v);

OnsMap *map_new(OnsVM *vm);
/* Returns false (and sets nothing) when the key cannot be a key (a list, a map). */
bool map_set(OnsMap *m, OnsValue key, OnsValue value);
bool map_get(const OnsMap *m, OnsValue key, OnsValue *out);

/* map_get for a number key, the VM's fast path for m[k]. */
static inline bool map_get_number(const OnsMap *m, OnsValue key, OnsValue *out)
{
    if (m->index_cap) {
        uint32_t mask = m->index_cap - 1;
        for (uint32_t j = ons_hash_number(key.as.num, key.dim) & mask;; j = (j + 1) & mask) {
            int32_t e = m->index[j];
            if (e < 0) return false;
            const OnsValue *k = &m->entries[e].key;
            if (k->type == ONS_T_NUM && k->as.num == key.as.num && dim_eq(k->dim, key.dim)) {
                *out = m->entries[e].value;
                return true;
            }
        }
    }
    return map_get(m, key, out);
}
bool map_key_ok(OnsValue key);

OnsProto *proto_new(OnsVM *vm, OnsSource *src);
OnsClosure *closure_new(OnsVM *vm, OnsProto *proto);
OnsUpvalue *upvalue_new(OnsVM *vm, OnsValue *slot);
OnsNative *native_new(OnsVM *vm, const OnsNativeDef *def);
OnsSeries *series_new(OnsVM *vm, int kind, uint32_t n);
/* Sorts n (year, value) pairs, 2n doubles, by year; false when two years are
 * the same. */
bool series_sort_pairs(double *pairs, uint32_t n);
OnsData *data_new(OnsVM *vm, const OnsDataClass *cls, void *ptr);

/* The value of a series in a year (step: last key <= year, 0 before the
 * first; linear: interpolated, flat outside). */
double series_at(const OnsSeries *s, double year);

/* Bytes an object holds, its own block and the arrays it owns. */
size_t object_footprint(const OnsObj *o);
/* Frees one object (the collector's sweep); not for general use. */
void object_free(OnsVM *vm, OnsObj *o);

/* Prints a value as print() does: quantities at a readable scale, strings raw. */
void value_print(OnsVM *vm, OnsOut *out, OnsValue v);
/* Prints as the REPL echoes it: strings quoted. */
void value_repr(OnsVM *vm, OnsOut *out, OnsValue v);
/* Formats into buf (truncating); returns buf. */
const char *value_to_cstr(OnsVM *vm, OnsValue v, char *buf, size_t n);

#endif
