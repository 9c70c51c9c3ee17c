/* Source text and its line index. */
#include "source.h"
#include "mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

OnsSource *source_new(const char *name, const char *text, size_t len)
{
    return source_adopt(name, ons_strndup(text, len), len);
}

OnsSource *source_adopt(const char *name, char *text, size_t len)
{
    /* a byte-order mark (Windows editors write one) is not part of the program */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        memmove(text, text + 3, len - 3 + 1);
        len -= 3;
    }
    OnsSource *s = ons_calloc(1, sizeof *s);
    s->name = ons_strdup(name);
    s->text = text;
    s->len = (uint32_t)len;
    return s;
}

void source_free(OnsSource *src)
{
    if (!src) return;
    ons_free(src->name);
    ons_free(src->text);
    ons_free(src->line_starts);
    ons_free(src);
}

static void source_index_lines(OnsSource *s)
{
    size_t cap = 0;
    s->nlines = 0;
    ONS_GROW(s->line_starts, cap, 1);
    s->line_starts[s->nlines++] = 0;
    for (uint32_t i = 0; i < s->len; i++) {
        if (s->text[i] == '\n') {
            ONS_GROW(s->line_starts, cap, (size_t)s->nlines + 1);
            s->line_starts[s->nlines++] = i + 1;
        }
    }
}

void source_locate(OnsSource *s, uint32_t offset, uint32_t *line, uint32_t *col)
{
    if (!s->line_starts) source_index_lines(s);
    if (offset > s->len) offset = s->len;
    uint32_t lo = 0, hi = s->nlines - 1;
    while (lo < hi) { /* last line start <= offset */
        uint32_t mid = lo + (hi - lo + 1) / 2;
        if (s->line_starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
    }
    uint32_t c = 1;
    for (uint32_t i = s->line_starts[lo]; i < offset; i++)
        if (((unsigned char)s->text[i] & 0xC0) != 0x80) c++;
    *line = lo + 1;
    *col = c;
}

void source_locate_display(OnsSource *s, uint32_t offset, uint32_t *line, uint32_t *col)
{
    uint32_t c;
    source_locate(s, offset, line, &c);
    if (offset > s->len) offset = s->len;
    uint32_t d = 0; /* columns before the offset */
    for (uint32_t i = s->line_starts[*line - 1]; i < offset; i++) {
        unsigned char ch = (unsigned char)s->text[i];
        if (ch == '\t') d = (d / 8 + 1) * 8;
        else if ((ch & 0xC0) != 0x80) d++;
    }
    *col = d + 1;
}

const char *source_line(OnsSource *s, uint32_t line, uint32_t *len)
{
    if (!s->line_starts) source_index_lines(s);
    if (line == 0 || line > s->nlines) {
        *len = 0;
        return "";
    }
    uint32_t start = s->line_starts[line - 1];
    uint32_t end = start;
    while (end < s->len && s->text[end] != '\n') end++;
    if (end > start && s->text[end - 1] == '\r') end--;
    *len = end - start;
    return s->text + start;
}

char *source_read_file(const char *path, size_t *len)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) return NULL;
    struct stat sb;
    bool stat_ok = fstat(fileno(f), &sb) == 0;
    if (stat_ok && S_ISDIR(sb.st_mode)) {
        if (!is_stdin) fclose(f);
        errno = EISDIR;
        return NULL;
    }
    /* a regular file's size is known: one buffer, no copies as it grows */
    size_t cap = 65536, n = 0, got;
    if (stat_ok && S_ISREG(sb.st_mode) && sb.st_size >= 0 && (uint64_t)sb.st_size < ONS_MAX_SOURCE_BYTES)
        cap = (size_t)sb.st_size + 1; /* + 1: a full buffer reads on to find the end */
    char *buf = ons_malloc(cap + 1);
    ons_advise_huge(buf, cap + 1); /* a large file is read into huge pages, not 4 KiB faults */
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n > ONS_MAX_SOURCE_BYTES) break;
        if (n == cap) {
            cap *= 2;
            buf = ons_realloc(buf, cap + 1);
        }
    }
    int err = ferror(f) ? errno : n > ONS_MAX_SOURCE_BYTES ? EFBIG : 0;
    if (!is_stdin) fclose(f);
    if (err) {
        ons_free(buf);
        errno = err;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}
