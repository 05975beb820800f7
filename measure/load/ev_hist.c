/* ev_hist.c - see ev_hist.h. */
#include "ev_hist.h"
#include "ev_err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUB_BITS 7u                         /* 128 sub-buckets per power of two */
#define SUB_COUNT (1u << SUB_BITS)
#define EXACT_LIMIT (1u << (SUB_BITS + 1)) /* values < 256 are exact */
#define MAX_EXP 39u                         /* largest msb position stored: values < 2^40 */
#define NBUCKETS (EXACT_LIMIT + (MAX_EXP - SUB_BITS) * SUB_COUNT)
#define MAX_VALUE ((UINT64_C(1) << (MAX_EXP + 1)) - 1)

struct ev_hist {
    uint64_t count, overflow, min, max;
    long double sum;
    uint64_t b[NBUCKETS];
};

static unsigned msb64(uint64_t v)
{
    unsigned e = 0;
    while (v >>= 1)
        e++;
    return e;
}

unsigned ev_hist_nbuckets(void) { return NBUCKETS; }

unsigned ev_hist_bucket_index(uint64_t v)
{
    if (v > MAX_VALUE)
        v = MAX_VALUE;
    if (v < EXACT_LIMIT)
        return (unsigned)v;
    unsigned e = msb64(v);          /* >= SUB_BITS + 1 */
    unsigned shift = e - SUB_BITS;  /* >= 1 */
    unsigned sub = (unsigned)(v >> shift); /* in [128, 255] */
    return EXACT_LIMIT + (e - (SUB_BITS + 1)) * SUB_COUNT + (sub - SUB_COUNT);
}

void ev_hist_bucket_range(unsigned idx, uint64_t *lo, uint64_t *hi)
{
    if (idx < EXACT_LIMIT) {
        *lo = *hi = idx;
        return;
    }
    unsigned k = idx - EXACT_LIMIT;
    unsigned e = k / SUB_COUNT + SUB_BITS + 1;
    unsigned sub = k % SUB_COUNT + SUB_COUNT;
    unsigned shift = e - SUB_BITS;
    *lo = (uint64_t)sub << shift;
    *hi = *lo + ((uint64_t)1 << shift) - 1;
}

int ev_hist_new(ev_hist **out)
{
    ev_hist *h = calloc(1, sizeof *h);
    if (!h)
        return EV_ENOMEM;
    *out = h;
    return EV_OK;
}

void ev_hist_free(ev_hist *h) { free(h); }

void ev_hist_reset(ev_hist *h) { memset(h, 0, sizeof *h); }

void ev_hist_record_n(ev_hist *h, uint64_t ns, uint64_t n)
{
    if (n == 0)
        return;
    if (ns > MAX_VALUE)
        h->overflow += n;
    if (h->count == 0 || ns < h->min)
        h->min = ns;
    if (ns > h->max)
        h->max = ns;
    h->count += n;
    h->sum += (long double)ns * (long double)n;
    h->b[ev_hist_bucket_index(ns)] += n;
}

void ev_hist_record(ev_hist *h, uint64_t ns) { ev_hist_record_n(h, ns, 1); }

void ev_hist_merge(ev_hist *dst, const ev_hist *src)
{
    if (src->count == 0)
        return;
    if (dst->count == 0 || src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
    dst->count += src->count;
    dst->overflow += src->overflow;
    dst->sum += src->sum;
    for (unsigned i = 0; i < NBUCKETS; i++)
        dst->b[i] += src->b[i];
}

uint64_t ev_hist_count(const ev_hist *h) { return h->count; }
uint64_t ev_hist_overflow(const ev_hist *h) { return h->overflow; }
uint64_t ev_hist_min(const ev_hist *h) { return h->min; }
uint64_t ev_hist_max(const ev_hist *h) { return h->max; }
double ev_hist_mean(const ev_hist *h) { return h->count ? (double)(h->sum / (long double)h->count) : 0.0; }

uint64_t ev_hist_percentile(const ev_hist *h, double q)
{
    if (h->count == 0)
        return 0;
    if (q >= 100.0)
        return h->max;
    if (q <= 0.0)
        return h->min;
    uint64_t rank = (uint64_t)ceil(q / 100.0 * (double)h->count);
    if (rank < 1)
        rank = 1;
    uint64_t seen = 0;
    for (unsigned i = 0; i < NBUCKETS; i++) {
        seen += h->b[i];
        if (seen >= rank) {
            uint64_t lo, hi;
            ev_hist_bucket_range(i, &lo, &hi);
            uint64_t mid = lo + (hi - lo) / 2;
            if (mid < h->min)
                mid = h->min;
            if (mid > h->max)
                mid = h->max;
            return mid;
        }
    }
    return h->max;
}
