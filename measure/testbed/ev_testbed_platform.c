/* ev_testbed_platform.c - sockets in a namespace; start and stop a platform in the gateway netns. */
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
