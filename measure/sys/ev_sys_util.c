#include "ev_sys_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ev_sys__path(char *buf, size_t len, const char *root, const char *rel)
{
    snprintf(buf, len, "%s%s", root ? root : "", rel);
}

int ev_sys__read_small(char **out, const char *path, ev_error *err)
{
    size_t cap = 4096, n = 0;
    char *buf;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    *out = NULL;
    if (fd < 0)
        return ev_error_sys(err, (errno == ENOENT || errno == ESRCH) ? EV_ENOENT : EV_EIO, errno,
                            "%s", path);
    buf = malloc(cap);
    if (!buf) {
        close(fd);
        return ev_error_set(err, EV_ENOMEM, "%s: out of memory", path);
    }
    for (;;) {
        ssize_t r;
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                close(fd);
                return ev_error_set(err, EV_ENOMEM, "%s: out of memory", path);
            }
            buf = nb;
            cap *= 2;
        }
        r = read(fd, buf + n, cap - 1 - n);
        if (r < 0) {
            int e = errno;
            if (e == EINTR)
                continue;
            free(buf);
            close(fd);
            return ev_error_sys(err, e == ESRCH ? EV_ENOENT : EV_EIO, e, "%s", path);
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    return EV_OK;
}
