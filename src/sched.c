#include "sched.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "buildview.h"
#include "cache.h"
#include "ccache.h"
#include "doctor.h"
#include "estimate.h"
#include "fetch.h"
#include "file.h"
#include "hooks.h"
#include "jobserver.h"
#include "plan.h"
#include "session.h"
#include "settings.h"
#include "signals.h"
#include "stepenv.h"
#include "util.h"
#include "world.h"

/* Seconds a stopped worker gets to end its steps before SIGKILL. */
#define STOP_GRACE 10.0
#define HEARTBEAT_DEFAULT 120.0

enum status { TODO, RUNNING, DONE, FAILED, STOPPED };

struct job {
	pid_t pid;
	bool token;
	double start;
	int step_fd;	/* the read end of the worker's step reports */
	char step[16];	/* the step it last reported */
};

struct sched {
	struct session *s;
	struct jobserver js;
	enum status *status;
	struct job *jobs;
	size_t running;
	long failed; /* the first failed item, or -1 */
	struct estimate times; /* seconds each package is expected to take */
	struct buildview view;
	bool host_busy;	  /* another arch holds the host stage's lock */
	bool host_waited; /* and we said so */
	struct cache_config cache;
	struct cache_hit *hits; /* per item: found in a cache */
};

/* Whether everything i depends on, to the bottom, is done. A done package
 * whose own dependency is being built again (its state line was lost: the
 * same key is rebuilt) has its files in flux: gcc-libs goes on in gcc's
 * build folder, whose make rebuilds against the host libraries' headers. */
static bool all_done_below(const struct sched *q, size_t i)
{
	const struct plan_item *it = &q->s->plan->items[i];
	for (size_t d = 0; d < it->ndeps; d++)
		if (q->status[it->deps[d]] != DONE || !all_done_below(q, it->deps[d]))
			return false;
	return true;
}

static bool is_ready(const struct sched *q, size_t i)
{
	return q->status[i] == TODO && all_done_below(q, i);
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
	int held = session_try_host_lock(q->s);
	if (held < 0)
		return -1;
	q->host_busy = !held;
	if (q->host_busy && !q->host_waited) {
		buildview_line(&q->view, "%s: waiting for the host stage, which another arch is building",
			       q->s->arch->name);
		q->host_waited = true;
	}
	return 0;
}

static long next_startable(const struct sched *q)
{
	return next_ready(q, !q->host_busy);
}

/* await names the failed package, else the first one building or stopped,
 * else none. */
static int update_await(const struct sched *q)
{
	long name = q->failed;
	for (size_t i = 0; name < 0 && i < q->s->plan->n; i++)
		if (q->status[i] == RUNNING || q->status[i] == STOPPED)
			name = (long)i;
	return state_await_write(q->s->await_path, name < 0 ? NULL : q->s->plan->items[name].recipe->name,
				 q->failed >= 0);
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

/* CACHE_PUSH: a package just built goes up; a failure only warns. */
static void push_built(struct sched *q, size_t i)
{
	const struct recipe *r = q->s->plan->items[i].recipe;
	char *manifest = session_manifest_path(q->s, r);
	const char *what;
	if (cache_push(q->s->w, &q->cache, q->s->plan, i, manifest, &what) < 0)
		warning("%s %s: not pushed to %s (see above); the build goes on", r->name, r->version,
			q->cache.push.url);
	free(manifest);
}

static _Noreturn void build_child(struct sched *q, size_t i, pid_t driver, int step_fd)
{
	signals_worker_setup(driver);
	/* Only the driver holds the locks: were it killed, a child still dying
	 * must not keep the next run out. */
	if (q->s->arch_lock >= 0)
		close(q->s->arch_lock);
	if (q->s->host_lock >= 0)
		close(q->s->host_lock);
	q->s->step_fd = step_fd;
	const struct recipe *r = q->s->plan->items[i].recipe;
	char *log = stepenv_log_path(q->s->w, q->s->arch, r);
	int fd = session_open_log(log);
	int ret = fd < 0 ? -1 : 0;
	bool from_cache = false;
	if (ret == 0 && q->hits[i].found) {
		from_cache = session_substitute(q->s, &q->cache, i, &q->hits[i], fd) == 0;
	}
	/* The source was not fetched for a package the cache was to give. */
	if (ret == 0 && !from_cache && q->hits[i].found && r->sha256)
		ret = fetch_sources(q->s->w, &r, 1);
	if (ret == 0 && !from_cache)
		ret = session_run_steps(q->s, r, fd);
	if (ret == 0 && !from_cache && q->cache.pushing)
		push_built(q, i);
	fflush(NULL);
	_exit(ret == 0 ? 0 : 1);
}

static int start_job(struct sched *q, size_t i, bool token)
{
	const struct recipe *r = q->s->plan->items[i].recipe;
	if (session_is_done(q->s, i)) { /* another arch built it while we waited */
		q->status[i] = DONE;
		if (token)
			jobserver_give_back(&q->js);
		release_host_lock(q, r->stage);
		return 0;
	}
	/* The worker first removes what the last build installed: a kill after
	 * that must not leave the old line, whose key may still be current (a
	 * rebuild for missing files), calling the package done. */
	if (session_entry(q->s, i) && state_forget(&q->s->states[r->stage], r->name) < 0)
		return -1;
	int steps[2];
	if (pipe2(steps, O_CLOEXEC | O_NONBLOCK) < 0)
		return error_errno("cannot start building %s", r->name);
	hooks_forget(q->s->w, q->s->arch, r->stage);
	buildview_started(&q->view, r);
	pid_t driver = getpid(), pid = fork();
	if (pid < 0)
		return error_errno("cannot start building %s", r->name);
	if (pid == 0) {
		close(steps[0]);
		build_child(q, i, driver, steps[1]);
	}
	close(steps[1]);
	q->jobs[i] = (struct job){ pid, token, now_seconds(), steps[0], "" };
	estimate_started(&q->times, q->jobs[i].start);
	q->status[i] = RUNNING;
	q->running++;
	return update_await(q);
}

static int start_ready(struct sched *q)
{
	long i;
	if (check_host_lock(q) < 0)
		return -1;
	while (q->failed < 0 && !signals_caught() && (i = next_startable(q)) >= 0) {
		bool token = q->running > 0 || q->js.shared;
		if (token && !jobserver_try_take(&q->js))
			return 0;
		if (start_job(q, (size_t)i, token) < 0)
			return -1;
	}
	return 0;
}

static int after_success(struct sched *q, size_t i, double took)
{
	const struct plan_item *it = &q->s->plan->items[i];
	enum stage stage = it->recipe->stage;
	bool from_cache = !strcmp(q->jobs[i].step, "cache");
	q->status[i] = DONE;
	buildview_ended(&q->view, it->recipe, from_cache ? "from the cache in" : "done in", took);
	if (!from_cache)
		estimate_built(&q->times, i, took, now_seconds());
	if (state_mark_done(&q->s->states[stage], it->recipe->name, it->recipe->version, it->key, took,
			    it->parts, from_cache) < 0)
		return -1;
	if (!stage_finished(q, stage))
		return 0;
	release_host_lock(q, stage);
	buildview_clear(&q->view);
	return hooks_run(q->s->w, q->s->arch, stage);
}

/* The job at i is over: its slot and its step pipe go back. */
static void end_job(struct sched *q, size_t i)
{
	q->running--;
	if (q->jobs[i].token)
		jobserver_give_back(&q->js);
	close(q->jobs[i].step_fd);
	q->jobs[i].step_fd = -1;
}

/* The last step worker i reported so far (the pipe does not block). */
static void read_step_of(struct sched *q, size_t i)
{
	char buf[256];
	ssize_t n;
	while ((n = read(q->jobs[i].step_fd, buf, sizeof buf - 1)) > 0) {
		buf[n] = '\0';
		while (n > 0 && buf[n - 1] == '\n')
			buf[--n] = '\0';
		char *last = strrchr(buf, '\n');
		last = last ? last + 1 : buf;
		if (!*last)
			continue;
		size_t len = strnlen(last, sizeof q->jobs[i].step - 1);
		memcpy(q->jobs[i].step, last, len);
		q->jobs[i].step[len] = '\0';
	}
}

static void read_steps(struct sched *q)
{
	for (size_t i = 0; i < q->s->plan->n; i++)
		if (q->status[i] == RUNNING)
			read_step_of(q, i);
}

static int finish_job(struct sched *q, pid_t pid, int status)
{
	size_t i = 0;
	while (i < q->s->plan->n && !(q->status[i] == RUNNING && q->jobs[i].pid == pid))
		i++;
	if (i == q->s->plan->n)
		return 0; /* not ours */
	/* A worker may end before its last reports were read ("cache": it came
	 * from the cache); they are all in the pipe now. */
	read_step_of(q, i);
	end_job(q, i);
	double took = now_seconds() - q->jobs[i].start;
	const struct recipe *r = q->s->plan->items[i].recipe;
	int ret = 0;
	if (status == 0) {
		ret = after_success(q, i, took);
	} else {
		q->status[i] = FAILED;
		if (q->failed < 0)
			q->failed = (long)i;
		char *what = xasprintf("failed in %s after", q->jobs[i].step[0] ? q->jobs[i].step : "its start");
		buildview_ended(&q->view, r, what, took);
		free(what);
		char *log = stepenv_log_path(q->s->w, q->s->arch, r);
		session_print_log_tail(log);
		free(log);
		ret = -1;
	}
	return update_await(q) < 0 ? -1 : ret;
}

/* What is left of the expected times of what is not done. A package past
 * its expected time is guessed to need a tenth of its time so far again,
 * rather than nothing, so the estimate never reads 0s while it runs. */
static double eta(const struct sched *q, double now)
{
	double left = 0;
	for (size_t i = 0; i < q->s->plan->n; i++) {
		double e = estimate_expected(&q->times, i), ran = now - q->jobs[i].start;
		if (q->status[i] == RUNNING)
			left += e - ran > ran / 10 ? e - ran : ran / 10;
		else if (q->status[i] == TODO)
			left += e;
	}
	return left;
}

static void show_running(struct sched *q)
{
	struct view_job jobs[64];
	size_t n = 0;
	for (size_t i = 0; i < q->s->plan->n && n < 64; i++)
		if (q->status[i] == RUNNING) {
			jobs[n] = (struct view_job){ q->s->plan->items[i].recipe->name, "", q->jobs[i].start };
			memcpy(jobs[n++].step, q->jobs[i].step, sizeof jobs[0].step);
		}
	buildview_tick(&q->view, jobs, n, eta(q, now_seconds()));
}

static bool can_start_more(const struct sched *q)
{
	return q->failed < 0 && !signals_caught() && next_startable(q) >= 0;
}

/* Something is ready but waits for another arch's host stage. */
static bool waiting_for_host(const struct sched *q)
{
	return q->failed < 0 && !signals_caught() && q->host_busy && host_ready(q);
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
	read_steps(q);
	show_running(q);
	return 0;
}

/* A signal: every worker and its steps stop; await names where to resume. */
static int stop_all(struct sched *q)
{
	size_t done = 0, stopped = 0;
	buildview_clear(&q->view);
	for (size_t i = 0; i < q->s->plan->n; i++) {
		if (q->status[i] == RUNNING) {
			signals_stop_group(q->jobs[i].pid, STOP_GRACE);
			end_job(q, i);
			q->status[i] = STOPPED;
			buildview_line(&q->view, "%-7s %-6s %-14s %-10s stopped", q->s->arch->name,
				       stage_name(q->s->plan->items[i].recipe->stage),
				       q->s->plan->items[i].recipe->name, q->s->plan->items[i].recipe->version);
			stopped++;
		}
		done += q->status[i] == DONE;
	}
	update_await(q);
	cache_remove_dead_downloads(q->s->w); /* a stopped worker's download */
	printf("%s: interrupted by %s: %zu of %zu packages done and kept%s; run the same command to "
	       "resume\n",
	       q->s->arch->name, strsignal(signals_caught()), done, q->s->plan->n,
	       stopped ? ", the ones stopped start again" : "");
	fflush(stdout);
	return -1;
}

/* A package that continues another's build folder resumes in it as that one
 * left it, not on a clean tree: if the failure damaged that folder, a rerun
 * fails the same way until both are built again. */
static void say_how_to_resume(const char *arch, const struct recipe *r)
{
	if (r->continues)
		fprintf(stderr, "bootstrap: fix the recipe or add a patch, then run the same command: "
				"it resumes at %s in %s's build folder as %s left it (if that folder is "
				"damaged: bootstrap reset %s %s, which builds both again)\n",
			r->name, r->continues, r->continues, arch, r->continues);
	else
		fprintf(stderr, "bootstrap: fix the recipe or add a patch, then run the same command: "
				"it resumes at %s, on a clean tree\n", r->name);
}

static int schedule(struct sched *q)
{
	int ret = 0;
	if (start_ready(q) < 0)
		ret = -1;
	/* With a shared jobserver nothing may be running while we wait for a
	 * token that another arch's driver holds. */
	while (!signals_caught() &&
	       (q->running || (ret == 0 && (can_start_more(q) || waiting_for_host(q))))) {
		if (wait_some(q) < 0)
			ret = -1;
		if (ret == 0 && start_ready(q) < 0)
			ret = -1;
	}
	if (signals_caught())
		return stop_all(q);
	buildview_clear(&q->view);
	for (size_t i = 0; ret == 0 && q->failed < 0 && i < q->s->plan->n; i++)
		if (q->status[i] != DONE)
			BUG("%s was never built", q->s->plan->items[i].recipe->name);
	if (q->failed >= 0)
		say_how_to_resume(q->s->arch->name, q->s->plan->items[q->failed].recipe);
	return q->failed >= 0 ? -1 : ret;
}

/* The sources of what is not done and not in a cache. */
static int fetch_missing(const struct session *s, const struct cache_hit *hits)
{
	const struct recipe **list = xcalloc(s->plan->n, sizeof *list);
	size_t n = 0;
	for (size_t i = 0; i < s->plan->n; i++)
		if (!session_is_done(s, i) && !hits[i].found && s->plan->items[i].recipe->sha256)
			list[n++] = s->plan->items[i].recipe;
	int ret = n ? fetch_sources(s->w, list, n) : 0;
	free(list);
	return ret;
}

/* The hooks of every stage in the plan whose stamp is missing: a hook that
 * failed or was killed runs again even when nothing is built. */
static int run_due_hooks(const struct session *s)
{
	bool seen[STAGE_COUNT] = { false };
	for (size_t i = 0; i < s->plan->n; i++)
		seen[s->plan->items[i].recipe->stage] = true;
	for (int st = 0; st < STAGE_COUNT; st++)
		if (seen[st] && hooks_run(s->w, s->arch, (enum stage)st) < 0)
			return -1;
	return 0;
}

/* A run killed after its last package's state was written, but before await
 * was cleared, leaves await naming a done package: with nothing to build,
 * no package would ever clear it. */
static int clear_await(const struct session *s)
{
	bool failed;
	char *await = state_await_read(s->await_path, &failed);
	int ret = await ? state_await_write(s->await_path, NULL, false) : 0;
	free(await);
	return ret;
}

static double heartbeat_seconds(void)
{
	double d = HEARTBEAT_DEFAULT;
	if (settings_heartbeat(&d) < 0) /* checked before the command ran */
		BUG("HEARTBEAT went bad");
	return d;
}

struct sched_lookup {
	struct cache_config cache; /* which the hits point into */
	struct cache_hit *hits;
	size_t n;
};

static void free_hits(struct cache_hit *hits, size_t n)
{
	for (size_t i = 0; hits && i < n; i++)
		cache_hit_free(&hits[i]);
	free(hits);
}

void sched_lookup_free(struct sched_lookup *l)
{
	if (!l)
		return;
	free_hits(l->hits, l->n);
	cache_config_free(&l->cache);
	free(l);
}

static void sched_free(struct sched *q)
{
	free_hits(q->hits, q->s->plan->n);
	cache_config_free(&q->cache);
	free(q->status);
	free(q->jobs);
	estimate_free(&q->times);
}

static int run_todo(struct sched *q)
{
	int attached = jobserver_attach(&q->js);
	int ret = attached < 0 ? -1 : attached ? 0 : jobserver_open(&q->js, q->s->w->jobs);
	if (ret == 0) {
		q->s->jobserver = &q->js;
		ret = schedule(q);
		jobserver_close(&q->js);
	}
	return ret;
}

/* A package whose build folder another goes on in (continues) is taken from
 * a cache only when that other one is too, or is done: from a cache it has
 * no build folder. */
static void keep_together(struct sched *q)
{
	const struct plan *plan = q->s->plan;
	for (size_t j = 0; j < plan->n; j++) {
		const char *lead = plan->items[j].recipe->continues;
		long i = lead ? plan_find(plan, lead) : -1;
		if (i >= 0 && q->hits[i].found && q->status[j] == TODO && !q->hits[j].found) {
			printf("cache: %s goes with %s, which is not in the cache; building both\n", lead,
			       plan->items[j].recipe->name);
			cache_hit_free(&q->hits[i]);
		}
	}
}

static int look_up(struct sched *q)
{
	bool *todo = xcalloc(q->s->plan->n, sizeof *todo);
	for (size_t i = 0; i < q->s->plan->n; i++)
		todo[i] = q->status[i] == TODO;
	int ret = cache_lookup(q->s->w, &q->cache, q->s->plan, todo, q->hits);
	if (ret == 0)
		keep_together(q);
	free(todo);
	return ret;
}

/* CCACHE: how many of this build's compilations it had already. */
static void say_ccache(const struct session *s, const struct ccache_stats *before)
{
	struct ccache_stats after;
	if (ccache_stats_read(&after) < 0)
		return;
	long long hits = after.hits - before->hits, all = hits + after.misses - before->misses;
	printf("%s: ccache: %lld of %lld compilations taken from %s (%.0f%%)\n", s->arch->name, hits,
	       all, ccache_dir(), all ? 100.0 * (double)hits / (double)all : 0.0);
}

/* What is done, the cache settings, and the hits of what is not: looked up
 * now, or taken from the session (sched_look_up). The number not done. */
static size_t sched_start(struct sched *q, struct session *s)
{
	size_t todo = 0;
	*q = (struct sched){ .s = s, .failed = -1 };
	q->status = xcalloc(s->plan->n, sizeof *q->status);
	q->jobs = xcalloc(s->plan->n, sizeof *q->jobs);
	for (size_t i = 0; i < s->plan->n; i++)
		todo += (q->status[i] = session_is_done(s, i) ? DONE : TODO) == TODO;
	if (s->looked) {
		q->cache = s->looked->cache;
		q->hits = s->looked->hits;
		free(s->looked);
		s->looked = NULL;
		return todo;
	}
	if (cache_config_load(&q->cache) < 0) /* checked before the command ran */
		BUG("the cache settings went bad");
	q->hits = xcalloc(s->plan->n, sizeof *q->hits);
	if (todo && q->cache.nfrom)
		look_up(q); /* stopped by a signal: the caller looks */
	return todo;
}

struct sched_lookup *sched_look_up(struct session *s, size_t *to_build)
{
	struct sched q;
	sched_start(&q, s);
	*to_build = 0;
	for (size_t i = 0; i < s->plan->n; i++)
		*to_build += q.status[i] == TODO && !q.hits[i].found;
	struct sched_lookup *l = xmalloc(sizeof *l);
	*l = (struct sched_lookup){ q.cache, q.hits, s->plan->n };
	q.hits = NULL;
	memset(&q.cache, 0, sizeof q.cache);
	sched_free(&q);
	return l;
}

int sched_build(struct session *s)
{
	struct sched q;
	size_t todo = sched_start(&q, s);
	if (signals_caught()) { /* during the lookup: the caller says so */
		sched_free(&q);
		return -1;
	}
	if (doctor_check(s->w, s->plan) < 0 || (!s->w->fetched && fetch_missing(s, q.hits) < 0)) {
		sched_free(&q);
		return -1;
	}
	estimate_load(&q.times, s);
	buildview_init(&q.view, s->arch->name, s->plan->n - todo, s->plan->n, heartbeat_seconds());
	struct ccache_stats before;
	bool counting = todo && ccache_dir() && ccache_stats_read(&before) == 0;
	int ret = todo ? run_todo(&q) : 0;
	if (counting)
		say_ccache(s, &before);
	if (ret == 0 && !todo) {
		printf("%s: nothing to build, all %zu packages are done\n", s->arch->name, s->plan->n);
		ret = clear_await(s);
	}
	if (ret == 0)
		ret = run_due_hooks(s);
	sched_free(&q);
	return ret;
}
