/* fuzz_model.c - the model file (model/ev_model_json.c, ev_model_parse). Invariants: a model
 * that loads serialises, loads back and serialises to the same text; predictions for every
 * platform at a few sizes either succeed with a finite, non-negative rate or fail cleanly. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ev_model.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = ev_fuzz_strdup(data, size);
    ev_model *m = NULL, *m2 = NULL;
    ev_error err = EV_ERROR_INIT;
    int rc = ev_model_parse(&m, text, "fuzz-model.json", &err);
    free(text);
    if (rc != EV_OK) {
        EV_FUZZ_ASSERT(m == NULL && err.msg[0] != '\0');
        return 0;
    }
    {
        char *j1 = NULL, *j2 = NULL;
        ev_error e2 = EV_ERROR_INIT;
        EV_FUZZ_ASSERT(ev_model_to_json(&j1, m) == EV_OK);
        rc = ev_model_parse(&m2, j1, "roundtrip", &e2);
        if (rc != EV_OK)
            ev_fuzz_fail(__FILE__, __LINE__, e2.msg);
        EV_FUZZ_ASSERT(ev_model_to_json(&j2, m2) == EV_OK);
        EV_FUZZ_ASSERT(strcmp(j1, j2) == 0);
        free(j1);
        free(j2);
        ev_model_free(m2);
    }
    {
        size_t p, n = ev_model_nplatforms(m);
        static const double sizes[] = {1, 64, 1400, 65536, 1e6};
        ev_conditions cond = EV_CONDITIONS_INIT;
        for (p = 0; p < n && p < 8; p++) {
            ev_platform_info pi;
            size_t s;
            (void)ev_model_platform(&pi, m, p);
            for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
                ev_mix_item mix[2] = {{EV_OP_GET, sizes[s], 1}, {EV_OP_SET, sizes[s], 1}};
                ev_prediction pr;
                ev_error e3 = EV_ERROR_INIT;
                if (ev_model_predict(&pr, m, p, mix, 2, &cond, &e3) == EV_OK)
                    EV_FUZZ_ASSERT(!isnan(pr.rps) && pr.rps >= 0);
            }
        }
    }
    ev_model_free(m);
    return 0;
}
