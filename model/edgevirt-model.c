/* edgevirt-model - fit, show and query the edgevirt cost model (docs/model.md).
 * Thin main: option parsing, then libedgevirt-model does the work; this file only formats. */
#include <getopt.h>
#include "ev_version.h"
#include <cjson/cJSON.h>
#include <gsl/gsl_version.h>
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ev_err.h"
#include "ev_fit.h"
#include "ev_fs.h"
#include "ev_model.h"
#include "ev_record.h"

static const char *const usage_main =
    "Usage: edgevirt-model COMMAND [OPTIONS]\n"
    "\n"
    "The edgevirt cost model: CPU demand per request from packet, segment and byte counts,\n"
    "throughput = min(CPU, wire, closed-loop client bound). See docs/model.md.\n"
    "\n"
    "Commands:\n"
    "  fit RUNS.jsonl... -o MODEL.json\n"
    "                    fit the model to run records\n"
    "  show [MODEL.json]\n"
    "                    print a model (default: the embedded paper calibration)\n"
    "  predict --op GET|SET --size BYTES\n"
    "                    predict RPS and CPU for every platform\n"
    "  validate FILE...  check run record files (.jsonl) and model files\n"
    "  crossval RUNS.jsonl...\n"
    "                    leave-one-size-out / leave-one-MTU-out validation\n"
    "  rescale MODEL --anchors RUNS -o NEW\n"
    "                    re-anchor a calibration with a few new runs\n"
    "  score MODEL RUNS.jsonl...\n"
    "                    a model's error on records (no refit)\n"
    "  inputs RUNS.jsonl --derive-acks\n"
    "                    the platforms' pure-ACK inputs from packet counters\n"
    "\n"
    "`edgevirt-model --version` prints the version and the library versions.\n"
    "`edgevirt-model COMMAND --help` describes each command. Exit status: 0 ok, 1 runtime\n"
    "failure, 2 usage error or bad input.\n";

static const char *const usage_fit =
    "Usage: edgevirt-model fit RUNS.jsonl... -o MODEL.json [--name NAME] [--client-rtt S]\n"
    "                          [--sigma PP] [--corr-limit R] [--inputs FILE]\n"
    "                          [--guest-pkt-bytes ID=BYTES]...\n"
    "\n"
    "Fits, per platform and CPU category (user system softirq guest), the CPU seconds per\n"
    "request D_c = cpu_c / (100 * rps) to fixed_get/fixed_set + per_packet * packets +\n"
    "per_segment * segments + per_byte_in * request bytes + per_byte_out * reply bytes +\n"
    "per_multiseg_in / per_multiseg_out for a request / reply of more than one segment, by\n"
    "weighted least squares (GSL), and writes the model file atomically. Prints every\n"
    "parameter +- its standard error, the notes on parameters the data could not identify,\n"
    "and the residual of every point.\n"
    "\n"
    "  -o, --output FILE   model file to write (required)\n"
    "  --name NAME         model name (default \"fitted\")\n"
    "  --client-rtt S      client round trip in seconds for the closed-loop bound (0.0005),\n"
    "                      lowered to the most the records allow (Little's law,\n"
    "                      edgevirt-model(1))\n"
    "  --sigma PP          a-priori noise of one CPU reading in percentage points (1)\n"
    "  --corr-limit R      |correlation| above which a count parameter is not identified\n"
    "                      (0.995)\n"
    "  --inputs FILE       platform inputs file (JSON, schema edgevirt.inputs/1,\n"
    "                      docs/formats.md): per platform id, the segmentation inputs\n"
    "                      guest_pkt_bytes, tcp_header_bytes, instance_l2_bytes,\n"
    "                      nic_mss_reduction the packet counts are derived with (not\n"
    "                      fitted). Without it: the built-in table for known ids, else\n"
    "                      defaults from each record's stack/offload (8250 B GSO packets\n"
    "                      for an offloading Linux guest, 1224 B for lwIP)\n"
    "  --guest-pkt-bytes ID=BYTES  the size of the packets platform ID's guest hands the\n"
    "                      host for large sends (repeatable; applied after --inputs, in\n"
    "                      order). The model file stores the inputs used, so predictions\n"
    "                      use them too\n";

static const char *const usage_show =
    "Usage: edgevirt-model show [MODEL.json] [--json]\n"
    "\n"
    "Prints the model's platforms, segmentation inputs, parameters +- standard error and fit\n"
    "notes. Without MODEL.json: the embedded default (the paper's reconstructed calibration).\n"
    "  --json   print the model file itself\n";

static const char *const usage_predict =
    "Usage: edgevirt-model predict --op GET|SET --size BYTES [--model MODEL.json] [--mtu N]\n"
    "                              [--link-rate BPS] [--clients N] [--pipeline P]\n"
    "                              [--key-size BYTES] [--platform ID] [--json | --csv]\n"
    "\n"
    "Predicts requests per second (with a 95 % interval from the parameter covariance), CPU\n"
    "percent of one core per category and the binding bound for every platform of the model\n"
    "(default: the embedded paper calibration).\n"
    "  --mtu N          MTU in bytes (1500)\n"
    "  --link-rate BPS  link rate in bits/s per direction (1e9); 0 = no wire bound\n"
    "  --clients N      closed-loop connections (50)\n"
    "  --pipeline P     requests in flight per connection (1)\n"
    "  --key-size B     key size (16, redis-benchmark's)\n"
    "  --platform ID    only this platform\n"
    "  --json           {\"predictions\":[{\"platform\",\"op\",\"size\",\"rps\",\"rps_lo\",\n"
    "                   \"rps_hi\",\"cpu\":{\"user\",\"system\",\"softirq\",\"guest\"},\n"
    "                   \"bottleneck\"}]}\n"
    "  --csv            one header line, one line per platform\n";

static const char *const usage_validate =
    "Usage: edgevirt-model validate FILE...\n"
    "\n"
    "Loads each file strictly: *.jsonl as run records (edgevirt.run/1), anything else as a\n"
    "model file (edgevirt.model/1). Prints \"FILE: ok\" lines; on the first bad file prints the\n"
    "loader's message (file, line, field) and exits 2.\n";

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "edgevirt-model: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

static int fail(const ev_error *err, int rc)
{
    fprintf(stderr, "edgevirt-model: %s\n", err->msg[0] ? err->msg : ev_strerror(rc));
    return ev_exit_code(rc);
}

static int parse_num(const char *s, double *out, double min, double max)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* ---------------------------------------------------------------- loading */

static int load_model(ev_model **m, const char *path, ev_error *err)
{
    return path ? ev_model_load(m, path, err) : ev_model_default(m, err);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* ---------------------------------------------------------------- show */

static void print_params(FILE *f, const ev_model *m, size_t p)
{
    int c, j;
    fprintf(f, "  %-10s", "category");
    for (j = 0; j < EV_NPARAM; j++)
        fprintf(f, " %26s", ev_model_param_names[j]);
    fprintf(f, "\n");
    for (c = 0; c < EV_NCAT; c++) {
        ev_param_set ps;
        ev_model_params(&ps, m, p, c);
        fprintf(f, "  %-10s", ev_cpu_names[c]);
        for (j = 0; j < EV_NPARAM; j++) {
            char cell[64];
            if (ps.identified[j])
                snprintf(cell, sizeof cell, "%.4g +- %.2g", ps.value[j],
                         sqrt(fmax(0, ps.cov[j * EV_NPARAM + j])));
            else
                snprintf(cell, sizeof cell, "%.4g (fixed)", ps.value[j]);
            fprintf(f, " %26s", cell);
        }
        fprintf(f, "\n");
    }
}

static void print_model(FILE *f, const ev_model *m)
{
    size_t i, nrec;
    fprintf(f, "model %s (%s), structure %s, client rtt %.6g s\n", ev_model_name(m),
            ev_model_source(m) == EV_SOURCE_RECONSTRUCTED ? "reconstructed" : "measured",
            EV_MODEL_STRUCTURE, ev_model_client_rtt(m));
    for (i = 0; i < ev_model_ndatasets(m); i++) {
        const char *d = ev_model_dataset(m, i, &nrec);
        fprintf(f, "fitted from %s (%zu records)\n", d, nrec);
    }
    for (i = 0; i < ev_model_nhosts(m); i++) {
        ev_host_info h;
        ev_model_host(&h, m, i);
        fprintf(f, "measured on host %s, kernel %s, %s, %s (%zu records)\n", h.name, h.kernel,
                h.arch, h.cpu, h.records);
    }
    fprintf(f, "parameters in CPU seconds per request, per packet, per segment, per byte\n");
    for (i = 0; i < ev_model_nplatforms(m); i++) {
        ev_platform_info pi;
        ev_fit_diag d;
        ev_model_platform(&pi, m, i);
        ev_model_diag(&d, m, i);
        fprintf(f, "\n%s: path %s, stack %s, offload %s, guest packets <= %g B, TCP/IP headers "
                   "%g B, instance L2 %g B, NIC MSS reduction %g B\n",
                pi.id, ev_path_name(pi.path), pi.stack, pi.offload ? "yes" : "no",
                pi.guest_pkt_bytes, pi.tcp_header_bytes, pi.instance_l2_bytes,
                pi.nic_mss_reduction);
        if (pi.ack_pkts_per_msg != 0 || pi.ack_pkts_per_seg != 0)
            fprintf(f, "  pure ACKs per message of k > 1 segments: %g + %g * (k - 1)\n",
                    pi.ack_pkts_per_msg, pi.ack_pkts_per_seg);
        fprintf(f, "  %zu points, %d degrees of freedom, max |corr| %.4f\n", d.points, d.dof,
                d.max_abs_corr);
        print_params(f, m, i);
        if (d.notes && d.notes[0]) {
            const char *s = d.notes;
            while (*s) {
                const char *nl = strchr(s, '\n');
                int n = nl ? (int)(nl - s) : (int)strlen(s);
                fprintf(f, "  note: %.*s\n", n, s);
                s += n + (nl ? 1 : 0);
            }
        }
    }
}

static int cmd_show(int argc, char **argv)
{
    static const struct option lo[] = { { "help", no_argument, 0, 'h' },
                                         { "json", no_argument, 0, 'j' }, { 0, 0, 0, 0 } };
    int o, json = 0, rc;
    ev_model *m = NULL;
    ev_error err = EV_ERROR_INIT;
    while ((o = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        if (o == 'h') {
            fputs(usage_show, stdout);
            return 0;
        } else if (o == 'j')
            json = 1;
        else
            return usage_error(usage_show, "%s", "bad option");
    }
    if (argc - optind > 1)
        return usage_error(usage_show, "unexpected argument %s", argv[optind + 1]);
    rc = load_model(&m, optind < argc ? argv[optind] : NULL, &err);
    if (rc)
        return fail(&err, rc);
    if (json) {
        char *t = NULL;
        rc = ev_model_to_json(&t, m);
        if (rc == EV_OK)
            fputs(t, stdout);
        free(t);
    } else
        print_model(stdout, m);
    ev_model_free(m);
    return rc ? 1 : 0;
}

/* ---------------------------------------------------------------- predict */

typedef struct pred_row {
    const char *platform;
    ev_prediction p;
} pred_row;

/* a JSON string literal: platform ids come from model files, which do not restrict them */
static void put_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void write_pred_json(FILE *f, const pred_row *rows, size_t n, ev_op op, double size)
{
    size_t i;
    int c;
    fprintf(f, "{\"predictions\":[");
    for (i = 0; i < n; i++) {
        const ev_prediction *p = &rows[i].p;
        fprintf(f, "%s{\"platform\":", i ? "," : "");
        put_json_str(f, rows[i].platform);
        fprintf(f, ",\"op\":\"%s\",\"size\":%.17g,\"rps\":%.17g,\"rps_lo\":%.17g,"
                   "\"rps_hi\":%.17g,\"cpu\":{",
                ev_op_name(op), size, p->rps, p->rps_lo, p->rps_hi);
        for (c = 0; c < EV_NCAT; c++)
            fprintf(f, "%s\"%s\":%.17g", c ? "," : "", ev_cpu_names[c], p->cpu[c]);
        fprintf(f, "},\"bottleneck\":\"%s\"}", ev_bound_name(p->bound, p->bound_cat));
    }
    fprintf(f, "]}\n");
}

static void write_pred_csv(FILE *f, const pred_row *rows, size_t n, ev_op op, double size,
                           const ev_conditions *cond)
{
    size_t i;
    fprintf(f, "platform,op,size_bytes,mtu_bytes,link_rate_bps,clients,rps,rps_lo,rps_hi,"
               "cpu_user_pct,cpu_system_pct,cpu_softirq_pct,cpu_guest_pct,bottleneck,"
               "x_cpu_rps,x_wire_rps,x_client_rps,packets_per_req,segments_per_req,"
               "wire_bytes_per_req\n");
    for (i = 0; i < n; i++) {
        const ev_prediction *p = &rows[i].p;
        fprintf(f, "%s,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%s,"
                   "%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n",
                rows[i].platform, ev_op_name(op), size, cond->mtu, cond->link_rate_bps,
                cond->clients, p->rps, p->rps_lo, p->rps_hi, p->cpu[0], p->cpu[1], p->cpu[2],
                p->cpu[3], ev_bound_name(p->bound, p->bound_cat), p->x_cpu,
                isfinite(p->x_wire) ? p->x_wire : 0, p->x_client, p->packets_per_req,
                p->segments_per_req, p->wire_bytes_per_req);
    }
}

static void write_pred_text(FILE *f, const pred_row *rows, size_t n, ev_op op, double size,
                            const ev_conditions *cond, const ev_model *m)
{
    size_t i;
    fprintf(f, "%s %g B, MTU %g, link %g bit/s, %g clients x pipeline %g, model %s\n",
            ev_op_name(op), size, cond->mtu, cond->link_rate_bps, cond->clients,
            cond->pipeline, ev_model_name(m));
    fprintf(f, "%-16s %9s %19s %7s %7s %8s %7s  %-12s %8s %8s\n", "platform", "rps",
            "95% interval", "user%", "system%", "softirq%", "guest%", "bottleneck", "pkts/req",
            "segs/req");
    for (i = 0; i < n; i++) {
        const ev_prediction *p = &rows[i].p;
        char iv[48];
        snprintf(iv, sizeof iv, "%.0f-%.0f", p->rps_lo, p->rps_hi);
        fprintf(f, "%-16s %9.0f %19s %7.1f %7.1f %8.1f %7.1f  %-12s %8.2f %8.2f\n",
                rows[i].platform, p->rps, iv, p->cpu[0], p->cpu[1], p->cpu[2], p->cpu[3],
                ev_bound_name(p->bound, p->bound_cat), p->packets_per_req, p->segments_per_req);
    }
}

static int cmd_predict(int argc, char **argv)
{
    static const struct option lo[] = {
        { "help", no_argument, 0, 'h' },        { "model", required_argument, 0, 'm' },
        { "op", required_argument, 0, 'o' },    { "size", required_argument, 0, 's' },
        { "mtu", required_argument, 0, 'M' },   { "link-rate", required_argument, 0, 'L' },
        { "clients", required_argument, 0, 'c' }, { "pipeline", required_argument, 0, 'P' },
        { "key-size", required_argument, 0, 'k' }, { "platform", required_argument, 0, 'p' },
        { "json", no_argument, 0, 'j' },        { "csv", no_argument, 0, 'C' },
        { 0, 0, 0, 0 }
    };
    ev_conditions cond = EV_CONDITIONS_INIT;
    const char *model = NULL, *only = NULL;
    int o, op = -1, json = 0, csv = 0, rc = 0;
    double size = -1;
    ev_model *m = NULL;
    ev_error err = EV_ERROR_INIT;
    pred_row *rows = NULL;
    size_t i, n = 0;

    while ((o = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (o) {
        case 'h': fputs(usage_predict, stdout); return 0;
        case 'm': model = optarg; break;
        case 'o':
            op = ev_op_parse(optarg);
            if (op < 0)
                return usage_error(usage_predict, "--op: must be GET or SET, got \"%s\"", optarg);
            break;
        case 's':
            if (parse_num(optarg, &size, 1, 1e9))
                return usage_error(usage_predict, "--size: must be a number of bytes in "
                                                  "1..1e9, got \"%s\"", optarg);
            break;
        case 'M':
            if (parse_num(optarg, &cond.mtu, 68, 65536))
                return usage_error(usage_predict, "--mtu: must be 68..65536, got \"%s\"", optarg);
            break;
        case 'L':
            if (parse_num(optarg, &cond.link_rate_bps, 0, 1e15))
                return usage_error(usage_predict, "--link-rate: must be bits/s >= 0, got \"%s\"",
                                   optarg);
            break;
        case 'c':
            if (parse_num(optarg, &cond.clients, 1, 1e6))
                return usage_error(usage_predict, "--clients: must be >= 1, got \"%s\"", optarg);
            break;
        case 'P':
            if (parse_num(optarg, &cond.pipeline, 1, 1e6))
                return usage_error(usage_predict, "--pipeline: must be >= 1, got \"%s\"", optarg);
            break;
        case 'k':
            if (parse_num(optarg, &cond.key_size, 1, 1e6))
                return usage_error(usage_predict, "--key-size: must be >= 1, got \"%s\"", optarg);
            break;
        case 'p': only = optarg; break;
        case 'j': json = 1; break;
        case 'C': csv = 1; break;
        default: return usage_error(usage_predict, "%s", "bad option");
        }
    }
    if (optind < argc)
        return usage_error(usage_predict, "unexpected argument %s", argv[optind]);
    if (op < 0)
        return usage_error(usage_predict, "%s", "--op GET|SET is required");
    if (size < 0)
        return usage_error(usage_predict, "%s", "--size BYTES is required");
    if (json && csv)
        return usage_error(usage_predict, "%s", "--json and --csv exclude each other");
    rc = load_model(&m, model, &err);
    if (rc)
        return fail(&err, rc);
    if (only && ev_model_find(m, only) < 0) {
        ev_error_set(&err, EV_ENOENT, "--platform: the model has no platform \"%s\"", only);
        ev_model_free(m);
        return fail(&err, EV_ENOENT);
    }
    rows = calloc(ev_model_nplatforms(m) + 1, sizeof *rows);
    if (!rows) {
        ev_model_free(m);
        ev_error_set(&err, EV_ENOMEM, "out of memory");
        return fail(&err, EV_ENOMEM);
    }
    for (i = 0; i < ev_model_nplatforms(m); i++) {
        ev_platform_info pi;
        ev_mix_item it = { (ev_op)op, size, 1.0 };
        ev_model_platform(&pi, m, i);
        if (only && strcmp(only, pi.id) != 0)
            continue;
        rc = ev_model_predict(&rows[n].p, m, i, &it, 1, &cond, &err);
        if (rc) {
            ev_error_prefix(&err, "platform %s", pi.id);
            free(rows);
            ev_model_free(m);
            return fail(&err, rc);
        }
        rows[n++].platform = pi.id;
    }
    if (json)
        write_pred_json(stdout, rows, n, (ev_op)op, size);
    else if (csv)
        write_pred_csv(stdout, rows, n, (ev_op)op, size, &cond);
    else
        write_pred_text(stdout, rows, n, (ev_op)op, size, &cond, m);
    free(rows);
    ev_model_free(m);
    return 0;
}

/* ---------------------------------------------------------------- platform inputs */

/* Shared by fit and crossval (edgevirt-model-crossval.c): read --inputs FILE or
 * --guest-pkt-bytes ID=BYTES into *in (created on first use). RETURNS an ev_err code; err set. */
int cli_inputs_option(ev_fit_inputs **in, int is_file, const char *arg, ev_error *err);
int cli_inputs_option(ev_fit_inputs **in, int is_file, const char *arg, ev_error *err)
{
    int rc;
    if (!*in && (rc = ev_fit_inputs_new(in, err)) != EV_OK)
        return rc;
    if (is_file)
        return ev_fit_inputs_load(*in, arg, err);
    rc = ev_fit_inputs_parse_assign(*in, "guest_pkt_bytes", arg, err);
    if (rc && rc != EV_ENOMEM) {
        ev_error tmp = *err;
        ev_error_set(err, rc, "--guest-pkt-bytes %s", tmp.msg);
    }
    return rc;
}

/* Resolve *in against the loaded records into opt->inputs (*pi, caller frees); warn on stderr
 * about ids the records do not have. */
int cli_inputs_apply(ev_fit_options *opt, ev_platform_info **pi, const ev_fit_inputs *in,
                     const ev_record *recs, size_t n, ev_error *err);
int cli_inputs_apply(ev_fit_options *opt, ev_platform_info **pi, const ev_fit_inputs *in,
                     const ev_record *recs, size_t n, ev_error *err)
{
    size_t i, j, np = 0;
    int rc = ev_fit_inputs_resolve(pi, &np, in, recs, n, err);
    if (rc)
        return rc;
    for (i = 0; i < ev_fit_inputs_count(in); i++) {
        for (j = 0; j < np && strcmp((*pi)[j].id, ev_fit_inputs_id(in, i)) != 0; j++)
            ;
        if (j == np)
            fprintf(stderr, "edgevirt-model: warning: platform inputs for \"%s\": no record of "
                    "that platform, not used\n", ev_fit_inputs_id(in, i));
    }
    opt->inputs = *pi;
    opt->ninputs = np;
    return EV_OK;
}

/* ---------------------------------------------------------------- fit */

static int cmd_fit(int argc, char **argv)
{
    static const struct option lo[] = {
        { "help", no_argument, 0, 'h' },       { "output", required_argument, 0, 'o' },
        { "name", required_argument, 0, 'n' }, { "client-rtt", required_argument, 0, 'r' },
        { "sigma", required_argument, 0, 's' }, { "corr-limit", required_argument, 0, 'l' },
        { "inputs", required_argument, 0, 'i' },
        { "guest-pkt-bytes", required_argument, 0, 'g' },
        { 0, 0, 0, 0 }
    };
    ev_fit_options opt = EV_FIT_OPTIONS_INIT;
    ev_fit_inputs *in = NULL;
    ev_platform_info *pi = NULL;
    const char *outp = NULL;
    ev_recset set = { NULL, 0, 0 };
    ev_error err = EV_ERROR_INIT;
    ev_model *m = NULL;
    ev_fit_point *pts = NULL;
    size_t *counts = NULL, npts = 0, i;
    int o, rc = EV_OK, nfiles, f;

    while ((o = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
        switch (o) {
        case 'h': fputs(usage_fit, stdout); return 0;
        case 'o': outp = optarg; break;
        case 'n': opt.name = optarg; break;
        case 'r':
            if (parse_num(optarg, &opt.client_rtt_s, 0, 10))
                return usage_error(usage_fit, "--client-rtt: must be seconds in [0, 10], got "
                                              "\"%s\"", optarg);
            break;
        case 's':
            if (parse_num(optarg, &opt.sigma_cpu_pp, 1e-9, 100))
                return usage_error(usage_fit, "--sigma: must be > 0, got \"%s\"", optarg);
            break;
        case 'l':
            if (parse_num(optarg, &opt.corr_limit, 1e-6, 1))
                return usage_error(usage_fit, "--corr-limit: must be in (0, 1], got \"%s\"",
                                   optarg);
            break;
        case 'i':
        case 'g':
            if ((rc = cli_inputs_option(&in, o == 'i', optarg, &err)) != EV_OK) {
                ev_fit_inputs_free(in);
                return fail(&err, rc);
            }
            break;
        default: ev_fit_inputs_free(in); return usage_error(usage_fit, "%s", "bad option");
        }
    }
    if (!outp) {
        ev_fit_inputs_free(in);
        return usage_error(usage_fit, "%s", "-o MODEL.json is required");
    }
    nfiles = argc - optind;
    if (nfiles < 1) {
        ev_fit_inputs_free(in);
        return usage_error(usage_fit, "%s", "at least one RUNS.jsonl is required");
    }
    counts = calloc((size_t)nfiles, sizeof *counts);
    if (!counts) {
        ev_fit_inputs_free(in);
        ev_error_set(&err, EV_ENOMEM, "out of memory");
        return fail(&err, EV_ENOMEM);
    }
    for (f = 0; f < nfiles && rc == EV_OK; f++) {
        size_t before = set.n;
        rc = ev_recset_load(&set, argv[optind + f], 0, NULL, &err);
        counts[f] = set.n - before;
    }
    if (rc == EV_OK && in)
        rc = cli_inputs_apply(&opt, &pi, in, set.recs, set.n, &err);
    if (rc == EV_OK)
        rc = ev_fit_records(&m, set.recs, set.n, &opt, &err);
    for (f = 0; f < nfiles && rc == EV_OK; f++)
        rc = ev_model_add_dataset(m, argv[optind + f], counts[f]);
    if (rc == EV_OK)
        rc = ev_model_save(outp, m, &err);
    if (rc == EV_OK)
        rc = ev_fit_residuals(&pts, &npts, m, set.recs, set.n, &err);
    if (rc == EV_OK) {
        print_model(stdout, m);
        if (ev_model_client_rtt(m) < opt.client_rtt_s) {
            size_t w = 0;
            double b = ev_fit_client_rtt_bound(set.recs, set.n, &w);
            const ev_record *r = &set.recs[w];
            printf("client rtt: --client-rtt %.6g s lowered to %.6g s, the most the records "
                   "allow (Little's law: record %zu, %s, %u x %u outstanding at %.1f rps; "
                   "docs/model.md \"Client bound\")\n", opt.client_rtt_s, b, w + 1,
                   r->point[0] ? r->point : r->platform, r->clients,
                   r->pipeline ? r->pipeline : 1, r->rps);
        }
        printf("\nresiduals (CPU microseconds per request, observed - fitted; rps)\n");
        printf("%-16s %-4s %8s %6s %9s %9s %9s %9s %10s %10s\n", "platform", "op", "size", "mtu",
               "user", "system", "softirq", "guest", "rps_obs", "rps_fit");
        for (i = 0; i < npts; i++) {
            const ev_record *r = &set.recs[pts[i].record];
            printf("%-16s %-4s %8u %6u %9.3f %9.3f %9.3f %9.3f %10.1f %10.1f\n", r->platform,
                   ev_op_name(r->op), r->value_size, r->mtu,
                   1e6 * (pts[i].d_obs[0] - pts[i].d_fit[0]),
                   1e6 * (pts[i].d_obs[1] - pts[i].d_fit[1]),
                   1e6 * (pts[i].d_obs[2] - pts[i].d_fit[2]),
                   1e6 * (pts[i].d_obs[3] - pts[i].d_fit[3]), pts[i].rps_obs, pts[i].rps_fit);
        }
        printf("\nwrote %s\n", outp);
    }
    free(pts);
    free(counts);
    free(pi);
    ev_fit_inputs_free(in);
    ev_model_free(m);
    ev_recset_free(&set);
    return rc ? fail(&err, rc) : 0;
}

/* ---------------------------------------------------------------- validate */

static int cmd_validate(int argc, char **argv)
{
    static const struct option lo[] = { { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    int o, i, rc;
    ev_error err = EV_ERROR_INIT;
    while ((o = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        if (o == 'h') {
            fputs(usage_validate, stdout);
            return 0;
        }
        return usage_error(usage_validate, "%s", "bad option");
    }
    if (optind >= argc)
        return usage_error(usage_validate, "%s", "at least one FILE is required");
    for (i = optind; i < argc; i++) {
        if (has_suffix(argv[i], ".jsonl")) {
            ev_recset set = { NULL, 0, 0 };
            rc = ev_recset_load(&set, argv[i], 0, NULL, &err);
            if (rc == EV_OK)
                printf("%s: ok (%zu run records)\n", argv[i], set.n);
            ev_recset_free(&set);
        } else {
            ev_model *m = NULL;
            rc = ev_model_load(&m, argv[i], &err);
            if (rc == EV_OK)
                printf("%s: ok (model \"%s\", %zu platforms)\n", argv[i], ev_model_name(m),
                       ev_model_nplatforms(m));
            ev_model_free(m);
        }
        if (rc)
            return fail(&err, rc);
    }
    return 0;
}


/* ---------------------------------------------------------------- inputs */

static const char *const usage_inputs =
    "Usage: edgevirt-model inputs RUNS.jsonl... --derive-acks [--inputs BASE.json]\n"
    "                             [-o OUT.json]\n"
    "\n"
    "Derives the platforms' pure-ACK inputs (ack_pkts_per_msg, ack_pkts_per_seg;\n"
    "docs/model.md \"ACK packets\") from the records' instance packet counters: the packets\n"
    "measured per request beyond those the model counts are fitted to the messages of more\n"
    "than one segment and their extra segments. The other inputs come from BASE (as for\n"
    "fit --inputs) or the defaults. Writes BASE with the ACK fields added (edgevirt.inputs/1)\n"
    "to OUT (atomically) or standard output, and prints one line per platform to stderr.\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 usage error or bad input.\n";

static int cmd_inputs(int argc, char **argv)
{
    static const struct option lo[] = {
        { "help", no_argument, 0, 'h' },          { "output", required_argument, 0, 'o' },
        { "inputs", required_argument, 0, 'i' },  { "derive-acks", no_argument, 0, 'A' },
        { 0, 0, 0, 0 }
    };
    const char *outp = NULL, *base = NULL;
    int o, derive = 0, rc = EV_OK, f;
    ev_fit_inputs *in = NULL;
    ev_recset set = { NULL, 0, 0 };
    ev_error err = EV_ERROR_INIT;
    ev_fit_ack_report *rep = NULL;
    size_t nrep = 0, k;
    char *text = NULL;
    static const char *const notes[] = {
        "ack_pkts_per_msg and ack_pkts_per_seg derived by `edgevirt-model inputs --derive-acks` "
        "from the records' instance packet counters (docs/model.md, \"ACK packets\")", NULL };

    while ((o = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
        switch (o) {
        case 'h': fputs(usage_inputs, stdout); return 0;
        case 'o': outp = optarg; break;
        case 'i': base = optarg; break;
        case 'A': derive = 1; break;
        default: return usage_error(usage_inputs, "%s", "bad option");
        }
    }
    if (!derive)
        return usage_error(usage_inputs, "%s", "inputs: --derive-acks is required (the one "
                                               "derivation there is)");
    if (optind >= argc)
        return usage_error(usage_inputs, "%s", "inputs: at least one RUNS.jsonl is required");
    rc = ev_fit_inputs_new(&in, &err);
    if (rc == EV_OK && base)
        rc = ev_fit_inputs_load(in, base, &err);
    for (f = optind; f < argc && rc == EV_OK; f++)
        rc = ev_recset_load(&set, argv[f], 0, NULL, &err);
    if (rc == EV_OK)
        rc = ev_fit_inputs_derive_acks(in, set.recs, set.n, &rep, &nrep, &err);
    if (rc == EV_OK) {
        /* the base file's notes are kept, the derivation's note added */
        const char *all[34];
        int na = 0;
        char *btext = NULL;
        cJSON *broot = NULL;
        if (base && ev_fs_read_all(&btext, NULL, base, NULL) == EV_OK &&
            (broot = cJSON_Parse(btext)) != NULL) {
            const cJSON *bn = cJSON_GetObjectItemCaseSensitive(broot, "notes"), *it;
            if (cJSON_IsString(bn))
                all[na++] = bn->valuestring;
            if (cJSON_IsArray(bn))
                cJSON_ArrayForEach(it, bn)
                    if (cJSON_IsString(it) && na < 32)
                        all[na++] = it->valuestring;
        }
        all[na++] = notes[0];
        all[na] = NULL;
        rc = ev_fit_inputs_to_json(&text, in, all) ? ev_error_set(&err, EV_ENOMEM,
                                                                   "out of memory") : EV_OK;
        cJSON_Delete(broot);
        free(btext);
    }
    if (rc == EV_OK) {
        for (k = 0; k < nrep; k++) {
            if (!rep[k].multi)
                fprintf(stderr, "%-18s %4zu records, none with a message of more than one "
                        "segment: no ACK inputs\n", rep[k].id, rep[k].used);
            else
                fprintf(stderr, "%-18s %4zu records (%zu multi-segment): ack_pkts_per_msg "
                        "%.4f, ack_pkts_per_seg %.4f, rms residual %.3f packets/request\n",
                        rep[k].id, rep[k].used, rep[k].multi, rep[k].a, rep[k].b, rep[k].rms);
        }
        if (outp) {
            size_t len = strlen(text);
            text[len] = '\n'; /* cJSON_Print leaves room for the NUL only: write len + 1 */
            rc = ev_fs_write_atomic(outp, text, len + 1, &err);
            text[len] = '\0';
        } else {
            puts(text);
        }
    }
    free(text);
    free(rep);
    ev_recset_free(&set);
    ev_fit_inputs_free(in);
    return rc ? fail(&err, rc) : 0;
}

/* edgevirt-model-crossval.c (calibration, issue 7) */
int cmd_crossval(int argc, char **argv);
int cmd_rescale(int argc, char **argv);
int cmd_score(int argc, char **argv);

/* A command's status, or 1 when what it printed could not be written (e.g. a full disk). */
static int finish(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "edgevirt-model: writing the output failed: %s\n", strerror(errno));
        return rc ? rc : 1;
    }
    return rc;
}

static void print_version(const char *tool)
{
    char buf[512];
    const ev_libver libs[] = { EV_LIBVER_GSL, EV_LIBVER_CJSON };
    fputs(ev_version_text(buf, sizeof buf, tool, libs, sizeof libs / sizeof libs[0]), stdout);
}

int main(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        print_version("edgevirt-model");
        return 0;
    }
    const char *cmd;
    if (argc < 2)
        return usage_error(usage_main, "%s", "a COMMAND is required");
    cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    argc--;
    argv++;
    optind = 1;
    if (strcmp(cmd, "fit") == 0)
        return finish(cmd_fit(argc, argv));
    if (strcmp(cmd, "show") == 0)
        return finish(cmd_show(argc, argv));
    if (strcmp(cmd, "predict") == 0)
        return finish(cmd_predict(argc, argv));
    if (strcmp(cmd, "validate") == 0)
        return finish(cmd_validate(argc, argv));
    if (strcmp(cmd, "crossval") == 0)
        return finish(cmd_crossval(argc, argv));
    if (strcmp(cmd, "inputs") == 0)
        return finish(cmd_inputs(argc, argv));
    if (strcmp(cmd, "score") == 0)
        return finish(cmd_score(argc, argv));
    if (strcmp(cmd, "rescale") == 0)
        return finish(cmd_rescale(argc, argv));
    return usage_error(usage_main, "unknown command \"%s\"", cmd);
}
