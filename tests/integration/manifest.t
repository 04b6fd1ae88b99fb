#!/bin/bash
# What a rebuilt package installed last time goes first: a rebuilt tree
# equals a clean one, hand-made files stay, and paths another package created
# are not taken away by one that only rewrote them.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }
box=$TOP/output/x86_64/boxroot
listing() { (cd "$1/output/x86_64" && find boxroot sysroot | LC_ALL=C sort | grep -v '^boxroot/hand\.txt$'); }

# libfoo installs a versioned data folder beside its library.
cat >>recipes/libfoo.recipe <<'EOF2'
install:
    make DESTDIR="$SYSROOT" install
    mkdir -p "$BOXROOT/usr/share/foo-1"
    echo one >"$BOXROOT/usr/share/foo-1/data"
EOF2
bs build x86_64
is "$RC" 0 "the world builds"
ok "$([ -f "$box/usr/share/foo-1/data" ]; echo $?)" "libfoo's data is in the boxroot"
like "$(cat "$TOP/states/files/x86_64/libfoo" 2>/dev/null | tr '\n' ' ')" \
     "output/x86_64/boxroot/usr/share/foo-1 output/x86_64/boxroot/usr/share/foo-1/data " \
     "its manifest lists the paths it created, relative to the top"
like "$(cat "$TOP/states/files/host/hostlib" 2>/dev/null)" "^work/host/prefix/" "host packages have manifests too"
ok "$(! grep -q 'usr/bin/app' "$TOP/states/files/x86_64/libfoo"; echo $?)" "libfoo's manifest does not list app's files"

echo "mine" >"$box/hand.txt"
sed -i 's/foo-1/foo-2/g' recipes/libfoo.recipe
bs build x86_64
is "$RC" 0 "the changed libfoo builds"
ok "$([ ! -e "$box/usr/share/foo-1" ]; echo $?)" "the folder its last build created is gone"
ok "$([ -f "$box/usr/share/foo-2/data" ]; echo $?)" "the new one is there"
is "$(cat "$box/hand.txt")" "mine" "a hand-made file stays"
like "$(cat "$TOP/work/x86_64/logs/libfoo.log")" "==> removing what the last build installed" "the log says what happened"

# The same recipes from clean give the same trees.
run_bs --top "$WORLD/clean" build x86_64
is "$RC" 0 "a clean build of the same recipes succeeds"
is "$(listing "$TOP")" "$(listing "$WORLD/clean")" "and the rebuilt tree equals the clean one"

# app rewrites libfoo's data file: app's rebuild alone must not remove it.
cat >>recipes/app.recipe <<'EOF2'
    echo rewritten >"$BOXROOT/usr/share/foo-2/data"
EOF2
bs build x86_64
bs reset x86_64 app
echo "#" >>recipes/app.recipe
bs build x86_64
is "$RC" 0 "app rebuilds"
is "$(cat "$box/usr/share/foo-2/data" 2>/dev/null)" "rewritten" "a path libfoo created survives app's rebuild"

# A failed install lists what it created; the retry removes it first.
cat >>recipes/app.recipe <<'EOF2'
    mkdir -p "$BOXROOT/usr/share/partial"
    echo half >"$BOXROOT/usr/share/partial/file"
    test ! -e "$TOP/fail-install"
EOF2
touch "$TOP/fail-install"
bs build x86_64
is "$RC" 1 "an install step fails"
like "$(cat "$TOP/states/files/x86_64/app")" "usr/share/partial/file" "its manifest lists what it created before failing"
rm "$TOP/fail-install"
sed -i '/usr\/share\/partial/d' recipes/app.recipe
bs build x86_64
is "$RC" 0 "after the fix the retry succeeds"
ok "$([ ! -e "$box/usr/share/partial" ]; echo $?)" "and the failed attempt's files are gone"

# A kill -9 inside an install step: the record of what was there before
# survives it, so the retry still removes what the killed attempt created.
cp recipes/app.recipe "$WORLD/app.recipe.saved"
cat >>recipes/app.recipe <<'EOF2'
    mkdir -p "$BOXROOT/usr/share/killed"
    echo half >"$BOXROOT/usr/share/killed/file"
    if [ -e "$TOP/kill-install" ]; then pkill -KILL -s "$(ps -o sid= -p $$ | tr -d ' ')"; fi
EOF2
touch "$TOP/kill-install"
# Its own session: the step kills the driver, its workers and itself (each
# worker leads a process group of its own, so the session is what they share).
(setsid -w "$BOOTSTRAP" --top "$TOP" build x86_64 >/dev/null 2>&1) 2>/dev/null
is "$?" 137 "the build is killed inside app's install step"
ok "$([ -e "$box/usr/share/killed/file" ]; echo $?)" "after creating a file"
rm "$TOP/kill-install"
cp "$WORLD/app.recipe.saved" recipes/app.recipe
echo "# no longer installs usr/share/killed" >>recipes/app.recipe
bs build x86_64
is "$RC" 0 "the rerun, app no longer installing that file, succeeds"
ok "$([ ! -e "$box/usr/share/killed" ]; echo $?)" "and the killed attempt's files are gone"
ok "$(! ls "$TOP/states/files/x86_64" | grep -q installing; echo $?)" "and no install record is left"

# A damaged manifest removes nothing and names the line.
printf 'output/x86_64/boxroot/usr/bin/app\n../../etc/passwd\n' >"$TOP/states/files/x86_64/app"
echo "#" >>recipes/app.recipe
bs build x86_64
is "$RC" 1 "a manifest with a path outside the top fails the build"
like "$ERR" "states/files/x86_64/app:2: '\.\./\.\./etc/passwd' is not a path inside the top folder" "naming file and line"
ok "$([ -e "$box/usr/bin/app" ]; echo $?)" "and nothing was removed"
done_testing
