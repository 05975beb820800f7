/* test_driver_firecracker.c - the firecracker driver against tests/fake_firecracker (a FAKE
 * API server that checks every request against Firecracker's real swagger spec; no Firecracker
 * binary exists here). Asserts: the full boot sequence is accepted by the spec checker in the
 * documented order and Redis (a real redis-server the fake starts after InstanceStart) answers
 * PING; vCPU thread "fc_vcpu 0" is found and pinned; a 400 surfaces the API's fault_message;
 * binary missing; never ready -> timeout; crash during configuration and after boot detected. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "ev_driver.h"
#include "ev_time.h"
#include "ev_fs.h"
#include "ev_test.h"
#include "ev_test_net.h"

static const char *g_fake;
static char g_log[256];

/* a driver on the fake; extra is more JSON array elements for extra_args, fields more fields */
static ev_driver *make(int port, const char *extra, const char *fields)
{
    char json[2048];
    cJSON *j;
    ev_driver *d = NULL;
    ev_error err = EV_ERROR_INIT;
    unlink(g_log);
    snprintf(json, sizeof json,
             "{\"driver\": \"firecracker\", \"firecracker\": \"%s\", \"kernel\": \"/boot/vmlinux\","
             " \"rootfs\": \"/srv/rootfs.ext4\", \"tap\": \"fctap0\", \"guest_mac\": "
             "\"06:00:ac:10:00:02\", \"host\": \"127.0.0.1\", \"port\": %d, \"api_timeout_s\": 3,"
             " \"extra_args\": [\"--log\", \"%s\", \"--redis-server\", \"redis-server\", "
             "\"--redis-port\", \"%d\"%s%s]%s%s}",
             g_fake, port, g_log, port, extra ? ", " : "", extra ? extra : "",
             fields ? ", " : "", fields ? fields : "");
    j = cJSON_Parse(json);
    EV_CHECK_MSG(j != NULL, "bad test JSON %s", json);
    EV_CHECK_MSG(ev_driver_new(&d, j, "fc", &err) == EV_OK, "%s", err.msg);
    cJSON_Delete(j);
    return d;
}

static char *read_log(void)
{
    char *s = NULL;
    ev_error err = EV_ERROR_INIT;
    if (ev_fs_read_all(&s, NULL, g_log, &err) != EV_OK)
        return strdup("");
    return s;
}


/* one raw request to the fake, to check its spec checker directly; fault text into fault */
static long raw(const char *sock, const char *method, const char *path, const char *body,
                char *fault, size_t n)
{
    CURL *c = curl_easy_init();
    char url[256];
    long code = 0;
    FILE *mem;
    char *buf = NULL;
    size_t len = 0;
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    fault[0] = '\0';
    if (!c)
        return -1;
    mem = open_memstream(&buf, &len);
    snprintf(url, sizeof url, "http://localhost%s", path);
    curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, sock);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, mem);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    fclose(mem);
    if (buf) {
        cJSON *j = cJSON_Parse(buf);
        const char *fm = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "fault_message"));
        snprintf(fault, n, "%s", fm ? fm : "");
        cJSON_Delete(j);
    }
    free(buf);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return code;
}

static int listening(const char *path)
{
    struct sockaddr_un sa;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), ok;
    if (fd < 0)
        return 0;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa.sun_path) { /* cannot be a socket path */
        close(fd);
        return 0;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return ok;
}

static void spec_checker(void)
{
    char sock[128], fault[512];
    pid_t pid;
    int st, i;
    snprintf(sock, sizeof sock, "/tmp/edgevirt-fc-spec-%d.sock", (int)getpid());
    unlink(sock);
    pid = fork();
    if (pid == 0) {
        char *a[] = {(char *)g_fake, "--api-sock", sock, NULL};
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 2);
        execv(g_fake, a);
        _exit(127);
    }
    /* wait (bounded) until the fake accepts connections: the socket file appears at bind(2),
     * before listen(2), and a slow start (sanitizers, a loaded machine) can take seconds */
    for (i = 0; i < 2000 && !listening(sock); i++)
        usleep(10000);
    EV_CHECK_MSG(listening(sock), "the fake never listened on %s", sock);
#define EXPECT(m, p, b, code, text) do { \
        long got_ = raw(sock, m, p, b, fault, sizeof fault); \
        EV_CHECK_MSG(got_ == (code) && strstr(fault, text), "%s %s %s: %ld \"%s\"", m, p, \
                     b ? b : "", got_, fault); \
    } while (0)
    EXPECT("PUT", "/machine-config", "{\"vcpu_count\":1}", 400,
           "MachineConfiguration: missing field `mem_size_mib`");
    EXPECT("PUT", "/machine-config", "{\"vcpu_count\":1,\"mem_size_mib\":256,\"colour\":1}", 400,
           "unknown field `colour`");
    EXPECT("PUT", "/machine-config", "{\"vcpu_count\":\"1\",\"mem_size_mib\":256}", 400,
           "MachineConfiguration.vcpu_count: expected an integer");
    EXPECT("PUT", "/drives/rootfs", "{\"drive_id\":\"other\",\"is_root_device\":true}", 400,
           "does not match the id from the body");
    EXPECT("PUT", "/network-interfaces/eth0",
           "{\"iface_id\":\"eth0\",\"host_dev_name\":\"t\",\"mtu\":10}", 400, "out of range");
    EXPECT("PUT", "/actions", "{\"action_type\":\"Reboot\"}", 400, "unknown variant `Reboot`");
    EXPECT("PUT", "/actions", "{\"action_type\":\"InstanceStart\"}", 400,
           "Cannot start microvm without kernel configuration.");
    EXPECT("GET", "/no-such-thing", NULL, 400, "no such path");
    EXPECT("DELETE", "/machine-config", NULL, 400, "Invalid request method");
    EXPECT("PUT", "/boot-source", "{\"kernel_image_path\":\"/k\"}", 204, "");
    EXPECT("PUT", "/actions", "{\"action_type\":\"InstanceStart\"}", 204, "");
    EXPECT("PUT", "/boot-source", "{\"kernel_image_path\":\"/k\"}", 400,
           "not supported after starting the microVM");
#undef EXPECT
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    EV_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    EV_CHECK(access(sock, F_OK) != 0); /* it removed its socket */
}

int main(int argc, char **argv)
{
    ev_error err = EV_ERROR_INIT;
    ev_driver *d;
    ev_driver_pids pids;
    int port = ev_test_free_port(), rc;
    char *log;
    pid_t vmm;

    if (argc < 2) {
        fprintf(stderr, "usage: test_driver_firecracker FAKE_FIRECRACKER\n");
        return 2;
    }
    g_fake = argv[1];
    if (access("/usr/bin/redis-server", X_OK) != 0) {
        printf("SKIP: /usr/bin/redis-server is not installed\n");
        return EV_TEST_SKIP;
    }
    snprintf(g_log, sizeof g_log, "/tmp/edgevirt-fc-test-%d.log", (int)getpid());

    /* 1. full boot sequence, accepted by the spec checker, in order; PING; vCPU pinning */
    d = make(port, NULL, "\"pin_cpus\": [0]");
    if (d) {
        rc = ev_driver_start(d, &err);
        EV_CHECK_MSG(rc == EV_OK, "start: %s", err.msg);
        log = read_log();
        EV_CHECK_MSG(strcmp(log, "PUT /machine-config 204\n"
                                 "PUT /boot-source 204\n"
                                 "PUT /drives/rootfs 204\n"
                                 "PUT /network-interfaces/eth0 204\n"
                                 "PUT /actions 204\n") == 0,
                     "fake's request log:\n%s", log);
        free(log);
        rc = ev_driver_ready(d, 10.0, &err);
        EV_CHECK_MSG(rc == EV_OK, "ready: %s", err.msg);
        EV_CHECK_MSG(strcmp(ev_driver_get_info(d)->version, "v1.7.0") == 0, "version \"%s\"",
                     ev_driver_get_info(d)->version);
        rc = ev_driver_get_pids(d, &pids, &err);
        EV_CHECK_MSG(rc == EV_OK && pids.vmm > 0 && pids.n_vcpu == 1, "pids rc %d n_vcpu %d: %s",
                     rc, pids.n_vcpu, err.msg);
        if (pids.n_vcpu == 1) {
            cpu_set_t set;
            CPU_ZERO(&set);
            EV_CHECK(sched_getaffinity(pids.vcpu[0], sizeof set, &set) == 0);
            EV_CHECK(CPU_COUNT(&set) == 1 && CPU_ISSET(0, &set));
            EV_CHECK(pids.vcpu[0] != pids.vmm);
        }
        vmm = pids.vmm;
        EV_CHECK(ev_driver_check(d, &err) == EV_OK);
        rc = ev_driver_stop(d, 5.0, &err);
        EV_CHECK_MSG(rc == EV_OK, "stop: %s", err.msg);
        EV_CHECK(kill(vmm, 0) != 0 && errno == ESRCH);
        /* the fake's redis-server (the "guest") went with the process group */
        EV_CHECK(ev_driver_ready(d, 0.3, &err) != EV_OK);
        ev_driver_free(d);
    }

    /* 2. a 400 surfaces the API's fault_message */
    d = make(port, "\"--fail-on\", \"PUT:/boot-source\"", NULL);
    if (d) {
        rc = ev_driver_start(d, &err);
        EV_CHECK_MSG(rc == EV_EAPI, "rc %d: %s", rc, err.msg);
        EV_CHECK_MSG(strstr(err.msg, "PUT /boot-source answered 400: injected failure for PUT "
                                     "/boot-source"),
                     "%s", err.msg);
        log = read_log();
        EV_CHECK_MSG(strstr(log, "PUT /machine-config 204\nPUT /boot-source 400") &&
                         !strstr(log, "/actions"),
                     "log:\n%s", log);
        free(log);
        EV_CHECK(ev_driver_check(d, &err) == EV_ECHILD); /* start stopped what it started */
        ev_driver_free(d);
    }

    /* 3. the spec checker is real: requests the spec refuses get Firecracker-style faults */
    spec_checker();
    d = make(port, NULL, "\"mem_mib\": 64, \"rootfs_read_only\": true, \"initrd\": \"/i\"");
    if (d) {
        /* other valid settings are accepted too */
        EV_CHECK_MSG(ev_driver_start(d, &err) == EV_OK, "%s", err.msg);
        ev_driver_free(d);
    }

    /* 4. binary missing */
    {
        cJSON *j = cJSON_Parse("{\"driver\": \"firecracker\", \"firecracker\": "
                               "\"/nonexistent/firecracker\", \"kernel\": \"k\", \"rootfs\": \"r\","
                               " \"tap\": \"t\", \"host\": \"127.0.0.1\"}");
        d = NULL;
        EV_CHECK(ev_driver_new(&d, j, NULL, &err) == EV_OK);
        cJSON_Delete(j);
        if (d) {
            rc = ev_driver_start(d, &err);
            EV_CHECK_MSG(rc == EV_ENOENT && strstr(err.msg, "/nonexistent/firecracker: binary not "
                                                            "found"),
                         "rc %d: %s", rc, err.msg);
            ev_driver_free(d);
        }
    }

    /* 5. never ready: configured and started, but Redis never answers -> timeout */
    d = make(port, "\"--never-ready\"", NULL);
    if (d) {
        rc = ev_driver_start(d, &err);
        EV_CHECK_MSG(rc == EV_OK, "start: %s", err.msg);
        rc = ev_driver_ready(d, 1.0, &err);
        EV_CHECK_MSG(rc == EV_ETIMEOUT && strstr(err.msg, "did not answer PING within 1 s"),
                     "rc %d: %s", rc, err.msg);
        EV_CHECK(ev_driver_check(d, &err) == EV_OK); /* still running, just not serving */
        ev_driver_free(d);
    }

    /* 6. crash mid-way through the configuration */
    d = make(port, "\"--crash-after\", \"2\"", NULL);
    if (d) {
        rc = ev_driver_start(d, &err);
        EV_CHECK_MSG(rc == EV_ECHILD && strstr(err.msg, "exited with status 70 during PUT "
                                                        "/drives/rootfs") &&
                         strstr(err.msg, "injected crash"),
                     "rc %d: %s", rc, err.msg);
        ev_driver_free(d);
    }

    /* 7. crash after boot, mid-point: check() reports it */
    d = make(port, "\"--crash-after-boot\", \"2\"", NULL);
    if (d) {
        double until;
        EV_CHECK(ev_driver_start(d, &err) == EV_OK);
        rc = ev_driver_ready(d, 10.0, &err);
        EV_CHECK_MSG(rc == EV_OK, "ready: %s", err.msg);
        until = ev_time_now_s() + 10.0; /* it crashes 2 s after InstanceStart */
        while ((rc = ev_driver_check(d, &err)) == EV_OK && ev_time_now_s() < until)
            usleep(50000);
        EV_CHECK_MSG(rc == EV_ECHILD && strstr(err.msg, "exited with status 71 while running"),
                     "rc %d: %s", rc, err.msg);
        EV_CHECK(ev_driver_ready(d, 0.5, &err) == EV_ECHILD);
        ev_driver_free(d);
    }
    /* 8. the socket file exists before the VMM listens: start waits until it accepts
     * (a PUT sent in that window used to be refused: "couldn't connect") */
    unlink(g_log);
    d = make(port, "\"--listen-delay\", \"0.3\"", NULL);
    if (d) {
        rc = ev_driver_start(d, &err);
        EV_CHECK_MSG(rc == EV_OK, "start: %s", err.msg);
        log = read_log();
        EV_CHECK_MSG(strstr(log, "PUT /actions 204") != NULL, "fake's request log:\n%s", log);
        free(log);
        ev_driver_free(d);
    }
    unlink(g_log);
    return ev_test_done();
}
