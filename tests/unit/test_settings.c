/* Settings from the environment: FETCH_* numbers (nan and inf used to pass
 * strtod and every range check, and hang the retry loop), the mirrors, and
 * settings_check over all of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/settings.h"
#include "tap.h"

static const char *const all[] = {
	"FETCH_CONNECT_TIMEOUT", "FETCH_LOW_SPEED_LIMIT", "FETCH_LOW_SPEED_TIME", "FETCH_TRIES",
	"FETCH_BACKOFF", "COMPRESS", "COMPRESS_LEVEL", "SOURCE_DATE_EPOCH", "MIRROR", "BACKUP_MIRROR",
};

static void clear(void)
{
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		unsetenv(all[i]);
}

/* Each case: a variable, its value, and the error (NULL: accepted). */
static const struct bad_case {
	const char *name, *value, *err;
} cases[] = {
	{ "FETCH_BACKOFF", "nan", "FETCH_BACKOFF must be a number from 0 to 600, not 'nan'" },
	{ "FETCH_BACKOFF", "NAN", "FETCH_BACKOFF must be a number from 0 to 600, not 'NAN'" },
	{ "FETCH_BACKOFF", "inf", "FETCH_BACKOFF must be a number from 0 to 600, not 'inf'" },
	{ "FETCH_BACKOFF", "infinity", "FETCH_BACKOFF must be a number from 0 to 600, not 'infinity'" },
	{ "FETCH_BACKOFF", "-1", "FETCH_BACKOFF must be a number from 0 to 600, not '-1'" },
	{ "FETCH_BACKOFF", "0x10", "FETCH_BACKOFF must be a number from 0 to 600, not '0x10'" },
	{ "FETCH_BACKOFF", "1e2", "FETCH_BACKOFF must be a number from 0 to 600, not '1e2'" },
	{ "FETCH_BACKOFF", " 5", "FETCH_BACKOFF must be a number from 0 to 600, not ' 5'" },
	{ "FETCH_BACKOFF", ".", "FETCH_BACKOFF must be a number from 0 to 600, not '.'" },
	{ "FETCH_BACKOFF", "601", "FETCH_BACKOFF must be a number from 0 to 600, not '601'" },
	{ "FETCH_BACKOFF", "0.25", NULL },
	{ "FETCH_BACKOFF", ".5", NULL },
	{ "FETCH_BACKOFF", "0", NULL },
	{ "FETCH_CONNECT_TIMEOUT", "nan", "FETCH_CONNECT_TIMEOUT must be a number from 0.001 to 3600, not 'nan'" },
	{ "FETCH_CONNECT_TIMEOUT", "0", "FETCH_CONNECT_TIMEOUT must be a number from 0.001 to 3600, not '0'" },
	{ "FETCH_CONNECT_TIMEOUT", "2.5", NULL },
	{ "FETCH_LOW_SPEED_LIMIT", "inf", "FETCH_LOW_SPEED_LIMIT must be a whole number from 1 to 1e+09, not 'inf'" },
	{ "FETCH_LOW_SPEED_TIME", "nan", "FETCH_LOW_SPEED_TIME must be a whole number from 1 to 3600, not 'nan'" },
	{ "FETCH_TRIES", "2.5", "FETCH_TRIES must be a whole number from 1 to 100, not '2.5'" },
	{ "FETCH_TRIES", "99999999999999999999999999999", "FETCH_TRIES must be a whole number from 1 to 100, not '99999999999999999999999999999'" },
	{ "FETCH_TRIES", "7", NULL },
	/* A folder: world_init checks that it exists. */
	{ "MIRROR", "/srv/tarballs", NULL },
	{ "MIRROR", "htps://mirror.example", "MIRROR must be a folder or a URL prefix starting with file://, http://, https:// or ftp://, not 'htps://mirror.example'" },
	{ "BACKUP_MIRROR", "htp://x", "BACKUP_MIRROR must be a folder or a URL prefix starting with file://, http://, https:// or ftp://, not 'htp://x'" },
	{ "MIRROR", "HTTPS://mirror.example/pub", NULL },
	{ "COMPRESS", "lz4", "unknown COMPRESS 'lz4' (valid: gzip, zstd, xz, none)" },
	{ "SOURCE_DATE_EPOCH", "nan", "SOURCE_DATE_EPOCH 'nan' is not a number of seconds since 1970 (0-4294967295)" },
};

static void test_check(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct bad_case *c = &cases[i];
		char err[512], want[512];
		clear();
		setenv(c->name, c->value, 1);
		struct capture cap = capture_begin();
		int ret = settings_check();
		capture_end(&cap, err, sizeof err);
		snprintf(want, sizeof want, "bootstrap: error: %s", c->err ? c->err : "");
		is_int(ret, c->err ? -1 : 0, "%s=%s: %s", c->name, c->value, c->err ? "refused" : "accepted");
		is_str(err, c->err ? want : "", "%s=%s: the message", c->name, c->value);
	}
}

static void test_fetch_values(void)
{
	struct fetch_settings s;
	clear();
	setenv("FETCH_BACKOFF", "", 1);
	is_int(settings_fetch(&s), 0, "unset and empty variables take the defaults");
	ok(s.connect_timeout == 30 && s.low_speed_limit == 1024 && s.low_speed_time == 30 &&
		   s.tries == 3 && s.backoff == 1,
	   "30 s, 1024 bytes/s for 30 s, 3 tries, 1 s backoff");
	setenv("FETCH_BACKOFF", "0.5", 1);
	setenv("FETCH_TRIES", "5", 1);
	is_int(settings_fetch(&s), 0, "set values are read");
	ok(s.backoff == 0.5 && s.tries == 5, "backoff 0.5 and 5 tries");
	clear();
}

static void test_every_bad_one(void)
{
	char err[1024];
	clear();
	setenv("FETCH_TRIES", "nan", 1);
	setenv("MIRROR", "ftpx://nowhere", 1);
	struct capture cap = capture_begin();
	int ret = settings_check();
	capture_end(&cap, err, sizeof err);
	is_int(ret, -1, "two bad settings are refused");
	ok(strstr(err, "FETCH_TRIES") && strstr(err, "MIRROR"), "each with its own line");
	clear();
}

int main(void)
{
	test_check();
	test_fetch_values();
	test_every_bad_one();
	return tap_done();
}
