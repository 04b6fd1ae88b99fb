/* json.h: writing JSON text into a strbuf, indented two spaces a level, with
 * the commas placed for the caller. Strings are escaped as RFC 8259 asks
 * (quote, backslash, control characters); bytes are copied as they are, so
 * the caller passes UTF-8. */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>

#include "strbuf.h"

#define JSON_DEPTH_MAX 16

struct json {
	struct strbuf *out;
	int depth;
	bool has_items[JSON_DEPTH_MAX]; /* at each level: an item was written */
	bool after_key;
};

void json_init(struct json *j, struct strbuf *out);
/* '{' or '[', as a value (of a key just written, or in an array). */
void json_open(struct json *j, char bracket);
void json_close(struct json *j, char bracket);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *value);
/* A number (or true, false, null), written as given. */
void json_literal(struct json *j, const char *text);
/* "key": "value" */
void json_member(struct json *j, const char *key, const char *value);
/* "key": { or "key": [ */
void json_open_member(struct json *j, const char *key, char bracket);

#endif
