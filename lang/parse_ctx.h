/* State shared by the scanner (lexer.l), the grammar (parser.y) and the
 * driver (parse.c) during one parse.  The scanner is reentrant and the
 * parser pure: everything lives here, nothing in globals. */
#ifndef ONS_LANG_PARSE_CTX_H
#define ONS_LANG_PARSE_CTX_H

#include "ast.h"
#include "diag.h"
#include "source.h"

/* Deepest bracket nesting and expression nesting accepted (docs/limits.md). */
#define ONS_MAX_NESTING 200
#define ONS_MAX_EXPR_DEPTH 1000

typedef struct OnsStr {
    const char *s;  /* arena copy, NUL-terminated */
    uint32_t len;
} OnsStr;

/* The semantic value of every grammar symbol (bison api.value.type). */
typedef union OnsSemValue {
    OnsNode *node;
    OnsStr str;
    OnsNodeList list;
    int op;
} OnsSemValue;

typedef struct OnsToken {
    int kind;          /* bison token kind */
    OnsSemValue val;
    OnsSpan span;
    bool bol;          /* first token on its line */
    uint32_t col;      /* 1-based byte column of its start */
} OnsToken;

typedef struct OnsOpenBracket {
    int kind;          /* token kind of the opener */
    OnsSpan span;
    bool decl_block;   /* '{' that opens a declaration's property block */
} OnsOpenBracket;

typedef struct OnsParseCtx {
    OnsArena *arena;
    OnsSource *src;
    OnsDiags *diags;
    OnsNodeList items;      /* the parsed program */
    void *scanner;          /* yyscan_t */

    /* scanner state */
    uint32_t offset;        /* byte offset of the next character */
    uint32_t read;          /* how much of the text the scanner has read into its buffer */
    bool newline_seen;      /* a newline since the last token */
    uint32_t line_start;    /* byte offset where the current line begins */
    OnsUnitMemo *units;     /* the units this parse has read (unit_parse_memo) */

    /* the token stream as the grammar saw it */
    OnsToken tok, prev;     /* last and next-to-last token handed to bison */
    OnsOpenBracket open[ONS_MAX_NESTING];
    int depth;
    bool depth_reported;
    int stmt_head;          /* first token of the current top-level statement */
    bool in_report;         /* inside `report ...` or `explain ...` */
    int report_depth;

    /* error recovery */
    bool recovering;        /* skipping to the next declaration */
    bool lex_error;         /* the scanner already reported the current token */
    OnsToken queue[2];      /* tokens to hand out before scanning on */
    int queued;
    bool depth_error;       /* expression nesting limit hit */
    bool fast;              /* the fast parser: stop at the first error, report nothing */
    bool fast_failed;
} OnsParseCtx;

/* Node constructors used by the grammar's actions. */
OnsNode *parse_node(OnsParseCtx *ctx, OnsNodeKind kind, OnsSpan span);
OnsNode *parse_binary(OnsParseCtx *ctx, OnsOp op, OnsNode *a, OnsNode *b, OnsSpan span);
OnsNode *parse_unary(OnsParseCtx *ctx, OnsOp op, OnsNode *a, OnsSpan span);
OnsNode *parse_named(OnsParseCtx *ctx, OnsNodeKind kind, OnsStr name, OnsSpan name_span,
                     OnsSpan span);
OnsNodeList parse_list1(OnsNode *node);
OnsNodeList parse_list_add(OnsNodeList list, OnsNode *node);
/* The clauses of a report or plot (REPORT_CLAUSE_*, ast.h) into stmt. */
void parse_report_clauses(OnsNode *stmt, OnsNodeList items);
/* Records the depth of a new node and reports nesting beyond the limit. */
void parse_check_depth(OnsParseCtx *ctx, OnsNode *n);

void parse_error_at(OnsParseCtx *ctx, OnsSpan span, const char *fmt, ...) ONS_PRINTF(3, 4);

/* Scanner entry points (lexer.l) and the driver's token filter (parse.c):
 * a scanner reading ctx->src (NULL when it cannot start), its next token,
 * its end. */
void *parse_scan_begin(OnsParseCtx *ctx);
int parse_scan(OnsSemValue *val, OnsSpan *span, void *scanner);
void parse_scan_end(void *scanner);
int onsfastlex(OnsSemValue *val, OnsSpan *span, OnsParseCtx *ctx);
/* The fast (LALR) parser bison generates from the same grammar with the
 * prefix onsfast; it has no header of its own. */
int onsfastparse(OnsParseCtx *ctx);
/* Called by the grammar when it reports a syntax error: skip to the next item. */
void parse_begin_recovery(OnsParseCtx *ctx);

#endif
