/* ev_runner.c - the experiment runner (see ev_runner.h). */
#include "ev_runner.h"
#include "ev_runner_int.h"
#include "ev_lock.h"
#include "ev_spawn.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <hiredis/hiredis.h>

#include "ev_driver.h"
#include "ev_json.h"
#include "ev_strbuf.h"
#include "ev_sampler.h"
#include "ev_time.h"

/* ------------------------------------------------------------------ child processes */

typedef struct child_out {
    char *out;          /* stdout, NUL-terminated */
    size_t out_len;
    char err_tail[400]; /* the end of stderr, on one line */
    int status;         /* wait status */
    int timed_out, interrupted;
} child_out;

static void tail_append(char *tail, size_t cap, const char *data, size_t n)
{
    size_t have = strlen(tail);
    for (size_t i = 0; i < n; i++) {
        char c = data[i] == '\n' || data[i] == '\r' ? ' ' : data[i];
        if (have + 1 >= cap) {
            memmove(tail, tail + cap / 2, have - cap / 2 + 1);
            have = strlen(tail);
        }
        tail[have++] = c;
        tail[have] = '\0';
    }
}

static void kill_group(pid_t pid, int *status)
{
    kill(-pid, SIGTERM);
    for (int i = 0; i < 40; i++) { /* 2 s */
        if (waitpid(pid, status, WNOHANG) == pid) {
            kill(-pid, SIGKILL); /* stragglers of the group */
            return;
        }
        usleep(50000);
    }
    kill(-pid, SIGKILL);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
}

/* Run argv with stdout and stderr captured, within timeout_s, stopping early when *stop.
 * RETURNS EV_OK when the child ran and was reaped (whatever its status), EV_ENOENT when the
 * binary is missing, EV_ESYS, EV_ENOMEM. */
static int run_capture(child_out *co, char *const *argv, double timeout_s,
                       volatile sig_atomic_t *stop, void (*tick)(void *), void *tick_arg,
                       ev_error *err)
{
    double next_tick = ev_time_now_s() + 1;
    int po[1], pe[1];
    pid_t pid;
    size_t cap = 1 << 16;
    memset(co, 0, sizeof *co);
    co->out = malloc(cap);
    if (!co->out)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    co->out[0] = '\0';
    {
        /* common/ev_spawn: own process group, dies with us, stdout and stderr to us */
        ev_spawn_options so = EV_SPAWN_OPTIONS_INIT;
        ev_spawn_child ch;
        int src;
        so.out = EV_SPAWN_PIPE;
        so.err = EV_SPAWN_PIPE;
        so.pdeathsig = SIGKILL;
        if ((src = ev_spawn(&ch, argv, &so, err)) != EV_OK) {
            if (src == EV_ENOENT) /* the message the runner has always given */
                ev_error_sys(err, EV_ENOENT, ENOENT, "cannot run %s", argv[0]);
            return src;
        }
        pid = ch.pid;
        po[0] = ch.out_fd;
        pe[0] = ch.err_fd;
    }
    double end = ev_time_now_s() + timeout_s;
    int open_o = 1, open_e = 1, rc = EV_OK;
    while (open_o || open_e) {
        struct pollfd pf[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
        if (stop && *stop) {
            co->interrupted = 1;
            break;
        }
        double now = ev_time_now_s(), left = end - now;
        if (left <= 0) {
            co->timed_out = 1;
            break;
        }
        if (tick && now >= next_tick) {
            tick(tick_arg); /* the progress line's clock */
            next_tick = now + 1;
        }
        pf[0].fd = open_o ? po[0] : -1;
        pf[1].fd = open_e ? pe[0] : -1;
        int n = poll(pf, 2, left > 0.2 ? 200 : (int)(left * 1000) + 1);
        if (n < 0 && errno != EINTR) {
            rc = ev_error_sys(err, EV_ESYS, errno, "poll");
            break;
        }
        if (n <= 0)
            continue;
        if (open_o && (pf[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (co->out_len + 4096 + 1 > cap) {
                char *nb = realloc(co->out, cap * 2);
                if (!nb) {
                    rc = ev_error_set(err, EV_ENOMEM, "out of memory");
                    break;
                }
                co->out = nb;
                cap *= 2;
            }
            ssize_t r = read(po[0], co->out + co->out_len, 4096);
            if (r > 0) {
                co->out_len += (size_t)r;
                co->out[co->out_len] = '\0';
            } else if (r == 0 || errno != EINTR)
                open_o = 0;
        }
        if (open_e && (pf[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            char b[1024];
            ssize_t r = read(pe[0], b, sizeof b);
            if (r > 0)
                tail_append(co->err_tail, sizeof co->err_tail, b, (size_t)r);
            else if (r == 0 || errno != EINTR)
                open_e = 0;
        }
    }
    if (open_o || open_e || rc != EV_OK)
        kill_group(pid, &co->status);
    else {
        /* both pipes closed: the child is exiting; wait for it, bounded */
        double wend = ev_time_now_s() + 5;
        for (;;) {
            pid_t w = waitpid(pid, &co->status, WNOHANG);
            if (w == pid)
                break;
            if (ev_time_now_s() > wend || (stop && *stop)) {
                kill_group(pid, &co->status);
                break;
            }
            usleep(10000);
        }
        kill(-pid, SIGKILL); /* anything the child left running in its group */
    }
    close(po[0]);
    close(pe[0]);
    return rc;
}

static void describe_status(char *out, size_t n, int st)
{
    if (WIFEXITED(st))
        snprintf(out, n, "exited with status %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(out, n, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
    else
        snprintf(out, n, "ended with wait status %d", st);
}

/* ------------------------------------------------------------------ helpers */

static void read_mtu(uint32_t *mtu, const char *ifname)
{
    char p[512], b[32];
    FILE *f;
    if (snprintf(p, sizeof p, "/sys/class/net/%s/mtu", ifname) >= (int)sizeof p)
        return; /* no such interface name */
    f = fopen(p, "r");
    if (!f)
        return;
    if (fgets(b, sizeof b, f)) {
        long v = strtol(b, NULL, 10);
        if (v >= 68 && v <= 65536)
            *mtu = (uint32_t)v;
    }
    fclose(f);
}

/* INFO server over hiredis (fallback when edgevirt-load did not report the version) */
static void redis_version(char *out, size_t n, const char *host, int port)
{
    struct timeval tv = {1, 0};
    redisContext *c = redisConnectWithTimeout(host, port, tv);
    if (!c || c->err) {
        redisFree(c);
        return;
    }
    redisSetTimeout(c, tv);
    redisReply *r = redisCommand(c, "INFO server");
    if (r && r->type == REDIS_REPLY_STRING) {
        const char *v = strstr(r->str, "redis_version:");
        if (v) {
            v += strlen("redis_version:");
            size_t k = strcspn(v, "\r\n");
            snprintf(out, n, "%.*s", (int)k, v);
        }
    }
    freeReplyObject(r);
    redisFree(c);
}

static void set_error(ev_record *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(ev_record *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    if (!r->error[0])
        snprintf(r->error, sizeof r->error, "failed");
    r->ok = 0;
}

/* the record skeleton of a point: what is known before measuring */
static void record_base(ev_record *r, const ev_spec *s, const ev_plan_point *pt,
                        const ev_driver_info *info, const ev_record *host)
{
    ev_record_init(r);
    r->source = EV_SOURCE_MEASURED;
    snprintf(r->point, sizeof r->point, "%s", pt->id);
    r->repeat = pt->repeat;
    snprintf(r->platform, sizeof r->platform, "%s", s->platforms[pt->platform].id);
    r->path = EV_PATH_NATIVE;
    if (info) {
        int p = ev_path_parse(info->driver_path);
        if (p >= 0)
            r->path = (ev_path)p;
        snprintf(r->stack, sizeof r->stack, "%s", info->stack);
        r->offload = info->offload ? 1 : 0;
        snprintf(r->platform_version, sizeof r->platform_version, "%s", info->version);
    }
    r->op = pt->op;
    r->value_size = pt->value_size;
    r->anchor = pt->anchor;
    if (pt->mix >= 0) {
        const ev_spec_mix *mx = &s->mixes[pt->mix];
        r->mix.n = mx->n;
        r->mix.get_ratio = mx->get_ratio;
        snprintf(r->mix.name, sizeof r->mix.name, "%s", mx->name);
        memcpy(r->mix.size, mx->size, mx->n * sizeof mx->size[0]);
        memcpy(r->mix.weight, mx->weight, mx->n * sizeof mx->weight[0]);
    }
    r->clients = pt->clients;
    r->pipeline = pt->pipeline;
    r->mtu = s->mtu;
    r->link_rate_bps = s->link_rate_bps;
    snprintf(r->host, sizeof r->host, "%s", host->host);
    snprintf(r->kernel, sizeof r->kernel, "%s", host->kernel);
    snprintf(r->arch, sizeof r->arch, "%s", host->arch);
    snprintf(r->cpu_model, sizeof r->cpu_model, "%s", host->cpu_model);
    snprintf(r->ev_version, sizeof r->ev_version, "%s", host->ev_version);
}

/* append r; an invalid record (a bug or an odd measurement) is recorded as failed instead,
 * so the point is never silently lost */
static int append_record(const char *results, ev_record *r, ev_error *err)
{
    ev_error verr = EV_ERROR_INIT;
    if (ev_record_validate(r, &verr) != EV_OK) {
        char why[sizeof verr.msg + 64];
        snprintf(why, sizeof why, "measured record did not validate: %s", verr.msg);
        ev_record keep = *r;
        ev_record_init(r);
        r->source = EV_SOURCE_MEASURED;
        memcpy(r->time, keep.time, sizeof r->time);
        memcpy(r->point, keep.point, sizeof r->point);
        r->repeat = keep.repeat;
        memcpy(r->platform, keep.platform, sizeof r->platform);
        r->path = keep.path;
        r->op = keep.op;
        r->value_size = keep.value_size;
        r->clients = keep.clients;
        r->pipeline = keep.pipeline;
        set_error(r, "%s", why);
    }
    return ev_record_append(results, r, err);
}

/* ------------------------------------------------------------------ the run */

typedef struct run_state {
    const ev_spec *s;
    const ev_runner_options *o;
    ev_runner_summary *sum;
    ev_runner_progress prog;
    double t0;
    double measured_s; /* time spent on points run (for the ETA) */
    size_t measured_n;
    ev_record host;
} run_state;

static int stopped(const run_state *st)
{
    return st->o->stop && *st->o->stop;
}

static void progress(run_state *st, const char *phase, const ev_record *rec)
{
    if (!st->o->progress)
        return;
    st->prog.phase = phase;
    st->prog.elapsed_s = ev_time_now_s() - st->t0;
    st->prog.ok = st->sum->ok;
    st->prog.failed = st->sum->failed;
    size_t left = st->prog.todo - (st->sum->ok + st->sum->failed);
    st->prog.eta_s = st->measured_n ? st->measured_s / (double)st->measured_n * (double)left : -1;
    st->prog.record = rec;
    st->o->progress(&st->prog, st->o->payload);
}

static void tick_progress(void *arg)
{
    run_state *st = arg;
    progress(st, st->prog.phase, NULL);
}

/* the interfaces to sample for this platform: the driver's instance interface replaces the
 * spec's "instance" entry */
size_t ev_runner__build_ifaces(ev_sampler_iface *out, const ev_spec *s, const ev_driver_info *info)
{
    size_t n = 0;
    int have_inst = info && info->instance_iface[0];
    if (have_inst) {
        snprintf(out[n].ifname, sizeof out[n].ifname, "%s", info->instance_iface);
        out[n++].role = EV_ROLE_INSTANCE;
    }
    for (size_t i = 0; i < s->nifaces; i++) {
        if (have_inst && (s->ifaces[i].role == EV_ROLE_INSTANCE ||
                          strcmp(s->ifaces[i].name, info->instance_iface) == 0))
            continue;
        snprintf(out[n].ifname, sizeof out[n].ifname, "%s", s->ifaces[i].name);
        out[n++].role = s->ifaces[i].role;
    }
    return n;
}

/* Measure one point on a running, ready platform. Fills r (ok or failed).
 * RETURNS EV_OK (r says what happened), EV_EINTR (stopped: r not to be recorded). */
static int measure_point(run_state *st, const ev_plan_point *pt, ev_driver *d, ev_record *r)
{
    const ev_spec *s = st->s;
    const ev_driver_info *info = ev_driver_get_info(d);
    const char *host = s->client_host[0] ? s->client_host : info->host;
    int port = s->client_port ? s->client_port : info->port;
    const char *bin = ev_runner_load_bin(s, st->o);
    char **argv = NULL;
    child_out co;
    ev_error e = EV_ERROR_INIT;
    char how[96];
    int rc;

    /* warm-up: the same load, not sampled; for GET it also stores the value read later */
    if (s->warmup_s > 0) {
        progress(st, "warm-up", NULL);
        if ((rc = ev_runner_load_argv(&argv, s, pt, bin, host, port, 1, &e)) != EV_OK) {
            set_error(r, "%s", e.msg);
            return EV_OK;
        }
        rc = run_capture(&co, argv, s->warmup_s + 60, st->o->stop, tick_progress, st, &e);
        ev_runner_argv_free(argv);
        argv = NULL;
        if (rc != EV_OK) {
            free(co.out);
            set_error(r, "warm-up: %s", e.msg);
            return EV_OK;
        }
        free(co.out);
        if (co.interrupted)
            return EV_EINTR;
        if (ev_driver_check(d, &e) != EV_OK) {
            set_error(r, "platform died during the warm-up: %s", e.msg);
            return EV_OK;
        }
        if (co.timed_out || !WIFEXITED(co.status) || WEXITSTATUS(co.status) != 0) {
            describe_status(how, sizeof how, co.status);
            set_error(r, "warm-up: edgevirt-load %s%s: %s", co.timed_out ? "timed out and " : "",
                      how, co.err_tail[0] ? co.err_tail : "(no output)");
            return EV_OK;
        }
    }
    if (stopped(st))
        return EV_EINTR;

    /* what to sample */
    ev_driver_pids pids;
    int pidv[2];
    size_t npids = 0;
    int vmm_idx = -1, guest_idx = -1;
    if (ev_driver_get_pids(d, &pids, &e) != EV_OK) {
        set_error(r, "platform processes: %s", e.msg);
        return EV_OK;
    }
    if (pids.vmm > 0)
        vmm_idx = (int)npids, pidv[npids++] = (int)pids.vmm;
    if (pids.guest > 0) /* command driver's guest_pid_file (a testbed's redis-server) */
        guest_idx = (int)npids, pidv[npids++] = (int)pids.guest;
    ev_sampler_iface ifs[EV_SPEC_MAX_IFACES + 1];
    size_t nifs = ev_runner__build_ifaces(ifs, s, info);
    if (!s->mtu) {
        for (size_t i = 0; i < nifs && !r->mtu; i++)
            if (ifs[i].role == EV_ROLE_INSTANCE)
                read_mtu(&r->mtu, ifs[i].ifname);
        for (size_t i = 0; i < nifs && !r->mtu; i++)
            if (ifs[i].role == EV_ROLE_NIC)
                read_mtu(&r->mtu, ifs[i].ifname);
    }
    ev_sampler_options so = EV_SAMPLER_OPTIONS_INIT;
    so.cpus = s->ncpus ? s->cpus : NULL;
    so.ncpus = s->ncpus;
    so.pids = pidv;
    so.npids = npids;
    so.ifaces = ifs;
    so.nifaces = nifs;
    so.interval_s = 0; /* no series: the record holds the window's totals */

    if ((rc = ev_runner_load_argv(&argv, s, pt, bin, host, port, 0, &e)) != EV_OK) {
        set_error(r, "%s", e.msg);
        return EV_OK;
    }
    progress(st, "measure", NULL);
    ev_sampler *smp = NULL;
    if ((rc = ev_sampler_start(&smp, &so, &e)) != EV_OK) {
        ev_runner_argv_free(argv);
        set_error(r, "%s%s", strncmp(e.msg, "sampler", 7) ? "sampler: " : "", e.msg);
        return EV_OK;
    }
    rc = run_capture(&co, argv, ev_runner__load_timeout(s), st->o->stop, tick_progress, st, &e);
    ev_runner_argv_free(argv);
    ev_sampler_result res;
    memset(&res, 0, sizeof res);
    ev_error se = EV_ERROR_INIT;
    int src = ev_sampler_stop(smp, &res, &se);
    ev_time_iso8601(r->time, sizeof r->time);
    if (rc != EV_OK) {
        free(co.out);
        ev_sampler_result_free(&res);
        set_error(r, "edgevirt-load: %s", e.msg);
        return EV_OK;
    }
    if (co.interrupted) {
        free(co.out);
        ev_sampler_result_free(&res);
        return EV_EINTR;
    }
    /* a platform that died mid-point makes the point failed whatever the load says */
    if (ev_driver_check(d, &e) != EV_OK) {
        free(co.out);
        ev_sampler_result_free(&res);
        set_error(r, "platform crashed during the point: %s", e.msg);
        return EV_OK;
    }
    ev_record tmp = *r;
    ev_error pe = EV_ERROR_INIT;
    int prc = co.out_len ? ev_runner_parse_load(&tmp, co.out, co.out_len, pt->op, &pe)
                         : ev_error_set(&pe, EV_EPROTO, "no output");
    describe_status(how, sizeof how, co.status);
    if (co.timed_out) {
        set_error(r, "edgevirt-load did not finish within %.0f s (killed)", ev_runner__load_timeout(s));
    } else if (prc != EV_OK) {
        set_error(r, "edgevirt-load %s: %s%s%s", how, pe.msg, co.err_tail[0] ? "; stderr: " : "",
                  co.err_tail);
    } else if (!WIFEXITED(co.status) || WEXITSTATUS(co.status) != 0) {
        set_error(r, "edgevirt-load %s: %s", how, co.err_tail[0] ? co.err_tail : "(no output)");
    } else if (src != EV_OK) {
        set_error(r, "%s%s", strncmp(se.msg, "sampler", 7) ? "sampler: " : "", se.msg);
    } else if (s->ncpus && res.set_ncpus != s->ncpus) {
        set_error(r, "gateway.cpus: only %zu of the %zu CPUs listed were online during the "
                  "window", res.set_ncpus, s->ncpus);
    } else {
        *r = tmp;
        ev_sampler_fill_record(r, &res, vmm_idx);
        if (guest_idx >= 0 && (size_t)guest_idx < res.nprocs && res.procs[guest_idx].present) {
            /* the guest is a host process: all its time is the guest's (vcpu_*), next to
             * the VMM's (vmm_*, 0 when there is no VMM process) */
            const ev_thread_cpu *g = &res.procs[guest_idx].cpu;
            if (vmm_idx < 0) {
                memset(&r->threads, 0, sizeof r->threads);
                r->threads.present = 1;
            }
            r->threads.vcpu_user = g->vmm_user + g->vcpu_user;
            r->threads.vcpu_system = g->vmm_system + g->vcpu_system;
            snprintf(r->threads.basis, sizeof r->threads.basis, "process+guest");
        }
        r->cpu_ncpu = (uint32_t)res.set_ncpus;
        if (!r->redis_version[0])
            redis_version(r->redis_version, sizeof r->redis_version, info->host, info->port);
    }
    free(co.out);
    ev_sampler_result_free(&res);
    return EV_OK;
}

int ev_runner__load_done(ev_recset *done, const ev_runner_options *o, ev_runner_summary *sum,
                     ev_error *err)
{
    ev_error le = EV_ERROR_INIT;
    int dropped = 0;
    if (!o->results || access(o->results, F_OK) != 0)
        return EV_OK;
    int rc = ev_recset_load(done, o->results, 1, &dropped, &le);
    if (rc != EV_OK) {
        ev_recset_free(done); /* it keeps the lines before the bad one (leak found by LSan) */
        ev_error_set(err, rc, "%s", le.msg);
        return rc;
    }
    if (sum) {
        sum->dropped = dropped;
        if (dropped)
            snprintf(sum->warning, sizeof sum->warning, "%s", le.msg);
    }
    return EV_OK;
}

/* ev_driver_ready in slices of at most 1 s, so that SIGINT during a long boot is honoured
 * within a second; a final timeout reports the whole wait */
static int wait_ready(run_state *st, ev_driver *d, ev_error *e)
{
    double end = ev_time_now_s() + st->s->ready_timeout_s;
    for (;;) {
        double left = end - ev_time_now_s();
        int rc = ev_driver_ready(d, left < 1.0 ? (left > 0.05 ? left : 0.05) : 1.0, e);
        if (rc != EV_ETIMEOUT)
            return rc;
        if (stopped(st))
            return EV_EINTR;
        if (ev_time_now_s() >= end) {
            /* the message names the slice: "... within 1 s (last: ...)"; say the whole wait */
            char *w = strstr(e->msg, " within ");
            char *sec = w ? strstr(w + 8, " s") : NULL;
            if (w && sec) {
                char tail[EV_ERRSTR_LEN];
                snprintf(tail, sizeof tail, "%s", sec);
                snprintf(w, sizeof e->msg - (size_t)(w - e->msg), " within %.6g%s",
                         st->s->ready_timeout_s, tail);
            }
            return rc;
        }
    }
}

static int ev_runner__run_locked(ev_runner_summary *sum, const ev_spec *s,
                                 const ev_runner_options *o, ev_error *err)
{
    ev_plan_point *pts = NULL;
    size_t n = 0;
    ev_recset done = {0};
    run_state st;
    int rc;
    unsigned char *skip = NULL;

    memset(sum, 0, sizeof *sum);
    if (!o || !o->results)
        return ev_error_set(err, EV_EUSAGE, "no results file given");
    if ((rc = ev_plan_build(&pts, &n, s, err)) != EV_OK)
        return rc;
    if ((rc = ev_runner__load_done(&done, o, sum, err)) != EV_OK) {
        free(pts);
        return rc;
    }
    skip = calloc(n ? n : 1, 1);
    if (!skip) {
        free(pts);
        ev_recset_free(&done);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    sum->total = n;
    for (size_t i = 0; i < n; i++)
        if (ev_recset_find_point(&done, pts[i].id) >= 0) {
            skip[i] = 1;
            sum->skipped++;
        }
    ev_recset_free(&done);
    /* refuse at once, before the first point, what would fail every point */
    if (sum->skipped < n && (rc = ev_runner_preflight(s, o, err)) != EV_OK) {
        free(pts);
        free(skip);
        return rc;
    }

    memset(&st, 0, sizeof st);
    st.s = s;
    st.o = o;
    st.sum = sum;
    st.t0 = ev_time_now_s();
    st.prog.total = n;
    st.prog.skipped = sum->skipped;
    st.prog.todo = n - sum->skipped;
    ev_record_init(&st.host);
    ev_record_fill_host(&st.host);

    ev_driver *d = NULL;
    size_t d_block = (size_t)-1;
    char block_fail[EV_ERRSTR_LEN + 64] = "";
    size_t fail_block = (size_t)-1;
    rc = EV_OK;
    for (size_t i = 0; i < n && rc == EV_OK; i++) {
        const ev_plan_point *pt = &pts[i];
        ev_error e = EV_ERROR_INIT;
        ev_record r;
        if (stopped(&st)) {
            rc = EV_EINTR;
            break;
        }
        if (skip[i])
            continue;
        /* a new block: stop the previous platform */
        if (d && d_block != pt->block) {
            st.prog.point = pt->id;
            progress(&st, "stop", NULL);
            ev_driver_stop(d, s->stop_timeout_s, NULL);
            ev_driver_free(d);
            d = NULL;
        }
        double pt0 = ev_time_now_s();
        st.prog.index = i + 1;
        st.prog.point = pt->id;
        if (fail_block == pt->block) {
            /* the platform did not come up in this block: do not retry every point */
            record_base(&r, s, pt, NULL, &st.host);
            ev_time_iso8601(r.time, sizeof r.time);
            set_error(&r, "not measured: %s", block_fail);
        } else {
            if (!d) {
                progress(&st, "start", NULL);
                const ev_spec_platform *sp = &s->platforms[pt->platform];
                rc = ev_driver_new(&d, sp->settings, sp->path, &e);
                if (rc == EV_OK) {
                    d_block = pt->block;
                    rc = ev_driver_start(d, &e);
                    if (rc == EV_OK) {
                        progress(&st, "ready", NULL);
                        rc = wait_ready(&st, d, &e);
                    }
                }
                if (rc != EV_OK) {
                    record_base(&r, s, pt, d ? ev_driver_get_info(d) : NULL, &st.host);
                    ev_time_iso8601(r.time, sizeof r.time);
                    set_error(&r, "%s", e.msg);
                    snprintf(block_fail, sizeof block_fail, "the platform failed to start "
                             "earlier in this block: %s", e.msg);
                    fail_block = pt->block;
                    ev_driver_free(d);
                    d = NULL;
                    rc = EV_OK;
                    if (stopped(&st)) {
                        rc = EV_EINTR;
                        break;
                    }
                    goto record;
                }
            } else if (ev_driver_check(d, &e) != EV_OK) {
                /* died between points: restart it for this point */
                ev_driver_free(d);
                d = NULL;
                i--;
                continue;
            }
            record_base(&r, s, pt, ev_driver_get_info(d), &st.host);
            rc = measure_point(&st, pt, d, &r);
            if (rc == EV_EINTR)
                break;
            if (!r.ok && ev_driver_check(d, NULL) != EV_OK) {
                ev_driver_free(d); /* crashed: the next point starts it again */
                d = NULL;
            }
        }
    record:
        if (!r.time[0])
            ev_time_iso8601(r.time, sizeof r.time);
        rc = append_record(o->results, &r, err);
        if (rc != EV_OK)
            break;
        if (r.ok)
            sum->ok++;
        else
            sum->failed++;
        st.measured_s += ev_time_now_s() - pt0;
        st.measured_n++;
        progress(&st, "done", &r);
        if (s->restart == EV_SPEC_RESTART_POINT && d) {
            ev_driver_stop(d, s->stop_timeout_s, NULL);
            ev_driver_free(d);
            d = NULL;
        }
    }
    if (d) {
        ev_driver_stop(d, s->stop_timeout_s, NULL);
        ev_driver_free(d);
    }
    free(pts);
    free(skip);
    if (rc == EV_EINTR) {
        sum->interrupted = 1;
        ev_error_set(err, EV_EINTR, "interrupted: %zu points recorded in this run", sum->ok +
                     sum->failed);
    }
    return rc;
}

/* One writer per results file: the lock is taken before anything is read or measured, and
 * goes with the process (ev_lock.h), so a resume after a crash takes it again. */
int ev_runner_run(ev_runner_summary *sum, const ev_spec *s, const ev_runner_options *o,
                  ev_error *err)
{
    ev_lock *lk = NULL;
    int rc;
    memset(sum, 0, sizeof *sum);
    if (!o || !o->results)
        return ev_error_set(err, EV_EUSAGE, "no results file given");
    if ((rc = ev_lock_acquire(&lk, o->results, "edgevirt-measure run", 0, err)) != EV_OK)
        return rc;
    rc = ev_runner__run_locked(sum, s, o, err);
    ev_lock_release(lk);
    return rc;
}
