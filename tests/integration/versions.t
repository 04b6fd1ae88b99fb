#!/bin/bash
# Versions: a package that offers two, the choice on the command line and in
# make, exact rebuilds when the choice changes, followers, and every bad input.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }
built() { tr '\n' ' ' <"$TOP/built.list" 2>/dev/null; : >"$TOP/built.list"; }

# libfoo 2.0: the 1.0 tree with another greeting, in a mirror of our own.
mkdir -p "$WORLD/mirror" "$WORLD/src"
cp "$ROOT"/tests/fixtures/world/sources/* "$WORLD/mirror/"
cp -r "$ROOT/tests/fixtures/world/src/libfoo-1.0" "$WORLD/src/libfoo-2.0"
sed -i 's/hello from libfoo/hello from libfoo 2/' "$WORLD/src/libfoo-2.0/foo.c"
tar -C "$WORLD/src" -czf "$WORLD/mirror/libfoo-2.0.tar.gz" libfoo-2.0
sum2=$(sha256sum "$WORLD/mirror/libfoo-2.0.tar.gz" | cut -c1-64)
sum1=$(sed -n 's/^sha256 *= *//p' recipes/libfoo.recipe)
export MIRROR=file://$WORLD/mirror

# offer VERSIONS...: libfoo.recipe offering these versions (sums of 1.0, 2.0, 3.0).
offer() {
	{
		sed -e '/^version/d' -e '/^sha256/d' "$ROOT/tests/fixtures/world/recipes/libfoo.recipe" |
			sed "s/^name .*/&\nversion = $*/"
		for v in "$@"; do
			case $v in 1.0) echo "sha256@1.0 = $sum1" ;; 2.0) echo "sha256@2.0 = $sum2" ;;
			*) echo "sha256@$v = $(printf '%064d' 3)" ;; esac
		done
	} >recipes/libfoo.recipe
}
offer 2.0 1.0
# A follower: no source, takes libfoo's chosen version.
cat >recipes/libfoo-extra.recipe <<'EOF'
name    = libfoo-extra
version = 2.0 1.0
follows = libfoo
license = MIT
stage   = box
depends = libfoo
configure:
    echo "$NAME-$VERSION" >>"$TOP/built.list"
build:
    :
install:
    :
EOF

run_bs list
is "$RC" 0 "list with a package offering two versions"
like "$OUT" "^libfoo +2\.0 +box +MIT +\[2\.0 \(the default\), 1\.0\]" "list shows the default and the offered versions"
like "$OUT" "^libfoo-extra +2\.0 .*\[follows libfoo: 2\.0 \(the default\), 1\.0\]" "and what a follower follows"
run_bs list libfoo=1.0
like "$OUT" "^libfoo +1\.0 +box" "list with a choice shows the chosen version"
like "$OUT" "^libfoo-extra +1\.0 " "which the follower takes"
run_bs show libfoo libfoo=1.0
like "$OUT" "sha256   = $sum1" "show libfoo libfoo=1.0: 1.0's sum"
like "$OUT" "offers   = 2\.0 \(the default\), 1\.0" "show says what is offered"
run_bs show libfoo
like "$OUT" "file     = libfoo-2\.0\.tar\.gz" "show without a choice: the default's file"

bs build x86_64
is "$RC" 0 "a build of the default set"
is "$("$TOP/output/x86_64/boxroot/usr/bin/app")" "hello from libfoo 2" "app links libfoo 2.0"
like "$(built)" "libfoo-extra-2\.0" "the follower builds as 2.0"
keys_default=$("$BOOTSTRAP" plan x86_64)

bs build x86_64 libfoo=1.0
is "$RC" 0 "build x86_64 libfoo=1.0"
is "$(built | tr ' ' '\n' | sed 's/-[0-9.]*$//' | sort | tr '\n' ' ')" "app libfoo libfoo-extra " \
	"another version rebuilds the package and its dependents, nothing else"
is "$("$TOP/output/x86_64/boxroot/usr/bin/app")" "hello from libfoo" "app links libfoo 1.0 now"
keys_one=$("$BOOTSTRAP" plan x86_64 libfoo=1.0)
changed=$(join <(echo "$keys_default" | awk '{print $2, $4}' | sort) <(echo "$keys_one" | awk '{print $2, $4}' | sort) |
	awk '$2 != $3 {print $1}' | tr '\n' ' ')
is "$changed" "app libfoo libfoo-extra " "the choice changes exactly those keys"

bs build x86_64 libfoo=1.0
is "$(built)" "" "the same choice again builds nothing"
bs status x86_64
like "$OUT" "libfoo +2\.0 .*(pending|stale)" "status without the choice: the default is not built"

# sbom and legal of a box built with a choice: without it, they say which to give.
bs sbom x86_64
is "$RC:$ERR" "1:bootstrap: error: the box of x86_64 was built with libfoo=1.0: give the same choice to this command (bootstrap sbom x86_64 libfoo=1.0; a version choice is not remembered)" \
	"sbom without the choice the box was built with names it (once, not again for the follower)"
ok "$([ ! -e "$TOP/output/x86_64/sbom" ]; echo $?)" "and writes no document"
bs legal x86_64
like "$RC:$ERR" "^1:.*the box of x86_64 was built with libfoo=1\.0: .*\(bootstrap legal x86_64 libfoo=1\.0;" "legal too"
bs sbom x86_64 libfoo=1.0
libfoo_in_doc=$(python3 -c 'import json, sys
print(*[c["version"] for c in json.load(open(sys.argv[1]))["components"] if c["name"] == "libfoo"])' \
	"$TOP/output/x86_64/sbom/initrd.cdx.json")
is "$RC:$libfoo_in_doc" "0:1.0" "sbom with the choice describes the box as built, libfoo 1.0"

offer 2.0 1.0 3.0
sed -i 's/^version = .*/version = 2.0 1.0 3.0/' recipes/libfoo-extra.recipe
bs build x86_64 libfoo=1.0
is "$RC" 0 "a third version offered"
is "$(built)" "" "offering one more version rebuilds nothing"
is "$("$BOOTSTRAP" plan x86_64 libfoo=1.0)" "$keys_one" "and keeps every key"

# make: LIBFOO=1.0 on the command line is the driver's libfoo=1.0.
OUT=$(make -s -n -C "$ROOT" x86_64 RECIPES="$PROJECT/recipes" LIBFOO=1.0 LIBFOO_EXTRA=2.0 2>&1)
like "$OUT" "bootstrap .* libfoo=1\.0 libfoo-extra=2\.0 build x86_64" "make passes LIBFOO= and LIBFOO_EXTRA= on as choices"
OUT=$(LIBFOO=1.0 make -s -n -C "$ROOT" x86_64 RECIPES="$PROJECT/recipes" 2>&1)
ok "$(echo "$OUT" | grep -q 'libfoo='; echo $((!$?)))" "make ignores LIBFOO from the environment"

# Bad choices and bad recipes: exit 2, one line, nothing built.
bad() { # bad DESCRIPTION EXPECTED-STDERR ARGS...
	local what=$1 want=$2
	shift 2
	bs "$@"
	is "$RC" 2 "$what: exit 2"
	is "$ERR" "$want" "$what: message"
	is "$(built)" "" "$what: nothing built"
}
bad "a version not offered" \
	"bootstrap: error: libfoo=9.9: libfoo offers 2.0 (the default), 1.0, 3.0 (recipes/libfoo.recipe)" \
	build x86_64 libfoo=9.9
bad "a follower chosen" "bootstrap: error: libfoo-extra=1.0: libfoo-extra follows libfoo's version: choose libfoo=VERSION" \
	build x86_64 libfoo-extra=1.0
bad "an unknown package" "bootstrap: error: nosuch=1: no package 'nosuch' (bootstrap list shows them)" \
	status x86_64 nosuch=1
bad "a package chosen twice" "bootstrap: error: libfoo=2.0: libfoo's version is chosen twice (also libfoo=1.0)" \
	plan x86_64 libfoo=1.0 libfoo=2.0
sed -i 's/^version = .*/version = 2.0 1.0/' recipes/libfoo-extra.recipe
bad "a follower offering other versions" \
	"bootstrap: error: recipes/libfoo-extra.recipe: follows libfoo, so it must offer libfoo's versions in the same order: 2.0 (the default), 1.0, 3.0" \
	plan x86_64
offer 2.0 1.0
echo "sha256@4.0 = $sum1" >>recipes/libfoo.recipe
bad "a value for a version not offered" \
	"bootstrap: error: recipes/libfoo.recipe:$(wc -l <recipes/libfoo.recipe): version '4.0' is not offered (version = 2.0 1.0)" \
	plan x86_64
offer 2.0 1.0
sed -i '/^sha256@1.0/d' recipes/libfoo.recipe
bad "an offered version without its sum" \
	"bootstrap: error: recipes/libfoo.recipe:$(grep -n '^version' recipes/libfoo.recipe | cut -d: -f1): version 1.0 has no sha256@1.0 (with several versions, each needs its own)" \
	plan x86_64
offer 2.0 1.0
echo "name@1.0 = other" >>recipes/libfoo.recipe
bad "a name per version" \
	"bootstrap: error: recipes/libfoo.recipe:$(wc -l <recipes/libfoo.recipe): 'name' cannot differ between versions" \
	plan x86_64
offer 2.0 1.0
sed -i 's/^version = .*/version = 2.0 1.0 2.0/' recipes/libfoo.recipe
bad "a version offered twice" \
	"bootstrap: error: recipes/libfoo.recipe:$(grep -n '^version' recipes/libfoo.recipe | cut -d: -f1): version '2.0' is offered twice" \
	plan x86_64
offer 2.0 1.0
OUT=$(make -s -C "$ROOT" O="$TOP" RECIPES="$PROJECT/recipes" LIBFOO=9.9 x86_64 2>&1)
like "$OUT" "libfoo=9\.9: libfoo offers" "make LIBFOO=9.9 stops with the driver's message"

done_testing
