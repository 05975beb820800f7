#!/bin/sh
# runner_cli.sh EDGEVIRT_MEASURE SPECS_DIR FIXTURES_DIR - the edgevirt-measure command line:
#  - every data/specs/*.json validates;
#  - a dry-run golden test per driver: `plan` of data/specs/PLATFORM.json equals
#    FIXTURES_DIR/golden/NAME.plan (set EV_UPDATE_GOLDEN=1 to rewrite them after a deliberate
#    change, then review the diff);
#  - `run --dry-run` prints the same plan and starts nothing (a command platform whose start
#    argv would create a file leaves no file);
#  - points already in RESULTS are marked "skip (recorded)" in the plan;
#  - exit codes: --help 0 (stdout), missing command/SPEC/-o 2, bad spec 2 with file and field,
#    unknown option 2.
set -u
M=$1; SPECS=$2; FIX=$3
fails=0; passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
T=$(mktemp -d /tmp/edgevirt-runner-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT

# every example spec validates
for f in "$SPECS"/*.json; do
    "$M" validate "$f" >/dev/null 2>"$T/err" && ok || bad "validate $f: $(cat "$T/err")"
done
# golden plans, one spec per platform (relative spec names, fixed TMPDIR so the plan text is the
# same everywhere)
for name in native firecracker kata unikraft-vhost unikraft-virtio linuxvm command; do
    (cd "$SPECS" && TMPDIR=/tmp "$M" plan "$name.json" --load edgevirt-load) >"$T/$name.plan" 2>"$T/err"
    rc=$?
    [ $rc = 0 ] || { bad "plan $name.json exited $rc: $(cat "$T/err")"; continue; }
    g="$FIX/golden/$name.plan"
    if [ "${EV_UPDATE_GOLDEN:-0}" = 1 ]; then
        mkdir -p "$FIX/golden"; cp "$T/$name.plan" "$g"; echo "updated $g"; ok; continue
    fi
    if diff -u "$g" "$T/$name.plan" >"$T/diff"; then ok; else bad "plan $name.json differs from $g:"; cat "$T/diff"; fi
done
for drv in native command firecracker qemu kata; do
    grep -l "driver=$drv " "$FIX"/golden/*.plan >/dev/null 2>&1 && ok || bad "no golden plan uses driver $drv"
done

# run --dry-run = plan, and starts nothing
cat >"$T/touch.json" <<JSON
{"schema": "edgevirt.spec/1",
 "platforms": [{"id": "toucher", "settings": {"driver": "command", "start": ["touch", "$T/started"], "workdir": "$T"}}],
 "workload": {"ops": ["GET"], "value_sizes": [64], "requests": 10}}
JSON
"$M" run "$T/touch.json" -o "$T/r.jsonl" --dry-run --load edgevirt-load >"$T/dry.txt" 2>"$T/err"; rc=$?
[ $rc = 0 ] && ok || bad "run --dry-run exited $rc: $(cat "$T/err")"
[ ! -e "$T/started" ] && ok || bad "run --dry-run started the platform"
[ ! -e "$T/r.jsonl" ] && ok || bad "run --dry-run wrote the results file"
grep -q "spawn .*touch $T/started" "$T/dry.txt" && ok || bad "dry run does not show the start argv"
grep -q "load (sampled): edgevirt-load -h 127.0.0.1 -p 6379 -t get -d 64 -c 50 -P 1 -n 10" "$T/dry.txt" && ok || bad "dry run does not show the load argv"
"$M" plan "$T/touch.json" -o "$T/r.jsonl" --load edgevirt-load >"$T/plan.txt" 2>&1
# without --load the plan names the edgevirt-load built beside this edgevirt-measure
"$M" plan "$T/touch.json" >"$T/plan-default.txt" 2>&1
L_BESIDE=$(cd "$(dirname "$M")/../load" && pwd)/edgevirt-load
grep -q "load (sampled): $L_BESIDE -h" "$T/plan-default.txt" && ok || bad "plan without --load does not use $L_BESIDE: $(grep 'load (sampled)' "$T/plan-default.txt")"
cmp -s "$T/dry.txt" "$T/plan.txt" && ok || bad "plan and run --dry-run differ"

# resume shows in the plan
printf '%s\n' '{"schema":"edgevirt.run/1","source":"measured","status":"ok","point":"toucher/GET/64/c50/P1/r0","platform":{"id":"toucher","driver_path":"native"},"workload":{"op":"GET","value_size":64},"result":{"rps":1}}' >"$T/r.jsonl"
"$M" plan "$T/touch.json" -o "$T/r.jsonl" >"$T/plan2.txt" 2>&1
grep -q "point toucher/GET/64/c50/P1/r0: skip (recorded)" "$T/plan2.txt" && ok || bad "recorded point not marked skipped"
grep -q "1 points already recorded (skipped), 0 to run" "$T/plan2.txt" && ok || bad "plan header lacks the resume count"

# exit codes
"$M" --help >"$T/help" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "Usage: edgevirt-measure run SPEC" "$T/help" && ok || bad "--help: exit $rc"
"$M" >/dev/null 2>&1; [ $? = 2 ] && ok || bad "no command must exit 2"
"$M" run "$T/touch.json" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "run needs -o" "$T/err" && ok || bad "run without -o: exit $rc"
"$M" frobnicate "$T/touch.json" >/dev/null 2>&1; [ $? = 2 ] && ok || bad "unknown command must exit 2"
"$M" plan "$T/touch.json" --bogus >/dev/null 2>&1; [ $? = 2 ] && ok || bad "unknown option must exit 2"
"$M" validate "$T/missing.json" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "missing.json" "$T/err" && ok || bad "missing spec: exit $rc $(cat "$T/err")"
"$M" run "$FIX/bad_value_size_zero.json" -o "$T/x.jsonl" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "bad_value_size_zero.json: workload.value_sizes\[1\]: must be an integer in \[1, 536870912\], got 0" "$T/err" && ok || bad "bad spec: exit $rc: $(cat "$T/err")"
[ ! -e "$T/x.jsonl" ] && ok || bad "a bad spec created the results file"
"$M" validate "$FIX/ok.json" >"$T/out" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "valid (1 platforms, 16 points)" "$T/out" && ok || bad "validate ok.json: exit $rc $(cat "$T/out")"

echo "$passes passed, $fails failed"
[ $fails = 0 ]
