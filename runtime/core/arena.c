/* Bump allocation in blocks of 64 KiB doubling to the arena's block size;
 * oversized requests get a block of their own.  Memory is returned only by
 * arena_free. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "arena.h"
#include "mem.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#if ARENA_POISONS
#include <sanitizer/asan_interface.h>
#endif

struct OnsArenaBlock {
    OnsArenaBlock *next;
    size_t size, used;
    void *map;           /* the mapping the block is in (munmap), NULL when malloc'd */
    size_t map_len;
    _Alignas(16) unsigned char data[];
};

/* Blocks come from malloc, unzeroed: each allocation is zeroed as it is
 * handed out, so a small compile touches (and clears) only what it uses.
 * calloc of a 1 MiB block cleared it all: once glibc has seen such a block
 * freed it serves the next from the heap, not fresh zero pages, and the
 * memset was a sixth of `import battery`'s time (issue 19).  Blocks start
 * at 64 KiB and double up to the arena's block size. */
enum { ARENA_BLOCK = 4 * 1024 * 1024, ARENA_FIRST = 64 * 1024, HUGE_PAGE = 2 * 1024 * 1024 };

/* A block of 2 MiB or more is mapped on its own, aligned to 2 MiB, and asks
 * for transparent huge pages: a large compile's tree is tens of MB touched
 * once, and on a virtual machine each 4 KiB page fault cost more than the
 * parsing that filled the page (half of `onshore check` of a 4 MB file was
 * the kernel; with huge pages a sixth as many faults).  NULL when the
 * system cannot (then malloc serves). */
static OnsArenaBlock *map_block(size_t bytes)
{
#if defined(MAP_ANONYMOUS)
    size_t len = bytes + HUGE_PAGE;
    void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) return NULL;
    uintptr_t start = ((uintptr_t)map + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    ons_advise_huge((void *)start, bytes);
    OnsArenaBlock *b = (OnsArenaBlock *)start;
    b->map = map;
    b->map_len = len;
    return b;
#else
    (void)bytes;
    return NULL;
#endif
}

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
#if ARENA_POISONS
        ASAN_UNPOISON_MEMORY_REGION(b->data, b->size);
#endif
        if (b->map) munmap(b->map, b->map_len);
        else ons_free(b);
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
        /* a block and its header fill a->next bytes: whole huge pages */
        size_t cap = size > a->next - sizeof(OnsArenaBlock) ? size : a->next - sizeof(OnsArenaBlock);
        if (a->next < a->block) a->next = a->next * 2 < a->block ? a->next * 2 : a->block;
        b = sizeof(OnsArenaBlock) + cap >= HUGE_PAGE ? map_block(sizeof(OnsArenaBlock) + cap) : NULL;
        if (!b) {
            b = ons_malloc(sizeof(OnsArenaBlock) + cap);
            b->map = NULL;
        }
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

void arena_poison(void *p, size_t n)
{
#if ARENA_POISONS
    ASAN_POISON_MEMORY_REGION(p, n);
#else
    (void)p, (void)n;
#endif
}
