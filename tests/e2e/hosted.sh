#!/bin/bash
# hosted.sh HOST TOOLCHAIN: a hosted toolchain's own programs (make
# HOST=...): every ELF file in bin/ and libexec/ is statically linked and for
# HOST, and its gcc runs here: natively, or for a foreign HOST under
# qemu-user through binfmt_misc, which this script registers from
# qemu-user-static's /usr/lib/binfmt.d when it is missing and it may (root).
# Prints TAP. The sanity suite then runs the toolchain in a bare root.
. "$(dirname "$0")/../lib/tap.sh"
[ $# -eq 2 ] || { echo "usage: $0 HOST TOOLCHAIN" >&2; exit 2; }
archval() { (cd "$ROOT" && "$BOOTSTRAP" arch "$1" "$2"); }
HOST=$(archval "$1" name) || exit 2
MACHINE=$(archval "$HOST" file)
QEMU=$(archval "$HOST" qemu)
TC=$(cd "$2" && pwd)

programs=0 dynamic= foreign=
while IFS= read -r f; do
	what=$(file -b "$f")
	case $what in ELF*) ;; *) continue ;; esac
	programs=$((programs + 1))
	grep -Eq "(statically|static-pie) linked" <<<"$what" || dynamic="$dynamic ${f#"$TC"/}"
	grep -Eq "$MACHINE" <<<"$what" || foreign="$foreign ${f#"$TC"/}"
done < <(find "$TC/bin" "$TC/libexec" -type f | sort)
echo "# $programs ELF programs in bin/ and libexec/"
ok "$([ "$programs" -ge 10 ]; echo $?)" "the toolchain has its programs ($programs)"
is "${dynamic# }" "" "every program is statically linked"
is "${foreign# }" "" "every program is for $HOST ($MACHINE)"
# A static ld cannot load gcc's LTO plugin, and a gcc that has one hands it
# to every link (recipes/gcc.recipe): a hosted toolchain has none.
is "$(find "$TC" -name 'liblto_plugin*' | sed "s|^$TC/||" | tr '\n' ' ')" "" \
	"no LTO plugin (a static ld cannot load it)"

# binfmt_misc, for a foreign HOST: the kernel runs its programs with qemu.
gcc=$(ls "$TC"/bin/*-gcc | head -1)
if ! "$gcc" --version >/dev/null 2>&1; then
	entry=/proc/sys/fs/binfmt_misc/qemu-$QEMU
	conf=/usr/lib/binfmt.d/qemu-$QEMU.conf
	if [ ! -e "$entry" ] && [ -r "$conf" ] && [ "$(id -u)" = 0 ]; then
		[ -e /proc/sys/fs/binfmt_misc/register ] ||
			mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || true
		echo "# registering $conf with binfmt_misc"
		cat "$conf" >/proc/sys/fs/binfmt_misc/register 2>/dev/null || true
	fi
fi
version=$("$gcc" --version 2>&1 | head -1)
like "$version" "^[^ ]+-gcc \(GCC\) " "its gcc runs here: $version"
echo 'int main(void) { return 0; }' >"$WORLD/lto.c"
out=$(cd "$WORLD" && "$gcc" -flto -c lto.c -o lto.o 2>&1) && rc=0 || rc=$?
ok "$([ "$rc" -ne 0 ]; echo $?)" "-flto is refused (no LTO in a hosted toolchain): ${out%%$'\n'*}"
done_testing
