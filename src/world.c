#include "world.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "strbuf.h"

static char *join(const char *base, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, base);
	strbuf_addc(&sb, '/');
	char *rest;
	if (vasprintf(&rest, fmt, ap) < 0)
		BUG("vasprintf failed");
	strbuf_adds(&sb, rest);
	free(rest);
	return strbuf_detach(&sb);
}

char *world_path(const struct world *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = join(w->top, fmt, ap);
	va_end(ap);
	return p;
}

char *project_path(const struct world *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = join(w->project, fmt, ap);
	va_end(ap);
	return p;
}
