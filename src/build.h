/* build.h: running a plan: unpack, patch, the steps, state and resume. */
#ifndef BUILD_H
#define BUILD_H

#include <stddef.h>

struct arch;
struct plan;
struct world;

/* The arch's lock (states/.lock-ARCH), refused with the holder's pid when
 * another build or command has it; the fd to close, or -1. build, reset,
 * shell and initrd hold it while they run. */
int build_lock(const struct world *w, const struct arch *a);
int build_run(const struct world *w, const struct plan *plan);
/* The sources that the plans' packages not yet done need, in one fetch. */
int build_fetch(const struct world *w, const struct plan *plans, size_t n);
int build_status(const struct world *w, const struct plan *plan);
int build_reset(const struct world *w, const struct plan *plan, const char *pkg);
int build_shell(const struct world *w, const struct plan *plan, const char *pkg);


#endif
