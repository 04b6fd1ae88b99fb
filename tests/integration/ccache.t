#!/bin/bash
# CCACHE=DIR on the fixture world: the steps' compilers go through ccache,
# a second build in a new top takes its compilations from DIR (in the
# sandbox too), the outputs are the same bytes, the keys do not change.
. "$(dirname "$0")/../lib/tap.sh"
command -v ccache >/dev/null || skip_all "ccache is not installed (make deps installs it)"
fixture_project
bs() { local top=$1; shift; run_bs --top "$top" "$@"; }
initrd_sum() { sha256sum <"$1/output/x86_64/initrd.cpio.gz" | cut -c1-64; }
export CCACHE=$WORLD/ccache

CCACHE=cc-here bs "$WORLD/x" build x86_64
is "$RC:$ERR" "2:bootstrap: error: CCACHE=cc-here: give the cache's folder as an absolute path" \
	"a relative CCACHE is refused before anything runs"
ok "$([ ! -e "$WORLD/x" ]; echo $?)" "and nothing is written"

is "$("$BOOTSTRAP" plan x86_64)" "$(CCACHE= "$BOOTSTRAP" plan x86_64)" "CCACHE enters no input key"

bs "$WORLD/a" build x86_64
is "$RC" 0 "a build with CCACHE"
like "$OUT" "x86_64: ccache: 0 of [1-9][0-9]* compilations taken from $CCACHE \(0%\)" \
	"compiles through ccache, into an empty cache"
bs "$WORLD/b" build x86_64
is "$RC" 0 "a build of the same packages in a new top"
like "$OUT" "x86_64: ccache: ([1-9][0-9]*) of \1 compilations taken from $CCACHE \(100%\)" \
	"takes every compilation from the cache"
is "$(initrd_sum "$WORLD/b")" "$(initrd_sum "$WORLD/a")" "and packs the same initrd"
CCACHE= bs "$WORLD/c" build x86_64
is "$(initrd_sum "$WORLD/c")" "$(initrd_sum "$WORLD/a")" "as a build without ccache does"
is "$(echo "$OUT" | grep -c ccache)" 0 "which says nothing of ccache"

# In the sandbox (the fixture's built.list, outside its folders, left out).
sed -i '/built\.list/d' recipes/*.recipe
SANDBOX=on CCACHE=$WORLD/ccache-boxed bs "$WORLD/d" build x86_64
is "$RC" 0 "in the sandbox, a build with CCACHE"
SANDBOX=on CCACHE=$WORLD/ccache-boxed bs "$WORLD/e" build x86_64
like "$OUT" "x86_64: ccache: ([1-9][0-9]*) of \1 compilations taken from" \
	"writes the cache there, and a second top takes from it"

done_testing
