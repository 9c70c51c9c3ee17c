/* Tab completion.  repl_complete decides from the text before the cursor
 * what is being typed (a command, a file name, a property after `name.`, a
 * stage after `stage`, any other name) and lists the candidates; the Tab
 * handler inserts what they share, or lists them when they share no more.
 * The candidate logic is a plain function so the tests can call it. */
#include "repl_internal.h"
#include "edit_lib.h"
#include "report.h"
#include "frontend.h"
#include "mem.h"
#include "model.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static void add(OnsCompletions *c, const char *word, size_t wlen, const char *cand, const char *tail)
{
    if (strncmp(cand, word, wlen) != 0) return;
    size_t n = strlen(cand) + strlen(tail) + 1;
    ONS_GROW(c->items, c->cap, c->n + 1);
    c->items[c->n] = ons_malloc(n);
    snprintf(c->items[c->n], n, "%s%s", cand, tail);
    c->n++;
}

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void sort_unique(OnsCompletions *c)
{
    if (c->n == 0) return;
    qsort(c->items, c->n, sizeof *c->items, by_text);
    size_t k = 1;
    for (size_t i = 1; i < c->n; i++) {
        if (strcmp(c->items[i], c->items[k - 1]) == 0) ons_free(c->items[i]);
        else c->items[k++] = c->items[i];
    }
    c->n = k;
}

void repl_completions_free(OnsCompletions *c)
{
    for (size_t i = 0; i < c->n; i++) ons_free(c->items[i]);
    ons_free(c->items);
    memset(c, 0, sizeof *c);
}

/* ---- what can be completed ---- */

static void add_model_names(OnsCompletions *c, OnsVM *vm, OnsEntityKind kind, const char *w, size_t wl)
{
    uint32_t n = model_count(model_of(vm), kind);
    for (uint32_t i = 0; i < n; i++) {
        const char *name = model_name(model_of(vm), kind, i);
        if (name && model_info(model_of(vm), kind, i)->name) add(c, w, wl, name, "");
    }
}

/* Keywords, globals (variables, functions, entities), built-ins, `year`. */
static void add_names(OnsCompletions *c, OnsVM *vm, const char *w, size_t wl)
{
    for (size_t i = 0; frontend_keyword(i); i++) add(c, w, wl, frontend_keyword(i), "");
    for (uint32_t g = 0; g < vm->nglobals; g++)
        if (vm->gvals[g].type != ONS_T_UNDEF || vm->globals[g].is_fn) add(c, w, wl, vm->globals[g].name->chars, "");
    for (uint32_t i = 0; i < vm->builtins->len; i++) {
        OnsValue k = vm->builtins->entries[i].key;
        if (ons_is_obj(k, ONS_OBJ_STRING)) add(c, w, wl, ONS_AS_STRING(k)->chars, "");
    }
    add(c, w, wl, "year", "");
}

/* The properties `entity.name` can read for a kind (model_get_property). */
static void add_properties(OnsCompletions *c, OnsEntityKind kind, const char *w, size_t wl)
{
    static const char *const common[] = {"name", "title", "source", "note"};
    for (size_t i = 0; i < ONS_ARRAY_LEN(common); i++) add(c, w, wl, common[i], "");
    if (kind == ONS_ENT_MATERIAL || kind == ONS_ENT_FACILITY)
        for (int i = 0; model_prop_nth(kind, i); i++) add(c, w, wl, model_prop_nth(kind, i)->name, "");
    if (kind == ONS_ENT_GROUP) add(c, w, wl, "members", "");
    if (kind == ONS_ENT_SCENARIO) add(c, w, wl, "parent", "");
}

/* File names for :load and :save: the word is the whole path typed so far;
 * candidates keep its folder part as typed, folders end in '/'. */
static void add_files(OnsCompletions *c, const char *path, size_t plen)
{
    const char *slash = NULL;
    for (size_t i = 0; i < plen; i++)
        if (path[i] == '/') slash = path + i;
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
    char *dir = ons_strndup(path, dlen);
    char *open_dir;
    const char *home = getenv("HOME");
    if (dlen >= 2 && dir[0] == '~' && dir[1] == '/' && home) {
        size_t n = strlen(home) + dlen + 1;
        open_dir = ons_malloc(n);
        snprintf(open_dir, n, "%s%s", home, dir + 1);
    } else {
        open_dir = ons_strdup(dlen ? dir : "./");
    }
    const char *base = path + dlen;
    size_t blen = plen - dlen;
    DIR *d = opendir(open_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (e->d_name[0] == '.' && (blen == 0 || base[0] != '.')) continue;
        if (strncmp(e->d_name, base, blen) != 0) continue;
        size_t fn = strlen(open_dir) + strlen(e->d_name) + 1;
        char *full = ons_malloc(fn);
        snprintf(full, fn, "%s%s", open_dir, e->d_name);
        struct stat sb;
        bool is_dir = stat(full, &sb) == 0 && S_ISDIR(sb.st_mode);
        ons_free(full);
        size_t cn = dlen + strlen(e->d_name) + 1;
        char *cand = ons_malloc(cn);
        snprintf(cand, cn, "%s%s", dir, e->d_name);
        add(c, path, plen, cand, is_dir ? "/" : "");
        ons_free(cand);
    }
    if (d) closedir(d);
    ons_free(dir);
    ons_free(open_dir);
}

/* After a command name: what its argument is. */
static void complete_argument(const char *cmd, size_t clen, const char *line, size_t arg, size_t cursor,
                              OnsCompletions *c)
{
    const char *w = line + arg;
    size_t wl = cursor - arg;
    char name[16];
    snprintf(name, sizeof name, "%.*s", (int)(clen < 15 ? clen : 15), cmd);
    if (strcmp(name, "load") == 0 || strcmp(name, "save") == 0) {
        c->word_start = arg;
        c->files = true;
        add_files(c, w, wl);
        return;
    }
    if (strcmp(name, "help") == 0 || strcmp(name, "list") == 0) {
        c->word_start = arg;
        char buf[32];
        if (name[0] == 'h')
            for (size_t i = 0; repl_help_topic(i, buf, sizeof buf); i++) add(c, w, wl, buf, "");
        else
            for (size_t i = 0; ons_repl_list_kinds[i]; i++) add(c, w, wl, ons_repl_list_kinds[i], "");
    }
}

/* In a material's `stage:` or `classes:` property, stages and classes are
 * named bare: the kind whose names fit at s, or ONS_ENT_KIND_COUNT. */
static OnsEntityKind property_namespace(const char *line, size_t from, size_t s)
{
    size_t k = s;
    while (k > from && (line[k - 1] == ' ' || line[k - 1] == '\t' || line[k - 1] == ',' || line[k - 1] == '[' ||
                        is_name_char(line[k - 1])))
        k--;
    if (k == from || line[k - 1] != ':') return ONS_ENT_KIND_COUNT;
    size_t e = k - 1, b = e;
    while (b > from && is_name_char(line[b - 1])) b--;
    bool list = memchr(line + k, '[', s - k) != NULL;
    if (e - b == 5 && strncmp(line + b, "stage", 5) == 0 && !list) return ONS_ENT_STAGE;
    if (e - b == 7 && strncmp(line + b, "classes", 7) == 0) return ONS_ENT_CLASS;
    return ONS_ENT_KIND_COUNT;
}

/* Code: the identifier before the cursor and what comes before it. */
static void complete_code(OnsRepl *r, const char *line, size_t from, size_t cursor, bool show,
                          OnsCompletions *c)
{
    OnsVM *vm = r->vm;
    size_t s = cursor;
    while (s > from && is_name_char(line[s - 1])) s--;
    c->word_start = s;
    const char *w = line + s;
    size_t wl = cursor - s;
    if (wl && w[0] >= '0' && w[0] <= '9') return; /* a number */
    if (s > from && line[s - 1] == '.') { /* entity.property */
        size_t e = s - 1, b = e;
        while (b > from && is_name_char(line[b - 1])) b--;
        int32_t g = b < e ? vm_global_find(vm, line + b, e - b) : -1;
        if (g >= 0 && vm->gvals[g].type == ONS_T_ENTITY) add_properties(c, (OnsEntityKind)vm->gvals[g].hint, w, wl);
        return;
    }
    OnsEntityKind bare = property_namespace(line, from, s);
    if (bare != ONS_ENT_KIND_COUNT) { /* `stage: refining`, `classes: [component, ...` */
        add_model_names(c, vm, bare, w, wl);
        return;
    }
    size_t p = s; /* the word before: `stage NAME`, `class NAME` */
    while (p > from && (line[p - 1] == ' ' || line[p - 1] == '\t')) p--;
    size_t q = p;
    while (q > from && is_name_char(line[q - 1])) q--;
    if (p - q == 5 && strncmp(line + q, "stage", 5) == 0 && p < s) {
        add_model_names(c, vm, ONS_ENT_STAGE, w, wl);
        return;
    }
    if (p - q == 6 && strncmp(line + q, "report", 6) == 0 && p < s) { /* the kinds of report */
        for (int k = 0; report_def_nth(k); k++) add(c, w, wl, report_def_nth(k)->name, " ");
        return;
    }
    if (p - q == 2 && strncmp(line + q, "as", 2) == 0 && p < s) { /* a report's format */
        static const char *const formats[] = {"table", "csv", "tsv", "long", "json", "markdown"};
        for (size_t k = 0; k < ONS_ARRAY_LEN(formats); k++) add(c, w, wl, formats[k], "");
        return;
    }
    if (p < s && q < p && line[q] >= '0' && line[q] <= '9') { /* `40 k`: a number, then its unit */
        for (size_t k = 0; unit_name_nth(k); k++) add(c, w, wl, unit_name_nth(k), "");
        return;
    }
    if (p - q == 5 && strncmp(line + q, "class", 5) == 0 && p < s) {
        add_model_names(c, vm, ONS_ENT_CLASS, w, wl);
        return;
    }
    add_names(c, vm, w, wl);
    if (show) { /* :show also names lanes' and demands' parts, stages, classes */
        add_model_names(c, vm, ONS_ENT_STAGE, w, wl);
        add_model_names(c, vm, ONS_ENT_CLASS, w, wl);
    }
}

static bool is_keyword(const char *w)
{
    for (size_t k = 0; frontend_keyword(k); k++)
        if (strcmp(frontend_keyword(k), w) == 0) return true;
    return false;
}

void repl_complete(OnsRepl *r, const char *line, size_t cursor, OnsCompletions *c)
{
    memset(c, 0, sizeof *c);
    c->suffix = "";
    size_t i = 0;
    while (i < cursor && (line[i] == ' ' || line[i] == '\t')) i++;
    bool code = true;
    if (i < cursor && line[i] == ':' && r->len == 0) {
        size_t cmd = i + 1, e = cmd;
        while (e < cursor && is_name_char(line[e])) e++;
        if (e == cursor) { /* the command name itself */
            code = false;
            c->word_start = i;
            c->suffix = " ";
            for (size_t k = 0; ons_repl_commands[k]; k++) {
                char full[32];
                snprintf(full, sizeof full, ":%s", ons_repl_commands[k]);
                add(c, line + i, cursor - i, full, "");
            }
        } else {
            size_t arg = e;
            while (arg < cursor && (line[arg] == ' ' || line[arg] == '\t')) arg++;
            bool show = e - cmd == 4 && strncmp(line + cmd, "show", 4) == 0;
            code = show || (e - cmd == 4 && strncmp(line + cmd, "type", 4) == 0) ||
                   (e - cmd == 3 && strncmp(line + cmd, "dis", 3) == 0);
            if (code) complete_code(r, line, arg, cursor, show, c);
            else complete_argument(line + cmd, e - cmd, line, arg, cursor, c);
        }
    } else {
        complete_code(r, line, 0, cursor, false, c);
    }
    sort_unique(c);
    if (code && c->n == 1 && is_keyword(c->items[0])) c->suffix = " "; /* a keyword wants the space after it */
}

/* ---- the Tab key ---- */

static void list_candidates(const OnsEditLib *ed, EditLine *el, const OnsCompletions *c, size_t skip)
{
    int cols = 80;
    ed->el_get(el, EL_GETTC, "co", &cols);
    if (cols < 20) cols = 80;
    size_t width = 0;
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->items[i]) - skip > width) width = strlen(c->items[i]) - skip;
    width += 2;
    size_t per_line = (size_t)cols / width;
    if (per_line == 0) per_line = 1;
    size_t rows = (c->n + per_line - 1) / per_line;
    fputc('\n', stdout);
    for (size_t row = 0; row < rows; row++) {
        for (size_t col = 0; col < per_line; col++) {
            size_t k = col * rows + row;
            if (k >= c->n) break;
            const char *item = c->items[k] + skip;
            bool last = col + 1 == per_line || (col + 1) * rows + row >= c->n;
            if (last) fputs(item, stdout);
            else fprintf(stdout, "%-*s", (int)width, item);
        }
        fputc('\n', stdout);
    }
    fflush(stdout);
}

static unsigned char on_tab(EditLine *el, int ch)
{
    (void)ch;
    const char *why = NULL;
    const OnsEditLib *ed = edit_lib_load(&why); /* loaded: el exists */
    void *p = NULL;
    ed->el_get(el, EL_CLIENTDATA, &p);
    OnsRepl *r = p;
    const LineInfo *li = ed->el_line(el);
    size_t len = (size_t)(li->lastchar - li->buffer), cursor = (size_t)(li->cursor - li->buffer);
    char *line = ons_strndup(li->buffer, len);
    OnsCompletions c;
    repl_complete(r, line, cursor, &c);
    unsigned char ret = CC_REFRESH_BEEP;
    size_t wl = cursor - c.word_start;
    if (c.n == 1) {
        const char *item = c.items[0];
        bool dir = item[0] && item[strlen(item) - 1] == '/';
        if (ed->el_insertstr(el, item + wl) == 0 && !dir && c.suffix[0]) ed->el_insertstr(el, c.suffix);
        ret = CC_REFRESH;
    } else if (c.n > 1) {
        size_t common = strlen(c.items[0]);
        for (size_t i = 1; i < c.n; i++) {
            size_t k = 0;
            while (k < common && c.items[i][k] == c.items[0][k]) k++;
            common = k;
        }
        if (common > wl) {
            char *ext = ons_strndup(c.items[0] + wl, common - wl);
            ed->el_insertstr(el, ext);
            ons_free(ext);
            ret = CC_REFRESH;
        } else {
            /* file names list without their folder, like a shell */
            size_t skip = 0;
            if (c.files)
                for (size_t k = c.word_start; k < cursor; k++)
                    if (line[k] == '/') skip = k - c.word_start + 1;
            list_candidates(ed, el, &c, skip);
            ret = CC_REDISPLAY;
        }
    }
    repl_completions_free(&c);
    ons_free(line);
    return ret;
}

void repl_complete_install(OnsRepl *r)
{
    /* the wide call: el_set would copy the two strings and el_end never
     * frees the copies (a leak LeakSanitizer reports); these live forever */
    r->ed->el_wset(r->el, EL_ADDFN, L"onshore-complete", L"complete a name, command or file", on_tab);
    r->ed->el_set(r->el, EL_BIND, "^I", "onshore-complete", NULL);
}
