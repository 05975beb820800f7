#include "ev_proc.h"
#include "ev_cpu.h" /* ev_cpu_delta: the one clamp */
#include "ev_sys_util.h"
#include "ev_fs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int ev_proc_parse_stat(ev_task_stat *out, const char *text, ev_error *err)
{
    const char *open = strchr(text, '('), *close = strrchr(text, ')'), *p;
    char *end;
    size_t len;
    int field;
    memset(out, 0, sizeof *out);
    if (!open || !close || close < open)
        return ev_error_set(err, EV_EPARSE, "stat: no \"(comm)\" field");
    out->tid = (int)strtol(text, &end, 10);
    if (end == text)
        return ev_error_set(err, EV_EPARSE, "stat: field 1 (pid): not an integer");
    len = (size_t)(close - open - 1);
    if (len >= sizeof out->comm)
        len = sizeof out->comm - 1;
    memcpy(out->comm, open + 1, len);
    out->comm[len] = '\0';
    /* Fields after the last ')': 1 = state (field 3), 12 = utime (14), 13 = stime (15),
     * 41 = guest_time (43). */
    p = close + 1;
    for (field = 1; field <= 41; field++) {
        while (*p == ' ')
            p++;
        if (*p == '\0' || *p == '\n') {
            if (field <= 13)
                return ev_error_set(err, EV_EPARSE, "stat: only %d fields after the name",
                                    field - 1);
            break; /* very old kernel without guest_time */
        }
        if (field == 1) {
            out->state = *p;
        } else if (field == 12 || field == 13 || field == 41) {
            unsigned long long v;
            if (!isdigit((unsigned char)*p))
                return ev_error_set(err, EV_EPARSE, "stat: field %d: not a non-negative integer",
                                    field + 2);
            v = strtoull(p, &end, 10);
            if (field == 12) out->utime = v;
            else if (field == 13) out->stime = v;
            else out->guest_time = v;
        }
        while (*p && *p != ' ' && *p != '\n')
            p++;
    }
    return EV_OK;
}

int ev_proc_read_stat(ev_task_stat *out, const char *root, int pid, int tid, ev_error *err)
{
    char rel[128], path[4096], *buf = NULL;
    int rc;
    if (tid > 0)
        snprintf(rel, sizeof rel, "/proc/%d/task/%d/stat", pid, tid);
    else
        snprintf(rel, sizeof rel, "/proc/%d/stat", pid);
    ev_sys__path(path, sizeof path, root, rel);
    rc = ev_fs_read_all(&buf, NULL, path, err);
    if (rc != EV_OK)
        return rc;
    rc = ev_proc_parse_stat(out, buf, err);
    free(buf);
    if (rc != EV_OK)
        ev_error_prefix(err, "%s", path);
    return rc;
}

static int digits_from(const char *s)
{
    if (!isdigit((unsigned char)*s))
        return 0;
    while (isdigit((unsigned char)*s))
        s++;
    return 1;
}

ev_task_class ev_proc_classify(const char *comm)
{
    const char *p;
    if (strncmp(comm, "vhost-", 6) == 0 && digits_from(comm + 6))
        return EV_TASK_VHOST;
    if (strncmp(comm, "CPU ", 4) == 0) { /* QEMU: "CPU %d/%s" with the accelerator name */
        p = comm + 4;
        if (isdigit((unsigned char)*p)) {
            while (isdigit((unsigned char)*p))
                p++;
            if (*p == '/')
                return EV_TASK_VCPU;
        }
    }
    if (strncmp(comm, "fc_vcpu", 7) == 0) /* Firecracker: "fc_vcpu 0" */
        return EV_TASK_VCPU;
    if (strncmp(comm, "vcpu", 4) == 0) { /* cloud-hypervisor style "vcpu0" */
        p = comm + 4;
        if (*p == ' ' || *p == '_')
            p++;
        if (digits_from(p))
            return EV_TASK_VCPU;
    }
    return EV_TASK_VMM;
}

static int push(ev_task_stat **arr, size_t *n, size_t *cap, const ev_task_stat *t)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        ev_task_stat *na = realloc(*arr, nc * sizeof *na);
        if (!na)
            return -1;
        *arr = na;
        *cap = nc;
    }
    (*arr)[(*n)++] = *t;
    return 0;
}

static int numeric(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

int ev_proc_snapshot(ev_proc_snap *out, const char *root, int pid, int scan_vhost, ev_error *err)
{
    char rel[128], path[4096], want[32];
    size_t cap = 0, vcap = 0;
    DIR *d;
    struct dirent *de;
    int rc;
    memset(out, 0, sizeof *out);
    out->pid = pid;
    rc = ev_proc_read_stat(&out->proc, root, pid, 0, err);
    if (rc != EV_OK)
        return rc;
    snprintf(rel, sizeof rel, "/proc/%d/task", pid);
    ev_sys__path(path, sizeof path, root, rel);
    d = opendir(path);
    if (!d)
        return ev_error_sys(err, errno == ENOENT ? EV_ENOENT : EV_EIO, errno, "%s", path);
    while ((de = readdir(d)) != NULL) {
        ev_task_stat t;
        ev_error e2 = EV_ERROR_INIT;
        if (!numeric(de->d_name))
            continue;
        /* a thread may exit between readdir and read: skip it */
        if (ev_proc_read_stat(&t, root, pid, atoi(de->d_name), &e2) != EV_OK)
            continue;
        if (push(&out->tasks, &out->ntasks, &cap, &t) != 0) {
            closedir(d);
            ev_proc_snap_free(out);
            return ev_error_set(err, EV_ENOMEM, "out of memory");
        }
    }
    closedir(d);
    if (!scan_vhost)
        return EV_OK;
    snprintf(want, sizeof want, "vhost-%d", pid);
    ev_sys__path(path, sizeof path, root, "/proc");
    d = opendir(path);
    if (!d)
        return EV_OK; /* no vhost threads can be found; the snapshot is still valid */
    while ((de = readdir(d)) != NULL) {
        ev_task_stat t;
        ev_error e2 = EV_ERROR_INIT;
        int other;
        if (!numeric(de->d_name))
            continue;
        other = atoi(de->d_name);
        if (other == pid)
            continue;
        if (ev_proc_read_stat(&t, root, other, 0, &e2) != EV_OK)
            continue;
        if (strcmp(t.comm, want) != 0)
            continue;
        if (push(&out->vhost, &out->nvhost, &vcap, &t) != 0) {
            closedir(d);
            ev_proc_snap_free(out);
            return ev_error_set(err, EV_ENOMEM, "out of memory");
        }
    }
    closedir(d);
    return EV_OK;
}

void ev_proc_snap_free(ev_proc_snap *s)
{
    if (!s)
        return;
    free(s->tasks);
    free(s->vhost);
    s->tasks = s->vhost = NULL;
    s->ntasks = s->nvhost = 0;
}

static const ev_task_stat *find_tid(const ev_task_stat *arr, size_t n, int tid)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (arr[i].tid == tid)
            return &arr[i];
    return NULL;
}

/* user ticks excluding guest, as mpstat's %usr: delta(utime - guest_time), clamped */
static uint64_t user_delta(const ev_task_stat *p, const ev_task_stat *c)
{
    static const ev_task_stat zero;
    if (!p)
        p = &zero;
    return ev_cpu_delta(p->utime - p->guest_time, c->utime - c->guest_time);
}

void ev_proc_ticks_compute(ev_proc_ticks *out, const ev_proc_snap *prev, const ev_proc_snap *cur)
{
    static const ev_task_stat zero;
    uint64_t in_user = 0, in_sys = 0, in_guest = 0;
    size_t i;
    memset(out, 0, sizeof *out);
    out->proc_user = user_delta(&prev->proc, &cur->proc);
    out->proc_system = ev_cpu_delta(prev->proc.stime, cur->proc.stime);
    out->proc_guest = ev_cpu_delta(prev->proc.guest_time, cur->proc.guest_time);
    for (i = 0; i < cur->ntasks; i++) {
        const ev_task_stat *c = &cur->tasks[i];
        const ev_task_stat *p = find_tid(prev->tasks, prev->ntasks, c->tid);
        const ev_task_stat *pp = p ? p : &zero;
        uint64_t u = user_delta(p, c), s = ev_cpu_delta(pp->stime, c->stime),
                 g = ev_cpu_delta(pp->guest_time, c->guest_time);
        switch (ev_proc_classify(c->comm)) {
        case EV_TASK_VCPU:
            out->vcpu_user += u; out->vcpu_system += s; out->vcpu_guest += g;
            out->nvcpu++;
            break;
        case EV_TASK_VHOST:
            out->vhost_user += u; out->vhost_system += s;
            out->nvhost++;
            break;
        default:
            continue;
        }
        in_user += u; in_sys += s; in_guest += g;
    }
    for (i = 0; i < cur->nvhost; i++) {
        const ev_task_stat *c = &cur->vhost[i];
        const ev_task_stat *p = find_tid(prev->vhost, prev->nvhost, c->tid);
        out->vhost_user += user_delta(p, c);
        out->vhost_system += ev_cpu_delta(p ? p->stime : 0, c->stime);
        out->nvhost++;
    }
    out->vmm_user = ev_cpu_delta(in_user, out->proc_user);
    out->vmm_system = ev_cpu_delta(in_sys, out->proc_system);
    out->vmm_guest = ev_cpu_delta(in_guest, out->proc_guest);
}

long ev_proc_user_hz(void)
{
    long hz = sysconf(_SC_CLK_TCK);
    return hz > 0 ? hz : 100;
}

void ev_proc_thread_cpu(ev_thread_cpu *out, const ev_proc_ticks *t, double seconds, long hz)
{
    double k;
    memset(out, 0, sizeof *out);
    if (seconds <= 0)
        return;
    if (hz <= 0)
        hz = ev_proc_user_hz();
    k = 100.0 / ((double)hz * seconds);
    out->present = 1;
    out->vmm_user = (double)t->vmm_user * k;
    out->vmm_system = (double)t->vmm_system * k;
    out->vcpu_user = (double)t->vcpu_user * k;
    out->vcpu_system = (double)t->vcpu_system * k;
    out->vcpu_guest = (double)t->vcpu_guest * k;
    out->vhost_system = (double)t->vhost_system * k;
    if (t->vcpu_guest > 0 || t->proc_guest > 0)
        snprintf(out->basis, sizeof out->basis, "kvm");
    else if (t->nvcpu > 0)
        snprintf(out->basis, sizeof out->basis, "tcg");
    else
        snprintf(out->basis, sizeof out->basis, "process");
}
