/* Query functions over run results (spec §7).  Filled in with the model. */
#include "builtins.h"

void builtins_register_queries(OnsVM *vm) { (void)vm; }
