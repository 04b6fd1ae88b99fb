/* hooks.h: hooks/<stage>.d/NN-name.sh, run once a stage is complete, in the
 * numeric order of their names (50-sign.sh before 51-upload.sh, 9-x.sh before
 * 10-y.sh). A failing hook fails the build, by name.
 *
 * A stamp (states/hooks-<stage>-<arch>, states/hooks-host) records that these
 * very hooks ran after the stage's last build: building a package of the
 * stage removes it, a failed or killed hook leaves it missing, and a changed
 * hook no longer matches it, so the next build runs the hooks again even when
 * it has no package to build. */
#ifndef HOOKS_H
#define HOOKS_H

#include "recipe.h"

struct arch;
struct world;

/* Runs the stage's hooks unless its stamp says they already ran. */
int hooks_run(const struct world *w, const struct arch *a, enum stage stage);
/* Before building a package of the stage: its hooks are due again. */
void hooks_forget(const struct world *w, const struct arch *a, enum stage stage);

#endif
