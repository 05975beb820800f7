/* ev_fit.h - fitting the cost model (ev_model.h) to run records: weighted linear least squares
 * per platform and CPU category with gsl_multifit_wlinear, identifiability checks, covariance
 * scaled by chi2/dof, residuals. No I/O: records come in as structs (ev_recset_load reads them).
 *
 * For every platform in the records and every category c in user, system, softirq, guest:
 *     y_i = cpu_c,i / (100 * rps_i)                       (CPU seconds per request, utilization law)
 *     y_i = fixed_get*[GET] + fixed_set*[SET] + per_packet*packets_i + per_segment*segments_i
 *           + per_byte_in*request_bytes_i + per_byte_out*reply_bytes_i
 *           + per_multiseg_in*[request > 1 segment]_i + per_multiseg_out*[reply > 1 segment]_i
 *                                                       (counts from ev_model_counts)
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

/* 1 if the fit can use record r (status ok, rps > 0, a platform id, the four CPU categories
 * present), else 0. The fit and the cross-validation select records with this one rule. */
int ev_fit_record_usable(const ev_record *r);
/* Predict record r with platform index p of model m under the record's own conditions: its op
 * and value size, or, for a measured mix (r->mix.n > 0), every size class as a GET item
 * (weight * get_ratio) and a SET item (weight * (1 - get_ratio)). RETURNS as
 * ev_model_predict. */
int ev_fit_predict_record(ev_prediction *pr, const ev_model *m, size_t p, const ev_record *r,
                          ev_error *err);
/* The same without excluding measured mixes (r->mix.n > 0): what can be scored. */
int ev_fit_record_measured(const ev_record *r);

/* The client round trip the records allow (Little's law, docs/model.md "Client bound"): a
 * record that moved X requests/s with N = clients * pipeline requests outstanding had a
 * response time N / X, of which its CPU demand busy / X was spent in the instance, so the
 * closed-loop client's round trip was at most N / X - busy / X. RETURNS the smallest such bound
 * over the usable records with a client count (never below 0), or -1 when there is none;
 * *which (may be NULL) gets the index of the record that sets it. */
double ev_fit_client_rtt_bound(const ev_record *recs, size_t n, size_t *which);

/* Fit every platform found in recs[0..n-1] (records with status failed, rps <= 0 or a missing
 * user/system/softirq/guest reading are skipped). Platforms keep the order of first appearance.
 * The model's client round trip is opt->client_rtt_s, lowered to ev_fit_client_rtt_bound()
 * when the records show that the client was faster than that.
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

/* ---- platform inputs given by the user (docs/formats.md "Platform inputs file") ----
 * A set of per-platform-id overrides of the segmentation inputs (ev_platform_info's
 * guest_pkt_bytes, tcp_header_bytes, instance_l2_bytes, nic_mss_reduction, ack_pkts_per_msg,
 * ack_pkts_per_seg). A field not given
 * keeps the record's default (ev_fit_record_inputs). Opaque; free with ev_fit_inputs_free(). */
typedef struct ev_fit_inputs ev_fit_inputs;
#define EV_FIT_INPUTS_SCHEMA "edgevirt.inputs/1"

int ev_fit_inputs_new(ev_fit_inputs **out, ev_error *err);
void ev_fit_inputs_free(ev_fit_inputs *in); /* NULL-safe */
/* Set one field ("guest_pkt_bytes", ...) of platform `id` (added if new). Ranges as in the
 * model file: guest_pkt_bytes 64..1e6, tcp_header_bytes 20..120, instance_l2_bytes 0..64,
 * nic_mss_reduction 0..1000, ack_pkts_per_msg 0..64, ack_pkts_per_seg 0..1. RETURNS EV_OK, EV_EINVAL (unknown field, id empty or longer
 * than 63 bytes), EV_ERANGE, EV_ENOMEM. */
int ev_fit_inputs_set(ev_fit_inputs *in, const char *id, const char *field, double v,
                      ev_error *err);
/* Parse "ID=VALUE" (a command-line option's argument) and set `field` of ID to VALUE.
 * RETURNS as ev_fit_inputs_set; EV_EINVAL for a malformed argument. */
int ev_fit_inputs_parse_assign(ev_fit_inputs *in, const char *field, const char *arg,
                               ev_error *err);
/* Merge a platform inputs file (JSON, schema edgevirt.inputs/1) into `in` (its values replace
 * earlier ones). Strict: unknown keys, wrong types, out-of-range values are errors naming the
 * file and the field ("FILE: platforms.tb-direct.guest_pkt_bytes: must be ..."). RETURNS EV_OK,
 * EV_EPARSE/EV_ESCHEMA/EV_ERANGE (exit 2), EV_ESYS/EV_EIO (cannot read). */
int ev_fit_inputs_load(ev_fit_inputs *in, const char *path, ev_error *err);
/* Parse the same format from text (name is used in messages). */
int ev_fit_inputs_parse(ev_fit_inputs *in, const char *text, const char *name, ev_error *err);
size_t ev_fit_inputs_count(const ev_fit_inputs *in);
const char *ev_fit_inputs_id(const ev_fit_inputs *in, size_t i); /* NULL if out of range */
/* The inputs to fit records with: for every platform of `in` that occurs in recs[0..n-1], the
 * record's defaults (ev_fit_record_inputs of its first record) with the given fields replaced.
 * *out (malloc'ed, caller frees; NULL when *nout is 0) points into `in` and `recs` (id, stack):
 * keep both alive while using it; pass it as ev_fit_options.inputs/ninputs. Platforms of `in`
 * absent from the records are left out (ev_fit_inputs_id + a search finds them for a warning).
 * RETURNS EV_OK, EV_EINVAL (resulting guest_pkt_bytes <= tcp_header_bytes + 8), EV_ENOMEM. */
int ev_fit_inputs_resolve(ev_platform_info **out, size_t *nout, const ev_fit_inputs *in,
                          const ev_record *recs, size_t n, ev_error *err);
/* Derive the pure-ACK inputs (ack_pkts_per_msg a, ack_pkts_per_seg b; docs/model.md "ACK
 * packets") of every platform in recs[0..n-1] from the records' instance packet counters
 * (rx + tx packets / requests, status ok): per record, the packets the model counts without
 * ACKs are subtracted from the measured ones, and the excess E is fitted, least squares
 * without intercept, as a * M + b * X (M = messages of more than one segment, X = their
 * segments beyond the first; both from ev_model_counts with the platform's other inputs from
 * `in` or the defaults). b < 0 is refitted with b = 0; a in [0, 64], b in [0, 1]. The
 * results are set in `in`. rep (may be NULL) receives one line per platform:
 * id, records used, records with M > 0, a, b, rms of E - fitted. A platform without packet
 * counters or without a multi-segment message is left out (its line says so, used = 0).
 * RETURNS EV_OK, EV_EINVAL (no record with instance packet counters), EV_ENOMEM. */
typedef struct ev_fit_ack_report {
    char id[64];
    size_t used, multi;
    double a, b, rms;
} ev_fit_ack_report;
int ev_fit_inputs_derive_acks(ev_fit_inputs *in, const ev_record *recs, size_t n,
                              ev_fit_ack_report **rep, size_t *nrep, ev_error *err);
/* The inputs as an edgevirt.inputs/1 document (given fields only), with `notes` (NULL-terminated
 * array, may be NULL). *out malloc'ed. RETURNS EV_OK or EV_ENOMEM. */
int ev_fit_inputs_to_json(char **out, const ev_fit_inputs *in, const char *const *notes);

/* The default inputs the fit uses for a record's platform (no override): the built-in table
 * for known ids, else from the record's stack and offload (ev_model_platform_defaults). */
void ev_fit_record_inputs(ev_platform_info *out, const ev_record *r);

#endif
