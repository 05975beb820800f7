/* test_driver_qemu_vhost.c - the unikraft-vhost flavour (vhost=on) with the REAL QEMU on a
 * host without /dev/vhost-net: QEMU prints "tap: open vhost char device failed" and aborts
 * (tcg-vm.md); ev_driver_ready must say clearly that /dev/vhost-net is missing. Needs root and
 * /dev/net/tun (QEMU creates the tap itself); skips otherwise, and where /dev/vhost-net exists
 * (then vhost works and there is no failure to check). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ev_driver.h"
#include "ev_test.h"

int main(void)
{
    char json[1024], kernel[256] = "";
    ev_error err = EV_ERROR_INIT;
    ev_driver *d = NULL;
    cJSON *j;
    int rc;

    if (geteuid() != 0 || access("/dev/net/tun", R_OK | W_OK) != 0) {
        printf("SKIP: needs root and /dev/net/tun (QEMU opens a tap)\n");
        return EV_TEST_SKIP;
    }
    if (access("/dev/vhost-net", F_OK) == 0) {
        printf("SKIP: /dev/vhost-net exists here, so vhost=on does not fail\n");
        return EV_TEST_SKIP;
    }
    if (access("/usr/bin/qemu-system-x86_64", X_OK) != 0) {
        printf("SKIP: qemu-system-x86_64 is not installed\n");
        return EV_TEST_SKIP;
    }
    /* any kernel file: QEMU fails at the netdev, before it loads it */
    snprintf(kernel, sizeof kernel, "/proc/self/exe");
    snprintf(json, sizeof json,
             "{\"driver\": \"qemu\", \"flavour\": \"unikraft-vhost\", \"kernel\": \"%s\", "
             "\"tap\": \"evvh%d\", \"accel\": \"tcg\", \"host\": \"127.0.0.1\", \"port\": 9}",
             kernel, (int)getpid() % 100000);
    j = cJSON_Parse(json);
    EV_CHECK(ev_driver_new(&d, j, NULL, &err) == EV_OK);
    cJSON_Delete(j);
    if (!d)
        return ev_test_done();
    rc = ev_driver_start(d, &err);
    EV_CHECK_MSG(rc == EV_OK, "start: %s", err.msg);
    rc = ev_driver_ready(d, 5.0, &err);
    printf("ready: %s\n", err.msg);
    EV_CHECK_MSG(rc == EV_ECHILD, "rc %d: %s", rc, err.msg);
    EV_CHECK_MSG(strstr(err.msg, "/dev/vhost-net, which is missing"), "%s", err.msg);
    EV_CHECK_MSG(strstr(err.msg, "vhost char device"), "%s", err.msg);
    ev_driver_free(d);
    return ev_test_done();
}
