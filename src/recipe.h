/* recipe.h: one recipe file -> struct recipe, and the recipe search path.
 *
 * Format (README.md, "Recipe format", is the manual):
 *
 *   # comment
 *   name    = zlib
 *   version = 1.3.1
 *   url     = https://zlib.net/fossils/zlib-$version.tar.gz
 *             https://github.com/madler/zlib/releases/download/v$version/zlib-$version.tar.gz
 *   sha256  = 9a93...
 *   license = Zlib
 *   stage   = box
 *
 *   configure:
 *       "$SRC/configure" --prefix=/usr --static
 *   install@i686:
 *       ...
 *
 * A recipe may offer several versions, the default first, and give any value
 * that differs for one version as key@VERSION (README.md, "Versions"):
 *
 *   version = 1.2.6 1.2.5
 *   sha256@1.2.6 = d585...
 *   sha256@1.2.5 = a9a1...
 *
 * It is parsed for one chosen version: every field then holds that version's
 * values. `follows = PKG` makes a recipe take PKG's chosen version.
 *
 * Header values may refer to earlier keys as $key or ${key}; step bodies are
 * kept verbatim (minus their indentation) and expanded by the shell when the
 * step runs. Every error carries file:line and is reported once, here. */
#ifndef RECIPE_H
#define RECIPE_H

#include <stdbool.h>
#include <stddef.h>

enum stage { STAGE_HOST, STAGE_CROSS, STAGE_BOX, STAGE_COUNT };
enum step_kind { STEP_PREPARE, STEP_CONFIGURE, STEP_BUILD, STEP_INSTALL, STEP_COUNT };

struct step {
	enum step_kind kind;
	const char *arch; /* canonical arch name, or NULL for every arch */
	const char *body; /* shell text, indentation removed, ends with \n */
	int line;
	const char *path; /* the file it came from (an overlay's or its base's) */
};

struct strlist {
	const char **items;
	size_t n;
};

struct recipe {
	const char *path; /* as found on the search path: recipes/zlib.recipe */
	const char *name, *version, *license; /* version: the chosen one */
	struct strlist versions; /* offered, the default first */
	const char *follows;     /* the package whose chosen version this one takes, or NULL */
	const char *continues;   /* the package in whose build folder this one goes on, or NULL */
	const char *sha256; /* NULL when the recipe has no source */
	const char *file;   /* saved name in sources/; default: the url's last part */
	const char *topdir; /* the tarball's top folder; default name-version */
	const char *inner;  /* an archive inside that tree which is the real source, or NULL */
	const char *inner_topdir; /* its top folder; default name-version */
	struct strlist urls;    /* places for the same file, tried in order */
	struct strlist depends; /* package names */
	struct strlist arches;  /* canonical arch names; empty: every arch */
	struct strlist inputs;  /* extra files hashed into the key (config/...) */
	struct strlist tools;   /* host commands the steps need (bootstrap doctor) */
	struct strlist license_files; /* in the source tree, for bootstrap legal */
	enum stage stage;
	bool intree; /* builds in a fresh copy of its source tree */
	unsigned cost; /* rough build seconds, for the scheduler; default 1 */
	struct step *steps;
	size_t nsteps;
	int depends_line, sha256_line, continues_line;
	const char *sha256_path; /* the file whose sha256_line sets it */
	const unsigned char *bytes; /* the file's bytes, for the input key */
	size_t nbytes;
};

#define RECIPE_COST_MAX 1000000

struct arena;

struct recipe_set {
	struct arena *arena;
	struct recipe **items; /* sorted by name */
	size_t n;
};

/* Parses text (the bytes of path) into *r; strings live in arena. */
int recipe_parse(struct arena *arena, const char *path, const char *text, size_t len,
		 struct recipe *r);
/* The same for the versions choices name ("PKG=VERSION" strings, NULL for
 * none); a choice of a version the recipe does not offer is ignored here
 * (recipe_set_load_chosen refuses it). */
int recipe_parse_chosen(struct arena *arena, const char *path, const char *text, size_t len,
			const struct strlist *choices, struct recipe *r);
/* An overlay: text (with `overlay = yes`) changes the recipe base_text: each
 * key it sets replaces the base's, each step it gives replaces the base's step
 * of the same name and arch, and the rest is the base's. The key hashes both. */
int recipe_parse_overlay(struct arena *arena, const char *base_path, const char *base_text,
			 size_t base_len, const char *path, const char *text, size_t len,
			 const struct strlist *choices, struct recipe *r);
/* recipe_set.c. Loads every *.recipe of every folder of the colon-separated search path;
 * for each package name, the first folder that has it wins. Checks that every
 * dependency names a known package. On failure the set is left empty. A
 * recipe must be a regular file (a symlink to one is fine) of at most
 * RECIPE_MAX bytes: a page of text, not a FIFO or a link to /dev/zero. */
#define RECIPE_MAX ((size_t)1 << 20)
int recipe_set_load(struct recipe_set *set, const char *search_path);
/* The same, each package in the version choices names ("PKG=VERSION"; NULL
 * for the defaults). Refuses a choice of an unknown package, of a follower,
 * or of a version not offered (listing the offered ones), and a follower
 * that does not offer its leader's versions. */
int recipe_set_load_chosen(struct recipe_set *set, const char *search_path,
			   const struct strlist *choices);
void recipe_set_free(struct recipe_set *set);
const struct recipe *recipe_set_find(const struct recipe_set *set, const char *name);

/* The body of a step for arch: the arch's own, else the generic one, else the
 * stage's default (which may be NULL: the step does nothing). */
const char *recipe_step(const struct recipe *r, enum step_kind kind, const char *arch);
bool recipe_applies(const struct recipe *r, const char *arch);
/* The first url's last path component, or NULL without a source. */
const char *recipe_file(const struct recipe *r);
struct strbuf;
/* What the key hashes: the recipe's bytes as built in its chosen version,
 * without cost lines (a scheduling hint), other versions' values, the
 * list of offered versions, or (with arch, canonical) other arches' steps.
 * arch NULL keeps every arch's steps (the host stage is every arch's). */
void recipe_key_bytes(const struct recipe *r, const char *arch, struct strbuf *out);

const char *stage_name(enum stage s);
const char *step_name(enum step_kind k);
/* The default body of a step for a stage, NULL when it does nothing. */
const char *recipe_default_step(enum stage s, enum step_kind k);

#endif
