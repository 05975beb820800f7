/* ev_driver.c - the common part of every driver: settings shared by all, the life cycle
 * (start, ready, check, pids, stop), the plan's frame. Driver specifics live in ev_drv_*.c. */
#include "ev_drv_internal.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ev_time.h"

static const ev_drv_ops *const all_ops[] = {
    &ev_drv_native_ops, &ev_drv_command_ops, &ev_drv_firecracker_ops, &ev_drv_qemu_ops,
    &ev_drv_kata_ops, NULL,
};

const char *ev_driver_names(void)
{
    return "native command firecracker qemu kata";
}

int ev_driver_new(ev_driver **out, const cJSON *settings, const char *path, ev_error *err)
{
    ev_driver *d;
    char name[32], platform[48], iface[32], netns[256];
    const char *p = path && *path ? path : "settings";
    const ev_drv_ops *const *o;
    long port;
    int rc, off;
    const char *tmp;

    *out = NULL;
    if (!cJSON_IsObject(settings))
        return ev_error_set(err, EV_ESCHEMA, "%s: expected an object", p);
    rc = ev_drv_get_str(settings, p, "driver", 1, NULL, name, sizeof name, err);
    if (rc != EV_OK)
        return rc;
    for (o = all_ops; *o; o++)
        if (strcmp((*o)->name, name) == 0)
            break;
    if (!*o)
        return ev_error_set(err, EV_ESCHEMA, "%s.driver: unknown driver \"%s\" (one of: %s)", p,
                            name, ev_driver_names());
    d = calloc(1, sizeof *d);
    if (!d)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    d->ops = *o;
    ev_drv_copy(d->info.driver, sizeof d->info.driver, name);
    snprintf(d->info.thread_basis, sizeof d->info.thread_basis, "process");
    tmp = getenv("TMPDIR");
    if ((rc = ev_drv_get_str(settings, p, "host", 0, "127.0.0.1", d->info.host,
                             sizeof d->info.host, err)) != EV_OK ||
        (rc = ev_drv_get_int(settings, p, "port", 0, 6379, 1, 65535, &port, err)) != EV_OK ||
        (rc = ev_drv_get_cpus(settings, p, "pin_cpus", d->pin, EV_DRV_MAX_CPUS, &d->n_pin,
                              err)) != EV_OK ||
        (rc = ev_drv_get_str(settings, p, "version", 0, "", d->info.version,
                             sizeof d->info.version, err)) != EV_OK ||
        (rc = ev_drv_get_str(settings, p, "workdir", 0, tmp && *tmp ? tmp : "/tmp",
                             d->workdir_base, sizeof d->workdir_base, err)) != EV_OK ||
        (rc = ev_drv_get_str(settings, p, "platform", 0, "", platform, sizeof platform, err)) !=
            EV_OK ||
        (rc = ev_drv_get_str(settings, p, "instance_iface", 0, "", iface, sizeof iface, err)) !=
            EV_OK ||
        (rc = ev_drv_get_bool(settings, p, "offload", -1, &off, err)) != EV_OK ||
        (rc = ev_drv_get_str(settings, p, "netns", 0, "", netns, sizeof netns, err)) !=
            EV_OK ||
        (rc = d->ops->parse(d, settings, p, err)) != EV_OK) {
        ev_driver_free(d);
        return rc;
    }
    d->info.port = (int)port;
    ev_drv_copy(d->path, sizeof d->path, p);
    if (netns[0] && strchr(netns, '/'))
        ev_drv_copy(d->netns, sizeof d->netns, netns);
    else if (netns[0])
        snprintf(d->netns, sizeof d->netns, "/var/run/netns/%s", netns);
    d->version_set = d->info.version[0] != '\0';
    if (platform[0])
        ev_drv_copy(d->info.platform, sizeof d->info.platform, platform);
    if (iface[0])
        ev_drv_copy(d->info.instance_iface, sizeof d->info.instance_iface, iface);
    if (off >= 0)
        d->info.offload = off;
    *out = d;
    return EV_OK;
}

static void remove_dir(const char *dir)
{
    DIR *dh = opendir(dir);
    struct dirent *e;
    if (!dh)
        return;
    while ((e = readdir(dh))) {
        char p[PATH_MAX];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(dh);
    rmdir(dir);
}

void ev_driver_free(ev_driver *d)
{
    if (!d)
        return;
    ev_driver_stop(d, 5.0, NULL);
    if (d->dir[0])
        remove_dir(d->dir);
    if (d->ops && d->ops->free_priv)
        d->ops->free_priv(d->priv);
    free(d);
}

int ev_driver_preflight(const ev_driver *d, ev_error *err)
{
    return d->ops->preflight ? d->ops->preflight(d, err) : EV_OK;
}

const ev_driver_info *ev_driver_get_info(const ev_driver *d)
{
    return &d->info;
}

int ev_driver_plan(const ev_driver *d, char **out, ev_error *err)
{
    ev_drv_buf b = {0};
    char **stop;
    *out = NULL;
    ev_drv_buf_printf(&b, "# platform %s: driver=%s driver_path=%s stack=%s offload=%d version=%s "
                          "instance_iface=%s\n",
                      d->info.platform, d->info.driver, d->info.driver_path, d->info.stack,
                      d->info.offload, d->version_set ? d->info.version : "(probed at start)",
                      d->info.instance_iface[0] ? d->info.instance_iface : "-");
    ev_drv_buf_printf(&b, "mkdtemp <workdir> = %s/edgevirt-%s-XXXXXX\n", d->workdir_base,
                      d->info.driver);
    d->ops->plan(d, &b);
    ev_drv_buf_printf(&b, "ready PING %s:%d%s%s until PONG (timeout given by the runner)\n",
                      d->info.host, d->info.port, d->netns[0] ? " in netns " : "", d->netns);
    if (d->ops->plan_after_ready)
        d->ops->plan_after_ready(d, &b);
    stop = d->ops->stop_argv ? d->ops->stop_argv(d) : NULL;
    if (stop) {
        ev_drv_buf_printf(&b, "stop run ");
        ev_drv_buf_argv(&b, stop);
        ev_drv_buf_printf(&b, "\n");
    }
    ev_drv_buf_printf(&b, "stop SIGTERM process group, SIGKILL after the timeout, reap\n");
    if (b.oom) {
        free(b.s);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    *out = b.s;
    return EV_OK;
}

int ev_driver_start(ev_driver *d, ev_error *err)
{
    char tmpl[PATH_MAX];
    int rc;
    if (d->running)
        return ev_error_set(err, EV_EINVAL, "%s: already running", d->info.platform);
    if (!d->dir[0]) {
        snprintf(tmpl, sizeof tmpl, "%s/edgevirt-%s-XXXXXX", d->workdir_base, d->info.driver);
        if (!mkdtemp(tmpl))
            return ev_error_sys(err, EV_ESYS, errno, "%s: mkdtemp %s", d->info.platform, tmpl);
        ev_drv_copy(d->dir, sizeof d->dir, tmpl);
    }
    snprintf(d->log_path, sizeof d->log_path, "%s/%s.log", d->dir, d->info.driver);
    d->exited = 0;
    d->status = 0;
    rc = d->ops->start(d, err);
    if (rc != EV_OK) {
        if (d->running) {
            ev_drv_kill_group(d->pid, 2.0, &d->status);
            d->running = 0;
        }
        if (d->pid)
            d->exited = 1;
        ev_error_prefix(err, "%s", d->info.platform);
    }
    return rc;
}

/* the main child has exited: say how, with its log tail and the driver's reading of it */
int ev_drv_died(ev_driver *d, const char *when, ev_error *err)
{
    char how[96], tail[400], extra[256] = "";
    ev_drv_describe_status(d->status, how, sizeof how);
    ev_drv_file_tail(d->log_path, tail, sizeof tail);
    if (d->ops->explain_exit)
        d->ops->explain_exit(d, d->status, tail, extra, sizeof extra);
    return ev_error_set(err, EV_ECHILD, "%s: %s%s%s (pid %d) %s %s; log %s: %s", d->info.platform,
                        extra, extra[0] ? "; " : "", d->info.driver, (int)d->pid, how, when,
                        d->log_path, tail[0] ? tail : "(empty)");
}

int ev_driver_ready(ev_driver *d, double timeout_s, ev_error *err)
{
    double end = ev_time_now_s() + timeout_s;
    ev_error last = EV_ERROR_INIT;
    if (!d->running && !d->exited)
        return ev_error_set(err, EV_EINVAL, "%s: not started", d->info.platform);
    for (;;) {
        double left;
        if (!ev_drv_alive(d))
            return ev_drv_died(d, "before Redis answered PING", err);
        left = end - ev_time_now_s();
        if (left <= 0) {
            char hint[400] = "";
            if (d->ops->explain_timeout)
                d->ops->explain_timeout(d, hint, sizeof hint);
            return ev_error_set(err, EV_ETIMEOUT,
                                "%s: Redis at %s:%d did not answer PING within %.3g s (last: %s)%s%s",
                                d->info.platform, d->info.host, d->info.port, timeout_s,
                                last.msg[0] ? last.msg : "no attempt", hint[0] ? "; " : "", hint);
        }
        if (ev_drv_ping_ns(d->netns, d->info.host, d->info.port, left < 1.0 ? left : 1.0,
                           &last) == EV_OK) {
            if (d->ops->after_ready) {
                int rc = d->ops->after_ready(d, err);
                if (rc != EV_OK) {
                    ev_error_prefix(err, "%s", d->info.platform);
                    return rc;
                }
            }
            return EV_OK;
        }
        left = end - ev_time_now_s();
        if (left > 0)
            ev_time_sleep_s(left < 0.1 ? left : 0.1, NULL);
    }
}

int ev_driver_check(ev_driver *d, ev_error *err)
{
    if (!d->running && !d->exited)
        return ev_error_set(err, EV_EINVAL, "%s: not started", d->info.platform);
    if (!ev_drv_alive(d))
        return ev_drv_died(d, "while running", err);
    return EV_OK;
}

int ev_driver_get_pids(ev_driver *d, ev_driver_pids *out, ev_error *err)
{
    memset(out, 0, sizeof *out);
    if (!d->running && !d->exited)
        return ev_error_set(err, EV_EINVAL, "%s: not started", d->info.platform);
    if (!ev_drv_alive(d))
        return ev_drv_died(d, "before its threads were listed", err);
    out->vmm = d->pid;
    if (d->ops->pids)
        return d->ops->pids(d, out, err);
    return EV_OK;
}

int ev_driver_stop(ev_driver *d, double timeout_s, ev_error *err)
{
    char **stop;
    int rc;
    if (!d->running) {
        d->pid = d->exited ? d->pid : 0;
        return EV_OK;
    }
    stop = d->ops->stop_argv ? d->ops->stop_argv(d) : NULL;
    if (stop) {
        ev_error ignored = EV_ERROR_INIT; /* the signals below stop it anyway */
        ev_drv_run(stop, timeout_s, NULL, 0, &ignored);
    }
    rc = ev_drv_kill_group(d->pid, timeout_s, &d->status);
    d->running = 0;
    d->exited = 1;
    if (rc == EV_ETIMEOUT)
        return ev_error_set(err, EV_ETIMEOUT,
                            "%s: did not stop within %.3g s of SIGTERM; killed with SIGKILL",
                            d->info.platform, timeout_s);
    return EV_OK;
}
