/* Watching what a cached computation reads (watch.h): the read log, the
 * `watched` marks, and the version that moves when a watched thing is
 * written. */
#include "watch.h"
#include "mem.h"

#include <stdlib.h>

void vm_watch_begin(OnsVM *vm, OnsWatch *w)
{
    w->log_start = vm->nread_log;
    w->outer_stamp = vm->watch_stamp;
    w->outer_volatile = vm->watch_volatile;
    vm->watching++;
    /* a stamp never used before, so this computation logs every global it
     * reads even when an enclosing or earlier one already did */
    if (++vm->watch_serial == 0) vm->watch_serial = 1; /* 0 is "never logged" */
    vm->watch_stamp = vm->watch_serial;
    vm->watch_volatile = false;
}

static int cmp_slot(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

bool vm_watch_end(OnsVM *vm, OnsWatch *w, uint32_t **slots, uint32_t *n)
{
    size_t count = vm->nread_log - w->log_start;
    uint32_t *s = ons_malloc((count + 1) * sizeof *s);
    for (size_t i = 0; i < count; i++) s[i] = vm->read_log[w->log_start + i];
    qsort(s, count, sizeof *s, cmp_slot);
    size_t u = 0;
    for (size_t i = 0; i < count; i++)
        if (u == 0 || s[u - 1] != s[i]) s[u++] = s[i];
    *slots = s;
    *n = (uint32_t)u;
    bool cacheable = !vm->watch_volatile;
    vm->watching--;
    /* what this one read, an enclosing one read too */
    vm->watch_volatile = w->outer_volatile || vm->watch_volatile;
    vm->watch_stamp = w->outer_stamp;
    if (!vm->watching) {
        vm->nread_log = 0;
        vm->watch_volatile = false;
    }
    return cacheable;
}

void vm_watch_changed(OnsVM *vm)
{
    vm->inputs_version++;
    /* a computation that writes what it reads gives another answer each time */
    if (vm->watching) vm->watch_volatile = true;
}

void vm_watch_global_read(OnsVM *vm, uint32_t g)
{
    OnsGlobal *gl = &vm->globals[g];
    gl->watch_stamp = vm->watch_stamp;
    gl->watched = true;
    ONS_GROW(vm->read_log, vm->read_log_cap, vm->nread_log + 1);
    vm->read_log[vm->nread_log++] = g;
    vm_watch_value(vm, vm->gvals[g]);
}

void vm_watch_upvalue_read(OnsVM *vm, OnsUpvalue *up)
{
    /* an open upvalue is a register of a running function, written by
     * plain moves that no hook sees */
    if (up->loc != &up->closed) vm->watch_volatile = true;
    up->obj.watched = true;
    vm_watch_value(vm, *up->loc);
}

/* Marks v and what it reaches, without recursion (lists may nest deeply);
 * an object already marked has everything below it marked (stores into a
 * watched container watch what they insert), so the walk stops there. */
void vm_watch_value(OnsVM *vm, OnsValue v)
{
    (void)vm;
    if (v.type != ONS_T_OBJ || v.as.obj->watched) return;
    OnsObj **stack = NULL;
    size_t n = 0, cap = 0;
    ONS_GROW(stack, cap, 1);
    stack[n++] = v.as.obj;
    v.as.obj->watched = true;
#define PUSH_VALUE(val)                                                     \
    do {                                                                    \
        OnsValue pv_ = (val);                                               \
        if (pv_.type == ONS_T_OBJ && !pv_.as.obj->watched) {                \
            pv_.as.obj->watched = true;                                     \
            ONS_GROW(stack, cap, n + 1);                                    \
            stack[n++] = pv_.as.obj;                                        \
        }                                                                   \
    } while (0)
    while (n) {
        OnsObj *o = stack[--n];
        switch ((OnsObjType)o->type) {
        case ONS_OBJ_LIST: {
            OnsList *l = (OnsList *)o;
            for (uint32_t i = 0; i < l->len; i++) PUSH_VALUE(l->items[i]);
            break;
        }
        case ONS_OBJ_MAP: {
            OnsMap *m = (OnsMap *)o;
            for (uint32_t i = 0; i < m->len; i++) {
                PUSH_VALUE(m->entries[i].key);
                PUSH_VALUE(m->entries[i].value);
            }
            break;
        }
        case ONS_OBJ_CLOSURE: {
            OnsClosure *c = (OnsClosure *)o;
            for (uint16_t i = 0; i < c->nupvals; i++) {
                OnsUpvalue *up = c->up[i];
                if (!up) continue;
                up->obj.watched = true;
                PUSH_VALUE(*up->loc);
            }
            break;
        }
        default: /* strings, series, natives, protos and runs do not change */
            break;
        }
    }
#undef PUSH_VALUE
    ons_free(stack);
}
