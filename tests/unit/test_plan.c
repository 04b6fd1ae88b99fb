/* Plan: order across stages, cycles, arch filtering, goals, exact key changes. */
#include <stdlib.h>
#include <unistd.h>

#include "src/arch.h"
#include "src/file.h"
#include "src/plan.h"
#include "src/recipe.h"
#include "src/world.h"
#include "tap.h"

static char dir[] = "/tmp/test-plan-XXXXXX";
static struct world w;

static void write_recipe_in(const char *sub, const char *name, const char *stage, const char *extra)
{
	char *path = xasprintf("%s/%s/%s.recipe", dir, sub, name);
	char *text = xasprintf("name = %s\nversion = 1\nlicense = MIT\nstage = %s\n%s", name, stage, extra);
	file_write_atomic(path, text, strlen(text));
	free(path);
	free(text);
}

static void write_recipe(const char *name, const char *stage, const char *extra)
{
	write_recipe_in("recipes", name, stage, extra);
}

static void world_setup(void)
{
	if (!mkdtemp(dir))
		exit(99);
	char *rdir = xasprintf("%s/recipes", dir);
	mkdir_p(rdir);
	w.top = w.project = dir;
	w.recipes = rdir;
	write_recipe("h1", "host", "");
	write_recipe("h2", "host", "depends = h1\n");
	write_recipe("c1", "cross", "");
	write_recipe("c2", "cross", "depends = c1 h2\n");
	write_recipe("b1", "box", "depends = b2\n");
	write_recipe("b2", "box", "");
	write_recipe("only-arm", "box", "arch = arm64\n");
}

/* "stage:name ..." of a plan, and its keys. */
static char *plan_string(const char *arch, enum goal goal, char keys[][65])
{
	struct recipe_set set;
	struct plan plan;
	static char out[512];
	out[0] = '\0';
	if (recipe_set_load(&set, w.recipes) < 0)
		return "load failed";
	if (plan_make(&plan, &w, &set, arch_find(arch), goal) < 0) {
		recipe_set_free(&set);
		return "plan failed";
	}
	for (size_t i = 0; i < plan.n; i++) {
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? " " : "",
			 plan.items[i].recipe->name);
		if (keys)
			memcpy(keys[i], plan.items[i].key, 65);
	}
	plan_free(&plan);
	recipe_set_free(&set);
	return out;
}

static void test_order(void)
{
	is_str(plan_string("x86_64", GOAL_ALL, NULL), "h1 h2 c1 c2 b2 b1", "host, cross, box; dependencies first");
	is_str(plan_string("aarch64", GOAL_ALL, NULL), "h1 h2 c1 c2 b2 b1 only-arm", "arch limits packages");
	is_str(plan_string("arm64", GOAL_ALL, NULL), plan_string("aarch64", GOAL_ALL, NULL) ? "h1 h2 c1 c2 b2 b1 only-arm" : "", "aliases give the same plan");
	is_str(plan_string("i686", GOAL_CROSSTOOL, NULL), "h1 h2 c1 c2", "crosstool stops after the cross stage");
}

/* "name:path_cost ..." of the crosstool plan of the recipes in dir/costs. */
static char *path_costs(void)
{
	const char *recipes = w.recipes;
	char *cdir = xasprintf("%s/costs", dir);
	struct recipe_set set;
	struct plan plan;
	static char out[256];
	out[0] = '\0';
	w.recipes = cdir;
	if (recipe_set_load(&set, cdir) == 0) {
		if (plan_make(&plan, &w, &set, arch_find("x86_64"), GOAL_CROSSTOOL) == 0) {
			for (size_t i = 0; i < plan.n; i++)
				snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s:%lu", i ? " " : "",
					 plan.items[i].recipe->name, plan.items[i].path_cost);
			plan_free(&plan);
		}
		recipe_set_free(&set);
	}
	w.recipes = recipes;
	free(cdir);
	return out;
}

static void test_path_costs(void)
{
	char *cdir = xasprintf("%s/costs", dir);
	mkdir_p(cdir);
	write_recipe_in("costs", "h1", "host", "cost = 50\n");
	write_recipe_in("costs", "h2", "host", "cost = 35\ndepends = h1\n");
	write_recipe_in("costs", "c1", "cross", "cost = 120\n");
	write_recipe_in("costs", "c2", "cross", "cost = 640\ndepends = c1 h2\n");
	write_recipe_in("costs", "c3", "cross", "");
	is_str(path_costs(), "h1:725 h2:675 c1:760 c2:640 c3:1",
	       "each item's cost is its own plus its costliest chain of dependents");
	remove_tree(cdir);
	free(cdir);
}

static char errbuf[2048];

static char *plan_error(const char *arch)
{
	struct capture c = capture_begin();
	plan_string(arch, GOAL_ALL, NULL);
	capture_end(&c, errbuf, sizeof errbuf);
	size_t n = strlen(errbuf);
	if (n + 1 < sizeof errbuf)
		strcpy(errbuf + n, "\n");
	return errbuf;
}

/* An arch's own patches (patches/c1-1/aarch64/) change that arch's keys only;
 * x86 holds x86_64's keys before. */
static void test_arch_patches(char x86[8][65])
{
	char arm[8][65], h1[8][65], after[8][65] = { { 0 } };
	plan_string("aarch64", GOAL_ALL, arm);
	char *adir = xasprintf("%s/patches/c1-1/aarch64", dir), *hdir = xasprintf("%s/patches/h1-1/aarch64", dir);
	mkdir_p(adir);
	mkdir_p(hdir);
	char *patch = xasprintf("%s/0002-arm.patch", adir), *hpatch = xasprintf("%s/0001-h.patch", hdir);
	file_write_atomic(patch, "--- b\n", 6);
	file_write_atomic(hpatch, "--- c\n", 6);
	plan_string("x86_64", GOAL_ALL, after);
	ok(!memcmp(x86, after, sizeof after), "an aarch64 patch changes no x86_64 key");
	plan_string("aarch64", GOAL_ALL, h1);
	ok(strcmp(arm[2], h1[2]) && strcmp(arm[3], h1[3]), "it changes aarch64's c1 and what follows");
	ok(!strcmp(arm[0], h1[0]), "but no host package's (the host stage is every arch's)");
	char *bad = xasprintf("%s/patches/c1-1/arm64", dir);
	mkdir_p(bad);
	char *want = xasprintf("bootstrap: error: %s: a folder of patches is named after an arch, by its "
			       "canonical name; 'arm64' is none (valid: %s)\n", bad, arch_valid_names());
	is_str(plan_error("x86_64"), want, "a folder named after no arch (an alias is none) is an error");
	remove_tree(bad);
	remove_tree(adir);
	remove_tree(hdir);
	free(want);
	free(bad);
	free(patch);
	free(hpatch);
	free(adir);
	free(hdir);
}

/* A step of aarch64's own in c1 changes aarch64's keys only; x86 holds
 * x86_64's keys before. */
static void test_arch_steps(char x86[8][65])
{
	char arm[8][65], after[8][65] = { { 0 } }, arm_after[8][65];
	plan_string("aarch64", GOAL_ALL, arm);
	write_recipe("c1", "cross", "build@arm64:\n    make arm\n");
	plan_string("x86_64", GOAL_ALL, after);
	ok(!memcmp(x86, after, sizeof after), "an aarch64 step changes no x86_64 key");
	plan_string("aarch64", GOAL_ALL, arm_after);
	ok(strcmp(arm[2], arm_after[2]) && !strcmp(arm[0], arm_after[0]), "it changes aarch64's c1, no host key");
	write_recipe("c1", "cross", "");
}

static void test_keys(void)
{
	char before[8][65] = { { 0 } }, after[8][65] = { { 0 } };
	plan_string("x86_64", GOAL_ALL, before);
	write_recipe("h1", "host", "cost  =\t500\n");
	plan_string("x86_64", GOAL_ALL, after);
	ok(!memcmp(before, after, sizeof before), "a cost line changes no key (a scheduling hint rebuilds nothing)");
	write_recipe("h1", "host", "license-files = COPYING\n  LICENSES/MIT\n");
	plan_string("x86_64", GOAL_ALL, after);
	ok(!memcmp(before, after, sizeof before), "nor do license-files lines (what bootstrap legal copies)");
	write_recipe("h1", "host", "");
	write_recipe("h2", "host", "depends = h1\n# one more byte\n");
	plan_string("x86_64", GOAL_ALL, after);
	/* h1 h2 c1 c2 b2 b1 */
	ok(!strcmp(before[0], after[0]), "h1 keeps its key");
	ok(strcmp(before[1], after[1]), "the changed h2 gets a new key");
	ok(!strcmp(before[2], after[2]), "c1 keeps its key");
	ok(strcmp(before[3], after[3]), "c2, which depends on h2, gets a new key");
	ok(strcmp(before[4], after[4]) && strcmp(before[5], after[5]), "box packages, which depend on the toolchain, too");
	char x86[8][65], arm[8][65];
	plan_string("x86_64", GOAL_ALL, x86);
	plan_string("aarch64", GOAL_ALL, arm);
	ok(!strcmp(x86[0], arm[0]) && !strcmp(x86[1], arm[1]), "host keys are the same for every arch");
	ok(strcmp(x86[2], arm[2]), "cross keys differ per arch");
	char *pdir = xasprintf("%s/patches/c1-1", dir);
	mkdir_p(pdir);
	char *patch = xasprintf("%s/0001-fix.patch", pdir);
	file_write_atomic(patch, "--- a\n", 6);
	char patched[8][65] = { { 0 } };
	plan_string("x86_64", GOAL_ALL, patched);
	ok(strcmp(x86[2], patched[2]) && !strcmp(x86[1], patched[1]), "an added patch changes its package's key only (and dependents')");
	ok(strcmp(x86[3], patched[3]), "c2 follows c1");
	free(patch);
	free(pdir);
	test_arch_patches(patched);
	test_arch_steps(patched);
}

/* SOURCE_DATE_EPOCH, which every step gets, is in every key when it is not
 * 0; unset, empty, 0 and 00 give the keys that were made before it counted. */
static void test_epoch_keys(void)
{
	char unset[8][65] = { { 0 } }, same[8][65] = { { 0 } }, dated[8][65] = { { 0 } };
	unsetenv("SOURCE_DATE_EPOCH");
	plan_string("x86_64", GOAL_ALL, unset);
	const char *zeros[] = { "0", "", "00" };
	for (size_t i = 0; i < 3; i++) {
		setenv("SOURCE_DATE_EPOCH", zeros[i], 1);
		memset(same, 0, sizeof same);
		plan_string("x86_64", GOAL_ALL, same);
		ok(!memcmp(unset, same, sizeof same), "SOURCE_DATE_EPOCH='%s' gives the keys unset gives",
		   zeros[i]);
	}
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	plan_string("x86_64", GOAL_ALL, dated);
	int changed = 0;
	for (size_t i = 0; i < 6; i++)
		changed += *unset[i] && strcmp(unset[i], dated[i]) != 0;
	is_int(changed, 6, "SOURCE_DATE_EPOCH=1700000000 changes every key, host packages' too");
	setenv("SOURCE_DATE_EPOCH", "soon", 1);
	is_str(plan_error("x86_64"),
	       "bootstrap: error: SOURCE_DATE_EPOCH 'soon' is not a number of seconds since 1970 "
	       "(0-4294967295)\n", "a bad SOURCE_DATE_EPOCH is refused");
	unsetenv("SOURCE_DATE_EPOCH");
}

static void test_errors(void)
{
	write_recipe("c1", "cross", "depends = c2\n");
	is_str(plan_error("x86_64"), "bootstrap: error: dependency cycle: c1 -> c2 -> c1\n", "a cycle is printed");
	write_recipe("c1", "cross", "depends = b2\n");
	char *want = xasprintf("bootstrap: error: %s/recipes/c1.recipe:5: cross package 'c1' cannot depend on box package 'b2'\n", dir);
	is_str(plan_error("x86_64"), want, "a dependency on a later stage is refused");
	free(want);
	write_recipe("c1", "cross", "depends = nothere\n");
	want = xasprintf("bootstrap: error: %s/recipes/c1.recipe:5: unknown package 'nothere' in depends\n", dir);
	is_str(plan_error("x86_64"), want, "an unknown dependency names the recipe and line");
	free(want);
	write_recipe("c1", "cross", "depends = c1\n");
	is_str(plan_error("x86_64"), "bootstrap: error: dependency cycle: c1 -> c1\n", "a self-dependency is a cycle");
}

static void test_overlay_search(void)
{
	char *site = xasprintf("%s/site", dir), *path = xasprintf("%s/site/h1.recipe", dir);
	mkdir_p(site);
	const char *text = "overlay = yes\nversion = 2\n";
	file_write_atomic(path, text, strlen(text));
	char *search = xasprintf("%s:%s", site, w.recipes);
	struct recipe_set set;
	ok(recipe_set_load(&set, search) == 0, "a search path with an overlay loads");
	const struct recipe *r = recipe_set_find(&set, "h1");
	is_str(r ? r->version : NULL, "2", "the overlay changes the recipe further down the path");
	is_str(r ? r->license : NULL, "MIT", "and keeps the rest of it");
	recipe_set_free(&set);
	unlink(path);
	free(site);
	free(path);
	free(search);
}

int main(void)
{
	if (arch_load("config/arches") < 0)
		return 1;
	world_setup();
	test_overlay_search();
	test_order();
	test_path_costs();
	test_keys();
	test_epoch_keys();
	test_errors();
	remove_tree(dir);
	return tap_done();
}
