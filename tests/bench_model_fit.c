/* bench_model_fit - `cmake --build build --target bench_model_fit`.
 * Fits 500 synthetic run records (5 platforms x GET/SET x 5 sizes x MTU 1500/576 x 5 repeats,
 * CPU readings with 0.5 pp of noise) with ev_fit_records, and, as the peer in the same run, the
 * bare GSL solve of the same rows: one gsl_multifit_wlinear per platform and category on the
 * prebuilt design (no counting from records, no identifiability analysis). Prints the median
 * time of each over 21 runs and the ratio. Goal: ev_fit_records under 100 ms. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "ev_fit.h"
#include "ev_model.h"

#define NREC 500
#define REPS 21

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    static const char *const ids[5] = { "kata", "unikraft-vhost", "unikraft-virtio",
                                        "firecracker", "linuxvm" };
    static const double sizes[5] = { 32, 64, 1024, 4096, 16384 };
    static ev_record recs[NREC];
    static double X[NREC][EV_NPARAM], y[EV_NCAT][NREC], w[NREC];
    double t_fit[REPS], t_peer[REPS], tf, tp;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    ev_fit_options opt = EV_FIT_OPTIONS_INIT;
    ev_error err = EV_ERROR_INIT;
    size_t n = 0;
    int p, o, k, mt, r, c, rep;

    gsl_set_error_handler_off();
    gsl_rng_set(rng, 1);
    for (p = 0; p < 5; p++)
        for (o = 0; o < 2; o++)
            for (k = 0; k < 5; k++)
                for (mt = 0; mt < 2; mt++)
                    for (r = 0; r < 5; r++) {
                        ev_platform_info pi;
                        ev_conditions cond = EV_CONDITIONS_INIT;
                        ev_counts cnt;
                        ev_record *rec = &recs[n];
                        double d[EV_NCAT], dt = 0;
                        ev_model_platform_defaults(&pi, ids[p], EV_PATH_VHOST, "linux", 1);
                        cond.mtu = mt ? 576 : 1500;
                        ev_model_counts(&cnt, &pi, (ev_op)o, sizes[k], &cond, &err);
                        for (c = 0; c < EV_NCAT; c++) {
                            d[c] = (10 + 2 * p + o) * 1e-6 * (c + 1) + 2e-6 * cnt.packets +
                                   5e-6 * cnt.segments + 1e-9 * (c + 1) * cnt.bytes;
                            dt += d[c];
                        }
                        ev_record_init(rec);
                        snprintf(rec->platform, sizeof rec->platform, "%s", ids[p]);
                        rec->op = (ev_op)o;
                        rec->value_size = (uint32_t)sizes[k];
                        rec->mtu = (uint32_t)cond.mtu;
                        rec->clients = 50;
                        rec->rps = 1 / dt;
                        X[n][0] = o == 0;
                        X[n][1] = o == 1;
                        X[n][2] = cnt.packets;
                        X[n][3] = cnt.segments;
                        X[n][4] = cnt.bytes;
                        w[n] = pow(100 * rec->rps, 2);
                        for (c = 0; c < EV_NCAT; c++) {
                            rec->cpu[c] = 100 * rec->rps * d[c] + gsl_ran_gaussian(rng, 0.5);
                            y[c][n] = rec->cpu[c] / (100 * rec->rps);
                        }
                        n++;
                    }

    for (rep = 0; rep < REPS; rep++) {
        ev_model *m = NULL;
        double t0 = now();
        if (ev_fit_records(&m, recs, n, &opt, &err) != EV_OK) {
            fprintf(stderr, "bench_model_fit: %s\n", err.msg);
            return 1;
        }
        t_fit[rep] = now() - t0;
        ev_model_free(m);

        t0 = now();
        for (p = 0; p < 5; p++) {
            /* rows of platform p are contiguous: 100 of them */
            size_t n0 = (size_t)p * 100, np = 100;
            gsl_matrix_view A = gsl_matrix_view_array(&X[n0][0], np, EV_NPARAM);
            gsl_vector_view wv = gsl_vector_view_array(&w[n0], np);
            gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(np, EV_NPARAM);
            gsl_vector *cf = gsl_vector_alloc(EV_NPARAM);
            gsl_matrix *cov = gsl_matrix_alloc(EV_NPARAM, EV_NPARAM);
            for (c = 0; c < EV_NCAT; c++) {
                gsl_vector_view yv = gsl_vector_view_array(&y[c][n0], np);
                double chisq;
                gsl_multifit_wlinear(&A.matrix, &wv.vector, &yv.vector, cf, cov, &chisq, ws);
            }
            gsl_matrix_free(cov);
            gsl_vector_free(cf);
            gsl_multifit_linear_free(ws);
        }
        t_peer[rep] = now() - t0;
    }
    qsort(t_fit, REPS, sizeof t_fit[0], cmp);
    qsort(t_peer, REPS, sizeof t_peer[0], cmp);
    tf = t_fit[REPS / 2];
    tp = t_peer[REPS / 2];
    printf("bench_model_fit: %zu runs, 5 platforms x 4 categories, median of %d\n", n, REPS);
    printf("  ev_fit_records (counting + identifiability + WLS): %8.3f ms\n", 1e3 * tf);
    printf("  peer: bare gsl_multifit_wlinear on prebuilt rows:  %8.3f ms\n", 1e3 * tp);
    printf("  ratio ev_fit_records / peer: %.2f\n", tf / tp);
    printf("  goal < 100 ms: %s\n", tf < 0.1 ? "met" : "NOT met");
    gsl_rng_free(rng);
    return 0;
}
