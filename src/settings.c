#include "settings.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cache.h"
#include "ccache.h"
#include "initrd.h"
#include "sandbox.h"
#include "util.h"

static const struct number {
	const char *name;
	double def, min, max;
	bool whole;
	size_t offset;
} numbers[] = {
	{ "FETCH_CONNECT_TIMEOUT", 30, 0.001, 3600, false,
	  offsetof(struct fetch_settings, connect_timeout) },
	{ "FETCH_LOW_SPEED_LIMIT", 1024, 1, 1e9, true, offsetof(struct fetch_settings, low_speed_limit) },
	{ "FETCH_LOW_SPEED_TIME", 30, 1, 3600, true, offsetof(struct fetch_settings, low_speed_time) },
	{ "FETCH_TRIES", 3, 1, 100, true, offsetof(struct fetch_settings, tries) },
	{ "FETCH_BACKOFF", 1, 0, 600, false, offsetof(struct fetch_settings, backoff) },
};

/* Digits with at most one '.': strtod alone would also take "nan", "inf",
 * "0x1p3", " 5" and "1e99", and NaN slips through any range check. */
static bool is_decimal(const char *s, bool whole)
{
	size_t a = strspn(s, "0123456789");
	if (whole || s[a] != '.')
		return a > 0 && !s[a];
	size_t b = strspn(s + a + 1, "0123456789");
	return a + b > 0 && !s[a + 1 + b];
}

static int read_number(const struct number *n, double *out)
{
	const char *s = getenv(n->name);
	*out = n->def;
	if (!s || !*s)
		return 0;
	double v = is_decimal(s, n->whole) ? strtod(s, NULL) : -1;
	if (!(v >= n->min && v <= n->max))
		return error("%s must be a %s from %g to %g, not '%s'", n->name,
			     n->whole ? "whole number" : "number", n->min, n->max, s);
	*out = v;
	return 0;
}

static const struct number heartbeat = { "HEARTBEAT", 120, 1, 86400, false, 0 };

int settings_heartbeat(double *out)
{
	return read_number(&heartbeat, out);
}

int settings_fetch(struct fetch_settings *out)
{
	int ret = 0;
	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
		if (read_number(&numbers[i], (double *)((char *)out + numbers[i].offset)) < 0)
			ret = -1;
	return ret;
}

/* A typo in a URL's scheme would not fail: the place would be skipped, and
 * the sources fetched from the internet behind the user's back. A value
 * without "://" is a folder, which world_init checks. */
static int check_mirror(const char *name)
{
	static const char *const schemes[] = { "file://", "http://", "https://", "ftp://" };
	const char *s = getenv(name);
	if (!s || !*s || !strstr(s, "://"))
		return 0;
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (!strncasecmp(s, schemes[i], strlen(schemes[i])))
			return 0;
	return error("%s must be a folder or a URL prefix starting with file://, http://, https:// "
		     "or ftp://, not '%s'", name, s);
}

int settings_check(void)
{
	struct fetch_settings fetch;
	struct initrd_opts initrd = { 0 };
	double beat;
	int ret = settings_fetch(&fetch);
	if (settings_heartbeat(&beat) < 0)
		ret = -1;
	if (initrd_opts_from_env(&initrd) < 0)
		ret = -1;
	if (check_mirror("MIRROR") < 0)
		ret = -1;
	if (check_mirror("BACKUP_MIRROR") < 0)
		ret = -1;
	if (cache_settings_check() < 0)
		ret = -1;
	if (sandbox_setting_check() < 0)
		ret = -1;
	if (ccache_setting_check() < 0)
		ret = -1;
	return ret;
}
