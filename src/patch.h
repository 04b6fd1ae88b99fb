/* patch.h: a package's patches: patches/<name>-<version>.patch (the original
 * tool's layout) and then patches/<name>-<version>/<*.patch> in name order. */
#ifndef PATCH_H
#define PATCH_H

#include <stddef.h>

struct digest;
struct recipe;

/* Absolute paths, in the order they apply; caller frees with names_free(). */
int patch_list(const char *patches_dir, const struct recipe *r, char ***paths, size_t *n);
/* Feeds each patch's name and bytes, in order, into d (for input keys). */
int patch_digest(struct digest *d, const char *patches_dir, const struct recipe *r);
/* Applies them to the tree at src with patch -p1; the log gets patch's output.
 * A patch that fails is named, with patch's output, in the error. */
int patch_apply_all(const char *patches_dir, const struct recipe *r, const char *src, int log_fd);

#endif
