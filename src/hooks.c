#include "hooks.h"

#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "arch.h"
#include "digest.h"
#include "file.h"
#include "strbuf.h"
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

/* The stage's hooks in order, or none (n 0, no error) without hooks/STAGE.d. */
static int list_hooks(const char *dir, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	if (!is_dir(dir))
		return 0;
	if (dir_list(dir, ".sh", names, n) < 0)
		return -1;
	qsort(*names, *n, sizeof **names, compare_numeric);
	return 0;
}

/* SHA-256 over the hooks' names and bytes: a stamp holding it says these
 * very hooks ran after the stage's last build. */
static int hooks_digest(const char *dir, char **names, size_t n, char hex[DIGEST_HEX_LEN + 1])
{
	struct digest *d = digest_sha256_new();
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		digest_update(d, names[i], strlen(names[i]) + 1);
		ret = digest_update_file(d, path);
		free(path);
	}
	digest_final_hex(d, hex);
	digest_free(d);
	return ret;
}

static char *stamp_path(const struct world *w, const struct arch *a, enum stage stage)
{
	return stage == STAGE_HOST ? world_path(w, "states/hooks-%s", stepenv_group(a, stage))
				   : world_path(w, "states/hooks-%s-%s", stage_name(stage), a->name);
}

void hooks_forget(const struct world *w, const struct arch *a, enum stage stage)
{
	char *stamp = stamp_path(w, a, stage);
	unlink(stamp);
	free(stamp);
}

static int run_all(const struct world *w, const struct arch *a, enum stage stage,
		   const char *dir, char **names, size_t n)
{
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		ret = run_hook(w, a, stage, path);
		free(path);
	}
	return ret;
}

int hooks_run(const struct world *w, const struct arch *a, enum stage stage)
{
	char *dir = project_path(w, "hooks/%s.d", stage_name(stage));
	char *stamp = stamp_path(w, a, stage);
	char **names;
	size_t n;
	char want[DIGEST_HEX_LEN + 1];
	struct strbuf have = STRBUF_INIT;
	int ret = list_hooks(dir, &names, &n);
	if (ret == 0 && n && (ret = hooks_digest(dir, names, n, want)) == 0) {
		file_read_quiet(stamp, &have);
		if (strcmp(have.data, want)) {
			unlink(stamp);
			ret = run_all(w, a, stage, dir, names, n);
			if (ret == 0)
				ret = file_write_atomic(stamp, want, DIGEST_HEX_LEN);
		}
	}
	if (names)
		names_free(names, n);
	strbuf_release(&have);
	free(stamp);
	free(dir);
	return ret;
}
