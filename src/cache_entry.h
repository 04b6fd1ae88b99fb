/* cache_entry.h: one binary cache entry's description, <key>.info.
 *
 * A package built from input key K is stored as two objects: K.tar.zst, the
 * files its manifest lists (paths relative to the top), and K.info, this
 * text, uploaded last so that a reader never finds an entry whose artifact is
 * missing:
 *
 *   format      = bootstrap-cache-1
 *   name        = gcc
 *   version     = 16.2.0
 *   arch        = x86_64            (host for the host stage)
 *   key         = <64 hex>          the input key (plan.h)
 *   artifact    = <key>.tar.zst
 *   sha256      = <64 hex>          of the artifact
 *   size        = <bytes>           of the artifact
 *   compression = zstd
 *   depends     = binutils:<key> ...  (the dependencies' keys, plan order)
 *   sig         = NAME:BASE64       one line per signature (sign.h)
 *
 * A signature covers cache_entry_signed_text(): every field above but sig,
 * in this order, so that no field can be changed or dropped unnoticed. */
#ifndef CACHE_ENTRY_H
#define CACHE_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "digest.h"
#include "sign.h"

#define CACHE_ENTRY_MAX_SIGS 8
#define CACHE_INFO_MAX 65536

struct strbuf;

struct cache_entry {
	char *name, *version, *arch, *compression, *depends;
	char key[DIGEST_HEX_LEN + 1], sha256[DIGEST_HEX_LEN + 1];
	unsigned long long size;
	char *sigs[CACHE_ENTRY_MAX_SIGS];
	size_t nsigs;
};

/* The text the signatures cover. */
void cache_entry_signed_text(const struct cache_entry *e, struct strbuf *out);
/* The whole .info: the signed text's fields and the sig lines. */
void cache_entry_format(const struct cache_entry *e, struct strbuf *out);
/* Parses a .info; NULL on success, else why it is malformed (a static
 * string naming the line). On failure *e holds nothing to free. */
const char *cache_entry_parse(const char *text, size_t len, struct cache_entry *e);
/* NULL when e may stand for package name at key: it names that package and
 * key, and a signature by one of the trusted keys covers it; else why not. */
const char *cache_entry_check(const struct cache_entry *e, const char *name, const char *key,
			      const struct sign_key *trusted, size_t ntrusted);
/* True when one of e's signatures verifies with secret's public half: an
 * entry a push of the same key may leave as it is. */
bool cache_entry_signed_by(const struct cache_entry *e, const struct sign_key *secret);
/* Adds a signature by secret; -1 when OpenSSL fails or there is no room. */
int cache_entry_sign(struct cache_entry *e, const struct sign_key *secret);
void cache_entry_free(struct cache_entry *e);

#endif
