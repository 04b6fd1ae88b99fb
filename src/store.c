#include "store.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "file.h"
#include "strbuf.h"
#include "util.h"

/* SHA-256 of nothing: the payload sum of a request without a body. */
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static char *strip_slashes(const char *s)
{
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		n--;
	return xstrndup(s, n);
}

static bool good_bucket(const char *b, size_t n)
{
	if (n < 3 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(b[i] >= 'a' && b[i] <= 'z') && !(b[i] >= '0' && b[i] <= '9') && b[i] != '-' &&
		    b[i] != '.')
			return false;
	return true;
}

static int open_s3(const char *url, const char *what, struct store *s)
{
	const char *path = url + strlen("s3://");
	size_t blen = strcspn(path, "/");
	if (!good_bucket(path, blen))
		return error("%s=%s: '%.*s' is not an S3 bucket name (3 to 63 of a-z 0-9 . -); "
			     "use s3://BUCKET/PREFIX", what, url, (int)blen, path);
	s->key_id = env("AWS_ACCESS_KEY_ID") ? xstrdup(env("AWS_ACCESS_KEY_ID")) : NULL;
	s->secret = env("AWS_SECRET_ACCESS_KEY") ? xstrdup(env("AWS_SECRET_ACCESS_KEY")) : NULL;
	s->token = env("AWS_SESSION_TOKEN") ? xstrdup(env("AWS_SESSION_TOKEN")) : NULL;
	if (!s->key_id || !s->secret)
		return error("%s=%s: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for S3", what, url);
	const char *region = env("CACHE_S3_REGION") ? env("CACHE_S3_REGION")
			     : env("AWS_REGION") ? env("AWS_REGION")
			     : env("AWS_DEFAULT_REGION") ? env("AWS_DEFAULT_REGION") : "us-east-1";
	if (strpbrk(region, ":/ \t"))
		return error("%s=%s: '%s' is not an S3 region (CACHE_S3_REGION)", what, url, region);
	s->region = xstrdup(region);
	s->sigv4 = xasprintf("aws:amz:%s:s3", region);
	char *endpoint = env("CACHE_S3_ENDPOINT") ? strip_slashes(env("CACHE_S3_ENDPOINT"))
			 : xasprintf("https://s3.%s.amazonaws.com", region);
	if (!str_starts_with(endpoint, "http://") && !str_starts_with(endpoint, "https://")) {
		error("CACHE_S3_ENDPOINT=%s: give the store's http:// or https:// address", endpoint);
		free(endpoint);
		return -1;
	}
	s->base = xasprintf("%s/%s", endpoint, path);
	free(endpoint);
	return 0;
}

int store_open(const char *url, const char *what, struct store *s)
{
	memset(s, 0, sizeof *s);
	s->url = strip_slashes(url);
	int ret = 0;
	if (str_starts_with(s->url, "file:///") || s->url[0] == '/') {
		s->kind = STORE_FILE;
		s->base = xstrdup(s->url[0] == '/' ? s->url : s->url + strlen("file://"));
	} else if (str_starts_with(s->url, "http://") || str_starts_with(s->url, "https://")) {
		s->kind = STORE_HTTP;
		s->base = xstrdup(s->url);
	} else if (str_starts_with(s->url, "s3://")) {
		s->kind = STORE_S3;
		ret = open_s3(s->url, what, s);
	} else {
		ret = error("%s=%s: not a cache address (file:///FOLDER, http(s)://HOST/PATH or "
			    "s3://BUCKET/PREFIX)", what, url);
	}
	if (ret < 0)
		store_close(s);
	return ret;
}

void store_close(struct store *s)
{
	free(s->url);
	free(s->base);
	free(s->region);
	free(s->sigv4);
	free(s->key_id);
	free(s->secret);
	free(s->token);
	memset(s, 0, sizeof *s);
}

char *store_object_url(const struct store *s, const char *name)
{
	if (s->kind == STORE_FILE)
		return xasprintf("file://%s/%s", s->base, name);
	return xasprintf("%s/%s", s->base, name);
}

void store_setup(const struct store *s, void *easy, const char *payload_sha256, void **headers)
{
	*headers = NULL;
	if (s->kind != STORE_S3)
		return;
	CURL *e = easy;
	struct curl_slist *h = NULL;
	char *line = xasprintf("x-amz-content-sha256: %s", payload_sha256 ? payload_sha256 : EMPTY_SHA256);
	h = curl_slist_append(h, line);
	free(line);
	if (s->token) {
		line = xasprintf("x-amz-security-token: %s", s->token);
		h = curl_slist_append(h, line);
		free(line);
	}
	curl_easy_setopt(e, CURLOPT_AWS_SIGV4, s->sigv4);
	curl_easy_setopt(e, CURLOPT_USERNAME, s->key_id);
	curl_easy_setopt(e, CURLOPT_PASSWORD, s->secret);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	*headers = h;
}

void store_free_headers(void *headers)
{
	curl_slist_free_all(headers);
}

/* A response body (nginx's HTML for a 405, S3's XML): the status says it
 * all, and the body must not reach the user's stdout. */
static size_t discard(char *p, size_t size, size_t nmemb, void *arg)
{
	(void)p;
	(void)arg;
	return size * nmemb;
}

/* One request with libcurl's easy interface; *code gets the HTTP status. */
static int request(const struct store *s, const char *name, const char *method, FILE *body,
		   long long size, const char *sum, long *code, curl_off_t *length)
{
	char *url = store_object_url(s, name), errbuf[CURL_ERROR_SIZE] = "";
	CURL *e = curl_easy_init();
	void *headers = NULL;
	if (!e)
		return error("%s: cannot start a transfer (libcurl)", url);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "bootstrap-cache/1");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	if (!strcmp(method, "HEAD")) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else {
		curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(e, CURLOPT_READDATA, body);
		curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)size);
	}
	store_setup(s, e, sum, &headers);
	CURLcode rc = curl_easy_perform(e);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, code);
	if (length)
		curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, length);
	int ret = rc == CURLE_OK ? 0 : error("%s %s: %s", method, url, *errbuf ? errbuf : curl_easy_strerror(rc));
	store_free_headers(headers);
	curl_easy_cleanup(e);
	free(url);
	return ret;
}

int store_size(const struct store *s, const char *name, long long *size)
{
	*size = -1;
	if (s->kind == STORE_FILE) {
		char *path = xasprintf("%s/%s", s->base, name);
		struct stat st;
		if (lstat(path, &st) == 0)
			*size = S_ISREG(st.st_mode) ? (long long)st.st_size : -2;
		free(path);
		return 0;
	}
	long code = 0;
	curl_off_t len = -1;
	if (request(s, name, "HEAD", NULL, 0, NULL, &code, &len) < 0)
		return -1;
	if (code >= 200 && code < 300)
		*size = len >= 0 ? (long long)len : -2;
	if (*size != -1 || code == 404)
		return 0;
	char *url = store_object_url(s, name);
	error("HEAD %s: the server answered %ld%s", url, code,
	      code == 401 || code == 403 ? " (check the credentials and the bucket's permissions)" : "");
	free(url);
	return -1;
}

static int copy_into_folder(const struct store *s, const char *name, const char *path)
{
	char *dest = xasprintf("%s/%s", s->base, name), *tmp = NULL;
	int in = -1, out = mkdir_p(s->base) < 0 ? -1 : file_create_temp(dest, &tmp);
	int ret = out < 0 ? -1 : 0;
	if (ret == 0 && (in = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		ret = error_errno("cannot read %s", path);
	char buf[65536];
	ssize_t n = 0;
	while (ret == 0 && (n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			ret = error_errno("cannot write %s", tmp);
	if (ret == 0 && n < 0)
		ret = error_errno("cannot read %s", path);
	if (ret == 0 && fsync(out) < 0)
		ret = error_errno("cannot write %s", tmp);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (ret == 0)
		ret = file_commit(tmp, dest);
	else if (tmp)
		unlink(tmp);
	free(tmp);
	free(dest);
	return ret;
}

int store_put(const struct store *s, const char *name, const char *path)
{
	if (s->kind == STORE_FILE)
		return copy_into_folder(s, name, path);
	char sum[DIGEST_HEX_LEN + 1];
	struct stat st;
	FILE *body = fopen(path, "rb");
	if (!body)
		return error_errno("cannot read %s", path);
	int ret = fstat(fileno(body), &st) < 0 ? error_errno("cannot read %s", path)
		  : s->kind == STORE_S3 ? digest_sha256_file(path, sum) : 0;
	long code = 0;
	if (ret == 0)
		ret = request(s, name, "PUT", body, (long long)st.st_size,
			      s->kind == STORE_S3 ? sum : NULL, &code, NULL);
	fclose(body);
	if (ret == 0 && (code < 200 || code >= 300)) {
		char *url = store_object_url(s, name);
		ret = error("PUT %s: the server answered %ld%s", url, code,
			    code == 405 ? " (does it accept PUT? nginx needs dav_methods PUT)"
			    : code == 401 || code == 403 ? " (check the credentials and permissions)" : "");
		free(url);
	}
	return ret;
}
