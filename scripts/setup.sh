#!/bin/sh
# README command (a): install what is missing, build, and run the main job on the
# embedded default calibration.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh
B="${EV_BUILD_DIR:-build}"
OUT="${EV_ADVICE_DIR:-advice}"
echo
echo "== edgevirt-advisor on data/profiles/mixed.json with the embedded (paper, reconstructed) calibration =="
"./$B/advisor/edgevirt-advisor" --profile data/profiles/mixed.json --out "$OUT"
echo
echo "Charts and advice.json are in $(pwd)/$OUT/ (manual: docs/advisor.md)"
