/* test_advisor_des.c - the discrete-event simulator against queueing theory and against the
 * exact (array + sort) variant of the same run. */
#include "ev_des.h"
#include "ev_test.h"

#include <stdint.h>

static double rel(double a, double b)
{
    return fabs(a - b) / fabs(b);
}

int main(void)
{
    ev_error err = EV_ERROR_INIT;
    ev_des_result r, n;
    ev_des_options o = EV_DES_OPTIONS_INIT;

    /* M/D/1: one class with service 100 us at rho = 0.7. Pollaczek-Khinchine:
     * Wq = rho * S / (2 (1 - rho)) */
    {
        ev_des_class c = { 100e-6, 1 };
        double rho = 0.7, S = 100e-6, wq = rho * S / (2 * (1 - rho));
        o.rate_rps = rho / S;
        o.requests = 400000;
        o.seed = 42;
        EV_CHECK(ev_des_run(&r, &c, 1, &o, &err) == EV_OK);
        EV_CHECK_MSG(rel(r.mean_wait_s, wq) < 0.05, "Wq %g vs P-K %g", r.mean_wait_s, wq);
        EV_CHECK_MSG(rel(r.mean_s, wq + S) < 0.03, "W %g vs %g", r.mean_s, wq + S);
        EV_CHECK(rel(r.utilization, rho) < 0.02);
        EV_CHECK(rel(r.offered_util, rho) < 1e-12);
        EV_CHECK(!r.unstable);
        EV_CHECK(r.p50_s <= r.p90_s && r.p90_s <= r.p99_s && r.p99_s <= r.p999_s &&
                 r.p999_s <= r.max_s);
        EV_CHECK(r.p50_s >= S * 0.98); /* nobody is served faster than the service time */
    }
    /* M/G/1 with two classes (20 % at 500 us, 80 % at 50 us): Wq = lambda E[S^2] / (2 (1-rho)) */
    {
        ev_des_class c[2] = { { 500e-6, 0.2 }, { 50e-6, 0.8 } };
        double es = 0.2 * 500e-6 + 0.8 * 50e-6, es2 = 0.2 * 500e-6 * 500e-6 + 0.8 * 50e-6 * 50e-6;
        double lambda = 0.6 / es, wq = lambda * es2 / (2 * (1 - 0.6));
        o.rate_rps = lambda;
        o.requests = 600000;
        o.seed = 7;
        EV_CHECK(ev_des_run(&r, c, 2, &o, &err) == EV_OK);
        EV_CHECK_MSG(rel(r.mean_wait_s, wq) < 0.06, "Wq %g vs P-K %g", r.mean_wait_s, wq);
        /* the histogram percentiles agree with the exact ones of the same run (same seed) */
        EV_CHECK(ev_des_run_naive(&n, c, 2, &o, &err) == EV_OK);
        EV_CHECK(n.mean_s == r.mean_s && n.max_s == r.max_s);
        EV_CHECK_MSG(rel(r.p50_s, n.p50_s) < 0.02, "p50 %g vs %g", r.p50_s, n.p50_s);
        EV_CHECK_MSG(rel(r.p99_s, n.p99_s) < 0.02, "p99 %g vs %g", r.p99_s, n.p99_s);
        EV_CHECK_MSG(rel(r.p999_s, n.p999_s) < 0.02, "p999 %g vs %g", r.p999_s, n.p999_s);
        /* seeded: the same seed gives the same result, another seed another one */
        {
            ev_des_result r2;
            EV_CHECK(ev_des_run(&r2, c, 2, &o, &err) == EV_OK);
            EV_CHECK(r2.mean_s == r.mean_s && r2.p99_s == r.p99_s);
            o.seed = 8;
            EV_CHECK(ev_des_run(&r2, c, 2, &o, &err) == EV_OK);
            EV_CHECK(r2.mean_s != r.mean_s);
        }
    }
    /* burstiness at the same long-run rate: on/off and batch arrivals queue more than Poisson,
     * while the work done (utilization) stays the same */
    {
        ev_des_class c = { 100e-6, 1 };
        ev_des_result p, b, k;
        o.rate_rps = 3000; /* rho = 0.3 */
        o.requests = 300000;
        o.seed = 3;
        o.arrival = EV_ARR_POISSON;
        EV_CHECK(ev_des_run(&p, &c, 1, &o, &err) == EV_OK);
        o.arrival = EV_ARR_ONOFF;
        o.on_s = 0.01;
        o.off_s = 0.02; /* on-rate 9000/s: rho 0.9 while on */
        EV_CHECK(ev_des_run(&b, &c, 1, &o, &err) == EV_OK);
        o.arrival = EV_ARR_BATCH;
        o.batch = 16;
        EV_CHECK(ev_des_run(&k, &c, 1, &o, &err) == EV_OK);
        EV_CHECK(rel(b.utilization, 0.3) < 0.05 && rel(k.utilization, 0.3) < 0.05);
        EV_CHECK_MSG(b.p99_s > 2 * p.p99_s, "onoff p99 %g vs poisson %g", b.p99_s, p.p99_s);
        /* a batch of 16 at once: the last waits 15 services, so p99 >= ~15 S */
        EV_CHECK_MSG(k.p99_s > 14 * 100e-6, "batch p99 %g", k.p99_s);
        /* M^X/D/1 with fixed batches: (B-1)/2 services inside the batch plus the M/D/1 wait of
         * batches (service B*S, load 0.3): 7.5 S + 0.3 * 16 S / (2 * 0.7) */
        EV_CHECK_MSG(rel(k.mean_wait_s, 7.5 * 100e-6 + 0.3 * 1.6e-3 / 1.4) < 0.05, "Wq %g",
                     k.mean_wait_s);
        o.arrival = EV_ARR_POISSON;
    }
    /* overload is flagged */
    {
        ev_des_class c = { 1e-3, 1 };
        o.rate_rps = 2000;
        o.requests = 10000;
        EV_CHECK(ev_des_run(&r, &c, 1, &o, &err) == EV_OK);
        EV_CHECK(r.unstable && r.offered_util > 1.99);
    }
    /* bad input */
    {
        ev_des_class c = { -1, 1 };
        EV_CHECK(ev_des_run(&r, &c, 1, &o, &err) == EV_EINVAL);
        EV_CHECK(ev_des_run(&r, NULL, 0, &o, &err) == EV_EINVAL);
        c.service_s = 1e-6;
        o.rate_rps = 0;
        EV_CHECK(ev_des_run(&r, &c, 1, &o, &err) == EV_EINVAL);
    }
    return ev_test_done();
}
