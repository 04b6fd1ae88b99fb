#!/bin/bash
# A full disk during an unpack: the unpack fails naming the file it could not
# write, the partial tree is removed (no key stamp, nothing left to mistake
# for a source tree) and, with space back, the rerun unpacks afresh. Needs a
# small tmpfs, so root.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }
src=$TOP/work/src
mkdir -p "$src"
mount -t tmpfs -o size=2m none "$src" 2>/dev/null || skip_all "cannot mount a tmpfs (needs root)"
at_exit "umount '$src' 2>/dev/null"
umount "$src"

bs build x86_64
is "$RC" 0 "the world builds"

# big: 3 MiB of zeros (a small gzip bomb), then a small file.
mirror=$WORLD/mirror
mkdir -p "$mirror" "$WORLD/big/big-1.0"
cp "$ROOT"/tests/fixtures/world/sources/* "$mirror/"
head -c 3145728 /dev/zero >"$WORLD/big/big-1.0/zeros"
echo after >"$WORLD/big/big-1.0/z-after"
tar -C "$WORLD/big" -czf "$mirror/big-1.0.tar.gz" big-1.0
export MIRROR=file://$mirror
cat >recipes/big.recipe <<EOF
name    = big
version = 1.0
url     = https://fixtures.invalid/big-1.0.tar.gz
sha256  = $(sha256sum "$mirror/big-1.0.tar.gz" | cut -c1-64)
license = MIT
stage   = host

configure:
    test -s "\$SRC/z-after"
build:
    :
install:
    :
EOF

mount -t tmpfs -o size=2m none "$src"
bs build x86_64
is "$RC" 1 "an unpack onto a full disk fails the build"
like "$ERR" "cannot unpack '$TOP/sources/big-1.0.tar.gz': cannot write '$src/big-1.0.tmp/zeros': No space left on device" \
     "naming the archive and the file it could not write"
ok "$([ ! -e "$src/big-1.0" ] && [ ! -e "$src/big-1.0.tmp" ] && [ ! -e "$src/big-1.0.key" ]; echo $?)" \
   "no tree, partial tree or key stamp is left"
used=$(df -k --output=used "$src" | tail -1 | tr -d ' ')
ok "$([ "$used" -lt 64 ]; echo $?)" "the space is given back ($used KiB used)"
ok "$(! grep -q '^big ' "$TOP/states/host"; echo $?)" "big is not done"

umount "$src"
bs build x86_64
is "$RC" 0 "with space back the rerun succeeds"
is "$(stat -c %s "$src/big-1.0/zeros" 2>/dev/null)" "3145728" "and unpacks the whole file"
done_testing
