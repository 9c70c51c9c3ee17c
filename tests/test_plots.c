/* Spec 13: charts.
 *
 * golden: tests/plots/charts.ons draws every kind of plot; its output is
 *         tests/plots/charts.utf8.out in a UTF-8 locale and
 *         charts.ascii.out in the C locale, and the SVG files it writes are
 *         tests/plots/NAME.svg.  Every SVG passes xmllint and renders with
 *         rsvg-convert to a PNG of the size the SVG says.  Regenerate with
 *         ONS_UPDATE_GOLDENS=1 (then read the diff before committing).
 * edges:  the chart drawing itself, in process: a zero range, one year,
 *         undefined values and negative values. */
#include "tests.h"

#include "chart.h"
#include "mem.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const svg_names[] = {"lines", "compare", "imports", "spread", "flat"};

/* text with every @DIR@ replaced by dir */
static char *with_dir(const char *text, const char *dir)
{
    size_t cap = strlen(text) * 2 + strlen(dir) * 16 + 1, len = 0;
    char *out = malloc(cap);
    for (const char *p = text; *p;) {
        if (strncmp(p, "@DIR@", 5) == 0) {
            len += (size_t)snprintf(out + len, cap - len, "%s", dir);
            p += 5;
        } else {
            out[len++] = *p++;
        }
    }
    out[len] = '\0';
    return out;
}

static bool updating(void)
{
    const char *u = getenv("ONS_UPDATE_GOLDENS");
    return u && *u && strcmp(u, "0") != 0;
}

/* Compares got with the golden file (or writes it when updating). */
static void check_golden(const char *rel, const char *got, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", tu_path(rel));
    if (updating()) {
        FILE *f = fopen(path, "wb");
        ck_assert_msg(f != NULL, "cannot write %s", path);
        fwrite(got, 1, len, f);
        fclose(f);
        return;
    }
    size_t want_len;
    char *want = tu_read_file(path, &want_len);
    ck_assert_msg(want != NULL, "no golden %s: run the suite with ONS_UPDATE_GOLDENS=1", rel);
    bool same = want_len == len && memcmp(want, got, len) == 0;
    if (!same) {
        size_t i = 0;
        while (i < len && i < want_len && want[i] == got[i]) i++;
        size_t from = i > 200 ? i - 200 : 0;
        ck_abort_msg("%s differs at byte %zu:\n--- golden\n%.400s\n--- drawn\n%.400s", rel, i, want + from, got + from);
    }
    free(want);
}

/* The width and height of a PNG, from its IHDR. */
static bool png_size(const char *path, unsigned *w, unsigned *h)
{
    size_t len;
    char *png = tu_read_file(path, &len);
    if (!png || len < 24 || memcmp(png + 12, "IHDR", 4) != 0) {
        free(png);
        return false;
    }
    const unsigned char *b = (const unsigned char *)png;
    *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
    *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
    free(png);
    return true;
}

/* xmllint accepts the SVG, and rsvg-convert renders it at the size it gives. */
static void check_svg_valid(const char *path)
{
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s' 2>&1", path);
    ck_assert_msg(system(cmd) == 0, "xmllint rejects %s", path);
    size_t len;
    char *svg = tu_read_file(path, &len);
    ck_assert(svg != NULL);
    unsigned w = 0, h = 0, pw = 0, ph = 0;
    const char *at = strstr(svg, "<svg ");
    ck_assert_msg(at && sscanf(strstr(at, "width=\""), "width=\"%u\" height=\"%u\"", &w, &h) == 2, "no size in %s", path);
    free(svg);
    snprintf(cmd, sizeof cmd, "rsvg-convert -o '%s.png' '%s'", path, path);
    ck_assert_msg(system(cmd) == 0, "rsvg-convert cannot render %s", path);
    snprintf(cmd, sizeof cmd, "%s.png", path);
    ck_assert_msg(png_size(cmd, &pw, &ph), "no PNG from %s", path);
    ck_assert_msg(pw == w && ph == h, "%s renders %ux%u, not %ux%u", path, pw, ph, w, h);
}

START_TEST(charts_golden)
{
    bool utf8 = _i == 0;
    size_t len;
    char *text = tu_read_file(tu_path("tests/plots/charts.ons"), &len);
    ck_assert(text != NULL);
    char *dir = tu_make_dir("onshore-plots");
    char *program = with_dir(text, dir);
    free(text);
    const char *path = tu_temp_file(0, ".ons", program);
    free(program);
    const char *env[] = {utf8 ? "LANG=C.UTF-8" : "LANG=C", "LC_ALL=", "LC_CTYPE=", "TERM=xterm", "COLUMNS=", NULL};
    const char *args[] = {path, NULL};
    TuResult r;
    tu_run(args, NULL, env, &r);
    ck_assert_msg(r.status == 0, "the charts do not draw:\n%s", r.err);
    ck_assert_str_eq(r.err, "");
    check_golden(utf8 ? "tests/plots/charts.utf8.out" : "tests/plots/charts.ascii.out", r.out, strlen(r.out));
    if (utf8) {
        ck_assert_msg(strstr(r.out, "⠉") && strstr(r.out, "┤"), "no braille in a UTF-8 locale");
    } else {
        for (const char *p = r.out; *p; p++) /* ASCII but for the header's middle dots */
            ck_assert_msg((unsigned char)*p < 0x80 || strncmp(p, "·", 2) == 0 || (p > r.out && strncmp(p - 1, "·", 2) == 0),
                          "not ASCII at: %.40s", p);
    }
    ck_assert_msg(!strstr(r.out, "\x1b["), "colour when not a terminal");
    tu_result_free(&r);
    for (size_t i = 0; i < sizeof svg_names / sizeof *svg_names; i++) {
        char svg[600], rel[200];
        snprintf(svg, sizeof svg, "%s/%s.svg", dir, svg_names[i]);
        snprintf(rel, sizeof rel, "tests/plots/%s.svg", svg_names[i]);
        char *got = tu_read_file(svg, &len);
        ck_assert_msg(got != NULL, "the program wrote no %s", svg);
        check_golden(rel, got, len);
        free(got);
        check_svg_valid(svg);
    }
    tu_remove_dir(dir);
}
END_TEST

/* A plot written twice is the same file: nothing in it depends on time or place. */
START_TEST(svg_same_bytes)
{
    char *dir = tu_make_dir("onshore-plots");
    char program[2000];
    snprintf(program, sizeof program,
             "stages c\nregion US\nregion CN\nmaterial m { unit: t, stage: c, price: 1 $/t }\n"
             "facility f { region: US, makes: m, capacity: linear {2024: 1 t/yr, 2030: 5 t/yr} }\n"
             "facility g { region: CN, makes: m, capacity: 9 t/yr }\n"
             "demand US m: 6 t\nscenario s { years: 2024..2030 }\nrun s\n"
             "plot localization for US on m to \"%s/a.svg\"\nplot localization for US on m to \"%s/b.SVG\"\n"
             "plot localization for US on m to \"%s/c.txt\"\n",
             dir, dir, dir);
    const char *path = tu_temp_file(0, ".ons", program);
    const char *args[] = {"--jobs", "1", path, NULL};
    TuResult r;
    tu_run(args, NULL, NULL, &r);
    ck_assert_msg(r.status == 0 && r.out[0] == '\0', "%s%s", r.out, r.err);
    tu_result_free(&r);
    char a[400], b[400], c[400];
    snprintf(a, sizeof a, "%s/a.svg", dir);
    snprintf(b, sizeof b, "%s/b.SVG", dir);
    snprintf(c, sizeof c, "%s/c.txt", dir);
    size_t la, lb, lc;
    char *sa = tu_read_file(a, &la), *sb = tu_read_file(b, &lb), *sc = tu_read_file(c, &lc);
    ck_assert(sa && sb && sc);
    ck_assert_msg(la == lb && memcmp(sa, sb, la) == 0, "two drawings of one plot differ");
    ck_assert_msg(strncmp(sa, "<?xml", 5) == 0 && strstr(sa, "<title>scenario s · years 2024..2030 · model "),
                  "%.300s", sa);
    ck_assert_msg(strncmp(sc, "scenario s · years", 18) == 0 && strstr(sc, "localization for US on m, 2024..2030\n"),
                  "a .txt gets the text chart:\n%s", sc);
    free(sa);
    free(sb);
    free(sc);
    tu_remove_dir(dir);
}
END_TEST

/* The README's chart, docs/us_2030.svg, is what this binary draws (make docs-chart). */
START_TEST(readme_chart_is_current)
{
    char *dir = tu_make_dir("onshore-plots");
    char call[600], svg[500], examples[4096], chart[4096];
    snprintf(svg, sizeof svg, "%s/us_2030.svg", dir);
    snprintf(call, sizeof call, "chart(\"%s\")", svg);
    snprintf(examples, sizeof examples, "%s", tu_path("examples/us_2030.ons"));
    snprintf(chart, sizeof chart, "%s", tu_path("docs/us_2030_chart.ons"));
    const char *args[] = {examples, chart, "-e", call, NULL};
    TuResult r;
    tu_run(args, NULL, NULL, &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    tu_result_free(&r);
    size_t la, lb;
    char *drawn = tu_read_file(svg, &la), *committed = tu_read_file(tu_path("docs/us_2030.svg"), &lb);
    ck_assert_msg(drawn && committed, "no chart");
    ck_assert_msg(la == lb && memcmp(drawn, committed, la) == 0,
                  "docs/us_2030.svg is not what this binary draws: run `make docs-chart` and commit it");
    free(drawn);
    free(committed);
    check_svg_valid(svg);
    tu_remove_dir(dir);
}
END_TEST

/* ---- the drawing itself, in process ---- */

static char *draw_text(const OnsChart *c, bool unicode)
{
    OnsOut out;
    out_init_buffer(&out);
    OnsChartStyle st = {60, unicode, false};
    chart_render_text(c, &st, &out);
    out_putc(&out, '\0');
    char *s = strdup(out.buf);
    out_free(&out);
    return s;
}

static char *draw_svg(const OnsChart *c)
{
    OnsOut out;
    out_init_buffer(&out);
    chart_render_svg(c, &out);
    out_putc(&out, '\0');
    char *s = strdup(out.buf);
    out_free(&out);
    return s;
}

static void svg_passes_xmllint(const char *svg)
{
    const char *path = tu_temp_file(1, ".svg", svg);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
    ck_assert_msg(system(cmd) == 0, "xmllint rejects:\n%s", svg);
}

static void lines_chart(OnsChart *c, uint32_t n, const double *ys, bool percent)
{
    chart_init(c, CHART_LINES, n);
    c->percent = percent;
    for (uint32_t i = 0; i < n; i++) c->years[i] = 2024 + (int32_t)i;
    OnsChartSeries *s = chart_add_series(c, "a <series> & more");
    for (uint32_t i = 0; i < n; i++) s->y[i] = ys[i];
}

START_TEST(negative_values_get_an_axis_below_zero)
{
    OnsChart c;
    static const double ys[] = {-0.3, -0.1, 0.2, 0.45};
    lines_chart(&c, 4, ys, true);
    char *text = draw_text(&c, false);
    ck_assert_msg(strstr(text, "-40% +") && strstr(text, "  0% +") && strstr(text, " 60% +"), "%s", text);
    char *svg = draw_svg(&c);
    ck_assert_msg(strstr(svg, ">-40%<") && strstr(svg, "a &lt;series&gt; &amp; more"), "%s", svg);
    svg_passes_xmllint(svg);
    free(text);
    free(svg);
    chart_free(&c);
}
END_TEST

START_TEST(undefined_values_break_the_line)
{
    OnsChart c;
    static const double ys[] = {0.1, NAN, 0.3, 0.4, NAN};
    lines_chart(&c, 5, ys, true);
    char *svg = draw_svg(&c);
    /* two pieces of line: 2024 alone (a point), then 2026-2027 */
    const char *first = strstr(svg, "<polyline");
    ck_assert_msg(first && strstr(first + 1, "<polyline") && !strstr(strstr(first + 1, "<polyline") + 1, "<polyline"),
                  "%s", svg);
    svg_passes_xmllint(svg);
    char *text = draw_text(&c, true);
    ck_assert_msg(strstr(text, "2028") != NULL, "every year on the axis:\n%s", text);
    free(text);
    free(svg);
    chart_free(&c);
}
END_TEST

START_TEST(zero_range_and_one_year)
{
    OnsChart c;
    static const double zeros[] = {0, 0, 0};
    lines_chart(&c, 3, zeros, false);
    c.dim = dim_base(ONS_DIM_MASS);
    char *text = draw_text(&c, false);
    ck_assert_msg(strstr(text, "0 t +") || strstr(text, "0.0 t +") || strstr(text, "0 kg +") || strstr(text, "0.0 kg +"),
                  "a flat zero still has an axis:\n%s", text);
    free(text);
    chart_free(&c);
    static const double one[] = {0.42};
    lines_chart(&c, 1, one, true);
    text = draw_text(&c, true);
    ck_assert_msg(strstr(text, "●") && strstr(text, "2024"), "one year is a marked point:\n%s", text);
    char *svg = draw_svg(&c);
    svg_passes_xmllint(svg);
    free(svg);
    free(text);
    chart_free(&c);
    /* nothing at all */
    chart_init(&c, CHART_LINES, 0);
    text = draw_text(&c, true);
    ck_assert_msg(strstr(text, "nothing to draw") != NULL, "%s", text);
    svg = draw_svg(&c);
    svg_passes_xmllint(svg);
    free(svg);
    free(text);
    chart_free(&c);
}
END_TEST

Suite *make_plots_suite(void)
{
    Suite *s = suite_create("plots");
    TCase *tc = tcase_create("charts");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, charts_golden, 0, 2);
    tcase_add_test(tc, svg_same_bytes);
    tcase_add_test(tc, readme_chart_is_current);
    tcase_add_test(tc, negative_values_get_an_axis_below_zero);
    tcase_add_test(tc, undefined_values_break_the_line);
    tcase_add_test(tc, zero_range_and_one_year);
    suite_add_tcase(s, tc);
    return s;
}
