/* The abstract syntax tree.  Nodes live in the compilation's arena and are
 * freed with it.  One node struct serves every kind (see ast_kinds.def for
 * which fields each kind uses and how much of the struct it has); lists are
 * linked through `next`. */
#ifndef ONS_LANG_AST_H
#define ONS_LANG_AST_H

#include "arena.h"
#include "common.h"
#include "output.h"
#include "units.h"

#include <stddef.h>

typedef enum OnsNodeKind {
#define X(kind, name, shape) AST_##kind,
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

/* Fields in the order of the shapes (ast_kinds.def): a SMALL node is the
 * struct up to `list`, a LIST node up to `c`, a FULL node all of it.  Most
 * nodes of a large program are SMALL (names, numbers, properties, pairs), so
 * the tree takes half the memory it took when every node had every field
 * (issue 19).  Code that walks nodes of any kind asks ast_has_list /
 * ast_has_cde before reading the later fields; under AddressSanitizer a
 * node's missing fields are poisoned, so a read of one is caught. */
struct OnsNode {
    uint8_t kind;       /* OnsNodeKind */
    uint8_t op, op2;    /* OnsOp */
    uint8_t flags;
    uint32_t text_len;
    OnsSpan span;
    OnsNode *next;      /* sibling in an OnsNodeList */
    const char *text;   /* an arena string; names are NUL-terminated */
    OnsSpan text_span;  /* where `text` (a declared name) was written */
    OnsNode *a, *b;
    double num;
    OnsDim dim;
    uint16_t depth;     /* height of the subtree (nesting limit), saturating */
    /* LIST and FULL nodes */
    OnsNodeList list;
    /* FULL nodes */
    OnsNode *c, *d, *e;
    const char *text2;  /* an arena string */
    double num2;
};

OnsNode *ast_new(OnsArena *arena, OnsNodeKind kind, OnsSpan span);
/* How many bytes of OnsNode a node of each kind has (its shape). */
extern const uint8_t ast_kind_size[AST_KIND_COUNT];
/* Whether a node of the kind has the fields from `list` on, from `c` on. */
static inline bool ast_has_list(OnsNodeKind kind) { return ast_kind_size[kind] > offsetof(OnsNode, list); }
static inline bool ast_has_cde(OnsNodeKind kind) { return ast_kind_size[kind] == sizeof(OnsNode); }
/* For walks over nodes of any kind: the child slots a..e (NULL where the
 * kind has none) and the first node of its list (NULL when it has none). */
static inline void ast_kids(const OnsNode *n, const OnsNode *kids[5])
{
    bool cde = ast_has_cde((OnsNodeKind)n->kind);
    kids[0] = n->a;
    kids[1] = n->b;
    kids[2] = cde ? n->c : NULL;
    kids[3] = cde ? n->d : NULL;
    kids[4] = cde ? n->e : NULL;
}
static inline const OnsNode *ast_list_first(const OnsNode *n)
{
    return ast_has_list((OnsNodeKind)n->kind) ? n->list.head : NULL;
}
/* A copy of a node of any kind into a whole node (the rest zero). */
OnsNode ast_copy(const OnsNode *n);
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
