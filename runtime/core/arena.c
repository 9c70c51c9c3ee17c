/* Bump allocation in chunks of at least 64 KiB; oversized requests get a
 * block of their own.  Memory is returned only by arena_free. */
#include "arena.h"
#include "mem.h"

#include <string.h>

struct OnsArenaBlock {
    OnsArenaBlock *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

/* Big blocks come from calloc as fresh zero pages (mmap), so allocation
 * needs no memset of its own. */
enum { ARENA_BLOCK = 1024 * 1024 };

void arena_init(OnsArena *a) { arena_init_sized(a, ARENA_BLOCK); }

void arena_init_sized(OnsArena *a, size_t block)
{
    a->head = NULL;
    a->used_total = 0;
    a->block = block ? block : ARENA_BLOCK;
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
}

void *arena_alloc(OnsArena *a, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    OnsArenaBlock *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > a->block ? size : a->block;
        b = ons_calloc(1, sizeof(OnsArenaBlock) + cap);
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

char *arena_strndup(OnsArena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
