#include "digest.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <openssl/evp.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

struct digest {
	EVP_MD_CTX *ctx;
};

struct digest *digest_sha256_new(void)
{
	struct digest *d = xmalloc(sizeof *d);
	d->ctx = EVP_MD_CTX_new();
	if (!d->ctx || EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL) != 1)
		BUG("cannot initialise SHA-256");
	return d;
}

void digest_update(struct digest *d, const void *p, size_t n)
{
	if (EVP_DigestUpdate(d->ctx, p, n) != 1)
		BUG("SHA-256 update failed");
}

void digest_final_hex(struct digest *d, char hex[DIGEST_HEX_LEN + 1])
{
	unsigned char raw[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (EVP_DigestFinal_ex(d->ctx, raw, &n) != 1 || n != 32)
		BUG("SHA-256 final failed");
	for (unsigned i = 0; i < n; i++) {
		hex[2 * i] = "0123456789abcdef"[raw[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[raw[i] & 15];
	}
	hex[DIGEST_HEX_LEN] = '\0';
	EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL);
}

void digest_free(struct digest *d)
{
	if (!d)
		return;
	EVP_MD_CTX_free(d->ctx);
	free(d);
}

void digest_sha256_buf(const void *p, size_t n, char hex[DIGEST_HEX_LEN + 1])
{
	struct digest *d = digest_sha256_new();
	digest_update(d, p, n);
	digest_final_hex(d, hex);
	digest_free(d);
}

int digest_update_file(struct digest *d, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_errno("cannot open '%s'", path);
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	enum { BUF = 1 << 20 };
	char *buf = xmalloc(BUF);
	for (;;) {
		ssize_t n = read(fd, buf, BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error_errno("cannot read '%s'", path);
			close(fd);
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		digest_update(d, buf, (size_t)n);
	}
	close(fd);
	free(buf);
	return 0;
}

int digest_sha256_file(const char *path, char hex[DIGEST_HEX_LEN + 1])
{
	struct digest *d = digest_sha256_new();
	int ret = digest_update_file(d, path);
	if (ret == 0)
		digest_final_hex(d, hex);
	digest_free(d);
	return ret;
}

int digest_is_hex(const char *s)
{
	size_t n = strlen(s);
	if (n != DIGEST_HEX_LEN)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return 1;
}
