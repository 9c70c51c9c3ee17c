/* Diagnostics: errors, warnings and notes located in source, rendered as
 *   file:line:col: error: message
 *      12 |     capacity: 40 kt/yr + 2 GWh/yr
 *         |                          ^~~~~~~~
 * Both the front end and the runtime report through this module. */
#ifndef ONS_RUNTIME_DIAG_H
#define ONS_RUNTIME_DIAG_H

#include "common.h"
#include "output.h"
#include "source.h"

typedef enum OnsSeverity { ONS_SEV_ERROR, ONS_SEV_WARNING, ONS_SEV_NOTE } OnsSeverity;

typedef struct OnsDiag {
    OnsSeverity sev;
    OnsSource *src;  /* NULL for a diagnostic with no location */
    OnsSpan span;
    char *msg;
} OnsDiag;

/* The most errors one compilation reports before it stops (docs/limits.md). */
#define ONS_MAX_ERRORS 20

typedef struct OnsDiags {
    OnsDiag *items;
    size_t len, cap;
    int errors, warnings;
    bool incomplete;   /* input ended inside an open construct (REPL reads on) */
    bool too_many;     /* ONS_MAX_ERRORS reached; later errors were dropped */
} OnsDiags;

void diags_init(OnsDiags *d);
void diags_free(OnsDiags *d);
void diags_clear(OnsDiags *d);
void diag_add(OnsDiags *d, OnsSeverity sev, OnsSource *src, OnsSpan span,
              const char *fmt, ...) ONS_PRINTF(5, 6);
/* vsnprintf into buf[n]; a message too long for it ends in "..." on a whole character. */
void diag_vformat(char *buf, size_t n, const char *fmt, va_list ap);
void diag_vadd(OnsDiags *d, OnsSeverity sev, OnsSource *src, OnsSpan span,
               const char *fmt, va_list ap);
/* True once no more errors will be recorded. */
bool diags_full(const OnsDiags *d);

void diag_render(OnsOut *out, const OnsDiag *diag);
void diags_render(OnsOut *out, const OnsDiags *d);
/* Renders just the quoted line and caret underline for a span. */
void diag_render_excerpt(OnsOut *out, OnsSource *src, OnsSpan span);

/* "Did you mean": the edit distance of two names (insertions, deletions,
 * substitutions; 99 for names over 40 bytes) and the largest distance at
 * which a candidate is worth suggesting for a name of length len. */
size_t diag_name_distance(const char *a, size_t la, const char *b, size_t lb);
size_t diag_suggest_limit(size_t len);

#endif
