/* fuzz_driver_settings.c - a platform's "settings" block of the runner's spec as the drivers
 * read it (measure/drivers: ev_driver_new + ev_driver_plan). Starts nothing: ev_driver_new only
 * parses and ev_driver_plan only formats text. Invariant: a failure has a bad-input code and a
 * message; a driver that was created has a non-empty plan. */
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "ev_driver.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *j = cJSON_ParseWithLength((const char *)data, size);
    ev_driver *d = NULL;
    ev_error err = EV_ERROR_INIT;
    int rc;
    if (!j)
        return 0;
    rc = ev_driver_new(&d, j, "platforms[0].settings", &err);
    if (rc == EV_OK) {
        char *plan = NULL;
        EV_FUZZ_ASSERT(d != NULL);
        (void)ev_driver_get_info(d);
        if (ev_driver_plan(d, &plan, &err) == EV_OK) {
            EV_FUZZ_ASSERT(plan && plan[0] != '\0');
            free(plan);
        }
        ev_driver_free(d);
    } else {
        EV_FUZZ_ASSERT(ev_exit_code(rc) == 2 || rc == EV_ENOMEM);
        EV_FUZZ_ASSERT(err.msg[0] != '\0');
    }
    cJSON_Delete(j);
    return 0;
}
