/* Stores: a folder's put and size, and what every S3 request carries,
 * read off the wire by a listener on 127.0.0.1 (s3rver, used by the
 * integration tests, does not check signatures). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "src/digest.h"
#include "src/file.h"
#include "src/store.h"
#include "src/strbuf.h"
#include "src/util.h"
#include "tap.h"

static char errbuf[4096];

struct listener {
	int fd, port;
	char request[16384]; /* head and body of the one request it answers */
	int status;          /* what it answers */
};

static void *serve_one(void *arg)
{
	struct listener *l = arg;
	int c = accept(l->fd, NULL, NULL);
	size_t n = 0;
	ssize_t got;
	long long body = -1;
	while (n < sizeof l->request - 1 && (got = read(c, l->request + n, sizeof l->request - 1 - n)) > 0) {
		n += (size_t)got;
		l->request[n] = '\0';
		char *end = strstr(l->request, "\r\n\r\n");
		if (!end)
			continue;
		if (body < 0) {
			char *cl = strcasestr(l->request, "\r\ncontent-length:");
			body = cl && cl < end ? atoll(cl + 17) : 0;
		}
		if ((long long)(n - (size_t)(end + 4 - l->request)) >= body)
			break;
	}
	char reply[128];
	snprintf(reply, sizeof reply, "HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", l->status);
	if (write(c, reply, strlen(reply)) < 0)
		perror("write");
	close(c);
	return NULL;
}

static void listen_on(struct listener *l)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	l->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(l->fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(l->fd, 1) < 0 ||
	    getsockname(l->fd, (struct sockaddr *)&a, &len) < 0)
		BUG("cannot listen");
	l->port = ntohs(a.sin_port);
}

static const char *header(const char *req, const char *name, char *out, size_t size)
{
	char *want = xasprintf("\r\n%s:", name);
	const char *h = strcasestr(req, want);
	*out = '\0';
	if (h) {
		h += strlen(want);
		h += strspn(h, " ");
		snprintf(out, size, "%.*s", (int)strcspn(h, "\r"), h);
	}
	free(want);
	return h ? out : NULL;
}

static void test_s3(const char *dir)
{
	struct listener l = { .status = 200 };
	listen_on(&l);
	char *endpoint = xasprintf("http://127.0.0.1:%d", l.port);
	setenv("CACHE_S3_ENDPOINT", endpoint, 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 1);
	setenv("AWS_SESSION_TOKEN", "session-token-1", 1);
	setenv("CACHE_S3_REGION", "eu-west-3", 1);
	struct store s;
	is_int(store_open("s3://my-bucket/ci/cache/", "CACHE", &s), 0, "an s3:// cache opens");
	char *url = store_object_url(&s, "abc.info");
	char *want = xasprintf("%s/my-bucket/ci/cache/abc.info", endpoint);
	is_str(url, want, "objects are path-style below the endpoint, bucket and prefix");
	free(url);
	free(want);

	char *body = xasprintf("%s/art", dir);
	file_write_atomic(body, "artifact bytes\n", 15);
	char sum[DIGEST_HEX_LEN + 1], h[512];
	digest_sha256_file(body, sum);
	pthread_t t;
	pthread_create(&t, NULL, serve_one, &l);
	is_int(store_put(&s, "abc.tar.zst", body), 0, "a PUT to S3 succeeds");
	pthread_join(t, NULL);
	ok(str_starts_with(l.request, "PUT /my-bucket/ci/cache/abc.tar.zst HTTP/1.1\r\n"), "it is a PUT of the object");
	is_str(header(l.request, "x-amz-content-sha256", h, sizeof h), sum, "x-amz-content-sha256 is the body's sum");
	ok(header(l.request, "x-amz-date", h, sizeof h) && strlen(h) == 16 && h[8] == 'T' && h[15] == 'Z',
	   "x-amz-date is a basic ISO 8601 time");
	is_str(header(l.request, "x-amz-security-token", h, sizeof h), "session-token-1", "the session token is sent");
	header(l.request, "authorization", h, sizeof h);
	ok(str_starts_with(h, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), "Authorization is a SigV4 signature by the key id");
	ok(strstr(h, "/eu-west-3/s3/aws4_request") != NULL, "for the region and the s3 service");
	ok(strstr(h, "SignedHeaders=") && strstr(h, "host") && strstr(h, "x-amz-content-sha256") &&
	   strstr(h, "x-amz-date") && strstr(h, "x-amz-security-token"), "which signs host, the payload sum, the date and the token");
	ok(strstr(h, "Signature=") != NULL, "and carries the signature");
	ok(strstr(l.request, "\r\n\r\nartifact bytes\n") != NULL, "the body is the file");

	l.status = 404;
	pthread_create(&t, NULL, serve_one, &l);
	long long size = 0;
	is_int(store_size(&s, "abc.info", &size), 0, "a HEAD answered 404");
	pthread_join(t, NULL);
	is_int(size, -1, "means the object is missing");
	ok(str_starts_with(l.request, "HEAD /my-bucket/ci/cache/abc.info HTTP/1.1\r\n"), "it was a HEAD of the object");
	is_str(header(l.request, "x-amz-content-sha256", h, sizeof h),
	       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "with the empty payload's sum");
	ok(header(l.request, "authorization", h, sizeof h) && str_starts_with(h, "AWS4-HMAC-SHA256 "), "signed too");

	l.status = 403;
	pthread_create(&t, NULL, serve_one, &l);
	struct capture c = capture_begin();
	int ret = store_size(&s, "abc.info", &size);
	capture_end(&c, errbuf, sizeof errbuf);
	pthread_join(t, NULL);
	is_int(ret, -1, "a HEAD answered 403 is an error");
	ok(strstr(errbuf, "answered 403 (check the credentials") != NULL, "saying what to check");
	store_close(&s);
	close(l.fd);
	free(body);
	free(endpoint);

	unsetenv("AWS_SECRET_ACCESS_KEY");
	c = capture_begin();
	ret = store_open("s3://my-bucket", "CACHE", &s);
	capture_end(&c, errbuf, sizeof errbuf);
	is_int(ret, -1, "s3:// without credentials");
	is_str(errbuf, "bootstrap: error: CACHE=s3://my-bucket: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for S3",
	       "says which variables to set");
	c = capture_begin();
	ret = store_open("s3://A_B/x", "CACHE", &s);
	capture_end(&c, errbuf, sizeof errbuf);
	ok(ret == -1 && strstr(errbuf, "'A_B' is not an S3 bucket name"), "a bad bucket name is refused");
	c = capture_begin();
	ret = store_open("ftp://x/y", "CACHE_PUSH", &s);
	capture_end(&c, errbuf, sizeof errbuf);
	ok(ret == -1 && strstr(errbuf, "CACHE_PUSH=ftp://x/y: not a cache address"), "an unknown scheme is refused");
}

static void test_folder(const char *dir)
{
	struct store s;
	char *url = xasprintf("file://%s/cache", dir), *src = xasprintf("%s/x", dir);
	is_int(store_open(url, "CACHE", &s), 0, "a file:// cache opens");
	file_write_atomic(src, "x", 1);
	long long size = 0;
	store_size(&s, "k.info", &size);
	is_int(size, -1, "a missing object does not exist");
	is_int(store_put(&s, "k.info", src), 0, "put into a folder (made on the way)");
	store_size(&s, "k.info", &size);
	is_int(size, 1, "then it exists, with its size");
	char *obj = store_object_url(&s, "k.info"), *want = xasprintf("file://%s/cache/k.info", dir);
	is_str(obj, want, "and is read from its file:// URL");
	store_close(&s);
	free(url);
	free(src);
	free(obj);
	free(want);
}

int main(void)
{
	char tmpl[] = "/tmp/test_store.XXXXXX";
	char *dir = mkdtemp(tmpl);
	test_folder(dir);
	test_s3(dir);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	free(cmd);
	return tap_done();
}
