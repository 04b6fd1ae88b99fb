#include "plan.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "arch.h"
#include "digest.h"
#include "epoch.h"
#include "file.h"
#include "patch.h"
#include "recipe.h"
#include "run.h"
#include "stepenv.h"
#include "strbuf.h"
#include "util.h"
#include "world.h"

enum mark { UNSEEN, ON_PATH, PLACED };

struct order {
	const struct recipe_set *set;
	const struct arch *arch;
	enum goal goal;
	enum mark *marks;           /* per set item */
	size_t *path, npath;        /* the DFS path, for printing a cycle */
	const struct recipe **out;
	size_t nout;
};

static size_t set_index(const struct recipe_set *set, const struct recipe *r)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->items[i] == r)
			return i;
	BUG("recipe %s not in its set", r->name);
}

static bool wanted(const struct order *o, const struct recipe *r)
{
	if (!recipe_applies(r, arch_target(o->arch)->name))
		return false;
	return o->goal == GOAL_ALL || r->stage != STAGE_BOX;
}

static int report_cycle(const struct order *o, size_t again)
{
	struct strbuf sb = STRBUF_INIT;
	size_t start = 0;
	while (o->path[start] != again)
		start++;
	for (size_t i = start; i < o->npath; i++)
		strbuf_addf(&sb, "%s -> ", o->set->items[o->path[i]]->name);
	strbuf_adds(&sb, o->set->items[again]->name);
	error("dependency cycle: %s", sb.data);
	strbuf_release(&sb);
	return -1;
}

static int visit(struct order *o, size_t i);

static int visit_dep(struct order *o, const struct recipe *r, const struct recipe *dep)
{
	if (!wanted(o, dep))
		return 0; /* not built for this arch or goal: not a dependency here */
	if (dep->stage > r->stage)
		return error("%s:%d: %s package '%s' cannot depend on %s package '%s'", r->path,
			     r->depends_line, stage_name(r->stage), r->name, stage_name(dep->stage),
			     dep->name);
	return visit(o, set_index(o->set, dep));
}

static int visit(struct order *o, size_t i)
{
	if (o->marks[i] == PLACED)
		return 0;
	if (o->marks[i] == ON_PATH)
		return report_cycle(o, i);
	const struct recipe *r = o->set->items[i];
	o->marks[i] = ON_PATH;
	o->path[o->npath++] = i;
	for (size_t d = 0; d < r->depends.n; d++)
		if (visit_dep(o, r, recipe_set_find(o->set, r->depends.items[d])) < 0)
			return -1;
	o->npath--;
	o->marks[i] = PLACED;
	o->out[o->nout++] = r;
	return 0;
}

static int order_packages(struct order *o)
{
	for (int stage = 0; stage < STAGE_COUNT; stage++)
		for (size_t i = 0; i < o->set->n; i++) {
			const struct recipe *r = o->set->items[i];
			if ((int)r->stage == stage && wanted(o, r) && visit(o, i) < 0)
				return -1;
		}
	return 0;
}

long plan_find(const struct plan *plan, const char *name)
{
	for (size_t i = 0; i < plan->n; i++)
		if (!strcmp(plan->items[i].recipe->name, name))
			return (long)i;
	return -1;
}

static void add_dep(struct plan_item *it, size_t d)
{
	for (size_t i = 0; i < it->ndeps; i++)
		if (it->deps[i] == d)
			return;
	it->deps = xrealloc(it->deps, (it->ndeps + 1) * sizeof *it->deps);
	it->deps[it->ndeps++] = d;
}

static void link_deps(struct plan *plan, size_t i)
{
	struct plan_item *it = &plan->items[i];
	const struct recipe *r = it->recipe;
	for (size_t d = 0; d < r->depends.n; d++) {
		long j = plan_find(plan, r->depends.items[d]);
		if (j >= 0)
			add_dep(it, (size_t)j);
	}
	if (r->stage == STAGE_BOX)
		for (size_t j = 0; j < i; j++)
			if (plan->items[j].recipe->stage == STAGE_CROSS)
				add_dep(it, j);
}

static void hash_blob(struct digest *d, const char *what, const void *p, size_t n)
{
	char head[256];
	int len = snprintf(head, sizeof head, "%s %zu\n", what, n);
	digest_update(d, head, (size_t)len);
	digest_update(d, p, n);
}

static int hash_file(struct digest *d, const char *what, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = file_read_quiet(path, &sb);
	if (ret == 0)
		hash_blob(d, what, sb.data, sb.len);
	strbuf_release(&sb);
	return ret;
}

static int hash_sources(struct digest *d, const struct world *w, const struct arch *a,
			const struct recipe *r)
{
	char *dir = project_path(w, "patches");
	int ret = patch_digest(d, dir, r, a);
	free(dir);
	for (size_t i = 0; ret == 0 && i < r->inputs.n; i++) {
		char *path = project_path(w, "%s", r->inputs.items[i]);
		if (hash_file(d, r->inputs.items[i], path) < 0)
			ret = error_errno("%s: cannot read input '%s'", r->path, r->inputs.items[i]);
		free(path);
	}
	return ret;
}

/* The first 12 hex digits of d's digest, then sep. */
static void add_part(struct digest *d, char *out, char sep)
{
	char hex[DIGEST_HEX_LEN + 1];
	digest_final_hex(d, hex);
	digest_free(d);
	memcpy(out, hex, PLAN_PART_LEN);
	out[PLAN_PART_LEN] = sep;
}

/* The bytes of r that a's key hashes: the steps a runs (build.c picks them
 * by the target arch), all of them in the host stage, which is every arch's. */
static void key_bytes(const struct recipe *r, const struct arch *a, struct strbuf *out)
{
	recipe_key_bytes(r, r->stage == STAGE_HOST ? NULL : arch_target(a)->name, out);
}

/* Digests of the recipe, its patches and inputs, and its source, apart, so
 * that status can say which of them changed. */
static int compute_parts(struct plan_item *it, const struct world *w, const struct arch *a)
{
	const struct recipe *r = it->recipe;
	struct strbuf bytes = STRBUF_INIT;
	key_bytes(r, a, &bytes);
	struct digest *d = digest_sha256_new();
	digest_update(d, bytes.data, bytes.len);
	strbuf_release(&bytes);
	add_part(d, it->parts, '.');
	d = digest_sha256_new();
	int ret = hash_sources(d, w, a, r);
	add_part(d, it->parts + PLAN_PART_LEN + 1, '.');
	d = digest_sha256_new();
	digest_update(d, r->sha256 ? r->sha256 : "", r->sha256 ? strlen(r->sha256) : 0);
	add_part(d, it->parts + 2 * (PLAN_PART_LEN + 1), '\0');
	return ret;
}

/* What decides whether a program built here runs, and behaves the same, on
 * another machine: the machine's arch, its C library and the host compiler
 * that built it (its first --version line). Host and cross packages are such
 * programs, so their keys (and through them every key) include it: a binary
 * cache never hands one machine's programs to an unlike machine. */
static const char *host_identity(void)
{
	static char *id;
	if (id)
		return id;
	struct utsname u;
	char libc[64] = "", cc[256] = "";
	if (uname(&u) < 0)
		strcpy(u.machine, "unknown");
	if (confstr(_CS_GNU_LIBC_VERSION, libc, sizeof libc) == 0)
		strcpy(libc, "unknown libc (not glibc)");
	int fd = memfd_create("cc-version", MFD_CLOEXEC);
	const char *argv[] = { "cc", "--version", NULL };
	struct run r = RUN_INIT;
	r.argv = argv;
	r.log_fd = fd;
	if (fd >= 0 && run_quiet(&r) == 0 && lseek(fd, 0, SEEK_SET) == 0) {
		ssize_t n = read(fd, cc, sizeof cc - 1);
		cc[n > 0 ? n : 0] = '\0';
		cc[strcspn(cc, "\n")] = '\0';
	}
	if (!*cc)
		strcpy(cc, "no working cc");
	if (fd >= 0)
		close(fd);
	id = xasprintf("%s\n%s\n%s\n", u.machine, libc, cc);
	return id;
}

const char *plan_host_identity(void)
{
	return host_identity();
}

static int compute_key(struct plan *plan, const struct world *w, size_t i)
{
	struct plan_item *it = &plan->items[i];
	const struct recipe *r = it->recipe;
	struct digest *d = digest_sha256_new();
	struct strbuf bytes = STRBUF_INIT;
	key_bytes(r, plan->arch, &bytes);
	hash_blob(d, "bootstrap-key-1 recipe", bytes.data, bytes.len);
	strbuf_release(&bytes);
	int ret = hash_sources(d, w, plan->arch, r);
	const char *arch = stepenv_group(plan->arch, r->stage);
	hash_blob(d, "sha256", r->sha256 ? r->sha256 : "", r->sha256 ? strlen(r->sha256) : 0);
	hash_blob(d, "arch", arch, strlen(arch));
	if (r->stage != STAGE_BOX)
		hash_blob(d, "build machine", host_identity(), strlen(host_identity()));
	if (r->stage != STAGE_HOST) /* its steps see the arch's file (ARCH_*) */
		hash_blob(d, "arch file", plan->arch->bytes, plan->arch->nbytes);
	if (plan->arch->host && r->stage != STAGE_BOX) /* built with both cross toolchains */
		hash_blob(d, "built with", plan->built_with, strlen(plan->built_with));
	for (size_t j = 0; j < it->ndeps; j++)
		hash_blob(d, plan->items[it->deps[j]].recipe->name, plan->items[it->deps[j]].key,
			  DIGEST_HEX_LEN);
	if (plan->epoch) { /* its steps see it; the default, 0, leaves the keys as they were */
		char epoch[24];
		snprintf(epoch, sizeof epoch, "%lld", plan->epoch);
		hash_blob(d, "SOURCE_DATE_EPOCH", epoch, strlen(epoch));
	}
	digest_final_hex(d, it->key);
	digest_free(d);
	return ret < 0 ? -1 : compute_parts(it, w, plan->arch);
}

/* Items come after their dependencies, so one backward pass sees every
 * dependent of an item before the item itself. */
static void compute_path_costs(struct plan *plan)
{
	for (size_t i = plan->n; i-- > 0;) {
		struct plan_item *it = &plan->items[i];
		it->path_cost += it->recipe->cost;
		for (size_t d = 0; d < it->ndeps; d++) {
			struct plan_item *dep = &plan->items[it->deps[d]];
			if (dep->path_cost < it->path_cost)
				dep->path_cost = it->path_cost;
		}
	}
}

/* "ARCH PACKAGE:KEY ..." of the cross toolchains a hosted toolchain is built
 * with: the one for its host (its compiler) and the one for its target. */
static int built_with(struct plan *plan, const struct world *w, const struct recipe_set *set)
{
	const struct arch *with[2] = { plan->arch->host, plan->arch->target };
	struct strbuf sb = STRBUF_INIT;
	for (size_t k = 0; k < 2; k++) {
		struct plan sub;
		if (plan_make(&sub, w, set, with[k], GOAL_CROSSTOOL) < 0) {
			strbuf_release(&sb);
			return -1;
		}
		strbuf_addf(&sb, "%s", with[k]->name);
		for (size_t i = 0; i < sub.n; i++)
			strbuf_addf(&sb, " %s:%s", sub.items[i].recipe->name, sub.items[i].key);
		strbuf_addc(&sb, '\n');
		plan_free(&sub);
	}
	plan->built_with = strbuf_detach(&sb);
	return 0;
}

int plan_make(struct plan *plan, const struct world *w, const struct recipe_set *set,
	      const struct arch *arch, enum goal goal)
{
	struct order o = { set, arch, goal, xcalloc(set->n, sizeof(enum mark)),
			   xcalloc(set->n, sizeof(size_t)), 0, xcalloc(set->n, sizeof(void *)), 0 };
	memset(plan, 0, sizeof *plan);
	plan->arch = arch;
	plan->goal = goal;
	int ret = epoch_from_env(&plan->epoch);
	if (ret == 0 && arch->host)
		ret = built_with(plan, w, set);
	if (ret == 0)
		ret = order_packages(&o);
	if (ret == 0) {
		plan->n = o.nout;
		plan->items = xcalloc(o.nout, sizeof *plan->items);
		for (size_t i = 0; i < o.nout; i++)
			plan->items[i].recipe = o.out[i];
		for (size_t i = 0; ret == 0 && i < o.nout; i++) {
			link_deps(plan, i);
			ret = compute_key(plan, w, i);
		}
		compute_path_costs(plan);
	}
	free(o.marks);
	free(o.path);
	free(o.out);
	if (ret < 0)
		plan_free(plan);
	return ret;
}

void plan_free(struct plan *plan)
{
	for (size_t i = 0; i < plan->n; i++)
		free(plan->items[i].deps);
	free(plan->items);
	free(plan->built_with);
	plan->items = NULL;
	plan->built_with = NULL;
	plan->n = 0;
}

void plan_mark_dependents(const struct plan *plan, size_t item, unsigned char *want)
{
	want[item] = 1;
	/* Items come after their dependencies, so one forward pass suffices. */
	for (size_t i = item + 1; i < plan->n; i++)
		for (size_t j = 0; j < plan->items[i].ndeps && !want[i]; j++)
			if (want[plan->items[i].deps[j]])
				want[i] = 1;
}

void plan_write_dot(const struct plan *plan, FILE *out)
{
	static const char *const colors[STAGE_COUNT] = { "lightyellow", "lightblue", "palegreen" };
	fprintf(out, "digraph \"%s\" {\n\trankdir=LR;\n\tnode [shape=box, style=filled];\n",
		plan->arch->name);
	for (size_t i = 0; i < plan->n; i++) {
		const struct recipe *r = plan->items[i].recipe;
		fprintf(out, "\t\"%s\" [label=\"%s\\n%s\", fillcolor=%s];\n", r->name, r->name,
			r->version, colors[r->stage]);
	}
	for (size_t i = 0; i < plan->n; i++) {
		const struct recipe *r = plan->items[i].recipe;
		for (size_t d = 0; d < r->depends.n; d++)
			if (plan_find(plan, r->depends.items[d]) >= 0)
				fprintf(out, "\t\"%s\" -> \"%s\";\n", r->name, r->depends.items[d]);
	}
	fputs("}\n", out);
}

int goal_parse(const char *s, enum goal *goal)
{
	if (!strcmp(s, "crosstool"))
		*goal = GOAL_CROSSTOOL;
	else if (!strcmp(s, "all"))
		*goal = GOAL_ALL;
	else
		return error("unknown goal '%s' (goals: crosstool all)", s);
	return 0;
}
