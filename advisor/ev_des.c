/* ev_des.c - see ev_des.h. */
#include "ev_des.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

/* ---- Walker alias table for the request classes ---- */
typedef struct alias {
    size_t n;
    double *prob;
    size_t *alias;
    double *service;
} alias;

static void alias_free(alias *a)
{
    free(a->prob);
    free(a->alias);
    free(a->service);
}

static int alias_init(alias *a, const ev_des_class *cls, size_t n, double *mean_s)
{
    double total = 0, m = 0;
    size_t i, ns = 0, nl = 0, *small, *large;
    memset(a, 0, sizeof *a);
    for (i = 0; i < n; i++)
        total += cls[i].weight;
    a->n = n;
    a->prob = malloc(n * sizeof *a->prob);
    a->alias = malloc(n * sizeof *a->alias);
    a->service = malloc(n * sizeof *a->service);
    small = malloc(2 * n * sizeof *small);
    if (!a->prob || !a->alias || !a->service || !small) {
        free(small);
        alias_free(a);
        return EV_ENOMEM;
    }
    large = small + n;
    for (i = 0; i < n; i++) {
        a->prob[i] = cls[i].weight / total * (double)n;
        a->alias[i] = i;
        a->service[i] = cls[i].service_s;
        m += cls[i].weight / total * cls[i].service_s;
        if (a->prob[i] < 1.0)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    while (ns && nl) {
        size_t s = small[--ns], l = large[nl - 1];
        a->alias[s] = l;
        a->prob[l] -= 1.0 - a->prob[s];
        if (a->prob[l] < 1.0) {
            nl--;
            small[ns++] = l;
        }
    }
    while (nl)
        a->prob[large[--nl]] = 1.0;
    while (ns)
        a->prob[small[--ns]] = 1.0;
    free(small);
    *mean_s = m;
    return EV_OK;
}

static inline double alias_sample(const alias *a, double u)
{
    double x = u * (double)a->n;
    size_t i = (size_t)x;
    if (i >= a->n)
        i = a->n - 1;
    return (x - (double)i) < a->prob[i] ? a->service[i] : a->service[a->alias[i]];
}

/* ---- log-linear histogram of nanoseconds: 64 sub-buckets per power of two ---- */
#define SUB_BITS 6
#define SUB (1u << SUB_BITS)
#define NBUCKETS ((64 - SUB_BITS + 1) * SUB)

static inline size_t bucket_of(uint64_t v)
{
    unsigned e;
    if (v < SUB)
        return (size_t)v;
    e = 63u - (unsigned)__builtin_clzll(v); /* position of the top bit, >= SUB_BITS */
    return (size_t)(e - SUB_BITS + 1) * SUB + (size_t)((v >> (e - SUB_BITS)) & (SUB - 1));
}

/* Midpoint of a bucket (ns). */
static double bucket_mid(size_t b)
{
    size_t blk = b / SUB, sub = b % SUB;
    double lo, width;
    if (blk == 0)
        return (double)b;
    lo = ldexp((double)(SUB + sub), (int)blk - 1);
    width = ldexp(1.0, (int)blk - 1);
    return lo + width / 2;
}

/* ---- the arrival process ---- */
typedef struct arrivals {
    gsl_rng *rng;
    ev_arrival kind;
    double rate;        /* Poisson rate of arrival events (on-rate or batch rate) */
    double on_mean, off_mean;
    double on_end;      /* onoff: end of the current ON period */
    uint64_t batch, left; /* batch: requests left in the current batch */
    double t;
} arrivals;

static inline double expo(gsl_rng *r, double mean)
{
    return -mean * log(gsl_rng_uniform_pos(r));
}

static inline double next_arrival(arrivals *a)
{
    switch (a->kind) {
    case EV_ARR_BATCH:
        if (a->left == 0) {
            a->t += expo(a->rng, 1.0 / a->rate);
            a->left = a->batch;
        }
        a->left--;
        return a->t;
    case EV_ARR_ONOFF:
        for (;;) {
            double cand = a->t + expo(a->rng, 1.0 / a->rate);
            if (cand <= a->on_end) {
                a->t = cand;
                return a->t;
            }
            /* the ON period ends before the next arrival: skip an OFF period and draw again
             * from the new ON period (memoryless) */
            a->t = a->on_end + (a->off_mean > 0 ? expo(a->rng, a->off_mean) : 0.0);
            a->on_end = a->t + expo(a->rng, a->on_mean);
        }
    case EV_ARR_POISSON:
    default:
        a->t += expo(a->rng, 1.0 / a->rate);
        return a->t;
    }
}

static int check(const ev_des_class *cls, size_t ncls, const ev_des_options *o, ev_error *err)
{
    size_t i;
    double w = 0;
    if (!cls || ncls == 0)
        return ev_error_set(err, EV_EINVAL, "simulation: no request classes");
    for (i = 0; i < ncls; i++) {
        if (!(cls[i].service_s >= 0) || !isfinite(cls[i].service_s) || !(cls[i].weight >= 0))
            return ev_error_set(err, EV_EINVAL, "simulation: class %zu: bad service time or "
                                "weight", i);
        w += cls[i].weight;
    }
    if (!(w > 0))
        return ev_error_set(err, EV_EINVAL, "simulation: weights sum to 0");
    if (!(o->rate_rps > 0) || !isfinite(o->rate_rps) || o->requests == 0)
        return ev_error_set(err, EV_EINVAL, "simulation: rate must be > 0 and requests >= 1");
    if (o->arrival == EV_ARR_ONOFF && (!(o->on_s > 0) || !(o->off_s >= 0)))
        return ev_error_set(err, EV_EINVAL, "simulation: on_s must be > 0, off_s >= 0");
    if (o->arrival == EV_ARR_BATCH && !(o->batch >= 1))
        return ev_error_set(err, EV_EINVAL, "simulation: batch must be >= 1");
    return EV_OK;
}

static int setup(arrivals *a, alias *al, double *mean_s, const ev_des_class *cls, size_t ncls,
                 const ev_des_options *o)
{
    memset(a, 0, sizeof *a);
    if (alias_init(al, cls, ncls, mean_s))
        return EV_ENOMEM;
    a->rng = gsl_rng_alloc(gsl_rng_taus2);
    if (!a->rng) {
        alias_free(al);
        return EV_ENOMEM;
    }
    gsl_rng_set(a->rng, o->seed);
    a->kind = o->arrival;
    a->rate = o->rate_rps;
    if (o->arrival == EV_ARR_ONOFF) {
        a->on_mean = o->on_s;
        a->off_mean = o->off_s;
        a->rate = o->rate_rps * (o->on_s + o->off_s) / o->on_s;
        a->on_end = expo(a->rng, o->on_s);
    } else if (o->arrival == EV_ARR_BATCH) {
        a->batch = (uint64_t)llround(o->batch);
        if (a->batch < 1)
            a->batch = 1;
        a->rate = o->rate_rps / (double)a->batch;
    }
    return EV_OK;
}

typedef struct sink {
    uint64_t *hist;     /* histogram mode */
    double *all;        /* naive mode */
    uint64_t n;
    double sum, sum_wait, max;
} sink;

/* The simulation loop shared by both variants (the sink decides how sojourns are kept). */
static void simulate(ev_des_result *out, arrivals *a, const alias *al, double mean_s,
                     const ev_des_options *o, sink *s)
{
    uint64_t i, total = o->warmup + o->requests;
    double dep = 0, busy = 0, t_start = 0;
    for (i = 0; i < total; i++) {
        double t = next_arrival(a);
        double svc = alias_sample(al, gsl_rng_uniform(a->rng));
        double start = t > dep ? t : dep;
        double soj;
        dep = start + svc;
        if (i < o->warmup) {
            t_start = t;
            continue;
        }
        if (i == o->warmup && o->warmup == 0)
            t_start = 0;
        soj = dep - t;
        busy += svc;
        s->sum += soj;
        s->sum_wait += start - t;
        if (soj > s->max)
            s->max = soj;
        if (s->hist) {
            double ns = soj * 1e9;
            uint64_t v = ns < 1.8e19 ? (uint64_t)ns : UINT64_MAX;
            s->hist[bucket_of(v)]++;
        } else {
            s->all[s->n] = soj;
        }
        s->n++;
    }
    memset(out, 0, sizeof *out);
    out->requests = o->requests;
    out->sim_time_s = (dep > a->t ? dep : a->t) - t_start;
    out->utilization = out->sim_time_s > 0 ? busy / out->sim_time_s : 0;
    if (out->utilization > 1)
        out->utilization = 1;
    out->offered_util = o->rate_rps * mean_s;
    out->unstable = out->offered_util >= 1.0;
    out->mean_s = s->sum / (double)s->n;
    out->mean_wait_s = s->sum_wait / (double)s->n;
    out->max_s = s->max;
}

static double hist_quantile(const uint64_t *h, uint64_t n, double q, double max_s)
{
    uint64_t target = (uint64_t)ceil(q * (double)n), acc = 0;
    size_t b;
    if (target < 1)
        target = 1;
    for (b = 0; b < NBUCKETS; b++) {
        acc += h[b];
        if (acc >= target) {
            double v = bucket_mid(b) * 1e-9;
            return v < max_s ? v : max_s;
        }
    }
    return max_s;
}

int ev_des_run(ev_des_result *out, const ev_des_class *cls, size_t ncls,
               const ev_des_options *opt, ev_error *err)
{
    arrivals a;
    alias al;
    sink s;
    double mean_s;
    int rc = check(cls, ncls, opt, err);
    if (rc)
        return rc;
    memset(&s, 0, sizeof s);
    s.hist = calloc(NBUCKETS, sizeof *s.hist);
    if (!s.hist)
        return ev_error_set(err, EV_ENOMEM, "simulation: out of memory");
    if (setup(&a, &al, &mean_s, cls, ncls, opt)) {
        free(s.hist);
        return ev_error_set(err, EV_ENOMEM, "simulation: out of memory");
    }
    simulate(out, &a, &al, mean_s, opt, &s);
    out->p50_s = hist_quantile(s.hist, s.n, 0.50, s.max);
    out->p90_s = hist_quantile(s.hist, s.n, 0.90, s.max);
    out->p99_s = hist_quantile(s.hist, s.n, 0.99, s.max);
    out->p999_s = hist_quantile(s.hist, s.n, 0.999, s.max);
    gsl_rng_free(a.rng);
    alias_free(&al);
    free(s.hist);
    return EV_OK;
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double sorted_quantile(const double *v, uint64_t n, double q)
{
    uint64_t k = (uint64_t)ceil(q * (double)n);
    if (k < 1)
        k = 1;
    return v[k - 1];
}

int ev_des_run_naive(ev_des_result *out, const ev_des_class *cls, size_t ncls,
                     const ev_des_options *opt, ev_error *err)
{
    arrivals a;
    alias al;
    sink s;
    double mean_s;
    int rc = check(cls, ncls, opt, err);
    if (rc)
        return rc;
    memset(&s, 0, sizeof s);
    s.all = malloc(opt->requests * sizeof *s.all);
    if (!s.all)
        return ev_error_set(err, EV_ENOMEM, "simulation: out of memory");
    if (setup(&a, &al, &mean_s, cls, ncls, opt)) {
        free(s.all);
        return ev_error_set(err, EV_ENOMEM, "simulation: out of memory");
    }
    simulate(out, &a, &al, mean_s, opt, &s);
    qsort(s.all, s.n, sizeof *s.all, cmp_d);
    out->p50_s = sorted_quantile(s.all, s.n, 0.50);
    out->p90_s = sorted_quantile(s.all, s.n, 0.90);
    out->p99_s = sorted_quantile(s.all, s.n, 0.99);
    out->p999_s = sorted_quantile(s.all, s.n, 0.999);
    gsl_rng_free(a.rng);
    alias_free(&al);
    free(s.all);
    return EV_OK;
}
