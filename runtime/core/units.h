/* Units and dimensions (spec §2).  A dimension is a vector of small integer
 * exponents over mass, energy, money, time and distance.  Quantities are
 * stored in base units (t, kWh, $, yr, km); this module converts literals to
 * base units and picks a readable scale when printing. */
#ifndef ONS_RUNTIME_UNITS_H
#define ONS_RUNTIME_UNITS_H

#include "common.h"

enum { ONS_DIM_MASS, ONS_DIM_ENERGY, ONS_DIM_MONEY, ONS_DIM_TIME, ONS_DIM_DISTANCE, ONS_NDIMS };

typedef struct OnsDim {
    int8_t e[ONS_NDIMS];
} OnsDim;

/* Exponents beyond this magnitude are an error ("dimension too complex"). */
#define ONS_DIM_MAX_EXP 24

static inline OnsDim dim_none(void)
{
    OnsDim d = {{0, 0, 0, 0, 0}};
    return d;
}
static inline bool dim_eq(OnsDim a, OnsDim b)
{
    return a.e[0] == b.e[0] && a.e[1] == b.e[1] && a.e[2] == b.e[2] && a.e[3] == b.e[3] &&
           a.e[4] == b.e[4];
}
static inline bool dim_is_none(OnsDim a)
{
    return (a.e[0] | a.e[1] | a.e[2] | a.e[3] | a.e[4]) == 0;
}
/* No positive exponent: a share can be "per" something (5%/yr prints as such). */
static inline bool dim_no_numerator(OnsDim a)
{
    return a.e[0] <= 0 && a.e[1] <= 0 && a.e[2] <= 0 && a.e[3] <= 0 && a.e[4] <= 0;
}
static inline OnsDim dim_base(int which)
{
    OnsDim d = dim_none();
    d.e[which] = 1;
    return d;
}
/* These return false when an exponent would leave [-ONS_DIM_MAX_EXP, ONS_DIM_MAX_EXP]. */
bool dim_mul(OnsDim a, OnsDim b, OnsDim *out);
bool dim_div(OnsDim a, OnsDim b, OnsDim *out);
bool dim_pow(OnsDim a, double n, OnsDim *out);
OnsDim dim_inverse(OnsDim a);

/* The dimension in words: "mass", "mass/time", "dimensionless". */
const char *dim_describe(OnsDim d, char *buf, size_t n);
/* The dimension in base units: "t", "t/yr", "$/kWh", "" when dimensionless. */
const char *dim_base_units(OnsDim d, char *buf, size_t n);

/* Parses the longest unit expression (unit names joined by '/' and '*') at
 * the start of text.  Returns the number of bytes used (0 when text does not
 * start with a known unit).  *factor converts the literal to base units;
 * *percent is set when the expression is '%' or a share per units ('%/yr'):
 * such values print as %.
 * A name that is a unit but unsupported (EUR) stops the parse; *bad_unit
 * then points at it. */
size_t unit_parse(const char *text, size_t len, OnsDim *dim, double *factor, bool *percent,
                  const char **bad_unit);

/* unit_parse is a pure function of its text, and a program writes the same
 * few units thousands of times (kt/yr, k$/t): a caller that parses many
 * keeps a small direct-mapped memo of whole unit words (the lexer keeps one
 * a parse; core keeps no mutable global).  Zero it before the first use. */
enum { ONS_UNIT_MEMO = 64, ONS_UNIT_MEMO_LEN = 24 };
typedef struct OnsUnitMemoEntry {
    char text[ONS_UNIT_MEMO_LEN];
    uint8_t len;        /* 0: empty */
    bool percent;
    int16_t bad_at;     /* offset of *bad_unit, or -1 */
    uint32_t used;
    OnsDim dim;
    double factor;
} OnsUnitMemoEntry;
typedef struct OnsUnitMemo {
    OnsUnitMemoEntry e[ONS_UNIT_MEMO];
} OnsUnitMemo;
/* unit_parse through the memo: the same results. */
size_t unit_parse_memo(OnsUnitMemo *memo, const char *text, size_t len, OnsDim *dim, double *factor, bool *percent,
                       const char **bad_unit);
/* The nth unit name (from 0) as written in source, NULL past the last. */
const char *unit_name_nth(size_t i);
/* True when the text is exactly a known unit name. */
bool unit_is_name(const char *text, size_t len);
/* The closest known unit to a misspelt word, or NULL. */
const char *unit_suggest(const char *word, size_t len);
/* The message for a unit that is known but not supported (EUR), or NULL. */
const char *unit_unsupported_hint(const char *word, size_t len);

/* Number formatting shared by print and reports: integers exactly, other
 * values to `sig` significant digits with trailing zeros removed. */
void ons_format_number(char *buf, size_t n, double v, int sig);
/* The shortest text ("%.Ng") that strtod reads back as exactly v, to the
 * bit: data files (sweep parts, CSV files) use it. NaN and infinities as
 * "NaN", "Inf", "-Inf". n >= 32. */
void ons_format_exact(char *buf, size_t n, double v);
/* A quantity at its most readable scale: "1.6 TWh", "40 kt/yr", "44%". */
void ons_format_quantity(char *buf, size_t n, double v, OnsDim d, bool percent, int sig);
/* The scaled unit name and factor used to print v of dimension d:
 * v / *factor printed with unit *name gives the readable form. */
void ons_choose_scale(double v, OnsDim d, char *name, size_t n, double *factor);

#endif
