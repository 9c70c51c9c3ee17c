/* Sweeps (spec 11): `sweep SCENARIO { runs, seed, record }` runs the
 * scenario once a sample, with every declared param drawn (spec 11's
 * SplitMix64 draws, params.c), and keeps the recorded figures of every year.
 * Samples are independent, so their results do not depend on the order or
 * the number of workers that compute them; memory holds the recorded
 * figures and one run at a time. */
#include "sweep.h"
#include "arith.h"
#include "gc.h"
#include "mem.h"
#include "sim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* An entry [name, args...] as it is written: "localization(US, stage cell)". */
static void entry_text(OnsVM *vm, OnsValue entry, char *buf, size_t n)
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

OnsStatus sweep_run(OnsVM *vm, OnsValue *args, int nargs)
{
    (void)nargs;
    OnsModel *m = model_of(vm);
    if (args[0].type != ONS_T_ENTITY || args[0].hint != ONS_ENT_SCENARIO) {
        char got[96];
        return vm_error(vm, "sweep needs a scenario, not %s", arith_describe(vm, args[0], got, sizeof got));
    }
    uint32_t scenario = args[0].as.index;
    double runs = 1000, seedv = vm->seed_given ? (double)vm->seed : 1;
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
    OnsData *d = data_new(vm, &sweep_class, sw);
    OnsValue result = ons_obj_value(&d->obj);
    size_t roots = vm->nroots;
    vm_push_root(vm, result);
    sw->draws = ons_calloc((size_t)sw->nparams * sw->runs + 1, sizeof(double));
    double *sample = ons_calloc(sw->nparams + 1, sizeof(double));
    OnsStatus st = ONS_OK;
    for (uint32_t i = 0; i < sw->runs && st == ONS_OK; i++) {
        for (uint32_t k = 0; k < sw->nparams; k++) {
            const OnsDist *dist = model_param_dist(m, scenario, k);
            sample[k] = m->params[k].e.name ? model_dist_map(dist, model_draw_u(seed, i, k)) : 0;
            sw->draws[(size_t)k * sw->runs + i] = sample[k];
        }
        const double *outer = m->sample_draws;
        m->sample_draws = sample;
        OnsValue run;
        st = sim_run_fresh(vm, scenario, &run);
        m->sample_draws = outer;
        if (st != ONS_OK) break;
        vm_push_root(vm, run);
        const OnsRun *r = sim_run_of(run);
        if (i == 0) {
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
                    st = vm_error(vm, "a sweep's record lists figures without the run and the year, like "
                                      "localization(US, stage cell)");
                    break;
                }
            }
            if (st != ONS_OK) break;
            sw->values = ons_calloc((size_t)sw->nrecord * sw->nyears * sw->runs + 1, sizeof(OnsValue));
            gc_account(vm, (ptrdiff_t)sweep_footprint(sw));
        }
        for (uint32_t e = 0; e < sw->nrecord && st == ONS_OK; e++)
            for (uint32_t y = 0; y < sw->nyears && st == ONS_OK; y++) {
                OnsValue v;
                st = record_one(vm, ONS_AS_LIST(sw->record)->items[e], run, sw->year_from + (int32_t)y,
                                ONS_IS_NIL(args[3]), &v);
                if (st == ONS_OK) sw->values[((size_t)e * sw->nyears + y) * sw->runs + i] = v;
            }
        vm_pop_roots(vm, 1);
        if (st == ONS_OK && vm->interrupt && *vm->interrupt) {
            *vm->interrupt = 0;
            vm_error(vm, "interrupted");
            vm->error.interrupted = true;
            st = ONS_ERR_INTERRUPT;
        }
    }
    ons_free(sample);
    vm->nroots = roots;
    if (st != ONS_OK) return st;
    args[0] = result;
    m->last_sweep = result;
    return ONS_OK;
}

/* ---- queries ---- */

OnsStatus sweep_query(OnsVM *vm, const char *fn, const OnsValue *args, int nargs, OnsValue *out)
{
    OnsSweep *sw = sweep_of(args[0]);
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
    entry_text(vm, entry, text, sizeof text);
    return vm_error(vm, "this sweep did not record %s: add `%s` to its record: [...]", text, text);
}
