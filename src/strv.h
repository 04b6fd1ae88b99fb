/* strv.h: a NULL-terminated vector of owned strings, for argv and envp. */
#ifndef STRV_H
#define STRV_H

#include <stddef.h>
#include "util.h"

struct strv {
	char **items; /* NULL-terminated once anything was pushed */
	size_t n, cap;
};

#define STRV_INIT { NULL, 0, 0 }

void strv_push(struct strv *v, const char *s);
void strv_pushf(struct strv *v, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* Pushes each non-empty piece of text between the separators sep. */
void strv_split(struct strv *v, const char *text, char sep);
/* Sets NAME=value, replacing an earlier NAME. */
void strv_setenv(struct strv *v, const char *name, const char *value);
const char *strv_getenv(const struct strv *v, const char *name);
void strv_free(struct strv *v);

#endif
