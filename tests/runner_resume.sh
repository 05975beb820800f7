#!/bin/sh
# runner_resume.sh EDGEVIRT_MEASURE EDGEVIRT_LOAD - interruption and resume on the native
# platform (real redis-server on loopback), 8 points:
#  1. SIGTERM the runner once 2 records exist: it exits 1 saying "interrupted", every line
#     written is a complete record, and redis-server is gone;
#  2. run again and SIGKILL it mid-sweep, then append a cut-off record (what a crash in the
#     middle of a write leaves): the platform dies with the runner (PDEATHSIG);
#     while it runs, a second runner on the same file is refused at once (exit 2) naming the
#     first one's pid (one writer per results file, an flock that goes with the process);
#  3. run again to the end (the lock of the SIGKILLed runner is gone): exit 0, a warning about the cut-off line, and every point id has
#     exactly one "ok" record: no point lost, none measured twice.
set -u
M=$1; L=$2
. "$(dirname "$0")/runner_lib.sh"
command -v redis-server >/dev/null || skip "redis-server is not installed"
command -v jq >/dev/null || skip "jq is not installed"
T=$(mktemp -d /tmp/edgevirt-runner-resume-XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
PORT=$(free_port)
cat >"$T/spec.json" <<JSON
{"schema": "edgevirt.spec/1",
 "platforms": [{"id": "native", "settings": {"driver": "native", "port": $PORT, "workdir": "$T"}}],
 "workload": {"ops": ["SET", "GET"], "value_sizes": [64, 1024], "clients": 4, "requests": 15000, "warmup_s": 0.2},
 "repeats": 2,
 "gateway": {"interfaces": [{"name": "lo", "role": "nic"}]},
 "client": {"timeout_s": 60},
 "timeouts": {"ready_s": 10, "stop_s": 5}}
JSON
R="$T/runs.jsonl"
lines() { [ -f "$R" ] && wc -l <"$R" | tr -d ' ' || echo 0; }
wait_lines() { # n: wait until R has >= n lines (60 s at most)
    i=0; while [ "$(lines)" -lt "$1" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
}
no_redis() { i=0; while redis-cli -p "$PORT" ping >/dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    redis-cli -p "$PORT" ping >/dev/null 2>&1 && bad "redis-server still answers after $1" || ok; }

# 1. SIGTERM
"$M" run "$T/spec.json" -o "$R" --load "$L" 2>"$T/err1" & PID=$!
wait_lines 2
kill -TERM "$PID"; wait "$PID"; rc=$?; PID=
[ $rc = 1 ] && ok || bad "SIGTERM: exit $rc"
grep -q "interrupted" "$T/err1" && ok || bad "SIGTERM: no 'interrupted' message: $(cat "$T/err1")"
n1=$(lines)
[ "$n1" -ge 2 ] && [ "$n1" -lt 8 ] && ok || bad "SIGTERM: $n1 records"
[ "$(count "$R" 'select(.status=="ok")')" = "$n1" ] && ok || bad "SIGTERM: a written line is not a complete ok record"
no_redis SIGTERM

# 2. SIGKILL, then a cut-off record
"$M" run "$T/spec.json" -o "$R" --load "$L" -q 2>"$T/err2" & PID=$!
wait_lines $((n1 + 1))
"$M" run "$T/spec.json" -o "$R" --load "$L" -q 2>"$T/err2b"; rc=$?
[ $rc = 2 ] && ok || bad "second writer: exit $rc, expected 2 ($(cat "$T/err2b"))"
grep -q "another process is writing it (pid $PID, edgevirt-measure run" "$T/err2b" && ok ||
    bad "second writer: the holder is not named: $(cat "$T/err2b")"
kill -KILL "$PID"; wait "$PID" 2>/dev/null; PID=
n2=$(lines)
[ "$n2" -gt "$n1" ] && ok || bad "SIGKILL: nothing recorded in the second run"
printf '%s' '{"schema":"edgevirt.run/1","source":"measured","time":"2026-11-25T18:0' >>"$R"
no_redis SIGKILL

# 3. to the end
"$M" run "$T/spec.json" -o "$R" --load "$L" 2>"$T/err3"; rc=$?
cat "$T/err3"
[ $rc = 0 ] && ok || bad "final run: exit $rc"
grep -q "cut-off line" "$T/err3" && ok || bad "final run: no warning about the cut-off line"
oks=$(grep -v '"time":"2026-11-25T18:0$' "$R" | jq -r 'select(.status=="ok")|.point' | sort)
[ "$(echo "$oks" | wc -l | tr -d ' ')" = 8 ] && ok || bad "expected 8 ok records, got: $oks"
[ "$(echo "$oks" | sort -u | wc -l | tr -d ' ')" = 8 ] && ok || bad "a point was measured twice: $oks"
skipped=$(sed -n 's/.* \([0-9]*\) already in .*/\1/p' "$T/err3")
[ "$skipped" = "$n2" ] && ok || bad "final run skipped $skipped points, $n2 were recorded"
finish
