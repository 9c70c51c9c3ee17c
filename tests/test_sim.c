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

Suite *make_sim_suite(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("ranking");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, streams_equal_literal, 0, 4);
    suite_add_tcase(s, tc);
    return s;
}
