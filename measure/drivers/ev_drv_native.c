/* ev_drv_native.c - driver "native": redis-server on the host itself, pinned to the given CPU(s)
 * with sched_setaffinity in the child before exec. */
#include "ev_drv_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct native_priv {
    char redis_server[PATH_MAX];
    char bind[64];
    char **extra;
} native_priv;

static void native_free(void *p)
{
    native_priv *n = p;
    if (!n)
        return;
    ev_drv_strv_free(n->extra);
    free(n);
}

static int native_parse(ev_driver *d, const cJSON *s, const char *path, ev_error *err)
{
    static const char *const keys[] = {EV_DRV_COMMON_KEYS, "redis_server", "bind", "extra_args",
                                       NULL};
    native_priv *n;
    int rc;
    if ((rc = ev_drv_check_keys(s, path, keys, err)) != EV_OK)
        return rc;
    n = calloc(1, sizeof *n);
    if (!n)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    d->priv = n;
    if ((rc = ev_drv_get_str(s, path, "redis_server", 0, "redis-server", n->redis_server,
                             sizeof n->redis_server, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "bind", 0, d->info.host, n->bind, sizeof n->bind, err)) !=
            EV_OK ||
        (rc = ev_drv_get_strv(s, path, "extra_args", 0, 0, &n->extra, err)) != EV_OK)
        return rc;
    snprintf(d->info.platform, sizeof d->info.platform, "native");
    snprintf(d->info.driver_path, sizeof d->info.driver_path, "native");
    snprintf(d->info.stack, sizeof d->info.stack, "host");
    d->info.offload = 1;
    return EV_OK;
}

static int native_argv(const ev_driver *d, ev_drv_argv *a)
{
    const native_priv *n = d->priv;
    ev_drv_argv_add(a, n->redis_server);
    ev_drv_argv_addf(a, "--port");
    ev_drv_argv_addf(a, "%d", d->info.port);
    ev_drv_argv_add(a, "--bind");
    ev_drv_argv_add(a, n->bind);
    ev_drv_argv_add(a, "--save");
    ev_drv_argv_add(a, "");
    ev_drv_argv_add(a, "--appendonly");
    ev_drv_argv_add(a, "no");
    ev_drv_argv_add(a, "--protected-mode");
    ev_drv_argv_add(a, "no");
    ev_drv_argv_add(a, "--daemonize");
    ev_drv_argv_add(a, "no");
    ev_drv_argv_addv(a, n->extra);
    return a->oom ? EV_ENOMEM : EV_OK;
}

static void native_plan(const ev_driver *d, ev_drv_buf *b)
{
    ev_drv_argv a = {0};
    native_argv(d, &a);
    ev_drv_plan_spawn(b, d, a.v, d->n_pin > 0);
    ev_drv_argv_free(&a);
}

static int native_start(ev_driver *d, ev_error *err)
{
    const native_priv *n = d->priv;
    ev_drv_argv a = {0};
    int rc;
    char *vargv[] = {(char *)n->redis_server, "--version", NULL};
    if (native_argv(d, &a) != EV_OK) {
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

static int native_preflight(const ev_driver *d, ev_error *err)
{
    const native_priv *n = d->priv;
    return ev_drv_need_exec(d, "redis_server", n->redis_server, err);
}

const ev_drv_ops ev_drv_native_ops = {
    .preflight = native_preflight,
    .name = "native",
    .parse = native_parse,
    .plan = native_plan,
    .start = native_start,
    .free_priv = native_free,
};
