/* ev_advisor.h - the advisor: predictions, Monte Carlo uncertainty, ranking, explanation,
 * crossovers, open-load CPU and latency for one workload profile on one cost model.
 *
 * ev_advisor_run() computes everything into a plain result (ev_advice) and prints nothing;
 * ev_advisor_write_text/json/csv (ev_advisor_write.c) and ev_advisor_charts (ev_advisor_charts.c)
 * turn the same result into output.
 *
 * Definitions (docs/advisor.md):
 *  - capacity (rps): the model's throughput for the profile's mix at saturation: min of the CPU
 *    bound (one core), the wire bound and the closed-loop client bound;
 *  - rps_lo/rps_hi: 2.5 % and 97.5 % quantiles over `draws` parameter draws from the model's
 *    covariance (ev_model_draw, GSL mt19937 seeded with `seed`);
 *  - operating point: the offered rate (load mode "offered") or the capacity (saturation);
 *  - cpu: percent of one core used at the operating point, per category = 100 * rate * D_c;
 *  - app_cpu ("CPU left to the application in the guest"): 100 - total CPU used on the core at
 *    the operating point: what a compute-heavy application sharing the platform's one core can
 *    still use;
 *  - guest_share: 100 * D_guest / sum D, the share of the platform's CPU spent inside the
 *    microVM. The paper reads a larger guest share at saturation as "more CPU for the
 *    application" (S4); app_cpu above is the physical headroom. Both are reported;
 *  - p_best: the share of draws in which the platform is the best feasible one for the objective.
 *
 * Ownership: *out from ev_advisor_run is freed with ev_advice_free (NULL-safe). */
#ifndef EV_ADVISOR_H
#define EV_ADVISOR_H

#include <stddef.h>
#include <stdint.h>
#include "ev_err.h"
#include "ev_model.h"
#include "ev_profile.h"
#include "ev_des.h"

#define EV_ADV_MAX_PLAT EV_PROFILE_MAX_PLATFORMS
#define EV_ADV_NGRID 29        /* value sizes 16 B .. 256 KiB in half-octave steps */
#define EV_ADV_MAP_NY 11       /* GET ratio 0, 0.1, ..., 1 */
#define EV_ADV_MAX_CROSS 64
#define EV_ADV_MAX_WINS 32

typedef struct ev_advisor_options {
    size_t draws;               /* Monte Carlo draws for intervals and P(best) (>= 10) */
    unsigned long seed;         /* GSL RNG seed (draws and the simulation) */
    uint64_t des_requests;      /* requests per platform in the simulation (open load) */
    int curves;                 /* 1: compute the size sweep (curves, crossovers, map) */
    size_t curve_draws;         /* draws for the interval bands of the size sweep */
    int mc_general;             /* 1: draw every parameter (ev_model_draw) and predict, instead
                                   of the exact projection onto the mix's demands (slower; the
                                   projection falls back to it by itself when it cannot apply) */
} ev_advisor_options;
#define EV_ADVISOR_OPTIONS_INIT { 2000, 1, 1000000, 1, 1000, 0 }

typedef struct ev_adv_platform {
    char id[48];
    size_t model_index;         /* index in the model (stable colour in charts) */
    ev_path path;
    char stack[16];
    int offload;

    int feasible;               /* meets the constraints and carries the offered rate */
    char why_not[160];          /* when not feasible */

    /* saturation */
    double rps, rps_lo, rps_hi;         /* capacity, point + Monte Carlo 95 % interval */
    double rps_dm_lo, rps_dm_hi;        /* the model's closed-form (delta-method) interval */
    ev_bound bound;
    int bound_cat;
    char bottleneck[32];                /* "cpu:system", "wire", "client" */
    double x_cpu, x_wire, x_client;
    double demand_us[EV_NCAT];          /* CPU microseconds per request per category */
    double demand_us_total;
    double sat_cpu[EV_NCAT];            /* CPU split at saturation (% of one core) */
    double segments_per_req, packets_per_req, wire_bytes_per_req;

    /* operating point */
    double op_rate;                     /* requests/s */
    double cpu[EV_NCAT];                /* % of one core at op_rate */
    double cpu_total, cpu_lo, cpu_hi;   /* point + 95 % interval */
    double app_cpu, app_cpu_lo, app_cpu_hi; /* 100 - cpu_total (and its interval) */
    double host_cpu;                    /* user + system + softirq (outside the guest) */
    double guest_share;                 /* 100 * guest / total: the share of the platform's
                                           CPU that runs inside the microVM (the paper's C5
                                           view; independent of the rate) */

    /* open load: simulated latency (des_done = 1) */
    int des_done;
    ev_des_result des;

    double score;               /* objective value (higher is better) */
    double p_best;
} ev_adv_platform;

typedef struct ev_adv_crossover {
    size_t a, b;                /* indexes into ev_advice.plat */
    double size;                /* bytes: below it one is better, above it the other */
    size_t better_below;        /* a or b */
} ev_adv_crossover;

typedef struct ev_adv_win {
    size_t plat;                /* index into ev_advice.plat */
    double from, to;            /* bytes (grid ends are 16 B and 256 KiB) */
} ev_adv_win;

typedef struct ev_advice {
    char model_name[64];
    char model_file[512];               /* the file it was loaded from ("" = embedded); set by
                                           the caller after ev_advisor_run, shown in output */
    int model_is_default;
    int model_reconstructed;
    ev_profile profile;
    ev_advisor_options opt;

    size_t n;                           /* platforms considered, in ranking order */
    ev_adv_platform plat[EV_ADV_MAX_PLAT];
    int have_best;                      /* 1 if plat[0] is feasible */
    char recommendation[48];            /* plat[0].id, or "none" */
    char reason[1536];                  /* plain words, tied to the mechanisms */
    size_t mc_draws_used;               /* draws in which some platform was feasible */
    int mc_projected;                   /* 1: the exact projected Monte Carlo was used */

    /* size sweep at the profile's GET ratio (opt.curves) */
    int have_curves;
    double grid[EV_ADV_NGRID];
    double curve[EV_ADV_MAX_PLAT][EV_ADV_NGRID];        /* capacity (rps) */
    double curve_lo[EV_ADV_MAX_PLAT][EV_ADV_NGRID];
    double curve_hi[EV_ADV_MAX_PLAT][EV_ADV_NGRID];
    double curve_cpu_us[EV_ADV_MAX_PLAT][EV_ADV_NGRID]; /* CPU us per request */
    size_t ncross;
    ev_adv_crossover cross[EV_ADV_MAX_CROSS];   /* every pair whose order flips */
    size_t nwins;
    ev_adv_win wins[EV_ADV_MAX_WINS];           /* who wins where (objective metric) */
    double map_y[EV_ADV_MAP_NY];                /* GET ratios */
    int map[EV_ADV_MAP_NY][EV_ADV_NGRID];       /* best platform (index into plat) or -1 */
} ev_advice;

/* Run the advisor. `m` is the model, `model_is_default` says it is the embedded default (the
 * output names it). The profile must have passed ev_profile_validate.
 * RETURNS EV_OK, EV_ENOENT (a profile platform the model lacks), EV_EINVAL, EV_EMODEL,
 * EV_ENOMEM. */
int ev_advisor_run(ev_advice **out, const ev_model *m, int model_is_default,
                   const ev_profile *p, const ev_advisor_options *opt, ev_error *err);
void ev_advice_free(ev_advice *a);

/* Output writers (ev_advisor_write.c). Each returns a malloc'ed NUL-terminated string in *out
 * (caller frees), numbers in the C locale. RETURNS EV_OK or EV_ENOMEM. */
int ev_advisor_write_text(char **out, const ev_advice *a);
int ev_advisor_write_json(char **out, const ev_advice *a);   /* schema edgevirt.advice/1 */
int ev_advisor_write_csv(char **out, const ev_advice *a);    /* header "# edgevirt.advice.csv/1" */

/* Charts (ev_advisor_charts.c): writes rps_vs_size, cpu_split, pareto, decision_map (.dat,
 * .gp) into dir (created if needed) and renders them with gnuplot. *rendered = number of charts
 * rendered to PNG+SVG; when gnuplot is missing, 0 and warn (warn_len bytes) says so.
 * RETURNS EV_OK, EV_EIO, EV_ECHILD (gnuplot failed), EV_EINVAL (no curves computed). */
int ev_advisor_charts(int *rendered, char *warn, size_t warn_len, const ev_advice *a,
                      const char *dir, ev_error *err);

#endif
