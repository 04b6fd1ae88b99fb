/* recipe_key.c: the bytes of a recipe that go into its package's input key. */
#include "recipe_parser.h"

#include "arch.h"

#include <stdint.h>
#include <stdlib.h>
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

/* Whether the step header "name@QUALIFIER:" is another arch's than arch
 * (canonical). The parser has checked that the qualifier names an arch. */
static bool other_arch_step(const char *qualifier, size_t len, const char *arch)
{
	if (!arch)
		return false;
	char *name = xstrndup(qualifier, len);
	const struct arch *a = arch_find(name);
	free(name);
	return !a || strcmp(a->name, arch);
}

static void truncate_to(struct strbuf *sb, size_t len)
{
	sb->len = len;
	if (sb->data)
		sb->data[len] = '\0';
}

/* The bytes of the recipe as built in its chosen version: without its cost
 * and license-files lines (a scheduling hint; what `bootstrap legal` copies),
 * without the values of other versions, and with
 * "version = CHOSEN" for the list of offered ones, so that offering one more
 * version rebuilds nothing. With arch, without other arches' own steps
 * ("install@i686:" for x86_64) and the comment or blank lines right above
 * them: adding one rebuilds only its arch. */
void recipe_key_bytes(const struct recipe *r, const char *arch, struct strbuf *out)
{
	const char *p = (const char *)r->bytes, *end = p + r->nbytes;
	bool in_step = false, dropping = false, skipping_step = false;
	size_t comment_from = SIZE_MAX; /* where the comments just above a line start in out */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		int k = -1;
		const char *version = NULL;
		size_t vlen = 0;
		enum line_kind kind = classify(p, next, &k, &version, &vlen);
		if (kind != LINE_OTHER) {
			in_step = kind == LINE_STEP;
			skipping_step = in_step && version && other_arch_step(version, vlen, arch);
			if (skipping_step && comment_from != SIZE_MAX)
				truncate_to(out, comment_from); /* they tell of that step */
			dropping = kind == LINE_KEY &&
				   (k == KEY_COST || k == KEY_LICENSE_FILES || k == KEY_VERSION ||
				    (version && (vlen != strlen(r->version) ||
						 memcmp(version, r->version, vlen))));
			if (kind == LINE_KEY && k == KEY_VERSION)
				strbuf_addf(out, "version = %s\n", r->version);
		} else if (p < next && *p != ' ' && *p != '\t') {
			dropping = false; /* a comment or blank line ends a value */
			if (*p != '\n' && *p != '\r')
				skipping_step = false; /* a blank line may be inside a step */
		}
		bool column0_comment = kind == LINE_OTHER && p < next && *p != ' ' && *p != '\t';
		if (!column0_comment)
			comment_from = SIZE_MAX;
		else if (comment_from == SIZE_MAX)
			comment_from = out->len;
		if (!skipping_step && !(dropping && !in_step))
			strbuf_add(out, p, (size_t)(next - p));
		p = next;
	}
}
