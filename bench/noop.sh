#!/bin/bash
# No-op build on a finished fixture world: median wall time of many runs of
# `bootstrap build x86_64`, against `make -q` on an equivalent stamp-file
# Makefile, measured in the same run. Goal: <= 50 ms per run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-41}
make -C "$ROOT" -s bootstrap
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$ROOT"
export RECIPES=tests/fixtures/world/recipes MIRROR=file://$ROOT/tests/fixtures/world/sources
./bootstrap --top "$tmp" build x86_64 >/dev/null

# The same five packages and dependencies as stamp files.
cat >"$tmp/stamps.mk" <<'MK'
all: app.stamp inplace.stamp
hostlib.stamp: ; touch $@
fakecc.stamp: hostlib.stamp ; touch $@
libfoo.stamp: fakecc.stamp ; touch $@
app.stamp: libfoo.stamp fakecc.stamp ; touch $@
inplace.stamp: fakecc.stamp ; touch $@
MK
make -s -C "$tmp" -f stamps.mk all

median_ms() { # median_ms COMMAND...: median wall milliseconds of RUNS runs
	local i t0 t1
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s%N)
		"$@" >/dev/null
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000))
	done | sort -n | awk '{a[NR]=$1} END {printf "%.2f\n", a[int((NR+1)/2)]/1000}'
}
ours=$(median_ms ./bootstrap --top "$tmp" build x86_64)
theirs=$(median_ms make -q -C "$tmp" -f stamps.mk all)
echo "no-op bootstrap build: median ${ours} ms over $RUNS runs (goal <= 50 ms)"
echo "no-op make -q on stamps: median ${theirs} ms"
awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "ratio bootstrap / make -q: %.2f\n", a / b}'
