/* ev_loadopts.c - see ev_loadopts.h. */
#include "ev_loadopts.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void ev_load_options_init(ev_load_options *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->host, sizeof o->host, "127.0.0.1");
    o->port = 6379;
    o->clients = 50;
    o->requests = 100000;
    o->value_size = 3;
    o->pipeline = 1;
    o->tests = EV_LOAD_T_SET | EV_LOAD_T_GET;
    o->threads = 1;
    o->format = EV_LOAD_FMT_TEXT;
    o->size_kind = EV_LOAD_SIZE_FIXED;
    o->prefill = 1;
    o->timeout_s = 10.0;
    o->time_limit_s = 3600.0;
    o->seed = 1;
}

const char *ev_load_usage(void)
{
    return
"Usage: edgevirt-load [OPTIONS]\n"
"Redis GET/SET load generator (hiredis, epoll). Options shared with redis-benchmark keep its\n"
"names and meaning.\n"
"\n"
"Connection:\n"
"  -h HOST              server host (127.0.0.1)\n"
"  -p PORT              server port (6379)\n"
"  -s SOCKET            Unix socket path (overrides -h/-p)\n"
"  -a PASSWORD          AUTH password\n"
"Load:\n"
"  -c CLIENTS           parallel connections (50)\n"
"  -n REQUESTS          requests per test (100000)\n"
"  -d SIZE              value size in bytes for SET and for the GET prefill (3)\n"
"  -P NUMREQ            pipeline NUMREQ requests per batch (1); with --rate: at most NUMREQ\n"
"                       outstanding requests per connection\n"
"  -r KEYSPACE          random keys key:000000000000 .. KEYSPACE-1 (default: one key)\n"
"  -t TESTS             comma list of get,set (default set,get; SET always runs first)\n"
"  --threads N          worker threads, one epoll loop each (1)\n"
"  --duration SECONDS   run each test for SECONDS instead of -n requests\n"
"  --warmup SECONDS     run each test unmeasured for SECONDS first (0)\n"
"  --data-size-list S:W,...  weighted value sizes, e.g. 32:70,1024:25 (like memtier)\n"
"  --size-lognormal MEDIAN:SIGMA[:MIN:MAX]  lognormal value sizes, clamped to [MIN,MAX]\n"
"  --ratio SET:GET      MIX test with SET:GET requests in that ratio (like memtier); runs\n"
"                       alone unless -t is given too\n"
"  --get-ratio F        same, as the fraction F of GETs (0..1)\n"
"  --rate RPS           open loop at RPS requests/s in total; latency is measured from each\n"
"                       request's scheduled send time (coordinated-omission correction)\n"
"  --no-prefill         do not store the keyspace before GET/MIX tests\n"
"  --timeout SECONDS    fail a test when no reply arrives for SECONDS (10)\n"
"  --time-limit SECONDS hard limit per test, warm-up included (3600)\n"
"  --seed N             random seed (1)\n"
"Output:\n"
"  -q                   quiet: one line per test (like redis-benchmark -q)\n"
"  --csv                CSV with redis-benchmark's header\n"
"  --json               JSON document with every result\n"
"  --help               this text\n"
"  --version            print the version\n"
"\n"
"Exit status: 0 success, 1 runtime failure (connection, server died, timeout), 2 bad usage.\n";
}

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_double(const char *s, double min, double max, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int bad(ev_error *err, const char *opt, const char *val, const char *what)
{
    return ev_error_set(err, EV_EINVAL, "option %s: '%s': %s", opt, val ? val : "", what);
}

static int parse_tests(ev_load_options *o, const char *arg, ev_error *err)
{
    char buf[256];
    if (strlen(arg) >= sizeof buf)
        return bad(err, "-t", arg, "too long");
    snprintf(buf, sizeof buf, "%s", arg);
    unsigned mask = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (strcasecmp(tok, "get") == 0)
            mask |= EV_LOAD_T_GET;
        else if (strcasecmp(tok, "set") == 0)
            mask |= EV_LOAD_T_SET;
        else
            return ev_error_set(err, EV_EINVAL, "option -t: unknown test '%s' (supported: get,set)", tok);
    }
    if (!mask)
        return bad(err, "-t", arg, "no test named");
    o->tests = mask;
    return EV_OK;
}

static int parse_size_list(ev_load_options *o, const char *arg, ev_error *err)
{
    char buf[2048];
    if (strlen(arg) >= sizeof buf)
        return bad(err, "--data-size-list", arg, "too long");
    snprintf(buf, sizeof buf, "%s", arg);
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        if (!colon)
            return ev_error_set(err, EV_EINVAL, "option --data-size-list: '%s': expected SIZE:WEIGHT", tok);
        *colon = '\0';
        uint64_t sz;
        double w;
        if (parse_u64(tok, 1, EV_LOAD_MAX_VALUE, &sz))
            return ev_error_set(err, EV_EINVAL, "option --data-size-list: size '%s': must be an integer in 1..%u", tok, EV_LOAD_MAX_VALUE);
        if (parse_double(colon + 1, 0.0, 1e12, &w))
            return ev_error_set(err, EV_EINVAL, "option --data-size-list: weight '%s': must be a number >= 0", colon + 1);
        if (n >= EV_LOAD_MAX_SIZES)
            return ev_error_set(err, EV_EINVAL, "option --data-size-list: more than %d entries", EV_LOAD_MAX_SIZES);
        o->size_list[n] = (uint32_t)sz;
        o->size_weight[n] = w;
        n++;
    }
    double tot = 0;
    for (int i = 0; i < n; i++)
        tot += o->size_weight[i];
    if (n == 0 || tot <= 0)
        return bad(err, "--data-size-list", arg, "needs at least one SIZE:WEIGHT with a weight > 0");
    o->size_n = n;
    o->size_kind = EV_LOAD_SIZE_LIST;
    return EV_OK;
}

static int parse_lognormal(ev_load_options *o, const char *arg, ev_error *err)
{
    char buf[256];
    if (strlen(arg) >= sizeof buf)
        return bad(err, "--size-lognormal", arg, "too long");
    snprintf(buf, sizeof buf, "%s", arg);
    char *f[5] = {0};
    int nf = 0;
    char *p = buf;
    while (nf < 5) {
        f[nf++] = p;
        char *c = strchr(p, ':');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    if (!(nf == 2 || nf == 4))
        return bad(err, "--size-lognormal", arg, "expected MEDIAN:SIGMA or MEDIAN:SIGMA:MIN:MAX");
    if (parse_double(f[0], 1.0, EV_LOAD_MAX_VALUE, &o->ln_median))
        return bad(err, "--size-lognormal", arg, "MEDIAN must be a number in 1..536870912");
    if (parse_double(f[1], 0.0, 10.0, &o->ln_sigma))
        return bad(err, "--size-lognormal", arg, "SIGMA must be a number in 0..10");
    o->ln_min = 1;
    o->ln_max = 1024 * 1024;
    if (nf == 4) {
        uint64_t a, b;
        if (parse_u64(f[2], 1, EV_LOAD_MAX_VALUE, &a) || parse_u64(f[3], 1, EV_LOAD_MAX_VALUE, &b) || a > b)
            return bad(err, "--size-lognormal", arg, "MIN and MAX must be integers with 1 <= MIN <= MAX");
        o->ln_min = (uint32_t)a;
        o->ln_max = (uint32_t)b;
    }
    o->size_kind = EV_LOAD_SIZE_LOGNORMAL;
    return EV_OK;
}

enum {
    OPT_THREADS = 1000, OPT_CSV, OPT_JSON, OPT_DURATION, OPT_WARMUP, OPT_SIZELIST, OPT_LOGNORMAL,
    OPT_RATIO, OPT_GETRATIO, OPT_RATE, OPT_NOPREFILL, OPT_TIMEOUT, OPT_TIMELIMIT, OPT_SEED,
    OPT_HELP, OPT_VERSION
};

int ev_load_options_parse(ev_load_options *o, int argc, char **argv, ev_error *err)
{
    static const struct option longopts[] = {
        {"threads", required_argument, 0, OPT_THREADS},
        {"csv", no_argument, 0, OPT_CSV},
        {"json", no_argument, 0, OPT_JSON},
        {"duration", required_argument, 0, OPT_DURATION},
        {"warmup", required_argument, 0, OPT_WARMUP},
        {"data-size-list", required_argument, 0, OPT_SIZELIST},
        {"size-lognormal", required_argument, 0, OPT_LOGNORMAL},
        {"ratio", required_argument, 0, OPT_RATIO},
        {"get-ratio", required_argument, 0, OPT_GETRATIO},
        {"rate", required_argument, 0, OPT_RATE},
        {"no-prefill", no_argument, 0, OPT_NOPREFILL},
        {"timeout", required_argument, 0, OPT_TIMEOUT},
        {"time-limit", required_argument, 0, OPT_TIMELIMIT},
        {"seed", required_argument, 0, OPT_SEED},
        {"help", no_argument, 0, OPT_HELP},
        {"version", no_argument, 0, OPT_VERSION},
        {0, 0, 0, 0}};
    uint64_t u;
    double d;
    optind = 0; /* full reset (GNU) so the parser can run more than once */
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, ":h:p:s:a:c:n:d:P:r:t:q", longopts, NULL);
        if (c == -1)
            break;
        const char *a = optarg;
        switch (c) {
        case 'h':
            if (!*a || strlen(a) >= sizeof o->host)
                return bad(err, "-h", a, "empty or too long");
            snprintf(o->host, sizeof o->host, "%s", a);
            break;
        case 'p':
            if (parse_u64(a, 1, 65535, &u))
                return bad(err, "-p", a, "must be a port number 1..65535");
            o->port = (int)u;
            break;
        case 's':
            if (!*a || strlen(a) >= sizeof o->socket)
                return bad(err, "-s", a, "empty or longer than 107 bytes");
            snprintf(o->socket, sizeof o->socket, "%s", a);
            break;
        case 'a':
            if (strlen(a) >= sizeof o->auth)
                return bad(err, "-a", "...", "too long");
            snprintf(o->auth, sizeof o->auth, "%s", a);
            break;
        case 'c':
            if (parse_u64(a, 1, 10000, &u))
                return bad(err, "-c", a, "must be an integer in 1..10000");
            o->clients = (uint32_t)u;
            break;
        case 'n':
            if (parse_u64(a, 1, UINT64_C(1000000000000), &u))
                return bad(err, "-n", a, "must be an integer in 1..1e12");
            o->requests = u;
            o->requests_given = 1;
            break;
        case 'd':
            if (parse_u64(a, 1, EV_LOAD_MAX_VALUE, &u))
                return bad(err, "-d", a, "must be an integer in 1..536870912");
            o->value_size = (uint32_t)u;
            o->size_kind = EV_LOAD_SIZE_FIXED;
            break;
        case 'P':
            if (parse_u64(a, 1, 100000, &u))
                return bad(err, "-P", a, "must be an integer in 1..100000");
            o->pipeline = (uint32_t)u;
            break;
        case 'r':
            if (parse_u64(a, 1, UINT64_C(1000000000000), &u))
                return bad(err, "-r", a, "must be an integer in 1..1e12");
            o->keyspace = u;
            break;
        case 't': {
            int rc = parse_tests(o, a, err);
            if (rc)
                return rc;
            o->tests_given = 1;
            break;
        }
        case 'q':
            o->quiet = 1;
            break;
        case OPT_THREADS:
            if (parse_u64(a, 1, 256, &u))
                return bad(err, "--threads", a, "must be an integer in 1..256");
            o->threads = (uint32_t)u;
            break;
        case OPT_CSV:
            o->format = EV_LOAD_FMT_CSV;
            break;
        case OPT_JSON:
            o->format = EV_LOAD_FMT_JSON;
            break;
        case OPT_DURATION:
            if (parse_double(a, 0.001, 86400, &d))
                return bad(err, "--duration", a, "must be a number of seconds in 0.001..86400");
            o->duration_s = d;
            break;
        case OPT_WARMUP:
            if (parse_double(a, 0, 86400, &d))
                return bad(err, "--warmup", a, "must be a number of seconds in 0..86400");
            o->warmup_s = d;
            break;
        case OPT_SIZELIST: {
            int rc = parse_size_list(o, a, err);
            if (rc)
                return rc;
            break;
        }
        case OPT_LOGNORMAL: {
            int rc = parse_lognormal(o, a, err);
            if (rc)
                return rc;
            break;
        }
        case OPT_RATIO: {
            const char *colon = strchr(a, ':');
            char l[32];
            uint64_t s, g;
            if (!colon || (size_t)(colon - a) >= sizeof l)
                return bad(err, "--ratio", a, "expected SET:GET, e.g. 1:10");
            memcpy(l, a, (size_t)(colon - a));
            l[colon - a] = '\0';
            if (parse_u64(l, 0, 1000000, &s) || parse_u64(colon + 1, 0, 1000000, &g) || s + g == 0)
                return bad(err, "--ratio", a, "SET and GET must be integers 0..1000000, not both 0");
            o->ratio_set = (uint32_t)s;
            o->ratio_get = (uint32_t)g;
            break;
        }
        case OPT_GETRATIO:
            if (parse_double(a, 0, 1, &d))
                return bad(err, "--get-ratio", a, "must be a fraction in 0..1");
            /* expressed as an integer ratio over 1000 */
            o->ratio_get = (uint32_t)lround(d * 1000.0);
            o->ratio_set = 1000u - o->ratio_get;
            break;
        case OPT_RATE:
            if (parse_double(a, 0.001, 1e9, &d))
                return bad(err, "--rate", a, "must be a rate in requests/s in 0.001..1e9");
            o->rate = d;
            break;
        case OPT_NOPREFILL:
            o->prefill = 0;
            break;
        case OPT_TIMEOUT:
            if (parse_double(a, 0.01, 86400, &d))
                return bad(err, "--timeout", a, "must be a number of seconds in 0.01..86400");
            o->timeout_s = d;
            break;
        case OPT_TIMELIMIT:
            if (parse_double(a, 0.01, 7 * 86400, &d))
                return bad(err, "--time-limit", a, "must be a number of seconds in 0.01..604800");
            o->time_limit_s = d;
            break;
        case OPT_SEED:
            if (parse_u64(a, 0, UINT64_MAX, &u))
                return bad(err, "--seed", a, "must be a non-negative integer");
            o->seed = u;
            break;
        case OPT_HELP:
            o->help = 1;
            return EV_OK;
        case OPT_VERSION:
            o->version = 1;
            return EV_OK;
        case ':':
            return ev_error_set(err, EV_EUSAGE, "option %s needs a value", argv[optind - 1]);
        default:
            return ev_error_set(err, EV_EUSAGE, "unknown option '%s' (see --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return ev_error_set(err, EV_EUSAGE, "unexpected argument '%s' (see --help)", argv[optind]);
    if (o->ratio_set + o->ratio_get > 0 && !o->tests_given)
        o->tests = 0; /* --ratio alone runs only the MIX test */
    return EV_OK;
}

int ev_load_options_validate(const ev_load_options *o, ev_error *err)
{
    if (o->clients < o->threads)
        return ev_error_set(err, EV_EINVAL, "--threads %u: more threads than clients (-c %u)", o->threads, o->clients);
    if (o->duration_s > 0 && o->warmup_s + o->duration_s > o->time_limit_s)
        return ev_error_set(err, EV_ERANGE, "--warmup + --duration (%g s) exceed --time-limit (%g s)",
                            o->warmup_s + o->duration_s, o->time_limit_s);
    if (o->size_kind == EV_LOAD_SIZE_LOGNORMAL && (o->ln_median < o->ln_min || o->ln_median > o->ln_max))
        return ev_error_set(err, EV_EINVAL, "--size-lognormal: MEDIAN %g outside [MIN %u, MAX %u]",
                            o->ln_median, o->ln_min, o->ln_max);
    if (o->rate > 0 && o->duration_s <= 0 && o->requests / o->rate > o->time_limit_s)
        return ev_error_set(err, EV_ERANGE, "--rate %g with -n %llu needs %g s, more than --time-limit %g s",
                            o->rate, (unsigned long long)o->requests, (double)o->requests / o->rate, o->time_limit_s);
    return EV_OK;
}

double ev_load_options_mean_size(const ev_load_options *o)
{
    switch (o->size_kind) {
    case EV_LOAD_SIZE_LIST: {
        double sw = 0, s = 0;
        for (int i = 0; i < o->size_n; i++) {
            sw += o->size_weight[i];
            s += o->size_weight[i] * o->size_list[i];
        }
        return sw > 0 ? s / sw : 0;
    }
    case EV_LOAD_SIZE_LOGNORMAL:
        return o->ln_median * exp(o->ln_sigma * o->ln_sigma / 2.0); /* before clamping */
    default:
        return o->value_size;
    }
}
