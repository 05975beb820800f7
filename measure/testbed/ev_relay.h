/* ev_relay.h - a userspace TCP relay: the analogue of a virtio device backend living in the
 * VMM's userspace (Firecracker, QEMU without vhost). Every chunk of data crosses the relay with
 * one read(2) into a user buffer and one write(2) out of it, so the per-packet system call and
 * copy costs are real and are charged to the relay process ("VMM" CPU), not to Redis ("guest").
 *
 * Design: one thread, one level-triggered epoll loop, one read or one write per readiness event,
 * TCP_NODELAY on both legs (no Nagle/delayed-ACK stalls), a large listen backlog, a configurable
 * per-direction buffer. A half-close on one leg is forwarded (shutdown(SHUT_WR)) once the data
 * before it has been written. The library never prints and never exits. */
#ifndef EV_RELAY_H
#define EV_RELAY_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "ev_err.h"

typedef struct ev_relay_options {
    const char *listen_host;   /* numeric IPv4 address to listen on ("0.0.0.0": all) */
    int listen_port;           /* 0: pick a free port (see ev_relay_port) */
    const char *connect_host;  /* numeric IPv4 address of the backend (Redis) */
    int connect_port;
    size_t buffer_size;        /* bytes per direction per connection (1 KiB .. 16 MiB) */
    int backlog;               /* listen(2) backlog */
    int max_conns;             /* connection pairs served at once; more are refused */
    int nodelay;               /* 1: TCP_NODELAY on both legs */
} ev_relay_options;

#define EV_RELAY_OPTIONS_INIT { "0.0.0.0", 0, "127.0.0.1", 6379, 65536, 4096, 1024, 1 }

/* Counters since ev_relay_new (plain data, filled by ev_relay_get_stats). */
typedef struct ev_relay_stats {
    uint64_t accepted;          /* client connections accepted */
    uint64_t refused;           /* closed at once: table full or backend unreachable */
    uint64_t closed;            /* connection pairs finished */
    uint64_t bytes_up;          /* client -> backend */
    uint64_t bytes_down;        /* backend -> client */
    uint64_t reads;             /* read(2) calls that returned data */
    uint64_t writes;            /* write(2) calls that wrote data */
    uint64_t partial_writes;    /* writes that left data behind (waited for EPOLLOUT) */
} ev_relay_stats;

typedef struct ev_relay ev_relay;

/* Validate the options, bind and listen. OUT *out (free with ev_relay_free).
 * RETURNS EV_OK, EV_EINVAL (bad option) or EV_ESYS (socket/bind/listen failed). */
int ev_relay_new(ev_relay **out, const ev_relay_options *opts, ev_error *err);

/* The port actually listened on. */
int ev_relay_port(const ev_relay *r);

/* Serve until *stop becomes non-zero (checked at least every 200 ms). Per-connection failures
 * (backend refused, resets) are counted, not fatal. RETURNS EV_OK when stopped, EV_ESYS if
 * epoll itself fails. */
int ev_relay_run(ev_relay *r, volatile sig_atomic_t *stop, ev_error *err);

/* Copy the counters into *out. */
void ev_relay_get_stats(const ev_relay *r, ev_relay_stats *out);

/* Close every socket and free. NULL is a no-op. */
void ev_relay_free(ev_relay *r);

#endif
