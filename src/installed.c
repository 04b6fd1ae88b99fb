#include "installed.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "file.h"
#include "strbuf.h"
#include "util.h"

static char *record_path(const char *manifest)
{
	return xasprintf("%s.sums", manifest);
}

/* The content sum of top/rel: a file's bytes, a link's target. */
static int content_sum(const char *abs, const struct stat *st, char hex[DIGEST_HEX_LEN + 1])
{
	char target[PATH_MAX];
	if (S_ISDIR(st->st_mode)) {
		strcpy(hex, "-");
		return 0;
	}
	if (S_ISREG(st->st_mode))
		return digest_sha256_file(abs, hex);
	ssize_t n = S_ISLNK(st->st_mode) ? readlink(abs, target, sizeof target) : -1;
	if (n < 0)
		return -1;
	digest_sha256_buf(target, (size_t)n, hex);
	return 0;
}

/* One record line for top/rel as it is now ("- - - rel" when gone); -1
 * when it cannot be read. */
static int describe(const char *top, const char *rel, struct strbuf *out)
{
	char *abs = xasprintf("%s/%s", top, rel), hex[DIGEST_HEX_LEN + 1];
	struct stat st;
	int ret = 0;
	if (lstat(abs, &st) < 0)
		ret = errno == ENOENT ? (strbuf_addf(out, "- - - %s\n", rel), 0) : -1;
	else if ((ret = content_sum(abs, &st, hex)) == 0)
		strbuf_addf(out, "%c %04o %s %s\n", S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : 'f',
			    (unsigned)(st.st_mode & 07777), hex, rel);
	free(abs);
	return ret;
}

/* The record of the manifest's paths as they are now, into out. */
static int describe_listed(const char *manifest, const char *top, struct strbuf *out)
{
	struct strbuf list = STRBUF_INIT;
	int ret = 0;
	if (file_read_quiet(manifest, &list) < 0 && errno != ENOENT)
		ret = error("cannot read the manifest '%s': %s", manifest, file_strerror(errno));
	for (char *l = list.data, *nl; ret == 0 && *l; l = nl + 1) {
		if (!(nl = strchr(l, '\n')))
			break;
		*nl = '\0';
		if (!path_is_inside(l))
			ret = error("%s: '%s' is not a path inside the top", manifest, l);
		else if (describe(top, l, out) < 0)
			ret = error_errno("cannot read %s/%s", top, l);
	}
	strbuf_release(&list);
	return ret;
}

int installed_record(const char *manifest, const char *top)
{
	struct strbuf text = STRBUF_INIT;
	char *path = record_path(manifest);
	int ret = describe_listed(manifest, top, &text);
	if (ret == 0)
		ret = file_write_atomic(path, text.data, text.len);
	strbuf_release(&text);
	free(path);
	return ret;
}

/* The first line of a and b that differ, told as "PATH (what changed)". */
static void first_difference(const char *a, const char *b, struct strbuf *what)
{
	while (*a && *a == *b) {
		size_t n = strcspn(a, "\n") + 1;
		if (strncmp(a, b, n))
			break;
		a += n;
		b += n;
	}
	const char *line = *a ? a : b;
	const char *path = line;
	for (int field = 0; field < 3 && *path; field++)
		path += strcspn(path, " ") + 1;
	strbuf_reset(what);
	strbuf_add(what, path, strcspn(path, "\n"));
	strbuf_adds(what, !*a || !*b ? " (gone or added)" : line[0] != b[0] ? " (its type)"
			  : strncmp(a, b, 7) ? " (its mode)" : " (its content)");
}

int installed_check(const char *manifest, const char *top, struct strbuf *what)
{
	struct strbuf recorded = STRBUF_INIT, now = STRBUF_INIT;
	char *path = record_path(manifest);
	int ret;
	if (file_read_quiet(path, &recorded) < 0)
		ret = errno == ENOENT ? INSTALLED_UNRECORDED
		      : error("cannot read '%s': %s", path, file_strerror(errno));
	else if (describe_listed(manifest, top, &now) < 0)
		ret = -1;
	else if (strcmp(recorded.data, now.data))
		first_difference(recorded.data, now.data, what), ret = INSTALLED_CHANGED;
	else
		ret = INSTALLED_SAME;
	strbuf_release(&recorded);
	strbuf_release(&now);
	free(path);
	return ret;
}

void installed_forget(const char *manifest)
{
	char *path = record_path(manifest);
	unlink(path);
	free(path);
}
