/* The recipe search path: every folder's recipes, the first folder that has
 * a package winning, overlays laid over the next folder's recipe (recipe.h
 * documents the interface). */
#include "recipe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "file.h"
#include "strbuf.h"
#include "util.h"

static int compare_recipes(const void *a, const void *b)
{
	return strcmp((*(struct recipe *const *)a)->name, (*(struct recipe *const *)b)->name);
}

/* A line "overlay = yes" at the start of a line, before parsing. */
static bool says_overlay(const char *text)
{
	for (const char *l = text; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		size_t n = strcspn(l, "\n");
		char *line = xstrndup(l, n), word[16], value[16];
		int got = sscanf(line, "overlay = %15s %15s", value, word);
		bool yes = str_starts_with(line, "overlay") && got >= 1 && !strcmp(value, "yes");
		free(line);
		if (yes)
			return true;
	}
	return false;
}

struct search {
	char **dirs;
	size_t n;
	const struct strlist *choices;
};

/* Parses an overlay over the first later folder's recipe of its name. */
static int parse_over_base(struct recipe_set *set, const struct search *sp, size_t idx,
			   const char *fname, const char *path, const struct strbuf *text, struct recipe *r)
{
	for (size_t j = idx + 1; j < sp->n; j++) {
		char *base = xasprintf("%s/%s", sp->dirs[j], fname);
		struct strbuf btext = STRBUF_INIT;
		if (path_exists(base)) {
			int ret = file_read_max(base, RECIPE_MAX, &btext) < 0 ? -1
				: recipe_parse_overlay(set->arena, base, btext.data, btext.len, path,
						       text->data, text->len, sp->choices, r);
			strbuf_release(&btext);
			free(base);
			return ret;
		}
		strbuf_release(&btext);
		free(base);
	}
	return recipe_parse_chosen(set->arena, path, text->data, text->len, sp->choices, r);
}

static int load_file(struct recipe_set *set, const struct search *sp, size_t idx, const char *fname,
		     size_t *cap)
{
	size_t base = strlen(fname) - strlen(".recipe");
	for (size_t i = 0; i < set->n; i++)
		if (strlen(set->items[i]->name) == base && !memcmp(set->items[i]->name, fname, base))
			return 0; /* an earlier folder of the search path has it */
	char *path = xasprintf("%s/%s", sp->dirs[idx], fname);
	struct strbuf text = STRBUF_INIT;
	struct recipe *r = arena_alloc(set->arena, sizeof *r);
	int ret = file_read_max(path, RECIPE_MAX, &text);
	if (ret == 0 && says_overlay(text.data))
		ret = parse_over_base(set, sp, idx, fname, path, &text, r);
	else if (ret == 0)
		ret = recipe_parse_chosen(set->arena, path, text.data, text.len, sp->choices, r);
	strbuf_release(&text);
	free(path);
	if (ret < 0)
		return -1;
	xgrow(&set->items, cap, set->n + 1, sizeof *set->items);
	set->items[set->n++] = r;
	return 0;
}

static int load_dir(struct recipe_set *set, const struct search *sp, size_t idx, size_t *cap)
{
	const char *dir = sp->dirs[idx];
	char **names;
	size_t n;
	if (!is_dir(dir)) {
		errno = path_exists(dir) ? ENOTDIR : ENOENT;
		return error_errno("cannot read recipe directory '%s'", dir);
	}
	if (dir_list(dir, ".recipe", &names, &n) < 0)
		return -1;
	int ret = 0;
	for (size_t i = 0; i < n; i++)
		if (load_file(set, sp, idx, names[i], cap) < 0)
			ret = -1;
	names_free(names, n);
	return ret;
}

static int check_depends(const struct recipe_set *set)
{
	int ret = 0;
	for (size_t i = 0; i < set->n; i++) {
		const struct recipe *r = set->items[i];
		for (size_t j = 0; j < r->depends.n; j++)
			if (!recipe_set_find(set, r->depends.items[j]))
				ret = error("%s:%d: unknown package '%s' in depends", r->path,
					    r->depends_line, r->depends.items[j]);
		bool listed = false;
		for (size_t j = 0; r->continues && j < r->depends.n; j++)
			listed = listed || !strcmp(r->depends.items[j], r->continues);
		if (r->continues && !listed)
			ret = error("%s:%d: continues '%s', which its depends does not list", r->path,
				    r->continues_line, r->continues);
	}
	return ret;
}

static bool same_versions(const struct recipe *a, const struct recipe *b)
{
	if (a->versions.n != b->versions.n)
		return false;
	for (size_t i = 0; i < a->versions.n; i++)
		if (strcmp(a->versions.items[i], b->versions.items[i]))
			return false;
	return true;
}

static void join_versions(const struct recipe *r, struct strbuf *out)
{
	for (size_t i = 0; i < r->versions.n; i++)
		strbuf_addf(out, "%s%s%s", i ? ", " : "", r->versions.items[i],
			    i ? "" : " (the default)");
}

/* A follower takes its leader's chosen version, so it offers the same ones. */
static int check_followers(const struct recipe_set *set)
{
	int ret = 0;
	for (size_t i = 0; i < set->n; i++) {
		const struct recipe *r = set->items[i];
		const struct recipe *lead = r->follows ? recipe_set_find(set, r->follows) : NULL;
		if (!r->follows)
			continue;
		if (!lead || lead == r || lead->follows) {
			ret = error("%s: follows '%s', which is %s", r->path, r->follows,
				    !lead ? "no known package" : lead == r ? "itself"
				    : "a follower too (follow its leader)");
		} else if (!same_versions(r, lead)) {
			struct strbuf want = STRBUF_INIT;
			join_versions(lead, &want);
			ret = error("%s: follows %s, so it must offer %s's versions in the same order: %s",
				    r->path, lead->name, lead->name, want.data);
			strbuf_release(&want);
		}
	}
	return ret;
}

/* PKG=VERSION: a package that offers VERSION and follows no other. */
static int check_choice(const struct recipe_set *set, const struct strlist *choices, size_t i)
{
	const char *c = choices->items[i], *eq = strchr(c, '=');
	size_t n = eq ? (size_t)(eq - c) : strlen(c);
	for (size_t j = 0; j < i; j++)
		if (!strncmp(choices->items[j], c, n) && choices->items[j][n] == '=')
			return error("%s: %.*s's version is chosen twice (also %s)", c, (int)n, c,
				     choices->items[j]);
	const struct recipe *r = NULL;
	for (size_t j = 0; j < set->n; j++)
		if (strlen(set->items[j]->name) == n && !strncmp(set->items[j]->name, c, n))
			r = set->items[j];
	if (!r)
		return error("%s: no package '%.*s' (bootstrap list shows them)", c, (int)n, c);
	if (r->follows)
		return error("%s: %s follows %s's version: choose %s=VERSION", c, r->name, r->follows,
			     r->follows);
	for (size_t j = 0; j < r->versions.n; j++)
		if (!strcmp(r->versions.items[j], eq + 1))
			return 0;
	struct strbuf offered = STRBUF_INIT;
	join_versions(r, &offered);
	error("%s: %s offers %s (%s)", c, r->name, offered.data, r->path);
	strbuf_release(&offered);
	return -1;
}

int recipe_set_load(struct recipe_set *set, const char *search_path)
{
	return recipe_set_load_chosen(set, search_path, NULL);
}

int recipe_set_load_chosen(struct recipe_set *set, const char *search_path,
			   const struct strlist *choices)
{
	set->arena = arena_new();
	set->items = NULL;
	set->n = 0;
	size_t cap = 0, dcap = 0;
	struct search sp = { NULL, 0, choices };
	char *copy = xstrdup(search_path), *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		xgrow(&sp.dirs, &dcap, sp.n + 1, sizeof *sp.dirs);
		sp.dirs[sp.n++] = dir;
	}
	int ret = 0;
	for (size_t i = 0; i < sp.n; i++)
		if (load_dir(set, &sp, i, &cap) < 0)
			ret = -1;
	free(sp.dirs);
	free(copy);
	if (ret == 0 && set->n)
		qsort(set->items, set->n, sizeof *set->items, compare_recipes);
	if (ret == 0)
		ret = check_depends(set);
	if (ret == 0)
		ret = check_followers(set);
	for (size_t i = 0; ret == 0 && choices && i < choices->n; i++)
		ret = check_choice(set, choices, i);
	if (ret < 0)
		recipe_set_free(set);
	return ret;
}

void recipe_set_free(struct recipe_set *set)
{
	arena_free(set->arena);
	free(set->items);
	set->arena = NULL;
	set->items = NULL;
	set->n = 0;
}

const struct recipe *recipe_set_find(const struct recipe_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->items[i]->name, name))
			return set->items[i];
	return NULL;
}
