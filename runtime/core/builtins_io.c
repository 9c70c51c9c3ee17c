/* read_csv(path): a spreadsheet's table as a list of maps, one a row, keyed
 * by the header's names (issue 18).  A header `capacity [kt/yr]` gives a
 * column of quantities in kt/yr under the key "capacity"; elsewhere a cell
 * that is a number (or a number and a unit, "40 kt/yr") is one, true and
 * false are booleans, an empty cell is nil and anything else a string.
 * Errors name the file, the row's line and the column. */
#include "arith.h"
#include "builtins.h"
#include "csv_read.h"
#include "mem.h"
#include "source.h"
#include "units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NATIVE(name) static OnsStatus name(OnsVM *vm, const OnsValue *args, int nargs, const OnsNamedArgs *named, OnsValue *out)
#define UNUSED_ARGS() ((void)named, (void)nargs)

typedef struct Column {
    char *key;           /* the name without its [unit] */
    bool has_unit;
    OnsDim dim;
    double factor;       /* base units in one of the header's unit */
    bool percent;
} Column;

static bool blank(char c) { return c == ' ' || c == '\t'; }

/* s trimmed of blanks at both ends: [*from, *to). */
static void trim(const char *s, size_t *from, size_t *to)
{
    *from = 0;
    *to = strlen(s);
    while (*from < *to && blank(s[*from])) (*from)++;
    while (*to > *from && blank(s[*to - 1])) (*to)--;
}

/* A unit written in full over [s, s + n): true with its dimension and factor. */
static bool whole_unit(const char *s, size_t n, OnsDim *dim, double *factor, bool *percent)
{
    const char *bad;
    return n > 0 && unit_parse(s, n, dim, factor, percent, &bad) == n;
}

/* "capacity [kt/yr]" -> key "capacity", the unit; errors name the column. */
static OnsStatus header_column(OnsVM *vm, const char *path, uint32_t line, size_t col, const char *text, Column *c)
{
    size_t from, to;
    trim(text, &from, &to);
    const char *open = memchr(text + from, '[', to - from);
    if (!open) {
        c->key = ons_strndup(text + from, to - from);
        return ONS_OK;
    }
    const char *close = memchr(open, ']', (size_t)(text + to - open));
    if (!close || close != text + to - 1)
        return vm_error(vm, "read_csv: %s:%u: column %zu's header '%s' opens a [unit] it does not close at its end",
                        path, line, col + 1, text);
    size_t kend = (size_t)(open - text);
    while (kend > from && blank(text[kend - 1])) kend--;
    size_t ufrom = (size_t)(open - text) + 1, uto = (size_t)(close - text);
    while (ufrom < uto && blank(text[ufrom])) ufrom++;
    while (uto > ufrom && blank(text[uto - 1])) uto--;
    if (!whole_unit(text + ufrom, uto - ufrom, &c->dim, &c->factor, &c->percent))
        return vm_error(vm, "read_csv: %s:%u: column %zu's unit '%.*s' is not a unit Onshore knows (like kt/yr, GWh, $/t)",
                        path, line, col + 1, (int)(uto - ufrom), text + ufrom);
    c->key = ons_strndup(text + from, kend - from);
    c->has_unit = true;
    return ONS_OK;
}

/* A number at the start of [s, s+n): its value and the bytes used, 0 if none. */
static size_t number_at(const char *s, size_t n, double *v)
{
    char buf[128];
    if (n == 0 || n >= sizeof buf) return 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '_') buf[k++] = s[i]; /* 80_000, as in the language */
    buf[k] = '\0';
    char *end;
    errno = 0;
    *v = strtod(buf, &end);
    if (end == buf || errno == ERANGE || !isfinite(*v)) return 0;
    if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) return 0; /* strtod's hex is not a CSV number */
    /* map the bytes used back to the text with its underscores */
    size_t used = (size_t)(end - buf), i = 0;
    for (size_t got = 0; i < n && got < used; i++)
        if (s[i] != '_') got++;
    return i;
}

static OnsStatus cell_value(OnsVM *vm, const char *path, uint32_t line, const Column *c, const char *text,
                            OnsValue *out)
{
    size_t from, to;
    trim(text, &from, &to);
    const char *s = text + from;
    size_t n = to - from;
    if (n == 0) {
        *out = ons_nil();
        return ONS_OK;
    }
    double v;
    size_t used = number_at(s, n, &v);
    if (c->has_unit) {
        if (used != n)
            return vm_error(vm, "read_csv: %s:%u: column '%s' holds '%s', not a number (its unit is in the header)",
                            path, line, c->key, text);
        *out = ons_quantity(v * c->factor, c->dim, c->percent ? ONS_HINT_PERCENT : 0);
        return ONS_OK;
    }
    if (used == n) {
        *out = ons_num(v);
        return ONS_OK;
    }
    if (used > 0) { /* "40 kt/yr", "12.5%" */
        size_t u = used;
        while (u < n && blank(s[u])) u++;
        OnsDim dim;
        double factor;
        bool percent;
        if (whole_unit(s + u, n - u, &dim, &factor, &percent)) {
            *out = ons_quantity(v * factor, dim, percent ? ONS_HINT_PERCENT : 0);
            return ONS_OK;
        }
    }
    if (n == 4 && memcmp(s, "true", 4) == 0) *out = ons_bool(true);
    else if (n == 5 && memcmp(s, "false", 5) == 0) *out = ons_bool(false);
    else *out = ons_obj_value(&string_new(vm, s, n)->obj);
    return ONS_OK;
}

static OnsStatus build_rows(OnsVM *vm, const char *path, const OnsCsv *csv, Column *cols, size_t ncols, OnsValue *out)
{
    OnsList *keys = list_new(vm, (uint32_t)ncols);
    vm_push_root(vm, ons_obj_value(&keys->obj));
    for (size_t k = 0; k < ncols; k++) list_push(keys, ons_obj_value(&string_new(vm, cols[k].key, strlen(cols[k].key))->obj));
    OnsList *rows = list_new(vm, (uint32_t)(csv->nrows - 1));
    vm_push_root(vm, ons_obj_value(&rows->obj));
    OnsStatus st = ONS_OK;
    for (size_t r = 1; r < csv->nrows && st == ONS_OK; r++) {
        uint32_t line = csv->row_line[r];
        if (csv_row_len(csv, r) != ncols) {
            st = vm_error(vm, "read_csv: %s:%u: this row has %zu cells, the header %zu", path, line, csv_row_len(csv, r),
                          ncols);
            break;
        }
        OnsMap *m = map_new(vm);
        list_push(rows, ons_obj_value(&m->obj)); /* rooted through the list from here on */
        for (size_t k = 0; k < ncols && st == ONS_OK; k++) {
            OnsValue v;
            st = cell_value(vm, path, line, &cols[k], csv_cell(csv, r, k), &v);
            if (st != ONS_OK) break;
            vm_push_root(vm, v);
            map_set(m, keys->items[k], v);
            vm_pop_roots(vm, 1);
        }
    }
    if (st == ONS_OK) *out = ons_obj_value(&rows->obj);
    vm_pop_roots(vm, 2);
    return st;
}

NATIVE(nat_read_csv)
{
    UNUSED_ARGS();
    if (!ons_is_obj(args[0], ONS_OBJ_STRING)) {
        char d[96];
        return vm_error(vm, "read_csv: takes a file name (a string), not %s", arith_describe(vm, args[0], d, sizeof d));
    }
    const char *path = ONS_AS_STRING(args[0])->chars;
    size_t len;
    errno = 0;
    char *text = source_read_file(path, &len);
    if (!text) return vm_io_error(vm, "read_csv: cannot read %s: %s", path, strerror(errno ? errno : EIO));
    OnsCsv csv;
    char err[160];
    uint32_t err_line = 0;
    bool parsed = csv_parse(text, len, &csv, err, sizeof err, &err_line);
    ons_free(text);
    if (!parsed) return vm_error(vm, "read_csv: %s:%u: %s", path, err_line, err);
    if (csv.nrows == 0) {
        csv_free(&csv);
        *out = ons_obj_value(&list_new(vm, 0)->obj);
        return ONS_OK;
    }
    size_t ncols = csv_row_len(&csv, 0);
    Column *cols = ons_calloc(ncols + 1, sizeof(Column));
    OnsStatus st = ONS_OK;
    for (size_t k = 0; k < ncols && st == ONS_OK; k++) {
        cols[k].factor = 1;
        st = header_column(vm, path, csv.row_line[0], k, csv_cell(&csv, 0, k), &cols[k]);
        for (size_t j = 0; j < k && st == ONS_OK; j++)
            if (strcmp(cols[j].key, cols[k].key) == 0)
                st = vm_error(vm, "read_csv: %s:%u: two columns are called '%s'", path, csv.row_line[0], cols[k].key);
    }
    if (st == ONS_OK) st = build_rows(vm, path, &csv, cols, ncols, out);
    for (size_t k = 0; k < ncols; k++) ons_free(cols[k].key);
    ons_free(cols);
    csv_free(&csv);
    return st;
}

void builtins_register_io(OnsVM *vm)
{
    static const OnsNativeDef defs[] = {
        {"read_csv", nat_read_csv, 1, 1, ONS_RES_LIST, NULL},
    };
    vm_register_natives(vm, defs, ONS_ARRAY_LEN(defs));
}
