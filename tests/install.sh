#!/bin/sh
# install.sh BUILD_DIR - `cmake --install` into a temporary prefix, then use only what was
# installed, with a PATH that holds no edgevirt tool:
#  - the installed advisor on an installed profile (share/edgevirt/profiles/mixed.json);
#  - `man -M PREFIX/share/man` finds edgevirt-advisor(1) and edgevirt-spec(5);
#  - the installed edgevirt-measure runs a loopback native spec (a real redis-server) and finds
#    the installed edgevirt-load beside itself, without --load;
#  - every installed tool answers --version with its library versions.
set -u
B=$1
. "$(dirname "$0")/runner_lib.sh"
command -v redis-server >/dev/null || skip "redis-server is not installed"
command -v jq >/dev/null || skip "jq is not installed"
T=$(mktemp -d /tmp/edgevirt-install-XXXXXX)
trap 'rm -rf "$T"' EXIT
P=$T/prefix
cmake --install "$B" --prefix "$P" >"$T/install.log" 2>&1 && ok || { bad "cmake --install failed: $(tail -5 "$T/install.log")"; finish; exit 1; }
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
for t in edgevirt-advisor edgevirt-model edgevirt-measure edgevirt-load edgevirt-sample \
         edgevirt-testbed edgevirt-relay edgevirt-report; do
    [ -x "$P/bin/$t" ] && ok || bad "$t not installed in $P/bin"
    "$P/bin/$t" --version 2>&1 | grep -q '^libraries: ' && ok || bad "$t --version: $("$P/bin/$t" --version 2>&1 | head -2)"
done
"$P/bin/edgevirt-advisor" --profile "$P/share/edgevirt/profiles/mixed.json" --json >"$T/adv.json" 2>"$T/adv.err"; rc=$?
[ $rc = 0 ] && jq -e '.recommendation' "$T/adv.json" >/dev/null && ok || bad "installed advisor on the installed profile: exit $rc: $(cat "$T/adv.err")"
if command -v man >/dev/null; then
    man -M "$P/share/man" -w edgevirt-advisor >/dev/null 2>&1 && ok || bad "man -M $P/share/man edgevirt-advisor: not found"
    man -M "$P/share/man" -w 5 edgevirt-spec >/dev/null 2>&1 && ok || bad "man 5 edgevirt-spec: not found"
fi
PORT=$(free_port)
cat >"$T/spec.json" <<JSON
{"schema": "edgevirt.spec/1",
 "platforms": [{"id": "native", "settings": {"driver": "native", "port": $PORT, "workdir": "$T"}}],
 "workload": {"ops": ["SET"], "value_sizes": [64], "clients": 2, "requests": 500},
 "gateway": {"interfaces": [{"name": "lo", "role": "nic"}]},
 "client": {"timeout_s": 30}, "timeouts": {"ready_s": 10, "stop_s": 5}}
JSON
(cd "$T" && "$P/bin/edgevirt-measure" run spec.json -o runs.jsonl -q) 2>"$T/m.err"; rc=$?
[ $rc = 0 ] && ok || bad "installed edgevirt-measure: exit $rc: $(cat "$T/m.err")"
[ "$(count "$T/runs.jsonl" 'select(.status=="ok" and .result.rps > 0)')" = 1 ] && ok || bad "no ok record: $(cat "$T/runs.jsonl" 2>/dev/null | head -c 300)"
finish
