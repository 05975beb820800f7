/* ev_testbed_exec.c - fork/execvp helpers (see ev_testbed_exec.h). */
#include "ev_testbed_exec.h"
#include "ev_spawn.h"
#include "ev_time.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int ev_testbed__write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t n;
    if (fd < 0)
        return -1;
    n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

int ev_testbed_exec_prepare(const ev_testbed_spawn *sp, ev_error *err)
{
    int i;
    if (sp->netns) {
        char path[256];
        int fd;
        snprintf(path, sizeof path, "/run/netns/%s", sp->netns);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return ev_error_sys(err, EV_ESYS, errno, "open %s", path);
        if (setns(fd, CLONE_NEWNET) < 0) {
            int e = errno;
            close(fd);
            return ev_error_sys(err, EV_ESYS, e, "setns %s", path);
        }
        close(fd);
    }
    for (i = 0; i < 3 && sp->procs[i]; i++) {
        char pid[32];
        snprintf(pid, sizeof pid, "%d\n", (int)getpid());
        if (ev_testbed__write_file(sp->procs[i], pid) < 0)
            return ev_error_sys(err, EV_ESYS, errno, "join cgroup %s", sp->procs[i]);
    }
    if (sp->cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET((size_t)sp->cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) < 0)
            return ev_error_sys(err, EV_ESYS, errno, "pin to CPU %d", sp->cpu);
    }
    return EV_OK;
}

/* sp as ev_spawn options: /run/netns/NAME (into nsp), the cgroup.procs files, the CPU */
static void ev_testbed__spawn_opts(ev_spawn_options *so, const ev_testbed_spawn *sp, char *nsp,
                                   size_t len, const char *procs[4])
{
    int i;
    if (!sp)
        return;
    for (i = 0; i < 3 && sp->procs[i]; i++) /* sp->procs holds at most 3, maybe no NULL */
        procs[i] = sp->procs[i];
    procs[i] = NULL;
    if (sp->netns) {
        snprintf(nsp, len, "/run/netns/%s", sp->netns);
        so->netns_path = nsp;
    }
    so->cgroup_procs = procs[0] ? procs : NULL;
    if (sp->cpu >= 0) {
        so->cpus = &sp->cpu;
        so->ncpus = 1;
    }
}

static void ev_testbed__cmdline(char *buf, size_t len, char *const argv[])
{
    size_t n = 0;
    int i;
    buf[0] = '\0';
    for (i = 0; argv[i] && n + 1 < len; i++) {
        int k = snprintf(buf + n, len - n, "%s%s", i ? " " : "", argv[i]);
        if (k < 0)
            break;
        n += (size_t)k;
    }
}

int ev_testbed_exec_run(int *status, char *out, size_t outlen, const ev_testbed_spawn *sp,
                        char *const argv[], double timeout_s, ev_error *err)
{
    int po[1], pe[1], ws = 0;
    size_t no = 0, ne = 0;
    char ebuf[EV_ERRSTR_LEN - 64], sink[512];
    pid_t pid;
    double deadline = ev_time_now_s() + timeout_s;
    int open_o = 1, open_e = 1;

    if (out && outlen)
        out[0] = '\0';
    ebuf[0] = '\0';
    {
        /* common/ev_spawn: in the caller's process group (a testbed command is short and
         * waited for), stdout and stderr to us, the namespace, cgroups and CPU of sp */
        ev_spawn_options so = EV_SPAWN_OPTIONS_INIT;
        ev_spawn_child ch;
        char nsp[256];
        const char *procs[4] = { NULL };
        int src;
        ev_testbed__spawn_opts(&so, sp, nsp, sizeof nsp, procs);
        so.out = EV_SPAWN_PIPE;
        so.err = EV_SPAWN_PIPE;
        so.group = EV_SPAWN_SAME;
        if ((src = ev_spawn(&ch, argv, &so, err)) != EV_OK) {
            if (src == EV_EINVAL || src == EV_ENOMEM)
                return src;
            /* as a shell would: a command that cannot start exits 127, with the reason */
            *status = 127;
            return EV_OK;
        }
        pid = ch.pid;
        po[0] = ch.out_fd;
        pe[0] = ch.err_fd;
    }
    while (open_o || open_e) {
        struct pollfd pf[2];
        int nf = 0, ms = (int)((deadline - ev_time_now_s()) * 1000.0), r, i;
        if (ms <= 0) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            close(po[0]);
            close(pe[0]);
            return ev_error_set(err, EV_ETIMEOUT, "%s: no answer after %.0f s", argv[0],
                                timeout_s);
        }
        if (open_o) { pf[nf].fd = po[0]; pf[nf].events = POLLIN; nf++; }
        if (open_e) { pf[nf].fd = pe[0]; pf[nf].events = POLLIN; nf++; }
        r = poll(pf, (nfds_t)nf, ms);
        if (r < 0 && errno != EINTR)
            break;
        for (i = 0; r > 0 && i < nf; i++) {
            ssize_t k;
            if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (pf[i].fd == po[0]) {
                if (out && no + 1 < outlen)
                    k = read(po[0], out + no, outlen - 1 - no);
                else
                    k = read(po[0], sink, sizeof sink);
                if (k <= 0)
                    open_o = 0;
                else if (out && no + 1 < outlen)
                    no += (size_t)k;
            } else {
                if (ne + 1 < sizeof ebuf)
                    k = read(pe[0], ebuf + ne, sizeof ebuf - 1 - ne);
                else
                    k = read(pe[0], sink, sizeof sink);
                if (k <= 0)
                    open_e = 0;
                else if (ne + 1 < sizeof ebuf)
                    ne += (size_t)k;
            }
        }
    }
    close(po[0]);
    close(pe[0]);
    if (out && outlen)
        out[no < outlen ? no : outlen - 1] = '\0';
    ebuf[ne] = '\0';
    while (ne > 0 && (ebuf[ne - 1] == '\n' || ebuf[ne - 1] == ' '))
        ebuf[--ne] = '\0';
    if (waitpid(pid, &ws, 0) < 0)
        return ev_error_sys(err, EV_ESYS, errno, "waitpid");
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    if (err)
        snprintf(err->msg, sizeof err->msg, "%s", ebuf);
    return EV_OK;
}

int ev_testbed_exec_ok(char *out, size_t outlen, const ev_testbed_spawn *sp, char *const argv[],
                       ev_error *err)
{
    int st = 0, rc;
    char cmd[200];
    ev_error e = EV_ERROR_INIT;
    rc = ev_testbed_exec_run(&st, out, outlen, sp, argv, 20.0, &e);
    ev_testbed__cmdline(cmd, sizeof cmd, argv);
    if (rc != EV_OK)
        return ev_error_set(err, rc, "`%s`%s%s: %s", cmd, sp && sp->netns ? " in netns " : "",
                            sp && sp->netns ? sp->netns : "", e.msg);
    if (st != 0)
        return ev_error_set(err, EV_ECHILD, "`%s`%s%s failed (status %d): %s", cmd,
                            sp && sp->netns ? " in netns " : "", sp && sp->netns ? sp->netns : "",
                            st, e.msg[0] ? e.msg : "no message");
    return EV_OK;
}

int ev_testbed_exec_daemon(pid_t *pid, const ev_testbed_spawn *sp, char *const argv[],
                           ev_error *err)
{
    {
        /* common/ev_spawn: a new session (it outlives this command), stdout+stderr to the
         * log, the namespace, cgroups and CPU of sp */
        ev_spawn_options so = EV_SPAWN_OPTIONS_INIT;
        ev_spawn_child ch;
        ev_error se = EV_ERROR_INIT;
        char nsp[256];
        const char *procs[4] = { NULL };
        ev_testbed__spawn_opts(&so, sp, nsp, sizeof nsp, procs);
        so.out = sp->log_path ? EV_SPAWN_FILE : EV_SPAWN_NULL;
        so.err = EV_SPAWN_STDOUT;
        so.log_path = sp->log_path;
        so.group = EV_SPAWN_SESSION;
        if (ev_spawn(&ch, argv, &so, &se) != EV_OK)
            return ev_error_set(err, EV_ECHILD, "%s", se.msg);
        *pid = ch.pid;
    }
    return EV_OK;
}

unsigned long long ev_testbed_exec_starttime(pid_t pid)
{
    char path[64], buf[1024], *p;
    FILE *f;
    size_t n;
    int field;
    unsigned long long v = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    f = fopen(path, "re");
    if (!f)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strrchr(buf, ')');   /* comm may contain spaces */
    if (!p)
        return 0;
    p += 2;                  /* field 3 (state) */
    for (field = 3; field < 22 && p; field++) {
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    if (p)
        v = strtoull(p, NULL, 10);
    return v;
}

int ev_testbed_exec_alive(pid_t pid)
{
    char path[64], buf[512], *p;
    FILE *f;
    size_t n;
    if (pid <= 0)
        return 0;
    (void)waitpid(pid, NULL, WNOHANG);   /* reap it if it is our child */
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    f = fopen(path, "re");
    if (!f)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strrchr(buf, ')');
    if (!p || !p[1] || !p[2])
        return 0;
    return p[2] != 'Z' && p[2] != 'X';
}

int ev_testbed_exec_stop(pid_t pid, double grace_s)
{
    double t;
    if (!ev_testbed_exec_alive(pid))
        return 0;
    kill(pid, SIGTERM);
    t = ev_time_now_s() + grace_s;
    while (ev_testbed_exec_alive(pid) && ev_time_now_s() < t)
        ev_time_sleep_s(0.02, NULL);
    if (ev_testbed_exec_alive(pid)) {
        kill(pid, SIGKILL);
        t = ev_time_now_s() + 2.0;
        while (ev_testbed_exec_alive(pid) && ev_time_now_s() < t)
            ev_time_sleep_s(0.02, NULL);
    }
    return 1;
}
