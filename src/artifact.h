/* artifact.h: a package's installed files as one tar.zst (libarchive), for
 * the binary cache.
 *
 * The files are the ones its manifest lists (manifest.h), paths relative to
 * the top, so an artifact made in one top unpacks into another at the same
 * relative places (toolchain/x86_64/bin/..., work/host/prefix/lib/...).
 * Entries are in manifest order (sorted), owned by 0:0 without names, with
 * their modes (setuid, setgid and sticky bits too) and modification times
 * (to the nanosecond, in pax headers) as installed, so that a package from
 * the cache is the package as built: the same files with the same times give
 * the same bytes. */
#ifndef ARTIFACT_H
#define ARTIFACT_H

#include <stddef.h>

struct strv;

/* Writes the files the manifest at manifest_path lists below top into out
 * (via a temporary file, renamed into place), then the extra paths (another
 * package's files the install changed: installed.h), NULL for none. -1 after
 * one error. */
int artifact_pack(const char *manifest_path, const struct strv *extra, const char *top,
		  const char *out);

/* Writes every file below dir into out as AS/<path> (sorted, owners dropped,
 * but times clamped to epoch, in restricted pax): a toolchain tarball, for
 * bootstrap dist, the same bytes for the same files whenever they were made. */
int artifact_pack_tree(const char *dir, const char *as, const char *out, long long epoch);

/* Unpacks the artifact at path below top: first, safely, into the empty
 * folder staging (unpack.h: hostile entries are refused; modes, setuid and
 * setgid bits and times kept), then each entry is moved into place, a folder
 * merged, a file or link replacing what is there; a folder the artifact holds
 * as an entry takes its mode once everything is moved.
 *
 * Every entry must lie strictly inside one of the roots (relative to top,
 * such as "toolchain/x86_64"), or be a root or a folder above one, and then
 * a folder (the same must be true in the top, where such a folder may also
 * be missing): an artifact can neither write elsewhere nor replace a root
 * (every arch's output/) or make it a symlink out of the top. Everything is
 * checked before anything is moved. staging is removed at the end, whatever
 * happened. -1 after one error. */
int artifact_unpack(const char *path, const char *top, const char *staging,
		    const char *const *roots, size_t nroots);

#endif
