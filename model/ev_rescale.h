/* ev_rescale.h - re-anchoring a calibration to today's host (issue 13, docs/calibration.md
 * "Re-anchoring"): a few new run records per platform ("anchors") rescale an existing model's
 * fixed and variable costs, and its uncertainty is widened by what the anchors cannot tell.
 *
 * Per platform and CPU category c, with the model's parameters beta_c and each anchor i's
 * design row x_i (ev_model_counts at the anchor's op, size and MTU):
 *     F_ci = fixed part  (fixed_get/fixed_set . x_i),  V_ci = variable part (per_packet,
 *     per_segment, per_byte_in, per_byte_out, per_multiseg_in/out . x_i),
 *     y_ci = measured cpu_c,i / (100 rps_i)
 *     y_ci ~ a_c F_ci + b_c V_ci      (weighted least squares, gsl_multifit_wlinear, weights
 *                                      1/y_i^2: relative errors)
 * Two anchor configurations of different size identify a_c and b_c; one configuration (or a
 * fit that would give a factor <= 0, or |corr(a,b)| > 0.995) falls back to one factor
 * a_c = b_c. The new parameters are (a_c beta_fixed, b_c beta_variable); their covariance is the
 * old one scaled the same way plus sigma_f^2 beta' beta'^T: a fully correlated relative factor
 * error sigma_f = (relative residual sd of the anchors when they have >= 2 degrees of freedom,
 * else opt->anchor_sd) / sqrt(anchor records). Categories the model predicts as 0 keep 0.
 * The client round trip is lowered to the anchors' ev_fit_client_rtt_bound() when that is
 * smaller (today's client was faster). The new model's hosts are the old model's plus the
 * anchors'.
 * No I/O. */
#ifndef EV_RESCALE_H
#define EV_RESCALE_H

#include <stddef.h>
#include "ev_err.h"
#include "ev_model.h"
#include "ev_record.h"

typedef struct ev_rescale_options {
    const char *name;        /* the new model's name (NULL: "<old name>-rescaled") */
    double anchor_sd;        /* assumed relative sd of one anchor run when the anchors cannot
                                measure it (fewer than 2 degrees of freedom); default 0.05 */
} ev_rescale_options;
#define EV_RESCALE_OPTIONS_INIT { NULL, 0.05 }

typedef struct ev_rescale_report {
    char id[48];             /* platform id */
    size_t anchors;          /* usable anchor records */
    size_t configs;          /* distinct (op, size, MTU) among them */
    int two_factor;          /* 1: a and b separately; 0: one factor */
    double a, b;             /* factors on the total fixed and variable demand */
    double factor_sd;        /* sigma_f added to the covariance (relative) */
    double rps_err_before;   /* mean |predicted - measured| / measured RPS of the anchors, old */
    double rps_err_after;    /* the same with the rescaled model */
    double utilization;      /* > 0: set from the anchors (the model had none), else 0 */
    size_t min_runs;         /* fewest anchor records of one configuration: 1 means a point
                                was measured once (docs/calibration.md: a single run carries
                                the minute it ran in into every prediction) */
} ev_rescale_report;

/* Check one anchor record against model m: RETURNS EV_OK, or EV_EINVAL with
 * "FILE:LINE: platform.id: \"x\" is not a platform of model NAME (platforms: a, b)" or
 * "FILE:LINE: status: ... not usable as an anchor (...)". `usable` (may be NULL) is set to
 * 1 when the record can anchor, 0 when it is a failed or incomplete record (then the error is
 * set too, code EV_EINVAL, and the caller may skip it). */
int ev_rescale_check(const ev_model *m, const ev_record *r, const char *file, int line,
                     int *usable, ev_error *err);

/* Rescale every platform of m that has anchors in recs[0..n-1] (records of platforms not in m
 * are an error; unusable records are skipped); platforms without anchors keep their
 * parameters. *out: the new model (free with ev_model_free); *rep (malloc'ed, caller frees):
 * one report per rescaled platform, *nrep of them.
 * RETURNS EV_OK, EV_EINVAL (no usable anchor at all, a platform not in m), EV_EMODEL,
 * EV_ENOMEM. */
int ev_rescale(ev_model **out, ev_rescale_report **rep, size_t *nrep, const ev_model *m,
               const ev_record *recs, size_t n, const ev_rescale_options *opt, ev_error *err);

/* Whether the anchors ran on another host than the model's records: the kernel release, the
 * architecture and the CPU model of each usable anchor (recs[0..n-1]) against the hosts the
 * model records (ev_model_host(); the host name is not compared: a renamed box is the same).
 * RETURNS 1 when some anchor ran where none of the model's records did (msg: what differs,
 * e.g. "kernel 6.18.44-fc-v1300 (anchors) vs 6.18.44-fc-v657 (model)"), 0 when every anchor's
 * host is one of the model's, -1 when it cannot tell (the model records no host: fitted
 * before edgevirt recorded them, or reconstructed; or no anchor records its host). A re-anchor
 * scales costs; on another kernel or CPU their shape may differ (docs/calibration.md, "When
 * to re-anchor, when to recalibrate"). */
int ev_rescale_host_changed(const ev_model *m, const ev_record *recs, size_t n, char *msg,
                            size_t cap);

#endif
