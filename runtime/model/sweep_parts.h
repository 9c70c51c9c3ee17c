/* A sweep's part files (spec 11, "Past one machine"): with --shard K/N a
 * process computes the samples i with i mod N = K - 1 and writes them to
 * --sweep-dir as NAME.K-of-N.csv (one row a sample) and NAME.K-of-N.json
 * (what the rows belong to); a later run with --sweep-dir and no --shard
 * reads every part back into a sweep identical, bit for bit, to one
 * computed in one process. */
#ifndef ONS_RUNTIME_SWEEP_PARTS_H
#define ONS_RUNTIME_SWEEP_PARTS_H

#include "output.h"
#include "sweep.h"

/* Writes this shard's samples of sw (sample 0 computed, the record fixed). */
OnsStatus sweep_parts_write(OnsVM *vm, const OnsSweep *sw);
/* Fills sw's samples from the parts in --sweep-dir, after sample 0 was
 * computed here; *found false (and nothing read) when there are none.  An
 * error names missing, duplicate and foreign files. */
OnsStatus sweep_parts_read(OnsVM *vm, OnsSweep *sw, bool *found);
/* The closing line of a shard run: what was written and what skipped. */
void sweep_parts_summary(OnsVM *vm, OnsOut *out);

#endif
