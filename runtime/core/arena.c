/* Bump allocation in blocks of 64 KiB doubling to the arena's block size;
 * oversized requests get a block of their own.  Memory is returned only by
 * arena_free. */
#include "arena.h"
#include "mem.h"

#include <string.h>

struct OnsArenaBlock {
    OnsArenaBlock *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

/* Blocks come from malloc, unzeroed: each allocation is zeroed as it is
 * handed out, so a small compile touches (and clears) only what it uses.
 * calloc of a 1 MiB block cleared it all: once glibc has seen such a block
 * freed it serves the next from the heap, not fresh zero pages, and the
 * memset was a sixth of `import battery`'s time (issue 19).  Blocks start
 * at 64 KiB and double up to the arena's block size. */
enum { ARENA_BLOCK = 1024 * 1024, ARENA_FIRST = 64 * 1024 };

void arena_init(OnsArena *a) { arena_init_sized(a, ARENA_BLOCK); }

void arena_init_sized(OnsArena *a, size_t block)
{
    a->head = NULL;
    a->used_total = 0;
    a->block = block ? block : ARENA_BLOCK;
    a->next = a->block < ARENA_FIRST ? a->block : ARENA_FIRST;
}

void arena_free(OnsArena *a)
{
    OnsArenaBlock *b = a->head;
    while (b) {
        OnsArenaBlock *next = b->next;
        ons_free(b);
        b = next;
    }
    a->head = NULL;
    a->used_total = 0;
    a->next = a->block < ARENA_FIRST ? a->block : ARENA_FIRST;
}

/* size bytes (a multiple of 8), not zeroed */
static void *take(OnsArena *a, size_t size)
{
    OnsArenaBlock *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > a->next ? size : a->next;
        if (a->next < a->block) a->next = a->next * 2 < a->block ? a->next * 2 : a->block;
        b = ons_malloc(sizeof(OnsArenaBlock) + cap);
        b->size = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    a->used_total += size;
    return p;
}

void *arena_alloc(OnsArena *a, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    void *p = take(a, size);
    memset(p, 0, size);
    return p;
}

char *arena_strndup(OnsArena *a, const char *s, size_t len)
{
    char *p = take(a, (len + 1 + 7) & ~(size_t)7);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
