/* fuzz_fc_reply.c - the Firecracker API answer as the firecracker driver reads it
 * (measure/drivers/ev_drv_firecracker.c, ev_drv_fc_api_error: a 4xx/5xx body -> the error with
 * its "fault_message"). Firecracker answers errors as {"fault_message": "..."}
 * (tests/fixtures/firecracker-api.json, definition Error). Invariants: always EV_EAPI, a message
 * that starts with "firecracker API: PUT /x answered <code>: ", and that holds the fault
 * message when the body is an object with a short string fault_message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "ev_drv_internal.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = ev_fuzz_strdup(data, size);
    ev_error err = EV_ERROR_INIT;
    long code = size ? 400 + data[0] % 200 : 400;
    char head[64];
    cJSON *j;
    EV_FUZZ_ASSERT(ev_drv_fc_api_error(&err, "PUT /x", code, body) == EV_EAPI);
    EV_FUZZ_ASSERT(err.code == EV_EAPI);
    snprintf(head, sizeof head, "firecracker API: PUT /x answered %ld: ", code);
    EV_FUZZ_ASSERT(strncmp(err.msg, head, strlen(head)) == 0);
    j = cJSON_Parse(body);
    if (j) {
        const cJSON *fm = cJSON_GetObjectItemCaseSensitive(j, "fault_message");
        if (cJSON_IsString(fm) && strlen(fm->valuestring) < 200)
            EV_FUZZ_ASSERT(strcmp(err.msg + strlen(head), fm->valuestring) == 0);
        cJSON_Delete(j);
    }
    EV_FUZZ_ASSERT(ev_drv_fc_api_error(&err, "PUT /x", code, NULL) == EV_EAPI);
    EV_FUZZ_ASSERT(strstr(err.msg, "(no body)") != NULL);
    free(body);
    return 0;
}
