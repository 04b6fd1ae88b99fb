#!/bin/bash
# Toolchain build times, measured in one run from clean (long: about an hour
# on 2 cores). First x86_64 alone, then all three targets in one
# command (the host libraries built once and shared), each in a fresh top.
# Prints each package's time, each total, and the ratio
#   (three targets) / (3 x x86_64 alone)      goal <= 0.75
# Sources: MIRROR and RECIPES as for a build, e.g. the e2e mirror:
#   MIRROR=file:///work/e2e/mirror RECIPES=tests/e2e/overlay:recipes bench/toolchain.sh
# --one: x86_64 alone only (about 20 minutes), no three-target ratio.
# PKG=VERSION arguments choose versions, as for the driver (gcc=15.3.0).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH_DIR:-$ROOT/work/bench}
only_one=
versions=()
for a in "$@"; do
	case $a in --one) only_one=yes ;; *=*) versions+=("$a") ;;
	*) echo "usage: $0 [--one] [PKG=VERSION...]" >&2; exit 2 ;; esac
done
cd "$ROOT"
make -s bootstrap
rm -rf "$BENCH"
mkdir -p "$BENCH/sources"

# Fetch once, outside the timed builds.
./bootstrap --top "$BENCH/one" fetch ${versions[@]+"${versions[@]}"} >/dev/null
times() { # times TOP ARCH...: one line per package from the state files
	local top=$1
	shift
	for a in "$@"; do
		cat "$top/states/cross-$a"
	done | awk -v top="$top" '{printf "  %-14s %-10s %7.1f s\n", $1, $2, $4}'
	awk '{printf "  %-14s %-10s %7.1f s (host, shared)\n", $1, $2, $4}' "$top/states/host"
}
build() { # build TOP ARCH...: wall seconds to build the toolchains of ARCH...
	local top=$1 start
	shift
	mkdir -p "$top"
	cp -al "$BENCH/one/sources" "$top/" 2>/dev/null || true
	start=$(date +%s.%N)
	# One command: the arches build side by side, sharing the host stage and
	# one jobserver. bash's time also counts the waited-for descendants' CPU.
	local TIMEFORMAT='%U %S'
	{ time ./bootstrap --top "$top" build "$@" --goal crosstool ${versions[@]+"${versions[@]}"} \
		>"$top/build.log" 2>&1; } 2>"$top/cpu"
	echo "$(date +%s.%N) - $start" | bc
}
cpu() { # cpu TOP WALL: the CPU seconds the build used, and how busy the cores were
	awk -v wall="$2" -v cores="$(nproc)" '{cpu = $1 + $2
		printf "  CPU (user + sys): %.1f s, %.0f%% of %d cores over the wall time\n", cpu, 100 * cpu / (wall * cores), cores}' "$1/cpu"
}

one=$(build "$BENCH/one" x86_64)
echo "x86_64 alone: ${one} s"
cpu "$BENCH/one" "$one"
times "$BENCH/one" x86_64
echo "$one / 1427" | bc -l | awk '{printf "x86_64 alone / musl-cross-make reference (1427 s, gcc 14.2.0, shared/measurements.md): %.2f (goal <= 0.85)\n", $1}'
[ -z "$only_one" ] || exit 0
three=$(build "$BENCH/three" x86_64 aarch64 i686)
echo "x86_64 + aarch64 + i686: ${three} s"
cpu "$BENCH/three" "$three"
times "$BENCH/three" x86_64 aarch64 i686
echo "$three / (3 * $one)" | bc -l | awk '{printf "ratio (three targets) / (3 x x86_64 alone): %.2f (goal <= 0.75)\n", $1}'
