#!/bin/sh
# rescale_cli: `edgevirt-model rescale` (re-anchoring, issue 13) on real measured runs of the
# one-host testbed: the calibration of 2026-11-25 (data/testbed/2026-11-25/) re-anchored with
# two sizes per platform of the current calibration (data/testbed/, 2026-12-07), then checked on
# every other record of that day it never saw; bad anchors exit 2 naming the file, line and field;
# anchors from another kernel and single-run anchor points are warned about.
# usage: rescale_cli.sh EDGEVIRT_MODEL DATA_DIR TMPDIR
set -u
M=$1 D=$2 T=$3
rm -rf "$T"; mkdir -p "$T"
fail=0
expect() { # STATUS PATTERN CMD... : exit status and a pattern in stdout+stderr
    st=$1 pat=$2; shift 2
    "$@" >"$T/out" 2>&1; rc=$?
    if [ $rc != "$st" ]; then echo "FAILED: $* exited $rc, expected $st" >&2; cat "$T/out" >&2; fail=1; return; fi
    grep -q -- "$pat" "$T/out" || { echo "FAILED: $*: no \"$pat\" in:" >&2; cat "$T/out" >&2; fail=1; return; }
    echo "ok: $*"
}
OLD="$D/testbed/2026-11-25/model.json"
NEW="$D/testbed/model-input.jsonl"
[ -r "$OLD" ] && [ -r "$NEW" ] || { echo "FAILED: $OLD or $NEW missing" >&2; exit 1; }

expect 0 "Re-anchors a calibration" "$M" rescale --help
expect 0 "rescale MODEL" "$M" --help
expect 2 "MODEL.json is required" "$M" rescale --anchors "$NEW" -o "$T/x.json"
expect 2 "anchors RUNS.jsonl is required" "$M" rescale "$OLD" -o "$T/x.json"
expect 2 "-o NEW.json is required" "$M" rescale "$OLD" --anchors "$NEW"
expect 2 "anchor-sd: must be a fraction" "$M" rescale "$OLD" --anchors "$NEW" -o "$T/x.json" --anchor-sd 2

# bad anchors: another platform id (file, line, field), no usable record, malformed line
jq -c 'select(.status == "ok")' "$NEW" | head -3 > "$T/other.jsonl"
jq -c 'select(.status == "ok") | .platform.id = "kata"' "$NEW" | head -1 >> "$T/other.jsonl"
expect 2 "other.jsonl:4: platform.id: \"kata\" is not a platform of model" \
    "$M" rescale "$OLD" --anchors "$T/other.jsonl" -o "$T/x.json"
[ ! -e "$T/x.json" ] && echo "ok: nothing written on a bad anchor" || { echo "FAILED: wrote $T/x.json" >&2; fail=1; }
jq -c 'select(.status == "ok") | .status = "failed" | .error = "injected" | del(.result)' "$NEW" | head -2 > "$T/failed.jsonl"
expect 2 "failed.jsonl: no usable anchor record" "$M" rescale "$OLD" --anchors "$T/failed.jsonl" -o "$T/x.json"
: > "$T/empty.jsonl"
expect 2 "empty.jsonl:1: no usable anchor record" "$M" rescale "$OLD" --anchors "$T/empty.jsonl" -o "$T/x.json"
head -1 "$NEW" > "$T/cut.jsonl"; printf '{"schema":"edgevirt.run/1",\n' >> "$T/cut.jsonl"
expect 2 "cut.jsonl: line 2" "$M" rescale "$OLD" --anchors "$T/cut.jsonl" -o "$T/x.json"
expect 2 "absent.jsonl" "$M" rescale "$OLD" --anchors "$T/absent.jsonl" -o "$T/x.json"

# anchors: two sizes per platform (256 B and 16384 B GET at the larger MTU), two repeats each
jq -c 'select(.status == "ok" and .workload.op == "GET" and (.workload.value_size == 256 or
        .workload.value_size == 16384) and .network.mtu >= 1276 and .repeat <= 1)' "$NEW" > "$T/anchors.jsonl"
n=$(wc -l < "$T/anchors.jsonl")
[ "$n" -ge 8 ] && echo "ok: $n anchor records" || { echo "FAILED: only $n anchor records" >&2; fail=1; }
expect 0 "tb-relay-swseg" "$M" rescale "$OLD" --anchors "$T/anchors.jsonl" -o "$T/rescaled.json" --name rescaled-test
"$M" validate "$T/rescaled.json" >/dev/null 2>&1 && echo "ok: rescaled model validates" || { echo "FAILED: rescaled model does not validate" >&2; fail=1; }
"$M" rescale "$OLD" --anchors "$T/anchors.jsonl" -o "$T/rescaled2.json" --json > "$T/rep.json" 2>/dev/null || fail=1
v=$(jq '(.platforms | length) == 4 and all(.platforms[]; .anchors >= 2 and .fixed_factor > 0 and .variable_factor > 0
        and .factor_sd > 0 and .anchor_rps_mape_after <= .anchor_rps_mape_before)' "$T/rep.json")
[ "$v" = true ] && echo "ok: --json report: 4 platforms, anchors' error not worse" || { echo "FAILED: --json report" >&2; cat "$T/rep.json" >&2; fail=1; }
# the client round trip: today's faster client lowers it to the anchors' Little's-law bound,
# min over the anchors of (clients * pipeline - busy) / rps
bound=$(jq -s 'map((.workload.clients * (.workload.pipeline // 1) - (.cpu.user + .cpu.system + .cpu.softirq
        + .cpu.guest) / 100) / .result.rps) | min' "$T/anchors.jsonl")
v=$(jq --argjson b "$bound" '.client_rtt_before_s == 0.0005 and (.client_rtt_s - $b | fabs) < 1e-9' "$T/rep.json")
[ "$v" = true ] && echo "ok: client rtt 0.0005 s lowered to the anchors' bound $bound s" ||
    { echo "FAILED: client rtt not the anchors' bound $bound:" >&2; cat "$T/rep.json" >&2; fail=1; }
expect 0 "client rtt 0.0005 s -> " "$M" rescale "$OLD" --anchors "$T/anchors.jsonl" -o "$T/rescaled3.json"

# the point: on every record of the new day that is not an anchor, the re-anchored model is
# closer than the old calibration (mean |error| of RPS over the gateway-bound runs)
jq -c 'select(.status == "ok" and ((.workload.value_size == 256 or .workload.value_size == 16384)
        and .workload.op == "GET" and .network.mtu >= 1276 and .repeat <= 1 | not))' "$NEW" > "$T/unseen.jsonl"
mape() { # MODEL: RPS MAPE against the means of repeats, gateway-bound runs
    "$M" score "$1" "$T/unseen.jsonl" --min-busy 90 --json 2>/dev/null |
        jq '[.summary[] | select(.platform == null)][0].vs_mean_of_repeats.rps_mape_pct'
}
before=$(mape "$OLD") after=$(mape "$T/rescaled.json")
echo "unseen records of the current calibration day: RPS MAPE old calibration $before %, re-anchored $after %"
awk -v b="$before" -v a="$after" 'BEGIN { exit !(a + 0 > 0 && a + 0 < b + 0) }' &&
    echo "ok: re-anchoring lowers the error on unseen records" || { echo "FAILED: re-anchoring did not help ($before -> $after)" >&2; fail=1; }
# covariance widened: the rescaled model's 95 % interval is not narrower relative to its value
# (the testbed's conditions: no link limit, 20 clients; tb-relay GET 1 KB is CPU-bound)
w() { "$M" predict --model "$1" --op GET --size 1024 --link-rate 0 --clients 20 --json 2>/dev/null |
        jq '[.predictions[] | select(.platform == "tb-relay") | (.rps_hi - .rps_lo) / .rps][0]'; }
awk -v o="$(w "$OLD")" -v n="$(w "$T/rescaled.json")" 'BEGIN { exit !(n + 0 >= o + 0 && n + 0 > 0) }' &&
    echo "ok: relative interval widened" || { echo "FAILED: interval not widened" >&2; fail=1; }

# where the anchors ran: the 2026-12-06 calibration (kernel 6.18.44-fc-v1300, its model's
# "hosts") re-anchored with runs of 2026-11-25 (kernel 6.18.44-fc-v657) warns that the host
# changed; with runs of 2026-12-07 (the same kernel) it does not; a model written before
# edgevirt recorded hosts (2026-11-25's) cannot tell (null)
H="$D/testbed/2026-12-06/model.json"
jq -c 'select(.status == "ok" and .workload.op == "GET" and (.workload.value_size == 256 or
        .workload.value_size == 16384) and .network.mtu >= 1276 and .repeat <= 1)' \
    "$D/testbed/2026-11-25/model-input.jsonl" > "$T/old-anchors.jsonl"
expect 0 "another host than the model's records (kernel 6.18.44-fc-v657 (anchors) vs 6.18.44-fc-v1300 (model))" \
    "$M" rescale "$H" --anchors "$T/old-anchors.jsonl" -o "$T/h1.json"
v=$("$M" rescale "$H" --anchors "$T/old-anchors.jsonl" -o "$T/h1.json" --json 2>/dev/null |
    jq '.host_changed == true and (.host_difference | test("^kernel 6.18.44-fc-v657 "))')
[ "$v" = true ] && echo "ok: --json host_changed true with the difference" || { echo "FAILED: host_changed" >&2; fail=1; }
v=$(jq '[.hosts[].kernel] | sort == ["6.18.44-fc-v1300", "6.18.44-fc-v657"]' "$T/h1.json")
[ "$v" = true ] && echo "ok: the rescaled model records the model's and the anchors' hosts" || { echo "FAILED: hosts of the rescaled model" >&2; fail=1; }
"$M" rescale "$H" --anchors "$T/anchors.jsonl" -o "$T/h2.json" --json > "$T/h2rep.json" 2> "$T/h2err" || fail=1
v=$(jq '.host_changed == false and (has("host_difference") | not) and
        all(.platforms[]; .min_runs_per_point == 2)' "$T/h2rep.json")
[ "$v" = true ] && ! grep -q "another host" "$T/h2err" && echo "ok: same kernel: no host warning, 2 runs per point" ||
    { echo "FAILED: same-host anchors:" >&2; cat "$T/h2rep.json" "$T/h2err" >&2; fail=1; }
v=$(jq '.host_changed == null' "$T/rep.json")
[ "$v" = true ] && echo "ok: a model without hosts: host_changed null" || { echo "FAILED: host_changed of a model without hosts" >&2; fail=1; }
# one run per anchor point: warned, per platform
jq -c 'select(.repeat == 0)' "$T/anchors.jsonl" > "$T/single.jsonl"
expect 0 "tb-relay: an anchor point has one run" "$M" rescale "$H" --anchors "$T/single.jsonl" -o "$T/h3.json"
exit $fail
