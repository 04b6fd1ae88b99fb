/* manifest.h: the paths a package's install step created, so that rebuilding
 * the package first removes what its last build left. Without it a dropped
 * program, a renamed header or an old version's folder would stay in the
 * toolchain or the boxroot, and a rebuilt tree would differ from a clean one.
 *
 * The install roots of a stage (stepenv_install_roots) are walked before and
 * after the install step, under a lock per arch (states/.install-<arch>, or
 * -host) so that two packages installing at once are not mixed up. The paths
 * that are new afterwards are the package's: one per line, relative to the
 * top, sorted, in states/files/<arch|host>/<name>. Paths another package
 * created and this one only rewrote stay the other's (gcc-libs reinstalls
 * gcc's driver; removing it when gcc-libs alone is rebuilt would break the
 * toolchain).
 *
 * The snapshot before the install step is kept on disk while the step runs
 * (<manifest>.installing), so that a build killed inside the step loses no
 * path: the next install of the same group ends the record first, before
 * anything else installs, and what is new since is the killed attempt's. */
#ifndef MANIFEST_H
#define MANIFEST_H

#include <stddef.h>

struct strbuf;

struct manifest_snapshot {
	char **paths; /* absolute, sorted */
	size_t n, cap;
};

#define MANIFEST_SNAPSHOT_INIT { NULL, 0, 0 }

/* Every path below the roots (symlinks not followed), roots themselves
 * excluded; a missing root is empty. */
int manifest_snapshot_take(const char *const *roots, size_t nroots, struct manifest_snapshot *s);
void manifest_snapshot_free(struct manifest_snapshot *s);

/* Writes (atomically) the paths in after but not in before, relative to top,
 * to the manifest at path; no new path: the manifest is removed. */
int manifest_write_created(const char *path, const char *top,
			   const struct manifest_snapshot *before,
			   const struct manifest_snapshot *after);

#define MANIFEST_PENDING_SUFFIX ".installing"

/* Before an install step: snapshots the roots (below top) and records them
 * and the snapshot in pending (<manifest>.installing), atomically. */
int manifest_install_begin(const char *pending, const char *top, const char *const *roots,
			   size_t nroots);
/* After it, or after a kill inside it: writes the manifest at path with the
 * paths below the recorded roots that the record does not list (as
 * manifest_write_created), then removes pending. */
int manifest_install_end(const char *pending, const char *path, const char *top);
/* Ends every record in dir (an install group's manifests) left by a killed
 * install. Call with the group's install lock held, before installing. */
int manifest_recover(const char *dir, const char *top);

/* Removes the paths the manifest at path lists below top: files and links
 * first, then folders that are left empty; then the manifest itself. No
 * manifest: nothing to do. A line that is absolute or climbs out with ".."
 * is an error naming the manifest and line, and nothing is removed. */
int manifest_remove_listed(const char *path, const char *top);

/* The first path the manifest at path lists that is gone from below top
 * (removed by hand), copied into missing; NULL when all are there or there is
 * no manifest to check by. A package whose installed files are gone is not
 * done, whatever its state line says. */
const char *manifest_first_missing(const char *path, const char *top, struct strbuf *missing);

#endif
