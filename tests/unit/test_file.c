/* file.c: what the driver writes inside the top is never written through a
 * planted symlink, FIFO or hard link; temps of dead writers go; reads take
 * regular files up to a size; remove_tree works at any depth. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/file.h"
#include "src/strbuf.h"
#include "src/util.h"
#include "tap.h"

static char tmp[] = "/tmp/test-file-XXXXXX";

static char *at(const char *name)
{
	return xasprintf("%s/%s", tmp, name);
}

static char *slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	if (file_read_quiet(path, &sb) < 0)
		strbuf_adds(&sb, "(unreadable)");
	return strbuf_detach(&sb);
}

static void test_open(void)
{
	char *victim = at("victim"), *sym = at("sym"), *fifo = at("fifo"), *hard = at("hard");
	if (file_write_atomic(victim, "precious\n", 9) < 0 || symlink(victim, sym) < 0 ||
	    mkfifo(fifo, 0644) < 0 || link(victim, hard) < 0)
		BUG("cannot set up %s", tmp);
	int fd = file_open_quiet(sym, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ok(fd < 0 && errno == ELOOP, "a symlink is refused");
	fd = file_open_quiet(fifo, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ok(fd < 0 && errno == EINVAL, "a FIFO is refused, without waiting for a reader");
	fd = file_open_quiet(hard, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ok(fd < 0 && errno == EMLINK, "a file with another hard link is refused");
	char *got = slurp(victim);
	is_str(got, "precious\n", "and nothing was truncated");
	free(got);
	is_str(file_strerror(ELOOP), "it is a symlink (refusing to write through it)", "in words");
	unlink(hard);
	fd = file_open_quiet(victim, O_WRONLY | O_TRUNC | O_APPEND, 0644);
	ok(fd >= 0 && write(fd, "new\n", 4) == 4, "a regular file opens, truncated");
	close(fd);
	got = slurp(victim);
	is_str(got, "new\n", "with what was written");
	free(got), free(victim), free(sym), free(fifo), free(hard);
}

static void test_temps(void)
{
	char *path = at("state"), *victim = at("victim2");
	char *mine = xasprintf("%s.tmp.%ld", path, (long)getpid());
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	char *dead = xasprintf("%s.tmp.%ld", path, (long)pid);
	char *live = xasprintf("%s.tmp.%ld", path, (long)getppid());
	if (file_write_atomic(victim, "precious\n", 9) < 0 || symlink(victim, mine) < 0 ||
	    file_write_atomic(dead, "half", 4) < 0 || file_write_atomic(live, "half", 4) < 0)
		BUG("cannot set up %s", tmp);
	ok(file_write_atomic(path, "done\n", 5) == 0, "an atomic write over a planted temp link succeeds");
	char *got = slurp(victim);
	is_str(got, "precious\n", "and does not write through it");
	free(got);
	got = slurp(path);
	is_str(got, "done\n", "the file has the new content");
	ok(!path_exists(mine), "no temp of ours is left");
	ok(!path_exists(dead), "a dead writer's temp is removed");
	ok(path_exists(live), "a live writer's temp stays");
	free(got), free(path), free(victim), free(mine), free(dead), free(live);
}

static void test_read(void)
{
	char *big = at("big"), *fifo = at("fifo");
	struct strbuf sb = STRBUF_INIT;
	if (file_write_atomic(big, "0123456789", 10) < 0)
		BUG("cannot write %s", big);
	ok(file_read_max(big, 10, &sb) == 0 && sb.len == 10, "a file of the limit is read");
	strbuf_reset(&sb);
	ok(file_read_quiet("/dev/zero", &sb) < 0 && errno == EINVAL, "/dev/zero is refused");
	ok(file_read_quiet(fifo, &sb) < 0 && errno == EINVAL, "a FIFO is refused at once");
	struct capture c = capture_begin();
	int ret = file_read_max(big, 9, &sb);
	char err[512];
	capture_end(&c, err, sizeof err);
	char *want = xasprintf("bootstrap: error: cannot read '%s': it is larger than 9 bytes", big);
	ok(ret < 0, "a file over the limit is refused");
	is_str(err, want, "naming it and the limit");
	strbuf_release(&sb);
	free(want), free(big), free(fifo);
}

/* 200 levels of 40 bytes: twice PATH_MAX. */
static void test_deep(void)
{
	char *root = at("deep");
	if (mkdir(root, 0755) < 0)
		BUG("mkdir %s", root);
	int fd = open(root, O_RDONLY | O_DIRECTORY);
	for (int i = 0; fd >= 0 && i < 200; i++) {
		const char *name = "d123456789012345678901234567890123456789";
		int next = mkdirat(fd, name, 0755) < 0 ? -1 : openat(fd, name, O_RDONLY | O_DIRECTORY);
		if (next >= 0 && i % 50 == 0)
			close(openat(next, "file", O_WRONLY | O_CREAT, 0644));
		close(fd);
		fd = next;
	}
	ok(fd >= 0 && fchmod(fd, 0500) == 0, "a tree deeper than PATH_MAX is made");
	close(fd);
	ok(remove_tree(root) == 0, "remove_tree removes it");
	ok(!path_exists(root), "all of it");
	free(root);
}

int main(void)
{
	if (!mkdtemp(tmp))
		BUG("mkdtemp");
	test_open();
	test_temps();
	test_read();
	test_deep();
	remove_tree(tmp);
	return tap_done();
}
