/* ev_fit.c - weighted linear least squares of the cost model (see ev_fit.h, docs/model.md). */
#include "ev_fit.h"
#include "ev_model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>

/* Order in which parameters are given up when the data cannot separate them: the
 * multi-segment message costs first (the finest refinement: with one message size above the
 * MSS they are a step the per-packet and per-byte costs can carry), then a per-byte cost
 * (from one MTU it is the least distinguishable from per-packet work; the request's before
 * the reply's: with GET runs only, the request bytes are a constant), then
 * per-packet (for a guest without offload, packets = segments + 2 at pipeline 1, so per-segment
 * carries the paper's mechanism), then per-segment; fixed costs only when their column is
 * empty. For a rank-deficient design the first parameter in this order whose removal keeps the
 * rank (it lies in the span of the others) is dropped. */
static const int ev_fit__drop_order[EV_NPARAM] = {
    EV_PARAM_PER_MULTISEG_IN, EV_PARAM_PER_MULTISEG_OUT, EV_PARAM_PER_BYTE_IN,
    EV_PARAM_PER_BYTE_OUT, EV_PARAM_PER_PACKET, EV_PARAM_PER_SEGMENT, EV_PARAM_FIXED_SET,
    EV_PARAM_FIXED_GET
};

int ev_fit_record_measured(const ev_record *r)
{
    int c;
    if (!r->ok || !(r->rps > 0) || !r->platform[0])
        return 0;
    for (c = 0; c < EV_NCAT; c++)
        if (!(r->cpu[c] >= 0))
            return 0;
    return 1;
}

int ev_fit_predict_record(ev_prediction *pr, const ev_model *m, size_t p, const ev_record *r,
                          ev_error *err)
{
    ev_mix_item it[2 * EV_REC_MAX_MIX];
    ev_conditions cond;
    size_t k, n = 0;
    ev_fit_record_conditions(&cond, r);
    if (!r->mix.n) {
        it[0] = (ev_mix_item){ r->op, r->value_size, 1.0 };
        return ev_model_predict(pr, m, p, it, 1, &cond, err);
    }
    for (k = 0; k < r->mix.n && k < EV_REC_MAX_MIX; k++) {
        if (r->mix.get_ratio > 0)
            it[n++] = (ev_mix_item){ EV_OP_GET, r->mix.size[k],
                                     r->mix.weight[k] * r->mix.get_ratio };
        if (r->mix.get_ratio < 1)
            it[n++] = (ev_mix_item){ EV_OP_SET, r->mix.size[k],
                                     r->mix.weight[k] * (1 - r->mix.get_ratio) };
    }
    return ev_model_predict(pr, m, p, it, n, &cond, err);
}

int ev_fit_record_usable(const ev_record *r)
{
    return !r->mix.n && ev_fit_record_measured(r);
}

void ev_fit_record_conditions(ev_conditions *out, const ev_record *r)
{
    ev_conditions d = EV_CONDITIONS_INIT;
    *out = d;
    if (r->key_size >= 1)
        out->key_size = r->key_size;
    if (r->mtu >= 68)
        out->mtu = r->mtu;
    out->link_rate_bps = r->link_rate_bps > 0 ? r->link_rate_bps : 0;
    if (r->clients >= 1)
        out->clients = r->clients;
    out->pipeline = r->pipeline >= 1 ? r->pipeline : 1;
}

void ev_fit_record_inputs(ev_platform_info *pi, const ev_record *r)
{
    int offload = r->offload;
    if (offload < 0)
        offload = strcmp(r->stack, "lwip") != 0;
    ev_model_platform_defaults(pi, r->platform, r->path, r->stack[0] ? r->stack : "linux",
                               offload);
}

static void ev_fit__inputs(ev_platform_info *pi, const ev_record *r, const ev_fit_options *opt)
{
    size_t i;
    for (i = 0; opt->inputs && i < opt->ninputs; i++) {
        if (opt->inputs[i].id && strcmp(opt->inputs[i].id, r->platform) == 0) {
            *pi = opt->inputs[i];
            return;
        }
    }
    ev_fit_record_inputs(pi, r);
}

/* Append a note line to a growing buffer. */
static void ev_fit__note(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#include <stdarg.h>
static void ev_fit__note(char *buf, size_t len, const char *fmt, ...)
{
    size_t n = strlen(buf);
    va_list ap;
    if (n && n + 1 < len)
        buf[n++] = '\n', buf[n] = 0;
    va_start(ap, fmt);
    vsnprintf(buf + n, len - n, fmt, ap);
    va_end(ap);
}

/* The most correlated pair of estimates of which one is a count parameter (per packet and
 * after), from the covariance of the free columns idx[0..nf-1]: RETURNS the signed
 * correlation (0 when there is no such pair) and sets *pa, *pb (may be NULL) to the pair. */
static double ev_fit__worst_corr(const gsl_matrix *cov, const int *idx, int nf, int *pa,
                                 int *pb)
{
    double worst = 0;
    int j, k;
    for (j = 0; j < nf; j++)
        for (k = j + 1; k < nf; k++) {
            double a = gsl_matrix_get(cov, (size_t)j, (size_t)j);
            double b = gsl_matrix_get(cov, (size_t)k, (size_t)k);
            double r = (a > 0 && b > 0) ? gsl_matrix_get(cov, (size_t)j, (size_t)k) / sqrt(a * b)
                                        : 0;
            if ((idx[j] >= EV_PARAM_PER_PACKET || idx[k] >= EV_PARAM_PER_PACKET) &&
                fabs(r) > fabs(worst)) {
                worst = r;
                if (pa)
                    *pa = idx[j];
                if (pb)
                    *pb = idx[k];
            }
        }
    return worst;
}

/* Rank of the weighted design without parameter `skip` (free columns only), and (worst may
 * be NULL) |ev_fit__worst_corr| of that design. */
static int ev_fit__rank_without(size_t *rank, double *worst, const double *X, const double *w,
                                size_t n, const int freep[EV_NPARAM], int skip)
{
    int idx[EV_NPARAM], nf = 0, j, st;
    size_t i;
    double chisq;
    gsl_matrix *A, *cov;
    gsl_vector *y, *c;
    gsl_vector_const_view wv = gsl_vector_const_view_array(w, n);
    gsl_multifit_linear_workspace *ws;
    for (j = 0; j < EV_NPARAM; j++)
        if (freep[j] && j != skip)
            idx[nf++] = j;
    *rank = 0;
    if (worst)
        *worst = 0;
    if (nf == 0)
        return EV_OK;
    A = gsl_matrix_alloc(n, (size_t)nf);
    cov = gsl_matrix_alloc((size_t)nf, (size_t)nf);
    y = gsl_vector_calloc(n);
    c = gsl_vector_alloc((size_t)nf);
    ws = gsl_multifit_linear_alloc(n, (size_t)nf);
    if (!A || !cov || !y || !c || !ws) {
        st = EV_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < nf; j++)
            gsl_matrix_set(A, i, (size_t)j, X[i * EV_NPARAM + idx[j]]);
    st = gsl_multifit_wlinear_tsvd(A, &wv.vector, y, 1e-12, c, cov, &chisq, rank, ws)
             == GSL_SUCCESS ? EV_OK : EV_EMODEL;
    if (st == EV_OK && worst)
        *worst = fabs(ev_fit__worst_corr(cov, idx, nf, NULL, NULL));
out:
    gsl_matrix_free(A);
    gsl_matrix_free(cov);
    gsl_vector_free(y);
    gsl_vector_free(c);
    if (ws)
        gsl_multifit_linear_free(ws);
    return st;
}

/* Fit one platform: rows X (n x EV_NPARAM), weights w, targets y[c] (n each). */
static int ev_fit__platform(ev_model *m, size_t pidx, const double *X, const double *w,
                            double *const y[EV_NCAT], size_t n, const ev_fit_options *opt,
                            ev_error *err)
{
    int freep[EV_NPARAM], nfree = 0, j, k, c, rc = EV_OK, st, dof;
    int idx[EV_NPARAM];
    char notes[2048] = "";
    double maxcorr = 0;
    const char *pid = m->plat[pidx].id;
    gsl_matrix *Xf = NULL, *cov = NULL;
    gsl_vector *cf = NULL;
    gsl_multifit_linear_workspace *ws = NULL;
    gsl_vector_const_view wv = gsl_vector_const_view_array(w, n);
    size_t i;

    /* empty columns: nothing in the data moves the parameter */
    for (j = 0; j < EV_NPARAM; j++) {
        double s = 0;
        for (i = 0; i < n; i++)
            s += fabs(X[i * EV_NPARAM + j]);
        freep[j] = s > 0;
        if (!freep[j])
            ev_fit__note(notes, sizeof notes,
                         "%s: not identifiable: %s in these runs; fixed at the prior 0",
                         ev_model_param_names[j],
                         j == EV_PARAM_PER_SEGMENT ? "the guest never cuts segments"
                         : j == EV_PARAM_FIXED_GET ? "no GET runs"
                         : j == EV_PARAM_FIXED_SET ? "no SET runs"
                         : j == EV_PARAM_PER_MULTISEG_IN ? "no request spans more than one segment"
                         : j == EV_PARAM_PER_MULTISEG_OUT ? "no reply spans more than one segment"
                                                          : "the count is always 0");
    }

    ws = gsl_multifit_linear_alloc(n, EV_NPARAM);
    if (!ws) {
        rc = ev_error_set(err, EV_ENOMEM, "platform %s: out of memory", pid);
        goto done;
    }
    /* drop collinear parameters one at a time until the rest are well separated */
    for (;;) {
        double chisq, worst = 0;
        size_t rank = 0;
        int wa = -1, wb = -1, drop = -1;
        nfree = 0;
        for (j = 0; j < EV_NPARAM; j++)
            if (freep[j])
                idx[nfree++] = j;
        if (nfree == 0 || (size_t)nfree > n) {
            rc = ev_error_set(err, EV_EINVAL,
                              "platform %s: %zu usable points cannot identify %d parameters",
                              pid, n, nfree);
            goto done;
        }
        gsl_matrix_free(Xf);
        gsl_matrix_free(cov);
        gsl_vector_free(cf);
        Xf = gsl_matrix_alloc(n, (size_t)nfree);
        cov = gsl_matrix_alloc((size_t)nfree, (size_t)nfree);
        cf = gsl_vector_alloc((size_t)nfree);
        if (!Xf || !cov || !cf) {
            rc = ev_error_set(err, EV_ENOMEM, "platform %s: out of memory", pid);
            goto done;
        }
        for (i = 0; i < n; i++)
            for (k = 0; k < nfree; k++)
                gsl_matrix_set(Xf, i, (size_t)k, X[i * EV_NPARAM + idx[k]]);
        {
            gsl_vector_view yv = gsl_vector_view_array(y[0], n);
            st = gsl_multifit_wlinear_tsvd(Xf, &wv.vector, &yv.vector, 1e-12, cf, cov, &chisq,
                                           &rank, ws);
        }
        if (st != GSL_SUCCESS) {
            rc = ev_error_set(err, EV_EMODEL, "platform %s: gsl_multifit_wlinear_tsvd: %s", pid,
                              gsl_strerror(st));
            goto done;
        }
        if (rank < (size_t)nfree) {
            for (k = 0; k < EV_NPARAM && drop < 0; k++) {
                int cand = ev_fit__drop_order[k];
                size_t r2 = 0;
                if (!freep[cand])
                    continue;
                st = ev_fit__rank_without(&r2, NULL, X, w, n, freep, cand);
                if (st != EV_OK) {
                    rc = ev_error_set(err, st, "platform %s: rank check failed", pid);
                    goto done;
                }
                if (r2 == rank)
                    drop = cand;
            }
            if (drop < 0) {
                for (k = 0; k < EV_NPARAM && drop < 0; k++)
                    if (freep[ev_fit__drop_order[k]])
                        drop = ev_fit__drop_order[k];
            }
            ev_fit__note(notes, sizeof notes,
                         "%s: not identifiable: its column is a combination of the others in "
                         "these runs (rank %zu for %d parameters%s); fixed at the prior 0",
                         ev_model_param_names[drop], rank, nfree,
                         drop != EV_PARAM_PER_PACKET ? ""
                         : m->plat[pidx].info.offload
                             ? "; every message fits one guest packet: 2 packets per request"
                             : "; without offload packets = segments + 2 per request");
            freep[drop] = 0;
            continue;
        }
        /* correlations of the estimates (independent of the noise level) */
        worst = ev_fit__worst_corr(cov, idx, nfree, &wa, &wb);
        if (fabs(worst) > opt->corr_limit) {
            /* A third column may be what ties the pair: a parameter earlier in the drop order
             * than both whose removal at least halves the pair's distance from collinearity
             * (1 - |corr|) goes first (the multi-segment costs of an offloading guest, whose
             * packets are 2 + the ACKs of multi-segment messages, make per_packet and the fixed
             * cost collinear). Otherwise the pair member that comes first in the order. */
            double wc = 0;
            for (k = 0; k < EV_NPARAM && drop < 0; k++) {
                int cand = ev_fit__drop_order[k];
                size_t r2 = 0;
                if (cand == wa || cand == wb)
                    break;
                if (!freep[cand])
                    continue;
                st = ev_fit__rank_without(&r2, &wc, X, w, n, freep, cand);
                if (st != EV_OK) {
                    rc = ev_error_set(err, st, "platform %s: correlation check failed", pid);
                    goto done;
                }
                if (1 - wc >= 2 * (1 - fabs(worst)))
                    drop = cand;
            }
            if (drop >= 0) {
                ev_fit__note(notes, sizeof notes,
                             "%s: not identifiable: with it the estimates of %s and %s correlate "
                             "%.4f (limit %.3g), without it %.4f; fixed at the prior 0",
                             ev_model_param_names[drop], ev_model_param_names[wa],
                             ev_model_param_names[wb], worst, opt->corr_limit, wc);
                freep[drop] = 0;
                continue;
            }
            for (k = 0; k < EV_NPARAM && drop < 0; k++)
                if (ev_fit__drop_order[k] == wa || ev_fit__drop_order[k] == wb)
                    drop = ev_fit__drop_order[k];
            ev_fit__note(notes, sizeof notes,
                         "%s: not identifiable: its estimate correlates %.4f with %s "
                         "(limit %.3g; runs at a second MTU separate them); fixed at the prior 0",
                         ev_model_param_names[drop], worst,
                         ev_model_param_names[drop == wa ? wb : wa], opt->corr_limit);
            freep[drop] = 0;
            continue;
        }
        maxcorr = fabs(worst);
        /* A cost cannot be negative: a count parameter (per packet, per segment, per byte)
         * whose estimate on the TOTAL demand (the sum of the categories) comes out below 0
         * is two collinear counts trading off (the packet and segment columns of a path
         * without offload differ only by the ACKs and 2 per request), not a physical
         * saving; it is fixed at 0 and the rest refitted (an active-set step of
         * non-negative least squares, one parameter at a time, the most negative first). */
        {
            double *yt = malloc(n * sizeof *yt), most = 0;
            int neg = -1;
            if (!yt) {
                rc = ev_error_set(err, EV_ENOMEM, "platform %s: out of memory", pid);
                goto done;
            }
            for (i = 0; i < n; i++) {
                yt[i] = 0;
                for (c = 0; c < EV_NCAT; c++)
                    yt[i] += y[c][i];
            }
            {
                gsl_vector_view yv = gsl_vector_view_array(yt, n);
                st = gsl_multifit_wlinear(Xf, &wv.vector, &yv.vector, cf, cov, &chisq, ws);
            }
            free(yt);
            if (st != GSL_SUCCESS) {
                rc = ev_error_set(err, EV_EMODEL, "platform %s: gsl_multifit_wlinear: %s", pid,
                                  gsl_strerror(st));
                goto done;
            }
            for (k = 0; k < nfree; k++) {
                double v = gsl_vector_get(cf, (size_t)k), sd = sqrt(gsl_matrix_get(cov,
                                                                    (size_t)k, (size_t)k));
                /* relative to its own uncertainty: the most clearly negative first */
                if (idx[k] >= EV_PARAM_PER_PACKET && v < 0 && (sd > 0 ? v / sd : -1) < most) {
                    most = sd > 0 ? v / sd : -1;
                    neg = idx[k];
                }
            }
            if (neg >= 0) {
                ev_fit__note(notes, sizeof notes,
                             "%s: fitted below 0 on the total demand (%.1f sd): a cost cannot "
                             "be negative (collinear counts trading off); fixed at 0",
                             ev_model_param_names[neg], most);
                freep[neg] = 0;
                continue;
            }
        }
        break;
    }

    dof = (int)n - nfree;
    if (dof == 0)
        ev_fit__note(notes, sizeof notes,
                     "no degrees of freedom left (%zu points, %d parameters): the covariance "
                     "is the a-priori one (sigma %.3g pp), not checked against residuals",
                     n, nfree, opt->sigma_cpu_pp);
    for (c = 0; c < EV_NCAT; c++) {
        ev_param_set ps;
        double chisq;
        gsl_vector_view yv = gsl_vector_view_array(y[c], n);
        memset(&ps, 0, sizeof ps);
        st = gsl_multifit_wlinear(Xf, &wv.vector, &yv.vector, cf, cov, &chisq, ws);
        if (st != GSL_SUCCESS) {
            rc = ev_error_set(err, EV_EMODEL, "platform %s, %s: gsl_multifit_wlinear: %s", pid,
                              ev_cpu_names[c], gsl_strerror(st));
            goto done;
        }
        ps.chi2 = chisq;
        /* the a-priori weights give cov = (X'WX)^-1; residuals larger than sigma scale it */
        ps.scale = dof > 0 ? fmax(1.0, chisq / dof) : 1.0;
        for (j = 0; j < EV_NPARAM; j++)
            ps.identified[j] = freep[j];
        for (j = 0; j < nfree; j++) {
            ps.value[idx[j]] = gsl_vector_get(cf, (size_t)j);
            for (k = 0; k < nfree; k++)
                ps.cov[idx[j] * EV_NPARAM + idx[k]] =
                    ps.scale * gsl_matrix_get(cov, (size_t)j, (size_t)k);
        }
        rc = ev_model_set_params(m, pidx, c, &ps);
        if (rc)
            goto done;
    }
    rc = ev_model_set_diag(m, pidx, n, dof, maxcorr, notes);
done:
    gsl_matrix_free(Xf);
    gsl_matrix_free(cov);
    gsl_vector_free(cf);
    if (ws)
        gsl_multifit_linear_free(ws);
    return rc;
}

/* A record's busy fraction: its four CPU categories' sum / 100. */
static double ev_fit__busy(const ev_record *r)
{
    return (r->cpu[0] + r->cpu[1] + r->cpu[2] + r->cpu[3]) / 100.0;
}

int ev_fit__add_hosts(ev_model *m, const ev_record *recs, size_t n)
{
    size_t i;
    int rc;
    for (i = 0; i < n; i++) {
        const ev_record *r = &recs[i];
        if (!ev_fit_record_usable(r) || r->source == EV_SOURCE_RECONSTRUCTED || !r->kernel[0])
            continue;
        rc = ev_model_add_host(m, r->host, r->kernel, r->arch, r->cpu_model, 1);
        if (rc)
            return rc;
    }
    return EV_OK;
}

size_t ev_fit__saturated_busy(double *u, const ev_record *const *rr, size_t n)
{
    double *b = malloc((n ? n : 1) * sizeof *b);
    size_t i, k = 0;
    if (!b)
        return 0;
    for (i = 0; i < n; i++) {
        double busy = ev_fit__busy(rr[i]);
        if (busy >= 0.9)
            b[k++] = busy < 1.0 ? busy : 1.0;
    }
    if (k) {
        gsl_sort(b, 1, k);
        *u = gsl_stats_median_from_sorted_data(b, 1, k);
    }
    free(b);
    return k;
}

/* Utilization at saturation (docs/model.md): the median busy fraction of the platform's
 * CPU-bound records (ev_fit__saturated_busy); 1 when there are fewer than 3 of them. */
static double ev_fit__utilization(const ev_record *recs, size_t n, const char *id)
{
    const ev_record **rr = malloc((n ? n : 1) * sizeof *rr);
    double u = 1.0, med = 1.0;
    size_t i, k = 0;
    if (!rr)
        return 1.0;
    for (i = 0; i < n; i++)
        if (ev_fit_record_usable(&recs[i]) && strcmp(recs[i].platform, id) == 0)
            rr[k++] = &recs[i];
    if (ev_fit__saturated_busy(&med, rr, k) >= 3)
        u = med;
    free(rr);
    return u;
}

double ev_fit_client_rtt_bound(const ev_record *recs, size_t n, size_t *which)
{
    double best = -1;
    size_t i;
    for (i = 0; i < n; i++) {
        const ev_record *r = &recs[i];
        double busy, b;
        if (!ev_fit_record_usable(r) || r->clients == 0)
            continue;
        busy = ev_fit__busy(r);
        b = ((double)r->clients * (r->pipeline ? r->pipeline : 1) - busy) / r->rps;
        if (b < 0)
            b = 0;
        if (best < 0 || b < best) {
            best = b;
            if (which)
                *which = i;
        }
    }
    return best;
}

int ev_fit_records(ev_model **out, const ev_record *recs, size_t n, const ev_fit_options *opt_in,
                   ev_error *err)
{
    ev_fit_options dflt = EV_FIT_OPTIONS_INIT;
    const ev_fit_options *opt = opt_in ? opt_in : &dflt;
    ev_model *m = NULL;
    double *X = NULL, *w = NULL, *ybuf = NULL, *y[EV_NCAT];
    size_t i, p, nuse = 0, nrec = 0;
    int rc, all_recon = 1;
    double rtt, rtt_max;

    *out = NULL;
    gsl_set_error_handler_off();
    if (!(opt->sigma_cpu_pp > 0) || !(opt->corr_limit > 0 && opt->corr_limit <= 1) ||
        !(opt->client_rtt_s >= 0))
        return ev_error_set(err, EV_EINVAL, "fit options: sigma must be > 0, corr_limit in "
                                            "(0, 1], client rtt >= 0");
    for (i = 0; i < n; i++)
        if (ev_fit_record_usable(&recs[i])) {
            nuse++;
            if (recs[i].source != EV_SOURCE_RECONSTRUCTED)
                all_recon = 0;
        }
    if (nuse == 0)
        return ev_error_set(err, EV_EINVAL, "no usable run record (status ok, rps > 0, "
                                            "user/system/softirq/guest CPU present)");
    rtt = opt->client_rtt_s;
    rtt_max = ev_fit_client_rtt_bound(recs, n, NULL);
    if (rtt_max >= 0 && rtt_max < rtt)
        rtt = rtt_max;
    rc = ev_model_new(&m, opt->name, all_recon ? EV_SOURCE_RECONSTRUCTED : EV_SOURCE_MEASURED,
                      rtt);
    if (rc)
        return ev_error_set(err, rc, "out of memory");
    /* platforms in order of first appearance */
    for (i = 0; i < n; i++) {
        ev_platform_info pi;
        if (!ev_fit_record_usable(&recs[i]) || ev_model_find(m, recs[i].platform) >= 0)
            continue;
        ev_fit__inputs(&pi, &recs[i], opt);
        pi.id = recs[i].platform;
        rc = ev_model_add_platform(m, &pi, NULL);
        if (rc) {
            ev_error_set(err, rc, "platform %s: cannot add", recs[i].platform);
            goto done;
        }
    }
    X = malloc(nuse * EV_NPARAM * sizeof *X);
    w = malloc(nuse * sizeof *w);
    ybuf = malloc(nuse * EV_NCAT * sizeof *ybuf);
    if (!X || !w || !ybuf) {
        rc = ev_error_set(err, EV_ENOMEM, "out of memory");
        goto done;
    }
    for (p = 0; p < m->np; p++) {
        const ev_platform_info *pi = &m->plat[p].info;
        size_t k = 0;
        int c;
        for (c = 0; c < EV_NCAT; c++)
            y[c] = ybuf + (size_t)c * nuse;
        for (i = 0; i < n; i++) {
            const ev_record *r = &recs[i];
            ev_conditions cond;
            ev_counts cnt;
            if (!ev_fit_record_usable(r) || strcmp(r->platform, pi->id) != 0)
                continue;
            ev_fit_record_conditions(&cond, r);
            rc = ev_model_counts(&cnt, pi, r->op, r->value_size, &cond, err);
            if (rc) {
                ev_error_prefix(err, "record %zu (%s)", i, r->point[0] ? r->point : r->platform);
                goto done;
            }
            ev_model__design_row(X + k * EV_NPARAM, r->op, &cnt);
            w[k] = pow(100.0 * r->rps / opt->sigma_cpu_pp, 2);
            for (c = 0; c < EV_NCAT; c++)
                y[c][k] = r->cpu[c] / (100.0 * r->rps);
            k++;
        }
        rc = ev_fit__platform(m, p, X, w, y, k, opt, err);
        if (rc)
            goto done;
        m->plat[p].info.utilization = ev_fit__utilization(recs, n, pi->id);
        nrec += k;
    }
    (void)nrec;
    /* provenance: the hosts the fitted records ran on (rescale compares the anchors') */
    rc = ev_fit__add_hosts(m, recs, n);
    if (rc) {
        ev_error_set(err, rc, "out of memory");
        goto done;
    }
    *out = m;
    m = NULL;
    rc = EV_OK;
done:
    free(X);
    free(w);
    free(ybuf);
    ev_model_free(m);
    return rc;
}

int ev_fit_residuals(ev_fit_point **out, size_t *nout, const ev_model *m, const ev_record *recs,
                     size_t n, ev_error *err)
{
    ev_fit_point *pts;
    size_t i, k = 0;
    *out = NULL;
    *nout = 0;
    pts = calloc(n ? n : 1, sizeof *pts);
    if (!pts)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        const ev_record *r = &recs[i];
        ev_conditions cond;
        ev_prediction pr;
        ev_mix_item it;
        int p, c, rc;
        if (!ev_fit_record_usable(r) || (p = ev_model_find(m, r->platform)) < 0)
            continue;
        ev_fit_record_conditions(&cond, r);
        it.op = r->op;
        it.value_size = r->value_size;
        it.weight = 1;
        rc = ev_model_predict(&pr, m, (size_t)p, &it, 1, &cond, err);
        if (rc) {
            free(pts);
            return rc;
        }
        pts[k].record = i;
        pts[k].platform = p;
        pts[k].rps_obs = r->rps;
        pts[k].rps_fit = pr.rps;
        for (c = 0; c < EV_NCAT; c++) {
            pts[k].d_obs[c] = r->cpu[c] / (100.0 * r->rps);
            pts[k].d_fit[c] = pr.demand_s[c];
        }
        k++;
    }
    *out = pts;
    *nout = k;
    return EV_OK;
}
