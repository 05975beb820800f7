/* ev_relay.c - epoll userspace relay (see ev_relay.h). */
#include "ev_relay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* One client connection and its backend connection. Side 0 is the client, side 1 the backend.
 * buf[d] holds data read from fd[d] and not yet written to fd[1-d]. */
typedef struct ev_relay__pair {
    int used;
    int fd[2];
    char *buf[2];
    size_t len[2], off[2];
    int eof[2];          /* read returned 0 on fd[d] */
    int shut[2];         /* shutdown(SHUT_WR) done on fd[d] */
    uint32_t mask[2];    /* events currently registered for fd[d] */
} ev_relay__pair;

struct ev_relay {
    ev_relay_options o;
    char listen_host[64], connect_host[64];
    int lfd, epfd, port;
    ev_relay__pair *pairs;
    ev_relay_stats st;
};

#define EV_RELAY__LISTEN_TAG UINT64_MAX

static int ev_relay__addr(struct sockaddr_in *sa, const char *host, int port)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static void ev_relay__nodelay(int fd)
{
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int ev_relay_new(ev_relay **out, const ev_relay_options *opts, ev_error *err)
{
    ev_relay *r;
    struct sockaddr_in sa;
    socklen_t sl = sizeof sa;
    struct epoll_event ev;
    int one = 1;

    *out = NULL;
    if (!opts->listen_host || !opts->connect_host)
        return ev_error_set(err, EV_EINVAL, "relay: listen and connect addresses are required");
    if (opts->listen_port < 0 || opts->listen_port > 65535)
        return ev_error_set(err, EV_EINVAL, "relay: listen port %d outside 0..65535",
                            opts->listen_port);
    if (opts->connect_port < 1 || opts->connect_port > 65535)
        return ev_error_set(err, EV_EINVAL, "relay: connect port %d outside 1..65535",
                            opts->connect_port);
    if (opts->buffer_size < 1024 || opts->buffer_size > (16u << 20))
        return ev_error_set(err, EV_EINVAL, "relay: buffer size %zu outside 1024..16777216",
                            opts->buffer_size);
    if (opts->backlog < 1 || opts->max_conns < 1 || opts->max_conns > 65536)
        return ev_error_set(err, EV_EINVAL, "relay: backlog must be >= 1 and max connections "
                            "within 1..65536");
    if (ev_relay__addr(&sa, opts->connect_host, opts->connect_port) < 0)
        return ev_error_set(err, EV_EINVAL, "relay: connect address '%s' is not a numeric IPv4 "
                            "address", opts->connect_host);
    if (ev_relay__addr(&sa, opts->listen_host, opts->listen_port) < 0)
        return ev_error_set(err, EV_EINVAL, "relay: listen address '%s' is not a numeric IPv4 "
                            "address", opts->listen_host);

    r = calloc(1, sizeof *r);
    if (!r)
        return ev_error_set(err, EV_ENOMEM, "relay: out of memory");
    r->o = *opts;
    snprintf(r->listen_host, sizeof r->listen_host, "%s", opts->listen_host);
    snprintf(r->connect_host, sizeof r->connect_host, "%s", opts->connect_host);
    r->o.listen_host = r->listen_host;
    r->o.connect_host = r->connect_host;
    r->lfd = r->epfd = -1;
    r->pairs = calloc((size_t)opts->max_conns, sizeof *r->pairs);
    if (!r->pairs) {
        ev_relay_free(r);
        return ev_error_set(err, EV_ENOMEM, "relay: out of memory");
    }
    r->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (r->lfd < 0) {
        int e = errno;
        ev_relay_free(r);
        return ev_error_sys(err, EV_ESYS, e, "relay: socket");
    }
    (void)setsockopt(r->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(r->lfd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        listen(r->lfd, opts->backlog) < 0 ||
        getsockname(r->lfd, (struct sockaddr *)&sa, &sl) < 0) {
        int e = errno;
        ev_relay_free(r);
        return ev_error_sys(err, EV_ESYS, e, "relay: listen on %s:%d", opts->listen_host,
                            opts->listen_port);
    }
    r->port = ntohs(sa.sin_port);
    r->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (r->epfd < 0) {
        int e = errno;
        ev_relay_free(r);
        return ev_error_sys(err, EV_ESYS, e, "relay: epoll_create1");
    }
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.u64 = EV_RELAY__LISTEN_TAG;
    if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->lfd, &ev) < 0) {
        int e = errno;
        ev_relay_free(r);
        return ev_error_sys(err, EV_ESYS, e, "relay: epoll_ctl");
    }
    *out = r;
    return EV_OK;
}

int ev_relay_port(const ev_relay *r)
{
    return r->port;
}

void ev_relay_get_stats(const ev_relay *r, ev_relay_stats *out)
{
    *out = r->st;
}

static void ev_relay__close_pair(ev_relay *r, ev_relay__pair *p)
{
    int s;
    for (s = 0; s < 2; s++) {
        if (p->fd[s] >= 0)
            close(p->fd[s]);   /* close() also removes the fd from the epoll set */
        free(p->buf[s]);
    }
    memset(p, 0, sizeof *p);
    r->st.closed++;
}

/* Register the events each fd needs now: read while its buffer is empty and it has not hit EOF,
 * write while the other direction's buffer holds data. */
static int ev_relay__update(ev_relay *r, ev_relay__pair *p, size_t idx)
{
    int s;
    for (s = 0; s < 2; s++) {
        uint32_t want = 0;
        if (!p->eof[s] && p->off[s] == p->len[s])
            want |= EPOLLIN;
        if (p->off[1 - s] < p->len[1 - s])
            want |= EPOLLOUT;
        if (want != p->mask[s]) {
            struct epoll_event ev;
            memset(&ev, 0, sizeof ev);
            ev.events = want;
            ev.data.u64 = (uint64_t)idx * 2u + (uint64_t)s;
            if (epoll_ctl(r->epfd, EPOLL_CTL_MOD, p->fd[s], &ev) < 0)
                return -1;
            p->mask[s] = want;
        }
    }
    return 0;
}

/* Forward a half-close once everything read before it has been written. */
static void ev_relay__maybe_shut(ev_relay__pair *p)
{
    int d;
    for (d = 0; d < 2; d++) {
        if (p->eof[d] && p->off[d] == p->len[d] && !p->shut[1 - d]) {
            (void)shutdown(p->fd[1 - d], SHUT_WR);
            p->shut[1 - d] = 1;
        }
    }
}

/* One write of buffer d (data from fd[d]) to fd[1-d]. RETURNS 0, or -1 when the pair must close. */
static int ev_relay__write(ev_relay *r, ev_relay__pair *p, int d)
{
    ssize_t n = send(p->fd[1 - d], p->buf[d] + p->off[d], p->len[d] - p->off[d], MSG_NOSIGNAL);
    if (n < 0)
        return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
    r->st.writes++;
    if (d == 0)
        r->st.bytes_up += (uint64_t)n;
    else
        r->st.bytes_down += (uint64_t)n;
    p->off[d] += (size_t)n;
    if (p->off[d] == p->len[d])
        p->off[d] = p->len[d] = 0;
    else
        r->st.partial_writes++;
    return 0;
}

/* One read from fd[s] into buffer s, then one write attempt to the other side. */
static int ev_relay__read(ev_relay *r, ev_relay__pair *p, int s)
{
    ssize_t n = read(p->fd[s], p->buf[s], r->o.buffer_size);
    if (n < 0)
        return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
    if (n == 0) {
        p->eof[s] = 1;
        return 0;
    }
    r->st.reads++;
    p->off[s] = 0;
    p->len[s] = (size_t)n;
    return ev_relay__write(r, p, s);
}

static void ev_relay__accept(ev_relay *r)
{
    int k;
    for (k = 0; k < 64; k++) {
        struct sockaddr_in sa;
        size_t idx;
        ev_relay__pair *p = NULL;
        int cfd = accept4(r->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), bfd, s;
        if (cfd < 0)
            return;   /* EAGAIN, or a transient error: the next event retries */
        r->st.accepted++;
        for (idx = 0; idx < (size_t)r->o.max_conns; idx++) {
            if (!r->pairs[idx].used) {
                p = &r->pairs[idx];
                break;
            }
        }
        /* The backend is local (loopback inside the gateway), so a blocking connect returns
         * at once; it keeps the loop simple. */
        bfd = p ? socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) : -1;
        ev_relay__addr(&sa, r->o.connect_host, r->o.connect_port);
        if (!p || bfd < 0 || connect(bfd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
            fcntl(bfd, F_SETFL, O_NONBLOCK) < 0) {
            if (bfd >= 0)
                close(bfd);
            close(cfd);
            r->st.refused++;
            continue;
        }
        memset(p, 0, sizeof *p);
        p->used = 1;
        p->fd[0] = cfd;
        p->fd[1] = bfd;
        p->buf[0] = malloc(r->o.buffer_size);
        p->buf[1] = malloc(r->o.buffer_size);
        if (r->o.nodelay) {
            ev_relay__nodelay(cfd);
            ev_relay__nodelay(bfd);
        }
        for (s = 0; s < 2 && p->buf[0] && p->buf[1]; s++) {
            struct epoll_event ev;
            memset(&ev, 0, sizeof ev);
            ev.events = EPOLLIN;
            ev.data.u64 = (uint64_t)idx * 2u + (uint64_t)s;
            if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, p->fd[s], &ev) < 0)
                break;
            p->mask[s] = EPOLLIN;
        }
        if (s < 2) {
            ev_relay__close_pair(r, p);
            r->st.refused++;
        }
    }
}

int ev_relay_run(ev_relay *r, volatile sig_atomic_t *stop, ev_error *err)
{
    struct epoll_event evs[64];
    while (!stop || !*stop) {
        int n = epoll_wait(r->epfd, evs, 64, 200), i;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return ev_error_sys(err, EV_ESYS, errno, "relay: epoll_wait");
        }
        for (i = 0; i < n; i++) {
            uint64_t tag = evs[i].data.u64;
            size_t idx;
            int s, bad = 0;
            ev_relay__pair *p;
            if (tag == EV_RELAY__LISTEN_TAG) {
                ev_relay__accept(r);
                continue;
            }
            idx = (size_t)(tag / 2u);
            s = (int)(tag % 2u);
            p = &r->pairs[idx];
            if (!p->used)
                continue;   /* closed earlier in this batch */
            if (evs[i].events & EPOLLERR)
                bad = 1;
            /* EPOLLHUP without EPOLLIN: the read below sees EOF or the error. */
            if (!bad && (evs[i].events & EPOLLOUT) && p->off[1 - s] < p->len[1 - s])
                bad = ev_relay__write(r, p, 1 - s) < 0;
            else if (!bad && (evs[i].events & (EPOLLIN | EPOLLHUP)) && !p->eof[s] &&
                     p->off[s] == p->len[s])
                bad = ev_relay__read(r, p, s) < 0;
            if (!bad) {
                ev_relay__maybe_shut(p);
                /* Done when both directions hit EOF and everything was written. */
                if (p->eof[0] && p->eof[1] && p->off[0] == p->len[0] && p->off[1] == p->len[1])
                    bad = 1;
                else if (ev_relay__update(r, p, idx) < 0)
                    bad = 1;
            }
            if (bad)
                ev_relay__close_pair(r, p);
        }
    }
    return EV_OK;
}

void ev_relay_free(ev_relay *r)
{
    size_t i;
    if (!r)
        return;
    for (i = 0; r->pairs && i < (size_t)r->o.max_conns; i++)
        if (r->pairs[i].used)
            ev_relay__close_pair(r, &r->pairs[i]);
    if (r->lfd >= 0)
        close(r->lfd);
    if (r->epfd >= 0)
        close(r->epfd);
    free(r->pairs);
    free(r);
}
