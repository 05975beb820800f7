/* ev_netdev.h - per-interface packet and byte counters from
 * ROOT/sys/class/net/IF/statistics/{rx,tx}_{bytes,packets} (vnstat's source), deltas over a
 * window and the average packet size per direction. Library: ev_sys (measure/sys). */
#ifndef EV_NETDEV_H
#define EV_NETDEV_H

#include <stdint.h>
#include "ev_err.h"

#define EV_NETDEV_NAMELEN 32

/* Raw cumulative counters of one interface. */
typedef struct ev_netdev_counters {
    char ifname[EV_NETDEV_NAMELEN];
    int ifindex;                  /* ROOT/sys/class/net/IF/ifindex, -1 if unreadable */
    uint64_t rx_bytes, rx_packets, tx_bytes, tx_packets;
} ev_netdev_counters;

/* Deltas over a window. */
typedef struct ev_netdev_delta {
    char ifname[EV_NETDEV_NAMELEN];
    uint64_t rx_bytes, rx_packets, tx_bytes, tx_packets;
    double rx_avg_bytes, tx_avg_bytes; /* bytes / packets; 0 when no packet moved */
    int reset;  /* 1: a counter went backwards or the ifindex changed (device re-created):
                   the deltas are the values counted since the reset (a lower bound) */
} ev_netdev_delta;

/* Read the four counters (and ifindex) of `ifname`. root NULL/"" = live /sys.
 * RETURNS EV_OK, EV_ENOENT (no such interface), EV_EIO, EV_EPARSE, EV_EINVAL (bad name). */
int ev_netdev_read(ev_netdev_counters *out, const char *root, const char *ifname, ev_error *err);

/* One counter's delta: cur - prev, or cur when the counter went backwards (reset; *reset is
 * then set to 1; reset may be NULL). */
uint64_t ev_netdev_counter_delta(uint64_t prev, uint64_t cur, int *reset);

/* Deltas of a window. If the ifindex changed, every delta is the new counter value. */
void ev_netdev_delta_compute(ev_netdev_delta *out, const ev_netdev_counters *prev,
                             const ev_netdev_counters *cur);

#endif
