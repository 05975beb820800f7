/* fuzz_util.c - see fuzz_util.h. */
#include "fuzz_util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void ev_fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, what);
    abort();
}

char *ev_fuzz_strdup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

static char tmpdir[4096];
static pid_t tmpdir_owner;

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path) == 0 ? 0 : 0;
}

static void tmpdir_cleanup(void)
{
    if (tmpdir[0] && getpid() == tmpdir_owner)
        nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *ev_fuzz_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR");
        struct stat st;
        if (!base || !*base)
            base = (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
                    access("/dev/shm", W_OK) == 0) ? "/dev/shm" : "/tmp";
        snprintf(tmpdir, sizeof tmpdir, "%s/ev-fuzz.XXXXXX", base);
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            abort();
        }
        tmpdir_owner = getpid();
        atexit(tmpdir_cleanup);
    }
    return tmpdir;
}

const char *ev_fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
    static char path[8192];
    char *slash;
    int fd;
    size_t off = 0;
    snprintf(path, sizeof path, "%s/%s", ev_fuzz_tmpdir(), name);
    for (slash = strchr(path + strlen(ev_fuzz_tmpdir()) + 1, '/'); slash;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            perror(path);
            abort();
        }
        *slash = '/';
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        perror(path);
        abort();
    }
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            perror(path);
            abort();
        }
        off += (size_t)w;
    }
    close(fd);
    return path;
}
