/* Statistics over lists (spec 11): quantile (Hyndman and Fan's type 7), mean,
 * stdev (n - 1) and chance.  nil values are skipped; a list with no value
 * left gives nil (stdev: fewer than two).  Numbers keep the list's unit. */
#include "arith.h"
#include "builtins.h"
#include "mem.h"

#include <math.h>
#include <stdlib.h>

#define NATIVE(name) static OnsStatus name(OnsVM *vm, const OnsValue *args, int nargs, const OnsNamedArgs *named, OnsValue *out)
#define UNUSED_ARGS() ((void)named, (void)nargs)

/* The numbers of a list, nils skipped, all of one dimension: *n of them in
 * *xs (owned by the caller), their dimension and print hint in *like. */
static OnsStatus numbers_of(OnsVM *vm, const char *fn, OnsValue v, double **xs, size_t *n, OnsValue *like)
{
    OnsList *l;
    ONS_TRY(builtins_arg_list(vm, fn, 0, v, &l));
    *xs = ons_malloc((l->len + 1) * sizeof(double));
    *n = 0;
    for (uint32_t i = 0; i < l->len; i++) {
        OnsValue x = l->items[i];
        if (ONS_IS_NIL(x)) continue;
        if (x.type != ONS_T_NUM || (*n > 0 && !dim_eq(x.dim, like->dim))) {
            char d[96];
            ons_free(*xs);
            return vm_error(vm, "%s: the list holds %s; it needs numbers of one unit (nil is skipped)", fn,
                            arith_describe(vm, x, d, sizeof d));
        }
        if (*n == 0) *like = x;
        (*xs)[(*n)++] = x.as.num;
    }
    return ONS_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* quantile(xs, q): h = (n - 1) q, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]) */
NATIVE(nat_quantile)
{
    UNUSED_ARGS();
    double q;
    ONS_TRY(builtins_arg_plain_number(vm, "quantile", 1, args[1], &q));
    if (!(q >= 0 && q <= 1)) return vm_error(vm, "quantile: q must be from 0 to 1 (0%% to 100%%), not %g", q);
    double *xs;
    size_t n;
    OnsValue like = ons_nil();
    ONS_TRY(numbers_of(vm, "quantile", args[0], &xs, &n, &like));
    if (n == 0) {
        ons_free(xs);
        *out = ons_nil();
        return ONS_OK;
    }
    qsort(xs, n, sizeof *xs, cmp_double);
    double h = (double)(n - 1) * q, lo = floor(h);
    size_t i = (size_t)lo;
    double v = i + 1 < n ? xs[i] + (h - lo) * (xs[i + 1] - xs[i]) : xs[n - 1];
    ons_free(xs);
    *out = ons_quantity(v, like.dim, like.hint);
    return ONS_OK;
}

NATIVE(nat_mean)
{
    UNUSED_ARGS();
    double *xs;
    size_t n;
    OnsValue like = ons_nil();
    ONS_TRY(numbers_of(vm, "mean", args[0], &xs, &n, &like));
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += xs[i];
    ons_free(xs);
    *out = n ? ons_quantity(sum / (double)n, like.dim, like.hint) : ons_nil();
    return ONS_OK;
}

NATIVE(nat_stdev)
{
    UNUSED_ARGS();
    double *xs;
    size_t n;
    OnsValue like = ons_nil();
    ONS_TRY(numbers_of(vm, "stdev", args[0], &xs, &n, &like));
    if (n < 2) {
        ons_free(xs);
        *out = ons_nil();
        return ONS_OK;
    }
    double mean = 0, ss = 0;
    for (size_t i = 0; i < n; i++) mean += xs[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) ss += (xs[i] - mean) * (xs[i] - mean);
    ons_free(xs);
    *out = ons_quantity(sqrt(ss / (double)(n - 1)), like.dim, like.hint);
    return ONS_OK;
}

/* chance(bools): the share of the values that are true, nils skipped */
NATIVE(nat_chance)
{
    UNUSED_ARGS();
    OnsList *l;
    ONS_TRY(builtins_arg_list(vm, "chance", 0, args[0], &l));
    size_t n = 0, yes = 0;
    for (uint32_t i = 0; i < l->len; i++) {
        OnsValue x = l->items[i];
        if (ONS_IS_NIL(x)) continue;
        if (x.type != ONS_T_BOOL) {
            char d[96];
            return vm_error(vm, "chance: the list holds %s; it needs true and false (nil is skipped)",
                            arith_describe(vm, x, d, sizeof d));
        }
        n++;
        yes += x.as.b;
    }
    *out = n ? ons_percent((double)yes / (double)n) : ons_nil();
    return ONS_OK;
}

void builtins_register_stats(OnsVM *vm)
{
    static const OnsNativeDef defs[] = {
        {"quantile", nat_quantile, 2, 2, ONS_RES_ANY, NULL},
        {"mean", nat_mean, 1, 1, ONS_RES_ANY, NULL},
        {"stdev", nat_stdev, 1, 1, ONS_RES_ANY, NULL},
        {"chance", nat_chance, 1, 1, ONS_RES_SHARE, NULL},
    };
    vm_register_natives(vm, defs, ONS_ARRAY_LEN(defs));
}
