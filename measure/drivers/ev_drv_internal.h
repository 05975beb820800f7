/* ev_drv_internal.h - private to measure/drivers: the driver struct, the per-driver ops and
 * the helpers every driver shares (settings fields with paths, argv, spawn, stop, PING, /proc). */
#ifndef EV_DRV_INTERNAL_H
#define EV_DRV_INTERNAL_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>
#include "ev_driver.h"
#include "ev_strbuf.h"

#define EV_DRV_MAX_CPUS 64

/* copy src into dst[n], truncating; always NUL-terminates */
void ev_drv_copy(char *dst, size_t n, const char *src);

/* growable text buffer: the shared ev_strbuf (common/ev_strbuf.h); oom sticks */
typedef ev_strbuf ev_drv_buf;
#define ev_drv_buf_printf ev_strbuf_printf
/* append argv shell-quoted, space separated */
void ev_drv_buf_argv(ev_drv_buf *b, char *const *argv);

/* NULL-terminated malloc'ed argv */
typedef struct ev_drv_argv {
    char **v;
    int n, cap;
    int oom;
} ev_drv_argv;
void ev_drv_argv_add(ev_drv_argv *a, const char *s);
void ev_drv_argv_addf(ev_drv_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ev_drv_argv_addv(ev_drv_argv *a, char *const *v); /* v NULL-terminated, may be NULL */
void ev_drv_argv_free(ev_drv_argv *a);
void ev_drv_strv_free(char **v);

typedef struct ev_drv_ops {
    const char *name;
    /* parse the driver's own fields into d->priv (common ones are already parsed) */
    int (*parse)(ev_driver *d, const cJSON *s, const char *path, ev_error *err);
    /* the driver's lines of the plan (between the common header and "ready"/"stop") */
    void (*plan)(const ev_driver *d, ev_drv_buf *b);
    /* lines for after PONG (pinning vCPU threads); may be NULL */
    void (*plan_after_ready)(const ev_driver *d, ev_drv_buf *b);
    int (*start)(ev_driver *d, ev_error *err);
    /* after PONG (pin vCPU threads); may be NULL */
    int (*after_ready)(ev_driver *d, ev_error *err);
    /* fill vcpu/vhost (vmm is set by the caller); may be NULL */
    int (*pids)(ev_driver *d, ev_driver_pids *out, ev_error *err);
    /* extra explanation when the main child died (qemu vhost); may be NULL */
    void (*explain_exit)(const ev_driver *d, int status, const char *log_tail, char *out, size_t n);
    /* extra text for a ready() timeout (e.g. the guest's serial log); may be NULL */
    void (*explain_timeout)(const ev_driver *d, char *out, size_t n);
    /* what start needs, checked before the first point (ev_driver_preflight); may be NULL */
    int (*preflight)(const ev_driver *d, ev_error *err);
    /* the driver's stop command argv (command, kata) or NULL */
    char **(*stop_argv)(const ev_driver *d);
    void (*free_priv)(void *priv);
} ev_drv_ops;

extern const ev_drv_ops ev_drv_native_ops, ev_drv_command_ops, ev_drv_firecracker_ops,
    ev_drv_qemu_ops, ev_drv_kata_ops;

struct ev_driver {
    const ev_drv_ops *ops;
    ev_driver_info info;
    int pin[EV_DRV_MAX_CPUS];
    int n_pin;
    char workdir_base[PATH_MAX / 2]; /* where mkdtemp makes the private directory */
    char dir[PATH_MAX / 2];          /* the private directory, "" until start */
    char log_path[PATH_MAX];         /* main child's stdout+stderr */
    pid_t pid;                       /* main child = its process group id; 0 none */
    int running;                     /* pid not yet reaped */
    int exited, status;              /* after reaping */
    int version_set;                 /* version came from the settings */
    char netns[PATH_MAX / 4];        /* network namespace path ("" = the caller's) */
    int spawn_outside_netns;         /* kata: ctr itself stays in the caller's namespace */
    char path[64];                   /* the settings' JSON path, for messages */
    void *priv;
};

/* ---- preflight checks (ev_driver_preflight): EV_OK or EV_ENOENT "d->path.FIELD: ..." ---- */
int ev_drv_need_exec(const ev_driver *d, const char *field, const char *bin, ev_error *err);
int ev_drv_need_file(const ev_driver *d, const char *field, const char *file, ev_error *err);
/* the interface must exist in the caller's namespace; not checked when d->netns is set */
int ev_drv_need_iface(const ev_driver *d, const char *field, const char *ifname, ev_error *err);

/* ---- settings (all return EV_OK or EV_ESCHEMA/EV_ERANGE with "path.key: reason") ---- */
int ev_drv_check_keys(const cJSON *o, const char *path, const char *const *allowed, ev_error *err);
int ev_drv_get_str(const cJSON *o, const char *path, const char *key, int required,
                   const char *def, char *out, size_t n, ev_error *err);
int ev_drv_get_int(const cJSON *o, const char *path, const char *key, int required, long def,
                   long min, long max, long *out, ev_error *err);
int ev_drv_get_num(const cJSON *o, const char *path, const char *key, int required, double def,
                   double min, double max, double *out, ev_error *err);
int ev_drv_get_bool(const cJSON *o, const char *path, const char *key, int def, int *out,
                    ev_error *err);
/* array of strings; *out NULL-terminated (NULL when absent and not required) */
int ev_drv_get_strv(const cJSON *o, const char *path, const char *key, int required,
                    int min_len, char ***out, ev_error *err);
int ev_drv_get_cpus(const cJSON *o, const char *path, const char *key, int *out, int max,
                    int *n, ev_error *err);

/* ---- processes ---- */
/* plan line: "spawn pgid=new pin=0,1|unpinned log=<workdir>/DRIVER.log: ARGV" */
void ev_drv_plan_spawn(ev_drv_buf *b, const ev_driver *d, char *const *argv, int pinned);
/* fork + execvp argv; child: own process group, PDEATHSIG, pinned to cpus (if n_cpus > 0),
 * stdin /dev/null, stdout+stderr appended to log_path (or /dev/null if NULL).
 * RETURNS EV_OK, EV_ENOENT (binary missing), EV_ESYS (exec/pin failed; message says which). */
int ev_drv_spawn(pid_t *out, char *const *argv, const int *cpus, int n_cpus,
                 const char *log_path, ev_error *err);
/* the same, entering the network namespace at netns_path first (NULL or "" = stay) */
int ev_drv_spawn_ns(pid_t *out, char *const *argv, const int *cpus, int n_cpus,
                    const char *log_path, const char *netns_path, ev_error *err);
/* the driver's main child: ev_drv_spawn_ns with d's pinning, log and namespace */
int ev_drv_spawn_main(ev_driver *d, char *const *argv, ev_error *err);
/* run argv to completion within timeout_s; first line of output into line (may be NULL).
 * RETURNS EV_OK (exit 0), EV_ECHILD, EV_ETIMEOUT (killed), spawn errors. */
int ev_drv_run(char *const *argv, double timeout_s, char *line, size_t n, ev_error *err);
/* SIGTERM the group, wait up to timeout_s, SIGKILL; reaps pid. *status gets the wait status.
 * RETURNS EV_OK or EV_ETIMEOUT (had to SIGKILL). */
int ev_drv_kill_group(pid_t pid, double timeout_s, int *status);
/* non-blocking: 1 if the driver's child still runs; 0 once reaped (d->status set) */
int ev_drv_alive(ev_driver *d);
/* "exited with status 1" / "killed by signal 6 (Aborted)" */
void ev_drv_describe_status(int status, char *out, size_t n);
/* last <= n-1 bytes of a file, on one line (newlines -> " | ") */
void ev_drv_file_tail(const char *path, char *out, size_t n);
/* thread ids of pid whose comm starts with prefix; RETURNS count (<= max) */
int ev_drv_find_threads(pid_t pid, const char *prefix, pid_t *out, int max);
/* PIDs of kernel threads named exactly name (e.g. "vhost-1234"); RETURNS count */
int ev_drv_find_procs_by_comm(const char *name, pid_t *out, int max);
/* sched_setaffinity(tid) to cpus */
int ev_drv_pin(pid_t tid, const int *cpus, int n_cpus, ev_error *err);
/* pin every thread of d's main child whose name starts with prefix (the vCPU threads, after
 * PONG) to d's CPUs; EV_OK without doing anything when d is unpinned */
int ev_drv_pin_threads(ev_driver *d, const char *prefix, ev_error *err);

/* fill d->info.version from `argv` (first line: "v=X", "version X" or a token like 1.2.3 /
 * v1.2.3) unless the settings gave one; failures leave it "" */
void ev_drv_probe_version(ev_driver *d, char *const *argv);

/* the settings keys every driver accepts (ev_driver.c parses them) */
#define EV_DRV_COMMON_KEYS "driver", "platform", "host", "port", "pin_cpus", "version", \
    "workdir", "instance_iface", "offload", "netns"

/* the main child has exited (already reaped): EV_ECHILD "PLATFORM: DRIVER (pid N) exited with
 * status S WHEN; log PATH: tail" with the driver's explanation first */
int ev_drv_died(ev_driver *d, const char *when, ev_error *err);

/* ---- Redis ---- */
/* one PING attempt: connect + PING with timeout_s; EV_OK only on PONG */
int ev_drv_ping(const char *host, int port, double timeout_s, ev_error *err);
/* the same from inside the network namespace at netns_path (NULL or "" = the caller's): the
 * socket is created there (setns around the connect; needs CAP_SYS_ADMIN) */
int ev_drv_ping_ns(const char *netns_path, const char *host, int port, double timeout_s,
                   ev_error *err);

/* The error of a Firecracker API answer that is not 2xx (pure, no I/O; fuzzed by
 * fuzz/fuzz_fc_reply.c): EV_EAPI "firecracker API: WHAT answered CODE: MESSAGE", MESSAGE being
 * the body's "fault_message" string, else the body itself, else "(no body)" (body NULL).
 * RETURNS EV_EAPI. */
int ev_drv_fc_api_error(ev_error *err, const char *what, long code, const char *body);

#endif
