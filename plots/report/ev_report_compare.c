/* ev_report_compare.c - matching and testing (see ev_report_compare.h). */
#include "ev_report_compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>

void ev_compare_result_free(ev_compare_result *r)
{
    if (!r)
        return;
    free(r->rows);
    free(r->only_a);
    free(r->only_b);
    free(r);
}

static int ev_report__push_row(ev_compare_result *r, size_t *cap, const ev_compare_row *row)
{
    if (r->nrows == *cap) {
        size_t c = *cap ? 2 * *cap : 64;
        ev_compare_row *n = realloc(r->rows, c * sizeof *n);
        if (!n)
            return -1;
        r->rows = n;
        *cap = c;
    }
    r->rows[r->nrows++] = *row;
    return 0;
}

static int ev_report__push_key(ev_report_key **arr, size_t *n, const ev_report_key *k)
{
    ev_report_key *a = realloc(*arr, (*n + 1) * sizeof *a);
    if (!a)
        return -1;
    *arr = a;
    a[(*n)++] = *k;
    return 0;
}

static size_t ev_report__nok(const ev_report_set *s)
{
    size_t n = 0;
    for (size_t i = 0; i < ev_report_set_npoints(s); i++)
        n += ev_report_set_point(s, i)->n;
    return n;
}

/* One metric of one matched point; *skip set when the metric is absent or zero everywhere. */
static int ev_report__one(ev_compare_row *row, int *skip, const ev_report_point *pa,
                          const ev_report_point *pb, int metric, const ev_compare_options *opt,
                          gsl_rng *rng, double *va, double *vb, ev_error *err)
{
    *skip = 1;
    size_t na = ev_report_metric_values(va, pa, metric);
    size_t nb = ev_report_metric_values(vb, pb, metric);
    if (!na || !nb)
        return EV_OK;
    if (metric >= EV_RM_CPU_CAT0) {
        int nonzero = 0;
        for (size_t i = 0; i < na; i++)
            nonzero |= va[i] != 0.0;
        for (size_t i = 0; i < nb; i++)
            nonzero |= vb[i] != 0.0;
        if (!nonzero)
            return EV_OK;
    }
    *skip = 0;
    memset(row, 0, sizeof *row);
    row->key = pa->key;
    row->metric = metric;
    row->na = na;
    row->nb = nb;
    ev_report_mean_sd(&row->a_mean, NULL, va, na);
    ev_report_mean_sd(&row->b_mean, NULL, vb, nb);
    ev_report_change_ci(&row->change_pct, &row->change_lo, &row->change_hi, va, na, vb, nb);
    row->p = NAN;
    if (na >= 2 && nb >= 2) {
        ev_perm_result pr;
        int rc = ev_report_perm_test(&pr, va, na, vb, nb, opt->permutations, rng, err);
        if (rc)
            return rc;
        row->p = pr.p;
        row->exact = pr.exact;
        row->nsplits = pr.nsplits;
        row->significant = pr.p < opt->alpha && isfinite(row->change_pct) &&
                           fabs(row->change_pct) > opt->min_change;
        row->regression = row->significant &&
                          ((metric == EV_RM_RPS && row->change_pct < 0) ||
                           (metric == EV_RM_CPU_PER_REQ && row->change_pct > 0));
    }
    return EV_OK;
}

int ev_report_compare(ev_compare_result **out, const ev_report_set *a, const ev_report_set *b,
                      const ev_compare_options *opt, ev_error *err)
{
    *out = NULL;
    if (!(opt->alpha > 0 && opt->alpha < 1))
        return ev_error_set(err, EV_EINVAL, "--alpha: %g is not in (0, 1)", opt->alpha);
    if (!(opt->min_change >= 0) || !isfinite(opt->min_change))
        return ev_error_set(err, EV_EINVAL, "--min-change: %g is not a percentage >= 0",
                            opt->min_change);
    ev_compare_result *r = calloc(1, sizeof *r);
    if (!r)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    r->opt = *opt;
    if (r->opt.permutations < EV_REPORT_MIN_PERMUTATIONS)
        r->opt.permutations = EV_REPORT_MIN_PERMUTATIONS;
    snprintf(r->file_a, sizeof r->file_a, "%s",
             ev_report_set_file(a, 0) ? ev_report_set_file(a, 0) : "A");
    snprintf(r->file_b, sizeof r->file_b, "%s",
             ev_report_set_file(b, 0) ? ev_report_set_file(b, 0) : "B");
    r->records_a = ev_report__nok(a);
    r->records_b = ev_report__nok(b);
    r->failed_a = ev_report_set_nfailed(a);
    r->failed_b = ev_report_set_nfailed(b);

    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    size_t maxn = 1;
    for (size_t i = 0; i < ev_report_set_npoints(a); i++)
        if (ev_report_set_point(a, i)->n > maxn)
            maxn = ev_report_set_point(a, i)->n;
    for (size_t i = 0; i < ev_report_set_npoints(b); i++)
        if (ev_report_set_point(b, i)->n > maxn)
            maxn = ev_report_set_point(b, i)->n;
    double *va = malloc(maxn * sizeof *va), *vb = malloc(maxn * sizeof *vb);
    int rc = EV_OK;
    if (!rng || !va || !vb) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto fail;
    }
    gsl_rng_set(rng, opt->seed);

    size_t cap = 0;
    for (size_t i = 0; i < ev_report_set_npoints(a); i++) {
        const ev_report_point *pa = ev_report_set_point(a, i);
        const ev_report_point *pb = ev_report_set_find(b, &pa->key);
        if (!pb) {
            if (ev_report__push_key(&r->only_a, &r->nonly_a, &pa->key))
                goto nomem;
            continue;
        }
        if (pa->recs[0]->r.key_size != pb->recs[0]->r.key_size) {
            char kb[256];
            ev_report_key_format(kb, sizeof kb, &pa->key);
            rc = ev_error_set(err, EV_ESCHEMA,
                              "%s:%d: workload.key_size: %u, but %u in %s:%d for the same point "
                              "(%s): the runs did not measure the same workload",
                              pb->recs[0]->file, pb->recs[0]->line,
                              (unsigned)pb->recs[0]->r.key_size,
                              (unsigned)pa->recs[0]->r.key_size, pa->recs[0]->file,
                              pa->recs[0]->line, kb);
            goto fail;
        }
        r->nmatched++;
        if (pa->n < 2 || pb->n < 2)
            r->nuntestable++;
        for (int m = 0; m < EV_RM_COUNT; m++) {
            ev_compare_row row;
            int skip;
            rc = ev_report__one(&row, &skip, pa, pb, m, &r->opt, rng, va, vb, err);
            if (rc)
                goto fail;
            if (skip)
                continue;
            if (ev_report__push_row(r, &cap, &row))
                goto nomem;
            r->nsignificant += (size_t)row.significant;
            r->nregressions += (size_t)row.regression;
        }
    }
    for (size_t i = 0; i < ev_report_set_npoints(b); i++) {
        const ev_report_point *pb = ev_report_set_point(b, i);
        if (!ev_report_set_find(a, &pb->key) &&
            ev_report__push_key(&r->only_b, &r->nonly_b, &pb->key))
            goto nomem;
    }
    if (r->nmatched == 0) {
        rc = ev_error_set(err, EV_ESCHEMA,
                          "%s and %s have no point in common (points match by platform, op, "
                          "value size, clients, pipeline, MTU and link rate)",
                          r->file_a, r->file_b);
        goto fail;
    }
    gsl_rng_free(rng);
    free(va);
    free(vb);
    *out = r;
    return EV_OK;
nomem:
    rc = ev_error_set(err, EV_ENOMEM, "out of memory");
fail:
    gsl_rng_free(rng);
    free(va);
    free(vb);
    ev_compare_result_free(r);
    return rc;
}
