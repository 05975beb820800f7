/* ev_advisor_write.c - text, JSON and CSV views of one ev_advice (no computation here). */
#include "ev_advisor.h"
#include "ev_json.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev_strbuf.h"

/* the shared growable text buffer (common/ev_strbuf.h) */
typedef ev_strbuf sbuf;
#define put ev_strbuf_printf

static int finish(char **out, sbuf *b)
{
    if (b->oom || !b->s) {
        free(b->s);
        *out = NULL;
        return EV_ENOMEM;
    }
    *out = b->s;
    return EV_OK;
}

/* Run fn under the C numeric locale whatever the process locale is. */
typedef struct cloc {
    locale_t c, old;
} cloc;
static void cloc_enter(cloc *l)
{
    l->c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    l->old = l->c ? uselocale(l->c) : (locale_t)0;
}
static void cloc_leave(cloc *l)
{
    if (l->c) {
        uselocale(l->old);
        freelocale(l->c);
    }
}

static const char *const cat_names[EV_NCAT] = { "user", "system", "softirq", "guest" };

/* "512 B", "1.5 KiB", "16 KiB" */
static const char *human_bytes(char *buf, size_t len, double b)
{
    if (b < 1024)
        snprintf(buf, len, "%.0f B", b);
    else if (b < 1024 * 1024)
        snprintf(buf, len, "%.3g KiB", b / 1024);
    else
        snprintf(buf, len, "%.3g MiB", b / 1048576);
    return buf;
}

static void wrap(sbuf *b, const char *text, int indent, int width)
{
    const char *s = text;
    int col = indent;
    put(b, "%*s", indent, "");
    while (*s) {
        size_t w = strcspn(s, " ");
        if (col > indent && col + (int)w + 1 > width) {
            put(b, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            put(b, " ");
            col++;
        }
        put(b, "%.*s", (int)w, s);
        col += (int)w;
        s += w;
        while (*s == ' ')
            s++;
    }
    put(b, "\n");
}

static void describe_profile(sbuf *b, const ev_profile *p)
{
    char h[32];
    size_t i;
    put(b, "workload:  ");
    if (p->dist == EV_DIST_LOGNORMAL) {
        put(b, "lognormal sizes (median %s, sigma %g", human_bytes(h, sizeof h, p->ln_median),
            p->ln_sigma);
        put(b, ", %s", human_bytes(h, sizeof h, p->ln_min));
        put(b, "-%s)", human_bytes(h, sizeof h, p->ln_max));
    } else {
        if (p->dist == EV_DIST_HISTOGRAM)
            put(b, "histogram %s: ", p->histogram_file);
        for (i = 0; i < p->nsizes && i < 6; i++)
            put(b, "%s%s %.0f%%", i ? ", " : "", human_bytes(h, sizeof h, p->size[i]),
                100 * p->weight[i]);
        if (p->nsizes > 6)
            put(b, ", ... (%zu sizes)", p->nsizes);
    }
    put(b, "; mean %s; GET %.0f%% / SET %.0f%%\n", human_bytes(h, sizeof h, ev_profile_mean_size(p)),
        100 * p->get_ratio, 100 * (1 - p->get_ratio));
    {
        char link[32];
        if (p->link_rate_bps > 0)
            snprintf(link, sizeof link, "%g Gbit/s", p->link_rate_bps / 1e9);
        else
            snprintf(link, sizeof link, "unlimited");
        put(b, "network:   MTU %.0f B, link %s, key %.0f B; client %g connections x pipeline %g\n",
            p->mtu, link, p->key_size, p->clients, p->pipeline);
    }
    put(b, "load:      ");
    if (p->mode == EV_LOAD_OFFERED) {
        put(b, "offered %.0f requests/s, arrivals %s", p->rate_rps, ev_arrival_name(p->arrival));
        if (p->arrival == EV_ARR_ONOFF)
            put(b, " (on %g s, off %g s: %.0f/s while on)", p->on_s, p->off_s,
                p->rate_rps * (p->on_s + p->off_s) / p->on_s);
        else if (p->arrival == EV_ARR_BATCH)
            put(b, " (batches of %.0f)", p->batch);
        put(b, "\n");
    } else {
        put(b, "saturation (the most requests/s the platform serves)\n");
    }
    put(b, "objective: %s", ev_objective_name(p->objective));
    if (p->min_rps > 0)
        put(b, "; constraint min_rps %.0f", p->min_rps);
    if (p->max_cpu_pct > 0)
        put(b, "; constraint max_cpu_pct %.1f", p->max_cpu_pct);
    put(b, "\n");
}

int ev_advisor_write_text(char **out, const ev_advice *a)
{
    sbuf b = { 0 };
    const ev_profile *p = &a->profile;
    int open = p->mode == EV_LOAD_OFFERED;
    size_t i;
    char h1[32], h2[32];
    cloc l;

    cloc_enter(&l);
    put(&b, "edgevirt-advisor: profile \"%s\" (%s)\n", p->name, p->source);
    put(&b, "model:     %s (%s%s%s%s)\n", a->model_name,
        a->model_is_default ? "the embedded default; " : "",
        a->model_file[0] ? a->model_file : "", a->model_file[0] ? "; " : "",
        a->model_reconstructed ? "reconstructed from the paper's published ratios, not measured"
                               : "fitted to measured runs");
    describe_profile(&b, p);
    put(&b, "uncertainty: %zu Monte Carlo draws of the model parameters (seed %lu); intervals are "
        "95 %%\n\n", a->opt.draws, a->opt.seed);

    put(&b, "%-4s %-16s %-6s %9s %17s %7s %7s %6s %6s %6s %6s %7s %6s  %-11s", "rank",
        "platform", "path", "rps", "95% interval", "P(best)", "CPU%", "user", "sys", "soft",
        "guest", "app-CPU", "in-VM", "bottleneck");
    if (open)
        put(&b, " %9s %9s", "p50 ms", "p99 ms");
    put(&b, "\n");
    for (i = 0; i < a->n; i++) {
        const ev_adv_platform *q = &a->plat[i];
        char iv[40];
        snprintf(iv, sizeof iv, "%.0f - %.0f", q->rps_lo, q->rps_hi);
        put(&b, "%-4zu %-16s %-6s %9.0f %17s %6.0f%% %7.1f %6.1f %6.1f %6.1f %6.1f %7.1f %5.0f%%  "
            "%-11s", i + 1, q->id, ev_path_name(q->path), q->rps, iv, 100 * q->p_best,
            q->cpu_total, q->cpu[0], q->cpu[1], q->cpu[2], q->cpu[3], q->app_cpu, q->guest_share,
            q->bottleneck);
        if (open) {
            if (q->des_done)
                put(&b, " %9.3f %9.3f", 1e3 * q->des.p50_s, 1e3 * q->des.p99_s);
            else
                put(&b, " %9s %9s", "-", "-");
        }
        if (!q->feasible)
            put(&b, "  (excluded: %s)", q->why_not);
        put(&b, "\n");
    }
    put(&b, "\nrps: capacity at saturation (the model's mean; interval and P(best) from the draws).\n"
        "CPU columns: percent of one core by mpstat category, at %s;\n"
        "app-CPU = 100 - CPU%% (left to an application sharing the core); in-VM = guest / CPU%%\n"
        "(the share that runs inside the microVM).\n",
        open ? "the offered rate\n(at its capacity for a platform that cannot carry the rate)"
             : "each platform's own capacity");
    if (open)
        put(&b, "Latency: simulated single-core FIFO server, %llu requests per platform, %s "
            "arrivals\n(server time only: queueing + service, no network RTT).\n",
            (unsigned long long)a->opt.des_requests, ev_arrival_name(p->arrival));

    put(&b, "\nrecommendation: %s\n", a->recommendation);
    wrap(&b, a->reason, 2, 96);

    if (a->have_curves) {
        put(&b, "\nwho wins where (single value size, GET %.0f%%, objective %s):\n",
            100 * p->get_ratio, ev_objective_name(p->objective));
        for (i = 0; i < a->nwins; i++)
            put(&b, "  %-16s %s - %s\n", a->plat[a->wins[i].plat].id,
                human_bytes(h1, sizeof h1, a->wins[i].from),
                human_bytes(h2, sizeof h2, a->wins[i].to));
        if (a->nwins == 0)
            put(&b, "  no platform carries the offered rate at any single size from 16 B to "
                "256 KiB\n");
        if (a->nwins && a->wins[a->nwins - 1].to < a->grid[EV_ADV_NGRID - 1] * 0.999)
            put(&b, "  %-16s %s - %s (no platform carries the offered rate)\n", "(none)",
                human_bytes(h1, sizeof h1, a->wins[a->nwins - 1].to),
                human_bytes(h2, sizeof h2, a->grid[EV_ADV_NGRID - 1]));
        if (a->ncross) {
            put(&b, "crossovers (value size where two platforms swap order):\n");
            for (i = 0; i < a->ncross; i++) {
                const ev_adv_crossover *x = &a->cross[i];
                size_t other = x->better_below == x->a ? x->b : x->a;
                put(&b, "  %-16s / %-16s at %-9s (%s better below, %s above)\n",
                    a->plat[x->a].id, a->plat[x->b].id, human_bytes(h1, sizeof h1, x->size),
                    a->plat[x->better_below].id, a->plat[other].id);
            }
        } else {
            put(&b, "crossovers: none between 16 B and 256 KiB (the order never changes)\n");
        }
    }
    cloc_leave(&l);
    return finish(out, &b);
}

static int add_cpu_obj(cJSON *o, const char *name, const double *v)
{
    cJSON *c;
    int k, rc = ev_json_add_obj(o, name, &c);
    for (k = 0; !rc && k < EV_NCAT; k++)
        rc = ev_json_add_num(c, cat_names[k], v[k]);
    return rc;
}

int ev_advisor_write_json(char **out, const ev_advice *a)
{
    const ev_profile *p = &a->profile;
    cJSON *root = cJSON_CreateObject(), *o, *arr = NULL, *it;
    size_t i;
    int rc = root ? EV_OK : EV_ENOMEM;

    *out = NULL;
    rc = rc ? rc : ev_json_add_str(root, "schema", "edgevirt.advice/1");
    rc = rc ? rc : ev_json_add_obj(root, "model", &o);
    rc = rc ? rc : ev_json_add_str(o, "name", a->model_name);
    rc = rc ? rc : ev_json_add_bool(o, "embedded_default", a->model_is_default);
    rc = rc ? rc : ev_json_add_opt_str(o, "file", a->model_file);
    rc = rc ? rc : ev_json_add_str(o, "source", a->model_reconstructed ? "reconstructed" : "measured");
    rc = rc ? rc : ev_json_add_obj(root, "profile", &o);
    rc = rc ? rc : ev_json_add_str(o, "name", p->name);
    rc = rc ? rc : ev_json_add_str(o, "source", p->source);
    rc = rc ? rc : ev_json_add_num(o, "mean_size", ev_profile_mean_size(p));
    rc = rc ? rc : ev_json_add_num(o, "get_ratio", p->get_ratio);
    rc = rc ? rc : ev_json_add_num(o, "mtu", p->mtu);
    rc = rc ? rc : ev_json_add_num(o, "link_rate_bps", p->link_rate_bps);
    rc = rc ? rc : ev_json_add_str(o, "load", ev_load_mode_name(p->mode));
    if (!rc && p->mode == EV_LOAD_OFFERED) {
        rc = ev_json_add_num(o, "rate_rps", p->rate_rps);
        rc = rc ? rc : ev_json_add_str(o, "arrivals", ev_arrival_name(p->arrival));
    }
    rc = rc ? rc : ev_json_add_str(o, "objective", ev_objective_name(p->objective));
    rc = rc ? rc : ev_json_add_num(root, "draws", (double)a->opt.draws);
    rc = rc ? rc : ev_json_add_num(root, "seed", (double)a->opt.seed);
    if (!rc && !(arr = cJSON_AddArrayToObject(root, "ranking")))
        rc = EV_ENOMEM;
    for (i = 0; !rc && i < a->n; i++) {
        const ev_adv_platform *q = &a->plat[i];
        if (!(it = cJSON_CreateObject())) {
            rc = EV_ENOMEM;
            break;
        }
        cJSON_AddItemToArray(arr, it);
        rc = ev_json_add_num(it, "rank", (double)(i + 1));
        rc = rc ? rc : ev_json_add_str(it, "platform", q->id);
        rc = rc ? rc : ev_json_add_str(it, "path", ev_path_name(q->path));
        rc = rc ? rc : ev_json_add_bool(it, "feasible", q->feasible);
        if (!rc && !q->feasible)
            rc = ev_json_add_str(it, "why_not", q->why_not);
        rc = rc ? rc : ev_json_add_num(it, "rps", q->rps);
        rc = rc ? rc : ev_json_add_num(it, "rps_lo", q->rps_lo);
        rc = rc ? rc : ev_json_add_num(it, "rps_hi", q->rps_hi);
        rc = rc ? rc : ev_json_add_num(it, "rps_delta_lo", q->rps_dm_lo);
        rc = rc ? rc : ev_json_add_num(it, "rps_delta_hi", q->rps_dm_hi);
        rc = rc ? rc : ev_json_add_num(it, "p_best", q->p_best);
        rc = rc ? rc : ev_json_add_num(it, "op_rate_rps", q->op_rate);
        rc = rc ? rc : ev_json_add_num(it, "cpu", q->cpu_total);
        rc = rc ? rc : ev_json_add_num(it, "cpu_lo", q->cpu_lo);
        rc = rc ? rc : ev_json_add_num(it, "cpu_hi", q->cpu_hi);
        rc = rc ? rc : add_cpu_obj(it, "cpu_split", q->cpu);
        rc = rc ? rc : ev_json_add_num(it, "app_cpu", q->app_cpu);
        rc = rc ? rc : ev_json_add_num(it, "app_cpu_lo", q->app_cpu_lo);
        rc = rc ? rc : ev_json_add_num(it, "app_cpu_hi", q->app_cpu_hi);
        rc = rc ? rc : ev_json_add_num(it, "guest_share", q->guest_share);
        rc = rc ? rc : add_cpu_obj(it, "cpu_us_per_request", q->demand_us);
        rc = rc ? rc : add_cpu_obj(it, "cpu_at_saturation", q->sat_cpu);
        rc = rc ? rc : ev_json_add_str(it, "bottleneck", q->bottleneck);
        rc = rc ? rc : ev_json_add_num(it, "segments_per_request", q->segments_per_req);
        if (!rc && q->des_done) {
            cJSON *lt;
            rc = ev_json_add_obj(it, "latency_ms", &lt);
            rc = rc ? rc : ev_json_add_num(lt, "mean", 1e3 * q->des.mean_s);
            rc = rc ? rc : ev_json_add_num(lt, "p50", 1e3 * q->des.p50_s);
            rc = rc ? rc : ev_json_add_num(lt, "p90", 1e3 * q->des.p90_s);
            rc = rc ? rc : ev_json_add_num(lt, "p99", 1e3 * q->des.p99_s);
            rc = rc ? rc : ev_json_add_num(lt, "p999", 1e3 * q->des.p999_s);
            rc = rc ? rc : ev_json_add_num(lt, "max", 1e3 * q->des.max_s);
            rc = rc ? rc : ev_json_add_num(lt, "utilization", q->des.utilization);
            rc = rc ? rc : ev_json_add_num(lt, "requests", (double)q->des.requests);
        }
    }
    rc = rc ? rc : ev_json_add_obj(root, "recommendation", &o);
    rc = rc ? rc : ev_json_add_str(o, "platform", a->recommendation);
    rc = rc ? rc : ev_json_add_str(o, "reason", a->reason);
    if (!rc && a->have_curves) {
        if (!(arr = cJSON_AddArrayToObject(root, "wins")))
            rc = EV_ENOMEM;
        for (i = 0; !rc && i < a->nwins; i++) {
            if (!(it = cJSON_CreateObject())) {
                rc = EV_ENOMEM;
                break;
            }
            cJSON_AddItemToArray(arr, it);
            rc = ev_json_add_str(it, "platform", a->plat[a->wins[i].plat].id);
            rc = rc ? rc : ev_json_add_num(it, "from_bytes", a->wins[i].from);
            rc = rc ? rc : ev_json_add_num(it, "to_bytes", a->wins[i].to);
        }
        if (!rc && !(arr = cJSON_AddArrayToObject(root, "crossovers")))
            rc = EV_ENOMEM;
        for (i = 0; !rc && i < a->ncross; i++) {
            const ev_adv_crossover *x = &a->cross[i];
            if (!(it = cJSON_CreateObject())) {
                rc = EV_ENOMEM;
                break;
            }
            cJSON_AddItemToArray(arr, it);
            rc = ev_json_add_str(it, "a", a->plat[x->a].id);
            rc = rc ? rc : ev_json_add_str(it, "b", a->plat[x->b].id);
            rc = rc ? rc : ev_json_add_num(it, "size_bytes", x->size);
            rc = rc ? rc : ev_json_add_str(it, "better_below", a->plat[x->better_below].id);
        }
    }
    if (!rc)
        rc = ev_json_print(out, root, 1);
    cJSON_Delete(root);
    return rc;
}

int ev_advisor_write_csv(char **out, const ev_advice *a)
{
    sbuf b = { 0 };
    size_t i;
    cloc l;
    cloc_enter(&l);
    put(&b, "# edgevirt.advice.csv/1 profile=%s model=%s objective=%s\n", a->profile.name,
        a->model_name, ev_objective_name(a->profile.objective));
    put(&b, "rank,platform,path,feasible,rps,rps_lo,rps_hi,p_best,op_rate_rps,cpu_pct,cpu_lo_pct,"
        "cpu_hi_pct,user_pct,system_pct,softirq_pct,guest_pct,app_cpu_pct,guest_share_pct,cpu_us_per_request,"
        "bottleneck,lat_p50_ms,lat_p99_ms\n");
    for (i = 0; i < a->n; i++) {
        const ev_adv_platform *q = &a->plat[i];
        put(&b, "%zu,%s,%s,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,"
            "%.17g,%.17g,%.17g,%.17g,%s,", i + 1, q->id, ev_path_name(q->path), q->feasible, q->rps,
            q->rps_lo, q->rps_hi, q->p_best, q->op_rate, q->cpu_total, q->cpu_lo, q->cpu_hi,
            q->cpu[0], q->cpu[1], q->cpu[2], q->cpu[3], q->app_cpu, q->guest_share,
            q->demand_us_total, q->bottleneck);
        if (q->des_done)
            put(&b, "%.17g,%.17g\n", 1e3 * q->des.p50_s, 1e3 * q->des.p99_s);
        else
            put(&b, ",\n");
    }
    cloc_leave(&l);
    return finish(out, &b);
}
