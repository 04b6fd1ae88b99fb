/* sign.h: named ed25519 keys and signatures (OpenSSL), for the binary cache.
 *
 * Every key and signature is written NAME:BASE64, so that a cache can be
 * signed by a new key while the old one is still trusted (rotation):
 *   NAME.sec  64 bytes: the 32-byte secret seed, then its public key
 *             (mode 0600; the layout of Nix's and libsodium's secret keys)
 *   NAME.pub  the 32-byte public key
 *   a signature: NAME:BASE64 of 64 bytes, NAME the key that made it.
 * NAME is letters, digits and . _ - (at most 64). The two key files differ
 * in length, so that neither is taken for the other: a public key given to
 * sign with, or a secret key given to trust, is refused. A NAME.sec of the
 * form before (the 32-byte seed alone, the same length as a public key) is
 * still read as a secret key, told apart by its name. */
#ifndef SIGN_H
#define SIGN_H

#include <stdbool.h>
#include <stddef.h>

#define SIGN_KEY_BYTES 32
#define SIGN_NAME_MAX 64

struct sign_key {
	char name[SIGN_NAME_MAX + 1];
	unsigned char raw[SIGN_KEY_BYTES]; /* the seed of a secret key, or a public key */
	bool secret;
};

/* Writes dir/NAME.sec and dir/NAME.pub; refuses to replace either. */
int sign_keygen(const char *name, const char *dir);
/* Reads a NAME.sec file (its public half checked against its seed); -1
 * with an error naming the file, also when it holds a public key. */
int sign_load_secret(const char *path, struct sign_key *k);
/* The public half of a secret key, into pub (named as the secret key). */
int sign_public_of(const struct sign_key *secret, struct sign_key *pub);
/* A public key: NAME:BASE64, or the path of a file holding one; a secret
 * key (a line or a file) is refused, never echoed. what names where it came
 * from, for the error. */
int sign_parse_public(const char *text, const char *what, struct sign_key *k);
/* NAME:BASE64 of the signature of text by the secret key; caller frees.
 * NULL, with an error, when OpenSSL fails. */
char *sign_make(const struct sign_key *secret, const char *text, size_t len);
/* NULL when sig (NAME:BASE64) is a good signature of text by one of the keys;
 * else why not: "signed by unknown key 'x'", "bad signature by 'x'", ... */
const char *sign_check(const struct sign_key *keys, size_t nkeys, const char *sig,
		       const char *text, size_t len);

#endif
