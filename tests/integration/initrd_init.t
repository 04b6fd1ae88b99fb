#!/bin/bash
# config/init, the initrd's process 1, run on the host with its commands
# replaced by shell functions that print what they were asked to do: the
# mounts, the banner, the self-test's marker and power-off, the shell. The
# boot under qemu (tests/e2e) runs it for real.
. "$(dirname "$0")/../lib/tap.sh"
INIT=$ROOT/config/init

has() { # has GOT TEXT DESCRIPTION: TEXT (maybe several lines) is in GOT
	[[ $1 == *"$2"* ]]
	ok $? "$3"
}
lacks() { # lacks GOT TEXT DESCRIPTION
	[[ $1 != *"$2"* ]]
	ok $? "$3"
}

ok "$([ -x "$INIT" ]; echo $?)" "config/init is executable"
head=$(head -n 1 "$INIT")
is "$head" "#!/bin/sh" "it is a /bin/sh script (busybox's ash in the image)"

cat >"$WORLD/stubs.sh" <<'STUBS'
mkdir() { echo "mkdir $*"; }
mount() { # fails for the folder in $FAIL_MOUNT
	echo "mount $*"
	for last; do :; done
	[ "$last" != "$FAIL_MOUNT" ]
}
uname() { echo "Linux 6.1.0-test x86_64"; }
cat() {
	case $1 in
	/proc/cmdline) echo "$CMDLINE" ;;
	/etc/build-id) [ -n "$BUILD_ID" ] && echo "$BUILD_ID" ;;
	*) command cat "$@" ;;
	esac
}
busybox() { [ "$1" = --list ] && printf 'sh\nls\ncat\nmount\n'; }
curl() {
	echo "curl 8.14.1 (x86_64-pc-linux-musl) libcurl/8.14.1 mbedTLS/3.6.4 zlib/1.3.1"
	echo "Release-Date: 2025-06-04"
	echo "Protocols: file http https"
	echo "Features: alt-svc HTTPS-proxy IPv6 Largefile libz SSL threadsafe"
}
poweroff() { echo "poweroff $*"; }
sleep() { echo "sleep $*"; exit 0; } # the first turn of a loop ends the run
setsid() { echo "setsid $*"; }
cttyhack() { :; }
STUBS

# run_init SHELL CMDLINE: sources the stubs, then config/init; 5 s at most.
run_init() {
	# shellcheck disable=SC2086 # "busybox sh" is two words
	OUT=$(CMDLINE=$2 timeout 5 $1 -c ". '$WORLD/stubs.sh'; . '$INIT'" 2>&1) && RC=0 || RC=$?
}

MOUNTS="mkdir -p /proc
mount -t proc proc /proc
mkdir -p /sys
mount -t sysfs sysfs /sys
mkdir -p /dev
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts
mount -t devpts -o gid=5,mode=0620,ptmxmode=0666 devpts /dev/pts
mkdir -p /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /dev/shm"

shells=(sh)
command -v busybox >/dev/null 2>&1 && shells+=("busybox sh")
for sh in "${shells[@]}"; do
	export BUILD_ID="busybox 1.37.0 4f2a
curl 8.14.1 9b1c" FAIL_MOUNT=
	run_init "$sh" "console=ttyS0 quiet bootstrap.selftest"
	is "$RC" 0 "$sh: the self-test ran to its loop"
	is "$(printf '%s\n' "$OUT" | head -n 10)" "$MOUNTS" \
		"$sh: proc, sysfs, devtmpfs, then devpts and a tmpfs on /dev/shm, folders made first"
	has "$OUT" $'\nbootstrap initrd: Linux 6.1.0-test x86_64\nbuild-id:\nbusybox 1.37.0 4f2a\ncurl 8.14.1 9b1c\n' \
		"$sh: the banner, with /etc/build-id"
	like "$OUT" 'selftest: curl 8.14.1 .*mbedTLS.*zlib' "$sh: curl's first line"
	tail3=$(printf '%s\n' "$OUT" | tail -n 3)
	is "$tail3" $'BOOTSTRAP-SELFTEST-DONE applets=4\npoweroff -f\nsleep 1' \
		"$sh: the marker with the applet count, poweroff -f, then it keeps looping"
	lacks "$OUT" "starting a shell" "$sh: no shell in self-test mode"

	export BUILD_ID="" FAIL_MOUNT=/dev/pts
	run_init "$sh" "console=ttyS0 bootstrap.selftestx"
	has "$OUT" $'devpts /dev/pts\ninit: cannot mount devpts on /dev/pts\nmkdir -p /dev/shm\nmount -t tmpfs' \
		"$sh: a failed mount is reported, and the next one still runs"
	has "$OUT" $'build-id:\n(no /etc/build-id)\n' "$sh: a missing /etc/build-id is said"
	has "$OUT" $'init: starting a shell; it restarts when it exits\nsetsid cttyhack sh -l\nsleep 1' \
		"$sh: without bootstrap.selftest, a shell on the console, restarted when it exits"
	lacks "$OUT" "BOOTSTRAP-SELFTEST-DONE" "$sh: and no self-test"
done
done_testing
