#!/bin/bash
# Artifact roots are folders: a signed artifact (a trusted key, and a hostile
# or broken packer) may name paths strictly inside its package's install
# folders, and those folders and the folders above them only as folders. A
# file `output` (which made the unpack remove every arch's output) or a
# symlink `output/x86_64/boxroot` pointing out of the top (which made later
# packages install there) is refused before anything in the top is touched,
# and the package is built instead. And a top whose install folder is a
# symlink is not written through by the cache.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
unset SOURCE_DATE_EPOCH
built() { cat "$1/built.list" 2>/dev/null | tr '\n' ' '; rm -f "$1/built.list"; }
bs() { local top=$1; shift; run_bs --top "$top" "$@"; }
key_of() { "$BOOTSTRAP" plan x86_64 | awk -v p="$1" '$2 == p { print $4 }'; }
run_bs cache keygen ci

# A package built after app, from source: where does it install?
box_recipe later 'depends = app' <<'EOF'
mkdir -p "$BOXROOT/usr/share"
echo later >"$BOXROOT/usr/share/later"
EOF
CACHE_PUSH=file://$WORLD/store CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" build x86_64
is "$RC" 0 "a build that pushes every package"
app=$(key_of app)
rm "$WORLD/store/$(key_of later)".*

# resign INFO: the .info's sum and size made those of its artifact, signed
# again with ci.sec (a NAME:BASE64 line of the raw ed25519 seed): what a
# trusted key would sign.
resign() {
	local info=$1 art=${1%.info}.tar.zst
	{ printf '302e020100300506032b657004220420' | xxd -r -p; cut -d: -f2 ci.sec | base64 -d; } >"$WORLD/ci.der"
	openssl pkey -inform DER -in "$WORLD/ci.der" -out "$WORLD/ci.pem"
	sed -i -e '/^sig/d' -e "s/^sha256 .*/sha256      = $(sha256sum <"$art" | cut -c1-64)/" \
		-e "s/^size .*/size        = $(stat -c %s "$art")/" "$info"
	echo "sig         = ci:$(openssl pkeyutl -sign -rawin -inkey "$WORLD/ci.pem" -in "$info" | base64 -w0)" >>"$info"
}

# hostile NAME MAKE-TREE: app's artifact replaced by the tar.zst of the tree
# MAKE-TREE makes (in the current folder), signed; pulled into a top that has
# another arch's output and the rest of x86_64's; the package is built.
hostile() {
	local name=$1 tree=$WORLD/tree top=$WORLD/pull-$((++pulls))
	rm -rf "$WORLD/bad" "$tree" "$WORLD/outside"
	mkdir -p "$WORLD/outside" "$tree" "$top/output/aarch64/boxroot"
	echo keep >"$top/output/aarch64/boxroot/keep"
	cp -r "$WORLD/store" "$WORLD/bad"
	(cd "$tree" && eval "$2") && tar -C "$tree" --format=pax -cf - output | zstd -q >"$WORLD/bad/$app.tar.zst"
	resign "$WORLD/bad/$app.info"
	CACHE=file://$WORLD/bad CACHE_TRUST=ci.pub bs "$top" build x86_64
	is "$RC" 0 "$name: the build succeeds"
	like "$ERR" "$3" "$name: the entry is refused, by name"
	like "$ERR" "warning: app 1\.0: the cache's copy could not be used" "$name: and app is built instead"
	is "$(built "$top")" "app later " "$name: (app and later are built, the rest came from the cache)"
	is "$(cat "$top/output/aarch64/boxroot/keep" 2>&1)" keep "$name: another arch's output is still there"
	ok "$([ -f "$top/output/x86_64/sysroot/usr/lib/libfoo.a" ]; echo $?)" "$name: and so is this arch's sysroot"
	is "$(cat "$top/output/x86_64/boxroot/usr/share/later" 2>&1)" later "$name: a later package installs into the top"
	is "$(find "$WORLD/outside" -mindepth 1 | wc -l)" 0 "$name: and nothing is written outside it"
}
pulls=0
hostile "a file named output" 'echo x >output' \
	"refusing to unpack '[^']*$app\.tar\.zst': entry 'output' is a file, where an install folder or a folder above one must be a folder"
hostile "a file named output/x86_64/sysroot" 'mkdir -p output/x86_64 && echo x >output/x86_64/sysroot' \
	"entry 'output/x86_64/sysroot' is a file, where an install folder"
hostile "output/x86_64/boxroot, a symlink out of the top" \
	'mkdir -p output/x86_64 && ln -s "$WORLD/outside" output/x86_64/boxroot' \
	"entry 'output/x86_64/boxroot' is a symlink, where an install folder"
hostile "output, a symlink out of the top" 'ln -s "$WORLD/outside" output' \
	"entry 'output' is a symlink, where an install folder"
hostile "a file in another arch's output" 'mkdir -p output/aarch64/boxroot && echo x >output/aarch64/boxroot/keep' \
	"'output/aarch64' lies outside the package's install folders"

# --- the top's side: an install folder that is a symlink -------------------------
top=$WORLD/pull-symlinked
rm -rf "$WORLD/outside"
mkdir -p "$WORLD/outside" "$top/output"
ln -s "$WORLD/outside" "$top/output/x86_64"
touch "$top/fail-libfoo" "$top/fail-inplace" "$top/fail-app" # built here, they fail
CACHE=file://$WORLD/store CACHE_TRUST=ci.pub bs "$top" build x86_64
like "$ERR" "cannot take '[^']*\.tar\.zst' from the cache: $top/output/x86_64 is a symlink, not a folder" \
	"a top whose output/x86_64 is a symlink: the cache says so"
is "$(find "$WORLD/outside" -mindepth 1 | wc -l)" 0 "and moves nothing through it"

done_testing
