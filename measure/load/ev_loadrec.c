/* ev_loadrec.c - see ev_loadrec.h. */
#include "ev_loadrec.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int ev_load_fill_record(ev_record *r, const ev_load_report *rep, const ev_load_result *t, ev_error *err)
{
    int op = ev_op_parse(t->name);
    if (op < 0)
        return ev_error_set(err, EV_EINVAL, "test %s: a run record needs a single op (GET or SET)", t->name);
    r->op = (ev_op)op;
    double vs = round(t->value_size_mean);
    r->value_size = vs < 1 ? 1 : (uint32_t)vs;
    r->key_size = t->key_size;
    r->clients = t->clients;
    r->pipeline = t->pipeline;
    r->requests = t->requests;
    r->duration_s = t->duration_s;
    r->ok = t->status == EV_OK;
    if (!r->ok) {
        size_t n = strnlen(t->error, sizeof r->error - 1); /* truncated to the record's field */
        memcpy(r->error, t->error, n);
        r->error[n] = '\0';
    }
    if (t->requests > 0) {
        r->rps = t->rps;
        r->lat_avg_ms = t->lat.avg_ms;
        r->lat_p50_ms = t->lat.p50_ms;
        r->lat_p90_ms = t->lat.p90_ms;
        r->lat_p99_ms = t->lat.p99_ms;
        r->lat_p999_ms = t->lat.p999_ms;
        r->lat_max_ms = t->lat.max_ms;
    }
    if (rep && rep->redis_version[0])
        snprintf(r->redis_version, sizeof r->redis_version, "%s", rep->redis_version);
    return EV_OK;
}
