/* stepenv.h: the folders of a package's build and the environment its steps
 * run with. Every step, hook and `bootstrap shell` gets exactly this.
 *
 *   NAME VERSION STAGE  the package
 *   SRC                 its pristine, patched source tree (BUILD if intree)
 *   BUILD               its build folder, empty when the build starts
 *   JOBS                make -j
 *   ARCH TARGET KARCH   x86_64, x86_64-linux-musl, x86 (the kernel's ARCH)
 *   TOP                 the run-time root
 *   HOSTPREFIX          $TOP/work/host/prefix: host-stage installs, shared
 *   TOOLCHAIN           $TOP/toolchain/$ARCH (hosted: toolchain/HOST-hosted-$ARCH)
 *   PREFIX              host: $HOSTPREFIX, cross: $TOOLCHAIN, box: /usr
 *   SYSROOT BOXROOT     $TOP/output/$ARCH/sysroot, $TOP/output/$ARCH/boxroot
 *   CONFIG              the project's config/ folder
 *   PATH                $TOOLCHAIN/bin:$HOSTPREFIX/bin first
 *   CONFIGURE_HOST      empty; for a hosted toolchain (hosted.h) the
 *                       configure arguments for its programs: --host=... CC=...
 *   HOST_TRIPLET        a hosted toolchain's host triplet
 *   box stage: CC CXX AR RANLIB STRIP set to the cross tools
 * A hosted toolchain's steps see ARCH as its target, HOSTPREFIX as
 * work/host-HOST/prefix and, first in PATH, the cross toolchains for its
 * target and its host. 
 * plus HOME, LANG=C, LC_ALL=C, TZ=UTC and SOURCE_DATE_EPOCH (the caller's in
 * plain digits, else 0, so that tools that stamp dates stamp the same one
 * every build; a value other than 0 is in every key: epoch.h). */
#ifndef STEPENV_H
#define STEPENV_H

#include "recipe.h"
#include "strv.h"

struct arch;
struct world;

/* "host" (or a hosted toolchain's "host-HOST") for the host stage, else the
 * arch's name: the folder and state group of a stage's packages. */
const char *stepenv_group(const struct arch *a, enum stage stage);
/* work/host or work/<arch>: where a package's build and log folders live. */
char *stepenv_work_dir(const struct world *w, const struct arch *a, enum stage stage);
char *stepenv_build_dir(const struct world *w, const struct arch *a, const struct recipe *r);
char *stepenv_log_path(const struct world *w, const struct arch *a, const struct recipe *r);
/* The folders a stage's install steps write into (host: the host prefix;
 * cross: toolchain/<arch>; box: output/<arch>/sysroot and boxroot). Returns
 * how many it stored in roots (at most 2); the caller frees them. */
size_t stepenv_install_roots(const struct world *w, const struct arch *a, enum stage stage,
			     char *roots[2]);
/* src: the tree the steps see as SRC. */
void stepenv_make(const struct world *w, const struct arch *a, const struct recipe *r,
		  const char *src, struct strv *env);

#endif
