/* How values print: print() shows quantities at a readable scale and strings
 * as they are; the REPL echo (repr) quotes strings. */
#include "vm.h"
#include "object.h"

#include <stdio.h>
#include <string.h>

const char *ons_entity_kind_name(OnsEntityKind k)
{
    static const char *const names[] = {"stage", "class", "region", "group", "material",
                                        "facility", "lane", "demand", "policy", "scenario", "param"};
    return k < ONS_ENT_KIND_COUNT ? names[k] : "entity";
}

const char *ons_type_word(OnsValue v, char *buf, size_t n)
{
    switch ((OnsType)v.type) {
    case ONS_T_NIL: return "nil";
    case ONS_T_UNDEF: return "nothing";
    case ONS_T_BOOL: return "boolean";
    case ONS_T_NUM:
        if (dim_is_none(v.dim)) return "number";
        return dim_describe(v.dim, buf, n);
    case ONS_T_ENTITY: return ons_entity_kind_name((OnsEntityKind)v.hint);
    case ONS_T_OBJ:
        switch ((OnsObjType)v.as.obj->type) {
        case ONS_OBJ_STRING: return "string";
        case ONS_OBJ_LIST: return "list";
        case ONS_OBJ_MAP: return "map";
        case ONS_OBJ_CLOSURE: case ONS_OBJ_NATIVE: return "function";
        case ONS_OBJ_SERIES: return "series";
        case ONS_OBJ_DATA: return ((OnsData *)v.as.obj)->cls->name;
        default: return "internal object";
        }
    }
    return "value";
}

static void print_string_quoted(OnsOut *out, const OnsString *s)
{
    out_putc(out, '"');
    for (uint32_t i = 0; i < s->len; i++) {
        char c = s->chars[i];
        switch (c) {
        case '"': out_puts(out, "\\\""); break;
        case '\\': out_puts(out, "\\\\"); break;
        case '\n': out_puts(out, "\\n"); break;
        case '\t': out_puts(out, "\\t"); break;
        default: out_putc(out, c);
        }
    }
    out_putc(out, '"');
}

static void print_number(OnsOut *out, OnsValue v)
{
    char buf[96];
    ons_format_quantity(buf, sizeof buf, v.as.num, v.dim, v.hint == ONS_HINT_PERCENT, 6);
    out_puts(out, buf);
}

/* Containers being printed, outermost first: a list or map met again inside
 * itself prints as [...] or {...}, so a cycle prints once (a list holding
 * itself many times would otherwise print without end). */
enum { PRINT_MAX_DEPTH = 20 };
typedef struct PrintPath {
    const OnsObj *open[PRINT_MAX_DEPTH + 1];
} PrintPath;

static void print_value(OnsVM *vm, OnsOut *out, OnsValue v, bool quote, int depth, PrintPath *path);

static bool print_cycle(OnsOut *out, const OnsObj *o, int depth, const PrintPath *path)
{
    for (int i = 0; i < depth; i++)
        if (path->open[i] == o) {
            out_puts(out, o->type == ONS_OBJ_LIST ? "[...]" : "{...}");
            return true;
        }
    return false;
}

static void print_series(OnsOut *out, const OnsSeries *s)
{
    out_puts(out, s->kind == ONS_SERIES_STEP ? "step {" : "linear {");
    for (uint32_t i = 0; i < s->n; i++) {
        char y[32];
        ons_format_number(y, sizeof y, s->years[i], 10);
        out_printf(out, "%s%s: ", i ? ", " : "", y);
        print_number(out, ons_quantity(s->vals[i], s->dim, s->hint));
    }
    out_putc(out, '}');
}

static void print_value(OnsVM *vm, OnsOut *out, OnsValue v, bool quote, int depth, PrintPath *path)
{
    if (depth > PRINT_MAX_DEPTH) {
        out_puts(out, "...");
        return;
    }
    switch ((OnsType)v.type) {
    case ONS_T_NIL: out_puts(out, "nil"); return;
    case ONS_T_UNDEF: out_puts(out, "<unset>"); return;
    case ONS_T_BOOL: out_puts(out, v.as.b ? "true" : "false"); return;
    case ONS_T_NUM: print_number(out, v); return;
    case ONS_T_ENTITY:
        if (v.hint == ONS_ENT_STAGE || v.hint == ONS_ENT_CLASS)
            out_printf(out, "%s %s", v.hint == ONS_ENT_STAGE ? "stage" : "class",
                       vm_entity_name(vm, (OnsEntityKind)v.hint, v.as.index));
        else
            out_puts(out, vm_entity_name(vm, (OnsEntityKind)v.hint, v.as.index));
        return;
    case ONS_T_OBJ: break;
    }
    OnsObj *o = v.as.obj;
    switch ((OnsObjType)o->type) {
    case ONS_OBJ_STRING:
        if (quote) print_string_quoted(out, (OnsString *)o);
        else out_write(out, ((OnsString *)o)->chars, ((OnsString *)o)->len);
        return;
    case ONS_OBJ_LIST: {
        OnsList *l = (OnsList *)o;
        if (print_cycle(out, o, depth, path)) return;
        path->open[depth] = o;
        out_putc(out, '[');
        for (uint32_t i = 0; i < l->len; i++) {
            if (i) out_puts(out, ", ");
            if (i >= 1000) {
                out_printf(out, "... (%u more)", l->len - i);
                break;
            }
            print_value(vm, out, l->items[i], true, depth + 1, path);
        }
        out_putc(out, ']');
        return;
    }
    case ONS_OBJ_MAP: {
        OnsMap *m = (OnsMap *)o;
        if (print_cycle(out, o, depth, path)) return;
        path->open[depth] = o;
        out_putc(out, '{');
        for (uint32_t i = 0; i < m->len; i++) {
            if (i) out_puts(out, ", ");
            if (i >= 1000) {
                out_printf(out, "... (%u more)", m->len - i);
                break;
            }
            print_value(vm, out, m->entries[i].key, true, depth + 1, path);
            out_puts(out, ": ");
            print_value(vm, out, m->entries[i].value, true, depth + 1, path);
        }
        out_putc(out, '}');
        return;
    }
    case ONS_OBJ_CLOSURE: {
        OnsProto *p = ((OnsClosure *)o)->proto;
        out_printf(out, "<fn %s>", p->name ? p->name->chars : "?");
        return;
    }
    case ONS_OBJ_NATIVE: out_printf(out, "<built-in fn %s>", ((OnsNative *)o)->name); return;
    case ONS_OBJ_SERIES: print_series(out, (OnsSeries *)o); return;
    case ONS_OBJ_DATA: {
        OnsData *d = (OnsData *)o;
        if (d->cls->describe) d->cls->describe(vm, d->ptr, out);
        else out_printf(out, "<%s>", d->cls->name);
        return;
    }
    default: out_puts(out, "<internal>"); return;
    }
}

void value_print(OnsVM *vm, OnsOut *out, OnsValue v)
{
    PrintPath path;
    print_value(vm, out, v, false, 0, &path);
}

void value_repr(OnsVM *vm, OnsOut *out, OnsValue v)
{
    PrintPath path;
    print_value(vm, out, v, true, 0, &path);
}

const char *value_to_cstr(OnsVM *vm, OnsValue v, char *buf, size_t n)
{
    OnsOut o;
    out_init_buffer(&o);
    value_repr(vm, &o, v);
    snprintf(buf, n, "%s", o.buf);
    if (o.len >= n && n > 4) memcpy(buf + n - 4, "...", 4);
    out_free(&o);
    return buf;
}
