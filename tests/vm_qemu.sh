#!/bin/sh
# vm_qemu.sh BUILD_GUEST OUTDIR TEST_VM_QEMU - boot the real Linux guest under QEMU/TCG with
# virtio-net on a tap inside a network namespace this script creates (unique names, removed on
# every exit path), then run TEST_VM_QEMU with that namespace's name (its qemu driver starts QEMU
# inside the namespace with the "netns" setting, waits for PONG from there, runs a bounded load
# there and checks per-thread CPU accounting).
# Skips (exit 77) without root, /dev/net/tun, qemu-system-x86_64 or the cloud kernel.
set -u
BUILD=$1; OUT=$2; BIN=$3
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespace and tap)"
[ -c /dev/net/tun ] || skip "/dev/net/tun is missing"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"
command -v ip >/dev/null || skip "ip (iproute2) is not installed"
ls /boot/vmlinuz-*-cloud-amd64 >/dev/null 2>&1 || skip "no /boot/vmlinuz-*-cloud-amd64"

sh "$BUILD" "$OUT" || { echo "FAIL: build-guest.sh failed"; exit 1; }

NS=evvm$$
TAP=evtap$$
cleanup() {
    # QEMU runs in the namespace: kill what is left there, then remove it (and the tap in it)
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$NS" || { echo "FAIL: ip netns add $NS"; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" tuntap add dev "$TAP" mode tap || { echo "FAIL: tuntap add"; exit 1; }
ip -n "$NS" addr add 10.77.0.1/24 dev "$TAP"
ip -n "$NS" link set "$TAP" up
"$BIN" "$OUT" "$TAP" 10.77.0.2 "$NS"
