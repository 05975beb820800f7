/* ev_record.h - the run record (schema "edgevirt.run/1"): one measured (or reconstructed)
 * point, stored as one line of JSONL. The on-disk format is documented in docs/formats.md.
 *
 * Library: ev_formats (model/). Used by the model fit (reads), the experiment runner (writes),
 * the report (reads). Plain data: the struct is public, all strings are fixed-size and
 * NUL-terminated, so a record needs no freeing; record sets are freed with ev_recset_free(). */
#ifndef EV_RECORD_H
#define EV_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include "ev_err.h"

#define EV_RECORD_SCHEMA "edgevirt.run/1"
#define EV_REC_MAX_MIX 64 /* size classes of a measured mix */

typedef enum ev_op { EV_OP_GET = 0, EV_OP_SET = 1 } ev_op;
typedef enum ev_path { EV_PATH_VHOST = 0, EV_PATH_VIRTIO = 1, EV_PATH_NATIVE = 2 } ev_path;
typedef enum ev_source { EV_SOURCE_MEASURED = 0, EV_SOURCE_RECONSTRUCTED = 1 } ev_source;

/* CPU categories as mpstat prints them, in percent of ONE core (a record that samples
 * several CPUs sums them, so values may exceed 100). The model uses the first four
 * ("user system softirq guest", EV_NCAT). */
enum {
    EV_CPU_USER = 0, EV_CPU_SYSTEM, EV_CPU_SOFTIRQ, EV_CPU_GUEST,
    EV_CPU_NICE, EV_CPU_IOWAIT, EV_CPU_IRQ, EV_CPU_STEAL, EV_CPU_GNICE, EV_CPU_IDLE,
    EV_CPU_NFIELDS
};
#define EV_NCAT 4
/* JSON names of the categories, indexed by the enum above ("user", "system", ...). */
extern const char *const ev_cpu_names[EV_CPU_NFIELDS];

/* Interface roles and directions (vnstat-style counters over the measured window). */
enum { EV_ROLE_INSTANCE = 0, EV_ROLE_NIC = 1, EV_NROLES };
enum { EV_DIR_RX = 0, EV_DIR_TX = 1 };
typedef struct ev_ifcount {
    int present;            /* 0 when the record has no counters for this role */
    char ifname[32];        /* e.g. "tap0", "eth0" */
    double packets[2];      /* [EV_DIR_RX], [EV_DIR_TX] */
    double bytes[2];
} ev_ifcount;

/* Per-process/thread accounting of the platform (percent of one core), optional. */
typedef struct ev_thread_cpu {
    int present;
    double vmm_user, vmm_system;   /* VMM process minus its vCPU threads */
    double vcpu_user, vcpu_system; /* vCPU threads (under TCG the guest's work is vcpu_user) */
    double vcpu_guest;             /* guest_time of the vCPU threads (KVM only) */
    double vhost_system;           /* vhost-PID kernel threads */
    char basis[32];                /* "kvm", "tcg", "process" ... (what was measured) */
} ev_thread_cpu;

typedef struct ev_record {
    ev_source source;
    char time[32];                 /* ISO 8601 UTC */
    int ok;                        /* 1 = "status":"ok"; 0 = "failed" (then `error` says why) */
    char error[256];
    char point[128];               /* point id used for resume, e.g. "kata/GET/64/c50/P1/r2" */
    int repeat;                    /* repetition index >= 0; -1 = absent */

    /* platform */
    char platform[48];             /* firecracker kata unikraft-vhost unikraft-virtio linuxvm native ... */
    ev_path path;
    char stack[32];                /* guest network stack: "linux", "lwip", "host" */
    int offload;                   /* 1 = the guest offloads segmentation (TSO/GSO), 0 = not,
                                      -1 = not recorded (ev_record_init) */
    char platform_version[64];

    /* workload */
    ev_op op;
    uint32_t value_size, key_size, clients, pipeline; /* 0 = absent (value_size is required);
                                      ev_record_init sets key_size 16 and pipeline 1 */
    uint64_t requests;             /* 0 = absent */
    double duration_s;             /* <0 = absent */

    /* network */
    uint32_t mtu;                  /* 0 = unknown */
    double link_rate_bps;          /* 0 = unknown / unlimited */

    /* results */
    double rps;                    /* <0 = absent (required when ok) */
    double lat_avg_ms, lat_p50_ms, lat_p90_ms, lat_p99_ms, lat_p999_ms, lat_max_ms; /* <0 = absent */
    double cpu[EV_CPU_NFIELDS];    /* percent of one core; <0 = absent */
    char cpu_basis[32];            /* "mpstat" (from /proc/stat), or "reconstructed" */
    ev_thread_cpu threads;
    ev_ifcount ifc[EV_NROLES];

    /* provenance */
    char host[64], kernel[64], arch[32], cpu_model[96];
    char ev_version[32], redis_version[32];

    /* --- added by formats (after the original fields) --- */
    uint32_t cpu_ncpu;             /* how many CPUs the cpu[] values sum over; 0 = unknown.
                                      Bounds each cpu[] value: 0 .. 100*ncpu */

    /* --- added (issue 13): a measured mix. mix.n > 0: workload.op is "MIX" in the JSON, the
     * requests were GET with probability mix.get_ratio (else SET) with value sizes drawn from
     * mix.size[] with weights mix.weight[] (relative); op is EV_OP_GET and value_size the
     * weighted mean size (rounded), both only for display. Never fitted (ev_fit_record_usable
     * says 0): mixes validate a model (edgevirt-model score). */
    struct {
        size_t n;                  /* size classes; 0 = not a mix */
        double get_ratio;          /* [0, 1] */
        char name[48];             /* the profile's name, "" = none */
        double size[EV_REC_MAX_MIX], weight[EV_REC_MAX_MIX];
    } mix;
    int anchor;                    /* 1: workload.anchor true, a drift anchor of the runner
                                      (the same configuration measured in every block) */
} ev_record;

/* Fill r with defaults: everything absent (<0 / empty), ok=1, source measured, schema values. */
void ev_record_init(ev_record *r);

/* Parse one JSON line. `file` and `lineno` are only used in the error text, which names the
 * file, the line and the field: "runs.jsonl:12: workload.value_size: must be an integer >= 1, got 0".
 * RETURNS EV_OK, EV_EPARSE (not JSON), EV_ESCHEMA (bad/missing field or schema) or EV_ERANGE
 * (value out of range). All exit with status 2 (ev_exit_code). */
int ev_record_parse(ev_record *out, const char *line, const char *file, int lineno, ev_error *err);

/* Serialise as one line of JSON ending in '\n' (C locale, %.17g). *out is malloc'ed, caller frees.
 * RETURNS EV_OK or EV_ENOMEM. */
int ev_record_to_json(char **out, const ev_record *r);

/* Check that r would load back: serialise and parse it (same rules as the loader).
 * Message: "<record>: workload.value_size: must be an integer in [1, 536870912], got 0".
 * RETURNS EV_OK, EV_ESCHEMA, EV_ERANGE or EV_ENOMEM. */
int ev_record_validate(const ev_record *r, ev_error *err);

/* Append one record durably (ev_fs_append_durable: flush + fsync). The record is validated
 * first (ev_record_validate): an invalid record is NOT written (it would make the whole file
 * fail strict loading); the error is returned, prefixed "PATH: record not appended: ".
 * Record the point as failed instead if needed. RETURNS EV_OK, EV_ESCHEMA, EV_ERANGE, EV_EIO. */
int ev_record_append(const char *path, const ev_record *r, ev_error *err);

/* A set of records loaded from one or more files. */
typedef struct ev_recset {
    ev_record *recs;
    size_t n, cap;
} ev_recset;

/* Load every line of a JSONL file (blank lines skipped) and append to set.
 * Strict (tolerate_truncated_tail = 0): the first bad line fails the load.
 * With tolerate_truncated_tail = 1, a record cut off by a crash mid-write is dropped:
 * a last line without '\n' that is not valid JSON, and also an earlier line that is not valid
 * JSON and ends inside a string or an open object (ev_fs_append_durable ends such a line with
 * '\n' before it appends the next record, so after a resume it is no longer the last line).
 * *dropped (may be NULL) is set to the number of lines dropped (0 or more); then err->msg
 * (code EV_OK) holds the parse error of the last dropped line, for a warning.
 * Any other bad line still fails the load.
 * RETURNS EV_OK, EV_ENOENT, EV_EIO, EV_EPARSE, EV_ESCHEMA, EV_ERANGE, EV_ENOMEM; on failure
 * the set keeps the records of the lines before the bad one. */
int ev_recset_load(ev_recset *set, const char *path, int tolerate_truncated_tail,
                   int *dropped, ev_error *err);
void ev_recset_free(ev_recset *set); /* frees the array, not set itself; NULL-safe */

/* Append a copy of *r to set. RETURNS EV_OK or EV_ENOMEM. */
int ev_recset_push(ev_recset *set, const ev_record *r);

/* Resume helper: index of the LAST record with status "ok" and this point id, or -1
 * (failed records do not count: their point is run again). */
long ev_recset_find_point(const ev_recset *set, const char *point);

/* Field-by-field equality (strings, numbers; two absent values are equal). 1 if equal. */
int ev_record_equal(const ev_record *a, const ev_record *b);

/* Host provenance: host (uname nodename), kernel (release), arch (machine), cpu_model (from
 * /proc/cpuinfo: "model name" on x86; on ARM "Model" (Raspberry Pi), else "Hardware", else
 * "CPU implementer"/"CPU part" as "arm implementer 0x41 part 0xd08"), and ev_version (this
 * build) when empty. Fields it cannot learn stay empty. RETURNS EV_OK or EV_ESYS (uname). */
int ev_record_fill_host(ev_record *r);
/* The CPU model from the text of a /proc/cpuinfo (pure; used by ev_record_fill_host).
 * Writes "" when nothing is recognised. */
void ev_record_cpuinfo_model(char *out, size_t len, const char *cpuinfo);

/* Names <-> enums. Return -1 / NULL for unknown values. */
int ev_op_parse(const char *s);       /* "GET"/"SET" (case-insensitive) */
const char *ev_op_name(ev_op op);     /* "GET"/"SET" */
int ev_path_parse(const char *s);     /* "vhost"/"virtio"/"native" */
const char *ev_path_name(ev_path p);

/* RESP byte counts for one request (anchors.md): key of k bytes, value of s bytes.
 * SET request = s + k + 23 + digits(s) + digits(k), GET request = k + 18 + digits(k);
 * with k = 16: SET request s+41+d, reply 5; GET request 36, reply s+5+d. */
double ev_resp_request_bytes(ev_op op, double value_size, double key_size);
double ev_resp_reply_bytes(ev_op op, double value_size);

#endif
