/* json.c: see json.h. */
#include "json.h"

#include "util.h"

void json_init(struct json *j, struct strbuf *out)
{
	*j = (struct json){ .out = out };
}

static void newline(struct json *j)
{
	strbuf_addc(j->out, '\n');
	for (int i = 0; i < j->depth; i++)
		strbuf_adds(j->out, "  ");
}

/* Before a value or a key: the comma after the level's last item. */
static void begin_item(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->has_items[j->depth])
			strbuf_addc(j->out, ',');
		newline(j);
	}
	j->has_items[j->depth] = true;
}

void json_open(struct json *j, char bracket)
{
	if (j->depth + 1 >= JSON_DEPTH_MAX)
		BUG("JSON nested deeper than %d", JSON_DEPTH_MAX);
	begin_item(j);
	strbuf_addc(j->out, bracket);
	j->has_items[++j->depth] = false;
}

void json_close(struct json *j, char bracket)
{
	bool had_items = j->has_items[j->depth--];
	if (had_items)
		newline(j);
	strbuf_addc(j->out, bracket);
	if (j->depth == 0)
		strbuf_addc(j->out, '\n');
}

static void add_quoted(struct strbuf *out, const char *s)
{
	strbuf_addc(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addf(out, "\\%c", *p);
		else if (*p == '\n')
			strbuf_adds(out, "\\n");
		else if (*p == '\t')
			strbuf_adds(out, "\\t");
		else if (*p < 0x20)
			strbuf_addf(out, "\\u%04x", *p);
		else
			strbuf_addc(out, (char)*p);
	}
	strbuf_addc(out, '"');
}

void json_key(struct json *j, const char *key)
{
	begin_item(j);
	add_quoted(j->out, key);
	strbuf_adds(j->out, ": ");
	j->after_key = true;
}

void json_string(struct json *j, const char *value)
{
	begin_item(j);
	add_quoted(j->out, value);
}

void json_literal(struct json *j, const char *text)
{
	begin_item(j);
	strbuf_adds(j->out, text);
}

void json_member(struct json *j, const char *key, const char *value)
{
	json_key(j, key);
	json_string(j, value);
}

void json_open_member(struct json *j, const char *key, char bracket)
{
	json_key(j, key);
	json_open(j, bracket);
}
