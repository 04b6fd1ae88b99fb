/* recipe_parser.h: the recipe parser's state, shared by its parts (recipe.c:
 * lines and steps; recipe_version.c: versions; recipe_key.c: the key's
 * bytes). Not an interface for the rest of the driver: that is recipe.h. */
#ifndef RECIPE_PARSER_H
#define RECIPE_PARSER_H

#include <stdbool.h>
#include <stddef.h>

#include "recipe.h"
#include "strbuf.h"

struct arena;

enum key {
	KEY_NAME, KEY_VERSION, KEY_URL, KEY_SHA256, KEY_FILE, KEY_LICENSE, KEY_STAGE,
	KEY_DEPENDS, KEY_ARCH, KEY_DIR, KEY_INPUTS, KEY_TOOLS, KEY_INTREE, KEY_OVERLAY,
	KEY_INNER, KEY_COST, KEY_FOLLOWS, KEY_CONTINUES, KEY_LICENSE_FILES, KEY_COUNT
};

extern const char *const recipe_key_names[KEY_COUNT];

/* key@VERSION = value: the value of key when VERSION is the one built. */
struct qualified {
	int k;
	char *version;
	const char *path;
	int line, order;
	bool dropped; /* an overlay set the key for every version */
	struct strbuf value;
};

struct parser {
	struct arena *arena;
	const struct strlist *choices; /* "name=version" */
	const char *path;
	struct recipe *r;
	int line;
	const char *raw[KEY_COUNT];   /* values as written, continuations joined */
	struct strbuf cont[KEY_COUNT];
	int key_line[KEY_COUNT];
	const char *key_path[KEY_COUNT]; /* the file that set it */
	int key_order[KEY_COUNT];        /* first set as the nth key */
	int next_order;
	bool layering;                   /* parsing an overlay over its base */
	int open_key;                  /* key a continuation line extends, or -1 */
	int open_qual;                 /* or qualified key, or -1 */
	struct qualified *quals;
	size_t nquals, quals_cap;
	struct step *step;             /* open step, or NULL */
	struct strbuf body;
	size_t steps_cap;
};

/* Errors, reported once with the file and line; each returns -1. */
int parser_error(struct parser *p, int line, const char *fmt, const char *arg);
/* About a key, at the line (and file) that set it. */
int parser_key_error(struct parser *p, int k, const char *fmt, const char *arg);
int parser_path_error(struct parser *p, int k, const char *label, const char *v, const char *why,
		      bool inside);

/* The index of s[0..len) in names, or -1. */
int recipe_find_name(const char *const *names, int n, const char *s, size_t len);
bool recipe_is_ident(char c);
/* The whitespace-separated words of s, in the arena. */
struct strlist parser_words(struct arena *a, const char *s);

/* recipe_version.c */
int parser_qualified_line(struct parser *p, int k, const char *version, const char *value);
void parser_drop_base_qualified(struct parser *p, int k);
int parser_choose_version(struct parser *p);

#endif
