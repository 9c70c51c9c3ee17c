/* The front end's entry points declared in lang/api/frontend.h that are not
 * the compiler itself: modules, the REPL's completeness test, AST dumps. */
#include "frontend.h"
#include "mem.h"
#include "parse.h"
#include "stdlib_embed.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

OnsStatus frontend_dump_ast(OnsSource *src, OnsOut *out, OnsDiags *diags)
{
    OnsArena arena;
    arena_init(&arena);
    OnsNodeList items;
    bool ok = ons_parse(src, &arena, diags, &items);
    if (ok) ast_dump_list(out, &items);
    arena_free(&arena);
    return ok ? ONS_OK : ONS_ERR_COMPILE;
}

bool frontend_is_incomplete(const char *text, size_t len)
{
    OnsSource *src = source_new("<input>", text, len);
    OnsArena arena;
    arena_init(&arena);
    OnsDiags diags;
    diags_init(&diags);
    OnsNodeList items;
    ons_parse(src, &arena, &diags, &items);
    bool incomplete = diags.incomplete;
    diags_free(&diags);
    arena_free(&arena);
    source_free(src);
    return incomplete;
}

bool frontend_is_expression(const char *text, size_t len)
{
    OnsSource *src = source_new("<input>", text, len);
    OnsArena arena;
    arena_init(&arena);
    OnsDiags diags;
    diags_init(&diags);
    OnsNodeList items;
    bool ok = ons_parse(src, &arena, &diags, &items);
    bool expr = ok && items.head && !items.head->next && items.head->kind == AST_EXPR_STMT;
    diags_free(&diags);
    arena_free(&arena);
    source_free(src);
    return expr;
}

const char *frontend_keyword(size_t i) { return lexer_keyword(i); }

/* DIR/NAME.ons as a source; NULL when there is no such file.  A file that is
 * there but cannot be read (a folder, too large) is an error, reported once:
 * Onshore does not quietly look further and load another module instead. */
static OnsSource *module_in(const char *dir, size_t dir_len, const char *name, OnsDiags *diags, bool *unreadable)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%.*s/%s.ons", (int)dir_len, dir, name);
    if (n < 0 || (size_t)n >= sizeof path) return NULL;
    const char *shown = strncmp(path, "./", 2) == 0 ? path + 2 : path; /* "x.ons" reads better than "./x.ons" */
    size_t len;
    errno = 0;
    char *text = source_read_file(path, &len);
    if (!text) {
        if (errno != ENOENT) {
            diag_add(diags, ONS_SEV_ERROR, NULL, (OnsSpan){0, 0}, "cannot read module %s: %s", shown,
                     errno == EFBIG ? "larger than the 64 MB Onshore reads" : strerror(errno));
            *unreadable = true;
        }
        return NULL;
    }
    return source_adopt(shown, text, len);
}

/* How long the folder part of the importing source's name is ("/m.ons":
 * 0, the root); -1 when it has none (a bare file name, -e, stdin or the
 * REPL: the current folder). */
static int importer_dir_len(const char *importer)
{
    const char *slash = importer && importer[0] != '<' ? strrchr(importer, '/') : NULL;
    return slash ? (int)(slash - importer) : -1;
}

/* Finds a module's text: in -I and ONSHORE_PATH folders first, then in the
 * importing file's folder (the current one for -e, stdin and the REPL),
 * then the standard library compiled into the binary. */
static OnsSource *find_module(OnsVM *vm, const char *name, const char *importer, OnsDiags *diags,
                              bool *unreadable)
{
    for (size_t i = 0; i < vm->nmodule_dirs && !*unreadable; i++) {
        OnsSource *src = module_in(vm->module_dirs[i], strlen(vm->module_dirs[i]), name, diags, unreadable);
        if (src) return src;
    }
    if (*unreadable) return NULL;
    int dir_len = importer_dir_len(importer);
    OnsSource *src = dir_len >= 0 ? module_in(importer, (size_t)dir_len, name, diags, unreadable)
                                  : module_in(".", 1, name, diags, unreadable);
    if (src || *unreadable) return src;
    for (const OnsEmbeddedModule *m = ons_stdlib_modules; m->name; m++)
        if (strcmp(m->name, name) == 0) return source_new(m->path, m->text, m->len);
    return NULL;
}

/* "a -> b -> a": the modules still loading, from name on, then name again
 * (vm->modules keeps them in the order their loading began). */
static void cycle_text(OnsVM *vm, const char *name, char *buf, size_t n)
{
    size_t len = 0;
    bool in_cycle = false;
    buf[0] = '\0';
    for (uint32_t i = 0; i < vm->modules->len && len < n; i++) {
        const OnsMapEntry *e = &vm->modules->entries[i];
        if (e->value.type != ONS_T_BOOL || !e->value.as.b) continue;
        const char *m = ONS_AS_STRING(e->key)->chars;
        in_cycle |= strcmp(m, name) == 0;
        if (in_cycle) len += (size_t)snprintf(buf + len, n - len, "%s -> ", m);
    }
    if (len < n) snprintf(buf + len, n - len, "%s", name);
}

OnsStatus frontend_import(OnsVM *vm, const char *name, const char *importer, OnsDiags *diags)
{
    OnsValue key = ons_obj_value(&string_cstr(vm, name)->obj), state;
    if (map_get(vm->modules, key, &state) && state.type == ONS_T_BOOL) {
        if (state.as.b) {
            char cycle[512];
            cycle_text(vm, name, cycle, sizeof cycle);
            diag_add(diags, ONS_SEV_ERROR, NULL, (OnsSpan){0, 0}, "an import cycle: %s", cycle);
            return ONS_ERR_COMPILE;
        }
        return ONS_OK; /* each module is loaded once */
    }
    bool unreadable = false;
    OnsSource *src = find_module(vm, name, importer, diags, &unreadable);
    if (unreadable) return ONS_ERR_COMPILE;
    if (!src) {
        int dir_len = importer_dir_len(importer);
        diag_add(diags, ONS_SEV_ERROR, NULL, (OnsSpan){0, 0},
                 "no module named '%s': no %s.ons in %s%.*s%s, nor in the standard library%s", name, name,
                 dir_len >= 0 ? "folder " : "the current folder", dir_len >= 0 ? dir_len : 0, importer ? importer : "",
                 vm->nmodule_dirs ? " or the -I / ONSHORE_PATH folders" : "",
                 vm->nmodule_dirs ? "" : " (-I DIR adds a folder to look in)");
        return ONS_ERR_COMPILE;
    }
    map_set(vm->modules, key, ons_bool(true));
    OnsCompileResult res;
    OnsStatus st = frontend_compile(vm, src, NULL, diags, &res);
    if (st == ONS_OK) {
        vm_push_root(vm, ons_obj_value(&res.main->obj));
        OnsValue ignored;
        st = vm_run(vm, res.main, &ignored);
        vm_pop_roots(vm, 1);
        if (st != ONS_OK) {
            diag_add(diags, ONS_SEV_ERROR, vm->error.src, vm->error.span, "%s",
                     vm->error.msg ? vm->error.msg : "error");
            vm_clear_error(vm);
        }
    }
    frontend_result_free(&res);
    map_set(vm->modules, key, st == ONS_OK ? ons_bool(false) : ons_nil());
    return st;
}
