/* ev_testbed.c - the one-host two-namespace testbed (see ev_testbed.h). */
#include "ev_testbed.h"
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

#define EV_TESTBED__OUT 16384

/* ---------------------------------------------------------------- names and paths */

void ev_testbed_netns_name(char *buf, size_t len, const char *prefix, int gateway)
{
    snprintf(buf, len, "%s%s", prefix, gateway ? "gateway" : "client");
}

static void ev_testbed__state_dir(char *buf, size_t len, const char *run_dir, const char *prefix)
{
    snprintf(buf, len, "%s/%s", run_dir, prefix);
}

static int ev_testbed__netns_exists(const char *name)
{
    char path[128];
    struct stat st;
    snprintf(path, sizeof path, "/run/netns/%s", name);
    return stat(path, &st) == 0;
}

static const char *ev_testbed__dev(int gateway)
{
    return gateway ? EV_TESTBED_GATEWAY_DEV : EV_TESTBED_CLIENT_DEV;
}

/* ---------------------------------------------------------------- options */

void ev_testbed_options_default(ev_testbed_options *o)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    memset(o, 0, sizeof *o);
    snprintf(o->prefix, sizeof o->prefix, "%s", EV_TESTBED_DEFAULT_PREFIX);
    snprintf(o->run_dir, sizeof o->run_dir, "%s", EV_TESTBED_DEFAULT_RUN_DIR);
    o->link_rate_bps = 1e9;
    o->mtu = 1500;
    o->offload = 1;
    o->gateway_cpu = n >= 2 ? 1 : -1;
    o->client_cpu = n >= 2 ? 0 : -1;
    o->gateway_quota = 0.0;
    o->quota_period_us = 100000;
}

int ev_testbed_options_validate(const ev_testbed_options *o, ev_error *err)
{
    long n = sysconf(_SC_NPROCESSORS_CONF);
    int rc = ev_testbed_parse_prefix(o->prefix, err);
    if (rc != EV_OK)
        return rc;
    if (!o->run_dir[0] || o->run_dir[0] != '/')
        return ev_error_set(err, EV_EINVAL, "run dir '%s': must be an absolute path", o->run_dir);
    if (o->mtu < 576 || o->mtu > 65535)
        return ev_error_set(err, EV_ERANGE, "mtu %d: outside 576..65535", o->mtu);
    if (o->link_rate_bps < 0.0 || (o->link_rate_bps > 0.0 && o->link_rate_bps < 8000.0))
        return ev_error_set(err, EV_ERANGE, "link rate %g bit/s: below 8kbit", o->link_rate_bps);
    if (o->gateway_cpu < -1 || o->gateway_cpu >= n)
        return ev_error_set(err, EV_ERANGE, "gateway cpu %d: this host has CPUs 0..%ld",
                            o->gateway_cpu, n - 1);
    if (o->client_cpu < -1 || o->client_cpu >= n)
        return ev_error_set(err, EV_ERANGE, "client cpu %d: this host has CPUs 0..%ld",
                            o->client_cpu, n - 1);
    if (o->gateway_quota < 0.0 || o->gateway_quota > (double)n || !isfinite(o->gateway_quota))
        return ev_error_set(err, EV_ERANGE, "gateway quota %g cores: outside 0..%ld",
                            o->gateway_quota, n);
    if (o->gateway_quota > 0.0 && o->gateway_quota * o->quota_period_us < 1000.0)
        return ev_error_set(err, EV_ERANGE, "gateway quota %g cores of a %d us period is below "
                            "the kernel's 1000 us minimum", o->gateway_quota, o->quota_period_us);
    if (o->quota_period_us < 1000 || o->quota_period_us > 1000000)
        return ev_error_set(err, EV_ERANGE, "quota period %d us: outside 1000..1000000",
                            o->quota_period_us);
    return EV_OK;
}

int ev_testbed_check_host(ev_error *err)
{
    struct stat st;
    if (geteuid() != 0)
        return ev_error_set(err, EV_ESYS, "the testbed needs root (creating network namespaces "
                            "needs CAP_SYS_ADMIN and CAP_NET_ADMIN); run it as root");
    if (stat("/proc/self/ns/net", &st) != 0)
        return ev_error_set(err, EV_ESYS, "this kernel has no network namespaces "
                            "(/proc/self/ns/net is missing)");
    return EV_OK;
}

/* ---------------------------------------------------------------- cgroups */

typedef struct ev_testbed__cg {
    int version;               /* 0 none, 1, 2 */
    char cpu[160];             /* folder holding the quota files */
    char acct[160];            /* folder holding the usage (v1 cpuacct; v2 same as cpu) */
    char root[96];             /* the cgroup mounts: /sys/fs/cgroup or /proc/PID/root/... */
    char procs_cpu[180], procs_acct[180];
} ev_testbed__cg;

static int ev_testbed__exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int ev_testbed__read_text(char *buf, size_t len, const char *path);

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
static void ev_testbed__cg_paths(ev_testbed__cg *cg, const char *prefix)
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
static int ev_testbed__cg_has_pid(int version, const char *prefix, int pid)
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

static int ev_testbed__read_text(char *buf, size_t len, const char *path)
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
static int ev_testbed__cg_setup(ev_testbed__cg *cg, const ev_testbed_options *o, ev_error *err)
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

static int ev_testbed__cg_kill_and_remove(const ev_testbed__cg *cg, int *killed, int *removed)
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

/* ---------------------------------------------------------------- state files */

static int ev_testbed__save_state(const ev_testbed_options *o, ev_error *err)
{
    char dir[256], path[300], *text;
    cJSON *j = cJSON_CreateObject();
    int rc;
    if (!j)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    cJSON_AddNumberToObject(j, "version", 1);
    cJSON_AddStringToObject(j, "prefix", o->prefix);
    cJSON_AddNumberToObject(j, "link_rate_bps", o->link_rate_bps);
    cJSON_AddNumberToObject(j, "mtu", o->mtu);
    cJSON_AddBoolToObject(j, "offload", o->offload);
    cJSON_AddNumberToObject(j, "gateway_cpu", o->gateway_cpu);
    cJSON_AddNumberToObject(j, "client_cpu", o->client_cpu);
    cJSON_AddNumberToObject(j, "gateway_quota", o->gateway_quota);
    cJSON_AddNumberToObject(j, "quota_period_us", o->quota_period_us);
    text = cJSON_Print(j);
    cJSON_Delete(j);
    if (!text)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    ev_testbed__state_dir(dir, sizeof dir, o->run_dir, o->prefix);
    rc = ev_fs_mkdirs(dir, err);
    snprintf(path, sizeof path, "%s/testbed.json", dir);
    if (rc == EV_OK)
        rc = ev_fs_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

static double ev_testbed__num(const cJSON *j, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? 1.0 : 0.0;
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* RETURNS EV_OK, EV_ENOENT (no state: the testbed is not up) or EV_EPARSE. */
static int ev_testbed__load_state(ev_testbed_options *o, const char *prefix, const char *run_dir,
                                  ev_error *err)
{
    char path[300], *text = NULL;
    cJSON *j;
    int rc;
    ev_testbed_options_default(o);
    snprintf(o->prefix, sizeof o->prefix, "%s", prefix);
    snprintf(o->run_dir, sizeof o->run_dir, "%s", run_dir);
    snprintf(path, sizeof path, "%s/%s/testbed.json", run_dir, prefix);
    rc = ev_fs_read_all(&text, NULL, path, err);
    if (rc != EV_OK)
        return rc == EV_ENOENT
            ? ev_error_set(err, EV_ENOENT, "testbed '%s' is not up (no %s): run "
                           "`edgevirt-testbed up --prefix %s` first", prefix, path, prefix)
            : rc;
    j = cJSON_Parse(text);
    free(text);
    if (!j)
        return ev_error_set(err, EV_EPARSE, "%s: not valid JSON", path);
    o->link_rate_bps = ev_testbed__num(j, "link_rate_bps", o->link_rate_bps);
    o->mtu = (int)ev_testbed__num(j, "mtu", o->mtu);
    o->offload = (int)ev_testbed__num(j, "offload", o->offload);
    o->gateway_cpu = (int)ev_testbed__num(j, "gateway_cpu", o->gateway_cpu);
    o->client_cpu = (int)ev_testbed__num(j, "client_cpu", o->client_cpu);
    o->gateway_quota = ev_testbed__num(j, "gateway_quota", 0.0);
    o->quota_period_us = (int)ev_testbed__num(j, "quota_period_us", o->quota_period_us);
    cJSON_Delete(j);
    return EV_OK;
}

static int ev_testbed__save_platform(const char *run_dir, const char *prefix,
                                     const ev_testbed_platform *p, ev_error *err)
{
    char path[300], *text;
    cJSON *j = cJSON_CreateObject();
    int rc;
    if (!j)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    cJSON_AddStringToObject(j, "platform", ev_testbed_platform_name(p->flags));
    cJSON_AddNumberToObject(j, "flags", p->flags);
    cJSON_AddNumberToObject(j, "port", p->port);
    cJSON_AddNumberToObject(j, "backend_port", p->backend_port);
    cJSON_AddNumberToObject(j, "redis_pid", p->redis_pid);
    cJSON_AddNumberToObject(j, "redis_start",
                            (double)ev_testbed_exec_starttime((pid_t)p->redis_pid));
    cJSON_AddNumberToObject(j, "relay_pid", p->relay_pid);
    cJSON_AddNumberToObject(j, "relay_start", p->relay_pid
                            ? (double)ev_testbed_exec_starttime((pid_t)p->relay_pid) : 0.0);
    cJSON_AddNumberToObject(j, "relay_buffer", p->relay_buffer);
    text = cJSON_Print(j);
    cJSON_Delete(j);
    if (!text)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    snprintf(path, sizeof path, "%s/%s/platform-%d.json", run_dir, prefix, p->port);
    rc = ev_fs_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

/* A recorded pid counts only if the process still has the recorded start time. */
static int ev_testbed__pid_if_same(double pid, double start)
{
    pid_t p = (pid_t)pid;
    if (p <= 0 || !ev_testbed_exec_alive(p))
        return 0;
    if (start > 0 && (double)ev_testbed_exec_starttime(p) != start)
        return 0;
    return (int)p;
}

/* Read every platform-*.json; pids that no longer belong to our processes become 0. */
static int ev_testbed__load_platforms(ev_testbed_platform *out, int max, const char *run_dir,
                                      const char *prefix)
{
    char dir[256];
    DIR *d;
    struct dirent *e;
    int n = 0;
    ev_testbed__state_dir(dir, sizeof dir, run_dir, prefix);
    d = opendir(dir);
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL && n < max) {
        char path[600], *text = NULL;
        cJSON *j;
        ev_testbed_platform *p = &out[n];
        if (strncmp(e->d_name, "platform-", 9) != 0 || !strstr(e->d_name, ".json") ||
            strstr(e->d_name, ".tmp"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (ev_fs_read_all(&text, NULL, path, NULL) != EV_OK)
            continue;
        j = cJSON_Parse(text);
        free(text);
        if (!j)
            continue;
        memset(p, 0, sizeof *p);
        p->flags = (int)ev_testbed__num(j, "flags", 0);
        p->port = (int)ev_testbed__num(j, "port", 0);
        p->backend_port = (int)ev_testbed__num(j, "backend_port", 0);
        p->relay_buffer = (int)ev_testbed__num(j, "relay_buffer", 0);
        p->redis_pid = (int)ev_testbed__num(j, "redis_pid", 0);
        p->relay_pid = (int)ev_testbed__num(j, "relay_pid", 0);
        p->redis_alive = ev_testbed__pid_if_same(p->redis_pid,
                                                 ev_testbed__num(j, "redis_start", 0)) != 0;
        p->relay_alive = ev_testbed__pid_if_same(p->relay_pid,
                                                 ev_testbed__num(j, "relay_start", 0)) != 0;
        cJSON_Delete(j);
        if (p->port > 0)
            n++;
    }
    closedir(d);
    return n;
}

/* ---------------------------------------------------------------- processes in a netns */

/* Pids whose network namespace is the one bound at /run/netns/NAME. */
static int ev_testbed__netns_pids(pid_t *out, int max, const char *netns)
{
    char path[128];
    struct stat ns;
    DIR *d;
    struct dirent *e;
    int n = 0;
    snprintf(path, sizeof path, "/run/netns/%s", netns);
    if (stat(path, &ns) != 0)
        return 0;
    d = opendir("/proc");
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL && n < max) {
        char p2[300];
        struct stat st;
        pid_t pid = (pid_t)atoi(e->d_name);
        if (pid <= 0 || pid == getpid())
            continue;
        snprintf(p2, sizeof p2, "/proc/%s/ns/net", e->d_name);
        if (stat(p2, &st) == 0 && st.st_ino == ns.st_ino && st.st_dev == ns.st_dev &&
            ev_testbed_exec_alive(pid))
            out[n++] = pid;
    }
    closedir(d);
    return n;
}

/* ---------------------------------------------------------------- link configuration */

static int ev_testbed__run_in(const char *netns, ev_error *err, char *out, size_t outlen, ...)
{
    char *argv[24];
    const char *a;
    int n = 0;
    va_list ap;
    ev_testbed_spawn sp = EV_TESTBED_SPAWN_INIT;
    sp.netns = netns;
    va_start(ap, outlen);
    while ((a = va_arg(ap, const char *)) != NULL && n < 23)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    return ev_testbed_exec_ok(out, outlen, &sp, argv, err);
}

static int ev_testbed__read_link(ev_testbed_side_status *s, const char *netns, int gateway,
                                 ev_error *err)
{
    char *out = malloc(EV_TESTBED__OUT);
    int rc;
    if (!out)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    rc = ev_testbed__run_in(netns, err, out, EV_TESTBED__OUT, "ip", "-j", "link", "show",
                            "dev", ev_testbed__dev(gateway), (char *)NULL);
    if (rc == EV_OK)
        rc = ev_testbed_parse_ip_link_json(&s->link, out, err);
    if (rc == EV_OK)
        rc = ev_testbed__run_in(netns, err, out, EV_TESTBED__OUT, "tc", "-j", "qdisc", "show",
                                "dev", ev_testbed__dev(gateway), (char *)NULL);
    if (rc == EV_OK)
        rc = ev_testbed_parse_tc_json(&s->link, out, err);
    if (rc == EV_OK)
        rc = ev_testbed__run_in(netns, err, out, EV_TESTBED__OUT, "ethtool", "-k",
                                ev_testbed__dev(gateway), (char *)NULL);
    if (rc == EV_OK)
        rc = ev_testbed_parse_ethtool_k(&s->offloads, out, err);
    free(out);
    return rc;
}

/* Apply MTU, offloads and rate to both ends, then read them back. */
static int ev_testbed__apply_link(const char *prefix, int mtu, int offload, double rate_bps,
                                  ev_error *err)
{
    int g, rc;
    for (g = 0; g < 2; g++) {
        char ns[40], smtu[16], srate[40], sburst[40];
        const char *dev = ev_testbed__dev(g), *oo = offload ? "on" : "off";
        ev_testbed_side_status s;
        ev_testbed_netns_name(ns, sizeof ns, prefix, g);
        snprintf(smtu, sizeof smtu, "%d", mtu);
        if ((rc = ev_testbed__run_in(ns, err, NULL, 0, "ip", "link", "set", "dev", dev, "mtu",
                                     smtu, (char *)NULL)) != EV_OK)
            return rc;
        /* GRO stays off in both modes: it is the veth default, and on it would merge the
         * software-segmented packets again on receive. */
        if ((rc = ev_testbed__run_in(ns, err, NULL, 0, "ethtool", "-K", dev, "tso", oo, "gso",
                                     oo, "gro", "off", (char *)NULL)) != EV_OK)
            return rc;
        if (rate_bps > 0.0) {
            /* Bucket: 1 ms at the rate, at least 64 KiB so one large GSO packet fits. */
            double burst = rate_bps / 8.0 / 1000.0;
            if (burst < 65536.0)
                burst = 65536.0;
            snprintf(srate, sizeof srate, "%.0fbit", rate_bps);
            snprintf(sburst, sizeof sburst, "%.0f", burst);
            if ((rc = ev_testbed__run_in(ns, err, NULL, 0, "tc", "qdisc", "replace", "dev", dev,
                                         "root", "tbf", "rate", srate, "burst", sburst,
                                         "latency", "20ms", (char *)NULL)) != EV_OK)
                return rc;
        } else {
            int st = 0;
            ev_error e2 = EV_ERROR_INIT;
            ev_testbed_spawn sp = EV_TESTBED_SPAWN_INIT;
            char *argv[] = { "tc", "qdisc", "del", "dev", (char *)dev, "root", NULL };
            sp.netns = ns;
            /* Fails when there is no root qdisc to delete: that is the state we want. */
            (void)ev_testbed_exec_run(&st, NULL, 0, &sp, argv, 10.0, &e2);
        }
        memset(&s, 0, sizeof s);
        if ((rc = ev_testbed__read_link(&s, ns, g, err)) != EV_OK)
            return rc;
        if (s.link.mtu != mtu)
            return ev_error_set(err, EV_ESYS, "%s in %s: MTU is %d after setting %d", dev, ns,
                                s.link.mtu, mtu);
        if (s.offloads.tso != offload || s.offloads.gso != offload)
            return ev_error_set(err, EV_ESYS, "%s in %s: offloads tso=%d gso=%d after setting "
                                "%s", dev, ns, s.offloads.tso, s.offloads.gso, oo);
        if (rate_bps > 0.0 && (strcmp(s.link.qdisc, "tbf") != 0 ||
                               fabs(s.link.rate_bps - rate_bps) > 0.01 * rate_bps))
            return ev_error_set(err, EV_ESYS, "%s in %s: root qdisc %s at %.0f bit/s after "
                                "setting tbf %.0f bit/s", dev, ns, s.link.qdisc,
                                s.link.rate_bps, rate_bps);
    }
    return EV_OK;
}

/* The link mode the running platforms need: -1 none running, 0 normal, 1 swseg. */
static int ev_testbed__running_mode(const char *run_dir, const char *prefix, int *conflict_port)
{
    ev_testbed_platform ps[EV_TESTBED_MAX_PLATFORMS];
    int n = ev_testbed__load_platforms(ps, EV_TESTBED_MAX_PLATFORMS, run_dir, prefix), i;
    int mode = -1;
    for (i = 0; i < n; i++) {
        if (!ps[i].redis_alive)
            continue;
        mode = (ps[i].flags & EV_TESTBED_P_SWSEG) ? 1 : 0;
        if (conflict_port)
            *conflict_port = ps[i].port;
    }
    return mode;
}

static int ev_testbed__apply_mode(const ev_testbed_options *o, int swseg, ev_error *err)
{
    if (swseg)
        return ev_testbed__apply_link(o->prefix, o->mtu < EV_TESTBED_SWSEG_MTU ? o->mtu
                                      : EV_TESTBED_SWSEG_MTU, 0, o->link_rate_bps, err);
    return ev_testbed__apply_link(o->prefix, o->mtu, o->offload, o->link_rate_bps, err);
}

/* ---------------------------------------------------------------- up / down */

static int ev_testbed__dev_present(const char *netns, int gateway)
{
    char out[4096];
    ev_error e = EV_ERROR_INIT;
    return ev_testbed__run_in(netns, &e, out, sizeof out, "ip", "-j", "link", "show", "dev",
                              ev_testbed__dev(gateway), (char *)NULL) == EV_OK;
}

int ev_testbed_up(const ev_testbed_options *o, ev_error *err)
{
    char cns[40], gns[40], addr[40];
    int rc, g, mode, created = 0;
    ev_testbed__cg cg;

    if ((rc = ev_testbed_options_validate(o, err)) != EV_OK)
        return rc;
    if ((rc = ev_testbed_check_host(err)) != EV_OK)
        return rc;
    ev_testbed_netns_name(cns, sizeof cns, o->prefix, 0);
    ev_testbed_netns_name(gns, sizeof gns, o->prefix, 1);

    if (!(ev_testbed__netns_exists(cns) && ev_testbed__netns_exists(gns) &&
          ev_testbed__dev_present(cns, 0) && ev_testbed__dev_present(gns, 1))) {
        /* Not there, or half there after a crash: clear what is left, then build. */
        if ((rc = ev_testbed_down(NULL, o->prefix, o->run_dir, err)) != EV_OK)
            return rc;
        created = 1;
        if ((rc = ev_testbed__run_in(NULL, err, NULL, 0, "ip", "netns", "add", cns,
                                     (char *)NULL)) != EV_OK ||
            (rc = ev_testbed__run_in(NULL, err, NULL, 0, "ip", "netns", "add", gns,
                                     (char *)NULL)) != EV_OK ||
            (rc = ev_testbed__run_in(NULL, err, NULL, 0, "ip", "link", "add",
                                     EV_TESTBED_CLIENT_DEV, "netns", cns, "type", "veth", "peer",
                                     "name", EV_TESTBED_GATEWAY_DEV, "netns", gns,
                                     (char *)NULL)) != EV_OK)
            goto fail;
        for (g = 0; g < 2; g++) {
            const char *ns = g ? gns : cns;
            snprintf(addr, sizeof addr, "%s/%d",
                     g ? EV_TESTBED_GATEWAY_ADDR : EV_TESTBED_CLIENT_ADDR, EV_TESTBED_PLEN);
            if ((rc = ev_testbed__run_in(ns, err, NULL, 0, "ip", "addr", "add", addr, "dev",
                                         ev_testbed__dev(g), (char *)NULL)) != EV_OK ||
                (rc = ev_testbed__run_in(ns, err, NULL, 0, "ip", "link", "set", "dev", "lo",
                                         "up", (char *)NULL)) != EV_OK ||
                (rc = ev_testbed__run_in(ns, err, NULL, 0, "ip", "link", "set", "dev",
                                         ev_testbed__dev(g), "up", (char *)NULL)) != EV_OK)
                goto fail;
        }
    }
    if ((rc = ev_testbed__cg_setup(&cg, o, err)) != EV_OK)
        goto fail;
    if ((rc = ev_testbed__save_state(o, err)) != EV_OK)
        goto fail;
    /* Running platforms (when `up` re-applies settings) keep the link mode they need. */
    mode = ev_testbed__running_mode(o->run_dir, o->prefix, NULL);
    if ((rc = ev_testbed__apply_mode(o, mode == 1, err)) != EV_OK)
        goto fail;
    return EV_OK;
fail:
    ev_error_prefix(err, "testbed up");
    if (created) {
        /* Do not leave a half-built testbed behind (the error above is what matters). */
        ev_error scratch = EV_ERROR_INIT;
        (void)ev_testbed_down(NULL, o->prefix, o->run_dir, &scratch);
    }
    return rc;
}

int ev_testbed_down(ev_testbed_down_report *report, const char *prefix, const char *run_dir,
                    ev_error *err)
{
    ev_testbed_down_report rep;
    ev_testbed_platform ps[EV_TESTBED_MAX_PLATFORMS];
    ev_testbed__cg cg;
    char dir[256];
    int rc, g, n, i, pass;
    DIR *d;

    memset(&rep, 0, sizeof rep);
    if ((rc = ev_testbed_parse_prefix(prefix, err)) != EV_OK)
        return rc;
    if ((rc = ev_testbed_check_host(err)) != EV_OK)
        return rc;

    /* 1. Recorded platform processes (they may be outside the namespaces if someone moved
     *    them; the start time check keeps us from killing a recycled pid). */
    n = ev_testbed__load_platforms(ps, EV_TESTBED_MAX_PLATFORMS, run_dir, prefix);
    for (i = 0; i < n; i++) {
        if (ps[i].relay_alive && ev_testbed_exec_stop((pid_t)ps[i].relay_pid, 2.0))
            rep.killed++;
        if (ps[i].redis_alive && ev_testbed_exec_stop((pid_t)ps[i].redis_pid, 3.0))
            rep.killed++;
    }
    /* 2. Anything else still running inside our namespaces (twice: a process can fork). */
    for (pass = 0; pass < 2; pass++) {
        for (g = 0; g < 2; g++) {
            char ns[40];
            pid_t pids[256];
            int k;
            ev_testbed_netns_name(ns, sizeof ns, prefix, g);
            k = ev_testbed__netns_pids(pids, 256, ns);
            for (i = 0; i < k; i++)
                kill(pids[i], SIGTERM);
            for (i = 0; i < k; i++)
                if (ev_testbed_exec_stop(pids[i], 2.0))
                    rep.killed++;
        }
    }
    /* 3. The namespaces (deleting one destroys its veth end, and so the pair). */
    for (g = 0; g < 2; g++) {
        char ns[40];
        ev_testbed_netns_name(ns, sizeof ns, prefix, g);
        if (!ev_testbed__netns_exists(ns))
            continue;
        if ((rc = ev_testbed__run_in(NULL, err, NULL, 0, "ip", "netns", "del", ns,
                                     (char *)NULL)) != EV_OK) {
            ev_error_prefix(err, "testbed down");
            return rc;
        }
        rep.netns_removed++;
    }
    /* 4. The cgroup (and anything left in it). */
    ev_testbed__cg_paths(&cg, prefix);
    if (cg.version && ev_testbed__cg_kill_and_remove(&cg, &rep.killed, &rep.cgroups_removed) < 0)
        return ev_error_sys(err, EV_ESYS, errno, "testbed down: cannot remove cgroup %s",
                            cg.cpu);
    /* 5. The state folder. */
    ev_testbed__state_dir(dir, sizeof dir, run_dir, prefix);
    d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            char path[600];
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
        if (rmdir(dir) < 0)
            return ev_error_sys(err, EV_ESYS, errno, "testbed down: cannot remove %s", dir);
        rep.state_removed = 1;
    }
    if (report)
        *report = rep;
    return EV_OK;
}

/* ---------------------------------------------------------------- namespaces from C */

int ev_testbed_netns_socket(int *fd, const char *netns, int domain, int type, ev_error *err)
{
    char path[128];
    int self, target, s, e;
    *fd = -1;
    snprintf(path, sizeof path, "/run/netns/%s", netns);
    self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (self < 0)
        return ev_error_sys(err, EV_ESYS, errno, "open /proc/self/ns/net");
    target = open(path, O_RDONLY | O_CLOEXEC);
    if (target < 0) {
        e = errno;
        close(self);
        return ev_error_sys(err, EV_ESYS, e, "open %s", path);
    }
    if (setns(target, CLONE_NEWNET) < 0) {
        e = errno;
        close(self);
        close(target);
        return ev_error_sys(err, EV_ESYS, e, "setns %s", path);
    }
    s = socket(domain, type | SOCK_CLOEXEC, 0);
    e = errno;
    /* Back home; a socket keeps the namespace it was created in. */
    if (setns(self, CLONE_NEWNET) < 0) {
        int e2 = errno;
        if (s >= 0)
            close(s);
        close(self);
        close(target);
        return ev_error_sys(err, EV_ESYS, e2, "setns back to the original namespace");
    }
    close(self);
    close(target);
    if (s < 0)
        return ev_error_sys(err, EV_ESYS, e, "socket in %s", netns);
    *fd = s;
    return EV_OK;
}

/* Connect from netns to addr:port and expect "+PONG" to "PING": 0 yes, -1 not (yet). */
static int ev_testbed__ping(const char *netns, const char *addr, int port)
{
    struct sockaddr_in sa;
    struct timeval tv = { 1, 0 };
    char buf[64];
    ssize_t n;
    size_t got = 0;
    int fd, ok = -1;
    if (ev_testbed_netns_socket(&fd, netns, AF_INET, SOCK_STREAM, NULL) != EV_OK)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, addr, &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        send(fd, "PING\r\n", 6, MSG_NOSIGNAL) == 6) {
        while (got < 7 && (n = recv(fd, buf + got, sizeof buf - 1 - got, 0)) > 0)
            got += (size_t)n;
        buf[got] = '\0';
        if (strncmp(buf, "+PONG\r\n", 7) == 0)
            ok = 0;
    }
    close(fd);
    return ok;
}

static int ev_testbed__wait_ping(const char *netns, const char *addr, int port, pid_t pid,
                                 double timeout_s)
{
    double end = ev_time_now_s() + timeout_s;
    while (ev_time_now_s() < end) {
        if (ev_testbed__ping(netns, addr, port) == 0)
            return 0;
        if (pid > 0 && !ev_testbed_exec_alive(pid))
            return -2;
        ev_time_sleep_s(0.02, NULL);
    }
    return -1;
}

/* ---------------------------------------------------------------- platforms */

int ev_testbed_platform_start(ev_testbed_platform *out, const char *prefix, const char *run_dir,
                              const ev_testbed_platform_options *po, ev_error *err)
{
    ev_testbed_options o;
    ev_testbed__cg cg;
    ev_testbed_platform ps[EV_TESTBED_MAX_PLATFORMS], p;
    ev_testbed_spawn sp = EV_TESTBED_SPAWN_INIT;
    char gns[40], cns[40], sport[16], log[320], dir[256], sbuf[32], lis[64], con[64], dump[64];
    pid_t redis = 0, relay = 0;
    int rc, n, i, relay_path = (po->flags & EV_TESTBED_P_RELAY) != 0, mode, cport = 0, w;
    int swseg = (po->flags & EV_TESTBED_P_SWSEG) != 0;

    memset(out, 0, sizeof *out);
    if ((rc = ev_testbed_parse_prefix(prefix, err)) != EV_OK)
        return rc;
    if (po->port < 1 || po->port > 65535)
        return ev_error_set(err, EV_ERANGE, "port %d: outside 1..65535", po->port);
    if (po->relay_buffer < 1024 || po->relay_buffer > (16 << 20))
        return ev_error_set(err, EV_ERANGE, "relay buffer %d: outside 1024..16777216",
                            po->relay_buffer);
    if (relay_path && (!po->relay_path || !po->relay_path[0]))
        return ev_error_set(err, EV_EINVAL, "a relay path needs the edgevirt-relay program");
    if ((rc = ev_testbed_check_host(err)) != EV_OK)
        return rc;
    if ((rc = ev_testbed__load_state(&o, prefix, run_dir, err)) != EV_OK)
        return rc;

    memset(&p, 0, sizeof p);
    p.flags = po->flags;
    p.port = po->port;
    if (relay_path) {
        p.backend_port = po->backend_port > 0 ? po->backend_port
                         : (po->port <= 64535 ? po->port + 1000 : po->port - 1000);
        p.relay_buffer = po->relay_buffer;
        if (p.backend_port == p.port || p.backend_port > 65535)
            return ev_error_set(err, EV_ERANGE, "backend port %d: must differ from port %d and "
                                "be <= 65535", p.backend_port, p.port);
    }
    n = ev_testbed__load_platforms(ps, EV_TESTBED_MAX_PLATFORMS, run_dir, prefix);
    for (i = 0; i < n; i++) {
        if (!ps[i].redis_alive)
            continue;
        if (ps[i].port == p.port || ps[i].backend_port == p.port ||
            (p.backend_port && (ps[i].port == p.backend_port ||
                                ps[i].backend_port == p.backend_port)))
            return ev_error_set(err, EV_EINVAL, "port %d%s%s: already used by platform %s on "
                                "port %d (stop it first)", p.port,
                                p.backend_port ? " or backend port " : "",
                                p.backend_port ? "in use" : "",
                                ev_testbed_platform_name(ps[i].flags), ps[i].port);
    }
    mode = ev_testbed__running_mode(run_dir, prefix, &cport);
    if (mode >= 0 && mode != swseg)
        return ev_error_set(err, EV_EINVAL, "platform %s needs the link %s software "
                            "segmentation, but the platform on port %d runs %s it: stop it "
                            "first", ev_testbed_platform_name(po->flags), swseg ? "with" :
                            "without", cport, mode ? "with" : "without");
    if ((rc = ev_testbed__apply_mode(&o, swseg, err)) != EV_OK)
        return rc;

    ev_testbed_netns_name(gns, sizeof gns, prefix, 1);
    ev_testbed_netns_name(cns, sizeof cns, prefix, 0);
    ev_testbed__cg_paths(&cg, prefix);
    sp.netns = gns;
    sp.cpu = o.gateway_cpu;
    if (cg.version && ev_testbed__exists(cg.cpu)) {
        sp.procs[0] = cg.procs_cpu;
        if (strcmp(cg.acct, cg.cpu) != 0 && ev_testbed__exists(cg.acct))
            sp.procs[1] = cg.procs_acct;
    } else if (o.gateway_quota > 0.0) {
        return ev_error_set(err, EV_ESYS, "testbed '%s' has a gateway quota of %g cores, but "
                            "its cgroup edgevirt-%s is not visible from here (%s): the "
                            "platform would run outside the quota. Run start-platform "
                            "outside `ip netns exec` (it enters the namespace itself), or "
                            "mount the cgroup file systems again inside the namespace (as "
                            "scripts/calibrate-testbed.sh does), or run `up` again", prefix,
                            o.gateway_quota, prefix, cg.version ? cg.cpu :
                            "no cgroup mounts under /sys/fs/cgroup or any ancestor's root");
    }
    ev_testbed__state_dir(dir, sizeof dir, run_dir, prefix);

    /* Redis: the "guest". Without persistence, in the foreground, logging to the state dir. */
    snprintf(sport, sizeof sport, "%d", relay_path ? p.backend_port : p.port);
    snprintf(log, sizeof log, "%s/redis-%d.log", dir, p.port);
    snprintf(dump, sizeof dump, "dump-%d.rdb", p.port);
    sp.log_path = log;
    {
        char *argv[] = { (char *)po->redis_server, "--port", sport, "--bind",
                         relay_path ? "127.0.0.1" : EV_TESTBED_GATEWAY_ADDR,
                         "--save", "", "--appendonly", "no", "--protected-mode", "no",
                         "--daemonize", "no", "--dir", dir, "--dbfilename", dump,
                         "--tcp-backlog", "511", NULL };
        if ((rc = ev_testbed_exec_daemon(&redis, &sp, argv, err)) != EV_OK) {
            ev_error_prefix(err, "start redis-server");
            return rc;
        }
    }
    w = ev_testbed__wait_ping(gns, relay_path ? "127.0.0.1" : EV_TESTBED_GATEWAY_ADDR,
                              relay_path ? p.backend_port : p.port, redis, po->ready_timeout_s);
    if (w != 0) {
        ev_testbed_exec_stop(redis, 2.0);
        return ev_error_set(err, EV_ECHILD, "redis-server on port %s %s (see %s)", sport,
                            w == -2 ? "exited at start" : "did not answer PING in time", log);
    }
    /* The relay: the "VMM" backend. */
    if (relay_path) {
        snprintf(log, sizeof log, "%s/relay-%d.log", dir, p.port);
        snprintf(lis, sizeof lis, "%s:%d", EV_TESTBED_GATEWAY_ADDR, p.port);
        snprintf(con, sizeof con, "127.0.0.1:%d", p.backend_port);
        snprintf(sbuf, sizeof sbuf, "%d", p.relay_buffer);
        {
            char *argv[] = { (char *)po->relay_path, "--listen", lis, "--connect", con,
                             "--buffer", sbuf, "--stats", NULL };
            rc = ev_testbed_exec_daemon(&relay, &sp, argv, err);
        }
        if (rc != EV_OK) {
            ev_testbed_exec_stop(redis, 2.0);
            ev_error_prefix(err, "start edgevirt-relay");
            return rc;
        }
    }
    /* Ready when the client namespace gets PONG through the whole path. */
    w = ev_testbed__wait_ping(cns, EV_TESTBED_GATEWAY_ADDR, p.port, relay ? relay : redis,
                              po->ready_timeout_s);
    if (w != 0) {
        if (relay)
            ev_testbed_exec_stop(relay, 2.0);
        ev_testbed_exec_stop(redis, 2.0);
        return ev_error_set(err, EV_ECHILD, "platform %s on %s:%d does not answer from the "
                            "client namespace (see %s)", ev_testbed_platform_name(p.flags),
                            EV_TESTBED_GATEWAY_ADDR, p.port, log);
    }
    /* With a quota, the processes must really be in its cgroup: say so if they are not. */
    if (o.gateway_quota > 0.0) {
        pid_t who[2];
        int k;
        who[0] = redis;
        who[1] = relay;
        for (k = 0; k < 2; k++) {
            if (who[k] > 0 && ev_testbed__cg_has_pid(cg.version, prefix, (int)who[k]) != 1) {
                if (relay)
                    ev_testbed_exec_stop(relay, 2.0);
                ev_testbed_exec_stop(redis, 2.0);
                return ev_error_set(err, EV_ESYS, "%s (pid %d) is not in the gateway quota "
                                    "cgroup %s (see /proc/%d/cgroup), so the %g-core quota "
                                    "would not apply: stopped it. Run start-platform outside "
                                    "`ip netns exec`, or mount the cgroup file systems inside "
                                    "the namespace (as scripts/calibrate-testbed.sh does)",
                                    k ? "edgevirt-relay" : "redis-server", (int)who[k], cg.cpu,
                                    (int)who[k], o.gateway_quota);
            }
        }
    }
    p.redis_pid = (int)redis;
    p.relay_pid = (int)relay;
    p.redis_alive = 1;
    p.relay_alive = relay != 0;
    if ((rc = ev_testbed__save_platform(run_dir, prefix, &p, err)) != EV_OK) {
        if (relay)
            ev_testbed_exec_stop(relay, 2.0);
        ev_testbed_exec_stop(redis, 2.0);
        return rc;
    }
    *out = p;
    return EV_OK;
}

int ev_testbed_platform_stop(const char *prefix, const char *run_dir, int port, ev_error *err)
{
    ev_testbed_platform ps[EV_TESTBED_MAX_PLATFORMS];
    ev_testbed_options o;
    int n, i, found = 0, rc;
    if ((rc = ev_testbed_parse_prefix(prefix, err)) != EV_OK)
        return rc;
    n = ev_testbed__load_platforms(ps, EV_TESTBED_MAX_PLATFORMS, run_dir, prefix);
    for (i = 0; i < n; i++) {
        char path[300];
        if (port && ps[i].port != port)
            continue;
        found++;
        if (ps[i].relay_alive)
            ev_testbed_exec_stop((pid_t)ps[i].relay_pid, 2.0);
        if (ps[i].redis_alive)
            ev_testbed_exec_stop((pid_t)ps[i].redis_pid, 3.0);
        snprintf(path, sizeof path, "%s/%s/platform-%d.json", run_dir, prefix, ps[i].port);
        unlink(path);
    }
    if (port && !found)
        return ev_error_set(err, EV_ENOENT, "no platform on port %d in testbed '%s'", port,
                            prefix);
    /* Back to the settings of `up` once nothing needs a special link mode. */
    if (ev_testbed__running_mode(run_dir, prefix, NULL) < 0 &&
        ev_testbed__load_state(&o, prefix, run_dir, NULL) == EV_OK &&
        (rc = ev_testbed__apply_mode(&o, 0, err)) != EV_OK)
        return rc;
    return EV_OK;
}

/* ---------------------------------------------------------------- status, enter */

int ev_testbed_status_get(ev_testbed_status *out, const char *prefix, const char *run_dir,
                          ev_error *err)
{
    ev_testbed__cg cg;
    int g, rc;
    memset(out, 0, sizeof *out);
    if ((rc = ev_testbed_parse_prefix(prefix, err)) != EV_OK)
        return rc;
    snprintf(out->prefix, sizeof out->prefix, "%s", prefix);
    out->configured = ev_testbed__load_state(&out->options, prefix, run_dir, NULL) == EV_OK;
    out->up = 1;
    for (g = 0; g < 2; g++) {
        ev_testbed_side_status *s = &out->side[g];
        pid_t pids[256];
        ev_error e = EV_ERROR_INIT;
        ev_testbed_netns_name(s->netns, sizeof s->netns, prefix, g);
        s->netns_present = ev_testbed__netns_exists(s->netns);
        s->link.mtu = -1;
        s->offloads.tso = s->offloads.gso = s->offloads.gro = -1;
        if (s->netns_present) {
            s->dev_present = ev_testbed__read_link(s, s->netns, g, &e) == EV_OK;
            s->processes = ev_testbed__netns_pids(pids, 256, s->netns);
        }
        if (!s->dev_present || s->link.up != 1)
            out->up = 0;
    }
    ev_testbed__cg_paths(&cg, prefix);
    out->cgroup_usage_s = -1.0;
    if (cg.version && ev_testbed__exists(cg.cpu)) {
        char path[220], buf[256];
        out->cgroup_version = cg.version;
        snprintf(out->cgroup_path, sizeof out->cgroup_path, "%s", cg.cpu);
        if (cg.version == 1) {
            long q = -1, per = 0;
            snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", cg.cpu);
            if (ev_testbed__read_text(buf, sizeof buf, path) == 0)
                q = atol(buf);
            snprintf(path, sizeof path, "%s/cpu.cfs_period_us", cg.cpu);
            if (ev_testbed__read_text(buf, sizeof buf, path) == 0)
                per = atol(buf);
            out->cgroup_quota_cores = (q > 0 && per > 0) ? (double)q / (double)per : 0.0;
            snprintf(path, sizeof path, "%s/cpuacct.usage", cg.acct);
            if (ev_testbed__read_text(buf, sizeof buf, path) == 0)
                out->cgroup_usage_s = (double)strtoull(buf, NULL, 10) / 1e9;
        } else {
            char *p;
            snprintf(path, sizeof path, "%s/cpu.max", cg.cpu);
            if (ev_testbed__read_text(buf, sizeof buf, path) == 0 && strncmp(buf, "max", 3)) {
                long q = atol(buf), per = 0;
                p = strchr(buf, ' ');
                if (p)
                    per = atol(p + 1);
                out->cgroup_quota_cores = per > 0 ? (double)q / (double)per : 0.0;
            }
            snprintf(path, sizeof path, "%s/cpu.stat", cg.cpu);
            if (ev_testbed__read_text(buf, sizeof buf, path) == 0 &&
                (p = strstr(buf, "usage_usec ")) != NULL)
                out->cgroup_usage_s = (double)strtoull(p + 11, NULL, 10) / 1e6;
        }
    }
    out->n_platforms = ev_testbed__load_platforms(out->platforms, EV_TESTBED_MAX_PLATFORMS,
                                                  run_dir, prefix);
    return EV_OK;
}

int ev_testbed_enter(const char *prefix, const char *run_dir, int gateway, int cpu,
                     ev_error *err)
{
    ev_testbed_options o;
    ev_testbed__cg cg;
    ev_testbed_spawn sp = EV_TESTBED_SPAWN_INIT;
    char ns[40];
    int rc;
    if ((rc = ev_testbed_parse_prefix(prefix, err)) != EV_OK)
        return rc;
    if ((rc = ev_testbed__load_state(&o, prefix, run_dir, err)) != EV_OK)
        return rc;
    ev_testbed_netns_name(ns, sizeof ns, prefix, gateway);
    sp.netns = ns;
    sp.cpu = cpu == -2 ? (gateway ? o.gateway_cpu : o.client_cpu) : cpu;
    if (gateway) {
        ev_testbed__cg_paths(&cg, prefix);
        if (cg.version && ev_testbed__exists(cg.cpu)) {
            sp.procs[0] = cg.procs_cpu;
            if (strcmp(cg.acct, cg.cpu) != 0 && ev_testbed__exists(cg.acct))
                sp.procs[1] = cg.procs_acct;
        } else if (o.gateway_quota > 0.0) {
            return ev_error_set(err, EV_ESYS, "testbed '%s' has a gateway quota of %g cores, "
                                "but its cgroup edgevirt-%s is not visible from here: the "
                                "command would run outside the quota. Run enter outside `ip "
                                "netns exec`, or mount the cgroup file systems again inside "
                                "the namespace (as scripts/calibrate-testbed.sh does)", prefix,
                                o.gateway_quota, prefix);
        }
    }
    return ev_testbed_exec_prepare(&sp, err);
}
