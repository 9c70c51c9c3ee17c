/* The onshore command line (spec §8). */
#include "diag.h"
#include "frontend.h"
#include "mem.h"
#include "output.h"
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = ons_malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = ons_realloc(buf, cap);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "ast") == 0) {
        size_t len;
        char *text = read_file(argv[2], &len);
        if (!text) {
            fprintf(stderr, "onshore: cannot read %s: %s\n", argv[2], strerror(errno));
            return 2;
        }
        OnsSource *src = source_new(argv[2], text, len);
        ons_free(text);
        OnsOut out, err;
        out_init_file(&out, stdout);
        out_init_file(&err, stderr);
        OnsDiags diags;
        diags_init(&diags);
        OnsStatus st = frontend_dump_ast(src, &out, &diags);
        diags_render(&err, &diags);
        diags_free(&diags);
        source_free(src);
        return st == ONS_OK ? 0 : 1;
    }
    fprintf(stderr, "usage: onshore ast FILE\n");
    return 2;
}
