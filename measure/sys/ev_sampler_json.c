#include "ev_sampler_json.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static cJSON *pct_obj(const ev_cpu_pct *p)
{
    cJSON *o = cJSON_CreateObject();
    int c;
    if (!o)
        return NULL;
    for (c = 0; c < EV_CPU_NFIELDS; c++)
        cJSON_AddNumberToObject(o, ev_cpu_mpstat_name(c), p->pct[c]);
    cJSON_AddNumberToObject(o, "itv_ticks", p->itv);
    return o;
}

static cJSON *procs_arr(const ev_sampler_proc *p, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    size_t i;
    for (i = 0; a && i < n; i++) {
        cJSON *o = cJSON_CreateObject(), *t;
        cJSON_AddItemToArray(a, o);
        cJSON_AddNumberToObject(o, "pid", p[i].pid);
        cJSON_AddBoolToObject(o, "present", p[i].present);
        if (!p[i].present)
            continue;
        cJSON_AddStringToObject(o, "basis", p[i].cpu.basis);
        cJSON_AddNumberToObject(o, "vmm_user", p[i].cpu.vmm_user);
        cJSON_AddNumberToObject(o, "vmm_system", p[i].cpu.vmm_system);
        cJSON_AddNumberToObject(o, "vcpu_user", p[i].cpu.vcpu_user);
        cJSON_AddNumberToObject(o, "vcpu_system", p[i].cpu.vcpu_system);
        cJSON_AddNumberToObject(o, "vcpu_guest", p[i].cpu.vcpu_guest);
        cJSON_AddNumberToObject(o, "vhost_system", p[i].cpu.vhost_system);
        t = cJSON_AddObjectToObject(o, "ticks");
        if (!t)
            continue;
        cJSON_AddNumberToObject(t, "proc_user", (double)p[i].ticks.proc_user);
        cJSON_AddNumberToObject(t, "proc_system", (double)p[i].ticks.proc_system);
        cJSON_AddNumberToObject(t, "proc_guest", (double)p[i].ticks.proc_guest);
        cJSON_AddNumberToObject(t, "vmm_user", (double)p[i].ticks.vmm_user);
        cJSON_AddNumberToObject(t, "vmm_system", (double)p[i].ticks.vmm_system);
        cJSON_AddNumberToObject(t, "vcpu_user", (double)p[i].ticks.vcpu_user);
        cJSON_AddNumberToObject(t, "vcpu_system", (double)p[i].ticks.vcpu_system);
        cJSON_AddNumberToObject(t, "vcpu_guest", (double)p[i].ticks.vcpu_guest);
        cJSON_AddNumberToObject(t, "vhost_user", (double)p[i].ticks.vhost_user);
        cJSON_AddNumberToObject(t, "vhost_system", (double)p[i].ticks.vhost_system);
        cJSON_AddNumberToObject(t, "vcpu_threads", p[i].ticks.nvcpu);
        cJSON_AddNumberToObject(t, "vhost_threads", p[i].ticks.nvhost);
    }
    return a;
}

static cJSON *ifaces_arr(const ev_netdev_delta *d, const int *roles, size_t n)
{
    static const char *const role_names[EV_NROLES] = { "instance", "nic" };
    cJSON *a = cJSON_CreateArray();
    size_t i;
    for (i = 0; a && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(a, o);
        cJSON_AddStringToObject(o, "ifname", d[i].ifname);
        if (roles && roles[i] >= 0 && roles[i] < EV_NROLES)
            cJSON_AddStringToObject(o, "role", role_names[roles[i]]);
        cJSON_AddNumberToObject(o, "rx_packets", (double)d[i].rx_packets);
        cJSON_AddNumberToObject(o, "rx_bytes", (double)d[i].rx_bytes);
        cJSON_AddNumberToObject(o, "tx_packets", (double)d[i].tx_packets);
        cJSON_AddNumberToObject(o, "tx_bytes", (double)d[i].tx_bytes);
        cJSON_AddNumberToObject(o, "rx_avg_bytes", d[i].rx_avg_bytes);
        cJSON_AddNumberToObject(o, "tx_avg_bytes", d[i].tx_avg_bytes);
        cJSON_AddBoolToObject(o, "reset", d[i].reset);
    }
    return a;
}

int ev_sampler_result_to_json(char **out, const ev_sampler_result *r, int with_series)
{
    cJSON *root = cJSON_CreateObject(), *cpus, *series;
    size_t i;
    char *txt;
    *out = NULL;
    if (!root)
        return EV_ENOMEM;
    cJSON_AddStringToObject(root, "schema", EV_SAMPLE_SCHEMA);
    cJSON_AddStringToObject(root, "start_time", r->start_time);
    cJSON_AddNumberToObject(root, "window_s", r->window_s);
    cJSON_AddNumberToObject(root, "user_hz", (double)r->user_hz);
    cJSON_AddItemToObject(root, "cpu_all", pct_obj(&r->all));
    cJSON_AddItemToObject(root, "cpu_set", pct_obj(&r->set));
    cJSON_AddNumberToObject(root, "cpu_set_ncpus", (double)r->set_ncpus);
    cpus = cJSON_AddArrayToObject(root, "cpu");
    for (i = 0; cpus && i < r->ncpu; i++) {
        cJSON *o = pct_obj(&r->per_cpu[i]);
        if (o)
            cJSON_AddNumberToObject(o, "cpu", r->cpu_ids[i]);
        cJSON_AddItemToArray(cpus, o);
    }
    cJSON_AddItemToObject(root, "processes", procs_arr(r->procs, r->nprocs));
    cJSON_AddItemToObject(root, "interfaces", ifaces_arr(r->ifaces, r->iface_roles, r->nifaces));
    if (with_series) {
        series = cJSON_AddArrayToObject(root, "series");
        for (i = 0; series && i < r->nseries; i++) {
            const ev_sampler_point *p = &r->series[i];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddItemToArray(series, o);
            cJSON_AddNumberToObject(o, "t_start_s", p->t_start_s);
            cJSON_AddNumberToObject(o, "t_end_s", p->t_end_s);
            cJSON_AddItemToObject(o, "cpu_all", pct_obj(&p->all));
            cJSON_AddItemToObject(o, "cpu_set", pct_obj(&p->set));
            cJSON_AddItemToObject(o, "processes", procs_arr(p->procs, r->nprocs));
            cJSON_AddItemToObject(o, "interfaces", ifaces_arr(p->ifaces, r->iface_roles, r->nifaces));
        }
        cJSON_AddNumberToObject(root, "series_dropped", (double)r->series_dropped);
    }
    cJSON_AddStringToObject(root, "warning", r->warning);
    /* cJSON prints numbers with "%1.15g" or "%1.17g" when needed to round-trip, and always
     * with '.' (it undoes the locale's decimal point) */
    txt = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!txt)
        return EV_ENOMEM;
    *out = malloc(strlen(txt) + 2);
    if (!*out) {
        cJSON_free(txt);
        return EV_ENOMEM;
    }
    strcpy(*out, txt);
    strcat(*out, "\n");
    cJSON_free(txt);
    return EV_OK;
}
