/* ev_advisor_sweep.c - the advisor's sweep over value sizes: the best platform per size and
 * the sizes where the ranking changes (bisected), with their uncertainty. */
#include "ev_advisor.h"
#include "ev_advisor_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
static int predict_one(ev_prediction *pr, const ev_model *m, size_t mi, double size,
                       double get_ratio, const ev_conditions *cond, ev_error *err)
{
    mixbuf mb;
    ev_adv__mix_one(&mb, size, get_ratio);
    return ev_model_predict(pr, m, mi, mb.item, mb.n, cond, err);
}

static int sweep_best(int *best, const ev_advice *a, const ev_model *m, double size,
                      double get_ratio, const ev_conditions *cond, ev_error *err)
{
    double bv = -INFINITY;
    size_t i;
    int rc;
    *best = -1;
    for (i = 0; i < a->n; i++) {
        ev_prediction pr;
        double v;
        if ((rc = predict_one(&pr, m, a->plat[i].model_index, size, get_ratio, cond, err)))
            return rc;
        v = ev_adv__sweep_metric(&pr, &a->profile);
        if (v > bv) {
            bv = v;
            *best = (int)i;
        }
    }
    return EV_OK;
}

/* metric_i - metric_j at one size */
static int pair_diff(double *d, const ev_advice *a, const ev_model *m, size_t i, size_t j,
                     double size, const ev_conditions *cond, ev_error *err)
{
    ev_prediction pi, pj;
    int rc;
    if ((rc = predict_one(&pi, m, a->plat[i].model_index, size, a->profile.get_ratio, cond, err)) ||
        (rc = predict_one(&pj, m, a->plat[j].model_index, size, a->profile.get_ratio, cond, err)))
        return rc;
    {
        double vi = ev_adv__sweep_metric(&pi, &a->profile), vj = ev_adv__sweep_metric(&pj, &a->profile);
        if (isinf(vi) && isinf(vj))
            *d = 0;
        else
            *d = vi - vj;
    }
    return EV_OK;
}

/* Bisect (in log size) the flip of sign of metric_i - metric_j between lo and hi. */
static int bisect(double *at, const ev_advice *a, const ev_model *m, size_t i, size_t j,
                  double lo, double hi, const ev_conditions *cond, ev_error *err)
{
    double dlo, dmid;
    int k, rc;
    if ((rc = pair_diff(&dlo, a, m, i, j, lo, cond, err)))
        return rc;
    for (k = 0; k < 40; k++) {
        double mid = sqrt(lo * hi);
        if ((rc = pair_diff(&dmid, a, m, i, j, mid, cond, err)))
            return rc;
        if ((dmid > 0) == (dlo > 0)) {
            lo = mid;
            dlo = dmid;
        } else {
            hi = mid;
        }
        if (hi / lo < 1.0005)
            break;
    }
    *at = sqrt(lo * hi);
    return EV_OK;
}

int ev_adv__do_sweep(ev_advice *a, const ev_model *m, gsl_rng *rng, ev_error *err)
{
    const ev_profile *p = &a->profile;
    ev_conditions cond = ev_adv__cond_of(p);
    size_t g, i, j, d, nd = a->opt.curve_draws;
    double *vals = NULL;
    ev_model *draw = NULL;
    int rc = EV_OK;

    for (g = 0; g < EV_ADV_NGRID; g++)
        a->grid[g] = 16.0 * pow(2.0, 0.5 * (double)g);
    for (i = 0; i < a->n; i++)
        for (g = 0; g < EV_ADV_NGRID; g++) {
            ev_prediction pr;
            if ((rc = predict_one(&pr, m, a->plat[i].model_index, a->grid[g], p->get_ratio,
                                  &cond, err)))
                return rc;
            a->curve[i][g] = pr.rps;
            a->curve_lo[i][g] = a->curve_hi[i][g] = pr.rps;
            a->curve_cpu_us[i][g] = 1e6 * ev_adv__dsum(pr.demand_s);
        }
    /* interval bands from parameter draws */
    if (nd >= 10) {
        int projected = a->mc_projected;
        proj *pg = malloc(a->n * EV_ADV_NGRID * sizeof *pg);
        vals = malloc(nd * a->n * EV_ADV_NGRID * sizeof *vals);
        if (!vals || !pg) {
            free(pg);
            goto out;
        }
        for (i = 0; projected && i < a->n; i++)
            for (g = 0; projected && g < EV_ADV_NGRID; g++) {
                ev_prediction pr;
                mixbuf mb;
                ev_adv__mix_one(&mb, a->grid[g], p->get_ratio);
                if ((rc = ev_model_predict(&pr, m, a->plat[i].model_index, mb.item, mb.n, &cond,
                                           err))) {
                    free(pg);
                    goto out;
                }
                if (ev_adv__project(&pg[i * EV_ADV_NGRID + g], m, a->plat[i].model_index, &pr,
                                    &cond))
                    projected = 0;
            }
        if (projected) {
            for (i = 0; i < a->n * EV_ADV_NGRID; i++)
                for (d = 0; d < nd; d++) {
                    double dt;
                    vals[i * nd + d] = ev_adv__proj_draw(&pg[i], rng, &dt);
                }
        }
        free(pg);
        if (!projected && (rc = ev_model_clone(&draw, m)))
            goto out;
        for (d = 0; !projected && d < nd; d++) {
            if ((rc = ev_model_draw(draw, m, rng, err)))
                goto out;
            for (i = 0; i < a->n; i++)
                for (g = 0; g < EV_ADV_NGRID; g++) {
                    ev_prediction pr;
                    if ((rc = predict_one(&pr, draw, a->plat[i].model_index, a->grid[g],
                                          p->get_ratio, &cond, err)))
                        goto out;
                    vals[(i * EV_ADV_NGRID + g) * nd + d] = pr.rps;
                }
        }
        for (i = 0; i < a->n; i++)
            for (g = 0; g < EV_ADV_NGRID; g++) {
                double *v = &vals[(i * EV_ADV_NGRID + g) * nd];
                ev_adv__quant95(v, nd, &a->curve_lo[i][g], &a->curve_hi[i][g]);
            }
    }
    /* pairwise crossovers on the objective ev_adv__metric */
    a->ncross = 0;
    for (i = 0; i < a->n; i++)
        for (j = i + 1; j < a->n; j++) {
            double prev = 0;
            for (g = 0; g < EV_ADV_NGRID; g++) {
                double dd;
                if ((rc = pair_diff(&dd, a, m, i, j, a->grid[g], &cond, err)))
                    goto out;
                if (g > 0 && dd != 0 && prev != 0 && (dd > 0) != (prev > 0) &&
                    a->ncross < EV_ADV_MAX_CROSS) {
                    ev_adv_crossover *x = &a->cross[a->ncross++];
                    x->a = i;
                    x->b = j;
                    x->better_below = prev > 0 ? i : j;
                    if ((rc = bisect(&x->size, a, m, i, j, a->grid[g - 1], a->grid[g], &cond,
                                     err)))
                        goto out;
                }
                if (dd != 0)
                    prev = dd;
            }
        }
    /* who wins where */
    {
        int cur = -2;
        double from = a->grid[0];
        a->nwins = 0;
        for (g = 0; g < EV_ADV_NGRID; g++) {
            int b;
            if ((rc = sweep_best(&b, a, m, a->grid[g], p->get_ratio, &cond, err)))
                goto out;
            if (b != cur) {
                if (cur >= 0 && a->nwins < EV_ADV_MAX_WINS) {
                    double at = sqrt(a->grid[g - 1] * a->grid[g]);
                    /* no winner beyond (nobody carries the rate): stop halfway */
                    if (b >= 0 && (rc = bisect(&at, a, m, (size_t)cur, (size_t)b, a->grid[g - 1],
                                               a->grid[g], &cond, err)))
                        goto out;
                    a->wins[a->nwins].plat = (size_t)cur;
                    a->wins[a->nwins].from = from;
                    a->wins[a->nwins].to = at;
                    a->nwins++;
                    from = at;
                }
                cur = b;
            }
        }
        if (cur >= 0 && a->nwins < EV_ADV_MAX_WINS) {
            a->wins[a->nwins].plat = (size_t)cur;
            a->wins[a->nwins].from = from;
            a->wins[a->nwins].to = a->grid[EV_ADV_NGRID - 1];
            a->nwins++;
        }
    }
    /* decision map: size x GET ratio */
    for (j = 0; j < EV_ADV_MAP_NY; j++) {
        a->map_y[j] = (double)j / (EV_ADV_MAP_NY - 1);
        for (g = 0; g < EV_ADV_NGRID; g++)
            if ((rc = sweep_best(&a->map[j][g], a, m, a->grid[g], a->map_y[j], &cond, err)))
                goto out;
    }
    a->have_curves = 1;
out:
    if (!rc && (!vals && nd >= 10))
        rc = ev_error_set(err, EV_ENOMEM, "advisor: out of memory");
    free(vals);
    ev_model_free(draw);
    return rc;
}

/* ---- the simulation of one platform ---- */
