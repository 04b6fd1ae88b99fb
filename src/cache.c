#include "cache.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "artifact.h"
#include "file.h"
#include "installed.h"
#include "plan.h"
#include "recipe.h"
#include "settings.h"
#include "signals.h"
#include "stepenv.h"
#include "strbuf.h"
#include "strv.h"
#include "transfer.h"
#include "util.h"
#include "world.h"

/* --- settings -------------------------------------------------------------- */

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* The blank-separated words of s; caller frees each and the array. */
static char **words(const char *s, size_t *n)
{
	char **out = NULL;
	size_t cap = 0;
	*n = 0;
	while (s && *(s += strspn(s, " \t\n"))) {
		size_t len = strcspn(s, " \t\n");
		xgrow(&out, &cap, *n + 1, sizeof *out);
		out[(*n)++] = xstrndup(s, len);
		s += len;
	}
	return out;
}

static void free_words(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

static int load_stores(struct cache_config *c)
{
	size_t n;
	char **urls = words(env("CACHE"), &n);
	int ret = 0;
	c->from = xcalloc(n + 1, sizeof *c->from);
	for (size_t i = 0; i < n; i++)
		if (store_open(urls[i], "CACHE", &c->from[c->nfrom]) == 0)
			c->nfrom++;
		else
			ret = -1;
	free_words(urls, n);
	return ret;
}

static int load_trust(struct cache_config *c)
{
	size_t n;
	char **keys = words(env("CACHE_TRUST"), &n);
	int ret = 0;
	c->trusted = xcalloc(n + 1, sizeof *c->trusted);
	for (size_t i = 0; i < n; i++)
		if (sign_parse_public(keys[i], "CACHE_TRUST", &c->trusted[c->ntrusted]) == 0)
			c->ntrusted++;
		else
			ret = -1;
	free_words(keys, n);
	return ret;
}

/* CACHE_SIGN_KEY: a file that loads as a secret key (sign.h), so that a
 * public key is refused before anything is built, not when pushing. */
static int check_sign_key(const char *path)
{
	if (!is_file(path))
		return error("CACHE_SIGN_KEY=%s: no such file (bootstrap cache keygen NAME makes "
			     "NAME.sec)", path);
	struct sign_key k;
	int ret = sign_load_secret(path, &k);
	OPENSSL_cleanse(&k, sizeof k);
	return ret;
}

/* One warning when CACHE_SIGN_KEY's file may be read by others than its owner. */
static void warn_if_readable(const char *path)
{
	struct stat st;
	if (path && stat(path, &st) == 0 && (st.st_mode & 044))
		warning("CACHE_SIGN_KEY=%s: the secret key is readable by its group or others "
			"(mode %04o): chmod 600 %s", path, (unsigned)(st.st_mode & 07777), path);
}

int cache_config_load(struct cache_config *c)
{
	memset(c, 0, sizeof *c);
	int ret = load_stores(c) | load_trust(c);
	if (env("CACHE_PUSH")) {
		if (store_open(env("CACHE_PUSH"), "CACHE_PUSH", &c->push) == 0)
			c->pushing = true;
		else
			ret = -1;
	}
	if (env("CACHE_SIGN_KEY"))
		c->sign_key_path = xstrdup(env("CACHE_SIGN_KEY"));
	if (c->pushing && !c->sign_key_path)
		ret = error("CACHE_PUSH=%s: set CACHE_SIGN_KEY to the secret key that signs what is "
			    "pushed (bootstrap cache keygen NAME makes one)", env("CACHE_PUSH"));
	if (c->sign_key_path && check_sign_key(c->sign_key_path) < 0)
		ret = -1;
	return ret < 0 ? -1 : 0;
}

void cache_config_free(struct cache_config *c)
{
	for (size_t i = 0; i < c->nfrom; i++)
		store_close(&c->from[i]);
	free(c->from);
	free(c->trusted);
	if (c->pushing)
		store_close(&c->push);
	free(c->sign_key_path);
	memset(c, 0, sizeof *c);
}

int cache_settings_check(void)
{
	struct cache_config c;
	int ret = cache_config_load(&c);
	if (ret == 0)
		warn_if_readable(c.sign_key_path);
	cache_config_free(&c);
	return ret;
}

int cache_keygen(const char *name)
{
	if (sign_keygen(name, ".") < 0)
		return -1;
	printf("cache: wrote %s.sec (secret: keep it private, give it as CACHE_SIGN_KEY to push) and "
	       "%s.pub (give it, or its one line, as CACHE_TRUST where the cache is read)\n", name, name);
	return 0;
}

/* --- entries --------------------------------------------------------------- */

static const char *arch_of(const struct plan *plan, size_t i)
{
	return stepenv_group(plan->arch, plan->items[i].recipe->stage);
}

/* "name:key ..." of the item's dependencies, in plan order. */
static char *depends_of(const struct plan *plan, size_t i)
{
	struct strbuf sb = STRBUF_INIT;
	const struct plan_item *it = &plan->items[i];
	for (size_t d = 0; d < it->ndeps; d++)
		strbuf_addf(&sb, "%s%s:%s", d ? " " : "", plan->items[it->deps[d]].recipe->name,
			    plan->items[it->deps[d]].key);
	return strbuf_detach(&sb);
}

void cache_hit_free(struct cache_hit *h)
{
	if (h->found)
		cache_entry_free(&h->entry);
	memset(h, 0, sizeof *h);
}

/* The transfer engine's hook: requests to an s3:// store are signed. */
static void sign_request(void *easy, const void *arg, void **headers)
{
	store_setup(arg, easy, NULL, headers);
}

static int transfer_opts_for_cache(const struct world *w, struct transfer_opts *o)
{
	struct fetch_settings f;
	if (settings_fetch(&f) < 0)
		return -1;
	*o = (struct transfer_opts){ w->fetch_jobs > 0 ? w->fetch_jobs : 4, (int)f.tries, f.backoff,
				     f.connect_timeout, (long)f.low_speed_limit, (long)f.low_speed_time };
	return 0;
}

/* Downloads go to a folder of this process's own, so that two drivers in
 * one top (two arches) never share a file, and it is removed when they end:
 * a store costs no disk once the lookup or the substitution is over. */
static char *download_dir(const struct world *w)
{
	return world_path(w, "work/cache/dl-%ld", (long)getpid());
}

static void remove_download_dir(const struct world *w)
{
	char *dir = download_dir(w);
	remove_tree(dir);
	free(dir);
}

/* What a killed process left: its download folder (and the shared .info
 * folder and .part files of older versions). */
void cache_remove_dead_downloads(const struct world *w)
{
	char *dir = world_path(w, "work/cache"), **names;
	size_t n;
	if (is_dir(dir) && dir_list(dir, NULL, &names, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			long pid = str_starts_with(names[i], "dl-") ? atol(names[i] + 3) : 0;
			bool dead = pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
			if (dead || !strcmp(names[i], "info") || str_ends_with(names[i], ".part")) {
				char *path = xasprintf("%s/%s", dir, names[i]);
				remove_tree(path);
				free(path);
			}
		}
		names_free(names, n);
	}
	free(dir);
}

/* Checks one .info's text; why it is refused, or NULL (*e filled). */
static const char *check_info(const struct strbuf *text, const struct cache_config *c,
			      const char *name, const char *key, struct cache_entry *e)
{
	const char *why = cache_entry_parse(text->data, text->len, e);
	if (why)
		return why;
	why = cache_entry_check(e, name, key, c->trusted, c->ntrusted);
	if (why)
		cache_entry_free(e);
	return why;
}

/* The download of object name from store s, at most max bytes. */
static void object_job(const struct store *s, const char *name, long long max,
		       struct transfer_job *job)
{
	*job = (struct transfer_job){ .file = xstrdup(name), .places = xcalloc(1, sizeof(char *)),
				      .nplaces = 1, .fresh = true, .max_size = max,
				      .setup = sign_request, .setup_arg = s };
	job->places[0] = store_object_url(s, name);
	job->why = (struct strbuf)STRBUF_INIT;
}

/* The reason the job's only place failed, without its URL: "HTTP 404",
 * "more than 65536 bytes". Caller frees. */
static char *reason_of(const struct transfer_job *job)
{
	const char *at = strstr(job->why.data, job->places[0]);
	at = at ? at + strlen(job->places[0]) + 2 : job->why.data;
	at += strspn(at, " ");
	return xstrndup(at, strcspn(at, "\n"));
}

/* Why a failed download of a .info is more than a miss ("its .info: more
 * than 65536 bytes"), or NULL: a store that is down, or lacks the key, is
 * only a miss. Caller frees. */
static char *refusal(const struct transfer_job *job)
{
	char *reason = reason_of(job), *why = NULL;
	if (job->reached && strcmp(reason, "HTTP 404") && strcmp(reason, "HTTP 403") &&
	    strcmp(reason, "no such file on the server"))
		why = xasprintf("its .info: %s", reason);
	free(reason);
	return why;
}

/* One .info from a folder store, read as a regular file of at most
 * CACHE_INFO_MAX bytes: 1 read, 0 a miss, -1 refused (*why says). */
static int read_folder_info(const struct store *s, const char *key, struct strbuf *text,
			    const char **why)
{
	char *path = xasprintf("%s/%s.info", s->base, key);
	int ret = file_read_quiet_max(path, CACHE_INFO_MAX, text) == 0 ? 1 : errno == ENOENT ? 0 : -1;
	*why = errno == EFBIG ? "its .info is larger than 64 KiB" : "its .info is not a regular file";
	free(path);
	return ret;
}

struct lookup {
	const struct world *w;
	const struct cache_config *c;
	const struct plan *plan;
	struct cache_hit *hits;
	bool *refused; /* a store had an entry for it, not taken */
};

/* The .info text (or the reason it could not be read) of item i from s. */
static void judge(struct lookup *l, const struct store *s, size_t i, const struct strbuf *text,
		  const char *unread)
{
	const struct recipe *r = l->plan->items[i].recipe;
	struct cache_entry e;
	const char *why = unread ? unread : check_info(text, l->c, r->name, l->plan->items[i].key, &e);
	if (why) {
		l->refused[i] = true;
		warning("%s %s: not taken from %s: %s; %s", r->name, r->version, s->url, why,
			s + 1 < l->c->from + l->c->nfrom ? "trying the next store" : "building it");
	} else {
		l->hits[i] = (struct cache_hit){ true, e, s };
	}
}

static void lookup_in_folder(struct lookup *l, const struct store *s, const bool *want)
{
	for (size_t i = 0; i < l->plan->n && !signals_caught(); i++) {
		if (!want[i])
			continue;
		struct strbuf text = STRBUF_INIT;
		const char *why = NULL;
		int got = read_folder_info(s, l->plan->items[i].key, &text, &why);
		if (got != 0)
			judge(l, s, i, &text, got < 0 ? why : NULL);
		strbuf_release(&text);
	}
}

static void lookup_over_network(struct lookup *l, const struct store *s, const bool *want,
				const char *dir)
{
	struct transfer_opts opts;
	struct transfer_job *jobs = xcalloc(l->plan->n, sizeof *jobs);
	size_t *item = xcalloc(l->plan->n, sizeof *item), n = 0;
	for (size_t i = 0; i < l->plan->n; i++)
		if (want[i]) {
			char *name = xasprintf("%s.info", l->plan->items[i].key);
			object_job(s, name, CACHE_INFO_MAX, &jobs[n]);
			item[n++] = i;
			free(name);
		}
	if (transfer_opts_for_cache(l->w, &opts) == 0) {
		opts.tries = 1; /* a miss is a 404: no retry; a dead store is a miss */
		struct progress *pg = progress_new_silent();
		transfer_run(dir, &opts, pg, jobs, n);
		progress_free(pg);
	}
	for (size_t k = 0; k < n && !signals_caught(); k++) {
		struct strbuf text = STRBUF_INIT;
		char *path = xasprintf("%s/%s", dir, jobs[k].file), *why = NULL;
		if (jobs[k].state == TRANSFER_DONE && file_read_quiet_max(path, CACHE_INFO_MAX, &text) == 0)
			judge(l, s, item[k], &text, NULL);
		else if (jobs[k].state != TRANSFER_DONE && (why = refusal(&jobs[k])))
			judge(l, s, item[k], NULL, why);
		free(why);
		unlink(path);
		free(path);
		strbuf_release(&text);
	}
	for (size_t k = 0; k < n; k++) {
		free((char *)jobs[k].file);
		transfer_job_release(&jobs[k]);
	}
	free(jobs);
	free(item);
}

/* One round: the .info of every wanted item not found yet, from store s.
 * An entry refused by an earlier store is asked of this one too. */
static void lookup_in(struct lookup *l, const struct store *s, const bool *todo)
{
	bool *want = xcalloc(l->plan->n, sizeof *want);
	for (size_t i = 0; i < l->plan->n; i++)
		want[i] = todo[i] && !l->hits[i].found;
	if (s->kind == STORE_FILE) {
		lookup_in_folder(l, s, want);
	} else {
		/* Not the download folder itself: an artifact may be in it. */
		char *top = download_dir(l->w), *dir = xasprintf("%s/info", top);
		if (mkdir_p(dir) == 0)
			lookup_over_network(l, s, want, dir);
		remove_tree(dir);
		rmdir(top);
		free(dir);
		free(top);
	}
	free(want);
}

int cache_lookup(const struct world *w, const struct cache_config *c, const struct plan *plan,
		 const bool *todo, struct cache_hit *hits)
{
	struct lookup l = { w, c, plan, hits, xcalloc(plan->n, sizeof(bool)) };
	static bool told;
	if (c->nfrom && !c->ntrusted && !told) {
		warning("CACHE is set but CACHE_TRUST is not: nothing is taken from a cache until "
			"CACHE_TRUST names the public keys to accept (a NAME.pub file or its line)");
		told = true;
	}
	if (c->ntrusted)
		cache_remove_dead_downloads(w);
	for (size_t s = 0; c->ntrusted && s < c->nfrom && !signals_caught(); s++)
		lookup_in(&l, &c->from[s], todo);
	/* A miss: one line, not a warning (an entry refused got its warning). */
	for (size_t i = 0; c->ntrusted && !signals_caught() && i < plan->n; i++)
		if (todo[i] && !hits[i].found && !l.refused[i])
			printf("cache: %s %s (%s) is in no store; building it\n", plan->items[i].recipe->name,
			       plan->items[i].recipe->version, arch_of(plan, i));
	fflush(stdout);
	free(l.refused);
	return signals_caught() ? -1 : 0;
}

/* The artifact of h from its store into dir, checked: the size and the sum
 * the signed .info names, never more bytes than that size. */
static int get_artifact(const struct world *w, const struct cache_hit *h, const char *dir,
			const char *path)
{
	char *name = xasprintf("%s.tar.zst", h->entry.key), hex[DIGEST_HEX_LEN + 1];
	int ret;
	if (h->store->kind == STORE_FILE) {
		char *from = xasprintf("%s/%s", h->store->base, name);
		ret = file_copy_max(from, path, h->entry.size ? h->entry.size : 1);
		if (ret == 0 && (ret = digest_sha256_file(path, hex)) == 0 && strcmp(hex, h->entry.sha256))
			ret = error("%s from %s: sha256 %s, its .info says %s", name, h->store->url, hex,
				    h->entry.sha256);
		free(from);
	} else {
		struct transfer_opts opts;
		struct transfer_job job;
		object_job(h->store, name, (long long)h->entry.size, &job);
		job.sum = h->entry.sha256;
		job.fresh = false;
		ret = transfer_opts_for_cache(w, &opts);
		if (ret == 0) {
			struct progress *pg = progress_new_silent();
			ret = transfer_run(dir, &opts, pg, &job, 1);
			progress_free(pg);
			char *reason = ret < 0 ? reason_of(&job) : NULL;
			if (ret < 0)
				error("cannot get %s from %s: %s", name, h->store->url, reason);
			free(reason);
		}
		free((char *)job.file);
		transfer_job_release(&job);
	}
	struct stat st;
	if (ret == 0 && (stat(path, &st) < 0 || (unsigned long long)st.st_size != h->entry.size))
		ret = error("%s from %s: not the %llu bytes its .info says", name, h->store->url,
			    h->entry.size);
	free(name);
	return ret;
}

/* The same key in the stores after h's: 0 with h moved there, -1 if none
 * has a good entry. */
static int next_entry(const struct world *w, const struct cache_config *c, const struct plan *plan,
		      size_t i, struct cache_hit *h)
{
	bool *todo = xcalloc(plan->n, sizeof *todo);
	struct cache_hit *hits = xcalloc(plan->n, sizeof *hits);
	struct lookup l = { w, c, plan, hits, xcalloc(plan->n, sizeof(bool)) };
	todo[i] = true;
	for (const struct store *s = h->store + 1; s < c->from + c->nfrom && !hits[i].found; s++)
		lookup_in(&l, s, todo);
	int ret = hits[i].found ? 0 : -1;
	if (ret == 0) {
		cache_hit_free(h);
		*h = hits[i];
	}
	free(l.refused);
	free(hits);
	free(todo);
	return ret;
}

int cache_download(const struct world *w, const struct cache_config *c, const struct plan *plan,
		   size_t i, struct cache_hit *h, char **path)
{
	char *dir = download_dir(w);
	*path = xasprintf("%s/%s.tar.zst", dir, h->entry.key);
	int ret = 0;
	/* The folder again each time: a lookup in the next store removes it. */
	while (ret == 0 && (mkdir_p(dir) < 0 || get_artifact(w, h, dir, *path) < 0)) {
		unlink(*path);
		if (signals_caught() || next_entry(w, c, plan, i, h) < 0)
			ret = -1;
		else {
			free(*path);
			*path = xasprintf("%s/%s.tar.zst", dir, h->entry.key);
		}
	}
	if (ret < 0) {
		remove_tree(dir);
		free(*path);
		*path = NULL;
	}
	free(dir);
	return ret;
}

void cache_download_done(const struct world *w)
{
	remove_download_dir(w);
}

/* --- pushing ---------------------------------------------------------------- */

static int put_entry(const struct cache_config *c, const char *art, struct cache_entry *e)
{
	char *art_name = xasprintf("%s.tar.zst", e->key), *info_name = xasprintf("%s.info", e->key);
	char *info = xasprintf("%s.info", art);
	struct strbuf text = STRBUF_INIT;
	cache_entry_format(e, &text);
	/* The artifact first: a reader never sees an entry whose artifact is missing. */
	int ret = file_write_atomic(info, text.data, text.len);
	if (ret == 0)
		ret = store_put(&c->push, art_name, art);
	if (ret == 0)
		ret = store_put(&c->push, info_name, info);
	unlink(info);
	strbuf_release(&text);
	free(art_name);
	free(info_name);
	free(info);
	return ret;
}

/* The unsigned entry for item i's packed artifact ART. */
static int describe_artifact(const struct plan *plan, size_t i, const char *art, struct cache_entry *e)
{
	const struct plan_item *it = &plan->items[i];
	e->name = xstrdup(it->recipe->name);
	e->version = xstrdup(it->recipe->version);
	e->arch = xstrdup(arch_of(plan, i));
	e->compression = xstrdup("zstd");
	e->depends = depends_of(plan, i);
	memcpy(e->key, it->key, sizeof e->key);
	struct stat st;
	if (stat(art, &st) < 0)
		return error_errno("cannot read %s", art);
	e->size = (unsigned long long)st.st_size;
	return digest_sha256_file(art, e->sha256);
}

/* The files of item i that the packages continuing it (gcc-libs, gcc's)
 * changed: they are taken from a cache only together (keep_together), so
 * its entry may carry their edit, which theirs carries again. */
static void changed_by_followers(const struct world *w, const struct plan *plan, size_t i,
				 struct strv *out)
{
	const struct recipe *r = plan->items[i].recipe;
	for (size_t j = 0; j < plan->n; j++) {
		const struct recipe *f = plan->items[j].recipe;
		if (!f->continues || strcmp(f->continues, r->name))
			continue;
		char *manifest = world_path(w, "states/files/%s/%s", arch_of(plan, j), f->name);
		installed_changed(manifest, out);
		free(manifest);
	}
}

/* Whether the files are still as the package installed them: a file a
 * later package changed would publish that package's edit as this one's. */
static int unchanged_since_install(const struct world *w, const struct plan *plan, size_t i,
				   const char *manifest)
{
	const struct recipe *r = plan->items[i].recipe;
	struct strbuf what = STRBUF_INIT;
	struct strv skip = STRV_INIT;
	changed_by_followers(w, plan, i, &skip);
	int state = installed_check(manifest, w->top, &skip, &what), ret = 0;
	strv_free(&skip);
	if (state == INSTALLED_CHANGED)
		ret = error("%s %s: %s changed after %s installed it (a later package edited it?): not "
			    "pushed; push while building (CACHE_PUSH set for the build), or rebuild %s "
			    "(bootstrap reset %s %s) and push", r->name, r->version, what.data, r->name,
			    r->name, plan->arch->name, r->name);
	else if (state == INSTALLED_UNRECORDED)
		warning("%s %s: built by an older bootstrap, which kept no record of its files: "
			"pushing them as they are now", r->name, r->version);
	strbuf_release(&what);
	return state < 0 ? -1 : ret;
}

/* The .info of key in store s, as push reads it back: 1 read into text,
 * 0 none, -1 unreadable (too large, not a file, the store failing). */
static int read_back_info(const struct world *w, const struct cache_config *c, const char *key,
			  struct strbuf *text)
{
	const char *why;
	if (c->push.kind == STORE_FILE)
		return read_folder_info(&c->push, key, text, &why);
	struct transfer_opts opts;
	struct transfer_job job;
	char *top = download_dir(w), *dir = xasprintf("%s/info", top), *name = xasprintf("%s.info", key);
	object_job(&c->push, name, CACHE_INFO_MAX, &job);
	int ret = transfer_opts_for_cache(w, &opts) < 0 || mkdir_p(dir) < 0 ? -1 : 0;
	if (ret == 0) {
		struct progress *pg = progress_new_silent();
		opts.tries = 1;
		transfer_run(dir, &opts, pg, &job, 1);
		progress_free(pg);
		char *path = xasprintf("%s/%s", dir, name);
		char *refused = job.state == TRANSFER_DONE ? NULL : refusal(&job);
		ret = job.state == TRANSFER_DONE ? (file_read_quiet_max(path, CACHE_INFO_MAX, text) == 0 ? 1 : -1)
		      : refused ? -1 : 0;
		free(refused);
		free(path);
	}
	free((char *)job.file);
	transfer_job_release(&job);
	remove_tree(top);
	free(name);
	free(dir);
	free(top);
	return ret;
}

/* Why the store's entry for item i must be pushed again, or NULL when it is
 * whole: its .info signed by this key for this package, its artifact there
 * at the size the .info names. */
static const char *needs_repair(const struct world *w, const struct cache_config *c,
				const struct plan *plan, size_t i, const struct sign_key *secret)
{
	const struct plan_item *it = &plan->items[i];
	struct strbuf text = STRBUF_INIT;
	struct cache_entry e;
	int got = read_back_info(w, c, it->key, &text);
	const char *why = got == 0 ? "" : got < 0 ? "its .info could not be read"
			  : cache_entry_parse(text.data, text.len, &e) ? "its .info is malformed" : NULL;
	strbuf_release(&text);
	if (why)
		return why;
	long long size = -1;
	char *art = xasprintf("%s.tar.zst", it->key);
	if (strcmp(e.name, it->recipe->name) || strcmp(e.key, it->key))
		why = "its .info names another package or key";
	else if (!cache_entry_signed_by(&e, secret))
		why = "its .info is not signed by this key";
	else if (store_size(&c->push, art, &size) < 0 || size == -1)
		why = "its artifact is missing";
	else if (size != (long long)e.size)
		why = "its artifact is not the size its .info names";
	free(art);
	cache_entry_free(&e);
	return why;
}

/* Packs, signs and uploads item i's entry. */
static int upload(const struct world *w, const struct cache_config *c, const struct plan *plan,
		  size_t i, const char *manifest, const struct sign_key *secret)
{
	const struct plan_item *it = &plan->items[i];
	char *dir = world_path(w, "work/cache/push");
	/* Per process: two pushes of one key from one top must not share it. */
	char *art = xasprintf("%s/%s.%ld.tar.zst", dir, it->key, (long)getpid());
	struct strv changed = STRV_INIT;
	int ret = mkdir_p(dir) < 0 || installed_changed(manifest, &changed) < 0 ? -1
		  : artifact_pack(manifest, &changed, w->top, art);
	strv_free(&changed);
	struct cache_entry e = { 0 };
	if (ret == 0)
		ret = describe_artifact(plan, i, art, &e);
	if (ret == 0)
		ret = cache_entry_sign(&e, secret);
	if (ret == 0)
		ret = put_entry(c, art, &e);
	cache_entry_free(&e);
	unlink(art);
	free(art);
	free(dir);
	return ret;
}

int cache_push(const struct world *w, const struct cache_config *c, const struct plan *plan,
	       size_t i, const char *manifest, const char **what)
{
	struct sign_key secret;
	*what = NULL;
	if (sign_load_secret(c->sign_key_path, &secret) < 0)
		return -1;
	const char *why = needs_repair(w, c, plan, i, &secret);
	int ret = 0;
	if (!why)
		*what = "already there";
	else if ((ret = unchanged_since_install(w, plan, i, manifest)) == 0 &&
		 (ret = upload(w, c, plan, i, manifest, &secret)) == 0)
		*what = *why ? why : "pushed";
	OPENSSL_cleanse(&secret, sizeof secret);
	return ret;
}
