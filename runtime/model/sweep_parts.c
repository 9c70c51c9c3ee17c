/* Sweep part files: writing a shard's samples and merging the parts back
 * (see sweep_parts.h).  The CSV is for people and their tools (pandas and R
 * read it with default options); the JSON says what the rows belong to and,
 * for an exact merge, each column's unit (dimension and display hint), with
 * the cells whose unit differs listed apart. */
#include "sweep_parts.h"
#include "file_write.h"
#include "json_read.h"
#include "mem.h"
#include "table.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- names and columns ---- */

/* The parts' name: the scenario's, then .2, .3, ... for later sweeps of it. */
static void part_base(OnsVM *vm, const OnsSweep *sw, char *buf, size_t n)
{
    const char *name = model_name(model_of(vm), ONS_ENT_SCENARIO, sw->scenario);
    if (sw->part > 1) snprintf(buf, n, "%s.%u", name, sw->part);
    else snprintf(buf, n, "%s", name);
}

static char *part_path(const char *dir, const char *base, uint32_t k, uint32_t n, const char *ext)
{
    size_t len = strlen(dir) + strlen(base) + 48;
    char *p = ons_malloc(len);
    snprintf(p, len, "%s/%s.%u-of-%u.%s", dir, base, k, n, ext);
    return p;
}

static size_t ncolumns(const OnsSweep *sw)
{
    return (size_t)sw->nrecord * sw->nyears;
}

/* Record column c (entry-major, then year) as the CSV header names it. */
static void column_name(OnsVM *vm, const OnsSweep *sw, size_t c, char *buf, size_t n)
{
    char entry[480];
    sweep_entry_text(vm, ONS_AS_LIST(sw->record)->items[c / sw->nyears], entry, sizeof entry);
    snprintf(buf, n, "%s %d", entry, sw->year_from + (int32_t)(c % sw->nyears));
}

static const char *param_name(OnsVM *vm, uint32_t k)
{
    OnsModel *m = model_of(vm);
    return m->params[k].e.name ? model_name(m, ONS_ENT_PARAM, k) : NULL;
}

/* The named params and the record entries as written: what the JSON lists
 * and a merge compares. */
typedef struct Names {
    const char **params, **record;
    size_t nparams;
    char (*texts)[480];
} Names;

static void names_of(OnsVM *vm, const OnsSweep *sw, Names *n)
{
    n->params = ons_calloc(sw->nparams + 1, sizeof(char *));
    n->nparams = 0;
    for (uint32_t k = 0; k < sw->nparams; k++)
        if (param_name(vm, k)) n->params[n->nparams++] = param_name(vm, k);
    n->texts = ons_calloc(sw->nrecord + 1, sizeof *n->texts);
    n->record = ons_calloc(sw->nrecord + 1, sizeof(char *));
    for (uint32_t e = 0; e < sw->nrecord; e++) {
        sweep_entry_text(vm, ONS_AS_LIST(sw->record)->items[e], n->texts[e], sizeof n->texts[e]);
        n->record[e] = n->texts[e];
    }
}

static void names_free(Names *n)
{
    ons_free(n->params);
    ons_free(n->record);
    ons_free(n->texts);
}

static void csv_header(OnsVM *vm, const OnsSweep *sw, OnsOut *o)
{
    out_puts(o, "sample");
    for (uint32_t k = 0; k < sw->nparams; k++) {
        const char *name = param_name(vm, k);
        if (!name) continue;
        out_putc(o, ',');
        table_csv_field(o, name);
    }
    char col[512];
    for (size_t c = 0; c < ncolumns(sw); c++) {
        column_name(vm, sw, c, col, sizeof col);
        out_putc(o, ',');
        table_csv_field(o, col);
    }
}

static OnsValue *cell(const OnsSweep *sw, size_t c, uint32_t i)
{
    return &sw->values[c * sw->runs + i];
}

/* The same double to the bit (-0 is not 0; a NaN is its own bits). */
static bool same_bits(double a, double b)
{
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y;
}

/* ---- writing ---- */

/* The shortest text that reads back as exactly x. */
static void put_number(OnsOut *o, double x)
{
    char buf[40];
    ons_format_exact(buf, sizeof buf, x);
    out_puts(o, buf);
}

static void put_unit(OnsOut *o, OnsValue v)
{
    out_puts(o, "{\"dim\": [");
    for (int d = 0; d < ONS_NDIMS; d++) out_printf(o, "%s%d", d ? ", " : "", v.dim.e[d]);
    out_printf(o, "], \"hint\": %u}", v.hint);
}

static bool same_unit(OnsValue a, OnsValue b)
{
    return a.hint == b.hint && memcmp(&a.dim, &b.dim, sizeof a.dim) == 0;
}

static OnsStatus write_file(OnsVM *vm, const char *path, const char *text, size_t len)
{
    int err = ons_write_file(path, text, len); /* whole or absent (file_write.h) */
    return err ? vm_io_error(vm, "cannot write %s: %s", path, strerror(err)) : ONS_OK;
}

/* mkdir -p */
static bool make_dir(const char *dir)
{
    size_t len = strlen(dir) + 1;
    char *p = ons_malloc(len);
    memcpy(p, dir, len);
    bool ok = true;
    for (char *s = p + 1; ok; s++) {
        bool end = *s == '\0';
        if (*s != '/' && !end) continue;
        *s = '\0';
        ok = mkdir(p, 0777) == 0 || errno == EEXIST;
        if (end) break;
        *s = '/';
    }
    struct stat st;
    ok = ok && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    ons_free(p);
    return ok;
}

static OnsStatus write_csv(OnsVM *vm, const OnsSweep *sw, const char *path, uint32_t *written)
{
    OnsOut o;
    out_init_buffer(&o);
    csv_header(vm, sw, &o);
    out_puts(&o, "\r\n");
    uint32_t k0 = vm->shard_k - 1, n = vm->shard_n, count = 0;
    for (uint32_t i = k0; i < sw->runs; i += n, count++) {
        out_printf(&o, "%u", i);
        for (uint32_t k = 0; k < sw->nparams; k++) {
            if (!param_name(vm, k)) continue;
            out_putc(&o, ',');
            put_number(&o, sw->draws[(size_t)k * sw->runs + i]);
        }
        for (size_t c = 0; c < ncolumns(sw); c++) {
            OnsValue v = *cell(sw, c, i);
            out_putc(&o, ',');
            if (v.type == ONS_T_BOOL) out_puts(&o, v.as.b ? "true" : "false");
            else if (v.type == ONS_T_NUM) put_number(&o, v.as.num);
            else if (v.type != ONS_T_NIL) {
                char col[512], got[96];
                column_name(vm, sw, c, col, sizeof col);
                out_free(&o);
                return vm_error(vm, "a sweep's part files hold numbers, true/false and nil, and `%s` of sample %u is "
                                    "%s: record figures that give numbers, or run this sweep without --shard",
                                col, i, value_to_cstr(vm, v, got, sizeof got));
            }
        }
        out_puts(&o, "\r\n");
    }
    size_t len;
    char *text = out_take(&o, &len);
    OnsStatus st = write_file(vm, path, text, len);
    ons_free(text);
    out_free(&o);
    *written = count;
    return st;
}

static void json_strings(OnsOut *o, const char *key, const char *const *items, size_t n)
{
    out_printf(o, ",\n  \"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        if (i) out_puts(o, ", ");
        table_json_string(o, items[i]);
    }
    out_putc(o, ']');
}

static OnsStatus write_json(OnsVM *vm, const OnsSweep *sw, const char *path, uint32_t samples)
{
    OnsOut o;
    out_init_buffer(&o);
    out_puts(&o, "{\n  \"onshore\": \"sweep part\",\n  \"version\": ");
    table_json_string(&o, ONS_VERSION);
    out_puts(&o, ",\n  \"model_hash\": ");
    table_json_string(&o, sw->hash);
    out_puts(&o, ",\n  \"scenario\": ");
    table_json_string(&o, model_name(model_of(vm), ONS_ENT_SCENARIO, sw->scenario));
    out_printf(&o, ",\n  \"sweep\": %u,\n  \"runs\": %u,\n  \"seed\": %llu,\n  \"shard\": %u,\n  \"shards\": %u,\n"
                   "  \"samples\": %u,\n  \"years\": [%d, %d]",
               sw->part, sw->runs, (unsigned long long)sw->seed, vm->shard_k, vm->shard_n, samples, sw->year_from,
               sw->year_until);
    Names names;
    names_of(vm, sw, &names);
    json_strings(&o, "params", names.params, names.nparams);
    json_strings(&o, "record", names.record, sw->nrecord);
    names_free(&names);
    /* each column's unit: that of its first number; other units cell by cell */
    OnsOut exceptions;
    out_init_buffer(&exceptions);
    out_puts(&o, ",\n  \"units\": [");
    for (size_t c = 0; c < ncolumns(sw); c++) {
        const OnsValue *first = NULL;
        for (uint32_t i = vm->shard_k - 1; i < sw->runs; i += vm->shard_n) {
            const OnsValue *v = cell(sw, c, i);
            if (v->type != ONS_T_NUM) continue;
            if (!first) first = v;
            else if (!same_unit(*first, *v)) {
                out_printf(&exceptions, "%s\n    {\"sample\": %u, \"column\": %zu, \"unit\": ", exceptions.len ? "," : "",
                           i, c);
                put_unit(&exceptions, *v);
                out_putc(&exceptions, '}');
            }
        }
        out_puts(&o, c ? ", " : "");
        if (first) put_unit(&o, *first);
        else out_puts(&o, "null");
    }
    out_puts(&o, "],\n  \"unit_exceptions\": [");
    if (exceptions.len) out_write(&o, exceptions.buf, exceptions.len);
    out_puts(&o, "]\n}\n");
    out_free(&exceptions);
    size_t len;
    char *text = out_take(&o, &len);
    OnsStatus st = write_file(vm, path, text, len);
    ons_free(text);
    out_free(&o);
    return st;
}

OnsStatus sweep_parts_write(OnsVM *vm, const OnsSweep *sw)
{
    OnsModel *m = model_of(vm);
    if (!make_dir(vm->sweep_dir)) return vm_io_error(vm, "cannot make the folder %s: %s", vm->sweep_dir, strerror(errno));
    char base[300];
    part_base(vm, sw, base, sizeof base);
    char *csv = part_path(vm->sweep_dir, base, vm->shard_k, vm->shard_n, "csv");
    char *json = part_path(vm->sweep_dir, base, vm->shard_k, vm->shard_n, "json");
    uint32_t samples = 0;
    /* the CSV first: a JSON part says its CSV is whole */
    OnsStatus st = write_csv(vm, sw, csv, &samples);
    if (st == ONS_OK) st = write_json(vm, sw, json, samples);
    if (st == ONS_OK) {
        size_t n = strlen(csv) + 64;
        char *note = ons_malloc(n);
        snprintf(note, n, "%s and .json (%u of %u samples)", csv, samples, sw->runs);
        ONS_GROW(m->parts_written, m->cap_parts_written, (size_t)m->nparts_written + 1);
        m->parts_written[m->nparts_written++] = note;
    }
    ons_free(csv);
    ons_free(json);
    return st;
}

void sweep_parts_summary(OnsVM *vm, OnsOut *out)
{
    OnsModel *m = model_of(vm);
    out_printf(out, "onshore: shard %u of %u: ", vm->shard_k, vm->shard_n);
    if (!m->nparts_written) out_puts(out, "no sweep ran, nothing written");
    for (uint32_t i = 0; i < m->nparts_written; i++)
        out_printf(out, "%s%s", i ? "; " : "wrote ", m->parts_written[i]);
    if (vm->nskipped) {
        out_printf(out, "; skipped %u statement%s that read%s sharded results (line%s", vm->nskipped,
                   vm->nskipped == 1 ? "" : "s", vm->nskipped == 1 ? "s" : "", vm->nskipped == 1 ? "" : "s");
        for (uint32_t i = 0; i < vm->nskipped; i++) out_printf(out, "%s%u", i ? ", " : " ", vm->skipped_lines[i]);
        out_putc(out, ')');
    }
    out_putc(out, '\n');
}

/* ---- reading ---- */

typedef struct Part {
    uint32_t k, n;
    char *name;     /* the JSON file's name in the folder */
} Part;

/* "BASE.K-of-N.json" with K and N whole numbers: true, and K and N. */
static bool part_name(const char *file, const char *base, uint32_t *k, uint32_t *n)
{
    size_t bl = strlen(base);
    if (strncmp(file, base, bl) != 0 || file[bl] != '.') return false;
    const char *p = file + bl + 1;
    unsigned long long kv = 0, nv = 0;
    int digits = 0;
    for (; *p >= '0' && *p <= '9' && digits < 9; p++, digits++) kv = kv * 10 + (unsigned)(*p - '0');
    if (!digits || strncmp(p, "-of-", 4) != 0) return false;
    p += 4;
    digits = 0;
    for (; *p >= '0' && *p <= '9' && digits < 9; p++, digits++) nv = nv * 10 + (unsigned)(*p - '0');
    if (!digits || strcmp(p, ".json") != 0) return false;
    *k = (uint32_t)kv;
    *n = (uint32_t)nv;
    return true;
}

static int part_order(const void *a, const void *b)
{
    const Part *x = a, *y = b;
    if (x->k != y->k) return x->k < y->k ? -1 : 1;
    return strcmp(x->name, y->name);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = ons_malloc(cap);
    for (;;) {
        if (cap - n < 4096) buf = ons_realloc(buf, cap *= 2);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        ons_free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* What a merge is working with. */
typedef struct Merge {
    OnsVM *vm;
    OnsSweep *sw;
    const char *dir;
    char base[300];
    uint8_t *seen;      /* [sample]: read from a part */
    Part *parts;
    uint32_t nparts;
} Merge;

static bool json_whole(const JsonValue *v, uint64_t *out)
{
    if (!v || v->kind != JSON_NUMBER || !v->text[0]) return false;
    for (const char *p = v->text; *p; p++)
        if (*p < '0' || *p > '9') return false;
    errno = 0;
    *out = strtoull(v->text, NULL, 10);
    return errno == 0;
}

static bool json_text_is(const JsonValue *v, const char *s)
{
    return v && v->kind == JSON_STRING && strcmp(v->text, s) == 0;
}

static bool json_number_is(const JsonValue *v, uint64_t want)
{
    uint64_t got;
    return json_whole(v, &got) && got == want;
}

/* The strings of a JSON array equal to want[0..n). */
static bool json_list_is(const JsonValue *v, const char *const *want, size_t n)
{
    if (!v || v->kind != JSON_ARRAY || v->n != n) return false;
    for (size_t i = 0; i < n; i++)
        if (!json_text_is(&v->items[i], want[i])) return false;
    return true;
}

static OnsStatus foreign(Merge *g, const char *file, const char *what)
{
    return vm_error(g->vm, "%s/%s is not a part of this sweep of %s: %s", g->dir, file,
                    model_name(model_of(g->vm), ONS_ENT_SCENARIO, g->sw->scenario), what);
}

/* The part description: everything it says must be this sweep's. */
static OnsStatus check_description(Merge *g, const Part *p, const JsonValue *j)
{
    OnsVM *vm = g->vm;
    OnsSweep *sw = g->sw;
    char what[200];
    if (!json_text_is(json_get(j, "onshore"), "sweep part")) return foreign(g, p->name, "it is not a sweep part");
    if (!json_text_is(json_get(j, "scenario"), model_name(model_of(vm), ONS_ENT_SCENARIO, sw->scenario)))
        return foreign(g, p->name, "it is of another scenario");
    if (!json_number_is(json_get(j, "sweep"), sw->part)) return foreign(g, p->name, "it is of another sweep of the scenario");
    if (!json_text_is(json_get(j, "model_hash"), sw->hash)) {
        snprintf(what, sizeof what, "it comes from another model (model hash %s, this one's %s)",
                 json_get(j, "model_hash") && json_get(j, "model_hash")->text ? json_get(j, "model_hash")->text : "missing",
                 sw->hash);
        return foreign(g, p->name, what);
    }
    if (!json_number_is(json_get(j, "seed"), sw->seed)) {
        snprintf(what, sizeof what, "its seed differs (this sweep's is %llu)", (unsigned long long)sw->seed);
        return foreign(g, p->name, what);
    }
    if (!json_number_is(json_get(j, "runs"), sw->runs)) {
        snprintf(what, sizeof what, "its number of runs differs (this sweep's is %u)", sw->runs);
        return foreign(g, p->name, what);
    }
    if (!json_number_is(json_get(j, "shard"), p->k) || !json_number_is(json_get(j, "shards"), p->n))
        return foreign(g, p->name, "the shard it says it is is not the one its name says");
    const JsonValue *years = json_get(j, "years");
    if (!years || years->kind != JSON_ARRAY || years->n != 2 || years->items[0].kind != JSON_NUMBER ||
        years->items[0].num != sw->year_from || years->items[1].kind != JSON_NUMBER ||
        years->items[1].num != sw->year_until)
        return foreign(g, p->name, "its years differ");
    Names names;
    names_of(vm, sw, &names);
    bool same_params = json_list_is(json_get(j, "params"), names.params, names.nparams);
    bool same_record = json_list_is(json_get(j, "record"), names.record, sw->nrecord);
    names_free(&names);
    if (!same_params) return foreign(g, p->name, "its params differ");
    if (!same_record) return foreign(g, p->name, "it recorded other figures");
    const JsonValue *units = json_get(j, "units");
    if (!units || units->kind != JSON_ARRAY || units->n != ncolumns(sw))
        return foreign(g, p->name, "its list of units does not match its columns");
    return ONS_OK;
}

/* {"dim": [...], "hint": h} into v's unit. */
static bool read_unit(const JsonValue *u, OnsValue *v)
{
    const JsonValue *dim = json_get(u, "dim"), *hint = json_get(u, "hint");
    uint64_t h;
    if (!dim || dim->kind != JSON_ARRAY || dim->n != ONS_NDIMS || !json_whole(hint, &h) || h > 255) return false;
    for (int d = 0; d < ONS_NDIMS; d++) {
        const JsonValue *e = &dim->items[d];
        if (e->kind != JSON_NUMBER || e->num != floor(e->num) || e->num < -128 || e->num > 127) return false;
        v->dim.e[d] = (int8_t)e->num;
    }
    v->hint = (uint8_t)h;
    return true;
}

static bool read_number(const char *s, double *out)
{
    if (!*s) return false;
    char *end;
    *out = strtod(s, &end);
    return *end == '\0';
}

/* One data row of a part, fields already split; sample number checked. */
static OnsStatus read_row(Merge *g, const Part *p, char **fields, uint32_t i, const JsonValue *units, uint32_t line)
{
    OnsSweep *sw = g->sw;
    char what[160];
    size_t f = 1;
    for (uint32_t k = 0; k < sw->nparams; k++) {
        if (!param_name(g->vm, k)) continue;
        double x, want = sw->draws[(size_t)k * sw->runs + i];
        if (!read_number(fields[f++], &x) || !same_bits(x, want)) {
            snprintf(what, sizeof what, "line %u: sample %u's draw of %s is not this sweep's", line, i, param_name(g->vm, k));
            return foreign(g, p->name, what);
        }
    }
    for (size_t c = 0; c < ncolumns(sw); c++, f++) {
        const char *s = fields[f];
        OnsValue v = ons_nil();
        double x;
        if (!*s) v = ons_nil();
        else if (strcmp(s, "true") == 0) v = ons_bool(true);
        else if (strcmp(s, "false") == 0) v = ons_bool(false);
        else if (read_number(s, &x) && units->items[c].kind == JSON_OBJECT) {
            v = ons_num(x);
            if (!read_unit(&units->items[c], &v)) return foreign(g, p->name, "a unit in it is malformed");
        } else {
            snprintf(what, sizeof what, "line %u: a value that is not a number, true, false or empty", line);
            return foreign(g, p->name, what);
        }
        OnsValue *slot = cell(sw, c, i);
        if (i == 0) { /* computed here too: the part must agree */
            if (slot->type != v.type || (v.type == ONS_T_NUM && !same_bits(slot->as.num, v.as.num)) ||
                (v.type == ONS_T_BOOL && slot->as.b != v.as.b))
                return foreign(g, p->name, "sample 0 differs from the one computed here");
            continue;
        }
        *slot = v;
    }
    return ONS_OK;
}

static OnsStatus apply_exceptions(Merge *g, const Part *p, const JsonValue *list)
{
    OnsSweep *sw = g->sw;
    if (!list) return ONS_OK;
    if (list->kind != JSON_ARRAY) return foreign(g, p->name, "its unit_exceptions are malformed");
    for (size_t x = 0; x < list->n; x++) {
        uint64_t i, c;
        if (!json_whole(json_get(&list->items[x], "sample"), &i) || !json_whole(json_get(&list->items[x], "column"), &c) ||
            i >= sw->runs || c >= ncolumns(sw) || i % p->n != p->k - 1 || cell(sw, c, (uint32_t)i)->type != ONS_T_NUM)
            return foreign(g, p->name, "its unit_exceptions name a cell that is not a number of it");
        OnsValue v = *cell(sw, c, (uint32_t)i);
        if (!read_unit(json_get(&list->items[x], "unit"), &v)) return foreign(g, p->name, "a unit in it is malformed");
        if (i == 0) continue; /* sample 0 is the one computed here */
        *cell(sw, c, (uint32_t)i) = v;
    }
    return ONS_OK;
}

/* Splits a line at commas in place; false when it has not exactly n fields. */
static bool split_fields(char *line, char **fields, size_t n)
{
    size_t got = 0;
    for (char *s = line;; s++) {
        if (got == n) return false;
        fields[got++] = s;
        s = strchr(s, ',');
        if (!s) break;
        *s = '\0';
    }
    return got == n;
}

static OnsStatus read_csv(Merge *g, const Part *p, const JsonValue *j)
{
    OnsSweep *sw = g->sw;
    char csvname[400];
    snprintf(csvname, sizeof csvname, "%.*s.csv", (int)(strlen(p->name) - 5), p->name);
    size_t pathlen = strlen(g->dir) + strlen(csvname) + 2;
    char *path = ons_malloc(pathlen);
    snprintf(path, pathlen, "%s/%s", g->dir, csvname);
    size_t len;
    char *text = read_file(path, &len);
    ons_free(path);
    if (!text) return vm_io_error(g->vm, "cannot read %s/%s: %s", g->dir, csvname, strerror(errno ? errno : EIO));
    OnsOut head;
    out_init_buffer(&head);
    csv_header(g->vm, sw, &head);
    size_t nparams = 0;
    for (uint32_t k = 0; k < sw->nparams; k++) nparams += param_name(g->vm, k) != NULL;
    size_t nfields = 1 + nparams + ncolumns(sw);
    char **fields = ons_calloc(nfields + 1, sizeof(char *));
    const JsonValue *units = json_get(j, "units");
    OnsStatus st = ONS_OK;
    char what[160];
    uint32_t line = 0;
    for (char *s = text; s && *s && st == ONS_OK;) {
        char *nl = memchr(s, '\n', len - (size_t)(s - text));
        if (nl) *nl = '\0';
        size_t l = strlen(s);
        if (l && s[l - 1] == '\r') s[--l] = '\0';
        line++;
        if (line == 1) {
            if (l != head.len || memcmp(s, head.buf, l) != 0) st = foreign(g, csvname, "its columns are not this sweep's");
        } else if (l) {
            uint64_t i = 0;
            bool ok = split_fields(s, fields, nfields) && fields[0][0];
            for (const char *d = fields[0]; ok && *d; d++) {
                ok = *d >= '0' && *d <= '9' && i < UINT32_MAX;
                i = i * 10 + (uint64_t)(*d - '0');
            }
            if (!ok) {
                snprintf(what, sizeof what, "line %u does not have this sweep's %zu columns", line, nfields);
                st = foreign(g, csvname, what);
            } else if (i >= sw->runs || i % p->n != p->k - 1) {
                snprintf(what, sizeof what, "line %u: sample %llu does not belong to shard %u of %u", line,
                         (unsigned long long)i, p->k, p->n);
                st = foreign(g, csvname, what);
            } else if (g->seen[i]) {
                st = vm_error(g->vm, "%s/%s holds sample %llu twice (line %u): a duplicate part", g->dir, csvname,
                              (unsigned long long)i, line);
            } else {
                g->seen[i] = 1;
                st = read_row(g, p, fields, (uint32_t)i, units, line);
            }
        }
        s = nl ? nl + 1 : NULL;
    }
    if (st == ONS_OK && line == 0) st = foreign(g, csvname, "it is empty");
    if (st == ONS_OK) st = apply_exceptions(g, p, json_get(j, "unit_exceptions"));
    for (uint32_t i = p->k - 1; st == ONS_OK && i < sw->runs; i += p->n)
        if (!g->seen[i])
            st = vm_error(g->vm, "%s/%s lacks sample %u: the part is cut short (run shard %u of %u again)", g->dir,
                          csvname, i, p->k, p->n);
    ons_free(fields);
    out_free(&head);
    ons_free(text);
    return st;
}

static OnsStatus read_part(Merge *g, const Part *p)
{
    size_t pathlen = strlen(g->dir) + strlen(p->name) + 2;
    char *path = ons_malloc(pathlen);
    snprintf(path, pathlen, "%s/%s", g->dir, p->name);
    size_t len;
    char *text = read_file(path, &len);
    ons_free(path);
    if (!text) return vm_io_error(g->vm, "cannot read %s/%s: %s", g->dir, p->name, strerror(errno ? errno : EIO));
    char err[120];
    JsonValue *j = json_parse(text, len, err, sizeof err);
    ons_free(text);
    if (!j) {
        char what[200];
        snprintf(what, sizeof what, "it is not JSON (%s)", err);
        return foreign(g, p->name, what);
    }
    OnsStatus st = check_description(g, p, j);
    if (st == ONS_OK) st = read_csv(g, p, j);
    json_free(j);
    return st;
}

/* The parts of this sweep in the folder, sorted; an error for a folder that
 * cannot be read. */
static OnsStatus find_parts(Merge *g)
{
    DIR *d = opendir(g->dir);
    if (!d) return vm_io_error(g->vm, "cannot read the folder %s (--sweep-dir): %s", g->dir, strerror(errno));
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        uint32_t k, n;
        if (!part_name(e->d_name, g->base, &k, &n)) continue;
        ONS_GROW(g->parts, cap, (size_t)g->nparts + 1);
        size_t l = strlen(e->d_name) + 1;
        g->parts[g->nparts] = (Part){k, n, ons_malloc(l)};
        memcpy(g->parts[g->nparts++].name, e->d_name, l);
    }
    closedir(d);
    if (g->nparts) qsort(g->parts, g->nparts, sizeof *g->parts, part_order);
    return ONS_OK;
}

/* Every shard of one count, each once. */
static OnsStatus check_complete(Merge *g)
{
    Part *ps = g->parts;
    for (uint32_t i = 1; i < g->nparts; i++)
        if (ps[i].n != ps[0].n)
            return vm_error(g->vm, "%s holds parts of this sweep for different shard counts, %s and %s: remove the "
                                   "old ones",
                            g->dir, ps[0].name, ps[i].name);
    uint32_t n = ps[0].n;
    for (uint32_t i = 0; i < g->nparts; i++) {
        if (ps[i].k == 0 || ps[i].k > n)
            return vm_error(g->vm, "%s/%s is not a part: there is no shard %u of %u", g->dir, ps[i].name, ps[i].k, n);
        if (i && ps[i].k == ps[i - 1].k)
            return vm_error(g->vm, "duplicate parts in %s: %s and %s are both shard %u of %u", g->dir, ps[i - 1].name,
                            ps[i].name, ps[i].k, n);
    }
    if (g->nparts == n) return ONS_OK;
    OnsOut missing;
    out_init_buffer(&missing);
    uint32_t at = 0, listed = 0;
    for (uint32_t k = 1; k <= n; k++) {
        if (at < g->nparts && g->parts[at].k == k) {
            at++;
            continue;
        }
        if (listed++ < 6) out_printf(&missing, "%s%s.%u-of-%u.json", listed > 1 ? ", " : "", g->base, k, n);
    }
    if (listed > 6) out_printf(&missing, " and %u more", listed - 6);
    out_putc(&missing, '\0');
    OnsStatus st = vm_error(g->vm, "%s lacks %u of the %u parts of this sweep: %s (run those shards, or all again)",
                            g->dir, n - g->nparts, n, missing.buf);
    out_free(&missing);
    return st;
}

OnsStatus sweep_parts_read(OnsVM *vm, OnsSweep *sw, bool *found)
{
    Merge g = {.vm = vm, .sw = sw, .dir = vm->sweep_dir};
    part_base(vm, sw, g.base, sizeof g.base);
    *found = false;
    OnsStatus st = find_parts(&g);
    if (st == ONS_OK && g.nparts) {
        *found = true;
        st = check_complete(&g);
        g.seen = ons_calloc(sw->runs + 1, 1);
        for (uint32_t i = 0; i < g.nparts && st == ONS_OK; i++) st = read_part(&g, &g.parts[i]);
        ons_free(g.seen);
    }
    for (uint32_t i = 0; i < g.nparts; i++) ons_free(g.parts[i].name);
    ons_free(g.parts);
    return st;
}
