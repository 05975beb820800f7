#!/bin/sh
# runner_native.sh EDGEVIRT_MEASURE EDGEVIRT_LOAD - a full run of a small spec against the
# native platform on loopback: the native driver starts a real redis-server on a free port,
# edgevirt-load runs bounded request counts (SET then GET, 64 B and 4 KB, 2 repeats), the
# sampler reads /proc and /sys/class/net/lo. Checks every record: status ok, rps > 0, latency,
# cpu (mpstat basis, ncpu 1, categories sum to ~100 % of the sampled CPU), the platform's own CPU
# (threads, basis "process", redis-server's time > 0), lo's packets, host and versions; then
# runs the same command again and checks that nothing is measured twice (resume).
set -u
M=$1; L=$2
. "$(dirname "$0")/runner_lib.sh"
command -v redis-server >/dev/null || skip "redis-server is not installed"
command -v jq >/dev/null || skip "jq is not installed"
T=$(mktemp -d /tmp/edgevirt-runner-native-XXXXXX)
trap 'rm -rf "$T"' EXIT
PORT=$(free_port)
CPU=$(($(nproc) - 1))
cat >"$T/spec.json" <<JSON
{"schema": "edgevirt.spec/1", "name": "native loopback",
 "platforms": [{"id": "native", "settings": {"driver": "native", "port": $PORT, "pin_cpus": [$CPU], "workdir": "$T"}}],
 "workload": {"ops": ["SET", "GET"], "value_sizes": [64, 4096], "clients": 5, "requests": 3000, "warmup_s": 0.3},
 "repeats": 2,
 "gateway": {"cpus": [$CPU], "interfaces": [{"name": "lo", "role": "nic"}]},
 "client": {"timeout_s": 60},
 "network": {"link_rate_bps": 0},
 "timeouts": {"ready_s": 10, "stop_s": 5}}
JSON
"$M" run "$T/spec.json" -o "$T/runs.jsonl" --load "$L" 2>"$T/err"; rc=$?
cat "$T/err"
[ $rc = 0 ] && ok || bad "run exited $rc"
R="$T/runs.jsonl"
[ "$(count "$R" '.')" = 8 ] && ok || bad "expected 8 records, got $(count "$R" '.')"
[ "$(count "$R" 'select(.status=="ok")')" = 8 ] && ok || bad "not every point is ok: $(jq -c 'select(.status!="ok")|.error' "$R")"
[ "$(jq -r '.point' "$R" | sort -u | wc -l)" = 8 ] && ok || bad "point ids not unique"
[ "$(count "$R" 'select(.result.rps > 0 and .result.latency_ms.p50 > 0 and .workload.requests == 3000)')" = 8 ] && ok || bad "rps/latency/requests missing"
[ "$(count "$R" 'select(.cpu.basis=="mpstat" and .cpu.ncpu==1 and ((.cpu.user+.cpu.system+.cpu.softirq+.cpu.guest+.cpu.nice+.cpu.iowait+.cpu.irq+.cpu.steal+.cpu.idle) | (. > 95 and . < 105)))')" = 8 ] && ok || bad "cpu categories of one CPU must sum to ~100: $(jq -c .cpu "$R" | head -2)"
[ "$(count "$R" 'select(.threads.basis=="process" and (.threads.vmm_user + .threads.vmm_system) > 0)')" -ge 6 ] && ok || bad "redis-server's own CPU missing: $(jq -c .threads "$R" | head -3)"
[ "$(count "$R" 'select(.packets.nic.ifname=="lo" and .packets.nic.rx_packets > 3000 and .packets.nic.tx_bytes > 0)')" = 8 ] && ok || bad "lo packet counters missing"
[ "$(count "$R" 'select(.network.mtu >= 68)')" = 8 ] && ok || bad "mtu not read from lo"
[ "$(count "$R" 'select(.platform.id=="native" and .platform.driver_path=="native" and .platform.stack=="host")')" = 8 ] && ok || bad "platform meta missing"
[ "$(count "$R" 'select((.versions.redis|length) > 0 and (.versions.edgevirt|length) > 0 and (.host.kernel|length) > 0 and (.time|length) == 20)')" = 8 ] && ok || bad "versions/host/time missing"
[ "$(count "$R" 'select(.workload.op=="GET" and .result.rps > 0)')" = 4 ] && ok || bad "GET points"
# every SET request crosses lo: at least its RESP bytes (value + 41 + digits) per request.
# Only lower bounds: lo is shared with whatever else runs on loopback (other tests under ctest -j),
# which can only add bytes.
b64=$(jq -s '[.[]|select(.workload.op=="SET" and .workload.value_size==64)|.packets.nic.rx_bytes/.workload.requests]|min' "$R")
b4k=$(jq -s '[.[]|select(.workload.op=="SET" and .workload.value_size==4096)|.packets.nic.rx_bytes/.workload.requests]|min' "$R")
jq -n "$b64 >= 107 and $b4k >= 4141" | grep -q true && ok || bad "bytes per request below the RESP size: 4 KB $b4k, 64 B $b64"
# no redis-server left on the port
redis-cli -p "$PORT" ping >/dev/null 2>&1 && bad "redis-server still answers on $PORT" || ok

# the same command again: everything is recorded, nothing runs, nothing is appended
"$M" run "$T/spec.json" -o "$R" --load "$L" 2>"$T/err2"; rc=$?
[ $rc = 0 ] && ok || bad "second run exited $rc: $(cat "$T/err2")"
grep -q "8 points: 0 ok, 0 failed, 8 already in" "$T/err2" && ok || bad "second run: $(cat "$T/err2")"
[ "$(count "$R" '.')" = 8 ] && ok || bad "second run appended records"
finish
