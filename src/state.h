/* state.h: what is done, and the lock a build holds.
 *
 * states/host, states/cross-<arch>, states/box-<arch>: one line per done
 * package, "name version key seconds parts [cache]" (the tool this grew from
 * wrote the first three; parts tell status why a package is stale; "cache":
 * it was taken from a binary cache, not built here). states/await-<arch>:
 * the package the last build stopped at, empty after a success. Every write is atomic (file_write_atomic). */
#ifndef STATE_H
#define STATE_H

#include <stdbool.h>
#include <stddef.h>

struct state_entry {
	char *name, *version, *key;
	double seconds;
	char *parts; /* the key's parts (plan_item.parts) when it was built; "" */
	bool from_cache;
};

#define STATE_FROM_CACHE "cache"

struct state {
	char *path;
	struct state_entry *items;
	size_t n, cap;
};

/* A missing file is an empty state; a malformed line is an error naming it. */
int state_load(struct state *s, const char *path);
void state_free(struct state *s);
const struct state_entry *state_find(const struct state *s, const char *name);
/* Records name as done with key, replacing its old line; writes the file. */
int state_mark_done(struct state *s, const char *name, const char *version, const char *key,
		    double seconds, const char *parts, bool from_cache);
/* Forgets name (no error if absent); writes the file. */
int state_forget(struct state *s, const char *name);

/* name NULL: empty. failed: the package failed, rather than being
 * interrupted or still building (a second line, "failed"). */
int state_await_write(const char *path, const char *name, bool failed);
/* The awaited package, or NULL; caller frees. */
char *state_await_read(const char *path, bool *failed);

enum { LOCK_NOWAIT, LOCK_WAIT, LOCK_WAIT_QUIETLY, LOCK_TRY };
/* flock(path). wait: LOCK_WAIT blocks (saying who holds it) instead of
 * failing; LOCK_WAIT_QUIETLY blocks without a word (short waits); LOCK_TRY
 * fails without a word, errno EWOULDBLOCK, when another holds it. On
 * failure the error names the pid in the lock file. Returns the fd to keep
 * open for as long as the lock is wanted, or -1. */
int state_lock(const char *path, const char *what, int wait);
/* The pid of the process holding the lock at path, or 0 when none does. */
long state_lock_holder(const char *path);

#endif
