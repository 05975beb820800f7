#!/bin/sh
# validate-testbed.sh - score calibrations on a day's validation runs (issue 13, docs/calibration.md
# "Re-anchoring"): unseen sizes and MTUs (DAY/validation/) and measured mixes (DAY/mixes/), each
# model as fitted and re-anchored with two points per platform measured that day.
#
# usage: scripts/validate-testbed.sh [--build DIR] [--anchors FILE] DAY TAG=MODEL...
#   DAY        a folder with validation/model-input.jsonl (the validation sweep: validate/... and
#              validate-mtu9000/... points) and mixes/model-input.jsonl (the mixes sweep)
#   TAG=MODEL  a model file to score, named TAG in the output files (e.g. 2026-12-06=path.json)
#   --anchors FILE  the anchor points measured apart, before the validation (e.g. DAY/anchors/
#              model-input.jsonl of data/specs/testbed-anchors.json): every ok record of FILE is
#              the "every repeat" set and its repeat 0 the "1 run" set, instead of the GET 256 B
#              and 16384 B records of the validation sweep; the unseen set stays the same
# Writes (atomically, each file whole):
#   DAY/validation/anchors.jsonl  GET 256 B and GET 16384 B at MTU 1500 (the swseg paths: 1276),
#                                 repeat 0: two records per platform
#   DAY/validation/anchors-all-repeats.jsonl  the same two points, every repeat (one run of each
#                                 in each block of the sweep: the host's drift averages out)
#   DAY/validation/unseen.jsonl   what the calibration never measured: the validate/ sizes other
#                                 than 256 and 16384 B, and every validate-mtu9000/ record
#   DAY/validation/model-TAG-reanchored[-all].json, rescale-TAG[-all].txt   edgevirt-model rescale
#   DAY/validation/score-unseen-TAG[-reanchored].txt, DAY/mixes/score-TAG[-reanchored].txt
#   DAY/validation/summary.md     RPS MAPE and worst CPU error against the means of the repeats
# Exit status: 0, 1 a step failed, 2 usage.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"
afile=
while :; do
    case "${1:-}" in
    --build) build=${2:?--build needs a folder}; shift 2 ;;
    --anchors) afile=${2:?--anchors needs a file}; shift 2 ;;
    *) break ;;
    esac
done
case "${1:-}" in -h|--help|'') sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; [ -n "${1:-}" ]; exit $? ;; esac
day=$1; shift
[ $# -ge 1 ] || { echo "validate-testbed.sh: give at least one TAG=MODEL" >&2; exit 2; }
M="$build/model/edgevirt-model"
[ -x "$M" ] || { echo "validate-testbed.sh: $M not built" >&2; exit 1; }
V="$day/validation" X="$day/mixes"
for f in "$V/model-input.jsonl" "$X/model-input.jsonl"; do
    [ -r "$f" ] || { echo "validate-testbed.sh: cannot read $f" >&2; exit 2; }
done
put() { mv "$1.tmp" "$1"; }   # the file appears whole or not at all
anchor='.status == "ok" and (.point | startswith("validate/")) and .workload.op == "GET"
        and (.workload.value_size == 256 or .workload.value_size == 16384)'
if [ -n "$afile" ]; then
    [ -r "$afile" ] || { echo "validate-testbed.sh: cannot read $afile" >&2; exit 2; }
    anchor='.status == "ok"' src=$afile
else
    src=$V/model-input.jsonl
fi
jq -c "select($anchor and .repeat == 0)" "$src" > "$V/anchors.jsonl.tmp" && put "$V/anchors.jsonl"
jq -c "select($anchor)" "$src" > "$V/anchors-all-repeats.jsonl.tmp" &&
    put "$V/anchors-all-repeats.jsonl"
jq -c 'select(.status == "ok" and ((.point | startswith("validate-mtu9000/")) or
        (.workload.value_size != 256 and .workload.value_size != 16384)))' \
    "$V/model-input.jsonl" > "$V/unseen.jsonl.tmp" && put "$V/unseen.jsonl"
fig() { # SCORE-JSON -> "RPS % / CPU pp"
    jq -r '[.summary[] | select(.platform == null)][0].vs_mean_of_repeats
           | "\(.rps_mape_pct * 100 | round / 100) % / \(.cpu_mae_max_pp * 100 | round / 100) pp"' "$1"
}
score() { # MODEL RUNS OUT.txt -> prints the figure
    "$M" score "$1" "$2" --min-busy 90 > "$3.tmp" 2>&1 && put "$3"
    "$M" score "$1" "$2" --min-busy 90 --json 2>/dev/null > "$3.json.tmp" && fig "$3.json.tmp"
    rm -f "$3.json.tmp"
}
{
    echo "| model | unseen sizes + MTU (RPS MAPE / CPU worst) | measured mixes |"
    echo "|---|---|---|"
    for tm in "$@"; do
        tag=${tm%%=*} mod=${tm#*=}
        [ -r "$mod" ] || { echo "validate-testbed.sh: cannot read $mod" >&2; exit 2; }
        echo "| $tag, as fitted | $(score "$mod" "$V/unseen.jsonl" "$V/score-unseen-$tag.txt") | $(score "$mod" "$X/model-input.jsonl" "$X/score-$tag.txt") |"
        "$M" rescale "$mod" --anchors "$V/anchors.jsonl" -o "$V/model-$tag-reanchored.json" \
            --name "$tag-reanchored" > "$V/rescale-$tag.txt.tmp" && put "$V/rescale-$tag.txt"
        r="$V/model-$tag-reanchored.json"
        echo "| $tag, re-anchored (2 points per platform, 1 run each) | $(score "$r" "$V/unseen.jsonl" "$V/score-unseen-$tag-reanchored.txt") | $(score "$r" "$X/model-input.jsonl" "$X/score-$tag-reanchored.txt") |"
        "$M" rescale "$mod" --anchors "$V/anchors-all-repeats.jsonl" -o "$V/model-$tag-reanchored-all.json" \
            --name "$tag-reanchored-all" > "$V/rescale-$tag-all.txt.tmp" && put "$V/rescale-$tag-all.txt"
        r="$V/model-$tag-reanchored-all.json"
        echo "| $tag, re-anchored (2 points per platform, every repeat) | $(score "$r" "$V/unseen.jsonl" "$V/score-unseen-$tag-reanchored-all.txt") | $(score "$r" "$X/model-input.jsonl" "$X/score-$tag-reanchored-all.txt") |"
    done
} > "$V/summary.md.tmp"
put "$V/summary.md"
cat "$V/summary.md"
