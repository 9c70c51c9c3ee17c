/* :help.  The text is docs/repl.md, compiled into the binary at build time
 * (tools/embed_text.c), so the REPL's help and the documentation are the
 * same bytes.  The overview is what precedes the first `## ` heading; each
 * `## ` section is a topic named by its heading's first word (`:load FILE`
 * is the topic load). */
#include "repl_internal.h"

#include <stdio.h>
#include <string.h>

extern const char ons_repl_help_md[];
extern const size_t ons_repl_help_md_len;

/* The start of the line after p (or the end of the text). */
static const char *next_line(const char *p, const char *end)
{
    while (p < end && *p != '\n') p++;
    return p < end ? p + 1 : end;
}

static bool is_section(const char *p, const char *end) { return end - p > 3 && strncmp(p, "## ", 3) == 0; }

/* The topic of the heading at p: its first word, lower case, without `:`
 * and backquotes. */
static void heading_topic(const char *p, const char *end, char *buf, size_t n)
{
    p += 3;
    size_t k = 0;
    while (p < end && (*p == ':' || *p == '`')) p++;
    while (p < end && *p != ' ' && *p != '\n' && *p != '`' && k + 1 < n) {
        char c = *p++;
        buf[k++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    buf[k] = '\0';
}

const char *repl_help_topic(size_t i, char *buf, size_t n)
{
    const char *p = ons_repl_help_md, *end = p + ons_repl_help_md_len;
    size_t k = 0;
    for (; p < end; p = next_line(p, end)) {
        if (!is_section(p, end)) continue;
        if (k++ == i) {
            heading_topic(p, end, buf, n);
            return buf;
        }
    }
    return NULL;
}

/* The section text from its heading (without the `## `) up to the next
 * heading, trailing blank lines dropped. */
bool repl_help_text(const char *topic, const char **text, size_t *len)
{
    const char *p = ons_repl_help_md, *end = p + ons_repl_help_md_len;
    while (*topic == ':') topic++;
    const char *found = NULL;
    int matches = 0;
    for (; p < end; p = next_line(p, end)) {
        if (!is_section(p, end)) continue;
        char name[32];
        heading_topic(p, end, name, sizeof name);
        if (strcmp(name, topic) == 0) {
            found = p;
            matches = 1;
            break;
        }
        if (*topic && strncmp(name, topic, strlen(topic)) == 0) { /* a topic may be shortened */
            found = p;
            matches++;
        }
    }
    if (!found || matches != 1) return false;
    const char *start = found + 3, *stop = next_line(found, end);
    while (stop < end && !is_section(stop, end)) stop = next_line(stop, end);
    while (stop > start && (stop[-1] == '\n')) stop--;
    *text = start;
    *len = (size_t)(stop - start) + 1; /* keep one newline */
    return true;
}

void repl_cmd_help(OnsRepl *r, const char *topic)
{
    OnsOut *out = r->vm->out;
    const char *text;
    size_t len;
    if (!topic || !*topic) {
        const char *p = ons_repl_help_md, *end = p + ons_repl_help_md_len;
        if (p < end && *p == '#') p = next_line(p, end); /* the document's title */
        while (p < end && *p == '\n') p++;
        const char *stop = p;
        while (stop < end && !is_section(stop, end)) stop = next_line(stop, end);
        out_write(out, p, (size_t)(stop - p));
        out_puts(out, "Topics:");
        char buf[32];
        for (size_t i = 0; repl_help_topic(i, buf, sizeof buf); i++) out_printf(out, "%s %s", i ? "," : "", buf);
        out_putc(out, '\n');
        out_puts(out, "And any word of the language, from docs/reference.md: :help report, :help plot, :help read_csv.\n");
        return;
    }
    if (repl_help_text(topic, &text, &len)) {
        out_write(out, text, len);
        return;
    }
    if (topic[0] != ':' && repl_help_language(r, topic)) return; /* a word of the language */
    const char *names[64];
    char bufs[64][32];
    size_t n = 0;
    while (n < 64 && repl_help_topic(n, bufs[n], sizeof bufs[n])) {
        names[n] = bufs[n];
        n++;
    }
    const char *t = topic;
    while (*t == ':') t++;
    const char *near = diag_closest(t, names, n);
    if (near) out_printf(r->vm->err, "no help on '%s'; did you mean :help %s?\n", topic, near);
    else out_printf(r->vm->err, "no help on '%s': neither a topic (:help lists them) nor a word of docs/reference.md\n",
                    topic);
    r->failures++;
}
