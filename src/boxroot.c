#include "boxroot.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "digest.h"
#include "epoch.h"
#include "file.h"
#include "initrd.h"
#include "plan.h"
#include "recipe.h"
#include "strbuf.h"
#include "util.h"
#include "world.h"

static int write_build_id(const struct plan *plan, const char *boxroot)
{
	struct strbuf text = STRBUF_INIT;
	strbuf_addf(&text, "arch %s %s\n", plan->arch->name, plan->arch->triplet);
	for (size_t i = 0; i < plan->n; i++) {
		const struct recipe *r = plan->items[i].recipe;
		if (r->stage == STAGE_BOX)
			strbuf_addf(&text, "%s %s %s\n", r->name, r->version, plan->items[i].key);
	}
	char *etc = xasprintf("%s/etc", boxroot), *path = xasprintf("%s/build-id", etc);
	struct strbuf old = STRBUF_INIT;
	long long epoch = 0;
	int ret = mkdir_p(etc) < 0 || epoch_from_env(&epoch) < 0 ? -1 : 0;
	/* Rewriting the same bytes would change its mtime, and so the fingerprint. */
	if (ret == 0 && (file_read_quiet(path, &old) < 0 || strcmp(old.data, text.data)))
		ret = file_write_atomic(path, text.data, text.len);
	/* Dated as the build's date, not as the hour this ran: two tops with
	 * the same packages (one from a cache) have the same boxroot. */
	struct timespec at[2] = { { (time_t)epoch, 0 }, { (time_t)epoch, 0 } };
	if (ret == 0 && utimensat(AT_FDCWD, path, at, AT_SYMLINK_NOFOLLOW) < 0)
		ret = error_errno("cannot date %s", path);
	strbuf_release(&old);
	strbuf_release(&text);
	free(etc);
	free(path);
	return ret;
}

static struct digest *walk_digest;

static int fingerprint_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)type;
	(void)ftw;
	char line[4096 + 256], target[4096] = "";
	if (S_ISLNK(st->st_mode)) {
		ssize_t n = readlink(path, target, sizeof target - 1);
		target[n > 0 ? n : 0] = '\0';
	}
	int n = snprintf(line, sizeof line, "%s %o %lld %lld.%09ld %s\n", path, st->st_mode,
			 (long long)st->st_size, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec, target);
	digest_update(walk_digest, line, (size_t)n);
	return 0;
}

/* nftw visits a folder's entries in the order the file system gives, which
 * is stable for an unchanged folder: enough for "did anything change". */
static void fingerprint(const struct initrd_opts *o, char hex[DIGEST_HEX_LEN + 1])
{
	walk_digest = digest_sha256_new();
	const char *trees[] = { o->root, o->overlay, o->init };
	for (size_t i = 0; i < 3; i++)
		if (trees[i])
			nftw(trees[i], fingerprint_one, 32, FTW_PHYS);
	char opts[256];
	int n = snprintf(opts, sizeof opts, "%s %d %lld %s", o->compress ? o->compress : "gzip",
			 o->level, o->epoch, o->out);
	digest_update(walk_digest, opts, (size_t)n);
	digest_final_hex(walk_digest, hex);
	digest_free(walk_digest);
	walk_digest = NULL;
}

static bool stamp_matches(const char *stamp, const char *out, const char *hex)
{
	struct strbuf have = STRBUF_INIT;
	bool same = path_exists(out) && file_read_quiet(stamp, &have) == 0 && !strcmp(have.data, hex);
	strbuf_release(&have);
	return same;
}

static int pack(const struct world *w, const struct plan *plan, struct initrd_opts *o, bool force)
{
	char hex[DIGEST_HEX_LEN + 1];
	char *stamp = world_path(w, "states/initrd-%s", plan->arch->name);
	fingerprint(o, hex);
	int ret = 0;
	if (!force && stamp_matches(stamp, o->out, hex)) {
		printf("%s: initrd is up to date: %s\n", plan->arch->name, o->out);
	} else {
		char *states = world_path(w, "states");
		ret = initrd_pack(o);
		if (ret == 0)
			ret = mkdir_p(states);
		if (ret == 0)
			ret = file_write_atomic(stamp, hex, strlen(hex));
		free(states);
		if (ret == 0)
			printf("%s: packed %s\n", plan->arch->name, o->out);
	}
	free(stamp);
	return ret;
}

static bool has_box_package(const struct plan *plan)
{
	for (size_t i = 0; i < plan->n; i++)
		if (plan->items[i].recipe->stage == STAGE_BOX)
			return true;
	return false;
}

/* Without box packages nothing ever makes a boxroot: a build is complete
 * after its cross stage, and only an explicit repack is an error. */
static int without_userland(const struct plan *plan, bool force)
{
	if (force)
		return error("the %s plan has no box package, so there is no userland to pack "
			     "(add a recipe with stage = box)", plan->arch->name);
	printf("%s: no initrd packed: the plan has no box package\n", plan->arch->name);
	return 0;
}

/* A build whose box packages installed nothing into the boxroot packs an
 * image of config/init and config/rootfs alone; a repack asks for a build. */
static int need_root(const struct plan *plan, const char *root, bool force)
{
	if (!force)
		return mkdir_p(root);
	return error("%s does not exist: build the userland first (bootstrap build %s)", root,
		     plan->arch->name);
}

int boxroot_pack(const struct world *w, const struct plan *plan, bool force)
{
	struct initrd_opts o = { 0 };
	if (!has_box_package(plan))
		return without_userland(plan, force);
	if (initrd_opts_from_env(&o) < 0)
		return -1;
	char *root = world_path(w, "output/%s/boxroot", plan->arch->name);
	char *overlay = project_path(w, "config/rootfs"), *init = project_path(w, "config/init");
	char *out = world_path(w, "output/%s/initrd.cpio%s", plan->arch->name, initrd_suffix(o.compress));
	o.root = root;
	o.overlay = is_dir(overlay) ? overlay : NULL;
	o.init = path_exists(init) ? init : NULL;
	o.out = out;
	int ret;
	if (!is_dir(root) && need_root(plan, root, force) < 0)
		ret = -1;
	else if (write_build_id(plan, root) < 0)
		ret = -1;
	else {
		/* A pack killed midway with another COMPRESS left its temp. */
		char *dir = world_path(w, "output/%s", plan->arch->name);
		file_remove_stale_temps(dir, "initrd.cpio");
		free(dir);
		ret = pack(w, plan, &o, force);
	}
	free(root);
	free(overlay);
	free(init);
	free(out);
	return ret;
}
