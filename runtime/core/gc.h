/* The tracing collector: non-moving mark and sweep over the VM's object
 * list.  Roots are the registers, call frames, open upvalues, globals,
 * builtins, the model, the temporary root stack and a few VM fields.
 * Built with -DONS_STRESS_GC it collects before every allocation. */
#ifndef ONS_RUNTIME_GC_H
#define ONS_RUNTIME_GC_H

#include "vm.h"

/* Allocates an object of `size` bytes (header included) and links it. */
OnsObj *gc_alloc_object(OnsVM *vm, size_t size, OnsObjType type);
/* Accounts for memory an object owns outside its own block (arrays). */
void gc_account(OnsVM *vm, ptrdiff_t delta);
void gc_collect(OnsVM *vm);
void gc_mark_value(OnsVM *vm, OnsValue v);
void gc_mark_object(OnsVM *vm, OnsObj *o);
/* Frees every object (VM teardown). */
void gc_free_all(OnsVM *vm);
/* The interned-string table is weak: drops the strings a collection did not mark (object.c). */
void strings_remove_white(OnsVM *vm);

#endif
