#!/bin/sh
# test_testbed_smoke.sh TESTBED - the namespace testbed end to end: up, the direct and relay
# paths answer redis-benchmark from the client namespace, processes sit in the gateway namespace
# pinned to the gateway CPU, the relay carries the traffic (its CPU and byte counters move),
# swseg sets MTU 1276 and offloads off (read back with ip link / ethtool -k) and stopping it
# restores them, down leaves nothing. Bounded load: -n 5000 -c 10. Needs root (skips: 77).
TB=$1
. "$(dirname "$0")/test_testbed_lib.sh"
skip_unless_testbed_host

P=evsmk
RUN=$(mktemp -d)
trap '"$TB" down --prefix $P --run-dir "$RUN" >/dev/null 2>&1; rm -rf "$RUN"' EXIT INT TERM
NCPU=$(nproc)

check "up" "$TB" up --prefix $P --run-dir "$RUN" --mtu 1500 --offload on --link-rate 1gbit
st=$("$TB" status --prefix $P --run-dir "$RUN")
check "status says up" sh -c "printf '%s' '$st' | grep -q '\"up\":	true'"
check "both namespaces exist" sh -c "ip netns list | grep -q '^${P}client' && ip netns list | grep -q '^${P}gateway'"
check "client address" sh -c "ip -n ${P}client addr show dev evc0 | grep -q 'inet 10.77.0.1/24'"
check "tbf 1Gbit on the gateway end" sh -c "tc -n ${P}gateway qdisc show dev evg0 | grep -q 'tbf.*rate 1Gbit'"
check "mtu 1500" sh -c "ip -n ${P}gateway link show dev evg0 | grep -q 'mtu 1500 '"

d=$("$TB" start-platform direct --port 6379 --prefix $P --run-dir "$RUN")
check "start direct: $d" test -n "$d"
r=$("$TB" start-platform relay --port 6380 --prefix $P --run-dir "$RUN")
check "start relay: $r" test -n "$r"
DPID=$(json_int redis_pid "$d"); RPID=$(json_int redis_pid "$r"); LPID=$(json_int relay_pid "$r")
for pid in "$DPID" "$RPID" "$LPID"; do
    check "pid $pid alive" alive "$pid"
    check "pid $pid in ${P}gateway" sh -c "ip netns identify $pid | grep -qx ${P}gateway"
    if [ "$NCPU" -ge 2 ]; then
        check "pid $pid pinned to CPU 1" sh -c "taskset -pc $pid | grep -q 'list: 1\$'"
    fi
done

# Both paths answer from the client namespace (the client pinned to CPU 0).
for port in 6379 6380; do
    out=$("$TB" exec client --prefix $P --run-dir "$RUN" -- \
          redis-benchmark -h 10.77.0.2 -p $port -n 5000 -c 10 -t set,get -d 64 --csv 2>&1)
    echo "port $port:"; echo "$out" | sed 's/^/    /'
    check "port $port answers SET" sh -c "printf '%s' '$out' | grep -q '^\"SET\",\"[0-9]'"
    check "port $port answers GET" sh -c "printf '%s' '$out' | grep -q '^\"GET\",\"[0-9]'"
done
val=$("$TB" exec client --prefix $P --run-dir "$RUN" -- redis-cli -h 10.77.0.2 -p 6380 \
      SET smoke relayed)
check "SET through the relay" test "$val" = OK
val=$("$TB" exec gateway --prefix $P --run-dir "$RUN" -- redis-cli -h 127.0.0.1 -p 7380 GET smoke)
check "the value is in the relay's backend Redis" test "$val" = relayed

# The relay (the "VMM") used CPU of its own: utime+stime in ticks.
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
lt=$(ticks "$LPID"); rt=$(ticks "$RPID")
echo "CPU ticks after 10000 requests: relay $lt, Redis behind it $rt, direct Redis $(ticks "$DPID")"
check "relay process consumed CPU" test "$lt" -gt 0
check "Redis behind the relay consumed CPU" test "$rt" -gt 0

# Stop the relay: its counters (written on SIGTERM) show the traffic it carried.
check "stop relay" "$TB" stop-platform --port 6380 --prefix $P --run-dir "$RUN"
check "relay log has its byte counters" sh -c "grep -q '\"bytes_up\":[1-9]' '$RUN/$P/relay-6380.log'"
check "relay process gone" sh -c "! kill -0 $LPID 2>/dev/null || ! grep -q '^State:.*[RS]' /proc/$LPID/status"

# Software segmentation: cannot run next to the direct path (different link mode).
"$TB" start-platform swseg --port 6381 --prefix $P --run-dir "$RUN" >/dev/null 2>&1
check "swseg refused while direct runs" test $? -eq 2
check "stop all" "$TB" stop-platform --all --prefix $P --run-dir "$RUN"
s=$("$TB" start-platform swseg --port 6381 --prefix $P --run-dir "$RUN")
check "start swseg: $s" test -n "$s"
for ns in client gateway; do
    dev=evc0; [ $ns = gateway ] && dev=evg0
    check "$ns mtu 1276" sh -c "ip -n $P$ns link show dev $dev | grep -q 'mtu 1276 '"
    k=$(ip netns exec $P$ns ethtool -k $dev)
    check "$ns tso off" sh -c "printf '%s' '$k' | grep -q '^tcp-segmentation-offload: off'"
    check "$ns gso off" sh -c "printf '%s' '$k' | grep -q '^generic-segmentation-offload: off'"
    check "$ns gro off" sh -c "printf '%s' '$k' | grep -q '^generic-receive-offload: off'"
done
out=$("$TB" exec client --prefix $P --run-dir "$RUN" -- \
      redis-benchmark -h 10.77.0.2 -p 6381 -n 1000 -c 10 -t set,get -d 16384 --csv 2>&1)
echo "swseg 16 KB:"; echo "$out" | sed 's/^/    /'
check "swseg answers 16 KB GET" sh -c "printf '%s' '$out' | grep -q '^\"GET\",\"[0-9]'"
SPID=$(json_int redis_pid "$s")
check "stop swseg" "$TB" stop-platform --port 6381 --prefix $P --run-dir "$RUN"
check "mtu back to 1500" sh -c "ip -n ${P}client link show dev evc0 | grep -q 'mtu 1500 '"
check "tso back on" sh -c "ip netns exec ${P}client ethtool -k evc0 | grep -q '^tcp-segmentation-offload: on'"

# Down: nothing left.
check "down" "$TB" down --prefix $P --run-dir "$RUN"
check "no namespaces left" sh -c "! ip netns list | grep -q '^$P'"
for pid in "$DPID" "$RPID" "$LPID" "$SPID"; do
    check "pid $pid gone" sh -c "! { [ -r /proc/$pid/stat ] && ! sed 's/.*) //' /proc/$pid/stat | grep -q '^[ZX]'; }"
done
check "no state left" test ! -e "$RUN/$P"
check "no cgroup left" test ! -e "/sys/fs/cgroup/cpu/edgevirt-$P" -a ! -e "/sys/fs/cgroup/edgevirt-$P"
finish
