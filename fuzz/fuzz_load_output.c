/* fuzz_load_output.c - edgevirt-load's JSON report as the runner reads it into a run record
 * (measure/runner/ev_runner.c, ev_runner_parse_load). The bytes are passed with their length
 * and no NUL after them (the runner reads the child's stdout the same way). Invariants: a
 * failure has a message; an accepted report gives rps >= 0 (the runner validates the whole
 * record before appending it, so that is not asserted here). */
#include <stdlib.h>
#include <string.h>
#include "ev_runner.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ev_record r;
    ev_error err = EV_ERROR_INIT;
    int op, rc;
    for (op = EV_OP_GET; op <= EV_OP_SET; op++) {
        ev_record_init(&r);
        rc = ev_runner_parse_load(&r, (const char *)data, size, (ev_op)op, &err);
        if (rc == EV_OK)
            EV_FUZZ_ASSERT(r.rps >= 0);
        else
            EV_FUZZ_ASSERT(err.msg[0] != '\0');
    }
    return 0;
}
