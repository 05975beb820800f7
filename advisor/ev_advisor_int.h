/* ev_advisor_int.h - what the advisor's files share (not part of the API, see ev_advisor.h):
 * ev_advisor.c simulates each platform and ranks them, ev_advisor_explain.c writes the
 * explanation, ev_advisor_sweep.c finds the crossover sizes. */
#ifndef EV_ADVISOR_INT_H
#define EV_ADVISOR_INT_H

#include "ev_advisor.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* ---- the mix of one profile ---- */
typedef struct mixbuf {
    ev_mix_item item[2 * EV_PROFILE_MAX_SIZES];
    size_t n;
} mixbuf;
/* ---- projected Monte Carlo ----
 * For a fixed mix, the model's demand in category c is linear in that category's parameters:
 * D_c = row . theta_c (ev_model.h), with row = (GET share, SET share, packets, segments, bytes)
 * per request, and the categories are fitted independently. With theta_c ~ N(mu_c, Sigma_c)
 * (what ev_model_draw samples), D_c ~ N(row . mu_c, row' Sigma_c row) exactly; the model then
 * clamps negative demands at 0, and so do we. Drawing these 4 scalars per platform gives the
 * same distribution as drawing all parameters and predicting, at a fraction of the cost.
 * project() checks the reconstruction against the model's own point prediction and refuses
 * (the caller then uses ev_model_draw + ev_model_predict) if they differ. */
typedef struct proj {
    double m[EV_NCAT], s[EV_NCAT];
    double x_wire, npar, rtt;
} proj;

/* Shared between ev_advisor.c, ev_advisor_explain.c and ev_advisor_sweep.c. */
void ev_adv__mix_one(mixbuf *mb, double size, double get_ratio);
ev_conditions ev_adv__cond_of(const ev_profile *p);
double ev_adv__dsum(const double *v);
double ev_adv__metric(const ev_prediction *pr, const ev_profile *p);
double ev_adv__sweep_metric(const ev_prediction *pr, const ev_profile *p);
void ev_adv__quant95(double *v, size_t n, double *lo, double *hi);
int ev_adv__project(proj *pj, const ev_model *m, size_t mi, const ev_prediction *pr,
                    const ev_conditions *cond);
void ev_adv__explain(ev_advice *a);
int ev_adv__do_sweep(ev_advice *a, const ev_model *m, gsl_rng *rng, ev_error *err);

/* One draw: capacity (rps) and the total demand (s per request). */
static inline double ev_adv__proj_draw(const proj *pj, gsl_rng *rng, double *dtot)
{
    double d = 0, x;
    int c;
    for (c = 0; c < EV_NCAT; c++) {
        double v = pj->m[c] + (pj->s[c] > 0 ? pj->s[c] * gsl_ran_gaussian_ziggurat(rng, 1.0) : 0);
        d += v > 0 ? v : 0;
    }
    if (!(d > 1e-12))
        d = 1e-12;
    *dtot = d;
    x = 1.0 / d;
    if (pj->x_wire < x)
        x = pj->x_wire;
    if (pj->npar / (pj->rtt + d) < x)
        x = pj->npar / (pj->rtt + d);
    return x;
}

#endif
