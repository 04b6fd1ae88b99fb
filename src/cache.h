/* cache.h: the binary cache: packages substituted from, and pushed to,
 * stores (store.h) under their input keys (README.md, "Binary cache").
 *
 * Settings, from the environment:
 *   CACHE           stores to substitute from, space-separated, tried in order
 *   CACHE_TRUST     public keys (NAME:BASE64) or key files whose signatures
 *                   are accepted; none: nothing is substituted
 *   CACHE_PUSH      the store push (and build, as each package finishes)
 *                   uploads to
 *   CACHE_SIGN_KEY  the secret key file (NAME.sec) push signs with */
#ifndef CACHE_H
#define CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "cache_entry.h"
#include "sign.h"
#include "store.h"

struct world;
struct plan;
struct plan_item;

struct cache_config {
	struct store *from;   /* CACHE */
	size_t nfrom;
	struct sign_key *trusted; /* CACHE_TRUST */
	size_t ntrusted;
	struct store push;    /* CACHE_PUSH */
	bool pushing;
	char *sign_key_path;  /* CACHE_SIGN_KEY */
};

/* Reads and checks the settings; -1 after one error line per bad one.
 * CACHE_SIGN_KEY must load as a secret key (a public key is refused). */
int cache_config_load(struct cache_config *c);
void cache_config_free(struct cache_config *c);
/* Checks them without keeping them (settings.h calls it before a command),
 * and warns once when CACHE_SIGN_KEY's file is readable by group or others. */
int cache_settings_check(void);

/* A package found in a cache, its entry checked. */
struct cache_hit {
	bool found;
	struct cache_entry entry;
	const struct store *store; /* where its .info came from */
};

/* Looks up the .info of every item of plan that todo[i] marks, in the
 * stores in order, into hits[i]. A miss says nothing; an entry that fails a
 * check gets one warning line saying why, and is a miss. */
void cache_lookup(const struct world *w, const struct cache_config *c, const struct plan *plan,
		  const bool *todo, struct cache_hit *hits);
void cache_hit_free(struct cache_hit *h);

/* Downloads the hit's artifact through the fetch engine (resume, retries,
 * sum checked while streaming) into top/work/cache/; its path in *path. */
int cache_download(const struct world *w, const struct cache_hit *h, char **path);

/* Packs the package's installed files (its manifest), signs the entry with
 * CACHE_SIGN_KEY and uploads the artifact, then the .info, unless the store
 * has the .info already (*pushed false then). */
int cache_push(const struct world *w, const struct cache_config *c, const struct plan *plan,
	       size_t i, const char *manifest, bool *pushed);

/* bootstrap cache keygen NAME */
int cache_keygen(const char *name);

#endif
