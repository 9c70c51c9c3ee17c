/* What a cached computation read, so its cache is never stale.
 *
 * A run of a scenario reads declarations (the model's generation says when
 * they change) and, through the code of its properties, globals, upvalues
 * and the lists and maps they hold.  While a computation is watched
 * (vm_watch_begin .. vm_watch_end), every global it reads is logged and
 * every value it reads is marked `watched`, with everything reachable from
 * it.  A later write to a watched global, upvalue or container moves
 * vm->inputs_version; a cache keyed on (generation, inputs_version) is then
 * stale.  What no write can be seen to change (a local captured while its
 * function runs, random(), a write made by the computation itself) makes
 * the computation volatile: never cached.  docs/internals.md has the why. */
#ifndef ONS_RUNTIME_WATCH_H
#define ONS_RUNTIME_WATCH_H

#include "vm.h"

typedef struct OnsWatch {
    size_t log_start;      /* where this computation's reads begin in vm->read_log */
    uint32_t outer_stamp;
    bool outer_volatile;
} OnsWatch;

void vm_watch_begin(OnsVM *vm, OnsWatch *w);
/* Ends a watch.  Returns true when the result may be cached; *slots and *n
 * are the globals it read (each slot once, ascending), owned by the caller. */
bool vm_watch_end(OnsVM *vm, OnsWatch *w, uint32_t **slots, uint32_t *n);

/* Marks v and everything reachable from it as read by a watched computation. */
void vm_watch_value(OnsVM *vm, OnsValue v);

/* The slow paths of the VM's hooks below. */
void vm_watch_global_read(OnsVM *vm, uint32_t g);
void vm_watch_upvalue_read(OnsVM *vm, OnsUpvalue *up);
void vm_watch_changed(OnsVM *vm);

/* A global read: cheap unless a computation is watched. */
static inline void vm_note_global_read(OnsVM *vm, uint32_t g)
{
    if (ONS_UNLIKELY(vm->watching) && vm->globals[g].watch_stamp != vm->watch_stamp) vm_watch_global_read(vm, g);
}
/* The same value, bit for bit (storing it again changes nothing). */
static inline bool vm_same_value(OnsValue a, OnsValue b)
{
    return a.hdr == b.hdr && a.as.obj == b.as.obj;
}
static inline void vm_note_global_write(OnsVM *vm, uint32_t g, OnsValue v)
{
    if (ONS_UNLIKELY(vm->globals[g].watched) && !vm_same_value(vm->gvals[g], v)) vm_watch_changed(vm);
}
/* A store into a list, a map or an upvalue, replacing `old` (undef when it
 * adds): `inserted` becomes reachable from it, so it is watched when the
 * container is. */
static inline void vm_note_store(OnsVM *vm, OnsObj *into, OnsValue old, OnsValue inserted)
{
    if (ONS_UNLIKELY(into->watched) && !vm_same_value(old, inserted)) {
        vm_watch_changed(vm);
        vm_watch_value(vm, inserted);
    }
}

#endif
