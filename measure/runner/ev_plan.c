/* ev_plan.c - see ev_plan.h. */
#include "ev_plan.h"

#include <stdio.h>
#include <stdlib.h>

void ev_plan_point_id(char *out, size_t len, const char *tag, const char *platform, ev_op op,
                      uint32_t value_size, uint32_t clients, uint32_t pipeline, int repeat)
{
    snprintf(out, len, "%s%s%s/%s/%u/c%u/P%u/r%d", tag && *tag ? tag : "",
             tag && *tag ? "/" : "", platform, ev_op_name(op), (unsigned)value_size,
             (unsigned)clients, (unsigned)pipeline, repeat);
}

/* the anchor point of a block: the spec's anchor configuration, clients and pipeline the first
 * of their lists; id [tag/]platform/anchor-OP-SIZE/cC/PP/rR.K (K-th anchor of the block) */
static void ev_plan__anchor(ev_plan_point *pt, const ev_spec *s, size_t p, uint32_t r,
                            size_t block, unsigned k)
{
    pt->mix = -1;
    pt->anchor = 1;
    pt->platform = p;
    pt->op = s->anchor_op;
    pt->value_size = s->anchor_size;
    pt->clients = s->clients[0];
    pt->pipeline = s->pipelines[0];
    pt->repeat = (int)r;
    pt->block = block;
    snprintf(pt->id, sizeof pt->id, "%s%sanchor/%s/%s/%u/c%u/P%u/r%u.%u", s->tag[0] ? s->tag : "",
             s->tag[0] ? "/" : "", s->platforms[p].id, ev_op_name(pt->op),
             (unsigned)pt->value_size, (unsigned)pt->clients, (unsigned)pt->pipeline,
             (unsigned)r, k);
}

int ev_plan_build(ev_plan_point **out, size_t *n, const ev_spec *s, ev_error *err)
{
    size_t total = ev_spec_npoints(s), k = 0, block = 0;
    size_t per_block = (s->nops * s->nsizes + s->nmixes) * s->nclients * s->npipelines;
    ev_plan_point *pts, *grid;
    *out = NULL;
    *n = 0;
    pts = calloc(total ? total : 1, sizeof *pts);
    grid = calloc(per_block ? per_block : 1, sizeof *grid);
    if (!pts || !grid) {
        free(pts);
        free(grid);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    for (uint32_t r = 0; r < s->repeats; r++) {
        for (size_t b = 0; b < s->nplatforms; b++) {
            size_t p = (b + r) % s->nplatforms, g = 0;
            unsigned ak = 0;
            for (size_t o = 0; o < s->nops; o++)
                for (size_t z = 0; z < s->nsizes; z++)
                    for (size_t c = 0; c < s->nclients; c++)
                        for (size_t q = 0; q < s->npipelines; q++) {
                            ev_plan_point *pt = &grid[g++];
                            pt->mix = -1;
                            pt->op = s->ops[o];
                            pt->value_size = s->value_sizes[z];
                            pt->clients = s->clients[c];
                            pt->pipeline = s->pipelines[q];
                        }
            for (size_t x = 0; x < s->nmixes; x++)
                for (size_t c = 0; c < s->nclients; c++)
                    for (size_t q = 0; q < s->npipelines; q++) {
                        ev_plan_point *pt = &grid[g++];
                        const ev_spec_mix *mx = &s->mixes[x];
                        double mean = 0, ws = 0;
                        for (size_t j = 0; j < mx->n; j++) {
                            mean += mx->size[j] * mx->weight[j];
                            ws += mx->weight[j];
                        }
                        pt->mix = (int)x;
                        pt->op = EV_OP_GET;
                        pt->value_size = ws > 0 ? (uint32_t)(mean / ws + 0.5) : 1;
                        pt->clients = s->clients[c];
                        pt->pipeline = s->pipelines[q];
                    }
            for (g = 0; g < per_block; g++) {
                ev_plan_point *pt;
                /* the anchor first in every block (per point: before every point) */
                if (s->anchor && (s->restart == EV_SPEC_RESTART_POINT || g == 0))
                    ev_plan__anchor(&pts[k++], s, p, r, block, ak++);
                pt = &pts[k++];
                *pt = grid[g];
                pt->platform = p;
                pt->repeat = (int)r;
                pt->block = block;
                if (pt->mix >= 0) {
                    int len = snprintf(pt->id, sizeof pt->id, "%s%s%s/MIX-%s/c%u/P%u/r%d",
                                       s->tag[0] ? s->tag : "", s->tag[0] ? "/" : "",
                                       s->platforms[p].id, s->mixes[pt->mix].name,
                                       (unsigned)pt->clients, (unsigned)pt->pipeline,
                                       pt->repeat);
                    if (len >= (int)sizeof pt->id) /* cut to 127 bytes: still the resume key */
                        pt->id[sizeof pt->id - 1] = '\0';
                } else {
                    ev_plan_point_id(pt->id, sizeof pt->id, s->tag, s->platforms[p].id,
                                     pt->op, pt->value_size, pt->clients, pt->pipeline,
                                     pt->repeat);
                }
                if (s->anchor && s->restart != EV_SPEC_RESTART_POINT && s->anchor_every &&
                    (g + 1) % s->anchor_every == 0)
                    ev_plan__anchor(&pts[k++], s, p, r, block, ak++);
                if (s->restart == EV_SPEC_RESTART_POINT)
                    block++;
            }
            if (s->restart == EV_SPEC_RESTART_BLOCK)
                block++;
        }
    }
    free(grid);
    *out = pts;
    *n = k;
    return EV_OK;
}
