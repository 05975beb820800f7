/* ev_loadout.h - writers for edgevirt-load results: text (like redis-benchmark, -q for one line
 * per test), CSV (redis-benchmark's exact header) and JSON (schema "edgevirt.load/1", every
 * field; docs/edgevirt-load.md). They only format the structs filled by ev_loadgen_run.
 * Machine formats use the C locale. RETURNS EV_OK, EV_ENOMEM or EV_EIO (write failed). */
#ifndef EV_LOADOUT_H
#define EV_LOADOUT_H

#include <stdio.h>
#include "ev_loadgen.h"
#include "ev_loadopts.h"

#define EV_LOAD_JSON_SCHEMA "edgevirt.load/1"
#define EV_LOAD_CSV_HEADER \
    "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\",\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\""

/* Text: finished tests only (failed ones are reported by the caller from their status). */
int ev_load_write_text(FILE *f, const ev_load_report *r, const ev_load_options *o);
/* CSV: header + one row per finished test (failed tests are left out). */
int ev_load_write_csv(FILE *f, const ev_load_report *r, const ev_load_options *o);
/* JSON: one document with every test (failed ones carry "status":"failed" and "error"). */
int ev_load_write_json(FILE *f, const ev_load_report *r, const ev_load_options *o);
/* The same JSON document as a malloc'ed string (*out, caller frees with free()). */
int ev_load_json_string(char **out, const ev_load_report *r, const ev_load_options *o);

#endif
