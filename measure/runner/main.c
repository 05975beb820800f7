/* edgevirt-measure - thin main: parse, load the spec, run / plan / validate, report.
 * docs/edgevirt-measure.md */
#include <getopt.h>
#include "ev_version.h"
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <gsl/gsl_version.h>
#include <hiredis/hiredis.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ev_fs.h"
#include "ev_runner.h"
#include "ev_spec.h"

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    if (g_stop)
        _exit(128 + sig); /* second signal: leave now; children die with us (PDEATHSIG) */
    g_stop = sig;
}

static const char usage_text[] =
    "Usage: edgevirt-measure run SPEC -o RESULTS.jsonl [--dry-run] [--load PATH] [-q]\n"
    "       edgevirt-measure plan SPEC [-o RESULTS.jsonl] [--load PATH]\n"
    "       edgevirt-measure validate SPEC\n"
    "       edgevirt-measure --help | --version\n"
    "\n"
    "Measure Redis on virtualization platforms as an experiment spec (edgevirt.spec/1) says,\n"
    "one run record (edgevirt.run/1) per point, appended to RESULTS as it is measured.\n"
    "\n"
    "Commands:\n"
    "  run       measure every point of SPEC not yet recorded (ok) in RESULTS (resume)\n"
    "  plan      print the plan: every point, every argv and API request; starts nothing\n"
    "  validate  check SPEC (including each driver's settings) and print a summary\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   results file (JSONL, appended durably; required for run)\n"
    "  -n, --dry-run       with run: print the plan instead of running (same as plan)\n"
    "      --load PATH     edgevirt-load to run on the client side (default: the spec's\n"
    "                      client.load, else the edgevirt-load installed or built beside\n"
    "                      this edgevirt-measure, else \"edgevirt-load\" from PATH)\n"
    "  -q, --quiet         no progress output\n"
    "  -h, --help          this text\n"
    "  -V, --version       print the version\n"
    "\n"
    "Exit status: 0 every point ok; 1 some points failed, interrupted, or a runtime error;\n"
    "2 bad command line or bad spec (the message names the file, the field and the reason),\n"
    "or, before the first point, a missing tool, kernel, image or interface (with the fix).\n"
    "SIGINT/SIGTERM stop after the points already recorded; run the same command to resume.\n";

typedef struct prog_ctx {
    int tty, quiet;
} prog_ctx;

static void fmt_dur(char *b, size_t n, double s)
{
    if (s < 0) {
        snprintf(b, n, "?");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(b, n, "%ldh%02ldm", t / 3600, (t % 3600) / 60);
    else if (t >= 60)
        snprintf(b, n, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(b, n, "%lds", t);
}

static void on_progress(const ev_runner_progress *p, void *payload)
{
    const prog_ctx *c = payload;
    char el[32], eta[32];
    if (c->quiet) {
        if (p->record && !p->record->ok)
            fprintf(stderr, "edgevirt-measure: [%zu/%zu] %s failed: %s\n", p->index, p->total,
                    p->point, p->record->error);
        return;
    }
    fmt_dur(el, sizeof el, p->elapsed_s);
    fmt_dur(eta, sizeof eta, p->eta_s);
    if (c->tty) {
        fprintf(stderr, "\r\033[K[%zu/%zu] %s %s | %zu ok %zu failed | %s elapsed, ETA %s",
                p->index, p->total, p->point ? p->point : "", p->phase, p->ok, p->failed, el,
                eta);
        if (p->record && !p->record->ok)
            fprintf(stderr, "\r\033[Kfailed %s: %s\n", p->point, p->record->error);
        fflush(stderr);
        return;
    }
    if (!p->record)
        return;
    if (p->record->ok)
        fprintf(stderr, "edgevirt-measure: [%zu/%zu] %s ok %.0f rps (ETA %s)\n", p->index,
                p->total, p->point, p->record->rps, eta);
    else
        fprintf(stderr, "edgevirt-measure: [%zu/%zu] %s failed: %s\n", p->index, p->total,
                p->point, p->record->error);
}

static int fail(int code, const char *msg)
{
    fprintf(stderr, "edgevirt-measure: %s\n", msg);
    return code;
}

static void print_version(const char *tool)
{
    char buf[512];
    const ev_libver libs[] = { EV_LIBVER_HIREDIS, EV_LIBVER_GSL, EV_LIBVER_CJSON, EV_LIBVER_CURL };
    fputs(ev_version_text(buf, sizeof buf, tool, libs, sizeof libs / sizeof libs[0]), stdout);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'}, {"dry-run", no_argument, 0, 'n'},
        {"load", required_argument, 0, 'L'},   {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},         {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    const char *out = NULL, *load = NULL;
    int dry = 0, quiet = 0, c;
    ev_error err = EV_ERROR_INIT;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+o:nqhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'n': dry = 1; break;
        case 'L': load = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': print_version("edgevirt-measure"); return 0;
        default:
            fprintf(stderr, "edgevirt-measure: unknown or incomplete option '%s'\n%s",
                    argv[optind - 1], usage_text);
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "edgevirt-measure: missing command\n%s", usage_text);
        return 2;
    }
    const char *cmd = argv[optind++];
    /* options may also follow the command and the spec */
    const char *spec_path = NULL;
    while (optind < argc) {
        if ((c = getopt_long(argc, argv, "+o:nqhV", longopts, NULL)) != -1) {
            switch (c) {
            case 'o': out = optarg; break;
            case 'n': dry = 1; break;
            case 'L': load = optarg; break;
            case 'q': quiet = 1; break;
            case 'h': fputs(usage_text, stdout); return 0;
            case 'V': print_version("edgevirt-measure"); return 0;
            default:
                fprintf(stderr, "edgevirt-measure: unknown or incomplete option '%s'\n",
                        argv[optind - 1]);
                return 2;
            }
            continue;
        }
        if (optind < argc) {
            if (spec_path) {
                fprintf(stderr, "edgevirt-measure: unexpected argument '%s'\n", argv[optind]);
                return 2;
            }
            spec_path = argv[optind++];
        }
    }
    if (strcmp(cmd, "run") != 0 && strcmp(cmd, "plan") != 0 && strcmp(cmd, "validate") != 0) {
        fprintf(stderr, "edgevirt-measure: unknown command '%s' (run, plan, validate)\n", cmd);
        return 2;
    }
    if (!spec_path)
        return fail(2, "missing SPEC");
    if (strcmp(cmd, "run") == 0 && !dry && !out)
        return fail(2, "run needs -o RESULTS.jsonl");

    ev_spec *spec = NULL;
    int rc = ev_spec_load(&spec, spec_path, &err);
    if (rc != EV_OK)
        return fail(ev_exit_code(rc), err.msg);

    ev_runner_options o = EV_RUNNER_OPTIONS_INIT;
    o.results = out;
    o.load_bin = load;
    /* the edgevirt-load installed beside this edgevirt-measure (bin/), or built beside it in a
     * build tree (build/measure/runner/ and build/measure/load/) */
    char self[PATH_MAX], sibling[PATH_MAX + 32];
    if (ev_fs_self_dir(self, sizeof self)) {
        snprintf(sibling, sizeof sibling, "%s/edgevirt-load", self);
        if (!ev_fs_find_exec(sibling, NULL, 0))
            snprintf(sibling, sizeof sibling, "%s/../load/edgevirt-load", self);
        if (ev_fs_find_exec(sibling, NULL, 0)) {
            char *real = realpath(sibling, NULL);
            if (real && strlen(real) < sizeof sibling)
                memcpy(sibling, real, strlen(real) + 1);
            free(real);
            o.load_default = sibling;
        }
    }

    if (strcmp(cmd, "validate") == 0) {
        printf("%s: valid (%zu platforms, %zu points)\n", spec_path, spec->nplatforms,
               ev_spec_npoints(spec));
        ev_spec_free(spec);
        return 0;
    }
    if (strcmp(cmd, "plan") == 0 || dry) {
        char *text = NULL;
        rc = ev_runner_plan_text(&text, spec, &o, &err);
        ev_spec_free(spec);
        if (rc != EV_OK)
            return fail(ev_exit_code(rc), err.msg);
        fputs(text, stdout);
        free(text);
        if (fflush(stdout) != 0 || ferror(stdout))
            return fail(1, "writing the plan to standard output failed");
        return 0;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    prog_ctx pc = {isatty(STDERR_FILENO), quiet};
    o.stop = &g_stop;
    o.progress = on_progress;
    o.payload = &pc;
    ev_runner_summary sum;
    rc = ev_runner_run(&sum, spec, &o, &err);
    ev_spec_free(spec);
    if (pc.tty && !quiet)
        fprintf(stderr, "\r\033[K");
    if (sum.dropped)
        fprintf(stderr, "edgevirt-measure: warning: %d cut-off line(s) of %s ignored (%s)\n",
                sum.dropped, out, sum.warning);
    if (rc != EV_OK && rc != EV_EINTR)
        return fail(ev_exit_code(rc), err.msg);
    if (!quiet || rc == EV_EINTR || sum.failed)
        fprintf(stderr, "edgevirt-measure: %s%zu points: %zu ok, %zu failed, %zu already in %s%s\n",
                rc == EV_EINTR ? "interrupted; " : "", sum.total, sum.ok, sum.failed, sum.skipped,
                out, rc == EV_EINTR ? " (run the same command again to resume)" : "");
    if (rc == EV_EINTR || sum.failed)
        return 1;
    return 0;
}
