/* Drawing charts: the y axis (round ticks in a readable unit), a text
 * canvas of braille dots (2x4 a cell) or ASCII, and SVG.  See chart.h. */
#include "chart.h"
#include "mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* ---- the chart as data ---- */

void chart_init(OnsChart *c, OnsChartKind kind, uint32_t npoints)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->npoints = npoints;
    c->years = ons_calloc(npoints + 1, sizeof(int32_t));
    c->dim = dim_none();
}

OnsChartSeries *chart_add_series(OnsChart *c, const char *name)
{
    ONS_GROW(c->series, c->cap_series, (size_t)c->nseries + 1);
    OnsChartSeries *s = &c->series[c->nseries++];
    size_t n = strlen(name) + 1;
    s->name = ons_malloc(n);
    memcpy(s->name, name, n);
    s->y = ons_malloc((c->npoints + 1) * sizeof(double));
    for (uint32_t i = 0; i <= c->npoints; i++) s->y[i] = NAN;
    return s;
}

void chart_free(OnsChart *c)
{
    for (uint32_t i = 0; i < c->nseries; i++) {
        ons_free(c->series[i].name);
        ons_free(c->series[i].y);
    }
    for (uint32_t i = 0; c->labels && i < c->npoints; i++) ons_free(c->labels[i]);
    for (uint32_t i = 0; c->notes && i < c->npoints; i++) ons_free(c->notes[i]);
    ons_free(c->labels);
    ons_free(c->notes);
    ons_free(c->series);
    ons_free(c->years);
    ons_free(c->header);
    ons_free(c->title);
    memset(c, 0, sizeof *c);
}

/* ---- the y axis ---- */

typedef struct Axis {
    double lo, hi, step;    /* in display units */
    double factor;          /* base units per display unit */
    char unit[48];          /* "%", " TWh", "" */
    int decimals;
} Axis;

/* The smallest of 1, 2, 5 x 10^k at least x. */
static double nice_step(double x)
{
    if (!(x > 0) || !isfinite(x)) return 1;
    // cppcheck-suppress invalidFunctionArg ; x > 0 after the guard above
    double p = pow(10, floor(log10(x)));
    static const double steps[] = {1, 2, 5, 10};
    for (size_t i = 0; i < ONS_ARRAY_LEN(steps); i++)
        if (steps[i] * p >= x * (1 - 1e-9)) return steps[i] * p;
    return 10 * p;
}

static void axis_for(const OnsChart *c, Axis *a)
{
    memset(a, 0, sizeof *a);
    double lo = 0, hi = 0;
    for (uint32_t s = 0; s < c->nseries; s++)
        for (uint32_t i = 0; i < c->npoints; i++) {
            double v = c->series[s].y[i];
            if (!isfinite(v)) continue;
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    a->factor = 1;
    if (c->percent) {
        a->factor = 0.01;
        snprintf(a->unit, sizeof a->unit, "%%");
    } else if (!dim_is_none(c->dim)) {
        char name[40];
        ons_choose_scale(fmax(fabs(lo), fabs(hi)), c->dim, name, sizeof name, &a->factor);
        snprintf(a->unit, sizeof a->unit, " %s", name);
    }
    a->lo = lo / a->factor;
    a->hi = hi / a->factor;
    if (a->hi - a->lo <= 0) { /* all zero, or one value: still a readable axis */
        double m = fabs(a->hi) > 0 ? fabs(a->hi) : 1;
        if (a->hi > 0) a->lo = 0;
        else if (a->lo < 0) a->hi = 0;
        else a->hi = m;
    }
    a->step = nice_step((a->hi - a->lo) / 5);
    a->lo = floor(a->lo / a->step + 1e-9) * a->step;
    a->hi = ceil(a->hi / a->step - 1e-9) * a->step;
    a->decimals = a->step >= 1 ? 0 : (int)ceil(-log10(a->step) - 1e-9);
}

static int tick_count(const Axis *a)
{
    return (int)floor((a->hi - a->lo) / a->step + 0.5) + 1;
}

static void tick_label(const Axis *a, int k, char *buf, size_t n)
{
    double v = a->lo + k * a->step;
    if (fabs(v) < a->step * 1e-9) v = 0; /* never "-0" */
    snprintf(buf, n, "%.*f%s", a->decimals, v, a->unit);
}

/* ---- the text canvas ---- */

enum { TEXT_ROWS = 12, PALETTE = 7 };

/* The Okabe-Ito palette, colour-blind safe: SVG colours and the nearest of
 * the 256 terminal colours. */
static const char *const svg_colours[PALETTE] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                 "#56B4E9", "#D55E00", "#F0E442"};
static const int ansi_colours[PALETTE] = {25, 214, 36, 175, 117, 166, 227};
static const char *const markers_utf8[PALETTE] = {"●", "▲", "■", "◆", "▼", "★", "✚"};
static const char markers_ascii[PALETTE] = {'*', '+', 'o', 'x', '#', '@', '%'};

typedef struct Canvas {
    int cols, rows;         /* cells */
    int dx, dy;             /* dots a cell: 2x4 braille, 1x1 ASCII */
    uint8_t *dots;          /* [cell] braille bits (ASCII: 1 = set) */
    int8_t *owner;          /* [cell] the series drawn there last, -1 none */
    int8_t *marker;         /* [cell] a series' marker, -1 none */
    bool *light;            /* [cell] only band filling */
} Canvas;

static void canvas_init(Canvas *cv, int cols, int rows, bool unicode)
{
    cv->cols = cols;
    cv->rows = rows;
    cv->dx = unicode ? 2 : 1;
    cv->dy = unicode ? 4 : 1;
    size_t n = (size_t)cols * rows;
    cv->dots = ons_calloc(n, 1);
    cv->owner = ons_malloc(n);
    cv->marker = ons_malloc(n);
    cv->light = ons_calloc(n, sizeof(bool));
    memset(cv->owner, -1, n);
    memset(cv->marker, -1, n);
}

static void canvas_free(Canvas *cv)
{
    ons_free(cv->dots);
    ons_free(cv->owner);
    ons_free(cv->marker);
    ons_free(cv->light);
}

/* Sets dot (x, y), y from the top, for series s. */
static void canvas_dot(Canvas *cv, int x, int y, int s, bool light)
{
    if (x < 0 || y < 0 || x >= cv->cols * cv->dx || y >= cv->rows * cv->dy) return;
    size_t cell = (size_t)(y / cv->dy) * cv->cols + (size_t)(x / cv->dx);
    static const uint8_t bits[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
    cv->dots[cell] |= cv->dx == 2 ? bits[y % 4][x % 2] : 1;
    if (!light) { /* a line takes the cell over from a band's filling */
        cv->owner[cell] = (int8_t)s;
        cv->light[cell] = false;
    } else if (cv->owner[cell] < 0) {
        cv->owner[cell] = (int8_t)s;
        cv->light[cell] = true;
    }
}

static void canvas_line(Canvas *cv, int x0, int y0, int x1, int y1, int s)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1, dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1, err = dx + dy;
    for (;;) {
        canvas_dot(cv, x0, y0, s, false);
        if (x0 == x1 && y0 == y1) break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

static int dot_x(const Canvas *cv, uint32_t i, uint32_t n)
{
    int w = cv->cols * cv->dx - 1;
    return n <= 1 ? w / 2 : (int)lround((double)i * w / (double)(n - 1));
}

static int dot_y(const Canvas *cv, const Axis *a, double v)
{
    int h = cv->rows * cv->dy - 1;
    return (int)lround((a->hi - v / a->factor) / (a->hi - a->lo) * h);
}

static void draw_series(Canvas *cv, const Axis *a, const OnsChart *c, uint32_t s, bool mark)
{
    const double *y = c->series[s].y;
    int px = 0, py = 0;
    bool have = false;
    for (uint32_t i = 0; i < c->npoints; i++) {
        if (!isfinite(y[i])) {
            have = false;
            continue;
        }
        int x = dot_x(cv, i, c->npoints), yy = dot_y(cv, a, y[i]);
        if (have) canvas_line(cv, px, py, x, yy, (int)s);
        else canvas_dot(cv, x, yy, (int)s, false);
        if (mark) cv->marker[(size_t)(yy / cv->dy) * cv->cols + (size_t)(x / cv->dx)] = (int8_t)s;
        px = x;
        py = yy;
        have = true;
    }
}

/* The band between series lo and hi, dot column by dot column, every other dot. */
static void draw_band(Canvas *cv, const Axis *a, const OnsChart *c, uint32_t lo, uint32_t hi)
{
    const double *l = c->series[lo].y, *h = c->series[hi].y;
    for (uint32_t i = 0; i + 1 < c->npoints || (c->npoints == 1 && i == 0); i++) {
        uint32_t j = c->npoints == 1 ? i : i + 1;
        if (!isfinite(l[i]) || !isfinite(h[i]) || !isfinite(l[j]) || !isfinite(h[j])) continue;
        int x0 = dot_x(cv, i, c->npoints), x1 = dot_x(cv, j, c->npoints);
        for (int x = x0; x <= x1; x++) {
            double t = x1 > x0 ? (double)(x - x0) / (x1 - x0) : 0;
            int y0 = dot_y(cv, a, l[i] + t * (l[j] - l[i])), y1 = dot_y(cv, a, h[i] + t * (h[j] - h[i]));
            for (int y = y1; y <= y0; y++)
                if (cv->dx == 1 || (x + y) % 2 == 0) canvas_dot(cv, x, y, (int)lo, true);
        }
    }
}

static void put_utf8(OnsOut *out, unsigned cp)
{
    char b[4];
    if (cp < 0x80) {
        out_putc(out, (char)cp);
        return;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        out_write(out, b, 2);
        return;
    }
    b[0] = (char)(0xE0 | (cp >> 12));
    b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F));
    out_write(out, b, 3);
}

/* Columns a UTF-8 string takes (one a character). */
static int text_width(const char *s)
{
    int w = 0;
    for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void colour_on(OnsOut *out, const OnsChartStyle *st, int s)
{
    if (st->colour && s >= 0) out_printf(out, "\x1b[38;5;%dm", ansi_colours[s % PALETTE]);
}

static void colour_off(OnsOut *out, const OnsChartStyle *st, int s)
{
    if (st->colour && s >= 0) out_puts(out, "\x1b[0m");
}

static void put_cell(OnsOut *out, const Canvas *cv, const OnsChartStyle *st, size_t cell, const OnsChart *c)
{
    int s = cv->marker[cell] >= 0 ? cv->marker[cell] : cv->owner[cell];
    colour_on(out, st, s);
    if (cv->marker[cell] >= 0) {
        if (st->unicode) out_puts(out, markers_utf8[cv->marker[cell] % PALETTE]);
        else out_putc(out, markers_ascii[cv->marker[cell] % PALETTE]);
    } else if (!cv->dots[cell]) {
        out_putc(out, ' ');
    } else if (st->unicode) {
        put_utf8(out, 0x2800u + cv->dots[cell]);
    } else if (cv->light[cell]) {
        out_putc(out, ':');
    } else {
        out_putc(out, c->kind == CHART_BAND ? '*' : markers_ascii[s % PALETTE]);
    }
    colour_off(out, st, s);
}

/* The x axis line and the years under it, as many as fit without touching. */
static void text_x_axis(const OnsChart *c, const Canvas *cv, int left, const OnsChartStyle *st, OnsOut *out)
{
    out_printf(out, "%*s", left + 1, "");
    out_puts(out, st->unicode ? "└" : "+");
    for (int i = 0; i < cv->cols; i++) out_puts(out, st->unicode ? "─" : "-");
    out_putc(out, '\n');
    char *line = ons_malloc((size_t)cv->cols + 16);
    memset(line, ' ', (size_t)cv->cols + 15);
    int last_end = -2;
    for (uint32_t i = 0; i < c->npoints; i++) {
        char y[16];
        int len = snprintf(y, sizeof y, "%d", c->years[i]);
        int at = dot_x(cv, i, c->npoints) / cv->dx - len / 2;
        if (at < 0) at = 0;
        if (at + len > cv->cols + 4) at = cv->cols + 4 - len;
        /* the last year always shows: it takes the place of one that would touch it */
        bool last = i + 1 == c->npoints;
        if (at <= last_end + 1 && !last) continue;
        if (at <= last_end + 1 && last) {
            int k = last_end;
            while (k >= 0 && line[k] != ' ') line[k--] = ' ';
        }
        memcpy(line + at, y, (size_t)len);
        last_end = at + len - 1;
    }
    int end = cv->cols + 15;
    while (end > 0 && line[end - 1] == ' ') end--;
    out_printf(out, "%*s", left + 2, "");
    out_write(out, line, (size_t)end);
    out_putc(out, '\n');
    ons_free(line);
}

static void text_legend(const OnsChart *c, const OnsChartStyle *st, OnsOut *out)
{
    out_puts(out, "  ");
    if (c->kind == CHART_BAND) {
        colour_on(out, st, 0);
        out_puts(out, st->unicode ? "⢕⢕" : "::");
        colour_off(out, st, 0);
        out_printf(out, " %s to %s   ", c->series[0].name, c->series[2].name);
        colour_on(out, st, 1);
        out_puts(out, st->unicode ? "──" : "**");
        colour_off(out, st, 1);
        out_printf(out, " %s\n", c->series[1].name);
        return;
    }
    for (uint32_t s = 0; s < c->nseries; s++) {
        colour_on(out, st, (int)s);
        if (c->nseries == 1 && c->npoints > 1) out_puts(out, st->unicode ? "──" : "**");
        else if (st->unicode) out_puts(out, markers_utf8[s % PALETTE]);
        else out_putc(out, markers_ascii[s % PALETTE]);
        colour_off(out, st, (int)s);
        out_printf(out, " %s%s", c->series[s].name, s + 1 < c->nseries ? "   " : "\n");
    }
}

static void text_lines(const OnsChart *c, const OnsChartStyle *st, OnsOut *out)
{
    Axis a;
    axis_for(c, &a);
    int nticks = tick_count(&a), left = 0;
    char label[64];
    for (int k = 0; k < nticks; k++) {
        tick_label(&a, k, label, sizeof label);
        left = text_width(label) > left ? text_width(label) : left;
    }
    int cols = st->width - left - 2;
    if (cols < 16) cols = 16;
    Canvas cv;
    canvas_init(&cv, cols, TEXT_ROWS, st->unicode);
    if (c->kind == CHART_BAND && c->nseries == 3) {
        draw_band(&cv, &a, c, 0, 2);
        draw_series(&cv, &a, c, 1, false);
    } else {
        /* markers tell several lines apart, and make a single point seen */
        for (uint32_t s = 0; s < c->nseries; s++) draw_series(&cv, &a, c, s, c->nseries > 1 || c->npoints == 1);
    }
    /* the row of each tick: the cell row of its dot */
    int *tick_row = ons_malloc(sizeof(int) * (size_t)(nticks + 1));
    for (int k = 0; k < nticks; k++) tick_row[k] = dot_y(&cv, &a, (a.lo + k * a.step) * a.factor) / cv.dy;
    for (int r = 0; r < cv.rows; r++) {
        int k = -1;
        for (int t = 0; t < nticks; t++)
            if (tick_row[t] == r) k = t;
        if (k >= 0) {
            tick_label(&a, k, label, sizeof label);
            out_printf(out, "%*s%s ", left - text_width(label), "", label);
            out_puts(out, st->unicode ? "┤" : "+");
        } else {
            out_printf(out, "%*s ", left, "");
            out_puts(out, st->unicode ? "│" : "|");
        }
        int end = cv.cols; /* no spaces at the end of a line */
        while (end > 0 && !cv.dots[(size_t)r * cv.cols + (size_t)end - 1] && cv.marker[(size_t)r * cv.cols + (size_t)end - 1] < 0)
            end--;
        for (int x = 0; x < end; x++) put_cell(out, &cv, st, (size_t)r * cv.cols + (size_t)x, c);
        out_putc(out, '\n');
    }
    ons_free(tick_row);
    text_x_axis(c, &cv, left, st, out);
    text_legend(c, st, out);
    canvas_free(&cv);
}

/* "2.303 Mt", "38.45 kt": each bar's amount in its own readable unit */
static void bar_value(const OnsChart *c, double v, char *buf, size_t n)
{
    if (!isfinite(v)) snprintf(buf, n, "—");
    else ons_format_quantity(buf, n, v, c->dim, c->percent, 4);
}

static void text_bars(const OnsChart *c, const OnsChartStyle *st, OnsOut *out)
{
    const double *y = c->nseries ? c->series[0].y : NULL;
    int lw = 0, vw = 0, nw = 0;
    double max = 0;
    char value[64];
    for (uint32_t i = 0; i < c->npoints; i++) {
        lw = text_width(c->labels[i]) > lw ? text_width(c->labels[i]) : lw;
        bar_value(c, y[i], value, sizeof value);
        vw = (int)strlen(value) > vw ? (int)strlen(value) : vw;
        if (c->notes && c->notes[i]) nw = text_width(c->notes[i]) > nw ? text_width(c->notes[i]) : nw;
        if (isfinite(y[i])) max = fmax(max, y[i]);
    }
    int bw = st->width - lw - vw - nw - 6;
    if (bw < 10) bw = 10;
    static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    for (uint32_t i = 0; i < c->npoints; i++) {
        double v = isfinite(y[i]) && y[i] > 0 ? y[i] : 0;
        int units = max > 0 ? (int)lround(v / max * bw * 8) : 0;
        out_printf(out, "%s%*s  ", c->labels[i], lw - text_width(c->labels[i]), "");
        int colour = c->first_is_local && i == 0 ? 2 : 0;
        colour_on(out, st, colour);
        for (int k = 0; k < units / 8; k++) out_puts(out, st->unicode ? "█" : "#");
        if (st->unicode) out_puts(out, eighths[units % 8]);
        colour_off(out, st, colour);
        int used = units / 8 + (st->unicode && units % 8 ? 1 : 0);
        bar_value(c, y[i], value, sizeof value);
        out_printf(out, "%*s  %*s%s", bw - used, "", vw, value, c->notes && c->notes[i] && nw ? "  " : "");
        if (c->notes && c->notes[i]) out_printf(out, "%*s", nw, c->notes[i]);
        out_putc(out, '\n');
    }
}

void chart_render_text(const OnsChart *c, const OnsChartStyle *st, OnsOut *out)
{
    if (c->header) out_printf(out, "%s\n", c->header);
    if (c->title) out_printf(out, "%s\n", c->title);
    if (!c->npoints || !c->nseries) {
        out_puts(out, "(nothing to draw)\n");
        return;
    }
    if (c->kind == CHART_BARS) text_bars(c, st, out);
    else text_lines(c, st, out);
}

OnsChartStyle chart_style_for(FILE *f)
{
    OnsChartStyle st = {72, false, false};
    int fd = fileno(f);
    bool tty = fd >= 0 && isatty(fd);
    struct winsize ws;
    if (tty && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 30) st.width = ws.ws_col > 200 ? 200 : ws.ws_col;
    const char *columns = getenv("COLUMNS"); /* as ls and others: the width asked for wins */
    if (columns && atoi(columns) >= 30) st.width = atoi(columns) > 200 ? 200 : atoi(columns);
    const char *term = getenv("TERM");
    bool dumb = term && strcmp(term, "dumb") == 0;
    const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < ONS_ARRAY_LEN(vars); i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v) continue;
        st.unicode = strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") || strstr(v, "utf8");
        break;
    }
    if (dumb) st.unicode = false;
    const char *nc = getenv("NO_COLOR");
    st.colour = tty && !dumb && !(nc && *nc);
    return st;
}

/* ---- SVG ---- */

enum { SVG_W = 720, SVG_H = 420, SVG_LEFT = 88, SVG_RIGHT = 24, SVG_TOP = 70, SVG_BOTTOM = 72 };

static void xml_text(OnsOut *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': out_puts(out, "&amp;"); break;
        case '<': out_puts(out, "&lt;"); break;
        case '>': out_puts(out, "&gt;"); break;
        case '"': out_puts(out, "&quot;"); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t') out_putc(out, *s);
        }
    }
}

static void svg_head(const OnsChart *c, int height, OnsOut *out)
{
    out_printf(out,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
               "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n",
               SVG_W, height, SVG_W, height);
    out_puts(out, "<title>");
    xml_text(out, c->header ? c->header : c->title ? c->title : "chart");
    out_puts(out, "</title>\n");
    out_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", SVG_W, height);
    if (c->header) {
        out_puts(out, "<text x=\"16\" y=\"24\" font-size=\"11\" fill=\"#555555\">");
        xml_text(out, c->header);
        out_puts(out, "</text>\n");
    }
    if (c->title) {
        out_puts(out, "<text x=\"16\" y=\"46\" font-size=\"15\" font-weight=\"bold\" fill=\"#222222\">");
        xml_text(out, c->title);
        out_puts(out, "</text>\n");
    }
}

static double svg_x(const OnsChart *c, uint32_t i)
{
    double w = SVG_W - SVG_LEFT - SVG_RIGHT;
    return c->npoints <= 1 ? SVG_LEFT + w / 2 : SVG_LEFT + w * i / (double)(c->npoints - 1);
}

static double svg_y(const Axis *a, double v)
{
    double h = SVG_H - SVG_TOP - SVG_BOTTOM;
    return SVG_TOP + (a->hi - v / a->factor) / (a->hi - a->lo) * h;
}

static void svg_axes(const OnsChart *c, const Axis *a, OnsOut *out)
{
    char label[64];
    int nticks = tick_count(a);
    out_puts(out, "<g stroke=\"#dddddd\" stroke-width=\"1\">\n");
    for (int k = 0; k < nticks; k++) {
        double y = svg_y(a, (a->lo + k * a->step) * a->factor);
        out_printf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n", SVG_LEFT, y, SVG_W - SVG_RIGHT, y);
    }
    out_puts(out, "</g>\n<g fill=\"#333333\" text-anchor=\"end\">\n");
    for (int k = 0; k < nticks; k++) {
        tick_label(a, k, label, sizeof label);
        out_printf(out, "<text x=\"%d\" y=\"%.1f\">", SVG_LEFT - 8, svg_y(a, (a->lo + k * a->step) * a->factor) + 4);
        xml_text(out, label);
        out_puts(out, "</text>\n");
    }
    out_printf(out, "</g>\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>\n", SVG_LEFT,
               SVG_H - SVG_BOTTOM, SVG_W - SVG_RIGHT, SVG_H - SVG_BOTTOM);
    /* years: every one when they fit, else every kth, the last always */
    uint32_t every = c->npoints > 12 ? (c->npoints + 11) / 12 : 1;
    out_puts(out, "<g fill=\"#333333\" text-anchor=\"middle\">\n");
    for (uint32_t i = 0; i < c->npoints; i++) {
        if (i % every && i + 1 != c->npoints) continue;
        if (i + 1 == c->npoints && i % every && i % every < every / 2 + 1 && i > 0) continue;
        double x = svg_x(c, i);
        out_printf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333333\"/>", x, SVG_H - SVG_BOTTOM,
                   x, SVG_H - SVG_BOTTOM + 5);
        out_printf(out, "<text x=\"%.1f\" y=\"%d\">%d</text>\n", x, SVG_H - SVG_BOTTOM + 20, c->years[i]);
    }
    out_puts(out, "</g>\n");
}

/* A series as polylines, broken where it is undefined. */
static void svg_series(const OnsChart *c, const Axis *a, uint32_t s, const char *colour, bool dots, OnsOut *out)
{
    const double *y = c->series[s].y;
    bool open = false;
    for (uint32_t i = 0; i < c->npoints; i++) {
        if (!isfinite(y[i])) {
            if (open) out_puts(out, "\"/>\n");
            open = false;
            continue;
        }
        if (!open)
            out_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" stroke-linejoin=\"round\" points=\"",
                       colour);
        out_printf(out, "%s%.1f,%.1f", open ? " " : "", svg_x(c, i), svg_y(a, y[i]));
        open = true;
    }
    if (open) out_puts(out, "\"/>\n");
    for (uint32_t i = 0; dots && i < c->npoints; i++)
        if (isfinite(y[i])) out_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n", svg_x(c, i), svg_y(a, y[i]), colour);
}

static void svg_legend_item(OnsOut *out, double x, int y, const char *colour, bool band, const char *name)
{
    if (band)
        out_printf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"22\" height=\"10\" fill=\"%s\" fill-opacity=\"0.25\"/>", x,
                   y - 9, colour);
    else
        out_printf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"/>", x, y - 4,
                   x + 22, y - 4, colour);
    out_printf(out, "<text x=\"%.1f\" y=\"%d\" fill=\"#333333\">", x + 28, y);
    xml_text(out, name);
    out_puts(out, "</text>\n");
}

static void svg_lines(const OnsChart *c, OnsOut *out)
{
    Axis a;
    axis_for(c, &a);
    svg_head(c, SVG_H, out);
    svg_axes(c, &a, out);
    int ly = SVG_H - 24;
    if (c->kind == CHART_BAND && c->nseries == 3) {
        const double *lo = c->series[0].y, *hi = c->series[2].y;
        /* the band: polygons over each run of years where both ends are defined */
        for (uint32_t i = 0; i < c->npoints;) {
            if (!isfinite(lo[i]) || !isfinite(hi[i])) {
                i++;
                continue;
            }
            uint32_t j = i;
            while (j + 1 < c->npoints && isfinite(lo[j + 1]) && isfinite(hi[j + 1])) j++;
            out_printf(out, "<polygon fill=\"%s\" fill-opacity=\"0.25\" stroke=\"none\" points=\"", svg_colours[0]);
            for (uint32_t k = i; k <= j; k++) out_printf(out, "%s%.1f,%.1f", k > i ? " " : "", svg_x(c, k), svg_y(&a, hi[k]));
            for (uint32_t k = j + 1; k-- > i;) out_printf(out, " %.1f,%.1f", svg_x(c, k), svg_y(&a, lo[k]));
            out_puts(out, "\"/>\n");
            i = j + 1;
        }
        svg_series(c, &a, 1, svg_colours[0], c->npoints <= 24, out);
        char band[160];
        snprintf(band, sizeof band, "%s to %s", c->series[0].name, c->series[2].name);
        svg_legend_item(out, SVG_LEFT, ly, svg_colours[0], true, band);
        svg_legend_item(out, SVG_LEFT + 160, ly, svg_colours[0], false, c->series[1].name);
    } else {
        double x = SVG_LEFT;
        for (uint32_t s = 0; s < c->nseries; s++) {
            svg_series(c, &a, s, svg_colours[s % PALETTE], c->npoints <= 24, out);
            svg_legend_item(out, x, ly, svg_colours[s % PALETTE], false, c->series[s].name);
            x += 40 + 7 * text_width(c->series[s].name);
        }
    }
    out_puts(out, "</svg>\n");
}

static void svg_bars(const OnsChart *c, OnsOut *out)
{
    int row = 26, height = SVG_TOP + 20 + row * (int)c->npoints + 20;
    svg_head(c, height, out);
    const double *y = c->series[0].y;
    double max = 0;
    for (uint32_t i = 0; i < c->npoints; i++)
        if (isfinite(y[i])) max = fmax(max, y[i]);
    int lw = 0;
    for (uint32_t i = 0; i < c->npoints; i++) lw = text_width(c->labels[i]) > lw ? text_width(c->labels[i]) : lw;
    double x0 = 24 + 7.5 * lw, bw = SVG_W - x0 - 190;
    char value[64];
    for (uint32_t i = 0; i < c->npoints; i++) {
        int top = SVG_TOP + 10 + row * (int)i;
        double v = isfinite(y[i]) && y[i] > 0 ? y[i] : 0, w = max > 0 ? v / max * bw : 0;
        out_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" fill=\"#333333\">", x0 - 8, top + 14);
        xml_text(out, c->labels[i]);
        out_puts(out, "</text>");
        out_printf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>", x0, top, w,
                   svg_colours[c->first_is_local && i == 0 ? 2 : 0]);
        bar_value(c, y[i], value, sizeof value);
        out_printf(out, "<text x=\"%.1f\" y=\"%d\" fill=\"#333333\">", x0 + w + 8, top + 14);
        xml_text(out, value);
        if (c->notes && c->notes[i]) {
            out_puts(out, "  ");
            xml_text(out, c->notes[i]);
        }
        out_puts(out, "</text>\n");
    }
    out_puts(out, "</svg>\n");
}

void chart_render_svg(const OnsChart *c, OnsOut *out)
{
    if (c->kind == CHART_BARS && c->nseries && c->npoints) svg_bars(c, out);
    else if (c->nseries && c->npoints) svg_lines(c, out);
    else {
        svg_head(c, 120, out);
        out_puts(out, "<text x=\"16\" y=\"90\" fill=\"#555555\">nothing to draw</text>\n</svg>\n");
    }
}
