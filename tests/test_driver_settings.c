/* test_driver_settings.c - settings validation: every bad settings object is refused with the
 * right code and a message naming the field path and the reason; good ones give the metadata
 * the run record needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev_driver.h"
#include "ev_test.h"

/* expect ev_driver_new to fail with code and a message containing want */
static void bad(const char *json, int code, const char *want)
{
    cJSON *j = cJSON_Parse(json);
    ev_driver *d = (ev_driver *)1;
    ev_error err = EV_ERROR_INIT;
    int rc;
    if (!j) {
        EV_CHECK_MSG(0, "test JSON does not parse: %s", json);
        return;
    }
    rc = ev_driver_new(&d, j, "platforms[1].settings", &err);
    EV_CHECK_MSG(rc == code, "%s: rc %d (%s), want %d", json, rc, err.msg, code);
    EV_CHECK_MSG(d == NULL, "%s: *out not NULL on failure", json);
    EV_CHECK_MSG(strstr(err.msg, want) != NULL, "%s: message \"%s\" lacks \"%s\"", json, err.msg,
                 want);
    EV_CHECK(ev_exit_code(rc) == 2);
    cJSON_Delete(j);
}

static ev_driver *good(const char *json)
{
    cJSON *j = cJSON_Parse(json);
    ev_driver *d = NULL;
    ev_error err = EV_ERROR_INIT;
    int rc = ev_driver_new(&d, j, NULL, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s: %s", json, err.msg);
    cJSON_Delete(j);
    return d;
}

int main(void)
{
    ev_driver *d;
    const ev_driver_info *in;

    bad("[]", EV_ESCHEMA, "platforms[1].settings: expected an object");
    bad("{}", EV_ESCHEMA, "platforms[1].settings.driver: required field is missing");
    bad("{\"driver\": 3}", EV_ESCHEMA, "platforms[1].settings.driver: expected a string");
    bad("{\"driver\": \"xen\"}", EV_ESCHEMA, "platforms[1].settings.driver: unknown driver \"xen\"");
    bad("{\"driver\": \"native\", \"port\": 70000}", EV_ERANGE,
        "platforms[1].settings.port: 70000 is out of range [1, 65535]");
    bad("{\"driver\": \"native\", \"port\": 63.5}", EV_ESCHEMA,
        "platforms[1].settings.port: expected an integer");
    bad("{\"driver\": \"native\", \"pin_cpus\": [0, \"1\"]}", EV_ESCHEMA,
        "platforms[1].settings.pin_cpus[1]: expected an integer CPU number");
    bad("{\"driver\": \"native\", \"pin_cpus\": [-1]}", EV_ERANGE,
        "platforms[1].settings.pin_cpus[0]: CPU -1 is out of range");
    bad("{\"driver\": \"native\", \"colour\": \"red\"}", EV_ESCHEMA,
        "platforms[1].settings.colour: unknown field");
    bad("{\"driver\": \"native\", \"offload\": 1}", EV_ESCHEMA,
        "platforms[1].settings.offload: expected true or false");
    bad("{\"driver\": \"command\"}", EV_ESCHEMA, "platforms[1].settings.start: required field");
    bad("{\"driver\": \"command\", \"start\": []}", EV_ESCHEMA,
        "platforms[1].settings.start: needs at least 1 element");
    bad("{\"driver\": \"command\", \"start\": [\"a\", 2]}", EV_ESCHEMA,
        "platforms[1].settings.start[1]: expected a string");
    bad("{\"driver\": \"command\", \"start\": [\"a\"], \"driver_path\": \"pci\"}", EV_ESCHEMA,
        "platforms[1].settings.driver_path: must be vhost, virtio or native");
    bad("{\"driver\": \"firecracker\", \"kernel\": \"k\", \"rootfs\": \"r\", \"tap\": \"t\"}",
        EV_ESCHEMA, "platforms[1].settings.host: required field is missing");
    bad("{\"driver\": \"firecracker\", \"host\": \"h\", \"rootfs\": \"r\", \"tap\": \"t\"}",
        EV_ESCHEMA, "platforms[1].settings.kernel: required field is missing");
    bad("{\"driver\": \"firecracker\", \"host\": \"h\", \"kernel\": \"k\", \"rootfs\": \"r\", "
        "\"tap\": \"t\", \"mem_mib\": 8}",
        EV_ERANGE, "platforms[1].settings.mem_mib: 8 is out of range");
    bad("{\"driver\": \"qemu\", \"host\": \"h\", \"kernel\": \"k\", \"tap\": \"t\"}", EV_ESCHEMA,
        "platforms[1].settings.flavour: required field is missing");
    bad("{\"driver\": \"qemu\", \"flavour\": \"osv\", \"host\": \"h\", \"kernel\": \"k\", "
        "\"tap\": \"t\"}",
        EV_ESCHEMA, "platforms[1].settings.flavour: \"osv\" is not one of");
    bad("{\"driver\": \"qemu\", \"flavour\": \"linuxvm\", \"host\": \"h\", \"kernel\": \"k\", "
        "\"tap\": \"t\", \"accel\": \"hvf\"}",
        EV_ESCHEMA, "platforms[1].settings.accel: \"hvf\" is not kvm or tcg");
    bad("{\"driver\": \"qemu\", \"flavour\": \"linuxvm\", \"host\": \"h\", \"kernel\": \"k\", "
        "\"tap\": \"t,x\"}",
        EV_ESCHEMA, "platforms[1].settings.tap: must not contain ','");
    bad("{\"driver\": \"qemu\", \"flavour\": \"linuxvm\", \"host\": \"h\", \"kernel\": \"\", "
        "\"tap\": \"t\"}",
        EV_ESCHEMA, "platforms[1].settings.kernel: must not be empty");
    bad("{\"driver\": \"kata\", \"tool\": \"docker\"}", EV_ESCHEMA,
        "platforms[1].settings.tool: \"docker\" is not ctr or nerdctl");
    bad("{\"driver\": \"kata\", \"vcpus\": 0}", EV_ERANGE,
        "platforms[1].settings.vcpus: 0 is out of range");

    /* defaults and metadata */
    d = good("{\"driver\": \"native\"}");
    if (d) {
        in = ev_driver_get_info(d);
        EV_CHECK_STR(in->platform, "native");
        EV_CHECK_STR(in->driver_path, "native");
        EV_CHECK_STR(in->stack, "host");
        EV_CHECK_STR(in->host, "127.0.0.1");
        EV_CHECK(in->port == 6379);
        EV_CHECK(in->offload == 1);
        EV_CHECK_STR(in->thread_basis, "process");
        ev_driver_free(d);
    }
    d = good("{\"driver\": \"qemu\", \"flavour\": \"unikraft-vhost\", \"host\": \"10.0.0.2\", "
             "\"kernel\": \"k\", \"tap\": \"tap7\"}");
    if (d) {
        in = ev_driver_get_info(d);
        EV_CHECK_STR(in->platform, "unikraft-vhost");
        EV_CHECK_STR(in->driver, "qemu");
        EV_CHECK_STR(in->driver_path, "vhost");
        EV_CHECK_STR(in->stack, "lwip");
        EV_CHECK(in->offload == 0);
        EV_CHECK_STR(in->instance_iface, "tap7");
        EV_CHECK_STR(in->thread_basis, "kvm");
        ev_driver_free(d);
    }
    d = good("{\"driver\": \"qemu\", \"flavour\": \"linuxvm\", \"host\": \"10.0.0.2\", "
             "\"kernel\": \"k\", \"tap\": \"tap7\", \"accel\": \"tcg\", \"platform\": \"vm-b\", "
             "\"offload\": false, \"instance_iface\": \"br0\"}");
    if (d) {
        in = ev_driver_get_info(d);
        EV_CHECK_STR(in->platform, "vm-b");
        EV_CHECK_STR(in->driver_path, "virtio");
        EV_CHECK_STR(in->stack, "linux");
        EV_CHECK(in->offload == 0);
        EV_CHECK_STR(in->instance_iface, "br0");
        EV_CHECK_STR(in->thread_basis, "tcg");
        ev_driver_free(d);
    }
    d = good("{\"driver\": \"firecracker\", \"host\": \"h\", \"kernel\": \"k\", \"rootfs\": \"r\","
             " \"tap\": \"fc0\"}");
    if (d) {
        in = ev_driver_get_info(d);
        EV_CHECK_STR(in->platform, "firecracker");
        EV_CHECK_STR(in->driver_path, "virtio");
        EV_CHECK_STR(in->instance_iface, "fc0");
        ev_driver_free(d);
    }
    d = good("{\"driver\": \"kata\"}");
    if (d) {
        in = ev_driver_get_info(d);
        EV_CHECK_STR(in->platform, "kata");
        EV_CHECK_STR(in->stack, "linux");
        ev_driver_free(d);
    }
    ev_driver_free(NULL);
    EV_CHECK_STR(ev_driver_names(), "native command firecracker qemu kata");
    return ev_test_done();
}
