/* fetch.h: getting sources into top/sources/, verified.
 *
 * Places, in order: $MIRROR/<file>, the recipe's urls, $BACKUP_MIRROR/<file>.
 * Bytes go to sources/<file>.part and through SHA-256 as they arrive; a
 * rerun resumes the .part with a Range request. A match is renamed into
 * place; a mismatch is kept as sources/<file>.bad and the next place tried. */
#ifndef FETCH_H
#define FETCH_H

#include <stddef.h>

struct recipe;
struct world;

/* Fetches the sources of the given recipes (those without a url are
 * skipped), several at once. One error per file that failed, listing every
 * place tried and why; -1 if any failed. */
int fetch_sources(const struct world *w, const struct recipe *const *recipes, size_t n);
/* Downloads r's source without a known sum and writes its SHA-256 into the
 * recipe file in place (atomically, keeping comments and layout). */
int fetch_checksum(const struct world *w, const struct recipe *r);

#endif
