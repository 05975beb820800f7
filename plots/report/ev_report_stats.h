/* ev_report_stats.h - the statistics behind `edgevirt-report`: a two-sample permutation test
 * of the difference of means, a t-based 95 % interval for a mean, and a 95 % interval for the
 * relative change of two means. Pure computation: no I/O, no printing.
 *
 * Library: ev_report (plots/report/). Used by ev_report_compare (A/B) and ev_report_plot
 * (error bars). Documented for users in docs/edgevirt-report.md, "Statistics". */
#ifndef EV_REPORT_STATS_H
#define EV_REPORT_STATS_H

#include <stddef.h>
#include "ev_err.h"

/* Largest number of splits C(na+nb, na) the permutation test enumerates exactly; above it
 * the test draws random permutations. */
#define EV_REPORT_EXACT_MAX 20000u
/* Fewest random permutations the test accepts (the and Firecracker's floor). */
#define EV_REPORT_MIN_PERMUTATIONS 10000u

typedef struct ev_perm_result {
    double p;          /* two-sided p-value: share of splits with |mean diff| >= observed */
    double observed;   /* mean(b) - mean(a) */
    int exact;         /* 1 = every split enumerated, 0 = random permutations */
    size_t nsplits;    /* splits enumerated (exact) or permutations drawn (random) */
} ev_perm_result;

/* C(n, k) as a double (exact for the sizes used here); +inf on overflow. */
double ev_report_choose(unsigned n, unsigned k);

/* Two-sided permutation test of H0 "a and b come from one distribution" with the statistic
 * |mean(b) - mean(a)|.
 *  - When C(na+nb, na) <= EV_REPORT_EXACT_MAX every split of the pooled values into groups of
 *    na and nb is enumerated; p = (#splits with |d| >= |observed|) / C(na+nb, na), the
 *    observed split included, so p > 0 always.
 *  - Otherwise `nperm` (>= EV_REPORT_MIN_PERMUTATIONS) random splits are drawn with `rng`
 *    (a gsl_rng*, passed as void* so this header needs no GSL) and
 *    p = (1 + #draws with |d| >= |observed|) / (1 + nperm).
 * Ties: |d| counts when it is within 1e-9 x max|value| of |observed|, so splits equal to the
 * observed one in exact arithmetic count even when rounding differs.
 * IN: a[na], b[nb] with na, nb >= 1; rng may be NULL only when the test is exact.
 * RETURNS EV_OK, or EV_EINVAL (empty sample, non-finite value, rng needed but NULL). */
int ev_report_perm_test(ev_perm_result *out, const double *a, size_t na,
                        const double *b, size_t nb, size_t nperm, void *rng, ev_error *err);

/* Mean and sample standard deviation (n-1; 0 when n == 1). */
void ev_report_mean_sd(double *mean, double *sd, const double *x, size_t n);

/* 95 % t-interval for the mean: mean +- t(0.975, n-1) * sd / sqrt(n).
 * With n == 1, lo = hi = mean (no spread is known; callers show the point only).
 * IN: x[n], n >= 1. */
void ev_report_mean_ci(double *mean, double *lo, double *hi, const double *x, size_t n);

/* Relative change of mean(b) over mean(a), in percent, with a 95 % interval from the delta
 * method on log(mean_b / mean_a):
 *     se^2 = sd_a^2 / (na * mean_a^2) + sd_b^2 / (nb * mean_b^2),
 *     interval = 100 * (exp(log(mb/ma) +- t(0.975, df) * se) - 1),
 * with Welch-Satterthwaite degrees of freedom df. The interval is asymmetric (as a ratio is).
 * When both means are 0 the change is 0 with a zero-width interval. When a mean is <= 0
 * otherwise, or either side has one value, *lo and *hi are NaN (no interval); *change is NaN
 * when mean_a == 0.
 * IN: a[na], b[nb] with na, nb >= 1. */
void ev_report_change_ci(double *change, double *lo, double *hi,
                         const double *a, size_t na, const double *b, size_t nb);

#endif
