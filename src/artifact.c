#include "artifact.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "manifest.h"
#include "strbuf.h"
#include "strv.h"
#include "unpack.h"
#include "util.h"

/* --- packing --------------------------------------------------------------- */

struct packer {
	struct archive *out, *disk;
	struct archive_entry_linkresolver *links;
	const char *top, *dest;
	bool clamp; /* times clamped to epoch (a tarball for users), or kept */
	long long epoch;
};

static int copy_data(struct packer *p, const char *path)
{
	/* Not file_open: installed files may have hard links (gcc's drivers). */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return error_errno("cannot read %s", path);
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (archive_write_data(p->out, buf, (size_t)n) != n) {
			close(fd);
			return error("%s: cannot write %s: %s", p->dest, path, archive_error_string(p->out));
		}
	int err = n < 0 ? errno : 0;
	close(fd);
	return err ? (errno = err, error_errno("cannot read %s", path)) : 0;
}

/* Owner 0:0 without names, no extended attributes, no atime or ctime, the
 * modification time clamped to the packer's epoch if it clamps. */
static void normalize(struct archive_entry *e, const struct packer *p)
{
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_copy_uname(e, NULL);
	archive_entry_copy_gname(e, NULL);
	archive_entry_xattr_clear(e);
	archive_entry_acl_clear(e);
	archive_entry_unset_atime(e);
	archive_entry_unset_ctime(e);
	archive_entry_unset_birthtime(e);
	if (p->clamp && archive_entry_mtime(e) > p->epoch)
		archive_entry_set_mtime(e, (time_t)p->epoch, 0);
}

/* The file top/rel, named as in the archive. */
static int pack_one(struct packer *p, const char *rel, const char *as)
{
	char *path = xasprintf("%s/%s", p->top, rel);
	struct archive_entry *e = archive_entry_new(), *sparse = NULL;
	archive_entry_copy_pathname(e, as);
	archive_entry_copy_sourcepath(e, path);
	int ret = 0;
	if (archive_read_disk_entry_from_file(p->disk, e, -1, NULL) != ARCHIVE_OK) {
		ret = error("cannot read %s for the artifact: %s", path, archive_error_string(p->disk));
	} else {
		normalize(e, p);
		archive_entry_linkify(p->links, &e, &sparse);
		if (e && archive_write_header(p->out, e) != ARCHIVE_OK)
			ret = error("%s: cannot add %s: %s", p->dest, rel, archive_error_string(p->out));
		else if (e && archive_entry_filetype(e) == AE_IFREG && archive_entry_size(e) > 0)
			ret = copy_data(p, path);
	}
	archive_entry_free(e);
	free(path);
	return ret;
}

static int pack_listed(struct packer *p, const char *manifest_path)
{
	struct strbuf text = STRBUF_INIT;
	/* No manifest: the install created nothing, and the artifact is empty. */
	int ret = path_exists(manifest_path) ? file_read(manifest_path, &text) : 0;
	for (char *l = text.data; ret == 0 && l && *l;) {
		char *nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		if (*l && (*l == '/' || !path_is_inside(l)))
			ret = error("%s: '%s' is not a path inside the top", manifest_path, l);
		else if (*l)
			ret = pack_one(p, l, l);
		l = nl ? nl + 1 : NULL;
	}
	strbuf_release(&text);
	return ret;
}

/* The packer's archive, begun: pax, zstd, into fd. Restricted pax (a pax
 * header only where ustar falls short) for a tarball whose times are
 * clamped; else full pax, whose header keeps every mtime to the nanosecond. */
static int pack_begin(struct packer *p, int fd)
{
	int format = p->clamp ? ARCHIVE_FORMAT_TAR_PAX_RESTRICTED
			      : ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE;
	archive_read_disk_set_symlink_physical(p->disk);
	archive_entry_linkresolver_set_strategy(p->links, format);
	if (archive_write_set_format(p->out, format) != ARCHIVE_OK ||
	    archive_write_add_filter_zstd(p->out) != ARCHIVE_OK ||
	    archive_write_open_fd(p->out, fd) != ARCHIVE_OK)
		return error("%s: cannot start a tar.zst: %s", p->dest, archive_error_string(p->out));
	return 0;
}

/* Ends the archive and puts tmp in place as the packer's dest (or removes it). */
static int pack_end(struct packer *p, int fd, char *tmp, int ret)
{
	if (archive_write_close(p->out) != ARCHIVE_OK && ret == 0)
		ret = error("%s: cannot finish the tar.zst: %s", p->dest, archive_error_string(p->out));
	archive_write_free(p->out);
	archive_read_free(p->disk);
	archive_entry_linkresolver_free(p->links);
	if (ret == 0 && fsync(fd) < 0)
		ret = error_errno("cannot write %s", tmp);
	close(fd);
	if (ret == 0)
		ret = file_commit(tmp, p->dest);
	if (ret < 0)
		unlink(tmp);
	free(tmp);
	return ret;
}

int artifact_pack_tree(const char *dir, const char *as, const char *out, long long epoch)
{
	char *tmp = NULL;
	int fd = file_create_temp(out, &tmp);
	if (fd < 0)
		return -1;
	struct packer p = { archive_write_new(), archive_read_disk_new(),
			    archive_entry_linkresolver_new(), dir, out, true, epoch };
	struct manifest_snapshot s = MANIFEST_SNAPSHOT_INIT;
	int ret = pack_begin(&p, fd);
	if (ret == 0)
		ret = manifest_snapshot_take(&dir, 1, &s);
	size_t skip = strlen(dir) + 1;
	for (size_t i = 0; ret == 0 && i < s.n; i++) {
		char *name = xasprintf("%s/%s", as, s.paths[i] + skip);
		ret = pack_one(&p, s.paths[i] + skip, name);
		free(name);
	}
	manifest_snapshot_free(&s);
	return pack_end(&p, fd, tmp, ret);
}

int artifact_pack(const char *manifest_path, const struct strv *extra, const char *top,
		  const char *out)
{
	char *tmp = NULL;
	int fd = file_create_temp(out, &tmp);
	if (fd < 0)
		return -1;
	struct packer p = { archive_write_new(), archive_read_disk_new(),
			    archive_entry_linkresolver_new(), top, out, false, 0 };
	int ret = pack_begin(&p, fd);
	if (ret == 0)
		ret = pack_listed(&p, manifest_path);
	for (size_t i = 0; ret == 0 && extra && i < extra->n; i++)
		ret = path_is_inside(extra->items[i]) ? pack_one(&p, extra->items[i], extra->items[i])
		      : error("'%s' is not a path inside the top", extra->items[i]);
	return pack_end(&p, fd, tmp, ret);
}

/* --- unpacking ------------------------------------------------------------- */

static bool is_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* Where an entry lies: strictly inside an install folder; the folder itself
 * or one of the folders it lies in, where only a real folder may stand; or
 * elsewhere, where an artifact may write nothing. */
enum place { PLACE_INSIDE, PLACE_ROOT, PLACE_ELSEWHERE };

static enum place place_of(const char *rel, const char *const *roots, size_t nroots)
{
	enum place p = PLACE_ELSEWHERE;
	for (size_t i = 0; i < nroots; i++)
		if (is_below(rel, roots[i]) && rel[strlen(roots[i])] == '/')
			return PLACE_INSIDE;
		else if (is_below(roots[i], rel))
			p = PLACE_ROOT;
	return p;
}

static const char *kind_of(mode_t mode)
{
	return S_ISLNK(mode) ? "symlink" : S_ISREG(mode) ? "file" : "special file";
}

/* An install folder or a folder above it, as the artifact has it (staged)
 * and as the top has it (to): a folder in both, or not yet in the top.
 * Anything else would make the move replace, or write through, what is
 * there (every arch's output/, or a symlink out of the top). */
static int check_root(const char *artifact, const char *rel, const char *staged, const char *to)
{
	struct stat st;
	if (lstat(staged, &st) < 0)
		return error_errno("cannot read %s", staged);
	if (!S_ISDIR(st.st_mode))
		return error("refusing to unpack '%s': entry '%s' is a %s, where an install folder "
			     "or a folder above one must be a folder",
			     artifact, rel, kind_of(st.st_mode));
	if (lstat(to, &st) < 0)
		return errno == ENOENT ? 0 : error_errno("cannot read %s", to);
	if (!S_ISDIR(st.st_mode))
		return error("cannot take '%s' from the cache: %s is a %s, not a folder (make it a "
			     "folder; nothing is moved through it)",
			     artifact, to, kind_of(st.st_mode));
	return 0;
}

/* Checks every staged entry (rel below top) before anything is moved. */
static int check_staged(const char *artifact, const char *top, const char *staging,
			const struct manifest_snapshot *s, const char *const *roots, size_t nroots)
{
	size_t skip = strlen(staging) + 1;
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < s->n; i++) {
		const char *rel = s->paths[i] + skip;
		enum place p = place_of(rel, roots, nroots);
		char *to = xasprintf("%s/%s", top, rel);
		if (p == PLACE_ELSEWHERE)
			ret = error("%s: '%s' lies outside the package's install folders",
				    artifact, rel);
		else if (p == PLACE_ROOT)
			ret = check_root(artifact, rel, s->paths[i], to);
		free(to);
	}
	return ret;
}

/* Makes the folder to (or keeps it) for the staged folder from: writable by
 * us, like from, until every entry is moved, then given its mode. */
static int make_folder(const char *from, const struct stat *st, const char *to)
{
	struct stat old;
	if (lstat(to, &old) == 0 && !S_ISDIR(old.st_mode) && unlink(to) < 0)
		return error_errno("cannot replace %s with a folder", to);
	if (mkdir(to, (st->st_mode & 0777) | S_IRWXU) < 0 && errno != EEXIST)
		return error_errno("cannot make %s", to);
	if ((st->st_mode & S_IRWXU) != S_IRWXU && chmod(from, st->st_mode | S_IRWXU) < 0)
		return error_errno("cannot enter %s", from);
	return 0;
}

/* Moves one staged entry into place: a folder is made (or kept), anything
 * else renamed over what is there, its mode and time with it. *mode: the
 * staged entry's type and mode. */
static int move_into_place(const char *from, const char *to, mode_t *mode)
{
	struct stat st, old;
	if (lstat(from, &st) < 0)
		return error_errno("cannot read %s", from);
	*mode = st.st_mode;
	if (S_ISDIR(st.st_mode))
		return make_folder(from, &st, to);
	if (lstat(to, &old) == 0 && S_ISDIR(old.st_mode) && remove_tree(to) < 0)
		return -1;
	return rename(from, to) < 0 ? error_errno("cannot move %s to %s", from, to) : 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_listed(const struct strv *sorted, const char *name)
{
	return sorted->n && bsearch(&name, sorted->items, sorted->n, sizeof *sorted->items,
				    compare_names);
}

/* Gives the folders the artifact holds as entries (dirs, sorted) inside the
 * install folders the modes they have there, sticky, setgid and all (mkdir
 * would have taken the umask off). The folders made only to hold an entry,
 * the install folders and those above them keep theirs. */
static int set_folder_modes(const char *top, const char *const *rels, const mode_t *modes,
			    size_t n, const struct strv *dirs, const char *const *roots,
			    size_t nroots)
{
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < n; i++) {
		if (!S_ISDIR(modes[i]) || place_of(rels[i], roots, nroots) != PLACE_INSIDE ||
		    !is_listed(dirs, rels[i]))
			continue;
		char *to = xasprintf("%s/%s", top, rels[i]);
		if (chmod(to, modes[i] & 07777) < 0)
			ret = error_errno("cannot set the mode of %s", to);
		free(to);
	}
	return ret;
}

static int move_staged(const char *artifact, const char *top, const char *staging,
		       struct strv *dirs, const char *const *roots, size_t nroots)
{
	struct manifest_snapshot s = MANIFEST_SNAPSHOT_INIT;
	int ret = manifest_snapshot_take(&staging, 1, &s);
	if (ret == 0)
		ret = check_staged(artifact, top, staging, &s, roots, nroots);
	size_t skip = strlen(staging) + 1;
	const char **rels = xcalloc(s.n + 1, sizeof *rels);
	mode_t *modes = xcalloc(s.n + 1, sizeof *modes);
	for (size_t i = 0; ret == 0 && i < s.n; i++) {
		rels[i] = s.paths[i] + skip;
		char *to = xasprintf("%s/%s", top, rels[i]);
		ret = move_into_place(s.paths[i], to, &modes[i]);
		free(to);
	}
	if (dirs->n)
		qsort(dirs->items, dirs->n, sizeof *dirs->items, compare_names);
	if (ret == 0)
		ret = set_folder_modes(top, rels, modes, s.n, dirs, roots, nroots);
	free(rels);
	free(modes);
	manifest_snapshot_free(&s);
	return ret;
}

int artifact_unpack(const char *path, const char *top, const char *staging,
		    const char *const *roots, size_t nroots)
{
	if (path_exists(staging) && remove_tree(staging) < 0)
		return -1;
	struct strv dirs = STRV_INIT;
	struct unpack_opts o = { NULL, true, &dirs, true };
	int ret = unpack_archive_opts(path, staging, &o);
	if (ret == 0)
		ret = move_staged(path, top, staging, &dirs, roots, nroots);
	if (path_exists(staging) && remove_tree(staging) < 0)
		ret = -1;
	strv_free(&dirs);
	return ret;
}
