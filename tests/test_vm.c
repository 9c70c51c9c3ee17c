/* The VM as a host program sees it: snippets run through session_run into
 * buffer sinks, one session across snippets, errors that leave the VM
 * usable for the next one (the REPL's promise), the step budget and the
 * interrupt flag, collections forced between and during runs, and calls
 * into Onshore code from C with vm_call. */
#include "tests.h"

#include "gc.h"
#include "session.h"
#include "vm.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static OnsOut out, err;
static OnsVM *vm;

static void setup(void)
{
    out_init_buffer(&out);
    out_init_buffer(&err);
    vm = session_vm_new(&out, &err);
}

static void teardown(void)
{
    vm_free(vm);
    out_free(&out);
    out_free(&err);
}

/* Runs text as the next snippet of the session; output and diagnostics of
 * earlier snippets are cleared first. */
static OnsStatus run_opts(const char *text, bool repl)
{
    out_reset(&out);
    out_reset(&err);
    OnsRunOptions opts = {repl, false};
    return session_run(vm, source_new("snippet.ons", text, strlen(text)), &opts);
}

static OnsStatus run(const char *text) { return run_opts(text, false); }

/* Runs text and fails unless it succeeds printing exactly want. */
static void run_ok(const char *text, const char *want)
{
    OnsStatus st = run(text);
    ck_assert_msg(st == ONS_OK, "running\n%s\nfailed (%d):\n%s", text, st, err.buf);
    ck_assert_msg(strcmp(out.buf, want) == 0, "running\n%s\n--- expected\n%s--- got\n%s", text, want, out.buf);
    ck_assert_str_eq(err.buf, "");
}

/* Runs text and fails unless it stops with status st and stderr holds want. */
static void run_fails(const char *text, OnsStatus st, const char *want)
{
    OnsStatus got = run(text);
    ck_assert_msg(got == st, "running\n%s\ngave status %d, expected %d; stderr:\n%s", text, got, st, err.buf);
    ck_assert_msg(strstr(err.buf, want) != NULL, "running\n%s\nstderr lacks\n  %s\n--- stderr\n%s", text, want,
                  err.buf);
}

/* The VM is back at rest: no frames, no registers in use, no year, no error. */
static void assert_at_rest(void)
{
    ck_assert_int_eq(vm->nframes, 0);
    ck_assert_ptr_eq(vm->top, vm->stack);
    ck_assert_int_eq(vm->native_depth, 0);
    ck_assert_ptr_null(vm->open_upvalues);
    ck_assert(ONS_IS_NIL(vm->year));
    ck_assert(!vm->error.set);
}

/* ---- running snippets ---- */

START_TEST(prints_into_buffer)
{
    run_ok("print(1 kt + 1 t, 1600 GWh, 44%)", "1.001 kt 1.6 TWh 44%\n");
    assert_at_rest();
}
END_TEST

START_TEST(one_session_across_snippets)
{
    run_ok("let rate = 40 kt/yr\nfn twice(x) = 2 * x", "");
    run_ok("print(twice(rate) * 1 yr)", "80 kt\n");
    run_ok("rate = 1 kt/yr\nprint(twice(rate * 1 yr))", "2 kt\n");
}
END_TEST

START_TEST(repl_echoes_the_last_expression)
{
    ck_assert_int_eq(run_opts("1600 GWh", true), ONS_OK);
    ck_assert_str_eq(out.buf, "1.6 TWh\n");
    ck_assert_int_eq(run_opts("\"text\"", true), ONS_OK);
    ck_assert_str_eq(out.buf, "\"text\"\n"); /* quoted, as a value */
    ck_assert_int_eq(run_opts("nil", true), ONS_OK);
    ck_assert_str_eq(out.buf, "");
    ck_assert_int_eq(run_opts("let x = 5", true), ONS_OK);
    ck_assert_str_eq(out.buf, "");
}
END_TEST

/* ---- errors leave the VM usable ---- */

START_TEST(runtime_error_then_next_snippet)
{
    run_ok("fn f(n) = 10 / n", "");
    run_fails("print(\"before\")\nprint(f(0))", ONS_ERR_RUNTIME,
              "snippet.ons:1:11: error: division by zero (dividing a plain number by zero)\n");
    ck_assert_str_eq(out.buf, "before\n"); /* output before the error is kept */
    ck_assert_ptr_nonnull(strstr(err.buf, "  in f, called from snippet.ons:2:7\n"));
    assert_at_rest();
    run_ok("print(f(2))", "5\n");
}
END_TEST

START_TEST(error_inside_at_restores_year)
{
    run_fails("fn g() = [year, 1 / 0]\nprint(g() at 2030)", ONS_ERR_RUNTIME, "division by zero");
    assert_at_rest();
    run_ok("print(year, year at 2031)", "nil 2031\n");
}
END_TEST

START_TEST(error_inside_native_callback)
{
    run_fails("print(map([1, 0], fn(x) = 1 / x))", ONS_ERR_RUNTIME, "in <lambda>, called from snippet.ons:1:7");
    assert_at_rest();
    run_ok("print(map([1, 2], fn(x) = x * 2), sort([3, 1, 2], fn(x) = -x))", "[2, 4] [3, 2, 1]\n");
}
END_TEST

START_TEST(error_with_open_upvalues)
{
    /* the closure's variable is still on the stack when the error unwinds */
    run_fails("let keep = nil\nfn mk() {\n let n = 41\n keep = fn() = n + 1\n return 1 / 0\n}\nmk()",
              ONS_ERR_RUNTIME, "division by zero");
    assert_at_rest();
    run_ok("print(keep())", "42\n"); /* closed with its last value */
}
END_TEST

START_TEST(deep_recursion_then_next_snippet)
{
    run_fails("fn down(n) = down(n + 1)\ndown(0)", ONS_ERR_RUNTIME, "too deep recursion");
    ck_assert_ptr_nonnull(strstr(err.buf, "times in a row)\n"));
    assert_at_rest();
    run_ok("fn fact(n) = if n <= 1 then 1 else n * fact(n - 1)\nprint(fact(10))", "3628800\n");
}
END_TEST

START_TEST(compile_error_keeps_the_session)
{
    run_ok("let good = 1", "");
    run_fails("let also = 2\nlet bad = 1 kt + 1 GWh", ONS_ERR_COMPILE,
              "snippet.ons:2:18: error: cannot add kt (mass) and GWh (energy)\n");
    ck_assert_str_eq(out.buf, ""); /* nothing of a failed file runs */
    run_ok("print(good)", "1\n");
    run_fails("print(also)", ONS_ERR_COMPILE, "name 'also' is not declared");
}
END_TEST

START_TEST(step_budget_stops_and_recovers)
{
    vm->max_steps = vm->steps + 5000;
    run_fails("while true {}", ONS_ERR_INTERRUPT, "(--max-steps)");
    assert_at_rest();
    vm->max_steps = 0;
    run_ok("let n = 0\nwhile n < 10000 { n = n + 1 }\nprint(n)", "10000\n");
}
END_TEST

START_TEST(interrupt_flag_stops_a_loop)
{
    static volatile sig_atomic_t flag;
    flag = 1;
    vm->interrupt = &flag;
    run_fails("let i = 0\nwhile true { i = i + 1 }", ONS_ERR_INTERRUPT, "error: interrupted");
    ck_assert_int_eq(flag, 0); /* consumed */
    assert_at_rest();
    run_ok("print(i > 0)", "true\n"); /* the loop ran until the poll */
}
END_TEST

/* ---- the collector ---- */

START_TEST(collect_between_snippets)
{
    run_ok("let acc = []\nlet n = 0\nfn counter() {\n let c = 0\n return fn() {\n  c = c + 1\n  return c\n }\n}\n"
           "let tick = counter()",
           "");
    for (int i = 0; i < 200; i++) {
        ck_assert_int_eq(run("append(acc, {\"n\": n, \"s\": str(n) + \" kt\"})\nn = n + 1\ntick()"), ONS_OK);
        gc_collect(vm);
    }
    run_ok("print(len(acc), acc[0], acc[199].s, tick())", "200 {\"n\": 0, \"s\": \"0 kt\"} 199 kt 201\n");
}
END_TEST

START_TEST(collect_reclaims_garbage)
{
    /* lots of garbage, a little kept: the heap after a collection is small */
    run_ok("let keep = []\n"
           "for i in 1..20000 {\n"
           "    let junk = [i, str(i), {\"k\": i}, step {2024: i * 1 kt}]\n"
           "    if i mod 5000 == 0 { append(keep, junk) }\n"
           "}\n"
           "print(len(keep), keep[-1][1])",
           "4 20000\n");
    gc_collect(vm);
    size_t after_first = vm->bytes_allocated;
    run_ok("for i in 1..20000 { let junk = [str(i), [i]] }", "");
    gc_collect(vm);
    ck_assert_uint_le(vm->bytes_allocated, after_first + 4096); /* the loop's garbage is gone */
    run_ok("print(keep[0][1], keep[0][2][\"k\"], keep[3][3] at 2030)", "5000 5000 20 Mt\n");
}
END_TEST

START_TEST(collect_while_natives_hold_values)
{
    /* sort and map call back into the VM while they hold partial results */
    run_ok("let words = map(1..300, fn(i) = str(300 - i) + \"x\")\n"
           "let sorted = sort(words, fn(w) = len(w) * 1000 + len(filter(map(1..3, fn(k) = str(k)), fn(s) = s == \"2\")))\n"
           "print(len(sorted), sorted[0], sorted[-1])",
           "300 9x 100x\n");
    gc_collect(vm);
    run_ok("print(sorted[1], words[0])", "8x 299x\n"); /* stable: equal keys keep their order */
}
END_TEST

/* ---- calling Onshore code from C ---- */

static OnsValue global(const char *name)
{
    int32_t g = vm_global_find(vm, name, strlen(name));
    ck_assert_msg(g >= 0, "no global %s", name);
    return vm->gvals[g];
}

START_TEST(vm_call_a_closure)
{
    run_ok("fn area(w, h) = w * h", "");
    OnsValue args[2] = {ons_quantity(3, dim_base(ONS_DIM_DISTANCE), 0),
                        ons_quantity(4, dim_base(ONS_DIM_DISTANCE), 0)};
    OnsValue r;
    ck_assert_int_eq(vm_call(vm, global("area"), args, 2, &r), ONS_OK);
    ck_assert(ONS_IS_NUM(r) && r.as.num == 12);
    ck_assert_int_eq(r.dim.e[ONS_DIM_DISTANCE], 2);
    assert_at_rest();
}
END_TEST

START_TEST(vm_call_a_native)
{
    OnsNative *max = vm_builtin(vm, "max", 3);
    ck_assert_ptr_nonnull(max);
    OnsValue args[3] = {ons_num(3), ons_num(9), ons_num(4)}, r;
    ck_assert_int_eq(vm_call(vm, ons_obj_value(&max->obj), args, 3, &r), ONS_OK);
    ck_assert(r.as.num == 9);
}
END_TEST

START_TEST(vm_call_with_a_year)
{
    run_ok("fn yearly() = (year - 2000) * 1 kt", "");
    OnsValue r;
    ck_assert_int_eq(vm_call_at_year(vm, global("yearly"), 2030, &r), ONS_OK);
    ck_assert(r.as.num == 30e3);
    ck_assert(ONS_IS_NIL(vm->year)); /* restored */
}
END_TEST

START_TEST(vm_call_errors)
{
    run_ok("fn area(w, h) = w * h\nfn boom(x) = x / 0", "");
    OnsValue args[1] = {ons_num(1)}, r;
    ck_assert_int_eq(vm_call(vm, global("area"), args, 1, &r), ONS_ERR_RUNTIME);
    ck_assert_str_eq(vm->error.msg, "area takes 2 arguments, got 1");
    vm_clear_error(vm);
    ck_assert_int_eq(vm_call(vm, global("boom"), args, 1, &r), ONS_ERR_RUNTIME);
    ck_assert_ptr_nonnull(strstr(vm->error.msg, "division by zero"));
    ck_assert_int_eq(vm->nframes, 0); /* its frame was unwound */
    ck_assert_ptr_eq(vm->top, vm->stack);
    vm_clear_error(vm);
    ck_assert_int_eq(vm_call(vm, ons_num(5), args, 1, &r), ONS_ERR_RUNTIME);
    ck_assert_str_eq(vm->error.msg, "a plain number is not a function");
    vm_clear_error(vm);
    OnsValue two[2] = {ons_num(2), ons_num(5)};
    ck_assert_int_eq(vm_call(vm, global("area"), two, 2, &r), ONS_OK); /* and it still works */
    ck_assert(r.as.num == 10);
}
END_TEST

START_TEST(vm_call_allocating_results)
{
    run_ok("fn label(i) = \"item \" + i\nfn pair(a, b) = [a, b]", "");
    for (int i = 0; i < 300; i++) {
        OnsValue a = ons_num(i), r;
        ck_assert_int_eq(vm_call(vm, global("label"), &a, 1, &r), ONS_OK);
        vm_push_root(vm, r); /* a host keeps what it holds rooted */
        OnsValue ab[2] = {r, ons_num(i)}, p;
        ck_assert_int_eq(vm_call(vm, global("pair"), ab, 2, &p), ONS_OK);
        ck_assert(ons_is_obj(p, ONS_OBJ_LIST));
        OnsString *s = ONS_AS_STRING(ONS_AS_LIST(p)->items[0]);
        char want[32];
        snprintf(want, sizeof want, "item %d", i);
        ck_assert_str_eq(s->chars, want);
        vm_pop_roots(vm, 1);
        if (i % 50 == 0) gc_collect(vm);
    }
}
END_TEST

Suite *make_vm_suite(void)
{
    Suite *s = suite_create("vm");
    TCase *tc = tcase_create("sessions");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, prints_into_buffer);
    tcase_add_test(tc, one_session_across_snippets);
    tcase_add_test(tc, repl_echoes_the_last_expression);
    tcase_add_test(tc, runtime_error_then_next_snippet);
    tcase_add_test(tc, error_inside_at_restores_year);
    tcase_add_test(tc, error_inside_native_callback);
    tcase_add_test(tc, error_with_open_upvalues);
    tcase_add_test(tc, deep_recursion_then_next_snippet);
    tcase_add_test(tc, compile_error_keeps_the_session);
    tcase_add_test(tc, step_budget_stops_and_recovers);
    tcase_add_test(tc, interrupt_flag_stops_a_loop);
    suite_add_tcase(s, tc);
    TCase *gc = tcase_create("collector");
    tcase_add_checked_fixture(gc, setup, teardown);
    tcase_set_timeout(gc, 300); /* slow under -DONS_STRESS_GC with sanitizers */
    tcase_add_test(gc, collect_between_snippets);
    tcase_add_test(gc, collect_reclaims_garbage);
    tcase_add_test(gc, collect_while_natives_hold_values);
    suite_add_tcase(s, gc);
    TCase *calls = tcase_create("vm_call");
    tcase_add_checked_fixture(calls, setup, teardown);
    tcase_add_test(calls, vm_call_a_closure);
    tcase_add_test(calls, vm_call_a_native);
    tcase_add_test(calls, vm_call_with_a_year);
    tcase_add_test(calls, vm_call_errors);
    tcase_add_test(calls, vm_call_allocating_results);
    suite_add_tcase(s, calls);
    return s;
}
