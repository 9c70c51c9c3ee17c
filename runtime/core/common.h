/* Onshore — definitions every file of the interpreter shares: status codes,
 * attribute macros and the fixed-size types of spans.  Kept tiny on purpose:
 * anything heavier belongs in the header of the module that owns it. */
#ifndef ONS_RUNTIME_COMMON_H
#define ONS_RUNTIME_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ONS_VERSION "0.1.0"

/* Every fallible operation returns one of these and fills an error record
 * owned by its context (diagnostics list or VM).  Nothing below main() exits. */
typedef enum OnsStatus {
    ONS_OK = 0,
    ONS_ERR_COMPILE,   /* syntax or static error: diagnostics were reported */
    ONS_ERR_RUNTIME,   /* runtime error or failed assert: vm->error is set */
    ONS_ERR_IO,        /* a file could not be read or written */
    ONS_ERR_INTERRUPT  /* Ctrl-C or step budget */
} OnsStatus;

#define ONS_TRY(expr)                                                          \
    do {                                                                       \
        OnsStatus ons_try_status_ = (expr);                                    \
        if (ons_try_status_ != ONS_OK) return ons_try_status_;                 \
    } while (0)

#if defined(__GNUC__)
#define ONS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define ONS_NORETURN __attribute__((noreturn))
#define ONS_LIKELY(x) __builtin_expect(!!(x), 1)
#define ONS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define ONS_PRINTF(fmt, args)
#define ONS_NORETURN
#define ONS_LIKELY(x) (x)
#define ONS_UNLIKELY(x) (x)
#endif

#define ONS_UNUSED(x) ((void)(x))
#define ONS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A region of source text as byte offsets [start, end) into one OnsSource.
 * Line and column are computed only when a diagnostic is printed. */
typedef struct OnsSpan {
    uint32_t start, end;
} OnsSpan;

#endif
