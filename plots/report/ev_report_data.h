/* ev_report_data.h - run records as the report sees them: loaded from JSONL files with their
 * file and line kept (so every later complaint can name them), grouped into points, and the
 * per-repeat values of each compared metric.
 *
 * Library: ev_report (plots/report/). No printing, no exiting. */
#ifndef EV_REPORT_DATA_H
#define EV_REPORT_DATA_H

#include <stddef.h>
#include <stdint.h>
#include "ev_err.h"
#include "ev_record.h"

/* What makes two records the same point (the repeats of a measurement). */
typedef struct ev_report_key {
    char platform[48];
    ev_op op;
    uint32_t value_size, clients, pipeline, mtu;
    double link_rate_bps;
} ev_report_key;

/* One record with where it came from. */
typedef struct ev_report_rec {
    ev_record r;
    const char *file;   /* owned by the set */
    int line;           /* 1-based line in file (0 for embedded text without lines) */
} ev_report_rec;

/* A point: the successful records ("status":"ok") sharing one key, in file order. */
typedef struct ev_report_point {
    ev_report_key key;
    size_t n;                   /* repeats */
    const ev_report_rec **recs; /* n pointers into the set */
} ev_report_point;

typedef struct ev_report_set ev_report_set;

/* New empty set. RETURNS EV_OK or EV_ENOMEM. Free with ev_report_set_free (NULL-safe). */
int ev_report_set_new(ev_report_set **out, ev_error *err);
void ev_report_set_free(ev_report_set *s);

/* Load every non-blank line of JSONL file `path` (strict: the first bad line fails, with
 * "path:line: field: problem" in err). Failed records ("status":"failed") are kept aside and
 * counted, not grouped. RETURNS EV_OK, EV_ENOENT, EV_EIO, EV_EPARSE, EV_ESCHEMA. */
int ev_report_set_load(ev_report_set *s, const char *path, ev_error *err);

/* The same for JSONL text held in memory (e.g. the embedded paper calibration); `name`
 * stands for the file name in messages and provenance. */
int ev_report_set_load_text(ev_report_set *s, const char *text, const char *name, ev_error *err);

/* Group the loaded records into points (sorted by platform, op, size, clients, pipeline, MTU,
 * link rate). Repeats of one point that disagree on the workload (key size) are bad input:
 * the error names the later record's file, line and field. RETURNS EV_OK, EV_ESCHEMA,
 * EV_ENOMEM, or EV_EINVAL when the set holds no successful record. */
int ev_report_set_group(ev_report_set *s, ev_error *err);

size_t ev_report_set_nrecords(const ev_report_set *s);           /* all, failed included */
const ev_report_rec *ev_report_set_record(const ev_report_set *s, size_t i);
size_t ev_report_set_nfailed(const ev_report_set *s);
/* ok records of measured mixes (workload.op "MIX"): grouped apart (ev_report_mixes), never
 * on the GET/SET curves */
size_t ev_report_set_nmix(const ev_report_set *s);
size_t ev_report_set_npoints(const ev_report_set *s);            /* after _group */
const ev_report_point *ev_report_set_point(const ev_report_set *s, size_t i);
/* The point with this key, or NULL. */
const ev_report_point *ev_report_set_find(const ev_report_set *s, const ev_report_key *k);
/* Files loaded, in order ("name" for text). */
size_t ev_report_set_nfiles(const ev_report_set *s);
const char *ev_report_set_file(const ev_report_set *s, size_t i);

/* Total order on keys (for sorting and matching). */
int ev_report_key_cmp(const ev_report_key *a, const ev_report_key *b);
/* "kata GET 64 B, clients 50, pipeline 1, MTU 1500, link 1 Gbit/s" into buf. */
void ev_report_key_format(char *buf, size_t len, const ev_report_key *k);

/* ---- metrics compared by `compare` ---- */
enum {
    EV_RM_RPS = 0,       /* requests per second */
    EV_RM_CPU_TOTAL,     /* busy CPU: every category but idle and iowait, % of one core */
    EV_RM_CPU_PER_REQ,   /* busy CPU per request, microseconds of one core */
    EV_RM_CPU_CAT0,      /* then one per mpstat category but idle: EV_RM_CPU_CAT0 + EV_CPU_x */
    EV_RM_COUNT = EV_RM_CPU_CAT0 + EV_CPU_IDLE
};
const char *ev_report_metric_name(int metric); /* "rps", "cpu_total", "cpu_per_req", "cpu_user".. */
const char *ev_report_metric_unit(int metric); /* "req/s", "%core", "us/req" */

/* Busy CPU of one record (sum of the present categories but idle and iowait), or -1 when the
 * record has no CPU figures. */
double ev_report_cpu_busy(const ev_record *r);

/* The value of `metric` for each repeat of point p, into out[p->n].
 * RETURNS the count written (p->n), or 0 when some repeat lacks the metric. */
size_t ev_report_metric_values(double *out, const ev_report_point *p, int metric);

#endif
