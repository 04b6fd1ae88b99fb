#include "ccache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "run.h"
#include "strbuf.h"
#include "strv.h"
#include "util.h"
#include "world.h"

const char *ccache_dir(void)
{
	const char *v = getenv("CCACHE");
	return v && *v ? v : NULL;
}

int ccache_setting_check(void)
{
	const char *dir = ccache_dir();
	if (!dir)
		return 0;
	if (dir[0] != '/')
		return error("CCACHE=%s: give the cache's folder as an absolute path", dir);
	if (!program_on_path("ccache"))
		return error("CCACHE=%s: ccache is not installed (make deps installs it)", dir);
	return 0;
}

/* The first executable file called name in the folders of path, but skip
 * (our links' folder); NULL when none. Caller frees. */
static char *find_on(const char *path, const char *name, const char *skip)
{
	while (path && *path) {
		size_t n = strcspn(path, ":");
		char *dir = xstrndup(path, n), *cand = xasprintf("%s/%s", dir, name);
		bool found = n && (!skip || strcmp(dir, skip)) && access(cand, X_OK) == 0;
		free(dir);
		if (found)
			return cand;
		free(cand);
		path += n + (path[n] == ':');
	}
	return NULL;
}

/* A link name -> ccache in dir for each compiler of the step that exists. */
static int make_links(const char *dir, const char *ccache, const struct strv *env)
{
	const char *path = strv_getenv(env, "PATH");
	const char *triplets[] = { strv_getenv(env, "TARGET"), strv_getenv(env, "HOST_TRIPLET") };
	static const char *const tools[] = { "cc", "gcc", "c++", "g++" };
	int ret = remove_tree(dir) < 0 || mkdir_p(dir) < 0 ? -1 : 0;
	for (size_t t = 0; ret == 0 && t < 3; t++) {
		if (t > 0 && !triplets[t - 1])
			continue;
		for (size_t i = 0; ret == 0 && i < sizeof tools / sizeof tools[0]; i++) {
			char *name = t ? xasprintf("%s-%s", triplets[t - 1], tools[i]) : xstrdup(tools[i]);
			char *real = find_on(path, name, NULL), *link = xasprintf("%s/%s", dir, name);
			if (real && symlink(ccache, link) < 0 && errno != EEXIST)
				ret = error_errno("cannot make the link %s", link);
			free(real);
			free(link);
			free(name);
		}
	}
	return ret;
}

void ccache_step_env(const struct world *w, const char *group, const char *name, struct strv *env)
{
	const char *cache = ccache_dir();
	if (!cache)
		return;
	char *ccache = find_on(getenv("PATH"), "ccache", NULL);
	char *dir = world_path(w, "work/ccache/bin/%s-%s", group, name);
	if (!ccache || mkdir_p(cache) < 0 || make_links(dir, ccache, env) < 0) {
		warning("%s: its steps run without ccache (see above)", name);
	} else {
		char *path = xasprintf("%s:%s", dir, strv_getenv(env, "PATH"));
		strv_setenv(env, "PATH", path);
		strv_setenv(env, "CCACHE_DIR", cache);
		strv_setenv(env, "CCACHE_BASEDIR", w->top);
		strv_setenv(env, "CCACHE_NOHASHDIR", "true");
		strv_setenv(env, "CCACHE_COMPILERCHECK", "content");
		free(path);
	}
	free(dir);
	free(ccache);
}

/* The value of counter name in ccache's --print-stats text, or 0. */
static long long counter(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, name, n) && l[n] == '\t')
			return atoll(l + n + 1);
	return 0;
}

int ccache_stats_read(struct ccache_stats *out)
{
	char tmpl[] = "/tmp/bootstrap-ccache.XXXXXX";
	int fd = mkstemp(tmpl);
	if (fd < 0)
		return -1;
	unlink(tmpl);
	char *env_dir = xasprintf("CCACHE_DIR=%s", ccache_dir());
	const char *argv[] = { "ccache", "--print-stats", NULL };
	const char *env[] = { env_dir, "PATH=/usr/local/bin:/usr/bin:/bin", NULL };
	struct run r = RUN_INIT;
	r.argv = argv;
	r.env = env;
	r.log_fd = fd;
	int status = run_quiet(&r);
	struct strbuf text = STRBUF_INIT;
	char buf[4096];
	ssize_t n;
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		strbuf_add(&text, buf, (size_t)n);
	close(fd);
	free(env_dir);
	out->hits = counter(text.data, "direct_cache_hit") + counter(text.data, "preprocessed_cache_hit");
	out->misses = counter(text.data, "cache_miss");
	strbuf_release(&text);
	return status == 0 ? 0 : -1;
}
