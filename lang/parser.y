/* The Onshore grammar (spec §1-§9).  A pure parser over the token filter in
 * parse.c; actions only build AST nodes in the arena.  Syntax errors are
 * reported in the user's words by yyreport_syntax_error below and recovered
 * from at the next top-level item (the filter emits RECOVER there). */
%require "3.8"
%define api.pure full
%define api.prefix {onsyy}
%define api.value.type {OnsSemValue}
%define api.location.type {OnsSpan}
%define parse.error custom
%define lr.type canonical-lr
%define lr.default-reduction accepting
%locations
%expect 0
%param {OnsParseCtx *ctx}

%code requires {
#include "parse_ctx.h"
}

%code provides {
/* flex's header names the bison types without the api.prefix */
#ifndef YYSTYPE
#define YYSTYPE OnsSemValue
#endif
#ifndef YYLTYPE
#define YYLTYPE OnsSpan
#endif
int onsyylex(OnsSemValue *val, OnsSpan *span, OnsParseCtx *ctx);
/* Error recovery restarts at the token before the one in error, which
 * starts an unindented item the broken one swallowed (parse.c). */
void parse_resync_at_prev(OnsParseCtx *ctx);
/* Does t begin an unindented line with a declaration or statement, the
 * places error recovery restarts at? */
bool parse_token_starts_item(const OnsToken *t);
#define YYMAXDEPTH 20000
}

%code {
#include <math.h>
#include <string.h>

#define YYLLOC_DEFAULT(cur, rhs, n)                                            \
    do {                                                                       \
        if (n) {                                                               \
            (cur).start = YYRHSLOC(rhs, 1).start;                              \
            (cur).end = YYRHSLOC(rhs, n).end;                                  \
        } else {                                                               \
            (cur).start = (cur).end = YYRHSLOC(rhs, 0).end;                    \
        }                                                                      \
    } while (0)

static void yyerror(OnsSpan *loc, OnsParseCtx *ctx, const char *msg);

#define NODE(kind, loc) parse_node(ctx, AST_##kind, (loc))
#define SPAN(a, b) ((OnsSpan){(a).start, (b).end})

static OnsNode *mk_named(OnsParseCtx *ctx, OnsNodeKind kind, OnsStr name, OnsSpan name_span,
                         OnsSpan span)
{
    return parse_named(ctx, kind, name, name_span, span);
}

static OnsNode *mk_bounds(OnsParseCtx *ctx, OnsNode *from, OnsNode *until, OnsSpan span);
}

/* ---- tokens ---- */
%token <node> NUMBER "number"
%token <str> IDENT "name"
%token <str> STRING "string"
%token LEXERROR "invalid text"
%token RECOVER "start of a declaration"
%token END_REPORT "end of line"
%token CLASS_DECL "class"

%token STAGES "stages" STAGE "stage" CLASS "class " REGION "region" GROUP "group"
%token MATERIAL "material" FACILITY "facility" LANE "lane" DEMAND "demand"
%token POLICY "policy" SCENARIO "scenario" EXTENDS "extends" USE "use" RUN "run"
%token REPORT "report" EXPLAIN "explain" IMPORT "import" LET "let" FN "fn"
%token RETURN "return" IF "if" THEN "then" ELSE "else" FOR "for" IN "in"
%token WHILE "while" AND "and" OR "or" NOT "not" MOD "mod" TRUE "true"
%token FALSE "false" NIL "nil" TARIFF "tariff" CREDIT "credit" BAN "ban"
%token REQUIRE "require" ON "on" FROM "from" TO "to" UNTIL "until"
%token SHARE "share" OF "of" RECYCLED "recycled" TOP "top" ORIGIN "origin"
%token LOCALIZATION "localization" STEP "step" LINEAR "linear" AT "at"
%token ASSERT "assert" AS "as"
/* contextual words (spec 9): the token filter (parse.c) makes them keywords
 * only where their construct starts */
%token QUOTA "quota" PARAM "param" SWEEP "sweep" CHOICE "choice" PLOT "plot"
%token OPTION "option" PLAN "plan"

%token ARROW "->" LARROW "<-" DOTDOT ".." EQ "==" NE "!=" LE "<=" GE ">="
%token PLUS "+" MINUS "-" STAR "*" SLASH "/" CARET "^" LT "<" GT ">"
%token DOT "." COMMA "," COLON ":" SEMI ";" ASSIGN "="
%token LPAREN "(" RPAREN ")" LBRACKET "[" RBRACKET "]" LBRACE "{" RBRACE "}"
%token LPAREN_BOL "( " LBRACKET_BOL "[ "

/* ---- precedence, lowest first ---- */
%precedence LOWEST
%precedence "{" "string"
%precedence LAMBDA_BODY
%precedence IF_ELSE
%left "or"
%left "and"
%precedence "not"
%nonassoc "==" "!=" "<" "<=" ">" ">=" "<-"
%nonassoc ".."
%left "+" "-"
%left "*" "/" "mod"
%left "at"          /* tighter than arithmetic: `s at 2027 * 2` is (s at 2027) * 2 */
%precedence UMINUS
%right "^"
%precedence "(" "["

%type <node> item decl stmt expr tail_expr postfix primary block else_part fn_body
%type <node> list_expr map_expr pair arg param block_item rule selector region_set plot_item plot_sel plot_sel_one
%type <node> bounds year_bound endpoint report_item lane_decl decl_block_opt
%type <list> items stmts expr_list_opt expr_list pairs_opt args_opt args params_opt params
%type <list> names block_items report_items explain_items ident_list plot_items plot_sel_list
%type <str> propname opt_title
%type <op> cmp metric_kw

%start program

%%

program:
    items                       { ctx->items = $1; }
    ;

items:
    %empty                      { $$ = (OnsNodeList){0}; }
  | items item                  { $$ = parse_list_add($1, $2); }
  | items ";"                   { $$ = $1; }
  | items error RECOVER         { $$ = $1; yyerrok; }
  ;

item:
    decl
  | stmt
  ;

/* ---- declarations (§4-§6) ---- */

decl:
    STAGES names                { $$ = NODE(STAGES, @$); $$->list = $2; }
  | CLASS_DECL names            { $$ = NODE(CLASSES, @$); $$->list = $2; }
  | REGION IDENT opt_title decl_block_opt
                                { $$ = mk_named(ctx, AST_REGION, $2, @2, @$); $$->text2 = $3.s;
                                  if ($4) $$->list = $4->list; }
  | GROUP IDENT opt_title "=" expr decl_block_opt
                                { $$ = mk_named(ctx, AST_GROUP, $2, @2, @$); $$->text2 = $3.s;
                                  $$->a = $5; if ($6) $$->list = $6->list; }
  | MATERIAL IDENT opt_title "{" block_items "}"
                                { $$ = mk_named(ctx, AST_MATERIAL, $2, @2, @$); $$->text2 = $3.s;
                                  $$->list = $5; }
  | FACILITY IDENT opt_title "{" block_items "}"
                                { $$ = mk_named(ctx, AST_FACILITY, $2, @2, @$); $$->text2 = $3.s;
                                  $$->list = $5; }
  | FACILITY FROM STRING        { $$ = NODE(TABLE, @$); $$->op = AST_TABLE_FACILITY; /* issue 18 */
                                  $$->text = $3.s; $$->text_len = $3.len; $$->text_span = @3; }
  | DEMAND FROM STRING          { $$ = NODE(TABLE, @$); $$->op = AST_TABLE_DEMAND;
                                  $$->text = $3.s; $$->text_len = $3.len; $$->text_span = @3; }
  | LANE FROM STRING            { $$ = NODE(TABLE, @$); $$->op = AST_TABLE_LANE;
                                  $$->text = $3.s; $$->text_len = $3.len; $$->text_span = @3; }
  | OPTION FROM STRING          { $$ = NODE(TABLE, @$); $$->op = AST_TABLE_OPTION;
                                  $$->text = $3.s; $$->text_len = $3.len; $$->text_span = @3; }
  | OPTION IDENT opt_title "{" block_items "}"
                                { $$ = mk_named(ctx, AST_FACILITY, $2, @2, @$); $$->text2 = $3.s;
                                  $$->list = $5; $$->flags |= AST_OPTION; /* spec 12 */ }
  | lane_decl
  | PARAM IDENT opt_title "=" expr decl_block_opt
                                { $$ = mk_named(ctx, AST_PARAM_DECL, $2, @2, @$); $$->text2 = $3.s; $$->a = $5;
                                  if ($6) $$->list = $6->list; }
  | DEMAND IDENT IDENT ":" expr decl_block_opt
                                { $$ = NODE(DEMAND, @$);
                                  $$->a = mk_named(ctx, AST_IDENT, $2, @2, @2);
                                  $$->b = mk_named(ctx, AST_IDENT, $3, @3, @3);
                                  $$->c = $5; if ($6) $$->list = $6->list; }
  | POLICY IDENT opt_title "{" block_items "}"
                                { $$ = mk_named(ctx, AST_POLICY, $2, @2, @$); $$->text2 = $3.s;
                                  $$->list = $5; }
  | SCENARIO IDENT opt_title "{" block_items "}"
                                { $$ = mk_named(ctx, AST_SCENARIO, $2, @2, @$); $$->text2 = $3.s;
                                  $$->list = $5; }
  | SCENARIO IDENT opt_title EXTENDS IDENT opt_title "{" block_items "}"
                                { $$ = mk_named(ctx, AST_SCENARIO, $2, @2, @$);
                                  $$->text2 = $3.s ? $3.s : $6.s;
                                  $$->a = mk_named(ctx, AST_IDENT, $5, @5, @5);
                                  $$->list = $8; }
  ;

lane_decl:
    LANE endpoint "->" endpoint decl_block_opt
                                { $$ = NODE(LANE, @$); $$->a = $2; $$->b = $4;
                                  if ($5) $$->list = $5->list; }
  | LANE endpoint "<-" endpoint decl_block_opt
                                { $$ = NODE(LANE, @$); $$->a = $4; $$->b = $2;
                                  $$->flags |= AST_REVERSED; if ($5) $$->list = $5->list; }
  ;

endpoint:
    IDENT                       { $$ = mk_named(ctx, AST_IDENT, $1, @1, @1); }
  | "*"                         { $$ = NODE(STAR, @1); }
  ;

opt_title:
    %empty %prec LOWEST         { $$ = (OnsStr){0}; }
  | STRING
  ;

decl_block_opt:
    %empty %prec LOWEST         { $$ = NULL; }
  | "{" block_items "}"         { $$ = NODE(BLOCK, @$); $$->list = $2; }
  ;

names:
    IDENT                       { $$ = parse_list1(mk_named(ctx, AST_NAME, $1, @1, @1)); }
  | names "," IDENT             { $$ = parse_list_add($1, mk_named(ctx, AST_NAME, $3, @3, @3)); }
  ;

block_items:
    %empty                      { $$ = (OnsNodeList){0}; }
  | block_items block_item      { $$ = parse_list_add($1, $2); }
  | block_items ","             { $$ = $1; }
  | block_items ";"             { $$ = $1; }
  ;

block_item:
    propname ":" tail_expr      { $$ = mk_named(ctx, AST_PROP, $1, @1, @$); $$->a = $3; }
  | IDENT "." propname ":" tail_expr
                                { $$ = mk_named(ctx, AST_OVERRIDE, $3, @3, @$);
                                  $$->a = mk_named(ctx, AST_IDENT, $1, @1, @1); $$->b = $5; }
  | PARAM IDENT ":" tail_expr  { $$ = mk_named(ctx, AST_PARAM_DECL, $2, @2, @$); $$->a = $4;
                                  $$->flags |= AST_REVERSED; /* a scenario's: replaces or fixes */ }
  | DEMAND IDENT IDENT ":" tail_expr
                                { $$ = NODE(DEMAND, @$);
                                  $$->a = mk_named(ctx, AST_IDENT, $2, @2, @2);
                                  $$->b = mk_named(ctx, AST_IDENT, $3, @3, @3); $$->c = $5; }
  | PLAN "{" block_items "}"    { $$ = NODE(PLAN, @$); $$->list = $3; /* spec 12 */ }
  | rule
  ;

/* Keywords that may also name a property, a named argument or a field. */
propname:
    IDENT
  | STAGE       { $$ = (OnsStr){"stage", 5}; }
  | CLASS       { $$ = (OnsStr){"class", 5}; }
  | REGION      { $$ = (OnsStr){"region", 6}; }
  | GROUP       { $$ = (OnsStr){"group", 5}; }
  | MATERIAL    { $$ = (OnsStr){"material", 8}; }
  | FACILITY    { $$ = (OnsStr){"facility", 8}; }
  | LANE        { $$ = (OnsStr){"lane", 4}; }
  | DEMAND      { $$ = (OnsStr){"demand", 6}; }
  | POLICY      { $$ = (OnsStr){"policy", 6}; }
  | SCENARIO    { $$ = (OnsStr){"scenario", 8}; }
  | USE         { $$ = (OnsStr){"use", 3}; }
  | SHARE       { $$ = (OnsStr){"share", 5}; }
  | RECYCLED    { $$ = (OnsStr){"recycled", 8}; }
  | ORIGIN      { $$ = (OnsStr){"origin", 6}; }
  | TOP         { $$ = (OnsStr){"top", 3}; }
  | LOCALIZATION { $$ = (OnsStr){"localization", 12}; }
  | STEP        { $$ = (OnsStr){"step", 4}; }
  | LINEAR      { $$ = (OnsStr){"linear", 6}; }
  | EXTENDS     { $$ = (OnsStr){"extends", 7}; }
  | STAGES      { $$ = (OnsStr){"stages", 6}; }
  ;

/* ---- policy rules (§5) ---- */

rule:
    TARIFF expr ON selector FROM region_set TO region_set bounds
                                { $$ = NODE(TARIFF, @$); $$->a = $2; $$->b = $4; $$->c = $6;
                                  $$->d = $8; $$->e = $9; }
  | CREDIT expr ON selector IN region_set bounds
                                { $$ = NODE(CREDIT, @$); $$->a = $2; $$->b = $4; $$->c = $6;
                                  $$->e = $7; }
  | BAN selector FROM region_set TO region_set bounds
                                { $$ = NODE(BAN, @$); $$->b = $2; $$->c = $4; $$->d = $6;
                                  $$->e = $7; }
  | QUOTA expr ON selector FROM region_set TO region_set bounds
                                { $$ = NODE(QUOTA, @$); $$->a = $2; $$->b = $4; $$->c = $6;
                                  $$->d = $8; $$->e = $9; }
  | REQUIRE SHARE OF selector FROM region_set cmp expr FOR IDENT bounds
                                { $$ = NODE(REQUIRE, @$); $$->op = AST_M_SHARE; $$->b = $4;
                                  $$->c = $6; $$->op2 = (uint8_t)$7; $$->a = $8;
                                  $$->d = mk_named(ctx, AST_IDENT, $10, @10, @10); $$->e = $11; }
  | REQUIRE metric_kw OF selector cmp expr FOR IDENT bounds
                                { $$ = NODE(REQUIRE, @$); $$->op = (uint8_t)$2; $$->b = $4;
                                  $$->op2 = (uint8_t)$5; $$->a = $6;
                                  $$->d = mk_named(ctx, AST_IDENT, $8, @8, @8); $$->e = $9; }
  ;

metric_kw:
    RECYCLED SHARE              { $$ = AST_M_RECYCLED; }
  | TOP ORIGIN SHARE            { $$ = AST_M_TOP_ORIGIN; }
  | LOCALIZATION                { $$ = AST_M_LOCALIZATION; }
  ;

cmp:
    "=="  { $$ = AST_EQ; } | "!=" { $$ = AST_NE; } | "<" { $$ = AST_LT; }
  | "<="  { $$ = AST_LE; } | ">"  { $$ = AST_GT; } | ">=" { $$ = AST_GE; }
  ;

selector:
    "*"                         { $$ = NODE(STAR, @1); }
  | IDENT                       { $$ = mk_named(ctx, AST_IDENT, $1, @1, @1); }
  | "[" ident_list "]"          { $$ = NODE(LIST, @$); $$->list = $2; }
  | "[ " ident_list "]"         { $$ = NODE(LIST, @$); $$->list = $2; }
  | STAGE IDENT                 { $$ = mk_named(ctx, AST_STAGE_REF, $2, @2, @$); }
  | CLASS IDENT                 { $$ = mk_named(ctx, AST_CLASS_REF, $2, @2, @$); }
  ;

region_set:
    "*"                         { $$ = NODE(STAR, @1); }
  | IDENT                       { $$ = mk_named(ctx, AST_IDENT, $1, @1, @1); }
  | "[" ident_list "]"          { $$ = NODE(LIST, @$); $$->list = $2; }
  | "[ " ident_list "]"         { $$ = NODE(LIST, @$); $$->list = $2; }
  ;

ident_list:
    IDENT                       { $$ = parse_list1(mk_named(ctx, AST_IDENT, $1, @1, @1)); }
  | ident_list "," IDENT        { $$ = parse_list_add($1, mk_named(ctx, AST_IDENT, $3, @3, @3)); }
  ;

bounds:
    %empty                      { $$ = NULL; }
  | FROM year_bound             { $$ = mk_bounds(ctx, $2, NULL, @$); }
  | UNTIL year_bound            { $$ = mk_bounds(ctx, NULL, $2, @$); }
  | FROM year_bound UNTIL year_bound
                                { $$ = mk_bounds(ctx, $2, $4, @$); }
  ;

year_bound:
    NUMBER
  ;

/* ---- statements (§8) ---- */

stmt:
    LET IDENT "=" tail_expr     { $$ = mk_named(ctx, AST_LET, $2, @2, @$); $$->a = $4; }
  | FN IDENT "(" params_opt ")" fn_body
                                { $$ = mk_named(ctx, AST_FN, $2, @2, @$); $$->list = $4;
                                  $$->a = $6; if ($6->kind != AST_BLOCK) $$->flags |= AST_EXPR_BODY; }
  | IF expr block else_part     { $$ = NODE(IF, @$); $$->a = $2; $$->b = $3; $$->c = $4; }
  | FOR IDENT IN expr block     { $$ = mk_named(ctx, AST_FOR, $2, @2, @$); $$->a = $4; $$->b = $5; }
  | WHILE expr block            { $$ = NODE(WHILE, @$); $$->a = $2; $$->b = $3; }
  | RETURN tail_expr            { $$ = NODE(RETURN, @$); $$->a = $2; }
  | ASSERT tail_expr            { $$ = NODE(ASSERT, @$); $$->a = $2; }
  | ASSERT expr "," tail_expr   { $$ = NODE(ASSERT, @$); $$->a = $2; $$->b = $4; }
  | IMPORT IDENT                { $$ = mk_named(ctx, AST_IMPORT, $2, @2, @$); }
  | REPORT IDENT report_items END_REPORT
                                { $$ = mk_named(ctx, AST_REPORT, $2, @2, @$); parse_report_clauses($$, $3); }
  | PLOT plot_items END_REPORT   { $$ = NODE(PLOT, @$); parse_report_clauses($$, $2); }
  | EXPLAIN IDENT IDENT expr explain_items END_REPORT
                                { $$ = NODE(EXPLAIN, @$);
                                  $$->a = mk_named(ctx, AST_IDENT, $2, @2, @2);
                                  $$->b = mk_named(ctx, AST_IDENT, $3, @3, @3); $$->c = $4;
                                  for (OnsNode *it = $5.head; it; it = it->next) {
                                      if (it->op == REPORT_CLAUSE_AS) $$->text2 = it->text;
                                      else $$->d = it->a;
                                  } }
  | postfix "=" tail_expr       { $$ = NODE(ASSIGN, @$); $$->a = $1; $$->b = $3; }
  | tail_expr                   { $$ = NODE(EXPR_STMT, @$); $$->a = $1; }
  ;

/* Clauses of a report, in any order; the filter ends the statement at the
 * end of its line with END_REPORT.  op says which clause (parse_report_clauses). */
report_items:
    %empty                      { $$ = (OnsNodeList){0}; }
  | report_items report_item    { $$ = parse_list_add($1, $2); }
  | report_items ","            { $$ = $1; }
  ;

/* explain takes the output clauses of a report: `as FORMAT`, `to FILE` */
explain_items:
    %empty                      { $$ = (OnsNodeList){0}; }
  | explain_items AS IDENT      { OnsNode *it = NODE(PAIR, @2); it->op = REPORT_CLAUSE_AS; it->text = $3.s;
                                  $$ = parse_list_add($1, it); }
  | explain_items TO expr       { OnsNode *it = NODE(PAIR, @2); it->op = REPORT_CLAUSE_TO; it->a = $3;
                                  $$ = parse_list_add($1, it); }
  ;

report_item:
    IDENT                       { $$ = mk_named(ctx, AST_IDENT, $1, @1, @1); }
  | LOCALIZATION                { $$ = mk_named(ctx, AST_IDENT, (OnsStr){"localization", 12}, @1, @1); }
  | FOR region_set              { $$ = NODE(PAIR, @$); $$->op = REPORT_CLAUSE_FOR; $$->a = $2; }
  | IN expr                     { $$ = NODE(PAIR, @$); $$->op = REPORT_CLAUSE_IN; $$->a = $2; }
  | ON selector                 { $$ = NODE(PAIR, @$); $$->op = REPORT_CLAUSE_ON; $$->a = $2; }
  | AS IDENT                    { $$ = NODE(PAIR, @$); $$->op = REPORT_CLAUSE_AS; $$->text = $2.s; }
  | TO expr                     { $$ = NODE(PAIR, @$); $$->op = REPORT_CLAUSE_TO; $$->a = $2; }
  ;

/* Clauses of a plot (spec 13): names (the scenarios of `compare`, then
 * `:` and the figure), and the clauses of a report; `on` takes a list of
 * selectors, `stage NAME` and `class NAME` among them. */
plot_items:
    %empty                      { $$ = (OnsNodeList){0}; }
  | plot_items plot_item        { $$ = parse_list_add($1, $2); }
  | plot_items ","              { $$ = $1; }
  ;

plot_item:
    IDENT                       { $$ = mk_named(ctx, AST_IDENT, $1, @1, @1); }
  | LOCALIZATION                { $$ = mk_named(ctx, AST_IDENT, (OnsStr){"localization", 12}, @1, @1); }
  | ":"                         { $$ = NODE(STAR, @1); $$->op = REPORT_CLAUSE_COLON; }
  | FOR region_set              { $$ = NODE(PAIR, @$); $$->op = REPORT_CLAUSE_FOR; $$->a = $2; }
  | IN expr                     { $$ = NODE(PAIR, @$); $$->op = REPORT_CLAUSE_IN; $$->a = $2; }
  | ON plot_sel                 { $$ = NODE(PAIR, @$); $$->op = REPORT_CLAUSE_ON; $$->a = $2; }
  | AS IDENT                    { $$ = NODE(PAIR, @$); $$->op = REPORT_CLAUSE_AS; $$->text = $2.s; }
  | TO expr                     { $$ = NODE(PAIR, @$); $$->op = REPORT_CLAUSE_TO; $$->a = $2; }
  ;

plot_sel:
    plot_sel_one
  | "[" plot_sel_list "]"       { $$ = NODE(LIST, @$); $$->list = $2; }
  | "[ " plot_sel_list "]"      { $$ = NODE(LIST, @$); $$->list = $2; }
  ;

plot_sel_list:
    plot_sel_one                { $$ = parse_list1($1); }
  | plot_sel_list "," plot_sel_one { $$ = parse_list_add($1, $3); }
  ;

plot_sel_one:
    "*"                         { $$ = NODE(STAR, @1); }
  | IDENT                       { $$ = mk_named(ctx, AST_IDENT, $1, @1, @1); }
  | STAGE IDENT                 { $$ = mk_named(ctx, AST_STAGE_REF, $2, @2, @$); }
  | CLASS IDENT                 { $$ = mk_named(ctx, AST_CLASS_REF, $2, @2, @$); }
  ;

fn_body:
    "=" tail_expr               { $$ = $2; }
  | block
  ;

block:
    "{" stmts "}"               { $$ = NODE(BLOCK, @$); $$->list = $2; }
  | "{" stmts RETURN "}"        { $$ = NODE(BLOCK, @$); $$->list = parse_list_add($2, NODE(RETURN, @3)); }
  ;

stmts:
    %empty                      { $$ = (OnsNodeList){0}; }
  | stmts item                  { $$ = parse_list_add($1, $2); }
  | stmts ";"                   { $$ = $1; }
  | stmts RETURN ";"            { $$ = parse_list_add($1, NODE(RETURN, @2)); }
  ;

else_part:
    %empty                      { $$ = NULL; }
  | ELSE block                  { $$ = $2; }
  | ELSE IF expr block else_part
                                { $$ = NODE(IF, SPAN(@2, @$)); $$->a = $3; $$->b = $4; $$->c = $5; }
  ;

params_opt:
    %empty                      { $$ = (OnsNodeList){0}; }
  | params
  | params ","
  ;

params:
    param                       { $$ = parse_list1($1); }
  | params "," param            { $$ = parse_list_add($1, $3); }
  ;

param:
    IDENT                       { $$ = mk_named(ctx, AST_PARAM, $1, @1, @1); }
  ;

/* ---- expressions ---- */

/* An expression that ends a statement or property: the next item may start
 * right after it, so an operator that could continue it does (`a\n- b`). */
tail_expr:
    expr %prec LOWEST
  ;

expr:
    postfix %prec LOWEST
  | expr "+" expr               { $$ = parse_binary(ctx, AST_ADD, $1, $3, @$); }
  | expr "-" expr               { $$ = parse_binary(ctx, AST_SUB, $1, $3, @$); }
  | expr "*" expr               { $$ = parse_binary(ctx, AST_MUL, $1, $3, @$); }
  | expr "/" expr               { $$ = parse_binary(ctx, AST_DIV, $1, $3, @$); }
  | expr "mod" expr             { $$ = parse_binary(ctx, AST_MOD, $1, $3, @$); }
  | expr "^" expr               { $$ = parse_binary(ctx, AST_POW, $1, $3, @$); }
  | expr "==" expr              { $$ = parse_binary(ctx, AST_EQ, $1, $3, @$); }
  | expr "!=" expr              { $$ = parse_binary(ctx, AST_NE, $1, $3, @$); }
  | expr "<" expr               { $$ = parse_binary(ctx, AST_LT, $1, $3, @$); }
  | expr "<=" expr              { $$ = parse_binary(ctx, AST_LE, $1, $3, @$); }
  | expr ">" expr               { $$ = parse_binary(ctx, AST_GT, $1, $3, @$); }
  | expr ">=" expr              { $$ = parse_binary(ctx, AST_GE, $1, $3, @$); }
  | expr "<-" expr              { /* a <- b can only mean a < -b */
                                  OnsNode *neg = parse_unary(ctx, AST_NEG, $3, SPAN(@2, @3));
                                  $$ = parse_binary(ctx, AST_LT, $1, neg, @$); }
  | expr "and" expr             { $$ = parse_binary(ctx, AST_AND, $1, $3, @$); }
  | expr "or" expr              { $$ = parse_binary(ctx, AST_OR, $1, $3, @$); }
  | expr ".." expr              { $$ = parse_binary(ctx, AST_RANGE, $1, $3, @$); }
  | expr "at" expr              { $$ = parse_binary(ctx, AST_AT, $1, $3, @$); }
  | "-" expr %prec UMINUS       { $$ = parse_unary(ctx, AST_NEG, $2, @$); }
  | "not" expr                  { $$ = parse_unary(ctx, AST_NOT, $2, @$); }
  | IF expr THEN expr ELSE expr %prec IF_ELSE
                                { $$ = NODE(IF_EXPR, @$); $$->a = $2; $$->b = $4; $$->c = $6;
                                  parse_check_depth(ctx, $$); }
  | FN "(" params_opt ")" "=" expr %prec LAMBDA_BODY
                                { $$ = NODE(LAMBDA, @$); $$->list = $3; $$->a = $6;
                                  $$->flags |= AST_EXPR_BODY; parse_check_depth(ctx, $$); }
  | FN "(" params_opt ")" block { $$ = NODE(LAMBDA, @$); $$->list = $3; $$->a = $5; }
  ;

postfix:
    primary
  | postfix "(" args_opt ")"    { $$ = NODE(CALL, @$); $$->a = $1; $$->list = $3;
                                  parse_check_depth(ctx, $$); }
  | postfix "[" expr "]"        { $$ = NODE(INDEX, @$); $$->a = $1; $$->b = $3;
                                  parse_check_depth(ctx, $$); }
  | postfix "." propname        { $$ = mk_named(ctx, AST_MEMBER, $3, @3, @$); $$->a = $1;
                                  parse_check_depth(ctx, $$); }
  ;

primary:
    NUMBER
  | STRING                      { $$ = NODE(STR, @1); $$->text = $1.s; $$->text_len = $1.len; }
  | TRUE                        { $$ = NODE(BOOL, @1); $$->flags |= AST_TRUE; }
  | FALSE                       { $$ = NODE(BOOL, @1); }
  | NIL                         { $$ = NODE(NIL, @1); }
  | IDENT                       { $$ = mk_named(ctx, AST_IDENT, $1, @1, @1); }
  | "(" expr ")"                { $$ = $2; $$->flags |= AST_PAREN; }
  | "( " expr ")"               { $$ = $2; $$->flags |= AST_PAREN; }
  | list_expr
  | map_expr
  | STEP map_expr               { $$ = $2; $$->kind = AST_SERIES; $$->op = AST_STEP; $$->span = @$; }
  | LINEAR map_expr             { $$ = $2; $$->kind = AST_SERIES; $$->op = AST_LINEAR; $$->span = @$; }
  | STAGE IDENT                 { $$ = mk_named(ctx, AST_STAGE_REF, $2, @2, @$); }
  | CLASS IDENT                 { $$ = mk_named(ctx, AST_CLASS_REF, $2, @2, @$); }
  | RUN IDENT                   { $$ = mk_named(ctx, AST_RUN, $2, @2, @$); }
  | SWEEP IDENT "{" block_items "}"
                                { $$ = mk_named(ctx, AST_SWEEP, $2, @2, @$); $$->list = $4; }
  | CHOICE map_expr             { $$ = $2; $$->kind = AST_CHOICE; $$->span = @$; }
  | DEMAND "(" args_opt ")"     { $$ = NODE(CALL, @$); $$->list = $3;
                                  $$->a = mk_named(ctx, AST_IDENT, (OnsStr){"demand", 6}, @1, @1); }
  | LOCALIZATION "(" args_opt ")"
                                { $$ = NODE(CALL, @$); $$->list = $3;
                                  $$->a = mk_named(ctx, AST_IDENT, (OnsStr){"localization", 12}, @1, @1); }
  | SHARE "(" args_opt ")"       { $$ = NODE(CALL, @$); $$->list = $3;
                                  $$->a = mk_named(ctx, AST_IDENT, (OnsStr){"share", 5}, @1, @1); }
  ;

list_expr:
    "[" expr_list_opt "]"       { $$ = NODE(LIST, @$); $$->list = $2; parse_check_depth(ctx, $$); }
  | "[ " expr_list_opt "]"      { $$ = NODE(LIST, @$); $$->list = $2; parse_check_depth(ctx, $$); }
  ;

expr_list_opt:
    %empty                      { $$ = (OnsNodeList){0}; }
  | expr_list
  | expr_list ","
  ;

expr_list:
    expr                        { $$ = parse_list1($1); }
  | expr_list "," expr          { $$ = parse_list_add($1, $3); }
  ;

map_expr:
    "{" pairs_opt "}"           { $$ = NODE(MAP, @$); $$->list = $2; parse_check_depth(ctx, $$); }
  ;

pairs_opt:
    %empty                      { $$ = (OnsNodeList){0}; }
  | pairs_opt pair              { $$ = parse_list_add($1, $2); }
  | pairs_opt ","               { $$ = $1; }
  ;

pair:
    expr ":" tail_expr          { $$ = NODE(PAIR, @$); $$->a = $1; $$->b = $3; }
  ;

args_opt:
    %empty                      { $$ = (OnsNodeList){0}; }
  | args
  | args ","
  ;

args:
    arg                         { $$ = parse_list1($1); }
  | args "," arg                { $$ = parse_list_add($1, $3); }
  ;

arg:
    expr                        { $$ = NODE(ARG, @$); $$->a = $1; }
  | propname ":" expr           { $$ = mk_named(ctx, AST_ARG, $1, @1, @$); $$->a = $3; }
  ;

%%

static OnsNode *mk_bounds(OnsParseCtx *ctx, OnsNode *from, OnsNode *until, OnsSpan span)
{
    OnsNode *b = parse_node(ctx, AST_BOUNDS, span);
    if (from) {
        b->flags |= AST_HAS_FROM;
        b->num = from->num;
        if (!dim_is_none(from->dim) || from->num != floor(from->num) || fabs(from->num) > 1e6)
            parse_error_at(ctx, from->span, "a year after 'from' must be a whole number like 2027");
    }
    if (until) {
        b->flags |= AST_HAS_UNTIL;
        b->num2 = until->num;
        if (!dim_is_none(until->dim) || until->num != floor(until->num) || fabs(until->num) > 1e6)
            parse_error_at(ctx, until->span, "a year after 'until' must be a whole number like 2030");
    }
    return b;
}

static void yyerror(OnsSpan *loc, OnsParseCtx *ctx, const char *msg)
{
    /* only bison's own failures land here ("memory exhausted") */
    if (strstr(msg, "exhausted")) {
        if (!ctx->depth_reported && !ctx->depth_error) /* else that error said it */
            parse_error_at(ctx, *loc, "the program is nested too deeply to parse");
    }
    else
        parse_error_at(ctx, *loc, "%s", msg);
}

#include "parse_errors.inc"
