/* ev_loadout.c - see ev_loadout.h. */
#include "ev_loadout.h"

#include <cjson/cJSON.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int ev_load_write_text(FILE *f, const ev_load_report *r, const ev_load_options *o)
{
    for (int i = 0; i < r->ntests; i++) {
        const ev_load_result *t = &r->tests[i];
        if (t->status != EV_OK)
            continue;
        if (o->quiet) {
            fprintf(f, "%s: %.2f requests per second, p50=%.3f msec\n", t->name, t->rps, t->lat.p50_ms);
            continue;
        }
        fprintf(f, "====== %s ======\n", t->name);
        fprintf(f, "  %llu requests completed in %.2f seconds\n", (unsigned long long)t->requests, t->duration_s);
        fprintf(f, "  %u parallel clients, %u thread(s), pipeline %u\n", t->clients, t->threads, t->pipeline);
        fprintf(f, "  %.0f bytes payload (mean), %u bytes keys\n", t->value_size_mean, t->key_size);
        if (t->open_loop)
            fprintf(f, "  open loop at %.2f requests per second (latency from scheduled send time)\n", t->target_rate);
        if (t->warmup_s > 0)
            fprintf(f, "  after %.2f seconds of warm-up\n", t->warmup_s);
        if (t->op_requests[0] && t->op_requests[1])
            fprintf(f, "  GET %llu, SET %llu\n", (unsigned long long)t->op_requests[0], (unsigned long long)t->op_requests[1]);
        if (t->get_misses)
            fprintf(f, "  %llu GET replies were nil (key missing)\n", (unsigned long long)t->get_misses);
        for (int e = 0; e < EV_LOAD_NERR; e++)
            if (t->errors[e])
                fprintf(f, "  %llu %s errors\n", (unsigned long long)t->errors[e], ev_load_error_names[e]);
        fprintf(f, "\nSummary:\n  throughput summary: %.2f requests per second\n  latency summary (msec):\n", t->rps);
        fprintf(f, "          avg       min       p50       p90       p99     p99.9       max\n");
        fprintf(f, "    %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f\n\n", t->lat.avg_ms, t->lat.min_ms, t->lat.p50_ms,
                t->lat.p90_ms, t->lat.p99_ms, t->lat.p999_ms, t->lat.max_ms);
    }
    fflush(f);
    return ferror(f) ? EV_EIO : EV_OK;
}

int ev_load_write_csv(FILE *f, const ev_load_report *r, const ev_load_options *o)
{
    (void)o;
    fprintf(f, "%s\n", EV_LOAD_CSV_HEADER);
    for (int i = 0; i < r->ntests; i++) {
        const ev_load_result *t = &r->tests[i];
        if (t->status != EV_OK)
            continue;
        fprintf(f, "\"%s\",\"%.17g\",\"%.17g\",\"%.17g\",\"%.17g\",\"%.17g\",\"%.17g\",\"%.17g\"\n", t->name, t->rps,
                t->lat.avg_ms, t->lat.min_ms, t->lat.p50_ms, t->lat.p95_ms, t->lat.p99_ms, t->lat.max_ms);
    }
    fflush(f);
    return ferror(f) ? EV_EIO : EV_OK;
}

static cJSON *lat_json(const ev_load_lat *l)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    cJSON_AddNumberToObject(j, "count", (double)l->count);
    cJSON_AddNumberToObject(j, "avg", l->avg_ms);
    cJSON_AddNumberToObject(j, "min", l->min_ms);
    cJSON_AddNumberToObject(j, "p50", l->p50_ms);
    cJSON_AddNumberToObject(j, "p90", l->p90_ms);
    cJSON_AddNumberToObject(j, "p95", l->p95_ms);
    cJSON_AddNumberToObject(j, "p99", l->p99_ms);
    cJSON_AddNumberToObject(j, "p999", l->p999_ms);
    cJSON_AddNumberToObject(j, "max", l->max_ms);
    cJSON_AddNumberToObject(j, "overflow", (double)l->overflow);
    return j;
}

static cJSON *config_json(const ev_load_options *o)
{
    cJSON *c = cJSON_CreateObject();
    if (!c)
        return NULL;
    if (o->socket[0])
        cJSON_AddStringToObject(c, "socket", o->socket);
    else {
        cJSON_AddStringToObject(c, "host", o->host);
        cJSON_AddNumberToObject(c, "port", o->port);
    }
    cJSON_AddNumberToObject(c, "clients", o->clients);
    cJSON_AddNumberToObject(c, "requests", (double)o->requests);
    cJSON_AddNumberToObject(c, "duration_s", o->duration_s);
    cJSON_AddNumberToObject(c, "warmup_s", o->warmup_s);
    cJSON_AddNumberToObject(c, "pipeline", o->pipeline);
    cJSON_AddNumberToObject(c, "keyspace", (double)o->keyspace);
    cJSON_AddNumberToObject(c, "threads", o->threads);
    cJSON_AddNumberToObject(c, "rate", o->rate);
    cJSON_AddBoolToObject(c, "prefill", o->prefill);
    cJSON_AddNumberToObject(c, "seed", (double)o->seed);
    cJSON *vs = cJSON_AddObjectToObject(c, "value_size");
    if (vs) {
        if (o->size_kind == EV_LOAD_SIZE_FIXED) {
            cJSON_AddStringToObject(vs, "kind", "fixed");
            cJSON_AddNumberToObject(vs, "size", o->value_size);
        } else if (o->size_kind == EV_LOAD_SIZE_LIST) {
            cJSON_AddStringToObject(vs, "kind", "list");
            cJSON *l = cJSON_AddArrayToObject(vs, "list");
            for (int i = 0; l && i < o->size_n; i++) {
                cJSON *e = cJSON_CreateObject();
                cJSON_AddNumberToObject(e, "size", o->size_list[i]);
                cJSON_AddNumberToObject(e, "weight", o->size_weight[i]);
                cJSON_AddItemToArray(l, e);
            }
        } else {
            cJSON_AddStringToObject(vs, "kind", "lognormal");
            cJSON_AddNumberToObject(vs, "median", o->ln_median);
            cJSON_AddNumberToObject(vs, "sigma", o->ln_sigma);
            cJSON_AddNumberToObject(vs, "min", o->ln_min);
            cJSON_AddNumberToObject(vs, "max", o->ln_max);
        }
        cJSON_AddNumberToObject(vs, "mean", ev_load_options_mean_size(o));
    }
    if (o->ratio_set + o->ratio_get) {
        cJSON *ra = cJSON_AddObjectToObject(c, "ratio");
        cJSON_AddNumberToObject(ra, "set", o->ratio_set);
        cJSON_AddNumberToObject(ra, "get", o->ratio_get);
    }
    return c;
}

int ev_load_json_string(char **out, const ev_load_report *r, const ev_load_options *o)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return EV_ENOMEM;
    int ok = 1;
    for (int i = 0; i < r->ntests; i++)
        if (r->tests[i].status != EV_OK)
            ok = 0;
    cJSON_AddStringToObject(root, "schema", EV_LOAD_JSON_SCHEMA);
    cJSON_AddStringToObject(root, "tool", "edgevirt-load");
    cJSON_AddStringToObject(root, "version", EV_VERSION);
    cJSON_AddStringToObject(root, "start_time", r->start_time);
    cJSON_AddStringToObject(root, "redis_version", r->redis_version);
    cJSON_AddStringToObject(root, "status", ok ? "ok" : "failed");
    cJSON_AddItemToObject(root, "config", config_json(o));
    cJSON *pf = cJSON_AddObjectToObject(root, "prefill");
    cJSON_AddBoolToObject(pf, "done", r->prefilled);
    cJSON_AddNumberToObject(pf, "keys", (double)r->prefill_keys);
    cJSON *tests = cJSON_AddArrayToObject(root, "tests");
    for (int i = 0; i < r->ntests && tests; i++) {
        const ev_load_result *t = &r->tests[i];
        cJSON *j = cJSON_CreateObject();
        if (!j)
            break;
        cJSON_AddStringToObject(j, "test", t->name);
        cJSON_AddStringToObject(j, "op", t->name);
        cJSON_AddStringToObject(j, "status", t->status == EV_OK ? "ok" : "failed");
        if (t->status == EV_OK)
            cJSON_AddNullToObject(j, "error");
        else {
            cJSON_AddStringToObject(j, "error", t->error);
            cJSON_AddStringToObject(j, "error_code", ev_strerror(t->status));
        }
        cJSON_AddNumberToObject(j, "value_size", round(t->value_size_mean));
        cJSON_AddNumberToObject(j, "value_size_mean", t->value_size_mean);
        cJSON_AddNumberToObject(j, "key_size", t->key_size);
        cJSON_AddNumberToObject(j, "clients", t->clients);
        cJSON_AddNumberToObject(j, "pipeline", t->pipeline);
        cJSON_AddNumberToObject(j, "threads", t->threads);
        cJSON_AddNumberToObject(j, "requests", (double)t->requests);
        cJSON_AddNumberToObject(j, "duration_s", t->duration_s);
        cJSON_AddNumberToObject(j, "warmup_s", t->warmup_s);
        cJSON_AddNumberToObject(j, "rps", t->rps);
        cJSON_AddBoolToObject(j, "open_loop", t->open_loop);
        cJSON_AddNumberToObject(j, "target_rate", t->target_rate);
        cJSON_AddNumberToObject(j, "get_misses", (double)t->get_misses);
        cJSON_AddItemToObject(j, "latency_ms", lat_json(&t->lat));
        cJSON *er = cJSON_AddObjectToObject(j, "errors");
        for (int e = 0; er && e < EV_LOAD_NERR; e++)
            cJSON_AddNumberToObject(er, ev_load_error_names[e], (double)t->errors[e]);
        cJSON *ops = cJSON_AddObjectToObject(j, "ops");
        for (int k = 0; ops && k < 2; k++) {
            if (!t->op_requests[k])
                continue;
            cJSON *oj = cJSON_AddObjectToObject(ops, k == 0 ? "GET" : "SET");
            cJSON_AddNumberToObject(oj, "requests", (double)t->op_requests[k]);
            cJSON_AddItemToObject(oj, "latency_ms", lat_json(&t->op_lat[k]));
        }
        cJSON_AddItemToArray(tests, j);
    }
    /* cJSON prints numbers with the current locale's decimal point: force "C" while printing */
    char *saved = setlocale(LC_NUMERIC, NULL);
    char keep[64] = "C";
    if (saved)
        snprintf(keep, sizeof keep, "%s", saved);
    setlocale(LC_NUMERIC, "C");
    char *s = cJSON_Print(root);
    setlocale(LC_NUMERIC, keep);
    cJSON_Delete(root);
    if (!s)
        return EV_ENOMEM;
    *out = s;
    return EV_OK;
}

int ev_load_write_json(FILE *f, const ev_load_report *r, const ev_load_options *o)
{
    char *s = NULL;
    int rc = ev_load_json_string(&s, r, o);
    if (rc)
        return rc;
    fprintf(f, "%s\n", s);
    cJSON_free(s);
    fflush(f);
    return ferror(f) ? EV_EIO : EV_OK;
}
