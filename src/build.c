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
#include "doctor.h"
#include "fetch.h"
#include "file.h"
#include "hooks.h"
#include "jobserver.h"
#include "manifest.h"
#include "plan.h"
#include "recipe.h"
#include "run.h"
#include "srctree.h"
#include "state.h"
#include "stepenv.h"
#include "strbuf.h"
#include "util.h"
#include "world.h"

enum { LOG_TAIL_LINES = 25 };

struct session {
	const struct world *w;
	const struct plan *plan;
	const struct arch *arch;
	struct state states[STAGE_COUNT];
	char *await_path;
	int arch_lock; /* held for the whole build; -1 */
	int host_lock; /* held while host packages are built; -1 */
	struct jobserver *jobserver; /* while building */
};

static char *state_path(const struct world *w, const struct arch *a, enum stage s)
{
	return s == STAGE_HOST ? world_path(w, "states/host")
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
	for (int st = 0; st < STAGE_COUNT; st++)
		state_free(&s->states[st]);
	free(s->await_path);
	if (s->host_lock >= 0)
		close(s->host_lock);
}

static const struct state_entry *entry_of(const struct session *s, size_t i)
{
	const struct recipe *r = s->plan->items[i].recipe;
	return state_find(&s->states[r->stage], r->name);
}

static bool is_done(const struct session *s, size_t i)
{
	const struct state_entry *e = entry_of(s, i);
	return e && !strcmp(e->key, s->plan->items[i].key);
}

static void print_log_tail(const char *log)
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

static int run_step(const struct session *s, const struct recipe *r, enum step_kind k,
		    const struct strv *env, const char *dir, int log_fd)
{
	const char *body = recipe_step(r, k, s->arch->name);
	if (!body)
		return 0;
	dprintf(log_fd, "==> %s\n", step_name(k));
	const char *argv[] = { "/bin/sh", "-eux", "-c", body, NULL };
	struct run run = RUN_INIT;
	run.argv = argv;
	run.env = (const char *const *)env->items;
	run.cwd = dir;
	run.log_fd = log_fd;
	run.tee = s->w->verbose;
	char *what = xasprintf("%s %s: the %s step", r->name, r->version, step_name(k));
	int ret = run_command(&run, what);
	free(what);
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
	return r->stage == STAGE_HOST ? "host" : s->arch->name;
}

/* One install at a time per arch (and for the host stage), so that each
 * package's manifest holds only the paths it created. */
static int take_install_lock(const struct session *s, const struct recipe *r)
{
	char *lock = world_path(s->w, "states/.install-%s", install_group(s, r));
	int fd = state_lock(lock, "the install folders", LOCK_WAIT_QUIETLY);
	free(lock);
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
	int ret = manifest_remove_listed(path, s->w->top);
	free(path);
	close(fd);
	return ret;
}

static int snapshot_roots(const struct session *s, const struct recipe *r,
			  struct manifest_snapshot *snap)
{
	char *roots[2];
	size_t n = stepenv_install_roots(s->w, s->arch, r->stage, roots);
	int ret = manifest_snapshot_take((const char *const *)roots, n, snap);
	for (size_t i = 0; i < n; i++)
		free(roots[i]);
	return ret;
}

/* The install step, with the paths it creates written to the manifest; a
 * failed install lists them too, so that the retry removes them first. */
static int run_install(const struct session *s, const struct recipe *r, const struct strv *env,
		       const char *dir, int log_fd)
{
	struct manifest_snapshot before = MANIFEST_SNAPSHOT_INIT, after = MANIFEST_SNAPSHOT_INIT;
	int fd = take_install_lock(s, r);
	int ret = fd < 0 ? -1 : snapshot_roots(s, r, &before);
	if (ret == 0) {
		ret = run_step(s, r, STEP_INSTALL, env, dir, log_fd);
		char *path = manifest_path(s, r);
		if (snapshot_roots(s, r, &after) < 0 ||
		    manifest_write_created(path, s->w->top, &before, &after) < 0)
			ret = -1;
		free(path);
	}
	manifest_snapshot_free(&before);
	manifest_snapshot_free(&after);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int run_steps(const struct session *s, const struct recipe *r, int log_fd)
{
	char *src = NULL, *dir = stepenv_build_dir(s->w, s->arch, r);
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

static int open_log(const char *path)
{
	char *dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	int ret = mkdir_p(dir);
	free(dir);
	if (ret < 0)
		return -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_APPEND, 0644);
	if (fd < 0)
		return error_errno("cannot create the log '%s'", path);
	return fd;
}

/* Host packages are shared by every arch: build them under one lock, and
 * look again once it is held, as another arch may have built them. Only
 * tried, never waited for: a driver blocked here would sit on jobserver
 * tokens that the lock's holder needs to finish the host stage. Returns 1
 * when held, 0 when another arch holds it, -1 on error. */
static int try_host_lock(struct session *s)
{
	if (s->host_lock >= 0)
		return 1;
	char *lock = world_path(s->w, "states/.lock-host");
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

/* The scheduler: packages whose dependencies are done start as soon as the
 * jobserver has a slot; each builds in a child process, and only this
 * process writes state files. */
enum status { TODO, RUNNING, DONE, FAILED };

struct job {
	pid_t pid;
	bool token;
	double start;
};

struct sched {
	struct session *s;
	struct jobserver js;
	enum status *status;
	struct job *jobs;
	size_t running;
	long failed; /* the first failed item, or -1 */
	size_t built[STAGE_COUNT];
	bool tty;
	bool host_busy;   /* another arch holds the host stage's lock */
	bool host_waited; /* and we said so */
};

static bool is_ready(const struct sched *q, size_t i)
{
	const struct plan_item *it = &q->s->plan->items[i];
	if (q->status[i] != TODO)
		return false;
	for (size_t d = 0; d < it->ndeps; d++)
		if (q->status[it->deps[d]] != DONE)
			return false;
	return true;
}

/* The ready package on the costliest remaining chain, the first in plan
 * order among equals. host: also host packages, whose lock another arch may
 * hold. */
static long next_ready(const struct sched *q, bool host)
{
	const struct plan *plan = q->s->plan;
	long best = -1;
	for (size_t i = 0; i < plan->n; i++)
		if (is_ready(q, i) &&
		    (host || plan->items[i].recipe->stage != STAGE_HOST) &&
		    (best < 0 || plan->items[i].path_cost > plan->items[best].path_cost))
			best = (long)i;
	return best;
}

static bool host_ready(const struct sched *q)
{
	for (size_t i = 0; i < q->s->plan->n; i++)
		if (is_ready(q, i) && q->s->plan->items[i].recipe->stage == STAGE_HOST)
			return true;
	return false;
}

/* Takes the host lock if a host package is ready and the lock is free. */
static int check_host_lock(struct sched *q)
{
	q->host_busy = false;
	if (!host_ready(q))
		return 0;
	int held = try_host_lock(q->s);
	if (held < 0)
		return -1;
	q->host_busy = !held;
	if (q->host_busy && !q->host_waited) {
		printf("%s: waiting for the host stage, which another arch is building\n",
		       q->s->arch->name);
		fflush(stdout);
		q->host_waited = true;
	}
	return 0;
}

static long next_startable(const struct sched *q)
{
	return next_ready(q, !q->host_busy);
}

/* await names the failed package, else the first one building, else none. */
static int update_await(const struct sched *q)
{
	long name = q->failed;
	for (size_t i = 0; name < 0 && i < q->s->plan->n; i++)
		if (q->status[i] == RUNNING)
			name = (long)i;
	return state_await_write(q->s->await_path, name < 0 ? NULL : q->s->plan->items[name].recipe->name);
}

static bool stage_finished(const struct sched *q, enum stage stage)
{
	for (size_t i = 0; i < q->s->plan->n; i++)
		if (q->s->plan->items[i].recipe->stage == stage && q->status[i] != DONE)
			return false;
	return true;
}

/* The other arches may go on as soon as the host stage is complete. */
static void release_host_lock(struct sched *q, enum stage stage)
{
	if (stage == STAGE_HOST && q->s->host_lock >= 0 && stage_finished(q, STAGE_HOST)) {
		close(q->s->host_lock);
		q->s->host_lock = -1;
	}
}

static _Noreturn void build_child(struct sched *q, size_t i)
{
	/* Only the driver holds the locks: were it killed, a child still dying
	 * must not keep the next run out. */
	if (q->s->arch_lock >= 0)
		close(q->s->arch_lock);
	if (q->s->host_lock >= 0)
		close(q->s->host_lock);
	const struct recipe *r = q->s->plan->items[i].recipe;
	char *log = stepenv_log_path(q->s->w, q->s->arch, r);
	int fd = open_log(log);
	int ret = fd < 0 ? -1 : run_steps(q->s, r, fd);
	fflush(NULL);
	_exit(ret == 0 ? 0 : 1);
}

static int start_job(struct sched *q, size_t i, bool token)
{
	const struct recipe *r = q->s->plan->items[i].recipe;
	if (is_done(q->s, i)) { /* another arch built it while we waited */
		q->status[i] = DONE;
		if (token)
			jobserver_give_back(&q->js);
		release_host_lock(q, r->stage);
		return 0;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return error_errno("cannot start building %s", r->name);
	if (pid == 0)
		build_child(q, i);
	q->jobs[i] = (struct job){ pid, token, now_seconds() };
	q->status[i] = RUNNING;
	q->running++;
	return update_await(q);
}

static int start_ready(struct sched *q)
{
	long i;
	if (check_host_lock(q) < 0)
		return -1;
	while (q->failed < 0 && (i = next_startable(q)) >= 0) {
		bool token = q->running > 0 || q->js.shared;
		if (token && !jobserver_try_take(&q->js))
			return 0;
		if (start_job(q, (size_t)i, token) < 0)
			return -1;
	}
	return 0;
}

static void print_done(const struct sched *q, const struct recipe *r, const char *what, double took)
{
	if (q->tty)
		printf("\r\033[K");
	printf("%-7s %-6s %-14s %-10s %s %.1f s\n", q->s->arch->name, stage_name(r->stage), r->name,
	       r->version, what, took);
	fflush(stdout);
}

static int after_success(struct sched *q, size_t i, double took)
{
	const struct plan_item *it = &q->s->plan->items[i];
	enum stage stage = it->recipe->stage;
	q->status[i] = DONE;
	q->built[stage]++;
	print_done(q, it->recipe, "done in", took);
	if (state_mark_done(&q->s->states[stage], it->recipe->name, it->recipe->version, it->key, took) < 0)
		return -1;
	if (!stage_finished(q, stage))
		return 0;
	release_host_lock(q, stage);
	return hooks_run(q->s->w, q->s->arch, stage);
}

static int finish_job(struct sched *q, pid_t pid, int status)
{
	size_t i = 0;
	while (i < q->s->plan->n && !(q->status[i] == RUNNING && q->jobs[i].pid == pid))
		i++;
	if (i == q->s->plan->n)
		return 0; /* not ours */
	q->running--;
	if (q->jobs[i].token)
		jobserver_give_back(&q->js);
	double took = now_seconds() - q->jobs[i].start;
	const struct recipe *r = q->s->plan->items[i].recipe;
	int ret = 0;
	if (status == 0) {
		ret = after_success(q, i, took);
	} else {
		q->status[i] = FAILED;
		if (q->failed < 0)
			q->failed = (long)i;
		print_done(q, r, "failed after", took);
		char *log = stepenv_log_path(q->s->w, q->s->arch, r);
		print_log_tail(log);
		free(log);
		ret = -1;
	}
	return update_await(q) < 0 ? -1 : ret;
}

static void show_running(const struct sched *q)
{
	if (!q->tty)
		return;
	printf("\r\033[Kbuilding:");
	for (size_t i = 0; i < q->s->plan->n; i++)
		if (q->status[i] == RUNNING)
			printf(" %s (%.0f s)", q->s->plan->items[i].recipe->name, now_seconds() - q->jobs[i].start);
	fflush(stdout);
}

static bool can_start_more(const struct sched *q)
{
	return q->failed < 0 && next_startable(q) >= 0;
}

/* Something is ready but waits for another arch's host stage. */
static bool waiting_for_host(const struct sched *q)
{
	return q->failed < 0 && q->host_busy && host_ready(q);
}

/* Reaps finished packages; in between, wakes for a free slot or the clock. */
static int wait_some(struct sched *q)
{
	int status;
	pid_t pid = waitpid(-1, &status, WNOHANG);
	if (pid > 0)
		return finish_job(q, pid, status);
	if (can_start_more(q))
		jobserver_wait(&q->js, 100);
	else
		usleep(50 * 1000);
	show_running(q);
	return 0;
}

static int schedule(struct sched *q)
{
	int ret = 0;
	if (start_ready(q) < 0)
		ret = -1;
	/* With a shared jobserver nothing may be running while we wait for a
	 * token that another arch's driver holds. */
	while (q->running || (ret == 0 && (can_start_more(q) || waiting_for_host(q)))) {
		if (wait_some(q) < 0)
			ret = -1;
		if (ret == 0 && start_ready(q) < 0)
			ret = -1;
	}
	for (size_t i = 0; ret == 0 && q->failed < 0 && i < q->s->plan->n; i++)
		if (q->status[i] != DONE)
			BUG("%s was never built", q->s->plan->items[i].recipe->name);
	if (q->failed >= 0) {
		const struct recipe *r = q->s->plan->items[q->failed].recipe;
		fprintf(stderr, "bootstrap: fix the recipe or add a patch, then run the same command: "
				"it resumes at %s, on a clean tree\n", r->name);
	}
	return q->failed >= 0 ? -1 : ret;
}

static int fetch_missing(const struct session *s)
{
	const struct recipe **list = xcalloc(s->plan->n, sizeof *list);
	size_t n = 0;
	for (size_t i = 0; i < s->plan->n; i++)
		if (!is_done(s, i) && s->plan->items[i].recipe->sha256)
			list[n++] = s->plan->items[i].recipe;
	int ret = n ? fetch_sources(s->w, list, n) : 0;
	free(list);
	return ret;
}

static int build_all(struct session *s)
{
	if (doctor_check(s->w, s->plan) < 0 || fetch_missing(s) < 0)
		return -1;
	struct sched q = { .s = s, .failed = -1, .tty = isatty(1) && !s->w->verbose };
	size_t todo = 0;
	q.status = xcalloc(s->plan->n, sizeof *q.status);
	q.jobs = xcalloc(s->plan->n, sizeof *q.jobs);
	for (size_t i = 0; i < s->plan->n; i++)
		todo += (q.status[i] = is_done(s, i) ? DONE : TODO) == TODO;
	int ret = 0;
	if (todo) {
		int attached = jobserver_attach(&q.js);
		ret = attached < 0 ? -1 : attached ? 0 : jobserver_open(&q.js, s->w->jobs);
	}
	if (ret == 0 && todo) {
		s->jobserver = &q.js;
		ret = schedule(&q);
		jobserver_close(&q.js);
	}
	if (ret == 0 && !todo)
		printf("%s: nothing to build, all %zu packages are done\n", s->arch->name, s->plan->n);
	free(q.status);
	free(q.jobs);
	return ret;
}

int build_run(const struct world *w, const struct plan *plan)
{
	char *states = world_path(w, "states");
	char *lock_path = world_path(w, "states/.lock-%s", plan->arch->name);
	int lock = mkdir_p(states) < 0 ? -1 : state_lock(lock_path, plan->arch->name, 0);
	free(states);
	free(lock_path);
	if (lock < 0)
		return -1;
	struct session s;
	int ret = session_open(&s, w, plan);
	s.arch_lock = lock;
	if (ret == 0)
		ret = build_all(&s);
	if (ret == 0 && plan->goal == GOAL_ALL)
		ret = boxroot_pack(w, plan, false);
	session_close(&s);
	close(lock);
	return ret;
}

int build_status(const struct world *w, const struct plan *plan)
{
	struct session s;
	if (session_open(&s, w, plan) < 0) {
		session_close(&s);
		return -1;
	}
	char *await = state_await_read(s.await_path);
	printf("%-14s %-10s %-6s %-9s %s\n", "package", "version", "stage", "state", "time");
	for (size_t i = 0; i < plan->n; i++) {
		const struct recipe *r = plan->items[i].recipe;
		const struct state_entry *e = entry_of(&s, i);
		const char *what = await && !strcmp(await, r->name) ? "awaiting"
				   : is_done(&s, i)			 ? "done"
				   : e					 ? "stale"
									 : "pending";
		printf("%-14s %-10s %-6s %-9s", r->name, r->version, stage_name(r->stage), what);
		if (e)
			printf(" %.1f s", e->seconds);
		putchar('\n');
	}
	free(await);
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
