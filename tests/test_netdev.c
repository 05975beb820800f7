/* test_netdev.c - ev_netdev (/sys/class/net/IF/statistics counters).
 *   test_netdev          unit: captured trees fixtures/proc1 -> proc2 (normal, reset, re-created)
 *   test_netdev --veth   root: a veth pair between two network namespaces this test creates;
 *                        a known number of UDP datagrams of known sizes is sent from one end to
 *                        the other and the counter deltas must match the hand count exactly.
 *                        Skips (77) with a message where namespaces cannot be created.
 *   test_netdev --read IF   (helper, run inside `ip netns exec`): print IF's four counters */
#include "ev_netdev.h"
#include "ev_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef EV_FIXTURES
#error "EV_FIXTURES must name tests/fixtures"
#endif
#define P1 EV_FIXTURES "/proc1"
#define P2 EV_FIXTURES "/proc2"

static void unit(void)
{
    ev_netdev_counters a, b;
    ev_netdev_delta d;
    ev_error err = EV_ERROR_INIT;
    int rc, reset = 0;

    EV_CHECK(ev_netdev_counter_delta(10, 15, &reset) == 5 && reset == 0);
    EV_CHECK(ev_netdev_counter_delta(15, 10, &reset) == 10 && reset == 1);

    /* tap0: rx 1000/10 -> 16000/110: 15000 B in 100 packets (150 B each);
     *       tx 5000/20 -> 156400/120: 151400 B in 100 packets (1514 B each) */
    rc = ev_netdev_read(&a, P1, "tap0", &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    rc = ev_netdev_read(&b, P2, "tap0", &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    EV_CHECK(a.ifindex == 7 && a.rx_bytes == 1000 && a.tx_packets == 20);
    ev_netdev_delta_compute(&d, &a, &b);
    EV_CHECK_STR(d.ifname, "tap0");
    EV_CHECK(d.rx_bytes == 15000 && d.rx_packets == 100 && d.tx_bytes == 151400 && d.tx_packets == 100);
    EV_CHECK_NEAR(d.rx_avg_bytes, 150, 1e-12);
    EV_CHECK_NEAR(d.tx_avg_bytes, 1514, 1e-12);
    EV_CHECK(d.reset == 0);

    /* eth0: every counter smaller at the end (driver reset): deltas = counts since reset */
    rc = ev_netdev_read(&a, P1, "eth0", &err);
    EV_CHECK(rc == EV_OK);
    rc = ev_netdev_read(&b, P2, "eth0", &err);
    EV_CHECK(rc == EV_OK);
    ev_netdev_delta_compute(&d, &a, &b);
    EV_CHECK(d.reset == 1);
    EV_CHECK(d.rx_bytes == 3000 && d.rx_packets == 20 && d.tx_bytes == 2000 && d.tx_packets == 10);
    EV_CHECK_NEAR(d.rx_avg_bytes, 150, 1e-12);
    EV_CHECK_NEAR(d.tx_avg_bytes, 200, 1e-12);

    /* veth9: counters grew but the ifindex changed (device re-created): since-reset values */
    rc = ev_netdev_read(&a, P1, "veth9", &err);
    EV_CHECK(rc == EV_OK);
    rc = ev_netdev_read(&b, P2, "veth9", &err);
    EV_CHECK(rc == EV_OK);
    ev_netdev_delta_compute(&d, &a, &b);
    EV_CHECK(d.reset == 1 && d.rx_bytes == 500 && d.rx_packets == 5 && d.tx_packets == 2);

    /* no packets: average 0, not NaN */
    ev_netdev_delta_compute(&d, &a, &a);
    EV_CHECK(d.rx_avg_bytes == 0 && d.tx_avg_bytes == 0 && d.reset == 0);

    rc = ev_netdev_read(&a, P1, "nosuch0", &err);
    EV_CHECK(rc == EV_ENOENT);
    EV_CHECK_MSG(strstr(err.msg, "nosuch0") != NULL, "%s", err.msg);
    rc = ev_netdev_read(&a, P1, "../x", &err);
    EV_CHECK(rc == EV_EINVAL);
}

/* ---- veth pair ------------------------------------------------------------------------- */

static char ns_a[32], ns_b[32], if_a[16], if_b[16];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    int st;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    st = system(cmd);
    return (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
}

static void cleanup(void)
{
    sh("ip netns del %s 2>/dev/null", ns_a);
    sh("ip netns del %s 2>/dev/null", ns_b);
}

static int enter_ns(const char *ns)
{
    char path[128];
    int fd, rc;
    snprintf(path, sizeof path, "/run/netns/%s", ns);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    rc = setns(fd, CLONE_NEWNET);
    close(fd);
    return rc;
}

/* Read IF's counters inside NS through the library (helper re-executed by `ip netns exec`,
 * which mounts that namespace's /sys). */
static int read_in_ns(ev_netdev_counters *out, const char *exe, const char *ns, const char *ifn)
{
    char cmd[1024];
    unsigned long long v[4];
    FILE *p;
    int n, st;
    snprintf(cmd, sizeof cmd, "ip netns exec %s %s --read %s", ns, exe, ifn);
    p = popen(cmd, "r");
    if (!p)
        return -1;
    n = fscanf(p, "%llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3]);
    st = pclose(p);
    if (n != 4 || st != 0)
        return -1;
    memset(out, 0, sizeof *out);
    snprintf(out->ifname, sizeof out->ifname, "%s", ifn);
    out->ifindex = -1;
    out->rx_bytes = v[0]; out->rx_packets = v[1]; out->tx_bytes = v[2]; out->tx_packets = v[3];
    return 0;
}

#define ADDR_A "10.251.7.1"
#define ADDR_B "10.251.7.2"
#define PORT 9777
enum { N_BIG = 150, SZ_BIG = 1000, N_SMALL = 50, SZ_SMALL = 200 };

static int veth(const char *exe)
{
    ev_netdev_counters a0, b0, a1, b1;
    ev_netdev_delta da, db;
    int sync[2], got = -1;
    pid_t rx, tx;
    const uint64_t npk = N_BIG + N_SMALL;
    /* each frame: payload + UDP 8 + IPv4 20 + Ethernet header 14 (veth counts no FCS) */
    const uint64_t nbytes = (uint64_t)N_BIG * (SZ_BIG + 42) + (uint64_t)N_SMALL * (SZ_SMALL + 42);

    if (geteuid() != 0) {
        printf("skipped: needs root to create network namespaces and a veth pair\n");
        return EV_TEST_SKIP;
    }
    snprintf(ns_a, sizeof ns_a, "evsys-a-%d", (int)getpid());
    snprintf(ns_b, sizeof ns_b, "evsys-b-%d", (int)getpid());
    snprintf(if_a, sizeof if_a, "evA%d", (int)getpid() % 1000000);
    snprintf(if_b, sizeof if_b, "evB%d", (int)getpid() % 1000000);
    if (sh("ip netns add %s", ns_a) != 0 || sh("ip netns add %s", ns_b) != 0) {
        cleanup();
        printf("skipped: cannot create a network namespace here (ip netns add failed)\n");
        return EV_TEST_SKIP;
    }
    /* no IPv6 (router solicitations, MLD, DAD) and static neighbours (no ARP): the only
     * frames on the pair are the test's datagrams */
    if (sh("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1", ns_a) ||
        sh("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1", ns_b) ||
        sh("ip -n %s link add %s address 02:e5:00:00:00:01 type veth peer name %s address 02:e5:00:00:00:02 netns %s",
           ns_a, if_a, if_b, ns_b) ||
        sh("ip -n %s addr add " ADDR_A "/24 dev %s", ns_a, if_a) ||
        sh("ip -n %s addr add " ADDR_B "/24 dev %s", ns_b, if_b) ||
        sh("ip -n %s neigh add " ADDR_B " lladdr 02:e5:00:00:00:02 dev %s nud permanent", ns_a, if_a) ||
        sh("ip -n %s neigh add " ADDR_A " lladdr 02:e5:00:00:00:01 dev %s nud permanent", ns_b, if_b) ||
        sh("ip -n %s link set %s up", ns_a, if_a) || sh("ip -n %s link set %s up", ns_b, if_b)) {
        cleanup();
        printf("skipped: cannot create a veth pair between namespaces here\n");
        return EV_TEST_SKIP;
    }
    usleep(200000); /* let the links come up */

    if (pipe(sync) != 0) {
        cleanup();
        EV_CHECK(0);
        return ev_test_done();
    }
    rx = fork();
    if (rx == 0) { /* receiver in B: counts datagrams, exit status = count (mod 256 avoided) */
        int s, n = 0;
        struct sockaddr_in sa;
        struct timeval tv = { 2, 0 };
        static char buf[4096];
        close(sync[0]);
        if (enter_ns(ns_b) != 0)
            _exit(255);
        s = socket(AF_INET, SOCK_DGRAM, 0);
        memset(&sa, 0, sizeof sa);
        sa.sin_family = AF_INET;
        sa.sin_port = htons(PORT);
        inet_pton(AF_INET, ADDR_B, &sa.sin_addr);
        if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof sa) != 0)
            _exit(255);
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        (void)!write(sync[1], "r", 1);
        close(sync[1]);
        while (n < N_BIG + N_SMALL && recv(s, buf, sizeof buf, 0) >= 0)
            n++;
        _exit(n == N_BIG + N_SMALL ? 0 : 1);
    }
    close(sync[1]);
    {
        char c;
        if (read(sync[0], &c, 1) != 1)
            EV_CHECK_MSG(0, "receiver did not start");
        close(sync[0]);
    }
    EV_CHECK(read_in_ns(&a0, exe, ns_a, if_a) == 0);
    EV_CHECK(read_in_ns(&b0, exe, ns_b, if_b) == 0);

    tx = fork();
    if (tx == 0) { /* sender in A: N_BIG datagrams of SZ_BIG, N_SMALL of SZ_SMALL, paced */
        int s, i;
        struct sockaddr_in sa, me;
        static char buf[SZ_BIG];
        if (enter_ns(ns_a) != 0)
            _exit(2);
        s = socket(AF_INET, SOCK_DGRAM, 0);
        memset(&me, 0, sizeof me);
        me.sin_family = AF_INET;
        inet_pton(AF_INET, ADDR_A, &me.sin_addr);
        if (s < 0 || bind(s, (struct sockaddr *)&me, sizeof me) != 0)
            _exit(2);
        memset(&sa, 0, sizeof sa);
        sa.sin_family = AF_INET;
        sa.sin_port = htons(PORT);
        inet_pton(AF_INET, ADDR_B, &sa.sin_addr);
        memset(buf, 'x', sizeof buf);
        for (i = 0; i < N_BIG + N_SMALL; i++) {
            size_t len = i < N_BIG ? SZ_BIG : SZ_SMALL;
            if (sendto(s, buf, len, 0, (struct sockaddr *)&sa, sizeof sa) != (ssize_t)len)
                _exit(3);
            if (i % 25 == 24)
                usleep(1000); /* stay far below the receive buffer */
        }
        _exit(0);
    }
    {
        int st = 0;
        waitpid(tx, &st, 0);
        EV_CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sender failed (status %d)", st);
        waitpid(rx, &st, 0);
        got = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        EV_CHECK_MSG(got == 0, "receiver did not get every datagram (status %d)", got);
    }
    EV_CHECK(read_in_ns(&a1, exe, ns_a, if_a) == 0);
    EV_CHECK(read_in_ns(&b1, exe, ns_b, if_b) == 0);
    cleanup();

    ev_netdev_delta_compute(&da, &a0, &a1);
    ev_netdev_delta_compute(&db, &b0, &b1);
    printf("%s tx: %llu packets %llu bytes (avg %.2f); %s rx: %llu packets %llu bytes (avg %.2f)\n",
           if_a, (unsigned long long)da.tx_packets, (unsigned long long)da.tx_bytes, da.tx_avg_bytes,
           if_b, (unsigned long long)db.rx_packets, (unsigned long long)db.rx_bytes, db.rx_avg_bytes);
    EV_CHECK(da.tx_packets == npk);
    EV_CHECK(da.tx_bytes == nbytes);
    EV_CHECK(db.rx_packets == npk);
    EV_CHECK(db.rx_bytes == nbytes);
    EV_CHECK(da.rx_packets == 0 && db.tx_packets == 0); /* nothing went back */
    EV_CHECK(da.reset == 0 && db.reset == 0);
    EV_CHECK_NEAR(da.tx_avg_bytes, (double)nbytes / (double)npk, 1e-9);
    EV_CHECK_NEAR(db.rx_avg_bytes, (double)nbytes / (double)npk, 1e-9);
    return ev_test_done();
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--read") == 0) {
        ev_netdev_counters c;
        ev_error err = EV_ERROR_INIT;
        if (ev_netdev_read(&c, NULL, argv[2], &err) != EV_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        printf("%llu %llu %llu %llu\n", (unsigned long long)c.rx_bytes,
               (unsigned long long)c.rx_packets, (unsigned long long)c.tx_bytes,
               (unsigned long long)c.tx_packets);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--veth") == 0) {
        char exe[4096];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0)
            return 1;
        exe[n] = '\0';
        return veth(exe);
    }
    unit();
    return ev_test_done();
}
