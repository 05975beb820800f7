#!/bin/sh
# calib_quick: scripts/calibrate-testbed.sh --quick on the real testbed (root; skips with 77
# otherwise), then checks what it recorded: 8 ok points (tb-direct, tb-relay x 64 B, 16 KB x SET
# x 2 repeats), per-process accounting (the relay as VMM user/system on tb-relay only, redis as
# the guest on both), the gateway veth's counters, and a model input file that loads.
# usage: calib_quick.sh SOURCE_DIR BUILD_DIR OUT_DIR
set -u
src=$1 build=$2 out=$3
rm -rf "$out"
# its own testbed prefix, so that it never touches a calibration running on the default "ev"
sh "$src/scripts/calibrate-testbed.sh" --quick --build "$build" --out "$out" --prefix evcq
rc=$?
[ $rc = 77 ] && exit 77
if [ $rc != 0 ]; then
    echo "calib_quick: calibrate-testbed.sh --quick exited $rc" >&2
    exit 1
fi
fail=0
check() { # DESCRIPTION JQ-EXPRESSION (over the array of records) -> must print true
    v=$(jq -s "$2" "$out/runs.jsonl")
    if [ "$v" = true ]; then echo "ok: $1"; else echo "FAILED: $1 (got $v)" >&2; fail=1; fi
}
check "8 records, all ok" 'length == 8 and all(.status == "ok")'
check "points of both platforms, both sizes, 2 repeats" \
      '[.[] | .point] | sort == (["quick/tb-direct/SET/16384/c20/P1/r0","quick/tb-direct/SET/16384/c20/P1/r1","quick/tb-direct/SET/64/c20/P1/r0","quick/tb-direct/SET/64/c20/P1/r1","quick/tb-relay/SET/16384/c20/P1/r0","quick/tb-relay/SET/16384/c20/P1/r1","quick/tb-relay/SET/64/c20/P1/r0","quick/tb-relay/SET/64/c20/P1/r1"])'
check "redis-server accounted as the guest on every point" \
      'all(.threads.basis == "process+guest" and (.threads.vcpu_user + .threads.vcpu_system) > 0)'
check "the relay accounted as the VMM on tb-relay, no VMM process on tb-direct" \
      'all(if .platform.id == "tb-relay" then (.threads.vmm_user + .threads.vmm_system) > 0 else (.threads.vmm_user + .threads.vmm_system) == 0 end)'
check "the gateway veth counted: at least one packet per request each way" \
      'all(.packets.instance.ifname == "evg0" and .packets.instance.rx_packets >= .workload.requests and .packets.instance.tx_packets >= .workload.requests)'
check "emulation, path and quota recorded" \
      'all((.platform.version | test("gateway quota 0.3 core")) and ((.platform.id == "tb-relay") == (.platform.driver_path == "virtio")))'
v=$(jq -s 'all(.cpu.basis == "process/quota 0.3" and .cpu.softirq == 0)' "$out/model-input.jsonl")
[ "$v" = true ] && echo "ok: model-input.jsonl CPU basis" || { echo "FAILED: model-input.jsonl CPU basis" >&2; fail=1; }
"$build/model/edgevirt-model" validate "$out/model-input.jsonl" || fail=1
# the testbed is down again (teardown ran)
if ip netns list 2>/dev/null | grep -q "^evcqgateway"; then
    echo "FAILED: the testbed is still up after the script" >&2
    fail=1
fi
exit $fail
