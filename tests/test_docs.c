/* The documents' programs print what the documents say they print.
 *
 * The rule for writers: a program whose output a document shows is a
 * fenced block with the info string `onshore`, and the output is the next
 * fenced block, with the info string `output`.  The test writes the program
 * to `x.ons` in a fresh folder, runs `onshore x.ons` there and compares
 * stdout followed by stderr with the output block (trailing blanks aside).
 * Transcripts of the REPL are ```repl blocks, replayed by the tutorial
 * suite (tests/test_tutorial.c). */
#include "tests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the documents that show programs with their output */
static const char *const documents[] = {"README.md", "docs/reference.md"};

/* Compares two texts line by line, trailing blanks of each line aside. */
static bool same_lines(const char *a, const char *b)
{
    for (;;) {
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
        size_t n = tu_trimmed(a, la);
        if (n != tu_trimmed(b, lb) || memcmp(a, b, n) != 0) return false;
        if (!ea || !eb) { /* one text has ended: what the other has left must be blank */
            const char *rest = ea ? ea : eb ? eb : "";
            return tu_trimmed(rest, strlen(rest)) == 0;
        }
        a = ea + 1, b = eb + 1;
    }
}

/* The text of the fenced block whose opening fence is the line at p, up to
 * its closing fence (a line that starts with ```); *next: after the
 * closing fence. */
static char *block_text(const char *p, const char **next)
{
    const char *eol = strchr(p, '\n');
    const char *start = eol ? eol + 1 : p + strlen(p), *end = start;
    while (*end && strncmp(end, "```", 3) != 0) {
        const char *nl = strchr(end, '\n');
        end = nl ? nl + 1 : end + strlen(end);
    }
    char *text = strndup(start, (size_t)(end - start));
    const char *after = *end ? strchr(end, '\n') : NULL;
    *next = after ? after + 1 : end + strlen(end);
    return text;
}

static int check_document(const char *rel, char *report, size_t cap)
{
    char *doc = tu_read_file(tu_path(rel), NULL);
    ck_assert_msg(doc != NULL, "cannot read %s", rel);
    char *program = NULL;
    int checked = 0;
    size_t used = strlen(report);
    for (const char *p = doc; (p = strstr(p, "```")) != NULL;) {
        bool at_line_start = p == doc || p[-1] == '\n';
        if (!at_line_start) {
            p += 3;
            continue;
        }
        bool is_program = strncmp(p, "```onshore\n", 11) == 0, is_output = strncmp(p, "```output\n", 10) == 0;
        const char *next;
        char *text = block_text(p, &next);
        if (is_program) {
            free(program);
            program = text;
            text = NULL;
        } else if (is_output) {
            int line = 1;
            for (const char *q = doc; q < p; q++) line += *q == '\n';
            ck_assert_msg(program != NULL, "%s:%d: an ```output block with no ```onshore program before it", rel, line);
            char *dir = tu_make_dir("onshore-docs");
            char path[1024];
            snprintf(path, sizeof path, "%s/x.ons", dir);
            FILE *f = fopen(path, "wb");
            ck_assert(f != NULL);
            fputs(program, f);
            fclose(f);
            char old[4096];
            ck_assert(getcwd(old, sizeof old) != NULL);
            ck_assert(chdir(dir) == 0);
            const char *args[] = {"x.ons", NULL};
            const char *env[] = {"NO_COLOR=1", "COLUMNS=72", "ONSHORE_PROGRESS=0", NULL};
            TuResult r;
            tu_run(args, NULL, env, &r);
            ck_assert(chdir(old) == 0);
            size_t n = strlen(r.out) + strlen(r.err) + 1;
            char *got = malloc(n);
            snprintf(got, n, "%s%s", r.out, r.err);
            if (!same_lines(text, got) && used < cap)
                used += (size_t)snprintf(report + used, cap - used,
                                         "%s:%d: the program above prints\n%s--- and the document says\n%s", rel, line,
                                         got, text);
            free(got);
            tu_result_free(&r);
            tu_remove_dir(dir);
            checked++;
        }
        free(text);
        p = next;
    }
    free(program);
    free(doc);
    return checked;
}

START_TEST(documented_programs_print_what_the_documents_say)
{
    static char report[6000];
    report[0] = '\0';
    for (size_t i = 0; i < sizeof documents / sizeof *documents; i++) {
        int n = check_document(documents[i], report, sizeof report);
        ck_assert_msg(n > 0, "%s shows no ```onshore program with its ```output", documents[i]);
    }
    ck_assert_msg(report[0] == '\0', "%s", report);
}
END_TEST

Suite *make_docs_suite(void)
{
    Suite *s = suite_create("docs");
    TCase *tc = tcase_create("programs");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, documented_programs_print_what_the_documents_say);
    suite_add_tcase(s, tc);
    return s;
}
