/* entity.property as the language reads it: per-year properties evaluated
 * at the current `year`, references as entities, text as strings. */
#include "diag.h"
#include "model.h"

#include <string.h>

static OnsValue text_value(OnsVM *vm, const char *s)
{
    return s ? ons_obj_value(&string_cstr(vm, s)->obj) : ons_nil();
}

/* A per-year property: its value in the current year; without a year, a
 * constant or series as it stands, and an expression cannot be shown. */
static OnsStatus per_year(OnsVM *vm, OnsValue entity, const char *prop, OnsValue v, OnsValue *out)
{
    if (vm->year.type == ONS_T_NUM) return model_eval(vm, v, vm->year.as.num, out);
    if (ons_is_obj(v, ONS_OBJ_CLOSURE))
        return vm_error(vm, "%s.%s depends on the year: write `%s.%s at 2030`",
                        model_name(vm->model, (OnsEntityKind)entity.hint, entity.as.index), prop,
                        model_name(vm->model, (OnsEntityKind)entity.hint, entity.as.index), prop);
    *out = v;
    return ONS_OK;
}

/* A facility property in force: the running scenario's value, else the declared one. */
static OnsValue facility_value(OnsVM *vm, uint32_t index, int slot, OnsValue declared)
{
    const OnsScenarioValues *v = vm->in_scenario;
    if (v && index < v->nfacilities) return v->facility[(size_t)index * ONS_FP_COUNT + slot];
    return declared;
}

static OnsValue price_value(OnsVM *vm, uint32_t material, OnsValue declared)
{
    const OnsScenarioValues *v = vm->in_scenario;
    if (v && material < v->nmaterials) return v->price[material];
    return declared;
}

static OnsStatus material_prop(OnsVM *vm, OnsValue ent, OnsMaterial *m, const char *p, OnsValue *out,
                               bool *found)
{
    *found = true;
    if (strcmp(p, "unit") == 0) *out = text_value(vm, m->unit);
    else if (strcmp(p, "stage") == 0) *out = ons_entity(ONS_ENT_STAGE, m->stage);
    else if (strcmp(p, "classes") == 0) {
        OnsList *l = list_new(vm, m->nclasses);
        for (uint32_t i = 0; i < m->nclasses; i++) list_push(l, ons_entity(ONS_ENT_CLASS, m->classes[i]));
        *out = ons_obj_value(&l->obj);
    } else if (strcmp(p, "price") == 0) {
        return per_year(vm, ent, p, price_value(vm, ent.as.index, m->price), out);
    } else if (strcmp(p, "needs") == 0) {
        OnsMap *map = map_new(vm);
        *out = ons_obj_value(&map->obj);
        vm_push_root(vm, *out);
        for (uint32_t i = 0; i < m->nneeds; i++) {
            OnsValue v;
            OnsStatus st = per_year(vm, ent, p, m->needs[i].per_unit, &v);
            if (st != ONS_OK) {
                vm_pop_roots(vm, 1);
                return st;
            }
            map_set(map, ons_entity(ONS_ENT_MATERIAL, m->needs[i].material), v);
        }
        vm_pop_roots(vm, 1);
    } else {
        *found = false;
    }
    return ONS_OK;
}

static OnsStatus facility_prop(OnsVM *vm, OnsValue ent, OnsFacility *f, const char *p, OnsValue *out,
                               bool *found)
{
    *found = true;
    OnsModel *mo = vm->model;
    if (strcmp(p, "region") == 0) *out = ons_entity(ONS_ENT_REGION, f->region);
    else if (strcmp(p, "makes") == 0) *out = ons_entity(ONS_ENT_MATERIAL, f->makes);
    else if (strcmp(p, "capacity") == 0)
        return per_year(vm, ent, p, facility_value(vm, ent.as.index, ONS_FP_CAPACITY, f->capacity), out);
    else if (strcmp(p, "utilization") == 0) {
        OnsValue v = facility_value(vm, ent.as.index, ONS_FP_UTILIZATION, f->utilization);
        return per_year(vm, ent, p, ONS_IS_NIL(v) ? ons_percent(1) : v, out);
    } else if (strcmp(p, "cost") == 0) {
        OnsValue v = facility_value(vm, ent.as.index, ONS_FP_COST, f->cost);
        return per_year(vm, ent, p, ONS_IS_NIL(v) ? price_value(vm, f->makes, mo->materials[f->makes].price) : v, out);
    } else if (strcmp(p, "qualify") == 0) {
        OnsValue v = facility_value(vm, ent.as.index, ONS_FP_QUALIFY, f->qualify);
        return per_year(vm, ent, p, ONS_IS_NIL(v) ? ons_quantity(0, dim_base(ONS_DIM_TIME), 0) : v, out);
    } else if (strcmp(p, "recycled") == 0) {
        OnsValue v = facility_value(vm, ent.as.index, ONS_FP_RECYCLED, f->recycled);
        return per_year(vm, ent, p, ONS_IS_NIL(v) ? ons_bool(false) : v, out);
    }
    else *found = false;
    return ONS_OK;
}

/* The readable property of this kind nearest to a misspelt name, or NULL. */
static const char *suggest_property(OnsEntityKind kind, const char *name)
{
    const char *cands[24] = {"name", "title", "source", "note"};
    int n = 4;
    if (kind == ONS_ENT_MATERIAL || kind == ONS_ENT_FACILITY)
        for (const OnsPropDef *d; n < 24 && (d = model_prop_nth(kind, n - 4)); n++) cands[n] = d->name;
    if (kind == ONS_ENT_GROUP) cands[n++] = "members";
    if (kind == ONS_ENT_SCENARIO) cands[n++] = "parent";
    const char *best = NULL;
    size_t len = strlen(name), best_d = diag_suggest_limit(len) + 1;
    for (int i = 0; i < n; i++) {
        size_t dist = diag_name_distance(name, len, cands[i], strlen(cands[i]));
        if (dist < best_d) {
            best = cands[i];
            best_d = dist;
        }
    }
    return best;
}

OnsStatus model_get_property(OnsVM *vm, OnsValue ent, OnsString *name, OnsValue *out)
{
    OnsModel *mo = vm->model;
    OnsEntityKind kind = (OnsEntityKind)ent.hint;
    OnsEntityInfo *e = model_info(mo, kind, ent.as.index);
    const char *p = name->chars;
    if (!e) return vm_error(vm, "internal error: a reference to a missing entity");
    if (strcmp(p, "name") == 0) {
        *out = ons_obj_value(&e->name->obj);
        return ONS_OK;
    }
    if (strcmp(p, "title") == 0) {
        *out = text_value(vm, e->title);
        return ONS_OK;
    }
    if (strcmp(p, "source") == 0) {
        *out = text_value(vm, e->source);
        return ONS_OK;
    }
    if (strcmp(p, "note") == 0) {
        *out = text_value(vm, e->note);
        return ONS_OK;
    }
    bool found = false;
    switch (kind) {
    case ONS_ENT_MATERIAL:
        ONS_TRY(material_prop(vm, ent, (OnsMaterial *)e, p, out, &found));
        break;
    case ONS_ENT_FACILITY:
        ONS_TRY(facility_prop(vm, ent, (OnsFacility *)e, p, out, &found));
        break;
    case ONS_ENT_GROUP:
        if (strcmp(p, "members") == 0) {
            OnsGroup *g = (OnsGroup *)e;
            OnsList *l = list_new(vm, g->nmembers);
            for (uint32_t i = 0; i < g->nmembers; i++) list_push(l, ons_entity(ONS_ENT_REGION, g->members[i]));
            *out = ons_obj_value(&l->obj);
            found = true;
        }
        break;
    case ONS_ENT_SCENARIO: {
        OnsScenario *s = (OnsScenario *)e;
        if (strcmp(p, "parent") == 0) {
            *out = s->parent >= 0 ? ons_entity(ONS_ENT_SCENARIO, (uint32_t)s->parent) : ons_nil();
            found = true;
        }
        break;
    }
    default: break;
    }
    if (found) return ONS_OK;
    const char *sug = suggest_property(kind, p);
    if (sug)
        return vm_error(vm, "%s %s has no property '%s'; did you mean '%s'?", ons_entity_kind_name(kind),
                        e->name->chars, p, sug);
    return vm_error(vm, "%s %s has no property '%s'", ons_entity_kind_name(kind), e->name->chars, p);
}
