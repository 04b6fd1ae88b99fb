/* recipe_version.c: a recipe's versions: the offered list, key@VERSION
 * values, and the chosen version laid over the keys. Part of the recipe
 * parser (recipe_parser.h). */
#include "recipe_parser.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "digest.h"
#include "recipe_check.h"
#include "util.h"

/* Keys that name the package or choose its version cannot differ by version. */
static bool per_version_key(int k)
{
	return k != KEY_NAME && k != KEY_VERSION && k != KEY_OVERLAY && k != KEY_FOLLOWS &&
	       k != KEY_STAGE;
}

/* key@VERSION: a value for one offered version. A later file's (an
 * overlay's) replaces an earlier one's; one file may not give it twice. */
int parser_qualified_line(struct parser *p, int k, const char *version, const char *value)
{
	if (!per_version_key(k))
		return parser_error(p, p->line, "'%s' cannot differ between versions", recipe_key_names[k]);
	const char *why = recipe_check_component(version);
	if (why)
		return parser_error(p, p->line, "'%s' after @ is not a version", version);
	struct qualified *q = NULL;
	for (size_t i = 0; i < p->nquals; i++)
		if (p->quals[i].k == k && !strcmp(p->quals[i].version, version))
			q = &p->quals[i];
	if (q && q->path == p->path) {
		error("%s:%d: duplicate key '%s@%s' (first at line %d)", p->path, p->line,
		      recipe_key_names[k], version, q->line);
		return -1;
	}
	if (!q) {
		xgrow(&p->quals, &p->quals_cap, p->nquals + 1, sizeof *p->quals);
		q = &p->quals[p->nquals++];
		*q = (struct qualified){ k, xstrdup(version), NULL, 0, ++p->next_order, false,
					 STRBUF_INIT };
	}
	strbuf_reset(&q->value);
	strbuf_adds(&q->value, value);
	q->path = p->path;
	q->line = p->line;
	q->dropped = false;
	p->open_qual = (int)(q - p->quals);
	return 0;
}

/* An overlay that sets a key for every version replaces its base's values
 * for single versions too. */
void parser_drop_base_qualified(struct parser *p, int k)
{
	for (size_t i = 0; i < p->nquals; i++)
		if (p->quals[i].k == k && p->quals[i].path != p->path)
			p->quals[i].dropped = true;
}

static bool in_list(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i], s))
			return true;
	return false;
}

/* The version the user chose for package name (its leader's, for a follower),
 * when offered; else the default, the first one. recipe_set_load reports a
 * choice that is not offered. */
static const char *chosen_version(const struct parser *p, const char *name,
				  const struct strlist *offered)
{
	size_t n = strlen(name);
	for (size_t i = 0; p->choices && i < p->choices->n; i++) {
		const char *c = p->choices->items[i];
		if (!strncmp(c, name, n) && c[n] == '=' && in_list(offered, c + n + 1))
			return c + n + 1;
	}
	return offered->items[0];
}

/* version = A B C: the offered versions, the default first. */
static int set_versions(struct parser *p, struct strlist *offered)
{
	*offered = parser_words(p->arena, p->cont[KEY_VERSION].data);
	for (size_t i = 0; i < offered->n; i++) {
		const char *why = recipe_check_component(offered->items[i]);
		if (why)
			return parser_path_error(p, KEY_VERSION, "version", offered->items[i], why, false);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(offered->items[i], offered->items[j]))
				return parser_key_error(p, KEY_VERSION, "version '%s' is offered twice",
						offered->items[i]);
	}
	return 0;
}

/* Each offered version of a package with a source needs its own sum. */
static int check_version_sums(struct parser *p, const struct strlist *offered)
{
	bool has_source = p->key_line[KEY_URL] || p->key_line[KEY_SHA256];
	for (size_t i = 0; i < p->nquals; i++) {
		const struct qualified *q = &p->quals[i];
		has_source = has_source || (!q->dropped && (q->k == KEY_URL || q->k == KEY_SHA256));
		if (q->k == KEY_SHA256 && !q->dropped && !digest_is_hex(q->value.data)) {
			error("%s:%d: sha256 must be 64 lowercase hex digits, not '%s'", q->path, q->line,
			      q->value.data);
			return -1;
		}
	}
	for (size_t v = 0; has_source && offered->n > 1 && v < offered->n; v++) {
		bool found = false;
		for (size_t i = 0; i < p->nquals; i++)
			found = found || (p->quals[i].k == KEY_SHA256 && !p->quals[i].dropped &&
					  !strcmp(p->quals[i].version, offered->items[v]));
		if (!found) {
			char *msg = xasprintf("version %%s has no sha256@%s (with several versions, "
					      "each needs its own)", offered->items[v]);
			parser_key_error(p, KEY_VERSION, msg, offered->items[v]);
			free(msg);
			return -1;
		}
	}
	return 0;
}

/* Lays the key@CHOSEN values over the keys; a value for a version that is
 * not offered is an error in the file that offers the versions. */
static int lay_version_values(struct parser *p, const char *chosen)
{
	const struct strlist *offered = &p->r->versions;
	for (size_t i = 0; i < p->nquals; i++) {
		struct qualified *q = &p->quals[i];
		if (q->dropped)
			continue;
		if (!in_list(offered, q->version)) {
			if (q->path != p->key_path[KEY_VERSION])
				continue; /* an overlay offers other versions than its base */
			error("%s:%d: version '%s' is not offered (version = %s)", q->path, q->line,
			      q->version, p->cont[KEY_VERSION].data);
			return -1;
		}
		if (strcmp(q->version, chosen))
			continue;
		strbuf_reset(&p->cont[q->k]);
		strbuf_adds(&p->cont[q->k], q->value.data);
		if (!p->key_line[q->k])
			p->key_order[q->k] = q->order;
		p->key_line[q->k] = q->line;
		p->key_path[q->k] = q->path;
		p->raw[q->k] = p->cont[q->k].data;
	}
	return 0;
}

/* Picks the version to build and lays its key@VERSION values over the
 * keys; afterwards $version and every key mean that version's. */
int parser_choose_version(struct parser *p)
{
	struct recipe *r = p->r;
	if (!p->key_line[KEY_VERSION] || !p->key_line[KEY_NAME])
		return 0; /* check_required says so */
	if (set_versions(p, &r->versions) < 0)
		return -1;
	if (!r->versions.n)
		return 0; /* check_required says so */
	const char *follows = p->key_line[KEY_FOLLOWS] ? p->cont[KEY_FOLLOWS].data : NULL;
	r->follows = follows ? arena_strdup(p->arena, follows) : NULL;
	const char *chosen = chosen_version(p, follows ? follows : p->cont[KEY_NAME].data,
					    &r->versions);
	if (lay_version_values(p, chosen) < 0 || check_version_sums(p, &r->versions) < 0)
		return -1;
	chosen = arena_strdup(p->arena, chosen);
	strbuf_reset(&p->cont[KEY_VERSION]);
	strbuf_adds(&p->cont[KEY_VERSION], chosen);
	p->raw[KEY_VERSION] = p->cont[KEY_VERSION].data;
	return 0;
}
