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
#include "strv.h"
#include "util.h"

#define SUMS ".sums"
#define CHANGED ".changed"

static char *record_path(const char *manifest, const char *suffix)
{
	return xasprintf("%s%s", manifest, suffix);
}

/* --- one path ---------------------------------------------------------------- */

/* The content sum of abs: a file's bytes, a link's target, "-" a folder. */
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

static void add_stamp(struct strbuf *out, const struct stat *st)
{
	strbuf_addf(out, "%llu.%lld.%ld", (unsigned long long)st->st_ino, (long long)st->st_ctim.tv_sec,
		    (long)st->st_ctim.tv_nsec);
}

/* One record line for top/rel as it is now ("- - - - rel" when gone); -1
 * when it cannot be read. */
static int describe(const char *top, const char *rel, struct strbuf *out)
{
	char *abs = xasprintf("%s/%s", top, rel), hex[DIGEST_HEX_LEN + 1];
	struct stat st;
	int ret = 0;
	if (lstat(abs, &st) < 0) {
		ret = errno == ENOENT ? 0 : -1;
		if (ret == 0)
			strbuf_addf(out, "- - - - %s\n", rel);
	} else if ((ret = content_sum(abs, &st, hex)) == 0) {
		strbuf_addf(out, "%c %04o %s ", S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : 'f',
			    (unsigned)(st.st_mode & 07777), hex);
		add_stamp(out, &st);
		strbuf_addf(out, " %s\n", rel);
	}
	free(abs);
	return ret;
}

/* --- record lines: "TYPE MODE SHA STAMP PATH" ------------------------------------ */

struct rec {
	char *line;           /* the whole line, NUL-terminated */
	const char *stamp;    /* into line */
	size_t what_len;      /* TYPE MODE SHA */
	size_t stamp_len;
	const char *path;     /* into line */
};

/* Splits line (kept) into its fields; false when it is not a record line. */
static bool rec_parse(char *line, struct rec *r)
{
	const char *p = line;
	for (int field = 0; field < 3; field++) {
		const char *sp = strchr(p, ' ');
		if (!sp)
			return false;
		p = sp + 1;
	}
	const char *sp = strchr(p, ' ');
	if (!sp || !sp[1])
		return false;
	*r = (struct rec){ line, p, (size_t)(p - line - 1), (size_t)(sp - p), sp + 1 };
	return true;
}

/* The lines of text, stamps dropped: what two records are compared by. */
static void without_stamps(const char *text, struct strbuf *out)
{
	struct strv lines = STRV_INIT;
	strv_split(&lines, text, '\n');
	for (size_t i = 0; i < lines.n; i++) {
		struct rec r;
		if (rec_parse(lines.items[i], &r))
			strbuf_addf(out, "%.*s %s\n", (int)r.what_len, r.line, r.path);
	}
	strv_free(&lines);
}

/* Every line of the records in dir (the .sums and .changed of each package
 * of the install group) but those of skip (a package's manifest path). */
static int read_group(const char *dir, const char *skip, struct strv *lines)
{
	static const char *const suffixes[] = { SUMS, CHANGED };
	for (size_t k = 0; k < 2; k++) {
		char **names;
		size_t n;
		if (dir_list(dir, suffixes[k], &names, &n) < 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			char *path = xasprintf("%s/%s", dir, names[i]);
			struct strbuf text = STRBUF_INIT;
			if (strncmp(path, skip, strlen(skip)) || strcmp(path + strlen(skip), suffixes[k]))
				if (file_read_quiet(path, &text) == 0)
					strv_split(lines, text.data, '\n');
			strbuf_release(&text);
			free(path);
		}
		names_free(names, n);
	}
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->path, ((const struct rec *)b)->path);
}

/* --- what an install changed of the others' ---------------------------------------- */

/* Whether top/path (its records recs[0..n)) is as one of them says: by its
 * stamp, else by its content. 1 yes, 0 no (its line now in *now), -1. */
static int as_recorded(const char *top, const struct rec *recs, size_t n, struct strbuf *now)
{
	strbuf_reset(now);
	if (describe(top, recs[0].path, now) < 0)
		return -1;
	struct rec cur;
	char *line = xstrndup(now->data, now->len ? now->len - 1 : 0);
	int same = !rec_parse(line, &cur) || cur.line[0] == '-' || cur.line[0] == 'd';
	for (size_t i = 0; !same && i < n; i++)
		same = (recs[i].what_len == cur.what_len && !strncmp(recs[i].line, cur.line, cur.what_len));
	free(line);
	return same;
}

/* The lines, as they are now, of the files the group's other records list
 * that are no longer as any of them says. */
static int find_changed(const char *manifest, const char *top, struct strbuf *out)
{
	char *dir = xstrdup(manifest);
	*strrchr(dir, '/') = '\0';
	struct strv lines = STRV_INIT;
	struct strbuf now = STRBUF_INIT;
	int ret = read_group(dir, manifest, &lines);
	struct rec *recs = xcalloc(lines.n + 1, sizeof *recs);
	size_t n = 0;
	for (size_t i = 0; i < lines.n; i++)
		n += rec_parse(lines.items[i], &recs[n]);
	qsort(recs, n, sizeof *recs, by_path);
	for (size_t i = 0, j; ret == 0 && i < n; i = j) {
		for (j = i + 1; j < n && !strcmp(recs[j].path, recs[i].path); j++)
			;
		int same = path_is_inside(recs[i].path) ? as_recorded(top, recs + i, j - i, &now) : 1;
		if (same < 0)
			ret = error_errno("cannot read %s/%s", top, recs[i].path);
		else if (!same)
			strbuf_add(out, now.data, now.len);
	}
	free(recs);
	strbuf_release(&now);
	strv_free(&lines);
	free(dir);
	return ret;
}

/* --- the records -------------------------------------------------------------------- */

/* The record lines of the manifest's paths as they are now, into out. */
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

/* Writes text as the record at manifest+suffix; nothing: no record (for
 * .changed), an empty one (for .sums: the package created nothing). */
static int write_record(const char *manifest, const char *suffix, const struct strbuf *text)
{
	char *path = record_path(manifest, suffix);
	int ret = 0;
	if (text->len || !strcmp(suffix, SUMS))
		ret = file_write_atomic(path, text->data, text->len);
	else if (unlink(path) < 0 && errno != ENOENT)
		ret = error_errno("cannot remove '%s'", path);
	free(path);
	return ret;
}

int installed_record(const char *manifest, const char *top)
{
	struct strbuf created = STRBUF_INIT, changed = STRBUF_INIT;
	int ret = describe_listed(manifest, top, &created);
	if (ret == 0)
		ret = find_changed(manifest, top, &changed);
	if (ret == 0)
		ret = write_record(manifest, CHANGED, &changed);
	if (ret == 0)
		ret = write_record(manifest, SUMS, &created);
	strbuf_release(&created);
	strbuf_release(&changed);
	return ret;
}

/* --- checking ------------------------------------------------------------------------ */

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

static bool listed(const struct strv *v, const char *s)
{
	for (size_t i = 0; v && i < v->n; i++)
		if (!strcmp(v->items[i], s))
			return true;
	return false;
}

/* The records' lines (stamps dropped) into recorded, and the same paths as
 * they are now into now, but those of skip. 1 when there is no .sums, -1
 * on error. */
static int recorded_and_now(const char *manifest, const char *top, const struct strv *skip,
			    struct strbuf *recorded, struct strbuf *now)
{
	struct strbuf text = STRBUF_INIT, current = STRBUF_INIT;
	char *sums = record_path(manifest, SUMS), *changed = record_path(manifest, CHANGED);
	int ret = file_read_quiet(sums, &text) == 0 ? 0 : errno == ENOENT ? 1
		  : error("cannot read '%s': %s", sums, file_strerror(errno));
	if (ret == 0 && file_read_quiet(changed, &text) < 0 && errno != ENOENT)
		ret = error("cannot read '%s': %s", changed, file_strerror(errno));
	struct strv lines = STRV_INIT;
	struct strbuf kept = STRBUF_INIT;
	strv_split(&lines, text.data, '\n');
	for (size_t i = 0; ret == 0 && i < lines.n; i++) {
		struct rec r;
		char *line = xstrdup(lines.items[i]);
		if (!rec_parse(lines.items[i], &r) || listed(skip, r.path))
			;
		else if (describe(top, r.path, &current) < 0)
			ret = error_errno("cannot read %s/%s", top, r.path);
		else
			strbuf_addf(&kept, "%s\n", line);
		free(line);
	}
	if (ret == 0) {
		without_stamps(kept.data, recorded);
		without_stamps(current.data, now);
	}
	strbuf_release(&kept);
	strv_free(&lines);
	strbuf_release(&text);
	strbuf_release(&current);
	free(sums);
	free(changed);
	return ret;
}

int installed_check(const char *manifest, const char *top, const struct strv *skip,
		    struct strbuf *what)
{
	struct strbuf recorded = STRBUF_INIT, now = STRBUF_INIT;
	int ret = recorded_and_now(manifest, top, skip, &recorded, &now);
	if (ret == 1)
		ret = INSTALLED_UNRECORDED;
	else if (ret == 0 && strcmp(recorded.data, now.data)) {
		first_difference(recorded.data, now.data, what);
		ret = INSTALLED_CHANGED;
	}
	strbuf_release(&recorded);
	strbuf_release(&now);
	return ret;
}

int installed_changed(const char *manifest, struct strv *out)
{
	char *path = record_path(manifest, CHANGED);
	struct strbuf text = STRBUF_INIT;
	int ret = file_read_quiet(path, &text) == 0 || errno == ENOENT ? 0
		  : error("cannot read '%s': %s", path, file_strerror(errno));
	struct strv lines = STRV_INIT;
	strv_split(&lines, text.data, '\n');
	for (size_t i = 0; ret == 0 && i < lines.n; i++) {
		struct rec r;
		if (rec_parse(lines.items[i], &r))
			strv_push(out, r.path);
	}
	strv_free(&lines);
	strbuf_release(&text);
	free(path);
	return ret;
}

void installed_forget(const char *manifest)
{
	char *sums = record_path(manifest, SUMS), *changed = record_path(manifest, CHANGED);
	unlink(sums);
	unlink(changed);
	free(sums);
	free(changed);
}
