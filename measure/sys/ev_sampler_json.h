/* ev_sampler_json.h - the sampler result as JSON (schema "edgevirt.sample/1", docs/measurement.md).
 * Formatting only: reads an ev_sampler_result, computes nothing. Library: ev_sys. */
#ifndef EV_SAMPLER_JSON_H
#define EV_SAMPLER_JSON_H

#include "ev_sampler.h"

#define EV_SAMPLE_SCHEMA "edgevirt.sample/1"

/* Serialise r as one JSON document ending in '\n' (C locale, numbers round-trip). with_series
 * = 0 leaves the series out. *out is malloc'ed; the caller frees it with free().
 * RETURNS EV_OK or EV_ENOMEM. */
int ev_sampler_result_to_json(char **out, const ev_sampler_result *r, int with_series);

#endif
