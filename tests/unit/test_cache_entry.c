/* Cache entries: the .info text round trip, signatures over it, and every
 * case a reader must refuse. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/cache_entry.h"
#include "src/strbuf.h"
#include "src/util.h"
#include "tap.h"

#define KEY "8d0a900efd872ca149b5da1ea80ab559ca871d6d715b2ea7ba67613d9bb93bd3"
#define SUM "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23"

static struct sign_key secret, public, other_secret;

/* The key pair NAME, made in dir and removed; its public key too when pub_key. */
static void make_pair(const char *dir, const char *name, struct sign_key *sec_key, struct sign_key *pub_key)
{
	struct capture c = capture_begin();
	sign_keygen(name, dir);
	char errbuf[256];
	capture_end(&c, errbuf, sizeof errbuf);
	char *sec = xasprintf("%s/%s.sec", dir, name), *pub = xasprintf("%s/%s.pub", dir, name);
	sign_load_secret(sec, sec_key);
	if (pub_key)
		sign_parse_public(pub, "test", pub_key);
	unlink(sec);
	unlink(pub);
	free(sec);
	free(pub);
}

static void make_keys(void)
{
	char tmpl[] = "/tmp/test_cache_entry.XXXXXX";
	char *dir = mkdtemp(tmpl);
	make_pair(dir, "test", &secret, &public);
	make_pair(dir, "other", &other_secret, NULL);
	rmdir(dir);
}

static void sample(struct cache_entry *e)
{
	memset(e, 0, sizeof *e);
	e->name = xstrdup("gmp");
	e->version = xstrdup("6.3.0");
	e->arch = xstrdup("host");
	e->compression = xstrdup("zstd");
	e->depends = xstrdup("");
	memcpy(e->key, KEY, sizeof e->key);
	memcpy(e->sha256, SUM, sizeof e->sha256);
	e->size = 1234567;
}

/* The sample's .info with one line replaced (from: a prefix of the line). */
static const char *parse_edited(const char *from, const char *to, struct cache_entry *out)
{
	struct cache_entry e;
	sample(&e);
	cache_entry_sign(&e, &secret);
	struct strbuf text = STRBUF_INIT, edited = STRBUF_INIT;
	cache_entry_format(&e, &text);
	cache_entry_free(&e);
	for (const char *l = text.data; *l; l = strchr(l, '\n') + 1) {
		size_t n = strcspn(l, "\n");
		if (from && !strncmp(l, from, strlen(from))) {
			if (to)
				strbuf_addf(&edited, "%s\n", to);
		} else {
			strbuf_add(&edited, l, n + 1);
		}
	}
	const char *why = cache_entry_parse(edited.data, edited.len, out);
	strbuf_release(&text);
	strbuf_release(&edited);
	return why;
}

static void test_round_trip(void)
{
	struct cache_entry e, back;
	ok(parse_edited(NULL, NULL, &back) == NULL, "a signed .info parses");
	is_str(back.name, "gmp", "name");
	is_str(back.key, KEY, "key");
	is_int(back.size, 1234567, "size");
	is_int(back.nsigs, 1, "one signature");
	ok(cache_entry_check(&back, "gmp", KEY, &public, 1) == NULL, "a trusted signature: accepted");
	is_str(cache_entry_check(&back, "mpfr", KEY, &public, 1), "its .info names another package or key",
	       "for another package: refused");
	is_str(cache_entry_check(&back, "gmp", SUM, &public, 1), "its .info names another package or key",
	       "for another key: refused");
	is_str(cache_entry_check(&back, "gmp", KEY, NULL, 0), "signed by key 'test', which CACHE_TRUST does not list",
	       "with no trusted key: refused, naming the signer");
	cache_entry_free(&back);
	sample(&e);
	struct strbuf text = STRBUF_INIT;
	cache_entry_format(&e, &text);
	ok(cache_entry_parse(text.data, text.len, &back) == NULL, "an unsigned .info parses");
	is_str(cache_entry_check(&back, "gmp", KEY, &public, 1), "it is not signed", "but is refused");
	cache_entry_free(&back);
	cache_entry_free(&e);
	strbuf_release(&text);
}

static void test_tampered(void)
{
	struct cache_entry back;
	ok(parse_edited("size", "size        = 1234568", &back) == NULL, "a changed size still parses");
	is_str(cache_entry_check(&back, "gmp", KEY, &public, 1), "a bad signature by key 'test'",
	       "but the signature no longer covers it");
	cache_entry_free(&back);
	ok(parse_edited("sha256", "sha256      = " KEY, &back) == NULL, "a changed artifact sum parses");
	is_str(cache_entry_check(&back, "gmp", KEY, &public, 1), "a bad signature by key 'test'", "and is refused");
	cache_entry_free(&back);
	ok(parse_edited("depends", "depends     = isl:" KEY, &back) == NULL, "a changed dependency list parses");
	is_str(cache_entry_check(&back, "gmp", KEY, &public, 1), "a bad signature by key 'test'", "and is refused");
	cache_entry_free(&back);
	const struct { const char *from, *to, *why; } bad[] = {
		{ "size", "size        = 12x", "a malformed .info (line 8: a size that is not a number)" },
		{ "key", "key         = abc", "a malformed .info (line 5: a key or sum that is not 64 hex digits)" },
		{ "name", NULL, "a malformed .info (a field is missing)" },
		{ "format", "format      = bootstrap-cache-9", "a malformed .info (line 1: another format than bootstrap-cache-1)" },
		{ "arch", "arch        = x86 64", "a malformed .info (line 4: a field with a bad value)" },
		{ "version", "color = red", "a malformed .info (line 3: an unknown field)" },
		{ "version", "version", "a malformed .info (line 3: a line that is not 'field = value')" },
		{ "artifact", "artifact    = ../../etc/passwd", "a malformed .info (line 6: an artifact name that is not KEY.tar.zst)" },
		{ "name", "name        = gmp\nname        = mpfr", "a malformed .info (line 3: a field given twice)" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		is_str(parse_edited(bad[i].from, bad[i].to, &back), bad[i].why, "refused: %s", bad[i].why);
	is_str(cache_entry_parse("x\0y", 3, &back), "not a text of at most 64 KiB", "a NUL byte: refused");
}

/* What push asks of an entry already in the store: does it verify with the
 * key pushing now? */
static void test_signed_by(void)
{
	struct cache_entry e;
	sample(&e);
	ok(!cache_entry_signed_by(&e, &secret), "an unsigned entry is not signed by the pushing key");
	cache_entry_sign(&e, &other_secret);
	ok(!cache_entry_signed_by(&e, &secret), "one signed by another key is not");
	ok(cache_entry_signed_by(&e, &other_secret), "but is by that key");
	cache_entry_sign(&e, &secret);
	ok(cache_entry_signed_by(&e, &secret), "one signed by both is signed by the pushing key");
	memcpy(e.sha256, KEY, sizeof e.sha256);
	ok(!cache_entry_signed_by(&e, &secret), "and is not once a signed field changed");
	cache_entry_free(&e);
}

int main(void)
{
	make_keys();
	test_round_trip();
	test_tampered();
	test_signed_by();
	return tap_done();
}
