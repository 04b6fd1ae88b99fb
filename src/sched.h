/* sched.h: the scheduler. Packages whose dependencies are done start as soon
 * as the jobserver has a slot, the one on the costliest chain first; each
 * builds in a worker process, and only the driver writes state files. What it
 * prints is buildview.h's; SIGINT, SIGTERM and SIGHUP stop every worker
 * (signals.h) and leave await naming where to resume. */
#ifndef SCHED_H
#define SCHED_H

struct session;

/* Builds what is not done, then runs the hooks that are due. */
int sched_build(struct session *s);

#endif
