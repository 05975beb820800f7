/* ev_plan.h - expand a spec into the ordered list of points to measure. Pure (no I/O).
 * Library: ev_runner.
 *
 * Order: repeat r = 0 .. R-1 is the outer loop; inside it every platform gets one block, and
 * the platform order is rotated by r (r = 0: A B C, r = 1: B C A, ...), so that drift over a
 * long sweep (measured: ~25 % over 25 minutes on a shared machine) falls on every platform
 * alike instead of biasing the one measured last. Inside a block the workload grid runs in a
 * fixed order: op, value size, clients, pipeline, then the mixes (workload.mixes), one point
 * each per clients and pipeline, id [tag/]platform/MIX-NAME/cC/PP/rR. With workload.anchor,
 * the anchor point comes first in every block and again after every `every` points of it
 * (per point restart: before every point), id [tag/]anchor/platform/OP/SIZE/cC/PP/rR.K. With restart "per_block" the platform is
 * started once per block; with "per_point" every point is its own block. */
#ifndef EV_PLAN_H
#define EV_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include "ev_err.h"
#include "ev_record.h"
#include "ev_spec.h"

typedef struct ev_plan_point {
    size_t platform;        /* index into spec->platforms */
    ev_op op;
    uint32_t value_size, clients, pipeline;
    int anchor;             /* 1: the spec's anchor point (workload.anchor), repeated in every
                               block to follow drift; recorded with workload.anchor true */
    int mix;                /* index into spec->mixes, or -1: op and value_size (a mix point
                               has op GET and value_size its mean size, for display) */
    int repeat;
    size_t block;           /* points of one block share one start of the platform */
    char id[128];           /* [tag/]platform/OP/size/cC/PP/rR: the resume key */
} ev_plan_point;

/* Build the plan. OUT *out (malloc'ed array, free with free()), *n points.
 * RETURNS EV_OK or EV_ENOMEM. */
int ev_plan_build(ev_plan_point **out, size_t *n, const ev_spec *spec, ev_error *err);

/* The point id (also used by tests). */
void ev_plan_point_id(char *out, size_t len, const char *tag, const char *platform, ev_op op,
                      uint32_t value_size, uint32_t clients, uint32_t pipeline, int repeat);

#endif
