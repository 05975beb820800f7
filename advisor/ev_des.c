/* ev_des.c - see ev_des.h. */
#include "ev_des.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


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

/* ---- random numbers: xoshiro256+ (Blackman & Vigna), seeded through splitmix64. Inlined:
 * a function-pointer call per variate (gsl_rng) costs about as much as the rest of the loop.
 * The Monte Carlo over the model parameters uses GSL's generators. ---- */
typedef struct rng64 {
    uint64_t s[4];
} rng64;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_seed(rng64 *r, unsigned long seed)
{
    uint64_t x = (uint64_t)seed;
    int i;
    for (i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(rng64 *r)
{
    uint64_t res = r->s[0] + r->s[3], t = r->s[1] << 17;
    r->s[2] ^= r->s[0];
    r->s[3] ^= r->s[1];
    r->s[1] ^= r->s[2];
    r->s[0] ^= r->s[3];
    r->s[2] ^= t;
    r->s[3] = rotl(r->s[3], 45);
    return res;
}

/* uniform in (0, 1): never 0, so log() is finite */
static inline double rng_uniform_pos(rng64 *r)
{
    return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* ---- the arrival process ---- */
typedef struct arrivals {
    rng64 rng[1];
    ev_arrival kind;
    double rate;        /* Poisson rate of arrival events (on-rate or batch rate) */
    double gap;         /* 1 / rate: mean gap between arrival events */
    double on_mean, off_mean;
    double on_end;      /* onoff: end of the current ON period */
    uint64_t batch, left; /* batch: requests left in the current batch */
    double t;
} arrivals;

static inline double expo(rng64 *r, double mean)
{
    return -mean * log(rng_uniform_pos(r));
}

static inline double next_arrival(arrivals *a)
{
    switch (a->kind) {
    case EV_ARR_BATCH:
        if (a->left == 0) {
            a->t += expo(a->rng, a->gap);
            a->left = a->batch;
        }
        a->left--;
        return a->t;
    case EV_ARR_ONOFF:
        for (;;) {
            double cand = a->t + expo(a->rng, a->gap);
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
        a->t += expo(a->rng, a->gap);
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
    rng_seed(a->rng, o->seed);
    a->gap = 1.0 / o->rate_rps;
    a->kind = o->arrival;
    a->rate = o->rate_rps;
    if (o->arrival == EV_ARR_ONOFF) {
        a->on_mean = o->on_s;
        a->off_mean = o->off_s;
        a->rate = o->rate_rps * (o->on_s + o->off_s) / o->on_s;
        a->gap = 1.0 / a->rate;
        a->on_end = expo(a->rng, o->on_s);
    } else if (o->arrival == EV_ARR_BATCH) {
        a->batch = (uint64_t)llround(o->batch);
        if (a->batch < 1)
            a->batch = 1;
        a->rate = o->rate_rps / (double)a->batch;
        a->gap = 1.0 / a->rate;
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
        double svc = alias_sample(al, rng_uniform_pos(a->rng));
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
    alias_free(&al);
    free(s.all);
    return EV_OK;
}
