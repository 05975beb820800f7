# runner_lib.sh - helpers shared by the runner's shell tests (sourced).
fails=0; passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
finish() { echo "$passes passed, $fails failed"; [ $fails = 0 ]; }
skip() { echo "SKIP: $*"; exit 77; }
# a TCP port no socket uses, below the ephemeral range (32768-60999 by default, where client
# connections would make bind fail), from a range that depends on the PID
free_port() {
    p=$((20000 + ($$ * 7 + ${1:-0} * 131) % 12000))
    while ss -Htan "sport = :$p" 2>/dev/null | grep -q .; do p=$((p + 1)); done
    echo $p
}
# jq over every line of a JSONL file, e.g. count 'select(.status=="ok")'
count() { jq -c "$2" "$1" 2>/dev/null | wc -l | tr -d ' '; }
