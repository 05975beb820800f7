/* test_sampler.c - ev_sampler: CPU, processes/threads and interfaces over one window.
 *   test_sampler            unit: the sampler's root is a symlink switched from fixtures/proc1
 *                           to fixtures/proc2 during the window: exact hand-computed results,
 *                           and the per-interval series adds up to the window
 *   test_sampler --threads  system: this process runs named threads ("CPU 0/TCG" burning user
 *                           time, "vhost-PID" burning system time); the sampler must attribute
 *                           each thread's own CPU clock to the right class
 *   test_sampler --tcg      vm: a real QEMU/TCG guest spinning in a boot sector: the work is
 *                           the "CPU 0/TCG" thread's user time, basis "tcg", no guest time
 *   test_sampler --cli EXE  unit: edgevirt-sample's exit codes and JSON output */
#include "ev_sampler.h"
#include "ev_time.h"
#include "ev_test.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef EV_FIXTURES
#error "EV_FIXTURES must name tests/fixtures"
#endif

/* the busy loops write here so the compiler keeps them */
static volatile unsigned long ev_sink;

static int swap_link(const char *link, const char *target)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s.new", link);
    unlink(tmp);
    if (symlink(target, tmp) != 0)
        return -1;
    return rename(tmp, link); /* atomic */
}

static void unit(void)
{
    char dir[] = "/tmp/ev_test_sampler.XXXXXX", root[256];
    const int cpus[] = { 0, 1 }, pids[] = { 4242, 5000 }; /* o.npids = 1 below: 4242 */
    ev_sampler_iface ifs[2];
    ev_sampler_options o = EV_SAMPLER_OPTIONS_INIT;
    ev_sampler *s = NULL;
    ev_sampler_result r;
    ev_record rec;
    ev_error err = EV_ERROR_INIT;
    int rc;
    size_t i;

    EV_CHECK(mkdtemp(dir) != NULL);
    snprintf(root, sizeof root, "%s/root", dir);
    EV_CHECK(swap_link(root, EV_FIXTURES "/proc1") == 0);
    memset(ifs, 0, sizeof ifs);
    snprintf(ifs[0].ifname, sizeof ifs[0].ifname, "tap0");
    ifs[0].role = EV_ROLE_INSTANCE;
    snprintf(ifs[1].ifname, sizeof ifs[1].ifname, "eth0");
    ifs[1].role = EV_ROLE_NIC;
    o.root = root;
    o.cpus = cpus; o.ncpus = 2;
    o.pids = pids; o.npids = 2;
    o.ifaces = ifs; o.nifaces = 2;
    o.interval_s = 0.02;

    /* a CPU the tree does not list is refused at start, naming it */
    {
        const int bad[] = { 0, 7 };
        o.cpus = bad;
        EV_CHECK(ev_sampler_start(&s, &o, &err) == EV_ENOENT && s == NULL);
        EV_CHECK_MSG(strstr(err.msg, "cpu 7") != NULL, "%s", err.msg);
        o.cpus = cpus;
    }
    rc = ev_sampler_start(&s, &o, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (rc != EV_OK)
        return;
    /* wait for the series thread's points (bounded) rather than for a fixed time: a loaded
     * machine (sanitizers, other tests) may not run it within a given sleep */
    {
        double until = ev_time_now_s() + 20;
        while (ev_sampler_points(s) < 1 && ev_time_now_s() < until)
            usleep(10000);
        EV_CHECK(swap_link(root, EV_FIXTURES "/proc2") == 0);
        while (ev_sampler_points(s) < 2 && ev_time_now_s() < until)
            usleep(10000);
        usleep(110000); /* so the window is > 0.1 s even when the thread was quick */
    }
    rc = ev_sampler_stop(s, &r, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (rc != EV_OK)
        return;

    EV_CHECK(r.window_s > 0.1);
    EV_CHECK(r.user_hz > 0);
    /* CPU set {0,1} in percent of one core (test_cpu.c works these out) */
    EV_CHECK_NEAR(r.set.pct[EV_CPU_USER], 50, 1e-9);
    EV_CHECK_NEAR(r.set.pct[EV_CPU_SYSTEM], 27.5, 1e-9);
    EV_CHECK_NEAR(r.set.pct[EV_CPU_GUEST], 12.5, 1e-9);
    EV_CHECK_NEAR(r.set.pct[EV_CPU_IDLE], 100.75, 1e-9);
    EV_CHECK(r.set_ncpus == 2);
    EV_CHECK_NEAR(r.all.pct[EV_CPU_IDLE], 50.375, 1e-9);
    EV_CHECK(r.ncpu == 2 && r.cpu_ids[0] == 0 && r.cpu_ids[1] == 1);
    EV_CHECK_NEAR(r.per_cpu[1].pct[EV_CPU_IDLE], 57.5, 1e-9);
    /* processes: raw ticks are exact; percentages depend on the real window length */
    EV_CHECK(r.nprocs == 2 && r.procs[0].present && r.procs[1].present);
    EV_CHECK(r.procs[0].ticks.vcpu_user == 180 && r.procs[0].ticks.vhost_system == 70 &&
             r.procs[0].ticks.vmm_system == 41);
    EV_CHECK_STR(r.procs[0].cpu.basis, "tcg");
    EV_CHECK_STR(r.procs[1].cpu.basis, "kvm");
    EV_CHECK_NEAR(r.procs[0].cpu.vcpu_user, 180.0 / (double)r.user_hz / r.window_s * 100, 1e-9);
    /* interfaces */
    EV_CHECK(r.nifaces == 2 && r.ifaces[0].tx_packets == 100 && r.ifaces[0].rx_bytes == 15000);
    EV_CHECK(r.ifaces[1].reset == 1 && r.ifaces[1].rx_packets == 20);
    EV_CHECK(r.iface_roles[0] == EV_ROLE_INSTANCE && r.iface_roles[1] == EV_ROLE_NIC);
    EV_CHECK_STR(r.warning, "");
    /* the series telescopes: its deltas add up to the window's */
    EV_CHECK(r.nseries >= 2);
    {
        uint64_t tx = 0, vcpu = 0;
        double tprev = 0;
        int ordered = 1;
        for (i = 0; i < r.nseries; i++) {
            tx += r.series[i].ifaces[0].tx_packets;
            vcpu += r.series[i].procs[0].ticks.vcpu_user;
            ordered &= r.series[i].t_start_s >= tprev - 1e-12 &&
                       r.series[i].t_end_s > r.series[i].t_start_s;
            tprev = r.series[i].t_end_s;
        }
        EV_CHECK(tx == 100);
        EV_CHECK(vcpu == 180);
        EV_CHECK(ordered);
        EV_CHECK_NEAR(tprev, r.window_s, 1e-9);
    }
    /* into a run record, which the formats library accepts */
    ev_record_init(&rec);
    snprintf(rec.platform, sizeof rec.platform, "linuxvm");
    snprintf(rec.point, sizeof rec.point, "linuxvm/GET/64/c50/P1/r0");
    ev_time_iso8601(rec.time, sizeof rec.time);
    rec.value_size = 64;
    rec.rps = 1000;
    ev_sampler_fill_record(&rec, &r, 0);
    rc = ev_record_validate(&rec, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    EV_CHECK(rec.cpu_ncpu == 2);
    EV_CHECK_NEAR(rec.cpu[EV_CPU_USER], 50, 1e-9);
    EV_CHECK_STR(rec.cpu_basis, "mpstat");
    EV_CHECK_STR(rec.threads.basis, "tcg");
    EV_CHECK(rec.ifc[EV_ROLE_INSTANCE].present && rec.ifc[EV_ROLE_INSTANCE].packets[EV_DIR_TX] == 100);
    EV_CHECK_STR(rec.ifc[EV_ROLE_NIC].ifname, "eth0");
    ev_sampler_result_free(&r);
    ev_sampler_result_free(&r); /* idempotent */

    /* callback form, no series */
    {
        o.pids = pids; o.npids = 1; o.nifaces = 0; o.interval_s = 0;
        EV_CHECK(swap_link(root, EV_FIXTURES "/proc1") == 0);
        rc = ev_sample_during(&r, &o, NULL, NULL, NULL, &err);
        EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
        EV_CHECK(rc == EV_OK && r.nseries == 0 && r.procs[0].ticks.vcpu_user == 0);
        ev_sampler_result_free(&r);
    }
    /* failures */
    {
        const int gone[] = { 99999 };
        ev_sampler_options bad = o;
        bad.pids = gone; bad.npids = 1;
        rc = ev_sampler_start(&s, &bad, &err);
        EV_CHECK(rc == EV_ENOENT && s == NULL);
        bad = o;
        snprintf(ifs[0].ifname, sizeof ifs[0].ifname, "nosuch0");
        bad.ifaces = ifs; bad.nifaces = 1;
        rc = ev_sampler_start(&s, &bad, &err);
        EV_CHECK(rc == EV_ENOENT);
        EV_CHECK_MSG(strstr(err.msg, "nosuch0") != NULL, "%s", err.msg);
        bad = o;
        bad.version = 99;
        EV_CHECK(ev_sampler_start(&s, &bad, &err) == EV_EINVAL);
        bad = o;
        bad.npids = 3; bad.pids = NULL;
        EV_CHECK(ev_sampler_start(&s, &bad, &err) == EV_EINVAL);
        ev_sampler_free(NULL);
    }
    unlink(root);
    rmdir(dir);
}

/* ---- live threads ---------------------------------------------------------------------- */

typedef struct burner {
    const char *name;
    int sys;                /* 1: read(2) from /dev/zero (system time); 0: arithmetic */
    double seconds;
    double cpu_s;           /* out: the thread's own CPU clock when it finished burning */
    pthread_mutex_t *m;
    pthread_cond_t *cv;
    int *release;
} burner;

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *burn(void *arg)
{
    burner *b = arg;
    static char buf[65536];
    FILE *z = b->sys ? fopen("/dev/zero", "r") : NULL;
    pthread_setname_np(pthread_self(), b->name);
    while (thread_cpu_s() < b->seconds) { /* bounded by its own CPU time ... */
        unsigned long i;
        if (z)
            (void)!fread(buf, 1, sizeof buf, z);
        else
            for (i = 0; i < 100000; i++)
                ev_sink += i * i;
    }
    if (z)
        fclose(z);
    b->cpu_s = thread_cpu_s();
    /* ... and stays alive, idle, until the sampler has stopped (a thread gone before the end
     * of the window cannot be attributed any more) */
    pthread_mutex_lock(b->m);
    while (!*b->release)
        pthread_cond_wait(b->cv, b->m);
    pthread_mutex_unlock(b->m);
    return NULL;
}

static int threads(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    int release = 0, pid = (int)getpid();
    char vhost_name[16];
    burner b[2];
    pthread_t th[2];
    ev_sampler_options o = EV_SAMPLER_OPTIONS_INIT;
    ev_sampler *s = NULL;
    ev_sampler_result r;
    ev_error err = EV_ERROR_INIT;
    double hz, vcpu_s, vhost_s;
    int rc, i;
    uint64_t series_vcpu = 0;
    size_t k;

    snprintf(vhost_name, sizeof vhost_name, "vhost-%d", pid % 10000000);
    b[0] = (burner){ "CPU 0/TCG", 0, 0.8, 0, &m, &cv, &release };
    b[1] = (burner){ vhost_name, 1, 0.5, 0, &m, &cv, &release };
    o.pids = &pid; o.npids = 1;
    o.interval_s = 0.25;
    rc = ev_sampler_start(&s, &o, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (rc != EV_OK)
        return ev_test_done();
    for (i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, burn, &b[i]);
    /* wait until both finished burning (bounded: 30 s of wall time at most) */
    for (i = 0; i < 3000 && (b[0].cpu_s == 0 || b[1].cpu_s == 0); i++)
        usleep(10000);
    usleep(30000);
    rc = ev_sampler_stop(s, &r, &err);
    pthread_mutex_lock(&m);
    release = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&m);
    for (i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (rc != EV_OK)
        return ev_test_done();

    hz = (double)r.user_hz;
    vcpu_s = (double)(r.procs[0].ticks.vcpu_user + r.procs[0].ticks.vcpu_system) / hz;
    vhost_s = (double)(r.procs[0].ticks.vhost_user + r.procs[0].ticks.vhost_system) / hz;
    printf("window %.3f s; \"CPU 0/TCG\": clock %.3f s, sampled %.3f s (user %.2f%%, sys %.2f%%); "
           "\"%s\": clock %.3f s, sampled %.3f s (sys %.2f%%); vmm user %.2f%% sys %.2f%%; "
           "basis %s; %zu series points\n",
           r.window_s, b[0].cpu_s, vcpu_s, r.procs[0].cpu.vcpu_user, r.procs[0].cpu.vcpu_system,
           vhost_name, b[1].cpu_s, vhost_s, r.procs[0].cpu.vhost_system, r.procs[0].cpu.vmm_user,
           r.procs[0].cpu.vmm_system, r.procs[0].cpu.basis, r.nseries);
    /* the kernel splits each thread's exact runtime into utime/stime ticks: within 3 ticks */
    EV_CHECK_NEAR(vcpu_s, b[0].cpu_s, 3.0 / hz);
    EV_CHECK_NEAR(vhost_s, b[1].cpu_s, 3.0 / hz);
    EV_CHECK(r.procs[0].ticks.vcpu_user > r.procs[0].ticks.vcpu_system); /* arithmetic: user */
    EV_CHECK(r.procs[0].ticks.vhost_system > 0);                         /* read(2): system */
    EV_CHECK(r.procs[0].ticks.nvcpu == 1 && r.procs[0].ticks.nvhost == 1);
    EV_CHECK(r.procs[0].ticks.vcpu_guest == 0);
    EV_CHECK_STR(r.procs[0].cpu.basis, "tcg");
    /* the VMM share (main thread) is not charged with the named threads' work */
    EV_CHECK((double)(r.procs[0].ticks.vmm_user + r.procs[0].ticks.vmm_system) / hz < 0.2);
    EV_CHECK(r.nseries >= 2);
    for (k = 0; k < r.nseries; k++)
        series_vcpu += r.series[k].procs[0].ticks.vcpu_user;
    EV_CHECK(series_vcpu == r.procs[0].ticks.vcpu_user);
    ev_sampler_result_free(&r);
    return ev_test_done();
}

/* ---- a real TCG guest ------------------------------------------------------------------ */

static int sleep_fn(void *payload)
{
    usleep((useconds_t)(*(double *)payload * 1e6));
    return 0;
}

/* QEMU under TCG boots a 512-byte boot sector that spins (jmp $): the guest's work must show
 * up as user time of the "CPU 0/TCG" thread, with no guest time anywhere (tcg-vm.md). */
static int tcg(void)
{
    char img[] = "/tmp/ev_test_tcg.XXXXXX", drive[128], path[128];
    unsigned char sector[512];
    ev_sampler_options o = EV_SAMPLER_OPTIONS_INIT;
    ev_sampler_result r;
    ev_error err = EV_ERROR_INIT;
    double secs = 1.5;
    int fd, rc, i, qpid, found = 0;
    pid_t q;

    if (system("command -v qemu-system-x86_64 >/dev/null 2>&1") != 0) {
        printf("skipped: qemu-system-x86_64 is not installed\n");
        return EV_TEST_SKIP;
    }
    memset(sector, 0, sizeof sector);
    sector[0] = 0xEB; sector[1] = 0xFE;     /* jmp $ */
    sector[510] = 0x55; sector[511] = 0xAA; /* boot signature */
    fd = mkstemp(img);
    EV_CHECK(fd >= 0 && write(fd, sector, sizeof sector) == (ssize_t)sizeof sector);
    if (fd >= 0)
        close(fd);
    snprintf(drive, sizeof drive, "file=%s,format=raw,if=ide", img);
    q = fork();
    if (q == 0) {
        int dn = open("/dev/null", O_RDWR);
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlives the test */
        if (dn >= 0) {
            dup2(dn, 0);
            dup2(dn, 1);
        }
        execlp("qemu-system-x86_64", "qemu-system-x86_64", "-accel", "tcg", "-name",
               "evtest,debug-threads=on", "-display", "none", "-nodefaults", "-m", "16",
               "-drive", drive, "-no-reboot", (char *)NULL);
        _exit(127);
    }
    qpid = (int)q;
    /* wait (at most 10 s) for the vCPU thread, then 0.5 s for the BIOS to reach the sector */
    for (i = 0; i < 100 && !found; i++) {
        DIR *d;
        struct dirent *de;
        usleep(100000);
        snprintf(path, sizeof path, "/proc/%d/task", qpid);
        d = opendir(path);
        while (d && (de = readdir(d)) != NULL) {
            ev_task_stat t;
            if (de->d_name[0] != '.' &&
                ev_proc_read_stat(&t, NULL, qpid, atoi(de->d_name), &err) == EV_OK &&
                ev_proc_classify(t.comm) == EV_TASK_VCPU)
                found = 1;
        }
        if (d)
            closedir(d);
    }
    EV_CHECK_MSG(found, "no vCPU thread appeared in QEMU %d", qpid);
    usleep(500000);
    o.pids = &qpid; o.npids = 1; o.interval_s = 0.5;
    rc = ev_sample_during(&r, &o, sleep_fn, NULL, &secs, &err);
    kill(q, SIGKILL);
    waitpid(q, NULL, 0);
    unlink(img);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (rc != EV_OK)
        return ev_test_done();
    printf("QEMU/TCG spinning guest over %.3f s: vcpu_user %.2f%% vcpu_system %.2f%% "
           "vcpu_guest %.2f%% vmm_user %.2f%% vmm_system %.2f%%, basis %s; mpstat guest (all) %.2f%%\n",
           r.window_s, r.procs[0].cpu.vcpu_user, r.procs[0].cpu.vcpu_system,
           r.procs[0].cpu.vcpu_guest, r.procs[0].cpu.vmm_user, r.procs[0].cpu.vmm_system,
           r.procs[0].cpu.basis, r.all.pct[EV_CPU_GUEST]);
    EV_CHECK(r.procs[0].present);
    EV_CHECK_STR(r.procs[0].cpu.basis, "tcg");
    EV_CHECK(r.procs[0].ticks.nvcpu == 1);
    EV_CHECK(r.procs[0].ticks.vcpu_guest == 0 && r.procs[0].ticks.proc_guest == 0);
    /* the guest's spin is the vCPU thread's user time, not the VMM's */
    EV_CHECK(r.procs[0].ticks.vcpu_user > 0);
    EV_CHECK(r.procs[0].ticks.vcpu_user > r.procs[0].ticks.vmm_user + r.procs[0].ticks.vmm_system);
    ev_sampler_result_free(&r);
    return ev_test_done();
}

/* ---- the edgevirt-sample CLI ----------------------------------------------------------- */

static int run_status(const char *cmd)
{
    int st = system(cmd);
    return (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
}

static int cli(const char *exe)
{
    char cmd[2048], *buf = NULL;
    size_t cap = 0, n = 0;
    FILE *p;
    cJSON *root, *procs, *ifs, *series;
    snprintf(cmd, sizeof cmd, "%s --help >/dev/null", exe);
    EV_CHECK(run_status(cmd) == 0);
    snprintf(cmd, sizeof cmd, "%s --bogus -- true 2>/dev/null", exe);
    EV_CHECK(run_status(cmd) == 2);
    snprintf(cmd, sizeof cmd, "%s --cpus 1-0 -- true 2>/dev/null", exe);
    EV_CHECK(run_status(cmd) == 2);
    snprintf(cmd, sizeof cmd, "%s --iface nosuch0 -- true 2>/dev/null", exe);
    EV_CHECK(run_status(cmd) == 2);
    snprintf(cmd, sizeof cmd, "%s -- false >/dev/null 2>&1", exe);
    EV_CHECK(run_status(cmd) == 1); /* the command failed: status 1, JSON still printed */
    /* a bounded shell loop as the command, accounted with --child; lo counted */
    snprintf(cmd, sizeof cmd, "%s --child --iface lo=nic --interval 0.1 -- "
             "sh -c 'i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done'", exe);
    p = popen(cmd, "r");
    EV_CHECK(p != NULL);
    if (!p)
        return ev_test_done();
    for (;;) {
        size_t r;
        if (n + 4096 > cap) {
            char *nb = realloc(buf, cap + 65536);
            if (!nb)
                break;
            buf = nb;
            cap += 65536;
        }
        r = fread(buf + n, 1, cap - n - 1, p);
        if (r == 0)
            break;
        n += r;
    }
    EV_CHECK(pclose(p) == 0);
    if (!buf)
        return ev_test_done();
    buf[n] = '\0';
    root = cJSON_Parse(buf);
    EV_CHECK_MSG(root != NULL, "not JSON: %.200s", buf);
    EV_CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(root, "schema")), "edgevirt.sample/1");
    EV_CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(root, "command_status")), "exit 0");
    EV_CHECK(cJSON_GetNumberValue(cJSON_GetObjectItem(root, "window_s")) > 0);
    procs = cJSON_GetObjectItem(root, "processes");
    EV_CHECK(cJSON_GetArraySize(procs) == 1);
    EV_CHECK(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(procs, 0), "present")));
    /* the shell loop burns user time: at least one tick of it is seen in its own process */
    EV_CHECK(cJSON_GetNumberValue(cJSON_GetObjectItem(
                 cJSON_GetObjectItem(cJSON_GetArrayItem(procs, 0), "ticks"), "proc_user")) >= 1);
    ifs = cJSON_GetObjectItem(root, "interfaces");
    EV_CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(ifs, 0), "role")), "nic");
    series = cJSON_GetObjectItem(root, "series");
    EV_CHECK(cJSON_GetArraySize(series) >= 1);
    cJSON_Delete(root);
    free(buf);
    return ev_test_done();
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--tcg") == 0)
        return tcg();
    if (argc > 2 && strcmp(argv[1], "--cli") == 0)
        return cli(argv[2]);

    if (argc > 1 && strcmp(argv[1], "--threads") == 0)
        return threads();
    unit();
    return ev_test_done();
}
