/* ev_plot.c - the chart description: series, markers, stacks, heatmaps (see ev_plot.h). */
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
static const unsigned palette[] = {
    0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0x000000, 0x8C564B,
};

unsigned ev_plot_color(size_t i)
{
    return palette[i % (sizeof palette / sizeof palette[0])];
}

static char *dupstr(const char *s)
{
    size_t n;
    char *d;
    if (!s)
        return NULL;
    n = strlen(s) + 1;
    d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static double *dupd(const double *v, size_t n)
{
    double *d;
    if (!v)
        return NULL;
    d = malloc((n ? n : 1) * sizeof *d);
    if (d && n)
        memcpy(d, v, n * sizeof *d);
    return d;
}

int ev_plot_new(ev_plot **out, ev_plot_kind kind, const char *title)
{
    ev_plot *p;
    *out = NULL;
    if (kind < EV_PLOT_XY || kind > EV_PLOT_HEATMAP || !title)
        return EV_EINVAL;
    p = calloc(1, sizeof *p);
    if (!p)
        return EV_ENOMEM;
    p->kind = kind;
    p->title = dupstr(title);
    p->key = dupstr("top right");
    p->range[0][0] = p->range[0][1] = p->range[1][0] = p->range[1][1] = NAN;
    if (!p->title || !p->key) {
        ev_plot_free(p);
        return EV_ENOMEM;
    }
    *out = p;
    return EV_OK;
}

static void free_strv(char **v, size_t n)
{
    size_t i;
    if (!v)
        return;
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void ev_plot_free(ev_plot *p)
{
    size_t i;
    if (!p)
        return;
    free(p->title);
    free(p->xlabel);
    free(p->ylabel);
    free(p->key);
    free(p->note);
    for (i = 0; i < p->nser; i++) {
        free(p->ser[i].name);
        free(p->ser[i].x);
        free(p->ser[i].y);
        free(p->ser[i].lo);
        free(p->ser[i].hi);
    }
    free(p->ser);
    for (i = 0; i < p->nmk; i++)
        free(p->mk[i].label);
    free(p->mk);
    free_strv(p->groups, p->ngroups);
    free(p->hx);
    free(p->hy);
    free(p->hval);
    free(p->hcls);
    free_strv(p->cls_names, p->nclass);
    free(p->cls_rgb);
    free(p->cblabel);
    free(p);
}

static int set_str(char **dst, const char *s)
{
    char *d = NULL;
    if (s && !(d = dupstr(s)))
        return EV_ENOMEM;
    free(*dst);
    *dst = d;
    return EV_OK;
}

int ev_plot_set_labels(ev_plot *p, const char *xlabel, const char *ylabel)
{
    int rc = set_str(&p->xlabel, xlabel);
    return rc ? rc : set_str(&p->ylabel, ylabel);
}

void ev_plot_set_log(ev_plot *p, int logx, int logy)
{
    p->logx = logx != 0;
    p->logy = logy != 0;
}

void ev_plot_set_range(ev_plot *p, char axis, double min, double max)
{
    int a = axis == 'y' ? 1 : 0;
    p->range[a][0] = min;
    p->range[a][1] = max;
}

int ev_plot_set_key(ev_plot *p, const char *where)
{
    if (!where || strpbrk(where, "\"\n;"))
        return EV_EINVAL;
    return set_str(&p->key, where);
}

int ev_plot_set_note(ev_plot *p, const char *note)
{
    return set_str(&p->note, note);
}

int ev_plot_add_marker(ev_plot *p, double x, const char *label)
{
    marker *m;
    if (!isfinite(x))
        return EV_EINVAL;
    m = realloc(p->mk, (p->nmk + 1) * sizeof *m);
    if (!m)
        return EV_ENOMEM;
    p->mk = m;
    m[p->nmk].x = x;
    m[p->nmk].label = dupstr(label ? label : "");
    if (!m[p->nmk].label)
        return EV_ENOMEM;
    p->nmk++;
    return EV_OK;
}

static int push_series(ev_plot *p, const char *name, ev_plot_style style, const double *x,
                       const double *y, const double *lo, const double *hi, size_t n)
{
    series *s = realloc(p->ser, (p->nser + 1) * sizeof *s);
    if (!s)
        return EV_ENOMEM;
    p->ser = s;
    s = &p->ser[p->nser];
    memset(s, 0, sizeof *s);
    s->name = dupstr(name ? name : "");
    s->style = style;
    s->rgb = -1;
    s->n = n;
    s->x = dupd(x, n);
    s->y = dupd(y, n);
    s->lo = dupd(lo, n);
    s->hi = dupd(hi, n);
    p->nser++;
    if (!s->name || (x && !s->x) || !s->y || (lo && !s->lo) || (hi && !s->hi))
        return EV_ENOMEM;
    return EV_OK;
}

int ev_plot_add_series(ev_plot *p, const char *name, ev_plot_style style, const double *x,
                       const double *y, const double *lo, const double *hi, size_t n)
{
    if (p->kind != EV_PLOT_XY || !x || !y || n == 0 || (!lo) != (!hi))
        return EV_EINVAL;
    return push_series(p, name, style, x, y, lo, hi, n);
}

int ev_plot_set_series_color(ev_plot *p, size_t i, unsigned rgb)
{
    if (i >= p->nser || rgb > 0xFFFFFFu)
        return EV_EINVAL;
    p->ser[i].rgb = (long)rgb;
    return EV_OK;
}

int ev_plot_set_series_nokey(ev_plot *p, size_t i)
{
    if (!p || i >= p->nser)
        return EV_EINVAL;
    p->ser[i].nokey = 1;
    return EV_OK;
}

int ev_plot_set_series_dash(ev_plot *p, size_t i, int dash)
{
    if (i >= p->nser || dash < 0 || dash > 5)
        return EV_EINVAL;
    p->ser[i].dash = dash;
    return EV_OK;
}

int ev_plot_set_groups(ev_plot *p, const char *const *groups, size_t ngroups)
{
    size_t i;
    if (p->kind != EV_PLOT_STACKED || p->groups || !groups || ngroups == 0)
        return EV_EINVAL;
    p->groups = calloc(ngroups, sizeof *p->groups);
    if (!p->groups)
        return EV_ENOMEM;
    p->ngroups = ngroups;
    for (i = 0; i < ngroups; i++)
        if (!(p->groups[i] = dupstr(groups[i] ? groups[i] : "")))
            return EV_ENOMEM;
    return EV_OK;
}

int ev_plot_add_stack(ev_plot *p, const char *name, const double *values)
{
    if (p->kind != EV_PLOT_STACKED || !p->groups || !values)
        return EV_EINVAL;
    return push_series(p, name, EV_STYLE_LINES, NULL, values, NULL, NULL, p->ngroups);
}

static int set_grid(ev_plot *p, const double *x, size_t nx, const double *y, size_t ny)
{
    if (p->kind != EV_PLOT_HEATMAP || p->hx || !x || !y || nx == 0 || ny == 0)
        return EV_EINVAL;
    p->hx = dupd(x, nx);
    p->hy = dupd(y, ny);
    p->nx = nx;
    p->ny = ny;
    return (p->hx && p->hy) ? EV_OK : EV_ENOMEM;
}

int ev_plot_set_heatmap_classes(ev_plot *p, const double *x, size_t nx, const double *y,
                                size_t ny, const int *cls, const char *const *class_names,
                                size_t nclass)
{
    size_t i;
    int rc;
    if (!cls || !class_names || nclass == 0)
        return EV_EINVAL;
    for (i = 0; i < nx * ny; i++)
        if (cls[i] < -1 || cls[i] >= (int)nclass)
            return EV_EINVAL;
    if ((rc = set_grid(p, x, nx, y, ny)))
        return rc;
    p->hcls = malloc(nx * ny * sizeof *p->hcls);
    p->cls_names = calloc(nclass, sizeof *p->cls_names);
    p->cls_rgb = malloc(nclass * sizeof *p->cls_rgb);
    if (!p->hcls || !p->cls_names || !p->cls_rgb)
        return EV_ENOMEM;
    for (i = 0; i < nclass; i++)
        p->cls_rgb[i] = ev_plot_color(i);
    memcpy(p->hcls, cls, nx * ny * sizeof *p->hcls);
    p->nclass = nclass;
    for (i = 0; i < nclass; i++)
        if (!(p->cls_names[i] = dupstr(class_names[i] ? class_names[i] : "")))
            return EV_ENOMEM;
    return EV_OK;
}

int ev_plot_set_class_color(ev_plot *p, size_t cls, unsigned rgb)
{
    if (!p->cls_rgb || cls >= p->nclass || rgb > 0xFFFFFF)
        return EV_EINVAL;
    p->cls_rgb[cls] = rgb;
    return EV_OK;
}

int ev_plot_set_heatmap_values(ev_plot *p, const double *x, size_t nx, const double *y,
                               size_t ny, const double *val, const char *cblabel)
{
    int rc;
    if (!val)
        return EV_EINVAL;
    if ((rc = set_grid(p, x, nx, y, ny)))
        return rc;
    p->hval = dupd(val, nx * ny);
    if (!p->hval)
        return EV_ENOMEM;
    return set_str(&p->cblabel, cblabel ? cblabel : "");
}
