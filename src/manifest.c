#include "manifest.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "strbuf.h"
#include "util.h"

static void snapshot_add(struct manifest_snapshot *s, const char *path)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->paths = xrealloc(s->paths, s->cap * sizeof *s->paths);
	}
	s->paths[s->n++] = xstrdup(path);
}

static int walk(struct manifest_snapshot *s, struct strbuf *path)
{
	DIR *d = opendir(path->data);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return error_errno("cannot read the folder '%s'", path->data);
	}
	int ret = 0;
	size_t len = path->len;
	struct dirent *e;
	while (ret == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		strbuf_addc(path, '/');
		strbuf_adds(path, e->d_name);
		if (strchr(e->d_name, '\n'))
			ret = error("'%s': a name with a newline cannot be listed in a manifest",
				    path->data);
		snapshot_add(s, path->data);
		struct stat st;
		if (ret == 0 && lstat(path->data, &st) == 0 && S_ISDIR(st.st_mode))
			ret = walk(s, path);
		path->len = len;
		path->data[len] = '\0';
	}
	closedir(d);
	return ret;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int manifest_snapshot_take(const char *const *roots, size_t nroots, struct manifest_snapshot *s)
{
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < nroots; i++) {
		struct strbuf path = STRBUF_INIT;
		strbuf_adds(&path, roots[i]);
		ret = walk(s, &path);
		strbuf_release(&path);
	}
	if (s->n)
		qsort(s->paths, s->n, sizeof *s->paths, compare_paths);
	return ret;
}

void manifest_snapshot_free(struct manifest_snapshot *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->paths[i]);
	free(s->paths);
	*s = (struct manifest_snapshot)MANIFEST_SNAPSHOT_INIT;
}

static bool contains(const struct manifest_snapshot *s, const char *path)
{
	return s->n && bsearch(&path, s->paths, s->n, sizeof *s->paths, compare_paths);
}

int manifest_write_created(const char *path, const char *top,
			   const struct manifest_snapshot *before,
			   const struct manifest_snapshot *after)
{
	struct strbuf text = STRBUF_INIT;
	size_t toplen = strlen(top);
	for (size_t i = 0; i < after->n; i++) {
		const char *p = after->paths[i];
		if (contains(before, p))
			continue;
		if (strncmp(p, top, toplen) || p[toplen] != '/') {
			strbuf_release(&text);
			return error("'%s' is outside the top folder '%s'", p, top);
		}
		strbuf_adds(&text, p + toplen + 1);
		strbuf_addc(&text, '\n');
	}
	int ret;
	if (text.len) {
		char *dir = xstrdup(path);
		*strrchr(dir, '/') = '\0';
		ret = mkdir_p(dir);
		free(dir);
		if (ret == 0)
			ret = file_write_atomic(path, text.data, text.len);
	} else {
		ret = unlink(path) == 0 || errno == ENOENT ? 0
			: error_errno("cannot remove '%s'", path);
	}
	strbuf_release(&text);
	return ret;
}

/* Splits the manifest into lines in place; checks every one first so that a
 * damaged manifest removes nothing. */
static int manifest_lines(const char *path, struct strbuf *text, char ***lines, size_t *n)
{
	*lines = NULL;
	*n = 0;
	size_t cap = 0;
	int lineno = 0;
	for (char *p = text->data; *p;) {
		char *end = strchr(p, '\n');
		if (end)
			*end = '\0';
		lineno++;
		if (!path_is_inside(p)) {
			free(*lines);
			*lines = NULL;
			return error("%s:%d: '%s' is not a path inside the top folder", path, lineno, p);
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			*lines = xrealloc(*lines, cap * sizeof **lines);
		}
		(*lines)[(*n)++] = p;
		p = end ? end + 1 : p + strlen(p);
	}
	return 0;
}

static int remove_entry(const char *abs, bool folders)
{
	struct stat st;
	if (lstat(abs, &st) < 0)
		return errno == ENOENT ? 0 : error_errno("cannot look at '%s'", abs);
	if (S_ISDIR(st.st_mode) != folders)
		return 0;
	if (!folders)
		return unlink(abs) == 0 ? 0 : error_errno("cannot remove '%s'", abs);
	/* Something else put files there since: keep the folder for them. */
	if (rmdir(abs) == 0 || errno == ENOTEMPTY || errno == EEXIST)
		return 0;
	return error_errno("cannot remove the folder '%s'", abs);
}

int manifest_remove_listed(const char *path, const char *top)
{
	struct strbuf text = STRBUF_INIT;
	if (file_read_quiet(path, &text) < 0) {
		strbuf_release(&text);
		return errno == ENOENT ? 0 : error_errno("cannot read the manifest '%s'", path);
	}
	char **lines;
	size_t n;
	int ret = manifest_lines(path, &text, &lines, &n);
	/* Files first; then folders, deepest first (reverse sorted order). */
	for (size_t i = 0; ret == 0 && i < n; i++) {
		char *abs = xasprintf("%s/%s", top, lines[i]);
		ret = remove_entry(abs, false);
		free(abs);
	}
	for (size_t i = n; ret == 0 && i-- > 0;) {
		char *abs = xasprintf("%s/%s", top, lines[i]);
		ret = remove_entry(abs, true);
		free(abs);
	}
	if (ret == 0 && unlink(path) < 0)
		ret = error_errno("cannot remove the manifest '%s'", path);
	free(lines);
	strbuf_release(&text);
	return ret;
}

const char *manifest_first_missing(const char *path, const char *top, struct strbuf *missing)
{
	struct strbuf text = STRBUF_INIT;
	char **lines = NULL;
	size_t n = 0;
	strbuf_reset(missing);
	/* No manifest, or a damaged one: nothing to check by. */
	if (file_read_quiet(path, &text) == 0 && manifest_lines(path, &text, &lines, &n) == 0)
		for (size_t i = 0; i < n && !missing->len; i++) {
			struct stat st;
			char *abs = xasprintf("%s/%s", top, lines[i]);
			if (lstat(abs, &st) < 0 && errno == ENOENT)
				strbuf_adds(missing, lines[i]);
			free(abs);
		}
	free(lines);
	strbuf_release(&text);
	return missing->len ? missing->data : NULL;
}
