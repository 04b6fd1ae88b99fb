/* Named ed25519 keys: keygen, the files, signing, and every refused case. */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/file.h"
#include "src/sign.h"
#include "src/strbuf.h"
#include "src/util.h"
#include "tap.h"

static char errbuf[4096];

static void test_keys(const char *dir)
{
	struct capture c = capture_begin();
	int ret = sign_keygen("ci-1", dir);
	capture_end(&c, errbuf, sizeof errbuf);
	is_int(ret, 0, "keygen ci-1 writes a key pair");
	char *sec = xasprintf("%s/ci-1.sec", dir), *pub = xasprintf("%s/ci-1.pub", dir);
	struct stat st;
	is_int(stat(sec, &st) == 0 && (st.st_mode & 0777) == 0600, 1, "the secret key is mode 0600");
	struct strbuf text = STRBUF_INIT;
	file_read(pub, &text);
	is_int(strncmp(text.data, "ci-1:", 5) == 0 && text.len == 5 + 44 + 1, 1, "the public key is ci-1:BASE64 of 32 bytes");
	c = capture_begin();
	ret = sign_keygen("ci-1", dir);
	capture_end(&c, errbuf, sizeof errbuf);
	is_int(ret, -1, "keygen never replaces a key");
	c = capture_begin();
	ret = sign_keygen("bad/name", dir);
	capture_end(&c, errbuf, sizeof errbuf);
	is_int(ret, -1, "a name with a slash is refused");

	struct sign_key secret, public, other;
	is_int(sign_load_secret(sec, &secret), 0, "the secret key loads");
	is_int(sign_parse_public(text.data, "CACHE_TRUST", &public), 0, "the public key parses from its text");
	is_int(sign_parse_public(pub, "CACHE_TRUST", &other), 0, "and from its file");
	is_str(public.name, "ci-1", "with its name");
	const char *msg = "key abc\nsha256 def\n";
	char *sig = sign_make(&secret, msg, strlen(msg));
	is_int(strncmp(sig, "ci-1:", 5), 0, "a signature names its key");
	ok(sign_check(&public, 1, sig, msg, strlen(msg)) == NULL, "a good signature verifies");
	is_str(sign_check(&public, 1, sig, "key abd\nsha256 def\n", strlen(msg)), "a bad signature by key 'ci-1'",
	       "one changed byte of the text fails");
	char *forged = xstrdup(sig);
	forged[10] = forged[10] == 'A' ? 'B' : 'A';
	ok(sign_check(&public, 1, forged, msg, strlen(msg)) != NULL, "one changed byte of the signature fails");
	is_str(sign_check(&public, 1, "ci-1:abc", msg, strlen(msg)), "a malformed signature", "a short signature is malformed");
	struct capture c2 = capture_begin();
	sign_keygen("ci-2", dir);
	capture_end(&c2, errbuf, sizeof errbuf);
	char *sec2 = xasprintf("%s/ci-2.sec", dir);
	struct sign_key secret2;
	sign_load_secret(sec2, &secret2);
	char *sig2 = sign_make(&secret2, msg, strlen(msg));
	is_str(sign_check(&public, 1, sig2, msg, strlen(msg)), "signed by key 'ci-2', which CACHE_TRUST does not list",
	       "a key not trusted is named");
	struct sign_key both[2] = { public, { .secret = false } };
	char *pub2 = xasprintf("%s/ci-2.pub", dir);
	sign_parse_public(pub2, "CACHE_TRUST", &both[1]);
	ok(sign_check(both, 2, sig2, msg, strlen(msg)) == NULL && sign_check(both, 2, sig, msg, strlen(msg)) == NULL,
	   "with both keys trusted, both verify (rotation)");
	c = capture_begin();
	ret = sign_parse_public("ci-1:notbase64", "CACHE_TRUST", &other);
	capture_end(&c, errbuf, sizeof errbuf);
	is_int(ret, -1, "a malformed public key is refused");
	ok(strstr(errbuf, "CACHE_TRUST: 'ci-1:notbase64' is neither") != NULL, "saying where it came from");
	free(sig);
	free(sig2);
	free(forged);
	free(sec);
	free(sec2);
	free(pub);
	free(pub2);
	strbuf_release(&text);
}

static char *write_text(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	file_write_atomic(path, text, strlen(text));
	return path;
}

/* The value of call, what it printed kept in errbuf. */
static struct capture cap;
static int cap_ret;
#define QUIET(call) (cap = capture_begin(), cap_ret = (call), capture_end(&cap, errbuf, sizeof errbuf), cap_ret)

/* A secret key is not a public key, nor the other way round (issue 30). */
static void test_kinds(const char *dir)
{
	(void)QUIET(sign_keygen("kind", dir));
	char *sec = xasprintf("%s/kind.sec", dir), *pub = xasprintf("%s/kind.pub", dir);
	struct strbuf text = STRBUF_INIT;
	file_read(sec, &text);
	is_int((int)text.len, 5 + 88 + 1, "a secret key file is NAME:BASE64 of 64 bytes (seed, then public key)");
	struct sign_key k, p, derived;
	is_int(QUIET(sign_load_secret(pub, &k)), -1, "a public key file does not load as a secret key");
	ok(strstr(errbuf, "kind.pub: a public key, not a secret one: CACHE_SIGN_KEY takes the NAME.sec") != NULL,
	   "saying it is a public key and what to give instead");
	is_int(QUIET(sign_parse_public(sec, "CACHE_TRUST", &p)), -1, "a secret key file is not trusted");
	ok(strstr(errbuf, "CACHE_TRUST: ") && strstr(errbuf, "kind.sec is a secret key: give its public half"),
	   "saying it is a secret key and to give its public half");
	text.data[--text.len] = '\0'; /* the line without its newline */
	is_int(QUIET(sign_parse_public(text.data, "CACHE_TRUST", &p)), -1, "a secret key's line is not trusted");
	ok(strstr(errbuf, "the key 'kind' given is a secret key") && !strstr(errbuf, text.data + 5),
	   "the error names the key without echoing the secret");

	is_int(sign_load_secret(sec, &k), 0, "the secret key loads");
	sign_parse_public(pub, "CACHE_TRUST", &p);
	is_int(sign_public_of(&k, &derived), 0, "its public half can be derived");
	ok(!memcmp(derived.raw, p.raw, sizeof p.raw) && !strcmp(derived.name, "kind") && !derived.secret,
	   "and is the key in kind.pub, with its name");

	char *damaged = xstrdup(text.data);
	if (strlen(damaged) > 5 + 80) /* a byte of the public half */
		damaged[5 + 80] = damaged[5 + 80] == 'A' ? 'B' : 'A';
	char *dpath = write_text(dir, "damaged.sec", damaged);
	is_int(QUIET(sign_load_secret(dpath, &k)), -1, "a secret key whose public half is not its seed's is refused");
	ok(strstr(errbuf, "damaged.sec: its public half is not its seed's") != NULL, "as damaged");
	free(damaged);
	free(dpath);
	strbuf_release(&text);
	free(sec);
	free(pub);
}

/* A secret key of the form before (the 32-byte seed alone) is read by its
 * name NAME.sec, and only so. */
static void test_old_secret(const char *dir)
{
	unsigned char seed[32];
	for (size_t i = 0; i < sizeof seed; i++)
		seed[i] = (unsigned char)(i * 7 + 1);
	char b64[45], line[64];
	EVP_EncodeBlock((unsigned char *)b64, seed, sizeof seed);
	snprintf(line, sizeof line, "old:%s\n", b64);
	char *sec = write_text(dir, "old.sec", line), *other = write_text(dir, "old.key", line);
	struct sign_key k, p;
	is_int(sign_load_secret(sec, &k), 0, "an old secret key file (32 bytes, NAME.sec) still loads");
	ok(!memcmp(k.raw, seed, sizeof seed) && !strcmp(k.name, "old"), "with its seed and name");
	is_int(QUIET(sign_load_secret(other, &k)), -1, "the same text under another name is taken for a public key");
	is_int(QUIET(sign_parse_public(sec, "CACHE_TRUST", &p)), -1, "an old NAME.sec is not trusted");
	ok(strstr(errbuf, "old.sec is a secret key") != NULL, "as a secret key");
	free(sec);
	free(other);
}

int main(void)
{
	char tmpl[] = "/tmp/test_sign.XXXXXX";
	char *dir = mkdtemp(tmpl);
	test_keys(dir);
	test_kinds(dir);
	test_old_secret(dir);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	free(cmd);
	return tap_done();
}
