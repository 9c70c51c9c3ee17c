/* Rendering report tables. */
#include "table.h"
#include "mem.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void table_init(OnsTable *t, const char *header, const char *title)
{
    memset(t, 0, sizeof *t);
    t->header = ons_strdup(header);
    t->title = ons_strdup(title);
}

void table_free(OnsTable *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            ons_free(t->rows[r].cells[c].text);
            ons_free(t->rows[r].cells[c].data);
        }
        ons_free(t->rows[r].cells);
        ons_free(t->rows[r].unit);
    }
    for (int c = 0; c < t->ncols; c++) {
        ons_free(t->cols[c].title);
        ons_free(t->cols[c].key);
    }
    for (int i = 0; i < t->nnotes; i++) ons_free(t->notes[i]);
    ons_free(t->notes);
    ons_free(t->rows);
    ons_free(t->cols);
    ons_free(t->header);
    ons_free(t->title);
    memset(t, 0, sizeof *t);
}

void table_col(OnsTable *t, const char *title, const char *key, bool right)
{
    t->cols = ons_realloc(t->cols, (size_t)(t->ncols + 1) * sizeof(OnsTableCol));
    t->cols[t->ncols].title = ons_strdup(title);
    t->cols[t->ncols].key = ons_strdup(key);
    t->cols[t->ncols].right = right;
    t->cols[t->ncols].data_only = false;
    t->ncols++;
}

void table_col_data(OnsTable *t, const char *key)
{
    table_col(t, key, key, false);
    t->cols[t->ncols - 1].data_only = true;
}

void table_row(OnsTable *t, const char *unit)
{
    ONS_GROW(t->rows, t->rows_cap, t->nrows + 1);
    OnsTableRow *r = &t->rows[t->nrows++];
    r->cells = ons_calloc((size_t)t->ncols, sizeof(OnsTableCell));
    r->unit = unit ? ons_strdup(unit) : NULL;
    r->shares = false;
    r->unit_factor = 1;
    r->unit_dim = dim_none();
    if (unit) {
        bool pct;
        const char *bad;
        if (!unit_parse(unit, strlen(unit), &r->unit_dim, &r->unit_factor, &pct, &bad)) {
            r->unit_factor = 1;
            r->unit_dim = dim_none();
        }
    }
    t->filled = 0;
}

static OnsTableCell *next_cell(OnsTable *t)
{
    OnsTableRow *r = &t->rows[t->nrows - 1];
    if (t->filled >= t->ncols) return NULL;
    return &r->cells[t->filled++];
}

static OnsTableCell *put(OnsTable *t, uint8_t kind, const char *text, double v)
{
    OnsTableCell *c = next_cell(t);
    if (!c) return NULL;
    c->kind = kind;
    c->text = ons_strdup(text);
    c->value = v;
    return c;
}

void table_text(OnsTable *t, const char *text) { put(t, CELL_TEXT, text, NAN); }

void table_text_data(OnsTable *t, const char *display, const char *data)
{
    OnsTableCell *c = put(t, CELL_TEXT, display, NAN);
    if (c) c->data = ons_strdup(data);
}

void table_empty(OnsTable *t) { put(t, CELL_EMPTY, "—", NAN); }

void table_amount(OnsTable *t, double v, OnsDim dim)
{
    if (isnan(v)) {
        table_empty(t);
        return;
    }
    char buf[64];
    const OnsTableRow *row = &t->rows[t->nrows - 1];
    if (v == 0 && row->unit) { /* zero reads best in the row's own unit */
        OnsDim ud;
        double f;
        bool pct;
        const char *bad;
        if (unit_parse(row->unit, strlen(row->unit), &ud, &f, &pct, &bad) && dim_eq(ud, dim))
            snprintf(buf, sizeof buf, "0 %s", row->unit);
        else
            ons_format_quantity(buf, sizeof buf, 0, dim, false, 4);
    } else {
        ons_format_quantity(buf, sizeof buf, v, dim, false, 4);
    }
    /* CSV and JSON give amounts in the row's unit and costs per the row's unit */
    OnsDim money = dim_base(ONS_DIM_MONEY), price;
    uint8_t kind = CELL_QUANTITY;
    if (dim_eq(dim, money)) kind = CELL_MONEY;
    else if (row->unit && dim_eq(dim, row->unit_dim)) kind = CELL_AMOUNT;
    else if (row->unit && dim_div(money, row->unit_dim, &price) && dim_eq(dim, price)) kind = CELL_PRICE;
    put(t, kind, buf, v);
}

double table_tenths(double v)
{
    /* halves away from zero, as fmt and round do (printf would round an
     * exact 56.25 to even, 56.2) */
    double r = round(v * 10) / 10;
    if (r == 0) r = 0; /* no "-0.0" */
    return isfinite(r) ? r : v;
}

void table_share(OnsTable *t, double fraction)
{
    if (t->nrows > 0) t->rows[t->nrows - 1].shares = true;
    if (isnan(fraction)) {
        table_empty(t);
        return;
    }
    char num[32], buf[40];
    snprintf(num, sizeof num, "%.1f", table_tenths(fraction * 100));
    size_t l = strlen(num);
    if (l > 2 && strcmp(num + l - 2, ".0") == 0) num[l - 2] = '\0';
    if (strcmp(num, "-0") == 0) snprintf(num, sizeof num, "0");
    snprintf(buf, sizeof buf, "%s%%", num);
    put(t, CELL_SHARE, buf, fraction);
}

void table_number(OnsTable *t, double v, int decimals)
{
    if (isnan(v)) {
        table_empty(t);
        return;
    }
    char buf[40];
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    put(t, CELL_NUMBER, buf, v);
}

void table_bool(OnsTable *t, bool b, const char *yes, const char *no)
{
    put(t, CELL_BOOL, b ? yes : no, b ? 1 : 0);
}

void table_note(OnsTable *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    t->notes = ons_realloc(t->notes, (size_t)(t->nnotes + 1) * sizeof(char *));
    t->notes[t->nnotes++] = ons_strdup(buf);
}

/* ---- text ---- */

static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

static void pad(OnsOut *out, size_t n)
{
    for (size_t i = 0; i < n; i++) out_putc(out, ' ');
}

/* The last column a text table shows (data-only columns are left out). */
static int last_shown(const OnsTable *t)
{
    int last = -1;
    for (int c = 0; c < t->ncols; c++)
        if (!t->cols[c].data_only) last = c;
    return last;
}

static void render_text(const OnsTable *t, OnsOut *out)
{
    out_printf(out, "%s\n%s\n", t->header, t->title);
    if (t->nrows == 0) {
        out_puts(out, "(no rows)\n");
    } else {
        int last = last_shown(t);
        size_t *w = ons_calloc((size_t)t->ncols, sizeof(size_t));
        for (int c = 0; c < t->ncols; c++) {
            w[c] = display_width(t->cols[c].title);
            for (size_t r = 0; r < t->nrows; r++) {
                size_t cw = display_width(t->rows[r].cells[c].text ? t->rows[r].cells[c].text : "");
                if (cw > w[c]) w[c] = cw;
            }
        }
        bool first = true;
        for (int c = 0; c < t->ncols; c++) {
            if (t->cols[c].data_only) continue;
            size_t cw = display_width(t->cols[c].title);
            if (!first) out_puts(out, "  ");
            first = false;
            if (t->cols[c].right) pad(out, w[c] - cw);
            out_puts(out, t->cols[c].title);
            if (!t->cols[c].right && c < last) pad(out, w[c] - cw);
        }
        out_putc(out, '\n');
        first = true;
        for (int c = 0; c < t->ncols; c++) {
            if (t->cols[c].data_only) continue;
            if (!first) out_puts(out, "  ");
            first = false;
            for (size_t i = 0; i < w[c]; i++) out_putc(out, '-');
        }
        out_putc(out, '\n');
        for (size_t r = 0; r < t->nrows; r++) {
            first = true;
            for (int c = 0; c < t->ncols; c++) {
                if (t->cols[c].data_only) continue;
                const char *s = t->rows[r].cells[c].text ? t->rows[r].cells[c].text : "";
                size_t cw = display_width(s);
                if (!first) out_puts(out, "  ");
                first = false;
                if (t->cols[c].right) pad(out, w[c] - cw);
                out_puts(out, s);
                if (!t->cols[c].right && c < last) pad(out, w[c] - cw);
            }
            out_putc(out, '\n');
        }
        ons_free(w);
    }
    for (int i = 0; i < t->nnotes; i++) out_printf(out, "%s\n", t->notes[i]);
}

/* The width of the text table: its columns and the two blanks between. */
static size_t text_width(const OnsTable *t)
{
    size_t total = 0;
    for (int c = 0; c < t->ncols; c++) {
        if (t->cols[c].data_only) continue;
        size_t w = display_width(t->cols[c].title);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = display_width(t->rows[r].cells[c].text ? t->rows[r].cells[c].text : "");
            if (cw > w) w = cw;
        }
        total += w + (total ? 2 : 0);
    }
    return total;
}

/* A row a block of `title  value` lines, as psql's expanded display. */
static void render_records(const OnsTable *t, OnsOut *out)
{
    out_printf(out, "%s\n%s\n", t->header, t->title);
    size_t tw = 0;
    for (int c = 0; c < t->ncols; c++)
        if (!t->cols[c].data_only && display_width(t->cols[c].title) > tw) tw = display_width(t->cols[c].title);
    if (t->nrows == 0) out_puts(out, "(no rows)\n");
    for (size_t r = 0; r < t->nrows; r++) {
        out_printf(out, "-[ %zu ]", r + 1);
        for (size_t i = 0; i < tw; i++) out_putc(out, '-');
        out_putc(out, '\n');
        for (int c = 0; c < t->ncols; c++) {
            if (t->cols[c].data_only) continue;
            out_puts(out, t->cols[c].title);
            pad(out, tw - display_width(t->cols[c].title) + 2);
            out_puts(out, t->rows[r].cells[c].text ? t->rows[r].cells[c].text : "");
            out_putc(out, '\n');
        }
    }
    for (int i = 0; i < t->nnotes; i++) out_printf(out, "%s\n", t->notes[i]);
}

void table_render_fit(const OnsTable *t, size_t width, OnsOut *out)
{
    if (width > 0 && text_width(t) > width) render_records(t, out);
    else render_text(t, out);
}

/* ---- CSV (RFC 4180) ---- */

void table_csv_field(OnsOut *out, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (!quote) {
        out_puts(out, s);
        return;
    }
    out_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"') out_putc(out, '"');
        out_putc(out, *s);
    }
    out_putc(out, '"');
}

/* A plain number in the row's unit (amounts), in $ per the row's unit
 * (prices) or as a fraction (shares): to 12 significant digits for a reader
 * (stdout, JSON), or `exact`ly, to the bit, in a CSV file. */
static void raw_number(OnsOut *out, const OnsTableRow *row, const OnsTableCell *c, bool exact)
{
    double v = c->value;
    if (c->kind == CELL_AMOUNT) v /= row->unit_factor;
    else if (c->kind == CELL_PRICE) v *= row->unit_factor;
    char buf[40];
    if (exact) ons_format_exact(buf, sizeof buf, v);
    else ons_format_number(buf, sizeof buf, v, 12);
    out_puts(out, buf);
}

static const char *data_text(const OnsTableCell *c) { return c->data ? c->data : c->text; }

static bool has_units(const OnsTable *t)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (t->rows[r].unit) return true;
    return false;
}

/* Whether some cell is money per the row's unit: the file then says which
 * ($/GWh, $/t) in a price_unit column, as the unit column does for amounts. */
static bool has_prices(const OnsTable *t)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (t->rows[r].unit)
            for (int c = 0; c < t->ncols; c++)
                if (t->rows[r].cells[c].kind == CELL_PRICE) return true;
    return false;
}

/* "$/GWh": what a price cell of the row is in (money per the row's unit). */
static const char *price_unit(const OnsTableRow *row, char *buf, size_t n)
{
    snprintf(buf, n, "$/%s", row->unit ? row->unit : "");
    return buf;
}

/* The numeric columns of compare: one a scenario ("difference" is not one). */
static bool is_scenario_col(const OnsTable *t, int c)
{
    return t->scenario_columns && t->cols[c].right && strcmp(t->cols[c].key, "difference") != 0;
}

/* A TSV field: tabs and line breaks, which TSV cannot quote, become spaces. */
static void tsv_field(OnsOut *out, const char *s)
{
    for (; *s; s++) out_putc(out, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* One number of a delimited row: nothing for an empty cell. */
static void delimited_value(OnsOut *out, const OnsTableRow *row, const OnsTableCell *cell,
                            void (*field)(OnsOut *, const char *), bool exact)
{
    if (cell->kind == CELL_EMPTY) {
    } else if (cell->kind == CELL_TEXT) {
        field(out, data_text(cell));
    } else if (cell->kind == CELL_BOOL) {
        out_puts(out, cell->value != 0 ? "true" : "false");
    } else if (isfinite(cell->value)) {
        raw_number(out, row, cell, exact);
    }
}

/* compare in a delimited file: fixed columns (stage or material, unit,
 * figure, scenario, value), a line a scenario; the difference follows from
 * the lines, so it is left out. */
static void render_delimited_compare(const OnsTable *t, OnsOut *out, char sep, const char *eol,
                                     void (*field)(OnsOut *, const char *), bool exact)
{
    out_printf(out, "%s%cunit%cfigure%cscenario%cvalue%s", t->cols[0].key, sep, sep, sep, sep, eol);
    for (size_t r = 0; r < t->nrows; r++) {
        const OnsTableRow *row = &t->rows[r];
        for (int c = 0; c < t->ncols; c++) {
            if (!is_scenario_col(t, c)) continue;
            field(out, data_text(&row->cells[0]));
            out_putc(out, sep);
            if (row->shares) out_puts(out, "fraction");
            else if (row->unit) field(out, row->unit);
            out_putc(out, sep);
            field(out, data_text(&row->cells[1]));
            out_putc(out, sep);
            field(out, t->cols[c].key);
            out_putc(out, sep);
            delimited_value(out, row, &row->cells[c], field, exact);
            out_puts(out, eol);
        }
    }
}

/* CSV (RFC 4180: commas, quoted fields, CRLF) or TSV (tabs, LF; the IANA
 * text/tab-separated-values: no quoting, so no tab inside a field).  With
 * `comments` (stdout), the report's header line and notes as `#` lines;
 * without (a file), numbers that read back to the bit. */
static void render_delimited(const OnsTable *t, OnsOut *out, bool tsv, bool comments)
{
    char sep = tsv ? '\t' : ',';
    const char *eol = tsv ? "\n" : "\r\n";
    void (*field)(OnsOut *, const char *) = tsv ? tsv_field : table_csv_field;
    bool exact = !comments;
    if (comments) out_printf(out, "# %s%s", t->header, eol);
    if (t->scenario_columns) {
        render_delimited_compare(t, out, sep, eol, field, exact);
    } else {
        bool units = has_units(t), prices = units && has_prices(t);
        for (int c = 0; c < t->ncols; c++) {
            if (c) out_putc(out, sep);
            field(out, t->cols[c].key);
            if (c == 0 && units) out_printf(out, "%cunit", sep);
            if (c == 0 && prices) out_printf(out, "%cprice_unit", sep);
        }
        out_puts(out, eol);
        for (size_t r = 0; r < t->nrows; r++) {
            const OnsTableRow *row = &t->rows[r];
            for (int c = 0; c < t->ncols; c++) {
                if (c) out_putc(out, sep);
                delimited_value(out, row, &row->cells[c], field, exact);
                if (c == 0 && units) {
                    out_putc(out, sep);
                    if (row->unit) field(out, row->unit);
                }
                if (c == 0 && prices) {
                    char buf[96];
                    out_putc(out, sep);
                    if (row->unit) field(out, price_unit(row, buf, sizeof buf));
                }
            }
            out_puts(out, eol);
        }
    }
    /* the notes after the table, as comment lines like the header */
    if (comments)
        for (int i = 0; i < t->nnotes; i++) out_printf(out, "# %s%s", t->notes[i], eol);
}

/* ---- the long (tidy) layout ---- */

/* One line a number of the table: scenario, region, year, item, figure,
 * value, unit -- ready for pandas, R and pivot tables.  The item is the
 * row's first text cell (a stage, a material, an origin, a rule); a `year`
 * column gives the line's year, else the report's one year. */
static void render_long(const OnsTable *t, OnsOut *out, bool comments)
{
    if (comments) out_printf(out, "# %s\r\n", t->header);
    out_puts(out, "scenario,region,year,item,figure,value,unit\r\n");
    int year_col = -1;
    for (int c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].key, "year") == 0) year_col = c;
    for (size_t r = 0; r < t->nrows; r++) {
        const OnsTableRow *row = &t->rows[r];
        /* compare: the columns are scenarios, cell 0 the item and cell 1 the figure */
        const char *item = t->scenario_columns ? data_text(&row->cells[0]) : "";
        const char *figure = t->scenario_columns ? data_text(&row->cells[1]) : NULL;
        for (int c = 0; c < t->ncols && !item[0]; c++)
            if (row->cells[c].kind == CELL_TEXT && row->cells[c].text) item = data_text(&row->cells[c]);
        char year[16] = "";
        if (year_col >= 0 && row->cells[year_col].kind == CELL_NUMBER)
            snprintf(year, sizeof year, "%.0f", row->cells[year_col].value);
        else if (t->year)
            snprintf(year, sizeof year, "%d", (int)t->year);
        for (int c = 0; c < t->ncols; c++) {
            const OnsTableCell *cell = &row->cells[c];
            if (c == year_col || cell->kind == CELL_EMPTY || cell->kind == CELL_TEXT) continue;
            bool by_scenario = figure && is_scenario_col(t, c);
            if (figure && !by_scenario) continue; /* the difference follows from the lines */
            table_csv_field(out, by_scenario ? t->cols[c].key : t->scenario ? t->scenario : "");
            out_putc(out, ',');
            table_csv_field(out, t->region ? t->region : "");
            out_printf(out, ",%s,", year);
            table_csv_field(out, item);
            out_putc(out, ',');
            table_csv_field(out, by_scenario ? figure : t->cols[c].key);
            out_putc(out, ',');
            if (cell->kind == CELL_BOOL) out_puts(out, cell->value != 0 ? "true" : "false");
            else if (isnan(cell->value)) {
            } else raw_number(out, row, cell, !comments);
            out_putc(out, ',');
            switch ((OnsCellKind)cell->kind) {
            case CELL_AMOUNT: if (row->unit) table_csv_field(out, row->unit); break;
            case CELL_PRICE: {
                char buf[96];
                if (row->unit) table_csv_field(out, price_unit(row, buf, sizeof buf));
                break;
            }
            case CELL_MONEY: out_putc(out, '$'); break;
            case CELL_SHARE: out_puts(out, "fraction"); break;
            default: break;
            }
            out_puts(out, "\r\n");
        }
    }
    if (comments)
        for (int i = 0; i < t->nnotes; i++) out_printf(out, "# %s\r\n", t->notes[i]);
}

/* ---- JSON ---- */

void table_json_string(OnsOut *out, const char *s)
{
    out_putc(out, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        switch (ch) {
        case '"': out_puts(out, "\\\""); break;
        case '\\': out_puts(out, "\\\\"); break;
        case '\n': out_puts(out, "\\n"); break;
        case '\r': out_puts(out, "\\r"); break;
        case '\t': out_puts(out, "\\t"); break;
        default:
            if (ch < 0x20) out_printf(out, "\\u%04x", ch);
            else out_putc(out, (char)ch);
        }
    }
    out_putc(out, '"');
}

static void json_value(OnsOut *out, const OnsTableRow *row, const OnsTableCell *cell)
{
    if (cell->kind == CELL_EMPTY) out_puts(out, "null");
    else if (cell->kind == CELL_TEXT) table_json_string(out, data_text(cell));
    else if (cell->kind == CELL_BOOL) out_puts(out, cell->value != 0 ? "true" : "false");
    else if (!isfinite(cell->value)) out_puts(out, "null");
    else raw_number(out, row, cell, false);
}

/* compare's rows in JSON, as in CSV: a row a scenario and figure. */
static void json_compare_rows(const OnsTable *t, OnsOut *out)
{
    bool first = true;
    for (size_t r = 0; r < t->nrows; r++) {
        const OnsTableRow *row = &t->rows[r];
        for (int c = 0; c < t->ncols; c++) {
            if (!is_scenario_col(t, c)) continue;
            out_puts(out, first ? "{" : ", {");
            first = false;
            table_json_string(out, t->cols[0].key);
            out_puts(out, ": ");
            table_json_string(out, data_text(&row->cells[0]));
            out_puts(out, ", \"unit\": ");
            if (row->shares) table_json_string(out, "fraction");
            else if (row->unit) table_json_string(out, row->unit);
            else out_puts(out, "null");
            out_puts(out, ", \"figure\": ");
            table_json_string(out, data_text(&row->cells[1]));
            out_puts(out, ", \"scenario\": ");
            table_json_string(out, t->cols[c].key);
            out_puts(out, ", \"value\": ");
            json_value(out, row, &row->cells[c]);
            out_putc(out, '}');
        }
    }
}

/* One report, one JSON document on one line (docs/formats.md and its
 * schema, docs/report.schema.json): reports printed one after another are
 * NDJSON, a stream a tool reads a line at a time. */
static void render_json(const OnsTable *t, OnsOut *out)
{
    out_puts(out, "{\"header\": ");
    table_json_string(out, t->header);
    out_puts(out, ", \"title\": ");
    table_json_string(out, t->title);
    out_puts(out, ", \"rows\": [");
    bool prices = has_prices(t);
    if (t->scenario_columns) json_compare_rows(t, out);
    for (size_t r = 0; r < t->nrows && !t->scenario_columns; r++) {
        const OnsTableRow *row = &t->rows[r];
        out_puts(out, r ? ", {" : "{");
        for (int c = 0; c < t->ncols; c++) {
            const OnsTableCell *cell = &row->cells[c];
            if (c) out_puts(out, ", ");
            table_json_string(out, t->cols[c].key);
            out_puts(out, ": ");
            json_value(out, row, cell);
            if (c == 0 && row->unit) {
                out_puts(out, ", \"unit\": ");
                table_json_string(out, row->unit);
            }
            if (c == 0 && row->unit && prices) {
                char buf[96];
                out_puts(out, ", \"price_unit\": ");
                table_json_string(out, price_unit(row, buf, sizeof buf));
            }
        }
        out_putc(out, '}');
    }
    out_puts(out, "], \"notes\": [");
    for (int i = 0; i < t->nnotes; i++) {
        if (i) out_puts(out, ", ");
        table_json_string(out, t->notes[i]);
    }
    out_puts(out, "]}\n");
}

/* ---- Markdown ---- */

/* Text as Markdown (GFM) shows it, not as markup: the characters that
 * would start emphasis, HTML, a table cell, maths or code are escaped (an
 * underscore inside a name, cam_nmc811, starts nothing), and a line break
 * is a space. */
static void md_cell(OnsOut *out, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\`*<|$", *s) && *s) {
            out_putc(out, '\\');
            out_putc(out, *s);
        } else if (*s == '\n' || *s == '\r') {
            out_putc(out, ' ');
        } else {
            out_putc(out, *s);
        }
    }
}

static void render_markdown(const OnsTable *t, OnsOut *out)
{
    out_putc(out, '*');
    md_cell(out, t->header);
    out_puts(out, "*\n\n**");
    md_cell(out, t->title);
    out_puts(out, "**\n\n");
    out_putc(out, '|');
    for (int c = 0; c < t->ncols; c++) {
        if (t->cols[c].data_only) continue;
        out_putc(out, ' ');
        md_cell(out, t->cols[c].title);
        out_puts(out, " |");
    }
    out_puts(out, "\n|");
    for (int c = 0; c < t->ncols; c++)
        if (!t->cols[c].data_only) out_puts(out, t->cols[c].right ? " ---: |" : " --- |");
    out_putc(out, '\n');
    for (size_t r = 0; r < t->nrows; r++) {
        out_putc(out, '|');
        for (int c = 0; c < t->ncols; c++) {
            if (t->cols[c].data_only) continue;
            out_putc(out, ' ');
            md_cell(out, t->rows[r].cells[c].text ? t->rows[r].cells[c].text : "");
            out_puts(out, " |");
        }
        out_putc(out, '\n');
    }
    /* a blank line ends the table, so the next report's text never joins it */
    out_putc(out, '\n');
    for (int i = 0; i < t->nnotes; i++) {
        out_puts(out, "- ");
        md_cell(out, t->notes[i]);
        out_putc(out, '\n');
    }
    if (t->nnotes) out_putc(out, '\n');
}

void table_render(const OnsTable *t, OnsFormat f, OnsOut *out)
{
    switch (f) {
    case ONS_FMT_CSV: render_delimited(t, out, false, true); break;
    case ONS_FMT_TSV: render_delimited(t, out, true, true); break;
    case ONS_FMT_LONG: render_long(t, out, true); break;
    case ONS_FMT_JSON: render_json(t, out); break;
    case ONS_FMT_MARKDOWN: render_markdown(t, out); break;
    default: render_text(t, out); break;
    }
}

bool table_has_meta(OnsFormat f)
{
    return f == ONS_FMT_CSV || f == ONS_FMT_TSV || f == ONS_FMT_LONG;
}

void table_render_file(const OnsTable *t, OnsFormat f, OnsOut *out)
{
    switch (f) {
    case ONS_FMT_CSV: render_delimited(t, out, false, false); break;
    case ONS_FMT_TSV: render_delimited(t, out, true, false); break;
    case ONS_FMT_LONG: render_long(t, out, false); break;
    default: table_render(t, f, out); break;
    }
}

void table_render_meta(const OnsTable *t, OnsOut *out)
{
    out_puts(out, "{\"header\": ");
    table_json_string(out, t->header);
    out_puts(out, ", \"title\": ");
    table_json_string(out, t->title);
    out_puts(out, ", \"notes\": [");
    for (int i = 0; i < t->nnotes; i++) {
        if (i) out_puts(out, ", ");
        table_json_string(out, t->notes[i]);
    }
    out_puts(out, "]}\n");
}
