/* ev_drv_qemu.c - driver "qemu", three flavours:
 *   linuxvm          Linux guest, virtio-net, vhost=off  (driver_path virtio, stack linux)
 *   unikraft-virtio  Unikraft image, virtio-net, vhost=off (virtio, lwip)
 *   unikraft-vhost   Unikraft image, virtio-net, vhost=on  (vhost, lwip)
 * The argv is built from the settings; the guest's serial console goes to <workdir>/serial.log.
 * vCPU threads are found by name ("CPU 0/TCG", "CPU 0/KVM": needs -name ...,debug-threads=on). */
#include "ev_drv_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct qemu_priv {
    char flavour[24];
    char bin[PATH_MAX];
    char kernel[PATH_MAX], initrd[PATH_MAX];
    char append[2048];
    char tap[32], mac[32], accel[8], cpu[64], machine[64], name[64];
    char guest_gw[64];     /* unikraft: the gateway in the default kernel arguments, "" none */
    long mem_mib, guest_prefix;
    int unikraft_default_append; /* unikraft flavour, no "append": built from host and port */
    int vhost;
    char **extra;
} qemu_priv;

static void qemu_free(void *p)
{
    qemu_priv *q = p;
    if (!q)
        return;
    ev_drv_strv_free(q->extra);
    free(q);
}

static int qemu_parse(ev_driver *d, const cJSON *s, const char *path, ev_error *err)
{
    static const char *const keys[] = {EV_DRV_COMMON_KEYS, "flavour", "qemu", "kernel", "initrd",
                                       "append", "mem_mib", "tap", "mac", "accel", "cpu",
                                       "machine", "name", "extra_args", "guest_prefix",
                                       "guest_gw", NULL};
    qemu_priv *q;
    int rc, linux_guest;
    if ((rc = ev_drv_check_keys(s, path, keys, err)) != EV_OK)
        return rc;
    q = calloc(1, sizeof *q);
    if (!q)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    d->priv = q;
    if ((rc = ev_drv_get_str(s, path, "flavour", 1, NULL, q->flavour, sizeof q->flavour, err)) !=
        EV_OK)
        return rc;
    if (strcmp(q->flavour, "linuxvm") && strcmp(q->flavour, "unikraft-virtio") &&
        strcmp(q->flavour, "unikraft-vhost"))
        return ev_error_set(err, EV_ESCHEMA, "%s.flavour: \"%s\" is not one of linuxvm, "
                                             "unikraft-virtio, unikraft-vhost", path, q->flavour);
    linux_guest = strcmp(q->flavour, "linuxvm") == 0;
    q->vhost = strcmp(q->flavour, "unikraft-vhost") == 0;
    if (!cJSON_GetObjectItemCaseSensitive(s, "host"))
        return ev_error_set(err, EV_ESCHEMA, "%s.host: required field is missing (the guest's "
                                             "address, where Redis answers)", path);
    if ((rc = ev_drv_get_str(s, path, "qemu", 0, "qemu-system-x86_64", q->bin, sizeof q->bin,
                             err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "kernel", 1, NULL, q->kernel, sizeof q->kernel, err)) !=
            EV_OK ||
        (rc = ev_drv_get_str(s, path, "initrd", 0, "", q->initrd, sizeof q->initrd, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "append", 0, linux_guest ? "console=ttyS0" : "", q->append,
                             sizeof q->append, err)) != EV_OK ||
        (rc = ev_drv_get_int(s, path, "mem_mib", 0, 256, 16, 1048576, &q->mem_mib, err)) !=
            EV_OK ||
        (rc = ev_drv_get_str(s, path, "tap", 1, NULL, q->tap, sizeof q->tap, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "mac", 0, "52:54:00:12:34:56", q->mac, sizeof q->mac,
                             err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "accel", 0, "kvm", q->accel, sizeof q->accel, err)) !=
            EV_OK ||
        (rc = ev_drv_get_str(s, path, "cpu", 0, "", q->cpu, sizeof q->cpu, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "machine", 0, "", q->machine, sizeof q->machine, err)) !=
            EV_OK ||
        (rc = ev_drv_get_strv(s, path, "extra_args", 0, 0, &q->extra, err)) != EV_OK ||
        (rc = ev_drv_get_int(s, path, "guest_prefix", 0, 24, 1, 32, &q->guest_prefix, err)) !=
            EV_OK ||
        (rc = ev_drv_get_str(s, path, "guest_gw", 0, "", q->guest_gw, sizeof q->guest_gw, err)) !=
            EV_OK)
        return rc;
    q->unikraft_default_append = !linux_guest && !cJSON_GetObjectItemCaseSensitive(s, "append");
    if (!q->unikraft_default_append && (cJSON_GetObjectItemCaseSensitive(s, "guest_prefix") ||
                                        cJSON_GetObjectItemCaseSensitive(s, "guest_gw")))
        return ev_error_set(err, EV_ESCHEMA, "%s.%s: only used to build a Unikraft image's "
                                             "kernel arguments when \"append\" is not given",
                            path, cJSON_GetObjectItemCaseSensitive(s, "guest_prefix") ? "guest_prefix"
                                                                                  : "guest_gw");
    if (strpbrk(q->guest_gw, " :\"") )
        return ev_error_set(err, EV_ESCHEMA, "%s.guest_gw: \"%s\" is not an IPv4 address", path,
                            q->guest_gw);
    if (strcmp(q->accel, "kvm") && strcmp(q->accel, "tcg"))
        return ev_error_set(err, EV_ESCHEMA, "%s.accel: \"%s\" is not kvm or tcg", path, q->accel);
    {
        char defname[64];
        snprintf(defname, sizeof defname, "edgevirt-%s", q->flavour);
        if ((rc = ev_drv_get_str(s, path, "name", 0, defname, q->name, sizeof q->name, err)) !=
            EV_OK)
            return rc;
        if (strchr(q->name, ','))
            return ev_error_set(err, EV_ESCHEMA, "%s.name: must not contain ','", path);
    }
    if (strchr(q->tap, ','))
        return ev_error_set(err, EV_ESCHEMA, "%s.tap: must not contain ','", path);
    ev_drv_copy(d->info.platform, sizeof d->info.platform, q->flavour);
    snprintf(d->info.driver_path, sizeof d->info.driver_path, "%s", q->vhost ? "vhost" : "virtio");
    snprintf(d->info.stack, sizeof d->info.stack, "%s", linux_guest ? "linux" : "lwip");
    ev_drv_copy(d->info.instance_iface, sizeof d->info.instance_iface, q->tap);
    ev_drv_copy(d->info.thread_basis, sizeof d->info.thread_basis, q->accel);
    d->info.offload = linux_guest; /* lwIP segments in software */
    return EV_OK;
}

static void qemu_argv(const ev_driver *d, const char *dir, ev_drv_argv *a)
{
    const qemu_priv *q = d->priv;
    ev_drv_argv_add(a, q->bin);
    ev_drv_argv_add(a, "-name");
    ev_drv_argv_addf(a, "%s,debug-threads=on", q->name);
    ev_drv_argv_add(a, "-accel");
    ev_drv_argv_add(a, q->accel);
    if (q->machine[0]) {
        ev_drv_argv_add(a, "-machine");
        ev_drv_argv_add(a, q->machine);
    }
    if (q->cpu[0]) {
        ev_drv_argv_add(a, "-cpu");
        ev_drv_argv_add(a, q->cpu);
    }
    ev_drv_argv_add(a, "-smp");
    ev_drv_argv_add(a, "1");
    ev_drv_argv_add(a, "-m");
    ev_drv_argv_addf(a, "%ld", q->mem_mib);
    ev_drv_argv_add(a, "-nographic");
    ev_drv_argv_add(a, "-no-reboot");
    ev_drv_argv_add(a, "-kernel");
    ev_drv_argv_add(a, q->kernel);
    if (q->initrd[0]) {
        ev_drv_argv_add(a, "-initrd");
        ev_drv_argv_add(a, q->initrd);
    }
    if (q->unikraft_default_append) {
        /* Unikraft >= 0.16 (uknetdev's libparam "netdev.ip=CIDR[:GW]", lwIP takes it) and Redis
         * arguments after "--": the spec's port, reachable from the tap (protected mode would
         * refuse a client without a password), no RDB snapshots (no disk in the unikernel) */
        ev_drv_argv_add(a, "-append");
        ev_drv_argv_addf(a, "netdev.ip=%s/%ld%s%s -- --port %d --protected-mode no --save \"\"",
                         d->info.host, q->guest_prefix, q->guest_gw[0] ? ":" : "", q->guest_gw,
                         d->info.port);
    } else if (q->append[0]) {
        ev_drv_argv_add(a, "-append");
        ev_drv_argv_add(a, q->append);
    }
    ev_drv_argv_add(a, "-netdev");
    ev_drv_argv_addf(a, "tap,id=net0,ifname=%s,script=no,downscript=no,vhost=%s", q->tap,
                     q->vhost ? "on" : "off");
    ev_drv_argv_add(a, "-device");
    ev_drv_argv_addf(a, "virtio-net-pci,netdev=net0,mac=%s", q->mac);
    ev_drv_argv_add(a, "-serial");
    ev_drv_argv_addf(a, "file:%s/serial.log", dir);
    ev_drv_argv_add(a, "-monitor");
    ev_drv_argv_add(a, "none");
    ev_drv_argv_addv(a, q->extra);
}

static void qemu_plan(const ev_driver *d, ev_drv_buf *b)
{
    ev_drv_argv a = {0};
    qemu_argv(d, "<workdir>", &a);
    ev_drv_plan_spawn(b, d, a.v, d->n_pin > 0);
    ev_drv_argv_free(&a);
}

static void qemu_plan_after_ready(const ev_driver *d, ev_drv_buf *b)
{
    if (d->n_pin)
        ev_drv_buf_printf(b, "after PONG: pin threads named \"CPU N/...\" to the same CPUs\n");
}

static int qemu_start(ev_driver *d, ev_error *err)
{
    qemu_priv *q = d->priv;
    ev_drv_argv a = {0};
    char *vargv[] = {q->bin, "--version", NULL};
    int rc;
    qemu_argv(d, d->dir, &a);
    if (a.oom) {
        ev_drv_argv_free(&a);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    rc = ev_drv_spawn_main(d, a.v, err);
    ev_drv_argv_free(&a);
    if (rc != EV_OK)
        return rc;
    d->running = 1;
    ev_drv_probe_version(d, vargv);
    return EV_OK;
}

static int qemu_after_ready(ev_driver *d, ev_error *err)
{
    return ev_drv_pin_threads(d, "CPU ", err);
}

static int qemu_pids(ev_driver *d, ev_driver_pids *out, ev_error *err)
{
    char name[32];
    (void)err;
    out->n_vcpu = ev_drv_find_threads(d->pid, "CPU ", out->vcpu, EV_DRIVER_MAX_TIDS);
    snprintf(name, sizeof name, "vhost-%d", (int)d->pid);
    out->n_vhost = ev_drv_find_procs_by_comm(name, out->vhost, EV_DRIVER_MAX_TIDS);
    return EV_OK;
}

static void qemu_explain_exit(const ev_driver *d, int status, const char *tail, char *out,
                              size_t n)
{
    const qemu_priv *q = d->priv;
    (void)status;
    if (q->vhost && (strstr(tail, "vhost") || access("/dev/vhost-net", F_OK) != 0))
        snprintf(out, n, "vhost=on needs /dev/vhost-net, which is missing on this host (no "
                         "vhost_net in its kernel), so QEMU could not open the vhost char device; "
                         "the unikraft-vhost platform cannot run here");
    else if (strstr(tail, "failed to set MSR") || strstr(tail, "KVM"))
        snprintf(out, n, "QEMU failed with accel %s (KVM unusable here? try \"accel\": \"tcg\")",
                 q->accel);
}

static void qemu_explain_timeout(const ev_driver *d, char *out, size_t n)
{
    const qemu_priv *q = d->priv;
    char path[PATH_MAX], tail[300];
    snprintf(path, sizeof path, "%s/serial.log", d->dir);
    ev_drv_file_tail(path, tail, sizeof tail);
    snprintf(out, n, "%sguest serial log %s: %s",
             strcmp(q->accel, "kvm") == 0 ? "accel kvm: a guest that hangs at boot may need "
                                            "\"accel\": \"tcg\" on a nested host; "
                                          : "",
             path, tail[0] ? tail : "(empty)");
}

static int qemu_preflight(const ev_driver *d, ev_error *err)
{
    const qemu_priv *q = d->priv;
    int rc;
    if ((rc = ev_drv_need_exec(d, "qemu", q->bin, err)) != EV_OK ||
        (rc = ev_drv_need_file(d, "kernel", q->kernel, err)) != EV_OK ||
        (q->initrd[0] && (rc = ev_drv_need_file(d, "initrd", q->initrd, err)) != EV_OK))
        return rc;
    return ev_drv_need_iface(d, "tap", q->tap, err);
}

const ev_drv_ops ev_drv_qemu_ops = {
    .preflight = qemu_preflight,
    .name = "qemu",
    .parse = qemu_parse,
    .plan = qemu_plan,
    .plan_after_ready = qemu_plan_after_ready,
    .start = qemu_start,
    .after_ready = qemu_after_ready,
    .pids = qemu_pids,
    .explain_exit = qemu_explain_exit,
    .explain_timeout = qemu_explain_timeout,
    .free_priv = qemu_free,
};
