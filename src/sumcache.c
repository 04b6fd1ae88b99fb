#include "sumcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "file.h"
#include "strbuf.h"
#include "util.h"

#define SUMCACHE_MAGIC "bootstrap sumcache 1\n"

struct entry {
	char *name;
	char sum[DIGEST_HEX_LEN + 1];
	char key[128]; /* size ino dev mtime ctime */
};

struct sumcache {
	char *path;
	struct entry *items;
	size_t n, cap;
	bool dirty;
};

static void stat_key(const struct stat *st, char key[128])
{
	snprintf(key, 128, "%lld %llu %llu %lld.%09ld %lld.%09ld", (long long)st->st_size,
		 (unsigned long long)st->st_ino, (unsigned long long)st->st_dev,
		 (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec,
		 st->st_ctim.tv_nsec);
}

static struct entry *find(const struct sumcache *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->items[i].name, name))
			return &c->items[i];
	return NULL;
}

/* "<sum> <size> <ino> <dev> <mtime> <ctime> <name>": the name is last, as it
 * is the only field that is not a number. */
static void parse_line(struct sumcache *c, char *line)
{
	char *sp[6];
	char *s = line;
	for (int i = 0; i < 6; i++) {
		sp[i] = strchr(s, ' ');
		if (!sp[i])
			return;
		s = sp[i] + 1;
	}
	*sp[0] = '\0';
	*sp[5] = '\0';
	if (!digest_is_hex(line) || !*s || strlen(sp[0] + 1) >= 128)
		return;
	struct stat none = { 0 };
	sumcache_put(c, s, &none, line);
	strcpy(find(c, s)->key, sp[0] + 1);
}

struct sumcache *sumcache_load(const char *path)
{
	struct sumcache *c = xcalloc(1, sizeof *c);
	c->path = xstrdup(path);
	struct strbuf text = STRBUF_INIT;
	if (file_read_quiet(path, &text) == 0 && str_starts_with(text.data, SUMCACHE_MAGIC)) {
		char *save = NULL;
		for (char *l = strtok_r(text.data + strlen(SUMCACHE_MAGIC), "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save))
			parse_line(c, l);
	}
	strbuf_release(&text);
	c->dirty = false;
	return c;
}

bool sumcache_check(const struct sumcache *c, const char *name, const struct stat *st,
		    const char *sum)
{
	const struct entry *e = find(c, name);
	char key[128];
	if (!e || strcmp(e->sum, sum))
		return false;
	stat_key(st, key);
	return !strcmp(e->key, key);
}

void sumcache_put(struct sumcache *c, const char *name, const struct stat *st, const char *sum)
{
	struct entry *e = find(c, name);
	if (!e) {
		xgrow(&c->items, &c->cap, c->n + 1, sizeof *c->items);
		e = &c->items[c->n++];
		e->name = xstrdup(name);
	}
	snprintf(e->sum, sizeof e->sum, "%s", sum);
	stat_key(st, e->key);
	c->dirty = true;
}

void sumcache_forget(struct sumcache *c, const char *name)
{
	struct entry *e = find(c, name);
	if (!e)
		return;
	free(e->name);
	*e = c->items[--c->n];
	c->dirty = true;
}

int sumcache_save(struct sumcache *c)
{
	if (!c->dirty)
		return 0;
	struct strbuf out = STRBUF_INIT;
	strbuf_adds(&out, SUMCACHE_MAGIC);
	for (size_t i = 0; i < c->n; i++)
		strbuf_addf(&out, "%s %s %s\n", c->items[i].sum, c->items[i].key, c->items[i].name);
	int ret = file_write_atomic(c->path, out.data, out.len);
	strbuf_release(&out);
	if (ret == 0)
		c->dirty = false;
	return ret;
}

void sumcache_free(struct sumcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i].name);
	free(c->items);
	free(c->path);
	free(c);
}
