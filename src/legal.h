/* legal.h: `bootstrap legal ARCH`, as Buildroot's legal-info: what a
 * distributor of the toolchain or the initrd must hand on, gathered into
 * output/<arch>/legal/:
 *   manifest.csv                       a line per package: version, stage,
 *                                      license, license files, source, sum,
 *                                      URL, patches
 *   sources/<file>                     each source archive, as verified
 *   patches/<name>-<version>/<patch>   each patch applied
 *   licenses/<name>-<version>/<path>   the license files the recipe names
 *                                      (license-files), from its source tree
 * The folder is made anew each time (beside, then renamed into place).
 * Sources the top lacks (packages taken from a binary cache) are fetched
 * first, verified as for a build. */
#ifndef LEGAL_H
#define LEGAL_H

struct plan;
struct world;

/* Every package of plan must be done. */
int legal_gather(const struct world *w, const struct plan *plan);

#endif
