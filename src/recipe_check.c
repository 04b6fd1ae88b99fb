#include "recipe_check.h"

#include <stdbool.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)
#define TOO_LONG "it is longer than " STR(RECIPE_NAME_MAX) " bytes"

static bool is_dots(const char *s, size_t n)
{
	return (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

const char *recipe_check_component(const char *v)
{
	size_t n = strlen(v);
	if (!n)
		return "it is empty";
	if (is_dots(v, n))
		return "it is . or ..";
	if (strchr(v, '/'))
		return "it contains '/'";
	if (n > RECIPE_NAME_MAX)
		return TOO_LONG;
	return NULL;
}

const char *recipe_check_inside(const char *v)
{
	if (!*v)
		return "it is empty";
	if (*v == '/')
		return "it is absolute";
	if (strlen(v) > RECIPE_NAME_MAX)
		return TOO_LONG;
	for (const char *c = v; *c;) {
		size_t n = strcspn(c, "/");
		if (n == 2 && is_dots(c, n))
			return "it has a '..' component";
		c += n + (c[n] == '/');
	}
	return NULL;
}
