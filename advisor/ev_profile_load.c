/* ev_profile_load.c - the JSON loader of workload profiles (edgevirt.profile/1), on the shared
 * strict helpers of ev_json.h (unknown keys, wrong types and ranges are errors naming the file
 * and the field). */
#include "ev_profile.h"
#include "ev_json.h"
#include "ev_fs.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXB (512.0 * 1024 * 1024)

static int load_sizes(ev_profile *p, const cJSON *root, const char *path, const ev_json_ctx *top,
                      ev_error *err)
{
    static const char *const types[] = { "list", "lognormal", "histogram", NULL };
    static const char *const k_list[] = { "type", "items", NULL };
    static const char *const k_ln[] = { "type", "median", "sigma", "min", "max", NULL };
    static const char *const k_hist[] = { "type", "file", NULL };
    static const char *const k_item[] = { "size", "weight", NULL };
    const cJSON *sz = NULL, *items = NULL, *it;
    ev_json_ctx c, ci;
    char pbuf[64], ibuf[96];
    int type = 0, rc;
    size_t n = 0;

    if ((rc = ev_json_get_obj(root, "sizes", &sz, 1, top, err)))
        return rc;
    ev_json_ctx_sub(&c, top, "sizes", pbuf, sizeof pbuf);
    if ((rc = ev_json_get_enum(sz, "type", types, &type, 1, &c, err)))
        return rc;
    if (type == EV_DIST_LIST) {
        if ((rc = ev_json_check_keys(sz, k_list, &c, err)) ||
            (rc = ev_json_get_array(sz, "items", &items, 1, &c, err)))
            return rc;
        cJSON_ArrayForEach(it, items) {
            char name[32];
            snprintf(name, sizeof name, "items[%zu]", n);
            ev_json_ctx_sub(&ci, &c, name, ibuf, sizeof ibuf);
            if (n == EV_PROFILE_MAX_SIZES)
                return ev_json_fail(err, EV_ERANGE, &c, "items", "more than %d sizes",
                                    EV_PROFILE_MAX_SIZES);
            if (!cJSON_IsObject(it))
                return ev_json_fail(err, EV_ESCHEMA, &ci, NULL,
                                    "must be an object {\"size\": BYTES, \"weight\": W}");
            p->weight[n] = 1;
            if ((rc = ev_json_check_keys(it, k_item, &ci, err)) ||
                (rc = ev_json_get_num(it, "size", &p->size[n], 1, MAXB, 1, &ci, err)) ||
                (rc = ev_json_get_num(it, "weight", &p->weight[n], 0, INFINITY, 0, &ci, err)))
                return rc;
            n++;
        }
        if (n == 0)
            return ev_json_fail(err, EV_ESCHEMA, &c, "items", "must list at least one size");
        p->nsizes = n;
        p->dist = EV_DIST_LIST;
    } else if (type == EV_DIST_LOGNORMAL) {
        double med = 0, sig = 0, mn = 1, mx = 1048576;
        ev_error e2 = EV_ERROR_INIT;
        if ((rc = ev_json_check_keys(sz, k_ln, &c, err)) ||
            (rc = ev_json_get_num(sz, "median", &med, 1, MAXB, 1, &c, err)) ||
            (rc = ev_json_get_num(sz, "sigma", &sig, 1e-6, 10, 1, &c, err)) ||
            (rc = ev_json_get_num(sz, "min", &mn, 1, MAXB, 0, &c, err)) ||
            (rc = ev_json_get_num(sz, "max", &mx, 1, MAXB, 0, &c, err)))
            return rc;
        if (!(mx > mn))
            return ev_json_fail(err, EV_ERANGE, &c, "max", "must be greater than min (%g), "
                                "got %g", mn, mx);
        if ((rc = ev_profile_set_lognormal(p, med, sig, mn, mx, &e2)))
            return ev_json_fail(err, EV_ERANGE, &c, NULL, "%s", e2.msg);
    } else {
        char hpath[PATH_MAX];
        const char *slash = strrchr(path, '/');
        ev_error e2 = EV_ERROR_INIT;
        if ((rc = ev_json_check_keys(sz, k_hist, &c, err)) ||
            (rc = ev_json_get_str(sz, "file", p->histogram_file, sizeof p->histogram_file, 1,
                                  &c, err)))
            return rc;
        /* relative to the profile's own folder */
        if (p->histogram_file[0] == '/' || !slash)
            snprintf(hpath, sizeof hpath, "%s", p->histogram_file);
        else
            snprintf(hpath, sizeof hpath, "%.*s/%s", (int)(slash - path), path,
                     p->histogram_file);
        if ((rc = ev_profile_load_histogram(p, hpath, &e2)))
            return ev_json_fail(err, rc == EV_ENOENT ? EV_ENOENT : EV_ESCHEMA, &c, "file", "%s",
                                e2.msg);
    }
    return EV_OK;
}

static int load_load(ev_profile *p, const cJSON *root, const ev_json_ctx *top, ev_error *err)
{
    static const char *const k_load[] = { "mode", "rate_rps", "arrivals", NULL };
    static const char *const k_arr[] = { "type", "on_s", "off_s", "batch", NULL };
    static const char *const modes[] = { "saturation", "offered", NULL };
    static const char *const arrs[] = { "poisson", "onoff", "batch", NULL };
    const cJSON *ld = NULL, *ar = NULL;
    ev_json_ctx c, ca;
    char b1[64], b2[96];
    int mode = 0, arr = 0, rc;

    if ((rc = ev_json_get_obj(root, "load", &ld, 0, top, err)) || !ld)
        return rc;
    ev_json_ctx_sub(&c, top, "load", b1, sizeof b1);
    if ((rc = ev_json_check_keys(ld, k_load, &c, err)) ||
        (rc = ev_json_get_enum(ld, "mode", modes, &mode, 1, &c, err)))
        return rc;
    p->mode = (ev_load_mode)mode;
    if (mode == EV_LOAD_OFFERED) {
        if ((rc = ev_json_get_num(ld, "rate_rps", &p->rate_rps, 1e-9, 1e12, 1, &c, err)))
            return rc;
    } else if (ev_json_has(ld, "rate_rps")) {
        return ev_json_fail(err, EV_ESCHEMA, &c, "rate_rps", "only meaningful with "
                            "\"mode\": \"offered\"");
    }
    if ((rc = ev_json_get_obj(ld, "arrivals", &ar, 0, &c, err)) || !ar)
        return rc;
    ev_json_ctx_sub(&ca, &c, "arrivals", b2, sizeof b2);
    if ((rc = ev_json_check_keys(ar, k_arr, &ca, err)) ||
        (rc = ev_json_get_enum(ar, "type", arrs, &arr, 1, &ca, err)))
        return rc;
    p->arrival = (ev_arrival)arr;
    if (arr == EV_ARR_ONOFF) {
        if ((rc = ev_json_get_num(ar, "on_s", &p->on_s, 1e-9, 1e6, 1, &ca, err)) ||
            (rc = ev_json_get_num(ar, "off_s", &p->off_s, 0, 1e6, 1, &ca, err)))
            return rc;
    } else if (arr == EV_ARR_BATCH) {
        int64_t b = 1;
        if ((rc = ev_json_get_int(ar, "batch", &b, 1, 1000000, 1, &ca, err)))
            return rc;
        p->batch = (double)b;
    }
    if (arr != EV_ARR_ONOFF && (ev_json_has(ar, "on_s") || ev_json_has(ar, "off_s")))
        return ev_json_fail(err, EV_ESCHEMA, &ca, ev_json_has(ar, "on_s") ? "on_s" : "off_s",
                            "only meaningful with \"type\": \"onoff\"");
    if (arr != EV_ARR_BATCH && ev_json_has(ar, "batch"))
        return ev_json_fail(err, EV_ESCHEMA, &ca, "batch",
                            "only meaningful with \"type\": \"batch\"");
    if (mode != EV_LOAD_OFFERED && arr != EV_ARR_POISSON)
        return ev_json_fail(err, EV_ESCHEMA, &ca, "type", "bursty arrivals need "
                            "\"mode\": \"offered\" with a rate");
    return EV_OK;
}

int ev_profile_load(ev_profile *out, const char *path, ev_error *err)
{
    static const char *const keys[] = { "schema", "name", "description", "sizes", "get_ratio",
                                        "key_size", "network", "client", "load", "objective",
                                        "constraints", "platforms", NULL };
    static const char *const k_net[] = { "mtu", "link_rate_bps", NULL };
    static const char *const k_cli[] = { "clients", "pipeline", NULL };
    static const char *const k_con[] = { "min_rps", "max_cpu_pct", NULL };
    static const char *const objs[] = { "max-rps", "min-cpu", "max-app-cpu", NULL };
    char *text = NULL, b1[64];
    cJSON *root = NULL;
    const cJSON *o = NULL, *arr = NULL, *it;
    ev_json_ctx top = { path, 0, NULL }, c;
    ev_profile p;
    int rc, obj = 0;

    ev_profile_init(&p);
    snprintf(p.source, sizeof p.source, "%s", path);
    if ((rc = ev_fs_read_all(&text, NULL, path, err)))
        return rc;
    if ((rc = ev_json_parse_doc(&root, text, path, err)))
        goto out;
    if ((rc = ev_json_check_schema(root, EV_PROFILE_SCHEMA, &top, err)) ||
        (rc = ev_json_check_keys(root, keys, &top, err)) ||
        (rc = ev_json_get_str(root, "name", p.name, sizeof p.name, 1, &top, err)) ||
        (rc = ev_json_get_str(root, "description", p.description, sizeof p.description, 0,
                              &top, err)) ||
        (rc = load_sizes(&p, root, path, &top, err)) ||
        (rc = ev_json_get_num(root, "get_ratio", &p.get_ratio, 0, 1, 1, &top, err)) ||
        (rc = ev_json_get_num(root, "key_size", &p.key_size, 1, 65536, 0, &top, err)))
        goto out;
    if ((rc = ev_json_get_obj(root, "network", &o, 0, &top, err)))
        goto out;
    if (o) {
        ev_json_ctx_sub(&c, &top, "network", b1, sizeof b1);
        if ((rc = ev_json_check_keys(o, k_net, &c, err)) ||
            (rc = ev_json_get_num(o, "mtu", &p.mtu, 576, 65536, 0, &c, err)) ||
            (rc = ev_json_get_num(o, "link_rate_bps", &p.link_rate_bps, 0, 1e13, 0, &c, err)))
            goto out;
    }
    if ((rc = ev_json_get_obj(root, "client", &o, 0, &top, err)))
        goto out;
    if (o) {
        ev_json_ctx_sub(&c, &top, "client", b1, sizeof b1);
        if ((rc = ev_json_check_keys(o, k_cli, &c, err)) ||
            (rc = ev_json_get_num(o, "clients", &p.clients, 1, 1e6, 0, &c, err)) ||
            (rc = ev_json_get_num(o, "pipeline", &p.pipeline, 1, 1e4, 0, &c, err)))
            goto out;
    }
    if ((rc = load_load(&p, root, &top, err)) ||
        (rc = ev_json_get_enum(root, "objective", objs, &obj, 0, &top, err)))
        goto out;
    p.objective = (ev_objective)obj;
    if ((rc = ev_json_get_obj(root, "constraints", &o, 0, &top, err)))
        goto out;
    if (o) {
        ev_json_ctx_sub(&c, &top, "constraints", b1, sizeof b1);
        if ((rc = ev_json_check_keys(o, k_con, &c, err)) ||
            (rc = ev_json_get_num(o, "min_rps", &p.min_rps, 0, 1e12, 0, &c, err)) ||
            (rc = ev_json_get_num(o, "max_cpu_pct", &p.max_cpu_pct, 0.001, 6400, 0, &c, err)))
            goto out;
    }
    if ((rc = ev_json_get_array(root, "platforms", &arr, 0, &top, err)))
        goto out;
    if (arr) {
        size_t n = 0;
        cJSON_ArrayForEach(it, arr) {
            const char *s = cJSON_GetStringValue(it);
            if (!s || !*s || strlen(s) >= sizeof p.platforms[0]) {
                rc = ev_json_fail(err, EV_ESCHEMA, &top, "platforms",
                                  "item %zu must be a platform id (a non-empty string of at "
                                  "most %zu bytes)", n, sizeof p.platforms[0] - 1);
                goto out;
            }
            if (n == EV_PROFILE_MAX_PLATFORMS) {
                rc = ev_json_fail(err, EV_ERANGE, &top, "platforms", "more than %d platforms",
                                  EV_PROFILE_MAX_PLATFORMS);
                goto out;
            }
            snprintf(p.platforms[n++], sizeof p.platforms[0], "%s", s);
        }
        if (n == 0) {
            rc = ev_json_fail(err, EV_ESCHEMA, &top, "platforms",
                              "must list at least one platform (or be left out for all)");
            goto out;
        }
        p.nplatforms = n;
    }
    if ((rc = ev_profile_validate(&p, err)))
        goto out;
    *out = p;
out:
    cJSON_Delete(root);
    free(text);
    return rc;
}
