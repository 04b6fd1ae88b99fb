#!/bin/bash
# kernel.sh ARCH DIR: a Debian kernel for ARCH, unpacked (not installed) into
# DIR; prints the path of its vmlinuz. Uses the machine's own apt sources; a
# foreign Debian architecture is added to dpkg when needed (download only).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 ARCH DIR" >&2; exit 2; }
case $1 in
x86_64 | amd64) deb=amd64 flavour=amd64 ;;
aarch64 | arm64) deb=arm64 flavour=arm64 ;;
i686 | i386 | x86) deb=i386 flavour=686 ;;
*) echo "kernel.sh: unknown arch '$1'" >&2; exit 2 ;;
esac
dir=$(mkdir -p "$2/$deb" && cd "$2/$deb" && pwd)
found=$(ls "$dir"/boot/vmlinuz-* 2>/dev/null | head -1 || true)
if [ -n "$found" ]; then echo "$found"; exit 0; fi
apt_opts=()
[ "$(id -u)" = 0 ] && apt_opts=(-o APT::Sandbox::User=root)
if [ "$deb" != "$(dpkg --print-architecture)" ] &&
	! dpkg --print-foreign-architectures | grep -qx "$deb"; then
	dpkg --add-architecture "$deb"
	# One suite's index failing (a mirror mid-sync) need not stop us: the
	# kernel may well be in another.
	apt-get -q update >&2 || echo "kernel.sh: apt-get update reported errors; trying anyway" >&2
fi
# The metapackage names the current kernel package; download that one.
real=$(apt-cache depends "linux-image-$flavour:$deb" 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/ {sub(/:.*/, "", $2); print $2; exit}')
[ -n "$real" ] || { echo "kernel.sh: no linux-image-$flavour for $deb in the apt sources" >&2; exit 1; }
(cd "$dir" && apt-get "${apt_opts[@]}" -q download "$real:$deb" >&2)
dpkg-deb -x "$dir"/"$real"_*.deb "$dir"
ls "$dir"/boot/vmlinuz-* | head -1
