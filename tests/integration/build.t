#!/bin/bash
# The build engine on the fixture world: state, resume, exact rebuilds,
# SIGKILL, in-tree builders, locks, hooks, the shell.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }
built() { tr '\n' ' ' <"$TOP/built.list" 2>/dev/null; : >"$TOP/built.list"; }

bs build x86_64
is "$RC" 0 "a fresh build succeeds"
order=$(built)
is "$(echo $order | tr ' ' '\n' | sort | tr '\n' ' ')" "app fakecc hostlib inplace libfoo " "it builds every package once"
like "$order" "^hostlib fakecc (libfoo .*app|inplace libfoo app|libfoo inplace app)" "each after its dependencies"
is "$(cat "$TOP/states/await-x86_64")" "" "await is empty after a success"
is "$(cut -d' ' -f1,3 "$TOP/states/host" "$TOP/states/cross-x86_64" "$TOP/states/box-x86_64" | sort | tr '\n' ' ')" \
   "$("$BOOTSTRAP" plan x86_64 | awk '{print $2, $4}' | sort | tr '\n' ' ')" "state lines carry each package's current key"
is "$("$TOP/output/x86_64/boxroot/usr/bin/app")" "hello from libfoo" "the box program runs"
ok "$([ -s "$TOP/work/x86_64/logs/libfoo.log" ]; echo $?)" "each package has a log"

bs build x86_64
is "$RC" 0 "a second build succeeds"
is "$(built)" "" "and builds nothing"
like "$OUT" "nothing to build" "and says so"

# A done package whose dependency is built again (its state line lost, the
# same key) is in flux: what depends on it waits until that is done too.
sed -i '/^hostlib /d' "$TOP/states/host"
sed -i '/^libfoo /d' "$TOP/states/box-x86_64"
bs build x86_64
is "$RC" 0 "a build after losing hostlib's and libfoo's state lines succeeds"
is "$(echo "$OUT" | grep -E 'hostlib .* done|libfoo .* started' | sed 's/.* \(hostlib\|libfoo\) .* \(done\|started\).*/\1 \2/' | tr '\n' ' ')" \
   "hostlib done libfoo started " "libfoo, whose fakecc is done, starts only after fakecc's hostlib is done"
built >/dev/null

# The build ends with the initrd; a hand edit of the boxroot repacks it
# without compiling anything.
ok "$([ -s "$TOP/output/x86_64/initrd.cpio.gz" ]; echo $?)" "the build packs the initrd"
like "$(cat "$TOP/output/x86_64/boxroot/etc/build-id")" "app 1\.0 [0-9a-f]{64}" "build-id lists the box packages' keys"
like "$OUT" "initrd is up to date" "a no-op build does not repack"
echo "hand-made" >"$TOP/output/x86_64/boxroot/hand.txt"
bs build x86_64
is "$(built)" "" "after a hand edit of the boxroot nothing is compiled"
like "$OUT" "packed $TOP/output/x86_64/initrd.cpio.gz" "but the initrd is repacked"
like "$(zcat "$TOP/output/x86_64/initrd.cpio.gz" | cpio -it --quiet 2>/dev/null | tr '\n' ' ')" " hand\.txt " "with the new file in it"

# An injected failure in the middle, then the fix.
bs reset x86_64 libfoo
is "$OUT" "forgot libfoo 1.0
forgot app 1.0" "reset forgets the package and its dependents"
touch "$TOP/fail-libfoo"
bs build x86_64
is "$RC" 1 "a failing package fails the build"
is "$(cat "$TOP/states/await-x86_64")" "libfoo
failed" "await names it, and that it failed"
like "$ERR" "bootstrap: error: libfoo 1.0: the configure step exited with 1" "the error names package, step and status"
like "$ERR" "\+ test ! -e $TOP/fail-libfoo" "the log tail shows the failing command"
like "$ERR" "the whole log: $TOP/work/x86_64/logs/libfoo.log" "and the log's path"
like "$ERR" "it resumes at libfoo, on a clean tree" "and that the rerun resumes there, on a clean tree"
bs status x86_64
like "$OUT" "libfoo +1\.0 +box +failed" "status shows it failed"
like "$OUT" "app +1\.0 +box +pending" "and its dependent pending"
like "$OUT" "hostlib +1\.0 +host +done" "and the rest done"
rm "$TOP/fail-libfoo"
: >"$TOP/built.list"
bs build x86_64
is "$RC" 0 "after the fix the rerun succeeds"
is "$(built)" "libfoo app " "it builds exactly the failed package and its dependents"

# A package that goes on in another's build folder resumes there, not on a
# clean tree: the hint says how to build both again if that folder is damaged.
sed -i 's/^depends = libfoo$/&\ncontinues = libfoo/' recipes/app.recipe
touch "$TOP/fail-app"
bs build x86_64
is "$RC" 1 "a failing package that continues libfoo fails the build"
like "$ERR" "it resumes at app in libfoo's build folder as libfoo left it \(if that folder is damaged: bootstrap reset x86_64 libfoo, which builds both again\)" \
	"the hint names the folder it resumes in and the reset that builds both"
rm "$TOP/fail-app"
sed -i '/^continues = libfoo$/d' recipes/app.recipe
bs build x86_64
is "$RC" 0 "without continues, the fixed app builds"
built >/dev/null

# A one-byte recipe change, then an added patch.
echo "#" >>recipes/libfoo.recipe
bs status x86_64
like "$OUT" "libfoo +1\.0 +box +stale" "a changed recipe makes its package stale"
bs build x86_64
is "$(built)" "libfoo app " "a one-byte recipe change rebuilds that package and its dependents"
mkdir -p patches/libfoo-1.0
cp "$ROOT/tests/fixtures/world/patches/libfoo-greeting.patch" patches/libfoo-1.0/0001-greeting.patch
bs build x86_64
is "$(built)" "libfoo app " "an added patch rebuilds that package and its dependents"
is "$("$TOP/output/x86_64/boxroot/usr/bin/app")" "hello from patched libfoo" "the patch is applied"
printf 'this is not a patch\n' >patches/libfoo-1.0/0002-broken.patch
bs build x86_64
is "$RC" 1 "a patch that does not apply fails the build"
like "$ERR" "patch $PROJECT/patches/libfoo-1.0/0002-broken.patch does not apply" "and names itself"
rm patches/libfoo-1.0/0002-broken.patch
bs build x86_64
: >"$TOP/built.list"

# One arch's own patch (patches/NAME-VERSION/ARCH/): that arch's build takes
# it, from a source tree of its own; the others lose it.
mkdir patches/libfoo-1.0/aarch64
mv patches/libfoo-1.0/0001-greeting.patch patches/libfoo-1.0/aarch64/
bs build x86_64
is "$(built)" "libfoo app " "moving the patch to aarch64's folder rebuilds x86_64's libfoo"
is "$("$TOP/output/x86_64/boxroot/usr/bin/app")" "hello from libfoo" "without the patch"
bs build aarch64
is "$("$TOP/output/aarch64/boxroot/usr/bin/app")" "hello from patched libfoo" "aarch64's build applies it"
like "$(cat "$TOP/work/src/aarch64/libfoo-1.0/foo.c")" "patched libfoo" "in aarch64's own source tree"
is "$(grep -c patched "$TOP/work/src/libfoo-1.0/foo.c")" 0 "and the shared tree stays unpatched"
mkdir patches/libfoo-1.0/armhf
bs build x86_64
like "$RC:$ERR" "^2:bootstrap: error: $PROJECT/patches/libfoo-1.0/armhf: a folder of patches is named after an arch, by its canonical name; 'armhf' is none \\(valid: " \
	"a folder named after no arch (an alias is none) fails, named"
rmdir patches/libfoo-1.0/armhf
mv patches/libfoo-1.0/aarch64/0001-greeting.patch patches/libfoo-1.0/
rmdir patches/libfoo-1.0/aarch64
bs build x86_64
is "$("$TOP/output/x86_64/boxroot/usr/bin/app")" "hello from patched libfoo" "back in the common folder, every arch takes it"
: >"$TOP/built.list"

# A failed in-tree build that dirtied its tree: the retry starts clean.
bs reset x86_64 inplace
touch "$TOP/fail-inplace"
bs build x86_64
is "$RC" 1 "the in-tree package fails after writing into its tree"
rm "$TOP/fail-inplace"
bs build x86_64
is "$RC" 0 "its retry starts from a clean tree (its Makefile refuses a used one)"

# Two builds of one arch: the second is refused with the holder's pid.
bs reset x86_64 fakecc
touch "$TOP/hold-x86_64"
"$BOOTSTRAP" --top "$TOP" build x86_64 >/dev/null 2>&1 &
holder=$!
for _ in $(seq 100); do grep -q fakecc "$TOP/states/await-x86_64" 2>/dev/null && break; sleep 0.05; done
bs build x86_64
is "$RC" 1 "a second build of the same arch is refused"
is "$ERR" "bootstrap: error: x86_64 is in use by another build (pid $holder, lock $TOP/states/.lock-x86_64)" "naming the holder's pid"
bs build aarch64
is "$RC" 0 "a build of another arch runs at the same time"
rm "$TOP/hold-x86_64"
wait "$holder"
is "$?" 0 "and the first build finishes"

# SIGKILL at ten different moments: each rerun completes, and the result
# equals an uninterrupted build's.
want=$(tree_hash output/x86_64 toolchain/x86_64 work/host/prefix)
touch "$TOP/slow"
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$BOOTSTRAP" --top "$TOP" reset x86_64 hostlib >/dev/null
	setsid "$BOOTSTRAP" --top "$TOP" build x86_64 >/dev/null 2>&1 &
	pid=$!
	sleep "0.$((i * 13 % 10))$i"
	kill -9 -- "-$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	bs build x86_64
	got=$(tree_hash output/x86_64 toolchain/x86_64 work/host/prefix)
	[ "$RC" = 0 ] && [ "$got" = "$want" ]
	ok $? "killed after 0.$((i * 13 % 10))$i s: the rerun completes with the same output"
	if [ "$RC" != 0 ] || [ "$got" != "$want" ]; then
		(cd "$TOP" && find output/x86_64 toolchain/x86_64 work/host/prefix -type f | sort | sed 's/^/# /')
		echo "# $ERR"
	fi
done
rm "$TOP/slow"

# Hooks run after a stage, in numeric order; a failing one fails the build.
mkdir -p hooks/cross.d hooks/box.d
for h in 50-sign 9-first 10-second; do
	printf 'echo %s >>"$TOP/hooks.list"\n' "$h" >"hooks/cross.d/$h.sh"
done
bs reset x86_64 fakecc
bs build x86_64
is "$(tr '\n' ' ' <"$TOP/hooks.list")" "9-first 10-second 50-sign " "hooks run in numeric order"
printf 'exit 3\n' >hooks/box.d/20-fail.sh
bs reset x86_64 app
bs build x86_64
is "$RC" 1 "a failing hook fails the build"
like "$ERR" "bootstrap: error: hook $PROJECT/hooks/box.d/20-fail.sh exited with 3" "naming the hook"
rm -r hooks

# Hostile tarballs: refused by entry, nothing written outside work/.
hostile() { # hostile NAME PYTHON-ADDING-ENTRIES: a recipe whose tarball is NAME-1.0.tar.gz
	python3 - "$TOP/sources/$1-1.0.tar.gz" "$1" "$WORLD" <<PY
import io, sys, tarfile
out, name, world = sys.argv[1:]
def add(t, path, data=b"x", **kw):
    info = tarfile.TarInfo(path)
    for k, v in kw.items(): setattr(info, k, v)
    info.size = len(data) if info.type == tarfile.REGTYPE else 0
    t.addfile(info, io.BytesIO(data) if info.type == tarfile.REGTYPE else None)
with tarfile.open(out, "w:gz") as t:
    add(t, name + "-1.0/configure", b"#!/bin/sh\n")
    $2
PY
	printf 'name = %s\nversion = 1.0\nurl = https://fixtures.invalid/%s-1.0.tar.gz\nsha256 = %s\nlicense = MIT\nstage = box\n' \
		"$1" "$1" "$(sha256sum "$TOP/sources/$1-1.0.tar.gz" | cut -c1-64)" >"recipes/$1.recipe"
}
hostile dotdot 'add(t, name + "-1.0/../../../escape-dotdot")'
hostile abs 'add(t, world + "/escape-abs")'
hostile link 'add(t, name + "-1.0/out", type=tarfile.SYMTYPE, linkname=world); add(t, name + "-1.0/out/escape-link")'
for evil in dotdot abs link; do
	bs build x86_64
	is "$RC" 1 "a hostile tarball ($evil) fails the build"
	like "$ERR" "refusing to unpack '$TOP/sources/$evil-1.0.tar.gz': entry '[^']*escape-$evil'" "naming the archive and the entry"
	ok "$([ ! -e "$WORLD/escape-$evil" ] && [ ! -e "$TOP/escape-$evil" ] && [ ! -e "$TOP/work/escape-$evil" ]; echo $?)" "nothing is written outside work/"
	ok "$([ ! -e "$TOP/work/src/$evil-1.0" ]; echo $?)" "and no half-made source tree is left"
	rm "recipes/$evil.recipe"
done
bs build x86_64
is "$RC" 0 "without them the build goes on"

# Several arches in one command: the host stage is built once, and the
# drivers share one jobserver.
for a in x86_64 aarch64 i686; do "$BOOTSTRAP" --top "$TOP" reset "$a" hostlib >/dev/null; done
: >"$TOP/built.list"
bs --jobs 2 build x86_64 aarch64 i686
is "$RC" 0 "build x86_64 aarch64 i686 succeeds"
is "$(sort "$TOP/built.list" | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')" \
   "app=3 fakecc=3 hostlib=1 inplace=3 libfoo=3 " "it builds the host stage once and the rest per arch"
like "$OUT" "i686 +box +app +1\.0 +done" "each line names its arch"
# Two host packages in a row, the first slow, and two jobserver slots: the
# arches that find the host stage taken must not sit on the slots its holder
# needs for the second one (they once did, and all three waited for ever).
cat >recipes/hostlib2.recipe <<'EOF2'
name    = hostlib2
version = 1.0
license = MIT
stage   = host
depends = hostlib
configure:
    echo "$NAME" >>"$TOP/built.list"
build:
    :
install:
    mkdir -p "$PREFIX/share"
    echo 2 >"$PREFIX/share/hostlib2"
EOF2
sed -i 's/^depends *=.*hostlib.*/& hostlib2/' recipes/fakecc.recipe
sed -i 's|^    "$SRC/configure" --prefix="$PREFIX"$|    sleep 1\n&|' recipes/hostlib.recipe
: >"$TOP/built.list"
# The timeouts only catch a deadlock: a fresh-clone make check beside two gcc
# builds once took more than 60 s here.
OUT=$(timeout 600 "$BOOTSTRAP" --top "$TOP" --jobs 2 build x86_64 aarch64 i686 2>&1) && RC=0 || RC=$?
is "$RC" 0 "three arches, a two-package host stage, two slots: no deadlock"
is "$(LC_ALL=C sort "$TOP/built.list" | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')" \
   "app=3 fakecc=3 hostlib=1 hostlib2=1 inplace=3 libfoo=3 " "the host stage once, the rest per arch"
like "$OUT" "waiting for the host stage, which another arch is building" "the others say why they wait"
# An arch that finds the host stage built by another lets its lock go at
# once. Each fakecc waits here until all three arches are past the host
# stage, which an arch still holding the lock would keep one from reaching.
for a in x86_64 aarch64 i686; do "$BOOTSTRAP" --top "$TOP" reset "$a" hostlib >/dev/null; done
sed -i 's|^build:$|&\n    if [ -e "$TOP/barrier" ]; then touch "$TOP/past-$ARCH"; for a in x86_64 aarch64 i686; do while [ ! -e "$TOP/past-$a" ] \&\& [ -e "$TOP/barrier" ]; do sleep 0.05; done; done; fi|' recipes/fakecc.recipe
touch "$TOP/barrier"
OUT=$(timeout 600 "$BOOTSTRAP" --top "$TOP" --jobs 4 build x86_64 aarch64 i686 2>&1) && RC=0 || RC=$?
is "$RC" 0 "the host lock is let go as soon as the host stage is found done"
like "$OUT" "waiting for the host stage" "(an arch did wait for it)"
rm -f "$TOP/barrier" "$TOP"/past-*
# Among the ready packages the scheduler starts the one on the costliest
# chain to the end of the plan; one slot makes the start order visible. In
# plan order the host stage and libfoo would go first.
cat >recipes/bigcross.recipe <<'EOF2'
name    = bigcross
version = 1.0
license = MIT
stage   = cross
cost    = 100
configure:
    echo "$NAME" >>"$TOP/built.list"
build:
    :
install:
    :
EOF2
sed -i 's/^stage *= *box$/&\ncost    = 50/' recipes/inplace.recipe
TOP=$WORLD/top-cost bs --jobs 1 build x86_64
is "$RC" 0 "a build with costs succeeds"
is "$(TOP=$WORLD/top-cost built)" "bigcross hostlib hostlib2 fakecc inplace libfoo app " \
   "the costliest chains start first, plan order among equals"
rm recipes/bigcross.recipe

bs build x86_64 amd64
is "$RC:$ERR" "2:bootstrap: error: arch 'amd64' is given twice
(bootstrap --help lists the commands)" "an arch given twice is refused"

# The shell has exactly the steps' environment, in the build folder.
OUT=$(printf 'echo "$PWD|$SRC|$TARGET|$CC|$SOURCE_DATE_EPOCH"\nexit\n' | env -u SOURCE_DATE_EPOCH "$BOOTSTRAP" --top "$TOP" shell x86_64 app 2>/dev/null | tail -1)
is "$OUT" "$TOP/work/x86_64/build/app|$TOP/work/src/app-1.0|x86_64-linux-musl|x86_64-linux-musl-gcc|0" "shell: build folder and environment, SOURCE_DATE_EPOCH 0 by default"
OUT=$(printf 'echo "$SOURCE_DATE_EPOCH"\nexit\n' | SOURCE_DATE_EPOCH=1700000000 "$BOOTSTRAP" --top "$TOP" shell x86_64 app 2>/dev/null | tail -1)
is "$OUT" "1700000000" "and the caller's when set"
# The user's startup files stay out: they would put their PATH ahead of the
# toolchain and replace the prompt.
mkdir -p "$WORLD/home"
printf 'PATH=/rc-path:$PATH\nPS1=rc-prompt\n' | tee "$WORLD/home/.bashrc" "$WORLD/home/.profile" \
	"$WORLD/home/.bash_profile" "$WORLD/home/envrc" >/dev/null
OUT=$(printf 'echo "$PATH|$PS1|${ENV-unset}"\nexit\n' | HOME=$WORLD/home ENV=$WORLD/home/envrc "$BOOTSTRAP" --top "$TOP" shell x86_64 app 2>/dev/null | tail -1)
like "$OUT" "^$TOP/toolchain/x86_64/bin:" "shell: the toolchain comes first in PATH despite ~/.bashrc"
like "$OUT" "\|\[bootstrap shell\] \\\\w \\\$ \|unset$" "shell: its own prompt, and no ENV"
done_testing
