#!/bin/bash
# bench/toolchain.sh: the x86_64 cross toolchain (C, C++) from empty, ours
# and musl-cross-make's, on the same versions from the same source tarballs,
# with the same -j, back to back in one run; then (without --one) the three
# seed arches in one command against three times x86_64 alone.
#
#   MIRROR=file:///work/e2e/mirror RECIPES=tests/e2e/overlay:recipes \
#       MCM_SRC=/path/to/musl-cross-make bench/toolchain.sh [--one] [PKG=VERSION...]
#
# Prints for each build its wall and CPU (user + sys) seconds and per package
# (ours: the state files; musl-cross-make: its stamp files, as phases), then
#   ours / musl-cross-make, wall      goal <= 0.85
#   ours / musl-cross-make, CPU       goal <= 1.0
#   (three arches) / (3 x x86_64)     goal <= 0.75
# MCM_SRC: a checkout of musl-cross-make (its newest commit); nothing of it
# is changed or kept: the bench builds in a scratch copy, with a config.mak
# for our plan's versions and our tarballs as its SOURCES. Without MCM_SRC
# the bench says how to get it and measures ours alone.
# JOBS (default: the number of CPUs) is both builds' make -j; BENCH_DIR the
# scratch folder (default work/bench, emptied first). Run it on an idle
# machine: another build beside it changes every figure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH_DIR:-$ROOT/work/bench}
JOBS=${JOBS:-$(nproc)}
only_one=
versions=()
usage() { echo "usage: $0 [--one] [PKG=VERSION...] (MCM_SRC=DIR for musl-cross-make beside)" >&2; exit 2; }
for a in "$@"; do
	case $a in
	--one) only_one=yes ;;
	[a-z]*=*) versions+=("$a") ;;
	*) usage ;;
	esac
done
if [ -n "${MCM_SRC:-}" ] && [ ! -f "$MCM_SRC/litecross/Makefile" ]; then
	echo "$0: MCM_SRC=$MCM_SRC: not a musl-cross-make checkout (no litecross/Makefile)" >&2
	exit 2
fi
cd "$ROOT"
make -s bootstrap
# The plan's versions, as "name version" lines (--goal crosstool, x86_64).
plan=$(./bootstrap plan x86_64 --goal crosstool ${versions[@]+"${versions[@]}"} | awk '{print $2, $3}')
version_of() { awk -v p="$1" '$1 == p { print $2 }' <<<"$plan"; }
if [ "${BENCH_DRY_RUN:-}" = config ]; then # for make check: the config.mak only
	. "$ROOT/bench/mcm.sh"
	mcm_config /dev/stdout "$ROOT/work/bench-mcm/sources" "$ROOT/work/bench-mcm/output"
	exit 0
fi
rm -rf "$BENCH"
mkdir -p "$BENCH"

# Fetched once, outside the timed builds.
./bootstrap --top "$BENCH/one" --jobs "$JOBS" fetch ${versions[@]+"${versions[@]}"} >/dev/null

times() { # times TOP ARCH...: one line per package from the state files
	local top=$1
	shift
	for a in "$@"; do
		cat "$top/states/cross-$a"
	done | awk '{printf "  %-14s %-10s %7.1f s\n", $1, $2, $4}'
	awk '{printf "  %-14s %-10s %7.1f s (host, shared)\n", $1, $2, $4}' "$top/states/host"
}
timed() { # timed DIR COMMAND...: runs it; wall seconds on stdout, user and sys in DIR/cpu
	local dir=$1 start TIMEFORMAT='%U %S'
	shift
	start=$(date +%s.%N)
	# bash's time counts the waited-for descendants' CPU too.
	{ time "$@" >"$dir/build.log" 2>&1; } 2>"$dir/cpu"
	echo "$(date +%s.%N) - $start" | bc
}
cpu_of() { awk '{print $1 + $2}' "$1/cpu"; }
say_cpu() { # say_cpu DIR WALL
	awk -v wall="$2" -v cores="$(nproc)" '{cpu = $1 + $2
		printf "  CPU (user + sys): %.1f s, %.0f%% of %d cores over the wall time\n", cpu, 100 * cpu / (wall * cores), cores}' "$1/cpu"
}
ours() { # ours TOP ARCH...: wall seconds of one build of their toolchains
	local top=$1
	shift
	mkdir -p "$top"
	cp -al "$BENCH/one/sources" "$top/" 2>/dev/null || true
	timed "$top" ./bootstrap --top "$top" --jobs "$JOBS" build "$@" --goal crosstool \
		${versions[@]+"${versions[@]}"}
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, make -j$JOBS"
one=$(ours "$BENCH/one" x86_64)
echo "ours, x86_64 alone: $one s"
say_cpu "$BENCH/one" "$one"
times "$BENCH/one" x86_64

if [ -n "${MCM_SRC:-}" ]; then
	. "$ROOT/bench/mcm.sh"
	mcm_prepare "$BENCH/mcm" "$BENCH/one/sources"
	mcm_start "$BENCH/mcm/tree"
	mcm=$(timed "$BENCH/mcm" make -C "$BENCH/mcm/tree" -j"$JOBS" install)
	echo "musl-cross-make ($(mcm_commit)), x86_64: $mcm s"
	say_cpu "$BENCH/mcm" "$mcm"
	mcm_phases "$BENCH/mcm/tree"
	awk -v o="$one" -v m="$mcm" -v oc="$(cpu_of "$BENCH/one")" -v mc="$(cpu_of "$BENCH/mcm")" 'BEGIN {
		printf "ours / musl-cross-make, wall: %.2f (goal <= 0.85)\n", o / m
		printf "ours / musl-cross-make, CPU:  %.2f (goal <= 1.0)\n", oc / mc }'
else
	echo "musl-cross-make not measured: set MCM_SRC to a checkout of it" \
		"(git clone https://github.com/richfelker/musl-cross-make) to time it beside ours"
fi
[ -z "$only_one" ] || exit 0
three=$(ours "$BENCH/three" x86_64 aarch64 i686)
echo "ours, x86_64 + aarch64 + i686 in one command: $three s"
say_cpu "$BENCH/three" "$three"
times "$BENCH/three" x86_64 aarch64 i686
echo "$three / (3 * $one)" | bc -l | awk '{printf "ratio (three arches) / (3 x x86_64 alone): %.2f (goal <= 0.75)\n", $1}'
