#!/bin/sh
# calib_goal: the cross-validation of the committed testbed calibration (data/testbed/) against
# the goal of issue 13: against the MEAN of each configuration's repeats, RPS MAPE <= 1.2 x the
# repeats' own scatter (mean |run - mean|, the noise floor) and CPU mean absolute error <= 2
# percentage points (worst category), leave-one-size-out and leave-one-MTU-out. Where the goal
# is not met, the figure is held to the ACHIEVED value documented in data/testbed/README.md
# ("Cross-validation") and the gap and its reason are printed: the check is not loosened
# silently, and a change of the data or of the model that makes the validation worse fails.
# Points where the gateway did not use >= 90 % of its quota are not counted (--min-busy 90, as
# scripts/calibrate-testbed.sh does), and the fits use the testbed's platform inputs
# (--inputs DATA_DIR/inputs.json: packet sizes and the pure-ACK inputs).
# usage: calib_goal.sh EDGEVIRT_MODEL DATA_DIR
set -u
M=$1 D=$2
GOAL_CPU=2
# Documented achieved figures (data/testbed/README.md, "Cross-validation"); update both places
# together when the calibration is re-measured or the model changes. 2026-12-07, three MTUs,
# model structure ev-cost/3 (multi-segment steps), client round trip from the records: RPS
# 6.52 % one size out, 6.28 % one MTU out (goal 1.2 x 7.19 = 8.63 %), CPU 1.74 / 1.71 pp (goal
# 2 pp): every goal met, so these only hold the figures against a worse change.
ACH_SIZE_RPS=6.52 ACH_SIZE_CPU=1.74
ACH_MTU_RPS=6.28 ACH_MTU_CPU=1.71
REASON="see data/testbed/README.md, Cross-validation"

out=$("$M" crossval "$D/model-input.jsonl" --by both --min-busy 90 --inputs "$D/inputs.json" --json) || { echo "crossval failed" >&2; exit 1; }
fail=0
check() { # SCHEME FIELD GOAL ACHIEVED UNIT (against the means of the repeats)
    v=$(printf '%s' "$out" | jq -r --arg s "$1" --arg f "$2" \
        '.summary[] | select(.scheme == $s and .platform == null) | .vs_mean_of_repeats[$f]')
    n=$(printf '%s' "$out" | jq -r --arg s "$1" \
        '.summary[] | select(.scheme == $s and .platform == null) | "\(.predicted)/\(.points)"')
    if awk -v v="$v" -v g="$3" 'BEGIN { exit !(v != "null" && v + 0 <= g + 0) }'; then
        echo "ok: leave-one-$1-out $2 = $v $5 <= goal $3 $5 ($n points counted)"
    elif awk -v v="$v" -v a="$4" 'BEGIN { exit !(v != "null" && v + 0 <= a + 0.005) }'; then
        echo "GOAL NOT MET: leave-one-$1-out $2 = $v $5 > goal $3 $5 ($n points counted);" \
             "held to the documented achieved figure $4 $5. Reason: $REASON"
    else
        echo "FAILED: leave-one-$1-out $2 = $v $5: worse than the documented $4 $5 (goal $3 $5)" >&2
        fail=1
    fi
}
scatter() { printf '%s' "$out" | jq -r --arg s "$1" \
    '.summary[] | select(.scheme == $s and .platform == null) | .repeat_scatter.rps_pct'; }
GOAL_SIZE_RPS=$(awk -v s="$(scatter size)" 'BEGIN { printf "%.2f", 1.2 * s }')
GOAL_MTU_RPS=$(awk -v s="$(scatter mtu)" 'BEGIN { printf "%.2f", 1.2 * s }')
check size rps_mape_pct $GOAL_SIZE_RPS $ACH_SIZE_RPS %
check size cpu_mae_max_pp $GOAL_CPU $ACH_SIZE_CPU pp
check mtu rps_mape_pct $GOAL_MTU_RPS $ACH_MTU_RPS %
check mtu cpu_mae_max_pp $GOAL_CPU $ACH_MTU_CPU pp
# every usable record was predicted in both schemes
np=$(printf '%s' "$out" | jq '[.points[] | select(.predicted | not)] | length')
[ "$np" = 0 ] && echo "ok: every held-out point predicted" ||
    { echo "FAILED: $np held-out points not predicted" >&2; fail=1; }
exit $fail
