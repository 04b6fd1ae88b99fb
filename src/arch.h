/* arch.h: the target architectures, their aliases and the names other tools
 * use for them (triplet, kernel ARCH, qemu, Debian). */
#ifndef ARCH_H
#define ARCH_H

#include <stddef.h>

struct arch {
	const char *name;        /* canonical: x86_64, aarch64, i686 */
	const char *triplet;     /* x86_64-linux-musl */
	const char *kernel_arch; /* make ARCH= for headers_install */
	const char *qemu;        /* qemu-<this>-static, qemu-system-<this> */
	const char *debian;      /* Debian architecture name */
	const char *aliases[3];
};

/* By canonical name or alias; NULL when unknown. */
const struct arch *arch_find(const char *name);
const struct arch *arch_at(size_t i); /* NULL past the last */
/* "x86_64 amd64 aarch64 arm64 i686 i386 x86", for error messages. */
const char *arch_valid_names(void);

#endif
