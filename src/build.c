#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "boxroot.h"
#include "buildview.h"
#include "doctor.h"
#include "epoch.h"
#include "fetch.h"
#include "file.h"
#include "hooks.h"
#include "installed.h"
#include "jobserver.h"
#include "artifact.h"
#include "cache.h"
#include "ccache.h"
#include "digest.h"
#include "manifest.h"
#include "sched.h"
#include "session.h"
#include "plan.h"
#include "recipe.h"
#include "run.h"
#include "signals.h"
#include "srctree.h"
#include "state.h"
#include "sandbox.h"
#include "stepenv.h"
#include "strbuf.h"
#include "util.h"
#include "world.h"

enum { LOG_TAIL_LINES = 25 };
/* Seconds a stopped worker gets to end its steps before SIGKILL. */
#define STOP_GRACE 10.0


static char *state_path(const struct world *w, const struct arch *a, enum stage s)
{
	return s == STAGE_HOST ? world_path(w, "states/%s", stepenv_group(a, s))
			       : world_path(w, "states/%s-%s", stage_name(s), a->name);
}

static int session_open(struct session *s, const struct world *w, const struct plan *plan)
{
	memset(s, 0, sizeof *s);
	s->w = w;
	s->plan = plan;
	s->arch = plan->arch;
	s->host_lock = -1;
	s->arch_lock = -1;
	s->step_fd = -1;
	s->await_path = world_path(w, "states/await-%s", plan->arch->name);
	int ret = 0;
	for (int st = 0; st < STAGE_COUNT; st++) {
		char *path = state_path(w, s->arch, (enum stage)st);
		if (state_load(&s->states[st], path) < 0)
			ret = -1;
		free(path);
	}
	return ret;
}

static void session_close(struct session *s)
{
	sched_lookup_free(s->looked);
	for (int st = 0; st < STAGE_COUNT; st++)
		state_free(&s->states[st]);
	free(s->await_path);
	if (s->host_lock >= 0)
		close(s->host_lock);
}

const struct state_entry *session_entry(const struct session *s, size_t i)
{
	const struct recipe *r = s->plan->items[i].recipe;
	return state_find(&s->states[r->stage], r->name);
}

static char *manifest_path(const struct session *s, const struct recipe *r);

/* Which part of the key differs from the one the package was built with. */
static void why_stale(const struct session *s, size_t i, const struct state_entry *e,
		      struct strbuf *why)
{
	static const char *const part_names[] = { "recipe", "patches", "source" };
	const struct plan_item *it = &s->plan->items[i];
	for (int p = 0; p < 3 && *e->parts; p++)
		if (strncmp(e->parts + p * (PLAN_PART_LEN + 1), it->parts + p * (PLAN_PART_LEN + 1),
			    PLAN_PART_LEN)) {
			strbuf_addf(why, "stale: %s changed", part_names[p]);
			return;
		}
	for (size_t d = 0; d < it->ndeps; d++) {
		const struct recipe *dep = s->plan->items[it->deps[d]].recipe;
		const struct state_entry *de = state_find(&s->states[dep->stage], dep->name);
		if (!de || strcmp(de->key, s->plan->items[it->deps[d]].key)) {
			strbuf_addf(why, "stale: %s changed", dep->name);
			return;
		}
	}
	strbuf_adds(why, *e->parts ? "stale: a dependency, the build machine or "
				     "SOURCE_DATE_EPOCH changed"
				   : "stale: inputs changed");
}

/* Why item i is not done, in why ("pending", "stale: recipe changed",
 * "stale: files missing (PATH)"); NULL when it is done. */
static const char *why_not_done(const struct session *s, size_t i, struct strbuf *why)
{
	const struct state_entry *e = session_entry(s, i);
	strbuf_reset(why);
	if (!e) {
		strbuf_adds(why, "pending");
	} else if (strcmp(e->key, s->plan->items[i].key)) {
		why_stale(s, i, e, why);
	} else {
		struct strbuf gone = STRBUF_INIT;
		char *path = manifest_path(s, s->plan->items[i].recipe);
		if (manifest_first_missing(path, s->w->top, &gone))
			strbuf_addf(why, "stale: files missing (%s)", gone.data);
		free(path);
		strbuf_release(&gone);
	}
	return why->len ? why->data : NULL;
}

bool session_is_done(const struct session *s, size_t i)
{
	struct strbuf why = STRBUF_INIT;
	bool done = !why_not_done(s, i, &why);
	strbuf_release(&why);
	return done;
}

void session_print_log_tail(const char *log)
{
	struct strbuf text = STRBUF_INIT;
	file_read_quiet(log, &text);
	const char *start = text.data + text.len;
	int lines = 0;
	while (start > text.data && lines <= LOG_TAIL_LINES)
		if (*--start == '\n' && start + 1 != text.data + text.len)
			lines++;
	if (lines > LOG_TAIL_LINES)
		start++;
	fprintf(stderr, "--- last lines of %s ---\n%s", log, start);
	if (text.len && text.data[text.len - 1] != '\n')
		fputc('\n', stderr);
	fprintf(stderr, "--- the whole log: %s\n", log);
	strbuf_release(&text);
}

/* Tells the driver, which shows it, which step the worker is in. */
static void report_step(const struct session *s, const char *step)
{
	/* A full pipe only delays what the display shows. */
	if (s->step_fd >= 0)
		(void)!dprintf(s->step_fd, "%s\n", step);
}

/* What a step may write in the sandbox: its build folder, the build folder
 * it continues (gcc-libs in gcc's), its stage's install folders (made here,
 * as bwrap binds only what exists). */
static size_t step_writable(const struct session *s, const struct recipe *r, const char *dir,
			    char *out[5])
{
	size_t n = 0;
	out[n++] = xstrdup(dir);
	if (ccache_dir()) /* CCACHE: the objects it keeps */
		out[n++] = xstrdup(ccache_dir());
	if (r->continues)
		out[n++] = world_path(s->w, "work/%s/build/%s", stepenv_group(s->arch, r->stage), r->continues);
	n += stepenv_install_roots(s->w, s->arch, r->stage, out + n);
	for (size_t i = 0; i < n; i++)
		(void)mkdir_p(out[i]);
	return n;
}

static int run_step(const struct session *s, const struct recipe *r, enum step_kind k,
		    const struct strv *env, const char *dir, int log_fd)
{
	const char *body = recipe_step(r, k, arch_target(s->arch)->name);
	if (!body)
		return 0;
	report_step(s, step_name(k));
	dprintf(log_fd, "==> %s\n", step_name(k));
	const char *argv[] = { "/bin/sh", "-eux", "-c", body, NULL };
	const char *readable[] = { s->w->top, s->w->project };
	char *writable[5];
	size_t nwrite = 0;
	const char **boxed = NULL;
	if (sandbox_enabled() > 0) {
		nwrite = step_writable(s, r, dir, writable);
		boxed = sandbox_argv(argv, readable, 2, (const char *const *)writable, nwrite);
	}
	struct run run = RUN_INIT;
	run.argv = boxed ? boxed : argv;
	run.env = (const char *const *)env->items;
	run.cwd = dir;
	run.log_fd = log_fd;
	run.tee = s->w->verbose;
	char *what = xasprintf("%s %s: the %s step", r->name, r->version, step_name(k));
	int ret = run_command(&run, what);
	if (ret < 0 && boxed)
		fprintf(stderr, "bootstrap: note: %s\n", sandbox_hint());
	free(what);
	sandbox_argv_free(boxed);
	for (size_t i = 0; i < nwrite; i++)
		free(writable[i]);
	return ret;
}

/* An empty build folder, or for in-tree builders a fresh copy of the tree. */
static int fresh_build_dir(const struct recipe *r, const char *src, const char *dir, int log_fd)
{
	if (remove_tree(dir) < 0 || mkdir_p(dir) < 0)
		return -1;
	if (!r->intree)
		return 0;
	char *from = xasprintf("%s/.", src);
	const char *argv[] = { "cp", "-a", from, dir, NULL };
	struct run run = RUN_INIT;
	run.argv = argv;
	run.log_fd = log_fd;
	char *what = xasprintf("%s: copying the source tree", r->name);
	int ret = run_command(&run, what);
	free(what);
	free(from);
	return ret;
}

static const char *install_group(const struct session *s, const struct recipe *r)
{
	return stepenv_group(s->arch, r->stage);
}

/* One install at a time per arch (and for the host stage), so that each
 * package's manifest holds only the paths it created. An install killed
 * midway left its record: it is ended first, before anything else installs. */
static int take_install_lock(const struct session *s, const struct recipe *r)
{
	char *lock = world_path(s->w, "states/.install-%s", install_group(s, r));
	char *dir = world_path(s->w, "states/files/%s", install_group(s, r));
	int fd = state_lock(lock, "the install folders", LOCK_WAIT_QUIETLY);
	if (fd >= 0 && manifest_recover(dir, s->w->top) < 0) {
		close(fd);
		fd = -1;
	}
	free(lock);
	free(dir);
	return fd;
}

static char *manifest_path(const struct session *s, const struct recipe *r)
{
	return world_path(s->w, "states/files/%s/%s", install_group(s, r), r->name);
}

/* What the package's last install created goes before it is built again. */
static int remove_last_install(const struct session *s, const struct recipe *r, int log_fd)
{
	int fd = take_install_lock(s, r);
	if (fd < 0)
		return -1;
	char *path = manifest_path(s, r);
	if (path_exists(path))
		dprintf(log_fd, "==> removing what the last build installed (%s)\n", path);
	installed_forget(path);
	int ret = manifest_remove_listed(path, s->w->top);
	free(path);
	close(fd);
	return ret;
}

/* An install (fn(arg)), with the paths it creates written to the manifest;
 * a failed or killed install lists them too, so that the retry removes them
 * first. */
static int install_recorded(const struct session *s, const struct recipe *r,
			    int (*fn)(const void *arg), const void *arg)
{
	char *roots[2], *path = manifest_path(s, r);
	char *pending = xasprintf("%s%s", path, MANIFEST_PENDING_SUFFIX);
	size_t n = stepenv_install_roots(s->w, s->arch, r->stage, roots);
	int fd = take_install_lock(s, r);
	int ret = fd < 0 ? -1 : manifest_install_begin(pending, s->w->top,
						       (const char *const *)roots, n);
	if (ret == 0) {
		ret = fn(arg);
		if (manifest_install_end(pending, path, s->w->top) < 0)
			ret = -1;
		if (ret == 0)
			ret = installed_record(path, s->w->top);
	}
	for (size_t i = 0; i < n; i++)
		free(roots[i]);
	if (fd >= 0)
		close(fd);
	free(pending);
	free(path);
	return ret;
}

struct install_step {
	const struct session *s;
	const struct recipe *r;
	const struct strv *env;
	const char *dir;
	int log_fd;
};

static int run_install_step(const void *arg)
{
	const struct install_step *i = arg;
	return run_step(i->s, i->r, STEP_INSTALL, i->env, i->dir, i->log_fd);
}

static int run_install(const struct session *s, const struct recipe *r, const struct strv *env,
		       const char *dir, int log_fd)
{
	struct install_step step = { s, r, env, dir, log_fd };
	return install_recorded(s, r, run_install_step, &step);
}

int session_run_steps(const struct session *s, const struct recipe *r, int log_fd)
{
	char *src = NULL, *dir = stepenv_build_dir(s->w, s->arch, r);
	report_step(s, "unpack");
	int ret = srctree_ensure(s->w, s->arch, r, log_fd, &src);
	if (ret == 0)
		ret = remove_last_install(s, r, log_fd);
	if (ret == 0)
		ret = fresh_build_dir(r, src, dir, log_fd);
	struct strv env = STRV_INIT;
	if (ret == 0) {
		char flags[128];
		stepenv_make(s->w, s->arch, r, r->intree ? dir : src, &env);
		jobserver_makeflags(s->jobserver, flags, sizeof flags);
		strv_setenv(&env, "MAKEFLAGS", flags);
	}
	for (int k = STEP_CONFIGURE; ret == 0 && k < STEP_INSTALL; k++)
		ret = run_step(s, r, (enum step_kind)k, &env, dir, log_fd);
	if (ret == 0)
		ret = run_install(s, r, &env, dir, log_fd);
	strv_free(&env);
	free(src);
	free(dir);
	return ret;
}

struct unpack_step {
	const struct session *s;
	const struct recipe *r;
	const char *artifact;
};

/* The artifact into the stage's install folders, through a staging folder. */
static int unpack_artifact(const void *arg)
{
	const struct unpack_step *u = arg;
	char *roots[2];
	const char *rel[2];
	size_t n = stepenv_install_roots(u->s->w, u->s->arch, u->r->stage, roots);
	size_t skip = strlen(u->s->w->top) + 1;
	for (size_t i = 0; i < n; i++)
		rel[i] = roots[i] + skip;
	char *staging = world_path(u->s->w, "work/cache/unpack-%s-%s", install_group(u->s, u->r),
				   u->r->name);
	int ret = artifact_unpack(u->artifact, u->s->w->top, staging, rel, n);
	for (size_t i = 0; i < n; i++)
		free(roots[i]);
	free(staging);
	return ret;
}

/* What a substitution said goes to the log and, its first line, into one
 * warning: a store whose copy failed is worth a line, not an error, since
 * the package then comes from another store or is built. */
static void warn_from_log(const struct recipe *r, const char *store, const struct cache_hit *h,
			  int ret, char *text, int log_fd)
{
	dprintf(log_fd, "%s", text);
	char *line = strstr(text, ": error: ");
	line = line ? line + strlen(": error: ") : text;
	line[strcspn(line, "\n")] = '\0';
	if (ret < 0)
		warning("%s %s: the cache's copy could not be used (%s); building it", r->name,
			r->version, *line ? line : "interrupted");
	else if (*line)
		warning("%s %s: the copy in %s could not be used (%s); taken from %s", r->name,
			r->version, store, line, h->store->url);
}

int session_substitute(const struct session *s, const struct cache_config *c, size_t i,
		       struct cache_hit *h, int log_fd)
{
	const struct recipe *r = s->plan->items[i].recipe;
	char *text = NULL, *artifact = NULL, *store = xstrdup(h->store->url);
	size_t len = 0;
	FILE *said = open_memstream(&text, &len);
	report_to(said);
	report_step(s, "cache");
	dprintf(log_fd, "==> from the cache %s: %s.tar.zst (%llu bytes)\n", h->store->url,
		h->entry.key, h->entry.size);
	int ret = cache_download(s->w, c, s->plan, i, h, &artifact);
	if (ret == 0)
		ret = remove_last_install(s, r, log_fd);
	struct unpack_step u = { s, r, artifact };
	if (ret == 0)
		ret = install_recorded(s, r, unpack_artifact, &u);
	cache_download_done(s->w);
	free(artifact);
	report_to(stderr);
	fclose(said);
	warn_from_log(r, store, h, ret, text, log_fd);
	free(text);
	free(store);
	return ret;
}

char *session_manifest_path(const struct session *s, const struct recipe *r)
{
	return manifest_path(s, r);
}

int session_open_log(const char *path)
{
	char *dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	int ret = mkdir_p(dir);
	free(dir);
	if (ret < 0)
		return -1;
	return file_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
}

/* Host packages are shared by every arch: build them under one lock, and
 * look again once it is held, as another arch may have built them. Only
 * tried, never waited for: a driver blocked here would sit on jobserver
 * tokens that the lock's holder needs to finish the host stage. Returns 1
 * when held, 0 when another arch holds it, -1 on error. */
int session_try_host_lock(struct session *s)
{
	if (s->host_lock >= 0)
		return 1;
	char *lock = world_path(s->w, "states/.lock-%s", stepenv_group(s->arch, STAGE_HOST));
	s->host_lock = state_lock(lock, "the host stage", LOCK_TRY);
	free(lock);
	if (s->host_lock < 0)
		return errno == EWOULDBLOCK ? 0 : -1;
	char *path = state_path(s->w, s->arch, STAGE_HOST);
	state_free(&s->states[STAGE_HOST]);
	int ret = state_load(&s->states[STAGE_HOST], path);
	free(path);
	return ret < 0 ? -1 : 1;
}

int build_fetch(const struct world *w, const struct plan *plans, size_t n)
{
	size_t total = 0, k = 0;
	for (size_t p = 0; p < n; p++)
		total += plans[p].n;
	const struct recipe **list = xcalloc(total ? total : 1, sizeof *list);
	int ret = 0;
	for (size_t p = 0; ret == 0 && p < n; p++) {
		struct session s;
		ret = session_open(&s, w, &plans[p]);
		for (size_t i = 0; ret == 0 && i < plans[p].n; i++) {
			const struct recipe *r = plans[p].items[i].recipe;
			size_t j = 0;
			while (j < k && list[j] != r)
				j++;
			if (j == k && r->sha256 && !session_is_done(&s, i))
				list[k++] = r;
		}
		session_close(&s);
	}
	if (ret == 0 && k)
		ret = fetch_sources(w, list, k);
	free(list);
	return ret;
}

/* The arch's lock, held by whatever changes its states or trees. */
int build_lock(const struct world *w, const struct arch *a)
{
	char *states = world_path(w, "states");
	char *lock_path = world_path(w, "states/.lock-%s", a->name);
	int lock = mkdir_p(states) < 0 ? -1 : state_lock(lock_path, a->name, 0);
	free(states);
	free(lock_path);
	return lock;
}

long build_look_up(const struct world *w, const struct plan *plan, struct sched_lookup **looked)
{
	struct session s;
	size_t n = 0;
	*looked = session_open(&s, w, plan) < 0 ? NULL : sched_look_up(&s, &n);
	session_close(&s);
	return *looked ? (long)n : -1;
}

void build_look_up_free(struct sched_lookup *looked)
{
	sched_lookup_free(looked);
}

int build_run_with(const struct world *w, const struct plan *plan, struct sched_lookup *looked)
{
	int lock = sandbox_enabled() < 0 ? -1 : build_lock(w, plan->arch);
	if (lock < 0) {
		sched_lookup_free(looked);
		return -1;
	}
	struct session s;
	int ret = session_open(&s, w, plan);
	s.looked = looked;
	s.arch_lock = lock;
	if (ret == 0)
		ret = sched_build(&s);
	if (ret == 0 && plan->goal == GOAL_ALL)
		ret = boxroot_pack(w, plan, false);
	session_close(&s);
	close(lock);
	return ret;
}

int build_run(const struct world *w, const struct plan *plan)
{
	return build_run_with(w, plan, NULL);
}

/* done, building, failed, interrupted, pending or stale (with why). */
static const char *state_word(const struct session *s, size_t i, const char *await, bool failed,
			      long builder, struct strbuf *why)
{
	const char *not_done = why_not_done(s, i, why);
	if (!not_done) /* an await left by a kill after the state was written */
		return "done";
	if (await && !strcmp(await, s->plan->items[i].recipe->name))
		return failed ? "failed" : builder ? "building" : "interrupted";
	return not_done;
}

int build_push(const struct world *w, const struct plan *plan, const struct cache_config *c,
	       struct strbuf *seen)
{
	struct session s;
	if (session_open(&s, w, plan) < 0)
		return -1;
	int ret = 0;
	size_t done = 0;
	for (size_t i = 0; i < plan->n; i++) {
		const struct plan_item *it = &plan->items[i];
		if (!session_is_done(&s, i))
			continue;
		done++;
		if (strstr(seen->data ? seen->data : "", it->key))
			continue;
		strbuf_addf(seen, "%s\n", it->key);
		const char *what;
		char *manifest = manifest_path(&s, it->recipe);
		if (cache_push(w, c, plan, i, manifest, &what) < 0)
			ret = -1;
		else
			printf("push: %-14s %-10s %-7s %s%s\n", it->recipe->name, it->recipe->version,
			       stepenv_group(plan->arch, it->recipe->stage),
			       strcmp(what, "pushed") && strcmp(what, "already there") ? "pushed again: " : "",
			       what);
		free(manifest);
	}
	if (!done)
		ret = error("%s: nothing is built to push (bootstrap build %s first)", plan->arch->name,
			    plan->arch->name);
	else if (done < plan->n)
		printf("push: %zu of the %zu packages of %s are not built, and not pushed\n",
		       plan->n - done, plan->n, plan->arch->name);
	session_close(&s);
	return ret;
}

long build_first_not_done(const struct world *w, const struct plan *plan)
{
	struct session s;
	if (session_open(&s, w, plan) < 0)
		return -2;
	long missing = -1;
	for (size_t i = 0; missing < 0 && i < plan->n; i++)
		if (!session_is_done(&s, i))
			missing = (long)i;
	session_close(&s);
	return missing;
}

static bool offers(const struct recipe *r, const char *version)
{
	for (size_t i = 0; i < r->versions.n; i++)
		if (!strcmp(r->versions.items[i], version))
			return true;
	return false;
}

/* Adds " NAME=VERSION" for item i when its state line has another version
 * its recipe offers; out is " a=1 b=2 ", each choice once. */
static void add_other_choice(const struct session *s, size_t i, struct strbuf *out)
{
	const struct recipe *r = s->plan->items[i].recipe;
	const struct state_entry *e = session_entry(s, i);
	if (!e || !strcmp(e->version, r->version) || !offers(r, e->version))
		return;
	/* A follower's version is its leader's choice. */
	char *choice = xasprintf(" %s=%s ", r->follows ? r->follows : r->name, e->version);
	if (!strstr(out->data, choice))
		strbuf_adds(out, choice + 1);
	free(choice);
}

char *build_other_choices(const struct world *w, const struct plan *plan)
{
	struct session s;
	struct strbuf out = STRBUF_INIT;
	strbuf_addc(&out, ' ');
	if (session_open(&s, w, plan) == 0)
		for (size_t i = 0; i < plan->n; i++)
			add_other_choice(&s, i, &out);
	session_close(&s);
	char *words = xstrndup_trimmed(out.data, out.len);
	strbuf_release(&out);
	return words;
}

int build_require_done(const struct world *w, const struct plan *plan)
{
	long i = build_first_not_done(w, plan);
	if (i < 0)
		return i == -1 ? 0 : -1;
	char *choices = build_other_choices(w, plan);
	if (*choices) {
		error("%s %s is not built for %s: it was built with %s; give the same choice to this "
		      "command (a version choice is not remembered)", plan->items[i].recipe->name,
		      plan->items[i].recipe->version, plan->arch->name, choices);
		free(choices);
		return -1;
	}
	free(choices);
	return error("%s is not built for %s: run bootstrap build %s --goal %s%s%s first",
		     plan->items[i].recipe->name, plan->arch->name, arch_target(plan->arch)->name,
		     plan->goal == GOAL_ALL ? "all" : "crosstool", plan->arch->host ? " --host " : "",
		     plan->arch->host ? plan->arch->host->name : "");
}

int build_dist(const struct world *w, const struct plan *plan, const char *gcc_version)
{
	if (build_require_done(w, plan) < 0)
		return -1;
	/* x86_64-linux-musl-16.2.0, or hosted: ...-16.2.0-aarch64-hosted */
	char *as = plan->arch->host ? xasprintf("%s-%s-%s-hosted", plan->arch->triplet, gcc_version,
						plan->arch->host->name)
				    : xasprintf("%s-%s", plan->arch->triplet, gcc_version);
	char *dir = world_path(w, "toolchain/%s", plan->arch->name);
	char *out = world_path(w, "output/%s.tar.zst", as), *sums = xasprintf("%s.sha256", out);
	char *outdir = world_path(w, "output");
	long long epoch;
	char hex[DIGEST_HEX_LEN + 1];
	int ret = epoch_from_env(&epoch);
	if (ret == 0)
		ret = mkdir_p(outdir);
	if (ret == 0)
		ret = artifact_pack_tree(dir, as, out, epoch);
	if (ret == 0)
		ret = digest_sha256_file(out, hex);
	if (ret == 0) {
		char *line = xasprintf("%s  %s.tar.zst\n", hex, as);
		ret = file_write_atomic(sums, line, strlen(line));
		free(line);
	}
	if (ret == 0)
		printf("dist: wrote %s (sha256 %s) and its .sha256; unpack it anywhere: tar -xf %s.tar.zst\n",
		       out, hex, as);
	free(as);
	free(dir);
	free(out);
	free(sums);
	free(outdir);
	return ret;
}

int build_status(const struct world *w, const struct plan *plan)
{
	struct session s;
	if (session_open(&s, w, plan) < 0) {
		session_close(&s);
		return -1;
	}
	char *lock = world_path(w, "states/.lock-%s", plan->arch->name);
	long builder = state_lock_holder(lock);
	bool failed;
	char *await = state_await_read(s.await_path, &failed);
	struct strbuf why = STRBUF_INIT;
	size_t done = 0;
	if (builder)
		printf("%s: building, pid %ld\n", plan->arch->name, builder);
	printf("%-14s %-10s %-6s %-11s %s\n", "package", "version", "stage", "state", "time");
	for (size_t i = 0; i < plan->n; i++) {
		const struct recipe *r = plan->items[i].recipe;
		const struct state_entry *e = session_entry(&s, i);
		const char *what = state_word(&s, i, await, failed, builder, &why);
		char took[32] = "";
		if (e)
			format_duration(e->seconds, took, sizeof took);
		printf("%-14s %-10s %-6s %-11s %s%s\n", r->name, r->version, stage_name(r->stage), what, took,
		       e && e->from_cache && !strcmp(what, "done") ? " (from the cache)" : "");
		done += !strcmp(what, "done");
	}
	printf("%zu/%zu done\n", done, plan->n);
	strbuf_release(&why);
	free(await);
	free(lock);
	session_close(&s);
	return 0;
}

int build_reset(const struct world *w, const struct plan *plan, const char *pkg)
{
	struct session s;
	int ret = session_open(&s, w, plan);
	unsigned char *want = xcalloc(plan->n, 1);
	plan_mark_dependents(plan, (size_t)plan_find(plan, pkg), want);
	for (size_t i = 0; ret == 0 && i < plan->n; i++) {
		const struct recipe *r = plan->items[i].recipe;
		if (!want[i] || !state_find(&s.states[r->stage], r->name))
			continue;
		ret = state_forget(&s.states[r->stage], r->name);
		if (ret == 0)
			printf("forgot %s %s\n", r->name, r->version);
	}
	free(want);
	session_close(&s);
	return ret;
}

int build_shell(const struct world *w, const struct plan *plan, const char *pkg)
{
	const struct recipe *r = plan->items[plan_find(plan, pkg)].recipe;
	char *src = NULL, *dir = stepenv_build_dir(w, plan->arch, r);
	int ret = r->sha256 ? fetch_sources(w, &r, 1) : 0;
	if (ret == 0)
		ret = srctree_ensure(w, plan->arch, r, 2, &src);
	if (ret == 0)
		ret = mkdir_p(dir);
	if (ret == 0) {
		struct strv env = STRV_INIT;
		stepenv_make(w, plan->arch, r, r->intree ? dir : src, &env);
		strv_setenv(&env, "PS1", "[bootstrap shell] \\w $ ");
		char *flags = xasprintf("-j%d", w->jobs);
		strv_setenv(&env, "MAKEFLAGS", flags);
		free(flags);
		const char *term = getenv("TERM");
		strv_setenv(&env, "TERM", term ? term : "dumb");
		/* No startup files: ~/.bashrc would put the user's PATH ahead of the
		 * toolchain and replace the prompt. /bin/sh -i reads only $ENV,
		 * which the step environment never holds. */
		const char *bash[] = { "bash", "--norc", "--noprofile", "-i", NULL };
		const char *sh[] = { "/bin/sh", "-i", NULL };
		const char **argv = program_on_path("bash") ? bash : sh;
		struct run run = RUN_INIT;
		run.argv = argv;
		run.env = (const char *const *)env.items;
		run.cwd = dir;
		run.interactive = true;
		printf("a shell in %s with %s's build environment; exit to leave\n", dir, r->name);
		ret = run_command(&run, "the shell");
		strv_free(&env);
	}
	free(src);
	free(dir);
	return ret;
}
