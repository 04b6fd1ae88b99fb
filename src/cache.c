#include "cache.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "artifact.h"
#include "file.h"
#include "plan.h"
#include "recipe.h"
#include "settings.h"
#include "stepenv.h"
#include "strbuf.h"
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
	if (c->sign_key_path && !is_file(c->sign_key_path))
		ret = error("CACHE_SIGN_KEY=%s: no such file (bootstrap cache keygen NAME makes "
			    "NAME.sec)", c->sign_key_path);
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

/* Reads and checks one downloaded .info; why it is refused, or NULL. */
static const char *check_info(const char *path, const struct cache_config *c, const char *name,
			      const char *key, struct cache_entry *e)
{
	struct strbuf text = STRBUF_INIT;
	const char *why = file_read_quiet(path, &text) < 0 ? "its .info cannot be read"
			  : cache_entry_parse(text.data, text.len, e);
	strbuf_release(&text);
	if (why)
		return why;
	why = cache_entry_check(e, name, key, c->trusted, c->ntrusted);
	if (why)
		cache_entry_free(e);
	return why;
}

/* The download of KEY.info from store s. */
static void info_job(const struct store *s, const char *key, struct transfer_job *job)
{
	char *name = xasprintf("%s.info", key);
	*job = (struct transfer_job){ .file = name, .places = xcalloc(1, sizeof(char *)), .nplaces = 1,
				      .fresh = true, .setup = sign_request, .setup_arg = s };
	job->places[0] = store_object_url(s, name);
}

/* One round: the .info of every wanted item not found yet, from store s. */
static void lookup_in(const struct world *w, const struct cache_config *c, const struct store *s,
		      const struct plan *plan, const bool *todo, struct cache_hit *hits, bool *tried)
{
	struct transfer_opts opts;
	char *dir = world_path(w, "work/cache/info");
	struct transfer_job *jobs = xcalloc(plan->n, sizeof *jobs);
	size_t *item = xcalloc(plan->n, sizeof *item), n = 0;
	if (transfer_opts_for_cache(w, &opts) < 0 || mkdir_p(dir) < 0)
		goto out;
	for (size_t i = 0; i < plan->n; i++)
		if (todo[i] && !hits[i].found && !tried[i]) {
			info_job(s, plan->items[i].key, &jobs[n]);
			item[n++] = i;
		}
	opts.tries = 1; /* a miss is a 404: no retry; a dead store is a miss */
	struct progress *pg = progress_new_silent();
	transfer_run(dir, &opts, pg, jobs, n);
	progress_free(pg);
	for (size_t k = 0; k < n; k++) {
		size_t i = item[k];
		const struct recipe *r = plan->items[i].recipe;
		if (jobs[k].state != TRANSFER_DONE)
			continue;
		tried[i] = true;
		char *path = xasprintf("%s/%s", dir, jobs[k].file);
		const char *why = check_info(path, c, r->name, plan->items[i].key, &hits[i].entry);
		if (why)
			warning("%s %s: not taken from %s: %s; building it", r->name, r->version, s->url, why);
		else
			hits[i] = (struct cache_hit){ true, hits[i].entry, s };
		unlink(path);
		free(path);
	}
out:
	for (size_t k = 0; k < n; k++) {
		free((char *)jobs[k].file);
		transfer_job_release(&jobs[k]);
	}
	free(jobs);
	free(item);
	free(dir);
}

void cache_lookup(const struct world *w, const struct cache_config *c, const struct plan *plan,
		  const bool *todo, struct cache_hit *hits)
{
	bool *tried = xcalloc(plan->n, sizeof *tried);
	static bool told;
	if (c->nfrom && !c->ntrusted && !told) {
		warning("CACHE is set but CACHE_TRUST is not: nothing is taken from a cache until "
			"CACHE_TRUST names the public keys to accept (a NAME.pub file or its line)");
		told = true;
	}
	for (size_t s = 0; c->ntrusted && s < c->nfrom; s++)
		lookup_in(w, c, &c->from[s], plan, todo, hits, tried);
	/* A miss: one line, not a warning (an entry refused got its warning). */
	for (size_t i = 0; c->ntrusted && i < plan->n; i++)
		if (todo[i] && !hits[i].found && !tried[i])
			printf("cache: %s %s (%s) is in no store; building it\n", plan->items[i].recipe->name,
			       plan->items[i].recipe->version, arch_of(plan, i));
	fflush(stdout);
	free(tried);
}

int cache_download(const struct world *w, const struct cache_hit *h, char **path)
{
	struct transfer_opts opts;
	char *dir = world_path(w, "work/cache");
	char *name = xasprintf("%s.tar.zst", h->entry.key);
	struct transfer_job job = { .file = name, .sum = h->entry.sha256,
				    .places = xcalloc(1, sizeof(char *)), .nplaces = 1,
				    .setup = sign_request, .setup_arg = h->store };
	job.places[0] = store_object_url(h->store, name);
	int ret = transfer_opts_for_cache(w, &opts) < 0 || mkdir_p(dir) < 0 ? -1 : 0;
	if (ret == 0) {
		struct progress *pg = progress_new_silent();
		ret = transfer_run(dir, &opts, pg, &job, 1);
		progress_free(pg);
		if (ret < 0)
			error("cannot get %s from %s:\n%s", name, h->store->url, job.why.data);
		else if (job.size != (long long)h->entry.size)
			ret = error("%s from %s: %lld bytes, its .info says %llu", name, h->store->url,
				    job.size, h->entry.size);
	}
	*path = ret == 0 ? xasprintf("%s/%s", dir, name) : NULL;
	transfer_job_release(&job);
	free(name);
	free(dir);
	return ret;
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

int cache_push(const struct world *w, const struct cache_config *c, const struct plan *plan,
	       size_t i, const char *manifest, bool *pushed)
{
	const struct plan_item *it = &plan->items[i];
	char *info_name = xasprintf("%s.info", it->key);
	bool exists = false;
	*pushed = false;
	int ret = store_exists(&c->push, info_name, &exists);
	free(info_name);
	if (ret < 0 || exists)
		return ret;
	struct sign_key secret;
	if (sign_load_secret(c->sign_key_path, &secret) < 0)
		return -1;
	char *dir = world_path(w, "work/cache/push");
	/* Per process: two pushes of one key from one top must not share it. */
	char *art = xasprintf("%s/%s.%ld.tar.zst", dir, it->key, (long)getpid());
	ret = mkdir_p(dir) < 0 ? -1 : artifact_pack(manifest, w->top, art);
	struct cache_entry e = { 0 };
	if (ret == 0)
		ret = describe_artifact(plan, i, art, &e);
	if (ret == 0)
		ret = cache_entry_sign(&e, &secret);
	if (ret == 0)
		ret = put_entry(c, art, &e);
	*pushed = ret == 0;
	OPENSSL_cleanse(&secret, sizeof secret);
	cache_entry_free(&e);
	unlink(art);
	free(art);
	free(dir);
	return ret;
}
