/* ev_plot.h - the one chart writer of edgevirt (library ev_plots).
 *
 * A chart is described in memory (title, axis labels with units, log axes, ranges, vertical
 * markers, then data: line series with optional interval bands, point series, stacked bars, or a
 * heatmap of categories or values), then written as two files in a folder:
 *   BASE.dat  the data, gnuplot "index" blocks, C locale, %.17g, with comment headers;
 *   BASE.gp   a self-contained gnuplot script built from the templates in plots/templates/
 *             (compiled in), which renders BASE.png (pngcairo) and BASE.svg;
 * both written atomically (temporary file + rename). ev_plot_render() then runs gnuplot through
 * fork/execvp (no shell) inside the folder. Without gnuplot, rendering reports "not run" and the
 * .dat/.gp stay, so a user can render them later with `gnuplot BASE.gp`.
 *
 * Ownership: ev_plot_new() returns a chart freed with ev_plot_free() (NULL-safe); every array and
 * string passed in is copied. Nothing here prints or exits. */
#ifndef EV_PLOT_H
#define EV_PLOT_H

#include <stddef.h>
#include "ev_err.h"

typedef struct ev_plot ev_plot;

typedef enum ev_plot_kind {
    EV_PLOT_XY = 0,          /* line / point series over a numeric x axis (bands allowed) */
    EV_PLOT_STACKED = 1,     /* stacked bars: one bar per group, one layer per stack */
    EV_PLOT_HEATMAP = 2      /* cells on a (x, y) grid coloured by class or by value */
} ev_plot_kind;

typedef enum ev_plot_style {
    EV_STYLE_LINES = 0, EV_STYLE_POINTS = 1, EV_STYLE_LINESPOINTS = 2,
    EV_STYLE_ERRORBARS = 3,  /* points joined by lines, lo/hi drawn as error bars (no band) */
    EV_STYLE_SMALLPOINTS = 4, /* small open circles (e.g. the individual repeats) */
    EV_STYLE_ERRORPOINTS = 5  /* points with lo/hi as error bars, not joined */
} ev_plot_style;

/* Create a chart of `kind` with `title`. RETURNS EV_OK, EV_EINVAL, EV_ENOMEM. */
int ev_plot_new(ev_plot **out, ev_plot_kind kind, const char *title);
void ev_plot_free(ev_plot *p);

/* Axis labels, with the unit in the text, e.g. "value size (bytes)". Any may be NULL. */
int ev_plot_set_labels(ev_plot *p, const char *xlabel, const char *ylabel);
/* Logarithmic axes (0/1 each). */
void ev_plot_set_log(ev_plot *p, int logx, int logy);
/* Axis ranges; NAN leaves that end automatic. axis: 'x' or 'y'. */
void ev_plot_set_range(ev_plot *p, char axis, double min, double max);
/* Legend placement as gnuplot words, e.g. "top right", "outside right top" (default
 * "top right"). */
int ev_plot_set_key(ev_plot *p, const char *where);
/* A dashed vertical line at x with a label drawn near its top (e.g. the MTU). */
int ev_plot_add_marker(ev_plot *p, double x, const char *label);
/* A free-text note placed at the bottom left inside the chart (e.g. the model name). */
int ev_plot_set_note(ev_plot *p, const char *note);

/* EV_PLOT_XY: add a series of n points (x ascending for lines). `lo`/`hi` may both be NULL;
 * otherwise a shaded band between them is drawn in the series' colour, under all lines.
 * Non-finite y values are written as gaps. RETURNS EV_OK, EV_EINVAL, EV_ENOMEM. */
int ev_plot_add_series(ev_plot *p, const char *name, ev_plot_style style,
                       const double *x, const double *y, const double *lo, const double *hi,
                       size_t n);

/* Colour series `i` (in the order added) with 0xRRGGBB instead of the cycle's colour i, e.g.
 * to draw a platform's repeats or prediction in the colour of its measured means.
 * RETURNS EV_OK or EV_EINVAL (no such series). */
int ev_plot_set_series_color(ev_plot *p, size_t i, unsigned rgb);
/* Draw series i with gnuplot dash type `dash` (2 dashed, 3 dotted, 4 dash-dot, 5 dash-dot-dot;
 * 0 = the style's own line), e.g. to tell variants of one platform apart in one colour.
 * RETURNS EV_OK or EV_EINVAL. */
int ev_plot_set_series_dash(ev_plot *p, size_t i, int dash);
/* Leave series i out of the key (its name stays in the .dat file); for charts with many
 * curves whose note explains the unnamed ones. */
int ev_plot_set_series_nokey(ev_plot *p, size_t i);

/* EV_PLOT_STACKED: set the groups (one bar each, labels under the x axis) once, then add one
 * stack layer per call with ngroups values. */
int ev_plot_set_groups(ev_plot *p, const char *const *groups, size_t ngroups);
int ev_plot_add_stack(ev_plot *p, const char *name, const double *values);

/* EV_PLOT_HEATMAP with categories: cell (i, j) at x[i], y[j] has class cls[j * nx + i]
 * (0..nclass-1, or -1 for no class); the cell's extent is halfway to its neighbours (geometric
 * halfway on a log axis). The legend lists the class names with their colours. */
int ev_plot_set_heatmap_classes(ev_plot *p, const double *x, size_t nx, const double *y,
                                size_t ny, const int *cls, const char *const *class_names,
                                size_t nclass);
/* Override the colour (0xRRGGBB) of class `cls` (after ev_plot_set_heatmap_classes), e.g. grey
 * for a "none" class. RETURNS EV_OK or EV_EINVAL. */
int ev_plot_set_class_color(ev_plot *p, size_t cls, unsigned rgb);
/* EV_PLOT_HEATMAP with values: cell colour from a palette with a colour box labelled cblabel. */
int ev_plot_set_heatmap_values(ev_plot *p, const double *x, size_t nx, const double *y,
                               size_t ny, const double *val, const char *cblabel);

/* Write DIR/BASE.dat and DIR/BASE.gp atomically (DIR must exist). BASE is a plain file name
 * without a folder. RETURNS EV_OK, EV_EINVAL (nothing to plot, bad name), EV_EIO. */
int ev_plot_write(const ev_plot *p, const char *dir, const char *base, ev_error *err);

/* Run the gnuplot program (environment EV_GNUPLOT, else "gnuplot") on DIR/BASE.gp inside DIR,
 * with a time limit of 60 s. *rendered = 1 when BASE.png and BASE.svg were produced;
 * 0 with EV_OK when gnuplot is not installed (err->msg then holds the warning text).
 * RETURNS EV_OK, EV_ECHILD (gnuplot failed: err->msg has its first error line), EV_ESYS. */
int ev_plot_render(int *rendered, const char *dir, const char *base, ev_error *err);

/* The text of a compiled-in template ("common", "xy", "stacked", "heatmap"), or NULL. */
const char *ev_plot_template(const char *name);

/* The colour (0xRRGGBB) used for series / class index i (a fixed, colour-blind-safe cycle). */
unsigned ev_plot_color(size_t i);

#endif
