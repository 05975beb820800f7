/* ev_report_drift.c - the drift of repeated anchor points over a run, and the rows of
 * measured mixes (measured beside predicted). */
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

/* "YYYY-MM-DDTHH:MM:SSZ" -> seconds since the epoch, or NAN */
static double ev_report__epoch(const char *iso)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6)
        return NAN;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (double)timegm(&tm);
}

/* Drift (workload.anchor records): each platform's anchor RPS over the sweep's time, in
 * percent of its first anchor. One chart, section "drift". */
int ev_report__drift(ev_report_plot_ctx *c, ev_error *err)
{
    const ev_report_set *s = c->set;
    size_t nr = ev_report_set_nrecords(s), i, k, np = 0, na = 0;
    double t0 = NAN, *x = NULL, *y = NULL;
    ev_plot *p = NULL;
    int rc = EV_OK, nser = 0;
    char note[256];
    for (i = 0; i < nr; i++) {
        const ev_record *r = &ev_report_set_record(s, i)->r;
        double t;
        if (!r->ok || !r->anchor || !isfinite(t = ev_report__epoch(r->time)))
            continue;
        na++;
        if (!(t >= t0))
            t0 = isfinite(t0) ? fmin(t0, t) : t;
    }
    if (na < 2)
        return EV_OK;
    x = malloc(na * sizeof *x);
    y = malloc(na * sizeof *y);
    if (!x || !y || (rc = ev_plot_new(&p, EV_PLOT_XY, "Drift: the anchor point through the sweep"))) {
        rc = ev_error_set(err, rc ? rc : EV_ENOMEM, "out of memory");
        goto out;
    }
    ev_plot_set_labels(p, "minutes since the first anchor", "anchor RPS (% of its platform's first)");
    ev_plot_set_key(p, "outside right top");
    for (size_t pl = 0; pl < c->nplatforms; pl++) {
        double first = NAN, tfirst = HUGE_VAL;
        k = 0;
        for (i = 0; i < nr; i++) { /* the platform's earliest anchor is the reference */
            const ev_record *r = &ev_report_set_record(s, i)->r;
            double t = ev_report__epoch(r->time);
            if (r->ok && r->anchor && !strcmp(r->platform, c->platforms[pl]) && t < tfirst) {
                tfirst = t;
                first = r->rps;
            }
        }
        for (i = 0; i < nr; i++) {
            const ev_record *r = &ev_report_set_record(s, i)->r;
            double t = ev_report__epoch(r->time);
            if (!r->ok || !r->anchor || strcmp(r->platform, c->platforms[pl]) || !isfinite(t) ||
                !(first > 0))
                continue;
            x[k] = (t - t0) / 60.0;
            y[k] = 100.0 * r->rps / first;
            k++;
        }
        if (!k)
            continue;
        /* time order for the line */
        for (size_t a = 1; a < k; a++)
            for (size_t b = a; b > 0 && x[b - 1] > x[b]; b--) {
                double tx = x[b], ty = y[b];
                x[b] = x[b - 1], y[b] = y[b - 1];
                x[b - 1] = tx, y[b - 1] = ty;
            }
        if ((rc = ev_plot_add_series(p, c->platforms[pl], EV_STYLE_LINESPOINTS, x, y, NULL,
                                     NULL, k)) ||
            (rc = ev_plot_set_series_color(p, nser++, ev_report_platform_color(c,
                                                                                c->platforms[pl])))) {
            rc = ev_error_set(err, rc, "chart drift: cannot add a series");
            goto out;
        }
        np++;
    }
    snprintf(note, sizeof note, "%zu anchor records (workload.anchor): the same configuration "
             "measured in every block; 100 %% = each platform's first", na);
    ev_plot_set_note(p, note);
    if (np)
        rc = ev_report_emit(c, p, "drift", "Drift of the anchor point over the sweep", "drift",
                            err);
out:
    ev_plot_free(p);
    free(x);
    free(y);
    return rc;
}

/* The measured mixes: one row per platform, mix and conditions, the repeats averaged. */
int ev_report__mix_rows(ev_report_plot_ctx *c)
{
    const ev_report_set *s = c->set;
    size_t nr = ev_report_set_nrecords(s), i, j;
    double *x;
    if (!ev_report_set_nmix(s))
        return EV_OK;
    c->xrows = calloc(ev_report_set_nmix(s), sizeof *c->xrows);
    x = malloc(nr * sizeof *x);
    if (!c->xrows || !x) {
        free(x);
        return EV_ENOMEM;
    }
    for (i = 0; i < nr; i++) {
        const ev_record *r = &ev_report_set_record(s, i)->r;
        ev_report_mix_row *w;
        if (!r->ok || !r->mix.n)
            continue;
        for (j = 0; j < c->nxrows; j++) {
            const ev_record *f = c->xrows[j].first;
            if (!strcmp(f->platform, r->platform) && !strcmp(f->mix.name, r->mix.name) &&
                f->clients == r->clients && f->pipeline == r->pipeline && f->mtu == r->mtu &&
                f->link_rate_bps == r->link_rate_bps)
                break;
        }
        if (j < c->nxrows)
            continue;
        w = &c->xrows[c->nxrows++];
        w->first = r;
        snprintf(w->platform, sizeof w->platform, "%s", r->platform);
        snprintf(w->name, sizeof w->name, "%s", r->mix.name[0] ? r->mix.name : "(unnamed)");
        w->get_ratio = r->mix.get_ratio;
        w->mean_size = r->value_size;
        w->clients = r->clients;
        w->pipeline = r->pipeline;
        w->mtu = r->mtu;
        w->pred = w->pred_lo = w->pred_hi = w->err_pct = NAN;
        for (size_t k = i; k < nr; k++) {
            const ev_record *q = &ev_report_set_record(s, k)->r;
            if (q->ok && q->mix.n && !strcmp(q->platform, r->platform) &&
                !strcmp(q->mix.name, r->mix.name) && q->clients == r->clients &&
                q->pipeline == r->pipeline && q->mtu == r->mtu &&
                q->link_rate_bps == r->link_rate_bps)
                x[w->n++] = q->rps;
        }
        ev_report_mean_ci(&w->measured, &w->lo, &w->hi, x, w->n);
    }
    free(x);
    ev_report__note(c->sum, "%zu measured mix record%s (workload.op \"MIX\") in %zu row%s: "
                            "the table \"Measured mixes\" of index.html%s",
                    ev_report_set_nmix(s), ev_report_set_nmix(s) == 1 ? "" : "s", c->nxrows,
                    c->nxrows == 1 ? "" : "s", "");
    return EV_OK;
}
