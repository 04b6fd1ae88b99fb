#!/bin/bash
# Hosted toolchains (--host, make HOST=) on the fixture world: the cross
# toolchains they are built with come first, the hosted one is an arch of
# its own (own folders, state and keys), its steps get CONFIGURE_HOST, its
# host stage is built for its host, and it rebuilds exactly when what it is
# built with changes.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }
built() { sort "$TOP/built.list" 2>/dev/null | tr '\n' ' '; : >"$TOP/built.list"; }
# Every configure step records what it saw.
for r in hostlib fakecc; do
	sed -i '/^configure:/a\    echo "$NAME $ARCH ${CONFIGURE_HOST:-none} ${HOSTPREFIX#$TOP/}" >>"$TOP/env.list"' \
		"recipes/$r.recipe"
done

bs plan x86_64 --host aarch64
hosted=$OUT
is "$RC" 0 "plan --host plans the hosted toolchain"
is "$(awk '{print $2}' <<<"$hosted" | tr '\n' ' ')" "hostlib fakecc " "with the host and cross stages only"
bs plan x86_64 --goal crosstool
plain=$OUT
is "$(join <(awk '{print $2, $4}' <<<"$plain" | sort) <(awk '{print $2, $4}' <<<"$hosted" | sort) |
	awk '$2 == $3' | wc -l)" 0 "no key is the cross toolchain's"

bs build x86_64 --host aarch64
is "$RC" 0 "a hosted build succeeds"
like "$OUT" "aarch64-hosted-x86_64: first the cross toolchains it is built with: both" "it says what comes first"
is "$(built)" "fakecc fakecc fakecc hostlib hostlib " \
	"both cross toolchains (one shared host stage), then the hosted toolchain and its own host stage"
ok "$([ -x "$TOP/toolchain/aarch64-hosted-x86_64/bin/x86_64-linux-musl-gcc" ]; echo $?)" \
	"it goes to toolchain/aarch64-hosted-x86_64"
ok "$([ -s "$TOP/work/host-aarch64/prefix/lib/libhost.a" ]; echo $?)" "its host stage to work/host-aarch64"
for f in host host-aarch64 cross-aarch64 cross-x86_64 cross-aarch64-hosted-x86_64; do
	ok "$([ -s "$TOP/states/$f" ]; echo $?)" "state file states/$f"
done
is "$(grep -c ' none ' "$TOP/env.list")" 3 "the cross toolchains' steps get an empty CONFIGURE_HOST"
is "$(grep -v ' none ' "$TOP/env.list" | sort | tr '\n' '|')" \
   "fakecc x86_64 --host=aarch64-linux-musl CC=aarch64-linux-musl-gcc CXX=aarch64-linux-musl-g++ LDFLAGS=--static work/host-aarch64/prefix|hostlib x86_64 --host=aarch64-linux-musl CC=aarch64-linux-musl-gcc CXX=aarch64-linux-musl-g++ LDFLAGS=--static work/host-aarch64/prefix|" \
   "the hosted steps get --host and the host's compiler, ARCH the target, their own host prefix"

bs build x86_64 --host aarch64
is "$RC:$(built)" "0:" "a second hosted build builds nothing"
bs status x86_64 --host aarch64
like "$OUT" "fakecc +1\.0 +cross +done" "status --host shows it done"
bs sbom x86_64 --host aarch64
is "$RC" 0 "sbom --host writes the hosted toolchain's document"
is "$(grep -c 'no initrd document' <<<"$OUT")" 0 "and no advice to build a box a hosted toolchain never has"

# A hosted toolchain all in a cache needs nothing built: not even the cross
# toolchains it would be built with.
"$BOOTSTRAP" cache keygen hk >/dev/null
CACHE_PUSH=file://$WORLD/store CACHE_SIGN_KEY=hk.sec bs push x86_64 --host aarch64
is "$RC:$(ls "$WORLD"/store/*.info | wc -l)" "0:2" "push --host pushes the hosted toolchain's 2 packages alone"
CACHE=file://$WORLD/store CACHE_TRUST=hk.pub run_bs --top "$WORLD/pulled" build x86_64 --host aarch64
is "$RC:$(cat "$WORLD/pulled/built.list" 2>/dev/null)" "0:" "a hosted build from that cache, in an empty top, builds nothing"
like "$OUT" "aarch64-hosted-x86_64: nothing of it to build \(each package is done or in the cache\), so not its cross toolchains either" \
	"and says why the cross toolchains are not built"
is "$(grep -c 'from the cache in' <<<"$OUT"):$(ls "$WORLD/pulled/toolchain")" "2:aarch64-hosted-x86_64" \
	"each package of it comes from the cache, and no cross toolchain is made"
ok "$([ -x "$WORLD/pulled/toolchain/aarch64-hosted-x86_64/bin/x86_64-linux-musl-gcc" ]; echo $?)" "the hosted toolchain is there"
rm "$WORLD/store/$(awk '$2 == "hostlib" {print $4}' <<<"$hosted")".*
CACHE=file://$WORLD/store CACHE_TRUST=hk.pub run_bs --top "$WORLD/part" build x86_64 --host aarch64
is "$RC:$(sort "$WORLD/part/built.list" | tr '\n' ' ')" "0:fakecc fakecc hostlib hostlib " \
	"with one package missing from the cache, the cross toolchains are built first, then it"
is "$(grep -c 'hostlib 1.0 (host-aarch64) is in no store' <<<"$OUT")" 1 "which the cache lookup says once"

# What it is built with changed: the aarch64 toolchain (its arch file).
echo "# a comment" >>config/arches/aarch64.arch
bs build x86_64 --host aarch64
is "$RC:$(built)" "0:fakecc fakecc hostlib " \
	"a change to the host's cross toolchain rebuilds it and the hosted toolchain, not the x86_64 one"

bs build x86_64 --host aarch64 --goal all
is "$RC" 2 "--host with --goal all is a usage error"
like "$ERR" "--host builds a toolchain only: its goal is crosstool, not 'all'" "that says why"
bs build x86_64 i686 --host aarch64
is "$RC" 2 "--host with two arches is a usage error"
bs build x86_64 --host sparc
is "$RC" 2 "an unknown host is a usage error"
like "$ERR" "unknown arch 'sparc' \(valid: " "that lists the arches"
done_testing
