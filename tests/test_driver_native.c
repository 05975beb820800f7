/* test_driver_native.c - the native driver against a real redis-server on a free loopback
 * port: start (pinned to CPU 0), ready (real PING), pids (the pid is redis-server and its
 * affinity is the pinned CPU), check, stop (reaped: the pid is gone), plus the
 * "binary missing" and "dies before ready" errors. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ev_driver.h"
#include "ev_test.h"
#include "ev_test_net.h"

static ev_driver *make(const char *json)
{
    cJSON *j = cJSON_Parse(json);
    ev_driver *d = NULL;
    ev_error err = EV_ERROR_INIT;
    EV_CHECK_MSG(ev_driver_new(&d, j, "native", &err) == EV_OK, "%s", err.msg);
    cJSON_Delete(j);
    return d;
}

static void read_comm(pid_t pid, char *out, size_t n)
{
    char p[64];
    FILE *f;
    out[0] = '\0';
    snprintf(p, sizeof p, "/proc/%d/comm", (int)pid);
    if ((f = fopen(p, "r"))) {
        if (fgets(out, (int)n, f))
            out[strcspn(out, "\n")] = '\0';
        fclose(f);
    }
}

int main(void)
{
    char json[512], comm[64];
    ev_error err = EV_ERROR_INIT;
    ev_driver *d;
    ev_driver_pids pids;
    int port = ev_test_free_port(), rc;
    pid_t pid;

    if (access("/usr/bin/redis-server", X_OK) != 0) {
        printf("SKIP: /usr/bin/redis-server is not installed\n");
        return EV_TEST_SKIP;
    }
    EV_CHECK(port > 0);

    /* the real thing */
    snprintf(json, sizeof json,
             "{\"driver\": \"native\", \"port\": %d, \"pin_cpus\": [0]}", port);
    d = make(json);
    if (!d)
        return ev_test_done();
    EV_CHECK(ev_driver_ready(d, 1, &err) == EV_EINVAL); /* not started */
    rc = ev_driver_start(d, &err);
    EV_CHECK_MSG(rc == EV_OK, "start: %s", err.msg);
    rc = ev_driver_ready(d, 10.0, &err);
    EV_CHECK_MSG(rc == EV_OK, "ready: %s", err.msg);
    EV_CHECK_MSG(ev_driver_get_info(d)->version[0] >= '0' && ev_driver_get_info(d)->version[0] <= '9',
                 "version \"%s\"", ev_driver_get_info(d)->version);
    rc = ev_driver_get_pids(d, &pids, &err);
    EV_CHECK_MSG(rc == EV_OK, "pids: %s", err.msg);
    EV_CHECK(pids.vmm > 0 && pids.n_vcpu == 0 && pids.n_vhost == 0);
    read_comm(pids.vmm, comm, sizeof comm);
    EV_CHECK_MSG(strncmp(comm, "redis-server", 12) == 0, "comm \"%s\"", comm);
    {
        cpu_set_t set;
        CPU_ZERO(&set);
        EV_CHECK(sched_getaffinity(pids.vmm, sizeof set, &set) == 0);
        EV_CHECK(CPU_COUNT(&set) == 1 && CPU_ISSET(0, &set));
    }
    EV_CHECK(ev_driver_check(d, &err) == EV_OK);
    EV_CHECK(ev_driver_start(d, &err) == EV_EINVAL); /* already running */
    pid = pids.vmm;
    rc = ev_driver_stop(d, 5.0, &err);
    EV_CHECK_MSG(rc == EV_OK, "stop: %s", err.msg);
    EV_CHECK(kill(pid, 0) != 0 && errno == ESRCH); /* reaped, gone */
    EV_CHECK(ev_driver_stop(d, 5.0, &err) == EV_OK); /* idempotent */
    EV_CHECK(ev_driver_check(d, &err) == EV_ECHILD);
    /* Redis no longer answers */
    EV_CHECK(ev_driver_ready(d, 0.3, &err) != EV_OK);
    ev_driver_free(d);

    /* binary missing */
    snprintf(json, sizeof json,
             "{\"driver\": \"native\", \"port\": %d, \"redis_server\": \"/nonexistent/redis-server\"}",
             port);
    d = make(json);
    if (d) {
        rc = ev_driver_start(d, &err);
        EV_CHECK(rc == EV_ENOENT);
        EV_CHECK_MSG(strstr(err.msg, "/nonexistent/redis-server: binary not found"), "%s", err.msg);
        ev_driver_free(d);
    }

    /* redis-server refuses its arguments and exits: ready reports the exit and the log */
    snprintf(json, sizeof json,
             "{\"driver\": \"native\", \"port\": %d, \"extra_args\": [\"--no-such-option\", \"x\"]}",
             port);
    d = make(json);
    if (d) {
        EV_CHECK(ev_driver_start(d, &err) == EV_OK);
        rc = ev_driver_ready(d, 10.0, &err);
        EV_CHECK_MSG(rc == EV_ECHILD, "rc %d: %s", rc, err.msg);
        EV_CHECK_MSG(strstr(err.msg, "exited with status 1") && strstr(err.msg, "no-such-option"),
                     "%s", err.msg);
        ev_driver_free(d);
    }

    /* nothing listens: ready times out with the last PING error */
    snprintf(json, sizeof json,
             "{\"driver\": \"command\", \"start\": [\"sleep\", \"30\"], \"port\": %d}", port);
    d = make(json);
    if (d) {
        EV_CHECK(ev_driver_start(d, &err) == EV_OK);
        rc = ev_driver_ready(d, 0.5, &err);
        EV_CHECK_MSG(rc == EV_ETIMEOUT, "rc %d: %s", rc, err.msg);
        EV_CHECK_MSG(strstr(err.msg, "did not answer PING within"), "%s", err.msg);
        /* a child that ignores nothing stops on SIGTERM */
        EV_CHECK(ev_driver_stop(d, 5.0, &err) == EV_OK);
        ev_driver_free(d);
    }

    /* the command driver runs a real redis-server too; its stop command runs before SIGTERM */
    snprintf(json, sizeof json,
             "{\"driver\": \"command\", \"start\": [\"redis-server\", \"--port\", \"%d\", "
             "\"--bind\", \"127.0.0.1\", \"--save\", \"\", \"--shutdown-on-sigterm\", \"force\"], "
             "\"port\": %d, \"stop\": [\"redis-cli\", \"-p\", \"%d\", \"ping\"]}",
             port, port, port);
    d = make(json);
    if (d) {
        EV_CHECK(ev_driver_start(d, &err) == EV_OK);
        rc = ev_driver_ready(d, 10.0, &err);
        EV_CHECK_MSG(rc == EV_OK, "command ready: %s", err.msg);
        EV_CHECK(ev_driver_get_pids(d, &pids, &err) == EV_OK && pids.vmm > 0);
        pid = pids.vmm;
        EV_CHECK(ev_driver_stop(d, 5.0, &err) == EV_OK);
        EV_CHECK(kill(pid, 0) != 0);
        ev_driver_free(d);
    }
    /* kata: no containerd/Kata here, so starting it reports the missing binary clearly */
    d = make("{\"driver\": \"kata\", \"binary\": \"/nonexistent/ctr\"}");
    if (d) {
        rc = ev_driver_start(d, &err);
        EV_CHECK_MSG(rc == EV_ENOENT && strstr(err.msg, "kata: /nonexistent/ctr: binary not found"),
                     "rc %d: %s", rc, err.msg);
        ev_driver_free(d);
    }
    d = make("{\"driver\": \"kata\", \"tool\": \"nerdctl\", \"binary\": \"/nonexistent/nerdctl\"}");
    if (d) {
        rc = ev_driver_start(d, &err);
        EV_CHECK_MSG(rc == EV_ENOENT && strstr(err.msg, "/nonexistent/nerdctl: binary not found"),
                     "rc %d: %s", rc, err.msg);
        ev_driver_free(d);
    }

    /* a platform that ignores SIGTERM is SIGKILLed after the timeout and reaped */
    {
        char json[512], mark[64];
        snprintf(mark, sizeof mark, "/tmp/edgevirt-trap-%d", (int)getpid());
        unlink(mark);
        snprintf(json, sizeof json,
                 "{\"driver\": \"command\", \"start\": [\"sh\", \"-c\", \"trap '' TERM; "
                 ": > %s; exec sleep 30\"]}", mark);
        d = make(json);
        if (d) {
            int i;
            EV_CHECK(ev_driver_start(d, &err) == EV_OK);
            /* wait (bounded) until sh has installed the trap: it then creates the mark */
            for (i = 0; i < 1000 && access(mark, F_OK) != 0; i++)
                usleep(10000);
            EV_CHECK(access(mark, F_OK) == 0);
        }
        unlink(mark);
    }
    if (d) {
        EV_CHECK(ev_driver_get_pids(d, &pids, &err) == EV_OK);
        pid = pids.vmm;
        rc = ev_driver_stop(d, 0.5, &err);
        EV_CHECK_MSG(rc == EV_ETIMEOUT && strstr(err.msg, "SIGKILL"), "rc %d: %s", rc, err.msg);
        EV_CHECK(kill(pid, 0) != 0 && errno == ESRCH);
        ev_driver_free(d);
    }
    return ev_test_done();
}
