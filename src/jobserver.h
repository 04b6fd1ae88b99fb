/* jobserver.h: one GNU make jobserver shared by every package building at
 * once, so JOBS bounds the whole machine's load, not each package's.
 *
 * The pipe holds JOBS-1 tokens; the driver's own slot runs the first
 * package, and each further package running at the same time holds a token.
 * Steps see it through MAKEFLAGS, so a step's plain `make` (no -j, which
 * would reset the jobserver) takes part in the same pool. */
#ifndef JOBSERVER_H
#define JOBSERVER_H

#include <stdbool.h>
#include <stddef.h>

struct jobserver {
	int rfd, wfd;  /* the pipe, inherited by the steps */
	int poll_fd;   /* a non-blocking view of rfd for the driver; -1 */
	int jobs;
	bool shared;   /* several drivers use it: every package needs a token */
};

/* The variable through which a multi-arch build hands its jobserver to the
 * driver of each arch: "R,W,JOBS". */
#define JOBSERVER_ENV "BOOTSTRAP_JOBSERVER"

/* tokens: jobs - 1 for one driver (its own slot is the first), jobs when
 * several drivers share the pipe and none has a slot of its own. */
int jobserver_open(struct jobserver *js, int jobs);
int jobserver_open_shared(struct jobserver *js, int jobs);
/* The jobserver named by JOBSERVER_ENV, if any: 1 attached, 0 none, -1 bad. */
int jobserver_attach(struct jobserver *js);
void jobserver_close(struct jobserver *js);
/* " -j<jobs> --jobserver-auth=R,W" for MAKEFLAGS. */
void jobserver_makeflags(const struct jobserver *js, char *buf, size_t size);
/* Takes a token without blocking. */
bool jobserver_try_take(struct jobserver *js);
void jobserver_give_back(struct jobserver *js);
/* Waits up to ms for a token to be available (not taken). */
void jobserver_wait(const struct jobserver *js, int ms);

#endif
