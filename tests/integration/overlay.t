#!/bin/bash
# The e2e overlay (tests/e2e/overlay) points recipes at Debian's repacked
# sources: each is an `overlay = yes` change of the shipped recipe that gives
# at most a prepare step, so the e2e suite builds with the very steps users
# run.
. "$(dirname "$0")/../lib/tap.sh"
cd "$ROOT"

# steps RECIPES PKG: the steps that will run, without prepare and without the
# line numbers `show` prints.
steps() {
	RECIPES=$1 "$BOOTSTRAP" show "$2" | awk '
		/^(prepare|configure|build|install)(@[a-z0-9_]+)?:/ { skip = ($1 ~ /^prepare/) }
		/^(name|version|license|stage|url|sha256|file|dir|inner|tools|#) / { next }
		!skip' | sed 's/  # line [0-9]*$//'
}
field() { RECIPES=$1 "$BOOTSTRAP" show "$2" | awk -v k="$3" '$1 == k { sub(/^[^=]*= */, ""); print }'; }

for f in tests/e2e/overlay/*.recipe; do
	pkg=$(basename "$f" .recipe)
	like "$(grep -E '^overlay *=' "$f")" "^overlay *= *yes$" "$pkg: overlay = yes"
	is "$(steps tests/e2e/overlay:recipes "$pkg")" "$(steps recipes "$pkg")" "$pkg: overlay steps match recipes/$pkg.recipe"
	is "$(field tests/e2e/overlay:recipes "$pkg" depends)" "$(field recipes "$pkg" depends)" "$pkg: same depends"
	is "$(field tests/e2e/overlay:recipes "$pkg" stage)" "$(field recipes "$pkg" stage)" "$pkg: same stage"
	like "$(field tests/e2e/overlay:recipes "$pkg" file)" "\.orig\.tar\." "$pkg: names Debian's file"
done
done_testing
