/* The `:` commands: the table, finding a command from what was typed
 * (unique prefixes, the closest name for a typo), and the small commands.
 * :show and :list are in repl_show.c, :save in repl_save.c, :help in
 * repl_help.c. */
#include "repl_internal.h"
#include "chunk.h"
#include "mem.h"
#include "model.h"

#include <stdio.h>
#include <string.h>

/* The commands' names, for completion and "did you mean": the same as the
 * table below (a test checks that they agree). */
const char *const ons_repl_commands[] = {"help", "load", "reload", "list", "show", "type", "dis",
                                         "save", "reset", "quit", "timing", "set", NULL};

const char *repl_span_text(const OnsSource *src, OnsSpan span, size_t *len)
{
    if (!src || span.end > src->len || span.start > span.end) return NULL;
    *len = span.end - span.start;
    return src->text + span.start;
}

/* ---- small commands ---- */

static void cmd_help(OnsRepl *r, const char *args) { repl_cmd_help(r, args); }

static void cmd_load(OnsRepl *r, const char *args)
{
    char *path = ons_strdup(args);
    size_t n = strlen(path);
    if (n >= 2 && (path[0] == '"' || path[0] == '\'') && path[n - 1] == path[0]) { /* :load "my file.ons" */
        memmove(path, path + 1, n - 2);
        path[n - 2] = '\0';
    }
    repl_load(r, path, true);
    ons_free(path);
}

static void cmd_reload(OnsRepl *r, const char *args)
{
    (void)args;
    if (r->nfiles == 0) {
        out_printf(r->vm->err, "no file loaded yet: :load FILE first\n");
        r->failures++;
        return;
    }
    repl_fresh_session(r, true);
}

static void cmd_reset(OnsRepl *r, const char *args)
{
    (void)args;
    repl_fresh_session(r, false);
}

static void cmd_quit(OnsRepl *r, const char *args)
{
    (void)args;
    r->quit = true;
}

/* :set, :set pager on|off, :set wide on|off, :set timing on|off */
static void cmd_set(OnsRepl *r, const char *args)
{
    while (*args == ' ') args++;
    char what[16] = "", how[16] = "";
    int n = sscanf(args, "%15s %15s", what, how);
    if (n <= 0) {
        out_printf(r->vm->out, "pager %s\nwide %s\ntiming %s\n", r->no_pager ? "off" : "on", r->narrow ? "off" : "on",
                   r->timing ? "on" : "off");
        return;
    }
    bool on = strcmp(how, "on") == 0, off = strcmp(how, "off") == 0;
    if (n < 2 || !(on || off) || (strcmp(what, "pager") != 0 && strcmp(what, "wide") != 0 && strcmp(what, "timing") != 0)) {
        out_printf(r->vm->err, "onshore: :set takes pager, wide or timing, then on or off (not '%s')\n", args);
        r->failures++;
        return;
    }
    if (what[0] == 'p') r->no_pager = off;
    else if (what[0] == 'w') r->narrow = off;
    else r->timing = on;
    out_printf(r->vm->out, "%s is %s\n", what, on ? "on" : "off");
}

/* :timing, :timing on, :timing off -- as psql's \timing */
static void cmd_timing(OnsRepl *r, const char *args)
{
    while (*args == ' ') args++;
    if (!*args) r->timing = !r->timing;
    else if (strcmp(args, "on") == 0) r->timing = true;
    else if (strcmp(args, "off") == 0) r->timing = false;
    else {
        out_printf(r->vm->err, "onshore: :timing takes on or off, not '%s'\n", args);
        r->failures++;
        return;
    }
    out_printf(r->vm->out, "timing is %s\n", r->timing ? "on" : "off");
}

static void describe_type(OnsVM *vm, OnsOut *out, OnsValue v)
{
    char a[96], b[96];
    switch ((OnsType)v.type) {
    case ONS_T_NUM:
        if (dim_is_none(v.dim)) out_puts(out, v.hint == ONS_HINT_PERCENT ? "dimensionless (a share)" : "dimensionless");
        else out_printf(out, "%s, in %s", dim_describe(v.dim, a, sizeof a), dim_base_units(v.dim, b, sizeof b));
        return;
    case ONS_T_OBJ:
        if (ons_is_obj(v, ONS_OBJ_LIST)) {
            out_printf(out, "list of %u", ONS_AS_LIST(v)->len);
            return;
        }
        if (ons_is_obj(v, ONS_OBJ_MAP)) {
            out_printf(out, "map of %u", ONS_AS_MAP(v)->len);
            return;
        }
        if (ons_is_obj(v, ONS_OBJ_SERIES)) {
            OnsSeries *s = ONS_AS_SERIES(v);
            out_printf(out, "series (%s) of ", s->kind == ONS_SERIES_STEP ? "step" : "linear");
            describe_type(vm, out, ons_quantity(0, s->dim, s->hint));
            return;
        }
        if (ons_is_obj(v, ONS_OBJ_CLOSURE)) {
            OnsProto *p = ONS_AS_CLOSURE(v)->proto;
            out_printf(out, "function %s(", p->name ? p->name->chars : "?");
            for (int i = 0; i < p->nparams; i++)
                out_printf(out, "%s%s", i ? ", " : "", p->param_names && p->param_names[i] ? p->param_names[i]->chars : "?");
            out_putc(out, ')');
            return;
        }
        if (ons_is_obj(v, ONS_OBJ_NATIVE)) {
            out_printf(out, "built-in function %s", ONS_AS_NATIVE(v)->name);
            return;
        }
        break;
    default:
        break;
    }
    out_puts(out, ons_type_word(v, a, sizeof a));
}

static void cmd_type(OnsRepl *r, const char *args)
{
    OnsVM *vm = r->vm;
    size_t roots = vm->nroots;
    OnsValue v;
    if (repl_value_of(r, ":type", args, &v) != ONS_OK) return;
    char text[200];
    value_to_cstr(vm, v, text, sizeof text);
    if (strlen(text) > 60) memcpy(text + 56, " ...", 5);
    out_printf(vm->out, "%s : ", text);
    describe_type(vm, vm->out, v);
    out_putc(vm->out, '\n');
    if (vm->nroots > roots) vm_pop_roots(vm, vm->nroots - roots);
}

/* :dis NAME for a function, :dis NAME.PROP for a per-year property that is
 * an expression, otherwise the code of the expression itself. */
static void cmd_dis(OnsRepl *r, const char *args)
{
    OnsVM *vm = r->vm;
    size_t n = strlen(args), dot = n;
    bool simple = n > 0;
    for (size_t i = 0; i < n; i++) {
        char c = args[i];
        if (c == '.' && dot == n) dot = i;
        else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) simple = false;
    }
    int32_t g = simple ? vm_global_find(vm, args, dot) : -1;
    if (g >= 0 && dot == n && ons_is_obj(vm->gvals[g], ONS_OBJ_CLOSURE)) {
        disasm_proto(vm, vm->out, ONS_AS_CLOSURE(vm->gvals[g])->proto, true);
        return;
    }
    if (g >= 0 && dot < n && vm->gvals[g].type == ONS_T_ENTITY) {
        OnsValue raw;
        if (repl_entity_prop(vm, vm->gvals[g], args + dot + 1, &raw) && ons_is_obj(raw, ONS_OBJ_CLOSURE)) {
            disasm_proto(vm, vm->out, ONS_AS_CLOSURE(raw)->proto, true);
            return;
        }
    }
    if (simple && dot == n && g < 0 && vm_builtin(vm, args, n)) {
        out_printf(vm->out, "%s is a built-in function: it runs as C, with no bytecode\n", args);
        return;
    }
    repl_dis_expr(r, args);
}

/* ---- dispatch ---- */

typedef struct Command {
    const char *name;
    void (*run)(OnsRepl *r, const char *args);
    const char *needs;          /* the argument it cannot do without, or NULL */
} Command;

static const Command commands[] = {
    {"help", cmd_help, NULL},          {"load", cmd_load, "a file"},
    {"reload", cmd_reload, NULL},      {"list", repl_cmd_list, NULL},
    {"show", repl_cmd_show, "a name"}, {"type", cmd_type, NULL},
    {"dis", cmd_dis, NULL},            {"save", repl_cmd_save, "a file"},
    {"reset", cmd_reset, NULL},        {"quit", cmd_quit, NULL},
    {"timing", cmd_timing, NULL},      {"set", cmd_set, NULL},
};

const char *repl_command_nth(size_t i)
{
    return i < ONS_ARRAY_LEN(commands) ? commands[i].name : NULL;
}

/* Shorthands that are not prefixes, or settle an ambiguous one. */
static const char *alias(const char *name)
{
    static const char *const pairs[][2] = {{"q", "quit"}, {"exit", "quit"}, {"h", "help"}, {"?", "help"},
                                           {"l", "load"}, {"r", "reload"}, {"s", "show"}, {"t", "type"}};
    for (size_t i = 0; i < ONS_ARRAY_LEN(pairs); i++)
        if (strcmp(name, pairs[i][0]) == 0) return pairs[i][1];
    return name;
}

void repl_command(OnsRepl *r, const char *line)
{
    const char *p = line + 1; /* after ':' */
    size_t n = 0;
    while (p[n] && p[n] != ' ' && p[n] != '\t') n++;
    char word[32];
    snprintf(word, sizeof word, "%.*s", (int)(n < 31 ? n : 31), p);
    const char *rest = p + n;
    while (*rest == ' ' || *rest == '\t') rest++;
    /* a comment ends the command as it ends a line of code (`:save s.ons
     * # for Monday`): a '#' at the start or after a blank, and the blanks
     * before it, are not part of a file name */
    char *args = ons_strdup(rest);
    for (char *c = args; *c; c++)
        if (*c == '#' && (c == args || c[-1] == ' ' || c[-1] == '\t')) {
            *c = '\0';
            break;
        }
    for (size_t len = strlen(args); len > 0 && (args[len - 1] == ' ' || args[len - 1] == '\t');) args[--len] = '\0';
    const char *name = alias(word);

    const Command *found = NULL;
    int matches = 0;
    for (size_t i = 0; i < ONS_ARRAY_LEN(commands); i++) {
        if (strcmp(commands[i].name, name) == 0) {
            found = &commands[i];
            matches = 1;
            break;
        }
        if (n > 0 && strncmp(commands[i].name, name, strlen(name)) == 0) {
            found = &commands[i];
            matches++;
        }
    }
    OnsOut *err = r->vm->err;
    if (matches > 1) {
        out_printf(err, "':%s' could be", word);
        int k = 0;
        for (size_t i = 0; i < ONS_ARRAY_LEN(commands); i++)
            if (strncmp(commands[i].name, name, strlen(name)) == 0)
                out_printf(err, "%s :%s", k++ ? (k == matches ? " or" : ",") : "", commands[i].name);
        out_puts(err, "; type more of it\n");
        r->failures++;
        ons_free(args);
        return;
    }
    if (!found) {
        size_t nnames = 0;
        while (ons_repl_commands[nnames]) nnames++;
        const char *near = n ? diag_closest(word, ons_repl_commands, nnames) : NULL;
        if (near) out_printf(err, "unknown command ':%s'; did you mean ':%s'?\n", word, near);
        else out_printf(err, "unknown command ':%s' (:help lists the commands)\n", word);
        r->failures++;
        ons_free(args);
        return;
    }
    if (found->needs && !*args) {
        out_printf(err, ":%s needs %s (:help %s)\n", found->name, found->needs, found->name);
        r->failures++;
    } else {
        found->run(r, args);
    }
    ons_free(args);
}
