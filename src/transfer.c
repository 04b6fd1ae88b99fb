#include "transfer.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "signals.h"
#include "util.h"

#define MAX_REDIRECTS 10
#define HASH_BUF (1 << 20)

struct run {
	const struct transfer_opts *o;
	struct progress *pg;
	struct transfer_job *jobs;
	size_t n, active, done;
	CURLM *multi;
};

static const char *url(const struct transfer_job *j) { return j->places[j->place]; }

static void close_part(struct transfer_job *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
}

static void settle(struct run *r, struct transfer_job *j, enum transfer_state state)
{
	struct stat st;
	close_part(j);
	if (state == TRANSFER_FAILED && stat(j->part, &st) == 0 && st.st_size == 0)
		unlink(j->part); /* nothing worth resuming */
	j->state = state;
	r->done++;
	progress_set_files(r->pg, r->done, r->n);
}

/* A local failure (the disk, sources/): no other place would do better. */
static void fail_job(struct run *r, struct transfer_job *j, const char *what, const char *path,
		     int err)
{
	strbuf_addf(&j->why, "  %s '%s': %s\n", what, path, file_strerror(err));
	j->reached = true; /* not a network failure: no offline advice */
	progress_line(r->pg, "fetch: %s: %s '%s': %s", j->file, what, path, file_strerror(err));
	settle(r, j, TRANSFER_FAILED);
}

static int hash_fd(struct digest *dg, int fd)
{
	char *buf = xmalloc(HASH_BUF);
	ssize_t n;
	while ((n = read(fd, buf, HASH_BUF)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		digest_update(dg, buf, (size_t)n);
	}
	free(buf);
	return n < 0 ? -1 : 0;
}

/* Opens the .part at its end; the digest holds exactly its bytes after. */
static int open_part(struct transfer_job *j)
{
	struct stat st;
	int flags = O_RDWR | O_CREAT | (j->fresh ? O_TRUNC : 0);
	j->fresh = false;
	j->fd = file_open_quiet(j->part, flags, 0644);
	if (j->fd < 0 || fstat(j->fd, &st) < 0)
		return -1;
	if (j->hashed != (long long)st.st_size) {
		digest_free(j->dg);
		j->dg = digest_sha256_new();
		j->hashed = -1;
		if (hash_fd(j->dg, j->fd) < 0)
			return -1;
		j->hashed = (long long)st.st_size;
	}
	if (lseek(j->fd, st.st_size, SEEK_SET) < 0)
		return -1;
	j->offset = (long long)st.st_size;
	return 0;
}

/* Empties the .part, so that the next try starts from byte 0. */
static int truncate_part(struct transfer_job *j)
{
	if (ftruncate(j->fd, 0) < 0 || lseek(j->fd, 0, SEEK_SET) < 0)
		return -1;
	digest_free(j->dg);
	j->dg = digest_sha256_new();
	j->hashed = 0;
	j->offset = 0;
	j->origin = (int)j->place;
	j->bar.have = j->bar.base = 0;
	return 0;
}

static bool is_http(CURL *e)
{
	const char *scheme = NULL;
	curl_easy_getinfo(e, CURLINFO_SCHEME, &scheme);
	return scheme && !strncasecmp(scheme, "http", 4);
}

/* On the first byte of a body (or at the end of an empty one): did the server
 * honour the range? A 200 means the body is the whole file. */
static int decide(struct transfer_job *j)
{
	CURL *e = j->easy;
	long code = 0;
	curl_off_t len = -1;
	j->decided = true;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &len);
	bool ranged = j->offset > 0 && is_http(e);
	if (ranged && code == 200) {
		progress_line(j->pg, "fetch: %s from %s: the server ignored the range; "
			      "starting again from byte 0", j->file, url(j));
		if (truncate_part(j) < 0) {
			j->write_errno = errno;
			return -1;
		}
	} else if (ranged && code == 206 && j->range_start != j->offset) {
		j->range_mismatch = true;
		return -1;
	}
	j->bar.total = len >= 0 ? j->offset + len : -1;
	return 0;
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct transfer_job *j = arg;
	size_t n = size * nmemb;
	if (!j->decided && decide(j) < 0)
		return 0;
	if (j->max_size && j->offset + j->received + (long long)n > j->max_size) {
		j->too_big = true;
		return 0;
	}
	for (size_t done = 0; done < n;) {
		ssize_t w = write(j->fd, p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			j->write_errno = errno;
			j->hashed = -1;
			return 0;
		}
		done += (size_t)w;
	}
	digest_update(j->dg, p, n);
	j->hashed += (long long)n;
	j->received += (long long)n;
	progress_add_bytes(j->pg, (long long)n);
	j->bar.have = j->offset + j->received;
	return n;
}

/* Content-Range of the last response: "bytes A-B/T" or "bytes * /T". */
static size_t on_header(char *p, size_t size, size_t nmemb, void *arg)
{
	struct transfer_job *j = arg;
	size_t n = size * nmemb;
	char buf[128];
	long long a, b, t;
	if (n >= 5 && !memcmp(p, "HTTP/", 5))
		j->range_start = j->range_total = -1;
	if (n <= 14 || strncasecmp(p, "content-range:", 14))
		return n;
	snprintf(buf, sizeof buf, "%.*s", (int)(n - 14), p + 14);
	int got = sscanf(buf, " bytes %lld-%lld/%lld", &a, &b, &t);
	if (got >= 2)
		j->range_start = a;
	if (got == 3 || sscanf(buf, " bytes */%lld", &t) == 1)
		j->range_total = t;
	return n;
}

static CURL *new_easy(const struct run *r, struct transfer_job *j)
{
	CURL *e = curl_easy_init();
	if (!e)
		BUG("curl_easy_init failed");
	curl_easy_setopt(e, CURLOPT_URL, url(j));
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "file,ftp,http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "ftp,http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "bootstrap-fetch/1");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(r->o->connect_timeout * 1000));
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, r->o->low_speed_limit);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, r->o->low_speed_time);
	if (j->max_size)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->max_size);
	if (j->offset > 0) {
		char range[32];
		snprintf(range, sizeof range, "%lld-", j->offset);
		curl_easy_setopt(e, CURLOPT_RANGE, range);
	}
	if (j->setup)
		j->setup(e, j->setup_arg, &j->headers);
	return e;
}

static void say_start(struct run *r, const struct transfer_job *j)
{
	char from[48] = "", attempt[48] = "";
	if (j->offset > 0)
		snprintf(from, sizeof from, " (from byte %lld)", j->offset);
	if (j->tries > 1)
		snprintf(attempt, sizeof attempt, " (try %d of %d)", j->tries, r->o->tries);
	progress_line(r->pg, "fetch: get %s from %s%s%s", j->file, url(j), from, attempt);
}

static void start_attempt(struct run *r, struct transfer_job *j)
{
	if (open_part(j) < 0) {
		fail_job(r, j, "cannot use", j->part, errno);
		return;
	}
	if (j->offset == 0)
		j->origin = (int)j->place;
	j->received = 0;
	j->decided = j->range_mismatch = j->too_big = false;
	j->write_errno = 0;
	j->range_start = j->range_total = -1;
	j->errbuf[0] = '\0';
	j->tries++;
	j->easy = new_easy(r, j);
	j->state = TRANSFER_ACTIVE;
	r->active++;
	progress_bar_start(r->pg, &j->bar, j->file, j->offset);
	say_start(r, j);
	curl_multi_add_handle(r->multi, j->easy);
}

static void release_easy(struct run *r, struct transfer_job *j)
{
	curl_multi_remove_handle(r->multi, j->easy);
	curl_easy_cleanup(j->easy);
	j->easy = NULL;
	curl_slist_free_all(j->headers);
	j->headers = NULL;
	progress_bar_stop(r->pg, &j->bar);
	r->active--;
}

static void requeue(struct transfer_job *j, double delay)
{
	close_part(j);
	j->state = TRANSFER_PENDING;
	j->not_before = now_seconds() + delay;
}

/* This place is done with: note why, go on to the next, if any. */
static void next_place(struct run *r, struct transfer_job *j, const char *why)
{
	char tries[32] = "";
	if (j->tries > 1)
		snprintf(tries, sizeof tries, " (%d tries)", j->tries);
	strbuf_addf(&j->why, "  %s: %s%s\n", url(j), why, tries);
	bool last = j->place + 1 == j->nplaces;
	progress_line(r->pg, "fetch: %s from %s: %s%s", j->file, url(j), why,
		      last ? "; no place left" : "; trying the next place");
	j->place++;
	j->tries = 0;
	if (last)
		settle(r, j, TRANSFER_FAILED);
	else
		requeue(j, 0);
}

static void attempt_failed(struct run *r, struct transfer_job *j, const char *why, bool again)
{
	if (!again || j->tries >= r->o->tries) {
		next_place(r, j, why);
		return;
	}
	double delay = r->o->backoff * (double)(1 << (j->tries - 1));
	progress_line(r->pg, "fetch: %s from %s: %s; try %d of %d in %g s", j->file, url(j), why,
		      j->tries + 1, r->o->tries, delay);
	requeue(j, delay);
}

static void accept_part(struct run *r, struct transfer_job *j, const char *hex)
{
	struct stat st;
	if (fsync(j->fd) < 0 || fstat(j->fd, &st) < 0) {
		fail_job(r, j, "cannot write", j->part, errno);
		return;
	}
	close_part(j);
	if (file_commit(j->part, j->dest) < 0) {
		fail_job(r, j, "cannot rename", j->part, errno);
		return;
	}
	memcpy(j->got, hex, sizeof j->got);
	j->size = (long long)st.st_size;
	progress_line(r->pg, "fetch: got %s (%lld bytes, sha256 %s)", j->file, j->size,
		      j->sum ? "ok" : hex);
	settle(r, j, TRANSFER_DONE);
}

static void reject_part(struct run *r, struct transfer_job *j, const char *hex)
{
	close_part(j);
	if (file_commit(j->part, j->bad) < 0) {
		fail_job(r, j, "cannot rename", j->part, errno);
		return;
	}
	char *why = xasprintf("sha256 mismatch: expected %s, got %s (kept as %s)", j->sum, hex, j->bad);
	if (j->origin != (int)j->place) {
		/* The first bytes came from elsewhere: give this place a clean try. */
		progress_line(r->pg, "fetch: %s from %s: %s; starting again from byte 0", j->file,
			      url(j), why);
		requeue(j, 0);
	} else {
		next_place(r, j, why);
	}
	free(why);
}

/* The .part holds what the place sent: check the sum. */
static void complete(struct run *r, struct transfer_job *j)
{
	char hex[DIGEST_HEX_LEN + 1];
	digest_final_hex(j->dg, hex);
	j->hashed = -1;
	if (!j->sum || !strcmp(hex, j->sum))
		accept_part(r, j, hex);
	else
		reject_part(r, j, hex);
}

/* A server that sent the whole file but claimed more: the sum decides. */
static bool complete_if_whole(struct run *r, struct transfer_job *j)
{
	char hex[DIGEST_HEX_LEN + 1];
	if (!j->sum || j->received == 0)
		return false;
	digest_final_hex(j->dg, hex);
	j->hashed = -1;
	if (strcmp(hex, j->sum))
		return false;
	accept_part(r, j, hex);
	return true;
}

/* After 416, a refused resume or a body from the wrong byte: start again
 * from byte 0 (not counted as a try), or, when the .part is exactly the
 * whole file, check it. */
static bool restart(struct run *r, struct transfer_job *j, CURLcode rc, long code)
{
	bool refused = (rc == CURLE_HTTP_RETURNED_ERROR && code == 416) ||
		       rc == CURLE_BAD_DOWNLOAD_RESUME || rc == CURLE_FTP_COULDNT_USE_REST ||
		       rc == CURLE_RANGE_ERROR;
	if (j->offset == 0 || !(refused || j->range_mismatch))
		return false;
	if (code == 416 && j->range_total == j->offset) {
		complete(r, j);
		return true;
	}
	if (truncate_part(j) < 0) {
		fail_job(r, j, "cannot truncate", j->part, errno);
		return true;
	}
	progress_line(r->pg, "fetch: %s from %s: %s; starting again from byte 0", j->file, url(j),
		      refused ? "the .part is longer than the file" : "the server sent the wrong range");
	j->tries--;
	requeue(j, 0);
	return true;
}

static bool may_pass(CURLcode rc, long code)
{
	switch (rc) {
	case CURLE_HTTP_RETURNED_ERROR:
		return code >= 500 || code == 408 || code == 429;
	case CURLE_UNSUPPORTED_PROTOCOL: case CURLE_URL_MALFORMAT:
	case CURLE_FILE_COULDNT_READ_FILE: case CURLE_REMOTE_FILE_NOT_FOUND:
	case CURLE_TOO_MANY_REDIRECTS: case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_REMOTE_ACCESS_DENIED: case CURLE_LOGIN_DENIED: case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		return false;
	default:
		return true;
	}
}

/* curl's "Server denied ..." as "server denied ...", but "HTTP/2 ..." kept. */
static char *lowercase_first(char *s)
{
	if (isupper((unsigned char)s[0]) && islower((unsigned char)s[1]))
		s[0] = (char)tolower((unsigned char)s[0]);
	return s;
}

static bool connected(const struct transfer_job *j)
{
	curl_off_t t = 0;
	curl_easy_getinfo(j->easy, CURLINFO_CONNECT_TIME_T, &t);
	return t != 0;
}

static char *describe_timeout(const struct run *r, const struct transfer_job *j)
{
	if (!connected(j))
		return xasprintf("timeout: no connection within %g s", r->o->connect_timeout);
	return xasprintf("timeout: less than %ld bytes/s for %ld s", r->o->low_speed_limit,
			 r->o->low_speed_time);
}

static char *describe(const struct run *r, const struct transfer_job *j, CURLcode rc, long code)
{
	long os_errno = 0;
	curl_off_t len = -1;
	switch (rc) {
	case CURLE_HTTP_RETURNED_ERROR:
		return xasprintf("HTTP %ld", code);
	case CURLE_OPERATION_TIMEDOUT:
		return describe_timeout(r, j);
	case CURLE_PARTIAL_FILE:
		curl_easy_getinfo(j->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &len);
		return xasprintf("connection closed after %lld of %lld bytes", j->received, (long long)len);
	case CURLE_TOO_MANY_REDIRECTS:
		return xasprintf("more than %d redirects", MAX_REDIRECTS);
	case CURLE_FILESIZE_EXCEEDED:
		return xasprintf("more than %lld bytes", j->max_size);
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(j->easy, CURLINFO_OS_ERRNO, &os_errno);
		return xasprintf("cannot connect: %s", os_errno ? strerror((int)os_errno) : j->errbuf);
	case CURLE_FILE_COULDNT_READ_FILE:
		return xstrdup("cannot read the file");
	case CURLE_REMOTE_FILE_NOT_FOUND:
		return xstrdup("no such file on the server");
	case CURLE_UNSUPPORTED_PROTOCOL:
		return xstrdup("unsupported scheme (file, ftp, http and https are supported)");
	case CURLE_GOT_NOTHING:
		return xstrdup("empty reply from the server");
	default:
		return lowercase_first(xstrdup(j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc)));
	}
}

/* The host could not be resolved or connected to (nor the proxy): the
 * failure says nothing about the file, only about the network. */
static bool unreachable(const struct transfer_job *j, CURLcode rc)
{
	return rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
	       rc == CURLE_COULDNT_CONNECT || (rc == CURLE_OPERATION_TIMEDOUT && !connected(j));
}

/* The place sent more than the job allows: what came is worth nothing. */
static void stop_too_big(struct run *r, struct transfer_job *j)
{
	char *why = xasprintf("more than %lld bytes", j->max_size);
	if (truncate_part(j) < 0)
		fail_job(r, j, "cannot truncate", j->part, errno);
	else
		next_place(r, j, why);
	free(why);
}

static void finish_attempt(struct run *r, struct transfer_job *j, CURLcode rc)
{
	long code = 0;
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
	j->reached = j->reached || !unreachable(j, rc);
	bool http = is_http(j->easy);
	if (rc == CURLE_OK && !j->decided && decide(j) < 0)
		rc = CURLE_WRITE_ERROR;
	char *why = describe(r, j, rc, code);
	release_easy(r, j);
	if (j->write_errno)
		fail_job(r, j, "cannot write", j->part, j->write_errno);
	else if (j->too_big)
		stop_too_big(r, j);
	else if (restart(r, j, rc, code))
		;
	else if (rc == CURLE_OK && http && code / 100 != 2)
		attempt_failed(r, j, why, false);
	else if (rc == CURLE_OK)
		complete(r, j);
	else if (!(rc == CURLE_PARTIAL_FILE && complete_if_whole(r, j)))
		attempt_failed(r, j, why, may_pass(rc, code));
	free(why);
}

static void start_ready(struct run *r)
{
	double now = now_seconds();
	for (size_t i = 0; i < r->n && r->active < (size_t)r->o->jobs; i++)
		if (r->jobs[i].state == TRANSFER_PENDING && r->jobs[i].not_before <= now)
			start_attempt(r, &r->jobs[i]);
}

static void reap(struct run *r)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(r->multi, &left))) {
		char *j = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &j);
		finish_attempt(r, (struct transfer_job *)j, m->data.result);
	}
}

/* Until the next redraw or the next job's backoff ends, whichever is first. */
static int wait_ms(const struct run *r)
{
	double now = now_seconds(), wait = 0.1;
	for (size_t i = 0; i < r->n; i++)
		if (r->jobs[i].state == TRANSFER_PENDING && r->jobs[i].not_before > now &&
		    r->jobs[i].not_before - now < wait)
			wait = r->jobs[i].not_before - now;
	return wait > 0 ? (int)(wait * 1000) + 1 : 0;
}

static void job_init(struct transfer_job *j, const char *dir, struct progress *pg)
{
	j->pg = pg;
	j->part = xasprintf("%s/%s.part", dir, j->file);
	j->dest = xasprintf("%s/%s", dir, j->file);
	j->bad = xasprintf("%s/%s.bad", dir, j->file);
	j->fd = -1;
	j->origin = -1;
	j->hashed = -1;
	j->place = 0;
	j->tries = 0;
	j->not_before = 0;
	if (!j->nplaces && j->state == TRANSFER_PENDING)
		j->state = TRANSFER_FAILED;
}

int transfer_run(const char *dir, const struct transfer_opts *opts, struct progress *pg,
		 struct transfer_job *jobs, size_t n)
{
	struct run r = { opts, pg, jobs, n, 0, 0, NULL };
	for (size_t i = 0; i < n; i++) {
		job_init(&jobs[i], dir, pg);
		r.done += jobs[i].state != TRANSFER_PENDING;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return error("cannot initialise libcurl");
	r.multi = curl_multi_init();
	progress_set_files(pg, r.done, n);
	/* A caught signal (signals.h) ends the run; each .part stays to resume. */
	while (r.done < n && !signals_caught()) {
		int running;
		start_ready(&r);
		curl_multi_perform(r.multi, &running);
		reap(&r);
		progress_tick(pg);
		if (r.done < n)
			curl_multi_poll(r.multi, NULL, 0, wait_ms(&r), NULL);
	}
	curl_multi_cleanup(r.multi);
	curl_global_cleanup();
	int ret = signals_caught() ? -1 : 0;
	for (size_t i = 0; i < n; i++)
		if (jobs[i].state == TRANSFER_FAILED)
			ret = -1;
	return ret;
}

void transfer_job_release(struct transfer_job *j)
{
	for (size_t i = 0; i < j->nplaces; i++)
		free(j->places[i]);
	free(j->places);
	free(j->part);
	free(j->dest);
	free(j->bad);
	digest_free(j->dg);
	strbuf_release(&j->why);
	close_part(j);
}
