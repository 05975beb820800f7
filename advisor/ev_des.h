/* ev_des.h - discrete-event simulation of the single-core server under open load.
 *
 * The server is one core that serves requests one at a time in arrival order (FIFO; Redis is
 * single-threaded and every platform is limited to one core). A request's service time is the
 * CPU demand of its class (sum over the categories user, system, softirq, guest: all of them run
 * on the same core). Arrivals:
 *   poisson  exponential gaps at the offered rate;
 *   onoff    an interrupted Poisson process: exponential ON periods (mean on_s) with arrivals at
 *            rate * (on_s + off_s) / on_s, exponential OFF periods (mean off_s) with none, so the
 *            long-run rate is the offered rate;
 *   batch    batches of `batch` requests arriving together, batches Poisson at rate / batch.
 * Events are processed in time order; for a single FIFO server the departure of request n is
 * max(arrival_n, departure_{n-1}) + service_n (Lindley), so each request costs O(1) and no
 * event heap is needed. The sojourn (queueing + service) of every request after the warm-up
 * goes into a log-linear histogram (relative bucket width <= 1/64) for the percentiles.
 * Bounded: exactly `requests` requests (plus warm-up) are simulated. Seeded: same seed, same
 * result (an inlined xoshiro256+ generator seeded through splitmix64).
 *
 * Library: ev_advisor. Nothing here prints or exits. */
#ifndef EV_DES_H
#define EV_DES_H

#include <stddef.h>
#include <stdint.h>
#include "ev_err.h"
#include "ev_profile.h"

typedef struct ev_des_class {
    double service_s;   /* service time (s of the core) */
    double weight;      /* relative frequency */
} ev_des_class;

typedef struct ev_des_options {
    double rate_rps;        /* long-run offered rate */
    ev_arrival arrival;
    double on_s, off_s;     /* onoff */
    double batch;           /* batch (rounded to an integer >= 1) */
    uint64_t requests;      /* requests measured (after warm-up), >= 1 */
    uint64_t warmup;        /* requests simulated first and not measured */
    unsigned long seed;
} ev_des_options;
#define EV_DES_OPTIONS_INIT { 1000.0, EV_ARR_POISSON, 0.01, 0.0, 1.0, 1000000, 10000, 1 }

typedef struct ev_des_result {
    uint64_t requests;      /* measured */
    double sim_time_s;      /* simulated time of the measured part */
    double utilization;     /* busy time / simulated time (0..1) */
    double offered_util;    /* rate * mean service: > 1 means the queue grows without bound */
    int unstable;           /* offered_util >= 1 */
    double mean_s, p50_s, p90_s, p99_s, p999_s, max_s; /* sojourn time (queue + service) */
    double mean_wait_s;     /* queueing only */
} ev_des_result;

/* Run the simulation. RETURNS EV_OK, EV_EINVAL (no classes, bad options), EV_ENOMEM. */
int ev_des_run(ev_des_result *out, const ev_des_class *cls, size_t ncls,
               const ev_des_options *opt, ev_error *err);

/* The same simulation (same arrivals and services for the same seed) that keeps every sojourn
 * in an array and sorts it for exact percentiles: the reference for tests and the peer of the
 * benchmark. Memory: 8 bytes per request. */
int ev_des_run_naive(ev_des_result *out, const ev_des_class *cls, size_t ncls,
                     const ev_des_options *opt, ev_error *err);

#endif
