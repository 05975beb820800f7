/* edgevirt-sample: run a command and print the CPU / thread / interface accounting of exactly
 * the window in which it ran, as JSON (docs/measurement.md). Thin main over ev_sys. */
#include "ev_sampler.h"
#include "ev_version.h"
#include <cjson/cJSON.h>
#include "ev_sampler_json.h"
#include "ev_fs.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXN 256

typedef struct sample_config {
    int cpus[MAXN]; size_t ncpus;
    int pids[MAXN]; size_t npids;
    ev_sampler_iface ifaces[MAXN]; size_t nifaces;
    double interval_s;
    int child;          /* also account the command's own process */
    int series;
    const char *root;
    const char *output; /* NULL = stdout */
    char **argv;        /* the command */
} sample_config;

static void usage(FILE *f)
{
    fputs("Usage: edgevirt-sample [OPTIONS] -- COMMAND [ARG...]\n"
          "Run COMMAND and print, as JSON, what the machine did during exactly that window:\n"
          "mpstat's CPU categories (per CPU, for a CPU set in percent of one core, and mpstat's\n"
          "\"all\" line), per-process/thread CPU of the given PIDs (VMM, vCPU threads, vhost-PID\n"
          "threads) and interface packet/byte counters, plus a per-interval series.\n\n"
          "Options:\n"
          "  --cpus LIST         CPU set summed in cpu_set, e.g. 0,1 or 0-3 (default: all online)\n"
          "  --pid PID           account this process and its threads (repeatable)\n"
          "  --child             also account COMMAND's own process\n"
          "  --iface IF[=ROLE]   count interface IF; ROLE is instance or nic (repeatable)\n"
          "  --interval S        series period in seconds (default 1; 0 = no series)\n"
          "  --no-series         leave the series out of the output\n"
          "  --root DIR          read DIR/proc and DIR/sys instead of /proc and /sys\n"
          "  -o, --output FILE   write the JSON to FILE (atomically) instead of stdout\n"
          "  -h, --help          this text\n"
          "  -V, --version       version and library versions\n\n"
          "Exit status: 0 when sampling worked and COMMAND exited 0; 1 when COMMAND failed or\n"
          "sampling failed at run time (the JSON is still printed when sampling worked, with\n"
          "\"command_status\"); 2 for bad arguments.\n"
          "Example: edgevirt-sample --cpus 0 --pid $(pidof redis-server) --iface lo -- \\\n"
          "           redis-benchmark -q -n 100000 -t get\n", f);
}

static int parse_int(const char *s, int *v)
{
    char *end;
    long x;
    errno = 0;
    x = strtol(s, &end, 10);
    if (errno || end == s || *end || x < 0 || x > 1 << 30)
        return -1;
    *v = (int)x;
    return 0;
}

static int parse_cpus(sample_config *c, const char *arg, ev_error *err)
{
    char buf[1024], *tok, *save = NULL;
    snprintf(buf, sizeof buf, "%s", arg);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(tok, '-');
        int lo, hi, i;
        if (dash) {
            *dash = '\0';
            if (parse_int(tok, &lo) || parse_int(dash + 1, &hi) || hi < lo)
                return ev_error_set(err, EV_EUSAGE, "--cpus %s: bad range", arg);
        } else if (parse_int(tok, &lo)) {
            return ev_error_set(err, EV_EUSAGE, "--cpus %s: \"%s\" is not a CPU number", arg, tok);
        } else {
            hi = lo;
        }
        for (i = lo; i <= hi; i++) {
            if (c->ncpus >= MAXN || i >= EV_CPU_MAX)
                return ev_error_set(err, EV_EUSAGE, "--cpus %s: too many or too large", arg);
            c->cpus[c->ncpus++] = i;
        }
    }
    if (c->ncpus == 0)
        return ev_error_set(err, EV_EUSAGE, "--cpus: empty list");
    return EV_OK;
}

static int parse_args(sample_config *c, int argc, char **argv, ev_error *err)
{
    static const struct option opts[] = {
        { "cpus", required_argument, NULL, 'c' }, { "pid", required_argument, NULL, 'p' },
        { "child", no_argument, NULL, 'C' }, { "iface", required_argument, NULL, 'i' },
        { "interval", required_argument, NULL, 'I' }, { "no-series", no_argument, NULL, 'N' },
        { "root", required_argument, NULL, 'r' }, { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
    };
    int ch;
    memset(c, 0, sizeof *c);
    c->interval_s = 1.0;
    c->series = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "+ho:", opts, NULL)) != -1) {
        switch (ch) {
        case 'h':
            return 1;
        case 'c': {
            int rc = parse_cpus(c, optarg, err);
            if (rc != EV_OK)
                return rc;
            break;
        }
        case 'p': {
            int v;
            if (parse_int(optarg, &v) || v <= 0)
                return ev_error_set(err, EV_EUSAGE, "--pid %s: not a process id", optarg);
            if (c->npids >= MAXN)
                return ev_error_set(err, EV_EUSAGE, "--pid: more than %d", MAXN);
            c->pids[c->npids++] = v;
            break;
        }
        case 'C':
            c->child = 1;
            break;
        case 'i': {
            ev_sampler_iface *f;
            char buf[128], *eq;
            if (c->nifaces >= MAXN)
                return ev_error_set(err, EV_EUSAGE, "--iface: more than %d", MAXN);
            f = &c->ifaces[c->nifaces];
            if (strlen(optarg) >= sizeof buf)
                return ev_error_set(err, EV_EUSAGE, "--iface %s: too long", optarg);
            memcpy(buf, optarg, strlen(optarg) + 1);
            f->role = -1;
            eq = strchr(buf, '=');
            if (eq) {
                *eq = '\0';
                if (strcmp(eq + 1, "instance") == 0)
                    f->role = EV_ROLE_INSTANCE;
                else if (strcmp(eq + 1, "nic") == 0)
                    f->role = EV_ROLE_NIC;
                else
                    return ev_error_set(err, EV_EUSAGE,
                                        "--iface %s: role must be instance or nic", optarg);
            }
            if (!buf[0] || strlen(buf) >= sizeof f->ifname)
                return ev_error_set(err, EV_EUSAGE, "--iface %s: interface name empty or longer "
                                    "than %d bytes", optarg, (int)sizeof f->ifname - 1);
            memcpy(f->ifname, buf, strlen(buf) + 1);
            c->nifaces++;
            break;
        }
        case 'I': {
            char *end;
            errno = 0;
            c->interval_s = strtod(optarg, &end);
            if (errno || end == optarg || *end || c->interval_s < 0 || c->interval_s > 3600)
                return ev_error_set(err, EV_EUSAGE, "--interval %s: seconds in [0, 3600]", optarg);
            break;
        }
        case 'N':
            c->series = 0;
            break;
        case 'r':
            c->root = optarg;
            break;
        case 'o':
            c->output = optarg;
            break;
        default:
            return ev_error_set(err, EV_EUSAGE, "unknown option or missing value: %s",
                                argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return ev_error_set(err, EV_EUSAGE, "no COMMAND given (edgevirt-sample [OPTIONS] -- COMMAND)");
    c->argv = argv + optind;
    return EV_OK;
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
        print_version("edgevirt-sample");
        return 0;
    }
    sample_config c;
    ev_sampler_options o = EV_SAMPLER_OPTIONS_INIT;
    ev_sampler *s = NULL;
    ev_sampler_result r;
    ev_error err = EV_ERROR_INIT;
    int rc, go[2], st = 0, cmd_failed;
    pid_t child;
    char *json = NULL, status[64];
    struct sigaction ign, old_int, old_term;

    setlocale(LC_ALL, "C");
    rc = parse_args(&c, argc, argv, &err);
    if (rc == 1) {
        usage(stdout);
        return 0;
    }
    if (rc != EV_OK) {
        fprintf(stderr, "edgevirt-sample: %s\n", err.msg);
        fprintf(stderr, "Try 'edgevirt-sample --help'.\n");
        return ev_exit_code(rc);
    }
    /* the command waits on a pipe until the first snapshot is taken, so its own PID can be
     * sampled and the window covers all of its run */
    if (pipe(go) != 0) {
        perror("edgevirt-sample: pipe");
        return 1;
    }
    child = fork();
    if (child < 0) {
        perror("edgevirt-sample: fork");
        return 1;
    }
    if (child == 0) {
        char b;
        close(go[1]);
        if (read(go[0], &b, 1) != 1)
            _exit(126); /* the sampler could not start */
        close(go[0]);
        execvp(c.argv[0], c.argv);
        fprintf(stderr, "edgevirt-sample: %s: %s\n", c.argv[0], strerror(errno));
        _exit(127);
    }
    close(go[0]);
    if (c.child && c.npids < MAXN)
        c.pids[c.npids++] = (int)child;
    o.root = c.root;
    o.cpus = c.ncpus ? c.cpus : NULL; o.ncpus = c.ncpus;
    o.pids = c.pids; o.npids = c.npids;
    o.ifaces = c.ifaces; o.nifaces = c.nifaces;
    o.interval_s = c.interval_s;
    /* Ctrl-C goes to the command; we stay to print the window it ran in */
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGTERM, &ign, &old_term);
    rc = ev_sampler_start(&s, &o, &err);
    if (rc != EV_OK) {
        close(go[1]);
        waitpid(child, NULL, 0);
        fprintf(stderr, "edgevirt-sample: %s\n", err.msg);
        return ev_exit_code(rc) == 2 ? 2 : 1;
    }
    if (write(go[1], "g", 1) != 1) {
        ev_sampler_free(s);
        perror("edgevirt-sample: starting the command");
        return 1;
    }
    close(go[1]);
    {
        /* wait for the exit but leave the zombie in place, so that its /proc entry (and the
         * CPU time of its whole life) can still be read by the last snapshot */
        siginfo_t si;
        while (waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
            ;
    }
    rc = ev_sampler_stop(s, &r, &err);
    while (waitpid(child, &st, 0) < 0 && errno == EINTR)
        ;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (rc != EV_OK) {
        fprintf(stderr, "edgevirt-sample: %s\n", err.msg);
        return 1;
    }
    if (WIFEXITED(st))
        snprintf(status, sizeof status, "exit %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(status, sizeof status, "signal %d", WTERMSIG(st));
    else
        snprintf(status, sizeof status, "unknown");
    cmd_failed = !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    rc = ev_sampler_result_to_json(&json, &r, c.series);
    ev_sampler_result_free(&r);
    if (rc != EV_OK) {
        fprintf(stderr, "edgevirt-sample: out of memory\n");
        return 1;
    }
    /* add the command's status as the last member (formatting stays in ev_sampler_json) */
    {
        size_t n = strlen(json);
        char *full = malloc(n + 128);
        if (!full) {
            free(json);
            return 1;
        }
        memcpy(full, json, n - 2); /* drop "}\n" */
        snprintf(full + n - 2, 128, ",\"command_status\":\"%s\"}\n", status);
        free(json);
        json = full;
    }
    if (c.output) {
        rc = ev_fs_write_atomic(c.output, json, strlen(json), &err);
        if (rc != EV_OK) {
            fprintf(stderr, "edgevirt-sample: %s\n", err.msg);
            free(json);
            return 1;
        }
    } else {
        fputs(json, stdout);
        if (fflush(stdout) != 0 || ferror(stdout)) { /* the measurement would be lost */
            fprintf(stderr, "edgevirt-sample: writing the output failed: %s\n", strerror(errno));
            free(json);
            return 1;
        }
    }
    free(json);
    if (cmd_failed)
        fprintf(stderr, "edgevirt-sample: command %s: %s\n", c.argv[0], status);
    return cmd_failed ? 1 : 0;
}
