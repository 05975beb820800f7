#!/bin/sh
# README command (b): install what is missing, build, run the whole test suite with ctest.
# Labels: unit, redis, root, vm, fuzz (see tests/CMakeLists.txt). Tests that cannot run here
# (no root, no /dev/net/tun) skip themselves with a message.
# In CI (CI=true) three more stages follow the normal suite (docs/bad-input.md, "CI stages"):
#   0. the build matrix (scripts/build-matrix.sh): Debug, Release, RelWithDebInfo, MinSizeRel,
#      each with and without sanitizers, with gcc and clang, warnings fatal;
#   1. the sanitizer build: build-asan/ with -DEV_SANITIZE=ON (ASan + UBSan + LeakSanitizer),
#      the same ctest run there;
#   2. scripts/fuzz.sh: every libFuzzer target for a bounded time (<= 4 min in all), when
#      clang's libFuzzer runtime is installed.
# EV_TEST_EXTRA=0 skips these stages, EV_TEST_EXTRA=1 runs them outside CI too.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh
(cd "${EV_BUILD_DIR:-build}" && ctest --output-on-failure --timeout 600 -j 2 "$@")

extra="${EV_TEST_EXTRA:-}"
[ -n "$extra" ] || { [ "${CI:-}" = true ] && extra=1 || extra=0; }
[ "$extra" = 1 ] || exit 0

echo "== build matrix (scripts/build-matrix.sh): every build type, with and without sanitizers, gcc and clang"
sh scripts/build-matrix.sh

echo "== sanitizer build (build-asan, EV_SANITIZE=ON): the same suite under ASan/UBSan/LSan"
EV_BUILD_DIR="${EV_ASAN_BUILD_DIR:-build-asan}" sh scripts/build.sh -DEV_SANITIZE=ON
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:print_stacktrace=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
(cd "${EV_ASAN_BUILD_DIR:-build-asan}" && ctest --output-on-failure --timeout 600 -j 2 "$@")

echo "== fuzzing (scripts/fuzz.sh)"
rc=0
sh scripts/fuzz.sh || rc=$?
if [ "$rc" = 77 ]; then
    echo "fuzzing skipped: clang's libFuzzer runtime is not available (package libclang-rt-14-dev)"
elif [ "$rc" != 0 ]; then
    exit "$rc"
fi
