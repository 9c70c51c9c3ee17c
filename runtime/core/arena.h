/* A bump allocator.  The front end puts tokens' text and the whole AST of one
 * compilation here and frees it in one call, so error recovery cannot leak. */
#ifndef ONS_RUNTIME_ARENA_H
#define ONS_RUNTIME_ARENA_H

#include <stddef.h>

typedef struct OnsArenaBlock OnsArenaBlock;
typedef struct OnsArena {
    OnsArenaBlock *head;
    size_t used_total;
    size_t block;        /* the largest size of a new block (a larger request gets its own) */
    size_t next;         /* the size of the next block: 64 KiB, doubling up to block */
} OnsArena;

void arena_init(OnsArena *a);
/* An arena whose blocks grow to `block` bytes (arena_init: 4 MiB, for a compile). */
void arena_init_sized(OnsArena *a, size_t block);
void arena_free(OnsArena *a);
void *arena_alloc(OnsArena *a, size_t size);   /* zeroed, 8-byte aligned */
char *arena_strndup(OnsArena *a, const char *s, size_t len);

/* Under AddressSanitizer, marks n bytes of an allocation as not to be read
 * or written (until arena_free); elsewhere nothing.  ARENA_POISONS says
 * which, so a caller can allocate more only when it will be checked. */
void arena_poison(void *p, size_t n);
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_POISONS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_POISONS 1
#endif
#endif
#ifndef ARENA_POISONS
#define ARENA_POISONS 0
#endif

#endif
