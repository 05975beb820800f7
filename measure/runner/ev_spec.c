/* ev_spec.c - load and validate an experiment spec (see ev_spec.h, docs/formats.md). */
#include "ev_spec.h"
#include "ev_profile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev_driver.h"
#include "ev_fs.h"
#include "ev_json.h"

static void free_strv(char **v)
{
    for (size_t i = 0; v[i]; i++) {
        free(v[i]);
        v[i] = NULL;
    }
}

void ev_spec_free(ev_spec *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nplatforms; i++)
        cJSON_Delete(s->platforms[i].settings);
    free_strv(s->load_args);
    free_strv(s->client_prefix);
    free(s);
}

size_t ev_spec_npoints(const ev_spec *s)
{
    size_t per_block = (s->nops * s->nsizes + s->nmixes) * s->nclients * s->npipelines;
    size_t anchors = 0;
    if (s->anchor) /* one at the start of each block, then one after every `every` points */
        anchors = s->restart == EV_SPEC_RESTART_POINT
                      ? per_block
                      : 1 + (s->anchor_every ? per_block / s->anchor_every : 0);
    return s->nplatforms * (per_block + anchors) * s->repeats;
}

/* An integer or a non-empty array of integers in [min, max] into out[0..*n). */
static int get_u32_list(const cJSON *obj, const char *field, uint32_t *out, size_t *n,
                        uint32_t def, int64_t min, int64_t max, const ev_json_ctx *ctx,
                        ev_error *err)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, field);
    *n = 0;
    if (!a || cJSON_IsNull(a)) {
        if (def == 0)
            return ev_json_fail(err, EV_ESCHEMA, ctx, field, "missing (required)");
        out[0] = def;
        *n = 1;
        return EV_OK;
    }
    if (cJSON_IsNumber(a)) {
        int64_t v;
        int rc = ev_json_get_int(obj, field, &v, min, max, 1, ctx, err);
        if (rc != EV_OK)
            return rc;
        out[0] = (uint32_t)v;
        *n = 1;
        return EV_OK;
    }
    if (!cJSON_IsArray(a))
        return ev_json_fail(err, EV_ESCHEMA, ctx, field,
                            "must be an integer or an array of integers");
    int len = cJSON_GetArraySize(a);
    if (len < 1)
        return ev_json_fail(err, EV_ERANGE, ctx, field, "must not be empty");
    if (len > EV_SPEC_MAX_LIST)
        return ev_json_fail(err, EV_ERANGE, ctx, field, "at most %d entries, got %d",
                            EV_SPEC_MAX_LIST, len);
    for (int i = 0; i < len; i++) {
        const cJSON *e = cJSON_GetArrayItem(a, i);
        char name[64];
        snprintf(name, sizeof name, "%s[%d]", field, i);
        double d = cJSON_IsNumber(e) ? e->valuedouble : 0;
        /* (int64_t)d is undefined behaviour out of int64 range: huge values go on to the
           range check below (found by fuzz/fuzz_spec.c) */
        if (!cJSON_IsNumber(e) || (d > -9e15 && d < 9e15 && d != (double)(int64_t)d))
            return ev_json_fail(err, EV_ESCHEMA, ctx, name, "must be an integer");
        if (d < (double)min || d > (double)max)
            return ev_json_fail(err, EV_ERANGE, ctx, name,
                                "must be an integer in [%lld, %lld], got %.17g", (long long)min,
                                (long long)max, d);
        for (int j = 0; j < i; j++)
            if (out[j] == (uint32_t)d)
                return ev_json_fail(err, EV_ESCHEMA, ctx, name, "duplicate value %.17g", d);
        out[i] = (uint32_t)d;
    }
    *n = (size_t)len;
    return EV_OK;
}

/* An array of strings into a NULL-terminated malloc'ed argv (max entries). */
static int get_strv(const cJSON *obj, const char *field, char **out, size_t max, int min_len,
                    const ev_json_ctx *ctx, ev_error *err)
{
    const cJSON *a = NULL;
    int rc = ev_json_get_array(obj, field, &a, 0, ctx, err);
    if (rc != EV_OK || !a)
        return rc;
    int len = cJSON_GetArraySize(a);
    if (len < min_len)
        return ev_json_fail(err, EV_ERANGE, ctx, field, "must have at least %d entries", min_len);
    if ((size_t)len > max)
        return ev_json_fail(err, EV_ERANGE, ctx, field, "at most %zu entries, got %d", max, len);
    for (int i = 0; i < len; i++) {
        const cJSON *e = cJSON_GetArrayItem(a, i);
        char name[64];
        snprintf(name, sizeof name, "%s[%d]", field, i);
        if (!cJSON_IsString(e))
            return ev_json_fail(err, EV_ESCHEMA, ctx, name, "must be a string");
        if (i == 0 && min_len > 0 && !e->valuestring[0])
            return ev_json_fail(err, EV_ESCHEMA, ctx, name, "must not be empty");
        out[i] = strdup(e->valuestring);
        if (!out[i])
            return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    out[len] = NULL;
    return EV_OK;
}

static int id_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

static int load_platforms(ev_spec *s, const cJSON *root, const ev_json_ctx *ctx, ev_error *err)
{
    static const char *const keys[] = {"id", "settings", NULL};
    const cJSON *arr = NULL;
    int rc = ev_json_get_array(root, "platforms", &arr, 1, ctx, err);
    if (rc != EV_OK)
        return rc;
    int len = cJSON_GetArraySize(arr);
    if (len < 1)
        return ev_json_fail(err, EV_ERANGE, ctx, "platforms", "must not be empty");
    if (len > EV_SPEC_MAX_PLATFORMS)
        return ev_json_fail(err, EV_ERANGE, ctx, "platforms", "at most %d entries, got %d",
                            EV_SPEC_MAX_PLATFORMS, len);
    for (int i = 0; i < len; i++) {
        const cJSON *p = cJSON_GetArrayItem(arr, i);
        ev_spec_platform *sp = &s->platforms[i];
        char name[32], buf[64];
        ev_json_ctx sub;
        const cJSON *settings = NULL;
        snprintf(name, sizeof name, "platforms[%d]", i);
        ev_json_ctx_sub(&sub, ctx, name, buf, sizeof buf);
        if (!cJSON_IsObject(p))
            return ev_json_fail(err, EV_ESCHEMA, ctx, name, "must be an object");
        if ((rc = ev_json_check_keys(p, keys, &sub, err)) != EV_OK ||
            (rc = ev_json_get_str(p, "id", sp->id, sizeof sp->id, 1, &sub, err)) != EV_OK ||
            (rc = ev_json_get_obj(p, "settings", &settings, 1, &sub, err)) != EV_OK)
            return rc;
        if (!id_ok(sp->id))
            return ev_json_fail(err, EV_ESCHEMA, &sub, "id",
                                "must use only letters, digits, '-', '_', '.'; got \"%s\"", sp->id);
        for (int j = 0; j < i; j++)
            if (strcmp(s->platforms[j].id, sp->id) == 0)
                return ev_json_fail(err, EV_ESCHEMA, &sub, "id",
                                    "duplicate platform id \"%s\" (also platforms[%d])", sp->id, j);
        snprintf(sp->path, sizeof sp->path, "platforms[%d].settings", i);
        sp->settings = cJSON_Duplicate(settings, 1);
        if (!sp->settings)
            return ev_error_set(err, EV_ENOMEM, "out of memory");
        s->nplatforms = (size_t)i + 1;
        /* the record's platform id is the spec's id unless the settings name one */
        const cJSON *pl = cJSON_GetObjectItemCaseSensitive(sp->settings, "platform");
        if (!pl)
            cJSON_AddStringToObject(sp->settings, "platform", sp->id);
        else if (cJSON_IsString(pl) && strcmp(pl->valuestring, sp->id) != 0)
            return ev_json_fail(err, EV_ESCHEMA, &sub, "settings.platform",
                                "\"%s\" differs from the platform id \"%s\" (leave it out)",
                                pl->valuestring, sp->id);
        /* the driver checks its own block; it starts nothing */
        ev_driver *d = NULL;
        ev_error derr = EV_ERROR_INIT;
        rc = ev_driver_new(&d, sp->settings, sp->path, &derr);
        if (rc != EV_OK) {
            if (ctx->file)
                return ev_error_set(err, rc, "%s: %s", ctx->file, derr.msg);
            return ev_error_set(err, rc, "%s", derr.msg);
        }
        ev_driver_free(d);
    }
    return EV_OK;
}

/* workload.anchor: {"op": "GET", "value_size": 1024, "every": 10} */
static int load_anchor(ev_spec *s, const cJSON *w, const ev_json_ctx *sub, ev_error *err)
{
    static const char *const keys[] = {"op", "value_size", "every", NULL};
    static const char *const ops[] = {"GET", "SET", NULL};
    const cJSON *a = NULL;
    ev_json_ctx ac;
    char buf[64];
    int64_t v = 0, ev = 0;
    int rc = ev_json_get_obj(w, "anchor", &a, 0, sub, err), op = 0;
    if (rc != EV_OK || !a)
        return rc;
    ev_json_ctx_sub(&ac, sub, "anchor", buf, sizeof buf);
    if ((rc = ev_json_check_keys(a, keys, &ac, err)) != EV_OK ||
        (rc = ev_json_get_enum(a, "op", ops, &op, 1, &ac, err)) != EV_OK ||
        (rc = ev_json_get_int(a, "value_size", &v, 1, 536870912, 1, &ac, err)) != EV_OK ||
        (rc = ev_json_get_int(a, "every", &ev, 1, 100000, 0, &ac, err)) != EV_OK)
        return rc;
    s->anchor = 1;
    s->anchor_op = (ev_op)op;
    s->anchor_size = (uint32_t)v;
    s->anchor_every = (uint32_t)ev;
    return EV_OK;
}

/* workload.mixes: profile files (edgevirt.profile/1), relative to the spec's folder */
static int load_mixes(ev_spec *s, const cJSON *w, const ev_json_ctx *sub, ev_error *err)
{
    const cJSON *a = NULL, *e;
    int rc = ev_json_get_array(w, "mixes", &a, 0, sub, err), i = 0;
    char dir[256], *slash;
    if (rc != EV_OK || !a)
        return rc;
    if (cJSON_GetArraySize(a) < 1 || cJSON_GetArraySize(a) > EV_SPEC_MAX_MIXES)
        return ev_json_fail(err, EV_ERANGE, sub, "mixes", "must hold 1 to %d profile files",
                            EV_SPEC_MAX_MIXES);
    snprintf(dir, sizeof dir, "%s", s->file);
    slash = strrchr(dir, '/');
    if (slash)
        slash[1] = '\0';
    else
        dir[0] = '\0';
    cJSON_ArrayForEach(e, a) {
        ev_spec_mix *m = &s->mixes[i];
        ev_profile prof;
        ev_error perr = EV_ERROR_INIT;
        char name[24];
        size_t k;
        snprintf(name, sizeof name, "mixes[%d]", i);
        if (!cJSON_IsString(e) || !e->valuestring[0])
            return ev_json_fail(err, EV_ESCHEMA, sub, name, "must be the path of a profile "
                                "file (edgevirt.profile/1)");
        if (e->valuestring[0] == '/' || !dir[0])
            snprintf(m->file, sizeof m->file, "%s", e->valuestring);
        else if (snprintf(m->file, sizeof m->file, "%s%s", dir, e->valuestring) >=
                 (int)sizeof m->file)
            return ev_json_fail(err, EV_ERANGE, sub, name, "path too long");
        if ((rc = ev_profile_load(&prof, m->file, &perr)) != EV_OK)
            return ev_json_fail(err, rc, sub, name, "%s", perr.msg);
        if (prof.nsizes > EV_REC_MAX_MIX)
            return ev_json_fail(err, EV_ERANGE, sub, name, "%s: %zu size classes, at most %d "
                                "can be measured", m->file, prof.nsizes, EV_REC_MAX_MIX);
        if (prof.name[0])
            snprintf(m->name, sizeof m->name, "%.47s", prof.name);
        else {
            const char *b = strrchr(m->file, '/');
            snprintf(m->name, sizeof m->name, "%.47s", b ? b + 1 : m->file);
        }
        for (char *c = m->name; *c; c++) /* the name goes into the point id */
            if (*c == '/' || *c == ' ')
                *c = '_';
        for (k = 0; k < prof.nsizes; k++) {
            /* edgevirt-load takes integer sizes: the classes as they are run */
            m->size[k] = fmax(1, floor(prof.size[k] + 0.5));
            m->weight[k] = prof.weight[k];
        }
        m->n = prof.nsizes;
        m->get_ratio = prof.get_ratio;
        for (int j = 0; j < i; j++)
            if (strcmp(s->mixes[j].name, m->name) == 0)
                return ev_json_fail(err, EV_ESCHEMA, sub, name, "profile name \"%s\" used "
                                    "twice (point ids must differ)", m->name);
        i++;
    }
    s->nmixes = (size_t)i;
    return EV_OK;
}

static int load_workload(ev_spec *s, const cJSON *root, const ev_json_ctx *ctx, ev_error *err)
{
    static const char *const keys[] = {"ops", "value_sizes", "clients", "pipeline", "requests",
                                       "duration_s", "warmup_s", "keyspace", "load_args",
                                       "mixes", "anchor", NULL};
    static const char *const opnames[] = {"GET", "SET", NULL};
    const cJSON *w = NULL, *ops = NULL;
    ev_json_ctx sub;
    char buf[64];
    int rc = ev_json_get_obj(root, "workload", &w, 1, ctx, err);
    if (rc != EV_OK)
        return rc;
    ev_json_ctx_sub(&sub, ctx, "workload", buf, sizeof buf);
    if ((rc = ev_json_check_keys(w, keys, &sub, err)) != EV_OK ||
        (rc = load_mixes(s, w, &sub, err)) != EV_OK ||
        (rc = load_anchor(s, w, &sub, err)) != EV_OK)
        return rc;
    /* a spec of mixes only needs neither ops nor value sizes */
    if (s->nmixes && !ev_json_has(w, "ops") && !ev_json_has(w, "value_sizes")) {
        s->nops = 0;
        s->nsizes = 0;
        goto lists;
    }
    if ((rc = ev_json_get_array(w, "ops", &ops, 1, &sub, err)) != EV_OK)
        return rc;
    int len = cJSON_GetArraySize(ops);
    if (len < 1 || len > 2)
        return ev_json_fail(err, EV_ERANGE, &sub, "ops", "must hold \"GET\", \"SET\" or both");
    for (int i = 0; i < len; i++) {
        const cJSON *e = cJSON_GetArrayItem(ops, i);
        char name[32];
        snprintf(name, sizeof name, "ops[%d]", i);
        int k = -1;
        for (int j = 0; cJSON_IsString(e) && opnames[j]; j++)
            if (strcmp(e->valuestring, opnames[j]) == 0)
                k = j;
        if (k < 0)
            return ev_json_fail(err, EV_ESCHEMA, &sub, name, "must be \"GET\" or \"SET\"");
        if (i == 1 && (int)s->ops[0] == k)
            return ev_json_fail(err, EV_ESCHEMA, &sub, name, "duplicate op");
        s->ops[i] = (ev_op)k;
    }
    s->nops = (size_t)len;
    if ((rc = get_u32_list(w, "value_sizes", s->value_sizes, &s->nsizes, 0, 1, 536870912, &sub,
                           err)) != EV_OK)
        return rc;
lists:
    if ((rc = get_u32_list(w, "clients", s->clients, &s->nclients, 50, 1, 100000, &sub, err)) !=
            EV_OK ||
        (rc = get_u32_list(w, "pipeline", s->pipelines, &s->npipelines, 1, 1, 100000, &sub,
                           err)) != EV_OK)
        return rc;
    int64_t req = 0, ks = 0;
    double dur = 0, wu = 0;
    if ((rc = ev_json_get_int(w, "requests", &req, 1, INT64_C(1) << 40, 0, &sub, err)) != EV_OK ||
        (rc = ev_json_get_num(w, "duration_s", &dur, 0.1, 86400, 0, &sub, err)) != EV_OK ||
        (rc = ev_json_get_num(w, "warmup_s", &wu, 0, 3600, 0, &sub, err)) != EV_OK ||
        (rc = ev_json_get_int(w, "keyspace", &ks, 0, INT64_C(1) << 40, 0, &sub, err)) != EV_OK ||
        (rc = get_strv(w, "load_args", s->load_args, EV_SPEC_MAX_ARGS, 0, &sub, err)) != EV_OK)
        return rc;
    if (req && dur > 0)
        return ev_json_fail(err, EV_ESCHEMA, &sub, "duration_s",
                            "give either requests or duration_s, not both");
    if (!req && dur <= 0)
        return ev_json_fail(err, EV_ESCHEMA, &sub, "requests",
                            "missing (give requests or duration_s)");
    s->requests = (uint64_t)req;
    s->duration_s = dur;
    s->warmup_s = wu;
    s->keyspace = (uint64_t)ks;
    return EV_OK;
}

static int load_gateway(ev_spec *s, const cJSON *root, const ev_json_ctx *ctx, ev_error *err)
{
    static const char *const keys[] = {"cpus", "interfaces", NULL};
    static const char *const ikeys[] = {"name", "role", NULL};
    static const char *const roles[] = {"instance", "nic", "other", NULL};
    const cJSON *g = NULL, *ifs = NULL, *cpus = NULL;
    ev_json_ctx sub;
    char buf[64];
    int rc = ev_json_get_obj(root, "gateway", &g, 0, ctx, err);
    if (rc != EV_OK || !g)
        return rc;
    ev_json_ctx_sub(&sub, ctx, "gateway", buf, sizeof buf);
    if ((rc = ev_json_check_keys(g, keys, &sub, err)) != EV_OK ||
        (rc = ev_json_get_array(g, "cpus", &cpus, 0, &sub, err)) != EV_OK ||
        (rc = ev_json_get_array(g, "interfaces", &ifs, 0, &sub, err)) != EV_OK)
        return rc;
    if (cpus) {
        int len = cJSON_GetArraySize(cpus);
        if (len > EV_SPEC_MAX_CPUS)
            return ev_json_fail(err, EV_ERANGE, &sub, "cpus", "at most %d entries",
                                EV_SPEC_MAX_CPUS);
        for (int i = 0; i < len; i++) {
            const cJSON *e = cJSON_GetArrayItem(cpus, i);
            char name[32];
            snprintf(name, sizeof name, "cpus[%d]", i);
            if (!cJSON_IsNumber(e) || e->valuedouble < 0 || e->valuedouble > 4095 ||
                e->valuedouble != (double)(int)e->valuedouble) /* range first: (int) of a
                                                  huge value is undefined behaviour */
                return ev_json_fail(err, EV_ERANGE, &sub, name,
                                    "must be a CPU number in [0, 4095]");
            for (int j = 0; j < i; j++)
                if (s->cpus[j] == (int)e->valuedouble)
                    return ev_json_fail(err, EV_ESCHEMA, &sub, name, "duplicate CPU %d",
                                        s->cpus[j]);
            s->cpus[i] = (int)e->valuedouble;
        }
        s->ncpus = (size_t)len;
    }
    if (ifs) {
        int len = cJSON_GetArraySize(ifs);
        int seen[EV_NROLES] = {0, 0};
        if (len > EV_SPEC_MAX_IFACES)
            return ev_json_fail(err, EV_ERANGE, &sub, "interfaces", "at most %d entries",
                                EV_SPEC_MAX_IFACES);
        for (int i = 0; i < len; i++) {
            const cJSON *e = cJSON_GetArrayItem(ifs, i);
            char name[32], b2[96];
            ev_json_ctx isub;
            int role = 2;
            snprintf(name, sizeof name, "interfaces[%d]", i);
            ev_json_ctx_sub(&isub, &sub, name, b2, sizeof b2);
            if (!cJSON_IsObject(e))
                return ev_json_fail(err, EV_ESCHEMA, &sub, name, "must be an object");
            if ((rc = ev_json_check_keys(e, ikeys, &isub, err)) != EV_OK ||
                (rc = ev_json_get_str(e, "name", s->ifaces[i].name, sizeof s->ifaces[i].name, 1,
                                      &isub, err)) != EV_OK ||
                (rc = ev_json_get_enum(e, "role", roles, &role, 0, &isub, err)) != EV_OK)
                return rc;
            if (strchr(s->ifaces[i].name, '/') || strcmp(s->ifaces[i].name, ".") == 0 ||
                strcmp(s->ifaces[i].name, "..") == 0)
                return ev_json_fail(err, EV_ESCHEMA, &isub, "name", "not an interface name");
            s->ifaces[i].role = role == 2 ? -1 : role;
            if (role < 2 && seen[role]++)
                return ev_json_fail(err, EV_ESCHEMA, &isub, "role",
                                    "only one interface may have the role \"%s\"", roles[role]);
            for (int j = 0; j < i; j++)
                if (strcmp(s->ifaces[j].name, s->ifaces[i].name) == 0)
                    return ev_json_fail(err, EV_ESCHEMA, &isub, "name", "duplicate interface");
        }
        s->nifaces = (size_t)len;
    }
    return EV_OK;
}

static int load_client(ev_spec *s, const cJSON *root, const ev_json_ctx *ctx, ev_error *err)
{
    static const char *const keys[] = {"prefix", "load", "host", "port", "timeout_s", NULL};
    const cJSON *c = NULL;
    ev_json_ctx sub;
    char buf[64];
    int64_t port = 0;
    int rc = ev_json_get_obj(root, "client", &c, 0, ctx, err);
    if (rc != EV_OK || !c)
        return rc;
    ev_json_ctx_sub(&sub, ctx, "client", buf, sizeof buf);
    if ((rc = ev_json_check_keys(c, keys, &sub, err)) != EV_OK ||
        (rc = get_strv(c, "prefix", s->client_prefix, EV_SPEC_MAX_ARGS, 0, &sub, err)) != EV_OK ||
        (rc = ev_json_get_str(c, "load", s->load_bin, sizeof s->load_bin, 0, &sub, err)) !=
            EV_OK ||
        (rc = ev_json_get_str(c, "host", s->client_host, sizeof s->client_host, 0, &sub, err)) !=
            EV_OK ||
        (rc = ev_json_get_int(c, "port", &port, 1, 65535, 0, &sub, err)) != EV_OK ||
        (rc = ev_json_get_num(c, "timeout_s", &s->load_timeout_s, 1, 86400, 0, &sub, err)) !=
            EV_OK)
        return rc;
    s->load_given = ev_json_has(c, "load");
    if (ev_json_has(c, "load") && !s->load_bin[0])
        return ev_json_fail(err, EV_ESCHEMA, &sub, "load", "must not be empty");
    if (s->client_prefix[0] && !s->client_prefix[0][0])
        return ev_json_fail(err, EV_ESCHEMA, &sub, "prefix[0]", "must not be empty");
    s->client_port = (int)port;
    return EV_OK;
}

static int load_misc(ev_spec *s, const cJSON *root, const ev_json_ctx *ctx, ev_error *err)
{
    static const char *const nkeys[] = {"mtu", "link_rate_bps", NULL};
    static const char *const tkeys[] = {"ready_s", "stop_s", NULL};
    static const char *const restarts[] = {"per_block", "per_point", NULL};
    const cJSON *n = NULL, *t = NULL;
    ev_json_ctx sub;
    char buf[64];
    int64_t rep = 1, mtu = 0;
    int restart = 0, rc;
    if ((rc = ev_json_get_str(root, "name", s->name, sizeof s->name, 0, ctx, err)) != EV_OK ||
        (rc = ev_json_get_str(root, "tag", s->tag, sizeof s->tag, 0, ctx, err)) != EV_OK ||
        (rc = ev_json_get_int(root, "repeats", &rep, 1, 1000, 0, ctx, err)) != EV_OK ||
        (rc = ev_json_get_enum(root, "restart", restarts, &restart, 0, ctx, err)) != EV_OK ||
        (rc = ev_json_get_obj(root, "network", &n, 0, ctx, err)) != EV_OK ||
        (rc = ev_json_get_obj(root, "timeouts", &t, 0, ctx, err)) != EV_OK)
        return rc;
    if (s->tag[0] && !id_ok(s->tag))
        return ev_json_fail(err, EV_ESCHEMA, ctx, "tag",
                            "must use only letters, digits, '-', '_', '.'; got \"%s\"", s->tag);
    s->repeats = (uint32_t)rep;
    s->restart = (ev_spec_restart)restart;
    if (n) {
        ev_json_ctx_sub(&sub, ctx, "network", buf, sizeof buf);
        if ((rc = ev_json_check_keys(n, nkeys, &sub, err)) != EV_OK ||
            (rc = ev_json_get_int(n, "mtu", &mtu, 68, 65536, 0, &sub, err)) != EV_OK ||
            (rc = ev_json_get_num(n, "link_rate_bps", &s->link_rate_bps, 0, 1e15, 0, &sub,
                                  err)) != EV_OK)
            return rc;
        s->mtu = (uint32_t)mtu;
    }
    if (t) {
        ev_json_ctx_sub(&sub, ctx, "timeouts", buf, sizeof buf);
        if ((rc = ev_json_check_keys(t, tkeys, &sub, err)) != EV_OK ||
            (rc = ev_json_get_num(t, "ready_s", &s->ready_timeout_s, 0.1, 3600, 0, &sub, err)) !=
                EV_OK ||
            (rc = ev_json_get_num(t, "stop_s", &s->stop_timeout_s, 0.1, 600, 0, &sub, err)) !=
                EV_OK)
            return rc;
    }
    return EV_OK;
}

int ev_spec_parse(ev_spec **out, const char *text, const char *file, ev_error *err)
{
    static const char *const keys[] = {"schema", "name", "tag", "platforms", "workload",
                                       "repeats", "restart", "gateway", "client", "network",
                                       "timeouts", NULL};
    cJSON *root = NULL;
    ev_spec *s;
    ev_json_ctx ctx = {file, 0, NULL};
    int rc;
    *out = NULL;
    rc = ev_json_parse_doc(&root, text, file, err);
    if (rc != EV_OK)
        return rc;
    s = calloc(1, sizeof *s);
    if (!s) {
        cJSON_Delete(root);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    snprintf(s->file, sizeof s->file, "%s", file ? file : "<input>");
    snprintf(s->load_bin, sizeof s->load_bin, "edgevirt-load");
    s->ready_timeout_s = 60;
    s->stop_timeout_s = 10;
    if ((rc = ev_json_check_schema(root, EV_SPEC_SCHEMA, &ctx, err)) != EV_OK ||
        (rc = ev_json_check_keys(root, keys, &ctx, err)) != EV_OK ||
        (rc = load_misc(s, root, &ctx, err)) != EV_OK ||
        (rc = load_workload(s, root, &ctx, err)) != EV_OK ||
        (rc = load_gateway(s, root, &ctx, err)) != EV_OK ||
        (rc = load_client(s, root, &ctx, err)) != EV_OK ||
        (rc = load_platforms(s, root, &ctx, err)) != EV_OK) {
        cJSON_Delete(root);
        ev_spec_free(s);
        return rc;
    }
    cJSON_Delete(root);
    /* point ids always fit the record's 128 bytes: the longest is 31 (tag) + 47 (id) +
     * "/SET/536870912/c100000/P100000/r999" (36) + 1 = 115 */
    *out = s;
    return EV_OK;
}

int ev_spec_load(ev_spec **out, const char *path, ev_error *err)
{
    char *text = NULL;
    *out = NULL;
    int rc = ev_fs_read_all(&text, NULL, path, err);
    if (rc != EV_OK)
        return rc;
    rc = ev_spec_parse(out, text, path, err);
    free(text);
    return rc;
}
