/* fuzz_profile.c - the workload profile (advisor/ev_profile_load.c, ev_profile.c): the input as
 * a profile file (ev_profile_load + ev_profile_validate), as a size list (--sizes) and as a
 * histogram file. Invariant: a profile that validates has 1..EV_PROFILE_MAX_SIZES classes with
 * weights summing to 1. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ev_profile.h"
#include "fuzz_util.h"

static void check(ev_profile *p)
{
    ev_error err = EV_ERROR_INIT;
    size_t i;
    double sum = 0;
    if (ev_profile_validate(p, &err) != EV_OK) {
        EV_FUZZ_ASSERT(err.msg[0] != '\0');
        return;
    }
    EV_FUZZ_ASSERT(p->nsizes >= 1 && p->nsizes <= EV_PROFILE_MAX_SIZES);
    for (i = 0; i < p->nsizes; i++) {
        EV_FUZZ_ASSERT(p->weight[i] >= 0 && p->size[i] > 0);
        sum += p->weight[i];
    }
    EV_FUZZ_ASSERT(fabs(sum - 1) < 1e-6);
    EV_FUZZ_ASSERT(isfinite(ev_profile_mean_size(p)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ev_profile p;
    ev_error err = EV_ERROR_INIT;
    const char *path = ev_fuzz_write_file("profile.json", data, size);
    char *text;
    if (ev_profile_load(&p, path, &err) == EV_OK)
        check(&p);
    else
        EV_FUZZ_ASSERT(err.msg[0] != '\0');

    ev_profile_init(&p);
    if (ev_profile_load_histogram(&p, path, &err) == EV_OK)
        check(&p);

    text = ev_fuzz_strdup(data, size);
    ev_profile_init(&p);
    if (ev_profile_set_sizes_spec(&p, text, "--sizes", &err) == EV_OK)
        check(&p);
    ev_profile_init(&p);
    if (ev_profile_set_platforms(&p, text, &err) == EV_OK)
        check(&p);
    (void)ev_objective_parse(text);
    (void)ev_arrival_parse(text);
    free(text);
    return 0;
}
