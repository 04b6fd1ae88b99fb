#!/bin/bash
# fetch-progress.t: on a terminal (a pty from script(1)) fetch draws a live
# block, a bar per transfer and a total line, with the permanent lines above
# it; the block is gone at the end. (Not on a terminal: plain lines only, see
# fetch-nginx.t.)
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/nginx.sh"
command -v script >/dev/null || skip_all "no script(1) (util-linux)"

mkdir -p "$WWW/slow" "$WWW/slower"
gen_file "$WWW/slow/one-1.0.bin" 393216
gen_file "$WWW/slow/two-with-a-rather-long-name-1.0.bin" 393216
nginx_start "$WWW" 'location /slow/ { limit_rate 384k; } location /slower/ { limit_rate 32k; }'
export RECIPES
RECIPES=$(fixture_recipes progress)
TOP=$WORLD/top
printf -v cmd '%q ' "$BOOTSTRAP" --top "$TOP" fetch one two
COLUMNS=100 script -qfec "stty cols 100; $cmd" /dev/null >"$WORLD/tty.out" 2>&1
is "$?" 0 "fetch on a terminal succeeds"
screen=$(cat "$WORLD/tty.out")
E=$'\033'
like "$screen" "$E\[K" "lines are cleared as they are drawn"
like "$screen" "$E\[[0-9]+A" "the block is redrawn in place"
like "$screen" "one-1\.0\.bin +\[#* *\] +[0-9]+% [0-9.]+ KiB / 384\.0 KiB" "a bar with percent and sizes for one"
like "$screen" "two-with-a-rather-long-name~ \[" "a long name is cut to fit"
like "$screen" "total: [0-2]/2 files, [0-9.]+ [KM]?i?B, [0-9.]+ [KM]?i?B/s" "a total line with bytes and rate"
like "$screen" "ETA [0-9]+:[0-9]{2}" "and an ETA"
like "$screen" "fetch: got one-1\.0\.bin \(393216 bytes, sha256 ok\)" "permanent lines scroll above the block"
plain=$(printf '%s' "$screen" | tr '\r' '\n' | sed "s/$E\[[0-9]*[A-Z]//g")
last=$(printf '%s\n' "$plain" | grep -v '^$' | tail -1)
is "$last" "fetch: 2 of 2 files ready in $TOP/sources (0 already here, 2 fetched)" "the summary comes after the block is erased"
width=$(printf '%s\n' "$plain" | grep -E '^(total:|[^ ]+ +\[)' | awk '{ if (length > m) m = length } END { print m }')
ok "$([ "$width" -lt 100 ]; echo $?)" "no line of the live block is wider than the terminal ($width columns)"
is "$(sha256 "$TOP/sources/one-1.0.bin")" "$(sha256 "$WWW/slow/one-1.0.bin")" "one has its sum"

# Ctrl-C: the block is erased, the .part files stay, and a line says so.
RECIPES=$(fixture_recipes progress)
for f in "$RECIPES"/*.recipe; do sed -i 's#/slow/#/slower/#' "$f"; done
cp "$WWW"/slow/*.bin "$WWW/slower/"
TOP=$WORLD/top2
printf -v cmd '%q ' "$BOOTSTRAP" --top "$TOP" fetch one two
script -qfec "stty cols 100; $cmd" /dev/null >"$WORLD/int.out" 2>&1 &
for _ in $(seq 100); do grep -q 'total:' "$WORLD/int.out" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
pkill -INT -f -- "^$BOOTSTRAP --top $TOP fetch"
wait $!
is "$?" 130 "Ctrl-C ends fetch with 128+2"
plain=$(tr '\r' '\n' <"$WORLD/int.out" | sed "s/$E\[[0-9]*[A-Z]//g" | grep -v '^$')
like "$(printf '%s\n' "$plain" | tail -1)" "^fetch: interrupted by Interrupt: 0 of 2 files ready in $TOP/sources; partial downloads stay as \.part files" \
	"the last line, below the erased block, says what is kept"
ok "$(ls "$TOP"/sources/*.part >/dev/null 2>&1; echo $?)" "the partial downloads are kept"

done_testing
