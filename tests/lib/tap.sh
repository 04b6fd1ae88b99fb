# tap.sh: TAP helpers for the integration tests (bash), run by prove.
# Each test sources this, gets a fresh world in $WORLD (removed at exit) and
# runs the driver as $BOOTSTRAP (make check points it at the sanitizer build).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BOOTSTRAP=${BOOTSTRAP:-$ROOT/bootstrap}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# The fixture recipes note what they build in $TOP/built.list, a file no
# sandboxed step may write; sandbox.t runs them in the sandbox (SANDBOX=on).
export SANDBOX=off
TAP_N=0
TAP_FAILED=0
WORLD=$(mktemp -d "${TMPDIR:-/tmp}/bootstrap-test.XXXXXX")
TAP_CLEANUPS=()
tap_cleanup() {
	local c
	for c in "${TAP_CLEANUPS[@]}"; do eval "$c"; done
	rm -rf "$WORLD"
}
trap tap_cleanup EXIT
at_exit() { TAP_CLEANUPS+=("$1"); }

ok() { # ok STATUS DESCRIPTION: STATUS 0 passes
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $TAP_N - $2"
	else
		echo "not ok $TAP_N - $2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}
is() { # is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2" | sed '3,$s/^/#         /'
	fi
}
like() { # like GOT PATTERN DESCRIPTION (grep -E)
	if printf '%s' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else
		ok 1 "$3"
		printf '#   got:  %s\n#   want match: %s\n' "$1" "$2"
	fi
}
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
skip() { # skip DESCRIPTION REASON: one test not run here, and why
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}
done_testing() { echo "1..$TAP_N"; [ "$TAP_FAILED" -eq 0 ]; }

# run_bs ARGS...: runs the driver; sets $OUT, $ERR, $RC.
run_bs() {
	OUT=$("$BOOTSTRAP" "$@" 2>"$WORLD/.stderr") && RC=0 || RC=$?
	ERR=$(cat "$WORLD/.stderr")
}

# free_port: a TCP port nothing listens on, on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# fixture_project: a throwaway project folder ($PROJECT, the current folder
# after this) with the fixture world's recipes, so a test may change them,
# add patches and hooks; sources come from the fixture mirror.
fixture_project() {
	PROJECT=$WORLD/project
	TOP=$WORLD/top
	mkdir -p "$PROJECT/config" "$PROJECT/patches"
	cp -r "$ROOT/tests/fixtures/world/recipes" "$PROJECT/recipes"
	cp "$ROOT/config/host-tools" "$PROJECT/config/"
	cp -r "$ROOT/config/arches" "$PROJECT/config/"
	export MIRROR=file://$ROOT/tests/fixtures/world/sources
	unset RECIPES BACKUP_MIRROR
	cd "$PROJECT"
}

# box_recipe NAME [LINES]: recipes/NAME.recipe, a box package without a
# source (more header lines in LINES) that notes itself in $TOP/built.list
# when built; its install step is read from stdin, one command a line.
box_recipe() {
	{
		printf 'name    = %s\nversion = 1.0\nlicense = MIT\nstage   = box\n%s\n' "$1" "${2:-}"
		printf 'configure:\n    echo "$NAME" >>"$TOP/built.list"\nbuild:\n    true\ninstall:\n'
		sed 's/^/    /'
	} >"recipes/$1.recipe"
}

# tree_hash DIR...: one sum over the names and contents of the files below.
tree_hash() {
	(cd "$TOP" && find "$@" -type f -print0 2>/dev/null | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64)
}
