/* ev_report_data.c - loading, grouping and metric extraction (see ev_report_data.h). */
#include "ev_report_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ev_fs.h"

struct ev_report_set {
    ev_report_rec *recs;
    size_t n, cap;
    size_t nfailed;
    size_t nmix;                /* ok records of measured mixes: not on the curves */
    char **files;
    size_t nfiles;
    ev_report_point *pts;
    size_t npts;
    const ev_report_rec **ptrs; /* storage behind every point's recs */
};

int ev_report_set_new(ev_report_set **out, ev_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    return EV_OK;
}

static void ev_report__ungroup(ev_report_set *s)
{
    free(s->pts);
    free(s->ptrs);
    s->pts = NULL;
    s->ptrs = NULL;
    s->npts = 0;
}

void ev_report_set_free(ev_report_set *s)
{
    if (!s)
        return;
    ev_report__ungroup(s);
    for (size_t i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    free(s->files);
    free(s->recs);
    free(s);
}

static int ev_report__add_file(ev_report_set *s, const char *name, const char **stored,
                               ev_error *err)
{
    char **f = realloc(s->files, (s->nfiles + 1) * sizeof *f);
    if (!f)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    s->files = f;
    f[s->nfiles] = strdup(name);
    if (!f[s->nfiles])
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    *stored = f[s->nfiles++];
    return EV_OK;
}

int ev_report_set_load_text(ev_report_set *s, const char *text, const char *name, ev_error *err)
{
    const char *fname = NULL;
    int rc = ev_report__add_file(s, name, &fname, err);
    if (rc)
        return rc;
    ev_report__ungroup(s);
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    if (!buf)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    memcpy(buf, text, len + 1);
    int lineno = 0;
    char *p = buf;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        const char *q = p;
        while (*q == ' ' || *q == '\t' || *q == '\r')
            q++;
        if (*q) {
            if (s->n == s->cap) {
                size_t cap = s->cap ? 2 * s->cap : 64;
                ev_report_rec *r = realloc(s->recs, cap * sizeof *r);
                if (!r) {
                    free(buf);
                    return ev_error_set(err, EV_ENOMEM, "out of memory");
                }
                s->recs = r;
                s->cap = cap;
            }
            ev_report_rec *r = &s->recs[s->n];
            memset(r, 0, sizeof *r);
            rc = ev_record_parse(&r->r, p, name, lineno, err);
            if (rc) {
                free(buf);
                return rc;
            }
            r->file = fname;
            r->line = lineno;
            if (!r->r.ok)
                s->nfailed++;
            s->n++;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    free(buf);
    return EV_OK;
}

int ev_report_set_load(ev_report_set *s, const char *path, ev_error *err)
{
    char *text = NULL;
    int rc = ev_fs_read_all(&text, NULL, path, err);
    if (rc)
        return rc;
    if (text[0] == '\0') {
        free(text);
        return ev_error_set(err, EV_ESCHEMA, "%s: the file holds no run record", path);
    }
    size_t before = s->n;
    rc = ev_report_set_load_text(s, text, path, err);
    free(text);
    if (rc == EV_OK && s->n == before)
        return ev_error_set(err, EV_ESCHEMA, "%s: the file holds no run record", path);
    return rc;
}

int ev_report_key_cmp(const ev_report_key *a, const ev_report_key *b)
{
    int c = strcmp(a->platform, b->platform);
    if (c)
        return c;
    if (a->op != b->op)
        return a->op < b->op ? -1 : 1;
#define EV_CMP_FIELD(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
    EV_CMP_FIELD(value_size);
    EV_CMP_FIELD(clients);
    EV_CMP_FIELD(pipeline);
    EV_CMP_FIELD(mtu);
    EV_CMP_FIELD(link_rate_bps);
#undef EV_CMP_FIELD
    return 0;
}

static void ev_report__key_of(ev_report_key *k, const ev_record *r)
{
    memset(k, 0, sizeof *k);
    snprintf(k->platform, sizeof k->platform, "%s", r->platform);
    k->op = r->op;
    k->value_size = r->value_size;
    k->clients = r->clients;
    k->pipeline = r->pipeline;
    k->mtu = r->mtu;
    k->link_rate_bps = r->link_rate_bps;
}

static int ev_report__rec_cmp(const void *x, const void *y)
{
    const ev_report_rec *a = *(const ev_report_rec *const *)x;
    const ev_report_rec *b = *(const ev_report_rec *const *)y;
    ev_report_key ka, kb;
    ev_report__key_of(&ka, &a->r);
    ev_report__key_of(&kb, &b->r);
    int c = ev_report_key_cmp(&ka, &kb);
    if (c)
        return c;
    /* stable: file order, then line */
    if (a != b)
        return a < b ? -1 : 1;
    return 0;
}

int ev_report_set_group(ev_report_set *s, ev_error *err)
{
    ev_report__ungroup(s);
    size_t nok = s->n - s->nfailed;
    s->nmix = 0;
    for (size_t i = 0; i < s->n; i++)
        s->nmix += s->recs[i].r.ok && s->recs[i].r.mix.n > 0;
    if (nok == 0)
        return ev_error_set(err, EV_EINVAL, "no successful run record to report on (%zu failed)",
                            s->nfailed);
    s->ptrs = malloc(nok * sizeof *s->ptrs);
    s->pts = calloc(nok, sizeof *s->pts);
    if (!s->ptrs || !s->pts) {
        ev_report__ungroup(s);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->recs[i].r.ok && !s->recs[i].r.mix.n) /* mixes: a table of their own */
            s->ptrs[m++] = &s->recs[i];
    qsort(s->ptrs, m, sizeof *s->ptrs, ev_report__rec_cmp);
    for (size_t i = 0; i < m;) {
        ev_report_point *p = &s->pts[s->npts++];
        ev_report__key_of(&p->key, &s->ptrs[i]->r);
        p->recs = &s->ptrs[i];
        size_t j = i;
        ev_report_key k;
        while (j < m) {
            ev_report__key_of(&k, &s->ptrs[j]->r);
            if (ev_report_key_cmp(&k, &p->key))
                break;
            const ev_report_rec *first = s->ptrs[i], *r = s->ptrs[j];
            if (r->r.key_size != first->r.key_size) {
                char kb[256];
                ev_report_key_format(kb, sizeof kb, &p->key);
                int rc = ev_error_set(err, EV_ESCHEMA,
                                      "%s:%d: workload.key_size: %u differs from %u in %s:%d, a "
                                      "repeat of the same point (%s)",
                                      r->file, r->line, (unsigned)r->r.key_size,
                                      (unsigned)first->r.key_size, first->file, first->line, kb);
                ev_report__ungroup(s);
                return rc;
            }
            j++;
        }
        p->n = j - i;
        i = j;
    }
    return EV_OK;
}

size_t ev_report_set_nrecords(const ev_report_set *s) { return s->n; }
const ev_report_rec *ev_report_set_record(const ev_report_set *s, size_t i)
{
    return i < s->n ? &s->recs[i] : NULL;
}
size_t ev_report_set_nfailed(const ev_report_set *s) { return s->nfailed; }
size_t ev_report_set_nmix(const ev_report_set *s) { return s->nmix; }
size_t ev_report_set_npoints(const ev_report_set *s) { return s->npts; }
const ev_report_point *ev_report_set_point(const ev_report_set *s, size_t i)
{
    return i < s->npts ? &s->pts[i] : NULL;
}
size_t ev_report_set_nfiles(const ev_report_set *s) { return s->nfiles; }
const char *ev_report_set_file(const ev_report_set *s, size_t i)
{
    return i < s->nfiles ? s->files[i] : NULL;
}

const ev_report_point *ev_report_set_find(const ev_report_set *s, const ev_report_key *k)
{
    size_t lo = 0, hi = s->npts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ev_report_key_cmp(&s->pts[mid].key, k);
        if (c == 0)
            return &s->pts[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void ev_report_key_format(char *buf, size_t len, const ev_report_key *k)
{
    char link[32];
    if (k->link_rate_bps <= 0)
        snprintf(link, sizeof link, "unlimited");
    else if (k->link_rate_bps >= 1e9)
        snprintf(link, sizeof link, "%g Gbit/s", k->link_rate_bps / 1e9);
    else
        snprintf(link, sizeof link, "%g Mbit/s", k->link_rate_bps / 1e6);
    snprintf(buf, len, "%s %s %u B, clients %u, pipeline %u, MTU %u, link %s", k->platform,
             ev_op_name(k->op), (unsigned)k->value_size, (unsigned)k->clients,
             (unsigned)k->pipeline, (unsigned)k->mtu, link);
}

static const char *const ev_report__cat_metric[EV_CPU_IDLE] = {
    "cpu_user", "cpu_system", "cpu_softirq", "cpu_guest", "cpu_nice",
    "cpu_iowait", "cpu_irq", "cpu_steal", "cpu_gnice",
};

const char *ev_report_metric_name(int metric)
{
    switch (metric) {
    case EV_RM_RPS: return "rps";
    case EV_RM_CPU_TOTAL: return "cpu_total";
    case EV_RM_CPU_PER_REQ: return "cpu_per_req";
    default:
        if (metric >= EV_RM_CPU_CAT0 && metric < EV_RM_COUNT)
            return ev_report__cat_metric[metric - EV_RM_CPU_CAT0];
        return "?";
    }
}

const char *ev_report_metric_unit(int metric)
{
    switch (metric) {
    case EV_RM_RPS: return "req/s";
    case EV_RM_CPU_PER_REQ: return "us/req";
    default: return "%core";
    }
}

double ev_report_cpu_busy(const ev_record *r)
{
    double sum = 0.0;
    int any = 0;
    for (int c = 0; c < EV_CPU_NFIELDS; c++) {
        if (c == EV_CPU_IDLE || c == EV_CPU_IOWAIT || r->cpu[c] < 0)
            continue;
        sum += r->cpu[c];
        any = 1;
    }
    return any ? sum : -1.0;
}

size_t ev_report_metric_values(double *out, const ev_report_point *p, int metric)
{
    for (size_t i = 0; i < p->n; i++) {
        const ev_record *r = &p->recs[i]->r;
        double v;
        switch (metric) {
        case EV_RM_RPS:
            v = r->rps;
            break;
        case EV_RM_CPU_TOTAL:
            v = ev_report_cpu_busy(r);
            break;
        case EV_RM_CPU_PER_REQ: {
            double busy = ev_report_cpu_busy(r);
            v = (busy < 0 || !(r->rps > 0)) ? -1.0 : busy / 100.0 / r->rps * 1e6;
            break;
        }
        default:
            if (metric < EV_RM_CPU_CAT0 || metric >= EV_RM_COUNT)
                return 0;
            v = r->cpu[metric - EV_RM_CPU_CAT0];
        }
        if (!(v >= 0) || !isfinite(v))
            return 0;
        out[i] = v;
    }
    return p->n;
}
