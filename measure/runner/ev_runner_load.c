/* ev_runner_load.c - the client side of a point: edgevirt-load's argv and the parsing of its
 * JSON report (ev_runner.h). Part of the runner, split from ev_runner.c. */
#include "ev_runner.h"
#include "ev_runner_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ev_json.h"

/* ------------------------------------------------------------------ argv */

void ev_runner_argv_free(char **argv)
{
    if (!argv)
        return;
    for (size_t i = 0; argv[i]; i++)
        free(argv[i]);
    free(argv);
}

typedef struct argv_b {
    char **v;
    size_t n, cap;
    int oom;
} argv_b;

static void av_add(argv_b *a, const char *s)
{
    if (a->oom)
        return;
    if (a->n + 2 > a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 32;
        char **nv = realloc(a->v, nc * sizeof *nv);
        if (!nv) {
            a->oom = 1;
            return;
        }
        a->v = nv;
        a->cap = nc;
    }
    a->v[a->n] = strdup(s);
    if (!a->v[a->n]) {
        a->oom = 1;
        return;
    }
    a->v[++a->n] = NULL;
}

static void av_addf(argv_b *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void av_addf(argv_b *a, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    av_add(a, buf);
}

/* seconds as text, exact enough for an option value */
static void fmt_s(char *buf, size_t len, double s)
{
    snprintf(buf, len, "%.6g", s);
}

double ev_runner__load_timeout(const ev_spec *s)
{
    if (s->load_timeout_s > 0)
        return s->load_timeout_s;
    if (s->duration_s > 0)
        return s->duration_s + 60;
    return 600;
}

int ev_runner_load_argv(char ***out, const ev_spec *s, const ev_plan_point *pt,
                        const char *load_bin, const char *host, int port, int warmup,
                        ev_error *err)
{
    argv_b a = {0};
    char num[64];
    *out = NULL;
    for (size_t i = 0; s->client_prefix[i]; i++)
        av_add(&a, s->client_prefix[i]);
    av_add(&a, load_bin && *load_bin ? load_bin : s->load_bin);
    av_add(&a, "-h");
    av_add(&a, host);
    av_add(&a, "-p");
    av_addf(&a, "%d", port);
    if (pt->mix >= 0) { /* a measured mix: edgevirt-load's MIX test */
        const ev_spec_mix *mx = &s->mixes[pt->mix];
        char list[EV_REC_MAX_MIX * 40] = "";
        size_t off = 0;
        for (size_t j = 0; j < mx->n && off < sizeof list; j++)
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%.0f:%.10g", j ? "," : "",
                                    mx->size[j], mx->weight[j]);
        av_add(&a, "--data-size-list");
        av_add(&a, list);
        av_add(&a, "--get-ratio");
        av_addf(&a, "%.10g", mx->get_ratio);
    } else {
        av_add(&a, "-t");
        av_add(&a, pt->op == EV_OP_GET ? "get" : "set");
        av_add(&a, "-d");
        av_addf(&a, "%u", (unsigned)pt->value_size);
    }
    av_add(&a, "-c");
    av_addf(&a, "%u", (unsigned)pt->clients);
    av_add(&a, "-P");
    av_addf(&a, "%u", (unsigned)pt->pipeline);
    if (s->keyspace) {
        av_add(&a, "-r");
        av_addf(&a, "%llu", (unsigned long long)s->keyspace);
    }
    if (warmup) {
        av_add(&a, "--duration");
        fmt_s(num, sizeof num, s->warmup_s);
        av_add(&a, num);
    } else if (s->requests) {
        av_add(&a, "-n");
        av_addf(&a, "%llu", (unsigned long long)s->requests);
    } else {
        av_add(&a, "--duration");
        fmt_s(num, sizeof num, s->duration_s);
        av_add(&a, num);
    }
    /* GET reads what the warm-up stored (its prefill); without a warm-up the measured run
     * prefills itself, before its measured window starts */
    if (!warmup && s->warmup_s > 0)
        av_add(&a, "--no-prefill");
    av_add(&a, "--time-limit");
    fmt_s(num, sizeof num, warmup ? s->warmup_s + 60 : ev_runner__load_timeout(s));
    av_add(&a, num);
    av_add(&a, "--json");
    for (size_t i = 0; s->load_args[i]; i++)
        av_add(&a, s->load_args[i]);
    if (a.oom) {
        ev_runner_argv_free(a.v);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    *out = a.v;
    return EV_OK;
}

void ev_runner_quote_argv(char *buf, size_t len, char *const *argv)
{
    size_t o = 0;
    if (!len)
        return;
    buf[0] = '\0';
    for (size_t i = 0; argv[i]; i++) {
        const char *s = argv[i];
        int plain = *s != '\0';
        for (const char *c = s; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || strchr("-_./:=,@+%", *c)))
                plain = 0;
        if (i && o + 1 < len)
            buf[o++] = ' ';
        if (plain) {
            for (const char *c = s; *c && o + 1 < len; c++)
                buf[o++] = *c;
        } else {
            if (o + 1 < len)
                buf[o++] = '\'';
            for (const char *c = s; *c && o + 1 < len; c++) {
                if (*c == '\'') {
                    const char *esc = "'\\''";
                    for (; *esc && o + 1 < len; esc++)
                        buf[o++] = *esc;
                } else
                    buf[o++] = *c;
            }
            if (o + 1 < len)
                buf[o++] = '\'';
        }
    }
    buf[o] = '\0';
}

/* ------------------------------------------------------------------ load JSON */

static double num_or(const cJSON *o, const char *k, double def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) && v->valuedouble == v->valuedouble ? v->valuedouble : def;
}

int ev_runner_parse_load(ev_record *r, const char *text, size_t len, ev_op op, ev_error *err)
{
    cJSON *root = cJSON_ParseWithLength(text, len);
    const cJSON *tests, *t, *sel = NULL, *rv, *lat;
    if (!root || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return ev_error_set(err, EV_EPARSE, "edgevirt-load output is not a JSON object");
    }
    const char *schema = ev_json_schema_of(root);
    if (!schema || strcmp(schema, "edgevirt.load/1") != 0) {
        ev_error_set(err, EV_EPROTO, "edgevirt-load output: schema \"%s\", expected "
                     "\"edgevirt.load/1\"", schema ? schema : "(none)");
        cJSON_Delete(root); /* schema points into the tree: delete after the message */
        return EV_EPROTO;
    }
    rv = cJSON_GetObjectItemCaseSensitive(root, "redis_version");
    if (cJSON_IsString(rv) && rv->valuestring[0])
        snprintf(r->redis_version, sizeof r->redis_version, "%s", rv->valuestring);
    tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
    const char *want = r->mix.n ? "MIX" : ev_op_name(op);
    cJSON_ArrayForEach(t, tests) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(t, "op");
        if (cJSON_IsString(name) && strcmp(name->valuestring, want) == 0)
            sel = t;
    }
    if (!sel) {
        cJSON_Delete(root);
        return ev_error_set(err, EV_EPROTO, "edgevirt-load output has no %s test",
                            want);
    }
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(sel, "status");
    if (!cJSON_IsString(st) || strcmp(st->valuestring, "ok") != 0) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(sel, "error");
        ev_error_set(err, EV_EPROTO, "edgevirt-load %s test failed: %s", want,
                     cJSON_IsString(e) ? e->valuestring : "(no reason given)");
        cJSON_Delete(root);
        return err ? err->code : EV_EPROTO;
    }
    double rps = num_or(sel, "rps", -1);
    if (rps < 0) {
        cJSON_Delete(root);
        return ev_error_set(err, EV_EPROTO, "edgevirt-load output: %s test has no rps",
                            want);
    }
    r->rps = rps;
    double req = num_or(sel, "requests", 0), dur = num_or(sel, "duration_s", -1),
           ks = num_or(sel, "key_size", 0);
    if (req >= 1 && req < 1.8e19) /* (uint64_t) of a larger double is undefined (fuzz_load_output) */
        r->requests = (uint64_t)req;
    if (dur >= 0)
        r->duration_s = dur;
    if (ks >= 1 && ks <= 65536)
        r->key_size = (uint32_t)ks;
    lat = cJSON_GetObjectItemCaseSensitive(sel, "latency_ms");
    if (cJSON_IsObject(lat) && num_or(lat, "count", 1) > 0) {
        r->lat_avg_ms = num_or(lat, "avg", -1);
        r->lat_p50_ms = num_or(lat, "p50", -1);
        r->lat_p90_ms = num_or(lat, "p90", -1);
        r->lat_p99_ms = num_or(lat, "p99", -1);
        r->lat_p999_ms = num_or(lat, "p999", -1);
        r->lat_max_ms = num_or(lat, "max", -1);
    }
    cJSON_Delete(root);
    return EV_OK;
}

