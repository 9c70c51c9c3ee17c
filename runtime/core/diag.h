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

/* "Did you mean": the one way every message picks the candidate closest to
 * a misspelt word.  Distance is optimal string alignment (an insertion,
 * deletion, substitution or swap of two neighbours costs 1); a candidate is
 * close enough within 1 edit for a word of up to 3 bytes, 2 up to 6 and 3
 * beyond; the nearest wins, ties to the first offered.  Offer candidates one
 * by one (diag_closest_offer) or pass an array (diag_closest). */
typedef struct OnsClosest {
    const char *word;
    size_t len;
    const char *best;    /* NULL while no candidate is close */
    size_t best_len, best_d;
} OnsClosest;

void diag_closest_init(OnsClosest *c, const char *word, size_t len);
void diag_closest_offer(OnsClosest *c, const char *cand, size_t len);
const char *diag_closest(const char *word, const char *const *cands, size_t n);
/* The distance itself (99 for words over 40 bytes). */
size_t diag_name_distance(const char *a, size_t la, const char *b, size_t lb);

#endif
