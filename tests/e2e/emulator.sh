#!/bin/bash
# emulator.sh ARCH DIR: prints the qemu-system command that boots ARCH. The
# machine's own (qemu-system-NAME), unless tests/e2e/debian-pins has an
# emulator row for ARCH's Debian name: then the qemu of those packages (for
# this machine's arch, from the row's suite), unpacked into DIR, not
# installed, with its own firmware folder. PINS=FILE reads another table.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 ARCH DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/apt-archive.sh"
for_arch "$1"
system=qemu-system-$(archval "$1" qemu)
say() { echo "emulator.sh: $*" >&2; }

row=$(awk -v a="$deb" '{ sub(/#.*/, "") } $1 == "emulator" && $3 == a { $1 = ""; $3 = ""; print }' "$pins")
if [ -z "$row" ]; then echo "$system"; exit 0; fi
read -r suite pins_of_row <<<"$row"
read -r -a packages <<<"$pins_of_row"
machine=$(dpkg --print-architecture)
dir=$(mkdir -p "$2/$suite-$machine" && cd "$2/$suite-$machine" && pwd)
if [ ! -x "$dir/root/usr/bin/$system" ]; then
	own_apt "$dir/apt" "$suite" "$machine" || exit 1
	rm -rf "$dir/root" "$dir/root.tmp" "$dir/debs" && mkdir -p "$dir/debs"
	(cd "$dir/debs" && apt-get "${apt_opts[@]}" -q download "${packages[@]}" >&2) ||
		{ say "cannot download ${packages[*]} from $suite ($pins, emulator row for $deb)"; exit 1; }
	for f in "$dir"/debs/*.deb; do dpkg-deb -x "$f" "$dir/root.tmp"; done
	mv "$dir/root.tmp" "$dir/root"
	[ -x "$dir/root/usr/bin/$system" ] ||
		{ say "${packages[*]} hold no usr/bin/$system ($pins, emulator row for $deb)"; exit 1; }
fi
echo "$dir/root/usr/bin/$system -L $dir/root/usr/share/qemu"
