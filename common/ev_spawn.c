/* ev_spawn.c - see ev_spawn.h. */
#include "ev_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

enum { ST_STDIO = 1, ST_LOG, ST_CGROUP, ST_NETNS, ST_AFFINITY, ST_CHDIR, ST_EXEC };
static const char *const ev_spawn__stage[] = { "", "redirecting stdio", "opening the log",
                                               "joining a cgroup", "entering the netns",
                                               "setting the CPU affinity", "chdir", "exec" };

struct ev_spawn__fail {
    int stage, err, index; /* index: which cgroup.procs file */
};

/* child side: report and exit (async-signal-safe only) */
static void ev_spawn__die(int fd, int stage, int e, int index)
{
    struct ev_spawn__fail f = { stage, e, index };
    ssize_t w = write(fd, &f, sizeof f);
    (void)w;
    _exit(127);
}

static void ev_spawn__closep(int p[2])
{
    if (p[0] >= 0)
        close(p[0]);
    if (p[1] >= 0)
        close(p[1]);
    p[0] = p[1] = -1;
}

int ev_spawn(ev_spawn_child *c, char *const argv[], const ev_spawn_options *opt,
             ev_error *err)
{
    ev_spawn_options o = EV_SPAWN_OPTIONS_INIT;
    int px[2] = { -1, -1 }, po[2] = { -1, -1 }, pe[2] = { -1, -1 };
    struct ev_spawn__fail f;
    pid_t pid, parent = getpid();
    ssize_t r;

    c->pid = 0;
    c->out_fd = c->err_fd = -1;
    if (opt)
        o = *opt;
    if (!argv || !argv[0] || !argv[0][0])
        return ev_error_set(err, EV_EINVAL, "empty argv");
    if (pipe2(px, O_CLOEXEC) < 0 || (o.out == EV_SPAWN_PIPE && pipe2(po, O_CLOEXEC) < 0) ||
        (o.err == EV_SPAWN_PIPE && pipe2(pe, O_CLOEXEC) < 0)) {
        int e = errno;
        ev_spawn__closep(px);
        ev_spawn__closep(po);
        ev_spawn__closep(pe);
        return ev_error_sys(err, EV_ESYS, e, "pipe");
    }
    pid = fork();
    if (pid < 0) {
        int e = errno;
        ev_spawn__closep(px);
        ev_spawn__closep(po);
        ev_spawn__closep(pe);
        return ev_error_sys(err, EV_ESYS, e, "fork");
    }
    if (pid == 0) {
        sigset_t none;
        int fd, i;
        if (o.group == EV_SPAWN_SESSION)
            setsid();
        else if (o.group == EV_SPAWN_PGRP)
            setpgid(0, 0);
        if (o.pdeathsig) {
            prctl(PR_SET_PDEATHSIG, o.pdeathsig);
            if (getppid() != parent) /* the caller died before prctl took effect */
                _exit(127);
        }
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        fd = open("/dev/null", O_RDWR);
        if (fd < 0 || dup2(fd, 0) < 0)
            ev_spawn__die(px[1], ST_STDIO, errno, 0);
        if (o.out == EV_SPAWN_PIPE) {
            if (dup2(po[1], 1) < 0)
                ev_spawn__die(px[1], ST_STDIO, errno, 0);
        } else if (o.out == EV_SPAWN_FILE) {
            int lf = open(o.log_path ? o.log_path : "/dev/null",
                          O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
            if (lf < 0 || dup2(lf, 1) < 0)
                ev_spawn__die(px[1], ST_LOG, errno, 0);
        } else if (dup2(fd, 1) < 0) {
            ev_spawn__die(px[1], ST_STDIO, errno, 0);
        }
        if (o.err == EV_SPAWN_PIPE) {
            if (dup2(pe[1], 2) < 0)
                ev_spawn__die(px[1], ST_STDIO, errno, 0);
        } else if (o.err == EV_SPAWN_STDOUT) {
            if (dup2(1, 2) < 0)
                ev_spawn__die(px[1], ST_STDIO, errno, 0);
        } else if (o.err == EV_SPAWN_FILE) {
            int lf = open(o.log_path ? o.log_path : "/dev/null",
                          O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
            if (lf < 0 || dup2(lf, 2) < 0)
                ev_spawn__die(px[1], ST_LOG, errno, 0);
        } else if (dup2(fd, 2) < 0) {
            ev_spawn__die(px[1], ST_STDIO, errno, 0);
        }
        if (fd > 2)
            close(fd);
        for (i = 0; o.cgroup_procs && o.cgroup_procs[i]; i++) {
            char num[24];
            int n = 0, cf;
            pid_t me = getpid();
            char rev[24];
            do { /* async-signal-safe itoa */
                rev[n++] = (char)('0' + me % 10);
                me /= 10;
            } while (me > 0 && n < (int)sizeof rev);
            for (int k = 0; k < n; k++)
                num[k] = rev[n - 1 - k];
            num[n++] = '\n';
            cf = open(o.cgroup_procs[i], O_WRONLY | O_CLOEXEC);
            if (cf < 0 || write(cf, num, (size_t)n) != n)
                ev_spawn__die(px[1], ST_CGROUP, errno, i);
            close(cf);
        }
        if (o.netns_path && o.netns_path[0]) {
            int nfd = open(o.netns_path, O_RDONLY | O_CLOEXEC);
            if (nfd < 0 || setns(nfd, CLONE_NEWNET) != 0)
                ev_spawn__die(px[1], ST_NETNS, errno, 0);
            close(nfd);
        }
        if (o.ncpus > 0) {
            cpu_set_t set;
            CPU_ZERO(&set);
            for (i = 0; i < o.ncpus; i++)
                if (o.cpus[i] >= 0 && o.cpus[i] < CPU_SETSIZE)
                    CPU_SET(o.cpus[i], &set);
            if (sched_setaffinity(0, sizeof set, &set) != 0)
                ev_spawn__die(px[1], ST_AFFINITY, errno, 0);
        }
        if (o.cwd && chdir(o.cwd) != 0)
            ev_spawn__die(px[1], ST_CHDIR, errno, 0);
        execvp(argv[0], argv);
        ev_spawn__die(px[1], ST_EXEC, errno, 0);
    }
    if (o.group == EV_SPAWN_PGRP)
        setpgid(pid, pid); /* also here: no race with a kill of the group */
    close(px[1]);
    if (po[1] >= 0)
        close(po[1]);
    if (pe[1] >= 0)
        close(pe[1]);
    do
        r = read(px[0], &f, sizeof f);
    while (r < 0 && errno == EINTR);
    close(px[0]);
    if (r == (ssize_t)sizeof f) {
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        if (po[0] >= 0)
            close(po[0]);
        if (pe[0] >= 0)
            close(pe[0]);
        if (f.stage == ST_EXEC && (f.err == ENOENT || f.err == ENOTDIR))
            return ev_error_set(err, EV_ENOENT, "%s: binary not found (not in PATH or no such "
                                "file)", argv[0]);
        if (f.stage == ST_EXEC)
            return ev_error_sys(err, EV_ESYS, f.err, "%s: cannot execute", argv[0]);
        if (f.stage == ST_NETNS)
            return ev_error_sys(err, EV_ESYS, f.err, "%s: cannot enter network namespace %s",
                                argv[0], o.netns_path);
        if (f.stage == ST_LOG)
            return ev_error_sys(err, EV_ESYS, f.err, "%s: cannot open log %s", argv[0],
                                o.log_path ? o.log_path : "/dev/null");
        if (f.stage == ST_AFFINITY)
            return ev_error_sys(err, EV_ESYS, f.err, "%s: cannot pin to the given CPUs",
                                argv[0]);
        if (f.stage == ST_CGROUP)
            return ev_error_sys(err, EV_ESYS, f.err, "%s: cannot join cgroup (%s)", argv[0],
                                o.cgroup_procs[f.index]);
        return ev_error_sys(err, EV_ESYS, f.err, "%s: %s failed", argv[0],
                            f.stage > 0 && f.stage <= ST_EXEC ? ev_spawn__stage[f.stage] : "?");
    }
    c->pid = pid;
    c->out_fd = po[0];
    c->err_fd = pe[0];
    return EV_OK;
}
