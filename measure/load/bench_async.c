/* bench_async.c - the alternative I/O design, measured for the choice made in ev_loadgen.c:
 * hiredis's async API (redisAsyncContext) on a minimal own epoll adapter, closed loop with
 * batches of -P pre-formatted commands (redisAsyncFormattedCommand, so formatting is not
 * charged to it). Prints "rps cpu_seconds" (getrusage of this process). Not a tool: used by
 * bench_load.sh only. Usage: bench_load_async PORT CLIENTS REQUESTS SIZE PIPELINE set|get */
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>

typedef struct conn {
    redisAsyncContext *ac;
    int fd, events, inflight;
} conn;

static int epfd;
static long remaining, done_total;
static int pipeline;
static char *cmd;
static int cmdlen;

static void ev_update(conn *c)
{
    struct epoll_event ev = {.events = (uint32_t)c->events, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}
static void add_read(void *p) { conn *c = p; if (!(c->events & EPOLLIN)) { c->events |= EPOLLIN; ev_update(c); } }
static void del_read(void *p) { conn *c = p; if (c->events & EPOLLIN) { c->events &= ~EPOLLIN; ev_update(c); } }
static void add_write(void *p) { conn *c = p; if (!(c->events & EPOLLOUT)) { c->events |= EPOLLOUT; ev_update(c); } }
static void del_write(void *p) { conn *c = p; if (c->events & EPOLLOUT) { c->events &= ~EPOLLOUT; ev_update(c); } }
static void cleanup(void *p) { conn *c = p; epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL); }

static void issue(conn *c);
static void on_reply(redisAsyncContext *ac, void *r, void *priv)
{
    (void)ac;
    conn *c = priv;
    if (!r) {
        fprintf(stderr, "bench_load_async: connection lost\n");
        exit(1);
    }
    c->inflight--;
    done_total++;
    if (c->inflight == 0)
        issue(c);
}

static void issue(conn *c)
{
    for (int i = 0; i < pipeline && remaining > 0; i++, remaining--) {
        redisAsyncFormattedCommand(c->ac, on_reply, c, cmd, (size_t)cmdlen);
        c->inflight++;
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: bench_load_async PORT CLIENTS REQUESTS SIZE PIPELINE set|get\n");
        return 2;
    }
    int port = atoi(argv[1]), nc = atoi(argv[2]);
    remaining = atol(argv[3]);
    size_t size = (size_t)atol(argv[4]);
    pipeline = atoi(argv[5]);
    char *val = malloc(size);
    memset(val, 'x', size);
    const char *key = "key:__rand_int__";
    if (strcmp(argv[6], "set") == 0)
        cmdlen = redisFormatCommand(&cmd, "SET %b %b", key, strlen(key), val, size);
    else
        cmdlen = redisFormatCommand(&cmd, "GET %b", key, strlen(key));
    epfd = epoll_create1(0);
    conn *cs = calloc((size_t)nc, sizeof *cs);
    for (int i = 0; i < nc; i++) {
        /* connect blocking first (as ev_loadgen does), then hand the fd to the async context */
        redisContext *sc = redisConnect("127.0.0.1", port);
        if (!sc || sc->err) {
            fprintf(stderr, "bench_load_async: connect failed\n");
            return 1;
        }
        redisFree(sc);
        cs[i].ac = redisAsyncConnect("127.0.0.1", port);
        if (!cs[i].ac || cs[i].ac->err)
            return 1;
        cs[i].fd = cs[i].ac->c.fd;
        struct epoll_event ev = {.events = 0, .data.ptr = &cs[i]};
        epoll_ctl(epfd, EPOLL_CTL_ADD, cs[i].fd, &ev);
        redisAsyncContext *ac = cs[i].ac;
        ac->ev.data = &cs[i];
        ac->ev.addRead = add_read;
        ac->ev.delRead = del_read;
        ac->ev.addWrite = add_write;
        ac->ev.delWrite = del_write;
        ac->ev.cleanup = cleanup;
    }
    double t0 = now_s();
    for (int i = 0; i < nc; i++)
        issue(&cs[i]);
    long total = remaining + done_total;
    (void)total;
    struct epoll_event evs[128];
    int active = 1;
    while (active) {
        int n = epoll_wait(epfd, evs, 128, 1000);
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                redisAsyncHandleRead(c->ac);
            if (evs[i].events & EPOLLOUT)
                redisAsyncHandleWrite(c->ac);
        }
        active = 0;
        for (int i = 0; i < nc; i++)
            if (cs[i].inflight)
                active = 1;
    }
    double el = now_s() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 (double)ru.ru_stime.tv_usec / 1e6;
    printf("%.17g %.17g\n", (double)done_total / el, cpu);
    for (int i = 0; i < nc; i++)
        redisAsyncFree(cs[i].ac);
    free(cs);
    free(val);
    redisFreeCommand(cmd);
    return 0;
}
