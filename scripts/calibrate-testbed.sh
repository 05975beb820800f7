#!/bin/bash
# calibrate-testbed.sh - the one command of the testbed calibration (issue 7, docs/calibration.md):
# set up the one-host testbed, measure the sweep with edgevirt-measure, fit the model, cross-
# validate it, plot, and tear the testbed down (always: also on failure or interrupt).
set -u

usage() {
    cat <<'EOF'
usage: scripts/calibrate-testbed.sh [--quick] [--out DIR] [--build DIR] [--quota CORES]
                                    [--repeats N] [--duration S] [--min-busy PCT]
                                    [--prefix NAME] [--inputs FILE]
                                    [--sweep SPEC:MTU]... [--measure-only]

Calibrates the cost model on the one-host testbed (docs/calibration.md). Needs root.
  1. edgevirt-testbed up --link-rate none --mtu M --offload on --gateway-cpu 1 --client-cpu 0
     --gateway-quota CORES   (once per MTU and round; swseg paths switch the link mode
     themselves when they start)
  2. edgevirt-measure run (inside the gateway namespace) the spec data/specs/testbed-sweep.json
     (MTU 1500), testbed-sweep-mtu1000.json (MTU 1000) and testbed-sweep-mtu576.json (MTU 576),
     one repeat per round, the MTUs rotating, appending to DIR/runs.jsonl (rerunning resumes: recorded points are skipped)
  3. DIR/model-input.jsonl: the records with the CPU per process (relay = VMM user/system,
     redis-server = guest) in percent of the emulated gateway core (process CPU / CORES)
  4. edgevirt-model fit --inputs FILE -> DIR/model.json (DIR/fit.txt)
  5. edgevirt-model crossval --by both --min-busy PCT --inputs FILE -> DIR/crossval/
     (crossval.txt, .json, .csv, charts)
  6. edgevirt-report plot --model DIR/model.json -> DIR/plots/
  7. edgevirt-testbed down

options:
  --quick          the CI subset: data/specs/testbed-quick.json (tb-direct and tb-relay x
                   64 B and 16 KB x SET x 2 repeats, 1 s per point, MTU 1500); default
                   --out build/calib-quick (fit and cross-validation are skipped: 2 sizes
                   cannot identify the model)
  --out DIR        output folder (default data/testbed)
  --build DIR      the CMake build folder with the binaries (default build)
  --quota CORES    CFS quota of the gateway cgroup (default 0.3): the emulated gateway core,
                   slow enough that the gateway, not the client, binds
  --repeats N      repeats per MTU (default 5)
  --duration S     seconds per measured point (default: the spec's, 3)
  --min-busy PCT   cross-validation counts only points where redis + relay used at least PCT
                   percent of the quota, i.e. where the gateway bound (default 90); the
                   others (another tenant of a shared host took the CPU) are listed apart
  --prefix NAME    testbed prefix (default ev; substituted into the specs' commands)
  --sweep SPEC:MTU measure SPEC at MTU instead of the three calibration sweeps (repeatable; the
                   rounds alternate over them as over the default three), e.g. the validation
                   sweep data/specs/testbed-validate.json:1500 (docs/calibration.md)
  --measure-only   measure and write model-input.jsonl only: no fit, cross-validation or plots
                   (validation and anchor runs)
  --inputs FILE    the platforms' segmentation inputs for fit and crossval (default
                   data/testbed/inputs.json: the testbed's real packet sizes; docs/formats.md,
                   "Platform inputs file")

Exit status: 0 done, 1 a step failed (points that failed are in runs.jsonl as failed; rerun to
resume), 2 usage, 77 not root (skip).
EOF
}

here=$(cd "$(dirname "$0")/.." && pwd)
sweeps= measure_only=0
quick=0 out= build="$here/build" quota=0.3 repeats=5 duration= prefix=ev min_busy=90
inputs="$here/data/testbed/inputs.json"
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    --build) build=${2:?--build needs a folder}; shift ;;
    --quota) quota=${2:?--quota needs CORES}; shift ;;
    --repeats) repeats=${2:?--repeats needs N}; shift ;;
    --duration) duration=${2:?--duration needs seconds}; shift ;;
    --prefix) prefix=${2:?--prefix needs a name}; shift ;;
    --min-busy) min_busy=${2:?--min-busy needs PCT}; shift ;;
    --inputs) inputs=${2:?--inputs needs a file}; shift ;;
    --sweep)
        sw=${2:?--sweep needs SPEC:MTU}; shift
        case "${sw##*:}" in ''|*[!0-9]*) echo "calibrate-testbed.sh: --sweep: SPEC:MTU, MTU an integer: $sw" >&2; exit 2 ;; esac
        [ -r "${sw%:*}" ] || { echo "calibrate-testbed.sh: --sweep: cannot read ${sw%:*}" >&2; exit 2; }
        sweeps="$sweeps $(cd "$(dirname "${sw%:*}")" && pwd)/$(basename "${sw%:*}"):${sw##*:}" ;;
    --measure-only) measure_only=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "calibrate-testbed.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
case "$repeats" in ''|*[!0-9]*) echo "calibrate-testbed.sh: --repeats: must be an integer >= 1" >&2; exit 2 ;; esac
[ "$repeats" -ge 1 ] || { echo "calibrate-testbed.sh: --repeats: must be >= 1" >&2; exit 2; }
awk -v q="$quota" 'BEGIN { exit !(q + 0 > 0 && q + 0 <= 64) }' ||
    { echo "calibrate-testbed.sh: --quota: must be a number of cores in (0, 64]" >&2; exit 2; }
case "$prefix" in ''|*[!a-z0-9]*) echo "calibrate-testbed.sh: --prefix: lower-case letters and digits" >&2; exit 2 ;; esac
awk -v q="$min_busy" 'BEGIN { exit !(q + 0 >= 0 && q + 0 <= 100) }' ||
    { echo "calibrate-testbed.sh: --min-busy: must be a percentage in [0, 100]" >&2; exit 2; }
[ -r "$inputs" ] || { echo "calibrate-testbed.sh: --inputs: cannot read $inputs" >&2; exit 2; }
if [ -z "$out" ]; then
    if [ $quick = 1 ]; then out="$build/calib-quick"; else out="$here/data/testbed"; fi
fi

if [ "$(id -u)" != 0 ]; then
    echo "calibrate-testbed.sh: SKIP: needs root (network namespaces, veth, tc, cgroups)" >&2
    exit 77
fi
for t in jq awk; do
    command -v $t >/dev/null || { echo "calibrate-testbed.sh: $t is required" >&2; exit 1; }
done
bins="$build/measure/testbed $build/measure/load $build/measure/runner $build/model $build/plots/report"
for b in measure/testbed/edgevirt-testbed measure/testbed/edgevirt-relay measure/load/edgevirt-load \
         measure/runner/edgevirt-measure model/edgevirt-model; do
    [ -x "$build/$b" ] || { echo "calibrate-testbed.sh: $build/$b not built (cmake --build $build)" >&2; exit 1; }
done
PATH="$here/scripts:$(echo $bins | tr ' ' ':'):$PATH"
export PATH
mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
work="$out/.work"
mkdir -p "$work" || exit 1
log() { echo "calibrate-testbed.sh: $(date -u +%H:%M:%S) $*" >&2; }

# ---- teardown, always
cleanup() {
    rc=$?
    trap - EXIT INT TERM
    log "tearing the testbed down"
    edgevirt-testbed stop-platform --all --prefix "$prefix" >/dev/null 2>&1
    edgevirt-testbed down --prefix "$prefix" >/dev/null 2>&1 ||
        log "warning: edgevirt-testbed down failed (run it again by hand)"
    exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# Run a command inside the gateway namespace. `ip netns exec` mounts a fresh /sys (so the
# gateway's veth evg0 is visible to the sampler), which hides the cgroup mounts under
# /sys/fs/cgroup; without them edgevirt-testbed cannot put redis-server into the gateway's
# quota cgroup, so they are mounted again inside (a private mount namespace: the host's mounts
# are untouched).
cg_mounts=$(awk '$2 ~ "^/sys/fs/cgroup" { print $3 " " $4 " " $1 " " $2 }' /proc/self/mounts)
in_gateway() {
    ip netns exec "${prefix}gateway" sh -c '
        printf "%s\n" "$1" | while read -r t o s d; do
            [ -n "$d" ] || continue
            mkdir -p "$d" 2>/dev/null
            mount -t "$t" -o "$o" "$s" "$d" || exit 1
        done || { echo "calibrate-testbed.sh: cannot mount the cgroups in the namespace" >&2; exit 1; }
        shift
        exec "$@"' sh "$cg_mounts" "$@"
}

# The spec of one round: repeats = round (so only repeat round-1 is new; the runner resumes
# the rest), the quota named in every record's platform.version, optional duration, and the
# testbed prefix substituted for the specs' "ev" (commands and the pid folder).
round_spec() { # SRC ROUND DST
    jq --argjson r "$2" --arg q "$quota" --arg d "${duration}" --arg p "$prefix" \
       --arg sdir "$(cd "$(dirname "$1")" && pwd)" '
        def sub_prefix: if type == "array" then
                . as $v
                | [range(0; $v | length) as $i
                   | if $i > 0 and $v[$i - 1] == "--prefix" and $v[$i] == "ev" then $p
                     else ($v[$i] | if type == "string" then sub("^/run/edgevirt-calib/ev-";
                           "/run/edgevirt-calib/" + $p + "-") else . end) end]
              else . end;
        .repeats = $r
        | .platforms |= map(.settings |= with_entries(.value |= (sub_prefix
              | if type == "string" then sub("^/run/edgevirt-calib/ev-";
                    "/run/edgevirt-calib/" + $p + "-") else . end)))
        | .client.prefix |= sub_prefix
        | .platforms |= map(.settings.version = (.settings.version + ", gateway quota "
                                                  + $q + " core"))
        | if $d != "" then .workload.duration_s = ($d | tonumber) else . end
        | if .workload.mixes then .workload.mixes |= map(if startswith("/") then .
              else $sdir + "/" + . end) else . end' "$1" > "$3"
}

# The host is shared: other tenants' tasks on the gateway CPU would otherwise take CPU from
# the gateway cgroup before its quota binds (then they, not the emulated core, decide RPS).
# Maximum cpu.shares give the gateway cgroup precedence on its CPU; the quota still bounds it
# to CORES. (cgroup v1 cpu controller; cgroup v2: cpu.weight 10000.) The specs run the client
# at nice -10 for the same reason.
set_shares() {
    local v1="/sys/fs/cgroup/cpu/edgevirt-$prefix" v2="/sys/fs/cgroup/edgevirt-$prefix"
    if [ -w "$v1/cpu.shares" ]; then
        echo 262144 > "$v1/cpu.shares" || return 1
    elif [ -w "$v2/cpu.weight" ]; then
        echo 10000 > "$v2/cpu.weight" || return 1
    else
        log "warning: gateway cgroup not found: cpu.shares not raised"
    fi
}

measure_failed=0
run_mtu() { # MTU SPEC ROUND
    local mtu=$1 spec=$2 round=$3 rs="$work/round.json"
    log "round $round/$rmax, MTU $mtu: edgevirt-testbed up (gateway quota $quota core)"
    edgevirt-testbed up --prefix "$prefix" --link-rate none --mtu "$mtu" --offload on \
        --gateway-cpu 1 --client-cpu 0 --gateway-quota "$quota" >&2 || return 1
    set_shares || return 1
    round_spec "$spec" "$round" "$rs" || return 1
    in_gateway edgevirt-measure run "$rs" -o "$out/runs.jsonl"
    local rc=$?
    [ $rc = 0 ] || { [ $rc = 1 ] && measure_failed=1; }
    [ $rc -le 1 ] || return 1
    return 0
}

if [ $quick = 1 ]; then
    rmax=2
    for r in 1 2; do
        run_mtu 1500 "$here/data/specs/testbed-quick.json" $r || exit 1
    done
else
    rmax=$repeats
    for r in $(seq 1 "$repeats"); do
        if [ -n "$sweeps" ]; then
            for sw in $sweeps; do run_mtu "${sw##*:}" "${sw%:*}" $r || exit 1; done
            continue
        fi
        # rotate which MTU goes first, so drift spreads over all three
        case $((r % 3)) in
        1) order="1500 1000 576" ;;
        2) order="1000 576 1500" ;;
        *) order="576 1500 1000" ;;
        esac
        for m in $order; do
            if [ $m = 1500 ]; then s=testbed-sweep.json; else s=testbed-sweep-mtu$m.json; fi
            run_mtu $m "$here/data/specs/$s" $r || exit 1
        done
    done
fi
edgevirt-testbed down --prefix "$prefix" >/dev/null 2>&1

# ---- model input: CPU per process in percent of the emulated gateway core
log "model input: per-process CPU / quota $quota -> $out/model-input.jsonl"
jq -c --argjson q "$quota" '
    if .status == "ok" and .threads != null then
        (.threads.vmm_user / $q) as $u | (.threads.vmm_system / $q) as $s
        | ((.threads.vcpu_user + .threads.vcpu_system) / $q) as $g
        | .cpu = { basis: ("process/quota " + ($q | tostring)),
                   ncpu: (if ([$u, $s, $g] | max) > 100 then 2 else 1 end),
                   user: $u, system: $s, softirq: 0, guest: $g,
                   idle: ([0, 100 - $u - $s - $g] | max) }
    else . end' "$out/runs.jsonl" > "$work/model-input.jsonl" &&
    mv "$work/model-input.jsonl" "$out/model-input.jsonl" || exit 1
edgevirt-model validate "$out/model-input.jsonl" >&2 || exit 1

if [ $quick = 1 ] || [ $measure_only = 1 ]; then
    n=$(jq -s '[.[] | select(.status == "ok")] | length' "$out/runs.jsonl")
    log "measured: $n ok records in $out/runs.jsonl (no fit: --quick or --measure-only)"
    [ $measure_failed = 0 ] || exit 1
    exit 0
fi

# the pure ACKs per multi-segment message, from the packet counters (docs/model.md, "ACK
# packets"): the given inputs plus ack_pkts_per_msg / ack_pkts_per_seg, written to OUT/inputs.json
log "pure-ACK inputs from the packet counters -> $out/inputs.json"
edgevirt-model inputs "$out/runs.jsonl" --derive-acks --inputs "$inputs" -o "$work/inputs.json" >&2 &&
    mv "$work/inputs.json" "$out/inputs.json" || exit 1
inputs="$out/inputs.json"
log "fit -> $out/model.json"
edgevirt-model fit "$out/model-input.jsonl" -o "$out/model.json" --name testbed-calibrated \
    --inputs "$inputs" > "$out/fit.txt" || exit 1
log "cross-validation -> $out/crossval/"
mkdir -p "$out/crossval" || exit 1
edgevirt-model crossval "$out/model-input.jsonl" --by both --min-busy "$min_busy" --out "$out/crossval" \
    --inputs "$inputs" > "$out/crossval/crossval.txt" 2>&1 || exit 1
sed -n '/^summary/,$p' "$out/crossval/crossval.txt" >&2
if [ -x "$build/plots/report/edgevirt-report" ]; then
    log "plots -> $out/plots/"
    edgevirt-report plot "$out/model-input.jsonl" --model "$out/model.json" --out "$out/plots" >&2 ||
        log "warning: edgevirt-report plot failed"
fi
[ $measure_failed = 0 ] || { log "some points failed (see runs.jsonl); rerun to resume"; exit 1; }
log "done"
