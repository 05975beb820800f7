/* ev_loadgen_io.c - the load engine's per-thread event loop (see ev_loadgen.c for the design):
 * requests written as RESP into per-connection buffers, replies scanned in place. */
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

/* The first server error text of a thread (reported in the test's result). */
static _Thread_local char tls_errmsg[128];
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

uint32_t ev_lg__draw_size(const run *r, uint64_t *rng)
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

uint32_t ev_lg__max_size(const ev_load_options *o)
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

void ev_lg__key_of(char *out, uint64_t k)
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
    uint32_t sz = op == OP_SET ? ev_lg__draw_size(r, &w->rng) : 0;
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
int ev_lg__scan_replies(worker *w, client *c, const char *buf, size_t n, uint64_t now)
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
    if (ev_lg__scan_replies(w, c, w->rbuf, (size_t)n, now))
        return w->status;
issue:
    if (!r->o->rate && c->qn == 0)
        return issue_batch(w, c, now);
    return EV_OK;
}

void *ev_lg__worker_main(void *arg)
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
