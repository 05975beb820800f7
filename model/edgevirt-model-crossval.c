/* edgevirt-model-crossval.c - the `crossval` subcommand of edgevirt-model (issue 7): option
 * parsing and output formatting only; ev_xval (libedgevirt-model) does the work, ev_plots draws
 * the measured-vs-predicted charts. docs/calibration.md describes the output. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev_err.h"
#include "ev_fit.h"
#include "ev_fs.h"
#include "ev_model.h"
#include "ev_plot.h"
#include "ev_record.h"
#include "ev_xval.h"

int cmd_crossval(int argc, char **argv);
/* edgevirt-model.c */
int cli_inputs_option(ev_fit_inputs **in, int is_file, const char *arg, ev_error *err);
int cli_inputs_apply(ev_fit_options *opt, ev_platform_info **pi, const ev_fit_inputs *in,
                     const ev_record *recs, size_t n, ev_error *err);

static double xv_min_busy; /* --min-busy, shown in the outputs */
static const char *xv_model_name = ""; /* score: the model scored */

static void xv_scheme_label(char *what, size_t n, int sch)
{
    if (sch == EV_XVAL_SCORE)
        snprintf(what, n, "all (no refit)");
    else
        snprintf(what, n, "leave-one-%s-out", ev_xval_by_name(sch));
}

static const char *const usage_crossval =
    "Usage: edgevirt-model crossval RUNS.jsonl... [--by size|mtu|both] [--json | --csv]\n"
    "                               [--out DIR] [--min-busy PCT] [--client-rtt S] [--sigma PP]\n"
    "                               [--corr-limit R] [--inputs FILE]\n"
    "                               [--guest-pkt-bytes ID=BYTES]...\n"
    "\n"
    "Cross-validates the cost model on run records: for every held-out group (one value size,\n"
    "or one MTU) and platform, fits the model on that platform's other records and predicts\n"
    "the held-out ones under their own conditions (op, size, MTU, link rate, clients,\n"
    "pipeline). Prints, per point, measured and predicted RPS and CPU per category (percent of\n"
    "one core), then per scheme and per platform the mean absolute percentage error of RPS\n"
    "(MAPE) and the mean absolute error of CPU in percentage points per category (the worst\n"
    "category is the headline). Points that cannot be predicted are listed with the reason.\n"
    "\n"
    "  --by size|mtu|both  leave one value size out, one MTU out, or both (default both)\n"
    "  --json              {\"by\",\"points\":[...],\"summary\":[...]} instead of the table\n"
    "  --csv               one header line, one line per point (summary not included)\n"
    "  --out DIR           also write DIR/crossval.json, DIR/crossval.csv and the charts\n"
    "                      DIR/crossval-rps.{dat,gp,png,svg} and DIR/crossval-cpu.{...}\n"
    "                      (measured vs predicted, with the y = x line; needs gnuplot to\n"
    "                      render, else the .dat/.gp stay)\n"
    "  --min-busy PCT      count in the figures only held-out points whose recorded CPU\n"
    "                      (user+system+softirq+guest, % of one core) reached PCT: the\n"
    "                      model's RPS is the CPU-bound throughput; a point where the CPU\n"
    "                      did not bind cannot test it. They are still fitted, predicted\n"
    "                      and listed (marked \"unbound\"). Default 0: every point counts\n"
    "  --client-rtt S, --sigma PP, --corr-limit R, --inputs FILE,\n"
    "  --guest-pkt-bytes ID=BYTES   fit options, as for `fit` (the platform inputs: every\n"
    "                      held-out fit uses them)\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 usage error or bad input (also: fewer than two\n"
    "groups to hold out).\n";

static int xv_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "edgevirt-model: crossval: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage_crossval);
    return 2;
}

static int xv_num(const char *s, double *out, double min, double max)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* JSON number or null (non-finite). */
static void xv_jnum(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.17g", v);
    else
        fputs("null", f);
}

static void xv_cnum(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.17g", v);
}

/* Platforms in order of first appearance among the points. */
static size_t xv_platforms(const char **plat, const ev_xval_point *pts, size_t n,
                           const ev_record *recs)
{
    size_t i, j, k = 0;
    for (i = 0; i < n; i++) {
        const char *p = recs[pts[i].record].platform;
        for (j = 0; j < k; j++)
            if (strcmp(plat[j], p) == 0)
                break;
        if (j == k)
            plat[k++] = p;
    }
    return k;
}

static void xv_write_csv(FILE *f, const ev_xval_point *pts, size_t n, const ev_record *recs)
{
    size_t i;
    int c;
    fprintf(f, "scheme,held_out,platform,op,size_bytes,mtu_bytes,link_rate_bps,clients,pipeline,"
               "point,predicted,bound,ntrain,rps_measured,rps_predicted,rps_error_pct");
    for (c = 0; c < EV_NCAT; c++)
        fprintf(f, ",cpu_%s_measured_pct,cpu_%s_predicted_pct", ev_cpu_names[c],
                ev_cpu_names[c]);
    fprintf(f, ",note\n");
    for (i = 0; i < n; i++) {
        const ev_xval_point *p = &pts[i];
        const ev_record *r = &recs[p->record];
        ev_conditions cond;
        ev_fit_record_conditions(&cond, r);
        fprintf(f, "%s,%.17g,%s,%s,%u,%.17g,%.17g,%.17g,%.17g,%s,%d,%d,%zu,%.17g,",
                ev_xval_by_name(p->scheme), p->group, r->platform, ev_op_name(r->op),
                r->value_size, cond.mtu, cond.link_rate_bps, cond.clients, cond.pipeline,
                r->point, p->predicted, p->bound, p->ntrain, p->rps_obs);
        xv_cnum(f, p->rps_pred);
        fputc(',', f);
        xv_cnum(f, p->predicted ? 100.0 * (p->rps_pred - p->rps_obs) / p->rps_obs : NAN);
        for (c = 0; c < EV_NCAT; c++) {
            fprintf(f, ",%.17g,", p->cpu_obs[c]);
            xv_cnum(f, p->cpu_pred[c]);
        }
        /* notes never hold a double quote we did not put there; quote for commas */
        fputs(",\"", f);
        for (const char *s = p->note; *s; s++)
            fputc(*s == '"' ? '\'' : *s, f);
        fputs("\"\n", f);
    }
}

static void xv_json_summary(FILE *f, const ev_xval_summary *s)
{
    int c;
    fprintf(f, "\"points\":%zu,\"predicted\":%zu,\"unbound\":%zu,\"rps_mape_pct\":", s->n,
            s->npredicted, s->nunbound);
    xv_jnum(f, s->rps_mape_pct);
    fprintf(f, ",\"rps_max_ape_pct\":");
    xv_jnum(f, s->rps_max_ape_pct);
    fprintf(f, ",\"cpu_mae_pp\":{");
    for (c = 0; c < EV_NCAT; c++) {
        fprintf(f, "%s\"%s\":", c ? "," : "", ev_cpu_names[c]);
        xv_jnum(f, s->cpu_mae_pp[c]);
    }
    fprintf(f, "},\"cpu_mae_max_pp\":");
    xv_jnum(f, s->cpu_mae_max_pp);
}

static void xv_write_json(FILE *f, int by, const ev_xval_point *pts, size_t n,
                          const ev_record *recs, const char **plat, size_t nplat)
{
    size_t i, j;
    int c, sch, first = 1;
    fprintf(f, "{\"schema\":\"%s\",\"by\":\"%s\",\"min_busy_pct\":%.17g,\"points\":[",
            EV_XVAL_SCHEMA, ev_xval_by_name(by), xv_min_busy);
    for (i = 0; i < n; i++) {
        const ev_xval_point *p = &pts[i];
        const ev_record *r = &recs[p->record];
        ev_conditions cond;
        ev_fit_record_conditions(&cond, r);
        fprintf(f, "%s{\"scheme\":\"%s\",\"held_out\":%.17g,\"platform\":\"%s\",\"op\":\"%s\","
                   "\"size\":%u,\"mtu\":%.17g,\"link_rate_bps\":%.17g,\"clients\":%.17g,"
                   "\"pipeline\":%.17g,\"point\":\"%s\",\"predicted\":%s,\"bound\":%s,\"ntrain\":%zu,"
                   "\"rps\":{\"measured\":%.17g,\"predicted\":",
                i ? "," : "", ev_xval_by_name(p->scheme), p->group, r->platform,
                ev_op_name(r->op), r->value_size, cond.mtu, cond.link_rate_bps, cond.clients,
                cond.pipeline, r->point, p->predicted ? "true" : "false",
                p->bound ? "true" : "false", p->ntrain, p->rps_obs);
        xv_jnum(f, p->rps_pred);
        fprintf(f, "},\"cpu\":{");
        for (c = 0; c < EV_NCAT; c++) {
            fprintf(f, "%s\"%s\":{\"measured\":%.17g,\"predicted\":", c ? "," : "",
                    ev_cpu_names[c], p->cpu_obs[c]);
            xv_jnum(f, p->cpu_pred[c]);
            fputc('}', f);
        }
        fprintf(f, "},\"note\":\"");
        for (const char *s = p->note; *s; s++) {
            if (*s == '"' || *s == '\\')
                fputc('\\', f);
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
        }
        fprintf(f, "\"}");
    }
    fprintf(f, "],\"summary\":[");
    for (sch = EV_XVAL_SIZE; sch <= EV_XVAL_SCORE; sch <<= 1) {
        ev_xval_summary s;
        if (!(by & sch))
            continue;
        for (j = 0; j <= nplat; j++) {
            ev_xval_summarize(&s, pts, n, recs, sch, j == 0 ? NULL : plat[j - 1]);
            fprintf(f, "%s{\"scheme\":\"%s\",\"platform\":", first ? "" : ",",
                    ev_xval_by_name(sch));
            if (j == 0)
                fputs("null,", f);
            else
                fprintf(f, "\"%s\",", plat[j - 1]);
            xv_json_summary(f, &s);
            {
                ev_xval_summary sm;
                double sr, sc;
                const char *pl = j == 0 ? NULL : plat[j - 1];
                ev_xval_summarize_means(&sm, pts, n, recs, sch, pl);
                ev_xval_repeat_scatter(&sr, &sc, pts, n, recs, sch, pl);
                fprintf(f, ",\"vs_mean_of_repeats\":{");
                xv_json_summary(f, &sm);
                fprintf(f, "},\"repeat_scatter\":{\"rps_pct\":");
                xv_jnum(f, sr);
                fprintf(f, ",\"cpu_worst_pp\":");
                xv_jnum(f, sc);
                fputc('}', f);
            }
            fputc('}', f);
            first = 0;
        }
    }
    fprintf(f, "]}\n");
}

static void xv_summary_line(FILE *f, const char *what, const ev_xval_summary *s)
{
    fprintf(f, "%-26s %5zu/%-5zu %7zu %8.2f %8.1f %7.2f %7.2f %8.2f %7.2f %8.2f\n", what,
            s->npredicted, s->n, s->nunbound, s->rps_mape_pct, s->rps_max_ape_pct, s->cpu_mae_pp[0],
            s->cpu_mae_pp[1], s->cpu_mae_pp[2], s->cpu_mae_pp[3], s->cpu_mae_max_pp);
}

static void xv_write_text(FILE *f, int by, const ev_xval_point *pts, size_t n,
                          const ev_record *recs, const char **plat, size_t nplat)
{
    size_t i, j;
    int sch;
    if (by == EV_XVAL_SCORE)
        fprintf(f, "score of %s (nothing held out, nothing refitted): %zu points\n",
                xv_model_name, n);
    else
        fprintf(f, "cross-validation (leave one %s out): %zu points\n",
                by == EV_XVAL_BOTH ? "size / one MTU" : ev_xval_by_name(by), n);
    fprintf(f, "%-6s %7s %-16s %-4s %6s %5s %9s %9s %7s  %-13s %-13s %-13s %-13s\n", "scheme",
            "heldout", "platform", "op", "size", "mtu", "rps_meas", "rps_pred", "err%",
            "user m/p", "system m/p", "softirq m/p", "guest m/p");
    for (i = 0; i < n; i++) {
        const ev_xval_point *p = &pts[i];
        const ev_record *r = &recs[p->record];
        ev_conditions cond;
        ev_fit_record_conditions(&cond, r);
        if (!p->predicted) {
            fprintf(f, "%-6s %7g %-16s %-4s %6u %5g %9.0f %9s %7s  not predicted: %s\n",
                    ev_xval_by_name(p->scheme), p->group, r->platform, ev_op_name(r->op),
                    r->value_size, cond.mtu, p->rps_obs, "-", "-", p->note);
            continue;
        }
        fprintf(f, "%-6s %7g %-16s %-4s %6u %5g %9.0f %9.0f %+7.1f  %5.1f/%-7.1f %5.1f/%-7.1f "
                   "%5.1f/%-7.1f %5.1f/%-7.1f%s\n",
                ev_xval_by_name(p->scheme), p->group, r->platform, ev_op_name(r->op),
                r->value_size, cond.mtu, p->rps_obs, p->rps_pred,
                100.0 * (p->rps_pred - p->rps_obs) / p->rps_obs, p->cpu_obs[0], p->cpu_pred[0],
                p->cpu_obs[1], p->cpu_pred[1], p->cpu_obs[2], p->cpu_pred[2], p->cpu_obs[3],
                p->cpu_pred[3], p->bound ? "" : "  unbound (not counted)");
    }
    fprintf(f, "\nsummary: RPS MAPE and max APE in %%; CPU mean absolute error in percentage "
               "points of one core%s\n", xv_min_busy > 0 ? "" : "");
    if (xv_min_busy > 0)
        fprintf(f, "(counted: predicted points whose recorded CPU reached %g %%; unbound: "
                   "below it, listed above but not counted)\n", xv_min_busy);
    fprintf(f, "%-26s %11s %7s %8s %8s %7s %7s %8s %7s %8s\n", "", "counted", "unbound",
            "MAPE%", "maxAPE%", "user", "system", "softirq", "guest", "worst");
    for (sch = EV_XVAL_SIZE; sch <= EV_XVAL_SCORE; sch <<= 1) {
        ev_xval_summary s;
        char what[80];
        if (!(by & sch))
            continue;
        ev_xval_summarize(&s, pts, n, recs, sch, NULL);
        xv_scheme_label(what, sizeof what, sch);
        xv_summary_line(f, what, &s);
        for (j = 0; j < nplat; j++) {
            ev_xval_summarize(&s, pts, n, recs, sch, plat[j]);
            snprintf(what, sizeof what, "  %s", plat[j]);
            xv_summary_line(f, what, &s);
        }
    }
    fprintf(f, "\nagainst the mean of each configuration's repeats (counted: configurations), "
               "and the repeats' own scatter around that mean (the noise floor)\n");
    fprintf(f, "%-26s %11s %7s %8s %8s %7s %7s %8s %7s %8s %9s %9s\n", "", "counted", "unbound",
            "MAPE%", "maxAPE%", "user", "system", "softirq", "guest", "worst", "scatter%",
            "scatterpp");
    for (sch = EV_XVAL_SIZE; sch <= EV_XVAL_SCORE; sch <<= 1) {
        ev_xval_summary s;
        char what[80];
        if (!(by & sch))
            continue;
        for (j = 0; j <= nplat; j++) {
            const char *pl = j == 0 ? NULL : plat[j - 1];
            double sr, sc;
            ev_xval_summarize_means(&s, pts, n, recs, sch, pl);
            ev_xval_repeat_scatter(&sr, &sc, pts, n, recs, sch, pl);
            if (j == 0)
                xv_scheme_label(what, sizeof what, sch);
            else
                snprintf(what, sizeof what, "  %s", pl);
            fprintf(f, "%-26s %5zu/%-5zu %7zu %8.2f %8.1f %7.2f %7.2f %8.2f %7.2f %8.2f %9.2f "
                       "%9.2f\n", what, s.npredicted, s.n, s.nunbound, s.rps_mape_pct,
                    s.rps_max_ape_pct, s.cpu_mae_pp[0], s.cpu_mae_pp[1], s.cpu_mae_pp[2],
                    s.cpu_mae_pp[3], s.cpu_mae_max_pp, sr, sc);
        }
    }
}

/* Render a buffer writer into a malloc'ed string (open_memstream). */
typedef void (*xv_writer)(FILE *f, int by, const ev_xval_point *pts, size_t n,
                          const ev_record *recs, const char **plat, size_t nplat);

static void xv_csv_adapter(FILE *f, int by, const ev_xval_point *pts, size_t n,
                           const ev_record *recs, const char **plat, size_t nplat)
{
    (void)by, (void)plat, (void)nplat;
    xv_write_csv(f, pts, n, recs);
}

static int xv_write_file(const char *dir, const char *name, xv_writer w, int by,
                         const ev_xval_point *pts, size_t n, const ev_record *recs,
                         const char **plat, size_t nplat, ev_error *err)
{
    char *buf = NULL, path[4096];
    size_t len = 0;
    int rc;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    w(f, by, pts, n, recs, plat, nplat);
    fclose(f);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    rc = ev_fs_write_atomic(path, buf, len, err);
    free(buf);
    return rc;
}

/* The two measured-vs-predicted charts. */
static int xv_charts(const char *dir, int by, const ev_xval_point *pts, size_t n,
                     const ev_record *recs, const char **plat, size_t nplat, FILE *msg,
                     ev_error *err)
{
    double *x = malloc((n ? n : 1) * sizeof *x), *y = malloc((n ? n : 1) * sizeof *y);
    double lo = INFINITY, hi = 0, cmax = 0, line[2], lx[2];
    ev_plot *p = NULL;
    size_t i, j, k, nser = 0;
    int rc = EV_OK, sch, c, rendered = 0;
    char name[128], note[160];

    if (!x || !y) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (!pts[i].predicted)
            continue;
        lo = fmin(lo, fmin(pts[i].rps_obs, pts[i].rps_pred));
        hi = fmax(hi, fmax(pts[i].rps_obs, pts[i].rps_pred));
        for (c = 0; c < EV_NCAT; c++)
            cmax = fmax(cmax, fmax(pts[i].cpu_obs[c], pts[i].cpu_pred[c]));
    }
    if (!(hi > 0)) {
        rc = ev_error_set(err, EV_EINVAL, "no predicted point to plot");
        goto done;
    }
    /* RPS */
    if ((rc = ev_plot_new(&p, EV_PLOT_XY, "Cross-validation: measured vs predicted RPS")) !=
        EV_OK)
        goto done;
    ev_plot_set_labels(p, "measured (requests/s)", "predicted, held out of the fit (requests/s)");
    ev_plot_set_log(p, 1, 1);
    ev_plot_set_range(p, 'x', lo / 1.2, hi * 1.2);
    ev_plot_set_range(p, 'y', lo / 1.2, hi * 1.2);
    ev_plot_set_key(p, "bottom right");
    for (sch = EV_XVAL_SIZE; sch <= EV_XVAL_SCORE; sch <<= 1) {
        if (!(by & sch))
            continue;
        for (j = 0; j < nplat; j++) {
            k = 0;
            for (i = 0; i < n; i++) {
                if ((int)pts[i].scheme != sch || !pts[i].predicted || !pts[i].bound ||
                    strcmp(recs[pts[i].record].platform, plat[j]) != 0)
                    continue;
                x[k] = pts[i].rps_obs;
                y[k] = pts[i].rps_pred;
                k++;
            }
            if (!k)
                continue;
            snprintf(name, sizeof name, "%s: %s out", plat[j], sch == EV_XVAL_SIZE ? "size" : "MTU");
            if ((rc = ev_plot_add_series(p, name, sch == EV_XVAL_SIZE ? EV_STYLE_POINTS
                                                                      : EV_STYLE_SMALLPOINTS,
                                         x, y, NULL, NULL, k)) != EV_OK)
                goto done;
            /* one colour per platform in both schemes */
            ev_plot_set_series_color(p, nser++, ev_plot_color(j));
        }
    }
    k = 0;
    for (i = 0; i < n; i++) {
        if (!pts[i].predicted || pts[i].bound)
            continue;
        x[k] = pts[i].rps_obs;
        y[k] = pts[i].rps_pred;
        k++;
    }
    if (k) {
        snprintf(name, sizeof name, "busy < %g %%: not counted", xv_min_busy);
        if ((rc = ev_plot_add_series(p, name, EV_STYLE_SMALLPOINTS, x, y, NULL, NULL, k)) !=
            EV_OK)
            goto done;
        ev_plot_set_series_color(p, nser++, 0xb0b0b0);
    }
    lx[0] = line[0] = lo / 1.2;
    lx[1] = line[1] = hi * 1.2;
    if ((rc = ev_plot_add_series(p, "y = x", EV_STYLE_LINES, lx, line, NULL, NULL, 2)) != EV_OK)
        goto done;
    ev_plot_set_series_color(p, nser++, 0x808080);
    {
        ev_xval_summary s1, s2;
        ev_xval_summarize(&s1, pts, n, recs, EV_XVAL_SIZE, NULL);
        ev_xval_summarize(&s2, pts, n, recs, EV_XVAL_MTU, NULL);
        if (by == EV_XVAL_BOTH)
            snprintf(note, sizeof note, "RPS MAPE: one size out %.1f %%, one MTU out %.1f %%",
                     s1.rps_mape_pct, s2.rps_mape_pct);
        else
            snprintf(note, sizeof note, "RPS MAPE (one %s out): %.1f %%", ev_xval_by_name(by),
                     by == EV_XVAL_SIZE ? s1.rps_mape_pct : s2.rps_mape_pct);
        ev_plot_set_note(p, note);
    }
    if ((rc = ev_plot_write(p, dir, "crossval-rps", err)) != EV_OK)
        goto done;
    if ((rc = ev_plot_render(&rendered, dir, "crossval-rps", err)) != EV_OK)
        goto done;
    if (!rendered)
        fprintf(msg, "edgevirt-model: warning: %s\n", err->msg);
    ev_plot_free(p);
    p = NULL;
    nser = 0;

    /* CPU, per category */
    if ((rc = ev_plot_new(&p, EV_PLOT_XY, "Cross-validation: measured vs predicted CPU")) !=
        EV_OK)
        goto done;
    ev_plot_set_labels(p, "measured CPU (% of one core)", "predicted CPU (% of one core)");
    ev_plot_set_range(p, 'x', 0, cmax * 1.05 + 1);
    ev_plot_set_range(p, 'y', 0, cmax * 1.05 + 1);
    ev_plot_set_key(p, "top left");
    for (c = 0; c < EV_NCAT; c++) {
        k = 0;
        for (i = 0; i < n; i++) {
            if (!pts[i].predicted || !pts[i].bound)
                continue;
            x[k] = pts[i].cpu_obs[c];
            y[k] = pts[i].cpu_pred[c];
            k++;
        }
        if (!k)
            continue;
        if ((rc = ev_plot_add_series(p, ev_cpu_names[c], EV_STYLE_POINTS, x, y, NULL, NULL,
                                     k)) != EV_OK)
            goto done;
        nser++;
    }
    lx[0] = line[0] = 0;
    lx[1] = line[1] = cmax * 1.05 + 1;
    if ((rc = ev_plot_add_series(p, "y = x", EV_STYLE_LINES, lx, line, NULL, NULL, 2)) != EV_OK)
        goto done;
    ev_plot_set_series_color(p, nser, 0x808080);
    {
        ev_xval_summary s;
        ev_xval_summarize(&s, pts, n, recs, 0, NULL);
        snprintf(note, sizeof note, "CPU MAE (counted held-out points), worst category: %.1f pp",
                 s.cpu_mae_max_pp);
        ev_plot_set_note(p, note);
    }
    if ((rc = ev_plot_write(p, dir, "crossval-cpu", err)) != EV_OK)
        goto done;
    if ((rc = ev_plot_render(&rendered, dir, "crossval-cpu", err)) != EV_OK)
        goto done;
    if (!rendered)
        fprintf(msg, "edgevirt-model: warning: %s\n", err->msg);
done:
    ev_plot_free(p);
    free(x);
    free(y);
    return rc;
}

int cmd_crossval(int argc, char **argv)
{
    static const struct option lo[] = {
        { "help", no_argument, 0, 'h' },        { "by", required_argument, 0, 'b' },
        { "json", no_argument, 0, 'j' },        { "csv", no_argument, 0, 'C' },
        { "out", required_argument, 0, 'O' },   { "client-rtt", required_argument, 0, 'r' },
        { "sigma", required_argument, 0, 's' }, { "corr-limit", required_argument, 0, 'l' },
        { "min-busy", required_argument, 0, 'B' }, { "inputs", required_argument, 0, 'i' },
        { "guest-pkt-bytes", required_argument, 0, 'g' }, { 0, 0, 0, 0 }
    };
    ev_fit_options opt = EV_FIT_OPTIONS_INIT;
    ev_fit_inputs *in = NULL;
    ev_platform_info *pinputs = NULL;
    struct { int file; const char *arg; } iopt[64]; /* applied after parsing, in order */
    int niopt = 0, k;
    const char *outdir = NULL, **plat = NULL;
    int o, by = EV_XVAL_BOTH, json = 0, csv = 0, rc = EV_OK, f;
    ev_recset set = { NULL, 0, 0 };
    ev_error err = EV_ERROR_INIT;
    ev_xval_point *pts = NULL;
    size_t npts = 0, nplat = 0;

    while ((o = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (o) {
        case 'h': fputs(usage_crossval, stdout); return 0;
        case 'b':
            if ((by = ev_xval_by_parse(optarg)) < 0)
                return xv_usage("--by: must be size, mtu or both, got \"%s\"", optarg);
            break;
        case 'j': json = 1; break;
        case 'C': csv = 1; break;
        case 'O': outdir = optarg; break;
        case 'r':
            if (xv_num(optarg, &opt.client_rtt_s, 0, 10))
                return xv_usage("--client-rtt: must be seconds in [0, 10], got \"%s\"", optarg);
            break;
        case 's':
            if (xv_num(optarg, &opt.sigma_cpu_pp, 1e-9, 100))
                return xv_usage("--sigma: must be > 0, got \"%s\"", optarg);
            break;
        case 'l':
            if (xv_num(optarg, &opt.corr_limit, 1e-6, 1))
                return xv_usage("--corr-limit: must be in (0, 1], got \"%s\"", optarg);
            break;
        case 'B':
            if (xv_num(optarg, &xv_min_busy, 0, 1e6))
                return xv_usage("--min-busy: must be a percentage >= 0, got \"%s\"", optarg);
            break;
        case 'i':
        case 'g':
            if (niopt == (int)(sizeof iopt / sizeof iopt[0]))
                return xv_usage("%s", "too many --inputs/--guest-pkt-bytes options (max 64)");
            iopt[niopt].file = o == 'i';
            iopt[niopt++].arg = optarg;
            break;
        default: return xv_usage("%s", "bad option");
        }
    }
    if (json && csv)
        return xv_usage("%s", "--json and --csv exclude each other");
    if (optind >= argc)
        return xv_usage("%s", "at least one RUNS.jsonl is required");
    for (k = 0; k < niopt && rc == EV_OK; k++)
        rc = cli_inputs_option(&in, iopt[k].file, iopt[k].arg, &err);
    for (f = optind; f < argc && rc == EV_OK; f++)
        rc = ev_recset_load(&set, argv[f], 0, NULL, &err);
    if (rc == EV_OK && in)
        rc = cli_inputs_apply(&opt, &pinputs, in, set.recs, set.n, &err);
    /* the default "both" runs what the data allow; an explicit single scheme must be possible */
    if (rc == EV_OK && by == EV_XVAL_BOTH) {
        int sch;
        for (sch = EV_XVAL_SIZE; sch <= EV_XVAL_MTU; sch++) {
            if (ev_xval_ngroups(set.recs, set.n, (ev_xval_by)sch) < 2 &&
                ev_xval_ngroups(set.recs, set.n, (ev_xval_by)(EV_XVAL_BOTH & ~sch)) >= 2) {
                fprintf(stderr, "edgevirt-model: warning: crossval: the records have only one "
                        "%s: leave-one-%s-out skipped\n", sch == EV_XVAL_SIZE ? "value size"
                        : "MTU", ev_xval_by_name(sch));
                by = EV_XVAL_BOTH & ~sch;
                break;
            }
        }
    }
    if (rc == EV_OK)
        rc = ev_xval_run(&pts, &npts, set.recs, set.n, by, &opt, xv_min_busy, &err);
    if (rc == EV_OK) {
        plat = malloc((npts ? npts : 1) * sizeof *plat);
        if (!plat)
            rc = ev_error_set(&err, EV_ENOMEM, "out of memory");
        else
            nplat = xv_platforms(plat, pts, npts, set.recs);
    }
    if (rc == EV_OK && outdir) {
        if ((rc = ev_fs_mkdirs(outdir, &err)) == EV_OK &&
            (rc = xv_write_file(outdir, "crossval.json", xv_write_json, by, pts, npts, set.recs,
                                plat, nplat, &err)) == EV_OK &&
            (rc = xv_write_file(outdir, "crossval.csv", xv_csv_adapter, by, pts, npts,
                                set.recs, plat, nplat, &err)) == EV_OK)
            rc = xv_charts(outdir, by, pts, npts, set.recs, plat, nplat, stderr, &err);
        if (rc == EV_EINVAL) /* nothing predicted: the tables below still say why */
            fprintf(stderr, "edgevirt-model: warning: no chart: %s\n", err.msg), rc = EV_OK;
    }
    if (rc == EV_OK) {
        if (json)
            xv_write_json(stdout, by, pts, npts, set.recs, plat, nplat);
        else if (csv)
            xv_write_csv(stdout, pts, npts, set.recs);
        else {
            xv_write_text(stdout, by, pts, npts, set.recs, plat, nplat);
            if (outdir)
                printf("\nwrote %s/crossval.json, crossval.csv, crossval-rps.png, "
                       "crossval-cpu.png\n", outdir);
        }
    }
    free(plat);
    free(pts);
    free(pinputs);
    ev_fit_inputs_free(in);
    ev_recset_free(&set);
    if (rc != EV_OK) {
        fprintf(stderr, "edgevirt-model: crossval: %s\n", err.msg[0] ? err.msg : ev_strerror(rc));
        return ev_exit_code(rc);
    }
    return 0;
}

/* ---- `edgevirt-model score`: a given model against records, nothing refitted ---- */

int cmd_score(int argc, char **argv);

static const char *const usage_score =
    "Usage: edgevirt-model score MODEL.json RUNS.jsonl... [--json | --csv] [--min-busy PCT]\n"
    "\n"
    "Scores a model on run records it may never have seen (another day, unseen sizes or\n"
    "MTUs, a re-anchored calibration, docs/calibration.md): every usable record of a platform\n"
    "of the model is predicted under its own conditions (op, size, MTU, link rate, clients,\n"
    "pipeline), nothing is refitted. Prints the points, then per platform the RPS MAPE and\n"
    "the CPU mean absolute error per category, per run and against the mean of each\n"
    "configuration's repeats, beside the repeats' own scatter (the noise floor).\n"
    "\n"
    "  --json           the crossval JSON document (schema edgevirt.crossval/1, by \"score\")\n"
    "  --csv            one header line, one line per point\n"
    "  --min-busy PCT   count only points whose recorded CPU reached PCT (default 0)\n"
    "\n"
    "Records of platforms the model does not have are skipped with a warning.\n"
    "Exit status: 0 ok, 1 runtime failure, 2 usage error or bad input.\n";

int cmd_score(int argc, char **argv)
{
    static const struct option lo[] = {
        { "help", no_argument, 0, 'h' }, { "json", no_argument, 0, 'j' },
        { "csv", no_argument, 0, 'C' },  { "min-busy", required_argument, 0, 'B' },
        { 0, 0, 0, 0 }
    };
    int o, json = 0, csv = 0, rc = EV_OK, f;
    ev_recset set = { NULL, 0, 0 };
    ev_error err = EV_ERROR_INIT;
    ev_model *m = NULL;
    ev_xval_point *pts = NULL;
    size_t npts = 0, nplat = 0, nskip = 0;
    const char **plat = NULL;

    while ((o = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (o) {
        case 'h': fputs(usage_score, stdout); return 0;
        case 'j': json = 1; break;
        case 'C': csv = 1; break;
        case 'B':
            if (xv_num(optarg, &xv_min_busy, 0, 1e6)) {
                fprintf(stderr, "edgevirt-model: score: --min-busy: must be a percentage >= 0, "
                        "got \"%s\"\n%s", optarg, usage_score);
                return 2;
            }
            break;
        default: fprintf(stderr, "edgevirt-model: score: bad option\n%s", usage_score); return 2;
        }
    }
    if (json && csv) {
        fprintf(stderr, "edgevirt-model: score: --json and --csv exclude each other\n");
        return 2;
    }
    if (argc - optind < 2) {
        fprintf(stderr, "edgevirt-model: score: MODEL.json and at least one RUNS.jsonl are "
                "required\n%s", usage_score);
        return 2;
    }
    rc = ev_model_load(&m, argv[optind], &err);
    for (f = optind + 1; f < argc && rc == EV_OK; f++)
        rc = ev_recset_load(&set, argv[f], 0, NULL, &err);
    if (rc == EV_OK)
        rc = ev_xval_score(&pts, &npts, &nskip, m, set.recs, set.n, xv_min_busy, &err);
    if (rc == EV_OK && nskip)
        fprintf(stderr, "edgevirt-model: warning: score: %zu records of platforms model %s "
                "does not have were skipped\n", nskip, ev_model_name(m));
    if (rc == EV_OK) {
        plat = malloc((npts ? npts : 1) * sizeof *plat);
        if (!plat)
            rc = ev_error_set(&err, EV_ENOMEM, "out of memory");
        else
            nplat = xv_platforms(plat, pts, npts, set.recs);
    }
    if (rc == EV_OK) {
        xv_model_name = ev_model_name(m);
        if (json)
            xv_write_json(stdout, EV_XVAL_SCORE, pts, npts, set.recs, plat, nplat);
        else if (csv)
            xv_write_csv(stdout, pts, npts, set.recs);
        else
            xv_write_text(stdout, EV_XVAL_SCORE, pts, npts, set.recs, plat, nplat);
    }
    free(plat);
    free(pts);
    ev_recset_free(&set);
    ev_model_free(m);
    if (rc != EV_OK) {
        fprintf(stderr, "edgevirt-model: score: %s\n", err.msg[0] ? err.msg : ev_strerror(rc));
        return ev_exit_code(rc);
    }
    return 0;
}
