/* ev_runner.c - the experiment runner (see ev_runner.h). */
#include "ev_runner.h"
#include "ev_spawn.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <hiredis/hiredis.h>

#include "ev_driver.h"
#include "ev_json.h"
#include "ev_strbuf.h"
#include "ev_sampler.h"
#include "ev_time.h"

/* ------------------------------------------------------------------ argv */

void ev_runner_argv_free(char **argv)
{
    if (!argv)
        return;
    for (size_t i = 0; argv[i]; i++)
        free(argv[i]);
    free(argv);
}

typedef struct argv_b {
    char **v;
    size_t n, cap;
    int oom;
} argv_b;

static void av_add(argv_b *a, const char *s)
{
    if (a->oom)
        return;
    if (a->n + 2 > a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 32;
        char **nv = realloc(a->v, nc * sizeof *nv);
        if (!nv) {
            a->oom = 1;
            return;
        }
        a->v = nv;
        a->cap = nc;
    }
    a->v[a->n] = strdup(s);
    if (!a->v[a->n]) {
        a->oom = 1;
        return;
    }
    a->v[++a->n] = NULL;
}

static void av_addf(argv_b *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void av_addf(argv_b *a, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    av_add(a, buf);
}

/* seconds as text, exact enough for an option value */
static void fmt_s(char *buf, size_t len, double s)
{
    snprintf(buf, len, "%.6g", s);
}

static double load_timeout(const ev_spec *s)
{
    if (s->load_timeout_s > 0)
        return s->load_timeout_s;
    if (s->duration_s > 0)
        return s->duration_s + 60;
    return 600;
}

int ev_runner_load_argv(char ***out, const ev_spec *s, const ev_plan_point *pt,
                        const char *load_bin, const char *host, int port, int warmup,
                        ev_error *err)
{
    argv_b a = {0};
    char num[64];
    *out = NULL;
    for (size_t i = 0; s->client_prefix[i]; i++)
        av_add(&a, s->client_prefix[i]);
    av_add(&a, load_bin && *load_bin ? load_bin : s->load_bin);
    av_add(&a, "-h");
    av_add(&a, host);
    av_add(&a, "-p");
    av_addf(&a, "%d", port);
    if (pt->mix >= 0) { /* a measured mix: edgevirt-load's MIX test */
        const ev_spec_mix *mx = &s->mixes[pt->mix];
        char list[EV_REC_MAX_MIX * 40] = "";
        size_t off = 0;
        for (size_t j = 0; j < mx->n && off < sizeof list; j++)
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%.0f:%.10g", j ? "," : "",
                                    mx->size[j], mx->weight[j]);
        av_add(&a, "--data-size-list");
        av_add(&a, list);
        av_add(&a, "--get-ratio");
        av_addf(&a, "%.10g", mx->get_ratio);
    } else {
        av_add(&a, "-t");
        av_add(&a, pt->op == EV_OP_GET ? "get" : "set");
        av_add(&a, "-d");
        av_addf(&a, "%u", (unsigned)pt->value_size);
    }
    av_add(&a, "-c");
    av_addf(&a, "%u", (unsigned)pt->clients);
    av_add(&a, "-P");
    av_addf(&a, "%u", (unsigned)pt->pipeline);
    if (s->keyspace) {
        av_add(&a, "-r");
        av_addf(&a, "%llu", (unsigned long long)s->keyspace);
    }
    if (warmup) {
        av_add(&a, "--duration");
        fmt_s(num, sizeof num, s->warmup_s);
        av_add(&a, num);
    } else if (s->requests) {
        av_add(&a, "-n");
        av_addf(&a, "%llu", (unsigned long long)s->requests);
    } else {
        av_add(&a, "--duration");
        fmt_s(num, sizeof num, s->duration_s);
        av_add(&a, num);
    }
    /* GET reads what the warm-up stored (its prefill); without a warm-up the measured run
     * prefills itself, before its measured window starts */
    if (!warmup && s->warmup_s > 0)
        av_add(&a, "--no-prefill");
    av_add(&a, "--time-limit");
    fmt_s(num, sizeof num, warmup ? s->warmup_s + 60 : load_timeout(s));
    av_add(&a, num);
    av_add(&a, "--json");
    for (size_t i = 0; s->load_args[i]; i++)
        av_add(&a, s->load_args[i]);
    if (a.oom) {
        ev_runner_argv_free(a.v);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    *out = a.v;
    return EV_OK;
}

void ev_runner_quote_argv(char *buf, size_t len, char *const *argv)
{
    size_t o = 0;
    if (!len)
        return;
    buf[0] = '\0';
    for (size_t i = 0; argv[i]; i++) {
        const char *s = argv[i];
        int plain = *s != '\0';
        for (const char *c = s; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || strchr("-_./:=,@+%", *c)))
                plain = 0;
        if (i && o + 1 < len)
            buf[o++] = ' ';
        if (plain) {
            for (const char *c = s; *c && o + 1 < len; c++)
                buf[o++] = *c;
        } else {
            if (o + 1 < len)
                buf[o++] = '\'';
            for (const char *c = s; *c && o + 1 < len; c++) {
                if (*c == '\'') {
                    const char *esc = "'\\''";
                    for (; *esc && o + 1 < len; esc++)
                        buf[o++] = *esc;
                } else
                    buf[o++] = *c;
            }
            if (o + 1 < len)
                buf[o++] = '\'';
        }
    }
    buf[o] = '\0';
}

/* ------------------------------------------------------------------ load JSON */

static double num_or(const cJSON *o, const char *k, double def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) && v->valuedouble == v->valuedouble ? v->valuedouble : def;
}

int ev_runner_parse_load(ev_record *r, const char *text, size_t len, ev_op op, ev_error *err)
{
    cJSON *root = cJSON_ParseWithLength(text, len);
    const cJSON *tests, *t, *sel = NULL, *rv, *lat;
    if (!root || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return ev_error_set(err, EV_EPARSE, "edgevirt-load output is not a JSON object");
    }
    const char *schema = ev_json_schema_of(root);
    if (!schema || strcmp(schema, "edgevirt.load/1") != 0) {
        ev_error_set(err, EV_EPROTO, "edgevirt-load output: schema \"%s\", expected "
                     "\"edgevirt.load/1\"", schema ? schema : "(none)");
        cJSON_Delete(root); /* schema points into the tree: delete after the message */
        return EV_EPROTO;
    }
    rv = cJSON_GetObjectItemCaseSensitive(root, "redis_version");
    if (cJSON_IsString(rv) && rv->valuestring[0])
        snprintf(r->redis_version, sizeof r->redis_version, "%s", rv->valuestring);
    tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
    const char *want = r->mix.n ? "MIX" : ev_op_name(op);
    cJSON_ArrayForEach(t, tests) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(t, "op");
        if (cJSON_IsString(name) && strcmp(name->valuestring, want) == 0)
            sel = t;
    }
    if (!sel) {
        cJSON_Delete(root);
        return ev_error_set(err, EV_EPROTO, "edgevirt-load output has no %s test",
                            want);
    }
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(sel, "status");
    if (!cJSON_IsString(st) || strcmp(st->valuestring, "ok") != 0) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(sel, "error");
        ev_error_set(err, EV_EPROTO, "edgevirt-load %s test failed: %s", want,
                     cJSON_IsString(e) ? e->valuestring : "(no reason given)");
        cJSON_Delete(root);
        return err ? err->code : EV_EPROTO;
    }
    double rps = num_or(sel, "rps", -1);
    if (rps < 0) {
        cJSON_Delete(root);
        return ev_error_set(err, EV_EPROTO, "edgevirt-load output: %s test has no rps",
                            want);
    }
    r->rps = rps;
    double req = num_or(sel, "requests", 0), dur = num_or(sel, "duration_s", -1),
           ks = num_or(sel, "key_size", 0);
    if (req >= 1 && req < 1.8e19) /* (uint64_t) of a larger double is undefined (fuzz_load_output) */
        r->requests = (uint64_t)req;
    if (dur >= 0)
        r->duration_s = dur;
    if (ks >= 1 && ks <= 65536)
        r->key_size = (uint32_t)ks;
    lat = cJSON_GetObjectItemCaseSensitive(sel, "latency_ms");
    if (cJSON_IsObject(lat) && num_or(lat, "count", 1) > 0) {
        r->lat_avg_ms = num_or(lat, "avg", -1);
        r->lat_p50_ms = num_or(lat, "p50", -1);
        r->lat_p90_ms = num_or(lat, "p90", -1);
        r->lat_p99_ms = num_or(lat, "p99", -1);
        r->lat_p999_ms = num_or(lat, "p999", -1);
        r->lat_max_ms = num_or(lat, "max", -1);
    }
    cJSON_Delete(root);
    return EV_OK;
}

/* ------------------------------------------------------------------ child processes */

typedef struct child_out {
    char *out;          /* stdout, NUL-terminated */
    size_t out_len;
    char err_tail[400]; /* the end of stderr, on one line */
    int status;         /* wait status */
    int timed_out, interrupted;
} child_out;

static void tail_append(char *tail, size_t cap, const char *data, size_t n)
{
    size_t have = strlen(tail);
    for (size_t i = 0; i < n; i++) {
        char c = data[i] == '\n' || data[i] == '\r' ? ' ' : data[i];
        if (have + 1 >= cap) {
            memmove(tail, tail + cap / 2, have - cap / 2 + 1);
            have = strlen(tail);
        }
        tail[have++] = c;
        tail[have] = '\0';
    }
}

static void kill_group(pid_t pid, int *status)
{
    kill(-pid, SIGTERM);
    for (int i = 0; i < 40; i++) { /* 2 s */
        if (waitpid(pid, status, WNOHANG) == pid) {
            kill(-pid, SIGKILL); /* stragglers of the group */
            return;
        }
        usleep(50000);
    }
    kill(-pid, SIGKILL);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
}

/* Run argv with stdout and stderr captured, within timeout_s, stopping early when *stop.
 * RETURNS EV_OK when the child ran and was reaped (whatever its status), EV_ENOENT when the
 * binary is missing, EV_ESYS, EV_ENOMEM. */
static int run_capture(child_out *co, char *const *argv, double timeout_s,
                       volatile sig_atomic_t *stop, void (*tick)(void *), void *tick_arg,
                       ev_error *err)
{
    double next_tick = ev_time_now_s() + 1;
    int po[1], pe[1];
    pid_t pid;
    size_t cap = 1 << 16;
    memset(co, 0, sizeof *co);
    co->out = malloc(cap);
    if (!co->out)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    co->out[0] = '\0';
    {
        /* common/ev_spawn: own process group, dies with us, stdout and stderr to us */
        ev_spawn_options so = EV_SPAWN_OPTIONS_INIT;
        ev_spawn_child ch;
        int src;
        so.out = EV_SPAWN_PIPE;
        so.err = EV_SPAWN_PIPE;
        so.pdeathsig = SIGKILL;
        if ((src = ev_spawn(&ch, argv, &so, err)) != EV_OK) {
            if (src == EV_ENOENT) /* the message the runner has always given */
                ev_error_sys(err, EV_ENOENT, ENOENT, "cannot run %s", argv[0]);
            return src;
        }
        pid = ch.pid;
        po[0] = ch.out_fd;
        pe[0] = ch.err_fd;
    }
    double end = ev_time_now_s() + timeout_s;
    int open_o = 1, open_e = 1, rc = EV_OK;
    while (open_o || open_e) {
        struct pollfd pf[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
        if (stop && *stop) {
            co->interrupted = 1;
            break;
        }
        double now = ev_time_now_s(), left = end - now;
        if (left <= 0) {
            co->timed_out = 1;
            break;
        }
        if (tick && now >= next_tick) {
            tick(tick_arg); /* the progress line's clock */
            next_tick = now + 1;
        }
        pf[0].fd = open_o ? po[0] : -1;
        pf[1].fd = open_e ? pe[0] : -1;
        int n = poll(pf, 2, left > 0.2 ? 200 : (int)(left * 1000) + 1);
        if (n < 0 && errno != EINTR) {
            rc = ev_error_sys(err, EV_ESYS, errno, "poll");
            break;
        }
        if (n <= 0)
            continue;
        if (open_o && (pf[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (co->out_len + 4096 + 1 > cap) {
                char *nb = realloc(co->out, cap * 2);
                if (!nb) {
                    rc = ev_error_set(err, EV_ENOMEM, "out of memory");
                    break;
                }
                co->out = nb;
                cap *= 2;
            }
            ssize_t r = read(po[0], co->out + co->out_len, 4096);
            if (r > 0) {
                co->out_len += (size_t)r;
                co->out[co->out_len] = '\0';
            } else if (r == 0 || errno != EINTR)
                open_o = 0;
        }
        if (open_e && (pf[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            char b[1024];
            ssize_t r = read(pe[0], b, sizeof b);
            if (r > 0)
                tail_append(co->err_tail, sizeof co->err_tail, b, (size_t)r);
            else if (r == 0 || errno != EINTR)
                open_e = 0;
        }
    }
    if (open_o || open_e || rc != EV_OK)
        kill_group(pid, &co->status);
    else {
        /* both pipes closed: the child is exiting; wait for it, bounded */
        double wend = ev_time_now_s() + 5;
        for (;;) {
            pid_t w = waitpid(pid, &co->status, WNOHANG);
            if (w == pid)
                break;
            if (ev_time_now_s() > wend || (stop && *stop)) {
                kill_group(pid, &co->status);
                break;
            }
            usleep(10000);
        }
        kill(-pid, SIGKILL); /* anything the child left running in its group */
    }
    close(po[0]);
    close(pe[0]);
    return rc;
}

static void describe_status(char *out, size_t n, int st)
{
    if (WIFEXITED(st))
        snprintf(out, n, "exited with status %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(out, n, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
    else
        snprintf(out, n, "ended with wait status %d", st);
}

/* ------------------------------------------------------------------ helpers */

static void read_mtu(uint32_t *mtu, const char *ifname)
{
    char p[512], b[32];
    FILE *f;
    if (snprintf(p, sizeof p, "/sys/class/net/%s/mtu", ifname) >= (int)sizeof p)
        return; /* no such interface name */
    f = fopen(p, "r");
    if (!f)
        return;
    if (fgets(b, sizeof b, f)) {
        long v = strtol(b, NULL, 10);
        if (v >= 68 && v <= 65536)
            *mtu = (uint32_t)v;
    }
    fclose(f);
}

/* INFO server over hiredis (fallback when edgevirt-load did not report the version) */
static void redis_version(char *out, size_t n, const char *host, int port)
{
    struct timeval tv = {1, 0};
    redisContext *c = redisConnectWithTimeout(host, port, tv);
    if (!c || c->err) {
        redisFree(c);
        return;
    }
    redisSetTimeout(c, tv);
    redisReply *r = redisCommand(c, "INFO server");
    if (r && r->type == REDIS_REPLY_STRING) {
        const char *v = strstr(r->str, "redis_version:");
        if (v) {
            v += strlen("redis_version:");
            size_t k = strcspn(v, "\r\n");
            snprintf(out, n, "%.*s", (int)k, v);
        }
    }
    freeReplyObject(r);
    redisFree(c);
}

static void set_error(ev_record *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(ev_record *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    if (!r->error[0])
        snprintf(r->error, sizeof r->error, "failed");
    r->ok = 0;
}

/* the record skeleton of a point: what is known before measuring */
static void record_base(ev_record *r, const ev_spec *s, const ev_plan_point *pt,
                        const ev_driver_info *info, const ev_record *host)
{
    ev_record_init(r);
    r->source = EV_SOURCE_MEASURED;
    snprintf(r->point, sizeof r->point, "%s", pt->id);
    r->repeat = pt->repeat;
    snprintf(r->platform, sizeof r->platform, "%s", s->platforms[pt->platform].id);
    r->path = EV_PATH_NATIVE;
    if (info) {
        int p = ev_path_parse(info->driver_path);
        if (p >= 0)
            r->path = (ev_path)p;
        snprintf(r->stack, sizeof r->stack, "%s", info->stack);
        r->offload = info->offload ? 1 : 0;
        snprintf(r->platform_version, sizeof r->platform_version, "%s", info->version);
    }
    r->op = pt->op;
    r->value_size = pt->value_size;
    r->anchor = pt->anchor;
    if (pt->mix >= 0) {
        const ev_spec_mix *mx = &s->mixes[pt->mix];
        r->mix.n = mx->n;
        r->mix.get_ratio = mx->get_ratio;
        snprintf(r->mix.name, sizeof r->mix.name, "%s", mx->name);
        memcpy(r->mix.size, mx->size, mx->n * sizeof mx->size[0]);
        memcpy(r->mix.weight, mx->weight, mx->n * sizeof mx->weight[0]);
    }
    r->clients = pt->clients;
    r->pipeline = pt->pipeline;
    r->mtu = s->mtu;
    r->link_rate_bps = s->link_rate_bps;
    snprintf(r->host, sizeof r->host, "%s", host->host);
    snprintf(r->kernel, sizeof r->kernel, "%s", host->kernel);
    snprintf(r->arch, sizeof r->arch, "%s", host->arch);
    snprintf(r->cpu_model, sizeof r->cpu_model, "%s", host->cpu_model);
    snprintf(r->ev_version, sizeof r->ev_version, "%s", host->ev_version);
}

/* append r; an invalid record (a bug or an odd measurement) is recorded as failed instead,
 * so the point is never silently lost */
static int append_record(const char *results, ev_record *r, ev_error *err)
{
    ev_error verr = EV_ERROR_INIT;
    if (ev_record_validate(r, &verr) != EV_OK) {
        char why[sizeof verr.msg + 64];
        snprintf(why, sizeof why, "measured record did not validate: %s", verr.msg);
        ev_record keep = *r;
        ev_record_init(r);
        r->source = EV_SOURCE_MEASURED;
        memcpy(r->time, keep.time, sizeof r->time);
        memcpy(r->point, keep.point, sizeof r->point);
        r->repeat = keep.repeat;
        memcpy(r->platform, keep.platform, sizeof r->platform);
        r->path = keep.path;
        r->op = keep.op;
        r->value_size = keep.value_size;
        r->clients = keep.clients;
        r->pipeline = keep.pipeline;
        set_error(r, "%s", why);
    }
    return ev_record_append(results, r, err);
}

/* ------------------------------------------------------------------ the run */

typedef struct run_state {
    const ev_spec *s;
    const ev_runner_options *o;
    ev_runner_summary *sum;
    ev_runner_progress prog;
    double t0;
    double measured_s; /* time spent on points run (for the ETA) */
    size_t measured_n;
    ev_record host;
} run_state;

static int stopped(const run_state *st)
{
    return st->o->stop && *st->o->stop;
}

static void progress(run_state *st, const char *phase, const ev_record *rec)
{
    if (!st->o->progress)
        return;
    st->prog.phase = phase;
    st->prog.elapsed_s = ev_time_now_s() - st->t0;
    st->prog.ok = st->sum->ok;
    st->prog.failed = st->sum->failed;
    size_t left = st->prog.todo - (st->sum->ok + st->sum->failed);
    st->prog.eta_s = st->measured_n ? st->measured_s / (double)st->measured_n * (double)left : -1;
    st->prog.record = rec;
    st->o->progress(&st->prog, st->o->payload);
}

static void tick_progress(void *arg)
{
    run_state *st = arg;
    progress(st, st->prog.phase, NULL);
}

/* the interfaces to sample for this platform: the driver's instance interface replaces the
 * spec's "instance" entry */
static size_t build_ifaces(ev_sampler_iface *out, const ev_spec *s, const ev_driver_info *info)
{
    size_t n = 0;
    int have_inst = info && info->instance_iface[0];
    if (have_inst) {
        snprintf(out[n].ifname, sizeof out[n].ifname, "%s", info->instance_iface);
        out[n++].role = EV_ROLE_INSTANCE;
    }
    for (size_t i = 0; i < s->nifaces; i++) {
        if (have_inst && (s->ifaces[i].role == EV_ROLE_INSTANCE ||
                          strcmp(s->ifaces[i].name, info->instance_iface) == 0))
            continue;
        snprintf(out[n].ifname, sizeof out[n].ifname, "%s", s->ifaces[i].name);
        out[n++].role = s->ifaces[i].role;
    }
    return n;
}

/* Measure one point on a running, ready platform. Fills r (ok or failed).
 * RETURNS EV_OK (r says what happened), EV_EINTR (stopped: r not to be recorded). */
static int measure_point(run_state *st, const ev_plan_point *pt, ev_driver *d, ev_record *r)
{
    const ev_spec *s = st->s;
    const ev_driver_info *info = ev_driver_get_info(d);
    const char *host = s->client_host[0] ? s->client_host : info->host;
    int port = s->client_port ? s->client_port : info->port;
    const char *bin = ev_runner_load_bin(s, st->o);
    char **argv = NULL;
    child_out co;
    ev_error e = EV_ERROR_INIT;
    char how[96];
    int rc;

    /* warm-up: the same load, not sampled; for GET it also stores the value read later */
    if (s->warmup_s > 0) {
        progress(st, "warm-up", NULL);
        if ((rc = ev_runner_load_argv(&argv, s, pt, bin, host, port, 1, &e)) != EV_OK) {
            set_error(r, "%s", e.msg);
            return EV_OK;
        }
        rc = run_capture(&co, argv, s->warmup_s + 60, st->o->stop, tick_progress, st, &e);
        ev_runner_argv_free(argv);
        argv = NULL;
        if (rc != EV_OK) {
            free(co.out);
            set_error(r, "warm-up: %s", e.msg);
            return EV_OK;
        }
        free(co.out);
        if (co.interrupted)
            return EV_EINTR;
        if (ev_driver_check(d, &e) != EV_OK) {
            set_error(r, "platform died during the warm-up: %s", e.msg);
            return EV_OK;
        }
        if (co.timed_out || !WIFEXITED(co.status) || WEXITSTATUS(co.status) != 0) {
            describe_status(how, sizeof how, co.status);
            set_error(r, "warm-up: edgevirt-load %s%s: %s", co.timed_out ? "timed out and " : "",
                      how, co.err_tail[0] ? co.err_tail : "(no output)");
            return EV_OK;
        }
    }
    if (stopped(st))
        return EV_EINTR;

    /* what to sample */
    ev_driver_pids pids;
    int pidv[2];
    size_t npids = 0;
    int vmm_idx = -1, guest_idx = -1;
    if (ev_driver_get_pids(d, &pids, &e) != EV_OK) {
        set_error(r, "platform processes: %s", e.msg);
        return EV_OK;
    }
    if (pids.vmm > 0)
        vmm_idx = (int)npids, pidv[npids++] = (int)pids.vmm;
    if (pids.guest > 0) /* command driver's guest_pid_file (a testbed's redis-server) */
        guest_idx = (int)npids, pidv[npids++] = (int)pids.guest;
    ev_sampler_iface ifs[EV_SPEC_MAX_IFACES + 1];
    size_t nifs = build_ifaces(ifs, s, info);
    if (!s->mtu) {
        for (size_t i = 0; i < nifs && !r->mtu; i++)
            if (ifs[i].role == EV_ROLE_INSTANCE)
                read_mtu(&r->mtu, ifs[i].ifname);
        for (size_t i = 0; i < nifs && !r->mtu; i++)
            if (ifs[i].role == EV_ROLE_NIC)
                read_mtu(&r->mtu, ifs[i].ifname);
    }
    ev_sampler_options so = EV_SAMPLER_OPTIONS_INIT;
    so.cpus = s->ncpus ? s->cpus : NULL;
    so.ncpus = s->ncpus;
    so.pids = pidv;
    so.npids = npids;
    so.ifaces = ifs;
    so.nifaces = nifs;
    so.interval_s = 0; /* no series: the record holds the window's totals */

    if ((rc = ev_runner_load_argv(&argv, s, pt, bin, host, port, 0, &e)) != EV_OK) {
        set_error(r, "%s", e.msg);
        return EV_OK;
    }
    progress(st, "measure", NULL);
    ev_sampler *smp = NULL;
    if ((rc = ev_sampler_start(&smp, &so, &e)) != EV_OK) {
        ev_runner_argv_free(argv);
        set_error(r, "%s%s", strncmp(e.msg, "sampler", 7) ? "sampler: " : "", e.msg);
        return EV_OK;
    }
    rc = run_capture(&co, argv, load_timeout(s), st->o->stop, tick_progress, st, &e);
    ev_runner_argv_free(argv);
    ev_sampler_result res;
    memset(&res, 0, sizeof res);
    ev_error se = EV_ERROR_INIT;
    int src = ev_sampler_stop(smp, &res, &se);
    ev_time_iso8601(r->time, sizeof r->time);
    if (rc != EV_OK) {
        free(co.out);
        ev_sampler_result_free(&res);
        set_error(r, "edgevirt-load: %s", e.msg);
        return EV_OK;
    }
    if (co.interrupted) {
        free(co.out);
        ev_sampler_result_free(&res);
        return EV_EINTR;
    }
    /* a platform that died mid-point makes the point failed whatever the load says */
    if (ev_driver_check(d, &e) != EV_OK) {
        free(co.out);
        ev_sampler_result_free(&res);
        set_error(r, "platform crashed during the point: %s", e.msg);
        return EV_OK;
    }
    ev_record tmp = *r;
    ev_error pe = EV_ERROR_INIT;
    int prc = co.out_len ? ev_runner_parse_load(&tmp, co.out, co.out_len, pt->op, &pe)
                         : ev_error_set(&pe, EV_EPROTO, "no output");
    describe_status(how, sizeof how, co.status);
    if (co.timed_out) {
        set_error(r, "edgevirt-load did not finish within %.0f s (killed)", load_timeout(s));
    } else if (prc != EV_OK) {
        set_error(r, "edgevirt-load %s: %s%s%s", how, pe.msg, co.err_tail[0] ? "; stderr: " : "",
                  co.err_tail);
    } else if (!WIFEXITED(co.status) || WEXITSTATUS(co.status) != 0) {
        set_error(r, "edgevirt-load %s: %s", how, co.err_tail[0] ? co.err_tail : "(no output)");
    } else if (src != EV_OK) {
        set_error(r, "%s%s", strncmp(se.msg, "sampler", 7) ? "sampler: " : "", se.msg);
    } else if (s->ncpus && res.set_ncpus != s->ncpus) {
        set_error(r, "gateway.cpus: only %zu of the %zu CPUs listed were online during the "
                  "window", res.set_ncpus, s->ncpus);
    } else {
        *r = tmp;
        ev_sampler_fill_record(r, &res, vmm_idx);
        if (guest_idx >= 0 && (size_t)guest_idx < res.nprocs && res.procs[guest_idx].present) {
            /* the guest is a host process: all its time is the guest's (vcpu_*), next to
             * the VMM's (vmm_*, 0 when there is no VMM process) */
            const ev_thread_cpu *g = &res.procs[guest_idx].cpu;
            if (vmm_idx < 0) {
                memset(&r->threads, 0, sizeof r->threads);
                r->threads.present = 1;
            }
            r->threads.vcpu_user = g->vmm_user + g->vcpu_user;
            r->threads.vcpu_system = g->vmm_system + g->vcpu_system;
            snprintf(r->threads.basis, sizeof r->threads.basis, "process+guest");
        }
        r->cpu_ncpu = (uint32_t)res.set_ncpus;
        if (!r->redis_version[0])
            redis_version(r->redis_version, sizeof r->redis_version, info->host, info->port);
    }
    free(co.out);
    ev_sampler_result_free(&res);
    return EV_OK;
}

static int load_done(ev_recset *done, const ev_runner_options *o, ev_runner_summary *sum,
                     ev_error *err)
{
    ev_error le = EV_ERROR_INIT;
    int dropped = 0;
    if (!o->results || access(o->results, F_OK) != 0)
        return EV_OK;
    int rc = ev_recset_load(done, o->results, 1, &dropped, &le);
    if (rc != EV_OK) {
        ev_recset_free(done); /* it keeps the lines before the bad one (leak found by LSan) */
        ev_error_set(err, rc, "%s", le.msg);
        return rc;
    }
    if (sum) {
        sum->dropped = dropped;
        if (dropped)
            snprintf(sum->warning, sizeof sum->warning, "%s", le.msg);
    }
    return EV_OK;
}

/* ev_driver_ready in slices of at most 1 s, so that SIGINT during a long boot is honoured
 * within a second; a final timeout reports the whole wait */
static int wait_ready(run_state *st, ev_driver *d, ev_error *e)
{
    double end = ev_time_now_s() + st->s->ready_timeout_s;
    for (;;) {
        double left = end - ev_time_now_s();
        int rc = ev_driver_ready(d, left < 1.0 ? (left > 0.05 ? left : 0.05) : 1.0, e);
        if (rc != EV_ETIMEOUT)
            return rc;
        if (stopped(st))
            return EV_EINTR;
        if (ev_time_now_s() >= end) {
            /* the message names the slice: "... within 1 s (last: ...)"; say the whole wait */
            char *w = strstr(e->msg, " within ");
            char *sec = w ? strstr(w + 8, " s") : NULL;
            if (w && sec) {
                char tail[EV_ERRSTR_LEN];
                snprintf(tail, sizeof tail, "%s", sec);
                snprintf(w, sizeof e->msg - (size_t)(w - e->msg), " within %.6g%s",
                         st->s->ready_timeout_s, tail);
            }
            return rc;
        }
    }
}

int ev_runner_run(ev_runner_summary *sum, const ev_spec *s, const ev_runner_options *o,
                  ev_error *err)
{
    ev_plan_point *pts = NULL;
    size_t n = 0;
    ev_recset done = {0};
    run_state st;
    int rc;
    unsigned char *skip = NULL;

    memset(sum, 0, sizeof *sum);
    if (!o || !o->results)
        return ev_error_set(err, EV_EUSAGE, "no results file given");
    if ((rc = ev_plan_build(&pts, &n, s, err)) != EV_OK)
        return rc;
    if ((rc = load_done(&done, o, sum, err)) != EV_OK) {
        free(pts);
        return rc;
    }
    skip = calloc(n ? n : 1, 1);
    if (!skip) {
        free(pts);
        ev_recset_free(&done);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    sum->total = n;
    for (size_t i = 0; i < n; i++)
        if (ev_recset_find_point(&done, pts[i].id) >= 0) {
            skip[i] = 1;
            sum->skipped++;
        }
    ev_recset_free(&done);
    /* refuse at once, before the first point, what would fail every point */
    if (sum->skipped < n && (rc = ev_runner_preflight(s, o, err)) != EV_OK) {
        free(pts);
        free(skip);
        return rc;
    }

    memset(&st, 0, sizeof st);
    st.s = s;
    st.o = o;
    st.sum = sum;
    st.t0 = ev_time_now_s();
    st.prog.total = n;
    st.prog.skipped = sum->skipped;
    st.prog.todo = n - sum->skipped;
    ev_record_init(&st.host);
    ev_record_fill_host(&st.host);

    ev_driver *d = NULL;
    size_t d_block = (size_t)-1;
    char block_fail[EV_ERRSTR_LEN + 64] = "";
    size_t fail_block = (size_t)-1;
    rc = EV_OK;
    for (size_t i = 0; i < n && rc == EV_OK; i++) {
        const ev_plan_point *pt = &pts[i];
        ev_error e = EV_ERROR_INIT;
        ev_record r;
        if (stopped(&st)) {
            rc = EV_EINTR;
            break;
        }
        if (skip[i])
            continue;
        /* a new block: stop the previous platform */
        if (d && d_block != pt->block) {
            st.prog.point = pt->id;
            progress(&st, "stop", NULL);
            ev_driver_stop(d, s->stop_timeout_s, NULL);
            ev_driver_free(d);
            d = NULL;
        }
        double pt0 = ev_time_now_s();
        st.prog.index = i + 1;
        st.prog.point = pt->id;
        if (fail_block == pt->block) {
            /* the platform did not come up in this block: do not retry every point */
            record_base(&r, s, pt, NULL, &st.host);
            ev_time_iso8601(r.time, sizeof r.time);
            set_error(&r, "not measured: %s", block_fail);
        } else {
            if (!d) {
                progress(&st, "start", NULL);
                const ev_spec_platform *sp = &s->platforms[pt->platform];
                rc = ev_driver_new(&d, sp->settings, sp->path, &e);
                if (rc == EV_OK) {
                    d_block = pt->block;
                    rc = ev_driver_start(d, &e);
                    if (rc == EV_OK) {
                        progress(&st, "ready", NULL);
                        rc = wait_ready(&st, d, &e);
                    }
                }
                if (rc != EV_OK) {
                    record_base(&r, s, pt, d ? ev_driver_get_info(d) : NULL, &st.host);
                    ev_time_iso8601(r.time, sizeof r.time);
                    set_error(&r, "%s", e.msg);
                    snprintf(block_fail, sizeof block_fail, "the platform failed to start "
                             "earlier in this block: %s", e.msg);
                    fail_block = pt->block;
                    ev_driver_free(d);
                    d = NULL;
                    rc = EV_OK;
                    if (stopped(&st)) {
                        rc = EV_EINTR;
                        break;
                    }
                    goto record;
                }
            } else if (ev_driver_check(d, &e) != EV_OK) {
                /* died between points: restart it for this point */
                ev_driver_free(d);
                d = NULL;
                i--;
                continue;
            }
            record_base(&r, s, pt, ev_driver_get_info(d), &st.host);
            rc = measure_point(&st, pt, d, &r);
            if (rc == EV_EINTR)
                break;
            if (!r.ok && ev_driver_check(d, NULL) != EV_OK) {
                ev_driver_free(d); /* crashed: the next point starts it again */
                d = NULL;
            }
        }
    record:
        if (!r.time[0])
            ev_time_iso8601(r.time, sizeof r.time);
        rc = append_record(o->results, &r, err);
        if (rc != EV_OK)
            break;
        if (r.ok)
            sum->ok++;
        else
            sum->failed++;
        st.measured_s += ev_time_now_s() - pt0;
        st.measured_n++;
        progress(&st, "done", &r);
        if (s->restart == EV_SPEC_RESTART_POINT && d) {
            ev_driver_stop(d, s->stop_timeout_s, NULL);
            ev_driver_free(d);
            d = NULL;
        }
    }
    if (d) {
        ev_driver_stop(d, s->stop_timeout_s, NULL);
        ev_driver_free(d);
    }
    free(pts);
    free(skip);
    if (rc == EV_EINTR) {
        sum->interrupted = 1;
        ev_error_set(err, EV_EINTR, "interrupted: %zu points recorded in this run", sum->ok +
                     sum->failed);
    }
    return rc;
}

/* ------------------------------------------------------------------ dry run */

/* the shared growable text buffer (common/ev_strbuf.h) */
typedef ev_strbuf tbuf;
#define tb_printf ev_strbuf_printf

static void tb_indent(tbuf *b, const char *text, const char *pre)
{
    const char *l = text;
    while (*l) {
        size_t k = strcspn(l, "\n");
        tb_printf(b, "%s%.*s\n", pre, (int)k, l);
        l += k;
        if (*l == '\n')
            l++;
    }
}

int ev_runner_plan_text(char **out, const ev_spec *s, const ev_runner_options *o, ev_error *err)
{
    ev_plan_point *pts = NULL;
    size_t n = 0, nskip = 0;
    ev_recset done = {0};
    tbuf b = {0};
    char line[4096];
    int rc;
    *out = NULL;
    if ((rc = ev_plan_build(&pts, &n, s, err)) != EV_OK)
        return rc;
    if (o && (rc = load_done(&done, o, NULL, err)) != EV_OK) {
        free(pts);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        if (ev_recset_find_point(&done, pts[i].id) >= 0)
            nskip++;
    tb_printf(&b, "# edgevirt-measure plan of %s%s%s%s\n", s->file, s->name[0] ? " (" : "",
              s->name, s->name[0] ? ")" : "");
    if (s->nmixes)
        tb_printf(&b, "# %zu points = %zu platforms x (%zu ops x %zu sizes + %zu mixes) x %zu "
                      "clients x %zu pipelines x %u repeats; repeats outer, platform order "
                      "rotated per repeat; restart %s\n",
                  n, s->nplatforms, s->nops, s->nsizes, s->nmixes, s->nclients, s->npipelines,
                  (unsigned)s->repeats,
                  s->restart == EV_SPEC_RESTART_POINT ? "per_point" : "per_block");
    else
        tb_printf(&b, "# %zu points = %zu platforms x %zu ops x %zu sizes x %zu clients x %zu "
                      "pipelines x %u repeats; repeats outer, platform order rotated per "
                      "repeat; restart %s\n",
                  n, s->nplatforms, s->nops, s->nsizes, s->nclients, s->npipelines,
                  (unsigned)s->repeats,
                  s->restart == EV_SPEC_RESTART_POINT ? "per_point" : "per_block");
    if (o && o->results)
        tb_printf(&b, "# results %s: %zu points already recorded (skipped), %zu to run\n",
                  o->results, nskip, n - nskip);
    tb_printf(&b, "# gateway cpus:");
    if (!s->ncpus)
        tb_printf(&b, " all online");
    for (size_t i = 0; i < s->ncpus; i++)
        tb_printf(&b, "%s%d", i ? "," : " ", s->cpus[i]);
    tb_printf(&b, "; interfaces:");
    if (!s->nifaces)
        tb_printf(&b, " (none besides the driver's instance interface)");
    for (size_t i = 0; i < s->nifaces; i++)
        tb_printf(&b, " %s(%s)", s->ifaces[i].name,
                  s->ifaces[i].role == EV_ROLE_INSTANCE ? "instance"
                  : s->ifaces[i].role == EV_ROLE_NIC    ? "nic"
                                                        : "other");
    tb_printf(&b, "\n# network: mtu ");
    if (s->mtu)
        tb_printf(&b, "%u", (unsigned)s->mtu);
    else
        tb_printf(&b, "(read from the instance or nic interface)");
    if (s->link_rate_bps > 0)
        tb_printf(&b, ", link_rate_bps %.17g", s->link_rate_bps);
    tb_printf(&b, "\n# timeouts: ready %.6g s, stop %.6g s, load %.6g s\n", s->ready_timeout_s,
              s->stop_timeout_s, load_timeout(s));

    size_t cur_block = (size_t)-1;
    ev_driver *d = NULL;
    for (size_t i = 0; i < n && !b.oom; i++) {
        const ev_plan_point *pt = &pts[i];
        const ev_spec_platform *sp = &s->platforms[pt->platform];
        ev_error e = EV_ERROR_INIT;
        if (pt->block != cur_block) {
            char *ptext = NULL;
            ev_driver_free(d);
            d = NULL;
            cur_block = pt->block;
            if ((rc = ev_driver_new(&d, sp->settings, sp->path, &e)) != EV_OK ||
                (rc = ev_driver_plan(d, &ptext, &e)) != EV_OK) {
                ev_driver_free(d);
                free(pts);
                free(b.s);
                ev_recset_free(&done);
                return ev_error_set(err, rc, "%s: %s", s->file, e.msg);
            }
            tb_printf(&b, "\nblock %zu: platform %s, repeat %d\n", pt->block, sp->id, pt->repeat);
            tb_printf(&b, "  start platform:\n");
            tb_indent(&b, ptext, "    ");
            free(ptext);
        }
        const ev_driver_info *info = ev_driver_get_info(d);
        const char *host = s->client_host[0] ? s->client_host : info->host;
        int port = s->client_port ? s->client_port : info->port;
        char **argv = NULL;
        int last = i + 1 == n || pts[i + 1].block != pt->block;
        tb_printf(&b, "  point %s", pt->id);
        if (ev_recset_find_point(&done, pt->id) >= 0) {
            tb_printf(&b, ": skip (recorded)\n");
            if (last)
                tb_printf(&b, "  stop platform %s (SIGTERM, SIGKILL after %.6g s)\n", sp->id,
                          s->stop_timeout_s);
            continue;
        }
        tb_printf(&b, "\n");
        if (s->warmup_s > 0) {
            if (ev_runner_load_argv(&argv, s, pt, ev_runner_load_bin(s, o), host, port, 1, &e) ==
                EV_OK) {
                ev_runner_quote_argv(line, sizeof line, argv);
                tb_printf(&b, "    warm-up (not sampled): %s\n", line);
            }
            ev_runner_argv_free(argv);
        }
        ev_sampler_iface ifs[EV_SPEC_MAX_IFACES + 1];
        size_t nifs = build_ifaces(ifs, s, info);
        tb_printf(&b, "    sample from here: /proc/stat cpus");
        if (!s->ncpus)
            tb_printf(&b, " all");
        for (size_t k = 0; k < s->ncpus; k++)
            tb_printf(&b, "%s%d", k ? "," : " ", s->cpus[k]);
        tb_printf(&b, "; /proc/PID/task/*/stat of the platform's main process (vmm, vcpu, "
                      "vhost threads)");
        for (size_t k = 0; k < nifs; k++)
            tb_printf(&b, "; /sys/class/net/%s/statistics (%s)", ifs[k].ifname,
                      ifs[k].role == EV_ROLE_INSTANCE ? "instance"
                      : ifs[k].role == EV_ROLE_NIC    ? "nic"
                                                      : "other");
        tb_printf(&b, "\n");
        if (ev_runner_load_argv(&argv, s, pt, ev_runner_load_bin(s, o), host, port, 0, &e) ==
            EV_OK) {
            ev_runner_quote_argv(line, sizeof line, argv);
            tb_printf(&b, "    load (sampled): %s\n", line);
        }
        ev_runner_argv_free(argv);
        tb_printf(&b, "    check the platform is alive; append record %s\n",
                  o && o->results ? o->results : "RESULTS");
        if (last)
            tb_printf(&b, "  stop platform %s (SIGTERM, SIGKILL after %.6g s)\n", sp->id,
                      s->stop_timeout_s);
    }
    ev_driver_free(d);
    free(pts);
    ev_recset_free(&done);
    if (b.oom) {
        free(b.s);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    if (!b.s) {
        b.s = strdup("");
        if (!b.s)
            return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    *out = b.s;
    return EV_OK;
}
