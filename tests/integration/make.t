#!/bin/bash
# make.t: the Makefile as a user meets it: plain make and make help list the
# targets and variables before the driver's usage; a misspelt arch gets the
# list of arches; make deps installs what building needs and make test-deps
# what the tests need (checked with make -n: nothing is installed).
. "$(dirname "$0")/../lib/tap.sh"
cd "$ROOT"
# Not a sub-make of make check: its jobserver and flags stay out.
mk() { OUT=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory "$@" 2>"$WORLD/.stderr") && RC=0 || RC=$?; ERR=$(cat "$WORLD/.stderr"); }

mk -s help
is "$RC" 0 "make help exits 0"
for word in x86_64 aarch64 i686 all-arches crosstool download status doctor run deps test-deps check e2e \
	fuzz distclean DEST= O=DIR JOBS= FETCH_JOBS= MIRROR BACKUP_MIRROR RECIPES= COMPRESS= KERNEL= E2E_GOAL=; do
	like "$(sed -n '/^targets:/,/^usage: bootstrap/p' <<<"$OUT")" "(^|[ ,])$word" "make help names $word before the driver's usage"
done
like "$OUT" $'\nusage: bootstrap \\[options\\] COMMAND' "then the driver's usage"
HELP=$OUT
mk -s
is "$OUT" "$HELP" "plain make prints the same help"

mk x86-64
is "$RC" 2 "make x86-64 fails"
like "$ERR" "^make: 'x86-64' is not an arch; the arches are aarch64 \(arm64\), armv7 \(armhf, arm\), i686 .*, x86_64 \(amd64\)" \
	"and names the arches"
mk ARM64
like "$ERR" "'ARM64' is not an arch" "so does make ARM64"
mk frobnicate
is "$RC" 2 "an unknown target fails"
like "$ERR" "^make: no target 'frobnicate' \(make help lists them\)" "with a pointer to the help"

# make deps: building's packages; make test-deps: the tests'; CI installs both.
mk -n deps
is "$OUT" "sh scripts/deps.sh config/debian-packages" "make deps installs config/debian-packages"
mk -n all-arches
like "$OUT" "build aarch64 armv7 i686 loongarch64 mips64el ppc64le riscv64 s390x x86_64 --goal all" "make all-arches builds every arch of config/arches"
mk -n all-arches ARCHES="x86_64 i686"
like "$OUT" "build x86_64 i686 --goal all" "ARCHES= picks some"
mk -n test-deps
is "$OUT" "sh scripts/deps.sh config/debian-packages-test
sh scripts/npm-deps.sh config/npm-packages-test" "make test-deps installs config/debian-packages-test and config/npm-packages-test"
build=$(sed 's/#.*//' config/debian-packages)
tests=$(sed 's/#.*//' config/debian-packages-test)
for pkg in nginx-light python3-pyftpdlib graphviz clang qemu-user-static; do
	ok "$(grep -qw -- "$pkg" <<<"$build"; [ $? = 1 ]; echo $?)" "make deps does not install $pkg"
done
for pkg in nginx-light python3-pyftpdlib graphviz clang; do
	ok "$(grep -qw -- "$pkg" <<<"$tests"; echo $?)" "make test-deps installs $pkg"
done
ok "$(grep -qx 'make deps test-deps' .ci/run; echo $?)" ".ci/run installs both"
done_testing
