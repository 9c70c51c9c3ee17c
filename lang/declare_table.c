/* Declarations from a table (issue 18):
 *
 *   facility from "plants.csv"     one facility a row
 *   demand from "demand.csv"       one demand a row
 *   lane from "lanes.csv"          one lane a row
 *   option from "options.csv"      one option a row (spec 12)
 *
 * The first row names the columns: `name` (facilities, options), `region` and
 * `material` (demands), `from` and `to` (lanes), then any property of the
 * kind, a unit in brackets where the cells are plain numbers (`capacity
 * [kt/yr]`), and `source` and `note` for every row.  Each row becomes the
 * declaration it stands for, as if written out: the same names, checks and
 * messages -- located in the CSV file, at the row and the cell, because the
 * file is a source of the session and each row's nodes point into it.  The
 * path is taken relative to the declaring file's folder, as `import` looks
 * (the current folder for the REPL, -e and stdin). */
#include "compiler.h"
#include "csv_read.h"
#include "mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The table's file: beside the declaring source, or as written when the
 * source has no folder (the REPL, -e, stdin) or the path is absolute. */
static char *table_path(const OnsSource *src, const char *name)
{
    const char *slash = src->name[0] != '<' ? strrchr(src->name, '/') : NULL;
    if (name[0] == '/' || !slash) return ons_strdup(name);
    size_t dir = (size_t)(slash - src->name), n = dir + 1 + strlen(name) + 1;
    char *path = ons_malloc(n);
    snprintf(path, n, "%.*s/%s", (int)dir, src->name, name);
    return path;
}

static bool is_identifier(const char *s, size_t n)
{
    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_')) return false;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* What each kind of table declares, and the columns that name its rows. */
typedef struct TableKind {
    const char *word, *plural;  /* as written: `facility from`; in messages */
    OnsNodeKind node;           /* the declaration a row stands for */
    OnsEntityKind entity;       /* what it declares */
    int props;                  /* where its properties are looked up */
    const char *keys[2];        /* the columns that name a row (NULL: one) */
    const char *need[3];        /* the columns it must have */
} TableKind;

static const TableKind table_kinds[] = {
    [AST_TABLE_FACILITY] = {"facility", "facilities", AST_FACILITY, ONS_ENT_FACILITY, ONS_ENT_FACILITY,
                            {"name", NULL}, {"name", NULL, NULL}},
    [AST_TABLE_DEMAND] = {"demand", "demands", AST_DEMAND, ONS_ENT_DEMAND, ONS_ENT_COMMON,
                          {"region", "material"}, {"region", "material", "amount"}},
    [AST_TABLE_LANE] = {"lane", "lanes", AST_LANE, ONS_ENT_LANE, ONS_ENT_LANE, {"from", "to"}, {"from", "to", NULL}},
    [AST_TABLE_OPTION] = {"option", "options", AST_FACILITY, ONS_ENT_FACILITY, ONS_ENT_OPTION,
                          {"name", NULL}, {"name", NULL, NULL}},
};

typedef struct Table {
    OnsCompiler *c;
    OnsCsv csv;
    OnsCsvColumn *cols;
    size_t ncols;
    int kind;                   /* AST_TABLE_* */
    const TableKind *k;
} Table;

static OnsSpan cell_span(const Table *t, size_t row, size_t col)
{
    size_t k = t->csv.row_start[row] + col;
    return (OnsSpan){t->csv.cell_at[k], t->csv.cell_end[k]};
}

static OnsSpan row_span(const Table *t, size_t row)
{
    size_t first = t->csv.row_start[row], last = t->csv.row_start[row + 1] - 1;
    return (OnsSpan){t->csv.cell_at[first], t->csv.cell_end[last]};
}

/* The value node of one cell, by what the property takes: a name, a text,
 * or a number (with its unit), true or false. */
static OnsNode *cell_node(Table *t, size_t row, size_t col, bool name, bool text)
{
    OnsCompiler *c = t->c;
    OnsSpan span = cell_span(t, row, col);
    OnsCsvValue v = csv_value(csv_cell(&t->csv, row, col), &t->cols[col]);
    if (v.kind == ONS_CSV_NOT_NUMBER) {
        compile_error(c, span, "column '%s' holds '%.*s', not a number (its unit is in the header)", t->cols[col].key,
                      (int)v.len, v.text);
        return NULL;
    }
    if (name) {
        if (!is_identifier(v.text, v.len) && strcmp(t->cols[col].key, "name") == 0) {
            compile_error(c, span, "'%.*s' cannot be a name: a name is letters, digits and _, and does not start "
                          "with a digit (thacker_pass)", (int)v.len, v.text);
            return NULL;
        }
        if (!is_identifier(v.text, v.len)) {
            const char *key = t->cols[col].key;
            bool material = strcmp(key, "makes") == 0 || strcmp(key, "material") == 0;
            compile_error(c, span, "column '%s' must name a declared %s, not '%.*s'", key,
                          material ? "material" : "region", (int)v.len, v.text);
            return NULL;
        }
        OnsNode *n = ast_new(c->arena, AST_IDENT, span);
        n->text = arena_strndup(c->arena, v.text, v.len);
        n->text_len = (uint32_t)v.len;
        n->text_span = span;
        return n;
    }
    if (text || v.kind == ONS_CSV_TEXT) { /* a text where a number belongs is reported by the usual check */
        OnsNode *n = ast_new(c->arena, AST_STR, span);
        n->text = arena_strndup(c->arena, v.text, v.len);
        n->text_len = (uint32_t)v.len;
        return n;
    }
    if (v.kind == ONS_CSV_BOOL) {
        OnsNode *n = ast_new(c->arena, AST_BOOL, span);
        if (v.b) n->flags |= AST_TRUE;
        return n;
    }
    OnsNode *n = ast_new(c->arena, AST_NUM, span);
    n->num = v.num;
    n->dim = v.dim;
    if (v.percent) n->flags |= AST_PERCENT;
    return n;
}

/* A demand's region and material, a lane's ends (`*`: any region). */
static OnsNode *endpoint_node(Table *t, size_t row, size_t col)
{
    OnsCsvValue v = csv_value(csv_cell(&t->csv, row, col), NULL);
    if (t->kind == AST_TABLE_LANE && v.len == 1 && v.text[0] == '*') return ast_new(t->c->arena, AST_STAR, cell_span(t, row, col));
    return cell_node(t, row, col, true, false);
}

/* A property item `key: value` for column col of a row. */
static OnsNode *prop_node(Table *t, size_t row, size_t col, OnsEntityKind kind)
{
    const OnsPropDef *d = model_prop_find(kind, t->cols[col].key);
    bool name = d && (d->rule == ONS_PR_REGION_REF || d->rule == ONS_PR_MATERIAL_REF);
    bool text = d && d->rule == ONS_PR_TEXT;
    OnsNode *value = cell_node(t, row, col, name, text);
    if (!value) return NULL;
    OnsNode *p = ast_new(t->c->arena, AST_PROP, cell_span(t, row, col));
    p->text_len = (uint32_t)strlen(t->cols[col].key);
    p->text = arena_strndup(t->c->arena, t->cols[col].key, p->text_len); /* the nodes outlive the columns */
    p->text_span = cell_span(t, 0, col); /* an unknown property is the header's fault */
    p->a = value;
    return p;
}

static int column(const Table *t, const char *key)
{
    for (size_t k = 0; k < t->ncols; k++)
        if (strcmp(t->cols[k].key, key) == 0) return (int)k;
    return -1;
}

/* The declaration node of one row; NULL (after an error) when it has none. */
static OnsNode *row_node(Table *t, size_t row)
{
    OnsCompiler *c = t->c;
    OnsNode *n = ast_new(c->arena, t->k->node, row_span(t, row));
    int k0 = column(t, t->k->keys[0]), k1 = t->k->keys[1] ? column(t, t->k->keys[1]) : -1;
    bool named = t->k->node == AST_FACILITY; /* facilities and options */
    if (t->kind == AST_TABLE_OPTION) n->flags |= AST_OPTION;
    if (named) {
        OnsNode *name = cell_node(t, row, (size_t)k0, true, false);
        if (!name) return NULL;
        n->text = name->text;
        n->text_len = name->text_len;
        n->text_span = name->span;
    } else {
        n->a = endpoint_node(t, row, (size_t)k0);
        n->b = endpoint_node(t, row, (size_t)k1);
        if (!n->a || !n->b) return NULL;
    }
    for (size_t col = 0; col < t->ncols; col++) {
        if ((int)col == k0 || (int)col == k1) continue;
        const char *key = t->cols[col].key;
        if (csv_value(csv_cell(&t->csv, row, col), &t->cols[col]).kind == ONS_CSV_EMPTY) continue; /* not given */
        if (named && strcmp(key, "title") == 0) {
            OnsCsvValue v = csv_value(csv_cell(&t->csv, row, col), NULL);
            n->text2 = arena_strndup(c->arena, v.text, v.len);
            continue;
        }
        if (t->kind == AST_TABLE_DEMAND && strcmp(key, "amount") == 0) {
            n->c = cell_node(t, row, col, false, false);
            continue;
        }
        OnsNode *p = prop_node(t, row, col, (OnsEntityKind)t->k->props);
        if (p) ast_list_append(&n->list, p);
    }
    if (t->kind == AST_TABLE_DEMAND && !n->c) {
        compile_error(c, row_span(t, row), "this demand has no amount (a column 'amount', with its unit)");
        return NULL;
    }
    return n;
}

/* The columns a kind of table must have. */
static bool check_columns(Table *t, OnsSpan header)
{
    bool ok = true;
    for (int i = 0; i < 3 && t->k->need[i]; i++)
        if (column(t, t->k->need[i]) < 0) {
            compile_error(t->c, header, "a table of %s needs a column '%s'", t->k->plural, t->k->need[i]);
            ok = false;
        }
    for (size_t k = 0; k < t->ncols; k++)
        for (size_t j = 0; j < k; j++)
            if (strcmp(t->cols[j].key, t->cols[k].key) == 0) {
                compile_error(t->c, cell_span(t, 0, k), "two columns are called '%s'", t->cols[k].key);
                ok = false;
            }
    return ok;
}

/* Reads one table and declares its rows (pass 1), with the CSV file as the
 * source their declarations point into. */
static void declare_table(OnsCompiler *c, const OnsNode *decl)
{
    char *path = table_path(c->src, decl->text);
    size_t len;
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) { /* a table is a file: never wait on a pipe or a device */
        compile_error(c, decl->text_span, "cannot read %s: a table must be a regular file", path);
        ons_free(path);
        return;
    }
    errno = 0;
    char *text = source_read_file(path, &len);
    if (!text) {
        compile_error(c, decl->text_span, "cannot read %s: %s", path, strerror(errno ? errno : EIO));
        ons_free(path);
        return;
    }
    OnsSource *csv_src = source_new(path, text, len);
    ons_free(text);
    /* for :save: the declaration with the file's absolute path */
    char cwd[4096];
    bool relative = path[0] != '/' && getcwd(cwd, sizeof cwd);
    size_t linelen = strlen(path) + (relative ? strlen(cwd) + 1 : 0) + 32;
    ONS_GROW(c->tables, c->tables_cap, c->ntables + 1);
    c->tables[c->ntables] = ons_malloc(linelen);
    snprintf(c->tables[c->ntables++], linelen, "%s from \"%s%s%s\"", table_kinds[decl->op].word, relative ? cwd : "",
             relative ? "/" : "", path);
    ons_free(path);
    vm_adopt_source(c->vm, csv_src); /* the session keeps it: declarations point into it */
    Table t;
    memset(&t, 0, sizeof t);
    t.c = c;
    t.kind = decl->op;
    t.k = &table_kinds[decl->op];
    char err[300];
    uint32_t err_line = 0;
    OnsSource *outer = c->src;
    c->src = csv_src;
    if (!csv_parse(csv_src->text, csv_src->len, &t.csv, err, sizeof err, &err_line)) {
        uint32_t at = 0; /* the start of the line the fault is on */
        for (uint32_t line = 1, i = 0; i < csv_src->len && line < err_line; i++)
            if (csv_src->text[i] == '\n') line++, at = i + 1;
        compile_error(c, (OnsSpan){at, at}, "%s", err);
        c->src = outer;
        return;
    }
    if (t.csv.nrows == 0) {
        compile_error(c, (OnsSpan){0, 0}, "this table is empty: its first row names the columns");
        c->src = outer;
        return;
    }
    t.ncols = csv_row_len(&t.csv, 0);
    t.cols = ons_calloc(t.ncols + 1, sizeof(OnsCsvColumn));
    bool ok = true;
    for (size_t k = 0; k < t.ncols; k++)
        if (!csv_column(csv_cell(&t.csv, 0, k), &t.cols[k], err, sizeof err)) {
            compile_error(c, cell_span(&t, 0, k), "%s", err);
            ok = false;
        }
    if (ok && check_columns(&t, row_span(&t, 0))) {
        for (size_t row = 1; row < t.csv.nrows; row++) {
            if (csv_row_len(&t.csv, row) != t.ncols) {
                compile_error(c, row_span(&t, row), "this row has %zu cells, the header %zu", csv_row_len(&t.csv, row),
                              t.ncols);
                continue;
            }
            OnsNode *n = row_node(&t, row);
            if (n) declare_node(c, n, t.k->entity);
        }
    }
    for (size_t k = 0; k < t.ncols; k++) csv_column_free(&t.cols[k]);
    ons_free(t.cols);
    csv_free(&t.csv);
    c->src = outer;
}

void declare_tables(OnsCompiler *c, const OnsNodeList *items)
{
    for (const OnsNode *n = items->head; n; n = n->next)
        if (n->kind == AST_TABLE) declare_table(c, n);
}
