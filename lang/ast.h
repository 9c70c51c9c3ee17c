/* The abstract syntax tree.  Nodes live in the compilation's arena and are
 * freed with it.  One node struct serves every kind (see ast_kinds.def for
 * which fields each kind uses); lists are linked through `next`. */
#ifndef ONS_LANG_AST_H
#define ONS_LANG_AST_H

#include "arena.h"
#include "common.h"
#include "output.h"
#include "units.h"

typedef enum OnsNodeKind {
#define X(kind, name) AST_##kind,
#include "ast_kinds.def"
#undef X
    AST_KIND_COUNT
} OnsNodeKind;

/* Operators (op field of UNARY and BINARY, comparisons of REQUIRE). */
typedef enum OnsOp {
    AST_OP_NONE,
    AST_ADD, AST_SUB, AST_MUL, AST_DIV, AST_MOD, AST_POW,
    AST_EQ, AST_NE, AST_LT, AST_LE, AST_GT, AST_GE,
    AST_AND, AST_OR, AST_RANGE, AST_AT,
    AST_NEG, AST_NOT,
    AST_STEP, AST_LINEAR,
    /* require metrics */
    AST_M_SHARE, AST_M_RECYCLED, AST_M_TOP_ORIGIN, AST_M_LOCALIZATION
} OnsOp;

/* AST_TABLE's op: what each row of the file declares */
enum { AST_TABLE_FACILITY, AST_TABLE_DEMAND, AST_TABLE_LANE, AST_TABLE_OPTION };

enum {
    AST_PERCENT = 1 << 0,    /* NUM written with '%' */
    AST_TRUE = 1 << 1,       /* BOOL */
    AST_HAS_FROM = 1 << 2,   /* BOUNDS */
    AST_HAS_UNTIL = 1 << 3,  /* BOUNDS */
    AST_EXPR_BODY = 1 << 4,  /* FN, LAMBDA: body is `= expr` */
    AST_REVERSED = 1 << 5,   /* LANE written B <- A */
    AST_PAREN = 1 << 6,      /* expression was parenthesised */
    AST_OPTION = 1 << 7      /* FACILITY declared as an `option` (spec 12) */
};

typedef struct OnsNode OnsNode;

typedef struct OnsNodeList {
    OnsNode *head, *tail;
    uint32_t len;
} OnsNodeList;

struct OnsNode {
    uint8_t kind;       /* OnsNodeKind */
    uint8_t op, op2;    /* OnsOp */
    uint8_t flags;
    uint32_t depth;     /* height of the subtree (nesting limit) */
    OnsSpan span;
    OnsNode *next;      /* sibling in an OnsNodeList */
    const char *text, *text2;  /* arena strings; names are NUL-terminated */
    uint32_t text_len;
    OnsSpan text_span;  /* where `text` (a declared name) was written */
    double num, num2;
    OnsDim dim;
    OnsNode *a, *b, *c, *d, *e;
    OnsNodeList list;
};

OnsNode *ast_new(OnsArena *arena, OnsNodeKind kind, OnsSpan span);
void ast_list_append(OnsNodeList *list, OnsNode *node);
const char *ast_kind_name(OnsNodeKind kind);
const char *ast_op_name(OnsOp op);     /* "+", "and", ... as written in source */

/* A readable S-expression of a tree, for tests and `onshore parse`. */
void ast_dump(OnsOut *out, const OnsNode *node);
void ast_dump_list(OnsOut *out, const OnsNodeList *list);

/* The clauses of a report, plot or explain, as the op of each parsed item:
 * names (and plot's ':', a STAR node) go to the statement's list, `for` to
 * a, `in` to b, `on` to c, `to` to d, `as` to text2 (parse_report_clauses). */
enum { REPORT_CLAUSE_NAME, REPORT_CLAUSE_FOR, REPORT_CLAUSE_IN, REPORT_CLAUSE_ON, REPORT_CLAUSE_AS, REPORT_CLAUSE_TO,
       REPORT_CLAUSE_COLON };

#endif
