/* The REPL: libedit line editing, continuation lines while the parser says
 * the input is incomplete, values echoed with their units. */
#include "repl.h"
#include "frontend.h"
#include "mem.h"
#include "session.h"

#include <editline/readline.h>
#include <locale.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

int repl_main(OnsVM *vm)
{
    setlocale(LC_CTYPE, "");
    printf("Onshore %s  (:help for help, :quit or Ctrl-D to leave)\n", ONS_VERSION);
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int entry = 0;
    for (;;) {
        char *line = readline(len ? "   ...> " : "onshore> ");
        if (!line) {
            putchar('\n');
            break;
        }
        size_t n = strlen(line);
        if (len == 0 && (strcmp(line, ":quit") == 0 || strcmp(line, ":q") == 0)) {
            free(line);
            break;
        }
        ONS_GROW(buf, cap, len + n + 2);
        memcpy(buf + len, line, n);
        len += n;
        buf[len++] = '\n';
        buf[len] = '\0';
        free(line);
        if (frontend_is_incomplete(buf, len)) continue;
        if (len > 1) add_history(buf);
        char name[32];
        snprintf(name, sizeof name, "<repl:%d>", ++entry);
        OnsSource *src = source_new(name, buf, len);
        OnsRunOptions opts = {true, false};
        session_run(vm, src, &opts);
        out_flush(vm->out);
        len = 0;
    }
    ons_free(buf);
    return 0;
}
