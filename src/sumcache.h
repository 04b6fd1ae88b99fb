/* sumcache.h: remembers which files of sources/ were verified, so a rerun
 * with everything present reads no file at all.
 *
 * An entry is the sha256 of a file together with its size, inode, device,
 * mtime and ctime (to the nanosecond). The entry vouches for the file only
 * while all of these are unchanged: rewriting a file in place changes its
 * ctime even when its mtime is put back, and a new file has a new inode.
 * The cache lives in one small text file, replaced atomically. */
#ifndef SUMCACHE_H
#define SUMCACHE_H

#include <stdbool.h>
#include <sys/stat.h>

struct sumcache;

/* A missing or unreadable cache file gives an empty cache, never an error. */
struct sumcache *sumcache_load(const char *path);
/* True when name's entry matches st and records sum. */
bool sumcache_check(const struct sumcache *c, const char *name, const struct stat *st,
		    const char *sum);
void sumcache_put(struct sumcache *c, const char *name, const struct stat *st, const char *sum);
void sumcache_forget(struct sumcache *c, const char *name);
/* Writes the cache back (atomically) when it changed. */
int sumcache_save(struct sumcache *c);
void sumcache_free(struct sumcache *c);

#endif
