/* test_report_plot.c - golden test of `edgevirt-report plot` on tests/fixtures/report/plot.jsonl
 * (made by gen.py there: kata and firecracker, GET and SET, 64 B and 16 KB, three repeats each
 * at mean +- 10 req/s; linuxvm at one size only; two reconstructed unikraft-vhost records).
 * Checks that the .dat files hold exactly the expected numbers, that index.html is well formed,
 * references only files that exist and has no script or network reference, and that the
 * one-size platform is reported. Renders with gnuplot when it is installed (without it the
 * .dat/.gp checks still run). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ev_test.h"
#include "ev_fs.h"
#include "ev_report_plot.h"
#include "ev_report_plot_priv.h"

static char dir[256];

static char *slurp(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *s = NULL;
    ev_error e = EV_ERROR_INIT;
    if (ev_fs_read_all(&s, NULL, path, &e))
        return NULL;
    return s;
}

static int exists(const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && st.st_size > 0;
}

/* The data lines of block "# index N: <name>" (after its column header line). */
static const char *block(const char *dat, const char *name)
{
    char pat[128];
    snprintf(pat, sizeof pat, ": %s\n# x y", name);
    const char *p = strstr(dat, pat);
    if (!p)
        return NULL;
    p = strchr(p + strlen(pat), '\n');
    return p ? p + 1 : NULL;
}

static const double T2 = 4.302652729911275; /* t(0.975, 2 degrees of freedom) */

static void check_rps_line(const char **p, double x, double mean)
{
    double a, b, lo, hi;
    int n = *p ? sscanf(*p, "%lf %lf %lf %lf", &a, &b, &lo, &hi) : 0;
    EV_CHECK_MSG(n == 4, "line: %.40s", *p ? *p : "(none)");
    if (n != 4)
        return;
    EV_CHECK(a == x);
    EV_CHECK(b == mean); /* exact: (m-10 + m + m+10) / 3 */
    double h = T2 * 10.0 / sqrt(3.0); /* sd 10 of three repeats */
    EV_CHECK_NEAR(lo, mean - h, 1e-9 * mean);
    EV_CHECK_NEAR(hi, mean + h, 1e-9 * mean);
    *p = strchr(*p, '\n');
    if (*p)
        (*p)++;
}

/* Tags balanced (void elements excepted); every img src and href names an existing file. */
static void check_html(const char *h)
{
    static const char *const voids[] = { "meta", "img", "br", "hr", "link", "input", NULL };
    char stack[64][16];
    int depth = 0, ok = 1, imgs = 0, missing = 0;
    for (const char *p = h; (p = strchr(p, '<')); p++) {
        if (!strncmp(p, "<!", 2))
            continue;
        int close = p[1] == '/';
        const char *q = p + 1 + close;
        char name[16];
        size_t n = 0;
        while (isalnum((unsigned char)q[n]) && n < sizeof name - 1) {
            name[n] = (char)tolower((unsigned char)q[n]);
            n++;
        }
        name[n] = '\0';
        if (!n) {
            ok = 0;
            fprintf(stderr, "stray '<' at %.30s\n", p);
            continue;
        }
        int isvoid = 0;
        for (int v = 0; voids[v]; v++)
            isvoid |= !strcmp(voids[v], name);
        if (close) {
            if (depth == 0 || strcmp(stack[depth - 1], name)) {
                ok = 0;
                fprintf(stderr, "unbalanced </%s> (open: %s)\n", name,
                        depth ? stack[depth - 1] : "nothing");
            } else {
                depth--;
            }
        } else if (!isvoid) {
            if (depth < 64)
                snprintf(stack[depth++], sizeof stack[0], "%s", name);
        }
        /* references */
        const char *end = strchr(p, '>');
        for (const char *attr = p; end && attr < end; attr++) {
            const char *val = NULL;
            if (!strncmp(attr, " src=\"", 6))
                val = attr + 6, imgs++;
            else if (!strncmp(attr, " href=\"", 7))
                val = attr + 7;
            if (!val)
                continue;
            char ref[256];
            size_t k = 0;
            while (val[k] && val[k] != '"' && k < sizeof ref - 1) {
                ref[k] = val[k];
                k++;
            }
            ref[k] = '\0';
            if (ref[0] == '#')
                continue;
            if (strstr(ref, "://") || ref[0] == '/' || !exists(ref)) {
                missing++;
                fprintf(stderr, "index.html references \"%s\": not a file in the folder\n", ref);
            }
        }
    }
    EV_CHECK_MSG(ok && depth == 0, "html nesting (depth %d at the end)", depth);
    EV_CHECK(missing == 0);
    EV_CHECK(strstr(h, "<script") == NULL && strstr(h, "<SCRIPT") == NULL);
    EV_CHECK(strstr(h, "http://") == NULL && strstr(h, "https://") == NULL);
    EV_CHECK(!strncmp(h, "<!DOCTYPE html>", 15));
    (void)imgs;
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ev_report_plot.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    const char *files[] = { EV_FIXTURES "/plot.jsonl" };
    ev_report_plot_options o = EV_REPORT_PLOT_OPTIONS_INIT;
    o.out_dir = dir;
    ev_report_plot_summary s;
    ev_error err = EV_ERROR_INIT;
    int rc = ev_report_plot(&s, files, 1, &o, &err);
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (rc)
        return ev_test_done();
    EV_CHECK(s.nrecords == 27);
    EV_CHECK(s.nmeasured == 25);
    EV_CHECK(s.nreconstructed == 2);
    /* 2 rps + 4 cpu (2 ops x 2 sizes) + 8 packets (2 ops x 2 roles x 2 directions) */
    EV_CHECK(s.ncharts == 14);
    int lonely = 0;
    for (size_t i = 0; i < s.nnotes; i++)
        lonely += strstr(s.notes[i], "linuxvm GET 64 B") && strstr(s.notes[i], "one value size");
    EV_CHECK(lonely == 1);
    int rendered = s.nrendered == s.ncharts;
    if (!rendered)
        EV_SKIP("gnuplot did not render (%zu of %zu): PNG/SVG not checked", s.nrendered,
                s.ncharts);

    /* RPS GET: mean and 95 % t-interval per platform and size, then each repeat */
    char *dat = slurp("rps_get.dat");
    EV_CHECK(dat != NULL);
    if (dat) {
        const char *p = block(dat, "kata");
        check_rps_line(&p, 64, 1000);
        check_rps_line(&p, 16384, 500);
        p = block(dat, "firecracker");
        check_rps_line(&p, 64, 500);
        check_rps_line(&p, 16384, 250);
        EV_CHECK(strstr(dat, "\n64 990\n64 1000\n64 1010\n16384 490\n16384 500\n16384 510\n"));
        /* one repeat: the interval collapses onto the point */
        EV_CHECK(strstr(dat, ": linuxvm\n# x y lo hi\n64 300 300 300\n"));
        EV_CHECK(strstr(dat, ": unikraft-vhost (reconstructed)\n# x y lo hi\n64 900 900 900\n"
                             "16384 300 300 300\n"));
    }
    free(dat);
    /* the script draws the means with error bars and each platform's repeats in its colour */
    dat = slurp("rps_get.gp");
    EV_CHECK(dat != NULL);
    if (dat) {
        const char *m = strstr(dat, "index 2 using 1:2:3:4 with yerrorlines");
        const char *r = strstr(dat, "index 3 using 1:2 with points");
        EV_CHECK(m && r);
        if (m && r) {
            const char *cm = strstr(m, "lc rgb \""), *cr = strstr(r, "lc rgb \"");
            EV_CHECK(cm && cr && strncmp(cm, cr, 16) == 0);
        }
        EV_CHECK(strstr(dat, "MTU 1500 B"));
        EV_CHECK(strstr(dat, "set logscale x"));
    }
    free(dat);
    dat = slurp("rps_set.dat");
    EV_CHECK(dat && !strstr(dat, "linuxvm") && strstr(dat, ": kata\n"));
    free(dat);

    /* CPU split: means over the repeats (user 11, 12, 13 -> 12), busy total in the label */
    dat = slurp("cpu_get_64.dat");
    EV_CHECK(dat != NULL);
    if (dat) {
        EV_CHECK(strstr(dat, "# group \"user\" \"system\" \"softirq\" \"guest\" \"other"));
        EV_CHECK(strstr(dat, "\n\"firecracker 78%\" 12 20 5 40 1\n"));
        EV_CHECK(strstr(dat, "\n\"kata 78%\" 12 20 5 40 1\n"));
        EV_CHECK(strstr(dat, "\n\"linuxvm 95%\" 30 30 5 30 0\n"));
        EV_CHECK(strstr(dat, "\n\"uk-vhost* 95%\" 5 10 10 70 0\n"));
    }
    free(dat);
    dat = slurp("cpu_set_16384.dat");
    EV_CHECK(dat && strstr(dat, "\n\"kata 78%\" 12 20 5 40 1\n") && !strstr(dat, "linuxvm"));
    free(dat);

    /* packet sizes: bytes / packets per role and direction (Table 2's 8250 B, 1327 B); two
     * curves, shifted sideways by the factors 1.05^-0.5 (firecracker) and 1.05^0.5 (kata) */
    {
        char want[256];
        double f0 = pow(1.05, -0.5), f1 = pow(1.05, 0.5);
        dat = slurp("packets_get_instance_tx.dat");
        snprintf(want, sizeof want, ": kata\n# x y\n%.17g 120\n%.17g 8250\n", 64 * f1,
                 16384 * f1);
        EV_CHECK_MSG(dat && strstr(dat, want), "want %s", want);
        free(dat);
        dat = slurp("packets_get_nic_tx.dat");
        snprintf(want, sizeof want, ": firecracker\n# x y\n%.17g 130\n%.17g 1327\n", 64 * f0,
                 16384 * f0);
        EV_CHECK_MSG(dat && strstr(dat, want), "want %s", want);
        free(dat);
        dat = slurp("packets_set_instance_rx.dat");
        snprintf(want, sizeof want, ": kata\n# x y\n%.17g 100\n%.17g 8000\n", 64 * f1,
                 16384 * f1);
        EV_CHECK_MSG(dat && strstr(dat, want), "want %s", want);
        free(dat);
    }

    /* every chart has its script, and its images when rendered */
    static const char *const charts[] = { "rps_get", "rps_set", "cpu_get_64", "cpu_get_16384",
                                          "cpu_set_64", "cpu_set_16384",
                                          "packets_get_instance_rx", "packets_set_nic_tx" };
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
        char n[128];
        snprintf(n, sizeof n, "%s.gp", charts[i]);
        EV_CHECK_MSG(exists(n), "%s", n);
        if (rendered) {
            snprintf(n, sizeof n, "%s.svg", charts[i]);
            EV_CHECK_MSG(exists(n), "%s", n);
            snprintf(n, sizeof n, "%s.png", charts[i]);
            EV_CHECK_MSG(exists(n), "%s", n);
        }
    }

    char *html = slurp("index.html");
    EV_CHECK(html != NULL);
    if (html) {
        check_html(html);
        if (rendered)
            EV_CHECK(strstr(html, "<img src=\"rps_get.svg\"") &&
                     strstr(html, "<img src=\"rps_set.svg\""));
        /* provenance: host, versions, measured vs reconstructed */
        EV_CHECK(strstr(html, "testhost") && strstr(html, "6.1.0-test") &&
                 strstr(html, "7.0.15"));
        EV_CHECK(strstr(html, "25 measured, 2 reconstructed"));
        EV_CHECK(strstr(html, "<tr class=\"recon\">"));
        EV_CHECK(strstr(html, "one value size only"));
        /* the table behind the RPS chart */
        EV_CHECK(strstr(html, "<td>kata</td><td>GET</td><td class=\"n\">64</td>"));
    }
    free(html);
    ev_report_plot_summary_free(&s);

    /* --paper: the embedded reconstructed calibration, labelled as such */
    o.paper = 1;
    o.render = 0;
    err = (ev_error)EV_ERROR_INIT;
    rc = ev_report_plot(&s, files, 1, &o, &err);
    if (ev_report_paper_runs() == NULL) {
        EV_CHECK(rc == EV_ENOENT && strstr(err.msg, "no embedded paper"));
        EV_SKIP("this build embeds no data/paper/runs.jsonl: --paper charts not checked");
    } else {
        EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
        EV_CHECK(exists("paper_rps_get.dat") && exists("paper_rps_get.gp"));
        html = slurp("index.html");
        EV_CHECK(html && strstr(html, "RECONSTRUCTED"));
        free(html);
        dat = slurp("paper_rps_get.dat");
        EV_CHECK(dat && strstr(dat, "(reconstructed)"));
        free(dat);
    }
    ev_report_plot_summary_free(&s);

    /* --model default: predictions over the measured points, residuals, their table */
    o.paper = 0;
    o.model_path = "default";
    err = (ev_error)EV_ERROR_INIT;
    rc = ev_report_plot(&s, files, 1, &o, &err);
    if (rc == EV_EUSAGE && strstr(err.msg, "without libedgevirt-model")) {
        EV_SKIP("built without libedgevirt-model: --model not checked");
    } else {
        EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
        dat = slurp("model_get.dat");
        EV_CHECK(dat && strstr(dat, ": kata, model (95% band)\n# x y lo hi\n"));
        /* the measured means beside the prediction: kata GET 64 B = 1000 req/s */
        EV_CHECK(dat && strstr(dat, ": kata\n# x y lo hi\n64 1000 "));
        free(dat);
        EV_CHECK(exists("resid_get.dat") && exists("model_set.gp") && exists("resid_set.gp"));
        html = slurp("index.html");
        EV_CHECK(html && strstr(html, "id=\"model\"") && strstr(html, "<th>residual (%)</th>"));
        if (html)
            check_html(html);
        free(html);
    }
    ev_report_plot_summary_free(&s);
    o.model_path = NULL;

    /* bad input: the error names the file, line and field */
    const char *bad[] = { EV_FIXTURES "/bad_field.jsonl" };
    o.paper = 0;
    err = (ev_error)EV_ERROR_INIT;
    rc = ev_report_plot(&s, bad, 1, &o, &err);
    EV_CHECK(ev_exit_code(rc) == 2);
    EV_CHECK_MSG(strstr(err.msg, "bad_field.jsonl:3: workload.value_size"), "%s", err.msg);
    ev_report_plot_summary_free(&s);

    /* an unlimited link (link_rate_bps 0 = unknown or unlimited) is labelled so in legends,
     * titles and tables, never "0 Mbit/s"; the .dat numbers stay numeric */
    {
        const char *uf[] = { EV_FIXTURES "/plot_unlimited.jsonl" };
        char udir[300];
        snprintf(udir, sizeof udir, "%s/unlimited", dir);
        ev_report_plot_options uo = EV_REPORT_PLOT_OPTIONS_INIT;
        uo.out_dir = udir;
        err = (ev_error)EV_ERROR_INIT;
        rc = ev_report_plot(&s, uf, 1, &uo, &err);
        EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
        static const char *const uout[] = { "unlimited/rps_get.gp", "unlimited/rps_get.dat",
                                            "unlimited/packets_get_instance_tx.gp",
                                            "unlimited/packets_get_instance_tx.dat",
                                            "unlimited/index.html" };
        for (size_t i = 0; i < sizeof uout / sizeof uout[0]; i++) {
            dat = slurp(uout[i]);
            EV_CHECK_MSG(dat != NULL, "%s", uout[i]);
            EV_CHECK_MSG(dat && !strstr(dat, " 0 Mbit/s") && !strstr(dat, ">0 Mbit/s"),
                         "%s says 0 Mbit/s", uout[i]);
            EV_CHECK_MSG(dat && strstr(dat, "unlimited"), "%s does not say unlimited",
                         uout[i]);
            free(dat);
        }
        dat = slurp("unlimited/rps_get.dat");
        if (dat) {
            const char *p = block(dat, "kata c50 P1 MTU 1500 link unlimited");
            EV_CHECK(p != NULL);
            check_rps_line(&p, 64, 1000.5);
            check_rps_line(&p, 16384, 500.5);
            p = block(dat, "kata c50 P1 MTU 1500 1000 Mbit/s");
            EV_CHECK(p != NULL);
            check_rps_line(&p, 64, 1000);
        }
        free(dat);
        html = slurp("unlimited/index.html");
        EV_CHECK(html && strstr(html, "<td class=\"n\">unlimited</td>") &&
                 strstr(html, "<td class=\"n\">1000</td>"));
        if (html)
            check_html(html);
        free(html);
        ev_report_plot_summary_free(&s);

        ev_report_key k;
        char buf[256];
        memset(&k, 0, sizeof k);
        snprintf(k.platform, sizeof k.platform, "kata");
        k.op = EV_OP_GET;
        ev_report_key_format(buf, sizeof buf, &k);
        EV_CHECK_MSG(strstr(buf, "link unlimited") && !strstr(buf, "bit/s"), "%s", buf);
    }

    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return ev_test_done();
}
