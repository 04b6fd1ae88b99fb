/* bootstrap: a musl cross-toolchain and package-recipe bootstrapper.
 * This file holds the commands and options; the work is in src/. Exit codes:
 * 0 done, 1 a run-time failure (a build, a download), 2 bad usage or input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/arch.h"
#include "src/archdrivers.h"
#include "src/boxroot.h"
#include "src/cache.h"
#include "src/build.h"
#include "src/doctor.h"
#include "src/fetch.h"
#include "src/hosted.h"
#include "src/legal.h"
#include "src/plan.h"
#include "src/recipe.h"
#include "src/sbom.h"
#include "src/settings.h"
#include "src/signals.h"
#include "src/strbuf.h"
#include "src/util.h"
#include "src/world.h"

#define EXIT_USAGE 2

/* The commands' lines come from the table at the end (commands[]). */
static const char usage_head[] =
	"usage: bootstrap [options] COMMAND [ARGS]\n"
	"\n"
	"commands:\n";

static const char usage_tail[] =
	"\n"
	"options:\n"
	"  --top DIR     run-time folders (sources work toolchain states output) under DIR\n"
	"  --jobs N      make -j for build steps; transfers at once for fetch (default 4)\n"
	"  --goal G      crosstool (host and cross stages) or all\n"
	"  --host ARCH   the toolchain's programs run on ARCH, static (crosstool only):\n"
	"                toolchain/ARCH-hosted-TARGET (README.md, \"Hosted toolchains\")\n"
	"  -v            show the steps' output on the terminal as well as in the logs\n"
	"  --help        this text\n"
	"\n"
	"\n"
	"PKG=VERSION among the arguments builds (fetches, shows, ...) that version of PKG;\n"
	"  bootstrap list shows the versions each package offers, the default first\n"
	"arches: the files of config/arches (bootstrap arch lists them)\n"
	"environment: RECIPES=dir1:dir2 (recipe search path, default recipes), MIRROR,\n"
	"  BACKUP_MIRROR (folders or URLs tried before and after the recipe's urls),\n"
	"  SOURCE_DATE_EPOCH, COMPRESS=gzip|zstd|xz|none, COMPRESS_LEVEL (initrd),\n"
	"  SANDBOX=auto|on|off (the steps' bubblewrap sandbox; README.md, \"Sandbox\"),\n"
	"  FETCH_CONNECT_TIMEOUT, FETCH_LOW_SPEED_LIMIT, FETCH_LOW_SPEED_TIME, FETCH_TRIES,\n"
	"  FETCH_BACKOFF (downloads), HEARTBEAT (seconds between progress lines in logs),\n"
	"  CACHE, CACHE_TRUST, CACHE_PUSH, CACHE_SIGN_KEY, CACHE_S3_ENDPOINT, CACHE_S3_REGION\n"
	"  (the binary cache; README.md, \"Binary cache\")\n";

struct options {
	const char *top;
	const char *goal;
	const char *host; /* --host: a hosted toolchain (src/hosted.h) */
	int jobs; /* 0: not given */
	bool verbose;
	bool list; /* fetch --list */
	const char **args;
	size_t nargs;
	struct strlist choices; /* PKG=VERSION arguments */
};

static void print_usage(void);
static const char *command_synopsis(const char *name);

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
	fputs("bootstrap: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(bootstrap --help lists the commands)\n", stderr);
	exit(EXIT_USAGE);
}

/* A command used wrongly: the error, then that command's usage line. */
static _Noreturn void command_usage_error(const char *fmt, const char *cmd)
{
	fputs("bootstrap: error: ", stderr);
	fprintf(stderr, fmt, cmd);
	fprintf(stderr, "\nusage: bootstrap [options] %s\n", command_synopsis(cmd));
	exit(EXIT_USAGE);
}

static const char *option_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		usage_error("option '%s' needs a value", argv[*i]);
	return argv[++*i];
}

static int parse_jobs(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*end || n < 1 || n > 1024)
		usage_error("--jobs takes a number from 1 to 1024, not '%s'", s);
	return (int)n;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	o->args = xcalloc((size_t)argc, sizeof *o->args);
	o->choices.items = xcalloc((size_t)argc, sizeof *o->choices.items);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_usage();
			exit(0);
		} else if (!strcmp(a, "--top")) {
			o->top = option_value(argc, argv, &i);
		} else if (!strcmp(a, "--goal")) {
			o->goal = option_value(argc, argv, &i);
		} else if (!strcmp(a, "--host")) {
			o->host = option_value(argc, argv, &i);
		} else if (!strcmp(a, "--jobs") || !strcmp(a, "-j")) {
			o->jobs = parse_jobs(option_value(argc, argv, &i));
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			o->verbose = true;
		} else if (!strcmp(a, "--list")) {
			o->list = true;
		} else if (a[0] == '-' && a[1]) {
			usage_error("unknown option '%s'", a);
		} else if (strchr(a, '=')) {
			o->choices.items[o->choices.n++] = a;
		} else {
			o->args[o->nargs++] = a;
		}
	}
	if (o->host && o->goal && strcmp(o->goal, "crosstool"))
		usage_error("--host builds a toolchain only: its goal is crosstool, not '%s'", o->goal);
	if (o->host)
		o->goal = "crosstool";
}

static char *absolute(const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	char *cwd = getcwd(NULL, 0);
	if (!cwd)
		die("cannot tell the current folder");
	char *out = strcmp(path, ".") ? xasprintf("%s/%s", cwd, path) : xstrdup(cwd);
	free(cwd);
	return out;
}

static const char *env_or_null(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* MIRROR and BACKUP_MIRROR: a URL prefix, or a plain path (relative to where
 * bootstrap started) that means that folder. */
static const char *mirror_setting(const char *name)
{
	const char *v = env_or_null(name);
	struct stat st;
	if (!v || fetch_is_url(v))
		return v;
	char *dir = absolute(v);
	int err = stat(dir, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (err) {
		error("%s=%s: %s (give a folder that holds the source files, or a URL: file://, "
		      "http://, https://, ftp://)", name, v, err == ENOENT ? "no such folder" :
		      err == ENOTDIR ? "not a folder" : strerror(err));
		exit(EXIT_USAGE);
	}
	char *url = fetch_folder_url(dir);
	free(dir);
	return url;
}

static void world_init(struct world *w, const struct options *o)
{
	w->project = absolute(".");
	w->top = absolute(o->top ? o->top : ".");
	w->recipes = env_or_null("RECIPES") ? getenv("RECIPES") : "recipes";
	w->mirror = mirror_setting("MIRROR");
	w->backup_mirror = mirror_setting("BACKUP_MIRROR");
	w->jobs = o->jobs ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
	w->fetch_jobs = o->jobs ? o->jobs : 4;
	w->verbose = o->verbose;
	w->choices = &o->choices;
}

static void load_recipes(const struct world *w, struct recipe_set *set)
{
	if (recipe_set_load_chosen(set, w->recipes, w->choices) < 0)
		exit(EXIT_USAGE);
}

static const struct arch *need_arch(const char *name)
{
	if (!name)
		usage_error("this command needs an arch (%s)", arch_valid_names());
	const struct arch *a = arch_find(name);
	if (!a) {
		error("unknown arch '%s' (valid: %s)", name, arch_valid_names());
		exit(EXIT_USAGE);
	}
	return a;
}

/* The arch a plan is for: name's, or with --host its hosted toolchain. */
static const struct arch *plan_arch(const struct options *o, const char *name)
{
	const struct arch *a = need_arch(name);
	return o->host ? hosted_arch(need_arch(o->host), a) : a;
}

static const struct recipe *need_recipe(const struct recipe_set *set, const char *name)
{
	if (!name)
		usage_error("this command needs a package name%s", "");
	const struct recipe *r = recipe_set_find(set, name);
	if (!r) {
		error("unknown package '%s' (bootstrap list shows them)", name);
		exit(EXIT_USAGE);
	}
	return r;
}

static void make_plan(const struct world *w, const struct recipe_set *set, const struct arch *a,
		      const char *goal_name, struct plan *plan)
{
	enum goal goal = GOAL_ALL;
	if (goal_name && goal_parse(goal_name, &goal) < 0)
		exit(EXIT_USAGE);
	if (plan_make(plan, w, set, a, goal) < 0)
		exit(EXIT_USAGE);
}

static void check_args(const struct options *o, size_t min, size_t max)
{
	if (o->nargs - 1 < min)
		command_usage_error("'%s' needs more arguments", o->args[0]);
	if (o->nargs - 1 > max)
		command_usage_error("too many arguments for '%s'", o->args[0]);
}

/* "16.2.0 (the default), 15.3.0, 14.2.0", or "follows gcc: ..." */
static void print_versions(const struct recipe *r)
{
	if (r->follows)
		printf("follows %s: ", r->follows);
	for (size_t i = 0; i < r->versions.n; i++)
		printf("%s%s%s", i ? ", " : "", r->versions.items[i], i ? "" : " (the default)");
}

static int cmd_list(const struct world *w, const struct options *o)
{
	struct recipe_set set;
	check_args(o, 0, 0);
	load_recipes(w, &set);
	for (size_t i = 0; i < set.n; i++) {
		const struct recipe *r = set.items[i];
		printf("%-14s %-10s %-6s %s", r->name, r->version, stage_name(r->stage), r->license);
		if (r->versions.n > 1 || r->follows) {
			fputs("  [", stdout);
			print_versions(r);
			putchar(']');
		}
		putchar('\n');
	}
	recipe_set_free(&set);
	return 0;
}

static void print_list(const char *key, const struct strlist *l)
{
	if (!l->n)
		return;
	printf("%-8s =", key);
	for (size_t i = 0; i < l->n; i++)
		printf(" %s", l->items[i]);
	putchar('\n');
}

static void print_steps(const struct recipe *r)
{
	for (int k = 0; k < STEP_COUNT; k++) {
		bool own = false;
		for (size_t i = 0; i < r->nsteps; i++) {
			if ((int)r->steps[i].kind != k)
				continue;
			own = own || !r->steps[i].arch;
			printf("\n%s%s%s:  # line %d\n%s", step_name(k), r->steps[i].arch ? "@" : "",
			       r->steps[i].arch ? r->steps[i].arch : "", r->steps[i].line, r->steps[i].body);
		}
		if (!own && recipe_default_step(r->stage, k))
			printf("\n%s:  # default for the %s stage\n%s", step_name(k), stage_name(r->stage),
			       recipe_default_step(r->stage, k));
	}
}

static int cmd_show(const struct world *w, const struct options *o)
{
	struct recipe_set set;
	check_args(o, 1, 1);
	load_recipes(w, &set);
	const struct recipe *r = need_recipe(&set, o->args[1]);
	printf("# %s\nname     = %s\nversion  = %s\n", r->path, r->name, r->version);
	fputs("offers   = ", stdout);
	print_versions(r);
	printf("\nlicense  = %s\nstage    = %s\ncost     = %u\n", r->license, stage_name(r->stage),
	       r->cost);
	print_list("url", &r->urls);
	if (r->sha256)
		printf("sha256   = %s\nfile     = %s\ndir      = %s\n", r->sha256, recipe_file(r), r->topdir);
	if (r->inner)
		printf("inner    = %s %s\n", r->inner, r->inner_topdir);
	print_list("depends", &r->depends);
	print_list("arch", &r->arches);
	print_list("inputs", &r->inputs);
	print_list("tools", &r->tools);
	print_list("license-files", &r->license_files);
	if (r->intree)
		puts("intree   = yes");
	print_steps(r);
	recipe_set_free(&set);
	return 0;
}

static int cmd_plan(const struct world *w, const struct options *o)
{
	struct recipe_set set;
	struct plan plan;
	check_args(o, 1, 1);
	const struct arch *a = plan_arch(o, o->args[1]);
	load_recipes(w, &set);
	make_plan(w, &set, a, o->goal, &plan);
	for (size_t i = 0; i < plan.n; i++) {
		const struct recipe *r = plan.items[i].recipe;
		printf("%-6s %-14s %-10s %s\n", stage_name(r->stage), r->name, r->version, plan.items[i].key);
	}
	plan_free(&plan);
	recipe_set_free(&set);
	return 0;
}

static int cmd_graph(const struct world *w, const struct options *o)
{
	struct recipe_set set;
	struct plan plan;
	check_args(o, 0, 1);
	const struct arch *a = plan_arch(o, o->nargs > 1 ? o->args[1] : "x86_64");
	load_recipes(w, &set);
	make_plan(w, &set, a, o->goal, &plan);
	plan_write_dot(&plan, stdout);
	plan_free(&plan);
	recipe_set_free(&set);
	return 0;
}

/* Every recipe with a source that the plan of any arch needs, or those named. */
static size_t fetch_list(const struct world *w, const struct recipe_set *set,
			 const struct options *o, const struct recipe **out)
{
	size_t n = 0;
	if (o->nargs > 1) {
		for (size_t i = 1; i < o->nargs; i++)
			out[n++] = need_recipe(set, o->args[i]);
		return n;
	}
	unsigned char *seen = xcalloc(set->n + 1, 1);
	for (size_t i = 0; arch_at(i); i++) {
		struct plan plan;
		make_plan(w, set, arch_at(i), o->goal, &plan);
		for (size_t j = 0; j < plan.n; j++)
			for (size_t k = 0; k < set->n; k++)
				if (set->items[k] == plan.items[j].recipe && !seen[k] && set->items[k]->sha256) {
					seen[k] = 1;
					out[n++] = set->items[k];
				}
		plan_free(&plan);
	}
	free(seen);
	return n;
}

static int cmd_fetch(const struct world *w, const struct options *o)
{
	struct recipe_set set;
	load_recipes(w, &set);
	const struct recipe **list = xcalloc(set.n + o->nargs, sizeof *list);
	size_t n = fetch_list(w, &set, o, list);
	if (!o->list)
		signals_catch(); /* to erase the progress display and say what is kept */
	int ret = o->list ? fetch_print_list(w, list, n) : fetch_sources(w, list, n);
	free(list);
	recipe_set_free(&set);
	return ret < 0 ? 1 : 0;
}

static int cmd_checksum(const struct world *w, const struct options *o)
{
	struct recipe_set set;
	check_args(o, 1, 1);
	load_recipes(w, &set);
	int ret = fetch_checksum(w, need_recipe(&set, o->args[1]));
	recipe_set_free(&set);
	return ret < 0 ? 1 : 0;
}

static int cmd_doctor(const struct world *w, const struct options *o)
{
	struct recipe_set set;
	struct plan plan;
	check_args(o, 0, 1);
	const struct arch *a = plan_arch(o, o->nargs > 1 ? o->args[1] : "x86_64");
	load_recipes(w, &set);
	make_plan(w, &set, a, o->goal, &plan);
	int ret = doctor_check(w, &plan);
	if (ret == 0)
		printf("doctor: every host tool the %s plan needs is here\n", a->name);
	plan_free(&plan);
	recipe_set_free(&set);
	return ret < 0 ? 1 : 0;
}

static int cmd_with_plan(const struct world *w, const struct options *o);

/* Every arch's missing sources in one fetch, before the arch drivers start:
 * one progress display, one summary, and no driver waiting on another's. */
static int fetch_for_arches(const struct world *w, const struct options *o,
			    const struct arch **arches, size_t n)
{
	struct recipe_set set;
	struct plan *plans = xcalloc(n, sizeof *plans);
	load_recipes(w, &set);
	for (size_t i = 0; i < n; i++)
		make_plan(w, &set, arches[i], o->goal, &plans[i]);
	int ret = build_fetch(w, plans, n);
	for (size_t i = 0; i < n; i++)
		plan_free(&plans[i]);
	free(plans);
	recipe_set_free(&set);
	return ret;
}

/* The arches of `bootstrap build A B ...`, each once. */
static const struct arch **distinct_arches(const struct options *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (need_arch(o->args[j + 1]) == need_arch(o->args[i + 1]))
				usage_error("arch '%s' is given twice", o->args[i + 1]);
	const struct arch **arches = xcalloc(n, sizeof *arches);
	for (size_t i = 0; i < n; i++)
		arches[i] = need_arch(o->args[i + 1]);
	return arches;
}

/* One arch's driver of build ARCH ARCH... (archdrivers.h). */
static int build_one_arch(const struct world *w, const struct arch *a, const void *ctx)
{
	struct options one = *(const struct options *)ctx;
	one.args = (const char *[]){ "build", a->name };
	one.nargs = 2;
	return cmd_with_plan(w, &one);
}

/* build ARCH ARCH...: one driver per arch, side by side, sharing the host
 * stage and one jobserver of JOBS slots (archdrivers.h). */
static int cmd_build_many(const struct world *w, const struct options *o)
{
	size_t n = o->nargs - 1;
	if (o->host)
		usage_error("--host builds one toolchain at a time (%s)", "bootstrap build ARCH --host HOST");
	const struct arch **arches = distinct_arches(o, n);
	struct world each = *w;
	/* With a binary cache each arch's driver fetches only what it builds. */
	bool caching = getenv("CACHE") && *getenv("CACHE");
	each.fetched = !caching;
	int ret = 1;
	if (caching || fetch_for_arches(w, o, arches, n) >= 0)
		ret = archdrivers_run(&each, arches, n, build_one_arch, o) == 0 ? 0 : 1;
	free(arches);
	return ret;
}

/* initrd, reset, shell: under the arch's lock, so that none of them runs
 * beside a build of the same arch. */
static int run_locked(const struct world *w, const struct plan *plan, const char *cmd,
		      const char *pkg)
{
	int lock = build_lock(w, plan->arch);
	if (lock < 0)
		return -1;
	int ret;
	if (!strcmp(cmd, "initrd"))
		ret = boxroot_pack(w, plan, true);
	else if (!strcmp(cmd, "reset"))
		ret = build_reset(w, plan, pkg);
	else
		ret = build_shell(w, plan, pkg);
	close(lock);
	return ret;
}

/* A hosted toolchain is built with the cross toolchains for its host and its
 * target: those are built (or found done) first, side by side. */
static int build_hosts_toolchains(const struct world *w, const struct options *o,
				  const struct arch *a)
{
	struct options first = *o;
	const char *args[] = { "build", a->host->name, a->target->name };
	first.host = NULL;
	first.goal = "crosstool";
	first.args = args;
	first.nargs = a->host == a->target ? 2 : 3;
	printf("%s: first the cross toolchains it is built with: %s\n", a->name,
	       a->host == a->target ? a->host->name : "both");
	return cmd_with_plan(w, &first);
}

/* build of a hosted toolchain: its cross toolchains are needed only to build
 * what is neither done nor in a cache (looked up once, for the build too). */
static int build_hosted(const struct world *w, const struct options *o, const struct plan *plan)
{
	struct sched_lookup *looked;
	long to_build = build_look_up(w, plan, &looked);
	if (to_build == 0)
		printf("%s: nothing of it to build (each package is done or in the cache), so not its "
		       "cross toolchains either\n", plan->arch->name);
	if (to_build < 0 || (to_build > 0 && build_hosts_toolchains(w, o, plan->arch) != 0)) {
		build_look_up_free(looked);
		return -1;
	}
	return build_run_with(w, plan, looked);
}

/* build, status, reset, shell, initrd: an arch, maybe a package, and the plan. */
static int cmd_with_plan(const struct world *w, const struct options *o)
{
	const char *cmd = o->args[0];
	/* A build stops what it started before it ends (signals.h). */
	if (!strcmp(cmd, "build"))
		signals_catch();
	if (!strcmp(cmd, "build") && o->nargs > 2)
		return cmd_build_many(w, o);
	bool wants_pkg = !strcmp(cmd, "reset") || !strcmp(cmd, "shell");
	check_args(o, wants_pkg ? 2 : 1, wants_pkg ? 2 : 1);
	struct recipe_set set;
	struct plan plan;
	const struct arch *a = plan_arch(o, o->args[1]);
	load_recipes(w, &set);
	make_plan(w, &set, a, o->goal, &plan);
	if (wants_pkg && plan_find(&plan, o->args[2]) < 0) {
		need_recipe(&set, o->args[2]);
		error("package '%s' is not in the %s plan", o->args[2], a->name);
		exit(EXIT_USAGE);
	}
	int ret;
	if (!strcmp(cmd, "build") && a->host)
		ret = build_hosted(w, o, &plan);
	else if (!strcmp(cmd, "build"))
		ret = build_run(w, &plan);
	else if (!strcmp(cmd, "status"))
		ret = build_status(w, &plan);
	else
		ret = run_locked(w, &plan, cmd, o->nargs > 2 ? o->args[2] : NULL);
	plan_free(&plan);
	recipe_set_free(&set);
	return ret < 0 ? 1 : 0;
}

/* push ARCH...: every done package of those arches, the host stage once. */
static int cmd_push(const struct world *w, const struct options *o)
{
	struct cache_config c;
	check_args(o, 1, 64);
	if (cache_config_load(&c) < 0)
		exit(EXIT_USAGE);
	if (!c.pushing) {
		cache_config_free(&c);
		usage_error("push needs CACHE_PUSH: the store to push to (file:///FOLDER, "
			    "http(s)://HOST/PATH or s3://BUCKET/PREFIX)%s", "");
	}
	struct recipe_set set;
	load_recipes(w, &set);
	struct strbuf seen = STRBUF_INIT;
	int ret = 0;
	for (size_t i = 1; i < o->nargs; i++) {
		struct plan plan;
		make_plan(w, &set, plan_arch(o, o->args[i]), o->goal, &plan);
		if (build_push(w, &plan, &c, &seen) < 0)
			ret = 1;
		plan_free(&plan);
	}
	strbuf_release(&seen);
	recipe_set_free(&set);
	cache_config_free(&c);
	return ret;
}

/* arch [NAME [KEY]]: the arch table, one arch's file, or one value (for
 * scripts: qemu.sh, the e2e suite). */
static int cmd_arch(const struct world *w, const struct options *o)
{
	(void)w;
	check_args(o, 0, 2);
	if (o->nargs == 1) {
		for (size_t i = 0; arch_at(i); i++) {
			const struct arch *a = arch_at(i);
			const char *al = arch_value(a, "aliases");
			printf("%-12s %-23s %-20s %s\n", a->name, a->triplet, al && *al ? al : "-", a->path);
		}
		return 0;
	}
	const struct arch *a = need_arch(o->args[1]);
	if (o->nargs == 2) {
		for (size_t i = 0; i < a->nvalues; i++)
			printf("%s = %s\n", a->values[i].key, a->values[i].value);
		return 0;
	}
	const char *v = arch_value(a, o->args[2]);
	if (!v) {
		error("%s has no key '%s'", a->path, o->args[2]);
		exit(EXIT_USAGE);
	}
	puts(v);
	return 0;
}

/* dist ARCH: the toolchain as one tarball. */
static int cmd_dist(const struct world *w, const struct options *o)
{
	struct recipe_set set;
	struct plan plan;
	check_args(o, 1, 1);
	const struct arch *a = plan_arch(o, o->args[1]);
	load_recipes(w, &set);
	make_plan(w, &set, a, "crosstool", &plan);
	const struct recipe *gcc = recipe_set_find(&set, "gcc");
	int ret = build_dist(w, &plan, gcc ? gcc->version : "unknown");
	plan_free(&plan);
	recipe_set_free(&set);
	return ret < 0 ? 1 : 0;
}

/* The box is not built as planned here: an error when it was built with
 * version choices this command was not given (sbom and legal must not
 * describe the toolchain alone then, nor drop the box's documents). */
static int box_built_otherwise(const struct world *w, const struct options *o, const struct plan *all)
{
	char *choices = build_other_choices(w, all);
	int ret = !*choices ? 0
		  : error("the box of %s was built with %s: give the same choice to this command "
			  "(bootstrap %s %s %s; a version choice is not remembered)", all->arch->name,
			  choices, o->args[0], o->args[1], choices);
	free(choices);
	return ret;
}

/* What sbom and legal describe: the arch's crosstool plan, every package of
 * it done (else an error), and in *all its full plan when the box is built
 * too (else all->n is 0; a hosted toolchain has no box). */
static int built_plans(const struct world *w, const struct options *o, const struct recipe_set *set,
		       const struct arch *a, struct plan *tool, struct plan *all)
{
	*all = (struct plan){ 0 };
	make_plan(w, set, a, "crosstool", tool);
	if (build_require_done(w, tool) < 0)
		return -1;
	if (a->host)
		return 0;
	make_plan(w, set, a, "all", all);
	long missing = build_first_not_done(w, all);
	int ret = missing == -2 ? -1 : missing >= 0 ? box_built_otherwise(w, o, all) : 0;
	if (missing != -1)
		plan_free(all);
	return ret;
}

/* sbom and legal: they describe the arch's built plans (built_plans). */
static int run_on_built(const struct world *w, const struct options *o,
			int (*describe)(const struct world *, const struct plan *tool, const struct plan *all))
{
	struct recipe_set set;
	struct plan tool, all;
	check_args(o, 1, 1);
	const struct arch *a = plan_arch(o, o->args[1]);
	load_recipes(w, &set);
	int ret = built_plans(w, o, &set, a, &tool, &all);
	if (ret == 0)
		ret = describe(w, &tool, all.n ? &all : NULL);
	plan_free(&tool);
	plan_free(&all);
	recipe_set_free(&set);
	return ret < 0 ? 1 : 0;
}

/* sbom ARCH: the toolchain's document, and the initrd's when the box is built. */
static int cmd_sbom(const struct world *w, const struct options *o)
{
	return run_on_built(w, o, sbom_write);
}

static int gather_legal(const struct world *w, const struct plan *tool, const struct plan *all)
{
	if (!all && !tool->arch->host)
		printf("legal: the box of %s is not built, so this covers the toolchain alone\n",
		       tool->arch->name);
	return legal_gather(w, all ? all : tool);
}

/* legal ARCH: the sources, patches and license files of what ships. */
static int cmd_legal(const struct world *w, const struct options *o)
{
	return run_on_built(w, o, gather_legal);
}

/* cache keygen NAME */
static int cmd_cache(const struct world *w, const struct options *o)
{
	(void)w;
	if (o->nargs > 1 && strcmp(o->args[1], "keygen")) {
		error("cache: unknown subcommand '%s' (bootstrap cache keygen NAME)", o->args[1]);
		exit(EXIT_USAGE);
	}
	check_args(o, 2, 2);
	return cache_keygen(o->args[2]) < 0 ? 1 : 0;
}

/* help: what the command does; '\n' continues the text under its column. */
static const struct command {
	const char *name, *args, *help;
	int (*run)(const struct world *w, const struct options *o);
} commands[] = {
	{ "build", "ARCH... [--goal crosstool|all]", "build (default goal: all); several arches\n"
	  "build side by side, sharing the host stage and JOBS", cmd_with_plan },
	{ "fetch", "[--list] [PKG...]", "download and verify sources (default: every arch's plan);\n"
	  "--list: print FILE, SHA256, URLs per source, tab-separated", cmd_fetch },
	{ "plan", "ARCH [--goal G]", "the plan in order: stage, name, version, input key", cmd_plan },
	{ "status", "ARCH", "what is done, awaiting, stale or pending", cmd_with_plan },
	{ "reset", "ARCH PKG", "forget PKG and everything that depends on it", cmd_with_plan },
	{ "shell", "ARCH PKG", "a shell in PKG's build folder with its steps' environment",
	  cmd_with_plan },
	{ "initrd", "ARCH", "repack output/ARCH/boxroot into the initrd", cmd_with_plan },
	{ "list", "", "every package on the recipe search path", cmd_list },
	{ "show", "PKG", "one recipe as parsed, with the steps that will run", cmd_show },
	{ "graph", "[ARCH]", "the dependency graph in Graphviz DOT", cmd_graph },
	{ "checksum", "PKG", "fetch PKG's source and write its sha256 into the recipe", cmd_checksum },
	{ "doctor", "[ARCH]", "check that the host has the tools the plan needs", cmd_doctor },
	{ "arch", "[NAME [KEY]]", "the arch table (config/arches), one arch's values, or one\n"
	  "value (bootstrap arch i386 triplet: i686-linux-musl)", cmd_arch },
	{ "dist", "ARCH", "pack toolchain/ARCH into output/TRIPLET-GCCVERSION.tar.zst\n"
	  "(and .sha256): a relocatable toolchain to unpack anywhere", cmd_dist },
	{ "sbom", "ARCH", "CycloneDX 1.6 documents of the toolchain and the initrd:\n"
	  "output/ARCH/sbom/{toolchain,initrd}.cdx.json", cmd_sbom },
	{ "legal", "ARCH", "the sources, patches and license files of what ships in the\n"
	  "toolchain and the initrd, with a manifest: output/ARCH/legal/", cmd_legal },
	{ "push", "ARCH...", "upload every done package (and the host stage) that the\n"
	  "CACHE_PUSH store lacks, signed with CACHE_SIGN_KEY", cmd_push },
	{ "cache", "keygen NAME", "write NAME.sec and NAME.pub, a key pair to sign and trust\n"
	  "a binary cache with", cmd_cache },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const char *command_synopsis(const char *name)
{
	static char line[64];
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name)) {
			snprintf(line, sizeof line, "%s%s%s", name, *commands[i].args ? " " : "",
				 commands[i].args);
			return line;
		}
	BUG("no command '%s'", name);
}

static void print_usage(void)
{
	fputs(usage_head, stdout);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const char *help = commands[i].help;
		const char *synopsis = command_synopsis(commands[i].name);
		int len = (int)strcspn(help, "\n");
		printf("  %-24s %s%.*s\n", synopsis, strlen(synopsis) > 24 ? " " : "", len, help);
		for (help += len; *help; help += len) {
			len = (int)strcspn(++help, "\n");
			printf("%27s%.*s\n", "", len, help);
		}
	}
	fputs(usage_tail, stdout);
}

/* Static, so what they point to stays reachable until exit. */
static struct options opts;
static struct world world;

int main(int argc, char **argv)
{
	parse_options(argc, argv, &opts);
	if (!opts.nargs) {
		print_usage();
		return 0;
	}
	if (opts.list && strcmp(opts.args[0], "fetch"))
		usage_error("--list goes with fetch, not with '%s'", opts.args[0]);
	/* cache keygen needs no arch, no top and no setting: it writes its keys
	 * wherever it runs, whatever the environment says (CACHE_SIGN_KEY may
	 * name the key it is about to make). */
	bool standalone = !strcmp(opts.args[0], "cache");
	if (!standalone)
		world_init(&world, &opts);
	/* The project is the current folder: errors name config/arches/NAME.arch. */
	if (!standalone && arch_load("config/arches") < 0)
		exit(EXIT_USAGE);
	/* Before any command: a bad setting is bad input, refused before the
	 * first package is fetched or built, not after the last. */
	if (!standalone && settings_check() < 0)
		exit(EXIT_USAGE);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, opts.args[0])) {
			int ret = commands[i].run(&world, &opts);
			signals_reraise();
			return ret;
		}
	usage_error("unknown command '%s'", opts.args[0]);
}
