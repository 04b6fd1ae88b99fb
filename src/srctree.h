/* srctree.h: a package's pristine source tree, work/src/<name>-<version>:
 * unpacked, patched and prepared once per source key (the source's sum, the
 * patches' bytes and the prepare step), shared by every arch, never built in;
 * a package with patches of an arch's own (patch.h) has that arch's tree,
 * work/src/<arch>/<name>-<version>.
 * A tree whose key changed, or that a killed run left half made, is made
 * again from the tarball. */
#ifndef SRCTREE_H
#define SRCTREE_H

struct arch;
struct recipe;
struct world;

/* Makes sure the tree exists and is current; *path gets its folder (caller
 * frees). Unpack, patch and prepare output goes to log_fd. */
int srctree_ensure(const struct world *w, const struct arch *a, const struct recipe *r, int log_fd,
		   char **path);

#endif
