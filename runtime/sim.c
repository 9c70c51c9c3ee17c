/* The simulation engine (spec §6). */
#include "sim.h"

OnsStatus sim_run_value(OnsVM *vm, uint32_t scenario, OnsValue *out)
{
    (void)scenario;
    (void)out;
    return vm_error(vm, "running a scenario is not implemented yet");
}
