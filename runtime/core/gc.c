/* Mark and sweep (the clox design).  Objects are marked gray onto a work
 * list, then blackened by marking what they reference; the interned-string
 * table is weak; everything left white is freed. */
#include "gc.h"
#include "mem.h"

#include <string.h>

enum { GC_MIN_HEAP = 1 << 20 };

OnsObj *gc_alloc_object(OnsVM *vm, size_t size, OnsObjType type)
{
#ifdef ONS_STRESS_GC
    gc_collect(vm);
#else
    if (vm->bytes_allocated > vm->next_gc) gc_collect(vm);
#endif
    OnsObj *o = ons_malloc(size);
    memset(o, 0, size);
    o->type = (uint8_t)type;
    o->size = (uint32_t)size;
    o->next = vm->objects;
    vm->objects = o;
    vm->bytes_allocated += size;
    return o;
}

void gc_account(OnsVM *vm, ptrdiff_t delta)
{
    if (delta < 0 && (size_t)-delta > vm->bytes_allocated) vm->bytes_allocated = 0;
    else vm->bytes_allocated = (size_t)((ptrdiff_t)vm->bytes_allocated + delta);
}

void gc_mark_object(OnsVM *vm, OnsObj *o)
{
    if (!o || o->marked) return;
    o->marked = true;
    if (o->type == ONS_OBJ_STRING || o->type == ONS_OBJ_NATIVE || o->type == ONS_OBJ_SERIES)
        return; /* nothing inside to trace */
    ONS_GROW(vm->gray, vm->gray_cap, vm->ngray + 1);
    vm->gray[vm->ngray++] = o;
}

void gc_mark_value(OnsVM *vm, OnsValue v)
{
    if (v.type == ONS_T_OBJ) gc_mark_object(vm, v.as.obj);
}

static void blacken(OnsVM *vm, OnsObj *o)
{
    switch ((OnsObjType)o->type) {
    case ONS_OBJ_LIST: {
        OnsList *l = (OnsList *)o;
        for (uint32_t i = 0; i < l->len; i++) gc_mark_value(vm, l->items[i]);
        break;
    }
    case ONS_OBJ_MAP: {
        OnsMap *m = (OnsMap *)o;
        for (uint32_t i = 0; i < m->len; i++) {
            gc_mark_value(vm, m->entries[i].key);
            gc_mark_value(vm, m->entries[i].value);
        }
        break;
    }
    case ONS_OBJ_PROTO: {
        OnsProto *p = (OnsProto *)o;
        for (uint32_t i = 0; i < p->nk; i++) gc_mark_value(vm, p->k[i]);
        for (uint32_t i = 0; i < p->nprotos; i++) gc_mark_object(vm, &p->protos[i]->obj);
        gc_mark_object(vm, (OnsObj *)p->name);
        if (p->param_names)
            for (uint32_t i = 0; i < p->nparams; i++) gc_mark_object(vm, (OnsObj *)p->param_names[i]);
        break;
    }
    case ONS_OBJ_CLOSURE: {
        OnsClosure *c = (OnsClosure *)o;
        gc_mark_object(vm, &c->proto->obj);
        for (uint32_t i = 0; i < c->nupvals; i++) gc_mark_object(vm, (OnsObj *)c->up[i]);
        break;
    }
    case ONS_OBJ_UPVALUE: gc_mark_value(vm, ((OnsUpvalue *)o)->closed); break;
    case ONS_OBJ_DATA: {
        OnsData *d = (OnsData *)o;
        if (d->cls->mark) d->cls->mark(vm, d->ptr);
        break;
    }
    default: break;
    }
}

static void mark_roots(OnsVM *vm)
{
    for (OnsValue *v = vm->stack; v < vm->top; v++) gc_mark_value(vm, *v);
    for (int i = 0; i < vm->nframes; i++) gc_mark_object(vm, &vm->frames[i].closure->obj);
    for (OnsUpvalue *u = vm->open_upvalues; u; u = u->next_open) gc_mark_object(vm, &u->obj);
    for (uint32_t i = 0; i < vm->nglobals; i++) {
        gc_mark_value(vm, vm->gvals[i]);
        gc_mark_object(vm, (OnsObj *)vm->globals[i].name);
    }
    gc_mark_object(vm, (OnsObj *)vm->builtins);
    gc_mark_object(vm, (OnsObj *)vm->modules);
    for (size_t i = 0; i < vm->nroots; i++) gc_mark_value(vm, vm->roots[i]);
    gc_mark_value(vm, vm->year);
    if (vm->host.mark) vm->host.mark(vm);
}

void gc_collect(OnsVM *vm)
{
    if (vm->gc_paused) return;
    mark_roots(vm);
    while (vm->ngray > 0) blacken(vm, vm->gray[--vm->ngray]);
    strings_remove_white(vm);
    OnsObj **link = &vm->objects;
    size_t bytes = 0;
    while (*link) {
        OnsObj *o = *link;
        if (o->marked) {
            o->marked = false;
            bytes += object_footprint(o);
            link = &o->next;
        } else {
            *link = o->next;
            object_free(vm, o);
        }
    }
    vm->bytes_allocated = bytes;
    vm->next_gc = bytes * 2 > GC_MIN_HEAP ? bytes * 2 : GC_MIN_HEAP;
}

void gc_free_all(OnsVM *vm)
{
    OnsObj *o = vm->objects;
    while (o) {
        OnsObj *next = o->next;
        object_free(vm, o);
        o = next;
    }
    vm->objects = NULL;
    ons_free(vm->gray);
    vm->gray = NULL;
    vm->ngray = vm->gray_cap = 0;
}
