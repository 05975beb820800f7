/* ev_record.c - the run record (schema "edgevirt.run/1"): parse, validate and compare records
 * (writing and record sets: ev_record_write.c; host provenance: ev_record_host.c).
 * The layout and every field's unit and range are in docs/formats.md ("Run record"). */
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


/* Upper bounds (documented in docs/formats.md). */
#define EV_REC_MAX_VALUE  536870912.0   /* Redis' largest string: 512 MiB */
#define EV_REC_MAX_NCPU   4096
#define EV_REC_MAX_COUNT  4294967295LL  /* clients, pipeline, key size */

const char *const ev_cpu_names[EV_CPU_NFIELDS] = {
    "user", "system", "softirq", "guest", "nice", "iowait", "irq", "steal", "gnice", "idle"
};

const char *const ev_rec__sources[] = { "measured", "reconstructed", NULL };
static const char *const ev_rec__status[] = { "ok", "failed", NULL };
static const char *const ev_rec__ops[] = { "GET", "SET", NULL };
static const char *const ev_rec__paths[] = { "vhost", "virtio", "native", NULL };
const char *const ev_rec__roles[EV_NROLES] = { "instance", "nic" };

void ev_record_init(ev_record *r)
{
    int i;
    memset(r, 0, sizeof *r);
    r->source = EV_SOURCE_MEASURED;
    r->ok = 1;
    r->repeat = -1;
    r->path = EV_PATH_VHOST;
    r->offload = -1;
    r->op = EV_OP_GET;
    r->key_size = 16;
    r->pipeline = 1;
    r->duration_s = -1;
    r->link_rate_bps = 0;
    r->rps = -1;
    r->lat_avg_ms = r->lat_p50_ms = r->lat_p90_ms = -1;
    r->lat_p99_ms = r->lat_p999_ms = r->lat_max_ms = -1;
    for (i = 0; i < EV_CPU_NFIELDS; i++)
        r->cpu[i] = -1;
    r->threads.vmm_user = r->threads.vmm_system = -1;
    r->threads.vcpu_user = r->threads.vcpu_system = -1;
    r->threads.vcpu_guest = r->threads.vhost_system = -1;
    for (i = 0; i < EV_NROLES; i++) {
        r->ifc[i].packets[0] = r->ifc[i].packets[1] = -1;
        r->ifc[i].bytes[0] = r->ifc[i].bytes[1] = -1;
    }
}

/* ---------------------------------------------------------------- names */

int ev_op_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcasecmp(s, "GET") == 0)
        return EV_OP_GET;
    if (strcasecmp(s, "SET") == 0)
        return EV_OP_SET;
    return -1;
}

const char *ev_op_name(ev_op op)
{
    return (op == EV_OP_GET || op == EV_OP_SET) ? ev_rec__ops[op] : NULL;
}

int ev_path_parse(const char *s)
{
    int i;
    for (i = 0; s && ev_rec__paths[i]; i++)
        if (strcmp(s, ev_rec__paths[i]) == 0)
            return i;
    return -1;
}

const char *ev_path_name(ev_path p)
{
    return ((int)p >= 0 && (int)p <= EV_PATH_NATIVE) ? ev_rec__paths[p] : NULL;
}

/* ---------------------------------------------------------------- RESP arithmetic */

static double ev_rec__digits(double v)
{
    double d = 1;
    v = floor(v);
    while (v >= 10) {
        v = floor(v / 10);
        d++;
    }
    return d;
}

double ev_resp_request_bytes(ev_op op, double value_size, double key_size)
{
    /* SET: *3\r\n $3\r\nSET\r\n $k\r\nKEY\r\n $s\r\nVAL\r\n = s + k + 23 + d(s) + d(k)
     * GET: *2\r\n $3\r\nGET\r\n $k\r\nKEY\r\n             = k + 18 + d(k) */
    if (op == EV_OP_SET)
        return value_size + key_size + 23 + ev_rec__digits(value_size) + ev_rec__digits(key_size);
    return key_size + 18 + ev_rec__digits(key_size);
}

double ev_resp_reply_bytes(ev_op op, double value_size)
{
    /* SET: +OK\r\n; GET: $s\r\nVAL\r\n */
    if (op == EV_OP_SET)
        return 5;
    return value_size + 5 + ev_rec__digits(value_size);
}

/* ---------------------------------------------------------------- parsing */

static const char *const k_top[] = { "schema", "source", "time", "status", "error", "point",
    "repeat", "platform", "workload", "network", "result", "cpu", "threads", "packets", "host",
    "versions", NULL };
static const char *const k_platform[] = { "id", "driver_path", "stack", "offload", "version",
    NULL };
static const char *const k_workload[] = { "op", "value_size", "key_size", "clients", "pipeline",
    "requests", "duration_s", "mix", "anchor", NULL };
static const char *const k_mix[] = { "name", "get_ratio", "sizes", NULL };
static const char *const ev_rec__ops_mix[] = { "GET", "SET", "MIX", NULL };
static const char *const k_network[] = { "mtu", "link_rate_bps", NULL };
static const char *const k_result[] = { "rps", "latency_ms", NULL };
static const char *const k_latency[] = { "avg", "p50", "p90", "p99", "p999", "max", NULL };
static const char *const k_cpu[] = { "basis", "ncpu", "user", "system", "softirq", "guest",
    "nice", "iowait", "irq", "steal", "gnice", "idle", NULL };
static const char *const k_threads[] = { "basis", "vmm_user", "vmm_system", "vcpu_user",
    "vcpu_system", "vcpu_guest", "vhost_system", NULL };
static const char *const k_packets[] = { "instance", "nic", NULL };
static const char *const k_ifc[] = { "ifname", "rx_packets", "rx_bytes", "tx_packets",
    "tx_bytes", NULL };
static const char *const k_host[] = { "name", "kernel", "arch", "cpu", NULL };
static const char *const k_versions[] = { "edgevirt", "redis", NULL };

#define TRY(x) do { int rc_ = (x); if (rc_ != EV_OK) return rc_; } while (0)

/* "YYYY-MM-DDTHH:MM:SS" then anything (fraction, Z, offset). */
static int ev_rec__iso8601_ok(const char *s)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:dd";
    size_t i;
    for (i = 0; pat[i]; i++) {
        if (!s[i])
            return 0;
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : (s[i] != pat[i]))
            return 0;
    }
    return 1;
}

/* Optional sub-object: returns its ctx; *o NULL when absent. */
static int ev_rec__sub(const cJSON *parent, const char *name, const char *const keys[],
                       int required, const cJSON **o, const ev_json_ctx *pctx, ev_json_ctx *ctx,
                       char *buf, size_t len, ev_error *err)
{
    TRY(ev_json_get_obj(parent, name, o, required, pctx, err));
    ev_json_ctx_sub(ctx, pctx, name, buf, len);
    if (*o)
        TRY(ev_json_check_keys(*o, keys, ctx, err));
    return EV_OK;
}

static int ev_rec__u32(const cJSON *o, const char *f, uint32_t *out, int64_t min, int64_t max,
                       int req, const ev_json_ctx *c, ev_error *err)
{
    int64_t v;
    if (!ev_json_has(o, f) && !req)
        return EV_OK;
    TRY(ev_json_get_int(o, f, &v, min, max, req, c, err));
    *out = (uint32_t)v;
    return EV_OK;
}

static int ev_rec__parse_tree(ev_record *r, const cJSON *root, const ev_json_ctx *top,
                              ev_error *err)
{
    const cJSON *o, *lat, *pk;
    ev_json_ctx c, c2;
    char b[64], b2[64];
    int e, i;
    int64_t v;
    double maxcpu;

    TRY(ev_json_check_schema(root, EV_RECORD_SCHEMA, top, err));
    TRY(ev_json_check_keys(root, k_top, top, err));
    TRY(ev_json_get_enum(root, "source", ev_rec__sources, &e, 1, top, err));
    r->source = (ev_source)e;
    TRY(ev_json_get_str(root, "time", r->time, sizeof r->time, 0, top, err));
    if (r->time[0] && !ev_rec__iso8601_ok(r->time))
        return ev_json_fail(err, EV_ESCHEMA, top, "time",
                            "must be ISO 8601 UTC \"YYYY-MM-DDTHH:MM:SSZ\", got \"%s\"", r->time);
    TRY(ev_json_get_enum(root, "status", ev_rec__status, &e, 1, top, err));
    r->ok = (e == 0);
    TRY(ev_json_get_str(root, "error", r->error, sizeof r->error, !r->ok, top, err));
    TRY(ev_json_get_str(root, "point", r->point, sizeof r->point, 0, top, err));
    if (ev_json_has(root, "repeat")) {
        TRY(ev_json_get_int(root, "repeat", &v, 0, INT_MAX, 0, top, err));
        r->repeat = (int)v;
    }

    /* platform (required) */
    TRY(ev_rec__sub(root, "platform", k_platform, 1, &o, top, &c, b, sizeof b, err));
    TRY(ev_json_get_str(o, "id", r->platform, sizeof r->platform, 1, &c, err));
    TRY(ev_json_get_enum(o, "driver_path", ev_rec__paths, &e, 1, &c, err));
    r->path = (ev_path)e;
    TRY(ev_json_get_str(o, "stack", r->stack, sizeof r->stack, 0, &c, err));
    TRY(ev_json_get_bool(o, "offload", &r->offload, 0, &c, err));
    TRY(ev_json_get_str(o, "version", r->platform_version, sizeof r->platform_version, 0, &c,
                        err));

    /* workload (required) */
    TRY(ev_rec__sub(root, "workload", k_workload, 1, &o, top, &c, b, sizeof b, err));
    TRY(ev_json_get_enum(o, "op", ev_rec__ops_mix, &e, 1, &c, err));
    r->op = e == 2 ? EV_OP_GET : (ev_op)e;
    if (e == 2) {
        const cJSON *mo = NULL, *sizes = NULL, *it;
        ev_json_ctx mc;
        char mb[96];
        int k = 0;
        double wsum = 0;
        TRY(ev_rec__sub(o, "mix", k_mix, 1, &mo, &c, &mc, mb, sizeof mb, err));
        TRY(ev_json_get_str(mo, "name", r->mix.name, sizeof r->mix.name, 0, &mc, err));
        TRY(ev_json_get_num(mo, "get_ratio", &r->mix.get_ratio, 0, 1, 1, &mc, err));
        TRY(ev_json_get_array(mo, "sizes", &sizes, 1, &mc, err));
        if (cJSON_GetArraySize(sizes) < 1 || cJSON_GetArraySize(sizes) > EV_REC_MAX_MIX)
            return ev_json_fail(err, EV_ESCHEMA, &mc, "sizes", "must hold 1 to %d [size, "
                                "weight] pairs, got %d", EV_REC_MAX_MIX,
                                cJSON_GetArraySize(sizes));
        cJSON_ArrayForEach(it, sizes) {
            char nm[24];
            double pair[2];
            const cJSON *x0 = cJSON_GetArrayItem(it, 0), *x1 = cJSON_GetArrayItem(it, 1);
            snprintf(nm, sizeof nm, "sizes[%d]", k);
            if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) != 2 || !cJSON_IsNumber(x0) ||
                !cJSON_IsNumber(x1))
                return ev_json_fail(err, EV_ESCHEMA, &mc, nm, "must be a [size, weight] pair "
                                    "of numbers");
            pair[0] = cJSON_GetNumberValue(x0);
            pair[1] = cJSON_GetNumberValue(x1);
            if (!(pair[0] >= 1 && pair[0] <= EV_REC_MAX_VALUE) || !(pair[1] >= 0) ||
                !isfinite(pair[1]))
                return ev_json_fail(err, EV_ERANGE, &mc, nm, "must be [size in [1, %.0f], "
                                    "weight >= 0], got [%g, %g]", (double)EV_REC_MAX_VALUE,
                                    pair[0], pair[1]);
            r->mix.size[k] = pair[0];
            r->mix.weight[k] = pair[1];
            wsum += pair[1];
            k++;
        }
        if (!(wsum > 0))
            return ev_json_fail(err, EV_ERANGE, &mc, "sizes", "the weights must not all be 0");
        r->mix.n = (size_t)k;
    }
    TRY(ev_rec__u32(o, "value_size", &r->value_size, 1, (int64_t)EV_REC_MAX_VALUE, 1, &c, err));
    TRY(ev_rec__u32(o, "key_size", &r->key_size, 1, 65536, 0, &c, err));
    TRY(ev_rec__u32(o, "clients", &r->clients, 1, EV_REC_MAX_COUNT, 0, &c, err));
    TRY(ev_rec__u32(o, "pipeline", &r->pipeline, 1, EV_REC_MAX_COUNT, 0, &c, err));
    if (ev_json_has(o, "requests")) {
        TRY(ev_json_get_int(o, "requests", &v, 1, INT64_MAX, 0, &c, err));
        r->requests = (uint64_t)v;
    }
    TRY(ev_json_get_num(o, "duration_s", &r->duration_s, 0, INFINITY, 0, &c, err));
    TRY(ev_json_get_bool(o, "anchor", &r->anchor, 0, &c, err));

    /* network (optional) */
    TRY(ev_rec__sub(root, "network", k_network, 0, &o, top, &c, b, sizeof b, err));
    TRY(ev_rec__u32(o, "mtu", &r->mtu, 68, 65536, 0, &c, err));
    TRY(ev_json_get_num(o, "link_rate_bps", &r->link_rate_bps, 0, INFINITY, 0, &c, err));

    /* result (required when ok) */
    TRY(ev_rec__sub(root, "result", k_result, r->ok, &o, top, &c, b, sizeof b, err));
    if (o) {
        TRY(ev_json_get_num(o, "rps", &r->rps, 0, INFINITY, r->ok, &c, err));
        TRY(ev_rec__sub(o, "latency_ms", k_latency, 0, &lat, &c, &c2, b2, sizeof b2, err));
        TRY(ev_json_get_num(lat, "avg", &r->lat_avg_ms, 0, INFINITY, 0, &c2, err));
        TRY(ev_json_get_num(lat, "p50", &r->lat_p50_ms, 0, INFINITY, 0, &c2, err));
        TRY(ev_json_get_num(lat, "p90", &r->lat_p90_ms, 0, INFINITY, 0, &c2, err));
        TRY(ev_json_get_num(lat, "p99", &r->lat_p99_ms, 0, INFINITY, 0, &c2, err));
        TRY(ev_json_get_num(lat, "p999", &r->lat_p999_ms, 0, INFINITY, 0, &c2, err));
        TRY(ev_json_get_num(lat, "max", &r->lat_max_ms, 0, INFINITY, 0, &c2, err));
    }

    /* cpu (optional) */
    TRY(ev_rec__sub(root, "cpu", k_cpu, 0, &o, top, &c, b, sizeof b, err));
    TRY(ev_json_get_str(o, "basis", r->cpu_basis, sizeof r->cpu_basis, 0, &c, err));
    TRY(ev_rec__u32(o, "ncpu", &r->cpu_ncpu, 1, EV_REC_MAX_NCPU, 0, &c, err));
    maxcpu = 100.0 * (r->cpu_ncpu ? r->cpu_ncpu : EV_REC_MAX_NCPU);
    for (i = 0; i < EV_CPU_NFIELDS; i++)
        TRY(ev_json_get_num(o, ev_cpu_names[i], &r->cpu[i], 0, maxcpu, 0, &c, err));

    /* threads (optional) */
    TRY(ev_rec__sub(root, "threads", k_threads, 0, &o, top, &c, b, sizeof b, err));
    if (o) {
        double tmax = 100.0 * EV_REC_MAX_NCPU;
        r->threads.present = 1;
        TRY(ev_json_get_str(o, "basis", r->threads.basis, sizeof r->threads.basis, 0, &c, err));
        TRY(ev_json_get_num(o, "vmm_user", &r->threads.vmm_user, 0, tmax, 0, &c, err));
        TRY(ev_json_get_num(o, "vmm_system", &r->threads.vmm_system, 0, tmax, 0, &c, err));
        TRY(ev_json_get_num(o, "vcpu_user", &r->threads.vcpu_user, 0, tmax, 0, &c, err));
        TRY(ev_json_get_num(o, "vcpu_system", &r->threads.vcpu_system, 0, tmax, 0, &c, err));
        TRY(ev_json_get_num(o, "vcpu_guest", &r->threads.vcpu_guest, 0, tmax, 0, &c, err));
        TRY(ev_json_get_num(o, "vhost_system", &r->threads.vhost_system, 0, tmax, 0, &c, err));
    }

    /* packets (optional) */
    TRY(ev_rec__sub(root, "packets", k_packets, 0, &pk, top, &c, b, sizeof b, err));
    for (i = 0; pk && i < EV_NROLES; i++) {
        ev_ifcount *f = &r->ifc[i];
        TRY(ev_rec__sub(pk, ev_rec__roles[i], k_ifc, 0, &o, &c, &c2, b2, sizeof b2, err));
        if (!o)
            continue;
        f->present = 1;
        TRY(ev_json_get_str(o, "ifname", f->ifname, sizeof f->ifname, 0, &c2, err));
        TRY(ev_json_get_num(o, "rx_packets", &f->packets[EV_DIR_RX], 0, INFINITY, 0, &c2, err));
        TRY(ev_json_get_num(o, "rx_bytes", &f->bytes[EV_DIR_RX], 0, INFINITY, 0, &c2, err));
        TRY(ev_json_get_num(o, "tx_packets", &f->packets[EV_DIR_TX], 0, INFINITY, 0, &c2, err));
        TRY(ev_json_get_num(o, "tx_bytes", &f->bytes[EV_DIR_TX], 0, INFINITY, 0, &c2, err));
    }

    /* host, versions (optional) */
    TRY(ev_rec__sub(root, "host", k_host, 0, &o, top, &c, b, sizeof b, err));
    TRY(ev_json_get_str(o, "name", r->host, sizeof r->host, 0, &c, err));
    TRY(ev_json_get_str(o, "kernel", r->kernel, sizeof r->kernel, 0, &c, err));
    TRY(ev_json_get_str(o, "arch", r->arch, sizeof r->arch, 0, &c, err));
    TRY(ev_json_get_str(o, "cpu", r->cpu_model, sizeof r->cpu_model, 0, &c, err));
    TRY(ev_rec__sub(root, "versions", k_versions, 0, &o, top, &c, b, sizeof b, err));
    TRY(ev_json_get_str(o, "edgevirt", r->ev_version, sizeof r->ev_version, 0, &c, err));
    TRY(ev_json_get_str(o, "redis", r->redis_version, sizeof r->redis_version, 0, &c, err));
    return EV_OK;
}

int ev_record_parse(ev_record *out, const char *line, const char *file, int lineno,
                    ev_error *err)
{
    ev_json_ctx top = { file, lineno, NULL };
    cJSON *root = NULL;
    int rc;
    ev_record_init(out);
    rc = ev_json_parse_text(&root, line, strlen(line), &top, err);
    if (rc != EV_OK)
        return rc;
    rc = ev_rec__parse_tree(out, root, &top, err);
    cJSON_Delete(root);
    return rc;
}


/* ---------------------------------------------------------------- equality */

static int ev_rec__deq(double a, double b)
{
    return (a < 0 && b < 0) || a == b;
}

int ev_record_equal(const ev_record *a, const ev_record *b)
{
    int i, d;
#define S(f) if (strcmp(a->f, b->f) != 0) return 0
#define N(f) if (a->f != b->f) return 0
#define D(f) if (!ev_rec__deq(a->f, b->f)) return 0
    N(source); S(time); N(ok); S(error); S(point); N(repeat);
    S(platform); N(path); S(stack); N(offload); S(platform_version);
    N(op); N(value_size); N(key_size); N(clients); N(pipeline); N(requests); D(duration_s);
    N(mix.n); S(mix.name); N(anchor);
    if (a->mix.n) {
        size_t k;
        D(mix.get_ratio);
        for (k = 0; k < a->mix.n; k++) {
            D(mix.size[k]);
            D(mix.weight[k]);
        }
    }
    N(mtu); N(link_rate_bps);
    D(rps); D(lat_avg_ms); D(lat_p50_ms); D(lat_p90_ms); D(lat_p99_ms); D(lat_p999_ms);
    D(lat_max_ms);
    for (i = 0; i < EV_CPU_NFIELDS; i++)
        D(cpu[i]);
    S(cpu_basis); N(cpu_ncpu);
    N(threads.present);
    if (a->threads.present) {
        S(threads.basis); D(threads.vmm_user); D(threads.vmm_system); D(threads.vcpu_user);
        D(threads.vcpu_system); D(threads.vcpu_guest); D(threads.vhost_system);
    }
    for (i = 0; i < EV_NROLES; i++) {
        N(ifc[i].present);
        if (!a->ifc[i].present)
            continue;
        S(ifc[i].ifname);
        for (d = 0; d < 2; d++) {
            D(ifc[i].packets[d]);
            D(ifc[i].bytes[d]);
        }
    }
    S(host); S(kernel); S(arch); S(cpu_model); S(ev_version); S(redis_version);
#undef S
#undef N
#undef D
    return 1;
}
