/* read_csv(path): a spreadsheet's table as a list of maps, one a row, keyed
 * by the header's names (issue 18).  A header `capacity [kt/yr]` gives a
 * column of quantities in kt/yr under the key "capacity"; elsewhere a cell
 * that is a number (or a number and a unit, "40 kt/yr") is one, true and
 * false are booleans, an empty cell is nil and anything else a string
 * (csv_read.h).  Errors name the file, the row's line and the column. */
#include "arith.h"
#include "builtins.h"
#include "csv_read.h"
#include "mem.h"
#include "source.h"

#include <errno.h>
#include <string.h>

#define NATIVE(name) static OnsStatus name(OnsVM *vm, const OnsValue *args, int nargs, const OnsNamedArgs *named, OnsValue *out)
#define UNUSED_ARGS() ((void)named, (void)nargs)

static OnsStatus cell_value(OnsVM *vm, const char *path, uint32_t line, const OnsCsvColumn *c, const char *text,
                            OnsValue *out)
{
    OnsCsvValue v = csv_value(text, c);
    switch ((OnsCsvKind)v.kind) {
    case ONS_CSV_EMPTY: *out = ons_nil(); break;
    case ONS_CSV_NUMBER: *out = ons_quantity(v.num, v.dim, v.percent ? ONS_HINT_PERCENT : 0); break;
    case ONS_CSV_BOOL: *out = ons_bool(v.b); break;
    case ONS_CSV_TEXT: *out = ons_obj_value(&string_new(vm, v.text, v.len)->obj); break;
    case ONS_CSV_NOT_NUMBER:
        return vm_error(vm, "read_csv: %s:%u: column '%s' holds '%s', not a number (its unit is in the header)", path,
                        line, c->key, text);
    }
    return ONS_OK;
}

static OnsStatus build_rows(OnsVM *vm, const char *path, const OnsCsv *csv, const OnsCsvColumn *cols, size_t ncols,
                            OnsValue *out)
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
    char err[300];
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
    OnsCsvColumn *cols = ons_calloc(ncols + 1, sizeof(OnsCsvColumn));
    OnsStatus st = ONS_OK;
    for (size_t k = 0; k < ncols && st == ONS_OK; k++) {
        if (!csv_column(csv_cell(&csv, 0, k), &cols[k], err, sizeof err))
            st = vm_error(vm, "read_csv: %s:%u: column %zu: %s", path, csv.row_line[0], k + 1, err);
        for (size_t j = 0; j < k && st == ONS_OK; j++)
            if (strcmp(cols[j].key, cols[k].key) == 0)
                st = vm_error(vm, "read_csv: %s:%u: two columns are called '%s'", path, csv.row_line[0], cols[k].key);
    }
    if (st == ONS_OK) st = build_rows(vm, path, &csv, cols, ncols, out);
    for (size_t k = 0; k < ncols; k++) csv_column_free(&cols[k]);
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
