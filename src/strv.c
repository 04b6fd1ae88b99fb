#include "strv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void push_owned(struct strv *v, char *s)
{
	xgrow(&v->items, &v->cap, v->n + 2, sizeof *v->items);
	v->items[v->n++] = s;
	v->items[v->n] = NULL;
}

void strv_push(struct strv *v, const char *s)
{
	push_owned(v, xstrdup(s));
}

void strv_split(struct strv *v, const char *text, char sep)
{
	while (*text) {
		const char *end = strchr(text, sep);
		size_t n = end ? (size_t)(end - text) : strlen(text);
		if (n)
			push_owned(v, xstrndup(text, n));
		text += n + (end != NULL);
	}
}

void strv_pushf(struct strv *v, const char *fmt, ...)
{
	char *s;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		BUG("vasprintf failed");
	va_end(ap);
	push_owned(v, s);
}

static long find_env(const struct strv *v, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < v->n; i++)
		if (!strncmp(v->items[i], name, len) && v->items[i][len] == '=')
			return (long)i;
	return -1;
}

void strv_setenv(struct strv *v, const char *name, const char *value)
{
	long i = find_env(v, name);
	char *s = xasprintf("%s=%s", name, value);
	if (i < 0) {
		push_owned(v, s);
		return;
	}
	free(v->items[i]);
	v->items[i] = s;
}

const char *strv_getenv(const struct strv *v, const char *name)
{
	long i = find_env(v, name);
	return i < 0 ? NULL : v->items[i] + strlen(name) + 1;
}

void strv_free(struct strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->items[i]);
	free(v->items);
	v->items = NULL;
	v->n = v->cap = 0;
}
