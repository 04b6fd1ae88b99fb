#include "patch.h"

#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "recipe.h"
#include "util.h"

static void add(char ***paths, size_t *n, size_t *cap, char *path)
{
	xgrow(paths, cap, *n + 1, sizeof **paths);
	(*paths)[(*n)++] = path;
}

int patch_list(const char *patches_dir, const struct recipe *r, char ***paths, size_t *n)
{
	size_t cap = 0;
	*paths = NULL;
	*n = 0;
	char *single = xasprintf("%s/%s-%s.patch", patches_dir, r->name, r->version);
	if (path_exists(single))
		add(paths, n, &cap, single);
	else
		free(single);
	char *dir = xasprintf("%s/%s-%s", patches_dir, r->name, r->version);
	int ret = 0;
	if (is_dir(dir)) {
		char **names;
		size_t count;
		ret = dir_list(dir, ".patch", &names, &count);
		for (size_t i = 0; ret == 0 && i < count; i++)
			add(paths, n, &cap, xasprintf("%s/%s", dir, names[i]));
		if (ret == 0)
			names_free(names, count);
	}
	free(dir);
	return ret;
}
