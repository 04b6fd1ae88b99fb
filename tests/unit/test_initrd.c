/* initrd: pack fixture boxroots, read them back with libarchive, compare
 * packs byte for byte, and check every refusal's exact text. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/arena.h"
#include "src/digest.h"
#include "src/file.h"
#include "src/initrd.h"
#include "src/strbuf.h"
#include "src/util.h"
#include "tap.h"

#define EPOCH 1700000000LL
#define NOBODY 65534

static char top[] = "/tmp/test-initrd-XXXXXX";
static struct arena *A; /* the test's strings, freed at the end */

static char *keep(char *s) /* moves a malloc'd string into the arena */
{
	char *k = arena_strdup(A, s);
	free(s);
	return k;
}

#define fmt(...) keep(xasprintf(__VA_ARGS__))

/* --- fixture trees ------------------------------------------------------- */

enum kind { DIR_, FILE_, LINK_, HARD_, FIFO_ };

struct spec {
	enum kind kind;
	const char *path;
	mode_t perm;
	const char *data; /* file content, link target, hard link's other name */
};

static const char blob_tag[] = "<blob>"; /* data: the busybox-like blob */
static char *blob;
enum { BLOB_SIZE = 200000 };

static const struct spec tree[] = {
	{ DIR_, "bin", 0755, NULL },
	{ FILE_, "bin/busybox", 0755, blob_tag },
	{ LINK_, "bin/sh", 0, "busybox" },
	{ DIR_, "etc", 0755, NULL },
	{ FILE_, "etc/Zfile", 0600, "upper\n" },
	{ FILE_, "etc/build-id", 0644, "zlib 1.3.1 0123abcd\n" },
	{ FILE_, "etc/empty", 0644, "" },
	{ FILE_, "etc/hosts", 0644, "127.0.0.1 localhost\n" },
	{ HARD_, "etc/hosts.link", 0, "etc/hosts" },
	{ LINK_, "etc/mtab", 0, "/proc/mounts" },
	{ DIR_, "lib", 0755, NULL },
	{ DIR_, "lib/x", 0700, NULL },
	{ FILE_, "lib/x/data", 0644, "d\n" },
	{ FILE_, "lib-x", 0644, "x\n" },
	{ DIR_, "run", 0755, NULL },
	{ FIFO_, "run/fifo", 0600, NULL },
	{ DIR_, "usr", 0755, NULL },
	{ DIR_, "usr/bin", 0755, NULL },
	{ HARD_, "usr/bin/busybox", 0, "bin/busybox" }, /* a link across folders */
	{ DIR_, "usr/share", 0755, NULL },
	{ DIR_, "usr/share/doc", 0755, NULL },
	{ FILE_, "usr/share/doc/caf\xc3\xa9", 0644, "utf8\n" },
};
#define NTREE (sizeof tree / sizeof tree[0])

static const char init_text[] = "#!/bin/sh\necho init\n";

/* Random bytes, so the compressors have real work, the same every run. */
static void make_blob(void)
{
	blob = xmalloc(BLOB_SIZE);
	unsigned x = 2463534242u;
	for (size_t i = 0; i < BLOB_SIZE; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		blob[i] = (char)(i % 3 ? x : 'b'); /* compressible, but not trivially */
	}
}

static char *at(const char *dir, const char *rel)
{
	return fmt("%s/%s", dir, rel);
}

static void write_file(const char *path, const char *data, size_t len, mode_t perm)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd) < 0 || chmod(path, perm) < 0)
		BUG("cannot write %s", path);
}

static void parent_dirs(const char *path)
{
	char *d = arena_strdup(A, path);
	*strrchr(d, '/') = '\0';
	if (mkdir_p(d) < 0)
		BUG("mkdir_p %s", d);
}

static void make_one(const char *root, const struct spec *s)
{
	char *p = at(root, s->path);
	parent_dirs(p);
	int r = 0;
	if (s->kind == DIR_)
		r = (mkdir(p, 0700) < 0 && errno != EEXIST) || chmod(p, s->perm) < 0;
	else if (s->kind == FILE_ && s->data == blob_tag)
		write_file(p, blob, BLOB_SIZE, s->perm);
	else if (s->kind == FILE_)
		write_file(p, s->data, strlen(s->data), s->perm);
	else if (s->kind == LINK_)
		r = symlink(s->data, p);
	else if (s->kind == FIFO_)
		r = mkfifo(p, 0600) < 0 || chmod(p, s->perm) < 0;
	else {
		char *other = at(root, s->data);
		r = link(other, p);
	}
	if (r)
		BUG("cannot make %s", p);
}

static void set_mtime(const char *root, const char *rel, long long t)
{
	char *p = at(root, rel);
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };
	if (utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW) < 0)
		BUG("utimensat %s", p);
}

/* reverse: the same tree made in the opposite order (hard links last), so
 * readdir and the host's inode numbers come out differently. Every mtime is
 * mtime or later. */
static char *make_tree(const char *name, bool reverse, long long mtime)
{
	char *root = at(top, name);
	if (mkdir(root, 0755) < 0)
		BUG("mkdir %s", root);
	for (size_t k = 0; k < NTREE; k++) {
		const struct spec *s = &tree[reverse ? NTREE - 1 - k : k];
		if (!reverse || s->kind != HARD_)
			make_one(root, s);
	}
	for (size_t k = 0; reverse && k < NTREE; k++)
		if (tree[k].kind == HARD_)
			make_one(root, &tree[k]);
	for (size_t k = 0; k < NTREE; k++)
		set_mtime(root, tree[k].path, mtime + (long long)k * 1000);
	return root;
}

/* --- reading an image back ----------------------------------------------- */

struct member {
	char *path, *symlink, *hardlink;
	mode_t mode;
	long long size, mtime, ino;
	unsigned nlink, uid, gid, dev, rmajor, rminor;
	char sum[DIGEST_HEX_LEN + 1]; /* of the data */
};

struct image {
	struct member m[64];
	size_t n;
	int filter;
};

static void data_sum(struct archive *a, char sum[DIGEST_HEX_LEN + 1])
{
	struct digest *d = digest_sha256_new();
	char buf[65536];
	la_ssize_t n;
	while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
		digest_update(d, buf, (size_t)n);
	digest_final_hex(d, sum);
	digest_free(d);
}

static void member_read(struct archive *a, struct archive_entry *e, struct member *m)
{
	const char *s = archive_entry_symlink(e), *h = archive_entry_hardlink(e);
	*m = (struct member){
		.path = arena_strdup(A, archive_entry_pathname(e)),
		.symlink = s ? arena_strdup(A, s) : NULL,
		.hardlink = h ? arena_strdup(A, h) : NULL,
		.mode = archive_entry_mode(e),
		.size = archive_entry_size(e),
		.mtime = archive_entry_mtime(e),
		.ino = archive_entry_ino64(e),
		.nlink = archive_entry_nlink(e),
		.uid = (unsigned)archive_entry_uid(e),
		.gid = (unsigned)archive_entry_gid(e),
		.dev = (unsigned)archive_entry_dev(e),
		.rmajor = (unsigned)archive_entry_rdevmajor(e),
		.rminor = (unsigned)archive_entry_rdevminor(e),
	};
	data_sum(a, m->sum);
}

static int image_read(const char *path, struct image *img)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	archive_read_support_filter_all(a);
	archive_read_support_format_cpio(a);
	int r = archive_read_open_filename(a, path, 65536);
	img->n = 0;
	while (r == ARCHIVE_OK && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK &&
	       img->n < 64)
		member_read(a, e, &img->m[img->n++]);
	img->filter = archive_filter_code(a, 0);
	if (r != ARCHIVE_EOF)
		printf("# reading %s: %s\n", path, archive_error_string(a));
	archive_read_free(a);
	return r == ARCHIVE_EOF ? 0 : -1;
}

/* The archive's bytes with the compression taken off. */
static int image_raw(const char *path, struct strbuf *out)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	int r = archive_read_open_filename(a, path, 65536);
	if (r == ARCHIVE_OK)
		r = archive_read_next_header(a, &e);
	char buf[65536];
	la_ssize_t n;
	while (r == ARCHIVE_OK && (n = archive_read_data(a, buf, sizeof buf)) > 0)
		strbuf_add(out, buf, (size_t)n);
	archive_read_free(a);
	return r;
}

static const struct member *member_find(const struct image *img, const char *path)
{
	for (size_t i = 0; i < img->n; i++)
		if (!strcmp(img->m[i].path, path))
			return &img->m[i];
	return NULL;
}

/* --- helpers ------------------------------------------------------------- */

static char *slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	if (file_read_quiet(path, &sb) < 0)
		return NULL;
	return keep(strbuf_detach(&sb));
}

static struct capture stderr_capture;

static void stderr_begin(void)
{
	stderr_capture = capture_begin();
}

/* What was printed since stderr_begin, with its final newline. */
static char *stderr_end(void)
{
	char buf[8192];
	capture_end(&stderr_capture, buf, sizeof buf);
	return keep(xasprintf("%s%s", buf, *buf ? "\n" : ""));
}

/* Packs with stderr captured; returns what was printed, *ret the result. */
static char *pack_capture(const struct initrd_opts *o, int *ret)
{
	stderr_begin();
	*ret = initrd_pack(o);
	return stderr_end();
}

/* The names in dir, sorted and space-separated: to see what a pack left. */
static char *dir_names(const char *dir)
{
	char **names;
	size_t n;
	struct strbuf sb = STRBUF_INIT;
	if (dir_list(dir, NULL, &names, &n) < 0)
		return "?";
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", names[i]);
	names_free(names, n);
	return keep(strbuf_detach(&sb));
}

static char *new_dir(const char *name, mode_t perm)
{
	char *d = at(top, name);
	if (mkdir(d, perm) < 0 || chmod(d, perm) < 0)
		BUG("mkdir %s", d);
	return d;
}

static struct initrd_opts opts_for(const char *root, const char *out, const char *compress)
{
	return (struct initrd_opts){ .root = root, .out = out, .compress = compress, .epoch = EPOCH };
}

static char *sum_of_text(const char *s, size_t len)
{
	char *hex = arena_alloc(A, DIGEST_HEX_LEN + 1);
	digest_sha256_buf(s, len, hex);
	return hex;
}

/* --- the tests ----------------------------------------------------------- */

struct want {
	const char *path;
	mode_t mode;
	long long size; /* -1: not checked (symlinks) */
	unsigned nlink;
	const char *link; /* symlink target */
	unsigned rmajor, rminor;
};

/* Sorted bytewise: "Z" before "b", "lib-x" before "lib/x". The first name
 * of a hard-linked pair has no data: newc puts it with the last, and the
 * order stays sorted even when the names are in different folders. */
static const struct want fixture_image[] = {
	{ "bin", S_IFDIR | 0755, 0, 2, NULL, 0, 0 },
	{ "bin/busybox", S_IFREG | 0755, 0, 2, NULL, 0, 0 },
	{ "bin/sh", S_IFLNK | 0777, -1, 1, "busybox", 0, 0 },
	{ "dev", S_IFDIR | 0755, 0, 2, NULL, 0, 0 },
	{ "dev/console", S_IFCHR | 0600, 0, 1, NULL, 5, 1 },
	{ "dev/null", S_IFCHR | 0666, 0, 1, NULL, 1, 3 },
	{ "etc", S_IFDIR | 0755, 0, 2, NULL, 0, 0 },
	{ "etc/Zfile", S_IFREG | 0600, 6, 1, NULL, 0, 0 },
	{ "etc/build-id", S_IFREG | 0644, 20, 1, NULL, 0, 0 },
	{ "etc/empty", S_IFREG | 0644, 0, 1, NULL, 0, 0 },
	{ "etc/hosts", S_IFREG | 0644, 0, 2, NULL, 0, 0 },
	{ "etc/hosts.link", S_IFREG | 0644, 20, 2, NULL, 0, 0 },
	{ "etc/mtab", S_IFLNK | 0777, -1, 1, "/proc/mounts", 0, 0 },
	{ "init", S_IFREG | 0755, sizeof init_text - 1, 1, NULL, 0, 0 },
	{ "lib", S_IFDIR | 0755, 0, 3, NULL, 0, 0 },
	{ "lib-x", S_IFREG | 0644, 2, 1, NULL, 0, 0 },
	{ "lib/x", S_IFDIR | 0700, 0, 2, NULL, 0, 0 },
	{ "lib/x/data", S_IFREG | 0644, 2, 1, NULL, 0, 0 },
	{ "run", S_IFDIR | 0755, 0, 2, NULL, 0, 0 },
	{ "run/fifo", S_IFIFO | 0600, 0, 1, NULL, 0, 0 },
	{ "usr", S_IFDIR | 0755, 0, 4, NULL, 0, 0 },
	{ "usr/bin", S_IFDIR | 0755, 0, 2, NULL, 0, 0 },
	{ "usr/bin/busybox", S_IFREG | 0755, BLOB_SIZE, 2, NULL, 0, 0 },
	{ "usr/share", S_IFDIR | 0755, 0, 3, NULL, 0, 0 },
	{ "usr/share/doc", S_IFDIR | 0755, 0, 2, NULL, 0, 0 },
	{ "usr/share/doc/caf\xc3\xa9", S_IFREG | 0644, 5, 1, NULL, 0, 0 },
};
#define NWANT (sizeof fixture_image / sizeof fixture_image[0])

static int member_matches(const struct member *m, const struct want *w)
{
	int bad = strcmp(m->path, w->path) != 0 || m->mode != w->mode || m->nlink != w->nlink;
	bad |= w->size >= 0 && m->size != w->size;
	bad |= (w->link || m->symlink) && (!w->link || !m->symlink || strcmp(w->link, m->symlink));
	bad |= m->rmajor != w->rmajor || m->rminor != w->rminor;
	bad |= m->uid != 0 || m->gid != 0 || m->dev != 0;
	if (bad)
		printf("#   got %s mode %o size %lld nlink %u link %s rdev %u,%u uid %u gid %u dev %u\n",
		       m->path, (unsigned)m->mode, m->size, m->nlink, m->symlink ? m->symlink : "-",
		       m->rmajor, m->rminor, m->uid, m->gid, m->dev);
	return !bad;
}

/* Inode numbers count up from 1 in path order; a hard link repeats its
 * group's. */
static int inodes_sequential(const struct image *img)
{
	long long next = 1;
	for (size_t i = 0; i < img->n; i++) {
		const struct member *m = &img->m[i];
		bool linked = false;
		for (size_t j = 0; j < i; j++)
			linked |= S_ISREG(m->mode) && m->nlink > 1 && img->m[j].ino == m->ino;
		if (!linked && m->ino != next++)
			return 0;
	}
	return 1;
}

static bool same_inode(const struct image *img, const char *a, const char *b)
{
	const struct member *x = member_find(img, a), *y = member_find(img, b);
	return x && y && x->ino == y->ino;
}

static const struct spec *spec_find(const char *path)
{
	for (size_t i = 0; i < NTREE; i++)
		if (!strcmp(tree[i].path, path))
			return tree[i].kind == HARD_ ? spec_find(tree[i].data) : &tree[i];
	return NULL;
}

/* Every member with data has its file's bytes (the sizes, and so which
 * name of a hard-linked file has the data, are in fixture_image). */
static int data_matches(const struct image *img)
{
	int good = 1;
	for (size_t i = 0; i < img->n; i++) {
		const struct member *m = &img->m[i];
		const struct spec *s = spec_find(m->path);
		if (!S_ISREG(m->mode) || !s || m->size == 0)
			continue;
		char *want = s->data == blob_tag ? sum_of_text(blob, BLOB_SIZE)
						 : sum_of_text(s->data, strlen(s->data));
		if (strcmp(want, m->sum))
			printf("#   wrong data in %s\n", m->path);
		good &= !strcmp(want, m->sum);
	}
	return good;
}

static void test_read_back(const char *root, const char *init)
{
	char *out = at(top, "fixture.cpio.gz");
	struct initrd_opts o = opts_for(root, out, NULL);
	o.init = init;
	ok(initrd_pack(&o) == 0, "pack the fixture boxroot");
	struct image img;
	ok(image_read(out, &img) == 0, "libarchive reads it back");
	is_int(img.filter, ARCHIVE_FILTER_GZIP, "gzip when COMPRESS is not given");
	is_int(img.n, NWANT, "every member, the /dev entries and /init, nothing else");
	int good = img.n == NWANT;
	for (size_t i = 0; good && i < NWANT; i++)
		good = member_matches(&img.m[i], &fixture_image[i]);
	ok(good, "sorted bytewise; paths, modes, sizes, links, devices, link counts; owner 0:0");
	ok(inodes_sequential(&img), "inode numbers follow path order");
	ok(same_inode(&img, "etc/hosts", "etc/hosts.link") &&
		   same_inode(&img, "bin/busybox", "usr/bin/busybox"),
	   "each hard-linked pair shares one");
	ok(data_matches(&img), "file data, and each linked pair's with its last name");
	int clamped = 1;
	for (size_t i = 0; i < img.n; i++)
		clamped &= img.m[i].mtime == EPOCH;
	ok(clamped, "every mtime above SOURCE_DATE_EPOCH is clamped to it");
}

static void test_gzip_header_and_sum(void)
{
	char *out = at(top, "fixture.cpio.gz");
	char *sumfile = fmt("%s.sha256", out);
	char *text = slurp(sumfile), hex[DIGEST_HEX_LEN + 1];
	digest_sha256_file(out, hex);
	char *want = fmt("%s  fixture.cpio.gz\n", hex);
	is_str(text, want, "out.sha256 in sha256sum's format, for the bytes written");
	unsigned char head[10] = { 0 };
	int fd = open(out, O_RDONLY);
	ok(read(fd, head, 10) == 10 && head[0] == 0x1f && head[1] == 0x8b, "a gzip stream");
	close(fd);
	ok(!head[4] && !head[5] && !head[6] && !head[7] && !(head[3] & 0x08),
	   "the gzip header has no time and no name");
	char *names = dir_names(top);
	ok(!strstr(names, ".tmp."), "no temp file left (%s)", names);
}

static bool same_bytes(const char *a, const char *b)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	bool same = file_read_quiet(a, &x) == 0 && file_read_quiet(b, &y) == 0 && x.len == y.len &&
		    !memcmp(x.data, y.data, x.len);
	strbuf_release(&x);
	strbuf_release(&y);
	return same;
}

static void test_reproducible(const char *root, const char *init)
{
	char *other = make_tree("other", true, EPOCH + 5000000);
	char *a = at(top, "a.cpio.gz"), *b = at(top, "b.cpio.gz");
	struct initrd_opts oa = opts_for(root, a, "gzip"), ob = opts_for(other, b, "gzip");
	oa.init = ob.init = init;
	ok(initrd_pack(&oa) == 0 && initrd_pack(&ob) == 0, "pack two copies of the tree");
	ok(same_bytes(a, b), "made in another order with other mtimes: the same bytes");
	char *sa = at(top, "a.cpio.gz.sha256");
	char *ta = slurp(sa);
	ok(ta && strstr(ta, "  a.cpio.gz\n"), "each .sha256 names its own file");
	set_mtime(other, "etc/empty", EPOCH - 86400);
	ok(initrd_pack(&ob) == 0, "pack again with one file older than the epoch");
	struct image img;
	image_read(b, &img);
	const struct member *m = member_find(&img, "etc/empty"), *n = member_find(&img, "etc/hosts");
	ok(m && m->mtime == EPOCH - 86400 && n && n->mtime == EPOCH,
	   "an mtime below the epoch is kept, the rest clamped");
	remove_tree(other);
}

static bool program_exists(const char *name)
{
	char *cmd = fmt("command -v %s >/dev/null 2>&1", name);
	int r = system(cmd);
	return r == 0;
}

/* Each compressor: readable, detected as itself, the same cpio inside. */
static void test_compressors(const char *root)
{
	static const struct {
		const char *name;
		int code;
	} cs[] = { { "none", ARCHIVE_FILTER_NONE },
		   { "gzip", ARCHIVE_FILTER_GZIP },
		   { "zstd", ARCHIVE_FILTER_ZSTD },
		   { "xz", ARCHIVE_FILTER_XZ } };
	struct strbuf plain = STRBUF_INIT;
	for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
		if (!strcmp(cs[i].name, "xz") && !program_exists("xz")) {
			ok(1, "# SKIP COMPRESS=xz: no xz program");
			continue;
		}
		char *out = fmt("%s/c%s", top, initrd_suffix(cs[i].name));
		struct initrd_opts o = opts_for(root, out, cs[i].name);
		struct image img = { .n = 0 };
		ok(initrd_pack(&o) == 0 && image_read(out, &img) == 0 && img.n == NWANT - 1 &&
			   img.filter == cs[i].code,
		   "COMPRESS=%s: a readable %s archive", cs[i].name, cs[i].name);
		struct strbuf raw = STRBUF_INIT;
		image_raw(out, &raw);
		if (i == 0)
			strbuf_add(&plain, raw.data, raw.len);
		ok(raw.len == plain.len && !memcmp(raw.data, plain.data, raw.len) && raw.len % 4 == 0,
		   "COMPRESS=%s holds the same cpio bytes", cs[i].name);
		strbuf_release(&raw);
	}
	strbuf_release(&plain);
}

/* The kernel's xz decoder checks CRC32 only; libarchive's writes CRC64. */
static void test_xz_check(void)
{
	if (!program_exists("xz")) {
		ok(1, "# SKIP xz check type: no xz program");
		return;
	}
	char *out = at(top, "c.xz");
	unsigned char head[8] = { 0 };
	int fd = open(out, O_RDONLY);
	ok(read(fd, head, 8) == 8 && !memcmp(head, "\xfd" "7zXZ\0", 6) && head[6] == 0 &&
		   head[7] == 1,
	   "xz stream flags say CRC32, as the kernel needs");
	close(fd);
}

static int gzip_xfl(const char *root, int level)
{
	char *out = at(top, "level.gz");
	struct initrd_opts o = opts_for(root, out, "gzip");
	o.level = level;
	unsigned char head[10] = { 0 };
	int fd = initrd_pack(&o) == 0 ? open(out, O_RDONLY) : -1;
	if (fd < 0 || read(fd, head, 10) != 10)
		head[8] = 0xff;
	if (fd >= 0)
		close(fd);
	return head[8];
}

static void test_levels(const char *root)
{
	is_int(gzip_xfl(root, 1), 4, "COMPRESS_LEVEL=1: gzip's fastest (XFL 4)");
	is_int(gzip_xfl(root, 9), 2, "COMPRESS_LEVEL=9: gzip's best (XFL 2)");
}

/* An overlay (config/rootfs) wins over the boxroot, /init over both, and
 * what the boxroot has in /dev stays as it is. */
static void test_overlay(const char *init)
{
	char *root = new_dir("box2", 0755), *over = new_dir("over", 0755);
	static const struct spec box[] = {
		{ DIR_, "dev", 0700, NULL },     { FILE_, "dev/null", 0644, "not a device\n" },
		{ DIR_, "etc", 0755, NULL },     { FILE_, "etc/motd", 0644, "old\n" },
		{ FILE_, "init", 0644, "old init\n" }, { DIR_, "lib", 0755, NULL },
		{ FILE_, "lib/a", 0644, "a\n" },
	};
	static const struct spec top_[] = {
		{ DIR_, "etc", 0755, NULL },
		{ FILE_, "etc/motd", 0600, "new motd\n" },
		{ FILE_, "etc/extra", 0644, "extra\n" },
	};
	for (size_t i = 0; i < sizeof box / sizeof box[0]; i++)
		make_one(root, &box[i]);
	for (size_t i = 0; i < sizeof top_ / sizeof top_[0]; i++)
		make_one(over, &top_[i]);
	char *out = at(top, "overlay.cpio");
	struct initrd_opts o = opts_for(root, out, "none");
	o.overlay = over;
	o.init = init;
	struct image img = { .n = 0 };
	ok(initrd_pack(&o) == 0 && image_read(out, &img) == 0, "pack a boxroot with an overlay");
	const struct member *motd = member_find(&img, "etc/motd"), *in = member_find(&img, "init");
	char *want_motd = sum_of_text("new motd\n", 9), *want_init = sum_of_text(init_text, strlen(init_text));
	ok(motd && motd->mode == (S_IFREG | 0600) && !strcmp(motd->sum, want_motd),
	   "the overlay's file replaces the boxroot's");
	ok(member_find(&img, "etc/extra") && member_find(&img, "lib/a"), "and both trees' other files are in");
	ok(in && in->mode == (S_IFREG | 0755) && !strcmp(in->sum, want_init),
	   "/init comes from the init file, mode 0755");
	const struct member *dev = member_find(&img, "dev"), *null = member_find(&img, "dev/null"),
			    *con = member_find(&img, "dev/console");
	ok(dev && dev->mode == (S_IFDIR | 0700) && null && S_ISREG(null->mode) && con &&
		   con->mode == (S_IFCHR | 0600) && con->rmajor == 5 && con->rminor == 1,
	   "the boxroot's /dev entries are kept; only the missing console is added");
	is_int(img.n, 9, "no member twice");
}

static void test_clash(void)
{
	char *root = at(top, "box2"), *over = new_dir("over2", 0755);
	char *lib = at(over, "lib"), *out = at(top, "clash.cpio");
	write_file(lib, "a file\n", 7, 0644);
	struct initrd_opts o = opts_for(root, out, "none");
	o.overlay = over;
	int ret;
	char *err = pack_capture(&o, &ret);
	char *want = fmt("bootstrap: error: '%s/lib' is not a folder, so '%s/lib/a' cannot go "
			       "inside it\n", over, root);
	ok(ret == -1, "an overlay file where the boxroot has a folder is refused");
	is_str(err, want, "naming both");
	ok(!path_exists(out), "and nothing is written");
}

/* --- refusals ------------------------------------------------------------ */

static char *errs; /* the output folder of the refusal tests */

/* What a failed pack must leave: the previous image and sum, untouched. */
static void old_image(void)
{
	char *a = at(errs, "initrd.cpio.gz"), *b = at(errs, "initrd.cpio.gz.sha256");
	write_file(a, "old image\n", 10, 0644);
	write_file(b, "old sum\n", 8, 0644);
}

static bool old_image_kept(void)
{
	char *names = dir_names(errs);
	char *a = at(errs, "initrd.cpio.gz"), *b = at(errs, "initrd.cpio.gz.sha256");
	char *ta = slurp(a), *tb = slurp(b);
	bool kept = !strcmp(names, "initrd.cpio.gz initrd.cpio.gz.sha256") && ta && tb &&
		    !strcmp(ta, "old image\n") && !strcmp(tb, "old sum\n");
	if (!kept)
		printf("#   left in %s: %s\n", errs, names);
	return kept;
}

static void refused(const struct initrd_opts *o, const char *want, const char *what)
{
	int ret;
	char *err = pack_capture(o, &ret);
	ok(ret == -1, "%s: refused", what);
	is_str(err, want, "%s: the message", what);
	ok(old_image_kept(), "%s: no output, no temp file, the old image kept", what);
}

static void test_bad_roots(void)
{
	char *out = at(errs, "initrd.cpio.gz"), *missing = at(top, "missing");
	struct initrd_opts o = opts_for(missing, out, NULL);
	char *want = fmt("bootstrap: error: boxroot '%s' does not exist\n", missing);
	refused(&o, want, "a missing boxroot");
	char *file = at(top, "not-a-folder");
	write_file(file, "x", 1, 0644);
	o.root = file;
	want = fmt("bootstrap: error: boxroot '%s' is not a folder\n", file);
	refused(&o, want, "a boxroot that is a file");
}

static void test_socket(void)
{
	char *root = new_dir("sockbox", 0755), *run = at(root, "run");
	char *sock = at(root, "run/ctl"), *out = at(errs, "initrd.cpio.gz");
	mkdir(run, 0755);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ok(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0, "make a socket in a boxroot");
	struct initrd_opts o = opts_for(root, out, NULL);
	char *want = fmt("bootstrap: error: '%s' is a socket, which an initrd cannot hold; "
			       "remove it\n", sock);
	refused(&o, want, "a socket");
	close(fd);
}

/* root reads everything whatever its mode says, so as root the pack runs in
 * a child that has become nobody. NULL: could not become nobody. */
static char *pack_unprivileged(const struct initrd_opts *o, int *ret)
{
	if (geteuid() != 0)
		return pack_capture(o, ret);
	stderr_begin();
	pid_t pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
			_exit(77);
		_exit(initrd_pack(o) == -1 ? 0 : 1); /* _exit: no leak check of the parent's heap */
	}
	int status = 0;
	waitpid(pid, &status, 0);
	char *err = stderr_end();
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		return NULL;
	}
	*ret = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? -1 : 0;
	return err;
}

static void test_unreadable(const char *rel, bool folder)
{
	char *root = new_dir(folder ? "lockdir" : "lockfile", 0755);
	char *p = at(root, rel), *out = at(errs, "initrd.cpio.gz");
	make_one(root, &tree[0]);
	make_one(root, &tree[1]);
	parent_dirs(p);
	if (folder)
		mkdir(p, 0700);
	else
		write_file(p, "secret\n", 7, 0600);
	chmod(p, 0); /* blocks everyone but root */
	struct initrd_opts o = opts_for(root, out, NULL);
	int ret = 0;
	char *err = pack_unprivileged(&o, &ret);
	const char *what = folder ? "an unreadable folder" : "an unreadable file";
	if (!err) {
		ok(1, "# SKIP %s: running as root and cannot become nobody", what);
	} else {
		char *want = fmt("bootstrap: error: cannot read %s'%s': Permission denied\n",
				       folder ? "folder " : "", p);
		ok(ret == -1, "%s: refused", what);
		is_str(err, want, "%s: the message names it", what);
		ok(old_image_kept(), "%s: no output, no temp file, the old image kept", what);
	}
	chmod(p, 0700);
}

static void test_bad_options(const char *root)
{
	char *out = at(errs, "initrd.cpio.gz");
	struct initrd_opts o = opts_for(root, out, "lz4");
	refused(&o, "bootstrap: error: unknown COMPRESS 'lz4' (valid: gzip, zstd, xz, none)\n",
		"an unknown COMPRESS");
	o = opts_for(root, out, "gzip");
	o.level = 10;
	refused(&o, "bootstrap: error: COMPRESS_LEVEL 10 is out of range; gzip takes 1-9\n",
		"gzip level 10");
	o.level = 0;
	o.epoch = -1;
	refused(&o, "bootstrap: error: SOURCE_DATE_EPOCH -1 is out of range; cpio newc holds "
		    "0-4294967295\n", "a negative epoch");
}

int main(void)
{
	double t0 = now_seconds();
	A = arena_new();
	if (!mkdtemp(top) || chmod(top, 0755) < 0) /* nobody must reach the trees */
		BUG("mkdtemp");
	make_blob();
	char *init = at(top, "init.sh");
	write_file(init, init_text, strlen(init_text), 0644);
	char *root = make_tree("root", false, EPOCH + 1000);
	test_read_back(root, init);
	test_gzip_header_and_sum();
	test_reproducible(root, init);
	test_compressors(root);
	test_xz_check();
	test_levels(root);
	test_overlay(init);
	test_clash();
	errs = new_dir("errs", 0777);
	old_image();
	test_bad_roots();
	test_socket();
	test_unreadable("etc/secret", false);
	test_unreadable("private", true);
	test_bad_options(root);
	printf("# %.2f s\n", now_seconds() - t0);
	remove_tree(top);
	arena_free(A);
	free(blob);
	return tap_done();
}
