/* store.h: where binary cache entries are kept, named by a URL:
 *
 *   file:///srv/cache        a folder; read and written directly
 *   http(s)://host/path      read with GET from any static server; written
 *                            with PUT (nginx's WebDAV module, for one)
 *   s3://BUCKET[/PREFIX]     AWS S3 or a compatible store (MinIO, Ceph, R2,
 *                            Garage), path-style requests to
 *                            $CACHE_S3_ENDPOINT/BUCKET/PREFIX/NAME, signed
 *                            with AWS Signature V4 by libcurl
 *                            (CURLOPT_AWS_SIGV4). Region: CACHE_S3_REGION, else
 *                            AWS_REGION, AWS_DEFAULT_REGION, else us-east-1;
 *                            endpoint default https://s3.REGION.amazonaws.com.
 *                            Credentials: AWS_ACCESS_KEY_ID,
 *                            AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN.
 *
 * Objects are NAME (a key's .info or .tar.zst) directly below the URL. Every
 * transfer is libcurl's; downloads of artifacts go through the fetch engine
 * (transfer.h), which calls store_setup() on each of its handles. */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>

enum store_kind { STORE_FILE, STORE_HTTP, STORE_S3 };

struct store {
	enum store_kind kind;
	char *url;     /* as given, without a trailing slash */
	char *base;    /* file: the folder; http and s3: the URL objects sit under */
	char *region;  /* s3 */
	char *sigv4;   /* s3: "aws:amz:REGION:s3" */
	char *key_id, *secret, *token; /* s3 */
};

/* Parses url (what names the setting, for the error). -1 after one error
 * line saying what is wrong and what would do. */
int store_open(const char *url, const char *what, struct store *s);
void store_close(struct store *s);

/* The URL an object is read from (file:// for a folder); caller frees. */
char *store_object_url(const struct store *s, const char *name);
/* Sets what a request to s needs on the libcurl handle easy (a CURL *):
 * for s3, the signature and the x-amz-content-sha256 header (payload_sha256:
 * the body's sum in hex, NULL for a request without a body), and the session
 * token. *headers receives the list to free after the transfer. */
void store_setup(const struct store *s, void *easy, const char *payload_sha256, void **headers);
void store_free_headers(void *headers);

/* The object's size: 0 and *size (-1 when there is no such object, -2 when
 * it is there but not a regular file or of an unknown size), or -1 after an
 * error. */
int store_size(const struct store *s, const char *name, long long *size);
/* Stores the file at path as object name (a folder: written to a temporary
 * file and renamed, so a reader never sees half of it). -1 after an error. */
int store_put(const struct store *s, const char *name, const char *path);

#endif
