#!/bin/sh
# Install the Debian 12 packages edgevirt needs, only those missing. Idempotent.
# Used by scripts/setup.sh (README command a) and scripts/test.sh (README command b).
set -eu
PKGS="build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
libgsl-dev libhiredis-dev libcurl4-openssl-dev libcjson-dev libcmocka-dev
gnuplot-nox redis-server redis-tools jq sysstat iproute2 ethtool procps
qemu-system-x86 busybox-static cpio gzip kmod chromium
flex bison zip unzip patch help2man groff"
# The VM test boots Debian's amd64 cloud kernel (scripts/build-guest.sh); that package exists
# only on amd64. Elsewhere (the aarch64 gateway) the VM test skips with a message.
if [ "$(dpkg --print-architecture)" = amd64 ]; then
    PKGS="$PKGS linux-image-cloud-amd64"
fi
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "edgevirt: installing missing packages:$missing" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
fi
