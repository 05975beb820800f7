#!/bin/sh
# smoke_bench.sh - a quick, bounded manual measurement on the namespace testbed (NOT the
# calibration): GET/SET requests per second for the direct, relay and swseg paths at 64 B and
# 16 KB, MTU 1500 and 576, REPEATS repeats interleaved (platform order rotates every repeat),
# gateway pinned to CPU 1 and client to CPU 0, no link-rate limit (so segmentation shows), and
# optionally a CFS quota on the gateway to emulate a slower core.
#
# Usage: smoke_bench.sh BUILD_DIR OUT.csv [REPEATS] [QUOTA_CORES]
#   QUOTA_CORES: e.g. 0.3 runs the gateway at 30 % of one core (0 = none, the default).
#   PLATFORMS (environment): paths to compare, default "direct relay swseg"; the first is the
#   reference of the ratios printed at the end (e.g. PLATFORMS="direct relay swseg relay+swseg").
# Writes one CSV line per run (appended as measured):
#   rep,quota_cores,mtu,platform,size_bytes,test,rps,p50_ms,p99_ms,cpu0_busy_pct,cpu1_busy_pct,
#   cpu0_softirq_pct,cpu1_softirq_pct,redis_cpu_pct,relay_cpu_pct,duration_s
# Each run is bounded: -n requests and `timeout 120`. Needs root.
set -u
B=${1:?build dir}; OUT=${2:?output csv}; REPEATS=${3:-3}; QUOTA=${4:-0}
TB="$B/measure/testbed/edgevirt-testbed"
P=evbench
PLATFORMS=${PLATFORMS:-direct relay swseg}
RUN=$(mktemp -d)
trap '"$TB" down --prefix $P --run-dir "$RUN" >/dev/null 2>&1; rm -rf "$RUN"' EXIT INT TERM
[ -s "$OUT" ] || echo "rep,quota_cores,mtu,platform,size_bytes,test,rps,p50_ms,p99_ms,cpu0_busy_pct,cpu1_busy_pct,cpu0_softirq_pct,cpu1_softirq_pct,redis_cpu_pct,relay_cpu_pct,duration_s" >"$OUT"

cpustat() { grep -E '^cpu[01] ' /proc/stat | tr '\n' ' '; }
ticks() { [ -n "$1" ] && [ "$1" != 0 ] && sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}' || echo 0; }
now() { awk '{print $1}' /proc/uptime; }
json_int() { printf '%s' "$2" | grep -o "\"$1\":[0-9]*" | head -n1 | cut -d: -f2; }

run_one() { # rep mtu platform size test n
    rep=$1 mtu=$2 plat=$3 size=$4 t=$5 n=$6
    a=$(cpustat); ra=$(ticks "$RPID"); la=$(ticks "$LPID"); t0=$(now)
    res=$(timeout 120 "$TB" exec client --prefix $P --run-dir "$RUN" -- \
          redis-benchmark -h 10.77.0.2 -p 6379 -n "$n" -c 20 -t "$t" -d "$size" --csv 2>/dev/null |
          grep -i "^\"$t\"")
    b=$(cpustat); rb=$(ticks "$RPID"); lb=$(ticks "$LPID"); t1=$(now)
    echo "$a|$b|$ra $rb $la $lb $t0 $t1|$res" | awk -F'|' -v rep="$rep" -v q="$QUOTA" \
        -v mtu="$mtu" -v plat="$plat" -v size="$size" -v t="$t" '
    function busy(s, i,   f, tot, k) {   # fields of "cpuN user nice sys idle iow irq softirq steal"
        split(s, f, " "); tot = 0
        for (k = 2; k <= 9; k++) tot += f[k]
        B[i] = tot - f[5] - f[6]; T[i] = tot; S[i] = f[8]
    }
    {
        split($1, a, "cpu"); split($2, b, "cpu")
        busy("cpu" a[2], "a0"); busy("cpu" a[3], "a1"); busy("cpu" b[2], "b0"); busy("cpu" b[3], "b1")
        split($3, p, " "); split($4, r, ",")
        gsub(/"/, "", r[2]); gsub(/"/, "", r[5]); gsub(/"/, "", r[7])
        dur = p[6] - p[5]; if (dur <= 0) dur = 0.01
        c0 = 100 * (B["b0"] - B["a0"]) / (T["b0"] - T["a0"] + 1e-9)
        c1 = 100 * (B["b1"] - B["a1"]) / (T["b1"] - T["a1"] + 1e-9)
        s0 = 100 * (S["b0"] - S["a0"]) / (T["b0"] - T["a0"] + 1e-9)
        s1 = 100 * (S["b1"] - S["a1"]) / (T["b1"] - T["a1"] + 1e-9)
        printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.2f\n", rep, q, mtu, plat,
               size, t, r[2], r[5], r[7], c0, c1, s0, s1, (p[2] - p[1]) / dur, (p[4] - p[3]) / dur, dur
    }' | tee -a "$OUT"
}

for rep in $(seq 1 "$REPEATS"); do
    for mtu in 1500 576; do
        "$TB" up --prefix $P --run-dir "$RUN" --mtu $mtu --link-rate none --offload on \
            --gateway-cpu 1 --client-cpu 0 --gateway-quota "$QUOTA" 2>/dev/null || exit 1
        # rotate the order of the paths every repeat (interleaving against drift)
        order=$(echo $PLATFORMS | awk -v k="$rep" '{ for (i = 0; i < NF; i++) printf "%s ", $(((i + k - 1) % NF) + 1) }')
        for plat in $order; do
            j=$("$TB" start-platform $plat --port 6379 --prefix $P --run-dir "$RUN") || exit 1
            RPID=$(json_int redis_pid "$j"); LPID=$(json_int relay_pid "$j"); LPID=${LPID:-0}
            for size in 64 16384; do
                if [ $size = 64 ]; then n=60000; else n=20000; fi
                [ "$QUOTA" != 0 ] && n=$((n / 3))
                run_one "$rep" "$mtu" "$plat" "$size" set "$n"
                run_one "$rep" "$mtu" "$plat" "$size" get "$n"
            done
            "$TB" stop-platform --port 6379 --prefix $P --run-dir "$RUN" || exit 1
        done
    done
done

# Summary: median RPS per point and each path's ratio to the first path (same block only).
REF=$(echo $PLATFORMS | awk '{print $1}')
echo
echo "median rps over $REPEATS repeats (quota $QUOTA cores); ratio = path / $REF"
awk -F, -v ref="$REF" -v q="$QUOTA" '
    NR > 1 && $2 == q { k = $3 "," $5 "," $6 "," $4; v[k] = v[k] " " $7; pts[$3 "," $5 "," $6] = 1; plats[$4] = 1 }
    function median(s,   a, n, i, j, t) {
        n = split(s, a, " ")
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {
        for (pt in pts) {
            r = median(v[pt "," ref])
            line = sprintf("mtu,size,op=%s  %s %.0f", pt, ref, r)
            for (p in plats) if (p != ref && (pt "," p) in v) {
                m = median(v[pt "," p]); line = line sprintf("  %s %.0f (ratio %.2f)", p, m, r > 0 ? m / r : 0)
            }
            print line
        }
    }' "$OUT" | sort
