/* advisor_main.c - edgevirt-advisor: which platform should host my Redis-style service?
 * Thin main: parse, validate, run, write, free. The work is in ev_advisor (this folder). */
#include "ev_advisor.h"
#include "ev_version.h"
#include <cjson/cJSON.h>
#include <gsl/gsl_version.h>
#include "ev_fs.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
"Usage: edgevirt-advisor [--profile FILE] [options]\n"
"Predict, rank and explain which lightweight virtualization platform (firecracker, kata,\n"
"unikraft-vhost, unikraft-virtio, linuxvm) best hosts a Redis-style service for a workload.\n"
"\n"
"Workload (a profile file, flags, or both: flags override the file):\n"
"  --profile FILE        workload profile, JSON schema edgevirt.profile/1 (docs/formats.md);\n"
"                        examples in data/profiles/\n"
"  --sizes LIST          value sizes as SIZE:WEIGHT,... (bytes:relative weight), e.g.\n"
"                        64:70,1024:25,16384:5 (default 64)\n"
"  --lognormal M,S[,MIN,MAX]  lognormal sizes: median M bytes, sigma S of ln(size), clipped\n"
"                        to [MIN, MAX] (default 1, 1048576)\n"
"  --histogram FILE      sizes from a text file of \"SIZE WEIGHT\" lines\n"
"  --get-ratio R         fraction of requests that are GET, 0..1 (default 0.5)\n"
"  --key-size B          key size in bytes (default 16)\n"
"  --mtu B               MTU in bytes (default 1500)\n"
"  --link-rate BPS       link rate in bits/s per direction, 0 = unlimited (default 1e9)\n"
"  --clients N           closed-loop client connections for saturation (default 50)\n"
"  --pipeline N          requests in flight per connection (default 1)\n"
"Load:\n"
"  --saturation          how many requests/s can each platform serve (default)\n"
"  --rate R              an offered rate of R requests/s (open load: CPU at that rate, CPU\n"
"                        left to an application, simulated latency percentiles)\n"
"  --arrivals KIND       poisson (default), onoff:ON_S,OFF_S (bursts: exponential on and off\n"
"                        periods of mean ON_S and OFF_S seconds), or batch:N (N requests at once)\n"
"Decision:\n"
"  --objective OBJ       max-rps (default), min-cpu (least CPU at --rate), or max-app-cpu\n"
"                        (most CPU left to an application in the guest at --rate)\n"
"  --min-rps R           constraint: capacity at least R requests/s\n"
"  --max-cpu PCT         constraint: total CPU at the operating point at most PCT % of a core\n"
"  --platforms LIST      only these platform ids, comma-separated (default: all in the model)\n"
"Model and uncertainty:\n"
"  --model FILE          cost model (edgevirt.model/1); default: the embedded calibration\n"
"                        reconstructed from the paper (the output says which one is used)\n"
"  --draws N             Monte Carlo draws of the model parameters (default 2000, >= 10)\n"
"  --seed N              random seed for the draws and the simulation (default 1)\n"
"  --sim-requests N      requests simulated per platform under open load (default 1000000,\n"
"                        at most 1e8)\n"
"Output:\n"
"  (default)             an aligned text table, the recommendation and why, who wins where\n"
"  --json                JSON (schema edgevirt.advice/1, docs/advisor.md)\n"
"  --csv                 CSV, one row per platform (header names the units)\n"
"  --out DIR             also write charts (rps_vs_size, cpu_split, pareto, decision_map as\n"
"                        .dat + .gp, rendered to .png and .svg by gnuplot) and advice.json\n"
"  --help, --version\n"
"\n"
"Reading the table:\n"
"  rps          capacity at saturation (requests/s) for your mix; 95% interval from the draws\n"
"  P(best)      share of the parameter draws in which the platform is best for the objective\n"
"  CPU%, user, sys, soft, guest\n"
"               percent of one core at the operating point (--rate, else the platform's own\n"
"               capacity), split as mpstat does: VMM userspace, host kernel, packet softirq,\n"
"               the microVM itself\n"
"  app-CPU      100 - CPU%: what an application sharing the platform's core can still use\n"
"  in-VM        guest / CPU%: the share of the platform's CPU that runs inside the microVM\n"
"  bottleneck   what limits capacity: cpu:<largest category>, wire (the link) or client\n"
"  p50/p99 ms   simulated server latency (queueing + service) under --rate and --arrivals\n"
"Then: the recommendation and why (driver path, segmentation, CPU split), the value-size\n"
"range where each platform wins, and the sizes where two platforms swap order.\n"
"\n"
"Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input (the message names the\n"
"file and the field).\n"
"Examples:\n"
"  edgevirt-advisor --profile data/profiles/small-message.json --out charts\n"
"  edgevirt-advisor --sizes 64:70,1024:25,16384:5 --get-ratio 0.9\n"
"  edgevirt-advisor --sizes 64 --rate 4000 --arrivals onoff:0.005,0.015 --objective min-cpu\n"
"Manual: docs/advisor.md\n";

typedef struct cli {
    const char *profile, *model, *out;
    int json, csv;
    ev_profile prof;
    ev_advisor_options aopt;
} cli;

static int num(const char *opt, const char *s, double *out, double min, double max,
               ev_error *err)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(*out) || *out < min || *out > max)
        return ev_error_set(err, EV_EUSAGE, "%s: expected a number in [%g, %g], got \"%s\"", opt,
                            min, max, s);
    return EV_OK;
}

enum { O_PROFILE = 256, O_MODEL, O_SIZES, O_LOGN, O_HIST, O_GET, O_KEY, O_MTU, O_LINK,
       O_CLIENTS, O_PIPE, O_SAT, O_RATE, O_ARR, O_OBJ, O_MINRPS, O_MAXCPU, O_PLAT, O_DRAWS,
       O_SEED, O_SIMREQ, O_JSON, O_CSV, O_OUT, O_HELP, O_VERSION };

/* Flags are applied after the profile is loaded, so they are stored and replayed. */
typedef struct flag {
    int id;
    const char *arg;
} flag;

static int apply(cli *c, const flag *f, ev_error *err)
{
    ev_profile *p = &c->prof;
    int rc = EV_OK;
    switch (f->id) {
    case O_SIZES:
        if ((rc = ev_profile_set_sizes_spec(p, f->arg, "--sizes", err)))
            rc = EV_EUSAGE;
        break;
    case O_LOGN: {
        double a[4] = { 0, 0, 1, 1048576 };
        int n = 0;
        const char *s = f->arg;
        char *end;
        while (n < 4) {
            errno = 0;
            a[n] = strtod(s, &end);
            if (end == s || errno)
                break;
            n++;
            if (*end != ',')
                break;
            s = end + 1;
        }
        if ((n != 2 && n != 4) || *end)
            return ev_error_set(err, EV_EUSAGE, "--lognormal: expected MEDIAN,SIGMA or "
                                "MEDIAN,SIGMA,MIN,MAX, got \"%s\"", f->arg);
        if ((rc = ev_profile_set_lognormal(p, a[0], a[1], a[2], a[3], err))) {
            ev_error_prefix(err, "--lognormal");
            rc = EV_EUSAGE;
        }
        break;
    }
    case O_HIST:
        rc = ev_profile_load_histogram(p, f->arg, err);
        if (!rc)
            snprintf(p->histogram_file, sizeof p->histogram_file, "%s", f->arg);
        break;
    case O_GET: rc = num("--get-ratio", f->arg, &p->get_ratio, 0, 1, err); break;
    case O_KEY: rc = num("--key-size", f->arg, &p->key_size, 1, 65536, err); break;
    case O_MTU: rc = num("--mtu", f->arg, &p->mtu, 576, 65536, err); break;
    case O_LINK: rc = num("--link-rate", f->arg, &p->link_rate_bps, 0, 1e13, err); break;
    case O_CLIENTS: rc = num("--clients", f->arg, &p->clients, 1, 1e6, err); break;
    case O_PIPE: rc = num("--pipeline", f->arg, &p->pipeline, 1, 1e4, err); break;
    case O_SAT: p->mode = EV_LOAD_SATURATION; break;
    case O_RATE:
        rc = num("--rate", f->arg, &p->rate_rps, 1e-6, 1e12, err);
        p->mode = EV_LOAD_OFFERED;
        break;
    case O_ARR:
        if (strcmp(f->arg, "poisson") == 0) {
            p->arrival = EV_ARR_POISSON;
        } else if (strncmp(f->arg, "onoff:", 6) == 0) {
            char *end;
            p->on_s = strtod(f->arg + 6, &end);
            if (*end != ',' || !(p->on_s > 0))
                return ev_error_set(err, EV_EUSAGE, "--arrivals: expected onoff:ON_S,OFF_S "
                                    "(seconds, ON_S > 0), got \"%s\"", f->arg);
            p->off_s = strtod(end + 1, &end);
            if (*end || !(p->off_s >= 0))
                return ev_error_set(err, EV_EUSAGE, "--arrivals: OFF_S must be a number >= 0 "
                                    "seconds, got \"%s\"", f->arg);
            p->arrival = EV_ARR_ONOFF;
        } else if (strncmp(f->arg, "batch:", 6) == 0) {
            if ((rc = num("--arrivals batch:N", f->arg + 6, &p->batch, 1, 1e6, err)))
                break;
            p->batch = floor(p->batch);
            p->arrival = EV_ARR_BATCH;
        } else {
            return ev_error_set(err, EV_EUSAGE, "--arrivals: expected poisson, onoff:ON_S,OFF_S "
                                "or batch:N, got \"%s\"", f->arg);
        }
        break;
    case O_OBJ: {
        int o = ev_objective_parse(f->arg);
        if (o < 0)
            return ev_error_set(err, EV_EUSAGE, "--objective: expected max-rps, min-cpu or "
                                "max-app-cpu, got \"%s\"", f->arg);
        p->objective = (ev_objective)o;
        break;
    }
    case O_MINRPS: rc = num("--min-rps", f->arg, &p->min_rps, 0, 1e12, err); break;
    case O_MAXCPU: rc = num("--max-cpu", f->arg, &p->max_cpu_pct, 0.001, 6400, err); break;
    case O_PLAT:
        if ((rc = ev_profile_set_platforms(p, f->arg, err)))
            rc = EV_EUSAGE;
        break;
    default:
        break;
    }
    return rc;
}

static void print_version(const char *tool)
{
    char buf[512];
    const ev_libver libs[] = { EV_LIBVER_GSL, EV_LIBVER_CJSON };
    fputs(ev_version_text(buf, sizeof buf, tool, libs, sizeof libs / sizeof libs[0]), stdout);
}

static int parse(cli *c, int argc, char **argv, ev_error *err)
{
    static const struct option lo[] = {
        { "profile", required_argument, 0, O_PROFILE }, { "model", required_argument, 0, O_MODEL },
        { "sizes", required_argument, 0, O_SIZES }, { "lognormal", required_argument, 0, O_LOGN },
        { "histogram", required_argument, 0, O_HIST }, { "get-ratio", required_argument, 0, O_GET },
        { "key-size", required_argument, 0, O_KEY }, { "mtu", required_argument, 0, O_MTU },
        { "link-rate", required_argument, 0, O_LINK }, { "clients", required_argument, 0, O_CLIENTS },
        { "pipeline", required_argument, 0, O_PIPE }, { "saturation", no_argument, 0, O_SAT },
        { "rate", required_argument, 0, O_RATE }, { "arrivals", required_argument, 0, O_ARR },
        { "objective", required_argument, 0, O_OBJ }, { "min-rps", required_argument, 0, O_MINRPS },
        { "max-cpu", required_argument, 0, O_MAXCPU }, { "platforms", required_argument, 0, O_PLAT },
        { "draws", required_argument, 0, O_DRAWS }, { "seed", required_argument, 0, O_SEED },
        { "sim-requests", required_argument, 0, O_SIMREQ }, { "json", no_argument, 0, O_JSON },
        { "csv", no_argument, 0, O_CSV }, { "out", required_argument, 0, O_OUT },
        { "help", no_argument, 0, O_HELP }, { "version", no_argument, 0, O_VERSION },
        { 0, 0, 0, 0 }
    };
    flag flags[64];
    size_t nf = 0, i;
    int opt, rc;
    double v;

    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (opt) {
        case 'h':
        case O_HELP:
            fputs(usage, stdout);
            return 1;
        case O_VERSION:
            print_version("edgevirt-advisor");
            return 1;
        case O_PROFILE: c->profile = optarg; break;
        case O_MODEL: c->model = optarg; break;
        case O_OUT: c->out = optarg; break;
        case O_JSON: c->json = 1; break;
        case O_CSV: c->csv = 1; break;
        case O_DRAWS:
            if ((rc = num("--draws", optarg, &v, 10, 1e7, err)))
                return rc;
            c->aopt.draws = (size_t)v;
            break;
        case O_SEED:
            if ((rc = num("--seed", optarg, &v, 0, 4294967295.0, err)))
                return rc;
            c->aopt.seed = (unsigned long)v;
            break;
        case O_SIMREQ:
            if ((rc = num("--sim-requests", optarg, &v, 1000, 1e8, err)))
                return rc;
            c->aopt.des_requests = (uint64_t)v;
            break;
        case '?':
            if (optopt > 0 && optopt < 128)
                return ev_error_set(err, EV_EUSAGE, "unknown option or missing value: -%c "
                                    "(see --help)", optopt);
            if (optopt >= O_PROFILE)
                return ev_error_set(err, EV_EUSAGE, "%s: missing value (see --help)",
                                    argv[optind - 1]);
            return ev_error_set(err, EV_EUSAGE, "unknown option or missing value: %s (see --help)",
                                argv[optind - 1]);
        default:
            if (nf == sizeof flags / sizeof flags[0])
                return ev_error_set(err, EV_EUSAGE, "too many options");
            flags[nf].id = opt;
            flags[nf].arg = optarg;
            nf++;
        }
    }
    if (optind < argc)
        return ev_error_set(err, EV_EUSAGE, "unexpected argument \"%s\" (see --help)",
                            argv[optind]);
    if (c->json && c->csv)
        return ev_error_set(err, EV_EUSAGE, "--json and --csv: choose one");
    ev_profile_init(&c->prof);
    if (c->profile && (rc = ev_profile_load(&c->prof, c->profile, err)))
        return rc;
    for (i = 0; i < nf; i++)
        if ((rc = apply(c, &flags[i], err)))
            return rc;
    if (nf && c->profile) {
        /* flags changed a loaded profile: say so in the source */
        size_t l = strlen(c->prof.source);
        snprintf(c->prof.source + l, sizeof c->prof.source - l, " + command-line flags");
    }
    return ev_profile_validate(&c->prof, err);
}

int main(int argc, char **argv)
{
    cli c;
    ev_error err = EV_ERROR_INIT;
    ev_model *m = NULL;
    ev_advice *a = NULL;
    char *text = NULL;
    int rc;

    memset(&c, 0, sizeof c);
    c.aopt = (ev_advisor_options)EV_ADVISOR_OPTIONS_INIT;
    rc = parse(&c, argc, argv, &err);
    if (rc == 1)
        return 0; /* --help / --version */
    if (rc)
        goto fail;
    c.aopt.curves = c.out != NULL || (!c.json && !c.csv) || c.json;
    rc = c.model ? ev_model_load(&m, c.model, &err) : ev_model_default(&m, &err);
    if (rc)
        goto fail;
    if ((rc = ev_advisor_run(&a, m, c.model == NULL, &c.prof, &c.aopt, &err)))
        goto fail;
    if (c.model)
        snprintf(a->model_file, sizeof a->model_file, "%s", c.model);
    rc = c.json ? ev_advisor_write_json(&text, a)
       : c.csv  ? ev_advisor_write_csv(&text, a)
                : ev_advisor_write_text(&text, a);
    if (rc) {
        ev_error_set(&err, rc, "cannot format the output");
        goto fail;
    }
    fputs(text, stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) { /* e.g. a full disk: the advice is lost */
        rc = ev_error_sys(&err, EV_EIO, errno, "writing the output failed");
        goto fail;
    }
    if (c.out) {
        char warn[600], path[PATH_MAX];
        char *js = NULL;
        int rendered = 0;
        if ((rc = ev_advisor_charts(&rendered, warn, sizeof warn, a, c.out, &err)))
            goto fail;
        if ((rc = ev_advisor_write_json(&js, a))) {
            ev_error_set(&err, rc, "cannot format advice.json");
            goto fail;
        }
        snprintf(path, sizeof path, "%s/advice.json", c.out);
        rc = ev_fs_write_atomic(path, js, strlen(js), &err);
        free(js);
        if (rc)
            goto fail;
        if (rendered)
            fprintf(stderr, "charts: %d written to %s/ (rps_vs_size, cpu_split, pareto, "
                    "decision_map; .png .svg .dat .gp) and %s\n", rendered, c.out, path);
        else
            fprintf(stderr, "edgevirt-advisor: warning: %s\n", warn);
    }
    free(text);
    ev_advice_free(a);
    ev_model_free(m);
    return 0;
fail:
    fprintf(stderr, "edgevirt-advisor: %s\n", err.msg[0] ? err.msg : ev_strerror(rc));
    if (ev_exit_code(rc) == 2 && rc == EV_EUSAGE)
        fprintf(stderr, "Try 'edgevirt-advisor --help'.\n");
    free(text);
    ev_advice_free(a);
    ev_model_free(m);
    return ev_exit_code(rc);
}
