#!/bin/bash
# The everyday loop: state that never lies (hooks, files removed by hand,
# why a package is stale), locks that keep reset/shell/initrd off a running
# build, signals that stop every worker and step, and what a build prints.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }

# libfoo's configure waits while $TOP/hold exists, after writing its pid.
sed -i 's|^    test ! -e "$TOP/fail-$NAME"|&\n    echo $$ >"$TOP/step.pid"\n    while [ -e "$TOP/hold" ]; do sleep 0.1; done|' recipes/libfoo.recipe
# wait_for FILE PATTERN: until FILE holds a line matching PATTERN (20 s at most).
wait_for() {
	for _ in $(seq 200); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
alive() { kill -0 "$1" 2>/dev/null; }
# gone PID: until PID is gone (10 s at most).
gone() {
	for _ in $(seq 100); do alive "$1" || return 0; sleep 0.1; done
	return 1
}

# --- hooks: a failed hook runs again once fixed, even with nothing to build ---
mkdir -p hooks/box.d
printf 'exit 3\n' >hooks/box.d/50-sign.sh
bs build x86_64
is "$RC" 1 "a failing hook fails the build"
printf 'echo signed >>"$TOP/signed.list"\n' >hooks/box.d/50-sign.sh
bs build x86_64
is "$RC:$(cat "$TOP/signed.list" 2>/dev/null)" "0:signed" "the fixed hook runs on the rerun, though no package is built"
like "$OUT" "nothing to build" "(nothing was built)"
bs build x86_64
is "$(wc -l <"$TOP/signed.list")" 1 "a hook that ran is not run again by a no-op build"
echo '# changed' >>hooks/box.d/50-sign.sh
bs build x86_64
is "$(wc -l <"$TOP/signed.list")" 2 "a changed hook runs again"
rm -r hooks

# --- outputs removed by hand -------------------------------------------------
rm -rf "$TOP/toolchain" "$TOP/output"
bs status x86_64
like "$OUT" "app +1\.0 +box +stale: files missing \(output/x86_64/boxroot/usr/bin/app\)" "status says a package's files are gone"
like "$OUT" "fakecc +1\.0 +cross +stale: files missing \(toolchain/" "for the toolchain too"
bs build x86_64
is "$RC" 0 "the next build rebuilds what was removed"
is "$("$TOP/output/x86_64/boxroot/usr/bin/app")" "hello from libfoo" "and the box program is back"
bs status x86_64
like "$OUT" "5/5 done$" "status ends with a summary line"

# --- why a package is stale --------------------------------------------------
echo "#" >>recipes/libfoo.recipe
bs status x86_64
like "$OUT" "libfoo +1\.0 +box +stale: recipe changed" "a changed recipe is named"
like "$OUT" "app +1\.0 +box +stale: libfoo changed" "a dependent names the dependency"
like "$OUT" "3/5 done$" "and the summary counts them"
bs build x86_64
mkdir -p patches/app-1.0
printf -- '--- a/nothing\n+++ b/nothing\n' >patches/app-1.0/0001-x.patch
bs status x86_64
like "$OUT" "app +1\.0 +box +stale: patches changed" "a changed patch set is named"
rm -r patches/app-1.0

# --- a build in progress: locks, status, progress in a log -------------------
bs reset x86_64 libfoo
rm -f "$TOP/step.pid"
touch "$TOP/hold"
HEARTBEAT=1 "$BOOTSTRAP" --top "$TOP" build x86_64 >"$WORLD/build.out" 2>&1 &
driver=$!
wait_for "$TOP/step.pid" . && step=$(cat "$TOP/step.pid")
ok "$(wait_for "$WORLD/build.out" "libfoo +1\.0 +started"; echo $?)" "the log names a package as it starts"
ok "$(wait_for "$WORLD/build.out" "^x86_64 [0-9]+/5 done, building libfoo \(configure, [0-9.]+s\)"; echo $?)" \
	"a heartbeat names the running package, its step and time"
states_before=$(cat "$TOP"/states/host "$TOP"/states/*-x86_64)
bs status x86_64
like "$OUT" "^x86_64: building, pid $driver" "status shows the running build"
like "$OUT" "libfoo +1\.0 +box +building" "and calls its package building"
for cmd in "reset x86_64 libfoo" "initrd x86_64" "shell x86_64 libfoo"; do
	bs $cmd </dev/null
	like "$RC:$ERR" "^1:bootstrap: error: x86_64 is in use by another build \(pid $driver" "$cmd is refused during a build"
done
is "$(cat "$TOP"/states/host "$TOP"/states/*-x86_64)" "$states_before" "and none of them changed a state"

# --- SIGTERM to the driver stops the worker and its step ---------------------
ok "$(alive "$step"; echo $?)" "(the step runs)"
kill -TERM "$driver"
wait "$driver"
is "$?" 143 "SIGTERM ends the driver with 128+15"
ok "$(gone "$step"; echo $?)" "the running step is stopped too"
like "$(cat "$WORLD/build.out")" "interrupted by Terminated: [0-9]+ of 5 packages done and kept.*run the same command to resume" \
	"it says what was kept and how to resume"
is "$(head -1 "$TOP/states/await-x86_64")" "libfoo" "await names the stopped package"
bs status x86_64
like "$OUT" "libfoo +1\.0 +box +interrupted" "status calls it interrupted"
rm -f "$TOP/hold"
bs build x86_64
is "$RC" 0 "the same command resumes"

# --- SIGKILL to the driver: the worker and its step die with it ---------------
bs reset x86_64 libfoo
rm -f "$TOP/step.pid"
touch "$TOP/hold"
"$BOOTSTRAP" --top "$TOP" build x86_64 >/dev/null 2>&1 &
driver=$!
wait_for "$TOP/step.pid" . && step=$(cat "$TOP/step.pid")
ok "$(alive "$step"; echo $?)" "(the step runs)"
kill -KILL "$driver"
wait "$driver" 2>/dev/null
ok "$(gone "$step"; echo $?)" "a SIGKILLed driver leaves no step running"
rm -f "$TOP/hold"
bs build x86_64
is "$RC" 0 "and the rerun completes"

# --- a failure names its step --------------------------------------------------
touch "$TOP/fail-libfoo"
bs reset x86_64 libfoo
bs build x86_64
like "$OUT" "libfoo +1\.0 +failed in configure after [0-9.]+s" "a failure names the step it failed in"
rm "$TOP/fail-libfoo"
bs build x86_64

# --- on a terminal: one live line, cut to the width --------------------------
bs reset x86_64 libfoo
touch "$TOP/hold"
script -qfec "stty cols 40 rows 20; $BOOTSTRAP --top $TOP build x86_64" "$WORLD/tty.out" >/dev/null 2>&1 &
tty_pid=$!
wait_for "$WORLD/tty.out" "building libfoo"
sleep 0.5
rm -f "$TOP/hold"
wait "$tty_pid"
like "$(tr '\r' '\n' <"$WORLD/tty.out")" "^x86_64 [0-9]/5 done, building libfoo" "the live line names arch, count and package"
longest=$(tr '\r' '\n' <"$WORLD/tty.out" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | grep '^x86_64 [0-9]/5 done' |
	awk '{ if (length > m) m = length } END { print m + 0 }')
ok "$([ "$longest" -gt 20 ] && [ "$longest" -lt 40 ]; echo $?)" "the live line is cut to the terminal's width (longest: $longest of 40)"

# --- several arches on a terminal: one live line each, one fetch --------------
rm -rf "$TOP"
touch "$TOP.hold-all"
sed -i 's|while \[ -e "$TOP/hold" \]|while [ -e "$TOP.hold-all" ]|' recipes/libfoo.recipe
script -qfec "stty cols 60 rows 20; $BOOTSTRAP --top $TOP --jobs 3 build x86_64 aarch64 i686" "$WORLD/multi.out" >/dev/null 2>&1 &
multi=$!
wait_for "$WORLD/multi.out" "i686 [0-9]/5 done, building libfoo" &&
	wait_for "$WORLD/multi.out" "aarch64 [0-9]/5 done, building libfoo" &&
	wait_for "$WORLD/multi.out" "x86_64 [0-9]/5 done, building libfoo"
sleep 0.5
rm -f "$TOP.hold-all"
wait "$multi"
screen=$(tr '\r' '\n' <"$WORLD/multi.out" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g')
for a in x86_64 aarch64 i686; do
	like "$screen" "^$a [0-9]/5 done, building libfoo \(configure" "a live line of its own for $a"
done
is "$(printf '%s\n' "$screen" | grep -c '^fetch: .* files ready')" 1 "the sources are fetched once for all arches"
is "$(printf '%s\n' "$screen" | grep -E 'done, building' | grep -vcE '^(x86_64|aarch64|i686) [0-9]/5 done')" 0 \
	"no live line is mixed with another's output"
longest=$(printf '%s\n' "$screen" | grep -E '^(x86_64|aarch64|i686) [0-9]/5 done' | awk '{ if (length > m) m = length } END { print m + 0 }')
ok "$([ "$longest" -lt 60 ]; echo $?)" "each is cut to the width (longest: $longest of 60)"
like "$screen" "packed $TOP/output/i686/initrd" "and every arch completes"

# --- a source tree made again while another arch builds from it ---------------
# x86_64's libfoo reads its tree while aarch64, after a patch was added,
# makes the tree again (slowly): the tree must be whole at every moment.
rm -rf "$TOP" "$TOP".*
cp "$ROOT/tests/fixtures/world/recipes/libfoo.recipe" recipes/libfoo.recipe
sed -i 's|^    test ! -e "$TOP/fail-$NAME"|&\n    [ "$ARCH" != x86_64 ] \|\| ! [ -e "$TOP.watch" ] \|\| echo on >"$TOP.watching"\n    while [ "$ARCH" = x86_64 ] \&\& [ -e "$TOP.watch" ]; do [ -e "$SRC/configure" ] \|\| echo gone >>"$TOP.gone"; sleep 0.05; done|' recipes/libfoo.recipe
printf 'prepare:\n    if [ -e "$TOP.slow-prepare" ]; then sleep 2; fi\n' >>recipes/libfoo.recipe
bs build x86_64 aarch64
is "$RC" 0 "(both arches built)"
bs reset x86_64 libfoo
bs reset aarch64 libfoo
touch "$TOP.watch"
"$BOOTSTRAP" --top "$TOP" build x86_64 >/dev/null 2>&1 &
x86=$!
ok "$(wait_for "$TOP.watching" on; echo $?)" "(x86_64 builds libfoo, reading its tree)"
mkdir -p patches/libfoo-1.0
cp "$ROOT/tests/fixtures/world/patches/libfoo-greeting.patch" patches/libfoo-1.0/0001-greeting.patch
touch "$TOP.slow-prepare"
bs build aarch64
is "$RC" 0 "the other arch makes the tree again with the patch"
rm -f "$TOP.watch"
wait "$x86"
ok "$([ ! -e "$TOP.gone" ]; echo $?)" "meanwhile the first arch never found its source tree gone"
rm -rf patches/libfoo-1.0 "$TOP".*

# --- a first build of an arch estimates from another arch's build times -------
rm -rf "$TOP" "$TOP".*
cp "$ROOT/tests/fixtures/world/recipes/libfoo.recipe" recipes/libfoo.recipe
sed -i 's|^    test ! -e "$TOP/fail-$NAME"|&\n    while [ "$ARCH" = aarch64 ] \&\& [ -e "$TOP.hold-eta" ]; do sleep 0.1; done|' recipes/libfoo.recipe
bs build x86_64
sed -i 's/^\(libfoo [^ ]* [^ ]*\) [0-9.]*/\1 3600.0/' "$TOP/states/box-x86_64"
touch "$TOP.hold-eta"
HEARTBEAT=1 "$BOOTSTRAP" --top "$TOP" build aarch64 >"$WORLD/eta.out" 2>&1 &
eta_pid=$!
ok "$(wait_for "$WORLD/eta.out" "building libfoo \(configure, [0-9.]+s\); about (59m|1h00m)"; echo $?)" \
	"the estimate uses x86_64's recorded time for libfoo (1h)"
rm -f "$TOP.hold-eta"
wait "$eta_pid"

# --- recipe costs are scaled by what this run measured --------------------------
# Every package costs 3000 s by its recipe but takes a moment here: once the
# first ones are built, the estimate for the rest is seconds, not hours.
rm -rf "$TOP" "$TOP".*
cp "$ROOT"/tests/fixtures/world/recipes/*.recipe recipes/
sed -i 's/^stage .*/&\ncost    = 3000/' recipes/*.recipe
sed -i 's|^    test ! -e "$TOP/fail-$NAME"|&\n    while [ -e "$TOP.hold-eta" ]; do sleep 0.1; done|' recipes/libfoo.recipe
touch "$TOP.hold-eta"
HEARTBEAT=1 "$BOOTSTRAP" --top "$TOP" build x86_64 >"$WORLD/scaled.out" 2>&1 &
eta_pid=$!
ok "$(wait_for "$WORLD/scaled.out" "building libfoo \(configure, [0-9.]+s\); about [0-9.]+s left"; echo $?)" \
	"the estimate scales the recipes' costs by the packages built so far"
rm -f "$TOP.hold-eta"
wait "$eta_pid"
is "$?" 0 "(the build completes)"
cp "$ROOT"/tests/fixtures/world/recipes/*.recipe recipes/
done_testing
