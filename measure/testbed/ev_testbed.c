/* ev_testbed.c - the one-host two-namespace testbed (see ev_testbed.h): options, links, up/down, status, enter. */
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

/* ---------------------------------------------------------------- names and paths */

void ev_testbed_netns_name(char *buf, size_t len, const char *prefix, int gateway)
{
    snprintf(buf, len, "%s%s", prefix, gateway ? "gateway" : "client");
}

void ev_testbed__state_dir(char *buf, size_t len, const char *run_dir, const char *prefix)
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
int ev_testbed__running_mode(const char *run_dir, const char *prefix, int *conflict_port)
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

int ev_testbed__apply_mode(const ev_testbed_options *o, int swseg, ev_error *err)
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
