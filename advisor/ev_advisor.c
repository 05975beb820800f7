/* ev_advisor.c - the advisor computation (see ev_advisor.h): the Monte Carlo per platform and
 * the ranking; the explanation is in ev_advisor_explain.c, the size sweep in ev_advisor_sweep.c. */
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

void ev_adv__mix_one(mixbuf *mb, double size, double get_ratio)
{
    double w = 1;
    mix_of_sizes(mb, &size, &w, 1, get_ratio);
}

ev_conditions ev_adv__cond_of(const ev_profile *p)
{
    ev_conditions c = EV_CONDITIONS_INIT;
    c.key_size = p->key_size;
    c.mtu = p->mtu;
    c.link_rate_bps = p->link_rate_bps;
    c.clients = p->clients;
    c.pipeline = p->pipeline;
    return c;
}

double ev_adv__dsum(const double *v)
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
double ev_adv__metric(const ev_prediction *pr, const ev_profile *p)
{
    double d = ev_adv__dsum(pr->demand_s);
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
double ev_adv__sweep_metric(const ev_prediction *pr, const ev_profile *p)
{
    return ev_adv__metric(pr, p);
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* 2.5 % and 97.5 % quantiles (sorts v) */
void ev_adv__quant95(double *v, size_t n, double *lo, double *hi)
{
    qsort(v, n, sizeof *v, cmp_d);
    *lo = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.025);
    *hi = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.975);
}

int ev_adv__project(proj *pj, const ev_model *m, size_t mi, const ev_prediction *pr,
                    const ev_conditions *cond)
{
    const double *row = pr->row;
    int c, j, k;
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
        double d = ev_adv__dsum(pr->demand_s);
        if (fabs(pj->npar / (pj->rtt + d) - pr->x_client) > 1e-9 * pr->x_client)
            return EV_EMODEL;
    }
    return EV_OK;
}


static int simulate(ev_adv_platform *q, const ev_model *m, const ev_profile *p,
                    const ev_advisor_options *o, ev_error *err)
{
    ev_conditions cond = ev_adv__cond_of(p);
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
        cls[k].service_s = ev_adv__dsum(pr.demand_s);
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
    ev_conditions cond = ev_adv__cond_of(p);
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
        q->demand_us_total = ev_adv__dsum(q->demand_us);
        q->cpu_total = ev_adv__dsum(q->cpu);
        q->host_cpu = q->cpu[EV_CPU_USER] + q->cpu[EV_CPU_SYSTEM] + q->cpu[EV_CPU_SOFTIRQ];
        q->app_cpu = 100.0 - q->cpu_total;
        if (fabs(q->app_cpu) < 1e-9)
            q->app_cpu = 0; /* a saturated core: no "-0.0" from rounding */
        q->guest_share = q->demand_us_total > 0 ? 100.0 * q->demand_us[EV_CPU_GUEST] /
                                                      q->demand_us_total : 0;
        q->score = ev_adv__metric(&pr, p);
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
        if (ev_adv__project(&pjs[i], m, a->plat[i].model_index, &preds[i], &cond))
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
                rps = ev_adv__proj_draw(&pjs[i], rng, &dt);
                pr = preds[i];
                pr.rps = rps;
                {   /* the ev_adv__metric only reads rps and the total demand */
                    int c;
                    for (c = 0; c < EV_NCAT; c++)
                        pr.demand_s[c] = c == 0 ? dt : 0;
                }
            } else {
                if ((rc = ev_model_predict(&pr, draw, q->model_index, mb.item, mb.n, &cond, err)))
                    goto fail;
                rps = pr.rps;
                dt = ev_adv__dsum(pr.demand_s);
            }
            rs[i * o.draws + d] = rps;
            cs[i * o.draws + d] = 100.0 * (p->mode == EV_LOAD_OFFERED ? fmin(p->rate_rps, rps)
                                                                      : rps) * dt;
            sc[i] = ev_adv__metric(&pr, p);
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
        ev_adv__quant95(&rs[i * o.draws], o.draws, &q->rps_lo, &q->rps_hi);
        ev_adv__quant95(&cs[i * o.draws], o.draws, &q->cpu_lo, &q->cpu_hi);
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
    if (o.curves && (rc = ev_adv__do_sweep(a, m, rng, err)))
        goto fail;
    ev_adv__explain(a);
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
