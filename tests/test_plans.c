/* Spec 12: least-cost plans, beyond the hand-solved scripts of
 * tests/scripts/plan/.
 *
 * lp_file:      the program `write:` puts in a file is read by two other
 *               solvers -- the `clp` command and GLPK's `glpsol`, independent
 *               readers of CPLEX LP format -- and both find the objective
 *               onshore reports (plan_cost, in millions of $ in the file).
 * deterministic: the same program twice gives the same file and the same
 *               report, byte for byte.
 * mip_lp_file:  a plan with `size` writes its integer columns as Generals. */
#include "tests.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A two-stage world with an enforced share, an option with lead time and
 * discounting: every kind of row and column but integers. */
static const char *const world =
    "stages mining, refining\n"
    "material ore { unit: t, stage: mining, price: 50 $/t }\n"
    "material metal { unit: t, stage: refining, price: 300 $/t, needs: {ore: 2 t/t} }\n"
    "region A\nregion B\nregion C\n"
    "facility b_metal { region: B, makes: metal, capacity: 100 kt/yr, cost: 180 $/t }\n"
    "facility c_metal { region: C, makes: metal, capacity: 100 kt/yr, cost: 200 $/t }\n"
    "facility b_ore { region: B, makes: ore, capacity: 500 kt/yr, cost: 40 $/t }\n"
    "option a_metal { region: A, makes: metal, cost: 210 $/t, capex: 400 $ / (1 t/yr), lead: 1 yr }\n"
    "option a_mine { region: A, makes: ore, cost: 45 $/t, capex: 60 $ / (1 t/yr), max: 30 kt/yr }\n"
    "demand A metal: linear {2024: 20 kt, 2030: 40 kt}\n"
    "policy duty { tariff 10% on metal from B to A }\n"
    "policy home { require share of metal from A >= step {2026: 30%, 2028: 50%} for A from 2026\n"
    "              require top origin share of metal <= 80% for A }\n"
    "scenario p { years: 2024..2030, use: duty, plan { options: [a_metal, a_mine], enforce: [home], "
    "discount: 5%, write: \"@LP@\" } }\n"
    "let r = run p\n"
    "print(plan_cost(r) / 1 M$)\n"
    "report plan for A\n";

static char *program(const char *lp_path, const char *text)
{
    const char *at = strstr(text, "@LP@");
    size_t n = strlen(text) + strlen(lp_path) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, lp_path, at + 4);
    return out;
}

/* The first number after `marker` in the output of a shell command. */
static double number_after(const char *cmd, const char *marker)
{
    FILE *p = popen(cmd, "r");
    ck_assert_msg(p != NULL, "cannot run %s", cmd);
    char line[4096];
    double v = NAN;
    while (fgets(line, sizeof line, p)) {
        const char *at = strstr(line, marker);
        if (at && isnan(v)) v = strtod(at + strlen(marker), NULL);
    }
    pclose(p);
    ck_assert_msg(!isnan(v), "no '%s' in the output of %s", marker, cmd);
    return v;
}

START_TEST(lp_file)
{
    char *dir = tu_make_dir("onshore-plan");
    char lp[512], sol[512];
    snprintf(lp, sizeof lp, "%s/plan.lp", dir);
    snprintf(sol, sizeof sol, "%s/glpsol.out", dir);
    char *src = program(lp, world);
    const char *path = tu_temp_file(0, ".ons", src);
    const char *args[] = {path, NULL};
    TuResult r;
    tu_run(args, NULL, NULL, &r);
    ck_assert_msg(r.status == 0, "the plan does not run: %s", r.err);
    double ours = strtod(r.out, NULL);
    ck_assert_msg(ours > 0, "no plan cost in:\n%s", r.out);
    ck_assert_msg(strstr(r.out, "shadow price") != NULL, "no shadow price in:\n%s", r.out);
    tu_result_free(&r);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "clp '%s' -dualsimplex 2>&1", lp);
    double clp = number_after(cmd, "Optimal objective ");
    snprintf(cmd, sizeof cmd, "glpsol --lp '%s' -o '%s' >/dev/null 2>&1; cat '%s'", lp, sol, sol);
    double glpk = number_after(cmd, "cost = ");
    ck_assert_msg(fabs(clp - ours) <= 1e-6 * ours, "clp finds %.10g M$, onshore %.10g M$", clp, ours);
    ck_assert_msg(fabs(glpk - ours) <= 1e-6 * ours, "glpsol finds %.10g M$, onshore %.10g M$", glpk, ours);
    free(src);
    tu_remove_dir(dir);
}
END_TEST

START_TEST(deterministic)
{
    char *dir = tu_make_dir("onshore-plan");
    char lp[512];
    snprintf(lp, sizeof lp, "%s/plan.lp", dir);
    char *src = program(lp, world);
    const char *path = tu_temp_file(0, ".ons", src);
    const char *args[] = {path, NULL};
    TuResult a, b;
    tu_run(args, NULL, NULL, &a);
    char *lp_a = tu_read_file(lp, NULL);
    tu_run(args, NULL, NULL, &b);
    char *lp_b = tu_read_file(lp, NULL);
    ck_assert_msg(a.status == 0 && b.status == 0, "the plan does not run: %s", a.err);
    ck_assert_str_eq(a.out, b.out);
    ck_assert_msg(lp_a && lp_b && strcmp(lp_a, lp_b) == 0, "two runs wrote different LP files");
    ck_assert_msg(strstr(lp_a, "Minimize") && strstr(lp_a, "Subject To") && strstr(lp_a, "require_home_1_2026") &&
                      strstr(lp_a, "b_a_metal_2024") && strstr(lp_a, "balance_A_ore_2030"),
                  "the LP file lacks its readable names:\n%.2000s", lp_a);
    tu_result_free(&a);
    tu_result_free(&b);
    free(lp_a);
    free(lp_b);
    free(src);
    tu_remove_dir(dir);
}
END_TEST

START_TEST(mip_lp_file)
{
    char *dir = tu_make_dir("onshore-plan");
    char lp[512];
    snprintf(lp, sizeof lp, "%s/lumpy.lp", dir);
    static const char *const lumpy =
        "stages make\n"
        "material w { unit: t, stage: make, price: 100 $/t }\n"
        "region A\nregion B\n"
        "facility b_plant { region: B, makes: w, capacity: 100 kt/yr, cost: 100 $/t }\n"
        "option lumpy { region: A, makes: w, cost: 50 $/t, capex: 100 $ / (1 t/yr), size: 4 kt/yr }\n"
        "demand A w: 10 kt\n"
        "scenario p { years: 2024..2026, plan { options: [lumpy], write: \"@LP@\", time_limit: 60 } }\n"
        "print(plan_cost(run p) / 1 M$)\n";
    char *src = program(lp, lumpy);
    const char *path = tu_temp_file(0, ".ons", src);
    const char *args[] = {path, NULL};
    TuResult r;
    tu_run(args, NULL, NULL, &r);
    ck_assert_msg(r.status == 0, "the plan does not run: %s", r.err);
    ck_assert_str_eq(r.out, "2.6\n");
    tu_result_free(&r);
    char *text = tu_read_file(lp, NULL);
    ck_assert_msg(text && strstr(text, "Generals\n n_lumpy_2024\n"), "no integer columns in:\n%s", text);
    free(text);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "glpsol --lp '%s' -o '%s/sol' >/dev/null 2>&1; cat '%s/sol'", lp, dir, dir);
    double glpk = number_after(cmd, "cost = ");
    ck_assert_msg(fabs(glpk - 2.6) < 1e-9, "glpsol finds %.10g M$ for the integer plan, onshore 2.6 M$", glpk);
    free(src);
    tu_remove_dir(dir);
}
END_TEST

Suite *make_plans_suite(void)
{
    Suite *s = suite_create("plans");
    TCase *tc = tcase_create("solvers");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, lp_file);
    tcase_add_test(tc, deterministic);
    tcase_add_test(tc, mip_lp_file);
    suite_add_tcase(s, tc);
    return s;
}
