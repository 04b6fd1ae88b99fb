/* file.h: reading files and replacing them atomically.
 *
 * Every replace in the project goes through file_write_atomic(): a temp file
 * in the same folder, fsync, rename, fsync of the folder, so a crash leaves
 * either the old or the new content, never a mix.
 *
 * Every file the driver creates or writes inside the top is opened with
 * file_open() (or is file_create_temp()'s temp): never through a symlink,
 * and only a regular file with one link, so that a planted link cannot make
 * a run as root truncate or write any other file. Reads take regular files
 * only, up to a size, so that a FIFO or a link to /dev/zero cannot hang a
 * run or fill its memory. */
#ifndef FILE_H
#define FILE_H

#include <stdbool.h>
#include <stddef.h>
#include "strbuf.h"

#include <sys/types.h>

/* The most file_read and file_read_quiet take, against a runaway file. */
#define FILE_READ_MAX ((size_t)256 << 20)

/* A regular file (symlinks followed), whole; a larger one than max is an
 * error naming it and max. */
int file_read_max(const char *path, size_t max, struct strbuf *out);
int file_read(const char *path, struct strbuf *out);
/* Like file_read, but reports nothing: -1 with errno set (EINVAL: not a
 * regular file, EFBIG: too large). */
int file_read_quiet(const char *path, struct strbuf *out);
int file_read_quiet_max(const char *path, size_t max, struct strbuf *out);
/* open(2) for a file the driver writes: flags O_RDWR or O_WRONLY, with any
 * of O_CREAT, O_TRUNC, O_APPEND, O_EXCL. Refuses a symlink (ELOOP), what is
 * not a regular file (EINVAL) and a file with other hard links (EMLINK),
 * truncating nothing it refuses. file_open reports the error, naming path. */
int file_open(const char *path, int flags, mode_t mode);
int file_open_quiet(const char *path, int flags, mode_t mode);
/* strerror, in words for file_open's and file_read's own errnos. */
const char *file_strerror(int err);
/* Creates path's temp file "<path>.tmp.<pid>" with O_EXCL (a file of that
 * name is removed first: a planted link is never followed) and removes the
 * temps of path's folder whose writers died (killed in an atomic write).
 * Returns the fd, the temp's name in *tmp (caller frees), or -1. */
int file_create_temp(const char *path, char **tmp);
/* Removes the files of dir named prefix...".tmp.<pid>" whose process is
 * gone. A top shared by hosts or pid namespaces is not supported: another
 * machine's live pid may be gone here. */
void file_remove_stale_temps(const char *dir, const char *prefix);
int file_write_atomic(const char *path, const void *data, size_t len);
/* Copies the regular file from (symlinks followed) to to, atomically; a
 * FIFO or device is refused, never waited on or read. file_copy_max also
 * refuses a file of more than max bytes (and stops one growing past it). */
int file_copy(const char *from, const char *to);
int file_copy_max(const char *from, const char *to, unsigned long long max);
/* Rename tmp into place durably (fsync of tmp's data is the caller's job). */
int file_commit(const char *tmp, const char *path);
int fsync_parent(const char *path);
int mkdir_p(const char *path);
/* Like rm -rf, at any depth (deeper than PATH_MAX too); a missing path is
 * fine. */
int remove_tree(const char *path);
bool path_exists(const char *path);
/* Whether command (a name looked up on PATH, or a path) can be run. */
bool program_on_path(const char *command);
bool is_dir(const char *path);
bool is_file(const char *path); /* a regular file, symlinks followed */
/* Whether rel is a non-empty relative path with no ".." component, so it
 * cannot lead out of the folder it is taken from. */
bool path_is_inside(const char *rel);
/* Sorted names in dir that end with suffix (NULL: every name but . and ..). */
int dir_list(const char *dir, const char *suffix, char ***names, size_t *n);
void names_free(char **names, size_t n);

#endif
