#!/bin/sh
# test_testbed_netns_quota.sh TESTBED RELAY - `start-platform` run under `ip netns exec`
# (which remounts /sys and so hides the cgroup mounts under /sys/fs/cgroup) must not start
# the platform outside a configured gateway quota silently: either its processes are in the
# quota cgroup, or the command fails (exit 1) with a message naming the problem and nothing
# keeps running. Regression test for the quota that silently did not apply.
TB=$1
RELAY=$2
. "$(dirname "$0")/test_testbed_lib.sh"
skip_unless_testbed_host

P=evfx
RUN=$(mktemp -d)
trap '"$TB" down --prefix $P --run-dir "$RUN" >/dev/null 2>&1; rm -rf "$RUN"' EXIT INT TERM

# in_quota PID: the cpu line of /proc/PID/cgroup (v1) or the 0:: line (v2) ends in our group
in_quota() {
    grep -Eq "^[0-9]+:([^:]*,)?cpu(,[^:]*)?:.*/edgevirt-$P\$|^0::.*/edgevirt-$P\$" "/proc/$1/cgroup"
}
# try NAME PORT MODE: start-platform NAME under `ip netns exec`; MODE "child" keeps the
# caller as an ancestor outside the namespace, "orphan" leaves only ancestors inside it (or
# init), where the cgroup mounts may not be reachable at all.
try() {
    name=$1 port=$2 mode=$3
    if [ "$mode" = child ]; then
        ip netns exec ${P}gateway "$TB" start-platform "$name" --port "$port" --prefix $P \
            --run-dir "$RUN" --relay "$RELAY" >"$RUN/out" 2>"$RUN/err"
        echo $? >"$RUN/rc"
    else
        rm -f "$RUN/rc"
        ip netns exec ${P}gateway sh -c '( "$1" start-platform "$2" --port "$3" --prefix "$4" \
            --run-dir "$5" --relay "$6" >"$5/out" 2>"$5/err"; echo $? >"$5/rc.tmp";
            mv "$5/rc.tmp" "$5/rc" ) &' sh "$TB" "$name" "$port" $P "$RUN" "$RELAY"
        i=0
        while [ ! -e "$RUN/rc" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    fi
    rc=$(cat "$RUN/rc" 2>/dev/null || echo timeout)
    if [ "$rc" = 0 ]; then
        out=$(cat "$RUN/out")
        pid=$(json_int redis_pid "$out")
        check "$name/$mode: redis started ($out)" alive "$pid"
        check "$name/$mode: redis $pid is in the quota cgroup" in_quota "$pid"
        rpid=$(json_int relay_pid "$out")
        if [ -n "$rpid" ] && [ "$rpid" -gt 0 ]; then
            check "$name/$mode: relay $rpid is in the quota cgroup" in_quota "$rpid"
        fi
        echo "$name/$mode: started inside the quota cgroup"
        check "$name/$mode: stop-platform" "$TB" stop-platform --port "$port" --prefix $P \
            --run-dir "$RUN"
    else
        check "$name/$mode: failed with exit 1, not $rc" test "$rc" = 1
        check "$name/$mode: the message names the quota and the workaround: $(cat "$RUN/err")" \
            sh -c "grep -q 'quota' '$RUN/err' && grep -q 'ip netns exec' '$RUN/err'"
        st=$("$TB" status --prefix $P --run-dir "$RUN")
        check "$name/$mode: no platform recorded" sh -c \
            "! printf '%s' '$st' | grep -q '\"port\":$port'"
        echo "$name/$mode: refused loudly: $(cat "$RUN/err")"
    fi
}

# try_exec MODE: `exec gateway` under `ip netns exec` either runs its command in the quota
# cgroup or refuses (exit 1) naming the problem.
try_exec() {
    mode=$1
    rm -f "$RUN/rc"
    cmd='"$1" exec gateway --prefix "$2" --run-dir "$3" -- cat /proc/self/cgroup >"$3/out" \
        2>"$3/err"; echo $? >"$3/rc.tmp"; mv "$3/rc.tmp" "$3/rc"'
    if [ "$mode" = child ]; then
        ip netns exec ${P}gateway sh -c "$cmd" sh "$TB" $P "$RUN"
    else
        ip netns exec ${P}gateway sh -c "( $cmd ) &" sh "$TB" $P "$RUN"
        i=0
        while [ ! -e "$RUN/rc" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    fi
    rc=$(cat "$RUN/rc" 2>/dev/null || echo timeout)
    if [ "$rc" = 0 ]; then
        check "exec/$mode: the command ran in the quota cgroup: $(tr '\n' ' ' <"$RUN/out")" \
            grep -Eq "^[0-9]+:([^:]*,)?cpu(,[^:]*)?:.*/edgevirt-$P\$|^0::.*/edgevirt-$P\$" \
            "$RUN/out"
    else
        check "exec/$mode: failed with exit 1, not $rc" test "$rc" = 1
        check "exec/$mode: the message names the quota and the workaround: $(cat "$RUN/err")" \
            sh -c "grep -q 'quota' '$RUN/err' && grep -q 'ip netns exec' '$RUN/err'"
        echo "exec/$mode: refused loudly"
    fi
}

check "up with a quota" "$TB" up --prefix $P --run-dir "$RUN" --link-rate none \
    --gateway-quota 0.5
try direct 6471 child
try relay 6472 child
try direct 6473 orphan
try_exec child
try_exec orphan
check "down" "$TB" down --prefix $P --run-dir "$RUN"
check "nothing left: no namespaces, state or cgroup" sh -c "! ip netns list | grep -q '^$P' &&
    [ ! -e '$RUN/$P' ] && [ ! -e /sys/fs/cgroup/cpu/edgevirt-$P ] &&
    [ ! -e /sys/fs/cgroup/edgevirt-$P ]"
check "no redis-server of this test left" sh -c "! pgrep -f 'redis-server.*:647[123]' >/dev/null"
finish
