/* ev_testbed_json.c - status and platform as JSON (output formatting, apart from the work). */
#include "ev_testbed.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static void ev_testbed__add_tri(cJSON *o, const char *key, int v)
{
    if (v < 0)
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddBoolToObject(o, key, v);
}

static cJSON *ev_testbed__platform_obj(const ev_testbed_platform *p, const char *prefix)
{
    cJSON *j = cJSON_CreateObject();
    char ns[40];
    if (!j)
        return NULL;
    ev_testbed_netns_name(ns, sizeof ns, prefix, 1);
    cJSON_AddStringToObject(j, "platform", ev_testbed_platform_name(p->flags));
    cJSON_AddBoolToObject(j, "relay", (p->flags & EV_TESTBED_P_RELAY) != 0);
    cJSON_AddBoolToObject(j, "swseg", (p->flags & EV_TESTBED_P_SWSEG) != 0);
    cJSON_AddStringToObject(j, "address", EV_TESTBED_GATEWAY_ADDR);
    cJSON_AddNumberToObject(j, "port", p->port);
    cJSON_AddStringToObject(j, "netns", ns);
    ev_testbed_netns_name(ns, sizeof ns, prefix, 0);
    cJSON_AddStringToObject(j, "client_netns", ns);
    /* Per-process CPU accounting: Redis is the "guest", the relay the "VMM". */
    cJSON_AddNumberToObject(j, "redis_pid", p->redis_pid);
    cJSON_AddBoolToObject(j, "redis_alive", p->redis_alive);
    if (p->flags & EV_TESTBED_P_RELAY) {
        cJSON_AddNumberToObject(j, "backend_port", p->backend_port);
        cJSON_AddNumberToObject(j, "relay_pid", p->relay_pid);
        cJSON_AddBoolToObject(j, "relay_alive", p->relay_alive);
        cJSON_AddNumberToObject(j, "relay_buffer", p->relay_buffer);
    }
    return j;
}

char *ev_testbed_platform_json(const ev_testbed_platform *p, const char *prefix)
{
    cJSON *j = ev_testbed__platform_obj(p, prefix);
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    return s;
}

char *ev_testbed_status_json(const ev_testbed_status *st)
{
    cJSON *j = cJSON_CreateObject(), *sides, *cfg, *cg, *pl;
    char *s;
    int g, i;
    if (!j)
        return NULL;
    cJSON_AddStringToObject(j, "prefix", st->prefix);
    cJSON_AddBoolToObject(j, "up", st->up);
    cJSON_AddBoolToObject(j, "configured", st->configured);
    if (st->configured) {
        cfg = cJSON_AddObjectToObject(j, "settings");
        if (st->options.link_rate_bps > 0)
            cJSON_AddNumberToObject(cfg, "link_rate_bps", st->options.link_rate_bps);
        else
            cJSON_AddNullToObject(cfg, "link_rate_bps");
        cJSON_AddNumberToObject(cfg, "mtu", st->options.mtu);
        cJSON_AddBoolToObject(cfg, "offload", st->options.offload);
        cJSON_AddNumberToObject(cfg, "gateway_cpu", st->options.gateway_cpu);
        cJSON_AddNumberToObject(cfg, "client_cpu", st->options.client_cpu);
        cJSON_AddNumberToObject(cfg, "gateway_quota_cores", st->options.gateway_quota);
        cJSON_AddNumberToObject(cfg, "quota_period_us", st->options.quota_period_us);
    } else {
        cJSON_AddNullToObject(j, "settings");
    }
    sides = cJSON_AddObjectToObject(j, "namespaces");
    for (g = 0; g < 2; g++) {
        const ev_testbed_side_status *sd = &st->side[g];
        cJSON *o = cJSON_AddObjectToObject(sides, g ? "gateway" : "client");
        cJSON_AddStringToObject(o, "netns", sd->netns);
        cJSON_AddBoolToObject(o, "present", sd->netns_present);
        cJSON_AddStringToObject(o, "dev", g ? EV_TESTBED_GATEWAY_DEV : EV_TESTBED_CLIENT_DEV);
        cJSON_AddStringToObject(o, "address", g ? EV_TESTBED_GATEWAY_ADDR
                                                : EV_TESTBED_CLIENT_ADDR);
        cJSON_AddBoolToObject(o, "dev_present", sd->dev_present);
        if (sd->dev_present) {
            cJSON_AddNumberToObject(o, "mtu", sd->link.mtu);
            ev_testbed__add_tri(o, "link_up", sd->link.up);
            cJSON_AddStringToObject(o, "qdisc", sd->link.qdisc);
            if (sd->link.rate_bps > 0)
                cJSON_AddNumberToObject(o, "rate_bps", sd->link.rate_bps);
            else
                cJSON_AddNullToObject(o, "rate_bps");
            ev_testbed__add_tri(o, "tso", sd->offloads.tso);
            ev_testbed__add_tri(o, "gso", sd->offloads.gso);
            ev_testbed__add_tri(o, "gro", sd->offloads.gro);
        }
        cJSON_AddNumberToObject(o, "processes", sd->processes);
    }
    cg = cJSON_AddObjectToObject(j, "cgroup");
    cJSON_AddNumberToObject(cg, "version", st->cgroup_version);
    if (st->cgroup_path[0])
        cJSON_AddStringToObject(cg, "path", st->cgroup_path);
    else
        cJSON_AddNullToObject(cg, "path");
    cJSON_AddNumberToObject(cg, "quota_cores", st->cgroup_quota_cores);
    if (st->cgroup_usage_s >= 0)
        cJSON_AddNumberToObject(cg, "usage_s", st->cgroup_usage_s);
    else
        cJSON_AddNullToObject(cg, "usage_s");
    pl = cJSON_AddArrayToObject(j, "platforms");
    for (i = 0; i < st->n_platforms; i++) {
        cJSON *p = ev_testbed__platform_obj(&st->platforms[i], st->prefix);
        if (p)
            cJSON_AddItemToArray(pl, p);
    }
    s = cJSON_Print(j);
    cJSON_Delete(j);
    return s;
}
