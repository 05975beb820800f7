/* ev_fit_inputs.c - user-given platform segmentation inputs for the fit (ev_fit.h,
 * docs/formats.md "Platform inputs file"): an inputs file and/or single overrides, resolved
 * against the records' defaults into the ev_platform_info array ev_fit_records takes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev_fit.h"
#include "ev_fs.h"
#include "ev_json.h"

enum { EV_FI_GUEST, EV_FI_HDR, EV_FI_L2, EV_FI_RED, EV_FI_ACK, EV_FI_ACKSEG, EV_FI_N };
static const char *const ev_fi_names[] = { "guest_pkt_bytes", "tcp_header_bytes",
                                           "instance_l2_bytes", "nic_mss_reduction",
                                           "ack_pkts_per_msg", "ack_pkts_per_seg", NULL };
/* the model file's ranges (ev_model_json.c) */
static const double ev_fi_min[EV_FI_N] = { 64, 20, 0, 0, 0, 0 };
static const double ev_fi_max[EV_FI_N] = { 1e6, 120, 64, 1000, 64, 1 };

typedef struct ev_fi_entry {
    char id[64];
    int given[EV_FI_N];
    double v[EV_FI_N];
} ev_fi_entry;

struct ev_fit_inputs {
    ev_fi_entry *e;
    size_t n, cap;
};

int ev_fit_inputs_new(ev_fit_inputs **out, ev_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? EV_OK : ev_error_set(err, EV_ENOMEM, "out of memory");
}

void ev_fit_inputs_free(ev_fit_inputs *in)
{
    if (in) {
        free(in->e);
        free(in);
    }
}

size_t ev_fit_inputs_count(const ev_fit_inputs *in)
{
    return in ? in->n : 0;
}

const char *ev_fit_inputs_id(const ev_fit_inputs *in, size_t i)
{
    return in && i < in->n ? in->e[i].id : NULL;
}

static int ev_fi__entry(ev_fi_entry **out, ev_fit_inputs *in, const char *id, ev_error *err)
{
    size_t i;
    for (i = 0; i < in->n; i++) {
        if (strcmp(in->e[i].id, id) == 0) {
            *out = &in->e[i];
            return EV_OK;
        }
    }
    if (!id[0] || strlen(id) >= sizeof in->e[0].id)
        return ev_error_set(err, EV_EINVAL, "platform id \"%s\": must be 1..63 bytes", id);
    if (in->n == in->cap) {
        size_t cap = in->cap ? 2 * in->cap : 8;
        ev_fi_entry *e = realloc(in->e, cap * sizeof *e);
        if (!e)
            return ev_error_set(err, EV_ENOMEM, "out of memory");
        in->e = e;
        in->cap = cap;
    }
    memset(&in->e[in->n], 0, sizeof in->e[0]);
    strcpy(in->e[in->n].id, id);
    *out = &in->e[in->n++];
    return EV_OK;
}

static int ev_fi__field(const char *field)
{
    int f;
    for (f = 0; f < EV_FI_N; f++)
        if (strcmp(field, ev_fi_names[f]) == 0)
            return f;
    return -1;
}

int ev_fit_inputs_set(ev_fit_inputs *in, const char *id, const char *field, double v,
                      ev_error *err)
{
    int f = ev_fi__field(field), rc;
    ev_fi_entry *e = NULL;
    if (f < 0)
        return ev_error_set(err, EV_EINVAL, "unknown platform input \"%s\"", field);
    if (!isfinite(v) || v < ev_fi_min[f] || v > ev_fi_max[f])
        return ev_error_set(err, EV_ERANGE, "%s.%s: must be a number in [%g, %g], got %g", id,
                            field, ev_fi_min[f], ev_fi_max[f], v);
    rc = ev_fi__entry(&e, in, id, err);
    if (rc)
        return rc;
    e->given[f] = 1;
    e->v[f] = v;
    return EV_OK;
}

#define TRY(x) do { if ((rc = (x)) != EV_OK) goto done; } while (0)

int ev_fit_inputs_parse(ev_fit_inputs *in, const char *text, const char *name, ev_error *err)
{
    static const char *const keys[] = { "schema", "platforms", "notes", NULL };
    cJSON *root = NULL;
    const cJSON *plats, *p;
    ev_json_ctx ctx = { name ? name : "<input>", 0, NULL }, pctx, ectx;
    char pbuf[160], ebuf[256];
    int rc = EV_OK, f;

    TRY(ev_json_parse_doc(&root, text, ctx.file, err));
    TRY(ev_json_check_schema(root, EV_FIT_INPUTS_SCHEMA, &ctx, err));
    TRY(ev_json_check_keys(root, keys, &ctx, err));
    if (ev_json_has(root, "notes")) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(root, "notes");
        const cJSON *x;
        int ok = cJSON_IsString(n) || cJSON_IsArray(n);
        for (x = cJSON_IsArray(n) ? n->child : NULL; x; x = x->next)
            ok = ok && cJSON_IsString(x);
        if (!ok)
            TRY(ev_json_fail(err, EV_ESCHEMA, &ctx, "notes",
                             "must be a string or an array of strings"));
    }
    TRY(ev_json_get_obj(root, "platforms", &plats, 1, &ctx, err));
    ev_json_ctx_sub(&pctx, &ctx, "platforms", pbuf, sizeof pbuf);
    /* duplicate ids: check_keys with an "all known" list would not do; do it by hand */
    for (p = plats->child; p; p = p->next) {
        const cJSON *q;
        for (q = plats->child; q != p; q = q->next)
            if (strcmp(q->string, p->string) == 0)
                TRY(ev_json_fail(err, EV_ESCHEMA, &pctx, p->string, "duplicate platform"));
        if (!cJSON_IsObject(p))
            TRY(ev_json_fail(err, EV_ESCHEMA, &pctx, p->string, "must be an object"));
        if (!p->string[0] || strlen(p->string) >= sizeof in->e[0].id)
            TRY(ev_json_fail(err, EV_ERANGE, &pctx, p->string,
                             "platform id must be 1..63 bytes"));
        ev_json_ctx_sub(&ectx, &pctx, p->string, ebuf, sizeof ebuf);
        TRY(ev_json_check_keys(p, ev_fi_names, &ectx, err));
        if (!p->child)
            TRY(ev_json_fail(err, EV_ESCHEMA, &pctx, p->string,
                             "gives no input (one of guest_pkt_bytes, tcp_header_bytes, "
                             "instance_l2_bytes, nic_mss_reduction, ack_pkts_per_msg, "
                             "ack_pkts_per_seg)"));
        for (f = 0; f < EV_FI_N; f++) {
            double v;
            if (!ev_json_has(p, ev_fi_names[f]))
                continue;
            TRY(ev_json_get_num(p, ev_fi_names[f], &v, ev_fi_min[f], ev_fi_max[f], 1, &ectx,
                                err));
            TRY(ev_fit_inputs_set(in, p->string, ev_fi_names[f], v, err));
        }
    }
done:
    cJSON_Delete(root);
    return rc;
}

int ev_fit_inputs_load(ev_fit_inputs *in, const char *path, ev_error *err)
{
    char *text = NULL;
    int rc = ev_fs_read_all(&text, NULL, path, err);
    if (rc)
        return rc;
    rc = ev_fit_inputs_parse(in, text, path, err);
    free(text);
    return rc;
}

int ev_fit_inputs_resolve(ev_platform_info **out, size_t *nout, const ev_fit_inputs *in,
                          const ev_record *recs, size_t n, ev_error *err)
{
    ev_platform_info *pi;
    size_t i, j, k = 0;
    *out = NULL;
    *nout = 0;
    if (!in || in->n == 0)
        return EV_OK;
    pi = calloc(in->n, sizeof *pi);
    if (!pi)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    for (i = 0; i < in->n; i++) {
        const ev_fi_entry *e = &in->e[i];
        for (j = 0; j < n && strcmp(recs[j].platform, e->id) != 0; j++)
            ;
        if (j == n)
            continue;
        ev_fit_record_inputs(&pi[k], &recs[j]);
        pi[k].id = e->id;
        if (e->given[EV_FI_GUEST])
            pi[k].guest_pkt_bytes = e->v[EV_FI_GUEST];
        if (e->given[EV_FI_HDR])
            pi[k].tcp_header_bytes = e->v[EV_FI_HDR];
        if (e->given[EV_FI_L2])
            pi[k].instance_l2_bytes = e->v[EV_FI_L2];
        if (e->given[EV_FI_RED])
            pi[k].nic_mss_reduction = e->v[EV_FI_RED];
        if (e->given[EV_FI_ACK])
            pi[k].ack_pkts_per_msg = e->v[EV_FI_ACK];
        if (e->given[EV_FI_ACKSEG])
            pi[k].ack_pkts_per_seg = e->v[EV_FI_ACKSEG];
        if (!(pi[k].guest_pkt_bytes > pi[k].tcp_header_bytes + 8)) {
            ev_error_set(err, EV_EINVAL, "platform %s: guest_pkt_bytes %g must exceed "
                         "tcp_header_bytes %g + 8", e->id, pi[k].guest_pkt_bytes,
                         pi[k].tcp_header_bytes);
            free(pi);
            return EV_EINVAL;
        }
        k++;
    }
    if (k == 0) {
        free(pi);
        pi = NULL;
    }
    *out = pi;
    *nout = k;
    return EV_OK;
}

int ev_fit_inputs_parse_assign(ev_fit_inputs *in, const char *field, const char *arg,
                               ev_error *err)
{
    const char *eq = strrchr(arg, '=');
    char id[64], *end;
    double v;
    size_t len;
    if (!eq || eq == arg)
        return ev_error_set(err, EV_EINVAL, "\"%s\": must be ID=VALUE", arg);
    len = (size_t)(eq - arg);
    if (len >= sizeof id)
        return ev_error_set(err, EV_EINVAL, "\"%s\": platform id longer than 63 bytes", arg);
    memcpy(id, arg, len);
    id[len] = '\0';
    v = strtod(eq + 1, &end);
    if (end == eq + 1 || *end)
        return ev_error_set(err, EV_EINVAL, "\"%s\": VALUE must be a number", arg);
    return ev_fit_inputs_set(in, id, field, v, err);
}

/* ---- pure ACKs from the records' packet counters ---- */

int ev_fit_inputs_derive_acks(ev_fit_inputs *in, const ev_record *recs, size_t n,
                              ev_fit_ack_report **rep, size_t *nrep, ev_error *err)
{
    ev_fit_ack_report *out = NULL;
    const char **ids = NULL;
    size_t nid = 0, i, j, p, any = 0;
    int rc = EV_OK;
    if (rep)
        *rep = NULL;
    if (nrep)
        *nrep = 0;
    ids = calloc(n ? n : 1, sizeof *ids);
    out = calloc(n ? n : 1, sizeof *out);
    if (!ids || !out) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < n; i++) {
        for (j = 0; j < nid && strcmp(ids[j], recs[i].platform) != 0; j++)
            ;
        if (j == nid)
            ids[nid++] = recs[i].platform;
    }
    for (p = 0; p < nid; p++) {
        double smm = 0, smx = 0, sxx = 0, sme = 0, sxe = 0, a = 0, b = 0, ss = 0;
        size_t used = 0, multi = 0, first = n;
        ev_platform_info pi;
        ev_fit_ack_report *R = &out[p];
        for (i = 0; i < n; i++) {
            const ev_record *r = &recs[i];
            const ev_ifcount *ic = &r->ifc[EV_ROLE_INSTANCE];
            ev_platform_info *rp = NULL;
            size_t nrp = 0;
            ev_conditions cond;
            ev_counts c0, cm, cx;
            double pm, e, m, x;
            if (strcmp(r->platform, ids[p]) != 0 || !r->ok || !ic->present || !r->requests)
                continue;
            if (first == n) {
                first = i;
                /* the platform's inputs: the defaults with what `in` gives */
                if ((rc = ev_fit_inputs_resolve(&rp, &nrp, in, r, 1, err)) != EV_OK)
                    goto done;
                if (nrp)
                    pi = rp[0];
                else
                    ev_fit_record_inputs(&pi, r);
                free(rp);
                pi.id = ids[p];
            }
            ev_fit_record_conditions(&cond, r);
            pi.ack_pkts_per_msg = 0, pi.ack_pkts_per_seg = 0;
            if (ev_model_counts(&c0, &pi, r->op, r->value_size, &cond, NULL) != EV_OK)
                continue;
            pi.ack_pkts_per_msg = 1;
            ev_model_counts(&cm, &pi, r->op, r->value_size, &cond, NULL);
            pi.ack_pkts_per_msg = 0, pi.ack_pkts_per_seg = 1;
            ev_model_counts(&cx, &pi, r->op, r->value_size, &cond, NULL);
            m = cm.packets - c0.packets;
            x = cx.packets - c0.packets;
            pm = (ic->packets[EV_DIR_RX] + ic->packets[EV_DIR_TX]) / (double)r->requests;
            e = pm - c0.packets;
            smm += m * m, smx += m * x, sxx += x * x, sme += m * e, sxe += x * e;
            used++;
            multi += m > 0;
        }
        snprintf(R->id, sizeof R->id, "%s", ids[p]);
        R->used = used;
        R->multi = multi;
        if (!used || !multi)
            continue;
        any = 1;
        {
            double det = smm * sxx - smx * smx;
            if (det > 1e-9 * smm * sxx && sxx > 0) {
                a = (sme * sxx - sxe * smx) / det;
                b = (sxe * smm - sme * smx) / det;
            }
            if (!(det > 1e-9 * smm * sxx && sxx > 0) || b < 0) {
                b = 0;
                a = sme / smm;
            }
            if (a < 0) { /* then only b: ACKs grow with the segments */
                a = 0;
                b = sxx > 0 ? sxe / sxx : 0;
            }
            a = fmin(fmax(a, 0), 64);
            b = fmin(fmax(b, 0), 1);
        }
        /* residual of the fitted excess over the records used */
        for (i = 0; i < n; i++) {
            const ev_record *r = &recs[i];
            const ev_ifcount *ic = &r->ifc[EV_ROLE_INSTANCE];
            ev_conditions cond;
            ev_counts c0, cf;
            if (strcmp(r->platform, ids[p]) != 0 || !r->ok || !ic->present || !r->requests)
                continue;
            ev_fit_record_conditions(&cond, r);
            pi.ack_pkts_per_msg = 0, pi.ack_pkts_per_seg = 0;
            if (ev_model_counts(&c0, &pi, r->op, r->value_size, &cond, NULL) != EV_OK)
                continue;
            pi.ack_pkts_per_msg = a, pi.ack_pkts_per_seg = b;
            ev_model_counts(&cf, &pi, r->op, r->value_size, &cond, NULL);
            {
                double pm = (ic->packets[EV_DIR_RX] + ic->packets[EV_DIR_TX]) /
                            (double)r->requests;
                ss += (pm - cf.packets) * (pm - cf.packets);
            }
        }
        R->a = a;
        R->b = b;
        R->rms = sqrt(ss / (double)used);
        if ((rc = ev_fit_inputs_set(in, ids[p], "ack_pkts_per_msg", a, err)) != EV_OK ||
            (rc = ev_fit_inputs_set(in, ids[p], "ack_pkts_per_seg", b, err)) != EV_OK)
            goto done;
    }
    if (!any) {
        rc = ev_error_set(err, EV_EINVAL, "no ok record with instance packet counters and a "
                          "message of more than one segment among %zu records: nothing to "
                          "derive the ACK inputs from", n);
        goto done;
    }
    if (rep) {
        *rep = out;
        out = NULL;
    }
    if (nrep)
        *nrep = nid;
done:
    free(out);
    free(ids);
    return rc;
}

int ev_fit_inputs_to_json(char **out, const ev_fit_inputs *in, const char *const *notes)
{
    cJSON *root = cJSON_CreateObject(), *arr = NULL, *plats = NULL;
    size_t i;
    int f, rc = EV_OK;
    *out = NULL;
    if (!root)
        return EV_ENOMEM;
    rc = ev_json_add_str(root, "schema", EV_FIT_INPUTS_SCHEMA);
    if (!rc && notes && notes[0]) {
        if (!(arr = cJSON_AddArrayToObject(root, "notes")))
            rc = EV_ENOMEM;
        for (i = 0; !rc && notes[i]; i++) {
            cJSON *s = cJSON_CreateString(notes[i]);
            if (!s || !cJSON_AddItemToArray(arr, s))
                rc = EV_ENOMEM;
        }
    }
    if (!rc && !(plats = cJSON_AddObjectToObject(root, "platforms")))
        rc = EV_ENOMEM;
    for (i = 0; !rc && in && i < in->n; i++) {
        cJSON *o = cJSON_AddObjectToObject(plats, in->e[i].id);
        if (!o) {
            rc = EV_ENOMEM;
            break;
        }
        for (f = 0; !rc && f < EV_FI_N; f++)
            if (in->e[i].given[f])
                rc = ev_json_add_num(o, ev_fi_names[f], in->e[i].v[f]);
    }
    if (!rc && !(*out = cJSON_Print(root)))
        rc = EV_ENOMEM;
    cJSON_Delete(root);
    return rc;
}
