/* test_plots.c - the chart writer: .dat/.gp content, C-locale numbers, atomic files, gnuplot
 * rendering to PNG+SVG (when gnuplot is installed), the "gnuplot missing" and "gnuplot failed"
 * paths, argument checks. */
#include "ev_plot.h"
#include "ev_fs.h"
#include "ev_test.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slurp(const char *dir, const char *name)
{
    char path[1024];
    char *s = NULL;
    ev_error e = EV_ERROR_INIT;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (ev_fs_read_all(&s, NULL, path, &e) != EV_OK)
        return NULL;
    return s;
}

static int is_png(const char *dir, const char *name)
{
    char *s = slurp(dir, name);
    int ok = s && memcmp(s, "\x89PNG", 4) == 0;
    free(s);
    return ok;
}

static int have_gnuplot(void)
{
    return system("gnuplot --version >/dev/null 2>&1") == 0;
}

int main(void)
{
    char dir[] = "/tmp/ev_test_plots.XXXXXX";
    ev_plot *p = NULL;
    ev_error err = EV_ERROR_INIT;
    double x[] = { 32, 64, 1024, 4096, 16384 };
    double y[] = { 1000.5, 990, 950, 400, NAN };
    double lo[] = { 900, 890, 850, 300, NAN }, hi[] = { 1100, 1090, 1050, 500, NAN };
    double y2[] = { 800, 790, 760, 700, 300 };
    int rendered = -1, rc;
    char *dat, *gp;

    if (!mkdtemp(dir)) {
        printf("cannot create a temporary folder\n");
        return 1;
    }
    /* a locale with a decimal comma, if this machine has one: output must stay C */
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8"))
        setlocale(LC_NUMERIC, "C");

    /* ---- XY with bands, log x, marker ---- */
    EV_CHECK(ev_plot_new(&p, EV_PLOT_XY, "RPS vs \"size\"") == EV_OK);
    EV_CHECK(ev_plot_set_labels(p, "value size (bytes)", "requests per second (1/s)") == EV_OK);
    ev_plot_set_log(p, 1, 0);
    ev_plot_set_range(p, 'y', 0, NAN);
    EV_CHECK(ev_plot_add_marker(p, 1448, "MTU (MSS 1448 B)") == EV_OK);
    EV_CHECK(ev_plot_add_series(p, "kata", EV_STYLE_LINESPOINTS, x, y, lo, hi, 5) == EV_OK);
    EV_CHECK(ev_plot_add_series(p, "linuxvm", EV_STYLE_LINES, x, y2, NULL, NULL, 5) == EV_OK);
    EV_CHECK(ev_plot_add_series(p, "bad", EV_STYLE_LINES, x, y2, lo, NULL, 5) == EV_EINVAL);
    EV_CHECK(ev_plot_set_groups(p, (const char *const[]){ "a" }, 1) == EV_EINVAL);
    EV_CHECK(ev_plot_write(p, dir, "../x", &err) == EV_EINVAL);
    EV_CHECK(ev_plot_write(p, dir, "rps", &err) == EV_OK);
    dat = slurp(dir, "rps.dat");
    gp = slurp(dir, "rps.gp");
    EV_CHECK(dat && strstr(dat, "1000.5 1100 900") == NULL); /* column order is x y lo hi */
    EV_CHECK(dat && strstr(dat, "\n1000.5") == NULL);
    EV_CHECK(dat && strstr(dat, "32 1000.5 900 1100\n"));
    EV_CHECK(dat && strstr(dat, "16384 NaN NaN NaN\n"));
    EV_CHECK(dat && strstr(dat, "\n\n\n# index 1: linuxvm\n"));
    EV_CHECK(dat && !strstr(dat, "1000,5"));
    EV_CHECK(gp && strstr(gp, "set title \"RPS vs \\\"size\\\"\""));
    EV_CHECK(gp && strstr(gp, "set xlabel \"value size (bytes)\""));
    EV_CHECK(gp && strstr(gp, "set logscale x"));
    EV_CHECK(gp && strstr(gp, "set yrange [0:*]"));
    EV_CHECK(gp && strstr(gp, "set arrow 1 from 1448, graph 0 to 1448, graph 1"));
    EV_CHECK(gp && strstr(gp, "\"MTU (MSS 1448 B)\""));
    EV_CHECK(gp && strstr(gp, "index 0 using 1:3:4 with filledcurves"));
    EV_CHECK(gp && strstr(gp, "title \"kata\""));
    EV_CHECK(gp && strstr(gp, "set output \"rps.png\"") && strstr(gp, "set output \"rps.svg\""));
    EV_CHECK(gp && !strstr(gp, "@TITLE@") && !strstr(gp, "@PLOT@"));
    free(dat);
    free(gp);

    if (have_gnuplot()) {
        rc = ev_plot_render(&rendered, dir, "rps", &err);
        EV_CHECK_MSG(rc == EV_OK && rendered == 1, "%s", err.msg);
        EV_CHECK(is_png(dir, "rps.png"));
        {
            char *svg = slurp(dir, "rps.svg");
            EV_CHECK(svg && strstr(svg, "<svg"));
            free(svg);
        }
    } else {
        EV_SKIP("gnuplot not installed: PNG/SVG rendering not checked");
    }
    /* gnuplot missing: a warning, rendered = 0, the files stay */
    setenv("EV_GNUPLOT", "ev-no-such-gnuplot", 1);
    rendered = -1;
    rc = ev_plot_render(&rendered, dir, "rps", &err);
    EV_CHECK(rc == EV_OK && rendered == 0);
    EV_CHECK(strstr(err.msg, "not found") != NULL);
    /* gnuplot failing: EV_ECHILD */
    setenv("EV_GNUPLOT", "false", 1);
    rc = ev_plot_render(&rendered, dir, "rps", &err);
    EV_CHECK(rc == EV_ECHILD && rendered == 0);
    unsetenv("EV_GNUPLOT");
    ev_plot_free(p);

    /* ---- stacked bars ---- */
    {
        const char *groups[] = { "kata", "unikraft-vhost", "firecracker" };
        double u[] = { 10, 5, 20 }, s[] = { 40.25, 12, 45 };
        EV_CHECK(ev_plot_new(&p, EV_PLOT_STACKED, "CPU split") == EV_OK);
        EV_CHECK(ev_plot_add_stack(p, "user", u) == EV_EINVAL); /* groups first */
        EV_CHECK(ev_plot_set_groups(p, groups, 3) == EV_OK);
        EV_CHECK(ev_plot_add_stack(p, "user", u) == EV_OK);
        EV_CHECK(ev_plot_add_stack(p, "system", s) == EV_OK);
        EV_CHECK(ev_plot_set_labels(p, "platform", "CPU (% of one core)") == EV_OK);
        EV_CHECK(ev_plot_write(p, dir, "cpu", &err) == EV_OK);
        dat = slurp(dir, "cpu.dat");
        gp = slurp(dir, "cpu.gp");
        EV_CHECK(dat && strstr(dat, "\"unikraft-vhost\" 5 12\n"));
        EV_CHECK(dat && strstr(dat, "\"kata\" 10 40.25\n"));
        EV_CHECK(gp && strstr(gp, "rowstacked"));
        EV_CHECK(gp && strstr(gp, "using 2:xtic(1)"));
        EV_CHECK(gp && strstr(gp, "using 3 lc rgb"));
        free(dat);
        free(gp);
        if (have_gnuplot()) {
            EV_CHECK(ev_plot_render(&rendered, dir, "cpu", &err) == EV_OK && rendered == 1);
            EV_CHECK(is_png(dir, "cpu.png"));
        }
        ev_plot_free(p);
    }

    /* ---- heatmap of classes on a log x axis ---- */
    {
        double hx[] = { 64, 256, 1024, 4096 }, hy[] = { 0, 0.5, 1 };
        int cls[] = { 0, 0, 1, 1, 0, 0, 1, 1, 0, 2, 1, 1 };
        const char *names[] = { "kata", "unikraft-vhost", "linuxvm", "never" };
        EV_CHECK(ev_plot_new(&p, EV_PLOT_HEATMAP, "decision map") == EV_OK);
        ev_plot_set_log(p, 1, 0);
        EV_CHECK(ev_plot_set_heatmap_classes(p, hx, 4, hy, 3, cls, names, 2) == EV_EINVAL);
        EV_CHECK(ev_plot_set_heatmap_classes(p, hx, 4, hy, 3, cls, names, 4) == EV_OK);
        EV_CHECK(ev_plot_set_key(p, "outside right top") == EV_OK);
        EV_CHECK(ev_plot_set_class_color(p, 2, 0xDDDDDD) == EV_OK);
        EV_CHECK(ev_plot_set_class_color(p, 9, 0xDDDDDD) == EV_EINVAL);
        EV_CHECK(ev_plot_set_key(p, "top\"; system(\"x") == EV_EINVAL);
        EV_CHECK(ev_plot_write(p, dir, "map", &err) == EV_OK);
        dat = slurp(dir, "map.dat");
        gp = slurp(dir, "map.gp");
        /* the first cell spans halfway (geometrically) to the next: 64/2 .. 128 */
        EV_CHECK(dat && strstr(dat, "\n64 0 ")); /* cell spans 32..128 (a hair wider) */
        EV_CHECK(dat && strstr(dat, " 29362 0\n"));
        EV_CHECK(dat && strstr(dat, " 14540253 2\n")); /* the overridden colour */
        EV_CHECK(gp && strstr(gp, "title \"kata\"") && strstr(gp, "title \"linuxvm\""));
        EV_CHECK(gp && !strstr(gp, "\"never\"")); /* absent classes stay out of the legend */
        EV_CHECK(gp && strstr(gp, "set xrange [32:8192]"));
        free(dat);
        free(gp);
        if (have_gnuplot()) {
            EV_CHECK(ev_plot_render(&rendered, dir, "map", &err) == EV_OK && rendered == 1);
            EV_CHECK(is_png(dir, "map.png"));
        }
        ev_plot_free(p);
    }
    /* ---- heatmap of values ---- */
    {
        double hx[] = { 1, 2 }, hy[] = { 1, 2 }, v[] = { 0.1, 0.2, 0.3, 0.4 };
        EV_CHECK(ev_plot_new(&p, EV_PLOT_HEATMAP, "values") == EV_OK);
        EV_CHECK(ev_plot_write(p, dir, "empty", &err) == EV_EINVAL);
        EV_CHECK(ev_plot_set_heatmap_values(p, hx, 2, hy, 2, v, "ratio") == EV_OK);
        EV_CHECK(ev_plot_write(p, dir, "vals", &err) == EV_OK);
        if (have_gnuplot()) {
            EV_CHECK_MSG(ev_plot_render(&rendered, dir, "vals", &err) == EV_OK && rendered == 1,
                         "%s", err.msg);
        }
        ev_plot_free(p);
    }
    EV_CHECK(ev_plot_template("common") && strstr(ev_plot_template("common"), "@PLOT@"));
    EV_CHECK(ev_plot_template("nope") == NULL);
    ev_plot_free(NULL);

    if (!getenv("EV_KEEP"))
        (void)!system("rm -rf /tmp/ev_test_plots.*");
    else
        printf("kept %s\n", dir);
    return ev_test_done();
}
