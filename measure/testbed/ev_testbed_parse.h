/* ev_testbed_parse.h - pure parsers and validators for the one-host testbed (no I/O).
 * Everything here works on strings and buffers so tests can feed it text. */
#ifndef EV_TESTBED_PARSE_H
#define EV_TESTBED_PARSE_H

#include <stddef.h>
#include "ev_err.h"

#define EV_TESTBED_PREFIX_MAX 16   /* netns "<prefix>gateway" stays short */

/* MTU that gives exactly 1224 B of TCP payload per packet with TCP timestamps
 * (1276 - 20 IP - 20 TCP - 12 timestamp option = 1224): the lwIP-like segment size. */
#define EV_TESTBED_SWSEG_MTU 1276

/* Validate a testbed name prefix: 1..16 characters of [a-z0-9_-], starting with a letter.
 * RETURNS EV_OK or EV_EINVAL (detail in err). */
int ev_testbed_parse_prefix(const char *s, ev_error *err);

/* Parse a link rate in tc syntax: "none" or "off" (-> 0), or a number with an optional unit
 * bit, kbit, mbit, gbit, tbit (decimal, like tc) or bps/kbps/mbps/gbps (bytes per second,
 * also like tc). A bare number is bits per second. OUT *bps: bits per second (0 = no limit).
 * RETURNS EV_OK or EV_EINVAL. */
int ev_testbed_parse_rate(double *bps, const char *s, ev_error *err);

/* Parse "on"/"off" (also 1/0, yes/no, true/false). OUT *on. RETURNS EV_OK or EV_EINVAL. */
int ev_testbed_parse_onoff(int *on, const char *s, ev_error *err);

/* Parse a whole decimal integer in [lo, hi]. RETURNS EV_OK, EV_EINVAL or EV_ERANGE. */
int ev_testbed_parse_int(long *out, const char *s, long lo, long hi, const char *what,
                         ev_error *err);

/* Emulated platform path: a combination of flags. */
#define EV_TESTBED_P_RELAY 1   /* a userspace relay (edgevirt-relay) in front of Redis */
#define EV_TESTBED_P_SWSEG 2   /* offloads off and MTU <= 1276: lwIP-like software segmentation */

/* Parse a platform path name: "direct", "relay", "swseg" (= direct+swseg), "direct+swseg",
 * "relay+swseg", "swseg+relay", or a paper platform alias: "kata" (= direct),
 * "unikraft-vhost" (= direct+swseg), "unikraft-virtio" (= relay+swseg), "firecracker" and
 * "linuxvm" (= relay). OUT *flags (EV_TESTBED_P_*). RETURNS EV_OK or EV_EINVAL. */
int ev_testbed_parse_platform(int *flags, const char *s, ev_error *err);

/* Canonical name of a flag set: "direct", "relay", "direct+swseg", "relay+swseg". Static text. */
const char *ev_testbed_platform_name(int flags);

/* Offload state read back from `ethtool -k DEV` text. -1 = not found in the text. */
typedef struct ev_testbed_offloads {
    int tso;   /* tcp-segmentation-offload */
    int gso;   /* generic-segmentation-offload */
    int gro;   /* generic-receive-offload */
} ev_testbed_offloads;

/* Parse `ethtool -k` output ("name: on|off [fixed]" lines). Missing features stay -1.
 * RETURNS EV_OK, or EV_EPARSE if none of the three features is present. */
int ev_testbed_parse_ethtool_k(ev_testbed_offloads *out, const char *text, ev_error *err);

/* Link parameters read back from `ip -j link show dev X` and `tc -j qdisc show dev X` (JSON).
 * mtu/up: -1 if unknown; rate_bps 0 when the root qdisc is not tbf. */
typedef struct ev_testbed_linkinfo {
    int mtu;
    int up;                 /* 1 if the UP flag is set */
    char qdisc[32];         /* root qdisc kind ("tbf", "noqueue", ...) */
    double rate_bps;        /* tbf rate, bits per second */
} ev_testbed_linkinfo;

/* Fill mtu/up from `ip -j link show` JSON. RETURNS EV_OK or EV_EPARSE. */
int ev_testbed_parse_ip_link_json(ev_testbed_linkinfo *out, const char *json, ev_error *err);
/* Fill qdisc/rate_bps from `tc -j qdisc show` JSON (the root qdisc). RETURNS EV_OK or EV_EPARSE. */
int ev_testbed_parse_tc_json(ev_testbed_linkinfo *out, const char *json, ev_error *err);

#endif
