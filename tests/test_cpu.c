/* test_cpu.c - ev_cpu (/proc/stat, mpstat formulas) and ev_proc (per-thread accounting).
 *   test_cpu            unit: captured trees in fixtures/proc1 -> proc2, values worked by hand
 *   test_cpu --mpstat   system: the same window measured by us and by the real `mpstat`
 *                       while a bounded busy loop loads CPU 0: every category within 0.5 pt */
#include "ev_cpu.h"
#include "ev_proc.h"
#include "ev_test.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef EV_FIXTURES
#error "EV_FIXTURES must name tests/fixtures"
#endif
#define P1 EV_FIXTURES "/proc1"
#define P2 EV_FIXTURES "/proc2"

/* the busy loops write here so the compiler keeps them */
static volatile unsigned long ev_sink;

static void check_pct(const ev_cpu_pct *p, const double want[EV_CPU_NFIELDS], const char *what)
{
    int c;
    for (c = 0; c < EV_CPU_NFIELDS; c++)
        EV_CHECK_MSG(fabs(p->pct[c] - want[c]) < 1e-9, "%s %%%s = %.17g, expected %.17g", what,
                     ev_cpu_mpstat_name(c), p->pct[c], want[c]);
}

static void unit_cpu(void)
{
    static ev_cpu_stat a, b;
    ev_cpu_pct p;
    ev_error err = EV_ERROR_INIT;
    size_t used = 0;
    int rc;

    EV_CHECK(ev_cpu_delta(5, 3) == 0); /* negative delta clamps at 0 */
    EV_CHECK(ev_cpu_delta(3, 5) == 2);

    rc = ev_cpu_read_stat(&a, P1, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    rc = ev_cpu_read_stat(&b, P2, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    EV_CHECK(a.ncpu == 3 && b.ncpu == 2);
    EV_CHECK(a.online[2] == 1 && b.online[2] == 0);
    EV_CHECK(a.cpu[0].guest == 100 && a.cpu[0].guest_nice == 2 && a.total.user == 3010);

    /* CPU 0: deltas user 150 guest 50 -> usr 100; nice (12-2)-(10-2) = 2; sys 60; idle 173;
     * iowait 5; irq 0; soft 10; steal 0; gnice 0. itv = 150+2+60+173+5+0+10+0 = 400. */
    {
        const double want[EV_CPU_NFIELDS] = {
            [EV_CPU_USER] = 25, [EV_CPU_NICE] = 0.5, [EV_CPU_SYSTEM] = 15, [EV_CPU_IOWAIT] = 1.25,
            [EV_CPU_IRQ] = 0, [EV_CPU_SOFTIRQ] = 2.5, [EV_CPU_STEAL] = 0, [EV_CPU_GUEST] = 12.5,
            [EV_CPU_GNICE] = 0, [EV_CPU_IDLE] = 43.25 };
        ev_cpu_percent(&p, &a.cpu[0], &b.cpu[0]);
        check_pct(&p, want, "cpu0");
        EV_CHECK(p.itv == 400);
    }
    /* CPU 1: iowait 100 -> 90 while idle grows: mpstat takes prev iowait = 90 (delta 0).
     * user 100, sys 50, idle 230, soft 10, steal 10: itv = 400 (a naive sum would give 390). */
    {
        const double want[EV_CPU_NFIELDS] = {
            [EV_CPU_USER] = 25, [EV_CPU_SYSTEM] = 12.5, [EV_CPU_IOWAIT] = 0, [EV_CPU_SOFTIRQ] = 2.5,
            [EV_CPU_STEAL] = 2.5, [EV_CPU_IDLE] = 57.5 };
        ev_cpu_percent(&p, &a.cpu[1], &b.cpu[1]);
        check_pct(&p, want, "cpu1");
        EV_CHECK(p.itv == 400);
    }
    /* "all": CPU 2 went offline (frozen, adds nothing); sums over CPUs 0 and 1, itv 800:
     * usr 200, nice 2, sys 110, iowait 5, soft 20, steal 10, guest 50, idle 403. */
    {
        const double want[EV_CPU_NFIELDS] = {
            [EV_CPU_USER] = 25, [EV_CPU_NICE] = 0.25, [EV_CPU_SYSTEM] = 13.75,
            [EV_CPU_IOWAIT] = 0.625, [EV_CPU_SOFTIRQ] = 2.5, [EV_CPU_STEAL] = 1.25,
            [EV_CPU_GUEST] = 6.25, [EV_CPU_IDLE] = 50.375 };
        ev_cpu_percent_all(&p, &a, &b);
        check_pct(&p, want, "all");
        EV_CHECK(p.itv == 800);
    }
    /* a CPU set in percent of ONE core: the sum of the per-CPU lines */
    {
        const int set[] = { 0, 1, 2 };
        const double want[EV_CPU_NFIELDS] = {
            [EV_CPU_USER] = 50, [EV_CPU_NICE] = 0.5, [EV_CPU_SYSTEM] = 27.5, [EV_CPU_IOWAIT] = 1.25,
            [EV_CPU_SOFTIRQ] = 5, [EV_CPU_STEAL] = 2.5, [EV_CPU_GUEST] = 12.5,
            [EV_CPU_IDLE] = 100.75 };
        ev_cpu_percent_set(&p, &a, &b, set, 3, &used);
        check_pct(&p, want, "set{0,1,2}");
        EV_CHECK(used == 2); /* CPU 2 offline at the end */
        ev_cpu_percent_set(&p, &a, &b, NULL, 0, &used);
        check_pct(&p, want, "set(all)");
    }
    /* tickless CPU (no change): 100 % idle, as mpstat prints */
    {
        const double want[EV_CPU_NFIELDS] = { [EV_CPU_IDLE] = 100 };
        ev_cpu_percent(&p, &a.cpu[2], &a.cpu[2]);
        check_pct(&p, want, "tickless");
        EV_CHECK(p.itv == 0);
    }
    /* guest counted ahead of user (user-guest goes backwards): %usr 0 and mpstat's ishift
     * adds the lost ticks back to itv: prev user 100 guest 10, cur user 105 guest 20,
     * idle +100: user-guest 90 -> 85 (clamped, shift 5); itv = 5 + 100 + 5 = 110. */
    {
        ev_cpu_times x = { .user = 100, .guest = 10, .idle = 1000 };
        ev_cpu_times y = { .user = 105, .guest = 20, .idle = 1100 };
        const double want[EV_CPU_NFIELDS] = { [EV_CPU_USER] = 0, [EV_CPU_GUEST] = 1000.0 / 110,
                                              [EV_CPU_IDLE] = 10000.0 / 110 };
        ev_cpu_percent(&p, &x, &y);
        check_pct(&p, want, "guest>user");
        EV_CHECK(p.itv == 110);
    }
    /* malformed input names the line */
    {
        static ev_cpu_stat z;
        rc = ev_cpu_parse_stat(&z, "cpu  1 2 3 4\ncpu0 1 x 3 4\n", &err);
        EV_CHECK(rc == EV_EPARSE);
        EV_CHECK_MSG(strstr(err.msg, "proc/stat:2") != NULL, "%s", err.msg);
        rc = ev_cpu_parse_stat(&z, "intr 1\n", &err);
        EV_CHECK(rc == EV_EPARSE);
        rc = ev_cpu_read_stat(&z, EV_FIXTURES "/nonexistent", &err);
        EV_CHECK(rc == EV_ENOENT);
        /* old kernel: 4 columns only */
        rc = ev_cpu_parse_stat(&z, "cpu  1 2 3 4\ncpu0 1 2 3 4\n", &err);
        EV_CHECK(rc == EV_OK && z.cpu[0].idle == 4 && z.cpu[0].steal == 0);
    }
}

static void unit_proc(void)
{
    ev_task_stat t;
    ev_proc_snap a, b;
    ev_proc_ticks k;
    ev_thread_cpu tc;
    ev_error err = EV_ERROR_INIT;
    int rc;

    /* name with spaces and parentheses: parse after the LAST ')' */
    rc = ev_proc_read_stat(&t, P2, 4242, 4244, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    EV_CHECK_STR(t.comm, "worker (a) b)");
    EV_CHECK(t.tid == 4244 && t.state == 'R' && t.utime == 6 && t.stime == 6 && t.guest_time == 0);
    rc = ev_proc_parse_stat(&t, "77 (CPU 0/TCG) R 1 2 3 4 5 6 7 8 9 10 11 12\n", &err);
    EV_CHECK(rc == EV_OK && t.utime == 11 && t.stime == 12 && t.guest_time == 0);
    EV_CHECK_STR(t.comm, "CPU 0/TCG");
    rc = ev_proc_parse_stat(&t, "77 (x) R 1 2\n", &err);
    EV_CHECK(rc == EV_EPARSE);
    rc = ev_proc_parse_stat(&t, "77 x R 1 2\n", &err);
    EV_CHECK(rc == EV_EPARSE);

    EV_CHECK(ev_proc_classify("CPU 0/KVM") == EV_TASK_VCPU);
    EV_CHECK(ev_proc_classify("CPU 12/TCG") == EV_TASK_VCPU);
    EV_CHECK(ev_proc_classify("fc_vcpu 0") == EV_TASK_VCPU);
    EV_CHECK(ev_proc_classify("vcpu3") == EV_TASK_VCPU);
    EV_CHECK(ev_proc_classify("vhost-4242") == EV_TASK_VHOST);
    EV_CHECK(ev_proc_classify("vhost-") == EV_TASK_VMM);
    EV_CHECK(ev_proc_classify("qemu-system-x86") == EV_TASK_VMM);
    EV_CHECK(ev_proc_classify("CPU hog") == EV_TASK_VMM);
    EV_CHECK(ev_proc_classify("fc_api") == EV_TASK_VMM);

    /* TCG QEMU 4242 over 2 s at 100 Hz. vCPU: user 180, sys 4. vhost: in-process thread
     * 4245 appears with stime 20 (counted from 0) + kernel thread 4300: 350-300 = 50 -> 70;
     * vhost-999 is not ours. Process: user 211, sys 65 -> VMM user 211-180 = 31,
     * VMM sys 65-4-20 = 41. Percent = ticks / 100 / 2 * 100 = ticks / 2. */
    rc = ev_proc_snapshot(&a, P1, 4242, 1, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    rc = ev_proc_snapshot(&b, P2, 4242, 1, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    EV_CHECK(a.ntasks == 3 && b.ntasks == 4 && a.nvhost == 1 && b.nvhost == 1);
    ev_proc_ticks_compute(&k, &a, &b);
    EV_CHECK(k.vcpu_user == 180 && k.vcpu_system == 4 && k.vcpu_guest == 0);
    EV_CHECK(k.vhost_system == 70);
    EV_CHECK(k.vmm_user == 31 && k.vmm_system == 41);
    EV_CHECK(k.nvcpu == 1 && k.nvhost == 2);
    ev_proc_thread_cpu(&tc, &k, 2.0, 100);
    EV_CHECK(tc.present == 1);
    EV_CHECK_NEAR(tc.vcpu_user, 90, 1e-12);
    EV_CHECK_NEAR(tc.vcpu_system, 2, 1e-12);
    EV_CHECK_NEAR(tc.vcpu_guest, 0, 1e-12);
    EV_CHECK_NEAR(tc.vhost_system, 35, 1e-12);
    EV_CHECK_NEAR(tc.vmm_user, 15.5, 1e-12);
    EV_CHECK_NEAR(tc.vmm_system, 20.5, 1e-12);
    EV_CHECK_STR(tc.basis, "tcg"); /* guest work is vcpu_user, not relabelled guest */
    ev_proc_snap_free(&a);
    ev_proc_snap_free(&b);

    /* KVM Firecracker 5000: vCPU user (300-200)-(100-50) = 50, guest 150, sys 10;
     * process user (720-200)-(500-50) = 70 -> VMM user 20, VMM sys 20-10 = 10. */
    rc = ev_proc_snapshot(&a, P1, 5000, 0, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    rc = ev_proc_snapshot(&b, P2, 5000, 0, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    ev_proc_ticks_compute(&k, &a, &b);
    EV_CHECK(k.vcpu_user == 50 && k.vcpu_guest == 150 && k.vcpu_system == 10);
    EV_CHECK(k.vmm_user == 20 && k.vmm_system == 10);
    ev_proc_thread_cpu(&tc, &k, 1.0, 100);
    EV_CHECK_STR(tc.basis, "kvm");
    EV_CHECK_NEAR(tc.vcpu_guest, 150, 1e-12);
    /* a negative delta (snapshots swapped) clamps at 0 */
    ev_proc_ticks_compute(&k, &b, &a);
    EV_CHECK(k.vcpu_user == 0 && k.vcpu_guest == 0 && k.vmm_system == 0 && k.proc_user == 0);
    ev_proc_snap_free(&a);
    ev_proc_snap_free(&b);

    rc = ev_proc_snapshot(&a, P1, 99999, 0, &err);
    EV_CHECK(rc == EV_ENOENT);
    ev_proc_snap_free(&a);
}

/* ---- against the real mpstat ------------------------------------------------------------ */

static volatile sig_atomic_t burn_stop;
static void on_term(int sig) { (void)sig; burn_stop = 1; }

/* Child: bounded busy loop on CPU 0 (user arithmetic + read(2) of /dev/zero for system time);
 * stops on SIGTERM or after 15 s by itself. */
static pid_t start_burner(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        cpu_set_t set;
        static char buf[65536];
        time_t t0 = time(NULL);
        FILE *z = fopen("/dev/zero", "r");
        signal(SIGTERM, on_term);
        CPU_ZERO(&set);
        CPU_SET(0, &set);
        sched_setaffinity(0, sizeof set, &set);
        while (!burn_stop && time(NULL) - t0 < 15) {
            unsigned long i;
            for (i = 0; i < 200000; i++)
                ev_sink += i * i;
            if (z)
                (void)!fread(buf, 1, sizeof buf, z);
        }
        _exit(0);
    }
    return pid;
}

/* Run mpstat with stdout into a malloc'ed buffer. */
static char *run_mpstat(int interval)
{
    int fds[2];
    char ivs[16], *out = NULL;
    size_t n = 0, cap = 0;
    pid_t pid;
    if (pipe(fds) != 0)
        return NULL;
    snprintf(ivs, sizeof ivs, "%d", interval);
    pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        setenv("LC_ALL", "C", 1);
        execlp("mpstat", "mpstat", "-P", "ALL", "-o", "JSON", ivs, "1", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    for (;;) {
        ssize_t r;
        if (n + 4096 > cap) {
            char *nb = realloc(out, cap + 65536);
            if (!nb)
                break;
            out = nb;
            cap += 65536;
        }
        r = read(fds[0], out + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fds[0]);
    {
        int st = 0;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            free(out);
            return NULL;
        }
    }
    if (out)
        out[n] = '\0';
    return out;
}

static const cJSON *cpu_load(const cJSON *root)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "sysstat"), "hosts");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(h, 0), "statistics");
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(st, 0), "cpu-load");
}

/* One attempt: returns the largest |difference| over all lines and categories, or -1. */
static double mpstat_attempt(int verbose)
{
    static ev_cpu_stat a, b;
    ev_error err = EV_ERROR_INIT;
    char *txt;
    cJSON *root;
    const cJSON *load, *line;
    double worst = 0;
    int lines = 0;

    /* snapshots immediately before mpstat's first read and right after its last one: mpstat
     * reads /proc/stat at start-up and after the interval, then prints and exits */
    if (ev_cpu_read_stat(&a, NULL, &err) != EV_OK)
        return -1;
    txt = run_mpstat(4);
    if (ev_cpu_read_stat(&b, NULL, &err) != EV_OK || !txt) {
        free(txt);
        return -1;
    }
    root = cJSON_Parse(txt);
    free(txt);
    load = cpu_load(root);
    cJSON_ArrayForEach(line, load) {
        const cJSON *cpu = cJSON_GetObjectItemCaseSensitive(line, "cpu");
        ev_cpu_pct p;
        int c;
        if (!cJSON_IsString(cpu))
            continue;
        if (strcmp(cpu->valuestring, "all") == 0) {
            ev_cpu_percent_all(&p, &a, &b);
        } else {
            int id = atoi(cpu->valuestring);
            if (id < 0 || id >= EV_CPU_MAX || !a.online[id] || !b.online[id])
                continue;
            ev_cpu_percent(&p, &a.cpu[id], &b.cpu[id]);
        }
        for (c = 0; c < EV_CPU_NFIELDS; c++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(line, ev_cpu_mpstat_name(c));
            double d;
            if (!cJSON_IsNumber(v))
                continue;
            d = fabs(v->valuedouble - p.pct[c]);
            if (d > worst)
                worst = d;
            if (verbose)
                printf("cpu %-3s %-6s mpstat %6.2f  ev_cpu %9.4f  diff %.4f\n", cpu->valuestring,
                       ev_cpu_mpstat_name(c), v->valuedouble, p.pct[c], d);
        }
        lines++;
    }
    cJSON_Delete(root);
    return lines >= 2 ? worst : -1;
}

static int system_mpstat(void)
{
    pid_t burner;
    double worst = -1;
    int attempt;
    if (system("command -v mpstat >/dev/null 2>&1") != 0) {
        printf("skipped: mpstat (sysstat) is not installed\n");
        return EV_TEST_SKIP;
    }
    burner = start_burner();
    EV_CHECK(burner > 0);
    usleep(300000); /* let the load settle before the window opens */
    /* The machine is shared: another process may start or stop exactly at a window edge, which
     * can move one tick (0.25 pt at 4 s) between the two tools. Up to 3 windows; the check
     * is that one agrees within 0.5 pt in every category, and each window is printed. */
    for (attempt = 1; attempt <= 3; attempt++) {
        worst = mpstat_attempt(1);
        printf("window %d: largest difference %.4f percentage points\n", attempt, worst);
        if (worst >= 0 && worst <= 0.5)
            break;
    }
    if (burner > 0) {
        kill(burner, SIGTERM);
        waitpid(burner, NULL, 0);
    }
    EV_CHECK_MSG(worst >= 0, "mpstat failed or printed no per-CPU lines");
    EV_CHECK_MSG(worst <= 0.5, "largest difference %.4f > 0.5 percentage points", worst);
    return ev_test_done();
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--mpstat") == 0)
        return system_mpstat();
    unit_cpu();
    unit_proc();
    return ev_test_done();
}
