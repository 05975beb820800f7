/* fuzz_testbed.c - the testbed's pure parsers (measure/testbed/ev_testbed_parse.c): name
 * prefix, tc rate, on/off, integers, platform path names, `ethtool -k` text, `ip -j link` and
 * `tc -j qdisc` JSON, all on the same input. */
#include <stdlib.h>
#include <string.h>
#include "ev_testbed_parse.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = ev_fuzz_strdup(data, size);
    ev_error err = EV_ERROR_INIT;
    double bps;
    int on, flags;
    long v;
    ev_testbed_offloads off;
    ev_testbed_linkinfo li;

    (void)ev_testbed_parse_prefix(s, &err);
    if (ev_testbed_parse_rate(&bps, s, &err) == EV_OK)
        EV_FUZZ_ASSERT(bps >= 0);
    (void)ev_testbed_parse_onoff(&on, s, &err);
    (void)ev_testbed_parse_int(&v, s, -5, 70000, "fuzz", &err);
    if (ev_testbed_parse_platform(&flags, s, &err) == EV_OK)
        EV_FUZZ_ASSERT(ev_testbed_platform_name(flags) != NULL);
    (void)ev_testbed_parse_ethtool_k(&off, s, &err);
    memset(&li, 0, sizeof li);
    (void)ev_testbed_parse_ip_link_json(&li, s, &err);
    (void)ev_testbed_parse_tc_json(&li, s, &err);
    free(s);
    return 0;
}
