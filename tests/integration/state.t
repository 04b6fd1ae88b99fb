#!/bin/bash
# State that must not outlive its cause: a stale await, a source tree made
# for another dir, a world without a userland, a reset that could not write.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }

bs build x86_64
is "$RC" 0 "the fixture world builds"

# A run killed after the last state line but before await was cleared.
echo app >"$TOP/states/await-x86_64"
bs status x86_64
like "$OUT" "^app +1\.0 +box +done" "status calls a done package done, not awaiting"
bs build x86_64
like "$OUT" "nothing to build" "a stale await: nothing to build"
is "$RC.$(cat "$TOP/states/await-x86_64")" "0." "and await is cleared"
bs status x86_64
is "$(echo "$OUT" | grep -c awaiting)" 0 "status reports no await"

# An incremental build equals a clean one: a changed dir unpacks again, and
# here fails as it would on a clean top.
sed -i 's/^stage .*/&\ndir     = wrong-1.0/' recipes/app.recipe
bs build x86_64
is "$RC" 1 "a changed dir is a new source tree: the wrong one fails"
like "$ERR" "is outside the top folder 'wrong-1\.0'" "as on a clean top"
sed -i '/^dir /d' recipes/app.recipe
bs build x86_64
is "$RC" 0 "the right dir builds again"

# reset on a top it cannot write says only what it could not do.
readonly_run() { # readonly_run ARGS...: runs the driver with $TOP/states read-only
	if [ "$(id -u)" -ne 0 ]; then
		chmod a-w "$TOP/states"
		bs "$@"
		chmod u+w "$TOP/states"
	elif unshare -m true 2>/dev/null; then
		OUT=$(unshare -m sh -c 'mount --bind "$1/states" "$1/states" &&
			mount -o remount,ro,bind "$1/states" && shift && exec "$@"' sh "$TOP" \
			"$BOOTSTRAP" --top "$TOP" "$@" 2>"$WORLD/.stderr") && RC=0 || RC=$?
		ERR=$(cat "$WORLD/.stderr")
	else
		return 1
	fi
}
if readonly_run reset x86_64 app; then
	is "$RC" 1 "reset on a read-only states folder fails"
	like "$ERR" "^bootstrap: error: " "with an error"
	is "$OUT" "" "and does not say it forgot anything"
	bs status x86_64
	like "$OUT" "^app +1\.0 +box +done" "app is still done"
else
	ok 0 "# SKIP cannot make the states folder read-only here"
fi

# A world without box packages: the build ends after the cross stage.
rm recipes/app.recipe recipes/libfoo.recipe recipes/inplace.recipe
bs --top "$WORLD/top2" build x86_64
is "$RC" 0 "a world without box packages builds"
like "$OUT" "x86_64: no initrd packed: the plan has no box package" "and says why there is no initrd"
ok "$([ ! -e "$WORLD/top2/output/x86_64/initrd.cpio.gz" ]; echo $?)" "no initrd"
run_bs --top "$WORLD/top2" initrd x86_64
is "$RC.$ERR" "1.bootstrap: error: the x86_64 plan has no box package, so there is no userland to pack (add a recipe with stage = box)" \
	"initrd says there is no userland, and does not advise a build"
done_testing
