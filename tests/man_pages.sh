#!/bin/sh
# man_pages.sh MAN_DIR - every tool has its section-1 page and every file format its section-5
# page (generated at build time, docs/man/man.cmake), and each renders without a warning:
# `groff -ww -z -man` prints nothing, `man -l` shows NAME, SYNOPSIS (section 1) and the
# formats' first field (section 5). Fails on a missing page or a warning.
set -u
D=$1
. "$(dirname "$0")/runner_lib.sh"
command -v groff >/dev/null || { echo "FAIL: groff is not installed (apt-get install groff-base)"; exit 1; }
for t in edgevirt-advisor edgevirt-model edgevirt-measure edgevirt-load edgevirt-sample \
         edgevirt-testbed edgevirt-relay edgevirt-report; do
    p="$D/man1/$t.1"
    [ -s "$p" ] && ok || { bad "$t(1) missing: $p (is help2man installed? scripts/deps.sh)"; continue; }
    w=$(groff -ww -z -man "$p" 2>&1); [ -z "$w" ] && ok || bad "$t(1): groff: $w"
    MANWIDTH=80 man -l "$p" 2>/dev/null | grep -q '^SYNOPSIS' && ok || bad "$t(1): no SYNOPSIS"
    MANWIDTH=80 man -l "$p" 2>/dev/null | grep -q '^EXAMPLES' && ok || bad "$t(1): no EXAMPLES"
done
for f in "edgevirt-run:point" "edgevirt-model:covariance" "edgevirt-profile:get_ratio" \
         "edgevirt-spec:platforms"; do
    n=${f%%:*}; field=${f#*:}; p="$D/man5/$n.5"
    [ -s "$p" ] && ok || { bad "$n(5) missing: $p"; continue; }
    w=$(groff -ww -z -man "$p" 2>&1); [ -z "$w" ] && ok || bad "$n(5): groff: $w"
    MANWIDTH=80 man -l "$p" 2>/dev/null | grep -q "^ *$field" && ok || bad "$n(5): field $field not described"
done
finish
