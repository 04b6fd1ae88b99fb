#include "manifest.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "strbuf.h"
#include "strv.h"
#include "util.h"

/* copy false: s takes path, which the caller allocated. */
static void snapshot_add(struct manifest_snapshot *s, char *path, bool copy)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->paths = xrealloc(s->paths, s->cap * sizeof *s->paths);
	}
	s->paths[s->n++] = copy ? xstrdup(path) : path;
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
		snapshot_add(s, path->data, true);
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

static int write_in_folder(const char *path, const struct strbuf *text)
{
	char *dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	int ret = mkdir_p(dir);
	free(dir);
	return ret == 0 ? file_write_atomic(path, text->data, text->len) : -1;
}

/* path relative to top, which it must be below. */
static const char *below(const char *path, const char *top)
{
	size_t toplen = strlen(top);
	return strncmp(path, top, toplen) || path[toplen] != '/' ? NULL : path + toplen + 1;
}

int manifest_write_created(const char *path, const char *top,
			   const struct manifest_snapshot *before,
			   const struct manifest_snapshot *after)
{
	struct strbuf text = STRBUF_INIT;
	for (size_t i = 0; i < after->n; i++) {
		const char *p = after->paths[i];
		if (contains(before, p))
			continue;
		if (!below(p, top)) {
			strbuf_release(&text);
			return error("'%s' is outside the top folder '%s'", p, top);
		}
		strbuf_adds(&text, below(p, top));
		strbuf_addc(&text, '\n');
	}
	int ret;
	if (text.len) {
		ret = write_in_folder(path, &text);
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

int manifest_install_begin(const char *pending, const char *top, const char *const *roots,
			   size_t nroots)
{
	struct manifest_snapshot before = MANIFEST_SNAPSHOT_INIT;
	struct strbuf text = STRBUF_INIT;
	int ret = manifest_snapshot_take(roots, nroots, &before);
	for (size_t i = 0; ret == 0 && i < nroots + before.n; i++) {
		const char *p = i < nroots ? roots[i] : before.paths[i - nroots];
		if (!below(p, top))
			ret = error("'%s' is outside the top folder '%s'", p, top);
		else
			strbuf_addf(&text, "%s\n%s", below(p, top), i + 1 == nroots ? "\n" : "");
	}
	if (ret == 0)
		ret = write_in_folder(pending, &text);
	strbuf_release(&text);
	manifest_snapshot_free(&before);
	return ret;
}

/* Reads a pending record: the roots, an empty line, the paths below them
 * before the install (sorted), all relative to top; made absolute here. */
static int read_pending(const char *pending, const char *top, struct strv *roots,
			struct manifest_snapshot *before)
{
	struct strbuf text = STRBUF_INIT;
	int ret = file_read(pending, &text);
	bool in_roots = true;
	for (char *l = text.data, *end; ret == 0 && *l; l = end + 1) {
		if (!(end = strchr(l, '\n')))
			ret = error("%s: the record is cut short (remove it to go on)", pending);
		else if (end == l && in_roots)
			in_roots = false;
		else if (*end = '\0', !path_is_inside(l))
			ret = error("%s: '%s' is not a path inside the top folder", pending, l);
		else if (in_roots)
			strv_pushf(roots, "%s/%s", top, l);
		else
			snapshot_add(before, xasprintf("%s/%s", top, l), false);
	}
	if (before->n) /* contains() searches it */
		qsort(before->paths, before->n, sizeof *before->paths, compare_paths);
	strbuf_release(&text);
	return ret;
}

int manifest_install_end(const char *pending, const char *path, const char *top)
{
	struct strv roots = STRV_INIT;
	struct manifest_snapshot before = MANIFEST_SNAPSHOT_INIT, after = MANIFEST_SNAPSHOT_INIT;
	int ret = read_pending(pending, top, &roots, &before);
	if (ret == 0)
		ret = manifest_snapshot_take((const char *const *)roots.items, roots.n, &after);
	if (ret == 0)
		ret = manifest_write_created(path, top, &before, &after);
	if (ret == 0 && unlink(pending) < 0)
		ret = error_errno("cannot remove '%s'", pending);
	manifest_snapshot_free(&before);
	manifest_snapshot_free(&after);
	strv_free(&roots);
	return ret;
}

int manifest_recover(const char *dir, const char *top)
{
	char **names;
	size_t n;
	if (!is_dir(dir) || dir_list(dir, MANIFEST_PENDING_SUFFIX, &names, &n) < 0)
		return 0;
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < n; i++) {
		char *pending = xasprintf("%s/%s", dir, names[i]);
		char *path = xstrndup(pending, strlen(pending) - strlen(MANIFEST_PENDING_SUFFIX));
		ret = manifest_install_end(pending, path, top);
		free(path);
		free(pending);
	}
	names_free(names, n);
	return ret;
}
