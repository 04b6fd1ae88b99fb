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
 * stores in order, into hits[i]. A .info is read as a regular file (or
 * body) of at most CACHE_INFO_MAX bytes. An entry that fails a check gets
 * one warning line saying why, and the next store is asked; a package no
 * store has gets one plain line. -1 when a signal stopped it (nothing said). */
int cache_lookup(const struct world *w, const struct cache_config *c, const struct plan *plan,
		  const bool *todo, struct cache_hit *hits);
void cache_hit_free(struct cache_hit *h);

/* Downloads the artifact of item i's hit h into a folder of this process's
 * own under top/work/cache/ (its path in *path): a folder store's file read
 * as a regular file, a server's through the fetch engine (retries, the sum
 * checked while streaming); never more bytes than the signed size. When it
 * fails (said by error lines), the same key is looked up in the stores after
 * h's, and h becomes the next good entry. -1 when none gave it. */
int cache_download(const struct world *w, const struct cache_config *c, const struct plan *plan,
		   size_t i, struct cache_hit *h, char **path);
/* Removes the download folder, the artifact in it included. */
void cache_download_done(const struct world *w);
/* Removes the download folders of processes that are gone (a worker
 * stopped or killed inside a download), and what older versions left. */
void cache_remove_dead_downloads(const struct world *w);

/* Pushes item i unless the store's entry is whole: its .info signed by
 * CACHE_SIGN_KEY for this package and key, its artifact of the size the
 * .info names. Else packs the files the manifest lists (refused when they
 * changed since the install: installed.h), signs the entry and uploads the
 * artifact, then the .info. *what says which: "pushed", "already there", or
 * why the entry there was replaced ("its artifact is missing"). */
int cache_push(const struct world *w, const struct cache_config *c, const struct plan *plan,
	       size_t i, const char *manifest, const char **what);

/* bootstrap cache keygen NAME */
int cache_keygen(const char *name);

#endif
