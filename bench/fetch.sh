#!/bin/bash
# bench/fetch.sh: the three fetch ratios of issue 3, measured in one run
# against a local nginx (tests/lib/nginx.sh), with the optimised ./bootstrap.
#
#   parallel:  4 files of 64 MiB, limit_rate per connection; wall time of
#              --jobs 4 / wall time of --jobs 1.                goal <= 0.35
#   verify:    a 1 GiB file already in sources/, first check (no cache):
#              our throughput / sha256sum's.                   goal >= 1.5
#   resume:    killed (SIGKILL) at half of a 64 MiB transfer, the rerun:
#              bytes nginx sent (headers included) / bytes missing. goal <= 1.01
#
# Needs ~1.5 GiB in $TMPDIR (removed at exit). BOOTSTRAP=path picks another
# build of the driver.
set -u
source "$(dirname "$0")/../tests/lib/tap.sh"
source "$ROOT/tests/lib/nginx.sh"
[ -x "$BOOTSTRAP" ] || { echo "bench/fetch.sh: build ./bootstrap first (make bootstrap)" >&2; exit 1; }

MIB=1048576
RATE_MIB=32
now() { date +%s.%N; }
ratio() { awk "BEGIN { printf \"%.${3:-2}f\", $1 / $2 }"; }

recipe() { # recipe NAME URL FILE: a recipe for FILE (its sum) in $WORLD/recipes
	mkdir -p "$WORLD/recipes"
	cat >"$WORLD/recipes/$1.recipe" <<R
name    = $1
version = 1.0
url     = $2
sha256  = $(sha256 "$3")
license = MIT
stage   = host
R
}

mkdir -p "$WWW/slow" "$WWW/resume" "$WWW/pub"
for i in 1 2 3 4; do
	gen_file "$WWW/slow/par$i-1.0.bin" $((64 * MIB))
done
gen_file "$WWW/resume/res-1.0.bin" $((64 * MIB))
nginx_start "$WWW" "location /slow/ { limit_rate ${RATE_MIB}m; } location /resume/ { limit_rate 16m; }"
for i in 1 2 3 4; do recipe par$i "$NGINX_URL/slow/par$i-1.0.bin" "$WWW/slow/par$i-1.0.bin"; done
recipe res "$NGINX_URL/resume/res-1.0.bin" "$WWW/resume/res-1.0.bin"
export RECIPES=$WORLD/recipes

# --- parallel / sequential ---------------------------------------------------------
fetch_wall() { # fetch_wall JOBS: seconds for the four files into a fresh top
	local t0 t1
	sync # earlier writes' writeback must not land in a measured run
	t0=$(now)
	"$BOOTSTRAP" --top "$WORLD/top$1" --jobs "$1" fetch par1 par2 par3 par4 >/dev/null || exit 1
	t1=$(now)
	rm -rf "$WORLD/top$1"
	awk "BEGIN { print $t1 - $t0 }"
}
seq_s=$(fetch_wall 1)
par_s=$(fetch_wall 4)

# --- verification throughput -----------------------------------------------------------
mkdir -p "$WORLD/verify/sources"
gen_file "$WORLD/verify/sources/huge-1.0.bin" $((1024 * MIB))
recipe huge "$NGINX_URL/pub/huge-1.0.bin" "$WORLD/verify/sources/huge-1.0.bin"
cat "$WORLD/verify/sources/huge-1.0.bin" >/dev/null # both runs read from the page cache
sync
t0=$(now)
sha256sum "$WORLD/verify/sources/huge-1.0.bin" >/dev/null
t1=$(now)
"$BOOTSTRAP" --top "$WORLD/verify" fetch huge >/dev/null || exit 1
t2=$(now)
"$BOOTSTRAP" --top "$WORLD/verify" fetch huge >/dev/null || exit 1
t3=$(now)
theirs_s=$(awk "BEGIN { print $t1 - $t0 }")
ours_s=$(awk "BEGIN { print $t2 - $t1 }")
noop_s=$(awk "BEGIN { print $t3 - $t2 }")
rm -rf "$WORLD/verify"

# --- resume after SIGKILL at 50 % ------------------------------------------------------------
size=$((64 * MIB))
sync
"$BOOTSTRAP" --top "$WORLD/res" fetch res >/dev/null 2>&1 &
pid=$!
part=$WORLD/res/sources/res-1.0.bin.part
until [ "$(stat -c %s "$part" 2>/dev/null || echo 0)" -ge $((size / 2)) ]; do sleep 0.01; done
kill -9 $pid
wait $pid 2>/dev/null
have=$(stat -c %s "$part")
"$BOOTSTRAP" --top "$WORLD/res" fetch res >/dev/null || exit 1
# The rerun's one request: a range from the .part's size (headers counted).
sent=$(grep "^/resume/res-1.0.bin 206 range=bytes=$have- " "$NGINX_LOG" | sed 's/.* sent=//')
missing=$((size - have))

echo "fetch bench (bootstrap: $BOOTSTRAP)"
printf 'parallel/sequential wall, 4 x 64 MiB at %d MiB/s per connection: %s (%.2f s / %.2f s; goal <= 0.35)\n' \
	$RATE_MIB "$(ratio "$par_s" "$seq_s")" "$par_s" "$seq_s"
printf 'verify throughput ours/sha256sum, 1 GiB: %s (%.2f s vs %.2f s; rerun from the cache %.3f s; goal >= 1.5)\n' \
	"$(ratio "$theirs_s" "$ours_s")" "$ours_s" "$theirs_s" "$noop_s"
printf 'resume after kill at %d%%: bytes sent / bytes missing: %s (%d / %d; goal <= 1.01)\n' \
	$((100 * have / size)) "$(ratio "$sent" "$missing" 4)" "$sent" "$missing"
