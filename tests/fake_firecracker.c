/* fake_firecracker.c - a FAKE Firecracker API server for the driver tests.
 *
 * There is no Firecracker binary on the development machine (and no usable KVM), so the
 * firecracker driver is tested against this program. It is NOT Firecracker: it boots nothing.
 * It follows the REAL API spec: it loads tests/fixtures/firecracker-api.json (a copy of
 * Firecracker's swagger file) and checks every request against it -- the path and method must
 * exist, the JSON body must match the definition the spec names (required properties, types,
 * enums, minimum/maximum, no properties the definition does not list, as Firecracker's
 * deny_unknown_fields does), path ids must equal the body's ids, pre-boot-only calls are refused
 * after InstanceStart and InstanceStart needs a boot source. It answers 204 on success and
 * 400 {"fault_message": "..."} otherwise, over HTTP/1.1 on the Unix socket given by --api-sock,
 * the same command line as `firecracker --api-sock PATH`.
 *
 * To let ev_driver_ready's real PING work end to end, after InstanceStart it can start a real
 * redis-server (--redis-server PATH --redis-port N) and it names one thread "fc_vcpu 0" like
 * Firecracker's vCPU threads, so thread discovery and pinning run for real.
 *
 * Fault injection: --fail-on METHOD:PATH (answer 400 for that request), --never-ready (start no
 * redis-server), --crash-after N (exit with status 70, without answering, when request N+1
 * arrives), --crash-after-boot S (exit with status 71 S seconds after InstanceStart),
 * --listen-delay S (sleep S seconds between bind(2) and listen(2): the socket file exists but
 * refuses connections, the window every real VMM has at start-up).
 * --log FILE appends "METHOD PATH STATUS" per request, so tests can check the boot order. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#ifndef EV_FAKE_FC_SPEC
#define EV_FAKE_FC_SPEC "tests/fixtures/firecracker-api.json"
#endif

static volatile sig_atomic_t g_stop;
static pid_t g_redis;
static cJSON *g_spec;
static int g_booted, g_have_boot_source;

static void on_term(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void die_now(int code)
{
    if (g_redis > 0)
        kill(g_redis, SIGKILL);
    _exit(code);
}

/* ---------------------------------------------------------------- spec checking */

static const cJSON *resolve(const cJSON *schema)
{
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
    if (cJSON_IsString(ref) && strncmp(ref->valuestring, "#/definitions/", 14) == 0)
        return cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(g_spec, "definitions"), ref->valuestring + 14);
    return schema;
}

/* RETURNS 0 if v matches schema, else -1 with why */
static int check(const cJSON *v, const cJSON *schema, const char *where, char *why, size_t n)
{
    const cJSON *type, *it;
    const char *t;
    schema = resolve(schema);
    if (!schema) {
        snprintf(why, n, "%s: the spec has no such definition", where);
        return -1;
    }
    type = cJSON_GetObjectItemCaseSensitive(schema, "type");
    t = cJSON_IsString(type) ? type->valuestring
        : cJSON_GetObjectItemCaseSensitive(schema, "properties") ? "object"
                                                                 : NULL;
    if (!t)
        return 0;
    if (strcmp(t, "object") == 0) {
        const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
        const cJSON *addl = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
        if (!cJSON_IsObject(v)) {
            snprintf(why, n, "%s: expected an object", where);
            return -1;
        }
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(schema, "required")) {
            if (cJSON_IsString(it) && !cJSON_GetObjectItemCaseSensitive(v, it->valuestring)) {
                snprintf(why, n, "%s: missing field `%s`", where, it->valuestring);
                return -1;
            }
        }
        cJSON_ArrayForEach(it, v) {
            const cJSON *ps = props ? cJSON_GetObjectItemCaseSensitive(props, it->string) : NULL;
            char sub[256];
            snprintf(sub, sizeof sub, "%s.%s", where, it->string);
            if (!ps) {
                if (cJSON_IsObject(addl)) {
                    if (check(it, addl, sub, why, n))
                        return -1;
                    continue;
                }
                if (cJSON_IsTrue(addl) || (!props && !cJSON_IsFalse(addl)))
                    continue;
                snprintf(why, n, "%s: unknown field `%s`", where, it->string);
                return -1;
            }
            if (check(it, ps, sub, why, n))
                return -1;
        }
        return 0;
    }
    if (strcmp(t, "string") == 0) {
        const cJSON *en = cJSON_GetObjectItemCaseSensitive(schema, "enum");
        if (!cJSON_IsString(v)) {
            snprintf(why, n, "%s: expected a string", where);
            return -1;
        }
        if (en) {
            int ok = 0;
            cJSON_ArrayForEach(it, en) {
                if (cJSON_IsString(it) && strcmp(it->valuestring, v->valuestring) == 0)
                    ok = 1;
            }
            if (!ok) {
                snprintf(why, n, "%s: unknown variant `%s`", where, v->valuestring);
                return -1;
            }
        }
        return 0;
    }
    if (strcmp(t, "integer") == 0 || strcmp(t, "number") == 0) {
        const cJSON *mn = cJSON_GetObjectItemCaseSensitive(schema, "minimum");
        const cJSON *mx = cJSON_GetObjectItemCaseSensitive(schema, "maximum");
        if (!cJSON_IsNumber(v) || (t[0] == 'i' && v->valuedouble != floor(v->valuedouble))) {
            snprintf(why, n, "%s: expected %s", where, t[0] == 'i' ? "an integer" : "a number");
            return -1;
        }
        if ((cJSON_IsNumber(mn) && v->valuedouble < mn->valuedouble) ||
            (cJSON_IsNumber(mx) && v->valuedouble > mx->valuedouble)) {
            snprintf(why, n, "%s: %g is out of range", where, v->valuedouble);
            return -1;
        }
        return 0;
    }
    if (strcmp(t, "boolean") == 0) {
        if (!cJSON_IsBool(v)) {
            snprintf(why, n, "%s: expected a boolean", where);
            return -1;
        }
        return 0;
    }
    if (strcmp(t, "array") == 0) {
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
        int i = 0;
        if (!cJSON_IsArray(v)) {
            snprintf(why, n, "%s: expected an array", where);
            return -1;
        }
        cJSON_ArrayForEach(it, v) {
            char sub[256];
            snprintf(sub, sizeof sub, "%s[%d]", where, i++);
            if (items && check(it, items, sub, why, n))
                return -1;
        }
    }
    return 0;
}

/* match "/drives/rootfs" against "/drives/{drive_id}"; param value into pval */
static int path_match(const char *tmpl, const char *path, char *pname, char *pval, size_t n)
{
    while (*tmpl && *path) {
        if (*tmpl == '{') {
            const char *e = strchr(tmpl, '}');
            size_t k = strcspn(path, "/");
            if (!e || k == 0)
                return 0;
            snprintf(pname, n, "%.*s", (int)(e - tmpl - 1), tmpl + 1);
            snprintf(pval, n, "%.*s", (int)k, path);
            tmpl = e + 1;
            path += k;
            continue;
        }
        if (*tmpl != *path)
            return 0;
        tmpl++;
        path++;
    }
    return *tmpl == '\0' && *path == '\0';
}

/* RETURNS 204 or 400 with fault in why */
static int handle(const char *method, const char *path, const char *body, char *why, size_t n)
{
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(g_spec, "paths"), *p, *op = NULL;
    const cJSON *param;
    char lm[16], pname[64] = "", pval[256] = "";
    size_t i;
    cJSON *j = NULL;
    int rc = 204;

    for (i = 0; method[i] && i < sizeof lm - 1; i++)
        lm[i] = (char)tolower((unsigned char)method[i]);
    lm[i] = '\0';
    cJSON_ArrayForEach(p, paths) {
        if (path_match(p->string, path, pname, pval, sizeof pval))
            break;
    }
    if (!p) {
        snprintf(why, n, "Invalid request: no such path %s in the API spec", path);
        return 400;
    }
    op = cJSON_GetObjectItemCaseSensitive(p, lm);
    if (!op) {
        snprintf(why, n, "Invalid request method: %s %s is not in the API spec", method, path);
        return 400;
    }
    cJSON_ArrayForEach(param, cJSON_GetObjectItemCaseSensitive(op, "parameters")) {
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(param, "in");
        if (!cJSON_IsString(in) || strcmp(in->valuestring, "body"))
            continue;
        if (!body || !*body) {
            if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(param, "required"))) {
                snprintf(why, n, "Empty request body for %s %s", method, path);
                return 400;
            }
            continue;
        }
        j = cJSON_Parse(body);
        if (!j) {
            snprintf(why, n, "Invalid JSON body for %s %s", method, path);
            return 400;
        }
        {
            const cJSON *schema = cJSON_GetObjectItemCaseSensitive(param, "schema");
            const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
            const char *def = cJSON_IsString(ref) ? strrchr(ref->valuestring, '/') + 1 : "body";
            if (check(j, schema, def, why, n)) {
                cJSON_Delete(j);
                return 400;
            }
        }
    }
    /* semantics Firecracker enforces beyond the schema */
    if (pname[0] && j) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, pname);
        if (cJSON_IsString(id) && strcmp(id->valuestring, pval)) {
            snprintf(why, n, "The id from the path [%s] does not match the id from the body [%s]!",
                     pval, id->valuestring);
            rc = 400;
        }
    }
    if (rc == 204 && strcmp(lm, "put") == 0 && g_booted &&
        strstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(op, "summary"))
                   ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(op, "summary"))
                   : "",
               "Pre-boot only")) {
        snprintf(why, n, "The requested operation is not supported after starting the microVM.");
        rc = 400;
    }
    if (rc == 204 && strcmp(path, "/boot-source") == 0)
        g_have_boot_source = 1;
    if (rc == 204 && strcmp(path, "/actions") == 0 && j) {
        const char *a = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "action_type"));
        if (a && strcmp(a, "InstanceStart") == 0) {
            if (g_booted) {
                snprintf(why, n, "The microVM is already running.");
                rc = 400;
            } else if (!g_have_boot_source) {
                snprintf(why, n, "Cannot start microvm without kernel configuration.");
                rc = 400;
            } else {
                g_booted = 1;
            }
        }
    }
    cJSON_Delete(j);
    return rc;
}

/* ---------------------------------------------------------------- the "guest" */

static void *vcpu_thread(void *arg)
{
    (void)arg;
    while (!g_stop) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static pid_t start_redis(const char *bin, const char *port)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {(char *)bin, "--port", (char *)port, "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--protected-mode", "no", NULL};
        execvp(bin, argv);
        _exit(127);
    }
    return pid;
}

/* ---------------------------------------------------------------- HTTP */

static void reply(int fd, int code, const char *fault)
{
    char buf[2048], body[1200] = "";
    int len;
    if (code != 204) {
        cJSON *o = cJSON_CreateObject();
        char *s;
        cJSON_AddStringToObject(o, "fault_message", fault);
        s = cJSON_PrintUnformatted(o);
        snprintf(body, sizeof body, "%s", s ? s : "{}");
        cJSON_free(s);
        cJSON_Delete(o);
    }
    len = snprintf(buf, sizeof buf,
                   "HTTP/1.1 %d %s\r\nServer: Firecracker API (edgevirt fake)\r\n"
                   "Connection: close\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                   "\r\n%s",
                   code, code == 204 ? "No Content" : "Bad Request", strlen(body), body);
    if (len > 0 && write(fd, buf, (size_t)len) < 0) {
        /* the client went away; nothing to do */
    }
}

/* read one request: RETURNS 0 ok, -1 bad */
static int read_request(int fd, char *method, char *path, char **body)
{
    char buf[65536];
    size_t got = 0, clen = 0, hlen;
    char *he, *cl;
    *body = NULL;
    for (;;) {
        ssize_t r = read(fd, buf + got, sizeof buf - 1 - got);
        if (r <= 0)
            return -1;
        got += (size_t)r;
        buf[got] = '\0';
        if ((he = strstr(buf, "\r\n\r\n")))
            break;
        if (got >= sizeof buf - 1)
            return -1;
    }
    hlen = (size_t)(he - buf) + 4;
    if (sscanf(buf, "%15s %255s", method, path) != 2)
        return -1;
    for (cl = buf; cl < he; cl++) {
        if (strncasecmp(cl, "\r\nContent-Length:", 17) == 0)
            clen = strtoul(cl + 17, NULL, 10);
        if (strncasecmp(cl, "\r\nExpect: 100-continue", 22) == 0) {
            static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
            if (write(fd, cont, sizeof cont - 1) < 0)
                return -1;
        }
    }
    if (clen > sizeof buf - 1 - hlen)
        return -1;
    while (got < hlen + clen) {
        ssize_t r = read(fd, buf + got, hlen + clen - got);
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    *body = strndup(buf + hlen, clen);
    return *body ? 0 : -1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: fake_firecracker --api-sock PATH [--spec FILE] [--log FILE]\n"
            "         [--redis-server PATH --redis-port N] [--fail-on METHOD:PATH]...\n"
            "         [--never-ready] [--crash-after N] [--crash-after-boot SECONDS]\n"
            "         [--listen-delay SECONDS]\n"
            "A FAKE Firecracker API server for tests (no Firecracker binary exists here):\n"
            "checks every request against the real swagger spec (default %s),\n"
            "answers 204 or 400 {\"fault_message\": ...}; boots nothing.\n",
            EV_FAKE_FC_SPEC);
}

int main(int argc, char **argv)
{
    const char *sock = NULL, *spec = EV_FAKE_FC_SPEC, *logp = NULL, *redis = NULL, *rport = NULL;
    const char *fail_on[8];
    int nfail = 0, never_ready = 0, i, lfd, nreq = 0;
    long crash_after = -1;
    double crash_after_boot = -1, listen_delay = 0;
    struct timespec boot_at = {0, 0};
    struct sockaddr_un sa;
    struct sigaction act;
    char *text;
    FILE *f;
    long sz;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("Firecracker v1.7.0 (edgevirt FAKE API server, spec-checked)\n");
            return 0;
        } else if (strcmp(a, "--never-ready") == 0) {
            never_ready = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "fake_firecracker: %s needs a value\n", a);
            return 2;
        }
        i++;
        if (strcmp(a, "--api-sock") == 0)
            sock = v;
        else if (strcmp(a, "--spec") == 0)
            spec = v;
        else if (strcmp(a, "--log") == 0)
            logp = v;
        else if (strcmp(a, "--redis-server") == 0)
            redis = v;
        else if (strcmp(a, "--redis-port") == 0)
            rport = v;
        else if (strcmp(a, "--fail-on") == 0 && nfail < 8)
            fail_on[nfail++] = v;
        else if (strcmp(a, "--crash-after") == 0)
            crash_after = strtol(v, NULL, 10);
        else if (strcmp(a, "--crash-after-boot") == 0)
            crash_after_boot = strtod(v, NULL);
        else if (strcmp(a, "--listen-delay") == 0)
            listen_delay = strtod(v, NULL);
        else {
            fprintf(stderr, "fake_firecracker: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (!sock) {
        usage(stderr);
        return 2;
    }
    f = fopen(spec, "rb");
    if (!f) {
        fprintf(stderr, "fake_firecracker: cannot open spec %s: %s\n", spec, strerror(errno));
        return 1;
    }
    fseek(f, 0, SEEK_END);
    sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)sz + 1);
    if (!text || fread(text, 1, (size_t)sz, f) != (size_t)sz) {
        fclose(f);
        return 1;
    }
    fclose(f);
    text[sz] = '\0';
    g_spec = cJSON_Parse(text);
    free(text);
    if (!g_spec || !cJSON_GetObjectItemCaseSensitive(g_spec, "paths")) {
        fprintf(stderr, "fake_firecracker: %s is not a swagger spec\n", spec);
        return 1;
    }

    memset(&act, 0, sizeof act);
    act.sa_handler = on_term;
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);
    signal(SIGPIPE, SIG_IGN);

    lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(sock) >= sizeof sa.sun_path) {
        fprintf(stderr, "fake_firecracker: socket path too long\n");
        return 1;
    }
    strcpy(sa.sun_path, sock);
    /* like Firecracker: refuse to run over an existing socket path */
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        fprintf(stderr, "fake_firecracker: cannot bind %s: %s\n", sock, strerror(errno));
        return 1;
    }
    if (listen_delay > 0) {
        struct timespec ts = {(time_t)listen_delay,
                              (long)((listen_delay - floor(listen_delay)) * 1e9)};
        nanosleep(&ts, NULL);
    }
    if (listen(lfd, 16) != 0) {
        fprintf(stderr, "fake_firecracker: cannot listen on %s: %s\n", sock, strerror(errno));
        return 1;
    }
    fprintf(stderr, "fake_firecracker: API server listening on %s (FAKE, spec %s)\n", sock, spec);

    while (!g_stop) {
        struct pollfd pf = {lfd, POLLIN, 0};
        int cfd, code, k;
        char method[16], path[256], why[1024] = "";
        char *body = NULL;

        if (g_booted && crash_after_boot >= 0) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            if ((double)(now.tv_sec - boot_at.tv_sec) +
                    (double)(now.tv_nsec - boot_at.tv_nsec) / 1e9 >= crash_after_boot) {
                fprintf(stderr, "fake_firecracker: injected crash after boot\n");
                die_now(71);
            }
        }
        if (g_redis > 0 && waitpid(g_redis, NULL, WNOHANG) == g_redis) {
            fprintf(stderr, "fake_firecracker: the guest's redis-server exited\n");
            g_redis = 0;
        }
        if (poll(&pf, 1, 100) <= 0)
            continue;
        cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (cfd < 0)
            continue;
        if (read_request(cfd, method, path, &body) != 0) {
            reply(cfd, 400, "Malformed HTTP request");
            close(cfd);
            free(body);
            continue;
        }
        if (crash_after >= 0 && nreq >= crash_after) {
            fprintf(stderr, "fake_firecracker: injected crash at request %d (%s %s)\n", nreq + 1,
                    method, path);
            die_now(70);
        }
        nreq++;
        code = handle(method, path, body, why, sizeof why);
        for (k = 0; k < nfail && code == 204; k++) {
            char want[300];
            snprintf(want, sizeof want, "%s:%s", method, path);
            if (strcmp(want, fail_on[k]) == 0) {
                code = 400;
                snprintf(why, sizeof why, "injected failure for %s %s", method, path);
                if (strcmp(path, "/actions") == 0)
                    g_booted = 0;
            }
        }
        if (code == 204 && g_booted && !boot_at.tv_sec && strcmp(path, "/actions") == 0) {
            pthread_t t;
            clock_gettime(CLOCK_MONOTONIC, &boot_at);
            if (pthread_create(&t, NULL, vcpu_thread, NULL) == 0) {
                pthread_setname_np(t, "fc_vcpu 0");
                pthread_detach(t);
            }
            if (redis && rport && !never_ready)
                g_redis = start_redis(redis, rport);
        }
        if (logp) { /* before the answer, so the client sees the log complete */
            FILE *lf = fopen(logp, "a");
            if (lf) {
                fprintf(lf, "%s %s %d%s%s\n", method, path, code, code == 204 ? "" : " ",
                        code == 204 ? "" : why);
                fclose(lf);
            }
        }
        reply(cfd, code, why);
        close(cfd);
        fprintf(stderr, "fake_firecracker: %s %s -> %d %s\n", method, path, code, why);
        free(body);
    }
    if (g_redis > 0) {
        kill(g_redis, SIGTERM);
        waitpid(g_redis, NULL, 0);
    }
    close(lfd);
    unlink(sock);
    cJSON_Delete(g_spec);
    return 0;
}
