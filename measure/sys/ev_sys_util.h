/* ev_sys_util.h - private helpers of the ev_sys library (not installed, not public API). */
#ifndef EV_SYS_UTIL_H
#define EV_SYS_UTIL_H

#include <stddef.h>
#include "ev_err.h"

/* ROOT + rel into buf ("" or NULL root = rel as is). */
void ev_sys__path(char *buf, size_t len, const char *root, const char *rel);
/* Files are read with ev_fs_read_all() (common/ev_fs.h): EV_ENOENT for a missing file or a
 * process that has gone. */

#endif
