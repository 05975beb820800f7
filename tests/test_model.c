/* test_model - libedgevirt-model without fitting: packet counting against hand-computed RESP
 * and wire arithmetic, prediction laws (X = min of bounds, U = X*D, mixes add demands),
 * model file round trip and strict loading, the embedded default, parameter draws. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "ev_model.h"
#include "ev_test.h"

static void test_counts(void)
{
    ev_platform_info kata, uk, fc;
    ev_conditions cond = EV_CONDITIONS_INIT;
    ev_counts c;
    ev_error err = EV_ERROR_INIT;

    ev_model_platform_defaults(&kata, "kata", EV_PATH_VHOST, "linux", 1);
    ev_model_platform_defaults(&uk, "unikraft-vhost", EV_PATH_VHOST, "lwip", 0);
    ev_model_platform_defaults(&fc, "firecracker", EV_PATH_VIRTIO, "linux", 1);
    EV_CHECK_NEAR(kata.guest_pkt_bytes, 8250, 0);
    EV_CHECK_NEAR(uk.guest_pkt_bytes, 1224, 0);
    EV_CHECK(uk.offload == 0 && kata.offload == 1 && kata.path == EV_PATH_VHOST);

    /* GET 64 B: request 36 B, reply 64 + 5 + 2 = 71 B (anchors.md) */
    EV_CHECK(ev_model_counts(&c, &kata, EV_OP_GET, 64, &cond, &err) == EV_OK);
    EV_CHECK_NEAR(c.req_bytes, 36, 0);
    EV_CHECK_NEAR(c.rep_bytes, 71, 0);
    EV_CHECK_NEAR(c.packets, 2, 0);
    EV_CHECK_NEAR(c.segments, 0, 0);
    EV_CHECK_NEAR(c.bytes, 107, 0);
    /* reply on the link: 71 + 52 TCP/IP + 38 Ethernet */
    EV_CHECK_NEAR(c.wire_bytes[EV_DIR_TX], 161, 1e-9);
    /* Kata's instance counter sees IP packets (123 B), the NIC adds 14 B (137 B) */
    EV_CHECK_NEAR(c.inst_bytes[EV_DIR_RX] / c.inst_pkts[EV_DIR_RX], 123, 1e-9);
    EV_CHECK_NEAR(c.nic_bytes[EV_DIR_TX] / c.nic_pkts[EV_DIR_TX], 137, 1e-9);

    /* GET 16 KB with offload: two ~8 KB packets to the host, 13 frames on the NIC */
    EV_CHECK(ev_model_counts(&c, &fc, EV_OP_GET, 16384, &cond, &err) == EV_OK);
    EV_CHECK_NEAR(c.rep_bytes, 16394, 0);
    EV_CHECK_NEAR(c.inst_pkts[EV_DIR_RX], 2, 0);
    EV_CHECK_NEAR(c.nic_pkts[EV_DIR_TX], 13, 0);
    EV_CHECK_NEAR(c.inst_bytes[EV_DIR_RX] / 2, 8263, 1e-9);
    /* the wire bound of anchors.md: 125e6 B/s / 16 KB reply ~ 7.1k requests/s */
    EV_CHECK(125e6 / c.wire_bytes[EV_DIR_TX] > 7000 && 125e6 / c.wire_bytes[EV_DIR_TX] < 7200);

    /* lwIP: 1184 B segments both ways (its MSS limits the client too) */
    EV_CHECK(ev_model_counts(&c, &uk, EV_OP_GET, 16384, &cond, &err) == EV_OK);
    EV_CHECK_NEAR(c.inst_pkts[EV_DIR_RX], 14, 0);
    EV_CHECK_NEAR(c.segments, 13, 0);
    EV_CHECK_NEAR(c.packets, c.segments + 2, 0);
    EV_CHECK(ev_model_counts(&c, &uk, EV_OP_SET, 16384, &cond, &err) == EV_OK);
    EV_CHECK_NEAR(c.req_bytes, 16430, 0); /* s + 41 + 5 */
    EV_CHECK_NEAR(c.inst_pkts[EV_DIR_TX], 14, 0);
    EV_CHECK_NEAR(c.inst_pkts[EV_DIR_RX], 1, 0);
    /* a smaller MTU cuts lwIP's segments further */
    cond.mtu = 576;
    EV_CHECK(ev_model_counts(&c, &uk, EV_OP_GET, 16384, &cond, &err) == EV_OK);
    EV_CHECK_NEAR(c.inst_pkts[EV_DIR_RX], ceil(16394.0 / 536), 0);
    /* an MTU too small for the headers is refused */
    cond.mtu = 40;
    EV_CHECK(ev_model_counts(&c, &uk, EV_OP_GET, 64, &cond, &err) == EV_EINVAL);
    EV_CHECK(strstr(err.msg, "mtu") != NULL);
    /* infinite sizes and MTUs are refused (an infinite size used to hang the digit count) */
    cond.mtu = 1500;
    EV_CHECK(ev_model_counts(&c, &uk, EV_OP_GET, HUGE_VAL, &cond, &err) == EV_EINVAL);
    cond.key_size = HUGE_VAL;
    EV_CHECK(ev_model_counts(&c, &uk, EV_OP_GET, 64, &cond, &err) == EV_EINVAL);
    cond.key_size = 16;
    cond.mtu = HUGE_VAL;
    EV_CHECK(ev_model_counts(&c, &uk, EV_OP_GET, 64, &cond, &err) == EV_EINVAL);
}

/* Pure ACKs (ack_pkts_per_msg / ack_pkts_per_seg, docs/model.md "ACK packets"): counted as
 * packets on both interfaces, never as segments, only for messages of more than one segment. */
static void test_counts_acks(void)
{
    ev_platform_info d, sw;
    ev_conditions cond = EV_CONDITIONS_INIT;
    ev_counts c, c0;
    ev_error err = EV_ERROR_INIT;
    ev_model_platform_defaults(&d, "tb-direct", EV_PATH_VHOST, "linux", 1);
    d.guest_pkt_bytes = 65536;
    d.tcp_header_bytes = 52;
    EV_CHECK(ev_model_counts(&c0, &d, EV_OP_GET, 2048, &cond, &err) == EV_OK);
    EV_CHECK_NEAR(c0.packets, 2, 0); /* no ACK inputs: one packet each way */
    d.ack_pkts_per_msg = 1;
    /* GET 2 KB: the 2058 B reply is 2 client segments (MSS 1448): the client ACKs once */
    EV_CHECK(ev_model_counts(&c, &d, EV_OP_GET, 2048, &cond, &err) == EV_OK);
    EV_CHECK_NEAR(c.packets, 3, 0);
    EV_CHECK_NEAR(c.segments, 0, 0);
    EV_CHECK_NEAR(c.inst_pkts[EV_DIR_TX] + c.inst_pkts[EV_DIR_RX], 3, 0);
    EV_CHECK_NEAR(c.nic_pkts[EV_DIR_TX] + c.nic_pkts[EV_DIR_RX],
                  c0.nic_pkts[EV_DIR_TX] + c0.nic_pkts[EV_DIR_RX] + 1, 0);
    /* the ACK is header only: 52 + 14 B more on the instance counters */
    EV_CHECK_NEAR(c.inst_bytes[EV_DIR_TX] + c.inst_bytes[EV_DIR_RX] -
                  c0.inst_bytes[EV_DIR_TX] - c0.inst_bytes[EV_DIR_RX], 66, 1e-9);
    /* GET 1 KB fits one segment: no pure ACK */
    EV_CHECK(ev_model_counts(&c, &d, EV_OP_GET, 1024, &cond, &err) == EV_OK);
    EV_CHECK_NEAR(c.packets, 2, 0);

    /* software segmentation: SET 16 KB is 14 segments of 1224 B; 0.9 + 0.08 * 13 ACKs */
    ev_model_platform_defaults(&sw, "tb-swseg", EV_PATH_VHOST, "linux", 0);
    sw.guest_pkt_bytes = 1276;
    sw.tcp_header_bytes = 52;
    sw.ack_pkts_per_msg = 0.9;
    sw.ack_pkts_per_seg = 0.08;
    EV_CHECK(ev_model_counts(&c, &sw, EV_OP_SET, 16384, &cond, &err) == EV_OK);
    EV_CHECK_NEAR(c.segments, 13, 0);
    EV_CHECK_NEAR(c.packets, 14 + 1 + 0.9 + 0.08 * 13, 1e-12);
}

/* A model with one platform whose per-request demands are known exactly. */
static ev_model *make_model(double fixed_get, double per_byte)
{
    ev_model *m = NULL;
    ev_platform_info pi;
    int c;
    ev_model_platform_defaults(&pi, "kata", EV_PATH_VHOST, "linux", 1);
    if (ev_model_new(&m, "test", EV_SOURCE_MEASURED, 0.001) != EV_OK)
        return NULL;
    if (ev_model_add_platform(m, &pi, NULL) != EV_OK)
        return NULL;
    for (c = 0; c < EV_NCAT; c++) {
        ev_param_set ps;
        int j;
        memset(&ps, 0, sizeof ps);
        ps.scale = 1;
        ps.value[EV_PARAM_FIXED_GET] = fixed_get * (c + 1);  /* 1:2:3:4 split */
        ps.value[EV_PARAM_FIXED_SET] = 2 * fixed_get * (c + 1);
        ps.value[EV_PARAM_PER_BYTE_IN] = per_byte;
        ps.value[EV_PARAM_PER_BYTE_OUT] = per_byte;
        for (j = 0; j < EV_NPARAM; j++) {
            ps.identified[j] = 1;
            ps.cov[j * EV_NPARAM + j] = pow(0.05 * ps.value[j], 2);
        }
        ev_model_set_params(m, 0, c, &ps);
    }
    return m;
}

static void test_predict(void)
{
    ev_model *m = make_model(1e-5, 0);
    ev_conditions cond = EV_CONDITIONS_INIT;
    ev_prediction p, pg, ps;
    ev_mix_item get = { EV_OP_GET, 64, 1 }, set = { EV_OP_SET, 64, 1 };
    ev_mix_item mix[2] = { { EV_OP_GET, 64, 3 }, { EV_OP_SET, 64, 1 } };
    ev_error err = EV_ERROR_INIT;
    double d;
    int c;

    EV_CHECK(m != NULL);
    if (!m)
        return;
    EV_CHECK(ev_model_predict(&p, m, 0, &get, 1, &cond, &err) == EV_OK);
    /* D = 1e-5 * (1+2+3+4) = 1e-4 s -> 10,000 rps, CPU-bound in guest (largest demand) */
    EV_CHECK_NEAR(p.x_cpu, 10000, 1e-6);
    EV_CHECK_NEAR(p.rps, 10000, 1e-6);
    EV_CHECK(p.bound == EV_BOUND_CPU && p.bound_cat == EV_CPU_GUEST);
    EV_CHECK_STR(ev_bound_name(p.bound, p.bound_cat), "cpu:guest");
    for (c = 0; c < EV_NCAT; c++)
        EV_CHECK_NEAR(p.cpu[c], 100 * p.rps * 1e-5 * (c + 1), 1e-9);
    EV_CHECK_NEAR(p.x_client, 50 / (0.001 + 1e-4), 1e-6);
    EV_CHECK(p.rps_lo < p.rps && p.rps < p.rps_hi);

    /* a mix adds demands weighted by frequency: harmonic, not an average of RPS */
    EV_CHECK(ev_model_predict(&pg, m, 0, &get, 1, &cond, &err) == EV_OK);
    EV_CHECK(ev_model_predict(&ps, m, 0, &set, 1, &cond, &err) == EV_OK);
    EV_CHECK(ev_model_predict(&p, m, 0, mix, 2, &cond, &err) == EV_OK);
    d = 0.75 / pg.x_cpu + 0.25 / ps.x_cpu;
    EV_CHECK_NEAR(p.x_cpu, 1 / d, 1e-6);
    EV_CHECK(fabs(p.x_cpu - (0.75 * pg.x_cpu + 0.25 * ps.x_cpu)) > 1);

    /* the client bound binds with few clients */
    cond.clients = 1;
    EV_CHECK(ev_model_predict(&p, m, 0, &get, 1, &cond, &err) == EV_OK);
    EV_CHECK(p.bound == EV_BOUND_CLIENT);
    EV_CHECK_STR(ev_bound_name(p.bound, 0), "client");
    EV_CHECK_NEAR(p.rps, 1 / (0.001 + 1e-4), 1e-6);
    /* the wire binds for 16 KB GETs when the CPU is fast */
    cond.clients = 50;
    get.value_size = 16384;
    ev_model_free(m);
    m = make_model(1e-6, 0);
    EV_CHECK(ev_model_predict(&p, m, 0, &get, 1, &cond, &err) == EV_OK);
    EV_CHECK(p.bound == EV_BOUND_WIRE);
    EV_CHECK_NEAR(p.rps, 125e6 / p.wire_bytes_per_req, 1e-6);
    EV_CHECK_NEAR(p.rps_lo, p.rps, 1e-9);
    /* link rate 0 = no wire bound */
    cond.link_rate_bps = 0;
    EV_CHECK(ev_model_predict(&p, m, 0, &get, 1, &cond, &err) == EV_OK);
    EV_CHECK(p.bound != EV_BOUND_WIRE);

    /* bad arguments */
    EV_CHECK(ev_model_predict(&p, m, 1, &get, 1, &cond, &err) == EV_EINVAL);
    EV_CHECK(ev_model_predict(&p, m, 0, &get, 0, &cond, &err) == EV_EINVAL);
    get.value_size = 0;
    EV_CHECK(ev_model_predict(&p, m, 0, &get, 1, &cond, &err) == EV_EINVAL);
    ev_model_free(m);
}

static void test_json(void)
{
    ev_model *m = make_model(1e-5, 1e-9), *b = NULL;
    char *t1 = NULL, *t2 = NULL;
    ev_error err = EV_ERROR_INIT;
    ev_param_set p1, p2;
    int j;

    ev_model_set_diag(m, 0, 10, 6, 0.5, "note one\nnote two");
    ev_model_add_dataset(m, "runs.jsonl", 10);
    /* hosts: the same host twice is one entry with the records summed, another kernel is new */
    EV_CHECK(ev_model_add_host(m, "gw", "6.1.0-rpi", "aarch64", "Cortex-A72", 6) == EV_OK);
    EV_CHECK(ev_model_add_host(m, "gw", "6.1.0-rpi", "aarch64", "Cortex-A72", 2) == EV_OK);
    EV_CHECK(ev_model_add_host(m, "gw", "6.6.0-rpi", "aarch64", NULL, 2) == EV_OK);
    EV_CHECK(ev_model_nhosts(m) == 2);
    EV_CHECK(ev_model_to_json(&t1, m) == EV_OK);
    EV_CHECK(ev_model_parse(&b, t1, "t.json", &err) == EV_OK);
    if (b) {
        ev_fit_diag d;
        EV_CHECK(ev_model_to_json(&t2, b) == EV_OK);
        EV_CHECK(t1 && t2 && strcmp(t1, t2) == 0);
        ev_model_params(&p1, m, 0, EV_CPU_SYSTEM);
        ev_model_params(&p2, b, 0, EV_CPU_SYSTEM);
        for (j = 0; j < EV_NPARAM; j++)
            EV_CHECK(p1.value[j] == p2.value[j]); /* %.17g round trip is exact */
        ev_model_diag(&d, b, 0);
        EV_CHECK_STR(d.notes, "note one\nnote two");
        EV_CHECK(d.points == 10 && d.dof == 6);
        EV_CHECK(ev_model_ndatasets(b) == 1);
        EV_CHECK(ev_model_nhosts(b) == 2);
        {
            ev_host_info h0, h1;
            EV_CHECK(ev_model_host(&h0, b, 0) == EV_OK && ev_model_host(&h1, b, 1) == EV_OK);
            EV_CHECK_STR(h0.kernel, "6.1.0-rpi");
            EV_CHECK_STR(h0.cpu, "Cortex-A72");
            EV_CHECK(h0.records == 8 && h1.records == 2);
            EV_CHECK_STR(h1.cpu, "");
            EV_CHECK(ev_model_host(&h0, b, 2) == EV_EINVAL);
        }
    }
    ev_model_free(b);
    b = NULL;

    /* malformed files: the error names the file and the field */
    {
        struct { const char *from, *to, *field; int code; } cases[] = {
            { "\"rtt_s\"", "\"rtt_x\"", "client.rtt_x", EV_ESCHEMA },
            { "\"edgevirt.model/1\"", "\"edgevirt.model/2\"", "schema", EV_ESCHEMA },
            { "\"ev-cost/3\"", "\"ev-cost/9\"", "structure", EV_ESCHEMA },
            { "\"guest_pkt_bytes\":\t8250", "\"guest_pkt_bytes\": \"big\"",
              "platforms[0].inputs.guest_pkt_bytes", EV_ESCHEMA },
            { "\"values\":\t[", "\"values\": [\"x\", ", "platforms[0].categories.user.values",
              EV_ESCHEMA },
            { "\"path\":\t\"vhost\"", "\"path\": \"tunnel\"", "platforms[0].path", EV_ESCHEMA },
            { "\"kernel\":\t\"6.6.0-rpi\"", "\"kernel\": 6", "hosts[1].kernel", EV_ESCHEMA },
            { "\"records\":\t8", "\"records\": -8", "hosts[0].records", EV_ESCHEMA },
        };
        size_t i;
        for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            char *bad, *at = strstr(t1, cases[i].from);
            size_t a, fl = strlen(cases[i].from), tl = strlen(cases[i].to);
            int rc;
            EV_CHECK_MSG(at != NULL, "case %zu: '%s' not in the serialised model", i,
                         cases[i].from);
            if (!at)
                continue;
            a = (size_t)(at - t1);
            bad = malloc(strlen(t1) + tl + 1);
            memcpy(bad, t1, a);
            memcpy(bad + a, cases[i].to, tl);
            strcpy(bad + a + tl, at + fl);
            rc = ev_model_parse(&b, bad, "bad.json", &err);
            EV_CHECK_MSG(rc == cases[i].code || (rc < 0 && rc > -100), "case %zu: rc %d", i, rc);
            EV_CHECK_MSG(ev_exit_code(rc) == 2, "case %zu", i);
            EV_CHECK_MSG(strstr(err.msg, "bad.json") && strstr(err.msg, cases[i].field),
                         "case %zu: message \"%s\" lacks file or \"%s\"", i, err.msg,
                         cases[i].field);
            EV_CHECK(b == NULL);
            free(bad);
        }
        EV_CHECK(ev_model_parse(&b, "{\"schema\":", "x.json", &err) == EV_EPARSE);
        EV_CHECK(strstr(err.msg, "x.json") != NULL);
        EV_CHECK(ev_model_load(&b, "/nonexistent/m.json", &err) == EV_ENOENT);
        /* save (atomic) and load back */
        {
            char path[] = "/tmp/ev_test_model_XXXXXX";
            int fd = mkstemp(path);
            char *t3 = NULL;
            EV_CHECK(fd >= 0);
            if (fd >= 0) {
                close(fd);
                EV_CHECK(ev_model_save(path, m, &err) == EV_OK);
                EV_CHECK_MSG(ev_model_load(&b, path, &err) == EV_OK, "%s", err.msg);
                if (b && ev_model_to_json(&t3, b) == EV_OK)
                    EV_CHECK(strcmp(t1, t3) == 0);
                free(t3);
                ev_model_free(b);
                b = NULL;
                unlink(path);
            }
        }
    }
    free(t1);
    free(t2);
    ev_model_free(m);
}

static void test_default(void)
{
    ev_model *m = NULL, *c = NULL;
    ev_error err = EV_ERROR_INIT;
    static const char *const ids[] = { "firecracker", "kata", "unikraft-vhost",
                                       "unikraft-virtio", "linuxvm" };
    size_t i;
    EV_CHECK_MSG(ev_model_default(&m, &err) == EV_OK, "%s", err.msg);
    if (!m)
        return;
    EV_CHECK(ev_model_source(m) == EV_SOURCE_RECONSTRUCTED);
    EV_CHECK_STR(ev_model_name(m), "paper-reconstructed");
    EV_CHECK(ev_model_nplatforms(m) == 5);
    for (i = 0; i < 5; i++)
        EV_CHECK_MSG(ev_model_find(m, ids[i]) >= 0, "%s", ids[i]);
    EV_CHECK(ev_model_find(m, "xen") == -1);
    EV_CHECK(ev_model_clone(&c, m) == EV_OK);
    if (c) {
        char *a = NULL, *b = NULL;
        ev_model_to_json(&a, m);
        ev_model_to_json(&b, c);
        EV_CHECK(a && b && strcmp(a, b) == 0);
        free(a);
        free(b);
    }
    ev_model_free(c);
    ev_model_free(m);
}

static void test_draw(void)
{
    ev_model *m = make_model(1e-5, 1e-9), *d = NULL;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    ev_error err = EV_ERROR_INIT;
    double sum = 0, sum2 = 0;
    int i, n = 2000, differs = 0;
    ev_param_set p0, pd;
    gsl_rng_set(rng, 42);
    ev_model_params(&p0, m, 0, EV_CPU_USER);
    EV_CHECK(ev_model_clone(&d, m) == EV_OK);
    for (i = 0; i < n && d; i++) {
        EV_CHECK(ev_model_draw(d, m, rng, &err) == EV_OK);
        ev_model_params(&pd, d, 0, EV_CPU_USER);
        sum += pd.value[EV_PARAM_FIXED_GET];
        sum2 += pd.value[EV_PARAM_FIXED_GET] * pd.value[EV_PARAM_FIXED_GET];
        differs += pd.value[EV_PARAM_FIXED_GET] != p0.value[EV_PARAM_FIXED_GET];
    }
    EV_CHECK(differs == n);
    /* mean within 4 standard errors, sd within 10 % of the 5 % given */
    EV_CHECK_NEAR(sum / n, 1e-5, 4 * 0.05e-5 / sqrt(n));
    EV_CHECK_NEAR(sqrt(sum2 / n - (sum / n) * (sum / n)), 0.05e-5, 0.1 * 0.05e-5);
    gsl_rng_free(rng);
    ev_model_free(d);
    ev_model_free(m);
}

/* A file of the first structure, "ev-cost/1" (one per_byte for both directions), is read with
 * per_byte_in = per_byte_out = per_byte and the covariance of per_byte copied to both, fully
 * correlated: the same demand and variance as the one-byte model for every request. */
static void test_v1_file(void)
{
    static const char cat[] =
        "{\"values\":[1e-5,2e-5,1e-6,0,3e-9],\"identified\":[true,true,true,false,true],"
        "\"covariance\":[[1e-14,0,0,0,0],[0,1e-14,0,0,0],[0,0,1e-16,0,0],[0,0,0,0,0],"
        "[0,0,0,0,4e-22]]}";
    char json[4096];
    ev_model *m = NULL;
    ev_error err = EV_ERROR_INIT;
    ev_param_set ps;
    ev_prediction pr;
    ev_conditions cond = EV_CONDITIONS_INIT;
    ev_mix_item get = { EV_OP_GET, 4096, 1 };
    ev_counts k;
    ev_platform_info pi;
    int c;
    snprintf(json, sizeof json,
             "{\"schema\":\"edgevirt.model/1\",\"structure\":\"ev-cost/1\",\"name\":\"old\","
             "\"source\":\"measured\",\"client\":{\"rtt_s\":0},"
             "\"parameter_names\":[\"fixed_get\",\"fixed_set\",\"per_packet\",\"per_segment\","
             "\"per_byte\"],\"platforms\":[{\"id\":\"kata\",\"path\":\"vhost\",\"stack\":\"linux\","
             "\"offload\":true,\"inputs\":{\"guest_pkt_bytes\":8250,\"tcp_header_bytes\":52,"
             "\"instance_l2_bytes\":0,\"nic_mss_reduction\":100},\"categories\":{\"user\":%s,"
             "\"system\":%s,\"softirq\":%s,\"guest\":%s}}]}", cat, cat, cat, cat);
    EV_CHECK_MSG(ev_model_parse(&m, json, "old.json", &err) == EV_OK, "%s", err.msg);
    if (!m)
        return;
    EV_CHECK(ev_model_params(&ps, m, 0, EV_CPU_USER) == EV_OK);
    EV_CHECK(ps.value[EV_PARAM_PER_BYTE_IN] == 3e-9 && ps.value[EV_PARAM_PER_BYTE_OUT] == 3e-9);
    EV_CHECK(ps.identified[EV_PARAM_PER_BYTE_IN] && ps.identified[EV_PARAM_PER_BYTE_OUT] &&
             !ps.identified[EV_PARAM_PER_SEGMENT]);
    EV_CHECK(ps.cov[EV_PARAM_PER_BYTE_IN * EV_NPARAM + EV_PARAM_PER_BYTE_OUT] == 4e-22 &&
             ps.cov[EV_PARAM_PER_BYTE_OUT * EV_NPARAM + EV_PARAM_PER_BYTE_OUT] == 4e-22 &&
             ps.cov[EV_PARAM_PER_BYTE_OUT * EV_NPARAM + EV_PARAM_FIXED_GET] == 0);
    /* the demand is the one-byte model's: 1e-5 + 1e-6 * packets + 3e-9 * all bytes */
    ev_model_platform(&pi, m, 0);
    EV_CHECK(ev_model_counts(&k, &pi, EV_OP_GET, 4096, &cond, &err) == EV_OK);
    EV_CHECK(ev_model_predict(&pr, m, 0, &get, 1, &cond, &err) == EV_OK);
    for (c = 0; c < EV_NCAT; c++)
        EV_CHECK_NEAR(pr.demand_s[c], 1e-5 + 1e-6 * k.packets + 3e-9 * k.bytes, 1e-18);
    ev_model_free(m);
    /* the five names belong to ev-cost/1 only */
    {
        char *at = strstr(json, "ev-cost/1");
        if (at)
            at[8] = '2';
        EV_CHECK(ev_model_parse(&m, json, "old.json", &err) == EV_ESCHEMA);
        EV_CHECK_MSG(strstr(err.msg, "parameter_names") != NULL, "%s", err.msg);
        ev_model_free(m);
    }
}

/* A file of the second structure, "ev-cost/2" (no multi-segment message costs), is read with
 * per_multiseg_in = per_multiseg_out = 0, not identified, without variance: the same demands
 * as before. */
static void test_v2_file(void)
{
    static const char cat[] =
        "{\"values\":[1e-5,2e-5,1e-6,0,3e-9,4e-9],\"identified\":[true,true,true,false,true,true],"
        "\"covariance\":[[1e-14,0,0,0,0,0],[0,1e-14,0,0,0,0],[0,0,1e-16,0,0,0],[0,0,0,0,0,0],"
        "[0,0,0,0,4e-22,0],[0,0,0,0,0,5e-22]]}";
    char json[4096];
    ev_model *m = NULL;
    ev_error err = EV_ERROR_INIT;
    ev_param_set ps;
    ev_prediction pr;
    ev_conditions cond = EV_CONDITIONS_INIT;
    ev_mix_item get = { EV_OP_GET, 4096, 1 };
    ev_counts k;
    ev_platform_info pi;
    int c, j;
    snprintf(json, sizeof json,
             "{\"schema\":\"edgevirt.model/1\",\"structure\":\"ev-cost/2\",\"name\":\"v2\","
             "\"source\":\"measured\",\"client\":{\"rtt_s\":0},"
             "\"parameter_names\":[\"fixed_get\",\"fixed_set\",\"per_packet\",\"per_segment\","
             "\"per_byte_in\",\"per_byte_out\"],\"platforms\":[{\"id\":\"kata\",\"path\":\"vhost\","
             "\"stack\":\"linux\",\"offload\":true,\"inputs\":{\"guest_pkt_bytes\":8250,"
             "\"tcp_header_bytes\":52,\"instance_l2_bytes\":0,\"nic_mss_reduction\":100},"
             "\"categories\":{\"user\":%s,\"system\":%s,\"softirq\":%s,\"guest\":%s}}]}",
             cat, cat, cat, cat);
    EV_CHECK_MSG(ev_model_parse(&m, json, "v2.json", &err) == EV_OK, "%s", err.msg);
    if (!m)
        return;
    EV_CHECK(ev_model_params(&ps, m, 0, EV_CPU_GUEST) == EV_OK);
    EV_CHECK(ps.value[EV_PARAM_PER_BYTE_OUT] == 4e-9 &&
             ps.cov[EV_PARAM_PER_BYTE_OUT * EV_NPARAM + EV_PARAM_PER_BYTE_OUT] == 5e-22);
    for (j = EV_PARAM_PER_MULTISEG_IN; j <= EV_PARAM_PER_MULTISEG_OUT; j++) {
        int q;
        EV_CHECK(ps.value[j] == 0 && !ps.identified[j]);
        for (q = 0; q < EV_NPARAM; q++)
            EV_CHECK(ps.cov[j * EV_NPARAM + q] == 0 && ps.cov[q * EV_NPARAM + j] == 0);
    }
    ev_model_platform(&pi, m, 0);
    EV_CHECK(ev_model_counts(&k, &pi, EV_OP_GET, 4096, &cond, &err) == EV_OK);
    EV_CHECK(k.multiseg_rep == 1 && k.multiseg_req == 0); /* a 4 KB reply spans 3 segments */
    EV_CHECK(ev_model_predict(&pr, m, 0, &get, 1, &cond, &err) == EV_OK);
    for (c = 0; c < EV_NCAT; c++)
        EV_CHECK_NEAR(pr.demand_s[c],
                      1e-5 + 1e-6 * k.packets + 3e-9 * k.req_bytes + 4e-9 * k.rep_bytes, 1e-18);
    ev_model_free(m);
}

int main(void)
{
    test_counts();
    test_v2_file();
    test_counts_acks();
    test_predict();
    test_json();
    test_v1_file();
    test_default();
    test_draw();
    return ev_test_done();
}
