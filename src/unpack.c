/* unpack.c: libarchive extraction with our own checks in front of its secure
 * flags, so that a hostile entry is refused with an error naming it, and the
 * flags remain as a second line of defence. */
#include "unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "strbuf.h"
#include "strv.h"
#include "util.h"

/* libarchive reads 10 KiB at a time by default; big reads feed the
 * decompressors with fewer system calls. */
#define UNPACK_BLOCK (1024 * 1024)

/* No owner restore: the tree belongs to whoever builds, root too (as with
 * tar --no-same-owner). */
#define UNPACK_FLAGS                                                                     \
	(ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS |      \
	 ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM)
/* libarchive's symlink check opens every folder of every entry's path, with
 * no cache (3.6): 860k openat calls for gcc's 140k entries, which added 15 %
 * (tmpfs) to 50 % (a busy ext4) to its unpack here. Until the archive has
 * made a symlink, dest (new or empty) holds none and the check can find
 * nothing, so it is switched on with the first symlink (gcc's one symlink is
 * its 135246th entry of 140408). */
#define UNPACK_FLAGS_SYMLINKS (UNPACK_FLAGS | ARCHIVE_EXTRACT_SECURE_SYMLINKS)

/* Decompression runs in a thread of its own, a few blocks ahead of the
 * writing, as xz and tar do in two processes: on the gcc tarball, undoing the
 * xz takes 5 s of CPU and writing the files 2 to 5 s more. The thread fills
 * the slots of a ring in turn; libarchive's read callback lends them out. */
#define RING_SLOTS 4

struct ring {
	pthread_mutex_t lock;
	pthread_cond_t moved; /* head, tail, eof or stop changed */
	struct archive *raw;  /* the decompressor, used by the thread only */
	char *slot[RING_SLOTS];
	size_t len[RING_SLOTS];
	size_t head, tail; /* slots filled, slots given back: tail <= head */
	bool handed;       /* slot tail is lent to libarchive */
	bool eof, stop, started;
	char *err; /* the decompressor's error, set with eof */
	/* The thread's own: the part of the decompressor's last block that did
	 * not fit in the last slot, and whether the decompressor failed. */
	const char *rest;
	size_t nrest;
	bool failed;
	pthread_t thread;
};

/* The symlinks made so far, by name relative to dest. A hash set, because
 * every parent of every entry is looked up in it. */
struct linkset {
	char **slots;
	size_t cap, n; /* cap: 0 or a power of two */
};

struct unpack {
	const char *path; /* the archive, for messages */
	const char *dest; /* for messages */
	const char *top;  /* the top folder to strip, or NULL */
	const struct unpack_opts *opts;
	struct archive *in, *out;
	int fd; /* the archive's */
	struct ring ring;
	struct linkset links;
	struct strbuf entry;  /* the current entry's name as the archive has it */
	struct strbuf name;   /* ... relative to dest */
	struct strbuf target; /* its hard link target relative to dest */
	struct strbuf why;    /* why it is refused */
	size_t entries;
};

static size_t hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return (size_t)h;
}

/* The slot holding s[0..len), or the empty slot where it would go. */
static char **linkset_slot(const struct linkset *set, const char *s, size_t len)
{
	size_t mask = set->cap - 1;
	for (size_t i = hash(s, len) & mask;; i = (i + 1) & mask) {
		char *k = set->slots[i];
		if (!k || (strncmp(k, s, len) == 0 && k[len] == '\0'))
			return &set->slots[i];
	}
}

static bool linkset_has(const struct linkset *set, const char *s, size_t len)
{
	return set->n && *linkset_slot(set, s, len);
}

static void linkset_grow(struct linkset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64;
	struct linkset bigger = { xcalloc(cap, sizeof(char *)), cap, set->n };
	for (size_t i = 0; i < set->cap; i++) {
		char *k = set->slots[i];
		if (k)
			*linkset_slot(&bigger, k, strlen(k)) = k;
	}
	free(set->slots);
	*set = bigger;
}

static void linkset_add(struct linkset *set, const char *s)
{
	if (2 * (set->n + 1) > set->cap)
		linkset_grow(set);
	char **slot = linkset_slot(set, s, strlen(s));
	if (!*slot) {
		*slot = xstrdup(s);
		set->n++;
	}
}

static void linkset_free(struct linkset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
}

/* Records why an entry is refused; returns -1 for the caller to pass on. */
static int because(struct unpack *u, const char *why)
{
	strbuf_adds(&u->why, why);
	return -1;
}

static bool is_name(const char *p, size_t len, const char *want)
{
	return strlen(want) == len && memcmp(p, want, len) == 0;
}

/* Rewrites name into out, relative to dest: "./" and empty components
 * dropped, top stripped. Refuses (the reason in u->why) what could land
 * outside dest; the symlink check comes after, on the clean name. */
static int clean_name(struct unpack *u, const char *name, struct strbuf *out)
{
	bool at_top = u->top != NULL;
	strbuf_reset(out);
	if (name[0] == '/')
		return because(u, "is an absolute path");
	for (const char *p = name; *p; p += *p == '/') {
		size_t len = strcspn(p, "/");
		const char *c = p;
		p += len;
		if (is_name(c, len, ".."))
			return because(u, "contains '..'");
		if (len == 0 || is_name(c, len, "."))
			continue;
		if (at_top && !is_name(c, len, u->top)) {
			strbuf_addf(&u->why, "is outside the top folder '%s' (set the recipe's "
				    "dir to the archive's top folder)", u->top);
			return -1;
		}
		if (!at_top && out->len)
			strbuf_addc(out, '/');
		if (!at_top)
			strbuf_add(out, c, len);
		at_top = false;
	}
	return 0;
}

/* Refuses a name (relative to dest) whose parent is a symlink an earlier
 * entry made: writing there would write wherever the symlink points. */
static int check_parents(struct unpack *u, const char *name)
{
	for (const char *s = strchr(name, '/'); s; s = strchr(s + 1, '/')) {
		int len = (int)(s - name);
		if (!linkset_has(&u->links, name, (size_t)len))
			continue;
		strbuf_addf(&u->why, "goes through the symlink '%s%s%.*s' of an earlier entry",
			    u->top ? u->top : "", u->top ? "/" : "", len, name);
		return -1;
	}
	return 0;
}

static int check_type(struct unpack *u, struct archive_entry *e)
{
	mode_t type = archive_entry_filetype(e);
	if (archive_entry_hardlink(e) || type == AE_IFREG || type == AE_IFDIR ||
	    type == AE_IFLNK)
		return 0;
	/* Devices need root, and none of these belongs in a source tree. */
	return because(u, "is a device, fifo or socket");
}

static int check_hardlink(struct unpack *u, struct archive_entry *e)
{
	const char *target = archive_entry_hardlink(e);
	if (!target)
		return 0;
	strbuf_addf(&u->why, "is a hard link to '%s', which ", target);
	if (clean_name(u, target, &u->target) < 0 || check_parents(u, u->target.data) < 0)
		return -1;
	if (!u->target.len)
		return because(u, "is the destination folder");
	strbuf_reset(&u->why);
	archive_entry_set_hardlink(e, u->target.data);
	return 0;
}

static bool makes_symlink(const struct unpack *u, struct archive_entry *e)
{
	/* A hard link to a symlink is a symlink too. */
	if (archive_entry_hardlink(e))
		return linkset_has(&u->links, u->target.data, u->target.len);
	return archive_entry_filetype(e) == AE_IFLNK;
}

/* Refuses a symlink where an earlier entry is: libarchive sets a folder's
 * mode and time when the archive is done, and before 3.6 it did that through
 * a symlink that had replaced the folder. (The working folder is dest.) */
static int check_replace(struct unpack *u, struct archive_entry *e)
{
	struct stat st;
	if (!makes_symlink(u, e) || lstat(u->name.data, &st) < 0)
		return 0;
	return because(u, "is a symlink replacing an earlier entry");
}

static int refuse(struct unpack *u)
{
	return error("refusing to unpack '%s': entry '%s' %s", u->path, u->entry.data,
		     u->why.data);
}

/* A source tree needs no setuid or setgid program: as root, keeping the bits
 * would leave one in work/src. An artifact keeps them: libarchive restores
 * them only on a file owned by the entry's owner, so the entry is given to
 * whoever unpacks (no owner is restored: that is who owns the file). */
static void set_perm(const struct unpack *u, struct archive_entry *e)
{
	if (u->opts->keep_setid) {
		archive_entry_set_uid(e, geteuid());
		archive_entry_set_gid(e, getegid());
	} else {
		archive_entry_set_perm(e, archive_entry_perm(e) & ~(mode_t)(S_ISUID | S_ISGID));
	}
}

/* Checks e and rewrites its names relative to dest.
 * Returns 1 to extract it, 0 to skip it (it is dest itself), -1 if refused. */
static int rewrite_entry(struct unpack *u, struct archive_entry *e)
{
	const char *raw = archive_entry_pathname(e);
	if (!raw)
		return error("cannot unpack '%s': an entry's name is unreadable", u->path);
	strbuf_reset(&u->entry);
	strbuf_adds(&u->entry, raw);
	strbuf_reset(&u->why);
	if (clean_name(u, raw, &u->name) < 0 || check_parents(u, u->name.data) < 0 ||
	    check_type(u, e) < 0 || check_hardlink(u, e) < 0 || check_replace(u, e) < 0)
		return refuse(u);
	if (u->name.len) {
		archive_entry_set_pathname(e, u->name.data);
		set_perm(u, e);
		if (u->opts->dirs && archive_entry_filetype(e) == AE_IFDIR &&
		    !archive_entry_hardlink(e))
			strv_push(u->opts->dirs, u->name.data);
		return 1;
	}
	if (archive_entry_filetype(e) == AE_IFDIR && !archive_entry_hardlink(e))
		return 0;
	strbuf_adds(&u->why, "is not a folder but stands for the destination folder");
	return refuse(u);
}

static const char *why_not(struct archive *a)
{
	const char *s = archive_error_string(a);
	return s ? s : "unknown error";
}

/* The disk writer's failures, a failed write(2) (a full disk) among them,
 * come as ARCHIVE_WARN: anything but ARCHIVE_OK is one, or the tree would
 * keep truncated files and a decompression bomb would write on. */
static int write_failed(struct unpack *u)
{
	int err = archive_errno(u->out);
	return error("cannot unpack '%s': cannot write '%s/%s': %s", u->path, u->dest,
		     u->name.data, err > 0 ? strerror(err) : why_not(u->out));
}

static int copy_data(struct unpack *u)
{
	const void *buf;
	size_t len;
	la_int64_t off;
	int r;
	while ((r = archive_read_data_block(u->in, &buf, &len, &off)) == ARCHIVE_OK)
		if (archive_write_data_block(u->out, buf, len, off) != ARCHIVE_OK)
			return write_failed(u);
	if (r != ARCHIVE_EOF)
		return error("cannot read '%s' at entry '%s': %s", u->path, u->entry.data,
			     why_not(u->in));
	return 0;
}

static void add_symlink(struct unpack *u)
{
	if (!u->links.n)
		archive_write_disk_set_options(u->out, UNPACK_FLAGS_SYMLINKS);
	linkset_add(&u->links, u->name.data);
}

static int extract_entry(struct unpack *u, struct archive_entry *e)
{
	if (archive_write_header(u->out, e) < ARCHIVE_WARN)
		return error("cannot unpack '%s': entry '%s': %s", u->path, u->entry.data,
			     why_not(u->out));
	if (makes_symlink(u, e))
		add_symlink(u);
	if (archive_entry_size(e) > 0 && copy_data(u) < 0)
		return -1;
	/* A warning here is about restoring a time or mode, as tar's; the
	 * bytes of a sparse file's end are written here too, and their failure
	 * is fatal. */
	if (archive_write_finish_entry(u->out) < ARCHIVE_WARN)
		return write_failed(u);
	return 0;
}

static int unpack_entries(struct unpack *u)
{
	struct archive_entry *e;
	int r;
	while ((r = archive_read_next_header(u->in, &e)) != ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN)
			return error("cannot read '%s': %s", u->path, why_not(u->in));
		u->entries++;
		int use = rewrite_entry(u, e);
		if (use < 0 || (use && extract_entry(u, e) < 0))
			return -1;
	}
	/* A tar of no entries is valid, but no source. */
	if (!u->entries && !u->opts->empty_ok)
		return error("cannot unpack '%s': it holds no entries", u->path);
	return 0;
}

/* Fills b with decompressed bytes: 0 while there are more, 1 at the end,
 * -1 on an error. Good bytes before an error go first, so that the error
 * names the entry it cut short. */
static int ring_fill(struct ring *r, char *b, size_t *len)
{
	*len = 0;
	while (!r->failed) {
		size_t n = r->nrest < UNPACK_BLOCK - *len ? r->nrest : UNPACK_BLOCK - *len;
		if (n) {
			memcpy(b + *len, r->rest, n);
			r->rest += n;
			r->nrest -= n;
			*len += n;
		}
		if (*len == UNPACK_BLOCK)
			return 0;
		const void *p;
		la_int64_t off;
		int st = archive_read_data_block(r->raw, &p, &r->nrest, &off);
		if (st == ARCHIVE_EOF)
			return 1;
		r->failed = st < ARCHIVE_WARN;
		r->rest = p;
	}
	return *len ? 0 : -1;
}

/* The next slot to fill, or NULL when the reader stopped listening. */
static char *ring_free_slot(struct ring *r)
{
	pthread_mutex_lock(&r->lock);
	while (r->head - r->tail == RING_SLOTS && !r->stop)
		pthread_cond_wait(&r->moved, &r->lock);
	char *b = r->stop ? NULL : r->slot[r->head % RING_SLOTS];
	pthread_mutex_unlock(&r->lock);
	return b;
}

static void ring_publish(struct ring *r, size_t len, int state)
{
	pthread_mutex_lock(&r->lock);
	r->len[r->head % RING_SLOTS] = len;
	if (len)
		r->head++;
	if (state < 0)
		r->err = xstrdup(why_not(r->raw));
	r->eof = state != 0;
	pthread_cond_broadcast(&r->moved);
	pthread_mutex_unlock(&r->lock);
}

static void *ring_produce(void *arg)
{
	struct ring *r = arg;
	int state = 0;
	char *b;
	while (state == 0 && (b = ring_free_slot(r))) {
		size_t len;
		state = ring_fill(r, b, &len);
		ring_publish(r, len, state);
	}
	return NULL;
}

/* libarchive's read callback: gives back the slot lent last time (libarchive
 * is done with it now) and lends the next. */
static la_ssize_t ring_consume(struct archive *a, void *arg, const void **out)
{
	struct ring *r = arg;
	pthread_mutex_lock(&r->lock);
	if (r->handed)
		r->tail++;
	r->handed = false;
	pthread_cond_broadcast(&r->moved);
	while (r->tail == r->head && !r->eof)
		pthread_cond_wait(&r->moved, &r->lock);
	la_ssize_t n = 0;
	if (r->tail < r->head) {
		*out = r->slot[r->tail % RING_SLOTS];
		n = (la_ssize_t)r->len[r->tail % RING_SLOTS];
		r->handed = true;
	} else if (r->err) {
		archive_set_error(a, -1, "%s", r->err); /* -1: ARCHIVE_ERRNO_MISC */
		n = -1;
	}
	pthread_mutex_unlock(&r->lock);
	return n;
}

/* Detects the compression (and its errors) here, then decompresses in a thread. */
static int ring_start(struct unpack *u)
{
	struct ring *r = &u->ring;
	struct archive_entry *e;
	r->raw = archive_read_new();
	if (!r->raw)
		return error("cannot unpack '%s': out of memory", u->path);
	archive_read_support_filter_all(r->raw);
	archive_read_support_format_raw(r->raw);
	if (archive_read_open_fd(r->raw, u->fd, UNPACK_BLOCK) != ARCHIVE_OK ||
	    archive_read_next_header(r->raw, &e) < ARCHIVE_WARN)
		return error("cannot read '%s': %s", u->path, why_not(r->raw));
	for (size_t i = 0; i < RING_SLOTS; i++)
		r->slot[i] = xmalloc(UNPACK_BLOCK);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->moved, NULL);
	errno = pthread_create(&r->thread, NULL, ring_produce, r);
	if (errno)
		return error_errno("cannot unpack '%s': cannot start a thread", u->path);
	r->started = true;
	return 0;
}

static void ring_stop(struct ring *r)
{
	if (r->started) {
		pthread_mutex_lock(&r->lock);
		r->stop = true;
		pthread_cond_broadcast(&r->moved);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->thread, NULL);
		pthread_cond_destroy(&r->moved);
		pthread_mutex_destroy(&r->lock);
		r->started = false;
	}
	for (size_t i = 0; i < RING_SLOTS; i++)
		free(r->slot[i]);
	free(r->err);
	archive_read_free(r->raw);
	r->raw = NULL;
}

static int open_archives(struct unpack *u)
{
	u->in = archive_read_new();
	u->out = archive_write_disk_new();
	if (!u->in || !u->out)
		return error("cannot unpack '%s': out of memory", u->path);
	/* The ring's thread undoes the compression; this reader reads tar only
	 * (ustar, pax, GNU): format_all would take a text file for an mtree
	 * spec, whose entries libarchive fills from files of this host. */
	archive_read_support_format_tar(u->in);
	archive_write_disk_set_options(u->out, UNPACK_FLAGS);
	/* Opened here, as libarchive words a missing file "Failed to open". */
	u->fd = open(u->path, O_RDONLY | O_CLOEXEC);
	if (u->fd < 0)
		return error_errno("cannot open '%s'", u->path);
	if (ring_start(u) < 0)
		return -1;
	if (archive_read_open(u->in, &u->ring, NULL, ring_consume, NULL) != ARCHIVE_OK)
		return error("cannot read '%s': %s", u->path, why_not(u->in));
	return 0;
}

/* Closing the writer sets the folders' modes and times, which it deferred
 * (a read-only folder must stay writable while its files are written). It
 * uses names relative to dest, so this runs before leaving dest. */
static int close_archives(struct unpack *u)
{
	int ret = 0;
	if (u->out && archive_write_close(u->out) < ARCHIVE_WARN)
		ret = error("cannot unpack '%s': %s", u->path, why_not(u->out));
	archive_write_free(u->out);
	archive_read_free(u->in);
	u->in = u->out = NULL;
	ring_stop(&u->ring);
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	return ret;
}

/* dest must be new or empty, so that removing it on failure loses nothing. */
static int prepare_dest(const char *dest)
{
	DIR *d = opendir(dest);
	if (!d)
		return errno == ENOENT ? mkdir_p(dest) : error_errno("cannot open '%s'", dest);
	struct dirent *de;
	bool empty = true;
	while (empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	closedir(d);
	return empty ? 0 : error("cannot unpack into '%s': it exists and is not empty", dest);
}

/* The secure flags refuse absolute names, so the entries are written relative
 * to dest as the working folder; *saved is the folder to come back to. */
static int enter_dest(const char *dest, int *saved)
{
	*saved = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*saved < 0)
		return error_errno("cannot open the working folder");
	if (chdir(dest) == 0)
		return 0;
	error_errno("cannot enter '%s'", dest);
	close(*saved);
	*saved = -1;
	return -1;
}

static void leave_dest(int saved)
{
	if (saved < 0)
		return;
	/* Cannot fail on an open folder; if it did, every relative path after,
	 * the removal of dest first, would be wrong. */
	if (fchdir(saved) < 0)
		BUG("cannot return to the working folder: %s", strerror(errno));
	close(saved);
}

static int check_top(const char *path, const char *top)
{
	if (!top || (*top && !strchr(top, '/') && strcmp(top, ".") && strcmp(top, "..")))
		return 0;
	return error("cannot unpack '%s': the top folder '%s' is not a plain name", path, top);
}

int unpack_archive(const char *path, const char *dest, const char *top)
{
	struct unpack_opts o = UNPACK_OPTS_INIT;
	o.top = top;
	return unpack_archive_opts(path, dest, &o);
}

int unpack_archive_opts(const char *path, const char *dest, const struct unpack_opts *o)
{
	if (check_top(path, o->top) < 0 || prepare_dest(dest) < 0)
		return -1;
	struct unpack u = { .path = path, .dest = dest, .top = o->top, .opts = o, .fd = -1,
			    .entry = STRBUF_INIT, .name = STRBUF_INIT, .target = STRBUF_INIT,
			    .why = STRBUF_INIT };
	int saved = -1;
	int ret = open_archives(&u);
	if (ret == 0)
		ret = enter_dest(dest, &saved);
	if (ret == 0)
		ret = unpack_entries(&u);
	if (close_archives(&u) < 0)
		ret = -1;
	leave_dest(saved);
	linkset_free(&u.links);
	strbuf_release(&u.entry);
	strbuf_release(&u.name);
	strbuf_release(&u.target);
	strbuf_release(&u.why);
	if (ret < 0)
		remove_tree(dest);
	return ret;
}
