/* The one allocation choke point.  Running out of memory is the single
 * condition Onshore does not unwind from: it prints a message and exits. */
#ifndef ONS_RUNTIME_MEM_H
#define ONS_RUNTIME_MEM_H

#include <stddef.h>

void *ons_malloc(size_t size);
void *ons_calloc(size_t count, size_t size);
void *ons_realloc(void *ptr, size_t size);
void ons_free(void *ptr);
char *ons_strndup(const char *s, size_t len);
char *ons_strdup(const char *s);
/* Says that size bytes could not be had, and exits (status 2). */
_Noreturn void ons_out_of_memory(size_t size);

/* Asks for huge pages for the whole 2 MiB pages inside [p, p + n), a large
 * array about to be filled: on a virtual machine a page fault costs more
 * than filling the 4 KiB it brings (see arena.c). */
void ons_advise_huge(void *p, size_t n);

/* Grows *items (of *cap elements of elem_size bytes) to hold at least need. */
void ons_grow(void **items, size_t *cap, size_t need, size_t elem_size);
#define ONS_GROW(arr, cap, need) ons_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
