/* ev_sys_util.h - private helpers of the ev_sys library (not installed, not public API). */
#ifndef EV_SYS_UTIL_H
#define EV_SYS_UTIL_H

#include <stddef.h>
#include "ev_err.h"

/* ROOT + rel into buf ("" or NULL root = rel as is). */
void ev_sys__path(char *buf, size_t len, const char *root, const char *rel);
/* Read a small /proc or /sys file (read(2) loop) into a malloc'ed NUL-terminated buffer.
 * RETURNS EV_OK, EV_ENOENT (missing file or process gone) or EV_EIO. */
int ev_sys__read_small(char **out, const char *path, ev_error *err);

#endif
