/* The simulation of spec §6: a scenario run year by year. */
#ifndef ONS_RUNTIME_SIM_H
#define ONS_RUNTIME_SIM_H

#include "vm.h"

/* Runs scenario `scenario` (or reuses the cached run when the model has not
 * changed) and returns the run result value. */
OnsStatus sim_run_value(OnsVM *vm, uint32_t scenario, OnsValue *out);

#endif
