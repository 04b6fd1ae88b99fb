/* digest.h: streaming SHA-256 over OpenSSL's EVP interface. */
#ifndef DIGEST_H
#define DIGEST_H

#include <stddef.h>

#define DIGEST_HEX_LEN 64

struct digest;

struct digest *digest_sha256_new(void);
void digest_update(struct digest *d, const void *p, size_t n);
/* Writes 64 lowercase hex digits and a NUL into hex; d may be reused after. */
void digest_final_hex(struct digest *d, char hex[DIGEST_HEX_LEN + 1]);
void digest_free(struct digest *d);

void digest_sha256_buf(const void *p, size_t n, char hex[DIGEST_HEX_LEN + 1]);
/* Hashes a whole file; -1 with an error naming the path. */
int digest_sha256_file(const char *path, char hex[DIGEST_HEX_LEN + 1]);
/* Feeds a file's bytes into d; -1 with an error naming the path. */
int digest_update_file(struct digest *d, const char *path);
int digest_is_hex(const char *s);

#endif
