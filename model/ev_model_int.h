/* ev_model_int.h - internals shared by ev_model.c, ev_model_json.c and ev_fit.c (not installed,
 * not for other modules). */
#ifndef EV_MODEL_INT_H
#define EV_MODEL_INT_H

#include "ev_model.h"

typedef struct ev_mplatform {
    ev_platform_info info;     /* info.id / info.stack point at id / stack below */
    char *id, *stack;
    ev_param_set ps[EV_NCAT];
    size_t points;
    int dof;
    double max_abs_corr;
    char *notes;
} ev_mplatform;

typedef struct ev_mdataset {
    char *path;
    size_t records;
} ev_mdataset;

typedef struct ev_mhost {
    char *name, *kernel, *arch, *cpu;
    size_t records;
} ev_mhost;

struct ev_model {
    char *name;
    ev_source source;
    double client_rtt_s;
    ev_mplatform *plat;
    size_t np, pcap;
    ev_mdataset *ds;
    size_t nds, dcap;
    ev_mhost *hosts;
    size_t nhosts, hcap;
};

char *ev_model__strdup(const char *s);
void ev_model__design_row(double row[EV_NPARAM], ev_op op, const ev_counts *c);
/* The median busy fraction (the four categories' sum / 100, at most 1) of those of the n
 * records that kept the CPU at least 90 % busy (the CPU-bound ones), into *u (untouched when
 * there are none). Shared by the fit and re-anchoring (docs/model.md, "Utilization at
 * saturation"). RETURNS the number of such records (0 also when out of memory). */
size_t ev_fit__saturated_busy(double *u, const ev_record *const *rr, size_t n);
/* Count the hosts of the usable, measured records among recs[0..n-1] that name their kernel
 * in m (ev_model_add_host): the fit records where its data ran, re-anchoring adds the
 * anchors'. RETURNS EV_OK or EV_ENOMEM. */
int ev_fit__add_hosts(ev_model *m, const ev_record *recs, size_t n);

#endif
