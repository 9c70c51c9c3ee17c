/* Entity storage, the property schema, membership tests and evaluating a
 * property at a year. */
#include "model.h"
#include "gc.h"
#include "mem.h"

#include <math.h>
#include <string.h>

/* ---- the property schema ---- */

static const OnsPropDef prop_defs[] = {
#define PROP(kind, id, rule, per_year, slot, dflt, name, doc) \
    {ONS_ENT_##kind, ONS_PROP_##id, ONS_PR_##rule, per_year, (slot) ? ONS_FP_##id : -1, name, doc},
#include "props.def"
#undef PROP
};

/* Whether row d belongs to the properties of kind: its own rows, then an
 * option's facility rows (all but capacity: the plan decides it), then the
 * common ones (source, note). */
static bool prop_in_kind(const OnsPropDef *d, int kind, int round)
{
    switch (round) {
    case 0: return d->kind == kind;
    case 1: return kind == ONS_ENT_OPTION && d->kind == ONS_ENT_FACILITY && d->id != ONS_PROP_CAPACITY;
    default: return d->kind == ONS_ENT_COMMON;
    }
}

const OnsPropDef *model_prop_find(OnsEntityKind kind, const char *name)
{
    /* One pass, the first letter first: every declaration of a program looks
     * its properties up here.  The earliest round a row belongs to wins, as
     * model_prop_nth orders them. */
    const OnsPropDef *best = NULL;
    int best_round = 3;
    for (size_t i = 0; i < ONS_ARRAY_LEN(prop_defs); i++) {
        const OnsPropDef *d = &prop_defs[i];
        if (d->name[0] != name[0] || strcmp(d->name, name) != 0) continue;
        for (int round = 0; round < best_round; round++)
            if (prop_in_kind(d, (int)kind, round)) {
                best = d;
                best_round = round;
                break;
            }
        if (best_round == 0) break;
    }
    return best;
}

const OnsPropDef *model_prop_nth(OnsEntityKind kind, int n)
{
    int k = 0;
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < ONS_ARRAY_LEN(prop_defs); i++)
            if (prop_in_kind(&prop_defs[i], (int)kind, round) && k++ == n) return &prop_defs[i];
    return NULL;
}

OnsValue model_prop_default(OnsPropId id)
{
    switch (id) {
#define PROP(kind, id, rule, per_year, slot, dflt, name, doc) \
    case ONS_PROP_##id: return dflt;
#include "props.def"
#undef PROP
    default: return ons_nil();
    }
}

const OnsPropDef *model_facility_prop(int slot)
{
    for (size_t i = 0; i < ONS_ARRAY_LEN(prop_defs); i++)
        if (prop_defs[i].slot == slot && prop_defs[i].kind == ONS_ENT_FACILITY) return &prop_defs[i];
    return NULL;
}

/* ---- storage ---- */

OnsModel *model_new(void) { return ons_calloc(1, sizeof(OnsModel)); }

/* The array, count and capacity of one kind, and its element size. */
static void **store(OnsModel *m, OnsEntityKind kind, uint32_t **n, uint32_t **cap, size_t *elem)
{
#define S(K, arr, cnt, c, T)                                                   \
    case K:                                                                    \
        *n = &m->cnt;                                                          \
        *cap = &m->c;                                                          \
        *elem = sizeof(T);                                                     \
        return (void **)&m->arr;
    switch (kind) {
        S(ONS_ENT_STAGE, stages, nstages, cap_stages, OnsStage)
        S(ONS_ENT_CLASS, classes, nclasses, cap_classes, OnsClass)
        S(ONS_ENT_REGION, regions, nregions, cap_regions, OnsRegion)
        S(ONS_ENT_GROUP, groups, ngroups, cap_groups, OnsGroup)
        S(ONS_ENT_MATERIAL, materials, nmaterials, cap_materials, OnsMaterial)
        S(ONS_ENT_FACILITY, facilities, nfacilities, cap_facilities, OnsFacility)
        S(ONS_ENT_LANE, lanes, nlanes, cap_lanes, OnsLane)
        S(ONS_ENT_DEMAND, demands, ndemands, cap_demands, OnsDemand)
        S(ONS_ENT_POLICY, policies, npolicies, cap_policies, OnsPolicy)
        S(ONS_ENT_SCENARIO, scenarios, nscenarios, cap_scenarios, OnsScenario)
        S(ONS_ENT_PARAM, params, nparams, cap_params, OnsParam)
    default: break;
    }
#undef S
    *n = *cap = NULL;
    *elem = 0;
    return NULL;
}

uint32_t model_count(const OnsModel *m, OnsEntityKind kind)
{
    uint32_t *n, *cap;
    size_t elem;
    if (!store((OnsModel *)m, kind, &n, &cap, &elem)) return 0;
    return *n;
}

void *model_entity(OnsModel *m, OnsEntityKind kind, uint32_t index)
{
    uint32_t *n, *cap;
    size_t elem;
    void **arr = store(m, kind, &n, &cap, &elem);
    if (!arr || index >= *n) return NULL;
    return (char *)*arr + (size_t)index * elem;
}

/* Every entity struct begins with its OnsEntityInfo. */
OnsEntityInfo *model_info(OnsModel *m, OnsEntityKind kind, uint32_t index)
{
    return (OnsEntityInfo *)model_entity(m, kind, index);
}

const char *model_name(OnsModel *m, OnsEntityKind kind, uint32_t index)
{
    OnsEntityInfo *e = model_info(m, kind, index);
    return e && e->name ? e->name->chars : "?";
}

uint32_t model_append(OnsModel *m, OnsEntityKind kind)
{
    uint32_t *n, *cap;
    size_t elem;
    void **arr = store(m, kind, &n, &cap, &elem);
    size_t c = *cap;
    ons_grow(arr, &c, (size_t)*n + 1, elem);
    *cap = (uint32_t)c;
    memset((char *)*arr + (size_t)*n * elem, 0, elem);
    m->generation++;
    return (*n)++;
}

void model_reserve(OnsModel *m, OnsEntityKind kind, size_t more)
{
    uint32_t *n, *cap;
    size_t elem;
    void **arr = store(m, kind, &n, &cap, &elem);
    size_t want = (size_t)*n + more;
    if (want <= *cap || want > UINT32_MAX) return;
    *arr = ons_realloc(*arr, want * elem);
    *cap = (uint32_t)want;
    ons_advise_huge(*arr, want * elem);
}

void model_free_selector(OnsSelector *s)
{
    ons_free(s->list);
    memset(s, 0, sizeof *s);
}

void model_free_region_set(OnsRegionSet *s)
{
    ons_free(s->list);
    ons_free(s->list_is_group);
    memset(s, 0, sizeof *s);
}

void model_plan_free(OnsPlan *p)
{
    if (!p) return;
    ons_free(p->options);
    ons_free(p->enforce);
    ons_free(p->write);
    ons_free(p);
}

void model_entity_free_parts(OnsEntityKind kind, void *entity)
{
    OnsEntityInfo *e = entity;
    ons_free(e->title);
    ons_free(e->source);
    ons_free(e->note);
    switch (kind) {
    case ONS_ENT_GROUP: ons_free(((OnsGroup *)e)->members); break;
    case ONS_ENT_FACILITY: ons_free(((OnsFacility *)e)->feeds); break;
    case ONS_ENT_MATERIAL:
        ons_free(((OnsMaterial *)e)->classes);
        ons_free(((OnsMaterial *)e)->needs);
        break;
    case ONS_ENT_POLICY: {
        OnsPolicy *p = (OnsPolicy *)e;
        for (uint32_t i = 0; i < p->nrules; i++) {
            model_free_selector(&p->rules[i].sel);
            model_free_region_set(&p->rules[i].from);
            model_free_region_set(&p->rules[i].to);
        }
        ons_free(p->rules);
        break;
    }
    case ONS_ENT_SCENARIO: {
        OnsScenario *sc = (OnsScenario *)e;
        ons_free(sc->use);
        ons_free(sc->overrides);
        for (uint32_t i = 0; i < sc->nparams; i++) model_dist_free(&sc->params[i].dist);
        ons_free(sc->params);
        model_plan_free(sc->plan);
        break;
    }
    case ONS_ENT_PARAM: model_dist_free(&((OnsParam *)e)->dist); break;
    default: break;
    }
}

void model_clear_entity(OnsModel *m, OnsEntityKind kind, uint32_t index)
{
    OnsEntityInfo *e = model_info(m, kind, index);
    if (!e) return;
    model_entity_free_parts(kind, e);
    uint32_t *n, *cap;
    size_t elem;
    store(m, kind, &n, &cap, &elem);
    memset(e, 0, elem);
    m->generation++;
}

void model_free(OnsModel *m)
{
    if (!m) return;
    for (int k = 0; k < ONS_ENT_KIND_COUNT; k++) {
        uint32_t *n, *cap;
        size_t elem;
        void **arr = store(m, (OnsEntityKind)k, &n, &cap, &elem);
        for (uint32_t i = 0; i < *n; i++) model_clear_entity(m, (OnsEntityKind)k, i);
        ons_free(*arr);
    }
    for (uint32_t i = 0; i < m->nparts_written; i++) ons_free(m->parts_written[i]);
    ons_free(m->parts_written);
    ons_free(m->sweeps_made);
    for (uint32_t i = 0; i < m->ntables; i++) ons_free(m->tables[i]);
    ons_free(m->tables);
    ons_free(m);
}

void model_note_table(OnsModel *m, const char *line)
{
    for (uint32_t i = 0; i < m->ntables; i++)
        if (strcmp(m->tables[i], line) == 0) return;
    ONS_GROW(m->tables, m->cap_tables, m->ntables + 1);
    m->tables[m->ntables++] = ons_strdup(line);
}

OnsModelMark model_checkpoint(const OnsModel *m)
{
    OnsModelMark mk;
    for (int k = 0; k < ONS_ENT_KIND_COUNT; k++) mk.n[k] = model_count(m, (OnsEntityKind)k);
    return mk;
}

void model_rollback(OnsModel *m, OnsModelMark mark)
{
    for (int k = 0; k < ONS_ENT_KIND_COUNT; k++) {
        uint32_t *n, *cap;
        size_t elem;
        store(m, (OnsEntityKind)k, &n, &cap, &elem);
        while (*n > mark.n[k]) {
            model_clear_entity(m, (OnsEntityKind)k, *n - 1);
            (*n)--;
        }
    }
    m->generation++;
}

static void mark_info(OnsVM *vm, OnsEntityInfo *e) { gc_mark_object(vm, (OnsObj *)e->name); }

void model_mark(OnsVM *vm, OnsModel *m)
{
    for (int k = 0; k < ONS_ENT_KIND_COUNT; k++) {
        uint32_t n = model_count(m, (OnsEntityKind)k);
        for (uint32_t i = 0; i < n; i++) mark_info(vm, model_info(m, (OnsEntityKind)k, i));
    }
    for (uint32_t i = 0; i < m->nmaterials; i++) {
        OnsMaterial *mat = &m->materials[i];
        gc_mark_value(vm, mat->price);
        for (uint32_t j = 0; j < mat->nneeds; j++) gc_mark_value(vm, mat->needs[j].per_unit);
    }
    for (uint32_t i = 0; i < m->nfacilities; i++) {
        OnsFacility *f = &m->facilities[i];
        for (int k = 0; k < ONS_FP_COUNT; k++) gc_mark_value(vm, f->per_year[k]);
        if (f->is_option) {
            gc_mark_value(vm, f->option.capex);
            gc_mark_value(vm, f->option.lead);
            gc_mark_value(vm, f->option.max);
            gc_mark_value(vm, f->option.from);
            gc_mark_value(vm, f->option.size);
        }
    }
    for (uint32_t i = 0; i < m->nlanes; i++) {
        gc_mark_value(vm, m->lanes[i].cost);
        gc_mark_value(vm, m->lanes[i].days);
    }
    for (uint32_t i = 0; i < m->ndemands; i++) gc_mark_value(vm, m->demands[i].amount);
    for (uint32_t i = 0; i < m->npolicies; i++)
        for (uint32_t j = 0; j < m->policies[i].nrules; j++) gc_mark_value(vm, m->policies[i].rules[j].value);
    for (uint32_t i = 0; i < m->nscenarios; i++) {
        for (uint32_t j = 0; j < m->scenarios[i].noverrides; j++)
            gc_mark_value(vm, m->scenarios[i].overrides[j].value);
        const OnsPlan *plan = m->scenarios[i].plan;
        if (plan) {
            gc_mark_value(vm, plan->discount);
            gc_mark_value(vm, plan->shortage_cost);
            gc_mark_value(vm, plan->time_limit);
        }
    }
}

/* ---- namespaces and membership ---- */

static int32_t find_in(OnsModel *m, OnsEntityKind kind, const char *name, size_t len)
{
    uint32_t n = model_count(m, kind);
    for (uint32_t i = 0; i < n; i++) {
        OnsEntityInfo *e = model_info(m, kind, i);
        if (e->name && e->name->len == len && memcmp(e->name->chars, name, len) == 0) return (int32_t)i;
    }
    return -1;
}

int32_t model_find_stage(const OnsModel *m, const char *name, size_t len)
{
    return find_in((OnsModel *)m, ONS_ENT_STAGE, name, len);
}

int32_t model_find_class(const OnsModel *m, const char *name, size_t len)
{
    return find_in((OnsModel *)m, ONS_ENT_CLASS, name, len);
}

bool model_material_in_class(const OnsModel *m, uint32_t material, uint32_t cls)
{
    const OnsMaterial *mat = &m->materials[material];
    for (uint32_t i = 0; i < mat->nclasses; i++)
        if (mat->classes[i] == cls) return true;
    return false;
}

bool model_selector_matches(const OnsModel *m, const OnsSelector *sel, uint32_t material)
{
    switch ((OnsSelectorKind)sel->kind) {
    case ONS_SEL_ALL: return true;
    case ONS_SEL_MATERIAL: return sel->index == material;
    case ONS_SEL_LIST:
        for (uint32_t i = 0; i < sel->n; i++)
            if (sel->list[i] == material) return true;
        return false;
    case ONS_SEL_STAGE: return m->materials[material].stage == sel->index;
    case ONS_SEL_CLASS: return model_material_in_class(m, material, sel->index);
    }
    return false;
}

bool model_group_has(const OnsModel *m, uint32_t group, uint32_t region)
{
    const OnsGroup *g = &m->groups[group];
    for (uint32_t i = 0; i < g->nmembers; i++)
        if (g->members[i] == region) return true;
    return false;
}

bool model_region_set_matches(const OnsModel *m, const OnsRegionSet *set, uint32_t region)
{
    switch ((OnsRegionSetKind)set->kind) {
    case ONS_RSET_ALL: return true;
    case ONS_RSET_REGION: return set->index == region;
    case ONS_RSET_GROUP: return model_group_has(m, set->index, region);
    case ONS_RSET_LIST:
        for (uint32_t i = 0; i < set->n; i++) {
            if (set->list_is_group[i] ? model_group_has(m, set->list[i], region) : set->list[i] == region)
                return true;
        }
        return false;
    }
    return false;
}

/* ---- evaluation ---- */

OnsStatus model_eval(OnsVM *vm, OnsValue prop, double year, OnsValue *out)
{
    if (prop.type != ONS_T_OBJ) {
        *out = prop;
        return ONS_OK;
    }
    switch (prop.as.obj->type) {
    case ONS_OBJ_SERIES: {
        OnsSeries *s = ONS_AS_SERIES(prop);
        *out = ons_quantity(series_at(s, year), s->dim, s->hint);
        return ONS_OK;
    }
    case ONS_OBJ_CLOSURE: {
        OnsStatus st = vm_call_at_year(vm, prop, year, out);
        if (st != ONS_OK) return st;
        if (ons_is_obj(*out, ONS_OBJ_SERIES)) {
            OnsSeries *s = ONS_AS_SERIES(*out);
            *out = ons_quantity(series_at(s, year), s->dim, s->hint);
        }
        return ONS_OK;
    }
    default:
        *out = prop;
        return ONS_OK;
    }
}
