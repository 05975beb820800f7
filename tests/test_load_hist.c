/* test_load_hist.c - ev_hist: bucket geometry (<= 1/128 relative width), percentiles of synthetic
 * latencies against exact order statistics (<= 1 % relative error), min/max/mean, merge, overflow. */
#include "ev_hist.h"
#include "ev_test.h"

#include <stdint.h>
#include <stdlib.h>

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t exact_pct(const uint64_t *sorted, size_t n, double q)
{
    size_t rank = (size_t)ceil(q / 100.0 * (double)n);
    if (rank < 1)
        rank = 1;
    return sorted[rank - 1];
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void check_dist(const char *name, uint64_t *v, size_t n)
{
    ev_hist *h = NULL;
    EV_CHECK(ev_hist_new(&h) == 0);
    long double sum = 0;
    for (size_t i = 0; i < n; i++) {
        ev_hist_record(h, v[i]);
        sum += v[i];
    }
    qsort(v, n, sizeof *v, cmp_u64);
    EV_CHECK(ev_hist_count(h) == n);
    EV_CHECK(ev_hist_min(h) == v[0]);
    EV_CHECK(ev_hist_max(h) == v[n - 1]);
    EV_CHECK_NEAR(ev_hist_mean(h), (double)(sum / n), 1e-6 * (double)(sum / n));
    const double qs[] = {1, 10, 50, 90, 95, 99, 99.9, 99.99, 100};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        double e = (double)exact_pct(v, n, qs[i]);
        double got = (double)ev_hist_percentile(h, qs[i]);
        EV_CHECK_MSG(fabs(got - e) <= 0.01 * e, "%s p%g: got %.0f, exact %.0f", name, qs[i], got, e);
    }
    ev_hist_free(h);
}

int main(void)
{
    /* geometry: contiguous buckets, each at most 1/128 of its lower edge wide */
    uint64_t prev_hi = 0;
    unsigned nb = ev_hist_nbuckets();
    for (unsigned i = 0; i < nb; i++) {
        uint64_t lo, hi;
        ev_hist_bucket_range(i, &lo, &hi);
        if (i > 0 && lo != prev_hi + 1) {
            EV_CHECK_MSG(0, "bucket %u starts at %llu, previous ended at %llu", i, (unsigned long long)lo,
                         (unsigned long long)prev_hi);
            break;
        }
        if (hi > lo && (double)(hi - lo + 1) / (double)lo > 1.0 / 128 + 1e-12) {
            EV_CHECK_MSG(0, "bucket %u [%llu,%llu] too wide", i, (unsigned long long)lo, (unsigned long long)hi);
            break;
        }
        prev_hi = hi;
    }
    EV_CHECK(prev_hi == (UINT64_C(1) << 40) - 1);
    for (int i = 0; i < 100000; i++) {
        uint64_t v = next() % (UINT64_C(1) << 40);
        v >>= next() % 40;
        uint64_t lo, hi;
        unsigned idx = ev_hist_bucket_index(v);
        ev_hist_bucket_range(idx, &lo, &hi);
        if (!(lo <= v && v <= hi)) {
            EV_CHECK_MSG(0, "value %llu not in its bucket %u", (unsigned long long)v, idx);
            break;
        }
    }
    EV_CHECK(ev_hist_bucket_index(0) == 0 && ev_hist_bucket_index(255) == 255);

    /* empty */
    ev_hist *h = NULL;
    EV_CHECK(ev_hist_new(&h) == 0);
    EV_CHECK(ev_hist_percentile(h, 50) == 0 && ev_hist_count(h) == 0 && ev_hist_mean(h) == 0);

    /* exact small values and a known set: 1..1000 us */
    for (uint64_t i = 1; i <= 1000; i++)
        ev_hist_record(h, i * 1000);
    EV_CHECK_NEAR((double)ev_hist_percentile(h, 50), 500000, 5000);
    EV_CHECK_NEAR((double)ev_hist_percentile(h, 99), 990000, 9900);
    EV_CHECK(ev_hist_percentile(h, 100) == 1000000);
    EV_CHECK(ev_hist_min(h) == 1000);

    /* merge = recording into one */
    ev_hist *a = NULL, *b = NULL;
    EV_CHECK(ev_hist_new(&a) == 0 && ev_hist_new(&b) == 0);
    for (uint64_t i = 1; i <= 500; i++)
        ev_hist_record(a, i * 1000);
    for (uint64_t i = 501; i <= 1000; i++)
        ev_hist_record(b, i * 1000);
    ev_hist_merge(a, b);
    for (double q = 1; q <= 100; q += 7.3)
        EV_CHECK(ev_hist_percentile(a, q) == ev_hist_percentile(h, q));
    EV_CHECK(ev_hist_count(a) == 1000 && ev_hist_max(a) == 1000000 && ev_hist_min(a) == 1000);

    /* record_n, overflow (clamped, counted), reset */
    ev_hist_reset(a);
    ev_hist_record_n(a, 250000, 99);
    ev_hist_record(a, UINT64_C(1) << 45);
    EV_CHECK(ev_hist_count(a) == 100 && ev_hist_overflow(a) == 1);
    EV_CHECK_NEAR((double)ev_hist_percentile(a, 99), 250000, 2500);
    EV_CHECK(ev_hist_max(a) == UINT64_C(1) << 45);
    ev_hist_free(a);
    ev_hist_free(b);
    ev_hist_free(h);
    ev_hist_free(NULL);

    /* synthetic latency distributions */
    size_t n = 200000;
    uint64_t *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) /* uniform 50 us .. 5 ms */
        v[i] = 50000 + next() % 4950000;
    check_dist("uniform", v, n);
    for (size_t i = 0; i < n; i++) { /* lognormal-ish long tail: median ~200 us, tail to ~1 s */
        double u1 = ((double)(next() >> 11) + 1) / 9007199254740993.0, u2 = (double)(next() >> 11) / 9007199254740992.0;
        double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
        v[i] = (uint64_t)(200000.0 * exp(1.2 * z));
    }
    check_dist("lognormal", v, n);
    for (size_t i = 0; i < n; i++) /* bimodal: 99 % at ~100 us, 1 % stalls at ~40 ms */
        v[i] = (next() % 100 == 0) ? 40000000 + next() % 1000000 : 90000 + next() % 20000;
    check_dist("bimodal", v, n);
    free(v);
    return ev_test_done();
}
