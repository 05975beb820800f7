/* ev_hist.h - log-linear latency histogram (HdrHistogram-like, fixed range).
 *
 * Values are nanoseconds. Values below 256 are stored exactly; above, every power of two is split
 * into 128 equal sub-buckets, so a bucket is at most 1/128 (0.78 %) of its lower edge wide and the
 * reported value (the bucket midpoint, clamped to the exact min/max) is within 0.4 % of any
 * sample in it. Range: up to 2^40 ns (about 18 minutes); larger samples are clamped into the last
 * bucket and counted by ev_hist_overflow(). No I/O, no printing; not thread-safe (one per thread,
 * merge at the end). */
#ifndef EV_HIST_H
#define EV_HIST_H

#include <stdint.h>

typedef struct ev_hist ev_hist;

/* Allocate an empty histogram into *out. RETURNS EV_OK or EV_ENOMEM. Free with ev_hist_free. */
int ev_hist_new(ev_hist **out);
void ev_hist_free(ev_hist *h);              /* NULL-safe */
void ev_hist_reset(ev_hist *h);             /* back to empty */

/* Record one sample / n equal samples (nanoseconds). */
void ev_hist_record(ev_hist *h, uint64_t ns);
void ev_hist_record_n(ev_hist *h, uint64_t ns, uint64_t n);

/* Add every sample of src into dst. */
void ev_hist_merge(ev_hist *dst, const ev_hist *src);

uint64_t ev_hist_count(const ev_hist *h);
uint64_t ev_hist_overflow(const ev_hist *h); /* samples above the range (clamped) */
uint64_t ev_hist_min(const ev_hist *h);      /* exact; 0 when empty */
uint64_t ev_hist_max(const ev_hist *h);      /* exact; 0 when empty */
double ev_hist_mean(const ev_hist *h);       /* exact; 0 when empty */

/* The q-th percentile (0 < q <= 100): the value of the sample of rank ceil(q/100 * count),
 * as the midpoint of its bucket clamped to [min, max]; q = 100 gives the exact max.
 * RETURNS 0 when empty. */
uint64_t ev_hist_percentile(const ev_hist *h, double q);

/* Bucket geometry, exposed for tests: index of a value and the [lo, hi] range of an index. */
unsigned ev_hist_bucket_index(uint64_t ns);
void ev_hist_bucket_range(unsigned idx, uint64_t *lo, uint64_t *hi);
unsigned ev_hist_nbuckets(void);

#endif
