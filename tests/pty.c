/* The pseudo-terminal driver of tests/pty.h.  The child is a session
 * leader whose controlling terminal is the pty's slave side, so Ctrl-C
 * typed into the master reaches it as SIGINT through the line discipline,
 * exactly as on a real terminal. */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */
#include "pty.h"
#include "tests.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

int pty_ms(int ms)
{
    const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
    double f = m ? atof(m) : 1;
    return (int)(ms * (f > 1 ? f : 1));
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void pty_start(Pty *p, const char *const *args, const char *const *env)
{
    memset(p, 0, sizeof *p);
    p->master = posix_openpt(O_RDWR | O_NOCTTY);
    ck_assert_msg(p->master >= 0, "posix_openpt: %s", strerror(errno));
    ck_assert_msg(grantpt(p->master) == 0 && unlockpt(p->master) == 0, "grantpt/unlockpt: %s", strerror(errno));
    const char *slave_name = ptsname(p->master);
    ck_assert_msg(slave_name != NULL, "ptsname: %s", strerror(errno));
    snprintf(p->slave, sizeof p->slave, "%s", slave_name);
    struct winsize ws = {50, 200, 0, 0};
    ioctl(p->master, TIOCSWINSZ, &ws);
    p->pid = fork();
    ck_assert_msg(p->pid >= 0, "fork: %s", strerror(errno));
    if (p->pid == 0) {
        setsid(); /* a new session: the slave opened next becomes its terminal */
        int slave = open(p->slave, O_RDWR);
        if (slave < 0) _exit(126);
        dup2(slave, 0);
        dup2(slave, 1);
        dup2(slave, 2);
        if (slave > 2) close(slave);
        close(p->master);
        signal(SIGINT, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        setenv("TERM", "xterm", 1);
        unsetenv("LC_ALL");
        unsetenv("LC_CTYPE");
        unsetenv("LANG");
        for (int i = 0; env && env[i]; i++) {
            const char *eq = strchr(env[i], '=');
            if (!eq) {
                unsetenv(env[i]);
                continue;
            }
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(eq - env[i]), env[i]);
            setenv(name, eq + 1, 1);
        }
        const char *argv[32];
        int n = 0;
        argv[n++] = tu_bin();
        for (int i = 0; args && args[i] && n < 31; i++) argv[n++] = args[i];
        argv[n] = NULL;
        execv(tu_bin(), (char *const *)argv);
        _exit(127);
    }
}

/* Removes what a terminal interprets: CSI and other escape sequences,
 * carriage returns, bells, and backspaces (with the character before). */
static void clean(Pty *p, size_t from)
{
    p->text = realloc(p->text, p->raw_len + 1);
    size_t k = p->text_len;
    for (size_t i = from; i < p->raw_len; i++) {
        unsigned char c = (unsigned char)p->raw[i];
        if (c == 0x1b) {
            if (i + 1 < p->raw_len && p->raw[i + 1] == '[') {
                i += 2;
                while (i < p->raw_len && !((p->raw[i] >= '@' && p->raw[i] <= '~'))) i++;
            } else {
                i++;
            }
            continue;
        }
        if (c == '\r' || c == '\a') continue;
        if (c == '\b') {
            if (k > p->mark && k > 0) k--;
            continue;
        }
        p->text[k++] = (char)c;
    }
    p->text[k] = '\0';
    p->text_len = k;
}

/* Reads what is available, waiting up to ms; false at end of output. */
static bool read_some(Pty *p, int ms)
{
    struct pollfd pfd = {p->master, POLLIN, 0};
    int r = poll(&pfd, 1, ms);
    if (r <= 0) return true;
    char buf[8192];
    ssize_t n = read(p->master, buf, sizeof buf);
    if (n <= 0) return false; /* EIO: the child closed the terminal */
    if (p->raw_len + (size_t)n + 1 > p->raw_cap) {
        p->raw_cap = (p->raw_len + (size_t)n + 1) * 2;
        p->raw = realloc(p->raw, p->raw_cap);
    }
    size_t from = p->raw_len;
    memcpy(p->raw + p->raw_len, buf, (size_t)n);
    p->raw_len += (size_t)n;
    p->raw[p->raw_len] = '\0';
    clean(p, from);
    return true;
}

void pty_send(Pty *p, const char *keys)
{
    size_t n = strlen(keys), done = 0;
    while (done < n) {
        ssize_t w = write(p->master, keys + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        ck_assert_msg(w > 0, "writing to the pty: %s", strerror(errno));
        done += (size_t)w;
    }
}

bool pty_expect(Pty *p, const char *want, int timeout_ms)
{
    long end = now_ms() + timeout_ms;
    bool eof = false;
    for (;;) {
        const char *hit = p->text ? strstr(p->text + p->mark, want) : NULL;
        if (hit) {
            p->mark = (size_t)(hit - p->text) + strlen(want);
            return true;
        }
        long left = end - now_ms();
        if (eof || left <= 0) return false;
        eof = !read_some(p, (int)(left < 100 ? left : 100));
    }
}

bool pty_wait_editing(Pty *p, int timeout_ms)
{
    long end = now_ms() + timeout_ms;
    do {
        int fd = open(p->slave, O_RDWR | O_NOCTTY);
        struct termios t;
        bool raw = fd >= 0 && tcgetattr(fd, &t) == 0 && !(t.c_lflag & ICANON);
        if (fd >= 0) close(fd);
        if (raw) return true;
    } while (read_some(p, 5) && now_ms() < end);
    return false;
}

void pty_drain(Pty *p, int ms)
{
    long end = now_ms() + ms;
    while (now_ms() < end && read_some(p, 20)) {}
}

bool pty_read(Pty *p, int ms)
{
    return read_some(p, ms);
}

const char *pty_tail(Pty *p, size_t n)
{
    if (!p->text) return "";
    return p->text_len > n ? p->text + p->text_len - n : p->text;
}

int pty_finish(Pty *p, int timeout_ms)
{
    long end = now_ms() + timeout_ms;
    int st = 0;
    for (;;) {
        pid_t w = waitpid(p->pid, &st, WNOHANG);
        if (w == p->pid) break;
        if (now_ms() > end) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &st, 0);
            break;
        }
        read_some(p, 20); /* keep the pty drained so the child never blocks writing */
    }
    p->pid = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void pty_free(Pty *p)
{
    if (p->pid > 0) {
        kill(p->pid, SIGKILL);
        waitpid(p->pid, NULL, 0);
    }
    if (p->master >= 0) close(p->master);
    free(p->raw);
    free(p->text);
    memset(p, 0, sizeof *p);
    p->master = -1;
}
