#!/usr/bin/env bash
# Builds the Cloud.Actors test guest into OUTDIR from Debian packages only (apt, no other download):
#   vmlinuz     the kernel of Debian's cloud kernel package
#   initrd.img  busybox-static + the kernel modules the guest needs + /init (guest/init)
#   disk.qcow2  the root disk: a small ext4 filesystem with /etc/banner, /etc/os-release, the boot counter
#   cmdline     the kernel command line to boot with
# Each output is rebuilt only when its inputs change; a re-run with unchanged inputs does nothing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# --cloud-init OUTDIR: the second image, a Debian root file system with cloud-init (guest/build-cloud-init.sh).
if [ "${1:-}" = --cloud-init ]; then shift; exec "$here/build-cloud-init.sh" "$@"; fi
if [ $# -ne 1 ]; then echo "usage: $0 [--cloud-init] OUTDIR" >&2; exit 2; fi
mkdir -p "$1"
out=$(cd "$1" && pwd)
build=$out/.build
mkdir -p "$out/debs" "$build"

log() { echo "guest/build.sh: $*" >&2; }

# The cloud kernel has all of these as modules (checked against modules.builtin below); insmod has
# no dependency resolution, so this is the load order, dependencies first:
# button + evdev first, so acpid hears the ACPI power button as early as possible (a press before
# button.ko is in is lost), then virtio for /dev/vda, SCSI + ATA (PIIX IDE) + sr_mod for the config
# drive CD-ROM, isofs to mount it. This kernel has no AHCI driver at all (CONFIG_SATA_AHCI is not
# set): a SATA CD-ROM is invisible to it, an IDE one works.
MODULES=(button evdev virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk
         failover net_failover virtio_net
         scsi_common scsi_mod libata ata_piix cdrom sr_mod isofs)
CMDLINE="console=ttyS0 quiet"
ROOT_PASSWORD=cloud
DISK_MB=32
# A fixed filesystem UUID and hash seed: every build of the root disk has the same identity. (The bytes
# still differ between builds: mke2fs -d copies the source files' ctimes, busybox cpio the inode numbers.)
DISK_UUID=5c0a7c1e-0000-4000-8000-c10dac7025ed

# --- tools -------------------------------------------------------------------------------------
install_pkg() { log "installing $1"; DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >&2; }
[ -x /bin/busybox ] || install_pkg busybox-static
[ -x /usr/sbin/dropbear ] || install_pkg dropbear-bin
command -v mke2fs >/dev/null || install_pkg e2fsprogs
command -v qemu-img >/dev/null || install_pkg qemu-utils

# --- the kernel package ------------------------------------------------------------------------
# apt-cache takes ~0.7 s, so the concrete package name is cached together with a fingerprint of the
# apt lists it came from: a new apt-get update that brings a new kernel ABI is picked up.
lists_fp() { { stat -c '%n %s %Y' /var/lib/apt/lists/*_Packages* 2>/dev/null || true; } | sha256sum | cut -c1-16; }
resolve_kernel() {
    { apt-cache depends linux-image-cloud-amd64 2>/dev/null || true; } |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-.*-cloud-amd64$/ { print $2; exit }'
}
pkgfile=$out/debs/kernel-package
fp=$(lists_fp)
if [ -f "$pkgfile" ] && [ "$(sed -n 2p "$pkgfile")" = "$fp" ]; then
    pkg=$(sed -n 1p "$pkgfile")
else
    pkg=$(resolve_kernel)
    if [ -z "$pkg" ]; then
        log "apt knows no linux-image-cloud-amd64: apt-get update"
        apt-get update -q >&2
        pkg=$(resolve_kernel); fp=$(lists_fp)
    fi
    [ -n "$pkg" ] || { log "cannot resolve linux-image-cloud-amd64"; exit 1; }
    printf '%s\n%s\n' "$pkg" "$fp" >"$pkgfile"
fi

find_deb() { local d; deb=; for d in "$out/debs/${pkg}_"*.deb; do if [ -f "$d" ]; then deb=$d; fi; done; }
find_deb
if [ -z "$deb" ]; then
    log "downloading $pkg"
    download() { (cd "$out/debs" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2); }
    if ! download; then
        log "download failed: apt-get update and retry"
        apt-get update -q >&2
        download
    fi
    find_deb
    [ -n "$deb" ] || { log "no .deb for $pkg after download"; exit 1; }
fi

kdir=$build/kernel/$(basename "$deb" .deb)
if [ ! -d "$kdir" ]; then
    log "extracting $(basename "$deb")"
    rm -rf "$kdir.tmp"
    mkdir -p "$kdir.tmp"
    dpkg-deb -x "$deb" "$kdir.tmp"
    mv "$kdir.tmp" "$kdir"
fi
kver=${pkg#linux-image-}
moddir=$kdir/lib/modules/$kver

# --- helpers -----------------------------------------------------------------------------------
# stale NAME OUTPUT INPUT-TEXT: true when OUTPUT is missing or was built from other inputs.
stale() {
    local stamp=$build/$1.stamp want
    want=$(printf '%s' "$3" | sha256sum | cut -c1-64)
    if [ -f "$2" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 1; fi
    stamp_want=$want
    return 0
}
stamped() { echo "$stamp_want" >"$build/$1.stamp"; }
hash_files() { sha256sum "$@" | cut -c1-64; }
self=$(hash_files "${BASH_SOURCE[0]}")

# --- vmlinuz -----------------------------------------------------------------------------------
if ! cmp -s "$kdir/boot/vmlinuz-$kver" "$out/vmlinuz"; then
    log "vmlinuz <- $pkg"
    cp "$kdir/boot/vmlinuz-$kver" "$out/vmlinuz.tmp"
    mv "$out/vmlinuz.tmp" "$out/vmlinuz"
fi

# --- cmdline -----------------------------------------------------------------------------------
if [ "$(cat "$out/cmdline" 2>/dev/null || true)" != "$CMDLINE" ]; then
    log "cmdline: $CMDLINE"
    echo "$CMDLINE" >"$out/cmdline.tmp"
    mv "$out/cmdline.tmp" "$out/cmdline"
fi

# --- initrd.img --------------------------------------------------------------------------------
initrd_inputs="$self $(basename "$deb") ${MODULES[*]} $ROOT_PASSWORD
$(hash_files /bin/busybox /usr/sbin/dropbear "$here/init" "$here/metadata.awk" "$here/poweroff-button" "$here/udhcpc.script" "$here/metadata-get")"
if stale initrd "$out/initrd.img" "$initrd_inputs"; then
    log "initrd.img: busybox $(/bin/busybox | head -1 | awk '{print $2}'), kernel $kver"
    r=$build/initrd-root
    rm -rf "$r"
    mkdir -p "$r"/{bin,dev,proc,sys,run,tmp,root,mnt/root,mnt/config,lib/modules,etc/acpi/PWRF}
    cp /bin/busybox "$r/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [ "$applet" = busybox ] || ln -s busybox "$r/bin/$applet"
    done
    : >"$r/lib/modules/order"
    for m in "${MODULES[@]}"; do
        if grep -q "/$m\.ko$" "$moddir/modules.builtin"; then
            log "  $m is built into $kver"
            continue
        fi
        ko=$(find "$moddir/kernel" -name "$m.ko" | head -1)
        [ -n "$ko" ] || { log "module $m not found in $pkg"; exit 1; }
        cp "$ko" "$r/lib/modules/$m.ko"
        echo "$m" >>"$r/lib/modules/order"
    done
    install -m 0755 "$here/init" "$r/init"
    install -m 0644 "$here/metadata.awk" "$r/lib/metadata.awk"
    install -m 0755 "$here/poweroff-button" "$r/etc/acpi/PWRF/00000080"
    install -m 0755 "$here/udhcpc.script" "$r/etc/udhcpc.script"
    install -m 0755 "$here/metadata-get" "$r/bin/metadata-get"
    # dropbear and the libraries it links (ldd's list, the loader included), for SSH with the key pair's key.
    mkdir -p "$r/usr/sbin" "$r/etc/dropbear" "$r/root/.ssh"
    cp /usr/sbin/dropbear "$r/usr/sbin/dropbear"
    for lib in $(ldd /usr/sbin/dropbear | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }'); do
        mkdir -p "$r$(dirname "$lib")"
        cp -L "$lib" "$r$lib"
    done
    echo "root:x:0:0:root:/root:/bin/sh" >"$r/etc/passwd"
    echo "root:x:0:" >"$r/etc/group"
    echo "root:$(/bin/busybox mkpasswd -m sha512 -S cloudactors "$ROOT_PASSWORD"):19000:0:99999:7:::" >"$r/etc/shadow"
    chmod 0600 "$r/etc/shadow"
    echo "/bin/sh" >"$r/etc/shells"
    printf 'Cloud.Actors test guest \\l (user root, password %s)\n\n' "$ROOT_PASSWORD" >"$r/etc/issue"
    find "$r" -exec touch -h -d @0 {} +
    (cd "$r" && find . | LC_ALL=C sort | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -1 -n) >"$out/initrd.img.tmp"
    mv "$out/initrd.img.tmp" "$out/initrd.img"
    rm -rf "$r"
    stamped initrd
fi

# --- disk.qcow2 --------------------------------------------------------------------------------
disk_inputs="$self $DISK_MB
$(hash_files "$here/banner" "$here/os-release")"
if stale disk "$out/disk.qcow2" "$disk_inputs"; then
    log "disk.qcow2: ext4, ${DISK_MB} MiB"
    d=$build/disk-root
    rm -rf "$d" "$build/disk.raw"
    mkdir -p "$d/etc" "$d/var/lib"
    install -m 0644 "$here/banner" "$d/etc/banner"
    install -m 0644 "$here/os-release" "$d/etc/os-release"
    echo 0 >"$d/var/lib/boot-count"
    find "$d" -exec touch -h -d @0 {} +
    E2FSPROGS_FAKE_TIME=1 mke2fs -q -F -t ext4 -L cloud-root -U "$DISK_UUID" \
        -E "hash_seed=$DISK_UUID,root_owner=0:0" -d "$d" "$build/disk.raw" "${DISK_MB}M" >&2
    qemu-img convert -f raw -O qcow2 "$build/disk.raw" "$out/disk.qcow2.tmp"
    mv "$out/disk.qcow2.tmp" "$out/disk.qcow2"
    rm -rf "$d" "$build/disk.raw"
    stamped disk
fi

log "up to date: $out (vmlinuz initrd.img disk.qcow2 cmdline)"
