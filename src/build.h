/* build.h: running a plan: unpack, patch, the steps, state and resume. */
#ifndef BUILD_H
#define BUILD_H

#include <stddef.h>

struct arch;
struct cache_config;
struct plan;
struct strbuf;
struct world;

/* The arch's lock (states/.lock-ARCH), refused with the holder's pid when
 * another build or command has it; the fd to close, or -1. build, reset,
 * shell and initrd hold it while they run. */
int build_lock(const struct world *w, const struct arch *a);
int build_run(const struct world *w, const struct plan *plan);
struct sched_lookup;
/* Looks up the plan's packages not done in the caches (a hosted toolchain
 * needs its cross toolchains only to build what they do not give); the
 * number that would be built, -1 on error. What was found, in *looked, is
 * for build_run_with, which takes it (also when it fails), or for
 * build_look_up_free. */
long build_look_up(const struct world *w, const struct plan *plan, struct sched_lookup **looked);
int build_run_with(const struct world *w, const struct plan *plan, struct sched_lookup *looked);
void build_look_up_free(struct sched_lookup *looked);
/* The sources that the plans' packages not yet done need, in one fetch. */
int build_fetch(const struct world *w, const struct plan *plans, size_t n);
int build_status(const struct world *w, const struct plan *plan);
/* The index of the plan's first package not done, -1 when all are, -2 on
 * an error (reported). */
long build_first_not_done(const struct world *w, const struct plan *plan);
/* "libfoo=2.0 gcc=15.3.0": the version choices the plan's packages were
 * built with, where their state has another version than the plan's (one
 * its recipe offers; a follower's named by its leader); "" when none: what
 * build was given and this command was not. Caller frees. */
char *build_other_choices(const struct world *w, const struct plan *plan);
/* 0 when every package of the plan is done, else an error naming the first
 * that is not and the command that builds it, or the version choices it
 * was built with (build_other_choices). */
int build_require_done(const struct world *w, const struct plan *plan);
/* Packs toolchain/<arch> (every package of the crosstool plan done) into
 * output/<triplet>-<gcc_version>.tar.zst, one top folder of that name, and
 * its .sha256 (sha256sum's format). */
int build_dist(const struct world *w, const struct plan *plan, const char *gcc_version);
/* Pushes every done package of the plan that the CACHE_PUSH store lacks and
 * whose key seen does not list yet (adding it: the host stage once for
 * several arches); one line each. */
int build_push(const struct world *w, const struct plan *plan, const struct cache_config *c,
	       struct strbuf *seen);
int build_reset(const struct world *w, const struct plan *plan, const char *pkg);
int build_shell(const struct world *w, const struct plan *plan, const char *pkg);


#endif
