/* ev_record_int.h - what the run record's files share (not part of the API, see ev_record.h):
 * ev_record.c parses and compares, ev_record_write.c writes and loads sets,
 * ev_record_host.c fills the host provenance. */
#ifndef EV_RECORD_INT_H
#define EV_RECORD_INT_H

#include "ev_record.h"

/* The names of record.source (NULL-terminated) and of the packet roles, in enum order. */
extern const char *const ev_rec__sources[];
extern const char *const ev_rec__roles[EV_NROLES];

#endif
