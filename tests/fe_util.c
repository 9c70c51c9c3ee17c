/* Helpers of the front-end suites: parse in-process and compare the AST
 * dump or the rendered diagnostics, printing the source on a mismatch. */
#include "fe_util.h"
#include "tests.h"

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "output.h"
#include "parse.h"
#include "source.h"

#include <stdlib.h>
#include <string.h>

/* want with a final newline, in a buffer the caller frees */
static char *with_newline(const char *want)
{
    size_t n = strlen(want);
    char *w = malloc(n + 2);
    memcpy(w, want, n + 1);
    if (n > 0 && want[n - 1] != '\n') {
        w[n] = '\n';
        w[n + 1] = '\0';
    }
    return w;
}

void fe_ast_is(const char *src, const char *want)
{
    char *ast, *diags;
    bool ok = tu_parse(src, &ast, &diags);
    char *w = with_newline(want);
    ck_assert_msg(ok && diags[0] == '\0', "source:\n%s\nunexpected diagnostics:\n%s", src, diags);
    ck_assert_msg(strcmp(ast, w) == 0, "source:\n%s\n--- AST:\n%s--- want:\n%s", src, ast, w);
    free(w);
    free(ast);
    free(diags);
}

void fe_diags_are(const char *src, const char *want)
{
    char *ast, *diags;
    bool ok = tu_parse(src, &ast, &diags);
    ck_assert_msg(!ok, "source:\n%s\nparsed without error:\n%s", src, ast);
    ck_assert_msg(strcmp(diags, want) == 0, "source:\n%s\n--- diagnostics:\n%s--- want:\n%s", src,
                  diags, want);
    free(ast);
    free(diags);
}

int fe_parse_status(const char *src, bool *incomplete, char **dump)
{
    OnsSource *s = source_new("test.ons", src, strlen(src));
    OnsArena arena;
    arena_init(&arena);
    OnsDiags diags;
    diags_init(&diags);
    OnsNodeList items;
    ons_parse(s, &arena, &diags, &items);
    if (dump) {
        OnsOut out;
        out_init_buffer(&out);
        ast_dump_list(&out, &items);
        *dump = out_take(&out, NULL);
        out_free(&out);
    }
    int errors = diags.errors;
    *incomplete = diags.incomplete;
    diags_free(&diags);
    arena_free(&arena);
    source_free(s);
    return errors;
}
