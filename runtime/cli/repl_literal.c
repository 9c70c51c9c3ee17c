/* Values as source text that evaluates back to exactly the same value:
 * numbers in the fewest digits that read back bit for bit with their unit,
 * strings escaped, lists, maps and series element by element, functions
 * and runs by name.  :save writes variables with it. */
#include "repl_internal.h"
#include "model.h"
#include "sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n as a literal with unit (NULL: none) reading back as exactly x: the
 * shortest digits that do, as the lexer computes strtod(digits) * factor. */
static bool literal(double x, const char *unit, OnsDim dim, bool percent, char *buf, size_t n)
{
    double factor = 1;
    if (unit && *unit) {
        OnsDim d;
        bool pct = false;
        const char *bad = NULL;
        size_t used = unit_parse(unit, strlen(unit), &d, &factor, &pct, &bad);
        if (used != strlen(unit) || !dim_eq(d, dim) || pct != percent) return false;
    } else if (!dim_is_none(dim) || percent) {
        return false;
    }
    double mag = fabs(x);
    /* no fewer digits than the integer part has, so 60 is not written 6e+01 */
    int first = mag / factor >= 1 && mag / factor < 1e15 ? (int)floor(log10(mag / factor)) + 1 : 1;
    for (int prec = first < 1 ? 1 : first; prec <= 17; prec++) {
        char num[48];
        snprintf(num, sizeof num, "%.*g", prec, mag / factor);
        if (strtod(num, NULL) * factor != mag) continue;
        snprintf(buf, n, "%s%s%s%s", signbit(x) && x != 0 ? "-" : "", num, unit && *unit && !percent ? " " : "",
                 unit ? unit : "");
        return true;
    }
    return false;
}

static bool write_number(OnsOut *out, OnsValue v)
{
    double x = v.as.num;
    if (!isfinite(x)) return false;
    bool pct = v.hint == ONS_HINT_PERCENT;
    char buf[160], unit[64];
    double f;
    /* as print shows it (40 kt/yr, 60%), when that reads back exactly */
    if (pct && dim_is_none(v.dim)) snprintf(unit, sizeof unit, "%%");
    else if (dim_is_none(v.dim)) unit[0] = '\0';
    else ons_choose_scale(x, v.dim, unit, sizeof unit, &f);
    if (literal(x, unit, v.dim, pct, buf, sizeof buf)) {
        out_puts(out, buf);
        return true;
    }
    if (!pct && !dim_is_none(v.dim) && literal(x, dim_base_units(v.dim, unit, sizeof unit), v.dim, false, buf, sizeof buf)) {
        out_puts(out, buf);
        return true;
    }
    /* any other dimension or share: the plain number times one of each base
     * unit (multiplying by 1 is exact); `* 100%` carries the share hint */
    static const char *const base[ONS_NDIMS] = {"t", "kWh", "$", "yr", "km"};
    out_printf(out, "(%.17g", x);
    if (pct) out_puts(out, " * 100%");
    for (int i = 0; i < ONS_NDIMS; i++)
        for (int k = 0; k < abs(v.dim.e[i]); k++) out_printf(out, " %c 1 %s", v.dim.e[i] > 0 ? '*' : '/', base[i]);
    out_putc(out, ')');
    return true;
}

static bool write_string(OnsOut *out, const OnsString *s)
{
    for (uint32_t i = 0; i < s->len; i++) {
        unsigned char c = (unsigned char)s->chars[i];
        if (c < 0x20 && c != '\n' && c != '\t') return false; /* the lexer has no escape for it */
    }
    out_putc(out, '"');
    for (uint32_t i = 0; i < s->len; i++) {
        char c = s->chars[i];
        if (c == '"') out_puts(out, "\\\"");
        else if (c == '\\') out_puts(out, "\\\\");
        else if (c == '\n') out_puts(out, "\\n");
        else if (c == '\t') out_puts(out, "\\t");
        else out_putc(out, c);
    }
    out_putc(out, '"');
    return true;
}

/* The name a global function value is reachable by, or NULL. */
static const char *function_name(OnsVM *vm, OnsValue v)
{
    for (uint32_t g = 0; g < vm->nglobals; g++) {
        OnsValue w = vm->gvals[g];
        if (w.type == ONS_T_OBJ && w.as.obj == v.as.obj && vm->globals[g].kind == ONS_GLOBAL_VAR) {
            OnsProto *p = ONS_AS_CLOSURE(w)->proto;
            if (p->name && strcmp(p->name->chars, vm->globals[g].name->chars) == 0) return p->name->chars;
        }
    }
    return NULL;
}

static bool write_value(OnsVM *vm, OnsOut *out, OnsValue v, int depth)
{
    if (depth > 40) return false;
    switch ((OnsType)v.type) {
    case ONS_T_NIL: out_puts(out, "nil"); return true;
    case ONS_T_BOOL: out_puts(out, v.as.b ? "true" : "false"); return true;
    case ONS_T_NUM: return write_number(out, v);
    case ONS_T_ENTITY: {
        OnsEntityKind k = (OnsEntityKind)v.hint;
        OnsEntityInfo *e = model_info(model_of(vm), k, v.as.index);
        if (!e || !e->name || k == ONS_ENT_LANE || k == ONS_ENT_DEMAND) return false; /* no name to write */
        if (k == ONS_ENT_STAGE || k == ONS_ENT_CLASS) out_puts(out, k == ONS_ENT_STAGE ? "stage " : "class ");
        out_puts(out, e->name->chars);
        return true;
    }
    case ONS_T_OBJ: break;
    default: return false;
    }
    switch ((OnsObjType)v.as.obj->type) {
    case ONS_OBJ_STRING: return write_string(out, ONS_AS_STRING(v));
    case ONS_OBJ_LIST: {
        OnsList *l = ONS_AS_LIST(v);
        out_putc(out, '[');
        for (uint32_t i = 0; i < l->len; i++) {
            if (i) out_puts(out, ", ");
            if (!write_value(vm, out, l->items[i], depth + 1)) return false;
        }
        out_putc(out, ']');
        return true;
    }
    case ONS_OBJ_MAP: {
        OnsMap *m = ONS_AS_MAP(v);
        out_putc(out, '{');
        for (uint32_t i = 0; i < m->len; i++) {
            if (i) out_puts(out, ", ");
            if (!write_value(vm, out, m->entries[i].key, depth + 1)) return false;
            out_puts(out, ": ");
            if (!write_value(vm, out, m->entries[i].value, depth + 1)) return false;
        }
        out_putc(out, '}');
        return true;
    }
    case ONS_OBJ_SERIES: {
        OnsSeries *s = ONS_AS_SERIES(v);
        out_puts(out, s->kind == ONS_SERIES_STEP ? "step {" : "linear {");
        for (uint32_t i = 0; i < s->n; i++) {
            out_printf(out, "%s%.17g: ", i ? ", " : "", s->years[i]);
            if (!write_number(out, ons_quantity(s->vals[i], s->dim, s->hint))) return false;
        }
        out_putc(out, '}');
        return true;
    }
    case ONS_OBJ_CLOSURE: {
        const char *name = function_name(vm, v);
        if (name) {
            out_puts(out, name);
            return true;
        }
        OnsProto *p = ONS_AS_CLOSURE(v)->proto;
        size_t len;
        const char *text = repl_span_text(p->src, p->span, &len);
        if (p->nupvals || !text) return false; /* it closes over locals that no longer exist */
        out_write(out, text, len);            /* a lambda, as written */
        return true;
    }
    case ONS_OBJ_NATIVE: {
        const char *name = ONS_AS_NATIVE(v)->name;
        OnsNative *n = vm_builtin(vm, name, strlen(name));
        if (n != ONS_AS_NATIVE(v)) return false;
        out_puts(out, name);
        return true;
    }
    case ONS_OBJ_DATA: {
        OnsRun *run = sim_run_of(v);
        if (!run || run->scenario >= model_of(vm)->nscenarios) return false;
        const char *name = model_name(model_of(vm), ONS_ENT_SCENARIO, run->scenario);
        out_printf(out, "run %s", name); /* runs are deterministic: running again gives it back */
        return true;
    }
    default: return false;
    }
}

bool repl_write_value(OnsVM *vm, OnsOut *out, OnsValue v)
{
    OnsOut tmp;
    out_init_buffer(&tmp);
    bool ok = write_value(vm, &tmp, v, 0);
    if (ok) out_write(out, tmp.buf ? tmp.buf : "", tmp.len);
    out_free(&tmp);
    return ok;
}
