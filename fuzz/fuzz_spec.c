/* fuzz_spec.c - the experiment spec (measure/runner/ev_spec.c, ev_spec_parse; it also runs every
 * platform's driver settings through ev_driver_new) and the plan built from it (ev_plan_build).
 * Invariants: a failure is a bad-input code with a message; a spec that loads has at least one
 * point, and every point id of its plan (the resume key) is unique, so resuming can neither
 * skip nor repeat a point. */
#include <stdlib.h>
#include <string.h>
#include "ev_plan.h"
#include "ev_spec.h"
#include "fuzz_util.h"

static int cmp_id(const void *a, const void *b)
{
    return strcmp(((const ev_plan_point *)a)->id, ((const ev_plan_point *)b)->id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = ev_fuzz_strdup(data, size);
    ev_spec *s = NULL;
    ev_error err = EV_ERROR_INIT;
    int rc = ev_spec_parse(&s, text, "fuzz-spec.json", &err);
    free(text);
    if (rc != EV_OK) {
        EV_FUZZ_ASSERT(s == NULL);
        EV_FUZZ_ASSERT(ev_exit_code(rc) == 2 || rc == EV_ENOMEM);
        EV_FUZZ_ASSERT(err.msg[0] != '\0');
        return 0;
    }
    {
        size_t n = ev_spec_npoints(s), got = 0, i;
        ev_plan_point *pts = NULL;
        EV_FUZZ_ASSERT(n >= 1);
        if (n <= 20000 && ev_plan_build(&pts, &got, s, &err) == EV_OK) {
            EV_FUZZ_ASSERT(got == n);
            qsort(pts, got, sizeof *pts, cmp_id);
            for (i = 1; i < got; i++)
                if (strcmp(pts[i - 1].id, pts[i].id) == 0)
                    ev_fuzz_fail(__FILE__, __LINE__, pts[i].id); /* duplicate resume key */
            free(pts);
        }
    }
    ev_spec_free(s);
    return 0;
}
