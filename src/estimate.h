/* estimate.h: how long each package of a build is expected to take, for the
 * "about 25m left" of the live line.
 *
 * A package's expected time is its last build's on this arch, else its last
 * build's on another arch, else its recipe's cost. A cost is a guess made
 * on another machine: as packages are built by cost in this run, the costs
 * of the rest are scaled by how this machine compares. Packages built side
 * by side each take longer than they would alone, so the times measured are
 * first divided by how many packages ran at once on average. */
#ifndef ESTIMATE_H
#define ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>

struct session;

struct estimate {
	size_t n;
	double *expect; /* seconds, or the recipe's cost where by_cost */
	bool *by_cost;
	double cost_built, seconds_built; /* packages built by cost in this run */
	double first_start, last_end, seconds_all; /* every package built in this run */
};

void estimate_init(struct estimate *e, size_t n);
/* Package i took `measured` seconds last time, or was never built (0). */
void estimate_set(struct estimate *e, size_t i, double measured, unsigned cost);
/* estimate_init and estimate_set for every package of s's plan. */
void estimate_load(struct estimate *e, const struct session *s);
void estimate_started(struct estimate *e, double now);
/* Package i was built in this run (not taken from a cache) in `took` s. */
void estimate_built(struct estimate *e, size_t i, double took, double now);
double estimate_expected(const struct estimate *e, size_t i);
void estimate_free(struct estimate *e);

#endif
