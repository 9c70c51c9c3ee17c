/* The unit table of spec §2, dimension arithmetic, unit-expression parsing
 * and the choice of a readable scale for printing. */
#include "units.h"
#include "diag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct UnitDef {
    const char *name;
    int dim;        /* ONS_DIM_*, or -1 for dimensionless */
    double factor;  /* value of one unit in base units */
} UnitDef;

/* ORDER: within a family, ascending factor (ons_choose_scale relies on it). */
static const UnitDef units[] = {
    {"g", ONS_DIM_MASS, 1e-6},        {"kg", ONS_DIM_MASS, 1e-3},
    {"t", ONS_DIM_MASS, 1},           {"kt", ONS_DIM_MASS, 1e3},
    {"Mt", ONS_DIM_MASS, 1e6},        {"Wh", ONS_DIM_ENERGY, 1e-3},
    {"kWh", ONS_DIM_ENERGY, 1},       {"MWh", ONS_DIM_ENERGY, 1e3},
    {"GWh", ONS_DIM_ENERGY, 1e6},     {"TWh", ONS_DIM_ENERGY, 1e9},
    {"$", ONS_DIM_MONEY, 1},          {"USD", ONS_DIM_MONEY, 1},
    {"k$", ONS_DIM_MONEY, 1e3},       {"M$", ONS_DIM_MONEY, 1e6},
    {"B$", ONS_DIM_MONEY, 1e9},       {"d", ONS_DIM_TIME, 1.0 / 365.0},
    {"mo", ONS_DIM_TIME, 1.0 / 12.0}, {"yr", ONS_DIM_TIME, 1},
    {"km", ONS_DIM_DISTANCE, 1},      {"%", -1, 0.01},
    {"ppm", -1, 1e-6},
};

const char *unit_name_nth(size_t i)
{
    return i < ONS_ARRAY_LEN(units) ? units[i].name : NULL;
}

/* Display scales per family, ascending; "USD" is an alias, never printed. */
static const char *const mass_scale[] = {"g", "kg", "t", "kt", "Mt", NULL};
static const char *const energy_scale[] = {"Wh", "kWh", "MWh", "GWh", "TWh", NULL};
static const char *const money_scale[] = {"$", "k$", "M$", "B$", NULL};
static const char *const time_scale[] = {"d", "mo", "yr", NULL};
static const char *const distance_scale[] = {"km", NULL};
static const char *const *const family_scale[ONS_NDIMS] = {
    mass_scale, energy_scale, money_scale, time_scale, distance_scale};
static const char *const base_name[ONS_NDIMS] = {"t", "kWh", "$", "yr", "km"};
static const char *const dim_word[ONS_NDIMS] = {"mass", "energy", "money", "time", "distance"};

static const UnitDef *unit_lookup(const char *s, size_t len)
{
    if (len == 0 || len > 3) return NULL; /* every unit name has 1 to 3 bytes */
    for (size_t i = 0; i < ONS_ARRAY_LEN(units); i++) {
        const char *u = units[i].name;
        if (u[0] == s[0] && strncmp(u, s, len) == 0 && u[len] == '\0') return &units[i];
    }
    return NULL;
}

static double unit_factor(const char *name)
{
    const UnitDef *u = unit_lookup(name, strlen(name));
    return u ? u->factor : 1;
}

static bool exp_ok(int v) { return v >= -ONS_DIM_MAX_EXP && v <= ONS_DIM_MAX_EXP; }

bool dim_mul(OnsDim a, OnsDim b, OnsDim *out)
{
    for (int i = 0; i < ONS_NDIMS; i++) {
        int v = a.e[i] + b.e[i];
        if (!exp_ok(v)) return false;
        out->e[i] = (int8_t)v;
    }
    return true;
}

bool dim_div(OnsDim a, OnsDim b, OnsDim *out)
{
    for (int i = 0; i < ONS_NDIMS; i++) {
        int v = a.e[i] - b.e[i];
        if (!exp_ok(v)) return false;
        out->e[i] = (int8_t)v;
    }
    return true;
}

bool dim_pow(OnsDim a, double n, OnsDim *out)
{
    for (int i = 0; i < ONS_NDIMS; i++) {
        double v = a.e[i] * n;
        if (a.e[i] != 0 && (!(v >= -ONS_DIM_MAX_EXP && v <= ONS_DIM_MAX_EXP) || v != floor(v)))
            return false;
        out->e[i] = (int8_t)(a.e[i] ? (int)v : 0);
    }
    return true;
}

OnsDim dim_inverse(OnsDim a)
{
    OnsDim d;
    for (int i = 0; i < ONS_NDIMS; i++) d.e[i] = (int8_t)-a.e[i];
    return d;
}

/* Joins the parts of d as numerator/denominator using the given names. */
static const char *dim_join(OnsDim d, const char *const names[], const char *none, char *buf,
                            size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    int num = 0, den = 0;
    for (int i = 0; i < ONS_NDIMS; i++) {
        if (d.e[i] > 0) num++;
        if (d.e[i] < 0) den++;
    }
    if (num == 0 && den == 0) {
        snprintf(buf, n, "%s", none);
        return buf;
    }
    if (num == 0) len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "1");
    int k = 0;
    for (int i = 0; i < ONS_NDIMS && len < n; i++) {
        if (d.e[i] <= 0) continue;
        len += (size_t)snprintf(buf + len, n - len, "%s%s", k++ ? "*" : "", names[i]);
        if (d.e[i] > 1 && len < n) len += (size_t)snprintf(buf + len, n - len, "^%d", d.e[i]);
    }
    for (int i = 0; i < ONS_NDIMS && len < n; i++) {
        if (d.e[i] >= 0) continue;
        len += (size_t)snprintf(buf + len, n - len, "/%s", names[i]);
        if (d.e[i] < -1 && len < n) len += (size_t)snprintf(buf + len, n - len, "^%d", -d.e[i]);
    }
    return buf;
}

const char *dim_describe(OnsDim d, char *buf, size_t n)
{
    return dim_join(d, dim_word, "dimensionless", buf, n);
}

const char *dim_base_units(OnsDim d, char *buf, size_t n)
{
    return dim_join(d, base_name, "", buf, n);
}

static bool is_unit_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '$' || c == '%';
}

/* Length of the longest unit name at text (a unit name never continues into
 * a letter or digit: "tons" is not "t"). */
static size_t unit_atom(const char *text, size_t len, const UnitDef **out, const char **bad)
{
    size_t n = 0;
    while (n < len && n < 8 && (is_unit_char(text[n]) || (n > 0 && text[n] >= '0' && text[n] <= '9'))) n++;
    if (n == 8) return 0; /* longer than any unit */
    if (n == 0) return 0;
    if (n < len && text[n] == '_') return 0;
    const UnitDef *u = unit_lookup(text, n);
    if (!u) {
        if (unit_unsupported_hint(text, n)) *bad = text;
        return 0;
    }
    *out = u;
    return n;
}

size_t unit_parse_memo(OnsUnitMemo *memo, const char *text, size_t len, OnsDim *dim, double *factor, bool *percent,
                       const char **bad_unit)
{
    if (len == 0 || len >= ONS_UNIT_MEMO_LEN) return unit_parse(text, len, dim, factor, percent, bad_unit);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)text[i]) * 16777619u;
    OnsUnitMemoEntry *e = &memo->e[h % ONS_UNIT_MEMO];
    if (e->len == len && memcmp(e->text, text, len) == 0) {
        *dim = e->dim;
        *factor = e->factor;
        *percent = e->percent;
        *bad_unit = e->bad_at >= 0 ? text + e->bad_at : NULL;
        return e->used;
    }
    size_t used = unit_parse(text, len, dim, factor, percent, bad_unit);
    memcpy(e->text, text, len);
    e->len = (uint8_t)len;
    e->dim = *dim;
    e->factor = *factor;
    e->percent = *percent;
    e->bad_at = *bad_unit ? (int16_t)(*bad_unit - text) : -1;
    e->used = (uint32_t)used;
    return used;
}

size_t unit_parse(const char *text, size_t len, OnsDim *dim, double *factor, bool *percent,
                  const char **bad_unit)
{
    *dim = dim_none(); /* what a text that is no unit gives */
    *factor = 1;
    *percent = false;
    const UnitDef *u = NULL;
    *bad_unit = NULL;
    size_t used = unit_atom(text, len, &u, bad_unit);
    if (!used) return 0;
    OnsDim d = dim_none();
    if (u->dim >= 0) d.e[u->dim] = 1;
    double f = u->factor;
    bool only_percent = strcmp(u->name, "%") == 0;
    while (used + 1 < len && (text[used] == '/' || text[used] == '*')) {
        const UnitDef *v = NULL;
        const char *bad = NULL;
        size_t m = unit_atom(text + used + 1, len - used - 1, &v, &bad);
        if (!m) {
            if (bad) *bad_unit = bad;
            break;
        }
        OnsDim vd = dim_none();
        if (v->dim >= 0) vd.e[v->dim] = 1;
        if (text[used] == '/') {
            dim_div(d, vd, &d);
            f /= v->factor;
        } else {
            dim_mul(d, vd, &d);
            f *= v->factor;
            only_percent = false; /* %/yr is a share per year; %*t is not a share */
        }
        used += m + 1;
    }
    *dim = d;
    *factor = f;
    *percent = only_percent;
    return used;
}

bool unit_is_name(const char *text, size_t len) { return unit_lookup(text, len) != NULL; }

const char *unit_unsupported_hint(const char *word, size_t len)
{
    if (len == 3 && memcmp(word, "EUR", 3) == 0)
        return "Onshore has one currency, USD: convert euros to $ at the rate you assume "
               "(e.g. 100 EUR at 1.08 is 108 $)";
    return NULL;
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

const char *unit_suggest(const char *word, size_t len)
{
    /* a case slip first (mt -> Mt, kwh -> kWh), then the nearest spelling */
    for (size_t i = 0; i < ONS_ARRAY_LEN(units); i++) {
        const char *u = units[i].name;
        if (strlen(u) != len) continue;
        size_t k = 0;
        while (k < len && lower((unsigned char)u[k]) == lower((unsigned char)word[k])) k++;
        if (k == len) return u;
    }
    static const struct { const char *word, *unit; } common[] = {
        {"tonnes", "t"}, {"tonne", "t"}, {"tons", "t"}, {"ton", "t"}, {"year", "yr"},
        {"years", "yr"}, {"y", "yr"}, {"days", "d"}, {"day", "d"}, {"month", "mo"},
        {"months", "mo"}, {"usd", "$"}, {"dollars", "$"}, {"percent", "%"}, {"pct", "%"},
    };
    for (size_t i = 0; i < ONS_ARRAY_LEN(common); i++)
        if (strlen(common[i].word) == len && memcmp(common[i].word, word, len) == 0)
            return common[i].unit;
    OnsClosest near;
    diag_closest_init(&near, word, len);
    for (size_t i = 0; i < ONS_ARRAY_LEN(units); i++) diag_closest_offer(&near, units[i].name, strlen(units[i].name));
    return near.best;
}

void ons_format_exact(char *buf, size_t n, double v)
{
    if (isnan(v)) {
        snprintf(buf, n, "NaN");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, n, v > 0 ? "Inf" : "-Inf");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15 && !(v == 0 && signbit(v))) { /* 4308062500, not 4.3080625e+09 */
        snprintf(buf, n, "%.0f", v);
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, v);
        double back = strtod(buf, NULL);
        uint64_t a, b; /* the same bits: -0 is not 0 */
        memcpy(&a, &back, sizeof a);
        memcpy(&b, &v, sizeof b);
        if (a == b) return;
    }
}

void ons_format_number(char *buf, size_t n, double v, int sig)
{
    if (isnan(v)) {
        snprintf(buf, n, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, n, v < 0 ? "-inf" : "inf");
        return;
    }
    if (v == 0) {
        snprintf(buf, n, "0");
        return;
    }
    if (sig < 1) sig = 1;
    if (sig > 17) sig = 17;
    double a = fabs(v);
    if (v == floor(v) && a < 1e15) {
        snprintf(buf, n, "%.0f", v);
        return;
    }
    /* round to sig digits first, then decide the layout from the rounded value */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*e", sig - 1, v);
    const char *e = strchr(tmp, 'e');
    int exp10 = e ? (int)strtol(e + 1, NULL, 10) : 0;
    if (exp10 < -5 || exp10 >= 15) {
        /* trim zeros of the mantissa: 1.500e+20 -> 1.5e+20 */
        char mant[64];
        size_t ml = (size_t)(e - tmp);
        memcpy(mant, tmp, ml);
        mant[ml] = '\0';
        if (strchr(mant, '.')) {
            while (ml > 0 && mant[ml - 1] == '0') mant[--ml] = '\0';
            if (ml > 0 && mant[ml - 1] == '.') mant[--ml] = '\0';
        }
        snprintf(buf, n, "%se%s%d", mant, exp10 < 0 ? "-" : "+", exp10 < 0 ? -exp10 : exp10);
        return;
    }
    int decimals = sig - 1 - exp10;
    if (decimals < 0) decimals = 0;
    snprintf(buf, n, "%.*f", decimals, v);
    if (strchr(buf, '.')) {
        size_t l = strlen(buf);
        while (l > 0 && buf[l - 1] == '0') buf[--l] = '\0';
        if (l > 0 && buf[l - 1] == '.') buf[--l] = '\0';
    }
    if (strcmp(buf, "-0") == 0) snprintf(buf, n, "0");
}

/* The lead dimension is the first one in the numerator with exponent 1: its
 * unit is scaled, the others stay at their base unit. */
static int lead_dim(OnsDim d)
{
    for (int i = 0; i < ONS_NDIMS; i++)
        if (d.e[i] == 1) return i;
    return -1;
}

static bool dim_is_time_only(OnsDim d)
{
    for (int i = 0; i < ONS_NDIMS; i++)
        if (i != ONS_DIM_TIME && d.e[i] != 0) return false;
    return true;
}

void ons_choose_scale(double v, OnsDim d, char *name, size_t n, double *factor)
{
    *factor = 1;
    int lead = lead_dim(d);
    if (lead < 0) {
        dim_base_units(d, name, n);
        return;
    }
    const char *const *scale = family_scale[lead];
    const char *pick = base_name[lead];
    double a = fabs(v);
    if (a > 0 && isfinite(a)) {
        for (int i = 0; scale[i]; i++) /* the largest unit the amount reaches; the smallest if none */
            if (i == 0 || a >= unit_factor(scale[i]) * (1 - 1e-12)) pick = scale[i];
        /* a time reads best in years when they are round (1.5 yr), else in
         * the largest unit that counts it whole: 45 d, 6 mo, 400 d, rather
         * than 1.479 mo or 1.096 yr */
        double years = a / unit_factor("yr");
        bool round_years = years >= 1 && fabs(years * 100 - round(years * 100)) <= 1e-9 * years * 100;
        if (lead == ONS_DIM_TIME && d.e[ONS_DIM_TIME] == 1 && dim_is_time_only(d) && !round_years) {
            for (int i = 2; i >= 0; i--) { /* yr, mo, d: time_scale */
                if (!scale[i]) continue;
                double q = a / unit_factor(scale[i]);
                if (q >= 1 && fabs(q - round(q)) <= 1e-9 * q) {
                    pick = scale[i];
                    break;
                }
            }
        }
    }
    *factor = unit_factor(pick);
    const char *names[ONS_NDIMS];
    for (int i = 0; i < ONS_NDIMS; i++) names[i] = base_name[i];
    names[lead] = pick;
    dim_join(d, names, "", name, n);
}

void ons_format_quantity(char *buf, size_t n, double v, OnsDim d, bool percent, int sig)
{
    char num[64], unit[64];
    if (percent && dim_no_numerator(d)) {
        ons_format_number(num, sizeof num, v * 100, sig);
        if (dim_is_none(d)) {
            snprintf(buf, n, "%s%%", num);
        } else { /* %/yr */
            dim_base_units(d, unit, sizeof unit);
            snprintf(buf, n, "%s%%%s", num, unit + 1); /* skip the leading "1" */
        }
        return;
    }
    if (dim_is_none(d)) {
        ons_format_number(buf, n, v, sig);
        return;
    }
    double f;
    ons_choose_scale(v, d, unit, sizeof unit, &f);
    ons_format_number(num, sizeof num, v / f, sig);
    if (unit[0] == '1' && unit[1] == '/') /* 0.05/yr rather than 0.05 1/yr */
        snprintf(buf, n, "%s%s", num, unit + 1);
    else
        snprintf(buf, n, "%s %s", num, unit);
}
