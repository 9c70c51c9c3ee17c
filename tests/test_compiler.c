/* The compiler's output: disassembly goldens of small programs compiled
 * with frontend_compile and printed by disasm_proto, each pinning one thing
 * the code generator promises (folding, constant operands, compare-and-
 * branch, upvalues, calls built in place, loops that close captured
 * variables), and the diagnostics and rollback of a failed compilation. */
#include "tests.h"

#include "chunk.h"
#include "frontend.h"
#include "session.h"
#include "vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct DisCase {
    const char *name, *src, *want;
} DisCase;

static const DisCase cases[] = {
    /* Constant folding: 2 + 3 * 4 is one LOADI of 14, no arithmetic at run time. */
    {"fold_to_one_loadi",
         "let x = 2 + 3 * 4",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  LOADI        0 14\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [1]  RETURNNIL    0\n"},
    /* Folding works on quantities: 40 kt/yr * 2 yr is the constant 80 kt. */
    {"fold_quantities",
         "let y = 40 kt/yr * 2 yr",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 1 constants, 3 instructions\n"
         "     0  [1]  LOADK        0 0\t; 80 kt\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [1]  RETURNNIL    0\n"},
    /* n + 1 is one ADDK with the constant as its operand. */
    {"addk_constant_operand",
         "fn inc(n) = n + 1",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  CLOSURE      0 0\t; fn inc\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [1]  RETURNNIL    0\n"
         "\n"
         "function inc (t.ons:1): 1 params, 2 registers, 0 upvalues, 1 constants, 3 instructions\n"
         "     0  [1]  ADDK         1 0 0\t; 1\n"
         "     1  [1]  RETURN       1\n"
         "     2  [1]  RETURNNIL    0\n"},
    /* `n < 2` in a condition is one JLTK followed by the JMP it guards; the recursive calls are built in place. */
    {"jltk_compare_and_branch",
         "fn fib(n) {\n"
         "    if n < 2 {\n"
         "        return n\n"
         "    }\n"
         "    return fib(n - 1) + fib(n - 2)\n"
         "}",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  CLOSURE      0 0\t; fn fib\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [6]  RETURNNIL    0\n"
         "\n"
         "function fib (t.ons:1): 1 params, 5 registers, 0 upvalues, 2 constants, 12 instructions\n"
         "     0  [2]  JLTK         0 0 0\t; 2\n"
         "     1  [2]  JMP          1\t; to 3\n"
         "     2  [3]  RETURN       0\n"
         "     3  [5]  GETGLOBAL    2 0\n"
         "     4  [5]  SUBK         3 0 1\t; 1\n"
         "     5  [5]  CALL         2 1 0\n"
         "     6  [5]  GETGLOBAL    3 0\n"
         "     7  [5]  SUBK         4 0 0\t; 2\n"
         "     8  [5]  CALL         3 1 0\n"
         "     9  [5]  ADD          1 2 3\n"
         "    10  [5]  RETURN       1\n"
         "    11  [6]  RETURNNIL    0\n"},
    /* A closure reads and writes its captured variable through GETUPVAL/SETUPVAL. */
    {"closure_upvalue",
         "fn counter() {\n"
         "    let n = 0\n"
         "    return fn() {\n"
         "        n = n + 1\n"
         "        return n\n"
         "    }\n"
         "}",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  CLOSURE      0 0\t; fn counter\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [7]  RETURNNIL    0\n"
         "\n"
         "function counter (t.ons:1): 0 params, 2 registers, 0 upvalues, 0 constants, 4 instructions\n"
         "     0  [2]  LOADI        0 0\n"
         "     1  [3]  CLOSURE      1 0\t; fn <lambda>\n"
         "     2  [3]  RETURN       1\n"
         "     3  [7]  RETURNNIL    0\n"
         "\n"
         "function <lambda> (t.ons:3): 0 params, 2 registers, 1 upvalues, 1 constants, 6 instructions\n"
         "     0  [4]  GETUPVAL     1 0\n"
         "     1  [4]  ADDK         0 1 0\t; 1\n"
         "     2  [4]  SETUPVAL     0 0\n"
         "     3  [5]  GETUPVAL     0 0\n"
         "     4  [5]  RETURN       0\n"
         "     5  [6]  RETURNNIL    0\n"},
    /* A call whose result goes to a fresh temporary is built right there: no MOVE afterwards. */
    {"call_in_place",
         "fn f(a) = max(a, 1)",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  CLOSURE      0 0\t; fn f\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [1]  RETURNNIL    0\n"
         "\n"
         "function f (t.ons:1): 1 params, 4 registers, 0 upvalues, 1 constants, 6 instructions\n"
         "     0  [1]  LOADK        1 0\t; <built-in fn max>\n"
         "     1  [1]  MOVE         2 0\n"
         "     2  [1]  LOADI        3 1\n"
         "     3  [1]  CALL         1 2 0\n"
         "     4  [1]  RETURN       1\n"
         "     5  [1]  RETURNNIL    0\n"},
    /* A call assigned to a variable is built above it and moved in once done. */
    {"call_into_variable",
         "fn f(a) {\n"
         "    let x = 0\n"
         "    x = max(a, x)\n"
         "    return x\n"
         "}",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  CLOSURE      0 0\t; fn f\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [5]  RETURNNIL    0\n"
         "\n"
         "function f (t.ons:1): 1 params, 5 registers, 0 upvalues, 1 constants, 8 instructions\n"
         "     0  [2]  LOADI        1 0\n"
         "     1  [3]  LOADK        2 0\t; <built-in fn max>\n"
         "     2  [3]  MOVE         3 0\n"
         "     3  [3]  MOVE         4 1\n"
         "     4  [3]  CALL         2 2 0\n"
         "     5  [3]  MOVE         1 2\n"
         "     6  [4]  RETURN       1\n"
         "     7  [5]  RETURNNIL    0\n"},
    /* Named arguments: CALLN with the list of names in a constant (the EXTRA word). */
    {"named_arguments",
         "fn f(a, b) = a - b\n"
         "let r = f(b: 1, a: 2)",
         "function <script> (t.ons:1): 0 params, 3 registers, 0 upvalues, 1 constants, 9 instructions\n"
         "     0  [1]  CLOSURE      0 0\t; fn f\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [2]  GETGLOBAL    0 0\n"
         "     3  [2]  LOADI        1 1\n"
         "     4  [2]  LOADI        2 2\n"
         "     5  [2]  CALLN        0 2 2\t; [\"b\", \"a\"]\n"
         "     6  [2]  EXTRA        0\n"
         "     7  [2]  SETGLOBAL    0 1\n"
         "     8  [2]  RETURNNIL    0\n"
         "\n"
         "function f (t.ons:1): 2 params, 3 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  SUB          2 0 1\n"
         "     1  [1]  RETURN       2\n"
         "     2  [1]  RETURNNIL    0\n"},
    /* A numeric for loop: FORPREP, the body, FORLOOP and its backward JMP. */
    {"numeric_for",
         "fn total() {\n"
         "    let s = 0\n"
         "    for i in 1..10 {\n"
         "        s = s + i\n"
         "    }\n"
         "    return s\n"
         "}",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  CLOSURE      0 0\t; fn total\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [7]  RETURNNIL    0\n"
         "\n"
         "function total (t.ons:1): 0 params, 4 registers, 0 upvalues, 0 constants, 10 instructions\n"
         "     0  [2]  LOADI        0 0\n"
         "     1  [3]  LOADI        1 1\n"
         "     2  [3]  LOADI        2 10\n"
         "     3  [3]  FORPREP      1\n"
         "     4  [3]  JMP          3\t; to 8\n"
         "     5  [4]  ADD          0 0 3\n"
         "     6  [3]  FORLOOP      1\n"
         "     7  [3]  JMP          -3\t; to 5\n"
         "     8  [6]  RETURN       0\n"
         "     9  [7]  RETURNNIL    0\n"},
    /* A loop variable captured by a closure is closed at the end of each iteration (fresh binding). */
    {"loop_closes_captured_variable",
         "fn make() {\n"
         "    let fs = []\n"
         "    for i in 1..3 {\n"
         "        append(fs, fn() = i)\n"
         "    }\n"
         "    return fs\n"
         "}",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  CLOSURE      0 0\t; fn make\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [7]  RETURNNIL    0\n"
         "\n"
         "function make (t.ons:1): 0 params, 7 registers, 0 upvalues, 1 constants, 15 instructions\n"
         "     0  [2]  NEWLIST      0 1 0\n"
         "     1  [3]  LOADI        1 1\n"
         "     2  [3]  LOADI        2 3\n"
         "     3  [3]  FORPREP      1\n"
         "     4  [3]  JMP          7\t; to 12\n"
         "     5  [4]  LOADK        4 0\t; <built-in fn append>\n"
         "     6  [4]  MOVE         5 0\n"
         "     7  [4]  CLOSURE      6 0\t; fn <lambda>\n"
         "     8  [4]  CALL         4 2 0\n"
         "     9  [3]  CLOSE        3\n"
         "    10  [3]  FORLOOP      1\n"
         "    11  [3]  JMP          -7\t; to 5\n"
         "    12  [3]  CLOSE        3\n"
         "    13  [6]  RETURN       0\n"
         "    14  [7]  RETURNNIL    0\n"
         "\n"
         "function <lambda> (t.ons:4): 0 params, 1 registers, 1 upvalues, 0 constants, 3 instructions\n"
         "     0  [4]  GETUPVAL     0 0\n"
         "     1  [4]  RETURN       0\n"
         "     2  [4]  RETURNNIL    0\n"},
    /* `x = y and x` works in a temporary, so x is read before it is replaced. */
    {"logical_into_variable",
         "fn f(y) {\n"
         "    let x = 1\n"
         "    x = y and x\n"
         "    return x\n"
         "}",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  CLOSURE      0 0\t; fn f\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [5]  RETURNNIL    0\n"
         "\n"
         "function f (t.ons:1): 1 params, 3 registers, 0 upvalues, 0 constants, 8 instructions\n"
         "     0  [2]  LOADI        1 1\n"
         "     1  [3]  MOVE         2 0\n"
         "     2  [3]  TEST         2 0\n"
         "     3  [3]  JMP          1\t; to 5\n"
         "     4  [3]  MOVE         2 1\n"
         "     5  [3]  MOVE         1 2\n"
         "     6  [4]  RETURN       1\n"
         "     7  [5]  RETURNNIL    0\n"},
    /* assert on a comparison keeps both sides in registers for the message (ASSERT flag 2). */
    {"assert_keeps_both_sides",
         "assert 1 + 1 == 2, \"sum\"",
         "function <script> (t.ons:1): 0 params, 4 registers, 0 upvalues, 1 constants, 6 instructions\n"
         "     0  [1]  LOADI        2 2\n"
         "     1  [1]  LOADI        3 2\n"
         "     2  [1]  EQ           0 2 3\n"
         "     3  [1]  LOADK        1 0\t; \"sum\"\n"
         "     4  [1]  ASSERT       0 3\n"
         "     5  [1]  RETURNNIL    0\n"},
    /* `while a and b` jumps out on either failing test: JGTK for `n > 0`, JEQ for `n != 5`. */
    {"while_and_condition",
         "fn f(n) {\n"
         "    while n > 0 and n != 5 {\n"
         "        n = n - 1\n"
         "    }\n"
         "    return n\n"
         "}",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  CLOSURE      0 0\t; fn f\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [6]  RETURNNIL    0\n"
         "\n"
         "function f (t.ons:1): 1 params, 2 registers, 0 upvalues, 2 constants, 9 instructions\n"
         "     0  [2]  JMP          1\t; to 2\n"
         "     1  [3]  SUBK         0 0 0\t; 1\n"
         "     2  [2]  JGTK         0 1 0\t; 0\n"
         "     3  [2]  JMP          3\t; to 7\n"
         "     4  [2]  LOADI        1 5\n"
         "     5  [2]  JEQ          0 1 0\n"
         "     6  [2]  JMP          -6\t; to 1\n"
         "     7  [5]  RETURN       0\n"
         "     8  [6]  RETURNNIL    0\n"},
    /* `s at 2030` saves the year, sets it, evaluates and forces s, then restores it. */
    {"at_sets_and_restores_year",
         "fn f(s) = s at 2030",
         "function <script> (t.ons:1): 0 params, 1 registers, 0 upvalues, 0 constants, 3 instructions\n"
         "     0  [1]  CLOSURE      0 0\t; fn f\n"
         "     1  [1]  SETGLOBAL    0 0\n"
         "     2  [1]  RETURNNIL    0\n"
         "\n"
         "function f (t.ons:1): 1 params, 4 registers, 0 upvalues, 0 constants, 7 instructions\n"
         "     0  [1]  LOADI        3 2030\n"
         "     1  [1]  SETYEAR      2 3 0\n"
         "     2  [1]  MOVE         1 0\n"
         "     3  [1]  FORCE        1\n"
         "     4  [1]  RESTOREYEAR  2\n"
         "     5  [1]  RETURN       1\n"
         "     6  [1]  RETURNNIL    0\n"},

};

/* Compiles src as a file named t.ons in a fresh VM; returns its disassembly
 * (malloc'd), or fails the test with the diagnostics. */
static char *disassemble(const char *src)
{
    OnsOut out, err;
    out_init_buffer(&out);
    out_init_buffer(&err);
    OnsVM *vm = session_vm_new(&out, &err);
    OnsDiags diags;
    diags_init(&diags);
    OnsCompileResult res;
    OnsStatus st = frontend_compile(vm, source_new("t.ons", src, strlen(src)), NULL, &diags, &res);
    diags_render(&err, &diags);
    ck_assert_msg(st == ONS_OK, "compiling\n%s\nfailed:\n%s", src, err.buf);
    OnsOut dis;
    out_init_buffer(&dis);
    disasm_proto(vm, &dis, res.main->proto, false);
    char *text = strdup(dis.buf);
    out_free(&dis);
    frontend_result_free(&res);
    diags_free(&diags);
    vm_free(vm);
    out_free(&out);
    out_free(&err);
    return text;
}

START_TEST(golden)
{
    const DisCase *c = &cases[_i];
    char *got = disassemble(c->src);
    ck_assert_msg(strcmp(got, c->want) == 0, "%s: disassembly of\n%s\n--- expected\n%s--- got\n%s", c->name, c->src,
                  c->want, got);
    free(got);
}
END_TEST

/* Counts lines of a disassembly that name an opcode (padded as printed). */
static int count_op(const char *dis, const char *op)
{
    char pat[32];
    snprintf(pat, sizeof pat, "  %-12s ", op);
    int n = 0;
    for (const char *p = dis; (p = strstr(p, pat)); p++) n++;
    return n;
}

START_TEST(folding_leaves_no_arithmetic)
{
    char *d = disassemble("let a = 2 + 3\nlet b = (1 kt + 500 t) * 2\nlet c = -(4 ^ 2) / 8\nlet s = 25% * 2");
    ck_assert_int_eq(count_op(d, "ADD") + count_op(d, "MUL") + count_op(d, "DIV") + count_op(d, "POW") +
                         count_op(d, "NEG") + count_op(d, "ADDK") + count_op(d, "MULK") + count_op(d, "DIVK"),
                     0);
    ck_assert_ptr_nonnull(strstr(d, "LOADI        0 5\n"));
    ck_assert_ptr_nonnull(strstr(d, "; 3 kt\n"));
    ck_assert_ptr_nonnull(strstr(d, "LOADI        0 -2\n"));
    ck_assert_ptr_nonnull(strstr(d, "; 50%\n")); /* a folded share stays a share */
    free(d);
}
END_TEST

START_TEST(division_by_zero_is_not_folded)
{
    /* left to run time, where it is an error with a place, not a compile crash */
    char *d = disassemble("fn f() = 1 / 0");
    ck_assert_int_eq(count_op(d, "DIVK"), 1);
    free(d);
}
END_TEST

START_TEST(constant_operands_use_k_forms)
{
    char *d = disassemble("fn f(n) = [n + 1, n - 2 kt, n * 3, n / 4]");
    ck_assert_int_eq(count_op(d, "ADDK"), 1);
    ck_assert_int_eq(count_op(d, "SUBK"), 1);
    ck_assert_int_eq(count_op(d, "MULK"), 1);
    ck_assert_int_eq(count_op(d, "DIVK"), 1);
    free(d);
    d = disassemble("fn f(n) { if n <= 1 { return 1 } if n > 2 { return 2 } if n >= 3 { return 3 } return 0 }");
    ck_assert_int_eq(count_op(d, "JLEK"), 1);
    ck_assert_int_eq(count_op(d, "JGTK"), 1);
    ck_assert_int_eq(count_op(d, "JGEK"), 1);
    free(d);
}
END_TEST

START_TEST(repeated_constants_share_a_slot)
{
    char *d = disassemble("fn f(x) = [x + 0.5, x * 0.5, x - 0.5]");
    /* 0.5 is one constant; 50% (equal as a key, printed differently) would be another */
    ck_assert_ptr_nonnull(strstr(d, "1 constants"));
    free(d);
    d = disassemble("fn f(x) = [x + 0.5, x + 50%]");
    ck_assert_ptr_nonnull(strstr(d, "2 constants"));
    free(d);
}
END_TEST

/* ---- a failed compilation ---- */

START_TEST(errors_roll_everything_back)
{
    OnsOut out, err;
    out_init_buffer(&out);
    out_init_buffer(&err);
    OnsVM *vm = session_vm_new(&out, &err);
    OnsDiags diags;
    diags_init(&diags);
    OnsCompileResult res;
    const char *bad = "region US\nlet a = 1\nfn f() = 2\nlet b = 1 kt + 1 GWh\nlet c = nowhere\n";
    OnsStatus st = frontend_compile(vm, source_new("bad.ons", bad, strlen(bad)), NULL, &diags, &res);
    ck_assert_int_eq(st, ONS_ERR_COMPILE);
    ck_assert_ptr_null(res.main);
    ck_assert_int_eq(diags.errors, 2); /* both errors of the file, in one run */
    diags_render(&err, &diags);
    ck_assert_ptr_nonnull(strstr(err.buf, "bad.ons:4:16: error: cannot add kt (mass) and GWh (energy)\n"));
    ck_assert_ptr_nonnull(strstr(err.buf, "bad.ons:5:9: error: name 'nowhere' is not declared\n"));
    /* nothing of the file was kept: no region, no globals */
    ck_assert_int_eq(vm_global_find(vm, "US", 2), -1);
    ck_assert_int_eq(vm_global_find(vm, "a", 1), -1);
    ck_assert_int_eq(vm_global_find(vm, "f", 1), -1);
    frontend_result_free(&res);
    diags_free(&diags);

    /* the same names compile cleanly afterwards */
    diags_init(&diags);
    const char *good = "region US\nlet a = 1\n";
    st = frontend_compile(vm, source_new("good.ons", good, strlen(good)), NULL, &diags, &res);
    ck_assert_int_eq(st, ONS_OK);
    ck_assert_int_eq(diags.errors, 0);
    ck_assert_int_ge(vm_global_find(vm, "US", 2), 0);
    frontend_result_free(&res);
    diags_free(&diags);
    vm_free(vm);
    out_free(&out);
    out_free(&err);
}
END_TEST

Suite *make_compiler_suite(void)
{
    Suite *s = suite_create("compiler");
    TCase *tc = tcase_create("disassembly");
    tcase_add_loop_test(tc, golden, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, folding_leaves_no_arithmetic);
    tcase_add_test(tc, division_by_zero_is_not_folded);
    tcase_add_test(tc, constant_operands_use_k_forms);
    tcase_add_test(tc, repeated_constants_share_a_slot);
    suite_add_tcase(s, tc);
    TCase *te = tcase_create("errors");
    tcase_add_test(te, errors_roll_everything_back);
    suite_add_tcase(s, te);
    return s;
}
