/* Registration of every built-in, argument helpers, and the operations the
 * VM hands to C: indexing, fields, literals, ranges and iteration. */
#include "builtins.h"
#include "arith.h"
#include "gc.h"
#include "mem.h"
#include "watch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void builtins_register(OnsVM *vm)
{
    builtins_register_core(vm);
    builtins_register_math(vm);
    builtins_register_stats(vm);
    builtins_register_io(vm);
}

/* ---- argument helpers ---- */

static const char *ordinal(int i)
{
    static const char *const words[] = {"first", "second", "third", "fourth", "fifth", "sixth"};
    return i >= 0 && i < 6 ? words[i] : "an";
}

OnsStatus builtins_arg_number(OnsVM *vm, const char *fn, int i, OnsValue v, double *out)
{
    ONS_TRY(vm_force(vm, &v));
    if (v.type != ONS_T_NUM) {
        char d[96];
        return vm_error(vm, "%s: the %s argument must be a number, not %s", fn, ordinal(i),
                        arith_describe(vm, v, d, sizeof d));
    }
    *out = v.as.num;
    return ONS_OK;
}

OnsStatus builtins_arg_plain_number(OnsVM *vm, const char *fn, int i, OnsValue v, double *out)
{
    ONS_TRY(vm_force(vm, &v));
    if (v.type != ONS_T_NUM || !dim_is_none(v.dim)) {
        char d[96];
        return vm_error(vm, "%s: the %s argument must be a plain number, not %s", fn, ordinal(i),
                        arith_describe(vm, v, d, sizeof d));
    }
    *out = v.as.num;
    return ONS_OK;
}

OnsStatus builtins_arg_list(OnsVM *vm, const char *fn, int i, OnsValue v, OnsList **out)
{
    if (!ons_is_obj(v, ONS_OBJ_LIST)) {
        char d[96];
        return vm_error(vm, "%s: the %s argument must be a list, not %s", fn, ordinal(i),
                        arith_describe(vm, v, d, sizeof d));
    }
    *out = ONS_AS_LIST(v);
    return ONS_OK;
}

OnsStatus builtins_arg_string(OnsVM *vm, const char *fn, int i, OnsValue v, OnsString **out)
{
    if (!ons_is_obj(v, ONS_OBJ_STRING)) {
        char d[96];
        return vm_error(vm, "%s: the %s argument must be a string, not %s", fn, ordinal(i),
                        arith_describe(vm, v, d, sizeof d));
    }
    *out = ONS_AS_STRING(v);
    return ONS_OK;
}

OnsStatus builtins_arg_callable(OnsVM *vm, const char *fn, int i, OnsValue v)
{
    if (!ons_is_obj(v, ONS_OBJ_CLOSURE) && !ons_is_obj(v, ONS_OBJ_NATIVE)) {
        char d[96];
        return vm_error(vm, "%s: the %s argument must be a function, not %s", fn, ordinal(i),
                        arith_describe(vm, v, d, sizeof d));
    }
    return ONS_OK;
}

const OnsValue *builtins_named_arg(const OnsNamedArgs *named, const char *name)
{
    if (!named) return NULL;
    for (int i = 0; i < named->n; i++)
        if (strcmp(named->names[i]->chars, name) == 0) return &named->values[i];
    return NULL;
}

/* ---- indexing ---- */

static OnsStatus list_position(OnsVM *vm, OnsList *l, OnsValue key, uint32_t *out, bool *inside)
{
    ONS_TRY(vm_force(vm, &key));
    if (key.type == ONS_T_NUM && dim_is_none(key.dim) && key.as.num != floor(key.as.num))
        return vm_error(vm, "a list index must be a whole number, not %g", key.as.num);
    if (key.type != ONS_T_NUM || !dim_is_none(key.dim)) {
        char d[96];
        return vm_error(vm, "a list index must be a whole plain number, not %s",
                        arith_describe(vm, key, d, sizeof d));
    }
    double i = key.as.num;
    if (i < 0) i += l->len; /* -1 is the last element */
    *inside = i >= 0 && i < l->len;
    *out = *inside ? (uint32_t)i : 0;
    return ONS_OK;
}

/* A number in a message as a reader writes it: 10000000, not 1e+07. */
typedef struct NumberText {
    char s[40];
} NumberText;

static NumberText number_text(double v)
{
    NumberText t = {""};
    ons_format_number(t.s, sizeof t.s, v, 6);
    return t;
}

OnsStatus builtins_index(OnsVM *vm, OnsValue obj, OnsValue key, OnsValue *out)
{
    if (ons_is_obj(obj, ONS_OBJ_LIST)) {
        OnsList *l = ONS_AS_LIST(obj);
        uint32_t i;
        bool inside;
        ONS_TRY(list_position(vm, l, key, &i, &inside));
        if (!inside)
            return vm_error(vm, "index %s is outside the list (it has %u element%s; the first is [0])",
                            number_text(key.as.num).s, l->len, l->len == 1 ? "" : "s");
        *out = l->items[i];
        return ONS_OK;
    }
    if (ons_is_obj(obj, ONS_OBJ_MAP)) {
        ONS_TRY(vm_force(vm, &key));
        if (!map_key_ok(key)) {
            char d[96];
            return vm_error(vm, "%s cannot be a map key", arith_describe(vm, key, d, sizeof d));
        }
        if (!map_get(ONS_AS_MAP(obj), key, out)) *out = ons_nil(); /* a missing key gives nil */
        return ONS_OK;
    }
    if (ons_is_obj(obj, ONS_OBJ_STRING)) { /* by character, as len counts */
        OnsString *s = ONS_AS_STRING(obj);
        ONS_TRY(vm_force(vm, &key));
        if (key.type != ONS_T_NUM || !dim_is_none(key.dim) || key.as.num != floor(key.as.num)) {
            char d[96];
            return vm_error(vm, "a string index must be a whole plain number, not %s",
                            arith_describe(vm, key, d, sizeof d));
        }
        uint32_t n = string_char_count(s), bytes;
        double i = key.as.num < 0 ? key.as.num + n : key.as.num;
        if (i < 0 || i >= n)
            return vm_error(vm, "index %s is outside the string (it has %u character%s)", number_text(key.as.num).s, n,
                            n == 1 ? "" : "s");
        uint32_t at = string_char_offset(s, (uint32_t)i, &bytes);
        *out = ons_obj_value(&string_new(vm, s->chars + at, bytes)->obj);
        return ONS_OK;
    }
    if (ons_is_obj(obj, ONS_OBJ_SERIES)) {
        double y;
        ONS_TRY(builtins_arg_plain_number(vm, "series[year]", 1, key, &y));
        OnsSeries *s = ONS_AS_SERIES(obj);
        *out = ons_quantity(series_at(s, y), s->dim, s->hint);
        return ONS_OK;
    }
    char d[96];
    return vm_error(vm, "cannot index %s", arith_describe(vm, obj, d, sizeof d));
}

OnsStatus builtins_set_index(OnsVM *vm, OnsValue obj, OnsValue key, OnsValue val)
{
    if (ons_is_obj(obj, ONS_OBJ_LIST)) {
        OnsList *l = ONS_AS_LIST(obj);
        uint32_t i;
        bool inside;
        ONS_TRY(list_position(vm, l, key, &i, &inside));
        if (!inside)
            return vm_error(vm, "index %s is outside the list (it has %u element%s); use append to add",
                            number_text(key.as.num).s, l->len, l->len == 1 ? "" : "s");
        vm_note_store(vm, &l->obj, l->items[i], val);
        l->items[i] = val;
        return ONS_OK;
    }
    if (ons_is_obj(obj, ONS_OBJ_MAP)) {
        OnsMap *m = ONS_AS_MAP(obj);
        if (m->len >= ONS_MAX_LIST) return vm_error(vm, "map too large");
        if (m->obj.watched) {
            OnsValue old;
            if (!map_get(m, key, &old)) old = ons_undef();
            vm_note_store(vm, &m->obj, old, val);
            vm_watch_value(vm, key);
        }
        if (!map_set(m, key, val)) {
            char d[96];
            return vm_error(vm, "%s cannot be a map key", arith_describe(vm, key, d, sizeof d));
        }
        return ONS_OK;
    }
    char d[96];
    return vm_error(vm, "cannot assign into %s", arith_describe(vm, obj, d, sizeof d));
}

OnsStatus builtins_get_property(OnsVM *vm, OnsValue obj, OnsValue name, OnsValue *out)
{
    OnsString *nm = ONS_AS_STRING(name);
    if (obj.type == ONS_T_ENTITY) {
        if (!vm->host.get_property) return vm_error(vm, "entities have no properties here");
        return vm->host.get_property(vm, obj, nm, out);
    }
    if (ons_is_obj(obj, ONS_OBJ_MAP)) {
        if (!map_get(ONS_AS_MAP(obj), name, out)) *out = ons_nil();
        return ONS_OK;
    }
    char d[96];
    return vm_error(vm, "%s has no property '%s'", arith_describe(vm, obj, d, sizeof d), nm->chars);
}

OnsStatus builtins_set_property(OnsVM *vm, OnsValue obj, OnsValue name, OnsValue val)
{
    if (ons_is_obj(obj, ONS_OBJ_MAP)) {
        if (ONS_AS_OBJ(obj)->watched) {
            OnsValue old;
            if (!map_get(ONS_AS_MAP(obj), name, &old)) old = ons_undef();
            vm_note_store(vm, ONS_AS_OBJ(obj), old, val);
        }
        map_set(ONS_AS_MAP(obj), name, val);
        return ONS_OK;
    }
    if (obj.type == ONS_T_ENTITY)
        return vm_error(vm, "properties of %s are set where it is declared, or in a scenario "
                            "(`%s.%s: ...`)",
                        vm_entity_name(vm, (OnsEntityKind)obj.hint, obj.as.index),
                        vm_entity_name(vm, (OnsEntityKind)obj.hint, obj.as.index),
                        ONS_AS_STRING(name)->chars);
    char d[96];
    return vm_error(vm, "cannot set a property of %s", arith_describe(vm, obj, d, sizeof d));
}

/* ---- literals ---- */

OnsStatus builtins_map_literal_set(OnsVM *vm, OnsValue map, OnsValue key, OnsValue val)
{
    OnsMap *m = ONS_AS_MAP(map);
    OnsValue old;
    if (!map_key_ok(key)) {
        char d[96];
        return vm_error(vm, "%s cannot be a map key", arith_describe(vm, key, d, sizeof d));
    }
    if (map_get(m, key, &old)) {
        char k[96];
        return vm_error(vm, "the key %s appears twice in this map", value_to_cstr(vm, key, k, sizeof k));
    }
    map_set(m, key, val);
    return ONS_OK;
}

OnsStatus builtins_make_series(OnsVM *vm, OnsValue mapv, int kind, OnsValue *out)
{
    OnsMap *m = ONS_AS_MAP(mapv);
    const char *what = kind == ONS_SERIES_STEP ? "step" : "linear";
    if (m->len == 0) return vm_error(vm, "a %s series needs at least one year", what);
    /* pairs of (year, index) sorted by year */
    double *pairs = ons_malloc((size_t)m->len * 2 * sizeof(double));
    OnsDim d = dim_none();
    uint8_t hint = 0;
    for (uint32_t i = 0; i < m->len; i++) {
        OnsValue k = m->entries[i].key, v = m->entries[i].value;
        if (k.type != ONS_T_NUM || !dim_is_none(k.dim) || k.as.num != floor(k.as.num)) {
            ons_free(pairs);
            if (k.type == ONS_T_NUM && dim_is_none(k.dim))
                return vm_error(vm, "the keys of a %s series are years (whole numbers), not %g", what, k.as.num);
            char buf[96];
            return vm_error(vm, "the keys of a %s series are years (whole numbers), not %s", what,
                            arith_describe(vm, k, buf, sizeof buf));
        }
        if (v.type != ONS_T_NUM) {
            ons_free(pairs);
            char buf[96];
            return vm_error(vm, "the values of a %s series are numbers, not %s", what,
                            arith_describe(vm, v, buf, sizeof buf));
        }
        if (i == 0) {
            d = v.dim;
            hint = v.hint;
        } else if (!dim_eq(d, v.dim)) {
            ons_free(pairs);
            char a[96], b[96];
            return vm_error(vm, "the values of a series must share one dimension: %s and %s",
                            arith_describe(vm, m->entries[0].value, a, sizeof a),
                            arith_describe(vm, v, b, sizeof b));
        }
        pairs[(size_t)2 * i] = k.as.num;
        pairs[(size_t)2 * i + 1] = v.as.num;
    }
    series_sort_pairs(pairs, m->len); /* a map's keys differ */
    OnsSeries *s = series_new(vm, kind, m->len);
    for (uint32_t i = 0; i < m->len; i++) {
        s->years[i] = pairs[(size_t)2 * i];
        s->vals[i] = pairs[(size_t)2 * i + 1];
    }
    s->dim = d;
    s->hint = hint;
    ons_free(pairs);
    *out = ons_obj_value(&s->obj);
    return ONS_OK;
}

OnsStatus builtins_make_range(OnsVM *vm, OnsValue from, OnsValue to, OnsValue *out)
{
    double a, b;
    ONS_TRY(builtins_arg_plain_number(vm, "..", 0, from, &a));
    ONS_TRY(builtins_arg_plain_number(vm, "..", 1, to, &b));
    double n = b >= a ? floor(b - a) + 1 : 0;
    if (n > ONS_MAX_LIST)
        return vm_error(vm, "range %s..%s is too long (more than %u numbers)", number_text(a).s, number_text(b).s,
                        ONS_MAX_LIST);
    OnsList *l = list_new(vm, (uint32_t)n);
    for (uint32_t i = 0; i < (uint32_t)n; i++) list_push(l, ons_num(a + i));
    *out = ons_obj_value(&l->obj);
    return ONS_OK;
}

OnsStatus builtins_iterable(OnsVM *vm, OnsValue v, OnsValue *out)
{
    if (ons_is_obj(v, ONS_OBJ_LIST)) {
        *out = v;
        return ONS_OK;
    }
    if (ons_is_obj(v, ONS_OBJ_MAP)) {
        OnsMap *m = ONS_AS_MAP(v);
        OnsList *l = list_new(vm, m->len);
        for (uint32_t i = 0; i < m->len; i++) list_push(l, m->entries[i].key);
        *out = ons_obj_value(&l->obj);
        return ONS_OK;
    }
    char d[96];
    return vm_error(vm, "cannot loop over %s (a list, a map or a range a..b can be looped over)",
                    arith_describe(vm, v, d, sizeof d));
}
