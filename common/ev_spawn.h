/* ev_spawn.h - start a child process with fork + execvp (never a shell), the one way every
 * edgevirt module starts programs (drivers, the runner's load child, gnuplot, the testbed).
 *
 * The child gets, in this order: its own process group (or session), PDEATHSIG, an unblocked
 * signal mask and default dispositions of SIGPIPE/SIGINT/SIGTERM/SIGHUP (ignored signals would
 * survive exec), stdin from /dev/null, stdout/stderr as asked, the cgroups to join, the network
 * namespace, the CPU affinity, the working directory, then execvp. A failure of any step is
 * reported back through a close-on-exec pipe, so ev_spawn returns only once the exec happened
 * or failed: a missing binary is EV_ENOENT "NAME: binary not found ...", never a child that
 * exits 127 later. The parent also sets the child's process group (no race with a kill of the
 * group). Library code: errors are returned, nothing is printed. */
#ifndef EV_SPAWN_H
#define EV_SPAWN_H

#include <sys/types.h>
#include "ev_err.h"

enum {
    EV_SPAWN_NULL = 0,   /* /dev/null */
    EV_SPAWN_PIPE = 1,   /* a pipe; the parent's end is returned (close-on-exec, blocking) */
    EV_SPAWN_FILE = 2,   /* appended to options.log_path (created 0644) */
    EV_SPAWN_STDOUT = 3  /* stderr only: the same as stdout */
};
enum {
    EV_SPAWN_PGRP = 0,    /* its own process group (default) */
    EV_SPAWN_SESSION = 1, /* a new session (setsid): a daemon that outlives its caller's group */
    EV_SPAWN_SAME = 2     /* the caller's process group */
};

typedef struct ev_spawn_options {
    int out, err;                    /* EV_SPAWN_NULL / PIPE / FILE (/ STDOUT for err) */
    const char *log_path;            /* EV_SPAWN_FILE */
    int group;                       /* EV_SPAWN_PGRP / SESSION / SAME */
    int pdeathsig;                   /* signal the child gets when the caller dies; 0 = none */
    const char *netns_path;          /* setns(CLONE_NEWNET) into this file; NULL = stay */
    const int *cpus;                 /* sched_setaffinity to these CPUs; ncpus 0 = unchanged */
    int ncpus;
    const char *const *cgroup_procs; /* cgroup.procs files to write the child's pid to
                                        (NULL-terminated; NULL = none) */
    const char *cwd;                 /* chdir; NULL = stay */
} ev_spawn_options;
#define EV_SPAWN_OPTIONS_INIT { EV_SPAWN_NULL, EV_SPAWN_NULL, NULL, EV_SPAWN_PGRP, 0, NULL, NULL, 0, NULL, NULL }

typedef struct ev_spawn_child {
    pid_t pid;
    int out_fd, err_fd;              /* the parent's pipe ends, -1 when not EV_SPAWN_PIPE */
} ev_spawn_child;

/* Start argv[0] (searched on PATH) with argv. On success *c has the pid (to be reaped by the
 * caller) and the pipe ends. RETURNS EV_OK; EV_ENOENT (the binary does not exist: "NAME: binary
 * not found (not in PATH or no such file)"); EV_ESYS (a step failed: "NAME: cannot open log
 * PATH", "cannot pin to the given CPUs", "cannot enter network namespace PATH", "cannot join
 * cgroup (FILE)", "cannot execute", with errno); EV_EINVAL
 * (empty argv). On failure nothing is left running and no descriptor is left open. */
int ev_spawn(ev_spawn_child *c, char *const argv[], const ev_spawn_options *o, ev_error *err);

#endif
