#include "stepenv.h"

#include <ctype.h>

#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "ccache.h"
#include "epoch.h"
#include "world.h"

const char *stepenv_group(const struct arch *a, enum stage stage)
{
	if (stage != STAGE_HOST)
		return a->name;
	return a->host_group ? a->host_group : "host";
}

char *stepenv_work_dir(const struct world *w, const struct arch *a, enum stage stage)
{
	return world_path(w, "work/%s", stepenv_group(a, stage));
}

char *stepenv_build_dir(const struct world *w, const struct arch *a, const struct recipe *r)
{
	char *work = stepenv_work_dir(w, a, r->stage);
	char *dir = xasprintf("%s/build/%s", work, r->name);
	free(work);
	return dir;
}

char *stepenv_log_path(const struct world *w, const struct arch *a, const struct recipe *r)
{
	char *work = stepenv_work_dir(w, a, r->stage);
	char *path = xasprintf("%s/logs/%s.log", work, r->name);
	free(work);
	return path;
}

size_t stepenv_install_roots(const struct world *w, const struct arch *a, enum stage stage,
			     char *roots[2])
{
	switch (stage) {
	case STAGE_HOST:
		roots[0] = world_path(w, "work/%s/prefix", stepenv_group(a, stage));
		return 1;
	case STAGE_CROSS:
		roots[0] = world_path(w, "toolchain/%s", a->name);
		return 1;
	default:
		roots[0] = world_path(w, "output/%s/sysroot", a->name);
		roots[1] = world_path(w, "output/%s/boxroot", a->name);
		return 2;
	}
}

static void set_owned(struct strv *env, const char *name, char *value)
{
	strv_setenv(env, name, value);
	free(value);
}

static void set_inherited(struct strv *env, const char *name, const char *fallback)
{
	const char *v = getenv(name);
	if (v || fallback)
		strv_setenv(env, name, v ? v : fallback);
}

static void set_box_tools(struct strv *env, const struct arch *a)
{
	static const char *const tools[][2] = {
		{ "CC", "gcc" }, { "CXX", "g++" }, { "AR", "ar" }, { "RANLIB", "ranlib" }, { "STRIP", "strip" },
	};
	for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
		set_owned(env, tools[i][0], xasprintf("%s-%s", a->triplet, tools[i][1]));
}

/* Builds that stamp a date (busybox's banner) stamp this one, so two builds
 * give the same bytes: the caller's SOURCE_DATE_EPOCH as plan.c put it in
 * the keys, in plain digits, else 0 (epoch.h). */
static void set_epoch(struct strv *env)
{
	long long epoch;
	if (epoch_from_env(&epoch) < 0)
		BUG("SOURCE_DATE_EPOCH is checked before any command runs");
	set_owned(env, "SOURCE_DATE_EPOCH", xasprintf("%lld", epoch));
}

/* Every key of the arch's file as ARCH_<KEY>: ARCH_GCC_CONFIG, ... */
static void set_arch_values(struct strv *env, const struct arch *a)
{
	for (size_t i = 0; i < a->nvalues; i++) {
		char *name = xasprintf("ARCH_%s", a->values[i].key);
		for (char *c = name; *c; c++)
			*c = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
		strv_setenv(env, name, a->values[i].value);
		free(name);
	}
}

/* PATH: the toolchain's bin, then the host stage's, then the caller's. A
 * hosted toolchain's programs may not run here: the build machine's cross
 * tools for its target and its host come first instead. CONFIGURE_HOST: for
 * a hosted toolchain, the configure arguments that build its programs and
 * host libraries with the HOST toolchain, static (--static passes libtool). */
static void set_path_and_host(const struct world *w, const struct arch *a, const char *toolchain,
			      const char *hostprefix, struct strv *env)
{
	const char *path = getenv("PATH");
	path = path ? path : "/usr/local/bin:/usr/bin:/bin";
	if (!a->host) {
		set_owned(env, "PATH", xasprintf("%s/bin:%s/bin:%s", toolchain, hostprefix, path));
		strv_setenv(env, "CONFIGURE_HOST", "");
		return;
	}
	char *cross_target = world_path(w, "toolchain/%s", a->target->name);
	char *cross_host = world_path(w, "toolchain/%s", a->host->name);
	set_owned(env, "PATH", xasprintf("%s/bin:%s/bin:%s/bin:%s", cross_target, cross_host, hostprefix, path));
	const char *t = a->host->triplet;
	strv_setenv(env, "HOST_TRIPLET", t);
	set_owned(env, "CONFIGURE_HOST",
		  xasprintf("--host=%s CC=%s-gcc CXX=%s-g++ LDFLAGS=--static", t, t, t));
	free(cross_target);
	free(cross_host);
}

void stepenv_make(const struct world *w, const struct arch *a, const struct recipe *r,
		  const char *src, struct strv *env)
{
	char *hostprefix = world_path(w, "work/%s/prefix", stepenv_group(a, STAGE_HOST));
	char *toolchain = world_path(w, "toolchain/%s", a->name);
	strv_setenv(env, "NAME", r->name);
	strv_setenv(env, "VERSION", r->version);
	strv_setenv(env, "STAGE", stage_name(r->stage));
	strv_setenv(env, "SRC", src);
	set_owned(env, "BUILD", stepenv_build_dir(w, a, r));
	set_owned(env, "JOBS", xasprintf("%d", w->jobs));
	strv_setenv(env, "ARCH", arch_target(a)->name);
	strv_setenv(env, "TARGET", a->triplet);
	strv_setenv(env, "KARCH", a->kernel_arch);
	set_arch_values(env, a);
	strv_setenv(env, "TOP", w->top);
	/* Compilers given this write paths under the top as ./..., in __FILE__
	 * strings and debug info, so two tops give the same bytes. */
	set_owned(env, "FILE_PREFIX_MAP", xasprintf("-ffile-prefix-map=%s=.", w->top));
	strv_setenv(env, "HOSTPREFIX", hostprefix);
	strv_setenv(env, "TOOLCHAIN", toolchain);
	strv_setenv(env, "PREFIX", r->stage == STAGE_HOST ? hostprefix :
				   r->stage == STAGE_CROSS ? toolchain : "/usr");
	set_owned(env, "SYSROOT", world_path(w, "output/%s/sysroot", a->name));
	set_owned(env, "BOXROOT", world_path(w, "output/%s/boxroot", a->name));
	set_owned(env, "CONFIG", project_path(w, "config"));
	set_path_and_host(w, a, toolchain, hostprefix, env);
	set_inherited(env, "HOME", "/");
	set_epoch(env);
	strv_setenv(env, "LANG", "C");
	strv_setenv(env, "LC_ALL", "C");
	strv_setenv(env, "TZ", "UTC");
	if (r->stage == STAGE_BOX)
		set_box_tools(env, a);
	ccache_step_env(w, stepenv_group(a, r->stage), r->name, env);
	free(hostprefix);
	free(toolchain);
}
