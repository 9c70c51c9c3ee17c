/* See file_write.h. */
#include "file_write.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *text, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return w < 0 ? errno : EIO;
        done += (size_t)w;
    }
    return 0;
}

/* Not a regular file: write where it is (a device, a pipe). */
static int write_in_place(const char *path, const char *text, size_t len)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return errno;
    int err = write_all(fd, text, len);
    if (close(fd) != 0 && !err) err = errno;
    return err;
}

/* A regular file at path (or none): through a temporary file beside it. */
static int write_replacing(const char *path, const char *text, size_t len, const struct stat *old)
{
    size_t n = strlen(path) + sizeof ".onshore-XXXXXX";
    char *tmp = ons_malloc(n);
    snprintf(tmp, n, "%s.onshore-XXXXXX", path);
    /* from here to the rename or the removal, Ctrl-C and SIGTERM wait */
    sigset_t block, before;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &before);
    int err = 0;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        err = errno;
    } else {
        mode_t mode;
        if (old) {
            mode = old->st_mode & 07777;
        } else {
            mode_t mask = umask(0); /* mkstemp made it 0600: a new file is as readable as any */
            umask(mask);
            mode = 0666 & ~mask;
        }
        if (fchmod(fd, mode) != 0) err = errno;
        if (!err) err = write_all(fd, text, len);
        if (!err && fsync(fd) != 0 && errno != EINVAL && errno != EROFS) err = errno;
        if (close(fd) != 0 && !err) err = errno;
        if (!err && rename(tmp, path) != 0) err = errno;
        if (err) unlink(tmp);
    }
    sigprocmask(SIG_SETMASK, &before, NULL);
    ons_free(tmp);
    return err;
}

int ons_write_file(const char *path, const char *text, size_t len)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT) return errno;
        return write_replacing(path, text, len, NULL);
    }
    if (S_ISDIR(st.st_mode)) return EISDIR;
    if (!S_ISREG(st.st_mode)) return write_in_place(path, text, len);
    return write_replacing(path, text, len, &st);
}
