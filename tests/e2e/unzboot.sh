#!/bin/bash
# unzboot.sh IMAGE: prints the kernel image qemu should load for IMAGE.
# That is IMAGE itself, unless it is an EFI zboot image ("zimg" at byte 4,
# as Debian's loong64 kernel): those hold the kernel compressed, and qemu
# cannot read every compression (not zstd), so the payload is unpacked to
# IMAGE.unpacked, whose path is printed. The header: the payload's offset
# and size as 32-bit little-endian words at bytes 8 and 12, the
# compression's name at byte 24.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 IMAGE" >&2; exit 2; }
img=$1
magic=$(dd if="$img" bs=1 skip=4 count=4 2>/dev/null | tr -d '\0')
[ "$magic" = zimg ] || { echo "$img"; exit 0; }
# Unpacked by an earlier run, from this image.
[ "$img.unpacked" -nt "$img" ] && { echo "$img.unpacked"; exit 0; }
off=$(od -An -tu4 -j8 -N4 "$img" | tr -d ' ')
size=$(od -An -tu4 -j12 -N4 "$img" | tr -d ' ')
comp=$(dd if="$img" bs=1 skip=24 count=32 2>/dev/null | tr -d '\0')
case $comp in
zstd) unpack=(zstd -dcq) ;;
gzip) unpack=(gzip -dc) ;;
*) echo "unzboot.sh: $img: an EFI zboot image compressed with '$comp', which this script cannot unpack" >&2; exit 1 ;;
esac
tail -c +$((off + 1)) "$img" | head -c "$size" | "${unpack[@]}" >"$img.unpacked.tmp" ||
	{ echo "unzboot.sh: $img: its $comp payload (bytes $off to $((off + size))) does not unpack" >&2; exit 1; }
mv "$img.unpacked.tmp" "$img.unpacked"
echo "$img.unpacked"
