/* fuzz_loadopts.c - edgevirt-load's command line (measure/load/ev_loadopts.c): the input split
 * at NUL bytes and newlines becomes argv[1..] (argv[0] = "edgevirt-load"), then
 * ev_load_options_parse + ev_load_options_validate + ev_load_options_mean_size. Invariants: a
 * failure is a usage-class code with a message; validated options have a finite mean size. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ev_loadopts.h"
#include "fuzz_util.h"

#define MAXARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), *argv[MAXARGS + 2];
    int argc = 1, rc;
    size_t i, start = 0;
    ev_load_options o;
    ev_error err = EV_ERROR_INIT;
    if (!buf)
        return 0;
    if (size)
        memcpy(buf, data, size);
    buf[size] = '\0';
    argv[0] = (char *)"edgevirt-load";
    for (i = 0; i <= size && argc <= MAXARGS; i++) {
        if (i == size || buf[i] == '\0' || buf[i] == '\n') {
            buf[i] = '\0';
            if (i > start || i < size) /* keep empty arguments too, except a trailing one */
                argv[argc++] = buf + start;
            start = i + 1;
        }
    }
    argv[argc] = NULL;
    ev_load_options_init(&o);
    rc = ev_load_options_parse(&o, argc, argv, &err);
    if (rc == EV_OK)
        rc = ev_load_options_validate(&o, &err);
    if (rc != EV_OK) {
        EV_FUZZ_ASSERT(ev_exit_code(rc) == 2);
        EV_FUZZ_ASSERT(err.msg[0] != '\0');
    } else if (!o.help && !o.version) {
        EV_FUZZ_ASSERT(isfinite(ev_load_options_mean_size(&o)));
        EV_FUZZ_ASSERT(o.clients >= 1);
    }
    free(buf);
    return 0;
}
