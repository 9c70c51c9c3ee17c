/* Values and objects (runtime/core/value.h, object.c, print.c): equality with the
 * tolerance of spec §2 against identity for map keys, hashing, maps in
 * insertion order with and without their index, string interning across a
 * collection, series_at around the keys, and how values print. */
#include "tests.h"
#include "diag.h"

#include "gc.h"
#include "object.h"
#include "session.h"
#include "vm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- a VM with buffer sinks for each test ---- */

static OnsOut out, err;
static OnsVM *vm;

static void setup(void)
{
    out_init_buffer(&out);
    out_init_buffer(&err);
    vm = session_vm_new(&out, &err);
}

static void teardown(void)
{
    vm_free(vm);
    out_free(&out);
    out_free(&err);
}

static OnsValue str(const char *s) { return ons_obj_value(&string_cstr(vm, s)->obj); }

static OnsValue mass(double tonnes) { return ons_quantity(tonnes, dim_base(ONS_DIM_MASS), 0); }
static OnsValue energy(double kwh) { return ons_quantity(kwh, dim_base(ONS_DIM_ENERGY), 0); }

/* print() of v, as text (static buffer, overwritten by the next call) */
static const char *printed(OnsValue v)
{
    static char buf[512];
    OnsOut o;
    out_init_buffer(&o);
    value_print(vm, &o, v);
    snprintf(buf, sizeof buf, "%s", o.buf);
    out_free(&o);
    return buf;
}

static const char *repr(OnsValue v)
{
    static char buf[512];
    OnsOut o;
    out_init_buffer(&o);
    value_repr(vm, &o, v);
    snprintf(buf, sizeof buf, "%s", o.buf);
    out_free(&o);
    return buf;
}

/* ---- equality, identity, hashing ---- */

START_TEST(equal_numbers_with_tolerance)
{
    ck_assert(ons_values_equal(ons_num(0.1 + 0.2), ons_num(0.3)));
    ck_assert(ons_values_equal(mass(1), mass(1000 * 1e-3))); /* 1000 kg == 1 t */
    ck_assert(ons_values_equal(ons_num(1e9), ons_num(1e9 + 0.5)));  /* relative 5e-10 */
    ck_assert(!ons_values_equal(ons_num(1), ons_num(1.001)));
    ck_assert(!ons_values_equal(ons_num(1e-12), ons_num(2e-12)));    /* relative, not absolute */
    ck_assert(ons_values_equal(ons_num(0), ons_num(-0.0)));
    /* a share and a plain number of the same value are equal: the hint only prints */
    ck_assert(ons_values_equal(ons_percent(0.44), ons_num(0.44)));
}
END_TEST

START_TEST(equal_needs_same_dimension_and_type)
{
    ck_assert(!ons_values_equal(mass(1), energy(1)));
    ck_assert(!ons_values_equal(mass(1), ons_num(1)));
    ck_assert(!ons_values_equal(ons_num(1), ons_bool(true)));
    ck_assert(!ons_values_equal(ons_nil(), ons_bool(false)));
    ck_assert(ons_values_equal(ons_nil(), ons_nil()));
    ck_assert(ons_values_equal(ons_bool(true), ons_bool(true)));
    ck_assert(!ons_values_equal(ons_entity(ONS_ENT_REGION, 0), ons_entity(ONS_ENT_MATERIAL, 0)));
    ck_assert(ons_values_equal(ons_entity(ONS_ENT_REGION, 3), ons_entity(ONS_ENT_REGION, 3)));
    ck_assert(!ons_values_equal(str("1"), ons_num(1)));
}
END_TEST

START_TEST(equal_lists_and_maps_by_content)
{
    OnsList *a = list_new(vm, 0);
    vm_push_root(vm, ons_obj_value(&a->obj)); /* rooted before the next allocation may collect */
    OnsList *b = list_new(vm, 0);
    vm_push_root(vm, ons_obj_value(&b->obj));
    list_push(a, ons_num(1));
    list_push(a, mass(1));
    list_push(b, ons_num(1));
    list_push(b, mass(1 + 1e-12));
    ck_assert(ons_values_equal(ons_obj_value(&a->obj), ons_obj_value(&b->obj)));
    list_push(b, ons_nil());
    ck_assert(!ons_values_equal(ons_obj_value(&a->obj), ons_obj_value(&b->obj)));

    OnsMap *m = map_new(vm);
    vm_push_root(vm, ons_obj_value(&m->obj));
    OnsMap *n = map_new(vm);
    vm_push_root(vm, ons_obj_value(&n->obj));
    map_set(m, str("x"), ons_num(1));
    map_set(m, str("y"), ons_num(2));
    map_set(n, str("y"), ons_num(2)); /* other order, same content */
    map_set(n, str("x"), ons_num(1));
    ck_assert(ons_values_equal(ons_obj_value(&m->obj), ons_obj_value(&n->obj)));
    map_set(n, str("x"), ons_num(3));
    ck_assert(!ons_values_equal(ons_obj_value(&m->obj), ons_obj_value(&n->obj)));
    vm_pop_roots(vm, 4);
}
END_TEST

START_TEST(identity_is_exact)
{
    /* map keys use identity: exact bits, no tolerance, but -0 is 0 */
    ck_assert(!ons_values_same(ons_num(0.1 + 0.2), ons_num(0.3)));
    ck_assert(ons_values_same(ons_num(0), ons_num(-0.0)));
    ck_assert(!ons_values_same(mass(1), energy(1)));
    ck_assert(ons_values_same(str("abc"), str("abc"))); /* interned */
    OnsList *a = list_new(vm, 0);
    vm_push_root(vm, ons_obj_value(&a->obj));
    OnsList *b = list_new(vm, 0);
    ck_assert(!ons_values_same(ons_obj_value(&a->obj), ons_obj_value(&b->obj)));
    vm_pop_roots(vm, 1);
}
END_TEST

START_TEST(hash_agrees_with_identity)
{
    ck_assert_uint_eq(ons_value_hash(ons_num(0)), ons_value_hash(ons_num(-0.0)));
    ck_assert_uint_eq(ons_value_hash(str("region")), ons_value_hash(str("region")));
    ck_assert_uint_eq(ons_value_hash(ons_entity(ONS_ENT_REGION, 2)), ons_value_hash(ons_entity(ONS_ENT_REGION, 2)));
    /* the dimension is part of the key: 1 t and 1 kWh hash apart (almost surely) */
    ck_assert_uint_ne(ons_value_hash(mass(1)), ons_value_hash(energy(1)));
    ck_assert_uint_ne(ons_value_hash(ons_entity(ONS_ENT_REGION, 2)), ons_value_hash(ons_entity(ONS_ENT_MATERIAL, 2)));
    ck_assert_uint_ne(ons_value_hash(ons_bool(true)), ons_value_hash(ons_bool(false)));
}
END_TEST

/* ---- maps ---- */

START_TEST(map_keeps_insertion_order)
{
    OnsMap *m = map_new(vm);
    vm_push_root(vm, ons_obj_value(&m->obj));
    const char *names[] = {"zinc", "alpha", "mid"};
    for (int i = 0; i < 3; i++) ck_assert(map_set(m, str(names[i]), ons_num(i)));
    ck_assert(map_set(m, str("alpha"), ons_num(10))); /* replacing keeps the place */
    ck_assert_uint_eq(m->len, 3);
    ck_assert_str_eq(repr(ons_obj_value(&m->obj)), "{\"zinc\": 0, \"alpha\": 10, \"mid\": 2}");
    ck_assert_uint_eq(m->index_cap, 0); /* small maps search their entries */
    vm_pop_roots(vm, 1);
}
END_TEST

START_TEST(map_index_beyond_eight_entries)
{
    OnsMap *m = map_new(vm);
    vm_push_root(vm, ons_obj_value(&m->obj));
    for (int i = 0; i < 8; i++) map_set(m, ons_num(i * 7), ons_num(i));
    ck_assert_uint_eq(m->index_cap, 0);
    map_set(m, ons_num(8 * 7), ons_num(8));
    ck_assert_uint_gt(m->index_cap, 0); /* the ninth entry builds the index */
    for (int i = 9; i < 200; i++) map_set(m, ons_num(i * 7), ons_num(i));
    ck_assert_uint_eq(m->len, 200);
    ck_assert_uint_ge(m->index_cap, 2 * m->len); /* grown as it filled */
    for (int i = 0; i < 200; i++) {
        OnsValue v;
        ck_assert_msg(map_get(m, ons_num(i * 7), &v), "key %d lost", i * 7);
        ck_assert(v.as.num == i);
        ck_assert(m->entries[i].key.as.num == i * 7); /* still in insertion order */
    }
    OnsValue v;
    ck_assert(!map_get(m, ons_num(3), &v));
    map_set(m, ons_num(7), str("new")); /* replace through the index */
    ck_assert(map_get(m, ons_num(7), &v) && ons_is_obj(v, ONS_OBJ_STRING));
    ck_assert_uint_eq(m->len, 200);
    vm_pop_roots(vm, 1);
}
END_TEST

START_TEST(map_keys_of_every_kind)
{
    OnsMap *m = map_new(vm);
    vm_push_root(vm, ons_obj_value(&m->obj));
    ck_assert(map_set(m, ons_entity(ONS_ENT_REGION, 0), ons_num(1)));
    ck_assert(map_set(m, ons_entity(ONS_ENT_MATERIAL, 0), ons_num(2))); /* another kind, another key */
    ck_assert(map_set(m, mass(1), ons_num(3)));
    ck_assert(map_set(m, energy(1), ons_num(4)));
    ck_assert(map_set(m, ons_bool(true), ons_num(5)));
    ck_assert(map_set(m, str("k"), ons_num(6)));
    ck_assert_uint_eq(m->len, 6);
    OnsList *l = list_new(vm, 0);
    ck_assert(!map_set(m, ons_obj_value(&l->obj), ons_num(7))); /* a list cannot be a key */
    ck_assert(!map_set(m, ons_nil(), ons_num(7)));
    OnsValue v;
    ck_assert(map_get(m, ons_entity(ONS_ENT_MATERIAL, 0), &v) && v.as.num == 2);
    ck_assert(map_get(m, energy(1), &v) && v.as.num == 4);
    ck_assert(!map_get(m, ons_nil(), &v));
    vm_pop_roots(vm, 1);
}
END_TEST

/* ---- strings ---- */

START_TEST(strings_are_interned)
{
    OnsString *a = string_cstr(vm, "lithium");
    vm_push_root(vm, ons_obj_value(&a->obj)); /* the next allocations may collect */
    OnsString *b = string_new(vm, "lithium hydroxide", 7);
    ck_assert_ptr_eq(a, b);
    ck_assert_ptr_ne(a, string_cstr(vm, "Lithium"));
    ck_assert_uint_eq(a->len, 7);
    ck_assert_uint_eq(a->hash, string_hash("lithium", 7));
    ck_assert_ptr_eq(string_cstr(vm, ""), string_new(vm, "x", 0));
    vm_pop_roots(vm, 1);
}
END_TEST

START_TEST(interning_survives_collection)
{
    OnsString *kept = string_cstr(vm, "kept");
    vm_push_root(vm, ons_obj_value(&kept->obj));
    char buf[32];
    for (int i = 0; i < 5000; i++) { /* garbage, and tombstones in the table */
        snprintf(buf, sizeof buf, "tmp%d", i);
        string_cstr(vm, buf);
    }
    gc_collect(vm);
    ck_assert_ptr_eq(string_cstr(vm, "kept"), kept);
    for (int i = 0; i < 5000; i++) { /* the same texts again: new objects, found again after */
        snprintf(buf, sizeof buf, "tmp%d", i);
        OnsString *s = string_cstr(vm, buf);
        ck_assert_ptr_eq(string_cstr(vm, buf), s);
    }
    gc_collect(vm);
    ck_assert_ptr_eq(string_cstr(vm, "kept"), kept);
    vm_pop_roots(vm, 1);
}
END_TEST

START_TEST(string_characters)
{
    OnsString *s = string_cstr(vm, "h\xc3\xa9llo\xe2\x86\x92"); /* héllo→ */
    ck_assert_uint_eq(s->len, 9);
    ck_assert_uint_eq(string_char_count(s), 6);
    uint32_t n;
    ck_assert_uint_eq(string_char_offset(s, 1, &n), 1);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(string_char_offset(s, 5, &n), 6);
    ck_assert_uint_eq(n, 3);
}
END_TEST

/* ---- series ---- */

static OnsSeries *series_of(int kind, const double *years, const double *vals, uint32_t n)
{
    OnsSeries *s = series_new(vm, kind, n);
    memcpy(s->years, years, n * sizeof(double));
    memcpy(s->vals, vals, n * sizeof(double));
    s->dim = dim_base(ONS_DIM_MASS);
    return s;
}

START_TEST(series_step_around_keys)
{
    const double y[] = {2028, 2031}, v[] = {40e3, 80e3};
    OnsSeries *s = series_of(ONS_SERIES_STEP, y, v, 2);
    ck_assert(series_at(s, 2027) == 0);      /* 0 before the first key */
    ck_assert(series_at(s, 2027.999) == 0);
    ck_assert(series_at(s, 2028) == 40e3);   /* a key's own year */
    ck_assert(series_at(s, 2030) == 40e3);   /* holds until the next key */
    ck_assert(series_at(s, 2030.999) == 40e3);
    ck_assert(series_at(s, 2031) == 80e3);
    ck_assert(series_at(s, 3000) == 80e3);   /* the last holds */
}
END_TEST

START_TEST(series_linear_around_keys)
{
    const double y[] = {2024, 2030, 2040}, v[] = {0.2e9, 1.6e9, 1.6e9};
    OnsSeries *s = series_of(ONS_SERIES_LINEAR, y, v, 3);
    ck_assert(series_at(s, 2000) == 0.2e9);  /* flat before */
    ck_assert(series_at(s, 2024) == 0.2e9);
    ck_assert(fabs(series_at(s, 2027) - 0.9e9) < 1e-3);
    ck_assert(fabs(series_at(s, 2029) - (0.2e9 + 1.4e9 * 5 / 6)) < 1e-3);
    ck_assert(series_at(s, 2030) == 1.6e9);  /* a key exactly */
    ck_assert(series_at(s, 2035) == 1.6e9);  /* flat segment */
    ck_assert(series_at(s, 2100) == 1.6e9);  /* flat after */
}
END_TEST

START_TEST(series_single_key)
{
    const double y[] = {2030}, v[] = {5};
    ck_assert(series_at(series_of(ONS_SERIES_STEP, y, v, 1), 2029) == 0);
    ck_assert(series_at(series_of(ONS_SERIES_STEP, y, v, 1), 2030) == 5);
    ck_assert(series_at(series_of(ONS_SERIES_LINEAR, y, v, 1), 2029) == 5);
    ck_assert(series_at(series_of(ONS_SERIES_LINEAR, y, v, 1), 2031) == 5);
}
END_TEST

/* ---- printing ---- */

START_TEST(print_quantities)
{
    ck_assert_str_eq(printed(energy(1600e6)), "1.6 TWh");
    ck_assert_str_eq(printed(ons_num(0.44)), "0.44");
    ck_assert_str_eq(printed(ons_percent(0.44)), "44%");
    ck_assert_str_eq(printed(mass(1.001e3)), "1.001 kt");
    ck_assert_str_eq(printed(ons_num(2030)), "2030");
    ck_assert_str_eq(printed(ons_num(1.0 / 3)), "0.333333");
    OnsDim per_year = dim_inverse(dim_base(ONS_DIM_TIME));
    ck_assert_str_eq(printed(ons_quantity(0.05, per_year, ONS_HINT_PERCENT)), "5%/yr");
    ck_assert_str_eq(printed(ons_quantity(0.05, per_year, 0)), "0.05/yr");
}
END_TEST

START_TEST(print_strings_raw_and_quoted)
{
    OnsValue s = str("say \"hi\"\n");
    ck_assert_str_eq(printed(s), "say \"hi\"\n");
    ck_assert_str_eq(repr(s), "\"say \\\"hi\\\"\\n\"");
    OnsList *l = list_new(vm, 0);
    vm_push_root(vm, ons_obj_value(&l->obj));
    list_push(l, str("a"));
    list_push(l, mass(40e3));
    list_push(l, ons_nil());
    list_push(l, ons_bool(false));
    /* inside a list, strings are quoted even by print */
    ck_assert_str_eq(printed(ons_obj_value(&l->obj)), "[\"a\", 40 kt, nil, false]");
    ck_assert_str_eq(repr(ons_obj_value(&l->obj)), "[\"a\", 40 kt, nil, false]");
    vm_pop_roots(vm, 1);
}
END_TEST

START_TEST(print_nested_and_cyclic)
{
    OnsMap *m = map_new(vm);
    vm_push_root(vm, ons_obj_value(&m->obj));
    OnsValue key = str("list");
    vm_push_root(vm, key); /* each allocation may collect what no root holds */
    OnsList *inner = list_new(vm, 0);
    map_set(m, key, ons_obj_value(&inner->obj));
    vm_pop_roots(vm, 1);
    list_push(inner, ons_percent(0.25));
    ck_assert_str_eq(printed(ons_obj_value(&m->obj)), "{\"list\": [25%]}");
    list_push(inner, ons_obj_value(&inner->obj)); /* a list holding itself prints, bounded */
    const char *p = printed(ons_obj_value(&inner->obj));
    ck_assert_ptr_nonnull(strstr(p, "..."));
    vm_pop_roots(vm, 1);
}
END_TEST

START_TEST(print_series_and_functions)
{
    const double y[] = {2028, 2031}, v[] = {40e3, 80e3};
    OnsSeries *s = series_of(ONS_SERIES_STEP, y, v, 2);
    vm_push_root(vm, ons_obj_value(&s->obj));
    OnsDim rate;
    dim_div(dim_base(ONS_DIM_MASS), dim_base(ONS_DIM_TIME), &rate);
    s->dim = rate;
    ck_assert_str_eq(printed(ons_obj_value(&s->obj)), "step {2028: 40 kt/yr, 2031: 80 kt/yr}");
    OnsNative *print_fn = vm_builtin(vm, "print", 5);
    ck_assert_ptr_nonnull(print_fn);
    ck_assert_str_eq(printed(ons_obj_value(&print_fn->obj)), "<built-in fn print>");
    vm_pop_roots(vm, 1);
}
END_TEST

START_TEST(value_to_cstr_truncates)
{
    char small[8];
    value_to_cstr(vm, str("a long string indeed"), small, sizeof small);
    ck_assert_uint_eq(strlen(small), 7);
    ck_assert_str_eq(small + 4, "...");
    char buf[64];
    ck_assert_str_eq(value_to_cstr(vm, str("q"), buf, sizeof buf), "\"q\"");
}
END_TEST

/* One "did you mean" for every message: a swap counts one edit, the limit
 * grows with the word (1 up to 3 bytes, 2 up to 6, 3 beyond), the nearest
 * wins and ties go to the first offered. */
START_TEST(did_you_mean)
{
    static const char *const names[] = {"capacity", "cost", "utilization", "qualify", "recycled"};
    ck_assert_str_eq(diag_closest("capcaity", names, 5), "capacity"); /* a swap and a swap */
    ck_assert_str_eq(diag_closest("cots", names, 5), "cost");         /* one swap */
    ck_assert_str_eq(diag_closest("utilisation", names, 5), "utilization");
    ck_assert_ptr_null(diag_closest("price", names, 5));
    static const char *const units[] = {"kt", "km", "t"};
    ck_assert_str_eq(diag_closest("kz", units, 3), "kt");             /* a tie: the first offered */
    ck_assert_ptr_null(diag_closest("xyz", units, 3));
    ck_assert_uint_eq(diag_name_distance("abcd", 4, "abdc", 4), 1);
    ck_assert_uint_eq(diag_name_distance("a", 1, "abcd", 4), 3);
}
END_TEST

Suite *make_values_suite(void)
{
    Suite *s = suite_create("values");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, equal_numbers_with_tolerance);
    tcase_add_test(tc, equal_needs_same_dimension_and_type);
    tcase_add_test(tc, equal_lists_and_maps_by_content);
    tcase_add_test(tc, identity_is_exact);
    tcase_add_test(tc, hash_agrees_with_identity);
    tcase_add_test(tc, map_keeps_insertion_order);
    tcase_add_test(tc, map_index_beyond_eight_entries);
    tcase_add_test(tc, map_keys_of_every_kind);
    tcase_add_test(tc, strings_are_interned);
    tcase_add_test(tc, interning_survives_collection);
    tcase_add_test(tc, string_characters);
    tcase_add_test(tc, series_step_around_keys);
    tcase_add_test(tc, series_linear_around_keys);
    tcase_add_test(tc, series_single_key);
    tcase_add_test(tc, print_quantities);
    tcase_add_test(tc, print_strings_raw_and_quoted);
    tcase_add_test(tc, print_nested_and_cyclic);
    tcase_add_test(tc, print_series_and_functions);
    tcase_add_test(tc, value_to_cstr_truncates);
    tcase_add_test(tc, did_you_mean);
    suite_add_tcase(s, tc);
    return s;
}
