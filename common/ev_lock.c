/* ev_lock.c - see ev_lock.h. */
#include "ev_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

struct ev_lock {
    int fd;
};

/* the holder's text, one line: "pid 123, edgevirt-measure run, since 2026-..." */
static void ev_lock__holder(int fd, char *out, size_t n)
{
    char buf[256];
    ssize_t got = pread(fd, buf, sizeof buf - 1, 0);
    size_t i, j = 0;
    if (got <= 0) {
        snprintf(out, n, "pid unknown");
        return;
    }
    buf[got] = '\0';
    for (i = 0; buf[i] && j + 3 < n; i++) {
        if (buf[i] == '\n') {
            if (buf[i + 1]) {
                out[j++] = ',';
                out[j++] = ' ';
            }
        } else if ((unsigned char)buf[i] >= 0x20) {
            out[j++] = buf[i];
        }
    }
    out[j] = '\0';
}

int ev_lock_acquire(ev_lock **out, const char *path, const char *tool, int wait, ev_error *err)
{
    char lpath[4096], text[256], when[32], holder[256];
    time_t now = time(NULL);
    struct tm tm;
    ev_lock *l;
    int fd, len;
    *out = NULL;
    if ((size_t)snprintf(lpath, sizeof lpath, "%s.lock", path) >= sizeof lpath)
        return ev_error_set(err, EV_EINVAL, "%s: path too long", path);
    fd = open(lpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return ev_error_sys(err, EV_ESYS, errno, "%s: cannot create its lock file %s", path,
                            lpath);
    if (flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        if (e == EWOULDBLOCK) {
            ev_lock__holder(fd, holder, sizeof holder);
            close(fd);
            return ev_error_set(err, EV_EBUSY, "%s: another process is writing it (%s; lock %s): "
                                "wait for it to end, or write to another file", path, holder, lpath);
        }
        close(fd);
        return ev_error_sys(err, EV_ESYS, e, "%s: flock", lpath);
    }
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    len = snprintf(text, sizeof text, "pid %ld\n%s\nsince %s\n", (long)getpid(), tool, when);
    if (len < 0 || (size_t)len >= sizeof text)
        len = (int)strlen(text);
    /* best effort: the lock holds even if the note cannot be written */
    if (ftruncate(fd, 0) == 0 && pwrite(fd, text, (size_t)len, 0) < 0) {
        /* nothing: a refused writer then reports "pid unknown" */
    }
    l = malloc(sizeof *l);
    if (!l) {
        close(fd);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    l->fd = fd;
    *out = l;
    return EV_OK;
}

void ev_lock_release(ev_lock *l)
{
    if (!l)
        return;
    close(l->fd); /* closing the last descriptor releases the flock */
    free(l);
}
