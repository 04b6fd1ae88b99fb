/* sched.h: the scheduler. Packages whose dependencies are done start as soon
 * as the jobserver has a slot, the one on the costliest chain first; each
 * builds in a worker process, and only the driver writes state files. What it
 * prints is buildview.h's; SIGINT, SIGTERM and SIGHUP stop every worker
 * (signals.h) and leave await naming where to resume. */
#ifndef SCHED_H
#define SCHED_H

#include <stddef.h>

struct session;
struct sched_lookup;

/* Builds what is not done, then runs the hooks that are due. The packages
 * not done are looked up in the caches first, unless s->looked holds what
 * sched_look_up found (taken). */
int sched_build(struct session *s);
/* Looks up the packages not done in the caches, for a build to come (as
 * s->looked); *to_build: how many it would build (neither done nor in a
 * cache). */
struct sched_lookup *sched_look_up(struct session *s, size_t *to_build);
void sched_lookup_free(struct sched_lookup *l); /* NULL: nothing */

#endif
