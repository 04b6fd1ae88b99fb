#!/bin/bash
# tests/e2e/debian-pins is the one place that names the Debian versions the
# e2e suite provisions: the recipes it feeds (tests/e2e/overlay first, then
# recipes/) must pin the same file names and sums, and the overlays and the
# README name no other Debian version. No network: provision-mirror.sh --check.
. "$(dirname "$0")/../lib/tap.sh"
cd "$ROOT"
pins=tests/e2e/debian-pins
export BOOTSTRAP

# check TABLE: runs the consistency check on TABLE; sets $OUT and $RC.
check() {
	OUT=$(PINS=$1 tests/e2e/provision-mirror.sh --check 2>&1) && RC=0 || RC=$?
}
# variant NAME SED-SCRIPT: a copy of the table, edited.
variant() { sed "$2" "$pins" >"$WORLD/$1"; echo "$WORLD/$1"; }

check "$pins"
is "$RC" 0 "the shipped table agrees with the recipes"
like "$OUT" "agrees with the recipes \(suites: trixie forky\)" "it names the suites the deb-src entry lists"

line=$(grep -n '^src .* linux-headers=' "$pins" | cut -d: -f1)
check "$(variant sum 's/^\(src .* linux-headers=7.1.8 *\)47f9ce629b/\147f9ce629c/')"
is "$RC" 1 "one changed sum fails the check"
like "$OUT" ":$line: linux=7.1.8-2: recipe linux-headers=7.1.8 pins sha256 47f9ce629b[0-9a-f]*, the table 47f9ce629c" \
	"the error names the table's line, the pin and both sums"

check "$(variant shipped-sum 's/^\(src .* musl=1.2.5 *\)a9a1/\1b9a1/')"
like "$RC:$OUT" "^1:.*musl=.*recipe musl=1.2.5 pins sha256" "a sum that only the shipped recipe pins is checked too"
like "$OUT" "recipe musl=1.2.5 fetches musl-1.2.5.tar.gz \(sha256 a9a1[0-9a-f]*\), which no src row" \
	"and an offered version whose file no row serves"

check "$(variant name 's/^\(src .*\) zlib_1.3.dfsg+really1.3.2.orig.tar.gz  *zlib=/\1 zlib-1.3.2.tar.gz zlib=/')"
like "$RC:$OUT" "^1:.*recipe zlib=1.3.2 fetches zlib_1.3.dfsg\+really1.3.2.orig.tar.gz, the table serves zlib-1.3.2.tar.gz" \
	"a mirror name the recipe does not fetch fails the check"

check "$(variant version 's/binutils=2.44-3/binutils=2.45-1/')"
like "$RC:$OUT" "^1:.*binutils=2.45-1: orig file binutils_2.44.orig.tar.xz does not belong to this version" \
	"an orig file of another version fails the check"

check "$(variant row '/^src .* zlib=1.3.2  /d')"
is "$RC" 1 "a row less fails the check"
like "$OUT" "overlay/zlib.recipe: overlays zlib, which no src row" "an overlay no row provisions is named"

check "$(variant suite 's/^src trixie gmp/src sid gmp/')"
like "$RC:$OUT" "^1:.*suite sid is not declared" "a row's suite must be declared"

check "$(variant newsuite 's/^suite forky$/suite forky\nsuite sid/; s/^src trixie gmp/src sid gmp/')"
like "$RC:$OUT" "^0:.*suites: trixie forky sid" "adding a suite is one line"

check "$(variant recipe 's/ gmp=6.3.0 / gmp /')"
like "$RC:$OUT" "^1:.*not RECIPE=VERSION: gmp" "a row names the recipe's version"

check "$(variant kernel '$a kernel bookworm amd64 linux-image-foo=1-1')"
like "$RC:$OUT" "^1:.*kernel for amd64 also on line" "two kernels for one arch fail the check"
check "$(variant kernelsuite 's/^kernel bookworm \(amd64 .*\)/kernel \1/')"
like "$RC:$OUT" "^1:.*want: kernel SUITE DEBIAN-ARCH PACKAGE=VERSION" "a kernel row names its suite"
check "$(variant nokernel '/^kernel .* s390x /d')"
like "$RC:$OUT" "^1:.*no kernel row for s390x, which the e2e suite boots s390x with" "every arch the suite boots has a kernel"

check "$(variant emulator '$a emulator bookworm-backports loong64 qemu-system-misc=1:10.0')"
like "$RC:$OUT" "^1:.*emulator for loong64 also on line" "two emulators for one arch fail the check"
check "$(variant emulatorpin 's/^\(emulator .*\) qemu-system-data=[^ ]*/\1 qemu-system-data/')"
like "$RC:$OUT" "^1:.*not PACKAGE=VERSION: qemu-system-data" "an emulator row names exact versions"
check "$(variant emulatorshort 's/^emulator \([^ ]*\) \([^ ]*\) .*/emulator \1 \2/')"
like "$RC:$OUT" "^1:.*want: emulator SUITE DEBIAN-ARCH PACKAGE=VERSION" "an emulator row names its packages"

check "$(variant bad 's/^src trixie isl=0.27-1/src trixie isl/')"
like "$RC:$OUT" "^1:.*not PACKAGE=VERSION: isl" "a row without an exact version fails the check"

# Versions named outside the table: every "PACKAGE VERSION-REVISION" in the
# overlays' comments and the README must be a pin.
pinned=$(awk '$1 == "src" { print $3 }' "$pins" | sed 's/=[0-9]*:/=/')
stray=
for pkg in $(awk '$1 == "src" { sub(/=.*/, "", $3); print $3 }' "$pins"); do
	for v in $(grep -ohE "(^|[^a-z0-9-])$pkg[ =]([0-9]+:)?[0-9][0-9a-z.+~]*-[0-9][0-9a-z.+~]*" \
		tests/e2e/overlay/*.recipe README.md | sed -E "s/.*$pkg[ =]([0-9]+:)?/$pkg=/"); do
		printf '%s\n' "$pinned" | grep -qxF "$v" || stray="$stray $v"
	done
done
is "${stray# }" "" "the overlays and the README name no Debian version but the pinned ones"
like "$(cat README.md)" "tests/e2e/debian-pins" "the README points to the table"

# --- unzboot.sh: the kernel image qemu loads ----------------------------------
# zboot IMAGE COMPRESSION CMD...: an EFI zboot image around CMD's output of
# "the kernel", as the kernel's zboot header lays it out.
zboot() {
	local img=$1 comp=$2
	shift 2
	printf 'the kernel\n' | "$@" >"$img.payload"
	{ printf 'MZ\0\0zimg'
	  printf "$(printf '\\%03o' $((64 & 255)) 0 0 0)"
	  size=$(stat -c %s "$img.payload")
	  printf "$(printf '\\%03o' $((size & 255)) $((size >> 8 & 255)) $((size >> 16 & 255)) 0)"
	  printf '\0%.0s' 1 2 3 4 5 6 7 8
	  printf '%s' "$comp"; head -c $((40 - ${#comp})) /dev/zero
	  cat "$img.payload"; printf 'trailer'; } >"$img"
}
zboot "$WORLD/zstd.efi" zstd zstd -q
is "$(tests/e2e/unzboot.sh "$WORLD/zstd.efi")" "$WORLD/zstd.efi.unpacked" "a zstd zboot image is unpacked beside it"
is "$(cat "$WORLD/zstd.efi.unpacked")" "the kernel" "to its payload alone"
zboot "$WORLD/gzip.efi" gzip gzip -n
is "$(tests/e2e/unzboot.sh "$WORLD/gzip.efi" && cat "$WORLD/gzip.efi.unpacked")" "$WORLD/gzip.efi.unpacked
the kernel" "so is a gzip one"
zboot "$WORLD/lzma.efi" lzma cat
OUT=$(tests/e2e/unzboot.sh "$WORLD/lzma.efi" 2>&1) && RC=0 || RC=$?
like "$RC:$OUT" "^1:unzboot.sh: .*lzma.efi: an EFI zboot image compressed with 'lzma'" "another compression fails, naming the image"
printf 'MZ\0\0PE\0\0plain' >"$WORLD/plain.efi"
is "$(tests/e2e/unzboot.sh "$WORLD/plain.efi")" "$WORLD/plain.efi" "any other image is loaded as it is"

# --- emulator.sh: the machine's qemu unless a row names another ----------------
is "$(PINS="$(variant noemu '/^emulator /d')" tests/e2e/emulator.sh loongarch64 "$WORLD/emu")" \
	qemu-system-loongarch64 "an arch without an emulator row boots with the machine's qemu"
OUT=$(tests/e2e/emulator.sh sparc64 "$WORLD/emu" 2>&1) && RC=0 || RC=$?
like "$RC:$OUT" "^2:bootstrap: error: unknown arch 'sparc64' \(valid: " "an unknown arch is named, with the valid ones"

# --- apt-archive.sh parses in every script that sources it ------------------------
for s in $(grep -l '^\. "$here/apt-archive.sh"' tests/e2e/*.sh); do
	shell=$(sed -n '1s/^#! *//p' "$s")
	OUT=$($shell -n tests/e2e/apt-archive.sh 2>&1) && RC=0 || RC=$?
	is "$RC:$OUT" "0:" "$s's $shell parses apt-archive.sh"
done
done_testing
