/* iconv-euc-kr.c: musl's EUC-KR (CP949) decoder rejects invalid byte pairs.
 *
 * CVE-2025-26519, part 1: musl 1.2.5 sends pairs whose second byte is not a
 * KS X 1001 trail byte to the CP949 (UHC) extension path, which is meant for
 * lead bytes 0x81..0xC6 only but let leads up to 0xDD through. "\xc8\x41"
 * then decodes to U+D83A, a surrogate, which UTF-8 output cannot encode
 * (wctomb returns -1 and the output pointer moves backwards).
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

/* decode one byte pair to UTF-32BE; returns the code point, or -1 with
 * *err set to errno when iconv refuses it */
static long decode(iconv_t cd, unsigned lead, unsigned trail, int *err)
{
	unsigned char in[2] = { lead, trail }, out[8];
	char *ip = (char *)in, *op = (char *)out;
	size_t il = 2, ol = sizeof out;
	*err = 0;
	iconv(cd, 0, 0, 0, 0);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		*err = errno;
		return ip == (char *)in && op == (char *)out ? -1 : -2;
	}
	if (il || op - (char *)out != 4) return -2;
	return (long)out[0] << 24 | out[1] << 16 | out[2] << 8 | out[3];
}

/* Expected values for valid pairs, from glibc's CP949 on the build host:
 *   printf '\x81\x41' | iconv -f CP949 -t UTF-32BE | od -An -tx1
 * (and so on for each pair); "\xc6\x52" is the last UHC Hangul syllable. */
static const struct { unsigned char lead, trail; long cp; } valid[] = {
	{ 0x81, 0x41, 0xac02 }, { 0x81, 0x5a, 0xac34 }, { 0x81, 0x61, 0xac35 },
	{ 0x81, 0x7a, 0xac55 }, { 0x81, 0x81, 0xac56 }, { 0x81, 0xfe, 0xad13 },
	{ 0xa0, 0x41, 0xc7b8 }, { 0xa0, 0xfe, 0xc8a4 }, { 0xa1, 0x41, 0xc8a5 },
	{ 0xa1, 0xa0, 0xc90e }, { 0xa1, 0xa1, 0x3000 }, { 0xb0, 0xa1, 0xac00 },
	{ 0xc5, 0x41, 0xd715 }, { 0xc5, 0xa0, 0xd78b }, { 0xc6, 0x41, 0xd78d },
	{ 0xc6, 0x52, 0xd7a3 }, { 0xc6, 0xa1, 0xd264 }, { 0xc7, 0xa1, 0xd408 },
	{ 0xc8, 0xa1, 0xd624 }, { 0xdd, 0xa1, 0x5b5a }, { 0xfd, 0xfe, 0x8a70 },
};

int main(void)
{
	iconv_t cd = iconv_open("UTF-32BE", "EUC-KR");
	char msg[160];
	int err, bad = 0;
	unsigned lead, trail, i;
	long cp;

	if (cd == (iconv_t)-1) {
		printf("not ok - iconv_open(UTF-32BE, EUC-KR): %s\n", strerror(errno));
		return 1;
	}

	/* Outside KS X 1001 (trail bytes 0xA1..0xFE), CP949 has trail bytes
	 * 0x41..0x5A, 0x61..0x7A, 0x81..0xA0 for leads 0x81..0xC6 only, and
	 * with lead 0xC6 only up to 0x52. Every other such pair is invalid. */
	for (lead = 0xc6; lead <= 0xfe; lead++) {
		for (trail = 0x41; trail <= 0xff; trail++) {
			if (trail == 0xa1) trail = 0xff;
			if (lead == 0xc6 && trail <= 0x52) continue;
			cp = decode(cd, lead, trail, &err);
			if (cp == -1 && err == EILSEQ) continue;
			if (bad++ < 5) {
				snprintf(msg, sizeof msg, "\\x%02x\\x%02x is an "
					"illegal sequence", lead, trail);
				report(0, msg);
				if (cp >= 0) printf("#   got U+%04lX\n", cp);
				else printf("#   got %s\n", cp == -1 ?
					strerror(err) : "a partial conversion");
			}
		}
	}
	if (bad) printf("# %d invalid pairs were not refused with EILSEQ\n", bad);
	else report(1, "pairs with lead 0xC7..0xFE (or 0xC6 and trail > 0x52) "
		"outside KS X 1001 are illegal sequences");

	bad = 0;
	for (i = 0; i < sizeof valid / sizeof *valid; i++) {
		cp = decode(cd, valid[i].lead, valid[i].trail, &err);
		if (cp == valid[i].cp) continue;
		bad++;
		snprintf(msg, sizeof msg, "\\x%02x\\x%02x decodes to U+%04lX",
			valid[i].lead, valid[i].trail, valid[i].cp);
		report(0, msg);
	}
	if (!bad) report(1, "valid CP949 pairs decode as glibc's CP949 does");
	iconv_close(cd);

	/* The original report: "\xc8\x41" to UTF-8 must fail cleanly, leave
	 * both pointers and counts alone, and write nothing. */
	{
		static char in[] = "\xc8\x41";
		char buf[16], *ip = in, *op = buf + 8;
		size_t il = 2, ol = 8, r;
		int ok;
		memset(buf, 0x5a, sizeof buf);
		cd = iconv_open("UTF-8", "EUC-KR");
		r = iconv(cd, &ip, &il, &op, &ol);
		err = errno;
		ok = r == (size_t)-1 && err == EILSEQ && ip == in && il == 2
			&& op == buf + 8 && ol == 8;
		for (i = 0; i < sizeof buf; i++) ok &= buf[i] == 0x5a;
		report(ok, "\\xc8\\x41 to UTF-8: EILSEQ, nothing written, "
			"pointers unchanged");
		if (!ok) printf("#   iconv returned %ld, errno %d, out moved by %ld, "
			"outbytesleft %zu\n", (long)r, err, (long)(op - (buf + 8)), ol);
		iconv_close(cd);
	}
	return failed;
}
