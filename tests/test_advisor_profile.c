/* test_advisor_profile.c - profile defaults, flag parsing, distributions, histogram files and
 * validation (the JSON loader is tested in test_advisor_load.c). */
#include "ev_profile.h"
#include "ev_fs.h"
#include "ev_test.h"

#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    ev_profile p;
    ev_error err = EV_ERROR_INIT;
    double sum = 0;
    size_t i;

    ev_profile_init(&p);
    EV_CHECK(ev_profile_validate(&p, &err) == EV_OK);
    EV_CHECK(p.nsizes == 1 && p.size[0] == 64 && p.weight[0] == 1);

    /* weighted list as memtier's --data-size-list */
    EV_CHECK(ev_profile_set_sizes_spec(&p, "64:70,1024:25,16384:5", "--sizes", &err) == EV_OK);
    EV_CHECK(ev_profile_validate(&p, &err) == EV_OK);
    EV_CHECK(p.nsizes == 3);
    EV_CHECK_NEAR(p.weight[0], 0.70, 1e-12);
    EV_CHECK_NEAR(p.weight[2], 0.05, 1e-12);
    EV_CHECK_NEAR(ev_profile_mean_size(&p), 0.7 * 64 + 0.25 * 1024 + 0.05 * 16384, 1e-9);
    EV_CHECK(ev_profile_set_sizes_spec(&p, "100", NULL, &err) == EV_OK && p.nsizes == 1);
    EV_CHECK(ev_profile_set_sizes_spec(&p, "64:x", "--sizes", &err) == EV_EINVAL);
    EV_CHECK(strstr(err.msg, "--sizes") && strstr(err.msg, "weight"));
    EV_CHECK(ev_profile_set_sizes_spec(&p, "0:1", "--sizes", &err) == EV_EINVAL);
    EV_CHECK(ev_profile_set_sizes_spec(&p, "64:1,", "--sizes", &err) == EV_EINVAL);
    EV_CHECK(ev_profile_set_sizes_spec(&p, "64:-1", "--sizes", &err) == EV_EINVAL);
    EV_CHECK(ev_profile_set_sizes_spec(&p, "", "--sizes", &err) == EV_EINVAL);
    EV_CHECK(ev_profile_set_sizes_spec(&p, "64:0", "--sizes", &err) == EV_OK);
    EV_CHECK(ev_profile_validate(&p, &err) == EV_ERANGE); /* weights sum to 0 */

    /* lognormal: masses sum to 1, sizes inside the clip range and increasing, mean close to
     * the analytic mean of the clipped lognormal (median 1000, sigma 0.5, wide clip: mean
     * = 1000 * exp(0.125)) */
    EV_CHECK(ev_profile_set_lognormal(&p, 1000, 0.5, 1, 1e7, &err) == EV_OK);
    for (i = 0, sum = 0; i < p.nsizes; i++) {
        sum += p.weight[i];
        EV_CHECK(p.size[i] >= 1 && p.size[i] <= 1e7);
        if (i)
            EV_CHECK(p.size[i] > p.size[i - 1]);
    }
    EV_CHECK_NEAR(sum, 1.0, 1e-9);
    EV_CHECK_NEAR(ev_profile_mean_size(&p) / (1000 * exp(0.125)), 1.0, 1e-6);
    EV_CHECK(ev_profile_set_lognormal(&p, 1000, 0, 1, 10, &err) == EV_EINVAL);
    EV_CHECK(ev_profile_set_lognormal(&p, 1000, 0.5, 100, 10, &err) == EV_EINVAL);
    EV_CHECK(ev_profile_set_lognormal(&p, 1e9, 0.01, 1, 10, &err) == EV_EINVAL); /* no mass */

    /* histogram file */
    {
        char path[] = "/tmp/ev_hist.XXXXXX";
        int fd = mkstemp(path);
        const char *ok = "# size weight\n64 10\n\n1024 5   # comment\n4096 1\n";
        const char *bad = "64 10\n1024 five\n";
        EV_CHECK(fd >= 0);
        close(fd);
        EV_CHECK(ev_fs_write_atomic(path, ok, strlen(ok), &err) == EV_OK);
        EV_CHECK(ev_profile_load_histogram(&p, path, &err) == EV_OK);
        EV_CHECK(p.nsizes == 3 && p.size[1] == 1024 && p.weight[2] == 1);
        EV_CHECK(p.dist == EV_DIST_HISTOGRAM);
        EV_CHECK(ev_fs_write_atomic(path, bad, strlen(bad), &err) == EV_OK);
        EV_CHECK(ev_profile_load_histogram(&p, path, &err) == EV_EPARSE);
        EV_CHECK_MSG(strstr(err.msg, ":2:") != NULL, "%s", err.msg); /* names the line */
        unlink(path);
        EV_CHECK(ev_profile_load_histogram(&p, "/nonexistent/h.txt", &err) == EV_ENOENT);
    }

    /* validation: objective vs load mode, ranges */
    ev_profile_init(&p);
    p.objective = EV_OBJ_MIN_CPU;
    EV_CHECK(ev_profile_validate(&p, &err) == EV_EINVAL);
    EV_CHECK(strstr(err.msg, "objective") != NULL);
    p.mode = EV_LOAD_OFFERED;
    p.rate_rps = 1000;
    EV_CHECK(ev_profile_validate(&p, &err) == EV_OK);
    p.get_ratio = 1.5;
    EV_CHECK(ev_profile_validate(&p, &err) == EV_ERANGE && strstr(err.msg, "get_ratio"));
    p.get_ratio = 1;
    p.mtu = 100;
    EV_CHECK(ev_profile_validate(&p, &err) == EV_ERANGE && strstr(err.msg, "mtu"));
    p.mtu = 1500;
    p.arrival = EV_ARR_ONOFF;
    p.on_s = 0;
    EV_CHECK(ev_profile_validate(&p, &err) == EV_ERANGE);
    p.on_s = 0.01;
    EV_CHECK(ev_profile_validate(&p, &err) == EV_OK);

    /* platforms */
    EV_CHECK(ev_profile_set_platforms(&p, "kata,unikraft-vhost", &err) == EV_OK);
    EV_CHECK(p.nplatforms == 2);
    EV_CHECK_STR(p.platforms[1], "unikraft-vhost");
    EV_CHECK(ev_profile_set_platforms(&p, "kata,,x", &err) == EV_EINVAL);
    EV_CHECK(ev_profile_set_platforms(&p, "kata,kata", &err) == EV_OK);
    EV_CHECK(ev_profile_validate(&p, &err) == EV_EINVAL);

    /* names */
    EV_CHECK(ev_objective_parse("max-app-cpu") == EV_OBJ_MAX_APP_CPU);
    EV_CHECK(ev_objective_parse("fastest") == -1);
    EV_CHECK_STR(ev_objective_name(EV_OBJ_MIN_CPU), "min-cpu");
    EV_CHECK(ev_arrival_parse("onoff") == EV_ARR_ONOFF);
    EV_CHECK_STR(ev_arrival_name(EV_ARR_BATCH), "batch");
    return ev_test_done();
}
