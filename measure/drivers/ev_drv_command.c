/* ev_drv_command.c - driver "command": any platform started by an argv from the spec (and
 * optionally stopped by another), reached at host:port. For platforms edgevirt has no driver for. */
#include "ev_drv_internal.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command_priv {
    char **start, **stop, **version_argv;
    char vmm_pid_file[512], guest_pid_file[512]; /* "" = not set */
} command_priv;

static void command_free(void *p)
{
    command_priv *c = p;
    if (!c)
        return;
    ev_drv_strv_free(c->start);
    ev_drv_strv_free(c->stop);
    ev_drv_strv_free(c->version_argv);
    free(c);
}

static int command_parse(ev_driver *d, const cJSON *s, const char *path, ev_error *err)
{
    static const char *const keys[] = {EV_DRV_COMMON_KEYS, "start", "stop", "version_argv",
                                       "driver_path", "stack", "vmm_pid_file",
                                       "guest_pid_file", NULL};
    static const char *const paths[] = {"vhost", "virtio", "native", NULL};
    const char *const *pp;
    command_priv *c;
    int rc, ok = 0;
    if ((rc = ev_drv_check_keys(s, path, keys, err)) != EV_OK)
        return rc;
    c = calloc(1, sizeof *c);
    if (!c)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    d->priv = c;
    if ((rc = ev_drv_get_strv(s, path, "start", 1, 1, &c->start, err)) != EV_OK ||
        (rc = ev_drv_get_strv(s, path, "stop", 0, 1, &c->stop, err)) != EV_OK ||
        (rc = ev_drv_get_strv(s, path, "version_argv", 0, 1, &c->version_argv, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "driver_path", 0, "native", d->info.driver_path,
                             sizeof d->info.driver_path, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "stack", 0, "host", d->info.stack, sizeof d->info.stack,
                             err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "vmm_pid_file", 0, "", c->vmm_pid_file,
                             sizeof c->vmm_pid_file, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "guest_pid_file", 0, "", c->guest_pid_file,
                             sizeof c->guest_pid_file, err)) != EV_OK)
        return rc;
    for (pp = paths; *pp; pp++)
        if (strcmp(*pp, d->info.driver_path) == 0)
            ok = 1;
    if (!ok)
        return ev_error_set(err, EV_ESCHEMA, "%s.driver_path: must be vhost, virtio or native",
                            path);
    if (!c->start[0][0])
        return ev_error_set(err, EV_ESCHEMA, "%s.start[0]: must not be empty", path);
    snprintf(d->info.platform, sizeof d->info.platform, "command");
    d->info.offload = 1;
    return EV_OK;
}

static void command_plan(const ev_driver *d, ev_drv_buf *b)
{
    const command_priv *c = d->priv;
    ev_drv_plan_spawn(b, d, c->start, d->n_pin > 0);
}

static int command_start(ev_driver *d, ev_error *err)
{
    command_priv *c = d->priv;
    int rc = ev_drv_spawn_main(d, c->start, err);
    if (rc != EV_OK)
        return rc;
    d->running = 1;
    if (c->version_argv)
        ev_drv_probe_version(d, c->version_argv);
    return EV_OK;
}

static char **command_stop_argv(const ev_driver *d)
{
    const command_priv *c = d->priv;
    return c->stop;
}

/* A pid file written by the start command: one decimal pid. An absent or empty file means
 * "no such process" (0), e.g. no VMM process on a path without a relay; a pid that does not
 * exist is an error. */
static int command_read_pid(pid_t *out, const char *file, const char *what, ev_error *err)
{
    FILE *f;
    long v = 0;
    int n;
    *out = 0;
    f = fopen(file, "r");
    if (!f)
        return EV_OK;
    n = fscanf(f, "%ld", &v);
    fclose(f);
    if (n != 1 || v == 0)
        return EV_OK;
    if (v < 0 || v > 4194304 || kill((pid_t)v, 0) != 0)
        return ev_error_set(err, EV_ENOENT, "%s: pid %ld (from %s) is not a running process",
                            what, v, file);
    *out = (pid_t)v;
    return EV_OK;
}

/* With vmm_pid_file / guest_pid_file (written by the start command), the platform's CPU is
 * that of those processes instead of the start command's own. */
static int command_pids(ev_driver *d, ev_driver_pids *out, ev_error *err)
{
    const command_priv *c = d->priv;
    int rc;
    if (c->vmm_pid_file[0] &&
        (rc = command_read_pid(&out->vmm, c->vmm_pid_file, "vmm_pid_file", err)) != EV_OK)
        return rc;
    if (c->guest_pid_file[0] &&
        (rc = command_read_pid(&out->guest, c->guest_pid_file, "guest_pid_file", err)) != EV_OK)
        return rc;
    return EV_OK;
}

static int command_preflight(const ev_driver *d, ev_error *err)
{
    const command_priv *c = d->priv;
    int rc = ev_drv_need_exec(d, "start[0]", c->start[0], err);
    if (rc == EV_OK && c->stop && c->stop[0])
        rc = ev_drv_need_exec(d, "stop[0]", c->stop[0], err);
    return rc;
}

const ev_drv_ops ev_drv_command_ops = {
    .preflight = command_preflight,
    .pids = command_pids,
    .name = "command",
    .parse = command_parse,
    .plan = command_plan,
    .start = command_start,
    .stop_argv = command_stop_argv,
    .free_priv = command_free,
};
