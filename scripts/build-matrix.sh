#!/bin/sh
# The build matrix (issue 15): every CMake build type (Debug, Release, RelWithDebInfo,
# MinSizeRel), each with and without the sanitizers (EV_SANITIZE=ON), with gcc and with clang,
# from a clean build folder each, warnings fatal (-DEV_WERROR=ON: the point of the matrix is to
# catch the warnings one optimisation level or compiler shows and another does not). Each build
# compiles everything (tools, libraries, tests) and runs the built advisor once on
# data/profiles/mixed.json as a smoke test.
#
# usage: sh scripts/build-matrix.sh [--keep] [--compilers "gcc clang"] [--types "Debug ..."]
#   --keep        keep the build folders (default: each is removed after its build)
#   --compilers   compilers to use (default "gcc clang"; one that is not installed is skipped
#                 with a message)
#   --types       build types (default "Debug Release RelWithDebInfo MinSizeRel")
#   --out DIR     where the build folders go (default build-matrix/)
# Exit status: 0 every build passed, 1 one failed (the table says which; its log is kept in
# DIR/NAME.log), 2 usage error.
set -u
cd "$(dirname "$0")/.."
compilers="gcc clang" types="Debug Release RelWithDebInfo MinSizeRel" keep=0 out=build-matrix
while [ $# -gt 0 ]; do
    case "$1" in
    --keep) keep=1 ;;
    --compilers) compilers=${2:?--compilers needs a list}; shift ;;
    --types) types=${2:?--types needs a list}; shift ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-matrix.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
for t in $types; do
    case "$t" in Debug|Release|RelWithDebInfo|MinSizeRel) ;;
    *) echo "build-matrix.sh: --types: unknown build type $t" >&2; exit 2 ;; esac
done
gen=""
command -v ninja >/dev/null 2>&1 && gen="-G Ninja"
mkdir -p "$out" || exit 1
failed=0 n=0 t0=$(date +%s)
printf '%-32s %-6s %s\n' build result seconds
for cc in $compilers; do
    if ! command -v "$cc" >/dev/null 2>&1; then
        echo "build-matrix.sh: $cc is not installed: its builds are skipped" >&2
        continue
    fi
    for t in $types; do
        for san in OFF ON; do
            name="$cc-$t"
            [ $san = ON ] && name="$name-sanitize"
            d="$out/$name" log="$out/$name.log"
            rm -rf "$d"
            s=$(date +%s)
            res=ok
            {
                CC=$cc cmake -S . -B "$d" $gen -DCMAKE_BUILD_TYPE="$t" -DEV_WERROR=ON \
                    -DEV_SANITIZE=$san &&
                cmake --build "$d" -j "$(nproc)" &&
                ASAN_OPTIONS=detect_leaks=1 "$d/advisor/edgevirt-advisor" \
                    --profile data/profiles/mixed.json --json >/dev/null
            } >"$log" 2>&1 || res=FAILED
            n=$((n + 1))
            printf '%-32s %-6s %s\n' "$name" "$res" $(($(date +%s) - s))
            if [ $res = ok ]; then
                rm -f "$log"
                [ $keep = 1 ] || rm -rf "$d"
            else
                failed=$((failed + 1))
                grep -E 'error|warning' "$log" | head -20 | sed 's/^/    /'
            fi
        done
    done
done
echo "build matrix: $n builds, $failed failed, $(($(date +%s) - t0)) s"
[ $failed = 0 ] || { echo "logs of the failed builds: $out/*.log" >&2; exit 1; }
rmdir "$out" 2>/dev/null
exit 0
