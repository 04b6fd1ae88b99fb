/* artifact.h: a package's installed files as one tar.zst (libarchive), for
 * the binary cache.
 *
 * The files are the ones its manifest lists (manifest.h), paths relative to
 * the top, so an artifact made in one top unpacks into another at the same
 * relative places (toolchain/x86_64/bin/..., work/host/prefix/lib/...).
 * Entries are in manifest order (sorted), owned by 0:0 without names, with
 * the modification time clamped to epoch: the same files give the same bytes. */
#ifndef ARTIFACT_H
#define ARTIFACT_H

#include <stddef.h>

/* Writes the files the manifest at manifest_path lists below top into out
 * (via a temporary file, renamed into place). -1 after one error. */
int artifact_pack(const char *manifest_path, const char *top, const char *out, long long epoch);

/* Writes every file below dir into out as AS/<path> (the same way: sorted,
 * owners dropped, times clamped): a toolchain tarball, for bootstrap dist. */
int artifact_pack_tree(const char *dir, const char *as, const char *out, long long epoch);

/* Unpacks the artifact at path below top: first, safely, into the empty
 * folder staging (unpack.h: hostile entries are refused), then each entry is
 * moved into place, a folder merged, a file or link replacing what is there.
 * Every entry must lie below one of the roots (relative to top, such as
 * "toolchain/x86_64"): an artifact cannot write elsewhere. staging is removed
 * at the end, whatever happened. -1 after one error. */
int artifact_unpack(const char *path, const char *top, const char *staging,
		    const char *const *roots, size_t nroots);

#endif
