/* ev_report_stats.c - permutation test and intervals (see ev_report_stats.h). */
#include "ev_report_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

double ev_report_choose(unsigned n, unsigned k)
{
    if (k > n)
        return 0.0;
    if (k > n - k)
        k = n - k;
    double c = 1.0;
    for (unsigned i = 1; i <= k; i++) {
        c = c * (double)(n - k + i) / (double)i;
        if (!isfinite(c))
            return INFINITY;
    }
    return floor(c + 0.5);
}

/* |d| >= |obs| up to `tol`: a split equal to the observed one in exact arithmetic, summed in
 * another order, must tie rather than fall just below it. */
static int ev_report__at_least(double d, double obs, double tol)
{
    return fabs(d) >= fabs(obs) - tol;
}

int ev_report_perm_test(ev_perm_result *out, const double *a, size_t na,
                        const double *b, size_t nb, size_t nperm, void *rng, ev_error *err)
{
    memset(out, 0, sizeof *out);
    out->p = NAN;
    if (na == 0 || nb == 0)
        return ev_error_set(err, EV_EINVAL, "permutation test: a sample is empty (na=%zu nb=%zu)",
                            na, nb);
    size_t n = na + nb;
    double *pool = malloc(n * sizeof *pool);
    if (!pool)
        return ev_error_set(err, EV_ENOMEM, "permutation test: out of memory");
    double total = 0.0, sa = 0.0, scale = 0.0;
    for (size_t i = 0; i < na; i++) {
        pool[i] = a[i];
        sa += a[i];
    }
    for (size_t i = 0; i < nb; i++)
        pool[na + i] = b[i];
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(pool[i])) {
            free(pool);
            return ev_error_set(err, EV_EINVAL, "permutation test: value %zu is not finite", i);
        }
        total += pool[i];
        if (fabs(pool[i]) > scale)
            scale = fabs(pool[i]);
    }
    double tol = 1e-9 * scale; /* ties: differences below 1e-9 of the data's scale */
    /* The statistic depends only on the sum of group a: d = (total - s)/nb - s/na. */
    double obs = (total - sa) / (double)nb - sa / (double)na;
    out->observed = obs;

    double nsplit = ev_report_choose((unsigned)n, (unsigned)na);
    if (nsplit <= (double)EV_REPORT_EXACT_MAX) {
        size_t *idx = malloc(na * sizeof *idx);
        if (!idx) {
            free(pool);
            return ev_error_set(err, EV_ENOMEM, "permutation test: out of memory");
        }
        for (size_t i = 0; i < na; i++)
            idx[i] = i;
        size_t count = 0, splits = 0;
        for (;;) {
            double s = 0.0;
            for (size_t i = 0; i < na; i++)
                s += pool[idx[i]];
            double d = (total - s) / (double)nb - s / (double)na;
            if (ev_report__at_least(d, obs, tol))
                count++;
            splits++;
            /* next combination of na indices out of n, in lexicographic order */
            size_t i = na;
            while (i > 0 && idx[i - 1] == n - na + (i - 1))
                i--;
            if (i == 0)
                break;
            idx[i - 1]++;
            for (size_t j = i; j < na; j++)
                idx[j] = idx[j - 1] + 1;
        }
        free(idx);
        out->exact = 1;
        out->nsplits = splits;
        out->p = (double)count / (double)splits;
        free(pool);
        return EV_OK;
    }

    if (!rng) {
        free(pool);
        return ev_error_set(err, EV_EINVAL,
                            "permutation test: %zu+%zu values need random permutations but no RNG "
                            "was given", na, nb);
    }
    if (nperm < EV_REPORT_MIN_PERMUTATIONS)
        nperm = EV_REPORT_MIN_PERMUTATIONS;
    size_t count = 0;
    for (size_t r = 0; r < nperm; r++) {
        gsl_ran_shuffle((gsl_rng *)rng, pool, n, sizeof *pool);
        double s = 0.0;
        for (size_t i = 0; i < na; i++)
            s += pool[i];
        double d = (total - s) / (double)nb - s / (double)na;
        if (ev_report__at_least(d, obs, tol))
            count++;
    }
    free(pool);
    out->exact = 0;
    out->nsplits = nperm;
    out->p = (double)(count + 1) / (double)(nperm + 1);
    return EV_OK;
}

void ev_report_mean_sd(double *mean, double *sd, const double *x, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m = n ? m / (double)n : NAN;
    double ss = 0.0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    if (mean)
        *mean = m;
    if (sd)
        *sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
}

void ev_report_mean_ci(double *mean, double *lo, double *hi, const double *x, size_t n)
{
    double m, sd;
    ev_report_mean_sd(&m, &sd, x, n);
    *mean = m;
    if (n < 2) {
        *lo = *hi = m;
        return;
    }
    double h = gsl_cdf_tdist_Qinv(0.025, (double)(n - 1)) * sd / sqrt((double)n);
    *lo = m - h;
    *hi = m + h;
}

void ev_report_change_ci(double *change, double *lo, double *hi,
                         const double *a, size_t na, const double *b, size_t nb)
{
    double ma, sda, mb, sdb;
    ev_report_mean_sd(&ma, &sda, a, na);
    ev_report_mean_sd(&mb, &sdb, b, nb);
    *lo = *hi = NAN;
    if (ma == 0.0 && mb == 0.0) {
        *change = *lo = *hi = 0.0;
        return;
    }
    if (ma == 0.0) {
        *change = NAN;
        return;
    }
    *change = 100.0 * (mb / ma - 1.0);
    if (na < 2 || nb < 2 || ma <= 0.0 || mb <= 0.0)
        return;
    double va = sda * sda / ((double)na * ma * ma); /* variance of log(mean_a), delta method */
    double vb = sdb * sdb / ((double)nb * mb * mb);
    double se = sqrt(va + vb);
    if (se == 0.0) {
        *lo = *hi = *change;
        return;
    }
    double df = (va + vb) * (va + vb) /
                (va * va / (double)(na - 1) + vb * vb / (double)(nb - 1));
    double t = gsl_cdf_tdist_Qinv(0.025, df);
    double lr = log(mb / ma);
    *lo = 100.0 * (exp(lr - t * se) - 1.0);
    *hi = 100.0 * (exp(lr + t * se) - 1.0);
}
