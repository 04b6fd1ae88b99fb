#!/bin/bash
# boot.sh ARCH KERNEL INITRD: boots the initrd under qemu-system (TCG) with
# bootstrap.selftest, within 180 s, and checks what the self-test printed:
# the marker, busybox's applet count and curl's features. Prints TAP.
. "$(dirname "$0")/../lib/tap.sh"
[ $# -eq 3 ] || { echo "usage: $0 ARCH KERNEL INITRD" >&2; exit 2; }
system=qemu-system-$(cd "$ROOT" && "$BOOTSTRAP" arch "$1" qemu) || exit 2
read -r -a qemu <<<"${QEMU_SYSTEM:-$system}"
command -v "${qemu[0]}" >/dev/null || skip_all "${qemu[0]} is missing (make deps-e2e installs it)"
log=$WORLD/console.log
start=$(date +%s)
timeout 180 "$ROOT/scripts/qemu.sh" "$1" "$2" "$3" bootstrap.selftest quiet </dev/null >"$log" 2>&1
rc=$?
took=$(($(date +%s) - start))
echo "# booted and powered off in ${took} s (qemu exit $rc)"
ok "$([ "$rc" -ne 124 ]; echo $?)" "$1: qemu ends by itself within 180 s"
marker=$(grep -a 'BOOTSTRAP-SELFTEST-DONE' "$log" | tr -d '\r')
like "$marker" "BOOTSTRAP-SELFTEST-DONE applets=[0-9]+" "$1: init ran the self-test"
applets=${marker##*applets=}
ok "$([ "${applets:-0}" -ge 100 ]; echo $?)" "$1: busybox has ${applets:-0} applets (>= 100)"
curl=$(grep -a 'selftest: curl' "$log" | tr -d '\r')
like "$curl" "mbedTLS" "$1: curl --version lists mbedTLS"
like "$curl" "zlib" "$1: curl --version lists zlib"
[ "$TAP_FAILED" -eq 0 ] || { echo "# console:"; sed 's/^/#   /' "$log" | tail -40; }
done_testing
