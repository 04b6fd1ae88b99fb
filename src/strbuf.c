#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char strbuf_empty[1];

static void grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap * 2 : 64;
	while (cap < need)
		cap *= 2;
	sb->data = xrealloc(sb->cap ? sb->data : NULL, cap);
	if (!sb->cap)
		sb->data[0] = '\0';
	sb->cap = cap;
}

void strbuf_add(struct strbuf *sb, const void *p, size_t n)
{
	grow(sb, n);
	memcpy(sb->data + sb->len, p, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void strbuf_adds(struct strbuf *sb, const char *s) { strbuf_add(sb, s, strlen(s)); }
void strbuf_addc(struct strbuf *sb, char c) { strbuf_add(sb, &c, 1); }

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		BUG("bad format '%s'", fmt);
	grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->cap)
		sb->data[0] = '\0';
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->cap)
		free(sb->data);
	sb->data = strbuf_empty;
	sb->len = sb->cap = 0;
}

char *strbuf_detach(struct strbuf *sb)
{
	char *out = sb->cap ? sb->data : xstrdup("");
	sb->data = strbuf_empty;
	sb->len = sb->cap = 0;
	return out;
}
