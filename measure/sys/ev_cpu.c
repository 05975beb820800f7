#include "ev_cpu.h"
#include "ev_sys_util.h"
#include "ev_fs.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t ev_cpu_delta(uint64_t prev, uint64_t cur)
{
    return cur < prev ? 0 : cur - prev;
}

static int parse_u64(const char **p, uint64_t *v)
{
    const char *s = *p;
    char *end;
    unsigned long long x;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    x = strtoull(s, &end, 10);
    if (errno == ERANGE)
        return -1;
    *v = (uint64_t)x;
    *p = end;
    return 0;
}

int ev_cpu_parse_stat(ev_cpu_stat *out, const char *text, ev_error *err)
{
    const char *line = text;
    int lineno = 0, have_total = 0;
    memset(out, 0, sizeof *out);
    while (line && *line) {
        const char *nl = strchr(line, '\n');
        lineno++;
        if (strncmp(line, "cpu", 3) == 0) {
            const char *p = line + 3;
            ev_cpu_times t;
            uint64_t *f[10] = { &t.user, &t.nice, &t.system, &t.idle, &t.iowait, &t.irq,
                                &t.softirq, &t.steal, &t.guest, &t.guest_nice };
            long id = -1;
            int i, n = 0;
            memset(&t, 0, sizeof t);
            if (isdigit((unsigned char)*p)) {
                char *end;
                id = strtol(p, &end, 10);
                p = end;
                if (id >= EV_CPU_MAX)
                    return ev_error_set(err, EV_ERANGE, "proc/stat:%d: cpu%ld: CPU number >= %d",
                                        lineno, id, EV_CPU_MAX);
            }
            if (*p != ' ' && *p != '\t')
                return ev_error_set(err, EV_EPARSE, "proc/stat:%d: malformed cpu label", lineno);
            /* Old kernels have 4..9 columns; the missing ones stay 0, as in sysstat. */
            for (i = 0; i < 10; i++) {
                const char *q = p;
                while (*q == ' ' || *q == '\t')
                    q++;
                if (*q == '\n' || *q == '\0')
                    break;
                if (parse_u64(&p, f[i]) != 0)
                    return ev_error_set(err, EV_EPARSE,
                                        "proc/stat:%d: column %d: not a non-negative integer",
                                        lineno, i + 2);
                n++;
            }
            if (n < 4)
                return ev_error_set(err, EV_EPARSE, "proc/stat:%d: fewer than 4 cpu columns",
                                    lineno);
            if (id < 0) {
                out->total = t;
                have_total = 1;
            } else {
                out->cpu[id] = t;
                out->online[id] = 1;
                if (id + 1 > out->ncpu)
                    out->ncpu = (int)id + 1;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    if (!have_total)
        return ev_error_set(err, EV_EPARSE, "proc/stat: no \"cpu\" line");
    return EV_OK;
}

int ev_cpu_read_stat(ev_cpu_stat *out, const char *root, ev_error *err)
{
    char path[4096], *buf = NULL;
    int rc;
    ev_sys__path(path, sizeof path, root, "/proc/stat");
    rc = ev_fs_read_all(&buf, NULL, path, err);
    if (rc != EV_OK)
        return rc;
    rc = ev_cpu_parse_stat(out, buf, err);
    free(buf);
    if (rc != EV_OK)
        ev_error_prefix(err, "%s", path);
    return rc;
}

/* sysstat's get_per_cpu_interval(): may modify *scp (idle/iowait going backwards). */
static uint64_t per_cpu_interval(const ev_cpu_times *scc, ev_cpu_times *scp)
{
    uint64_t ishift = 0;
    if ((scc->user - scc->guest) < (scp->user - scp->guest))
        ishift += (scp->user - scp->guest) - (scc->user - scc->guest);
    if ((scc->nice - scc->guest_nice) < (scp->nice - scp->guest_nice))
        ishift += (scp->nice - scp->guest_nice) - (scc->nice - scc->guest_nice);
    /* CPU back online: idle/iowait restart from zero; iowait may also decrease when the
     * kernel re-accounts waiting as idle. Same rules as sysstat. */
    if (scc->iowait < scp->iowait && scp->iowait < (UINT64_MAX - 0x7ffff)) {
        if (scc->idle > scp->idle || scp->idle >= (UINT64_MAX - 0x7ffff))
            scp->iowait = scc->iowait;
        else
            scp->iowait = 0;
    }
    if (scc->idle < scp->idle && scp->idle < (UINT64_MAX - 0x7ffff))
        scp->idle = 0;
    return (scc->user + scc->nice + scc->system + scc->iowait + scc->idle + scc->steal +
            scc->irq + scc->softirq) -
           (scp->user + scp->nice + scp->system + scp->iowait + scp->idle + scp->steal +
            scp->irq + scp->softirq) + ishift;
}

static double sp(uint64_t prev, uint64_t cur, uint64_t itv)
{
    return (double)ev_cpu_delta(prev, cur) / (double)itv * 100.0;
}

/* mpstat's ten values from (already corrected) prev/cur and a non-zero itv. */
static void pct_from(ev_cpu_pct *out, const ev_cpu_times *scp, const ev_cpu_times *scc,
                     uint64_t itv)
{
    double *v = out->pct;
    v[EV_CPU_USER] = sp(scp->user - scp->guest, scc->user - scc->guest, itv);
    v[EV_CPU_NICE] = sp(scp->nice - scp->guest_nice, scc->nice - scc->guest_nice, itv);
    v[EV_CPU_SYSTEM] = sp(scp->system, scc->system, itv);
    v[EV_CPU_IOWAIT] = sp(scp->iowait, scc->iowait, itv);
    v[EV_CPU_IRQ] = sp(scp->irq, scc->irq, itv);
    v[EV_CPU_SOFTIRQ] = sp(scp->softirq, scc->softirq, itv);
    v[EV_CPU_STEAL] = sp(scp->steal, scc->steal, itv);
    v[EV_CPU_GUEST] = sp(scp->guest, scc->guest, itv);
    v[EV_CPU_GNICE] = sp(scp->guest_nice, scc->guest_nice, itv);
    v[EV_CPU_IDLE] = sp(scp->idle, scc->idle, itv);
    out->itv = (double)itv;
}

void ev_cpu_percent(ev_cpu_pct *out, const ev_cpu_times *prev, const ev_cpu_times *cur)
{
    ev_cpu_times scp = *prev;
    uint64_t itv = per_cpu_interval(cur, &scp);
    memset(out, 0, sizeof *out);
    if (itv == 0) {
        out->pct[EV_CPU_IDLE] = 100.0; /* tickless CPU: mpstat prints 100 % idle */
        return;
    }
    pct_from(out, &scp, cur, itv);
}

static int tot_zero(const ev_cpu_times *t)
{
    return t->user + t->nice + t->system + t->idle + t->iowait + t->irq + t->steal +
           t->softirq == 0;
}

static void add_times(ev_cpu_times *a, const ev_cpu_times *b)
{
    a->user += b->user; a->nice += b->nice; a->system += b->system; a->idle += b->idle;
    a->iowait += b->iowait; a->irq += b->irq; a->softirq += b->softirq; a->steal += b->steal;
    a->guest += b->guest; a->guest_nice += b->guest_nice;
}

void ev_cpu_percent_all(ev_cpu_pct *out, const ev_cpu_stat *prev, const ev_cpu_stat *cur)
{
    ev_cpu_times sp_all, sc_all;
    uint64_t deltot = 0;
    int i, n = prev->ncpu > cur->ncpu ? prev->ncpu : cur->ncpu, online = 0;
    for (i = 0; i < n; i++)
        online += cur->online[i] || prev->online[i];
    if (online <= 1) {
        /* uniprocessor: mpstat keeps the global "cpu" line */
        ev_cpu_percent(out, &prev->total, &cur->total);
        if (out->itv == 0) { /* "all" cannot be tickless: itv = 1 */
            ev_cpu_times scp = prev->total;
            per_cpu_interval(&cur->total, &scp);
            pct_from(out, &scp, &cur->total, 1);
        }
        return;
    }
    memset(&sp_all, 0, sizeof sp_all);
    memset(&sc_all, 0, sizeof sc_all);
    for (i = 0; i < n; i++) {
        ev_cpu_times scc = cur->cpu[i], scp = prev->cpu[i];
        if (!cur->online[i] || tot_zero(&scc))
            scc = scp; /* offline now: freeze at the previous values */
        if (!prev->online[i] || tot_zero(&scp))
            continue; /* came online during the window: no reference, skipped */
        deltot += per_cpu_interval(&scc, &scp);
        add_times(&sc_all, &scc);
        add_times(&sp_all, &scp);
    }
    pct_from(out, &sp_all, &sc_all, deltot ? deltot : 1);
}

void ev_cpu_percent_set(ev_cpu_pct *out, const ev_cpu_stat *prev, const ev_cpu_stat *cur,
                        const int *cpus, size_t ncpus, size_t *nused)
{
    size_t k, used = 0, n = cpus ? ncpus : (size_t)(prev->ncpu > cur->ncpu ? prev->ncpu : cur->ncpu);
    double itv_sum = 0;
    memset(out, 0, sizeof *out);
    for (k = 0; k < n; k++) {
        int id = cpus ? cpus[k] : (int)k, c;
        ev_cpu_pct one;
        if (id < 0 || id >= EV_CPU_MAX || !prev->online[id] || !cur->online[id])
            continue;
        ev_cpu_percent(&one, &prev->cpu[id], &cur->cpu[id]);
        for (c = 0; c < EV_CPU_NFIELDS; c++)
            out->pct[c] += one.pct[c];
        itv_sum += one.itv;
        used++;
    }
    out->itv = used ? itv_sum / (double)used : 0;
    if (nused)
        *nused = used;
}

const char *ev_cpu_mpstat_name(int category)
{
    static const char *const names[EV_CPU_NFIELDS] = {
        [EV_CPU_USER] = "usr", [EV_CPU_SYSTEM] = "sys", [EV_CPU_SOFTIRQ] = "soft",
        [EV_CPU_GUEST] = "guest", [EV_CPU_NICE] = "nice", [EV_CPU_IOWAIT] = "iowait",
        [EV_CPU_IRQ] = "irq", [EV_CPU_STEAL] = "steal", [EV_CPU_GNICE] = "gnice",
        [EV_CPU_IDLE] = "idle"
    };
    return category >= 0 && category < EV_CPU_NFIELDS ? names[category] : NULL;
}
