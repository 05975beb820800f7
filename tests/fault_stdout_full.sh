#!/bin/sh
# fault_stdout_full.sh BUILD_DIR SOURCE_DIR - every tool whose results go to standard output
# notices when they cannot be written (stdout is /dev/full: every write fails with ENOSPC, as
# on a full disk): a message on stderr and exit status 1, never a silent 0. edgevirt-load is
# run against a real redis-server on a free loopback port (label redis).
set -u
B=$1; S=$2
fails=0; passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
[ -w /dev/full ] || { echo "SKIP: no /dev/full"; exit 77; }
T=$(mktemp -d /tmp/edgevirt-fault-stdout-XXXXXX)
RP=
cleanup() { [ -n "$RP" ] && kill "$RP" 2>/dev/null && wait "$RP" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

full() { # name, command...: must exit 1 with a message saying the write failed
    name=$1; shift
    "$@" >/dev/full 2>"$T/err"; rc=$?
    [ $rc = 1 ] && ok || bad "$name: exit $rc with stdout on /dev/full (expected 1)"
    grep -qi "writ.*fail\|fail.*writ" "$T/err" && ok || bad "$name: no message: $(cat "$T/err")"
    echo "$name: exit $rc: $(head -1 "$T/err")"
}
full "edgevirt-model show" "$B/model/edgevirt-model" show
full "edgevirt-model predict" "$B/model/edgevirt-model" predict --op GET --size 64
full "edgevirt-advisor" "$B/advisor/edgevirt-advisor" --sizes 64 --json
full "edgevirt-sample" "$B/measure/sys/edgevirt-sample" -- true
full "edgevirt-measure plan" "$B/measure/runner/edgevirt-measure" plan "$S/data/specs/command.json"
full "edgevirt-report compare" "$B/plots/report/edgevirt-report" compare "$S/data/paper/runs.jsonl" "$S/data/paper/runs.jsonl"
if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
    p=$((21000 + $$ % 9000))
    while ss -Htan "sport = :$p" 2>/dev/null | grep -q .; do p=$((p + 1)); done
    redis-server --port "$p" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 & RP=$!
    i=0; while ! redis-cli -p "$p" ping >/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    for f in --csv --json ""; do
        full "edgevirt-load $f" "$B/measure/load/edgevirt-load" -p "$p" -n 2000 -c 2 -q $f
    done
else
    echo "(redis-server missing: edgevirt-load not checked)"
fi
echo "$passes passed, $fails failed"
[ $fails = 0 ]
