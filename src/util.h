/* util.h: error reporting, allocation wrappers that exit on failure.
 *
 * error() prints "bootstrap: error: ..." to stderr and returns -1, so a
 * function reports once, where it knows the context, and returns its value.
 * Only bootstrap.c calls die(); library code returns -1 up the stack. */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ATTR_PRINTF(a, b) __attribute__((format(printf, a, b)))

int error(const char *fmt, ...) ATTR_PRINTF(1, 2);
int error_errno(const char *fmt, ...) ATTR_PRINTF(1, 2); /* appends ": strerror(errno)" */
void warning(const char *fmt, ...) ATTR_PRINTF(1, 2);
_Noreturn void die(const char *fmt, ...) ATTR_PRINTF(1, 2);
_Noreturn void bug_at(const char *file, int line, const char *fmt, ...) ATTR_PRINTF(3, 4);
/* Where error() and warning() write (default stderr); the fuzzer mutes them. */
void report_to(FILE *stream);
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) ATTR_PRINTF(1, 2);
/* A copy of the n bytes at s without leading and trailing blanks. */
char *xstrndup_trimmed(const char *s, size_t n);

/* Grow *items (of *cap elements of size) so that it holds at least need. */
void xgrow(void *items, size_t *cap, size_t need, size_t size);

bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
/* Whether s is one of the n strings of list. */
bool str_listed(const char *const *list, size_t n, const char *s);
double now_seconds(void); /* monotonic */

#endif
