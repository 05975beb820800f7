/* edgevirt-model rescale - re-anchor a model to today's host with a few new run records
 * (issue 13; docs/calibration.md "Re-anchoring", docs/model.md). Thin: ev_rescale does the
 * work; this file reads the anchor files (keeping line numbers for errors) and formats. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ev_err.h"
#include "ev_fs.h"
#include "ev_model.h"
#include "ev_record.h"
#include "ev_rescale.h"

int cmd_rescale(int argc, char **argv);

static const char *const usage_rescale =
    "Usage: edgevirt-model rescale MODEL.json --anchors RUNS.jsonl [--anchors RUNS.jsonl]...\n"
    "                              -o NEW.json [--name NAME] [--anchor-sd F] [--json]\n"
    "\n"
    "Re-anchors a calibration to today's host: a few new run records per platform (anchors,\n"
    "e.g. two sizes measured today, in the same CPU basis as the model's own records) rescale\n"
    "each platform's fixed and variable CPU costs (two factors when the anchors have two\n"
    "configurations, else one), and widen the covariance by the factors' uncertainty.\n"
    "Platforms without anchors are kept as they are. The client round trip is lowered to\n"
    "what the anchors allow (Little's law, edgevirt-model(1) \"Client bound\"). Prints one\n"
    "line per rescaled platform: the factors and the anchors' mean RPS error before and\n"
    "after (docs/calibration.md). Measure each anchor point more than once, spread over the\n"
    "session: single runs carry the host's drift into every prediction.\n"
    "\n"
    "Warns (stderr) when an anchor point has a single run, and when an anchor ran on a\n"
    "kernel, architecture or CPU model none of the model's records ran on (the model's\n"
    "\"hosts\"): a re-anchor scales the costs, it cannot change their shape; score the result\n"
    "on runs it never saw, and recalibrate if it stays above ~1.5x their scatter. The new\n"
    "model records the old model's hosts and the anchors'.\n"
    "\n"
    "  --anchors FILE   run records (edgevirt.run/1 JSONL); repeatable. A record of a platform\n"
    "                   the model does not have is an error; failed or incomplete records are\n"
    "                   skipped with a warning; a file with no usable record is an error\n"
    "  -o, --output F   the rescaled model (written atomically)\n"
    "  --name NAME      its name (default: the old name + \"-rescaled\")\n"
    "  --anchor-sd F    assumed relative sd of one anchor run where the anchors cannot measure\n"
    "                   it (fewer than 2 degrees of freedom left); default 0.05\n"
    "  --json           print the report as JSON\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 usage error or bad input (the message names the\n"
    "file, the line and the field).\n";

static int rs_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "edgevirt-model: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage_rescale);
    return 2;
}

static int rs_fail(const ev_error *err, int rc)
{
    fprintf(stderr, "edgevirt-model: %s\n", err->msg[0] ? err->msg : ev_strerror(rc));
    return ev_exit_code(rc);
}

/* Append the records of one anchor file to set, checking each against the model. */
static int rs_load(ev_recset *set, const ev_model *m, const char *path, ev_error *err)
{
    char *text = NULL, *line, *next;
    int rc, lineno = 0, first_bad = 0;
    size_t usable = 0;
    ev_error bad = EV_ERROR_INIT;
    rc = ev_fs_read_all(&text, NULL, path, err);
    if (rc)
        return rc;
    for (line = text; line && *line; line = next) {
        ev_record r;
        int ok = 0;
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        if (strspn(line, " \t\r") == strlen(line))
            continue;
        rc = ev_record_parse(&r, line, path, lineno, err);
        if (rc)
            goto done;
        rc = ev_rescale_check(m, &r, path, lineno, &ok, ok ? NULL : &bad);
        if (rc && ok == 0 && ev_model_find(m, r.platform) < 0) {
            *err = bad;
            goto done;
        }
        if (!ok) {
            fprintf(stderr, "edgevirt-model: warning: %s (skipped)\n", bad.msg);
            if (!first_bad)
                first_bad = lineno;
            rc = EV_OK;
            continue;
        }
        rc = ev_recset_push(set, &r);
        if (rc) {
            ev_error_set(err, rc, "out of memory");
            goto done;
        }
        usable++;
    }
    rc = EV_OK;
    if (usable == 0)
        rc = first_bad ? ev_error_set(err, EV_EINVAL, "%s: no usable anchor record (%s)", path,
                                      bad.msg)
                       : ev_error_set(err, EV_EINVAL, "%s:1: no usable anchor record: the "
                                      "file holds no run record", path);
done:
    free(text);
    return rc;
}

int cmd_rescale(int argc, char **argv)
{
    static const struct option lo[] = {
        { "help", no_argument, 0, 'h' },         { "output", required_argument, 0, 'o' },
        { "anchors", required_argument, 0, 'a' }, { "name", required_argument, 0, 'n' },
        { "anchor-sd", required_argument, 0, 's' }, { "json", no_argument, 0, 'j' },
        { 0, 0, 0, 0 }
    };
    ev_rescale_options opt = EV_RESCALE_OPTIONS_INIT;
    const char *outp = NULL, *anchors[64];
    int na = 0, json = 0, o, rc = EV_OK, i;
    ev_error err = EV_ERROR_INIT;
    ev_model *m = NULL, *nm = NULL;
    ev_recset set = { NULL, 0, 0 };
    ev_rescale_report *rep = NULL;
    size_t nrep = 0, k;
    char hmsg[512];
    int hchg = -1;

    while ((o = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
        switch (o) {
        case 'h': fputs(usage_rescale, stdout); return 0;
        case 'o': outp = optarg; break;
        case 'n': opt.name = optarg; break;
        case 'j': json = 1; break;
        case 'a':
            if (na == (int)(sizeof anchors / sizeof anchors[0]))
                return rs_usage("--anchors: at most 64 files, got more at \"%s\"", optarg);
            anchors[na++] = optarg;
            break;
        case 's': {
            char *end;
            opt.anchor_sd = strtod(optarg, &end);
            if (end == optarg || *end || !(opt.anchor_sd > 0 && opt.anchor_sd < 1))
                return rs_usage("--anchor-sd: must be a fraction in (0, 1), got \"%s\"", optarg);
            break;
        }
        default: return rs_usage("%s", "bad option");
        }
    }
    if (argc - optind != 1)
        return rs_usage("%s", argc - optind < 1 ? "MODEL.json is required"
                                                 : "exactly one MODEL.json");
    if (na == 0)
        return rs_usage("%s", "--anchors RUNS.jsonl is required");
    if (!outp)
        return rs_usage("%s", "-o NEW.json is required");
    rc = ev_model_load(&m, argv[optind], &err);
    for (i = 0; i < na && rc == EV_OK; i++)
        rc = rs_load(&set, m, anchors[i], &err);
    if (rc == EV_OK)
        rc = ev_rescale(&nm, &rep, &nrep, m, set.recs, set.n, &opt, &err);
    for (i = 0; i < na && rc == EV_OK; i++)
        rc = ev_model_add_dataset(nm, anchors[i], 0);
    if (rc == EV_OK)
        rc = ev_model_save(outp, nm, &err);
    if (rc == EV_OK) {
        hchg = ev_rescale_host_changed(m, set.recs, set.n, hmsg, sizeof hmsg);
        if (hchg == 1)
            fprintf(stderr, "edgevirt-model: warning: the anchors ran on another host than the "
                    "model's records (%s): a re-anchor scales the costs, it cannot change their "
                    "shape; score the result on runs it never saw and recalibrate if it stays "
                    "above ~1.5x their scatter (docs/calibration.md)\n", hmsg);
        for (k = 0; k < nrep; k++)
            if (rep[k].min_runs == 1)
                fprintf(stderr, "edgevirt-model: warning: %s: an anchor point has one run: the "
                        "minute it ran in goes into every prediction; measure each point 3 "
                        "times, spread over the session (docs/calibration.md)\n", rep[k].id);
    }
    if (rc == EV_OK && json) {
        printf("{\"model\": \"%s\", \"output\": \"%s\", \"platforms\": [", argv[optind], outp);
        for (k = 0; k < nrep; k++)
            printf("%s\n  {\"id\": \"%s\", \"anchors\": %zu, \"configurations\": %zu, "
                   "\"two_factor\": %s, \"fixed_factor\": %.6g, \"variable_factor\": %.6g, "
                   "\"factor_sd\": %.6g, \"anchor_rps_mape_before\": %.6g, "
                   "\"anchor_rps_mape_after\": %.6g, \"utilization_from_anchors\": %.6g, "
                   "\"min_runs_per_point\": %zu}",
                   k ? "," : "", rep[k].id, rep[k].anchors,
                   rep[k].configs, rep[k].two_factor ? "true" : "false", rep[k].a, rep[k].b,
                   rep[k].factor_sd, 100 * rep[k].rps_err_before, 100 * rep[k].rps_err_after,
                   rep[k].utilization, rep[k].min_runs);
        printf("\n], \"client_rtt_s\": %.6g, \"client_rtt_before_s\": %.6g, "
               "\"host_changed\": %s", ev_model_client_rtt(nm), ev_model_client_rtt(m),
               hchg == 1 ? "true" : hchg == 0 ? "false" : "null");
        if (hchg == 1) {
            cJSON *hs = cJSON_CreateString(hmsg);
            char *t = hs ? cJSON_PrintUnformatted(hs) : NULL;
            printf(", \"host_difference\": %s", t ? t : "null");
            cJSON_free(t);
            cJSON_Delete(hs);
        }
        printf("}\n");
    } else if (rc == EV_OK) {
        printf("rescaled %s -> %s (%s)\n", argv[optind], outp, ev_model_name(nm));
        printf("%-18s %7s %7s %-7s %9s %9s %9s %14s %13s %6s\n", "platform", "anchors",
               "configs", "factors", "fixed_x", "var_x", "factor_sd", "anchor_err_old",
               "anchor_err_new", "util");
        for (k = 0; k < nrep; k++) {
            char u[16] = "-";
            if (rep[k].utilization > 0)
                snprintf(u, sizeof u, "%.3f", rep[k].utilization);
            printf("%-18s %7zu %7zu %-7s %9.4f %9.4f %9.4f %13.1f%% %12.1f%% %6s\n", rep[k].id,
                   rep[k].anchors, rep[k].configs, rep[k].two_factor ? "two" : "one", rep[k].a,
                   rep[k].b, rep[k].factor_sd, 100 * rep[k].rps_err_before,
                   100 * rep[k].rps_err_after, u);
        }
        for (k = 0; k < ev_model_nplatforms(m); k++) {
            ev_platform_info pi;
            size_t j;
            ev_model_platform(&pi, m, k);
            for (j = 0; j < nrep && strcmp(rep[j].id, pi.id) != 0; j++)
                ;
            if (j == nrep)
                printf("%-18s no anchors: kept as calibrated\n", pi.id);
        }
        if (ev_model_client_rtt(nm) < ev_model_client_rtt(m))
            printf("client rtt %.6g s -> %.6g s: the anchors' client was faster (Little's law "
                   "bound, docs/model.md \"Client bound\")\n", ev_model_client_rtt(m),
                   ev_model_client_rtt(nm));
    }
    free(rep);
    ev_recset_free(&set);
    ev_model_free(m);
    ev_model_free(nm);
    return rc ? rs_fail(&err, rc) : 0;
}
