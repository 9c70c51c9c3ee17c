/* Numeric built-ins: abs, sqrt, exp, ln, round, floor, ceil, random.
 * round, floor and ceil work at the readable scale of a quantity, so
 * round(1.55 kt) is 2 kt and round(35.7%) is 36%. */
#include "arith.h"
#include "builtins.h"

#include <math.h>

#define NATIVE(name) static OnsStatus name(OnsVM *vm, const OnsValue *args, int nargs, const OnsNamedArgs *named, OnsValue *out)
#define UNUSED_ARGS() ((void)named, (void)nargs)

static OnsStatus number_arg(OnsVM *vm, const char *fn, OnsValue v, OnsValue *out)
{
    ONS_TRY(vm_force(vm, &v));
    if (v.type != ONS_T_NUM) {
        char d[96];
        return vm_error(vm, "%s: needs a number, not %s", fn, arith_describe(vm, v, d, sizeof d));
    }
    *out = v;
    return ONS_OK;
}

NATIVE(nat_abs)
{
    UNUSED_ARGS();
    OnsValue v;
    ONS_TRY(number_arg(vm, "abs", args[0], &v));
    v.as.num = fabs(v.as.num);
    *out = v;
    return ONS_OK;
}

NATIVE(nat_sqrt)
{
    UNUSED_ARGS();
    OnsValue v;
    ONS_TRY(number_arg(vm, "sqrt", args[0], &v));
    if (v.as.num < 0) return vm_error(vm, "sqrt: needs a number of zero or more (a negative number has no square root)");
    OnsDim d;
    if (!dim_pow(v.dim, 0.5, &d)) {
        char b[96];
        return vm_error(vm, "sqrt: %s has no square root in units", arith_describe(vm, v, b, sizeof b));
    }
    *out = ons_quantity(sqrt(v.as.num), d, 0);
    return ONS_OK;
}

static OnsStatus plain_fn(OnsVM *vm, const char *fn, OnsValue a, double (*f)(double), bool positive,
                          OnsValue *out)
{
    OnsValue v;
    ONS_TRY(number_arg(vm, fn, a, &v));
    if (!dim_is_none(v.dim)) {
        char b[96];
        return vm_error(vm, "%s: needs a plain number, not %s", fn, arith_describe(vm, v, b, sizeof b));
    }
    if (positive && !(v.as.num > 0)) return vm_error(vm, "%s: needs a number above zero", fn);
    double r = f(v.as.num);
    if (!isfinite(r)) return vm_error(vm, "%s: the result is too large", fn);
    *out = ons_num(r);
    return ONS_OK;
}

NATIVE(nat_exp) { UNUSED_ARGS(); return plain_fn(vm, "exp", args[0], exp, false, out); }
NATIVE(nat_ln) { UNUSED_ARGS(); return plain_fn(vm, "ln", args[0], log, true, out); }

/* Rounds v at its readable scale (or to `digits` decimals of that scale). */
static OnsStatus rounding(OnsVM *vm, const char *fn, const OnsValue *args, int nargs,
                          double (*f)(double), OnsValue *out)
{
    OnsValue v;
    ONS_TRY(number_arg(vm, fn, args[0], &v));
    double digits = 0;
    if (nargs > 1) ONS_TRY(builtins_arg_plain_number(vm, fn, 1, args[1], &digits));
    if (digits < -15 || digits > 15 || digits != floor(digits))
        return vm_error(vm, "%s: the number of digits must be a whole number from -15 to 15", fn);
    double scale = 1;
    if (v.hint == ONS_HINT_PERCENT && dim_no_numerator(v.dim)) scale = 0.01; /* 35.7% and 5.4%/yr */
    else if (!dim_is_none(v.dim)) {
        char unit[64];
        ons_choose_scale(v.as.num, v.dim, unit, sizeof unit, &scale);
    }
    double p = pow(10, digits);
    double scaled = v.as.num / scale * p;
    /* 1e300 to 15 decimals: a number that large has no decimals left to round */
    if (isfinite(scaled) && isfinite(f(scaled) / p * scale)) v.as.num = f(scaled) / p * scale;
    *out = v;
    return ONS_OK;
}

NATIVE(nat_round) { UNUSED_ARGS(); return rounding(vm, "round", args, nargs, round, out); }
NATIVE(nat_floor) { UNUSED_ARGS(); return rounding(vm, "floor", args, nargs, floor, out); }
NATIVE(nat_ceil) { UNUSED_ARGS(); return rounding(vm, "ceil", args, nargs, ceil, out); }

/* xorshift64*: the same numbers on every machine for the same --seed */
NATIVE(nat_random)
{
    UNUSED_ARGS();
    (void)args;
    uint64_t x = vm->rng;
    if (vm->watching) vm->watch_volatile = true; /* a run that draws is not the same run twice */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    vm->rng = x;
    uint64_t r = x * 2685821657736338717ULL;
    *out = ons_num((double)(r >> 11) / 9007199254740992.0);
    return ONS_OK;
}

/* %delay_year(d): the year delay(x, d) evaluates x at, `year - d / 1 yr`
 * (spec 11; the compiler calls it: the name cannot be typed) */
NATIVE(nat_delay_year)
{
    UNUSED_ARGS();
    OnsValue d = args[0];
    if (d.type != ONS_T_NUM || !dim_eq(d.dim, dim_base(ONS_DIM_TIME))) {
        char got[96];
        return vm_error(vm, "delay needs a time, like 2 yr or 6 mo, not %s", arith_describe(vm, d, got, sizeof got));
    }
    if (vm->year.type != ONS_T_NUM)
        return vm_error(vm, "delay(x, d) needs a year: use it in a property, or write `delay(x, d) at 2030`");
    *out = ons_num(vm->year.as.num - d.as.num);
    return ONS_OK;
}

void builtins_register_math(OnsVM *vm)
{
    static const OnsNativeDef defs[] = {
        {"abs", nat_abs, 1, 1, ONS_RES_ARG_UNIT, NULL},
        {"sqrt", nat_sqrt, 1, 1, ONS_RES_ANY, NULL},
        {"exp", nat_exp, 1, 1, ONS_RES_NUMBER, NULL},
        {"ln", nat_ln, 1, 1, ONS_RES_NUMBER, NULL},
        {"round", nat_round, 1, 2, ONS_RES_ARG_UNIT, NULL},
        {"floor", nat_floor, 1, 2, ONS_RES_ARG_UNIT, NULL},
        {"ceil", nat_ceil, 1, 2, ONS_RES_ARG_UNIT, NULL},
        {"random", nat_random, 0, 0, ONS_RES_NUMBER, NULL},
        {"%delay_year", nat_delay_year, 1, 1, ONS_RES_NUMBER, NULL},
    };
    vm_register_natives(vm, defs, ONS_ARRAY_LEN(defs));
}
