/* ev_report_charts.c - the RPS, CPU split and packet size charts of one aggregated set. */
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

void ev_report__lower(char *dst, size_t len, const char *s)
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
