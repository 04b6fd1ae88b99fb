#!/bin/bash
# The binary cache on the fixture world: push then pull into an empty top,
# misses, partial hits, every refused entry, a server that dies mid-artifact,
# SIGKILL inside an unpack, concurrent pushes, and the folder, nginx (GET and
# PUT) and s3rver stores.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/nginx.sh"
fixture_project
built() { cat "$1/built.list" 2>/dev/null | tr '\n' ' '; rm -f "$1/built.list"; }
bs() { local top=$1; shift; run_bs --top "$top" "$@"; }
STORE=$WORLD/store
infos() { ls "$1"/*.info 2>/dev/null | wc -l; }
key_of() { "$BOOTSTRAP" plan x86_64 | awk -v p="$1" '$2 == p { print $4 }'; }
initrd_sum() { sha256sum "$1/output/x86_64/initrd.cpio.gz" | cut -c1-64; }

# --- keys ---------------------------------------------------------------------
run_bs cache keygen ci
is "$RC" 0 "cache keygen ci"
is "$(stat -c %a ci.sec) $(cut -d: -f1 ci.pub)" "600 ci" "writes ci.sec (0600) and ci.pub, named"
run_bs cache keygen ci
is "$RC" 1 "keygen never replaces a key"
(mkdir -p other && cd other && "$BOOTSTRAP" cache keygen ci >/dev/null) # same name, other key
(mkdir -p "$WORLD/keys" && cd "$WORLD/keys" && "$BOOTSTRAP" cache keygen ci2 >/dev/null)
ok "$([ -s "$WORLD/keys/ci2.pub" ]; echo $?)" "cache keygen works in any folder, not only the project's"
mkdir -p other2 && cp "$WORLD/keys/ci2.pub" other2/

# --- bad settings: exit 2 before anything ----------------------------------------
CACHE_PUSH=file://$STORE bs "$WORLD/a" build x86_64
is "$RC:$ERR" "2:bootstrap: error: CACHE_PUSH=file://$STORE: set CACHE_SIGN_KEY to the secret key that signs what is pushed (bootstrap cache keygen NAME makes one)" \
	"CACHE_PUSH without CACHE_SIGN_KEY is refused up front"
CACHE=ftp://x bs "$WORLD/a" build x86_64
like "$RC:$ERR" "^2:.*CACHE=ftp://x: not a cache address" "an unknown store is refused"
CACHE_TRUST=ci:AAAA bs "$WORLD/a" build x86_64
like "$RC:$ERR" "^2:.*CACHE_TRUST: 'ci:AAAA' is neither" "a malformed trusted key is refused"
bs "$WORLD/a" push x86_64
like "$RC:$ERR" "^2:.*push needs CACHE_PUSH" "push without CACHE_PUSH"
ok "$([ ! -e "$WORLD/a" ]; echo $?)" "and nothing was written"

# --- push while building, pull into an empty top ------------------------------
CACHE_PUSH=file://$STORE CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" build x86_64
is "$RC" 0 "a build with CACHE_PUSH"
is "$(infos "$STORE")" 5 "pushes each of the 5 packages as it finishes"
is "$(ls "$STORE"/*.tar.zst | wc -l)" 5 "with its artifact"
built "$WORLD/a" >/dev/null
CACHE_PUSH=file://$STORE CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" push x86_64
is "$(echo "$OUT" | grep -c 'already there')" 5 "push of what is there already uploads nothing"

pull() { CACHE=file://$STORE CACHE_TRUST=$PROJECT/ci.pub bs "$@"; }
pull "$WORLD/b" build x86_64
is "$RC" 0 "a build in an empty top with CACHE and CACHE_TRUST"
is "$(built "$WORLD/b")" "" "compiles nothing"
is "$(echo "$OUT" | grep -c 'from the cache in')" 5 "every package comes from the cache"
is "$("$WORLD/b/output/x86_64/boxroot/usr/bin/app")" "hello from libfoo" "the program works"
is "$(initrd_sum "$WORLD/b")" "$(initrd_sum "$WORLD/a")" "the initrd is the same bytes"
ok "$([ ! -e "$WORLD/b/sources/libfoo-1.0.tar.gz" ]; echo $?)" "no source was downloaded"
pull "$WORLD/b" status x86_64
like "$OUT" "libfoo +1\.0 +box +done .*\(from the cache\)" "status says from the cache"
pull "$WORLD/b" build x86_64
like "$OUT" "nothing to build" "a rerun has nothing to do"


CACHE=file://$STORE bs "$WORLD/c" build x86_64
is "$RC" 0 "CACHE without CACHE_TRUST"
like "$ERR" "CACHE is set but CACHE_TRUST is not" "says once how to set it"
is "$(built "$WORLD/c" | wc -w)" 5 "and builds everything"

# --- the toolchain as one tarball ------------------------------------------------
bs "$WORLD/a" dist x86_64
is "$RC" 0 "dist x86_64"
tarball=$WORLD/a/output/x86_64-linux-musl-unknown.tar.zst
like "$OUT" "dist: wrote $tarball \(sha256 [0-9a-f]{64}\)" "writes output/TRIPLET-GCCVERSION.tar.zst (no gcc here: unknown)"
is "$(cd "$WORLD/a/output" && sha256sum -c x86_64-linux-musl-unknown.tar.zst.sha256 2>&1)" "x86_64-linux-musl-unknown.tar.zst: OK" \
	"and a .sha256 that sha256sum -c accepts"
mkdir -p "$WORLD/unpacked"
zstd -qdc "$tarball" | tar -C "$WORLD/unpacked" -x
is "$(cd "$WORLD/unpacked/x86_64-linux-musl-unknown" && find . | sort | tr '\n' ' ')" \
	"$(cd "$WORLD/a/toolchain/x86_64" && find . | sort | tr '\n' ' ')" "which unpacks to the toolchain's files, in one folder"
bs "$WORLD/empty" dist x86_64
like "$RC:$ERR" "^1:.*hostlib is not built for x86_64: run bootstrap build x86_64 --goal crosstool first" \
	"dist of a toolchain not built says what to run"

# --- misses and partial hits ------------------------------------------------------
echo "# changed" >>recipes/app.recipe
pull "$WORLD/d" build x86_64
is "$(built "$WORLD/d")" "app " "a changed recipe misses: only it is built"
is "$(echo "$ERR" | grep -c warning)" 0 "a miss is not worth a warning"
is "$(echo "$OUT" | grep '^cache:')" "cache: app 1.0 (x86_64) is in no store; building it" "but one line says it is in no store"
git_checkout_app() { sed -i '/^# changed$/d' recipes/app.recipe; }
git_checkout_app
mkdir -p "$WORLD/hostonly"
cp "$STORE/$(key_of hostlib)".* "$WORLD/hostonly/"
CACHE=file://$WORLD/hostonly CACHE_TRUST=ci.pub bs "$WORLD/e" build x86_64
is "$(built "$WORLD/e" | tr ' ' '\n' | sort | tr '\n' ' ')" "app fakecc inplace libfoo " "a cache with the host stage only: the rest is built"
like "$OUT" "hostlib +1\.0 +from the cache" "and the host stage comes from it"

# continues: a package another goes on building in comes only with it.
sed -i 's/^depends = libfoo/depends = libfoo\ncontinues = libfoo/' recipes/app.recipe
CACHE_PUSH=file://$WORLD/cont CACHE_SIGN_KEY=ci.sec bs "$WORLD/f" build x86_64 >/dev/null
rm "$WORLD/cont/$(key_of app)".*
CACHE=file://$WORLD/cont CACHE_TRUST=ci.pub bs "$WORLD/g" build x86_64
is "$(built "$WORLD/g" | tr ' ' '\n' | sort | tr '\n' ' ')" "app libfoo " \
	"libfoo, which app continues, is built when app is not in the cache"
like "$OUT" "cache: libfoo goes with app, which is not in the cache; building both" "and says why"
sed -i '/^continues = libfoo$/d' recipes/app.recipe

# --- refused entries: one warning each, then built --------------------------------
refuse() { # refuse DESCRIPTION EXPECTED-WARNING EDIT-COMMAND
	rm -rf "$WORLD/bad" "$WORLD/r"
	cp -r "$STORE" "$WORLD/bad"
	local k
	k=$(key_of libfoo)
	(cd "$WORLD/bad" && eval "$3")
	CACHE=file://$WORLD/bad CACHE_TRUST=${TRUST:-ci.pub} bs "$WORLD/r" build x86_64
	is "$RC" 0 "$1: the build succeeds"
	like "$ERR" "warning: libfoo 1\.0: (not taken from file://$WORLD/bad: )?$2" "$1: one warning line says why"
	like "$(built "$WORLD/r")" "libfoo" "$1: libfoo is built"
}
refuse "an unsigned entry" "not taken from file://$WORLD/bad: it is not signed; building it" \
	'sed -i "/^sig/d" $k.info'
TRUST=other/ci.pub refuse "another key of the same name" "a bad signature by key 'ci'" ':'
TRUST=other2/ci2.pub refuse "a key not trusted" "signed by key 'ci', which CACHE_TRUST does not list" ':'
refuse "a changed size" "a bad signature by key 'ci'" 'sed -i "s/^size .*/size        = 1/" $k.info'
refuse "a malformed .info" "a malformed .info \(line 2: an unknown field\)" 'sed -i "2s/^name/color/" $k.info'
refuse "a .info of another package" "its .info names another package or key" \
	'cp $(ls *.info | grep -v $k | head -1) $k.info'
refuse "an artifact whose sum differs" "the cache's copy could not be used" \
	'printf "x" >>$k.tar.zst'

# --- a server that dies mid-artifact -------------------------------------------
fault_start "$STORE"
CACHE=$FAULT_URL/droptaronce/store CACHE_TRUST=ci.pub bs "$WORLD/h" build x86_64
is "$RC:$(built "$WORLD/h")" "0:" "a server that drops each artifact once: resumed, nothing built"
CACHE=$FAULT_URL/droptar/store CACHE_TRUST=ci.pub FETCH_TRIES=2 FETCH_BACKOFF=0.1 bs "$WORLD/i" build x86_64
is "$RC" 0 "a server that always drops the artifacts: the build succeeds"
is "$(built "$WORLD/i" | wc -w)" 5 "by building every package"
like "$ERR" "warning: hostlib 1\.0: the cache's copy could not be used" "after a warning for each"

# --- SIGKILL inside an unpack -----------------------------------------------------
# A package with a large file, so that its unpack takes a while (in the
# sysroot, which the initrd leaves out).
cat >recipes/big.recipe <<'EOF'
name    = big
version = 1.0
license = MIT
stage   = box
configure:
    echo "$NAME" >>"$TOP/built.list"
build:
    head -c 300000000 /dev/zero >big.bin
install:
    mkdir -p "$SYSROOT/usr/share"
    cp big.bin "$SYSROOT/usr/share/big.bin"
EOF
CACHE_PUSH=file://$WORLD/bigstore CACHE_SIGN_KEY=ci.sec bs "$WORLD/j" build x86_64 >/dev/null
is "$RC" 0 "a build with a 300 MB file, pushed"
CACHE=file://$WORLD/bigstore CACHE_TRUST=ci.pub setsid "$BOOTSTRAP" --top "$WORLD/k" build x86_64 >"$WORLD/k.out" 2>&1 &
pid=$!
for _ in $(seq 600); do
	[ -e "$WORLD/k/states/files/x86_64/big.installing" ] && break
	sleep 0.02
done
ok "$([ -e "$WORLD/k/states/files/x86_64/big.installing" ]; echo $?)" "the unpack of big is under way"
kill -KILL -- -"$pid"
wait "$pid" 2>/dev/null
ok "$(! grep -q '^big ' "$WORLD/k/states/box-x86_64" 2>/dev/null; echo $?)" "killed inside the unpack, big is not done"
CACHE=file://$WORLD/bigstore CACHE_TRUST=ci.pub bs "$WORLD/k" build x86_64
is "$RC" 0 "the rerun succeeds"
like "$OUT" "big +1\.0 +from the cache" "taking big from the cache again"
is "$(cmp "$WORLD/k/output/x86_64/sysroot/usr/share/big.bin" "$WORLD/j/output/x86_64/sysroot/usr/share/big.bin"; echo $?)" 0 "with the whole file"
ok "$(ls -d "$WORLD"/k/work/cache/unpack-* 2>/dev/null | wc -l)" "and no staging folder left"
rm recipes/big.recipe "$WORLD"/bigstore -rf
rm -rf "$WORLD/j" "$WORLD/k"

# --- concurrent pushes of one key ---------------------------------------------------
pids=()
for n in 1 2 3; do
	CACHE_PUSH=file://$WORLD/conc CACHE_SIGN_KEY=ci.sec "$BOOTSTRAP" --top "$WORLD/a" push x86_64 >/dev/null 2>&1 &
	pids+=($!)
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
is "$fails" 0 "three pushes of the same entries at once all succeed"
CACHE=file://$WORLD/conc CACHE_TRUST=ci.pub bs "$WORLD/l" build x86_64
is "$RC:$(built "$WORLD/l")" "0:" "and what they left is whole: everything comes from it"

# --- nginx: GET, and PUT through its WebDAV module ------------------------------------
mkdir -p "$WORLD/www/dav"
nginx_start "$WORLD/www" 'location /dav/ { dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r; }'
CACHE_PUSH=$NGINX_URL/dav/ci CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" push x86_64
is "$RC" 0 "push to nginx by PUT"
is "$(infos "$WORLD/www/dav/ci")" 5 "puts the 5 entries"
like "$(grep -c '/dav/ci/.*\.tar\.zst 201' "$NGINX_LOG")" "^5$" "each artifact created once"
CACHE=$NGINX_URL/dav/ci CACHE_TRUST=ci.pub bs "$WORLD/m" build x86_64
is "$RC:$(built "$WORLD/m")" "0:" "a build from nginx by GET compiles nothing"
is "$(initrd_sum "$WORLD/m")" "$(initrd_sum "$WORLD/a")" "and gives the same initrd"
CACHE_PUSH=$NGINX_URL/ci CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" push x86_64
like "$RC:$ERR" "^1:.*PUT $NGINX_URL/ci/.*: the server answered 405 \(does it accept PUT" "a server without PUT: the push fails, saying why"

# --- s3rver --------------------------------------------------------------------------
S3RVER=$ROOT/build/npm/node_modules/.bin/s3rver
if [ -x "$S3RVER" ]; then
	port=$(free_port)
	mkdir -p "$WORLD/s3"
	"$S3RVER" -d "$WORLD/s3" -a 127.0.0.1 -p "$port" --silent --configure-bucket ci-cache >/dev/null 2>&1 &
	s3pid=$!
	at_exit "kill $s3pid 2>/dev/null"
	wait_port "$port"
	export CACHE_S3_ENDPOINT=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
	CACHE_PUSH=s3://ci-cache/x86 CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" push x86_64
	is "$RC:$(echo "$OUT" | grep -c pushed)" "0:5" "push to s3rver"
	CACHE=s3://ci-cache/x86 CACHE_TRUST=ci.pub bs "$WORLD/n" build x86_64
	is "$RC:$(built "$WORLD/n")" "0:" "a build from s3rver compiles nothing"
	CACHE_PUSH=s3://ci-cache/x86 CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" push x86_64
	is "$(echo "$OUT" | grep -c 'already there')" 5 "a second push finds every entry there (HEAD)"
else
	ok 0 "# SKIP s3rver is not installed (make test-deps installs it into build/npm)"
fi

done_testing
