/* :list: what the session declared, by kind, one line each, or a line per
 * kind with the names. */
#include "repl_internal.h"
#include "model.h"

#include <stdio.h>
#include <string.h>

const char *const ons_repl_list_kinds[] = {"stages",  "classes",  "regions",   "groups",    "materials",
                                           "facilities", "lanes", "demands",   "policies",  "scenarios",
                                           "params",    "variables", "functions", "builtins", NULL};

static const char *const singular[] = {"stage",    "class", "region", "group",  "material", "facility", "lane",
                                       "demand",   "policy", "scenario", "param",    "variable", "function", "builtin",
                                       NULL};

/* The index into ons_repl_list_kinds of what the user typed, -1 if none,
 * -2 if ambiguous. */
static int list_kind(const char *arg)
{
    size_t n = strlen(arg);
    int found = -1;
    for (int i = 0; ons_repl_list_kinds[i]; i++) {
        if (strcmp(arg, ons_repl_list_kinds[i]) == 0 || strcmp(arg, singular[i]) == 0) return i;
        if (strncmp(arg, ons_repl_list_kinds[i], n) == 0) found = found == -1 ? i : -2;
    }
    return found;
}

static void entity_row(OnsVM *vm, OnsRows *t, OnsEntityKind kind, uint32_t i)
{
    OnsModel *m = model_of(vm);
    OnsEntityInfo *e = model_info(m, kind, i);
    char a[256] = "", b[256] = "";
    switch (kind) {
    case ONS_ENT_STAGE: snprintf(a, sizeof a, "number %u", i + 1); break;
    case ONS_ENT_GROUP: {
        OnsGroup *g = (OnsGroup *)e;
        size_t len = 0;
        for (uint32_t k = 0; k < g->nmembers && len < sizeof a; k++)
            len += (size_t)snprintf(a + len, sizeof a - len, "%s%s", k ? ", " : "", model_name(m, ONS_ENT_REGION, g->members[k]));
        break;
    }
    case ONS_ENT_MATERIAL: {
        OnsMaterial *mat = (OnsMaterial *)e;
        snprintf(a, sizeof a, "%s, stage %s", mat->unit, model_name(m, ONS_ENT_STAGE, mat->stage));
        break;
    }
    case ONS_ENT_FACILITY: {
        OnsFacility *f = (OnsFacility *)e;
        snprintf(a, sizeof a, "%s, makes %s", model_name(m, ONS_ENT_REGION, f->region), model_name(m, ONS_ENT_MATERIAL, f->makes));
        break;
    }
    case ONS_ENT_POLICY: {
        uint32_t n = ((OnsPolicy *)e)->nrules;
        snprintf(a, sizeof a, "%u rule%s", n, n == 1 ? "" : "s");
        break;
    }
    case ONS_ENT_SCENARIO: {
        OnsScenario *s = (OnsScenario *)e;
        if (s->has_years) snprintf(a, sizeof a, "%d..%d", s->year_from, s->year_until);
        if (s->parent >= 0)
            snprintf(a + strlen(a), sizeof a - strlen(a), "%sextends %s", a[0] ? ", " : "",
                     model_name(m, ONS_ENT_SCENARIO, (uint32_t)s->parent));
        break;
    }
    default: break;
    }
    if (e->title) snprintf(b, sizeof b, "\"%s\"", e->title);
    repl_rows_add(t, e->name->chars, a, b);
}

/* A variable of the session that :list shows: assigned, and not `_` (the
 * last echoed value, always there once something was echoed). */
static bool listed_var(const OnsVM *vm, uint32_t g)
{
    return vm->globals[g].kind == ONS_GLOBAL_VAR && vm->gvals[g].type != ONS_T_UNDEF &&
           !repl_is_last_value(vm->globals[g].name);
}

static void list_globals(OnsVM *vm, OnsRows *t, bool functions)
{
    for (uint32_t g = 0; g < vm->nglobals; g++) {
        OnsValue v = vm->gvals[g];
        if (!listed_var(vm, g)) continue;
        bool fn = ons_is_obj(v, ONS_OBJ_CLOSURE);
        if (fn != functions) continue;
        char buf[200];
        if (fn) {
            OnsProto *p = ONS_AS_CLOSURE(v)->proto;
            size_t len = 0;
            len += (size_t)snprintf(buf, sizeof buf, "(");
            for (int i = 0; i < p->nparams && len < sizeof buf; i++)
                len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? ", " : "",
                                        p->param_names && p->param_names[i] ? p->param_names[i]->chars : "?");
            if (len < sizeof buf) snprintf(buf + len, sizeof buf - len, ")");
            char head[300];
            snprintf(head, sizeof head, "%s%s", vm->globals[g].name->chars, buf);
            repl_rows_add(t, head, NULL, NULL);
        } else {
            char val[120] = "= ";
            value_to_cstr(vm, v, val + 2, 80);
            repl_rows_add(t, vm->globals[g].name->chars, val, NULL);
        }
    }
}

static void list_summary(OnsRepl *r)
{
    OnsVM *vm = r->vm;
    OnsModel *m = model_of(vm);
    OnsOut *out = vm->out;
    int lines = 0;
    for (int k = 0; k < ONS_ENT_KIND_COUNT; k++) {
        uint32_t live = 0;
        for (uint32_t i = 0; i < model_count(m, (OnsEntityKind)k); i++) live += model_info(m, (OnsEntityKind)k, i)->name != NULL;
        if (!live) continue;
        out_printf(out, "%s (%u):", ons_repl_list_kinds[k], live);
        uint32_t shown = 0;
        for (uint32_t i = 0; i < model_count(m, (OnsEntityKind)k); i++) {
            if (!model_info(m, (OnsEntityKind)k, i)->name) continue;
            if (shown == 12) {
                out_printf(out, " ... and %u more", live - shown);
                break;
            }
            out_printf(out, "%s %s", shown++ ? "," : "", model_name(m, (OnsEntityKind)k, i));
        }
        out_putc(out, '\n');
        lines++;
    }
    for (int fn = 0; fn < 2; fn++) {
        uint32_t count = 0;
        for (uint32_t g = 0; g < vm->nglobals; g++)
            count += listed_var(vm, g) && ons_is_obj(vm->gvals[g], ONS_OBJ_CLOSURE) == (fn == 1);
        if (!count) continue;
        out_printf(out, "%s (%u):", fn ? "functions" : "variables", count);
        uint32_t shown = 0;
        for (uint32_t g = 0; g < vm->nglobals && shown <= 12; g++) {
            if (!listed_var(vm, g) || ons_is_obj(vm->gvals[g], ONS_OBJ_CLOSURE) != (fn == 1)) continue;
            if (shown == 12) out_printf(out, " ... and %u more", count - shown);
            else out_printf(out, "%s %s", shown ? "," : "", vm->globals[g].name->chars);
            shown++;
        }
        out_putc(out, '\n');
        lines++;
    }
    if (!lines) out_puts(out, "nothing declared yet\n");
}

void repl_cmd_list(OnsRepl *r, const char *args)
{
    OnsVM *vm = r->vm;
    if (!*args) {
        list_summary(r);
        return;
    }
    int kind = list_kind(args);
    if (kind < 0) {
        const char *near = kind == -1 ? diag_closest(args, ons_repl_list_kinds, 14) : NULL;
        out_printf(vm->err, ":list takes one of stages, classes, regions, groups, materials, facilities, lanes, demands, "
                            "policies, scenarios, params, variables, functions, builtins");
        if (near) out_printf(vm->err, "; did you mean '%s'?", near);
        out_putc(vm->err, '\n');
        r->failures++;
        return;
    }
    OnsRows t = {0};
    if (kind < ONS_ENT_KIND_COUNT) {
        for (uint32_t i = 0; i < model_count(model_of(vm), (OnsEntityKind)kind); i++)
            if (model_info(model_of(vm), (OnsEntityKind)kind, i)->name) entity_row(vm, &t, (OnsEntityKind)kind, i);
    } else if (strcmp(ons_repl_list_kinds[kind], "builtins") == 0) {
        /* many short names: filled into lines, as a shell lists words */
        size_t col = 0;
        for (uint32_t i = 0; i < vm->builtins->len; i++) {
            OnsValue k = vm->builtins->entries[i].key;
            if (!ons_is_obj(k, ONS_OBJ_STRING)) continue;
            const char *name = ONS_AS_STRING(k)->chars;
            if (col) out_putc(vm->out, ',');
            if (col && col + strlen(name) + 2 > 76) {
                out_putc(vm->out, '\n');
                col = 0;
            } else if (col) {
                out_putc(vm->out, ' ');
                col += 2;
            }
            out_puts(vm->out, name);
            col += strlen(name);
        }
        out_putc(vm->out, '\n');
        return;
    } else {
        list_globals(vm, &t, strcmp(ons_repl_list_kinds[kind], "functions") == 0);
    }
    if (!t.n) out_printf(vm->out, "no %s\n", ons_repl_list_kinds[kind]);
    repl_rows_print(&t, vm->out, "");
}
