#!/bin/bash
# kernel.sh ARCH DIR: a Debian kernel for ARCH, unpacked (not installed) into
# DIR; prints the path of its vmlinuz. The kernel package and its exact version
# come from tests/e2e/debian-pins (PINS=FILE reads another); when the machine's
# apt sources no longer have that version, the one the linux-image metapackage
# names today is taken instead, with a warning on stderr. A foreign Debian
# architecture is added to dpkg when needed (download only).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 ARCH DIR" >&2; exit 2; }
pins=${PINS:-$(cd "$(dirname "$0")" && pwd)/debian-pins}
# Debian's name for the arch and its kernel flavour, from the arch table.
root=$(cd "$(dirname "$0")/../.." && pwd)
archval() { (cd "$root" && ./bootstrap arch "$1" "$2"); }
deb=$(archval "$1" debian) && flavour=$(archval "$1" kernel-flavour) ||
	{ echo "kernel.sh: unknown arch '$1'" >&2; exit 2; }
say() { echo "kernel.sh: $*" >&2; }
dir=$(mkdir -p "$2/$deb" && cd "$2/$deb" && pwd)
found=$(ls "$dir"/boot/vmlinuz-* 2>/dev/null | head -1 || true)
if [ -n "$found" ]; then echo "$found"; exit 0; fi

pin=$(awk -v a="$deb" '{ sub(/#.*/, "") } $1 == "kernel" && $2 == a { print $3 }' "$pins")
[ -n "$pin" ] || { say "$pins names no kernel for $deb (a line: kernel $deb PACKAGE=VERSION)"; exit 1; }
pkg=${pin%%=*} ver=${pin#*=}

apt_opts=()
[ "$(id -u)" = 0 ] && apt_opts=(-o APT::Sandbox::User=root)
if [ "$deb" != "$(dpkg --print-architecture)" ] &&
	! dpkg --print-foreign-architectures | grep -qx "$deb"; then
	dpkg --add-architecture "$deb"
	# One suite's index failing (a mirror mid-sync) need not stop us: the
	# kernel may well be in another.
	apt-get -q update >&2 || say "apt-get update reported errors; trying anyway"
fi

# Downloads PACKAGE=VERSION for $deb into $dir; its log goes to stderr.
download() {
	(cd "$dir" && apt-get "${apt_opts[@]}" -q download "$1:$deb=$2" >&2)
}

if ! download "$pkg" "$ver"; then
	# The metapackage names the current kernel package; take that one.
	real=$(apt-cache depends "linux-image-$flavour:$deb" 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ {sub(/:.*/, "", $2); print $2; exit}')
	[ -n "$real" ] || { say "$pkg=$ver is gone and there is no linux-image-$flavour for $deb in the apt sources"; exit 1; }
	now=$(apt-cache madison "$real:$deb" 2>/dev/null | awk -F '|' '{ gsub(/ /, "", $2); print $2; exit }')
	say "warning: pinned kernel $pkg=$ver ($pins) cannot be downloaded;" \
		"taking $real=$now, which linux-image-$flavour names today: update the pin"
	pkg=$real ver=$now
	download "$pkg" "$ver"
fi
debfile=$(ls "$dir/${pkg}_"*"_$deb.deb" | head -1)
dpkg-deb -x "$debfile" "$dir"
ls "$dir"/boot/vmlinuz-* | head -1
