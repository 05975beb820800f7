/* ev_spec.h - the experiment spec (schema "edgevirt.spec/1"): which platforms to measure with
 * which driver settings, the workload grid, the repeats, what the gateway samples and how the
 * client side is reached. Format: docs/formats.md, "Experiment spec". Library: ev_runner.
 *
 *     ev_spec *s; ev_error e = EV_ERROR_INIT;
 *     if (ev_spec_load(&s, "spec.json", &e) != EV_OK) { print e.msg; exit(ev_exit_code(e.code)); }
 *     ...; ev_spec_free(s);
 *
 * Loading validates everything, including each platform's driver settings (ev_driver_new,
 * which starts nothing). Errors read "FILE: PATH.FIELD: reason" and map to exit status 2. */
#ifndef EV_SPEC_H
#define EV_SPEC_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "ev_err.h"
#include "ev_record.h"

#define EV_SPEC_SCHEMA "edgevirt.spec/1"
#define EV_SPEC_MAX_LIST 64      /* entries of each workload list */
#define EV_SPEC_MAX_PLATFORMS 32
#define EV_SPEC_MAX_IFACES 8
#define EV_SPEC_MAX_CPUS 64
#define EV_SPEC_MAX_ARGS 32
#define EV_SPEC_MAX_MIXES 16     /* workload.mixes entries */

/* A measured mix (issue 13): the sizes and GET ratio of an advisor profile
 * (edgevirt.profile/1), run by edgevirt-load --data-size-list/--get-ratio. */
typedef struct ev_spec_mix {
    char name[48];          /* the profile's name (else its file name), for the point id */
    char file[256];         /* the profile file as resolved */
    double get_ratio;
    size_t n;               /* size classes (<= EV_REC_MAX_MIX), integer sizes in bytes */
    double size[EV_REC_MAX_MIX], weight[EV_REC_MAX_MIX];
} ev_spec_mix;

typedef enum ev_spec_restart {
    EV_SPEC_RESTART_BLOCK = 0, /* "per_block": one start per platform and repeat (default) */
    EV_SPEC_RESTART_POINT = 1  /* "per_point": a fresh start for every point */
} ev_spec_restart;

typedef struct ev_spec_platform {
    char id[48];            /* record platform id, unique in the spec */
    cJSON *settings;        /* driver settings (owned copy; "platform" set to id) */
    char path[48];          /* "platforms[N].settings", for messages */
} ev_spec_platform;

typedef struct ev_spec_iface {
    char name[32];
    int role;               /* EV_ROLE_INSTANCE, EV_ROLE_NIC, or -1 (sampled, no role) */
} ev_spec_iface;

typedef struct ev_spec {
    char file[256];         /* the file it was loaded from (messages) */
    char name[160];         /* optional, free text */
    char tag[32];           /* optional prefix of every point id ("mtu576") */

    ev_spec_platform platforms[EV_SPEC_MAX_PLATFORMS];
    size_t nplatforms;

    /* workload grid */
    ev_op ops[2]; size_t nops;
    uint32_t value_sizes[EV_SPEC_MAX_LIST]; size_t nsizes;
    ev_spec_mix mixes[EV_SPEC_MAX_MIXES]; size_t nmixes; /* workload.mixes (may be 0) */
    /* workload.anchor (issue 13): one configuration measured again at the start of every
     * block and after every anchor_every points of it, to see drift over a long sweep */
    int anchor;             /* 1 when given */
    ev_op anchor_op;
    uint32_t anchor_size;
    uint32_t anchor_every;  /* 0 = only at the start of each block */
    uint32_t clients[EV_SPEC_MAX_LIST]; size_t nclients;
    uint32_t pipelines[EV_SPEC_MAX_LIST]; size_t npipelines;
    uint64_t requests;      /* -n per point (0 = duration mode) */
    double duration_s;      /* --duration per point (0 = request mode) */
    double warmup_s;        /* warm-up run before each point, not sampled (0 = none) */
    uint64_t keyspace;      /* -r (0 = one key, as redis-benchmark) */
    char *load_args[EV_SPEC_MAX_ARGS + 1]; /* extra edgevirt-load arguments, NULL-terminated */

    uint32_t repeats;
    ev_spec_restart restart;

    /* gateway sampling */
    int cpus[EV_SPEC_MAX_CPUS]; size_t ncpus; /* 0 = every online CPU */
    ev_spec_iface ifaces[EV_SPEC_MAX_IFACES]; size_t nifaces;

    /* client side */
    char *client_prefix[EV_SPEC_MAX_ARGS + 1]; /* NULL-terminated; empty = run locally */
    char load_bin[256];     /* "edgevirt-load" */
    int load_given;         /* 1 when client.load named it (else the runner's default) */
    char client_host[64];   /* address the client uses ("" = the driver's host) */
    int client_port;        /* 0 = the driver's port */
    double load_timeout_s;  /* 0 = derived from requests/duration */

    /* network (recorded) */
    uint32_t mtu;           /* 0 = read from the instance interface if any */
    double link_rate_bps;   /* 0 = unknown */

    double ready_timeout_s; /* PING -> PONG (60) */
    double stop_timeout_s;  /* SIGTERM -> SIGKILL (10) */
} ev_spec;

/* Load and validate a spec file. OUT *out (free with ev_spec_free), NULL on failure.
 * RETURNS EV_OK, EV_ENOENT/EV_EIO (file), EV_EPARSE, EV_ESCHEMA, EV_ERANGE, EV_ENOMEM. */
int ev_spec_load(ev_spec **out, const char *path, ev_error *err);

/* Same from text; `file` is only used in messages. */
int ev_spec_parse(ev_spec **out, const char *text, const char *file, ev_error *err);

void ev_spec_free(ev_spec *s); /* NULL-safe */

/* Number of points of the plan: platforms x ops x sizes x clients x pipelines x repeats. */
size_t ev_spec_npoints(const ev_spec *s);

#endif
