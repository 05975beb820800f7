/* ev_loadgen.h - the load engine of edgevirt-load: runs SET / GET / MIX tests against a Redis
 * server and fills plain result structs. Never prints, never exits.
 *
 * Each worker thread owns one epoll loop and a share of the connections. Closed loop (default)
 * follows redis-benchmark: a connection sends a batch of -P requests, stamps it once, and every
 * reply of the batch gets latency = reply time - batch start. Open loop (--rate) gives every
 * request a scheduled send time and measures latency from it, so a stalled server is charged for
 * the requests it delayed (coordinated-omission correction). */
#ifndef EV_LOADGEN_H
#define EV_LOADGEN_H

#include <signal.h>
#include <stdint.h>
#include "ev_err.h"
#include "ev_loadopts.h"

/* Failure classes, counted per test. */
enum {
    EV_LOAD_E_CONNECT = 0, /* could not connect / AUTH refused */
    EV_LOAD_E_CLOSED,      /* the server closed or reset a connection */
    EV_LOAD_E_TIMEOUT,     /* no reply within --timeout */
    EV_LOAD_E_PROTOCOL,    /* unparsable reply */
    EV_LOAD_E_SERVER,      /* error reply (-ERR ...), counted, does not stop the test */
    EV_LOAD_NERR
};
extern const char *const ev_load_error_names[EV_LOAD_NERR]; /* "connect","closed",... */

typedef struct ev_load_lat {
    uint64_t count;
    double avg_ms, min_ms, p50_ms, p90_ms, p95_ms, p99_ms, p999_ms, max_ms;
    uint64_t overflow;       /* samples above the histogram range (clamped) */
} ev_load_lat;

typedef struct ev_load_result {
    char name[16];           /* "SET", "GET", "MIX" */
    int status;              /* EV_OK, or why the test stopped (EV_ECONNECT, EV_ECLOSED, ...) */
    char error[EV_ERRSTR_LEN]; /* detail when status != EV_OK */
    int open_loop;           /* 1 with --rate */
    double target_rate;      /* --rate (0 = closed loop) */
    uint64_t requests;       /* completed, measured requests (warm-up excluded) */
    uint64_t op_requests[2]; /* [0] GET, [1] SET */
    uint64_t get_misses;     /* GET replies that were nil */
    double duration_s;       /* measured window: start -> last measured reply */
    double warmup_s;
    double rps;              /* requests / duration_s */
    double value_size_mean;  /* mean size of the values sent (SET) or prefilled (GET) */
    uint32_t key_size;       /* 16 ("key:__rand_int__" or "key:%012u") */
    uint32_t clients, pipeline, threads;
    uint64_t errors[EV_LOAD_NERR];
    ev_load_lat lat;         /* all measured requests */
    ev_load_lat op_lat[2];   /* [0] GET, [1] SET */
} ev_load_result;

typedef struct ev_load_report {
    ev_load_result tests[3];
    int ntests;              /* results of every test started, finished or failed */
    char redis_version[32];  /* from INFO server ("" if unknown) */
    char start_time[32];     /* ISO 8601 UTC */
    int prefilled;           /* keys stored before GET/MIX (0 with --no-prefill) */
    uint64_t prefill_keys;
} ev_load_report;

/* Progress, called from the calling thread about 4 times a second and once per finished test. */
typedef struct ev_load_progress {
    const char *test;        /* "SET", "GET", "MIX", "prefill" */
    int warming_up;
    uint64_t done;           /* completed requests so far (warm-up included) */
    double elapsed_s;
    int finished;            /* 1: `result` is final */
    const ev_load_result *result;
} ev_load_progress;
typedef void (*ev_load_progress_fn)(const ev_load_progress *p, void *payload);

/* Run the tests selected in o (validated) and fill *out. progress may be NULL. When *stop becomes
 * non-zero (stop may be NULL, e.g. set from a SIGINT handler) the current test ends as failed
 * with EV_EINTR. Tests stop at the first failing one; out keeps the results of all tests that
 * ran, the failed one included (its status says why).
 * RETURNS EV_OK, or the status of the failing test (err has the detail). */
int ev_loadgen_run(ev_load_report *out, const ev_load_options *o, ev_load_progress_fn progress,
                   void *payload, volatile sig_atomic_t *stop, ev_error *err);

#endif
