#!/bin/bash
# qemu.sh ARCH KERNEL INITRD [KERNEL-ARGS...]: boots an initrd under
# qemu-system with software emulation (TCG; KVM guests hung on these
# machines), the console on this terminal. `make run` and the e2e boot test
# use it. QEMU_SYSTEM names another qemu-system command than the machine's.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 ARCH KERNEL INITRD [KERNEL-ARGS...]" >&2; exit 2; }
arch=$1 kernel=$2 initrd=$3
shift 3
# The machine, its options and its console, from the arch table.
root=$(cd "$(dirname "$0")/.." && pwd)
archval() { (cd "$root" && ./bootstrap arch "$arch" "$1"); }
system=$(archval qemu) || exit 2
read -r -a machine <<<"$(archval qemu-machine)"
console=$(archval console)
read -r -a args <<<"$(archval kernel-args 2>/dev/null || true)"
# QEMU_SYSTEM: another qemu-system command (tests/e2e/emulator.sh).
read -r -a qemu <<<"${QEMU_SYSTEM:-qemu-system-$system}"
qemu+=(${machine[@]+"${machine[@]}"})
[ -r "$kernel" ] || { echo "qemu.sh: cannot read the kernel '$kernel' (set KERNEL=/path/to/vmlinuz)" >&2; exit 2; }
[ -r "$initrd" ] || { echo "qemu.sh: cannot read the initrd '$initrd' (make $arch builds it)" >&2; exit 2; }
exec "${qemu[@]}" -m 512 -nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
	-append "console=$console panic=-1 ${args[*]+${args[*]} }$*"
