/* fuzz_netdev.c - the interface counter reader of measure/sys (ev_netdev_read): the input,
 * split at NUL bytes, becomes the contents of ROOT/sys/class/net/fz0/statistics/{rx_bytes,
 * rx_packets,tx_bytes,tx_packets} and ifindex in a private folder; the counters read are then
 * fed to the delta functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ev_netdev.h"
#include "fuzz_util.h"

static const char *const files[] = {
    "sys/class/net/fz0/statistics/rx_bytes", "sys/class/net/fz0/statistics/rx_packets",
    "sys/class/net/fz0/statistics/tx_bytes", "sys/class/net/fz0/statistics/tx_packets",
    "sys/class/net/fz0/ifindex"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t off = 0, i;
    ev_netdev_counters c0, c1;
    ev_netdev_delta d;
    ev_error err = EV_ERROR_INIT;
    char root[4200];
    int rc;

    for (i = 0; i < 5; i++) {
        const uint8_t *nul = off < size ? memchr(data + off, 0, size - off) : NULL;
        size_t len = nul ? (size_t)(nul - (data + off)) : size - off;
        ev_fuzz_write_file(files[i], data + off, off < size ? len : 0);
        off = nul ? off + len + 1 : size;
    }
    snprintf(root, sizeof root, "%s", ev_fuzz_tmpdir());
    rc = ev_netdev_read(&c1, root, "fz0", &err);
    EV_FUZZ_ASSERT(rc == EV_OK || err.msg[0] != '\0');
    if (rc == EV_OK) {
        memset(&c0, 0, sizeof c0);
        c0.ifindex = c1.ifindex;
        ev_netdev_delta_compute(&d, &c0, &c1);
        EV_FUZZ_ASSERT(d.rx_bytes == c1.rx_bytes && d.tx_packets == c1.tx_packets);
        ev_netdev_delta_compute(&d, &c1, &c0); /* backwards: a reset */
        EV_FUZZ_ASSERT(d.rx_avg_bytes >= 0 && d.tx_avg_bytes >= 0);
    }
    /* the interface name is validated before any path is built */
    if (size < 64) {
        char *name = ev_fuzz_strdup(data, size);
        (void)ev_netdev_read(&c1, root, name, &err);
        free(name);
    }
    return 0;
}
