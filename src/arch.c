#include "arch.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arch_check.h"
#include "file.h"
#include "strbuf.h"
#include "util.h"

static const char *const known[] = {
	"name", "aliases", "triplet", "kernel-arch", "musl-arch", "gcc-config", "meson-cpu-family",
	"meson-cpu", "endian", "qemu", "qemu-machine", "console", "kernel-args", "debian",
	"kernel-flavour", "no-boot", "file",
};
static const char *const required[] = { "name", "triplet", "kernel-arch", "qemu", "debian" };
/* The keys whose values become names (arch_check.h): one word each, but
 * aliases, a list of them. */
static const char *const name_keys[] = {
	"name", "aliases", "triplet", "kernel-arch", "musl-arch", "meson-cpu-family", "meson-cpu",
	"endian", "qemu", "console", "debian", "kernel-flavour",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static struct arch *table;
static size_t ntable;
static char *valid_names;

const char *arch_value(const struct arch *a, const char *key)
{
	for (size_t i = 0; i < a->nvalues; i++)
		if (!strcmp(a->values[i].key, key))
			return a->values[i].value;
	return NULL;
}

static bool is_known(const char *key)
{
	return str_listed(known, COUNT(known), key);
}

/* The line of key in a's file (0 when it has none). */
static int line_of(const struct arch *a, const char *key)
{
	for (size_t i = 0; i < a->nvalues; i++)
		if (!strcmp(a->values[i].key, key))
			return a->values[i].line;
	return 0;
}

/* One "key = value" line into a; -1 after an error naming path:line. */
static int parse_line(struct arch *a, const char *path, int lineno, const char *l, size_t n,
		      size_t *cap)
{
	const char *eq = memchr(l, '=', n);
	if (isspace((unsigned char)*l) || !eq)
		return error("%s:%d: expected 'key = value' at the start of the line", path, lineno);
	char *key = xstrndup_trimmed(l, (size_t)(eq - l));
	if (!is_known(key)) {
		struct strbuf keys = { 0 };
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			strbuf_addf(&keys, "%s%s", i ? " " : "", known[i]);
		error("%s:%d: unknown key '%s' (keys: %s)", path, lineno, key, keys.data);
		strbuf_release(&keys);
		free(key);
		return -1;
	}
	if (arch_value(a, key)) {
		error("%s:%d: duplicate key '%s'", path, lineno, key);
		free(key);
		return -1;
	}
	xgrow(&a->values, cap, a->nvalues + 1, sizeof *a->values);
	a->values[a->nvalues++] = (struct arch_value){ key, xstrndup_trimmed(eq + 1, n - (size_t)(eq + 1 - l)),
						       lineno };
	return 0;
}

static int parse_text(struct arch *a, const char *path, const char *text)
{
	size_t cap = 0;
	int lineno = 0, ret = 0;
	for (const char *l = text; *l && ret == 0;) {
		size_t n = strcspn(l, "\n");
		lineno++;
		size_t blank = strspn(l, " \t\r");
		if (blank < n && l[blank] != '#')
			ret = parse_line(a, path, lineno, l, n, &cap);
		l += n + (l[n] == '\n');
	}
	return ret;
}

/* One word of value v: a plain name, and for the name and the aliases not
 * one the Makefile or the layout keeps (arch_check.h). */
static int check_word(const char *path, const struct arch_value *v, const char *word)
{
	bool name = !strcmp(v->key, "name");
	const char *why = arch_check_plain(word);
	if (why)
		return error("%s:%d: %s '%s' is not a plain name (%s); use letters, digits, '.', '_' "
			     "or '-', starting with a letter or a digit", path, v->line, v->key, word, why);
	why = name || !strcmp(v->key, "aliases") ? arch_check_reserved(word, name) : NULL;
	if (why)
		return error("%s:%d: %s '%s' cannot name an arch (%s); choose another", path, v->line,
			     name ? "name" : "alias", word, why);
	return 0;
}

/* Every value that becomes a name: one plain word (aliases: any number). */
static int check_words(const struct arch *a, const char *path)
{
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < a->nvalues; i++) {
		const struct arch_value *v = &a->values[i];
		if (!str_listed(name_keys, COUNT(name_keys), v->key))
			continue;
		if (strcmp(v->key, "aliases") && strpbrk(v->value, " \t"))
			return error("%s:%d: %s '%s' must be one word", path, v->line, v->key, v->value);
		for (const char *s = v->value; ret == 0 && *(s += strspn(s, " \t"));) {
			char *word = xstrndup(s, strcspn(s, " \t"));
			ret = check_word(path, v, word);
			s += strlen(word);
			free(word);
		}
	}
	return ret;
}

/* Required keys, names, the name matching the file, the aliases. */
static int check_arch(struct arch *a, const char *path, const char *fname)
{
	for (size_t i = 0; i < COUNT(required); i++) {
		const char *v = arch_value(a, required[i]);
		if (!v || !*v)
			return error("%s: '%s' must be given, one word", path, required[i]);
	}
	if (check_words(a, path) < 0)
		return -1;
	a->name = arch_value(a, "name");
	if (strlen(fname) != strlen(a->name) + strlen(".arch") || strncmp(fname, a->name, strlen(a->name)))
		return error("%s: name '%s' does not match the file name", path, a->name);
	a->triplet = arch_value(a, "triplet");
	a->kernel_arch = arch_value(a, "kernel-arch");
	a->qemu = arch_value(a, "qemu");
	a->debian = arch_value(a, "debian");
	const char *al = arch_value(a, "aliases");
	size_t cap = 0;
	for (const char *s = al ? al : ""; *(s += strspn(s, " \t"));) {
		size_t n = strcspn(s, " \t");
		xgrow(&a->aliases, &cap, a->naliases + 1, sizeof *a->aliases);
		a->aliases[a->naliases++] = xstrndup(s, n);
		s += n;
	}
	return 0;
}

static void arch_free(struct arch *a)
{
	for (size_t k = 0; k < a->nvalues; k++) {
		free((char *)a->values[k].key);
		free((char *)a->values[k].value);
	}
	for (size_t k = 0; k < a->naliases; k++)
		free((char *)a->aliases[k]);
	free(a->values);
	free(a->aliases);
	free((char *)a->path);
	free((char *)a->bytes);
}

static int load_one(const char *dir, const char *fname, size_t *cap)
{
	char *path = xasprintf("%s/%s", dir, fname);
	struct strbuf text = STRBUF_INIT;
	struct arch a = { 0 };
	int ret = file_read_max(path, 65536, &text);
	if (ret == 0 && memchr(text.data, '\0', text.len))
		ret = error("%s: not a text file", path);
	if (ret == 0)
		ret = parse_text(&a, path, text.data);
	if (ret == 0)
		ret = check_arch(&a, path, fname);
	if (ret < 0) {
		arch_free(&a);
		strbuf_release(&text);
		free(path);
		return -1;
	}
	a.path = path;
	a.nbytes = text.len;
	a.bytes = strbuf_detach(&text);
	xgrow(&table, cap, ntable + 1, sizeof *table);
	table[ntable++] = a;
	return 0;
}

/* The names arch i answers to: its name (k == 0), then its aliases. */
static const char *name_at(size_t i, size_t k)
{
	return k == 0 ? table[i].name : k <= table[i].naliases ? table[i].aliases[k - 1] : NULL;
}

/* Where arch i's k-th name is given: "path:line". */
static int name_error(size_t i, size_t k, size_t j)
{
	int line = line_of(&table[i], k ? "aliases" : "name");
	if (j == i)
		return error("%s:%d: '%s' is given twice (as the name or an alias)", table[i].path,
			     line, name_at(i, k));
	return error("%s:%d: the name '%s' is also used by %s", table[i].path, line, name_at(i, k),
		     table[j].path);
}

/* No name or alias may stand for two arches, nor be given twice. */
static int check_names(void)
{
	for (size_t i = 0; i < ntable; i++)
		for (size_t k = 0; name_at(i, k); k++)
			for (size_t j = 0; j <= i; j++)
				for (size_t l = 0; name_at(j, l) && (j < i || l < k); l++)
					if (!strcmp(name_at(i, k), name_at(j, l)))
						return name_error(i, k, j);
	return 0;
}

static void build_valid_names(void)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < ntable; i++) {
		strbuf_addf(&sb, "%s%s", i ? ", " : "", table[i].name);
		for (size_t k = 0; k < table[i].naliases; k++)
			strbuf_addf(&sb, "%s%s", k ? ", " : " (", table[i].aliases[k]);
		if (table[i].naliases)
			strbuf_addc(&sb, ')');
	}
	free(valid_names);
	valid_names = strbuf_detach(&sb);
}

static void free_table(void)
{
	for (size_t i = 0; i < ntable; i++)
		arch_free(&table[i]);
	free(table);
	table = NULL;
	ntable = 0;
}

int arch_load(const char *dir)
{
	char **names;
	free_table();
	size_t n, cap = 0;
	if (!is_dir(dir))
		return error("cannot read the arch table: %s is not a folder (the project's "
			     "config/arches, one NAME.arch file per arch)", dir);
	if (dir_list(dir, ".arch", &names, &n) < 0)
		return -1;
	int ret = 0;
	for (size_t i = 0; i < n; i++)
		if (load_one(dir, names[i], &cap) < 0)
			ret = -1;
	names_free(names, n);
	if (ret == 0 && ntable == 0)
		ret = error("%s: no NAME.arch file: no arch to build for", dir);
	if (ret == 0)
		ret = check_names();
	build_valid_names();
	return ret;
}

const struct arch *arch_target(const struct arch *a)
{
	return a->target ? a->target : a;
}

const struct arch *arch_at(size_t i)
{
	return i < ntable ? &table[i] : NULL;
}

const struct arch *arch_find(const char *name)
{
	for (size_t i = 0; i < ntable; i++) {
		if (!strcmp(table[i].name, name))
			return &table[i];
		for (size_t j = 0; j < table[i].naliases; j++)
			if (!strcmp(table[i].aliases[j], name))
				return &table[i];
	}
	return NULL;
}

const char *arch_valid_names(void)
{
	return valid_names ? valid_names : "none: the arch table is not loaded";
}
