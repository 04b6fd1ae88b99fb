/* iconv-utf8-out.c: iconv's UTF-8 output refuses what is not a Unicode
 * scalar value instead of corrupting the output position.
 *
 * CVE-2025-26519, part 2: musl 1.2.5's UTF-8 output path added wctomb()'s
 * result to the output pointer and subtracted it from the bytes left even
 * when it was (size_t)-1, so a decoder bug yielding a surrogate or a value
 * past U+10FFFF moved the output backwards (with a big buffer) or reported
 * E2BIG (with a small one). The inputs below made musl 1.2.5's decoders
 * yield such values: EUC-KR "\xc8\x41" gave U+D83A, GB18030 "\xe3\x32\x9a\x36"
 * gave 0x13404C and "\xfe\x39\xfe\x39" 0x189793. With the fixed decoders
 * they are invalid input, so whichever layer refuses them, iconv must end
 * with EILSEQ, the input left at the bad sequence and the output holding
 * exactly what came before it.
 *
 * Prints one "ok"/"not ok" line per check; exits 1 if any failed.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

static int failed;

static void report(int good, const char *what)
{
	printf("%s - %s\n", good ? "ok" : "not ok", what);
	if (!good) failed = 1;
}

/* converts "A" followed by bad (n bytes) from charset to UTF-8 with room
 * for room bytes; expects EILSEQ after writing just "A" */
static void bad_input(const char *charset, const char *bad, size_t n,
	size_t room, const char *name)
{
	char in[8], buf[32], *ip = in, *op = buf + 8, msg[160];
	size_t il = n + 1, ol = room, r, i;
	iconv_t cd = iconv_open("UTF-8", charset);
	int err, ok;

	in[0] = 'A';
	memcpy(in + 1, bad, n);
	memset(buf, 0x5a, sizeof buf);
	r = iconv(cd, &ip, &il, &op, &ol);
	err = errno;
	ok = r == (size_t)-1 && err == EILSEQ && ip == in + 1 && il == n
		&& op == buf + 9 && ol == room - 1 && buf[8] == 'A';
	for (i = 0; i < sizeof buf; i++)
		if (i != 8) ok &= buf[i] == 0x5a;
	snprintf(msg, sizeof msg, "%s %s to UTF-8 with %zu bytes of room: EILSEQ "
		"after \"A\", nothing else written", charset, name, room);
	report(ok, msg);
	if (!ok)
		printf("#   iconv returned %ld (%s), input used %ld, output moved "
			"by %ld, bytes left %zu\n", (long)r, r == (size_t)-1 ?
			strerror(err) : "success", (long)(ip - in),
			(long)(op - (buf + 8)), ol);
	iconv_close(cd);
}

static void good_input(const char *charset, const char *in, size_t n,
	const char *want, const char *name)
{
	char buf[16], *ip = (char *)in, *op = buf, msg[160];
	size_t il = n, ol = sizeof buf, r;
	iconv_t cd = iconv_open("UTF-8", charset);

	r = iconv(cd, &ip, &il, &op, &ol);
	snprintf(msg, sizeof msg, "%s %s converts to UTF-8", charset, name);
	report(r == 0 && il == 0 && op - buf == (long)strlen(want)
		&& !memcmp(buf, want, strlen(want)), msg);
	iconv_close(cd);
}

int main(void)
{
	static const struct { const char *charset, *bytes, *name; size_t n; } bad[] = {
		{ "EUC-KR", "\xc8\x41", "\\xc8\\x41", 2 },
		{ "GB18030", "\xe3\x32\x9a\x36", "\\xe3\\x32\\x9a\\x36", 4 },
		{ "GB18030", "\xfe\x39\xfe\x39", "\\xfe\\x39\\xfe\\x39", 4 },
	};
	unsigned i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		/* room for more than 4 bytes after "A": wctomb writes in place */
		bad_input(bad[i].charset, bad[i].bytes, bad[i].n, 16, bad[i].name);
		/* 3 bytes after "A": wctomb goes through a temporary */
		bad_input(bad[i].charset, bad[i].bytes, bad[i].n, 4, bad[i].name);
	}
	good_input("EUC-KR", "\xb0\xa1", 2, "\xea\xb0\x80", "\\xb0\\xa1 (U+AC00)");
	good_input("GB18030", "\x81\x30\x81\x30", 4, "\xc2\x80",
		"\\x81\\x30\\x81\\x30 (U+0080)");
	/* the edges of what UTF-8 output must still take */
	good_input("UTF-32BE", "\0\0\xd7\xff", 4, "\xed\x9f\xbf", "U+D7FF");
	good_input("UTF-32BE", "\0\0\xe0\0", 4, "\xee\x80\x80", "U+E000");
	good_input("UTF-32BE", "\0\x10\xff\xff", 4, "\xf4\x8f\xbf\xbf",
		"U+10FFFF");
	return failed;
}
