/* Aligned columns for :show and :list: rows of up to three cells, each
 * column as wide as its widest cell, trailing empty cells left out. */
#include "repl_internal.h"
#include "mem.h"

#include <string.h>

void repl_rows_add(OnsRows *t, const char *a, const char *b, const char *c)
{
    ONS_GROW(t->cells, t->cap, t->n + 1);
    const char *src[ONS_ROW_COLS] = {a, b, c};
    for (int i = 0; i < ONS_ROW_COLS; i++) t->cells[t->n][i] = ons_strdup(src[i] ? src[i] : "");
    t->n++;
}

/* The index of the row's last non-empty cell (0 when all are empty). */
static int last_cell(char *const *row)
{
    int last = ONS_ROW_COLS - 1;
    while (last > 0 && !row[last][0]) last--;
    return last;
}

/* Prints the rows and empties t. */
void repl_rows_print(OnsRows *t, OnsOut *out, const char *indent)
{
    /* A row's last cell is not padded, so it does not widen its column: a
     * long source or note would push every other row's third column far
     * to the right. */
    size_t w[ONS_ROW_COLS] = {0};
    for (size_t r = 0; r < t->n; r++)
        for (int i = 0; i < last_cell(t->cells[r]); i++)
            if (strlen(t->cells[r][i]) > w[i]) w[i] = strlen(t->cells[r][i]);
    for (size_t r = 0; r < t->n; r++) {
        int last = last_cell(t->cells[r]);
        out_puts(out, indent);
        for (int i = 0; i <= last; i++)
            out_printf(out, "%-*s%s", i == last ? 0 : (int)w[i], t->cells[r][i], i == last ? "" : "  ");
        out_putc(out, '\n');
    }
    for (size_t r = 0; r < t->n; r++)
        for (int i = 0; i < ONS_ROW_COLS; i++) ons_free(t->cells[r][i]);
    ons_free(t->cells);
    memset(t, 0, sizeof *t);
}
