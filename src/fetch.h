/* fetch.h: getting sources into top/sources/, verified.
 *
 * Places, in order: $MIRROR/<file>, the recipe's urls, $BACKUP_MIRROR/<file>
 * (file://, http://, https://, ftp://; at most 10 redirects). Bytes go to
 * sources/<file>.part and through SHA-256 as they arrive; a rerun resumes the
 * .part with a Range request. A match is renamed into place; a mismatch is
 * kept as sources/<file>.bad and the next place tried. A file already in
 * sources/ counts only when it verifies; sources/.verified remembers which
 * files did (by size, inode, mtime and ctime), so a rerun reads none of them.
 * One fetch at a time holds sources/.lock.
 *
 * The environment tunes it (README.md, "Sources"): FETCH_CONNECT_TIMEOUT
 * (seconds, default 30), FETCH_LOW_SPEED_LIMIT (bytes/s, default 1024) and
 * FETCH_LOW_SPEED_TIME (seconds, default 30): a try slower than the limit for
 * that long is aborted; FETCH_TRIES (per place, default 3); FETCH_BACKOFF
 * (seconds before the second try, doubling after, default 1). Transfers at
 * once: world.fetch_jobs. */
#ifndef FETCH_H
#define FETCH_H

#include <stdbool.h>
#include <stddef.h>

struct recipe;
struct world;

/* Fetches the sources of the given recipes (those without a url are
 * skipped), several at once; a file several recipes name is fetched once.
 * One error per file that failed, listing every place tried and why; -1 if
 * any failed. Status lines go to stdout (a live display on a terminal). */
int fetch_sources(const struct world *w, const struct recipe *const *recipes, size_t n);
/* For each file fetch_sources() would fetch, one line on stdout:
 * FILE<TAB>SHA256<TAB>URL[<TAB>URL...], the recipes' urls in order (not
 * MIRROR's or BACKUP_MIRROR's). Touches nothing on disk. */
int fetch_print_list(const struct world *w, const struct recipe *const *recipes, size_t n);
/* Downloads r's source from its urls (not the mirrors), without checking a
 * sum, into sources/, and writes its SHA-256 into the recipe file in place
 * (atomically, keeping comments and layout). */
int fetch_checksum(const struct world *w, const struct recipe *r);
/* Whether s starts with a scheme and "://" (MIRROR=https://...), as opposed
 * to a plain path (MIRROR=/srv/tarballs). */
bool fetch_is_url(const char *s);
/* The file:// URL of an absolute folder, percent-encoded; caller frees. */
char *fetch_folder_url(const char *dir);

#endif
