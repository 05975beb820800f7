/* ev_loadopts.h - options of edgevirt-load: defaults, command-line parsing, validation.
 *
 * Option names and meanings follow redis-benchmark where they overlap (-h -p -s -a -c -n -d -P
 * -r -t --threads -q --csv); the rest is documented in docs/edgevirt-load.md. Parsing and
 * validation never print: they return an ev_err code with the detail in an ev_error. */
#ifndef EV_LOADOPTS_H
#define EV_LOADOPTS_H

#include <stdint.h>
#include "ev_err.h"

/* Tests (-t), bit mask. They always run in the order SET, GET, MIX (redis-benchmark runs SET
 * before GET too). MIX is selected by --ratio / --get-ratio. */
enum { EV_LOAD_T_SET = 1, EV_LOAD_T_GET = 2, EV_LOAD_T_MIX = 4 };

typedef enum ev_load_format { EV_LOAD_FMT_TEXT = 0, EV_LOAD_FMT_CSV = 1, EV_LOAD_FMT_JSON = 2 } ev_load_format;
typedef enum ev_load_sizes { EV_LOAD_SIZE_FIXED = 0, EV_LOAD_SIZE_LIST = 1, EV_LOAD_SIZE_LOGNORMAL = 2 } ev_load_sizes;

#define EV_LOAD_MAX_SIZES 64
#define EV_LOAD_MAX_VALUE (512u * 1024u * 1024u) /* Redis' proto-max-bulk-len default */

typedef struct ev_load_options {
    char host[256];          /* -h (127.0.0.1) */
    int port;                /* -p (6379) */
    char socket[108];        /* -s: Unix socket path, overrides host/port */
    char auth[256];          /* -a: AUTH password ("" = none) */
    uint32_t clients;        /* -c (50) */
    uint64_t requests;       /* -n (100000) */
    int requests_given;      /* 1 when -n was on the command line */
    uint32_t value_size;     /* -d (3) */
    uint32_t pipeline;       /* -P (1); open loop: max outstanding requests per connection */
    uint64_t keyspace;       /* -r (0 = one key "key:__rand_int__", like redis-benchmark) */
    unsigned tests;          /* -t: EV_LOAD_T_* mask (default SET|GET; only MIX with --ratio) */
    int tests_given;         /* 1 when -t was on the command line */
    uint32_t threads;        /* --threads (1) */
    int quiet;               /* -q */
    ev_load_format format;   /* --csv, --json */
    double duration_s;       /* --duration (0 = count mode, -n requests) */
    double warmup_s;         /* --warmup (0) */
    ev_load_sizes size_kind; /* -d / --data-size-list / --size-lognormal */
    uint32_t size_list[EV_LOAD_MAX_SIZES];
    double size_weight[EV_LOAD_MAX_SIZES];
    int size_n;
    double ln_median, ln_sigma;   /* --size-lognormal MEDIAN:SIGMA[:MIN:MAX] */
    uint32_t ln_min, ln_max;
    uint32_t ratio_set, ratio_get; /* --ratio SET:GET (0:0 = no mix test) */
    double rate;             /* --rate requests/s, open loop (0 = closed loop) */
    int prefill;             /* 1 (default): store the keyspace before GET/MIX tests; --no-prefill */
    double timeout_s;        /* --timeout: no reply progress for this long fails the test (10) */
    double time_limit_s;     /* --time-limit: hard cap on one test incl. warm-up (3600) */
    uint64_t seed;           /* --seed (1) */
    int help;                /* --help was given */
    int version;             /* --version was given */
} ev_load_options;

/* Defaults as listed above. */
void ev_load_options_init(ev_load_options *o);

/* Parse argv into o (call ev_load_options_init first). Resets getopt state.
 * RETURNS EV_OK or EV_EUSAGE/EV_EINVAL (err names the option and the problem). */
int ev_load_options_parse(ev_load_options *o, int argc, char **argv, ev_error *err);

/* Cross-checks (ranges, conflicting options). RETURNS EV_OK or EV_EINVAL/EV_ERANGE. */
int ev_load_options_validate(const ev_load_options *o, ev_error *err);

/* Usage text (static, for --help). */
const char *ev_load_usage(void);

/* Mean value size of the configured distribution (bytes). */
double ev_load_options_mean_size(const ev_load_options *o);

#endif
