#include "ev_netdev.h"
#include "ev_sys_util.h"
#include "ev_fs.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_u64(uint64_t *v, const char *root, const char *ifname, const char *leaf,
                    ev_error *err)
{
    char rel[256], path[4096], *buf = NULL, *end;
    const char *p;
    int rc;
    snprintf(rel, sizeof rel, "/sys/class/net/%s/%s", ifname, leaf);
    ev_sys__path(path, sizeof path, root, rel);
    rc = ev_fs_read_all(&buf, NULL, path, err);
    if (rc != EV_OK)
        return rc;
    p = buf;
    while (*p == ' ')
        p++;
    if (!isdigit((unsigned char)*p)) {
        free(buf);
        return ev_error_set(err, EV_EPARSE, "%s: not a non-negative integer", path);
    }
    errno = 0;
    *v = (uint64_t)strtoull(p, &end, 10);
    rc = errno == ERANGE ? ev_error_set(err, EV_EPARSE, "%s: value out of range", path) : EV_OK;
    free(buf);
    return rc;
}

int ev_netdev_read(ev_netdev_counters *out, const char *root, const char *ifname, ev_error *err)
{
    uint64_t idx;
    ev_error e2 = EV_ERROR_INIT;
    int rc;
    memset(out, 0, sizeof *out);
    if (!ifname || !*ifname || strlen(ifname) >= EV_NETDEV_NAMELEN || strchr(ifname, '/') ||
        strcmp(ifname, ".") == 0 || strcmp(ifname, "..") == 0)
        return ev_error_set(err, EV_EINVAL, "interface name \"%s\": invalid", ifname ? ifname : "");
    snprintf(out->ifname, sizeof out->ifname, "%s", ifname);
    if ((rc = read_u64(&out->rx_bytes, root, ifname, "statistics/rx_bytes", err)) != EV_OK ||
        (rc = read_u64(&out->rx_packets, root, ifname, "statistics/rx_packets", err)) != EV_OK ||
        (rc = read_u64(&out->tx_bytes, root, ifname, "statistics/tx_bytes", err)) != EV_OK ||
        (rc = read_u64(&out->tx_packets, root, ifname, "statistics/tx_packets", err)) != EV_OK)
        return rc;
    out->ifindex = read_u64(&idx, root, ifname, "ifindex", &e2) == EV_OK ? (int)idx : -1;
    return EV_OK;
}

uint64_t ev_netdev_counter_delta(uint64_t prev, uint64_t cur, int *reset)
{
    if (cur >= prev)
        return cur - prev;
    if (reset)
        *reset = 1;
    return cur;
}

static double avg(uint64_t bytes, uint64_t packets)
{
    return packets ? (double)bytes / (double)packets : 0.0;
}

void ev_netdev_delta_compute(ev_netdev_delta *out, const ev_netdev_counters *prev,
                             const ev_netdev_counters *cur)
{
    ev_netdev_counters zero;
    memset(out, 0, sizeof *out);
    snprintf(out->ifname, sizeof out->ifname, "%s", cur->ifname);
    if (prev->ifindex >= 0 && cur->ifindex >= 0 && prev->ifindex != cur->ifindex) {
        memset(&zero, 0, sizeof zero);
        prev = &zero;
        out->reset = 1;
    }
    out->rx_bytes = ev_netdev_counter_delta(prev->rx_bytes, cur->rx_bytes, &out->reset);
    out->rx_packets = ev_netdev_counter_delta(prev->rx_packets, cur->rx_packets, &out->reset);
    out->tx_bytes = ev_netdev_counter_delta(prev->tx_bytes, cur->tx_bytes, &out->reset);
    out->tx_packets = ev_netdev_counter_delta(prev->tx_packets, cur->tx_packets, &out->reset);
    out->rx_avg_bytes = avg(out->rx_bytes, out->rx_packets);
    out->tx_avg_bytes = avg(out->tx_bytes, out->tx_packets);
}
