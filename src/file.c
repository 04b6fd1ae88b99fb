#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strv.h"

/* Reads up to max bytes of a regular file. O_NONBLOCK: opening a FIFO must
 * not wait for a writer; the type is checked before anything is read, so a
 * FIFO or a link to /dev/zero is refused instead of hanging or filling the
 * memory. -1 with errno: EINVAL not a regular file, EFBIG over max. */
static int read_regular(const char *path, size_t max, struct strbuf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	if (fd < 0)
		return -1;
	int err = fstat(fd, &st) < 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL
		: (unsigned long long)st.st_size > max ? EFBIG : 0;
	char buf[65536];
	size_t start = out->len;
	ssize_t n = 0;
	while (!err && (n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno != EINTR)
			err = errno;
		else if (n > 0 && out->len - start + (size_t)n > max)
			err = EFBIG; /* grew since fstat */
		else if (n > 0)
			strbuf_add(out, buf, (size_t)n);
	}
	close(fd);
	errno = err;
	return err ? -1 : 0;
}

int file_read_quiet(const char *path, struct strbuf *out)
{
	return read_regular(path, FILE_READ_MAX, out);
}

int file_read_max(const char *path, size_t max, struct strbuf *out)
{
	if (read_regular(path, max, out) == 0)
		return 0;
	if (errno == EFBIG)
		return error("cannot read '%s': it is larger than %zu bytes", path, max);
	return error("cannot read '%s': %s", path, file_strerror(errno));
}

int file_read_quiet_max(const char *path, size_t max, struct strbuf *out)
{
	return read_regular(path, max, out);
}

int file_read(const char *path, struct strbuf *out)
{
	return file_read_max(path, FILE_READ_MAX, out);
}

const char *file_strerror(int err)
{
	switch (err) {
	case ELOOP:
		return "it is a symlink (refusing to write through it)";
	case EINVAL:
		return "it is not a regular file";
	case EMLINK:
		return "it has other hard links (refusing to write through them)";
	default:
		return strerror(err);
	}
}

/* O_NONBLOCK and no O_TRUNC until the type is known: a planted FIFO must
 * not block the open, a planted device must not be truncated. */
int file_open_quiet(const char *path, int flags, mode_t mode)
{
	int fd = open(path, (flags & ~O_TRUNC) | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, mode);
	if (fd < 0) {
		if (errno == ENXIO) /* a FIFO with no reader */
			errno = EINVAL;
		return -1;
	}
	struct stat st;
	int err = fstat(fd, &st) < 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL
		: st.st_nlink > 1 ? EMLINK : 0;
	if (!err && (flags & O_TRUNC) && ftruncate(fd, 0) < 0)
		err = errno;
	if (!err && fcntl(fd, F_SETFL, flags & O_APPEND) < 0)
		err = errno;
	if (err) {
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int file_open(const char *path, int flags, mode_t mode)
{
	int fd = file_open_quiet(path, flags, mode);
	if (fd < 0)
		return error("cannot open '%s': %s", path, file_strerror(errno));
	return fd;
}

/* Whether name is prefix...".tmp.<pid>" of a writer that is gone. */
static bool stale_temp(const char *name, const char *prefix)
{
	const char *tmp = strstr(name, ".tmp."), *next;
	if (!str_starts_with(name, prefix) || !tmp)
		return false;
	while ((next = strstr(tmp + 1, ".tmp.")))
		tmp = next;
	char *end;
	long pid = strtol(tmp + 5, &end, 10);
	return pid > 0 && !*end && end[-1] != '.' && pid != (long)getpid() &&
	       kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

void file_remove_stale_temps(const char *dir, const char *prefix)
{
	char **names;
	size_t n;
	if (dir_list(dir, NULL, &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!stale_temp(names[i], prefix))
			continue;
		char *path = xasprintf("%s/%s", dir, names[i]);
		unlink(path);
		free(path);
	}
	names_free(names, n);
}

int fsync_parent(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return error_errno("cannot open the folder of '%s'", path);
	fsync(fd);
	close(fd);
	return 0;
}

int file_commit(const char *tmp, const char *path)
{
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return error_errno("cannot rename '%s' to '%s'", tmp, path);
	}
	return fsync_parent(path);
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int file_create_temp(const char *path, char **tmp)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		file_remove_stale_temps(dir, slash + 1);
	} else {
		file_remove_stale_temps(".", dir);
	}
	free(dir);
	*tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int fd = open(*tmp, flags, 0644);
	/* Ours from a dead run whose pid we got, or planted: unlink removes the
	 * name (a symlink itself, not its target), and O_EXCL makes the new one. */
	if (fd < 0 && errno == EEXIST && unlink(*tmp) == 0)
		fd = open(*tmp, flags, 0644);
	if (fd < 0) {
		error_errno("cannot create '%s'", *tmp);
		free(*tmp);
		*tmp = NULL;
	}
	return fd;
}

int file_write_atomic(const char *path, const void *data, size_t len)
{
	char *tmp;
	int fd = file_create_temp(path, &tmp);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		error_errno("cannot write '%s'", tmp);
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	close(fd);
	int ret = file_commit(tmp, path);
	free(tmp);
	return ret;
}

/* Streams from's bytes into the temp of to, at most max of them (0: any
 * number); 0 or -1 (reported). */
static int copy_into(int in, const char *from, int out, const char *tmp, unsigned long long max)
{
	char *buf = xmalloc(1 << 20);
	unsigned long long total = 0;
	ssize_t n;
	int ret = 0;
	while (ret == 0 && (n = read(in, buf, 1 << 20)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ret = error_errno("cannot read '%s'", from);
		else if (max && (total += (size_t)n) > max)
			ret = error("cannot copy '%s': it is larger than %llu bytes", from, max);
		else if (write_all(out, buf, (size_t)n) < 0)
			ret = error_errno("cannot write '%s'", tmp);
	}
	if (ret == 0 && fsync(out) < 0)
		ret = error_errno("cannot write '%s'", tmp);
	free(buf);
	return ret;
}

/* from, opened for reading as read_regular does: a FIFO is not waited on,
 * anything but a regular file of at most max bytes (0: any) is refused. */
static int open_regular(const char *from, unsigned long long max)
{
	int in = open(from, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	int e = in < 0 ? errno : fstat(in, &st) < 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL
		: max && (unsigned long long)st.st_size > max ? EFBIG : 0;
	if (!e && fcntl(in, F_SETFL, O_RDONLY) < 0)
		e = errno;
	if (!e)
		return in;
	if (in >= 0)
		close(in);
	if (e == EFBIG)
		return error("cannot copy '%s': it is larger than %llu bytes", from, max);
	return error("cannot copy '%s': %s", from, file_strerror(e));
}

int file_copy_max(const char *from, const char *to, unsigned long long max)
{
	int in = open_regular(from, max);
	if (in < 0)
		return -1;
	char *tmp;
	int out = file_create_temp(to, &tmp), ret = out < 0 ? -1 : copy_into(in, from, out, tmp, max);
	close(in);
	if (out >= 0)
		close(out);
	if (ret == 0)
		ret = file_commit(tmp, to);
	else if (out >= 0)
		unlink(tmp);
	free(tmp);
	return ret;
}

int file_copy(const char *from, const char *to)
{
	return file_copy_max(from, to, 0);
}

int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			error_errno("cannot create folder '%s'", p);
			free(p);
			return -1;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	if (!is_dir(path))
		return error("'%s' exists and is not a folder", path);
	return 0;
}

/* Opens the folder name in dirfd, made readable, writable and searchable
 * first (build trees, gcc's notably, contain read-only folders). */
static int open_subdir(int dirfd, const char *name, const struct strbuf *path)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & S_IRWXU) != S_IRWXU)
		fchmodat(dirfd, name, (st.st_mode & 07777) | S_IRWXU, 0);
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		error_errno("cannot open the folder '%s'", path->data);
	return fd;
}

/* Unlinks every entry of the folder open at fd but its folders, whose names
 * go to subs. */
static int empty_files(int fd, struct strbuf *path, struct strv *subs)
{
	int dup_fd = dup(fd);
	DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return error_errno("cannot read the folder '%s'", path->data);
	}
	int ret = 0;
	struct dirent *e;
	while (ret == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		struct stat st;
		bool dir = e->d_type == DT_DIR ||
			   (e->d_type == DT_UNKNOWN && fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISDIR(st.st_mode));
		if (dir)
			strv_push(subs, e->d_name);
		else if (unlinkat(fd, e->d_name, 0) < 0 && errno != ENOENT)
			ret = error_errno("cannot remove '%s/%s'", path->data, e->d_name);
	}
	closedir(d);
	return ret;
}

static int remove_contents(int *fd, struct strbuf *path);

/* Removes the folder name in *fd, going down and back up by descriptors so
 * that one is open at a time: no depth runs out of descriptors or of
 * PATH_MAX (nftw fails on a tree deeper than PATH_MAX). *fd is reopened
 * through "..", checked to be the same folder. */
static int remove_subdir(int *fd, const char *name, struct strbuf *path)
{
	struct stat self, back;
	size_t len = path->len;
	strbuf_addf(path, "/%s", name);
	int sub = fstat(*fd, &self) < 0 ? -1 : open_subdir(*fd, name, path);
	if (sub < 0)
		return -1;
	close(*fd);
	*fd = -1;
	int ret = remove_contents(&sub, path);
	path->len = len;
	path->data[len] = '\0';
	if (sub >= 0) {
		*fd = openat(sub, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(sub);
	}
	if (*fd < 0 || fstat(*fd, &back) < 0 || back.st_dev != self.st_dev || back.st_ino != self.st_ino)
		return ret < 0 ? -1 : error("the folder '%s' moved while it was being removed", path->data);
	if (ret == 0 && unlinkat(*fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		ret = error_errno("cannot remove '%s/%s'", path->data, name);
	return ret;
}

/* Empties the folder open at *fd; *fd is that folder again after, or -1
 * when the way back was lost. */
static int remove_contents(int *fd, struct strbuf *path)
{
	struct strv subs = STRV_INIT;
	int ret = empty_files(*fd, path, &subs);
	for (size_t i = 0; ret == 0 && i < subs.n; i++)
		ret = remove_subdir(fd, subs.items[i], path);
	strv_free(&subs);
	return ret;
}

int remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : error_errno("cannot stat '%s'", path);
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 ? error_errno("cannot remove '%s'", path) : 0;
	struct strbuf buf = STRBUF_INIT;
	strbuf_adds(&buf, path);
	int fd = open_subdir(AT_FDCWD, path, &buf);
	int ret = fd < 0 ? -1 : remove_contents(&fd, &buf);
	if (fd >= 0)
		close(fd);
	strbuf_release(&buf);
	if (ret == 0 && rmdir(path) < 0 && errno != ENOENT)
		ret = error_errno("cannot remove '%s'", path);
	return ret;
}

bool path_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

bool program_on_path(const char *command)
{
	if (strchr(command, '/'))
		return access(command, X_OK) == 0;
	const char *path = getenv("PATH");
	char *copy = xstrdup(path ? path : "/usr/bin:/bin"), *save = NULL;
	bool found = false;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *full = xasprintf("%s/%s", dir, command);
		found = access(full, X_OK) == 0;
		free(full);
	}
	free(copy);
	return found;
}

bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool path_is_inside(const char *rel)
{
	if (!*rel || rel[0] == '/')
		return false;
	for (const char *p = rel; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (!strncmp(p, "..", 2) && (p[2] == '/' || p[2] == '\0'))
			return false;
	}
	return true;
}

bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dir_list(const char *dir, const char *suffix, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	*names = NULL;
	*n = 0;
	if (!d)
		return error_errno("cannot read folder '%s'", dir);
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (suffix && !str_ends_with(e->d_name, suffix))
			continue;
		xgrow(names, &cap, *n + 1, sizeof **names);
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof **names, compare_names);
	return 0;
}

void names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
