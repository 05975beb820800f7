/* ev_profile.h - the workload profile (schema "edgevirt.profile/1", docs/formats.md section
 * "Workload profile"): what a user's traffic looks like, what they want, which platforms to
 * consider. Built from a JSON file (ev_profile_load) or from command-line flags
 * (ev_profile_set_sizes_spec & co.); both end in ev_profile_validate().
 *
 * Library: ev_advisor. Plain data: the struct is public and needs no freeing.
 * Nothing here prints or exits. */
#ifndef EV_PROFILE_H
#define EV_PROFILE_H

#include <stddef.h>
#include "ev_err.h"

#define EV_PROFILE_SCHEMA "edgevirt.profile/1"
#define EV_PROFILE_MAX_SIZES 256      /* size classes after discretisation */
#define EV_PROFILE_MAX_PLATFORMS 16
#define EV_PROFILE_LOGNORMAL_BINS 32  /* lognormal -> this many log-spaced classes */

typedef enum ev_dist_kind { EV_DIST_LIST = 0, EV_DIST_LOGNORMAL = 1, EV_DIST_HISTOGRAM = 2 } ev_dist_kind;
typedef enum ev_objective { EV_OBJ_MAX_RPS = 0, EV_OBJ_MIN_CPU = 1, EV_OBJ_MAX_APP_CPU = 2 } ev_objective;
typedef enum ev_arrival { EV_ARR_POISSON = 0, EV_ARR_ONOFF = 1, EV_ARR_BATCH = 2 } ev_arrival;
typedef enum ev_load_mode { EV_LOAD_SATURATION = 0, EV_LOAD_OFFERED = 1 } ev_load_mode;

typedef struct ev_profile {
    char name[64];
    char description[256];
    char source[512];            /* the file it came from, or "<command line>" */

    /* value sizes: always resolved into classes size[i] (bytes) with weight[i] (sum 1) */
    ev_dist_kind dist;
    double ln_median, ln_sigma, ln_min, ln_max;   /* lognormal: median (bytes), sigma (of ln) */
    char histogram_file[512];                     /* as written in the profile */
    size_t nsizes;
    double size[EV_PROFILE_MAX_SIZES];
    double weight[EV_PROFILE_MAX_SIZES];

    double get_ratio;            /* fraction of requests that are GET, [0,1] (rest SET) */
    double key_size;             /* bytes */
    double mtu;                  /* bytes */
    double link_rate_bps;        /* bits/s per direction; 0 = no wire bound */
    double clients, pipeline;    /* closed-loop client used for the saturation bound */

    ev_load_mode mode;
    double rate_rps;             /* offered rate (EV_LOAD_OFFERED) */
    ev_arrival arrival;
    double on_s, off_s;          /* on/off: mean on and off period lengths (s), exponential */
    double batch;                /* batch: requests per batch (all arrive at once) */

    ev_objective objective;
    double min_rps;              /* constraint; 0 = none */
    double max_cpu_pct;          /* constraint on total CPU (% of one core); 0 = none */

    size_t nplatforms;           /* 0 = every platform of the model */
    char platforms[EV_PROFILE_MAX_PLATFORMS][48];
} ev_profile;

/* Defaults: 64 B values only, GET ratio 0.5, 16 B keys, MTU 1500, 1 Gbit/s, 50 clients,
 * pipeline 1, saturation, Poisson, objective max-rps, no constraints, all platforms,
 * source "<command line>". */
void ev_profile_init(ev_profile *p);

/* Load a profile file (JSON, schema edgevirt.profile/1). A histogram file named in it is read
 * relative to the profile's folder. Errors name the file, the field and what is wrong:
 * "small.json: sizes.items[1].weight: must be a number >= 0, got -3".
 * RETURNS EV_OK, EV_ENOENT, EV_EIO, EV_EPARSE, EV_ESCHEMA, EV_ERANGE. */
int ev_profile_load(ev_profile *out, const char *path, ev_error *err);

/* Parse a weighted size list "64:70,1024:25,16384:5" (size:weight, weights relative;
 * a bare "64" has weight 1) into p's classes (dist = list). `what` names the source in errors
 * (e.g. "--sizes"). RETURNS EV_OK or EV_EINVAL. */
int ev_profile_set_sizes_spec(ev_profile *p, const char *spec, const char *what, ev_error *err);

/* Lognormal with median (bytes), sigma (>0, of ln size), clipped to [min, max]: discretised into
 * EV_PROFILE_LOGNORMAL_BINS log-spaced classes; each class has the probability mass of its bin
 * (renormalised to the clipped range) and the conditional mean size in the bin.
 * RETURNS EV_OK or EV_EINVAL. */
int ev_profile_set_lognormal(ev_profile *p, double median, double sigma, double min, double max,
                             ev_error *err);

/* Histogram file: text, one "SIZE WEIGHT" pair per line (bytes, relative weight), '#' starts a
 * comment, blank lines ignored; errors name file:line. RETURNS EV_OK, EV_ENOENT, EV_EIO,
 * EV_EPARSE. */
int ev_profile_load_histogram(ev_profile *p, const char *path, ev_error *err);

/* Comma-separated platform ids ("kata,unikraft-vhost"). RETURNS EV_OK or EV_EINVAL. */
int ev_profile_set_platforms(ev_profile *p, const char *list, ev_error *err);

/* Check everything (ranges, weights, load mode vs objective) and normalise weights.
 * RETURNS EV_OK or EV_EINVAL / EV_ERANGE with a message naming the field. */
int ev_profile_validate(ev_profile *p, ev_error *err);

/* Mean value size (bytes) over the classes. */
double ev_profile_mean_size(const ev_profile *p);

/* Names <-> enums ("max-rps", "min-cpu", "max-app-cpu"; "poisson", "onoff", "batch";
 * "saturation", "offered"). Parsers return -1 for unknown names. */
int ev_objective_parse(const char *s);
const char *ev_objective_name(ev_objective o);
int ev_arrival_parse(const char *s);
const char *ev_arrival_name(ev_arrival a);
const char *ev_load_mode_name(ev_load_mode m);

#endif
