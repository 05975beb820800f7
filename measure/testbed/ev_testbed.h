/* ev_testbed.h - a two-host testbed on one machine, and emulated platform paths on it.
 *
 * Two network namespaces, "<prefix>client" and "<prefix>gateway", joined by a veth pair
 * (EV_TESTBED_CLIENT_DEV in the client, EV_TESTBED_GATEWAY_DEV in the gateway) with the
 * addresses EV_TESTBED_CLIENT_ADDR and EV_TESTBED_GATEWAY_ADDR (/24), which exist only inside
 * those namespaces. Options: tbf link rate on both ends, MTU, segmentation offloads, the CPU the
 * gateway's processes are pinned to (and the client's), and a CPU quota (cgroup v1 or v2) that
 * emulates a slower gateway core.
 *
 * Every external command (ip, tc, ethtool, redis-server, edgevirt-relay) is started with
 * fork + execvp and an argv array: no shell. State lives in RUN_DIR/PREFIX/ (default
 * /run/edgevirt/PREFIX): testbed.json (the settings of `up`) and platform-PORT.json (one per
 * running platform path, with its pids).
 *
 * The library never prints and never exits; errors come back as ev_err codes with detail. */
#ifndef EV_TESTBED_H
#define EV_TESTBED_H

#include <stddef.h>
#include "ev_err.h"
#include "ev_testbed_parse.h"

#define EV_TESTBED_DEFAULT_PREFIX "ev"
#define EV_TESTBED_DEFAULT_RUN_DIR "/run/edgevirt"
#define EV_TESTBED_CLIENT_DEV "evc0"
#define EV_TESTBED_GATEWAY_DEV "evg0"
#define EV_TESTBED_CLIENT_ADDR "10.77.0.1"
#define EV_TESTBED_GATEWAY_ADDR "10.77.0.2"
#define EV_TESTBED_PLEN 24

typedef struct ev_testbed_options {
    char prefix[EV_TESTBED_PREFIX_MAX + 1];
    char run_dir[192];
    double link_rate_bps;   /* tbf rate on both ends, bits/s; 0: no rate limit (default 1e9) */
    int mtu;                /* 576..65535 (default 1500) */
    int offload;            /* 1: tso+gso on (veth default), 0: tso, gso, gro off (default 1) */
    int gateway_cpu;        /* CPU the gateway's processes are pinned to; -1: not pinned */
    int client_cpu;         /* CPU for `exec client`; -1: not pinned */
    double gateway_quota;   /* CPU quota of the gateway's cgroup, in cores (0.3 = 30 % of one
                               core); 0: no quota */
    int quota_period_us;    /* CFS period (1000..1000000, default 100000) */
} ev_testbed_options;

/* Defaults: prefix "ev", run dir /run/edgevirt, 1 Gbit/s, MTU 1500, offloads on, gateway on
 * CPU 1 and client on CPU 0 when there are at least 2 CPUs (otherwise both -1), no quota. */
void ev_testbed_options_default(ev_testbed_options *o);

/* Check ranges and CPU numbers against this host. RETURNS EV_OK or EV_EINVAL/EV_ERANGE. */
int ev_testbed_options_validate(const ev_testbed_options *o, ev_error *err);

/* Namespace names for a prefix ("<prefix>client", "<prefix>gateway") into buf. */
void ev_testbed_netns_name(char *buf, size_t len, const char *prefix, int gateway);

/* Can this process run the testbed? RETURNS EV_OK, or EV_ESYS with a message saying what is
 * missing (not root, no `ip` with netns support, ...). */
int ev_testbed_check_host(ev_error *err);

/* Create the testbed, or, if it exists (both namespaces and the veth pair), re-apply the
 * settings (idempotent). Partial leftovers of a crash are removed first. The settings are read
 * back (MTU, offloads) and a mismatch is an error. RETURNS EV_OK or an ev_err. */
int ev_testbed_up(const ev_testbed_options *o, ev_error *err);

/* What `down` removed (plain data). */
typedef struct ev_testbed_down_report {
    int killed;          /* processes stopped (in the namespaces or the cgroup) */
    int netns_removed;   /* 0..2 */
    int cgroups_removed;
    int state_removed;   /* 1 if a state folder was removed */
} ev_testbed_down_report;

/* Stop every process in the testbed's namespaces and cgroup, delete the namespaces, the cgroup
 * and the state folder. Idempotent: nothing present is not an error. report may be NULL.
 * RETURNS EV_OK or an ev_err (something could not be removed). */
int ev_testbed_down(ev_testbed_down_report *report, const char *prefix, const char *run_dir,
                    ev_error *err);

/* A running platform path. */
typedef struct ev_testbed_platform {
    int flags;              /* EV_TESTBED_P_* */
    int port;               /* client-facing port on EV_TESTBED_GATEWAY_ADDR */
    int backend_port;       /* Redis's port on 127.0.0.1 in the gateway (relay paths), else 0 */
    int redis_pid;          /* the "guest" process */
    int relay_pid;          /* the "VMM" process (relay paths), else 0 */
    int redis_alive, relay_alive;   /* filled by ev_testbed_status */
    int relay_buffer;       /* bytes (relay paths) */
} ev_testbed_platform;

typedef struct ev_testbed_platform_options {
    int flags;                 /* EV_TESTBED_P_* */
    int port;                  /* 1..65535 */
    int backend_port;          /* 0: port + 1000 (port - 1000 above 64535) */
    int relay_buffer;          /* default 65536 */
    const char *redis_server;  /* default "redis-server" (searched in PATH) */
    const char *relay_path;    /* path of edgevirt-relay; required for relay paths */
    double ready_timeout_s;    /* default 5 */
} ev_testbed_platform_options;

#define EV_TESTBED_PLATFORM_OPTIONS_INIT { 0, 6379, 0, 65536, "redis-server", NULL, 5.0 }

/* Start a platform path in the gateway namespace: redis-server (and edgevirt-relay in front of
 * it for relay paths), pinned to the gateway CPU and placed in the gateway cgroup, and wait
 * until it answers PING from the client namespace. Paths with swseg switch the link to
 * offloads off and MTU min(MTU of `up`, 1276); paths without restore the settings of `up`;
 * platforms needing different link modes cannot run at once (EV_EINVAL).
 * OUT *out. RETURNS EV_OK or an ev_err; on failure nothing started is left running. */
int ev_testbed_platform_start(ev_testbed_platform *out, const char *prefix, const char *run_dir,
                              const ev_testbed_platform_options *po, ev_error *err);

/* Stop the platform listening on `port` (0: all). When none is left the link goes back to the
 * settings of `up`. RETURNS EV_OK, EV_ENOENT (no platform on that port) or an ev_err. */
int ev_testbed_platform_stop(const char *prefix, const char *run_dir, int port, ev_error *err);

#define EV_TESTBED_MAX_PLATFORMS 32

/* State read back from the system (plain data). */
typedef struct ev_testbed_side_status {
    char netns[40];
    int netns_present;
    int dev_present;
    ev_testbed_linkinfo link;     /* valid when dev_present */
    ev_testbed_offloads offloads; /* valid when dev_present */
    int processes;                /* processes in the namespace */
} ev_testbed_side_status;

typedef struct ev_testbed_status {
    char prefix[EV_TESTBED_PREFIX_MAX + 1];
    int up;                       /* both namespaces and devices present, devices UP */
    int configured;               /* testbed.json found */
    ev_testbed_options options;   /* the settings of `up` (valid when configured) */
    ev_testbed_side_status side[2];   /* 0 client, 1 gateway */
    int cgroup_version;           /* 0 none, 1, 2 */
    char cgroup_path[160];        /* cpu controller folder, "" if none */
    double cgroup_quota_cores;    /* read back; 0: no quota */
    double cgroup_usage_s;        /* CPU time used by the gateway cgroup; -1 unknown */
    int n_platforms;
    ev_testbed_platform platforms[EV_TESTBED_MAX_PLATFORMS];
} ev_testbed_status;

/* Read the state of the testbed named by prefix (works also when it is down or half there).
 * RETURNS EV_OK or an ev_err. */
int ev_testbed_status_get(ev_testbed_status *out, const char *prefix, const char *run_dir,
                          ev_error *err);

/* The status as a JSON object text (malloc'ed, caller frees with free()); NULL on no memory.
 * Numbers in the C locale. */
char *ev_testbed_status_json(const ev_testbed_status *st);

/* The platform as a JSON object text (malloc'ed, caller frees); NULL on no memory. */
char *ev_testbed_platform_json(const ev_testbed_platform *p, const char *prefix);

/* Move the calling (single-threaded) process into the client (gateway=0) or gateway (1)
 * namespace, pin it to cpu (-2: the CPU configured by `up`; -1: leave unpinned) and, for the
 * gateway, into the gateway cgroup; meant to be followed by execvp. RETURNS EV_OK or an ev_err. */
int ev_testbed_enter(const char *prefix, const char *run_dir, int gateway, int cpu,
                     ev_error *err);

/* Create a socket inside a namespace (the socket stays in it): lets a process in the root
 * namespace connect from the client side (e.g. hiredis redisConnectFd). OUT *fd.
 * RETURNS EV_OK or EV_ESYS. */
int ev_testbed_netns_socket(int *fd, const char *netns, int domain, int type, ev_error *err);

#endif
