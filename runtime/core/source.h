/* OnsSource: the text of one file, REPL entry or embedded module, with a
 * line index built on first use.  Spans are byte offsets into text. */
#ifndef ONS_RUNTIME_SOURCE_H
#define ONS_RUNTIME_SOURCE_H

#include "common.h"

typedef struct OnsSource {
    char *name;            /* as shown in diagnostics: a path, <stdin>, <repl:3> */
    char *text;            /* NUL-terminated copy */
    uint32_t len;
    uint32_t *line_starts; /* built lazily by source_locate */
    uint32_t nlines;
} OnsSource;

/* The largest source text accepted (see docs/limits.md). */
#define ONS_MAX_SOURCE_BYTES ((size_t)64 * 1024 * 1024)

/* The one file reader: the whole of path ("-" is standard input), at most
 * ONS_MAX_SOURCE_BYTES.  Returns the text (owned, with a NUL after it) and
 * its length, or NULL with errno saying why: what fopen says (ENOENT, ...),
 * EISDIR for a folder, EFBIG past the limit, or the read error. */
char *source_read_file(const char *path, size_t *len);

OnsSource *source_new(const char *name, const char *text, size_t len);
/* The same, taking text (from ons_malloc, NUL-terminated at len) as its own. */
OnsSource *source_adopt(const char *name, char *text, size_t len);
void source_free(OnsSource *src);

/* 1-based line and column of a byte offset; the column counts UTF-8
 * characters, so a caret lands under the right character. */
void source_locate(OnsSource *src, uint32_t offset, uint32_t *line, uint32_t *col);
/* The same with the column as a terminal or an editor shows it, for the
 * FILE:LINE:COL of messages: a tab moves to the next multiple of 8, as GCC
 * counts and as Vim's %v reads. */
void source_locate_display(OnsSource *src, uint32_t offset, uint32_t *line, uint32_t *col);

/* The text of a 1-based line without its newline. */
const char *source_line(OnsSource *src, uint32_t line, uint32_t *len);

#endif
