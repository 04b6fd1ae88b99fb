#!/bin/bash
# kernel.sh ARCH DIR: a Debian kernel for ARCH, unpacked (not installed) into
# DIR; prints the path of its image. The package, its suite and its exact
# version come from tests/e2e/debian-pins (PINS=FILE reads another); when
# that version is gone, the one the linux-image-FLAVOUR metapackage names
# today is taken instead, with a warning on stderr.
#
# apt runs with lists of its own in DIR/apt (one suite, one architecture),
# derived from the machine's apt sources: the machine's apt and dpkg are left
# as they are, and a kernel may come from another suite than the machine's.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 ARCH DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/apt-archive.sh"
for_arch "$1"
say() { echo "kernel.sh: $*" >&2; }
if noboot=$(archval "$1" no-boot 2>/dev/null); then
	say "no kernel for $1: $noboot (config/arches)"
	exit 1
fi
flavour=$(archval "$1" kernel-flavour)
dir=$(mkdir -p "$2/$deb" && cd "$2/$deb" && pwd)

# The image, wherever the package keeps it: /boot/vmlinu[xz]-VERSION, or
# /usr/lib/modules/VERSION/vmlinu[xz] in Debian's split packages.
image() {
	ls "$dir"/boot/vmlinu[xz]-* "$dir"/usr/lib/modules/*/vmlinu[xz] 2>/dev/null | head -1
}
found=$(image || true)
# What qemu loads: an EFI zboot image's payload is unpacked (unzboot.sh).
if [ -n "$found" ]; then "$here/unzboot.sh" "$found"; exit; fi

row=$(awk -v a="$deb" '{ sub(/#.*/, "") } $1 == "kernel" && $3 == a { print $2, $4 }' "$pins")
[ -n "$row" ] || { say "$pins names no kernel for $deb (a line: kernel SUITE $deb PACKAGE=VERSION)"; exit 1; }
read -r suite pin <<<"$row"
pkg=${pin%%=*} ver=${pin#*=}

own_apt "$dir/apt" "$suite" "$deb" || exit 1

# Downloads PACKAGE=VERSION for $deb into $dir; its log goes to stderr.
download() {
	(cd "$dir" && apt-get "${apt_opts[@]}" -q download "$1:$deb=$2" >&2)
}

if ! download "$pkg" "$ver"; then
	# The metapackage names the current kernel package; take that one.
	real=$(apt-cache "${apt_opts[@]}" depends "linux-image-$flavour:$deb" 2>/dev/null |
		awk '/Depends: linux-(image|binary)-[0-9]/ {sub(/:.*/, "", $2); print $2; exit}')
	[ -n "$real" ] || { say "$pkg=$ver is gone and $suite has no linux-image-$flavour for $deb"; exit 1; }
	now=$(apt-cache "${apt_opts[@]}" madison "$real:$deb" 2>/dev/null | awk -F '|' '{ gsub(/ /, "", $2); print $2; exit }')
	say "warning: pinned kernel $pkg=$ver ($pins) cannot be downloaded;" \
		"taking $real=$now, which linux-image-$flavour names today: update the pin"
	pkg=$real ver=$now
	download "$pkg" "$ver"
fi
debfile=$(ls "$dir/${pkg}_"*"_$deb.deb" | head -1)
dpkg-deb -x "$debfile" "$dir"
found=$(image || true)
if [ -z "$found" ] && [ "${pkg#linux-image-}" != "$pkg" ]; then
	# Newer Debian kernels split linux-image-X into metadata and linux-binary-X.
	pkg=linux-binary-${pkg#linux-image-}
	download "$pkg" "$ver"
	debfile=$(ls "$dir/${pkg}_"*"_$deb.deb" | head -1)
	dpkg-deb -x "$debfile" "$dir"
	found=$(image || true)
fi
[ -n "$found" ] || { say "$debfile holds no kernel image (boot/vmlinu[xz]-*, usr/lib/modules/*/vmlinu[xz])"; exit 1; }
"$here/unzboot.sh" "$found"
