/* ev_testbed_parse.c - pure parsers for the testbed (see ev_testbed_parse.h). */
#include "ev_testbed_parse.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ev_testbed_parse_prefix(const char *s, ev_error *err)
{
    size_t n, i;
    if (!s || !*s)
        return ev_error_set(err, EV_EINVAL, "prefix: empty");
    n = strlen(s);
    if (n > EV_TESTBED_PREFIX_MAX)
        return ev_error_set(err, EV_EINVAL, "prefix '%s': longer than %d characters", s,
                            EV_TESTBED_PREFIX_MAX);
    if (!islower((unsigned char)s[0]))
        return ev_error_set(err, EV_EINVAL, "prefix '%s': must start with a lower-case letter", s);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(islower(c) || isdigit(c) || c == '_' || c == '-'))
            return ev_error_set(err, EV_EINVAL,
                                "prefix '%s': only a-z, 0-9, '_' and '-' are allowed", s);
    }
    return EV_OK;
}

int ev_testbed_parse_rate(double *bps, const char *s, ev_error *err)
{
    static const struct { const char *unit; double mult; } units[] = {
        { "", 1.0 }, { "bit", 1.0 }, { "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 },
        { "tbit", 1e12 }, { "bps", 8.0 }, { "kbps", 8e3 }, { "mbps", 8e6 }, { "gbps", 8e9 },
    };
    char *end = NULL;
    double v;
    size_t i;
    if (!s || !*s)
        return ev_error_set(err, EV_EINVAL, "link rate: empty");
    if (strcasecmp(s, "none") == 0 || strcasecmp(s, "off") == 0) {
        *bps = 0.0;
        return EV_OK;
    }
    errno = 0;
    v = strtod(s, &end);
    if (end == s || errno || !isfinite(v) || v <= 0.0)
        return ev_error_set(err, EV_EINVAL,
                            "link rate '%s': expected 'none' or a positive number with a unit "
                            "(bit, kbit, mbit, gbit)", s);
    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcasecmp(end, units[i].unit) == 0) {
            v *= units[i].mult;
            if (v < 8000.0 || v > 1e12)
                return ev_error_set(err, EV_EINVAL,
                                    "link rate '%s': outside 8kbit..1tbit", s);
            *bps = v;
            return EV_OK;
        }
    }
    return ev_error_set(err, EV_EINVAL, "link rate '%s': unknown unit '%s' (use bit, kbit, "
                        "mbit, gbit, tbit, bps, kbps, mbps, gbps)", s, end);
}

int ev_testbed_parse_onoff(int *on, const char *s, ev_error *err)
{
    if (s && (!strcasecmp(s, "on") || !strcmp(s, "1") || !strcasecmp(s, "yes") ||
              !strcasecmp(s, "true"))) {
        *on = 1;
        return EV_OK;
    }
    if (s && (!strcasecmp(s, "off") || !strcmp(s, "0") || !strcasecmp(s, "no") ||
              !strcasecmp(s, "false"))) {
        *on = 0;
        return EV_OK;
    }
    return ev_error_set(err, EV_EINVAL, "'%s': expected on or off", s ? s : "");
}

int ev_testbed_parse_int(long *out, const char *s, long lo, long hi, const char *what,
                         ev_error *err)
{
    char *end = NULL;
    long v;
    if (!s || !*s)
        return ev_error_set(err, EV_EINVAL, "%s: empty", what);
    errno = 0;
    v = strtol(s, &end, 10);
    if (end == s || *end || errno == ERANGE)
        return ev_error_set(err, EV_EINVAL, "%s '%s': not a whole number", what, s);
    if (v < lo || v > hi)
        return ev_error_set(err, EV_ERANGE, "%s %ld: outside %ld..%ld", what, v, lo, hi);
    *out = v;
    return EV_OK;
}

int ev_testbed_parse_platform(int *flags, const char *s, ev_error *err)
{
    static const struct { const char *name; int flags; } names[] = {
        { "direct", 0 },
        { "relay", EV_TESTBED_P_RELAY },
        { "swseg", EV_TESTBED_P_SWSEG },
        { "direct+swseg", EV_TESTBED_P_SWSEG },
        { "swseg+direct", EV_TESTBED_P_SWSEG },
        { "relay+swseg", EV_TESTBED_P_RELAY | EV_TESTBED_P_SWSEG },
        { "swseg+relay", EV_TESTBED_P_RELAY | EV_TESTBED_P_SWSEG },
        /* the paper's platforms, by the mechanism each one is emulated with */
        { "kata", 0 },
        { "unikraft-vhost", EV_TESTBED_P_SWSEG },
        { "unikraft-virtio", EV_TESTBED_P_RELAY | EV_TESTBED_P_SWSEG },
        { "firecracker", EV_TESTBED_P_RELAY },
        { "linuxvm", EV_TESTBED_P_RELAY },
    };
    size_t i;
    for (i = 0; s && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0) {
            *flags = names[i].flags;
            return EV_OK;
        }
    }
    return ev_error_set(err, EV_EINVAL,
                        "platform '%s': expected direct, relay, swseg, direct+swseg, relay+swseg "
                        "or an alias (kata, unikraft-vhost, unikraft-virtio, firecracker, linuxvm)",
                        s ? s : "");
}

const char *ev_testbed_platform_name(int flags)
{
    switch (flags & (EV_TESTBED_P_RELAY | EV_TESTBED_P_SWSEG)) {
    case 0: return "direct";
    case EV_TESTBED_P_RELAY: return "relay";
    case EV_TESTBED_P_SWSEG: return "direct+swseg";
    default: return "relay+swseg";
    }
}

/* Value of "name: on|off" at the start of a line; -1 if the line is not found. */
static int ev_testbed__feature(const char *text, const char *name)
{
    size_t n = strlen(name);
    const char *p = text;
    while (p && *p) {
        if (strncmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            if (strncmp(v, "on", 2) == 0)
                return 1;
            if (strncmp(v, "off", 3) == 0)
                return 0;
            return -1;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return -1;
}

int ev_testbed_parse_ethtool_k(ev_testbed_offloads *out, const char *text, ev_error *err)
{
    out->tso = ev_testbed__feature(text, "tcp-segmentation-offload");
    out->gso = ev_testbed__feature(text, "generic-segmentation-offload");
    out->gro = ev_testbed__feature(text, "generic-receive-offload");
    if (out->tso < 0 && out->gso < 0 && out->gro < 0)
        return ev_error_set(err, EV_EPARSE, "ethtool -k output: no segmentation/receive "
                            "offload lines found");
    return EV_OK;
}

int ev_testbed_parse_ip_link_json(ev_testbed_linkinfo *out, const char *json, ev_error *err)
{
    cJSON *root = cJSON_Parse(json), *dev, *mtu, *flags, *f;
    out->mtu = -1;
    out->up = -1;
    if (!root || !cJSON_IsArray(root) || !(dev = cJSON_GetArrayItem(root, 0))) {
        cJSON_Delete(root);
        return ev_error_set(err, EV_EPARSE, "ip -j link output: not a JSON array of links");
    }
    mtu = cJSON_GetObjectItemCaseSensitive(dev, "mtu");
    /* range first: (int) of a larger double is undefined behaviour (found by fuzz_testbed) */
    if (cJSON_IsNumber(mtu) && mtu->valuedouble >= 0 && mtu->valuedouble <= 1e9)
        out->mtu = (int)mtu->valuedouble;
    flags = cJSON_GetObjectItemCaseSensitive(dev, "flags");
    if (cJSON_IsArray(flags)) {
        out->up = 0;
        cJSON_ArrayForEach(f, flags) {
            if (cJSON_IsString(f) && strcmp(f->valuestring, "UP") == 0)
                out->up = 1;
        }
    }
    cJSON_Delete(root);
    if (out->mtu < 0)
        return ev_error_set(err, EV_EPARSE, "ip -j link output: no mtu");
    return EV_OK;
}

int ev_testbed_parse_tc_json(ev_testbed_linkinfo *out, const char *json, ev_error *err)
{
    cJSON *root = cJSON_Parse(json), *q;
    out->qdisc[0] = '\0';
    out->rate_bps = 0.0;
    if (!root || !cJSON_IsArray(root)) {
        cJSON_Delete(root);
        return ev_error_set(err, EV_EPARSE, "tc -j qdisc output: not a JSON array");
    }
    cJSON_ArrayForEach(q, root) {
        cJSON *kind = cJSON_GetObjectItemCaseSensitive(q, "kind");
        cJSON *isroot = cJSON_GetObjectItemCaseSensitive(q, "root");
        cJSON *opts, *rate;
        if (!cJSON_IsString(kind) || !cJSON_IsTrue(isroot))
            continue;
        snprintf(out->qdisc, sizeof out->qdisc, "%s", kind->valuestring);
        opts = cJSON_GetObjectItemCaseSensitive(q, "options");
        rate = cJSON_GetObjectItemCaseSensitive(opts, "rate");
        if (strcmp(kind->valuestring, "tbf") == 0 && cJSON_IsNumber(rate))
            out->rate_bps = rate->valuedouble * 8.0;   /* tc -j prints bytes per second */
        break;
    }
    cJSON_Delete(root);
    return EV_OK;
}
