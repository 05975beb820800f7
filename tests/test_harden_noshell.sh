#!/bin/sh
# test_harden_noshell.sh - no shell and no unsafe temporary names in the edgevirt sources.
# Usage: test_harden_noshell.sh SOURCE_DIR
# Fails (exit 1, listing file:line) when a C file under measure/ model/ advisor/ plots/ common/
# fuzz/ calls system(), popen(), wordexp(), mktemp(), tmpnam(), tempnam(), or names a shell
# ("/bin/sh", "sh -c", "sh", "-c"). Children must be started with fork + execvp from an argv
# array (docs/bad-input.md, "Process safety"). Matches inside comments are ignored.
# Allow-list: tests/harden_noshell.allow, one "path:regex" per line ('#' comments): a hit in
# that file whose line matches the regex is accepted (say why in a comment).
# Before scanning the tree, the checker checks itself on planted files (it must find them).
set -eu
SRC=${1:?usage: $0 SOURCE_DIR}
ALLOW="$SRC/tests/harden_noshell.allow"
PAT='(^|[^A-Za-z0-9_"])(system|popen|wordexp|mktemp|tmpnam|tempnam)[[:space:]]*\(|"/bin/sh"|"sh -c|"sh",[[:space:]]*"-c"'

# scan ROOT [allow-file]: print offending file:line:text, return 0 when there is none
scan() {
    root=$1
    allow=${2:-/dev/null}
    found=0
    for d in measure model advisor plots common fuzz; do
        [ -d "$root/$d" ] || continue
        find "$root/$d" -type f \( -name '*.c' -o -name '*.h' \) | sort
    done >"$TMP/files"
    while IFS= read -r f; do
        rel=${f#"$root"/}
        # drop comments: /* ... */ (also across lines) and // ...
        awk '
            { line = $0; out = "";
              while (length(line) > 0) {
                if (incomment) { e = index(line, "*/"); if (e == 0) { line = ""; break }
                                 line = substr(line, e + 2); incomment = 0; continue }
                s = index(line, "/*"); c = index(line, "//");
                if (c > 0 && (s == 0 || c < s)) { out = out substr(line, 1, c - 1); line = ""; break }
                if (s == 0) { out = out line; line = ""; break }
                out = out substr(line, 1, s - 1); line = substr(line, s + 2); incomment = 1 }
              printf "%d:%s\n", NR, out }' "$f" | grep -E "^[0-9]+:.*($PAT)" >"$TMP/hits" || true
        while IFS= read -r h; do
            ok=0
            while IFS= read -r a; do
                case "$a" in ''|'#'*) continue ;; esac
                ap=${a%%:*}
                ar=${a#*:}
                if [ "$ap" = "$rel" ] && printf '%s\n' "${h#*:}" | grep -qE -- "$ar"; then ok=1; fi
            done <"$allow"
            if [ $ok = 0 ]; then
                echo "$rel:$h"
                found=1
            fi
        done <"$TMP/hits"
    done <"$TMP/files"
    return $found
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# self-check: planted calls are found, commented ones and look-alikes are not
mkdir -p "$TMP/plant/measure" "$TMP/plant/common"
cat >"$TMP/plant/measure/bad.c" <<'X'
int f(void) { return system("ls"); }
FILE *g(void) { return popen("ls", "r"); }
void h(char **a) { execl("/bin/sh", "sh", "-c", a[0], (char *)0); }
X
cat >"$TMP/plant/common/fine.c" <<'X'
/* never system() or popen(): execvp with an argv */
int ok(char *t) { return mkstemp(t) + mkdtemp(t) != 0 ; } // not system("x")
int ev_system_info(void);
/* a comment over
   two lines: popen("x") */
X
scan "$TMP/plant" >"$TMP/plant.out" && { echo "FAIL: the checker missed planted calls"; exit 1; }
n=$(wc -l <"$TMP/plant.out")
if [ "$n" -ne 3 ] || ! grep -q '^measure/bad.c:1:' "$TMP/plant.out" ||
   ! grep -q '^measure/bad.c:2:' "$TMP/plant.out" || ! grep -q '^measure/bad.c:3:' "$TMP/plant.out"; then
    echo "FAIL: the checker's self-check found $n hits, expected exactly bad.c lines 1-3:"
    cat "$TMP/plant.out"
    exit 1
fi
printf '# test entry\nmeasure/bad.c:system\\("ls"\\)\n' >"$TMP/allow"
scan "$TMP/plant" "$TMP/allow" >"$TMP/plant2.out" || true
if [ "$(wc -l <"$TMP/plant2.out")" -ne 2 ] || grep -q '^measure/bad.c:1:' "$TMP/plant2.out"; then
    echo "FAIL: the allow-list entry was not honoured:"
    cat "$TMP/plant2.out"
    exit 1
fi
echo "ok - self-check: planted system/popen/sh -c found, comments and mkstemp/mkdtemp ignored, allow-list honoured"

[ -f "$ALLOW" ] || ALLOW=/dev/null
if scan "$SRC" "$ALLOW" >"$TMP/tree.out"; then
    echo "ok - no system/popen/wordexp/mktemp/tmpnam/shell in $(wc -l <"$TMP/files") C files of measure model advisor plots common fuzz"
    exit 0
fi
echo "FAIL: shell or unsafe temporary name (use fork+execvp with an argv, mkstemp/mkdtemp):"
cat "$TMP/tree.out"
exit 1
