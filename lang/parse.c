/* The parse driver: scanner lifecycle, the token filter between scanner and
 * grammar, node constructors and error recovery.
 *
 * The filter exists because three decisions need to know about lines, which
 * a grammar without newline tokens cannot see:
 *   - '(' or '[' that starts a line begins a new expression, never a call or
 *     index of the previous line (LPAREN_BOL, LBRACKET_BOL);
 *   - `class` at the start of a top-level line declares classes (CLASS_DECL),
 *     elsewhere it names one (`class critical_mineral`);
 *   - `report` and `explain` statements end at the end of their line unless
 *     the next line goes on with a clause (END_REPORT).
 * After a syntax error it skips to the next line that starts, unindented,
 * with something that can begin a declaration or statement, and hands the
 * grammar a RECOVER token there, so one run reports every broken item.  When
 * the token in error (or the one before it) is itself such a line start,
 * that line is not skipped but handed out again after RECOVER. */
#include "parse.h"
#include "parse_ctx.h"

#include "parser.h"
#include "lexer.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

OnsNode *parse_node(OnsParseCtx *ctx, OnsNodeKind kind, OnsSpan span)
{
    return ast_new(ctx->arena, kind, span);
}

OnsNode *parse_named(OnsParseCtx *ctx, OnsNodeKind kind, OnsStr name, OnsSpan name_span,
                     OnsSpan span)
{
    OnsNode *n = ast_new(ctx->arena, kind, span);
    n->text = name.s;
    n->text_len = name.len;
    n->text_span = name_span;
    return n;
}

static uint32_t node_depth(const OnsNode *n) { return n ? n->depth : 0; }

void parse_check_depth(OnsParseCtx *ctx, OnsNode *n)
{
    uint32_t d = 0;
    const OnsNode *kids[5];
    ast_kids(n, kids);
    for (int i = 0; i < 5; i++)
        if (node_depth(kids[i]) > d) d = node_depth(kids[i]);
    for (const OnsNode *k = ast_list_first(n); k; k = k->next) {
        if (node_depth(k) > d) d = node_depth(k);
        if (k->kind == AST_PAIR || k->kind == AST_ARG) {
            if (node_depth(k->a) > d) d = node_depth(k->a);
            if (node_depth(k->b) > d) d = node_depth(k->b);
        }
    }
    n->depth = d < UINT16_MAX ? (uint16_t)(d + 1) : UINT16_MAX;
    /* one error for one cause: not again after the bracket limit */
    if (n->depth > ONS_MAX_EXPR_DEPTH && !ctx->depth_error && !ctx->depth_reported) {
        ctx->depth_error = true;
        parse_error_at(ctx, n->span, "expression is nested more than %d levels deep",
                       ONS_MAX_EXPR_DEPTH);
    }
}

OnsNode *parse_binary(OnsParseCtx *ctx, OnsOp op, OnsNode *a, OnsNode *b, OnsSpan span)
{
    OnsNode *n = ast_new(ctx->arena, AST_BINARY, span);
    n->op = (uint8_t)op;
    n->a = a;
    n->b = b;
    parse_check_depth(ctx, n);
    return n;
}

OnsNode *parse_unary(OnsParseCtx *ctx, OnsOp op, OnsNode *a, OnsSpan span)
{
    OnsNode *n = ast_new(ctx->arena, AST_UNARY, span);
    n->op = (uint8_t)op;
    n->a = a;
    parse_check_depth(ctx, n);
    return n;
}

OnsNodeList parse_list1(OnsNode *node)
{
    OnsNodeList l = {0};
    ast_list_append(&l, node);
    return l;
}

OnsNodeList parse_list_add(OnsNodeList list, OnsNode *node)
{
    ast_list_append(&list, node);
    return list;
}

void parse_report_clauses(OnsNode *stmt, OnsNodeList items)
{
    for (OnsNode *it = items.head, *next; it; it = next) {
        next = it->next;
        switch (it->op) {
        case REPORT_CLAUSE_NAME: case REPORT_CLAUSE_COLON: ast_list_append(&stmt->list, it); break;
        case REPORT_CLAUSE_FOR: stmt->a = it->a; break;
        case REPORT_CLAUSE_IN: stmt->b = it->a; break;
        case REPORT_CLAUSE_ON: stmt->c = it->a; break;
        case REPORT_CLAUSE_AS: stmt->text2 = it->text; break;
        case REPORT_CLAUSE_TO: stmt->d = it->a; break;
        default: break;
        }
    }
}

void parse_error_at(OnsParseCtx *ctx, OnsSpan span, const char *fmt, ...)
{
    if (ctx->fast) { /* the exact parser will say it again */
        ctx->fast_failed = true;
        return;
    }
    if (ctx->recovering) return; /* text skipped after an error is not judged */
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(ctx->diags, ONS_SEV_ERROR, ctx->src, span, fmt, ap);
    va_end(ap);
}

/* ---- the token filter ---- */

static OnsToken scan_token(OnsParseCtx *ctx)
{
    OnsToken t;
    memset(&t, 0, sizeof t);
    ctx->lex_error = false;
    t.kind = parse_scan(&t.val, &t.span, ctx->scanner);
    if (t.kind == ONSYYEOF) t.span.start = t.span.end = ctx->src->len;
    /* the scanner tracks where the line began: no walking back per token */
    uint32_t line_start = ctx->line_start;
    t.bol = ctx->newline_seen || t.span.start == 0 || t.span.start == line_start;
    if (t.bol) t.col = t.span.start - line_start + 1;
    ctx->newline_seen = false;
    return t;
}

static bool starts_item(int kind)
{
    switch (kind) {
    case STAGES: case CLASS: case REGION: case GROUP: case MATERIAL: case FACILITY: case LANE:
    case DEMAND: case POLICY: case SCENARIO: case IMPORT: case LET: case FN: case IF: case FOR:
    case WHILE: case ASSERT: case REPORT: case EXPLAIN: case RUN: case IDENT: case CLASS_DECL:
        return true;
    default:
        return false;
    }
}

static bool is_sync_point(const OnsToken *t)
{
    return t->kind == ONSYYEOF || (t->bol && t->col == 1 && starts_item(t->kind));
}

bool parse_token_starts_item(const OnsToken *t)
{
    return t->kind != ONSYYEOF && is_sync_point(t);
}

static bool is_decl_head(int kind)
{
    switch (kind) {
    case REGION: case GROUP: case MATERIAL: case FACILITY: case LANE: case DEMAND: case POLICY:
    case SCENARIO: case OPTION:
        return true;
    default:
        return false;
    }
}

static void push_front(OnsParseCtx *ctx, OnsToken t)
{
    if (ctx->queued == 2) return; /* cannot happen: at most two tokens are held back */
    if (ctx->queued == 1) ctx->queue[1] = ctx->queue[0];
    ctx->queue[0] = t;
    ctx->queued++;
}

/* Is ctx->tok the grammar's lookahead, a real token not yet shifted?  It is
 * not while a token is held back (END_REPORT or RECOVER was handed out in
 * front of it). */
static bool tok_is_lookahead(const OnsParseCtx *ctx)
{
    return ctx->queued == 0 && ctx->tok.kind != END_REPORT && ctx->tok.kind != ONSYYEOF;
}

/* Called by the grammar when it reports a syntax error.  When the token in
 * error itself starts an unindented item (`region US` after an unclosed
 * block), the grammar would throw it away: hand it out again after RECOVER,
 * so that item is parsed and its own errors reported. */
void parse_begin_recovery(OnsParseCtx *ctx)
{
    ctx->recovering = true;
    if (tok_is_lookahead(ctx) && is_sync_point(&ctx->tok)) push_front(ctx, ctx->tok);
}

/* Called by the grammar when the token before the one in error starts an
 * unindented item that the broken item above swallowed (`x =` then `y = 2`):
 * recovery restarts at that token.  Both tokens are handed out again. */
void parse_resync_at_prev(OnsParseCtx *ctx)
{
    if (!tok_is_lookahead(ctx) || !is_sync_point(&ctx->prev) || ctx->prev.kind == ONSYYEOF)
        return;
    push_front(ctx, ctx->tok);
    push_front(ctx, ctx->prev);
}

static OnsToken next_raw(OnsParseCtx *ctx)
{
    if (ctx->queued) {
        OnsToken t = ctx->queue[0];
        ctx->queue[0] = ctx->queue[1];
        ctx->queued--;
        return t;
    }
    return scan_token(ctx);
}

static void track_brackets(OnsParseCtx *ctx, OnsToken *t)
{
    switch (t->kind) {
    case LPAREN: case LPAREN_BOL: case LBRACKET: case LBRACKET_BOL: case LBRACE:
        if (ctx->depth < ONS_MAX_NESTING) {
            OnsOpenBracket *b = &ctx->open[ctx->depth];
            b->kind = t->kind;
            b->span = t->span;
            b->decl_block = t->kind == LBRACE && ctx->depth == 0 && is_decl_head(ctx->stmt_head);
        } else if (!ctx->depth_reported) {
            ctx->depth_reported = true;
            parse_error_at(ctx, t->span, "brackets are nested more than %d levels deep",
                           ONS_MAX_NESTING);
        }
        ctx->depth++;
        break;
    case RPAREN: case RBRACKET: case RBRACE:
        if (ctx->depth > 0) ctx->depth--;
        break;
    default:
        break;
    }
}

/* Does token t end the report statement that is open? */
static bool ends_report(const OnsParseCtx *ctx, const OnsToken *t)
{
    if (t->kind == ONSYYEOF || t->kind == SEMI) return true;
    if (ctx->depth < ctx->report_depth) return true;
    if (ctx->depth == ctx->report_depth && t->kind == RBRACE) return true;
    if (t->bol && ctx->depth == ctx->report_depth)
        return !(t->kind == IN || t->kind == ON || t->kind == AS || t->kind == TO);
    return false;
}

static bool word_is(const OnsToken *t, const char *w)
{
    size_t n = strlen(w);
    return t->val.str.len == n && memcmp(t->val.str.s, w, n) == 0;
}

/* The words of spec 11 are keywords only where their construct starts (spec
 * 9): `param NAME` beginning a top-level line or an item of a scenario,
 * `sweep NAME` in an expression, `choice {`, spec 12's `option NAME`
 * beginning a top-level line and `plan {` in a scenario, and spec 13's
 * `plot NAME`.
 * Elsewhere they stay names. */
static void contextual_word(OnsParseCtx *ctx, OnsToken *t)
{
    int kind = 0;
    if (word_is(t, "param") && ((t->bol && ctx->depth == 0) || (ctx->depth == 1 && ctx->stmt_head == SCENARIO)))
        kind = PARAM;
    else if (word_is(t, "sweep")) kind = SWEEP;
    else if (word_is(t, "choice")) kind = CHOICE;
    else if (word_is(t, "plot")) kind = PLOT;
    else if (word_is(t, "option") && t->bol && ctx->depth == 0) kind = OPTION;
    else if (word_is(t, "plan") && ctx->depth == 1 && ctx->stmt_head == SCENARIO) kind = PLAN;
    if (!kind) return;
    OnsToken next = next_raw(ctx);
    if (kind == PLOT) {
        /* `plot NAME` on one line (spec 13): two names in a row mean nothing else */
        if ((next.kind == IDENT || next.kind == LOCALIZATION) && !next.bol) t->kind = PLOT;
    } else if (((kind == CHOICE || kind == PLAN) && next.kind == LBRACE) ||
               (kind != CHOICE && kind != PLAN && next.kind == IDENT) ||
               (kind == OPTION && next.kind == FROM && !next.bol)) { /* option from "x.csv" */
        t->kind = kind;
    }
    push_front(ctx, next);
}

int onsyylex(OnsSemValue *val, OnsSpan *span, OnsParseCtx *ctx)
{
    OnsToken t = next_raw(ctx);
    if (ctx->recovering) {
        while (!is_sync_point(&t)) t = next_raw(ctx);
        ctx->recovering = false;
        ctx->in_report = false;
        ctx->depth = 0;
        /* t starts an item now, so an error after it can never mean that the
         * item before swallowed it: no second parse_resync_at_prev there
         * (which would loop).  Column 0 takes it out of is_sync_point. */
        if (t.kind != ONSYYEOF) t.col = 0;
        push_front(ctx, t);
        *span = (OnsSpan){t.span.start, t.span.start};
        return RECOVER;
    }
    if (ctx->in_report && ends_report(ctx, &t)) {
        ctx->in_report = false;
        if (t.kind != SEMI) push_front(ctx, t);
        /* the statement ends where its last token does, not at the next line */
        OnsToken end;
        memset(&end, 0, sizeof end);
        end.kind = END_REPORT;
        end.span = (OnsSpan){ctx->tok.span.end, ctx->tok.span.end};
        ctx->prev = ctx->tok;
        ctx->tok = end;
        *span = end.span;
        return END_REPORT;
    }
    if (t.kind == STAGES) {
        /* `stages()` is the built-in function, `stages a, b` the declaration */
        OnsToken next = next_raw(ctx);
        if (next.kind == LPAREN && next.span.start == t.span.end) {
            t.kind = IDENT;
            t.val.str.s = arena_strndup(ctx->arena, "stages", 6);
            t.val.str.len = 6;
        }
        push_front(ctx, next);
    }
    if (t.kind == IDENT) contextual_word(ctx, &t);
    if (t.kind == IDENT && ctx->depth == 1 && ctx->stmt_head == POLICY && t.val.str.len == 5 &&
        memcmp(t.val.str.s, "quota", 5) == 0) {
        /* `quota` starts a rule in a policy (spec 10.2); `quota: ...` is a
         * property and a name everywhere else */
        OnsToken next = next_raw(ctx);
        if (next.kind != COLON && next.kind != DOT) t.kind = QUOTA;
        push_front(ctx, next);
    }
    if (t.kind == FROM && ctx->depth == 1 && ctx->stmt_head == OPTION) {
        /* an option's `from: 2026` (spec 12) is a property, not a rule's bound */
        OnsToken next = next_raw(ctx);
        if (next.kind == COLON) {
            t.kind = IDENT;
            t.val.str.s = arena_strndup(ctx->arena, "from", 4);
            t.val.str.len = 4;
        }
        push_front(ctx, next);
    }
    if (t.bol && t.kind == LPAREN) t.kind = LPAREN_BOL;
    if (t.bol && t.kind == LBRACKET) t.kind = LBRACKET_BOL;
    if (t.bol && ctx->depth == 0) {
        if (t.kind == CLASS) t.kind = CLASS_DECL;
        ctx->stmt_head = t.kind == CLASS_DECL ? CLASS : t.kind;
    }
    if (t.kind == REPORT || t.kind == EXPLAIN || t.kind == PLOT) {
        ctx->in_report = true;
        ctx->report_depth = ctx->depth;
    }
    track_brackets(ctx, &t);
    ctx->prev = ctx->tok;
    ctx->tok = t;
    *val = t.val;
    *span = t.span;
    return t.kind;
}

/* Reports the first byte that is not valid UTF-8; returns false if any.
 * Plain ASCII (the common case) is checked eight bytes at a time. */
static bool check_utf8(OnsSource *src, OnsDiags *diags)
{
    const unsigned char *s = (const unsigned char *)src->text;
    uint32_t n = src->len;
    for (uint32_t i = 0; i < n;) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            /* no byte >= 0x80 and no zero byte */
            if (((w | ((w - 0x0101010101010101ULL) & ~w)) & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned char c = s[i];
        uint32_t need = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
        bool ok = need != 9;
        for (uint32_t k = 1; ok && k <= need; k++) ok = i + k < n && (s[i + k] & 0xC0) == 0x80;
        if (ok && need == 1 && c < 0xC2) ok = false; /* overlong */
        if (ok && need == 2 && ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0)))
            ok = false; /* overlong, or a UTF-16 surrogate */
        if (ok && need == 3 && ((c == 0xF0 && s[i + 1] < 0x90) || c > 0xF4 || (c == 0xF4 && s[i + 1] >= 0x90)))
            ok = false; /* overlong, or beyond U+10FFFF */
        if (c == 0) ok = false;
        if (!ok) {
            diag_add(diags, ONS_SEV_ERROR, src, (OnsSpan){i, i + 1},
                     c == 0 ? "unexpected NUL byte: is this a text file?"
                            : "invalid UTF-8 byte 0x%02x: Onshore source must be UTF-8", c);
            return false;
        }
        i += need + 1;
    }
    return true;
}

/* The fast parser's lexer: the same token filter, ending the input at the
 * first error (the exact parser takes over). */
int onsfastlex(OnsSemValue *val, OnsSpan *span, OnsParseCtx *ctx)
{
    if (ctx->fast_failed) {
        *span = (OnsSpan){ctx->src->len, ctx->src->len};
        return ONSYYEOF;
    }
    return onsyylex(val, span, ctx);
}

static bool run_parser(OnsSource *src, OnsArena *arena, OnsDiags *diags, bool fast, OnsUnitMemo *units,
                       OnsParseCtx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->units = units;
    ctx->arena = arena;
    ctx->src = src;
    ctx->diags = diags;
    ctx->fast = fast;
    ctx->scanner = parse_scan_begin(ctx);
    if (!ctx->scanner) {
        diag_add(diags, ONS_SEV_ERROR, NULL, (OnsSpan){0, 0}, "cannot start the scanner");
        return false;
    }
    if (fast) onsfastparse(ctx);
    else onsyyparse(ctx);
    parse_scan_end(ctx->scanner);
    return true;
}

bool ons_parse(OnsSource *src, OnsArena *arena, OnsDiags *diags, OnsNodeList *out)
{
    memset(out, 0, sizeof *out);
    int errors_before = diags->errors;
    if (src->len > ONS_MAX_SOURCE_BYTES) {
        diag_add(diags, ONS_SEV_ERROR, NULL, (OnsSpan){0, 0},
                 "%s is larger than %zu MB, the most Onshore reads", src->name,
                 ONS_MAX_SOURCE_BYTES / ((size_t)1024 * 1024));
        return false;
    }
    if (!check_utf8(src, diags)) return false;

    /* The fast parser (LALR tables) reads correct programs; only when it
     * fails does the exact parser (canonical LR, no default reductions)
     * parse again, for messages that name exactly what was expected. */
    OnsParseCtx ctx;
    OnsUnitMemo units;
    memset(&units, 0, sizeof units);
    if (!run_parser(src, arena, diags, true, &units, &ctx)) return false;
    if (ctx.fast_failed) {
        bool was_incomplete = diags->incomplete;
        diags->incomplete = false;
        if (!run_parser(src, arena, diags, false, &units, &ctx)) return false;
        /* more lines can only help when running out of input was the one error */
        if (diags->errors - errors_before > 1) diags->incomplete = false;
        diags->incomplete = diags->incomplete || was_incomplete;
    }
    *out = ctx.items;
    return diags->errors == errors_before;
}
