#!/bin/bash
# run.sh ARCH [GOAL]: the offline end-to-end suite (make e2e DEST=ARCH).
# Provisions a local mirror from Debian source packages, builds with
# the shipped recipes and the overlay for Debian's repacks, runs the toolchain
# sanity suite under qemu-user and, for GOAL all (the default), boots the
# initrd under qemu-system with a Debian kernel (unless the arch file has a
# no-boot line saying why not); writes the SBOM (validated when make
# test-deps installed the CycloneDX library) and the legal folder. Fails,
# after all of that, when a file of the toolchain names the top
# (no-top-path.sh).
#   E2E_DIR   where the mirror and kernels go (default: work/e2e under TOP)
#   TOP       the run-time root of the build (default: the checkout)
#   VERSIONS  the versions chosen, as the driver takes them: "gcc=15.3.0 musl=1.2.5"
#   E2E_HOST  (make HOST=) a hosted toolchain for ARCH whose programs run on
#             E2E_HOST (crosstool only): hosted.sh checks they are static and
#             for that arch, and the sanity suite runs them in a root with
#             nothing but the toolchain (no glibc).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ARCH=${1:?usage: run.sh ARCH [crosstool|all]}
GOAL=${2:-all}
TOP=${TOP:-$ROOT}
E2E_DIR=${E2E_DIR:-$TOP/work/e2e}
cd "$ROOT"
make -s bootstrap
mkdir -p "$E2E_DIR"
say() { printf '\n=== %s\n' "$*"; }

say "provisioning the mirror in $E2E_DIR/mirror"
tests/e2e/provision-mirror.sh "$E2E_DIR/mirror"

say "building $ARCH ($GOAL) from the mirror"
start=$(date +%s)
# The build and its status both read the overlay (status without it would
# call the overlaid packages stale).
export RECIPES=tests/e2e/overlay:recipes MIRROR=file://$E2E_DIR/mirror
read -r -a versions <<<"${VERSIONS:-}"
canon=$(./bootstrap arch "$ARCH" name)
tcname=$canon
if [ -n "${E2E_HOST:-}" ]; then
	GOAL=crosstool
	host=$(./bootstrap arch "$E2E_HOST" name)
	tcname=$host-hosted-$canon
	versions+=(--host "$host")
	# The toolchain's programs run in a root without glibc (sanity.sh).
	export BARE_ROOT=yes
fi
./bootstrap --top "$TOP" ${JOBS:+--jobs "$JOBS"} build "$ARCH" --goal "$GOAL" ${versions[@]+"${versions[@]}"}
echo "build: $(($(date +%s) - start)) s"
# Every package done after the build: one that a later install broke (its
# files removed) would be rebuilt by every run.
status=$(./bootstrap --top "$TOP" status "$ARCH" ${GOAL:+--goal "$GOAL"} ${versions[@]+"${versions[@]}"})
echo "$status"
tail -1 <<<"$status" | grep -Eq '^([0-9]+)/\1 done$' ||
	{ echo "e2e: not every package is done after the build (status above)" >&2; exit 1; }

if [ -n "${E2E_HOST:-}" ]; then
	say "the hosted toolchain's programs: static, for $host"
	prove -v tests/e2e/hosted.sh :: "$host" "$TOP/toolchain/$tcname"
fi

# Checked now, failed at the end: the runs after it still tell what works.
say "no path of the top inside the toolchain"
named_top=
tests/e2e/no-top-path.sh "$TOP" "$TOP/toolchain/$tcname" || named_top=yes
finish() {
	[ -z "$named_top" ] || { echo "e2e: files in toolchain/$tcname name the top (listed above)" >&2; exit 1; }
	exit 0
}

say "toolchain sanity under qemu-user"
prove -v tests/e2e/sanity.sh :: "$canon" "$TOP/toolchain/$tcname"

say "the toolchain tarball (bootstrap dist), unpacked elsewhere"
./bootstrap --top "$TOP" dist "$ARCH" ${versions[@]+"${versions[@]}"}
tarball=$(ls -t "$TOP/output/$(./bootstrap arch "$ARCH" triplet)"-*.tar.zst | head -1)
unpacked=$(mktemp -d "${TMPDIR:-/tmp}/dist.XXXXXX")
zstd -dc "$tarball" | tar -C "$unpacked" -x
(cd "$(dirname "$tarball")" && sha256sum -c "$(basename "$tarball").sha256")
prove -v tests/e2e/sanity.sh :: "$canon" "$unpacked/$(basename "$tarball" .tar.zst)"
rm -rf "$unpacked"

say "the SBOM (bootstrap sbom) and the legal folder (bootstrap legal)"
./bootstrap --top "$TOP" sbom "$ARCH" ${versions[@]+"${versions[@]}"}
if [ -d build/npm/node_modules/@cyclonedx/cyclonedx-library ]; then
	node tests/lib/cdx-validate.cjs "$TOP/output/$tcname/sbom/"*.cdx.json
fi
./bootstrap --top "$TOP" legal "$ARCH" ${versions[@]+"${versions[@]}"}
[ "$GOAL" = all ] || finish
if noboot=$(./bootstrap arch "$ARCH" no-boot 2>/dev/null); then
	say "not booting $canon: $noboot (config/arches/$canon.arch)"
	finish
fi

say "booting the initrd under qemu-system"
kernel=$(tests/e2e/kernel.sh "$canon" "$E2E_DIR/kernels")
QEMU_SYSTEM=$(tests/e2e/emulator.sh "$canon" "$E2E_DIR/emulators")
export QEMU_SYSTEM
initrd=$(ls "$TOP/output/$canon"/initrd.cpio* | grep -v sha256 | head -1)
prove -v tests/e2e/boot.sh :: "$canon" "$kernel" "$initrd"
finish
