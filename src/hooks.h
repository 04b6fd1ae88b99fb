/* hooks.h: hooks/<stage>.d/NN-name.sh, run after a stage in which something was
 * built, in the numeric order of their names (50-sign.sh before 51-upload.sh,
 * 9-x.sh before 10-y.sh). A failing hook fails the build, by name. */
#ifndef HOOKS_H
#define HOOKS_H

#include "recipe.h"

struct arch;
struct world;

int hooks_run(const struct world *w, const struct arch *a, enum stage stage);

#endif
