/* Internal interface of the compiler (compile.c, compile_expr.c, declare.c,
 * compile_report.c).  The compiler resolves names, infers dimensions where
 * they are static, checks declarations and emits register bytecode, in one
 * pass over each function after a pre-pass that registers top-level names. */
#ifndef ONS_LANG_COMPILER_H
#define ONS_LANG_COMPILER_H

#include "ast.h"
#include "chunk.h"
#include "diag.h"
#include "frontend.h"
#include "model.h"
#include "vm.h"

/* What the compiler knows statically about an expression's value. */
typedef enum OnsSKind {
    ST_ANY, ST_NIL, ST_BOOL, ST_NUM, ST_STR, ST_LIST, ST_MAP, ST_SERIES, ST_FN, ST_ENTITY, ST_RUN
} OnsSKind;

typedef struct OnsSType {
    uint8_t kind;          /* OnsSKind */
    bool dim_known;        /* ST_NUM, ST_SERIES: dim is certain */
    bool percent;          /* printed as a share */
    uint8_t entity;        /* ST_ENTITY: OnsEntityKind */
    OnsDim dim;
    const char *unit_text; /* a literal's unit as written, for messages */
} OnsSType;

typedef struct OnsLocal {
    const char *name;
    uint32_t len;
    uint8_t reg;
    int depth;
    bool captured;
    OnsSType type;         /* known when the local is never assigned again */
    bool assigned;
} OnsLocal;

typedef struct OnsUpvalName {
    const char *name;
    uint32_t len;
} OnsUpvalName;

/* One function being compiled. */
typedef struct OnsFnState {
    struct OnsFnState *enclosing;
    OnsProto *proto;
    OnsLocal locals[ONS_MAX_REGS];
    int nlocals;
    int depth;             /* block nesting; 0 is the function's own scope */
    int freereg;           /* first register not holding a local or a live temporary */
    OnsUpvalDesc upvals[ONS_MAX_REGS];
    OnsUpvalName upnames[ONS_MAX_REGS];
    int nupvals;
    bool is_main;          /* the top level of a file: its depth-0 names are globals */
    bool too_many_regs;    /* reported: later register shortages say nothing new */
    bool too_many_locals;  /* reported once per function */
    OnsMap *kcache;        /* constant -> index, so repeated constants share a slot */
} OnsFnState;

/* A declaration waiting to be committed to the model. */
typedef struct OnsPending {
    uint8_t kind;          /* OnsEntityKind */
    uint32_t index;        /* its slot in the model */
    bool replaces;         /* REPL: an existing entity of the same name */
    int64_t clears;        /* REPL: a lane or demand this one replaces, or -1 */
    const OnsNode *node;
    OnsSource *src;        /* the source its node points into (a CSV file for a table's rows) */
    void *staged;          /* a filled entity struct, copied in on success */
} OnsPending;

typedef struct OnsCompiler {
    OnsVM *vm;
    OnsModel *model;
    const char *param_read;     /* the last param an expression read (a check warning) */
    OnsSource *src;
    OnsDiags *diags;
    OnsArena *arena;
    const OnsCompileOptions *opts;
    OnsFnState *fs;
    int errors_before;
    OnsPending *pending;
    size_t npending, pending_cap;
    size_t nstaged;        /* pending redeclarations (REPL) */
    OnsModelMark model_mark;
    uint32_t globals_mark;
    char **notes;
    int nnotes, notes_cap;
    char **tables;          /* table declarations read, as :save writes them (declare_table.c) */
    size_t ntables, tables_cap;
    /* Globals this file assigns exactly once, at its top level: after that
     * statement their static type is known (gtypes, by global slot). */
    OnsMap *assign_counts;  /* name -> number of assignments in the file */
    OnsSType *gtypes;
    bool *gtype_known;
    size_t gtypes_cap;
} OnsCompiler;

/* The static type of global `slot`, when this compilation knows it. */
bool compile_global_type(OnsCompiler *c, int slot, OnsSType *out);

/* ---- errors ---- */
void compile_error(OnsCompiler *c, OnsSpan span, const char *fmt, ...) ONS_PRINTF(3, 4);
void compile_note(OnsCompiler *c, OnsSource *src, OnsSpan span, const char *fmt, ...) ONS_PRINTF(4, 5);
void compile_warning(OnsCompiler *c, OnsSpan span, const char *fmt, ...) ONS_PRINTF(3, 4);
bool compile_failed(const OnsCompiler *c);

/* ---- functions, registers, constants (compile.c) ---- */
void compile_fn_begin(OnsCompiler *c, OnsFnState *fs, const char *name, OnsSpan span, bool is_main);
OnsProto *compile_fn_end(OnsCompiler *c, OnsSpan span);
int compile_reg_alloc(OnsCompiler *c, OnsSpan span);
void compile_reg_reserve(OnsCompiler *c, int n, OnsSpan span);
uint32_t compile_emit(OnsCompiler *c, uint32_t ins, OnsSpan span);
uint32_t compile_emit_jump(OnsCompiler *c, OnsSpan span);
void compile_patch_jump(OnsCompiler *c, uint32_t at);
void compile_patch_jump_to(OnsCompiler *c, uint32_t at, uint32_t target);
uint32_t compile_code_here(OnsCompiler *c);
uint32_t compile_k_index(OnsCompiler *c, OnsValue v);
void compile_emit_loadk(OnsCompiler *c, int reg, OnsValue v, OnsSpan span);
OnsValue compile_k_string(OnsCompiler *c, const char *s, size_t len);

/* ---- names (compile.c) ---- */
typedef enum OnsNameKind { NAME_NONE, NAME_LOCAL, NAME_UPVAL, NAME_GLOBAL, NAME_BUILTIN, NAME_YEAR,
                           NAME_STAGE, NAME_CLASS } OnsNameKind;
typedef struct OnsNameRef {
    OnsNameKind kind;
    int index;             /* register, upvalue, global slot */
    OnsValue value;        /* NAME_BUILTIN: the native; entities: the reference */
    bool is_entity;
    OnsLocal *local;
} OnsNameRef;
OnsNameRef compile_resolve_name(OnsCompiler *c, const char *name, uint32_t len);
/* Reports an undeclared name with a did-you-mean. */
void compile_undeclared(OnsCompiler *c, const OnsNode *ident, const char *what);
/* Resolves a name to an entity of one of the given kinds, reporting otherwise. */
/* True when ident names a variable (not an entity, stage, class or
 * built-in): where a statement wants an entity, its value is used. */
bool compile_names_variable(OnsCompiler *c, const OnsNode *ident);
bool compile_resolve_entity(OnsCompiler *c, const OnsNode *ident, OnsEntityKind want, OnsEntityKind alt,
                    uint32_t *index, OnsEntityKind *got);

/* A line for the REPL to print after the entry is compiled. */
void compile_add_note(OnsCompiler *c, const char *text);

/* ---- statements and blocks (compile.c) ---- */
void compile_block(OnsCompiler *c, const OnsNode *block);
void compile_stmt(OnsCompiler *c, const OnsNode *n);
OnsProto *compile_function(OnsCompiler *c, const char *name, const OnsNodeList *params,
                           const OnsNode *body, bool expr_body, OnsSpan span);

/* ---- expressions (compile_expr.c) ---- */
/* Compiles e into register dst. */
OnsSType compile_expr_into(OnsCompiler *c, const OnsNode *e, int dst);
/* Compiles e into some register (a local's own, or a new temporary). */
int compile_expr_reg(OnsCompiler *c, const OnsNode *e, OnsSType *type);
/* Emits jumps taken when truthy(e) == jump_when; returns them chained in *list. */
typedef struct OnsJumpList {
    uint32_t at[64];
    int n;
    bool overflow;
} OnsJumpList;
void compile_cond_jump(OnsCompiler *c, const OnsNode *e, bool jump_when, OnsJumpList *list);
void compile_jumps_patch_here(OnsCompiler *c, OnsJumpList *list);
/* The value of a constant expression (literals and arithmetic on them). */
bool compile_fold_constant(OnsCompiler *c, const OnsNode *e, OnsValue *out);
/* Static type of an expression without compiling it (for checks of properties). */
OnsSType compile_static_type(OnsCompiler *c, const OnsNode *e);
OnsSType stype_any(void);
OnsSType stype_num(OnsDim d, bool percent);
/* "kt/yr (mass/time)" for messages. */
const char *stype_describe(const OnsSType *t, char *buf, size_t n);

/* ---- declarations (declare.c) ---- */
void declare_names(OnsCompiler *c, const OnsNodeList *items);
/* Pass 1 for one declaration node of a kind (a table's row, declare_table.c). */
void declare_node(OnsCompiler *c, const OnsNode *n, OnsEntityKind kind);
/* Pass 1 for `facility from "x.csv"` and the like: a declaration a row. */
void declare_tables(OnsCompiler *c, const OnsNodeList *items);
void declare_bodies(OnsCompiler *c);
void declare_commit(OnsCompiler *c);
void declare_rollback(OnsCompiler *c);
bool declare_is_declaration(const OnsNode *n);

/* ---- reports (compile_report.c) ---- */
void compile_report(OnsCompiler *c, const OnsNode *n);
void compile_explain(OnsCompiler *c, const OnsNode *n);
void compile_plot(OnsCompiler *c, const OnsNode *n);
bool compile_selector(OnsCompiler *c, const OnsNode *n, OnsSelector *out);

#endif
