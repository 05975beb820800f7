/* ev_advisor_explain.c - why the advisor ranks the platforms as it does, in words. */
#include "ev_advisor.h"
#include "ev_advisor_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
static const char *const cat_names[EV_NCAT] = { "user", "system", "softirq", "guest" };
/* ---- explanation ---- */
static void addf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void addf(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;
    if (used + 1 >= len)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
}

static int is_lwip(const ev_adv_platform *q)
{
    return strcmp(q->stack, "lwip") == 0 || !q->offload;
}

void ev_adv__explain(ev_advice *a)
{
    const ev_profile *p = &a->profile;
    const ev_adv_platform *b = &a->plat[0], *r = a->n > 1 ? &a->plat[1] : NULL;
    double mss = p->mtu - 52, above = 0;
    size_t i;
    int c, worst = 0;
    char *s = a->reason;
    size_t L = sizeof a->reason;

    s[0] = '\0';
    for (i = 0; i < p->nsizes; i++)
        if (p->size[i] + 16 > mss)
            above += p->weight[i];
    if (!a->have_best) {
        addf(s, L, "No platform meets the constraints:");
        for (i = 0; i < a->n; i++)
            addf(s, L, " %s: %s%s", a->plat[i].id, a->plat[i].why_not,
                 i + 1 < a->n ? ";" : ".");
        return;
    }
    if (p->objective == EV_OBJ_MAX_RPS)
        addf(s, L, "%s serves the most requests: %.0f/s (95 %% %.0f-%.0f), best in %.0f %% of "
             "the parameter draws.", b->id, b->rps, b->rps_lo, b->rps_hi, 100 * b->p_best);
    else
        addf(s, L, "%s uses the least CPU at %.0f requests/s: %.1f %% of one core, leaving "
             "%.1f %% to an application; best in %.0f %% of the parameter draws.", b->id,
             b->op_rate, b->cpu_total, b->app_cpu, 100 * b->p_best);
    /* driver path */
    if (b->path == EV_PATH_VHOST)
        addf(s, L, " Its vhost-net driver path moves packets in the host kernel, so each packet "
             "skips the hop through a userspace VMM (fewer mode switches and copies) that the "
             "virtio platforms pay for.");
    else if (b->path == EV_PATH_VIRTIO)
        addf(s, L, " It uses a userspace virtio backend (every packet passes through the VMM "
             "process); here that cost is outweighed by its other costs being lower.");
    /* segmentation */
    if (above >= 0.05) {
        int any_lwip = 0;
        for (i = 0; i < a->n; i++)
            any_lwip |= is_lwip(&a->plat[i]);
        if (is_lwip(b))
            addf(s, L, " %.0f %% of the values exceed one segment (MSS %.0f B), which %s must cut "
                 "in software (lwIP, no TSO/GSO: %.1f extra segments per request), yet it still "
                 "comes first.", 100 * above, mss, b->id, b->segments_per_req);
        else if (any_lwip)
            addf(s, L, " %.0f %% of the values exceed one segment (MSS %.0f B): the Unikraft "
                 "(lwIP) platforms cut them into ~1224 B packets in software without TSO/GSO, "
                 "while a Linux guest hands ~8 KB packets to the host, so the lwIP platforms "
                 "fall behind.", 100 * above, mss);
    } else if (is_lwip(b)) {
        addf(s, L, " Almost every value fits in one segment (MSS %.0f B), so lwIP's missing "
             "segmentation offload costs nothing here.", mss);
    }
    /* CPU split */
    addf(s, L, " Per request it spends %.1f us of CPU (user %.1f, system %.1f, softirq %.1f, "
         "guest %.1f)", b->demand_us_total, b->demand_us[0], b->demand_us[1], b->demand_us[2],
         b->demand_us[3]);
    if (r) {
        double dmax = 0;
        for (c = 0; c < EV_NCAT; c++)
            if (r->demand_us[c] - b->demand_us[c] > dmax) {
                dmax = r->demand_us[c] - b->demand_us[c];
                worst = c;
            }
        if (dmax > 0)
            addf(s, L, "; the runner-up %s spends %.1f us more in %s", r->id, dmax,
                 cat_names[worst]);
    }
    addf(s, L, ".");
    if (b->bound == EV_BOUND_WIRE)
        addf(s, L, " At saturation the %g Gbit/s link is the limit (%.0f requests/s; its CPU "
             "alone would allow %.0f).", p->link_rate_bps / 1e9, b->x_wire, b->x_cpu);
    else if (b->bound == EV_BOUND_CLIENT)
        addf(s, L, " At saturation the client (%g connections x pipeline %g) is the limit; the "
             "CPU alone would allow %.0f requests/s.", p->clients, p->pipeline, b->x_cpu);
    else
        addf(s, L, " At saturation its one core is the limit, the largest share going to %s.",
             cat_names[b->bound_cat >= 0 && b->bound_cat < EV_NCAT ? b->bound_cat : 0]);
    if (p->objective == EV_OBJ_MAX_APP_CPU) {
        const ev_adv_platform *g = b;
        for (i = 0; i < a->n; i++)
            if (a->plat[i].guest_share > g->guest_share)
                g = &a->plat[i];
        if (g != b)
            addf(s, L, " Note: %s runs the largest share of its CPU inside the microVM (%.0f %% "
                 "guest vs %.0f %% for %s), the paper's reading of 'more CPU for the "
                 "application' (S4); counted as headroom left on the core, %s leaves %.1f %% "
                 "and %s %.1f %%.", g->id, g->guest_share, b->guest_share, b->id, b->id,
                 b->app_cpu, g->id, g->app_cpu);
    }
}

/* ---- size sweep ---- */
