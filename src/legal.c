/* legal.c: see legal.h. */
#include "legal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "fetch.h"
#include "file.h"
#include "patch.h"
#include "plan.h"
#include "recipe.h"
#include "srctree.h"
#include "strbuf.h"
#include "util.h"
#include "world.h"

/* A CSV field, quoted as RFC 4180 does. */
static void add_field(struct strbuf *csv, const char *v, char sep)
{
	strbuf_addc(csv, '"');
	for (; *v; v++) {
		if (*v == '"')
			strbuf_addc(csv, '"');
		strbuf_addc(csv, *v);
	}
	strbuf_addc(csv, '"');
	strbuf_addc(csv, sep);
}

static char *join(const struct strlist *l)
{
	struct strbuf b = STRBUF_INIT;
	for (size_t i = 0; i < l->n; i++)
		strbuf_addf(&b, "%s%s", i ? " " : "", l->items[i]);
	return b.len ? strbuf_detach(&b) : xstrdup("");
}

static int copy_to(const char *from, const char *dir, const char *name)
{
	char *to = xasprintf("%s/%s", dir, name);
	char *parent = xstrndup(to, (size_t)(strrchr(to, '/') - to)); /* name may have folders */
	int ret = mkdir_p(parent);
	if (ret == 0)
		ret = file_copy(from, to);
	free(parent);
	free(to);
	return ret;
}

/* The patches into patches/<name>-<version>/; their names, space-separated. */
static int copy_patches(const struct world *w, const struct plan *plan, const struct recipe *r,
			const char *out, char **names)
{
	char *pdir = project_path(w, "patches"), **paths;
	size_t n;
	int ret = patch_list(pdir, r, plan->arch, &paths, &n);
	/* Named as in their folder (an arch's own keep theirs: ARCH/NAME). */
	size_t skip = strlen(pdir) + strlen(r->name) + strlen(r->version) + 3;
	free(pdir);
	if (ret < 0)
		return -1;
	char *dir = xasprintf("%s/patches/%s-%s", out, r->name, r->version);
	struct strbuf list = STRBUF_INIT;
	for (size_t i = 0; ret == 0 && i < n; i++) {
		const char *base = strlen(paths[i]) > skip && paths[i][skip - 1] == '/'
					   ? paths[i] + skip : strrchr(paths[i], '/') + 1;
		ret = copy_to(paths[i], dir, base);
		strbuf_addf(&list, "%s%s", i ? " " : "", base);
	}
	*names = list.len ? strbuf_detach(&list) : xstrdup("");
	strbuf_release(&list);
	names_free(paths, n);
	free(dir);
	return ret;
}

/* The license files from the package's pristine tree. */
static int copy_licenses(const struct world *w, const struct plan *plan, const struct recipe *r,
			 const char *out)
{
	if (!r->license_files.n)
		return 0;
	char *tree;
	if (srctree_ensure(w, plan->arch, r, STDERR_FILENO, &tree) < 0)
		return -1;
	char *dir = xasprintf("%s/licenses/%s-%s", out, r->name, r->version);
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < r->license_files.n; i++) {
		const char *f = r->license_files.items[i];
		char *from = xasprintf("%s/%s", tree, f);
		if (!is_file(from))
			ret = error("%s: license-files names %s, which work/src/%s-%s lacks; "
				    "fix the recipe's license-files line", r->path, f, r->name, r->version);
		else
			ret = copy_to(from, dir, f);
		free(from);
	}
	free(dir);
	free(tree);
	return ret;
}

static int copy_source(const struct world *w, const struct recipe *r, const char *out)
{
	if (!r->sha256)
		return 0;
	char *from = world_path(w, "sources/%s", recipe_file(r)), *dir = xasprintf("%s/sources", out);
	int ret = copy_to(from, dir, recipe_file(r));
	free(from);
	free(dir);
	return ret;
}

static int gather_package(const struct world *w, const struct plan *plan, const struct recipe *r,
			  const char *out, struct strbuf *csv)
{
	char *patches = NULL;
	int ret = copy_source(w, r, out);
	if (ret == 0)
		ret = copy_patches(w, plan, r, out, &patches);
	if (ret == 0)
		ret = copy_licenses(w, plan, r, out);
	if (ret < 0) {
		free(patches);
		return -1;
	}
	char *files = join(&r->license_files);
	char *none = r->continues ? xasprintf("none of its own: it continues %s", r->continues)
				  : xstrdup("none");
	add_field(csv, r->name, ',');
	add_field(csv, r->version, ',');
	add_field(csv, stage_name(r->stage), ',');
	add_field(csv, r->license, ',');
	add_field(csv, files, ',');
	add_field(csv, r->sha256 ? recipe_file(r) : none, ',');
	add_field(csv, r->sha256 ? r->sha256 : "", ',');
	add_field(csv, r->urls.n ? r->urls.items[0] : "", ',');
	add_field(csv, patches, '\n');
	free(files);
	free(none);
	free(patches);
	return 0;
}

static int gather(const struct world *w, const struct plan *plan, const char *out)
{
	struct strbuf csv = STRBUF_INIT;
	strbuf_adds(&csv, "PACKAGE,VERSION,STAGE,LICENSE,LICENSE FILES,SOURCE ARCHIVE,SOURCE SHA256,"
			  "SOURCE SITE,PATCHES\n");
	int ret = mkdir_p(out);
	for (size_t i = 0; ret == 0 && i < plan->n; i++)
		ret = gather_package(w, plan, plan->items[i].recipe, out, &csv);
	if (ret == 0) {
		char *path = xasprintf("%s/manifest.csv", out);
		ret = file_write_atomic(path, csv.data, csv.len);
		free(path);
	}
	strbuf_release(&csv);
	return ret;
}

/* The plan's sources, fetched where sources/ lacks them: a package taken
 * from a binary cache was never fetched into this top. */
static int fetch_plan_sources(const struct world *w, const struct plan *plan)
{
	const struct recipe **list = xcalloc(plan->n ? plan->n : 1, sizeof *list);
	for (size_t i = 0; i < plan->n; i++)
		list[i] = plan->items[i].recipe;
	int ret = fetch_sources(w, list, plan->n);
	free(list);
	return ret;
}

int legal_gather(const struct world *w, const struct plan *plan)
{
	if (fetch_plan_sources(w, plan) < 0)
		return -1;
	char *out = world_path(w, "output/%s/legal", plan->arch->name);
	char *tmp = xasprintf("%s.tmp.%ld", out, (long)getpid());
	int ret = remove_tree(tmp);
	if (ret == 0)
		ret = gather(w, plan, tmp);
	if (ret == 0)
		ret = remove_tree(out);
	if (ret == 0 && rename(tmp, out) < 0)
		ret = error_errno("cannot rename '%s' to '%s'", tmp, out);
	if (ret == 0)
		printf("legal: wrote %s: the sources, patches and license files of %zu packages, "
		       "and manifest.csv\n", out, plan->n);
	else
		remove_tree(tmp);
	free(out);
	free(tmp);
	return ret;
}
