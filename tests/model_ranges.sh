#!/bin/sh
# model_ranges.sh EDGEVIRT_ADVISOR EDGEVIRT_MODEL DATA_DIR - numbers in model files (issue 20):
#  - a cost that is not finite or outside the physical range (|cost| < 1 s), a covariance that
#    is not positive semidefinite or has variances >= 1 s^2, and a platform whose request costs
#    no CPU (all costs 0, or negative) are refused by every loader user with exit 2 and a
#    message naming the file and the field;
#  - the loaders' accepted extremes (requests costing just below 1 s in all, costs of 1e-12 s, the largest
#    accepted value sizes and GET ratios 0 and 1) give output without nan or inf in text, JSON
#    and CSV of the advisor and in `edgevirt-model show` / `predict`.
set -u
A=$1; MD=$2; DATA=$3
. "$(dirname "$0")/runner_lib.sh"
command -v jq >/dev/null || skip "jq is not installed"
T=$(mktemp -d /tmp/edgevirt-model-ranges-XXXXXX)
trap 'rm -rf "$T"' EXIT
BASE=$DATA/paper/model.json
mk() { jq "$1" "$BASE" >"$T/$2"; }

refused() { # NAME FILE PATTERN
    "$A" --model "$T/$2" >"$T/out" 2>"$T/err"; rc=$?
    [ $rc = 2 ] && ok || bad "$1: advisor exit $rc, expected 2: $(cat "$T/err")"
    grep -q "$T/$2" "$T/err" && grep -q -- "$3" "$T/err" && ok || bad "$1: message does not name the file and '$3': $(cat "$T/err")"
    grep -qiE '(^|[^a-z])(nan|inf)([^a-z]|$)' "$T/out" && bad "$1: nan/inf printed: $(head -3 "$T/out")" || ok
    "$MD" show "$T/$2" >/dev/null 2>"$T/err2"; rc=$?
    [ $rc = 2 ] && grep -q -- "$3" "$T/err2" && ok || bad "$1: edgevirt-model show exit $rc: $(cat "$T/err2")"
}
mk '.platforms[0].categories.user.values[2] = 1e300' huge.json
refused "cost 1e300" huge.json 'platforms\[0\].categories.user.values'
mk '.platforms[1].categories.system.values[0] = -2' negative.json
refused "cost -2 s" negative.json 'categories.system.values'
mk '.platforms[2].categories |= map_values(.values = [0,0,0,0,0,0,0,0])' zero.json
refused "all costs 0" zero.json 'platforms\[2\].categories: the CPU cost of one GET'
mk '.platforms[3].categories |= map_values(.values = [-1e-6,-1e-6,0,0,0,0,0,0])' neg_total.json
refused "negative total" neg_total.json 'must lie above 0'
mk '.platforms[0].categories.user.covariance[0][1] = 1e-9 | .platforms[0].categories.user.covariance[1][0] = 1e-9' notpsd.json
refused "covariance not PSD" notpsd.json 'covariance: is not positive semidefinite'
mk '.platforms[0].categories.guest.covariance[4][4] = 2' bigvar.json
refused "variance 2 s^2" bigvar.json 'covariance: element \[4\]\[4\]'
# 1e400 is read as infinity by the JSON parser
jq '.client.rtt_s = 123456789' "$BASE" | sed 's/123456789/1e400/' >"$T/inf.json"
refused "rtt 1e400" inf.json 'client.rtt_s'

# accepted extremes: no nan/inf anywhere in what the tools print
mk '.platforms[0].categories |= map_values(.values = [0.2499,0.2499,0,0,0,0,0,0] | .covariance = [range(8) | [range(8) | 0]])
    | .platforms[1].categories |= map_values(.values = [1e-12,1e-12,0,0,0,0,0,0] | .covariance = [range(8) | [range(8) | 0]])' extreme.json
finite() { # NAME CMD...
    n=$1; shift
    "$@" >"$T/o" 2>"$T/e"; rc=$?
    [ $rc = 0 ] && ok || bad "$n: exit $rc: $(cat "$T/e")"
    grep -qiE '(^|[^a-z])(nan|inf|infinity)([^a-z]|$)' "$T/o" && bad "$n: nan/inf printed: $(grep -iE 'nan|inf' "$T/o" | head -3)" || ok
}
for args in "--sizes 1:1" "--sizes 536870912:1 --get-ratio 1" "--sizes 64:1 --get-ratio 0" \
            "--sizes 64:1,16384:1 --rate 1" "--lognormal 1000,3 --rate 100000"; do
    # shellcheck disable=SC2086
    finite "advisor text $args" "$A" --model "$T/extreme.json" --draws 50 --sim-requests 10000 $args
    # shellcheck disable=SC2086
    finite "advisor json $args" "$A" --model "$T/extreme.json" --draws 50 --sim-requests 10000 --json $args
    # shellcheck disable=SC2086
    finite "advisor csv $args" "$A" --model "$T/extreme.json" --draws 50 --sim-requests 10000 --csv $args
done
jq -e . "$T/o" >/dev/null 2>&1 || true
finite "model show" "$MD" show "$T/extreme.json"
finite "model predict GET 1" "$MD" predict --model "$T/extreme.json" --op GET --size 1
finite "model predict SET max" "$MD" predict --model "$T/extreme.json" --op SET --size 536870912
finite "model predict json" "$MD" predict --model "$T/extreme.json" --op GET --size 64 --json
finish
