/* :help about the language: docs/reference.md, compiled into the binary as
 * docs/repl.md is (tools/embed_text.c), searched for a word.
 *
 *   - a section whose heading has a word starting with it (`:help plot`
 *     prints "Charts: plot", `:help sweep` "Uncertainty: params and sweeps");
 *   - else every table row and bullet that names it in backquotes
 *     (`:help read_csv`, `:help localization`), with its section's heading. */
#include "repl_internal.h"

#include <ctype.h>
#include <string.h>

extern const char ons_reference_md[];
extern const size_t ons_reference_md_len;

static const char *line_end(const char *p, const char *end)
{
    while (p < end && *p != '\n') p++;
    return p;
}

static const char *next_line(const char *p, const char *end)
{
    p = line_end(p, end);
    return p < end ? p + 1 : end;
}

/* The heading level of the line at p (2 for `## `, 3 for `### `), 0 if none. */
static int heading_level(const char *p, const char *end)
{
    int n = 0;
    while (p + n < end && p[n] == '#') n++;
    return n >= 2 && n <= 3 && p + n < end && p[n] == ' ' ? n : 0;
}

static bool word_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-'; }

/* Does [p, e) have `word` as a word, or its plural (case-insensitive)? */
static bool has_word(const char *p, const char *e, const char *word)
{
    size_t n = strlen(word);
    for (const char *q = p; q + n <= e; q++) {
        if (q > p && word_char(q[-1])) continue;
        size_t k = 0;
        while (k < n && tolower((unsigned char)q[k]) == tolower((unsigned char)word[k])) k++;
        if (k < n) continue;
        const char *after = q + n;
        if (after < e && tolower((unsigned char)*after) == 's') after++;
        if (after >= e || !word_char(*after)) return true;
    }
    return false;
}

/* Does [p, e) name `word` in backquotes: `word`, `word(...)`, `word NAME`? */
static bool names(const char *p, const char *e, const char *word)
{
    size_t n = strlen(word);
    for (const char *q = p; q + n + 1 < e; q++) {
        if (*q != '`' || strncmp(q + 1, word, n) != 0) continue;
        char after = q[1 + n];
        if (after == '`' || after == '(' || after == ' ' || after == ',') return true;
    }
    return false;
}

/* Prints the section of the heading at h (to the next heading of its level or
 * above), without the #s. */
static void print_section(OnsOut *out, const char *h, const char *end)
{
    int level = heading_level(h, end);
    const char *stop = next_line(h, end);
    while (stop < end && !(heading_level(stop, end) && heading_level(stop, end) <= level)) stop = next_line(stop, end);
    while (stop > h && stop[-1] == '\n') stop--;
    const char *start = h + level + 1;
    out_write(out, start, (size_t)(stop - start));
    out_putc(out, '\n');
}

/* Prints the lines that mention word, each group under its section's
 * heading: table rows and bullets that name it in backquotes, or (loose)
 * that use the word at all, and code lines that start with it. */
static bool print_lines(OnsOut *out, const char *p, const char *end, const char *word, bool loose)
{
    const char *heading = NULL, *shown_heading = NULL;
    bool any = false, code = false;
    size_t n = strlen(word);
    for (const char *q = p; q < end; q = next_line(q, end)) {
        if (strncmp(q, "```", 3) == 0) {
            code = !code;
            continue;
        }
        if (!code && heading_level(q, end)) {
            heading = q;
            continue;
        }
        const char *e = line_end(q, end);
        bool row = !code && (q[0] == '|' || q[0] == '*' || (q[0] == '-' && q + 1 < end && q[1] == ' '));
        bool hit = row && names(q, e, word);
        if (loose && !hit)
            hit = (row && has_word(q, e, word)) ||
                  (code && (size_t)(e - q) > n && strncmp(q, word, n) == 0 && q[n] == ' ');
        if (!hit) continue;
        if (heading && heading != shown_heading) {
            const char *h = heading + heading_level(heading, end) + 1;
            out_printf(out, "%s%.*s\n", any ? "\n" : "", (int)(line_end(heading, end) - h), h);
            shown_heading = heading;
        }
        /* a bullet continues on the indented lines below it */
        const char *stop = next_line(q, end);
        if (q[0] != '|')
            while (stop < end && stop[0] == ' ' && stop[1] == ' ') stop = next_line(stop, end);
        out_write(out, q, (size_t)(stop - q));
        any = true;
    }
    return any;
}

bool repl_help_language(OnsRepl *r, const char *topic)
{
    OnsOut *out = r->vm->out;
    const char *p = ons_reference_md, *end = p + ons_reference_md_len;
    char word[64] = {0}; /* the topic's first word: `:help report gap` looks up report */
    size_t n = 0;
    while (topic[n] && topic[n] != ' ' && n + 1 < sizeof word) {
        word[n] = topic[n];
        n++;
    }
    word[n] = '\0';
    if (n < 2) return false;
    /* a section named by the word */
    for (const char *q = p; q < end; q = next_line(q, end)) {
        int level = heading_level(q, end);
        if (level && has_word(q + level, line_end(q, end), word)) {
            print_section(out, q, end);
            return true;
        }
    }
    /* the lines that name it in backquotes, under their section's heading;
     * failing that, those that use the word, and code lines starting with it */
    bool any = false;
    for (int loose = 0; loose < 2 && !any; loose++) any = print_lines(out, p, end, word, loose);
    return any;
}
