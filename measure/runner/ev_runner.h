/* ev_runner.h - the experiment runner behind `edgevirt-measure run`: for every point of a
 * spec's plan, start the platform (or reuse it within a block), wait for PING, warm up, run
 * edgevirt-load on the client side while the gateway is sampled, and append one run record.
 * Library: ev_runner. Never prints: progress goes to a callback, errors to an ev_error.
 *
 * Resume: points whose id already has an "ok" record in the results file are skipped; a cut-off
 * last line (a crash mid-write) is tolerated. Failures of a platform (binary missing, API error,
 * never ready, crash mid-point) are recorded as failed points and the sweep goes on.
 * Interruption: when *opts->stop becomes non-zero the point in progress is abandoned (not
 * recorded), its children are killed and reaped, the platform is stopped, and the run returns
 * EV_EINTR. Docs: docs/edgevirt-measure.md. */
#ifndef EV_RUNNER_H
#define EV_RUNNER_H

#include <signal.h>
#include <stddef.h>
#include "ev_err.h"
#include "ev_plan.h"
#include "ev_record.h"
#include "ev_spec.h"

typedef struct ev_runner_progress {
    size_t index;            /* 1-based position of the current point in the plan */
    size_t total;            /* points in the plan */
    size_t todo;             /* points this run measures (plan minus points already recorded) */
    size_t ok, failed;       /* finished in this run so far */
    size_t skipped;          /* already in RESULTS */
    const char *point;       /* current point id */
    const char *phase;       /* "start", "ready", "warm-up", "measure", "stop", "done" */
    double elapsed_s;        /* since the run began */
    double eta_s;            /* estimated seconds left; < 0 = not known yet */
    const ev_record *record; /* phase "done": the record just appended */
} ev_runner_progress;

typedef void (*ev_runner_progress_fn)(const ev_runner_progress *p, void *payload);

typedef struct ev_runner_options {
    unsigned version;                /* EV_RUNNER_OPTIONS_VERSION */
    const char *results;             /* RESULTS.jsonl (required for ev_runner_run) */
    const char *load_bin;            /* overrides the spec's client.load; NULL = spec's */
    volatile sig_atomic_t *stop;     /* set by a signal handler; may be NULL */
    ev_runner_progress_fn progress;  /* may be NULL */
    void *payload;
    /* added (issue 15): the edgevirt-load to use when neither load_bin nor the spec's
     * client.load names one (edgevirt-measure passes the one installed or built beside it);
     * NULL = "edgevirt-load" from PATH */
    const char *load_default;
} ev_runner_options;
#define EV_RUNNER_OPTIONS_VERSION 1
#define EV_RUNNER_OPTIONS_INIT { EV_RUNNER_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL }

/* The load generator a run uses: opts->load_bin, else the spec's client.load when the spec
 * gives one, else opts->load_default, else "edgevirt-load". Never NULL. */
const char *ev_runner_load_bin(const ev_spec *spec, const ev_runner_options *opts);

/* What must hold before the first point, checked without starting anything (ev_runner_run
 * calls it when there is a point to measure): the client prefix's program and the load
 * generator are executable (found on PATH or at their path; not checked when the client runs
 * over ssh, on another host), every platform's driver finds what it needs
 * (ev_driver_preflight: binaries, kernel, initrd, rootfs, tap), every sampled interface
 * (gateway.interfaces) exists in this network namespace.
 * RETURNS EV_OK, or EV_ENOENT (exit status 2) with the field and the fix; the driver's setting
 * errors as ev_driver_new returns them. */
int ev_runner_preflight(const ev_spec *spec, const ev_runner_options *opts, ev_error *err);

typedef struct ev_runner_summary {
    size_t total, skipped, ok, failed;
    int dropped;             /* cut-off lines dropped from RESULTS when resuming */
    int interrupted;         /* 1 when stopped by *opts->stop */
    char warning[EV_ERRSTR_LEN]; /* e.g. the parse error of a dropped line; "" if none */
} ev_runner_summary;

/* Run the sweep. RETURNS EV_OK when every point was visited (some may have failed: see
 * summary->failed), EV_EINTR when stopped, or a setup failure (results file unreadable or
 * invalid: EV_EPARSE/EV_ESCHEMA..., EV_EIO appending a record, EV_ENOMEM). */
int ev_runner_run(ev_runner_summary *summary, const ev_spec *spec, const ev_runner_options *opts,
                  ev_error *err);

/* The dry run: the plan, every argv and every API request, as text. Starts nothing.
 * results may be NULL; otherwise points already recorded there are marked "skip (recorded)".
 * OUT *out malloc'ed, caller frees with free(). RETURNS EV_OK, EV_ENOMEM, or a results-file
 * loading error. */
int ev_runner_plan_text(char **out, const ev_spec *spec, const ev_runner_options *opts,
                        ev_error *err);

/* The client-side argv of one point: the spec's prefix, edgevirt-load and its options.
 * warmup = 1 builds the (unsampled) warm-up run. host/port: where the client reaches Redis.
 * OUT *out NULL-terminated malloc'ed argv; free with ev_runner_argv_free().
 * RETURNS EV_OK or EV_ENOMEM. */
int ev_runner_load_argv(char ***out, const ev_spec *spec, const ev_plan_point *pt,
                        const char *load_bin, const char *host, int port, int warmup,
                        ev_error *err);
void ev_runner_argv_free(char **argv);

/* Parse edgevirt-load's --json output (schema "edgevirt.load/1") and copy the test for `op`
 * into r: rps, latency, requests, duration_s, key_size, and redis_version. For a mix record
 * (r->mix.n > 0 on entry) the MIX test is taken instead of op's. Pure.
 * RETURNS EV_OK, EV_EPARSE (not JSON), EV_EPROTO (no such test, or it failed: err has its
 * error text). */
int ev_runner_parse_load(ev_record *r, const char *text, size_t len, ev_op op, ev_error *err);

/* Shell-quote argv for reading (never run by a shell) into buf. */
void ev_runner_quote_argv(char *buf, size_t len, char *const *argv);

#endif
