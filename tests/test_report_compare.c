/* test_report_compare.c - `edgevirt-report compare` on fixture record sets
 * (tests/fixtures/report, made by gen.py there):
 *  - a file against itself: no significant change, every p = 1;
 *  - against a copy with kata's RPS x 0.8: exactly kata's points flagged (p < 0.01), on RPS and
 *    CPU per request, and nothing else;
 *  - two repeats a side: the exact permutation p-value is the hand-computed 4/6;
 *  - malformed and mismatched files: errors naming the file, line and field;
 *  - the JSON and CSV writers carry the documented fields / header. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "ev_test.h"
#include "ev_report_compare.h"

#ifndef EV_FIXTURES
#error "EV_FIXTURES must name tests/fixtures/report"
#endif

static ev_report_set *load(const char *name, int *rc, ev_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", EV_FIXTURES, name);
    ev_report_set *s = NULL;
    *rc = ev_report_set_new(&s, err);
    if (!*rc)
        *rc = ev_report_set_load(s, path, err);
    if (!*rc)
        *rc = ev_report_set_group(s, err);
    return s;
}

static ev_compare_result *cmp(const char *a, const char *b, int *rc, ev_error *err)
{
    ev_compare_options o = EV_COMPARE_OPTIONS_INIT;
    ev_compare_result *r = NULL;
    ev_report_set *sa = load(a, rc, err), *sb = NULL;
    if (!*rc)
        sb = load(b, rc, err);
    if (!*rc)
        *rc = ev_report_compare(&r, sa, sb, &o, err);
    ev_report_set_free(sa);
    ev_report_set_free(sb);
    return r;
}

static const ev_compare_row *find(const ev_compare_result *r, const char *plat, ev_op op,
                                  unsigned size, int metric)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (!strcmp(r->rows[i].key.platform, plat) && r->rows[i].key.op == op &&
            r->rows[i].key.value_size == size && r->rows[i].metric == metric)
            return &r->rows[i];
    return NULL;
}

int main(void)
{
    ev_error err = EV_ERROR_INIT;
    int rc;

    /* itself */
    ev_compare_result *r = cmp("base.jsonl", "base.jsonl", &rc, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (r) {
        EV_CHECK(r->nmatched == 18);
        EV_CHECK(r->nsignificant == 0);
        EV_CHECK(r->nregressions == 0);
        EV_CHECK(r->nonly_a == 0 && r->nonly_b == 0);
        int allone = 1;
        for (size_t i = 0; i < r->nrows; i++)
            allone &= r->rows[i].p == 1.0 && r->rows[i].change_pct == 0.0;
        EV_CHECK(allone);
        const ev_compare_row *w = find(r, "kata", EV_OP_GET, 64, EV_RM_RPS);
        EV_CHECK(w && w->na == 5 && w->nb == 5 && w->exact && w->nsplits == 252);
    }
    ev_compare_result_free(r);

    /* kata's RPS x 0.8 */
    r = cmp("base.jsonl", "scaled.jsonl", &rc, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (r) {
        size_t kata_rps = 0, kata_cpr = 0, other = 0;
        for (size_t i = 0; i < r->nrows; i++) {
            const ev_compare_row *w = &r->rows[i];
            int kata = !strcmp(w->key.platform, "kata");
            if (w->significant && !kata)
                other++;
            if (kata && w->metric == EV_RM_RPS) {
                kata_rps += w->significant;
                EV_CHECK_MSG(w->p < 0.01, "kata %u rps p=%g", w->key.value_size, w->p);
                EV_CHECK_NEAR(w->p, 2.0 / 252.0, 1e-12); /* fully separated, 5 v 5 */
                /* x 0.8, then rounded to 0.01 req/s in the fixture */
                EV_CHECK_NEAR(w->change_pct, -20.0, 1e-4);
                EV_CHECK(w->change_lo < -20.0 && w->change_hi > -20.0);
                EV_CHECK(w->regression);
            }
            if (kata && w->metric == EV_RM_CPU_PER_REQ) {
                kata_cpr += w->significant;
                EV_CHECK_NEAR(w->change_pct, 25.0, 1e-4); /* same CPU, 0.8 x the requests */
                EV_CHECK(w->regression);
            }
            if (kata && w->metric == EV_RM_CPU_TOTAL)
                EV_CHECK(!w->significant && w->p == 1.0);
        }
        EV_CHECK(kata_rps == 6);  /* 2 ops x 3 sizes */
        EV_CHECK(kata_cpr == 6);
        EV_CHECK(other == 0);
        EV_CHECK(r->nsignificant == 12);
        EV_CHECK(r->nregressions == 12);

        /* JSON: one object per point and metric with the documented fields */
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        EV_CHECK(ev_report_compare_write_json(f, r) == EV_OK);
        fclose(f);
        cJSON *root = cJSON_Parse(buf);
        EV_CHECK(root != NULL);
        cJSON *res = cJSON_GetObjectItem(root, "results");
        EV_CHECK(cJSON_IsArray(res) && (size_t)cJSON_GetArraySize(res) == r->nrows);
        EV_CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(root, "schema")),
                     EV_COMPARE_SCHEMA);
        static const char *const fields[] = { "platform", "op", "size", "metric", "a_mean",
                                              "b_mean", "change_pct", "change_lo", "change_hi",
                                              "p", "significant" };
        int allf = 1;
        cJSON *o;
        cJSON_ArrayForEach(o, res)
            for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
                allf &= cJSON_HasObjectItem(o, fields[k]);
        EV_CHECK(allf);
        cJSON *first = cJSON_GetArrayItem(res, 0);
        EV_CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(first, "platform")), "firecracker");
        EV_CHECK(cJSON_IsFalse(cJSON_GetObjectItem(first, "significant")));
        cJSON_Delete(root);
        free(buf);

        /* CSV: fixed header, 20 columns on every line */
        buf = NULL;
        f = open_memstream(&buf, &len);
        EV_CHECK(ev_report_compare_write_csv(f, r) == EV_OK);
        fclose(f);
        static const char hdr[] =
            "platform,op,value_size_bytes,clients,pipeline,mtu_bytes,link_rate_bps,metric,unit,"
            "n_a,n_b,a_mean,b_mean,change_pct,change_lo_pct,change_hi_pct,p,exact,significant,"
            "regression\n";
        EV_CHECK(strncmp(buf, hdr, strlen(hdr)) == 0);
        size_t lines = 0;
        int cols_ok = 1;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
            int commas = 0;
            for (char *c = line; *c; c++)
                commas += *c == ',';
            cols_ok &= commas == 19;
            lines++;
        }
        EV_CHECK(cols_ok);
        EV_CHECK(lines == r->nrows + 1);
        free(buf);
    }
    ev_compare_result_free(r);

    /* two repeats a side: RPS A {10000, 12000}, B {11000, 15000}: by hand (see
     * test_report_stats.c) 4 of the 6 splits reach |mean diff| = 2000, so p = 4/6. */
    r = cmp("two_a.jsonl", "two_b.jsonl", &rc, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (r) {
        const ev_compare_row *w = find(r, "kata", EV_OP_GET, 64, EV_RM_RPS);
        EV_CHECK(w != NULL);
        if (w) {
            EV_CHECK(w->exact && w->nsplits == 6);
            EV_CHECK_NEAR(w->p, 4.0 / 6.0, 1e-12);
            EV_CHECK_NEAR(w->a_mean, 11000, 1e-9);
            EV_CHECK_NEAR(w->b_mean, 13000, 1e-9);
            EV_CHECK_NEAR(w->change_pct, 100.0 * (13000.0 / 11000.0 - 1.0), 1e-9);
            EV_CHECK(!w->significant);
        }
    }
    ev_compare_result_free(r);

    /* malformed: a field out of range on line 3 */
    err = (ev_error)EV_ERROR_INIT;
    r = cmp("bad_field.jsonl", "base.jsonl", &rc, &err);
    EV_CHECK(r == NULL && rc != EV_OK);
    EV_CHECK_MSG(strstr(err.msg, "bad_field.jsonl:3:") && strstr(err.msg, "value_size"), "%s",
                 err.msg);
    EV_CHECK(ev_exit_code(rc) == 2);
    /* not JSON on line 2 */
    err = (ev_error)EV_ERROR_INIT;
    r = cmp("notjson.jsonl", "base.jsonl", &rc, &err);
    EV_CHECK(r == NULL && rc == EV_EPARSE);
    EV_CHECK_MSG(strstr(err.msg, "notjson.jsonl") && strstr(err.msg, "line 2"), "%s", err.msg);
    EV_CHECK(ev_exit_code(rc) == 2);
    /* repeats of one point disagreeing on the key size (line 2) */
    err = (ev_error)EV_ERROR_INIT;
    r = cmp("keysize_b.jsonl", "base.jsonl", &rc, &err);
    EV_CHECK(r == NULL && rc == EV_ESCHEMA);
    EV_CHECK_MSG(strstr(err.msg, "keysize_b.jsonl:2: workload.key_size"), "%s", err.msg);
    /* B measured another workload at a matched point */
    err = (ev_error)EV_ERROR_INIT;
    r = cmp("base.jsonl", "keysize_all.jsonl", &rc, &err);
    EV_CHECK(r == NULL && rc == EV_ESCHEMA);
    EV_CHECK_MSG(strstr(err.msg, "keysize_all.jsonl:1: workload.key_size") &&
                 strstr(err.msg, "base.jsonl:1"), "%s", err.msg);
    EV_CHECK(ev_exit_code(rc) == 2);
    /* nothing in common */
    err = (ev_error)EV_ERROR_INIT;
    r = cmp("base.jsonl", "disjoint.jsonl", &rc, &err);
    EV_CHECK(r == NULL && rc == EV_ESCHEMA);
    EV_CHECK_MSG(strstr(err.msg, "no point in common"), "%s", err.msg);
    /* one side only: points listed */
    {
        ev_compare_options o = EV_COMPARE_OPTIONS_INIT;
        ev_report_set *sa = load("base.jsonl", &rc, &err);
        ev_report_set *sb = load("two_b.jsonl", &rc, &err);
        rc = ev_report_compare(&r, sa, sb, &o, &err);
        EV_CHECK(rc == EV_OK);
        if (!rc) {
            EV_CHECK(r->nmatched == 1);
            EV_CHECK(r->nonly_a == 17 && r->nonly_b == 0);
            /* 5 repeats vs 2: C(7,5) = 21 splits, still exact */
            const ev_compare_row *w = find(r, "kata", EV_OP_GET, 64, EV_RM_RPS);
            EV_CHECK(w && w->exact && w->nsplits == 21);
        }
        ev_compare_result_free(r);
        o.alpha = 1.5;
        EV_CHECK(ev_report_compare(&r, sa, sb, &o, &err) == EV_EINVAL);
        ev_report_set_free(sa);
        ev_report_set_free(sb);
    }
    return ev_test_done();
}
