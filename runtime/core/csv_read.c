/* A CSV reader: RFC 4180, '#' comment lines, blank lines skipped. */
#include "csv_read.h"
#include "mem.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_cell(OnsCsv *c, const char *s, size_t n, size_t at, size_t end)
{
    size_t cap = c->cells_cap;
    ONS_GROW(c->cells, c->cells_cap, c->ncells + 1);
    if (c->cells_cap != cap) {
        c->cell_at = ons_realloc(c->cell_at, c->cells_cap * sizeof(uint32_t));
        c->cell_end = ons_realloc(c->cell_end, c->cells_cap * sizeof(uint32_t));
    }
    c->cell_at[c->ncells] = (uint32_t)at;
    c->cell_end[c->ncells] = (uint32_t)end;
    c->cells[c->ncells++] = ons_strndup(s, n);
}

static void start_row(OnsCsv *c, uint32_t line)
{
    ONS_GROW(c->row_start, c->rows_cap, c->nrows + 2);
    c->row_line = ons_realloc(c->row_line, c->rows_cap * sizeof(uint32_t));
    c->row_start[c->nrows] = c->ncells;
    c->row_line[c->nrows] = line;
}

bool csv_parse(const char *text, size_t len, OnsCsv *c, char *err, size_t errn, uint32_t *err_line)
{
    memset(c, 0, sizeof *c);
    char *field = ons_malloc(len + 1); /* no field is longer than the file */
    uint32_t line = 1;
    size_t i = 0;
    bool ok = true;
    while (i < len && ok) {
        /* a comment line or a blank line */
        if (text[i] == '#' || text[i] == '\n' || (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')) {
            while (i < len && text[i] != '\n') i++;
            i++;
            line++;
            continue;
        }
        start_row(c, line);
        for (;;) { /* one field */
            size_t n = 0, at = i;
            if (i < len && text[i] == '"') {
                uint32_t opened = line;
                i++;
                for (;;) {
                    if (i >= len) {
                        snprintf(err, errn, "a quoted field opened on line %u is never closed", opened);
                        *err_line = opened;
                        ok = false;
                        break;
                    }
                    if (text[i] == '"') {
                        if (i + 1 < len && text[i + 1] == '"') {
                            field[n++] = '"';
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (text[i] == '\n') line++;
                    field[n++] = text[i++];
                }
                if (ok && i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                    snprintf(err, errn, "text after the closing quote of a field");
                    *err_line = line;
                    ok = false;
                }
            } else {
                while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field[n++] = text[i++];
            }
            if (!ok) break;
            if (c->ncells >= (size_t)ONS_MAX_CSV_CELLS || c->ncells - c->row_start[c->nrows] >= (size_t)ONS_MAX_CSV_COLUMNS) {
                snprintf(err, errn, "the table is too large: at most %zu cells, %zu a row", (size_t)ONS_MAX_CSV_CELLS,
                         (size_t)ONS_MAX_CSV_COLUMNS);
                *err_line = line;
                ok = false;
                break;
            }
            add_cell(c, field, n, at, i);
            if (i < len && text[i] == ',') {
                i++;
                continue;
            }
            if (i < len && text[i] == '\r') i++;
            if (i < len && text[i] == '\n') {
                i++;
                line++;
            }
            break;
        }
        c->row_start[c->nrows + 1] = c->ncells;
        c->nrows++;
    }
    ons_free(field);
    if (!ok) csv_free(c);
    return ok;
}

void csv_free(OnsCsv *c)
{
    for (size_t i = 0; i < c->ncells; i++) ons_free(c->cells[i]);
    ons_free(c->cells);
    ons_free(c->cell_at);
    ons_free(c->cell_end);
    ons_free(c->row_start);
    ons_free(c->row_line);
    memset(c, 0, sizeof *c);
}

/* ---- what the cells mean ---- */

static bool blank(char c) { return c == ' ' || c == '\t'; }

static void trim(const char *s, size_t *from, size_t *to)
{
    *from = 0;
    *to = strlen(s);
    while (*from < *to && blank(s[*from])) (*from)++;
    while (*to > *from && blank(s[*to - 1])) (*to)--;
}

/* A unit written in full over [s, s + n). */
static bool whole_unit(const char *s, size_t n, OnsDim *dim, double *factor, bool *percent)
{
    const char *bad;
    return n > 0 && unit_parse(s, n, dim, factor, percent, &bad) == n;
}

bool csv_column(const char *text, OnsCsvColumn *c, char *err, size_t errn)
{
    memset(c, 0, sizeof *c);
    c->factor = 1;
    size_t from, to;
    trim(text, &from, &to);
    const char *open = memchr(text + from, '[', to - from);
    if (!open) {
        c->key = ons_strndup(text + from, to - from);
        return true;
    }
    size_t kend = (size_t)(open - text);
    while (kend > from && blank(text[kend - 1])) kend--;
    c->key = ons_strndup(text + from, kend - from);
    const char *close = memchr(open, ']', (size_t)(text + to - open));
    if (!close || close != text + to - 1) {
        snprintf(err, errn, "the header '%s' opens a [unit] it does not close at its end", text);
        return false;
    }
    size_t ufrom = (size_t)(open - text) + 1, uto = (size_t)(close - text);
    while (ufrom < uto && blank(text[ufrom])) ufrom++;
    while (uto > ufrom && blank(text[uto - 1])) uto--;
    if (!whole_unit(text + ufrom, uto - ufrom, &c->dim, &c->factor, &c->percent)) {
        snprintf(err, errn, "'%.*s' in the header '%s' is not a unit Onshore knows (like kt/yr, GWh, $/t)",
                 (int)(uto - ufrom), text + ufrom, text);
        return false;
    }
    c->has_unit = true;
    return true;
}

void csv_column_free(OnsCsvColumn *c)
{
    ons_free(c->key);
    c->key = NULL;
}

/* A number at the start of [s, s+n) (with _ between digits, as the
 * language writes them): its value and the bytes used, 0 if none. */
static size_t number_at(const char *s, size_t n, double *v)
{
    char buf[128];
    if (n == 0 || n >= sizeof buf) return 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '_') buf[k++] = s[i];
    buf[k] = '\0';
    /* a digit first (after a sign or a point): strtod would read "inf",
     * "nan" and hex, which are not numbers in a table */
    const char *d = buf + (buf[0] == '-' || buf[0] == '+');
    if (*d == '.') d++;
    if (!(*d >= '0' && *d <= '9')) return 0;
    char *hex = strpbrk(buf, "xX");
    if (hex) *hex = '\0';
    char *end;
    errno = 0;
    *v = strtod(buf, &end);
    if (end == buf || errno == ERANGE || !isfinite(*v)) return 0;
    size_t used = (size_t)(end - buf), i = 0;
    for (size_t got = 0; i < n && got < used; i++)
        if (s[i] != '_') got++;
    return i;
}

OnsCsvValue csv_value(const char *cell, const OnsCsvColumn *col)
{
    OnsCsvValue v;
    memset(&v, 0, sizeof v);
    size_t from, to;
    trim(cell, &from, &to);
    v.text = cell + from;
    v.len = to - from;
    if (v.len == 0) return v; /* ONS_CSV_EMPTY */
    double x;
    size_t used = number_at(v.text, v.len, &x);
    if (col && col->has_unit) {
        if (used != v.len) {
            v.kind = ONS_CSV_NOT_NUMBER;
            return v;
        }
        v.kind = ONS_CSV_NUMBER;
        v.num = x * col->factor;
        v.dim = col->dim;
        v.percent = col->percent;
        return v;
    }
    if (used == v.len) {
        v.kind = ONS_CSV_NUMBER;
        v.num = x;
        v.dim = dim_none();
        return v;
    }
    if (used > 0) { /* "40 kt/yr", "12.5%" */
        size_t u = used;
        while (u < v.len && blank(v.text[u])) u++;
        double factor;
        if (whole_unit(v.text + u, v.len - u, &v.dim, &factor, &v.percent)) {
            v.kind = ONS_CSV_NUMBER;
            v.num = x * factor;
            return v;
        }
    }
    if (v.len == 4 && memcmp(v.text, "true", 4) == 0) v.kind = ONS_CSV_BOOL, v.b = true;
    else if (v.len == 5 && memcmp(v.text, "false", 5) == 0) v.kind = ONS_CSV_BOOL, v.b = false;
    else v.kind = ONS_CSV_TEXT;
    return v;
}
