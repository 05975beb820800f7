/* ev_model.h - libedgevirt-model: the per-platform cost model, its file format
 * (schema "edgevirt.model/1", docs/formats.md), prediction and parameter draws.
 *
 * The model (issue 3): for one request of op o and value size s on platform p, the CPU demand
 * (seconds of one core per request) in each category c in {user, system, softirq, guest} is
 *     D_c = fixed_c[o] + per_packet_c * packets + per_segment_c * segments + per_byte_c * bytes
 * where packets cross the instance interface, segments are cut in software by the guest
 * (lwIP without TSO/GRO), and bytes are RESP bytes. Counts follow from RESP framing, the MTU/MSS
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
#define EV_MODEL_STRUCTURE "ev-cost/1"

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

#endif
