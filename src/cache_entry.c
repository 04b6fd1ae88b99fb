#include "cache_entry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

#define FORMAT "bootstrap-cache-1"

void cache_entry_signed_text(const struct cache_entry *e, struct strbuf *out)
{
	strbuf_addf(out, "format      = %s\n", FORMAT);
	strbuf_addf(out, "name        = %s\n", e->name);
	strbuf_addf(out, "version     = %s\n", e->version);
	strbuf_addf(out, "arch        = %s\n", e->arch);
	strbuf_addf(out, "key         = %s\n", e->key);
	strbuf_addf(out, "artifact    = %s.tar.zst\n", e->key);
	strbuf_addf(out, "sha256      = %s\n", e->sha256);
	strbuf_addf(out, "size        = %llu\n", e->size);
	strbuf_addf(out, "compression = %s\n", e->compression);
	strbuf_addf(out, "depends     = %s\n", e->depends);
}

void cache_entry_format(const struct cache_entry *e, struct strbuf *out)
{
	cache_entry_signed_text(e, out);
	for (size_t i = 0; i < e->nsigs; i++)
		strbuf_addf(out, "sig         = %s\n", e->sigs[i]);
}

void cache_entry_free(struct cache_entry *e)
{
	free(e->name);
	free(e->version);
	free(e->arch);
	free(e->compression);
	free(e->depends);
	for (size_t i = 0; i < e->nsigs; i++)
		free(e->sigs[i]);
	memset(e, 0, sizeof *e);
}

/* A value of the signed fields: printable, no blanks but inside depends. */
static bool plain_value(const char *v, bool spaces)
{
	for (; *v; v++)
		if ((unsigned char)*v <= ' ' && !(spaces && *v == ' '))
			return false;
	return true;
}

static const char *set_digest(char *dst, const char *v)
{
	if (*dst)
		return "a field given twice";
	if (!digest_is_hex(v))
		return "a key or sum that is not 64 hex digits";
	memcpy(dst, v, DIGEST_HEX_LEN + 1);
	return NULL;
}

static const char *set_size(unsigned long long *size, const char *v)
{
	char *end;
	errno = 0;
	*size = strtoull(v, &end, 10);
	return *v < '0' || *v > '9' || *end || errno ? "a size that is not a number" : NULL;
}

static const char *set_field(struct cache_entry *e, const char *k, const char *v, bool *seen_format,
			     bool *seen_artifact)
{
	char **text[] = { &e->name, &e->version, &e->arch, &e->compression, &e->depends };
	static const char *const names[] = { "name", "version", "arch", "compression", "depends" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(k, names[i])) {
			if (*text[i])
				return "a field given twice";
			if (!plain_value(v, i == 4) || (i < 4 && !*v))
				return "a field with a bad value";
			*text[i] = xstrdup(v);
			return NULL;
		}
	if (!strcmp(k, "key") || !strcmp(k, "sha256"))
		return set_digest(k[0] == 'k' ? e->key : e->sha256, v);
	if (!strcmp(k, "size"))
		return set_size(&e->size, v);
	if (!strcmp(k, "format")) {
		*seen_format = true;
		return strcmp(v, FORMAT) ? "another format than " FORMAT : NULL;
	}
	if (!strcmp(k, "artifact")) {
		*seen_artifact = true;
		return strlen(v) != DIGEST_HEX_LEN + 8 || strcmp(v + DIGEST_HEX_LEN, ".tar.zst")
		       ? "an artifact name that is not KEY.tar.zst" : NULL;
	}
	if (!strcmp(k, "sig")) {
		if (e->nsigs == CACHE_ENTRY_MAX_SIGS)
			return "too many signatures";
		e->sigs[e->nsigs++] = xstrdup(v);
		return NULL;
	}
	return "an unknown field";
}

static const char *parse_line(struct cache_entry *e, const char *line, bool *seen_format,
			      bool *seen_artifact)
{
	const char *eq = strstr(line, " = ");
	if (!eq)
		return "a line that is not 'field = value'";
	size_t klen = strcspn(line, " ");
	if (klen == 0 || strspn(line + klen, " ") < (size_t)(eq - line) - klen + 1)
		return "a line that is not 'field = value'";
	char *k = xstrndup(line, klen);
	const char *why = set_field(e, k, eq + 3, seen_format, seen_artifact);
	free(k);
	return why;
}

const char *cache_entry_parse(const char *text, size_t len, struct cache_entry *e)
{
	static char why[96];
	memset(e, 0, sizeof *e);
	if (len > CACHE_INFO_MAX || memchr(text, '\0', len))
		return "not a text of at most 64 KiB";
	bool seen_format = false, seen_artifact = false;
	int lineno = 0;
	for (size_t pos = 0; pos < len;) {
		size_t n = strcspn(text + pos, "\n");
		if (pos + n > len)
			n = len - pos;
		char *line = xstrndup(text + pos, n);
		lineno++;
		const char *bad = parse_line(e, line, &seen_format, &seen_artifact);
		free(line);
		pos += n + 1;
		if (bad) {
			snprintf(why, sizeof why, "a malformed .info (line %d: %s)", lineno, bad);
			cache_entry_free(e);
			return why;
		}
	}
	if (!seen_format || !seen_artifact || !e->name || !e->version || !e->arch || !*e->key ||
	    !*e->sha256 || !e->compression || !e->depends) {
		cache_entry_free(e);
		return "a malformed .info (a field is missing)";
	}
	return NULL;
}

const char *cache_entry_check(const struct cache_entry *e, const char *name, const char *key,
			      const struct sign_key *trusted, size_t ntrusted)
{
	if (strcmp(e->name, name) || strcmp(e->key, key))
		return "its .info names another package or key";
	if (strcmp(e->compression, "zstd"))
		return "its artifact is not zstd-compressed";
	if (!e->nsigs)
		return "it is not signed";
	struct strbuf text = STRBUF_INIT;
	cache_entry_signed_text(e, &text);
	const char *why = NULL;
	for (size_t i = 0; i < e->nsigs; i++) {
		why = sign_check(trusted, ntrusted, e->sigs[i], text.data, text.len);
		if (!why)
			break;
	}
	strbuf_release(&text);
	return why;
}

bool cache_entry_signed_by(const struct cache_entry *e, const struct sign_key *secret)
{
	struct sign_key pub;
	return sign_public_of(secret, &pub) == 0 &&
	       cache_entry_check(e, e->name, e->key, &pub, 1) == NULL;
}

int cache_entry_sign(struct cache_entry *e, const struct sign_key *secret)
{
	if (e->nsigs == CACHE_ENTRY_MAX_SIGS)
		return error("%s.info: no room for another signature", e->key);
	struct strbuf text = STRBUF_INIT;
	cache_entry_signed_text(e, &text);
	char *sig = sign_make(secret, text.data, text.len);
	strbuf_release(&text);
	if (!sig)
		return -1;
	e->sigs[e->nsigs++] = sig;
	return 0;
}
