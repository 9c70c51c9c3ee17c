/* What the runtime needs from a front end.  Declared here, defined in
 * lang/frontend.c: the runtime calls the compiler only through this header,
 * so runtime/ never includes lang/. */
#ifndef ONS_RUNTIME_FRONTEND_H
#define ONS_RUNTIME_FRONTEND_H

#include "common.h"
#include "diag.h"
#include "output.h"
#include "source.h"

/* Prints the AST of src (for `onshore ast`, a debugging aid). */
OnsStatus frontend_dump_ast(OnsSource *src, OnsOut *out, OnsDiags *diags);

#endif
