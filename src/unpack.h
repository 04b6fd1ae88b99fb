/* unpack.h: extracting a source archive safely, with libarchive.
 *
 * Formats: tar (ustar, pax, GNU), plain or compressed with gzip, bzip2, xz,
 * zstd or any other filter libarchive has. Only regular files, folders,
 * symlinks and hard links are extracted. */
#ifndef UNPACK_H
#define UNPACK_H

#include <stdbool.h>

struct strv;

/* Extracts the archive at path into dest, which is created and must not exist
 * or be empty.
 *
 * top: the archive's top folder (a recipe's `dir`, default name-version), or
 * NULL. When given, every entry must lie under top (an optional "./" prefix
 * aside) and top is stripped, so top/configure lands in dest/configure; an
 * entry elsewhere is an error naming top. NULL extracts the names as they are.
 *
 * Hostile entries are refused, each with an error naming the archive and the
 * entry: a ".." component, an absolute path, a path (or a hard link target)
 * that goes through a symlink made by an earlier entry, a symlink replacing an
 * earlier entry, a hard link target outside dest, devices, fifos and sockets.
 * libarchive's secure flags (no "..", no absolute paths, no writes through
 * symlinks) are a second line of defence. Permissions (less the setuid and
 * setgid bits: a source tree needs no such program) and modification times
 * are restored, owners are not.
 *
 * On any failure, dest is removed so nothing half-extracted remains, and -1 is
 * returned after one error message. Returns 0 on success.
 *
 * The working folder is dest while the entries are written (libarchive's
 * secure flags refuse absolute names, so entries are written relative to it),
 * and is restored before return: do not call while other threads rely on
 * relative paths. Decompression runs in a second thread, joined before return. */
int unpack_archive(const char *path, const char *dest, const char *top);

/* The same, with more to say than top. */
struct unpack_opts {
	const char *top; /* as unpack_archive's */
	/* Keep the setuid and setgid bits too (the files belong to whoever
	 * unpacks): for our own artifacts (artifact.h), never for sources. */
	bool keep_setid;
	/* When not NULL, gets the name (relative to dest) of every folder the
	 * archive holds as an entry of its own, in archive order: the folders
	 * made only to hold an entry are not named. */
	struct strv *dirs;
	/* An archive of no entries is fine: an artifact of a package whose
	 * install created nothing (a source must hold something). */
	bool empty_ok;
};

#define UNPACK_OPTS_INIT { NULL, false, NULL, false }

int unpack_archive_opts(const char *path, const char *dest, const struct unpack_opts *o);

#endif
