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
 * constant or series as it stands, and an expression cannot be shown.
 * ref (or NULL) names the value, marked while it is evaluated. */
static OnsStatus per_year(OnsVM *vm, OnsValue entity, const char *prop, const OnsPropRef *ref, OnsValue v,
                          OnsValue *out)
{
    if (vm->year.type == ONS_T_NUM) return model_eval_prop(vm, ref, v, vm->year.as.num, out);
    if (ons_is_obj(v, ONS_OBJ_CLOSURE))
        return vm_error(vm, "%s.%s depends on the year: write `%s.%s at 2030`",
                        model_name(model_of(vm), (OnsEntityKind)entity.hint, entity.as.index), prop,
                        model_name(model_of(vm), (OnsEntityKind)entity.hint, entity.as.index), prop);
    *out = v;
    return ONS_OK;
}

int model_facility_slot(OnsPropId prop)
{
    for (int slot = 0; slot < ONS_FP_COUNT; slot++)
        if (model_facility_prop(slot)->id == prop) return slot;
    return -1;
}

OnsStatus model_eval_prop(OnsVM *vm, const OnsPropRef *ref, OnsValue prop, double year, OnsValue *out)
{
    /* only an expression can read a property */
    if (!ref || !ons_is_obj(prop, ONS_OBJ_CLOSURE)) return model_eval(vm, prop, year, out);
    if (model_of(vm)->nevaluating < ONS_EVALUATING_MAX) model_of(vm)->evaluating[model_of(vm)->nevaluating] = *ref;
    model_of(vm)->nevaluating++;
    OnsStatus st = model_eval(vm, prop, year, out);
    model_of(vm)->nevaluating--;
    return st;
}

static bool overrides_ref(const OnsOverride *ov, const OnsPropRef *ref)
{
    if (ov->kind != ref->kind || ov->index != ref->index) return false;
    return ref->kind == ONS_ENT_MATERIAL ? ov->prop == ONS_PROP_PRICE
                                         : model_facility_slot((OnsPropId)ov->prop) == ref->slot;
}

/* The override of ref nearest the running scenario, `from` or more scenarios
 * up its chain of parents: its level and value; false when there is none. */
static bool find_override(OnsVM *vm, const OnsPropRef *ref, int from, int *level, OnsValue *value)
{
    OnsModel *m = model_of(vm);
    int up = 0;
    for (int32_t sc = (int32_t)model_of(vm)->in_scenario->scenario; sc >= 0 && up < ONS_LEVEL_DECLARED;
         sc = m->scenarios[sc].parent, up++) {
        if (up < from) continue;
        const OnsScenario *s = &m->scenarios[sc];
        for (uint32_t o = s->noverrides; o-- > 0;) /* the last of a scenario's overrides is the one in force */
            if (overrides_ref(&s->overrides[o], ref)) {
                *level = up;
                *value = s->overrides[o].value;
                return true;
            }
    }
    return false;
}

/* The value of a property in force where it is read: the running scenario's
 * (else the declared one); inside that very value's evaluation, the value it
 * replaces. Sets ref->level to which value that is. */
static OnsStatus value_in_force(OnsVM *vm, OnsPropRef *ref, const char *what, OnsValue declared, OnsValue in_run,
                                OnsValue *out)
{
    const OnsPropRef *busy = NULL;
    uint32_t n = model_of(vm)->nevaluating < ONS_EVALUATING_MAX ? model_of(vm)->nevaluating : ONS_EVALUATING_MAX;
    for (uint32_t i = n; i-- > 0 && !busy;)
        if (model_of(vm)->evaluating[i].kind == ref->kind && model_of(vm)->evaluating[i].index == ref->index &&
            model_of(vm)->evaluating[i].slot == ref->slot)
            busy = &model_of(vm)->evaluating[i];
    ref->level = ONS_LEVEL_IN_FORCE;
    *out = model_of(vm)->in_scenario ? in_run : declared;
    if (!busy) return ONS_OK;
    int level = busy->level;
    OnsValue ignored;
    if (model_of(vm)->in_scenario && level == ONS_LEVEL_IN_FORCE && !find_override(vm, ref, 0, &level, &ignored))
        level = ONS_LEVEL_DECLARED;
    if (!model_of(vm)->in_scenario || level == ONS_LEVEL_DECLARED)
        return vm_error(vm, "%s depends on itself: its value reads %s", what, what);
    int replaced;
    if (find_override(vm, ref, level + 1, &replaced, out)) {
        ref->level = (int16_t)replaced;
        return ONS_OK;
    }
    ref->level = ONS_LEVEL_DECLARED;
    *out = declared;
    return ONS_OK;
}

/* A material's price in force, evaluated in the current year. */
static OnsStatus price_per_year(OnsVM *vm, OnsValue ent, uint32_t material, const char *p, OnsValue *out)
{
    const OnsMaterial *m = &model_of(vm)->materials[material];
    OnsPropRef ref = {material, ONS_ENT_MATERIAL, 0, ONS_LEVEL_IN_FORCE};
    const OnsScenarioValues *view = model_of(vm)->in_scenario;
    OnsValue in_run = view && material < view->nmaterials ? view->price[material] : m->price;
    char what[160];
    snprintf(what, sizeof what, "%s.price", m->e.name->chars);
    OnsValue v;
    ONS_TRY(value_in_force(vm, &ref, what, m->price, in_run, &v));
    return per_year(vm, ent, p, &ref, v, out);
}

/* A facility property (ONS_FP_*) in force, evaluated in the current year. */
static OnsStatus material_prop(OnsVM *vm, OnsValue ent, OnsMaterial *m, const char *p, OnsValue *out,
                              bool *found);

/* A facility's own recipe read at the current year: each amount evaluated. */
static OnsStatus recipe_per_year(OnsVM *vm, OnsValue ent, const char *p, OnsValue recipe, OnsValue *out)
{
    OnsMap *own = ONS_AS_MAP(recipe);
    OnsMap *map = map_new(vm);
    *out = ons_obj_value(&map->obj);
    vm_push_root(vm, *out);
    for (uint32_t i = 0; i < own->len; i++) {
        OnsValue v;
        OnsStatus st = per_year(vm, ent, p, NULL, own->entries[i].value, &v);
        if (st != ONS_OK) {
            vm_pop_roots(vm, 1);
            return st;
        }
        map_set(map, own->entries[i].key, v);
    }
    vm_pop_roots(vm, 1);
    return ONS_OK;
}

static OnsStatus facility_per_year(OnsVM *vm, OnsValue ent, const OnsFacility *f, const char *p, int slot,
                                   OnsValue declared, OnsValue dflt, OnsValue *out)
{
    OnsPropRef ref = {ent.as.index, ONS_ENT_FACILITY, (uint8_t)slot, ONS_LEVEL_IN_FORCE};
    const OnsScenarioValues *view = model_of(vm)->in_scenario;
    OnsValue in_run = view && ent.as.index < view->nfacilities
                          ? view->facility[(size_t)ent.as.index * ONS_FP_COUNT + slot] : declared;
    char what[160];
    snprintf(what, sizeof what, "%s.%s", f->e.name->chars, p);
    OnsValue v;
    ONS_TRY(value_in_force(vm, &ref, what, declared, in_run, &v));
    /* no cost of its own: the price of what it makes */
    if (ONS_IS_NIL(v) && slot == ONS_FP_COST) return price_per_year(vm, ent, f->makes, p, out);
    if (slot == ONS_FP_RECIPE) {
        /* no recipe of its own: its material's */
        OnsModel *mo = model_of(vm);
        if (ONS_IS_NIL(v) && f->makes < mo->nmaterials) {
            bool found;
            return material_prop(vm, ons_entity(ONS_ENT_MATERIAL, f->makes), &mo->materials[f->makes], p, out,
                                 &found);
        }
        return recipe_per_year(vm, ent, p, v, out);
    }
    if (ONS_IS_NIL(v)) return per_year(vm, ent, p, NULL, dflt, out);
    return per_year(vm, ent, p, &ref, v, out);
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
        return price_per_year(vm, ent, ent.as.index, p, out);
    } else if (strcmp(p, "needs") == 0) {
        OnsMap *map = map_new(vm);
        *out = ons_obj_value(&map->obj);
        vm_push_root(vm, *out);
        for (uint32_t i = 0; i < m->nneeds; i++) {
            OnsValue v;
            OnsStatus st = per_year(vm, ent, p, NULL, m->needs[i].per_unit, &v);
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
    if (strcmp(p, "region") == 0) {
        *out = ons_entity(ONS_ENT_REGION, f->region);
        return ONS_OK;
    }
    if (strcmp(p, "makes") == 0) {
        *out = ons_entity(ONS_ENT_MATERIAL, f->makes);
        return ONS_OK;
    }
    if (strcmp(p, "feeds") == 0) {
        OnsList *l = list_new(vm, f->nfeeds);
        for (uint32_t i = 0; i < f->nfeeds; i++) list_push(l, ons_entity(ONS_ENT_FACILITY, f->feeds[i]));
        *out = ons_obj_value(&l->obj);
        return ONS_OK;
    }
    const OnsPropDef *d = model_prop_find(ONS_ENT_FACILITY, p);
    if (d && d->slot >= 0)
        return facility_per_year(vm, ent, f, p, d->slot, f->per_year[d->slot], model_prop_default((OnsPropId)d->id), out);
    if (f->is_option) { /* an option's own terms (spec 12), as declared; `from` is a keyword, no name */
        const char *const names[] = {"capex", "lead", "max", "size"};
        const OnsValue values[] = {f->option.capex, f->option.lead, f->option.max, f->option.size};
        for (size_t k = 0; k < ONS_ARRAY_LEN(names); k++)
            if (strcmp(p, names[k]) == 0) return per_year(vm, ent, p, NULL, values[k], out);
    }
    *found = false;
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
    return diag_closest(name, cands, (size_t)n);
}

OnsStatus model_get_property(OnsVM *vm, OnsValue ent, OnsString *name, OnsValue *out)
{
    OnsModel *mo = model_of(vm);
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
