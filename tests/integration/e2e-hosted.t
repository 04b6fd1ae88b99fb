#!/bin/bash
# tests/e2e/hosted.sh, the check of a hosted toolchain's own programs, on a
# toolchain made of the host compiler's programs: static and static-pie
# programs pass, a dynamic one is named.
. "$(dirname "$0")/../lib/tap.sh"
cd "$ROOT"
command -v file >/dev/null || skip_all "needs file(1)"
TC=$WORLD/tc
mkdir -p "$TC/bin" "$TC/libexec"
# A gcc as hosted.sh asks it: its version, and -flto refused.
cat >"$WORLD/gcc.c" <<'C'
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--version"))
			return puts("x86_64-linux-musl-gcc (GCC) 16.2.0") < 0;
		if (!strcmp(argv[i], "-flto"))
			return fputs("cc1: error: LTO support has not been enabled\n", stderr), 1;
	}
	return 0;
}
C
cc -static -o "$TC/bin/x86_64-linux-musl-gcc" "$WORLD/gcc.c" ||
	skip_all "the host cc cannot link statically (libc6-dev's libc.a)"
for i in 1 2 3 4 5 6 7 8 9; do cp "$TC/bin/x86_64-linux-musl-gcc" "$TC/libexec/prog$i"; done
check() { OUT=$(tests/e2e/hosted.sh x86_64 "$TC" 2>&1) && RC=0 || RC=$?; }

check
is "$RC" 0 "ten statically linked programs pass"
like "$OUT" "^ok [0-9]+ - every program is statically linked" "they are called static"
if cc -static-pie -o "$TC/libexec/pie" "$WORLD/gcc.c" 2>/dev/null; then
	check
	is "$RC" 0 "a static-pie program passes too"
	rm "$TC/libexec/pie"
else
	skip "a static-pie program passes too" "the host cc cannot link -static-pie"
fi
cc -o "$TC/libexec/dyn" "$WORLD/gcc.c"
check
ok "$([ "$RC" -ne 0 ]; echo $?)" "a dynamic program fails the check"
like "$OUT" "got: +libexec/dyn$" "and is named, alone"
done_testing
