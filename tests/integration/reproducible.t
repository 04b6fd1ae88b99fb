#!/bin/bash
# The same bytes from any top: a step compiles with $FILE_PREFIX_MAP, which
# writes the top's paths as "." in __FILE__ and in debug information, so the
# object built in two tops of different lengths is the same and names
# neither top.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
cat >recipes/mapped.recipe <<'R'
name    = mapped
version = 1
license = MIT
stage   = cross
configure:
    printf '%s\n' 'const char *where = __FILE__;' 'int answer(void) { return 42; }' >"$BUILD/where.c"
build:
    echo "$FILE_PREFIX_MAP" >map
    cc -g -O0 $FILE_PREFIX_MAP -c "$BUILD/where.c" -o where.o
install:
    mkdir -p "$PREFIX/lib"
    cp where.o map "$PREFIX/lib/"
R
short=$WORLD/t
long=$WORLD/a-much-longer-top-folder/t
for top in "$short" "$long"; do
	run_bs --top "$top" build x86_64 --goal crosstool
	is "$RC" 0 "the fixture world builds in $top"
	is "$(cat "$top/toolchain/x86_64/lib/map")" "-ffile-prefix-map=$top=." \
		"the step sees FILE_PREFIX_MAP naming its top"
	grep -qF "$top" "$top/toolchain/x86_64/lib/where.o"
	is "$?" 1 "the object names no path of its top"
	strings -a "$top/toolchain/x86_64/lib/where.o" | grep -q '^\./work/.*/where\.c$'
	is "$?" 0 "__FILE__ is the source's path below the top, as ./work/..."
done
cmp -s "$short/toolchain/x86_64/lib/where.o" "$long/toolchain/x86_64/lib/where.o"
is "$?" 0 "the two tops give the same object"
done_testing
