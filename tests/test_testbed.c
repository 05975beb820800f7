/* test_testbed.c - the testbed's pure parsers: prefixes, rates, platform names, and the
 * `ethtool -k`, `ip -j link` and `tc -j qdisc` outputs (fixtures captured on this host). */
#include "ev_testbed_parse.h"
#include "ev_test.h"

static const char *ethtool_on =
    "Features for evc0:\n"
    "rx-checksumming: on\n"
    "tx-checksumming: on\n"
    "\ttx-checksum-ipv4: off [fixed]\n"
    "scatter-gather: on\n"
    "tcp-segmentation-offload: on\n"
    "\ttx-tcp-segmentation: on\n"
    "generic-segmentation-offload: on\n"
    "generic-receive-offload: off\n"
    "large-receive-offload: off [fixed]\n";

static const char *ethtool_off =
    "Features for evg0:\n"
    "tcp-segmentation-offload: off\n"
    "\ttx-tcp-segmentation: off\n"
    "generic-segmentation-offload: off\n"
    "generic-receive-offload: off\n";

static const char *ip_json =
    "[{\"ifindex\":2,\"link_index\":2,\"ifname\":\"evc0\",\"flags\":[\"BROADCAST\",\"MULTICAST\","
    "\"UP\",\"LOWER_UP\"],\"mtu\":1276,\"qdisc\":\"tbf\",\"operstate\":\"UP\"}]";
static const char *ip_json_down =
    "[{\"ifindex\":2,\"ifname\":\"evc0\",\"flags\":[\"BROADCAST\",\"MULTICAST\"],\"mtu\":1500}]";
static const char *tc_json =
    "[{\"kind\":\"tbf\",\"handle\":\"8001:\",\"root\":true,\"refcnt\":3,"
    "\"options\":{\"rate\":125000000,\"burst\":125000,\"lat\":20000}}]";
static const char *tc_json_noqueue = "[{\"kind\":\"noqueue\",\"handle\":\"0:\",\"root\":true,"
                                     "\"refcnt\":2,\"options\":{}}]";

int main(void)
{
    ev_error err = EV_ERROR_INIT;
    double bps = -1;
    int on = -1, flags = -1;
    long v = 0;
    ev_testbed_offloads off;
    ev_testbed_linkinfo li;

    /* prefixes */
    EV_CHECK(ev_testbed_parse_prefix("ev", &err) == EV_OK);
    EV_CHECK(ev_testbed_parse_prefix("evt-1_a", &err) == EV_OK);
    EV_CHECK(ev_testbed_parse_prefix("", &err) == EV_EINVAL);
    EV_CHECK(ev_testbed_parse_prefix("1ev", &err) == EV_EINVAL);
    EV_CHECK(ev_testbed_parse_prefix("Ev", &err) == EV_EINVAL);
    EV_CHECK(ev_testbed_parse_prefix("ev/../x", &err) == EV_EINVAL);
    EV_CHECK(ev_testbed_parse_prefix("abcdefghijklmnopq", &err) == EV_EINVAL);  /* 17 chars */
    EV_CHECK(strstr(err.msg, "longer") != NULL);

    /* rates (tc's units: bit = bits/s, bps = bytes/s) */
    EV_CHECK(ev_testbed_parse_rate(&bps, "1gbit", &err) == EV_OK && bps == 1e9);
    EV_CHECK(ev_testbed_parse_rate(&bps, "100mbit", &err) == EV_OK && bps == 1e8);
    EV_CHECK(ev_testbed_parse_rate(&bps, "2.5Gbit", &err) == EV_OK && bps == 2.5e9);
    EV_CHECK(ev_testbed_parse_rate(&bps, "1mbps", &err) == EV_OK && bps == 8e6);
    EV_CHECK(ev_testbed_parse_rate(&bps, "500000", &err) == EV_OK && bps == 5e5);
    EV_CHECK(ev_testbed_parse_rate(&bps, "none", &err) == EV_OK && bps == 0.0);
    EV_CHECK(ev_testbed_parse_rate(&bps, "1gbits", &err) == EV_EINVAL);
    EV_CHECK(strstr(err.msg, "unknown unit") != NULL);
    EV_CHECK(ev_testbed_parse_rate(&bps, "-1gbit", &err) == EV_EINVAL);
    EV_CHECK(ev_testbed_parse_rate(&bps, "fast", &err) == EV_EINVAL);
    EV_CHECK(ev_testbed_parse_rate(&bps, "1bit", &err) == EV_EINVAL);   /* below 8 kbit */

    /* on/off, integers */
    EV_CHECK(ev_testbed_parse_onoff(&on, "off", &err) == EV_OK && on == 0);
    EV_CHECK(ev_testbed_parse_onoff(&on, "on", &err) == EV_OK && on == 1);
    EV_CHECK(ev_testbed_parse_onoff(&on, "maybe", &err) == EV_EINVAL);
    EV_CHECK(ev_testbed_parse_int(&v, "1276", 576, 65535, "--mtu", &err) == EV_OK && v == 1276);
    EV_CHECK(ev_testbed_parse_int(&v, "100", 576, 65535, "--mtu", &err) == EV_ERANGE);
    EV_CHECK(strstr(err.msg, "--mtu") != NULL);
    EV_CHECK(ev_testbed_parse_int(&v, "15x", 576, 65535, "--mtu", &err) == EV_EINVAL);

    /* platform paths and the paper's aliases */
    EV_CHECK(ev_testbed_parse_platform(&flags, "direct", &err) == EV_OK && flags == 0);
    EV_CHECK(ev_testbed_parse_platform(&flags, "relay", &err) == EV_OK &&
             flags == EV_TESTBED_P_RELAY);
    EV_CHECK(ev_testbed_parse_platform(&flags, "swseg", &err) == EV_OK &&
             flags == EV_TESTBED_P_SWSEG);
    EV_CHECK(ev_testbed_parse_platform(&flags, "swseg+relay", &err) == EV_OK &&
             flags == (EV_TESTBED_P_RELAY | EV_TESTBED_P_SWSEG));
    EV_CHECK(ev_testbed_parse_platform(&flags, "kata", &err) == EV_OK && flags == 0);
    EV_CHECK(ev_testbed_parse_platform(&flags, "unikraft-vhost", &err) == EV_OK &&
             flags == EV_TESTBED_P_SWSEG);
    EV_CHECK(ev_testbed_parse_platform(&flags, "unikraft-virtio", &err) == EV_OK &&
             flags == (EV_TESTBED_P_RELAY | EV_TESTBED_P_SWSEG));
    EV_CHECK(ev_testbed_parse_platform(&flags, "firecracker", &err) == EV_OK &&
             flags == EV_TESTBED_P_RELAY);
    EV_CHECK(ev_testbed_parse_platform(&flags, "linuxvm", &err) == EV_OK &&
             flags == EV_TESTBED_P_RELAY);
    EV_CHECK(ev_testbed_parse_platform(&flags, "vhost", &err) == EV_EINVAL);
    EV_CHECK_STR(ev_testbed_platform_name(0), "direct");
    EV_CHECK_STR(ev_testbed_platform_name(EV_TESTBED_P_SWSEG), "direct+swseg");
    EV_CHECK_STR(ev_testbed_platform_name(EV_TESTBED_P_RELAY | EV_TESTBED_P_SWSEG),
                 "relay+swseg");
    /* 1276 B MTU - 20 IP - 20 TCP - 12 timestamps = the 1224 B lwIP-like segment */
    EV_CHECK(EV_TESTBED_SWSEG_MTU - 20 - 20 - 12 == 1224);

    /* ethtool -k */
    EV_CHECK(ev_testbed_parse_ethtool_k(&off, ethtool_on, &err) == EV_OK);
    EV_CHECK(off.tso == 1 && off.gso == 1 && off.gro == 0);
    EV_CHECK(ev_testbed_parse_ethtool_k(&off, ethtool_off, &err) == EV_OK);
    EV_CHECK(off.tso == 0 && off.gso == 0 && off.gro == 0);
    EV_CHECK(ev_testbed_parse_ethtool_k(&off, "Features for x:\nfoo: on\n", &err) == EV_EPARSE);

    /* ip -j link, tc -j qdisc */
    EV_CHECK(ev_testbed_parse_ip_link_json(&li, ip_json, &err) == EV_OK);
    EV_CHECK(li.mtu == 1276 && li.up == 1);
    EV_CHECK(ev_testbed_parse_ip_link_json(&li, ip_json_down, &err) == EV_OK);
    EV_CHECK(li.mtu == 1500 && li.up == 0);
    EV_CHECK(ev_testbed_parse_ip_link_json(&li, "Device \"x\" does not exist.", &err) ==
             EV_EPARSE);
    EV_CHECK(ev_testbed_parse_ip_link_json(&li, "[]", &err) == EV_EPARSE);
    EV_CHECK(ev_testbed_parse_tc_json(&li, tc_json, &err) == EV_OK);
    EV_CHECK_STR(li.qdisc, "tbf");
    EV_CHECK_NEAR(li.rate_bps, 1e9, 1e-3);
    EV_CHECK(ev_testbed_parse_tc_json(&li, tc_json_noqueue, &err) == EV_OK);
    EV_CHECK_STR(li.qdisc, "noqueue");
    EV_CHECK(li.rate_bps == 0.0);
    EV_CHECK(ev_testbed_parse_tc_json(&li, "{", &err) == EV_EPARSE);
    return ev_test_done();
}
