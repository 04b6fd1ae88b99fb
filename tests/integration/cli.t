#!/bin/bash
# The driver's commands on the shipped recipes, and every bad input's message.
. "$(dirname "$0")/../lib/tap.sh"
cd "$ROOT"

run_bs --help
is "$RC" 0 "--help exits 0"
like "$OUT" "plan ARCH" "--help lists the commands"

run_bs list
is "$RC" 0 "list"
is "$(echo "$OUT" | wc -l)" 15 "list shows the 15 shipped packages"
like "$OUT" "^gcc +16\.2\.0 +cross +GPL-3\.0-or-later WITH GCC-exception-3\.1  \[16\.2\.0 \(the default\), 15\.3\.0, 14\.2\.0\]" \
	"list shows version, stage, license and the versions offered"

run_bs plan x86_64
is "$RC" 0 "plan x86_64"
is "$(echo "$OUT" | awk '{print $1":"$2}' | tr '\n' ' ')" \
   "host:gmp host:isl host:mpfr host:mpc cross:binutils cross:linux-headers cross:musl-headers cross:gcc cross:musl cross:gcc-libs cross:toolchain-files box:busybox box:zlib box:mbedtls box:curl " \
   "host libraries, then binutils/linux-headers/musl-headers/gcc/musl/gcc-libs/toolchain-files, then the userland"
PLAN_X86=$OUT
run_bs plan arm64
ARM64=$OUT
run_bs plan aarch64
is "$ARM64" "$OUT" "plan arm64 equals plan aarch64"
run_bs plan i686 --goal crosstool
is "$(echo "$OUT" | awk '{print $1}' | sort -u | tr '\n' ' ')" "cross host " "--goal crosstool stops after the cross stage"

run_bs graph x86_64
is "$RC" 0 "graph"
like "$OUT" '"mpc" -> "mpfr";' "graph has the dependency edges"
if command -v dot >/dev/null; then
	echo "$OUT" | dot -Tsvg >"$WORLD/g.svg"
	like "$(head -c 300 "$WORLD/g.svg")" "<svg|<\?xml" "dot draws the graph"
fi

OUT=$(RECIPES=tests/fixtures/world/recipes "$BOOTSTRAP" show libfoo)
like "$OUT" "install:  # default for the box stage" "show marks the default steps"

# One byte of mpfr changes the key of mpfr and of what depends on it, only.
cp -r recipes "$WORLD/recipes"
echo "#" >>"$WORLD/recipes/mpfr.recipe"
CHANGED=$(RECIPES="$WORLD/recipes" "$BOOTSTRAP" plan x86_64)
diffs=$(join <(echo "$PLAN_X86" | awk '{print $2, $4}' | sort) <(echo "$CHANGED" | awk '{print $2, $4}' | sort) |
	awk '$2 != $3 {print $1}' | sort | tr '\n' ' ')
is "$diffs" "busybox curl gcc gcc-libs mbedtls mpc mpfr musl toolchain-files zlib " "a changed mpfr rekeys mpfr and its dependents only"

# Another host compiler is another build machine: the host and cross
# packages' keys change (and so every key), as a binary cache needs.
mkdir -p "$WORLD/othercc"
printf '#!/bin/sh\necho "cc (Other) 99.1.0"\n' >"$WORLD/othercc/cc"
chmod +x "$WORLD/othercc/cc"
OTHER=$(PATH="$WORLD/othercc:$PATH" "$BOOTSTRAP" plan x86_64)
same=$(join <(echo "$PLAN_X86" | awk '{print $2, $4}' | sort) <(echo "$OTHER" | awk '{print $2, $4}' | sort) |
	awk '$2 == $3 {print $1}' | tr '\n' ' ')
is "$same" "" "another host compiler changes every key"

# The search path: the first folder that has a package wins.
mkdir -p "$WORLD/site"
sed 's/^version = .*/version = 9.9/' recipes/zlib.recipe | sed 's/zlib-\$version/zlib-1.3.1/' >"$WORLD/site/zlib.recipe"
OUT=$(RECIPES="$WORLD/site:recipes" "$BOOTSTRAP" list)
like "$OUT" "^zlib +9\.9 " "an overlay recipe wins over the shipped one"
like "$OUT" "^gcc +16\.2\.0" "and the rest come from the next folder"

# Bad input: exit 2, one clear line, nothing written under --top.
bad() { # bad DESCRIPTION EXPECTED-STDERR ARGS...
	local what=$1 want=$2
	shift 2
	run_bs --top "$WORLD/top" "$@"
	is "$RC" 2 "$what: exit 2"
	is "$ERR" "$want" "$what: message"
	ok "$([ ! -e "$WORLD/top" ]; echo $?)" "$what: nothing written"
}
bad "unknown arch" "bootstrap: error: unknown arch 'sparc64' (valid: aarch64 (arm64), armv7 (armhf, arm), i686 (i386, x86), loongarch64 (loong64, la64), mips64el (mips64le), ppc64le (ppc64el, powerpc64le), riscv64 (rv64), s390x, x86_64 (amd64))" plan sparc64
bad "unknown command" "bootstrap: error: unknown command 'frobnicate'
(bootstrap --help lists the commands)" frobnicate
bad "build without an arch" "bootstrap: error: 'build' needs more arguments
usage: bootstrap [options] build ARCH... [--goal crosstool|all]" build
bad "shell without a package" "bootstrap: error: 'shell' needs more arguments
usage: bootstrap [options] shell ARCH PKG" shell x86_64
bad "list with an argument" "bootstrap: error: too many arguments for 'list'
usage: bootstrap [options] list" list gcc
bad "--list with another command" "bootstrap: error: --list goes with fetch, not with 'plan'
(bootstrap --help lists the commands)" plan x86_64 --list
bad "unknown goal" "bootstrap: error: unknown goal 'everything' (goals: crosstool all)" plan x86_64 --goal everything
bad "unknown package" "bootstrap: error: unknown package 'emacs' (bootstrap list shows them)" show emacs
bad "cache with an unknown subcommand" "bootstrap: error: cache: unknown subcommand 'foo' (bootstrap cache keygen NAME)" cache foo
bad "cache keygen without a name" "bootstrap: error: 'cache' needs more arguments
usage: bootstrap [options] cache keygen NAME" cache keygen
RECIPES=$WORLD/missing bad "missing recipe folder" "bootstrap: error: cannot read recipe directory '$WORLD/missing': No such file or directory" list
for f in tests/fixtures/bad/*/expect; do
	d=$(dirname "$f")
	RECIPES=$d bad "$(basename "$d")" "$(cat "$f")" plan x86_64
done
done_testing
