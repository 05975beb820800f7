/* ev_profile.c - profile defaults, size distributions, flag parsing, validation. The JSON
 * loader is in ev_profile_load.c. */
#include "ev_profile.h"
#include "ev_fs.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_cdf.h>

void ev_profile_init(ev_profile *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "command-line");
    snprintf(p->source, sizeof p->source, "<command line>");
    p->dist = EV_DIST_LIST;
    p->nsizes = 1;
    p->size[0] = 64;
    p->weight[0] = 1;
    p->get_ratio = 0.5;
    p->key_size = 16;
    p->mtu = 1500;
    p->link_rate_bps = 1e9;
    p->clients = 50;
    p->pipeline = 1;
    p->mode = EV_LOAD_SATURATION;
    p->arrival = EV_ARR_POISSON;
    p->batch = 1;
    p->objective = EV_OBJ_MAX_RPS;
}

static int parse_num(const char *s, size_t len, double *out)
{
    char tmp[64], *end;
    if (len == 0 || len >= sizeof tmp)
        return -1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    errno = 0;
    *out = strtod(tmp, &end);
    if (errno || *end || !isfinite(*out))
        return -1;
    return 0;
}

int ev_profile_set_sizes_spec(ev_profile *p, const char *spec, const char *what, ev_error *err)
{
    const char *s = spec;
    size_t n = 0;
    if (!what)
        what = "sizes";
    if (!spec || !*spec)
        return ev_error_set(err, EV_EINVAL, "%s: empty size list (expected SIZE:WEIGHT,...)",
                            what);
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        const char *colon = memchr(s, ':', len);
        double size, w = 1;
        if (n == EV_PROFILE_MAX_SIZES)
            return ev_error_set(err, EV_EINVAL, "%s: more than %d sizes", what,
                                EV_PROFILE_MAX_SIZES);
        if (parse_num(s, colon ? (size_t)(colon - s) : len, &size) < 0 || size < 1 ||
            size > 512.0 * 1024 * 1024)
            return ev_error_set(err, EV_EINVAL, "%s: item %zu \"%.*s\": size must be a number "
                                "of bytes in [1, 536870912]", what, n + 1, (int)len, s);
        if (colon && (parse_num(colon + 1, len - (size_t)(colon + 1 - s), &w) < 0 || w < 0))
            return ev_error_set(err, EV_EINVAL, "%s: item %zu \"%.*s\": weight must be a "
                                "number >= 0", what, n + 1, (int)len, s);
        p->size[n] = size;
        p->weight[n] = w;
        n++;
        s += len;
        if (*s == ',') {
            s++;
            if (!*s)
                return ev_error_set(err, EV_EINVAL, "%s: trailing comma", what);
        }
    }
    p->nsizes = n;
    p->dist = EV_DIST_LIST;
    return EV_OK;
}

int ev_profile_set_lognormal(ev_profile *p, double median, double sigma, double min, double max,
                             ev_error *err)
{
    const int nb = EV_PROFILE_LOGNORMAL_BINS;
    double mu = log(median), total, lmin, lmax;
    int i;
    if (!(median > 0) || !isfinite(median))
        return ev_error_set(err, EV_EINVAL, "lognormal median must be > 0 bytes");
    if (!(sigma > 0) || sigma > 10)
        return ev_error_set(err, EV_EINVAL, "lognormal sigma must be in (0, 10]");
    if (!(min >= 1) || !(max > min) || max > 512.0 * 1024 * 1024)
        return ev_error_set(err, EV_EINVAL, "lognormal clip range must satisfy "
                            "1 <= min < max <= 536870912 bytes");
    lmin = log(min);
    lmax = log(max);
    total = gsl_cdf_lognormal_P(max, mu, sigma) - gsl_cdf_lognormal_P(min, mu, sigma);
    if (!(total > 1e-12))
        return ev_error_set(err, EV_EINVAL, "lognormal: the clip range [%g, %g] holds no "
                            "probability mass for median %g, sigma %g", min, max, median,
                            sigma);
    for (i = 0; i < nb; i++) {
        double a = exp(lmin + (lmax - lmin) * i / nb), b = exp(lmin + (lmax - lmin) * (i + 1) / nb);
        double mass = gsl_cdf_lognormal_P(b, mu, sigma) - gsl_cdf_lognormal_P(a, mu, sigma);
        /* conditional mean of a lognormal in [a, b]: E = exp(mu + s^2/2) *
         * (Phi((ln b - mu - s^2)/s) - Phi((ln a - mu - s^2)/s)) / mass */
        double pm = gsl_cdf_ugaussian_P((log(b) - mu - sigma * sigma) / sigma) -
                    gsl_cdf_ugaussian_P((log(a) - mu - sigma * sigma) / sigma);
        double mean = mass > 1e-300 ? exp(mu + sigma * sigma / 2) * pm / mass : sqrt(a * b);
        if (!(mean >= a && mean <= b))
            mean = sqrt(a * b);
        p->size[i] = mean;
        p->weight[i] = mass / total;
    }
    p->nsizes = (size_t)nb;
    p->dist = EV_DIST_LOGNORMAL;
    p->ln_median = median;
    p->ln_sigma = sigma;
    p->ln_min = min;
    p->ln_max = max;
    return EV_OK;
}

int ev_profile_load_histogram(ev_profile *p, const char *path, ev_error *err)
{
    char *text = NULL, *line, *save = NULL;
    int rc, lineno = 0;
    size_t n = 0;
    if ((rc = ev_fs_read_all(&text, NULL, path, err)))
        return rc;
    /* strtok_r would skip empty lines and so miscount: walk line by line */
    line = text;
    while (line && *line) {
        char *nl = strchr(line, '\n'), *hash, *end;
        double size, w;
        lineno++;
        if (nl)
            *nl = '\0';
        if ((hash = strchr(line, '#')))
            *hash = '\0';
        errno = 0;
        size = strtod(line, &end);
        if (end == line) {
            for (end = line; *end == ' ' || *end == '\t' || *end == '\r'; end++)
                ;
            if (*end) {
                rc = ev_error_set(err, EV_EPARSE, "%s:%d: expected \"SIZE WEIGHT\", got \"%.60s\"",
                                  path, lineno, line);
                goto out;
            }
            line = nl ? nl + 1 : NULL;
            continue;
        }
        line = end;
        w = strtod(line, &end);
        if (end == line || errno) {
            rc = ev_error_set(err, EV_EPARSE, "%s:%d: expected \"SIZE WEIGHT\" (two numbers)",
                              path, lineno);
            goto out;
        }
        for (; *end == ' ' || *end == '\t' || *end == '\r'; end++)
            ;
        if (*end) {
            rc = ev_error_set(err, EV_EPARSE, "%s:%d: unexpected text \"%.40s\" after SIZE WEIGHT",
                              path, lineno, end);
            goto out;
        }
        if (!isfinite(size) || size < 1 || size > 512.0 * 1024 * 1024) {
            rc = ev_error_set(err, EV_EPARSE, "%s:%d: size must be in [1, 536870912] bytes, got %g",
                              path, lineno, size);
            goto out;
        }
        if (!isfinite(w) || w < 0) {
            rc = ev_error_set(err, EV_EPARSE, "%s:%d: weight must be a number >= 0, got %g", path,
                              lineno, w);
            goto out;
        }
        if (n == EV_PROFILE_MAX_SIZES) {
            rc = ev_error_set(err, EV_EPARSE, "%s:%d: more than %d sizes", path, lineno,
                              EV_PROFILE_MAX_SIZES);
            goto out;
        }
        p->size[n] = size;
        p->weight[n] = w;
        n++;
        line = nl ? nl + 1 : NULL;
    }
    (void)save;
    if (n == 0) {
        rc = ev_error_set(err, EV_EPARSE, "%s: no \"SIZE WEIGHT\" lines", path);
        goto out;
    }
    p->nsizes = n;
    p->dist = EV_DIST_HISTOGRAM;
    rc = EV_OK;
out:
    free(text);
    return rc;
}

int ev_profile_set_platforms(ev_profile *p, const char *list, ev_error *err)
{
    const char *s = list;
    size_t n = 0;
    if (!list || !*list)
        return ev_error_set(err, EV_EINVAL, "--platforms: empty list");
    while (*s) {
        size_t len = strcspn(s, ",");
        if (len == 0 || len >= sizeof p->platforms[0])
            return ev_error_set(err, EV_EINVAL, "--platforms: bad platform id \"%.*s\"",
                                (int)len, s);
        if (n == EV_PROFILE_MAX_PLATFORMS)
            return ev_error_set(err, EV_EINVAL, "--platforms: more than %d platforms",
                                EV_PROFILE_MAX_PLATFORMS);
        memcpy(p->platforms[n], s, len);
        p->platforms[n][len] = '\0';
        n++;
        s += len;
        if (*s == ',')
            s++;
    }
    p->nplatforms = n;
    return EV_OK;
}

int ev_profile_validate(ev_profile *p, ev_error *err)
{
    const char *src = p->source[0] ? p->source : "<profile>";
    double total = 0;
    size_t i, j;
    if (p->nsizes == 0)
        return ev_error_set(err, EV_EINVAL, "%s: sizes: no value sizes", src);
    for (i = 0; i < p->nsizes; i++) {
        if (!(p->size[i] >= 1) || !isfinite(p->size[i]))
            return ev_error_set(err, EV_ERANGE, "%s: sizes: size %g must be >= 1 byte", src,
                                p->size[i]);
        if (!(p->weight[i] >= 0) || !isfinite(p->weight[i]))
            return ev_error_set(err, EV_ERANGE, "%s: sizes: weight %g must be >= 0", src,
                                p->weight[i]);
        total += p->weight[i];
    }
    if (!(total > 0))
        return ev_error_set(err, EV_ERANGE, "%s: sizes: the weights sum to 0", src);
    for (i = 0; i < p->nsizes; i++)
        p->weight[i] /= total;
    if (!(p->get_ratio >= 0 && p->get_ratio <= 1))
        return ev_error_set(err, EV_ERANGE, "%s: get_ratio: must be in [0, 1], got %g", src,
                            p->get_ratio);
    if (!(p->key_size >= 1 && p->key_size <= 65536))
        return ev_error_set(err, EV_ERANGE, "%s: key_size: must be in [1, 65536] bytes, got %g",
                            src, p->key_size);
    if (!(p->mtu >= 576 && p->mtu <= 65536))
        return ev_error_set(err, EV_ERANGE, "%s: network.mtu: must be in [576, 65536] bytes, "
                            "got %g", src, p->mtu);
    if (!(p->link_rate_bps >= 0) || !isfinite(p->link_rate_bps))
        return ev_error_set(err, EV_ERANGE, "%s: network.link_rate_bps: must be >= 0 "
                            "(0 = no limit), got %g", src, p->link_rate_bps);
    if (!(p->clients >= 1 && p->clients <= 1e6) || !(p->pipeline >= 1 && p->pipeline <= 1e4))
        return ev_error_set(err, EV_ERANGE, "%s: client: clients must be in [1, 1e6] and "
                            "pipeline in [1, 1e4]", src);
    if (p->mode == EV_LOAD_OFFERED) {
        if (!(p->rate_rps > 0) || !isfinite(p->rate_rps))
            return ev_error_set(err, EV_ERANGE, "%s: load.rate_rps: must be > 0 requests/s for "
                                "an offered load, got %g", src, p->rate_rps);
    } else if (p->objective != EV_OBJ_MAX_RPS) {
        return ev_error_set(err, EV_EINVAL, "%s: objective: \"%s\" compares CPU at an offered "
                            "rate: give load.mode \"offered\" with load.rate_rps (or --rate)",
                            src, ev_objective_name(p->objective));
    }
    if (p->arrival == EV_ARR_ONOFF &&
        (!(p->on_s > 0) || !(p->off_s >= 0) || !isfinite(p->on_s) || !isfinite(p->off_s)))
        return ev_error_set(err, EV_ERANGE, "%s: load.arrivals: on_s must be > 0 and off_s >= 0 "
                            "seconds", src);
    if (p->arrival == EV_ARR_BATCH && !(p->batch >= 1 && p->batch <= 1e6))
        return ev_error_set(err, EV_ERANGE, "%s: load.arrivals.batch: must be in [1, 1e6] "
                            "requests, got %g", src, p->batch);
    if (!(p->min_rps >= 0) || !(p->max_cpu_pct >= 0) || p->max_cpu_pct > 100 * 64)
        return ev_error_set(err, EV_ERANGE, "%s: constraints: min_rps and max_cpu_pct must be "
                            ">= 0", src);
    for (i = 0; i < p->nplatforms; i++)
        for (j = 0; j < i; j++)
            if (strcmp(p->platforms[i], p->platforms[j]) == 0)
                return ev_error_set(err, EV_EINVAL, "%s: platforms: \"%s\" listed twice", src,
                                    p->platforms[i]);
    return EV_OK;
}

double ev_profile_mean_size(const ev_profile *p)
{
    double s = 0, w = 0;
    size_t i;
    for (i = 0; i < p->nsizes; i++) {
        s += p->size[i] * p->weight[i];
        w += p->weight[i];
    }
    return w > 0 ? s / w : 0;
}

static const char *const obj_names[] = { "max-rps", "min-cpu", "max-app-cpu" };
static const char *const arr_names[] = { "poisson", "onoff", "batch" };

int ev_objective_parse(const char *s)
{
    int i;
    for (i = 0; s && i < 3; i++)
        if (strcasecmp(s, obj_names[i]) == 0)
            return i;
    return -1;
}

const char *ev_objective_name(ev_objective o)
{
    return (unsigned)o < 3 ? obj_names[o] : "?";
}

int ev_arrival_parse(const char *s)
{
    int i;
    for (i = 0; s && i < 3; i++)
        if (strcasecmp(s, arr_names[i]) == 0)
            return i;
    return -1;
}

const char *ev_arrival_name(ev_arrival a)
{
    return (unsigned)a < 3 ? arr_names[a] : "?";
}

const char *ev_load_mode_name(ev_load_mode m)
{
    return m == EV_LOAD_OFFERED ? "offered" : "saturation";
}
