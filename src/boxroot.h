/* boxroot.h: from output/<arch>/boxroot to the initrd. Writes /etc/build-id
 * (the key of every box package inside), packs the boxroot with config/rootfs
 * over it and config/init as /init, and skips the pack when nothing that goes
 * into the image changed since the last one (a fingerprint of every path's
 * type, mode, size, mtime and link target, and the pack options). A hand edit
 * of the boxroot therefore repacks on the next build, without compiling. */
#ifndef BOXROOT_H
#define BOXROOT_H

#include <stdbool.h>

struct plan;
struct world;

/* force (the initrd command): pack even when the fingerprint matches, and
 * refuse a missing boxroot; a build (force false) makes it, empty, when its
 * box packages installed nothing there. A plan without box packages packs
 * nothing: a build says so and succeeds, the initrd command fails. */
int boxroot_pack(const struct world *w, const struct plan *plan, bool force);

#endif
