/* Creation of heap objects, the interned string table and maps. */
#include "object.h"
#include "gc.h"
#include "mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- strings ---- */

uint32_t string_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (uint8_t)s[i];
        h *= 16777619u;
    }
    return h;
}

#define STRING_TOMB ((OnsString *)(uintptr_t)1)

static void strings_grow(OnsVM *vm)
{
    uint32_t old_cap = vm->strings_cap;
    OnsString **old = vm->strings;
    uint32_t cap = old_cap ? old_cap * 2 : 256;
    if (vm->nstrings * 4 < old_cap) cap = old_cap; /* mostly tombstones: rehash in place */
    vm->strings = ons_calloc(cap, sizeof *vm->strings);
    vm->strings_cap = cap;
    vm->strings_tombs = 0;
    for (uint32_t i = 0; i < old_cap; i++) {
        OnsString *s = old[i];
        if (!s || s == STRING_TOMB) continue;
        uint32_t j = s->hash & (cap - 1);
        while (vm->strings[j]) j = (j + 1) & (cap - 1);
        vm->strings[j] = s;
    }
    ons_free(old);
}

OnsString *string_new(OnsVM *vm, const char *s, size_t len)
{
    uint32_t h = string_hash(s, len);
    if (vm->strings_cap) {
        uint32_t j = h & (vm->strings_cap - 1);
        for (;;) {
            OnsString *e = vm->strings[j];
            if (!e) break;
            if (e != STRING_TOMB && e->hash == h && e->len == len && memcmp(e->chars, s, len) == 0)
                return e;
            j = (j + 1) & (vm->strings_cap - 1);
        }
    }
    OnsString *str = (OnsString *)gc_alloc_object(vm, sizeof(OnsString) + len + 1, ONS_OBJ_STRING);
    str->len = (uint32_t)len;
    str->hash = h;
    memcpy(str->chars, s, len);
    str->chars[len] = '\0';
    if ((vm->nstrings + vm->strings_tombs + 1) * 4 >= vm->strings_cap * 3) strings_grow(vm);
    uint32_t j = h & (vm->strings_cap - 1);
    while (vm->strings[j] && vm->strings[j] != STRING_TOMB) j = (j + 1) & (vm->strings_cap - 1);
    if (vm->strings[j] == STRING_TOMB) vm->strings_tombs--;
    vm->strings[j] = str;
    vm->nstrings++;
    return str;
}

OnsString *string_cstr(OnsVM *vm, const char *s) { return string_new(vm, s, strlen(s)); }

static bool utf8_continuation(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

uint32_t string_char_count(const OnsString *s)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->len; i++) n += !utf8_continuation(s->chars[i]);
    return n;
}

uint32_t string_char_offset(const OnsString *s, uint32_t i, uint32_t *nbytes)
{
    uint32_t at = 0;
    for (uint32_t k = 0; k < i && at < s->len; k++)
        do at++; while (at < s->len && utf8_continuation(s->chars[at]));
    uint32_t end = at + (at < s->len);
    while (end < s->len && utf8_continuation(s->chars[end])) end++;
    *nbytes = end - at;
    return at;
}

/* Called by the collector before sweeping: unmarked strings leave the table. */
void strings_remove_white(OnsVM *vm)
{
    for (uint32_t i = 0; i < vm->strings_cap; i++) {
        OnsString *s = vm->strings[i];
        if (s && s != STRING_TOMB && !s->obj.marked) {
            vm->strings[i] = STRING_TOMB;
            vm->strings_tombs++;
            vm->nstrings--;
        }
    }
}

/* ---- lists ---- */

OnsList *list_new(OnsVM *vm, uint32_t cap)
{
    OnsList *l = (OnsList *)gc_alloc_object(vm, sizeof(OnsList), ONS_OBJ_LIST);
    if (cap) {
        l->items = ons_malloc(cap * sizeof(OnsValue));
        l->cap = cap;
        gc_account(vm, (ptrdiff_t)(cap * sizeof(OnsValue)));
    }
    return l;
}

void list_push(OnsList *l, OnsValue v)
{
    if (l->len == l->cap) {
        size_t cap = l->cap;
        ONS_GROW(l->items, cap, (size_t)l->len + 1);
        l->cap = (uint32_t)cap;
    }
    l->items[l->len++] = v;
}

/* ---- maps ---- */

bool map_key_ok(OnsValue key)
{
    switch (key.type) {
    case ONS_T_BOOL: case ONS_T_NUM: case ONS_T_ENTITY: return true;
    case ONS_T_OBJ: return key.as.obj->type == ONS_OBJ_STRING;
    default: return false;
    }
}

OnsMap *map_new(OnsVM *vm)
{
    return (OnsMap *)gc_alloc_object(vm, sizeof(OnsMap), ONS_OBJ_MAP);
}

static int32_t map_find(const OnsMap *m, OnsValue key, uint32_t h)
{
    if (!m->index_cap) {
        for (uint32_t i = 0; i < m->len; i++) /* small maps: no index yet */
            if (ons_values_same(m->entries[i].key, key)) return (int32_t)i;
        return -1;
    }
    uint32_t j = h & (m->index_cap - 1);
    for (;;) {
        int32_t e = m->index[j];
        if (e < 0) return -1;
        if (ons_values_same(m->entries[e].key, key)) return e;
        j = (j + 1) & (m->index_cap - 1);
    }
}

static void map_reindex(OnsMap *m, uint32_t cap)
{
    ons_free(m->index);
    m->index = ons_malloc(cap * sizeof *m->index);
    memset(m->index, 0xff, cap * sizeof *m->index);
    m->index_cap = cap;
    for (uint32_t i = 0; i < m->len; i++) {
        uint32_t j = ons_value_hash(m->entries[i].key) & (cap - 1);
        while (m->index[j] >= 0) j = (j + 1) & (cap - 1);
        m->index[j] = (int32_t)i;
    }
}

bool map_get(const OnsMap *m, OnsValue key, OnsValue *out)
{
    if (!map_key_ok(key)) return false;
    int32_t e = map_find(m, key, m->index_cap ? ons_value_hash(key) : 0);
    if (e < 0) return false;
    *out = m->entries[e].value;
    return true;
}

bool map_set(OnsMap *m, OnsValue key, OnsValue value)
{
    if (!map_key_ok(key)) return false;
    uint32_t h = ons_value_hash(key);
    int32_t e = map_find(m, key, h);
    if (e >= 0) {
        m->entries[e].value = value;
        return true;
    }
    if (m->len == m->cap) {
        size_t cap = m->cap;
        ONS_GROW(m->entries, cap, (size_t)m->len + 1);
        m->cap = (uint32_t)cap;
    }
    m->entries[m->len].key = key;
    m->entries[m->len].value = value;
    m->len++;
    if (m->len > 8) {
        if ((m->len + 1) * 2 > m->index_cap) {
            map_reindex(m, m->index_cap ? m->index_cap * 2 : 32);
        } else {
            uint32_t j = h & (m->index_cap - 1);
            while (m->index[j] >= 0) j = (j + 1) & (m->index_cap - 1);
            m->index[j] = (int32_t)(m->len - 1);
        }
    }
    return true;
}

/* ---- functions ---- */

OnsProto *proto_new(OnsVM *vm, OnsSource *src)
{
    OnsProto *p = (OnsProto *)gc_alloc_object(vm, sizeof(OnsProto), ONS_OBJ_PROTO);
    p->src = src;
    return p;
}

OnsClosure *closure_new(OnsVM *vm, OnsProto *proto)
{
    size_t size = sizeof(OnsClosure) + proto->nupvals * sizeof(OnsUpvalue *);
    OnsClosure *c = (OnsClosure *)gc_alloc_object(vm, size, ONS_OBJ_CLOSURE);
    c->proto = proto;
    c->nupvals = proto->nupvals;
    return c;
}

OnsUpvalue *upvalue_new(OnsVM *vm, OnsValue *slot)
{
    OnsUpvalue *u = (OnsUpvalue *)gc_alloc_object(vm, sizeof(OnsUpvalue), ONS_OBJ_UPVALUE);
    u->loc = slot;
    u->closed = ons_nil();
    return u;
}

OnsNative *native_new(OnsVM *vm, const OnsNativeDef *def)
{
    OnsNative *n = (OnsNative *)gc_alloc_object(vm, sizeof(OnsNative), ONS_OBJ_NATIVE);
    n->name = def->name;
    n->fn = def->fn;
    n->min_args = def->min_args;
    n->max_args = def->max_args;
    n->result = def->result;
    n->named = def->named;
    return n;
}

OnsSeries *series_new(OnsVM *vm, int kind, uint32_t n)
{
    /* the points live in the object: one allocation, not three */
    if ((size_t)n > (UINT32_MAX - sizeof(OnsSeries)) / (2 * sizeof(double))) /* o->size is 32 bits */
        ons_out_of_memory((size_t)n * 2 * sizeof(double));
    OnsSeries *s = (OnsSeries *)gc_alloc_object(vm, sizeof(OnsSeries) + (size_t)n * 2 * sizeof(double),
                                                ONS_OBJ_SERIES);
    s->kind = (uint8_t)kind;
    s->n = n;
    s->years = s->points;
    s->vals = s->points + n;
    return s;
}

static int compare_first_double(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return (*x > *y) - (*x < *y);
}

bool series_sort_pairs(double *pairs, uint32_t n)
{
    qsort(pairs, n, 2 * sizeof(double), compare_first_double);
    for (uint32_t i = 1; i < n; i++)
        if (pairs[(size_t)2 * i] == pairs[(size_t)2 * (i - 1)]) return false;
    return true;
}

double series_at(const OnsSeries *s, double year)
{
    if (s->n == 0) return 0;
    if (year < s->years[0]) return s->kind == ONS_SERIES_STEP ? 0 : s->vals[0];
    /* last key <= year */
    uint32_t lo = 0, hi = s->n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        if (s->years[mid] <= year) lo = mid;
        else hi = mid - 1;
    }
    if (s->kind == ONS_SERIES_STEP || lo == s->n - 1) return s->vals[lo];
    double y0 = s->years[lo], y1 = s->years[lo + 1];
    double v0 = s->vals[lo], v1 = s->vals[lo + 1], t = (year - y0) / (y1 - y0);
    double v = v0 + (v1 - v0) * (year - y0) / (y1 - y0);
    /* v1 - v0 overflows between values of opposite sign near the largest
     * number; this form cannot (it stays between v0 and v1) */
    return isfinite(v) ? v : v0 * (1 - t) + v1 * t;
}

OnsData *data_new(OnsVM *vm, const OnsDataClass *cls, void *ptr)
{
    OnsData *d = (OnsData *)gc_alloc_object(vm, sizeof(OnsData), ONS_OBJ_DATA);
    d->cls = cls;
    d->ptr = ptr;
    return d;
}

size_t object_footprint(const OnsObj *o)
{
    size_t n = o->size;
    switch ((OnsObjType)o->type) {
    case ONS_OBJ_LIST: n += ((const OnsList *)o)->cap * sizeof(OnsValue); break;
    case ONS_OBJ_MAP: {
        const OnsMap *m = (const OnsMap *)o;
        n += m->cap * sizeof(OnsMapEntry) + m->index_cap * sizeof(int32_t);
        break;
    }
    case ONS_OBJ_PROTO: {
        const OnsProto *p = (const OnsProto *)o;
        n += p->code_cap * (sizeof(uint32_t) + sizeof(OnsSpan)) + p->k_cap * sizeof(OnsValue);
        break;
    }
    case ONS_OBJ_DATA: {
        const OnsData *d = (const OnsData *)o;
        if (d->cls->footprint) n += d->cls->footprint(d->ptr);
        break;
    }
    default: break;
    }
    return n;
}

void object_free(OnsVM *vm, OnsObj *o)
{
    (void)vm;
    switch ((OnsObjType)o->type) {
    case ONS_OBJ_LIST: ons_free(((OnsList *)o)->items); break;
    case ONS_OBJ_MAP:
        ons_free(((OnsMap *)o)->entries);
        ons_free(((OnsMap *)o)->index);
        break;
    case ONS_OBJ_PROTO: {
        OnsProto *p = (OnsProto *)o;
        ons_free(p->code);
        ons_free(p->spans);
        ons_free(p->k);
        ons_free(p->protos);
        ons_free(p->upvals);
        ons_free(p->param_names);
        ons_free(p->stmts);
        break;
    }
    case ONS_OBJ_DATA: {
        OnsData *d = (OnsData *)o;
        if (d->cls->free) d->cls->free(d->ptr);
        break;
    }
    default: break;
    }
    ons_free(o);
}

/* ---- value identity and equality ---- */

bool ons_num_close(double a, double b)
{
    if (a == b) return true;
    double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= 1e-9 * scale;
}

/* Lists and maps compare by content.  A pair already being compared further
 * up counts as equal (a cycle adds nothing), and nesting deeper than
 * EQ_MAX_DEPTH compares by identity: no value can exhaust the C stack. */
enum { EQ_MAX_DEPTH = 1000 };
typedef struct EqFrame {
    const OnsObj *a, *b;
} EqFrame;

static bool values_equal(OnsValue a, OnsValue b, EqFrame *path, int depth);

/* The path lives here, not in ons_values_equal: `==` on numbers stays cheap. */
static bool containers_equal(OnsValue a, OnsValue b)
{
    EqFrame path[EQ_MAX_DEPTH];
    return values_equal(a, b, path, 0);
}

bool ons_values_equal(OnsValue a, OnsValue b)
{
    if (a.type == ONS_T_OBJ && b.type == ONS_T_OBJ && a.as.obj != b.as.obj) return containers_equal(a, b);
    return values_equal(a, b, NULL, 0);
}

static bool values_equal(OnsValue a, OnsValue b, EqFrame *path, int depth)
{
    if (a.type != b.type) return false;
    switch ((OnsType)a.type) {
    case ONS_T_NIL: case ONS_T_UNDEF: return true;
    case ONS_T_BOOL: return a.as.b == b.as.b;
    case ONS_T_NUM: return dim_eq(a.dim, b.dim) && ons_num_close(a.as.num, b.as.num);
    case ONS_T_ENTITY: return a.hint == b.hint && a.as.index == b.as.index;
    case ONS_T_OBJ:
        if (a.as.obj == b.as.obj) return true;
        if (!path) return false; /* distinct containers come through containers_equal, with a path */
        if (a.as.obj->type != b.as.obj->type) return false;
        if (a.as.obj->type != ONS_OBJ_LIST && a.as.obj->type != ONS_OBJ_MAP) return false;
        if (depth >= EQ_MAX_DEPTH) return false;
        for (int i = 0; i < depth; i++)
            if (path[i].a == a.as.obj && path[i].b == b.as.obj) return true;
        path[depth] = (EqFrame){a.as.obj, b.as.obj};
        if (a.as.obj->type == ONS_OBJ_LIST) {
            OnsList *x = (OnsList *)a.as.obj, *y = (OnsList *)b.as.obj;
            if (x->len != y->len) return false;
            for (uint32_t i = 0; i < x->len; i++)
                if (!values_equal(x->items[i], y->items[i], path, depth + 1)) return false;
            return true;
        }
        if (a.as.obj->type == ONS_OBJ_MAP) {
            OnsMap *x = (OnsMap *)a.as.obj, *y = (OnsMap *)b.as.obj;
            if (x->len != y->len) return false;
            for (uint32_t i = 0; i < x->len; i++) {
                OnsValue other;
                if (!map_get(y, x->entries[i].key, &other)) return false;
                if (!values_equal(x->entries[i].value, other, path, depth + 1)) return false;
            }
            return true;
        }
        return false;
    }
    return false;
}

bool ons_values_same(OnsValue a, OnsValue b)
{
    if (a.type != b.type) return false;
    switch ((OnsType)a.type) {
    case ONS_T_NUM: return a.as.num == b.as.num && dim_eq(a.dim, b.dim);
    case ONS_T_BOOL: return a.as.b == b.as.b;
    case ONS_T_ENTITY: return a.hint == b.hint && a.as.index == b.as.index;
    case ONS_T_OBJ: return a.as.obj == b.as.obj;
    default: return true;
    }
}

static uint32_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

uint32_t ons_value_hash(OnsValue v)
{
    switch ((OnsType)v.type) {
    case ONS_T_BOOL: return v.as.b ? 0x9e3779b9u : 0x7f4a7c15u;
    case ONS_T_NUM: return ons_hash_number(v.as.num, v.dim);
    case ONS_T_ENTITY: return mix64(((uint64_t)v.hint << 32) | v.as.index);
    case ONS_T_OBJ:
        if (v.as.obj->type == ONS_OBJ_STRING) return ((OnsString *)v.as.obj)->hash;
        return mix64((uint64_t)(uintptr_t)v.as.obj);
    default: return 0;
    }
}
