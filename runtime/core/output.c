/* OnsOut: a FILE* or a growable memory buffer behind one interface. */
#include "output.h"
#include "mem.h"

#include <string.h>

void out_init_file(OnsOut *o, FILE *f)
{
    memset(o, 0, sizeof *o);
    o->file = f;
}

void out_init_buffer(OnsOut *o)
{
    memset(o, 0, sizeof *o);
    ONS_GROW(o->buf, o->cap, 64);
    o->buf[0] = '\0';
}

void out_free(OnsOut *o)
{
    ons_free(o->buf);
    memset(o, 0, sizeof *o);
}

void out_reset(OnsOut *o)
{
    o->len = 0;
    if (o->buf) o->buf[0] = '\0';
}

void out_write(OnsOut *o, const char *s, size_t n)
{
    if (o->file) {
        fwrite(s, 1, n, o->file);
        return;
    }
    ONS_GROW(o->buf, o->cap, o->len + n + 1);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

void out_puts(OnsOut *o, const char *s) { out_write(o, s, strlen(s)); }

void out_putc(OnsOut *o, char c) { out_write(o, &c, 1); }

void out_vprintf(OnsOut *o, const char *fmt, va_list ap)
{
    if (o->file) {
        vfprintf(o->file, fmt, ap);
        return;
    }
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    ONS_GROW(o->buf, o->cap, o->len + (size_t)n + 1);
    vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
    o->len += (size_t)n;
}

void out_printf(OnsOut *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    out_vprintf(o, fmt, ap);
    va_end(ap);
}

void out_flush(OnsOut *o)
{
    if (o->file) fflush(o->file);
}

char *out_take(OnsOut *o, size_t *len)
{
    char *b = o->buf;
    if (len) *len = o->len;
    o->buf = NULL;
    o->len = o->cap = 0;
    out_init_buffer(o);
    return b;
}
