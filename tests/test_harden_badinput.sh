#!/bin/sh
# test_harden_badinput.sh BUILD_DIR SOURCE_DIR [--markdown] - every kind of bad input, per tool
# and file format, run for real: each case must exit with the expected status (2 = bad input or
# usage, 1 = runtime failure) and print a non-empty message on stderr that names the file (for
# file inputs) or the option. With --markdown, prints the tables of docs/bad-input.md (the
# message and exit status of each case, as they come). Runs in a private folder in which
# fixtures/ and data/ point into the source tree, so messages carry short relative paths.
# Only loopback is used (edgevirt-load against a port with nothing behind it).
set -u
B=$(cd "$1" && pwd); S=$(cd "$2" && pwd); MD=0
[ "${3:-}" = --markdown ] && MD=1
fails=0; passes=0
T=$(mktemp -d /tmp/edgevirt-badinput-XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
ln -s "$S/tests/fixtures" fixtures; ln -s "$S/data" data
MODEL="$B/model/edgevirt-model"; ADV="$B/advisor/edgevirt-advisor"; MEAS="$B/measure/runner/edgevirt-measure"
LOAD="$B/measure/load/edgevirt-load"; REP="$B/plots/report/edgevirt-report"; SAMP="$B/measure/sys/edgevirt-sample"

section() { [ $MD = 1 ] && printf '\n### %s\n\n| input | command | exit | message (stderr, first line) |\n|---|---|---|---|\n' "$1"; return 0; }
# case EXPECTED_EXIT NEEDLE DESCRIPTION -- COMMAND...  (NEEDLE: text the message must contain)
case_() {
    want=$1; needle=$2; what=$3; shift 4
    "$@" </dev/null >"$T/out" 2>"$T/err"; rc=$?
    msg=$(grep -v "^Try '\|^(try \|^usage:\|^Usage:" "$T/err" | head -1)
    [ "$want" = 0 ] && [ -z "$msg" ] && msg="(stdout) $(head -1 "$T/out")"
    if [ "$rc" != "$want" ]; then
        echo "FAIL: $what: exit $rc, expected $want: $(head -3 "$T/err")" >&2; fails=$((fails + 1))
    elif [ -z "$msg" ]; then
        echo "FAIL: $what: no message" >&2; fails=$((fails + 1))
    elif [ -n "$needle" ] && ! grep -qF -- "$needle" "$T/err"; then
        echo "FAIL: $what: message lacks \"$needle\": $msg" >&2; fails=$((fails + 1))
    else
        passes=$((passes + 1))
    fi
    if [ $MD = 1 ]; then
        cmd=$(for a in "$@"; do case "$a" in "$B"/*) printf '%s ' "${a##*/}" ;; *) printf '%s ' "$a" ;; esac; done)
        printf '| %s | `%s` | %s | `%s` |\n' "$what" "$(echo "$cmd" | sed 's/ $//; s/|/\\|/g')" "$rc" "$(printf '%s' "$msg" | sed 's/|/\\|/g; s/`/'"'"'/g')"
    fi
}

# ---------------------------------------------------------------- run records (edgevirt-model validate)
section "Run records (.jsonl, schema edgevirt.run/1): \`edgevirt-model validate\`"
for f in not_json not_object missing_schema schema_unknown schema_version unknown_field missing_op bad_op \
         type_value_size_string value_size_fraction value_size_zero clients_zero rps_negative cpu_negative \
         cpu_over_ncpu mtu_too_small bad_time failed_without_error type_platform_array trailing_garbage \
         truncated_middle truncated_tail; do
    case_ 2 "fixtures/records/$f.jsonl" "$f" -- "$MODEL" validate "fixtures/records/$f.jsonl"
done
case_ 2 "nope.jsonl" "missing file" -- "$MODEL" validate nope.jsonl
printf '' >empty.jsonl
case_ 0 "" "empty file (0 records: accepted)" -- "$MODEL" validate empty.jsonl
case_ 2 "/dev/zero" "endless device" -- "$MODEL" validate /dev/zero
mkdir adir
case_ 2 "adir" "a folder" -- "$MODEL" validate adir
printf '{"schema":"edgevirt.run/1"}\0\n' >nul.jsonl
case_ 2 "nul.jsonl" "NUL byte in a line" -- "$MODEL" validate nul.jsonl
head -c 3000 "$S/data/paper/runs.jsonl" | iconv -f latin1 -t utf-16 >utf16.jsonl 2>/dev/null || printf '\377\376{\0' >utf16.jsonl
case_ 2 "utf16.jsonl" "UTF-16 text" -- "$MODEL" validate utf16.jsonl

# ---------------------------------------------------------------- model files
section "Model files (.json, schema edgevirt.model/1): \`edgevirt-model validate\`, \`edgevirt-advisor --model\`"
printf '{"schema": "edgevirt.model/1", ' >m_cut.json
case_ 2 "m_cut.json" "cut off" -- "$MODEL" validate m_cut.json
sed 's/"edgevirt.model\/1"/"edgevirt.model\/2"/' "$S/data/paper/model.json" >m_v2.json
case_ 2 "m_v2.json" "schema version 2" -- "$MODEL" validate m_v2.json
sed '0,/"schema"/s/"schema"/"x":1, "colour": 2, "schema"/' "$S/data/paper/model.json" >m_unknown.json
case_ 2 "m_unknown.json" "unknown field" -- "$MODEL" validate m_unknown.json
printf '[1, 2]\n' >m_array.json
case_ 2 "m_array.json" "top level not an object" -- "$MODEL" validate m_array.json
case_ 2 "m_v2.json" "bad model given to the advisor" -- "$ADV" --model m_v2.json --sizes 64
case_ 2 "nope.json" "missing model file" -- "$ADV" --model nope.json --sizes 64

# ---------------------------------------------------------------- edgevirt-model command line
section "edgevirt-model command line"
case_ 2 "" "no command" -- "$MODEL"
case_ 2 "frobnicate" "unknown command" -- "$MODEL" frobnicate
case_ 2 "" "predict: size 0" -- "$MODEL" predict --op GET --size 0
case_ 2 "" "predict: size not a number" -- "$MODEL" predict --op GET --size abc
case_ 2 "" "predict: op PUT" -- "$MODEL" predict --op PUT --size 64
case_ 2 "" "fit: no output" -- "$MODEL" fit data/paper/runs.jsonl
case_ 2 "fixtures/records/bad_op.jsonl" "fit: bad records" -- "$MODEL" fit fixtures/records/bad_op.jsonl -o fit.json

# ---------------------------------------------------------------- profiles
section "Workload profiles (.json, schema edgevirt.profile/1): \`edgevirt-advisor --profile\`"
for f in bad_syntax bad_schema bad_unknown bad_size_type bad_no_sizes bad_weight bad_lognormal bad_histogram \
         bad_get_ratio bad_mtu bad_objective bad_onoff bad_rate_missing bad_min_cpu_saturation; do
    case_ 2 "$f.json" "$f" -- "$ADV" --profile "fixtures/profiles/$f.json"
done
case_ 2 "nope.json" "missing profile" -- "$ADV" --profile nope.json

# ---------------------------------------------------------------- advisor command line
section "edgevirt-advisor command line"
case_ 2 "--sizes" "sizes: weight not a number" -- "$ADV" --sizes 64:x
case_ 2 "" "sizes: zero size" -- "$ADV" --sizes 0
case_ 2 "" "GET ratio 2" -- "$ADV" --get-ratio 2
case_ 2 "" "negative rate" -- "$ADV" --rate -5
case_ 2 "" "unknown objective" -- "$ADV" --objective fastest
case_ 2 "" "unknown platform" -- "$ADV" --platforms kata,vmware
case_ 2 "" "min-cpu without a rate" -- "$ADV" --objective min-cpu
case_ 2 "" "unknown option" -- "$ADV" --colour
case_ 2 "" "draws too few" -- "$ADV" --draws 3
printf '64 1\nabc 2\n' >hist.txt
case_ 2 "hist.txt" "histogram: bad line" -- "$ADV" --histogram hist.txt

# ---------------------------------------------------------------- specs
section "Experiment specs (.json, schema edgevirt.spec/1): \`edgevirt-measure validate\`"
for f in bad_not_json bad_schema_missing bad_schema_version bad_unknown_field bad_platforms_empty bad_platform_dup \
         bad_platform_id_chars bad_settings_missing bad_driver_unknown bad_driver_field bad_driver_port bad_op \
         bad_value_size_string bad_value_size_zero bad_clients_dup bad_both_requests_duration \
         bad_no_requests_duration bad_repeats_zero bad_restart bad_cpu bad_iface_role bad_iface_two_nic bad_mtu \
         bad_prefix_type bad_timeout; do
    case_ 2 "$f.json" "$f" -- "$MEAS" validate "fixtures/specs/$f.json"
done
case_ 2 "nope.json" "missing spec" -- "$MEAS" validate nope.json
sed 's/"value_sizes": \[[^]]*\]/"value_sizes": [1e300]/' "$S/data/specs/command.json" >huge.json
case_ 2 "huge.json" "value size 1e300 (fuzz finding)" -- "$MEAS" validate huge.json

# ---------------------------------------------------------------- measure command line + results file
# a spec that could do no harm if it ran: its platform is /bin/false
printf '{"schema": "edgevirt.spec/1", "platforms": [{"id": "p", "settings": {"driver": "command", "start": ["/bin/false"], "port": 1}}], "workload": {"ops": ["GET"], "value_sizes": [64], "clients": 1, "requests": 10}, "timeouts": {"ready_s": 1}}' >safe.json
section "edgevirt-measure command line and results file"
case_ 0 "" "(the harmless spec used below is valid)" -- "$MEAS" validate safe.json
case_ 2 "" "no command" -- "$MEAS"
case_ 2 "" "run without -o" -- "$MEAS" run safe.json
case_ 2 "" "unknown option" -- "$MEAS" run safe.json -o r.jsonl --fast
cp "$S/tests/fixtures/records/bad_op.jsonl" bad_results.jsonl
case_ 2 "bad_results.jsonl" "results file with a bad record" -- "$MEAS" run safe.json -o bad_results.jsonl --load /bin/false
cp "$S/tests/fixtures/records/truncated_middle.jsonl" cut_results.jsonl
case_ 1 "cut-off line" "results file with a cut-off record inside (dropped with a warning, the run goes on; exit 1 because the point failed)" -- "$MEAS" run safe.json -o cut_results.jsonl --load /bin/false
case_ 2 "/dev/zero" "results file is an endless device" -- "$MEAS" run safe.json -o /dev/zero --load /bin/false
case_ 2 "adir" "results file is a folder" -- "$MEAS" run safe.json -o adir --load /bin/false

# ---------------------------------------------------------------- edgevirt-load
section "edgevirt-load command line and connection"
case_ 2 "-c" "zero clients" -- "$LOAD" -c 0
case_ 2 "-c" "clients not a number" -- "$LOAD" -c abc
case_ 2 "-p" "port out of range" -- "$LOAD" -p 70000
case_ 2 "-d" "value size 0" -- "$LOAD" -d 0
case_ 2 "-n" "negative count" -- "$LOAD" -n -5
case_ 2 "" "unknown option" -- "$LOAD" --colour
case_ 2 "" "option without its value" -- "$LOAD" -c
case_ 2 "" "extra argument" -- "$LOAD" extra
case_ 2 "" "bad ratio" -- "$LOAD" --ratio 1
case_ 2 "" "bad lognormal" -- "$LOAD" --size-lognormal x
case_ 2 "" "bad size list" -- "$LOAD" --data-size-list 64:-1
port=$((30000 + $$ % 2000))
while ss -Htan "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
case_ 1 "refused" "connection refused (nothing on the port)" -- "$LOAD" -p "$port" -n 100 -q
case_ 1 "" "missing Unix socket" -- "$LOAD" -s "$T/no.sock" -n 100 -q

# ---------------------------------------------------------------- edgevirt-report
section "edgevirt-report"
case_ 2 "" "no command" -- "$REP"
case_ 2 "nope.jsonl" "missing results file" -- "$REP" compare nope.jsonl data/paper/runs.jsonl
case_ 2 "fixtures/records/bad_op.jsonl" "bad results file" -- "$REP" compare fixtures/records/bad_op.jsonl data/paper/runs.jsonl
case_ 2 "" "plot without --out" -- "$REP" plot data/paper/runs.jsonl
case_ 2 "" "bad alpha" -- "$REP" compare data/paper/runs.jsonl data/paper/runs.jsonl --alpha 7

# ---------------------------------------------------------------- edgevirt-sample
section "edgevirt-sample"
case_ 2 "" "no command" -- "$SAMP"
case_ 2 "" "bad CPU list" -- "$SAMP" --cpus 3-1 -- true
case_ 2 "" "bad interval" -- "$SAMP" --interval -1 -- true
case_ 2 "" "unknown option" -- "$SAMP" --colour -- true
case_ 1 "" "command not found" -- "$SAMP" -- /nonexistent/cmd

[ $MD = 1 ] || echo "$passes passed, $fails failed"
[ $fails = 0 ]
