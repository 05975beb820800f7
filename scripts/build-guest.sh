#!/bin/sh
# build-guest.sh OUTDIR - build the small Linux guest the "linuxvm" platform boots under QEMU:
#   OUTDIR/vmlinuz             Debian's cloud kernel (/boot/vmlinuz-*-cloud-amd64, newest)
#   OUTDIR/initramfs.cpio.gz   busybox-static + redis-server (and the libraries ldd lists,
#                              copied from this host) + the virtio-net modules + /init
#   OUTDIR/inputs.sha256       what it was built from; an unchanged build is skipped
# /init mounts proc, sysfs and devtmpfs, loads the virtio modules, configures eth0 from the
# kernel command line (ev_ip=ADDR/PREFIX, optional ev_gw=ADDR, ev_port=PORT, default 6379) and
# runs redis-server as PID 1 (protected-mode no, bind 0.0.0.0, save ''). If Redis exits, the
# guest panics; boot it with panic=1 and QEMU's -no-reboot so QEMU exits too.
# Needs: busybox (static), cpio, gzip, kmod (modinfo), ldd. Runs as any user that can read the
# kernel. Exit status: 0 built or up to date, 1 failure, 2 usage.
set -eu

usage() { echo "usage: build-guest.sh OUTDIR" ; }
case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") usage >&2; exit 2 ;;
esac
OUT=$1
die() { echo "build-guest.sh: $*" >&2; exit 1; }

KERNEL=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$KERNEL" ] || die "no /boot/vmlinuz-*-cloud-amd64 (install linux-image-cloud-amd64)"
KVER=${KERNEL#/boot/vmlinuz-}
BUSYBOX=$(command -v busybox) || die "busybox not found (install busybox-static)"
REDIS=$(command -v redis-server) || die "redis-server not found (install redis-server)"
REDIS_REAL=$(readlink -f "$REDIS")
for t in cpio gzip modinfo ldd sha256sum; do
    command -v "$t" >/dev/null || die "$t not found"
done
file_is_static() { ldd "$1" 2>&1 | grep -q "not a dynamic executable"; }
file_is_static "$BUSYBOX" || die "$BUSYBOX is not static (install busybox-static)"

# the virtio-net stack of the cloud kernel, in load order (tcg-vm.md)
MODS="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net"
MODFILES=""
for m in $MODS; do
    f=$(modinfo -k "$KVER" -n "$m" 2>/dev/null || true)
    case "$f" in
        ""|"(builtin)"|*"(builtin)"*) ;;  # built into this kernel: nothing to load
        *) [ -f "$f" ] || die "module $m: $f missing"; MODFILES="$MODFILES $f" ;;
    esac
done
LIBS=$(ldd "$REDIS_REAL" | awk '/=> \//{print $3} /^[ \t]*\//{print $1}' | sort -u)

# cache: the inputs' content + this script
mkdir -p "$OUT"
SUM=$( { sha256sum "$0" "$KERNEL" "$BUSYBOX" "$REDIS_REAL" $MODFILES $LIBS; echo "$MODS"; } | sha256sum | cut -d' ' -f1)
if [ -f "$OUT/inputs.sha256" ] && [ "$(cat "$OUT/inputs.sha256")" = "$SUM" ] &&
   [ -f "$OUT/initramfs.cpio.gz" ] && [ -f "$OUT/vmlinuz" ]; then
    echo "build-guest.sh: $OUT is up to date (kernel $KVER)"
    exit 0
fi
echo "build-guest.sh: building the guest in $OUT (kernel $KVER)"

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/edgevirt-guest.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT INT TERM
mkdir -p "$STAGE/bin" "$STAGE/sbin" "$STAGE/usr/bin" "$STAGE/proc" "$STAGE/sys" "$STAGE/dev" \
         "$STAGE/tmp" "$STAGE/etc" "$STAGE/lib/modules" "$STAGE/data"
cp "$BUSYBOX" "$STAGE/bin/busybox"
for a in sh mount insmod ip sysctl cat sleep echo ls mkdir ifconfig poweroff; do
    ln -s busybox "$STAGE/bin/$a"
done
# Debian's redis-server is a symlink to redis-check-rdb: copy dereferenced, keep the name
cp "$REDIS_REAL" "$STAGE/usr/bin/redis-server"
for l in $LIBS; do
    mkdir -p "$STAGE$(dirname "$l")"
    cp -L "$l" "$STAGE$l"
done
i=0
for f in $MODFILES; do
    i=$((i + 1))
    cp "$f" "$STAGE/lib/modules/$(printf %02d $i)-$(basename "$f")"
done
echo "root:x:0:0:root:/:/bin/sh" > "$STAGE/etc/passwd"

cat > "$STAGE/init" <<'INIT'
#!/bin/sh
# edgevirt guest /init: Redis as PID 1 on eth0 (see scripts/build-guest.sh)
PATH=/bin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in /lib/modules/*.ko; do
    [ -f "$m" ] && insmod "$m"
done
IP=""; GW=""; PORT=6379
for arg in $(cat /proc/cmdline); do
    case "$arg" in
        ev_ip=*) IP=${arg#ev_ip=} ;;
        ev_gw=*) GW=${arg#ev_gw=} ;;
        ev_port=*) PORT=${arg#ev_port=} ;;
    esac
done
n=0
while [ ! -e /sys/class/net/eth0 ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
ip link set lo up
ip link set eth0 up
[ -n "$IP" ] && ip addr add "$IP" dev eth0
[ -n "$GW" ] && ip route add default via "$GW"
sysctl -w vm.overcommit_memory=1 >/dev/null
echo "edgevirt-guest: eth0 ${IP:-unconfigured}, starting redis-server on port $PORT"
cd /data
exec /usr/bin/redis-server --port "$PORT" --bind 0.0.0.0 --protected-mode no --save '' \
    --appendonly no --daemonize no
INIT
chmod 755 "$STAGE/init"

( cd "$STAGE" && find . | cpio -o -H newc --quiet ) | gzip -1 > "$OUT/initramfs.cpio.gz.tmp"
mv "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
cp "$KERNEL" "$OUT/vmlinuz.tmp"
mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
echo "$SUM" > "$OUT/inputs.sha256"
echo "build-guest.sh: done: $(du -h "$OUT/initramfs.cpio.gz" | cut -f1) initramfs, kernel $KVER"
