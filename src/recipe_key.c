/* recipe_key.c: the bytes of a recipe that go into its package's input key. */
#include "recipe_parser.h"

#include <string.h>

/* What a line of a recipe is, for its key: a header line "key[@VERSION] ="
 * at column 0 sets *k (-1: unknown) and *version (NULL when unqualified). */
enum line_kind { LINE_OTHER, LINE_KEY, LINE_STEP };

static enum line_kind classify(const char *l, const char *end, int *k, const char **version,
			       size_t *vlen)
{
	if (l == end || *l == '#' || *l == ' ' || *l == '\t' || *l == '\n' || *l == '\r')
		return LINE_OTHER;
	const char *s = l;
	while (s < end && recipe_is_ident(*s))
		s++;
	*k = recipe_find_name(recipe_key_names, KEY_COUNT, l, (size_t)(s - l));
	*version = NULL;
	if (s < end && *s == '@') {
		*version = ++s;
		while (s < end && !strchr(" \t=:\n", *s))
			s++;
		*vlen = (size_t)(s - *version);
	}
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s < end && *s == '=')
		return LINE_KEY;
	return s < end && *s == ':' ? LINE_STEP : LINE_OTHER;
}

/* The bytes of the recipe as built in its chosen version: without its cost
 * and license-files lines (a scheduling hint; what `bootstrap legal` copies),
 * without the values of other versions, and with
 * "version = CHOSEN" for the list of offered ones, so that offering one more
 * version rebuilds nothing. */
void recipe_key_bytes(const struct recipe *r, struct strbuf *out)
{
	const char *p = (const char *)r->bytes, *end = p + r->nbytes;
	bool in_step = false, dropping = false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		int k = -1;
		const char *version = NULL;
		size_t vlen = 0;
		enum line_kind kind = classify(p, next, &k, &version, &vlen);
		if (kind != LINE_OTHER) {
			in_step = kind == LINE_STEP;
			dropping = kind == LINE_KEY &&
				   (k == KEY_COST || k == KEY_LICENSE_FILES || k == KEY_VERSION ||
				    (version && (vlen != strlen(r->version) ||
						 memcmp(version, r->version, vlen))));
			if (kind == LINE_KEY && k == KEY_VERSION)
				strbuf_addf(out, "version = %s\n", r->version);
		} else if (p < next && *p != ' ' && *p != '\t') {
			dropping = false; /* a comment or blank line ends a value */
		}
		if (!(dropping && !in_step))
			strbuf_add(out, p, (size_t)(next - p));
		p = next;
	}
}
