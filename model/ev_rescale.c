/* ev_rescale.c - re-anchoring a model with a few new run records (ev_rescale.h). */
#include "ev_rescale.h"
#include "ev_fit.h"
#include "ev_model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>

static int ev_rs__is_fixed(int j)
{
    return j == EV_PARAM_FIXED_GET || j == EV_PARAM_FIXED_SET;
}

int ev_rescale_check(const ev_model *m, const ev_record *r, const char *file, int line,
                     int *usable, ev_error *err)
{
    char list[256] = "";
    size_t i, n;
    if (usable)
        *usable = 0;
    if (ev_model_find(m, r->platform) < 0) {
        n = 0;
        for (i = 0; i < ev_model_nplatforms(m) && n + 52 < sizeof list; i++) {
            ev_platform_info pi;
            ev_model_platform(&pi, m, i);
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", pi.id);
        }
        return ev_error_set(err, EV_EINVAL, "%s:%d: platform.id: \"%s\" is not a platform of "
                            "model %s (platforms: %s)", file, line, r->platform,
                            ev_model_name(m), list);
    }
    if (!ev_fit_record_usable(r))
        return ev_error_set(err, EV_EINVAL, "%s:%d: %s: not usable as an anchor (%s)", file,
                            line, !r->ok ? "status" : !(r->rps > 0) ? "result.rps" : "cpu",
                            !r->ok ? "the point failed"
                            : !(r->rps > 0) ? "no requests per second"
                                            : "user/system/softirq/guest CPU missing");
    if (usable)
        *usable = 1;
    return EV_OK;
}

typedef struct ev_rs_anchor {
    double F[EV_NCAT], V[EV_NCAT], y[EV_NCAT], ytot, w;
    unsigned op, size, mtu;
} ev_rs_anchor;

static int ev_rs__same_config(const ev_rs_anchor *a, const ev_rs_anchor *b)
{
    return a->op == b->op && a->size == b->size && a->mtu == b->mtu;
}

/* y ~ a F + b V, weighted; RETURNS 1 when two factors came out (both > 0, not collinear),
 * 0 for the one-factor fallback (*a = *b). *rsd: relative residual sd (or -1 if dof < 2). */
static int ev_rs__factors(double *a, double *b, double *rsd, const ev_rs_anchor *an, size_t n,
                          int cat, size_t configs)
{
    double sfy = 0, sff = 0, k, ss = 0;
    size_t i;
    int two = 0;
    *a = *b = 1;
    *rsd = -1;
    for (i = 0; i < n; i++) {
        double f = an[i].F[cat] + an[i].V[cat];
        sfy += an[i].w * f * an[i].y[cat];
        sff += an[i].w * f * f;
    }
    if (!(sff > 0))
        return 0;
    k = sfy / sff;
    *a = *b = k;
    if (configs >= 2 && n >= 2) {
        gsl_matrix *X = gsl_matrix_alloc(n, 2), *cov = gsl_matrix_alloc(2, 2);
        gsl_vector *y = gsl_vector_alloc(n), *w = gsl_vector_alloc(n), *c = gsl_vector_alloc(2);
        gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(n, 2);
        double chisq;
        if (X && cov && y && w && c && ws) {
            for (i = 0; i < n; i++) {
                gsl_matrix_set(X, i, 0, an[i].F[cat]);
                gsl_matrix_set(X, i, 1, an[i].V[cat]);
                gsl_vector_set(y, i, an[i].y[cat]);
                gsl_vector_set(w, i, an[i].w);
            }
            gsl_set_error_handler_off();
            if (gsl_multifit_wlinear(X, w, y, c, cov, &chisq, ws) == GSL_SUCCESS) {
                double ca = gsl_vector_get(c, 0), cb = gsl_vector_get(c, 1);
                double va = gsl_matrix_get(cov, 0, 0), vb = gsl_matrix_get(cov, 1, 1);
                double corr = va > 0 && vb > 0 ? gsl_matrix_get(cov, 0, 1) / sqrt(va * vb) : 1;
                if (ca > 0 && cb > 0 && fabs(corr) <= 0.995 && isfinite(ca) && isfinite(cb)) {
                    *a = ca;
                    *b = cb;
                    two = 1;
                }
            }
        }
        gsl_matrix_free(X);
        gsl_matrix_free(cov);
        gsl_vector_free(y);
        gsl_vector_free(w);
        gsl_vector_free(c);
        gsl_multifit_linear_free(ws);
    }
    if ((long)n - (two ? 2 : 1) >= 2) {
        for (i = 0; i < n; i++) {
            double p = *a * an[i].F[cat] + *b * an[i].V[cat];
            double e = an[i].y[cat] > 0 ? (p - an[i].y[cat]) / an[i].ytot : 0;
            ss += e * e;
        }
        *rsd = sqrt(ss / (double)((long)n - (two ? 2 : 1)));
    }
    return two;
}

static double ev_rs__rps_err(const ev_model *m, size_t p, const ev_rs_anchor *an,
                             const ev_record *const *rr, size_t n)
{
    double s = 0;
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        ev_prediction pr;
        ev_conditions cond;
        ev_mix_item it = { (ev_op)an[i].op, an[i].size, 1.0 };
        ev_fit_record_conditions(&cond, rr[i]);
        if (ev_model_predict(&pr, m, p, &it, 1, &cond, NULL) == EV_OK && rr[i]->rps > 0) {
            s += fabs(pr.rps - rr[i]->rps) / rr[i]->rps;
            k++;
        }
    }
    return k ? s / (double)k : NAN;
}

int ev_rescale(ev_model **out, ev_rescale_report **rep, size_t *nrep, const ev_model *m,
               const ev_record *recs, size_t n, const ev_rescale_options *opt, ev_error *err)
{
    ev_rescale_options o = EV_RESCALE_OPTIONS_INIT;
    ev_model *nm = NULL;
    ev_rescale_report *rp = NULL;
    ev_rs_anchor *an = NULL;
    const ev_record **rr = NULL;
    size_t np = ev_model_nplatforms(m), p, i, nusable = 0, nr = 0;
    char name[160];
    int rc;

    *out = NULL;
    *rep = NULL;
    *nrep = 0;
    if (opt)
        o = *opt;
    if (!(o.anchor_sd > 0) || !isfinite(o.anchor_sd))
        return ev_error_set(err, EV_EINVAL, "anchor sd must be > 0");
    for (i = 0; i < n; i++) {
        if (ev_model_find(m, recs[i].platform) < 0)
            return ev_rescale_check(m, &recs[i], "<anchors>", (int)i + 1, NULL, err);
        nusable += ev_fit_record_usable(&recs[i]) ? 1 : 0;
    }
    if (nusable == 0)
        return ev_error_set(err, EV_EINVAL, "no usable anchor record (status ok, rps > 0, the "
                            "four CPU categories) among %zu", n);
    if (o.name)
        snprintf(name, sizeof name, "%s", o.name);
    else
        snprintf(name, sizeof name, "%s-rescaled", ev_model_name(m));
    rc = ev_model_clone(&nm, m);
    if (rc)
        return ev_error_set(err, rc, "out of memory");
    free(nm->name);
    nm->name = ev_model__strdup(name);
    nm->source = EV_SOURCE_MEASURED;
    {   /* today's client may be faster than the calibration day's (ev_fit_client_rtt_bound) */
        double b = ev_fit_client_rtt_bound(recs, n, NULL);
        if (b >= 0 && b < nm->client_rtt_s)
            nm->client_rtt_s = b;
    }
    rc = ev_fit__add_hosts(nm, recs, n); /* the costs are now also the anchors' host's */
    if (rc) {
        ev_model_free(nm);
        return ev_error_set(err, rc, "out of memory");
    }
    an = calloc(nusable, sizeof *an);
    rr = calloc(nusable, sizeof *rr);
    rp = calloc(np, sizeof *rp);
    if (!nm->name || !an || !rr || !rp) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto fail;
    }

    for (p = 0; p < np; p++) {
        ev_platform_info pi;
        ev_fit_diag dg;
        size_t na = 0, configs = 0, j;
        int c, two_any = 0;
        double sfmax = 0, at = 0, bt = 0;
        char notes[2048];
        ev_model_platform(&pi, m, p);
        for (i = 0; i < n; i++) {
            const ev_record *r = &recs[i];
            ev_conditions cond;
            ev_counts k;
            double row[EV_NPARAM], tot = 0;
            if (strcmp(r->platform, pi.id) != 0 || !ev_fit_record_usable(r))
                continue;
            ev_fit_record_conditions(&cond, r);
            rc = ev_model_counts(&k, &pi, r->op, r->value_size, &cond, err);
            if (rc)
                goto fail;
            ev_model__design_row(row, r->op, &k);
            for (c = 0; c < EV_NCAT; c++) {
                ev_param_set ps;
                ev_model_params(&ps, m, p, c);
                an[na].F[c] = an[na].V[c] = 0;
                for (int q = 0; q < EV_NPARAM; q++) {
                    if (ev_rs__is_fixed(q))
                        an[na].F[c] += row[q] * ps.value[q];
                    else
                        an[na].V[c] += row[q] * ps.value[q];
                }
                an[na].y[c] = r->cpu[c] / (100.0 * r->rps);
                tot += an[na].y[c];
            }
            an[na].ytot = tot;
            an[na].w = tot > 0 ? 1.0 / (tot * tot) : 0;
            an[na].op = r->op;
            an[na].size = r->value_size;
            an[na].mtu = r->mtu;
            for (j = 0; j < na && !ev_rs__same_config(&an[j], &an[na]); j++)
                ;
            configs += j == na;
            rr[na] = r;
            na++;
        }
        if (na == 0)
            continue;
        {
            ev_rescale_report *R = &rp[nr++];
            snprintf(R->id, sizeof R->id, "%s", pi.id);
            R->anchors = na;
            R->configs = configs;
            R->min_runs = na;
            for (i = 0; i < na; i++) {
                size_t runs = 0;
                for (j = 0; j < na; j++)
                    runs += (size_t)ev_rs__same_config(&an[j], &an[i]);
                if (runs < R->min_runs)
                    R->min_runs = runs;
            }
            R->rps_err_before = ev_rs__rps_err(m, p, an, rr, na);
            for (c = 0; c < EV_NCAT; c++) {
                ev_param_set ps;
                double a, b, rsd, sf, fsum = 0, vsum = 0;
                int two;
                ev_model_params(&ps, m, p, c);
                for (j = 0; j < na; j++) {
                    fsum += an[j].F[c];
                    vsum += an[j].V[c];
                }
                if (!(fsum + vsum > 0))
                    continue; /* the model predicts no demand here: nothing to scale */
                two = ev_rs__factors(&a, &b, &rsd, an, na, c, configs);
                two_any |= two;
                sf = (rsd >= 0 ? rsd : o.anchor_sd) / sqrt((double)na);
                for (int q = 0; q < EV_NPARAM; q++) {
                    double sq = ev_rs__is_fixed(q) ? a : b;
                    ps.value[q] *= sq;
                    for (int s = 0; s < EV_NPARAM; s++)
                        ps.cov[q * EV_NPARAM + s] *= sq * (ev_rs__is_fixed(s) ? a : b);
                }
                for (int q = 0; q < EV_NPARAM; q++)
                    for (int s = 0; s < EV_NPARAM; s++)
                        if (ps.identified[q] && ps.identified[s])
                            ps.cov[q * EV_NPARAM + s] += sf * sf * ps.value[q] * ps.value[s];
                ev_model_set_params(nm, p, c, &ps);
                /* demand-weighted factors for the report */
                at += a * fsum;
                bt += b * vsum;
                sfmax = fmax(sfmax, sf);
            }
            {
                double fs = 0, vs = 0;
                for (j = 0; j < na; j++)
                    for (c = 0; c < EV_NCAT; c++) {
                        fs += an[j].F[c];
                        vs += an[j].V[c];
                    }
                /* total-demand-weighted a and b over the categories */
                R->a = fs > 0 ? at / fs : 1;
                R->b = vs > 0 ? bt / vs : 1;
            }
            R->two_factor = two_any;
            R->factor_sd = sfmax;
            /* a model without a utilization (fitted before it existed) takes it from the
             * CPU-bound anchors: their median busy fraction (ev_fit.c does the same) */
            if (!(pi.utilization > 0)) {
                double u = 0;
                if (ev_fit__saturated_busy(&u, rr, na) > 0) {
                    nm->plat[p].info.utilization = u;
                    R->utilization = u;
                }
            }
            R->rps_err_after = ev_rs__rps_err(nm, p, an, rr, na);
            ev_model_diag(&dg, m, p);
            snprintf(notes, sizeof notes, "%s%srescaled by %zu anchor records (%zu "
                     "configurations): fixed x%.4f, variable x%.4f (%s), relative factor sd "
                     "%.4f added to the covariance%s", dg.notes, dg.notes[0] ? "\n" : "", na,
                     configs, R->a, R->b, two_any ? "two factors" : "one factor", sfmax,
                     R->utilization > 0 ? "; utilization at saturation from the anchors" : "");
            rc = ev_model_set_diag(nm, p, dg.points, dg.dof, dg.max_abs_corr, notes);
            if (rc) {
                ev_error_set(err, rc, "out of memory");
                goto fail;
            }
        }
    }
    free(an);
    free(rr);
    *out = nm;
    *rep = rp;
    *nrep = nr;
    return EV_OK;
fail:
    free(an);
    free(rr);
    free(rp);
    ev_model_free(nm);
    return rc;
}

/* Append "what A (anchors) vs B (model)" to msg at *k when a and b differ. */
static void ev_rs__diff(char *msg, size_t cap, size_t *k, const char *what, const char *a,
                        const char *b)
{
    int w;
    if (strcmp(a, b) == 0 || *k >= cap)
        return;
    w = snprintf(msg + *k, cap - *k, "%s%s %s (anchors) vs %s (model)", *k ? ", " : "", what,
                 a[0] ? a : "?", b[0] ? b : "?");
    if (w > 0)
        *k += (size_t)w;
}

int ev_rescale_host_changed(const ev_model *m, const ev_record *recs, size_t n, char *msg,
                            size_t cap)
{
    size_t i, h, nh = ev_model_nhosts(m), told = 0;
    if (msg && cap)
        msg[0] = 0;
    if (nh == 0)
        return -1;
    for (i = 0; i < n; i++) {
        const ev_record *r = &recs[i];
        ev_host_info mh;
        int found = 0;
        if (!ev_fit_record_usable(r) || !r->kernel[0])
            continue;
        told++;
        for (h = 0; h < nh && !found; h++) {
            ev_model_host(&mh, m, h);
            found = !strcmp(mh.kernel, r->kernel) && !strcmp(mh.arch, r->arch) &&
                    !strcmp(mh.cpu, r->cpu_model);
        }
        if (!found) {
            size_t k = 0;
            ev_model_host(&mh, m, 0);
            if (msg && cap) {
                ev_rs__diff(msg, cap, &k, "kernel", r->kernel, mh.kernel);
                ev_rs__diff(msg, cap, &k, "arch", r->arch, mh.arch);
                ev_rs__diff(msg, cap, &k, "cpu", r->cpu_model, mh.cpu);
            }
            return 1;
        }
    }
    return told ? 0 : -1;
}
