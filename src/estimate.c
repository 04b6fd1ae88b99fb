#include "estimate.h"

#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "plan.h"
#include "recipe.h"
#include "session.h"
#include "state.h"
#include "util.h"
#include "world.h"

void estimate_init(struct estimate *e, size_t n)
{
	*e = (struct estimate){ .n = n };
	e->expect = xcalloc(n ? n : 1, sizeof *e->expect);
	e->by_cost = xcalloc(n ? n : 1, sizeof *e->by_cost);
}

void estimate_set(struct estimate *e, size_t i, double measured, unsigned cost)
{
	e->by_cost[i] = measured <= 0;
	e->expect[i] = e->by_cost[i] ? (double)cost : measured;
}

/* The seconds another arch's last build of r took, or 0: a first build of
 * an arch estimates from its siblings rather than from the recipe's cost. */
static double seconds_elsewhere(const struct session *s, const struct recipe *r, char **names,
				size_t n)
{
	double found = 0;
	for (size_t k = 0; !found && k < n; k++) {
		char *prefix = xasprintf("%s-", stage_name(r->stage));
		if (str_starts_with(names[k], prefix) && !strchr(names[k], '.')) {
			struct state other;
			char *path = world_path(s->w, "states/%s", names[k]);
			if (state_load(&other, path) == 0 && state_find(&other, r->name))
				found = state_find(&other, r->name)->seconds;
			state_free(&other);
			free(path);
		}
		free(prefix);
	}
	return found;
}

void estimate_load(struct estimate *e, const struct session *s)
{
	char *dir = world_path(s->w, "states");
	char **names = NULL;
	size_t n = 0;
	if (dir_list(dir, NULL, &names, &n) < 0)
		n = 0;
	estimate_init(e, s->plan->n);
	for (size_t i = 0; i < s->plan->n; i++) {
		const struct state_entry *last = session_entry(s, i);
		const struct recipe *r = s->plan->items[i].recipe;
		estimate_set(e, i, last && last->seconds > 0 ? last->seconds
					 : seconds_elsewhere(s, r, names, n), r->cost);
	}
	if (names)
		names_free(names, n);
	free(dir);
}

void estimate_started(struct estimate *e, double now)
{
	if (e->first_start == 0)
		e->first_start = now;
}

void estimate_built(struct estimate *e, size_t i, double took, double now)
{
	e->seconds_all += took;
	e->last_end = now;
	if (e->by_cost[i]) {
		e->cost_built += e->expect[i];
		e->seconds_built += took;
	}
}

/* Seconds per unit of cost on this machine, for one package alone. */
static double cost_scale(const struct estimate *e)
{
	double wall = e->last_end - e->first_start;
	double together = wall > 0 && e->seconds_all > wall ? e->seconds_all / wall : 1;
	return e->seconds_built / e->cost_built / together;
}

double estimate_expected(const struct estimate *e, size_t i)
{
	if (e->by_cost[i] && e->cost_built > 0)
		return e->expect[i] * cost_scale(e);
	return e->expect[i];
}

void estimate_free(struct estimate *e)
{
	free(e->expect);
	free(e->by_cost);
	*e = (struct estimate){ 0 };
}
