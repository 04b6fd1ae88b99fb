#include "sumedit.h"

#include <string.h>

#include "digest.h"
#include "file.h"
#include "strbuf.h"
#include "util.h"

/* Offset of line n (1-based) in text, or -1 past the end. */
static long line_start(const struct strbuf *text, int n)
{
	size_t pos = 0;
	for (int i = 1; i < n; i++) {
		const char *nl = memchr(text->data + pos, '\n', text->len - pos);
		if (!nl)
			return -1;
		pos = (size_t)(nl - text->data) + 1;
	}
	return pos < text->len ? (long)pos : -1;
}

static size_t line_end(const struct strbuf *text, size_t pos)
{
	const char *nl = memchr(text->data + pos, '\n', text->len - pos);
	return nl ? (size_t)(nl - text->data) : text->len;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* The value word of a key line starting at pos, or of the indented line after
 * it when the key line has only "key =". */
static int find_value(const struct strbuf *text, size_t pos, size_t *start, size_t *len)
{
	size_t end = line_end(text, pos);
	const char *eq = memchr(text->data + pos, '=', end - pos);
	if (!eq)
		return -1;
	size_t s = (size_t)(eq - text->data) + 1;
	while (s < end && (is_blank(text->data[s]) || text->data[s] == '\r'))
		s++;
	if (s == end && end < text->len && is_blank(text->data[end + 1])) {
		s = end + 1;
		end = line_end(text, s);
		while (s < end && is_blank(text->data[s]))
			s++;
	}
	size_t e = s;
	while (e < end && !is_blank(text->data[e]) && text->data[e] != '\r')
		e++;
	if (e == s)
		return -1;
	*start = s;
	*len = e - s;
	return 0;
}

static int replace_value(const char *path, struct strbuf *text, int lineno, const char *sum)
{
	long pos = line_start(text, lineno);
	size_t start, len;
	if (pos < 0 || find_value(text, (size_t)pos, &start, &len) < 0)
		return error("%s:%d: cannot find the sha256 value to replace", path, lineno);
	struct strbuf out = STRBUF_INIT;
	strbuf_add(&out, text->data, start);
	strbuf_adds(&out, sum);
	strbuf_add(&out, text->data + start + len, text->len - start - len);
	strbuf_release(text);
	*text = out;
	return 0;
}

/* The url key's line: "url" at column 0, blanks, then "=". */
static long find_url_line(const struct strbuf *text)
{
	for (size_t pos = 0; pos < text->len; pos = line_end(text, pos) + 1) {
		const char *l = text->data + pos;
		size_t n = line_end(text, pos) - pos, i = 3;
		if (n < 4 || memcmp(l, "url", 3))
			continue;
		while (i < n && is_blank(l[i]))
			i++;
		if (i < n && l[i] == '=')
			return (long)pos;
	}
	return -1;
}

/* "sha256" padded so that its "=" lines up with the url line's. */
static void add_key_line(struct strbuf *out, const struct strbuf *text, size_t url, const char *sum)
{
	size_t end = line_end(text, url);
	const char *l = text->data + url;
	size_t eq = (size_t)((const char *)memchr(l, '=', end - url) - l), v = eq + 1;
	while (url + v < end && is_blank(l[v]))
		v++;
	strbuf_adds(out, "sha256");
	size_t pad = eq > 6 ? eq - 6 : eq > 3; /* "url=" gets "sha256=" */
	strbuf_addf(out, "%*s", (int)pad, "");
	strbuf_addc(out, '=');
	strbuf_add(out, l + eq + 1, v - eq - 1);
	strbuf_adds(out, sum);
	strbuf_adds(out, end > url && l[end - url - 1] == '\r' ? "\r\n" : "\n");
}

static int insert_line(const char *path, struct strbuf *text, const char *sum)
{
	long url = find_url_line(text);
	if (url < 0)
		return error("%s: no url line to put the sha256 after", path);
	size_t after = line_end(text, (size_t)url) + 1;
	while (after < text->len && is_blank(text->data[after]) &&
	       line_end(text, after) > after + strspn(text->data + after, " \t\r"))
		after = line_end(text, after) + 1;
	struct strbuf out = STRBUF_INIT;
	strbuf_add(&out, text->data, after < text->len ? after : text->len);
	if (after > text->len || (out.len && out.data[out.len - 1] != '\n'))
		strbuf_addc(&out, '\n');
	add_key_line(&out, text, (size_t)url, sum);
	if (after < text->len)
		strbuf_add(&out, text->data + after, text->len - after);
	strbuf_release(text);
	*text = out;
	return 0;
}

int sumedit_write(const char *path, int sha256_line, const char *sum)
{
	if (!digest_is_hex(sum))
		BUG("not a sha256: %s", sum);
	struct strbuf text = STRBUF_INIT;
	int ret = file_read(path, &text);
	if (ret == 0)
		ret = sha256_line > 0 ? replace_value(path, &text, sha256_line, sum)
				      : insert_line(path, &text, sum);
	if (ret == 0)
		ret = file_write_atomic(path, text.data, text.len);
	strbuf_release(&text);
	return ret;
}
