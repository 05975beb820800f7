/* ev_record_host.c - the host provenance of a run record (kernel, CPU model, versions). */
#include "ev_record.h"
#include "ev_record_int.h"
#include "ev_fs.h"
#include "ev_json.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/utsname.h>

#ifndef EV_VERSION
#define EV_VERSION "unknown"
#endif
/* ---------------------------------------------------------------- host provenance */

/* Value of the first "key<spaces/tabs>: value" line of cpuinfo, into out. 1 if found. */
static int ev_rec__cpuinfo_key(char *out, size_t len, const char *text, const char *key)
{
    size_t kl = strlen(key);
    const char *p = text;
    while (p && *p) {
        const char *eol = strchr(p, '\n');
        size_t ll = eol ? (size_t)(eol - p) : strlen(p);
        if (ll > kl && strncmp(p, key, kl) == 0) {
            const char *q = p + kl, *e = p + ll;
            while (q < e && (*q == ' ' || *q == '\t'))
                q++;
            if (q < e && *q == ':') {
                size_t n;
                q++;
                while (q < e && (*q == ' ' || *q == '\t'))
                    q++;
                while (e > q && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
                    e--;
                n = (size_t)(e - q);
                if (n > 0 && len > 0) {
                    if (n >= len)
                        n = len - 1;
                    memcpy(out, q, n);
                    out[n] = '\0';
                    return 1;
                }
            }
        }
        p = eol ? eol + 1 : NULL;
    }
    return 0;
}

void ev_record_cpuinfo_model(char *out, size_t len, const char *cpuinfo)
{
    char impl[32], part[32];
    if (!len)
        return;
    out[0] = '\0';
    if (!cpuinfo)
        return;
    if (ev_rec__cpuinfo_key(out, len, cpuinfo, "model name"))
        return;
    if (ev_rec__cpuinfo_key(out, len, cpuinfo, "Model"))       /* Raspberry Pi */
        return;
    if (ev_rec__cpuinfo_key(out, len, cpuinfo, "Hardware"))    /* older ARM kernels */
        return;
    if (ev_rec__cpuinfo_key(part, sizeof part, cpuinfo, "CPU part")) {
        if (ev_rec__cpuinfo_key(impl, sizeof impl, cpuinfo, "CPU implementer"))
            snprintf(out, len, "arm implementer %s part %s", impl, part);
        else
            snprintf(out, len, "arm part %s", part);
        return;
    }
    if (ev_rec__cpuinfo_key(out, len, cpuinfo, "cpu"))         /* POWER, others */
        return;
    out[0] = '\0';
}

/* Truncating copy (uname fields can be longer than the record's). */
static void ev_rec__copy(char *dst, size_t len, const char *src)
{
    size_t n = strnlen(src, len - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int ev_record_fill_host(ev_record *r)
{
    struct utsname u;
    char *txt = NULL;
    size_t n = 0;
    ev_error e = EV_ERROR_INIT;
    if (!r->ev_version[0])
        ev_rec__copy(r->ev_version, sizeof r->ev_version, EV_VERSION);
    if (ev_fs_read_all(&txt, &n, "/proc/cpuinfo", &e) == EV_OK) {
        ev_record_cpuinfo_model(r->cpu_model, sizeof r->cpu_model, txt);
        free(txt);
    }
    if (uname(&u) != 0)
        return EV_ESYS;
    ev_rec__copy(r->host, sizeof r->host, u.nodename);
    ev_rec__copy(r->kernel, sizeof r->kernel, u.release);
    ev_rec__copy(r->arch, sizeof r->arch, u.machine);
    return EV_OK;
}
