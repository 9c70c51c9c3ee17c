/* The front end's entry points declared in runtime/frontend.h. */
#include "frontend.h"
#include "parse.h"

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
