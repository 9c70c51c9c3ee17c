/* Built-in functions on values and collections (spec §8): print, str, fmt,
 * len, min, max, sum, sort, map, filter, keys, values, approx, unit, dim,
 * and a few a user of a mature language expects (append, contains, join,
 * type, error). */
#include "arith.h"
#include "builtins.h"
#include "gc.h"
#include "mem.h"
#include "watch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NATIVE(name) static OnsStatus name(OnsVM *vm, const OnsValue *args, int nargs, const OnsNamedArgs *named, OnsValue *out)
#define UNUSED_ARGS() ((void)named, (void)nargs)

static OnsValue str_value(OnsVM *vm, const char *s, size_t n)
{
    return ons_obj_value(&string_new(vm, s, n)->obj);
}

NATIVE(nat_print)
{
    UNUSED_ARGS();
    OnsOut *to = vm_print_sink(vm);
    for (int i = 0; i < nargs; i++) {
        if (i) out_putc(to, ' ');
        value_print(vm, to, args[i]);
    }
    out_putc(to, '\n');
    *out = ons_nil();
    return ONS_OK;
}

NATIVE(nat_str)
{
    UNUSED_ARGS();
    OnsOut o;
    out_init_buffer(&o);
    value_print(vm, &o, args[0]);
    *out = str_value(vm, o.buf, o.len);
    out_free(&o);
    return ONS_OK;
}

/* fmt(x, "0.1") rounds to the step and prints that many decimals, at the
 * readable scale; fmt(x, "0.1 GWh") in the unit given; fmt(x, "0.1%") as a
 * share. */
enum { FMT_MAX_DECIMALS = 20 }; /* a double has 17 significant digits */

NATIVE(nat_fmt)
{
    UNUSED_ARGS();
    OnsValue v = args[0];
    ONS_TRY(vm_force(vm, &v));
    OnsString *pat;
    ONS_TRY(builtins_arg_string(vm, "fmt", 1, args[1], &pat));
    if (v.type != ONS_T_NUM) return nat_str(vm, args, 1, NULL, out);
    char *end;
    double step = strtod(pat->chars, &end);
    if (end == pat->chars || !(step > 0))
        return vm_error(vm, "fmt: the pattern \"%s\" should start with a step like \"0.1\" or \"1\"", pat->chars);
    int decimals = 0;
    const char *dot = strchr(pat->chars, '.');
    if (dot && dot < end) decimals = (int)(end - dot - 1);
    if (decimals > FMT_MAX_DECIMALS)
        return vm_error(vm, "fmt: the pattern asks for %d decimals; at most %d are meaningful", decimals,
                        FMT_MAX_DECIMALS);
    while (*end == ' ') end++;
    double scale = 1;
    char unit[64] = "";
    bool percent = false;
    if (*end == '%') {
        if (!dim_no_numerator(v.dim)) return vm_error(vm, "fmt: only a share can print as %%");
        scale = 0.01;
        percent = true;
    } else if (*end) {
        OnsDim d;
        double f;
        bool pct;
        const char *bad;
        size_t used = unit_parse(end, strlen(end), &d, &f, &pct, &bad);
        if (used != strlen(end)) return vm_error(vm, "fmt: unknown unit '%s'", end);
        if (!dim_eq(d, v.dim)) {
            char a[96];
            return vm_error(vm, "fmt: cannot show %s in %s", arith_describe(vm, v, a, sizeof a), end);
        }
        scale = f;
        snprintf(unit, sizeof unit, "%s", end);
    } else if (v.hint == ONS_HINT_PERCENT && dim_no_numerator(v.dim)) {
        scale = 0.01;
        percent = true;
    } else if (!dim_is_none(v.dim)) {
        ons_choose_scale(v.as.num, v.dim, unit, sizeof unit, &scale);
    }
    if (percent && !dim_is_none(v.dim)) dim_base_units(v.dim, unit, sizeof unit); /* 1/yr */
    double x = v.as.num / scale;
    double rounded = round(x / step) * step;
    if (isfinite(rounded)) x = rounded; /* a step far below x: x is already whole in it */
    if (!isfinite(x)) return vm_error(vm, "fmt: the number is too large in %s", unit[0] ? unit : "that scale");
    if (x == 0) x = 0; /* "0.0", never "-0.0" */
    bool per = unit[0] == '1' && unit[1] == '/'; /* 5.0%/yr, 0.05/yr */
    /* 1e300 prints 301 digits: size the text rather than clip it */
    const char *space = unit[0] && !per ? " " : "", *shown_unit = per ? unit + 1 : unit;
    int n = snprintf(NULL, 0, "%.*f%s%s%s", decimals, x, percent ? "%" : "", space, shown_unit);
    char *buf = ons_malloc((size_t)n + 1);
    snprintf(buf, (size_t)n + 1, "%.*f%s%s%s", decimals, x, percent ? "%" : "", space, shown_unit);
    *out = str_value(vm, buf, (size_t)n);
    ons_free(buf);
    return ONS_OK;
}

NATIVE(nat_len)
{
    UNUSED_ARGS();
    OnsValue v = args[0];
    if (ons_is_obj(v, ONS_OBJ_LIST)) *out = ons_num(ONS_AS_LIST(v)->len);
    else if (ons_is_obj(v, ONS_OBJ_MAP)) *out = ons_num(ONS_AS_MAP(v)->len);
    else if (ons_is_obj(v, ONS_OBJ_STRING)) *out = ons_num(string_char_count(ONS_AS_STRING(v)));
    else {
        char d[96];
        return vm_error(vm, "len: %s has no length", arith_describe(vm, v, d, sizeof d));
    }
    return ONS_OK;
}

/* min/max over arguments, or over one list argument */
static OnsStatus extreme(OnsVM *vm, const char *fn, const OnsValue *args, int nargs, bool want_max,
                         OnsValue *out)
{
    const OnsValue *items = args;
    uint32_t n = (uint32_t)nargs;
    if (nargs == 1 && ons_is_obj(args[0], ONS_OBJ_LIST)) {
        items = ONS_AS_LIST(args[0])->items;
        n = ONS_AS_LIST(args[0])->len;
    }
    if (n == 0) return vm_error(vm, "%s of an empty list", fn);
    OnsValue best = items[0];
    ONS_TRY(vm_force(vm, &best));
    for (uint32_t i = 1; i < n; i++) {
        OnsValue v = items[i];
        ONS_TRY(vm_force(vm, &v));
        bool better;
        ONS_TRY(arith_compare(vm, OP_LT, want_max ? best : v, want_max ? v : best, &better));
        if (better) best = v;
    }
    *out = best;
    return ONS_OK;
}

NATIVE(nat_min) { UNUSED_ARGS(); return extreme(vm, "min", args, nargs, false, out); }
NATIVE(nat_max) { UNUSED_ARGS(); return extreme(vm, "max", args, nargs, true, out); }

NATIVE(nat_sum)
{
    UNUSED_ARGS();
    OnsList *l;
    ONS_TRY(builtins_arg_list(vm, "sum", 0, args[0], &l));
    OnsValue acc = ons_num(0);
    for (uint32_t i = 0; i < l->len; i++) {
        if (i == 0) {
            acc = l->items[0];
            ONS_TRY(vm_force(vm, &acc));
            if (acc.type != ONS_T_NUM) {
                char d[96];
                return vm_error(vm, "sum: adds numbers, not %s", arith_describe(vm, acc, d, sizeof d));
            }
            continue;
        }
        ONS_TRY(arith_binary(vm, OP_ADD, acc, l->items[i], &acc));
    }
    *out = acc;
    return ONS_OK;
}

/* ---- sorting: a stable merge sort that can call back into the VM ---- */

typedef struct SortCtx {
    OnsVM *vm;
    OnsValue key_fn; /* nil: natural order */
    OnsValue *keys;
} SortCtx;

static OnsStatus sort_less(SortCtx *c, uint32_t a, uint32_t b, bool *out)
{
    return arith_compare(c->vm, OP_LT, c->keys[a], c->keys[b], out);
}

static OnsStatus merge_sort(SortCtx *c, uint32_t *idx, uint32_t *tmp, uint32_t n)
{
    if (n < 2) return ONS_OK;
    uint32_t h = n / 2;
    ONS_TRY(merge_sort(c, idx, tmp, h));
    ONS_TRY(merge_sort(c, idx + h, tmp, n - h));
    uint32_t i = 0, j = h, o = 0;
    while (i < h && j < n) {
        bool lt;
        ONS_TRY(sort_less(c, idx[j], idx[i], &lt));
        tmp[o++] = lt ? idx[j++] : idx[i++];
    }
    while (i < h) tmp[o++] = idx[i++];
    while (j < n) tmp[o++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
    return ONS_OK;
}

NATIVE(nat_sort)
{
    UNUSED_ARGS();
    OnsList *l;
    ONS_TRY(builtins_arg_list(vm, "sort", 0, args[0], &l));
    if (nargs > 1) ONS_TRY(builtins_arg_callable(vm, "sort", 1, args[1]));
    uint32_t n = l->len;
    OnsList *keys = list_new(vm, n);
    vm_push_root(vm, ons_obj_value(&keys->obj));
    OnsStatus st = ONS_OK;
    for (uint32_t i = 0; i < n && st == ONS_OK; i++) {
        OnsValue kv = l->items[i];
        if (nargs > 1) st = vm_call(vm, args[1], &l->items[i], 1, &kv);
        if (st == ONS_OK) st = vm_force(vm, &kv);
        list_push(keys, kv);
    }
    uint32_t *idx = ons_malloc((n ? n : 1) * sizeof *idx), *tmp = ons_malloc((n ? n : 1) * sizeof *tmp);
    for (uint32_t i = 0; i < n; i++) idx[i] = i;
    SortCtx c = {vm, nargs > 1 ? args[1] : ons_nil(), keys->items};
    if (st == ONS_OK) st = merge_sort(&c, idx, tmp, n);
    if (st == ONS_OK) {
        OnsList *r = list_new(vm, n);
        for (uint32_t i = 0; i < n; i++) list_push(r, l->items[idx[i]]);
        *out = ons_obj_value(&r->obj);
    }
    ons_free(idx);
    ons_free(tmp);
    vm_pop_roots(vm, 1);
    return st;
}

NATIVE(nat_map)
{
    UNUSED_ARGS();
    OnsList *l;
    ONS_TRY(builtins_arg_list(vm, "map", 0, args[0], &l));
    ONS_TRY(builtins_arg_callable(vm, "map", 1, args[1]));
    OnsList *r = list_new(vm, l->len);
    vm_push_root(vm, ons_obj_value(&r->obj));
    for (uint32_t i = 0; i < l->len; i++) {
        OnsValue v;
        OnsStatus st = vm_call(vm, args[1], &l->items[i], 1, &v);
        if (st != ONS_OK) {
            vm_pop_roots(vm, 1);
            return st;
        }
        list_push(r, v);
    }
    vm_pop_roots(vm, 1);
    *out = ons_obj_value(&r->obj);
    return ONS_OK;
}

NATIVE(nat_filter)
{
    UNUSED_ARGS();
    OnsList *l;
    ONS_TRY(builtins_arg_list(vm, "filter", 0, args[0], &l));
    ONS_TRY(builtins_arg_callable(vm, "filter", 1, args[1]));
    OnsList *r = list_new(vm, 0);
    vm_push_root(vm, ons_obj_value(&r->obj));
    for (uint32_t i = 0; i < l->len; i++) {
        OnsValue keep;
        OnsStatus st = vm_call(vm, args[1], &l->items[i], 1, &keep);
        if (st != ONS_OK) {
            vm_pop_roots(vm, 1);
            return st;
        }
        if (ons_truthy(keep)) list_push(r, l->items[i]);
    }
    vm_pop_roots(vm, 1);
    *out = ons_obj_value(&r->obj);
    return ONS_OK;
}

static OnsStatus map_part(OnsVM *vm, const char *fn, OnsValue m, bool want_keys, OnsValue *out)
{
    if (!ons_is_obj(m, ONS_OBJ_MAP)) {
        char d[96];
        return vm_error(vm, "%s: needs a map, not %s", fn, arith_describe(vm, m, d, sizeof d));
    }
    OnsMap *map = ONS_AS_MAP(m);
    OnsList *l = list_new(vm, map->len);
    for (uint32_t i = 0; i < map->len; i++)
        list_push(l, want_keys ? map->entries[i].key : map->entries[i].value);
    *out = ons_obj_value(&l->obj);
    return ONS_OK;
}

NATIVE(nat_keys) { UNUSED_ARGS(); return map_part(vm, "keys", args[0], true, out); }
NATIVE(nat_values) { UNUSED_ARGS(); return map_part(vm, "values", args[0], false, out); }

NATIVE(nat_append)
{
    UNUSED_ARGS();
    OnsList *l;
    ONS_TRY(builtins_arg_list(vm, "append", 0, args[0], &l));
    if (l->len + (uint32_t)nargs > ONS_MAX_LIST) return vm_error(vm, "list too long (more than %u elements)", ONS_MAX_LIST);
    for (int i = 1; i < nargs; i++) {
        vm_note_store(vm, &l->obj, ons_undef(), args[i]);
        list_push(l, args[i]);
    }
    *out = args[0];
    return ONS_OK;
}

NATIVE(nat_contains)
{
    UNUSED_ARGS();
    OnsValue c = args[0], x = args[1];
    if (ons_is_obj(c, ONS_OBJ_LIST)) {
        OnsList *l = ONS_AS_LIST(c);
        bool found = false;
        for (uint32_t i = 0; i < l->len && !found; i++) found = ons_values_equal(l->items[i], x);
        *out = ons_bool(found);
        return ONS_OK;
    }
    if (ons_is_obj(c, ONS_OBJ_MAP)) {
        OnsValue v;
        *out = ons_bool(map_key_ok(x) && map_get(ONS_AS_MAP(c), x, &v));
        return ONS_OK;
    }
    if (ons_is_obj(c, ONS_OBJ_STRING) && ons_is_obj(x, ONS_OBJ_STRING)) {
        *out = ons_bool(strstr(ONS_AS_STRING(c)->chars, ONS_AS_STRING(x)->chars) != NULL);
        return ONS_OK;
    }
    char d[96];
    return vm_error(vm, "contains: cannot search in %s", arith_describe(vm, c, d, sizeof d));
}

NATIVE(nat_join)
{
    UNUSED_ARGS();
    OnsList *l;
    ONS_TRY(builtins_arg_list(vm, "join", 0, args[0], &l));
    OnsString *sep = NULL;
    if (nargs > 1) ONS_TRY(builtins_arg_string(vm, "join", 1, args[1], &sep));
    OnsOut o;
    out_init_buffer(&o);
    for (uint32_t i = 0; i < l->len; i++) {
        if (i && sep) out_write(&o, sep->chars, sep->len);
        value_print(vm, &o, l->items[i]);
        if (o.len > ONS_MAX_STRING) break;
    }
    if (o.len > ONS_MAX_STRING) {
        out_free(&o);
        return vm_error(vm, "join: string too long");
    }
    *out = str_value(vm, o.buf, o.len);
    out_free(&o);
    return ONS_OK;
}

NATIVE(nat_unit)
{
    UNUSED_ARGS();
    OnsValue v = args[0];
    ONS_TRY(vm_force(vm, &v));
    if (v.type != ONS_T_NUM) {
        char d[96];
        return vm_error(vm, "unit: %s has no unit", arith_describe(vm, v, d, sizeof d));
    }
    char name[64];
    double f;
    if (dim_is_none(v.dim)) {
        snprintf(name, sizeof name, "%s", v.hint == ONS_HINT_PERCENT ? "%" : "");
    } else if (v.hint == ONS_HINT_PERCENT && dim_no_numerator(v.dim)) {
        char per[48];
        snprintf(name, sizeof name, "%%%s", dim_base_units(v.dim, per, sizeof per) + 1); /* %/yr */
    } else {
        ons_choose_scale(v.as.num, v.dim, name, sizeof name, &f);
    }
    *out = str_value(vm, name, strlen(name));
    return ONS_OK;
}

NATIVE(nat_dim)
{
    UNUSED_ARGS();
    OnsValue v = args[0];
    ONS_TRY(vm_force(vm, &v));
    if (v.type != ONS_T_NUM) {
        char d[96];
        return vm_error(vm, "dim: %s has no dimension", arith_describe(vm, v, d, sizeof d));
    }
    char buf[64];
    dim_describe(v.dim, buf, sizeof buf);
    *out = str_value(vm, buf, strlen(buf));
    return ONS_OK;
}

NATIVE(nat_type)
{
    UNUSED_ARGS();
    char buf[64];
    const char *t = ons_type_word(args[0], buf, sizeof buf);
    if (args[0].type == ONS_T_NUM) t = "number";
    *out = str_value(vm, t, strlen(t));
    return ONS_OK;
}

/* approx(a, b, tol): tol a % is relative to b, otherwise absolute in b's dimension (spec §6.2). */
NATIVE(nat_approx)
{
    UNUSED_ARGS();
    OnsValue a = args[0], b = args[1];
    ONS_TRY(vm_force(vm, &a));
    ONS_TRY(vm_force(vm, &b));
    if (a.type != ONS_T_NUM || b.type != ONS_T_NUM) {
        char d[96];
        return vm_error(vm, "approx: compares numbers, not %s",
                        arith_describe(vm, a.type != ONS_T_NUM ? a : b, d, sizeof d));
    }
    if (!dim_eq(a.dim, b.dim)) {
        char x[96], y[96];
        return vm_error(vm, "approx: cannot compare %s and %s", arith_describe(vm, a, x, sizeof x),
                        arith_describe(vm, b, y, sizeof y));
    }
    double limit;
    if (nargs < 3) {
        limit = 1e-6 * fabs(b.as.num);
    } else {
        OnsValue t = args[2];
        ONS_TRY(vm_force(vm, &t));
        if (t.type != ONS_T_NUM) return vm_error(vm, "approx: the tolerance must be a number");
        if (t.hint == ONS_HINT_PERCENT && dim_is_none(t.dim)) {
            limit = t.as.num * fabs(b.as.num);
        } else if (dim_eq(t.dim, b.dim)) {
            limit = t.as.num;
        } else {
            char x[96], y[96];
            return vm_error(vm, "approx: the tolerance must be a %% or have the dimension of the second value "
                                "(%s), not %s",
                            arith_describe(vm, b, x, sizeof x), arith_describe(vm, t, y, sizeof y));
        }
    }
    *out = ons_bool(fabs(a.as.num - b.as.num) <= fabs(limit));
    return ONS_OK;
}

NATIVE(nat_error)
{
    UNUSED_ARGS();
    (void)out;
    char msg[512];
    if (ons_is_obj(args[0], ONS_OBJ_STRING)) snprintf(msg, sizeof msg, "%s", ONS_AS_STRING(args[0])->chars);
    else value_to_cstr(vm, args[0], msg, sizeof msg);
    return vm_error(vm, "%s", msg);
}

void builtins_register_core(OnsVM *vm)
{
    static const OnsNativeDef defs[] = {
        {"print", nat_print, 0, -1, ONS_RES_ANY, NULL},
        {"str", nat_str, 1, 1, ONS_RES_STRING, NULL},
        {"fmt", nat_fmt, 2, 2, ONS_RES_STRING, NULL},
        {"len", nat_len, 1, 1, ONS_RES_NUMBER, NULL},
        {"min", nat_min, 1, -1, ONS_RES_ARGS_UNIT, NULL},
        {"max", nat_max, 1, -1, ONS_RES_ARGS_UNIT, NULL},
        {"sum", nat_sum, 1, 1, ONS_RES_ANY, NULL},
        {"sort", nat_sort, 1, 2, ONS_RES_LIST, NULL},
        {"map", nat_map, 2, 2, ONS_RES_LIST, NULL},
        {"filter", nat_filter, 2, 2, ONS_RES_LIST, NULL},
        {"keys", nat_keys, 1, 1, ONS_RES_LIST, NULL},
        {"values", nat_values, 1, 1, ONS_RES_LIST, NULL},
        {"append", nat_append, 2, -1, ONS_RES_ANY, NULL},
        {"contains", nat_contains, 2, 2, ONS_RES_BOOL, NULL},
        {"join", nat_join, 1, 2, ONS_RES_STRING, NULL},
        {"unit", nat_unit, 1, 1, ONS_RES_STRING, NULL},
        {"dim", nat_dim, 1, 1, ONS_RES_STRING, NULL},
        {"type", nat_type, 1, 1, ONS_RES_STRING, NULL},
        {"approx", nat_approx, 2, 3, ONS_RES_BOOL, NULL},
        {"error", nat_error, 1, 1, ONS_RES_ANY, NULL},
    };
    vm_register_natives(vm, defs, ONS_ARRAY_LEN(defs));
}
