/* Units: parsing unit expressions, dimension arithmetic, readable printing. */
#include "tests.h"

#include "units.h"

#include <math.h>
#include <string.h>

static void parse_ok(const char *text, double factor, const char *base)
{
    OnsDim d;
    double f;
    bool pct;
    const char *bad;
    size_t used = unit_parse(text, strlen(text), &d, &f, &pct, &bad);
    ck_assert_msg(used == strlen(text), "unit '%s' parsed %zu bytes", text, used);
    ck_assert_msg(fabs(f - factor) <= 1e-12 * fabs(factor), "unit '%s': factor %g, want %g", text, f, factor);
    char buf[64];
    ck_assert_str_eq(dim_base_units(d, buf, sizeof buf), base);
}

START_TEST(every_unit)
{
    parse_ok("g", 1e-6, "t");
    parse_ok("kg", 1e-3, "t");
    parse_ok("t", 1, "t");
    parse_ok("kt", 1e3, "t");
    parse_ok("Mt", 1e6, "t");
    parse_ok("Wh", 1e-3, "kWh");
    parse_ok("kWh", 1, "kWh");
    parse_ok("MWh", 1e3, "kWh");
    parse_ok("GWh", 1e6, "kWh");
    parse_ok("TWh", 1e9, "kWh");
    parse_ok("$", 1, "$");
    parse_ok("USD", 1, "$");
    parse_ok("k$", 1e3, "$");
    parse_ok("M$", 1e6, "$");
    parse_ok("B$", 1e9, "$");
    parse_ok("d", 1.0 / 365, "yr");
    parse_ok("mo", 1.0 / 12, "yr");
    parse_ok("yr", 1, "yr");
    parse_ok("km", 1, "km");
    parse_ok("%", 0.01, "");
    parse_ok("ppm", 1e-6, "");
}
END_TEST

START_TEST(compound_units)
{
    parse_ok("kt/yr", 1e3, "t/yr");
    parse_ok("$/kWh", 1, "$/kWh");
    parse_ok("%/yr", 0.01, "1/yr");
    parse_ok("kt/GWh", 1e-3, "t/kWh");
    parse_ok("t*km", 1, "t*km");
    parse_ok("k$/t", 1e3, "$/t");
    parse_ok("GWh/yr", 1e6, "kWh/yr");
}
END_TEST

START_TEST(unit_stops_at_non_unit)
{
    OnsDim d;
    double f;
    bool pct;
    const char *bad;
    ck_assert_uint_eq(unit_parse("tons", 4, &d, &f, &pct, &bad), 0);
    ck_assert_uint_eq(unit_parse("t/x", 3, &d, &f, &pct, &bad), 1);
    ck_assert_uint_eq(unit_parse("EUR", 3, &d, &f, &pct, &bad), 0);
    ck_assert_ptr_nonnull(bad);
    ck_assert_uint_eq(unit_parse("%", 1, &d, &f, &pct, &bad), 1);
    ck_assert(pct);
}
END_TEST

START_TEST(suggestions)
{
    ck_assert_str_eq(unit_suggest("mt", 2), "Mt");
    ck_assert_str_eq(unit_suggest("kwh", 3), "kWh");
    ck_assert_str_eq(unit_suggest("kts", 3), "kt");
    ck_assert_str_eq(unit_suggest("tonnes", 6), "t");
    ck_assert_ptr_null(unit_suggest("banana", 6));
}
END_TEST

static void fmt_is(double v, OnsDim d, bool pct, const char *want)
{
    char buf[64];
    ons_format_quantity(buf, sizeof buf, v, d, pct, 6);
    ck_assert_str_eq(buf, want);
}

START_TEST(readable_scale)
{
    OnsDim energy = dim_base(ONS_DIM_ENERGY), mass = dim_base(ONS_DIM_MASS);
    OnsDim money = dim_base(ONS_DIM_MONEY), time = dim_base(ONS_DIM_TIME);
    OnsDim rate, price, intensity;
    dim_div(mass, time, &rate);
    dim_div(money, energy, &price);
    dim_div(mass, energy, &intensity);
    fmt_is(1600e6, energy, false, "1.6 TWh");
    fmt_is(700e6, energy, false, "700 GWh");
    fmt_is(0.44, dim_none(), false, "0.44");
    fmt_is(0.44, dim_none(), true, "44%");
    fmt_is(40e3, rate, false, "40 kt/yr");
    fmt_is(100, price, false, "100 $/kWh");
    fmt_is(1.55e-3, intensity, false, "1.55 kg/kWh");
    fmt_is(45e6, money, false, "45 M$");
    fmt_is(2030, dim_none(), false, "2030");
    fmt_is(2, time, false, "2 yr");
    fmt_is(0.5, mass, false, "500 kg");
    fmt_is(0, mass, false, "0 t");
    fmt_is(-28e3, mass, false, "-28 kt");
}
END_TEST

START_TEST(number_format)
{
    char buf[64];
    ons_format_number(buf, sizeof buf, 0.1 + 0.2, 6);
    ck_assert_str_eq(buf, "0.3");
    ons_format_number(buf, sizeof buf, 1.0 / 3, 6);
    ck_assert_str_eq(buf, "0.333333");
    ons_format_number(buf, sizeof buf, 1e20, 6);
    ck_assert_str_eq(buf, "1e+20");
    ons_format_number(buf, sizeof buf, 1.5e-7, 6);
    ck_assert_str_eq(buf, "1.5e-7");
    ons_format_number(buf, sizeof buf, 12345678, 6);
    ck_assert_str_eq(buf, "12345678");
    ons_format_number(buf, sizeof buf, NAN, 6);
    ck_assert_str_eq(buf, "nan");
}
END_TEST

START_TEST(dimension_words)
{
    char buf[64];
    OnsDim r;
    dim_div(dim_base(ONS_DIM_MASS), dim_base(ONS_DIM_TIME), &r);
    ck_assert_str_eq(dim_describe(r, buf, sizeof buf), "mass/time");
    ck_assert_str_eq(dim_describe(dim_none(), buf, sizeof buf), "dimensionless");
    ck_assert_str_eq(dim_describe(dim_base(ONS_DIM_ENERGY), buf, sizeof buf), "energy");
}
END_TEST

Suite *make_units_suite(void)
{
    Suite *s = suite_create("units");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_unit);
    tcase_add_test(tc, compound_units);
    tcase_add_test(tc, unit_stops_at_non_unit);
    tcase_add_test(tc, suggestions);
    tcase_add_test(tc, readable_scale);
    tcase_add_test(tc, number_format);
    tcase_add_test(tc, dimension_words);
    suite_add_tcase(s, tc);
    return s;
}
