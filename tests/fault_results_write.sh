#!/bin/sh
# fault_results_write.sh [--root] EDGEVIRT_MEASURE EDGEVIRT_LOAD - the results file cannot be
# written (native platform, real redis-server on loopback). In every case: a clear error that
# names the file and the reason, exit status 1, the records written before intact (byte for
# byte), and a later run, once the file is writable again, completes the sweep with every point
# recorded ok exactly once (a record cut off by the failure is detected and measured again).
#   default: the file size limit (RLIMIT_FSIZE, prlimit --fsize; SIGXFSZ ignored) is reached in
#            the middle of a record: write() fails with EFBIG after a partial line;
#   --root:  the results file on a tiny tmpfs this test mounts: the disk fills up (ENOSPC),
#            then the tmpfs is remounted read-only (EROFS). Needs root (skips with 77 else).
set -u
ROOT=0
[ "${1:-}" = --root ] && { ROOT=1; shift; }
M=$1; L=$2
. "$(dirname "$0")/runner_lib.sh"
command -v redis-server >/dev/null || skip "redis-server is not installed"
command -v jq >/dev/null || skip "jq is not installed"
command -v prlimit >/dev/null || skip "prlimit (util-linux) is not installed"
T=$(mktemp -d /tmp/edgevirt-fault-write-XXXXXX)
MNT=
cleanup() { [ -n "$MNT" ] && umount "$MNT" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
PORT=$(free_port 9)
spec() { # repeats
cat <<JSON
{"schema": "edgevirt.spec/1",
 "platforms": [{"id": "native", "settings": {"driver": "native", "port": $PORT, "workdir": "$T"}}],
 "workload": {"ops": ["SET"], "value_sizes": [64, 128, 256], "clients": 2, "requests": 3000},
 "repeats": $1,
 "gateway": {"interfaces": [{"name": "lo", "role": "nic"}]},
 "client": {"timeout_s": 60},
 "timeouts": {"ready_s": 10, "stop_s": 5}}
JSON
}
spec 1 >"$T/spec1.json"; spec 2 >"$T/spec2.json"; spec 3 >"$T/spec3.json"
trap '' XFSZ # ignored here, so also in the runner: write() returns EFBIG instead of a kill

# intact R SAVED: R still starts with the bytes of SAVED
intact() { [ "$(head -c "$(wc -c <"$2")" "$1" | cksum)" = "$(cksum <"$2")" ]; }
# final R N: a run to the end works and leaves N unique ok points
final() {
    "$M" run "$3" -o "$1" --load "$L" -q 2>"$T/final.err"; rc=$?
    [ $rc = 0 ] && ok || bad "$4: the run after the failure exits $rc: $(cat "$T/final.err")"
    oks=$(jq -R 'fromjson? | select(.status=="ok") | .point' "$1" | sort)
    [ "$(echo "$oks" | wc -l | tr -d ' ')" = "$2" ] && ok || bad "$4: expected $2 ok records, got: $oks"
    [ "$(echo "$oks" | sort -u | wc -l | tr -d ' ')" = "$2" ] && ok || bad "$4: a point was recorded twice"
}

# ---- file size limit (EFBIG), mid-record
R="$T/runs.jsonl"
"$M" run "$T/spec1.json" -o "$R" --load "$L" -q 2>"$T/e1" && ok || bad "first run failed: $(cat "$T/e1")"
[ "$(count "$R" 'select(.status=="ok")')" = 3 ] && ok || bad "first run: 3 ok records expected"
cp "$R" "$T/saved"
lim=$(( $(wc -c <"$R") + 200 )) # room for 200 bytes: the next record is cut off
prlimit --fsize=$lim:$lim "$M" run "$T/spec2.json" -o "$R" --load "$L" -q 2>"$T/e2"; rc=$?
cat "$T/e2"
[ $rc = 1 ] && ok || bad "EFBIG: exit $rc, expected 1"
grep -q "runs.jsonl: write failed: File too large" "$T/e2" && ok || bad "EFBIG: unclear error: $(cat "$T/e2")"
intact "$R" "$T/saved" && ok || bad "EFBIG: the earlier records changed"
[ "$(wc -c <"$R")" -le $lim ] && ok || bad "EFBIG: the file grew past the limit"
redis-cli -p "$PORT" ping >/dev/null 2>&1 && bad "EFBIG: redis-server left running" || ok
final "$R" 6 "$T/spec2.json" EFBIG
grep -q "warning: 1 cut-off line(s) of .*runs.jsonl ignored" "$T/final.err" && ok ||
    bad "EFBIG: the record cut off by the failure was not reported: $(cat "$T/final.err")"

if [ $ROOT = 1 ]; then
    [ "$(id -u)" = 0 ] || skip "not root: cannot mount a tmpfs"
    MNT="$T/mnt"; mkdir -p "$MNT"
    mount -t tmpfs -o size=8k,mode=0755 edgevirt-fault "$MNT" 2>"$T/m" || { MNT=; skip "cannot mount a tmpfs: $(cat "$T/m")"; }
    R="$MNT/runs.jsonl"
    # ---- the disk fills up (ENOSPC)
    "$M" run "$T/spec1.json" -o "$R" --load "$L" -q 2>"$T/e3" && ok || bad "tmpfs: first run failed: $(cat "$T/e3")"
    cp "$R" "$T/saved"
    dd if=/dev/zero of="$MNT/filler" bs=1024 count=64 2>/dev/null # fill it: ENOSPC expected
    "$M" run "$T/spec3.json" -o "$R" --load "$L" -q 2>"$T/e4"; rc=$?
    cat "$T/e4"
    [ $rc = 1 ] && ok || bad "ENOSPC: exit $rc, expected 1"
    grep -q "runs.jsonl: write failed: No space left on device" "$T/e4" && ok || bad "ENOSPC: unclear error: $(cat "$T/e4")"
    intact "$R" "$T/saved" && ok || bad "ENOSPC: the earlier records changed"
    redis-cli -p "$PORT" ping >/dev/null 2>&1 && bad "ENOSPC: redis-server left running" || ok
    rm -f "$MNT/filler"
    mount -o remount,size=1m "$MNT"
    final "$R" 9 "$T/spec3.json" ENOSPC
    # ---- read-only (EROFS)
    cp "$R" "$T/saved"
    spec 4 >"$T/spec4.json"
    mount -o remount,ro "$MNT"
    "$M" run "$T/spec4.json" -o "$R" --load "$L" -q 2>"$T/e5"; rc=$?
    cat "$T/e5"
    [ $rc = 1 ] && ok || bad "EROFS: exit $rc, expected 1"
    grep -q "runs.jsonl: .*Read-only file system" "$T/e5" && ok || bad "EROFS: unclear error: $(cat "$T/e5")"
    intact "$R" "$T/saved" && cmp -s "$R" "$T/saved" && ok || bad "EROFS: the records changed"
    mount -o remount,rw "$MNT"
    final "$R" 12 "$T/spec4.json" EROFS
fi
finish
