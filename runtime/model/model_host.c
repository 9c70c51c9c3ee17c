/* The model as the VM's host (vm.h, OnsHost): a VM gets its model here, and
 * the VM reaches the model only through these functions: GC roots, entity
 * names and properties, and the HOST instruction's run, report and explain. */
#include "model.h"
#include "arith.h"
#include "builtins.h"
#include "gc.h"
#include "report.h"
#include "sim.h"
#include "sweep.h"

static void host_mark(OnsVM *vm)
{
    OnsModel *m = model_of(vm);
    gc_mark_value(vm, m->last_run);
    gc_mark_value(vm, m->last_sweep);
    gc_mark_object(vm, (OnsObj *)m->runs);
    model_mark(vm, m);
}

static const char *host_entity_name(const OnsVM *vm, OnsEntityKind kind, uint32_t index)
{
    return model_name(model_of(vm), kind, index);
}

static void host_free(OnsVM *vm)
{
    model_free(model_of(vm));
    vm->host.ctx = NULL;
}

/* run SCENARIO: args[0] holds the scenario (a name, or a variable holding one) */
static OnsStatus op_run(OnsVM *vm, OnsValue *args, int nargs)
{
    (void)nargs;
    OnsValue sc = args[0], r;
    if (sc.type != ONS_T_ENTITY || sc.hint != ONS_ENT_SCENARIO) {
        char got[96];
        return vm_error(vm, "run needs a scenario, and the variable holds %s", arith_describe(vm, sc, got, sizeof got));
    }
    ONS_TRY(sim_run_value(vm, sc.as.index, &r));
    args[0] = r;
    model_of(vm)->last_run = r;
    return ONS_OK;
}

/* report and explain: args[0] the spec, args[1..4] what the statement computes */
static OnsStatus op_report(OnsVM *vm, OnsValue *args, int nargs)
{
    (void)nargs;
    ONS_TRY(report_execute(vm, args[0], args + 1));
    args[0] = ons_nil();
    return ONS_OK;
}

static OnsStatus op_explain(OnsVM *vm, OnsValue *args, int nargs)
{
    (void)nargs;
    ONS_TRY(report_explain(vm, args[0], args + 1));
    args[0] = ons_nil();
    return ONS_OK;
}

/* A param read (spec 11): in a sweep's sample, the sample's draw; in a plain
 * run, the nominal value of the distribution in force for its scenario;
 * elsewhere the declared distribution's nominal value. */
static OnsStatus op_param(OnsVM *vm, OnsValue *args, int nargs)
{
    (void)nargs;
    OnsModel *m = model_of(vm);
    uint32_t k = args[0].as.index;
    if (args[0].type != ONS_T_ENTITY || args[0].hint != ONS_ENT_PARAM || k >= m->nparams || !m->params[k].e.name)
        return vm_error(vm, "internal error: not a param");
    const OnsDist *d = m->in_scenario ? model_param_dist(m, m->in_scenario->scenario, k) : &m->params[k].dist;
    double v = m->in_scenario && m->sample_draws ? m->sample_draws[k] : model_dist_nominal(d);
    args[0] = ons_quantity(v, d->dim, d->hint);
    return ONS_OK;
}

static OnsStatus op_sweep(OnsVM *vm, OnsValue *args, int nargs)
{
    return sweep_run(vm, args, nargs);
}

static const OnsHostOp host_ops[ONS_HOST_OP_COUNT] = {
    [ONS_HOST_RUN] = {"run", "the run", op_run},
    [ONS_HOST_REPORT] = {"report", "the report", op_report},
    [ONS_HOST_EXPLAIN] = {"explain", "explain", op_explain},
    [ONS_HOST_PARAM] = {"param", "a param", op_param},
    [ONS_HOST_SWEEP] = {"sweep", "the sweep", op_sweep},
};

void model_attach(OnsVM *vm)
{
    OnsModel *m = model_new();
    m->last_run = ons_nil();
    m->last_sweep = ons_nil();
    vm->host = (OnsHost){
        .ctx = m,
        .mark = host_mark,
        .entity_name = host_entity_name,
        .get_property = model_get_property,
        .free = host_free,
        .ops = host_ops,
        .nops = ONS_HOST_OP_COUNT,
    };
    bool paused = vm->gc_paused;
    vm->gc_paused = true; /* the natives are rooted once registered */
    builtins_register_model(vm);
    builtins_register_queries(vm);
    builtins_register_plans(vm);
    vm->gc_paused = paused;
}
