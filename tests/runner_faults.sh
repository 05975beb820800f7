#!/bin/sh
# runner_faults.sh EDGEVIRT_MEASURE EDGEVIRT_LOAD FAKE_FIRECRACKER - platform faults are recorded
# as failed points with their reason and the sweep goes on. One point per platform:
#   missing  native driver, redis-server binary that does not exist      -> failed, names it
#   never    command driver that never answers PING (sleep), ready 3 s    -> failed, PING timeout
#   fc400    firecracker driver on the FAKE Firecracker API server (tests/fake_firecracker.c),
#            which answers PUT /boot-source with 400                      -> failed, fault_message
#   fccrash  the fake boots (real redis-server behind it) and exits 1.2 s after InstanceStart,
#            in the middle of the 3 s point                                -> failed, crashed
#   shcrash  command driver: a shell that starts redis-server, kills it after 1.2 s and exits 3
#   fcok     the fake, no fault: a real point through the firecracker driver -> ok
# (the fake creates no tap: its instance interface is set to lo for the sampler)
#   native   a real redis-server                                           -> ok
# The run exits 1 (some points failed), every point has exactly one record, and the second run
# retries only the failed points (a failed record does not count as done).
set -u
M=$1; L=$2; FAKE=$3
. "$(dirname "$0")/runner_lib.sh"
command -v redis-server >/dev/null || skip "redis-server is not installed"
command -v jq >/dev/null || skip "jq is not installed"
T=$(mktemp -d /tmp/edgevirt-runner-faults-XXXXXX)
: >"$T/vmlinux"; : >"$T/rootfs.ext4" # the fake Firecracker reads neither; the preflight needs them
trap 'rm -rf "$T"' EXIT
P1=$(free_port 1); P2=$(free_port 2); P3=$(free_port 3); P4=$(free_port 4); P5=$(free_port 5); P6=$(free_port 6)
fc() { # fake firecracker settings: port, extra fake args
    echo "{\"driver\": \"firecracker\", \"firecracker\": \"$FAKE\", \"kernel\": \"$T/vmlinux\", \"rootfs\": \"$T/rootfs.ext4\", \"tap\": \"lo\", \"guest_mac\": \"06:00:ac:10:00:02\", \"host\": \"127.0.0.1\", \"port\": $1, \"api_timeout_s\": 3, \"version\": \"fake\", \"instance_iface\": \"lo\", \"workdir\": \"$T\", \"extra_args\": [\"--redis-server\", \"redis-server\", \"--redis-port\", \"$1\"$2]}"
}
cat >"$T/spec.json" <<JSON
{"schema": "edgevirt.spec/1", "name": "faults",
 "platforms": [
  {"id": "never", "settings": {"driver": "command", "start": ["sleep", "30"], "port": $P2, "workdir": "$T"}},
  {"id": "fc400", "settings": $(fc $P3 ', "--fail-on", "PUT:/boot-source"')},
  {"id": "fccrash", "settings": $(fc $P4 ', "--crash-after-boot", "1.2"')},
  {"id": "shcrash", "settings": {"driver": "command", "start": ["sh", "-c", "redis-server --port $P5 --save '' --bind 127.0.0.1 & sleep 1.2; kill -9 \$!; exit 3"], "port": $P5, "workdir": "$T"}},
  {"id": "fcok", "settings": $(fc $P6 '')},
  {"id": "native", "settings": {"driver": "native", "port": $P1, "workdir": "$T"}}],
 "workload": {"ops": ["SET"], "value_sizes": [64], "clients": 2, "duration_s": 3},
 "repeats": 1,
 "gateway": {"interfaces": [{"name": "lo", "role": "nic"}]},
 "client": {"timeout_s": 30},
 "timeouts": {"ready_s": 3, "stop_s": 3}}
JSON
"$M" run "$T/spec.json" -o "$T/runs.jsonl" --load "$L" 2>"$T/err"; rc=$?
cat "$T/err"
R="$T/runs.jsonl"
[ $rc = 1 ] && ok || bad "run must exit 1 when points failed, got $rc"
[ "$(count "$R" '.')" = 6 ] && ok || bad "expected 6 records, got $(count "$R" '.')"
err_of() { jq -r "select(.platform.id==\"$1\")|.error // \"\"" "$R"; }
st_of() { jq -r "select(.platform.id==\"$1\")|.status" "$R"; }
expect_failed() { # id, substring of the reason
    [ "$(st_of "$1")" = failed ] && ok || bad "$1: status $(st_of "$1"), expected failed"
    err_of "$1" | grep -q -- "$2" && ok || bad "$1: reason \"$(err_of "$1")\" lacks \"$2\""
}
expect_failed never "did not answer PING within 3 s"
expect_failed fc400 "injected failure for PUT /boot-source"
expect_failed fccrash "crashed during the point"
expect_failed shcrash "crashed during the point"
err_of shcrash | grep -q "status 3" && ok || bad "shcrash: exit status not in \"$(err_of shcrash)\""
[ "$(st_of fcok)" = ok ] && ok || bad "fcok: $(st_of fcok) $(err_of fcok)"
[ "$(st_of native)" = ok ] && ok || bad "native: $(st_of native) $(err_of native)"
[ "$(jq -r 'select(.platform.id=="fcok")|.threads.basis' "$R")" != null ] && ok || bad "fcok: no thread accounting"
[ "$(jq -r 'select(.platform.id=="fcok")|.platform.driver_path' "$R")" != null ] && ok || bad "fcok: no driver_path"
# failed records still carry what identifies the point
[ "$(count "$R" 'select(.status=="failed" and .workload.op=="SET" and .workload.value_size==64 and (.point|length) > 0)')" = 4 ] && ok || bad "failed records lack workload/point"
# nothing left running on the ports
for p in $P1 $P3 $P4 $P5 $P6; do
    redis-cli -p "$p" ping >/dev/null 2>&1 && bad "something still answers on $p" || ok
done
# second run: only the 4 failed points are tried again (and fail again), ok ones are skipped
"$M" run "$T/spec.json" -o "$R" --load "$L" -q 2>"$T/err2"; rc=$?
[ $rc = 1 ] && ok || bad "second run exit $rc"
grep -q "6 points: 0 ok, 4 failed, 2 already in" "$T/err2" && ok || bad "second run: $(cat "$T/err2")"
[ "$(count "$R" '.')" = 10 ] && ok || bad "expected 10 records after the retry, got $(count "$R" '.')"

# what would fail every point stops the run before the first one (exit 2, nothing recorded,
# the field and the fix named): a missing binary, a missing kernel, an absent interface, a
# load generator that is not there
pre() { # name, platform settings, gateway interface, expected substring [, extra args]
    printf '{"schema": "edgevirt.spec/1", "platforms": [{"id": "p", "settings": %s}], "workload": {"ops": ["SET"], "value_sizes": [64], "requests": 10}, "gateway": {"interfaces": [{"name": "%s"}]}}\n' "$2" "$3" >"$T/pre-$1.json"
    "$M" run "$T/pre-$1.json" -o "$T/pre-$1.jsonl" ${5:-} 2>"$T/pre-$1.err"; rc=$?
    [ $rc = 2 ] && ok || bad "preflight $1: exit $rc, expected 2: $(cat "$T/pre-$1.err")"
    [ ! -s "$T/pre-$1.jsonl" ] && ok || bad "preflight $1: a point was recorded"
    grep -q -- "$4" "$T/pre-$1.err" && ok || bad "preflight $1: message \"$(cat "$T/pre-$1.err")\" lacks \"$4\""
}
pre redis "{\"driver\": \"native\", \"redis_server\": \"/nonexistent/redis-server\", \"port\": $P1}" lo \
    'platforms\[0\].settings.redis_server: "/nonexistent/redis-server" is not an executable file' "--load $L"
pre onpath "{\"driver\": \"command\", \"start\": [\"no-such-tool-ev\"], \"port\": $P1}" lo \
    'platforms\[0\].settings.start\[0\]: "no-such-tool-ev" is not found on PATH' "--load $L"
pre kernel "{\"driver\": \"qemu\", \"flavour\": \"linuxvm\", \"qemu\": \"sh\", \"host\": \"10.0.2.15\", \"kernel\": \"$T/no-vmlinuz\", \"tap\": \"lo\"}" lo \
    "platforms\[0\].settings.kernel: cannot read \"$T/no-vmlinuz\"" "--load $L"
pre tap "{\"driver\": \"qemu\", \"flavour\": \"linuxvm\", \"qemu\": \"sh\", \"host\": \"10.0.2.15\", \"kernel\": \"$T/vmlinux\", \"tap\": \"evnotap9\"}" lo \
    'platforms\[0\].settings.tap: network interface "evnotap9" does not exist' "--load $L"
pre iface "{\"driver\": \"native\", \"port\": $P1}" evnoif9 \
    'gateway.interfaces\[0\].name: network interface "evnoif9" does not exist' "--load $L"
pre load "{\"driver\": \"native\", \"port\": $P1}" lo '--load: "/nonexistent/edgevirt-load" is not an executable file' \
    "--load /nonexistent/edgevirt-load"
# a copy of edgevirt-measure with no edgevirt-load beside it and none on PATH
cp "$M" "$T/lonely-measure"
sed -i 's/evnoif9/lo/' "$T/pre-iface.json"
PATH=/usr/bin:/bin "$T/lonely-measure" run "$T/pre-iface.json" -o "$T/lonely.jsonl" 2>"$T/lonely.err"; rc=$?
[ $rc = 2 ] && ok || bad "no edgevirt-load anywhere: exit $rc"
grep -q 'cannot find the load generator "edgevirt-load": it is neither beside edgevirt-measure nor on PATH' "$T/lonely.err" && ok || bad "no edgevirt-load anywhere: $(cat "$T/lonely.err")"
# the build tree's edgevirt-measure finds the edgevirt-load built beside it, without --load
PATH=/usr/bin:/bin "$M" run "$T/pre-iface.json" -o "$T/beside.jsonl" -q 2>"$T/beside.err"; rc=$?
[ $rc = 0 ] && ok || bad "edgevirt-measure without --load from the build tree: exit $rc: $(cat "$T/beside.err")"
[ "$(count "$T/beside.jsonl" 'select(.status=="ok")')" = 1 ] && ok || bad "without --load: no ok record"

# a gateway CPU that does not exist: the point fails instead of recording an empty CPU sum
cat >"$T/cpus.json" <<JSON
{"schema": "edgevirt.spec/1",
 "platforms": [{"id": "native", "settings": {"driver": "native", "port": $P1, "workdir": "$T"}}],
 "workload": {"ops": ["SET"], "value_sizes": [64], "clients": 2, "requests": 500},
 "gateway": {"cpus": [0, 1000]}}
JSON
"$M" run "$T/cpus.json" -o "$T/cpus.jsonl" --load "$L" -q 2>/dev/null; rc=$?
[ $rc = 1 ] && ok || bad "offline gateway CPU: exit $rc"
jq -r .error "$T/cpus.jsonl" | grep -qE "only 1 of the 2 CPUs|cpu 1000 is not in" && ok || bad "offline gateway CPU: $(cat "$T/cpus.jsonl")"

# SIGINT while a platform boots (never answers, 60 s ready timeout): the runner stops waiting,
# kills the platform and exits 1 without recording the point, well before the timeout
cat >"$T/slow.json" <<JSON
{"schema": "edgevirt.spec/1",
 "platforms": [{"id": "slow", "settings": {"driver": "command", "start": ["sleep", "300.$$"], "port": $P2, "workdir": "$T"}}],
 "workload": {"ops": ["SET"], "value_sizes": [64], "requests": 10},
 "timeouts": {"ready_s": 60}}
JSON
"$M" run "$T/slow.json" -o "$T/slow.jsonl" --load "$L" 2>"$T/err3" & RP=$!
sleep 1
kill -INT $RP
i=0; while kill -0 $RP 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 $RP 2>/dev/null; then bad "SIGINT during the ready wait: still running after 10 s"; kill -9 $RP; fi
wait $RP; rc=$?
[ $rc = 1 ] && grep -q interrupted "$T/err3" && ok || bad "SIGINT during ready: exit $rc $(cat "$T/err3")"
[ ! -s "$T/slow.jsonl" ] && ok || bad "SIGINT during ready: a record was written"
pgrep -f "^sleep 300.$$$" >/dev/null 2>&1 && bad "the platform's sleep survived" || ok
finish
