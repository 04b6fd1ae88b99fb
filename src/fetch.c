#include "fetch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "file.h"
#include "progress.h"
#include "signals.h"
#include "recipe.h"
#include "settings.h"
#include "strbuf.h"
#include "sumcache.h"
#include "sumedit.h"
#include "transfer.h"
#include "util.h"
#include "world.h"

#define CACHE_NAME ".verified"
#define LOCK_NAME ".lock"

struct fetch {
	const struct world *w;
	struct transfer_opts opts;
	char *dir;      /* top/sources */
	int lock_fd;
	struct sumcache *cache;
	struct progress *pg;
	struct transfer_job *jobs;
	struct strbuf *pkgs; /* per job: the packages that want the file */
	size_t n, cap, present;
};

/* The FETCH_* variables of the environment (settings.h). */
static int read_opts(const struct world *w, struct transfer_opts *o)
{
	struct fetch_settings s;
	o->jobs = w->fetch_jobs > 0 ? w->fetch_jobs : 4;
	if (settings_fetch(&s) < 0)
		return -1;
	o->connect_timeout = s.connect_timeout;
	o->low_speed_limit = (long)s.low_speed_limit;
	o->low_speed_time = (long)s.low_speed_time;
	o->tries = (int)s.tries;
	o->backoff = s.backoff;
	return 0;
}

/* One fetch at a time per sources/: two would write the same .part. */
static int lock_sources(struct fetch *f)
{
	char *path = xasprintf("%s/%s", f->dir, LOCK_NAME);
	f->lock_fd = file_open(path, O_RDWR | O_CREAT, 0644);
	free(path);
	if (f->lock_fd < 0)
		return -1;
	if (flock(f->lock_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	printf("fetch: waiting for another bootstrap that is fetching into %s\n", f->dir);
	fflush(stdout);
	while (flock(f->lock_fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return error_errno("cannot lock '%s/%s'", f->dir, LOCK_NAME);
	return 0;
}

static int fetch_open(struct fetch *f, const struct world *w)
{
	memset(f, 0, sizeof *f);
	f->w = w;
	f->lock_fd = -1;
	if (read_opts(w, &f->opts) < 0)
		return -1;
	f->dir = world_path(w, "sources");
	if (mkdir_p(f->dir) < 0 || lock_sources(f) < 0)
		return -1;
	char *cache = xasprintf("%s/%s", f->dir, CACHE_NAME);
	f->cache = sumcache_load(cache);
	free(cache);
	f->pg = progress_new(isatty(STDOUT_FILENO));
	return 0;
}

static void fetch_close(struct fetch *f)
{
	progress_free(f->pg);
	for (size_t i = 0; i < f->n; i++) {
		transfer_job_release(&f->jobs[i]);
		strbuf_release(&f->pkgs[i]);
	}
	free(f->jobs);
	free(f->pkgs);
	sumcache_free(f->cache);
	if (f->lock_fd >= 0)
		close(f->lock_fd);
	free(f->dir);
}

/* s in the URL sense: anything but unreserved bytes and those in keep as %XX. */
static char *url_escape(const char *s, const char *keep)
{
	struct strbuf sb = STRBUF_INIT;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~+", c) || strchr(keep, c))
			strbuf_addc(&sb, (char)c);
		else
			strbuf_addf(&sb, "%%%02X", c);
	}
	return strbuf_detach(&sb);
}

static void add_place(struct transfer_job *j, char *url, size_t *cap)
{
	for (size_t i = 0; i < j->nplaces; i++)
		if (!strcmp(j->places[i], url)) {
			free(url);
			return;
		}
	xgrow(&j->places, cap, j->nplaces + 1, sizeof *j->places);
	j->places[j->nplaces++] = url;
}

static char *mirror_url(const char *mirror, const char *file)
{
	size_t n = strlen(mirror);
	while (n && mirror[n - 1] == '/')
		n--;
	char *name = url_escape(file, "");
	char *url = xasprintf("%.*s/%s", (int)n, mirror, name);
	free(name);
	return url;
}

bool fetch_is_url(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	return n > 0 && isalpha((unsigned char)s[0]) && !strncmp(s + n, "://", 3);
}

char *fetch_folder_url(const char *dir)
{
	char *path = url_escape(dir, "/");
	char *url = xasprintf("file://%s", path);
	free(path);
	return url;
}

static int check_file_name(const struct recipe *r, const char *file)
{
	if (file && *file && file[0] != '.' && !strchr(file, '/'))
		return 0;
	return error("%s: cannot save the source as '%s' (set file = NAME in the recipe)", r->path,
		     file ? file : "");
}

static struct transfer_job *find_job(struct fetch *f, const char *file)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->jobs[i].file, file))
			return &f->jobs[i];
	return NULL;
}

static struct transfer_job *new_job(struct fetch *f, const char *file, const char *sum)
{
	size_t old = f->cap;
	xgrow(&f->jobs, &f->cap, f->n + 1, sizeof *f->jobs);
	if (f->cap != old)
		f->pkgs = xrealloc(f->pkgs, f->cap * sizeof *f->pkgs);
	struct transfer_job *j = &f->jobs[f->n];
	memset(j, 0, sizeof *j);
	j->file = file;
	j->sum = sum;
	j->why = (struct strbuf)STRBUF_INIT;
	j->fd = -1; /* released before transfer_run() sets it: not stdin */
	f->pkgs[f->n++] = (struct strbuf)STRBUF_INIT;
	return j;
}

/* Places: $MIRROR/<file>, then the urls of each recipe that wants the file;
 * $BACKUP_MIRROR/<file> is added last, by add_recipes(). */
static int add_recipe(struct fetch *f, const struct recipe *r, size_t *caps)
{
	const char *file = recipe_file(r);
	if (!r->urls.n || !r->sha256)
		return 0;
	if (check_file_name(r, file) < 0)
		return -1;
	struct transfer_job *j = find_job(f, file);
	if (j && strcmp(j->sum, r->sha256))
		return error("%s and %s both save sources/%s, with different sha256 (give one of them "
			     "another file = name)", f->pkgs[j - f->jobs].data, r->name, file);
	if (!j) {
		j = new_job(f, file, r->sha256);
		caps[j - f->jobs] = 0;
		if (f->w->mirror)
			add_place(j, mirror_url(f->w->mirror, file), &caps[j - f->jobs]);
	}
	struct strbuf *pkgs = &f->pkgs[j - f->jobs];
	strbuf_addf(pkgs, "%s%s", pkgs->len ? ", " : "", r->name);
	for (size_t i = 0; i < r->urls.n; i++)
		add_place(j, xstrdup(r->urls.items[i]), &caps[j - f->jobs]);
	return 0;
}

static int add_recipes(struct fetch *f, const struct recipe *const *recipes, size_t n)
{
	size_t *caps = xcalloc(n + 1, sizeof *caps);
	int ret = 0;
	for (size_t i = 0; i < n; i++)
		if (add_recipe(f, recipes[i], caps) < 0)
			ret = -1;
	for (size_t i = 0; f->w->backup_mirror && i < f->n; i++)
		add_place(&f->jobs[i], mirror_url(f->w->backup_mirror, f->jobs[i].file), &caps[i]);
	free(caps);
	return ret;
}

/* Moves a file that failed its check out of the way, as <file>.bad. */
static int keep_bad(struct fetch *f, const struct transfer_job *j, const char *hex)
{
	char *path = xasprintf("%s/%s", f->dir, j->file);
	char *bad = xasprintf("%s.bad", path);
	int ret = file_commit(path, bad);
	if (ret == 0)
		progress_line(f->pg, "fetch: %s does not match its sha256 (expected %s, got %s); kept as "
			      "%s, fetching it again", path, j->sum, hex, bad);
	sumcache_forget(f->cache, j->file);
	free(path);
	free(bad);
	return ret;
}

/* Whether sources/<file> is there and verifies: by the cache when it knows
 * the file as it is, else by hashing it. */
static int check_present(struct fetch *f, struct transfer_job *j)
{
	char *path = xasprintf("%s/%s", f->dir, j->file);
	char hex[DIGEST_HEX_LEN + 1];
	struct stat st;
	int ret = 0;
	if (stat(path, &st) < 0)
		ret = errno == ENOENT ? 0 : error_errno("cannot use '%s'", path);
	else if (!S_ISREG(st.st_mode))
		ret = error("'%s' is not a file; move it away", path);
	else if (sumcache_check(f->cache, j->file, &st, j->sum))
		ret = 1;
	else if (digest_sha256_file(path, hex) < 0)
		ret = -1;
	else if (!strcmp(hex, j->sum))
		ret = 1, sumcache_put(f->cache, j->file, &st, hex);
	else
		ret = keep_bad(f, j, hex);
	free(path);
	return ret;
}

static void drop_stale_part(const struct fetch *f, const struct transfer_job *j)
{
	char *part = xasprintf("%s/%s.part", f->dir, j->file);
	unlink(part);
	free(part);
}

static int check_all_present(struct fetch *f)
{
	int ret = 0;
	for (size_t i = 0; i < f->n; i++) {
		int here = check_present(f, &f->jobs[i]);
		f->jobs[i].state = here == 0 ? TRANSFER_PENDING : TRANSFER_DONE;
		if (here > 0) {
			f->present++;
			drop_stale_part(f, &f->jobs[i]);
		} else if (here < 0) {
			f->jobs[i].state = TRANSFER_FAILED;
			ret = -1;
		}
	}
	return ret;
}

static void remember_fetched(struct fetch *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct transfer_job *j = &f->jobs[i];
		struct stat st;
		if (j->state == TRANSFER_DONE && j->dest && j->got[0] && stat(j->dest, &st) == 0)
			sumcache_put(f->cache, j->file, &st, j->got);
	}
	sumcache_save(f->cache);
}

static int report_failures(const struct fetch *f, const char *hint)
{
	int ret = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct transfer_job *j = &f->jobs[i];
		if (j->state != TRANSFER_FAILED || !j->why.len)
			continue;
		ret = error("cannot fetch %s for %s, every place failed:\n%s(%s)", j->file,
			    f->pkgs[i].data, j->why.data, hint);
	}
	return ret;
}

/* Whether every file that failed failed only to reach its places: then no
 * recipe is wrong, the network is, and one summary replaces the per-file
 * advice. */
static bool all_unreachable(const struct fetch *f)
{
	size_t failed = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct transfer_job *j = &f->jobs[i];
		if (j->state != TRANSFER_FAILED || !j->why.len)
			continue;
		if (j->reached)
			return false;
		failed++;
	}
	return failed > 0;
}

static int report_offline(const struct fetch *f)
{
	struct strbuf files = STRBUF_INIT;
	const char *example = NULL;
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct transfer_job *j = &f->jobs[i];
		if (j->state != TRANSFER_FAILED || !j->why.len)
			continue;
		strbuf_addf(&files, "%s%s", n++ ? ", " : "", j->file);
		example = example ? example : j->why.data;
	}
	error("cannot fetch %zu file%s, no place could be reached (no host resolved or accepted a "
	      "connection), for example:\n%.*s\nthe files: %s\nto work offline, do one of these:\n"
	      "  set MIRROR to a folder or URL that has the files (bootstrap fetch --list names "
	      "them with their sha256 and urls)\n"
	      "  copy the files into %s/\n"
	      "  reach the internet through a proxy: https_proxy=http://HOST:PORT (and http_proxy, "
	      "ftp_proxy)\n"
	      "  provision a mirror from a Debian archive with tests/e2e/provision-mirror.sh DIR, "
	      "then build with MIRROR=DIR RECIPES=tests/e2e/overlay:recipes",
	      n, n == 1 ? "" : "s", (int)strcspn(example, "\n"), example, files.data, f->dir);
	strbuf_release(&files);
	return -1;
}

static void summary(const struct fetch *f)
{
	size_t ready = 0;
	for (size_t i = 0; i < f->n; i++)
		ready += f->jobs[i].state == TRANSFER_DONE;
	printf("fetch: %zu of %zu files ready in %s (%zu already here, %zu fetched)\n", ready, f->n,
	       f->dir, f->present, ready - f->present);
}

static int report_interrupted(const struct fetch *f)
{
	size_t ready = 0;
	for (size_t i = 0; i < f->n; i++)
		ready += f->jobs[i].state == TRANSFER_DONE;
	printf("fetch: interrupted by %s: %zu of %zu files ready in %s; partial downloads stay "
	       "as .part files and resume; run the same command to go on\n",
	       strsignal(signals_caught()), ready, f->n, f->dir);
	return -1;
}

int fetch_sources(const struct world *w, const struct recipe *const *recipes, size_t n)
{
	struct fetch f;
	int ret = fetch_open(&f, w);
	if (ret == 0)
		ret = add_recipes(&f, recipes, n);
	if (ret == 0) {
		if (check_all_present(&f) < 0)
			ret = -1;
		if (transfer_run(f.dir, &f.opts, f.pg, f.jobs, f.n) < 0)
			ret = -1;
		remember_fetched(&f);
		progress_free(f.pg);
		f.pg = NULL;
		if (signals_caught())
			ret = report_interrupted(&f);
		else if (all_unreachable(&f))
			ret = report_offline(&f);
		else if (report_failures(&f, "fix the recipe's url or sha256, or set MIRROR or "
					     "BACKUP_MIRROR to a place that has the file") < 0)
			ret = -1;
		if (!signals_caught())
			summary(&f);
	}
	fetch_close(&f);
	return ret;
}

/* The recipes' own urls, not the mirrors: the list says what to carry into
 * a mirror. Reads and writes nothing under sources/. */
int fetch_print_list(const struct world *w, const struct recipe *const *recipes, size_t n)
{
	struct world upstream = *w;
	struct fetch f;
	memset(&f, 0, sizeof f);
	upstream.mirror = upstream.backup_mirror = NULL;
	f.w = &upstream;
	f.lock_fd = -1;
	int ret = add_recipes(&f, recipes, n);
	for (size_t i = 0; ret == 0 && i < f.n; i++) {
		printf("%s\t%s", f.jobs[i].file, f.jobs[i].sum);
		for (size_t k = 0; k < f.jobs[i].nplaces; k++)
			printf("\t%s", f.jobs[i].places[k]);
		putchar('\n');
	}
	fetch_close(&f);
	return ret;
}

/* The recipe's own urls only: the sum written must come from upstream. */
static int checksum_job(struct fetch *f, const struct recipe *r)
{
	const char *file = recipe_file(r);
	if (!r->urls.n)
		return error("%s: package '%s' has no url to fetch", r->path, r->name);
	if (check_file_name(r, file) < 0)
		return -1;
	struct transfer_job *j = new_job(f, file, NULL);
	size_t cap = 0;
	strbuf_adds(&f->pkgs[0], r->name);
	for (size_t i = 0; i < r->urls.n; i++)
		add_place(j, xstrdup(r->urls.items[i]), &cap);
	j->fresh = true;
	return 0;
}

static int write_sum(const struct recipe *r, const char *sum)
{
	if (r->sha256 && !strcmp(r->sha256, sum)) {
		printf("checksum: %s: sha256 %s is already in %s\n", r->name, sum, r->sha256_path);
		return 0;
	}
	if (sumedit_write(r->sha256_path, r->sha256_line, sum) < 0)
		return -1;
	printf("checksum: %s: wrote sha256 %s into %s\n", r->name, sum, r->sha256_path);
	return 0;
}

int fetch_checksum(const struct world *w, const struct recipe *r)
{
	struct fetch f;
	int ret = fetch_open(&f, w);
	if (ret == 0)
		ret = checksum_job(&f, r);
	if (ret == 0 && transfer_run(f.dir, &f.opts, f.pg, f.jobs, f.n) < 0)
		ret = report_failures(&f, "fix the recipe's url");
	if (ret == 0) {
		remember_fetched(&f);
		ret = write_sum(r, f.jobs[0].got);
	}
	fetch_close(&f);
	return ret;
}
