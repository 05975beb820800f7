/* ev_report_compare_write.c - text, JSON and CSV forms of an ev_compare_result.
 * Each writer reads the same struct; none computes anything. */
#include "ev_report_compare.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

static const char *ev_report__num(char *buf, size_t len, double v, const char *fmt)
{
    if (!isfinite(v))
        snprintf(buf, len, "n/a");
    else
        snprintf(buf, len, fmt, v);
    return buf;
}

static const char *ev_report__pfmt(char *buf, size_t len, double p)
{
    if (!isfinite(p))
        snprintf(buf, len, "n/a");
    else if (p < 0.0001)
        snprintf(buf, len, "%.1e", p);
    else
        snprintf(buf, len, "%.4f", p);
    return buf;
}

int ev_report_compare_write_text(FILE *f, const ev_compare_result *r)
{
    fprintf(f, "A: %s (%zu records%s)\nB: %s (%zu records%s)\n", r->file_a, r->records_a,
            r->failed_a ? ", failed runs left out" : "", r->file_b, r->records_b,
            r->failed_b ? ", failed runs left out" : "");
    fprintf(f, "significant: p < %g and |change| > %g %%; permutation test of the difference of "
               "means (exact up to %u splits, else %zu random permutations, seed %lu); 95 %% "
               "interval of the change from Welch's t on log(B/A)\n",
            r->opt.alpha, r->opt.min_change, EV_REPORT_EXACT_MAX, r->opt.permutations,
            r->opt.seed);
    const ev_report_key *last = NULL;
    char b1[48], b2[48], b3[48], b4[48], b5[48], b6[48], kb[256];
    for (size_t i = 0; i < r->nrows; i++) {
        const ev_compare_row *w = &r->rows[i];
        if (!last || ev_report_key_cmp(last, &w->key)) {
            ev_report_key_format(kb, sizeof kb, &w->key);
            fprintf(f, "\n%s; repeats %zu vs %zu%s\n", kb, w->na, w->nb,
                    (w->na < 2 || w->nb < 2) ? " (not testable: one repeat)" : "");
            fprintf(f, "  %-12s %-7s %14s %14s %9s %21s %9s\n", "metric", "unit", "A mean",
                    "B mean", "change%", "95% interval", "p");
            last = &w->key;
        }
        char ci[128];
        if (isfinite(w->change_lo))
            snprintf(ci, sizeof ci, "[%s, %s]",
                     ev_report__num(b4, sizeof b4, w->change_lo, "%+.1f"),
                     ev_report__num(b5, sizeof b5, w->change_hi, "%+.1f"));
        else
            snprintf(ci, sizeof ci, "n/a");
        const char *fmt = w->metric == EV_RM_RPS ? "%.1f" : "%.3f";
        fprintf(f, "  %-12s %-7s %14s %14s %9s %21s %9s%s\n", ev_report_metric_name(w->metric),
                ev_report_metric_unit(w->metric), ev_report__num(b1, sizeof b1, w->a_mean, fmt),
                ev_report__num(b2, sizeof b2, w->b_mean, fmt),
                ev_report__num(b3, sizeof b3, w->change_pct, "%+.2f"), ci,
                ev_report__pfmt(b6, sizeof b6, w->p),
                w->regression ? "  REGRESSION" : w->significant ? "  significant" : "");
    }
    if (r->nonly_a || r->nonly_b)
        fputc('\n', f);
    for (size_t i = 0; i < r->nonly_a; i++) {
        ev_report_key_format(kb, sizeof kb, &r->only_a[i]);
        fprintf(f, "only in A: %s\n", kb);
    }
    for (size_t i = 0; i < r->nonly_b; i++) {
        ev_report_key_format(kb, sizeof kb, &r->only_b[i]);
        fprintf(f, "only in B: %s\n", kb);
    }
    fprintf(f, "\n%zu matched points (%zu not testable: fewer than 2 repeats a side), %zu only in "
               "A, %zu only in B; %zu significant changes, %zu regressions (RPS down or CPU per "
               "request up)\n",
            r->nmatched, r->nuntestable, r->nonly_a, r->nonly_b, r->nsignificant,
            r->nregressions);
    return ferror(f) ? EV_EIO : EV_OK;
}

static cJSON *ev_report__key_json(const ev_report_key *k)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "platform", k->platform);
    cJSON_AddStringToObject(o, "op", ev_op_name(k->op));
    cJSON_AddNumberToObject(o, "size", k->value_size);
    cJSON_AddNumberToObject(o, "clients", k->clients);
    cJSON_AddNumberToObject(o, "pipeline", k->pipeline);
    cJSON_AddNumberToObject(o, "mtu", k->mtu);
    cJSON_AddNumberToObject(o, "link_rate_bps", k->link_rate_bps);
    return o;
}

/* cJSON writes NaN as null, which is what the schema says for "not available". */
static void ev_report__add_num(cJSON *o, const char *name, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, name, v);
    else
        cJSON_AddNullToObject(o, name);
}

int ev_report_compare_write_json(FILE *f, const ev_compare_result *r)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return EV_ENOMEM;
    cJSON_AddStringToObject(root, "schema", EV_COMPARE_SCHEMA);
    cJSON_AddStringToObject(root, "a", r->file_a);
    cJSON_AddStringToObject(root, "b", r->file_b);
    cJSON_AddNumberToObject(root, "alpha", r->opt.alpha);
    cJSON_AddNumberToObject(root, "min_change_pct", r->opt.min_change);
    cJSON_AddNumberToObject(root, "permutations", (double)r->opt.permutations);
    cJSON_AddNumberToObject(root, "exact_max_splits", EV_REPORT_EXACT_MAX);
    cJSON_AddNumberToObject(root, "seed", (double)r->opt.seed);
    cJSON *rows = cJSON_AddArrayToObject(root, "results");
    for (size_t i = 0; rows && i < r->nrows; i++) {
        const ev_compare_row *w = &r->rows[i];
        cJSON *o = ev_report__key_json(&w->key);
        if (!o)
            break;
        cJSON_AddStringToObject(o, "metric", ev_report_metric_name(w->metric));
        cJSON_AddStringToObject(o, "unit", ev_report_metric_unit(w->metric));
        cJSON_AddNumberToObject(o, "n_a", (double)w->na);
        cJSON_AddNumberToObject(o, "n_b", (double)w->nb);
        ev_report__add_num(o, "a_mean", w->a_mean);
        ev_report__add_num(o, "b_mean", w->b_mean);
        ev_report__add_num(o, "change_pct", w->change_pct);
        ev_report__add_num(o, "change_lo", w->change_lo);
        ev_report__add_num(o, "change_hi", w->change_hi);
        ev_report__add_num(o, "p", w->p);
        cJSON_AddBoolToObject(o, "exact", w->exact);
        cJSON_AddBoolToObject(o, "significant", w->significant);
        cJSON_AddBoolToObject(o, "regression", w->regression);
        cJSON_AddItemToArray(rows, o);
    }
    cJSON *oa = cJSON_AddArrayToObject(root, "only_a");
    for (size_t i = 0; oa && i < r->nonly_a; i++)
        cJSON_AddItemToArray(oa, ev_report__key_json(&r->only_a[i]));
    cJSON *ob = cJSON_AddArrayToObject(root, "only_b");
    for (size_t i = 0; ob && i < r->nonly_b; i++)
        cJSON_AddItemToArray(ob, ev_report__key_json(&r->only_b[i]));
    cJSON *sum = cJSON_AddObjectToObject(root, "summary");
    if (sum) {
        cJSON_AddNumberToObject(sum, "matched", (double)r->nmatched);
        cJSON_AddNumberToObject(sum, "untestable", (double)r->nuntestable);
        cJSON_AddNumberToObject(sum, "only_a", (double)r->nonly_a);
        cJSON_AddNumberToObject(sum, "only_b", (double)r->nonly_b);
        cJSON_AddNumberToObject(sum, "significant", (double)r->nsignificant);
        cJSON_AddNumberToObject(sum, "regressions", (double)r->nregressions);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return EV_ENOMEM;
    fputs(text, f);
    fputc('\n', f);
    cJSON_free(text);
    return ferror(f) ? EV_EIO : EV_OK;
}

static void ev_report__csv_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, ",%.17g", v);
    else
        fputs(",", f);
}

#define EV_COMPARE_CSV_HEADER                                                                  \
    "platform,op,value_size_bytes,clients,pipeline,mtu_bytes,link_rate_bps,metric,unit,n_a,n_b," \
    "a_mean,b_mean,change_pct,change_lo_pct,change_hi_pct,p,exact,significant,regression\n"

static void ev_report__csv_key(FILE *f, const ev_report_key *k)
{
    fprintf(f, "%s,%s,%u,%u,%u,%u,%.17g", k->platform, ev_op_name(k->op),
            (unsigned)k->value_size, (unsigned)k->clients, (unsigned)k->pipeline,
            (unsigned)k->mtu, k->link_rate_bps);
}

int ev_report_compare_write_csv(FILE *f, const ev_compare_result *r)
{
    fputs(EV_COMPARE_CSV_HEADER, f);
    for (size_t i = 0; i < r->nrows; i++) {
        const ev_compare_row *w = &r->rows[i];
        ev_report__csv_key(f, &w->key);
        fprintf(f, ",%s,%s,%zu,%zu", ev_report_metric_name(w->metric),
                ev_report_metric_unit(w->metric), w->na, w->nb);
        ev_report__csv_num(f, w->a_mean);
        ev_report__csv_num(f, w->b_mean);
        ev_report__csv_num(f, w->change_pct);
        ev_report__csv_num(f, w->change_lo);
        ev_report__csv_num(f, w->change_hi);
        ev_report__csv_num(f, w->p);
        fprintf(f, ",%d,%d,%d\n", w->exact, w->significant, w->regression);
    }
    for (size_t i = 0; i < r->nonly_a; i++) {
        ev_report__csv_key(f, &r->only_a[i]);
        fputs(",only_a,,,,,,,,,,,,\n", f);
    }
    for (size_t i = 0; i < r->nonly_b; i++) {
        ev_report__csv_key(f, &r->only_b[i]);
        fputs(",only_b,,,,,,,,,,,,\n", f);
    }
    return ferror(f) ? EV_EIO : EV_OK;
}
