#!/bin/sh
# test_testbed_cli.sh TESTBED RELAY - usage, bad values and the not-root message of
# edgevirt-testbed and edgevirt-relay. Creates nothing (no namespace, no process left).
TB=$1
RELAY=$2
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect STATUS PATTERN CMD...: run CMD, check its exit status and that stdout+stderr match
expect() {
    want=$1; pat=$2; shift 2
    "$@" >"$tmp/out" 2>&1
    got=$?
    if [ "$got" -eq "$want" ] && grep -q -- "$pat" "$tmp/out"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $* -> status $got (want $want), output:"; sed 's/^/    /' "$tmp/out"
    fi
}

expect 0 "Usage: edgevirt-testbed" "$TB" --help
expect 0 "start-platform" "$TB" help
expect 2 "Usage" "$TB"
expect 2 "unknown command 'upp'" "$TB" upp
expect 2 "--mtu 100: outside 576..65535" "$TB" up --mtu 100
expect 2 "link rate 'fast'" "$TB" up --link-rate fast
expect 2 "expected on or off" "$TB" up --offload maybe
expect 2 "prefix 'Bad'" "$TB" up --prefix Bad
expect 2 "gateway cpu 4000: this host has CPUs" "$TB" up --gateway-cpu 4000 --prefix evcli
expect 2 "--gateway-quota 'x'" "$TB" up --gateway-quota x
expect 2 "unexpected argument 'extra'" "$TB" up extra
expect 2 "must be an absolute path" "$TB" status --run-dir relative/dir
expect 2 "--port is required" "$TB" start-platform relay
expect 2 "platform 'vhost'" "$TB" start-platform vhost --port 6390
expect 2 "give --port P or --all" "$TB" stop-platform
expect 2 "expected client or gateway" "$TB" exec elsewhere -- true
expect 2 "no command given" "$TB" exec client
# status of a testbed that does not exist: not an error, "up": false
expect 0 '"up":	false' "$TB" status --prefix evcliabsent --run-dir "$tmp/run"

expect 0 "Usage: edgevirt-relay" "$RELAY" --help
expect 2 "are required" "$RELAY" --listen 127.0.0.1:0
expect 2 "expected ADDR:PORT" "$RELAY" --listen 0 --connect 6379
expect 2 "--buffer 1: outside" "$RELAY" --listen 0 --connect 127.0.0.1:6379 --buffer 1
expect 2 "port 70000: outside" "$RELAY" --listen 70000 --connect 127.0.0.1:6379
expect 2 "not a numeric IPv4" "$RELAY" --listen localhost:0 --connect 127.0.0.1:6379

# Not root: a clear message and status 1 (only when we can drop to an unprivileged user
# who can still run the binary).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
   setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$TB" 2>/dev/null; then
    expect 1 "needs root" setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$TB" up --prefix evclinr --run-dir "$tmp/run"
elif [ "$(id -u)" -ne 0 ]; then
    expect 1 "needs root" "$TB" up --prefix evclinr --run-dir "$tmp/run"
else
    echo "note: not-root check skipped (cannot run the binary as an unprivileged user)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
