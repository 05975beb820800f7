/* test_advisor_load.c - the profile loader: every example in data/profiles loads; a full
 * profile (histogram file relative to the profile, every field) reads back; each bad fixture
 * in tests/fixtures/profiles fails with a message naming the file and the field, and a code
 * that maps to exit status 2.
 * Usage: test_advisor_load SOURCE_DIR */
#include "ev_profile.h"
#include "ev_test.h"

#include <dirent.h>
#include <stdlib.h>

static const struct {
    const char *file;
    const char *field;  /* must appear in the message */
    const char *what;   /* and this too */
} bad[] = {
    { "bad_schema.json", "schema", "edgevirt.profile/2" },
    { "bad_weight.json", "sizes.items[1].weight", ">= 0" },
    { "bad_get_ratio.json", "get_ratio", "1.5" },
    { "bad_unknown.json", "get_ration", "unknown field" },
    { "bad_objective.json", "objective", "fastest" },
    { "bad_rate_missing.json", "load.rate_rps", "missing" },
    { "bad_lognormal.json", "sizes.sigma", "-1" },
    { "bad_histogram.json", "sizes.file", "no-such-sizes.txt" },
    { "bad_syntax.json", "line 4", "not valid JSON" },
    { "bad_min_cpu_saturation.json", "objective", "offered" },
    { "bad_onoff.json", "load.arrivals.off_s", "missing" },
    { "bad_mtu.json", "network.mtu", "100" },
    { "bad_no_sizes.json", "sizes", "missing" },
    { "bad_size_type.json", "sizes.items[0].size", "number" },
};

int main(int argc, char **argv)
{
    char path[1024];
    ev_profile p;
    ev_error err = EV_ERROR_INIT;
    size_t i;
    int n = 0, rc;
    DIR *d;
    struct dirent *de;

    if (argc < 2) {
        fprintf(stderr, "usage: test_advisor_load SOURCE_DIR\n");
        return 2;
    }
    /* the examples */
    snprintf(path, sizeof path, "%s/data/profiles", argv[1]);
    d = opendir(path);
    EV_CHECK(d != NULL);
    while (d && (de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/data/profiles/%s", argv[1], de->d_name);
        rc = ev_profile_load(&p, path, &err);
        EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
        n++;
    }
    if (d)
        closedir(d);
    EV_CHECK_MSG(n >= 5, "only %d example profiles", n);

    /* a full profile */
    snprintf(path, sizeof path, "%s/tests/fixtures/profiles/good_histogram.json", argv[1]);
    rc = ev_profile_load(&p, path, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (rc == EV_OK) {
        EV_CHECK_STR(p.name, "hist");
        EV_CHECK(p.dist == EV_DIST_HISTOGRAM && p.nsizes == 3);
        EV_CHECK_NEAR(p.weight[0], 0.6, 1e-12);
        EV_CHECK(p.size[2] == 30000);
        EV_CHECK(p.get_ratio == 0.75 && p.key_size == 24 && p.mtu == 9000);
        EV_CHECK(p.link_rate_bps == 1e10 && p.clients == 8 && p.pipeline == 4);
        EV_CHECK(p.mode == EV_LOAD_OFFERED && p.rate_rps == 500);
        EV_CHECK(p.arrival == EV_ARR_BATCH && p.batch == 8);
        EV_CHECK(p.objective == EV_OBJ_MIN_CPU);
        EV_CHECK(p.min_rps == 100 && p.max_cpu_pct == 90);
        EV_CHECK(p.nplatforms == 2);
        EV_CHECK_STR(p.platforms[1], "linuxvm");
        EV_CHECK(strstr(p.source, "good_histogram.json") != NULL);
    }
    /* the bad ones */
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(path, sizeof path, "%s/tests/fixtures/profiles/%s", argv[1], bad[i].file);
        err.msg[0] = '\0';
        rc = ev_profile_load(&p, path, &err);
        EV_CHECK_MSG(rc != EV_OK && ev_exit_code(rc) == 2, "%s: rc %d (%s)", bad[i].file, rc,
                     err.msg);
        EV_CHECK_MSG(strstr(err.msg, bad[i].file) != NULL, "%s: file not named: %s",
                     bad[i].file, err.msg);
        EV_CHECK_MSG(strstr(err.msg, bad[i].field) != NULL, "%s: field \"%s\" not named: %s",
                     bad[i].file, bad[i].field, err.msg);
        EV_CHECK_MSG(strstr(err.msg, bad[i].what) != NULL, "%s: \"%s\" not said: %s",
                     bad[i].file, bad[i].what, err.msg);
        if (getenv("EV_VERBOSE"))
            printf("%s\n", err.msg);
    }
    EV_CHECK(ev_profile_load(&p, "/nonexistent/p.json", &err) == EV_ENOENT);
    return ev_test_done();
}
