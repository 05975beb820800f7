/* test_advisor.c - the advisor on the embedded (paper-reconstructed) calibration: the paper's
 * conclusions S1-S4 (docs/paper.md, claims.md) as behaviour, plus the invariants of the result
 * (intervals, P(best), CPU identities, crossovers, seeds) and the three writers.
 * Usage: test_advisor SOURCE_DIR */
#include "ev_advisor.h"
#include "ev_test.h"

#include <stdlib.h>

static const char *src;

static ev_advice *run_profile(const char *name, const ev_advisor_options *o)
{
    char path[1024];
    ev_profile p;
    ev_error err = EV_ERROR_INIT;
    ev_model *m = NULL;
    ev_advice *a = NULL;
    snprintf(path, sizeof path, "%s/data/profiles/%s.json", src, name);
    if (ev_profile_load(&p, path, &err) || ev_model_default(&m, &err) ||
        ev_advisor_run(&a, m, 1, &p, o, &err)) {
        fprintf(stderr, "%s: %s\n", name, err.msg);
        ev_model_free(m);
        return NULL;
    }
    ev_model_free(m);
    return a;
}

static const ev_adv_platform *find(const ev_advice *a, const char *id)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        if (strcmp(a->plat[i].id, id) == 0)
            return &a->plat[i];
    return NULL;
}

static int is_unikraft(const char *id)
{
    return strncmp(id, "unikraft-", 9) == 0;
}

int main(int argc, char **argv)
{
    ev_advisor_options o = EV_ADVISOR_OPTIONS_INIT;
    ev_advice *a;
    size_t i;

    if (argc < 2) {
        fprintf(stderr, "usage: test_advisor SOURCE_DIR\n");
        return 2;
    }
    src = argv[1];
    o.draws = 500;
    o.curve_draws = 50;
    o.des_requests = 100000;

    /* S1: mostly messages below the MTU -> Kata or unikraft-vhost */
    a = run_profile("small-message", &o);
    EV_CHECK(a != NULL);
    if (a) {
        printf("S1 small-message: recommendation %s (P(best) %.2f)\n", a->recommendation,
               a->plat[0].p_best);
        EV_CHECK(strcmp(a->recommendation, "kata") == 0 ||
                 strcmp(a->recommendation, "unikraft-vhost") == 0);
        /* and the two vhost platforms are the top two */
        EV_CHECK(a->plat[0].path == EV_PATH_VHOST && a->plat[1].path == EV_PATH_VHOST);
        EV_CHECK(strstr(a->reason, "vhost") != NULL); /* the reason names the mechanism */
        /* invariants */
        for (i = 0; i < a->n; i++) {
            const ev_adv_platform *q = &a->plat[i];
            EV_CHECK(q->rps_lo <= q->rps && q->rps <= q->rps_hi);
            EV_CHECK(q->p_best >= 0 && q->p_best <= 1);
            EV_CHECK_NEAR(q->app_cpu, 100 - q->cpu_total, 1e-9);
            EV_CHECK_NEAR(q->cpu_total, q->cpu[0] + q->cpu[1] + q->cpu[2] + q->cpu[3], 1e-9);
            EV_CHECK(i == 0 || a->plat[i - 1].rps >= q->rps); /* ranked by capacity */
        }
        {
            double s = 0;
            for (i = 0; i < a->n; i++)
                s += a->plat[i].p_best;
            EV_CHECK_NEAR(s, 1.0, 1e-9);
        }
        EV_CHECK(a->have_curves && a->nwins >= 1);
        ev_advice_free(a);
    }

    /* S2: mostly messages above the MTU -> Kata; both Unikraft variants far below it */
    a = run_profile("large-message", &o);
    EV_CHECK(a != NULL);
    if (a) {
        const ev_adv_platform *k = find(a, "kata"), *uv = find(a, "unikraft-vhost"),
                              *ui = find(a, "unikraft-virtio"), *lv = find(a, "linuxvm");
        printf("S2 large-message: recommendation %s; kata %.0f, unikraft-vhost %.0f, "
               "unikraft-virtio %.0f, linuxvm %.0f rps\n", a->recommendation, k ? k->rps : 0,
               uv ? uv->rps : 0, ui ? ui->rps : 0, lv ? lv->rps : 0);
        EV_CHECK_STR(a->recommendation, "kata");
        EV_CHECK(k && uv && ui && lv);
        if (k && uv && ui && lv) {
            EV_CHECK(uv->rps < 0.5 * k->rps); /* "far below": less than half */
            EV_CHECK(ui->rps < 0.5 * k->rps);
            EV_CHECK(uv->rps < lv->rps && ui->rps < lv->rps); /* R9: below LinuxVM too */
            EV_CHECK(uv->segments_per_req > 1 && k->segments_per_req == 0);
        }
        EV_CHECK(is_unikraft(a->plat[a->n - 1].id) && is_unikraft(a->plat[a->n - 2].id));
        EV_CHECK(strstr(a->reason, "segment") != NULL); /* software segmentation explained */
        /* crossovers: the Unikraft variants cross LinuxVM between 1 KB and 4 KB (R9) */
        {
            int found = 0;
            for (i = 0; i < a->ncross; i++) {
                const ev_adv_crossover *x = &a->cross[i];
                const char *ia = a->plat[x->a].id, *ib = a->plat[x->b].id;
                if ((strcmp(ia, "linuxvm") == 0 && strcmp(ib, "unikraft-vhost") == 0) ||
                    (strcmp(ib, "linuxvm") == 0 && strcmp(ia, "unikraft-vhost") == 0)) {
                    found = 1;
                    EV_CHECK_MSG(x->size > 1024 && x->size < 4096, "crossover at %g", x->size);
                    EV_CHECK_STR(a->plat[x->better_below].id, "unikraft-vhost");
                }
            }
            EV_CHECK(found);
        }
        ev_advice_free(a);
    }

    /* S3: bursty load at equal offered rate: the vhost platforms use less CPU per request */
    a = run_profile("bursty", &o);
    EV_CHECK(a != NULL);
    if (a) {
        double vmax = 0, vmin = 1e9;
        EV_CHECK(a->profile.arrival == EV_ARR_ONOFF);
        for (i = 0; i < a->n; i++) {
            const ev_adv_platform *q = &a->plat[i];
            double per_req = q->cpu_total / q->op_rate; /* % of a core per (request/s) */
            EV_CHECK(q->op_rate == a->profile.rate_rps);  /* equal offered rate */
            EV_CHECK(q->des_done && q->des.requests == o.des_requests);
            /* the simulated core is busy as much as the utilization law says */
            EV_CHECK_MSG(fabs(100 * q->des.utilization - q->cpu_total) < 0.05 * q->cpu_total,
                         "%s: simulated busy %.2f %% vs CPU %.2f %%", q->id,
                         100 * q->des.utilization, q->cpu_total);
            if (q->path == EV_PATH_VHOST && per_req > vmax)
                vmax = per_req;
            if (q->path != EV_PATH_VHOST && per_req < vmin)
                vmin = per_req;
            printf("S3 bursty: %-16s %-6s CPU %.2f %% at %.0f/s, p99 %.3f ms\n", q->id,
                   ev_path_name(q->path), q->cpu_total, q->op_rate, 1e3 * q->des.p99_s);
        }
        EV_CHECK_MSG(vmax < vmin, "vhost max %g vs virtio min %g", vmax, vmin);
        EV_CHECK(a->plat[0].path == EV_PATH_VHOST && a->plat[1].path == EV_PATH_VHOST);
        /* burstiness shows in the latency, not in the CPU: the same profile with Poisson
         * arrivals has the same CPU and a lower p99 */
        {
            char path[1024];
            ev_profile p;
            ev_error err = EV_ERROR_INIT;
            ev_model *m = NULL;
            ev_advice *b = NULL;
            snprintf(path, sizeof path, "%s/data/profiles/bursty.json", src);
            EV_CHECK(ev_profile_load(&p, path, &err) == EV_OK);
            p.arrival = EV_ARR_POISSON;
            EV_CHECK(ev_model_default(&m, &err) == EV_OK);
            EV_CHECK(ev_advisor_run(&b, m, 1, &p, &o, &err) == EV_OK);
            if (b) {
                const ev_adv_platform *x = find(a, "kata"), *y = find(b, "kata");
                EV_CHECK(x && y && fabs(x->cpu_total - y->cpu_total) < 1e-9);
                EV_CHECK(x && y && x->des.p99_s > y->des.p99_s);
            }
            ev_advice_free(b);
            ev_model_free(m);
        }
        ev_advice_free(a);
    }

    /* S4: compute-heavy application in the microVM: Unikraft leaves it the most CPU. The
     * paper's measure (C5) is the share of the platform's CPU that runs inside the microVM
     * (guest / total): the Unikraft variants must rank first and second on it. The headroom
     * left on the core (app_cpu = 100 - total) is printed beside it (docs/advisor.md explains
     * why the two measures differ on this calibration). */
    a = run_profile("compute-heavy", &o);
    EV_CHECK(a != NULL);
    if (a) {
        const ev_adv_platform *first = NULL, *second = NULL;
        EV_CHECK(a->profile.objective == EV_OBJ_MAX_APP_CPU);
        for (i = 0; i < a->n; i++) {
            const ev_adv_platform *q = &a->plat[i];
            printf("S4 compute-heavy: %-16s in-VM share %5.1f %%, app_cpu %5.1f %%\n", q->id,
                   q->guest_share, q->app_cpu);
            EV_CHECK_NEAR(q->guest_share, 100 * q->cpu[EV_CPU_GUEST] / q->cpu_total, 1e-6);
            if (!first || q->guest_share > first->guest_share) {
                second = first;
                first = q;
            } else if (!second || q->guest_share > second->guest_share) {
                second = q;
            }
            EV_CHECK(i == 0 || a->plat[i - 1].app_cpu >= q->app_cpu); /* ranked by app_cpu */
        }
        EV_CHECK(first && is_unikraft(first->id));
        EV_CHECK(second && is_unikraft(second->id));
        EV_CHECK(strstr(a->reason, "microVM") != NULL || is_unikraft(a->plat[0].id));
        ev_advice_free(a);
    }

    /* seeds: same seed, same intervals; another seed, other (close) intervals */
    {
        ev_advice *x, *y;
        o.curves = 0;
        x = run_profile("mixed", &o);
        y = run_profile("mixed", &o);
        EV_CHECK(x && y && x->plat[0].rps_lo == y->plat[0].rps_lo);
        ev_advice_free(y);
        o.seed = 99;
        y = run_profile("mixed", &o);
        EV_CHECK(x && y && x->plat[0].rps_lo != y->plat[0].rps_lo);
        EV_CHECK(x && y && fabs(x->plat[0].rps_lo / y->plat[0].rps_lo - 1) < 0.02);
        /* the Monte Carlo interval is close to the model's closed-form one */
        if (x)
            EV_CHECK_MSG(fabs(x->plat[0].rps_lo / x->plat[0].rps_dm_lo - 1) < 0.05,
                         "MC %g vs delta %g", x->plat[0].rps_lo, x->plat[0].rps_dm_lo);
        /* the projected Monte Carlo (exact for the model's linear demands) agrees with drawing
         * every parameter and predicting, within sampling error */
        if (x) {
            ev_advice *g;
            ev_advisor_options og = o;
            og.mc_general = 1;
            og.draws = 2000;
            g = run_profile("mixed", &og);
            EV_CHECK(x->mc_projected == 1 && g && g->mc_projected == 0);
            for (i = 0; g && i < x->n; i++) {
                const ev_adv_platform *px = &x->plat[i], *pg = find(g, px->id);
                EV_CHECK(pg && px->rps == pg->rps);
                EV_CHECK_MSG(pg && fabs(px->rps_lo / pg->rps_lo - 1) < 0.01 &&
                             fabs(px->rps_hi / pg->rps_hi - 1) < 0.01,
                             "%s: projected %g-%g, general %g-%g", px->id, px->rps_lo,
                             px->rps_hi, pg ? pg->rps_lo : 0, pg ? pg->rps_hi : 0);
                EV_CHECK(pg && fabs(px->p_best - pg->p_best) < 0.05);
            }
            ev_advice_free(g);
        }
        /* writers */
        if (x) {
            char *t = NULL, *j = NULL, *c = NULL;
            EV_CHECK(ev_advisor_write_text(&t, x) == EV_OK && strstr(t, "recommendation: "));
            EV_CHECK(t && strstr(t, "paper-reconstructed") && strstr(t, "embedded default"));
            EV_CHECK(ev_advisor_write_json(&j, x) == EV_OK);
            EV_CHECK(j && strstr(j, "\"edgevirt.advice/1\""));
            EV_CHECK(j && strstr(j, "\"ranking\"") && strstr(j, "\"rps_lo\"") &&
                     strstr(j, "\"p_best\"") && strstr(j, "\"bottleneck\""));
            EV_CHECK(ev_advisor_write_csv(&c, x) == EV_OK);
            EV_CHECK(c && strstr(c, "rank,platform,path,feasible,rps,rps_lo,rps_hi,p_best,"));
            {
                size_t lines = 0;
                const char *s;
                for (s = c; s && *s; s++)
                    lines += *s == '\n';
                EV_CHECK(lines == x->n + 2);
            }
            free(t);
            free(j);
            free(c);
        }
        ev_advice_free(x);
        ev_advice_free(y);
    }

    /* constraints: a min_rps nobody reaches -> no recommendation, every platform says why */
    {
        char path[1024];
        ev_profile p;
        ev_error err = EV_ERROR_INIT;
        ev_model *m = NULL;
        snprintf(path, sizeof path, "%s/data/profiles/mixed.json", src);
        EV_CHECK(ev_profile_load(&p, path, &err) == EV_OK);
        p.min_rps = 1e9;
        EV_CHECK(ev_model_default(&m, &err) == EV_OK);
        EV_CHECK(ev_advisor_run(&a, m, 1, &p, &o, &err) == EV_OK);
        if (a) {
            EV_CHECK(!a->have_best);
            EV_CHECK_STR(a->recommendation, "none");
            EV_CHECK(strstr(a->plat[0].why_not, "min_rps") != NULL);
            ev_advice_free(a);
        }
        /* an offered rate above every capacity: nobody feasible, and each platform's CPU is
         * shown at its capacity (a saturated core), not at the impossible rate */
        p.min_rps = 0;
        p.mode = EV_LOAD_OFFERED;
        p.rate_rps = 1e6;
        EV_CHECK(ev_advisor_run(&a, m, 1, &p, &o, &err) == EV_OK);
        if (a) {
            EV_CHECK(!a->have_best);
            for (i = 0; i < a->n; i++) {
                EV_CHECK(!a->plat[i].feasible && !a->plat[i].des_done);
                EV_CHECK(a->plat[i].op_rate == a->plat[i].rps);
                EV_CHECK(a->plat[i].cpu_total <= 100.0 + 1e-6);
                EV_CHECK(i == 0 || a->plat[i - 1].rps >= a->plat[i].rps);
            }
            ev_advice_free(a);
        }
        p.mode = EV_LOAD_SATURATION;
        /* an unknown platform is an error naming it */
        p.min_rps = 0;
        p.nplatforms = 1;
        snprintf(p.platforms[0], sizeof p.platforms[0], "vmware");
        EV_CHECK(ev_advisor_run(&a, m, 1, &p, &o, &err) == EV_ENOENT);
        EV_CHECK(strstr(err.msg, "vmware") != NULL);
        ev_model_free(m);
    }
    return ev_test_done();
}
