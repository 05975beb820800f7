#include "ev_sampler.h"
#include "ev_time.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct snap {
    double t;
    ev_cpu_stat *cpu;
    ev_proc_snap *procs;
    int *proc_ok;
    ev_netdev_counters *ifs;
    int *if_ok;
} snap;

struct ev_sampler {
    ev_sampler_options o;
    int *cpus;                 /* private copies of the option arrays */
    int *pids;
    ev_sampler_iface *ifaces;
    long hz;
    char start_time[32];
    snap first, prev;          /* prev: last snapshot taken by the series thread */
    pthread_t th;
    int th_started;
    pthread_mutex_t m;
    pthread_cond_t cv;
    int stop;
    ev_sampler_point *series;
    size_t nseries, capseries, dropped;
    char warning[256];
};

static void snap_free(snap *s, size_t npids)
{
    size_t i;
    if (s->procs)
        for (i = 0; i < npids; i++)
            ev_proc_snap_free(&s->procs[i]);
    free(s->cpu);
    free(s->procs);
    free(s->proc_ok);
    free(s->ifs);
    free(s->if_ok);
    memset(s, 0, sizeof *s);
}

static int snap_alloc(snap *s, const ev_sampler *sm)
{
    memset(s, 0, sizeof *s);
    s->cpu = calloc(1, sizeof *s->cpu);
    s->procs = calloc(sm->o.npids + 1, sizeof *s->procs);
    s->proc_ok = calloc(sm->o.npids + 1, sizeof *s->proc_ok);
    s->ifs = calloc(sm->o.nifaces + 1, sizeof *s->ifs);
    s->if_ok = calloc(sm->o.nifaces + 1, sizeof *s->if_ok);
    return s->cpu && s->procs && s->proc_ok && s->ifs && s->if_ok ? 0 : -1;
}

static void warn(ev_sampler *sm, const ev_error *e)
{
    /* truncation is fine here: the first problem's gist is kept (memcpy, so that gcc's
     * -Wformat-truncation at -O0 does not fail the Debug build) */
    size_t n;
    if (sm->warning[0])
        return;
    n = strnlen(e->msg, sizeof sm->warning - 1);
    memcpy(sm->warning, e->msg, n);
    sm->warning[n] = 0;
}

/* Take a snapshot. CPU must be readable; PIDs and interfaces that fail are marked not ok.
 * strict = 1 (the first snapshot) makes any failure fatal. */
static int snap_take(snap *s, ev_sampler *sm, int strict, ev_error *err)
{
    size_t i;
    int rc;
    if (snap_alloc(s, sm) != 0) {
        snap_free(s, sm->o.npids);
        return ev_error_set(err, EV_ENOMEM, "sampler: out of memory");
    }
    /* /proc/stat first and the time right before it: it defines the window */
    s->t = ev_time_now_s();
    rc = ev_cpu_read_stat(s->cpu, sm->o.root, err);
    if (rc != EV_OK) {
        snap_free(s, sm->o.npids);
        return rc;
    }
    for (i = 0; i < sm->o.nifaces; i++) {
        ev_error e2 = EV_ERROR_INIT;
        rc = ev_netdev_read(&s->ifs[i], sm->o.root, sm->ifaces[i].ifname, &e2);
        s->if_ok[i] = rc == EV_OK;
        if (rc != EV_OK) {
            if (strict) {
                *err = e2;
                snap_free(s, sm->o.npids);
                return rc;
            }
            warn(sm, &e2);
        }
    }
    for (i = 0; i < sm->o.npids; i++) {
        ev_error e2 = EV_ERROR_INIT;
        rc = ev_proc_snapshot(&s->procs[i], sm->o.root, sm->pids[i], sm->o.scan_vhost, &e2);
        s->proc_ok[i] = rc == EV_OK;
        if (rc != EV_OK) {
            if (strict) {
                *err = e2;
                snap_free(s, sm->o.npids);
                return rc;
            }
            warn(sm, &e2);
        }
    }
    return EV_OK;
}

static void point_free(ev_sampler_point *p)
{
    free(p->procs);
    free(p->ifaces);
    p->procs = NULL;
    p->ifaces = NULL;
}

/* Everything between two snapshots, as one point. */
static int compute(ev_sampler_point *p, const ev_sampler *sm, const snap *a, const snap *b)
{
    size_t i;
    double dt = b->t - a->t;
    memset(p, 0, sizeof *p);
    p->t_start_s = a->t - sm->first.t;
    p->t_end_s = b->t - sm->first.t;
    ev_cpu_percent_all(&p->all, a->cpu, b->cpu);
    ev_cpu_percent_set(&p->set, a->cpu, b->cpu, sm->cpus, sm->o.ncpus, NULL);
    p->procs = calloc(sm->o.npids + 1, sizeof *p->procs);
    p->ifaces = calloc(sm->o.nifaces + 1, sizeof *p->ifaces);
    if (!p->procs || !p->ifaces) {
        point_free(p);
        return -1;
    }
    for (i = 0; i < sm->o.npids; i++) {
        ev_sampler_proc *r = &p->procs[i];
        r->pid = sm->pids[i];
        if (!a->proc_ok[i] || !b->proc_ok[i])
            continue;
        r->present = 1;
        ev_proc_ticks_compute(&r->ticks, &a->procs[i], &b->procs[i]);
        ev_proc_thread_cpu(&r->cpu, &r->ticks, dt, sm->hz);
    }
    for (i = 0; i < sm->o.nifaces; i++) {
        if (!a->if_ok[i] || !b->if_ok[i]) {
            snprintf(p->ifaces[i].ifname, sizeof p->ifaces[i].ifname, "%s", sm->ifaces[i].ifname);
            continue;
        }
        ev_netdev_delta_compute(&p->ifaces[i], &a->ifs[i], &b->ifs[i]);
    }
    return 0;
}

static void push_point(ev_sampler *sm, const snap *a, const snap *b)
{
    ev_sampler_point p;
    if (sm->nseries >= sm->o.max_points) {
        sm->dropped++;
        return;
    }
    if (sm->nseries == sm->capseries) {
        size_t nc = sm->capseries ? sm->capseries * 2 : 64;
        ev_sampler_point *ns;
        if (nc > sm->o.max_points)
            nc = sm->o.max_points;
        ns = realloc(sm->series, nc * sizeof *ns);
        if (!ns) {
            sm->dropped++;
            return;
        }
        sm->series = ns;
        sm->capseries = nc;
    }
    if (compute(&p, sm, a, b) != 0) {
        sm->dropped++;
        return;
    }
    sm->series[sm->nseries++] = p;
}

static void add_s(struct timespec *ts, double s)
{
    long sec = (long)s;
    ts->tv_sec += sec;
    ts->tv_nsec += (long)((s - (double)sec) * 1e9);
    while (ts->tv_nsec >= 1000000000L) {
        ts->tv_nsec -= 1000000000L;
        ts->tv_sec++;
    }
}

static void *series_thread(void *arg)
{
    ev_sampler *sm = arg;
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    /* deadlines are absolute, so the series does not drift with the snapshot cost */
    pthread_mutex_lock(&sm->m);
    add_s(&deadline, sm->o.interval_s);
    while (!sm->stop) {
        int rc = pthread_cond_timedwait(&sm->cv, &sm->m, &deadline);
        if (sm->stop)
            break;
        if (rc == ETIMEDOUT) {
            snap cur;
            ev_error e2 = EV_ERROR_INIT;
            if (snap_take(&cur, sm, 0, &e2) == EV_OK) {
                push_point(sm, &sm->prev, &cur);
                if (sm->prev.cpu != sm->first.cpu)
                    snap_free(&sm->prev, sm->o.npids);
                sm->prev = cur;
            } else {
                sm->dropped++;
                warn(sm, &e2);
            }
            add_s(&deadline, sm->o.interval_s);
        }
    }
    pthread_mutex_unlock(&sm->m);
    return NULL;
}

void ev_sampler_free(ev_sampler *s)
{
    size_t i;
    if (!s)
        return;
    if (s->th_started) {
        pthread_mutex_lock(&s->m);
        s->stop = 1;
        pthread_cond_signal(&s->cv);
        pthread_mutex_unlock(&s->m);
        pthread_join(s->th, NULL);
    }
    if (s->prev.cpu && s->prev.cpu != s->first.cpu)
        snap_free(&s->prev, s->o.npids);
    snap_free(&s->first, s->o.npids);
    for (i = 0; i < s->nseries; i++)
        point_free(&s->series[i]);
    free(s->series);
    free(s->cpus);
    free(s->pids);
    free(s->ifaces);
    pthread_mutex_destroy(&s->m);
    pthread_cond_destroy(&s->cv);
    free(s);
}

int ev_sampler_start(ev_sampler **out, const ev_sampler_options *opts, ev_error *err)
{
    ev_sampler *s;
    pthread_condattr_t ca;
    size_t i;
    int rc;
    *out = NULL;
    if (!opts || opts->version != EV_SAMPLER_OPTIONS_VERSION)
        return ev_error_set(err, EV_EINVAL, "sampler: options missing or of another version");
    if ((opts->ncpus && !opts->cpus) || (opts->npids && !opts->pids) ||
        (opts->nifaces && !opts->ifaces))
        return ev_error_set(err, EV_EINVAL, "sampler: a count is set without its array");
    for (i = 0; i < opts->ncpus; i++)
        if (opts->cpus[i] < 0 || opts->cpus[i] >= EV_CPU_MAX)
            return ev_error_set(err, EV_EINVAL, "sampler: cpus[%zu] = %d: out of range", i,
                                opts->cpus[i]);
    for (i = 0; i < opts->npids; i++)
        if (opts->pids[i] <= 0)
            return ev_error_set(err, EV_EINVAL, "sampler: pids[%zu] = %d: must be > 0", i,
                                opts->pids[i]);
    s = calloc(1, sizeof *s);
    if (!s)
        return ev_error_set(err, EV_ENOMEM, "sampler: out of memory");
    s->o = *opts;
    if (s->o.max_points == 0)
        s->o.max_points = 3600;
    s->hz = ev_proc_user_hz();
    pthread_mutex_init(&s->m, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    s->cpus = calloc(opts->ncpus + 1, sizeof *s->cpus);
    s->pids = calloc(opts->npids + 1, sizeof *s->pids);
    s->ifaces = calloc(opts->nifaces + 1, sizeof *s->ifaces);
    if (!s->cpus || !s->pids || !s->ifaces) {
        ev_sampler_free(s);
        return ev_error_set(err, EV_ENOMEM, "sampler: out of memory");
    }
    if (opts->ncpus)
        memcpy(s->cpus, opts->cpus, opts->ncpus * sizeof *s->cpus);
    if (opts->npids)
        memcpy(s->pids, opts->pids, opts->npids * sizeof *s->pids);
    if (opts->nifaces)
        memcpy(s->ifaces, opts->ifaces, opts->nifaces * sizeof *s->ifaces);
    s->o.cpus = opts->cpus ? s->cpus : NULL;
    s->o.pids = s->pids;
    s->o.ifaces = s->ifaces;
    ev_time_iso8601(s->start_time, sizeof s->start_time);
    rc = snap_take(&s->first, s, 1, err);
    if (rc != EV_OK) {
        ev_sampler_free(s);
        return rc;
    }
    /* a CPU that is not there would silently add nothing to the set's percentages */
    for (i = 0; i < opts->ncpus; i++)
        if (!s->first.cpu->online[opts->cpus[i]]) {
            rc = ev_error_set(err, EV_ENOENT, "sampler: cpu %d is not in /proc/stat (%d CPUs "
                                              "listed)", opts->cpus[i], s->first.cpu->ncpu);
            ev_sampler_free(s);
            return rc;
        }
    s->prev = s->first; /* shared until the thread's first snapshot */
    if (s->o.interval_s > 0) {
        if (pthread_create(&s->th, NULL, series_thread, s) != 0) {
            s->prev.cpu = NULL;
            ev_sampler_free(s);
            return ev_error_set(err, EV_ESYS, "sampler: cannot start the series thread");
        }
        s->th_started = 1;
    }
    *out = s;
    return EV_OK;
}

int ev_sampler_stop(ev_sampler *s, ev_sampler_result *out, ev_error *err)
{
    snap last;
    ev_sampler_point whole;
    size_t i, k;
    int rc;
    memset(out, 0, sizeof *out);
    if (!s)
        return ev_error_set(err, EV_EINVAL, "sampler: NULL");
    /* the last snapshot is taken under the lock, so the series thread is never mid-snapshot
     * and the window ends now, not after the join */
    pthread_mutex_lock(&s->m);
    rc = snap_take(&last, s, 0, err);
    if (rc == EV_OK && s->th_started && last.t > s->prev.t)
        push_point(s, &s->prev, &last); /* the last, partial interval */
    s->stop = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->m);
    if (s->th_started) {
        pthread_join(s->th, NULL);
        s->th_started = 0;
    }
    if (rc != EV_OK) {
        ev_sampler_free(s);
        return rc;
    }
    if (compute(&whole, s, &s->first, &last) != 0) {
        snap_free(&last, s->o.npids);
        ev_sampler_free(s);
        return ev_error_set(err, EV_ENOMEM, "sampler: out of memory");
    }
    out->window_s = last.t - s->first.t;
    snprintf(out->start_time, sizeof out->start_time, "%s", s->start_time);
    out->user_hz = s->hz;
    out->all = whole.all;
    ev_cpu_percent_set(&out->set, s->first.cpu, last.cpu, s->o.cpus, s->o.ncpus, &out->set_ncpus);
    out->procs = whole.procs;
    out->nprocs = s->o.npids;
    out->ifaces = whole.ifaces;
    out->nifaces = s->o.nifaces;
    out->iface_roles = calloc(s->o.nifaces + 1, sizeof *out->iface_roles);
    out->cpu_ids = calloc((size_t)EV_CPU_MAX, sizeof *out->cpu_ids);
    out->per_cpu = calloc((size_t)EV_CPU_MAX, sizeof *out->per_cpu);
    if (!out->iface_roles || !out->cpu_ids || !out->per_cpu) {
        snap_free(&last, s->o.npids);
        ev_sampler_free(s);
        ev_sampler_result_free(out);
        return ev_error_set(err, EV_ENOMEM, "sampler: out of memory");
    }
    for (i = 0; i < s->o.nifaces; i++)
        out->iface_roles[i] = s->ifaces[i].role;
    for (i = 0, k = 0; i < EV_CPU_MAX && (int)i < last.cpu->ncpu; i++) {
        if (!s->first.cpu->online[i] || !last.cpu->online[i])
            continue;
        out->cpu_ids[k] = (int)i;
        ev_cpu_percent(&out->per_cpu[k], &s->first.cpu->cpu[i], &last.cpu->cpu[i]);
        k++;
    }
    out->ncpu = k;
    for (i = 0; i < s->o.npids; i++)
        if (!out->procs[i].present && !s->warning[0])
            snprintf(s->warning, sizeof s->warning, "process %d: not readable at start or stop",
                     out->procs[i].pid);
    out->series = s->series;
    out->nseries = s->nseries;
    out->series_dropped = s->dropped;
    snprintf(out->warning, sizeof out->warning, "%s", s->warning);
    s->series = NULL;
    s->nseries = 0;
    snap_free(&last, s->o.npids);
    ev_sampler_free(s);
    return EV_OK;
}

size_t ev_sampler_points(ev_sampler *s)
{
    size_t n;
    if (!s)
        return 0;
    pthread_mutex_lock(&s->m);
    n = s->nseries;
    pthread_mutex_unlock(&s->m);
    return n;
}

int ev_sample_during(ev_sampler_result *out, const ev_sampler_options *opts,
                     int (*fn)(void *payload), int *fn_rc, void *payload, ev_error *err)
{
    ev_sampler *s;
    int rc, frc;
    memset(out, 0, sizeof *out);
    rc = ev_sampler_start(&s, opts, err);
    if (rc != EV_OK)
        return rc;
    frc = fn ? fn(payload) : 0;
    if (fn_rc)
        *fn_rc = frc;
    return ev_sampler_stop(s, out, err);
}

void ev_sampler_result_free(ev_sampler_result *r)
{
    size_t i;
    if (!r)
        return;
    for (i = 0; i < r->nseries; i++)
        point_free(&r->series[i]);
    free(r->series);
    free(r->procs);
    free(r->ifaces);
    free(r->iface_roles);
    free(r->cpu_ids);
    free(r->per_cpu);
    memset(r, 0, sizeof *r);
}

void ev_sampler_fill_record(ev_record *r, const ev_sampler_result *res, int proc_index)
{
    size_t i;
    int c;
    for (c = 0; c < EV_CPU_NFIELDS; c++)
        r->cpu[c] = res->set.pct[c];
    snprintf(r->cpu_basis, sizeof r->cpu_basis, "mpstat");
    r->cpu_ncpu = (uint32_t)res->set_ncpus;
    if (proc_index >= 0 && (size_t)proc_index < res->nprocs && res->procs[proc_index].present)
        r->threads = res->procs[proc_index].cpu;
    for (i = 0; i < res->nifaces; i++) {
        int role = res->iface_roles ? res->iface_roles[i] : -1;
        ev_ifcount *ic;
        if (role < 0 || role >= EV_NROLES)
            continue;
        ic = &r->ifc[role];
        ic->present = 1;
        snprintf(ic->ifname, sizeof ic->ifname, "%s", res->ifaces[i].ifname);
        ic->packets[EV_DIR_RX] = (double)res->ifaces[i].rx_packets;
        ic->packets[EV_DIR_TX] = (double)res->ifaces[i].tx_packets;
        ic->bytes[EV_DIR_RX] = (double)res->ifaces[i].rx_bytes;
        ic->bytes[EV_DIR_TX] = (double)res->ifaces[i].tx_bytes;
    }
}
