/* test_runner.c FIXTURE_DIR - unit tests of the runner library without processes:
 *  - every tests/fixtures/specs/bad_*.json fails to load with a message naming the file, the
 *    field and the reason listed in expected.tsv, and a code that maps to exit status 2;
 *  - ok.json loads with the values it holds;
 *  - the plan: size, unique point ids, repeats outer, platform order rotated per repeat,
 *    blocks per platform and repeat ("per_block") or per point ("per_point");
 *  - the client-side argv (prefix, warm-up, request and duration modes);
 *  - parsing edgevirt-load's JSON (ok, failed test, missing op, not JSON);
 *  - shell quoting of argv for the dry run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ev_plan.h"
#include "ev_runner.h"
#include "ev_spec.h"
#include "ev_test.h"

static const char *g_dir;

static void test_bad_fixtures(void)
{
    char path[1100], line[512];
    int n = 0;
    snprintf(path, sizeof path, "%s/expected.tsv", g_dir);
    FILE *f = fopen(path, "r");
    EV_CHECK_MSG(f != NULL, "cannot open %s", path);
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = '\0';
        char *tab = strchr(line, '\t');
        EV_CHECK_MSG(tab != NULL, "bad expected.tsv line: %s", line);
        if (!tab)
            continue;
        *tab = '\0';
        const char *want = tab + 1;
        ev_spec *s = NULL;
        ev_error err = EV_ERROR_INIT;
        snprintf(path, sizeof path, "%s/%s", g_dir, line);
        int rc = ev_spec_load(&s, path, &err);
        EV_CHECK_MSG(rc != EV_OK && s == NULL, "%s loaded but must fail", line);
        EV_CHECK_MSG(ev_exit_code(rc) == 2, "%s: code %d does not map to exit 2", line, rc);
        EV_CHECK_MSG(strstr(err.msg, path) == err.msg, "%s: message does not start with the "
                     "file: %s", line, err.msg);
        EV_CHECK_MSG(strstr(err.msg, want) != NULL, "%s: message \"%s\" lacks \"%s\"", line,
                     err.msg, want);
        ev_spec_free(s);
        n++;
    }
    fclose(f);
    EV_CHECK_MSG(n >= 20, "only %d fixtures checked", n);
}

static ev_spec *load_ok(void)
{
    char path[512];
    ev_spec *s = NULL;
    ev_error err = EV_ERROR_INIT;
    snprintf(path, sizeof path, "%s/ok.json", g_dir);
    EV_CHECK_MSG(ev_spec_load(&s, path, &err) == EV_OK, "%s", err.msg);
    return s;
}

static void test_ok(void)
{
    ev_spec *s = load_ok();
    if (!s)
        return;
    EV_CHECK(s->nplatforms == 1);
    EV_CHECK_STR(s->platforms[0].id, "native");
    EV_CHECK(s->nops == 2 && s->ops[0] == EV_OP_GET && s->ops[1] == EV_OP_SET);
    EV_CHECK(s->nsizes == 2 && s->value_sizes[1] == 1024);
    EV_CHECK(s->nclients == 2 && s->clients[0] == 10 && s->clients[1] == 50);
    EV_CHECK(s->npipelines == 1 && s->pipelines[0] == 1);
    EV_CHECK(s->requests == 1000 && s->duration_s == 0 && s->warmup_s == 1);
    EV_CHECK(s->repeats == 2 && s->restart == EV_SPEC_RESTART_BLOCK);
    EV_CHECK(s->ncpus == 1 && s->cpus[0] == 1);
    EV_CHECK(s->nifaces == 1 && s->ifaces[0].role == EV_ROLE_NIC);
    EV_CHECK_STR(s->client_prefix[0], "ip");
    EV_CHECK(s->client_prefix[4] == NULL);
    EV_CHECK(s->mtu == 1500 && s->link_rate_bps == 1e9);
    EV_CHECK(s->ready_timeout_s == 5 && s->stop_timeout_s == 2);
    EV_CHECK(ev_spec_npoints(s) == 16);
    /* the record's platform id is put into the driver settings */
    const cJSON *pl = cJSON_GetObjectItemCaseSensitive(s->platforms[0].settings, "platform");
    EV_CHECK(cJSON_IsString(pl) && strcmp(pl->valuestring, "native") == 0);
    ev_spec_free(s);
}

static const char *k_two =
    "{\"schema\":\"edgevirt.spec/1\",\"tag\":\"mtu576\",\"platforms\":["
    "{\"id\":\"a\",\"settings\":{\"driver\":\"native\",\"port\":7001}},"
    "{\"id\":\"b\",\"settings\":{\"driver\":\"native\",\"port\":7002}},"
    "{\"id\":\"c\",\"settings\":{\"driver\":\"command\",\"start\":[\"true\"]}}],"
    "\"workload\":{\"ops\":[\"SET\"],\"value_sizes\":[64,1024],\"duration_s\":2},"
    "\"repeats\":3%s}";

static void test_plan(void)
{
    char text[2048];
    ev_spec *s = NULL;
    ev_error err = EV_ERROR_INIT;
    ev_plan_point *p = NULL;
    size_t n = 0;
    snprintf(text, sizeof text, k_two, "");
    EV_CHECK_MSG(ev_spec_parse(&s, text, "two.json", &err) == EV_OK, "%s", err.msg);
    if (!s)
        return;
    EV_CHECK(ev_plan_build(&p, &n, s, &err) == EV_OK);
    EV_CHECK(n == 18);
    /* repeat 0: a b c; repeat 1: b c a; repeat 2: c a b -- two points per block */
    const char *order = "aabbccbbccaaccaabb";
    for (size_t i = 0; i < n; i++) {
        EV_CHECK_MSG(s->platforms[p[i].platform].id[0] == order[i], "point %zu is %s", i,
                     p[i].id);
        EV_CHECK(p[i].repeat == (int)(i / 6));
        EV_CHECK(p[i].block == i / 2);
        for (size_t j = 0; j < i; j++)
            EV_CHECK_MSG(strcmp(p[i].id, p[j].id) != 0, "duplicate id %s", p[i].id);
    }
    EV_CHECK_STR(p[0].id, "mtu576/a/SET/64/c50/P1/r0");
    EV_CHECK_STR(p[17].id, "mtu576/b/SET/1024/c50/P1/r2");
    free(p);
    ev_spec_free(s);

    snprintf(text, sizeof text, k_two, ",\"restart\":\"per_point\"");
    EV_CHECK_MSG(ev_spec_parse(&s, text, "two.json", &err) == EV_OK, "%s", err.msg);
    if (!s)
        return;
    EV_CHECK(ev_plan_build(&p, &n, s, &err) == EV_OK);
    for (size_t i = 0; i < n; i++)
        EV_CHECK(p[i].block == i);
    free(p);
    ev_spec_free(s);
}

static void test_argv(void)
{
    ev_spec *s = load_ok();
    ev_plan_point *p = NULL;
    size_t n = 0;
    char **argv = NULL, buf[1024];
    ev_error err = EV_ERROR_INIT;
    if (!s)
        return;
    EV_CHECK(ev_plan_build(&p, &n, s, &err) == EV_OK);
    EV_CHECK(ev_runner_load_argv(&argv, s, &p[0], NULL, "10.0.0.2", 6379, 1, &err) == EV_OK);
    ev_runner_quote_argv(buf, sizeof buf, argv);
    EV_CHECK_STR(buf, "ip netns exec client edgevirt-load -h 10.0.0.2 -p 6379 -t get -d 64 "
                      "-c 10 -P 1 --duration 1 --time-limit 61 --json");
    ev_runner_argv_free(argv);
    EV_CHECK(ev_runner_load_argv(&argv, s, &p[3], "/opt/el", "10.0.0.2", 6379, 0, &err) == EV_OK);
    ev_runner_quote_argv(buf, sizeof buf, argv);
    EV_CHECK_STR(buf, "ip netns exec client /opt/el -h 10.0.0.2 -p 6379 -t get -d 1024 -c 50 "
                      "-P 1 -n 1000 --no-prefill --time-limit 600 --json");
    ev_runner_argv_free(argv);
    free(p);
    ev_spec_free(s);

    /* duration mode, no warm-up: the measured run prefills itself */
    char text[2048];
    snprintf(text, sizeof text, k_two, "");
    EV_CHECK(ev_spec_parse(&s, text, "two.json", &err) == EV_OK);
    if (!s)
        return;
    EV_CHECK(ev_plan_build(&p, &n, s, &err) == EV_OK);
    EV_CHECK(ev_runner_load_argv(&argv, s, &p[0], NULL, "127.0.0.1", 7001, 0, &err) == EV_OK);
    ev_runner_quote_argv(buf, sizeof buf, argv);
    EV_CHECK_STR(buf, "edgevirt-load -h 127.0.0.1 -p 7001 -t set -d 64 -c 50 -P 1 "
                      "--duration 2 --time-limit 62 --json");
    ev_runner_argv_free(argv);
    free(p);
    ev_spec_free(s);
}

static void test_parse_load(void)
{
    const char *ok =
        "{\"schema\":\"edgevirt.load/1\",\"redis_version\":\"7.0.15\",\"status\":\"ok\","
        "\"tests\":[{\"test\":\"SET\",\"op\":\"SET\",\"status\":\"ok\",\"rps\":1000},"
        "{\"test\":\"GET\",\"op\":\"GET\",\"status\":\"ok\",\"error\":null,\"key_size\":16,"
        "\"requests\":5000,\"duration_s\":2.5,\"rps\":2000,\"latency_ms\":{\"count\":5000,"
        "\"avg\":0.5,\"min\":0.1,\"p50\":0.4,\"p90\":0.9,\"p95\":1,\"p99\":2,\"p999\":3,"
        "\"max\":4,\"overflow\":0}}]}";
    ev_record r;
    ev_error err = EV_ERROR_INIT;
    ev_record_init(&r);
    EV_CHECK_MSG(ev_runner_parse_load(&r, ok, strlen(ok), EV_OP_GET, &err) == EV_OK, "%s",
                 err.msg);
    EV_CHECK(r.rps == 2000 && r.requests == 5000 && r.duration_s == 2.5 && r.key_size == 16);
    EV_CHECK(r.lat_avg_ms == 0.5 && r.lat_p50_ms == 0.4 && r.lat_p90_ms == 0.9 &&
             r.lat_p99_ms == 2 && r.lat_p999_ms == 3 && r.lat_max_ms == 4);
    EV_CHECK_STR(r.redis_version, "7.0.15");
    ev_record_init(&r);
    EV_CHECK(ev_runner_parse_load(&r, ok, strlen(ok), EV_OP_SET, &err) == EV_OK && r.rps == 1000);

    const char *failed =
        "{\"schema\":\"edgevirt.load/1\",\"status\":\"failed\",\"tests\":[{\"op\":\"GET\","
        "\"status\":\"failed\",\"error\":\"connection refused\"}]}";
    ev_record_init(&r);
    EV_CHECK(ev_runner_parse_load(&r, failed, strlen(failed), EV_OP_GET, &err) == EV_EPROTO);
    EV_CHECK(strstr(err.msg, "connection refused") != NULL);
    EV_CHECK(r.rps < 0);
    EV_CHECK(ev_runner_parse_load(&r, ok, strlen(ok) - 3, EV_OP_GET, &err) == EV_EPARSE);
    const char *noop = "{\"schema\":\"edgevirt.load/1\",\"tests\":[]}";
    EV_CHECK(ev_runner_parse_load(&r, noop, strlen(noop), EV_OP_GET, &err) == EV_EPROTO);
    EV_CHECK(strstr(err.msg, "no GET test") != NULL);
    const char *other = "{\"schema\":\"edgevirt.run/1\"}";
    EV_CHECK(ev_runner_parse_load(&r, other, strlen(other), EV_OP_GET, &err) == EV_EPROTO);
}

/* workload.mixes: advisor profiles measured as edgevirt-load MIX tests (issue 13) */
static void test_mixes(void)
{
    char dir[] = "/tmp/edgevirt-test-mixes-XXXXXX", prof[128], bad[128], text[2048],
         buf[1024], *json = NULL;
    ev_spec *s = NULL;
    ev_plan_point *p = NULL;
    size_t n = 0;
    char **argv = NULL;
    ev_error err = EV_ERROR_INIT;
    ev_record r, back;
    FILE *f;
    const char *load =
        "{\"schema\":\"edgevirt.load/1\",\"status\":\"ok\",\"tests\":[{\"test\":\"MIX\","
        "\"op\":\"MIX\",\"status\":\"ok\",\"requests\":900,\"duration_s\":1,\"rps\":900}]}";
    EV_CHECK(mkdtemp(dir) != NULL);
    snprintf(prof, sizeof prof, "%s/web.json", dir);
    f = fopen(prof, "w");
    EV_CHECK(f != NULL);
    if (!f)
        return;
    fputs("{\"schema\": \"edgevirt.profile/1\", \"name\": \"web cache\", \"sizes\": {\"type\": "
          "\"list\", \"items\": [{\"size\": 64, \"weight\": 3}, {\"size\": 4096, \"weight\": 1}]}, "
          "\"get_ratio\": 0.75}\n", f);
    fclose(f);
    snprintf(text, sizeof text, "{\"schema\": \"edgevirt.spec/1\", \"platforms\": [{\"id\": "
             "\"native\", \"settings\": {\"driver\": \"native\"}}], \"workload\": {\"mixes\": "
             "[\"web.json\"], \"clients\": 8, \"requests\": 500}, \"repeats\": 2}");
    snprintf(bad, sizeof bad, "%s/spec.json", dir); /* relative profile paths: the spec's folder */
    EV_CHECK_MSG(ev_spec_parse(&s, text, bad, &err) == EV_OK, "%s", err.msg);
    if (!s)
        return;
    EV_CHECK(s->nmixes == 1 && s->nops == 0 && s->nsizes == 0 && ev_spec_npoints(s) == 2);
    EV_CHECK_STR(s->mixes[0].name, "web_cache");
    EV_CHECK(s->mixes[0].n == 2 && s->mixes[0].size[1] == 4096);
    EV_CHECK_NEAR(s->mixes[0].weight[0], 0.75, 1e-12);
    EV_CHECK_NEAR(s->mixes[0].get_ratio, 0.75, 0);
    EV_CHECK(ev_plan_build(&p, &n, s, &err) == EV_OK && n == 2);
    EV_CHECK_STR(p[0].id, "native/MIX-web_cache/c8/P1/r0");
    EV_CHECK(p[0].mix == 0 && p[0].value_size == 1072); /* 0.75 * 64 + 0.25 * 4096 */
    EV_CHECK(ev_runner_load_argv(&argv, s, &p[0], NULL, "127.0.0.1", 6379, 0, &err) == EV_OK);
    ev_runner_quote_argv(buf, sizeof buf, argv);
    EV_CHECK_STR(buf, "edgevirt-load -h 127.0.0.1 -p 6379 --data-size-list 64:0.75,4096:0.25 "
                      "--get-ratio 0.75 -c 8 -P 1 -n 500 --time-limit 600 --json");
    ev_runner_argv_free(argv);

    /* the record of a mix: op MIX, the classes, round trip; the MIX test of the load report */
    ev_record_init(&r);
    snprintf(r.platform, sizeof r.platform, "native");
    r.value_size = p[0].value_size;
    r.mix.n = 2;
    r.mix.get_ratio = 0.75;
    snprintf(r.mix.name, sizeof r.mix.name, "web_cache");
    r.mix.size[0] = 64, r.mix.weight[0] = 0.75, r.mix.size[1] = 4096, r.mix.weight[1] = 0.25;
    EV_CHECK_MSG(ev_runner_parse_load(&r, load, strlen(load), EV_OP_GET, &err) == EV_OK, "%s",
                 err.msg);
    EV_CHECK(r.rps == 900 && r.requests == 900);
    EV_CHECK(ev_record_to_json(&json, &r) == EV_OK);
    EV_CHECK(json && strstr(json, "\"op\":\"MIX\"") && strstr(json, "\"sizes\":[[64,0.75],[4096,0.25]]"));
    EV_CHECK_MSG(json && ev_record_parse(&back, json, "mix.jsonl", 1, &err) == EV_OK, "%s", err.msg);
    EV_CHECK(ev_record_equal(&r, &back));
    free(json);
    free(p);
    ev_spec_free(s);

    /* a missing profile, a bad mixes entry */
    snprintf(text, sizeof text, "{\"schema\": \"edgevirt.spec/1\", \"platforms\": [{\"id\": "
             "\"native\", \"settings\": {\"driver\": \"native\"}}], \"workload\": {\"mixes\": "
             "[\"absent.json\"], \"requests\": 5}}");
    EV_CHECK(ev_spec_parse(&s, text, bad, &err) != EV_OK);
    EV_CHECK_MSG(strstr(err.msg, "workload.mixes[0]") && strstr(err.msg, "absent.json"), "%s",
                 err.msg);
    snprintf(text, sizeof text, "{\"schema\": \"edgevirt.spec/1\", \"platforms\": [{\"id\": "
             "\"native\", \"settings\": {\"driver\": \"native\"}}], \"workload\": {\"mixes\": "
             "[3], \"requests\": 5}}");
    EV_CHECK(ev_spec_parse(&s, text, bad, &err) == EV_ESCHEMA);
    EV_CHECK_MSG(strstr(err.msg, "workload.mixes[0]: must be the path of a profile"), "%s",
                 err.msg);
    unlink(prof);
    rmdir(dir);
}

/* workload.anchor: the same configuration at the start of every block and after every N points */
static void test_anchor(void)
{
    const char *text =
        "{\"schema\": \"edgevirt.spec/1\", \"platforms\": [{\"id\": \"a\", \"settings\": "
        "{\"driver\": \"native\"}}, {\"id\": \"b\", \"settings\": {\"driver\": \"native\"}}], "
        "\"workload\": {\"ops\": [\"GET\", \"SET\"], \"value_sizes\": [64, 1024], \"clients\": "
        "[20, 40], \"requests\": 100, \"anchor\": {\"op\": \"GET\", \"value_size\": 256, "
        "\"every\": 3}}, \"repeats\": 2}";
    ev_spec *s = NULL;
    ev_plan_point *p = NULL;
    size_t n = 0, i, na = 0;
    ev_error err = EV_ERROR_INIT;
    EV_CHECK_MSG(ev_spec_parse(&s, text, "anchor.json", &err) == EV_OK, "%s", err.msg);
    if (!s)
        return;
    /* 8 grid points per block; anchors at the start and after points 3 and 6: 3 per block */
    EV_CHECK(ev_spec_npoints(s) == 2 * 2 * (8 + 3));
    EV_CHECK(ev_plan_build(&p, &n, s, &err) == EV_OK && n == 44);
    EV_CHECK(p[0].anchor && p[0].op == EV_OP_GET && p[0].value_size == 256 && p[0].clients == 20);
    EV_CHECK_STR(p[0].id, "anchor/a/GET/256/c20/P1/r0.0");
    EV_CHECK(!p[1].anchor && !p[2].anchor && !p[3].anchor && p[4].anchor);
    EV_CHECK_STR(p[4].id, "anchor/a/GET/256/c20/P1/r0.1");
    EV_CHECK(p[8].anchor && !p[9].anchor && !p[10].anchor && p[11].anchor == 1);
    EV_CHECK(p[11].platform == 1 && p[11].block == 1); /* b's block starts with its anchor */
    for (i = 0; i < n; i++) {
        na += p[i].anchor;
        for (size_t j = 0; j < i; j++)
            EV_CHECK_MSG(strcmp(p[i].id, p[j].id) != 0, "duplicate id %s", p[i].id);
    }
    EV_CHECK(na == 12);
    free(p);
    ev_spec_free(s);
    {
        const char *bad = "{\"schema\": \"edgevirt.spec/1\", \"platforms\": [{\"id\": \"a\", "
                          "\"settings\": {\"driver\": \"native\"}}], \"workload\": {\"ops\": "
                          "[\"GET\"], \"value_sizes\": 64, \"requests\": 10, \"anchor\": "
                          "{\"op\": \"GET\"}}}";
        EV_CHECK(ev_spec_parse(&s, bad, "bad.json", &err) == EV_ESCHEMA);
        EV_CHECK_MSG(strstr(err.msg, "workload.anchor.value_size") != NULL, "%s", err.msg);
    }
}

static void test_quote(void)
{
    char buf[256];
    char *a[] = {"sh", "-c", "echo 'hi' there", "", "a=b,c", NULL};
    ev_runner_quote_argv(buf, sizeof buf, a);
    EV_CHECK_STR(buf, "sh -c 'echo '\\''hi'\\'' there' '' a=b,c");
    char small[8];
    ev_runner_quote_argv(small, sizeof small, a);
    EV_CHECK(strlen(small) == 7);
}

int main(int argc, char **argv)
{
    g_dir = argc > 1 ? argv[1] : "tests/fixtures/specs";
    test_bad_fixtures();
    test_ok();
    test_plan();
    test_argv();
    test_parse_load();
    test_mixes();
    test_anchor();
    test_quote();
    return ev_test_done();
}
