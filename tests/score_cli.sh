#!/bin/sh
# score_cli: `edgevirt-model score` (a model against records, nothing refitted) and
# `edgevirt-model inputs --derive-acks` (pure-ACK inputs from packet counters) on the testbed's
# real measured runs (data/testbed/), issue 13.
# usage: score_cli.sh EDGEVIRT_MODEL DATA_DIR TMPDIR
set -u
M=$1 D=$2 T=$3
rm -rf "$T"; mkdir -p "$T"
fail=0
expect() { # STATUS PATTERN CMD...
    st=$1 pat=$2; shift 2
    "$@" >"$T/out" 2>&1; rc=$?
    if [ $rc != "$st" ]; then echo "FAILED: $* exited $rc, expected $st" >&2; cat "$T/out" >&2; fail=1; return; fi
    grep -q -- "$pat" "$T/out" || { echo "FAILED: $*: no \"$pat\" in:" >&2; cat "$T/out" >&2; fail=1; return; }
    echo "ok: $*"
}
R="$D/testbed/model-input.jsonl" MOD="$D/testbed/model.json" RAW="$D/testbed/runs.jsonl"
expect 0 "Scores a model on run records" "$M" score --help
expect 2 "MODEL.json and at least one RUNS.jsonl" "$M" score "$MOD"
expect 2 "exclude each other" "$M" score "$MOD" "$R" --json --csv
expect 2 "min-busy: must be a percentage" "$M" score "$MOD" "$R" --min-busy x
expect 2 "absent.jsonl" "$M" score "$MOD" "$T/absent.jsonl"
jq -c '.platform.id = "nosuch"' "$R" > "$T/other.jsonl"
expect 2 "no usable record .* of a platform of model" "$M" score "$MOD" "$T/other.jsonl"
expect 0 "all (no refit)" "$M" score "$MOD" "$R" --min-busy 90
# JSON: every usable record once, scheme "score", summaries with the noise floor
"$M" score "$MOD" "$R" --json > "$T/s.json" || fail=1
n=$(jq -c 'select(.status == "ok")' "$R" | wc -l)
v=$(jq --argjson n "$n" '.by == "score" and (.points | length) == $n and all(.points[]; .scheme == "score" and .predicted)
        and ([.summary[] | select(.platform == null)][0] | .rps_mape_pct > 0 and .repeat_scatter.rps_pct > 0
             and .vs_mean_of_repeats.rps_mape_pct <= .rps_mape_pct)' "$T/s.json")
[ "$v" = true ] && echo "ok: score --json ($n points)" || { echo "FAILED: score --json shape" >&2; fail=1; }
# a model scored on the records it was fitted to agrees with the fit's own residuals: small
m=$(jq '[.summary[] | select(.platform == null)][0].vs_mean_of_repeats.rps_mape_pct' "$T/s.json")
awk -v m="$m" 'BEGIN { exit !(m + 0 < 25) }' && echo "ok: in-sample MAPE vs means $m %" || { echo "FAILED: in-sample MAPE $m %" >&2; fail=1; }
"$M" score "$MOD" "$R" --csv > "$T/s.csv" || fail=1
[ "$(wc -l < "$T/s.csv")" = $((n + 1)) ] && head -1 "$T/s.csv" | grep -q '^scheme,held_out,platform' && echo "ok: score --csv" || { echo "FAILED: score --csv" >&2; fail=1; }

# inputs --derive-acks: offloading paths ACK once per multi-segment message, software
# segmentation adds ACKs per segment
expect 0 "Derives the platforms' pure-ACK inputs" "$M" inputs --help
expect 2 "derive-acks is required" "$M" inputs "$RAW"
expect 2 "at least one RUNS.jsonl" "$M" inputs --derive-acks
jq -c 'del(.packets)' "$RAW" > "$T/nopk.jsonl"
expect 2 "no ok record with instance packet counters" "$M" inputs "$T/nopk.jsonl" --derive-acks
"$M" inputs "$RAW" --derive-acks --inputs "$D/testbed/inputs.json" -o "$T/inputs.json" 2>"$T/acks.txt" || { echo "FAILED: inputs --derive-acks" >&2; cat "$T/acks.txt" >&2; fail=1; }
cat "$T/acks.txt"
v=$(jq '.schema == "edgevirt.inputs/1" and
        (.platforms["tb-direct"] | .guest_pkt_bytes == 65536 and .ack_pkts_per_msg > 0.9 and .ack_pkts_per_msg < 1.1 and .ack_pkts_per_seg < 0.01) and
        (.platforms["tb-swseg"] | .guest_pkt_bytes == 1276 and .ack_pkts_per_seg > 0.02)' "$T/inputs.json")
[ "$v" = true ] && echo "ok: derived ACK inputs" || { echo "FAILED: derived ACK inputs" >&2; cat "$T/inputs.json" >&2; fail=1; }
# the derived file is a valid inputs file for fit
"$M" fit "$R" --inputs "$T/inputs.json" -o "$T/m.json" >/dev/null 2>"$T/fit.err" && jq -e '.platforms[0].inputs.ack_pkts_per_msg > 0' "$T/m.json" >/dev/null &&
    echo "ok: fit with derived ACK inputs stores them" || { echo "FAILED: fit with derived inputs: $(cat "$T/fit.err")" >&2; fail=1; }
exit $fail
