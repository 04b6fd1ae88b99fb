/* manifest: what an install created, listed relative to the top, and removed
 * again: files first, folders only when left empty, nothing when a line is
 * damaged. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/file.h"
#include "src/manifest.h"
#include "src/strbuf.h"
#include "src/util.h"
#include "tap.h"

static char top[] = "/tmp/test-manifest-XXXXXX";

static char *at(const char *rel)
{
	return xasprintf("%s/%s", top, rel);
}

static void touch(const char *rel)
{
	char *p = at(rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		BUG("cannot create %s", p);
	close(fd);
	free(p);
}

static void make_dir(const char *rel)
{
	char *p = at(rel);
	if (mkdir_p(p) < 0)
		BUG("cannot make %s", p);
	free(p);
}

static bool exists(const char *rel)
{
	char *p = at(rel);
	bool e = path_exists(p);
	free(p);
	return e;
}

static char *read_text(const char *rel)
{
	char *p = at(rel);
	struct strbuf sb = STRBUF_INIT;
	if (file_read_quiet(p, &sb) < 0)
		strbuf_adds(&sb, "(missing)");
	free(p);
	return strbuf_detach(&sb);
}

static void take(const char *root, struct manifest_snapshot *s)
{
	char *r = at(root);
	const char *roots[] = { r };
	if (manifest_snapshot_take(roots, 1, s) < 0)
		BUG("snapshot of %s", r);
	free(r);
}

static void write_manifest(const char *text)
{
	char *p = at("m");
	if (file_write_atomic(p, text, strlen(text)) < 0)
		BUG("cannot write %s", p);
	free(p);
}

static int remove_capturing(char *err, size_t size)
{
	char *p = at("m");
	struct capture c = capture_begin();
	int ret = manifest_remove_listed(p, top);
	capture_end(&c, err, size);
	free(p);
	return ret;
}

static void test_created(void)
{
	make_dir("root/bin");
	touch("root/bin/old");
	struct manifest_snapshot before = MANIFEST_SNAPSHOT_INIT, after = MANIFEST_SNAPSHOT_INIT;
	take("root", &before);
	make_dir("root/share/pkg");
	touch("root/share/pkg/data");
	touch("root/bin/new");
	touch("root/bin/old"); /* rewritten: still not ours */
	char *link = at("root/bin/link");
	if (symlink("new", link) < 0)
		BUG("symlink %s", link);
	free(link);
	take("root", &after);
	char *m = at("m");
	ok(manifest_write_created(m, top, &before, &after) == 0, "write the manifest");
	char *text = read_text("m");
	is_str(text, "root/bin/link\nroot/bin/new\nroot/share\nroot/share/pkg\nroot/share/pkg/data\n",
	       "new paths only, sorted, relative to the top; a rewritten file is not listed");
	free(text);
	manifest_snapshot_free(&before);
	ok(manifest_write_created(m, top, &after, &after) == 0 && !path_exists(m),
	   "nothing new: no manifest");
	write_manifest("root/bin/link\nroot/bin/new\nroot/share\nroot/share/pkg\nroot/share/pkg/data\n");
	touch("root/share/hand-made");
	char err[512];
	ok(remove_capturing(err, sizeof err) == 0, "remove what it lists");
	ok(!exists("root/bin/new") && !exists("root/bin/link") && !exists("root/share/pkg"),
	   "files, links and the folder left empty are gone");
	ok(exists("root/bin/old") && exists("root/share/hand-made"),
	   "a path it did not create stays, and so does the folder holding one");
	ok(!path_exists(m), "the manifest is consumed");
	ok(manifest_remove_listed(m, top) == 0, "no manifest: nothing to do");
	manifest_snapshot_free(&after);
	free(m);
}

static void test_damaged(void)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "root/bin/old\n/etc/passwd\n", "m:2: '/etc/passwd' is not a path inside the top folder" },
		{ "..\n", "m:1: '..' is not a path inside the top folder" },
		{ "root/../../x\n", "m:1: 'root/../../x' is not a path inside the top folder" },
		{ "root/bin/old\n\n", "m:2: '' is not a path inside the top folder" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_manifest(cases[i].text);
		char err[512], *want = xasprintf("bootstrap: error: %s/%s", top, cases[i].err);
		ok(remove_capturing(err, sizeof err) == -1, "damaged manifest %zu refused", i + 1);
		is_str(err, want, "damaged manifest %zu: file and line", i + 1);
		ok(exists("root/bin/old") && exists("m"), "damaged manifest %zu: nothing removed", i + 1);
		free(want);
	}
	write_manifest("root/bin/..x\n");
	char err[512];
	ok(remove_capturing(err, sizeof err) == 0, "a name that only starts with .. is fine");
}

int main(void)
{
	if (!mkdtemp(top))
		BUG("mkdtemp");
	test_created();
	test_damaged();
	remove_tree(top);
	return tap_done();
}
