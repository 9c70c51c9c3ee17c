/* The compiler's interface for the layer above it (runtime/cli: session,
 * REPL, main).  Declared here, defined in lang/compile.c and
 * lang/frontend.c: cli sees only this folder of lang/ (its include path is
 * -Ilang/api), so it cannot reach the compiler's internals. */
#ifndef ONS_LANG_FRONTEND_H
#define ONS_LANG_FRONTEND_H

#include "common.h"
#include "diag.h"
#include "output.h"
#include "source.h"
#include "vm.h"

typedef struct OnsCompileOptions {
    bool repl;          /* a REPL entry: redeclaring replaces; the last expression is the result */
    bool warnings;      /* report warnings too (`onshore check`) */
} OnsCompileOptions;

typedef struct OnsCompileResult {
    OnsClosure *main;   /* the top-level code to run; NULL after errors */
    bool has_value;     /* main returns the value of a final expression statement */
    char **notes;       /* REPL acknowledgements: "facility f: US, makes m" (owned) */
    int nnotes;
} OnsCompileResult;

/* Compiles src in the session of vm: imports are loaded (and run), the
 * declarations enter the model, and the top-level statements become
 * res->main.  On errors nothing of src is kept and diags says why.
 * The VM takes ownership of src. */
OnsStatus frontend_compile(OnsVM *vm, OnsSource *src, const OnsCompileOptions *opts, OnsDiags *diags,
                           OnsCompileResult *res);
void frontend_result_free(OnsCompileResult *res);

/* Loads a module by name (`import battery`) unless it is loaded already;
 * importer is the name of the importing source, whose folder is searched. */
OnsStatus frontend_import(OnsVM *vm, const char *name, const char *importer, OnsDiags *diags);

/* Prints the AST of src (for `onshore ast`, a debugging aid). */
OnsStatus frontend_dump_ast(OnsSource *src, OnsOut *out, OnsDiags *diags);

/* True when text is an incomplete entry (the REPL should read more lines). */
bool frontend_is_incomplete(const char *text, size_t len);

/* True when text parses as exactly one expression (the REPL's :type and :dis
 * refuse anything that would declare or assign). */
bool frontend_is_expression(const char *text, size_t len);

/* The nth reserved word, NULL past the last (the REPL completes them). */
const char *frontend_keyword(size_t i);

#endif /* ONS_LANG_FRONTEND_H */
