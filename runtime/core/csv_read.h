/* Reading CSV (RFC 4180): fields separated by commas, optionally quoted
 * with "" for a quote inside, CRLF or LF line ends.  Lines that begin with
 * '#' are comments (Onshore's own CSV has its header line and notes so),
 * and blank lines are skipped.  The cells are kept as text; what they mean
 * is the caller's business. */
#ifndef ONS_RUNTIME_CSV_READ_H
#define ONS_RUNTIME_CSV_READ_H

#include "common.h"
#include "units.h"

typedef struct OnsCsv {
    char **cells;        /* every cell, row after row, NUL-terminated, owned */
    uint32_t *cell_at;   /* [cell]: where it starts in the text (its quote, if quoted) */
    uint32_t *cell_end;  /* [cell]: where it ends */
    size_t ncells, cells_cap;
    size_t *row_start;   /* [row] .. [row + 1]: the row's cells */
    uint32_t *row_line;  /* [row]: the line of the file it starts on */
    size_t nrows, rows_cap;
} OnsCsv;

/* The most cells and columns a table may have (a 64 MB file of commas would
 * otherwise be 64 million cells); the fuzz build may lower them. */
#ifndef ONS_MAX_CSV_CELLS
#define ONS_MAX_CSV_CELLS ((size_t)4 * 1000 * 1000)
#endif
#ifndef ONS_MAX_CSV_COLUMNS
#define ONS_MAX_CSV_COLUMNS ((size_t)1000)
#endif

/* Parses text; false with a message and the line of the fault (an
 * unterminated quote, text after a closing quote, more than the most cells
 * or columns above). */
bool csv_parse(const char *text, size_t len, OnsCsv *out, char *err, size_t errn, uint32_t *err_line);
void csv_free(OnsCsv *c);

/* A header cell, "capacity [kt/yr]": the key (trimmed) and the unit in
 * brackets at its end, if any. */
typedef struct OnsCsvColumn {
    char *key;           /* owned */
    bool has_unit;
    OnsDim dim;
    double factor;       /* base units in one of the unit */
    bool percent;
} OnsCsvColumn;

/* Reads a header cell; false when its [unit] is not closed at the end or is
 * not a known unit (the message says which). */
bool csv_column(const char *header, OnsCsvColumn *out, char *err, size_t errn);
void csv_column_free(OnsCsvColumn *c);

/* What a cell holds.  In a column with a unit it must be a plain number
 * (ONS_CSV_NOT_NUMBER otherwise); elsewhere a number, a number and a unit
 * ("40 kt/yr", "12.5%"), true or false, or text.  Numbers in base units. */
typedef enum OnsCsvKind { ONS_CSV_EMPTY, ONS_CSV_NUMBER, ONS_CSV_BOOL, ONS_CSV_TEXT, ONS_CSV_NOT_NUMBER } OnsCsvKind;
typedef struct OnsCsvValue {
    uint8_t kind;        /* OnsCsvKind */
    double num;
    OnsDim dim;
    bool percent, b;
    const char *text;    /* the cell trimmed of blanks: text[0..len) */
    size_t len;
} OnsCsvValue;
OnsCsvValue csv_value(const char *cell, const OnsCsvColumn *col);

static inline size_t csv_row_len(const OnsCsv *c, size_t row) { return c->row_start[row + 1] - c->row_start[row]; }
static inline const char *csv_cell(const OnsCsv *c, size_t row, size_t col) { return c->cells[c->row_start[row] + col]; }

#endif
