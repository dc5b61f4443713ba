#!/usr/bin/env bash
# guest/build.sh --cloud-init OUTDIR: the image people really boot, made from Debian packages only:
# a Debian 12 root file system (mmdebstrap, minbase) with cloud-init, openssh-server and a DHCP client, on a qcow2
# disk, with the kernel and initramfs of its own linux-image-cloud-amd64 beside it for a direct kernel boot:
#   OUTDIR/vmlinuz  OUTDIR/initrd.img  OUTDIR/disk.qcow2  OUTDIR/cmdline
# cloud-init's own OpenStack datasource reads everything from the metadata service (169.254.169.254): host name,
# SSH key, user_data, network_data. Rebuilt only when this script changes; about a minute and 470 MB here.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -ne 1 ]; then echo "usage: $0 OUTDIR" >&2; exit 2; fi
mkdir -p "$1"
out=$(cd "$1" && pwd)
log() { echo "guest/build.sh --cloud-init: $*" >&2; }

PACKAGES=cloud-init,openssh-server,ifupdown,isc-dhcp-client,linux-image-cloud-amd64,initramfs-tools,systemd-sysv,netbase,iproute2
# net.ifnames=0: the NIC is eth0, as on the test guest; cloud-init matches it by MAC anyway.
CMDLINE="root=/dev/vda rw console=ttyS0 net.ifnames=0"
DISK_MB=1000   # under the 1 GiB root disk of m1.tiny

stamp=$out/.stamp
want=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-64)
if [ -f "$out/disk.qcow2" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "up to date: $out"
    exit 0
fi
command -v mmdebstrap >/dev/null || { log "installing mmdebstrap"; DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap >&2; }

tree=$out/.root
rm -rf "$tree" "$out/disk.raw"
log "mmdebstrap bookworm ($PACKAGES)"
mmdebstrap --variant=minbase --include="$PACKAGES" bookworm "$tree" >&2

# cloud-init: only the OpenStack datasource, at the metadata service; the key pair's key for root too, so
# `cluster.sh ssh` logs in as root as on the test guest (the image's default user is debian).
cat >"$tree/etc/cloud/cloud.cfg.d/99_cloud_actors.cfg" <<'CFG'
datasource_list: [ OpenStack, None ]
datasource:
  OpenStack:
    metadata_urls: [ 'http://169.254.169.254' ]
    max_wait: 120
    timeout: 10
    retries: 5
disable_root: false
# minbase has no locales package: C.UTF-8 is built in.
locale: C.UTF-8
CFG
echo "/dev/vda / ext4 defaults 0 1" >"$tree/etc/fstab"
printf 'auto lo\niface lo inet loopback\n\nsource /etc/network/interfaces.d/*\n' >"$tree/etc/network/interfaces"
mkdir -p "$tree/etc/network/interfaces.d"
: >"$tree/etc/machine-id"
rm -f "$tree/etc/hostname" "$tree"/etc/ssh/ssh_host_*

kernel=$(ls "$tree"/boot/vmlinuz-* | head -1)
initrd=$(ls "$tree"/boot/initrd.img-* | head -1)
cp "$kernel" "$out/vmlinuz.tmp" && mv "$out/vmlinuz.tmp" "$out/vmlinuz"
cp "$initrd" "$out/initrd.img.tmp" && mv "$out/initrd.img.tmp" "$out/initrd.img"
echo "$CMDLINE" >"$out/cmdline"

log "disk.qcow2: ext4, ${DISK_MB} MiB, from $(du -sh "$tree" | cut -f1)"
mke2fs -q -F -t ext4 -L cloud-root -d "$tree" "$out/disk.raw" "${DISK_MB}M" >&2
qemu-img convert -f raw -O qcow2 "$out/disk.raw" "$out/disk.qcow2.tmp"
mv "$out/disk.qcow2.tmp" "$out/disk.qcow2"
rm -rf "$tree" "$out/disk.raw"
echo "$want" >"$stamp"
log "built: $out (vmlinuz initrd.img disk.qcow2 cmdline)"
