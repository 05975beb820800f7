/* ev_driver.h - one interface for every platform driver (library ev_drivers, measure/drivers/).
 *
 * A driver starts one Redis-serving platform (a plain redis-server, a VM, a container), tells
 * when Redis answers PING, names the processes and threads whose CPU time belongs to the
 * platform, and stops it. Drivers: "native", "command", "firecracker", "qemu" (flavours
 * linuxvm, unikraft-virtio, unikraft-vhost) and "kata". docs/drivers.md lists every setting.
 *
 * Life cycle (the runner's view):
 *
 *     ev_driver *d;
 *     if (ev_driver_new(&d, settings_json, "platforms[0].settings", &err) != EV_OK) ...
 *     ev_driver_plan(d, &text, &err);              // --dry-run: print text, free(text)
 *     ev_driver_start(d, &err);                    // spawns children, configures APIs
 *     ev_driver_ready(d, 60.0, &err);              // real PING -> PONG, or timeout / crash
 *     ev_driver_get_pids(d, &pids, &err);            // what to account (process + threads)
 *     ...measure...; ev_driver_check(d, &err);     // still alive? (crash mid-point)
 *     ev_driver_stop(d, 10.0, &err);               // SIGTERM, wait, SIGKILL the group, reap
 *     ev_driver_free(d);                           // stops first if still running
 *
 * Rules every driver follows: children are spawned with fork + execvp from argv arrays (never a
 * shell), each in its own process group, with stdin from /dev/null and stdout+stderr to a log
 * file in a private directory made with mkdtemp (removed by ev_driver_free). Errors go into the
 * caller's ev_error (never printed). An ev_driver is not thread-safe; use one per thread.
 * With the "netns" setting the platform runs in that network namespace and ready's PING is
 * sent from inside it (setns around the connect: needs root).
 * Processes started by a driver get PR_SET_PDEATHSIG=SIGKILL, so they die with the runner. */
#ifndef EV_DRIVER_H
#define EV_DRIVER_H

#include <sys/types.h>
#include <cjson/cJSON.h>
#include "ev_err.h"

typedef struct ev_driver ev_driver; /* opaque */

/* What the run record needs to say about the platform (see model/ev_record.h). */
typedef struct ev_driver_info {
    char platform[48];       /* record's platform id: native, command, firecracker, kata,
                                linuxvm, unikraft-virtio, unikraft-vhost (or settings "platform") */
    char driver[16];         /* the module: native command firecracker qemu kata */
    char driver_path[16];    /* "vhost", "virtio" or "native" (ev_path_parse() names) */
    char stack[32];          /* guest network stack: "linux", "lwip", "host" */
    int offload;             /* 1 = the guest's stack offloads segmentation (TSO/GSO) */
    char version[64];        /* platform version: settings "version", else probed by
                                ev_driver_start (`BINARY --version`, first line); "" unknown */
    char instance_iface[32]; /* host-side interface of the instance (the tap), "" if none */
    char host[64];           /* where Redis answers PING (guest address for VMs) */
    int port;
    char thread_basis[16];   /* what the vCPU threads' time means: "tcg" or "kvm" (qemu's
                                accel; firecracker is always "kvm"), "process" (native, command,
                                kata: no vCPU threads of our own child) */
} ev_driver_info;

#define EV_DRIVER_MAX_TIDS 64

/* Processes and threads whose CPU time belongs to the platform. vmm is the main process
 * (redis-server for native, the VMM for firecracker/qemu, ctr for kata); vcpu are thread ids
 * (TIDs, readable at /proc/VMM/task/TID/stat) of the vCPU threads; vhost are the PIDs of
 * vhost-VMMPID kernel threads. Account "VMM minus vCPU threads" + "vCPU threads" + "vhost". */
typedef struct ev_driver_pids {
    pid_t vmm;                          /* 0 when not running */
    int n_vcpu;
    pid_t vcpu[EV_DRIVER_MAX_TIDS];
    int n_vhost;
    pid_t vhost[EV_DRIVER_MAX_TIDS];
    /* added (calib, issue 7): the guest's own host process where the "guest" is a host
     * process (command driver's guest_pid_file, e.g. redis-server of a testbed path); 0 = none.
     * The runner records its CPU as threads.vcpu_user / vcpu_system. */
    pid_t guest;
} ev_driver_pids;

/* Check, before anything starts, what ev_driver_start would need: its binaries (executable at
 * their path, or found on PATH), the files it hands to the platform (kernel, initrd, rootfs)
 * readable, its tap present (checked only when the platform shares the caller's network
 * namespace). Starts and touches nothing. RETURNS EV_OK, or EV_ENOENT with
 * "PATH.FIELD: what is missing; the fix". */
int ev_driver_preflight(const ev_driver *d, ev_error *err);

/* Create a driver from its settings object (the platform's block of the runner's spec).
 * settings must hold "driver" (native|command|firecracker|qemu|kata) plus that driver's
 * fields; unknown fields are errors. path is the JSON path of settings used in error text
 * (e.g. "platforms[2].settings"; may be NULL). Starts nothing.
 * OUT: *out, free with ev_driver_free(). settings is not kept (copied as needed).
 * RETURNS EV_OK, EV_ESCHEMA (missing/mistyped/unknown field), EV_ERANGE (value out of range),
 * EV_ENOMEM. err->msg reads "PATH.FIELD: reason". */
int ev_driver_new(ev_driver **out, const cJSON *settings, const char *path, ev_error *err);

/* Stop (if running, 5 s timeout), reap, remove the private directory, free. NULL-safe. */
void ev_driver_free(ev_driver *d);

/* Static metadata for the run record; valid until ev_driver_free. version is filled by
 * ev_driver_start when it was not in the settings. */
const ev_driver_info *ev_driver_get_info(const ev_driver *d);

/* Dry run: every step as text lines ("spawn ...", "PUT /boot-source {...}", "ready PING ...",
 * "stop ..."), each argv shell-quoted for reading (it is never run by a shell). The private
 * directory is written "<workdir>". Starts nothing, touches nothing.
 * OUT: *out malloc'ed NUL-terminated text ending in '\n'; caller frees with free().
 * RETURNS EV_OK or EV_ENOMEM. */
int ev_driver_plan(const ev_driver *d, char **out, ev_error *err);

/* Start the platform: make the private directory, spawn the children (pinned if the settings
 * say so), and for firecracker configure it over its API and InstanceStart. Does not wait for
 * Redis. On failure everything started is stopped again.
 * RETURNS EV_OK; EV_ENOENT (a binary is missing: message names it); EV_EAPI (an API answered
 * 4xx/5xx: message carries Firecracker's fault_message); EV_ECHILD (a child died while
 * starting: message has its exit status and the tail of its log); EV_ETIMEOUT; EV_ESYS;
 * EV_EINVAL (already running). */
int ev_driver_start(ev_driver *d, ev_error *err);

/* Wait until Redis at info->host:info->port answers PING with PONG (a real PING over hiredis,
 * from inside the "netns" namespace if set,
 * each attempt with a connect/read timeout of at most 1 s), or timeout_s passes, or the
 * platform's process exits. After success (firecracker, qemu) the vCPU threads are pinned if
 * the settings ask for it.
 * RETURNS EV_OK, EV_ETIMEOUT (message has the last PING error), EV_ECHILD (process died:
 * status + log tail; for qemu with vhost=on and no /dev/vhost-net the message says so),
 * EV_EINVAL (not started). */
int ev_driver_ready(ev_driver *d, double timeout_s, ev_error *err);

/* Is the platform still running? RETURNS EV_OK, EV_ECHILD (it exited: how), EV_EINVAL (not
 * started). Use between and after measured points to detect a crash mid-point. */
int ev_driver_check(ev_driver *d, ev_error *err);

/* The PIDs and TIDs to account (found under /proc now: call after ev_driver_ready).
 * RETURNS EV_OK, EV_EINVAL (not started), EV_ECHILD (gone). */
int ev_driver_get_pids(ev_driver *d, ev_driver_pids *out, ev_error *err);

/* Stop: the driver's stop command if it has one (command, kata), then SIGTERM to the process
 * group, wait up to timeout_s, then SIGKILL the group; always reaps. Idempotent.
 * RETURNS EV_OK, or EV_ETIMEOUT when SIGKILL was needed (the platform is stopped anyway). */
int ev_driver_stop(ev_driver *d, double timeout_s, ev_error *err);

/* The names of the drivers and of the qemu flavours, for help text. Static strings. */
const char *ev_driver_names(void);  /* "native command firecracker qemu kata" */

#endif
