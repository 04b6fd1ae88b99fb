#!/bin/bash
# bench/toolchain.sh without its hour of builds: its arguments, the
# config.mak it writes for musl-cross-make from our plan's versions, and the
# source tarballs it gives musl-cross-make (upstream's as they are, Debian's
# repacks under upstream's names and top folders).
. "$(dirname "$0")/../lib/tap.sh"
cd "$ROOT"
export BENCH_DIR=$WORLD/bench

out=$(bench/toolchain.sh --bogus 2>&1) && rc=0 || rc=$?
is "$rc" 2 "an unknown argument is a usage error"
like "$out" "^usage: bench/toolchain.sh \[--one\] \[PKG=VERSION\.\.\.\]" "saying the usage"
out=$(MCM_SRC=$WORLD/nothing bench/toolchain.sh 2>&1) && rc=0 || rc=$?
is "$rc:$out" "2:bench/toolchain.sh: MCM_SRC=$WORLD/nothing: not a musl-cross-make checkout (no litecross/Makefile)" \
	"MCM_SRC that is not a checkout is refused before anything runs"
ok "$([ ! -e "$BENCH_DIR" ]; echo $?)" "and nothing is written"

mkdir -p "$WORLD/mcm/litecross" && touch "$WORLD/mcm/litecross/Makefile"
config=$(BENCH_DRY_RUN=config MCM_SRC=$WORLD/mcm bench/toolchain.sh)
plan=$(./bootstrap plan x86_64 --goal crosstool)
want() { echo "$plan" | awk -v p="$1" '$2 == p { print $3 }'; }
like "$config" "GCC_VER = $(want gcc)" "config.mak: our plan's gcc"
like "$config" "BINUTILS_VER = $(want binutils)" "binutils"
like "$config" "MUSL_VER = $(want musl)" "musl"
like "$config" "ISL_VER = $(want isl)" "isl"
like "$config" "LINUX_VER = $(want linux-headers)" "and the kernel headers"
config=$(BENCH_DRY_RUN=config MCM_SRC=$WORLD/mcm bench/toolchain.sh gcc=15.3.0)
like "$config" "GCC_VER = 15\.3\.0" "a version choice reaches config.mak"

# The sources, from tarballs shaped as upstream's and Debian's are.
src=$WORLD/src dest=$WORLD/dest
mkdir -p "$src" "$dest" "$WORLD/t/mpc-1.3.1" "$WORLD/t/gmp-6.3.0+dfsg/mpn" "$WORLD/t/gcc-16-16.2.0" \
	"$WORLD/t/gcc-16.2.0/gcc"
echo mpc >"$WORLD/t/mpc-1.3.1/README"
echo gmp >"$WORLD/t/gmp-6.3.0+dfsg/mpn/x.c"
echo 'all:' >"$WORLD/t/gcc-16.2.0/gcc/Makefile.in"
tar -C "$WORLD/t" -czf "$src/mpc-1.3.1.tar.gz" mpc-1.3.1
tar -C "$WORLD/t" -cJf "$src/gmp_6.3.0+dfsg.orig.tar.xz" gmp-6.3.0+dfsg
tar -C "$WORLD/t" -cJf "$WORLD/t/gcc-16-16.2.0/gcc-16.2.0-dfsg.tar.xz" gcc-16.2.0
tar -C "$WORLD/t" -czf "$src/gcc-16_16.2.0.orig.tar.gz" gcc-16-16.2.0
. bench/mcm.sh
mcm_source "$src" "$dest" mpc 1.3.1 >/dev/null
ok "$([ -L "$dest/mpc-1.3.1.tar.gz" ]; echo $?)" "upstream's tarball is linked as it is"
is "$(mcm_source "$src" "$dest" gmp 6.3.0)" repack "Debian's gmp is repacked"
is "$(tar -tJf "$dest/gmp-6.3.0.tar.xz" | sort | tr '\n' ' ')" \
	"gmp-6.3.0/ gmp-6.3.0/doc/ gmp-6.3.0/doc/Makefile.in gmp-6.3.0/mpn/ gmp-6.3.0/mpn/x.c " \
	"as gmp-6.3.0, with a stand-in for the doc folder the dfsg tarball lacks"
is "$(mcm_source "$src" "$dest" gcc 16.2.0)" repack "Debian's gcc is unwrapped"
is "$(tar -tJf "$dest/gcc-16.2.0.tar.xz" | head -1)" "gcc-16.2.0/" "to upstream's dfsg tarball"
out=$(mcm_source "$src" "$dest" isl 0.27 2>&1) && rc=0 || rc=$?
is "$rc:$out" "1:bench: no tarball of isl 0.27 in $src" "a missing tarball is named"

done_testing
