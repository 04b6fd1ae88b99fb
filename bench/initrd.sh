#!/bin/bash
# bench/initrd.sh: the initrd writer against the shell pipeline it replaces,
# on the same boxroot, in the same run:
#   ours:     initrd_pack (libarchive: cpio newc + gzip -9, one process)
#   baseline: find . | LC_ALL=C sort | cpio -o -H newc | gzip -9
# Prints the median of RUNS timings of each and their ratio (goal <= 1.0),
# the other compressors for reference, and the size of every
# output/<arch>/initrd a build left (goal: x86_64 <= 3 MiB with gzip).
#
# usage: bench/initrd.sh [TOP]   (TOP: where output/ is; default .)
# env:   RUNS (default 5), FILES (small generated files, default 1500)
set -eu
cd "$(dirname "$0")/.."
TOP=${1:-.}
RUNS=${RUNS:-5}
FILES=${FILES:-1500}
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-initrd.XXXXXX")
trap 'rm -rf "$T"' EXIT

# --- the driver: initrd_pack alone, optimised like ./bootstrap ----------
CFLAGS="-std=c11 -Wall -Wextra -D_GNU_SOURCE -O2 -I."
DEPS="src/initrd.c src/util.c src/strbuf.c src/file.c src/digest.c src/arena.c"
# shellcheck disable=SC2046,SC2086 # flag lists
cc $CFLAGS -o "$T/initrd_pack" bench/initrd_pack.c $DEPS \
	$(pkg-config --cflags --libs libcrypto libarchive) 2>"$T/cc.log" ||
	cc $CFLAGS -o "$T/initrd_pack" bench/initrd_pack.c src/*.c \
		$(pkg-config --cflags --libs libcurl libcrypto libarchive) ||
	{ cat "$T/cc.log" >&2; exit 1; }

# --- a boxroot of realistic shape ----------------------------------------
# A static multi-call binary with its applet links, a second program, a
# thousand headers and zoneinfo files (text and small binaries), and many
# small generated config-like files.
BOX=$T/boxroot
make_boxroot() {
	mkdir -p "$BOX/bin" "$BOX/sbin" "$BOX/usr/bin" "$BOX/usr/include" "$BOX/usr/share" "$BOX/etc/conf"
	local bb=/usr/bin/busybox
	# shellcheck disable=SC2012 # the largest program will do
	[ -f "$bb" ] || bb=$(ls -S /usr/bin/* | head -n 1)
	cp "$bb" "$BOX/bin/busybox"
	ln "$BOX/bin/busybox" "$BOX/sbin/busybox"
	cp "$(command -v curl || command -v cpio)" "$BOX/usr/bin/curl"
	local i
	(cd "$BOX/bin" && for i in $(seq -w 1 400); do ln -s busybox "applet$i"; done)
	[ -d /usr/include/linux ] && cp -a /usr/include/linux "$BOX/usr/include/"
	[ -d /usr/share/zoneinfo ] && cp -a /usr/share/zoneinfo "$BOX/usr/share/"
	awk -v n="$FILES" -v dir="$BOX/etc/conf" 'BEGIN {
		srand(1)
		for (i = 1; i <= n; i++) {
			f = sprintf("%s/c%05d.conf", dir, i)
			printf "name=conf%d\nvalue=%d\n", i, int(rand() * 100000) >f
			for (j = 0; j < i % 50; j++)
				print "option" j " = " int(rand() * 1000) >f
			close(f)
		}
	}'
}
make_boxroot
nfiles=$(find "$BOX" | wc -l)
size=$(du -sk --apparent-size "$BOX" | cut -f1)
echo "boxroot: $nfiles entries, $((size / 1024)) MiB"

# --- timing ----------------------------------------------------------------
now() { echo "${EPOCHREALTIME/,/.}"; }
baseline() {
	(cd "$BOX" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9 >"$T/base.cpio.gz")
}
ours() { # ours COMPRESS LEVEL (0: the compressor's default)
	local level=$2
	[ "$level" = 0 ] && level=
	COMPRESS=$1 COMPRESS_LEVEL=$level SOURCE_DATE_EPOCH=0 "$T/initrd_pack" "$BOX" "$T/ours.$1.$2"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
time_it() { # time_it FILE COMMAND...: appends the seconds COMMAND took
	local t0
	t0=$(now)
	"${@:2}"
	awk -v a="$(now)" -v b="$t0" 'BEGIN { printf "%.6f\n", a - b }' >>"$1"
}

# Warm the page cache once, then alternate so both see the same machine.
baseline
ours gzip 9
for _ in $(seq "$RUNS"); do
	time_it "$T/t.base" baseline
	time_it "$T/t.ours" ours gzip 9
done
tb=$(median <"$T/t.base")
to=$(median <"$T/t.ours")
sb=$(stat -c %s "$T/base.cpio.gz")
so=$(stat -c %s "$T/ours.gzip.9")
printf 'baseline  find|sort|cpio|gzip -9  %7.3f s  %9d bytes\n' "$tb" "$sb"
printf 'ours      gzip, level 9          %7.3f s  %9d bytes\n' "$to" "$so"
printf 'ratio ours/baseline: %.2f (goal <= 1.0)\n' "$(awk -v a="$to" -v b="$tb" 'BEGIN { print a / b }')"

echo "other settings (one run each, for reference):"
for cl in "gzip 1" "gzip 0" "zstd 0" "zstd 19" "xz 0" "none 0"; do
	# shellcheck disable=SC2086 # two words
	set -- $cl
	: >"$T/t.one"
	time_it "$T/t.one" ours "$1" "$2"
	printf '  COMPRESS=%-4s COMPRESS_LEVEL=%-8s %7.3f s  %9d bytes\n' "$1" \
		"$([ "$2" = 0 ] && echo default || echo "$2")" "$(cat "$T/t.one")" \
		"$(stat -c %s "$T/ours.$1.$2")"
done

# --- what the builds produced ---------------------------------------------
echo "initrd size per arch (goal: x86_64 <= 3 MiB gzip):"
for arch in x86_64 aarch64 i686; do
	box=$TOP/output/$arch/boxroot
	if [ ! -d "$box" ]; then
		echo "  $arch: no $box yet"
		continue
	fi
	COMPRESS=gzip COMPRESS_LEVEL=9 SOURCE_DATE_EPOCH=0 "$T/initrd_pack" "$box" "$T/$arch.cpio.gz" \
		config/init
	s=$(stat -c %s "$T/$arch.cpio.gz")
	printf '  %-8s %9d bytes (%.2f MiB)%s\n' "$arch" "$s" "$(awk -v s="$s" 'BEGIN { print s / 1048576 }')" \
		"$([ "$arch" = x86_64 ] && [ "$s" -gt 3145728 ] && echo '  OVER THE GOAL')"
done
