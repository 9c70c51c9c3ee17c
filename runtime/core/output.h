/* Output sinks.  Everything the interpreter prints (program output, reports,
 * diagnostics) goes through an OnsOut, so tests can capture it in memory. */
#ifndef ONS_RUNTIME_OUTPUT_H
#define ONS_RUNTIME_OUTPUT_H

#include "common.h"

#include <stdarg.h>
#include <stdio.h>

typedef struct OnsOut {
    FILE *file;     /* when non-NULL, text goes straight to it */
    char *buf;      /* otherwise text accumulates here, NUL-terminated */
    size_t len, cap;
    bool colour;    /* a colour terminal: diagnostics may use ANSI colours */
} OnsOut;

void out_init_file(OnsOut *o, FILE *f);
void out_init_buffer(OnsOut *o);
void out_free(OnsOut *o);
void out_reset(OnsOut *o);            /* empties a buffer sink */
void out_write(OnsOut *o, const char *s, size_t n);
void out_puts(OnsOut *o, const char *s);
void out_putc(OnsOut *o, char c);
void out_printf(OnsOut *o, const char *fmt, ...) ONS_PRINTF(2, 3);
void out_vprintf(OnsOut *o, const char *fmt, va_list ap);
void out_flush(OnsOut *o);
/* Takes the buffer of a buffer sink; the caller frees it; the sink is reset. */
char *out_take(OnsOut *o, size_t *len);

#endif
