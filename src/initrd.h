/* initrd.h: a boxroot folder -> a cpio newc archive, through libarchive.
 *
 * Deterministic: entries sorted by path, owner 0:0, mtimes clamped to epoch,
 * /dev/console and /dev/null added as device entries (no root, no mknod),
 * symlinks and hard links kept. The same tree packs to the same bytes. */
#ifndef INITRD_H
#define INITRD_H

#include <stdbool.h>

struct initrd_opts {
	const char *root;     /* the boxroot folder */
	const char *init;     /* file packed as /init (mode 0755), or NULL */
	const char *out;      /* written atomically: out.tmp, then renamed */
	const char *compress; /* gzip (default), zstd, xz, none */
	int level;            /* 0: the compressor's default */
	long long epoch;      /* SOURCE_DATE_EPOCH: the latest mtime written */
};

/* Packs, then writes out.sha256 beside it. One error naming the offending
 * path or option; nothing half-written left behind. */
int initrd_pack(const struct initrd_opts *opts);

#endif
