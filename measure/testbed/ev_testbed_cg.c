/* ev_testbed_cg.c - the testbed's cgroup CPU quota for the gateway (v1 and v2). */
#include "ev_testbed.h"
#include "ev_testbed_int.h"
#include "ev_testbed_exec.h"
#include "ev_fs.h"
#include "ev_time.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- cgroups */

int ev_testbed__exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The parent of pid, or -1 (from /proc/PID/stat: "pid (comm) state ppid ..."). */
static int ev_testbed__ppid(int pid)
{
    char path[64], buf[512], *p;
    int fd, ppid = -1;
    ssize_t n;
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    p = strrchr(buf, ')');
    if (p && sscanf(p + 1, " %*c %d", &ppid) != 1)
        ppid = -1;
    return ppid;
}

/* Which cgroup layout does a cgroup root folder (".../sys/fs/cgroup") hold? 0 none, 1, 2. */
static int ev_testbed__cg_layout(const char *root)
{
    char path[200];
    snprintf(path, sizeof path, "%s/cgroup.controllers", root);
    if (ev_testbed__exists(path))
        return 2;
    snprintf(path, sizeof path, "%s/cpu/cpu.cfs_quota_us", root);
    if (ev_testbed__exists(path))
        return 1;
    return 0;
}

/* Which cgroup layout does this host have, and where would our group live?
 * `ip netns exec` runs us in a mount namespace with a fresh /sys, which hides the cgroup
 * mounts under /sys/fs/cgroup. Then the cgroup file systems are reached through the root of
 * the nearest ancestor process that still sees them (/proc/PPID/root/sys/fs/cgroup: the
 * shell that ran `ip netns exec`, or init), so placement works in either mount namespace. */
void ev_testbed__cg_paths(ev_testbed__cg *cg, const char *prefix)
{
    char root[96];
    int pid = getppid(), depth;
    memset(cg, 0, sizeof *cg);
    snprintf(root, sizeof root, "/sys/fs/cgroup");
    cg->version = ev_testbed__cg_layout(root);
    for (depth = 0; !cg->version && pid > 0 && depth < 32; depth++) {
        snprintf(root, sizeof root, "/proc/%d/root/sys/fs/cgroup", pid);
        cg->version = ev_testbed__cg_layout(root);
        if (pid == 1)
            break;
        pid = ev_testbed__ppid(pid);
    }
    if (cg->version == 2) {
        snprintf(cg->root, sizeof cg->root, "%s", root);
        snprintf(cg->cpu, sizeof cg->cpu, "%s/edgevirt-%s", root, prefix);
        snprintf(cg->acct, sizeof cg->acct, "%s", cg->cpu);
    } else if (cg->version == 1) {
        char path[200];
        snprintf(cg->root, sizeof cg->root, "%s", root);
        snprintf(cg->cpu, sizeof cg->cpu, "%s/cpu/edgevirt-%s", root, prefix);
        snprintf(path, sizeof path, "%s/cpuacct/cpuacct.usage", root);
        if (ev_testbed__exists(path))
            snprintf(cg->acct, sizeof cg->acct, "%s/cpuacct/edgevirt-%s", root, prefix);
        else
            snprintf(cg->acct, sizeof cg->acct, "%s", cg->cpu);
    }
    if (cg->version) {
        snprintf(cg->procs_cpu, sizeof cg->procs_cpu, "%s/cgroup.procs", cg->cpu);
        snprintf(cg->procs_acct, sizeof cg->procs_acct, "%s/cgroup.procs", cg->acct);
    }
}

/* Is process pid in our cpu cgroup "edgevirt-<prefix>"? 1 yes, 0 no, -1 cannot tell.
 * /proc/PID/cgroup lines are "ID:CONTROLLERS:PATH"; v1 needs the line whose controllers
 * include "cpu", v2 the "0::" line; PATH must end in "/edgevirt-<prefix>". */
int ev_testbed__cg_has_pid(int version, const char *prefix, int pid)
{
    char path[64], buf[4096], want[64], *line, *save = NULL;
    size_t wl;
    snprintf(path, sizeof path, "/proc/%d/cgroup", pid);
    if (ev_testbed__read_text(buf, sizeof buf, path) != 0)
        return -1;
    snprintf(want, sizeof want, "/edgevirt-%s", prefix);
    wl = strlen(want);
    for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *c1 = strchr(line, ':'), *c2, *ctl, *tok, *s2 = NULL;
        int match = 0;
        size_t pl;
        if (!c1 || !(c2 = strchr(c1 + 1, ':')))
            continue;
        *c2 = '\0';
        ctl = c1 + 1;
        if (version == 2)
            match = ctl[0] == '\0' && strncmp(line, "0:", 2) == 0;
        else
            for (tok = strtok_r(ctl, ",", &s2); tok; tok = strtok_r(NULL, ",", &s2))
                if (strcmp(tok, "cpu") == 0)
                    match = 1;
        if (!match)
            continue;
        pl = strlen(c2 + 1);
        return pl >= wl && strcmp(c2 + 1 + pl - wl, want) == 0;
    }
    return 0;
}

static int ev_testbed__write_text(const char *path, const char *text, ev_error *err)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t n;
    if (fd < 0)
        return ev_error_sys(err, EV_ESYS, errno, "open %s", path);
    n = write(fd, text, strlen(text));
    if (n != (ssize_t)strlen(text)) {
        int e = errno;
        close(fd);
        return ev_error_sys(err, EV_ESYS, e, "write '%s' to %s", text, path);
    }
    close(fd);
    return EV_OK;
}

int ev_testbed__read_text(char *buf, size_t len, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;
    if (fd < 0)
        return -1;
    n = read(fd, buf, len - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return 0;
}

/* Create the gateway's cgroup and set (or clear) its quota. */
int ev_testbed__cg_setup(ev_testbed__cg *cg, const ev_testbed_options *o, ev_error *err)
{
    char v[64];
    int rc;
    ev_testbed__cg_paths(cg, o->prefix);
    if (cg->version == 0) {
        if (o->gateway_quota > 0.0)
            return ev_error_set(err, EV_ESYS, "a gateway quota needs the cgroup cpu controller "
                                "(v1 /sys/fs/cgroup/cpu or v2 /sys/fs/cgroup), not found here");
        return EV_OK;
    }
    if (mkdir(cg->cpu, 0755) < 0 && errno != EEXIST)
        goto unsupported;
    if (cg->version == 1 && strcmp(cg->acct, cg->cpu) != 0 &&
        mkdir(cg->acct, 0755) < 0 && errno != EEXIST)
        goto unsupported;
    if (cg->version == 1) {
        long quota = o->gateway_quota > 0.0 ? lround(o->gateway_quota * o->quota_period_us) : -1;
        char path[220];
        snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", cg->cpu);
        /* The quota must be -1 before the period changes (a quota above the new period
         * would be rejected otherwise). */
        if ((rc = ev_testbed__write_text(path, "-1", err)) != EV_OK)
            return rc;
        snprintf(path, sizeof path, "%s/cpu.cfs_period_us", cg->cpu);
        snprintf(v, sizeof v, "%d", o->quota_period_us);
        if ((rc = ev_testbed__write_text(path, v, err)) != EV_OK)
            return rc;
        snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", cg->cpu);
        snprintf(v, sizeof v, "%ld", quota);
        return ev_testbed__write_text(path, v, err);
    } else {
        char path[220];
        /* Enable the cpu controller for children of the root (harmless if already on). */
        snprintf(path, sizeof path, "%s/cgroup.subtree_control", cg->root);
        (void)ev_testbed__write_text(path, "+cpu", NULL);
        snprintf(path, sizeof path, "%s/cpu.max", cg->cpu);
        if (o->gateway_quota > 0.0)
            snprintf(v, sizeof v, "%ld %d", lround(o->gateway_quota * o->quota_period_us),
                     o->quota_period_us);
        else
            snprintf(v, sizeof v, "max %d", o->quota_period_us);
        if (!ev_testbed__exists(path)) {
            if (o->gateway_quota > 0.0)
                return ev_error_set(err, EV_ESYS, "cgroup v2: %s missing (the cpu controller "
                                    "is not enabled for %s)", path, cg->cpu);
            return EV_OK;
        }
        return ev_testbed__write_text(path, v, err);
    }
unsupported:
    {
        int e = errno;
        if (o->gateway_quota > 0.0)
            return ev_error_sys(err, EV_ESYS, e, "cannot create cgroup %s", cg->cpu);
        cg->version = 0;   /* accounting only: carry on without a cgroup */
        return EV_OK;
    }
}

int ev_testbed__cg_kill_and_remove(const ev_testbed__cg *cg, int *killed, int *removed)
{
    const char *dirs[2];
    int i, fails = 0;
    dirs[0] = cg->acct;
    dirs[1] = cg->cpu;
    for (i = 0; i < 2; i++) {
        char path[200], buf[4096], *p;
        if (!dirs[i][0] || !ev_testbed__exists(dirs[i]))
            continue;
        snprintf(path, sizeof path, "%s/cgroup.procs", dirs[i]);
        if (ev_testbed__read_text(buf, sizeof buf, path) == 0) {
            for (p = strtok(buf, "\n"); p; p = strtok(NULL, "\n")) {
                pid_t pid = (pid_t)atoi(p);
                if (pid > 0 && ev_testbed_exec_stop(pid, 2.0))
                    (*killed)++;
            }
        }
        {
            /* A killed task that is not our child leaves the cgroup only once it has fully
             * exited, so rmdir can see EBUSY for a moment: retry for up to 3 s. */
            int tries, ok = 0;
            for (tries = 0; tries < 60; tries++) {
                if (rmdir(dirs[i]) == 0) {
                    ok = 1;
                    break;
                }
                if (errno == ENOENT) {
                    ok = -1;
                    break;
                }
                if (errno != EBUSY)
                    break;
                usleep(50000);
            }
            if (ok == 1)
                (*removed)++;
            else if (ok == 0)
                fails++;
        }
    }
    return fails ? -1 : 0;
}
