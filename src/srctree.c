#include "srctree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "file.h"
#include "patch.h"
#include "recipe.h"
#include "run.h"
#include "sandbox.h"
#include "state.h"
#include "stepenv.h"
#include "strbuf.h"
#include "unpack.h"
#include "util.h"
#include "world.h"

static int source_key(const struct world *w, const struct arch *a, const struct recipe *r,
		      char key[DIGEST_HEX_LEN + 1])
{
	struct digest *d = digest_sha256_new();
	const char *prepare = recipe_step(r, STEP_PREPARE, NULL);
	digest_update(d, "srctree-1\n", 10);
	digest_update(d, r->sha256 ? r->sha256 : "-", r->sha256 ? DIGEST_HEX_LEN : 1);
	/* Another dir unpacks differently (or fails), so a tree made with the
	 * old one must not be reused. The default, name-version, is in the
	 * tree's path already; leaving it out keeps the keys of trees made
	 * before dir was hashed. */
	char *dflt = xasprintf("%s-%s", r->name, r->version);
	if (strcmp(r->topdir, dflt)) {
		digest_update(d, "\ndir\n", 5);
		digest_update(d, r->topdir, strlen(r->topdir));
	}
	free(dflt);
	if (r->inner) {
		digest_update(d, "\ninner\n", 7);
		digest_update(d, r->inner, strlen(r->inner) + 1);
		digest_update(d, r->inner_topdir, strlen(r->inner_topdir));
	}
	digest_update(d, "\nprepare\n", 9);
	if (prepare)
		digest_update(d, prepare, strlen(prepare));
	char *dir = project_path(w, "patches");
	int ret = patch_digest(d, dir, r, a);
	free(dir);
	digest_final_hex(d, key);
	digest_free(d);
	return ret;
}

static bool tree_current(const char *tree, const char *stamp, const char *key)
{
	struct strbuf have = STRBUF_INIT;
	bool same = is_dir(tree) && file_read_quiet(stamp, &have) == 0 &&
		    have.len >= DIGEST_HEX_LEN && !memcmp(have.data, key, DIGEST_HEX_LEN);
	strbuf_release(&have);
	return same;
}

static int run_prepare(const struct world *w, const struct arch *a, const struct recipe *r,
		       const char *tmp, int log_fd)
{
	const char *body = recipe_step(r, STEP_PREPARE, NULL);
	if (!body)
		return 0;
	struct strv env = STRV_INIT;
	stepenv_make(w, a, r, tmp, &env);
	const char *argv[] = { "/bin/sh", "-eux", "-c", body, NULL };
	const char *readable[] = { w->top, w->project }, *writable[] = { tmp };
	const char **boxed = sandbox_enabled() > 0 ? sandbox_argv(argv, readable, 2, writable, 1) : NULL;
	struct run run = RUN_INIT;
	run.argv = boxed ? boxed : argv;
	run.env = (const char *const *)env.items;
	run.cwd = tmp;
	run.log_fd = log_fd;
	run.tee = w->verbose;
	dprintf(log_fd, "==> prepare\n");
	char *what = xasprintf("%s %s: the prepare step", r->name, r->version);
	int ret = run_command(&run, what);
	if (ret < 0 && boxed)
		fprintf(stderr, "bootstrap: note: %s\n", sandbox_hint());
	free(what);
	sandbox_argv_free(boxed);
	strv_free(&env);
	return ret;
}

static int unpack_logged(const char *archive, const char *dest, const char *top, int log_fd)
{
	dprintf(log_fd, "==> unpack %s\n", archive);
	return unpack_archive(archive, dest, top);
}

/* A repack that ships the real tarball inside its own (Debian's gcc): the
 * outer tree is only a carrier, unpacked beside tmp and removed. */
static int unpack_nested(const struct recipe *r, const char *tarball, const char *tmp,
			 int log_fd)
{
	char *outer = xasprintf("%s.outer", tmp);
	char *inner = xasprintf("%s/%s", outer, r->inner);
	int ret = remove_tree(outer);
	if (ret == 0)
		ret = unpack_logged(tarball, outer, r->topdir, log_fd);
	if (ret == 0 && !is_file(inner))
		ret = error("%s %s: inner archive %s is not in %s", r->name, r->version, r->inner,
			    recipe_file(r));
	if (ret == 0)
		ret = unpack_logged(inner, tmp, r->inner_topdir, log_fd);
	if (remove_tree(outer) < 0)
		ret = -1;
	free(inner);
	free(outer);
	return ret;
}

static int make_tree(const struct world *w, const struct arch *a, const struct recipe *r,
		     const char *tmp, int log_fd)
{
	if (remove_tree(tmp) < 0)
		return -1;
	if (!r->sha256)
		return mkdir_p(tmp);
	char *tarball = world_path(w, "sources/%s", recipe_file(r));
	int ret = r->inner ? unpack_nested(r, tarball, tmp, log_fd)
			   : unpack_logged(tarball, tmp, r->topdir, log_fd);
	free(tarball);
	if (ret == 0) {
		char *dir = project_path(w, "patches");
		ret = patch_apply_all(dir, r, a, tmp, log_fd);
		free(dir);
	}
	if (ret == 0)
		ret = run_prepare(w, a, r, tmp, log_fd);
	return ret;
}

/* The new tree takes the old one's place in one step: another arch's build
 * may be reading the old tree through its build folder (gcc-libs reads
 * gcc's), and must find a whole tree at every moment, never none. */
static int replace_tree(const char *tmp, const char *tree)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, tree, RENAME_EXCHANGE) == 0)
		return remove_tree(tmp) < 0 ? -1 : fsync_parent(tree); /* tmp: the old tree now */
	if (errno != ENOENT && remove_tree(tree) < 0) /* no exchange on this filesystem */
		return -1;
	return file_commit(tmp, tree);
}

static int ensure_locked(const struct world *w, const struct arch *a, const struct recipe *r,
			 int log_fd, const char *tree)
{
	char key[DIGEST_HEX_LEN + 1];
	char *stamp = xasprintf("%s.key", tree);
	char *tmp = xasprintf("%s.tmp", tree);
	int ret = source_key(w, a, r, key);
	if (ret == 0 && !tree_current(tree, stamp, key)) {
		unlink(stamp);
		ret = make_tree(w, a, r, tmp, log_fd);
		if (ret == 0)
			ret = replace_tree(tmp, tree);
		if (ret == 0)
			ret = file_write_atomic(stamp, key, DIGEST_HEX_LEN);
		if (ret < 0)
			remove_tree(tmp);
	}
	free(stamp);
	free(tmp);
	return ret;
}

int srctree_ensure(const struct world *w, const struct arch *a, const struct recipe *r, int log_fd,
		   char **path)
{
	/* A tree with an arch's own patches is that arch's: work/src/ARCH/. */
	char *pdir = project_path(w, "patches");
	const char *own = patch_own_arch(pdir, r, a);
	char *dir = own ? world_path(w, "work/src/%s", own) : world_path(w, "work/src");
	free(pdir);
	char *tree = xasprintf("%s/%s-%s", dir, r->name, r->version);
	char *lock = xasprintf("%s/.lock-%s-%s", dir, r->name, r->version);
	int ret = mkdir_p(dir), fd = -1;
	if (ret == 0) {
		/* Two arches may want the same tree at once: one makes it. */
		fd = state_lock(lock, "the source tree", 1);
		ret = fd < 0 ? -1 : ensure_locked(w, a, r, log_fd, tree);
	}
	if (fd >= 0)
		close(fd);
	free(dir);
	free(lock);
	if (ret < 0) {
		free(tree);
		return -1;
	}
	*path = tree;
	return 0;
}
