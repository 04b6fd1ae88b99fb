/* progress.h: what a fetch prints while it runs.
 *
 * On a terminal: one live block at the bottom, a bar per active transfer and
 * a total line (bytes, rate, ETA), redrawn at most 10 times a second, with
 * permanent lines (a file done, a retry, a failure) scrolling above it.
 * Elsewhere (logs, CI): only the permanent lines, one per event, no escape
 * codes. All of it goes to stdout; errors stay on stderr. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct progress;

struct progress_bar {
	const char *name;
	long long have;  /* bytes of the file on disk so far */
	long long total; /* expected size, -1 when unknown */
	long long base;  /* bytes present when this transfer started */
	double start;    /* now_seconds() when it started */
	bool active;
};

struct progress *progress_new(bool live);
/* One that prints nothing (the binary cache's lookups and downloads). */
struct progress *progress_new_silent(void);
/* A bar shows from progress_bar_start() to progress_bar_stop(). */
void progress_bar_start(struct progress *pg, struct progress_bar *bar, const char *name,
			long long have);
void progress_bar_stop(struct progress *pg, struct progress_bar *bar);
/* Counts bytes this run received, for the total line. */
void progress_add_bytes(struct progress *pg, long long n);
void progress_set_files(struct progress *pg, size_t done, size_t total);
/* A permanent line; on a terminal it replaces the live block, which the next
 * progress_tick() draws again below it. */
void progress_line(struct progress *pg, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* Redraws the live block if the last redraw is 0.1 s old. */
void progress_tick(struct progress *pg);
/* Removes the live block; the permanent lines stay. */
void progress_free(struct progress *pg);

#endif
