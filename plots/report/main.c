/* main.c - edgevirt-report: `compare` (A/B test of two sets of run records) and `plot` (the
 * paper's figures and an index.html from run records). Thin: parse, validate, run, write, free.
 * Only this file prints and chooses exit codes (0 ok, 1 runtime failure or regression with
 * --fail-on-regression, 2 usage or bad input). Manual: docs/edgevirt-report.md. */
#include <errno.h>
#include "ev_version.h"
#include <cjson/cJSON.h>
#include <gsl/gsl_version.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev_report_compare.h"
#include "ev_report_data.h"
#include "ev_report_plot.h"

static const char ev_report_usage[] =
    "Usage: edgevirt-report compare A.jsonl B.jsonl [--alpha P] [--min-change PCT]\n"
    "                               [--permutations N] [--seed N] [--json|--csv]\n"
    "                               [--fail-on-regression] [--out DIR]\n"
    "       edgevirt-report plot RUNS.jsonl... --out DIR [--model MODEL.json] [--paper]\n"
    "                            [--no-render]\n"
    "       edgevirt-report --help | --version\n"
    "\n"
    "compare  matches the points of A and B (platform, op, value size, clients, pipeline,\n"
    "         MTU, link rate) and, per matched point, compares the mean RPS, busy CPU, CPU\n"
    "         per request and each CPU category: relative change (B over A) with a 95 %\n"
    "         interval and the p-value of a permutation test over the repeats.\n"
    "  --alpha P            significance level (default 0.01)\n"
    "  --min-change PCT     a change must also exceed PCT percent (default 5)\n"
    "  --permutations N     random permutations when exact enumeration is too large\n"
    "                       (default and minimum 10000; exact up to 20000 splits)\n"
    "  --seed N             seed of the random permutations (default 1)\n"
    "  --json, --csv        machine-readable output instead of the text table\n"
    "  --fail-on-regression exit 1 when some RPS fell or some CPU per request rose\n"
    "                       significantly\n"
    "  --out DIR            also write a chart of the changes per point (PNG, SVG)\n"
    "\n"
    "plot     writes the paper's figures for the records given (RPS vs value size, CPU\n"
    "         split, packet sizes), their .dat/.gp files, and DIR/index.html.\n"
    "  --out DIR            output folder (created)\n"
    "  --model MODEL.json   overlay the model's predictions and plot the residuals\n"
    "                       (\"default\" = the embedded paper calibration)\n"
    "  --paper              draw the paper's reconstructed calibration beside the data\n"
    "  --no-render          write .dat/.gp only, do not run gnuplot\n"
    "\n"
    "Exit status: 0 success; 1 runtime failure, or a regression with --fail-on-regression;\n"
    "2 usage error or bad input (the message names the file, line and field).\n";

enum { OPT_ALPHA = 256, OPT_MINCHANGE, OPT_PERM, OPT_SEED, OPT_JSON, OPT_CSV, OPT_FAIL,
       OPT_OUT, OPT_MODEL, OPT_PAPER, OPT_NORENDER, OPT_HELP, OPT_VERSION };

typedef struct ev_report_cli {
    const char *cmd;
    const char **files;
    int nfiles;
    ev_compare_options copt;
    int json, csv, fail_on_regression;
    const char *out, *model;
    int paper, render;
} ev_report_cli;

static int ev_report_parse_double(double *out, const char *opt, const char *s, ev_error *err)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end)
        return ev_error_set(err, EV_EUSAGE, "%s: '%s' is not a number", opt, s);
    *out = v;
    return EV_OK;
}

static int ev_report_parse_ulong(unsigned long *out, const char *opt, const char *s,
                                 ev_error *err)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        return ev_error_set(err, EV_EUSAGE, "%s: '%s' is not a non-negative integer", opt, s);
    *out = v;
    return EV_OK;
}

/* RETURNS EV_OK, EV_EUSAGE; *help set for --help/--version (1 help, 2 version). */
static int ev_report_cli_parse(ev_report_cli *c, int *help, int argc, char **argv, ev_error *err)
{
    static const struct option longopts[] = {
        {"alpha", required_argument, NULL, OPT_ALPHA},
        {"min-change", required_argument, NULL, OPT_MINCHANGE},
        {"permutations", required_argument, NULL, OPT_PERM},
        {"seed", required_argument, NULL, OPT_SEED},
        {"json", no_argument, NULL, OPT_JSON},
        {"csv", no_argument, NULL, OPT_CSV},
        {"fail-on-regression", no_argument, NULL, OPT_FAIL},
        {"out", required_argument, NULL, OPT_OUT},
        {"model", required_argument, NULL, OPT_MODEL},
        {"paper", no_argument, NULL, OPT_PAPER},
        {"no-render", no_argument, NULL, OPT_NORENDER},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    ev_compare_options d = EV_COMPARE_OPTIONS_INIT;
    memset(c, 0, sizeof *c);
    c->copt = d;
    c->render = 1;
    *help = 0;
    opterr = 0;
    int ch, rc;
    /* the command comes first; options and files may then come in any order */
    if (argc > 1 && argv[1][0] != '-') {
        c->cmd = argv[1];
        argc--;
        argv++;
    }
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        unsigned long u;
        switch (ch) {
        case OPT_ALPHA:
            if ((rc = ev_report_parse_double(&c->copt.alpha, "--alpha", optarg, err)))
                return rc;
            break;
        case OPT_MINCHANGE:
            if ((rc = ev_report_parse_double(&c->copt.min_change, "--min-change", optarg, err)))
                return rc;
            break;
        case OPT_PERM:
            if ((rc = ev_report_parse_ulong(&u, "--permutations", optarg, err)))
                return rc;
            c->copt.permutations = u;
            break;
        case OPT_SEED:
            if ((rc = ev_report_parse_ulong(&u, "--seed", optarg, err)))
                return rc;
            c->copt.seed = u;
            break;
        case OPT_JSON: c->json = 1; break;
        case OPT_CSV: c->csv = 1; break;
        case OPT_FAIL: c->fail_on_regression = 1; break;
        case OPT_OUT: c->out = optarg; break;
        case OPT_MODEL: c->model = optarg; break;
        case OPT_PAPER: c->paper = 1; break;
        case OPT_NORENDER: c->render = 0; break;
        case 'h':
        case OPT_HELP: *help = 1; return EV_OK;
        case OPT_VERSION: *help = 2; return EV_OK;
        case ':':
            return ev_error_set(err, EV_EUSAGE, "%s needs a value", argv[optind - 1]);
        case '?':
            return ev_error_set(err, EV_EUSAGE, "unknown option '%s'", argv[optind - 1]);
        default:
            return ev_error_set(err, EV_EUSAGE, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (!c->cmd)
        return ev_error_set(err, EV_EUSAGE, "no command (compare or plot)");
    c->files = (const char **)&argv[optind];
    c->nfiles = argc - optind;
    return EV_OK;
}

static int ev_report_cli_validate(const ev_report_cli *c, ev_error *err)
{
    if (strcmp(c->cmd, "compare") == 0) {
        if (c->nfiles != 2)
            return ev_error_set(err, EV_EUSAGE, "compare needs exactly two files (A and B), "
                                                "got %d", c->nfiles);
        if (c->json && c->csv)
            return ev_error_set(err, EV_EUSAGE, "--json and --csv exclude each other");
        if (c->model || c->paper)
            return ev_error_set(err, EV_EUSAGE, "--model and --paper belong to plot");
        if (!(c->copt.alpha > 0 && c->copt.alpha < 1))
            return ev_error_set(err, EV_EUSAGE, "--alpha: %g is not in (0, 1)", c->copt.alpha);
        if (!(c->copt.min_change >= 0))
            return ev_error_set(err, EV_EUSAGE, "--min-change: %g is below 0",
                                c->copt.min_change);
        return EV_OK;
    }
    if (strcmp(c->cmd, "plot") == 0) {
        if (c->nfiles < 1 && !c->paper)
            return ev_error_set(err, EV_EUSAGE, "plot needs at least one run-record file "
                                                "(or --paper)");
        if (!c->out)
            return ev_error_set(err, EV_EUSAGE, "plot needs --out DIR");
        if (c->json || c->csv || c->fail_on_regression)
            return ev_error_set(err, EV_EUSAGE, "--json, --csv and --fail-on-regression "
                                                "belong to compare");
        return EV_OK;
    }
    return ev_error_set(err, EV_EUSAGE, "unknown command '%s' (compare or plot)", c->cmd);
}

static int ev_report_load_one(ev_report_set **out, const char *path, ev_error *err)
{
    int rc = ev_report_set_new(out, err);
    if (!rc)
        rc = ev_report_set_load(*out, path, err);
    if (!rc)
        rc = ev_report_set_group(*out, err);
    if (rc && rc != EV_ENOMEM && !strstr(err->msg, path))
        ev_error_prefix(err, "%s", path);
    return rc;
}

static int ev_report_run_compare(const ev_report_cli *c, int *regressed, ev_error *err)
{
    ev_report_set *a = NULL, *b = NULL;
    ev_compare_result *r = NULL;
    int rc = ev_report_load_one(&a, c->files[0], err);
    if (!rc)
        rc = ev_report_load_one(&b, c->files[1], err);
    if (!rc)
        rc = ev_report_compare(&r, a, b, &c->copt, err);
    if (!rc) {
        if (c->json)
            rc = ev_report_compare_write_json(stdout, r);
        else if (c->csv)
            rc = ev_report_compare_write_csv(stdout, r);
        else
            rc = ev_report_compare_write_text(stdout, r);
        if (rc)
            ev_error_set(err, rc, "writing the comparison to standard output failed");
    }
    if (!rc && c->out) {
        const char *warn = NULL;
        rc = ev_report_chart_compare(r, c->out, c->render, &warn, err);
        if (!rc && warn)
            fprintf(stderr, "edgevirt-report: warning: %s\n", warn);
        if (!rc)
            fprintf(stderr, "edgevirt-report: chart of the changes written to %s/\n", c->out);
    }
    *regressed = r && r->nregressions > 0;
    ev_compare_result_free(r);
    ev_report_set_free(a);
    ev_report_set_free(b);
    return rc;
}

static int ev_report_run_plot(const ev_report_cli *c, ev_error *err)
{
    ev_report_plot_options po = EV_REPORT_PLOT_OPTIONS_INIT;
    po.out_dir = c->out;
    po.model_path = c->model;
    po.paper = c->paper;
    po.render = c->render;
    ev_report_plot_summary sum;
    int rc = ev_report_plot(&sum, c->files, (size_t)c->nfiles, &po, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < sum.nnotes; i++)
        fprintf(stderr, "edgevirt-report: note: %s\n", sum.notes[i]);
    printf("%zu charts and index.html written to %s/ (%zu records, %zu measured, %zu "
           "reconstructed)\n",
           sum.ncharts, c->out, sum.nrecords, sum.nmeasured, sum.nreconstructed);
    ev_report_plot_summary_free(&sum);
    return EV_OK;
}

static void print_version(const char *tool)
{
    char buf[512];
    const ev_libver libs[] = { EV_LIBVER_GSL, EV_LIBVER_CJSON };
    fputs(ev_version_text(buf, sizeof buf, tool, libs, sizeof libs / sizeof libs[0]), stdout);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C");
    ev_error err = EV_ERROR_INIT;
    ev_report_cli c;
    int help = 0;
    int rc = ev_report_cli_parse(&c, &help, argc, argv, &err);
    if (!rc && help == 1) {
        fputs(ev_report_usage, stdout);
        return 0;
    }
    if (!rc && help == 2) {
        print_version("edgevirt-report");
        return 0;
    }
    if (!rc)
        rc = ev_report_cli_validate(&c, &err);
    if (rc) {
        fprintf(stderr, "edgevirt-report: %s\n(try edgevirt-report --help)\n", err.msg);
        return 2;
    }
    int regressed = 0;
    if (strcmp(c.cmd, "compare") == 0)
        rc = ev_report_run_compare(&c, &regressed, &err);
    else
        rc = ev_report_run_plot(&c, &err);
    if (rc) {
        fprintf(stderr, "edgevirt-report: %s\n", err.msg[0] ? err.msg : ev_strerror(rc));
        return ev_exit_code(rc);
    }
    if (c.fail_on_regression && regressed)
        return 1;
    return 0;
}
