/* buildview.h: what a build prints while it runs, so that a person can
 * follow it for an hour, on a terminal and in a log.
 *
 * Every package gets a permanent line when it starts and one when it ends
 * ("done in 9m52s", or "failed in configure after 3s"). On a terminal, one
 * live line below them shows the arch, n/N packages done, each running
 * package with its step and elapsed time, and an estimate of the time left,
 * redrawn at most twice a second and cut to the terminal's width. Without a
 * terminal there is no live line; a heartbeat line with the same content is
 * printed every HEARTBEAT seconds instead (default 120), so that a log, or a
 * CI system that kills silent jobs, sees the build is alive.
 *
 * In relay mode (a driver among several, `build ARCH ARCH...`) the live line
 * goes to stdout as one line starting with BUILDVIEW_RELAY, which the parent
 * driver (multiview.h) draws with the other arches' lines. */
#ifndef BUILDVIEW_H
#define BUILDVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define BUILDVIEW_RELAY "\001live "

struct recipe;

struct view_job {
	const char *name;
	char step[16]; /* the step it is in, "" before the first */
	double start;
};

struct buildview {
	const char *arch;
	bool live;  /* a terminal: draw the live line */
	bool relay; /* send the live line to a parent driver */
	bool drawn; /* the live line is on the screen */
	size_t done, total;
	double last_draw, last_beat, heartbeat;
};

/* The duration as 0.4s, 52s, 9m52s or 1h05m. */
void format_duration(double seconds, char *buf, size_t size);

/* Relay mode for every view this process makes from now on. */
void buildview_set_relay(bool relay);
/* heartbeat: seconds between heartbeat lines in logs. */
void buildview_init(struct buildview *v, const char *arch, size_t done, size_t total,
		    double heartbeat);
void buildview_started(struct buildview *v, const struct recipe *r);
/* what: "done in", "from the cache in" (both count as done), or "failed
 * in STEP after". */
void buildview_ended(struct buildview *v, const struct recipe *r, const char *what, double took);
/* A permanent line; the live line is drawn again below it at the next tick. */
void buildview_line(struct buildview *v, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* The running packages; eta: seconds left, negative when unknown. */
void buildview_tick(struct buildview *v, const struct view_job *jobs, size_t n, double eta);
/* Takes the live line off the screen. */
void buildview_clear(struct buildview *v);

#endif
