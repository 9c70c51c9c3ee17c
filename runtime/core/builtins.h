/* The built-in functions of spec §8 and the operations the VM delegates to
 * C: indexing, properties, building literals, iteration. */
#ifndef ONS_RUNTIME_BUILTINS_H
#define ONS_RUNTIME_BUILTINS_H

#include "vm.h"

/* Registers the core natives in vm->builtins (the model adds its own). */
void builtins_register(OnsVM *vm);
/* Modules of natives, each registering its own (builtins_*.c). */
void builtins_register_core(OnsVM *vm);
void builtins_register_math(OnsVM *vm);
void builtins_register_stats(OnsVM *vm);
void builtins_register_io(OnsVM *vm);

OnsStatus builtins_index(OnsVM *vm, OnsValue obj, OnsValue key, OnsValue *out);
OnsStatus builtins_set_index(OnsVM *vm, OnsValue obj, OnsValue key, OnsValue val);
OnsStatus builtins_get_property(OnsVM *vm, OnsValue obj, OnsValue name, OnsValue *out);
OnsStatus builtins_set_property(OnsVM *vm, OnsValue obj, OnsValue name, OnsValue val);
OnsStatus builtins_map_literal_set(OnsVM *vm, OnsValue map, OnsValue key, OnsValue val);
OnsStatus builtins_make_series(OnsVM *vm, OnsValue map, int kind, OnsValue *out);
OnsStatus builtins_make_range(OnsVM *vm, OnsValue from, OnsValue to, OnsValue *out);
/* A list to iterate over: the list itself, a map's keys. */
OnsStatus builtins_iterable(OnsVM *vm, OnsValue v, OnsValue *out);

/* Helpers for natives: argument checking with messages naming the function. */
OnsStatus builtins_arg_number(OnsVM *vm, const char *fn, int i, OnsValue v, double *out);
OnsStatus builtins_arg_plain_number(OnsVM *vm, const char *fn, int i, OnsValue v, double *out);
OnsStatus builtins_arg_list(OnsVM *vm, const char *fn, int i, OnsValue v, OnsList **out);
OnsStatus builtins_arg_string(OnsVM *vm, const char *fn, int i, OnsValue v, OnsString **out);
OnsStatus builtins_arg_callable(OnsVM *vm, const char *fn, int i, OnsValue v);
const OnsValue *builtins_named_arg(const OnsNamedArgs *named, const char *name);

#endif
