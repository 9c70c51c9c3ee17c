/* Sweeps (spec 11): `sweep SCENARIO { runs, seed, record }` runs the
 * scenario once a sample, with every declared param drawn (spec 11's
 * SplitMix64 draws, params.c), and keeps the recorded figures of every year.
 * Samples are independent, so their results do not depend on the order or
 * the number of workers that compute them; memory holds the recorded
 * figures and one run at a time. */
#include "sweep.h"
#include "sweep_parts.h"
#include "arith.h"
#include "gc.h"
#include "mem.h"
#include "sim.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sweep_mark(OnsVM *vm, void *p)
{
    OnsSweep *s = p;
    gc_mark_value(vm, s->record);
    size_t n = (size_t)s->nrecord * s->nyears * s->runs;
    for (size_t i = 0; i < n; i++) gc_mark_value(vm, s->values[i]);
}

static void sweep_free(void *p)
{
    OnsSweep *s = p;
    if (!s) return;
    ons_free(s->draws);
    ons_free(s->values);
    ons_free(s);
}

static size_t sweep_footprint(void *p)
{
    OnsSweep *s = p;
    return (size_t)s->nparams * s->runs * sizeof(double) + (size_t)s->nrecord * s->nyears * s->runs * sizeof(OnsValue);
}

static void sweep_describe(OnsVM *vm, void *p, OnsOut *out)
{
    OnsSweep *s = p;
    out_printf(out, "<sweep of %s, %u run%s, seed %llu>", model_name(model_of(vm), ONS_ENT_SCENARIO, s->scenario),
               s->runs, s->runs == 1 ? "" : "s", (unsigned long long)s->seed);
}

static const OnsDataClass sweep_class = {"sweep result", sweep_mark, sweep_free, sweep_footprint, sweep_describe};

OnsSweep *sweep_of(OnsValue v)
{
    if (!ons_is_obj(v, ONS_OBJ_DATA) || ONS_AS_DATA(v)->cls != &sweep_class) return NULL;
    return ONS_AS_DATA(v)->ptr;
}

OnsSweep *sweep_latest(OnsVM *vm)
{
    return sweep_of(model_of(vm)->last_sweep);
}

/* ---- what a sweep records ---- */

void sweep_entry_text(OnsVM *vm, OnsValue entry, char *buf, size_t n)
{
    const OnsList *l = ONS_AS_LIST(entry);
    size_t len = (size_t)snprintf(buf, n, "%s(", ONS_AS_STRING(l->items[0])->chars);
    for (uint32_t i = 1; i < l->len && len < n; i++) {
        char v[128];
        value_to_cstr(vm, l->items[i], v, sizeof v);
        len += (size_t)snprintf(buf + len, n - len, "%s%s", i > 1 ? ", " : "", v);
    }
    if (len < n) snprintf(buf + len, n - len, ")");
}

static OnsValue entry_new(OnsVM *vm, const char *fn, const OnsValue *args, int nargs)
{
    OnsList *l = list_new(vm, (uint32_t)nargs + 1);
    OnsValue v = ons_obj_value(&l->obj);
    vm_push_root(vm, v);
    list_push(l, ons_obj_value(&string_cstr(vm, fn)->obj));
    for (int i = 0; i < nargs; i++) list_push(l, args[i]);
    vm_pop_roots(vm, 1);
    return v;
}

/* Without `record`: for every region with declared demand, localization,
 * shortage, gap and landed_cost of every stage, and complies of every policy
 * the scenario uses that has a `require` for that region. */
static OnsValue default_record(OnsVM *vm, const OnsRun *run)
{
    OnsModel *m = model_of(vm);
    OnsList *rec = list_new(vm, 0);
    OnsValue recv = ons_obj_value(&rec->obj);
    vm_push_root(vm, recv);
    static const char *const figures[] = {"localization", "shortage", "gap", "landed_cost"};
    for (uint32_t r = 0; r < m->nregions; r++) {
        bool demanded = false;
        for (uint32_t d = 0; d < m->ndemands && !demanded; d++) demanded = m->demands[d].e.name && m->demands[d].region == r;
        for (int32_t sc = (int32_t)run->scenario; sc >= 0 && !demanded; sc = m->scenarios[sc].parent)
            for (uint32_t o = 0; o < m->scenarios[sc].noverrides && !demanded; o++)
                demanded = m->scenarios[sc].overrides[o].kind == ONS_ENT_DEMAND && m->scenarios[sc].overrides[o].index == r;
        if (!demanded || !m->regions[r].e.name) continue;
        for (uint32_t st = 0; st < m->nstages; st++)
            for (size_t f = 0; f < ONS_ARRAY_LEN(figures); f++) {
                OnsValue args[2] = {ons_entity(ONS_ENT_REGION, r), ons_entity(ONS_ENT_STAGE, st)};
                list_push(rec, entry_new(vm, figures[f], args, 2));
            }
        for (uint32_t p = 0; p < run->npolicies; p++) {
            const OnsPolicy *pol = &m->policies[run->policies[p]];
            bool has = false;
            for (uint32_t i = 0; i < pol->nrules && !has; i++)
                has = pol->rules[i].kind == ONS_RULE_REQUIRE && pol->rules[i].region == r;
            if (!has) continue;
            OnsValue args[2] = {ons_entity(ONS_ENT_POLICY, run->policies[p]), ons_entity(ONS_ENT_REGION, r)};
            list_push(rec, entry_new(vm, "complies", args, 2));
        }
    }
    vm_pop_roots(vm, 1);
    return recv;
}

/* One recorded figure of one sample and year: fn(run, args..., year).  In
 * the default record, a figure that cannot be computed (landed cost of a
 * stage of mixed units) is nil rather than the end of the sweep. */
static OnsStatus record_one(OnsVM *vm, OnsValue entry, OnsValue run, int32_t year, bool lenient, OnsValue *out)
{
    const OnsList *l = ONS_AS_LIST(entry);
    OnsValue args[8];
    uint32_t n = 0;
    args[n++] = run;
    for (uint32_t i = 1; i < l->len && n < 7; i++) args[n++] = l->items[i];
    args[n++] = ons_num(year);
    const OnsString *name = ONS_AS_STRING(l->items[0]);
    OnsNative *fn = vm_builtin(vm, name->chars, name->len);
    if (!fn) return vm_error(vm, "a sweep cannot record %s: it is not a figure", name->chars);
    OnsStatus st = vm_call(vm, ons_obj_value(&fn->obj), args, (int)n, out);
    if (st != ONS_OK && lenient && !vm->error.interrupted) {
        vm_clear_error(vm);
        *out = ons_nil();
        return ONS_OK;
    }
    return st;
}

/* ---- the sweep ---- */

static OnsStatus whole_arg(OnsVM *vm, OnsValue v, const char *what, double lo, double hi, double *out)
{
    if (v.type != ONS_T_NUM || !dim_is_none(v.dim) || v.as.num != floor(v.as.num) || v.as.num < lo || v.as.num > hi) {
        char got[96];
        if (v.type == ONS_T_NUM && dim_is_none(v.dim)) snprintf(got, sizeof got, "%.17g", v.as.num);
        else arith_describe(vm, v, got, sizeof got);
        return vm_error(vm, "a sweep's %s must be a whole number from %.0f to %.0f, not %s", what, lo, hi, got);
    }
    *out = v.as.num;
    return ONS_OK;
}

/* One sample: the scenario run with sample i's draws, and each recorded
 * figure of each year stored in sw->values. */
static OnsStatus sweep_sample(OnsVM *vm, OnsSweep *sw, uint32_t i, bool lenient, double *sample)
{
    OnsModel *m = model_of(vm);
    for (uint32_t k = 0; k < sw->nparams; k++) sample[k] = sw->draws[(size_t)k * sw->runs + i];
    const double *outer = m->sample_draws;
    m->sample_draws = sample;
    OnsValue run;
    OnsStatus st = sim_run_fresh(vm, sw->scenario, &run);
    m->sample_draws = outer;
    if (st != ONS_OK) return st;
    vm_push_root(vm, run);
    const OnsRun *r = sim_run_of(run);
    if (!sw->values) { /* the first sample fixes the years and, without `record`, what is kept */
        sw->year_from = r->year_from;
        sw->year_until = r->year_until;
        sw->nyears = r->nyears;
        memcpy(sw->hash, r->hash, sizeof sw->hash);
        if (ONS_IS_NIL(sw->record)) sw->record = default_record(vm, r);
        sw->nrecord = ONS_AS_LIST(sw->record)->len;
        for (uint32_t e = 0; e < sw->nrecord; e++) {
            OnsValue en = ONS_AS_LIST(sw->record)->items[e];
            if (!ons_is_obj(en, ONS_OBJ_LIST) || ONS_AS_LIST(en)->len == 0 ||
                !ons_is_obj(ONS_AS_LIST(en)->items[0], ONS_OBJ_STRING)) {
                vm_pop_roots(vm, 1);
                return vm_error(vm, "a sweep's record lists figures without the run and the year, like "
                                    "localization(US, stage cell)");
            }
        }
        sw->values = ons_calloc((size_t)sw->nrecord * sw->nyears * sw->runs + 1, sizeof(OnsValue));
        gc_account(vm, (ptrdiff_t)sweep_footprint(sw));
    }
    for (uint32_t e = 0; e < sw->nrecord && st == ONS_OK; e++)
        for (uint32_t y = 0; y < sw->nyears && st == ONS_OK; y++) {
            OnsValue v;
            st = record_one(vm, ONS_AS_LIST(sw->record)->items[e], run, sw->year_from + (int32_t)y, lenient, &v);
            if (st == ONS_OK) sw->values[((size_t)e * sw->nyears + y) * sw->runs + i] = v;
        }
    vm_pop_roots(vm, 1);
    if (st == ONS_OK && vm->interrupt && *vm->interrupt) {
        *vm->interrupt = 0;
        vm_error(vm, "interrupted");
        vm->error.interrupted = true;
        st = ONS_ERR_INTERRUPT;
    }
    return st;
}

/* ---- samples on every core ----
 * The samples after the first are shared out to worker processes forked
 * from this one: each holds the session as it stands (copy on write), so it
 * computes a sample exactly as this process would.  A worker sends back, a
 * sample at a time, what the sample printed and its recorded values; a
 * sample whose values are not plain (a map, a string) or that failed is
 * computed here again, in order, so errors and objects come out exactly as
 * in one process.  The results do not depend on the number of workers. */

enum { SAMPLE_OK = 0, SAMPLE_REDO = 1 };

static bool write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

static bool plain(OnsValue v)
{
    return v.type == ONS_T_NIL || v.type == ONS_T_BOOL || v.type == ONS_T_NUM || v.type == ONS_T_ENTITY;
}

/* In a worker: samples from..runs stepping by `step`, written to fd;
 * `sample` is the parent's draw buffer, the worker's own copy to use and free. */
static _Noreturn void worker(OnsVM *vm, OnsSweep *sw, uint32_t from, uint32_t step, bool lenient, double *sample,
                             int fd)
{
    OnsOut buf, *real_out = vm->out, *real_print = vm->print_out;
    size_t per = (size_t)sw->nrecord * sw->nyears;
    OnsValue *vals = ons_calloc(per + 1, sizeof(OnsValue));
    for (uint32_t i = from; i < sw->runs; i += step) {
        out_init_buffer(&buf);
        vm->out = &buf; /* what a sample prints goes to the parent, printed there in sample order */
        if (real_print) vm->print_out = &buf;
        OnsStatus st = sweep_sample(vm, sw, i, lenient, sample);
        vm->out = real_out;
        vm->print_out = real_print;
        uint8_t status = SAMPLE_OK;
        if (st != ONS_OK) status = SAMPLE_REDO;
        for (size_t j = 0; j < per && status == SAMPLE_OK; j++) {
            vals[j] = sw->values[j * sw->runs + i];
            if (!plain(vals[j])) status = SAMPLE_REDO;
        }
        uint32_t head[3] = {i, status, status == SAMPLE_OK ? (uint32_t)buf.len : 0};
        bool ok = write_all(fd, head, sizeof head) &&
                  (status != SAMPLE_OK || ((!buf.len || write_all(fd, buf.buf, buf.len)) &&
                                           write_all(fd, vals, per * sizeof(OnsValue))));
        out_free(&buf);
        if (!ok || status != SAMPLE_OK) break; /* the parent takes it from here */
        if (vm->error.set) vm_clear_error(vm);
    }
    ons_free(vals);
    ons_free(sample);
    close(fd);
    _exit(0);
}

/* How many workers: --jobs or ONSHORE_JOBS, else every core. */
static uint32_t sweep_jobs(const OnsVM *vm, uint32_t samples)
{
    long n = vm->jobs;
    if (n <= 0) {
        const char *e = getenv("ONSHORE_JOBS");
        n = e && *e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    }
    if (n < 1) n = 1;
    if ((unsigned long)n > samples) n = (long)samples;
    return n > 256 ? 256 : (uint32_t)n;
}

/* A line on stderr while a long sweep runs, when stderr is a terminal. */
typedef struct Progress {
    bool on;
    uint32_t total;         /* the samples this process computes */
    struct timespec start;
    double last;
} Progress;

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress(Progress *p, const char *name, uint32_t done)
{
    if (!p->on) return;
    double el = seconds_since(&p->start);
    if (el < 1 || el - p->last < 0.2) return;
    p->last = el;
    double rate = done / el;
    fprintf(stderr, "\rsweep %s: %u/%u samples, %.0f a second, %.0f s left   ", name, done, p->total, rate,
            rate > 0 ? (p->total - done) / rate : 0);
    fflush(stderr);
}

static void progress_end(const Progress *p)
{
    if (p->on && p->last > 0) fprintf(stderr, "\r%60s\r", "");
}

/* What one worker has sent and this process has not yet taken apart. */
typedef struct Feed {
    int fd;
    char *buf;
    size_t len, cap;
} Feed;

/* Takes the whole messages at the front of f->buf: a sample's head, what it
 * printed and its values.  False when the worker has stopped (a sample to
 * redo, or nonsense). */
static bool take_messages(Feed *f, OnsSweep *sw, uint8_t *state, char **outs, size_t *outlens, Progress *prog,
                          const char *name, uint32_t *done)
{
    size_t per = (size_t)sw->nrecord * sw->nyears, at = 0;
    bool going = true;
    while (going && f->len - at >= 3 * sizeof(uint32_t)) {
        uint32_t head[3];
        memcpy(head, f->buf + at, sizeof head);
        uint32_t i = head[0];
        if (i >= sw->runs || head[1] != SAMPLE_OK) {
            if (i < sw->runs) state[i] = 2;
            going = false;
            break;
        }
        size_t need = sizeof head + head[2] + per * sizeof(OnsValue);
        if (f->len - at < need) break;
        const char *p = f->buf + at + sizeof head;
        if (head[2]) {
            outs[i] = ons_malloc(head[2]);
            outlens[i] = head[2];
            memcpy(outs[i], p, head[2]);
            p += head[2];
        }
        for (size_t k = 0; k < per; k++) memcpy(&sw->values[k * sw->runs + i], p + k * sizeof(OnsValue), sizeof(OnsValue));
        state[i] = 1;
        progress(prog, name, ++*done);
        at += need;
    }
    memmove(f->buf, f->buf + at, f->len - at);
    f->len -= at;
    return going;
}

/* Reads every worker's pipe as it fills (one at a time would leave the
 * others blocked on a full pipe), until each has finished or stopped. */
static void collect(OnsVM *vm, const pid_t *pids, const int *fds, uint32_t nworkers, OnsSweep *sw, uint8_t *state,
                    char **outs, size_t *outlens, Progress *prog, const char *name, uint32_t *done)
{
    bool stopped = false;
    Feed *feeds = ons_calloc(nworkers + 1, sizeof(Feed));
    struct pollfd *pfds = ons_calloc(nworkers + 1, sizeof(struct pollfd));
    uint32_t open_count = nworkers;
    for (uint32_t j = 0; j < nworkers; j++) feeds[j].fd = fds[j];
    while (open_count > 0) {
        uint32_t n = 0;
        for (uint32_t j = 0; j < nworkers; j++)
            if (feeds[j].fd >= 0) pfds[n++] = (struct pollfd){.fd = feeds[j].fd, .events = POLLIN};
        /* a Ctrl-C stops the workers now, and the sample computed next
         * here reports the interruption; polled every 200 ms too, as the
         * signal may come while this process is not waiting in poll */
        int ready_count = poll(pfds, n, 200);
        if (!stopped && vm->interrupt && *vm->interrupt) {
            for (uint32_t j = 0; j < nworkers; j++) kill(pids[j], SIGTERM);
            stopped = true;
        }
        if (ready_count < 0 && errno != EINTR) break;
        if (ready_count <= 0) continue;
        for (uint32_t j = 0; j < nworkers; j++) {
            Feed *f = &feeds[j];
            bool ready = false;
            for (uint32_t q = 0; q < n; q++) ready |= pfds[q].fd == f->fd && pfds[q].revents;
            if (f->fd < 0 || !ready) continue;
            if (f->cap - f->len < 65536) {
                f->cap = f->cap * 2 + 65536;
                f->buf = ons_realloc(f->buf, f->cap);
            }
            ssize_t got = read(f->fd, f->buf + f->len, f->cap - f->len);
            if (got < 0 && errno == EINTR) continue;
            if (got > 0) f->len += (size_t)got;
            if (got <= 0 || !take_messages(f, sw, state, outs, outlens, prog, name, done)) {
                close(f->fd); /* finished, or stopped: the rest is computed here */
                f->fd = -1;
                open_count--;
            }
        }
    }
    for (uint32_t j = 0; j < nworkers; j++) {
        if (feeds[j].fd >= 0) close(feeds[j].fd);
        ons_free(feeds[j].buf);
    }
    ons_free(feeds);
    ons_free(pfds);
}

/* Which samples this process computes after the first: first, first +
 * step, ... below runs (every one, or a shard's). */
typedef struct SampleSet {
    uint32_t first, step;
} SampleSet;

/* The samples of `set` by `jobs` workers; what a worker could not send is
 * computed here, in order.  The first failure, in sample order. */
static OnsStatus run_parallel(OnsVM *vm, OnsSweep *sw, SampleSet set, uint32_t jobs, bool lenient, double *sample,
                              Progress *prog, const char *name)
{
    pid_t *pids = ons_calloc(jobs, sizeof(pid_t));
    int *fds = ons_calloc(jobs, sizeof(int));
    uint8_t *state = ons_calloc(sw->runs, 1); /* 0 pending, 1 done, 2 redo */
    char **outs = ons_calloc(sw->runs, sizeof(char *));
    size_t *outlens = ons_calloc(sw->runs, sizeof(size_t));
    out_flush(vm->out);
    out_flush(vm->err);
    fflush(NULL);
    uint32_t started = 0;
    for (uint32_t j = 0; j < jobs; j++) {
        int pfd[2];
        if (pipe(pfd) != 0) break;
        pid_t pid = fork();
        if (pid < 0) {
            close(pfd[0]);
            close(pfd[1]);
            break;
        }
        if (pid == 0) {
            close(pfd[0]);
            for (uint32_t k = 0; k < started; k++) close(fds[k]);
            /* the parent's bookkeeping is not the worker's: freed so that a
             * leak checker sees nothing lost when the worker exits */
            ons_free(pids);
            ons_free(fds);
            ons_free(state);
            ons_free(outs);
            ons_free(outlens);
            worker(vm, sw, set.first + j * set.step, jobs * set.step, lenient, sample, pfd[1]);
        }
        close(pfd[1]);
        pids[started] = pid;
        fds[started++] = pfd[0];
    }
    uint32_t done = 1;
    collect(vm, pids, fds, started, sw, state, outs, outlens, prog, name, &done);
    for (uint32_t j = 0; j < started; j++) waitpid(pids[j], NULL, 0);
    /* in sample order: print what each printed; what is missing, compute here */
    OnsStatus st = ONS_OK;
    for (uint32_t i = set.first; i < sw->runs && st == ONS_OK; i += set.step) {
        if (state[i] == 1) {
            if (outlens[i]) out_write(vm_print_sink(vm), outs[i], outlens[i]);
            continue;
        }
        st = sweep_sample(vm, sw, i, lenient, sample);
        progress(prog, name, ++done);
    }
    for (uint32_t i = 0; i < sw->runs; i++) ons_free(outs[i]);
    ons_free(outs);
    ons_free(outlens);
    ons_free(state);
    ons_free(pids);
    ons_free(fds);
    return st;
}

/* Numbers the sweeps of a scenario, from 1: part files are named by it. */
static uint32_t sweeps_counted(OnsModel *m, uint32_t scenario)
{
    if (m->cap_sweeps_made <= scenario) {
        size_t old = m->cap_sweeps_made;
        ONS_GROW(m->sweeps_made, m->cap_sweeps_made, (size_t)scenario + 1);
        memset(m->sweeps_made + old, 0, (m->cap_sweeps_made - old) * sizeof *m->sweeps_made);
    }
    return ++m->sweeps_made[scenario];
}

OnsStatus sweep_run(OnsVM *vm, OnsValue *args, int nargs)
{
    (void)nargs;
    OnsModel *m = model_of(vm);
    if (args[0].type != ONS_T_ENTITY || args[0].hint != ONS_ENT_SCENARIO) {
        char got[96];
        return vm_error(vm, "sweep needs a scenario, not %s", arith_describe(vm, args[0], got, sizeof got));
    }
    uint32_t scenario = args[0].as.index;
    double runs = 1000, seedv;
    uint64_t seed = vm->seed_given ? vm->seed : 1;
    if (!ONS_IS_NIL(args[1])) ONS_TRY(whole_arg(vm, args[1], "runs", 1, 1e7, &runs));
    if (!ONS_IS_NIL(args[2])) {
        ONS_TRY(whole_arg(vm, args[2], "seed", 0, 18446744073709551615.0, &seedv));
        seed = seedv >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)seedv;
    }
    if (!ONS_IS_NIL(args[3]) && !ons_is_obj(args[3], ONS_OBJ_LIST))
        return vm_error(vm, "a sweep's record is a list of figures, like [localization(US, stage cell)]");

    OnsSweep *sw = ons_calloc(1, sizeof *sw);
    sw->scenario = scenario;
    sw->runs = (uint32_t)runs;
    sw->seed = seed;
    sw->nparams = m->nparams;
    sw->record = args[3];
    sw->part = sweeps_counted(m, scenario);
    OnsData *d = data_new(vm, &sweep_class, sw);
    OnsValue result = ons_obj_value(&d->obj);
    size_t roots = vm->nroots;
    vm_push_root(vm, result);
    /* every declared param is drawn in every sample, whether read or not */
    sw->draws = ons_calloc((size_t)sw->nparams * sw->runs + 1, sizeof(double));
    for (uint32_t k = 0; k < sw->nparams; k++) {
        const OnsDist *dist = model_param_dist(m, scenario, k);
        for (uint32_t i = 0; i < sw->runs && m->params[k].e.name; i++)
            sw->draws[(size_t)k * sw->runs + i] = model_dist_map(dist, model_draw_u(seed, i, k));
    }
    double *sample = ons_calloc(sw->nparams + 1, sizeof(double));
    bool lenient = ONS_IS_NIL(args[3]);
    const char *name = model_name(m, ONS_ENT_SCENARIO, scenario);
    /* a shard computes samples K-1, K-1+N, ...; sample 0 always, as it
     * fixes the years and the record (quietly, when another shard owns it) */
    SampleSet set = {1, 1};
    if (vm->shard_n) set = (SampleSet){vm->shard_k > 1 ? vm->shard_k - 1 : vm->shard_n, vm->shard_n};
    uint32_t count = set.first < sw->runs ? (sw->runs - set.first - 1) / set.step + 1 : 0;
    const char *want = getenv("ONSHORE_PROGRESS");
    bool show = want && *want ? strcmp(want, "0") != 0 : isatty(STDERR_FILENO) && getenv("TERM") != NULL;
    Progress prog = {show, count + 1, {0, 0}, 0};
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    OnsStatus st;
    if (vm->shard_n && vm->shard_k != 1) {
        OnsOut quiet, *real_out = vm->out, *real_print = vm->print_out;
        out_init_buffer(&quiet);
        vm->out = &quiet;
        if (real_print) vm->print_out = &quiet;
        st = sweep_sample(vm, sw, 0, lenient, sample);
        vm->out = real_out;
        vm->print_out = real_print;
        out_free(&quiet);
    } else {
        st = sweep_sample(vm, sw, 0, lenient, sample);
    }
    bool merged = false;
    if (st == ONS_OK && vm->sweep_dir && !vm->shard_n) st = sweep_parts_read(vm, sw, &merged);
    uint32_t jobs = st == ONS_OK && !merged ? sweep_jobs(vm, count) : 1;
    if (st == ONS_OK && !merged && jobs > 1 && count > 1) {
        st = run_parallel(vm, sw, set, jobs, lenient, sample, &prog, name);
    } else if (!merged) {
        uint32_t done = 1;
        for (uint32_t i = set.first; i < sw->runs && st == ONS_OK; i += set.step) {
            st = sweep_sample(vm, sw, i, lenient, sample);
            progress(&prog, name, ++done);
        }
    }
    if (st == ONS_OK && vm->shard_n) {
        sw->sharded = true;
        st = sweep_parts_write(vm, sw);
    }
    progress_end(&prog);
    ons_free(sample);
    vm->nroots = roots;
    if (st != ONS_OK) return st;
    args[0] = result;
    m->last_sweep = result;
    return ONS_OK;
}

/* ---- queries ---- */

OnsStatus sweep_skip_sharded(OnsVM *vm, const OnsSweep *sw)
{
    return vm_skip(vm, "the sweep of %s is sharded (--shard %u/%u): its results are read after the parts are merged, "
                       "by a run with --sweep-dir and no --shard",
                   model_name(model_of(vm), ONS_ENT_SCENARIO, sw->scenario), vm->shard_k, vm->shard_n);
}

OnsStatus sweep_query(OnsVM *vm, const char *fn, const OnsValue *args, int nargs, OnsValue *out)
{
    OnsSweep *sw = sweep_of(args[0]);
    if (sw->sharded) return sweep_skip_sharded(vm, sw);
    const OnsValue *what = args + 1;
    int nwhat = nargs - 2;
    OnsValue year = args[nargs - 1];
    for (uint32_t e = 0; e < sw->nrecord; e++) {
        const OnsList *en = ONS_AS_LIST(ONS_AS_LIST(sw->record)->items[e]);
        if (strcmp(ONS_AS_STRING(en->items[0])->chars, fn) != 0 || (int)en->len - 1 != nwhat) continue;
        bool same = true;
        for (int i = 0; i < nwhat && same; i++) same = ons_values_equal(en->items[i + 1], what[i]);
        if (!same) continue;
        if (year.type != ONS_T_NUM || !dim_is_none(year.dim) || year.as.num != floor(year.as.num) ||
            year.as.num < sw->year_from || year.as.num > sw->year_until)
            return vm_error(vm, "%s: the year must be one of the sweep's, %d..%d", fn, sw->year_from, sw->year_until);
        uint32_t y = (uint32_t)(year.as.num - sw->year_from);
        OnsList *l = list_new(vm, sw->runs);
        for (uint32_t i = 0; i < sw->runs; i++) list_push(l, sw->values[((size_t)e * sw->nyears + y) * sw->runs + i]);
        *out = ons_obj_value(&l->obj);
        return ONS_OK;
    }
    OnsValue entry = entry_new(vm, fn, what, nwhat);
    char text[512];
    sweep_entry_text(vm, entry, text, sizeof text);
    return vm_error(vm, "this sweep did not record %s: add `%s` to its record: [...]", text, text);
}
