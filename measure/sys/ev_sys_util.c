#include "ev_sys_util.h"

#include <stdio.h>

void ev_sys__path(char *buf, size_t len, const char *root, const char *rel)
{
    snprintf(buf, len, "%s%s", root ? root : "", rel);
}
