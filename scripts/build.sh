#!/bin/sh
# Configure and build into ./build (or $EV_BUILD_DIR). Extra arguments go to cmake.
set -eu
cd "$(dirname "$0")/.."
B="${EV_BUILD_DIR:-build}"
gen=""
command -v ninja >/dev/null 2>&1 && gen="-G Ninja"
[ -f "$B/CMakeCache.txt" ] && gen=""
# warnings fatal in CI (CI=true) or when EV_WERROR=1; a user's build only shows them
werror=OFF
{ [ "${CI:-}" = true ] || [ "${EV_WERROR:-0}" = 1 ]; } && werror=ON
cmake -S . -B "$B" $gen -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEV_WERROR=$werror "$@" >/dev/null
cmake --build "$B" -j "$(nproc)"
