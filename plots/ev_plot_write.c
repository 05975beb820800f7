/* ev_plot_write.c - a chart's .dat and .gp files from the templates, and the gnuplot run
 * that renders them (see ev_plot.h). */
#include "ev_plot.h"
#include "ev_plot_int.h"
#include "ev_spawn.h"
#include "ev_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ev_strbuf.h"
#include "ev_plot_templates.h" /* generated: ev_plot__tpl_* strings from plots/templates */
const char *ev_plot_template(const char *name)
{
    if (!name)
        return NULL;
    if (strcmp(name, "common") == 0)
        return ev_plot__tpl_common;
    if (strcmp(name, "xy") == 0)
        return ev_plot__tpl_xy;
    if (strcmp(name, "stacked") == 0)
        return ev_plot__tpl_stacked;
    if (strcmp(name, "heatmap") == 0)
        return ev_plot__tpl_heatmap;
    return NULL;
}

/* ---- text buffer: the shared ev_strbuf (common/) ---- */
typedef ev_strbuf buf;
#define bput ev_strbuf_printf

/* A double for gnuplot data: %.17g, NaN for non-finite (the .gp declares it "missing"). */
static void bnum(buf *b, double v)
{
    if (isfinite(v))
        bput(b, "%.17g", v);
    else
        bput(b, "NaN");
}

/* A string inside gnuplot double quotes. */
static void bquote(buf *b, const char *s)
{
    bput(b, "\"");
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            bput(b, "\\%c", *s);
        else if (*s == '\n')
            bput(b, " ");
        else
            bput(b, "%c", *s);
    }
    bput(b, "\"");
}

/* The same escaping into a fresh string (for template substitution). */
static char *quoted_inner(const char *s)
{
    buf b = { 0 };
    bquote(&b, s ? s : "");
    if (b.oom || !b.s) {
        free(b.s);
        return NULL;
    }
    /* drop the surrounding quotes: the template supplies them */
    memmove(b.s, b.s + 1, b.len - 2);
    b.s[b.len - 2] = '\0';
    return b.s;
}

static void color(buf *b, size_t i)
{
    bput(b, "lc rgb \"#%06X\"", ev_plot_color(i));
}

static void series_color(buf *b, const ev_plot *p, size_t i)
{
    if (p->ser[i].rgb >= 0)
        bput(b, "lc rgb \"#%06lX\"", (unsigned long)p->ser[i].rgb);
    else
        color(b, i);
    if (p->ser[i].dash >= 2)
        bput(b, " dt %d", p->ser[i].dash);
}

/* Cell edges: halfway to the neighbour (geometric on a log axis). */
static void cell_edges(const double *v, size_t n, size_t i, int logaxis, double *lo, double *hi)
{
    double a, c;
    if (n == 1) {
        *lo = logaxis ? v[0] / 2 : v[0] - 0.5;
        *hi = logaxis ? v[0] * 2 : v[0] + 0.5;
        return;
    }
    if (logaxis) {
        a = i > 0 ? sqrt(v[i - 1] * v[i]) : v[0] * v[0] / sqrt(v[0] * v[1]);
        c = i + 1 < n ? sqrt(v[i] * v[i + 1]) : v[i] * v[i] / sqrt(v[i - 1] * v[i]);
    } else {
        a = i > 0 ? (v[i - 1] + v[i]) / 2 : v[0] - (v[1] - v[0]) / 2;
        c = i + 1 < n ? (v[i] + v[i + 1]) / 2 : v[i] + (v[i] - v[i - 1]) / 2;
    }
    *lo = a;
    *hi = c;
}

static void write_dat(buf *d, const ev_plot *p)
{
    size_t i, j;
    bput(d, "# edgevirt chart data: ");
    bput(d, "%s\n", p->title);
    bput(d, "# C locale, %%.17g; blocks separated by two blank lines (gnuplot \"index\")\n");
    if (p->kind == EV_PLOT_XY) {
        for (i = 0; i < p->nser; i++) {
            const series *s = &p->ser[i];
            if (i)
                bput(d, "\n\n");
            bput(d, "# index %zu: %s\n# x y%s\n", i, s->name, s->lo ? " lo hi" : "");
            for (j = 0; j < s->n; j++) {
                bnum(d, s->x[j]);
                bput(d, " ");
                bnum(d, s->y[j]);
                if (s->lo) {
                    bput(d, " ");
                    bnum(d, s->lo[j]);
                    bput(d, " ");
                    bnum(d, s->hi[j]);
                }
                bput(d, "\n");
            }
        }
    } else if (p->kind == EV_PLOT_STACKED) {
        bput(d, "# group");
        for (i = 0; i < p->nser; i++) {
            bput(d, " ");
            bquote(d, p->ser[i].name);
        }
        bput(d, "\n");
        for (j = 0; j < p->ngroups; j++) {
            bquote(d, p->groups[j]);
            for (i = 0; i < p->nser; i++) {
                bput(d, " ");
                bnum(d, p->ser[i].y[j]);
            }
            bput(d, "\n");
        }
    } else {
        bput(d, "# x y xlo xhi ylo yhi %s\n", p->hcls ? "rgb class" : "value");
        for (j = 0; j < p->ny; j++) {
            for (i = 0; i < p->nx; i++) {
                double xl, xh, yl, yh;
                cell_edges(p->hx, p->nx, i, p->logx, &xl, &xh);
                cell_edges(p->hy, p->ny, j, p->logy, &yl, &yh);
                /* overlap neighbours slightly: no anti-aliasing seams between cells */
                if (p->logx) { xl /= 1.003; xh *= 1.003; }
                else { double w = (xh - xl) * 0.003; xl -= w; xh += w; }
                if (p->logy) { yl /= 1.003; yh *= 1.003; }
                else { double w = (yh - yl) * 0.003; yl -= w; yh += w; }
                if (p->hcls && p->hcls[j * p->nx + i] < 0)
                    continue;
                bnum(d, p->hx[i]); bput(d, " ");
                bnum(d, p->hy[j]); bput(d, " ");
                bnum(d, xl); bput(d, " ");
                bnum(d, xh); bput(d, " ");
                bnum(d, yl); bput(d, " ");
                bnum(d, yh); bput(d, " ");
                if (p->hcls) {
                    int c = p->hcls[j * p->nx + i];
                    bput(d, "%u %d\n", p->cls_rgb[c], c);
                } else {
                    bnum(d, p->hval[j * p->nx + i]);
                    bput(d, "\n");
                }
            }
        }
    }
}

static void write_settings(buf *g, const ev_plot *p)
{
    size_t i;
    if (p->logx)
        bput(g, "set logscale x\nset mxtics 10\n");
    if (p->logy)
        bput(g, "set logscale y\n");
    for (i = 0; i < 2; i++) {
        if (isnan(p->range[i][0]) && isnan(p->range[i][1]))
            continue;
        bput(g, "set %crange [", i ? 'y' : 'x');
        if (isnan(p->range[i][0])) bput(g, "*"); else bnum(g, p->range[i][0]);
        bput(g, ":");
        if (isnan(p->range[i][1])) bput(g, "*"); else bnum(g, p->range[i][1]);
        bput(g, "]\n");
    }
    for (i = 0; i < p->nmk; i++) {
        bput(g, "set arrow %zu from ", i + 1);
        bnum(g, p->mk[i].x);
        bput(g, ", graph 0 to ");
        bnum(g, p->mk[i].x);
        bput(g, ", graph 1 nohead dt 2 lw 1.5 lc rgb \"#444444\" front\n");
        bput(g, "set label %zu ", i + 1);
        bquote(g, p->mk[i].label);
        bput(g, " at ");
        bnum(g, p->mk[i].x);
        /* several markers (e.g. MTU 576, 1276, 1500) sit close on a log axis: stagger their
         * labels downwards so they never overlap */
        bput(g, ", graph %.2f left offset 0.8,0 boxed tc rgb \"#222222\" front\n",
             0.96 - 0.06 * (double)(i % 4));
    }
    if (p->note) {
        bput(g, "set label %zu ", p->nmk + 1);
        bquote(g, p->note);
        bput(g, " at screen 0.01, screen 0.02 left font \",9\" tc rgb \"#666666\"\n");
    }
    if (p->kind == EV_PLOT_STACKED)
        bput(g, "set xrange [-0.6:%g]\n", (double)p->ngroups - 0.4);
    if (p->kind == EV_PLOT_HEATMAP) {
        bput(g, "set xrange [");
        {
            double lo, hi, a, b;
            cell_edges(p->hx, p->nx, 0, p->logx, &lo, &a);
            cell_edges(p->hx, p->nx, p->nx - 1, p->logx, &b, &hi);
            bnum(g, lo); bput(g, ":"); bnum(g, hi); bput(g, "]\nset yrange [");
            cell_edges(p->hy, p->ny, 0, p->logy, &lo, &a);
            cell_edges(p->hy, p->ny, p->ny - 1, p->logy, &b, &hi);
            bnum(g, lo); bput(g, ":"); bnum(g, hi); bput(g, "]\n");
        }
        if (p->hval) {
            bput(g, "set cblabel ");
            bquote(g, p->cblabel);
            bput(g, "\n");
        }
    }
}

static void write_plot(buf *g, const ev_plot *p, const char *dat)
{
    size_t i;
    int first = 1;
    bput(g, "plot ");
    if (p->kind == EV_PLOT_XY) {
        for (i = 0; i < p->nser; i++) { /* bands first, under the lines */
            if (!p->ser[i].lo || p->ser[i].style == EV_STYLE_ERRORBARS ||
                p->ser[i].style == EV_STYLE_ERRORPOINTS)
                continue;
            bput(g, "%s", first ? "" : ", \\\n     ");
            first = 0;
            bquote(g, dat);
            bput(g, " index %zu using 1:3:4 with filledcurves ", i);
            series_color(g, p, i);
            bput(g, " notitle");
        }
        for (i = 0; i < p->nser; i++) {
            const series *s = &p->ser[i];
            const char *w = s->style == EV_STYLE_LINES ? "lines lw 2.2"
                          : s->style == EV_STYLE_POINTS ? "points pt 7 ps 1.6"
                          : s->style == EV_STYLE_SMALLPOINTS ? "points pt 6 ps 0.8 lw 1.2"
                          : s->style == EV_STYLE_ERRORBARS && s->lo
                              ? "yerrorlines lw 2.2 pt 7 ps 1.1"
                          : s->style == EV_STYLE_ERRORPOINTS && s->lo
                              ? "yerrorbars lw 1.8 pt 7 ps 1.2"
                          : s->style == EV_STYLE_ERRORPOINTS ? "points pt 7 ps 1.2"
                                                        : "linespoints lw 2 dt 3 pt 6 ps 2.6";
            int eb = (s->style == EV_STYLE_ERRORBARS || s->style == EV_STYLE_ERRORPOINTS) && s->lo;
            bput(g, "%s", first ? "" : ", \\\n     ");
            first = 0;
            bquote(g, dat);
            bput(g, " index %zu using %s with %s ", i, eb ? "1:2:3:4" : "1:2", w);
            series_color(g, p, i);
            if (!s->nokey && s->name && s->name[0]) {
                bput(g, " title ");
                bquote(g, s->name);
            } else {
                bput(g, " notitle"); /* an unnamed series has no key entry */
            }
        }
    } else if (p->kind == EV_PLOT_STACKED) {
        for (i = 0; i < p->nser; i++) {
            bput(g, "%s", i ? ", \\\n     " : "");
            bquote(g, dat);
            bput(g, " using %zu%s ", i + 2, i == 0 ? ":xtic(1)" : "");
            color(g, i);
            bput(g, " title ");
            bquote(g, p->ser[i].name);
        }
    } else if (p->hcls) {
        int *seen = calloc(p->nclass, sizeof *seen);
        bquote(g, dat);
        bput(g, " using 1:2:3:4:5:6:7 with boxxyerror fs solid 1.0 noborder lc rgb variable notitle");
        for (i = 0; i < p->nx * p->ny; i++)
            if (seen && p->hcls[i] >= 0)
                seen[p->hcls[i]] = 1;
        for (i = 0; i < p->nclass; i++) {
            if (seen && !seen[i])
                continue; /* legend lists only the classes present */
            bput(g, ", \\\n     keyentry with boxes fs solid 1.0 lc rgb \"#%06X\"", p->cls_rgb[i]);
            bput(g, " title ");
            bquote(g, p->cls_names[i]);
        }
        free(seen);
    } else {
        bquote(g, dat);
        bput(g, " using 1:2:3:4:5:6:7 with boxxyerror fs solid 1.0 noborder lc palette z notitle");
    }
    bput(g, "\n");
}

/* Replace each @NAME@ in tpl by the value from the table. */
static void fill(buf *out, const char *tpl, const char *const *keys, const char *const *vals,
                 size_t n)
{
    const char *s = tpl;
    while (*s) {
        const char *at = strchr(s, '@');
        size_t k;
        int done = 0;
        if (!at) {
            bput(out, "%s", s);
            break;
        }
        bput(out, "%.*s", (int)(at - s), s);
        for (k = 0; k < n; k++) {
            size_t kl = strlen(keys[k]);
            if (strncmp(at + 1, keys[k], kl) == 0 && at[1 + kl] == '@') {
                bput(out, "%s", vals[k]);
                s = at + kl + 2;
                done = 1;
                break;
            }
        }
        if (!done) {
            bput(out, "@");
            s = at + 1;
        }
    }
}

static int valid_base(const char *base)
{
    const char *c;
    if (!base || !*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return 0;
    for (c = base; *c; c++)
        if (*c == '/' || *c == '"' || *c == '\\' || *c == '\n' || *c == '\'')
            return 0;
    return 1;
}

int ev_plot_write(const ev_plot *p, const char *dir, const char *base, ev_error *err)
{
    buf d = { 0 }, g = { 0 }, settings = { 0 }, plot = { 0 };
    char path[4096], dat[512];
    char *title = NULL, *xl = NULL, *yl = NULL;
    const char *kind = p->kind == EV_PLOT_XY ? "xy" : p->kind == EV_PLOT_STACKED ? "stacked"
                                                                              : "heatmap";
    int rc = EV_OK;
    locale_t cloc, old;

    if (!valid_base(base) || !dir)
        return ev_error_set(err, EV_EINVAL, "chart name \"%s\": must be a plain file name",
                            base ? base : "");
    if ((p->kind == EV_PLOT_XY && p->nser == 0) || (p->kind == EV_PLOT_STACKED && p->nser == 0) ||
        (p->kind == EV_PLOT_HEATMAP && !p->hx))
        return ev_error_set(err, EV_EINVAL, "chart %s: nothing to plot", base);

    /* numbers in the C locale whatever the process locale is */
    cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    old = cloc ? uselocale(cloc) : (locale_t)0;

    snprintf(dat, sizeof dat, "%s.dat", base);
    write_dat(&d, p);
    write_settings(&settings, p);
    write_plot(&plot, p, dat);
    title = quoted_inner(p->title);
    xl = quoted_inner(p->xlabel ? p->xlabel : "");
    yl = quoted_inner(p->ylabel ? p->ylabel : "");
    if (title && xl && yl && !settings.oom && !plot.oom) {
        const char *keys[] = { "TITLE", "XLABEL", "YLABEL", "KEY", "KIND", "BASE",
                               "KIND_SETTINGS", "SETTINGS", "PLOT" };
        const char *vals[] = { title, xl, yl, p->key, kind, base, ev_plot_template(kind),
                               settings.s ? settings.s : "", plot.s ? plot.s : "" };
        fill(&g, ev_plot__tpl_common, keys, vals, sizeof keys / sizeof keys[0]);
    } else {
        g.oom = 1;
    }
    if (cloc) {
        uselocale(old);
        freelocale(cloc);
    }
    if (d.oom || g.oom) {
        rc = ev_error_set(err, EV_ENOMEM, "chart %s: out of memory", base);
        goto out;
    }
    snprintf(path, sizeof path, "%s/%s.dat", dir, base);
    if ((rc = ev_fs_write_atomic(path, d.s, d.len, err)))
        goto out;
    snprintf(path, sizeof path, "%s/%s.gp", dir, base);
    rc = ev_fs_write_atomic(path, g.s, g.len, err);
out:
    free(d.s);
    free(g.s);
    free(settings.s);
    free(plot.s);
    free(title);
    free(xl);
    free(yl);
    return rc;
}

static int file_nonempty(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

int ev_plot_render(int *rendered, const char *dir, const char *base, ev_error *err)
{
    const char *prog = getenv("EV_GNUPLOT");
    char gp[512], png[4096], svg[4096], msg[1024];
    int pfd[1], status = 0;
    size_t mlen = 0;
    pid_t pid;
    double t0;
    struct timespec ts;

    *rendered = 0;
    if (!prog || !*prog)
        prog = "gnuplot";
    if (!valid_base(base))
        return ev_error_set(err, EV_EINVAL, "chart name \"%s\": must be a plain file name",
                            base ? base : "");
    snprintf(gp, sizeof gp, "%s.gp", base);
    snprintf(png, sizeof png, "%s/%s.png", dir, base);
    snprintf(svg, sizeof svg, "%s/%s.svg", dir, base);
    {
        /* common/ev_spawn: its own process group (the time limit kills the whole group), it
         * dies with us, in DIR, stderr to us, stdout to /dev/null */
        ev_spawn_options so = EV_SPAWN_OPTIONS_INIT;
        ev_spawn_child ch;
        ev_error se = EV_ERROR_INIT;
        char *argv[3] = { (char *)prog, gp, NULL };
        int src;
        so.err = EV_SPAWN_PIPE;
        so.pdeathsig = SIGKILL;
        so.cwd = dir;
        src = ev_spawn(&ch, argv, &so, &se);
        if (src == EV_ENOENT) {
            ev_error_set(err, EV_OK, "%s not found: wrote %s/%s.dat and %s/%s.gp; render them "
                         "later with `gnuplot %s.gp` in %s", prog, dir, base, dir, base, base,
                         dir);
            return EV_OK;
        }
        if (src != EV_OK) {
            *err = se;
            return src;
        }
        pid = ch.pid;
        pfd[0] = ch.err_fd;
    }
    clock_gettime(CLOCK_MONOTONIC, &ts);
    t0 = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
    msg[0] = '\0';
    for (;;) { /* collect stderr (bounded) until EOF or the time limit */
        struct pollfd pf = { pfd[0], POLLIN, 0 };
        double now;
        int r = poll(&pf, 1, 500);
        if (r > 0) {
            char tmp[512];
            ssize_t n = read(pfd[0], tmp, sizeof tmp);
            if (n <= 0)
                break;
            if (mlen + 1 < sizeof msg) {
                size_t c = (size_t)n < sizeof msg - 1 - mlen ? (size_t)n : sizeof msg - 1 - mlen;
                memcpy(msg + mlen, tmp, c);
                mlen += c;
                msg[mlen] = '\0';
            }
        } else if (r < 0 && errno != EINTR) {
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &ts);
        now = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
        if (now - t0 > 60.0) {
            kill(-pid, SIGKILL);
            break;
        }
    }
    close(pfd[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        ev_error_set(err, EV_OK, "%s not found: wrote %s/%s.dat and %s/%s.gp; render them later "
                     "with `gnuplot %s.gp` in %s", prog, dir, base, dir, base, base, dir);
        return EV_OK;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !file_nonempty(png) ||
        !file_nonempty(svg)) {
        char *nl;
        const char *first = msg;
        while (*first == '\n' || *first == ' ')
            first++;
        /* gnuplot prints the failing line, a caret line, then the message: keep it short */
        for (nl = (char *)first; *nl; nl++)
            if (*nl == '\n')
                *nl = ' ';
        return ev_error_set(err, EV_ECHILD, "%s %s/%s: failed (%s%d): %.300s", prog, dir, gp,
                            WIFEXITED(status) ? "exit " : "signal ",
                            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), first);
    }
    *rendered = 1;
    return EV_OK;
}
