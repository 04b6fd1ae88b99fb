/* arch_check.h: which arch values may become names (README.md, "Arches").
 *
 * An arch's name is a folder under the top (toolchain/NAME, work/NAME,
 * states/cross-NAME), a make target and a word of the driver's command
 * line; its aliases are make targets and words too; its triplet is a folder
 * and a program prefix; kernel-arch, qemu, debian and the like name
 * programs, packages and folders of other projects. Each is a plain name,
 * refused when the file is read (with its file:line, by arch.c), as the
 * recipes' names are (recipe_check.h). */
#ifndef ARCH_CHECK_H
#define ARCH_CHECK_H

#include <stdbool.h>

/* NULL when v is a plain name: one path component (recipe_check.h) of
 * letters, digits, '.', '_' and '-', starting with a letter or a digit;
 * else why not, as "it ...". */
const char *arch_check_plain(const char *v);
/* NULL when v may be an arch's name (is_name) or alias: not a target of
 * the Makefile, and for a name not one the run-time layout keeps for itself
 * (host, host-*, *-hosted-*, cache, src: work/host, work/cache...); else
 * why not, as "it ...". */
const char *arch_check_reserved(const char *v, bool is_name);

#endif
