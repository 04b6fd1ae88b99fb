/* arch.h: the target architectures, read from config/arches/<name>.arch
 * (README.md, "Arches"): one file per arch of `key = value` lines, so that
 * adding an arch is adding a file, not code.
 *
 *   name        = i686                 the file's name without .arch
 *   aliases     = i386 x86             other names users may give
 *   triplet     = i686-linux-musl      the GNU target ($TARGET)
 *   kernel-arch = x86                  Linux's ARCH ($KARCH)
 *   qemu        = i386                 qemu-<this>-static, qemu-system-<this>
 *   debian      = i386                 Debian's name for it
 *   ...                                the rest: ARCH_<KEY> in the steps
 *
 * Every key of the file reaches the steps as ARCH_<KEY> (capitals, - as _):
 * ARCH_GCC_CONFIG, ARCH_MUSL_ARCH... The file's bytes are part of the input
 * keys of the arch's packages. Errors carry file:line, as the recipes'.
 * The values that become names (the name, aliases, triplet, qemu...) must be
 * plain names, and the name and aliases no make target (arch_check.h). */
#ifndef ARCH_H
#define ARCH_H

#include <stddef.h>

struct arch_value {
	const char *key, *value;
	int line; /* of the file */
};

struct arch {
	const char *name;        /* canonical: x86_64, aarch64, i686 */
	const char *triplet;     /* x86_64-linux-musl */
	const char *kernel_arch; /* make ARCH= for headers_install */
	const char *qemu;        /* qemu-<this>-static, qemu-system-<this> */
	const char *debian;      /* Debian architecture name */
	const char **aliases;
	size_t naliases;
	struct arch_value *values; /* every key of the file, in file order */
	size_t nvalues;
	const char *path;          /* config/arches/<name>.arch */
	const char *bytes;         /* the file, for the input keys */
	size_t nbytes;
	/* A hosted toolchain (hosted.h) is an arch of its own, named
	 * HOST-hosted-TARGET, with the target's file: host is the arch its
	 * programs run on, target the arch it compiles for. Both NULL for the
	 * arches of the table (their programs run on the build machine). */
	const struct arch *host, *target;
	const char *host_group; /* its host stage: "host-HOST" (NULL: "host") */
};

/* The arch a's code is for: a itself, or a hosted toolchain's target. */
const struct arch *arch_target(const struct arch *a);

/* Reads every *.arch of dir; one error per bad line or file; -1 if any. */
int arch_load(const char *dir);
/* By canonical name or alias; NULL when unknown (or nothing is loaded). */
const struct arch *arch_find(const char *name);
const struct arch *arch_at(size_t i); /* by name; NULL past the last */
/* "aarch64 (arm64), i686 (i386, x86), x86_64 (amd64)", for messages. */
const char *arch_valid_names(void);
/* The value of key in a's file, or NULL when the file has no such key. */
const char *arch_value(const struct arch *a, const char *key);

#endif
