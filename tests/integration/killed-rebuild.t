#!/bin/bash
# A package rebuilt because files it installed went missing (another
# package's install removed them) first removes what its last build
# installed. A build killed after that must not leave the package's old
# state line, which still carries the current key: status would call it done,
# and the next build would skip it, with its files gone.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }
bs build x86_64 --goal crosstool
is "$RC" 0 "the fixture toolchain builds"
installed=$(cat "$TOP/states/files/x86_64/fakecc")
gone=$(grep -m1 "bin/x86_64-linux-musl-gcc$" "$TOP/states/files/x86_64/fakecc")
rm -f "$TOP/$gone"
bs status x86_64 --goal crosstool
like "$OUT" "fakecc +1.0 +cross +stale: files missing" "a file fakecc installed is gone: it is stale"

touch "$TOP/hold-x86_64"
"$BOOTSTRAP" --top "$TOP" build x86_64 --goal crosstool >/dev/null 2>&1 &
driver=$!
log=$TOP/work/x86_64/logs/fakecc.log
for _ in $(seq 200); do grep -q 'removing what the last build installed' "$log" 2>/dev/null && break; sleep 0.05; done
sleep 0.3 # into the build step, which waits on hold-x86_64
kill -KILL "$driver"
pkill -KILL -f "while \[ -e \"$TOP/hold" 2>/dev/null
pkill -KILL -P "$driver" 2>/dev/null
wait "$driver" 2>/dev/null
rm -f "$TOP/hold-x86_64"
left=$(while read -r f; do [ -f "$TOP/$f" ] && echo "$f"; done <<<"$installed")
is "$left" "" "the killed rebuild had removed fakecc's files"
bs status x86_64 --goal crosstool
unlike=$(grep -E '^fakecc +1\.0 +cross +done' <<<"$OUT")
is "$unlike" "" "status does not call fakecc done"
bs build x86_64 --goal crosstool
is "$RC" 0 "the next build"
like "$OUT" "fakecc" "builds fakecc again"
ok "$([ -x "$TOP/toolchain/x86_64/bin/x86_64-linux-musl-gcc" ]; echo $?)" "and its files are back"
done_testing
