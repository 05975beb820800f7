/* ev_plot_int.h - the chart object's layout, shared by ev_plot.c (building a chart) and
 * ev_plot_write.c (its .dat/.gp files and the gnuplot run); not part of the API (ev_plot.h). */
#ifndef EV_PLOT_INT_H
#define EV_PLOT_INT_H

#include "ev_plot.h"

#include <stddef.h>

typedef struct series {
    char *name;
    ev_plot_style style;
    double *x, *y, *lo, *hi;
    size_t n;
    long rgb; /* -1: the cycle's colour for the series' index */
    int dash; /* 0: the style's own line; >= 2: gnuplot dash type (variants of one colour) */
    int nokey; /* 1: no key entry */
} series;

typedef struct marker {
    double x;
    char *label;
} marker;

struct ev_plot {
    ev_plot_kind kind;
    char *title, *xlabel, *ylabel, *key, *note;
    int logx, logy;
    double range[2][2];
    series *ser;
    size_t nser;
    marker *mk;
    size_t nmk;
    /* stacked */
    char **groups;
    size_t ngroups;
    /* stacked layers reuse ser[]: name + y (ngroups values) */
    /* heatmap */
    double *hx, *hy, *hval;
    int *hcls;
    size_t nx, ny;
    char **cls_names;
    unsigned *cls_rgb;
    size_t nclass;
    char *cblabel;
};



#endif
