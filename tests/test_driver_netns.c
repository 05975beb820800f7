/* test_driver_netns.c - the "netns" setting for real: a network namespace made for the test
 * (unique name, removed at the end), the native driver starts redis-server inside it (bound to
 * the namespace's own 127.0.0.1) and ready's PING reaches it from inside; a PING from the
 * test's own namespace does not (proves the server is not in the caller's namespace). Needs
 * root; skips otherwise. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "ev_driver.h"
#include "ev_test.h"

static int run(char *const argv[])
{
    int st = -1;
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
    char ns[32], json[512];
    ev_error err = EV_ERROR_INIT;
    ev_driver *d = NULL;
    cJSON *j;
    int rc, port = 16379 + (int)(getpid() % 1000);

    if (geteuid() != 0 || access("/usr/bin/redis-server", X_OK) != 0) {
        printf("SKIP: needs root (network namespaces) and redis-server\n");
        return EV_TEST_SKIP;
    }
    snprintf(ns, sizeof ns, "evdrv%d", (int)getpid());
    {
        char *add[] = {"ip", "netns", "add", ns, NULL};
        char *lo[] = {"ip", "-n", ns, "link", "set", "lo", "up", NULL};
        if (run(add) != 0) {
            printf("SKIP: cannot create a network namespace (ip netns add)\n");
            return EV_TEST_SKIP;
        }
        EV_CHECK(run(lo) == 0);
    }
    snprintf(json, sizeof json, "{\"driver\": \"native\", \"port\": %d, \"netns\": \"%s\"}", port,
             ns);
    j = cJSON_Parse(json);
    EV_CHECK(ev_driver_new(&d, j, NULL, &err) == EV_OK);
    cJSON_Delete(j);
    if (d) {
        rc = ev_driver_start(d, &err);
        EV_CHECK_MSG(rc == EV_OK, "start: %s", err.msg);
        rc = ev_driver_ready(d, 10.0, &err);
        EV_CHECK_MSG(rc == EV_OK, "ready in netns: %s", err.msg);
        {
            /* from the test's own namespace the port is closed */
            struct timeval tv = {1, 0};
            redisContext *c = redisConnectWithTimeout("127.0.0.1", port, tv);
            EV_CHECK(c == NULL || c->err != 0);
            redisFree(c);
        }
        EV_CHECK(ev_driver_stop(d, 5.0, &err) == EV_OK);
        ev_driver_free(d);
    }
    /* a namespace that does not exist: the spawn says so */
    j = cJSON_Parse("{\"driver\": \"native\", \"netns\": \"evdrv-no-such-ns\"}");
    d = NULL;
    EV_CHECK(ev_driver_new(&d, j, NULL, &err) == EV_OK);
    cJSON_Delete(j);
    if (d) {
        rc = ev_driver_start(d, &err);
        EV_CHECK_MSG(rc == EV_ESYS && strstr(err.msg, "cannot enter network namespace "
                                                      "/var/run/netns/evdrv-no-such-ns"),
                     "rc %d: %s", rc, err.msg);
        ev_driver_free(d);
    }
    {
        char *del[] = {"ip", "netns", "del", ns, NULL};
        EV_CHECK(run(del) == 0);
    }
    return ev_test_done();
}
