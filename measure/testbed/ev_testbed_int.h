/* ev_testbed_int.h - what the testbed's own files share (not part of the API, see ev_testbed.h).
 * ev_testbed.c: options, links, up/down, status, enter; ev_testbed_cg.c: cgroup quotas;
 * ev_testbed_state.c: state files; ev_testbed_platform.c: platform start/stop in a netns. */
#ifndef EV_TESTBED_INT_H
#define EV_TESTBED_INT_H

#include "ev_testbed.h"

#include <sys/types.h>

#define EV_TESTBED__OUT 16384
typedef struct ev_testbed__cg {
    int version;               /* 0 none, 1, 2 */
    char cpu[160];             /* folder holding the quota files */
    char acct[160];            /* folder holding the usage (v1 cpuacct; v2 same as cpu) */
    char root[96];             /* the cgroup mounts: /sys/fs/cgroup or /proc/PID/root/... */
    char procs_cpu[180], procs_acct[180];
} ev_testbed__cg;

/* Shared between the files of the testbed library. */
void ev_testbed__state_dir(char *buf, size_t len, const char *run_dir, const char *prefix);
int ev_testbed__running_mode(const char *run_dir, const char *prefix, int *conflict_port);
int ev_testbed__apply_mode(const ev_testbed_options *o, int swseg, ev_error *err);
int ev_testbed__exists(const char *path);
void ev_testbed__cg_paths(ev_testbed__cg *cg, const char *prefix);
int ev_testbed__cg_has_pid(int version, const char *prefix, int pid);
int ev_testbed__read_text(char *buf, size_t len, const char *path);
int ev_testbed__cg_setup(ev_testbed__cg *cg, const ev_testbed_options *o, ev_error *err);
int ev_testbed__cg_kill_and_remove(const ev_testbed__cg *cg, int *killed, int *removed);
int ev_testbed__save_state(const ev_testbed_options *o, ev_error *err);
int ev_testbed__load_state(ev_testbed_options *o, const char *prefix, const char *run_dir,
                           ev_error *err);
int ev_testbed__save_platform(const char *run_dir, const char *prefix,
                              const ev_testbed_platform *p, ev_error *err);
int ev_testbed__load_platforms(ev_testbed_platform *out, int max, const char *run_dir,
                               const char *prefix);

#endif
