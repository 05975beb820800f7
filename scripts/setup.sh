#!/bin/sh
# README command (a): install what is missing, build, and run the main job on the
# embedded default calibration.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh
B="${EV_BUILD_DIR:-build}"
echo
echo "== edgevirt-model predict: the embedded (paper, reconstructed) calibration, 64 B and 16 KB GET =="
"$B/model/edgevirt-model" predict --op GET --size 64
"$B/model/edgevirt-model" predict --op GET --size 16384
