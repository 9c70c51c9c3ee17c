/* Tables of reports and their four renderings: an aligned text table with
 * readable units, CSV (RFC 4180), JSON and Markdown.  Each cell keeps both
 * its display text and its number, so CSV and JSON carry plain numbers (in
 * the row's unit) while the text table shows "1.6 TWh". */
#ifndef ONS_RUNTIME_TABLE_H
#define ONS_RUNTIME_TABLE_H

#include "output.h"
#include "report.h"
#include "units.h"

/* CELL_AMOUNT: in the row's unit; CELL_PRICE: money per the row's unit;
 * CELL_MONEY: in $; CELL_QUANTITY: any other dimension, in base units. */
typedef enum OnsCellKind {
    CELL_EMPTY, CELL_TEXT, CELL_AMOUNT, CELL_SHARE, CELL_NUMBER, CELL_MONEY, CELL_BOOL, CELL_PRICE, CELL_QUANTITY
} OnsCellKind;

typedef struct OnsTableCell {
    uint8_t kind;
    char *text;       /* display text */
    char *data;       /* text for CSV, TSV and JSON when it differs ("US" for "US (local)"), or NULL */
    double value;     /* amounts in base units, shares as fractions */
} OnsTableCell;

typedef struct OnsTableCol {
    char *title;      /* "local %" */
    char *key;        /* "local_share" (CSV header, JSON key) */
    bool right;       /* right-aligned */
    bool data_only;   /* in CSV, TSV, JSON and the long layout, not in text or Markdown */
} OnsTableCol;

typedef struct OnsTableRow {
    OnsTableCell *cells;
    char *unit;       /* the unit amounts of this row are given in (CSV, JSON), or NULL */
    double unit_factor;
    OnsDim unit_dim;
    bool shares;      /* a row of shares (compare's localization): its unit is "fraction" */
} OnsTableRow;

typedef struct OnsTable {
    char *header;     /* the header line of every report */
    char *title;
    /* what the long layout repeats on every line (borrowed; NULL/0: none) */
    const char *scenario, *region;
    int32_t year;
    bool scenario_columns; /* compare: a numeric column a scenario, cell 0 the item, cell 1 the figure */
    OnsTableCol *cols;
    int ncols;
    OnsTableRow *rows;
    size_t nrows, rows_cap;
    char **notes;     /* lines after the table */
    int nnotes;
    int filled;       /* cells given so far in the last row */
} OnsTable;

/* A CSV field, quoted as RFC 4180 requires when it holds , " or a line break. */
void table_csv_field(OnsOut *out, const char *s);
/* A JSON string literal. */
void table_json_string(OnsOut *out, const char *s);

void table_init(OnsTable *t, const char *header, const char *title);
void table_free(OnsTable *t);
void table_col(OnsTable *t, const char *title, const char *key, bool right);
/* A column only the data formats show: what the text table says in another
 * column's words (imports' `local`, shown there as "US (local)"). */
void table_col_data(OnsTable *t, const char *key);
/* Starts a row; amounts in it are given in `unit` (a unit name, or NULL). */
void table_row(OnsTable *t, const char *unit);
void table_text(OnsTable *t, const char *text);
/* Text shown as `display` in a text table and as `data` in CSV and JSON. */
void table_text_data(OnsTable *t, const char *display, const char *data);
void table_empty(OnsTable *t);
/* An amount of the given dimension (base units); NAN prints as "—". */
void table_amount(OnsTable *t, double v, OnsDim dim);
/* v rounded to one decimal, halves away from zero (for printing with %.1f). */
double table_tenths(double v);
void table_share(OnsTable *t, double fraction);
void table_number(OnsTable *t, double v, int decimals);
void table_bool(OnsTable *t, bool b, const char *yes, const char *no);
void table_note(OnsTable *t, const char *fmt, ...) ONS_PRINTF(2, 3);

void table_render(const OnsTable *t, OnsFormat f, OnsOut *out);
/* The table as a file holds it: CSV, TSV and the long layout without the
 * `#` header and note lines (a spreadsheet or pandas reads line 1 as the
 * column names); those go to the file's sidecar, table_render_meta. */
void table_render_file(const OnsTable *t, OnsFormat f, OnsOut *out);
/* Whether a file of format f has a sidecar of the header and notes. */
bool table_has_meta(OnsFormat f);
/* The sidecar FILE.meta.json: header, title, notes and what the columns hold. */
void table_render_meta(const OnsTable *t, OnsOut *out);
/* The text table, or, when it is wider than `width` columns (0: never),
 * each row as a block of `column  value` lines (the REPL's :set wide off). */
void table_render_fit(const OnsTable *t, size_t width, OnsOut *out);

#endif
