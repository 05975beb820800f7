/* ev_report_compare.h - A/B comparison of two sets of run records (`edgevirt-report compare`).
 *
 * Points of A and B are matched by (platform, op, value size, clients, pipeline, MTU, link
 * rate). For each matched point and each metric present on both sides (RPS, busy CPU, CPU per
 * request, each mpstat category but idle that is non-zero somewhere) the comparison holds the
 * means, the relative change with a 95 % interval (ev_report_change_ci) and the p-value of a
 * permutation test of the difference of means (ev_report_perm_test). A change is significant
 * when p < alpha AND |change| > min_change percent (the two-part rule of Firecracker's A/B
 * performance tests). A regression is a significant fall of RPS or rise of CPU per request.
 *
 * Library: ev_report. Computation only: the writers are in ev_report_compare_write.c. */
#ifndef EV_REPORT_COMPARE_H
#define EV_REPORT_COMPARE_H

#include <stdio.h>
#include "ev_report_data.h"
#include "ev_report_stats.h"

#define EV_COMPARE_SCHEMA "edgevirt.compare/1"

typedef struct ev_compare_options {
    double alpha;          /* significance level of the permutation test (0.01) */
    double min_change;     /* minimum |relative change| in percent (5) */
    size_t permutations;   /* random permutations when exact enumeration is too big (10000) */
    unsigned long seed;    /* seed of the GSL mt19937 generator (1) */
} ev_compare_options;
#define EV_COMPARE_OPTIONS_INIT { 0.01, 5.0, 10000, 1 }

typedef struct ev_compare_row {
    ev_report_key key;
    int metric;                 /* EV_RM_* */
    size_t na, nb;              /* repeats */
    double a_mean, b_mean;
    double change_pct;          /* 100 * (b_mean / a_mean - 1); NaN when a_mean == 0 != b_mean */
    double change_lo, change_hi;/* 95 % interval; NaN when a side has one repeat */
    double p;                   /* NaN when a side has one repeat (not testable) */
    int exact;                  /* p from full enumeration */
    size_t nsplits;             /* splits enumerated or permutations drawn */
    int significant;            /* p < alpha && |change_pct| > min_change */
    int regression;             /* significant && (rps fell || cpu_per_req rose) */
} ev_compare_row;

typedef struct ev_compare_result {
    ev_compare_options opt;
    char file_a[512], file_b[512];       /* first file of each set (copied) */
    size_t records_a, records_b;         /* successful records */
    size_t failed_a, failed_b;
    ev_compare_row *rows;                /* sorted by point, then metric */
    size_t nrows;
    size_t nmatched;                     /* matched points */
    ev_report_key *only_a, *only_b;      /* points on one side only */
    size_t nonly_a, nonly_b;
    size_t nsignificant, nregressions;
    size_t nuntestable;                  /* matched points with fewer than 2 repeats a side */
} ev_compare_result;

/* Compare grouped sets a and b (ev_report_set_group done on both).
 * RETURNS EV_OK; EV_EINVAL when options are out of range (alpha not in (0,1), min_change < 0);
 * EV_ESCHEMA when no point of A matches a point of B, or when a matched point's records
 * disagree on the key size (the error names B's file, line and field); EV_ENOMEM.
 * *out is freed with ev_compare_result_free (NULL-safe). */
int ev_report_compare(ev_compare_result **out, const ev_report_set *a, const ev_report_set *b,
                      const ev_compare_options *opt, ev_error *err);
void ev_compare_result_free(ev_compare_result *r);

/* Writers (ev_report_compare_write.c): the same result as an aligned text table, as JSON
 * (schema "edgevirt.compare/1") and as CSV (fixed header with units; docs/edgevirt-report.md).
 * Numbers in the C locale; JSON and CSV write doubles with %.17g. RETURNS EV_OK or EV_EIO. */
int ev_report_compare_write_text(FILE *f, const ev_compare_result *r);
int ev_report_compare_write_json(FILE *f, const ev_compare_result *r);
int ev_report_compare_write_csv(FILE *f, const ev_compare_result *r);

#endif
