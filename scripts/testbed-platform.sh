#!/bin/sh
# testbed-platform.sh NAME PORT PIDDIR [edgevirt-testbed options...]
#
# The `start` command of the data/specs/testbed-*.json platforms (runner driver "command";
# docs/calibration.md). Starts the emulated platform path NAME on PORT with
# `edgevirt-testbed start-platform`, writes the pids it reports as
#   PIDDIR/vmm.pid    the relay ("VMM" user/system), empty on a path without a relay
#   PIDDIR/guest.pid  redis-server ("guest")
# for the driver's vmm_pid_file / guest_pid_file (per-process accounting), then stays in the
# foreground (the command driver watches it) until SIGTERM/SIGINT or at most 3600 s. The spec's
# `stop` command (`edgevirt-testbed stop-platform --port PORT`) stops the path itself; on a
# signal this script also stops it (idempotent), so nothing is left behind.
# Environment: EDGEVIRT_TESTBED (default: edgevirt-testbed from PATH).
set -u
if [ $# -lt 3 ]; then
    echo "usage: testbed-platform.sh NAME PORT PIDDIR [edgevirt-testbed options...]" >&2
    exit 2
fi
name=$1 port=$2 piddir=$3
shift 3
extra="$*" # testbed options, e.g. --prefix NAME (no spaces)
tb=${EDGEVIRT_TESTBED:-edgevirt-testbed}
mkdir -p "$piddir" || exit 1
rm -f "$piddir/vmm.pid" "$piddir/guest.pid"
js=$("$tb" start-platform "$name" --port "$port" $extra) || exit 1
printf '%s\n' "$js"
redis=$(printf '%s' "$js" | sed -n 's/.*"redis_pid":\([0-9]*\).*/\1/p')
relay=$(printf '%s' "$js" | sed -n 's/.*"relay_pid":\([0-9]*\).*/\1/p')
if [ -z "$redis" ]; then
    echo "testbed-platform.sh: start-platform printed no redis_pid: $js" >&2
    "$tb" stop-platform --port "$port" $extra >/dev/null 2>&1
    exit 1
fi
printf '%s\n' "${relay:-}" > "$piddir/vmm.pid.tmp" && mv "$piddir/vmm.pid.tmp" "$piddir/vmm.pid"
printf '%s\n' "$redis" > "$piddir/guest.pid.tmp" && mv "$piddir/guest.pid.tmp" "$piddir/guest.pid"
sp=
cleanup() {
    [ -n "$sp" ] && kill "$sp" 2>/dev/null
    "$tb" stop-platform --port "$port" $extra >/dev/null 2>&1
    rm -f "$piddir/vmm.pid" "$piddir/guest.pid"
    exit 0
}
trap cleanup TERM INT
sleep 3600 &
sp=$!
wait "$sp"
cleanup
