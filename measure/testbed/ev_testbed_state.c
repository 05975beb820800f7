/* ev_testbed_state.c - the testbed's state files (options and started platforms). */
#include "ev_testbed.h"
#include "ev_testbed_int.h"
#include "ev_testbed_exec.h"
#include "ev_fs.h"
#include "ev_time.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- state files */

int ev_testbed__save_state(const ev_testbed_options *o, ev_error *err)
{
    char dir[256], path[300], *text;
    cJSON *j = cJSON_CreateObject();
    int rc;
    if (!j)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    cJSON_AddNumberToObject(j, "version", 1);
    cJSON_AddStringToObject(j, "prefix", o->prefix);
    cJSON_AddNumberToObject(j, "link_rate_bps", o->link_rate_bps);
    cJSON_AddNumberToObject(j, "mtu", o->mtu);
    cJSON_AddBoolToObject(j, "offload", o->offload);
    cJSON_AddNumberToObject(j, "gateway_cpu", o->gateway_cpu);
    cJSON_AddNumberToObject(j, "client_cpu", o->client_cpu);
    cJSON_AddNumberToObject(j, "gateway_quota", o->gateway_quota);
    cJSON_AddNumberToObject(j, "quota_period_us", o->quota_period_us);
    text = cJSON_Print(j);
    cJSON_Delete(j);
    if (!text)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    ev_testbed__state_dir(dir, sizeof dir, o->run_dir, o->prefix);
    rc = ev_fs_mkdirs(dir, err);
    snprintf(path, sizeof path, "%s/testbed.json", dir);
    if (rc == EV_OK)
        rc = ev_fs_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

static double ev_testbed__num(const cJSON *j, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? 1.0 : 0.0;
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* RETURNS EV_OK, EV_ENOENT (no state: the testbed is not up) or EV_EPARSE. */
int ev_testbed__load_state(ev_testbed_options *o, const char *prefix, const char *run_dir,
                           ev_error *err)
{
    char path[300], *text = NULL;
    cJSON *j;
    int rc;
    ev_testbed_options_default(o);
    snprintf(o->prefix, sizeof o->prefix, "%s", prefix);
    snprintf(o->run_dir, sizeof o->run_dir, "%s", run_dir);
    snprintf(path, sizeof path, "%s/%s/testbed.json", run_dir, prefix);
    rc = ev_fs_read_all(&text, NULL, path, err);
    if (rc != EV_OK)
        return rc == EV_ENOENT
            ? ev_error_set(err, EV_ENOENT, "testbed '%s' is not up (no %s): run "
                           "`edgevirt-testbed up --prefix %s` first", prefix, path, prefix)
            : rc;
    j = cJSON_Parse(text);
    free(text);
    if (!j)
        return ev_error_set(err, EV_EPARSE, "%s: not valid JSON", path);
    o->link_rate_bps = ev_testbed__num(j, "link_rate_bps", o->link_rate_bps);
    o->mtu = (int)ev_testbed__num(j, "mtu", o->mtu);
    o->offload = (int)ev_testbed__num(j, "offload", o->offload);
    o->gateway_cpu = (int)ev_testbed__num(j, "gateway_cpu", o->gateway_cpu);
    o->client_cpu = (int)ev_testbed__num(j, "client_cpu", o->client_cpu);
    o->gateway_quota = ev_testbed__num(j, "gateway_quota", 0.0);
    o->quota_period_us = (int)ev_testbed__num(j, "quota_period_us", o->quota_period_us);
    cJSON_Delete(j);
    return EV_OK;
}

int ev_testbed__save_platform(const char *run_dir, const char *prefix,
                              const ev_testbed_platform *p, ev_error *err)
{
    char path[300], *text;
    cJSON *j = cJSON_CreateObject();
    int rc;
    if (!j)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    cJSON_AddStringToObject(j, "platform", ev_testbed_platform_name(p->flags));
    cJSON_AddNumberToObject(j, "flags", p->flags);
    cJSON_AddNumberToObject(j, "port", p->port);
    cJSON_AddNumberToObject(j, "backend_port", p->backend_port);
    cJSON_AddNumberToObject(j, "redis_pid", p->redis_pid);
    cJSON_AddNumberToObject(j, "redis_start",
                            (double)ev_testbed_exec_starttime((pid_t)p->redis_pid));
    cJSON_AddNumberToObject(j, "relay_pid", p->relay_pid);
    cJSON_AddNumberToObject(j, "relay_start", p->relay_pid
                            ? (double)ev_testbed_exec_starttime((pid_t)p->relay_pid) : 0.0);
    cJSON_AddNumberToObject(j, "relay_buffer", p->relay_buffer);
    text = cJSON_Print(j);
    cJSON_Delete(j);
    if (!text)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    snprintf(path, sizeof path, "%s/%s/platform-%d.json", run_dir, prefix, p->port);
    rc = ev_fs_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

/* A recorded pid counts only if the process still has the recorded start time. */
static int ev_testbed__pid_if_same(double pid, double start)
{
    pid_t p = (pid_t)pid;
    if (p <= 0 || !ev_testbed_exec_alive(p))
        return 0;
    if (start > 0 && (double)ev_testbed_exec_starttime(p) != start)
        return 0;
    return (int)p;
}

/* Read every platform-*.json; pids that no longer belong to our processes become 0. */
int ev_testbed__load_platforms(ev_testbed_platform *out, int max, const char *run_dir,
                               const char *prefix)
{
    char dir[256];
    DIR *d;
    struct dirent *e;
    int n = 0;
    ev_testbed__state_dir(dir, sizeof dir, run_dir, prefix);
    d = opendir(dir);
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL && n < max) {
        char path[600], *text = NULL;
        cJSON *j;
        ev_testbed_platform *p = &out[n];
        if (strncmp(e->d_name, "platform-", 9) != 0 || !strstr(e->d_name, ".json") ||
            strstr(e->d_name, ".tmp"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (ev_fs_read_all(&text, NULL, path, NULL) != EV_OK)
            continue;
        j = cJSON_Parse(text);
        free(text);
        if (!j)
            continue;
        memset(p, 0, sizeof *p);
        p->flags = (int)ev_testbed__num(j, "flags", 0);
        p->port = (int)ev_testbed__num(j, "port", 0);
        p->backend_port = (int)ev_testbed__num(j, "backend_port", 0);
        p->relay_buffer = (int)ev_testbed__num(j, "relay_buffer", 0);
        p->redis_pid = (int)ev_testbed__num(j, "redis_pid", 0);
        p->relay_pid = (int)ev_testbed__num(j, "relay_pid", 0);
        p->redis_alive = ev_testbed__pid_if_same(p->redis_pid,
                                                 ev_testbed__num(j, "redis_start", 0)) != 0;
        p->relay_alive = ev_testbed__pid_if_same(p->relay_pid,
                                                 ev_testbed__num(j, "relay_start", 0)) != 0;
        cJSON_Delete(j);
        if (p->port > 0)
            n++;
    }
    closedir(d);
    return n;
}
