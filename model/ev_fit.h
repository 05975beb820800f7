/* ev_fit.h - fitting the cost model (ev_model.h) to run records: weighted linear least squares
 * per platform and CPU category with gsl_multifit_wlinear, identifiability checks, covariance
 * scaled by chi2/dof, residuals. No I/O: records come in as structs (ev_recset_load reads them).
 *
 * For every platform in the records and every category c in user, system, softirq, guest:
 *     y_i = cpu_c,i / (100 * rps_i)                       (CPU seconds per request, utilization law)
 *     y_i = fixed_get*[GET] + fixed_set*[SET] + per_packet*packets_i + per_segment*segments_i
 *           + per_byte*bytes_i                            (counts from ev_model_counts)
 *     weight w_i = (100 * rps_i / sigma)^2                (sigma = a-priori CPU noise in pp)
 * A parameter whose column is all zero (never segments, no SET runs), that makes the design rank
 * deficient, or whose estimate correlates with another count parameter beyond `corr_limit`
 * is not identified: it is fixed at its prior 0 and a note says why (docs/model.md).
 * Ownership: the model returned is freed with ev_model_free(); residual arrays with free(). */
#ifndef EV_FIT_H
#define EV_FIT_H

#include <stddef.h>
#include "ev_err.h"
#include "ev_model.h"
#include "ev_record.h"

typedef struct ev_fit_options {
    const char *name;           /* model name, e.g. "paper-reconstructed" */
    double client_rtt_s;        /* round trip of the closed-loop client bound (not fitted) */
    double sigma_cpu_pp;        /* a-priori noise of one CPU reading, percentage points */
    double corr_limit;          /* |correlation| above which a count parameter is dropped */
    const ev_platform_info *inputs; /* segmentation inputs per platform id (NULL: defaults,
                                       ev_model_platform_defaults) */
    size_t ninputs;
} ev_fit_options;
#define EV_FIT_OPTIONS_INIT { "fitted", 0.0005, 1.0, 0.995, NULL, 0 }

/* Fit every platform found in recs[0..n-1] (records with status failed, rps <= 0 or a missing
 * user/system/softirq/guest reading are skipped). Platforms keep the order of first appearance.
 * RETURNS EV_OK, EV_EINVAL (no usable record, too few points for a platform: fewer points than
 * identified parameters), EV_EMODEL (a GSL routine failed), EV_ENOMEM. */
int ev_fit_records(ev_model **out, const ev_record *recs, size_t n, const ev_fit_options *opt,
                   ev_error *err);

/* Observed versus fitted values for each usable record. */
typedef struct ev_fit_point {
    size_t record;              /* index into recs */
    int platform;               /* index in the model */
    double d_obs[EV_NCAT], d_fit[EV_NCAT]; /* seconds per request */
    double rps_obs, rps_fit;
} ev_fit_point;
/* *out (malloc'ed, caller frees) gets *nout points. Records of platforms missing from m are
 * skipped. RETURNS EV_OK, EV_ENOMEM or a prediction error. */
int ev_fit_residuals(ev_fit_point **out, size_t *nout, const ev_model *m, const ev_record *recs,
                     size_t n, ev_error *err);

/* The conditions a record was measured under (defaults for absent fields: key 16 B, MTU 1500). */
void ev_fit_record_conditions(ev_conditions *out, const ev_record *r);

#endif
