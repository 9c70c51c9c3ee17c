/* Collecting and rendering diagnostics. */
#include "diag.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void diags_init(OnsDiags *d) { memset(d, 0, sizeof *d); }

void diags_clear(OnsDiags *d)
{
    for (size_t i = 0; i < d->len; i++) ons_free(d->items[i].msg);
    d->len = 0;
    d->errors = d->warnings = 0;
    d->incomplete = false;
    d->too_many = false;
}

void diags_free(OnsDiags *d)
{
    diags_clear(d);
    ons_free(d->items);
    memset(d, 0, sizeof *d);
}

bool diags_full(const OnsDiags *d) { return d->errors >= ONS_MAX_ERRORS; }

size_t diag_name_distance(const char *a, size_t la, const char *b, size_t lb)
{
    enum { MAXLEN = 40 };
    if (la > MAXLEN || lb > MAXLEN) return 99;
    size_t d[MAXLEN + 1][MAXLEN + 1];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1; /* two neighbours swapped */
            d[i][j] = best;
        }
    return d[la][lb];
}

void diag_closest_init(OnsClosest *c, const char *word, size_t len)
{
    c->word = word;
    c->len = len;
    c->best = NULL;
    c->best_len = 0;
    c->best_d = (len <= 3 ? 1 : len <= 6 ? 2 : 3) + 1;
}

void diag_closest_offer(OnsClosest *c, const char *cand, size_t len)
{
    size_t d = diag_name_distance(c->word, c->len, cand, len);
    if (d < c->best_d) {
        c->best = cand;
        c->best_len = len;
        c->best_d = d;
    }
}

const char *diag_closest(const char *word, const char *const *cands, size_t n)
{
    OnsClosest c;
    diag_closest_init(&c, word, strlen(word));
    for (size_t i = 0; i < n; i++)
        if (cands[i]) diag_closest_offer(&c, cands[i], strlen(cands[i]));
    return c.best;
}

void diag_vformat(char *buf, size_t n, const char *fmt, va_list ap)
{
    int len = vsnprintf(buf, n, fmt, ap);
    if (len < 0 || (size_t)len < n || n < 8) return;
    /* clipped (a name of a million letters): end on a whole character and say so */
    size_t at = n - 4;
    while (at > 0 && ((unsigned char)buf[at] & 0xC0) == 0x80) at--;
    memcpy(buf + at, "...", 4);
}

void diag_vadd(OnsDiags *d, OnsSeverity sev, OnsSource *src, OnsSpan span,
               const char *fmt, va_list ap)
{
    if (sev == ONS_SEV_ERROR && diags_full(d)) {
        d->too_many = true;
        return;
    }
    /* a note belongs to the error before it: drop it if that was dropped */
    if (sev == ONS_SEV_NOTE && d->too_many) return;
    char buf[1024];
    diag_vformat(buf, sizeof buf, fmt, ap);
    ONS_GROW(d->items, d->cap, d->len + 1);
    OnsDiag *g = &d->items[d->len++];
    g->sev = sev;
    g->src = src;
    g->span = span;
    g->msg = ons_strdup(buf);
    if (sev == ONS_SEV_ERROR) d->errors++;
    if (sev == ONS_SEV_WARNING) d->warnings++;
}

void diag_add(OnsDiags *d, OnsSeverity sev, OnsSource *src, OnsSpan span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, sev, src, span, fmt, ap);
    va_end(ap);
}

/* GCC's colours: the place in bold, the severity in its colour, the caret
 * in green; only when the sink is a colour terminal (main decides). */
#define BOLD "\033[1m"
#define RESET "\033[0m"
static const char *severity_colour(OnsSeverity s)
{
    switch (s) {
    case ONS_SEV_ERROR: return "\033[1;31m";
    case ONS_SEV_WARNING: return "\033[1;35m";
    case ONS_SEV_NOTE: return "\033[1;36m";
    }
    return "\033[1;31m";
}

static const char *severity_name(OnsSeverity s)
{
    switch (s) {
    case ONS_SEV_ERROR: return "error";
    case ONS_SEV_WARNING: return "warning";
    case ONS_SEV_NOTE: return "note";
    }
    return "error";
}

/* A quoted line longer than this is clipped to a window around the caret,
 * so an error on a 10 MB line prints a readable excerpt. */
#define EXCERPT_WIDTH 160
#define EXCERPT_BEFORE 80

/* Length of the valid UTF-8 character at s[0..n), or 0 when there is none. */
static uint32_t utf8_char_len(const unsigned char *s, uint32_t n)
{
    uint32_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || len > n || (len == 2 && s[0] < 0xC2)) return 0;
    for (uint32_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    /* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
    if (len == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))) return 0;
    if (len == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || s[0] > 0xF4 || (s[0] == 0xF4 && s[1] >= 0x90))) return 0;
    return len;
}

typedef enum { SHOW_TEXT, SHOW_PADDING, SHOW_COUNT } ShowMode;

/* Shows text[from..to) one column a character: a character as itself (a tab
 * as a tab), a control or invalid byte as '?' so nothing raw reaches the
 * terminal.  SHOW_PADDING writes blanks (and the same tabs) instead, so a
 * caret lines up; SHOW_COUNT writes nothing.  Returns the columns. */
static uint32_t show(OnsOut *out, const char *text, uint32_t from, uint32_t to, ShowMode mode)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t cols = 0;
    for (uint32_t i = from; i < to; cols++) {
        uint32_t n = utf8_char_len(s + i, to - i);
        bool shown = n > 0 && (s[i] >= 0x20 || s[i] == '\t') && s[i] != 0x7F;
        if (mode == SHOW_TEXT) {
            if (shown) out_write(out, text + i, n);
            else out_putc(out, '?');
        } else if (mode == SHOW_PADDING) {
            out_putc(out, s[i] == '\t' ? '\t' : ' ');
        }
        i += n ? n : 1;
    }
    return cols;
}

/* Moves an offset forward to the start of a character. */
static uint32_t char_start(const char *text, uint32_t at, uint32_t len)
{
    while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80) at++;
    return at;
}

void diag_render_excerpt(OnsOut *out, OnsSource *src, OnsSpan span)
{
    uint32_t line, col, len;
    source_locate(src, span.start, &line, &col);
    const char *text = source_line(src, line, &len);
    uint32_t line_off = (uint32_t)(text - src->text);
    uint32_t start = span.start - line_off;
    if (start > len) start = len;
    uint32_t end = span.end > span.start ? span.end - line_off : start + 1;
    if (end > len) end = len; /* clip to this line */
    uint32_t from = 0, to = len;
    if (len > EXCERPT_WIDTH) {
        from = char_start(text, start > EXCERPT_BEFORE ? start - EXCERPT_BEFORE : 0, len);
        if (from > start) from = start;
        to = char_start(text, from + EXCERPT_WIDTH < len ? from + EXCERPT_WIDTH : len, len);
        if (end > to) end = to;
    }
    char gutter[16];
    int gw = snprintf(gutter, sizeof gutter, "%5u", line);
    out_printf(out, "%s | %s", gutter, from > 0 ? "..." : "");
    show(out, text, from, to, SHOW_TEXT);
    out_printf(out, "%s\n", to < len ? "..." : "");
    out_printf(out, "%*s | %s", gw, "", from > 0 ? "   " : "");
    show(out, text, from, start, SHOW_PADDING);
    uint32_t width = end > start ? show(out, text, start, end, SHOW_COUNT) : 1;
    if (out->colour) out_puts(out, "\033[1;32m");
    out_putc(out, '^');
    for (uint32_t i = 1; i < width; i++) out_putc(out, '~');
    if (out->colour) out_puts(out, RESET);
    out_putc(out, '\n');
}

void diag_render(OnsOut *out, const OnsDiag *g)
{
    const char *b = out->colour ? BOLD : "", *c = out->colour ? severity_colour(g->sev) : "",
               *r = out->colour ? RESET : "";
    if (!g->src) {
        out_printf(out, "%sonshore:%s %s%s:%s %s\n", b, r, c, severity_name(g->sev), r, g->msg);
        return;
    }
    uint32_t line, col;
    source_locate_display(g->src, g->span.start, &line, &col);
    out_printf(out, "%s%s:%u:%u:%s %s%s:%s %s\n", b, g->src->name, line, col, r, c, severity_name(g->sev), r, g->msg);
    diag_render_excerpt(out, g->src, g->span);
}

void diags_render(OnsOut *out, const OnsDiags *d)
{
    for (size_t i = 0; i < d->len; i++) diag_render(out, &d->items[i]);
    if (d->too_many)
        out_printf(out, "onshore: error: too many errors (%d); stopping here\n", ONS_MAX_ERRORS);
}
