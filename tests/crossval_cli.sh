#!/bin/sh
# crossval_cli: `edgevirt-model crossval` usage, errors and outputs on the paper's reconstructed
# runs (data/paper/runs.jsonl: one MTU, five sizes).
# usage: crossval_cli.sh EDGEVIRT_MODEL DATA_DIR TMPDIR
set -u
M=$1 D=$2 T=$3
rm -rf "$T"; mkdir -p "$T"
fail=0
expect() { # STATUS PATTERN CMD... : exit status and a pattern in stdout+stderr
    st=$1 pat=$2; shift 2
    "$@" >"$T/out" 2>&1; rc=$?
    if [ $rc != "$st" ]; then echo "FAILED: $* exited $rc, expected $st" >&2; cat "$T/out" >&2; fail=1; return; fi
    grep -q -- "$pat" "$T/out" || { echo "FAILED: $*: no \"$pat\" in:" >&2; cat "$T/out" >&2; fail=1; return; }
    echo "ok: $*"
}
R="$D/paper/runs.jsonl"
expect 0 "Cross-validates the cost model" "$M" crossval --help
expect 0 "crossval RUNS.jsonl" "$M" --help
expect 2 "--by: must be size, mtu or both" "$M" crossval "$R" --by bytes
expect 2 "at least one RUNS.jsonl" "$M" crossval
expect 2 "exclude each other" "$M" crossval "$R" --json --csv
expect 2 "only one MTU (1500)" "$M" crossval "$R" --by mtu
expect 2 "absent.jsonl: No such file" "$M" crossval "$T/absent.jsonl"
printf '{"schema":"edgevirt.run/1"\n' > "$T/bad.jsonl"
expect 2 "bad.jsonl: line 1" "$M" crossval "$T/bad.jsonl"
# default both: the MTU scheme is skipped with a warning, the size scheme runs
expect 0 "leave-one-mtu-out skipped" "$M" crossval "$R"
expect 0 "^leave-one-size-out .*50/50" "$M" crossval "$R"
# --json: every point once, summaries per platform plus the overall one, numbers sane
"$M" crossval "$R" --by size --json > "$T/x.json" || fail=1
v=$(jq '(.points | length) == 50 and all(.points[]; .predicted and .rps.measured > 0 and .rps.predicted > 0)
        and ([.summary[] | select(.platform == null)] | length) == 1
        and (.summary | length) == 6
        and all(.summary[]; .rps_mape_pct >= 0 and .cpu_mae_max_pp >= .cpu_mae_pp.user)' "$T/x.json")
[ "$v" = true ] && echo "ok: --json shape" || { echo "FAILED: --json shape" >&2; fail=1; }
# --csv: header and one line per point
"$M" crossval "$R" --by size --csv > "$T/x.csv" || fail=1
head -1 "$T/x.csv" | grep -q '^scheme,held_out,platform,op,size_bytes,mtu_bytes' && [ "$(wc -l < "$T/x.csv")" = 51 ] &&
    echo "ok: --csv" || { echo "FAILED: --csv" >&2; fail=1; }
# --out: files written (the charts' .dat/.gp always; PNG when gnuplot is installed)
"$M" crossval "$R" --by size --out "$T/o" > /dev/null || fail=1
for f in crossval.json crossval.csv crossval-rps.dat crossval-rps.gp crossval-cpu.dat crossval-cpu.gp; do
    [ -s "$T/o/$f" ] || { echo "FAILED: --out did not write $f" >&2; fail=1; }
done
if command -v gnuplot >/dev/null; then
    [ -s "$T/o/crossval-rps.png" ] && [ -s "$T/o/crossval-cpu.png" ] && echo "ok: charts rendered" ||
        { echo "FAILED: charts not rendered" >&2; fail=1; }
fi
cmp -s "$T/o/crossval.json" "$T/x.json" && echo "ok: --out json = --json" ||
    { echo "FAILED: --out crossval.json differs from --json" >&2; fail=1; }
exit $fail
