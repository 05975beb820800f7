/* ev_advisor_charts.c - the advisor's four charts, through the one chart writer (ev_plots).
 * Platforms appear in model order in every chart so each keeps its colour across charts. */
#include "ev_advisor.h"
#include "ev_plot.h"
#include "ev_fs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cat_names[EV_NCAT] = { "user (VMM userspace)", "system (host kernel)",
                                                "softirq (packets)", "guest (microVM)" };

/* plat[] indexes sorted by model index */
static void model_order(size_t *ord, const ev_advice *a)
{
    size_t i, j;
    for (i = 0; i < a->n; i++)
        ord[i] = i;
    for (i = 1; i < a->n; i++)
        for (j = i; j > 0 && a->plat[ord[j]].model_index < a->plat[ord[j - 1]].model_index; j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
}

static int emit(int *rendered, char *warn, size_t wlen, ev_plot *p, const char *dir,
                const char *base, ev_error *err)
{
    int rc, r = 0;
    ev_error e = EV_ERROR_INIT;
    if ((rc = ev_plot_write(p, dir, base, err)))
        return rc;
    if ((rc = ev_plot_render(&r, dir, base, &e))) {
        *err = e;
        return rc;
    }
    if (r)
        (*rendered)++;
    else if (warn && wlen && !warn[0])
        snprintf(warn, wlen, "%s", e.msg);
    return EV_OK;
}

int ev_advisor_charts(int *rendered, char *warn, size_t warn_len, const ev_advice *a,
                      const char *dir, ev_error *err)
{
    const ev_profile *pf = &a->profile;
    size_t ord[EV_ADV_MAX_PLAT], i, k, g;
    ev_plot *p = NULL;
    char title[256], note[256], mark[96];
    double mss = pf->mtu - 52;
    int rc;

    *rendered = 0;
    if (warn && warn_len)
        warn[0] = '\0';
    if (!a->have_curves)
        return ev_error_set(err, EV_EINVAL, "charts need the size sweep (curves) computed");
    if ((rc = ev_fs_mkdirs(dir, err)))
        return rc;
    model_order(ord, a);
    snprintf(note, sizeof note, "model: %s%s; profile: %s; %zu draws, seed %lu",
             a->model_name, a->model_reconstructed ? " (reconstructed from the paper)" : "",
             pf->name, a->opt.draws, a->opt.seed);
    snprintf(mark, sizeof mark, "MTU %.0f B (one segment = %.0f B)", pf->mtu, mss);

    /* 1. capacity vs value size with bands and the MTU */
    snprintf(title, sizeof title, "Predicted capacity vs value size (GET %.0f %%, 95 %% bands)",
             100 * pf->get_ratio);
    if ((rc = ev_plot_new(&p, EV_PLOT_XY, title)))
        goto nomem;
    ev_plot_set_labels(p, "value size (bytes, log scale)", "capacity (requests/s)");
    ev_plot_set_log(p, 1, 0);
    ev_plot_set_range(p, 'y', 0, NAN);
    ev_plot_set_range(p, 'x', a->grid[0], a->grid[EV_ADV_NGRID - 1]);
    ev_plot_add_marker(p, mss, mark);
    ev_plot_set_note(p, note);
    ev_plot_set_key(p, "bottom left");
    for (k = 0; k < a->n; k++) {
        i = ord[k];
        if ((rc = ev_plot_add_series(p, a->plat[i].id, EV_STYLE_LINES, a->grid, a->curve[i],
                                     a->curve_lo[i], a->curve_hi[i], EV_ADV_NGRID)))
            goto nomem;
    }
    if ((rc = emit(rendered, warn, warn_len, p, dir, "rps_vs_size", err)))
        goto out;
    ev_plot_free(p);
    p = NULL;

    /* 2. stacked CPU split at the operating point */
    {
        const char *groups[EV_ADV_MAX_PLAT];
        double v[EV_ADV_MAX_PLAT];
        int c;
        if (pf->mode == EV_LOAD_OFFERED)
            snprintf(title, sizeof title, "CPU split at the offered %.0f requests/s (%s arrivals)",
                     pf->rate_rps, ev_arrival_name(pf->arrival));
        else
            snprintf(title, sizeof title, "CPU split at each platform's capacity (profile %s)",
                     pf->name);
        if ((rc = ev_plot_new(&p, EV_PLOT_STACKED, title)))
            goto nomem;
        for (k = 0; k < a->n; k++)
            groups[k] = a->plat[ord[k]].id;
        ev_plot_set_groups(p, groups, a->n);
        ev_plot_set_labels(p, "platform", "CPU used (% of one core)");
        ev_plot_set_key(p, "outside right top");
        ev_plot_set_note(p, note);
        for (c = 0; c < EV_NCAT; c++) {
            for (k = 0; k < a->n; k++)
                v[k] = a->plat[ord[k]].cpu[c];
            if ((rc = ev_plot_add_stack(p, cat_names[c], v)))
                goto nomem;
        }
        if ((rc = emit(rendered, warn, warn_len, p, dir, "cpu_split", err)))
            goto out;
        ev_plot_free(p);
        p = NULL;
    }

    /* 3. Pareto front: capacity vs CPU per request */
    {
        double fx[EV_ADV_MAX_PLAT], fy[EV_ADV_MAX_PLAT];
        size_t nf = 0, j;
        if ((rc = ev_plot_new(&p, EV_PLOT_XY,
                              "Capacity vs CPU cost per request (Pareto front: not dominated)")))
            goto nomem;
        ev_plot_set_labels(p, "CPU per request (microseconds of one core; lower is better)",
                           "capacity (requests/s; higher is better)");
        ev_plot_set_key(p, "outside right top");
        ev_plot_set_note(p, note);
        for (k = 0; k < a->n; k++) {
            const ev_adv_platform *q = &a->plat[ord[k]];
            double x = q->demand_us_total, y = q->rps;
            if ((rc = ev_plot_add_series(p, q->id, EV_STYLE_POINTS, &x, &y, NULL, NULL, 1)))
                goto nomem;
        }
        /* the front: sorted by CPU, keep points with more capacity than every cheaper one */
        for (k = 0; k < a->n; k++) {
            const ev_adv_platform *q = &a->plat[k];
            int dominated = 0;
            for (j = 0; j < a->n; j++) {
                const ev_adv_platform *r = &a->plat[j];
                if (j != k && r->demand_us_total <= q->demand_us_total && r->rps >= q->rps &&
                    (r->demand_us_total < q->demand_us_total || r->rps > q->rps))
                    dominated = 1;
            }
            if (!dominated) {
                fx[nf] = q->demand_us_total;
                fy[nf] = q->rps;
                nf++;
            }
        }
        for (k = 1; k < nf; k++) /* sort the front by x */
            for (j = k; j > 0 && fx[j] < fx[j - 1]; j--) {
                double t = fx[j]; fx[j] = fx[j - 1]; fx[j - 1] = t;
                t = fy[j]; fy[j] = fy[j - 1]; fy[j - 1] = t;
            }
        if ((rc = ev_plot_add_series(p, "Pareto front", EV_STYLE_LINESPOINTS, fx, fy, NULL, NULL, nf)))
            goto nomem;
        {
            double mx = 0, my = 0;
            for (k = 0; k < a->n; k++) {
                if (a->plat[k].demand_us_total > mx)
                    mx = a->plat[k].demand_us_total;
                if (a->plat[k].rps > my)
                    my = a->plat[k].rps;
            }
            /* room around the extreme points so no marker sits on the frame */
            ev_plot_set_range(p, 'y', 0, my > 0 ? 1.12 * my : NAN);
            ev_plot_set_range(p, 'x', 0, mx > 0 ? 1.15 * mx : NAN);
        }
        if ((rc = emit(rendered, warn, warn_len, p, dir, "pareto", err)))
            goto out;
        ev_plot_free(p);
        p = NULL;
    }

    /* 4. decision map */
    {
        int cls[EV_ADV_MAP_NY * EV_ADV_NGRID];
        const char *names[EV_ADV_MAX_PLAT + 1];
        size_t pos[EV_ADV_MAX_PLAT], j;
        for (k = 0; k < a->n; k++) {
            names[k] = a->plat[ord[k]].id;
            pos[ord[k]] = k;
        }
        for (j = 0; j < EV_ADV_MAP_NY; j++)
            for (g = 0; g < EV_ADV_NGRID; g++)
                cls[j * EV_ADV_NGRID + g] =
                    a->map[j][g] < 0 ? (int)a->n : (int)pos[a->map[j][g]];
        names[a->n] = pf->mode == EV_LOAD_OFFERED ? "none (rate too high)"
                                                  : "none";
        snprintf(title, sizeof title, "Best platform by value size and GET ratio (objective %s)",
                 ev_objective_name(pf->objective));
        if ((rc = ev_plot_new(&p, EV_PLOT_HEATMAP, title)))
            goto nomem;
        ev_plot_set_labels(p, "value size (bytes, log scale)",
                           "GET ratio (fraction of requests that are GET)");
        ev_plot_set_log(p, 1, 0);
        ev_plot_set_key(p, "outside right top");
        ev_plot_add_marker(p, mss, mark);
        ev_plot_set_note(p, note);
        if ((rc = ev_plot_set_heatmap_classes(p, a->grid, EV_ADV_NGRID, a->map_y, EV_ADV_MAP_NY,
                                              cls, names, a->n + 1)))
            goto nomem;
        ev_plot_set_class_color(p, a->n, 0xDDDDDD);
        if ((rc = emit(rendered, warn, warn_len, p, dir, "decision_map", err)))
            goto out;
    }
    rc = EV_OK;
    goto out;
nomem:
    rc = ev_error_set(err, rc, "charts: cannot build a chart (%s)", ev_strerror(rc));
out:
    ev_plot_free(p);
    return rc;
}
