#!/bin/sh
# fault_runner_sigint.sh EDGEVIRT_MEASURE EDGEVIRT_LOAD - Ctrl-C in the middle of a sweep, then
# resume (native platform: a real redis-server on loopback, 8 points). runner_resume.sh covers
# SIGTERM and SIGKILL; this covers SIGINT as a terminal sends it: to the runner's whole
# process group, in the middle of a point (while edgevirt-load is running).
#  1. SIGINT to the process group once 2 records exist and the next point's load is running:
#     exit 1, "interrupted", every line a complete record, redis-server gone, no load left;
#  2. SIGINT again as soon as the platform answers PING (before the point's load or record);
#  3. run to the end: exit 0; every point id has exactly one "ok" record (none lost, none
#     measured twice) and the final run skipped exactly the points already recorded ok.
set -u
M=$1; L=$2
. "$(dirname "$0")/runner_lib.sh"
command -v redis-server >/dev/null || skip "redis-server is not installed"
command -v jq >/dev/null || skip "jq is not installed"
command -v setsid >/dev/null || skip "setsid (util-linux) is not installed"
T=$(mktemp -d /tmp/edgevirt-fault-sigint-XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill -9 "-$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
PORT=$(free_port 7)
cat >"$T/spec.json" <<JSON
{"schema": "edgevirt.spec/1",
 "platforms": [{"id": "native", "settings": {"driver": "native", "port": $PORT, "workdir": "$T"}}],
 "workload": {"ops": ["SET", "GET"], "value_sizes": [64, 1024], "clients": 4, "requests": 60000},
 "repeats": 2,
 "gateway": {"interfaces": [{"name": "lo", "role": "nic"}]},
 "client": {"timeout_s": 60},
 "timeouts": {"ready_s": 10, "stop_s": 5}}
JSON
R="$T/runs.jsonl"
lines() { [ -f "$R" ] && wc -l <"$R" | tr -d ' ' || echo 0; }
wait_until() { # command...: poll for 60 s at most
    i=0; while ! "$@" && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done; "$@"; }
has_lines() { [ "$(lines)" -ge "$1" ]; }
load_running() { pgrep -f -- "$L .*-p $PORT" >/dev/null 2>&1; }
no_redis() { i=0; while redis-cli -p "$PORT" ping >/dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    redis-cli -p "$PORT" ping >/dev/null 2>&1 && bad "redis-server still answers after $1" || ok; }
no_load() { pgrep -f -- "$L .*-p $PORT" >/dev/null 2>&1 && bad "edgevirt-load still running after $1" || ok; }
complete() { # every line of R parses as a record with a status
    [ "$(count "$R" 'select(.status=="ok" or .status=="failed")')" = "$(lines)" ]; }

# 1. SIGINT to the group in the middle of a point
setsid "$M" run "$T/spec.json" -o "$R" --load "$L" 2>"$T/err1" & PID=$!
wait_until has_lines 2
wait_until load_running && ok || bad "no edgevirt-load seen for the third point"
kill -INT "-$PID"; wait "$PID"; rc=$?; PID=
[ $rc = 1 ] && ok || bad "SIGINT mid-point: exit $rc (expected 1)"
grep -q "interrupted" "$T/err1" && ok || bad "SIGINT: no 'interrupted' message: $(cat "$T/err1")"
n1=$(lines)
[ "$n1" -ge 2 ] && [ "$n1" -lt 8 ] && ok || bad "SIGINT: $n1 records"
complete && ok || bad "SIGINT: a line is not a complete record"
no_redis "SIGINT mid-point"
no_load "SIGINT mid-point"

# 2. SIGINT while the platform starts (before a record of this run exists)
setsid "$M" run "$T/spec.json" -o "$R" --load "$L" 2>"$T/err2" & PID=$!
redis_up() { redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG; }
wait_until redis_up && ok || bad "the platform of the second run never answered"
kill -INT "-$PID"; wait "$PID"; rc=$?; PID=
[ $rc = 1 ] && ok || bad "SIGINT at start: exit $rc (expected 1): $(cat "$T/err2")"
n2=$(lines)
[ "$n2" -le $((n1 + 1)) ] && ok || bad "SIGINT at start: $((n2 - n1)) new records"
complete && ok || bad "SIGINT at start: a line is not a complete record"
no_redis "SIGINT at start"
no_load "SIGINT at start"

# 3. resume to the end
"$M" run "$T/spec.json" -o "$R" --load "$L" 2>"$T/err3"; rc=$?
[ $rc = 0 ] && ok || bad "final run: exit $rc: $(cat "$T/err3")"
oks=$(jq -r 'select(.status=="ok")|.point' "$R" | sort)
[ "$(echo "$oks" | wc -l | tr -d ' ')" = 8 ] && ok || bad "expected 8 ok records, got: $oks"
[ "$(echo "$oks" | sort -u | wc -l | tr -d ' ')" = 8 ] && ok || bad "a point was measured twice: $oks"
before=$(head -n "$n2" "$R" | jq -r 'select(.status=="ok")|.point' | sort -u | wc -l | tr -d ' ')
skipped=$(sed -n 's/.* \([0-9]*\) already in .*/\1/p' "$T/err3")
[ "$skipped" = "$before" ] && ok || bad "final run skipped ${skipped:-?} points, $before were recorded ok"
no_redis "the final run"
finish
