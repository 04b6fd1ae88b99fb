/* unpack.h: extracting a source archive safely, with libarchive.
 *
 * Formats: tar (ustar, pax, GNU), plain or compressed with gzip, bzip2, xz,
 * zstd or any other filter libarchive has. Only regular files, folders,
 * symlinks and hard links are extracted. */
#ifndef UNPACK_H
#define UNPACK_H

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
 * symlinks) are a second line of defence. Permissions and modification times
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

#endif
