/* ev_version.c - see ev_version.h. */
#include "ev_version.h"

#include <stdio.h>

const char *ev_version_text(char *buf, size_t n, const char *tool, const ev_libver *libs,
                            size_t nlibs)
{
    size_t used = 0, i;
    int k;
    if (!n)
        return buf;
    k = snprintf(buf, n, "%s %s\nlibraries:", tool, EV_VERSION);
    used = k < 0 ? 0 : (size_t)k < n ? (size_t)k : n - 1;
    for (i = 0; i < nlibs && used + 1 < n; i++) {
        k = snprintf(buf + used, n - used, "%s %s %s", i ? "," : "", libs[i].name,
                     libs[i].version && libs[i].version[0] ? libs[i].version : "unknown");
        used += k < 0 ? 0 : (size_t)k < n - used ? (size_t)k : n - used - 1;
    }
    if (used + 1 < n)
        snprintf(buf + used, n - used, "%s\n", nlibs ? "" : " none");
    return buf;
}
