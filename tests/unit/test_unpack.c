/* unpack_archive on archives generated here: a normal source tarball in every
 * compression the recipes use, GNU tar's "./" names and pax global header, and
 * hostile ones, which must be refused with the exact error, write nothing
 * outside the destination (a sentinel folder beside it stays as it was) and
 * leave no destination behind. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/file.h"
#include "src/strbuf.h"
#include "src/unpack.h"
#include "src/util.h"
#include "tap.h"

#define MTIME 1234567890

/* One archive entry: type 'f' (body: the content), 'd', 'l' (body: the
 * symlink's target), 'h' (body: the hard link's target), 'c' (a device). */
struct ent {
	const char *name;
	char type;
	int mode;
	const char *body;
};

static char tmp[] = "/tmp/test-unpack-XXXXXX";
static char errbuf[4096];

static char *at(const char *name)
{
	return xasprintf("%s/%s", tmp, name);
}

static void set_type(struct archive_entry *e, const struct ent *x)
{
	static const mode_t types[] = { ['f'] = AE_IFREG, ['d'] = AE_IFDIR, ['l'] = AE_IFLNK,
					['h'] = AE_IFREG, ['c'] = AE_IFCHR };
	archive_entry_set_filetype(e, types[(unsigned char)x->type]);
	archive_entry_set_perm(e, x->mode);
	if (x->type == 'l')
		archive_entry_set_symlink(e, x->body);
	if (x->type == 'h')
		archive_entry_set_hardlink(e, x->body);
	if (x->type == 'f')
		archive_entry_set_size(e, (la_int64_t)strlen(x->body));
}

/* Writes ents into tmp/name with libarchive: a pax archive through filter
 * ("gzip", "bzip2", "xz", "zstd" or "none"). Names are written as given, which
 * GNU tar would not do for "../x" or "/x". */
static char *make_archive(const char *name, const char *filter, const struct ent *ents, size_t n)
{
	char *path = at(name);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	if ((strcmp(filter, "none") && archive_write_add_filter_by_name(a, filter) != ARCHIVE_OK) ||
	    archive_write_open_filename(a, path) != ARCHIVE_OK)
		BUG("cannot write %s: %s", path, archive_error_string(a));
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, ents[i].name);
		archive_entry_set_mtime(e, MTIME, 0);
		set_type(e, &ents[i]);
		if (archive_write_header(a, e) != ARCHIVE_OK)
			BUG("cannot add %s: %s", ents[i].name, archive_error_string(a));
		if (ents[i].type == 'f')
			archive_write_data(a, ents[i].body, strlen(ents[i].body));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return path;
}

/* unpack_archive with stderr caught in errbuf (without its newline). */
static int unpack(const char *path, const char *dest, const char *top)
{
	struct capture c = capture_begin();
	int ret = unpack_archive(path, dest, top);
	capture_end(&c, errbuf, sizeof errbuf);
	return ret;
}

static char *slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	if (file_read_quiet(path, &sb) < 0)
		return NULL;
	return strbuf_detach(&sb);
}

static void check_file(const char *dir, const char *name, const char *want, int mode,
		    const char *what)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *got = slurp(path);
	struct stat st;
	is_str(got, want, "%s: %s has its content", what, name);
	ok(lstat(path, &st) == 0 && (st.st_mode & 07777) == (mode_t)mode &&
	   st.st_mtime == MTIME, "%s: %s has mode %o and its mtime", what, name, mode);
	free(got);
	free(path);
}

static bool is_symlink_to(const char *path, const char *want)
{
	char buf[256];
	ssize_t n = readlink(path, buf, sizeof buf - 1);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return strcmp(buf, want) == 0;
}

static bool same_inode(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino &&
	       sa.st_dev == sb.st_dev && sa.st_nlink == 2;
}

static const struct ent normal[] = {
	{ "pkg-1.0/", 'd', 0755, NULL },
	{ "pkg-1.0/README", 'f', 0644, "hello\n" },
	{ "pkg-1.0/configure", 'f', 0755, "#!/bin/sh\nexit 0\n" },
	{ "pkg-1.0/doc/", 'd', 0700, NULL },
	{ "pkg-1.0/doc/ro.txt", 'f', 0444, "read only\n" },
	{ "pkg-1.0/doc/deep/er/x.c", 'f', 0600, "int x;\n" },
	{ "pkg-1.0/lib", 'l', 0777, "doc/deep" },
	{ "pkg-1.0/COPYING", 'h', 0644, "pkg-1.0/README" },
	{ "pkg-1.0/abs", 'l', 0777, "/etc/passwd" },
};

static void check_normal(const char *dest, const char *what)
{
	char *top = xasprintf("%s/pkg-1.0", dest), *p, *q;
	ok(!path_exists(top), "%s: the top folder is stripped", what);
	check_file(dest, "README", "hello\n", 0644, what);
	check_file(dest, "configure", "#!/bin/sh\nexit 0\n", 0755, what);
	check_file(dest, "doc/ro.txt", "read only\n", 0444, what);
	check_file(dest, "doc/deep/er/x.c", "int x;\n", 0600, what);
	struct stat st;
	p = xasprintf("%s/doc", dest);
	ok(stat(p, &st) == 0 && (st.st_mode & 07777) == 0700 && st.st_mtime == MTIME,
	   "%s: a folder has its mode and mtime", what);
	free(p);
	p = xasprintf("%s/lib", dest);
	ok(is_symlink_to(p, "doc/deep"), "%s: a symlink is kept", what);
	free(p);
	p = xasprintf("%s/abs", dest);
	ok(is_symlink_to(p, "/etc/passwd"), "%s: a symlink may point anywhere", what);
	free(p);
	p = xasprintf("%s/COPYING", dest);
	q = xasprintf("%s/README", dest);
	ok(same_inode(p, q), "%s: a hard link is a hard link, its target renamed too", what);
	free(p);
	free(q);
	free(top);
}

static void test_formats(void)
{
	static const char *filters[][2] = { { "gzip", "tar.gz" }, { "bzip2", "tar.bz2" },
					    { "xz", "tar.xz" },   { "zstd", "tar.zst" },
					    { "none", "tar" } };
	for (size_t i = 0; i < sizeof filters / sizeof *filters; i++) {
		char *name = xasprintf("pkg-1.0.%s", filters[i][1]);
		char *archive = make_archive(name, filters[i][0], normal, 9);
		char *dest = xasprintf("%s/out/%s", tmp, filters[i][1]);
		is_int(unpack(archive, dest, "pkg-1.0"), 0, "%s: unpacks", name);
		is_str(errbuf, "", "%s: silently", name);
		check_normal(dest, name);
		free(dest);
		free(archive);
		free(name);
	}
}

static void test_no_top(void)
{
	char *archive = at("pkg-1.0.tar.gz"), *dest = at("out/notop");
	is_int(unpack(archive, dest, NULL), 0, "without a top folder, names are kept");
	char *top = xasprintf("%s/pkg-1.0", dest);
	check_file(top, "README", "hello\n", 0644, "no top");
	free(top);
	free(dest);
	free(archive);
}

/* GNU tar's "./" names, its hard links, and a pax global header (as git
 * archive writes), which is no entry: it must not turn up as a file. */
static void test_gnu_tar(void)
{
	char *src = at("gnu"), *dest = at("out/gnu"), *archive = at("gnu.tar.gz");
	char *cmd = xasprintf("mkdir -p %s/top-2/sub && cd %s && echo one > top-2/sub/a && "
			      "ln top-2/sub/a top-2/b && ln -s sub top-2/c && "
			      "tar --format=pax --pax-option=comment=abc123 -czf %s .",
			      src, src, archive);
	if (system(cmd) != 0) {
		ok(1, "# SKIP no GNU tar");
		goto out;
	}
	char *has = xasprintf("tar -tzf %s | grep -qx ./top-2/sub/a && "
			      "gzip -dc %s | head -c 512 | grep -q GlobalHead", archive, archive);
	ok(system(has) == 0, "the archive has './' names and starts with a pax global header");
	free(has);
	is_int(unpack(archive, dest, "top-2"), 0, "a GNU tar archive of ./top-2 unpacks");
	char *a = xasprintf("%s/sub/a", dest), *b = xasprintf("%s/b", dest);
	char *c = xasprintf("%s/c", dest), *g = xasprintf("%s/pax_global_header", dest);
	char *one = slurp(a);
	is_str(one, "one\n", "its './top-2/sub/a' is sub/a");
	free(one);
	ok(same_inode(a, b), "its './' hard link is a hard link");
	ok(is_symlink_to(c, "sub"), "its symlink is kept");
	ok(!path_exists(g), "its pax global header is no file");
	free(a), free(b), free(c), free(g);
out:
	free(cmd), free(src), free(dest), free(archive);
}

/* tmp/<name>/sentinel holds keep; an escape would land beside it. */
static char *make_case(const char *name)
{
	char *dir = at(name);
	char *sentinel = xasprintf("%s/sentinel", dir);
	char *keep = xasprintf("%s/keep", sentinel);
	if (mkdir_p(sentinel) < 0 || file_write_atomic(keep, "keep\n", 5) < 0)
		BUG("cannot make %s", sentinel);
	free(keep);
	free(sentinel);
	return dir;
}

static bool sentinel_intact(const char *dir)
{
	char **names = NULL;
	size_t n = 0;
	char *sentinel = xasprintf("%s/sentinel", dir), *keep = xasprintf("%s/keep", sentinel);
	char *got = slurp(keep);
	bool listed = dir_list(sentinel, NULL, &names, &n) == 0;
	bool intact = listed && n == 1 && !strcmp(names[0], "keep") && got &&
		      !strcmp(got, "keep\n");
	if (listed)
		names_free(names, n);
	free(got), free(keep), free(sentinel);
	return intact;
}

/* Unpacks ents (with a harmless file first, so there is something to
 * remove) and checks the refusal: want is the error after "entry '...' ". */
static void hostile(const char *name, const struct ent *ents, size_t n, const char *entry,
		    const char *want)
{
	char *dir = make_case(name), *dest = xasprintf("%s/dest", dir);
	struct ent all[8] = { { "top/", 'd', 0755, NULL }, { "top/ok", 'f', 0644, "fine\n" } };
	memcpy(all + 2, ents, n * sizeof *ents);
	char *file = xasprintf("%s.tar.gz", name), *archive = make_archive(file, "gzip", all, n + 2);
	char *msg = xasprintf("bootstrap: error: refusing to unpack '%s': entry '%s' %s", archive,
			      entry, want);
	is_int(unpack(archive, dest, "top"), -1, "%s: refused", name);
	is_str(errbuf, msg, "%s: the error names the archive and the entry", name);
	ok(!path_exists(dest), "%s: the destination is removed", name);
	ok(sentinel_intact(dir), "%s: nothing is written outside it", name);
	free(msg), free(archive), free(file), free(dest), free(dir);
}

static void test_dotdot(void)
{
	struct ent up[] = { { "top/../../sentinel/x", 'f', 0644, "evil\n" } };
	hostile("dotdot", up, 1, "top/../../sentinel/x", "contains '..'");
	struct ent up2[] = { { "../sentinel/x", 'f', 0644, "evil\n" } };
	hostile("dotdot2", up2, 1, "../sentinel/x", "contains '..'");
}

static void test_absolute(void)
{
	char *abs = xasprintf("%s/absolute/sentinel/x", tmp);
	struct ent e[] = { { abs, 'f', 0644, "evil\n" } };
	hostile("absolute", e, 1, abs, "is an absolute path");
	free(abs);
}

static void test_symlinks(void)
{
	struct ent rel[] = { { "top/l", 'l', 0777, "../sentinel" },
			     { "top/l/x", 'f', 0644, "evil\n" } };
	hostile("symlink", rel, 2, "top/l/x",
		"goes through the symlink 'top/l' of an earlier entry");
	char *abs = xasprintf("%s/symlink-abs/sentinel", tmp);
	struct ent to_abs[] = { { "top/l", 'l', 0777, abs }, { "top/l/sub/", 'd', 0755, NULL } };
	hostile("symlink-abs", to_abs, 2, "top/l/sub/",
		"goes through the symlink 'top/l' of an earlier entry");
	free(abs);
	struct ent via_hard[] = { { "top/l", 'l', 0777, "../sentinel" },
				  { "top/h", 'h', 0644, "top/l" },
				  { "top/h/x", 'f', 0644, "evil\n" } };
	hostile("symlink-hardlinked", via_hard, 3, "top/h/x",
		"goes through the symlink 'top/h' of an earlier entry");
}

/* A folder's mode and time are set when the archive is done: had a symlink
 * replaced the folder, libarchive before 3.6 set them wherever it points. */
static void test_symlink_over_folder(void)
{
	struct ent ents[] = { { "top/d/", 'd', 0700, NULL }, { "top/d", 'l', 0777, "../sentinel" } };
	hostile("symlink-over-folder", ents, 2, "top/d", "is a symlink replacing an earlier entry");
	char *sentinel = at("symlink-over-folder/sentinel");
	struct stat st;
	ok(stat(sentinel, &st) == 0 && (st.st_mode & 07777) != 0700 && st.st_mtime != MTIME,
	   "symlink-over-folder: the sentinel keeps its mode and time");
	free(sentinel);
}

static void test_hardlinks(void)
{
	struct ent up[] = { { "top/h", 'h', 0644, "../sentinel/keep" } };
	hostile("hardlink", up, 1, "top/h", "is a hard link to '../sentinel/keep', which contains '..'");
	char *abs = xasprintf("%s/hardlink-abs/sentinel/keep", tmp);
	char *want = xasprintf("is a hard link to '%s', which is an absolute path", abs);
	struct ent to_abs[] = { { "top/h", 'h', 0644, abs } };
	hostile("hardlink-abs", to_abs, 1, "top/h", want);
	free(want);
	free(abs);
	struct ent via[] = { { "top/l", 'l', 0777, "../sentinel" },
			     { "top/h", 'h', 0644, "top/l/keep" } };
	hostile("hardlink-symlink", via, 2, "top/h",
		"is a hard link to 'top/l/keep', which goes through the symlink 'top/l' of an "
		"earlier entry");
}

static void test_other_refusals(void)
{
	struct ent other[] = { { "other/x", 'f', 0644, "x\n" } };
	hostile("outside-top", other, 1, "other/x",
		"is outside the top folder 'top' (set the recipe's dir to the archive's top folder)");
	struct ent dev[] = { { "top/null", 'c', 0666, NULL } };
	hostile("device", dev, 1, "top/null", "is a device, fifo or socket");
	struct ent top_file[] = { { "./top", 'f', 0644, "x\n" } };
	hostile("top-file", top_file, 1, "./top",
		"is not a folder but stands for the destination folder");
}

static void test_bad_input(void)
{
	char *archive = at("pkg-1.0.tar.gz"), *dest = at("out/tar.gz");
	is_int(unpack(archive, dest, "pkg-1.0"), -1, "a destination with files is refused");
	char *want = xasprintf("bootstrap: error: cannot unpack into '%s': it exists and is not empty", dest);
	is_str(errbuf, want, "and named");
	ok(path_exists(dest), "and left alone");
	free(want);
	free(dest);
	dest = at("out/missing");
	char *missing = at("missing.tar.gz");
	is_int(unpack(missing, dest, NULL), -1, "a missing archive is an error");
	char *want2 = xasprintf("bootstrap: error: cannot open '%s': No such file or directory", missing);
	is_str(errbuf, want2, "naming it");
	free(want2);
	ok(!path_exists(dest), "and leaves no destination");
	free(missing);
	free(archive);
	free(dest);
}

static void test_not_archives(void)
{
	char *text = at("notes.tar.gz"), *empty = at("empty.tar.gz"), *dest = at("out/not");
	if (file_write_atomic(text, "hello\n", 6) < 0 || file_write_atomic(empty, "", 0) < 0)
		BUG("cannot write %s", text);
	/* format_all would have read it as an mtree spec and made a file "hello". */
	is_int(unpack(text, dest, NULL), -1, "a text file is no archive");
	char *want = xasprintf("bootstrap: error: cannot read '%s': Unrecognized archive format", text);
	is_str(errbuf, want, "naming it");
	ok(!path_exists(dest), "and leaves no destination");
	free(want);
	is_int(unpack(empty, dest, NULL), -1, "an empty file is no archive");
	want = xasprintf("bootstrap: error: cannot read '%s': Unrecognized archive format", empty);
	is_str(errbuf, want, "naming it");
	free(want);
	char *none = make_archive("none.tar.xz", "xz", NULL, 0);
	is_int(unpack(none, dest, NULL), -1, "an archive of no entries is no source");
	want = xasprintf("bootstrap: error: cannot unpack '%s': it holds no entries", none);
	is_str(errbuf, want, "naming it");
	ok(!path_exists(dest), "and leaves no destination");
	free(want), free(none), free(text), free(empty), free(dest);
}

/* A download cut short: the xz stream ends in the middle of a file. */
static void test_truncated(void)
{
	char *big = xmalloc(1 << 18);
	uint64_t x = 88172645463325252u;
	for (size_t i = 0; i < 1 << 18; i++) { /* xorshift: text xz cannot squeeze much */
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		big[i] = "abcdefghijklmnopqrstuvwxyz\n"[x % 27];
	}
	big[(1 << 18) - 1] = '\0';
	struct ent ents[] = { { "pkg/", 'd', 0755, NULL }, { "pkg/big", 'f', 0644, big } };
	char *archive = make_archive("big.tar.xz", "xz", ents, 2);
	char *cut = at("cut.tar.xz"), *dest = at("out/cut");
	struct strbuf sb = STRBUF_INIT;
	if (file_read(archive, &sb) < 0 || file_write_atomic(cut, sb.data, sb.len / 2) < 0)
		BUG("cannot cut %s", archive);
	is_int(unpack(cut, dest, "pkg"), -1, "a truncated archive is an error");
	/* What follows is libarchive's wording, which its versions change. */
	char *want = xasprintf("bootstrap: error: cannot read '%s' at entry 'pkg/big': ", cut);
	ok(str_starts_with(errbuf, want), "naming the archive and the entry: %s", errbuf);
	ok(!path_exists(dest), "and leaves no destination");
	strbuf_release(&sb);
	free(want), free(big), free(archive), free(cut), free(dest);
}

/* A setuid or setgid program in a tarball lands without those bits. */
static void test_setuid(void)
{
	struct ent ents[] = { { "pkg/", 'd', 0755, NULL }, { "pkg/su", 'f', 04755, "x\n" },
			      { "pkg/sg", 'f', 02711, "y\n" }, { "pkg/bin/", 'd', 02755, NULL } };
	char *archive = make_archive("setuid.tar.gz", "gzip", ents, 4), *dest = at("out/setuid");
	char *bin = xasprintf("%s/bin", dest);
	is_int(unpack(archive, dest, "pkg"), 0, "a tarball with setuid and setgid entries unpacks");
	check_file(dest, "su", "x\n", 0755, "setuid");
	check_file(dest, "sg", "y\n", 0711, "setgid");
	struct stat st;
	ok(stat(bin, &st) == 0 && (st.st_mode & 07777) == 0755, "a setgid folder loses the bit");
	free(archive), free(dest), free(bin);
}

int main(void)
{
	if (!mkdtemp(tmp))
		BUG("mkdtemp");
	test_formats();
	test_no_top();
	test_gnu_tar();
	test_dotdot();
	test_absolute();
	test_symlinks();
	test_hardlinks();
	test_symlink_over_folder();
	test_other_refusals();
	test_bad_input();
	test_not_archives();
	test_truncated();
	test_setuid();
	remove_tree(tmp);
	return tap_done();
}
