/* ev_model.h - libedgevirt-model: the per-platform cost model, its file format
 * (schema "edgevirt.model/1", docs/formats.md), prediction and parameter draws.
 *
 * The model (issue 3): for one request of op o and value size s on platform p, the CPU demand
 * (seconds of one core per request) in each category c in {user, system, softirq, guest} is
 *     D_c = fixed_c[o] + per_packet_c * packets + per_segment_c * segments
 *           + per_byte_in_c * request bytes + per_byte_out_c * reply bytes
 *           + per_multiseg_in_c * [request spans > 1 segment]
 *           + per_multiseg_out_c * [reply spans > 1 segment]
 * where packets cross the instance interface, segments are cut in software by the guest
 * (lwIP without TSO/GRO), and bytes are RESP bytes, received (request) and sent (reply) by the
 * server apart: sending a byte costs more than receiving it (docs/model.md); a message that
 * spans more than one segment costs once more than its packets and bytes (the receiver's second
 * read and wake-up, the sender's ACK-clocked send; docs/model.md). Counts follow from RESP framing, the MTU/MSS
 * and the platform's segmentation behaviour (an input, not a fitted parameter).
 * Throughput X = min(X_cpu = 1/sum_c D_c, X_wire = link/wire bytes, X_client); CPU % = 100*X*D_c.
 * A mix combines demands and bytes weighted by frequency (never an average of RPS).
 *
 * Ownership: every ev_model* returned here is freed with ev_model_free(); strings returned by
 * accessors belong to the model. No function here prints or exits. */
#ifndef EV_MODEL_H
#define EV_MODEL_H

#include <stddef.h>
#include "ev_err.h"
#include "ev_record.h"

#define EV_MODEL_SCHEMA "edgevirt.model/1"
#define EV_MODEL_STRUCTURE "ev-cost/3"
/* the first structure, one per_byte for both directions: still read (per_byte_in = per_byte_out
 * = per_byte, fully correlated), never written */
#define EV_MODEL_STRUCTURE_V1 "ev-cost/1"
/* the second, without the multi-segment message costs: still read (those two fixed at 0, not
 * identified), never written */
#define EV_MODEL_STRUCTURE_V2 "ev-cost/2"

typedef struct ev_model ev_model;

/* ---- loading, saving ---- */
/* The embedded default: the paper's reconstructed calibration (data/paper/model.json, compiled
 * in). RETURNS EV_OK or an error if the embedded text fails to load (a build defect). */
int ev_model_default(ev_model **out, ev_error *err);
/* Load from a file; errors name the file and the field. */
int ev_model_load(ev_model **out, const char *path, ev_error *err);
/* Parse from a JSON string; `name` is used in error messages (a file name or "<embedded>"). */
int ev_model_parse(ev_model **out, const char *json, const char *name, ev_error *err);
/* Serialise (C locale, %.17g); *out malloc'ed, caller frees. */
int ev_model_to_json(char **out, const ev_model *m);
/* Write atomically (temporary file + rename). */
int ev_model_save(const char *path, const ev_model *m, ev_error *err);
/* Deep copy. */
int ev_model_clone(ev_model **out, const ev_model *m);
void ev_model_free(ev_model *m); /* NULL-safe */

/* ---- description ---- */
const char *ev_model_name(const ev_model *m);   /* e.g. "paper-reconstructed" */
ev_source ev_model_source(const ev_model *m);   /* reconstructed or measured */
size_t ev_model_nplatforms(const ev_model *m);

typedef struct ev_platform_info {
    const char *id;          /* "kata", "unikraft-vhost", ... (owned by the model) */
    ev_path path;            /* vhost / virtio / native */
    const char *stack;       /* "linux", "lwip", "host" */
    int offload;             /* guest offloads segmentation */
    double guest_pkt_bytes;  /* size of the packets the guest hands the host for large sends:
                                ~8250 with offload (Table 2), the MSS-limited ~1224 for lwIP */
    /* Added (docs/model.md, "Packet counting"): further segmentation inputs, never fitted. */
    double tcp_header_bytes;    /* TCP/IP header bytes per packet: 52 with timestamps (Linux),
                                   40 without (lwIP) */
    double instance_l2_bytes;   /* link-layer bytes the instance interface counts per packet
                                   (14 for a tap; 0 where the counter sees IP packets) */
    double nic_mss_reduction;   /* bytes by which the segment size the host/NIC cuts an
                                   offloading guest's packets into falls short of MTU - header */
    /* Added (issue 13, docs/model.md "ACK packets"): pure ACKs. A message (request or reply)
     * that spans k > 1 MSS-sized segments makes its receiver send
     *     ack_pkts_per_msg + ack_pkts_per_seg * (k - 1)
     * pure ACK packets back across the instance interface (Linux ACKs at once when more than
     * one full segment arrived); a message of one segment has its ACK piggybacked on the
     * reply. 0 and 0 (the paper's platforms: Table 2 gives no ACK counts) count none. An input,
     * measured from the records' packet counters, never fitted. */
    double ack_pkts_per_msg;
    double ack_pkts_per_seg;
    /* Added (issue 13, docs/model.md "Utilization at saturation"): the fraction of its CPU a
     * saturated platform keeps busy (fitted: the median busy fraction of the CPU-bound
     * records; a CFS quota and wake-up gaps leave 2-4 % idle on the testbed). The CPU bound
     * is utilization / demand and the predicted CPU at saturation is utilization x 100 %.
     * 0 (absent) means 1. */
    double utilization;
} ev_platform_info;
int ev_model_platform(ev_platform_info *out, const ev_model *m, size_t i);
/* Index of platform `id`, or -1. */
int ev_model_find(const ev_model *m, const char *id);

/* ---- prediction ---- */
typedef struct ev_mix_item {
    ev_op op;
    double value_size;       /* bytes */
    double weight;           /* relative frequency (normalised internally) */
} ev_mix_item;

typedef struct ev_conditions {
    double key_size;         /* bytes (redis-benchmark's keys are 16 B) */
    double mtu;              /* bytes */
    double link_rate_bps;    /* bits/s, per direction; 0 = no wire bound */
    double clients;          /* closed-loop connections */
    double pipeline;         /* requests in flight per connection */
} ev_conditions;
#define EV_CONDITIONS_INIT { 16.0, 1500.0, 1e9, 50.0, 1.0 }

typedef enum ev_bound { EV_BOUND_CPU = 0, EV_BOUND_WIRE = 1, EV_BOUND_CLIENT = 2 } ev_bound;
const char *ev_bound_name(ev_bound b, int cat); /* "cpu:system", "wire", "client" (static) */

/* the cost model's parameters, in design-row order (see ev_param_set below) */
enum {
    EV_PARAM_FIXED_GET = 0, EV_PARAM_FIXED_SET, EV_PARAM_PER_PACKET, EV_PARAM_PER_SEGMENT,
    EV_PARAM_PER_BYTE_IN, EV_PARAM_PER_BYTE_OUT, EV_PARAM_PER_MULTISEG_IN,
    EV_PARAM_PER_MULTISEG_OUT, EV_NPARAM
};
/* "fixed_get" "fixed_set" "per_packet" "per_segment" "per_byte_in" "per_byte_out"
 * "per_multiseg_in" "per_multiseg_out" */

typedef struct ev_prediction {
    double rps;                 /* point estimate: min of the three bounds */
    double rps_lo, rps_hi;      /* 95 % prediction interval from the parameter covariance
                                   (delta method); ev_model_predict fills them */
    double x_cpu, x_wire, x_client;
    ev_bound bound;             /* which bound binds */
    int bound_cat;              /* for EV_BOUND_CPU: the category with the largest demand */
    double demand_s[EV_NCAT];   /* CPU seconds per request, per category (user system softirq guest) */
    double cpu[EV_NCAT];        /* percent of one core at rps: 100 * rps * demand_s */
    double packets_per_req;     /* packets crossing the instance interface, both directions */
    double segments_per_req;    /* segments cut in software by the guest */
    double bytes_per_req;       /* RESP bytes, both directions */
    double row[EV_NPARAM];      /* the (mixed) design row the demands were computed from */
    double wire_bytes_per_req;  /* on the link, larger direction, framing + headers counted */
    double pkt_bytes[EV_NROLES][2]; /* average packet size per role (instance, nic) and direction
                                       (rx, tx as seen from the gateway), as vnstat would show */
} ev_prediction;

/* Predict platform index `p` for a mix of requests under `cond`.
 * RETURNS EV_OK, EV_EINVAL (bad index, empty mix, non-positive sizes). */
int ev_model_predict(ev_prediction *out, const ev_model *m, size_t p,
                     const ev_mix_item *mix, size_t nmix, const ev_conditions *cond,
                     ev_error *err);

/* ---- uncertainty ---- */
/* Fill `draw` (a clone of m made with ev_model_clone) with parameters drawn from each platform's
 * multivariate normal (mean = fitted values, covariance = the fitted covariance), using `rng`
 * (a gsl_rng*, passed as void* so this header needs no GSL). Demands that would come out
 * negative are clamped at 0. RETURNS EV_OK or EV_EMODEL. */
int ev_model_draw(ev_model *draw, const ev_model *m, void *rng, ev_error *err);

/* ================================================================ additions (model engineer)
 * Everything below was added after the first version of this header; the functions above keep
 * their signatures. */

/* ---- parameters ----
 * Per platform and CPU category the model holds EV_NPARAM coefficients (seconds of one core),
 * their covariance (EV_NPARAM x EV_NPARAM, row-major) and whether the data identified each one
 * (a parameter that is not identified is fixed at its prior, 0, with zero variance). */
extern const char *const ev_model_param_names[EV_NPARAM];

typedef struct ev_param_set {
    double value[EV_NPARAM];
    double cov[EV_NPARAM * EV_NPARAM];
    int identified[EV_NPARAM];
    double chi2;                /* weighted residual sum of squares of this category's fit */
    double scale;               /* factor the covariance was scaled by: max(1, chi2/dof) */
} ev_param_set;

/* Copy platform p's parameters for category cat (0..EV_NCAT-1) into *out.
 * RETURNS EV_OK or EV_EINVAL. */
int ev_model_params(ev_param_set *out, const ev_model *m, size_t p, int cat);

/* Fit diagnostics of platform p: number of points, degrees of freedom, and human-readable notes
 * (one per line, e.g. "per_segment: not identifiable: the platform never segments in these
 * runs; fixed at the prior 0"). Strings belong to the model; "" when there is nothing to say. */
typedef struct ev_fit_diag {
    size_t points;
    int dof;
    double max_abs_corr;        /* largest |correlation| between two free parameters */
    const char *notes;
} ev_fit_diag;
int ev_model_diag(ev_fit_diag *out, const ev_model *m, size_t p);

/* The closed-loop client bound's round-trip time (seconds): X_client = N*P / (rtt + D). */
double ev_model_client_rtt(const ev_model *m);
/* Datasets the model was fitted from. */
size_t ev_model_ndatasets(const ev_model *m);
const char *ev_model_dataset(const ev_model *m, size_t i, size_t *records);
/* Hosts the model's records ran on (issue 13: `rescale` compares them with the anchors'):
 * name (uname nodename), kernel release, arch, CPU model, and how many records ran there.
 * None for a reconstructed model and for files written before edgevirt recorded them. */
typedef struct ev_host_info {
    const char *name, *kernel, *arch, *cpu;   /* owned by the model; "" when unknown */
    size_t records;
} ev_host_info;
size_t ev_model_nhosts(const ev_model *m);
int ev_model_host(ev_host_info *out, const ev_model *m, size_t i);

/* ---- packet counting (pure; used by predict, the fit and the reconstruction) ---- */
typedef struct ev_counts {
    double req_bytes, rep_bytes;    /* RESP bytes of the request and of the reply */
    double inst_pkts[2];            /* instance interface, gateway's view: [EV_DIR_RX] = from
                                       the guest (replies), [EV_DIR_TX] = to the guest (requests) */
    double nic_pkts[2];             /* NIC: [EV_DIR_RX] = requests in, [EV_DIR_TX] = replies out */
    double inst_bytes[2], nic_bytes[2]; /* as the interface counters count them (L2 incl.) */
    double wire_bytes[2];           /* on the link incl. 38 B Ethernet framing per frame */
    double packets;                 /* inst_pkts[RX] + inst_pkts[TX] */
    double segments;                /* extra segments the guest cuts in software */
    double bytes;                   /* req_bytes + rep_bytes */
    double multiseg_req, multiseg_rep; /* 1 when the request / the reply spans more than one
                                       TCP segment on its way (the segments its receiver ACKs),
                                       else 0 */
} ev_counts;
/* Counts for one request; RETURNS EV_OK or EV_EINVAL (mtu too small for the headers, ...). */
int ev_model_counts(ev_counts *out, const ev_platform_info *pi, ev_op op, double value_size,
                    const ev_conditions *cond, ev_error *err);
/* The segmentation inputs edgevirt assumes for a platform id (Table 2 for the paper's five;
 * docs/model.md), or, for an unknown id, from its stack and offload flag. Fills out->id with a
 * pointer to a static string for known ids, else with `id` itself. */
void ev_model_platform_defaults(ev_platform_info *out, const char *id, ev_path path,
                                const char *stack, int offload);

/* ---- building a model (the fit and the reconstruction use these) ---- */
/* A new empty model. RETURNS EV_OK or EV_ENOMEM. */
int ev_model_new(ev_model **out, const char *name, ev_source source, double client_rtt_s);
/* Add a platform with zero parameters; *index (may be NULL) gets its index. */
int ev_model_add_platform(ev_model *m, const ev_platform_info *pi, size_t *index);
int ev_model_set_params(ev_model *m, size_t p, int cat, const ev_param_set *ps);
int ev_model_set_diag(ev_model *m, size_t p, size_t points, int dof, double max_abs_corr,
                      const char *notes);
int ev_model_add_dataset(ev_model *m, const char *path, size_t records);
/* Count `records` records on a host: added when no host has the same name, kernel, arch and
 * CPU (NULL counts as ""), else added to its count. RETURNS EV_OK, EV_EINVAL, EV_ENOMEM. */
int ev_model_add_host(ev_model *m, const char *name, const char *kernel, const char *arch,
                      const char *cpu, size_t records);

#endif
