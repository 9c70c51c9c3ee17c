/* Introspection of the model (spec §8): regions(), materials(stage: ...),
 * facilities(region: ..., makes: ...) and friends. */
#include "arith.h"
#include "builtins.h"
#include "model.h"

#include <string.h>

#define NATIVE(name) static OnsStatus name(OnsVM *vm, const OnsValue *args, int nargs, const OnsNamedArgs *named, OnsValue *out)
#define UNUSED_ARGS() ((void)named, (void)nargs, (void)args)

static OnsValue all_of(OnsVM *vm, OnsEntityKind kind)
{
    uint32_t n = model_count(model_of(vm), kind);
    OnsList *l = list_new(vm, n);
    for (uint32_t i = 0; i < n; i++) list_push(l, ons_entity(kind, i));
    return ons_obj_value(&l->obj);
}

NATIVE(nat_regions) { UNUSED_ARGS(); *out = all_of(vm, ONS_ENT_REGION); return ONS_OK; }
NATIVE(nat_groups) { UNUSED_ARGS(); *out = all_of(vm, ONS_ENT_GROUP); return ONS_OK; }
NATIVE(nat_stages) { UNUSED_ARGS(); *out = all_of(vm, ONS_ENT_STAGE); return ONS_OK; }
NATIVE(nat_classes) { UNUSED_ARGS(); *out = all_of(vm, ONS_ENT_CLASS); return ONS_OK; }
NATIVE(nat_policies) { UNUSED_ARGS(); *out = all_of(vm, ONS_ENT_POLICY); return ONS_OK; }
NATIVE(nat_scenarios) { UNUSED_ARGS(); *out = all_of(vm, ONS_ENT_SCENARIO); return ONS_OK; }

static OnsStatus want_entity(OnsVM *vm, const char *fn, const char *arg, const OnsValue *v,
                             OnsEntityKind kind, OnsEntityKind alt)
{
    if (!v || ons_is_entity(*v, kind) || ons_is_entity(*v, alt)) return ONS_OK;
    char d[96];
    return vm_error(vm, "%s: %s: must be a %s, not %s", fn, arg, ons_entity_kind_name(kind),
                    arith_describe(vm, *v, d, sizeof d));
}

/* `stage: cell` where a material is also called cell: the argument wants a
 * stage, and a stage (or class) of that name wins (spec §4 lets a stage and
 * a material share a name). */
static const OnsValue *as_kind(OnsVM *vm, const OnsValue *v, OnsEntityKind kind, OnsValue *tmp)
{
    if (!v || v->type != ONS_T_ENTITY || v->hint == kind) return v;
    const char *name = model_name(model_of(vm), (OnsEntityKind)v->hint, v->as.index);
    int32_t i = kind == ONS_ENT_STAGE ? model_find_stage(model_of(vm), name, strlen(name))
                                      : model_find_class(model_of(vm), name, strlen(name));
    if (i < 0) return v;
    *tmp = ons_entity(kind, (uint32_t)i);
    return tmp;
}

/* Does material m pass the stage: and class: filters? */
static bool material_passes(OnsModel *mo, uint32_t m, const OnsValue *stage, const OnsValue *cls)
{
    if (stage && mo->materials[m].stage != stage->as.index) return false;
    if (cls && !model_material_in_class(mo, m, cls->as.index)) return false;
    return true;
}

NATIVE(nat_materials)
{
    (void)args;
    (void)nargs;
    OnsValue stage_tmp, cls_tmp;
    const OnsValue *stage = as_kind(vm, builtins_named_arg(named, "stage"), ONS_ENT_STAGE, &stage_tmp);
    const OnsValue *cls = as_kind(vm, builtins_named_arg(named, "class"), ONS_ENT_CLASS, &cls_tmp);
    ONS_TRY(want_entity(vm, "materials", "stage", stage, ONS_ENT_STAGE, ONS_ENT_STAGE));
    ONS_TRY(want_entity(vm, "materials", "class", cls, ONS_ENT_CLASS, ONS_ENT_CLASS));
    OnsModel *mo = model_of(vm);
    OnsList *l = list_new(vm, 0);
    for (uint32_t i = 0; i < mo->nmaterials; i++)
        if (material_passes(mo, i, stage, cls)) list_push(l, ons_entity(ONS_ENT_MATERIAL, i));
    *out = ons_obj_value(&l->obj);
    return ONS_OK;
}

/* facilities(region:, makes:, stage:, class:) and options(...) (spec 12):
 * the declared facilities, or the declared options, that pass the filters */
static OnsStatus list_facilities(OnsVM *vm, const OnsNamedArgs *named, bool options, OnsValue *out)
{
    const OnsValue *region = builtins_named_arg(named, "region"), *makes = builtins_named_arg(named, "makes");
    OnsValue stage_tmp, cls_tmp;
    const OnsValue *stage = as_kind(vm, builtins_named_arg(named, "stage"), ONS_ENT_STAGE, &stage_tmp);
    const OnsValue *cls = as_kind(vm, builtins_named_arg(named, "class"), ONS_ENT_CLASS, &cls_tmp);
    ONS_TRY(want_entity(vm, options ? "options" : "facilities", "region", region, ONS_ENT_REGION, ONS_ENT_GROUP));
    ONS_TRY(want_entity(vm, options ? "options" : "facilities", "makes", makes, ONS_ENT_MATERIAL, ONS_ENT_MATERIAL));
    ONS_TRY(want_entity(vm, options ? "options" : "facilities", "stage", stage, ONS_ENT_STAGE, ONS_ENT_STAGE));
    ONS_TRY(want_entity(vm, options ? "options" : "facilities", "class", cls, ONS_ENT_CLASS, ONS_ENT_CLASS));
    OnsModel *mo = model_of(vm);
    OnsList *l = list_new(vm, 0);
    for (uint32_t i = 0; i < mo->nfacilities; i++) {
        OnsFacility *f = &mo->facilities[i];
        if (region) {
            bool in = region->hint == ONS_ENT_GROUP ? model_group_has(mo, region->as.index, f->region)
                                                    : f->region == region->as.index;
            if (!in) continue;
        }
        if (makes && f->makes != makes->as.index) continue;
        if (!f->e.name || f->is_option != options || !material_passes(mo, f->makes, stage, cls)) continue;
        list_push(l, ons_entity(ONS_ENT_FACILITY, i));
    }
    *out = ons_obj_value(&l->obj);
    return ONS_OK;
}

NATIVE(nat_facilities)
{
    (void)args;
    (void)nargs;
    return list_facilities(vm, named, false, out);
}

NATIVE(nat_options)
{
    (void)args;
    (void)nargs;
    return list_facilities(vm, named, true, out);
}

NATIVE(nat_members)
{
    UNUSED_ARGS();
    if (!ons_is_entity(args[0], ONS_ENT_GROUP)) {
        char d[96];
        return vm_error(vm, "members: needs a group, not %s", arith_describe(vm, args[0], d, sizeof d));
    }
    OnsGroup *g = &model_of(vm)->groups[args[0].as.index];
    OnsList *l = list_new(vm, g->nmembers);
    for (uint32_t i = 0; i < g->nmembers; i++) list_push(l, ons_entity(ONS_ENT_REGION, g->members[i]));
    *out = ons_obj_value(&l->obj);
    return ONS_OK;
}

void builtins_register_model(OnsVM *vm)
{
    static const char *const material_args[] = {"stage", "class", NULL};
    static const char *const facility_args[] = {"region", "makes", "stage", "class", NULL};
    static const OnsNativeDef defs[] = {
        {"regions", nat_regions, 0, 0, ONS_RES_LIST, NULL},
        {"groups", nat_groups, 0, 0, ONS_RES_LIST, NULL},
        {"stages", nat_stages, 0, 0, ONS_RES_LIST, NULL},
        {"classes", nat_classes, 0, 0, ONS_RES_LIST, NULL},
        {"policies", nat_policies, 0, 0, ONS_RES_LIST, NULL},
        {"scenarios", nat_scenarios, 0, 0, ONS_RES_LIST, NULL},
        {"materials", nat_materials, 0, 0, ONS_RES_LIST, material_args},
        {"facilities", nat_facilities, 0, 0, ONS_RES_LIST, facility_args},
        {"options", nat_options, 0, 0, ONS_RES_LIST, facility_args},
        {"members", nat_members, 1, 1, ONS_RES_LIST, NULL},
    };
    vm_register_natives(vm, defs, ONS_ARRAY_LEN(defs));
}
