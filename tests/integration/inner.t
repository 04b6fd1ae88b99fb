#!/bin/bash
# `inner = FILE [DIR]`: a repack that carries the real tarball inside its own
# (Debian's gcc). The engine unpacks the inner archive, then applies the
# patches and the prepare step to that tree.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }

mirror=$WORLD/mirror
mkdir -p "$mirror" "$WORLD/mk/nested-1.0" "$WORLD/mk/outer-1.0"
cp "$ROOT"/tests/fixtures/world/sources/*.tar.gz "$mirror/"
printf 'inner tree\n' >"$WORLD/mk/nested-1.0/greeting"
tar -C "$WORLD/mk" -czf "$WORLD/mk/outer-1.0/nested-1.0-real.tar.gz" nested-1.0
printf 'carrier only\n' >"$WORLD/mk/outer-1.0/README.carrier"
tar -C "$WORLD/mk" -czf "$mirror/nested_1.0.orig.tar.gz" outer-1.0
export MIRROR=file://$mirror
sum=$(sha256sum "$mirror/nested_1.0.orig.tar.gz" | cut -c1-64)

mkdir -p patches/nested-1.0
cat >patches/nested-1.0/0001-greeting.patch <<'PATCH'
--- a/greeting
+++ b/greeting
@@ -1 +1 @@
-inner tree
+inner tree, patched
PATCH
cat >recipes/nested.recipe <<EOF2
name    = nested
version = 1.0
url     = https://fixtures.invalid/nested_1.0.orig.tar.gz
sha256  = $sum
dir     = outer-1.0
inner   = nested-\$version-real.tar.gz nested-\$version
license = MIT
stage   = host
prepare:
    cat greeting >prepared
configure:
    test ! -e "\$SRC/README.carrier"
build:
    :
install:
    mkdir -p "\$PREFIX/share"
    cp "\$SRC/prepared" "\$PREFIX/share/nested"
EOF2

bs show nested
like "$OUT" "inner +=  *nested-1\.0-real\.tar\.gz nested-1\.0" "show prints the inner archive"
bs build x86_64
is "$RC" 0 "a recipe with an inner archive builds"
is "$(cat "$TOP/work/host/prefix/share/nested" 2>/dev/null)" "inner tree, patched" \
   "the tree is the inner archive's, patched before prepare ran"
ok "$([ ! -e "$TOP/work/src/nested-1.0.tmp.outer" ]; echo $?)" "the carrier tree is gone"

bs reset x86_64 nested
sed -i 's/^inner .*/inner   = missing.tar.gz/' recipes/nested.recipe
bs build x86_64
is "$RC" 1 "a missing inner archive fails the build"
like "$ERR" "nested 1\.0: inner archive missing\.tar\.gz is not in nested_1\.0\.orig\.tar\.gz" "and says which archive"

sed -i 's/^inner .*/inner   = ..\/escape.tar.gz/' recipes/nested.recipe
bs plan x86_64
is "$RC" 2 "an inner path outside the tree is a recipe error"
like "$ERR" "recipes/nested\.recipe:6: inner '\.\./escape\.tar\.gz' is not a path inside the tree \(it has a '\.\.' component\)" "naming file and line"
done_testing
