/* initrd settings from the environment: COMPRESS, COMPRESS_LEVEL and
 * SOURCE_DATE_EPOCH, each bad value refused with its exact message. */
#include <stdlib.h>

#include "src/initrd.h"
#include "tap.h"

/* Each case: COMPRESS, COMPRESS_LEVEL, SOURCE_DATE_EPOCH (NULL: unset), then
 * the error, or NULL and the options wanted. */
static const struct env_case {
	const char *compress, *level, *epoch, *err, *want_compress;
	int want_level;
	long long want_epoch;
} env_cases[] = {
	{ NULL, NULL, NULL, NULL, "gzip", 0, 0 },
	{ "", "", "", NULL, "gzip", 0, 0 },
	{ "zstd", "19", "1700000000", NULL, "zstd", 19, 1700000000 },
	{ "xz", "9", "0", NULL, "xz", 9, 0 },
	{ "none", "5", "4294967295", NULL, "none", 0, 4294967295LL },
	{ "lz4", NULL, NULL, "unknown COMPRESS 'lz4' (valid: gzip, zstd, xz, none)", NULL, 0, 0 },
	{ "GZIP", NULL, NULL, "unknown COMPRESS 'GZIP' (valid: gzip, zstd, xz, none)", NULL, 0, 0 },
	{ NULL, "fast", NULL, "COMPRESS_LEVEL 'fast' is not a number; gzip takes 1-9", NULL, 0, 0 },
	{ NULL, "0", NULL, "COMPRESS_LEVEL 0 is out of range; gzip takes 1-9", NULL, 0, 0 },
	{ "zstd", "20", NULL, "COMPRESS_LEVEL 20 is out of range; zstd takes 1-19", NULL, 0, 0 },
	{ "xz", "99999999999", NULL, "COMPRESS_LEVEL 99999999999 is out of range; xz takes 1-9",
	  NULL, 0, 0 },
	{ NULL, NULL, "yesterday", "SOURCE_DATE_EPOCH 'yesterday' is not a number of seconds since "
				   "1970 (0-4294967295)", NULL, 0, 0 },
	{ NULL, NULL, "-1", "SOURCE_DATE_EPOCH '-1' is not a number of seconds since 1970 (0-4294967295)", NULL, 0,
	  0 },
	{ NULL, NULL, "4294967296", "SOURCE_DATE_EPOCH 4294967296 is out of range; cpio newc holds "
				    "0-4294967295", NULL, 0, 0 },
};

static void set_or_unset(const char *name, const char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

static void test_env(void)
{
	for (size_t i = 0; i < sizeof env_cases / sizeof env_cases[0]; i++) {
		const struct env_case *c = &env_cases[i];
		set_or_unset("COMPRESS", c->compress);
		set_or_unset("COMPRESS_LEVEL", c->level);
		set_or_unset("SOURCE_DATE_EPOCH", c->epoch);
		struct initrd_opts o = { .level = -7, .epoch = -7 };
		char err[512], desc[256], want[512];
		struct capture cap = capture_begin();
		int ret = initrd_opts_from_env(&o);
		capture_end(&cap, err, sizeof err);
		snprintf(desc, sizeof desc, "COMPRESS=%s COMPRESS_LEVEL=%s SOURCE_DATE_EPOCH=%s",
			 c->compress ? c->compress : "(unset)", c->level ? c->level : "(unset)",
			 c->epoch ? c->epoch : "(unset)");
		if (c->err) {
			snprintf(want, sizeof want, "bootstrap: error: %s", c->err);
			ok(ret == -1, "%s: refused", desc);
			is_str(err, want, "%s: the message", desc);
		} else {
			ok(ret == 0 && !strcmp(o.compress, c->want_compress) &&
				   o.level == c->want_level && o.epoch == c->want_epoch && !*err,
			   "%s: %s, level %d, epoch %lld", desc, c->want_compress, c->want_level,
			   c->want_epoch);
		}
	}
	unsetenv("COMPRESS");
	unsetenv("COMPRESS_LEVEL");
	unsetenv("SOURCE_DATE_EPOCH");
	is_str(initrd_suffix("zstd"), ".zst", "the zstd suffix");
	ok(initrd_suffix("lz4") == NULL, "no suffix for an unknown COMPRESS");
}

int main(void)
{
	test_env();
	return tap_done();
}
