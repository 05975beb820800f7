/* test_load_opts.c - edgevirt-load option parsing and validation: defaults as redis-benchmark,
 * every option, and bad input rejected with a usage-class code naming the option. */
#include "ev_loadopts.h"
#include "ev_test.h"

static int parse(ev_load_options *o, ev_error *e, int argc, const char **argv)
{
    ev_load_options_init(o);
    *e = (ev_error)EV_ERROR_INIT;
    int rc = ev_load_options_parse(o, argc, (char **)argv, e);
    if (rc == EV_OK)
        rc = ev_load_options_validate(o, e);
    return rc;
}
#define ARGS(...) (sizeof((const char *[]){"edgevirt-load", __VA_ARGS__}) / sizeof(const char *)), (const char *[]){"edgevirt-load", __VA_ARGS__}

int main(void)
{
    ev_load_options o;
    ev_error e;
    const char *none[] = {"edgevirt-load"};
    EV_CHECK(parse(&o, &e, 1, none) == EV_OK);
    EV_CHECK(o.clients == 50 && o.requests == 100000 && o.value_size == 3 && o.pipeline == 1);
    EV_CHECK(o.port == 6379 && o.keyspace == 0 && o.tests == (EV_LOAD_T_SET | EV_LOAD_T_GET));
    EV_CHECK(o.prefill == 1 && o.rate == 0 && o.format == EV_LOAD_FMT_TEXT);
    EV_CHECK_STR(o.host, "127.0.0.1");

    EV_CHECK(parse(&o, &e, ARGS("-h", "10.0.0.1", "-p", "7000", "-c", "8", "-n", "500", "-d", "16384", "-P", "16",
                                "-r", "1000", "-t", "get", "--threads", "2", "-q", "--csv")) == EV_OK);
    EV_CHECK(o.port == 7000 && o.clients == 8 && o.requests == 500 && o.requests_given && o.value_size == 16384);
    EV_CHECK(o.pipeline == 16 && o.keyspace == 1000 && o.tests == EV_LOAD_T_GET && o.threads == 2 && o.quiet);
    EV_CHECK(o.format == EV_LOAD_FMT_CSV);
    EV_CHECK_STR(o.host, "10.0.0.1");

    EV_CHECK(parse(&o, &e, ARGS("--duration", "2.5", "--warmup", "1", "--rate", "2000", "--json", "--no-prefill")) == EV_OK);
    EV_CHECK(o.duration_s == 2.5 && o.warmup_s == 1 && o.rate == 2000 && o.format == EV_LOAD_FMT_JSON && !o.prefill);

    EV_CHECK(parse(&o, &e, ARGS("--data-size-list", "32:70,1024:25")) == EV_OK);
    EV_CHECK(o.size_kind == EV_LOAD_SIZE_LIST && o.size_n == 2 && o.size_list[1] == 1024 && o.size_weight[0] == 70);
    EV_CHECK_NEAR(ev_load_options_mean_size(&o), (32 * 70 + 1024 * 25) / 95.0, 1e-9);

    EV_CHECK(parse(&o, &e, ARGS("--size-lognormal", "512:0.5:64:4096")) == EV_OK);
    EV_CHECK(o.size_kind == EV_LOAD_SIZE_LOGNORMAL && o.ln_median == 512 && o.ln_min == 64 && o.ln_max == 4096);
    EV_CHECK(parse(&o, &e, ARGS("--size-lognormal", "512:0.5")) == EV_OK);
    EV_CHECK(o.ln_min == 1 && o.ln_max == 1024 * 1024);

    EV_CHECK(parse(&o, &e, ARGS("--ratio", "1:10")) == EV_OK);
    EV_CHECK(o.ratio_set == 1 && o.ratio_get == 10);
    EV_CHECK(parse(&o, &e, ARGS("--get-ratio", "0.9")) == EV_OK);
    EV_CHECK(o.ratio_set == 100 && o.ratio_get == 900);

    EV_CHECK(parse(&o, &e, ARGS("--help")) == EV_OK && o.help);

    /* bad input: usage-class codes (exit 2) naming the option */
    struct { int argc; const char **argv; const char *needle; } bad[] = {
        {ARGS("-c", "0"), "-c"},
        {ARGS("-c", "abc"), "-c"},
        {ARGS("-n", "-5"), "-n"},
        {ARGS("-p", "70000"), "-p"},
        {ARGS("-d", "0"), "-d"},
        {ARGS("-t", "lpush"), "lpush"},
        {ARGS("--rate", "0"), "--rate"},
        {ARGS("--duration", "x"), "--duration"},
        {ARGS("--data-size-list", "32"), "--data-size-list"},
        {ARGS("--data-size-list", "32:0"), "--data-size-list"},
        {ARGS("--size-lognormal", "10:0.5:64:4096"), "--size-lognormal"},
        {ARGS("--ratio", "0:0"), "--ratio"},
        {ARGS("--get-ratio", "1.5"), "--get-ratio"},
        {ARGS("--bogus"), "--bogus"},
        {ARGS("-c"), "-c"},
        {ARGS("extra"), "extra"},
        {ARGS("-c", "2", "--threads", "4"), "--threads"},
        {ARGS("--rate", "1", "-n", "100000", "--time-limit", "10"), "--time-limit"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse(&o, &e, bad[i].argc, bad[i].argv);
        EV_CHECK_MSG(rc != EV_OK && ev_exit_code(rc) == 2, "case %zu (%s): rc %d", i, bad[i].needle, rc);
        EV_CHECK_MSG(strstr(e.msg, bad[i].needle) != NULL, "case %zu: message '%s' lacks '%s'", i, e.msg, bad[i].needle);
    }
    EV_CHECK(strstr(ev_load_usage(), "--data-size-list") != NULL);
    return ev_test_done();
}
