#include "ev_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* fsync the folder holding path, so that a file just created or renamed there survives a
 * crash too (fsync of the file alone does not persist its directory entry). */
static int fsync_parent(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    int fd, rc;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else if ((size_t)(slash - path) < sizeof dir)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        return -1;
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

int ev_fs_append_durable(const char *path, const char *buf, size_t len, ev_error *err)
{
    int created = 0, fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
    struct stat st;
    if (fd < 0 && errno == ENOENT) {
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
        created = fd >= 0;
        if (fd < 0 && errno == EEXIST) /* created by someone else in between */
            fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
    }
    if (fd < 0)
        return ev_error_sys(err, EV_EIO, errno, "%s: cannot open for append", path);
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
        char last = '\n';
        if (pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n') {
            if (write_all(fd, "\n", 1) < 0) {
                int e = errno;
                close(fd);
                return ev_error_sys(err, EV_EIO, e, "%s: write failed", path);
            }
        }
    }
    if (write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
        int e = errno;
        close(fd);
        return ev_error_sys(err, EV_EIO, e, "%s: write failed", path);
    }
    if (close(fd) < 0)
        return ev_error_sys(err, EV_EIO, errno, "%s: close failed", path);
    if (created && fsync_parent(path) < 0)
        return ev_error_sys(err, EV_EIO, errno, "%s: cannot fsync its folder", path);
    return EV_OK;
}

int ev_fs_write_atomic(const char *path, const char *buf, size_t len, ev_error *err)
{
    char tmp[PATH_MAX];
    int fd;
    if (snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= (int)sizeof tmp)
        return ev_error_set(err, EV_EINVAL, "%s: path too long", path);
    fd = mkstemp(tmp);
    if (fd < 0)
        return ev_error_sys(err, EV_EIO, errno, "%s: cannot create temporary file", path);
    if (write_all(fd, buf, len) < 0 || fsync(fd) < 0 || fchmod(fd, 0644) < 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return ev_error_sys(err, EV_EIO, e, "%s: write failed", path);
    }
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        return ev_error_sys(err, EV_EIO, e, "%s: cannot replace", path);
    }
    if (fsync_parent(path) < 0)
        return ev_error_sys(err, EV_EIO, errno, "%s: cannot fsync its folder", path);
    return EV_OK;
}

int ev_fs_read_all(char **out, size_t *len_out, const char *path, ev_error *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, len = 0;
    *out = NULL;
    if (!f) /* ESRCH: a /proc/PID file of a process that has just gone */
        return ev_error_sys(err, (errno == ENOENT || errno == ESRCH) ? EV_ENOENT : EV_EIO, errno,
                            "%s", path);
    for (;;) {
        size_t n;
        if (cap - len < 4096) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                return ev_error_set(err, EV_ENOMEM, "%s: out of memory", path);
            }
            buf = nb;
            cap = ncap;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
        if (len > EV_FS_READ_MAX) { /* e.g. /dev/zero or /dev/full: it would never end */
            free(buf);
            fclose(f);
            return ev_error_set(err, EV_ERANGE, "%s: larger than %d MiB: not an edgevirt "
                                "input file", path, EV_FS_READ_MAX >> 20);
        }
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        fclose(f);
        /* a directory named where a file is expected is bad input (exit 2), not an I/O
         * failure */
        return ev_error_sys(err, e == EISDIR ? EV_EINVAL : e == ESRCH ? EV_ENOENT : EV_EIO, e,
                            "%s: cannot read", path);
    }
    fclose(f);
    buf[len] = '\0';
    *out = buf;
    if (len_out)
        *len_out = len;
    return EV_OK;
}

int ev_fs_mkdirs(const char *path, ev_error *err)
{
    char buf[PATH_MAX];
    size_t i, n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return ev_error_set(err, EV_EINVAL, "bad directory path '%s'", path);
    memcpy(buf, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) < 0 && errno != EEXIST)
                return ev_error_sys(err, EV_EIO, errno, "%s: cannot create directory", buf);
            buf[i] = c;
        }
    }
    return EV_OK;
}

static int ev_fs__is_exec(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

int ev_fs_find_exec(const char *name, char *out, size_t n)
{
    const char *path, *p;
    char cand[PATH_MAX];
    if (!name || !*name)
        return 0;
    if (strchr(name, '/')) {
        if (!ev_fs__is_exec(name))
            return 0;
        if (out && n)
            snprintf(out, n, "%s", name);
        return 1;
    }
    path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (p = path;; p++) {
        const char *e = strchr(p, ':');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        /* an empty entry is the current folder, as execvp takes it */
        int k = len ? snprintf(cand, sizeof cand, "%.*s/%s", (int)len, p, name)
                    : snprintf(cand, sizeof cand, "./%s", name);
        if (k > 0 && (size_t)k < sizeof cand && ev_fs__is_exec(cand)) {
            if (out && n)
                snprintf(out, n, "%s", cand);
            return 1;
        }
        if (!e)
            return 0;
        p = e;
    }
}

int ev_fs_self_dir(char *out, size_t n)
{
    char self[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
    char *slash;
    if (k <= 0 || !n)
        return 0;
    self[k] = '\0';
    slash = strrchr(self, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    if (strlen(self) >= n)
        return 0;
    memcpy(out, self, strlen(self) + 1);
    return 1;
}
