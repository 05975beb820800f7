# test_testbed_lib.sh - shared helpers for the testbed's shell tests (sourced, not run).
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION CMD... : passes when CMD succeeds
    d=$1; shift
    if "$@"; then ok; else bad "$d"; fi
}
finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
skip_unless_testbed_host() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "skipped: needs root (network namespaces)"; exit 77
    fi
    if [ ! -e /proc/self/ns/net ] || ! command -v ip >/dev/null 2>&1 ||
       ! ip netns list >/dev/null 2>&1; then
        echo "skipped: no network namespace support (ip netns)"; exit 77
    fi
    for p in tc ethtool redis-server redis-cli redis-benchmark; do
        command -v "$p" >/dev/null 2>&1 || { echo "skipped: $p not installed"; exit 77; }
    done
    # can we really create a namespace here (containers may forbid it)?
    probe="evprobe$$"
    if ! ip netns add "$probe" 2>/dev/null; then
        echo "skipped: cannot create a network namespace here"; exit 77
    fi
    ip netns del "$probe"
}
# alive PID: running and not a zombie
alive() {
    [ -r "/proc/$1/stat" ] || return 1
    st=$(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1)
    [ "$st" != Z ] && [ "$st" != X ]
}
json_int() { # json_int KEY TEXT
    printf '%s' "$2" | grep -o "\"$1\":[0-9]*" | head -n1 | cut -d: -f2
}
