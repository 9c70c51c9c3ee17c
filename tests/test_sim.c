/* The simulation engine ranks imports by merging per-(origin, destination)
 * streams; the literal way (every pair sorted, as spec §6 step 5 words it,
 * ONSHORE_SIM_LITERAL=1) is kept as their oracle.  These tests generate
 * models with ties, bans, tariffs (negative ones too, whose lanes need an
 * order of their own), credits, lanes, quotas and both sourcing modes, and
 * require every figure and every explain to be the same either way. */
#include "tests.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Text {
    char *s;
    size_t len, cap;
} Text;

static void add(Text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(Text *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->s = realloc(t->s, t->cap);
    }
    memcpy(t->s + t->len, buf, (size_t)n + 1);
    t->len += (size_t)n;
}

/* A model where many facilities share a cost, so ties decide the order. */
static char *model(int variant)
{
    Text t = {0};
    unsigned seed = 7u + (unsigned)variant;
    add(&t, "stages raw, part, cell\n");
    int R = 9, F = 160;
    for (int r = 0; r < R; r++) add(&t, "region R%d\n", r);
    add(&t, "group west = [R0, R1, R2]\n");
    add(&t, "material raw1 { unit: t, stage: raw, price: 100 $/t }\n");
    add(&t, "material part1 { unit: t, stage: part, price: 1 k$/t, needs: {raw1: 2 t/t} }\n");
    add(&t, "material cell1 { unit: GWh, stage: cell, price: 90 $/kWh, needs: {part1: 1 kt/GWh} }\n");
    const char *mats[] = {"raw1", "part1", "cell1"};
    for (int f = 0; f < F; f++) {
        seed = seed * 1103515245u + 12345u;
        int m = f % 3, r = (int)((seed >> 8) % (unsigned)R);
        const char *u = m == 2 ? "GWh" : "kt";
        int cost = 80 + (int)((seed >> 16) % 4) * 5; /* few distinct costs: ties */
        add(&t, "facility f%d { region: R%d, makes: %s, capacity: %d %s/yr, cost: %d %s, qualify: %d yr }\n", f, r,
            mats[m], 5 + (int)((seed >> 4) % 20), u, m == 2 ? cost : cost * 10, m == 2 ? "$/kWh" : "$/t",
            (int)((seed >> 12) % 3));
    }
    for (int r = 0; r < R; r++) add(&t, "demand R%d cell1: linear {2025: %d GWh, 2030: %d GWh}\n", r, 20 + 7 * r, 40 + 11 * r);
    add(&t, "lane * -> * { cost: 5%% }\nlane R3 -> * { cost: 1%% }\nlane * -> R4 { cost: 0%% }\nlane R1 -> R2 { cost: 3%% }\n");
    add(&t, "policy p {\n  tariff 10%% on stage cell from R0 to west\n  tariff 7 $/t on part1 from * to R5\n"
            "  ban raw1 from R6 to * from 2027\n  credit 5%% on stage part in R2 until 2028\n");
    if (variant >= 2) /* lanes whose landed cost falls as net cost grows, and a quota (spec 10.2) */
        add(&t, "  tariff -40%% on part1 from R7 to *\n  quota 30 kt/yr on [raw1, part1] from R3 to *\n");
    add(&t, "}\n");
    if (variant >= 2) add(&t, "lane R8 -> R0 { cost: -150%% }\n");
    add(&t, "scenario s { years: 2025..2030, use: [p]%s }\n", variant % 2 ? ", sourcing: cheapest" : "");
    add(&t, "r = run s\nfor y in 2025..2030 { for reg in regions() { for m in materials() {\n"
            "  print(y, reg, m, fmt(demand(r, reg, m, y), \"0.000001\"), fmt(local(r, reg, m, y), \"0.000001\"), "
            "fmt(imported(r, reg, m, y), \"0.000001\"), fmt(shortage(r, reg, m, y), \"0.000001\"), "
            "landed_cost(r, reg, m, y), tariffs_paid(r, reg, m, y), credits(r, reg, m, y), imports(r, reg, m, y))\n"
            "}}}\n"
            "for reg in [R0, R4, R5, R8] { for m in materials() { explain reg m 2029 } }\n");
    return t.s;
}

START_TEST(streams_equal_literal)
{
    char *text = model(_i);
    const char *path = tu_temp_file(0, ".ons", text);
    const char *args[] = {path, NULL};
    TuResult fast, literal;
    tu_run(args, NULL, NULL, &fast);
    const char *env[] = {"ONSHORE_SIM_LITERAL=1", NULL};
    tu_run(args, NULL, env, &literal);
    ck_assert_msg(fast.status == 0, "the model failed:\n%s", fast.err);
    ck_assert_int_eq(literal.status, 0);
    ck_assert_msg(strlen(fast.out) > 1000, "too little output:\n%s", fast.out);
    ck_assert_msg(strcmp(fast.out, literal.out) == 0, "the two ways of ranking imports differ");
    tu_result_free(&fast);
    tu_result_free(&literal);
    free(text);
}
END_TEST

/* Spec 11: a sweep's results do not depend on the number of processes that
 * compute its samples -- what each sample prints included, and an error in
 * a sample comes out as in one process. */
START_TEST(sweeps_equal_for_any_jobs)
{
    static const char program[] =
        "stages part, cell\nregion US\nregion CN\n"
        "material part { unit: t, stage: part, price: 1 k$/t }\n"
        "material cell { unit: GWh, stage: cell, price: 90 $/kWh, needs: {part: 1 kt/GWh} }\n"
        "param growth = triangular(70%, 100%, 140%)\nparam slip = choice {0 yr: 60%, 1 yr: 25%, 2 yr: 15%}\n"
        "param cost = lognormal(80 $/kWh, 0.2)\n"
        "fn noisy(v) { if v > 150 GWh { print(\"big\", v) } return v }\n"
        "facility us { region: US, makes: cell, capacity: delay(step {2026: 60 GWh/yr, 2028: 120 GWh/yr}, slip) }\n"
        "facility cn { region: CN, makes: cell, capacity: 1 TWh/yr, cost: cost }\n"
        "facility cnp { region: CN, makes: part, capacity: 1 Mt/yr }\n"
        "demand US cell: noisy(linear {2025: 50 GWh, 2030: 150 GWh} * growth)\n"
        "policy p { require localization of cell >= 50% for US }\n"
        "scenario s { years: 2025..2030, use: [p] }\n"
        "let w = sweep s { runs: 37, seed: 11 }\n"
        "report spread gap for US on stage part in 2025..2030\nreport drivers localization for US on stage cell in 2030\n"
        "print(localization(w, US, stage cell, 2030), imports(sweep s { runs: 5, record: [imports(US, cell)] }, US, cell, 2029))\n";
    const char *path = tu_temp_file(0, ".ons", program);
    TuResult one, three;
    const char *a1[] = {"--jobs", "1", path, NULL}, *a3[] = {"--jobs", "3", path, NULL};
    tu_run(a1, NULL, NULL, &one);
    tu_run(a3, NULL, NULL, &three);
    ck_assert_msg(one.status == 0, "the sweep failed:\n%s", one.err);
    ck_assert_msg(strstr(one.out, "big") != NULL && strstr(one.out, "drivers of localization") != NULL,
                  "too little output:\n%s", one.out);
    ck_assert_msg(strcmp(one.out, three.out) == 0, "--jobs 1 and --jobs 3 differ:\n%s\n---\n%s", one.out, three.out);
    tu_result_free(&one);
    tu_result_free(&three);
    /* an error in a sample: the same message, however many processes */
    const char *bad = tu_temp_file(1, ".ons",
                                   "stages c\nregion US\nmaterial m { unit: t, stage: c, price: 1 $/t }\n"
                                   "param g = uniform(0, 1)\n"
                                   "facility f { region: US, makes: m, capacity: if g > 0.9 then -1 t/yr else 1 t/yr }\n"
                                   "demand US m: 1 t\nscenario s { years: 2030..2030 }\nlet w = sweep s { runs: 50 }\n");
    const char *b1[] = {"--jobs", "1", bad, NULL}, *b3[] = {"--jobs", "3", bad, NULL};
    tu_run(b1, NULL, NULL, &one);
    tu_run(b3, NULL, NULL, &three);
    ck_assert_int_eq(one.status, 1);
    ck_assert_msg(strstr(one.err, "negative") != NULL, "%s", one.err);
    ck_assert_msg(three.status == 1 && strcmp(one.err, three.err) == 0, "errors differ:\n%s\n---\n%s", one.err, three.err);
    tu_result_free(&one);
    tu_result_free(&three);
}
END_TEST

Suite *make_sim_suite(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("ranking");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, streams_equal_literal, 0, 4);
    tcase_add_test(tc, sweeps_equal_for_any_jobs);
    suite_add_tcase(s, tc);
    return s;
}
