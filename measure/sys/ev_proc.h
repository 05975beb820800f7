/* ev_proc.h - per-process and per-thread CPU accounting from /proc/PID/stat and
 * /proc/PID/task/TID/stat, with the classification that tells a VMM's own time, its vCPU
 * threads and its vhost-net kernel threads apart (result: ev_thread_cpu of ev_record.h).
 * Readers take a root prefix like ev_cpu.h. Library: ev_sys (measure/sys). */
#ifndef EV_PROC_H
#define EV_PROC_H

#include <stddef.h>
#include <stdint.h>
#include "ev_err.h"
#include "ev_record.h" /* ev_thread_cpu */

/* One task (process or thread): cumulative USER_HZ ticks. utime includes guest_time
 * (kernel account_guest_time), exactly as /proc/stat's user includes guest. */
typedef struct ev_task_stat {
    int tid;            /* field 1 */
    char comm[64];      /* field 2 without the parentheses (may contain spaces and ')') */
    char state;         /* field 3 */
    uint64_t utime;     /* field 14 */
    uint64_t stime;     /* field 15 */
    uint64_t guest_time;/* field 43 (0 on kernels without it) */
} ev_task_stat;

/* Parse the text of a stat file. The name runs from the first '(' to the LAST ')', so names
 * such as "CPU 0/TCG" or "a) (b" are kept whole; utime, stime and guest_time are fields 12,
 * 13 and 41 after that ')'. RETURNS EV_OK or EV_EPARSE. */
int ev_proc_parse_stat(ev_task_stat *out, const char *text, ev_error *err);

/* Read ROOT/proc/PID/stat (tid <= 0) or ROOT/proc/PID/task/TID/stat.
 * RETURNS EV_OK, EV_ENOENT (gone), EV_EIO, EV_EPARSE. */
int ev_proc_read_stat(ev_task_stat *out, const char *root, int pid, int tid, ev_error *err);

/* Thread classes. */
typedef enum ev_task_class {
    EV_TASK_VMM = 0,   /* anything else: the VMM's own work (main loop, I/O, API threads) */
    EV_TASK_VCPU = 1,  /* "CPU N/KVM", "CPU N/TCG" (QEMU with debug-threads=on),
                          "fc_vcpu N" (Firecracker), "vcpuN"/"vcpu N" */
    EV_TASK_VHOST = 2  /* "vhost-PID": vhost-net worker (kernel thread, or since Linux 6.4 a
                          thread of the VMM process) */
} ev_task_class;
ev_task_class ev_proc_classify(const char *comm);

/* A snapshot of one process: its own line, every thread, and the vhost-PID kernel threads
 * found anywhere in ROOT/proc whose name is "vhost-<pid>". Owns its arrays:
 * free with ev_proc_snap_free(). */
typedef struct ev_proc_snap {
    int pid;
    ev_task_stat proc;
    ev_task_stat *tasks;  size_t ntasks;  /* threads of the process (task/) */
    ev_task_stat *vhost;  size_t nvhost;  /* vhost-PID kernel threads outside the process */
} ev_proc_snap;

/* Take a snapshot. scan_vhost = 0 skips the walk over ROOT/proc (cheaper).
 * RETURNS EV_OK, EV_ENOENT (no such process), EV_EIO, EV_ENOMEM, EV_EPARSE. */
int ev_proc_snapshot(ev_proc_snap *out, const char *root, int pid, int scan_vhost, ev_error *err);
void ev_proc_snap_free(ev_proc_snap *s); /* frees the arrays, not s; NULL-safe */

/* Raw tick deltas of a window, by class. *_user excludes guest time (user - guest), as
 * mpstat's %usr does; vcpu_guest is the vCPU threads' guest_time. */
typedef struct ev_proc_ticks {
    uint64_t vmm_user, vmm_system, vmm_guest;
    uint64_t vcpu_user, vcpu_system, vcpu_guest;
    uint64_t vhost_system, vhost_user;
    uint64_t proc_user, proc_system, proc_guest; /* whole process (all threads, incl. exited) */
    int nvcpu, nvhost;                           /* threads seen in cur */
} ev_proc_ticks;

/* Deltas between two snapshots of the same process. Threads are matched by TID; a thread
 * absent from prev counts from 0 (it started in the window); a thread gone by cur is not
 * attributed (its time stays in the process total, so it lands in vmm_*). vmm_* = process
 * total minus the vCPU and in-process vhost threads, clamped at 0. */
void ev_proc_ticks_compute(ev_proc_ticks *out, const ev_proc_snap *prev, const ev_proc_snap *cur);

/* Convert to ev_thread_cpu (percent of one core = ticks / hz / seconds * 100). basis:
 * "kvm" when the vCPU (or process) guest time is > 0, "tcg" when vCPU threads exist and guest
 * time is 0 (the guest's work is then vcpu_user), "process" when there are no vCPU threads.
 * hz <= 0 means sysconf(_SC_CLK_TCK). seconds <= 0 gives present = 0. */
void ev_proc_thread_cpu(ev_thread_cpu *out, const ev_proc_ticks *t, double seconds, long hz);

/* USER_HZ: sysconf(_SC_CLK_TCK), 100 if unavailable. */
long ev_proc_user_hz(void);

#endif
