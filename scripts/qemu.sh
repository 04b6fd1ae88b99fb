#!/bin/bash
# qemu.sh ARCH KERNEL INITRD [KERNEL-ARGS...]: boots an initrd under
# qemu-system with software emulation (TCG; KVM guests hung on these
# machines), the console on this terminal. `make run` and the e2e boot test
# use it.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 ARCH KERNEL INITRD [KERNEL-ARGS...]" >&2; exit 2; }
arch=$1 kernel=$2 initrd=$3
shift 3
case $arch in
x86_64 | amd64) qemu=(qemu-system-x86_64) console=ttyS0 ;;
aarch64 | arm64) qemu=(qemu-system-aarch64 -M virt -cpu cortex-a57) console=ttyAMA0 ;;
i686 | i386 | x86) qemu=(qemu-system-i386) console=ttyS0 ;;
*) echo "qemu.sh: unknown arch '$arch' (valid: x86_64 amd64 aarch64 arm64 i686 i386 x86)" >&2; exit 2 ;;
esac
[ -r "$kernel" ] || { echo "qemu.sh: cannot read the kernel '$kernel' (set KERNEL=/path/to/vmlinuz)" >&2; exit 2; }
[ -r "$initrd" ] || { echo "qemu.sh: cannot read the initrd '$initrd' (make $arch builds it)" >&2; exit 2; }
exec "${qemu[@]}" -m 512 -nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
	-append "console=$console panic=-1 $*"
