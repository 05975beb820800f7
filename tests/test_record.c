/* test_record.c - run records (ev_record) and the strict JSON helpers (ev_json).
 * Fixtures: tests/fixtures/records/, one malformed file per fault (line 1 good, line 2 bad). */
#include "ev_json.h"
#include "ev_record.h"
#include "ev_test.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef EV_FIXTURE_DIR
#error "EV_FIXTURE_DIR must be defined by tests/formats.cmake"
#endif

static void full_record(ev_record *r)
{
    ev_record_init(r);
    snprintf(r->time, sizeof r->time, "2026-11-25T18:00:00Z");
    snprintf(r->point, sizeof r->point, "unikraft-virtio/SET/1024/c50/P1/r2");
    r->repeat = 2;
    snprintf(r->platform, sizeof r->platform, "unikraft-virtio");
    r->path = EV_PATH_VIRTIO;
    snprintf(r->stack, sizeof r->stack, "lwip");
    r->offload = 0;
    snprintf(r->platform_version, sizeof r->platform_version, "0.16.1");
    r->op = EV_OP_SET;
    r->value_size = 1024;
    r->clients = 50;
    r->requests = 10000000000ULL; /* > 2^32: must survive */
    r->duration_s = 0.1 + 0.2;    /* needs 17 digits to round-trip */
    r->mtu = 1500;
    r->link_rate_bps = 1e9;
    r->rps = 123456.78901234567;
    r->lat_avg_ms = 0.401; r->lat_p50_ms = 0.399; r->lat_p90_ms = 0.5;
    r->lat_p99_ms = 0.9; r->lat_p999_ms = 1.7; r->lat_max_ms = 12.25;
    r->cpu_ncpu = 2;
    r->cpu[EV_CPU_USER] = 120.5; r->cpu[EV_CPU_SYSTEM] = 40.125; r->cpu[EV_CPU_SOFTIRQ] = 10;
    r->cpu[EV_CPU_GUEST] = 100; r->cpu[EV_CPU_IDLE] = 29.375; r->cpu[EV_CPU_STEAL] = 0;
    snprintf(r->cpu_basis, sizeof r->cpu_basis, "mpstat");
    r->threads.present = 1;
    snprintf(r->threads.basis, sizeof r->threads.basis, "kvm");
    r->threads.vcpu_user = 3.5; r->threads.vcpu_guest = 95.25; r->threads.vmm_system = 7;
    r->ifc[EV_ROLE_INSTANCE].present = 1;
    snprintf(r->ifc[EV_ROLE_INSTANCE].ifname, sizeof r->ifc[0].ifname, "tap0");
    r->ifc[EV_ROLE_INSTANCE].packets[EV_DIR_RX] = 1000; r->ifc[EV_ROLE_INSTANCE].bytes[EV_DIR_RX] = 1.5e6;
    r->ifc[EV_ROLE_INSTANCE].packets[EV_DIR_TX] = 900; r->ifc[EV_ROLE_INSTANCE].bytes[EV_DIR_TX] = 5e4;
    r->ifc[EV_ROLE_NIC].present = 1;
    snprintf(r->ifc[EV_ROLE_NIC].ifname, sizeof r->ifc[0].ifname, "veth0");
    r->ifc[EV_ROLE_NIC].packets[EV_DIR_RX] = 10;
    snprintf(r->host, sizeof r->host, "edge-1");
    snprintf(r->kernel, sizeof r->kernel, "6.1.0-27-cloud-amd64");
    snprintf(r->arch, sizeof r->arch, "x86_64");
    snprintf(r->cpu_model, sizeof r->cpu_model, "Intel(R) Xeon(R) \"quoted\" CPU");
    snprintf(r->ev_version, sizeof r->ev_version, "0.1.0");
    snprintf(r->redis_version, sizeof r->redis_version, "7.0.15");
}

static void round_trip(const ev_record *r, const char *what)
{
    char *s = NULL;
    ev_record back;
    ev_error err = EV_ERROR_INIT;
    int rc;
    EV_CHECK(ev_record_to_json(&s, r) == EV_OK);
    if (!s)
        return;
    EV_CHECK_MSG(strchr(s, '\n') == s + strlen(s) - 1, "%s: one line ending in newline", what);
    rc = ev_record_parse(&back, s, "rt.jsonl", 1, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s: %s\n%s", what, err.msg, s);
    EV_CHECK_MSG(ev_record_equal(r, &back), "%s: differs after round trip:\n%s", what, s);
    free(s);
}

static void test_round_trips(void)
{
    ev_record r;
    char *s = NULL;

    full_record(&r);
    round_trip(&r, "measured");
    EV_CHECK(ev_record_to_json(&s, &r) == EV_OK);
    /* numbers are exact and in the C locale */
    EV_CHECK_MSG(strstr(s, "\"duration_s\":0.30000000000000004") != NULL, "%s", s);
    EV_CHECK_MSG(strstr(s, "\"requests\":10000000000") != NULL, "%s", s);
    EV_CHECK_MSG(strstr(s, "\"offload\":false") != NULL, "%s", s);
    /* absent values are left out */
    EV_CHECK(strstr(s, "\"nice\"") == NULL);
    EV_CHECK(strstr(s, "\"vhost_system\"") == NULL);
    EV_CHECK(strstr(s, "\"error\"") == NULL);
    free(s);

    ev_record_init(&r);
    r.source = EV_SOURCE_RECONSTRUCTED;
    snprintf(r.platform, sizeof r.platform, "firecracker");
    r.path = EV_PATH_VHOST;
    r.op = EV_OP_GET;
    r.value_size = 16384;
    r.rps = 7100;
    r.cpu[EV_CPU_SYSTEM] = 55.5;
    snprintf(r.cpu_basis, sizeof r.cpu_basis, "reconstructed");
    round_trip(&r, "reconstructed");
    EV_CHECK(ev_record_to_json(&s, &r) == EV_OK);
    EV_CHECK_MSG(strstr(s, "\"source\":\"reconstructed\"") != NULL, "%s", s);
    EV_CHECK(strstr(s, "\"host\"") == NULL && strstr(s, "\"threads\"") == NULL);
    free(s);

    ev_record_init(&r);
    r.ok = 0;
    snprintf(r.error, sizeof r.error, "redis-server did not answer within 10 s");
    snprintf(r.platform, sizeof r.platform, "native");
    r.path = EV_PATH_NATIVE;
    r.op = EV_OP_SET;
    r.value_size = 64;
    snprintf(r.point, sizeof r.point, "native/SET/64/c50/P1/r0");
    round_trip(&r, "failed");
    EV_CHECK(ev_record_to_json(&s, &r) == EV_OK);
    EV_CHECK_MSG(strstr(s, "\"status\":\"failed\"") != NULL && strstr(s, "\"result\"") == NULL,
                 "%s", s);
    free(s);
}

typedef struct fault {
    const char *file;
    int code;
    const char *msg; /* expected message after "<path>:" */
} fault;

static const fault faults[] = {
    { "missing_platform_id", EV_ESCHEMA, "2: platform.id: missing (required)" },
    { "missing_driver_path", EV_ESCHEMA, "2: platform.driver_path: missing (required)" },
    { "missing_op", EV_ESCHEMA, "2: workload.op: missing (required)" },
    { "missing_value_size", EV_ESCHEMA, "2: workload.value_size: missing (required)" },
    { "missing_source", EV_ESCHEMA, "2: source: missing (required)" },
    { "missing_status", EV_ESCHEMA, "2: status: missing (required)" },
    { "missing_rps", EV_ESCHEMA, "2: result.rps: missing (required)" },
    { "missing_platform", EV_ESCHEMA, "2: platform: missing (required)" },
    { "missing_schema", EV_ESCHEMA, "2: schema: missing (expected \"edgevirt.run/1\")" },
    { "failed_without_error", EV_ESCHEMA, "2: error: missing (required)" },
    { "schema_unknown", EV_ESCHEMA,
      "2: schema: unknown schema \"redis.bench/1\" (expected \"edgevirt.run/1\")" },
    { "schema_version", EV_ESCHEMA,
      "2: schema: unsupported version \"edgevirt.run/2\" (this build reads \"edgevirt.run/1\")" },
    { "type_value_size_string", EV_ESCHEMA,
      "2: workload.value_size: must be an integer, got a string" },
    { "type_offload_number", EV_ESCHEMA, "2: platform.offload: must be true or false, got a number" },
    { "type_platform_array", EV_ESCHEMA, "2: platform: must be an object, got an array" },
    { "value_size_zero", EV_ERANGE, "2: workload.value_size: must be an integer in [1, 536870912], got 0" },
    { "value_size_fraction", EV_ESCHEMA, "2: workload.value_size: must be an integer, got 64.5" },
    { "clients_zero", EV_ERANGE, "2: workload.clients: must be an integer in [1, 4294967295], got 0" },
    { "cpu_over_ncpu", EV_ERANGE, "2: cpu.user: must be a number in [0, 100], got 150" },
    { "cpu_negative", EV_ERANGE, "2: cpu.softirq: must be a number in [0, 100], got -1" },
    { "rps_negative", EV_ERANGE, "2: result.rps: must be a number >= 0, got -5" },
    { "mtu_too_small", EV_ERANGE, "2: network.mtu: must be an integer in [68, 65536], got 10" },
    { "bad_op", EV_ESCHEMA, "2: workload.op: must be one of \"GET\", \"SET\", \"MIX\"; got \"PUT\"" },
    { "bad_driver_path", EV_ESCHEMA,
      "2: platform.driver_path: must be one of \"vhost\", \"virtio\", \"native\"; got \"tap\"" },
    { "bad_time", EV_ESCHEMA, "2: time: must be ISO 8601 UTC \"YYYY-MM-DDTHH:MM:SSZ\", got \"yesterday\"" },
    { "unknown_field", EV_ESCHEMA, "2: workload.valu_size: unknown field" },
    { "not_json", EV_EPARSE, " line 2, column 1: not valid JSON near 'this is not json'" },
    { "trailing_garbage", EV_EPARSE, "2: text after the JSON value" },
    { "not_object", EV_ESCHEMA, "2: top level must be a JSON object" },
};

static void test_faults(void)
{
    size_t i;
    for (i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        char path[512], want[1024];
        ev_recset set = { 0 };
        ev_error err = EV_ERROR_INIT;
        int rc, mode;
        snprintf(path, sizeof path, "%s/%s.jsonl", EV_FIXTURE_DIR, faults[i].file);
        snprintf(want, sizeof want, "%s:%s", path, faults[i].msg);
        for (mode = 0; mode < 2; mode++) { /* tolerant mode must not hide real faults */
            rc = ev_recset_load(&set, path, mode, NULL, &err);
            EV_CHECK_MSG(rc == faults[i].code, "%s (mode %d): rc %d (%s)", faults[i].file, mode,
                         rc, err.msg);
            EV_CHECK_MSG(ev_exit_code(rc) == 2, "%s: exit status", faults[i].file);
            EV_CHECK_STR(err.msg, want);
            EV_CHECK_MSG(set.n == (size_t)(mode + 1), "%s: good line 1 kept (n=%zu)", faults[i].file, set.n);
        }
        ev_recset_free(&set);
    }
}

static void test_load_modes(void)
{
    char path[512];
    ev_recset set = { 0 };
    ev_error err = EV_ERROR_INIT;
    int dropped = -1;

    snprintf(path, sizeof path, "%s/ok_blank_lines.jsonl", EV_FIXTURE_DIR);
    EV_CHECK(ev_recset_load(&set, path, 0, &dropped, &err) == EV_OK);
    EV_CHECK(set.n == 2 && dropped == 0);
    EV_CHECK(set.n == 2 && strcmp(set.recs[1].platform, "kata") == 0 && set.recs[1].value_size == 64);
    EV_CHECK(ev_recset_find_point(&set, "kata/GET/64/c50/P1/r0") == 1);
    EV_CHECK(ev_recset_find_point(&set, "kata/GET/64/c50/P1/r9") == -1);
    ev_recset_free(&set);

    snprintf(path, sizeof path, "%s/truncated_tail.jsonl", EV_FIXTURE_DIR);
    EV_CHECK(ev_recset_load(&set, path, 0, &dropped, &err) == EV_EPARSE);
    EV_CHECK_MSG(strstr(err.msg, "truncated_tail.jsonl: line 2, column") != NULL, "%s", err.msg);
    ev_recset_free(&set);
    EV_CHECK(ev_recset_load(&set, path, 1, &dropped, &err) == EV_OK);
    EV_CHECK(set.n == 1 && dropped == 1 && err.code == EV_OK);
    ev_recset_free(&set);

    /* a cut-off line that a later append closed with '\n' (ev_fs_append_durable) */
    snprintf(path, sizeof path, "%s/truncated_middle.jsonl", EV_FIXTURE_DIR);
    EV_CHECK(ev_recset_load(&set, path, 0, &dropped, &err) == EV_EPARSE);
    ev_recset_free(&set);
    EV_CHECK(ev_recset_load(&set, path, 1, &dropped, &err) == EV_OK);
    EV_CHECK(set.n == 2 && dropped == 1);
    ev_recset_free(&set);

    EV_CHECK(ev_recset_load(&set, "/nonexistent/runs.jsonl", 0, NULL, &err) == EV_ENOENT);
    ev_recset_free(&set);
}

static void test_append(void)
{
    char dir[] = "/tmp/ev_test_record.XXXXXX", path[512];
    ev_record r;
    ev_recset set = { 0 };
    ev_error err = EV_ERROR_INIT;
    FILE *f;
    int dropped = 0;

    if (!mkdtemp(dir)) {
        EV_CHECK(0);
        return;
    }
    snprintf(path, sizeof path, "%s/runs.jsonl", dir);
    full_record(&r);
    EV_CHECK(ev_record_append(path, &r, &err) == EV_OK);
    /* simulate a crash mid-write, then a resumed run appending */
    f = fopen(path, "a");
    fputs("{\"schema\":\"edgevirt.run/1\",\"source\":\"meas", f);
    fclose(f);
    r.ok = 0;
    snprintf(r.error, sizeof r.error, "timeout");
    EV_CHECK(ev_record_append(path, &r, &err) == EV_OK);
    EV_CHECK(ev_recset_load(&set, path, 1, &dropped, &err) == EV_OK);
    EV_CHECK(set.n == 2 && dropped == 1);
    /* the failed record does not mark the point done; the earlier ok one does */
    EV_CHECK(ev_recset_find_point(&set, r.point) == 0);
    ev_recset_free(&set);
    /* an invalid record is refused, and the file is left as it was */
    r.value_size = 0;
    EV_CHECK(ev_record_validate(&r, &err) == EV_ERANGE);
    EV_CHECK_STR(err.msg, "<record>: workload.value_size: must be an integer in [1, 536870912], got 0");
    EV_CHECK(ev_record_append(path, &r, &err) == EV_ERANGE);
    EV_CHECK_MSG(strstr(err.msg, "runs.jsonl: record not appended: <record>: workload.value_size") != NULL,
                 "%s", err.msg);
    EV_CHECK(ev_recset_load(&set, path, 1, &dropped, &err) == EV_OK && set.n == 2);
    ev_recset_free(&set);
    unlink(path);
    rmdir(dir);
}

static void test_resp(void)
{
    static const double sizes[] = { 32, 64, 1024, 4096, 16384 };
    size_t i;
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        double s = sizes[i], d = s < 100 ? 2 : (s < 10000 ? 4 : 5);
        EV_CHECK_NEAR(ev_resp_request_bytes(EV_OP_SET, s, 16), s + 41 + d, 0);
        EV_CHECK_NEAR(ev_resp_reply_bytes(EV_OP_SET, s), 5, 0);
        EV_CHECK_NEAR(ev_resp_request_bytes(EV_OP_GET, s, 16), 36, 0);
        EV_CHECK_NEAR(ev_resp_reply_bytes(EV_OP_GET, s), s + 5 + d, 0);
    }
    /* literal frames: SET key:000000000001 xxx (3 bytes) */
    EV_CHECK_NEAR(ev_resp_request_bytes(EV_OP_SET, 3, 16),
                  strlen("*3\r\n$3\r\nSET\r\n$16\r\nkey:000000000001\r\n$3\r\nxxx\r\n"), 0);
    EV_CHECK_NEAR(ev_resp_request_bytes(EV_OP_GET, 3, 16),
                  strlen("*2\r\n$3\r\nGET\r\n$16\r\nkey:000000000001\r\n"), 0);
    EV_CHECK_NEAR(ev_resp_reply_bytes(EV_OP_GET, 3), strlen("$3\r\nxxx\r\n"), 0);
}

static void test_names_and_host(void)
{
    ev_record r;
    char m[96];
    EV_CHECK(ev_op_parse("get") == EV_OP_GET && ev_op_parse("SET") == EV_OP_SET);
    EV_CHECK(ev_op_parse("DEL") == -1);
    EV_CHECK_STR(ev_op_name(EV_OP_SET), "SET");
    EV_CHECK(ev_path_parse("virtio") == EV_PATH_VIRTIO && ev_path_parse("x") == -1);
    EV_CHECK_STR(ev_path_name(EV_PATH_NATIVE), "native");
    EV_CHECK_STR(ev_cpu_names[EV_CPU_SOFTIRQ], "softirq");

    ev_record_cpuinfo_model(m, sizeof m,
        "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n");
    EV_CHECK_STR(m, "Intel(R) Xeon(R) CPU @ 2.20GHz");
    ev_record_cpuinfo_model(m, sizeof m,
        "processor\t: 0\nBogoMIPS\t: 108.00\nCPU implementer\t: 0x41\nCPU part\t: 0xd08\n\n"
        "Hardware\t: BCM2835\nRevision\t: c03111\nModel\t\t: Raspberry Pi 4 Model B Rev 1.1\n");
    EV_CHECK_STR(m, "Raspberry Pi 4 Model B Rev 1.1");
    ev_record_cpuinfo_model(m, sizeof m,
        "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU part\t: 0xd0c\n");
    EV_CHECK_STR(m, "arm implementer 0x41 part 0xd0c");
    ev_record_cpuinfo_model(m, sizeof m, "nothing here\n");
    EV_CHECK_STR(m, "");

    ev_record_init(&r);
    EV_CHECK(ev_record_fill_host(&r) == EV_OK);
    EV_CHECK(r.host[0] != '\0' && r.kernel[0] != '\0' && r.arch[0] != '\0');
    EV_CHECK_STR(r.ev_version, EV_VERSION);
}

static void test_json_helpers(void)
{
    const char *doc = "{\n  \"schema\": \"edgevirt.test/1\",\n  \"n\": 2.5,\n  \"i\": 7,\n"
                      "  \"s\": \"abc\",\n  \"b\": true,\n  \"e\": \"virtio\",\n  \"z\": null,\n"
                      "  \"x-note\": \"ignored\",\n  \"o\": {\"k\": -3}, \"a\": [1]\n}\n";
    static const char *const keys[] = { "schema", "n", "i", "s", "b", "e", "z", "o", "a", NULL };
    static const char *const few[] = { "schema", NULL };
    static const char *const paths[] = { "vhost", "virtio", "native", NULL };
    cJSON *root = NULL;
    const cJSON *o = NULL, *a = NULL;
    ev_error err = EV_ERROR_INIT;
    ev_json_ctx c = { "t.json", 0, NULL }, sub;
    char buf[8], pb[64];
    double d = -1;
    int64_t i = -1;
    int b = -1, e = -1;
    char *out = NULL;

    EV_CHECK(ev_json_parse_doc(&root, doc, "t.json", &err) == EV_OK);
    EV_CHECK_STR(ev_json_schema_of(root), "edgevirt.test/1");
    EV_CHECK(ev_json_check_schema(root, "edgevirt.test/1", &c, &err) == EV_OK);
    EV_CHECK(ev_json_check_keys(root, keys, &c, &err) == EV_OK);
    EV_CHECK(ev_json_check_keys(root, few, &c, &err) == EV_ESCHEMA);
    EV_CHECK_STR(err.msg, "t.json: n: unknown field");
    EV_CHECK(ev_json_get_num(root, "n", &d, 0, 10, 1, &c, &err) == EV_OK && d == 2.5);
    EV_CHECK(ev_json_get_num(root, "n", &d, 3, 10, 1, &c, &err) == EV_ERANGE);
    EV_CHECK_STR(err.msg, "t.json: n: must be a number in [3, 10], got 2.5");
    EV_CHECK(ev_json_get_num(root, "s", &d, 0, 10, 1, &c, &err) == EV_ESCHEMA);
    EV_CHECK_STR(err.msg, "t.json: s: must be a number, got a string");
    d = 42;
    EV_CHECK(ev_json_get_num(root, "z", &d, 0, 10, 0, &c, &err) == EV_OK && d == 42);
    EV_CHECK(ev_json_get_num(root, "z", &d, 0, 10, 1, &c, &err) == EV_ESCHEMA);
    EV_CHECK_STR(err.msg, "t.json: z: missing (required)");
    EV_CHECK(!ev_json_has(root, "z") && ev_json_has(root, "n") && !ev_json_has(root, "q"));
    EV_CHECK(ev_json_get_int(root, "i", &i, 1, 100, 1, &c, &err) == EV_OK && i == 7);
    EV_CHECK(ev_json_get_int(root, "n", &i, 1, 100, 1, &c, &err) == EV_ESCHEMA);
    EV_CHECK(ev_json_get_int(root, "i", &i, 8, INT64_MAX, 1, &c, &err) == EV_ERANGE);
    EV_CHECK_STR(err.msg, "t.json: i: must be an integer >= 8, got 7");
    EV_CHECK(ev_json_get_str(root, "s", buf, sizeof buf, 1, &c, &err) == EV_OK);
    EV_CHECK_STR(buf, "abc");
    EV_CHECK(ev_json_get_str(root, "s", buf, 3, 1, &c, &err) == EV_ERANGE);
    EV_CHECK_STR(err.msg, "t.json: s: longer than 2 bytes");
    EV_CHECK(ev_json_get_bool(root, "b", &b, 1, &c, &err) == EV_OK && b == 1);
    EV_CHECK(ev_json_get_bool(root, "i", &b, 1, &c, &err) == EV_ESCHEMA);
    EV_CHECK(ev_json_get_enum(root, "e", paths, &e, 1, &c, &err) == EV_OK && e == 1);
    EV_CHECK(ev_json_get_enum(root, "s", paths, &e, 1, &c, &err) == EV_ESCHEMA);
    EV_CHECK_STR(err.msg, "t.json: s: must be one of \"vhost\", \"virtio\", \"native\"; got \"abc\"");
    EV_CHECK(ev_json_get_obj(root, "o", &o, 1, &c, &err) == EV_OK && o != NULL);
    ev_json_ctx_sub(&sub, &c, "o", pb, sizeof pb);
    EV_CHECK(ev_json_get_num(o, "k", &d, 0, INFINITY, 1, &sub, &err) == EV_ERANGE);
    EV_CHECK_STR(err.msg, "t.json: o.k: must be a number >= 0, got -3");
    EV_CHECK(ev_json_get_array(root, "a", &a, 1, &c, &err) == EV_OK && cJSON_GetArraySize(a) == 1);
    EV_CHECK(ev_json_get_array(root, "o", &a, 1, &c, &err) == EV_ESCHEMA && a == NULL);
    {
        double v3[3] = { 0, 0, 0 };
        cJSON *t = NULL;
        EV_CHECK(ev_json_parse_doc(&t, "{\"cov\":[1,2.5,-3],\"bad\":[1,\"x\"]}", "c.json", &err) == EV_OK);
        EV_CHECK(ev_json_get_num_array(t, "cov", v3, 3, 1, &sub, &err) == EV_OK);
        EV_CHECK(v3[0] == 1 && v3[1] == 2.5 && v3[2] == -3);
        EV_CHECK(ev_json_get_num_array(t, "cov", v3, 4, 1, &sub, &err) == EV_ESCHEMA);
        EV_CHECK_STR(err.msg, "t.json: o.cov: must have 4 numbers, got 3");
        EV_CHECK(ev_json_get_num_array(t, "bad", v3, 2, 1, &c, &err) == EV_ESCHEMA);
        EV_CHECK_STR(err.msg, "t.json: bad[1]: must be a number, got a string");
        EV_CHECK(ev_json_get_num_array(t, "none", v3, 2, 0, &c, &err) == EV_OK);
        cJSON_Delete(t);
    }
    EV_CHECK(ev_json_check_schema(root, "edgevirt.test/2", &c, &err) == EV_ESCHEMA);
    EV_CHECK_STR(err.msg, "t.json: schema: unsupported version \"edgevirt.test/1\" (this build reads \"edgevirt.test/2\")");
    cJSON_Delete(root);

    /* syntax errors name line and column; the error pointer is captured at once */
    EV_CHECK(ev_json_parse_doc(&root, "{\n  \"a\": 1,\n  \"b\": tru\n}\n", "bad.json", &err) == EV_EPARSE);
    EV_CHECK(root == NULL);
    EV_CHECK_STR(err.msg, "bad.json: line 3, column 8: not valid JSON near 'tru'");
    EV_CHECK(ev_json_parse_doc(&root, "{\"a\":", "cut.json", &err) == EV_EPARSE);
    EV_CHECK_MSG(strstr(err.msg, "cut.json: line 1") != NULL, "%s", err.msg);
    EV_CHECK(ev_json_parse_doc(&root, "", "empty.json", &err) == EV_EPARSE);
    EV_CHECK(ev_json_parse_doc(&root, "{\"a\":1,\"a\":2}", "dup.json", &err) == EV_OK);
    EV_CHECK(ev_json_check_keys(root, keys, &(ev_json_ctx){ "dup.json", 4, NULL }, &err) == EV_ESCHEMA);
    EV_CHECK_STR(err.msg, "dup.json:4: a: duplicate field");
    cJSON_Delete(root);
    EV_CHECK(ev_json_is_cut_off("{\"a\":1,\"b", 9) == 1);
    EV_CHECK(ev_json_is_cut_off("{\"a\":1, x}", 10) == 0);
    EV_CHECK(ev_json_is_cut_off("nonsense", 8) == 0);
    EV_CHECK(ev_json_is_cut_off("{\"a\":\"}{\"", 9) == 1);

    /* writers */
    root = cJSON_CreateObject();
    EV_CHECK(ev_json_add_num(root, "third", 1.0 / 3.0) == EV_OK);
    EV_CHECK(ev_json_add_num(root, "nan", NAN) == EV_EINVAL);
    EV_CHECK(ev_json_add_opt_num(root, "absent", -1) == EV_OK);
    EV_CHECK(ev_json_add_opt_num(root, "zero", 0) == EV_OK);
    EV_CHECK(ev_json_add_opt_str(root, "empty", "") == EV_OK);
    EV_CHECK(ev_json_add_bool(root, "t", 5) == EV_OK);
    EV_CHECK(ev_json_print(&out, root, 0) == EV_OK);
    EV_CHECK_STR(out, "{\"third\":0.33333333333333331,\"zero\":0,\"t\":true}\n");
    free(out);
    cJSON_Delete(root);
}

int main(void)
{
    test_round_trips();
    test_faults();
    test_load_modes();
    test_append();
    test_resp();
    test_names_and_host();
    test_json_helpers();
    return ev_test_done();
}
