/* ev_loadrec.h - from an edgevirt-load test result to the workload and result fields of a run
 * record (model/ev_record.h), so the experiment runner does not re-derive them. */
#ifndef EV_LOADREC_H
#define EV_LOADREC_H

#include "ev_err.h"
#include "ev_loadgen.h"
#include "ev_record.h"

/* Fill r's workload (op, value_size = mean value size rounded, key_size, clients, pipeline,
 * requests, duration_s), results (rps, lat_avg/p50/p90/p99/p999/max_ms), ok/error and
 * redis_version from test t of report rep. Other fields of r are left as they are (call
 * ev_record_init first; platform, CPU and interface fields come from other modules).
 * A failed test gives ok = 0 and its error text. RETURNS EV_OK, or EV_EINVAL for a MIX test
 * (a run record has a single op). */
int ev_load_fill_record(ev_record *r, const ev_load_report *rep, const ev_load_result *t, ev_error *err);

#endif
