/* ev_model.c - the cost model: packet counting, prediction, parameter draws, accessors.
 * The file format lives in ev_model_json.c, the fit in ev_fit.c. See docs/model.md. */
#include "ev_model.h"
#include "ev_model_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>

const char *const ev_model_param_names[EV_NPARAM] = {
    "fixed_get", "fixed_set", "per_packet", "per_segment", "per_byte_in", "per_byte_out",
    "per_multiseg_in", "per_multiseg_out"
};

/* Ethernet costs beyond the IP packet: 14 B header + 4 FCS + 8 preamble + 12 gap on the wire;
 * the kernel's interface counters see the 14 B header only. */
#define EV_ETH_WIRE_BYTES 38.0
#define EV_ETH_HDR_BYTES 14.0

char *ev_model__strdup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s ? s : "", n);
    return d;
}

/* ---------------------------------------------------------------- lifecycle */

/* Room for one more element in a growing array `arr` of n elements of `size` bytes, capacity
 * *cap (doubled, `first` at first). RETURNS the array (moved, maybe), or NULL when out of
 * memory (then `arr` is unchanged). */
static void *ev_model__grow(void *arr, size_t *cap, size_t n, size_t size, size_t first)
{
    size_t nc;
    void *na;
    if (n < *cap)
        return arr;
    nc = *cap ? 2 * *cap : first;
    na = realloc(arr, nc * size);
    if (na)
        *cap = nc;
    return na;
}

int ev_model_new(ev_model **out, const char *name, ev_source source, double client_rtt_s)
{
    ev_model *m = calloc(1, sizeof *m);
    *out = NULL;
    if (!m)
        return EV_ENOMEM;
    m->name = ev_model__strdup(name ? name : "");
    if (!m->name) {
        free(m);
        return EV_ENOMEM;
    }
    m->source = source;
    m->client_rtt_s = client_rtt_s;
    *out = m;
    return EV_OK;
}

static void ev_model__free_platform(ev_mplatform *p)
{
    free(p->id);
    free(p->stack);
    free(p->notes);
}

void ev_model_free(ev_model *m)
{
    size_t i;
    if (!m)
        return;
    for (i = 0; i < m->np; i++)
        ev_model__free_platform(&m->plat[i]);
    for (i = 0; i < m->nds; i++)
        free(m->ds[i].path);
    for (i = 0; i < m->nhosts; i++) {
        free(m->hosts[i].name);
        free(m->hosts[i].kernel);
        free(m->hosts[i].arch);
        free(m->hosts[i].cpu);
    }
    free(m->hosts);
    free(m->plat);
    free(m->ds);
    free(m->name);
    free(m);
}

int ev_model_add_platform(ev_model *m, const ev_platform_info *pi, size_t *index)
{
    ev_mplatform *p;
    int c, j;
    if (!m || !pi || !pi->id || !pi->id[0])
        return EV_EINVAL;
    if (ev_model_find(m, pi->id) >= 0)
        return EV_EINVAL;
    {
        void *g = ev_model__grow(m->plat, &m->pcap, m->np, sizeof *m->plat, 8);
        if (!g)
            return EV_ENOMEM;
        m->plat = g;
    }
    p = &m->plat[m->np];
    memset(p, 0, sizeof *p);
    p->info = *pi;
    p->id = ev_model__strdup(pi->id);
    p->stack = ev_model__strdup(pi->stack ? pi->stack : "");
    p->notes = ev_model__strdup("");
    if (!p->id || !p->stack || !p->notes) {
        ev_model__free_platform(p);
        return EV_ENOMEM;
    }
    p->info.id = p->id;
    p->info.stack = p->stack;
    for (c = 0; c < EV_NCAT; c++) {
        p->ps[c].scale = 1.0;
        for (j = 0; j < EV_NPARAM; j++)
            p->ps[c].identified[j] = 1;
    }
    if (index)
        *index = m->np;
    m->np++;
    return EV_OK;
}

int ev_model_set_params(ev_model *m, size_t p, int cat, const ev_param_set *ps)
{
    if (!m || p >= m->np || cat < 0 || cat >= EV_NCAT || !ps)
        return EV_EINVAL;
    m->plat[p].ps[cat] = *ps;
    return EV_OK;
}

int ev_model_set_diag(ev_model *m, size_t p, size_t points, int dof, double max_abs_corr,
                      const char *notes)
{
    char *n;
    if (!m || p >= m->np)
        return EV_EINVAL;
    n = ev_model__strdup(notes ? notes : "");
    if (!n)
        return EV_ENOMEM;
    free(m->plat[p].notes);
    m->plat[p].notes = n;
    m->plat[p].points = points;
    m->plat[p].dof = dof;
    m->plat[p].max_abs_corr = max_abs_corr;
    return EV_OK;
}

int ev_model_add_dataset(ev_model *m, const char *path, size_t records)
{
    if (!m || !path)
        return EV_EINVAL;
    {
        void *g = ev_model__grow(m->ds, &m->dcap, m->nds, sizeof *m->ds, 4);
        if (!g)
            return EV_ENOMEM;
        m->ds = g;
    }
    m->ds[m->nds].path = ev_model__strdup(path);
    if (!m->ds[m->nds].path)
        return EV_ENOMEM;
    m->ds[m->nds].records = records;
    m->nds++;
    return EV_OK;
}

int ev_model_add_host(ev_model *m, const char *name, const char *kernel, const char *arch,
                      const char *cpu, size_t records)
{
    const char *f[4];
    ev_mhost *h;
    size_t i;
    if (!m)
        return EV_EINVAL;
    f[0] = name ? name : "";
    f[1] = kernel ? kernel : "";
    f[2] = arch ? arch : "";
    f[3] = cpu ? cpu : "";
    for (i = 0; i < m->nhosts; i++) {
        h = &m->hosts[i];
        if (!strcmp(h->name, f[0]) && !strcmp(h->kernel, f[1]) && !strcmp(h->arch, f[2]) &&
            !strcmp(h->cpu, f[3])) {
            h->records += records;
            return EV_OK;
        }
    }
    {
        void *g = ev_model__grow(m->hosts, &m->hcap, m->nhosts, sizeof *m->hosts, 2);
        if (!g)
            return EV_ENOMEM;
        m->hosts = g;
    }
    h = &m->hosts[m->nhosts];
    h->name = ev_model__strdup(f[0]);
    h->kernel = ev_model__strdup(f[1]);
    h->arch = ev_model__strdup(f[2]);
    h->cpu = ev_model__strdup(f[3]);
    h->records = records;
    if (!h->name || !h->kernel || !h->arch || !h->cpu) {
        free(h->name);
        free(h->kernel);
        free(h->arch);
        free(h->cpu);
        return EV_ENOMEM;
    }
    m->nhosts++;
    return EV_OK;
}

int ev_model_clone(ev_model **out, const ev_model *m)
{
    ev_model *c;
    size_t i;
    int rc;
    *out = NULL;
    if (!m)
        return EV_EINVAL;
    rc = ev_model_new(&c, m->name, m->source, m->client_rtt_s);
    if (rc)
        return rc;
    for (i = 0; i < m->np && rc == EV_OK; i++) {
        const ev_mplatform *p = &m->plat[i];
        int k;
        rc = ev_model_add_platform(c, &p->info, NULL);
        for (k = 0; k < EV_NCAT && rc == EV_OK; k++)
            rc = ev_model_set_params(c, i, k, &p->ps[k]);
        if (rc == EV_OK)
            rc = ev_model_set_diag(c, i, p->points, p->dof, p->max_abs_corr, p->notes);
    }
    for (i = 0; i < m->nds && rc == EV_OK; i++)
        rc = ev_model_add_dataset(c, m->ds[i].path, m->ds[i].records);
    for (i = 0; i < m->nhosts && rc == EV_OK; i++)
        rc = ev_model_add_host(c, m->hosts[i].name, m->hosts[i].kernel, m->hosts[i].arch,
                               m->hosts[i].cpu, m->hosts[i].records);
    if (rc) {
        ev_model_free(c);
        return rc;
    }
    *out = c;
    return EV_OK;
}

/* ---------------------------------------------------------------- accessors */

const char *ev_model_name(const ev_model *m) { return m->name; }
ev_source ev_model_source(const ev_model *m) { return m->source; }
size_t ev_model_nplatforms(const ev_model *m) { return m ? m->np : 0; }
double ev_model_client_rtt(const ev_model *m) { return m->client_rtt_s; }
size_t ev_model_ndatasets(const ev_model *m) { return m->nds; }

const char *ev_model_dataset(const ev_model *m, size_t i, size_t *records)
{
    if (!m || i >= m->nds)
        return NULL;
    if (records)
        *records = m->ds[i].records;
    return m->ds[i].path;
}

size_t ev_model_nhosts(const ev_model *m) { return m ? m->nhosts : 0; }

int ev_model_host(ev_host_info *out, const ev_model *m, size_t i)
{
    if (!m || i >= m->nhosts)
        return EV_EINVAL;
    out->name = m->hosts[i].name;
    out->kernel = m->hosts[i].kernel;
    out->arch = m->hosts[i].arch;
    out->cpu = m->hosts[i].cpu;
    out->records = m->hosts[i].records;
    return EV_OK;
}

int ev_model_platform(ev_platform_info *out, const ev_model *m, size_t i)
{
    if (!m || i >= m->np)
        return EV_EINVAL;
    *out = m->plat[i].info;
    return EV_OK;
}

int ev_model_find(const ev_model *m, const char *id)
{
    size_t i;
    if (!m || !id)
        return -1;
    for (i = 0; i < m->np; i++)
        if (strcmp(m->plat[i].id, id) == 0)
            return (int)i;
    return -1;
}

int ev_model_params(ev_param_set *out, const ev_model *m, size_t p, int cat)
{
    if (!m || p >= m->np || cat < 0 || cat >= EV_NCAT)
        return EV_EINVAL;
    *out = m->plat[p].ps[cat];
    return EV_OK;
}

int ev_model_diag(ev_fit_diag *out, const ev_model *m, size_t p)
{
    if (!m || p >= m->np)
        return EV_EINVAL;
    out->points = m->plat[p].points;
    out->dof = m->plat[p].dof;
    out->max_abs_corr = m->plat[p].max_abs_corr;
    out->notes = m->plat[p].notes;
    return EV_OK;
}

const char *ev_bound_name(ev_bound b, int cat)
{
    static const char *const cpu[EV_NCAT] = { "cpu:user", "cpu:system", "cpu:softirq",
                                              "cpu:guest" };
    switch (b) {
    case EV_BOUND_CPU: return (cat >= 0 && cat < EV_NCAT) ? cpu[cat] : "cpu";
    case EV_BOUND_WIRE: return "wire";
    case EV_BOUND_CLIENT: return "client";
    }
    return "unknown";
}

/* ---------------------------------------------------------------- platform inputs */

void ev_model_platform_defaults(ev_platform_info *out, const char *id, ev_path path,
                                const char *stack, int offload)
{
    /* Table 2 of the paper (docs/model.md, data/paper/README.md):
     *  - Linux guests with TSO/GSO hand the host two ~8 KB packets for a 16 KB reply
     *    (8250 B on Kata's tap, 8263 B on Firecracker's): at most 8250 B IP packets;
     *  - lwIP (Unikraft) has no TSO: 1224-1225 B packets = 14 packets per 16 KB reply,
     *    at most 1224 B IP packets, no TCP timestamps (40 B headers; 124 B at 64 B);
     *  - Kata's instance counter shows 123 B = 71 B reply + 52 B headers: no L2 header there;
     *  - the NIC shows 1327 B for the offloading guests' 16 KB reply = 13 frames, where the
     *    1448 B MSS would give 12: the NIC-side segments are taken as 100 B short of the MSS. */
    static const struct {
        const char *id; ev_path path; const char *stack; int offload;
        double g, hdr, l2, red;
    } known[] = {
        { "firecracker", EV_PATH_VIRTIO, "linux", 1, 8250, 52, 14, 100 },
        { "kata", EV_PATH_VHOST, "linux", 1, 8250, 52, 0, 100 },
        { "unikraft-vhost", EV_PATH_VHOST, "lwip", 0, 1224, 40, 14, 0 },
        { "unikraft-virtio", EV_PATH_VIRTIO, "lwip", 0, 1224, 40, 14, 0 },
        { "linuxvm", EV_PATH_VIRTIO, "linux", 1, 8250, 52, 14, 100 },
        { "native", EV_PATH_NATIVE, "host", 1, 65536, 52, 14, 0 },
    };
    size_t i;
    memset(out, 0, sizeof *out);
    for (i = 0; id && i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(id, known[i].id) == 0) {
            out->id = known[i].id;
            out->path = known[i].path;
            out->stack = known[i].stack;
            out->offload = known[i].offload;
            out->guest_pkt_bytes = known[i].g;
            out->tcp_header_bytes = known[i].hdr;
            out->instance_l2_bytes = known[i].l2;
            out->nic_mss_reduction = known[i].red;
            return;
        }
    }
    out->id = id;
    out->path = path;
    out->stack = stack ? stack : "linux";
    out->offload = offload;
    if (stack && strcmp(stack, "lwip") == 0) {
        out->guest_pkt_bytes = 1224;
        out->tcp_header_bytes = 40;
    } else {
        out->guest_pkt_bytes = offload ? (path == EV_PATH_NATIVE ? 65536 : 8250) : 1500;
        out->tcp_header_bytes = 52;
    }
    out->instance_l2_bytes = 14;
    out->nic_mss_reduction = 0;
}

/* ---------------------------------------------------------------- counting */

/* ceil() that ignores the last bits of rounding noise. */
static double ev_model__ceil(double x)
{
    return ceil(x - 1e-9);
}

int ev_model_counts(ev_counts *out, const ev_platform_info *pi, ev_op op, double value_size,
                    const ev_conditions *cond, ev_error *err)
{
    double h = pi->tcp_header_bytes, q, r, mss_c, seg_g, mss_w, ntx_w, nrx_w, acks[2];
    memset(out, 0, sizeof *out);
    /* finite: an infinite size would never finish the RESP digit count */
    if (!(value_size >= 0) || !(cond->key_size >= 1) || !isfinite(value_size) ||
        !isfinite(cond->key_size))
        return ev_error_set(err, EV_EINVAL, "value size and key size must be finite, >= 0 "
                                            "and >= 1");
    if (!(h > 0) || !(cond->mtu > h + 8) || !(pi->guest_pkt_bytes > h + 8) ||
        !isfinite(cond->mtu) || !isfinite(pi->guest_pkt_bytes))
        return ev_error_set(err, EV_EINVAL,
                            "mtu %g / guest packet size %g too small for %g B of TCP/IP headers",
                            cond->mtu, pi->guest_pkt_bytes, h);
    q = ev_resp_request_bytes(op, value_size, cond->key_size);
    r = ev_resp_reply_bytes(op, value_size);
    mss_c = cond->mtu - h;                      /* the client's segments */
    if (pi->offload)
        seg_g = pi->guest_pkt_bytes - h;        /* GSO packets handed to the host */
    else
        seg_g = fmin(pi->guest_pkt_bytes, cond->mtu) - h; /* the guest's own MSS-limited cut */
    mss_w = pi->offload ? mss_c - pi->nic_mss_reduction : seg_g;
    if (!(mss_w > 8))
        return ev_error_set(err, EV_EINVAL, "mtu %g too small for nic_mss_reduction %g",
                            cond->mtu, pi->nic_mss_reduction);

    out->req_bytes = q;
    out->rep_bytes = r;
    out->bytes = q + r;
    /* the instance interface: the host GROs the client's segments into guest-sized packets
     * for an offloading guest; a guest without offload gets the wire segments, which the
     * client cuts at the MSS the guest advertised (min of both MSS) */
    out->inst_pkts[EV_DIR_TX] = pi->offload ? ev_model__ceil(q / seg_g)
                                            : ev_model__ceil(q / fmin(seg_g, mss_c));
    out->inst_pkts[EV_DIR_RX] = ev_model__ceil(r / seg_g);
    /* pure ACKs of messages of more than one segment (ev_model.h): a reply's ACKs go to the
     * guest, a request's come from it */
    {
        double mq = pi->offload ? mss_c : fmin(seg_g, mss_c), mr = pi->offload ? mss_c : seg_g;
        double kq = ev_model__ceil(q / mq), kr = ev_model__ceil(r / mr);
        out->multiseg_req = kq > 1 ? 1.0 : 0.0;
        out->multiseg_rep = kr > 1 ? 1.0 : 0.0;
        acks[EV_DIR_RX] = kq > 1 ? pi->ack_pkts_per_msg + pi->ack_pkts_per_seg * (kq - 1) : 0;
        acks[EV_DIR_TX] = kr > 1 ? pi->ack_pkts_per_msg + pi->ack_pkts_per_seg * (kr - 1) : 0;
    }
    out->packets = out->inst_pkts[EV_DIR_TX] + out->inst_pkts[EV_DIR_RX];
    /* a guest without TSO/GRO handles every packet of a multi-packet message in software:
     * the segments beyond the first of the request (no GRO) and of the reply (no TSO) */
    out->segments = pi->offload ? 0
                                : (out->inst_pkts[EV_DIR_TX] - 1) + (out->inst_pkts[EV_DIR_RX] - 1);
    /* the NIC: requests arrive in client segments, replies leave in NIC-cut segments
     * (offload) or in the guest's own segments */
    nrx_w = pi->offload ? ev_model__ceil(q / mss_c) : out->inst_pkts[EV_DIR_TX];
    ntx_w = pi->offload ? ev_model__ceil(r / mss_w) : out->inst_pkts[EV_DIR_RX];
    out->nic_pkts[EV_DIR_RX] = nrx_w;
    out->nic_pkts[EV_DIR_TX] = ntx_w;
    /* the ACKs cross both interfaces as header-only packets */
    out->inst_pkts[EV_DIR_RX] += acks[EV_DIR_RX];
    out->inst_pkts[EV_DIR_TX] += acks[EV_DIR_TX];
    out->nic_pkts[EV_DIR_TX] += acks[EV_DIR_RX]; /* the guest's ACKs leave through the NIC */
    out->nic_pkts[EV_DIR_RX] += acks[EV_DIR_TX];
    out->packets += acks[EV_DIR_RX] + acks[EV_DIR_TX];
    nrx_w += acks[EV_DIR_TX];
    ntx_w += acks[EV_DIR_RX];
    out->inst_bytes[EV_DIR_TX] = q + out->inst_pkts[EV_DIR_TX] * (h + pi->instance_l2_bytes);
    out->inst_bytes[EV_DIR_RX] = r + out->inst_pkts[EV_DIR_RX] * (h + pi->instance_l2_bytes);
    out->nic_bytes[EV_DIR_RX] = q + nrx_w * (h + EV_ETH_HDR_BYTES);
    out->nic_bytes[EV_DIR_TX] = r + ntx_w * (h + EV_ETH_HDR_BYTES);
    out->wire_bytes[EV_DIR_RX] = q + nrx_w * (h + EV_ETH_WIRE_BYTES);
    out->wire_bytes[EV_DIR_TX] = r + ntx_w * (h + EV_ETH_WIRE_BYTES);
    return EV_OK;
}

/* The design row of one request: [is_get, is_set, packets, segments, request bytes,
 * reply bytes, request spans > 1 segment, reply spans > 1 segment]. */
static void ev_model__row(double row[EV_NPARAM], ev_op op, const ev_counts *c)
{
    row[EV_PARAM_FIXED_GET] = op == EV_OP_GET ? 1.0 : 0.0;
    row[EV_PARAM_FIXED_SET] = op == EV_OP_SET ? 1.0 : 0.0;
    row[EV_PARAM_PER_PACKET] = c->packets;
    row[EV_PARAM_PER_SEGMENT] = c->segments;
    row[EV_PARAM_PER_BYTE_IN] = c->req_bytes;
    row[EV_PARAM_PER_BYTE_OUT] = c->rep_bytes;
    row[EV_PARAM_PER_MULTISEG_IN] = c->multiseg_req;
    row[EV_PARAM_PER_MULTISEG_OUT] = c->multiseg_rep;
}

void ev_model__design_row(double row[EV_NPARAM], ev_op op, const ev_counts *c)
{
    ev_model__row(row, op, c);
}

/* x' C x, with gsl_multifit_linear_est (which also returns x'beta, unused here). */
static int ev_model__row_var(double *var, const double row[EV_NPARAM], const ev_param_set *ps)
{
    double y, yerr;
    gsl_vector_const_view x = gsl_vector_const_view_array(row, EV_NPARAM);
    gsl_vector_const_view b = gsl_vector_const_view_array(ps->value, EV_NPARAM);
    gsl_matrix_const_view c = gsl_matrix_const_view_array(ps->cov, EV_NPARAM, EV_NPARAM);
    int st;
    gsl_set_error_handler_off();
    st = gsl_multifit_linear_est(&x.vector, &b.vector, &c.matrix, &y, &yerr);
    if (st != GSL_SUCCESS)
        return EV_EMODEL;
    *var = yerr * yerr;
    return EV_OK;
}

static int ev_model__predict(ev_prediction *out, const ev_model *m, const ev_mplatform *p,
                             const ev_platform_info *pi, const ev_mix_item *mix, size_t nmix,
                             const ev_conditions *cond, ev_error *err)
{
    double wsum = 0, row[EV_NPARAM] = { 0 }, dtot = 0, var = 0, sd, d_lo, d_hi;
    double wire[2] = { 0, 0 }, ibytes[2] = { 0, 0 }, ipk[2] = { 0, 0 }, nbytes[2] = { 0, 0 },
           npk[2] = { 0, 0 }, npar;
    double big = HUGE_VAL, xlo_cpu, xhi_cpu, xlo_cl, xhi_cl, util;
    size_t i;
    int c, j, d, rc;

    memset(out, 0, sizeof *out);
    if (!mix || nmix == 0)
        return ev_error_set(err, EV_EINVAL, "empty mix");
    if (!(cond->clients >= 1) || !(cond->pipeline >= 1))
        return ev_error_set(err, EV_EINVAL, "clients and pipeline must be >= 1");
    if (!(cond->link_rate_bps >= 0))
        return ev_error_set(err, EV_EINVAL, "link rate must be >= 0 (0 = unlimited)");
    for (i = 0; i < nmix; i++) {
        if (!(mix[i].weight >= 0) || !isfinite(mix[i].weight))
            return ev_error_set(err, EV_EINVAL, "mix item %zu: weight must be >= 0", i);
        if (!(mix[i].value_size > 0))
            return ev_error_set(err, EV_EINVAL, "mix item %zu: value size must be > 0", i);
        wsum += mix[i].weight;
    }
    if (!(wsum > 0))
        return ev_error_set(err, EV_EINVAL, "mix weights sum to 0");

    /* a mix adds demands and bytes weighted by frequency */
    for (i = 0; i < nmix; i++) {
        ev_counts k;
        double r1[EV_NPARAM], w = mix[i].weight / wsum;
        rc = ev_model_counts(&k, pi, mix[i].op, mix[i].value_size, cond, err);
        if (rc)
            return rc;
        ev_model__row(r1, mix[i].op, &k);
        for (j = 0; j < EV_NPARAM; j++)
            row[j] += w * r1[j];
        for (d = 0; d < 2; d++) {
            wire[d] += w * k.wire_bytes[d];
            ibytes[d] += w * k.inst_bytes[d];
            ipk[d] += w * k.inst_pkts[d];
            nbytes[d] += w * k.nic_bytes[d];
            npk[d] += w * k.nic_pkts[d];
        }
    }
    out->packets_per_req = row[EV_PARAM_PER_PACKET];
    out->segments_per_req = row[EV_PARAM_PER_SEGMENT];
    out->bytes_per_req = row[EV_PARAM_PER_BYTE_IN] + row[EV_PARAM_PER_BYTE_OUT];
    memcpy(out->row, row, sizeof out->row);
    out->wire_bytes_per_req = fmax(wire[0], wire[1]);
    for (d = 0; d < 2; d++) {
        out->pkt_bytes[EV_ROLE_INSTANCE][d] = ipk[d] > 0 ? ibytes[d] / ipk[d] : 0;
        out->pkt_bytes[EV_ROLE_NIC][d] = npk[d] > 0 ? nbytes[d] / npk[d] : 0;
    }

    for (c = 0; c < EV_NCAT; c++) {
        double dc = 0, v;
        for (j = 0; j < EV_NPARAM; j++)
            dc += row[j] * p->ps[c].value[j];
        if (dc < 0)
            dc = 0; /* a demand cannot be negative (fits of noisy data can dip below) */
        out->demand_s[c] = dc;
        dtot += dc;
        rc = ev_model__row_var(&v, row, &p->ps[c]);
        if (rc)
            return ev_error_set(err, rc, "platform %s: gsl_multifit_linear_est failed", p->id);
        var += v; /* the categories are fitted independently */
    }
    if (!(dtot > 0))
        return ev_error_set(err, EV_EMODEL, "platform %s: total CPU demand is not positive",
                            p->id);
    npar = cond->clients * cond->pipeline;
    util = pi->utilization > 0 && pi->utilization <= 1 ? pi->utilization : 1.0;
    out->x_cpu = util / dtot;
    out->x_wire = cond->link_rate_bps > 0 ? cond->link_rate_bps / 8.0 / out->wire_bytes_per_req
                                          : big;
    out->x_client = npar / (m->client_rtt_s + dtot);
    out->bound = EV_BOUND_CPU;
    out->rps = out->x_cpu;
    if (out->x_wire < out->rps) {
        out->rps = out->x_wire;
        out->bound = EV_BOUND_WIRE;
    }
    if (out->x_client < out->rps) {
        out->rps = out->x_client;
        out->bound = EV_BOUND_CLIENT;
    }
    out->bound_cat = 0;
    for (c = 1; c < EV_NCAT; c++)
        if (out->demand_s[c] > out->demand_s[out->bound_cat])
            out->bound_cat = c;
    for (c = 0; c < EV_NCAT; c++)
        out->cpu[c] = 100.0 * out->rps * out->demand_s[c];

    /* 95 % interval, delta method on X = 1/D */
    sd = sqrt(var);
    d_hi = dtot + 1.959963984540054 * sd;
    d_lo = fmax(dtot - 1.959963984540054 * sd, 1e-12);
    xlo_cpu = util / d_hi;
    xhi_cpu = util / d_lo;
    xlo_cl = npar / (m->client_rtt_s + d_hi);
    xhi_cl = npar / (m->client_rtt_s + d_lo);
    out->rps_lo = fmin(fmin(xlo_cpu, out->x_wire), xlo_cl);
    out->rps_hi = fmin(fmin(xhi_cpu, out->x_wire), xhi_cl);
    return EV_OK;
}

int ev_model_predict(ev_prediction *out, const ev_model *m, size_t p,
                     const ev_mix_item *mix, size_t nmix, const ev_conditions *cond,
                     ev_error *err)
{
    if (!m || !out || !cond)
        return ev_error_set(err, EV_EINVAL, "NULL argument");
    if (p >= m->np)
        return ev_error_set(err, EV_EINVAL, "platform index %zu out of range (%zu platforms)",
                            p, m->np);
    return ev_model__predict(out, m, &m->plat[p], &m->plat[p].info, mix, nmix, cond, err);
}

/* ---------------------------------------------------------------- draws */

int ev_model_draw(ev_model *draw, const ev_model *m, void *rng, ev_error *err)
{
    size_t i;
    int c, j, k;
    if (!draw || !m || !rng || draw->np != m->np)
        return ev_error_set(err, EV_EINVAL, "draw must be a clone of the model");
    for (i = 0; i < m->np; i++) {
        for (c = 0; c < EV_NCAT; c++) {
            const ev_param_set *ps = &m->plat[i].ps[c];
            ev_param_set *out = &draw->plat[i].ps[c];
            int idx[EV_NPARAM], nf = 0, st;
            double L[EV_NPARAM * EV_NPARAM], z[EV_NPARAM], x[EV_NPARAM];
            /* only the identified parameters vary; fixed ones keep their prior value */
            for (j = 0; j < EV_NPARAM; j++)
                if (ps->identified[j] && ps->cov[j * EV_NPARAM + j] > 0)
                    idx[nf++] = j;
            *out = *ps;
            if (nf == 0)
                continue;
            for (j = 0; j < nf; j++)
                for (k = 0; k < nf; k++)
                    L[j * nf + k] = ps->cov[idx[j] * EV_NPARAM + idx[k]];
            {
                gsl_matrix_view Lv = gsl_matrix_view_array(L, (size_t)nf, (size_t)nf);
                gsl_vector_view mu = gsl_vector_view_array(z, (size_t)nf);
                gsl_vector_view xv = gsl_vector_view_array(x, (size_t)nf);
                gsl_set_error_handler_off();
                for (j = 0; j < nf; j++)
                    z[j] = ps->value[idx[j]];
                /* a covariance that is only positive semi-definite (collinear data): add a
                 * relative jitter to the diagonal before giving up */
                st = gsl_linalg_cholesky_decomp1(&Lv.matrix);
                if (st != GSL_SUCCESS) {
                    for (j = 0; j < nf; j++)
                        for (k = 0; k < nf; k++)
                            L[j * nf + k] = ps->cov[idx[j] * EV_NPARAM + idx[k]] +
                                            (j == k ? 1e-9 * ps->cov[idx[j] * EV_NPARAM + idx[j]]
                                                    : 0);
                    st = gsl_linalg_cholesky_decomp1(&Lv.matrix);
                }
                if (st == GSL_SUCCESS)
                    st = gsl_ran_multivariate_gaussian((const gsl_rng *)rng, &mu.vector,
                                                       &Lv.matrix, &xv.vector);
                if (st != GSL_SUCCESS)
                    return ev_error_set(err, EV_EMODEL, "platform %s, %s: cannot draw: %s",
                                        m->plat[i].id, ev_cpu_names[c], gsl_strerror(st));
            }
            for (j = 0; j < nf; j++)
                out->value[idx[j]] = x[j];
        }
    }
    return EV_OK;
}
