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
    if (la > 40 || lb > 40) return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

size_t diag_suggest_limit(size_t len) { return len <= 3 ? 1 : len <= 6 ? 2 : 3; }

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
    vsnprintf(buf, sizeof buf, fmt, ap);
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

static const char *severity_name(OnsSeverity s)
{
    switch (s) {
    case ONS_SEV_ERROR: return "error";
    case ONS_SEV_WARNING: return "warning";
    case ONS_SEV_NOTE: return "note";
    }
    return "error";
}

/* Number of UTF-8 characters in s[0..n). */
static uint32_t utf8_chars(const char *s, uint32_t n)
{
    uint32_t c = 0;
    for (uint32_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

void diag_render_excerpt(OnsOut *out, OnsSource *src, OnsSpan span)
{
    uint32_t line, col, len;
    source_locate(src, span.start, &line, &col);
    const char *text = source_line(src, line, &len);
    uint32_t line_off = (uint32_t)(text - src->text);
    char gutter[16];
    int gw = snprintf(gutter, sizeof gutter, "%5u", line);
    out_printf(out, "%s | ", gutter);
    out_write(out, text, len);
    out_putc(out, '\n');
    out_printf(out, "%*s | ", gw, "");
    /* pad with the line's own tabs so the caret lines up */
    uint32_t start = span.start - line_off;
    for (uint32_t i = 0; i < start && i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if ((ch & 0xC0) == 0x80) continue;
        out_putc(out, ch == '\t' ? '\t' : ' ');
    }
    uint32_t end = span.end > span.start ? span.end - line_off : start + 1;
    if (end > len) end = len > start ? len : start + 1; /* clip to this line */
    uint32_t width = end > start ? utf8_chars(text + start, end - start) : 1;
    if (start >= len) width = 1;
    out_putc(out, '^');
    for (uint32_t i = 1; i < width; i++) out_putc(out, '~');
    out_putc(out, '\n');
}

void diag_render(OnsOut *out, const OnsDiag *g)
{
    if (!g->src) {
        out_printf(out, "onshore: %s: %s\n", severity_name(g->sev), g->msg);
        return;
    }
    uint32_t line, col;
    source_locate(g->src, g->span.start, &line, &col);
    out_printf(out, "%s:%u:%u: %s: %s\n", g->src->name, line, col, severity_name(g->sev), g->msg);
    diag_render_excerpt(out, g->src, g->span);
}

void diags_render(OnsOut *out, const OnsDiags *d)
{
    for (size_t i = 0; i < d->len; i++) diag_render(out, &d->items[i]);
    if (d->too_many)
        out_printf(out, "onshore: error: too many errors (%d); stopping here\n", ONS_MAX_ERRORS);
}
