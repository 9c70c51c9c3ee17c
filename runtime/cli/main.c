/* The onshore command line (spec §8). */
#include "chunk.h"
#include "diag.h"
#include "frontend.h"
#include "mem.h"
#include "output.h"
#include "repl.h"
#include "report.h"
#include "session.h"
#include "source.h"
#include "sweep_parts.h"
#include "vm.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: onshore [options] [FILE...]   run the files, in order, in one session\n"
    "       onshore [options] -e CODE     run CODE\n"
    "       onshore -i FILE               run FILE, then open the REPL on its state\n"
    "       onshore check FILE...         check files without running them\n"
    "       onshore dis FILE              print the bytecode of FILE\n"
    "       onshore                       the REPL; the program on stdin when it is not a terminal\n"
    "\n"
    "options:\n"
    "  -e CODE            run CODE where it stands among the files (may be given more than once)\n"
    "  -D NAME=VALUE      set NAME to VALUE (an expression) before the files; their `let NAME` keeps it\n"
    "  -i                 open the REPL after the files and -e code have run\n"
    "  -q, --quiet        do not show what the files and -e code print (with -i: a lesson's state, quietly)\n"
    "  -I DIR             look for modules in DIR too (ONSHORE_PATH adds folders, ':'-separated)\n"
    "  --format FMT       default report format: table, csv, tsv, long, json or markdown\n"
    "  --seed N           seed of random() (default 0), and of sweeps that name none (default 1)\n"
    "  --jobs N           processes a sweep's samples run on (default ONSHORE_JOBS, else every core)\n"
    "  --shard K/N        compute only shard K of N of every sweep and write it to --sweep-dir\n"
    "  --sweep-dir DIR    where sweep parts go (--shard) or, without --shard, are merged from\n"
    "  --max-steps N      stop a program after N steps (loop iterations and calls)\n"
    "  --version          print the version and exit\n"
    "  --help             print this help and exit\n"
    "\n"
    "exit status: 0 success; 1 an error or a failed assert in the program; 2 usage or I/O error\n"
    "docs: docs/reference.md, docs/tutorial.md; in the REPL, :help\n";

typedef struct Args {
    const char *command;      /* NULL, "check", "dis", "ast" */
    const char **files;
    int nfiles;
    const char **code;        /* -e */
    int ncode;
    int *order;               /* files and -e code as given: i + 1 the file i, -(i + 1) the code i */
    int norder;
    bool interactive;         /* -i */
    bool quiet;               /* -q: what the files and -e code print is not shown */
    const char *format;
    const char *seed;
    const char *jobs;
    const char *shard;
    const char *sweep_dir;
    const char *max_steps;
    const char **dirs;        /* -I */
    int ndirs;
    const char **defines;     /* -D NAME=VALUE */
    int ndefines;
} Args;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "onshore: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(run `onshore --help` for usage)\n");
    return 2;
}

static bool parse_uint(const char *s, uint64_t *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || s[0] == '-') return false;
    *out = v;
    return true;
}

static int parse_args(int argc, char **argv, Args *a)
{
    memset(a, 0, sizeof *a);
    a->files = ons_calloc((size_t)argc, sizeof(char *));
    a->code = ons_calloc((size_t)argc, sizeof(char *));
    a->dirs = ons_calloc((size_t)argc, sizeof(char *));
    a->order = ons_calloc((size_t)argc, sizeof(int));
    a->defines = ons_calloc((size_t)argc, sizeof(char *));
    int i = 1;
    if (argc > 1 && (strcmp(argv[1], "check") == 0 || strcmp(argv[1], "dis") == 0 || strcmp(argv[1], "ast") == 0)) {
        a->command = argv[1];
        i = 2;
    }
    bool only_files = false;
    for (; i < argc; i++) {
        const char *s = argv[i];
        if (only_files || s[0] != '-' || strcmp(s, "-") == 0) {
            a->order[a->norder++] = a->nfiles + 1;
            a->files[a->nfiles++] = s;
            continue;
        }
        if (strcmp(s, "--") == 0) only_files = true;
        else if (strcmp(s, "-e") == 0) {
            if (++i >= argc) return usage_error("-e needs code to run", NULL);
            a->order[a->norder++] = -(a->ncode + 1);
            a->code[a->ncode++] = argv[i];
        } else if (strcmp(s, "-D") == 0 || strcmp(s, "--set") == 0) {
            if (++i >= argc) return usage_error("%s needs NAME=VALUE, like -D CAP=50GWh/yr", s);
            a->defines[a->ndefines++] = argv[i];
        } else if (strncmp(s, "-D", 2) == 0 && s[2]) {
            a->defines[a->ndefines++] = s + 2;
        } else if (strncmp(s, "--set=", 6) == 0) {
            a->defines[a->ndefines++] = s + 6;
        } else if (strcmp(s, "-i") == 0) a->interactive = true;
        else if (strcmp(s, "-q") == 0 || strcmp(s, "--quiet") == 0) a->quiet = true;
        else if (strcmp(s, "-I") == 0) {
            if (++i >= argc) return usage_error("-I needs a folder", NULL);
            a->dirs[a->ndirs++] = argv[i];
        } else if (strcmp(s, "--format") == 0) {
            if (++i >= argc) return usage_error("--format needs a format", NULL);
            a->format = argv[i];
        } else if (strncmp(s, "--format=", 9) == 0) a->format = s + 9;
        else if (strcmp(s, "--seed") == 0) {
            if (++i >= argc) return usage_error("--seed needs a number", NULL);
            a->seed = argv[i];
        } else if (strncmp(s, "--seed=", 7) == 0) a->seed = s + 7;
        else if (strcmp(s, "--jobs") == 0 || strcmp(s, "-j") == 0) {
            if (++i >= argc) return usage_error("--jobs needs a number", NULL);
            a->jobs = argv[i];
        } else if (strncmp(s, "--jobs=", 7) == 0) a->jobs = s + 7;
        else if (strcmp(s, "--shard") == 0) {
            if (++i >= argc) return usage_error("--shard needs K/N, like 2/8", NULL);
            a->shard = argv[i];
        } else if (strncmp(s, "--shard=", 8) == 0) a->shard = s + 8;
        else if (strcmp(s, "--sweep-dir") == 0) {
            if (++i >= argc) return usage_error("--sweep-dir needs a folder", NULL);
            a->sweep_dir = argv[i];
        } else if (strncmp(s, "--sweep-dir=", 12) == 0) a->sweep_dir = s + 12;
        else if (strcmp(s, "--max-steps") == 0) {
            if (++i >= argc) return usage_error("--max-steps needs a number", NULL);
            a->max_steps = argv[i];
        } else if (strncmp(s, "--max-steps=", 12) == 0) a->max_steps = s + 12;
        else if (strcmp(s, "--version") == 0 || strcmp(s, "-v") == 0) {
#ifdef ONS_GIT_DESC
            if (ONS_GIT_DESC[0]) printf("onshore %s (git %s)\n", ONS_VERSION, ONS_GIT_DESC);
            else
#endif
                printf("onshore %s\n", ONS_VERSION);
            return 0;
        } else if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else {
            return usage_error("unknown option '%s'", s);
        }
    }
    return -1; /* go on */
}

/* Colour on a terminal that has it, never with NO_COLOR set (no-color.org). */
static bool colour_terminal(int fd)
{
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(fd) && !(no && *no) && term && *term && strcmp(term, "dumb") != 0;
}

static int configure(OnsVM *vm, const Args *a)
{
    if (a->format) {
        if (report_format_parse(a->format) == ONS_FMT_DEFAULT)
            return usage_error("unknown format '%s' (table, csv, tsv, long, json, markdown)", a->format);
        vm->default_format = a->format;
        /* stdout is then a stream of JSON documents: print() goes to stderr */
        if (report_format_parse(a->format) == ONS_FMT_JSON) vm->print_out = vm->err;
    }
    if (a->seed) {
        uint64_t seed;
        if (!parse_uint(a->seed, &seed))
            return usage_error("--seed takes a whole number from 0 to 18446744073709551615, not '%s'", a->seed);
        vm_seed(vm, seed);
        vm->seed_given = true;
    }
    if (a->jobs) {
        uint64_t n;
        if (!parse_uint(a->jobs, &n) || n == 0 || n > 256)
            return usage_error("--jobs takes a whole number from 1 to 256, not '%s'", a->jobs);
        vm->jobs = (long)n;
    }
    if (a->shard) {
        const char *slash = strchr(a->shard, '/');
        char k_text[24] = "";
        uint64_t k = 0, n = 0;
        if (slash && (size_t)(slash - a->shard) < sizeof k_text) memcpy(k_text, a->shard, (size_t)(slash - a->shard));
        if (!slash || !parse_uint(k_text, &k) || !parse_uint(slash + 1, &n) || k < 1 || n < 1 || k > n || n > 1000000)
            return usage_error("--shard takes K/N with 1 <= K <= N <= 1000000, like 2/8, not '%s'", a->shard);
        if (!a->sweep_dir) return usage_error("--shard %s needs --sweep-dir DIR: where the parts are written", a->shard);
        vm->shard_k = (uint32_t)k;
        vm->shard_n = (uint32_t)n;
        vm->skipping = true;
    }
    if (a->sweep_dir) {
        if (!*a->sweep_dir) return usage_error("--sweep-dir needs a folder%s", "");
        vm->sweep_dir = a->sweep_dir;
    }
    if (a->max_steps) {
        uint64_t n;
        if (!parse_uint(a->max_steps, &n) || n == 0)
            return usage_error("--max-steps takes a whole number from 1 to 18446744073709551615, not '%s'",
                               a->max_steps);
        vm->max_steps = n;
    }
    for (int i = 0; i < a->ndirs; i++) session_add_module_dirs(vm, a->dirs[i]);
    session_add_module_dirs(vm, getenv("ONSHORE_PATH"));
    return -1;
}

static int run_dis(OnsVM *vm, const Args *a)
{
    if (a->nfiles != 1) return usage_error("dis takes one file%s", "");
    OnsSource *src;
    OnsStatus st = session_load_file(vm, a->files[0], &src);
    if (st != ONS_OK) return session_exit_code(st);
    OnsDiags diags;
    diags_init(&diags);
    OnsCompileOptions copts = {false, false};
    OnsCompileResult res;
    st = frontend_compile(vm, src, &copts, &diags, &res);
    diags_render(vm->err, &diags);
    diags_free(&diags);
    if (st == ONS_OK) disasm_proto(vm, vm->out, res.main->proto, true);
    frontend_result_free(&res);
    return session_exit_code(st);
}

static int run_ast(OnsVM *vm, const Args *a)
{
    if (a->nfiles != 1) return usage_error("ast takes one file%s", "");
    OnsSource *src;
    OnsStatus st = session_load_file(vm, a->files[0], &src);
    if (st != ONS_OK) return session_exit_code(st);
    vm_adopt_source(vm, src);
    OnsDiags diags;
    diags_init(&diags);
    st = frontend_dump_ast(src, vm->out, &diags);
    diags_render(vm->err, &diags);
    diags_free(&diags);
    return session_exit_code(st);
}

/* Runs the files and -e code; returns the worst exit status.  Before the
 * REPL (-i) files load with the REPL's rules, as :load and :reload do, so a
 * session written by :save opens again. */
/* -D NAME=VALUE: NAME = (VALUE) runs first, and NAME is marked so a
 * file's top-level `let NAME = ...` keeps the value (compile.c). */
static int run_defines(OnsVM *vm, const Args *a)
{
    for (int i = 0; i < a->ndefines; i++) {
        const char *d = a->defines[i], *eq = strchr(d, '=');
        size_t n = eq ? (size_t)(eq - d) : 0;
        bool name = n > 0 && (isalpha((unsigned char)d[0]) || d[0] == '_');
        for (size_t k = 0; k < n && name; k++) name = isalnum((unsigned char)d[k]) || d[k] == '_';
        if (!name) return usage_error("-D takes NAME=VALUE, like -D CAP=50GWh/yr, not '%s'", d);
        size_t len = strlen(d) + 16;
        char *code = ons_malloc(len);
        snprintf(code, len, "%.*s = (%s)\n", (int)n, d, eq + 1);
        char title[48];
        snprintf(title, sizeof title, "<-D %.*s>", (int)(n < 32 ? n : 32), d);
        OnsSource *src = source_new(title, code, strlen(code));
        ons_free(code);
        OnsRunOptions opts = {false, false};
        OnsStatus st = session_run(vm, src, &opts);
        if (st != ONS_OK) return session_exit_code(st);
        int32_t g = vm_global_find(vm, d, n);
        if (g >= 0) vm->globals[g].preset = true;
    }
    return 0;
}

static int run_program(OnsVM *vm, const Args *a, bool check_only)
{
    OnsRunOptions opts = {false, check_only};
    int status = run_defines(vm, a);
    if (status) return status;
    /* files and -e code in the order given: `-e 'let X = 2' f.ons` sets X first */
    for (int k = 0; k < a->norder; k++) {
        if (a->order[k] < 0) {
            int i = -a->order[k] - 1;
            char name[32];
            snprintf(name, sizeof name, a->ncode > 1 ? "<-e %d>" : "<-e>", i + 1);
            OnsSource *src = source_new(name, a->code[i], strlen(a->code[i]));
            OnsStatus st = session_run(vm, src, &opts);
            if (st != ONS_OK) return session_exit_code(st);
            continue;
        }
        int i = a->order[k] - 1;
        OnsSource *src;
        OnsVM *own = NULL;
        if (check_only && a->nfiles > 1) {
            /* `onshore check a.ons b.ons` checks each file on its own, as
             * each would run: b does not see a's declarations */
            own = session_vm_new(vm->out, vm->err);
            configure(own, a);
            run_defines(own, a);
        }
        OnsVM *in = own ? own : vm;
        OnsStatus st = session_load_file(in, a->files[i], &src);
        if (st == ONS_OK) st = a->interactive && !check_only ? session_load(in, src, NULL) : session_run(in, src, &opts);
        if (own) {
            out_flush(vm->out);
            vm_free(own);
        }
        if (st != ONS_OK) {
            status = session_exit_code(st);
            if (!check_only) return status; /* a failed file stops the run */
        }
    }
    return status;
}

/* Not a terminal: the whole input is one program, with no prompts. */
static int run_stdin(OnsVM *vm, const Args *a)
{
    int status = run_defines(vm, a);
    if (status) return status;
    OnsSource *src;
    OnsStatus st = session_load_file(vm, "-", &src);
    OnsRunOptions opts = {false, false};
    if (st == ONS_OK) st = session_run(vm, src, &opts);
    return session_exit_code(st);
}

/* Output that could not be written (a full disk, a closed pipe with SIGPIPE
 * ignored) is an I/O error, status 2, not a silent success. */
static int output_written(int rc)
{
    if (fflush(stdout) == 0 && !ferror(stdout)) return rc;
    fprintf(stderr, "onshore: cannot write the output: %s\n", strerror(errno ? errno : EIO));
    return 2;
}

int main(int argc, char **argv)
{
    Args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0) {
        ons_free(a.files);
        ons_free(a.code);
        ons_free(a.dirs);
        ons_free(a.order);
        ons_free(a.defines);
        return output_written(rc);
    }
    OnsOut out, err;
    out_init_file(&out, stdout);
    out_init_file(&err, stderr);
    err.colour = colour_terminal(STDERR_FILENO);
    OnsVM *vm = session_vm_new(&out, &err);
    rc = configure(vm, &a);
    bool shard_ran = false;
    if (rc < 0) {
        if (a.command && strcmp(a.command, "dis") == 0) rc = run_dis(vm, &a);
        else if (a.command && strcmp(a.command, "ast") == 0) rc = run_ast(vm, &a);
        else if (a.command) {
            if (a.nfiles == 0) rc = usage_error("check needs at least one file%s", "");
            else rc = run_program(vm, &a, true);
        } else if (a.shard && (a.interactive || (a.nfiles + a.ncode == 0 && isatty(STDIN_FILENO)))) {
            rc = usage_error("--shard runs a program to its end: give files or -e code, without -i%s", "");
        } else if (a.nfiles == 0 && a.ncode == 0 && !a.interactive) {
            rc = isatty(STDIN_FILENO) ? repl_main(&vm, NULL, 0) : run_stdin(vm, &a);
            shard_ran = a.shard != NULL;
        } else {
            /* -q: the files and -e code run as usual (files they write are
             * written, errors shown) but print nothing on stdout; with -i a
             * lesson's state opens without its output again */
            FILE *devnull = a.quiet ? fopen("/dev/null", "w") : NULL;
            OnsOut quiet, *was_out = vm->out, *was_print = vm->print_out;
            if (devnull) {
                out_init_file(&quiet, devnull);
                vm->out = vm->print_out = &quiet;
            }
            rc = run_program(vm, &a, false);
            if (devnull) {
                out_flush(&quiet);
                vm->out = was_out;
                vm->print_out = was_print;
                fclose(devnull);
            }
            shard_ran = a.shard != NULL;
            /* after a failed file the REPL still opens on a terminal, to look at what went wrong */
            if (a.interactive && (rc == 0 || (rc != 2 && isatty(STDIN_FILENO))))
                rc = repl_main(&vm, a.files, a.nfiles);
        }
    }
    if (shard_ran) { /* the closing line of a shard: what was written and skipped */
        out_flush(&out);
        sweep_parts_summary(vm, &err);
    }
    out_flush(&out);
    vm_free(vm);
    ons_free(a.files);
    ons_free(a.code);
    ons_free(a.dirs);
    ons_free(a.order);
    ons_free(a.defines);
    return output_written(rc);
}
