#!/bin/bash
# bootstrap initrd ARCH: output/ARCH/boxroot, config/rootfs over it and
# config/init as /init, packed into output/ARCH/initrd.cpio.gz and read back
# with the host's cpio, gzip and sha256sum.
. "$(dirname "$0")/../lib/tap.sh"
cd "$ROOT"

OUTDIR=$WORLD/output/x86_64
BOX=$OUTDIR/boxroot
IMG=$OUTDIR/initrd.cpio.gz
mkdir -p "$BOX/bin" "$BOX/etc" "$BOX/usr/bin"
printf 'not really busybox\n' >"$BOX/bin/busybox"
chmod 755 "$BOX/bin/busybox"
ln -s busybox "$BOX/bin/sh"
ln "$BOX/bin/busybox" "$BOX/usr/bin/busybox-link"
echo "busybox 1.37.0 0123" >"$BOX/etc/build-id"

run_bs --top "$WORLD" initrd x86_64
is "$RC" 0 "bootstrap initrd x86_64"
is "$ERR" "" "and says nothing on stderr"
ok "$([ -s "$IMG" ]; echo $?)" "output/x86_64/initrd.cpio.gz is there"
(cd "$OUTDIR" && sha256sum --quiet -c initrd.cpio.gz.sha256 >/dev/null 2>&1)
ok $? "initrd.cpio.gz.sha256 checks with sha256sum -c"
gzip -t "$IMG"
ok $? "a valid gzip stream"

list() { gzip -dc "$1" | cpio -it --quiet 2>/dev/null; }
names=$(list "$IMG")
is "$names" "$(printf '%s\n' "$names" | LC_ALL=C sort)" "members sorted bytewise"
if [ -d config/rootfs ]; then
	ok 0 "# SKIP the exact member list: this tree ships config/rootfs"
else
	is "$(printf '%s ' $names)" \
		"bin bin/busybox bin/sh dev dev/console dev/null etc etc/build-id init usr usr/bin usr/bin/busybox-link " \
		"the boxroot, /dev with console and null, /init; nothing else"
fi
long=$(gzip -dc "$IMG" | cpio -itv --quiet 2>/dev/null)
like "$long" $'crw-------   1 root     root       5,   1 .* dev/console' "dev/console: c 5 1, 0600, root"
like "$long" $'crw-rw-rw-   1 root     root       1,   3 .* dev/null' "dev/null: c 1 3, 0666"
like "$long" $'-rwxr-xr-x   1 root     root +[0-9]+ .* init' "/init: mode 0755, root"
like "$long" $'lrwxrwxrwx .* bin/sh -> busybox' "symlinks kept"
like "$long" $'-rwxr-xr-x   2 root .* usr/bin/busybox-link' "hard links kept, with their count"
unlike=$(printf '%s\n' "$long" | awk '$3 != "root" || $4 != "root"' | head -n 3)
is "$unlike" "" "every member owned by root:root"
init_bytes=$(gzip -dc "$IMG" | (cd "$WORLD" && cpio -i --quiet --to-stdout init 2>/dev/null) | sha256sum)
is "$init_bytes" "$(sha256sum <config/init)" "/init is config/init"

sum1=$(cat "$IMG.sha256")
touch -d '2030-01-01' "$BOX/bin/busybox" "$BOX/etc" "$BOX/etc/build-id"
run_bs --top "$WORLD" initrd x86_64
is "$(cat "$IMG.sha256")" "$sum1" "repacked after touching files: the same sha256"

echo "hello" >"$BOX/etc/motd"
run_bs --top "$WORLD" initrd x86_64
like "$(list "$IMG")" "^etc/motd$" "a file added by hand is in the next pack"
sum2=$(cat "$IMG.sha256")
[ "$sum2" != "$sum1" ]
ok $? "and the sum changed"

COMPRESS=zstd COMPRESS_LEVEL=1 run_bs --top "$WORLD" initrd x86_64
is "$RC" 0 "COMPRESS=zstd COMPRESS_LEVEL=1"
if command -v zstd >/dev/null; then
	is "$(zstd -dc "$OUTDIR/initrd.cpio.zst" | cpio -it --quiet 2>/dev/null)" "$(list "$IMG")" \
		"initrd.cpio.zst holds the same members"
fi
COMPRESS=none run_bs --top "$WORLD" initrd x86_64
is "$(cpio -it --quiet <"$OUTDIR/initrd.cpio" 2>/dev/null)" "$(list "$IMG")" \
	"COMPRESS=none: initrd.cpio, plain cpio"

before=$(ls "$OUTDIR")
COMPRESS=lz4 run_bs --top "$WORLD" initrd x86_64
is "$RC" 2 "COMPRESS=lz4 is bad input"
is "$ERR" "bootstrap: error: unknown COMPRESS 'lz4' (valid: gzip, zstd, xz, none)" "naming the valid ones"
COMPRESS_LEVEL=11 run_bs --top "$WORLD" initrd x86_64
is "$ERR" "bootstrap: error: COMPRESS_LEVEL 11 is out of range; gzip takes 1-9" "COMPRESS_LEVEL=11"
SOURCE_DATE_EPOCH=soon run_bs --top "$WORLD" initrd x86_64
is "$ERR" "bootstrap: error: SOURCE_DATE_EPOCH 'soon' is not a number of seconds since 1970 (0-4294967295)" \
	"SOURCE_DATE_EPOCH=soon"

python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$BOX/etc/ctl"
run_bs --top "$WORLD" initrd x86_64
is "$RC" 1 "a socket in the boxroot fails"
is "$ERR" "bootstrap: error: '$BOX/etc/ctl' is a socket, which an initrd cannot hold; remove it" \
	"naming it"
is "$(ls "$OUTDIR")" "$before" "failures leave no temp file and no new file"
is "$(cat "$IMG.sha256")" "$sum2" "and the last good image stays"
rm "$BOX/etc/ctl"

run_bs --top "$WORLD" initrd i686
is "$ERR" "bootstrap: error: $WORLD/output/i686/boxroot does not exist: build the userland first (bootstrap build i686)" \
	"an arch whose box stage never ran"
done_testing
