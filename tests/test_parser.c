/* The grammar (spec §3-§8): every code block of the spec parses, and the AST
 * dump of a representative program of every declaration, statement and
 * expression form, including the rules that depend on line starts. */
#include "tests.h"

#include "fe_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Case {
    const char *src, *want;
} Case;

#define N_CASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- the spec's own examples ---- */

#define MAX_BLOCKS 64

typedef struct SpecBlock {
    char section[16]; /* "4", "6.1", "" before the first numbered heading */
    char *text;
} SpecBlock;

typedef struct Spec {
    char *md;
    SpecBlock blocks[MAX_BLOCKS];
    int n;
} Spec;

/* The spec of the shared checkout when there is one, else the copy vendored
 * in tests/spec/; when both exist they must be the same text. */
static char *read_spec(void)
{
    char shared[4096], vendored[4096];
    snprintf(shared, sizeof shared, "%s", tu_path("../shared/spec/LANGUAGE.md"));
    snprintf(vendored, sizeof vendored, "%s", tu_path("tests/spec/LANGUAGE.md"));
    char *a = tu_read_file(shared, NULL);
    char *b = tu_read_file(vendored, NULL);
    ck_assert_msg(a || b, "cannot read the spec: neither %s nor %s exists", shared, vendored);
    if (a && b) {
        ck_assert_msg(strcmp(a, b) == 0,
                      "the spec %s differs from its vendored copy %s: copy the new spec into "
                      "tests/spec/ (cp %s tests/spec/LANGUAGE.md) and commit it",
                      shared, vendored, shared);
        free(b);
        return a;
    }
    return a ? a : b;
}

/* "## 6. Scenarios" -> "6", "### 6.1 A worked example" -> "6.1" */
static void heading_section(const char *line, size_t len, char *out, size_t n)
{
    size_t i = 0, k = 0;
    while (i < len && line[i] == '#') i++;
    while (i < len && line[i] == ' ') i++;
    while (i < len && k + 1 < n && ((line[i] >= '0' && line[i] <= '9') || line[i] == '.'))
        out[k++] = line[i++];
    while (k > 0 && out[k - 1] == '.') k--;
    out[k] = '\0';
}

/* Splits the spec into its ``` fenced blocks, each with its section. */
static void load_spec(Spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->md = read_spec();
    char section[16] = "";
    const char *p = spec->md, *block_start = NULL;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *next = eol ? eol + 1 : p + len;
        if (len >= 3 && strncmp(p, "```", 3) == 0) {
            if (!block_start) {
                block_start = next;
            } else {
                ck_assert_msg(spec->n < MAX_BLOCKS, "more than %d code blocks in the spec", MAX_BLOCKS);
                SpecBlock *b = &spec->blocks[spec->n++];
                snprintf(b->section, sizeof b->section, "%s", section);
                size_t blen = (size_t)(p - block_start);
                b->text = malloc(blen + 1);
                memcpy(b->text, block_start, blen);
                b->text[blen] = '\0';
                block_start = NULL;
            }
        } else if (!block_start && len > 0 && p[0] == '#') {
            heading_section(p, len, section, sizeof section);
        }
        p = next;
    }
    ck_assert_msg(!block_start, "the spec ends inside a ``` block");
}

static void free_spec(Spec *spec)
{
    for (int i = 0; i < spec->n; i++) free(spec->blocks[i].text);
    free(spec->md);
}

/* The block of §9 shows an error message, not code. */
static bool is_code(const SpecBlock *b)
{
    return strstr(b->text, "error:") == NULL;
}

static void assert_parses_clean(const char *what, const char *text)
{
    char *ast, *diags;
    bool ok = tu_parse(text, &ast, &diags);
    ck_assert_msg(ok && diags[0] == '\0', "%s does not parse:\n%s\n--- its text:\n%s", what, diags, text);
    ck_assert_msg(ast[0] != '\0', "%s parsed to nothing:\n%s", what, text);
    free(ast);
    free(diags);
}

START_TEST(spec_blocks_found)
{
    Spec spec;
    load_spec(&spec);
    int code = 0, errors = 0, worked = 0, program = 0;
    for (int i = 0; i < spec.n; i++) {
        const SpecBlock *b = &spec.blocks[i];
        if (!is_code(b)) {
            errors++;
            ck_assert_msg(strcmp(b->section, "9") == 0, "an error block in section %s", b->section);
            continue;
        }
        code++;
        if (strcmp(b->section, "6.1") == 0) worked++;
        else if (atoi(b->section) >= 4 && atoi(b->section) <= 7) program++;
    }
    ck_assert_int_eq(errors, 1);
    ck_assert_int_eq(worked, 1);
    ck_assert_msg(program >= 4, "only %d code blocks in sections 4 to 7", program);
    ck_assert_msg(code >= 6, "only %d code blocks in the spec", code);
    free_spec(&spec);
}
END_TEST

/* Every section is implemented: version 1 (1 to 9), and version 2's 10
 * (recipes, quotas, captive supply, propagation), 11 (params, sweeps), 12
 * (plans) and 13 (charts).  Kept as the place a future section starts. */
static bool is_implemented(const SpecBlock *b)
{
    return atoi(b->section) <= 13;
}

START_TEST(every_spec_block_parses)
{
    Spec spec;
    load_spec(&spec);
    for (int i = 0; i < spec.n; i++) {
        if (!is_code(&spec.blocks[i]) || !is_implemented(&spec.blocks[i])) continue;
        char what[64];
        snprintf(what, sizeof what, "code block %d of the spec (section %s)", i + 1,
                 spec.blocks[i].section);
        assert_parses_clean(what, spec.blocks[i].text);
    }
    free_spec(&spec);
}
END_TEST

/* §4 to §7 taken in order form one program (§6.1 is a program of its own). */
START_TEST(spec_sections_4_to_7_are_one_program)
{
    Spec spec;
    load_spec(&spec);
    size_t total = 1;
    for (int i = 0; i < spec.n; i++) total += strlen(spec.blocks[i].text) + 1;
    char *program = malloc(total);
    program[0] = '\0';
    for (int i = 0; i < spec.n; i++) {
        const SpecBlock *b = &spec.blocks[i];
        int major = atoi(b->section);
        if (!is_code(b) || major < 4 || major > 7 || strcmp(b->section, "6.1") == 0) continue;
        strcat(program, b->text);
        strcat(program, "\n");
    }
    assert_parses_clean("sections 4 to 7 of the spec, concatenated", program);
    free(program);
    free_spec(&spec);
}
END_TEST

/* Sections 10 to 13, taken in order and appended to the program of 4 to 7,
 * form one program that checks clean and runs (spec, opening); so far up to
 * the sections implemented. */
START_TEST(spec_version_2_program_runs)
{
    Spec spec;
    load_spec(&spec);
    size_t total = 1;
    for (int i = 0; i < spec.n; i++) total += strlen(spec.blocks[i].text) + 1;
    char *program = malloc(total);
    program[0] = '\0';
    int v2 = 0;
    for (int i = 0; i < spec.n; i++) {
        const SpecBlock *b = &spec.blocks[i];
        int major = atoi(b->section);
        if (!is_code(b) || !is_implemented(b) || major < 4 || strcmp(b->section, "6.1") == 0) continue;
        if (major > 7 && major < 10) continue;
        v2 += major >= 10;
        strcat(program, b->text);
        strcat(program, "\n");
    }
    ck_assert_msg(v2 >= 4, "only %d code blocks of section 10", v2);
    const char *path = tu_temp_file(0, ".ons", program);
    const char *check[] = {"check", path, NULL};
    TuResult r;
    tu_run(check, NULL, NULL, &r);
    ck_assert_msg(r.status == 0 && strstr(r.err, "error") == NULL, "onshore check of the spec's program: exit %d\n%s",
                  r.status, r.err);
    tu_result_free(&r);
    const char *run[] = {path, NULL};
    tu_run(run, NULL, NULL, &r);
    ck_assert_msg(r.status == 0, "the spec's program does not run: exit %d\n%s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "how US got anode_graphite in 2030") != NULL, "no explain in:\n%.2000s", r.out);
    ck_assert_msg(strstr(r.out, "sweep uncertain (Announced projects; uncertain demand, costs and delays) · 500 runs · "
                                "seed 7") != NULL,
                  "no sweep report in:\n%.2000s", r.out);
    /* section 13: each plot draws, with its header line */
    ck_assert_msg(strstr(r.out, "localization for US, 2024..2030\n") != NULL &&
                      strstr(r.out, "compare baseline, graphite_shock · years") != NULL &&
                      strstr(r.out, "supply of US on stage active in 2030, by origin") != NULL &&
                      strstr(r.out, "spread of localization for US on stage cell, 2024..2030\n") != NULL,
                  "a plot of section 13 is missing in:\n%s", r.out + (strlen(r.out) > 6000 ? strlen(r.out) - 6000 : 0));
    tu_result_free(&r);
    free(program);
    free_spec(&spec);
}
END_TEST

START_TEST(spec_worked_example_alone)
{
    Spec spec;
    load_spec(&spec);
    for (int i = 0; i < spec.n; i++)
        if (strcmp(spec.blocks[i].section, "6.1") == 0)
            assert_parses_clean("the worked example of section 6.1", spec.blocks[i].text);
    free_spec(&spec);
}
END_TEST

/* ---- declarations (§4-§6) ---- */

static const Case decls[] = {
    {"stages mining, refining, active, cell",
     "(stages (name mining) (name refining) (name active) (name cell))"},
    {"class critical_mineral, component",
     "(classes (name critical_mineral) (name component))"},
    {"class solo", "(classes (name solo))"},
    {"region US", "(region US)"},
    {"region US \"United States\"", "(region US \"United States\")"},
    {"region BR { note: \"n\", source: \"s\" }",
     "(region BR (prop note (str \"n\")) (prop source (str \"s\")))"},
    {"region MX \"Mexico\" { note: \"n\" }", "(region MX \"Mexico\" (prop note (str \"n\")))"},
    {"group north_america = [US, CA, MX]",
     "(group north_america (list (ident US) (ident CA) (ident MX)))"},
    {"group g \"G\" = [US] { source: \"x\" }",
     "(group g \"G\" (list (ident US)) (prop source (str \"x\")))"},
    {"material graphite_natural { unit: t, stage: mining, classes: [critical_mineral], price: 600 $/t }",
     "(material graphite_natural (prop unit (ident t)) (prop stage (ident mining)) "
     "(prop classes (list (ident critical_mineral))) (prop price (num 600 [$/t])))"},
    /* properties separated by newlines, ',' or ';'; comments between them */
    {"material cell \"Cells\" {\n    unit: GWh   # per piece\n    stage: cell; price: 100 $/kWh,\n"
     "    needs: {cam: 1.55 kt/GWh, anode: 1.05 kt/GWh}\n}",
     "(material cell \"Cells\" (prop unit (ident GWh)) (prop stage (ident cell)) "
     "(prop price (num 100 [$/kWh])) (prop needs (map (pair (ident cam) (num 0.00155 [t/kWh])) "
     "(pair (ident anode) (num 0.00105 [t/kWh])))))"},
    {"material m {}", "(material m)"},
    {"facility thacker_pass \"Thacker Pass\" {\n    region: US\n    makes: lithium_carbonate\n"
     "    capacity: step {2028: 40 kt/yr, 2031: 80 kt/yr}\n    utilization: 85%\n"
     "    qualify: 2 yr\n    recycled: false\n}",
     "(facility thacker_pass \"Thacker Pass\" (prop region (ident US)) "
     "(prop makes (ident lithium_carbonate)) (prop capacity (series step "
     "(pair (num 2028) (num 40000 [t/yr])) (pair (num 2031) (num 80000 [t/yr])))) "
     "(prop utilization (num 0.85 %)) (prop qualify (num 2 [yr])) (prop recycled (bool false)))"},
    /* property values may use year and any expression */
    {"facility f { capacity: if year < 2030 then 0 t/yr else 5 kt/yr }",
     "(facility f (prop capacity (if-expr (binary < (ident year) (num 2030)) (num 0 [t/yr]) "
     "(num 5000 [t/yr]))))"},
    {"lane CN -> US { cost: 4%, days: 40 }",
     "(lane (ident CN) (ident US) (prop cost (num 0.04 %)) (prop days (num 40)))"},
    {"lane A -> B", "(lane (ident A) (ident B))"},
    {"lane * -> * { cost: 6% }", "(lane (star) (star) (prop cost (num 0.06 %)))"},
    {"lane CN -> *", "(lane (ident CN) (star))"},
    /* B <- A is the lane from A to B, marked as written backwards */
    {"lane US <- CN { days: 40 }", "(lane <- (ident CN) (ident US) (prop days (num 40)))"},
    {"demand US cell_nmc811: linear {2024: 0.2 TWh, 2030: 1.6 TWh}",
     "(demand (ident US) (ident cell_nmc811) (series linear (pair (num 2024) (num 200000000 [kWh])) "
     "(pair (num 2030) (num 1600000000 [kWh]))))"},
    {"demand US cell: 1.6 TWh/yr { source: \"BNEF\" }",
     "(demand (ident US) (ident cell) (num 1600000000 [kWh/yr]) (prop source (str \"BNEF\")))"},
    /* a property name may be a keyword */
    {"facility f { region: US, stage: x, class: y, group: g, demand: d, use: u, top: 1, step: 2 }",
     "(facility f (prop region (ident US)) (prop stage (ident x)) (prop class (ident y)) "
     "(prop group (ident g)) (prop demand (ident d)) (prop use (ident u)) (prop top (num 1)) "
     "(prop step (num 2)))"},
};

START_TEST(declarations)
{
    fe_ast_is(decls[_i].src, decls[_i].want);
}
END_TEST

static const Case policies[] = {
    {"policy section301 \"Section 301 tariffs\" {\n"
     "    tariff 25% on [cell_nmc811, cell_lfp] from CN to US from 2024\n"
     "    tariff 25% on graphite_natural from CN to US from 2026\n}",
     "(policy section301 \"Section 301 tariffs\" (tariff (num 0.25 %) (list (ident cell_nmc811) "
     "(ident cell_lfp)) (ident CN) (ident US) (bounds from 2024)) (tariff (num 0.25 %) "
     "(ident graphite_natural) (ident CN) (ident US) (bounds from 2026)))"},
    /* a tariff per unit, with no time bounds, between region sets */
    {"policy p { tariff 100 $/t on * from [CN, HK] to north_america }",
     "(policy p (tariff (num 100 [$/t]) (star) (list (ident CN) (ident HK)) (ident north_america)))"},
    {"policy p {\n  credit 35 $/kWh on stage cell in US from 2023 until 2029\n"
     "  credit 10% on class component in * until 2030\n}",
     "(policy p (credit (num 35 [$/kWh]) (stage cell) (ident US) _ (bounds from 2023 until 2029)) "
     "(credit (num 0.1 %) (class component) (star) _ (bounds until 2030)))"},
    {"policy p { ban [graphite_natural, anode_graphite] from CN to * from 2027 }",
     "(policy p (ban _ (list (ident graphite_natural) (ident anode_graphite)) (ident CN) (star) "
     "(bounds from 2027)))"},
    /* every require metric, and a series as the target */
    {"policy p {\n"
     "  require share of class critical_mineral from fta >= step {2024: 50%, 2027: 80%} for US\n"
     "  require share of stage mining from EU >= 10% for EU from 2030\n"
     "  require recycled share of class critical_mineral >= 25% for EU from 2030\n"
     "  require top origin share of * <= 65% for EU until 2035\n"
     "  require localization of cell > 40% for US from 2025 until 2030\n}",
     "(policy p (require share >= (series step (pair (num 2024) (num 0.5 %)) (pair (num 2027) "
     "(num 0.8 %))) (class critical_mineral) (ident fta) (ident US)) "
     "(require share >= (num 0.1 %) (stage mining) (ident EU) (ident EU) (bounds from 2030)) "
     "(require recycled-share >= (num 0.25 %) (class critical_mineral) _ (ident EU) (bounds from 2030)) "
     "(require top-origin-share <= (num 0.65 %) (star) _ (ident EU) (bounds until 2035)) "
     "(require localization > (num 0.4 %) (ident cell) _ (ident US) (bounds from 2025 until 2030)))"},
    /* every comparison of a require */
    {"policy p {\n  require localization of m == 1 for US\n  require localization of m != 1 for US\n"
     "  require localization of m < 1 for US\n  require localization of m <= 1 for US\n}",
     "(policy p (require localization == (num 1) (ident m) _ (ident US)) "
     "(require localization != (num 1) (ident m) _ (ident US)) "
     "(require localization < (num 1) (ident m) _ (ident US)) "
     "(require localization <= (num 1) (ident m) _ (ident US)))"},
    /* a policy carries properties next to its rules */
    {"policy p \"P\" { source: \"law\"; ban m from * to US }",
     "(policy p \"P\" (prop source (str \"law\")) (ban _ (ident m) (star) (ident US)))"},
};

START_TEST(policy_rules)
{
    fe_ast_is(policies[_i].src, policies[_i].want);
}
END_TEST

static const Case scenarios[] = {
    {"scenario baseline \"Announced projects\" {\n    years: 2024..2035\n    use: [section301, ira_45x]\n}",
     "(scenario baseline \"Announced projects\" (prop years (binary .. (num 2024) (num 2035))) "
     "(prop use (list (ident section301) (ident ira_45x))))"},
    {"scenario shock extends baseline \"China bans graphite\" {\n"
     "    use: [cn_graphite_controls]\n"
     "    thacker_pass.capacity: step {2030: 40 kt/yr}\n"
     "    demand US cell_nmc811: linear {2024: 0.2 TWh, 2030: 1.8 TWh}\n"
     "    sourcing: cheapest\n}",
     "(scenario shock \"China bans graphite\" (ident baseline) (prop use (list (ident cn_graphite_controls))) "
     "(override capacity (ident thacker_pass) (series step (pair (num 2030) (num 40000 [t/yr])))) "
     "(demand (ident US) (ident cell_nmc811) (series linear (pair (num 2024) (num 200000000 [kWh])) "
     "(pair (num 2030) (num 1800000000 [kWh])))) (prop sourcing (ident cheapest)))"},
    /* the title may also come before extends; an empty block */
    {"scenario s2 \"T\" extends s {}", "(scenario s2 \"T\" (ident s))"},
    {"scenario s {}", "(scenario s)"},
    /* an override of a keyword-named property */
    {"scenario s extends b { f.region: CA }", "(scenario s (ident b) (override region (ident f) (ident CA)))"},
};

START_TEST(scenario_decls)
{
    fe_ast_is(scenarios[_i].src, scenarios[_i].want);
}
END_TEST

/* ---- statements (§7-§8) ---- */

static const Case stmts[] = {
    {"let x = 1", "(let x (num 1))"},
    {"x = 2", "(assign (ident x) (num 2))"},
    {"xs[0] = 2", "(assign (index (ident xs) (num 0)) (num 2))"},
    {"m[US][cell] = 3", "(assign (index (index (ident m) (ident US)) (ident cell)) (num 3))"},
    {"f.capacity = 3 kt/yr", "(assign (member capacity (ident f)) (num 3000 [t/yr]))"},
    {"x = 1; y = 2;", "(assign (ident x) (num 1))\n(assign (ident y) (num 2))\n"},
    {"if a { b = 1 }", "(if (ident a) (block (assign (ident b) (num 1))))"},
    {"if a { b } else { c }", "(if (ident a) (block (expr (ident b))) (block (expr (ident c))))"},
    {"if a {\n  b\n} else if c {\n  d\n} else if e {\n} else {\n  f\n}",
     "(if (ident a) (block (expr (ident b))) (if (ident c) (block (expr (ident d))) "
     "(if (ident e) (block) (block (expr (ident f))))))"},
    {"for y in 2024..2030 { print(y) }",
     "(for y (binary .. (num 2024) (num 2030)) (block (expr (call (ident print) (arg (ident y))))))"},
    {"for f in facilities(region: US) {\n  total = total + f.capacity\n}",
     "(for f (call (ident facilities) (arg region (ident US))) (block (assign (ident total) "
     "(binary + (ident total) (member capacity (ident f))))))"},
    {"while x < 3 { x = x + 1 }",
     "(while (binary < (ident x) (num 3)) (block (assign (ident x) (binary + (ident x) (num 1)))))"},
    {"fn ramp(y0, y1, v) = v * (year - y0) / (y1 - y0)",
     "(fn ramp (binary / (binary * (ident v) (binary - (ident year) (ident y0))) "
     "(binary - (ident y1) (ident y0))) (param y0) (param y1) (param v))"},
    {"fn add(a, b) {\n  let c = a + b\n  return c\n}",
     "(fn add (block (let c (binary + (ident a) (ident b))) (return (ident c))) (param a) (param b))"},
    {"fn none() { return }", "(fn none (block (return)))"},
    {"fn early(x) {\n  if x { return }\n  return\n}",
     "(fn early (block (if (ident x) (block (return))) (return)) (param x))"},
    {"fn f(a,) = a", "(fn f (ident a) (param a))"},
    {"assert x", "(assert (ident x))"},
    {"assert x == 1, \"x must be 1\"", "(assert (binary == (ident x) (num 1)) (str \"x must be 1\"))"},
    {"import battery", "(import battery)"},
    {"run baseline", "(expr (run baseline))"},
    {"r = run baseline", "(assign (ident r) (run baseline))"},
    {"print(a, b)", "(expr (call (ident print) (arg (ident a)) (arg (ident b))))"},
};

START_TEST(statements)
{
    fe_ast_is(stmts[_i].src, stmts[_i].want);
}
END_TEST

static const Case reports[] = {
    {"report gap for US in 2030", "(report gap (ident US) (num 2030))"},
    {"report gap for US in 2024..2035 on stage active",
     "(report gap (ident US) (binary .. (num 2024) (num 2035)) (stage active))"},
    /* clauses in any order */
    {"report imports on anode_graphite in 2030 for US",
     "(report imports (ident US) (num 2030) (ident anode_graphite))"},
    {"report compliance for US", "(report compliance (ident US))"},
    {"report sources", "(report sources)"},
    {"report gap for US in 2030 as csv", "(report gap \"csv\" (ident US) (num 2030))"},
    {"report gap to \"out.csv\" as csv for [US, CA]",
     "(report gap \"csv\" (list (ident US) (ident CA)) _ _ (str \"out.csv\"))"},
    {"report compare baseline, graphite_shock for US in 2030",
     "(report compare (ident US) (num 2030) (ident baseline) (ident graphite_shock))"},
    /* a clause may go on the next line when it starts with in, on, as or to */
    {"report gap for US\n    in 2030\n    as markdown",
     "(report gap \"markdown\" (ident US) (num 2030))"},
    {"report gap for *; x = 1", "(report gap (star))\n(assign (ident x) (num 1))\n"},
    {"explain US anode_graphite 2030", "(explain (ident US) (ident anode_graphite) (num 2030))"},
    {"explain US m y + 1", "(explain (ident US) (ident m) (binary + (ident y) (num 1)))"},
    {"if a { report gap for US }", "(if (ident a) (block (report gap (ident US))))"},
};

START_TEST(report_statements)
{
    fe_ast_is(reports[_i].src, reports[_i].want);
}
END_TEST

/* ---- expressions ---- */

static const Case exprs[] = {
    /* precedence: ^ over unary minus over * over + */
    {"x = 1 + 2 * 3", "(assign (ident x) (binary + (num 1) (binary * (num 2) (num 3))))"},
    {"x = (1 + 2) * 3", "(assign (ident x) (binary * (binary + (num 1) (num 2)) (num 3)))"},
    {"x = 1 - 2 - 3", "(assign (ident x) (binary - (binary - (num 1) (num 2)) (num 3)))"},
    {"x = 8 / 4 / 2", "(assign (ident x) (binary / (binary / (num 8) (num 4)) (num 2)))"},
    {"x = 2 ^ 3 ^ 2", "(assign (ident x) (binary ^ (num 2) (binary ^ (num 3) (num 2))))"},
    {"x = -2 ^ 2", "(assign (ident x) (unary - (binary ^ (num 2) (num 2))))"},
    {"x = -a * b", "(assign (ident x) (binary * (unary - (ident a)) (ident b)))"},
    {"x = 2 * 3 ^ 2", "(assign (ident x) (binary * (num 2) (binary ^ (num 3) (num 2))))"},
    {"x = a mod b * c", "(assign (ident x) (binary * (binary mod (ident a) (ident b)) (ident c)))"},
    {"x = 1 + 2 * 3 ^ -4",
     "(assign (ident x) (binary + (num 1) (binary * (num 2) (binary ^ (num 3) (unary - (num 4))))))"},
    /* comparisons below arithmetic; not below comparison; and below not; or lowest */
    {"x = a + 1 < b * 2", "(assign (ident x) (binary < (binary + (ident a) (num 1)) (binary * (ident b) (num 2))))"},
    {"x = not a == b", "(assign (ident x) (unary not (binary == (ident a) (ident b))))"},
    {"x = not a and b", "(assign (ident x) (binary and (unary not (ident a)) (ident b)))"},
    {"x = a or b and c", "(assign (ident x) (binary or (ident a) (binary and (ident b) (ident c))))"},
    {"x = a >= 1 and b != 2 or c <= 3",
     "(assign (ident x) (binary or (binary and (binary >= (ident a) (num 1)) (binary != (ident b) (num 2))) "
     "(binary <= (ident c) (num 3))))"},
    {"x = a > b", "(assign (ident x) (binary > (ident a) (ident b)))"},
    /* `a <- b` can only mean a < -b */
    {"x = a <- b", "(assign (ident x) (binary < (ident a) (unary - (ident b))))"},
    /* .. below arithmetic, above comparison */
    {"r = y0 + 1..y1 - 1",
     "(assign (ident r) (binary .. (binary + (ident y0) (num 1)) (binary - (ident y1) (num 1))))"},
    /* at is the loosest binary operator */
    {"v = capacity at 2030", "(assign (ident v) (binary at (ident capacity) (num 2030)))"},
    /* `at` binds tighter than arithmetic and comparison: x at 2030 == 30 kt */
    {"v = a + b at y + 1",
     "(assign (ident v) (binary + (binary + (ident a) (binary at (ident b) (ident y))) (num 1)))"},
    {"v = s at 2027 == 30 * t", "(assign (ident v) (binary == (binary at (ident s) (num 2027)) (binary * (num 30) (ident t))))"},
    {"v = if a then b else c", "(assign (ident v) (if-expr (ident a) (ident b) (ident c)))"},
    {"v = if a then b else if c then d else e + 1",
     "(assign (ident v) (if-expr (ident a) (ident b) (if-expr (ident c) (ident d) "
     "(binary + (ident e) (num 1)))))"},
    {"double = fn(x) = x * 2", "(assign (ident double) (lambda (binary * (ident x) (num 2)) (param x)))"},
    {"f = fn() { return 1 }", "(assign (ident f) (lambda (block (return (num 1)))))"},
    {"ys = map(xs, fn(x, i) = x + i)",
     "(assign (ident ys) (call (ident map) (arg (ident xs)) (arg (lambda (binary + (ident x) (ident i)) "
     "(param x) (param i)))))"},
    {"ms = materials(stage: active)", "(assign (ident ms) (call (ident materials) (arg stage (ident active))))"},
    {"fs = facilities(region: US, makes: m)",
     "(assign (ident fs) (call (ident facilities) (arg region (ident US)) (arg makes (ident m))))"},
    {"v = fmt(x, \"0.1\",)", "(assign (ident v) (call (ident fmt) (arg (ident x)) (arg (str \"0.1\"))))"},
    {"v = f()", "(assign (ident v) (call (ident f)))"},
    {"v = f(a)(b)", "(assign (ident v) (call (call (ident f) (arg (ident a))) (arg (ident b))))"},
    {"v = xs[i + 1]", "(assign (ident v) (index (ident xs) (binary + (ident i) (num 1))))"},
    {"v = imports(r, US, cell, 2030)[CN]",
     "(assign (ident v) (index (call (ident imports) (arg (ident r)) (arg (ident US)) (arg (ident cell)) "
     "(arg (num 2030))) (ident CN)))"},
    {"v = f.region", "(assign (ident v) (member region (ident f)))"},
    {"v = f.makes.stage.name",
     "(assign (ident v) (member name (member stage (member makes (ident f)))))"},
    {"v = step {2028: 40 kt/yr, 2031: 80 kt/yr}",
     "(assign (ident v) (series step (pair (num 2028) (num 40000 [t/yr])) (pair (num 2031) (num 80000 [t/yr]))))"},
    {"v = linear {2024: 0.2 TWh, 2030: 1.6 TWh,}",
     "(assign (ident v) (series linear (pair (num 2024) (num 200000000 [kWh])) (pair (num 2030) "
     "(num 1600000000 [kWh]))))"},
    {"v = {CN: 5 kt, \"a\": 1, 2030: x}",
     "(assign (ident v) (map (pair (ident CN) (num 5000 [t])) (pair (str \"a\") (num 1)) "
     "(pair (num 2030) (ident x))))"},
    {"v = {}", "(assign (ident v) (map))"},
    {"v = []", "(assign (ident v) (list))"},
    {"v = [1, [2, 3],]", "(assign (ident v) (list (num 1) (list (num 2) (num 3))))"},
    {"v = stage refining", "(assign (ident v) (stage refining))"},
    {"v = class critical_mineral", "(assign (ident v) (class critical_mineral))"},
    {"v = demand(r, US, m, 2030)",
     "(assign (ident v) (call (ident demand) (arg (ident r)) (arg (ident US)) (arg (ident m)) (arg (num 2030))))"},
    {"v = localization(r, US, stage active, 2030)",
     "(assign (ident v) (call (ident localization) (arg (ident r)) (arg (ident US)) (arg (stage active)) "
     "(arg (num 2030))))"},
    {"v = complies(r, ira_30d, US, 2027)",
     "(assign (ident v) (call (ident complies) (arg (ident r)) (arg (ident ira_30d)) (arg (ident US)) "
     "(arg (num 2027))))"},
    {"v = [true, false, nil, \"s\"]",
     "(assign (ident v) (list (bool true) (bool false) (nil) (str \"s\")))"},
    {"v = year", "(assign (ident v) (ident year))"},
    {"v = run s", "(assign (ident v) (run s))"},
};

START_TEST(expressions)
{
    fe_ast_is(exprs[_i].src, exprs[_i].want);
}
END_TEST

/* ---- rules that depend on where a line starts ---- */

START_TEST(paren_at_line_start_is_a_new_statement)
{
    fe_ast_is("f\n(x)", "(expr (ident f))\n(expr (ident x))\n");
    fe_ast_is("f(x)", "(expr (call (ident f) (arg (ident x))))");
    /* inside a line it is a call */
    fe_ast_is("y = f (x)", "(assign (ident y) (call (ident f) (arg (ident x))))");
}
END_TEST

START_TEST(bracket_at_line_start_is_a_new_statement)
{
    fe_ast_is("x = [1]\n[2]", "(assign (ident x) (list (num 1)))\n(expr (list (num 2)))\n");
    fe_ast_is("x = xs\n  [0]", "(assign (ident x) (ident xs))\n(expr (list (num 0)))\n");
    fe_ast_is("x = xs[0]", "(assign (ident x) (index (ident xs) (num 0)))");
}
END_TEST

START_TEST(report_ends_at_its_line)
{
    fe_ast_is("report sources\nfor x in xs { print(x) }",
              "(report sources)\n(for x (ident xs) (block (expr (call (ident print) (arg (ident x))))))\n");
    fe_ast_is("report gap for US\nx = 1", "(report gap (ident US))\n(assign (ident x) (num 1))\n");
    fe_ast_is("explain US m 2030\n(a)",
              "(explain (ident US) (ident m) (num 2030))\n(expr (ident a))\n");
    fe_ast_is("for r in [US] {\n  report gap for r\n}",
              "(for r (list (ident US)) (block (report gap (ident r))))");
}
END_TEST

START_TEST(class_at_line_start_declares)
{
    fe_ast_is("class a, b", "(classes (name a) (name b))");
    fe_ast_is("x = class a", "(assign (ident x) (class a))");
    fe_ast_is("class a\nx = class a", "(classes (name a))\n(assign (ident x) (class a))\n");
    /* inside a block `class` at a line start names a class */
    fe_ast_is("if c {\n  class a\n}", "(if (ident c) (block (expr (class a))))");
}
END_TEST

START_TEST(operators_continue_onto_the_next_line)
{
    /* an item ends where nothing can continue it; an operator continues it */
    fe_ast_is("x = a\n  - b", "(assign (ident x) (binary - (ident a) (ident b)))");
    fe_ast_is("x = a +\n  b", "(assign (ident x) (binary + (ident a) (ident b)))");
    fe_ast_is("x = a\ny = b", "(assign (ident x) (ident a))\n(assign (ident y) (ident b))\n");
    fe_ast_is("stages a, b\nc", "(stages (name a) (name b))\n(expr (ident c))\n");
}
END_TEST

Suite *make_parser_suite(void)
{
    Suite *s = suite_create("parser");
    TCase *tc = tcase_create("spec");
    tcase_add_test(tc, spec_blocks_found);
    tcase_add_test(tc, every_spec_block_parses);
    tcase_add_test(tc, spec_sections_4_to_7_are_one_program);
    tcase_add_test(tc, spec_worked_example_alone);
    tcase_add_test(tc, spec_version_2_program_runs);
    suite_add_tcase(s, tc);

    tc = tcase_create("ast");
    tcase_add_loop_test(tc, declarations, 0, N_CASES(decls));
    tcase_add_loop_test(tc, policy_rules, 0, N_CASES(policies));
    tcase_add_loop_test(tc, scenario_decls, 0, N_CASES(scenarios));
    tcase_add_loop_test(tc, statements, 0, N_CASES(stmts));
    tcase_add_loop_test(tc, report_statements, 0, N_CASES(reports));
    tcase_add_loop_test(tc, expressions, 0, N_CASES(exprs));
    suite_add_tcase(s, tc);

    tc = tcase_create("lines");
    tcase_add_test(tc, paren_at_line_start_is_a_new_statement);
    tcase_add_test(tc, bracket_at_line_start_is_a_new_statement);
    tcase_add_test(tc, report_ends_at_its_line);
    tcase_add_test(tc, class_at_line_start_declares);
    tcase_add_test(tc, operators_continue_onto_the_next_line);
    suite_add_tcase(s, tc);
    return s;
}
