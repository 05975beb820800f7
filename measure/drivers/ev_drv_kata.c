/* ev_drv_kata.c - driver "kata": Redis in a Kata Containers sandbox started through containerd,
 *   ctr [--address A] --namespace NS run --rm --runtime io.containerd.kata.v2 --cpus N
 *       --memory-limit BYTES (--with-ns network:NETNS | --net-host) IMAGE ID redis-server ...
 * or with "tool": "nerdctl":
 *   nerdctl --namespace NS run --rm --name ID --runtime io.containerd.kata.v2 --cpus N
 *       --memory NNNm (--network ns:NETNS | -p PORT:PORT) IMAGE redis-server ...
 * Stopped with `ctr task kill -s SIGTERM ID` (nerdctl: `nerdctl stop ID`) then the signals to
 * ctr's process group. Neither containerd nor Kata exists on the development machine: this
 * driver is tested by its plan (dry run) and its "binary missing" error only. */
#include "ev_drv_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct kata_priv {
    char tool[16], bin[PATH_MAX], image[256], runtime[128], id[64];
    char address[PATH_MAX], ns[64];
    double vcpus;
    long mem_mib;
    char **stop;
} kata_priv;

static void kata_free(void *p)
{
    kata_priv *k = p;
    if (!k)
        return;
    ev_drv_strv_free(k->stop);
    free(k);
}

static int kata_parse(ev_driver *d, const cJSON *s, const char *path, ev_error *err)
{
    static const char *const keys[] = {EV_DRV_COMMON_KEYS, "tool", "binary", "image", "runtime",
                                       "container_id", "vcpus", "memory_mib", "address",
                                       "namespace", NULL};
    kata_priv *k;
    int rc, nerd;
    ev_drv_argv st = {0};
    if ((rc = ev_drv_check_keys(s, path, keys, err)) != EV_OK)
        return rc;
    k = calloc(1, sizeof *k);
    if (!k)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    d->priv = k;
    if ((rc = ev_drv_get_str(s, path, "tool", 0, "ctr", k->tool, sizeof k->tool, err)) != EV_OK)
        return rc;
    if (strcmp(k->tool, "ctr") && strcmp(k->tool, "nerdctl"))
        return ev_error_set(err, EV_ESCHEMA, "%s.tool: \"%s\" is not ctr or nerdctl", path,
                            k->tool);
    nerd = strcmp(k->tool, "nerdctl") == 0;
    if ((rc = ev_drv_get_str(s, path, "binary", 0, k->tool, k->bin, sizeof k->bin, err)) !=
            EV_OK ||
        (rc = ev_drv_get_str(s, path, "image", 0, "docker.io/library/redis:7.0", k->image,
                             sizeof k->image, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "runtime", 0, "io.containerd.kata.v2", k->runtime,
                             sizeof k->runtime, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "container_id", 0, "edgevirt-redis", k->id, sizeof k->id,
                             err)) != EV_OK ||
        (rc = ev_drv_get_num(s, path, "vcpus", 0, 1.0, 0.01, 1024, &k->vcpus, err)) != EV_OK ||
        (rc = ev_drv_get_int(s, path, "memory_mib", 0, 512, 64, 1048576, &k->mem_mib, err)) !=
            EV_OK ||
        (rc = ev_drv_get_str(s, path, "address", 0, "", k->address, sizeof k->address, err)) !=
            EV_OK ||
        (rc = ev_drv_get_str(s, path, "namespace", 0, "default", k->ns, sizeof k->ns, err)) !=
            EV_OK)
        return rc;
    /* ctr/nerdctl talk to containerd over its socket from the caller's namespace; the
     * container joins the netns (--with-ns / --network ns:), and PING is sent from there */
    d->spawn_outside_netns = 1;
    ev_drv_argv_add(&st, k->bin);
    if (!nerd && k->address[0]) {
        ev_drv_argv_add(&st, "--address");
        ev_drv_argv_add(&st, k->address);
    }
    ev_drv_argv_add(&st, "--namespace");
    ev_drv_argv_add(&st, k->ns);
    if (nerd) {
        ev_drv_argv_add(&st, "stop");
    } else {
        ev_drv_argv_add(&st, "task");
        ev_drv_argv_add(&st, "kill");
        ev_drv_argv_add(&st, "-s");
        ev_drv_argv_add(&st, "SIGTERM");
    }
    ev_drv_argv_add(&st, k->id);
    if (st.oom) {
        ev_drv_argv_free(&st);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    k->stop = st.v;
    snprintf(d->info.platform, sizeof d->info.platform, "kata");
    /* Kata's QEMU attaches the tap with vhost-net (the paper, section 3.2). */
    snprintf(d->info.driver_path, sizeof d->info.driver_path, "vhost");
    snprintf(d->info.stack, sizeof d->info.stack, "linux");
    d->info.offload = 1;
    return EV_OK;
}

static void kata_argv(const ev_driver *d, ev_drv_argv *a)
{
    const kata_priv *k = d->priv;
    int nerd = strcmp(k->tool, "nerdctl") == 0;
    ev_drv_argv_add(a, k->bin);
    if (!nerd && k->address[0]) {
        ev_drv_argv_add(a, "--address");
        ev_drv_argv_add(a, k->address);
    }
    ev_drv_argv_add(a, "--namespace");
    ev_drv_argv_add(a, k->ns);
    ev_drv_argv_add(a, "run");
    ev_drv_argv_add(a, "--rm");
    if (nerd) {
        ev_drv_argv_add(a, "--name");
        ev_drv_argv_add(a, k->id);
    }
    ev_drv_argv_add(a, "--runtime");
    ev_drv_argv_add(a, k->runtime);
    ev_drv_argv_add(a, "--cpus");
    ev_drv_argv_addf(a, "%g", k->vcpus);
    if (nerd) {
        ev_drv_argv_add(a, "--memory");
        ev_drv_argv_addf(a, "%ldm", k->mem_mib);
        if (d->netns[0]) {
            ev_drv_argv_add(a, "--network");
            ev_drv_argv_addf(a, "ns:%s", d->netns);
        } else {
            ev_drv_argv_add(a, "-p");
            ev_drv_argv_addf(a, "%d:%d", d->info.port, d->info.port);
        }
    } else {
        ev_drv_argv_add(a, "--memory-limit");
        ev_drv_argv_addf(a, "%ld", k->mem_mib * 1024L * 1024L);
        if (d->netns[0]) {
            ev_drv_argv_add(a, "--with-ns");
            ev_drv_argv_addf(a, "network:%s", d->netns);
        } else {
            ev_drv_argv_add(a, "--net-host");
        }
    }
    ev_drv_argv_add(a, k->image);
    if (!nerd)
        ev_drv_argv_add(a, k->id);
    ev_drv_argv_add(a, "redis-server");
    ev_drv_argv_add(a, "--port");
    ev_drv_argv_addf(a, "%d", d->info.port);
    ev_drv_argv_add(a, "--protected-mode");
    ev_drv_argv_add(a, "no");
    ev_drv_argv_add(a, "--save");
    ev_drv_argv_add(a, "");
    ev_drv_argv_add(a, "--appendonly");
    ev_drv_argv_add(a, "no");
}

static void kata_plan(const ev_driver *d, ev_drv_buf *b)
{
    ev_drv_argv a = {0};
    kata_argv(d, &a);
    ev_drv_plan_spawn(b, d, a.v, d->n_pin > 0);
    ev_drv_argv_free(&a);
}

static int kata_start(ev_driver *d, ev_error *err)
{
    kata_priv *k = d->priv;
    ev_drv_argv a = {0};
    char *vargv[] = {k->bin, "--version", NULL};
    int rc;
    kata_argv(d, &a);
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

/* The sandbox's VMM is a child of containerd's shim, not of ctr: find QEMU / Cloud Hypervisor /
 * Firecracker processes' vCPU threads by name. Untested here (no Kata on this machine). */
static int kata_pids(ev_driver *d, ev_driver_pids *out, ev_error *err)
{
    static const char *const vmms[] = {"qemu-system-x86", "qemu-system-aar", "cloud-hyperviso",
                                       "firecracker", NULL};
    const char *const *v;
    (void)d;
    (void)err;
    for (v = vmms; *v && !out->n_vcpu; v++) {
        pid_t p[4];
        int n = ev_drv_find_procs_by_comm(*v, p, 4);
        if (n == 1) {
            out->vmm = p[0];
            out->n_vcpu = ev_drv_find_threads(p[0], strncmp(*v, "qemu", 4) == 0 ? "CPU "
                                                    : strcmp(*v, "firecracker") == 0 ? "fc_vcpu"
                                                                                     : "vcpu",
                                              out->vcpu, EV_DRIVER_MAX_TIDS);
        }
    }
    return EV_OK;
}

static char **kata_stop_argv(const ev_driver *d)
{
    const kata_priv *k = d->priv;
    return k->stop;
}

static int kata_preflight(const ev_driver *d, ev_error *err)
{
    const kata_priv *k = d->priv;
    return ev_drv_need_exec(d, "binary", k->bin, err);
}

const ev_drv_ops ev_drv_kata_ops = {
    .preflight = kata_preflight,
    .name = "kata",
    .parse = kata_parse,
    .plan = kata_plan,
    .start = kata_start,
    .pids = kata_pids,
    .stop_argv = kata_stop_argv,
    .free_priv = kata_free,
};
