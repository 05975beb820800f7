/* ev_runner_int.h - private to measure/runner: what the runner's files share. */
#ifndef EV_RUNNER_INT_H
#define EV_RUNNER_INT_H

#include <stddef.h>
#include "ev_driver.h"
#include "ev_record.h"
#include "ev_runner.h"
#include "ev_sampler.h"
#include "ev_spec.h"

/* edgevirt-load's time limit for a measured point: client.timeout_s, else derived from the
 * requests or the duration (ev_runner_load.c) */
double ev_runner__load_timeout(const ev_spec *s);
/* the interfaces to sample: the spec's plus the driver's instance interface (ev_runner.c) */
size_t ev_runner__build_ifaces(ev_sampler_iface *out, const ev_spec *s,
                               const ev_driver_info *info);
/* the records already in the results file, for resume (ev_runner.c); sum may be NULL */
int ev_runner__load_done(ev_recset *done, const ev_runner_options *o, ev_runner_summary *sum,
                         ev_error *err);

#endif
