/* Allocation wrappers: every heap allocation of the interpreter goes through
 * here so that out-of-memory has one policy (message, exit status 2). */
#define _DEFAULT_SOURCE /* madvise */
#include "mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

_Noreturn void ons_out_of_memory(size_t size)
{
    fprintf(stderr, "onshore: out of memory (asked for %zu bytes)\n", size);
    exit(2);
}

void *ons_malloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) ons_out_of_memory(size);
    return p;
}

void *ons_calloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) ons_out_of_memory(count * size);
    return p;
}

void *ons_realloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p) ons_out_of_memory(size);
    return p;
}

void ons_free(void *ptr) { free(ptr); }

char *ons_strndup(const char *s, size_t len)
{
    char *p = ons_malloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *ons_strdup(const char *s) { return ons_strndup(s, strlen(s)); }

void ons_grow(void **items, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap) return;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > ((size_t)-1) / 2 / elem_size) ons_out_of_memory(need * elem_size);
        n *= 2;
    }
    *items = ons_realloc(*items, n * elem_size);
    *cap = n;
}

void ons_advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    enum { HUGE = 2 * 1024 * 1024 };
    uintptr_t start = ((uintptr_t)p + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
    uintptr_t end = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE - 1);
    if (end > start) madvise((void *)start, end - start, MADV_HUGEPAGE); /* a hint: it may not be taken */
#else
    (void)p, (void)n;
#endif
}
