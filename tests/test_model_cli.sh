#!/bin/sh
# test_model_cli.sh CLI DATA_DIR TMP_DIR [COMPARE_PROG]
# The edgevirt-model CLI: --help, usage errors (exit 2), malformed inputs (exit 2, message names
# file and field), predict --json shape, every run record / model file under data/ loads, and
# `edgevirt-model fit data/paper/runs.jsonl` reproduces the embedded model; platform inputs
# (--inputs, --guest-pkt-bytes) reach the fit, the model file and crossval; bad ones exit 2.
cli=$1 data=$2 tmp=$3 compare=$4
pass=0 fail=0
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# expect STATUS CMD... : run, keep stdout/stderr in $tmp/out, $tmp/err
expect() {
    want=$1; shift
    "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
    if [ "$got" = "$want" ]; then ok; else bad "exit $got (want $want): $*"; cat "$tmp/err" >&2; fi
}
has() { # has FILE TEXT
    if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks '$2'"; cat "$1" >&2; fi
}

for c in "" fit show predict validate; do
    expect 0 "$cli" $c --help
    has "$tmp/out" "Usage: edgevirt-model"
done
expect 2 "$cli"
expect 2 "$cli" frobnicate
has "$tmp/err" "unknown command"
expect 2 "$cli" predict --size 64
has "$tmp/err" "--op"
expect 2 "$cli" predict --op PUT --size 64
has "$tmp/err" "GET or SET"
expect 2 "$cli" predict --op GET --size -3
expect 2 "$cli" predict --op GET --size 64 --mtu 10
expect 2 "$cli" predict --op GET --size 64 --json --csv
expect 2 "$cli" predict --op GET --size 64 --bogus
expect 2 "$cli" predict --op GET --size 64 --platform xen
expect 2 "$cli" fit "$data/paper/runs.jsonl"
has "$tmp/err" "-o"
expect 2 "$cli" validate

# predict: table, JSON shape, CSV
expect 0 "$cli" predict --op GET --size 64
for p in firecracker kata unikraft-vhost unikraft-virtio linuxvm; do has "$tmp/out" "$p"; done
expect 0 "$cli" predict --op SET --size 4096 --json
has "$tmp/out" '{"predictions":[{"platform":"'
for k in '"op":"SET"' '"size":4096' '"rps":' '"rps_lo":' '"rps_hi":' '"cpu":{"user":' \
         '"system":' '"softirq":' '"guest":' '"bottleneck":"'; do has "$tmp/out" "$k"; done
n=$(grep -o '"platform":' "$tmp/out" | wc -l)
[ "$n" = 5 ] && ok || bad "predict --json has $n entries, want 5"
expect 0 "$cli" predict --op GET --size 16384 --csv --mtu 9000 --link-rate 1e10 --clients 8
has "$tmp/out" "platform,op,size_bytes,mtu_bytes"
n=$(wc -l <"$tmp/out")
[ "$n" = 6 ] && ok || bad "predict --csv has $n lines, want 6"
expect 0 "$cli" show
has "$tmp/out" "paper-reconstructed"
expect 0 "$cli" show --json
has "$tmp/out" '"edgevirt.model/1"'

# malformed model file: exit 2, message names the file and the field
"$cli" show --json | sed 's/"rtt_s"/"rtt_ms"/' >"$tmp/bad-model.json"
expect 2 "$cli" predict --model "$tmp/bad-model.json" --op GET --size 64
has "$tmp/err" "bad-model.json"
has "$tmp/err" "client.rtt_ms"
"$cli" show --json | sed '0,/"guest_pkt_bytes":[[:space:]]*[0-9]*/s//"guest_pkt_bytes": -5/' >"$tmp/bad2.json"
expect 2 "$cli" validate "$tmp/bad2.json"
has "$tmp/err" "platforms[0].inputs.guest_pkt_bytes"
printf '{"schema":"edgevirt.model/1",' >"$tmp/cut.json"
expect 2 "$cli" show "$tmp/cut.json"
has "$tmp/err" "cut.json"
expect 2 "$cli" show "$tmp/none.json"
# a folder where a file is expected is bad input, and the message says so
expect 2 "$cli" show "$tmp"
has "$tmp/err" "Is a directory"
# out-of-range size: the message gives the range
expect 2 "$cli" predict --op GET --size 1e30
has "$tmp/err" "1..1e9"
# an unwritable output is a runtime failure (exit 1)
expect 1 "$cli" fit "$data/paper/runs.jsonl" -o "$tmp/no/such/dir/m.json"
# a platform id with a quote (model files do not restrict ids): --json stays valid JSON
"$cli" show --json | sed 's/"id":[[:space:]]*"kata"/"id": "ka\\"ta"/' >"$tmp/quote.json"
expect 0 "$cli" predict --model "$tmp/quote.json" --op GET --size 64 --json
has "$tmp/out" '"platform":"ka\"ta"'

# malformed run records: exit 2, file:line: field
head -n 2 "$data/paper/runs.jsonl" >"$tmp/runs.jsonl"
sed -n 3p "$data/paper/runs.jsonl" | sed 's/"value_size":[0-9]*/"value_size":"big"/' >>"$tmp/runs.jsonl"
expect 2 "$cli" validate "$tmp/runs.jsonl"
has "$tmp/err" "runs.jsonl:3"
has "$tmp/err" "value_size"
expect 2 "$cli" fit "$tmp/runs.jsonl" -o "$tmp/m.json"
has "$tmp/err" "runs.jsonl:3"
[ ! -e "$tmp/m.json" ] && ok || bad "fit wrote a model from bad input"

# every run record file and model file under data/ loads
for f in $(find "$data" -name '*.jsonl' -o -name '*.json' | sort); do
    case $f in
    *.jsonl) grep -q '"edgevirt.run/1"' "$f" || continue ;;
    *) grep -q '"edgevirt.model/1"' "$f" || continue ;;
    esac
    expect 0 "$cli" validate "$f"
done

# fit reproduces the embedded model (parameters within 1e-9 relative)
(cd "$data/.." && "$cli" fit data/paper/runs.jsonl -o "$tmp/paper.json" --name paper-reconstructed) \
    >"$tmp/fit.out" 2>&1 && ok || { bad "fit data/paper/runs.jsonl"; cat "$tmp/fit.out" >&2; }
has "$tmp/fit.out" "residuals"
has "$tmp/fit.out" "+-"
if [ -n "$compare" ]; then
    expect 0 "$compare" --compare "$tmp/paper.json"
fi
has "$tmp/paper.json" '"data/paper/runs.jsonl"'

# platform inputs (--inputs FILE, --guest-pkt-bytes ID=BYTES) for fit and crossval
tb="$data/testbed/model-input.jsonl"
for c in fit crossval; do
    expect 0 "$cli" $c --help
    has "$tmp/out" "--inputs FILE"
    has "$tmp/out" "--guest-pkt-bytes ID=BYTES"
done
expect 0 "$cli" fit "$tb" -o "$tmp/tb-default.json"
expect 0 "$cli" fit "$tb" -o "$tmp/tb-inputs.json" --inputs "$data/testbed/inputs.json"
has "$tmp/out" "tb-direct: path vhost, stack linux, offload yes, guest packets <= 65536 B"
has "$tmp/out" "tb-swseg: path vhost, stack lwip, offload no, guest packets <= 1276 B, TCP/IP headers 52 B"
expect 0 "$cli" fit "$tb" -o "$tmp/tb-opt.json" --guest-pkt-bytes tb-direct=65536 \
    --guest-pkt-bytes nosuch=2000
has "$tmp/err" 'platform inputs for "nosuch": no record of that platform'
# the model file stores the inputs used; the default and the given inputs give different fits
inp() { jq -r --arg p "$2" '.platforms[] | select(.id == $p) | .inputs.guest_pkt_bytes' "$1"; }
pp() { jq -r --arg p "$2" '.platforms[] | select(.id == $p) | .categories.guest.values[2]' "$1"; }
[ "$(inp "$tmp/tb-default.json" tb-direct)" = 8250 ] && ok || bad "default guest_pkt_bytes not 8250"
[ "$(inp "$tmp/tb-inputs.json" tb-direct)" = 65536 ] && ok || bad "--inputs not stored in the model"
[ "$(inp "$tmp/tb-opt.json" tb-direct)" = 65536 ] && ok || bad "--guest-pkt-bytes not stored"
[ "$(inp "$tmp/tb-opt.json" tb-relay)" = 8250 ] && ok || bad "--guest-pkt-bytes changed another platform"
[ "$(inp "$tmp/tb-inputs.json" tb-swseg)" = 1276 ] && ok || bad "tb-swseg inputs not stored"
# wrong inputs (the 8250 B default for a 64 KB-packet path) used to give a negative per-packet
# cost; a cost cannot be negative: the fit fixes it at 0 and says why, the right inputs need no
# such repair
notes() { jq -r --arg p "$2" '.platforms[] | select(.id == $p) | .diagnostics.notes | join(" | ")' "$1"; }
notes "$tmp/tb-default.json" tb-direct | grep -q "per_packet: fitted below 0 on the total demand" && ok ||
    bad "default inputs: no 'fitted below 0' note for tb-direct per_packet: $(notes "$tmp/tb-default.json" tb-direct)"
! notes "$tmp/tb-inputs.json" tb-direct | grep -q "fitted below 0" && ok ||
    bad "real inputs: tb-direct still needed the non-negativity repair"
awk -v a="$(pp "$tmp/tb-default.json" tb-direct)" -v b="$(pp "$tmp/tb-inputs.json" tb-direct)" \
    'BEGIN { exit !(a + 0 >= 0 && b + 0 >= 0) }' && ok ||
    bad "tb-direct per_packet: default $(pp "$tmp/tb-default.json" tb-direct), with inputs $(pp "$tmp/tb-inputs.json" tb-direct): want >= 0"
# predictions use the stored inputs: 16 KB GET is one packet each way with 64 KB guest packets
expect 0 "$cli" predict --model "$tmp/tb-inputs.json" --op GET --size 16384 --mtu 9000 \
    --link-rate 1e8 --json
has "$tmp/out" '"platform":"tb-direct"'
expect 0 "$cli" crossval "$tb" --by mtu --inputs "$data/testbed/inputs.json" --json
has "$tmp/out" '"summary":'
# bad inputs: exit 2, the message names the file and the field
printf '{"schema":"edgevirt.inputs/1","platforms":{"tb-direct":{"guest_pkt_bytes":"big"}}}\n' \
    >"$tmp/bad-inputs.json"
expect 2 "$cli" fit "$tb" -o "$tmp/m2.json" --inputs "$tmp/bad-inputs.json"
has "$tmp/err" "bad-inputs.json"
has "$tmp/err" "platforms.tb-direct.guest_pkt_bytes"
[ ! -e "$tmp/m2.json" ] && ok || bad "fit wrote a model from a bad inputs file"
expect 2 "$cli" crossval "$tb" --inputs "$tmp/bad-inputs.json"
has "$tmp/err" "platforms.tb-direct.guest_pkt_bytes"
printf '{"schema":"edgevirt.inputs/1","platforms":{"tb-direct":{"guest_pkt_byte":65536}}}\n' \
    >"$tmp/bad-inputs2.json"
expect 2 "$cli" fit "$tb" -o "$tmp/m2.json" --inputs "$tmp/bad-inputs2.json"
has "$tmp/err" "platforms.tb-direct.guest_pkt_byte"
printf '{"schema":"edgevirt.inputs/1","platforms":{"tb-direct":{"tcp_header_bytes":500}}}\n' \
    >"$tmp/bad-inputs3.json"
expect 2 "$cli" fit "$tb" -o "$tmp/m2.json" --inputs "$tmp/bad-inputs3.json"
has "$tmp/err" "platforms.tb-direct.tcp_header_bytes"
printf '{"schema":"edgevirt.inputs/2","platforms":{}}\n' >"$tmp/bad-inputs4.json"
expect 2 "$cli" fit "$tb" -o "$tmp/m2.json" --inputs "$tmp/bad-inputs4.json"
has "$tmp/err" "bad-inputs4.json"
expect 2 "$cli" fit "$tb" -o "$tmp/m2.json" --inputs "$tmp/no-such-inputs.json"
has "$tmp/err" "no-such-inputs.json"
expect 2 "$cli" fit "$tb" -o "$tmp/m2.json" --guest-pkt-bytes tb-direct=abc
has "$tmp/err" "--guest-pkt-bytes"
expect 2 "$cli" fit "$tb" -o "$tmp/m2.json" --guest-pkt-bytes 65536
expect 2 "$cli" crossval "$tb" --guest-pkt-bytes tb-direct=10
has "$tmp/err" "guest_pkt_bytes"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
