/* A CSV reader: RFC 4180, '#' comment lines, blank lines skipped. */
#include "csv_read.h"
#include "mem.h"

#include <stdio.h>
#include <string.h>

static void add_cell(OnsCsv *c, const char *s, size_t n)
{
    ONS_GROW(c->cells, c->cells_cap, c->ncells + 1);
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
            size_t n = 0;
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
            add_cell(c, field, n);
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
    ons_free(c->row_start);
    ons_free(c->row_line);
    memset(c, 0, sizeof *c);
}
