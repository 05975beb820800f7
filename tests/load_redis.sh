#!/usr/bin/env bash
# load_redis.sh - edgevirt-load against a real redis-server on a free loopback port.
# Checks request counts (INFO commandstats), values really stored at the asked size (STRLEN and
# GET read back), pipelining, keyspace (DBSIZE), size distributions, the SET:GET mix, duration
# mode and warm-up, open-loop rate accuracy, and failures (bad arguments -> 2; refused, missing
# socket, server killed mid-run -> 1 with the finished tests' results kept).
# Usage: load_redis.sh PATH/TO/edgevirt-load        (about 20 s)
set -u
LOAD=${1:?usage: load_redis.sh PATH/TO/edgevirt-load}
export LC_ALL=C
for t in redis-server redis-cli jq; do
  command -v $t >/dev/null || { echo "skipped: $t not installed"; exit 77; }
done
pass=0; fail=0
ok() { if [ "$1" = 0 ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $2" >&2; fi; }
check() { local d=$1; shift; if "$@"; then ok 0 "$d"; else ok 1 "$d"; fi; }

free_port() { local p; for _ in $(seq 200); do p=$((20000 + RANDOM % 12000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; return 1; }
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

start_redis() { # -> sets PORT and RPID; retries on another port if the first one was taken
  for _try in 1 2 3; do
    PORT=$(free_port) || { echo "no free port" >&2; exit 1; }
    redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --enable-debug-command yes --unixsocket "$TMP/redis-$PORT.sock" >"$TMP/redis-$PORT.log" 2>&1 &
    RPID=$!
    PIDS+=("$RPID")
    # up to 20 s: a loaded CI machine (ctest -j, sanitizer builds) can be slow to fork+exec
    for _ in $(seq 400); do
      [ "$(redis-cli -p "$PORT" ping 2>/dev/null)" = PONG ] && return
      kill -0 "$RPID" 2>/dev/null || break # it exited (port taken by another test): next port
      sleep 0.05
    done
  done
  echo "redis-server did not start; its last log:" >&2; tail -5 "$TMP/redis-$PORT.log" >&2; exit 1
}
jqe() { jq -e "$@" >/dev/null; }
rc() { redis-cli -p "$PORT" "$@"; }
calls() { rc info commandstats | tr -d '\r' | sed -n "s/^cmdstat_$1:calls=\([0-9]*\),.*/\1/p" | grep . || echo 0; }
reset() { rc flushall >/dev/null; rc config resetstat >/dev/null; }
L() { "$LOAD" -p "$PORT" "$@"; }
strlens() { rc --scan --pattern 'key:*' | sed 's/^/STRLEN /' | rc; } # STRLEN of every key, one round trip

start_redis

# --- request counts
reset
L -t set -n 5000 -c 10 -q >/dev/null; ok $? "set run exit 0"
check "SET calls = -n" [ "$(calls set)" = 5000 ]
reset
L -t get -n 3000 -c 7 --no-prefill -q >/dev/null
check "GET calls = -n (no prefill)" [ "$(calls get)" = 3000 ]
check "no SET without prefill" [ "$(calls set)" = 0 ]
reset
L -t set,get -n 2000 -c 5 --json >"$TMP/sg.json"; ok $? "set,get exit 0"
check "json: SET first then GET" [ "$(jq -r '[.tests[].test]|join(",")' "$TMP/sg.json")" = "SET,GET" ]
check "json: requests 2000 each" [ "$(jq '[.tests[].requests]|join(",")' -r "$TMP/sg.json")" = "2000,2000" ]
check "GET calls 2000" [ "$(calls get)" = 2000 ]
check "SET calls 2000 + 1 prefill" [ "$(calls set)" = 2001 ]
check "json: run-record fields" jqe '.tests[0] | (.op and .value_size==3 and .key_size==16 and .clients==5 and .pipeline==1 and .duration_s>0 and .rps>0 and .latency_ms.p50>0 and .latency_ms.p90>=.latency_ms.p50 and .latency_ms.p99>=.latency_ms.p90 and .latency_ms.p999>=.latency_ms.p99 and .latency_ms.max>=.latency_ms.p999 and .latency_ms.avg>0 and .errors.closed==0)' "$TMP/sg.json"
check "json: schema" [ "$(jq -r .schema "$TMP/sg.json")" = "edgevirt.load/1" ]

# --- values really stored at the asked size; GET reads them back
reset
L -t get -r 20 -d 777 -n 1000 -c 4 --json >"$TMP/g.json"
check "prefill stores the keyspace" [ "$(rc dbsize)" = 20 ]
check "every key holds 777 bytes" [ "$(strlens | sort -u)" = 777 ]
check "GET reads the stored value" [ "$(rc get key:000000000007)" = "$(printf 'x%.0s' $(seq 777))" ]
check "no GET miss" [ "$(jq '.tests[0].get_misses' "$TMP/g.json")" = 0 ]
check "GET value_size 777" [ "$(jq '.tests[0].value_size' "$TMP/g.json")" = 777 ]
reset
L -t set -d 16384 -n 200 -c 2 -q >/dev/null
check "SET -d 16384 stores 16384 bytes" [ "$(rc strlen key:__rand_int__)" = 16384 ]

# --- Unix socket
reset
"$LOAD" -s "$TMP/redis-$PORT.sock" -t set -n 500 -c 3 -q >/dev/null; ok $? "unix socket: exit 0"
check "unix socket: SET calls 500" [ "$(calls set)" = 500 ]

# --- threads: one epoll loop per thread, counts still exact
reset
L -t set -n 3001 -c 5 --threads 2 -P 4 -q >/dev/null
check "threads: SET calls exactly 3001" [ "$(calls set)" = 3001 ]

# --- pipelining (count not a multiple of -P)
reset
L -t set -P 16 -n 1000 -c 3 --json >"$TMP/p.json"
check "pipeline: SET calls exactly 1000" [ "$(calls set)" = 1000 ]
check "pipeline: json pipeline 16" [ "$(jq '.tests[0].pipeline' "$TMP/p.json")" = 16 ]

# --- keyspace
reset
L -t set -r 100 -n 5000 -c 5 -q >/dev/null
n=$(rc dbsize)
check "keyspace: DBSIZE <= 100 (got $n)" [ "$n" -le 100 ] && check "keyspace: DBSIZE > 90 (got $n)" [ "$n" -gt 90 ]

# --- size distributions
reset
L -t set -r 200 -n 4000 -c 4 --data-size-list 100:50,2000:50 -q >/dev/null
sizes=$(strlens | sort -u | tr '\n' ' ')
check "data-size-list: sizes are exactly {100,2000} (got $sizes)" [ "$sizes" = "100 2000 " ]
reset
L -t set -r 200 -n 4000 -c 4 --size-lognormal 300:0.8:64:1000 -q >/dev/null
strlens >"$TMP/ln"
distinct=$(sort -u "$TMP/ln" | wc -l)
check "lognormal: sizes within [64,1000]" awk '$1 < 64 || $1 > 1000 { exit 1 }' "$TMP/ln"
check "lognormal: sizes varied ($distinct distinct)" [ "$distinct" -gt 20 ]

# --- SET:GET mix
reset
L --ratio 1:3 -n 4000 -c 4 --no-prefill --json >"$TMP/m.json"
check "mix: SET 1000 GET 3000" [ "$(calls set),$(calls get)" = "1000,3000" ]
check "mix: only MIX test" [ "$(jq -r '[.tests[].test]|join(",")' "$TMP/m.json")" = MIX ]
check "mix: per-op counts" [ "$(jq '.tests[0].ops.SET.requests,.tests[0].ops.GET.requests' "$TMP/m.json" | tr '\n' ,)" = "1000,3000," ]

# --- duration mode, warm-up
reset
L -t set --duration 1 -c 4 --json >"$TMP/d.json"
req=$(jq '.tests[0].requests' "$TMP/d.json")
check "duration: ran about 1 s" jqe '.tests[0].duration_s >= 1.0 and .tests[0].duration_s < 3' "$TMP/d.json"
check "duration: every request counted ($req)" [ "$(calls set)" = "$req" ]
reset
L -t set --warmup 0.5 --duration 0.5 -c 4 --json >"$TMP/w.json"
req=$(jq '.tests[0].requests' "$TMP/w.json")
check "warm-up requests sent but not counted ($(calls set) > $req)" [ "$(calls set)" -gt "$req" ]

# --- open loop rate accuracy: 2000 requests/s for 3 s
reset
L -t get -n 6000 --rate 2000 -c 10 --json >"$TMP/r.json"
check "open loop: all requests" [ "$(calls get)" = 6000 ]
check "open loop: rate within 1 % of 2000 ($(jq .tests[0].rps "$TMP/r.json"))" jqe '.tests[0].rps >= 1980 and .tests[0].rps <= 2020 and .tests[0].open_loop' "$TMP/r.json"

# --- coordinated-omission correction: the server stalls 0.5 s (DEBUG SLEEP) during a 2 s run
# at 1000 requests/s. Open loop charges the stall to every request scheduled during it (about
# 500 requests, 20 % of them above 100 ms); closed loop only to the one request per connection
# that was in flight.
reset
L -t get -n 2000 --rate 1000 -c 10 --json >"$TMP/co.json" & LP=$!; PIDS+=("$LP")
sleep 0.7; rc debug sleep 0.5 >/dev/null; wait "$LP"
check "open loop: stall counted in the latency ($(jq .tests[0].latency_ms.p90 "$TMP/co.json") ms p90)" jqe '.tests[0].latency_ms.p90 >= 50 and .tests[0].latency_ms.max >= 400' "$TMP/co.json"
L -t get --duration 2 -c 10 --json >"$TMP/cl.json" & LP=$!; PIDS+=("$LP")
sleep 0.7; rc debug sleep 0.5 >/dev/null; wait "$LP"
check "closed loop: the same stall leaves p90 low ($(jq .tests[0].latency_ms.p90 "$TMP/cl.json") ms)" jqe '.tests[0].latency_ms.p90 < 50 and .tests[0].latency_ms.max >= 400' "$TMP/cl.json"

# --- timeout: a server that stops answering fails the test (exit 1, class "timeout")
reset
L -t set --duration 3 -c 2 --timeout 0.3 --json >"$TMP/t.json" 2>"$TMP/e" & LP=$!; PIDS+=("$LP")
sleep 0.3; rc debug sleep 1 >/dev/null; wait "$LP"; st=$?
check "timeout: exit 1" [ $st = 1 ]
check "timeout: counted as class timeout" jqe '.tests[0].status == "failed" and .tests[0].errors.timeout >= 1' "$TMP/t.json"

# --- failures
L -c 0 >/dev/null 2>"$TMP/e"; ok $([ $? = 2 ] && grep -q -- '-c' "$TMP/e"; echo $?) "bad -c: exit 2 naming the option"
L --rate >/dev/null 2>"$TMP/e"; ok $([ $? = 2 ] && grep -q -- 'rate' "$TMP/e"; echo $?) "missing value: exit 2"
L --help >"$TMP/h"; ok $([ $? = 0 ] && grep -q Usage "$TMP/h"; echo $?) "--help: stdout, exit 0"
DEAD=$(free_port)
"$LOAD" -p "$DEAD" -n 10 -q >"$TMP/o" 2>"$TMP/e"; st=$?
check "refused: exit 1" [ $st = 1 ]
check "refused: clear message" grep -qi "refused" "$TMP/e"
"$LOAD" -s "$TMP/nonexistent.sock" -n 10 -q >"$TMP/o" 2>"$TMP/e"; st=$?
check "unreachable socket: exit 1" [ $st = 1 ]
check "unreachable socket: names it" grep -q "nonexistent.sock" "$TMP/e"

# AUTH: right password works, wrong password and none fail with exit 1 and the server's reason
rc config set requirepass s3cret >/dev/null
L -t set -n 100 -c 2 -a s3cret -q >/dev/null; ok $? "auth: -a with the right password, exit 0"
L -t set -n 100 -c 2 -a wrong -q >/dev/null 2>"$TMP/e"; st=$?
check "auth: wrong password exit 1" [ $st = 1 ]
check "auth: wrong password message" grep -qi "AUTH failed" "$TMP/e"
L -t set -n 100 -c 2 -q >/dev/null 2>"$TMP/e"; st=$?
check "auth: no password: exit 1 (every reply an error)" [ $st = 1 ]
check "auth: no password: server's reason shown" grep -q "NOAUTH" "$TMP/e"
redis-cli -p "$PORT" -a s3cret --no-auth-warning config set requirepass "" >/dev/null

# server killed mid-run (during GET): SET's results kept
reset
"$LOAD" -p "$PORT" -t set,get --duration 2 -c 4 --csv >"$TMP/k.csv" 2>"$TMP/k.err" &
LP=$!; PIDS+=("$LP")
for _ in $(seq 600); do [ "$(calls get)" -gt 0 ] 2>/dev/null && break; sleep 0.05; done
kill -9 "$RPID"
wait "$LP"; st=$?
check "killed mid-run: exit 1" [ $st = 1 ]
check "killed mid-run: SET row kept" grep -q '^"SET",' "$TMP/k.csv"
check "killed mid-run: no GET row" bash -c "! grep -q '^\"GET\",' '$TMP/k.csv'"
check "killed mid-run: CSV header" [ "$(head -1 "$TMP/k.csv")" = '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"' ]
check "killed mid-run: error names GET and the closed connection" grep -q "GET: .*closed" "$TMP/k.err"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
