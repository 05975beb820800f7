/* ev_drv_util.c - helpers shared by the drivers: settings fields with paths, argv lists,
 * spawning (fork + execvp, never a shell), stopping process groups, PING, /proc scans. */
#include "ev_drv_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "ev_fs.h"
#include "ev_spawn.h"
#include "ev_time.h"

/* ---------------------------------------------------------------- text buffers */

void ev_drv_copy(char *dst, size_t n, const char *src)
{
    size_t l = strlen(src);
    if (!n)
        return;
    if (l >= n)
        l = n - 1;
    memcpy(dst, src, l);
    dst[l] = '\0';
}

static int needs_quote(const char *s)
{
    if (!*s)
        return 1;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || strchr("-_./=:,@%+", *s)))
            return 1;
    return 0;
}

void ev_drv_buf_argv(ev_drv_buf *b, char *const *argv)
{
    int i;
    for (i = 0; argv && argv[i]; i++) {
        const char *s = argv[i];
        if (i)
            ev_drv_buf_printf(b, " ");
        if (!needs_quote(s)) {
            ev_drv_buf_printf(b, "%s", s);
            continue;
        }
        ev_drv_buf_printf(b, "'");
        for (; *s; s++) {
            if (*s == '\'')
                ev_drv_buf_printf(b, "'\\''");
            else
                ev_drv_buf_printf(b, "%c", *s);
        }
        ev_drv_buf_printf(b, "'");
    }
}

void ev_drv_argv_add(ev_drv_argv *a, const char *s)
{
    if (a->oom)
        return;
    if (a->n + 2 > a->cap) {
        int cap = a->cap ? a->cap * 2 : 16;
        char **v = realloc(a->v, (size_t)cap * sizeof *v);
        if (!v) {
            a->oom = 1;
            return;
        }
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n] = strdup(s);
    if (!a->v[a->n]) {
        a->oom = 1;
        a->v[a->n] = NULL;
        return;
    }
    a->n++;
    a->v[a->n] = NULL;
}

void ev_drv_argv_addf(ev_drv_argv *a, const char *fmt, ...)
{
    char tmp[PATH_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    ev_drv_argv_add(a, tmp);
}

void ev_drv_argv_addv(ev_drv_argv *a, char *const *v)
{
    for (; v && *v; v++)
        ev_drv_argv_add(a, *v);
}

void ev_drv_argv_free(ev_drv_argv *a)
{
    int i;
    for (i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

void ev_drv_strv_free(char **v)
{
    char **p;
    for (p = v; p && *p; p++)
        free(*p);
    free(v);
}

/* ---------------------------------------------------------------- settings */

static const char *pth(const char *path)
{
    return path && *path ? path : "settings";
}

int ev_drv_check_keys(const cJSON *o, const char *path, const char *const *allowed, ev_error *err)
{
    const cJSON *it;
    if (!cJSON_IsObject(o))
        return ev_error_set(err, EV_ESCHEMA, "%s: expected an object", pth(path));
    cJSON_ArrayForEach(it, o) {
        const char *const *a;
        int ok = 0;
        for (a = allowed; *a; a++)
            if (it->string && strcmp(it->string, *a) == 0)
                ok = 1;
        if (!ok)
            return ev_error_set(err, EV_ESCHEMA, "%s.%s: unknown field for driver settings",
                                pth(path), it->string ? it->string : "?");
    }
    return EV_OK;
}

int ev_drv_get_str(const cJSON *o, const char *path, const char *key, int required,
                   const char *def, char *out, size_t n, ev_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!it) {
        if (required)
            return ev_error_set(err, EV_ESCHEMA, "%s.%s: required field is missing", pth(path), key);
        snprintf(out, n, "%s", def ? def : "");
        return EV_OK;
    }
    if (!cJSON_IsString(it))
        return ev_error_set(err, EV_ESCHEMA, "%s.%s: expected a string", pth(path), key);
    if (strlen(it->valuestring) >= n)
        return ev_error_set(err, EV_ERANGE, "%s.%s: longer than %zu characters", pth(path), key,
                            n - 1);
    if (required && !*it->valuestring)
        return ev_error_set(err, EV_ESCHEMA, "%s.%s: must not be empty", pth(path), key);
    snprintf(out, n, "%s", it->valuestring);
    return EV_OK;
}

int ev_drv_get_num(const cJSON *o, const char *path, const char *key, int required, double def,
                   double min, double max, double *out, ev_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!it) {
        if (required)
            return ev_error_set(err, EV_ESCHEMA, "%s.%s: required field is missing", pth(path), key);
        *out = def;
        return EV_OK;
    }
    if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
        return ev_error_set(err, EV_ESCHEMA, "%s.%s: expected a number", pth(path), key);
    if (it->valuedouble < min || it->valuedouble > max)
        return ev_error_set(err, EV_ERANGE, "%s.%s: %.17g is out of range [%.17g, %.17g]",
                            pth(path), key, it->valuedouble, min, max);
    *out = it->valuedouble;
    return EV_OK;
}

int ev_drv_get_int(const cJSON *o, const char *path, const char *key, int required, long def,
                   long min, long max, long *out, ev_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!it) {
        if (required)
            return ev_error_set(err, EV_ESCHEMA, "%s.%s: required field is missing", pth(path), key);
        *out = def;
        return EV_OK;
    }
    if (!cJSON_IsNumber(it) || it->valuedouble != floor(it->valuedouble))
        return ev_error_set(err, EV_ESCHEMA, "%s.%s: expected an integer", pth(path), key);
    if (it->valuedouble < (double)min || it->valuedouble > (double)max)
        return ev_error_set(err, EV_ERANGE, "%s.%s: %.17g is out of range [%ld, %ld]", pth(path),
                            key, it->valuedouble, min, max);
    *out = (long)it->valuedouble;
    return EV_OK;
}

int ev_drv_get_bool(const cJSON *o, const char *path, const char *key, int def, int *out,
                    ev_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!it) {
        *out = def;
        return EV_OK;
    }
    if (!cJSON_IsBool(it))
        return ev_error_set(err, EV_ESCHEMA, "%s.%s: expected true or false", pth(path), key);
    *out = cJSON_IsTrue(it);
    return EV_OK;
}

int ev_drv_get_strv(const cJSON *o, const char *path, const char *key, int required,
                    int min_len, char ***out, ev_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key), *e;
    ev_drv_argv a = {0};
    int i = 0;
    *out = NULL;
    if (!it) {
        if (required)
            return ev_error_set(err, EV_ESCHEMA, "%s.%s: required field is missing", pth(path), key);
        return EV_OK;
    }
    if (!cJSON_IsArray(it))
        return ev_error_set(err, EV_ESCHEMA, "%s.%s: expected an array of strings", pth(path), key);
    if (cJSON_GetArraySize(it) < min_len)
        return ev_error_set(err, EV_ESCHEMA, "%s.%s: needs at least %d element(s)", pth(path), key,
                            min_len);
    cJSON_ArrayForEach(e, it) {
        if (!cJSON_IsString(e)) {
            ev_drv_argv_free(&a);
            return ev_error_set(err, EV_ESCHEMA, "%s.%s[%d]: expected a string", pth(path), key, i);
        }
        ev_drv_argv_add(&a, e->valuestring);
        i++;
    }
    if (!a.v) /* an empty array: a list holding only the terminator */
        a.v = calloc(1, sizeof *a.v);
    if (a.oom || !a.v) {
        ev_drv_argv_free(&a);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    *out = a.v;
    return EV_OK;
}

int ev_drv_get_cpus(const cJSON *o, const char *path, const char *key, int *out, int max,
                    int *n, ev_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key), *e;
    int i = 0;
    *n = 0;
    if (!it)
        return EV_OK;
    if (!cJSON_IsArray(it))
        return ev_error_set(err, EV_ESCHEMA, "%s.%s: expected an array of CPU numbers", pth(path),
                            key);
    cJSON_ArrayForEach(e, it) {
        if (!cJSON_IsNumber(e) || e->valuedouble != floor(e->valuedouble))
            return ev_error_set(err, EV_ESCHEMA, "%s.%s[%d]: expected an integer CPU number",
                                pth(path), key, i);
        if (e->valuedouble < 0 || e->valuedouble >= CPU_SETSIZE)
            return ev_error_set(err, EV_ERANGE, "%s.%s[%d]: CPU %.17g is out of range [0, %d]",
                                pth(path), key, i, e->valuedouble, CPU_SETSIZE - 1);
        if (i >= max)
            return ev_error_set(err, EV_ERANGE, "%s.%s: more than %d CPUs", pth(path), key, max);
        out[i++] = (int)e->valuedouble;
    }
    *n = i;
    return EV_OK;
}

/* ---------------------------------------------------------------- processes */

int ev_drv_pin(pid_t tid, const int *cpus, int n_cpus, ev_error *err)
{
    cpu_set_t set;
    int i;
    CPU_ZERO(&set);
    for (i = 0; i < n_cpus; i++)
        CPU_SET(cpus[i], &set);
    if (sched_setaffinity(tid, sizeof set, &set) != 0)
        return ev_error_sys(err, EV_ESYS, errno, "sched_setaffinity(%d)", (int)tid);
    return EV_OK;
}

int ev_drv_pin_threads(ev_driver *d, const char *prefix, ev_error *err)
{
    pid_t tids[EV_DRIVER_MAX_TIDS];
    int n, i, rc;
    if (!d->n_pin)
        return EV_OK;
    n = ev_drv_find_threads(d->pid, prefix, tids, EV_DRIVER_MAX_TIDS);
    for (i = 0; i < n; i++)
        if ((rc = ev_drv_pin(tids[i], d->pin, d->n_pin, err)) != EV_OK)
            return rc;
    return EV_OK;
}

int ev_drv_spawn(pid_t *out, char *const *argv, const int *cpus, int n_cpus,
                 const char *log_path, ev_error *err)
{
    return ev_drv_spawn_ns(out, argv, cpus, n_cpus, log_path, NULL, err);
}

int ev_drv_spawn_main(ev_driver *d, char *const *argv, ev_error *err)
{
    return ev_drv_spawn_ns(&d->pid, argv, d->pin, d->n_pin, d->log_path,
                           d->spawn_outside_netns ? NULL : d->netns, err);
}

int ev_drv_spawn_ns(pid_t *out, char *const *argv, const int *cpus, int n_cpus,
                    const char *log_path, const char *netns_path, ev_error *err)
{
    /* common/ev_spawn: own process group, PDEATHSIG, default signals, stdout+stderr to the
     * log, the namespace, the CPUs */
    ev_spawn_options o = EV_SPAWN_OPTIONS_INIT;
    ev_spawn_child c;
    int rc;
    *out = 0;
    o.out = EV_SPAWN_FILE;
    o.err = EV_SPAWN_STDOUT;
    o.log_path = log_path;
    o.pdeathsig = SIGKILL;
    o.netns_path = netns_path;
    o.cpus = cpus;
    o.ncpus = n_cpus;
    if ((rc = ev_spawn(&c, argv, &o, err)) != EV_OK)
        return rc;
    *out = c.pid;
    return EV_OK;
}

static int wait_for(pid_t pid, double timeout_s, int *status)
{
    double end = ev_time_now_s() + timeout_s;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD))
            return 1;
        if (ev_time_now_s() >= end)
            return 0;
        ev_time_sleep_s(0.02, NULL);
    }
}

int ev_drv_kill_group(pid_t pid, double timeout_s, int *status)
{
    int st = 0, rc = EV_OK;
    kill(-pid, SIGTERM);
    if (!wait_for(pid, timeout_s, &st)) {
        kill(-pid, SIGKILL);
        waitpid(pid, &st, 0);
        rc = EV_ETIMEOUT;
    }
    /* the leader is gone; take the rest of its group with it (the group id cannot be reused
     * while a member lives, so this reaches only our children's children) */
    kill(-pid, SIGKILL);
    if (status)
        *status = st;
    return rc;
}

int ev_drv_run(char *const *argv, double timeout_s, char *line, size_t n, ev_error *err)
{
    const char *td = getenv("TMPDIR");
    char tmpl[PATH_MAX];
    int fd, st = 0, rc;
    pid_t pid;
    snprintf(tmpl, sizeof tmpl, "%s/edgevirt-run-XXXXXX", td && *td ? td : "/tmp");
    fd = mkstemp(tmpl);
    if (fd < 0)
        return ev_error_sys(err, EV_ESYS, errno, "mkstemp");
    close(fd);
    rc = ev_drv_spawn(&pid, argv, NULL, 0, tmpl, err);
    if (rc != EV_OK) {
        unlink(tmpl);
        return rc;
    }
    if (!wait_for(pid, timeout_s, &st)) {
        ev_drv_kill_group(pid, 0.5, &st);
        unlink(tmpl);
        return ev_error_set(err, EV_ETIMEOUT, "%s: did not finish within %.3g s", argv[0],
                            timeout_s);
    }
    kill(-pid, SIGKILL);
    if (line && n) {
        FILE *f = fopen(tmpl, "r");
        line[0] = '\0';
        if (f) {
            if (fgets(line, (int)n, f))
                line[strcspn(line, "\r\n")] = '\0';
            fclose(f);
        }
    }
    unlink(tmpl);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char how[64];
        ev_drv_describe_status(st, how, sizeof how);
        return ev_error_set(err, EV_ECHILD, "%s: %s", argv[0], how);
    }
    return EV_OK;
}

int ev_drv_alive(ev_driver *d)
{
    pid_t r;
    int st;
    if (!d->running)
        return 0;
    r = waitpid(d->pid, &st, WNOHANG);
    if (r == 0)
        return 1;
    d->running = 0;
    d->exited = 1;
    d->status = (r == d->pid) ? st : 0;
    kill(-d->pid, SIGKILL); /* leftovers of its group */
    return 0;
}

void ev_drv_describe_status(int status, char *out, size_t n)
{
    if (WIFEXITED(status))
        snprintf(out, n, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(out, n, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(out, n, "stopped (status 0x%x)", (unsigned)status);
}

void ev_drv_file_tail(const char *path, char *out, size_t n)
{
    FILE *f;
    long sz;
    size_t got, i, j = 0;
    char *buf;
    out[0] = '\0';
    if (n < 2 || !(f = fopen(path, "rb")))
        return;
    buf = malloc(n);
    if (!buf) {
        fclose(f);
        return;
    }
    fseek(f, 0, SEEK_END);
    sz = ftell(f);
    if (sz > (long)(n / 2))
        fseek(f, sz - (long)(n / 2), SEEK_SET);
    else
        fseek(f, 0, SEEK_SET);
    got = fread(buf, 1, n / 2, f);
    fclose(f);
    while (got && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
        got--;
    for (i = 0; i < got && j + 4 < n; i++) {
        if (buf[i] == '\n') {
            memcpy(out + j, " | ", 3);
            j += 3;
        } else if (buf[i] != '\r') {
            out[j++] = isprint((unsigned char)buf[i]) ? buf[i] : '?';
        }
    }
    out[j] = '\0';
    free(buf);
}

int ev_drv_find_threads(pid_t pid, const char *prefix, pid_t *out, int max)
{
    char dpath[64];
    DIR *dir;
    struct dirent *e;
    int n = 0;
    snprintf(dpath, sizeof dpath, "/proc/%d/task", (int)pid);
    dir = opendir(dpath);
    if (!dir)
        return 0;
    while ((e = readdir(dir)) && n < max) {
        char cpath[600], comm[64] = "";
        FILE *f;
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        snprintf(cpath, sizeof cpath, "%s/%s/comm", dpath, e->d_name);
        f = fopen(cpath, "r");
        if (!f)
            continue;
        if (fgets(comm, sizeof comm, f))
            comm[strcspn(comm, "\n")] = '\0';
        fclose(f);
        if (strncmp(comm, prefix, strlen(prefix)) == 0)
            out[n++] = (pid_t)atoi(e->d_name);
    }
    closedir(dir);
    /* readdir order is arbitrary: sort so vCPU 0 comes first when names sort that way */
    {
        int i, j;
        for (i = 1; i < n; i++)
            for (j = i; j > 0 && out[j - 1] > out[j]; j--) {
                pid_t t = out[j];
                out[j] = out[j - 1];
                out[j - 1] = t;
            }
    }
    return n;
}

int ev_drv_find_procs_by_comm(const char *name, pid_t *out, int max)
{
    DIR *dir = opendir("/proc");
    struct dirent *e;
    int n = 0;
    if (!dir)
        return 0;
    while ((e = readdir(dir)) && n < max) {
        char cpath[600], comm[64] = "";
        FILE *f;
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        snprintf(cpath, sizeof cpath, "/proc/%s/comm", e->d_name);
        f = fopen(cpath, "r");
        if (!f)
            continue;
        if (fgets(comm, sizeof comm, f))
            comm[strcspn(comm, "\n")] = '\0';
        fclose(f);
        if (strcmp(comm, name) == 0)
            out[n++] = (pid_t)atoi(e->d_name);
    }
    closedir(dir);
    return n;
}

/* ---------------------------------------------------------------- Redis */

int ev_drv_ping(const char *host, int port, double timeout_s, ev_error *err)
{
    return ev_drv_ping_ns(NULL, host, port, timeout_s, err);
}

int ev_drv_ping_ns(const char *netns_path, const char *host, int port, double timeout_s,
                   ev_error *err)
{
    struct timeval tv;
    redisContext *c;
    redisReply *r;
    int rc;
    if (timeout_s < 0.05)
        timeout_s = 0.05;
    tv.tv_sec = (time_t)timeout_s;
    tv.tv_usec = (suseconds_t)((timeout_s - (double)tv.tv_sec) * 1e6);
    if (netns_path && *netns_path) {
        int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        int target = open(netns_path, O_RDONLY | O_CLOEXEC);
        if (self < 0 || target < 0 || setns(target, CLONE_NEWNET) != 0) {
            rc = ev_error_sys(err, EV_ESYS, errno, "PING %s:%d: cannot enter network namespace %s",
                              host, port, netns_path);
            if (self >= 0)
                close(self);
            if (target >= 0)
                close(target);
            return rc;
        }
        c = redisConnectWithTimeout(host, port, tv); /* the socket belongs to netns_path */
        if (setns(self, CLONE_NEWNET) != 0) {
            /* cannot get back: leaving this thread in the wrong namespace would be worse */
            abort();
        }
        close(self);
        close(target);
    } else {
        c = redisConnectWithTimeout(host, port, tv);
    }
    if (!c)
        return ev_error_set(err, EV_ENOMEM, "PING %s:%d: cannot allocate context", host, port);
    if (c->err) {
        rc = ev_error_set(err, EV_ECONNECT, "PING %s:%d: %s", host, port, c->errstr);
        redisFree(c);
        return rc;
    }
    redisSetTimeout(c, tv);
    r = redisCommand(c, "PING");
    if (!r) {
        rc = ev_error_set(err, EV_EPROTO, "PING %s:%d: %s", host, port,
                          c->errstr[0] ? c->errstr : "no reply");
    } else if (r->type == REDIS_REPLY_STATUS && r->str && strcmp(r->str, "PONG") == 0) {
        rc = EV_OK;
    } else {
        rc = ev_error_set(err, EV_EPROTO, "PING %s:%d: unexpected reply%s%s", host, port,
                          r->str ? ": " : "", r->str ? r->str : "");
    }
    if (r)
        freeReplyObject(r);
    redisFree(c);
    return rc;
}

void ev_drv_probe_version(ev_driver *d, char *const *argv)
{
    char line[256], *s, *e;
    ev_error ignored = EV_ERROR_INIT;
    if (d->version_set)
        return;
    d->info.version[0] = '\0';
    if (ev_drv_run(argv, 5.0, line, sizeof line, &ignored) != EV_OK)
        return;
    if ((s = strstr(line, "v=")))
        s += 2;
    else if ((s = strstr(line, "version ")))
        s += 8;
    else {
        for (s = line; *s; s++)
            if ((s == line || s[-1] == ' ') &&
                (isdigit((unsigned char)*s) || (*s == 'v' && isdigit((unsigned char)s[1]))))
                break;
        if (!*s)
            s = line;
    }
    e = s + strcspn(s, " \t");
    *e = '\0';
    ev_drv_copy(d->info.version, sizeof d->info.version, s);
}

void ev_drv_plan_spawn(ev_drv_buf *b, const ev_driver *d, char *const *argv, int pinned)
{
    int i;
    ev_drv_buf_printf(b, "spawn pgid=new ");
    if (pinned && d->n_pin) {
        ev_drv_buf_printf(b, "pin=");
        for (i = 0; i < d->n_pin; i++)
            ev_drv_buf_printf(b, "%s%d", i ? "," : "", d->pin[i]);
    } else {
        ev_drv_buf_printf(b, "unpinned");
    }
    if (d->netns[0] && !d->spawn_outside_netns)
        ev_drv_buf_printf(b, " netns=%s", d->netns);
    ev_drv_buf_printf(b, " log=<workdir>/%s.log: ", d->info.driver);
    ev_drv_buf_argv(b, argv);
    ev_drv_buf_printf(b, "\n");
}

/* ---- preflight checks ---- */

int ev_drv_need_exec(const ev_driver *d, const char *field, const char *bin, ev_error *err)
{
    if (ev_fs_find_exec(bin, NULL, 0))
        return EV_OK;
    if (strchr(bin, '/'))
        return ev_error_set(err, EV_ENOENT, "%s.%s: \"%s\" is not an executable file (%s); "
                            "install it or correct the path", d->path, field, bin,
                            access(bin, F_OK) == 0 ? "not executable" : "no such file");
    return ev_error_set(err, EV_ENOENT, "%s.%s: \"%s\" is not found on PATH; install it, add "
                        "its folder to PATH, or give its full path", d->path, field, bin);
}

int ev_drv_need_file(const ev_driver *d, const char *field, const char *file, ev_error *err)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        close(fd);
        return EV_OK;
    }
    return ev_error_set(err, EV_ENOENT, "%s.%s: cannot read \"%s\": %s", d->path, field, file,
                        strerror(errno));
}

int ev_drv_need_iface(const ev_driver *d, const char *field, const char *ifname, ev_error *err)
{
    char p[128];
    if (d->netns[0] || !ifname[0])
        return EV_OK; /* in another namespace: the platform's start finds out */
    snprintf(p, sizeof p, "/sys/class/net/%s", ifname);
    if (access(p, F_OK) == 0)
        return EV_OK;
    return ev_error_set(err, EV_ENOENT, "%s.%s: network interface \"%s\" does not exist in this "
                        "network namespace; create it first (e.g. ip tuntap add %s mode tap) or "
                        "run edgevirt-measure in the namespace that has it (ip netns exec NS)",
                        d->path, field, ifname, ifname);
}
