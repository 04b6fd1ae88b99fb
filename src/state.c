#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "file.h"
#include "strbuf.h"
#include "util.h"

static void add_entry(struct state *s, const char *name, const char *version, const char *key,
		      double seconds, const char *parts, bool from_cache)
{
	xgrow(&s->items, &s->cap, s->n + 1, sizeof *s->items);
	s->items[s->n++] = (struct state_entry){ xstrdup(name), xstrdup(version), xstrdup(key), seconds,
						  xstrdup(parts ? parts : ""), from_cache };
}

static int parse_line(struct state *s, char *line, int lineno)
{
	char name[256], version[256], key[256], parts[256] = "", origin[16] = "";
	double seconds = 0;
	int n = sscanf(line, "%255s %255s %255s %lf %255s %15s", name, version, key, &seconds, parts,
		       origin);
	if (n < 3)
		return error("%s:%d: malformed state line '%s' (expected: name version key); "
			     "remove the line to rebuild that package", s->path, lineno, line);
	add_entry(s, name, version, key, seconds, parts, !strcmp(origin, STATE_FROM_CACHE));
	return 0;
}

static void entry_free(struct state_entry *e)
{
	free(e->name);
	free(e->version);
	free(e->key);
	free(e->parts);
}

int state_load(struct state *s, const char *path)
{
	memset(s, 0, sizeof *s);
	s->path = xstrdup(path);
	struct strbuf text = STRBUF_INIT;
	if (file_read_quiet(path, &text) < 0) {
		strbuf_release(&text);
		return errno == ENOENT ? 0 : error("cannot read '%s': %s", path, file_strerror(errno));
	}
	int ret = 0, lineno = 0;
	char *save = NULL;
	for (char *l = strtok_r(text.data, "\n", &save); l && ret == 0; l = strtok_r(NULL, "\n", &save))
		if (++lineno, *l)
			ret = parse_line(s, l, lineno);
	strbuf_release(&text);
	return ret;
}

void state_free(struct state *s)
{
	for (size_t i = 0; i < s->n; i++)
		entry_free(&s->items[i]);
	free(s->items);
	free(s->path);
	memset(s, 0, sizeof *s);
}

const struct state_entry *state_find(const struct state *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->items[i].name, name))
			return &s->items[i];
	return NULL;
}

static int state_save(const struct state *s)
{
	struct strbuf text = STRBUF_INIT;
	for (size_t i = 0; i < s->n; i++) {
		const struct state_entry *e = &s->items[i];
		strbuf_addf(&text, "%s %s %s %.1f", e->name, e->version, e->key, e->seconds);
		strbuf_adds(&text, *e->parts ? " " : "");
		strbuf_adds(&text, e->parts);
		if (e->from_cache && *e->parts)
			strbuf_adds(&text, " " STATE_FROM_CACHE);
		strbuf_addc(&text, '\n');
	}
	int ret = file_write_atomic(s->path, text.data, text.len);
	strbuf_release(&text);
	return ret;
}

static void drop(struct state *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->items[i].name, name)) {
			entry_free(&s->items[i]);
			memmove(&s->items[i], &s->items[i + 1], (s->n - i - 1) * sizeof *s->items);
			s->n--;
			return;
		}
}

int state_mark_done(struct state *s, const char *name, const char *version, const char *key,
		    double seconds, const char *parts, bool from_cache)
{
	drop(s, name);
	add_entry(s, name, version, key, seconds, parts, from_cache);
	return state_save(s);
}

int state_forget(struct state *s, const char *name)
{
	if (!state_find(s, name))
		return 0;
	drop(s, name);
	return state_save(s);
}

int state_await_write(const char *path, const char *name, bool failed)
{
	char *text = name ? xasprintf("%s\n%s", name, failed ? "failed\n" : "") : xstrdup("");
	int ret = file_write_atomic(path, text, strlen(text));
	free(text);
	return ret;
}

char *state_await_read(const char *path, bool *failed)
{
	struct strbuf text = STRBUF_INIT;
	*failed = false;
	if (file_read_quiet(path, &text) < 0 || !text.len) {
		strbuf_release(&text);
		return NULL;
	}
	char *nl = strchr(text.data, '\n');
	if (nl) {
		*failed = !strncmp(nl + 1, "failed", 6);
		*nl = '\0';
	}
	if (!*text.data) {
		strbuf_release(&text);
		return NULL;
	}
	return strbuf_detach(&text);
}

static long lock_holder(int fd)
{
	char buf[32] = "";
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	return n > 0 ? strtol(buf, NULL, 10) : 0;
}

long state_lock_holder(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	long pid = 0;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0)
		flock(fd, LOCK_UN);
	else if (errno == EWOULDBLOCK)
		pid = lock_holder(fd);
	close(fd);
	return pid;
}

static void write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		warning("cannot write the pid into the lock file");
}

int state_lock(const char *path, const char *what, int wait)
{
	int fd = file_open_quiet(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0)
		return error("cannot open lock '%s': %s", path, file_strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		write_pid(fd);
		return fd;
	}
	int busy = errno == EWOULDBLOCK;
	if (busy && wait == LOCK_TRY) {
		close(fd);
		errno = EWOULDBLOCK;
		return -1;
	}
	long pid = lock_holder(fd);
	if (!busy || !wait) {
		close(fd);
		return error("%s is in use by another build (pid %ld, lock %s)", what, pid, path);
	}
	if (wait != LOCK_WAIT_QUIETLY) {
		printf("waiting for %s, in use by pid %ld\n", what, pid);
		fflush(stdout);
	}
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			close(fd);
			return error_errno("cannot lock '%s'", path);
		}
	write_pid(fd);
	return fd;
}
