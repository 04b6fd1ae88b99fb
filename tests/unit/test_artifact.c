/* Artifacts: a package's manifest packed as tar.zst and unpacked into
 * another top: contents, links, modes (setuid, setgid, sticky), times to the
 * nanosecond, same bytes twice, and refusals: entries outside the install
 * folders, an install folder (or one above it) that is not a folder, in the
 * artifact or in the top. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/artifact.h"
#include "src/digest.h"
#include "src/file.h"
#include "src/strbuf.h"
#include "src/util.h"
#include "tap.h"

static char errbuf[4096];
static char *base;

static void put(const char *top, const char *rel, const char *text, mode_t mode)
{
	char *path = xasprintf("%s/%s", top, rel);
	char *dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	mkdir_p(dir);
	file_write_atomic(path, text, strlen(text));
	chmod(path, mode);
	free(dir);
	free(path);
}

/* A top with one package's files and its manifest; returns the top. */
static char *make_top(const char *name, time_t mtime)
{
	char *top = xasprintf("%s/%s", base, name);
	put(top, "toolchain/x86_64/bin/tool", "#!/bin/sh\necho tool\n", 0755);
	put(top, "toolchain/x86_64/lib/libx.a", "archive", 0644);
	char *a = xasprintf("%s/toolchain/x86_64/bin/tool", top), *b = xasprintf("%s/toolchain/x86_64/bin/tool-16", top);
	char *l = xasprintf("%s/toolchain/x86_64/bin/cc", top), *d = xasprintf("%s/toolchain/x86_64/share/empty", top);
	if (link(a, b) < 0 || symlink("tool", l) < 0 || mkdir_p(d) < 0)
		BUG("cannot make the fixture");
	put(top, "toolchain/x86_64/bin/suid", "setuid", 0755);
	put(top, "toolchain/x86_64/bin/sgid", "setgid", 0755);
	char *tmp = xasprintf("%s/toolchain/x86_64/tmp", top), *g = xasprintf("%s/toolchain/x86_64/share", top);
	if (mkdir_p(tmp) < 0 || chmod(tmp, 01777) < 0 || chmod(g, 02750) < 0)
		BUG("cannot make the fixture");
	char *cmd = xasprintf("cd '%s/toolchain/x86_64' && chmod 4755 bin/suid && chmod 2755 bin/sgid && "
			      "find . -exec touch -h -d @%lld.123456789 {} +", top, (long long)mtime);
	if (system(cmd) != 0)
		BUG("touch");
	put(top, "states/files/x86_64/pkg",
	    "toolchain/x86_64/bin\ntoolchain/x86_64/bin/cc\ntoolchain/x86_64/bin/sgid\ntoolchain/x86_64/bin/suid\n"
	    "toolchain/x86_64/bin/tool\ntoolchain/x86_64/bin/tool-16\n"
	    "toolchain/x86_64/lib\ntoolchain/x86_64/lib/libx.a\ntoolchain/x86_64/share\ntoolchain/x86_64/share/empty\n"
	    "toolchain/x86_64/tmp\n",
	    0644);
	free(tmp);
	free(g);
	free(a);
	free(b);
	free(l);
	free(d);
	free(cmd);
	return top;
}

static int quiet_pack(const char *top, const char *out)
{
	char *manifest = xasprintf("%s/states/files/x86_64/pkg", top);
	struct capture c = capture_begin();
	int ret = artifact_pack(manifest, NULL, top, out);
	capture_end(&c, errbuf, sizeof errbuf);
	if (ret < 0)
		printf("# %s\n", errbuf);
	free(manifest);
	return ret;
}

static int quiet_unpack(const char *art, const char *top, const char *root)
{
	char *staging = xasprintf("%s/work/cache/staging", top);
	struct capture c = capture_begin();
	int ret = artifact_unpack(art, top, staging, &root, 1);
	capture_end(&c, errbuf, sizeof errbuf);
	ok(!path_exists(staging), "the staging folder is gone afterwards");
	free(staging);
	return ret;
}

static void is_mode(const char *top, const char *rel, mode_t want, const char *what)
{
	struct stat st;
	char *p = xasprintf("%s/%s", top, rel);
	is_int(lstat(p, &st) == 0 ? st.st_mode & 07777 : 0, want, "%s: %s is %o", what, rel, want);
	free(p);
}

static void check_modes(const char *top)
{
	is_mode(top, "toolchain/x86_64/bin/suid", 04755, "the setuid bit is kept");
	is_mode(top, "toolchain/x86_64/bin/sgid", 02755, "the setgid bit is kept");
	is_mode(top, "toolchain/x86_64/tmp", 01777, "a folder's sticky bit is kept, umask or not");
	is_mode(top, "toolchain/x86_64/share", 02750, "a folder's setgid bit is kept");
	is_mode(top, "toolchain", 0750, "a folder above the install folder is made as mkdir makes it");
}

/* Packs top/rel, made by shell, as an artifact, unpacks it into top c (a
 * package's files in toolchain/x86_64) and expects a refusal saying want. */
static void refused(const char *c, const char *shell, const char *rel, const char *want)
{
	char *top = xasprintf("%s/hostile", base), *art = xasprintf("%s/hostile.tar.zst", base);
	char *cmd = xasprintf("rm -rf '%s' && mkdir -p '%s' && cd '%s' && %s", top, top, top, shell);
	if (system(cmd) != 0)
		BUG("cannot make the hostile fixture");
	put(top, "states/files/x86_64/pkg", rel, 0644);
	is_int(quiet_pack(top, art), 0, "an artifact holding %s packs", shell);
	is_int(quiet_unpack(art, c, "toolchain/x86_64"), -1, "%s: refused", shell);
	ok(strstr(errbuf, want) != NULL, "%s: saying so", shell);
	printf("# %s\n", errbuf);
	char *tool = xasprintf("%s/toolchain/x86_64/bin/tool", c);
	ok(is_file(tool), "%s: the package's files already there stay", shell);
	free(tool);
	free(cmd);
	free(top);
	free(art);
}

/* An install folder, or a folder above one, that is not a folder. */
static void refuse_roots(const char *art, const char *c)
{
	refused(c, "echo x >toolchain", "toolchain\n",
		"/hostile.tar.zst': entry 'toolchain' is a file, where an install folder or a "
		"folder above one must be a folder");
	refused(c, "mkdir -p toolchain && ln -s /tmp toolchain/x86_64", "toolchain/x86_64\n",
		"entry 'toolchain/x86_64' is a symlink, where an install folder");
	char *e = xasprintf("%s/e", base), *cmd = xasprintf(
		"mkdir -p '%s/outside' '%s/toolchain' && ln -s ../outside '%s/toolchain/x86_64'", e, e, e);
	if (system(cmd) != 0)
		BUG("cannot make the top with a symlink");
	is_int(quiet_unpack(art, e, "toolchain/x86_64"), -1, "a top whose install folder is a symlink");
	ok(strstr(errbuf, "/e/toolchain/x86_64 is a symlink, not a folder") != NULL, "is refused, naming it");
	free(cmd);
	cmd = xasprintf("test -z \"$(ls -A '%s/outside')\"", e);
	is_int(system(cmd), 0, "and nothing is written through it");
	free(cmd);
	free(e);
}

int main(void)
{
	char tmpl[] = "/tmp/test_artifact.XXXXXX";
	base = mkdtemp(tmpl);
	char *a = make_top("a", 5000), *b = make_top("b", 5000);
	char *art_a = xasprintf("%s/a.tar.zst", base), *art_b = xasprintf("%s/b.tar.zst", base);
	is_int(quiet_pack(a, art_a), 0, "a package's files pack");
	is_int(quiet_pack(b, art_b), 0, "the same files in another top, with the same times, pack");
	char ha[DIGEST_HEX_LEN + 1], hb[DIGEST_HEX_LEN + 1];
	digest_sha256_file(art_a, ha);
	digest_sha256_file(art_b, hb);
	is_str(ha, hb, "into the same bytes (owners dropped)");

	char *c = xasprintf("%s/c", base);
	put(c, "toolchain/x86_64/lib/libx.a", "old", 0644);
	put(c, "toolchain/x86_64/lib/other.a", "another package's", 0644);
	char *toolchain = xasprintf("%s/toolchain", c);
	chmod(toolchain, 0750);
	mode_t mask = umask(027); /* not applied to the modes the artifact holds */
	is_int(quiet_unpack(art_a, c, "toolchain/x86_64"), 0, "it unpacks into another top");
	umask(mask);
	struct strbuf text = STRBUF_INIT;
	char *p = xasprintf("%s/toolchain/x86_64/lib/libx.a", c);
	file_read(p, &text);
	is_str(text.data, "archive", "a file is replaced");
	free(p);
	p = xasprintf("%s/toolchain/x86_64/lib/other.a", c);
	ok(path_exists(p), "another package's file in the same folder stays");
	free(p);
	struct stat s1, s2;
	char *t1 = xasprintf("%s/toolchain/x86_64/bin/tool", c), *t2 = xasprintf("%s/toolchain/x86_64/bin/tool-16", c);
	ok(stat(t1, &s1) == 0 && stat(t2, &s2) == 0 && s1.st_ino == s2.st_ino, "a hard link stays a hard link");
	is_int(s1.st_mode & 0777, 0755, "modes are kept");
	is_int(s1.st_mtim.tv_sec * 1000000000LL + s1.st_mtim.tv_nsec, 5000123456789LL,
	       "and modification times, to the nanosecond");
	check_modes(c);
	char target[64] = "";
	p = xasprintf("%s/toolchain/x86_64/bin/cc", c);
	ssize_t n = readlink(p, target, sizeof target - 1);
	target[n > 0 ? n : 0] = '\0';
	is_str(target, "tool", "a symlink stays a symlink");
	free(p);
	p = xasprintf("%s/toolchain/x86_64/share/empty", c);
	ok(is_dir(p), "an empty folder is made");
	free(p);

	char *d = xasprintf("%s/d", base);
	mkdir_p(d);
	is_int(quiet_unpack(art_a, d, "work/host/prefix"), -1, "an artifact with files outside the package's folders");
	ok(strstr(errbuf, "'toolchain' lies outside the package's install folders") != NULL, "is refused, naming the path");
	p = xasprintf("%s/toolchain", d);
	ok(!path_exists(p), "and nothing of it is moved into place");
	free(p);

	refuse_roots(art_a, c);

	put(a, "states/files/x86_64/pkg", "toolchain/x86_64/bin/tool\n../../etc/passwd\n", 0644);
	is_int(quiet_pack(a, art_a), -1, "a manifest line that climbs out of the top");
	ok(strstr(errbuf, "'../../etc/passwd' is not a path inside the top") != NULL, "is refused");
	digest_sha256_file(art_a, hb);
	is_str(ha, hb, "and the artifact already there is left as it was");

	char *cmd = xasprintf("rm -rf '%s'", base);
	if (system(cmd) != 0)
		return 1;
	free(cmd);
	strbuf_release(&text);
	free(a);
	free(b);
	free(c);
	free(d);
	free(toolchain);
	free(t1);
	free(t2);
	free(art_a);
	free(art_b);
	return tap_done();
}
