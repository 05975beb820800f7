/* ev_record_write.c - a run record to JSON, appended atomically; record sets loaded from files. */
#include "ev_record.h"
#include "ev_record_int.h"
#include "ev_fs.h"
#include "ev_json.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- writing */

#define W(x) do { if ((x) != EV_OK) goto fail; } while (0)

int ev_record_to_json(char **out, const ev_record *r)
{
    cJSON *root = cJSON_CreateObject(), *o, *o2, *pk;
    int i, rc;
    *out = NULL;
    if (!root)
        return EV_ENOMEM;
    W(ev_json_add_str(root, "schema", EV_RECORD_SCHEMA));
    W(ev_json_add_str(root, "source", ev_rec__sources[r->source == EV_SOURCE_RECONSTRUCTED]));
    W(ev_json_add_opt_str(root, "time", r->time));
    W(ev_json_add_str(root, "status", r->ok ? "ok" : "failed"));
    W(ev_json_add_opt_str(root, "error", r->error));
    W(ev_json_add_opt_str(root, "point", r->point));
    W(ev_json_add_opt_num(root, "repeat", r->repeat));

    W(ev_json_add_obj(root, "platform", &o));
    W(ev_json_add_str(o, "id", r->platform));
    W(ev_json_add_str(o, "driver_path", ev_path_name(r->path) ? ev_path_name(r->path) : "?"));
    W(ev_json_add_opt_str(o, "stack", r->stack));
    if (r->offload >= 0)
        W(ev_json_add_bool(o, "offload", r->offload));
    W(ev_json_add_opt_str(o, "version", r->platform_version));

    W(ev_json_add_obj(root, "workload", &o));
    W(ev_json_add_str(o, "op", r->mix.n ? "MIX" : ev_op_name(r->op) ? ev_op_name(r->op) : "?"));
    W(ev_json_add_num(o, "value_size", r->value_size));
    if (r->mix.n) {
        cJSON *mo, *arr;
        size_t k;
        W(ev_json_add_obj(o, "mix", &mo));
        W(ev_json_add_opt_str(mo, "name", r->mix.name));
        W(ev_json_add_num(mo, "get_ratio", r->mix.get_ratio));
        if (!(arr = cJSON_AddArrayToObject(mo, "sizes")))
            W(EV_ENOMEM);
        for (k = 0; k < r->mix.n; k++) {
            cJSON *pair = cJSON_CreateArray(), *holder = cJSON_CreateObject();
            if (!pair || !holder || !cJSON_AddItemToArray(arr, pair)) {
                cJSON_Delete(pair);
                cJSON_Delete(holder);
                W(EV_ENOMEM);
            }
            /* numbers through ev_json_add_num (exact round trip), then moved into the pair */
            W(ev_json_add_num(holder, "s", r->mix.size[k]));
            W(ev_json_add_num(holder, "w", r->mix.weight[k]));
            cJSON_AddItemToArray(pair, cJSON_DetachItemFromObject(holder, "s"));
            cJSON_AddItemToArray(pair, cJSON_DetachItemFromObject(holder, "w"));
            cJSON_Delete(holder);
        }
    }
    if (r->key_size)
        W(ev_json_add_num(o, "key_size", r->key_size));
    if (r->clients)
        W(ev_json_add_num(o, "clients", r->clients));
    if (r->pipeline)
        W(ev_json_add_num(o, "pipeline", r->pipeline));
    if (r->requests)
        W(ev_json_add_num(o, "requests", (double)r->requests));
    W(ev_json_add_opt_num(o, "duration_s", r->duration_s));
    if (r->anchor)
        W(ev_json_add_bool(o, "anchor", 1));

    if (r->mtu || r->link_rate_bps > 0) {
        W(ev_json_add_obj(root, "network", &o));
        if (r->mtu)
            W(ev_json_add_num(o, "mtu", r->mtu));
        if (r->link_rate_bps > 0)
            W(ev_json_add_num(o, "link_rate_bps", r->link_rate_bps));
    }

    if (r->ok || r->rps >= 0) {
        double lat[6];
        static const char *const ln[6] = { "avg", "p50", "p90", "p99", "p999", "max" };
        lat[0] = r->lat_avg_ms; lat[1] = r->lat_p50_ms; lat[2] = r->lat_p90_ms;
        lat[3] = r->lat_p99_ms; lat[4] = r->lat_p999_ms; lat[5] = r->lat_max_ms;
        W(ev_json_add_obj(root, "result", &o));
        W(ev_json_add_opt_num(o, "rps", r->rps));
        for (i = 0; i < 6 && lat[i] < 0; i++)
            ;
        if (i < 6) {
            W(ev_json_add_obj(o, "latency_ms", &o2));
            for (i = 0; i < 6; i++)
                W(ev_json_add_opt_num(o2, ln[i], lat[i]));
        }
    }

    for (i = 0; i < EV_CPU_NFIELDS && r->cpu[i] < 0; i++)
        ;
    if (i < EV_CPU_NFIELDS || r->cpu_basis[0] || r->cpu_ncpu) {
        W(ev_json_add_obj(root, "cpu", &o));
        W(ev_json_add_opt_str(o, "basis", r->cpu_basis));
        if (r->cpu_ncpu)
            W(ev_json_add_num(o, "ncpu", r->cpu_ncpu));
        for (i = 0; i < EV_CPU_NFIELDS; i++)
            W(ev_json_add_opt_num(o, ev_cpu_names[i], r->cpu[i]));
    }

    if (r->threads.present) {
        const ev_thread_cpu *t = &r->threads;
        W(ev_json_add_obj(root, "threads", &o));
        W(ev_json_add_opt_str(o, "basis", t->basis));
        W(ev_json_add_opt_num(o, "vmm_user", t->vmm_user));
        W(ev_json_add_opt_num(o, "vmm_system", t->vmm_system));
        W(ev_json_add_opt_num(o, "vcpu_user", t->vcpu_user));
        W(ev_json_add_opt_num(o, "vcpu_system", t->vcpu_system));
        W(ev_json_add_opt_num(o, "vcpu_guest", t->vcpu_guest));
        W(ev_json_add_opt_num(o, "vhost_system", t->vhost_system));
    }

    if (r->ifc[EV_ROLE_INSTANCE].present || r->ifc[EV_ROLE_NIC].present) {
        W(ev_json_add_obj(root, "packets", &pk));
        for (i = 0; i < EV_NROLES; i++) {
            const ev_ifcount *f = &r->ifc[i];
            if (!f->present)
                continue;
            W(ev_json_add_obj(pk, ev_rec__roles[i], &o));
            W(ev_json_add_opt_str(o, "ifname", f->ifname));
            W(ev_json_add_opt_num(o, "rx_packets", f->packets[EV_DIR_RX]));
            W(ev_json_add_opt_num(o, "rx_bytes", f->bytes[EV_DIR_RX]));
            W(ev_json_add_opt_num(o, "tx_packets", f->packets[EV_DIR_TX]));
            W(ev_json_add_opt_num(o, "tx_bytes", f->bytes[EV_DIR_TX]));
        }
    }

    if (r->host[0] || r->kernel[0] || r->arch[0] || r->cpu_model[0]) {
        W(ev_json_add_obj(root, "host", &o));
        W(ev_json_add_opt_str(o, "name", r->host));
        W(ev_json_add_opt_str(o, "kernel", r->kernel));
        W(ev_json_add_opt_str(o, "arch", r->arch));
        W(ev_json_add_opt_str(o, "cpu", r->cpu_model));
    }
    if (r->ev_version[0] || r->redis_version[0]) {
        W(ev_json_add_obj(root, "versions", &o));
        W(ev_json_add_opt_str(o, "edgevirt", r->ev_version));
        W(ev_json_add_opt_str(o, "redis", r->redis_version));
    }

    rc = ev_json_print(out, root, 0);
    cJSON_Delete(root);
    return rc;
fail:
    cJSON_Delete(root);
    return EV_ENOMEM;
}

int ev_record_validate(const ev_record *r, ev_error *err)
{
    char *s = NULL;
    ev_record back;
    int rc = ev_record_to_json(&s, r);
    if (rc != EV_OK)
        return ev_error_set(err, rc, "<record>: cannot serialise: %s", ev_strerror(rc));
    rc = ev_record_parse(&back, s, "<record>", 0, err);
    free(s);
    return rc;
}

int ev_record_append(const char *path, const ev_record *r, ev_error *err)
{
    char *s = NULL;
    int rc = ev_record_validate(r, err);
    if (rc != EV_OK) {
        ev_error_prefix(err, "%s: record not appended", path);
        return rc;
    }
    rc = ev_record_to_json(&s, r);
    if (rc != EV_OK)
        return ev_error_set(err, rc, "%s: cannot serialise record: %s", path, ev_strerror(rc));
    rc = ev_fs_append_durable(path, s, strlen(s), err);
    free(s);
    return rc;
}

/* ---------------------------------------------------------------- sets */

int ev_recset_push(ev_recset *set, const ev_record *r)
{
    if (set->n == set->cap) {
        size_t ncap = set->cap ? set->cap * 2 : 64;
        ev_record *nr = realloc(set->recs, ncap * sizeof *nr);
        if (!nr)
            return EV_ENOMEM;
        set->recs = nr;
        set->cap = ncap;
    }
    set->recs[set->n++] = *r;
    return EV_OK;
}

int ev_recset_load(ev_recset *set, const char *path, int tolerate_truncated_tail,
                   int *dropped, ev_error *err)
{
    char *buf = NULL, *p, *end;
    size_t len = 0;
    int rc, lineno = 0, ndrop = 0;
    ev_record rec;

    if (dropped)
        *dropped = 0;
    rc = ev_fs_read_all(&buf, &len, path, err);
    if (rc != EV_OK)
        return rc;
    p = buf;
    end = buf + len;
    rc = EV_OK;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        int has_nl = nl != NULL;
        char *q;
        size_t n;
        if (!nl)
            nl = end;
        *nl = '\0';
        n = (size_t)(nl - p);
        lineno++;
        for (q = p; *q == ' ' || *q == '\t' || *q == '\r'; q++)
            ;
        if (*q != '\0') {
            rc = ev_record_parse(&rec, p, path, lineno, err);
            if (rc == EV_EPARSE && tolerate_truncated_tail &&
                (!has_nl || ev_json_is_cut_off(p, n))) {
                ndrop++;
                rc = EV_OK;
            } else if (rc != EV_OK) {
                break;
            } else if ((rc = ev_recset_push(set, &rec)) != EV_OK) {
                ev_error_set(err, rc, "%s:%d: out of memory", path, lineno);
                break;
            }
        }
        p = nl + 1;
    }
    free(buf);
    if (dropped)
        *dropped = ndrop;
    if (rc == EV_OK && err) {
        err->code = EV_OK; /* msg keeps the last dropped line's parse error, if any */
        if (ndrop == 0)
            err->msg[0] = '\0';
    }
    return rc;
}

void ev_recset_free(ev_recset *set)
{
    if (!set)
        return;
    free(set->recs);
    set->recs = NULL;
    set->n = set->cap = 0;
}

long ev_recset_find_point(const ev_recset *set, const char *point)
{
    size_t i;
    for (i = set->n; i > 0; i--)
        if (set->recs[i - 1].ok && strcmp(set->recs[i - 1].point, point) == 0)
            return (long)(i - 1);
    return -1;
}
