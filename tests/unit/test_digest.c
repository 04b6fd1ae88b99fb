/* SHA-256 test vectors (FIPS 180-2) through every entry point. */
#include <stdlib.h>
#include <unistd.h>

#include "src/digest.h"
#include "src/file.h"
#include "tap.h"

int main(void)
{
	char hex[65];
	digest_sha256_buf("", 0, hex);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "empty input");
	digest_sha256_buf("abc", 3, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "abc");
	struct digest *d = digest_sha256_new();
	const char *part = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	digest_update(d, part, 20);
	digest_update(d, part + 20, strlen(part) - 20);
	digest_final_hex(d, hex);
	is_str(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "two updates equal one");
	char path[] = "/tmp/test-digest-XXXXXX";
	int fd = mkstemp(path);
	char *million = malloc(1000000);
	memset(million, 'a', 1000000);
	ok(write(fd, million, 1000000) == 1000000, "write a million a's");
	close(fd);
	ok(digest_sha256_file(path, hex) == 0, "hash a file");
	is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "a million a's from a file");
	unlink(path);
	ok(digest_sha256_file(path, hex) < 0, "a missing file is an error");
	ok(digest_is_hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"), "hex check accepts a sum");
	ok(!digest_is_hex("CDC76E5C9914FB9281A1C7E284D73E67F1809A48A497200E046D39CCC7112CD0"), "and refuses upper case");
	ok(!digest_is_hex("cdc76e"), "and a short one");
	free(million);
	digest_free(d);
	return tap_done();
}
