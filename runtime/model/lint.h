/* `onshore check` warnings about likely mistakes in a model (spec §8). */
#ifndef ONS_RUNTIME_LINT_H
#define ONS_RUNTIME_LINT_H

#include "diag.h"
#include "vm.h"

/* Warns about entities declared in src: a material nothing makes, a
 * facility nothing buys from, a policy no scenario uses, a demand with no
 * supplier anywhere. */
void lint_model(OnsVM *vm, OnsSource *src, OnsDiags *diags);

#endif
