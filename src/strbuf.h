/* strbuf.h: a growable string whose .data is never NULL and always
 * NUL-terminated, so it can be passed to C string functions at any time. */
#ifndef STRBUF_H
#define STRBUF_H

#include <stddef.h>
#include "util.h"

struct strbuf {
	char *data;
	size_t len, cap;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void strbuf_add(struct strbuf *sb, const void *p, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) ATTR_PRINTF(2, 3);
void strbuf_reset(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb); /* caller frees; sb is reset */

#endif
