/* Spec 11, "Past one machine": --shard K/N writes a sweep's part files to
 * --sweep-dir, a run with --sweep-dir and no --shard merges them, and the
 * merged run prints exactly what one process prints; missing, duplicate and
 * foreign parts are errors that name the files. */
#include "tests.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Two sweeps of one scenario (parts s and s.2), spread and drivers, and
 * statements that read the results directly and through a variable. */
static const char program[] =
    "stages part, cell\nregion US\nregion CN\n"
    "material part { unit: t, stage: part, price: 1 k$/t }\n"
    "material cell { unit: GWh, stage: cell, price: 90 $/kWh, needs: {part: 1 kt/GWh} }\n"
    "param growth = triangular(70%, 100%, 140%)\nparam slip = choice {0 yr: 60%, 1 yr: 25%, 2 yr: 15%}\n"
    "param cost = lognormal(80 $/kWh, 0.2)\n"
    "facility us { region: US, makes: cell, capacity: delay(step {2026: 60 GWh/yr, 2028: 120 GWh/yr}, slip) }\n"
    "facility cn { region: CN, makes: cell, capacity: 1 TWh/yr, cost: cost }\n"
    "facility cnp { region: CN, makes: part, capacity: 1 Mt/yr }\n"
    "demand US cell: linear {2025: 50 GWh, 2030: 150 GWh} * growth\n"
    "policy p { require localization of cell >= 50% for US }\n"
    "scenario s { years: 2025..2030, use: [p] }\n"
    "print(\"before\")\n"
    "let w = sweep s { runs: 37, seed: 11 }\n"
    "report spread gap for US on stage part in 2025..2030\n"
    "report drivers localization for US on stage cell in 2030\n"
    "let loc = localization(w, US, stage cell, 2030)\n"
    "print(quantile(loc, 50%), chance(complies(w, p, US, 2028)))\n"
    "print(gap(sweep s { runs: 5, record: [gap(US, stage cell)] }, US, stage cell, 2029))\n"
    "print(\"after\", len(draws(w, growth)))\n";

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *text = tu_read_file(from, &len);
    ck_assert_msg(text != NULL, "cannot read %s", from);
    FILE *f = fopen(to, "wb");
    ck_assert(f != NULL);
    fwrite(text, 1, len, f);
    fclose(f);
    free(text);
}

/* Runs shards 1..n of path into dir; each exits 0 and says what it wrote. */
static void run_shards(const char *path, const char *dir, int n, const char *jobs)
{
    for (int k = 1; k <= n; k++) {
        char shard[32];
        snprintf(shard, sizeof shard, "%d/%d", k, n);
        const char *args[] = {"--jobs", jobs, "--shard", shard, "--sweep-dir", dir, path, NULL};
        TuResult r;
        tu_run(args, NULL, NULL, &r);
        ck_assert_msg(r.status == 0, "shard %s failed:\n%s", shard, r.err);
        char want[64];
        snprintf(want, sizeof want, "shard %d of %d: wrote ", k, n);
        ck_assert_msg(strstr(r.err, want) != NULL, "no closing line:\n%s", r.err);
        tu_result_free(&r);
    }
}

static void run_merge(const char *path, const char *dir, TuResult *r)
{
    const char *args[] = {"--sweep-dir", dir, path, NULL};
    tu_run(args, NULL, NULL, r);
}

START_TEST(merge_equals_one_process)
{
    static const int shard_counts[] = {1, 3, 5};
    const char *path = tu_temp_file(0, ".ons", program);
    const char *args[] = {path, NULL};
    TuResult one;
    tu_run(args, NULL, NULL, &one);
    ck_assert_msg(one.status == 0, "%s", one.err);
    ck_assert_msg(strstr(one.out, "spread of gap") != NULL && strstr(one.out, "after 37") != NULL, "%s", one.out);
    int n = shard_counts[_i];
    char *dir = tu_make_dir("onshore-shards");
    run_shards(path, dir, n, n == 3 ? "2" : "1");
    TuResult merged;
    run_merge(path, dir, &merged);
    ck_assert_msg(merged.status == 0, "the merge failed:\n%s", merged.err);
    ck_assert_msg(strcmp(one.out, merged.out) == 0, "merged %d shards differ from one process:\n%s\n---\n%s", n,
                  one.out, merged.out);
    tu_result_free(&merged);
    tu_result_free(&one);
    tu_remove_dir(dir);
}
END_TEST

/* What a shard prints and writes: the statements before the sweep and those
 * not reading it run; the others are skipped and listed by line. */
START_TEST(shard_writes_parts_and_skips)
{
    const char *path = tu_temp_file(0, ".ons", program);
    char *dir = tu_make_dir("onshore-shards");
    const char *args[] = {"--shard", "2/3", "--sweep-dir", dir, path, NULL};
    TuResult r;
    tu_run(args, NULL, NULL, &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    /* draws are inputs, not results: the last line runs */
    ck_assert_msg(strcmp(r.out, "before\nafter 37\n") == 0, "what the shard printed:\n%s", r.out);
    ck_assert_msg(strstr(r.err, "/s.2-of-3.csv and .json (12 of 37 samples); ") != NULL &&
                      strstr(r.err, "/s.2.2-of-3.csv and .json (2 of 5 samples); ") != NULL &&
                      strstr(r.err, "; skipped 5 statements that read sharded results (lines 17, 18, 19, 20, 21)\n") != NULL,
                  "the closing line:\n%s", r.err);
    tu_result_free(&r);
    char file[400];
    snprintf(file, sizeof file, "%s/s.2-of-3.csv", dir);
    size_t len;
    char *csv = tu_read_file(file, &len);
    ck_assert(csv != NULL);
    /* RFC 4180: a header with the params, then quoted record columns; rows of samples 1, 4, 7, ... */
    ck_assert_msg(strncmp(csv, "sample,growth,slip,cost,\"localization(US, stage part) 2025\",", 60) == 0, "%.200s", csv);
    ck_assert_msg(strstr(csv, "\r\n1,") != NULL && strstr(csv, "\r\n4,") != NULL && strstr(csv, "\r\n0,") == NULL,
                  "%.400s", csv);
    free(csv);
    snprintf(file, sizeof file, "%s/s.2-of-3.json", dir);
    char *json = tu_read_file(file, &len);
    ck_assert(json != NULL);
    ck_assert_msg(strstr(json, "\"scenario\": \"s\"") && strstr(json, "\"runs\": 37") && strstr(json, "\"seed\": 11") &&
                      strstr(json, "\"shard\": 2") && strstr(json, "\"shards\": 3") && strstr(json, "\"model_hash\": \""),
                  "%s", json);
    free(json);
    tu_remove_dir(dir);
}
END_TEST

/* A merge refuses a folder that lacks a part, holds one twice, mixes shard
 * counts, or holds a part of another sweep, and says which file. */
START_TEST(merge_errors_name_the_files)
{
    const char *path = tu_temp_file(0, ".ons", program);
    char *dir = tu_make_dir("onshore-shards");
    run_shards(path, dir, 3, "1");
    char a[400], b[400];
    TuResult r;

    /* a duplicate: shard 2 again under another name */
    snprintf(a, sizeof a, "%s/s.2-of-3.json", dir);
    snprintf(b, sizeof b, "%s/s.02-of-3.json", dir);
    copy_file(a, b);
    run_merge(path, dir, &r);
    ck_assert_msg(r.status == 1 && strstr(r.err, "duplicate parts in ") && strstr(r.err, "s.02-of-3.json and s.2-of-3.json"),
                  "%s", r.err);
    ck_assert_msg(strstr(r.err, ":16:9: error: ") != NULL, "the error is at the sweep:\n%s", r.err);
    tu_result_free(&r);
    remove(b);

    /* missing */
    snprintf(b, sizeof b, "%s/s.2-of-3.keep", dir);
    ck_assert_int_eq(rename(a, b), 0);
    run_merge(path, dir, &r);
    ck_assert_msg(r.status == 1 && strstr(r.err, "lacks 1 of the 3 parts of this sweep: s.2-of-3.json"), "%s", r.err);
    tu_result_free(&r);
    ck_assert_int_eq(rename(b, a), 0);

    /* different shard counts */
    const char *args4[] = {"--shard", "4/4", "--sweep-dir", dir, path, NULL};
    tu_run(args4, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 0);
    tu_result_free(&r);
    run_merge(path, dir, &r);
    ck_assert_msg(r.status == 1 && strstr(r.err, "parts of this sweep for different shard counts"), "%s", r.err);
    tu_result_free(&r);
    snprintf(b, sizeof b, "%s/s.4-of-4.json", dir);
    remove(b);
    snprintf(b, sizeof b, "%s/s.4-of-4.csv", dir);
    remove(b);
    snprintf(b, sizeof b, "%s/s.2.4-of-4.json", dir);
    remove(b);
    snprintf(b, sizeof b, "%s/s.2.4-of-4.csv", dir);
    remove(b);

    /* foreign: a part whose description names another seed */
    snprintf(a, sizeof a, "%s/s.3-of-3.json", dir);
    size_t jlen;
    char *json = tu_read_file(a, &jlen);
    char *seed = strstr(json, "\"seed\": 11,");
    ck_assert(seed != NULL);
    seed[9] = '2';
    FILE *jf = fopen(a, "wb");
    fputs(json, jf);
    fclose(jf);
    free(json);
    run_merge(path, dir, &r);
    ck_assert_msg(r.status == 1 && strstr(r.err, "/s.3-of-3.json is not a part of this sweep of s: its seed differs "
                                                 "(this sweep's is 11)"),
                  "%s", r.err);
    tu_result_free(&r);

    /* foreign: another model (a bigger US plant) */
    char *other = strdup(program);
    char *at = strstr(other, "120 GWh/yr");
    memcpy(at, "130", 3);
    const char *changed = tu_temp_file(1, ".ons", other);
    free(other);
    const char *model[] = {"--shard", "3/3", "--sweep-dir", dir, changed, NULL};
    tu_run(model, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 0);
    tu_result_free(&r);
    run_merge(path, dir, &r);
    ck_assert_msg(r.status == 1 && strstr(r.err, "/s.3-of-3.json is not a part of this sweep of s: it comes from another model"),
                  "%s", r.err);
    tu_result_free(&r);

    /* a part cut short */
    run_shards(path, dir, 3, "1");
    snprintf(a, sizeof a, "%s/s.1-of-3.csv", dir);
    size_t len;
    char *csv = tu_read_file(a, &len);
    *strrchr(csv, '\n') = '\0';
    *(strrchr(csv, '\n') + 1) = '\0';
    FILE *f = fopen(a, "wb");
    fputs(csv, f);
    fclose(f);
    free(csv);
    run_merge(path, dir, &r);
    ck_assert_msg(r.status == 1 && strstr(r.err, "s.1-of-3.csv lacks sample 36: the part is cut short"), "%s", r.err);
    tu_result_free(&r);
    tu_remove_dir(dir);
}
END_TEST

/* --shard K/N must be whole numbers with 1 <= K <= N, and needs --sweep-dir. */
START_TEST(bad_shard_option)
{
    static const char *const bad[] = {"0/3", "4/3", "3", "a/b", "1/0", "-1/3", "1/3/5", ""};
    const char *path = tu_temp_file(0, ".ons", "print(1)\n");
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *args[] = {"--shard", bad[i], "--sweep-dir", "x", path, NULL};
        TuResult r;
        tu_run(args, NULL, NULL, &r);
        ck_assert_msg(r.status == 2 && strstr(r.err, "--shard takes K/N with 1 <= K <= N"), "'%s':\n%s", bad[i], r.err);
        ck_assert_str_eq(r.out, "");
        tu_result_free(&r);
    }
    const char *nodir[] = {"--shard", "1/2", path, NULL};
    TuResult r;
    tu_run(nodir, NULL, NULL, &r);
    ck_assert_msg(r.status == 2 && strstr(r.err, "needs --sweep-dir DIR"), "%s", r.err);
    tu_result_free(&r);
    /* a recorded map has no cell in a CSV: an error at the sweep, not a lossy part */
    char *dir = tu_make_dir("onshore-shards");
    char *text = malloc(sizeof program + 100);
    snprintf(text, sizeof program + 100, "%slet big = sweep s { runs: 3, record: [imports(US, cell)] }\n", program);
    const char *maps = tu_temp_file(1, ".ons", text);
    free(text);
    const char *args[] = {"--shard", "1/2", "--sweep-dir", dir, maps, NULL};
    tu_run(args, NULL, NULL, &r);
    ck_assert_msg(r.status == 1 && strstr(r.err, ":23:11: error: a sweep's part files hold numbers, true/false and nil, "
                                                 "and `imports(US, cell) 2025` of sample 0 is {CN: "),
                  "%s", r.err);
    tu_result_free(&r);
    tu_remove_dir(dir);
}
END_TEST

Suite *make_shards_suite(void)
{
    Suite *s = suite_create("shards");
    TCase *tc = tcase_create("parts");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, merge_equals_one_process, 0, 3);
    tcase_add_test(tc, shard_writes_parts_and_skips);
    tcase_add_test(tc, merge_errors_name_the_files);
    tcase_add_test(tc, bad_shard_option);
    suite_add_tcase(s, tc);
    return s;
}
