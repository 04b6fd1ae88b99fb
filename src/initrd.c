/* initrd.c: collect the image's members, order and number them, then stream
 * them through libarchive's newc writer into a temp file that is renamed
 * into place. The members are all known before a byte is written, so
 * everything that makes the output depend on the host (readdir order, inode
 * numbers, link counts, times) is settled in memory first. */
#include "initrd.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "arena.h"
#include "digest.h"
#include "epoch.h"
#include "file.h"
#include "strbuf.h"
#include "util.h"

/* cpio newc stores times and inode numbers in 8 hex digits. */
#define NEWC_MAX 0xffffffffLL

enum filter { FILTER_GZIP, FILTER_ZSTD, FILTER_XZ, FILTER_NONE };

struct compressor {
	const char *name, *suffix;
	enum filter filter;
	int min, max; /* COMPRESS_LEVEL range; 0, 0: takes none */
};

static const struct compressor compressors[] = {
	{ "gzip", ".gz", FILTER_GZIP, 1, 9 },
	{ "zstd", ".zst", FILTER_ZSTD, 1, 19 },
	{ "xz", ".xz", FILTER_XZ, 1, 9 },
	{ "none", "", FILTER_NONE, 0, 0 },
};
#define NCOMPRESSORS (sizeof compressors / sizeof compressors[0])

/* Where a member comes from. When two claim a path the higher rank wins, so
 * the defaults for /dev only fill gaps and /init replaces whatever is there. */
enum rank { RANK_DEFAULT, RANK_ROOT, RANK_OVERLAY, RANK_INIT };

struct node {
	const char *path; /* in the image, no leading slash: "bin/sh" */
	const char *src;  /* the file it is read from; NULL for made-up devices */
	struct stat st;
	enum rank rank;
	size_t leader;    /* first member of its hard-link group, else itself */
	bool hollow;      /* a hard link whose data comes with a later name */
	unsigned nlink;
	unsigned ino;
};

struct pack {
	const struct initrd_opts *opts;
	struct arena *arena;
	struct node *nodes;
	size_t n, cap;
	char *buf; /* for copying file data */
};

/* What the writer writes through: the temp file, hashed on the way. */
struct sink {
	int fd;
	struct digest *digest;
};

enum { BUF_SIZE = 1 << 18 };

static const struct compressor *compressor_find(const char *name)
{
	for (size_t i = 0; i < NCOMPRESSORS; i++)
		if (!strcmp(compressors[i].name, name))
			return &compressors[i];
	error("unknown COMPRESS '%s' (valid: gzip, zstd, xz, none)", name);
	return NULL;
}

const char *initrd_suffix(const char *compress)
{
	for (size_t i = 0; i < NCOMPRESSORS; i++)
		if (!strcmp(compressors[i].name, compress))
			return compressors[i].suffix;
	return NULL;
}

static int level_check(const struct compressor *c, int level)
{
	if (level == 0 || c->max == 0)
		return 0;
	if (level < c->min || level > c->max)
		return error("COMPRESS_LEVEL %d is out of range; %s takes %d-%d", level, c->name,
			     c->min, c->max);
	return 0;
}

/* Only plain digits: strtoll would take " 12", "+12" and "12abc" apart. */
static bool all_digits(const char *s)
{
	if (!*s || strlen(s) > 18)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int env_compress(struct initrd_opts *o)
{
	const char *s = getenv("COMPRESS");
	o->compress = s && *s ? s : "gzip";
	const struct compressor *c = compressor_find(o->compress);
	if (!c)
		return -1;
	s = getenv("COMPRESS_LEVEL");
	o->level = 0;
	if (!s || !*s || c->max == 0)
		return 0;
	if (!all_digits(s))
		return error("COMPRESS_LEVEL '%s' is not a number; %s takes %d-%d", s, c->name,
			     c->min, c->max);
	long long v = strtoll(s, NULL, 10);
	if (v < c->min || v > c->max)
		return error("COMPRESS_LEVEL %s is out of range; %s takes %d-%d", s, c->name, c->min,
			     c->max);
	o->level = (int)v;
	return 0;
}

static int epoch_check(long long epoch)
{
	if (epoch < 0 || epoch > NEWC_MAX)
		return error("SOURCE_DATE_EPOCH %lld is out of range; cpio newc holds 0-%lld", epoch,
			     NEWC_MAX);
	return 0;
}

int initrd_opts_from_env(struct initrd_opts *o)
{
	if (env_compress(o) < 0)
		return -1;
	return epoch_from_env(&o->epoch);
}

/* --- collecting the members ---------------------------------------------- */

static struct node *node_add(struct pack *p, const char *path, const char *src,
			     const struct stat *st, enum rank rank)
{
	xgrow(&p->nodes, &p->cap, p->n + 1, sizeof *p->nodes);
	struct node *n = &p->nodes[p->n++];
	*n = (struct node){ .path = path, .src = src, .st = *st, .rank = rank };
	return n;
}

static const char *path_join(struct arena *a, const char *dir, const char *name)
{
	if (!*dir)
		return arena_strdup(a, name);
	size_t d = strlen(dir), n = strlen(name);
	if (dir[d - 1] == '/') /* a root given as "boxroot/" */
		d--;
	char *s = arena_alloc(a, d + n + 2);
	memcpy(s, dir, d);
	s[d] = '/';
	memcpy(s + d + 1, name, n + 1);
	return s;
}

static int walk(struct pack *p, const char *src_dir, const char *dir, enum rank rank);

static int visit(struct pack *p, const char *src_dir, const char *dir, const char *name,
		 enum rank rank)
{
	const char *src = path_join(p->arena, src_dir, name);
	struct stat st;
	if (lstat(src, &st) < 0)
		return error_errno("cannot stat '%s'", src);
	if (S_ISSOCK(st.st_mode))
		return error("'%s' is a socket, which an initrd cannot hold; remove it", src);
	const char *path = path_join(p->arena, dir, name);
	node_add(p, path, src, &st, rank);
	return S_ISDIR(st.st_mode) ? walk(p, src, path, rank) : 0;
}

static int walk(struct pack *p, const char *src_dir, const char *dir, enum rank rank)
{
	DIR *d = opendir(src_dir);
	if (!d)
		return error_errno("cannot read folder '%s'", src_dir);
	int ret = 0;
	struct dirent *e;
	while (ret == 0 && (errno = 0, e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			ret = visit(p, src_dir, dir, e->d_name, rank);
	if (ret == 0 && errno)
		ret = error_errno("cannot read folder '%s'", src_dir);
	closedir(d);
	return ret;
}

static int walk_top(struct pack *p, const char *top, const char *what, enum rank rank)
{
	struct stat st;
	if (stat(top, &st) < 0)
		return errno == ENOENT ? error("%s '%s' does not exist", what, top)
				       : error_errno("cannot read %s '%s'", what, top);
	if (!S_ISDIR(st.st_mode))
		return error("%s '%s' is not a folder", what, top);
	return walk(p, top, "", rank);
}

static void add_device(struct pack *p, const char *path, mode_t mode, int major, int minor)
{
	struct stat st = { .st_mode = mode, .st_rdev = makedev(major, minor), .st_nlink = 1 };
	st.st_mtime = (time_t)p->opts->epoch;
	node_add(p, path, NULL, &st, RANK_DEFAULT);
}

/* The kernel opens /dev/console for init's stdio before init runs, and
 * scripts want /dev/null before devtmpfs is mounted. */
static void add_defaults(struct pack *p)
{
	add_device(p, "dev", S_IFDIR | 0755, 0, 0);
	add_device(p, "dev/console", S_IFCHR | 0600, 5, 1);
	add_device(p, "dev/null", S_IFCHR | 0666, 1, 3);
}

static int add_init(struct pack *p, const char *init)
{
	struct stat st;
	if (stat(init, &st) < 0)
		return error_errno("cannot read init '%s'", init);
	if (!S_ISREG(st.st_mode))
		return error("init '%s' is not a regular file", init);
	st.st_mode = S_IFREG | 0755;
	st.st_nlink = 1; /* never part of a boxroot's hard-link group */
	node_add(p, "init", init, &st, RANK_INIT);
	return 0;
}

/* Bytewise by path, as `LC_ALL=C sort` does; the highest rank first. */
static int node_cmp(const void *a, const void *b)
{
	const struct node *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : (int)y->rank - (int)x->rank;
}

static void drop_shadowed(struct pack *p)
{
	size_t kept = 0;
	for (size_t i = 0; i < p->n; i++)
		if (kept == 0 || strcmp(p->nodes[kept - 1].path, p->nodes[i].path))
			p->nodes[kept++] = p->nodes[i];
	p->n = kept;
}

static struct node *node_find(struct pack *p, const char *path, size_t len)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = p->nodes[mid].path;
		int c = strncmp(s, path, len);
		if (c == 0 && s[len])
			c = 1;
		if (c == 0)
			return &p->nodes[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *node_name(const struct node *n)
{
	return n->src ? n->src : n->path;
}

/* Every member's folder must be a folder in the image: an overlay or /init
 * could have replaced it with a file. Counts each folder's subfolders for
 * its link count on the way. */
static int check_parents(struct pack *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct node *n = &p->nodes[i];
		n->nlink = S_ISDIR(n->st.st_mode) ? 2 : 1;
		const char *slash = strrchr(n->path, '/');
		if (!slash)
			continue;
		struct node *parent = node_find(p, n->path, (size_t)(slash - n->path));
		if (!parent)
			BUG("'%s' has no parent in the image", n->path);
		if (!S_ISDIR(parent->st.st_mode))
			return error("'%s' is not a folder, so '%s' cannot go inside it",
				     node_name(parent), node_name(n));
		if (S_ISDIR(n->st.st_mode))
			parent->nlink++;
	}
	return 0;
}

static bool same_inode(const struct node *x, const struct node *y)
{
	return x->st.st_dev == y->st.st_dev && x->st.st_ino == y->st.st_ino;
}

static int by_inode(const void *a, const void *b)
{
	const struct node *x = *(struct node *const *)a, *y = *(struct node *const *)b;
	if (x->st.st_dev != y->st.st_dev)
		return x->st.st_dev < y->st.st_dev ? -1 : 1;
	if (x->st.st_ino != y->st.st_ino)
		return x->st.st_ino < y->st.st_ino ? -1 : 1;
	return x < y ? -1 : x > y; /* the leader is then the first by path */
}

/* Groups the regular files that share an inode. The link count is the
 * number of names inside the image, not st_nlink, which also counts names
 * outside it. newc carries the data once, with the last name: the kernel
 * makes the first name, links the others to it and writes the data when it
 * comes. Done here rather than with libarchive's link resolver, which holds
 * names back and so breaks the sorted order when links span folders. */
static void link_groups(struct pack *p)
{
	struct node **v = xmalloc((p->n ? p->n : 1) * sizeof *v);
	size_t m = 0;
	for (size_t i = 0; i < p->n; i++) {
		p->nodes[i].leader = i;
		if (S_ISREG(p->nodes[i].st.st_mode) && p->nodes[i].st.st_nlink > 1)
			v[m++] = &p->nodes[i];
	}
	qsort(v, m, sizeof *v, by_inode);
	for (size_t i = 0, j; i < m; i = j) {
		for (j = i + 1; j < m && same_inode(v[i], v[j]); j++)
			;
		for (size_t k = i; k < j; k++) {
			v[k]->leader = (size_t)(v[i] - p->nodes);
			v[k]->nlink = (unsigned)(j - i);
			v[k]->hollow = k + 1 < j;
		}
	}
	free(v);
}

/* Numbers follow the sorted order, so they never depend on the host's. */
static void number_inodes(struct pack *p)
{
	unsigned next = 1;
	for (size_t i = 0; i < p->n; i++) {
		struct node *n = &p->nodes[i];
		n->ino = n->leader == i ? next++ : p->nodes[n->leader].ino;
	}
}

static int collect(struct pack *p)
{
	const struct initrd_opts *o = p->opts;
	if (walk_top(p, o->root, "boxroot", RANK_ROOT) < 0)
		return -1;
	if (o->overlay && walk_top(p, o->overlay, "overlay", RANK_OVERLAY) < 0)
		return -1;
	if (o->init && add_init(p, o->init) < 0)
		return -1;
	add_defaults(p);
	qsort(p->nodes, p->n, sizeof *p->nodes, node_cmp);
	drop_shadowed(p);
	if (check_parents(p) < 0)
		return -1;
	link_groups(p);
	number_inodes(p);
	return 0;
}

/* --- writing ------------------------------------------------------------- */

static la_ssize_t sink_write(struct archive *a, void *data, const void *buf, size_t len)
{
	struct sink *s = data;
	const char *p = buf;
	for (size_t left = len; left;) {
		ssize_t n = write(s->fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			archive_set_error(a, errno, "%s", strerror(errno));
			return -1;
		}
		p += n;
		left -= (size_t)n;
	}
	digest_update(s->digest, buf, len);
	return (la_ssize_t)len;
}

static int set_filter(struct archive *a, const struct compressor *c, int level)
{
	char lv[16];
	snprintf(lv, sizeof lv, "%d", level);
	switch (c->filter) {
	case FILTER_GZIP:
		/* Without this libarchive stamps the gzip header with the time. */
		if (archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
		    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK)
			return -1;
		return level ? archive_write_set_filter_option(a, "gzip", "compression-level", lv) : 0;
	case FILTER_ZSTD:
		if (archive_write_add_filter_zstd(a) != ARCHIVE_OK)
			return -1;
		return level ? archive_write_set_filter_option(a, "zstd", "compression-level", lv) : 0;
	case FILTER_XZ: {
		/* One thread: xz's threaded output differs from its single one. */
		char cmd[64];
		snprintf(cmd, sizeof cmd, "xz -c -q -T1 --check=crc32 -%d", level ? level : 6);
		return archive_write_add_filter_program(a, cmd);
	}
	case FILTER_NONE:
		return archive_write_add_filter_none(a);
	}
	BUG("filter %d", (int)c->filter);
}

static struct archive *writer_open(const struct compressor *c, int level, struct sink *s,
				   const char *tmp)
{
	struct archive *a = archive_write_new();
	if (archive_write_set_format_cpio_newc(a) != ARCHIVE_OK || set_filter(a, c, level) < 0 ||
	    archive_write_set_bytes_per_block(a, 65536) != ARCHIVE_OK ||
	    /* no padding at the end, compressed or not */
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_open(a, s, NULL, sink_write, NULL) != ARCHIVE_OK) {
		error("cannot start writing '%s': %s", tmp, archive_error_string(a));
		archive_write_free(a);
		return NULL;
	}
	return a;
}

static int set_symlink(struct archive_entry *e, const struct node *n)
{
	char target[PATH_MAX];
	ssize_t len = readlink(n->src, target, sizeof target);
	if (len < 0)
		return error_errno("cannot read the link '%s'", n->src);
	if ((size_t)len >= sizeof target)
		return error("the link '%s' is too long", n->src);
	target[len] = '\0';
	archive_entry_copy_symlink(e, target);
	return 0;
}

static struct archive_entry *node_entry(const struct pack *p, const struct node *n)
{
	struct archive_entry *e = archive_entry_new();
	mode_t mode = n->st.st_mode;
	time_t mtime = n->st.st_mtime < 0 ? 0 : n->st.st_mtime;
	/* A folder's time is when an entry last came or went, which says how
	 * the tree was filled (built here, or taken from a cache), not what it
	 * holds: folders are dated SOURCE_DATE_EPOCH. */
	if (S_ISDIR(mode))
		mtime = (time_t)p->opts->epoch;
	archive_entry_copy_pathname(e, n->path);
	archive_entry_set_mode(e, mode & (S_IFMT | 07777));
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_nlink(e, n->nlink);
	archive_entry_set_dev(e, 0);
	archive_entry_set_ino(e, n->ino);
	archive_entry_set_mtime(e, mtime > p->opts->epoch ? (time_t)p->opts->epoch : mtime, 0);
	archive_entry_set_size(e, S_ISREG(mode) && !n->hollow ? n->st.st_size : 0);
	if (S_ISCHR(mode) || S_ISBLK(mode))
		archive_entry_set_rdev(e, n->st.st_rdev);
	if (S_ISLNK(mode) && set_symlink(e, n) < 0) {
		archive_entry_free(e);
		return NULL;
	}
	return e;
}

static int copy_data(struct archive *a, struct pack *p, const char *src, long long size)
{
	int fd = open(src, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return error_errno("cannot read '%s'", src);
	long long done = 0;
	int ret = 0;
	while (ret == 0 && done < size) {
		size_t want = size - done < BUF_SIZE ? (size_t)(size - done) : BUF_SIZE;
		ssize_t n = read(fd, p->buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ret = error_errno("cannot read '%s'", src);
		else if (n == 0)
			ret = error("'%s' shrank while it was packed; pack again", src);
		else if (archive_write_data(a, p->buf, (size_t)n) != n)
			ret = error("cannot write '%s': %s", src, archive_error_string(a));
		done += n > 0 ? n : 0;
	}
	close(fd);
	return ret;
}

static int write_member(struct archive *a, struct pack *p, const struct node *n)
{
	struct archive_entry *e = node_entry(p, n);
	if (!e)
		return -1;
	int ret = 0;
	if (archive_write_header(a, e) != ARCHIVE_OK)
		ret = error("cannot pack '%s': %s", node_name(n), archive_error_string(a));
	else if (archive_entry_size(e) > 0)
		ret = copy_data(a, p, n->src, archive_entry_size(e));
	archive_entry_free(e);
	return ret;
}

static int write_members(struct archive *a, struct pack *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (write_member(a, p, &p->nodes[i]) < 0)
			return -1;
	return 0;
}

static int write_sum(const char *out, const char *hex)
{
	const char *base = strrchr(out, '/');
	char *sum = xasprintf("%s.sha256", out);
	char *line = xasprintf("%s  %s\n", hex, base ? base + 1 : out);
	int ret = file_write_atomic(sum, line, strlen(line));
	free(line);
	free(sum);
	return ret;
}

static int write_archive(struct pack *p, const struct compressor *c, struct sink *s,
			 const char *tmp)
{
	struct archive *a = writer_open(c, p->opts->level, s, tmp);
	if (!a)
		return -1;
	int ret = write_members(a, p);
	if (ret == 0 && archive_write_close(a) != ARCHIVE_OK)
		ret = error("cannot write '%s': %s", tmp, archive_error_string(a));
	archive_write_free(a);
	if (ret == 0 && fsync(s->fd) < 0)
		ret = error_errno("cannot write '%s'", tmp);
	return ret;
}

/* The old .sha256 goes first, so a crash never pairs a new image with an
 * old sum. */
static int commit(const char *tmp, const char *out, const char *hex)
{
	char *sum = xasprintf("%s.sha256", out);
	int ret = unlink(sum) < 0 && errno != ENOENT ? error_errno("cannot remove '%s'", sum) : 0;
	free(sum);
	if (ret == 0)
		ret = file_commit(tmp, out);
	return ret == 0 ? write_sum(out, hex) : -1;
}

static int write_image(struct pack *p, const struct compressor *c)
{
	const char *out = p->opts->out;
	char *tmp;
	struct sink s = { .fd = file_create_temp(out, &tmp) };
	if (s.fd < 0)
		return -1;
	s.digest = digest_sha256_new();
	int ret = write_archive(p, c, &s, tmp);
	if (close(s.fd) < 0 && ret == 0)
		ret = error_errno("cannot write '%s'", tmp);
	char hex[DIGEST_HEX_LEN + 1];
	digest_final_hex(s.digest, hex);
	digest_free(s.digest);
	if (ret == 0)
		ret = commit(tmp, out, hex);
	else
		unlink(tmp);
	free(tmp);
	return ret;
}


static int check_opts(const struct initrd_opts *o, const struct compressor **c)
{
	*c = compressor_find(o->compress ? o->compress : "gzip");
	if (!*c || level_check(*c, o->level) < 0 || epoch_check(o->epoch) < 0)
		return -1;
	if ((*c)->filter == FILTER_XZ && !program_on_path("xz"))
		return error("COMPRESS=xz needs the xz program (Debian package xz-utils)");
	return 0;
}

int initrd_pack(const struct initrd_opts *opts)
{
	const struct compressor *c;
	if (check_opts(opts, &c) < 0)
		return -1;
	struct pack p = { .opts = opts, .arena = arena_new() };
	int ret = collect(&p);
	if (ret == 0) {
		p.buf = xmalloc(BUF_SIZE);
		ret = write_image(&p, c);
	}
	free(p.buf);
	free(p.nodes);
	arena_free(p.arena);
	return ret;
}
