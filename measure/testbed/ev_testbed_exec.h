/* ev_testbed_exec.h - running external programs for the testbed: fork + execvp with an argv
 * array (never a shell), optionally inside a named network namespace, pinned to a CPU and
 * placed in cgroups. Private to measure/testbed. */
#ifndef EV_TESTBED_EXEC_H
#define EV_TESTBED_EXEC_H

#include <stddef.h>
#include <sys/types.h>
#include "ev_err.h"

typedef struct ev_testbed_spawn {
    const char *netns;          /* name under /run/netns, or NULL: stay here */
    int cpu;                    /* pin to this CPU, -1: no pinning */
    const char *procs[3];       /* cgroup.procs files to join (NULL-terminated, may be empty) */
    const char *log_path;       /* daemons: stdout+stderr appended here (NULL: /dev/null) */
} ev_testbed_spawn;

#define EV_TESTBED_SPAWN_INIT { NULL, -1, { NULL, NULL, NULL }, NULL }

/* Run argv to completion (timeout_s, then SIGKILL). Captures stdout into out (NUL-terminated,
 * may be NULL) and stderr into the error message. OUT *status: the exit status (or 128+signal).
 * RETURNS EV_OK if it ran (whatever its status), EV_ESYS/EV_ETIMEOUT otherwise. */
int ev_testbed_exec_run(int *status, char *out, size_t outlen, const ev_testbed_spawn *sp,
                        char *const argv[], double timeout_s, ev_error *err);

/* Same, but a non-zero status is an error EV_ECHILD whose message names the command and
 * carries its stderr. */
int ev_testbed_exec_ok(char *out, size_t outlen, const ev_testbed_spawn *sp, char *const argv[],
                       ev_error *err);

/* Start a daemon (new session, stdin /dev/null). OUT *pid. RETURNS EV_OK or EV_ESYS/EV_ECHILD
 * (exec failed: reported through a close-on-exec pipe). */
int ev_testbed_exec_daemon(pid_t *pid, const ev_testbed_spawn *sp, char *const argv[],
                           ev_error *err);

/* In the calling process: enter netns, pin, join cgroups (what a child does before exec).
 * RETURNS EV_OK or EV_ESYS. */
int ev_testbed_exec_prepare(const ev_testbed_spawn *sp, ev_error *err);

/* Is pid alive (not a zombie)? Reaps it if it is our child. */
int ev_testbed_exec_alive(pid_t pid);

/* Process start time (field 22 of /proc/PID/stat) or 0. Guards against pid reuse. */
unsigned long long ev_testbed_exec_starttime(pid_t pid);

/* SIGTERM, wait up to grace_s, then SIGKILL and wait up to 2 s. RETURNS 1 if it was alive. */
int ev_testbed_exec_stop(pid_t pid, double grace_s);

#endif
