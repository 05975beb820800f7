#!/bin/sh
# measure-unikraft-tcg.sh IMAGE OUT - the Redis unikernel (unikraft-virtio) beside the Linux VM
# (linuxvm), both under QEMU with TCG on this machine, GET and SET 64 B .. 16 KB, through
# `edgevirt-measure run` (records written as they are measured; run it again to resume).
#   IMAGE  the unikernel of scripts/build-unikraft.sh (OUT/redis_qemu-x86_64 there)
#   OUT    results folder: OUT/spec.json, OUT/runs.jsonl, OUT/guest/ (the Linux guest),
#          OUT/host.txt (host and versions), OUT/report/ (edgevirt-report plot)
# Both guests sit on their own tap in one network namespace this script creates (removed on
# exit); the runner, QEMU and edgevirt-load run inside it, so the client and both guests share
# the machine's 2 cores as the study's client and gateway did not (see data/unikraft-tcg/).
# Env: EV_BIN (build/ binaries, default build), REQUESTS (5000), REPEATS (3).
# Every point boots its guest afresh ("restart": "per_point"): the unikernel stalls for good
# after some 40k 8 KB SETs on one boot (docs/unikraft.md, "What the real unikernel showed").
set -eu
IMG=${1:?usage: measure-unikraft-tcg.sh IMAGE OUT}; OUT=${2:?usage: measure-unikraft-tcg.sh IMAGE OUT}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${EV_BIN:-build}
M=$ROOT/$BIN/measure/runner/edgevirt-measure; L=$ROOT/$BIN/measure/load/edgevirt-load
REP=$ROOT/$BIN/plots/report/edgevirt-report
[ -f "$IMG" ] || { echo "measure-unikraft-tcg.sh: $IMG: no such image" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "measure-unikraft-tcg.sh: needs root (namespace, taps)" >&2; exit 2; }
IMG=$(cd "$(dirname "$IMG")" && pwd)/$(basename "$IMG")
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
sh scripts/build-guest.sh "$OUT/guest" >/dev/null
NS=evukm; TU=evuk0; TL=evlv0
cleanup() {
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$NS" 2>/dev/null || true
}
cleanup
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$NS"; ip -n "$NS" link set lo up
ip -n "$NS" tuntap add dev "$TU" mode tap; ip -n "$NS" addr add 10.81.0.1/24 dev "$TU"; ip -n "$NS" link set "$TU" up
ip -n "$NS" tuntap add dev "$TL" mode tap; ip -n "$NS" addr add 10.82.0.1/24 dev "$TL"; ip -n "$NS" link set "$TL" up
cat >"$OUT/spec.json" <<JSON
{"schema": "edgevirt.spec/1",
 "name": "unikraft-virtio beside linuxvm, both QEMU TCG, one 2-core host (issue 14)",
 "platforms": [
  {"id": "unikraft-virtio", "settings": {"driver": "qemu", "flavour": "unikraft-virtio",
    "kernel": "$IMG", "mem_mib": 128, "tap": "$TU", "accel": "tcg", "cpu": "max",
    "host": "10.81.0.2", "port": 6379, "workdir": "$OUT/work"}},
  {"id": "linuxvm", "settings": {"driver": "qemu", "flavour": "linuxvm",
    "kernel": "$OUT/guest/vmlinuz", "initrd": "$OUT/guest/initramfs.cpio.gz",
    "append": "console=ttyS0 panic=1 ev_ip=10.82.0.2/24", "mem_mib": 256, "tap": "$TL",
    "accel": "tcg", "host": "10.82.0.2", "port": 6379, "workdir": "$OUT/work"}}],
 "workload": {"ops": ["SET", "GET"], "value_sizes": [64, 256, 1024, 4096, 8192, 16384],
   "clients": 10, "requests": ${REQUESTS:-5000}, "warmup_s": 1},
 "repeats": ${REPEATS:-3},
 "restart": "per_point",
 "gateway": {"interfaces": [{"name": "$TU", "role": "instance"}, {"name": "$TL", "role": "other"},
   {"name": "lo", "role": "other"}]},
 "client": {"timeout_s": 60},
 "timeouts": {"ready_s": 90, "stop_s": 10}}
JSON
mkdir -p "$OUT/work"
{
    echo "host: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(nproc) CPUs"
    echo "qemu: $(qemu-system-x86_64 --version | head -1)"
    echo "linux guest kernel: $(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -1) (scripts/build-guest.sh takes the newest)"
    echo "linux guest redis: $(redis-server --version)"
    echo "unikernel: $IMG (build-info.json beside it)"
    echo "measured: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$OUT/host.txt"
[ -f "$(dirname "$IMG")/build-info.json" ] && cp "$(dirname "$IMG")/build-info.json" "$OUT/build-info.json"
# the instance role counts the tap of the platform under test: run one platform at a time
for plat in unikraft-virtio linuxvm; do
    tap=$TU; [ "$plat" = linuxvm ] && tap=$TL
    jq --arg p "$plat" --arg t "$tap" '.platforms |= map(select(.id == $p)) |
        .gateway.interfaces = [{"name": $t, "role": "instance"}, {"name": "lo", "role": "other"}]' \
        "$OUT/spec.json" >"$OUT/spec-$plat.json"
    # failed points (exit 1) are recorded too; go on with the next platform
    ip netns exec "$NS" "$M" run "$OUT/spec-$plat.json" -o "$OUT/runs.jsonl" --load "$L" ||
        echo "measure-unikraft-tcg.sh: $plat: some points failed (recorded; run again to retry them)" >&2
done
"$REP" plot "$OUT/runs.jsonl" --out "$OUT/report" >/dev/null 2>&1 || echo "edgevirt-report failed (see $OUT/report)" >&2
echo "$OUT/runs.jsonl"
