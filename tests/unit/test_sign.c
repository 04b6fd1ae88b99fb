/* Named ed25519 keys: keygen, the files, signing, and every refused case. */
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

int main(void)
{
	char tmpl[] = "/tmp/test_sign.XXXXXX";
	char *dir = mkdtemp(tmpl);
	test_keys(dir);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	free(cmd);
	return tap_done();
}
