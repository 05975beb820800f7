#!/bin/sh
# build-unikraft.sh - build the Redis unikernel (Unikraft core + lib-musl + lib-lwip + lib-redis,
# the kconfig of Unikraft's catalog entry library/redis/7.0) for qemu/x86_64 with Unikraft's
# plain make build, offline, from source folders (see docs/unikraft.md).
#
# Usage: scripts/build-unikraft.sh [-o OUT] [-j N] SRC
#        scripts/build-unikraft.sh [-o OUT] [-j N] --unikraft DIR --lib-musl DIR --lib-lwip DIR
#                                  --lib-redis DIR --musl DIR --lwip DIR --redis DIR
#   SRC             a folder holding all seven trees under these names (what
#                   scripts/unikraft-sources.sh makes): unikraft lib-musl lib-lwip lib-redis
#                   musl fork-lwip redis
#   --unikraft DIR  the Unikraft core (tested: RELEASE-0.16.2)
#   --lib-musl DIR, --lib-lwip DIR, --lib-redis DIR   the Unikraft libraries (RELEASE-0.16.2,
#                   0.16.2, 0.16.0)
#   --musl DIR      musl's source at the version lib-musl's Makefile.uk names (1.2.3)
#   --lwip DIR      unikraft/fork-lwip at the branch lib-lwip names (UNIKRAFT-2_1_x)
#   --redis DIR     Redis's source at the version lib-redis names (7.0.11)
#   -o OUT          build folder (default build-unikraft); the image is OUT/redis_qemu-x86_64
#   -j N            parallel jobs (default: the number of CPUs)
#   --poll-only     lwIP polls the virtio-net device instead of waiting for its interrupts
#                   (CONFIG_LWIP_UKNETDEV_POLLONLY, "workaround" in lib-lwip's own words): the
#                   guest's vCPU then runs at 100 %, but it does not stall (docs/unikraft.md)
#
# The libraries download their upstream code at build time ($(call fetch,LIB,URL) in their
# Makefile.uk) into OUT/build/LIB/<basename of URL>. This script packs the given trees into
# those archives first (with the top folder GitHub's and musl's archives have), so make finds
# them and never downloads. lib-musl 0.16.2 and lib-redis 0.16.0 set no LIB*_ORIGIN_SHA256 and
# lib-lwip sets one only for its tag variant (not the UNIKRAFT-2_1_x branch used here), so the
# repacked archives pass unchanged.
# Writes OUT/build-info.json: the trees (repository, reference, commit from .edgevirt-source
# or git), versions, compiler, date. Exit 2 on bad usage or a missing tree, 1 on a build failure.
set -eu
me=build-unikraft.sh
usage() { sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; }
die2() { echo "$me: $*" >&2; exit 2; }
OUT=build-unikraft; JOBS=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
POLL=0; UK=""; LMUSL=""; LLWIP=""; LREDIS=""; MUSL=""; LWIP=""; REDIS=""; SRC=""
while [ $# -gt 0 ]; do
    case $1 in
        -h|--help) usage; exit 0 ;;
        -o) [ $# -ge 2 ] || die2 "-o needs a folder"; OUT=$2; shift 2 ;;
        -j) [ $# -ge 2 ] || die2 "-j needs a number"; JOBS=$2; shift 2 ;;
        --poll-only) POLL=1; shift ;;
        --unikraft|--lib-musl|--lib-lwip|--lib-redis|--musl|--lwip|--redis)
            [ $# -ge 2 ] || die2 "$1 needs a folder"
            case $1 in
                --unikraft) UK=$2 ;; --lib-musl) LMUSL=$2 ;; --lib-lwip) LLWIP=$2 ;;
                --lib-redis) LREDIS=$2 ;; --musl) MUSL=$2 ;; --lwip) LWIP=$2 ;; --redis) REDIS=$2 ;;
            esac
            shift 2 ;;
        -*) die2 "unknown option $1 (see --help)" ;;
        *) [ -z "$SRC" ] || die2 "one SRC folder only (see --help)"; SRC=$1; shift ;;
    esac
done
case $JOBS in ''|*[!0-9]*) die2 "-j: \"$JOBS\" is not a number" ;; esac
if [ -n "$SRC" ]; then
    [ -d "$SRC" ] || die2 "$SRC: no such folder"
    : "${UK:=$SRC/unikraft}" "${LMUSL:=$SRC/lib-musl}" "${LLWIP:=$SRC/lib-lwip}"
    : "${LREDIS:=$SRC/lib-redis}" "${MUSL:=$SRC/musl}" "${LWIP:=$SRC/fork-lwip}" "${REDIS:=$SRC/redis}"
fi
for pair in "unikraft:$UK:Makefile" "lib-musl:$LMUSL:Makefile.uk" "lib-lwip:$LLWIP:Makefile.uk" \
            "lib-redis:$LREDIS:Makefile.uk" "musl:$MUSL:VERSION" "lwip:$LWIP:src/core/tcp.c" \
            "redis:$REDIS:src/server.c"; do
    n=${pair%%:*}; rest=${pair#*:}; d=${rest%:*}; f=${rest##*:}
    [ -n "$d" ] || die2 "the $n tree is not given (--$n DIR, or SRC; see --help)"
    [ -f "$d/$f" ] || die2 "$d: not a $n tree (no $f)"
done
missing=""
for t in make gcc flex bison zip unzip tar patch; do command -v $t >/dev/null || missing="$missing $t"; done
[ -z "$missing" ] || die2 "missing tools:$missing (Debian: apt-get install build-essential flex bison zip unzip patch)"

abs() { (cd "$1" && pwd); }
UK=$(abs "$UK"); LMUSL=$(abs "$LMUSL"); LLWIP=$(abs "$LLWIP"); LREDIS=$(abs "$LREDIS")
MUSL=$(abs "$MUSL"); LWIP=$(abs "$LWIP"); REDIS=$(abs "$REDIS")
mkdir -p "$OUT"; OUT=$(abs "$OUT")
APP=$OUT/app; B=$OUT/build
mkdir -p "$APP" "$B/libmusl" "$B/liblwip" "$B/libredis"

# versions the libraries name
mkvar() { sed -n "s/^$2[[:space:]]*:\{0,1\}=[[:space:]]*//p" "$1/Makefile.uk" | head -1; }
V_MUSL=$(mkvar "$LMUSL" LIBMUSL_VERSION)
V_REDIS=$(mkvar "$LREDIS" LIBREDIS_VERSION)
V_LWIP=$(sed -n '/CONFIG_LWIP_UNIKRAFT21X/,/^else/s/^LIBLWIP_BRANCH=//p' "$LLWIP/Makefile.uk" | head -1)
[ -n "$V_MUSL" ] && [ -n "$V_REDIS" ] && [ -n "$V_LWIP" ] ||
    die2 "cannot read LIBMUSL_VERSION / LIBREDIS_VERSION / LIBLWIP_BRANCH from the libraries' Makefile.uk"
[ "$(cat "$MUSL/VERSION")" = "$V_MUSL" ] ||
    die2 "$MUSL is musl $(cat "$MUSL/VERSION"), lib-musl wants $V_MUSL"
grep -q "REDIS_VERSION \"$V_REDIS\"" "$REDIS/src/version.h" ||
    die2 "$REDIS is not Redis $V_REDIS (src/version.h), which lib-redis wants"

# the origin archives, where the libraries' fetch rules look for them
pack() { # FOLDER TOPNAME ARCHIVE
    tmp=$(mktemp -d); ln -s "$1" "$tmp/$2"
    case $3 in
        *.zip) (cd "$tmp" && zip -qr "$3.part" "$2/" -x "$2/.edgevirt-source" && mv "$3.part" "$3") ;;
        *.tar.gz) tar -C "$tmp" -chzf "$3.part" --exclude=.edgevirt-source "$2" && mv "$3.part" "$3" ;;
    esac
    rm -rf "$tmp"
}
[ -s "$B/libmusl/musl-$V_MUSL.tar.gz" ] || pack "$MUSL" "musl-$V_MUSL" "$B/libmusl/musl-$V_MUSL.tar.gz"
[ -s "$B/liblwip/$V_LWIP.zip" ] || pack "$LWIP" "fork-lwip-$V_LWIP" "$B/liblwip/$V_LWIP.zip"
[ -s "$B/libredis/$V_REDIS.zip" ] || pack "$REDIS" "redis-$V_REDIS" "$B/libredis/$V_REDIS.zip"

# the application: no code of its own (lib-redis provides main), the catalog's kconfig
: >"$APP/Makefile.uk"
: >"$APP/Config.uk"
cat >"$APP/defconfig" <<'EOF'
CONFIG_UK_NAME="redis"
CONFIG_ARCH_X86_64=y
CONFIG_PLAT_KVM=y
CONFIG_KVM_VMM_QEMU=y
CONFIG_KVM_BOOT_PROTO_MULTIBOOT=y
CONFIG_LIBVIRTIO_NET=y
CONFIG_LIBVIRTIO_PCI=y
CONFIG_LIBUKNETDEV=y
CONFIG_LIBUKNETDEV_EINFO_LIBPARAM=y
CONFIG_LIBUKLIBPARAM=y
CONFIG_LIBDEVFS=y
CONFIG_LIBDEVFS_AUTOMOUNT=y
CONFIG_LIBPOSIX_LIBDL=y
CONFIG_LIBPOSIX_PROCESS=y
CONFIG_LIBPOSIX_USER=y
CONFIG_LIBRAMFS=y
CONFIG_LIBUKBUS=y
CONFIG_LIBUKMMAP=y
CONFIG_LIBUKSCHEDCOOP=y
CONFIG_LIBUKSIGNAL=y
CONFIG_LIBUKTIME=y
CONFIG_LIBVFSCORE=y
CONFIG_LIBVFSCORE_AUTOMOUNT_CI=y
CONFIG_LIBVFSCORE_AUTOMOUNT_CI_RAMFS=y
CONFIG_LIBMUSL=y
CONFIG_LIBLWIP=y
CONFIG_LWIP_UNIKRAFT21X=y
CONFIG_LWIP_UKNETDEV=y
CONFIG_LWIP_TCP=y
CONFIG_LWIP_WND_SCALE=y
CONFIG_LWIP_TCP_KEEPALIVE=y
CONFIG_LWIP_THREADS=y
CONFIG_LWIP_SOCKET=y
CONFIG_LWIP_AUTOIFACE=y
CONFIG_LWIP_IPV4=y
CONFIG_LWIP_DNS=y
CONFIG_LIBREDIS=y
CONFIG_LIBREDIS_SERVER=y
CONFIG_LIBREDIS_COMMON=y
CONFIG_LIBREDIS_SERVER_MAIN_FUNCTION=y
EOF
[ "$POLL" = 0 ] || echo "CONFIG_LWIP_UKNETDEV_POLLONLY=y" >>"$APP/defconfig"

LIBS="$LMUSL:$LLWIP:$LREDIS"
log=$OUT/build.log
echo "$me: configuring (make defconfig) into $B, log $log" >&2
if ! make -C "$UK" A="$APP" L="$LIBS" O="$B" C="$APP/.config" UK_DEFCONFIG="$APP/defconfig" defconfig >"$log" 2>&1; then
    tail -20 "$log" >&2; echo "$me: configuration failed (log: $log)" >&2; exit 1
fi
echo "$me: building with -j$JOBS (a few minutes: Redis, musl and lwIP are compiled)" >&2
if ! make -C "$UK" A="$APP" L="$LIBS" O="$B" C="$APP/.config" -j"$JOBS" >>"$log" 2>&1; then
    tail -30 "$log" >&2; echo "$me: build failed (log: $log)" >&2; exit 1
fi
img=$B/redis_qemu-x86_64
[ -f "$img" ] || { echo "$me: the build ended without $img (log: $log)" >&2; exit 1; }
cp "$img" "$OUT/redis_qemu-x86_64.part" && mv "$OUT/redis_qemu-x86_64.part" "$OUT/redis_qemu-x86_64"

src_of() { # TREE NAME -> JSON object
    if [ -f "$1/.edgevirt-source" ]; then
        read -r repo ref commit <"$1/.edgevirt-source"
    elif git -C "$1" rev-parse HEAD >/dev/null 2>&1; then
        repo=$(git -C "$1" config --get remote.origin.url || echo unknown)
        ref=$(git -C "$1" describe --tags --always 2>/dev/null || echo unknown)
        commit=$(git -C "$1" rev-parse HEAD)
    else
        repo=unknown; ref=unknown; commit=unknown
    fi
    printf '    {"tree": "%s", "path": "%s", "repository": "%s", "ref": "%s", "commit": "%s"}' \
        "$2" "$1" "$repo" "$ref" "$commit"
}
{
    printf '{"schema": "edgevirt.unikraft-build/1",\n "image": "%s",\n' "$OUT/redis_qemu-x86_64"
    printf ' "built": "%s",\n "host": "%s",\n "compiler": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
        "$(uname -srm)" "$(gcc --version | head -1)"
    printf ' "versions": {"musl": "%s", "lwip_branch": "%s", "redis": "%s"},\n' "$V_MUSL" "$V_LWIP" "$V_REDIS"
    printf ' "lwip_poll_only": %s,\n' "$([ "$POLL" = 1 ] && echo true || echo false)"
    printf ' "sources": [\n'
    src_of "$UK" unikraft; printf ',\n'; src_of "$LMUSL" lib-musl; printf ',\n'
    src_of "$LLWIP" lib-lwip; printf ',\n'; src_of "$LREDIS" lib-redis; printf ',\n'
    src_of "$MUSL" musl; printf ',\n'; src_of "$LWIP" fork-lwip; printf ',\n'
    src_of "$REDIS" redis; printf '\n ]}\n'
} >"$OUT/build-info.json.part" && mv "$OUT/build-info.json.part" "$OUT/build-info.json"
echo "$OUT/redis_qemu-x86_64"
