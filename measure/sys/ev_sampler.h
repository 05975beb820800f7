/* ev_sampler.h - sample CPU (per CPU, mpstat-exact), per-process/thread CPU of a list of PIDs
 * and interface counters over exactly the window in which a load runs, plus a per-interval
 * series. Library: ev_sys (measure/sys).
 *
 *   ev_sampler_options o = EV_SAMPLER_OPTIONS_INIT;
 *   ev_sampler *s; ev_sampler_result r; ev_error e = EV_ERROR_INIT;
 *   o.pids = pids; o.npids = 1; o.ifaces = ifs; o.nifaces = 1;
 *   if (ev_sampler_start(&s, &o, &e) == EV_OK) { run_load(); ev_sampler_stop(s, &r, &e); }
 *   ... use r ...; ev_sampler_result_free(&r);
 *
 * The sampler object is opaque; results are plain data owned by the caller. */
#ifndef EV_SAMPLER_H
#define EV_SAMPLER_H

#include <stddef.h>
#include "ev_cpu.h"
#include "ev_err.h"
#include "ev_netdev.h"
#include "ev_proc.h"
#include "ev_record.h"

typedef struct ev_sampler ev_sampler;

/* An interface to count, with its role in the run record (EV_ROLE_INSTANCE, EV_ROLE_NIC) or
 * -1 for none. */
typedef struct ev_sampler_iface {
    char ifname[EV_NETDEV_NAMELEN];
    int role;
} ev_sampler_iface;

typedef struct ev_sampler_options {
    unsigned version;             /* EV_SAMPLER_OPTIONS_VERSION */
    const char *root;             /* path prefix for /proc and /sys; NULL = live system */
    const int *cpus; size_t ncpus;/* the CPU set summed into `set`; NULL = every online CPU */
    const int *pids; size_t npids;/* processes to account per thread (VMM, redis-server...) */
    int scan_vhost;               /* 1 (default): also find vhost-PID kernel threads */
    const ev_sampler_iface *ifaces; size_t nifaces;
    double interval_s;            /* series period (default 1 s); <= 0: no series */
    size_t max_points;            /* series capacity (default 3600); later points dropped */
} ev_sampler_options;

#define EV_SAMPLER_OPTIONS_VERSION 1
#define EV_SAMPLER_OPTIONS_INIT { EV_SAMPLER_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0, 1, NULL, 0, 1.0, 3600 }

/* Per-process result. */
typedef struct ev_sampler_proc {
    int pid;
    int present;          /* 0 when the process could not be read at start or stop */
    ev_proc_ticks ticks;  /* raw tick deltas */
    ev_thread_cpu cpu;    /* percent of one core (ev_record.h) */
} ev_sampler_proc;

/* One point of the series: the interval (t_start_s, t_end_s] after the window start. */
typedef struct ev_sampler_point {
    double t_start_s, t_end_s;
    ev_cpu_pct set;              /* CPU set, percent of one core */
    ev_cpu_pct all;              /* mpstat "all" line, percent of the machine */
    ev_sampler_proc *procs;      /* npids entries */
    ev_netdev_delta *ifaces;     /* nifaces entries */
} ev_sampler_point;

typedef struct ev_sampler_result {
    double window_s;             /* monotonic seconds between the first and last snapshot */
    char start_time[32];         /* ISO 8601 UTC of the start */
    long user_hz;
    ev_cpu_pct all;              /* mpstat "all" line over the window */
    ev_cpu_pct set;              /* the CPU set (opts.cpus), percent of one core */
    size_t set_ncpus;            /* CPUs counted in set */
    int *cpu_ids;                /* ncpu entries: CPU numbers online at both ends */
    ev_cpu_pct *per_cpu;         /* ncpu entries: mpstat's line per CPU */
    size_t ncpu;
    ev_sampler_proc *procs; size_t nprocs;
    ev_netdev_delta *ifaces; int *iface_roles; size_t nifaces;
    ev_sampler_point *series; size_t nseries;
    size_t series_dropped;       /* points not stored (capacity or a failed read) */
    char warning[256];           /* first non-fatal problem (a PID gone, ...), "" if none */
} ev_sampler_result;

/* Take the first snapshot (CPU, every PID, every interface) and start the series thread.
 * Every PID and interface must be readable now.
 * RETURNS EV_OK (*out owns the sampler), EV_EINVAL (bad options), EV_ENOENT (PID, interface
 * or CPU missing), EV_EIO, EV_ENOMEM, EV_ESYS (thread). */
int ev_sampler_start(ev_sampler **out, const ev_sampler_options *opts, ev_error *err);

/* Take the last snapshot, stop the series thread (the last, partial interval becomes the last
 * point), fill *out and free the sampler (always, even on failure). A PID that has gone is
 * reported with present = 0 and a warning, not as a failure.
 * RETURNS EV_OK, EV_EIO (/proc/stat unreadable), EV_ENOMEM. */
int ev_sampler_stop(ev_sampler *s, ev_sampler_result *out, ev_error *err);

/* Stop without a result; NULL-safe. */
void ev_sampler_free(ev_sampler *s);

/* How many series points the running sampler has recorded so far (for progress output, and
 * for tests that must wait for the series thread instead of guessing a sleep). */
size_t ev_sampler_points(ev_sampler *s);

/* Callback form: start, run fn(payload), stop. fn's return value goes to *fn_rc (may be
 * NULL); the result is filled even when fn fails. RETURNS the sampler's status. */
int ev_sample_during(ev_sampler_result *out, const ev_sampler_options *opts,
                     int (*fn)(void *payload), int *fn_rc, void *payload, ev_error *err);

/* Free the arrays of a result (not r itself); NULL-safe. */
void ev_sampler_result_free(ev_sampler_result *r);

/* Copy a result into a run record: cpu[] from `set` (percent of one core), cpu_ncpu = the
 * CPUs counted in `set`, cpu_basis "mpstat", threads from the process at index proc_index (< 0: none), ifc[] from the
 * interfaces that have a role. Other fields of r are left alone. */
void ev_sampler_fill_record(ev_record *r, const ev_sampler_result *res, int proc_index);

#endif
