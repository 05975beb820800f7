/* ev_advisor.c - the advisor computation (see ev_advisor.h). */
#include "ev_advisor.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

static const char *const cat_names[EV_NCAT] = { "user", "system", "softirq", "guest" };

/* ---- the mix of one profile ---- */
typedef struct mixbuf {
    ev_mix_item item[2 * EV_PROFILE_MAX_SIZES];
    size_t n;
} mixbuf;

static void mix_of_sizes(mixbuf *mb, const double *size, const double *w, size_t n,
                         double get_ratio)
{
    size_t i;
    mb->n = 0;
    for (i = 0; i < n; i++) {
        if (w[i] <= 0)
            continue;
        if (get_ratio > 0) {
            mb->item[mb->n].op = EV_OP_GET;
            mb->item[mb->n].value_size = size[i];
            mb->item[mb->n].weight = w[i] * get_ratio;
            mb->n++;
        }
        if (get_ratio < 1) {
            mb->item[mb->n].op = EV_OP_SET;
            mb->item[mb->n].value_size = size[i];
            mb->item[mb->n].weight = w[i] * (1 - get_ratio);
            mb->n++;
        }
    }
}

static void mix_of_profile(mixbuf *mb, const ev_profile *p)
{
    mix_of_sizes(mb, p->size, p->weight, p->nsizes, p->get_ratio);
}

static void mix_one(mixbuf *mb, double size, double get_ratio)
{
    double w = 1;
    mix_of_sizes(mb, &size, &w, 1, get_ratio);
}

static ev_conditions cond_of(const ev_profile *p)
{
    ev_conditions c = EV_CONDITIONS_INIT;
    c.key_size = p->key_size;
    c.mtu = p->mtu;
    c.link_rate_bps = p->link_rate_bps;
    c.clients = p->clients;
    c.pipeline = p->pipeline;
    return c;
}

static double dsum(const double *v)
{
    double s = 0;
    int c;
    for (c = 0; c < EV_NCAT; c++)
        s += v[c];
    return s;
}

/* The objective value of a prediction (higher is better); -INFINITY when the platform cannot
 * carry the offered rate. For the CPU objectives the value depends only on the demand per
 * request: CPU % at rate r is 100 r sum(D). */
static double metric(const ev_prediction *pr, const ev_profile *p)
{
    double d = dsum(pr->demand_s);
    if (p->mode == EV_LOAD_OFFERED && pr->rps < p->rate_rps)
        return -INFINITY;
    switch (p->objective) {
    case EV_OBJ_MIN_CPU:
        return -100.0 * p->rate_rps * d;
    case EV_OBJ_MAX_APP_CPU:
        return 100.0 - 100.0 * p->rate_rps * d;
    case EV_OBJ_MAX_RPS:
    default:
        return pr->rps;
    }
}

/* Metric for the size sweep: per-request view so that the sweep is meaningful for every size
 * (a CPU objective compares CPU per request; platforms that cannot carry the rate lose). */
static double sweep_metric(const ev_prediction *pr, const ev_profile *p)
{
    return metric(pr, p);
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* 2.5 % and 97.5 % quantiles (sorts v) */
static void quant95(double *v, size_t n, double *lo, double *hi)
{
    qsort(v, n, sizeof *v, cmp_d);
    *lo = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.025);
    *hi = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.975);
}

/* ---- projected Monte Carlo ----
 * For a fixed mix, the model's demand in category c is linear in that category's parameters:
 * D_c = row . theta_c (ev_model.h), with row = (GET share, SET share, packets, segments, bytes)
 * per request, and the categories are fitted independently. With theta_c ~ N(mu_c, Sigma_c)
 * (what ev_model_draw samples), D_c ~ N(row . mu_c, row' Sigma_c row) exactly; the model then
 * clamps negative demands at 0, and so do we. Drawing these 4 scalars per platform gives the
 * same distribution as drawing all parameters and predicting, at a fraction of the cost.
 * project() checks the reconstruction against the model's own point prediction and refuses
 * (the caller then uses ev_model_draw + ev_model_predict) if they differ. */
typedef struct proj {
    double m[EV_NCAT], s[EV_NCAT];
    double x_wire, npar, rtt;
} proj;

static int project(proj *pj, const ev_model *m, size_t mi, const ev_prediction *pr,
                   const mixbuf *mb, const ev_conditions *cond)
{
    double row[EV_NPARAM] = { 0 }, wsum = 0;
    size_t i;
    int c, j, k;
    if (strcmp(EV_MODEL_STRUCTURE, "ev-cost/1") != 0)
        return EV_EMODEL;
    for (i = 0; i < mb->n; i++)
        wsum += mb->item[i].weight;
    for (i = 0; i < mb->n; i++)
        row[mb->item[i].op == EV_OP_GET ? EV_PARAM_FIXED_GET : EV_PARAM_FIXED_SET] +=
            mb->item[i].weight / wsum;
    row[EV_PARAM_PER_PACKET] = pr->packets_per_req;
    row[EV_PARAM_PER_SEGMENT] = pr->segments_per_req;
    row[EV_PARAM_PER_BYTE] = pr->bytes_per_req;
    for (c = 0; c < EV_NCAT; c++) {
        ev_param_set ps;
        double mean = 0, var = 0;
        if (ev_model_params(&ps, m, mi, c))
            return EV_EMODEL;
        for (j = 0; j < EV_NPARAM; j++) {
            mean += row[j] * ps.value[j];
            for (k = 0; k < EV_NPARAM; k++)
                if (ps.identified[j] && ps.identified[k])
                    var += row[j] * row[k] * ps.cov[j * EV_NPARAM + k];
        }
        if (fabs(fmax(mean, 0) - pr->demand_s[c]) > 1e-9 * fmax(pr->demand_s[c], 1e-9) ||
            !(var >= 0))
            return EV_EMODEL;
        pj->m[c] = mean;
        pj->s[c] = sqrt(var);
    }
    pj->x_wire = pr->x_wire;
    pj->npar = cond->clients * cond->pipeline;
    pj->rtt = ev_model_client_rtt(m);
    /* the client bound must match the model's too */
    {
        double d = dsum(pr->demand_s);
        if (fabs(pj->npar / (pj->rtt + d) - pr->x_client) > 1e-9 * pr->x_client)
            return EV_EMODEL;
    }
    return EV_OK;
}

/* One draw: capacity (rps) and the total demand (s per request). */
static inline double proj_draw(const proj *pj, gsl_rng *rng, double *dtot)
{
    double d = 0, x;
    int c;
    for (c = 0; c < EV_NCAT; c++) {
        double v = pj->m[c] + (pj->s[c] > 0 ? pj->s[c] * gsl_ran_gaussian_ziggurat(rng, 1.0) : 0);
        d += v > 0 ? v : 0;
    }
    if (!(d > 1e-12))
        d = 1e-12;
    *dtot = d;
    x = 1.0 / d;
    if (pj->x_wire < x)
        x = pj->x_wire;
    if (pj->npar / (pj->rtt + d) < x)
        x = pj->npar / (pj->rtt + d);
    return x;
}

/* ---- explanation ---- */
static void addf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void addf(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;
    if (used + 1 >= len)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
}

static int is_lwip(const ev_adv_platform *q)
{
    return strcmp(q->stack, "lwip") == 0 || !q->offload;
}

static void explain(ev_advice *a)
{
    const ev_profile *p = &a->profile;
    const ev_adv_platform *b = &a->plat[0], *r = a->n > 1 ? &a->plat[1] : NULL;
    double mss = p->mtu - 52, above = 0;
    size_t i;
    int c, worst = 0;
    char *s = a->reason;
    size_t L = sizeof a->reason;

    s[0] = '\0';
    for (i = 0; i < p->nsizes; i++)
        if (p->size[i] + 16 > mss)
            above += p->weight[i];
    if (!a->have_best) {
        addf(s, L, "No platform meets the constraints:");
        for (i = 0; i < a->n; i++)
            addf(s, L, " %s: %s%s", a->plat[i].id, a->plat[i].why_not,
                 i + 1 < a->n ? ";" : ".");
        return;
    }
    if (p->objective == EV_OBJ_MAX_RPS)
        addf(s, L, "%s serves the most requests: %.0f/s (95 %% %.0f-%.0f), best in %.0f %% of "
             "the parameter draws.", b->id, b->rps, b->rps_lo, b->rps_hi, 100 * b->p_best);
    else
        addf(s, L, "%s uses the least CPU at %.0f requests/s: %.1f %% of one core, leaving "
             "%.1f %% to an application; best in %.0f %% of the parameter draws.", b->id,
             b->op_rate, b->cpu_total, b->app_cpu, 100 * b->p_best);
    /* driver path */
    if (b->path == EV_PATH_VHOST)
        addf(s, L, " Its vhost-net driver path moves packets in the host kernel, so each packet "
             "skips the hop through a userspace VMM (fewer mode switches and copies) that the "
             "virtio platforms pay for.");
    else if (b->path == EV_PATH_VIRTIO)
        addf(s, L, " It uses a userspace virtio backend (every packet passes through the VMM "
             "process); here that cost is outweighed by its other costs being lower.");
    /* segmentation */
    if (above >= 0.05) {
        int any_lwip = 0;
        for (i = 0; i < a->n; i++)
            any_lwip |= is_lwip(&a->plat[i]);
        if (is_lwip(b))
            addf(s, L, " %.0f %% of the values exceed one segment (MSS %.0f B), which %s must cut "
                 "in software (lwIP, no TSO/GSO: %.1f extra segments per request), yet it still "
                 "comes first.", 100 * above, mss, b->id, b->segments_per_req);
        else if (any_lwip)
            addf(s, L, " %.0f %% of the values exceed one segment (MSS %.0f B): the Unikraft "
                 "(lwIP) platforms cut them into ~1224 B packets in software without TSO/GSO, "
                 "while a Linux guest hands ~8 KB packets to the host, so the lwIP platforms "
                 "fall behind.", 100 * above, mss);
    } else if (is_lwip(b)) {
        addf(s, L, " Almost every value fits in one segment (MSS %.0f B), so lwIP's missing "
             "segmentation offload costs nothing here.", mss);
    }
    /* CPU split */
    addf(s, L, " Per request it spends %.1f us of CPU (user %.1f, system %.1f, softirq %.1f, "
         "guest %.1f)", b->demand_us_total, b->demand_us[0], b->demand_us[1], b->demand_us[2],
         b->demand_us[3]);
    if (r) {
        double dmax = 0;
        for (c = 0; c < EV_NCAT; c++)
            if (r->demand_us[c] - b->demand_us[c] > dmax) {
                dmax = r->demand_us[c] - b->demand_us[c];
                worst = c;
            }
        if (dmax > 0)
            addf(s, L, "; the runner-up %s spends %.1f us more in %s", r->id, dmax,
                 cat_names[worst]);
    }
    addf(s, L, ".");
    if (b->bound == EV_BOUND_WIRE)
        addf(s, L, " At saturation the %g Gbit/s link is the limit (%.0f requests/s; its CPU "
             "alone would allow %.0f).", p->link_rate_bps / 1e9, b->x_wire, b->x_cpu);
    else if (b->bound == EV_BOUND_CLIENT)
        addf(s, L, " At saturation the client (%g connections x pipeline %g) is the limit; the "
             "CPU alone would allow %.0f requests/s.", p->clients, p->pipeline, b->x_cpu);
    else
        addf(s, L, " At saturation its one core is the limit, the largest share going to %s.",
             cat_names[b->bound_cat >= 0 && b->bound_cat < EV_NCAT ? b->bound_cat : 0]);
    if (p->objective == EV_OBJ_MAX_APP_CPU) {
        const ev_adv_platform *g = b;
        for (i = 0; i < a->n; i++)
            if (a->plat[i].guest_share > g->guest_share)
                g = &a->plat[i];
        if (g != b)
            addf(s, L, " Note: %s runs the largest share of its CPU inside the microVM (%.0f %% "
                 "guest vs %.0f %% for %s), the paper's reading of 'more CPU for the "
                 "application' (S4); counted as headroom left on the core, %s leaves %.1f %% "
                 "and %s %.1f %%.", g->id, g->guest_share, b->guest_share, b->id, b->id,
                 b->app_cpu, g->id, g->app_cpu);
    }
}

/* ---- size sweep ---- */
static int predict_one(ev_prediction *pr, const ev_model *m, size_t mi, double size,
                       double get_ratio, const ev_conditions *cond, ev_error *err)
{
    mixbuf mb;
    mix_one(&mb, size, get_ratio);
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
        v = sweep_metric(&pr, &a->profile);
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
        double vi = sweep_metric(&pi, &a->profile), vj = sweep_metric(&pj, &a->profile);
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

static int do_sweep(ev_advice *a, const ev_model *m, gsl_rng *rng, ev_error *err)
{
    const ev_profile *p = &a->profile;
    ev_conditions cond = cond_of(p);
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
            a->curve_cpu_us[i][g] = 1e6 * dsum(pr.demand_s);
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
                mix_one(&mb, a->grid[g], p->get_ratio);
                if ((rc = ev_model_predict(&pr, m, a->plat[i].model_index, mb.item, mb.n, &cond,
                                           err))) {
                    free(pg);
                    goto out;
                }
                if (project(&pg[i * EV_ADV_NGRID + g], m, a->plat[i].model_index, &pr, &mb,
                            &cond))
                    projected = 0;
            }
        if (projected) {
            for (i = 0; i < a->n * EV_ADV_NGRID; i++)
                for (d = 0; d < nd; d++) {
                    double dt;
                    vals[i * nd + d] = proj_draw(&pg[i], rng, &dt);
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
                quant95(v, nd, &a->curve_lo[i][g], &a->curve_hi[i][g]);
            }
    }
    /* pairwise crossovers on the objective metric */
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
static int simulate(ev_adv_platform *q, const ev_model *m, const ev_profile *p,
                    const ev_advisor_options *o, ev_error *err)
{
    ev_conditions cond = cond_of(p);
    ev_des_class cls[2 * EV_PROFILE_MAX_SIZES];
    ev_des_options dopt = EV_DES_OPTIONS_INIT;
    mixbuf mb;
    size_t k;
    int rc;
    mix_of_profile(&mb, p);
    for (k = 0; k < mb.n; k++) {
        ev_prediction pr;
        if ((rc = ev_model_predict(&pr, m, q->model_index, &mb.item[k], 1, &cond, err)))
            return rc;
        cls[k].service_s = dsum(pr.demand_s);
        cls[k].weight = mb.item[k].weight;
    }
    dopt.rate_rps = p->rate_rps;
    dopt.arrival = p->arrival;
    dopt.on_s = p->on_s;
    dopt.off_s = p->off_s;
    dopt.batch = p->batch;
    dopt.requests = o->des_requests;
    dopt.warmup = o->des_requests / 20;
    dopt.seed = o->seed;
    if ((rc = ev_des_run(&q->des, cls, mb.n, &dopt, err)))
        return rc;
    q->des_done = 1;
    return EV_OK;
}

static int cmp_rank(const void *x, const void *y)
{
    const ev_adv_platform *a = x, *b = y;
    if (a->feasible != b->feasible)
        return b->feasible - a->feasible;
    if (!a->feasible && a->rps != b->rps) /* the excluded ones: most capacity first */
        return a->rps < b->rps ? 1 : -1;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return strcmp(a->id, b->id);
}

int ev_advisor_run(ev_advice **out, const ev_model *m, int model_is_default,
                   const ev_profile *p, const ev_advisor_options *opt, ev_error *err)
{
    ev_advisor_options o = EV_ADVISOR_OPTIONS_INIT;
    ev_conditions cond = cond_of(p);
    ev_advice *a;
    mixbuf mb;
    gsl_rng *rng = NULL;
    ev_model *draw = NULL;
    double *rs = NULL, *cs = NULL, *sc = NULL;
    size_t *wins = NULL;
    size_t i, d, np;
    ev_prediction preds[EV_ADV_MAX_PLAT];
    proj pjs[EV_ADV_MAX_PLAT];
    int rc = EV_OK;

    *out = NULL;
    if (opt)
        o = *opt;
    if (o.draws < 10)
        return ev_error_set(err, EV_EINVAL, "--draws must be >= 10, got %zu", o.draws);
    if (o.des_requests < 1000)
        o.des_requests = 1000;
    gsl_set_error_handler_off();
    a = calloc(1, sizeof *a);
    if (!a)
        return ev_error_set(err, EV_ENOMEM, "advisor: out of memory");
    a->profile = *p;
    a->opt = o;
    snprintf(a->model_name, sizeof a->model_name, "%s", ev_model_name(m));
    a->model_is_default = model_is_default;
    a->model_reconstructed = ev_model_source(m) == EV_SOURCE_RECONSTRUCTED;
    a->mc_projected = !o.mc_general;

    /* platforms */
    np = ev_model_nplatforms(m);
    if (p->nplatforms) {
        for (i = 0; i < p->nplatforms; i++) {
            int k = ev_model_find(m, p->platforms[i]);
            if (k < 0) {
                rc = ev_error_set(err, EV_ENOENT, "%s: platforms: \"%s\" is not in model \"%s\"",
                                  p->source, p->platforms[i], a->model_name);
                goto fail;
            }
            a->plat[a->n++].model_index = (size_t)k;
        }
    } else {
        for (i = 0; i < np && a->n < EV_ADV_MAX_PLAT; i++)
            a->plat[a->n++].model_index = i;
    }
    if (a->n == 0) {
        rc = ev_error_set(err, EV_EINVAL, "model \"%s\" has no platforms", a->model_name);
        goto fail;
    }
    mix_of_profile(&mb, p);

    /* point predictions */
    for (i = 0; i < a->n; i++) {
        ev_adv_platform *q = &a->plat[i];
        ev_platform_info pi;
        ev_prediction pr;
        int c;
        if ((rc = ev_model_platform(&pi, m, q->model_index)) ||
            (rc = ev_model_predict(&pr, m, q->model_index, mb.item, mb.n, &cond, err)))
            goto fail;
        preds[i] = pr;
        snprintf(q->id, sizeof q->id, "%s", pi.id);
        snprintf(q->stack, sizeof q->stack, "%s", pi.stack ? pi.stack : "");
        q->path = pi.path;
        q->offload = pi.offload;
        q->rps = pr.rps;
        q->rps_dm_lo = pr.rps_lo;
        q->rps_dm_hi = pr.rps_hi;
        q->bound = pr.bound;
        q->bound_cat = pr.bound_cat;
        snprintf(q->bottleneck, sizeof q->bottleneck, "%s", ev_bound_name(pr.bound, pr.bound_cat));
        q->x_cpu = pr.x_cpu;
        q->x_wire = pr.x_wire;
        q->x_client = pr.x_client;
        q->segments_per_req = pr.segments_per_req;
        q->packets_per_req = pr.packets_per_req;
        q->wire_bytes_per_req = pr.wire_bytes_per_req;
        /* an offered rate above capacity cannot be served: the core saturates at capacity */
        q->op_rate = p->mode == EV_LOAD_OFFERED ? fmin(p->rate_rps, pr.rps) : pr.rps;
        for (c = 0; c < EV_NCAT; c++) {
            q->demand_us[c] = 1e6 * pr.demand_s[c];
            q->sat_cpu[c] = pr.cpu[c];
            q->cpu[c] = 100.0 * q->op_rate * pr.demand_s[c];
        }
        q->demand_us_total = dsum(q->demand_us);
        q->cpu_total = dsum(q->cpu);
        q->host_cpu = q->cpu[EV_CPU_USER] + q->cpu[EV_CPU_SYSTEM] + q->cpu[EV_CPU_SOFTIRQ];
        q->app_cpu = 100.0 - q->cpu_total;
        if (fabs(q->app_cpu) < 1e-9)
            q->app_cpu = 0; /* a saturated core: no "-0.0" from rounding */
        q->guest_share = q->demand_us_total > 0 ? 100.0 * q->demand_us[EV_CPU_GUEST] /
                                                      q->demand_us_total : 0;
        q->score = metric(&pr, p);
        q->feasible = 1;
        if (p->mode == EV_LOAD_OFFERED && pr.rps < p->rate_rps) {
            q->feasible = 0;
            snprintf(q->why_not, sizeof q->why_not, "capacity %.0f/s is below the offered "
                     "%.0f/s, limit %s", pr.rps, p->rate_rps,
                     ev_bound_name(pr.bound, pr.bound_cat));
        } else if (p->min_rps > 0 && pr.rps < p->min_rps) {
            q->feasible = 0;
            snprintf(q->why_not, sizeof q->why_not, "capacity %.0f/s is below min_rps %.0f",
                     pr.rps, p->min_rps);
        } else if (p->max_cpu_pct > 0 && q->cpu_total > p->max_cpu_pct) {
            q->feasible = 0;
            snprintf(q->why_not, sizeof q->why_not, "CPU %.1f %% exceeds max_cpu_pct %.1f %%",
                     q->cpu_total, p->max_cpu_pct);
        }
    }

    /* Monte Carlo over the parameter covariance */
    rng = gsl_rng_alloc(gsl_rng_mt19937);
    rs = malloc(o.draws * a->n * sizeof *rs);
    cs = malloc(o.draws * a->n * sizeof *cs);
    sc = malloc(a->n * sizeof *sc);
    wins = calloc(a->n, sizeof *wins);
    if (!rng || !rs || !cs || !sc || !wins) {
        rc = ev_error_set(err, EV_ENOMEM, "advisor: out of memory");
        goto fail;
    }
    gsl_rng_set(rng, o.seed);
    for (i = 0; i < a->n && a->mc_projected; i++)
        if (project(&pjs[i], m, a->plat[i].model_index, &preds[i], &mb, &cond))
            a->mc_projected = 0;
    if (!a->mc_projected && (rc = ev_model_clone(&draw, m))) {
        ev_error_set(err, rc, "advisor: cannot copy the model");
        goto fail;
    }
    for (d = 0; d < o.draws; d++) {
        double best = -INFINITY;
        int bi = -1;
        if (!a->mc_projected && (rc = ev_model_draw(draw, m, rng, err)))
            goto fail;
        for (i = 0; i < a->n; i++) {
            ev_prediction pr;
            const ev_adv_platform *q = &a->plat[i];
            double rps, dt;
            if (a->mc_projected) {
                rps = proj_draw(&pjs[i], rng, &dt);
                pr = preds[i];
                pr.rps = rps;
                {   /* the metric only reads rps and the total demand */
                    int c;
                    for (c = 0; c < EV_NCAT; c++)
                        pr.demand_s[c] = c == 0 ? dt : 0;
                }
            } else {
                if ((rc = ev_model_predict(&pr, draw, q->model_index, mb.item, mb.n, &cond, err)))
                    goto fail;
                rps = pr.rps;
                dt = dsum(pr.demand_s);
            }
            rs[i * o.draws + d] = rps;
            cs[i * o.draws + d] = 100.0 * (p->mode == EV_LOAD_OFFERED ? fmin(p->rate_rps, rps)
                                                                      : rps) * dt;
            sc[i] = metric(&pr, p);
            /* constraints, per draw */
            if ((p->min_rps > 0 && rps < p->min_rps) ||
                (p->max_cpu_pct > 0 && cs[i * o.draws + d] > p->max_cpu_pct))
                sc[i] = -INFINITY;
            if (sc[i] > best) {
                best = sc[i];
                bi = (int)i;
            }
        }
        if (bi >= 0) {
            wins[bi]++;
            a->mc_draws_used++;
        }
    }
    for (i = 0; i < a->n; i++) {
        ev_adv_platform *q = &a->plat[i];
        quant95(&rs[i * o.draws], o.draws, &q->rps_lo, &q->rps_hi);
        quant95(&cs[i * o.draws], o.draws, &q->cpu_lo, &q->cpu_hi);
        q->app_cpu_lo = 100.0 - q->cpu_hi;
        q->app_cpu_hi = 100.0 - q->cpu_lo;
        q->p_best = a->mc_draws_used ? (double)wins[i] / (double)a->mc_draws_used : 0;
    }

    /* open load: simulate each platform that can carry the rate */
    if (p->mode == EV_LOAD_OFFERED)
        for (i = 0; i < a->n; i++)
            if (a->plat[i].rps > p->rate_rps &&
                (rc = simulate(&a->plat[i], m, p, &o, err)))
                goto fail;

    /* rank, then everything that refers to plat[] by index */
    qsort(a->plat, a->n, sizeof a->plat[0], cmp_rank);
    a->have_best = a->plat[0].feasible;
    snprintf(a->recommendation, sizeof a->recommendation, "%.47s",
             a->have_best ? a->plat[0].id : "none");
    if (o.curves && (rc = do_sweep(a, m, rng, err)))
        goto fail;
    explain(a);
    goto done;
fail:
    ev_advice_free(a);
    a = NULL;
done:
    gsl_rng_free(rng);
    ev_model_free(draw);
    free(rs);
    free(cs);
    free(sc);
    free(wins);
    *out = a;
    return rc;
}

void ev_advice_free(ev_advice *a)
{
    free(a);
}
