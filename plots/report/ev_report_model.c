/* ev_report_model.c - `plot --model`: the model's predictions over the measured points
 * (model_OP: line + 95 % band per platform, the measured means with error bars in the same
 * colour) and the residuals (resid_OP: measured / predicted - 1, in percent). */
#include "ev_report_plot_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef EV_REPORT_HAVE_MODEL
#include "ev_fit.h"
#include "ev_model.h"

#define EV_REPORT_GRID 48

void ev_report_model_rows_free(ev_report_plot_ctx *c)
{
    free(c->mrows);
    c->mrows = NULL;
    c->nmrows = 0;
}

static int predict_at(ev_prediction *pr, const ev_model *m, int pi, const ev_report_agg *g,
                      double size, ev_error *err)
{
    ev_conditions cond = EV_CONDITIONS_INIT;
    cond.key_size = g->pt->recs[0]->r.key_size ? g->pt->recs[0]->r.key_size : 16;
    if (g->key.mtu)
        cond.mtu = g->key.mtu;
    cond.link_rate_bps = g->key.link_rate_bps;
    if (g->key.clients)
        cond.clients = g->key.clients;
    if (g->key.pipeline)
        cond.pipeline = g->key.pipeline;
    ev_mix_item mix = { g->key.op, size, 1.0 };
    return ev_model_predict(pr, m, (size_t)pi, &mix, 1, &cond, err);
}

/* which = 0: the prediction chart (and the table rows), 1: the residual chart. Both are
 * computed each time (cheap) so index.html can show GET and SET side by side. */
static int draw_op(ev_report_plot_ctx *c, const ev_model *m, ev_op op, int which, ev_error *err)
{
    const ev_report_agg *a = c->agg;
    size_t n = c->nagg;
    char opl[8], base[64], rbase[64], title[256], rtitle[256];
    snprintf(opl, sizeof opl, "%s", op == EV_OP_GET ? "get" : "set");
    snprintf(base, sizeof base, "model_%s", opl);
    snprintf(rbase, sizeof rbase, "resid_%s", opl);
    snprintf(title, sizeof title, "%s: RPS of the records vs model %s", ev_op_name(op),
             ev_model_name(m));
    snprintf(rtitle, sizeof rtitle, "%s: residuals vs model %s", ev_op_name(op),
             ev_model_name(m));
    ev_plot *p = NULL, *r = NULL;
    int rc = EV_OK;
    size_t nser = 0, nrser = 0;
    double x[EV_REPORT_GRID], y[EV_REPORT_GRID], lo[EV_REPORT_GRID], hi[EV_REPORT_GRID];
    double *mx = malloc((n ? n : 1) * sizeof *mx), *my = malloc((n ? n : 1) * sizeof *my),
           *ml = malloc((n ? n : 1) * sizeof *ml), *mh = malloc((n ? n : 1) * sizeof *mh),
           *rr = malloc((n ? n : 1) * sizeof *rr), *rx = malloc((n ? n : 1) * sizeof *rx);
    double xmin = INFINITY, xmax = 0, ymax = 0, rmin = 0, rmax = 0;
    if (!mx || !my || !ml || !mh || !rr || !rx || ev_plot_new(&p, EV_PLOT_XY, title) ||
        ev_plot_new(&r, EV_PLOT_XY, rtitle)) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i].key.op == op) {
            if (a[i].key.value_size < xmin) xmin = a[i].key.value_size;
            if (a[i].key.value_size > xmax) xmax = a[i].key.value_size;
        }
    if (!(xmax > 0))
        goto out;
    size_t ncurves = 0; /* the curves this chart will draw (platforms the model knows) */
    for (size_t i = 0; i < n; i++)
        if (a[i].key.op == op && ev_report_curve_first(a, i) &&
            ev_model_find(m, a[i].key.platform) >= 0)
            ncurves++;
    for (size_t i = 0; i < n; i++) {
        if (a[i].key.op != op)
            continue;
        if (!ev_report_curve_first(a, i))
            continue;
        int pi = ev_model_find(m, a[i].key.platform);
        if (pi < 0) {
            char kb[256];
            ev_report_key_format(kb, sizeof kb, &a[i].key);
            if (!which)
                ev_report__note(c->sum, "model %s has no platform \"%s\": %s drawn without a "
                                    "prediction", ev_model_name(m), a[i].key.platform, kb);
            continue;
        }
        char label[160], plabel[200];
        ev_report_curve_label(label, sizeof label, a, n, &a[i].key);
        unsigned col = ev_report_platform_color(c, a[i].key.platform);
        size_t k = 0;
        for (size_t j = i; j < n; j++) {
            if (!ev_report_curve_same(&a[j].key, &a[i].key))
                continue;
            ev_prediction pr;
            if ((rc = predict_at(&pr, m, pi, &a[j], a[j].key.value_size, err)))
                goto out;
            mx[k] = a[j].key.value_size;
            /* residual curves shifted sideways (factor 1.05 per curve) so equal residuals of
             * several platforms stay visible */
            rx[k] = mx[k] * pow(1.05, (double)nrser);
            my[k] = a[j].rps_mean;
            ml[k] = a[j].rps_lo;
            mh[k] = a[j].rps_hi;
            if (mh[k] > ymax)
                ymax = mh[k];
            rr[k] = pr.rps > 0 ? 100.0 * (a[j].rps_mean / pr.rps - 1.0) : NAN;
            if (isfinite(rr[k]) && rr[k] < rmin)
                rmin = rr[k];
            if (isfinite(rr[k]) && rr[k] > rmax)
                rmax = rr[k];
            if (which) {
                k++;
                continue;
            }
            ev_report_model_row *nr = realloc(c->mrows, (c->nmrows + 1) * sizeof *nr);
            if (!nr) {
                rc = ev_error_set(err, EV_ENOMEM, "out of memory");
                goto out;
            }
            c->mrows = nr;
            ev_report_model_row *row = &nr[c->nmrows++];
            row->key = a[j].key;
            row->measured = a[j].rps_mean;
            row->pred = pr.rps;
            row->pred_lo = pr.rps_lo;
            row->pred_hi = pr.rps_hi;
            row->resid_pct = rr[k];
            snprintf(row->bound, sizeof row->bound, "%s", ev_bound_name(pr.bound, pr.bound_cat));
            k++;
        }
        double l0 = log(xmin / 1.6), l1 = log(xmax * 1.6);
        for (int g = 0; g < EV_REPORT_GRID; g++) {
            ev_prediction pr;
            x[g] = exp(l0 + (l1 - l0) * g / (EV_REPORT_GRID - 1));
            if ((rc = predict_at(&pr, m, pi, &a[i], x[g], err)))
                goto out;
            y[g] = pr.rps;
            lo[g] = pr.rps_lo;
            hi[g] = pr.rps_hi;
            if (isfinite(hi[g]) && hi[g] > ymax)
                ymax = hi[g];
        }
        snprintf(plabel, sizeof plabel, "%s, model (95%% band)", label);
        if ((rc = ev_plot_add_series(p, plabel, EV_STYLE_LINES, x, y, lo, hi, EV_REPORT_GRID)) ||
            (rc = ev_plot_set_series_color(p, nser++, col)) ||
            /* with more than 3 curves the key lists the records only (the note says what the
             * lines are), so that it stays small enough not to cover the data */
            (ncurves > 3 && (rc = ev_plot_set_series_nokey(p, nser - 1))) ||
            (rc = ev_plot_add_series(p, label, EV_STYLE_ERRORPOINTS, mx, my, ml, mh, k)) ||
            (rc = ev_plot_set_series_color(p, nser++, col)) ||
            (rc = ev_plot_add_series(r, label, EV_STYLE_LINESPOINTS, rx, rr, NULL, NULL, k)) ||
            (rc = ev_plot_set_series_color(r, nrser++, col))) {
            rc = ev_error_set(err, rc, "chart %s: cannot add a series", base);
            goto out;
        }
    }
    if (!nser)
        goto out;
    ev_plot_set_labels(p, "value size (bytes, log scale)", "requests per second (req/s)");
    ev_plot_set_log(p, 1, 0);
    ev_plot_set_range(p, 'x', xmin / 1.6, xmax * 1.6);
    ev_plot_set_key(p, "top right"); /* above the curves: the y range leaves room for it */
    ev_plot_set_range(p, 'y', 0, ymax > 0 ? ymax * (1.25 + 0.07 * (double)(ncurves > 3 ? ncurves
                                                                                    : nser))
                                          : NAN);
    ev_plot_set_note(p, "lines and bands: the model's prediction with its 95 % interval; "
                        "points with bars: mean of the records, 95 % t-interval");
    ev_plot_set_labels(r, "value size (bytes, log scale)", "residual (%)");
    ev_plot_set_log(r, 1, 0);
    ev_plot_set_key(r, "outside right top");
    ev_plot_set_range(r, 'x', xmin / 1.6, xmax * 1.6);
    {
        /* 0 included, with room on both sides so the zero line is not the border */
        double span = rmax - rmin > 10 ? rmax - rmin : 10;
        ev_plot_set_range(r, 'y', rmin - 0.1 * span, rmax + 0.1 * span);
    }
    {
        double zx[2] = { xmin / 1.6, xmax * 1.6 }, zy[2] = { 0, 0 };
        if ((rc = ev_plot_add_series(r, "0 (model exact)", EV_STYLE_LINES, zx, zy, NULL, NULL,
                                     2)) ||
            (rc = ev_plot_set_series_color(r, nrser++, 0x999999))) {
            rc = ev_error_set(err, rc, "chart %s: cannot add a series", rbase);
            goto out;
        }
    }
    rc = which ? ev_report_emit(c, r, rbase, rtitle, "model", err)
               : ev_report_emit(c, p, base, title, "model", err);
out:
    free(mx);
    free(my);
    free(ml);
    free(mh);
    free(rr);
    free(rx);
    ev_plot_free(p);
    ev_plot_free(r);
    return rc;
}

int ev_report_draw_model(ev_report_plot_ctx *c, const char *model_path, ev_error *err)
{
    ev_model *m = NULL;
    int rc = strcmp(model_path, "default") == 0 ? ev_model_default(&m, err)
                                                : ev_model_load(&m, model_path, err);
    if (rc)
        return rc;
    snprintf(c->model_name, sizeof c->model_name, "%s%s", ev_model_name(m),
             ev_model_source(m) == EV_SOURCE_RECONSTRUCTED ? " (reconstructed)" : "");
    snprintf(c->model_path, sizeof c->model_path, "%s",
             strcmp(model_path, "default") == 0 ? "the embedded default" : model_path);
    for (int which = 0; which < 2 && !rc; which++)
        for (int op = 0; op < 2 && !rc; op++)
            rc = draw_op(c, m, (ev_op)op, which, err);
    /* measured mixes: the model's prediction of the same mix under the same conditions */
    for (size_t i = 0; i < c->nxrows && !rc; i++) {
        ev_report_mix_row *w = &c->xrows[i];
        ev_prediction pr;
        int mp = ev_model_find(m, w->platform);
        if (mp < 0)
            continue; /* the table says "not in the model" */
        if ((rc = ev_fit_predict_record(&pr, m, (size_t)mp, w->first, err)) != EV_OK) {
            ev_error_prefix(err, "--model: mix %s of %s", w->name, w->platform);
            break;
        }
        w->pred = pr.rps;
        w->pred_lo = pr.rps_lo;
        w->pred_hi = pr.rps_hi;
        w->err_pct = 100.0 * (pr.rps - w->measured) / w->measured;
    }
    ev_model_free(m);
    return rc;
}

#else /* built without libedgevirt-model */

void ev_report_model_rows_free(ev_report_plot_ctx *c)
{
    (void)c;
}

int ev_report_draw_model(ev_report_plot_ctx *c, const char *model_path, ev_error *err)
{
    (void)c;
    return ev_error_set(err, EV_EUSAGE, "--model %s: this edgevirt-report was built without "
                                        "libedgevirt-model (model/ was missing at build time)",
                        model_path);
}
#endif
