#include "sign.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "strbuf.h"
#include "util.h"

#define SIG_BYTES 64
/* A secret key file holds the seed, then its public key. */
#define SECRET_BYTES (2 * SIGN_KEY_BYTES)

static bool good_name(const char *s, size_t n)
{
	if (n == 0 || n > SIGN_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') && !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && !strchr("._-", s[i]))
			return false;
	return true;
}

/* Decodes exactly want bytes of base64 (padding included); false otherwise. */
static bool decode_exact(const char *b64, size_t len, unsigned char *out, size_t want)
{
	size_t pad = want % 3 ? 3 - want % 3 : 0;
	if (len != (want + pad) / 3 * 4)
		return false;
	unsigned char *buf = xmalloc(len);
	int n = EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)len);
	bool ok = n >= 0 && (size_t)n == want + pad;
	for (size_t i = 0; ok && i < pad; i++)
		ok = b64[len - 1 - i] == '=';
	if (ok)
		memcpy(out, buf, want);
	free(buf);
	return ok;
}

static char *encode(const char *name, const unsigned char *raw, size_t n)
{
	char *b64 = xmalloc((n + 2) / 3 * 4 + 1);
	EVP_EncodeBlock((unsigned char *)b64, raw, (int)n);
	char *out = xasprintf("%s:%s", name, b64);
	free(b64);
	return out;
}

/* NAME:BASE64 of want bytes: the name into name, the bytes into raw; false
 * when malformed. */
static bool parse_named(const char *text, size_t want, char *name, unsigned char *raw)
{
	const char *colon = strchr(text, ':');
	size_t len = strcspn(text, "\r\n");
	if (!colon || (size_t)(colon - text) >= len || !good_name(text, (size_t)(colon - text)))
		return false;
	memcpy(name, text, (size_t)(colon - text));
	name[colon - text] = '\0';
	const char *b64 = colon + 1;
	return decode_exact(b64, len - (size_t)(b64 - text), raw, want) &&
	       text[len + strspn(text + len, "\r\n")] == '\0';
}

/* True when text is a secret key of the current form (SECRET_BYTES); its
 * name into name. */
static bool is_secret_text(const char *text, char *name)
{
	unsigned char both[SECRET_BYTES];
	bool yes = parse_named(text, SECRET_BYTES, name, both);
	OPENSSL_cleanse(both, sizeof both);
	return yes;
}

/* The public key of an ed25519 seed; false when OpenSSL fails. */
static bool derive_public(const unsigned char *seed, unsigned char *pub)
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, SIGN_KEY_BYTES);
	size_t n = SIGN_KEY_BYTES;
	bool ok = key && EVP_PKEY_get_raw_public_key(key, pub, &n) > 0 && n == SIGN_KEY_BYTES;
	EVP_PKEY_free(key);
	return ok;
}

static int write_key(const char *path, const char *line, mode_t mode)
{
	int fd = file_open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (fd < 0)
		return -1;
	size_t n = strlen(line);
	int ret = write(fd, line, n) == (ssize_t)n && write(fd, "\n", 1) == 1 && fsync(fd) == 0
		  ? 0 : error_errno("cannot write %s", path);
	close(fd);
	if (ret < 0)
		unlink(path);
	return ret;
}

int sign_keygen(const char *name, const char *dir)
{
	if (!good_name(name, strlen(name)))
		return error("cache key name '%s': use 1 to %d letters, digits, '.', '_' or '-'",
			     name, SIGN_NAME_MAX);
	char *sec = xasprintf("%s/%s.sec", dir, name), *pub = xasprintf("%s/%s.pub", dir, name);
	EVP_PKEY *key = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	unsigned char both[SECRET_BYTES]; /* the seed, then the public key */
	size_t ns = SIGN_KEY_BYTES, np = SIGN_KEY_BYTES;
	int ret = -1;
	if (path_exists(sec) || path_exists(pub))
		error("%s or %s exists already: keys are never replaced (remove them first)", sec, pub);
	else if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_keygen(ctx, &key) <= 0 ||
		 EVP_PKEY_get_raw_private_key(key, both, &ns) <= 0 ||
		 EVP_PKEY_get_raw_public_key(key, both + SIGN_KEY_BYTES, &np) <= 0)
		error("cannot make an ed25519 key (OpenSSL)");
	else {
		char *s = encode(name, both, sizeof both), *p = encode(name, both + SIGN_KEY_BYTES, np);
		ret = write_key(sec, s, 0600);
		if (ret == 0 && (ret = write_key(pub, p, 0644)) < 0)
			unlink(sec);
		OPENSSL_cleanse(s, strlen(s));
		free(s);
		free(p);
	}
	OPENSSL_cleanse(both, sizeof both);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	free(sec);
	free(pub);
	return ret;
}

/* The seed and public key of a secret key file into k, the public half
 * checked against the seed. */
static int take_secret(const char *path, const unsigned char *both, struct sign_key *k)
{
	unsigned char pub[SIGN_KEY_BYTES];
	if (!derive_public(both, pub))
		return error("%s: cannot derive the public key of its seed (OpenSSL)", path);
	if (memcmp(pub, both + SIGN_KEY_BYTES, SIGN_KEY_BYTES))
		return error("%s: its public half is not its seed's: the file is damaged (make a new "
			     "pair with bootstrap cache keygen NAME)", path);
	memcpy(k->raw, both, SIGN_KEY_BYTES);
	return 0;
}

int sign_load_secret(const char *path, struct sign_key *k)
{
	struct strbuf text = STRBUF_INIT;
	unsigned char both[SECRET_BYTES];
	if (file_read_max(path, 4096, &text) < 0)
		return -1;
	k->secret = true;
	int ret;
	if (parse_named(text.data, SECRET_BYTES, k->name, both))
		ret = take_secret(path, both, k);
	else if (parse_named(text.data, SIGN_KEY_BYTES, k->name, k->raw))
		/* The form before: a seed alone, told from a public key by its name. */
		ret = str_ends_with(path, ".sec") ? 0
		      : error("%s: a public key, not a secret one: CACHE_SIGN_KEY takes the NAME.sec "
			      "that bootstrap cache keygen NAME wrote beside NAME.pub", path);
	else
		ret = error("%s: not a secret key (want NAME:BASE64 of 64 bytes, as bootstrap cache "
			    "keygen NAME writes into NAME.sec)", path);
	OPENSSL_cleanse(both, sizeof both);
	OPENSSL_cleanse(text.data, text.len);
	strbuf_release(&text);
	if (ret < 0)
		OPENSSL_cleanse(k, sizeof *k);
	return ret;
}

int sign_public_of(const struct sign_key *secret, struct sign_key *pub)
{
	if (!derive_public(secret->raw, pub->raw))
		return error("cannot derive the public key of key '%s' (OpenSSL)", secret->name);
	memcpy(pub->name, secret->name, sizeof pub->name);
	pub->secret = false;
	return 0;
}

/* A public key file: refused when it holds a secret key, of either form. */
static int parse_public_file(const char *path, const char *what, struct sign_key *k)
{
	struct strbuf file = STRBUF_INIT;
	int ret = file_read_max(path, 4096, &file);
	bool secret = ret == 0 && (is_secret_text(file.data, k->name) ||
				   (str_ends_with(path, ".sec") &&
				    parse_named(file.data, SIGN_KEY_BYTES, k->name, k->raw)));
	if (secret)
		ret = error("%s: %s is a secret key: give its public half, the NAME.pub beside it (or "
			    "its line), and keep the secret key where the cache is pushed from", what, path);
	else if (ret == 0 && !parse_named(file.data, SIGN_KEY_BYTES, k->name, k->raw))
		ret = error("%s: %s is not a public key (want NAME:BASE64 of 32 bytes)", what, path);
	OPENSSL_cleanse(file.data, file.len);
	strbuf_release(&file);
	if (ret < 0)
		OPENSSL_cleanse(k, sizeof *k);
	return ret;
}

int sign_parse_public(const char *text, const char *what, struct sign_key *k)
{
	k->secret = false;
	if (parse_named(text, SIGN_KEY_BYTES, k->name, k->raw))
		return 0;
	/* A secret key's line: named, never echoed. */
	if (is_secret_text(text, k->name))
		return error("%s: the key '%s' given is a secret key: give its public half, the "
			     "NAME.pub file (or its line), and keep the secret key private", what, k->name);
	if (strchr(text, '/') || is_file(text))
		return parse_public_file(text, what, k);
	return error("%s: '%s' is neither NAME:BASE64 of a 32-byte public key nor a key file",
		     what, text);
}

char *sign_make(const struct sign_key *secret, const char *text, size_t len)
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, secret->raw,
						     SIGN_KEY_BYTES);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char sig[SIG_BYTES];
	size_t n = sizeof sig;
	bool ok = key && md && EVP_DigestSignInit(md, NULL, NULL, NULL, key) > 0 &&
		  EVP_DigestSign(md, sig, &n, (const unsigned char *)text, len) > 0;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	if (!ok)
		error("cannot sign with key '%s' (OpenSSL)", secret->name);
	return ok ? encode(secret->name, sig, n) : NULL;
}

static bool verify_one(const struct sign_key *k, const unsigned char *sig, const char *text,
		       size_t len)
{
	EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, k->raw, SIGN_KEY_BYTES);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	bool ok = key && md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, key) > 0 &&
		  EVP_DigestVerify(md, sig, SIG_BYTES, (const unsigned char *)text, len) == 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	return ok;
}

const char *sign_check(const struct sign_key *keys, size_t nkeys, const char *sig,
		       const char *text, size_t len)
{
	static char why[SIGN_NAME_MAX + 128];
	const char *colon = strchr(sig, ':');
	unsigned char raw[SIG_BYTES];
	if (!colon || !good_name(sig, (size_t)(colon - sig)) ||
	    !decode_exact(colon + 1, strlen(colon + 1), raw, SIG_BYTES))
		return "a malformed signature";
	/* Every trusted key of that name: a rotated key may keep its name. */
	size_t tried = 0;
	for (size_t i = 0; i < nkeys; i++) {
		if (strlen(keys[i].name) != (size_t)(colon - sig) ||
		    memcmp(keys[i].name, sig, (size_t)(colon - sig)))
			continue;
		if (verify_one(&keys[i], raw, text, len))
			return NULL;
		tried++;
	}
	if (tried == 1)
		snprintf(why, sizeof why, "a bad signature by key '%.*s'", (int)(colon - sig), sig);
	else if (tried)
		snprintf(why, sizeof why, "a bad signature by key '%.*s' (none of the %zu trusted keys "
			 "of that name verifies it)", (int)(colon - sig), sig, tried);
	if (tried)
		return why;
	snprintf(why, sizeof why, "signed by key '%.*s', which CACHE_TRUST does not list",
		 (int)(colon - sig), sig);
	return why;
}
