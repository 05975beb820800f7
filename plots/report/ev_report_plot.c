/* ev_report_plot.c - what `plot` and `compare --out` draw (see ev_report_plot.h).
 * Aggregation (means, intervals, packet sizes) is computed here into plain arrays; the charts
 * (ev_report_charts.c, ev_report_drift.c) are described through ev_plots and written by it;
 * index.html is written by ev_report_html.c from the same aggregates. */
#include "ev_report_plot.h"
#include "ev_report_plot_priv.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ev_fs.h"
#include "ev_plot.h"

/* ---- summary notes ---- */
int ev_report__note(ev_report_plot_summary *s, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **n = realloc(s->notes, (s->nnotes + 1) * sizeof *n);
    if (!n)
        return EV_ENOMEM;
    s->notes = n;
    if (!(n[s->nnotes] = strdup(buf)))
        return EV_ENOMEM;
    s->nnotes++;
    return EV_OK;
}

void ev_report_plot_summary_free(ev_report_plot_summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nnotes; i++)
        free(s->notes[i]);
    free(s->notes);
    memset(s, 0, sizeof *s);
}

/* ---- aggregation ---- */
static double ev_report__nanmean(const double *v, size_t n)
{
    double s = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            s += v[i];
            k++;
        }
    return k ? s / (double)k : NAN;
}

int ev_report_aggregate(ev_report_agg **out, size_t *nout, const ev_report_set *s)
{
    size_t np = ev_report_set_npoints(s);
    ev_report_agg *a = calloc(np ? np : 1, sizeof *a);
    if (!a)
        return EV_ENOMEM;
    for (size_t i = 0; i < np; i++) {
        const ev_report_point *p = ev_report_set_point(s, i);
        ev_report_agg *g = &a[i];
        g->pt = p;
        g->key = p->key;
        g->n = p->n;
        g->rps = malloc(p->n * sizeof *g->rps);
        double *tmp = malloc(p->n * sizeof *tmp);
        if (!g->rps || !tmp) {
            free(tmp);
            ev_report_agg_free(a, np);
            return EV_ENOMEM;
        }
        for (size_t r = 0; r < p->n; r++) {
            g->rps[r] = p->recs[r]->r.rps;
            if (p->recs[r]->r.source == EV_SOURCE_RECONSTRUCTED)
                g->nrecon++;
        }
        ev_report_mean_ci(&g->rps_mean, &g->rps_lo, &g->rps_hi, g->rps, p->n);
        for (int c = 0; c < EV_CPU_NFIELDS; c++) {
            for (size_t r = 0; r < p->n; r++)
                tmp[r] = p->recs[r]->r.cpu[c] >= 0 ? p->recs[r]->r.cpu[c] : NAN;
            g->cpu[c] = ev_report__nanmean(tmp, p->n);
        }
        for (size_t r = 0; r < p->n; r++) {
            double b = ev_report_cpu_busy(&p->recs[r]->r);
            tmp[r] = b >= 0 ? b : NAN;
        }
        g->busy = ev_report__nanmean(tmp, p->n);
        for (int role = 0; role < EV_NROLES; role++)
            for (int d = 0; d < 2; d++) {
                for (size_t r = 0; r < p->n; r++) {
                    const ev_ifcount *f = &p->recs[r]->r.ifc[role];
                    tmp[r] = (f->present && f->packets[d] > 0 && f->bytes[d] >= 0)
                                 ? f->bytes[d] / f->packets[d] : NAN;
                }
                g->pkt[role][d] = ev_report__nanmean(tmp, p->n);
            }
        free(tmp);
    }
    *out = a;
    *nout = np;
    return EV_OK;
}

void ev_report_agg_free(ev_report_agg *a, size_t n)
{
    if (!a)
        return;
    for (size_t i = 0; i < n; i++)
        free(a[i].rps);
    free(a);
}

double ev_report_cpu_other(const ev_report_agg *g)
{
    double o = 0;
    static const int cats[] = { EV_CPU_NICE, EV_CPU_IRQ, EV_CPU_STEAL, EV_CPU_GNICE };
    for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++)
        if (isfinite(g->cpu[cats[i]]))
            o += g->cpu[cats[i]];
    return o;
}

/* Curves: the points of one platform and conditions (everything but the value size). */
int ev_report_curve_same(const ev_report_key *a, const ev_report_key *b)
{
    return strcmp(a->platform, b->platform) == 0 && a->op == b->op && a->clients == b->clients &&
           a->pipeline == b->pipeline && a->mtu == b->mtu && a->link_rate_bps == b->link_rate_bps;
}

/* 1 when a[i] is the first aggregate of its curve (no a[j], j < i, lies on the same curve). */
int ev_report_curve_first(const ev_report_agg *a, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (ev_report_curve_same(&a[j].key, &a[i].key))
            return 0;
    return 1;
}

/* Label of a curve: the platform, plus the conditions when this op has several sets of them. */
void ev_report_curve_label(char *buf, size_t len, const ev_report_agg *a, size_t n,
                           const ev_report_key *k)
{
    int several = 0;
    for (size_t i = 0; i < n && !several; i++)
        if (a[i].key.op == k->op &&
            (a[i].key.clients != k->clients || a[i].key.pipeline != k->pipeline ||
             a[i].key.mtu != k->mtu || a[i].key.link_rate_bps != k->link_rate_bps))
            several = 1;
    size_t nrep = 0, nrecon = 0;
    for (size_t i = 0; i < n; i++)
        if (ev_report_curve_same(&a[i].key, k)) {
            nrep += a[i].n;
            nrecon += a[i].nrecon;
        }
    const char *src = nrecon == 0 ? "" : nrecon == nrep ? " (reconstructed)"
                                                        : " (partly reconstructed)";
    char link[32];
    /* link_rate_bps 0: unknown or unlimited (docs/formats.md), never "0 Mbit/s" */
    if (k->link_rate_bps > 0)
        snprintf(link, sizeof link, "%g Mbit/s", k->link_rate_bps / 1e6);
    else
        snprintf(link, sizeof link, "link unlimited");
    if (!several)
        snprintf(buf, len, "%s%s", k->platform, src);
    else
        snprintf(buf, len, "%s c%u P%u MTU %u %s%s", k->platform, (unsigned)k->clients,
                 (unsigned)k->pipeline, (unsigned)k->mtu, link, src);
}

/* Colour of a platform: its index among the platforms of every set drawn, so one platform
 * keeps its colour in every chart. */
unsigned ev_report_platform_color(const ev_report_plot_ctx *c, const char *platform)
{
    for (size_t i = 0; i < c->nplatforms; i++)
        if (strcmp(c->platforms[i], platform) == 0)
            return ev_plot_color(i);
    return 0x777777;
}

static int ev_report__add_platform(ev_report_plot_ctx *c, const char *p)
{
    for (size_t i = 0; i < c->nplatforms; i++)
        if (strcmp(c->platforms[i], p) == 0)
            return EV_OK;
    if (c->nplatforms == sizeof c->platforms / sizeof c->platforms[0])
        return EV_OK;
    snprintf(c->platforms[c->nplatforms++], sizeof c->platforms[0], "%s", p);
    return EV_OK;
}

/* ---- writing one chart ---- */
int ev_report_emit(ev_report_plot_ctx *c, ev_plot *p, const char *base, const char *title,
                   const char *section, ev_error *err)
{
    int rc = ev_plot_write(p, c->dir, base, err);
    if (rc)
        return rc;
    int rendered = 0;
    if (c->render) {
        ev_error e2 = EV_ERROR_INIT;
        rc = ev_plot_render(&rendered, c->dir, base, &e2);
        if (rc) {
            *err = e2;
            return rc;
        }
        if (!rendered && !c->warned_gnuplot) {
            c->warned_gnuplot = 1;
            if (c->sum)
                ev_report__note(c->sum, "%s", e2.msg[0] ? e2.msg : "gnuplot did not run");
            snprintf(c->warn, sizeof c->warn, "%s", e2.msg);
        }
    }
    if (c->nchart == sizeof c->charts / sizeof c->charts[0])
        return ev_error_set(err, EV_ENOMEM, "too many charts");
    ev_report_chart *ch = &c->charts[c->nchart++];
    snprintf(ch->base, sizeof ch->base, "%s", base);
    snprintf(ch->title, sizeof ch->title, "%s", title);
    snprintf(ch->section, sizeof ch->section, "%s", section);
    ch->rendered = rendered;
    if (c->sum) {
        c->sum->ncharts++;
        c->sum->nrendered += (size_t)rendered;
    }
    return EV_OK;
}
static int ev_report__note_lonely(ev_report_plot_summary *s, const ev_report_agg *a, size_t n,
                                  const char *what)
{
    for (size_t i = 0; i < n; i++) {
        int first = 1, count = 0;
        for (size_t j = 0; j < n; j++)
            if (ev_report_curve_same(&a[j].key, &a[i].key)) {
                if (j < i)
                    first = 0;
                count++;
            }
        if (first && count == 1) {
            char kb[256];
            ev_report_key_format(kb, sizeof kb, &a[i].key);
            if (ev_report__note(s, "%s%s: one value size only, so no curve against size: drawn "
                                   "as a single point (%zu repeat%s)",
                                what, kb, a[i].n, a[i].n == 1 ? "" : "s"))
                return EV_ENOMEM;
        }
    }
    return EV_OK;
}
int ev_report_plot(ev_report_plot_summary *out, const char *const *files, size_t nfiles,
                   const ev_report_plot_options *opt, ev_error *err)
{
    memset(out, 0, sizeof *out);
    ev_report_plot_ctx *c = calloc(1, sizeof *c);
    ev_report_set *set = NULL, *paper = NULL;
    int rc = EV_OK;
    if (!c)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    c->dir = opt->out_dir;
    c->render = opt->render;
    c->sum = out;
    if ((rc = ev_report_set_new(&set, err)))
        goto out;
    for (size_t i = 0; i < nfiles; i++)
        if ((rc = ev_report_set_load(set, files[i], err)))
            goto out;
    if (nfiles && (rc = ev_report_set_group(set, err))) {
        if (!strstr(err->msg, "no successful"))
            goto out;
        ev_error_prefix(err, "%s", files[0]);
        goto out;
    }
    if (opt->paper) {
        const char *text = ev_report_paper_runs();
        ev_report_set *dst = nfiles ? NULL : set; /* alone, the paper's records are the data */
        if (!text) {
            rc = ev_error_set(err, EV_ENOENT, "--paper: this build has no embedded paper "
                                              "calibration (data/paper/runs.jsonl was missing "
                                              "when it was built)");
            goto out;
        }
        if (!dst && (rc = ev_report_set_new(&paper, err)))
            goto out;
        if (!dst)
            dst = paper;
        if ((rc = ev_report_set_load_text(dst, text, "data/paper/runs.jsonl (embedded)", err)) ||
            (rc = ev_report_set_group(dst, err)))
            goto out;
    }
    for (size_t i = 0; i < ev_report_set_nrecords(set); i++) {
        const ev_report_rec *r = ev_report_set_record(set, i);
        out->nrecords++;
        if (!r->r.ok)
            out->nfailed++;
        else if (r->r.source == EV_SOURCE_RECONSTRUCTED)
            out->nreconstructed++;
        else
            out->nmeasured++;
    }
    if (out->nfailed)
        ev_report__note(out, "%zu failed run record%s (\"status\": \"failed\") left out of the "
                             "charts; listed in index.html",
                        out->nfailed, out->nfailed == 1 ? "" : "s");
    if ((rc = ev_fs_mkdirs(opt->out_dir, err)))
        goto out;
    c->set = set;
    c->paper = paper;
    if ((rc = ev_report_aggregate(&c->agg, &c->nagg, set))) {
        rc = ev_error_set(err, rc, "out of memory");
        goto out;
    }
    if (paper && (rc = ev_report_aggregate(&c->pagg, &c->npagg, paper))) {
        rc = ev_error_set(err, rc, "out of memory");
        goto out;
    }
    if ((rc = ev_report__mix_rows(c))) {
        rc = ev_error_set(err, rc, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < c->nagg; i++)
        ev_report__add_platform(c, c->agg[i].key.platform);
    for (size_t i = 0; i < c->npagg; i++)
        ev_report__add_platform(c, c->pagg[i].key.platform);
    if ((rc = ev_report__note_lonely(out, c->agg, c->nagg, "")) ||
        (rc = ev_report__note_lonely(out, c->pagg, c->npagg, "paper: "))) {
        rc = ev_error_set(err, rc, "out of memory");
        goto out;
    }
    /* the model first: a bad model file fails before any chart is written */
    if (opt->model_path && (rc = ev_report_draw_model(c, opt->model_path, err)))
        goto out;
    if ((rc = ev_report_draw_set(c, c->agg, c->nagg, "",
                                 nfiles ? "your records" : "paper (RECONSTRUCTED, not measured)",
                                 err)))
        goto out;
    if (paper &&
        (rc = ev_report_draw_set(c, c->pagg, c->npagg, "paper_",
                                 "paper (RECONSTRUCTED, not measured)", err)))
        goto out;
    if ((rc = ev_report__drift(c, err)))
        goto out;
    rc = ev_report_write_html(c, err);
out:
    if (c) {
        ev_report_agg_free(c->agg, c->nagg);
        ev_report_agg_free(c->pagg, c->npagg);
        ev_report_model_rows_free(c);
        free(c->xrows);
        free(c);
    }
    ev_report_set_free(set);
    ev_report_set_free(paper);
    if (rc)
        ev_report_plot_summary_free(out);
    return rc;
}

/* ---- compare --out ---- */
int ev_report_chart_compare(const ev_compare_result *r, const char *dir, int render,
                            const char **warn, ev_error *err)
{
    *warn = NULL;
    ev_report_plot_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    c->dir = dir;
    c->render = render;
    int rc = ev_fs_mkdirs(dir, err);
    for (size_t i = 0; i < r->nrows; i++)
        ev_report__add_platform(c, r->rows[i].key.platform);
    static const int metrics[2] = { EV_RM_RPS, EV_RM_CPU_PER_REQ };
    for (int mi = 0; !rc && mi < 2; mi++) {
        for (int op = 0; !rc && op < 2; op++) {
            size_t have = 0;
            for (size_t i = 0; i < r->nrows; i++)
                have += r->rows[i].metric == metrics[mi] && r->rows[i].key.op == (ev_op)op;
            if (!have)
                continue;
            char title[256], base[64], opl[8];
            ev_report__lower(opl, sizeof opl, ev_op_name((ev_op)op));
            snprintf(base, sizeof base, "compare_%s_%s", ev_report_metric_name(metrics[mi]), opl);
            snprintf(title, sizeof title, "%s: change of %s, B over A (%%), 95 %% intervals",
                     ev_op_name((ev_op)op),
                     metrics[mi] == EV_RM_RPS ? "requests per second" : "CPU per request");
            ev_plot *p = NULL;
            double *x = malloc(have * sizeof *x), *y = malloc(have * sizeof *y),
                   *lo = malloc(have * sizeof *lo), *hi = malloc(have * sizeof *hi);
            if (!x || !y || !lo || !hi || ev_plot_new(&p, EV_PLOT_XY, title)) {
                free(x); free(y); free(lo); free(hi);
                rc = ev_error_set(err, EV_ENOMEM, "out of memory");
                break;
            }
            ev_plot_set_labels(p, "value size (bytes, log scale)", "change B vs A (%)");
            ev_plot_set_log(p, 1, 0);
            ev_plot_set_key(p, "outside right top");
            double xmin = INFINITY, xmax = 0;
            size_t nser = 0, ncurve = 0, ncurves = 0;
            for (size_t i = 0; i < r->nrows; i++) {
                const ev_compare_row *w = &r->rows[i];
                int first = w->metric == metrics[mi] && w->key.op == (ev_op)op;
                for (size_t j = 0; first && j < i; j++)
                    if (r->rows[j].metric == w->metric &&
                        ev_report_curve_same(&r->rows[j].key, &w->key))
                        first = 0;
                ncurves += (size_t)first;
            }
            for (size_t i = 0; !rc && i < r->nrows; i++) {
                const ev_compare_row *w = &r->rows[i];
                if (w->metric != metrics[mi] || w->key.op != (ev_op)op)
                    continue;
                int first = 1;
                for (size_t j = 0; j < i; j++)
                    if (r->rows[j].metric == w->metric &&
                        ev_report_curve_same(&r->rows[j].key, &w->key))
                        first = 0;
                if (!first)
                    continue;
                size_t m = 0;
                for (size_t j = i; j < r->nrows; j++) {
                    const ev_compare_row *v = &r->rows[j];
                    if (v->metric != w->metric || !ev_report_curve_same(&v->key, &w->key))
                        continue;
                    /* dodged sideways per platform (log axis: a factor) so equal changes of
                     * several platforms stay visible; the .dat holds the dodged x */
                    x[m] = v->key.value_size *
                           pow(1.08, (double)ncurve - ((double)ncurves - 1.0) / 2.0);
                    y[m] = v->change_pct;
                    lo[m] = isfinite(v->change_lo) ? v->change_lo : v->change_pct;
                    hi[m] = isfinite(v->change_hi) ? v->change_hi : v->change_pct;
                    if (x[m] < xmin) xmin = x[m];
                    if (x[m] > xmax) xmax = x[m];
                    m++;
                }
                ncurve++;
                char label[160];
                snprintf(label, sizeof label, "%s", w->key.platform);
                if ((rc = ev_plot_add_series(p, label, EV_STYLE_ERRORBARS, x, y, lo, hi, m)) ||
                    (rc = ev_plot_set_series_color(p, nser++,
                                                   ev_report_platform_color(c, w->key.platform))))
                    rc = ev_error_set(err, rc, "chart %s: cannot add a series", base);
            }
            if (!rc) {
                /* no change and the +-min-change lines: changes inside never count */
                double a0 = xmin / 1.6, a1 = xmax * 1.6, mc = r->opt.min_change;
                double bx[2] = { a0, a1 }, lv[3] = { mc, -mc, 0 };
                char bl[96];
                snprintf(bl, sizeof bl, "0 and +-%g %% (min-change)", mc);
                for (int l = 0; !rc && l < 3; l++) {
                    double by[2] = { lv[l], lv[l] };
                    if ((rc = ev_plot_add_series(p, l == 0 ? bl : "", EV_STYLE_LINES, bx, by,
                                                 NULL, NULL, 2)) ||
                        (rc = ev_plot_set_series_color(p, nser++, 0x999999)))
                        rc = ev_error_set(err, rc, "chart %s: cannot add a series", base);
                }
                ev_plot_set_range(p, 'x', xmin / 1.6, xmax * 1.6);
                char note[160];
                snprintf(note, sizeof note, "significant: p < %g and |change| > %g %%; points "
                         "shifted sideways per platform to stay visible",
                         r->opt.alpha, r->opt.min_change);
                ev_plot_set_note(p, note);
            }
            if (!rc)
                rc = ev_report_emit(c, p, base, title, "compare", err);
            ev_plot_free(p);
            free(x); free(y); free(lo); free(hi);
        }
    }
    if (!rc && c->warned_gnuplot) {
        static char w[EV_ERRSTR_LEN];
        snprintf(w, sizeof w, "%s", c->warn);
        *warn = w;
    }
    free(c);
    return rc;
}
