#include "hooks.h"

#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "file.h"
#include "run.h"
#include "stepenv.h"
#include "strv.h"
#include "util.h"
#include "world.h"

static int compare_numeric(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	unsigned long na = strtoul(a, NULL, 10), nb = strtoul(b, NULL, 10);
	if (na != nb)
		return na < nb ? -1 : 1;
	return strcmp(a, b);
}

static int run_hook(const struct world *w, const struct arch *a, enum stage stage, const char *path)
{
	/* A stand-in recipe gives hooks the stage's environment. */
	struct recipe r = { .name = "hook", .version = "0", .stage = stage };
	struct strv env = STRV_INIT;
	stepenv_make(w, a, &r, w->project, &env);
	const char *argv[] = { "/bin/sh", "-eu", path, NULL };
	struct run run = RUN_INIT;
	run.argv = argv;
	run.env = (const char *const *)env.items;
	run.cwd = w->project;
	char *what = xasprintf("hook %s", path);
	printf("hook   %s\n", path);
	int ret = run_command(&run, what);
	free(what);
	strv_free(&env);
	return ret;
}

int hooks_run(const struct world *w, const struct arch *a, enum stage stage)
{
	char *dir = project_path(w, "hooks/%s.d", stage_name(stage));
	char **names;
	size_t n;
	int ret = 0;
	if (is_dir(dir) && (ret = dir_list(dir, ".sh", &names, &n)) == 0) {
		qsort(names, n, sizeof *names, compare_numeric);
		for (size_t i = 0; ret == 0 && i < n; i++) {
			char *path = xasprintf("%s/%s", dir, names[i]);
			ret = run_hook(w, a, stage, path);
			free(path);
		}
		names_free(names, n);
	}
	free(dir);
	return ret;
}
