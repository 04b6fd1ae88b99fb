/* archdrivers.h: several arches built side by side (bootstrap build A B ...).
 * Each arch gets a driver process of its own; they share one jobserver of
 * JOBS slots (jobserver.h), so the machine's load stays JOBS however many
 * arches build, and the host stage's lock (build.h) lets one of them build
 * it while the others wait. On a terminal their output goes through
 * multiview.h, one live line per arch. */
#ifndef ARCHDRIVERS_H
#define ARCHDRIVERS_H

#include <stddef.h>

#include "arch.h"
#include "world.h"

/* What a driver does for its arch, in the child: its exit code. */
typedef int (*arch_driver_fn)(const struct world *w, const struct arch *a, const void *ctx);

/* Runs drive for each of the n arches in a child of its own and waits for
 * them all; a signal caught meanwhile goes on to every child. 0 when every
 * driver passed, 1 when any failed (each failure said), -1 when the
 * jobserver could not be made. */
int archdrivers_run(const struct world *w, const struct arch **arches, size_t n,
		    arch_driver_fn drive, const void *ctx);

#endif
