/* ev_cpu.h - system CPU accounting from /proc/stat, computed exactly as sysstat's mpstat does.
 *
 * Readers fill caller-owned structs with raw cumulative counters (USER_HZ ticks) and take a
 * root path prefix ("" or NULL = the live system; "tests/fixtures/proc1" = a captured tree
 * holding proc/stat), as sysstat's PRE prefix does. Percentages are computed from two
 * snapshots by pure functions; every negative delta is clamped to 0 by ev_cpu_delta().
 * Formulas: docs/measurement.md. Library: ev_sys (measure/sys). */
#ifndef EV_CPU_H
#define EV_CPU_H

#include <stddef.h>
#include <stdint.h>
#include "ev_err.h"
#include "ev_record.h" /* EV_CPU_USER ... EV_CPU_IDLE, EV_CPU_NFIELDS */

/* One "cpu" / "cpuN" line of /proc/stat: cumulative USER_HZ ticks. guest is included in
 * user and guest_nice in nice by the kernel. Missing trailing columns (old kernels) are 0. */
typedef struct ev_cpu_times {
    uint64_t user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice;
} ev_cpu_times;

/* A /proc/stat snapshot. cpu[] is indexed by CPU number; online[i] is 1 when a "cpuI" line
 * was present (offline CPUs have no line). Caller-owned: size both arrays with
 * ev_cpu_count() or use EV_CPU_MAX. */
#define EV_CPU_MAX 1024
typedef struct ev_cpu_stat {
    ev_cpu_times total;       /* the "cpu" line */
    int ncpu;                 /* highest CPU number seen + 1 */
    ev_cpu_times cpu[EV_CPU_MAX];
    unsigned char online[EV_CPU_MAX];
} ev_cpu_stat;

/* mpstat's percentages over a window, indexed by EV_CPU_USER .. EV_CPU_IDLE
 * (usr sys soft guest nice iowait irq steal gnice idle). itv is the interval in ticks
 * used as the denominator. */
typedef struct ev_cpu_pct {
    double pct[EV_CPU_NFIELDS];
    double itv;
} ev_cpu_pct;

/* The one clamping helper: cur - prev, or 0 when the counter went backwards.
 * Unsigned wrap-around of differences such as (user - guest) is handled by the caller
 * exactly as mpstat does (unsigned arithmetic, then this clamp). */
uint64_t ev_cpu_delta(uint64_t prev, uint64_t cur);

/* Parse the text of /proc/stat (NUL-terminated) into *out (zeroed first).
 * RETURNS EV_OK, EV_EPARSE (no "cpu" line, malformed number; err names the line) or
 * EV_ERANGE (a CPU number >= EV_CPU_MAX). */
int ev_cpu_parse_stat(ev_cpu_stat *out, const char *text, ev_error *err);

/* Read ROOT/proc/stat and parse it. root may be NULL or "" for the live system.
 * RETURNS EV_OK, EV_ENOENT, EV_EIO or a parse error. */
int ev_cpu_read_stat(ev_cpu_stat *out, const char *root, ev_error *err);

/* mpstat's line for one CPU (write_json_cpu_stats): itv = get_per_cpu_interval() (guest and
 * guest_nice left out, plus mpstat's shift when user-guest went backwards, idle/iowait reset
 * workaround); when itv == 0 (tickless CPU, no change) every category is 0 and idle 100. */
void ev_cpu_percent(ev_cpu_pct *out, const ev_cpu_times *prev, const ev_cpu_times *cur);

/* mpstat's "all" line: the sum of every CPU online in both snapshots (CPUs that came online
 * in between are skipped, as mpstat does), divided by the sum of their per-CPU intervals
 * (1 if that is 0). Values are percent of the whole machine (0..100). */
void ev_cpu_percent_all(ev_cpu_pct *out, const ev_cpu_stat *prev, const ev_cpu_stat *cur);

/* A set of CPUs in percent of ONE core: the sum of each CPU's mpstat line (ev_cpu_percent),
 * so two busy CPUs give usr = 200. cpus == NULL means every CPU online in both snapshots.
 * CPUs not online in both snapshots are skipped; *nused (may be NULL) gets how many counted.
 * out->itv is the mean per-CPU interval. */
void ev_cpu_percent_set(ev_cpu_pct *out, const ev_cpu_stat *prev, const ev_cpu_stat *cur,
                        const int *cpus, size_t ncpus, size_t *nused);

/* mpstat's JSON key for a category index ("usr","sys","soft","guest","nice","iowait","irq",
 * "steal","gnice","idle"); NULL when out of range. */
const char *ev_cpu_mpstat_name(int category);

#endif
