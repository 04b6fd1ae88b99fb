#!/bin/bash
# A hostile or broken binary cache store costs time, never disk or a hang:
# endless .info and artifact bodies, FIFOs and devices in a folder store,
# Ctrl-C inside a download or the lookup; every store is tried; push
# publishes what the build installed; and the cache says one true line each.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/nginx.sh"
fixture_project
built() { cat "$1/built.list" 2>/dev/null | tr '\n' ' '; rm -f "$1/built.list"; }
bs() { local top=$1; shift; run_bs --top "$top" "$@"; }
STORE=$WORLD/store
key_of() { "$BOOTSTRAP" plan x86_64 | awk -v p="$1" '$2 == p { print $4 }'; }
# What a store left in a top: download folders, .part files, anything big.
leftovers() { find "$1/work/cache" \( -name 'dl-*' -o -name '*.part' -o -size +1M \) 2>/dev/null | wc -l; }
# The most bytes anything under the top's work/cache holds (du, in KiB).
cache_kib() { du -sk "$1/work/cache" 2>/dev/null | cut -f1; }

"$BOOTSTRAP" cache keygen ci >/dev/null
(mkdir -p other && cd other && "$BOOTSTRAP" cache keygen ci >/dev/null) # same name, other key
CACHE_PUSH=file://$STORE CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" build x86_64
is "$RC" 0 "the store is filled by a build"
built "$WORLD/a" >/dev/null
K=$(key_of libfoo)

# --- bounded downloads -----------------------------------------------------------
fault_start "$STORE"
take() { # take TOP URL...: a build from the stores, stopped by timeout if it hangs
	local top=$1; shift
	OUT=$(CACHE="$*" CACHE_TRUST=ci.pub FETCH_TRIES=1 timeout 120 "$BOOTSTRAP" --top "$top" \
		build x86_64 2>"$WORLD/.stderr") && RC=0 || RC=$?
	ERR=$(cat "$WORLD/.stderr")
}
take "$WORLD/b" "$FAULT_URL/endless"
is "$RC" 0 "a store whose every .info is endless: the build succeeds"
like "$ERR" "warning: libfoo 1\.0: not taken from $FAULT_URL/endless: its \.info: more than 65536 bytes; building it" \
	"saying the .info was larger than 64 KiB"
is "$(built "$WORLD/b" | wc -w)" 5 "and builds every package"
is "$(leftovers "$WORLD/b")" 0 "nothing of the store is left in the top"

take "$WORLD/c" "$FAULT_URL/endlesstar"
is "$RC" 0 "a store whose artifacts are endless: the build succeeds"
like "$ERR" "warning: libfoo 1\.0: the cache's copy could not be used \(.*more than [0-9]+ bytes" \
	"the download stops past the signed size, and says so"
is "$(echo "$ERR" | grep -c 'error:')" 0 "a build that falls back from the cache prints no error line"
is "$(leftovers "$WORLD/c")" 0 "and leaves nothing behind"
ok "$([ "$(cache_kib "$WORLD/c")" -lt 1024 ]; echo $?)" "work/cache holds less than 1 MiB"

take "$WORLD/c2" "$FAULT_URL/hugecl"
is "$RC:$(built "$WORLD/c2" | wc -w)" "0:5" "a store announcing 10 GB bodies: refused, everything built"
is "$(leftovers "$WORLD/c2")" 0 "with nothing left in the top"

# A folder store: files are read as regular files only.
cp -r "$STORE" "$WORLD/fifo"
rm "$WORLD/fifo/$K.info" && mkfifo "$WORLD/fifo/$K.info"
take "$WORLD/d" "file://$WORLD/fifo"
is "$RC" 0 "a FIFO as a .info in a folder store: the build does not hang"
like "$ERR" "libfoo 1\.0: not taken from file://$WORLD/fifo: its \.info is not a regular file" "and says why"
is "$(built "$WORLD/d")" "libfoo " "libfoo is built, the rest comes from the store"
cp "$STORE/$K.info" "$WORLD/fifo/$K.info.new" && mv "$WORLD/fifo/$K.info.new" "$WORLD/fifo/$K.info"
rm "$WORLD/fifo/$K.tar.zst" && mkfifo "$WORLD/fifo/$K.tar.zst"
take "$WORLD/e" "file://$WORLD/fifo"
is "$RC:$(built "$WORLD/e")" "0:libfoo " "a FIFO as an artifact: no hang, libfoo built"
like "$ERR" "libfoo 1\.0: the cache's copy could not be used \(.*not a regular file" "saying why"
rm "$WORLD/fifo/$K.tar.zst" && ln -s /dev/zero "$WORLD/fifo/$K.tar.zst"
take "$WORLD/e2" "file://$WORLD/fifo"
is "$RC:$(built "$WORLD/e2")" "0:libfoo " "a link to /dev/zero as an artifact: refused, libfoo built"
is "$(leftovers "$WORLD/e2")" 0 "and nothing read from it stays"

# Ctrl-C inside an artifact's download: its .part goes too.
interrupt_when() { # interrupt_when TOP STORE TEST: SIGINT to the driver once TEST holds
	local top=$1 store=$2 i
	CACHE=$store CACHE_TRUST=ci.pub setsid "$BOOTSTRAP" --top "$top" build x86_64 \
		>"$WORLD/int.out" 2>"$WORLD/int.err" &
	local pid=$!
	for i in $(seq 300); do eval "$3" && break; sleep 0.05; done
	kill -INT "$pid"
	wait "$pid"
	echo $?
}
rc=$(interrupt_when "$WORLD/f" "$FAULT_URL/stalltar" '[ -n "$(find "$WORLD/f/work/cache" -name "*.part" 2>/dev/null)" ]')
is "$rc" 130 "Ctrl-C inside an artifact's download stops the build"
is "$(leftovers "$WORLD/f")" 0 "and no download folder or .part stays"
rc=$(interrupt_when "$WORLD/g" "$FAULT_URL/stallinfo" 'grep -q "/stallinfo/" "$FAULT_LOG"')
is "$rc" 130 "Ctrl-C during the lookup stops the build"
is "$(grep -c 'is in no store' "$WORLD/int.out")" 0 "without calling every package missing"
is "$(leftovers "$WORLD/g")" 0 "and leaves nothing of the lookup"

# --- every store is tried ----------------------------------------------------------
cp -r "$STORE" "$WORLD/unsigned" && sed -i '/^sig/d' "$WORLD/unsigned/$K.info"
take "$WORLD/h" "file://$WORLD/unsigned" "file://$STORE"
is "$RC:$(built "$WORLD/h")" "0:" "an entry refused by the first store is taken from the second"
like "$ERR" "libfoo 1\.0: not taken from file://$WORLD/unsigned: it is not signed; trying the next store" \
	"after one warning naming the first"
cp -r "$STORE" "$WORLD/corrupt" && printf x >>"$WORLD/corrupt/$K.tar.zst"
take "$WORLD/i" "file://$WORLD/corrupt" "$FAULT_URL/ok"
is "$RC:$(built "$WORLD/i")" "0:" "an artifact that fails its sum in the first store is taken from the second"
like "$ERR" "libfoo 1\.0: the copy in file://$WORLD/corrupt could not be used \(.*\); taken from $FAULT_URL/ok" \
	"saying so in one line"
is "$(echo "$ERR" | grep -c 'error:')" 0 "with no error line"
CACHE=file://$STORE CACHE_TRUST="other/ci.pub ci.pub" bs "$WORLD/j" build x86_64
is "$RC:$(built "$WORLD/j")" "0:" "two trusted keys of one name: the second verifies, everything is taken"
is "$(echo "$ERR" | grep -c warning)" 0 "without a warning"
CACHE=file://$STORE CACHE_TRUST="other/ci.pub" bs "$WORLD/j2" build x86_64
like "$ERR" "a bad signature by key 'ci'; building it" "a key of that name that does not verify still warns"

# --- push publishes what the build installed ---------------------------------------
editor_recipe() { # editor_recipe [LINE]: a box package appending to libfoo's header
	cat >recipes/editor.recipe <<EOF
name    = editor
version = 1.0
license = MIT
stage   = box
depends = libfoo
${1:-}
configure:
    echo "\$NAME" >>"\$TOP/built.list"
build:
    true
install:
    echo '/* edited by editor */' >>"\$SYSROOT/usr/include/foo.h"
EOF
}
editor_recipe
bs "$WORLD/k" build x86_64
is "$RC" 0 "a package that edits libfoo's header is built"
built "$WORLD/k" >/dev/null
CACHE_PUSH=file://$WORLD/after CACHE_SIGN_KEY=ci.sec bs "$WORLD/k" push x86_64
is "$RC" 1 "push after a later package edited libfoo's header fails"
like "$ERR" "libfoo 1\.0: output/x86_64/sysroot/usr/include/foo\.h \(its content\) changed after libfoo installed it" \
	"naming the file and what changed"
ok "$([ ! -e "$WORLD/after/$(key_of libfoo).info" ]; echo $?)" "and libfoo's entry is not published"
is "$(echo "$OUT" | grep -c pushed)" 5 "the other packages are"
CACHE_PUSH=file://$WORLD/during CACHE_SIGN_KEY=ci.sec bs "$WORLD/l" build x86_64
built "$WORLD/l" >/dev/null
CACHE=file://$WORLD/during CACHE_TRUST=ci.pub bs "$WORLD/m" build x86_64
is "$RC:$(built "$WORLD/m")" "0:" "pushed while building, every package is taken"
is "$(grep -c 'edited by editor' "$WORLD/m/output/x86_64/sysroot/usr/include/foo.h")" 1 \
	"and libfoo's header carries editor's edit, once"
is "$(cmp "$WORLD/m/output/x86_64/sysroot/usr/include/foo.h" "$WORLD/l/output/x86_64/sysroot/usr/include/foo.h"; echo $?)" 0 \
	"as in the top that built it"
CACHE_PUSH=file://$WORLD/during CACHE_SIGN_KEY=ci.sec bs "$WORLD/m" push x86_64
is "$RC:$(echo "$OUT" | grep -c 'already there')" "0:6" "the pulled top pushes again: every entry is there already"
rm recipes/editor.recipe

# A package that continues another (gcc-libs, gcc's) is taken from a cache
# only with it: the first may be pushed with the second's edit.
editor_recipe "continues = libfoo"
bs "$WORLD/k2" build x86_64
built "$WORLD/k2" >/dev/null
CACHE_PUSH=file://$WORLD/after2 CACHE_SIGN_KEY=ci.sec bs "$WORLD/k2" push x86_64
is "$RC" 0 "push after a package that continues libfoo edited its header: pushed"
CACHE=file://$WORLD/after2 CACHE_TRUST=ci.pub bs "$WORLD/m2" build x86_64
is "$RC:$(built "$WORLD/m2")" "0:" "every package is taken"
is "$(grep -c 'edited by editor' "$WORLD/m2/output/x86_64/sysroot/usr/include/foo.h")" 1 \
	"and the header carries the edit once"
rm recipes/editor.recipe

cat >recipes/nothing.recipe <<'EOF'
name    = nothing
version = 1.0
license = MIT
stage   = box
configure:
    echo "$NAME" >>"$TOP/built.list"
build:
    true
install:
    true
EOF
bs "$WORLD/n" build x86_64
is "$RC" 0 "a package whose install creates nothing is built"
CACHE_PUSH=file://$WORLD/nothing CACHE_SIGN_KEY=ci.sec bs "$WORLD/n" push x86_64
is "$RC" 0 "push of a package whose install created no path works"
like "$OUT" "push: nothing +1\.0 +x86_64 +pushed" "it is pushed"
built "$WORLD/n" >/dev/null
CACHE=file://$WORLD/nothing CACHE_TRUST=ci.pub bs "$WORLD/o" build x86_64
is "$RC:$(built "$WORLD/o")" "0:" "and taken from the store like the others"
rm recipes/nothing.recipe

# push repairs an entry that is not whole, instead of calling it there.
cp -r "$STORE" "$WORLD/repair"
head -c 100 "$STORE/$K.tar.zst" >"$WORLD/repair/$K.tar.zst"
rm "$WORLD/repair/$(key_of app).tar.zst"
CACHE_PUSH=file://$WORLD/other-store CACHE_SIGN_KEY=other/ci.sec "$BOOTSTRAP" --top "$WORLD/a" push x86_64 >/dev/null
cp "$WORLD/other-store/$(key_of hostlib).info" "$WORLD/repair/"
CACHE_PUSH=file://$WORLD/repair CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" push x86_64
is "$RC" 0 "push to a store with broken entries"
like "$OUT" "libfoo .* pushed again: its artifact is not the size its \.info names" "repairs a truncated artifact"
like "$OUT" "app .* pushed again: its artifact is missing" "a missing one"
like "$OUT" "hostlib .* pushed again: its \.info is not signed by this key" "an entry another key signed"
is "$(echo "$OUT" | grep -c 'already there')" 2 "and leaves the whole ones"
CACHE=file://$WORLD/repair CACHE_TRUST=ci.pub bs "$WORLD/s" build x86_64
is "$RC:$(built "$WORLD/s")" "0:" "after which everything is taken from it"

# --- one true line each ---------------------------------------------------------------
CACHE_PUSH=file://$WORLD/never CACHE_SIGN_KEY=ci.sec bs "$WORLD/never-built" push aarch64
is "$RC" 1 "push of an arch never built fails"
is "$ERR" "bootstrap: error: aarch64: nothing is built to push (bootstrap build aarch64 first)" "saying so"

mkdir -p "$WORLD/www/dav"
nginx_start "$WORLD/www" 'location /dav/ { dav_methods PUT; create_full_put_path on; }'
CACHE_PUSH=$NGINX_URL/nodav CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" push x86_64
is "$RC" 1 "a push to a server without PUT fails"
is "$(echo "$OUT" | grep -ci 'html')" 0 "without the server's HTML on stdout"

odd="$WORLD/odd#1%41?x"
CACHE_PUSH=file://$odd CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" push x86_64
is "$RC" 0 "push to a folder store whose path holds # % and ?"
CACHE="file://$odd" CACHE_TRUST=ci.pub bs "$WORLD/p" build x86_64
is "$RC:$(built "$WORLD/p")" "0:" "and a build finds every entry there"

# Two arches in one top, each looking up its packages at once.
CACHE_PUSH=file://$STORE CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" build aarch64 >/dev/null
built "$WORLD/a" >/dev/null
CACHE=file://$STORE CACHE_TRUST=ci.pub bs "$WORLD/q" build x86_64 aarch64
is "$RC:$(built "$WORLD/q")" "0:" "two arches in one top take everything from one store"
is "$(echo "$ERR" | grep -c warning)" 0 "without a warning"
OUT=$(CACHE=$FAULT_URL/ok CACHE_TRUST=ci.pub "$BOOTSTRAP" --top "$WORLD/r" build x86_64 aarch64 2>"$WORLD/.stderr") && RC=0 || RC=$?
is "$RC:$(grep -c warning "$WORLD/.stderr")" "0:0" "and from an HTTP store, with no warning"

done_testing
