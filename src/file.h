/* file.h: reading files and replacing them atomically.
 *
 * Every replace in the project goes through file_write_atomic(): a temp file
 * in the same folder, fsync, rename, fsync of the folder, so a crash leaves
 * either the old or the new content, never a mix. */
#ifndef FILE_H
#define FILE_H

#include <stdbool.h>
#include <stddef.h>
#include "strbuf.h"

int file_read(const char *path, struct strbuf *out);
/* Like file_read, but reports nothing: -1 with errno set. */
int file_read_quiet(const char *path, struct strbuf *out);
int file_write_atomic(const char *path, const void *data, size_t len);
/* Rename tmp into place durably (fsync of tmp's data is the caller's job). */
int file_commit(const char *tmp, const char *path);
int fsync_parent(const char *path);
int mkdir_p(const char *path);
int remove_tree(const char *path);   /* like rm -rf; a missing path is fine */
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
