#!/bin/sh
# report_mix_drift: edgevirt-report plot on measured mixes and drift anchors (issue 13).
# Fixtures: real runs of edgevirt-measure on this machine's loopback (native redis-server,
# 2026-12-06): loopback_mix.jsonl (workload.mixes of data/profiles/mixed.json and
# small-message.json) and loopback_anchor.jsonl (workload.anchor GET 1024 every 2 points).
# With data/testbed/mixes/ present (the testbed's measured mixes), also the model's prediction
# beside the measurement.
# usage: report_mix_drift.sh EDGEVIRT_REPORT FIXTURES_DIR DATA_DIR TMPDIR
set -u
R=$1 F=$2 D=$3 T=$4
rm -rf "$T"; mkdir -p "$T"
fail=0
bad() { echo "FAILED: $*" >&2; fail=1; }
"$R" plot "$F/loopback_mix.jsonl" "$F/loopback_anchor.jsonl" --out "$T/a" --no-render >"$T/a.out" 2>&1 || bad "plot exited $?: $(cat "$T/a.out")"
grep -q '2 measured mix records (workload.op "MIX") in 2 rows' "$T/a.out" && echo "ok: mix note" || bad "no mix note: $(cat "$T/a.out")"
grep -q 'id="mixes"' "$T/a/index.html" && grep -q '<td>mixed</td>' "$T/a/index.html" && grep -q '<td>small-message</td>' "$T/a/index.html" &&
    echo "ok: mixes table" || bad "no mixes table in index.html"
grep -q 'Run with <code>--model FILE</code>' "$T/a/index.html" && echo "ok: no model: says how" || bad "mixes table without model hint"
# mixes are not on the GET/SET curves: the rps chart data has no 1120 B (mixed's mean) point
! grep -qs '^1120 ' "$T/a/rps_get.dat" && echo "ok: mixes not on the curves" || bad "a mix landed on the GET curve"
[ -s "$T/a/drift.dat" ] && [ -s "$T/a/drift.gp" ] && grep -q 'id="drift"' "$T/a/index.html" &&
    echo "ok: drift chart" || bad "no drift chart"
# 6 anchors of one platform; the first is 100 %
awk '!/^#/ && NF >= 2 { if (!seen++) first = $2 } END { exit !(first == 100) }' "$T/a/drift.dat" &&
    echo "ok: drift starts at 100 %" || bad "drift does not start at 100 %"
M="$D/testbed/mixes/model-input.jsonl"
if [ -r "$M" ]; then
    "$R" plot "$M" --model "$D/testbed/model.json" --out "$T/b" --no-render >"$T/b.out" 2>&1 || bad "plot --model exited $?: $(cat "$T/b.out")"
    v=$(grep -c '<td class="n">[+-][0-9.]*</td></tr>' "$T/b/index.html")
    [ "$v" -ge 4 ] && echo "ok: $v mix rows with a predicted error" || bad "testbed mixes: $v rows with an error"
else
    echo "note: $M absent: the model-beside-measured check is skipped"
fi
exit $fail
