/* Helpers for the Check suites: running the real binary, temporary files,
 * parsing a string in-process. */
#include "tests.h"

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "output.h"
#include "parse.h"
#include "source.h"

#include <fcntl.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *tu_bin(void)
{
    const char *b = getenv("ONSHORE_BIN");
    return b ? b : "./onshore";
}

const char *tu_root(void)
{
    const char *r = getenv("ONSHORE_ROOT");
    return r ? r : ".";
}

const char *tu_path(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", tu_root(), rel);
    return buf;
}

typedef struct Buf {
    char *s;
    size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void tu_run(const char *const *args, const char *stdin_text, const char *const *env_extra, TuResult *r)
{
    tu_run_to(NULL, args, stdin_text, env_extra, r);
}

/* The wall-clock limit of one run: 20 s, stretched like Check's timeouts
 * (CK_TIMEOUT_MULTIPLIER) for slow builds such as `make valgrind`. */
static time_t run_limit(void)
{
    const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
    long k = m ? strtol(m, NULL, 10) : 1;
    return 20 * (k > 0 ? k : 1);
}

void tu_run_to(const char *stdout_path, const char *const *args, const char *stdin_text,
               const char *const *env_extra, TuResult *r)
{
    int in[2], out[2], err[2];
    if (pipe(in) || pipe(out) || pipe(err)) ck_abort_msg("pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        int to = stdout_path ? open(stdout_path, O_WRONLY) : -1;
        dup2(to >= 0 ? to : out[1], 1);
        dup2(err[1], 2);
        close(in[1]);
        close(out[0]);
        close(err[0]);
        if (env_extra)
            for (int i = 0; env_extra[i]; i++) {
                char name[256];
                const char *eq = strchr(env_extra[i], '=');
                if (!eq || (size_t)(eq - env_extra[i]) >= sizeof name) continue;
                memcpy(name, env_extra[i], (size_t)(eq - env_extra[i]));
                name[eq - env_extra[i]] = '\0';
                setenv(name, eq + 1, 1);
            }
        const char *argv[64];
        int n = 0;
        argv[n++] = tu_bin();
        for (int i = 0; args && args[i] && n < 63; i++) argv[n++] = args[i];
        argv[n] = NULL;
        execv(tu_bin(), (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    signal(SIGPIPE, SIG_IGN);
    size_t in_len = stdin_text ? strlen(stdin_text) : 0, in_off = 0;
    if (!stdin_text) close(in[1]);
    Buf bo = {0}, be = {0};
    buf_add(&bo, "", 0);
    buf_add(&be, "", 0);
    int open_fds = 2;
    time_t start = time(NULL);
    while (open_fds > 0 || (stdin_text && in_off < in_len)) {
        struct pollfd p[3];
        int np = 0;
        if (out[0] >= 0) p[np++] = (struct pollfd){out[0], POLLIN, 0};
        if (err[0] >= 0) p[np++] = (struct pollfd){err[0], POLLIN, 0};
        bool feeding = stdin_text && in_off < in_len;
        if (feeding) p[np++] = (struct pollfd){in[1], POLLOUT, 0};
        if (np == 0) break;
        if (poll(p, (nfds_t)np, 1000) < 0 && errno != EINTR) break;
        if (time(NULL) - start > run_limit()) {
            kill(pid, SIGKILL);
            break;
        }
        for (int i = 0; i < np; i++) {
            if (!p[i].revents) continue;
            if (feeding && p[i].fd == in[1]) {
                ssize_t w = write(in[1], stdin_text + in_off, in_len - in_off);
                if (w > 0) in_off += (size_t)w;
                if (w < 0 || in_off == in_len) {
                    close(in[1]);
                    stdin_text = NULL;
                }
                continue;
            }
            char tmp[65536];
            ssize_t got = read(p[i].fd, tmp, sizeof tmp);
            if (got > 0) {
                buf_add(p[i].fd == out[0] ? &bo : &be, tmp, (size_t)got);
            } else {
                close(p[i].fd);
                if (p[i].fd == out[0]) out[0] = -1;
                else err[0] = -1;
                open_fds--;
            }
        }
    }
    if (stdin_text) close(in[1]);
    if (out[0] >= 0) close(out[0]);
    if (err[0] >= 0) close(err[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r->out = bo.s;
    r->err = be.s;
}

void tu_result_free(TuResult *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

size_t tu_trimmed(const char *s, size_t n)
{
    while (n > 0 && strchr(" \t\r\n", s[n - 1])) n--;
    return n;
}

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    Buf b = {0};
    buf_add(&b, "", 0);
    char tmp[65536];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, f)) > 0) buf_add(&b, tmp, got);
    fclose(f);
    if (len) *len = b.len;
    return b.s;
}

char *tu_make_dir(const char *prefix)
{
    char *dir = malloc(300);
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(dir, 300, "%s/%s-XXXXXX", tmp, prefix);
    if (!mkdtemp(dir)) ck_abort_msg("mkdtemp: %s", strerror(errno));
    return dir;
}

void tu_remove_dir(char *dir)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

const char *tu_temp_file(int slot, const char *suffix, const char *text)
{
    static char dir[256];
    static char paths[4][300];
    if (slot < 0 || slot > 3) slot = 0;
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        snprintf(dir, sizeof dir, "%s/onshore-test-XXXXXX", tmp);
        if (!mkdtemp(dir)) ck_abort_msg("mkdtemp: %s", strerror(errno));
    }
    static int counter;
    snprintf(paths[slot], sizeof paths[slot], "%s/t%d-%d%s", dir, (int)getpid(), counter++,
             suffix ? suffix : "");
    FILE *f = fopen(paths[slot], "wb");
    if (!f) ck_abort_msg("cannot write %s: %s", paths[slot], strerror(errno));
    fputs(text, f);
    fclose(f);
    return paths[slot];
}

bool tu_parse(const char *text, char **ast_out, char **diags_out)
{
    OnsSource *src = source_new("test.ons", text, strlen(text));
    OnsArena arena;
    arena_init(&arena);
    OnsDiags diags;
    diags_init(&diags);
    OnsNodeList items;
    bool ok = ons_parse(src, &arena, &diags, &items);
    OnsOut a, d;
    out_init_buffer(&a);
    out_init_buffer(&d);
    if (ok) ast_dump_list(&a, &items);
    diags_render(&d, &diags);
    *ast_out = out_take(&a, NULL);
    *diags_out = out_take(&d, NULL);
    out_free(&a);
    out_free(&d);
    diags_free(&diags);
    arena_free(&arena);
    source_free(src);
    return ok;
}
