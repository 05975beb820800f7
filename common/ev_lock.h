/* ev_lock.h - one writer per file: an advisory lock (flock) on a sidecar "PATH.lock".
 *
 * The lock belongs to the open file description, so it goes with the process however it ends
 * (kill -9 included) and a resumed run takes it again; the descriptor is close-on-exec, so a
 * child that outlives us (a VMM) does not keep it. The sidecar (not PATH itself) carries the
 * lock because PATH may be replaced by an atomic rename; it holds the holder's "pid PID\n
 * TOOL\nsince ISO-8601\n", which a refused second writer reports. The sidecar is left in place
 * (an unlocked sidecar means nothing). */
#ifndef EV_LOCK_H
#define EV_LOCK_H

#include "ev_err.h"

typedef struct ev_lock ev_lock;

/* Take the lock on PATH for TOOL (e.g. "edgevirt-measure run"). wait 0: EV_EBUSY (exit 2) with
 * the holder's pid, tool and start time in err when another process holds it; wait 1: block
 * until the holder ends (short commands that only need to be serialised). EV_ESYS when the
 * sidecar cannot be created. */
int ev_lock_acquire(ev_lock **out, const char *path, const char *tool, int wait, ev_error *err);

/* Release and free (NULL is fine). */
void ev_lock_release(ev_lock *l);

#endif
