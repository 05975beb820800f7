/* ev_report_plot_priv.h - shared between the files of `plot` (ev_report_plot.c,
 * ev_report_model.c, ev_report_html.c, ev_report_paper.c). Not installed, not public. */
#ifndef EV_REPORT_PLOT_PRIV_H
#define EV_REPORT_PLOT_PRIV_H

#include <stddef.h>
#include "ev_plot.h"
#include "ev_report_data.h"
#include "ev_report_plot.h"
#include "ev_report_stats.h"

/* One point, aggregated over its repeats. NaN = absent. */
typedef struct ev_report_agg {
    const ev_report_point *pt;
    ev_report_key key;
    size_t n;                        /* repeats */
    size_t nrecon;                   /* of which reconstructed */
    double *rps;                     /* n values (owned) */
    double rps_mean, rps_lo, rps_hi; /* mean and 95 % t-interval (lo = hi = mean when n = 1) */
    double cpu[EV_CPU_NFIELDS];      /* mean per category, % of one core */
    double busy;                     /* mean busy CPU (ev_report_cpu_busy) */
    double pkt[EV_NROLES][2];        /* mean bytes per packet per role and direction */
} ev_report_agg;

typedef struct ev_report_chart {
    char base[64], title[256], section[16];
    int rendered;
} ev_report_chart;

/* One model prediction at a measured point (for the residual table). */
typedef struct ev_report_model_row {
    ev_report_key key;
    double measured, pred, pred_lo, pred_hi, resid_pct;
    char bound[32];
} ev_report_model_row;

/* A measured mix (workload.op "MIX") of one platform and conditions, over its repeats; with
 * --model the prediction beside it (NAN without). */
typedef struct ev_report_mix_row {
    const ev_record *first;          /* the first repeat: what is predicted */
    char platform[48], name[48];
    double get_ratio, mean_size;
    uint32_t clients, pipeline, mtu;
    size_t n;
    double measured, lo, hi;         /* mean RPS, 95 % t-interval */
    double pred, pred_lo, pred_hi, err_pct;
} ev_report_mix_row;

typedef struct ev_report_plot_ctx {
    const char *dir;
    int render;
    ev_report_plot_summary *sum;     /* NULL for compare --out */
    int warned_gnuplot;
    char warn[EV_ERRSTR_LEN];
    const ev_report_set *set, *paper;
    ev_report_agg *agg, *pagg;
    size_t nagg, npagg;
    char platforms[32][48];
    size_t nplatforms;
    ev_report_chart charts[128];
    size_t nchart;
    char model_name[128];            /* with --model */
    char model_path[512];
    ev_report_model_row *mrows;
    size_t nmrows;
    ev_report_mix_row *xrows;        /* measured mixes, in record order of first appearance */
    size_t nxrows;
} ev_report_plot_ctx;

int ev_report__note(ev_report_plot_summary *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int ev_report_aggregate(ev_report_agg **out, size_t *nout, const ev_report_set *s);
void ev_report_agg_free(ev_report_agg *a, size_t n);
double ev_report_cpu_other(const ev_report_agg *g);
int ev_report_curve_same(const ev_report_key *a, const ev_report_key *b);
int ev_report_curve_first(const ev_report_agg *a, size_t i);
void ev_report_curve_label(char *buf, size_t len, const ev_report_agg *a, size_t n,
                           const ev_report_key *k);
unsigned ev_report_platform_color(const ev_report_plot_ctx *c, const char *platform);
int ev_report_emit(ev_report_plot_ctx *c, ev_plot *p, const char *base, const char *title,
                   const char *section, ev_error *err);
int ev_report_draw_set(ev_report_plot_ctx *c, const ev_report_agg *a, size_t n,
                       const char *prefix, const char *what, ev_error *err);

/* ev_report_model.c: model overlay and residuals (model_OP, resid_OP). */
int ev_report_draw_model(ev_report_plot_ctx *c, const char *model_path, ev_error *err);
void ev_report_model_rows_free(ev_report_plot_ctx *c);

/* ev_report_html.c: DIR/index.html from the context. */
int ev_report_write_html(ev_report_plot_ctx *c, ev_error *err);

/* ev_report_paper.c: the embedded data/paper/runs.jsonl text, or NULL when the build had none. */
const char *ev_report_paper_runs(void);

/* ev_report_charts.c / ev_report_drift.c, called by ev_report_plot.c and each other. */
void ev_report__lower(char *dst, size_t len, const char *s);
int ev_report__drift(ev_report_plot_ctx *c, ev_error *err);
int ev_report__mix_rows(ev_report_plot_ctx *c);

#endif
