#!/bin/sh
# README command (b): install what is missing, build, run the whole test suite with ctest.
# Labels: unit, redis, root, vm, fuzz (see tests/CMakeLists.txt). Tests that cannot run here
# (no root, no /dev/net/tun) skip themselves with a message.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh
cd "${EV_BUILD_DIR:-build}"
ctest --output-on-failure --timeout 600 -j 2 "$@"
