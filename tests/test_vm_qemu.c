/* test_vm_qemu.c GUESTDIR TAP GUEST_IP NETNS - run by tests/vm_qemu.sh, which created the
 * network namespace NETNS and the tap TAP in it: boots the real Linux guest
 * (scripts/build-guest.sh) with the qemu driver (flavour linuxvm, -accel tcg, virtio-net
 * vhost=off on TAP, "netns": NETNS so QEMU runs inside the namespace and the PING is sent from
 * there), waits for a real PONG (60 s), runs a short bounded load inside the namespace
 * (ip netns exec NETNS redis-benchmark -n 2000 -c 5, SET then GET, killed after 60 s),
 * and checks the per-thread accounting: the vCPU thread "CPU 0/TCG" is found, its CPU time
 * grows during the load (> 0), and guest_time stays 0 under TCG (tcg-vm.md). Prints the
 * numbers it saw. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ev_driver.h"
#ifdef EV_HAVE_SYS
#include "ev_sampler.h"
#endif
#include "ev_time.h"
#include "ev_test.h"

/* utime, stime, guest_time (ticks) of /proc/PID/task/TID/stat; name in comm; RETURNS 0 ok */
static int thread_ticks(pid_t pid, pid_t tid, unsigned long long t[3], char *comm, size_t n)
{
    char p[96], buf[1024], *rp, *lp, *tok, *save = NULL;
    FILE *f;
    size_t got;
    int i;
    snprintf(p, sizeof p, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
    if (!(f = fopen(p, "r")))
        return -1;
    got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = '\0';
    lp = strchr(buf, '(');
    rp = strrchr(buf, ')'); /* the name ("CPU 0/TCG") has spaces: parse after the last ')' */
    if (!lp || !rp)
        return -1;
    snprintf(comm, n, "%.*s", (int)(rp - lp - 1), lp + 1);
    t[0] = t[1] = t[2] = 0;
    for (i = 1, tok = strtok_r(rp + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save), i++) {
        if (i == 12)
            t[0] = strtoull(tok, NULL, 10);
        else if (i == 13)
            t[1] = strtoull(tok, NULL, 10);
        else if (i == 41)
            t[2] = strtoull(tok, NULL, 10);
    }
    return 0;
}

/* redis-benchmark, bounded: killed after timeout_s; rps of the first result line in rps_out */
static int bench(const char *ns, const char *host, const char *test, double timeout_s,
                 double *rps_out)
{
    char out[] = "/tmp/edgevirt-vmbench-XXXXXX", line[512];
    int fd = mkstemp(out), st = 0, ok = 0;
    double end = ev_time_now_s() + timeout_s;
    pid_t pid;
    FILE *f;
    *rps_out = 0;
    if (fd < 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        char *argv[] = {"ip", "netns", "exec", (char *)ns, "redis-benchmark", "-h", (char *)host,
                        "-p", "6379", "-n", "2000", "-c", "5", "-t", (char *)test, "-q", NULL};
        dup2(fd, 1);
        dup2(fd, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fd);
    for (;;) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            break;
        if (ev_time_now_s() > end) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            break;
        }
        ev_time_sleep_s(0.05, NULL);
    }
    if ((f = fopen(out, "r"))) {
        while (fgets(line, sizeof line, f)) {
            char *p = strstr(line, "requests per second");
            char *c = strrchr(line, '\r'); /* -q rewrites the line with \r */
            if (p && !ok) {
                const char *s = c ? c + 1 : line;
                s = strchr(s, ':');
                if (s) {
                    *rps_out = strtod(s + 1, NULL);
                    ok = 1;
                }
            }
            fputs(line, stdout);
        }
        fclose(f);
    }
    unlink(out);
    return (WIFEXITED(st) && WEXITSTATUS(st) == 0 && ok) ? 0 : -1;
}

int main(int argc, char **argv)
{
    char json[2048], comm[64];
    ev_error err = EV_ERROR_INIT;
    ev_driver *d = NULL;
    ev_driver_pids pids;
    cJSON *j;
    int rc, i, vcpu_idx = -1;
    double t0, t_ready, rps_set = 0, rps_get = 0;
    unsigned long long before[3] = {0}, after[3] = {0}, main_b[3] = {0}, main_a[3] = {0};

    if (argc < 5) {
        fprintf(stderr, "usage: test_vm_qemu GUESTDIR TAP GUEST_IP NETNS\n");
        return 2;
    }
    snprintf(json, sizeof json,
             "{\"driver\": \"qemu\", \"flavour\": \"linuxvm\", \"accel\": \"tcg\", "
             "\"kernel\": \"%s/vmlinuz\", \"initrd\": \"%s/initramfs.cpio.gz\", "
             "\"append\": \"console=ttyS0 panic=1 quiet ev_ip=%s/24\", \"mem_mib\": 256, "
             "\"tap\": \"%s\", \"host\": \"%s\", \"port\": 6379, \"name\": \"evtest\", "
             "\"netns\": \"%s\"}",
             argv[1], argv[1], argv[3], argv[2], argv[3], argv[4]);
    j = cJSON_Parse(json);
    rc = ev_driver_new(&d, j, "vm", &err);
    cJSON_Delete(j);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (!d)
        return ev_test_done();

    t0 = ev_time_now_s();
    rc = ev_driver_start(d, &err);
    EV_CHECK_MSG(rc == EV_OK, "start: %s", err.msg);
    rc = rc == EV_OK ? ev_driver_ready(d, 60.0, &err) : rc;
    EV_CHECK_MSG(rc == EV_OK, "ready: %s", err.msg);
    t_ready = ev_time_now_s() - t0;
    if (rc != EV_OK) {
        ev_driver_free(d);
        return ev_test_done();
    }
    printf("guest answered PONG %.2f s after start (QEMU %s, TCG)\n", t_ready,
           ev_driver_get_info(d)->version);

    rc = ev_driver_get_pids(d, &pids, &err);
    EV_CHECK_MSG(rc == EV_OK, "pids: %s", err.msg);
    EV_CHECK_MSG(pids.n_vcpu == 1, "vCPU threads found: %d", pids.n_vcpu);
    EV_CHECK(pids.n_vhost == 0); /* vhost=off */
    for (i = 0; i < pids.n_vcpu; i++)
        if (thread_ticks(pids.vmm, pids.vcpu[i], before, comm, sizeof comm) == 0 &&
            strcmp(comm, "CPU 0/TCG") == 0)
            vcpu_idx = i;
    EV_CHECK_MSG(vcpu_idx >= 0, "no thread named \"CPU 0/TCG\"");
    thread_ticks(pids.vmm, pids.vmm, main_b, comm, sizeof comm);

#ifdef EV_HAVE_SYS
    {
        /* the sys engineer's sampler over the load window, as the runner will use it */
        ev_sampler_options o = EV_SAMPLER_OPTIONS_INIT;
        ev_sampler *s = NULL;
        ev_sampler_result r;
        int vmm = (int)pids.vmm;
        memset(&r, 0, sizeof r);
        o.pids = &vmm;
        o.npids = 1;
        o.interval_s = 0;
        rc = ev_sampler_start(&s, &o, &err);
        EV_CHECK_MSG(rc == EV_OK, "sampler: %s", err.msg);
        EV_CHECK_MSG(bench(argv[4], argv[3], "set", 60.0, &rps_set) == 0,
                     "redis-benchmark SET failed");
        EV_CHECK_MSG(bench(argv[4], argv[3], "get", 60.0, &rps_get) == 0,
                     "redis-benchmark GET failed");
        if (rc == EV_OK && ev_sampler_stop(s, &r, &err) == EV_OK && r.nprocs == 1) {
            const ev_thread_cpu *t = &r.procs[0].cpu;
            printf("ev_sampler over %.2f s: vCPU user %.1f %% system %.1f %% guest %.1f %%, VMM "
                   "(minus vCPU) user %.1f %% system %.1f %%, basis %s\n",
                   r.window_s, t->vcpu_user, t->vcpu_system, t->vcpu_guest, t->vmm_user,
                   t->vmm_system, t->basis);
            EV_CHECK(r.procs[0].present);
            EV_CHECK_MSG(t->vcpu_user > 0, "sampler: vCPU user time %.3g", t->vcpu_user);
            EV_CHECK_MSG(t->vcpu_guest == 0, "sampler: guest %.3g under TCG", t->vcpu_guest);
            EV_CHECK_STR(t->basis, "tcg");
        } else {
            EV_CHECK_MSG(0, "sampler stop: %s", err.msg);
        }
        ev_sampler_result_free(&r);
    }
#else
    EV_CHECK_MSG(bench(argv[4], argv[3], "set", 60.0, &rps_set) == 0, "redis-benchmark SET failed");
    EV_CHECK_MSG(bench(argv[4], argv[3], "get", 60.0, &rps_get) == 0, "redis-benchmark GET failed");
#endif
    EV_CHECK(rps_set > 0 && rps_get > 0);
    EV_CHECK_MSG(ev_driver_check(d, &err) == EV_OK, "%s", err.msg);

    if (vcpu_idx >= 0) {
        thread_ticks(pids.vmm, pids.vcpu[vcpu_idx], after, comm, sizeof comm);
        thread_ticks(pids.vmm, pids.vmm, main_a, comm, sizeof comm);
        printf("load: SET %.0f rps, GET %.0f rps (2000 requests each, 5 clients)\n", rps_set,
               rps_get);
        printf("vCPU thread \"CPU 0/TCG\" during the load: utime %llu, stime %llu, guest %llu "
               "ticks; main thread utime %llu, stime %llu ticks\n",
               after[0] - before[0], after[1] - before[1], after[2] - before[2],
               main_a[0] - main_b[0], main_a[1] - main_b[1]);
        EV_CHECK_MSG(after[0] + after[1] > before[0] + before[1],
                     "vCPU thread CPU did not grow during the load");
        EV_CHECK_MSG(after[2] == 0, "guest_time %llu under TCG (expected 0)", after[2]);
    }
    rc = ev_driver_stop(d, 10.0, &err);
    EV_CHECK_MSG(rc == EV_OK, "stop: %s", err.msg);
    ev_driver_free(d);
    return ev_test_done();
}
