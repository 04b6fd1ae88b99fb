/* sbom.c: see sbom.h. */
#include "sbom.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "digest.h"
#include "file.h"
#include "json.h"
#include "patch.h"
#include "plan.h"
#include "recipe.h"
#include "util.h"
#include "world.h"

static char *package_ref(const struct recipe *r)
{
	return xasprintf("%s@%s", r->name, r->version);
}

static void add_property(struct json *j, const char *name, const char *value)
{
	json_open(j, '{');
	json_member(j, "name", name);
	json_member(j, "value", value);
	json_close(j, '}');
}

static void add_source_reference(struct json *j, const char *url, const char *sum, const char *comment)
{
	json_open(j, '{');
	json_member(j, "type", "source-distribution");
	json_member(j, "url", url);
	if (comment)
		json_member(j, "comment", comment);
	json_open_member(j, "hashes", '[');
	json_open(j, '{');
	json_member(j, "alg", "SHA-256");
	json_member(j, "content", sum);
	json_close(j, '}');
	json_close(j, ']');
	json_close(j, '}');
}

/* Each URL that serves the source file, with its sum. When none does (an
 * overlay chose another file, which only a mirror serves), the file's name
 * stands as a relative reference, so no URL is paired with a sum it would
 * not give. */
static void write_source(struct json *j, const struct recipe *r)
{
	if (!r->sha256)
		return;
	const char *file = recipe_file(r);
	bool named = false;
	json_open_member(j, "externalReferences", '[');
	for (size_t i = 0; i < r->urls.n; i++) {
		const char *slash = strrchr(r->urls.items[i], '/');
		if (strcmp(slash ? slash + 1 : r->urls.items[i], file))
			continue;
		add_source_reference(j, r->urls.items[i], r->sha256, NULL);
		named = true;
	}
	if (!named)
		add_source_reference(j, file, r->sha256,
				     "the source file's name: no URL of the recipe serves it; a mirror does");
	json_close(j, ']');
}

/* The patches, as project-relative paths with their sums: "SUM  PATH". */
static int list_patches(const struct world *w, const struct arch *a, const struct recipe *r,
			char ***lines, size_t *n)
{
	char *dir = project_path(w, "patches");
	char **paths;
	int ret = patch_list(dir, r, a, &paths, n);
	free(dir);
	if (ret < 0)
		return -1;
	*lines = xcalloc(*n + 1, sizeof **lines);
	size_t skip = strlen(w->project) + 1;
	for (size_t i = 0; ret == 0 && i < *n; i++) {
		char hex[DIGEST_HEX_LEN + 1];
		ret = digest_sha256_file(paths[i], hex);
		(*lines)[i] = xasprintf("%s  %s", hex, paths[i] + skip);
	}
	names_free(paths, *n);
	if (ret < 0)
		names_free(*lines, *n);
	return ret;
}

static void write_patches(struct json *j, char **lines, size_t n)
{
	if (!n)
		return;
	json_open_member(j, "pedigree", '{');
	json_open_member(j, "patches", '[');
	for (size_t i = 0; i < n; i++) {
		json_open(j, '{');
		json_member(j, "type", "unofficial");
		json_open_member(j, "diff", '{');
		json_member(j, "url", lines[i] + DIGEST_HEX_LEN + 2);
		json_close(j, '}');
		json_close(j, '}');
	}
	json_close(j, ']');
	json_close(j, '}');
}

static int write_package(struct json *j, const struct world *w, const struct arch *a,
			 const struct plan_item *it, const char *scope)
{
	const struct recipe *r = it->recipe;
	char **patches;
	size_t npatches;
	if (list_patches(w, a, r, &patches, &npatches) < 0)
		return -1;
	char *ref = package_ref(r);
	json_open(j, '{');
	json_member(j, "type", r->stage == STAGE_HOST ? "library" : "application");
	json_member(j, "bom-ref", ref);
	json_member(j, "name", r->name);
	json_member(j, "version", r->version);
	if (scope)
		json_member(j, "scope", scope);
	json_open_member(j, "licenses", '[');
	json_open(j, '{');
	json_member(j, "expression", r->license);
	json_close(j, '}');
	json_close(j, ']');
	write_source(j, r);
	json_open_member(j, "properties", '[');
	add_property(j, "bootstrap:stage", stage_name(r->stage));
	add_property(j, "bootstrap:recipe", r->path);
	add_property(j, "bootstrap:input-key", it->key);
	for (size_t i = 0; i < npatches; i++)
		add_property(j, "bootstrap:patch", patches[i]);
	json_close(j, ']');
	write_patches(j, patches, npatches);
	json_close(j, '}');
	names_free(patches, npatches);
	free(ref);
	return 0;
}

/* The packages of plan in stages [from, to]. */
static int write_packages(struct json *j, const struct world *w, const struct plan *plan,
			  enum stage from, enum stage to, const char *scope)
{
	for (size_t i = 0; i < plan->n; i++) {
		enum stage s = plan->items[i].recipe->stage;
		if (s >= from && s <= to && write_package(j, w, plan->arch, &plan->items[i], scope) < 0)
			return -1;
	}
	return 0;
}

/* One entry of "dependencies": what package i was built with. From the
 * initrd's document (toolchain_ref set) a box package's toolchain packages
 * are the toolchain itself. */
static void write_dependency(struct json *j, const struct plan *plan, size_t i, const char *toolchain_ref)
{
	const struct plan_item *it = &plan->items[i];
	bool collapse = toolchain_ref && it->recipe->stage == STAGE_BOX;
	char *ref = package_ref(it->recipe);
	json_open(j, '{');
	json_member(j, "ref", ref);
	json_open_member(j, "dependsOn", '[');
	bool toolchain_named = false;
	for (size_t d = 0; d < it->ndeps; d++) {
		const struct recipe *dep = plan->items[it->deps[d]].recipe;
		if (collapse && dep->stage != STAGE_BOX) {
			if (!toolchain_named)
				json_string(j, toolchain_ref);
			toolchain_named = true;
			continue;
		}
		char *dref = package_ref(dep);
		json_string(j, dref);
		free(dref);
	}
	json_close(j, ']');
	json_close(j, '}');
	free(ref);
}

/* The document's own component (or the toolchain's, nested) depends on the
 * packages it contains: those of stages [from, to]. */
static void write_containment(struct json *j, const struct plan *plan, const char *ref, enum stage from,
			      enum stage to)
{
	json_open(j, '{');
	json_member(j, "ref", ref);
	json_open_member(j, "dependsOn", '[');
	for (size_t i = 0; i < plan->n; i++) {
		const struct recipe *r = plan->items[i].recipe;
		if (r->stage >= from && r->stage <= to) {
			char *pref = package_ref(r);
			json_string(j, pref);
			free(pref);
		}
	}
	json_close(j, ']');
	json_close(j, '}');
}

/* "dependencies": the document's component contains the packages of stages
 * [from, to]; in the initrd's (tref set) the toolchain contains its own;
 * then what each package was built with. */
static void write_dependencies(struct json *j, const struct plan *plan, const char *ref, enum stage from,
			       enum stage to, const char *tref)
{
	json_open_member(j, "dependencies", '[');
	write_containment(j, plan, ref, from, to);
	if (tref)
		write_containment(j, plan, tref, STAGE_HOST, STAGE_CROSS);
	for (size_t i = 0; i < plan->n; i++)
		write_dependency(j, plan, i, tref);
	json_close(j, ']');
}

static void write_head(struct json *j, const char *type, const char *ref, const char *name,
		       const char *description)
{
	json_member(j, "bomFormat", "CycloneDX");
	json_member(j, "specVersion", "1.6");
	json_key(j, "version");
	json_literal(j, "1");
	json_open_member(j, "metadata", '{');
	json_open_member(j, "tools", '{');
	json_open_member(j, "components", '[');
	json_open(j, '{');
	json_member(j, "type", "application");
	json_member(j, "name", "bootstrap");
	json_close(j, '}');
	json_close(j, ']');
	json_close(j, '}');
	json_open_member(j, "component", '{');
	json_member(j, "type", type);
	json_member(j, "bom-ref", ref);
	json_member(j, "name", name);
	json_member(j, "description", description);
	json_close(j, '}');
	json_close(j, '}');
}

static int toolchain_document(const struct world *w, const struct plan *plan, struct strbuf *out)
{
	const struct arch *a = plan->arch;
	char *ref = xasprintf("toolchain/%s", a->name), *name = xasprintf("%s toolchain", a->triplet);
	char *what = xasprintf("The cross toolchain in %s: compilers and tools for %s, and its sysroot", ref,
			       a->triplet);
	struct json j;
	json_init(&j, out);
	json_open(&j, '{');
	write_head(&j, "application", ref, name, what);
	json_open_member(&j, "components", '[');
	int ret = write_packages(&j, w, plan, STAGE_HOST, STAGE_CROSS, NULL);
	json_close(&j, ']');
	write_dependencies(&j, plan, ref, STAGE_HOST, STAGE_CROSS, NULL);
	json_close(&j, '}');
	free(ref);
	free(name);
	free(what);
	return ret;
}

/* The toolchain as one component of the initrd's document: built with, not
 * shipped (scope excluded), its packages nested. */
static int write_toolchain_component(struct json *j, const struct world *w, const struct plan *plan,
				     const char *ref)
{
	char *name = xasprintf("%s toolchain", plan->arch->triplet);
	json_open(j, '{');
	json_member(j, "type", "application");
	json_member(j, "bom-ref", ref);
	json_member(j, "name", name);
	json_member(j, "scope", "excluded");
	json_open_member(j, "components", '[');
	int ret = write_packages(j, w, plan, STAGE_HOST, STAGE_CROSS, "excluded");
	json_close(j, ']');
	json_close(j, '}');
	free(name);
	return ret;
}

static int initrd_document(const struct world *w, const struct plan *plan, struct strbuf *out)
{
	const struct arch *a = plan->arch;
	char *ref = xasprintf("initrd/%s", a->name), *tref = xasprintf("toolchain/%s", a->name);
	char *name = xasprintf("%s initrd", a->name);
	char *what = xasprintf("output/%s/initrd.cpio*: the boxroot's programs, built with the %s toolchain",
			       a->name, a->triplet);
	struct json j;
	json_init(&j, out);
	json_open(&j, '{');
	write_head(&j, "operating-system", ref, name, what);
	json_open_member(&j, "components", '[');
	int ret = write_packages(&j, w, plan, STAGE_BOX, STAGE_BOX, "required");
	if (ret == 0)
		ret = write_toolchain_component(&j, w, plan, tref);
	json_close(&j, ']');
	write_dependencies(&j, plan, ref, STAGE_BOX, STAGE_BOX, tref);
	json_close(&j, '}');
	free(ref);
	free(tref);
	free(name);
	free(what);
	return ret;
}

static int write_document(const struct world *w, const struct plan *plan, const char *file,
			  int (*make)(const struct world *, const struct plan *, struct strbuf *))
{
	struct strbuf doc = STRBUF_INIT;
	char *dir = world_path(w, "output/%s/sbom", plan->arch->name);
	char *path = xasprintf("%s/%s", dir, file);
	int ret = make(w, plan, &doc);
	if (ret == 0)
		ret = mkdir_p(dir);
	if (ret == 0)
		ret = file_write_atomic(path, doc.data, doc.len);
	if (ret == 0)
		printf("sbom: wrote %s (CycloneDX 1.6)\n", path);
	strbuf_release(&doc);
	free(dir);
	free(path);
	return ret;
}

/* The box is not built (now): an initrd document written before would
 * describe another box than the one the toolchain's document goes with. */
static int no_initrd_document(const struct world *w, const struct arch *a)
{
	char *old = world_path(w, "output/%s/sbom/initrd.cdx.json", a->name);
	bool removed = unlink(old) == 0;
	int ret = removed || errno == ENOENT ? 0 : error_errno("cannot remove %s", old);
	if (ret == 0)
		printf("sbom: no initrd document: the box of %s is not built (bootstrap build %s)%s%s\n",
		       a->name, a->name, removed ? "; removed the one from before, " : "",
		       removed ? old : "");
	free(old);
	return ret;
}

int sbom_write(const struct world *w, const struct plan *crosstool, const struct plan *all)
{
	if (write_document(w, crosstool, "toolchain.cdx.json", toolchain_document) < 0)
		return -1;
	if (all)
		return write_document(w, all, "initrd.cdx.json", initrd_document);
	/* A hosted toolchain has no box, and nothing to build for one. */
	return crosstool->arch->host ? 0 : no_initrd_document(w, crosstool->arch);
}
