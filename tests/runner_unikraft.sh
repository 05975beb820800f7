#!/bin/sh
# runner_unikraft.sh IMAGE EDGEVIRT_MEASURE EDGEVIRT_LOAD - the real-unikernel test of the
# runner: `edgevirt-measure run` on the qemu "unikraft-virtio" platform (the Redis unikernel of
# scripts/build-unikraft.sh, Unikraft 0.16.2 + lwIP + musl + Redis 7.0.11, under QEMU with TCG,
# virtio-net on a tap, vhost=off), inside a network namespace and a tap this script creates
# (unique names, removed on every exit path). The driver builds the kernel arguments itself
# (netdev.ip=..., Redis's --port/--protected-mode/--save): the spec gives no "append".
# Checks: status ok, RPS > 0, the vCPU thread's CPU > 0 labelled "tcg", the tap's counters in
# the instance role, platform meta (unikraft-virtio, virtio, lwip, offload false), Redis 7.0.11
# read over INFO; and that lwIP sends 16 KB GET replies in MTU-sized segments (mean packet from
# the guest below 1500 B), the study's mechanism.
# Skips (exit 77) without root, /dev/net/tun, qemu-system-x86_64, jq, or the image
# (EV_UNIKRAFT_IMAGE or IMAGE; build it: see docs/unikraft.md).
set -u
IMG=${EV_UNIKRAFT_IMAGE:-$1}; M=$2; L=$3
. "$(dirname "$0")/runner_lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (network namespace and tap)"
[ -c /dev/net/tun ] || skip "/dev/net/tun is missing"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"
command -v ip >/dev/null || skip "ip (iproute2) is not installed"
command -v jq >/dev/null || skip "jq is not installed"
[ -f "$IMG" ] || skip "the Redis unikernel $IMG is not built (sh scripts/unikraft-sources.sh SRC [GIT_ROOT] && sh scripts/build-unikraft.sh -o build-unikraft SRC; or set EV_UNIKRAFT_IMAGE)"

NS=evuk$$
TAP=evut$$
T=$(mktemp -d /tmp/edgevirt-runner-uk-XXXXXX)
cleanup() {
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$NS" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$NS" || { echo "FAIL: ip netns add $NS"; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" tuntap add dev "$TAP" mode tap || { echo "FAIL: tuntap add"; exit 1; }
ip -n "$NS" addr add 10.79.0.1/24 dev "$TAP"
ip -n "$NS" link set "$TAP" up

cat >"$T/spec.json" <<JSON
{"schema": "edgevirt.spec/1", "name": "unikraft-virtio (TCG) in a test namespace",
 "platforms": [{"id": "unikraft-virtio", "settings": {"driver": "qemu", "flavour": "unikraft-virtio",
   "kernel": "$IMG", "mem_mib": 128, "tap": "$TAP", "accel": "tcg", "cpu": "max",
   "host": "10.79.0.2", "port": 6379, "workdir": "$T"}}],
 "workload": {"ops": ["SET", "GET"], "value_sizes": [64, 16384], "clients": 5, "requests": 1000, "warmup_s": 0.5},
 "repeats": 1, "restart": "per_point",
 "gateway": {"interfaces": [{"name": "$TAP", "role": "instance"}, {"name": "lo", "role": "other"}]},
 "client": {"timeout_s": 60},
 "timeouts": {"ready_s": 60, "stop_s": 5}}
JSON
R="$T/runs.jsonl"
# This unikernel stalls for good in about a third of its boots under 4-16 KB load
# (docs/unikraft.md): a fresh boot per point and, as data/unikraft-tcg did, up to 4 runs of the
# same command (resume retries the failed points; their failed records stay in the file).
try=0
while :; do
    try=$((try + 1))
    ip netns exec "$NS" "$M" run "$T/spec.json" -o "$R" --load "$L" 2>"$T/err"; rc=$?
    cat "$T/err"
    [ $rc = 0 ] || [ $try -ge 4 ] && break
    echo "run $try: some points failed (the stall); resuming"
done
[ $rc = 0 ] && ok || bad "run exited $rc after $try runs"
[ "$(count "$R" 'select(.status=="ok")')" = 4 ] && ok || bad "expected 4 ok records: $(jq -c '.error' "$R" 2>/dev/null)"
[ "$(count "$R" 'select(.status=="ok" and .result.rps > 0)')" = 4 ] && ok || bad "RPS must be > 0"
[ "$(count "$R" 'select(.status=="ok" and .threads.basis=="tcg" and .threads.vcpu_user > 0 and .threads.vcpu_guest == 0)')" = 4 ] && ok || bad "vCPU thread CPU (tcg): $(jq -c .threads "$R")"
[ "$(count "$R" "select(.status==\"ok\" and .packets.instance.ifname==\"$TAP\" and .packets.instance.rx_packets > 1000 and .packets.instance.tx_packets > 1000)")" = 4 ] && ok || bad "tap counters: $(jq -c .packets "$R")"
[ "$(count "$R" 'select(.status=="ok" and .platform.id=="unikraft-virtio" and .platform.driver_path=="virtio" and .platform.stack=="lwip" and .platform.offload == false)')" = 4 ] && ok || bad "platform meta: $(jq -c .platform "$R")"
[ "$(count "$R" 'select(.status=="ok" and .versions.redis == "7.0.11")')" = 4 ] && ok || bad "redis version: $(jq -c .versions "$R")"
# lwIP has no TSO: a 16 KB reply leaves the guest in MTU-sized segments. The tap's rx side is
# what the guest sent (the tap is the host end).
[ "$(count "$R" 'select(.status=="ok" and .workload.op=="GET" and .workload.value_size==16384 and (.packets.instance.rx_bytes / .packets.instance.rx_packets) < 1500 and (.packets.instance.rx_bytes / .packets.instance.rx_packets) > 600)')" = 1 ] && ok || bad "16 KB GET: mean packet from the guest should be MTU-sized: $(jq -c 'select(.workload.op=="GET") | .packets.instance' "$R")"
jq -c 'select(.status=="ok") | {point, rps: .result.rps, vcpu_user: .threads.vcpu_user, tap_rx_B_per_pkt: (.packets.instance.rx_bytes / .packets.instance.rx_packets), tap_tx_B_per_pkt: (.packets.instance.tx_bytes / .packets.instance.tx_packets)}' "$R"
finish
