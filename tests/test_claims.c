/* test_claims - the embedded default model reproduces every claim of the paper
 * (../shared/reference/paper/claims.md): prints `claim | paper | model | tolerance | ok` and
 * checks R1-R8 within 2 pp, C1-C5 within 1 pp, the orders of R9 and R10, and Table 2's packet
 * sizes within 5 %. Readings (data/paper/README.md):
 *  - "X% higher than the group" = ratio of group mean RPS, minus 1; "32 B - 1 KB" = ratio of
 *    the mean RPS over 32, 64 and 1024 B;
 *  - R7/R8: 1 - RPS_UK / RPS_LinuxVM averaged over 4 KB and 16 KB, for GET and SET each;
 *  - C1-C5: differences of group means of CPU percent of one core at 64 B;
 *  - Table 2 (GET): the reply direction, as the gateway's counters see it: "in-host instance"
 *    = average size of the packets the guest sends (the tap's rx counters), "NIC" = average
 *    size of the packets eth0 transmits; L2 header included where the interface counts it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ev_model.h"
#include "ev_test.h"

enum { K = 0, UV, UI, F, L, NPLAT };
static const char *const ids[NPLAT] = { "kata", "unikraft-vhost", "unikraft-virtio",
                                        "firecracker", "linuxvm" };
static ev_model *m;
static int pidx[NPLAT];

static ev_prediction pred(int p, int op, double size)
{
    ev_conditions cond = EV_CONDITIONS_INIT;
    ev_mix_item it = { (ev_op)op, size, 1 };
    ev_prediction pr;
    ev_error err = EV_ERROR_INIT;
    memset(&pr, 0, sizeof pr);
    if (ev_model_predict(&pr, m, (size_t)pidx[p], &it, 1, &cond, &err) != EV_OK)
        fprintf(stderr, "predict %s: %s\n", ids[p], err.msg);
    return pr;
}

static double rps(int p, int op, double size) { return pred(p, op, size).rps; }

static double mean_low(int p, int op)
{
    return (rps(p, op, 32) + rps(p, op, 64) + rps(p, op, 1024)) / 3;
}

static void row(const char *claim, const char *unit, double paper, double model, double tol,
                int relative)
{
    double dev = relative ? fabs(model / paper - 1) : fabs(model - paper);
    int ok = dev <= tol;
    printf("%-34s | %10.2f %-3s | %10.2f %-3s | %s %g%s | %s\n", claim, paper, unit, model, unit,
           relative ? "+-" : "+-", relative ? tol * 100 : tol, relative ? " %" : " pp",
           ok ? "ok" : "FAIL");
    EV_CHECK_MSG(ok, "%s: paper %g, model %g", claim, paper, model);
}

static void order(const char *claim, int ok, const char *what)
{
    printf("%-34s | %-14s | %-14s | order | %s\n", claim, what, ok ? "holds" : "broken",
           ok ? "ok" : "FAIL");
    EV_CHECK_MSG(ok, "%s: %s", claim, what);
}

int main(void)
{
    ev_error err = EV_ERROR_INIT;
    int p, o, k;
    static const char *const opn[2] = { "GET", "SET" };
    static const double r12[2] = { 75.11, 78.61 }, r34[2] = { 4.25, 10.03 },
                        r56[2] = { 20.88, 15.7 };
    static const double c1[2] = { 7.3, 7.8 }, c2[2] = { -6.5, -6.5 }, c3[2] = { -28.8, -16.7 },
                        c4[2] = { 4.8, 7.7 }, c5[2] = { 23.5, 19.2 };
    char name[64];

    EV_CHECK(ev_model_default(&m, &err) == EV_OK);
    if (!m) {
        fprintf(stderr, "embedded model: %s\n", err.msg);
        return 1;
    }
    for (p = 0; p < NPLAT; p++) {
        pidx[p] = ev_model_find(m, ids[p]);
        EV_CHECK_MSG(pidx[p] >= 0, "platform %s missing", ids[p]);
        if (pidx[p] < 0)
            return ev_test_done();
    }
    printf("%-34s | %-14s | %-14s | tolerance | ok\n", "claim", "paper", "model");
    for (o = 0; o < 2; o++) {
        double vh = (rps(K, o, 64) + rps(UV, o, 64)) / 2;
        double vi = (rps(UI, o, 64) + rps(F, o, 64) + rps(L, o, 64)) / 3;
        snprintf(name, sizeof name, "R%d %s 64B vhost/virtio", 1 + o, opn[o]);
        row(name, "%", r12[o], 100 * (vh / vi - 1), 2, 0);
    }
    for (o = 0; o < 2; o++) {
        snprintf(name, sizeof name, "R%d %s 32B-1KB Kata/UK-vhost", 3 + o, opn[o]);
        row(name, "%", r34[o], 100 * (mean_low(K, o) / mean_low(UV, o) - 1), 2, 0);
    }
    for (o = 0; o < 2; o++) {
        snprintf(name, sizeof name, "R%d %s 32B-1KB UKvirtio/(FC,LVM)", 5 + o, opn[o]);
        row(name, "%", r56[o],
            100 * (mean_low(UI, o) / ((mean_low(F, o) + mean_low(L, o)) / 2) - 1), 2, 0);
        for (k = 0; k < 3; k++) {
            static const double s[3] = { 32, 64, 1024 };
            snprintf(name, sizeof name, "R%d %s %gB UKvirtio>FC>LVM", 5 + o, opn[o], s[k]);
            order(name, rps(UI, o, s[k]) > rps(F, o, s[k]) && rps(F, o, s[k]) > rps(L, o, s[k]),
                  "UI > FC > LVM");
        }
    }
    for (o = 0; o < 2; o++) {
        double d7 = 0, d8 = 0;
        for (k = 0; k < 2; k++) {
            double s = k ? 16384 : 4096;
            d7 += (1 - rps(UI, o, s) / rps(L, o, s)) / 2;
            d8 += (1 - rps(UV, o, s) / rps(L, o, s)) / 2;
        }
        snprintf(name, sizeof name, "R7 %s >MTU 1-UKvirtio/LVM", opn[o]);
        row(name, "%", 69.2, 100 * d7, 2, 0);
        snprintf(name, sizeof name, "R8 %s >MTU 1-UKvhost/LVM", opn[o]);
        row(name, "%", 31.68, 100 * d8, 2, 0);
    }
    for (o = 0; o < 2; o++) {
        static const double all[5] = { 32, 64, 1024, 4096, 16384 };
        for (k = 0; k < 5; k++) {
            double s = all[k];
            int ok;
            if (k < 3) {
                ok = 1;
                for (p = 0; p < NPLAT; p++)
                    if (p != L && !(rps(p, o, s) > rps(L, o, s)))
                        ok = 0;
                snprintf(name, sizeof name, "R9 %s %gB LinuxVM slowest", opn[o], s);
                order(name, ok, "LVM slowest");
            } else {
                ok = rps(UI, o, s) < rps(L, o, s) && rps(UV, o, s) < rps(L, o, s);
                snprintf(name, sizeof name, "R9 %s %gB both UK below LVM", opn[o], s);
                order(name, ok, "UK < LVM");
                ok = (rps(K, o, s) > rps(F, o, s)) == (rps(K, o, 64) > rps(F, o, 64));
                snprintf(name, sizeof name, "R10 %s %gB Kata vs FC kept", opn[o], s);
                order(name, ok, rps(K, o, 64) > rps(F, o, 64) ? "Kata > FC" : "FC > Kata");
            }
        }
    }
    for (o = 0; o < 2; o++) {
        ev_prediction pr[NPLAT];
        double d;
        for (p = 0; p < NPLAT; p++)
            pr[p] = pred(p, o, 64);
#define M2(a, b, c) ((pr[a].cpu[c] + pr[b].cpu[c]) / 2)
#define M3(a, b, d_, c) ((pr[a].cpu[c] + pr[b].cpu[c] + pr[d_].cpu[c]) / 3)
        d = M3(UI, F, L, 0) - M2(K, UV, 0);
        snprintf(name, sizeof name, "C1 %s user virtio-vhost", opn[o]);
        row(name, "pp", c1[o], d, 1, 0);
        d = pr[F].cpu[0] - M2(UI, L, 0);
        snprintf(name, sizeof name, "C2 %s user FC-(UKvirtio,LVM)", opn[o]);
        row(name, "pp", c2[o], d, 1, 0);
        d = M2(UI, UV, 1) - M3(K, F, L, 1);
        snprintf(name, sizeof name, "C3 %s system UK-others", opn[o]);
        row(name, "pp", c3[o], d, 1, 0);
        d = M2(K, UV, 2) - M3(UI, F, L, 2);
        snprintf(name, sizeof name, "C4 %s softirq vhost-virtio", opn[o]);
        row(name, "pp", c4[o], d, 1, 0);
        d = M2(UI, UV, 3) - M3(K, F, L, 3);
        snprintf(name, sizeof name, "C5 %s guest UK-others", opn[o]);
        row(name, "pp", c5[o], d, 1, 0);
    }
    {
        /* Table 2: [size][role] for Kata, UK-vhost, UK-virtio, Firecracker */
        static const double t2[2][2][4] = { { { 123, 124, 124, 137 }, { 137, 124, 124, 137 } },
                                            { { 8250, 1224, 1224, 8263 },
                                              { 1327, 1225, 1225, 1327 } } };
        static const int cols[4] = { K, UV, UI, F };
        int s, r, c;
        for (s = 0; s < 2; s++)
            for (r = 0; r < 2; r++)
                for (c = 0; c < 4; c++) {
                    ev_prediction q = pred(cols[c], EV_OP_GET, s ? 16384 : 64);
                    double v = r == 0 ? q.pkt_bytes[EV_ROLE_INSTANCE][EV_DIR_RX]
                                      : q.pkt_bytes[EV_ROLE_NIC][EV_DIR_TX];
                    snprintf(name, sizeof name, "T2 GET %s %s %s", s ? "16KB" : "64B",
                             r ? "NIC" : "instance", ids[cols[c]]);
                    row(name, "B", t2[s][r][c], v, 0.05, 1);
                }
    }
    ev_model_free(m);
    return ev_test_done();
}
