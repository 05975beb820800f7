/* ev_loadgen.c - see ev_loadgen.h. The setup and the run of a test; the
 * per-thread event loop is in ev_loadgen_io.c.
 *
 * I/O design (why not hiredis's async API): every connection is a plain hiredis redisContext,
 * connected blocking (clear connect errors, AUTH in one round trip), then switched to
 * non-blocking and driven by our own epoll loop. Requests are written as RESP straight into a
 * per-connection buffer (no redisFormatCommand/sds allocation per request) and sent with one
 * send() per batch; replies are read with one read() into a per-thread buffer and scanned in
 * place (ev_lg__scan_replies: we only need each reply's type; a bulk body is skipped, never copied,
 * and beyond the buffer dropped by the kernel with recv(MSG_TRUNC)). Until 2026-12-06 a hiredis
 * redisReader with allocation-free reply objects parsed them; it copied every body into its own
 * buffer, which made 16 KB pipelined GET the one case behind redis-benchmark (issue 15). hiredis's async API (redisAsyncCommand + an adapter) instead formats every command with
 * sds, allocates a callback entry and a redisReply (a 16 KB copy for a GET of 16 KB) per request
 * and, through the libevent/libev/ae adapters of Debian's libhiredis 0.14, needs a second
 * library. Measured with `cmake --build build --target bench_load` (bench_load.sh runs this engine,
 * redis-benchmark and bench_async.c, which is the same closed loop on redisAsyncContext with an
 * own epoll adapter and pre-formatted commands), -c 50, 3 interleaved repeats, medians, client
 * CPU microseconds per request on the shared 2-core machine, 2026-11-25:
 *                  64B P1   64B P16   16KB P1   16KB P16
 *   SET  this      9.47     0.657     11.9      6.62
 *        async    11.2      0.933     15.4     19.6
 *        r-bench  16.4      1.11      22.3      8.98
 *   GET  this      9.05     0.663     12.7      6.30
 *        async     9.67     0.883     18.4      9.07
 *        r-bench  16.3      1.03      19.3      8.57
 * The async API cost 6-40 % more CPU per request there (3x for 16 KB SET with P16, where every
 * command is copied into its sds output buffer); its RPS was higher in one case (GET 64 B P16:
 * 369k vs 299k), where both clients wait on a server sharing the 2 cores and the run-to-run noise
 * is larger than that gap. A second run under heavier machine load had it ahead on GET 64 B P1
 * (10.6 vs 12.1 us): for small unpipelined requests the two designs are within the noise, for
 * 16 KB values and for pipelines this one is clearly cheaper, and lower client CPU is what leaves
 * the server more of the machine, so this design won. */
#include "ev_loadgen.h"
#include "ev_loadgen_int.h"
#include "ev_hist.h"
#include "ev_time.h"

#include <errno.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

const char *const ev_load_error_names[EV_LOAD_NERR] = {"connect", "closed", "timeout", "protocol", "server"};

static redisContext *connect_one(const ev_load_options *o, ev_error *err)
{
    struct timeval tv = {2, 0};
    redisContext *c = o->socket[0] ? redisConnectUnixWithTimeout(o->socket, tv)
                                   : redisConnectWithTimeout(o->host, o->port, tv);
    if (!c) {
        ev_error_set(err, EV_ENOMEM, "cannot allocate a redis context");
        return NULL;
    }
    if (c->err) {
        if (o->socket[0])
            ev_error_set(err, EV_ECONNECT, "cannot connect to %s: %s", o->socket, c->errstr);
        else
            ev_error_set(err, EV_ECONNECT, "cannot connect to %s:%d: %s", o->host, o->port, c->errstr);
        redisFree(c);
        return NULL;
    }
    if (redisSetTimeout(c, (struct timeval){(time_t)o->timeout_s, 0}) != REDIS_OK) {
        /* best effort: only bounds the synchronous AUTH / INFO / prefill calls */
    }
    if (o->auth[0]) {
        redisReply *rep = redisCommand(c, "AUTH %s", o->auth);
        if (!rep || rep->type == REDIS_REPLY_ERROR) {
            ev_error_set(err, EV_ECONNECT, "AUTH failed: %s", rep ? rep->str : c->errstr);
            if (rep)
                freeReplyObject(rep);
            redisFree(c);
            return NULL;
        }
        freeReplyObject(rep);
    }
    return c;
}

static void redis_version(const ev_load_options *o, char *out, size_t len)
{
    ev_error e = EV_ERROR_INIT;
    redisContext *c = connect_one(o, &e);
    if (!c)
        return;
    redisReply *rep = redisCommand(c, "INFO server");
    if (rep && rep->type == REDIS_REPLY_STRING) {
        const char *p = strstr(rep->str, "redis_version:");
        if (p) {
            p += 14;
            size_t n = strcspn(p, "\r\n");
            if (n >= len)
                n = len - 1;
            memcpy(out, p, n);
            out[n] = '\0';
        }
    }
    if (rep)
        freeReplyObject(rep);
    redisFree(c);
}

/* Store a value in every key GET/MIX will read (keyspace, or the single key). */
static int prefill(ev_load_report *rep, const ev_load_options *o, run *r, double *mean_size,
                   ev_load_progress_fn progress, void *payload, volatile sig_atomic_t *stop, ev_error *err)
{
    redisContext *c = connect_one(o, err);
    if (!c)
        return err->code;
    uint64_t nkeys = o->keyspace ? o->keyspace : 1;
    uint64_t rng = o->seed * UINT64_C(0x9E3779B97F4A7C15) + 7;
    if (!rng)
        rng = 1;
    uint64_t t0 = ev_time_now_ns(), tlast = t0;
    uint64_t limit = t0 + (uint64_t)(o->time_limit_s * 1e9);
    double bytes = 0;
    int rc = EV_OK;
    char key[KEY_SIZE];
    for (uint64_t i = 0; i < nkeys && rc == EV_OK;) {
        uint64_t batch = nkeys - i < 512 ? nkeys - i : 512;
        for (uint64_t j = 0; j < batch; j++) {
            if (o->keyspace)
                ev_lg__key_of(key, i + j);
            else
                memcpy(key, "key:__rand_int__", KEY_SIZE);
            uint32_t sz = ev_lg__draw_size(r, &rng);
            bytes += sz;
            redisAppendCommand(c, "SET %b %b", key, (size_t)KEY_SIZE, r->value, (size_t)sz);
        }
        for (uint64_t j = 0; j < batch; j++) {
            void *rp = NULL;
            if (redisGetReply(c, &rp) != REDIS_OK) {
                rc = ev_error_set(err, c->err == REDIS_ERR_EOF ? EV_ECLOSED : EV_EIO,
                                  "prefill: %s", c->errstr);
                break;
            }
            redisReply *x = rp;
            if (x->type == REDIS_REPLY_ERROR) {
                rc = ev_error_set(err, EV_EAPI, "prefill: SET failed: %s", x->str);
                freeReplyObject(x);
                break;
            }
            freeReplyObject(x);
        }
        i += batch;
        uint64_t now = ev_time_now_ns();
        if (rc == EV_OK && stop && *stop)
            rc = ev_error_set(err, EV_EINTR, "prefill: interrupted");
        if (rc == EV_OK && now > limit)
            rc = ev_error_set(err, EV_ETIMEOUT, "prefill: --time-limit reached after %llu of %llu keys",
                              (unsigned long long)i, (unsigned long long)nkeys);
        if (progress && now - tlast > 250000000u) {
            ev_load_progress p = {"prefill", 0, i, (double)(now - t0) / 1e9, 0, NULL};
            progress(&p, payload);
            tlast = now;
        }
    }
    redisFree(c);
    if (rc == EV_OK) {
        rep->prefilled = 1;
        rep->prefill_keys = nkeys;
        *mean_size = bytes / (double)nkeys;
    }
    return rc;
}

static void fill_lat(ev_load_lat *l, const ev_hist *h)
{
    l->count = ev_hist_count(h);
    l->overflow = ev_hist_overflow(h);
    l->avg_ms = ev_hist_mean(h) / 1e6;
    l->min_ms = (double)ev_hist_min(h) / 1e6;
    l->p50_ms = (double)ev_hist_percentile(h, 50) / 1e6;
    l->p90_ms = (double)ev_hist_percentile(h, 90) / 1e6;
    l->p95_ms = (double)ev_hist_percentile(h, 95) / 1e6;
    l->p99_ms = (double)ev_hist_percentile(h, 99) / 1e6;
    l->p999_ms = (double)ev_hist_percentile(h, 99.9) / 1e6;
    l->max_ms = (double)ev_hist_max(h) / 1e6;
}

static void free_clients(client *cl, uint32_t n)
{
    if (!cl)
        return;
    for (uint32_t i = 0; i < n; i++) {
        if (cl[i].ctx)
            redisFree(cl[i].ctx);
        free(cl[i].obuf);
        free(cl[i].ts);
        free(cl[i].op);
    }
    free(cl);
}

static int run_test(ev_load_result *res, const ev_load_options *o, run *r, ev_load_progress_fn progress,
                    void *payload, volatile sig_atomic_t *stop, ev_error *err)
{
    uint32_t nt = o->threads, nc = o->clients;
    int rc = EV_OK;
    client *cl = calloc(nc, sizeof *cl);
    worker *ws = calloc(nt, sizeof *ws);
    ev_hist *tot = NULL, *top[2] = {NULL, NULL};
    if (!cl || !ws || ev_hist_new(&tot) || ev_hist_new(&top[0]) || ev_hist_new(&top[1])) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto out;
    }
    for (uint32_t t = 0; t < nt; t++) {
        ws[t].epfd = ws[t].tfd = -1;
    }
    /* connect everything first (like redis-benchmark), so connect errors are clear and early */
    for (uint32_t i = 0; i < nc; i++) {
        client *c = &cl[i];
        c->ctx = connect_one(o, err);
        if (!c->ctx) {
            res->errors[EV_LOAD_E_CONNECT]++;
            rc = err->code;
            goto out;
        }
        c->fd = c->ctx->fd;
        int fl = fcntl(c->fd, F_GETFL);
        if (fl < 0 || fcntl(c->fd, F_SETFL, fl | O_NONBLOCK) < 0) {
            rc = ev_error_sys(err, EV_ESYS, errno, "fcntl O_NONBLOCK");
            goto out;
        }
        if (!o->socket[0]) {
            int one = 1;
            setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        c->qcap = o->pipeline < 16 ? 16 : o->pipeline;
        c->ts = malloc(c->qcap * sizeof *c->ts);
        c->op = malloc(c->qcap);
        if (!c->ts || !c->op) {
            rc = ev_error_set(err, EV_ENOMEM, "out of memory");
            goto out;
        }
    }
    uint64_t per = r->quota_total / nt, extra = r->quota_total % nt;
    for (uint32_t t = 0; t < nt; t++) {
        worker *w = &ws[t];
        w->r = r;
        w->id = (int)t;
        w->quota = per + (t < extra ? 1 : 0);
        w->rng = (o->seed + 1) * UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)(t + 1) * UINT64_C(0xD1B54A32D192ED03);
        if (!w->rng)
            w->rng = 1;
        w->c = &cl[t * (nc / nt) + (t < nc % nt ? t : nc % nt)];
        w->nc = nc / nt + (t < nc % nt ? 1 : 0);
        w->interval_ns = o->rate > 0 ? 1e9 * nt / o->rate : 0;
        w->rbuf = malloc(RBUF_SIZE);
        if (!w->rbuf || ev_hist_new(&w->h) || ev_hist_new(&w->hop[0]) || ev_hist_new(&w->hop[1])) {
            rc = ev_error_set(err, EV_ENOMEM, "out of memory");
            goto out;
        }
        w->epfd = epoll_create1(EPOLL_CLOEXEC);
        if (w->epfd < 0) {
            rc = ev_error_sys(err, EV_ESYS, errno, "epoll_create1");
            goto out;
        }
        if (o->rate > 0) {
            w->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
            struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
            if (w->tfd < 0 || epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->tfd, &ev) < 0) {
                rc = ev_error_sys(err, EV_ESYS, errno, "timerfd");
                goto out;
            }
        }
        for (uint32_t i = 0; i < w->nc; i++) {
            client *c = &w->c[i];
            c->w = w;
            struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
            if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
                rc = ev_error_sys(err, EV_ESYS, errno, "epoll_ctl");
                goto out;
            }
        }
    }
    uint64_t now = ev_time_now_ns();
    r->t_warm = now;
    r->t_start = now + (uint64_t)(o->warmup_s * 1e9);
    r->t_end = o->duration_s > 0 ? r->t_start + (uint64_t)(o->duration_s * 1e9) : 0;
    r->t_limit = now + (uint64_t)(o->time_limit_s * 1e9);
    r->timeout_ns = (uint64_t)(o->timeout_s * 1e9);
    uint32_t started = 0;
    for (uint32_t t = 0; t < nt; t++) {
        if (pthread_create(&ws[t].th, NULL, ev_lg__worker_main, &ws[t]) != 0) {
            atomic_store(&r->abort, 1);
            rc = ev_error_set(err, EV_ESYS, "pthread_create failed");
            break;
        }
        started++;
    }
    for (;;) {
        uint32_t fin = 0;
        uint64_t done = 0;
        for (uint32_t t = 0; t < started; t++) {
            fin += (uint32_t)atomic_load(&ws[t].finished);
            done += atomic_load_explicit(&ws[t].done, memory_order_relaxed);
        }
        if (fin == started)
            break;
        uint64_t t = ev_time_now_ns();
        if (progress) {
            ev_load_progress p = {res->name, t < r->t_start, done, (double)(t - r->t_warm) / 1e9, 0, NULL};
            progress(&p, payload);
        }
        struct timespec ts = {0, 250000000};
        nanosleep(&ts, NULL);
    }
    for (uint32_t t = 0; t < started; t++)
        pthread_join(ws[t].th, NULL);
    uint64_t t_last = r->t_start;
    for (uint32_t t = 0; t < nt; t++) {
        worker *w = &ws[t];
        ev_hist_merge(tot, w->h);
        ev_hist_merge(top[0], w->hop[0]);
        ev_hist_merge(top[1], w->hop[1]);
        for (int e = 0; e < EV_LOAD_NERR; e++)
            res->errors[e] += w->errors[e];
        res->get_misses += w->misses;
        if (w->t_last > t_last)
            t_last = w->t_last;
        if (rc == EV_OK && w->status != EV_OK) {
            rc = ev_error_set(err, w->status, "%s", w->errmsg);
        }
    }
    if (rc == EV_OK && stop && *stop)
        rc = ev_error_set(err, EV_EINTR, "interrupted");
    res->requests = ev_hist_count(tot);
    /* error replies are counted and do not stop a test, but a test where every reply was an
     * error (NOAUTH, wrong type, OOM ...) measured nothing */
    if (rc == EV_OK && res->errors[EV_LOAD_E_SERVER] > 0 && res->errors[EV_LOAD_E_SERVER] >= res->requests) {
        const char *first = "";
        for (uint32_t t = 0; t < nt && !*first; t++)
            first = ws[t].first_error;
        rc = ev_error_set(err, EV_EAPI, "every reply was an error, the first: %s", first);
    }
    res->op_requests[0] = ev_hist_count(top[0]);
    res->op_requests[1] = ev_hist_count(top[1]);
    res->duration_s = (double)(t_last - r->t_start) / 1e9;
    res->rps = res->duration_s > 0 ? (double)res->requests / res->duration_s : 0;
    fill_lat(&res->lat, tot);
    fill_lat(&res->op_lat[0], top[0]);
    fill_lat(&res->op_lat[1], top[1]);
out:
    if (ws) {
        for (uint32_t t = 0; t < nt; t++) {
            if (ws[t].epfd >= 0)
                close(ws[t].epfd);
            if (ws[t].tfd >= 0)
                close(ws[t].tfd);
            free(ws[t].rbuf);
            ev_hist_free(ws[t].h);
            ev_hist_free(ws[t].hop[0]);
            ev_hist_free(ws[t].hop[1]);
        }
    }
    free(ws);
    free_clients(cl, nc);
    ev_hist_free(tot);
    ev_hist_free(top[0]);
    ev_hist_free(top[1]);
    return rc;
}

int ev_loadgen_run(ev_load_report *out, const ev_load_options *o, ev_load_progress_fn progress,
                   void *payload, volatile sig_atomic_t *stop, ev_error *err)
{
    memset(out, 0, sizeof *out);
    ev_time_iso8601(out->start_time, sizeof out->start_time);
    uint32_t ms = ev_lg__max_size(o);
    char *value = malloc((size_t)ms + 1);
    if (!value)
        return ev_error_set(err, EV_ENOMEM, "out of memory (value of %u bytes)", ms);
    memset(value, 'x', ms);
    value[ms] = '\0';
    int kinds[3], nk = 0;
    if (o->tests & EV_LOAD_T_SET)
        kinds[nk++] = EV_LOAD_T_SET;
    if (o->tests & EV_LOAD_T_GET)
        kinds[nk++] = EV_LOAD_T_GET;
    if (o->ratio_set + o->ratio_get > 0)
        kinds[nk++] = EV_LOAD_T_MIX;
    int rc = EV_OK;
    double prefill_mean = -1;
    for (int i = 0; i < nk && rc == EV_OK; i++) {
        run r;
        memset(&r, 0, sizeof r);
        r.o = o;
        r.kind = kinds[i];
        r.stop = stop;
        r.value = value;
        atomic_init(&r.abort, 0);
        if (o->size_kind == EV_LOAD_SIZE_LIST) {
            for (int j = 0; j < o->size_n; j++) {
                r.size_tot += o->size_weight[j];
                r.size_cum[j] = r.size_tot;
            }
        }
        if (o->duration_s > 0)
            r.quota_total = o->requests_given ? o->requests : UINT64_C(1000000000000);
        else
            r.quota_total = o->requests;
        r.fixed_batches = o->keyspace == 0 && o->size_kind == EV_LOAD_SIZE_FIXED && kinds[i] != EV_LOAD_T_MIX;
        ev_load_result *res = &out->tests[out->ntests++];
        snprintf(res->name, sizeof res->name, "%s",
                 kinds[i] == EV_LOAD_T_SET ? "SET" : kinds[i] == EV_LOAD_T_GET ? "GET" : "MIX");
        res->open_loop = o->rate > 0;
        res->target_rate = o->rate;
        res->warmup_s = o->warmup_s;
        res->key_size = KEY_SIZE;
        res->clients = o->clients;
        res->pipeline = o->pipeline;
        res->threads = o->threads;
        if (i == 0) {
            /* probe once: a clear connect error before anything else, and the server version */
            ev_error e = EV_ERROR_INIT;
            redisContext *c = connect_one(o, &e);
            if (!c) {
                res->status = rc = e.code;
                res->errors[EV_LOAD_E_CONNECT]++;
                snprintf(res->error, sizeof res->error, "%s", e.msg);
                *err = e;
                break;
            }
            redisFree(c);
            redis_version(o, out->redis_version, sizeof out->redis_version);
        }
        if (kinds[i] != EV_LOAD_T_SET && o->prefill && prefill_mean < 0) {
            rc = prefill(out, o, &r, &prefill_mean, progress, payload, stop, err);
            if (rc != EV_OK) {
                res->status = rc;
                snprintf(res->error, sizeof res->error, "%s", err->msg);
                break;
            }
        }
        double mean = ev_load_options_mean_size(o);
        if (kinds[i] == EV_LOAD_T_GET && prefill_mean >= 0)
            mean = prefill_mean;
        res->value_size_mean = mean;
        rc = run_test(res, o, &r, progress, payload, stop, err);
        res->status = rc;
        if (rc != EV_OK)
            snprintf(res->error, sizeof res->error, "%s", err->msg);
        if (progress) {
            ev_load_progress p = {res->name, 0, res->requests, res->duration_s, 1, res};
            progress(&p, payload);
        }
    }
    free(value);
    return rc;
}
