/* build.h: running a plan: unpack, patch, the steps, state and resume. */
#ifndef BUILD_H
#define BUILD_H

struct plan;
struct world;

int build_run(const struct world *w, const struct plan *plan);
int build_status(const struct world *w, const struct plan *plan);
int build_reset(const struct world *w, const struct plan *plan, const char *pkg);
int build_shell(const struct world *w, const struct plan *plan, const char *pkg);


#endif
