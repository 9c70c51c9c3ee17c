/* Sweeps (spec 11): a scenario run once a sample, each param drawn, and
 * the recorded figures kept for every sample and year. */
#ifndef ONS_RUNTIME_SWEEP_H
#define ONS_RUNTIME_SWEEP_H

#include "model.h"
#include "vm.h"

typedef struct OnsSweep {
    uint32_t scenario;
    uint32_t runs;
    uint64_t seed;
    int32_t year_from, year_until;
    uint32_t nyears;
    uint32_t nparams;
    double *draws;          /* [param][sample], base units */
    uint32_t nrecord;
    OnsValue record;        /* a list of entries, each [figure name, its arguments...] */
    OnsValue *values;       /* [entry][year][sample] */
    char hash[17];
    uint32_t part;          /* the how-manieth sweep of its scenario in the program, from 1 (part file names) */
    bool sharded;           /* --shard: only this shard's samples were computed; the results are elsewhere */
} OnsSweep;

/* The HOST operation `sweep`: args[0] the scenario, args[1] runs (nil: 1000),
 * args[2] seed (nil: --seed, or 1), args[3] the record (nil: the default);
 * the sweep result in args[0]. */
OnsStatus sweep_run(OnsVM *vm, OnsValue *args, int nargs);
/* The sweep behind a value, or NULL. */
OnsSweep *sweep_of(OnsValue v);
/* A figure query on a sweep: fn(s, args..., year) as the list of the
 * recorded values, one a sample; an error naming what to record when the
 * sweep did not record it. */
OnsStatus sweep_query(OnsVM *vm, const char *fn, const OnsValue *args, int nargs, OnsValue *out);
/* A sharded sweep's results are not in this process: the statement reading
 * them is skipped (vm_skip). */
OnsStatus sweep_skip_sharded(OnsVM *vm, const OnsSweep *sw);
/* A record entry as written: "localization(US, stage cell)". */
void sweep_entry_text(OnsVM *vm, OnsValue entry, char *buf, size_t n);
/* The most recent sweep of the session (report spread, drivers), or NULL. */
OnsSweep *sweep_latest(OnsVM *vm);

#endif
