/* test_testbed_relay.c - edgevirt's userspace relay (ev_relay) in front of a real redis-server
 * on loopback: round trips, a 1 MiB value through a 1 KiB buffer, pipelining, many clients,
 * half-close forwarding, an unreachable backend, and option checks. */
#include "ev_relay.h"
#include "ev_test.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct relay_thread {
    ev_relay *r;
    volatile sig_atomic_t stop;
    pthread_t th;
    int rc;
} relay_thread;

static void *relay_main(void *arg)
{
    relay_thread *t = arg;
    ev_error err = EV_ERROR_INIT;
    t->rc = ev_relay_run(t->r, &t->stop, &err);
    return NULL;
}

static int free_port(void)
{
    struct sockaddr_in sa;
    socklen_t sl = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
        port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

static pid_t start_redis(int port)
{
    char sport[16];
    pid_t pid;
    snprintf(sport, sizeof sport, "%d", port);
    pid = fork();
    if (pid == 0) {
        execlp("redis-server", "redis-server", "--port", sport, "--bind", "127.0.0.1", "--save",
               "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning",
               (char *)NULL);
        _exit(127);
    }
    return pid;
}

static redisContext *connect_wait(int port, double timeout_s)
{
    int i;
    for (i = 0; i < (int)(timeout_s * 50); i++) {
        redisContext *c = redisConnect("127.0.0.1", port);
        if (c && !c->err) {
            redisReply *rep = redisCommand(c, "PING");
            if (rep && rep->type == REDIS_REPLY_STATUS) {
                freeReplyObject(rep);
                return c;
            }
            freeReplyObject(rep);
        }
        redisFree(c);
        usleep(20000);
    }
    return NULL;
}

static int start_relay(relay_thread *t, int backend_port, size_t buf, ev_error *err)
{
    ev_relay_options o = EV_RELAY_OPTIONS_INIT;
    int rc;
    o.listen_host = "127.0.0.1";
    o.listen_port = 0;
    o.connect_port = backend_port;
    o.buffer_size = buf;
    memset(t, 0, sizeof *t);
    rc = ev_relay_new(&t->r, &o, err);
    if (rc == EV_OK)
        pthread_create(&t->th, NULL, relay_main, t);
    return rc;
}

static void stop_relay(relay_thread *t)
{
    t->stop = 1;
    pthread_join(t->th, NULL);
}

int main(void)
{
    ev_error err = EV_ERROR_INIT;
    ev_relay_options bad = EV_RELAY_OPTIONS_INIT;
    ev_relay *r = NULL;
    relay_thread t, t2;
    redisContext *c, *direct;
    redisReply *rep;
    ev_relay_stats st;
    int port, rport, i, ok;
    pid_t redis;
    char *big;
    size_t bigsz = 1u << 20;

    /* option checks need no server */
    bad.connect_port = 6379;
    bad.buffer_size = 10;
    EV_CHECK(ev_relay_new(&r, &bad, &err) == EV_EINVAL && r == NULL);
    bad.buffer_size = 65536;
    bad.connect_host = "localhost";   /* numeric addresses only */
    EV_CHECK(ev_relay_new(&r, &bad, &err) == EV_EINVAL);
    EV_CHECK(strstr(err.msg, "numeric") != NULL);
    ev_relay_free(NULL);

    if (system("command -v redis-server >/dev/null 2>&1") != 0) {
        printf("skipped: redis-server not installed\n");
        return EV_TEST_SKIP;
    }
    signal(SIGPIPE, SIG_IGN);
    port = free_port();
    redis = start_redis(port);
    direct = connect_wait(port, 5.0);
    if (!direct) {
        fprintf(stderr, "redis-server did not start on port %d\n", port);
        kill(redis, SIGKILL);
        waitpid(redis, NULL, 0);
        return 1;
    }

    /* 1 KiB buffer: the 1 MiB value crosses in >= 1024 reads each way */
    EV_CHECK(start_relay(&t, port, 1024, &err) == EV_OK);
    rport = ev_relay_port(t.r);
    EV_CHECK(rport > 0 && rport != port);
    c = connect_wait(rport, 5.0);
    EV_CHECK(c != NULL);
    if (c) {
        big = malloc(bigsz);
        for (i = 0; i < (int)bigsz; i++)
            big[i] = (char)('a' + i % 26);
        rep = redisCommand(c, "SET big %b", big, bigsz);
        EV_CHECK(rep && rep->type == REDIS_REPLY_STATUS);
        freeReplyObject(rep);
        rep = redisCommand(c, "GET big");
        EV_CHECK(rep && rep->type == REDIS_REPLY_STRING && rep->len == bigsz &&
                 memcmp(rep->str, big, bigsz) == 0);
        freeReplyObject(rep);
        /* the value really is in the backend */
        rep = redisCommand(direct, "STRLEN big");
        EV_CHECK(rep && rep->type == REDIS_REPLY_INTEGER && rep->integer == (long long)bigsz);
        freeReplyObject(rep);
        free(big);

        /* pipelining: 2000 commands written before any reply is read */
        rep = redisCommand(c, "DEL n");
        freeReplyObject(rep);
        for (i = 0; i < 2000; i++)
            redisAppendCommand(c, "INCR n");
        ok = 1;
        for (i = 0; i < 2000; i++) {
            if (redisGetReply(c, (void **)&rep) != REDIS_OK || rep->type != REDIS_REPLY_INTEGER ||
                rep->integer != i + 1)
                ok = 0;
            freeReplyObject(rep);
        }
        EV_CHECK(ok);
        redisFree(c);
    }

    /* 64 clients at once */
    {
        redisContext *cs[64];
        ok = 1;
        for (i = 0; i < 64; i++)
            cs[i] = redisConnect("127.0.0.1", rport);
        for (i = 0; i < 64; i++) {
            rep = cs[i] && !cs[i]->err ? redisCommand(cs[i], "ECHO %d", i) : NULL;
            if (!rep || rep->type != REDIS_REPLY_STRING || atoi(rep->str) != i)
                ok = 0;
            freeReplyObject(rep);
            redisFree(cs[i]);
        }
        EV_CHECK(ok);
    }

    /* half-close: the reply still arrives, then EOF */
    {
        struct sockaddr_in sa;
        char buf[64];
        size_t got = 0;
        ssize_t n;
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        memset(&sa, 0, sizeof sa);
        sa.sin_family = AF_INET;
        sa.sin_port = htons((uint16_t)rport);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EV_CHECK(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
        EV_CHECK(send(fd, "PING\r\n", 6, 0) == 6);
        shutdown(fd, SHUT_WR);
        while ((n = recv(fd, buf + got, sizeof buf - 1 - got, 0)) > 0)
            got += (size_t)n;
        buf[got] = '\0';
        EV_CHECK_STR(buf, "+PONG\r\n");
        EV_CHECK(n == 0);
        close(fd);
    }

    /* a connection left open when the relay stops is closed by ev_relay_free */
    c = redisConnect("127.0.0.1", rport);
    stop_relay(&t);
    EV_CHECK(t.rc == EV_OK);
    ev_relay_get_stats(t.r, &st);
    EV_CHECK(st.accepted >= 66);   /* the last connect may still sit in the backlog */
    EV_CHECK(st.bytes_up > bigsz && st.bytes_down > bigsz);
    EV_CHECK(st.reads >= 2 * (bigsz / 1024));
    EV_CHECK(st.refused == 0);
    ev_relay_free(t.r);
    redisFree(c);

    /* backend unreachable: the client is closed, counted as refused */
    {
        int dead = free_port();
        EV_CHECK(start_relay(&t2, dead, 65536, &err) == EV_OK);
        c = redisConnect("127.0.0.1", ev_relay_port(t2.r));
        rep = (c && !c->err) ? redisCommand(c, "PING") : NULL;
        EV_CHECK(rep == NULL);
        redisFree(c);
        stop_relay(&t2);
        ev_relay_get_stats(t2.r, &st);
        EV_CHECK(st.refused == 1);
        ev_relay_free(t2.r);
    }

    redisFree(direct);
    kill(redis, SIGTERM);
    waitpid(redis, NULL, 0);
    return ev_test_done();
}
