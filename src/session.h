/* session.h: one arch's build as build.c and sched.c share it: the plan, the
 * states, the locks, and what a worker runs for one package. Internal to
 * those two; the commands' interface is build.h. */
#ifndef SESSION_H
#define SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "recipe.h"
#include "state.h"

struct arch;
struct jobserver;
struct plan;
struct world;

struct session {
	const struct world *w;
	const struct plan *plan;
	const struct arch *arch;
	struct state states[STAGE_COUNT];
	char *await_path;
	int arch_lock;		     /* held for the whole build; -1 */
	int host_lock;		     /* held while host packages are built; -1 */
	struct jobserver *jobserver; /* while building */
	int step_fd; /* in a worker: where it says which step it is in; -1 */
	struct sched_lookup *looked; /* the caches, looked up before the build (sched.h); NULL */
};

const struct state_entry *session_entry(const struct session *s, size_t i);
/* The state line carries the current key and the installed files are there. */
bool session_is_done(const struct session *s, size_t i);
void session_print_log_tail(const char *log);
/* The host stage's lock: 1 held, 0 another arch holds it, -1 error. */
int session_try_host_lock(struct session *s);
int session_open_log(const char *path);
/* A worker's whole job: unpack, patch, the steps, the install. */
int session_run_steps(const struct session *s, const struct recipe *r, int log_fd);
struct cache_hit;
struct cache_config;
/* Or instead: item i's artifact from a cache (h, or the same key in a later
 * store of c when h's fails), downloaded, then installed as an install step
 * would be (the manifest records it; a kill midway leaves the package not
 * done and its paths listed for removal). What went wrong goes to the log and
 * one warning line: the caller then builds the package. */
int session_substitute(const struct session *s, const struct cache_config *c, size_t i,
		       struct cache_hit *h, int log_fd);
/* states/files/<arch|host>/<name>; caller frees. */
char *session_manifest_path(const struct session *s, const struct recipe *r);

#endif
