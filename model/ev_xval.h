/* ev_xval.h - cross-validation of the cost model (part of libedgevirt-model; issue 7,
 * docs/calibration.md "Reading the cross-validation").
 *
 * Leave-one-group-out: the usable run records (status ok, rps > 0, the four CPU categories
 * present; the same rule as ev_fit_records) are split by value size ("size") or by MTU ("mtu").
 * For every group and every platform, the model is fitted (ev_fit_records) on that platform's
 * records OUTSIDE the group, then each held-out record is predicted with ev_model_predict under
 * the record's own conditions (op, value size, key size, MTU, link rate, clients, pipeline;
 * ev_fit_record_conditions). A point whose platform cannot be fitted without its group (too few
 * points left, no other group) gets no prediction and a note saying why; it is counted, never
 * silently dropped.
 *
 * Figures: mean absolute percentage error of RPS (100 * |pred - obs| / obs, averaged over the
 * predicted points) and, per CPU category (user system softirq guest), the mean absolute error
 * in percentage points of one core (the model's CPU at its predicted RPS against the recorded
 * CPU). The CPU headline is the WORST category (cpu_mae_max_pp), not an average over categories.
 *
 * Ownership: ev_xval_run's array is malloc'ed, the caller frees it. Nothing here prints or exits. */
#ifndef EV_XVAL_H
#define EV_XVAL_H

#include <stddef.h>
#include "ev_err.h"
#include "ev_fit.h"
#include "ev_model.h"
#include "ev_record.h"

/* Grouping schemes (bit flags; EV_XVAL_BOTH runs both, every point then appears twice). */
typedef enum ev_xval_by {
    EV_XVAL_SIZE = 1,   /* leave one value size out */
    EV_XVAL_MTU = 2,    /* leave one MTU out */
    EV_XVAL_BOTH = 3,
    EV_XVAL_SCORE = 4   /* not held out: a given model scored on records (ev_xval_score) */
} ev_xval_by;

/* "size", "mtu" (for one scheme bit); "both" for EV_XVAL_BOTH; NULL otherwise. */
const char *ev_xval_by_name(int by);
/* "size" / "mtu" / "both" -> the enum; -1 for anything else. */
int ev_xval_by_parse(const char *s);

typedef struct ev_xval_point {
    size_t record;              /* index into the records given to ev_xval_run */
    ev_xval_by scheme;          /* EV_XVAL_SIZE or EV_XVAL_MTU */
    double group;               /* the held-out value (bytes or MTU) */
    int predicted;              /* 0: no prediction (see note); the *_pred fields are NAN */
    int bound;                  /* 1: the record's CPU (sum of the four categories) reached
                                   min_busy_pct, i.e. the measured CPU bound applies; 0: the
                                   point is listed but left out of the summary figures */
    size_t ntrain;              /* records the fold's model of this platform was fitted on */
    double rps_obs, rps_pred;
    double cpu_obs[EV_NCAT], cpu_pred[EV_NCAT]; /* percent of one core */
    char note[EV_ERRSTR_LEN + 64];           /* why there is no prediction ("" when predicted) */
} ev_xval_point;

/* Run the cross-validation of records recs[0..n-1] (records that are not usable are skipped)
 * with fit options opt (NULL: EV_FIT_OPTIONS_INIT). Every usable record is used for fitting;
 * a held-out record whose CPU (user + system + softirq + guest, percent of one core) is below
 * min_busy_pct is still predicted but marked bound = 0 and left out of the summaries: the
 * model's RPS is the CPU-bound throughput, which a point where the measured CPU did not bind
 * (on a shared host: other tenants took it) cannot test. 0 = every point counts.
 * OUT: *out (malloc'ed, caller frees) with *nout points, ordered by scheme, group, then record.
 * RETURNS EV_OK, EV_EINVAL (bad `by`, no usable record, or a scheme with fewer than two groups:
 * nothing can be held out), EV_ENOMEM, or an error of the prediction. A fold whose fit fails
 * (EV_EINVAL / EV_EMODEL from ev_fit_records) is not an error: its points carry the note. */
int ev_xval_run(ev_xval_point **out, size_t *nout, const ev_record *recs, size_t n, int by,
                const ev_fit_options *opt, double min_busy_pct, ev_error *err);

/* Score a given model (no refit) on records recs[0..n-1]: every usable record of a platform
 * the model has is predicted under its own conditions (ev_fit_record_conditions), as
 * ev_xval_run does for a held-out record; points have scheme EV_XVAL_SCORE and group = the
 * record's value size. Records of platforms the model does not have are skipped and counted
 * in *nskipped (may be NULL). Use the summaries below with scheme 0 or EV_XVAL_SCORE.
 * RETURNS EV_OK, EV_EINVAL (no usable record of a platform of the model), EV_ENOMEM, or an
 * error of the prediction. */
int ev_xval_score(ev_xval_point **out, size_t *nout, size_t *nskipped, const ev_model *m,
                  const ev_record *recs, size_t n, double min_busy_pct, ev_error *err);

/* How many distinct groups (value sizes or MTUs) the usable records have under `scheme`
 * (EV_XVAL_SIZE or EV_XVAL_MTU); a scheme needs at least two. 0 on a bad scheme or no memory. */
size_t ev_xval_ngroups(const ev_record *recs, size_t n, ev_xval_by scheme);

typedef struct ev_xval_summary {
    size_t n;                   /* points considered */
    size_t npredicted;          /* of which predicted and bound (the figures' points) */
    size_t nunbound;            /* predicted but below min_busy_pct (not in the figures) */
    double rps_mape_pct;        /* NAN when nothing was predicted */
    double rps_max_ape_pct;
    double cpu_mae_pp[EV_NCAT];
    double cpu_mae_max_pp;      /* the worst category */
} ev_xval_summary;

/* Summarise the points of scheme `scheme` (EV_XVAL_SIZE, EV_XVAL_MTU, or 0 = all) and of
 * platform `platform` (NULL = all; matched against recs[point.record].platform). */
void ev_xval_summarize(ev_xval_summary *s, const ev_xval_point *pts, size_t npts,
                       const ev_record *recs, int scheme, const char *platform);

/* The same figures against the MEAN of each point's repeats: held-out points of one scheme
 * with the same platform, op, value size, key size, MTU, link rate, clients and pipeline (the
 * same conditions, hence the same fold and the same prediction) are averaged first (RPS and
 * each CPU category: arithmetic mean over repeats of one configuration), then compared. This
 * separates the model's error from the scatter of single repeats. s->n and s->npredicted count
 * points (configurations), s->nunbound the configurations left out (none of whose repeats
 * were bound; unbound repeats are left out of a mean). RETURNS EV_OK or EV_ENOMEM. */
int ev_xval_summarize_means(ev_xval_summary *s, const ev_xval_point *pts, size_t npts,
                            const ev_record *recs, int scheme, const char *platform);

/* The scatter of the repeats themselves (the noise floor of any prediction): over the same
 * points as ev_xval_summarize_means, the mean over bound repeats of
 * 100 * |rps - mean rps of its configuration| / mean (in *rps_pct) and the same for the CPU
 * categories in percentage points, worst category (in *cpu_pp). NAN when no configuration has
 * two bound repeats. RETURNS EV_OK or EV_ENOMEM. */
int ev_xval_repeat_scatter(double *rps_pct, double *cpu_pp, const ev_xval_point *pts,
                           size_t npts, const ev_record *recs, int scheme,
                           const char *platform);

/* The schema of `edgevirt-model crossval --json` output (and of DIR/crossval.json). */
#define EV_XVAL_SCHEMA "edgevirt.crossval/1"

/* Check a crossval JSON document (text, NUL-terminated; `name` for messages): the schema, a
 * "by" of size/mtu/both, a "points" array whose elements carry scheme, platform, op, size,
 * predicted and rps.measured, and a "summary" array. RETURNS EV_OK, EV_EPARSE, EV_ESCHEMA. */
int ev_xval_check_json(const char *text, const char *name, ev_error *err);

#endif
