/* Parsing one source into an AST. */
#ifndef ONS_LANG_PARSE_H
#define ONS_LANG_PARSE_H

#include "ast.h"
#include "diag.h"
#include "source.h"

/* Parses src into top-level items allocated in arena.  Returns true when no
 * error was reported; diags->incomplete tells the REPL to read more lines. */
bool ons_parse(OnsSource *src, OnsArena *arena, OnsDiags *diags, OnsNodeList *out);

/* The nth reserved word (spec §9), NULL past the last (defined in lexer.l). */
const char *lexer_keyword(size_t i);

#endif
