/* ev_xval.c - leave-one-size-out / leave-one-MTU-out cross-validation (ev_xval.h). */
#include "ev_xval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev_json.h"
#include "ev_model.h"

/* The record's group under a scheme; the MTU of a record without one is the fit's default. */
static double ev_xval__group(const ev_record *r, ev_xval_by scheme)
{
    ev_conditions c;
    if (scheme == EV_XVAL_SIZE)
        return (double)r->value_size;
    ev_fit_record_conditions(&c, r);
    return c.mtu;
}

const char *ev_xval_by_name(int by)
{
    switch (by) {
    case EV_XVAL_SIZE: return "size";
    case EV_XVAL_MTU: return "mtu";
    case EV_XVAL_BOTH: return "both";
    case EV_XVAL_SCORE: return "score";
    default: return NULL;
    }
}

int ev_xval_by_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "size") == 0)
        return EV_XVAL_SIZE;
    if (strcmp(s, "mtu") == 0)
        return EV_XVAL_MTU;
    if (strcmp(s, "both") == 0)
        return EV_XVAL_BOTH;
    return -1;
}

static int ev_xval__cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Distinct values, ascending. *out malloc'ed. */
static int ev_xval__distinct(double **out, size_t *nout, const double *v, size_t n)
{
    double *d = malloc((n ? n : 1) * sizeof *d);
    size_t i, k = 0;
    if (!d)
        return EV_ENOMEM;
    if (n)
        memcpy(d, v, n * sizeof *d);
    qsort(d, n, sizeof *d, ev_xval__cmp_double);
    for (i = 0; i < n; i++)
        if (k == 0 || d[k - 1] != d[i])
            d[k++] = d[i];
    *out = d;
    *nout = k;
    return EV_OK;
}

static void ev_xval__unpredicted(ev_xval_point *pt, size_t ntrain, const char *why)
{
    int c;
    pt->predicted = 0;
    pt->ntrain = ntrain;
    pt->rps_pred = NAN;
    for (c = 0; c < EV_NCAT; c++)
        pt->cpu_pred[c] = NAN;
    snprintf(pt->note, sizeof pt->note, "%s", why);
}

/* One scheme: append its points to pts (capacity checked by the caller: one per usable record). */
static int ev_xval__scheme(ev_xval_point *pts, size_t *k, const ev_record *recs, size_t n,
                           const size_t *use, size_t nuse, const char *const *plat,
                           size_t nplat, ev_xval_by scheme, const ev_fit_options *opt,
                           double min_busy, ev_error *err)
{
    double *gv = NULL, *groups = NULL;
    size_t ngroups = 0, g, i, j, p;
    ev_record *train = NULL;
    int rc = EV_OK;
    (void)n;

    gv = malloc(nuse * sizeof *gv);
    train = malloc(nuse * sizeof *train);
    if (!gv || !train) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < nuse; i++)
        gv[i] = ev_xval__group(&recs[use[i]], scheme);
    if ((rc = ev_xval__distinct(&groups, &ngroups, gv, nuse)) != EV_OK) {
        ev_error_set(err, rc, "out of memory");
        goto done;
    }
    if (ngroups < 2) {
        rc = ev_error_set(err, EV_EINVAL,
                          "leave-one-%s-out: the records have only one %s (%g): nothing to hold "
                          "out", ev_xval_by_name(scheme),
                          scheme == EV_XVAL_SIZE ? "value size" : "MTU", groups[0]);
        goto done;
    }
    for (g = 0; g < ngroups; g++) {
        for (p = 0; p < nplat; p++) {
            size_t ntrain = 0, ntest = 0;
            ev_model *m = NULL;
            ev_error fe = EV_ERROR_INIT;
            int frc, mp;
            for (j = 0; j < nuse; j++) {
                const ev_record *r = &recs[use[j]];
                if (strcmp(r->platform, plat[p]) != 0)
                    continue;
                if (gv[j] == groups[g])
                    ntest++;
                else
                    train[ntrain++] = *r;
            }
            if (ntest == 0)
                continue;
            if (ntrain == 0) {
                frc = ev_error_set(&fe, EV_EINVAL, "no record of this platform outside the "
                                   "held-out group");
            } else {
                frc = ev_fit_records(&m, train, ntrain, opt, &fe);
            }
            mp = m ? ev_model_find(m, plat[p]) : -1;
            for (j = 0; j < nuse; j++) {
                const ev_record *r = &recs[use[j]];
                ev_xval_point *pt;
                int c;
                if (strcmp(r->platform, plat[p]) != 0 || gv[j] != groups[g])
                    continue;
                pt = &pts[(*k)++];
                memset(pt, 0, sizeof *pt);
                pt->record = use[j];
                pt->scheme = scheme;
                pt->group = groups[g];
                pt->rps_obs = r->rps;
                {
                    double busy = 0;
                    for (c = 0; c < EV_NCAT; c++) {
                        pt->cpu_obs[c] = r->cpu[c];
                        busy += r->cpu[c];
                    }
                    pt->bound = busy >= min_busy;
                }
                if (frc != EV_OK || mp < 0) {
                    char why[sizeof fe.msg + 64];
                    snprintf(why, sizeof why, "fit without this %s failed: %s",
                             ev_xval_by_name(scheme), fe.msg[0] ? fe.msg : ev_strerror(frc));
                    ev_xval__unpredicted(pt, ntrain, why);
                } else {
                    ev_conditions cond;
                    ev_prediction pr;
                    ev_mix_item it;
                    ev_fit_record_conditions(&cond, r);
                    it.op = r->op;
                    it.value_size = r->value_size;
                    it.weight = 1.0;
                    rc = ev_model_predict(&pr, m, (size_t)mp, &it, 1, &cond, err);
                    if (rc != EV_OK) {
                        ev_error_prefix(err, "record %zu (%s)", use[j],
                                        r->point[0] ? r->point : r->platform);
                        ev_model_free(m);
                        goto done;
                    }
                    pt->predicted = 1;
                    pt->ntrain = ntrain;
                    pt->rps_pred = pr.rps;
                    for (c = 0; c < EV_NCAT; c++)
                        pt->cpu_pred[c] = pr.cpu[c];
                }
            }
            ev_model_free(m);
        }
    }
done:
    free(gv);
    free(groups);
    free(train);
    return rc;
}

int ev_xval_score(ev_xval_point **out, size_t *nout, size_t *nskipped, const ev_model *m,
                  const ev_record *recs, size_t n, double min_busy_pct, ev_error *err)
{
    ev_xval_point *pts;
    size_t i, k = 0, skipped = 0;
    int rc;
    *out = NULL;
    *nout = 0;
    if (nskipped)
        *nskipped = 0;
    pts = calloc(n ? n : 1, sizeof *pts);
    if (!pts)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        const ev_record *r = &recs[i];
        ev_xval_point *pt;
        ev_prediction pr;
        double busy = 0;
        int c, mp;
        if (!ev_fit_record_measured(r)) /* mixes too: scored, never fitted */
            continue;
        if ((mp = ev_model_find(m, r->platform)) < 0) {
            skipped++;
            continue;
        }
        pt = &pts[k++];
        pt->record = i;
        pt->scheme = EV_XVAL_SCORE;
        pt->group = r->value_size;
        pt->rps_obs = r->rps;
        for (c = 0; c < EV_NCAT; c++) {
            pt->cpu_obs[c] = r->cpu[c];
            busy += r->cpu[c];
        }
        pt->bound = busy >= min_busy_pct;
        rc = ev_fit_predict_record(&pr, m, (size_t)mp, r, err);
        if (rc != EV_OK) {
            ev_error_prefix(err, "record %zu (%s)", i, r->point[0] ? r->point : r->platform);
            free(pts);
            return rc;
        }
        pt->predicted = 1;
        pt->rps_pred = pr.rps;
        for (c = 0; c < EV_NCAT; c++)
            pt->cpu_pred[c] = pr.cpu[c];
    }
    if (nskipped)
        *nskipped = skipped;
    if (k == 0) {
        free(pts);
        return ev_error_set(err, EV_EINVAL, "no usable record (status ok, rps > 0, the four "
                            "CPU categories) of a platform of model %s among %zu records",
                            ev_model_name(m), n);
    }
    *out = pts;
    *nout = k;
    return EV_OK;
}

int ev_xval_run(ev_xval_point **out, size_t *nout, const ev_record *recs, size_t n, int by,
                const ev_fit_options *opt, double min_busy_pct, ev_error *err)
{
    ev_fit_options dflt = EV_FIT_OPTIONS_INIT;
    size_t *use = NULL, nuse = 0, nplat = 0, i, j, k = 0;
    const char **plat = NULL;
    ev_xval_point *pts = NULL;
    int rc = EV_OK;

    *out = NULL;
    *nout = 0;
    if (by != EV_XVAL_SIZE && by != EV_XVAL_MTU && by != EV_XVAL_BOTH)
        return ev_error_set(err, EV_EINVAL, "cross-validation: grouping must be size, mtu or "
                            "both");
    if (!opt)
        opt = &dflt;
    use = malloc((n ? n : 1) * sizeof *use);
    plat = malloc((n ? n : 1) * sizeof *plat);
    if (!use || !plat) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (!ev_fit_record_usable(&recs[i]))
            continue;
        use[nuse++] = i;
        for (j = 0; j < nplat; j++)
            if (strcmp(plat[j], recs[i].platform) == 0)
                break;
        if (j == nplat)
            plat[nplat++] = recs[i].platform;
    }
    if (nuse == 0) {
        rc = ev_error_set(err, EV_EINVAL, "cross-validation: no usable run record (status ok, "
                          "rps > 0, CPU user/system/softirq/guest present)");
        goto done;
    }
    pts = calloc(2 * nuse, sizeof *pts);
    if (!pts) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto done;
    }
    if (by & EV_XVAL_SIZE)
        rc = ev_xval__scheme(pts, &k, recs, n, use, nuse, plat, nplat, EV_XVAL_SIZE, opt,
                             min_busy_pct, err);
    if (rc == EV_OK && (by & EV_XVAL_MTU))
        rc = ev_xval__scheme(pts, &k, recs, n, use, nuse, plat, nplat, EV_XVAL_MTU, opt,
                             min_busy_pct, err);
done:
    free(use);
    free(plat);
    if (rc != EV_OK) {
        free(pts);
        return rc;
    }
    *out = pts;
    *nout = k;
    return EV_OK;
}

size_t ev_xval_ngroups(const ev_record *recs, size_t n, ev_xval_by scheme)
{
    double *v, *d = NULL;
    size_t i, k = 0, nd = 0;
    if (scheme != EV_XVAL_SIZE && scheme != EV_XVAL_MTU)
        return 0;
    v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return 0;
    for (i = 0; i < n; i++)
        if (ev_fit_record_usable(&recs[i]))
            v[k++] = ev_xval__group(&recs[i], scheme);
    if (ev_xval__distinct(&d, &nd, v, k) != EV_OK)
        nd = 0;
    free(v);
    free(d);
    return nd;
}

void ev_xval_summarize(ev_xval_summary *s, const ev_xval_point *pts, size_t npts,
                       const ev_record *recs, int scheme, const char *platform)
{
    double ape = 0, cpu[EV_NCAT] = { 0 };
    size_t i;
    int c;
    memset(s, 0, sizeof *s);
    s->rps_max_ape_pct = 0;
    for (i = 0; i < npts; i++) {
        const ev_xval_point *pt = &pts[i];
        double a;
        if (scheme && (int)pt->scheme != scheme)
            continue;
        if (platform && strcmp(recs[pt->record].platform, platform) != 0)
            continue;
        s->n++;
        if (!pt->predicted)
            continue;
        if (!pt->bound) {
            s->nunbound++;
            continue;
        }
        s->npredicted++;
        a = 100.0 * fabs(pt->rps_pred - pt->rps_obs) / pt->rps_obs;
        ape += a;
        if (a > s->rps_max_ape_pct)
            s->rps_max_ape_pct = a;
        for (c = 0; c < EV_NCAT; c++)
            cpu[c] += fabs(pt->cpu_pred[c] - pt->cpu_obs[c]);
    }
    if (s->npredicted == 0) {
        s->rps_mape_pct = s->rps_max_ape_pct = s->cpu_mae_max_pp = NAN;
        for (c = 0; c < EV_NCAT; c++)
            s->cpu_mae_pp[c] = NAN;
        return;
    }
    s->rps_mape_pct = ape / (double)s->npredicted;
    s->cpu_mae_max_pp = 0;
    for (c = 0; c < EV_NCAT; c++) {
        s->cpu_mae_pp[c] = cpu[c] / (double)s->npredicted;
        if (s->cpu_mae_pp[c] > s->cpu_mae_max_pp)
            s->cpu_mae_max_pp = s->cpu_mae_pp[c];
    }
}

/* ---- per-configuration means ---- */

static int ev_xval__same_config(const ev_xval_point *a, const ev_xval_point *b,
                                const ev_record *recs)
{
    const ev_record *x = &recs[a->record], *y = &recs[b->record];
    ev_conditions cx, cy;
    if (a->scheme != b->scheme || x->op != y->op || x->value_size != y->value_size ||
        strcmp(x->platform, y->platform) != 0)
        return 0;
    ev_fit_record_conditions(&cx, x);
    ev_fit_record_conditions(&cy, y);
    return cx.key_size == cy.key_size && cx.mtu == cy.mtu &&
           cx.link_rate_bps == cy.link_rate_bps && cx.clients == cy.clients &&
           cx.pipeline == cy.pipeline;
}

static int ev_xval__selected(const ev_xval_point *pt, const ev_record *recs, int scheme,
                             const char *platform)
{
    if (scheme && (int)pt->scheme != scheme)
        return 0;
    return !platform || strcmp(recs[pt->record].platform, platform) == 0;
}

/* Group the selected points into configurations: grp[i] = index of the first point of i's
 * configuration, or (size_t)-1 when i is not selected. */
static int ev_xval__groups(size_t **grp, const ev_xval_point *pts, size_t npts,
                           const ev_record *recs, int scheme, const char *platform)
{
    size_t *g = malloc((npts ? npts : 1) * sizeof *g), i, j;
    if (!g)
        return EV_ENOMEM;
    for (i = 0; i < npts; i++) {
        g[i] = (size_t)-1;
        if (!ev_xval__selected(&pts[i], recs, scheme, platform))
            continue;
        g[i] = i;
        for (j = 0; j < i; j++)
            if (g[j] == j && ev_xval__same_config(&pts[i], &pts[j], recs)) {
                g[i] = j;
                break;
            }
    }
    *grp = g;
    return EV_OK;
}

int ev_xval_summarize_means(ev_xval_summary *s, const ev_xval_point *pts, size_t npts,
                            const ev_record *recs, int scheme, const char *platform)
{
    double ape = 0, cpu[EV_NCAT] = { 0 };
    size_t *g = NULL, i, j;
    int c;
    memset(s, 0, sizeof *s);
    if (ev_xval__groups(&g, pts, npts, recs, scheme, platform) != EV_OK)
        return EV_ENOMEM;
    for (i = 0; i < npts; i++) {
        double obs = 0, cobs[EV_NCAT] = { 0 }, a;
        size_t k = 0;
        int predicted = 0;
        if (g[i] != i)
            continue;
        s->n++;
        for (j = i; j < npts; j++) {
            if (g[j] != i || !pts[j].predicted)
                continue;
            predicted = 1;
            if (!pts[j].bound)
                continue;
            obs += pts[j].rps_obs;
            for (c = 0; c < EV_NCAT; c++)
                cobs[c] += pts[j].cpu_obs[c];
            k++;
        }
        if (!predicted)
            continue;
        if (!k) {
            s->nunbound++;
            continue;
        }
        s->npredicted++;
        obs /= (double)k;
        a = 100.0 * fabs(pts[i].rps_pred - obs) / obs;
        ape += a;
        if (a > s->rps_max_ape_pct)
            s->rps_max_ape_pct = a;
        for (c = 0; c < EV_NCAT; c++)
            cpu[c] += fabs(pts[i].cpu_pred[c] - cobs[c] / (double)k);
    }
    free(g);
    if (s->npredicted == 0) {
        s->rps_mape_pct = s->rps_max_ape_pct = s->cpu_mae_max_pp = NAN;
        for (c = 0; c < EV_NCAT; c++)
            s->cpu_mae_pp[c] = NAN;
        return EV_OK;
    }
    s->rps_mape_pct = ape / (double)s->npredicted;
    for (c = 0; c < EV_NCAT; c++) {
        s->cpu_mae_pp[c] = cpu[c] / (double)s->npredicted;
        if (s->cpu_mae_pp[c] > s->cpu_mae_max_pp)
            s->cpu_mae_max_pp = s->cpu_mae_pp[c];
    }
    return EV_OK;
}

int ev_xval_repeat_scatter(double *rps_pct, double *cpu_pp, const ev_xval_point *pts,
                           size_t npts, const ev_record *recs, int scheme,
                           const char *platform)
{
    double dev = 0, cdev[EV_NCAT] = { 0 };
    size_t *g = NULL, i, j, nrun = 0;
    int c;
    *rps_pct = *cpu_pp = NAN;
    if (ev_xval__groups(&g, pts, npts, recs, scheme, platform) != EV_OK)
        return EV_ENOMEM;
    for (i = 0; i < npts; i++) {
        double m = 0, cm[EV_NCAT] = { 0 };
        size_t k = 0;
        if (g[i] != i)
            continue;
        for (j = i; j < npts; j++)
            if (g[j] == i && pts[j].bound) {
                m += pts[j].rps_obs;
                for (c = 0; c < EV_NCAT; c++)
                    cm[c] += pts[j].cpu_obs[c];
                k++;
            }
        if (k < 2)
            continue;
        m /= (double)k;
        for (c = 0; c < EV_NCAT; c++)
            cm[c] /= (double)k;
        for (j = i; j < npts; j++)
            if (g[j] == i && pts[j].bound) {
                dev += 100.0 * fabs(pts[j].rps_obs - m) / m;
                for (c = 0; c < EV_NCAT; c++)
                    cdev[c] += fabs(pts[j].cpu_obs[c] - cm[c]);
                nrun++;
            }
    }
    free(g);
    if (nrun) {
        *rps_pct = dev / (double)nrun;
        *cpu_pp = 0;
        for (c = 0; c < EV_NCAT; c++)
            if (cdev[c] / (double)nrun > *cpu_pp)
                *cpu_pp = cdev[c] / (double)nrun;
    }
    return EV_OK;
}

int ev_xval_check_json(const char *text, const char *name, ev_error *err)
{
    static const char *const bys[] = { "size", "mtu", "both", "score", NULL };
    static const char *const schemes[] = { "size", "mtu", "score", NULL };
    ev_json_ctx ctx = { 0 };
    cJSON *root = NULL;
    const cJSON *pts = NULL, *sum = NULL, *pt;
    int rc, v, i = 0;
    char pfx[64];
    ctx.file = name;
    if ((rc = ev_json_parse_doc(&root, text, name, err)) != EV_OK)
        return rc;
    if ((rc = ev_json_check_schema(root, EV_XVAL_SCHEMA, &ctx, err)) != EV_OK ||
        (rc = ev_json_get_enum(root, "by", bys, &v, 1, &ctx, err)) != EV_OK ||
        (rc = ev_json_get_array(root, "points", &pts, 1, &ctx, err)) != EV_OK ||
        (rc = ev_json_get_array(root, "summary", &sum, 1, &ctx, err)) != EV_OK)
        goto done;
    cJSON_ArrayForEach(pt, pts) {
        ev_json_ctx pc = ctx;
        const cJSON *rps = NULL;
        char plat[64], op[8];
        double d;
        snprintf(pfx, sizeof pfx, "points[%d]", i++);
        pc.path_prefix = pfx;
        if ((rc = ev_json_get_enum(pt, "scheme", schemes, &v, 1, &pc, err)) != EV_OK ||
            (rc = ev_json_get_str(pt, "platform", plat, sizeof plat, 1, &pc, err)) != EV_OK ||
            (rc = ev_json_get_str(pt, "op", op, sizeof op, 1, &pc, err)) != EV_OK ||
            (rc = ev_json_get_num(pt, "size", &d, 1, 1e12, 1, &pc, err)) != EV_OK ||
            (rc = ev_json_get_bool(pt, "predicted", &v, 1, &pc, err)) != EV_OK ||
            (rc = ev_json_get_obj(pt, "rps", &rps, 1, &pc, err)) != EV_OK)
            goto done;
        snprintf(pfx, sizeof pfx, "points[%d].rps", i - 1);
        if ((rc = ev_json_get_num(rps, "measured", &d, 0, 1e12, 1, &pc, err)) != EV_OK)
            goto done;
    }
done:
    cJSON_Delete(root);
    return rc;
}
