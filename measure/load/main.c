/* edgevirt-load - thin main: parse, validate, run, write, exit code. docs/edgevirt-load.md */
#include "ev_loadgen.h"
#include "ev_version.h"
#include <cjson/cJSON.h>
#include <hiredis/hiredis.h>
#include "ev_loadopts.h"
#include "ev_loadout.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void progress(const ev_load_progress *p, void *payload)
{
    (void)payload;
    if (p->finished) {
        fprintf(stderr, "\r\033[K");
        return;
    }
    if (p->elapsed_s < 1.0)
        return; /* short runs stay silent */
    fprintf(stderr, "\r\033[K%s: %s%llu requests, %.1f s", p->test, p->warming_up ? "(warm-up) " : "",
            (unsigned long long)p->done, p->elapsed_s);
}

static void print_version(const char *tool)
{
    char buf[512];
    const ev_libver libs[] = { EV_LIBVER_HIREDIS, EV_LIBVER_CJSON };
    fputs(ev_version_text(buf, sizeof buf, tool, libs, sizeof libs / sizeof libs[0]), stdout);
}

int main(int argc, char **argv)
{
    ev_load_options o;
    ev_error err = EV_ERROR_INIT;
    ev_load_options_init(&o);
    int rc = ev_load_options_parse(&o, argc, argv, &err);
    if (rc == EV_OK && o.help) {
        fputs(ev_load_usage(), stdout);
        return 0;
    }
    if (rc == EV_OK && o.version) {
        print_version("edgevirt-load");
        return 0;
    }
    if (rc == EV_OK)
        rc = ev_load_options_validate(&o, &err);
    if (rc != EV_OK) {
        fprintf(stderr, "edgevirt-load: %s\n", err.msg);
        return ev_exit_code(rc) ? ev_exit_code(rc) : 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    ev_load_report rep;
    int show = isatty(STDERR_FILENO) && !o.quiet;
    rc = ev_loadgen_run(&rep, &o, show ? progress : NULL, NULL, &g_stop, &err);
    int wrc;
    switch (o.format) {
    case EV_LOAD_FMT_CSV: wrc = ev_load_write_csv(stdout, &rep, &o); break;
    case EV_LOAD_FMT_JSON: wrc = ev_load_write_json(stdout, &rep, &o); break;
    default: wrc = ev_load_write_text(stdout, &rep, &o); break;
    }
    if (rc != EV_OK) {
        const char *test = rep.ntests ? rep.tests[rep.ntests - 1].name : "";
        fprintf(stderr, "edgevirt-load: %s%s%s\n", test, *test ? ": " : "", err.msg);
        return 1; /* runtime failure (usage errors were caught above) */
    }
    if (wrc != EV_OK) {
        fprintf(stderr, "edgevirt-load: writing the results failed\n");
        return 1;
    }
    return 0;
}
