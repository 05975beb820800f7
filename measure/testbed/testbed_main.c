/* testbed_main.c - edgevirt-testbed: set up, inspect and tear down the one-host testbed and
 * start emulated platform paths on it (docs/testbed.md). */
#include "ev_testbed.h"
#include "ev_version.h"
#include <cjson/cJSON.h>
#include "ev_lock.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include "ev_fs.h"

static void usage(FILE *f)
{
    fprintf(f,
"Usage: edgevirt-testbed COMMAND [options]\n"
"\n"
"A two-host testbed on one machine: network namespaces PREFIXclient and PREFIXgateway joined\n"
"by a veth pair (" EV_TESTBED_CLIENT_ADDR " <-> " EV_TESTBED_GATEWAY_ADDR "/24), and emulated\n"
"platform paths (Redis in the gateway) on it. Needs root.\n"
"\n"
"Commands:\n"
"  up [--link-rate RATE|none] [--mtu N] [--offload on|off] [--gateway-cpu N|none]\n"
"     [--client-cpu N|none] [--gateway-quota CORES] [--quota-period-us US]\n"
"                    create the testbed, or re-apply the settings if it exists (idempotent;\n"
"                    leftovers of a crash are removed first). Defaults: 1gbit, 1500, on,\n"
"                    gateway CPU 1, client CPU 0 (on a 2+ CPU host), no quota.\n"
"  down              stop every process in the namespaces, delete them, the cgroup and the\n"
"                    state (idempotent; also cleans up after a crash)\n"
"  status            JSON: namespaces, devices, MTU, offloads, qdisc, cgroup, platforms\n"
"  start-platform NAME --port P [--backend-port Q] [--relay-buffer BYTES]\n"
"     [--redis-server PATH] [--relay PATH]\n"
"                    start a platform path in the gateway; prints JSON with the pids.\n"
"                    NAME: direct, relay, swseg (= direct+swseg), direct+swseg, relay+swseg,\n"
"                    or kata, unikraft-vhost, unikraft-virtio, firecracker, linuxvm\n"
"  stop-platform (--port P | --all)\n"
"  exec client|gateway [--cpu N|none] -- COMMAND [ARGS...]\n"
"                    run COMMAND in a namespace, pinned to the testbed's CPU for that side\n"
"                    (gateway: also in the gateway cgroup)\n"
"\n"
"Common options:\n"
"  --prefix NAME     names the testbed (default \"" EV_TESTBED_DEFAULT_PREFIX "\": netns "
EV_TESTBED_DEFAULT_PREFIX "client, " EV_TESTBED_DEFAULT_PREFIX "gateway)\n"
"  --run-dir DIR     state folder (default " EV_TESTBED_DEFAULT_RUN_DIR ")\n"
"  -h, --help        this text\n"
"  -V, --version     version and library versions\n"
"\n"
"Exit status: 0 success, 1 runtime failure (also: not root), 2 usage or bad value.\n"
"See docs/testbed.md.\n");
}

typedef struct cli {
    ev_testbed_options o;
    ev_testbed_platform_options po;
    int have_port, all, exec_cpu;
    char relay[PATH_MAX];
} cli;

static int fail(int rc, const ev_error *err)
{
    fprintf(stderr, "edgevirt-testbed: %s\n", err->msg[0] ? err->msg : ev_strerror(rc));
    return ev_exit_code(rc);
}

static int parse_cpu(int *out, const char *s, const char *what, ev_error *err)
{
    long v;
    int rc;
    if (strcmp(s, "none") == 0) {
        *out = -1;
        return EV_OK;
    }
    rc = ev_testbed_parse_int(&v, s, 0, 4095, what, err);
    *out = (int)v;
    return rc;
}

/* Default relay program: edgevirt-relay next to this executable, else from PATH. */
static void default_relay(char *buf, size_t len)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    snprintf(buf, len, "edgevirt-relay");
    if (n > 0) {
        char cand[PATH_MAX + 32];
        self[n] = '\0';
        snprintf(cand, sizeof cand, "%s/edgevirt-relay", dirname(self));
        if (access(cand, X_OK) == 0 && strlen(cand) < len)
            memcpy(buf, cand, strlen(cand) + 1);
    }
}

/* Serialize commands that change one testbed (up, down, start/stop-platform): ev_lock (flock,
 * waiting) on RUN_DIR/PREFIX.lock, outside the state folder that `down` removes; the lock file
 * stays, the lock goes with the process. Kept until exit. */
static int lock_testbed(const ev_testbed_options *o, const char *cmd, ev_error *err)
{
    static ev_lock *lk; /* reachable until exit (LeakSanitizer) */
    char path[300], tool[64];
    if (lk)
        return 0;
    if (ev_fs_mkdirs(o->run_dir, err) != EV_OK)
        return -1;
    snprintf(path, sizeof path, "%s/%s", o->run_dir, o->prefix);
    snprintf(tool, sizeof tool, "edgevirt-testbed %s", cmd);
    return ev_lock_acquire(&lk, path, tool, 1, err) == EV_OK ? 0 : -1; /* held until exit */
}

static void print_version(const char *tool)
{
    char buf[512];
    const ev_libver libs[] = { EV_LIBVER_CJSON };
    fputs(ev_version_text(buf, sizeof buf, tool, libs, sizeof libs / sizeof libs[0]), stdout);
}

int main(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        print_version("edgevirt-testbed");
        return 0;
    }
    static const struct option longopts[] = {
        { "prefix", required_argument, NULL, 'p' },
        { "run-dir", required_argument, NULL, 'R' },
        { "link-rate", required_argument, NULL, 1 },
        { "mtu", required_argument, NULL, 2 },
        { "offload", required_argument, NULL, 3 },
        { "gateway-cpu", required_argument, NULL, 4 },
        { "client-cpu", required_argument, NULL, 5 },
        { "gateway-quota", required_argument, NULL, 6 },
        { "quota-period-us", required_argument, NULL, 7 },
        { "port", required_argument, NULL, 8 },
        { "backend-port", required_argument, NULL, 9 },
        { "relay-buffer", required_argument, NULL, 10 },
        { "redis-server", required_argument, NULL, 11 },
        { "relay", required_argument, NULL, 12 },
        { "all", no_argument, NULL, 13 },
        { "cpu", required_argument, NULL, 14 },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli c;
    ev_error err = EV_ERROR_INIT;
    const char *cmd, *arg1 = NULL;
    int opt, rc = EV_OK;
    long v;
    double d;
    char *end;

    setlocale(LC_ALL, "C");
    memset(&c, 0, sizeof c);
    ev_testbed_options_default(&c.o);
    {
        ev_testbed_platform_options pinit = EV_TESTBED_PLATFORM_OPTIONS_INIT;
        c.po = pinit;
    }
    c.exec_cpu = -2;
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "up") && strcmp(cmd, "down") && strcmp(cmd, "status") &&
        strcmp(cmd, "start-platform") && strcmp(cmd, "stop-platform") && strcmp(cmd, "exec")) {
        fprintf(stderr, "edgevirt-testbed: unknown command '%s'\n", cmd);
        usage(stderr);
        return 2;
    }
    argv++;
    argc--;
    if ((!strcmp(cmd, "start-platform") || !strcmp(cmd, "exec")) && argc >= 2 &&
        argv[1][0] != '-') {
        arg1 = argv[1];
        argv++;
        argc--;
    }
    /* "+": stop at the first non-option (the command of `exec`). */
    while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'p':
            snprintf(c.o.prefix, sizeof c.o.prefix, "%.*s", EV_TESTBED_PREFIX_MAX, optarg);
            if (strlen(optarg) > EV_TESTBED_PREFIX_MAX)
                rc = ev_error_set(&err, EV_EINVAL, "--prefix '%s': longer than %d characters",
                                  optarg, EV_TESTBED_PREFIX_MAX);
            break;
        case 'R':
            if (strlen(optarg) >= sizeof c.o.run_dir)
                rc = ev_error_set(&err, EV_EINVAL, "--run-dir: path too long");
            else
                snprintf(c.o.run_dir, sizeof c.o.run_dir, "%s", optarg);
            break;
        case 1: rc = ev_testbed_parse_rate(&c.o.link_rate_bps, optarg, &err); break;
        case 2:
            rc = ev_testbed_parse_int(&v, optarg, 576, 65535, "--mtu", &err);
            c.o.mtu = (int)v;
            break;
        case 3: rc = ev_testbed_parse_onoff(&c.o.offload, optarg, &err); break;
        case 4: rc = parse_cpu(&c.o.gateway_cpu, optarg, "--gateway-cpu", &err); break;
        case 5: rc = parse_cpu(&c.o.client_cpu, optarg, "--client-cpu", &err); break;
        case 6:
            d = strtod(optarg, &end);
            if (end == optarg || *end || d < 0.0)
                rc = ev_error_set(&err, EV_EINVAL, "--gateway-quota '%s': expected a number of "
                                  "cores (0.3 = 30 %% of one core; 0 = no quota)", optarg);
            c.o.gateway_quota = d;
            break;
        case 7:
            rc = ev_testbed_parse_int(&v, optarg, 1000, 1000000, "--quota-period-us", &err);
            c.o.quota_period_us = (int)v;
            break;
        case 8:
            rc = ev_testbed_parse_int(&v, optarg, 1, 65535, "--port", &err);
            c.po.port = (int)v;
            c.have_port = 1;
            break;
        case 9:
            rc = ev_testbed_parse_int(&v, optarg, 1, 65535, "--backend-port", &err);
            c.po.backend_port = (int)v;
            break;
        case 10:
            rc = ev_testbed_parse_int(&v, optarg, 1024, 16L << 20, "--relay-buffer", &err);
            c.po.relay_buffer = (int)v;
            break;
        case 11: c.po.redis_server = optarg; break;
        case 12: snprintf(c.relay, sizeof c.relay, "%s", optarg); break;
        case 13: c.all = 1; break;
        case 14: rc = parse_cpu(&c.exec_cpu, optarg, "--cpu", &err); break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
        if (rc != EV_OK)
            return fail(rc, &err);
    }
    if ((rc = ev_testbed_parse_prefix(c.o.prefix, &err)) != EV_OK)
        return fail(rc, &err);
    if (c.o.run_dir[0] != '/')
        return fail(ev_error_set(&err, EV_EINVAL, "--run-dir '%s': must be an absolute path",
                                 c.o.run_dir), &err);

    if (!strcmp(cmd, "up")) {
        if (optind < argc)
            return fail(ev_error_set(&err, EV_EUSAGE, "up: unexpected argument '%s'",
                                     argv[optind]), &err);
        if ((rc = ev_testbed_options_validate(&c.o, &err)) != EV_OK)
            return fail(rc, &err);
        if (geteuid() == 0 && lock_testbed(&c.o, cmd, &err) < 0)
            return fail(EV_ESYS, &err);
        fprintf(stderr, "edgevirt-testbed: up %s (mtu %d, offloads %s, gateway quota %g "
                "cores)...\n", c.o.prefix, c.o.mtu, c.o.offload ? "on" : "off",
                c.o.gateway_quota);
        if ((rc = ev_testbed_up(&c.o, &err)) != EV_OK)
            return fail(rc, &err);
        return 0;
    }
    if (!strcmp(cmd, "down")) {
        ev_testbed_down_report rep;
        if (optind < argc)
            return fail(ev_error_set(&err, EV_EUSAGE, "down: unexpected argument '%s'",
                                     argv[optind]), &err);
        if (geteuid() == 0 && lock_testbed(&c.o, cmd, &err) < 0)
            return fail(EV_ESYS, &err);
        if ((rc = ev_testbed_down(&rep, c.o.prefix, c.o.run_dir, &err)) != EV_OK)
            return fail(rc, &err);
        printf("{\"prefix\":\"%s\",\"processes_stopped\":%d,\"netns_removed\":%d,"
               "\"cgroups_removed\":%d,\"state_removed\":%s}\n", c.o.prefix, rep.killed,
               rep.netns_removed, rep.cgroups_removed, rep.state_removed ? "true" : "false");
        return 0;
    }
    if (!strcmp(cmd, "status")) {
        ev_testbed_status st;
        char *js;
        if (optind < argc)
            return fail(ev_error_set(&err, EV_EUSAGE, "status: unexpected argument '%s'",
                                     argv[optind]), &err);
        if ((rc = ev_testbed_status_get(&st, c.o.prefix, c.o.run_dir, &err)) != EV_OK)
            return fail(rc, &err);
        js = ev_testbed_status_json(&st);
        if (!js)
            return fail(ev_error_set(&err, EV_ENOMEM, "out of memory"), &err);
        printf("%s\n", js);
        free(js);
        return 0;
    }
    if (!strcmp(cmd, "start-platform")) {
        ev_testbed_platform p;
        char *js;
        if (!arg1 || optind < argc)
            return fail(ev_error_set(&err, EV_EUSAGE, "start-platform: expected one platform "
                                     "NAME and --port P"), &err);
        if (!c.have_port)
            return fail(ev_error_set(&err, EV_EUSAGE, "start-platform: --port is required"),
                        &err);
        if ((rc = ev_testbed_parse_platform(&c.po.flags, arg1, &err)) != EV_OK)
            return fail(rc, &err);
        if (!c.relay[0])
            default_relay(c.relay, sizeof c.relay);
        c.po.relay_path = c.relay;
        if (geteuid() == 0 && lock_testbed(&c.o, cmd, &err) < 0)
            return fail(EV_ESYS, &err);
        if ((rc = ev_testbed_platform_start(&p, c.o.prefix, c.o.run_dir, &c.po, &err)) != EV_OK)
            return fail(rc, &err);
        js = ev_testbed_platform_json(&p, c.o.prefix);
        printf("%s\n", js ? js : "{}");
        free(js);
        return 0;
    }
    if (!strcmp(cmd, "stop-platform")) {
        if (optind < argc || (!c.have_port && !c.all) || (c.have_port && c.all))
            return fail(ev_error_set(&err, EV_EUSAGE, "stop-platform: give --port P or --all"),
                        &err);
        if (geteuid() == 0 && lock_testbed(&c.o, cmd, &err) < 0)
            return fail(EV_ESYS, &err);
        if ((rc = ev_testbed_platform_stop(c.o.prefix, c.o.run_dir, c.all ? 0 : c.po.port,
                                           &err)) != EV_OK)
            return fail(rc, &err);
        return 0;
    }
    /* exec */
    if (!arg1 || (strcmp(arg1, "client") && strcmp(arg1, "gateway")))
        return fail(ev_error_set(&err, EV_EUSAGE, "exec: expected client or gateway"), &err);
    if (optind >= argc)
        return fail(ev_error_set(&err, EV_EUSAGE, "exec: no command given (exec %s -- CMD ...)",
                                 arg1), &err);
    if ((rc = ev_testbed_check_host(&err)) != EV_OK)
        return fail(rc, &err);
    if ((rc = ev_testbed_enter(c.o.prefix, c.o.run_dir, !strcmp(arg1, "gateway"), c.exec_cpu,
                               &err)) != EV_OK)
        return fail(rc, &err);
    execvp(argv[optind], &argv[optind]);
    fprintf(stderr, "edgevirt-testbed: exec %s: cannot run %s: ", arg1, argv[optind]);
    perror(NULL);
    return 127;
}
