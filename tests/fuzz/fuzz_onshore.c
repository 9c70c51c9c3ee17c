/* libFuzzer (and AFL++) harness: compiles and runs arbitrary input in a fresh
 * session with a step budget, output captured in memory.  Any crash, leak,
 * sanitizer report or hang is a finding; each becomes a test in tests/bad/.
 * Build and run: make fuzz SECONDS=60 */
#include "frontend.h"
#include "output.h"
#include "session.h"
#include "source.h"
#include "vm.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (size_t)256 * 1024) return 0; /* large inputs only slow the search down */
    OnsOut out, err;
    out_init_buffer(&out);
    out_init_buffer(&err);
    OnsVM *vm = session_vm_new(&out, &err);
    vm->max_steps = 200000;           /* every loop ends */
    OnsSource *src = source_new("fuzz.ons", (const char *)data, size);
    OnsRunOptions opts = {false, false};
    session_run(vm, src, &opts);
    vm_free(vm);
    out_free(&out);
    out_free(&err);
    return 0;
}
