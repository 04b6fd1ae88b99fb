#include "recipe.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "arena.h"
#include "digest.h"
#include "file.h"
#include "recipe_check.h"
#include "recipe_parser.h"
#include "strbuf.h"
#include "util.h"

const char *const recipe_key_names[KEY_COUNT] = {
	"name", "version", "url", "sha256", "file", "license", "stage",
	"depends", "arch", "dir", "inputs", "tools", "intree", "overlay",
	"inner", "cost", "follows", "continues", "license-files",
};

static const char *const stage_names[STAGE_COUNT] = { "host", "cross", "box" };
static const char *const step_names[STEP_COUNT] = { "prepare", "configure", "build", "install" };

/* Generic build styles, autotools-like, as the original tool's shared build
 * functions were; a recipe overrides any of them. Not package knowledge. */
static const char *const default_steps[STAGE_COUNT][STEP_COUNT] = {
	[STAGE_HOST] = { NULL, "\"$SRC/configure\" --prefix=\"$PREFIX\" $CONFIGURE_HOST\n",
			 "make\n", "make install\n" },
	[STAGE_CROSS] = { NULL, "\"$SRC/configure\" --target=\"$TARGET\" --prefix=\"$PREFIX\" $CONFIGURE_HOST\n",
			  "make\n", "make install\n" },
	[STAGE_BOX] = { NULL, "\"$SRC/configure\" --host=\"$TARGET\" --prefix=\"$PREFIX\"\n",
			"make\n", "make DESTDIR=\"$SYSROOT\" install\n" },
};

const char *stage_name(enum stage s) { return stage_names[s]; }
const char *step_name(enum step_kind k) { return step_names[k]; }
const char *recipe_default_step(enum stage s, enum step_kind k) { return default_steps[s][k]; }

int parser_error(struct parser *p, int line, const char *fmt, const char *arg)
{
	struct strbuf msg = STRBUF_INIT;
	strbuf_addf(&msg, fmt, arg);
	if (line > 0)
		error("%s:%d: %s", p->path, line, msg.data);
	else
		error("%s: %s", p->path, msg.data);
	strbuf_release(&msg);
	return -1;
}

/* An error about a key, at the line (and file) that set it. */
int parser_key_error(struct parser *p, int k, const char *fmt, const char *arg)
{
	const char *path = p->path;
	p->path = p->key_path[k] ? p->key_path[k] : path;
	parser_error(p, p->key_line[k], fmt, arg);
	p->path = path;
	return -1;
}

int recipe_find_name(const char *const *names, int n, const char *s, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(names[i]) == len && !memcmp(names[i], s, len))
			return i;
	return -1;
}

static size_t indent_of(const char *s)
{
	size_t n = 0;
	while (s[n] == ' ' || s[n] == '\t')
		n++;
	return n;
}

/* Removes the smallest indentation shared by the body's non-blank lines. */
static char *dedent(struct arena *a, const char *body)
{
	size_t min = (size_t)-1;
	for (const char *l = body; *l; l = strchr(l, '\n') + 1) {
		size_t ind = indent_of(l);
		if (l[ind] != '\n' && ind < min)
			min = ind;
	}
	struct strbuf out = STRBUF_INIT;
	for (const char *l = body; *l; l = strchr(l, '\n') + 1) {
		size_t len = (size_t)(strchr(l, '\n') - l);
		size_t skip = len < min ? len : min;
		strbuf_add(&out, l + skip, len - skip);
		strbuf_addc(&out, '\n');
	}
	while (out.len >= 2 && out.data[out.len - 2] == '\n')
		out.data[--out.len] = '\0';
	char *s = arena_strdup(a, out.data);
	strbuf_release(&out);
	return s;
}

static void close_step(struct parser *p)
{
	if (!p->step)
		return;
	p->step->body = dedent(p->arena, p->body.data);
	strbuf_reset(&p->body);
	p->step = NULL;
}

/* The arch of "name@arch:", as its canonical name; NULL with an error when
 * the table has no such arch. */
static const char *step_arch(struct parser *p, const char *arch, size_t alen)
{
	char *a = xstrndup(arch, alen);
	const struct arch *found = arch_find(a);
	if (!found)
		error("%s:%d: unknown arch '%s' (valid: %s)", p->path, p->line, a, arch_valid_names());
	free(a);
	return found ? found->name : NULL;
}

static int open_step(struct parser *p, const char *s, size_t len, const char *arch, size_t alen)
{
	int kind = recipe_find_name(step_names, STEP_COUNT, s, len);
	if (kind < 0) {
		char *name = xstrndup(s, len);
		parser_error(p, p->line, "unknown step '%s' (steps: prepare configure build install)", name);
		free(name);
		return -1;
	}
	const char *canon = arch ? step_arch(p, arch, alen) : NULL;
	if (arch && !canon)
		return -1;
	struct recipe *r = p->r;
	for (size_t i = 0; i < r->nsteps; i++) {
		struct step *old = &r->steps[i];
		if ((int)old->kind != kind ||
		    !(old->arch == canon || (canon && old->arch && !strcmp(canon, old->arch))))
			continue;
		if (p->layering && old->path != p->path) { /* an overlay replaces its base's step */
			p->step = old;
			old->line = p->line;
			old->path = p->path;
			return 0;
		}
		error("%s:%d: duplicate step '%s' (first at line %d)", p->path, p->line, step_names[kind],
		      old->line);
		return -1;
	}
	if (r->nsteps == p->steps_cap) {
		size_t cap = p->steps_cap ? p->steps_cap * 2 : 4;
		struct step *steps = arena_alloc(p->arena, cap * sizeof *steps);
		if (r->nsteps)
			memcpy(steps, r->steps, r->nsteps * sizeof *steps);
		r->steps = steps;
		p->steps_cap = cap;
	}
	p->step = &r->steps[r->nsteps++];
	*p->step = (struct step){ (enum step_kind)kind, canon, NULL, p->line, p->path };
	return 0;
}

bool recipe_is_ident(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-'; }

/* "name:" or "name@arch:" at column 0, then nothing but a comment. */
static int try_step_header(struct parser *p, const char *l, size_t len, bool *matched)
{
	size_t i = 0;
	while (i < len && recipe_is_ident(l[i]))
		i++;
	size_t name_len = i, at = 0, alen = 0;
	if (i < len && l[i] == '@') {
		at = ++i;
		while (i < len && recipe_is_ident(l[i]))
			i++;
		alen = i - at;
	}
	if (i == 0 || i >= len || l[i] != ':')
		return *matched = false, 0;
	size_t rest = i + 1 + indent_of(l + i + 1);
	if (rest < len && l[rest] != '#')
		return *matched = false, 0;
	*matched = true;
	close_step(p);
	return open_step(p, l, name_len, at ? l + at : NULL, alen);
}

static int key_line(struct parser *p, const char *l, size_t len)
{
	const char *eq = memchr(l, '=', len);
	if (!eq)
		return parser_error(p, p->line, "expected 'key = value' or 'step:'%s", "");
	char *key = xstrndup_trimmed(l, (size_t)(eq - l));
	char *at = strchr(key, '@');
	int k = recipe_find_name(recipe_key_names, KEY_COUNT, key, at ? (size_t)(at - key) : strlen(key));
	if (k < 0) {
		if (at)
			*at = '\0';
		parser_error(p, p->line, "unknown key '%s'", key);
		free(key);
		return -1;
	}
	char *value = xstrndup_trimmed(eq + 1, len - (size_t)(eq + 1 - l));
	int ret = at ? parser_qualified_line(p, k, at + 1, value) : 0;
	free(key);
	if (at) {
		free(value);
		return ret;
	}
	if (p->key_line[k] && !(p->layering && p->key_path[k] != p->path)) {
		error("%s:%d: duplicate key '%s' (first at line %d)", p->path, p->line, recipe_key_names[k],
		      p->key_line[k]);
		free(value);
		return -1;
	}
	if (p->layering)
		parser_drop_base_qualified(p, k);
	if (p->key_line[k])
		strbuf_reset(&p->cont[k]); /* an overlay's value replaces its base's */
	else
		p->key_order[k] = ++p->next_order;
	p->key_line[k] = p->line;
	p->key_path[k] = p->path;
	strbuf_adds(&p->cont[k], value);
	free(value);
	p->open_key = k;
	return 0;
}

static int parse_line(struct parser *p, const char *l, size_t len)
{
	size_t ind = indent_of(l);
	bool blank = ind == len;
	if (p->step && (blank || ind > 0 || l[0] == '#')) {
		if (l[0] != '#') {
			strbuf_add(&p->body, l, len);
			strbuf_addc(&p->body, '\n');
		}
		return 0;
	}
	if (blank || l[0] == '#') {
		p->open_key = p->open_qual = -1;
		return 0;
	}
	if (ind > 0) {
		if (p->open_key < 0 && p->open_qual < 0)
			return parser_error(p, p->line,
					    "indented line outside a step (a step starts with a line "
					    "like 'build:')%s", "");
		struct strbuf *into = p->open_key >= 0 ? &p->cont[p->open_key]
						       : &p->quals[p->open_qual].value;
		char *more = xstrndup_trimmed(l, len);
		strbuf_addc(into, ' ');
		strbuf_adds(into, more);
		free(more);
		return 0;
	}
	p->open_key = p->open_qual = -1;
	bool matched;
	if (try_step_header(p, l, len, &matched) < 0)
		return -1;
	return matched ? 0 : key_line(p, l, len);
}

/* $key and ${key} refer to keys set on earlier lines; $$ is a dollar. */
static int expand(struct parser *p, int k, struct strbuf *out)
{
	const char *s = p->cont[k].data;
	while (*s) {
		if (*s != '$') {
			strbuf_addc(out, *s++);
			continue;
		}
		if (s[1] == '$') {
			strbuf_addc(out, '$');
			s += 2;
			continue;
		}
		bool brace = s[1] == '{';
		const char *v = s + 1 + brace;
		size_t n = 0;
		while (isalnum((unsigned char)v[n]) || v[n] == '_')
			n++;
		int ref = recipe_find_name(recipe_key_names, KEY_COUNT, v, n);
		char *name = xstrndup(v, n);
		if (n == 0 || (brace && v[n] != '}') || ref < 0 || !p->raw[ref] ||
		    p->key_order[ref] >= p->key_order[k]) {
			parser_key_error(p, k, "unknown variable '$%s' (a value may use keys set above it)", name);
			free(name);
			return -1;
		}
		free(name);
		strbuf_adds(out, p->raw[ref]);
		s = v + n + brace;
	}
	return 0;
}

struct strlist parser_words(struct arena *a, const char *s)
{
	struct strlist l = { NULL, 0 };
	size_t cap = 0;
	const char **items = NULL;
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		size_t n = 0;
		while (s[n] && !isspace((unsigned char)s[n]))
			n++;
		xgrow(&items, &cap, l.n + 1, sizeof *items);
		items[l.n++] = arena_strndup(a, s, n);
		s += n;
	}
	if (l.n)
		l.items = arena_memdup(a, items, l.n * sizeof *items);
	free(items);
	return l;
}

static int expand_all(struct parser *p)
{
	int order[KEY_COUNT], n = 0;
	for (int k = 0; k < KEY_COUNT; k++)
		if (p->key_line[k])
			order[n++] = k;
	/* Expand in file order, so a value sees the expanded keys above it. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && p->key_order[order[j]] < p->key_order[order[j - 1]]; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		struct strbuf out = STRBUF_INIT;
		if (expand(p, order[i], &out) < 0) {
			strbuf_release(&out);
			return -1;
		}
		p->raw[order[i]] = arena_strdup(p->arena, out.data);
		strbuf_release(&out);
	}
	return 0;
}

static int check_word(struct parser *p, int k)
{
	const char *v = p->raw[k];
	if (!v)
		return 0;
	if (!*v || strpbrk(v, " \t"))
		return parser_key_error(p, k, "'%s' takes one word", recipe_key_names[k]);
	return 0;
}

static int set_stage(struct parser *p)
{
	int s = recipe_find_name(stage_names, STAGE_COUNT, p->raw[KEY_STAGE], strlen(p->raw[KEY_STAGE]));
	if (s < 0)
		return parser_key_error(p, KEY_STAGE, "unknown stage '%s' (stages: host cross box)",
			    p->raw[KEY_STAGE]);
	p->r->stage = (enum stage)s;
	return 0;
}

static int set_arches(struct parser *p)
{
	struct recipe *r = p->r;
	r->arches = parser_words(p->arena, p->raw[KEY_ARCH] ? p->raw[KEY_ARCH] : "");
	for (size_t i = 0; i < r->arches.n; i++) {
		const struct arch *a = arch_find(r->arches.items[i]);
		if (!a) {
			char *msg = xasprintf("unknown arch '%%s' (valid: %s)", arch_valid_names());
			parser_key_error(p, KEY_ARCH, msg, r->arches.items[i]);
			free(msg);
			return -1;
		}
		r->arches.items[i] = a->name;
	}
	return 0;
}

static int check_required(struct parser *p)
{
	static const enum key required[] = { KEY_NAME, KEY_VERSION, KEY_LICENSE, KEY_STAGE };
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if (!p->raw[required[i]] || !*p->raw[required[i]])
			return parser_error(p, 0, "missing required key '%s'", recipe_key_names[required[i]]);
	for (int k = KEY_NAME; k <= KEY_DIR; k++)
		if ((k == KEY_NAME || k == KEY_VERSION || k == KEY_SHA256 || k == KEY_FILE ||
		     k == KEY_STAGE || k == KEY_DIR) && check_word(p, k) < 0)
			return -1;
	if (check_word(p, KEY_FOLLOWS) < 0 || check_word(p, KEY_CONTINUES) < 0)
		return -1;
	if (p->raw[KEY_URL] && !p->raw[KEY_SHA256])
		return parser_key_error(p, KEY_URL, "url without a sha256%s", "");
	if (p->raw[KEY_SHA256] && !p->raw[KEY_URL])
		return parser_key_error(p, KEY_SHA256, "sha256 without a url%s", "");
	if (p->raw[KEY_SHA256] && !digest_is_hex(p->raw[KEY_SHA256]))
		return parser_key_error(p, KEY_SHA256, "sha256 must be 64 lowercase hex digits, not '%s'",
			    p->raw[KEY_SHA256]);
	return 0;
}

static int check_name(struct parser *p)
{
	const char *base = strrchr(p->path, '/');
	base = base ? base + 1 : p->path;
	size_t n = strlen(base) - strlen(".recipe");
	if (strlen(p->raw[KEY_NAME]) != n || memcmp(base, p->raw[KEY_NAME], n))
		return parser_key_error(p, KEY_NAME, "name '%s' does not match the file name",
			    p->raw[KEY_NAME]);
	return 0;
}

/* "name-version": the default top folder of a tarball. */
static const char *name_version(struct parser *p)
{
	char *d = xasprintf("%s-%s", p->raw[KEY_NAME], p->raw[KEY_VERSION]);
	const char *kept = arena_strdup(p->arena, d);
	free(d);
	return kept;
}

/* inner = FILE [DIR]: the tree is FILE, an archive inside the downloaded
 * one, with top folder DIR (default name-version). */
static int set_inner(struct parser *p)
{
	struct recipe *r = p->r;
	if (!p->raw[KEY_INNER])
		return 0;
	struct strlist w = parser_words(p->arena, p->raw[KEY_INNER]);
	if (w.n < 1 || w.n > 2)
		return parser_key_error(p, KEY_INNER, "inner takes FILE [DIR], not '%s'", p->raw[KEY_INNER]);
	if (!p->raw[KEY_SHA256])
		return parser_key_error(p, KEY_INNER, "inner '%s' needs a source (url and sha256)", w.items[0]);
	r->inner = w.items[0];
	if (w.n == 2) {
		r->inner_topdir = w.items[1];
	} else {
		r->inner_topdir = name_version(p);
	}
	return 0;
}

/* cost = SECONDS: a rough build time, so that the scheduler starts the
 * longest chains first; no effect on what is built. */
static int set_cost(struct parser *p)
{
	const char *v = p->raw[KEY_COST];
	p->r->cost = 1;
	if (!v)
		return 0;
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (!isdigit((unsigned char)*v) || *end || errno || n > RECIPE_COST_MAX)
		return parser_key_error(p, KEY_COST, "cost takes whole seconds, 0 to 1000000, not '%s'", v);
	p->r->cost = (unsigned)n;
	return 0;
}

int parser_path_error(struct parser *p, int k, const char *label, const char *v, const char *why,
		      bool inside)
{
	char *msg = xasprintf("%s '%s' is not %s (%s); use %s of at most %d bytes, without '%s'",
			      label, v, inside ? "a path inside the tree" : "a plain file name", why,
			      inside ? "a relative path" : "one name", RECIPE_NAME_MAX, inside ? ".." : "/");
	parser_key_error(p, k, "%s", msg);
	free(msg);
	return -1;
}

/* Once the layers are merged and expanded: every value that becomes a file
 * or folder name, so that no command ever meets one that leaves its folder. */
static int check_paths(struct parser *p)
{
	const struct recipe *r = p->r;
	const bool own_file = p->raw[KEY_FILE] != NULL;
	const struct { int k; const char *label, *v; } names[] = {
		{ KEY_NAME, "name", r->name },
		{ KEY_VERSION, "version", r->version },
		{ KEY_VERSION, "name-version", name_version(p) },
		{ own_file ? KEY_FILE : KEY_URL, own_file ? "file" : "the url's file name", r->file },
		{ KEY_DIR, "dir", r->topdir },
		{ KEY_INNER, "inner's DIR", r->inner_topdir },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *why = names[i].v ? recipe_check_component(names[i].v) : NULL;
		if (why)
			return parser_path_error(p, names[i].k, names[i].label, names[i].v, why, false);
	}
	const char *why = r->inner ? recipe_check_inside(r->inner) : NULL;
	if (why)
		return parser_path_error(p, KEY_INNER, "inner", r->inner, why, true);
	for (size_t i = 0; i < r->license_files.n; i++)
		if ((why = recipe_check_inside(r->license_files.items[i])))
			return parser_path_error(p, KEY_LICENSE_FILES, "license-files", r->license_files.items[i],
					  why, true);
	return 0;
}

static int fill(struct parser *p)
{
	struct recipe *r = p->r;
	if (parser_choose_version(p) < 0 || expand_all(p) < 0 || check_required(p) < 0 ||
	    set_stage(p) < 0 || set_arches(p) < 0)
		return -1;
	if (str_ends_with(p->path, ".recipe") && check_name(p) < 0)
		return -1;
	const char *intree = p->raw[KEY_INTREE];
	if (intree && strcmp(intree, "yes") && strcmp(intree, "no"))
		return parser_key_error(p, KEY_INTREE, "intree takes yes or no, not '%s'", intree);
	r->intree = intree && !strcmp(intree, "yes");
	r->name = p->raw[KEY_NAME];
	r->version = p->raw[KEY_VERSION];
	r->license = p->raw[KEY_LICENSE];
	r->sha256 = p->raw[KEY_SHA256];
	r->file = p->raw[KEY_FILE];
	r->topdir = p->raw[KEY_DIR];
	if (!r->topdir)
		r->topdir = name_version(p);
	if (set_inner(p) < 0 || set_cost(p) < 0)
		return -1;
	r->urls = parser_words(p->arena, p->raw[KEY_URL] ? p->raw[KEY_URL] : "");
	r->depends = parser_words(p->arena, p->raw[KEY_DEPENDS] ? p->raw[KEY_DEPENDS] : "");
	r->inputs = parser_words(p->arena, p->raw[KEY_INPUTS] ? p->raw[KEY_INPUTS] : "");
	r->tools = parser_words(p->arena, p->raw[KEY_TOOLS] ? p->raw[KEY_TOOLS] : "");
	const char *license_files = p->raw[KEY_LICENSE_FILES];
	r->license_files = parser_words(p->arena, license_files ? license_files : "");
	r->continues = p->raw[KEY_CONTINUES];
	r->continues_line = p->key_line[KEY_CONTINUES];
	r->depends_line = p->key_line[KEY_DEPENDS];
	r->sha256_line = p->key_line[KEY_SHA256];
	r->sha256_path = p->key_path[KEY_SHA256] ? p->key_path[KEY_SHA256] : r->path;
	if (!r->file && r->urls.n)
		r->file = recipe_file(r);
	return check_paths(p);
}

/* Runs every line of one file through the parser. */
static int parse_text(struct parser *p, const char *path, const char *text, size_t len)
{
	p->path = arena_strdup(p->arena, path);
	p->line = 0;
	p->open_key = p->open_qual = -1;
	if (memchr(text, '\0', len))
		return parser_error(p, 0, "not a text file (it contains a NUL byte)%s", "");
	int ret = 0;
	for (size_t pos = 0; ret == 0 && pos < len;) {
		const char *l = text + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		pos += n + (nl != NULL);
		p->line++;
		if (n && l[n - 1] == '\r')
			n--;
		/* A terminated copy: the helpers may read up to the NUL. */
		char *line = xstrndup(l, n);
		ret = parse_line(p, line, n);
		free(line);
	}
	close_step(p);
	return ret;
}

static int check_overlay_key(struct parser *p)
{
	const char *v = p->raw[KEY_OVERLAY];
	if (!v)
		return 0;
	if (strcmp(v, "yes") && strcmp(v, "no"))
		return parser_key_error(p, KEY_OVERLAY, "overlay takes yes or no, not '%s'", v);
	if (!strcmp(v, "yes") && !p->layering)
		return parser_key_error(p, KEY_OVERLAY, "overlay = yes, but no later folder of the recipe search "
						"path has %s.recipe", p->raw[KEY_NAME] ? p->raw[KEY_NAME] : "this");
	return 0;
}

static int parse_layers(struct arena *arena, const char *base_path, const char *base_text,
			size_t base_len, const char *path, const char *text, size_t len,
			const struct strlist *choices, struct recipe *r)
{
	struct parser p = { .arena = arena, .choices = choices, .r = r, .open_key = -1,
			    .open_qual = -1, .body = STRBUF_INIT };
	for (int k = 0; k < KEY_COUNT; k++)
		p.cont[k] = (struct strbuf)STRBUF_INIT;
	memset(r, 0, sizeof *r);
	r->path = arena_strdup(arena, path);
	r->nbytes = base_len + len;
	unsigned char *bytes = arena_alloc(arena, r->nbytes + 1);
	if (base_len)
		memcpy(bytes, base_text, base_len);
	memcpy(bytes + base_len, text, len);
	r->bytes = bytes;
	int ret = base_path ? parse_text(&p, base_path, base_text, base_len) : 0;
	p.layering = base_path != NULL;
	if (ret == 0)
		ret = parse_text(&p, path, text, len);
	for (int k = 0; k < KEY_COUNT; k++)
		if (p.key_line[k])
			p.raw[k] = p.cont[k].data;
	if (ret == 0)
		ret = check_overlay_key(&p);
	if (ret == 0)
		ret = fill(&p);
	for (int k = 0; k < KEY_COUNT; k++)
		strbuf_release(&p.cont[k]);
	for (size_t i = 0; i < p.nquals; i++) {
		free(p.quals[i].version);
		strbuf_release(&p.quals[i].value);
	}
	free(p.quals);
	strbuf_release(&p.body);
	return ret;
}

int recipe_parse(struct arena *arena, const char *path, const char *text, size_t len,
		 struct recipe *r)
{
	return parse_layers(arena, NULL, NULL, 0, path, text, len, NULL, r);
}

int recipe_parse_chosen(struct arena *arena, const char *path, const char *text, size_t len,
			const struct strlist *choices, struct recipe *r)
{
	return parse_layers(arena, NULL, NULL, 0, path, text, len, choices, r);
}

int recipe_parse_overlay(struct arena *arena, const char *base_path, const char *base_text,
			 size_t base_len, const char *path, const char *text, size_t len,
			 const struct strlist *choices, struct recipe *r)
{
	return parse_layers(arena, base_path, base_text, base_len, path, text, len, choices, r);
}

const char *recipe_file(const struct recipe *r)
{
	if (r->file)
		return r->file;
	if (!r->urls.n)
		return NULL;
	const char *slash = strrchr(r->urls.items[0], '/');
	return slash ? slash + 1 : r->urls.items[0];
}

const char *recipe_step(const struct recipe *r, enum step_kind kind, const char *arch)
{
	const char *generic = NULL;
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct step *s = &r->steps[i];
		if (s->kind != kind)
			continue;
		if (!s->arch)
			generic = s->body;
		else if (arch && !strcmp(s->arch, arch))
			return s->body;
	}
	return generic ? generic : default_steps[r->stage][kind];
}

bool recipe_applies(const struct recipe *r, const char *arch)
{
	if (!r->arches.n || !arch)
		return true;
	for (size_t i = 0; i < r->arches.n; i++)
		if (!strcmp(r->arches.items[i], arch))
			return true;
	return false;
}
