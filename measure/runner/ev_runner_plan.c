/* ev_runner_plan.c - the dry run: the plan as text, every argv and API request
 * (ev_runner_plan_text, ev_runner.h). Part of the runner, split from ev_runner.c. */
#include "ev_runner.h"
#include "ev_runner_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev_driver.h"
#include "ev_sampler.h"
#include "ev_strbuf.h"

/* ------------------------------------------------------------------ dry run */

/* the shared growable text buffer (common/ev_strbuf.h) */
typedef ev_strbuf tbuf;
#define tb_printf ev_strbuf_printf

static void tb_indent(tbuf *b, const char *text, const char *pre)
{
    const char *l = text;
    while (*l) {
        size_t k = strcspn(l, "\n");
        tb_printf(b, "%s%.*s\n", pre, (int)k, l);
        l += k;
        if (*l == '\n')
            l++;
    }
}

int ev_runner_plan_text(char **out, const ev_spec *s, const ev_runner_options *o, ev_error *err)
{
    ev_plan_point *pts = NULL;
    size_t n = 0, nskip = 0;
    ev_recset done = {0};
    tbuf b = {0};
    char line[4096];
    int rc;
    *out = NULL;
    if ((rc = ev_plan_build(&pts, &n, s, err)) != EV_OK)
        return rc;
    if (o && (rc = ev_runner__load_done(&done, o, NULL, err)) != EV_OK) {
        free(pts);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        if (ev_recset_find_point(&done, pts[i].id) >= 0)
            nskip++;
    tb_printf(&b, "# edgevirt-measure plan of %s%s%s%s\n", s->file, s->name[0] ? " (" : "",
              s->name, s->name[0] ? ")" : "");
    if (s->nmixes)
        tb_printf(&b, "# %zu points = %zu platforms x (%zu ops x %zu sizes + %zu mixes) x %zu "
                      "clients x %zu pipelines x %u repeats; repeats outer, platform order "
                      "rotated per repeat; restart %s\n",
                  n, s->nplatforms, s->nops, s->nsizes, s->nmixes, s->nclients, s->npipelines,
                  (unsigned)s->repeats,
                  s->restart == EV_SPEC_RESTART_POINT ? "per_point" : "per_block");
    else
        tb_printf(&b, "# %zu points = %zu platforms x %zu ops x %zu sizes x %zu clients x %zu "
                      "pipelines x %u repeats; repeats outer, platform order rotated per "
                      "repeat; restart %s\n",
                  n, s->nplatforms, s->nops, s->nsizes, s->nclients, s->npipelines,
                  (unsigned)s->repeats,
                  s->restart == EV_SPEC_RESTART_POINT ? "per_point" : "per_block");
    if (o && o->results)
        tb_printf(&b, "# results %s: %zu points already recorded (skipped), %zu to run\n",
                  o->results, nskip, n - nskip);
    tb_printf(&b, "# gateway cpus:");
    if (!s->ncpus)
        tb_printf(&b, " all online");
    for (size_t i = 0; i < s->ncpus; i++)
        tb_printf(&b, "%s%d", i ? "," : " ", s->cpus[i]);
    tb_printf(&b, "; interfaces:");
    if (!s->nifaces)
        tb_printf(&b, " (none besides the driver's instance interface)");
    for (size_t i = 0; i < s->nifaces; i++)
        tb_printf(&b, " %s(%s)", s->ifaces[i].name,
                  s->ifaces[i].role == EV_ROLE_INSTANCE ? "instance"
                  : s->ifaces[i].role == EV_ROLE_NIC    ? "nic"
                                                        : "other");
    tb_printf(&b, "\n# network: mtu ");
    if (s->mtu)
        tb_printf(&b, "%u", (unsigned)s->mtu);
    else
        tb_printf(&b, "(read from the instance or nic interface)");
    if (s->link_rate_bps > 0)
        tb_printf(&b, ", link_rate_bps %.17g", s->link_rate_bps);
    tb_printf(&b, "\n# timeouts: ready %.6g s, stop %.6g s, load %.6g s\n", s->ready_timeout_s,
              s->stop_timeout_s, ev_runner__load_timeout(s));

    size_t cur_block = (size_t)-1;
    ev_driver *d = NULL;
    for (size_t i = 0; i < n && !b.oom; i++) {
        const ev_plan_point *pt = &pts[i];
        const ev_spec_platform *sp = &s->platforms[pt->platform];
        ev_error e = EV_ERROR_INIT;
        if (pt->block != cur_block) {
            char *ptext = NULL;
            ev_driver_free(d);
            d = NULL;
            cur_block = pt->block;
            if ((rc = ev_driver_new(&d, sp->settings, sp->path, &e)) != EV_OK ||
                (rc = ev_driver_plan(d, &ptext, &e)) != EV_OK) {
                ev_driver_free(d);
                free(pts);
                free(b.s);
                ev_recset_free(&done);
                return ev_error_set(err, rc, "%s: %s", s->file, e.msg);
            }
            tb_printf(&b, "\nblock %zu: platform %s, repeat %d\n", pt->block, sp->id, pt->repeat);
            tb_printf(&b, "  start platform:\n");
            tb_indent(&b, ptext, "    ");
            free(ptext);
        }
        const ev_driver_info *info = ev_driver_get_info(d);
        const char *host = s->client_host[0] ? s->client_host : info->host;
        int port = s->client_port ? s->client_port : info->port;
        char **argv = NULL;
        int last = i + 1 == n || pts[i + 1].block != pt->block;
        tb_printf(&b, "  point %s", pt->id);
        if (ev_recset_find_point(&done, pt->id) >= 0) {
            tb_printf(&b, ": skip (recorded)\n");
            if (last)
                tb_printf(&b, "  stop platform %s (SIGTERM, SIGKILL after %.6g s)\n", sp->id,
                          s->stop_timeout_s);
            continue;
        }
        tb_printf(&b, "\n");
        if (s->warmup_s > 0) {
            if (ev_runner_load_argv(&argv, s, pt, ev_runner_load_bin(s, o), host, port, 1, &e) ==
                EV_OK) {
                ev_runner_quote_argv(line, sizeof line, argv);
                tb_printf(&b, "    warm-up (not sampled): %s\n", line);
            }
            ev_runner_argv_free(argv);
        }
        ev_sampler_iface ifs[EV_SPEC_MAX_IFACES + 1];
        size_t nifs = ev_runner__build_ifaces(ifs, s, info);
        tb_printf(&b, "    sample from here: /proc/stat cpus");
        if (!s->ncpus)
            tb_printf(&b, " all");
        for (size_t k = 0; k < s->ncpus; k++)
            tb_printf(&b, "%s%d", k ? "," : " ", s->cpus[k]);
        tb_printf(&b, "; /proc/PID/task/*/stat of the platform's main process (vmm, vcpu, "
                      "vhost threads)");
        for (size_t k = 0; k < nifs; k++)
            tb_printf(&b, "; /sys/class/net/%s/statistics (%s)", ifs[k].ifname,
                      ifs[k].role == EV_ROLE_INSTANCE ? "instance"
                      : ifs[k].role == EV_ROLE_NIC    ? "nic"
                                                      : "other");
        tb_printf(&b, "\n");
        if (ev_runner_load_argv(&argv, s, pt, ev_runner_load_bin(s, o), host, port, 0, &e) ==
            EV_OK) {
            ev_runner_quote_argv(line, sizeof line, argv);
            tb_printf(&b, "    load (sampled): %s\n", line);
        }
        ev_runner_argv_free(argv);
        tb_printf(&b, "    check the platform is alive; append record %s\n",
                  o && o->results ? o->results : "RESULTS");
        if (last)
            tb_printf(&b, "  stop platform %s (SIGTERM, SIGKILL after %.6g s)\n", sp->id,
                      s->stop_timeout_s);
    }
    ev_driver_free(d);
    free(pts);
    ev_recset_free(&done);
    if (b.oom) {
        free(b.s);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    if (!b.s) {
        b.s = strdup("");
        if (!b.s)
            return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    *out = b.s;
    return EV_OK;
}

