/* ev_report_plot.h - `edgevirt-report plot`: the paper's figures for a set of run records, and
 * the chart of `compare --out`. Every chart goes through the shared writer ev_plots (plots/,
 * the same templates as the advisor's charts); this module only decides what to draw.
 *
 * Output in the folder given (created): per chart NAME.dat + NAME.gp (+ NAME.png, NAME.svg when
 * gnuplot runs), and index.html (no scripts, no network; only relative links to the SVGs).
 * Charts (OP = get/set, SIZE = value size in bytes, ROLE = instance/nic, DIR = rx/tx):
 *   rps_OP                 RPS vs value size per platform: mean with 95 % t-interval error bars,
 *                          every repeat as a small circle, MTU marked
 *   cpu_OP_SIZE            CPU split per platform, stacked (user system softirq guest other)
 *   packets_OP_ROLE_DIR    average packet size per platform vs value size
 *   model_OP, resid_OP     with a model: predictions (line + 95 % band) over the measured
 *                          means, and residuals (measured / predicted - 1) in percent
 *   paper_rps_OP, paper_cpu_OP_SIZE   with --paper: the embedded reconstructed calibration
 *
 * Library: ev_report. Nothing here prints or exits; notes for the user come back in the summary. */
#ifndef EV_REPORT_PLOT_H
#define EV_REPORT_PLOT_H

#include <stddef.h>
#include "ev_err.h"
#include "ev_report_compare.h"

typedef struct ev_report_plot_options {
    const char *out_dir;     /* folder to write (created) */
    const char *model_path;  /* model file, "default" for the embedded one, or NULL */
    int paper;               /* draw the embedded paper calibration beside the data */
    int render;              /* run gnuplot (1) or only write .dat/.gp (0) */
} ev_report_plot_options;
#define EV_REPORT_PLOT_OPTIONS_INIT { NULL, NULL, 0, 1 }

typedef struct ev_report_plot_summary {
    size_t ncharts;          /* charts written */
    size_t nrendered;        /* of which rendered to PNG + SVG */
    size_t nrecords, nmeasured, nreconstructed, nfailed;
    char **notes;            /* things the user should know (points that cannot be drawn as a
                                curve, gnuplot missing, ...); owned by the summary */
    size_t nnotes;
} ev_report_plot_summary;

/* Load `files` (and the embedded paper records with opt->paper), draw, write index.html.
 * RETURNS EV_OK; load errors as ev_report_set_load (file, line, field named); EV_EINVAL for
 * no usable records; EV_ENOENT/EV_ESCHEMA for a bad model file; EV_EIO, EV_ECHILD (gnuplot
 * failed), EV_ENOMEM. The summary is filled on success; free it with
 * ev_report_plot_summary_free (also after a failure: it is then empty). */
int ev_report_plot(ev_report_plot_summary *out, const char *const *files, size_t nfiles,
                   const ev_report_plot_options *opt, ev_error *err);
void ev_report_plot_summary_free(ev_report_plot_summary *s);

/* `compare --out DIR`: charts compare_rps_OP and compare_cpu_per_req_OP (relative change B over
 * A in percent vs value size, per platform, with the 95 % intervals as error bars and the
 * +-min-change band marked), written to dir (created), rendered when `render`.
 * *warn is set to a static/stored text when gnuplot is missing (else NULL).
 * RETURNS EV_OK, EV_EIO, EV_ECHILD, EV_ENOMEM. */
int ev_report_chart_compare(const ev_compare_result *r, const char *dir, int render,
                            const char **warn, ev_error *err);

#endif
