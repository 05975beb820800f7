/* test_driver_plan.c - dry-run golden test per driver: the plan text (every argv and every
 * API request) of tests/fixtures/drivers/NAME.json must equal NAME.golden byte for byte.
 * EV_UPDATE_GOLDEN=1 rewrites the golden files (review the diff before committing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev_driver.h"
#include "ev_fs.h"
#include "ev_test.h"

static const char *const names[] = {"native", "command", "firecracker", "linuxvm",
                                    "unikraft-virtio", "unikraft-vhost", "kata", "kata-nerdctl",
                                    NULL};

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/fixtures/drivers";
    int update = getenv("EV_UPDATE_GOLDEN") && strcmp(getenv("EV_UPDATE_GOLDEN"), "1") == 0;
    const char *const *n;
    for (n = names; *n; n++) {
        char path[4096], gpath[4096], *json = NULL, *plan = NULL, *golden = NULL;
        ev_error err = EV_ERROR_INIT;
        ev_driver *d = NULL;
        cJSON *j;
        snprintf(path, sizeof path, "%s/%s.json", dir, *n);
        snprintf(gpath, sizeof gpath, "%s/%s.golden", dir, *n);
        EV_CHECK_MSG(ev_fs_read_all(&json, NULL, path, &err) == EV_OK, "%s", err.msg);
        j = json ? cJSON_Parse(json) : NULL;
        EV_CHECK_MSG(j != NULL, "%s: not JSON", path);
        if (j) {
            int rc = ev_driver_new(&d, j, *n, &err);
            EV_CHECK_MSG(rc == EV_OK, "%s: %s", path, err.msg);
        }
        if (d) {
            EV_CHECK_MSG(ev_driver_plan(d, &plan, &err) == EV_OK, "%s", err.msg);
            /* a plan starts nothing */
            EV_CHECK(ev_driver_check(d, &err) == EV_EINVAL);
        }
        if (plan && update) {
            EV_CHECK(ev_fs_write_atomic(gpath, plan, strlen(plan), &err) == EV_OK);
            printf("updated %s\n", gpath);
        } else if (plan) {
            EV_CHECK_MSG(ev_fs_read_all(&golden, NULL, gpath, &err) == EV_OK, "%s", err.msg);
            EV_CHECK_MSG(golden && strcmp(golden, plan) == 0,
                         "%s: plan differs from %s\n--- got:\n%s--- expected:\n%s", *n, gpath,
                         plan, golden ? golden : "(none)");
        }
        free(json);
        free(plan);
        free(golden);
        cJSON_Delete(j);
        ev_driver_free(d);
    }
    return ev_test_done();
}
