/* AST construction helpers and the S-expression dumper used by tests. */
#include "ast.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum { SHAPE_SMALL = offsetof(OnsNode, list), SHAPE_LIST = offsetof(OnsNode, c), SHAPE_FULL = sizeof(OnsNode) };
_Static_assert(sizeof(OnsNode) <= UINT8_MAX, "a node's size is kept in a byte");

const uint8_t ast_kind_size[AST_KIND_COUNT] = {
#define X(kind, name, shape) SHAPE_##shape,
#include "ast_kinds.def"
#undef X
};

OnsNode ast_copy(const OnsNode *n)
{
    OnsNode copy;
    memset(&copy, 0, sizeof copy);
    memcpy(&copy, n, ast_kind_size[n->kind]);
    return copy;
}

OnsNode *ast_new(OnsArena *arena, OnsNodeKind kind, OnsSpan span)
{
    size_t size = ast_kind_size[kind];
    OnsNode *n;
    if (ARENA_POISONS) {
        /* the whole struct, the fields the kind lacks poisoned: reading one is a bug */
        n = arena_alloc(arena, sizeof *n);
        arena_poison((char *)n + size, sizeof *n - size);
    } else {
        n = arena_alloc(arena, size);
    }
    n->kind = (uint8_t)kind;
    n->span = span;
    return n;
}

void ast_list_append(OnsNodeList *list, OnsNode *node)
{
    if (!node) return;
    node->next = NULL;
    if (list->tail) list->tail->next = node;
    else list->head = node;
    list->tail = node;
    list->len++;
}

static const char *const kind_names[] = {
#define X(kind, name, shape) name,
#include "ast_kinds.def"
#undef X
};

const char *ast_kind_name(OnsNodeKind kind)
{
    return kind < AST_KIND_COUNT ? kind_names[kind] : "?";
}

const char *ast_op_name(OnsOp op)
{
    switch (op) {
    case AST_OP_NONE: return "";
    case AST_ADD: return "+";
    case AST_SUB: return "-";
    case AST_MUL: return "*";
    case AST_DIV: return "/";
    case AST_MOD: return "mod";
    case AST_POW: return "^";
    case AST_EQ: return "==";
    case AST_NE: return "!=";
    case AST_LT: return "<";
    case AST_LE: return "<=";
    case AST_GT: return ">";
    case AST_GE: return ">=";
    case AST_AND: return "and";
    case AST_OR: return "or";
    case AST_RANGE: return "..";
    case AST_AT: return "at";
    case AST_NEG: return "-";
    case AST_NOT: return "not";
    case AST_STEP: return "step";
    case AST_LINEAR: return "linear";
    case AST_M_SHARE: return "share";
    case AST_M_RECYCLED: return "recycled-share";
    case AST_M_TOP_ORIGIN: return "top-origin-share";
    case AST_M_LOCALIZATION: return "localization";
    }
    return "?";
}

static void dump_string(OnsOut *out, const char *s)
{
    out_putc(out, '"');
    for (; *s; s++) {
        switch (*s) {
        case '"': out_puts(out, "\\\""); break;
        case '\\': out_puts(out, "\\\\"); break;
        case '\n': out_puts(out, "\\n"); break;
        case '\t': out_puts(out, "\\t"); break;
        default: out_putc(out, *s);
        }
    }
    out_putc(out, '"');
}

static void dump_num(OnsOut *out, const OnsNode *n)
{
    char buf[64];
    ons_format_number(buf, sizeof buf, n->num, 10);
    out_puts(out, buf);
    if (!dim_is_none(n->dim)) {
        char u[64];
        out_printf(out, " [%s]", dim_base_units(n->dim, u, sizeof u));
    }
    if (n->flags & AST_PERCENT) out_puts(out, " %");
}

void ast_dump(OnsOut *out, const OnsNode *n)
{
    if (!n) {
        out_puts(out, "_");
        return;
    }
    out_printf(out, "(%s", ast_kind_name((OnsNodeKind)n->kind));
    switch ((OnsNodeKind)n->kind) {
    case AST_NUM:
        out_putc(out, ' ');
        dump_num(out, n);
        break;
    case AST_STR:
        out_putc(out, ' ');
        dump_string(out, n->text);
        break;
    case AST_BOOL: out_puts(out, n->flags & AST_TRUE ? " true" : " false"); break;
    case AST_BOUNDS:
        if (n->flags & AST_HAS_FROM) out_printf(out, " from %g", n->num);
        if (n->flags & AST_HAS_UNTIL) out_printf(out, " until %g", n->num2);
        break;
    default:
        if (n->op) out_printf(out, " %s", ast_op_name((OnsOp)n->op));
        if (n->kind == AST_REQUIRE && n->op2) out_printf(out, " %s", ast_op_name((OnsOp)n->op2));
        if (n->text) out_printf(out, " %s", n->text);
        if (ast_has_cde(n->kind) && n->text2) {
            out_putc(out, ' ');
            dump_string(out, n->text2);
        }
        if (n->flags & AST_REVERSED) out_puts(out, " <-");
        break;
    }
    const OnsNode *kids[5];
    ast_kids(n, kids);
    int last = -1;
    for (int i = 0; i < 5; i++)
        if (kids[i]) last = i;
    for (int i = 0; i <= last; i++) {
        out_putc(out, ' ');
        ast_dump(out, kids[i]);
    }
    for (const OnsNode *k = ast_list_first(n); k; k = k->next) {
        out_putc(out, ' ');
        ast_dump(out, k);
    }
    out_putc(out, ')');
}

void ast_dump_list(OnsOut *out, const OnsNodeList *list)
{
    for (const OnsNode *k = list->head; k; k = k->next) {
        ast_dump(out, k);
        out_putc(out, '\n');
    }
}
