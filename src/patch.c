#include "patch.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "digest.h"
#include "file.h"
#include "recipe.h"
#include "run.h"
#include "strbuf.h"
#include "util.h"

/* gcc's largest upstream patches are a few MiB; more is a mistake. */
#define PATCH_MAX ((size_t)64 << 20)

static void add(char ***paths, size_t *n, size_t *cap, char *path)
{
	xgrow(paths, cap, *n + 1, sizeof **paths);
	(*paths)[(*n)++] = path;
}

/* The arch whose own patches a build of r for a takes: a's target (a hosted
 * toolchain's patches are its target's), none for the host stage, whose
 * programs are the same for every arch. */
static const char *patch_arch(const struct arch *a, const struct recipe *r)
{
	return a && r->stage != STAGE_HOST ? arch_target(a)->name : NULL;
}

/* A subfolder of patches/<name>-<version> holds one arch's patches and is
 * named by that arch's canonical name; any other name is a mistake that
 * would otherwise be silently ignored. */
static int check_arch_folders(const char *dir, char **names, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		char *sub = xasprintf("%s/%s", dir, names[i]);
		const struct arch *a = is_dir(sub) ? arch_find(names[i]) : NULL;
		int bad = is_dir(sub) && (!a || strcmp(a->name, names[i]));
		if (bad)
			error("%s: a folder of patches is named after an arch, by its canonical name; "
			      "'%s' is none (valid: %s)", sub, names[i], arch_valid_names());
		free(sub);
		if (bad)
			return -1;
	}
	return 0;
}

static int add_folder(const char *dir, char ***paths, size_t *n, size_t *cap)
{
	char **names;
	size_t count;
	if (dir_list(dir, ".patch", &names, &count) < 0)
		return -1;
	for (size_t i = 0; i < count; i++)
		add(paths, n, cap, xasprintf("%s/%s", dir, names[i]));
	names_free(names, count);
	return 0;
}

int patch_list(const char *patches_dir, const struct recipe *r, const struct arch *a,
	       char ***paths, size_t *n)
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
	char **names = NULL;
	size_t count = 0;
	int ret = is_dir(dir) ? dir_list(dir, NULL, &names, &count) : 0;
	if (ret == 0 && count)
		ret = check_arch_folders(dir, names, count);
	if (ret == 0 && count)
		ret = add_folder(dir, paths, n, &cap);
	const char *arch = patch_arch(a, r);
	char *own = arch ? xasprintf("%s/%s", dir, arch) : NULL;
	if (ret == 0 && own && is_dir(own))
		ret = add_folder(own, paths, n, &cap);
	names_free(names, count);
	free(own);
	free(dir);
	return ret;
}

const char *patch_own_arch(const char *patches_dir, const struct recipe *r, const struct arch *a)
{
	const char *arch = patch_arch(a, r);
	if (!arch)
		return NULL;
	char *own = xasprintf("%s/%s-%s/%s", patches_dir, r->name, r->version, arch);
	bool has = is_dir(own);
	free(own);
	return has ? arch : NULL;
}

int patch_digest(struct digest *d, const char *patches_dir, const struct recipe *r,
		 const struct arch *a)
{
	char **paths;
	size_t n;
	if (patch_list(patches_dir, r, a, &paths, &n) < 0)
		return -1;
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < n; i++) {
		struct strbuf text = STRBUF_INIT;
		if (file_read_max(paths[i], PATCH_MAX, &text) == 0) {
			char head[256];
			int len = snprintf(head, sizeof head, "patch %s %zu\n", strrchr(paths[i], '/') + 1, text.len);
			digest_update(d, head, (size_t)len);
			digest_update(d, text.data, text.len);
		} else {
			ret = -1;
		}
		strbuf_release(&text);
	}
	names_free(paths, n);
	return ret;
}

/* patch's output goes to a temp file first, so a failure can show it. */
static int apply_one(const char *patch, const char *src, int log_fd)
{
	FILE *out = tmpfile();
	if (!out)
		return error_errno("cannot create a temp file for patch's output");
	const char *argv[] = { "patch", "-p1", "--batch", "--forward", "-i", patch, NULL };
	struct run run = RUN_INIT;
	run.argv = argv;
	run.cwd = src;
	run.log_fd = fileno(out);
	int status = run_quiet(&run);
	struct strbuf text = STRBUF_INIT;
	rewind(out);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, out)) > 0)
		strbuf_add(&text, buf, n);
	fclose(out);
	if (log_fd >= 0 && write(log_fd, text.data, text.len) < 0)
		warning("cannot write the build log");
	int ret = 0;
	if (status != 0) {
		char how[128] = "could not start";
		if (status > 0)
			run_describe_status(status, how, sizeof how);
		ret = error("patch %s does not apply (patch %s):\n%s", patch, how, text.data);
	}
	strbuf_release(&text);
	return ret;
}

int patch_apply_all(const char *patches_dir, const struct recipe *r, const struct arch *a,
		    const char *src, int log_fd)
{
	char **paths;
	size_t n;
	if (patch_list(patches_dir, r, a, &paths, &n) < 0)
		return -1;
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < n; i++) {
		if (log_fd >= 0)
			dprintf(log_fd, "==> patch %s\n", paths[i]);
		ret = apply_one(paths[i], src, log_fd);
	}
	names_free(paths, n);
	return ret;
}
