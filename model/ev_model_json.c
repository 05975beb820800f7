/* ev_model_json.c - the model file (schema "edgevirt.model/1", structure "ev-cost/3"; the
 * older structures "ev-cost/1" (one per_byte) and "ev-cost/2" (no multi-segment costs) are read):
 * strict loading with errors naming file and field, C-locale writing, the embedded default.
 * The format is documented in docs/formats.md ("Model file"). */
#include "ev_model.h"
#include "ev_model_int.h"
#include "ev_json.h"
#include "ev_fs.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* generated at build time from data/paper/model.json (model/model.cmake) */
extern const char ev_model_embedded_json[];

#define TRY(x) do { int rc_ = (x); if (rc_ != EV_OK) { rc = rc_; goto done; } } while (0)

static const char *const ev_source_names[] = { "measured", "reconstructed", NULL };
static const char *const ev_path_names[] = { "vhost", "virtio", "native", NULL };

/* An array of exactly n finite numbers into out. */
static int ev_mj__nums(const cJSON *arr, double *out, int n, const ev_json_ctx *ctx,
                       const char *field, ev_error *err)
{
    int i = 0;
    const cJSON *e;
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != n)
        return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must be an array of %d numbers", n);
    cJSON_ArrayForEach(e, arr) {
        if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble))
            return ev_json_fail(err, EV_ESCHEMA, ctx, field,
                                "element %d must be a finite number", i);
        out[i++] = e->valuedouble;
    }
    return EV_OK;
}

/* Physical range of a cost parameter: every parameter is CPU seconds per request, packet,
 * segment or byte, so its magnitude stays below 1 s (a fit may dip slightly below 0). */
#define EV_MJ__MAX_COST 1.0

/* The covariance must be positive semidefinite: its smallest eigenvalue (gsl_eigen_symm) not
 * below -1e-9 of the largest magnitude (rounding of a written-out matrix). */
static int ev_mj__psd(const double *cov, double *min_eig)
{
    double a[EV_NPARAM * EV_NPARAM], ev[EV_NPARAM], big = 0, lo = HUGE_VAL;
    gsl_matrix_view m;
    gsl_vector_view e;
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(EV_NPARAM);
    gsl_error_handler_t *old;
    int rc, i;
    if (!w)
        return EV_ENOMEM;
    memcpy(a, cov, sizeof a);
    m = gsl_matrix_view_array(a, EV_NPARAM, EV_NPARAM);
    e = gsl_vector_view_array(ev, EV_NPARAM);
    old = gsl_set_error_handler_off();
    rc = gsl_eigen_symm(&m.matrix, &e.vector, w);
    gsl_set_error_handler(old);
    gsl_eigen_symm_free(w);
    if (rc)
        return EV_EMODEL;
    for (i = 0; i < EV_NPARAM; i++) {
        big = fmax(big, fabs(ev[i]));
        lo = fmin(lo, ev[i]);
    }
    *min_eig = lo;
    return lo >= -1e-9 * big ? EV_OK : EV_ERANGE;
}

/* The structures this build reads. "ev-cost/1" had one per_byte where the later ones have
 * per_byte_in and per_byte_out; "ev-cost/2" had no multi-segment message costs. This build's
 * parameter i is file column col[i] (-1: absent, read as 0, not identified, no variance); a v1
 * file is read with per_byte_in = per_byte_out = per_byte, fully correlated (the same demand
 * and variance for every request). */
typedef struct ev_mj_layout {
    const char *structure;
    int n;                                /* parameters in the file */
    const char *const *names;
    int col[EV_NPARAM];
} ev_mj_layout;
static const char *const ev_mj__v1_names[] = { "fixed_get", "fixed_set", "per_packet",
                                               "per_segment", "per_byte" };
static const ev_mj_layout ev_mj__layouts[] = {
    { EV_MODEL_STRUCTURE, EV_NPARAM, ev_model_param_names, { 0, 1, 2, 3, 4, 5, 6, 7 } },
    { EV_MODEL_STRUCTURE_V2, 6, ev_model_param_names, { 0, 1, 2, 3, 4, 5, -1, -1 } },
    { EV_MODEL_STRUCTURE_V1, 5, ev_mj__v1_names, { 0, 1, 2, 3, 4, 4, -1, -1 } },
};

static int ev_mj__category(ev_param_set *ps, const cJSON *o, const ev_json_ctx *ctx,
                           const ev_mj_layout *lay, ev_error *err)
{
    static const char *const keys[] = { "values", "identified", "covariance", "chi2", "scale",
                                        NULL };
    const cJSON *a, *e;
    int rc = EV_OK, i = 0, j, n = lay->n;
    double val[EV_NPARAM], cov[EV_NPARAM * EV_NPARAM];
    int ident[EV_NPARAM];
    memset(ps, 0, sizeof *ps);
    TRY(ev_json_check_keys(o, keys, ctx, err));
    TRY(ev_json_get_array(o, "values", &a, 1, ctx, err));
    TRY(ev_mj__nums(a, val, n, ctx, "values", err));
    for (i = 0; i < n; i++)
        if (!(fabs(val[i]) < EV_MJ__MAX_COST))
            TRY(ev_json_fail(err, EV_ERANGE, ctx, "values",
                             "element %d (%s) is %g: a CPU cost must lie between -1 and 1 s",
                             i, lay->names[i], val[i]));
    i = 0;
    TRY(ev_json_get_array(o, "identified", &a, 1, ctx, err));
    if (cJSON_GetArraySize(a) != n)
        TRY(ev_json_fail(err, EV_ESCHEMA, ctx, "identified", "must be an array of %d booleans",
                         n));
    cJSON_ArrayForEach(e, a) {
        if (!cJSON_IsBool(e))
            TRY(ev_json_fail(err, EV_ESCHEMA, ctx, "identified", "element %d must be a boolean",
                             i));
        ident[i++] = cJSON_IsTrue(e) ? 1 : 0;
    }
    TRY(ev_json_get_array(o, "covariance", &a, 1, ctx, err));
    if (cJSON_GetArraySize(a) != n)
        TRY(ev_json_fail(err, EV_ESCHEMA, ctx, "covariance", "must be a %dx%d array of numbers",
                         n, n));
    i = 0;
    cJSON_ArrayForEach(e, a) {
        char f[32];
        snprintf(f, sizeof f, "covariance[%d]", i);
        TRY(ev_mj__nums(e, cov + i * n, n, ctx, f, err));
        i++;
    }
    for (i = 0; i < EV_NPARAM; i++) {
        int fi = lay->col[i];
        ps->value[i] = fi >= 0 ? val[fi] : 0;
        ps->identified[i] = fi >= 0 ? ident[fi] : 0;
        for (j = 0; j < EV_NPARAM; j++)
            ps->cov[i * EV_NPARAM + j] =
                fi >= 0 && lay->col[j] >= 0 ? cov[fi * n + lay->col[j]] : 0;
    }
    for (i = 0; i < EV_NPARAM; i++) {
        if (ps->cov[i * EV_NPARAM + i] < 0)
            TRY(ev_json_fail(err, EV_ERANGE, ctx, "covariance",
                             "diagonal element %d is negative", i));
        for (j = 0; j < EV_NPARAM; j++)
            if (!(fabs(ps->cov[i * EV_NPARAM + j]) < EV_MJ__MAX_COST * EV_MJ__MAX_COST))
                TRY(ev_json_fail(err, EV_ERANGE, ctx, "covariance",
                                 "element [%d][%d] is %g: a variance of CPU costs must lie "
                                 "below 1 s^2", i, j, ps->cov[i * EV_NPARAM + j]));
        for (j = 0; j < i; j++)
            if (fabs(ps->cov[i * EV_NPARAM + j] - ps->cov[j * EV_NPARAM + i]) >
                1e-9 * (fabs(ps->cov[i * EV_NPARAM + j]) + fabs(ps->cov[j * EV_NPARAM + i])) +
                    1e-300)
                TRY(ev_json_fail(err, EV_ESCHEMA, ctx, "covariance", "is not symmetric"));
    }
    {
        double lo = 0;
        int prc = ev_mj__psd(ps->cov, &lo);
        if (prc == EV_ERANGE)
            TRY(ev_json_fail(err, EV_ERANGE, ctx, "covariance",
                             "is not positive semidefinite (smallest eigenvalue %g)", lo));
        if (prc != EV_OK)
            TRY(ev_json_fail(err, prc, ctx, "covariance", "its eigenvalues cannot be computed"));
    }
    ps->scale = 1;
    TRY(ev_json_get_num(o, "chi2", &ps->chi2, 0, INFINITY, 0, ctx, err));
    TRY(ev_json_get_num(o, "scale", &ps->scale, 0, INFINITY, 0, ctx, err));
done:
    return rc;
}

static int ev_mj__platform(ev_model *m, const cJSON *o, const ev_json_ctx *ctx,
                           const ev_mj_layout *lay, ev_error *err)
{
    static const char *const keys[] = { "id", "path", "stack", "offload", "inputs",
                                        "utilization", "categories", "diagnostics", NULL };
    static const char *const ikeys[] = { "guest_pkt_bytes", "tcp_header_bytes",
                                         "instance_l2_bytes", "nic_mss_reduction",
                                         "ack_pkts_per_msg", "ack_pkts_per_seg", NULL };
    static const char *const dkeys[] = { "points", "dof", "max_abs_corr", "notes", NULL };
    char id[64], stack[32], buf[160], *notes = NULL;
    int rc = EV_OK, path = 0, c;
    int64_t points = 0, dof = 0;
    double mac = 0;
    const cJSON *inputs, *cats, *diag, *co, *arr;
    ev_platform_info pi;
    ev_param_set cat_ps[EV_NCAT];
    ev_json_ctx sub;
    size_t idx;

    TRY(ev_json_check_keys(o, keys, ctx, err));
    TRY(ev_json_get_str(o, "id", id, sizeof id, 1, ctx, err));
    if (ev_model_find(m, id) >= 0)
        TRY(ev_json_fail(err, EV_ESCHEMA, ctx, "id", "duplicate platform \"%s\"", id));
    TRY(ev_json_get_enum(o, "path", ev_path_names, &path, 1, ctx, err));
    TRY(ev_json_get_str(o, "stack", stack, sizeof stack, 1, ctx, err));
    memset(&pi, 0, sizeof pi);
    pi.id = id;
    pi.stack = stack;
    pi.path = (ev_path)path;
    TRY(ev_json_get_bool(o, "offload", &pi.offload, 1, ctx, err));
    /* optional (issue 13): absent = 1 */
    TRY(ev_json_get_num(o, "utilization", &pi.utilization, 0.5, 1, 0, ctx, err));
    TRY(ev_json_get_obj(o, "inputs", &inputs, 1, ctx, err));
    ev_json_ctx_sub(&sub, ctx, "inputs", buf, sizeof buf);
    TRY(ev_json_check_keys(inputs, ikeys, &sub, err));
    TRY(ev_json_get_num(inputs, "guest_pkt_bytes", &pi.guest_pkt_bytes, 64, 1e6, 1, &sub, err));
    TRY(ev_json_get_num(inputs, "tcp_header_bytes", &pi.tcp_header_bytes, 20, 120, 1, &sub,
                        err));
    TRY(ev_json_get_num(inputs, "instance_l2_bytes", &pi.instance_l2_bytes, 0, 64, 1, &sub,
                        err));
    TRY(ev_json_get_num(inputs, "nic_mss_reduction", &pi.nic_mss_reduction, 0, 1000, 1, &sub,
                        err));
    /* optional (added by issue 13; older model files count no ACKs) */
    TRY(ev_json_get_num(inputs, "ack_pkts_per_msg", &pi.ack_pkts_per_msg, 0, 64, 0, &sub, err));
    TRY(ev_json_get_num(inputs, "ack_pkts_per_seg", &pi.ack_pkts_per_seg, 0, 1, 0, &sub, err));
    TRY(ev_model_add_platform(m, &pi, &idx));

    TRY(ev_json_get_obj(o, "categories", &cats, 1, ctx, err));
    {
        static const char *const ckeys[] = { "user", "system", "softirq", "guest", NULL };
        char cbuf[160];
        ev_json_ctx cctx;
        ev_json_ctx_sub(&cctx, ctx, "categories", cbuf, sizeof cbuf);
        TRY(ev_json_check_keys(cats, ckeys, &cctx, err));
        for (c = 0; c < EV_NCAT; c++) {
            ev_param_set ps;
            TRY(ev_json_get_obj(cats, ev_cpu_names[c], &co, 1, &cctx, err));
            ev_json_ctx_sub(&sub, &cctx, ev_cpu_names[c], buf, sizeof buf);
            TRY(ev_mj__category(&ps, co, &sub, lay, err));
            TRY(ev_model_set_params(m, idx, c, &ps));
            memcpy(&cat_ps[c], &ps, sizeof ps);
        }
        /* the whole request must cost CPU: above 0 and below 1 s per request, for GET and SET
         * at a small and a large value (what every prediction divides by) */
        for (c = 0; c < 4; c++) {
            static const double sizes[2] = { 64, 16384 };
            ev_conditions cond = EV_CONDITIONS_INIT;
            ev_op op = (c & 1) ? EV_OP_SET : EV_OP_GET;
            double row[EV_NPARAM], dtot = 0;
            ev_counts k;
            int q, j2;
            TRY(ev_model_counts(&k, &pi, op, sizes[c >> 1], &cond, err));
            ev_model__design_row(row, op, &k);
            for (q = 0; q < EV_NCAT; q++) {
                double dc = 0;
                for (j2 = 0; j2 < EV_NPARAM; j2++)
                    dc += row[j2] * cat_ps[q].value[j2];
                dtot += dc > 0 ? dc : 0;
            }
            if (!(dtot > 0) || !(dtot < 1.0))
                TRY(ev_json_fail(err, EV_ERANGE, &cctx, NULL,
                                 "the CPU cost of one %s of %.0f B is %g s: it must lie above 0 "
                                 "and below 1 s", ev_op_name(op), sizes[c >> 1], dtot));
        }
    }
    TRY(ev_json_get_obj(o, "diagnostics", &diag, 0, ctx, err));
    if (diag) {
        const cJSON *e;
        size_t len = 1;
        ev_json_ctx_sub(&sub, ctx, "diagnostics", buf, sizeof buf);
        TRY(ev_json_check_keys(diag, dkeys, &sub, err));
        TRY(ev_json_get_int(diag, "points", &points, 0, INT64_MAX, 0, &sub, err));
        TRY(ev_json_get_int(diag, "dof", &dof, -1000000, 1000000, 0, &sub, err));
        TRY(ev_json_get_num(diag, "max_abs_corr", &mac, 0, 1.0 + 1e-9, 0, &sub, err));
        TRY(ev_json_get_array(diag, "notes", &arr, 0, &sub, err));
        if (arr) {
            cJSON_ArrayForEach(e, arr) {
                if (!cJSON_IsString(e))
                    TRY(ev_json_fail(err, EV_ESCHEMA, &sub, "notes", "must hold strings"));
                len += strlen(e->valuestring) + 1;
            }
            notes = calloc(1, len);
            if (!notes)
                TRY(EV_ENOMEM);
            cJSON_ArrayForEach(e, arr) {
                if (notes[0])
                    strcat(notes, "\n");
                strcat(notes, e->valuestring);
            }
        }
    }
    TRY(ev_model_set_diag(m, idx, (size_t)points, (int)dof, mac, notes ? notes : ""));
done:
    free(notes);
    return rc;
}

int ev_model_parse(ev_model **out, const char *json, const char *name, ev_error *err)
{
    static const char *const keys[] = { "schema", "structure", "name", "source", "client",
                                        "datasets", "hosts", "parameter_names", "units",
                                        "platforms", NULL };
    cJSON *root = NULL;
    ev_model *m = NULL;
    ev_json_ctx ctx = { name ? name : "<input>", 0, NULL }, sub;
    char mname[128], structure[32], buf[160];
    const cJSON *client, *arr, *e;
    int rc = EV_OK, src = 0, i;
    const ev_mj_layout *lay = NULL;
    double rtt = 0;

    *out = NULL;
    TRY(ev_json_parse_doc(&root, json, ctx.file, err));
    TRY(ev_json_check_schema(root, EV_MODEL_SCHEMA, &ctx, err));
    TRY(ev_json_check_keys(root, keys, &ctx, err));
    TRY(ev_json_get_str(root, "structure", structure, sizeof structure, 1, &ctx, err));
    for (i = 0; i < (int)(sizeof ev_mj__layouts / sizeof ev_mj__layouts[0]); i++)
        if (strcmp(structure, ev_mj__layouts[i].structure) == 0)
            lay = &ev_mj__layouts[i];
    if (!lay)
        TRY(ev_json_fail(err, EV_ESCHEMA, &ctx, "structure",
                         "unsupported model structure \"%s\" (this build reads \"%s\", "
                         "\"%s\" and \"%s\")", structure, EV_MODEL_STRUCTURE,
                         EV_MODEL_STRUCTURE_V2, EV_MODEL_STRUCTURE_V1));
    TRY(ev_json_get_str(root, "name", mname, sizeof mname, 1, &ctx, err));
    TRY(ev_json_get_enum(root, "source", ev_source_names, &src, 1, &ctx, err));
    TRY(ev_json_get_obj(root, "client", &client, 1, &ctx, err));
    ev_json_ctx_sub(&sub, &ctx, "client", buf, sizeof buf);
    {
        static const char *const ck[] = { "rtt_s", NULL };
        TRY(ev_json_check_keys(client, ck, &sub, err));
    }
    TRY(ev_json_get_num(client, "rtt_s", &rtt, 0, 10, 1, &sub, err));
    TRY(ev_json_get_array(root, "parameter_names", &arr, 1, &ctx, err));
    i = 0;
    if (cJSON_GetArraySize(arr) != lay->n)
        TRY(ev_json_fail(err, EV_ESCHEMA, &ctx, "parameter_names", "must list %d names",
                         lay->n));
    cJSON_ArrayForEach(e, arr) {
        const char *want = lay->names[i];
        if (!cJSON_IsString(e) || strcmp(e->valuestring, want) != 0)
            TRY(ev_json_fail(err, EV_ESCHEMA, &ctx, "parameter_names",
                             "element %d must be \"%s\"", i, want));
        i++;
    }
    TRY(ev_model_new(&m, mname, (ev_source)src, rtt));

    TRY(ev_json_get_array(root, "datasets", &arr, 0, &ctx, err));
    i = 0;
    if (arr) {
        cJSON_ArrayForEach(e, arr) {
            static const char *const dk[] = { "path", "records", NULL };
            char nm[32], p[512];
            int64_t nrec = 0;
            snprintf(nm, sizeof nm, "datasets[%d]", i++);
            ev_json_ctx_sub(&sub, &ctx, nm, buf, sizeof buf);
            if (!cJSON_IsObject(e))
                TRY(ev_json_fail(err, EV_ESCHEMA, &sub, NULL, "must be an object"));
            TRY(ev_json_check_keys(e, dk, &sub, err));
            TRY(ev_json_get_str(e, "path", p, sizeof p, 1, &sub, err));
            TRY(ev_json_get_int(e, "records", &nrec, 0, INT64_MAX, 1, &sub, err));
            TRY(ev_model_add_dataset(m, p, (size_t)nrec));
        }
    }
    TRY(ev_json_get_array(root, "hosts", &arr, 0, &ctx, err));
    i = 0;
    if (arr) {
        cJSON_ArrayForEach(e, arr) {
            static const char *const hk[] = { "name", "kernel", "arch", "cpu", "records", NULL };
            char nm[32], hn[64] = "", kr[64] = "", ar[32] = "", cp[96] = "";
            int64_t nrec = 0;
            snprintf(nm, sizeof nm, "hosts[%d]", i++);
            ev_json_ctx_sub(&sub, &ctx, nm, buf, sizeof buf);
            if (!cJSON_IsObject(e))
                TRY(ev_json_fail(err, EV_ESCHEMA, &sub, NULL, "must be an object"));
            TRY(ev_json_check_keys(e, hk, &sub, err));
            TRY(ev_json_get_str(e, "name", hn, sizeof hn, 0, &sub, err));
            TRY(ev_json_get_str(e, "kernel", kr, sizeof kr, 1, &sub, err));
            TRY(ev_json_get_str(e, "arch", ar, sizeof ar, 0, &sub, err));
            TRY(ev_json_get_str(e, "cpu", cp, sizeof cp, 0, &sub, err));
            TRY(ev_json_get_int(e, "records", &nrec, 0, INT64_MAX, 1, &sub, err));
            TRY(ev_model_add_host(m, hn, kr, ar, cp, (size_t)nrec));
        }
    }
    TRY(ev_json_get_array(root, "platforms", &arr, 1, &ctx, err));
    if (cJSON_GetArraySize(arr) < 1)
        TRY(ev_json_fail(err, EV_ESCHEMA, &ctx, "platforms", "must hold at least one platform"));
    i = 0;
    cJSON_ArrayForEach(e, arr) {
        char nm[32];
        snprintf(nm, sizeof nm, "platforms[%d]", i++);
        ev_json_ctx_sub(&sub, &ctx, nm, buf, sizeof buf);
        if (!cJSON_IsObject(e))
            TRY(ev_json_fail(err, EV_ESCHEMA, &sub, NULL, "must be an object"));
        TRY(ev_mj__platform(m, e, &sub, lay, err));
    }
    *out = m;
    m = NULL;
done:
    if (rc == EV_ENOMEM)
        ev_error_set(err, rc, "%s: out of memory", ctx.file);
    ev_model_free(m);
    cJSON_Delete(root);
    return rc;
}

int ev_model_load(ev_model **out, const char *path, ev_error *err)
{
    char *text = NULL;
    int rc;
    *out = NULL;
    rc = ev_fs_read_all(&text, NULL, path, err);
    if (rc)
        return rc;
    rc = ev_model_parse(out, text, path, err);
    free(text);
    return rc;
}

int ev_model_default(ev_model **out, ev_error *err)
{
    return ev_model_parse(out, ev_model_embedded_json, "<embedded>", err);
}

/* ---------------------------------------------------------------- writing */

static cJSON *ev_mj__numarr(const double *v, int n)
{
    cJSON *a = cJSON_CreateArray();
    int i;
    for (i = 0; a && i < n; i++) {
        cJSON *x = cJSON_CreateNumber(v[i]);
        if (!x || !cJSON_AddItemToArray(a, x)) {
            cJSON_Delete(x);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

#define W(x) do { if ((x) != EV_OK) goto oom; } while (0)
#define WP(x) do { if (!(x)) goto oom; } while (0)

int ev_model_to_json(char **out, const ev_model *m)
{
    cJSON *root = cJSON_CreateObject(), *o, *arr, *po, *x;
    size_t i;
    int c, j, rc;
    *out = NULL;
    if (!root)
        return EV_ENOMEM;
    W(ev_json_add_str(root, "schema", EV_MODEL_SCHEMA));
    W(ev_json_add_str(root, "structure", EV_MODEL_STRUCTURE));
    W(ev_json_add_str(root, "name", m->name));
    W(ev_json_add_str(root, "source", ev_source_names[m->source == EV_SOURCE_RECONSTRUCTED]));
    W(ev_json_add_str(root, "units", "CPU seconds of one core per request; per_packet, "
                                     "per_segment multiply counts per request, per_byte_in the "
                                     "request's RESP bytes, per_byte_out the reply's, "
                                     "per_multiseg_in / per_multiseg_out are paid once by a "
                                     "request / reply of more than one segment"));
    W(ev_json_add_obj(root, "client", &o));
    W(ev_json_add_num(o, "rtt_s", m->client_rtt_s));
    WP(arr = cJSON_AddArrayToObject(root, "parameter_names"));
    for (j = 0; j < EV_NPARAM; j++) {
        WP(x = cJSON_CreateString(ev_model_param_names[j]));
        WP(cJSON_AddItemToArray(arr, x));
    }
    WP(arr = cJSON_AddArrayToObject(root, "datasets"));
    for (i = 0; i < m->nds; i++) {
        WP(o = cJSON_CreateObject());
        WP(cJSON_AddItemToArray(arr, o));
        W(ev_json_add_str(o, "path", m->ds[i].path));
        W(ev_json_add_num(o, "records", (double)m->ds[i].records));
    }
    if (m->nhosts > 0) {
        WP(arr = cJSON_AddArrayToObject(root, "hosts"));
        for (i = 0; i < m->nhosts; i++) {
            WP(o = cJSON_CreateObject());
            WP(cJSON_AddItemToArray(arr, o));
            W(ev_json_add_str(o, "name", m->hosts[i].name));
            W(ev_json_add_str(o, "kernel", m->hosts[i].kernel));
            W(ev_json_add_str(o, "arch", m->hosts[i].arch));
            W(ev_json_add_str(o, "cpu", m->hosts[i].cpu));
            W(ev_json_add_num(o, "records", (double)m->hosts[i].records));
        }
    }
    WP(arr = cJSON_AddArrayToObject(root, "platforms"));
    for (i = 0; i < m->np; i++) {
        const ev_mplatform *p = &m->plat[i];
        cJSON *cats, *d, *notes;
        WP(po = cJSON_CreateObject());
        WP(cJSON_AddItemToArray(arr, po));
        W(ev_json_add_str(po, "id", p->id));
        W(ev_json_add_str(po, "path", ev_path_names[p->info.path]));
        W(ev_json_add_str(po, "stack", p->stack));
        W(ev_json_add_bool(po, "offload", p->info.offload));
        W(ev_json_add_obj(po, "inputs", &o));
        W(ev_json_add_num(o, "guest_pkt_bytes", p->info.guest_pkt_bytes));
        W(ev_json_add_num(o, "tcp_header_bytes", p->info.tcp_header_bytes));
        W(ev_json_add_num(o, "instance_l2_bytes", p->info.instance_l2_bytes));
        W(ev_json_add_num(o, "nic_mss_reduction", p->info.nic_mss_reduction));
        if (p->info.ack_pkts_per_msg != 0 || p->info.ack_pkts_per_seg != 0) {
            W(ev_json_add_num(o, "ack_pkts_per_msg", p->info.ack_pkts_per_msg));
            W(ev_json_add_num(o, "ack_pkts_per_seg", p->info.ack_pkts_per_seg));
        }
        if (p->info.utilization > 0 && p->info.utilization < 1)
            W(ev_json_add_num(po, "utilization", p->info.utilization));
        W(ev_json_add_obj(po, "categories", &cats));
        for (c = 0; c < EV_NCAT; c++) {
            const ev_param_set *ps = &p->ps[c];
            cJSON *ident, *cov;
            W(ev_json_add_obj(cats, ev_cpu_names[c], &o));
            WP(x = ev_mj__numarr(ps->value, EV_NPARAM));
            WP(cJSON_AddItemToObject(o, "values", x));
            WP(ident = cJSON_AddArrayToObject(o, "identified"));
            for (j = 0; j < EV_NPARAM; j++) {
                WP(x = cJSON_CreateBool(ps->identified[j]));
                WP(cJSON_AddItemToArray(ident, x));
            }
            WP(cov = cJSON_AddArrayToObject(o, "covariance"));
            for (j = 0; j < EV_NPARAM; j++) {
                WP(x = ev_mj__numarr(ps->cov + j * EV_NPARAM, EV_NPARAM));
                WP(cJSON_AddItemToArray(cov, x));
            }
            W(ev_json_add_num(o, "chi2", ps->chi2));
            W(ev_json_add_num(o, "scale", ps->scale));
        }
        W(ev_json_add_obj(po, "diagnostics", &d));
        W(ev_json_add_num(d, "points", (double)p->points));
        W(ev_json_add_num(d, "dof", (double)p->dof));
        W(ev_json_add_num(d, "max_abs_corr", p->max_abs_corr));
        WP(notes = cJSON_AddArrayToObject(d, "notes"));
        {
            const char *s = p->notes;
            while (s && *s) {
                const char *nl = strchr(s, '\n');
                size_t n = nl ? (size_t)(nl - s) : strlen(s);
                char *line = malloc(n + 1);
                WP(line);
                memcpy(line, s, n);
                line[n] = 0;
                x = cJSON_CreateString(line);
                free(line);
                WP(x);
                WP(cJSON_AddItemToArray(notes, x));
                s += n + (nl ? 1 : 0);
            }
        }
    }
    rc = ev_json_print(out, root, 1);
    cJSON_Delete(root);
    return rc;
oom:
    cJSON_Delete(root);
    return EV_ENOMEM;
}

int ev_model_save(const char *path, const ev_model *m, ev_error *err)
{
    char *text = NULL;
    int rc = ev_model_to_json(&text, m);
    if (rc)
        return ev_error_set(err, rc, "%s: cannot serialise the model", path);
    rc = ev_fs_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}
