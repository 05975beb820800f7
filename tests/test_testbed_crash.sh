#!/bin/sh
# test_testbed_crash.sh TESTBED - idempotence and clean-up after a crash: `up` twice gives one
# testbed, `down` after the state folder was lost still stops the processes in the namespaces and
# removes them, `up` over a half-built leftover (one namespace) rebuilds, `down` twice is fine.
TB=$1
. "$(dirname "$0")/test_testbed_lib.sh"
skip_unless_testbed_host

P=evcrash
RUN=$(mktemp -d)
trap '"$TB" down --prefix $P --run-dir "$RUN" >/dev/null 2>&1; rm -rf "$RUN"' EXIT INT TERM

check "up" "$TB" up --prefix $P --run-dir "$RUN" --link-rate none
check "up again (idempotent)" "$TB" up --prefix $P --run-dir "$RUN" --link-rate none --mtu 1400
check "one veth end in the client" test "$(ip -n ${P}client -o link show type veth | wc -l)" -eq 1
check "second up applied mtu 1400" sh -c "ip -n ${P}gateway link show dev evg0 | grep -q 'mtu 1400 '"
check "no tbf without a link rate" sh -c "! tc -n ${P}gateway qdisc show dev evg0 | grep -q tbf"

d=$("$TB" start-platform direct --port 6390 --prefix $P --run-dir "$RUN")
DPID=$(json_int redis_pid "$d")
check "redis started" alive "$DPID"
"$TB" exec gateway --prefix $P --run-dir "$RUN" -- sleep 30 &
EXECPID=$!
sleep 0.3
check "stray process in the gateway" alive "$EXECPID"
check "up with a platform running keeps it" "$TB" up --prefix $P --run-dir "$RUN" --link-rate none
check "redis still alive after up" alive "$DPID"

# A CPU quota on the gateway (cgroup v1 or v2), applied to the running platform.
if "$TB" up --prefix $P --run-dir "$RUN" --link-rate none --gateway-quota 0.5 \
        --quota-period-us 50000; then
    ok
    st=$("$TB" status --prefix $P --run-dir "$RUN")
    cg=$(printf '%s' "$st" | grep -o '"path":[^,]*' | head -n1 | sed 's/.*"\(\/[^"]*\)".*/\1/')
    check "status reads the quota back: $cg" sh -c "printf '%s' '$st' | grep -q '\"quota_cores\":	0.5'"
    check "redis is in the gateway cgroup" grep -qx "$DPID" "$cg/cgroup.procs"
    check "up without a quota clears it" "$TB" up --prefix $P --run-dir "$RUN" --link-rate none
    check "quota cleared" sh -c "'$TB' status --prefix $P --run-dir '$RUN' | grep -q '\"quota_cores\":	0,'"
else
    bad "up --gateway-quota 0.5"
fi

# Crash: the state folder is lost, processes and namespaces remain.
rm -rf "${RUN:?}/$P"
out=$("$TB" down --prefix $P --run-dir "$RUN")
check "down after a crash: $out" test -n "$out"
check "down reported stopped processes" sh -c "printf '%s' '$out' | grep -q '\"processes_stopped\":[1-9]'"
wait "$EXECPID" 2>/dev/null
check "redis stopped" sh -c "! { [ -r /proc/$DPID/stat ] && ! sed 's/.*) //' /proc/$DPID/stat | grep -q '^[ZX]'; }"
check "stray process stopped" sh -c "! kill -0 $EXECPID 2>/dev/null"
check "namespaces removed" sh -c "! ip netns list | grep -q '^$P'"

# Half-built leftover: only the gateway namespace.
ip netns add ${P}gateway
check "down removes a lone leftover namespace" "$TB" down --prefix $P --run-dir "$RUN"
check "it is gone" sh -c "! ip netns list | grep -q '^$P'"
ip netns add ${P}client
check "up over a lone leftover namespace" "$TB" up --prefix $P --run-dir "$RUN" --link-rate none
check "and it works" sh -c "'$TB' status --prefix $P --run-dir '$RUN' | grep -q '\"up\":	true'"
check "down" "$TB" down --prefix $P --run-dir "$RUN"
check "down twice" "$TB" down --prefix $P --run-dir "$RUN"
# Three `up` at once: serialized by the lock, one testbed.
for i in 1 2 3; do "$TB" up --prefix $P --run-dir "$RUN" --link-rate none 2>/dev/null & done
wait
check "parallel up: one veth end" test "$(ip -n ${P}client -o link show type veth | wc -l)" -eq 1
check "parallel up: up" sh -c "'$TB' status --prefix $P --run-dir '$RUN' | grep -q '\"up\":	true'"
check "down after parallel up" "$TB" down --prefix $P --run-dir "$RUN"
check "nothing left" sh -c "! ip netns list | grep -q '^$P' && [ ! -e '$RUN/$P' ]"
finish
