/* test_report_stats.c - the statistics of edgevirt-report: exact and random permutation tests
 * against hand-computed p-values, t-intervals and the relative-change interval. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>
#include "ev_test.h"
#include "ev_report_stats.h"

/* Exact p by brute force over bit masks: an independent check of the enumeration. */
static double brute_p(const double *pool, unsigned n, unsigned na)
{
    double total = 0, sa = 0;
    for (unsigned i = 0; i < n; i++)
        total += pool[i];
    for (unsigned i = 0; i < na; i++)
        sa += pool[i];
    double obs = fabs((total - sa) / (n - na) - sa / na);
    unsigned long count = 0, splits = 0;
    for (unsigned long m = 0; m < (1ul << n); m++) {
        if ((unsigned)__builtin_popcountl(m) != na)
            continue;
        double s = 0;
        for (unsigned i = 0; i < n; i++)
            if (m & (1ul << i))
                s += pool[i];
        double d = fabs((total - s) / (n - na) - s / na);
        splits++;
        if (d >= obs - 1e-9)
            count++;
    }
    return (double)count / (double)splits;
}

int main(void)
{
    ev_error err = EV_ERROR_INIT;
    ev_perm_result r;

    EV_CHECK(ev_report_choose(4, 2) == 6.0);
    EV_CHECK(ev_report_choose(10, 5) == 252.0);
    EV_CHECK(ev_report_choose(18, 9) == 48620.0);

    /* Two repeats a side, by hand. A = {10, 12}, B = {11, 15}: observed mean(B)-mean(A) = 2.
     * The six splits (A's pair -> |diff|): {10,12} 2, {10,11} 3, {10,15} 1, {12,11} 1,
     * {12,15} 3, {11,15} 2. Four of six reach |2|: p = 4/6. */
    {
        double a[] = {10, 12}, b[] = {11, 15};
        EV_CHECK(ev_report_perm_test(&r, a, 2, b, 2, 0, NULL, &err) == EV_OK);
        EV_CHECK(r.exact == 1);
        EV_CHECK(r.nsplits == 6);
        EV_CHECK_NEAR(r.observed, 2.0, 1e-12);
        EV_CHECK_NEAR(r.p, 4.0 / 6.0, 1e-12);
    }
    /* A = {10, 11}, B = {20, 21}: splits {10,11} 10, {10,20} 1, {10,21} 0, {11,20} 0,
     * {11,21} 1, {20,21} 10: p = 2/6 = 1/3, the smallest p two repeats a side can give. */
    {
        double a[] = {10, 11}, b[] = {20, 21};
        EV_CHECK(ev_report_perm_test(&r, a, 2, b, 2, 0, NULL, &err) == EV_OK);
        EV_CHECK_NEAR(r.p, 1.0 / 3.0, 1e-12);
        EV_CHECK_NEAR(r.observed, 10.0, 1e-12);
    }
    /* Identical samples: every split reaches |0|, p = 1. */
    {
        double a[] = {5, 6, 7}, b[] = {5, 6, 7};
        EV_CHECK(ev_report_perm_test(&r, a, 3, b, 3, 0, NULL, &err) == EV_OK);
        EV_CHECK_NEAR(r.p, 1.0, 1e-12);
    }
    /* Five a side, fully separated: only the observed split and its mirror reach it:
     * p = 2/252 < 0.01. */
    {
        double a[] = {100, 101, 99, 102, 98}, b[] = {80, 81, 79, 82, 78};
        EV_CHECK(ev_report_perm_test(&r, a, 5, b, 5, 0, NULL, &err) == EV_OK);
        EV_CHECK(r.exact);
        EV_CHECK_NEAR(r.p, 2.0 / 252.0, 1e-12);
        EV_CHECK(r.p < 0.01);
    }
    /* Unequal sizes, against the brute-force enumeration. */
    {
        double pool[] = {3.1, 4.7, 2.2, 5.0, 3.3, 6.1, 5.5, 4.9, 7.0};
        EV_CHECK(ev_report_perm_test(&r, pool, 4, pool + 4, 5, 0, NULL, &err) == EV_OK);
        EV_CHECK(r.nsplits == 126);
        EV_CHECK_NEAR(r.p, brute_p(pool, 9, 4), 1e-12);
    }
    /* Nine a side: C(18,9) = 48620 > 20000, so random permutations; the seeded estimate lies
     * within 5 standard errors of the exact (brute force) p, and the same seed repeats it. */
    {
        double pool[18];
        for (int i = 0; i < 18; i++)
            pool[i] = 100.0 + 7.0 * sin(i * 1.7) + (i >= 9 ? 4.0 : 0.0);
        double pex = brute_p(pool, 18, 9);
        EV_CHECK(ev_report_perm_test(&r, pool, 9, pool + 9, 9, 0, NULL, &err) == EV_EINVAL);
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(rng, 42);
        EV_CHECK(ev_report_perm_test(&r, pool, 9, pool + 9, 9, 20000, rng, &err) == EV_OK);
        EV_CHECK(r.exact == 0);
        EV_CHECK(r.nsplits == 20000);
        double se = sqrt(pex * (1 - pex) / 20000.0);
        EV_CHECK_MSG(fabs(r.p - pex) < 5 * se + 1e-4, "random p %g, exact %g", r.p, pex);
        double p1 = r.p;
        gsl_rng_set(rng, 42);
        EV_CHECK(ev_report_perm_test(&r, pool, 9, pool + 9, 9, 100, rng, &err) == EV_OK);
        EV_CHECK(r.nsplits == EV_REPORT_MIN_PERMUTATIONS); /* floor of 10,000 */
        gsl_rng_set(rng, 42);
        EV_CHECK(ev_report_perm_test(&r, pool, 9, pool + 9, 9, 20000, rng, &err) == EV_OK);
        EV_CHECK(r.p == p1);
        gsl_rng_free(rng);
    }
    /* Bad input. */
    {
        double a[] = {1, NAN};
        EV_CHECK(ev_report_perm_test(&r, a, 0, a, 1, 0, NULL, &err) == EV_EINVAL);
        EV_CHECK(ev_report_perm_test(&r, a, 2, a, 1, 0, NULL, &err) == EV_EINVAL);
    }

    /* t-interval: {1,2,3}: mean 2, sd 1, t(0.975, 2) = 4.302652729911275. */
    {
        double x[] = {1, 2, 3}, m, lo, hi;
        ev_report_mean_ci(&m, &lo, &hi, x, 3);
        EV_CHECK_NEAR(m, 2.0, 1e-12);
        EV_CHECK_NEAR(hi - m, 4.302652729911275 / sqrt(3.0), 1e-9);
        EV_CHECK_NEAR(m - lo, 4.302652729911275 / sqrt(3.0), 1e-9);
        double one[] = {7};
        ev_report_mean_ci(&m, &lo, &hi, one, 1);
        EV_CHECK(m == 7 && lo == 7 && hi == 7);
    }
    /* Change interval: A = {90,100,110}, B = {180,200,220}: +100 %; equal relative variances
     * 1/300 each, so Welch df = 4, t(0.975, 4) = 2.7764451051977987, se = sqrt(2/300). */
    {
        double a[] = {90, 100, 110}, b[] = {180, 200, 220}, c, lo, hi;
        ev_report_change_ci(&c, &lo, &hi, a, 3, b, 3);
        double se = sqrt(2.0 / 300.0), t = 2.7764451051977987;
        EV_CHECK_NEAR(c, 100.0, 1e-9);
        EV_CHECK_NEAR(lo, 100.0 * (2.0 * exp(-t * se) - 1.0), 1e-6);
        EV_CHECK_NEAR(hi, 100.0 * (2.0 * exp(t * se) - 1.0), 1e-6);
        EV_CHECK(lo < c && c < hi);
        /* no spread: zero-width interval */
        double a2[] = {10, 10}, b2[] = {12, 12};
        ev_report_change_ci(&c, &lo, &hi, a2, 2, b2, 2);
        EV_CHECK_NEAR(c, 20.0, 1e-9);
        EV_CHECK(lo == c && hi == c);
        /* one repeat: no interval */
        ev_report_change_ci(&c, &lo, &hi, a2, 1, b2, 2);
        EV_CHECK_NEAR(c, 20.0, 1e-9);
        EV_CHECK(isnan(lo) && isnan(hi));
        /* zero baseline */
        double z[] = {0, 0}, nz[] = {1, 2};
        ev_report_change_ci(&c, &lo, &hi, z, 2, z, 2);
        EV_CHECK(c == 0 && lo == 0 && hi == 0);
        ev_report_change_ci(&c, &lo, &hi, z, 2, nz, 2);
        EV_CHECK(isnan(c));
    }
    return ev_test_done();
}
