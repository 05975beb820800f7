#!/bin/sh
# runner_vm.sh BUILD_GUEST GUEST_DIR EDGEVIRT_MEASURE EDGEVIRT_LOAD - the real-VM test of the
# runner: `edgevirt-measure run` on a spec for the qemu "linuxvm" platform (the Linux guest of
# scripts/build-guest.sh under QEMU with TCG, virtio-net on a tap, vhost=off), inside a network
# namespace and a tap this script creates (unique names, removed on every exit path). The runner
# itself runs in the namespace (ip netns exec), so QEMU, the PING, edgevirt-load and the
# sampler's /sys/class/net all see the tap. Checks the run records: status ok, RPS > 0, the
# vCPU thread's CPU > 0 from per-thread accounting labelled "tcg" (guest_time and mpstat's guest
# stay 0 under TCG: the guest's work is never relabelled as guest), the tap's packets in the
# instance role, the platform meta (linuxvm, virtio, linux).
# Skips (exit 77) without root, /dev/net/tun, qemu-system-x86_64, jq or the cloud kernel.
set -u
BUILD=$1; OUT=$2; M=$3; L=$4
. "$(dirname "$0")/runner_lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (network namespace and tap)"
[ -c /dev/net/tun ] || skip "/dev/net/tun is missing"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"
command -v ip >/dev/null || skip "ip (iproute2) is not installed"
command -v jq >/dev/null || skip "jq is not installed"
ls /boot/vmlinuz-*-cloud-amd64 >/dev/null 2>&1 || skip "no /boot/vmlinuz-*-cloud-amd64"

sh "$BUILD" "$OUT" >/dev/null || { echo "FAIL: build-guest.sh failed"; exit 1; }

NS=evrv$$
TAP=evrt$$
T=$(mktemp -d /tmp/edgevirt-runner-vm-XXXXXX)
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
ip -n "$NS" addr add 10.78.0.1/24 dev "$TAP"
ip -n "$NS" link set "$TAP" up

cat >"$T/spec.json" <<JSON
{"schema": "edgevirt.spec/1", "name": "linuxvm (TCG) in a test namespace",
 "platforms": [{"id": "linuxvm", "settings": {"driver": "qemu", "flavour": "linuxvm",
   "kernel": "$OUT/vmlinuz", "initrd": "$OUT/initramfs.cpio.gz",
   "append": "console=ttyS0 panic=1 ev_ip=10.78.0.2/24", "mem_mib": 256, "tap": "$TAP",
   "accel": "tcg", "host": "10.78.0.2", "port": 6379, "workdir": "$T"}}],
 "workload": {"ops": ["SET", "GET"], "value_sizes": [64], "clients": 5, "requests": 2000, "warmup_s": 0.5},
 "repeats": 1,
 "gateway": {"interfaces": [{"name": "$TAP", "role": "instance"}, {"name": "lo", "role": "other"}]},
 "client": {"timeout_s": 60},
 "timeouts": {"ready_s": 60, "stop_s": 5}}
JSON
R="$T/runs.jsonl"
ip netns exec "$NS" "$M" run "$T/spec.json" -o "$R" --load "$L" 2>"$T/err"; rc=$?
cat "$T/err"
[ $rc = 0 ] && ok || bad "run exited $rc"
[ "$(count "$R" 'select(.status=="ok")')" = 2 ] && ok || bad "expected 2 ok records: $(jq -c '.error' "$R" 2>/dev/null)"
[ "$(count "$R" 'select(.result.rps > 0)')" = 2 ] && ok || bad "RPS must be > 0"
[ "$(count "$R" 'select(.threads.basis=="tcg" and .threads.vcpu_user > 0 and .threads.vcpu_guest == 0)')" = 2 ] && ok || bad "vCPU thread CPU (tcg): $(jq -c .threads "$R")"
[ "$(count "$R" 'select(.cpu.basis=="mpstat" and .cpu.guest == 0 and .cpu.user > 0)')" = 2 ] && ok || bad "mpstat guest must stay 0 under TCG: $(jq -c .cpu "$R")"
[ "$(count "$R" "select(.packets.instance.ifname==\"$TAP\" and .packets.instance.rx_packets > 2000 and .packets.instance.tx_packets > 2000)")" = 2 ] && ok || bad "tap counters: $(jq -c .packets "$R")"
[ "$(count "$R" 'select(.platform.id=="linuxvm" and .platform.driver_path=="virtio" and .platform.stack=="linux" and .network.mtu == 1500)')" = 2 ] && ok || bad "platform meta: $(jq -c '[.platform,.network]' "$R")"
[ "$(count "$R" 'select((.versions.redis|length) > 0)')" = 2 ] && ok || bad "redis version missing"
jq -c '{point, rps: .result.rps, threads, cpu_user: .cpu.user, cpu_system: .cpu.system, tap: .packets.instance}' "$R"
finish
