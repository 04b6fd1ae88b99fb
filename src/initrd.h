/* initrd.h: a boxroot folder -> a cpio newc archive, through libarchive.
 *
 * Deterministic: entries sorted by path (bytewise), owner 0:0, mtimes
 * clamped to epoch, inode numbers assigned in that order, link counts counted
 * inside the image, /dev, /dev/console (c 5 1) and /dev/null (c 1 3) added as
 * entries when missing (no root, no mknod), symlinks and hard links kept
 * (a hard link's data goes with its last name, as newc wants). The same tree
 * packs to the same bytes whatever the file system, the host's inode numbers
 * or the order the files were created in. */
#ifndef INITRD_H
#define INITRD_H

#include <stdbool.h>

struct initrd_opts {
	const char *root;     /* the boxroot folder */
	const char *overlay;  /* packed over root, winning on clashes (config/rootfs), or NULL */
	const char *init;     /* file packed as /init (mode 0755), or NULL */
	const char *out;      /* written atomically: out.tmp.<pid>, then renamed */
	const char *compress; /* gzip (default when NULL), zstd, xz, none */
	int level;            /* 0: the compressor's default; else gzip 1-9, zstd 1-19, xz 1-9 */
	long long epoch;      /* SOURCE_DATE_EPOCH: the latest mtime written, 0..4294967295 */
};

/* Sets compress, level and epoch from COMPRESS, COMPRESS_LEVEL and
 * SOURCE_DATE_EPOCH (unset or empty: gzip, the compressor's default, 0) and
 * leaves the other fields alone; compress points into the environment.
 * -1 with one error line for a bad value. */
int initrd_opts_from_env(struct initrd_opts *o);

/* The file name suffix for a COMPRESS value: ".gz", ".zst", ".xz", "" for
 * none; NULL when unknown. */
const char *initrd_suffix(const char *compress);

/* Packs, then writes out.sha256 beside it in sha256sum's format. One error
 * naming the offending path or option; on failure out is untouched and no
 * temp file is left. xz runs the xz program (the kernel only takes CRC32
 * checks, which libarchive's own xz writer cannot make). */
int initrd_pack(const struct initrd_opts *opts);

#endif
