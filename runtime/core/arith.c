/* Slow paths of arithmetic: everything the VM does not do inline. */
#include "arith.h"
#include "mem.h"

#include <math.h>
#include <string.h>

const char *arith_describe(OnsVM *vm, OnsValue v, char *buf, size_t n)
{
    if (v.type == ONS_T_NUM) {
        if (dim_is_none(v.dim)) {
            snprintf(buf, n, v.hint == ONS_HINT_PERCENT ? "a share" : "a plain number");
            return buf;
        }
        char unit[48], words[64];
        double f;
        ons_choose_scale(v.as.num, v.dim, unit, sizeof unit, &f);
        snprintf(buf, n, "%s (%s)", unit, dim_describe(v.dim, words, sizeof words));
        return buf;
    }
    char w[48];
    const char *t = ons_type_word(v, w, sizeof w);
    bool vowel = strchr("aeiou", t[0]) != NULL;
    snprintf(buf, n, "%s%s", v.type == ONS_T_NIL ? "" : vowel ? "an " : "a ", t);
    (void)vm;
    return buf;
}

static const char *op_verb(OnsOpcode op)
{
    switch (op) {
    case OP_ADD: return "add";
    case OP_SUB: return "subtract";
    case OP_MUL: return "multiply";
    case OP_DIV: return "divide";
    case OP_MOD: return "take the remainder of";
    case OP_POW: return "raise";
    case OP_LT: case OP_LE: return "compare";
    case OP_EQ: case OP_NE: return "compare";
    default: return "combine";
    }
}

static OnsStatus mismatch(OnsVM *vm, OnsOpcode op, OnsValue a, OnsValue b)
{
    char da[96], db[96];
    arith_describe(vm, a, da, sizeof da);
    arith_describe(vm, b, db, sizeof db);
    if (op == OP_SUB) return vm_error(vm, "cannot subtract %s from %s", db, da);
    return vm_error(vm, "cannot %s %s and %s", op_verb(op), da, db);
}

static uint8_t result_hint(OnsOpcode op, OnsValue a, OnsValue b, OnsDim d)
{
    if (!dim_no_numerator(d)) return ONS_HINT_NONE; /* shares, and shares per year */
    bool pa = a.hint == ONS_HINT_PERCENT, pb = b.hint == ONS_HINT_PERCENT;
    switch (op) {
    case OP_ADD: case OP_SUB: case OP_MUL: return (pa || pb) ? ONS_HINT_PERCENT : ONS_HINT_NONE;
    case OP_DIV: case OP_MOD: return (pa && !pb) ? ONS_HINT_PERCENT : ONS_HINT_NONE;
    default: return ONS_HINT_NONE;
    }
}

/* Concatenation: a string with anything turns the other side into text. */
static OnsStatus concat(OnsVM *vm, OnsValue a, OnsValue b, OnsValue *out)
{
    if (ons_is_obj(a, ONS_OBJ_STRING) && ons_is_obj(b, ONS_OBJ_STRING)) {
        /* two strings: checked before copying, so a runaway doubling fails fast */
        OnsString *x = ONS_AS_STRING(a), *y = ONS_AS_STRING(b);
        if ((uint64_t)x->len + y->len > ONS_MAX_STRING)
            return vm_error(vm, "string too long (more than %u bytes)", ONS_MAX_STRING);
        char *joined = ons_malloc((size_t)x->len + y->len + 1);
        memcpy(joined, x->chars, x->len);
        memcpy(joined + x->len, y->chars, y->len);
        *out = ons_obj_value((OnsObj *)string_new(vm, joined, (size_t)x->len + y->len));
        ons_free(joined);
        return ONS_OK;
    }
    OnsOut buf;
    out_init_buffer(&buf);
    value_print(vm, &buf, a);
    value_print(vm, &buf, b);
    if (buf.len > ONS_MAX_STRING) {
        out_free(&buf);
        return vm_error(vm, "string too long (more than %u bytes)", ONS_MAX_STRING);
    }
    *out = ons_obj_value((OnsObj *)string_new(vm, buf.buf, buf.len));
    out_free(&buf);
    return ONS_OK;
}

static OnsStatus list_concat(OnsVM *vm, OnsList *a, OnsList *b, OnsValue *out)
{
    if ((uint64_t)a->len + b->len > ONS_MAX_LIST)
        return vm_error(vm, "list too long (more than %u elements)", ONS_MAX_LIST);
    OnsList *l = list_new(vm, a->len + b->len);
    for (uint32_t i = 0; i < a->len; i++) list_push(l, a->items[i]);
    for (uint32_t i = 0; i < b->len; i++) list_push(l, b->items[i]);
    *out = ons_obj_value(&l->obj);
    return ONS_OK;
}

OnsStatus arith_binary(OnsVM *vm, OnsOpcode op, OnsValue a, OnsValue b, OnsValue *out)
{
    ONS_TRY(vm_force(vm, &a));
    ONS_TRY(vm_force(vm, &b));
    if (a.type != ONS_T_NUM || b.type != ONS_T_NUM) {
        if (op == OP_ADD && (ons_is_obj(a, ONS_OBJ_STRING) || ons_is_obj(b, ONS_OBJ_STRING)))
            return concat(vm, a, b, out);
        if (op == OP_ADD && ons_is_obj(a, ONS_OBJ_LIST) && ons_is_obj(b, ONS_OBJ_LIST))
            return list_concat(vm, ONS_AS_LIST(a), ONS_AS_LIST(b), out);
        return mismatch(vm, op, a, b);
    }
    double x = a.as.num, y = b.as.num, r;
    OnsDim d = a.dim;
    switch (op) {
    case OP_ADD:
    case OP_SUB:
        if (!dim_eq(a.dim, b.dim)) return mismatch(vm, op, a, b);
        r = op == OP_ADD ? x + y : x - y;
        break;
    case OP_MUL:
        if (!dim_mul(a.dim, b.dim, &d)) return vm_error(vm, "the units of this product are too complex");
        r = x * y;
        break;
    case OP_DIV:
        if (!dim_div(a.dim, b.dim, &d)) return vm_error(vm, "the units of this quotient are too complex");
        if (y == 0) {
            char da[96];
            return vm_error(vm, "division by zero (dividing %s by zero)", arith_describe(vm, a, da, sizeof da));
        }
        r = x / y;
        break;
    case OP_MOD:
        if (!dim_eq(a.dim, b.dim)) return mismatch(vm, op, a, b);
        if (y == 0) return vm_error(vm, "division by zero in 'mod'");
        r = fmod(x, y);
        if (r != 0 && (r < 0) != (y < 0)) r += y; /* the sign of the divisor, as in maths */
        break;
    case OP_POW:
        if (!dim_is_none(b.dim)) {
            char db[96];
            return vm_error(vm, "an exponent must be a plain number, not %s", arith_describe(vm, b, db, sizeof db));
        }
        /* spec §2: a whole exponent; sqrt, exp and ln give the rest */
        if (y != floor(y) || !isfinite(y))
            return vm_error(vm, "an exponent must be a whole number, not %g (sqrt(x) is a square root; "
                                "exp(y * ln(x)) any other power)", y);
        if (!dim_is_none(a.dim) && !dim_pow(a.dim, y, &d))
            return vm_error(vm, "the units of this power are too complex");
        if (x == 0 && y < 0) return vm_error(vm, "division by zero (zero raised to a negative power)");
        r = pow(x, y);
        break;
    default:
        return vm_error(vm, "internal error: bad arithmetic operator");
    }
    if (!isfinite(r)) return vm_error(vm, "the result is too large (beyond 1.8e308, the largest number)");
    *out = ons_quantity(r, d, result_hint(op, a, b, d));
    return ONS_OK;
}

OnsStatus arith_negate(OnsVM *vm, OnsValue a, OnsValue *out)
{
    ONS_TRY(vm_force(vm, &a));
    if (a.type != ONS_T_NUM) {
        char da[96];
        return vm_error(vm, "cannot negate %s", arith_describe(vm, a, da, sizeof da));
    }
    *out = a;
    out->as.num = -a.as.num;
    return ONS_OK;
}

OnsStatus arith_compare(OnsVM *vm, OnsOpcode op, OnsValue a, OnsValue b, bool *out)
{
    ONS_TRY(vm_force(vm, &a));
    ONS_TRY(vm_force(vm, &b));
    if (op == OP_EQ || op == OP_NE) {
        if (a.type == ONS_T_NUM && b.type == ONS_T_NUM && !dim_eq(a.dim, b.dim))
            return mismatch(vm, op, a, b);
        bool eq = ons_values_equal(a, b);
        *out = op == OP_EQ ? eq : !eq;
        return ONS_OK;
    }
    if (a.type == ONS_T_NUM && b.type == ONS_T_NUM) {
        if (!dim_eq(a.dim, b.dim)) return mismatch(vm, op, a, b);
        /* <= is < or == (and == has the tolerance of spec §2); < is exact */
        *out = op == OP_LT ? a.as.num < b.as.num : (a.as.num <= b.as.num || ons_num_close(a.as.num, b.as.num));
        return ONS_OK;
    }
    if (ons_is_obj(a, ONS_OBJ_STRING) && ons_is_obj(b, ONS_OBJ_STRING)) {
        OnsString *x = ONS_AS_STRING(a), *y = ONS_AS_STRING(b);
        uint32_t n = x->len < y->len ? x->len : y->len;
        int c = memcmp(x->chars, y->chars, n);
        if (c == 0) c = (x->len > y->len) - (x->len < y->len);
        *out = op == OP_LT ? c < 0 : c <= 0;
        return ONS_OK;
    }
    return mismatch(vm, op, a, b);
}
