/* fuzz_procstat.c - /proc/stat (ev_cpu_parse_stat, mpstat arithmetic on the result) and
 * /proc/PID/stat (ev_proc_parse_stat, thread classification) parsers of measure/sys.
 * The input is parsed both ways; a NUL byte splits it into a "before" and "after" /proc/stat
 * for the percentage functions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ev_cpu.h"
#include "ev_proc.h"
#include "fuzz_util.h"

static ev_cpu_stat st_a, st_b; /* ~90 KiB each: static */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = ev_fuzz_strdup(data, size);
    const uint8_t *nul = memchr(data, 0, size);
    ev_error err = EV_ERROR_INIT;
    ev_task_stat t;
    int ra, rb;

    if (ev_proc_parse_stat(&t, text, &err) == EV_OK) {
        EV_FUZZ_ASSERT(memchr(t.comm, 0, sizeof t.comm) != NULL);
        (void)ev_proc_classify(t.comm);
    } else {
        EV_FUZZ_ASSERT(err.msg[0] != '\0');
    }

    ra = ev_cpu_parse_stat(&st_a, text, &err);
    EV_FUZZ_ASSERT(ra == EV_OK || err.msg[0] != '\0');
    if (ra == EV_OK)
        EV_FUZZ_ASSERT(st_a.ncpu >= 0 && st_a.ncpu <= EV_CPU_MAX);
    rb = nul ? ev_cpu_parse_stat(&st_b, text + (nul - data) + 1, &err) : EV_EPARSE;
    if (ra == EV_OK && rb == EV_OK) {
        ev_cpu_pct pct;
        size_t used = 0;
        int cpus[2] = {0, 1};
        int i;
        ev_cpu_percent_all(&pct, &st_a, &st_b);
        for (i = 0; i < EV_CPU_NFIELDS; i++)
            EV_FUZZ_ASSERT(!isnan(pct.pct[i]));
        ev_cpu_percent_set(&pct, &st_a, &st_b, NULL, 0, &used);
        ev_cpu_percent_set(&pct, &st_a, &st_b, cpus, 2, &used);
        ev_cpu_percent(&pct, &st_a.total, &st_b.total);
        for (i = 0; i < EV_CPU_NFIELDS; i++)
            EV_FUZZ_ASSERT(!isnan(pct.pct[i]));
    }
    free(text);
    return 0;
}
