/* patch.h: a package's patches: patches/<name>-<version>.patch (the original
 * tool's layout), then patches/<name>-<version>/<*.patch> in name order, then,
 * for a package built for an arch (not the host stage), that arch's own:
 * patches/<name>-<version>/<arch>/<*.patch>, arch being the canonical name of
 * the arch the package's code is for (a hosted toolchain's target). A patch
 * that only one arch needs (gcc's ARM link spec) thus changes only that
 * arch's keys. Any other subfolder there is an error. */
#ifndef PATCH_H
#define PATCH_H

#include <stddef.h>

struct arch;
struct digest;
struct recipe;

/* Absolute paths, in the order they apply to r built for a (NULL: the common
 * ones only); caller frees with names_free(). */
int patch_list(const char *patches_dir, const struct recipe *r, const struct arch *a,
	       char ***paths, size_t *n);
/* The arch whose own patches a build of r for a takes, NULL when it has
 * none; its source tree is then that arch's (srctree.h). */
const char *patch_own_arch(const char *patches_dir, const struct recipe *r, const struct arch *a);
/* Feeds each patch's name and bytes, in order, into d (for input keys). */
int patch_digest(struct digest *d, const char *patches_dir, const struct recipe *r,
		 const struct arch *a);
/* Applies them to the tree at src with patch -p1; the log gets patch's output.
 * A patch that fails is named, with patch's output, in the error. */
int patch_apply_all(const char *patches_dir, const struct recipe *r, const struct arch *a,
		    const char *src, int log_fd);

#endif
