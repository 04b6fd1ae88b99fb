/* world.h: where a run keeps things, and the settings every module reads.
 * The project folder (recipes/, patches/, config/) is the current directory;
 * the run-time folders (sources work toolchain states output) live under top. */
#ifndef WORLD_H
#define WORLD_H

#include <stdbool.h>

struct strlist;
struct world {
	const char *top;           /* absolute */
	const char *project;       /* absolute: recipes, patches, config */
	const char *recipes;       /* search path, colon-separated */
	const char *mirror;        /* NULL or a URL prefix: file://, http(s)://, ftp:// */
	const char *backup_mirror;
	int jobs;                  /* make -j for the steps */
	int fetch_jobs;            /* transfers at once */
	bool verbose;              /* steps' output on the terminal too */
	bool fetched;              /* build ARCH...: the parent fetched every source */
	const struct strlist *choices; /* PKG=VERSION: versions chosen (recipe.h) */
};

/* top/<formatted>; caller frees. */
char *world_path(const struct world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* project/<formatted>; caller frees. */
char *project_path(const struct world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
