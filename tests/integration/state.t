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

done_testing
