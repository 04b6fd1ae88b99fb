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
						       text->data, text->len, r);
			strbuf_release(&btext);
			free(base);
			return ret;
		}
		strbuf_release(&btext);
		free(base);
	}
	return recipe_parse(set->arena, path, text->data, text->len, r);
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
		ret = recipe_parse(set->arena, path, text.data, text.len, r);
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
	}
	return ret;
}

int recipe_set_load(struct recipe_set *set, const char *search_path)
{
	set->arena = arena_new();
	set->items = NULL;
	set->n = 0;
	size_t cap = 0, dcap = 0;
	struct search sp = { NULL, 0 };
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
