/* Reading CSV (RFC 4180): fields separated by commas, optionally quoted
 * with "" for a quote inside, CRLF or LF line ends.  Lines that begin with
 * '#' are comments (Onshore's own CSV has its header line and notes so),
 * and blank lines are skipped.  The cells are kept as text; what they mean
 * is the caller's business. */
#ifndef ONS_RUNTIME_CSV_READ_H
#define ONS_RUNTIME_CSV_READ_H

#include "common.h"

typedef struct OnsCsv {
    char **cells;        /* every cell, row after row, NUL-terminated, owned */
    size_t ncells, cells_cap;
    size_t *row_start;   /* [row] .. [row + 1]: the row's cells */
    uint32_t *row_line;  /* [row]: the line of the file it starts on */
    size_t nrows, rows_cap;
} OnsCsv;

/* Parses text; false with a message and the line of the fault (an
 * unterminated quote, text after a closing quote). */
bool csv_parse(const char *text, size_t len, OnsCsv *out, char *err, size_t errn, uint32_t *err_line);
void csv_free(OnsCsv *c);

static inline size_t csv_row_len(const OnsCsv *c, size_t row) { return c->row_start[row + 1] - c->row_start[row]; }
static inline const char *csv_cell(const OnsCsv *c, size_t row, size_t col) { return c->cells[c->row_start[row] + col]; }

#endif
