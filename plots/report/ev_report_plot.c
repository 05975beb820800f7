/* ev_report_plot.c - what `plot` and `compare --out` draw (see ev_report_plot.h).
 * Aggregation (means, intervals, packet sizes) is computed here into plain arrays; the charts
 * are described through ev_plots and written by it; index.html is written by ev_report_html.c
 * from the same aggregates. */
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

static void ev_report__lower(char *dst, size_t len, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < len; i++)
        dst[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i]);
    dst[i] = '\0';
}

/* RPS vs value size for one op: every curve with error bars and its repeats as circles. */
static int ev_report__chart_rps(ev_report_plot_ctx *c, const ev_report_agg *a, size_t n,
                                ev_op op, const char *prefix, const char *what, ev_error *err)
{
    ev_plot *p = NULL;
    char title[256], base[64], opl[8], label[160];
    ev_report__lower(opl, sizeof opl, ev_op_name(op));
    snprintf(base, sizeof base, "%srps_%s", prefix, opl);
    snprintf(title, sizeof title, "%s: requests per second, %s%s", ev_op_name(op), what,
             "");
    size_t have = 0;
    for (size_t i = 0; i < n; i++)
        have += a[i].key.op == op;
    if (!have)
        return EV_OK;
    int rc = ev_plot_new(&p, EV_PLOT_XY, title);
    if (rc)
        return ev_error_set(err, rc, "chart %s: out of memory", base);
    ev_plot_set_labels(p, "value size (bytes, log scale)", "requests per second (req/s)");
    ev_plot_set_log(p, 1, 0);
    ev_plot_set_key(p, "top left");
    double xmin = INFINITY, xmax = 0, ymax = 0;
    uint32_t mtus[8];
    size_t nmtu = 0;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *lo = malloc(n * sizeof *lo),
           *hi = malloc(n * sizeof *hi);
    size_t nser = 0;
    if (!x || !y || !lo || !hi) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (a[i].key.op != op)
            continue;
        /* first point of a curve starts it */
        if (!ev_report_curve_first(a, i))
            continue;
        size_t m = 0, nrep = 0;
        for (size_t j = i; j < n; j++) {
            if (!ev_report_curve_same(&a[j].key, &a[i].key))
                continue;
            x[m] = a[j].key.value_size;
            y[m] = a[j].rps_mean;
            lo[m] = a[j].rps_lo;
            hi[m] = a[j].rps_hi;
            if (x[m] < xmin) xmin = x[m];
            if (x[m] > xmax) xmax = x[m];
            if (hi[m] > ymax) ymax = hi[m];
            nrep += a[j].n;
            m++;
        }
        ev_report_curve_label(label, sizeof label, a, n, &a[i].key);
        unsigned col = ev_report_platform_color(c, a[i].key.platform);
        /* a platform's second, third ... curve (another MTU, client count, link) keeps the
         * platform's colour with another dash type, so the variants stay apart */
        int variant = 0;
        for (size_t j = 0; j < i; j++)
            if (a[j].key.op == op && strcmp(a[j].key.platform, a[i].key.platform) == 0)
                variant += ev_report_curve_first(a, j);
        if ((rc = ev_plot_add_series(p, label, EV_STYLE_ERRORBARS, x, y, lo, hi, m)) ||
            (rc = ev_plot_set_series_color(p, nser, col)) ||
            (rc = ev_plot_set_series_dash(p, nser++, variant ? 2 + (variant - 1) % 4 : 0))) {
            rc = ev_error_set(err, rc, "chart %s: cannot add a series", base);
            goto out;
        }
        /* every repeat, so few repeats stay visible as what they are */
        double *rx = malloc(nrep * sizeof *rx), *ry = malloc(nrep * sizeof *ry);
        if (!rx || !ry) {
            free(rx);
            free(ry);
            rc = ev_error_set(err, EV_ENOMEM, "out of memory");
            goto out;
        }
        size_t k = 0;
        for (size_t j = i; j < n; j++) {
            if (!ev_report_curve_same(&a[j].key, &a[i].key))
                continue;
            for (size_t r = 0; r < a[j].n; r++) {
                rx[k] = a[j].key.value_size;
                ry[k] = a[j].rps[r];
                if (ry[k] > ymax) ymax = ry[k];
                k++;
            }
        }
        rc = ev_plot_add_series(p, "", EV_STYLE_SMALLPOINTS, rx, ry, NULL, NULL, k);
        free(rx);
        free(ry);
        if (rc || (rc = ev_plot_set_series_color(p, nser++, col))) {
            rc = ev_error_set(err, rc, "chart %s: cannot add a series", base);
            goto out;
        }
        int known = 0;
        for (size_t t = 0; t < nmtu; t++)
            known |= mtus[t] == a[i].key.mtu;
        if (!known && a[i].key.mtu > 0 && nmtu < 8)
            mtus[nmtu++] = a[i].key.mtu;
    }
    ev_plot_set_range(p, 'x', xmin / 1.6, xmax * 1.6);
    if (nser / 2 > 4) {
        /* many curves: the legend goes beside the plot, where it cannot cover the MTU labels */
        ev_plot_set_key(p, "outside right top");
        ev_plot_set_range(p, 'y', 0, ymax * 1.15);
    } else {
        /* headroom above the data for the legend (top left) and the MTU label (top) */
        ev_plot_set_range(p, 'y', 0, ymax * (1.2 + 0.06 * (double)(nser / 2)));
    }
    for (size_t t = 0; t < nmtu; t++) {
        char ml[64];
        snprintf(ml, sizeof ml, "MTU %u B", (unsigned)mtus[t]);
        ev_plot_add_marker(p, mtus[t], ml);
    }
    ev_plot_set_note(p, "circles: single repeats; bars: 95 % t-interval of the mean");
    rc = ev_report_emit(c, p, base, title, prefix[0] ? "paper" : "rps", err);
out:
    free(x);
    free(y);
    free(lo);
    free(hi);
    ev_plot_free(p);
    return rc;
}

/* CPU split per platform at one op and size, stacked. */
static int ev_report__chart_cpu(ev_report_plot_ctx *c, const ev_report_agg *a, size_t n,
                                ev_op op, uint32_t size, const char *prefix, const char *what,
                                ev_error *err)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += a[i].key.op == op && a[i].key.value_size == size && isfinite(a[i].busy);
    if (!m)
        return EV_OK;
    char title[256], base[64], opl[8];
    ev_report__lower(opl, sizeof opl, ev_op_name(op));
    snprintf(base, sizeof base, "%scpu_%s_%u", prefix, opl, (unsigned)size);
    snprintf(title, sizeof title, "%s %u B: CPU split per platform, %s", ev_op_name(op),
             (unsigned)size, what);
    char (*labels)[200] = calloc(m, sizeof *labels);
    const char **gl = calloc(m, sizeof *gl);
    double *v[5];
    for (int k = 0; k < 5; k++)
        v[k] = calloc(m, sizeof *v[k]);
    ev_plot *p = NULL;
    int rc = EV_OK;
    if (!labels || !gl || !v[0] || !v[1] || !v[2] || !v[3] || !v[4] ||
        ev_plot_new(&p, EV_PLOT_STACKED, title)) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto out;
    }
    size_t k = 0;
    int recon = 0;
    double ymax = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(a[i].key.op == op && a[i].key.value_size == size && isfinite(a[i].busy)))
            continue;
        /* short: the labels sit side by side under the bars ("unikraft-" -> "uk-", as the
         * paper writes UK-vhost); a star marks reconstructed bars unless the title says all */
        const char *pl = a[i].key.platform;
        int uk = strncmp(pl, "unikraft-", 9) == 0;
        snprintf(labels[k], sizeof labels[k], "%s%s%s %.0f%%", uk ? "uk-" : "", uk ? pl + 9 : pl,
                 a[i].nrecon && !prefix[0] ? "*" : "", a[i].busy);
        if (a[i].nrecon)
            recon = 1;
        if (a[i].busy > ymax)
            ymax = a[i].busy;
        gl[k] = labels[k];
        v[0][k] = isfinite(a[i].cpu[EV_CPU_USER]) ? a[i].cpu[EV_CPU_USER] : 0;
        v[1][k] = isfinite(a[i].cpu[EV_CPU_SYSTEM]) ? a[i].cpu[EV_CPU_SYSTEM] : 0;
        v[2][k] = isfinite(a[i].cpu[EV_CPU_SOFTIRQ]) ? a[i].cpu[EV_CPU_SOFTIRQ] : 0;
        v[3][k] = isfinite(a[i].cpu[EV_CPU_GUEST]) ? a[i].cpu[EV_CPU_GUEST] : 0;
        v[4][k] = ev_report_cpu_other(&a[i]);
        k++;
    }
    static const char *const names[5] = { "user", "system", "softirq", "guest",
                                          "other (nice irq steal gnice)" };
    ev_plot_set_labels(p, "platform and its busy CPU in total (% of one core)",
                       "CPU (% of one core, mean over repeats)");
    ev_plot_set_key(p, "top right");
    ev_plot_set_range(p, 'y', 0, ymax * 1.5 > 10 ? ymax * 1.5 : 10);
    if (recon && !prefix[0])
        ev_plot_set_note(p, "* reconstructed records, not measured");
    if ((rc = ev_plot_set_groups(p, gl, m)))
        goto fail;
    for (int s = 0; s < 5; s++)
        if ((rc = ev_plot_add_stack(p, names[s], v[s])))
            goto fail;
    rc = ev_report_emit(c, p, base, title, prefix[0] ? "paper" : "cpu", err);
    goto out;
fail:
    rc = ev_error_set(err, rc, "chart %s: cannot describe it", base);
out:
    free(labels);
    free(gl);
    for (int s = 0; s < 5; s++)
        free(v[s]);
    ev_plot_free(p);
    return rc;
}

/* Average packet size on one interface role and direction vs value size. */
static int ev_report__chart_pkt(ev_report_plot_ctx *c, const ev_report_agg *a, size_t n,
                                ev_op op, int role, int dir, ev_error *err)
{
    static const char *const rn[EV_NROLES] = { "instance", "nic" };
    static const char *const dn[2] = { "rx", "tx" };
    size_t have = 0;
    for (size_t i = 0; i < n; i++)
        have += a[i].key.op == op && isfinite(a[i].pkt[role][dir]);
    if (!have)
        return EV_OK;
    char title[256], base[64], opl[8], label[160];
    ev_report__lower(opl, sizeof opl, ev_op_name(op));
    snprintf(base, sizeof base, "packets_%s_%s_%s", opl, rn[role], dn[dir]);
    snprintf(title, sizeof title, "%s: average packet size, %s interface (%s), %s",
             ev_op_name(op), rn[role], role == EV_ROLE_INSTANCE ? "tap/bridge" : "NIC", dn[dir]);
    ev_plot *p = NULL;
    int rc = ev_plot_new(&p, EV_PLOT_XY, title);
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    size_t nser = 0;
    double xmin = INFINITY, xmax = 0;
    if (rc || !x || !y) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto out;
    }
    ev_plot_set_labels(p, "value size (bytes, log scale)",
                       "bytes per packet (log scale; vnstat-style bytes/packets)");
    ev_plot_set_log(p, 1, 1);
    ev_plot_set_key(p, "top left");
    /* equal packet sizes are common (the paper's Table 2: 1224 B for both Unikraft paths), so
     * each curve is shifted sideways by a factor 1.05 per curve, centred, to stay visible;
     * the exact sizes are in index.html's table */
    size_t ncurves = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        int first = a[i].key.op == op && isfinite(a[i].pkt[role][dir]);
        for (size_t j = 0; first && j < i; j++)
            if (ev_report_curve_same(&a[j].key, &a[i].key) && isfinite(a[j].pkt[role][dir]))
                first = 0;
        ncurves += (size_t)first;
    }
    for (size_t i = 0; i < n; i++) {
        if (a[i].key.op != op || !isfinite(a[i].pkt[role][dir]))
            continue;
        int first = 1;
        for (size_t j = 0; j < i; j++)
            if (ev_report_curve_same(&a[j].key, &a[i].key) && isfinite(a[j].pkt[role][dir]))
                first = 0;
        if (!first)
            continue;
        double dodge = pow(1.05, (double)k++ - ((double)ncurves - 1.0) / 2.0);
        size_t m = 0;
        for (size_t j = i; j < n; j++)
            if (ev_report_curve_same(&a[j].key, &a[i].key) && isfinite(a[j].pkt[role][dir])) {
                x[m] = a[j].key.value_size * dodge;
                y[m] = a[j].pkt[role][dir];
                if (x[m] < xmin) xmin = x[m];
                if (x[m] > xmax) xmax = x[m];
                m++;
            }
        ev_report_curve_label(label, sizeof label, a, n, &a[i].key);
        if ((rc = ev_plot_add_series(p, label, EV_STYLE_LINESPOINTS, x, y, NULL, NULL, m)) ||
            (rc = ev_plot_set_series_color(p, nser++,
                                           ev_report_platform_color(c, a[i].key.platform)))) {
            rc = ev_error_set(err, rc, "chart %s: cannot add a series", base);
            goto out;
        }
    }
    ev_plot_set_range(p, 'x', xmin / 1.6, xmax * 1.6);
    if (ncurves > 1)
        ev_plot_set_note(p, "curves shifted sideways slightly so equal sizes stay visible; exact "
                            "values in the table");
    rc = ev_report_emit(c, p, base, title, "packets", err);
out:
    free(x);
    free(y);
    ev_plot_free(p);
    return rc;
}

/* Every figure for one aggregated set. prefix "" (the user's data) or "paper_". */
int ev_report_draw_set(ev_report_plot_ctx *c, const ev_report_agg *a, size_t n,
                       const char *prefix, const char *what, ev_error *err)
{
    int rc;
    for (int op = 0; op < 2; op++)
        if ((rc = ev_report__chart_rps(c, a, n, (ev_op)op, prefix, what, err)))
            return rc;
    /* one row per size in index.html: GET left, SET right */
    uint32_t sizes[64];
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t t = 0; t < ns; t++)
            seen |= sizes[t] == a[i].key.value_size;
        if (!seen && ns < 64)
            sizes[ns++] = a[i].key.value_size;
    }
    for (size_t t = 1; t < ns; t++) /* ascending */
        for (size_t u = t; u > 0 && sizes[u - 1] > sizes[u]; u--) {
            uint32_t tmp = sizes[u];
            sizes[u] = sizes[u - 1];
            sizes[u - 1] = tmp;
        }
    for (size_t t = 0; t < ns; t++)
        for (int op = 0; op < 2; op++)
            if ((rc = ev_report__chart_cpu(c, a, n, (ev_op)op, sizes[t], prefix, what, err)))
                return rc;
    if (!prefix[0])
        for (int role = 0; role < EV_NROLES; role++)
            for (int d = 0; d < 2; d++)
                for (int op = 0; op < 2; op++)
                    if ((rc = ev_report__chart_pkt(c, a, n, (ev_op)op, role, d, err)))
                        return rc;
    return EV_OK;
}

/* Notes for curves that have a single value size: drawn as a lone point, not a curve. */
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
static int ev_report__drift(ev_report_plot_ctx *c, ev_error *err)
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
static int ev_report__mix_rows(ev_report_plot_ctx *c)
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
