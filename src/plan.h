/* plan.h: what to build for an arch, in which order, and each package's input
 * key.
 *
 * Order: host, then cross, then box; within that, dependencies first, then
 * by name, so the same recipes always give the same plan. Every box package
 * depends on every cross package (the toolchain), so a changed compiler
 * rebuilds the userland. Of the packages ready at once, a build starts the
 * one with the highest path_cost.
 *
 * Key: SHA-256 over the recipe's bytes less its cost lines (as built in its
 * chosen version), its patches' bytes, the files named by its `inputs`, its
 * source sum, its arch (host packages: "host", as they are shared by every
 * arch), for host and cross packages the build machine (plan_host_identity),
 * its dependencies' keys and SOURCE_DATE_EPOCH when it is not 0 (epoch.h:
 * every step gets it). A package is done only when its state line carries
 * its current key. */
#ifndef PLAN_H
#define PLAN_H

#include <stddef.h>
#include <stdio.h>

#include "digest.h"

struct arch;
struct recipe;
struct recipe_set;
struct world;

enum goal { GOAL_CROSSTOOL, GOAL_ALL };

#define PLAN_PART_LEN 12

struct plan_item {
	const struct recipe *recipe;
	char key[DIGEST_HEX_LEN + 1];
	/* What the key is made of, apart: "RECIPE.PATCHES.SOURCE", each the
	 * first PLAN_PART_LEN hex digits of a digest of the recipe's bytes (less
	 * cost lines), of its patches and inputs, and of its source sum. */
	char parts[3 * (PLAN_PART_LEN + 1)];
	size_t *deps; /* indices into plan.items of direct dependencies */
	size_t ndeps;
	/* The recipes' cost summed along the costliest chain from this item to
	 * the plan's end: the scheduler starts the highest first. */
	unsigned long path_cost;
};

struct plan {
	const struct arch *arch;
	enum goal goal;
	/* A hosted toolchain's (hosted.h): the keys of the cross toolchains for
	 * its host and its target, which build it; part of every key. */
	char *built_with;
	long long epoch; /* SOURCE_DATE_EPOCH, in every key when not 0 */
	struct plan_item *items;
	size_t n;
};

int plan_make(struct plan *plan, const struct world *w, const struct recipe_set *set,
	      const struct arch *arch, enum goal goal);
void plan_free(struct plan *plan);
/* Index of the package in the plan, or -1. */
long plan_find(const struct plan *plan, const char *name);
/* Marks in want[] (plan->n entries) the item and everything that depends on it. */
void plan_mark_dependents(const struct plan *plan, size_t item, unsigned char *want);
/* The build machine as the keys see it: "ARCH\nLIBC\nCC --version's first line\n". */
const char *plan_host_identity(void);
/* Graphviz DOT of the plan's packages and their declared dependencies. */
void plan_write_dot(const struct plan *plan, FILE *out);
int goal_parse(const char *s, enum goal *goal);

#endif
