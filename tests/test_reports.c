/* Reports written with `to "file"`, and the machine formats checked for
 * what they promise: CSV by RFC 4180 (CRLF line ends, quoting, one field
 * count), JSON by a strict validator (RFC 8259, written here: no python in
 * the test environment), Markdown by its table shape.
 *
 * Every report runs against tests/scripts/lib/reports_model.ons (the model of
 * the report goldens in tests/scripts/report_*.ons) in a fresh temporary
 * directory that the test removes again. */
#include "tests.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- a temporary directory per test ---- */

static char dir[512];

static void make_dir(void)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(dir, sizeof dir, "%s/onshore-reports-XXXXXX", tmp);
    if (!mkdtemp(dir)) ck_abort_msg("mkdtemp: %s", strerror(errno));
}

/* Removes the directory and what the test left in it (no subfolders). */
static void remove_dir(void)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[1024];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                remove(path);
            }
        closedir(d);
    }
    rmdir(dir);
}

static int count_files(void)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static const char *in_dir(const char *name)
{
    static char path[8][1024]; /* format_from_extension needs six at once */
    static int slot;
    slot = (slot + 1) % 8;
    snprintf(path[slot], sizeof path[slot], "%s/%s", dir, name);
    return path[slot];
}

/* Runs `import reports_model` followed by body; the program lives in the
 * temporary directory, and the model is found through -I. */
static void run_model(const char *body, TuResult *r)
{
    char lib[1024];
    snprintf(lib, sizeof lib, "%s", tu_path("tests/scripts/lib"));
    size_t n = strlen(body) + 64;
    char *text = malloc(n);
    snprintf(text, n, "import reports_model\n%s", body);
    FILE *f = fopen(in_dir("prog.ons"), "wb");
    ck_assert(f != NULL);
    fputs(text, f);
    fclose(f);
    free(text);
    const char *args[] = {"-I", lib, in_dir("prog.ons"), NULL};
    tu_run(args, NULL, NULL, r);
}

static char *read_back(const char *name)
{
    char *s = tu_read_file(in_dir(name), NULL);
    ck_assert_msg(s != NULL, "%s was not written", name);
    return s;
}

/* ---- CSV, RFC 4180 ---- */

/* Reads text as CSV: comment lines start with '#'; every line ends with
 * CRLF and no LF stands alone; quoted fields double their quotes; a field
 * holding a comma, quote, CR or LF is quoted; every record has as many
 * fields as the first.  Returns the number of records (header included),
 * or -1 with the reason in *why. */
static int csv_records(const char *text, const char **why)
{
    const char *p = text;
    int records = 0, width = -1;
    *why = NULL;
    while (*p) {
        if (*p == '#') { /* a comment line (the report header, notes) */
            const char *eol = strstr(p, "\r\n");
            const char *lf = strchr(p, '\n');
            if (!eol || lf < eol + 1) return *why = "a comment line does not end with CRLF", -1;
            p = eol + 2;
            continue;
        }
        int fields = 0;
        for (;;) {
            fields++;
            if (*p == '"') {
                p++;
                for (;;) {
                    if (*p == '\0') return *why = "an unterminated quoted field", -1;
                    if (*p == '"') {
                        if (p[1] == '"') {
                            p += 2;
                            continue;
                        }
                        p++;
                        break;
                    }
                    p++;
                }
                if (!(*p == ',' || (p[0] == '\r' && p[1] == '\n'))) return *why = "text after a closing quote", -1;
            } else {
                while (*p && *p != ',' && *p != '\r' && *p != '\n') {
                    if (*p == '"') return *why = "a quote inside an unquoted field", -1;
                    p++;
                }
            }
            if (*p == ',') {
                p++;
                continue;
            }
            if (!(p[0] == '\r' && p[1] == '\n')) return *why = "a record does not end with CRLF", -1;
            p += 2;
            break;
        }
        if (width < 0) width = fields;
        if (fields != width) return *why = "records with different numbers of fields", -1;
        records++;
    }
    return records;
}

static int check_csv(const char *text)
{
    const char *why;
    int n = csv_records(text, &why);
    ck_assert_msg(n >= 0, "CSV: %s:\n%s", why, text);
    return n;
}

START_TEST(csv_validator)
{
    static const char *const bad[] = {"a,b\n1,2\r\n", "a,b\r\n1\r\n", "a\r\n\"x\r\n", "a\r\nx\"y\r\n",
                                      "a\r\n\"x\"y\r\n", "# h\na\r\n", "a\r\nb"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *why;
        ck_assert_msg(csv_records(bad[i], &why) < 0, "the CSV validator accepted bad input %zu", i);
    }
    ck_assert_int_eq(check_csv("# h\r\na,b\r\n\"x, \"\"y\"\"\",2\r\n,\r\n"), 3);
}
END_TEST

/* ---- JSON, RFC 8259 ---- */

typedef struct Json {
    const char *p;
    const char *err;
    int depth;
} Json;

static void ws(Json *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r') j->p++;
}

static bool json_fail(Json *j, const char *why)
{
    if (!j->err) j->err = why;
    return false;
}

static bool json_value(Json *j);

static bool json_string(Json *j)
{
    if (*j->p != '"') return json_fail(j, "a string must start with a quote");
    j->p++;
    for (;;) {
        unsigned char c = (unsigned char)*j->p;
        if (c == '\0') return json_fail(j, "unterminated string");
        if (c < 0x20) return json_fail(j, "a control character inside a string");
        if (c == '"') {
            j->p++;
            return true;
        }
        if (c == '\\') {
            j->p++;
            char e = *j->p;
            if (e == 'u') {
                for (int i = 1; i <= 4; i++) {
                    char h = j->p[i];
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                        return json_fail(j, "a bad \\u escape");
                }
                j->p += 5;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == '\0') return json_fail(j, "a bad escape");
            j->p++;
            continue;
        }
        j->p++;
    }
}

static bool digits(Json *j)
{
    if (!(*j->p >= '0' && *j->p <= '9')) return json_fail(j, "a digit expected");
    while (*j->p >= '0' && *j->p <= '9') j->p++;
    return true;
}

static bool json_number(Json *j)
{
    if (*j->p == '-') j->p++;
    if (*j->p == '0') j->p++;
    else if (!digits(j)) return false;
    if (*j->p == '.') {
        j->p++;
        if (!digits(j)) return false;
    }
    if (*j->p == 'e' || *j->p == 'E') {
        j->p++;
        if (*j->p == '+' || *j->p == '-') j->p++;
        if (!digits(j)) return false;
    }
    return true;
}

static bool json_value(Json *j)
{
    if (++j->depth > 64) return json_fail(j, "nested too deeply");
    ws(j);
    bool ok;
    if (*j->p == '{') {
        j->p++;
        ws(j);
        ok = true;
        if (*j->p == '}') j->p++;
        else
            for (;;) {
                ws(j);
                if (!json_string(j)) return false;
                ws(j);
                if (*j->p != ':') return json_fail(j, "':' expected after a key");
                j->p++;
                if (!json_value(j)) return false;
                ws(j);
                if (*j->p == ',') {
                    j->p++;
                    continue;
                }
                if (*j->p != '}') return json_fail(j, "',' or '}' expected in an object");
                j->p++;
                break;
            }
    } else if (*j->p == '[') {
        j->p++;
        ws(j);
        ok = true;
        if (*j->p == ']') j->p++;
        else
            for (;;) {
                if (!json_value(j)) return false;
                ws(j);
                if (*j->p == ',') {
                    j->p++;
                    continue;
                }
                if (*j->p != ']') return json_fail(j, "',' or ']' expected in an array");
                j->p++;
                break;
            }
    } else if (*j->p == '"') {
        ok = json_string(j);
    } else if (strncmp(j->p, "true", 4) == 0 || strncmp(j->p, "null", 4) == 0) {
        j->p += 4;
        ok = true;
    } else if (strncmp(j->p, "false", 5) == 0) {
        j->p += 5;
        ok = true;
    } else if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
        ok = json_number(j);
    } else {
        return json_fail(j, "a value expected");
    }
    j->depth--;
    return ok;
}

/* Checks text is exactly one JSON object, whitespace around. */
static void check_json_object(const char *text)
{
    Json j = {text, NULL, 0};
    ws(&j);
    ck_assert_msg(*j.p == '{', "JSON: a report is an object");
    bool ok = json_value(&j);
    ws(&j);
    if (ok && *j.p != '\0') json_fail(&j, "text after the value");
    ck_assert_msg(j.err == NULL, "JSON: %s at offset %ld:\n%s", j.err, (long)(j.p - text), text);
}

/* Checks text is one report in JSON. */
static void check_json(const char *text)
{
    check_json_object(text);
    ck_assert_msg(strstr(text, "\"header\": ") && strstr(text, "\"title\": ") && strstr(text, "\"rows\": ["),
                  "JSON: header, title and rows expected:\n%s", text);
}

START_TEST(json_validator)
{
    static const char *const good[] = {"{}", "{\"a\": [1, -0.5, 2e+21, 1E-7, true, false, null, \"x\\\"\\u00e9\"]}",
                                       " {\"a\": {\"b\": []}} "};
    static const char *const bad[] = {"{\"a\": 01}", "{\"a\": .5}", "{\"a\": 1,}", "{\"a\" 1}", "{\"a\": nan}",
                                      "{\"a\": \"x\ty\"}", "{\"a\": 1} x", "{'a': 1}", "{\"a\": [1 2]}",
                                      "{\"a\": \"\\x\"}", "{\"a\": 1e}", "{\"a\": -}"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        Json j = {good[i], NULL, 0};
        ws(&j);
        ck_assert_msg(json_value(&j), "rejected %s: %s", good[i], j.err);
        ws(&j);
        ck_assert_msg(*j.p == '\0', "trailing text in %s", good[i]);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        Json j = {bad[i], NULL, 0};
        ws(&j);
        bool ok = json_value(&j);
        ws(&j);
        ck_assert_msg(!ok || *j.p != '\0', "accepted bad JSON %s", bad[i]);
    }
}
END_TEST

/* ---- Markdown ---- */

/* Cells of a table line: unescaped '|' separators, minus the outer two. */
static int md_cells(const char *line, size_t n)
{
    int bars = 0;
    for (size_t i = 0; i < n; i++)
        if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) bars++;
    return bars - 1;
}

static void check_markdown(const char *text)
{
    ck_assert_msg(text[0] == '*', "Markdown: the header line first, in italics");
    const char *p = text;
    int width = -1, lines = 0;
    bool sep = false;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (n > 0 && p[0] == '|') {
            ck_assert_msg(p[n - 1] == '|', "Markdown: a table line must end with '|': %.*s", (int)n, p);
            int cells = md_cells(p, n);
            if (width < 0) width = cells;
            ck_assert_msg(cells == width, "Markdown: %d cells, the header has %d: %.*s", cells, width, (int)n, p);
            if (lines == 1) sep = strstr(p, "---") != NULL;
            lines++;
        }
        p += n + (eol ? 1 : 0);
    }
    ck_assert_msg(lines == 0 || (lines >= 2 && sep), "Markdown: a header row and a separator row expected:\n%s", text);
}

/* ---- the reports ---- */

typedef struct Report {
    const char *name;
    const char *stmt; /* without format and file */
    const char *before; /* a statement to run first ("run base") */
} Report;

static const Report reports[] = {
    {"gap", "report gap for US in 2030", "run base"},
    {"gap_years", "report gap for US in 2029..2031 on stage refining", "run base"},
    {"gap_materials", "report gap for US on stage refining in 2030", "run base"},
    {"imports", "report imports for US on lih in 2029..2031", "run base"},
    {"compliance", "report compliance for US", "run base"},
    {"compare", "report compare base, shock for US in 2030", "run base"},
    {"sources", "report sources", "run base"},
    {"explain", "explain US cell 2030", "run base"},
    {"explain_shock", "explain US lih 2030", "run shock"},
};

static const char *const formats[] = {"table", "csv", "json", "markdown"};

/* Two CSV texts with the same fields, numbers equal to 11 significant
 * digits: a file carries every digit (it reads back to the bit), stdout
 * 12 significant ones. */
static bool same_csv(const char *a, const char *b)
{
    while (*a && *b) {
        char *ea, *eb;
        double x = strtod(a, &ea), y = strtod(b, &eb);
        bool numbers = ea != a && eb != b && strchr(",\r", *ea) && strchr(",\r", *eb);
        if (numbers) {
            if (fabs(x - y) > 1e-11 * fmax(fabs(x), fabs(y))) return false;
            a = ea, b = eb;
        } else {
            if (*a != *b) return false;
            a++, b++;
        }
        /* move to the next field's start */
        while (*a && *a == *b && *a != ',' && *a != '\n') a++, b++;
        if (*a != *b) return false;
        if (*a) a++, b++;
    }
    return *a == *b;
}

/* text without its lines that start with '#' (a CSV's header and notes) */
static char *without_comment_lines(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    ck_assert(out != NULL);
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p + 1) : strlen(p);
        if (*p != '#') {
            memcpy(o, p, n);
            o += n;
        }
        p += n;
    }
    *o = '\0';
    return out;
}
static const char *const exts[] = {"txt", "csv", "json", "md"};

static void check_format(int f, const char *text)
{
    switch (f) {
    case 1: ck_assert_int_gt(check_csv(text), 1); break;
    case 2: check_json(text); break;
    case 3: check_markdown(text); break;
    default:
        ck_assert_msg(strncmp(text, "scenario ", 9) == 0 || strncmp(text, "compare ", 8) == 0,
                      "table: the header line first:\n%s", text);
        ck_assert_msg(strchr(text, '\r') == NULL, "table: no CR");
        break;
    }
}

/* Each report in each format: to stdout and `to "file"` give the same
 * text, the file is valid in its format, and nothing else is left behind. */
START_TEST(every_report_every_format_to_file)
{
    const Report *rp = &reports[_i / 4];
    int f = _i % 4;
    make_dir();
    char file[64], body[1024];
    snprintf(file, sizeof file, "%s.%s", rp->name, exts[f]);
    snprintf(body, sizeof body, "%s\n%s as %s\n%s as %s to \"%s\"\n", rp->before, rp->stmt, formats[f], rp->stmt,
             formats[f], in_dir(file));
    TuResult r;
    run_model(body, &r);
    ck_assert_msg(r.status == 0 && r.err[0] == '\0', "%s as %s: exit %d\n%s", rp->name, formats[f], r.status, r.err);
    char *written = read_back(file);
    /* a CSV file is stdout's CSV without its `#` lines: they are in FILE.meta.json */
    char *expected = f == 1 ? without_comment_lines(r.out) : strdup(r.out);
    ck_assert_msg(f == 1 ? same_csv(written, expected) : strcmp(written, expected) == 0,
                  "%s as %s: the file differs from stdout\n--- file\n%s--- stdout\n%s", rp->name, formats[f], written,
                  r.out);
    if (f == 1) {
        ck_assert_msg(strncmp(written, "# ", 2) != 0, "line 1 of a CSV file holds the column names");
        char meta[80];
        snprintf(meta, sizeof meta, "%s.meta.json", file);
        char *side = read_back(meta);
        check_json_object(side);
        ck_assert_msg(strstr(side, "\"header\": \"") && strstr(r.out, "# ") &&
                          strncmp(strstr(side, "\"header\": \"") + 11, r.out + 2, 20) == 0,
                      "the sidecar holds the header line: %s", side);
        free(side);
    }
    check_format(f, written);
    /* the program and the report (and a CSV's sidecar): no temporary file left */
    ck_assert_int_eq(count_files(), f == 1 ? 3 : 2);
    free(expected);
    free(written);
    tu_result_free(&r);
    remove_dir();
}
END_TEST

/* Without `as`, the file name's extension chooses the format, in any case
 * (.TXT is the text table); an extension that names none is an error. */
START_TEST(format_from_extension)
{
    make_dir();
    char body[2048];
    snprintf(body, sizeof body,
             "run base\n"
             "report gap for US in 2030 to \"%s\"\n"
             "report gap for US in 2030 to \"%s\"\n"
             "report gap for US in 2030 to \"%s\"\n"
             "report gap for US in 2030 to \"%s\"\n"
             "explain US lih 2030 to \"%s\"\n"
             "report gap for US in 2030 as json to \"%s\"\n",
             in_dir("a.CSV"), in_dir("a.json"), in_dir("a.md"), in_dir("a.TXT"), in_dir("e.csv"), in_dir("b.csv"));
    TuResult r;
    run_model(body, &r);
    ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.err);
    ck_assert_str_eq(r.out, "");
    char *csv = read_back("a.CSV"), *json = read_back("a.json"), *md = read_back("a.md"), *txt = read_back("a.TXT"),
         *ecsv = read_back("e.csv"), *forced = read_back("b.csv");
    check_csv(csv);
    ck_assert(strstr(csv, "stage,unit,demand,") != NULL);
    check_json(json);
    check_markdown(md);
    ck_assert(strstr(txt, "\nstage     demand") != NULL);
    check_csv(ecsv);
    ck_assert(strncmp(ecsv, "step,unit,price_unit,facility,", 30) == 0);
    check_json(forced); /* `as` wins over the extension */
    free(csv);
    free(json);
    free(md);
    free(txt);
    free(ecsv);
    free(forced);
    tu_result_free(&r);
    /* an extension that names no format: an error that says what to write */
    snprintf(body, sizeof body, "run base\nreport gap for US in 2030 to \"%s\"\n", in_dir("a.out"));
    run_model(body, &r);
    ck_assert_msg(r.status == 1 && strstr(r.err, "cannot tell the format of ") &&
                      strstr(r.err, "a.out from its extension: name it .csv, .tsv, .json, .jsonl, .md or .txt, or write `as csv`"),
                  "%s", r.err);
    tu_result_free(&r);
    remove_dir();
}
END_TEST

/* `to` an existing file replaces it whole; `to` a folder that does not exist
 * is an I/O error (exit 2, spec §8) that leaves nothing behind. */
START_TEST(file_errors_and_replacing)
{
    make_dir();
    FILE *f = fopen(in_dir("old.csv"), "wb");
    ck_assert(f != NULL);
    fputs("a much longer text that was here before and must not survive at the end of the file\n", f);
    fclose(f);
    char body[2048];
    snprintf(body, sizeof body, "run base\nreport sources to \"%s\"\nreport sources to \"%s\"\n", in_dir("old.csv"),
             in_dir("missing/x.csv"));
    TuResult r;
    run_model(body, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "cannot write") && strstr(r.err, "missing/x.csv"), "stderr: %s", r.err);
    char *csv = read_back("old.csv");
    ck_assert(strstr(csv, "must not survive") == NULL);
    ck_assert_int_eq(check_csv(csv), 4); /* header + ore, cell, cn_cells */
    ck_assert_int_eq(count_files(), 3); /* the program, old.csv and old.csv.meta.json */
    free(csv);
    tu_result_free(&r);
    remove_dir();
}
END_TEST

/* `to` writes where the script says, and never turns what is there into
 * something else: a device stays a device (/dev/null takes the report,
 * /dev/full is an I/O error), a file keeps its mode, a link stays a link
 * (the file it points to gets the report), a folder is an error, and no
 * temporary file is left behind. */
/* A number in a CSV file reads back as the very double the run computed
 * (US makes 20 of its 60 GWh of cells: 1/3), where stdout shows 12 digits. */
START_TEST(csv_file_reads_back_exactly)
{
    make_dir();
    char body[2048];
    snprintf(body, sizeof body,
             "let r = run base\nreport gap for US in 2030 to \"%s\"\nreport gap for US in 2030 as csv\n"
             "let rows = read_csv(\"%s\")\n"
             "print(rows[0].stage, rows[0].localization == localization(r, US, stage cell, 2030))\n",
             in_dir("x.csv"), in_dir("x.csv"));
    TuResult r;
    run_model(body, &r);
    ck_assert_msg(r.status == 0, "exit %d\n%s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "\ncell true\n") != NULL, "stdout:\n%s", r.out);
    ck_assert_msg(strstr(r.out, ",0.333333333333,") != NULL, "stdout has 12 digits:\n%s", r.out);
    char *csv = read_back("x.csv");
    ck_assert_msg(strstr(csv, ",0.3333333333333333,") != NULL, "the file has every digit:\n%s", csv);
    free(csv);
    tu_result_free(&r);
    remove_dir();
}
END_TEST

START_TEST(to_keeps_what_is_there)
{
    make_dir();
    FILE *f = fopen(in_dir("kept.csv"), "wb");
    ck_assert(f != NULL);
    fputs("old\n", f);
    fclose(f);
    ck_assert_int_eq(chmod(in_dir("kept.csv"), 0640), 0);
    FILE *t = fopen(in_dir("target.csv"), "wb");
    ck_assert(t != NULL);
    fclose(t);
    char target[700];
    snprintf(target, sizeof target, "%s", in_dir("target.csv"));
    ck_assert_int_eq(symlink(target, in_dir("link.csv")), 0);
    char body[4096];
    snprintf(body, sizeof body,
             "run base\nreport sources to \"/dev/null\"\nreport sources to \"%s\"\nreport sources to \"%s\"\n"
             "report sources to \"/dev/full\"\n",
             in_dir("kept.csv"), in_dir("link.csv"));
    TuResult r;
    run_model(body, &r);
    ck_assert_msg(r.status == 2 && strstr(r.err, "cannot write /dev/full: No space left on device"), "%d %s", r.status,
                  r.err);
    tu_result_free(&r);
    struct stat st;
    ck_assert(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
    ck_assert(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode));
    ck_assert(stat(in_dir("kept.csv"), &st) == 0 && S_ISREG(st.st_mode));
    ck_assert_msg((st.st_mode & 0777) == 0640, "the mode became %o", (unsigned)(st.st_mode & 0777));
    char *kept = read_back("kept.csv");
    ck_assert_msg(strncmp(kept, "kind,name,source", 16) == 0, "%s", kept);
    free(kept);
    ck_assert(lstat(in_dir("link.csv"), &st) == 0 && S_ISLNK(st.st_mode));
    char *through = read_back("target.csv");
    ck_assert_msg(strncmp(through, "kind,name,source", 16) == 0, "the link's file: %s", through);
    free(through);
    /* the program, kept.csv, target.csv, link.csv and the sidecars of the
     * two names written (none for the devices): no temporary file */
    ck_assert_int_eq(count_files(), 6);
    ck_assert(access(in_dir("kept.csv.meta.json"), R_OK) == 0 && access(in_dir("link.csv.meta.json"), R_OK) == 0);
    /* a folder */
    snprintf(body, sizeof body, "run base\nreport sources to \"%s\"\n", dir);
    run_model(body, &r);
    ck_assert_msg(r.status == 2 && strstr(r.err, "it is a folder"), "%s", r.err);
    tu_result_free(&r);
    remove_dir();
}
END_TEST

/* The model hash identifies the model: two models differing only in a value
 * inside a map a property reads hash differently, and one program hashes
 * the same however it is run (a file, or -i then the report at the prompt). */
START_TEST(model_hash_identifies_the_model)
{
    static const char base[] = "stages c\nregion US\nregion CN\nmaterial m { unit: t, stage: c, price: 1 $/t }\n"
                               "let CAPS = {US: 10 t/yr, CN: %d t/yr}\n"
                               "facility f { region: US, makes: m, capacity: CAPS[US] }\n"
                               "facility g { region: CN, makes: m, capacity: CAPS[CN] }\n"
                               "demand US m: 15 t\nscenario s { years: 2030..2030 }\nrun s\n";
    char a[1024], b[1024], with_report[1100];
    snprintf(a, sizeof a, base, 20);
    snprintf(b, sizeof b, base, 25);
    snprintf(with_report, sizeof with_report, "%sreport gap for US\n", a);
    char pa[600], pb[600];
    snprintf(pa, sizeof pa, "%s", tu_temp_file(0, ".ons", with_report));
    snprintf(pb, sizeof pb, "%s", tu_temp_file(1, ".ons", b));
    TuResult ra, rb, ri;
    const char *args_a[] = {pa, NULL};
    tu_run(args_a, NULL, NULL, &ra);
    const char *args_b[] = {pb, "-e", "report gap for US", NULL};
    tu_run(args_b, NULL, NULL, &rb);
    const char *pi = tu_temp_file(2, ".ons", a);
    const char *args_i[] = {"-i", pi, NULL};
    tu_run(args_i, "report gap for US\n", NULL, &ri);
    ck_assert_msg(ra.status == 0 && rb.status == 0 && ri.status == 0, "%s%s%s", ra.err, rb.err, ri.err);
    const char *ha = strstr(ra.out, "model "), *hb = strstr(rb.out, "model "), *hi = strstr(ri.out, "model ");
    ck_assert(ha && hb && hi);
    ck_assert_msg(strncmp(ha, hb, 14) != 0, "a map value changed, the hash did not: %.14s", ha);
    ck_assert_msg(strncmp(ha, hi, 14) == 0, "a file and -i hash differently: %.14s and %.14s", ha, hi);
    tu_result_free(&ra);
    tu_result_free(&rb);
    tu_result_free(&ri);
}
END_TEST

/* Markdown survives concatenation and shows its text, not markup: reports
 * printed one after another render (cmark-gfm, GitHub's renderer) as as
 * many tables, notes as list items, and $, * and | as themselves. */
START_TEST(markdown_renders_with_gfm)
{
    make_dir();
    TuResult r;
    run_model("run base\nreport gap for US in 2030 as markdown\nreport imports for US on cell in 2030 as markdown\n"
              "explain US cell 2030 as markdown\n",
              &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    FILE *f = fopen(in_dir("r.md"), "wb");
    ck_assert(f != NULL);
    fputs(r.out, f);
    fclose(f);
    tu_result_free(&r);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cmark-gfm -e table '%s' > '%s'", in_dir("r.md"), in_dir("r.html"));
    ck_assert_msg(system(cmd) == 0, "cmark-gfm failed");
    char *html = read_back("r.html");
    int tables = 0;
    for (const char *p = html; (p = strstr(p, "<table>")) != NULL; p++) tables++;
    ck_assert_msg(tables == 3, "%d tables rendered, not 3:\n%s", tables, html);
    ck_assert_msg(strstr(html, "<li>demand ") != NULL, "explain's notes are not list items:\n%s", html);
    ck_assert_msg(strstr(html, "$/kWh</td>") != NULL, "a price is not shown as written:\n%s", html);
    ck_assert_msg(strstr(html, "\\$") == NULL, "an escape shows:\n%s", html);
    free(html);
    remove_dir();
}
END_TEST

/* JSON (docs/formats.md): every kind of report is one object on one line
 * that docs/report.schema.json accepts (checked with Python's jsonschema),
 * so reports printed one after another are NDJSON. */
START_TEST(json_reports_match_the_schema)
{
    make_dir();
    TuResult r;
    run_model("run base\nreport gap for US in 2030 as json\nreport gap for US in 2029..2031 on cell as json\n"
              "report imports for US on lih in 2030 as json\nreport compliance for US as json\n"
              "report compare base, shock for US in 2030 as json\nreport sources as json\n"
              "explain US lih 2030 as json\n"
              "param g = uniform(90%, 110%)\n"
              "scenario unc extends base { demand US cell: linear {2029: 50 GWh, 2031: 70 GWh} * g }\n"
              "let s = sweep unc { runs: 8, seed: 3, record: [localization(US, stage cell)] }\n"
              "report spread localization for US on stage cell as json\n"
              "report drivers localization for US on stage cell in 2031 as json\n"
              "scenario planned extends base { plan { } }\nrun planned\nreport plan for US as json\n",
              &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    int lines = 0;
    for (const char *p = r.out; *p; p++) lines += *p == '\n';
    ck_assert_msg(lines == 10, "10 reports, one a line, expected:\n%s", r.out);
    FILE *f = fopen(in_dir("reports.ndjson"), "wb");
    ck_assert(f != NULL);
    fputs(r.out, f);
    fclose(f);
    tu_result_free(&r);
    char schema[4096], cmd[9000];
    snprintf(schema, sizeof schema, "%s", tu_path("docs/report.schema.json"));
    snprintf(cmd, sizeof cmd,
             "py=/usr/bin/python3; [ -x $py ] || py=python3; $py -c '"
             "import json, sys, jsonschema\n"
             "schema = json.load(open(sys.argv[1]))\n"
             "jsonschema.Draft202012Validator.check_schema(schema)\n"
             "for n, line in enumerate(open(sys.argv[2]), 1):\n"
             "    jsonschema.validate(json.loads(line), schema)\n"
             "print(n)' '%s' '%s' > '%s' 2>&1",
             schema, in_dir("reports.ndjson"), in_dir("out.txt"));
    int st = system(cmd);
    char *out = read_back("out.txt");
    ck_assert_msg(st == 0 && strcmp(out, "10\n") == 0, "the schema rejects a report:\n%s", out);
    free(out);
    remove_dir();
}
END_TEST

/* --format sets the format of reports that give none; `as` still wins. */
START_TEST(format_option)
{
    make_dir();
    char lib[1024];
    snprintf(lib, sizeof lib, "%s", tu_path("tests/scripts/lib"));
    FILE *f = fopen(in_dir("p.ons"), "wb");
    ck_assert(f != NULL);
    fputs("import reports_model\nrun base\nreport gap for US in 2030\nexplain US lih 2030\n"
          "report sources as markdown\n",
          f);
    fclose(f);
    const char *args[] = {"--format", "csv", "-I", lib, in_dir("p.ons"), NULL};
    TuResult r;
    tu_run(args, NULL, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    /* a CSV gap table, a CSV explain table, then the Markdown sources */
    const char *second = strstr(r.out + 1, "# scenario base");
    const char *md = strstr(r.out, "*scenario base");
    ck_assert_msg(second && md && second < md, "two CSV tables, then Markdown:\n%s", r.out);
    char *csv = strndup(r.out, (size_t)(second - r.out));
    ck_assert_int_eq(check_csv(csv), 4); /* header + cell, refining, mining */
    free(csv);
    csv = strndup(second, (size_t)(md - second));
    ck_assert_int_eq(check_csv(csv), 3); /* header + ca_lih, cn_lih */
    check_markdown(md);
    free(csv);
    tu_result_free(&r);
    remove_dir();
}
END_TEST

/* A run is deterministic: the same program twice gives the same bytes. */
START_TEST(same_bytes_twice)
{
    make_dir();
    const char *body = "run base\nreport gap for US in 2029..2031 on stage refining as json\n"
                       "report imports for US on lih in 2029..2031 as csv\n"
                       "report compare base, shock for US in 2031 as json\nexplain US cell 2031 as csv\n"
                       "r = run shock\nprint(fmt(localization(r, US, stage refining, 2031), \"0.000000000001\"))\n";
    TuResult a, b;
    run_model(body, &a);
    run_model(body, &b);
    ck_assert_int_eq(a.status, 0);
    ck_assert_str_eq(a.out, b.out);
    ck_assert(strlen(a.out) > 1000);
    tu_result_free(&a);
    tu_result_free(&b);
    remove_dir();
}
END_TEST

Suite *make_reports_suite(void)
{
    Suite *s = suite_create("reports");
    TCase *tc = tcase_create("validators");
    tcase_add_test(tc, csv_validator);
    tcase_add_test(tc, json_validator);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, every_report_every_format_to_file, 0, (int)(sizeof reports / sizeof *reports) * 4);
    tcase_add_test(tc, format_from_extension);
    tcase_add_test(tc, file_errors_and_replacing);
    tcase_add_test(tc, to_keeps_what_is_there);
    tcase_add_test(tc, csv_file_reads_back_exactly);
    tcase_add_test(tc, model_hash_identifies_the_model);
    tcase_add_test(tc, markdown_renders_with_gfm);
    tcase_add_test(tc, json_reports_match_the_schema);
    tcase_add_test(tc, format_option);
    tcase_add_test(tc, same_bytes_twice);
    suite_add_tcase(s, tc);
    return s;
}
