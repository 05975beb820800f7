#!/bin/sh
# Build the libFuzzer targets (clang, EV_FUZZ=ON, in build-fuzz/ or $EV_FUZZ_BUILD_DIR) and run
# each for a bounded time, two at a time. Usage:
#   scripts/fuzz.sh [TARGET...]          (default: every target the tree has)
# Environment:
#   EV_FUZZ_TIME   seconds per target (default: 4 minutes of fuzzing in all, the targets run
#                  EV_FUZZ_JOBS at a time; at least 20 s and at most 60 s per target)
#   EV_FUZZ_JOBS   targets run at the same time (default 2)
#   EV_FUZZ_SEED   libFuzzer's -seed (default 1, so CI explores the same inputs run after run;
#                  set 0 for a random seed when hunting)
# Each target starts from its seeds (fuzz/targets.cmake: data/, tests/fixtures/, fuzz/seeds/,
# fuzz/regressions/) copied into build-fuzz/corpus/<t>/ (new inputs stay there, not in the
# tree). A crash, leak, timeout or sanitizer report fails the run: the input is kept under
# build-fuzz/artifacts/<t>/; once the bug is fixed copy it to fuzz/regressions/<t>/ so the
# default build replays it (ctest -R harden_replay). Exit 0 = no crash; 1 = crash;
# 77 = clang's libFuzzer runtime is not installed (nothing run).
set -eu
cd "$(dirname "$0")/.."
B="${EV_FUZZ_BUILD_DIR:-build-fuzz}"
JOBS="${EV_FUZZ_JOBS:-2}"

# libFuzzer runtime present? (Debian: libclang-rt-14-dev)
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: clang not installed: fuzzing skipped" >&2
    exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n){(void)d;(void)n;return 0;}\n' >"$probe/p.c"
if ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
    echo "fuzz: clang cannot link -fsanitize=fuzzer (libclang-rt-14-dev missing?): fuzzing skipped" >&2
    exit 77
fi

gen=""
command -v ninja >/dev/null 2>&1 && gen="-G Ninja"
[ -f "$B/CMakeCache.txt" ] && gen=""
cmake -S . -B "$B" $gen -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DEV_FUZZ=ON -DEV_TESTS=OFF >/dev/null
cmake --build "$B" --target fuzz_all -j "$JOBS"

if [ $# -gt 0 ]; then targets="$*"; else targets=$(cat "$B/fuzz/targets.txt"); fi
n=0
for t in $targets; do n=$((n + 1)); done
if [ -n "${EV_FUZZ_TIME:-}" ]; then
    T="$EV_FUZZ_TIME"
else
    rounds=$(( (n + JOBS - 1) / JOBS ))
    T=$((240 / rounds))
    [ "$T" -gt 60 ] && T=60
    [ "$T" -lt 20 ] && T=20
fi
echo "fuzz: $n targets, $T s each, $JOBS at a time"

export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:print_stacktrace=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

run_one() {
    t=$1
    corpus="$B/corpus/$t"
    art="$B/artifacts/$t"
    mkdir -p "$corpus" "$art"
    before=$(ls "$corpus" | wc -l)
    # seeds: files and folders (recursively), flattened into the working corpus
    while IFS= read -r s; do
        [ -n "$s" ] || continue
        if [ -d "$s" ]; then
            find "$s" -type f ! -name 'README*' | while IFS= read -r f; do
                cp "$f" "$corpus/seed_$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
            done
        elif [ -f "$s" ]; then
            cp "$s" "$corpus/seed_$(printf '%s' "$s" | cksum | cut -d' ' -f1)"
        fi
    done <"$B/fuzz/seeds_$t.txt"
    nseed=$(ls "$corpus" | wc -l)   # seeds + what earlier runs kept
    log="$B/fuzz_$t.log"
    # small inputs run faster; the model file seed is 16 KB
    maxlen=8192
    [ "$t" = model ] && maxlen=20000
    if "$B/fuzz/fuzz_$t" -max_total_time="$T" -seed="${EV_FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 -max_len=$maxlen \
            -print_final_stats=1 -artifact_prefix="$art/" "$corpus" >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
        echo "fuzz: $t: ok, started from $nseed inputs ($before kept from earlier runs), corpus now $(ls "$corpus" | wc -l), ${execs:-?} executions, $cov"
        return 0
    fi
    echo "fuzz: $t: FAILED (log $log, input in $art/):" >&2
    grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$log" | head -20 >&2
    return 1
}

status=0
set -- $targets
while [ $# -gt 0 ]; do
    pids=""
    i=0
    while [ $# -gt 0 ] && [ $i -lt "$JOBS" ]; do
        run_one "$1" &
        pids="$pids $!"
        shift
        i=$((i + 1))
    done
    for p in $pids; do
        wait "$p" || status=1
    done
done
exit $status
