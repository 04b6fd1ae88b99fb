#!/bin/bash
# sanity.sh ARCH TOOLCHAIN: does a built cross toolchain work? Prints TAP.
#
# Builds and runs under qemu-user (Debian's qemu-user-static): a static and a
# dynamic C hello, a static and a dynamic C++ iostream hello, C11 atomics on
# 1- to 8-byte objects without -latomic, threads, a stack-protected PIE and
# shared library (i686's __stack_chk_fail_local), and checks with `file` that
# each binary is for ARCH. Dynamic programs run against the toolchain's own
# sysroot (TOOLCHAIN/TRIPLET). Then the programs in musl/ check, statically
# linked, that the toolchain's musl has the fixes in patches/musl-<version>/ (one
# check each; each program prints its own ok/not ok lines, shown when it
# fails). Last, the toolchain is copied elsewhere and must still compile and
# link there without looking at its old path.
. "$(dirname "$0")/../lib/tap.sh"
MUSL_TESTS=$(cd "$(dirname "$0")/musl" && pwd)

[ $# -eq 2 ] || { echo "usage: $0 ARCH TOOLCHAIN" >&2; exit 2; }
ARCH=$1
TC=$(cd "$2" && pwd)
# What the arch table (config/arches) says of ARCH.
archval() { (cd "$ROOT" && "$BOOTSTRAP" arch "$ARCH" "$1"); }
ARCH=$(archval name) || { echo "sanity: unknown arch '$ARCH'" >&2; exit 2; }
QEMU=qemu-$(archval qemu)-static
MACHINE=$(archval file)
T=$(archval triplet)
SYSROOT=$TC/$T
command -v "$QEMU" >/dev/null || skip_all "$QEMU is missing (apt-get install qemu-user-static)"
# BARE_ROOT=yes: the toolchain's own programs run in a root that holds only
# the toolchain and this test's folders (bubblewrap): no glibc, no /usr, no
# shell. A toolchain that runs there needs nothing of this machine.
WRAP=()
if [ "${BARE_ROOT:-}" = yes ]; then
	command -v bwrap >/dev/null || skip_all "BARE_ROOT=yes needs bwrap (apt-get install bubblewrap)"
	WRAP=(bwrap --tmpfs /tmp --ro-bind "$TC" "$TC" --ro-bind "$MUSL_TESTS" "$MUSL_TESTS"
		--bind "$WORLD" "$WORLD" --proc /proc --dev /dev --chdir "$WORLD" --)
fi
tc() { ${WRAP[@]+"${WRAP[@]}"} "$@"; }
[ ${#WRAP[@]} -eq 0 ] || echo "# the toolchain runs in a bare root; /bin/sh there: $(tc /bin/sh -c : 2>&1 | head -1)"
[ -x "$TC/bin/$T-gcc" ] || skip_all "no $TC/bin/$T-gcc"
cd "$WORLD"
echo "# $(tc "$TC/bin/$T-gcc" --version | head -1); $(tc "$TC/bin/$T-ld" --version | head -1);" \
	"musl $("$QEMU" "$SYSROOT"/lib/libc.so 2>&1 | sed -n 's/^Version //p')"

cat >hello.c <<'EOF'
#include <stdio.h>
int main(void) { printf("hello from C\n"); return 0; }
EOF
cat >hello.cc <<'EOF'
#include <iostream>
#include <string>
int main() { std::string s = "hello from C++"; std::cout << s << std::endl; return 0; }
EOF
cat >atomics.c <<'EOF'
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
static _Atomic uint8_t a1; static _Atomic uint16_t a2;
static _Atomic uint32_t a4; static _Atomic uint64_t a8;
int main(void)
{
	uint32_t e4 = 0; uint64_t e8 = 0;
	atomic_fetch_add(&a1, 1); atomic_fetch_add(&a2, 2);
	if (!atomic_compare_exchange_strong(&a4, &e4, 4)) return 1;
	if (!atomic_compare_exchange_strong(&a8, &e8, 0x100000000ull)) return 1;
	atomic_fetch_add(&a8, 8);
	printf("atomics %u %u %u %llu\n", (unsigned)a1, (unsigned)a2, (unsigned)a4,
	       (unsigned long long)a8);
	return 0;
}
EOF
cat >threads.c <<'EOF'
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
static atomic_long count;
static void *work(void *arg) { for (int i = 0; i < 100000; i++) atomic_fetch_add(&count, 1); return arg; }
int main(void)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++) if (pthread_create(&t[i], 0, work, 0)) return 1;
	for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
	printf("threads %ld\n", (long)count);
	return 0;
}
EOF
cat >smash.c <<'EOF'
#include <stdio.h>
#include <string.h>
__attribute__((noinline)) static void copy(const char *s)
{
	char buf[8];
	strcpy(buf, s);
	printf("copied %zu\n", strlen(buf));
}
int main(int argc, char **argv) { copy(argc > 1 ? argv[1] : "short"); puts("returned"); return 0; }
EOF
cat >ssp.c <<'EOF'
#include <stdio.h>
#include <string.h>
int lib_copy(char *out, const char *in);
int main(int argc, char **argv)
{
	char buf[32];
	lib_copy(buf, argc > 5 ? argv[1] : "protected");
	printf("ssp %s\n", buf);
	return 0;
}
EOF
cat >ssplib.c <<'EOF'
#include <string.h>
int lib_copy(char *out, const char *in) { char tmp[16]; strncpy(tmp, in, 15); tmp[15] = 0; strcpy(out, tmp); return 0; }
EOF

# check NAME EXPECTED-OUTPUT COMPILE-COMMAND...: compiles, checks the machine,
# runs under qemu and compares the output and the exit status.
check() {
	local name=$1 want=$2 out rc
	shift 2
	if ! tc "$@" >"$name.cc.log" 2>&1; then
		ok 1 "$name: compiles"
		sed 's/^/#   /' "$name.cc.log" | head -n 20
		return
	fi
	ok 0 "$name: compiles"
	like "$(file -L "$name")" "ELF .*($MACHINE)" "$name: file says $MACHINE"
	out=$("$QEMU" -L "$SYSROOT" "./$name" 2>&1) && rc=0 || rc=$?
	is "$rc:$out" "0:$want" "$name: runs under $QEMU"
}

CC=$TC/bin/$T-gcc
CXX=$TC/bin/$T-g++
check hello-static "hello from C" "$CC" -static -O2 hello.c -o hello-static
like "$(file hello-static)" "statically linked" "hello-static: statically linked"
check hello-dynamic "hello from C" "$CC" -O2 hello.c -o hello-dynamic
like "$(file hello-dynamic)" "interpreter /lib/ld-musl-" "hello-dynamic: musl's dynamic linker"
check hello-cxx-static "hello from C++" "$CXX" -static -O2 hello.cc -o hello-cxx-static
check hello-cxx-dynamic "hello from C++" "$CXX" -O2 hello.cc -o hello-cxx-dynamic
check atomics "atomics 1 2 4 4294967304" "$CC" -std=c11 -O2 atomics.c -o atomics
check threads "threads 400000" "$CC" -std=c11 -O2 -pthread threads.c -o threads
tc "$CC" -O2 -fPIC -fstack-protector-all -shared ssplib.c -o libssplib.so >ssplib.log 2>&1
ok $? "a stack-protected shared library links"
check ssp "ssp protected" "$CC" -O2 -fPIE -pie -fstack-protector-all ssp.c -L. -lssplib \
	-Wl,-rpath,"$WORLD" -o ssp

# Hardened defaults (recipes/gcc.recipe): a plain link is PIE, -static is
# not, -static-pie is both, and -fstack-protector-strong is on by itself.
READELF=$TC/bin/$T-readelf
elftype() { tc "$READELF" -h "$1" 2>/dev/null | awk '$1 == "Type:" { print $2 }'; }
is "$(elftype hello-dynamic)" DYN "hello-dynamic: a plain link is PIE (ELF type DYN)"
is "$(elftype hello-static)" EXEC "hello-static: -static links a non-PIE program (ELF type EXEC)"
check hello-static-pie "hello from C" "$CC" -static-pie -O2 hello.c -o hello-static-pie
is "$(elftype hello-static-pie)" DYN "hello-static-pie: a static PIE (ELF type DYN)"
is "$(tc "$READELF" -l hello-static-pie 2>/dev/null | grep -c INTERP)" 0 "hello-static-pie: no dynamic linker"
check smash-short "copied 5
returned" "$CC" -O2 smash.c -o smash-short
ok "$(tc "$TC/bin/$T-nm" smash-short 2>/dev/null | grep -q __stack_chk_fail; echo $?)" \
	"smash: compiled with the stack protector without asking (calls __stack_chk_fail)"
out=$("$QEMU" -L "$SYSROOT" ./smash-short AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA 2>&1) && rc=0 || rc=$?
ok "$([ "$rc" -ne 0 ] && ! grep -q returned <<<"$out"; echo $?)" \
	"smash: the stack protector, on by default, stops an overflow (exit $rc)"

# check_musl NAME DESCRIPTION: builds musl/NAME.c statically and runs it under
# qemu; passes when it exits 0, else shows its output.
check_musl() {
	local name=$1 out rc
	if ! tc "$CC" -static -O2 "$MUSL_TESTS/$name.c" -o "$name" >"$name.cc.log" 2>&1; then
		ok 1 "$name: $2 (does not compile)"
		sed 's/^/#   /' "$name.cc.log" | head -n 20
		return
	fi
	out=$("$QEMU" -L "$SYSROOT" "./$name" 2>&1) && rc=0 || rc=$?
	ok $rc "$name: $2"
	[ $rc -eq 0 ] || printf '%s\n' "$out" | head -n 20 | sed 's/^/#   /'
}
check_musl iconv-euc-kr "iconv refuses invalid EUC-KR pairs (CVE-2025-26519)"
check_musl iconv-utf8-out "iconv's UTF-8 output refuses non-scalar values (CVE-2025-26519)"
check_musl iconv-gb18030 "iconv maps every GB18030 four-byte code right (CVE-2026-6042)"
check_musl qsort-shift "qsort sorts L(33)+1 elements (CVE-2026-40200)"

# Relocatable: a copy in another folder must find everything beside itself.
mkdir moved
cp -a "$TC" moved/tc
MC=$WORLD/moved/tc/bin/$T-gcc
MCXX=$WORLD/moved/tc/bin/$T-g++
like "$(tc "$MC" -print-sysroot)" "^$WORLD/moved/tc/" "moved: the sysroot moves with the compiler"
paths=$(tc "$MC" -print-search-dirs; tc "$MC" -print-prog-name=ld; echo | tc "$MCXX" -x c++ -E -v - 2>&1 | sed -n '/search starts here/,/End of search/p')
stale=$(printf '%s\n' "$paths" | tr ':' '\n' | grep -F "$TC" | head -n 3)
is "$stale" "" "moved: no search path under the old folder"
check moved-static "hello from C++" "$MCXX" -static -O2 hello.cc -o moved-static
check moved-dynamic "hello from C" "$MC" -O2 hello.c -o moved-dynamic
done_testing
