/* ev_loadgen.c - see ev_loadgen.h.
 *
 * I/O design (why not hiredis's async API): every connection is a plain hiredis redisContext,
 * connected blocking (clear connect errors, AUTH in one round trip), then switched to
 * non-blocking and driven by our own epoll loop. Requests are written as RESP straight into a
 * per-connection buffer (no redisFormatCommand/sds allocation per request) and sent with one
 * send() per batch; replies are read with one read() into a per-thread buffer and scanned in
 * place (scan_replies: we only need each reply's type; a bulk body is skipped, never copied,
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

#define KEY_SIZE 16u
#define RBUF_SIZE (256u * 1024u)
#define OP_GET 0
#define OP_SET 1

/* ---- reply objects that allocate nothing: the engine only needs the reply type ---- */
/* The first server error text of a thread (reported in the test's result). */
static _Thread_local char tls_errmsg[128];

/* ---- per test state ---- */
struct worker;

typedef struct client {
    redisContext *ctx;
    int fd;
    /* the reply scanner (scan_replies): a header line being collected, or the bytes of a bulk
     * body still to skip (body + CRLF) */
    char hdr[64];
    uint32_t hlen;
    uint64_t skip;
    char *obuf;
    size_t olen, ooff, ocap;
    uint64_t *ts;          /* ring of send stamps (batch start or scheduled time) */
    unsigned char *op;
    uint32_t qcap, qhead, qn;
    int pollout;
    size_t tmpl_len;       /* >0: obuf[0..tmpl_len) holds a full batch that can be re-sent */
    uint32_t tmpl_n;
    struct worker *w;
} client;

typedef struct run {
    const ev_load_options *o;
    int kind;                      /* EV_LOAD_T_SET / GET / MIX */
    uint64_t t_warm, t_start, t_end, t_limit, timeout_ns;
    uint64_t quota_total;
    atomic_int abort;
    volatile sig_atomic_t *stop;
    const char *value;             /* maxsize bytes of 'x' */
    double size_cum[EV_LOAD_MAX_SIZES];
    double size_tot;
    int fixed_batches;             /* every request of a test is the same bytes (one key, one size) */
} run;

typedef struct worker {
    run *r;
    int id;
    pthread_t th;
    int epfd, tfd;
    client *c;
    uint32_t nc;
    uint64_t quota, issued;
    int issue_done;
    uint32_t active;               /* clients with requests in flight */
    ev_hist *h, *hop[2];
    uint64_t rng;
    atomic_uint_fast64_t done;
    atomic_int finished;
    uint64_t errors[EV_LOAD_NERR];
    uint64_t misses, opcount[2];
    int status;
    char errmsg[256];
    uint64_t t_last, last_progress;
    int no_trunc;                  /* recv(MSG_TRUNC) refused once: read bodies instead */
    double interval_ns;
    uint64_t k, rr;
    uint64_t mixpos;
    char *rbuf;
    char first_error[128];         /* first error reply seen by this thread */
} worker;

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * UINT64_C(2685821657736338717);
}

static double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0); }

static uint32_t draw_size(const run *r, uint64_t *rng)
{
    const ev_load_options *o = r->o;
    switch (o->size_kind) {
    case EV_LOAD_SIZE_LIST: {
        double u = rng_unit(rng) * r->size_tot;
        for (int i = 0; i < o->size_n; i++)
            if (u < r->size_cum[i])
                return o->size_list[i];
        return o->size_list[o->size_n - 1];
    }
    case EV_LOAD_SIZE_LOGNORMAL: {
        double u1 = rng_unit(rng), u2 = rng_unit(rng);
        if (u1 < 1e-300)
            u1 = 1e-300;
        double z = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
        double v = round(o->ln_median * exp(o->ln_sigma * z));
        if (v < o->ln_min)
            v = o->ln_min;
        if (v > o->ln_max)
            v = o->ln_max;
        return (uint32_t)v;
    }
    default:
        return o->value_size;
    }
}

static uint32_t max_size(const ev_load_options *o)
{
    uint32_t m = o->value_size;
    if (o->size_kind == EV_LOAD_SIZE_LIST) {
        m = 1;
        for (int i = 0; i < o->size_n; i++)
            if (o->size_list[i] > m)
                m = o->size_list[i];
    } else if (o->size_kind == EV_LOAD_SIZE_LOGNORMAL) {
        m = o->ln_max;
    }
    return m;
}

/* key:__rand_int__ (redis-benchmark's key without -r) or key:%012llu */
static void make_key(char *out, uint64_t keyspace, uint64_t *rng)
{
    if (!keyspace) {
        memcpy(out, "key:__rand_int__", KEY_SIZE);
        return;
    }
    uint64_t k = rng_next(rng) % keyspace;
    memcpy(out, "key:", 4);
    for (int i = 15; i >= 4; i--) {
        out[i] = (char)('0' + k % 10);
        k /= 10;
    }
}

static void key_of(char *out, uint64_t k)
{
    memcpy(out, "key:", 4);
    for (int i = 15; i >= 4; i--) {
        out[i] = (char)('0' + k % 10);
        k /= 10;
    }
}

static int fail(worker *w, int code, int cls, const char *fmt, const char *detail)
{
    if (w->status == EV_OK) {
        w->status = code;
        snprintf(w->errmsg, sizeof w->errmsg, fmt, detail ? detail : "");
    }
    if (cls >= 0)
        w->errors[cls]++;
    atomic_store(&w->r->abort, 1);
    return code;
}

static int obuf_reserve(client *c, size_t extra)
{
    if (c->ooff == c->olen)
        c->ooff = c->olen = 0;
    if (c->olen + extra <= c->ocap)
        return 0;
    if (c->ooff > 0) { /* compact before growing */
        memmove(c->obuf, c->obuf + c->ooff, c->olen - c->ooff);
        c->olen -= c->ooff;
        c->ooff = 0;
        if (c->olen + extra <= c->ocap)
            return 0;
    }
    size_t cap = c->ocap ? c->ocap : 4096;
    while (cap < c->olen + extra)
        cap *= 2;
    char *p = realloc(c->obuf, cap);
    if (!p)
        return -1;
    c->obuf = p;
    c->ocap = cap;
    return 0;
}

static char *put_uint(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* Append one request stamped `ts`. */
static int append_req(worker *w, client *c, uint64_t ts)
{
    run *r = w->r;
    int op;
    if (r->kind == EV_LOAD_T_SET)
        op = OP_SET;
    else if (r->kind == EV_LOAD_T_GET)
        op = OP_GET;
    else {
        uint32_t cyc = r->o->ratio_set + r->o->ratio_get;
        op = (w->mixpos++ % cyc) < r->o->ratio_set ? OP_SET : OP_GET; /* per thread: exact ratio */
    }
    uint32_t sz = op == OP_SET ? draw_size(r, &w->rng) : 0;
    if (obuf_reserve(c, (size_t)sz + 64))
        return fail(w, EV_ENOMEM, -1, "out of memory%s", NULL);
    if (c->qn == c->qcap) {
        uint32_t ncap = c->qcap * 2;
        uint64_t *nts = malloc(ncap * sizeof *nts);
        unsigned char *nop = malloc(ncap);
        if (!nts || !nop) {
            free(nts);
            free(nop);
            return fail(w, EV_ENOMEM, -1, "out of memory%s", NULL);
        }
        for (uint32_t i = 0; i < c->qn; i++) {
            nts[i] = c->ts[(c->qhead + i) % c->qcap];
            nop[i] = c->op[(c->qhead + i) % c->qcap];
        }
        free(c->ts);
        free(c->op);
        c->ts = nts;
        c->op = nop;
        c->qcap = ncap;
        c->qhead = 0;
    }
    char *p = c->obuf + c->olen;
    if (op == OP_SET) {
        memcpy(p, "*3\r\n$3\r\nSET\r\n$16\r\n", 18);
        p += 18;
    } else {
        memcpy(p, "*2\r\n$3\r\nGET\r\n$16\r\n", 18);
        p += 18;
    }
    make_key(p, r->o->keyspace, &w->rng);
    p += KEY_SIZE;
    *p++ = '\r';
    *p++ = '\n';
    if (op == OP_SET) {
        *p++ = '$';
        p = put_uint(p, sz);
        *p++ = '\r';
        *p++ = '\n';
        memcpy(p, r->value, sz);
        p += sz;
        *p++ = '\r';
        *p++ = '\n';
    }
    c->olen = (size_t)(p - c->obuf);
    uint32_t slot = (c->qhead + c->qn) % c->qcap;
    c->ts[slot] = ts;
    c->op[slot] = (unsigned char)op;
    if (c->qn == 0)
        w->active++;
    c->qn++;
    return EV_OK;
}

static int set_pollout(worker *w, client *c, int on)
{
    if (c->pollout == on)
        return 0;
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};
    if (epoll_ctl(w->epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0)
        return -1;
    c->pollout = on;
    return 0;
}

static int flush_client(worker *w, client *c)
{
    while (c->ooff < c->olen) {
        ssize_t n = send(c->fd, c->obuf + c->ooff, c->olen - c->ooff, MSG_NOSIGNAL);
        if (n > 0) {
            c->ooff += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (set_pollout(w, c, 1))
                return fail(w, EV_ESYS, -1, "epoll_ctl: %s", strerror(errno));
            return EV_OK;
        }
        return fail(w, EV_ECLOSED, EV_LOAD_E_CLOSED, "connection closed: write to server: %s",
                    n < 0 ? strerror(errno) : "short write");
    }
    c->ooff = c->olen = 0;
    if (c->pollout && set_pollout(w, c, 0))
        return fail(w, EV_ESYS, -1, "epoll_ctl: %s", strerror(errno));
    return EV_OK;
}

/* Closed loop: a new batch for an idle connection, or nothing when the budget is spent. */
static int issue_batch(worker *w, client *c, uint64_t now)
{
    run *r = w->r;
    uint32_t n = r->o->pipeline;
    if (atomic_load_explicit(&r->abort, memory_order_relaxed))
        return EV_OK;
    if (now >= r->t_start) {
        if (r->t_end && now >= r->t_end)
            return EV_OK;
        uint64_t rem = w->quota - w->issued;
        if (rem == 0)
            return EV_OK;
        if (rem < n)
            n = (uint32_t)rem;
        w->issued += n;
    }
    /* Like redis-benchmark, re-send a batch built once when every request is the same bytes
     * (one key, fixed size): no per-request formatting or 16 KB copies. */
    if (r->fixed_batches && c->tmpl_len && n == c->tmpl_n && c->olen == 0) {
        for (uint32_t i = 0; i < n; i++) {
            c->ts[(c->qhead + c->qn + i) % c->qcap] = now;
            c->op[(c->qhead + c->qn + i) % c->qcap] = r->kind == EV_LOAD_T_SET ? OP_SET : OP_GET;
        }
        if (c->qn == 0)
            w->active++;
        c->qn += n;
        c->olen = c->tmpl_len;
        c->ooff = 0;
        return flush_client(w, c);
    }
    int build = r->fixed_batches && c->olen == 0 && c->qn == 0 && n <= c->qcap;
    for (uint32_t i = 0; i < n; i++)
        if (append_req(w, c, now))
            return w->status;
    if (build) {
        c->tmpl_len = c->olen;
        c->tmpl_n = n;
    }
    return flush_client(w, c);
}

static uint64_t sched_at(const worker *w, uint64_t k)
{
    return w->r->t_warm + (uint64_t)((double)k * w->interval_ns);
}

/* Open loop: send every request whose scheduled time has come, as long as a connection has room
 * (-P outstanding). A request that waits for room keeps its scheduled time as its stamp. */
static int open_issue(worker *w, uint64_t now)
{
    run *r = w->r;
    if (w->issue_done || atomic_load_explicit(&r->abort, memory_order_relaxed))
        return EV_OK;
    for (;;) {
        uint64_t s = sched_at(w, w->k);
        if (s > now)
            break;
        if (r->t_end && s >= r->t_end) {
            w->issue_done = 1;
            break;
        }
        int measured = s >= r->t_start;
        if (measured && w->issued >= w->quota) {
            w->issue_done = 1;
            break;
        }
        client *c = NULL;
        for (uint32_t i = 0; i < w->nc; i++) {
            client *x = &w->c[(w->rr + i) % w->nc];
            if (x->qn < r->o->pipeline) {
                c = x;
                w->rr = (w->rr + i + 1) % w->nc;
                break;
            }
        }
        if (!c)
            break;
        if (append_req(w, c, s))
            return w->status;
        w->k++;
        if (measured)
            w->issued++;
    }
    for (uint32_t i = 0; i < w->nc; i++)
        if (w->c[i].ooff < w->c[i].olen && !w->c[i].pollout)
            if (flush_client(w, &w->c[i]))
                return w->status;
    if (!w->issue_done) {
        struct itimerspec its = {{0, 0}, {0, 0}};
        uint64_t s = sched_at(w, w->k);
        its.it_value.tv_sec = (time_t)(s / 1000000000u);
        its.it_value.tv_nsec = (long)(s % 1000000000u);
        if (timerfd_settime(w->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
            return fail(w, EV_ESYS, -1, "timerfd_settime: %s", strerror(errno));
    }
    return EV_OK;
}

enum { RP_OK = 0, RP_NIL = 1, RP_ERR = 2 };

/* One complete reply of c: pop its request, count it, record its latency. */
static int reply_done(worker *w, client *c, int type, uint64_t now)
{
    run *r = w->r;
    if (c->qn == 0)
        return fail(w, EV_EPROTO, EV_LOAD_E_PROTOCOL, "unexpected reply from server%s", "");
    uint64_t ts = c->ts[c->qhead];
    int op = c->op[c->qhead];
    c->qhead = (c->qhead + 1) % c->qcap;
    c->qn--;
    if (c->qn == 0)
        w->active--;
    w->last_progress = now;
    atomic_fetch_add_explicit(&w->done, 1, memory_order_relaxed);
    if (type == RP_ERR)
        w->errors[EV_LOAD_E_SERVER]++;
    if (ts >= r->t_start) {
        uint64_t lat = now > ts ? now - ts : 0;
        ev_hist_record(w->h, lat);
        ev_hist_record(w->hop[op], lat);
        w->opcount[op]++;
        if (type == RP_NIL)
            w->misses++;
        if (now > w->t_last)
            w->t_last = now;
    }
    return EV_OK;
}

/* The replies GET and SET give, scanned in place, a bulk body never copied: "+OK" / ":N"
 * (ok), "-ERR ..." (error), "$-1" (nil), "$N" + N bytes + CRLF (ok; the body is skipped by
 * pointer arithmetic here, or left to the kernel to discard beyond this read, on_readable).
 * A header line is at most 64 bytes; anything else (an array) is a protocol error. This is
 * what replaces hiredis's redisReader on the hot path: the reader copies every byte of a
 * 16 KB reply into its own buffer and moves the rest down (bench_load: 16 KB pipelined GET). */
static int scan_replies(worker *w, client *c, const char *buf, size_t n, uint64_t now)
{
    size_t i = 0;
    while (i < n) {
        if (c->skip) {
            size_t k = (uint64_t)(n - i) < c->skip ? n - i : (size_t)c->skip;
            i += k;
            c->skip -= k;
            if (!c->skip && reply_done(w, c, RP_OK, now))
                return w->status;
            continue;
        }
        const char *nl = memchr(buf + i, '\n', n - i);
        size_t take = nl ? (size_t)(nl - (buf + i)) + 1 : n - i;
        if (c->hlen + take > sizeof c->hdr)
            return fail(w, EV_EPROTO, EV_LOAD_E_PROTOCOL, "protocol error: a reply header "
                        "longer than 64 bytes%s", "");
        memcpy(c->hdr + c->hlen, buf + i, take);
        c->hlen += (uint32_t)take;
        i += take;
        if (!nl)
            break; /* the rest of the header comes with the next read */
        if (c->hlen < 3 || c->hdr[c->hlen - 2] != '\r')
            return fail(w, EV_EPROTO, EV_LOAD_E_PROTOCOL, "protocol error: a reply line without "
                        "CRLF%s", "");
        c->hdr[c->hlen - 2] = '\0';
        c->hlen = 0;
        switch (c->hdr[0]) {
        case '+':
        case ':':
            if (reply_done(w, c, RP_OK, now))
                return w->status;
            break;
        case '-':
            if (!tls_errmsg[0])
                snprintf(tls_errmsg, sizeof tls_errmsg, "%s", c->hdr + 1);
            if (reply_done(w, c, RP_ERR, now))
                return w->status;
            break;
        case '$': {
            char *end;
            long long len = strtoll(c->hdr + 1, &end, 10);
            if (end == c->hdr + 1 || *end || len < -1 || len > 536870912)
                return fail(w, EV_EPROTO, EV_LOAD_E_PROTOCOL, "protocol error: bad bulk "
                            "length \"%s\"", c->hdr + 1);
            if (len == -1) {
                if (reply_done(w, c, RP_NIL, now))
                    return w->status;
            } else {
                c->skip = (uint64_t)len + 2;
            }
            break;
        }
        default: {
            char t[2] = { c->hdr[0], 0 };
            return fail(w, EV_EPROTO, EV_LOAD_E_PROTOCOL, "protocol error: unexpected reply "
                        "type '%s'", t);
        }
        }
    }
    return EV_OK;
}

static int on_readable(worker *w, client *c)
{
    run *r = w->r;
    ssize_t n;
    uint64_t now;
    if (c->skip >= 8192 && !w->no_trunc) {
        /* in the middle of a large bulk body that is not in our buffer: let the kernel drop
         * it without copying it to user space (TCP recv MSG_TRUNC, Linux) */
        n = recv(c->fd, NULL, c->skip, MSG_TRUNC | MSG_DONTWAIT);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            w->no_trunc = 1; /* not supported here (a Unix socket): copy as before */
        else if (n == 0)
            return fail(w, EV_ECLOSED, EV_LOAD_E_CLOSED, "server closed the connection%s", "");
        else if (n > 0) {
            now = ev_time_now_ns();
            c->skip -= (uint64_t)n;
            if (!c->skip && reply_done(w, c, RP_OK, now))
                return w->status;
            goto issue;
        } else
            return EV_OK;
    }
    n = read(c->fd, w->rbuf, RBUF_SIZE);
    if (n == 0)
        return fail(w, EV_ECLOSED, EV_LOAD_E_CLOSED, "server closed the connection%s", "");
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return EV_OK;
        return fail(w, EV_ECLOSED, EV_LOAD_E_CLOSED, "connection closed: read from server: %s", strerror(errno));
    }
    now = ev_time_now_ns();
    if (scan_replies(w, c, w->rbuf, (size_t)n, now))
        return w->status;
issue:
    if (!r->o->rate && c->qn == 0)
        return issue_batch(w, c, now);
    return EV_OK;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    run *r = w->r;
    struct epoll_event evs[128];
    uint64_t now = ev_time_now_ns();
    w->last_progress = now;
    if (r->o->rate) {
        open_issue(w, now);
    } else {
        for (uint32_t i = 0; i < w->nc && w->status == EV_OK; i++)
            issue_batch(w, &w->c[i], now);
    }
    while (w->status == EV_OK) {
        if (atomic_load_explicit(&r->abort, memory_order_relaxed))
            break;
        if (r->stop && *r->stop) {
            fail(w, EV_EINTR, -1, "interrupted%s", "");
            break;
        }
        int idle = r->o->rate ? (w->issue_done && w->active == 0) : (w->active == 0);
        if (idle)
            break;
        now = ev_time_now_ns();
        if (now > r->t_limit) {
            fail(w, EV_ETIMEOUT, -1, "--time-limit reached%s", "");
            break;
        }
        if (w->active > 0 && now - w->last_progress > r->timeout_ns) {
            fail(w, EV_ETIMEOUT, EV_LOAD_E_TIMEOUT, "no reply from the server within --timeout%s", "");
            break;
        }
        if (w->active == 0)
            w->last_progress = now;
        int n = epoll_wait(w->epfd, evs, 128, 100);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail(w, EV_ESYS, -1, "epoll_wait: %s", strerror(errno));
            break;
        }
        for (int i = 0; i < n && w->status == EV_OK; i++) {
            if (evs[i].data.ptr == NULL) { /* timer */
                uint64_t x;
                if (read(w->tfd, &x, sizeof x) < 0 && errno != EAGAIN) {
                    fail(w, EV_ESYS, -1, "timerfd read: %s", strerror(errno));
                    break;
                }
                continue;
            }
            client *c = evs[i].data.ptr;
            if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                on_readable(w, c);
            if (w->status == EV_OK && (evs[i].events & EPOLLOUT))
                flush_client(w, c);
        }
        if (r->o->rate && w->status == EV_OK)
            open_issue(w, ev_time_now_ns());
    }
    memcpy(w->first_error, tls_errmsg, sizeof w->first_error);
    atomic_store(&w->finished, 1);
    return NULL;
}

/* ---- connections ---- */
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
                key_of(key, i + j);
            else
                memcpy(key, "key:__rand_int__", KEY_SIZE);
            uint32_t sz = draw_size(r, &rng);
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
        if (pthread_create(&ws[t].th, NULL, worker_main, &ws[t]) != 0) {
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
    uint32_t ms = max_size(o);
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
