/* hosted.h: toolchains whose programs run on another arch than the build
 * machine (`--host ARCH`, make HOST=ARCH; README.md, "Hosted toolchains").
 *
 * HOST=x86_64 DEST=aarch64 is a toolchain for aarch64 whose gcc, as and ld
 * are x86_64 programs linked statically with our x86_64 musl, so it runs on
 * any x86_64 Linux; HOST=aarch64 DEST=aarch64 is a native compiler for
 * aarch64 machines (a Canadian cross when HOST and DEST differ). It is
 * planned and built as an arch of its own, named HOST-hosted-DEST, with
 * DEST's arch file: the same recipes, in toolchain/HOST-hosted-DEST, with
 * work/HOST-hosted-DEST and its own state files. Its host stage (gmp, mpfr,
 * mpc, isl, built for HOST) goes to work/host-HOST, shared by every
 * toolchain hosted on HOST. The steps get CONFIGURE_HOST (--host and the
 * HOST toolchain as CC and CXX, statically linked) and find the build
 * machine's cross tools for HOST and DEST first in PATH: both cross
 * toolchains are built first, unless the binary caches give every package
 * of it not done (build_look_up, build.h): then nothing is built. */
#ifndef HOSTED_H
#define HOSTED_H

struct arch;

/* The hosted toolchain of host for target (made once, kept till exit). */
const struct arch *hosted_arch(const struct arch *host, const struct arch *target);

#endif
