/* ev_version.h - `--version` of every tool: its version (EV_VERSION, the same string run
 * records carry in versions.edgevirt) and the versions of the libraries it runs with, as
 * `iperf3 --version` does. A tool lists what it links:
 *
 *     const ev_libver libs[] = { EV_LIBVER_HIREDIS, EV_LIBVER_CJSON };
 *     fputs(ev_version_text(buf, sizeof buf, "edgevirt-load", libs, 2), stdout);
 *
 * Run-time versions where the library reports one (GSL's gsl_version, cJSON_Version(),
 * curl_version_info()); hiredis (0.14 in Debian 12) has only its header's numbers, which are
 * the build-time ones. The EV_LIBVER_* macros need the library's own header included first. */
#ifndef EV_VERSION_H
#define EV_VERSION_H

#include <stddef.h>

#ifndef EV_VERSION
#define EV_VERSION "unknown"
#endif

typedef struct ev_libver {
    const char *name;
    const char *version;
} ev_libver;

#define EV_VERSION__S(x) #x
#define EV_VERSION__S3(a, b, c) EV_VERSION__S(a) "." EV_VERSION__S(b) "." EV_VERSION__S(c)
/* <hiredis/hiredis.h> */
#define EV_LIBVER_HIREDIS { "hiredis", EV_VERSION__S3(HIREDIS_MAJOR, HIREDIS_MINOR, HIREDIS_PATCH) }
/* <gsl/gsl_version.h> */
#define EV_LIBVER_GSL { "GSL", gsl_version }
/* <cjson/cJSON.h> */
#define EV_LIBVER_CJSON { "cJSON", cJSON_Version() }
/* <curl/curl.h> */
#define EV_LIBVER_CURL { "libcurl", curl_version_info(CURLVERSION_NOW)->version }

/* "TOOL VERSION\nlibraries: NAME VERSION, ...\n" (or "libraries: none\n") into buf, cut to n;
 * RETURNS buf. */
const char *ev_version_text(char *buf, size_t n, const char *tool, const ev_libver *libs,
                            size_t nlibs);

#endif
